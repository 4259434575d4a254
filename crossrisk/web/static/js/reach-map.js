/* The reach of a hazard on a map: member cities shaded by when the hazard arrives (the
   colours are the page's arrival classes, in crossrisk.css), the origin cities marked,
   the model's footprint, plume or river path, and the hazard source on top. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const reach = data.reach;
  const texts = data.reachTexts;
  const container = document.getElementById("reach-map");
  if (!container || !reach || !cr.hasLeaflet(container, texts.noMapLibrary)) {
    return;
  }

  const map = cr.newMap(container, { minZoom: 4 });
  cr.addRiskPane(map);
  // Above the city polygons (overlayPane, 400), below the hazard source (450).
  map.createPane("footprint").style.zIndex = "420";
  const hazard = cr.riskLayer(reach.hazard, reach.level).addTo(map);
  const focus = hazard.getBounds();
  map.fitBounds(focus, { maxZoom: 9, padding: [24, 24], animate: false });

  if (reach.footprint) {
    const footprint = L.geoJSON(reach.footprint, {
      pane: "footprint",
      interactive: false,
      style: function () {
        return { className: "footprint footprint-" + reach.pathway };
      },
    }).addTo(map);
    focus.extend(footprint.getBounds());
  }

  function cityClass(code) {
    if (reach.origins.indexOf(code) >= 0) {
      return "reach-city reach-origin";
    }
    const arrivalClass = reach.reached[code];
    return arrivalClass === undefined ? "reach-city reach-unreached" : "reach-city arrival-" + arrivalClass;
  }

  const tools = window.crossriskMapTools;
  if (tools) {
    const region = tools.regionOf(reach.boundariesUrl);
    tools.addRivers(map, region);
    tools.placeSearch(map, function () { return region; }, null);
  }

  function addLabels() {
    // At each city's label point: the middle of a coastal city's bounds may lie at sea.
    const tooltips = reach.labels.map(function (label) {
      return L.tooltip({
        permanent: true,
        direction: "center",
        className: label.dark ? "city-label city-label-dark" : "city-label",
      })
        .setLatLng(label.at)
        .setContent(cr.text(label.text))
        .addTo(map);
    });
    if (tools) {
      // The labels come in the order the reach lists them: origins and earliest first.
      tools.declutter(map, tooltips);
    }
  }

  cr.fetchJson(reach.boundariesUrl)
    .then(function (collection) {
      L.geoJSON(collection, {
        interactive: false,
        style: function (feature) {
          return { className: cityClass(feature.properties.code) };
        },
        onEachFeature: function (feature, layer) {
          const code = feature.properties.code;
          if (reach.origins.indexOf(code) >= 0 || reach.reached[code] !== undefined) {
            focus.extend(layer.getBounds());
          }
        },
      }).addTo(map);
      addLabels();
      map.fitBounds(focus, { padding: [12, 12], animate: false });
      container.dataset.ready = "true";
    })
    .catch(function () {
      container.after(cr.element("p", { class: "map-status" }, [texts.loadFailed]));
      container.dataset.ready = "true";
    });
})();
