"""What the map shows, as GeoJSON feature collections with their style baked in.

No folium and no HTML here: ``map_html`` turns these into Leaflet layers, and a test can
check the figures (sizes, colours, tooltips) without rendering anything. Geometry is
simplified for display and rounded to 5 decimals (about a metre), which keeps a whole
England map to a size a browser opens quickly.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
import shapely

from ..domain.findings import Finding, Severity
from ..domain.model import Network, Project
from ..geo.areas import place_of
from ..geo.boundaries import SNAP_DEGREES, union_areas

# Qualitative colours for networks. Red is kept for findings and grey for "unassigned".
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#393b79", "#637939", "#e7ba52", "#7b4173")
UNASSIGNED = "#8c8c8c"
FINDING_RED = "#d00000"
MAX_RADIUS_PX = 14.0
MIN_RADIUS_PX = 3.0
# Governance findings are a badge on the network's name, not its outline: a region where
# every network lacks a director still shows which outlines have size or boundary errors.
BADGE_RULES = {"director-missing": "no director", "director-not-member": "director not a member",
               "payee-missing": "no payee", "payee-not-member": "payee not a member",
               "agreement-unsigned": "agreement unsigned", "exemption-without-reason": "exemption reason missing"}
# What every small area shares, given once for the layer rather than on 33,000 features.
AREA_STYLE = {"color": "#ffffff", "weight": 0.6, "opacity": 0.9}


@dataclass
class MapData:
    areas: dict[str, Any]
    networks: dict[str, Any]
    places: dict[str, Any]
    practices: dict[str, Any]
    findings: dict[str, Any]
    colours: dict[str, str]                       # network id -> colour
    bounds: list[list[float]] | None              # [[south, west], [north, east]]
    legend: list[tuple[str, str]] = field(default_factory=list)   # (label, colour)
    labels: list[dict[str, Any]] = field(default_factory=list)   # network names, see network_labels

    def polygon_count(self) -> int:
        """Leaflet polygon layers the map will hold: one per (multi)polygon feature; place
        outlines are lines and practices are circles, so neither counts."""
        return sum(1 for fc in (self.areas, self.networks, self.places, self.findings)
                   for f in fc["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon"))


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def display_tolerance(bounds: tuple[float, float, float, float]) -> float:
    """Simplification tolerance in degrees: about 1/4000 of the extent (a few metres for a
    CCG, a couple of hundred for England), never below the 5-decimal rounding."""
    minx, miny, maxx, maxy = bounds
    extent = max(maxx - minx, maxy - miny)
    return max(extent / 4000.0, 1e-5) if math.isfinite(extent) else 1e-5


def for_display(geoms: Iterable[Any], tolerance: float) -> list[dict[str, Any] | None]:
    """Simplified, rounded GeoJSON geometry dicts (None where there is nothing to draw)."""
    arr = np.array(list(geoms), dtype=object)
    if arr.size == 0:
        return []
    present = np.array([g is not None and not g.is_empty for g in arr], dtype=bool)
    out: list[dict[str, Any] | None] = [None] * len(arr)
    if not present.any():
        return out
    simple = shapely.simplify(arr[present], tolerance, preserve_topology=True)
    rounded = shapely.transform(simple, lambda xy: np.round(xy, 5))
    # One parse of the joined texts is several times faster than one per geometry.
    parsed = json.loads("[" + ",".join(shapely.to_geojson(rounded).tolist()) + "]")
    for i, geom in zip(np.flatnonzero(present), parsed):
        out[i] = geom
    return out


def network_geometries(project: Project) -> dict[str, Any]:
    """Each network's area: its boundary when built or imported, else the union of the
    small areas assigned to it. Networks with neither are left out."""
    parts: dict[str, list[Any]] = defaultdict(list)
    for area_code, nid in project.area_assignments.items():
        area = project.areas.get(area_code)
        if area is not None and area.geometry is not None and nid in project.networks:
            parts[nid].append(area.geometry)
    out: dict[str, Any] = {}
    for nid in project.networks:
        b = project.boundaries.get(nid)
        if b is not None and b.geometry is not None and not b.geometry.is_empty:
            out[nid] = b.geometry
        elif parts.get(nid):
            out[nid] = union_areas(shapely.make_valid(np.array(parts[nid], dtype=object)), SNAP_DEGREES)
    return out


# Neighbours: footprints within TOUCHING of each other; a network with no footprint stands
# for its practices, each as a disc of PRACTICE_REACH (about a kilometre)
TOUCHING = 1e-4
PRACTICE_REACH = 0.01


def assign_colours(project: Project, geoms: dict[str, Any]) -> dict[str, str]:
    """A colour per network such that neighbours (touching areas, or practices within about
    a kilometre when a network has no area) differ wherever the palette allows. Greedy in
    key order, so the same project always gets the same colours."""
    nets = sorted(project.networks.values(), key=lambda n: (n.key.lower(), n.id))
    areas: list[int] = []              # networks drawn with a footprint
    spots: list[int] = []              # networks drawn by their practices alone
    shapes: list[Any] = []
    for i, net in enumerate(nets):
        g = geoms.get(net.id)
        if g is None:
            pts = [(p.longitude, p.latitude) for c in project.members(net.id)
                   if (p := project.practices.get(c)) is not None and p.has_location]
            g = shapely.MultiPoint(pts) if pts else None
            if g is not None:
                spots.append(i)
        else:
            g = g.buffer(0)
            areas.append(i)
        shapes.append(g)
    neighbours: dict[int, set[int]] = defaultdict(set)
    # the distances at which two discs, or a disc and a footprint, would be TOUCHING: measured
    # between the points themselves, with no disc drawn (buffering 1,250 networks' practices
    # for all England took a fifth of a second of every map)
    for found, queried, reach in ((areas, areas, TOUCHING), (areas, spots, PRACTICE_REACH + TOUCHING),
                                  (spots, spots, 2 * PRACTICE_REACH + TOUCHING)):
        if not found or not queried:
            continue
        tree = shapely.STRtree([shapes[i] for i in found])
        pairs = tree.query([shapes[i] for i in queried], predicate="dwithin", distance=reach)
        for q, t in pairs.T:
            a, b = queried[q], found[t]
            if a != b:
                neighbours[a].add(b)
                neighbours[b].add(a)
    colours: dict[str, str] = {}
    chosen: dict[int, int] = {}
    for i, net in enumerate(nets):
        taken = {chosen[j] for j in neighbours[i] if j in chosen}
        order = [(i + k) % len(PALETTE) for k in range(len(PALETTE))]
        pick = next((c for c in order if c not in taken), i % len(PALETTE))
        chosen[i] = pick
        colours[net.id] = PALETTE[pick]
    return colours


def _count(n: int) -> str:
    return f"{n:,}"


def build_map_data(project: Project, findings: list[Finding], highlight: Network | None = None) -> MapData:
    """Every layer of the map for ``project`` with ``findings`` marked on it."""
    net_geoms = network_geometries(project)
    colours = assign_colours(project, net_geoms)
    all_bounds = _extent(project, net_geoms)
    tol = display_tolerance(all_bounds) if all_bounds else 1e-5

    errors_by_net: dict[str, int] = defaultdict(int)        # size and boundary errors: the outline
    count_by_net: dict[str, int] = defaultdict(int)
    badges: dict[str, list[str]] = defaultdict(list)        # governance errors: a badge
    errors_by_practice: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f.network_id:
            count_by_net[f.network_id] += 1
            if f.severity is Severity.ERROR:
                if f.rule in BADGE_RULES:
                    if BADGE_RULES[f.rule] not in badges[f.network_id]:
                        badges[f.network_id].append(BADGE_RULES[f.rule])
                else:
                    errors_by_net[f.network_id] += 1
        if f.practice and f.severity is Severity.ERROR:
            errors_by_practice[f.practice].append(f.message)

    areas = _area_features(project, colours, tol)
    places = _place_features(project, tol)
    networks, red_outlines = _network_features(project, net_geoms, colours, count_by_net,
                                               errors_by_net, highlight, tol)
    practices, red_rings = _practice_features(project, colours, errors_by_practice, errors_by_net,
                                              net_geoms)
    bounds = _highlight_bounds(project, net_geoms, highlight) if highlight else None
    if bounds is None and all_bounds:
        bounds = [[all_bounds[1], all_bounds[0]], [all_bounds[3], all_bounds[2]]]
    legend = [(n.name or n.key, colours[n.id]) for n in project.sorted_networks()]
    labels = network_labels(project, net_geoms, badges)
    return MapData(collection(areas), collection(networks), collection(places),
                   collection(practices), collection(red_outlines + red_rings), colours, bounds, legend,
                   labels)


def badge_text(badges: list[str]) -> str:
    return " · ".join(badges)


def network_labels(project: Project, net_geoms: dict[str, Any], badges: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each network's name, list size and badge at a point inside its area (else at the
    middle of its practices), in the order the page places them: those with a badge first
    (thinned out when zoomed out, a badge would hide its finding), then biggest first."""
    out = []
    outlined = [nid for nid in project.networks if (g := net_geoms.get(nid)) is not None and not g.is_empty]
    at = dict(zip(outlined, label_points([net_geoms[nid] for nid in outlined])))
    for net in project.networks.values():
        point = at.get(net.id)
        if point is not None:
            lng, lat = point.x, point.y
        else:
            pts = [(p.longitude, p.latitude) for c in project.members(net.id)
                   if (p := project.practices.get(c)) is not None and p.has_location]
            if not pts:
                continue
            lng, lat = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
        size = project.network_list_size(net.id)
        out.append({"id": net.id, "code": net.key, "name": net.name or net.key, "size": _count(size),
                    "list_size": size, "lat": round(lat, 5), "lng": round(lng, 5),
                    "badge": badge_text(badges.get(net.id, []))})
    out.sort(key=lambda l: (not l["badge"], -l["list_size"], l["name"]))
    return out


