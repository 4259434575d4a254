/* The regional map: member cities, clickable for details, and the open risks on top.
   Risks and warned cities follow the platform's events without a reload. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const texts = data.texts;
  const container = document.getElementById("region-map");
  const panel = document.getElementById("city-panel");
  const withMap = Boolean(container) && cr.hasLeaflet(container, texts.noMapLibrary);

  const map = withMap ? cr.newMap(container) : null;
  const tools = window.crossriskMapTools;
  if (map) {
    cr.addRiskPane(map);
  }
  if (map && tools) {
    tools.addRivers(map, data.region);
    tools.placeSearch(map, function () { return data.region; }, function (place) {
      if (place.kind === "city") {
        showCity(place.code);
      }
    });
  }
  const riskLayers = map ? L.layerGroup().addTo(map) : null;
  const numbers = new Intl.NumberFormat(data.lang);
  const citiesByCode = {};
  let selected = null;

  // Warning colours of the national scheme: 1 red, 2 orange, 3 yellow, 4 blue.
  // An information report (通报) carries no colour: a neutral grey.
  const WARNING_COLOURS = { 1: "#c8161d", 2: "#ef7d0e", 3: "#e0b90b", 4: "#1f6fb5", report: "#6b7280" };

  function warningOf(code) {
    return data.warnings.find(function (warned) {
      return warned.code === code;
    });
  }

  function styleOf(code) {
    const city = citiesByCode[code];
    const style = cr.cityStyle(city.own);
    const warned = warningOf(code);
    if (warned) {
      style.fillColor = WARNING_COLOURS[warned.shade] || style.fillColor;
      style.fillOpacity = 0.55;
    }
    return style;
  }

  function name(properties) {
    return cr.cityName(properties, data.lang);
  }

  function showCity(code) {
    const city = citiesByCode[code];
    if (!city) {
      return;
    }
    if (selected) {
      selected.layer.setStyle(styleOf(selected.code));
    }
    selected = city;
    city.layer.setStyle({ fillColor: "#dcebf7", weight: 2.5, color: "#163a6b" });
    const p = city.feature.properties;
    const neighbours = cr.element("ul", { class: "neighbours" }, [texts.loading]);
    const risks = data.risks.filter(function (risk) {
      return risk.origins.indexOf(code) >= 0;
    });
    const riskItems = risks.length
      ? risks.map(function (risk) {
        return cr.element("li", {}, [
          cr.element("span", { class: "badge level level-" + risk.level }, [risk.levelLabel]),
          " ",
          cr.element("a", { href: risk.url }, [risk.title]),
        ]);
      })
      : [cr.element("li", { class: "muted" }, [texts.noRisks])];
    panel.replaceChildren(
      cr.element("h2", { class: "city-name" }, [p.name_zh, " ", cr.element("span", { class: "name-en" }, [p.name_en])]),
      cr.element("dl", { class: "city-facts" }, [
        cr.element("dt", {}, [texts.code]),
        cr.element("dd", {}, [p.code]),
        cr.element("dt", {}, [texts.population]),
        cr.element("dd", {}, [p.population == null ? "—" : numbers.format(p.population) + " " + texts.people]),
      ]),
      cr.element("h3", {}, [texts.neighbours]),
      neighbours,
      cr.element("h3", {}, [texts.risks]),
      cr.element("ul", { class: "city-risks" }, riskItems)
    );
    cr.fetchJson(data.jurisdictionUrl + encodeURIComponent(code))
      .then(function (feature) {
        const items = (feature.properties.neighbours || []).map(function (neighbour) {
          const other = citiesByCode[neighbour.code];
          const link = cr.element("a", { href: "#", "data-code": neighbour.code }, [
            other ? name(other.feature.properties) : neighbour.code,
          ]);
          link.addEventListener("click", function (event) {
            event.preventDefault();
            showCity(neighbour.code);
          });
          // The length of the border the two share, not a distance between them.
          return cr.element("li", {}, [link, " ", cr.element("span", { class: "muted border-length" }, [
            texts.sharedBorder.replace("%(km)s", numbers.format(Math.round(neighbour.border_km))),
          ])]);
        });
        neighbours.replaceChildren.apply(neighbours, items);
      })
      .catch(function () {
        neighbours.replaceChildren(texts.loadFailed);
      });
  }

  function riskLine(risk) {
    return risk.title + " · " + risk.levelLabel + " · " + risk.statusLabel;
  }

  // Point risks at the same spot (to about a metre) are one marker listing them all:
  // drawn one on another, only the top one could be reached.
  function placeKey(risk) {
    const geometry = risk.geometry;
    if (!geometry || geometry.type !== "Point") {
      return null;
    }
    return geometry.coordinates[0].toFixed(5) + "," + geometry.coordinates[1].toFixed(5);
  }

  function addStack(risks) {
    // The data list the most severe first: the marker takes the first one's colour.
    const layer = cr.riskLayer(risks[0].geometry, risks[0].level, "risk-stack");
    const list = cr.element("ul", { class: "risk-stack-list" }, risks.map(function (risk) {
      return cr.element("li", { "data-risk": String(risk.id) }, [
        cr.element("span", { class: "badge level level-" + risk.level }, [risk.levelLabel]),
        " ",
        cr.element("a", { href: risk.url }, [risk.title]),
        " ",
        cr.element("span", { class: "muted" }, [risk.statusLabel]),
      ]);
    }));
    const count = String(risks.length);
    const heading = tools ? tools.format(tools.texts.risksHere, { count: count }) : count;
    layer.bindTooltip(cr.text(heading));
    layer.bindPopup(cr.element("div", { class: "risk-stack-popup" }, [
      cr.element("p", { class: "risk-stack-title" }, [heading]),
      list,
    ]));
    riskLayers.addLayer(layer);
    const at = risks[0].geometry.coordinates;
    riskLayers.addLayer(L.marker([at[1], at[0]], {
      pane: "risks",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "risk-stack-count", html: count, iconSize: [16, 16] }),
    }));
  }

  function addRisks() {
    riskLayers.clearLayers();
    const stacks = {};
    data.risks.forEach(function (risk) {
      const key = placeKey(risk);
      if (key !== null) {
        (stacks[key] = stacks[key] || []).push(risk);
        return;
      }
      const layer = cr.riskLayer(risk.geometry, risk.level);
      layer.bindTooltip(cr.text(riskLine(risk)));
      layer.on("click", function () {
        window.location.href = risk.url;
      });
      riskLayers.addLayer(layer);
    });
    Object.keys(stacks).forEach(function (key) {
      const risks = stacks[key];
      if (risks.length > 1) {
        addStack(risks);
        return;
      }
      const layer = cr.riskLayer(risks[0].geometry, risks[0].level);
      layer.bindTooltip(cr.text(riskLine(risks[0])));
      layer.on("click", function () {
        window.location.href = risks[0].url;
      });
      riskLayers.addLayer(layer);
    });
  }

  function shadeCities() {
    Object.keys(citiesByCode).forEach(function (code) {
      if (!selected || selected.code !== code) {
        citiesByCode[code].layer.setStyle(styleOf(code));
      }
    });
  }

  function listRisks() {
    const list = document.getElementById("risk-list");
    const items = data.risks.map(function (risk) {
      return cr.element("li", { "data-risk": String(risk.id) }, [
        cr.element("span", { class: "badge level level-" + risk.level }, [risk.levelLabel]),
        " ",
        cr.element("a", { href: risk.url }, [risk.title]),
        cr.element("span", { class: "meta" }, [
          cr.element("span", { class: "badge status" }, [risk.statusLabel]),
          " " + risk.originNames.join(", "),
        ]),
      ]);
    });
    list.replaceChildren.apply(list, items.length ? items : [
      cr.element("li", { class: "muted" }, [texts.noOpenRisks]),
    ]);
    document.getElementById("open-risk-count").textContent = String(data.risks.length);
  }

  function listWarnings() {
    const list = document.getElementById("map-warnings");
    const items = data.warnings.map(function (warned) {
      return cr.element("li", { "data-jurisdiction": warned.code, "data-level": String(warned.shade) }, [
        cr.element("span", { class: "badge warning-level warning-level-" + warned.shade }, [warned.tag]),
        " " + warned.name,
      ]);
    });
    list.replaceChildren.apply(list, items.length ? items : [
      cr.element("li", { class: "muted" }, [texts.noWarnings]),
    ]);
  }

  const refresh = cr.live.debounce(function () {
    cr.fetchJson(data.dataUrl).then(function (state) {
      data.risks = state.risks;
      data.warnings = state.warnings;
      listRisks();
      listWarnings();
      if (map && container.dataset.ready === "true") {
        addRisks();
        shadeCities();
      }
    });
  }, 200);

  cr.live.follow({
    after: data.after,
    indicator: document.getElementById("live-status"),
    texts: texts,
    onEvent: function (event) {
      const relevant = event.action.indexOf("risk.") === 0 || event.action.indexOf("warning.") === 0;
      if (relevant && event.region === data.region) {
        refresh();
      }
    },
  });

  if (!map) {
    return;
  }

  cr.fetchJson(data.boundariesUrl)
    .then(function (collection) {
      const cities = L.geoJSON(collection, {
        style: function (feature) {
          return cr.cityStyle(feature.properties.code === data.ownJurisdiction);
        },
        onEachFeature: function (feature, layer) {
          const code = feature.properties.code;
          citiesByCode[code] = { code: code, feature: feature, layer: layer, own: code === data.ownJurisdiction };
          layer.on("click", function () {
            showCity(code);
          });
        },
      }).addTo(map);
      map.fitBounds(cities.getBounds(), { padding: [8, 8], animate: false });
      if (tools) {
        tools.cityLabels(map, collection.features, data.ownJurisdiction);
      }
      addRisks();
      shadeCities();
      container.dataset.ready = "true";
    })
    .catch(function () {
      container.classList.add("map-missing");
      container.textContent = texts.loadFailed;
    });
})();
