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
 * - pcnBuild(map, groups, control, spec) fills the folium page reports/map_folium.py makes:
 *   map is folium's Map, groups its FeatureGroups by layer key (plus "labels" and "search"),
 *   control its layer control; spec holds the view and the overlays (GeoJSON with each
 *   feature's style in properties.style, the tooltip's fields and labels), the network
 *   names (label points, list sizes, badges) and the key, then calls pcnInstall.
 * - pcnUpdate(u) restyles the practices and networks an edit touched (see ui/map_updates.py).
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

  // The key starts open wherever it leaves the map room (a laptop's map pane included);
  // only a tiny view starts with it folded. The layer list opens on big views only.
  function roomy(map) {
    var size = map.getSize();
    return size.y >= 560 && size.x >= 760;   // 0 x 0: a view not yet shown
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
        if (global.pcnPlaceLabels) { global.pcnPlaceLabels(); }
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
  }

  // How a view is fitted to bounds. No animation: the opening view is where the map starts,
  // not a journey to watch (and Leaflet ignores a view asked for mid-animation). With no tile
  // layer the map has no greatest zoom, so bounds of no size (one practice, or every practice
  // at one postcode) asked for an infinite zoom and drew nothing: the fit stops at streets.
  // (A fresh object each time: Leaflet's setView writes into the options it is given.)
  function fit() { return { padding: [16, 16], animate: false, maxZoom: 15 }; }

  // A view loaded before it is shown has no size yet, and fitting bounds into 0 x 0 px
  // gives NaN coordinates; wait for the first real size instead (the window's resize event,
  // with a poll as a fallback). window.pcnFitPending tells Python the view is not final yet.
  function fitWhenSized(map, bounds) {
    var size = map.getSize();
    if (size.x > 0 && size.y > 0) {
      map.fitBounds(bounds, fit());
      return;
    }
    function tryFit() {
      map.invalidateSize(false);
      var s = map.getSize();
      if (s.x > 0 && s.y > 0) {
        cancelPendingFit();
        map.fitBounds(bounds, fit());
      }
    }
    global.pcnFitPending = true;
    pendingFit = { timer: setInterval(tryFit, 100), onResize: tryFit };
    global.addEventListener("resize", tryFit);
  }

  // The app may make the map before its view has shown, in a page with no size yet: it then
  // holds the map's box at the size the view is expected to have, so Leaflet lays the map
  // out once, at the size it will be seen at. The page's first real size ends the hold; if
  // that size is not the one held, the map is fitted again. window.pcnSizeHeld tells Python
  // the map is not final yet.
  global.pcnHoldSize = function (width, height) {
    var box = document.querySelector(".folium-map");
    if (!box || (global.innerWidth > 0 && global.innerHeight > 0) || !(width > 0 && height > 0)) {
      return false;
    }
    box.style.width = width + "px";
    box.style.height = height + "px";
    global.pcnSizeHeld = true;
    function release() {
      if (!(global.innerWidth > 0 && global.innerHeight > 0)) { return; }
      global.removeEventListener("resize", release);
      box.style.width = "";
      box.style.height = "";
      global.pcnSizeHeld = false;
      var map = global.pcnMap;
      if (!map) { return; }
      var held = map.getSize();
      map.invalidateSize(false);
      var size = map.getSize();
      var bounds = global.pcnSpec && global.pcnSpec.install && global.pcnSpec.install.bounds;
      if (bounds && (size.x !== held.x || size.y !== held.y)) {
        map.fitBounds(bounds, fit());
      }
      // names placed again now that every control is in: the placing deferred to after
      // them (buildLabels) waits on a timer, which a page not yet shown may run late
      if (global.pcnPlaceLabels) { global.pcnPlaceLabels(); }
    }
    global.addEventListener("resize", release);
    return true;
  };

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

  // --- network names: those with a badge (a governance error) first, then largest first,
  // each at its label point or, where that overlaps a name already placed, nudged a little
  // above, below or beside it; a name that fits nowhere near (or falls outside the view) is
  // left out, so zoomed out only the networks with a problem and the biggest are named ---
  // offsets tried, in a name's own widths and heights (with its margin): clear of a name of
  // its size on a spot a few pixels away: above or below it, half its width aside, or both
  var NUDGES = [[0, 0], [0, -1.2], [0, 1.2], [-0.5, 0], [0.5, 0], [-0.5, -1.2], [0.5, -1.2], [-0.5, 1.2], [0.5, 1.2]];
  // further off, for a network with an outline (the name is kept inside it): a big area
  // whose middle is crowded is still named somewhere in its open part
  var FAR_NUDGES = NUDGES.concat([[-1, 0], [1, 0], [0, -2.4], [0, 2.4], [-1, -1.2], [1, -1.2], [-1, 1.2], [1, 1.2],
                                  [-1.5, 0], [1.5, 0], [0, -3.6], [0, 3.6]]);
  var labels = [];
  var placing = null;            // the labels in placing order; null once an edit may change it
  function labelHtml(l) {
    var badge = l.badge ? '<span class="pcn-badge" title="' + escapeHtml(l.badge) + '">' +
      escapeHtml(l.badge) + "</span>" : "";
    return '<div class="pcn-label-box"><b>' + escapeHtml(l.name) + "</b><br>" +
      escapeHtml(l.size) + badge + "</div>";
  }
  function buildLabels(map, group, specs) {
    if (!group || !specs) { return; }
    specs.forEach(function (l) {
      var icon = L.divIcon({ className: "pcn-label", html: labelHtml(l), iconSize: null });
      var marker = L.marker([l.lat, l.lng], { icon: icon, interactive: false, keyboard: false });
      marker.pcnLabel = l;
      labels.push(marker);
      placing = null;
      group.addLayer(marker);
    });
    global.pcnLabelIndex = {};
    labels.forEach(function (m) { global.pcnLabelIndex[m.pcnLabel.id] = m; });
    map.on("zoomend moveend resize", function () { placeLabels(map); });
    global.pcnPlaceLabels = function () { placeLabels(map); };
    placeLabels(map);
    // again once the rest of the page's script has added its controls (they are obstacles)
    setTimeout(function () { placeLabels(map); }, 0);
  }
  // Sizes are read once per label text (all shown, then all read: one layout), never in
  // the placing loop, where a read after each write would lay the page out per label.
  function measure(list) {
    list.forEach(function (m) { var el = m.getElement && m.getElement(); if (el) { el.style.display = ""; } });
    list.forEach(function (m) {
      var el = m.getElement && m.getElement();
      if (el) { m.pcnW = el.firstChild.offsetWidth; m.pcnH = el.firstChild.offsetHeight; }
    });
  }
  // A name nudged off its own spot must still stand inside its network's outline: beside
  // it, over a neighbour, it names the neighbour's area. (A network drawn only by its
  // practices has no outline to keep to.)
  function inRing(ring, x, y) {
    var hit = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { hit = !hit; }
    }
    return hit;
  }
  function insideOutline(geometry, lng, lat) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] :
      geometry.type === "MultiPolygon" ? geometry.coordinates : null;
    if (!polygons) { return true; }
    return polygons.some(function (rings) {
      // inside the outer ring and no hole, or inside a hole's island: crossings counted over all rings
      return rings.reduce(function (hit, ring) { return inRing(ring, lng, lat) ? !hit : hit; }, false);
    });
  }
  // the outline with its bounds, found once per name (outlines change only with a new page):
  // a spot outside the bounds is turned down without walking the outline's points
  function outlineOf(m) {
    if (m.pcnOutline !== undefined) { return m.pcnOutline; }
    var layers = global.pcnLayers;
    if (!layers || !layers.networks) { return null; }      // asked again once the layers are in
    var net = updateIndex(layers).nets[m.pcnLabel.id];
    var geometry = net && net.feature && net.feature.geometry;
    m.pcnOutline = geometry && (geometry.type === "Polygon" || geometry.type === "MultiPolygon") ?
      { geometry: geometry, bounds: net.getBounds() } : null;
    return m.pcnOutline;
  }
  function placingOrder(a, b) {
    var l = a.pcnLabel, r = b.pcnLabel;
    return (r.badge ? 1 : 0) - (l.badge ? 1 : 0) || (r.list_size || 0) - (l.list_size || 0) ||
      (l.name < r.name ? -1 : l.name > r.name ? 1 : 0);
  }
  function placeLabels(map) {
    var size = map.getSize();
    // the map's own controls (zoom, search, key...) are taken: no name goes under one
    var box = map.getContainer().getBoundingClientRect();
    var placed = Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control"), function (c) {
      var r = c.getBoundingClientRect();
      return { x0: r.left - box.left, y0: r.top - box.top, x1: r.right - box.left, y1: r.bottom - box.top };
    }).filter(function (r) { return r.x1 > r.x0 && r.y1 > r.y0; });
    var shown = 0;
    var unmeasured = labels.filter(function (m) { return m.pcnW === undefined; });
    if (unmeasured.length) { measure(unmeasured); }
    // a badge that thinning left out would hide the finding it stands for; the order is taken
    // again after an edit, which can give a network a badge or take one away
    if (!placing) { placing = labels.slice().sort(placingOrder); }
    placing.forEach(function (m) {
      var el = m.getElement && m.getElement();
      if (!el) { return; }
      var p = map.latLngToContainerPoint(m.getLatLng());
      var w = m.pcnW || 0, h = m.pcnH || 0;
      var spot = null, outline = outlineOf(m), tried = NUDGES;
      if (outline) {
        // further spots only where the area on screen has room for the name away from its own
        var ne = map.latLngToContainerPoint(outline.bounds.getNorthEast());
        var sw = map.latLngToContainerPoint(outline.bounds.getSouthWest());
        if (ne.x - sw.x > w && sw.y - ne.y > 2 * h) { tried = FAR_NUDGES; }
      }
      for (var k = 0; w > 0 && !spot && k < tried.length; k++) {
        var dx = Math.round(tried[k][0] * (w + 4)), dy = Math.round(tried[k][1] * (h + 4));
        var r = { x0: p.x + dx - w / 2 - 2, y0: p.y + dy - h / 2 - 2, x1: p.x + dx + w / 2 + 2, y1: p.y + dy + h / 2 + 2 };
        var fits = r.x0 >= 0 && r.y0 >= 0 && r.x1 <= size.x && r.y1 <= size.y;
        for (var i = 0; fits && i < placed.length; i++) {
          var q = placed[i];
          if (r.x0 < q.x1 && q.x0 < r.x1 && r.y0 < q.y1 && q.y0 < r.y1) { fits = false; }
        }
        if (fits && k > 0 && outline) {
          var at = map.containerPointToLatLng([p.x + dx, p.y + dy]);
          fits = outline.bounds.contains(at) && insideOutline(outline.geometry, at.lng, at.lat);
        }
        if (fits) { spot = { r: r, left: dx + "px", top: dy + "px" }; }
      }
      if (spot) {
        placed.push(spot.r);
        shown += 1;
        var boxStyle = el.firstChild.style;
        if (boxStyle.left !== spot.left) { boxStyle.left = spot.left; }
        if (boxStyle.top !== spot.top) { boxStyle.top = spot.top; }
      }
      var display = spot ? "" : "none";
      if (el.style.display !== display) { el.style.display = display; }
    });
    global.pcnLabelsShown = shown;
  }
  global.pcnLabels = function () {
    return labels.filter(function (m) { var el = m.getElement && m.getElement(); return el && el.style.display !== "none"; })
      .map(function (m) { return { name: m.pcnLabel.name, size: m.pcnLabel.size, badge: m.pcnLabel.badge || "" }; });
  };

  // --- the search box's index: practices and networks by name, drawn nowhere ---
  var SearchEntry = L.Layer.extend({
    initialize: function (latlng, props) { this._latlng = L.latLng(latlng); this.feature = { properties: props }; },
    getLatLng: function () { return this._latlng; },
    onAdd: function () {}, onRemove: function () {}
  });
  function buildSearch(group, spec) {
    if (!group) { return; }
    spec.layers.forEach(function (s) {
      if (s.key !== "practices") { return; }
      s.data.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates;
        group.addLayer(new SearchEntry([c[1], c[0]], { name: p.name + " (" + p.code + ")", kind: "practice", code: p.code }));
      });
    });
    (spec.labels || []).forEach(function (l) {
      group.addLayer(new SearchEntry([l.lat, l.lng], { name: l.name, kind: "network", code: l.code }));
    });
  }

  // the minimap's layer: the network outlines (else the small areas), light and inert
  global.pcnMiniLayer = function () {
    var spec = global.pcnSpec || { layers: [] };
    var src = null;
    spec.layers.forEach(function (s) { if (s.key === "networks" || (!src && s.key === "areas")) { src = s; } });
    if (!src) { return L.layerGroup(); }
    return L.geoJson(src.data, { interactive: false, style: function (f) {
      var st = (f.properties && f.properties.style) || {};
      return { color: st.color || st.fillColor || "#555", weight: 1, fill: true,
               fillColor: st.fillColor || st.color || "#999", fillOpacity: 0.4 };
    } });
  };

  global.pcnBuild = function (map, groups, control, spec) {
    var view = spec.view;
    global.pcnSpec = spec;
    // Start at the fitted view when the page already has a size, so the layers are drawn
    // once, where they stay (pcnInstall's own fit is then no change); else at the centre.
    var size = map.getSize();
    var bounds = spec.install && spec.install.bounds;
    if (bounds && size.x > 0 && size.y > 0) {
      map.fitBounds(bounds, fit());
    } else {
      map.setView(view.center, view.zoom);
    }
    if (spec.tiles && map.attributionControl) {
      map.attributionControl.addAttribution(spec.tiles.attribution);
    }
    // A pane in the app is small: there the layer list starts folded so the map shows.
    var s = map.getSize();
    if (control && s.x >= 900 && s.y >= 700) { control.expand(); }
    buildSearch(groups.search, spec);
    var layers = {};
    spec.layers.forEach(function (s) { layers[s.key] = overlay(s); });
    global.pcnInstall(map, layers, spec.install);
    buildLabels(map, groups.labels, spec.labels);      // after the outlines, which names keep inside
    // The overlays go into the page last, once this script and the page's after it (the
    // plugins' controls, the minimap) have done everything that reads the page's layout:
    // each such read with hundreds of new SVG paths in the page laid them all out again
    // (about half of the sample's 60 ms map). A microtask runs before anything is painted.
    Promise.resolve().then(function () {
      Object.keys(layers).forEach(function (key) { layers[key].addTo(groups[key] || map); });
    });
    return map;
  };

  // A short map (a laptop's pane at 150% scaling) has no room for both left-hand columns of
  // controls (zoom, full screen, measure and search above; the minimap's toggle and the scale
  // below): they overlapped. The measure and search controls then move to the right-hand
  // column, under the layer list, and come back once the map is tall enough for them.
  var MOVABLE = [".leaflet-control-search", ".leaflet-control-measure"];
  function stacked(nodes) {
    var height = 0;
    nodes.forEach(function (c) { height += c.offsetHeight + 10; });   // Leaflet's 10 px margin
    return height;
  }
  function fitControls(map) {
    var box = map.getContainer();
    var topLeft = box.querySelector(".leaflet-top.leaflet-left");
    var bottomLeft = box.querySelector(".leaflet-bottom.leaflet-left");
    var topRight = box.querySelector(".leaflet-top.leaflet-right");
    if (!topLeft || !bottomLeft || !topRight || box.clientHeight === 0) { return; }
    var movable = MOVABLE.map(function (s) { return box.querySelector(s); }).filter(Boolean);
    var moved = movable.filter(function (c) { return c.parentNode === topRight; });
    var need = stacked(Array.prototype.slice.call(topLeft.children)) + stacked(moved)
      + stacked(Array.prototype.slice.call(bottomLeft.children)) + 10;
    var target = need > box.clientHeight ? topRight : topLeft;
    var changed = false;
    movable.forEach(function (c) {
      if (c.parentNode !== target) { target.appendChild(c); changed = true; }
    });
    global.pcnControlsMoved = target === topRight;
    // the names are placed clear of the controls: placed again round their new places
    if (changed && global.pcnPlaceLabels) { global.pcnPlaceLabels(); }
  }

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
    // the opening view's circles sized for its zoom, as after any zoom: however the map
    // reached that view (a fit on loading, or on first being given its size), it looks the same
    scaleCircles(map, layers);
    // after the page's script has added every control (the plugins come after this call)
    map.on("resize", function () { fitControls(map); });
    setTimeout(function () { fitControls(map); }, 0);
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
      global.pcnMap.fitBounds(own.getBounds(), fit());
    } else if (own || (point && !bounds)) {
      global.pcnMap.setView(target.getLatLng(), Math.max(global.pcnMap.getZoom(), 13), { animate: false });
    } else if (bounds) {
      global.pcnMap.fitBounds(bounds, fit());
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

  // --- after an edit: only what changed, through indexes built once per page (a scan of
  // 6,500 practices or 1,250 outlines per move would be the whole cost of the restyle) ---
  var RING = function (red, radius) { return { radius: radius + 4, color: red, weight: 3.0, fill: false, opacity: 1.0 }; };
  var OUTLINE = function (red) { return { color: red, weight: 3.0, dashArray: "8 5", fill: false, opacity: 0.95 }; };
  function updateIndex(layers) {
    var index = global.pcnUpdateIndex;
    if (index) { return index; }
    index = global.pcnUpdateIndex = { nets: {}, dots: {}, marks: {} };
    if (layers.networks) { layers.networks.eachLayer(function (l) { index.nets[l.feature.properties.id] = l; }); }
    if (layers.practices) { layers.practices.eachLayer(function (l) { index.dots[l.feature.properties.code] = l; }); }
    if (layers.findings) {
      layers.findings.eachLayer(function (l) {
        var p = l.feature.properties;
        index.marks[p.kind === "network" ? "n:" + p.id : "p:" + p.code] = l;
      });
    }
    return index;
  }
  function findingsLayer(layers) {
    if (!layers.findings) {
      // the page was drawn with no error findings, so it has no findings layer yet
      layers.findings = L.geoJson(null, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties.style); },
        style: function (f) { return f.properties.style; }
      }).addTo(global.pcnMap);
      layers.findings.on("click", function (e) {
        var p = e.layer && e.layer.feature && e.layer.feature.properties;
        if (p && p.kind && p.code) { send(p.kind, p.code); }
      });
    }
    return layers.findings;
  }
  function setMark(layers, index, key, feature) {
    var old = index.marks[key];
    if (old) { layers.findings.removeLayer(old); delete index.marks[key]; }
    if (!feature) { return; }
    var group = findingsLayer(layers);
    var made = L.GeoJSON.geometryToLayer(feature, group.options);
    made.feature = feature;
    if (made.setStyle) { made.setStyle(feature.properties.style); }
    group.addLayer(made);
    index.marks[key] = made;
  }
  global.pcnUpdate = function (u) {
    var layers = global.pcnLayers;
    if (!layers || !global.pcnMap) { return false; }
    var index = updateIndex(layers);
    Object.keys(u.networks).forEach(function (id) {
      var n = u.networks[id], l = index.nets[id];
      if (l) {
        Object.assign(l.feature.properties, { name: n.name, ods: n.ods, code: n.code, list_size: n.list_size,
                                              members: n.members, findings: n.findings, errors: n.errors });
      }
      setMark(layers, index, "n:" + id, n.errors > 0 && l ? { type: "Feature", geometry: l.feature.geometry,
        properties: Object.assign({}, l.feature.properties, { style: OUTLINE(u.red) }) } : null);
      var label = global.pcnLabelIndex && global.pcnLabelIndex[id];
      if (label) {
        Object.assign(label.pcnLabel, { name: n.name, size: n.list_size, list_size: n.patients, badge: n.badge });
        placing = null;
        var el = label.getElement && label.getElement();
        if (el) { el.innerHTML = labelHtml(label.pcnLabel); label.pcnW = undefined; }
      }
    });
    if (Object.keys(u.networks).length && labels.length) { placeLabels(global.pcnMap); }
    var rescale = [];
    Object.keys(u.practices).forEach(function (code) {
      var s = u.practices[code], dot = index.dots[code];
      if (!dot) { return; }
      var p = dot.feature.properties;
      p.network = s.network;
      p.findings = s.findings;
      p.style.fillColor = s.colour;
      dot.setStyle({ fillColor: s.colour });
      var flagNet = s.netId && s.netErrors > 0 && !index.nets[s.netId];
      setMark(layers, index, "p:" + code, s.findings > 0 || flagNet ? { type: "Feature",
        geometry: dot.feature.geometry, properties: Object.assign({}, p, { style: RING(u.red, p.style.radius) }) } : null);
      if (index.marks["p:" + code]) { rescale.push(index.marks["p:" + code]); dot.bringToFront(); }
    });
    if (rescale.length && global.pcnMap) {
      var factor = Math.min(1, Math.max(0.15, Math.pow(2, (global.pcnMap.getZoom() - FULL_SIZE_ZOOM) / 2)));
      rescale.forEach(function (l) { if (l.setRadius) { l.setRadius(Math.max(1.5, l.feature.properties.style.radius * factor)); } });
    }
    return true;
  };

  global.pcnSelect = send;   // lets a test (or a keyboard shortcut) select without a mouse
}(window));