def label_points(geoms: list[Any]) -> list[Any]:
    """Where each network's name goes: the point of its largest part furthest from the edge
    (the centre of its largest inscribed circle), so the name sits in the open middle of its
    area. ``point_on_surface`` is inside too, but often by a sliver, by a border, and a name
    nudged off it from there lands on the neighbour's side. GEOS works them all out in one
    call; to a tenth of each part's narrower side, the circles found on the sample are 88-100%
    of the widest, in a sixth of the time a fiftieth takes (0.47 s for an England of outlines;
    shapely's polylabel, in Python, took 0.7 s)."""
    parts = np.array([max(getattr(g, "geoms", (g,)), key=lambda part: part.area) for g in geoms], dtype=object)
    if not len(parts):
        return []
    x0, y0, x1, y1 = shapely.bounds(parts).T
    tolerance = np.maximum(np.minimum(x1 - x0, y1 - y0) / 10, 1e-9)
    polygons = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    points = np.empty(len(parts), dtype=object)
    points[polygons] = shapely.get_point(shapely.maximum_inscribed_circle(parts[polygons], tolerance[polygons]), 0)
    others = ~polygons                      # no area to have a middle: a point on the geometry
    points[others] = shapely.point_on_surface(np.array(geoms, dtype=object)[others])
    return list(points)


