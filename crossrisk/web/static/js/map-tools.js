/* What every map of the platform shares beyond common.js: the bundled river network in a
   layer the officer can switch off, a search for the region's places (offline, served by
   the platform) and city labels that never overlap. Loaded before the page's own map
   script, which calls window.crossriskMapTools once its map exists. */
(function () {
  "use strict";
  const configElement = document.getElementById("map-config");
  if (!configElement) {
    return;
  }
  const config = JSON.parse(configElement.textContent);
  const texts = config.texts;
  const chinese = config.lang.indexOf("zh") === 0;
  const SEARCH_DELAY_MS = 250;
  // Rivers lie above the city polygons (overlayPane, 400) and below risks (450).
  const RIVER_PANE_Z = "410";

  function cr() {
    return window.crossrisk;
  }

  function urlFor(template, region) {
    return template.replace("{region}", encodeURIComponent(region));
  }

  // The region of a map whose page only gives its boundaries' URL (the reach map).
  function regionOf(boundariesUrl) {
    const found = /\/api\/regions\/([^/]+)\//.exec(boundariesUrl || "");
    return found ? decodeURIComponent(found[1]) : "";
  }

  /* A county found by the search says its city too, since names repeat across cities:
     "屯溪区（黄山市）", "Tunxi District (Huangshan)". */
  function nameOf(properties) {
    const name = chinese ? properties.name_zh : (properties.name_en || properties.name_zh);
    if (!properties.city_zh) {
      return name;
    }
    if (chinese) {
      return name + "（" + properties.city_zh + "）";
    }
    // A city told apart by its province ("Suzhou (Anhui)") reads "Suzhou, Anhui" inside brackets.
    const city = (properties.city_en || properties.city_zh).replace(/ \((.+)\)$/, ", $1");
    return name + " (" + city + ")";
  }

  function format(template, values) {
    return Object.keys(values).reduce(function (result, key) {
      return result.split("%(" + key + ")s").join(values[key]);
    }, template);
  }

  function stopEvents(element) {
    L.DomEvent.disableClickPropagation(element);
    L.DomEvent.disableScrollPropagation(element);
  }

  function control(map, position, build) {
    const made = L.control({ position: position });
    made.onAdd = function () {
      const element = build();
      stopEvents(element);
      return element;
    };
    made.addTo(map);
    return made;
  }

  /* The region's rivers as blue lines named on hover, with a check box to hide them. */
  function addRivers(map, region) {
    if (!map.getPane("rivers")) {
      map.createPane("rivers").style.zIndex = RIVER_PANE_Z;
    }
    const container = map.getContainer();
    const layer = L.layerGroup().addTo(map);
    let asked = 0;

    function load(code) {
      const mine = ++asked;
      layer.clearLayers();
      delete container.dataset.rivers;
      cr().fetchJson(urlFor(config.riversUrl, code))
        .then(function (collection) {
          if (mine !== asked) {
            return;
          }
          draw(collection);
        })
        .catch(function () {
          // A region that ships no river network answers 404: the map simply has none.
          container.dataset.rivers = "none";
        });
    }

    function draw(collection) {
      L.geoJSON(collection, {
        pane: "rivers",
        style: function () {
          return { color: "#2b7bd0", weight: 2.5, opacity: 0.9, className: "river" };
        },
        onEachFeature: function (feature, line) {
          line.bindTooltip(cr().text(nameOf(feature.properties)), {
            sticky: true,
            className: "river-name",
          });
        },
      }).addTo(layer);
      container.dataset.rivers = "ready";
    }

    load(region);
    control(map, "topright", function () {
      const box = cr().element("input", { type: "checkbox", class: "rivers-toggle" });
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) {
          layer.addTo(map);
        } else {
          map.removeLayer(layer);
        }
      });
      return cr().element("label", { class: "map-control map-layer-toggle" }, [box, " " + texts.rivers]);
    });
    return { layer: layer, load: load };
  }

  /* A search box for the region's cities, counties, gauges and rivers; choosing one flies there.
     region() names the region to search (the picker's changes with its select). */
  function placeSearch(map, region, onChoose) {
    const container = map.getContainer();
    const input = cr().element("input", {
      type: "search",
      class: "place-search-input",
      maxlength: String(config.queryMax),
      placeholder: texts.searchPlaces,
      "aria-label": texts.searchPlaces,
      autocomplete: "off",
    });
    const results = cr().element("ul", { class: "place-results", role: "listbox" });
    let found = [];
    let asked = 0;
    let timer = null;

    function choose(place) {
      found = [];
      results.replaceChildren();
      input.value = nameOf(place);
      const west = place.bounds[0];
      const south = place.bounds[1];
      const east = place.bounds[2];
      const north = place.bounds[3];
      map.once("moveend", function () {
        container.dataset.place = place.kind + ":" + place.code;
      });
      if (east - west < 1e-6 && north - south < 1e-6) {
        map.flyTo([place.lat, place.lon], Math.max(map.getZoom(), 11), { duration: 0.5 });
      } else {
        map.flyToBounds([[south, west], [north, east]], { padding: [16, 16], maxZoom: 11, duration: 0.5 });
      }
      if (onChoose) {
        onChoose(place);
      }
    }

    function show(places) {
      found = places;
      const items = places.map(function (place) {
        const button = cr().element("button", { type: "button", "data-place": place.kind + ":" + place.code }, [
          nameOf(place) + " ",
          cr().element("span", { class: "place-kind" }, [texts.kinds[place.kind] || place.kind]),
        ]);
        button.addEventListener("click", function (event) {
          // Choosing empties the list, so Leaflet could no longer tell that the click was
          // on its control and would take it for a click on the map: it must not see it.
          L.DomEvent.stopPropagation(event);
          choose(place);
        });
        return cr().element("li", { role: "option" }, [button]);
      });
      results.replaceChildren.apply(results, items.length ? items : [
        cr().element("li", { class: "muted" }, [texts.noPlaces]),
      ]);
    }

    // Enter chooses the first place found, once the answer for what was typed is in.
    function search(chooseFirst) {
      const query = input.value.trim().slice(0, config.queryMax);
      const mine = ++asked;
      if (!query) {
        show([]);
        results.replaceChildren();
        return;
      }
      const url = urlFor(config.placesUrl, region()) + "?q=" + encodeURIComponent(query);
      cr().fetchJson(url)
        .then(function (places) {
          if (mine !== asked) {  // an older answer must not replace a newer one
            return;
          }
          show(places);
          if (chooseFirst && places.length) {
            choose(places[0]);
          }
        })
        .catch(function () {
          if (mine === asked) {
            results.replaceChildren(cr().element("li", { class: "muted" }, [texts.searchFailed]));
          }
        });
    }

    input.addEventListener("input", function () {
      found = [];  // the list shown is for what was typed before
      clearTimeout(timer);
      timer = setTimeout(function () {
        search(false);
      }, SEARCH_DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // inside a form, Enter would submit it
        clearTimeout(timer);
        if (found.length) {
          choose(found[0]);
        } else {
          search(true);
        }
      } else if (event.key === "Escape") {
        input.value = "";
        results.replaceChildren();
      }
    });
    control(map, "topright", function () {
      return cr().element("div", { class: "map-control place-search", role: "search" }, [input, results]);
    });
    return { input: input, choose: choose };
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function inside(box, frame) {
    return box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;
  }

  /* Labels placed at given points, the first given first: a label that would overlap one
     already shown is hidden until zooming in makes room for it, and so is one cut by the
     map's edge (half a name reads as another name). */
  function declutter(map, tooltips) {
    function pass() {
      const frame = map.getContainer().getBoundingClientRect();
      const shown = [];
      tooltips.forEach(function (tooltip) {
        const element = tooltip.getElement();
        if (!element) {
          return;
        }
        element.classList.remove("label-hidden");
        const box = element.getBoundingClientRect();
        if (!inside(box, frame) || shown.some(function (other) { return overlaps(box, other); })) {
          element.classList.add("label-hidden");
        } else {
          shown.push(box);
        }
      });
      map.getContainer().dataset.labels = "placed";
    }
    // Leaflet moves labels on "viewreset", after "moveend" when the view is set without
    // animation: the pass waits until every handler of the change has run.
    let queued = false;
    function later() {
      if (!queued) {
        queued = true;
        setTimeout(function () {
          queued = false;
          pass();
        }, 0);
      }
    }
    map.on("zoomend moveend viewreset resize", later);
    pass();
    return later;
  }

  /* Each city's name at its label point (inside its largest part, computed by the server),
     the own city and then the most populous first where labels would collide. */
  function cityLabels(map, features, own) {
    const ordered = features
      .filter(function (feature) {
        return Array.isArray(feature.properties.label);
      })
      .sort(function (a, b) {
        const ownA = a.properties.code === own ? 0 : 1;
        const ownB = b.properties.code === own ? 0 : 1;
        return ownA - ownB || (b.properties.population || 0) - (a.properties.population || 0);
      });
    const tooltips = ordered.map(function (feature) {
      const at = feature.properties.label;
      const tooltip = L.tooltip({ permanent: true, direction: "center", className: "city-label" })
        .setLatLng([at[1], at[0]])
        .setContent(cr().text(nameOf(feature.properties)))
        .addTo(map);
      tooltip.getElement().dataset.code = feature.properties.code;
      return tooltip;
    });
    const pass = declutter(map, tooltips);
    return {
      remove: function () {
        map.off("zoomend moveend viewreset resize", pass);
        tooltips.forEach(function (tooltip) {
          map.removeLayer(tooltip);
        });
      },
    };
  }

  window.crossriskMapTools = {
    config: config,
    texts: texts,
    format: format,
    urlFor: urlFor,
    regionOf: regionOf,
    nameOf: nameOf,
    addRivers: addRivers,
    placeSearch: placeSearch,
    cityLabels: cityLabels,
    declutter: declutter,
  };
})();
