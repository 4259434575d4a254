/* The allocation page's map: each flow a line from the donor's stock to the request's
   destination, as wide as its share of the largest flow, with a tooltip of item, quantity
   and travel hours. City boundaries are drawn under them; there is no tile layer. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const container = document.getElementById("allocation-map");
  if (!container || !cr.hasLeaflet(container, container.dataset.noMap)) {
    return;
  }
  const map = cr.newMap(container);
  const numbers = new Intl.NumberFormat(data.lang);
  const flows = data.flows || [];
  const largest = flows.reduce(function (most, flow) { return Math.max(most, flow.quantity); }, 0);
  const bounds = L.latLngBounds([]);
  const layer = L.layerGroup();

  flows.forEach(function (flow) {
    const weight = largest > 0 ? 2 + 10 * (flow.quantity / largest) : 2;
    const line = L.polyline([flow.from, flow.to], {
      color: "#c8161d",
      weight: weight,
      opacity: 0.75,
      className: "flow",
    });
    // Built as text nodes: city and destination names are officers' texts, not HTML.
    line.bindTooltip(
      cr.element("div", { class: "flow-tooltip" }, [
        flow.donor + " → " + flow.destination,
        cr.element("br"),
        flow.item + ": " + numbers.format(flow.quantity) + " " + flow.unit,
        cr.element("br"),
        numbers.format(flow.hours) + " " + container.dataset.hours,
      ]),
      { sticky: true }
    );
    line.addTo(layer);
    L.circleMarker(flow.from, { radius: 5, color: "#163a6b", fillOpacity: 1 }).addTo(layer);
    L.circleMarker(flow.to, { radius: 7, color: "#c8161d", fillColor: "#fff", fillOpacity: 1 })
      .addTo(layer);
    bounds.extend(flow.from);
    bounds.extend(flow.to);
  });

  function finish() {
    layer.addTo(map);
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], animate: false, maxZoom: 10 });
    }
    container.dataset.ready = "true";
  }

  cr.fetchJson(data.boundariesUrl)
    .then(function (collection) {
      const cities = L.geoJSON(collection, {
        interactive: false,
        style: function () { return cr.cityStyle(false); },
      }).addTo(map);
      if (!bounds.isValid()) {
        bounds.extend(cities.getBounds());
      }
      finish();
    })
    .catch(function () {
      container.after(cr.element("p", { class: "map-status" }, [container.dataset.loadFailed]));
      finish();
    });
})();
