/* PCN Desktop map behaviour, inlined into every map the app writes.
 *
 * - Clicking a practice, a network or an assigned small area calls
 *   pcnBridge.select(kind, code) on the Python side when the page runs inside the app
 *   (QtWebEngine with a QWebChannel that registers an object named "pcnBridge").
 *   kind is "practice" (code = ODS code), "network" (code = the network's ODS code, or its
 *   name when it has none) or "area" (an unassigned small area's code).
 * - In a plain browser there is no `qt` object, so nothing is loaded and clicks only
 *   record window.pcnLastSelection: the same file works offline anywhere.
 * - Python can call pcnFocus(kind, code) to zoom to a practice or network, and
 *   pcnCounts() to see what was drawn.
 * - pcnBuild(elementId, spec) draws the page reports/map_html.py writes: spec holds the
 *   view, an optional tile layer and the overlays (GeoJSON with each feature's style in
 *   properties.style, the tooltip's fields and labels), then calls pcnInstall.
 */
(function (global) {
  "use strict";
  var bridge = null;
  var queued = [];

  function send(kind, code) {
    global.pcnLastSelection = { kind: kind, code: code };
    if (bridge) {
      bridge.select(kind, code);
    } else if (global.qt && global.qt.webChannelTransport) {
      queued.push([kind, code]);          // the channel is still connecting
    }
  }

  function connectQt() {
    if (!(global.qt && global.qt.webChannelTransport)) {
      return;                             // a plain browser: no bridge, no qrc: fetch
    }
    function open() {
      new global.QWebChannel(global.qt.webChannelTransport, function (channel) {
        bridge = channel.objects.pcnBridge || null;
        global.pcnBridgeReady = bridge !== null;
        if (bridge) {
          queued.splice(0).forEach(function (q) { bridge.select(q[0], q[1]); });
        }
      });
    }
    if (typeof global.QWebChannel === "function") {
      open();
      return;
    }
    // Qt serves qwebchannel.js from its own resources, inside QtWebEngine only.
    var s = document.createElement("script");
    s.src = "qrc:///qtwebchannel/qwebchannel.js";
    s.onload = open;
    document.head.appendChild(s);
  }

  function eachFeatureLayer(fn) {
    var layers = global.pcnLayers || {};
    Object.keys(layers).forEach(function (name) {
      layers[name].eachLayer(function (layer) { fn(layer, name); });
    });
  }

  // A pane in the app is small: there the layer list and the key start folded so the
  // map itself shows; a full browser page has room to show them open.
  function roomy(map) {
    var size = map.getSize();
    return size.y >= 700 && size.x >= 900;   // 0 x 0: a view not yet shown, i.e. the app
  }

  function addLegend(map, html) {
    if (!html) { return; }
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "pcn-legend");
      var title = L.DomUtil.create("button", "pcn-legend-title", div);
      title.type = "button";
      title.textContent = "Key";
      title.title = "Show or hide the key";
      var body = L.DomUtil.create("div", "pcn-legend-body", div);
      body.innerHTML = html;
      if (!roomy(map)) { L.DomUtil.addClass(div, "folded"); }
      L.DomEvent.on(title, "click", function () {
        if (L.DomUtil.hasClass(div, "folded")) { L.DomUtil.removeClass(div, "folded"); }
        else { L.DomUtil.addClass(div, "folded"); }
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
  }

  // A view loaded before it is shown has no size yet, and fitting bounds into 0 x 0 px
  // gives NaN coordinates; wait for the first real size instead (the window's resize event,
  // with a poll as a fallback). window.pcnFitPending tells Python the view is not final yet.
  function fitWhenSized(map, bounds) {
    // No animation: the opening view is where the map starts, not a journey to watch.
    var size = map.getSize();
    if (size.x > 0 && size.y > 0) {
      map.fitBounds(bounds, { padding: [16, 16], animate: false });
      return;
    }
    function tryFit() {
      map.invalidateSize(false);
      var s = map.getSize();
      if (s.x > 0 && s.y > 0) {
        cancelPendingFit();
        map.fitBounds(bounds, { padding: [16, 16], animate: false });
      }
    }
    global.pcnFitPending = true;
    pendingFit = { timer: setInterval(tryFit, 100), onResize: tryFit };
    global.addEventListener("resize", tryFit);
  }

  var pendingFit = null;
  function cancelPendingFit() {
    if (pendingFit !== null) {
      clearInterval(pendingFit.timer);
      global.removeEventListener("resize", pendingFit.onResize);
      pendingFit = null;
    }
    global.pcnFitPending = false;
  }

  // Circle radii are pixels: right for a CCG, a carpet over a whole region. Below the
  // zoom a CCG is seen at, shrink them by half for every two levels out (never below 1.5).
  var FULL_SIZE_ZOOM = 11;
  function scaleCircles(map, layers) {
    var factor = Math.min(1, Math.max(0.15, Math.pow(2, (map.getZoom() - FULL_SIZE_ZOOM) / 2)));
    ["practices", "findings"].forEach(function (name) {
      if (!layers[name]) { return; }
      layers[name].eachLayer(function (layer) {
        var s = layer.feature && layer.feature.properties.style;
        if (s && s.radius && layer.setRadius) {
          layer.setRadius(Math.max(1.5, s.radius * factor));
        }
      });
    });
  }

  // Leaflet's own CircleMarker defaults, which each practice's properties.style overrides.
  var CIRCLE = { radius: 10, color: "#3388ff", weight: 3, opacity: 1.0, fill: false,
                 fillColor: "#3388ff", fillOpacity: 0.2 };

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function tooltipTable(fields, aliases) {
    return function (layer) {
      var p = (layer.feature && layer.feature.properties) || {};
      var rows = fields.map(function (field, i) {
        var v = p[field];
        v = v === null || v === undefined ? "" : (typeof v === "object" ? JSON.stringify(v) : v);
        return "<tr><th>" + escapeHtml(aliases[i]) + "</th><td>" + escapeHtml(v) + "</td></tr>";
      });
      var div = L.DomUtil.create("div");
      div.innerHTML = "<table>" + rows.join("") + "</table>";
      return div;
    };
  }

  function overlay(spec) {
    var shared = spec.style || {};
    var options = {
      smoothFactor: 0.5,
      // the layer's shared style first, then the feature's own
      style: function (f) { return L.extend({}, shared, f.properties && f.properties.style); }
    };
    if (spec.interactive === false) { options.interactive = false; }
    if (spec.marker) {
      options.pointToLayer = function (f, latlng) { return L.circleMarker(latlng, L.extend({}, CIRCLE)); };
    }
    var layer = L.geoJson(spec.data, options);
    if (spec.fields) {
      layer.bindTooltip(tooltipTable(spec.fields, spec.aliases),
                        { sticky: !!spec.sticky, className: "pcn-tooltip" });
    }
    return layer;
  }

  global.pcnBuild = function (elementId, spec) {
    var view = spec.view;
    var map = L.map(elementId, { zoomControl: true, zoomSnap: view.zoomSnap, preferCanvas: !!view.preferCanvas });
    // Start at the fitted view when the page already has a size, so the layers are drawn
    // once, where they stay (pcnInstall's own fit is then no change); else at the centre.
    var size = map.getSize();
    var bounds = spec.install && spec.install.bounds;
    if (bounds && size.x > 0 && size.y > 0) {
      map.fitBounds(bounds, { padding: [16, 16], animate: false });
    } else {
      map.setView(view.center, view.zoom);
    }
    var bases = {}, overlays = {}, layers = {};
    if (spec.tiles) {
      bases[spec.tiles.name] = L.tileLayer(spec.tiles.url, { attribution: spec.tiles.attribution,
                                                             maxZoom: spec.tiles.maxZoom }).addTo(map);
    }
    spec.layers.forEach(function (s) {
      layers[s.key] = overlay(s).addTo(map);
      overlays[s.name] = layers[s.key];
    });
    L.control.layers(bases, overlays, { position: "topright", collapsed: !roomy(map), autoZIndex: true }).addTo(map);
    global.pcnInstall(map, layers, spec.install);
    return map;
  };

  global.pcnInstall = function (map, layers, options) {
    options = options || {};
    global.pcnMap = map;
    global.pcnLayers = layers;
    if (map.attributionControl) {
      map.attributionControl.setPrefix("Leaflet");   // no outbound link inside the app
    }
    ["areas", "networks", "findings", "practices"].forEach(function (name) {
      if (!layers[name]) { return; }
      layers[name].on("click", function (e) {
        var layer = e.propagatedFrom || e.layer;
        var p = layer && layer.feature && layer.feature.properties;
        if (p && p.kind && p.code) { send(p.kind, p.code); }
      });
    });
    map.on("zoomend", function () { scaleCircles(map, layers); });
    L.control.scale({ imperial: false }).addTo(map);
    addLegend(map, options.legendHtml);
    if (options.bounds) {
      fitWhenSized(map, options.bounds);
    }
    connectQt();
  };

  global.pcnFocus = function (kind, code) {
    cancelPendingFit();                   // a view asked for wins over the opening fit
    if (global.pcnMap.getSize().x === 0) { global.pcnMap.invalidateSize(false); }
    // A network's own outline when drawn; else everything carrying its code (the small
    // areas assigned to it), so the view covers the whole network, not its first area.
    // No animation: Leaflet ignores a new view asked for while a zoom is still animating.
    var own = null, bounds = null, point = null;
    eachFeatureLayer(function (layer, name) {
      var p = layer.feature && layer.feature.properties;
      if (!p || p.kind !== kind || p.code !== code || name === "findings") { return; }
      if (name === "networks" || name === "practices") { own = own || layer; }
      if (layer.getBounds) {
        bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
      } else {
        point = point || layer;
      }
    });
    var target = own || point;
    if (own && own.getBounds) {
      global.pcnMap.fitBounds(own.getBounds(), { padding: [16, 16], animate: false });
    } else if (own || (point && !bounds)) {
      global.pcnMap.setView(target.getLatLng(), Math.max(global.pcnMap.getZoom(), 13), { animate: false });
    } else if (bounds) {
      global.pcnMap.fitBounds(bounds, { padding: [16, 16], animate: false });
    } else {
      return false;
    }
    if (target && target.openTooltip) { target.openTooltip(); }
    return true;
  };

  global.pcnCounts = function () {
    var counts = { polygons: 0, lines: 0, circles: 0 };
    if (!global.pcnMap) { return counts; }
    global.pcnMap.eachLayer(function (layer) {
      if (layer instanceof L.Polygon) { counts.polygons += 1; }
      else if (layer instanceof L.Polyline) { counts.lines += 1; }
      else if (layer instanceof L.CircleMarker) { counts.circles += 1; }
    });
    return counts;
  };

  // After restyling circles from their properties.style (full-size radii), call this to
  // shrink them back to the current zoom.
  global.pcnRescale = function () {
    if (global.pcnMap) { scaleCircles(global.pcnMap, global.pcnLayers || {}); }
  };

  global.pcnSelect = send;   // lets a test (or a keyboard shortcut) select without a mouse
}(window));
