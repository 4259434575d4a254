/* A river hazard's curves at each reached city's first section (ECharts, served by the
   platform itself): a spill's concentration on a logarithmic axis with the substance's
   limit drawn across, or a flood wave's discharge with each city's base flow. */
(function () {
  "use strict";
  const element = document.getElementById("river-curves");
  const source = document.getElementById("river-curves-data");
  if (!element || !source || !window.echarts) {
    return;
  }
  const data = JSON.parse(source.textContent);
  if (!data || !data.series || !data.series.length) {
    element.hidden = true;
    return;
  }
  const texts = data.texts || {};
  // A spill followed without a limit or a mass: shares of the source's concentration.
  const percent = function (share) {
    return Number(share * 100).toPrecision(3) + " %";
  };
  const spill = data.kind === "spill";
  // A logarithmic axis has no zero: points before the front arrives are left as gaps.
  const positive = function (points) {
    return points.map(function (point) {
      return [point[0], spill && !(point[1] > 0) ? null : point[1]];
    });
  };
  const series = data.series.map(function (line) {
    const drawn = {
      name: line.name,
      type: "line",
      showSymbol: false,
      connectNulls: false,
      data: positive(line.points),
    };
    if (!spill && typeof line.base === "number") {
      drawn.markLine = {
        silent: true,
        symbol: "none",
        label: { show: false },
        lineStyle: { type: "dashed", width: 1 },
        data: [{ yAxis: line.base, name: texts.base }],
      };
    }
    return drawn;
  });
  if (spill && typeof data.limit === "number") {
    // The limit as a series of its own, so the legend names it beside the cities.
    const hours = [];
    data.series.forEach(function (line) {
      line.points.forEach(function (point) {
        hours.push(point[0]);
      });
    });
    series.push({
      name: data.relative ? texts.limit + " " + percent(data.limit) : texts.limit + " " + data.limit + " " + data.unit,
      type: "line",
      showSymbol: false,
      color: "#b00020",
      lineStyle: { type: "dashed", width: 2 },
      data: [[Math.min.apply(null, hours), data.limit], [Math.max.apply(null, hours), data.limit]],
    });
  }
  let floor;
  if (spill) {
    // Show three decades below the limit at most, so a far tail does not flatten the peaks.
    let smallest = Infinity;
    data.series.forEach(function (line) {
      line.points.forEach(function (point) {
        if (point[1] > 0 && point[1] < smallest) {
          smallest = point[1];
        }
      });
    });
    const bottom = typeof data.limit === "number" ? Math.max(smallest, data.limit / 1000) : smallest;
    floor = Math.pow(10, Math.floor(Math.log10(bottom)));
  }
  const chart = window.echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    // Drawn at once: a duty officer reads the figures, and a half-drawn curve misleads.
    animation: false,
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) {
        if (value === null || value === undefined) {
          return "—";
        }
        return data.relative ? percent(value) : Number(value).toPrecision(3) + " " + data.unit;
      },
    },
    legend: { type: "scroll", top: 0 },
    // Room above the plot for the legend's line and, below it, the y axis's name.
    grid: { left: 8, right: 16, bottom: 28, top: 64, containLabel: true },
    xAxis: {
      type: "value",
      name: texts.axisX,
      nameLocation: "middle",
      nameGap: 24,
      min: 0,
    },
    yAxis: spill
      ? { type: "log", name: texts.axisY, nameTextStyle: { align: "left" }, min: floor, logBase: 10 }
      : { type: "value", name: texts.axisY, nameTextStyle: { align: "left" }, min: 0 },
    series: series,
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
