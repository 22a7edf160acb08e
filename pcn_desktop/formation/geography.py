"""What the constraints need from the map: each practice's local authority ("place") and the
networks whose area touches the small area the practice stands in."""
from __future__ import annotations

import numpy as np
import shapely

from ..domain.model import Project
from ..geo.areas import AreaIndex, area_index
from ..geo.crs import lonlat_to_bng


def practice_areas(project: Project, idx: AreaIndex) -> dict[str, int]:
    """Area index of the small area containing each practice's site (practices off the map
    or without coordinates are left out)."""
    codes = [c for c, p in project.practices.items() if p.has_location]
    if not codes or not len(idx.codes):
        return {}
    lon = np.array([project.practices[c].longitude for c in codes], dtype=float)
    lat = np.array([project.practices[c].latitude for c in codes], dtype=float)
    x, y = lonlat_to_bng(lon, lat)
    points = shapely.points(x, y)
    where, hit = idx.tree.query(points, predicate="intersects")
    out: dict[str, int] = {}
    for w, h in zip(where.tolist(), hit.tolist()):
        out.setdefault(codes[w], h)
    return out


def practice_places(project: Project) -> dict[str, str]:
    if not project.areas:
        return {}
    idx = area_index(project)
    return {c: idx.places[a] for c, a in practice_areas(project, idx).items() if idx.places[a]}


def touching_networks(project: Project) -> dict[str, set[str]]:
    """Practice -> networks assigned the practice's own area or an area touching it."""
    if not project.areas or not project.area_assignments:
        return {}
    idx = area_index(project)
    out: dict[str, set[str]] = {}
    for code, a in practice_areas(project, idx).items():
        geom = idx.geoms[a]
        near = idx.tree.query(geom, predicate="intersects").tolist() if geom is not None else [a]
        nets = {project.area_assignments.get(idx.codes[j]) for j in set(near) | {a}}
        out[code] = {n for n in nets if n in project.networks}
    return out
