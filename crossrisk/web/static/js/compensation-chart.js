/* A risk's settlement statements compared: what each member bore against what each
   standing statement has it bear, as grouped bars in yuan (ECharts, served by the
   platform itself). The tables beside it carry every figure to the fen. */
(function () {
  "use strict";
  const found = window.crossrisk.chartOf("settlement-chart", function (data) {
    return data.parties && data.parties.length && data.series.length;
  });
  if (!found) {
    return;
  }
  const chart = found.chart;
  const data = found.data;
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.parties, axisLabel: { interval: 0 } },
    yAxis: { type: "value", min: 0, name: data.unit },
    series: data.series.map(function (line) {
      return { name: line.name, type: "bar", data: line.values };
    }),
  });
})();
