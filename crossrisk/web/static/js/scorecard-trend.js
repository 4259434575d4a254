/* A member's scorecard trend: the assessment score and the record's shares, month by month
   (or quarter by quarter), as lines (ECharts, served by the platform itself). */
(function () {
  "use strict";
  const element = document.getElementById("trend-chart");
  if (!element || !window.echarts) {
    return;
  }
  const data = window.crossrisk.pageData();
  if (!data || !data.labels || !data.labels.length) {
    element.hidden = true;
    return;
  }
  const chart = window.echarts.init(element, null, { renderer: "svg" });
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
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
