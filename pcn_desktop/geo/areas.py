"""The static half of the geography: small areas in BNG and who is registered where.

Built once per project (and rebuilt only when its areas or latest registrations change), so
that boundary builds, measures and rules after an edit never re-project or re-index areas.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from ..domain.model import Project, SmallArea
from .crs import lonlat_to_bng, to_bng

# ONS LSOA/MSOA names are "<local authority> <3 digits><letter>", e.g. "Burnley 001A".
_PLACE_FROM_NAME = re.compile(r"^(.*\S)\s+\d{3}[A-Z]?$")


def place_of(area: SmallArea) -> str:
    """The area's local authority: its own ``place``, else read from an ONS-style name."""
    if area.place:
        return area.place
    m = _PLACE_FROM_NAME.match(area.name.strip())
    return m.group(1) if m else ""


@dataclass
class AreaIndex:
    codes: list[str]
    pos: dict[str, int]
    geoms: np.ndarray                 # BNG, made valid; None where the area has no polygon
    reps: np.ndarray                  # a point inside each area (BNG)
    area_m2: np.ndarray
    places: list[str]
    tree: shapely.STRtree
    # latest registrations as parallel arrays; area index -1 = not one of the project's areas
    reg_area: np.ndarray
    reg_practice: np.ndarray
    reg_n: np.ndarray
    practice_codes: list[str]
    practice_pos: dict[str, int]
    residents: np.ndarray             # registered patients living in each area, any practice
    others: np.ndarray                # of them, registered at practices outside the project
    rows_by_practice: dict[str, np.ndarray] = field(default_factory=dict)
    rows_by_area: dict[int, np.ndarray] = field(default_factory=dict)
    fingerprint: tuple[Any, ...] = ()

    def indices(self, codes: Any) -> np.ndarray:
        pos = self.pos
        return np.fromiter((pos[c] for c in codes if c in pos), dtype=np.int64)

    def practice_site(self, project: Project, code: str) -> Any:
        """The practice's site as a BNG point, or None when it has no coordinates."""
        p = project.practices.get(code)
        if p is None or not p.has_location:
            return None
        x, y = lonlat_to_bng(np.array([p.longitude]), np.array([p.latitude]))
        return shapely.points(x[0], y[0])


def _fingerprint(project: Project) -> tuple[Any, ...]:
    when, regs = project.latest_registrations()
    others = project.other_registrations_at(when)
    return (id(project.areas), len(project.areas), when, id(regs), len(regs), id(others), len(others))


_INDEXES: "weakref.WeakKeyDictionary[Project, AreaIndex]" = weakref.WeakKeyDictionary()


def area_index(project: Project) -> AreaIndex:
    """The project's area index, rebuilt when its areas or latest registrations changed."""
    fp = _fingerprint(project)
    idx = _INDEXES.get(project)
    if idx is None or idx.fingerprint != fp:
        idx = build_area_index(project)
        idx.fingerprint = fp
        _INDEXES[project] = idx
    return idx


def build_area_index(project: Project) -> AreaIndex:
    codes = sorted(project.areas)
    pos = {c: i for i, c in enumerate(codes)}
    raw = np.array([project.areas[c].geometry for c in codes], dtype=object)
    have = np.array([g is not None for g in raw], dtype=bool)
    geoms = np.full(len(codes), None, dtype=object)
    if have.any():
        bng = to_bng(shapely.make_valid(raw[have]))
        geoms[have] = bng
    reps = shapely.point_on_surface(geoms)
    area_m2 = np.nan_to_num(shapely.area(geoms))
    places = [place_of(project.areas[c]) for c in codes]

    when, regs = project.latest_registrations()
    practice_codes = sorted({p for p, _ in regs})
    practice_pos = {c: i for i, c in enumerate(practice_codes)}
    n = len(regs)
    reg_area = np.fromiter((pos.get(a, -1) for _, a in regs), dtype=np.int64, count=n)
    reg_practice = np.fromiter((practice_pos[p] for p, _ in regs), dtype=np.int64, count=n)
    reg_n = np.fromiter(regs.values(), dtype=np.int64, count=n)
    inside = reg_area >= 0
    residents = np.bincount(reg_area[inside], weights=reg_n[inside], minlength=len(codes)).astype(np.int64)
    others = np.zeros(len(codes), dtype=np.int64)
    for area, n in project.other_registrations_at(when).items():
        if area in pos:
            others[pos[area]] += n
    residents += others
    idx = AreaIndex(codes, pos, geoms, reps, area_m2, places, shapely.STRtree(geoms),
                    reg_area, reg_practice, reg_n, practice_codes, practice_pos, residents, others)
    idx.rows_by_practice = _group(reg_practice, practice_codes)
    idx.rows_by_area = {int(k): v for k, v in _group_int(reg_area).items() if k >= 0}
    return idx


def _group_int(keys: np.ndarray) -> dict[int, np.ndarray]:
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.concatenate([[0], cuts])
    return {int(sorted_keys[s]): chunk for s, chunk in zip(starts, np.split(order, cuts))}


def _group(keys: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    return {names[k]: rows for k, rows in _group_int(keys).items()}
