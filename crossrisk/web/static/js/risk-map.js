/* A risk's small map: its hazard source over the boundaries of its origin jurisdictions. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const container = document.getElementById("risk-map");
  if (!container || !cr.hasLeaflet(container, data.texts.noMapLibrary)) {
    return;
  }

  const map = cr.newMap(container, { minZoom: 4 });
  cr.addRiskPane(map);
  const hazard = cr.riskLayer(data.hazard, data.level).addTo(map);
  map.fitBounds(hazard.getBounds(), { maxZoom: 9, padding: [24, 24] });

  const boundaries = L.featureGroup().addTo(map);
  Promise.all(data.origins.map(function (code) {
    return cr.fetchJson(data.jurisdictionUrl + encodeURIComponent(code));
  }))
    .then(function (features) {
      features.forEach(function (feature) {
        L.geoJSON(feature, { style: cr.cityStyle(true), interactive: false })
          .bindTooltip(cr.text(cr.cityName(feature.properties, data.lang)), {
            permanent: true,
            direction: "center",
            className: "city-label",
          })
          .addTo(boundaries);
      });
      if (features.length) {
        map.fitBounds(boundaries.getBounds().extend(hazard.getBounds()), { padding: [12, 12], animate: false });
      }
      container.dataset.ready = "true";
    })
    .catch(function () {
      container.dataset.ready = "true";
    });
})();
