/* An after-action review's comparison of the parties: each party's shares (duties done in
   time, report on time, aid on time) as grouped bars, in per cent (ECharts, served by the
   platform itself). The activity's figures are drawn on the server, for the PDF too. */
(function () {
  "use strict";
  const found = window.crossrisk.chartOf("party-chart", function (data) {
    return data.parties && data.parties.length && data.series.length;
  });
  if (!found) {
    return;
  }
  const chart = found.chart;
  const data = found.data;
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (value) {
      return value === null || value === undefined ? "—" : value + " %";
    } },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.parties, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", min: 0, max: 100, name: "%" },
    series: data.series.map(function (line) {
      return { name: line.name, type: "bar", data: line.values };
    }),
  });
})();
