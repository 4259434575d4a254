/* Mutual aid's maps over the member cities, drawn as the regional map draws them.
   On the stocks page: each city's usable stock of the chosen item as a circle whose area
   is the quantity (dashed when some of it is stale), and a square per warehouse; the data
   come from /api/aid/stock-map, which counts only what the reader may see. On the
   shortfall page: each city shaded by how much of its need its own stock leaves unmet,
   from the data the page carries. Texts come from the page, in its language. */
(function () {
  "use strict";
  const cr = window.crossrisk;
  const configElement = document.getElementById("aid-map-data");
  if (!configElement || !cr) {
    return;
  }
  const data = JSON.parse(configElement.textContent);
  const texts = data.texts;
  const container = document.getElementById(data.container);
  if (!container || !cr.hasLeaflet(container, texts.noMapLibrary)) {
    return;
  }
  const tools = window.crossriskMapTools;
  const numbers = new Intl.NumberFormat(data.lang, { maximumFractionDigits: 1 });
  const map = cr.newMap(container);
  // Above the city polygons (overlayPane, 400) and rivers (410); below tooltips (650).
  map.createPane("aid-circles").style.zIndex = "430";
  map.createPane("aid-warehouses").style.zIndex = "440";
  const MAX_RADIUS = 28;
  const MIN_RADIUS = 5;
  const SHADES = { "no-need": "#f8f7f2", none: "#cfe8d4", some: "#f6c36b", most: "#d9534f" };

  function format(template, values) {
    return tools ? tools.format(template, values) : template;
  }

  function cityName(properties) {
    return cr.cityName(properties, data.lang);
  }

  function facts(pairs) {
    const items = [];
    pairs.forEach(function (pair) {
      items.push(cr.element("dt", {}, [pair[0]]));
      items.push(cr.element("dd", {}, pair[1]));
    });
    return cr.element("dl", { class: "aid-map-popup" }, items);
  }

  function staleBadge() {
    return cr.element("span", { class: "badge stale-badge" }, [texts.stale]);
  }

  function drawCities(collection, style) {
    const byCode = {};
    const cities = L.geoJSON(collection, {
      style: function (feature) {
        return style(feature.properties.code);
      },
      onEachFeature: function (feature, layer) {
        byCode[feature.properties.code] = { feature: feature, layer: layer };
      },
    }).addTo(map);
    map.fitBounds(cities.getBounds(), { padding: [8, 8], animate: false });
    if (tools) {
      tools.addRivers(map, data.region);
      tools.cityLabels(map, collection.features, data.ownJurisdiction);
    }
    Object.keys(byCode).forEach(function (code) {
      const element = byCode[code].layer.getElement();
      if (element) {
        element.setAttribute("data-code", code);
      }
    });
    return byCode;
  }

  function loadCities(style) {
    return cr.fetchJson(data.boundariesUrl)
      .then(function (collection) {
        return drawCities(collection, style);
      })
      .catch(function (problem) {
        container.classList.add("map-missing");
        container.textContent = texts.loadFailed;
        throw problem;
      });
  }

  /* ---- The stocks page ---- */

  function stockMap() {
    const picker = document.getElementById("stock-map-item");
    const status = document.getElementById("stock-map-status");
    const circles = L.layerGroup().addTo(map);
    const warehouses = L.layerGroup().addTo(map);
    let cities = {};
    let asked = 0;

    function amount(quantity, unit) {
      return numbers.format(quantity) + " " + unit;
    }

    function unitOf(code) {
      const option = picker ? picker.querySelector('option[value="' + code + '"]') : null;
      return option ? option.getAttribute("data-unit") || "" : "";
    }

    function cityFacts(city, unit) {
      const total = [amount(city.quantity, unit)];
      const records = [format(texts.records, { count: String(city.records) })];
      if (city.stale_records > 0) {
        records.push(" ");
        records.push(cr.element("span", { class: "stale-count" }, [
          format(texts.staleRecords, { count: String(city.stale_records) }),
        ]));
      }
      return cr.element("div", {}, [
        cr.element("strong", {}, [data.lang.indexOf("zh") === 0 ? city.name_zh : city.name_en]),
        facts([[texts.total, total], ["", records]]),
      ]);
    }

    function warehouseFacts(point, unit, city) {
      const name = [point.name];
      if (point.stale) {
        name.push(staleBadge());
      }
      return cr.element("div", {}, [
        cr.element("strong", {}, name),
        facts([
          [texts.total, [amount(point.quantity, unit)]],
          ["", [city ? (data.lang.indexOf("zh") === 0 ? city.name_zh : city.name_en) : point.jurisdiction]],
          ["", [format(texts.records, { count: String(point.records) })]],
        ]),
      ]);
    }

    function draw(answer) {
      circles.clearLayers();
      warehouses.clearLayers();
      const unit = unitOf(answer.item) || answer.unit || "";
      const byCode = {};
      const largest = answer.cities.reduce(function (most, city) {
        return Math.max(most, city.quantity);
      }, 0);
      answer.cities.forEach(function (city) {
        byCode[city.jurisdiction] = city;
        const shape = cities[city.jurisdiction];
        if (shape) {
          shape.layer.unbindTooltip();
          shape.layer.bindTooltip(city.quantity > 0 || city.records > 0
            ? cityFacts(city, unit)
            : cr.element("div", {}, [cr.element("strong", {}, [cityName(shape.feature.properties)]), " · " + texts.noStock]),
          { sticky: true });
        }
        if (!(city.quantity > 0)) {
          return;
        }
        // The circle's area, not its radius, grows with the quantity.
        const radius = Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(city.quantity / largest));
        const stale = city.stale_records > 0;
        const circle = L.circleMarker([city.lat, city.lon], {
          pane: "aid-circles",
          radius: radius,
          color: stale ? "#b56a00" : "#163a6b",
          weight: 2,
          dashArray: stale ? "4 3" : null,
          fillColor: "#2f6db5",
          fillOpacity: 0.55,
          className: stale ? "stock-circle stock-circle-stale" : "stock-circle",
        });
        circle.bindTooltip(cityFacts(city, unit));
        circles.addLayer(circle);
        circle.getElement().setAttribute("data-code", city.jurisdiction);
      });
      answer.warehouses.forEach(function (point) {
        const marker = L.marker([point.lat, point.lon], {
          pane: "aid-warehouses",
          icon: L.divIcon({
            className: point.stale ? "warehouse-marker warehouse-stale" : "warehouse-marker",
            iconSize: [12, 12],
          }),
          title: point.name,
        });
        marker.bindTooltip(cr.text(point.name + " · " + amount(point.quantity, unit)));
        marker.bindPopup(warehouseFacts(point, unit, byCode[point.jurisdiction]));
        warehouses.addLayer(marker);
        marker.getElement().setAttribute("data-jurisdiction", point.jurisdiction);
      });
      status.textContent = largest > 0 ? "" : texts.noStockAnywhere;
      container.dataset.item = answer.item || "";
      container.dataset.ready = "true";
    }

    function load(item) {
      const mine = ++asked;
      delete container.dataset.ready;
      status.textContent = texts.loading;
      let url = data.dataUrl + "?region=" + encodeURIComponent(data.region);
      if (item) {
        url += "&item=" + encodeURIComponent(item);
      }
      cr.fetchJson(url)
        .then(function (answer) {
          if (mine !== asked) {
            return;  // an older answer must not replace a newer one
          }
          if (picker && answer.item) {
            picker.value = answer.item;
          }
          draw(answer);
        })
        .catch(function () {
          if (mine === asked) {
            status.textContent = texts.stocksFailed;
          }
        });
    }

    loadCities(function (code) {
      return cr.cityStyle(code === data.ownJurisdiction);
    }).then(function (drawn) {
      cities = drawn;
      // The item asked for in the page's filter, or the first item some city holds.
      load(data.item);
    }, function () {});
    if (picker) {
      picker.addEventListener("change", function () {
        load(picker.value);
      });
    }
  }

  /* ---- The shortfall page ---- */

  function shortfallMap() {
    const picker = document.getElementById("shortfall-map-item");
    let cities = {};

    function entryOf(item) {
      return data.items.find(function (entry) {
        return entry.item === item;
      });
    }

    function shadeOf(entry, code) {
      const line = entry && entry.cities[code];
      return line ? line.shade : "no-need";
    }

    function styleOf(entry, code) {
      const style = cr.cityStyle(code === data.ownJurisdiction);
      style.fillColor = SHADES[shadeOf(entry, code)];
      style.fillOpacity = 0.85;
      return style;
    }

    function lineFacts(line, unit) {
      const name = [line.name];
      if (line.stale) {
        name.push(staleBadge());
      }
      return cr.element("div", {}, [
        cr.element("strong", {}, name),
        facts([
          [texts.need, [numbers.format(line.need) + " " + unit]],
          [texts.stock, [numbers.format(line.stock) + " " + unit]],
          [texts.shortfall, [numbers.format(line.shortfall) + " " + unit]],
          ["", [texts.shades[line.shade]]],
        ]),
      ]);
    }

    function shade(item) {
      const entry = entryOf(item);
      Object.keys(cities).forEach(function (code) {
        const layer = cities[code].layer;
        layer.setStyle(styleOf(entry, code));
        const element = layer.getElement();
        if (element) {
          element.setAttribute("data-shade", shadeOf(entry, code));
        }
        layer.unbindTooltip();
        layer.unbindPopup();
        const line = entry && entry.cities[code];
        if (line) {
          // A short line on hover; the figures on a click (or a tap, on a phone).
          layer.bindTooltip(cr.text(line.name + " · " + texts.shades[line.shade]), { sticky: true });
          layer.bindPopup(lineFacts(line, entry.unit));
        } else {
          layer.bindTooltip(cr.text(cityName(cities[code].feature.properties)), { sticky: true });
        }
      });
      container.dataset.item = item || "";
      container.dataset.ready = "true";
    }

    loadCities(function (code) {
      return styleOf(entryOf(data.item), code);
    }).then(function (drawn) {
      cities = drawn;
      Object.keys(cities).forEach(function (code) {
        const layer = cities[code].layer;
        layer.on("popupopen", function () {
          layer.closeTooltip();
        });
      });
      shade(data.item);
    }, function () {});
    if (picker) {
      picker.addEventListener("change", function () {
        shade(picker.value);
      });
    }
  }

  if (data.map === "stock") {
    stockMap();
  } else if (data.map === "shortfall") {
    shortfallMap();
  }
})();
