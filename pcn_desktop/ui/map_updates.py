"""Incremental map updates: after an edit, restyle the touched practices and networks in the
page that is already drawn instead of rendering the whole HTML again.

Python works out the new state of each affected practice and network (colour, tooltip
figures, whether it carries an error ring) and the page applies it to the Leaflet layers
``maps/pcn_map.js`` exposes as ``window.pcnLayers``. The script answers ``true`` when it
applied the update, ``false`` when the page cannot (no layers): the pane then re-renders.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from ..domain.findings import Finding, Severity
from ..domain.model import Project
from ..reports.map_layers import FINDING_RED, UNASSIGNED


def can_update(colours: dict[str, str], project: Project, touched: Iterable[str]) -> bool:
    """Only moves and field edits: a created or dissolved network changes polygons and colours."""
    return all(nid in colours and nid in project.networks for nid in touched)


def update_payload(project: Project, touched: Iterable[str], shown: dict[str, str | None],
                   colours: dict[str, str], findings: list[Finding]) -> dict[str, Any]:
    """The new state of the practices in (or shown as in) the touched networks, and of those
    networks. ``shown`` maps practice code -> network id as the map currently draws it; it is
    updated in place."""
    touched = set(touched)
    codes = {c for nid in touched for c in project.members(nid)}
    codes |= {c for c, nid in shown.items() if nid in touched}
    errors_by_practice: dict[str, int] = {}
    errors_by_net: dict[str, int] = {}
    count_by_net: dict[str, int] = {}
    for f in findings:
        if f.network_id in touched:
            count_by_net[f.network_id] = count_by_net.get(f.network_id, 0) + 1
            if f.severity is Severity.ERROR:
                errors_by_net[f.network_id] = errors_by_net.get(f.network_id, 0) + 1
        if f.practice in codes and f.severity is Severity.ERROR:
            errors_by_practice[f.practice] = errors_by_practice.get(f.practice, 0) + 1
    practices: dict[str, Any] = {}
    for code in sorted(codes):
        if code not in shown and code not in project.practices:
            continue
        net = project.network_of(code)
        shown[code] = net.id if net else None
        practices[code] = {
            "colour": colours.get(net.id, UNASSIGNED) if net else UNASSIGNED,
            "network": (net.name or net.key) if net else "unassigned",
            "findings": errors_by_practice.get(code, 0),
            "netId": net.id if net else "",
            "netErrors": errors_by_net.get(net.id, 0) if net else 0,
        }
    networks = {}
    for nid in sorted(touched):
        net = project.networks[nid]
        networks[nid] = {"name": net.name or net.key, "ods": net.code or "-", "code": net.key,
                         "list_size": f"{project.network_list_size(nid, project.counting_date):,}",
                         "members": len(project.members(nid)),
                         "findings": count_by_net.get(nid, 0), "errors": errors_by_net.get(nid, 0)}
    return {"practices": practices, "networks": networks, "red": FINDING_RED}


_UPDATE_JS = """
(function (u) {
  var layers = window.pcnLayers;
  if (!layers || !window.pcnMap) { return false; }
  // index the layers once per page: with England's 6,500 practices a scan per move shows
  var index = window.pcnUpdateIndex;
  if (!index) {
    index = window.pcnUpdateIndex = {nets: {}, dots: {}};
    if (layers.networks) {
      layers.networks.eachLayer(function (l) { index.nets[l.feature.properties.id] = l; });
    }
    if (layers.practices) {
      layers.practices.eachLayer(function (l) { index.dots[l.feature.properties.code] = l; });
    }
  }
  var netLayer = index.nets;
  var dots = index.dots;
  Object.keys(u.networks).forEach(function (id) {
    var l = netLayer[id];
    var n = u.networks[id];
    if (l) { Object.assign(l.feature.properties, {name: n.name, ods: n.ods, code: n.code,
      list_size: n.list_size, members: n.members, findings: n.findings, errors: n.errors}); }
  });
  Object.keys(u.practices).forEach(function (code) {
    var l = dots[code];
    var s = u.practices[code];
    if (!l) { return; }
    var p = l.feature.properties;
    p.network = s.network;
    p.findings = s.findings;
    p.style.fillColor = s.colour;
    l.setStyle({fillColor: s.colour});
  });
  if (!layers.findings) {
    // the page was drawn with no error findings, so it has no findings layer yet
    layers.findings = L.geoJson(null, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties.style); },
      style: function (f) { return f.properties.style; }
    }).addTo(window.pcnMap);
    layers.findings.on("click", function (e) {
      var p = e.layer && e.layer.feature && e.layer.feature.properties;
      if (p && p.kind && p.code && window.pcnSelect) { window.pcnSelect(p.kind, p.code); }
    });
  }
  {
    var stale = [];
    layers.findings.eachLayer(function (l) {
      var p = l.feature.properties;
      if ((p.kind === "practice" && u.practices[p.code]) || (p.kind === "network" && u.networks[p.id])) {
        stale.push(l);
      }
    });
    stale.forEach(function (l) { layers.findings.removeLayer(l); });
    function add(feature) {
      layers.findings.addData(feature);
      var added = null;
      layers.findings.eachLayer(function (l) { if (l.feature === feature) { added = l; } });
      if (added) { added.setStyle(feature.properties.style); }
    }
    Object.keys(u.networks).forEach(function (id) {
      var n = u.networks[id];
      if (n.errors > 0 && netLayer[id]) {
        var f = netLayer[id].feature;
        add({type: "Feature", geometry: f.geometry, properties: Object.assign({}, f.properties, {
          style: {color: u.red, weight: 3.0, dashArray: "8 5", fill: false, opacity: 0.95}})});
      }
    });
    Object.keys(u.practices).forEach(function (code) {
      var s = u.practices[code];
      var dot = dots[code];
      if (!dot) { return; }
      var flagNet = s.netId && s.netErrors > 0 && !netLayer[s.netId];
      if (s.findings > 0 || flagNet) {
        var f = dot.feature;
        add({type: "Feature", geometry: f.geometry, properties: Object.assign({}, f.properties, {
          style: {radius: f.properties.style.radius + 4, color: u.red, weight: 3.0, fill: false,
                  opacity: 1.0}})});
      }
    });
    if (layers.practices) { layers.practices.bringToFront(); }   // rings under the dots
  }
  return true;
})(%s)
"""


def update_script(payload: dict[str, Any]) -> str:
    return _UPDATE_JS % json.dumps(payload)


def select_script(kind: str, code: str) -> str:
    """Zoom to a practice or network with the map module's own pcnFocus."""
    return (f"(typeof pcnFocus === 'function') ? pcnFocus({json.dumps(kind)}, {json.dumps(code)}) : false")
