/* A member's scorecard trend: the assessment score and the record's shares, month by month
   (or quarter by quarter), as lines (ECharts, served by the platform itself). */
(function () {
  "use strict";
  const found = window.crossrisk.chartOf("trend-chart", function (data) {
    return data.labels && data.labels.length;
  });
  if (!found) {
    return;
  }
  const chart = found.chart;
  const data = found.data;
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 48, containLabel: true },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", min: 0, max: 100 },
    series: data.series.map(function (series) {
      return { name: series.name, type: "line", connectNulls: false, data: series.data };
    }),
  });
})();
