/* The shortfall's bar chart: per member city, each item's need, own stock, shortfall and
   what neighbours could cover (ECharts, served by the platform itself). */
(function () {
  "use strict";
  const found = window.crossrisk.chartOf("shortfall-chart", function (data) {
    return data.series && data.series.length;
  });
  if (!found) {
    return;
  }
  const chart = found.chart;
  const data = found.data;
  const select = document.createElement("select");
  select.id = "shortfall-item";
  select.setAttribute("aria-label", data.texts.item);
  data.series.forEach(function (series, index) {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = series.name;
    select.appendChild(option);
  });
  found.element.parentNode.insertBefore(select, found.element);

  function draw(index) {
    const series = data.series[index];
    chart.setOption(
      {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.jurisdictions, axisLabel: { rotate: 45 } },
        yAxis: { type: "value" },
        series: [
          { name: data.texts.need, type: "bar", data: series.need },
          { name: data.texts.stock, type: "bar", data: series.stock },
          { name: data.texts.shortfall, type: "bar", data: series.shortfall },
          { name: data.texts.cover, type: "bar", data: series.cover },
        ],
      },
      true
    );
  }

  select.addEventListener("change", function () {
    draw(Number(select.value));
  });
  draw(0);
})();
