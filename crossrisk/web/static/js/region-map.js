/* The regional map: member cities, clickable for details, and the open risks on top. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const texts = data.texts;
  const container = document.getElementById("region-map");
  const panel = document.getElementById("city-panel");
  if (!container || !cr.hasLeaflet(container, texts.noMapLibrary)) {
    return;
  }

  const map = cr.newMap(container);
  cr.addRiskPane(map);
  const numbers = new Intl.NumberFormat(data.lang);
  const citiesByCode = {};
  let selected = null;

  function name(properties) {
    return cr.cityName(properties, data.lang);
  }

  function showCity(code) {
    const city = citiesByCode[code];
    if (!city) {
      return;
    }
    if (selected) {
      selected.layer.setStyle(cr.cityStyle(selected.own));
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
    data.risks.forEach(function (risk) {
      const layer = cr.riskLayer(risk.geometry, risk.level);
      layer.bindTooltip(cr.text(risk.title + " · " + risk.levelLabel + " · " + risk.statusLabel));
      layer.on("click", function () {
        window.location.href = risk.url;
      });
      layer.addTo(map);
    });
  }

  cr.fetchJson(data.boundariesUrl)
    .then(function (collection) {
      const cities = L.geoJSON(collection, {
        style: function (feature) {
          return cr.cityStyle(feature.properties.code === data.ownJurisdiction);
        },
        onEachFeature: function (feature, layer) {
          const code = feature.properties.code;
          citiesByCode[code] = { feature: feature, layer: layer, own: code === data.ownJurisdiction };
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
      container.dataset.ready = "true";
    })
    .catch(function () {
      container.classList.add("map-missing");
      container.textContent = texts.loadFailed;
    });
})();