def _area_features(project: Project, colours: dict[str, str], tol: float) -> list[dict[str, Any]]:
    codes = [c for c, a in project.areas.items() if a.geometry is not None]
    geoms = for_display((project.areas[c].geometry for c in codes), tol)
    coloured = bool(project.area_assignments)
    out = []
    for code, geom in zip(codes, geoms):
        if geom is None:
            continue
        area = project.areas[code]
        nid = project.area_assignments.get(code)
        net = project.networks.get(nid) if nid else None
        fill = colours[net.id] if net else ("#d9d9d9" if coloured else "#e8e4d8")
        out.append({"type": "Feature", "geometry": geom, "properties": {
            "kind": "network" if net else "area", "code": net.key if net else code,
            "area": code, "name": area.name or code, "place": place_of(area) or "-",
            "network": (net.name or net.key) if net else "unassigned",
            "style": {"fillColor": fill, "fillOpacity": 0.35 if net else 0.55}}})
    return out


def _place_features(project: Project, tol: float) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for area in project.areas.values():
        place = place_of(area)
        if place and area.geometry is not None:
            groups[place].append(area.geometry)
    names = sorted(groups)
    merged = [union_areas(np.array(groups[n], dtype=object), SNAP_DEGREES) for n in names]
    # Only the outline is drawn, so the boundary line is what gets simplified.
    geoms = for_display((g.boundary for g in merged), tol)
    return [{"type": "Feature", "geometry": g, "properties": {
        "kind": "place", "code": name, "name": name,
        "style": {"color": "#4d4d4d", "weight": 1.6, "dashArray": "5 4", "fill": False, "opacity": 0.8}}}
        for name, g in zip(names, geoms) if g is not None]


