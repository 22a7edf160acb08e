"""Coherence measures of a network's boundary, each a small pure function, and a cache that
recomputes a network's figures only when the project changed and it is asked for.

All geometry is in British National Grid, so areas are m² (reported in km²) and lengths m.
Parts and holes smaller than ``boundary_sliver_m2`` are ignored: generalised area files leave
slivers that are drawing artefacts, not places.
"""
from __future__ import annotations

import math
import weakref
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import numpy as np
import shapely
from shapely.geometry import Polygon

from ..domain.model import Project
from ..domain.settings import RuleSettings
from .areas import AreaIndex, area_index
from .boundaries import areas_by_network, boundary_bng
from .crs import lonlat_to_bng


# --- pure measures ----------------------------------------------------------------------
def polygons(geom: Any, sliver_m2: float = 0.0) -> list[Polygon]:
    """The polygon parts of a geometry at least ``sliver_m2`` in area, largest first."""
    if geom is None or geom.is_empty:
        return []
    # two levels: a GeometryCollection from make_valid may hold a MultiPolygon
    parts = [p for p in shapely.get_parts(shapely.get_parts(geom)) if isinstance(p, Polygon)]
    kept = [p for p in parts if p.area >= sliver_m2]
    return sorted(kept, key=lambda p: -p.area)


def largest_part_share(parts: list[Polygon]) -> float | None:
    total = sum(p.area for p in parts)
    return parts[0].area / total if total else None


def holes(parts: list[Polygon], sliver_m2: float = 0.0) -> int:
    """Interior rings at least ``sliver_m2`` in area."""
    return sum(1 for p in parts for ring in p.interiors if Polygon(ring).area >= sliver_m2)


def polsby_popper(geom: Any) -> float | None:
    """4πA/P²: 1 for a circle, ~0.785 for a square, towards 0 for a ragged outline."""
    if geom is None or geom.is_empty or geom.length == 0:
        return None
    return 4 * math.pi * geom.area / geom.length ** 2


def reock(geom: Any) -> float | None:
    """Area over the area of the smallest enclosing circle: 1 for a circle, 2/π for a square."""
    if geom is None or geom.is_empty:
        return None
    # the radius, not minimum_bounding_circle's polygon, which is a 64-gon a little smaller
    r = shapely.minimum_bounding_radius(geom)
    return float(geom.area / (math.pi * r * r)) if r else None


def part_of_points(parts: list[Polygon], points: np.ndarray) -> np.ndarray:
    """For each point, the index of the part it lies in (the nearest part when in none)."""
    if not parts:
        return np.full(len(points), -1, dtype=np.int64)
    if len(parts) == 1:
        return np.zeros(len(points), dtype=np.int64)
    dist = np.vstack([shapely.distance(p, points) for p in parts])
    return np.argmin(dist, axis=0)


def filled(parts: list[Polygon]) -> Any:
    """The parts with their holes filled in: what lies wholly inside the network's outline."""
    return shapely.union_all([Polygon(p.exterior) for p in parts]) if parts else None


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# --- one network's figures --------------------------------------------------------------
@dataclass
class NetworkGeo:
    network_id: str
    areas: int = 0
    area_km2: float = 0.0
    parts: int = 0
    part_areas: list[list[str]] = field(default_factory=list)   # area codes per part, largest first
    largest_part_share: float | None = None
    population_outside_largest_share: float | None = None
    holes: int = 0
    enclaves: list[str] = field(default_factory=list)          # network ids wholly inside
    overlap_area: float = 0.0                                  # km² shared with other networks
    overlap_patients: int = 0
    overlaps: dict[str, float] = field(default_factory=dict)   # other network id -> km²
    practices_outside: list[str] = field(default_factory=list)
    patients: int = 0                                          # registered with member practices
    patients_inside: int = 0                                   # ... and living inside the boundary
    patients_inside_share: float | None = None
    residents: int = 0                                         # registered anywhere, living inside
    polsby_popper: float | None = None
    reock: float | None = None
    places: list[str] = field(default_factory=list)
    places_crossed: int = 0                                    # places beyond the first

    def as_json(self, project: Project) -> dict[str, Any]:
        data = asdict(self)
        data.pop("network_id")
        key = lambda nid: project.networks[nid].key if nid in project.networks else nid  # noqa: E731
        data["enclaves"] = [key(n) for n in self.enclaves]
        data["overlaps"] = {key(n): round(v, 4) for n, v in self.overlaps.items()}
        for name in ("area_km2", "overlap_area"):
            data[name] = round(data[name], 4)
        for name in ("largest_part_share", "population_outside_largest_share", "patients_inside_share",
                     "polsby_popper", "reock"):
            if data[name] is not None:
                data[name] = round(data[name], 4)
        return data


