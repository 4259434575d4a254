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
  const tools = window.crossriskMapTools;
  const riverDistance = document.getElementById("river-distance");
  const hazardType = form.elements.hazard_type;
  let cities = null;
  let labels = null;
  let hazard = null;
  let foot = null;
  let nearestAsked = 0;
  let nearestTimer = null;

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

  function riverPathway() {
    const option = hazardType ? hazardType.options[hazardType.selectedIndex] : null;
    // A flood wave (river) and a spill both start on the river network.
    return Boolean(option) && (option.dataset.pathway === "river" || option.dataset.pathway === "spill");
  }

  function hideRiverDistance() {
    nearestAsked += 1;
    riverDistance.hidden = true;
    riverDistance.textContent = "";
    delete riverDistance.dataset.km;
    if (foot) {
      map.removeLayer(foot);
      foot = null;
    }
  }

  // A river hazard must lie near a river: say which and how far while the point is chosen,
  // measured by the server as the river model will measure it on submitting.
  function showRiverDistance(point) {
    // Both river models have a tolerance: read the chosen model's.
    const option = hazardType ? hazardType.options[hazardType.selectedIndex] : null;
    const field = form.querySelector(
      'fieldset.parameters[data-pathway="' + (option ? option.dataset.pathway : "") + '"] [name="param-snap_tolerance_km"]'
    );
    const tolerance = parseFloat(field ? field.value : "");
    const mine = ++nearestAsked;
    const url = tools.urlFor(tools.config.nearestRiverUrl, region.value) +
      "?lon=" + encodeURIComponent(point.coordinates[0]) + "&lat=" + encodeURIComponent(point.coordinates[1]);
    cr.fetchJson(url)
      .then(function (nearest) {
        if (mine !== nearestAsked) {
          return;
        }
        const km = nearest.distance_km.toFixed(1);
        let sentence = tools.format(tools.texts.nearestRiver, {
          river: tools.nameOf(nearest),
          km: new Intl.NumberFormat(data.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
            .format(nearest.distance_km),
        });
        const tooFar = isFinite(tolerance) && nearest.distance_km > tolerance;
        if (tooFar) {
          sentence += " — " + tools.format(tools.texts.tooFarFromRiver, { tolerance: String(tolerance) });
        }
        riverDistance.textContent = sentence;
        riverDistance.dataset.km = km;
        riverDistance.dataset.river = nearest.river;
        riverDistance.classList.toggle("too-far", tooFar);
        riverDistance.hidden = false;
        if (foot) {
          map.removeLayer(foot);
        }
        foot = L.polyline(
          [[point.coordinates[1], point.coordinates[0]], [nearest.lat, nearest.lon]],
          { pane: "risks", interactive: false, className: "river-foot", dashArray: "4 4", color: "#2b7bd0", weight: 2 }
        ).addTo(map);
      })
      .catch(function () {
        if (mine === nearestAsked) {
          hideRiverDistance();
        }
      });
  }

  function updateRiverDistance() {
    clearTimeout(nearestTimer);
    const point = kind() === "point" ? typedPoint() : null;
    if (!tools || !riverDistance || !point || !riverPathway()) {
      hideRiverDistance();
      return;
    }
    nearestTimer = setTimeout(function () {
      showRiverDistance(point);
    }, 150);
  }

  function drawHazard() {
    updateRiverDistance();
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
      if (geometry.type === "Point") {
        hazard.on("mousedown", startDrag);
      }
    } catch (_error) {
      say(texts.invalidGeojson);
      hazard = null;
    }
  }

  // A placed point can be dragged; the nearest river follows it as it moves.
  let dragging = false;
  let justDragged = false;

  function moveDrag(event) {
    longitude.value = event.latlng.lng.toFixed(5);
    latitude.value = event.latlng.lat.toFixed(5);
    drawHazard();
  }

  function endDrag() {
    if (!dragging) {
      return;
    }
    dragging = false;
    justDragged = true;  // the click that ends a drag places nothing
    setTimeout(function () { justDragged = false; }, 0);
    map.off("mousemove", moveDrag);
    map.dragging.enable();
  }

  function startDrag(event) {
    L.DomEvent.stop(event.originalEvent);
    dragging = true;
    map.dragging.disable();
    map.on("mousemove", moveDrag);
    document.addEventListener("mouseup", endDrag, { once: true });
  }

  function place(latlng, cityName) {
    if (justDragged) {
      return;
    }
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
        if (labels) {
          labels.remove();
          labels = null;
        }
        cities = L.geoJSON(collection, {
          style: function (feature) {
            return cr.cityStyle(feature.properties.code === data.ownJurisdiction);
          },
          onEachFeature: function (feature, layer) {
            const name = cr.cityName(feature.properties, data.lang);
            if (feature.properties.code === data.ownJurisdiction) {
              own = layer;
            }
            layer.on("click", function (event) {
              L.DomEvent.stopPropagation(event);
              place(event.latlng, name);
            });
          },
        }).addTo(map);
        // Officers mostly report in their own city, so start there.
        map.fitBounds((own || cities).getBounds(), { padding: [12, 12], animate: false });
        if (tools) {
          labels = tools.cityLabels(map, collection.features, data.ownJurisdiction);
        }
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
  if (tools) {
    const rivers = tools.addRivers(map, region.value);
    region.addEventListener("change", function () {
      rivers.load(region.value);
    });
    // A gauge or a city found by name can be the source: the point goes where it is.
    tools.placeSearch(map, function () { return region.value; }, function (found) {
      if (found.kind !== "river") {
        place(L.latLng(found.lat, found.lon), tools.nameOf(found));
      }
    });
  }
  if (hazardType) {
    hazardType.addEventListener("change", updateRiverDistance);
  }
  if (form.elements.category) {
    form.elements.category.addEventListener("change", updateRiverDistance);
  }
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
