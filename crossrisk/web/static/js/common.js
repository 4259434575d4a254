/* Shared helpers of the pages' maps. Leaflet draws the bundled city boundaries only:
   there is no tile layer, because the platform runs on intranets without internet. */
(function () {
  "use strict";

  // Warning colours of Chinese emergency management: I red, II orange, III yellow, IV blue.
  const LEVEL_COLOURS = { I: "#c8161d", II: "#ef7d0e", III: "#e0b90b", IV: "#1f6fb5" };
  const maps = {};

  function pageData() {
    const element = document.getElementById("page-data");
    return element ? JSON.parse(element.textContent) : {};
  }

  // An ECharts chart (SVG, redrawn when the window resizes) in the element of that id, with
  // the page's data, when `drawable(data)` holds; otherwise the element hides. Null when
  // there is nothing to draw or ECharts did not load.
  function chartOf(id, drawable) {
    const element = document.getElementById(id);
    if (!element || !window.echarts) {
      return null;
    }
    const data = pageData();
    if (!data || !drawable(data)) {
      element.hidden = true;
      return null;
    }
    const chart = window.echarts.init(element, null, { renderer: "svg" });
    window.addEventListener("resize", function () {
      chart.resize();
    });
    return { chart: chart, data: data, element: element };
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + " answered " + response.status);
        }
        return response.json();
      });
  }

  function hasLeaflet(container, message) {
    if (window.L) {
      return true;
    }
    container.classList.add("map-missing");
    container.textContent = message;
    return false;
  }

  function newMap(container, options) {
    const map = L.map(container, Object.assign({
      attributionControl: false,
      zoomSnap: 0.25,
      minZoom: 5,
      maxZoom: 14,
    }, options || {}));
    maps[container.id] = map;
    return map;
  }

  function cityName(properties, lang) {
    return lang.indexOf("zh") === 0 ? properties.name_zh : (properties.name_en || properties.name_zh);
  }

  function cityStyle(own) {
    return {
      color: own ? "#163a6b" : "#7d8b99",
      weight: own ? 2.5 : 1,
      fillColor: own ? "#fdf6dc" : "#f8f7f2",
      fillOpacity: 1,
      className: own ? "city city-own" : "city",
    };
  }

  // A point hazard is a round marker; a line or area is drawn as it is, in its level's colour.
  function riskStyle(level, geometryType) {
    const colour = LEVEL_COLOURS[level] || "#555";
    if (geometryType === "Point" || geometryType === "MultiPoint") {
      return { color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1 };
    }
    return { color: colour, weight: 3, fillColor: colour, fillOpacity: 0.35 };
  }

  function riskLayer(geometry, level, extraClass) {
    const className = "risk-marker level-" + level + (extraClass ? " " + extraClass : "");
    return L.geoJSON(geometry, {
      pane: "risks",
      // Leaflet applies this to every layer, the circle markers of points included.
      style: function (feature) {
        return Object.assign(riskStyle(level, feature.geometry.type), { className: className });
      },
      pointToLayer: function (_feature, latlng) {
        return L.circleMarker(latlng, { pane: "risks", radius: 8, className: className });
      },
    });
  }

  function addRiskPane(map) {
    // Above the city polygons (overlayPane, 400) and below tooltips (650).
    map.createPane("risks").style.zIndex = "450";
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  // Leaflet puts a string tooltip in as HTML; officers' texts (risk titles) must stay text.
  function text(value) {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  window.crossrisk = {
    LEVEL_COLOURS: LEVEL_COLOURS,
    maps: maps,
    pageData: pageData,
    chartOf: chartOf,
    fetchJson: fetchJson,
    hasLeaflet: hasLeaflet,
    newMap: newMap,
    cityName: cityName,
    cityStyle: cityStyle,
    riskLayer: riskLayer,
    addRiskPane: addRiskPane,
    element: element,
    text: text,
  };
})();
