/* A member's trust score after each item of evidence, as a line (ECharts, served by the
   platform itself); the tooltip names the evidence that moved it. */
(function () {
  "use strict";
  const found = window.crossrisk.chartOf("trust-chart", function (data) {
    return data.labels && data.labels.length;
  });
  if (!found) {
    return;
  }
  const chart = found.chart;
  const data = found.data;
  chart.setOption({
    tooltip: {
      trigger: "axis",
      formatter: function (points) {
        const index = points[0].dataIndex;
        return data.labels[index].slice(0, 16).replace("T", " ") + " UTC<br>" +
          data.sources[index] + ": " + data.scores[index].toFixed(3);
      },
    },
    grid: { left: 8, right: 8, bottom: 8, top: 24, containLabel: true },
    xAxis: { type: "category", data: data.labels.map(function (t) { return t.slice(0, 10); }) },
    yAxis: { type: "value", min: 0, max: 1 },
    series: [{ name: data.name, type: "line", step: "end", data: data.scores }],
  });
})();
