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
  if (map) {
    cr.addRiskPane(map);
  }
  const riskLayers = map ? L.layerGroup().addTo(map) : null;
  const numbers = new Intl.NumberFormat(data.lang);
  const citiesByCode = {};
  let selected = null;

  // Warning colours of the national scheme: 1 red, 2 orange, 3 yellow, 4 blue.
  const WARNING_COLOURS = { 1: "#c8161d", 2: "#ef7d0e", 3: "#e0b90b", 4: "#1f6fb5" };

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
      style.fillColor = WARNING_COLOURS[warned.level] || style.fillColor;
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
          return cr.element("li", {}, [link, " ", cr.element("span", { class: "muted" }, [
            numbers.format(Math.round(neighbour.border_km)) + " " + texts.km,
          ])]);
        });
        neighbours.replaceChildren.apply(neighbours, items);
      })
      .catch(function () {
        neighbours.replaceChildren(texts.loadFailed);
      });
  }

  function addRisks() {
    riskLayers.clearLayers();
    data.risks.forEach(function (risk) {
      const layer = cr.riskLayer(risk.geometry, risk.level);
      layer.bindTooltip(cr.text(risk.title + " · " + risk.levelLabel + " · " + risk.statusLabel));
      layer.on("click", function () {
        window.location.href = risk.url;
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
      return cr.element("li", { "data-jurisdiction": warned.code, "data-level": String(warned.level) }, [
        cr.element("span", { class: "badge warning-level warning-level-" + warned.level }, [warned.tag]),
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
          layer.bindTooltip(cr.text(name(feature.properties)), {
            permanent: true,
            direction: "center",
            className: "city-label",
          });
          layer.on("click", function () {
            showCity(code);
          });
        },
      }).addTo(map);
      map.fitBounds(cities.getBounds(), { padding: [8, 8], animate: false });
      addRisks();
      shadeCities();
      container.dataset.ready = "true";
    })
    .catch(function () {
      container.classList.add("map-missing");
      container.textContent = texts.loadFailed;
    });
})();