def _network_features(project: Project, net_geoms: dict[str, Any], colours: dict[str, str],
                      count_by_net: dict[str, int], errors_by_net: dict[str, int],
                      highlight: Network | None, tol: float) -> tuple[list[dict], list[dict]]:
    ids = [nid for nid in net_geoms]
    geoms = for_display((net_geoms[n] for n in ids), tol)
    # With coloured small areas underneath, the network layer is only an outline, so the
    # areas keep their tooltips; without them it carries a light fill of its own.
    filled = not project.area_assignments
    features, red = [], []
    for nid, geom in zip(ids, geoms):
        if geom is None:
            continue
        net = project.networks[nid]
        props = _network_properties(project, net, count_by_net[nid], errors_by_net[nid])
        weight = 5.0 if highlight is not None and highlight.id == nid else 2.5
        props["style"] = {"color": colours[nid], "weight": weight, "opacity": 1.0, "fill": filled,
                          "fillColor": colours[nid], "fillOpacity": 0.18}
        features.append({"type": "Feature", "geometry": geom, "properties": props})
        if errors_by_net[nid]:
            red.append({"type": "Feature", "geometry": geom, "properties": dict(
                props, style={"color": FINDING_RED, "weight": 3.0, "dashArray": "8 5",
                              "fill": False, "opacity": 0.95})})
    return features, red


def _network_properties(project: Project, net: Network, findings: int, errors: int) -> dict[str, Any]:
    return {"kind": "network", "code": net.key, "id": net.id, "name": net.name or net.key,
            "ods": net.code or "-", "list_size": _count(project.network_list_size(net.id, project.counting_date)),
            "members": len(project.members(net.id)), "findings": findings, "errors": errors}


def _practice_features(project: Project, colours: dict[str, str], errors_by_practice: dict[str, list[str]],
                       errors_by_net: dict[str, int], net_geoms: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    located = [p for p in project.practices.values()
               if p.has_location and not project.is_closed(p.code)]
    sizes = {p.code: project.list_size(p.code, project.counting_date) for p in located}
    biggest = max(sizes.values(), default=0) or 1
    features, rings = [], []
    for p in sorted(located, key=lambda p: -sizes[p.code]):     # small circles drawn on top
        net = project.network_of(p.code)
        size = sizes[p.code]
        radius = round(max(MIN_RADIUS_PX, MAX_RADIUS_PX * math.sqrt(size / biggest)), 1)
        colour = colours.get(net.id, UNASSIGNED) if net else UNASSIGNED
        point = {"type": "Point", "coordinates": [round(p.longitude, 5), round(p.latitude, 5)]}
        problems = errors_by_practice.get(p.code, [])
        props = {"kind": "practice", "code": p.code, "name": p.name or p.code,
                 "list_size": _count(size), "network": (net.name or net.key) if net else "unassigned",
                 "findings": len(problems),
                 "style": {"radius": radius, "fill": True, "fillColor": colour, "fillOpacity": 0.9,
                           "color": "#ffffff", "weight": 1.5, "opacity": 1.0}}
        features.append({"type": "Feature", "geometry": point, "properties": props})
        # A network with errors but no area to outline is flagged on its practices instead.
        flag_net = net is not None and errors_by_net.get(net.id) and net.id not in net_geoms
        if problems or flag_net:
            rings.append({"type": "Feature", "geometry": point, "properties": dict(
                props, style={"radius": radius + 4, "color": FINDING_RED, "weight": 3.0,
                              "fill": False, "opacity": 1.0})})
    return features, rings


def _extent(project: Project, net_geoms: dict[str, Any]) -> tuple[float, float, float, float] | None:
    boxes = [a.geometry.bounds for a in project.areas.values()
             if a.geometry is not None and not a.geometry.is_empty]
    boxes += [g.bounds for g in net_geoms.values()]
    boxes += [(p.longitude, p.latitude, p.longitude, p.latitude)
              for p in project.practices.values() if p.has_location]
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max())


def _highlight_bounds(project: Project, net_geoms: dict[str, Any], net: Network) -> list[list[float]] | None:
    boxes = [net_geoms[net.id].bounds] if net.id in net_geoms else []
    boxes += [(p.longitude, p.latitude, p.longitude, p.latitude)
              for c in project.members(net.id)
              if (p := project.practices.get(c)) is not None and p.has_location]
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return [[float(arr[:, 1].min()), float(arr[:, 0].min())], [float(arr[:, 3].max()), float(arr[:, 2].max())]]