class GeoMeasures:
    """Measures per network for one project, recomputed per network when the project's
    revision moved on; networks nobody asks about are never recomputed."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._cache: dict[str, tuple[tuple[Any, ...], NetworkGeo]] = {}
        self._tree: tuple[tuple[Any, ...], list[str], Any, list[Any]] | None = None

    def for_network(self, network_id: str, settings: RuleSettings) -> NetworkGeo:
        stamp = (self.project.revision, settings.boundary_sliver_m2)
        hit = self._cache.get(network_id)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        result = self._measure(network_id, settings.boundary_sliver_m2)
        self._cache[network_id] = (stamp, result)
        return result

    def _boundaries(self) -> tuple[list[str], Any, list[Any]]:
        stamp = (self.project.revision, len(self.project.boundaries))
        if self._tree is None or self._tree[0] != stamp:
            ids = sorted(self.project.boundaries)
            geoms = [boundary_bng(self.project, n) for n in ids]
            self._tree = (stamp, ids, shapely.STRtree(geoms), geoms)
        return self._tree[1], self._tree[2], self._tree[3]

    def _measure(self, nid: str, sliver: float) -> NetworkGeo:
        project, idx = self.project, area_index(self.project)
        out = NetworkGeo(nid)
        mine = idx.indices(areas_by_network(project).get(nid, []))
        mine.sort()
        out.areas = len(mine)
        out.residents = int(idx.residents[mine].sum())
        names = sorted({idx.places[i] for i in mine.tolist()} - {""})
        out.places, out.places_crossed = names, max(0, len(names) - 1)
        _patients(out, project, idx, nid, mine)
        geom = boundary_bng(project, nid)
        if geom is None:
            return out
        parts = polygons(geom, sliver)
        out.area_km2 = sum(p.area for p in parts) / 1e6
        out.parts = len(parts)
        out.largest_part_share = largest_part_share(parts)
        out.holes = holes(parts, sliver)
        out.polsby_popper = polsby_popper(geom)
        out.reock = reock(geom)
        which = part_of_points(parts, idx.reps[mine])
        out.part_areas = [[idx.codes[i] for i in mine[which == k].tolist()] for k in range(len(parts))]
        outside_largest = mine[which != 0]
        out.population_outside_largest_share = share(float(idx.residents[outside_largest].sum()), out.residents)
        self._neighbours(out, nid, geom, parts, idx, mine, sliver)
        out.practices_outside = _practices_outside(project, idx, nid, geom)
        return out

    def _neighbours(self, out: NetworkGeo, nid: str, geom: Any, parts: list[Polygon], idx: AreaIndex,
                    mine: np.ndarray, sliver: float) -> None:
        ids, tree, geoms = self._boundaries()
        prov = {n: self.project.boundaries[n].provenance for n in ids}
        imported_me = prov.get(nid, "").startswith("imported")
        # A network dissolved from areas can only enclose another inside one of its holes.
        outline = filled(parts) if (out.holes or imported_me) else None
        if outline is not None:
            for k in tree.query(outline.buffer(1.0), predicate="contains").tolist():
                if ids[k] != nid:
                    out.enclaves.append(ids[k])
        # Boundaries dissolved from one area assignment cannot overlap (each area has one
        # network), so only pairs involving an imported polygon are intersected.
        for k in tree.query(geom, predicate="intersects").tolist():
            other = ids[k]
            if other == nid or not (imported_me or prov[other].startswith("imported")):
                continue
            inter = shapely.intersection(geom, geoms[k])
            if inter.area < sliver:
                continue
            out.overlaps[other] = inter.area / 1e6
            out.overlap_area += inter.area / 1e6
            inside = shapely.intersects(inter, idx.reps[mine])
            out.overlap_patients += int(idx.residents[mine[inside]].sum())
        out.enclaves.sort()


def _patients(out: NetworkGeo, project: Project, idx: AreaIndex, nid: str, mine: np.ndarray) -> None:
    rows = [idx.rows_by_practice[c] for c in project.members(nid) if c in idx.rows_by_practice]
    if not rows:
        return
    r = np.concatenate(rows)
    out.patients = int(idx.reg_n[r].sum())
    inside = np.isin(idx.reg_area[r], mine)
    out.patients_inside = int(idx.reg_n[r][inside].sum())
    out.patients_inside_share = share(out.patients_inside, out.patients)


def _practices_outside(project: Project, idx: AreaIndex, nid: str, geom: Any) -> list[str]:
    codes = [c for c in sorted(project.members(nid)) if c in project.practices and project.practices[c].has_location]
    if not codes:
        return []
    lon = np.array([project.practices[c].longitude for c in codes], dtype=float)
    lat = np.array([project.practices[c].latitude for c in codes], dtype=float)
    x, y = lonlat_to_bng(lon, lat)
    far = ~shapely.dwithin(geom, shapely.points(x, y), 1.0)
    return [c for c, f in zip(codes, far.tolist()) if f]


_MEASURES: "weakref.WeakKeyDictionary[Project, GeoMeasures]" = weakref.WeakKeyDictionary()


def geo_measures(project: Project) -> GeoMeasures:
    m = _MEASURES.get(project)
    if m is None:
        m = _MEASURES[project] = GeoMeasures(project)
    return m


def has_geography(project: Project) -> bool:
    return bool(project.areas) or bool(project.boundaries)


def measure_networks(project: Project, settings: RuleSettings,
                     network_ids: Iterable[str] | None = None) -> dict[str, NetworkGeo]:
    cache = geo_measures(project)
    ids = project.networks if network_ids is None else [n for n in network_ids if n in project.networks]
    return {nid: cache.for_network(nid, settings) for nid in ids}


def network_measures(project: Project, settings: RuleSettings | None = None) -> dict[str, dict[str, Any]]:
    """Figures per network id for ``validate --json`` (an empty dict without geography)."""
    if not has_geography(project):
        return {}
    if settings is None:
        from ..settings import rule_settings_for
        settings = rule_settings_for(project)
    return {nid: g.as_json(project) for nid, g in measure_networks(project, settings).items()}


def gap_areas(project: Project) -> list[tuple[str, int]]:
    """Areas in no network, with the patients registered as living there, by code."""
    if not project.areas:
        return []
    idx = area_index(project)
    assigned = project.area_assignments
    return [(c, int(idx.residents[i])) for i, c in enumerate(idx.codes) if c not in assigned]
