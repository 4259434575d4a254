/* The regional fund's balance after each movement, as a step line in yuan (ECharts,
   served by the platform itself). The tables below carry every figure to the fen. */
(function () {
  "use strict";
  const found = window.crossrisk.chartOf("fund-chart", function (data) {
    return data.balances && data.balances.length;
  });
  if (!found) {
    return;
  }
  const data = found.data;
  found.chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", min: 0, name: data.unit },
    series: [{ name: data.name, type: "line", step: "end", data: data.balances, areaStyle: {} }],
  });
  found.element.dataset.drawn = "true";
})();
