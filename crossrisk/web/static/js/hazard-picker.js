/* The map of a form that describes a hazard (registration, what-if): a click inside a member city fills longitude and latitude;
   typed coordinates and pasted GeoJSON are drawn so the officer sees what will be sent. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const data = cr.pageData();
  const texts = data.texts;
  const form = document.querySelector("form[data-hazard-picker]");
  const container = document.getElementById("hazard-picker");
  if (!form || !container) {
    return;
  }
  const status = document.getElementById("hazard-picker-status");
  const longitude = form.elements.longitude;
  const latitude = form.elements.latitude;
  const geojson = form.elements.geojson;
  const region = form.elements.region;
  const pointFields = form.querySelector(".geometry-point");
  const geojsonFields = form.querySelector(".geometry-geojson");

  function kind() {
    return form.querySelector("input[name=geometry_kind]:checked").value;
  }

  function showKind() {
    pointFields.hidden = kind() !== "point";
    geojsonFields.hidden = kind() !== "geojson";
  }

  function chooseKind(value) {
    form.querySelector("input[name=geometry_kind][value=" + value + "]").checked = true;
    showKind();
  }

  form.querySelectorAll("input[name=geometry_kind]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      showKind();
      drawHazard();
    });
  });
  showKind();

  if (!cr.hasLeaflet(container, texts.noMapLibrary)) {
    return;
  }

  const map = cr.newMap(container);
  cr.addRiskPane(map);
  let cities = null;
  let hazard = null;

  function say(message) {
    status.textContent = message;
  }

  function typedPoint() {
    const lon = parseFloat(longitude.value);
    const lat = parseFloat(latitude.value);
    if (!isFinite(lon) || !isFinite(lat)) {
      return null;
    }
    return { type: "Point", coordinates: [lon, lat] };
  }

  function pastedGeometry() {
    try {
      const value = JSON.parse(geojson.value);
      return value && typeof value === "object" ? value : null;
    } catch (_error) {
      return null;
    }
  }

  function drawHazard() {
    if (hazard) {
      map.removeLayer(hazard);
      hazard = null;
    }
    const geometry = kind() === "point" ? typedPoint() : pastedGeometry();
    if (!geometry) {
      if (kind() === "geojson" && geojson.value.trim()) {
        say(texts.invalidGeojson);
      }
      return;
    }
    try {
      hazard = cr.riskLayer(geometry, "II", "hazard-draft").addTo(map);
    } catch (_error) {
      say(texts.invalidGeojson);
      hazard = null;
    }
  }

  function place(latlng, cityName) {
    chooseKind("point");
    longitude.value = latlng.lng.toFixed(5);
    latitude.value = latlng.lat.toFixed(5);
    drawHazard();
    say(cityName ? texts.placed.replace("%(city)s", cityName) : texts.outside);
  }

  function loadRegion() {
    const url = data.boundariesUrl.replace("{region}", encodeURIComponent(region.value));
    cr.fetchJson(url)
      .then(function (collection) {
        if (cities) {
          map.removeLayer(cities);
        }
        let own = null;
        cities = L.geoJSON(collection, {
          style: function (feature) {
            return cr.cityStyle(feature.properties.code === data.ownJurisdiction);
          },
          onEachFeature: function (feature, layer) {
            const name = cr.cityName(feature.properties, data.lang);
            if (feature.properties.code === data.ownJurisdiction) {
              own = layer;
            }
            layer.bindTooltip(cr.text(name), {
              permanent: true,
              direction: "center",
              className: "city-label",
            });
            layer.on("click", function (event) {
              L.DomEvent.stopPropagation(event);
              place(event.latlng, name);
            });
          },
        }).addTo(map);
        // Officers mostly report in their own city, so start there.
        map.fitBounds((own || cities).getBounds(), { padding: [12, 12], animate: false });
        drawHazard();
        container.dataset.ready = "true";
      })
      .catch(function () {
        say(texts.loadFailed);
      });
  }

  map.on("click", function (event) {
    place(event.latlng, null);
  });
  longitude.addEventListener("input", drawHazard);
  latitude.addEventListener("input", drawHazard);
  geojson.addEventListener("input", function () {
    say("");
    drawHazard();
    if (hazard && kind() === "geojson") {
      map.fitBounds(hazard.getBounds(), { maxZoom: 11, padding: [24, 24] });
    }
  });
  region.addEventListener("change", loadRegion);
  loadRegion();
})();
