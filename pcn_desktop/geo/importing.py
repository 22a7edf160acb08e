"""Imported boundaries: one polygon per network from GeoJSON, GeoPackage or a shapefile.

Features are matched to networks by ODS code, else by normalised name ("Darwen PCN",
"DARWEN  pcn " and "Darwen Primary Care Network" all match "Darwen"). Any CRS is accepted
and reprojected; a file without one is refused. Several features for one network are joined.
The file replaces every boundary: networks it has no polygon for are left without one, but
only when asked (``replace_all``); a file matching no network at all is refused.
Small areas are then assigned to the network whose polygon holds their interior point, so
the area-based measures (patients inside, places, gaps) work for imported boundaries too.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..domain.model import Project, normalise_name
from .areas import area_index
from .boundaries import store_boundary, state
from .crs import BNG

# network_code / network_name: what `pcn-desktop export --what boundaries` writes
CODE_COLUMNS = ("pcn_code", "pcncode", "pcn_cd", "code", "ods_code", "odscode", "pcn_ods_code", "network_code")
NAME_COLUMNS = ("pcn_name", "pcnname", "pcn", "name", "pcn_nm", "network", "network_name")


class BoundaryImportError(ValueError):
    pass


@dataclass
class ImportResult:
    matched: dict[str, list[int]] = field(default_factory=dict)    # network id -> feature numbers (1-based)
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (feature number, its name or code)
    networks_without: list[str] = field(default_factory=list)      # network ids given no polygon
    areas_assigned: int = 0


def match_key(name: str) -> str:
    """A network name reduced to what matters for matching."""
    text = normalise_name(name)
    text = re.sub(r"\b(primary care network|pcn)\b", " ", text)
    return " ".join(re.sub(r"[^\w ]", " ", text).split())


def _column(columns: list[str], wanted: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[w] for w in wanted if w in lower), None)


def read_boundary_file(path: Path, layer: str | None = None) -> Any:
    import warnings

    import geopandas as gpd
    with warnings.catch_warnings(record=True) as caught:     # GDAL's warnings name no feature: not shown
        warnings.simplefilter("always")
        try:
            frame = gpd.read_file(path, layer=layer)
        except Exception as exc:  # pyogrio raises several types for unreadable files
            said = "; ".join(dict.fromkeys(" ".join(str(w.message).split()) for w in caught
                                           if issubclass(w.category, RuntimeWarning)))
            raise BoundaryImportError(f"{path}: cannot read boundaries ({exc}{'; ' + said if said else ''})") from None
    if frame.crs is None:
        raise BoundaryImportError(f"{path}: the file has no coordinate reference system; "
                                  "save it with one (e.g. EPSG:27700 or EPSG:4326)")
    if len(frame) == 0:
        raise BoundaryImportError(f"{path}: has no features (an empty layer)")
    bounds = np.array(frame.geometry.bounds.to_numpy(dtype=float))
    drawn = ~(frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    bounds[~drawn] = 0.0
    bad = ~np.isfinite(bounds).all(axis=1) | (np.abs(bounds) > 1e7).any(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise BoundaryImportError(f"{path}: feature {i + 1}: coordinates are not finite or far beyond any map")
    return frame


@dataclass
class BoundaryMatch:
    """A boundary file read and matched to the project's networks, nothing changed yet."""
    path: Path
    result: ImportResult
    pieces: dict[str, list[Any]]          # network id -> its features' polygons (BNG)
    losing: list[str]                     # networks with a boundary now that the file has none for

    @property
    def features(self) -> int:
        return sum(map(len, self.result.matched.values())) + len(self.result.unmatched)


def import_boundaries(project: Project, path: str | Path, layer: str | None = None,
                      when: datetime | None = None, replace_all: bool = False) -> ImportResult:
    """Match, then replace. Refused before any change when no feature matches a network, or
    when networks that have a boundary now are not in the file and ``replace_all`` is off."""
    return apply_boundaries(project, match_boundaries(project, path, layer), replace_all, when)


def match_boundaries(project: Project, path: str | Path, layer: str | None = None) -> BoundaryMatch:
    """Read ``path`` and match its features to the project's networks, changing nothing.
    Refused (``BoundaryImportError``) when the file cannot be used or matches no network."""
    path = Path(path)
    frame = read_boundary_file(path, layer)
    cols = [c for c in frame.columns if c != frame.geometry.name]
    code_col, name_col = _column(cols, CODE_COLUMNS), _column(cols, NAME_COLUMNS)
    if code_col is None and name_col is None:
        raise BoundaryImportError(f"{path}: no column names the network; expected one of "
                                  f"{', '.join(CODE_COLUMNS + NAME_COLUMNS)} (found {', '.join(cols)})")
    by_code = {n.code.strip().upper(): n.id for n in project.networks.values() if n.code.strip()}
    by_name = {match_key(n.name): n.id for n in project.networks.values()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # non-finite results are refused just below
        bng = frame.to_crs(BNG).geometry.values
    _check_in_britain(path, frame, bng)
    result = ImportResult()
    pieces: dict[str, list[Any]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)      # a GEOS warning names no feature: refuse with one
        _match_features(path, frame, bng, code_col, name_col, by_code, by_name, result, pieces)
    if not pieces:
        raise BoundaryImportError(f"{path}: none of its {len(bng):,} features matches a network of the project "
                                  f"by code or name (e.g. {', '.join(l for _, l in result.unmatched[:3])}); "
                                  "nothing was changed")
    losing = sorted((n for n in project.boundaries if n not in pieces and n in project.networks),
                    key=lambda n: project.networks[n].name)
    return BoundaryMatch(path, result, pieces, losing)


def apply_boundaries(project: Project, match: BoundaryMatch, replace_all: bool = False,
                     when: datetime | None = None) -> ImportResult:
    """Make ``match``'s polygons the project's boundaries (and assign the small areas inside
    them). Refused before any change when it would leave networks that have a boundary now
    without one and ``replace_all`` is off."""
    when = when or datetime.now().replace(microsecond=0)
    path, result, pieces, losing = match.path, match.result, match.pieces, match.losing
    if losing and not replace_all:
        names = ", ".join(project.networks[n].name for n in losing[:5]) + \
            (f" and {len(losing) - 5} more" if len(losing) > 5 else "")
        raise BoundaryImportError(f"{path}: matches {len(pieces)} of {len(project.networks)} networks "
                                  f"({len(result.unmatched)} features unmatched); {len(losing)} networks with a "
                                  f"boundary now are not in it ({names}): add --replace-all to remove their "
                                  "boundaries; nothing was changed")
    for nid, geoms in pieces.items():
        store_boundary(project, nid, shapely.union_all(geoms), f"imported:{path.name}", when)
    result.networks_without = sorted(n for n in project.networks if n not in pieces)
    for nid in [n for n in project.boundaries if n not in pieces]:
        del project.boundaries[nid]     # the file replaces every boundary, as a build does
    result.areas_assigned = _assign_areas(project, pieces)
    st = state(project)
    st.update(source="imported", built=dict(project.area_assignments), contested={}, built_at=when.isoformat())
    project.touch()
    return result


def _match_features(path: Path, frame: Any, bng: Any, code_col: str | None, name_col: str | None,
                    by_code: dict[str, str], by_name: dict[str, str], result: ImportResult,
                    pieces: dict[str, list[Any]]) -> None:
    for i, geom in enumerate(bng):
        try:
            _match_feature(path, frame, i, geom, code_col, name_col, by_code, by_name, result, pieces)
        except (shapely.errors.GEOSException, RuntimeWarning, ValueError) as exc:
            raise BoundaryImportError(f"{path}: feature {i + 1} cannot be used as a polygon "
                                      f"({' '.join(str(exc).split())[:200]})") from None


def _match_feature(path: Path, frame: Any, i: int, geom: Any, code_col: str | None, name_col: str | None,
                   by_code: dict[str, str], by_name: dict[str, str], result: ImportResult,
                   pieces: dict[str, list[Any]]) -> None:
    number = i + 1
    code = str(frame[code_col].iloc[i] or "").strip() if code_col else ""
    name = str(frame[name_col].iloc[i] or "").strip() if name_col else ""
    label = name or code or "(no name)"
    if geom is None or geom.is_empty:
        raise BoundaryImportError(f"{path}: feature {number} ({label}) has no geometry")
    geom = shapely.make_valid(geom)
    if geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection") or geom.area == 0:
        raise BoundaryImportError(f"{path}: feature {number} ({label}) is a {geom.geom_type}, not a polygon")
    nid = by_code.get(code.upper()) if code else None
    if nid is None and name:
        nid = by_name.get(match_key(name))
    if nid is None:
        result.unmatched.append((number, label))
        return
    result.matched.setdefault(nid, []).append(number)
    pieces.setdefault(nid, []).append(geom)


def _check_in_britain(path: Path, frame: Any, bng: Any) -> None:
    """Reprojected polygons outside Great Britain and Northern Ireland are refused with the
    probable cause, before any geometry work (GEOS fails on infinite coordinates)."""
    bounds = shapely.bounds(bng)
    drawn = ~(shapely.is_missing(bng) | shapely.is_empty(bng))
    inside = (bounds[:, 0] >= -250_000) & (bounds[:, 2] <= 800_000) & (bounds[:, 1] >= -20_000) & \
        (bounds[:, 3] <= 1_300_000)
    bad = drawn & ~(np.isfinite(bounds).all(axis=1) & inside)
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    raw = np.array(frame.geometry.iloc[[i]].bounds.to_numpy(dtype=float))[0]
    if frame.crs.is_geographic and (np.abs(raw) > 180).any():
        cause = f"the file declares degrees ({frame.crs.name}) but its coordinates look like metres"
    elif frame.crs.is_geographic and 49 <= raw[0] <= 61 and -9 <= raw[1] <= 2:
        cause = "latitude and longitude appear swapped"
    else:
        cause = f"it lies outside Great Britain once reprojected from {frame.crs.name}"
    raise BoundaryImportError(f"{path}: feature {i + 1}: {cause}; nothing was changed")


def _assign_areas(project: Project, pieces: dict[str, list[Any]]) -> int:
    """Each area goes to the first imported polygon (by network order) holding its interior point."""
    project.area_assignments.clear()
    if not project.areas:
        return 0
    idx = area_index(project)
    owner = np.full(len(idx.codes), -1, dtype=np.int64)
    ids = [n.id for n in project.sorted_networks() if n.id in pieces]
    for k, nid in enumerate(ids):
        inside = shapely.intersects(shapely.union_all(pieces[nid]), idx.reps)
        owner[(owner < 0) & inside] = k
    for i in np.flatnonzero(owner >= 0).tolist():
        project.area_assignments[idx.codes[i]] = ids[owner[i]]
    return int((owner >= 0).sum())


def import_area_assignments(project: Project, assignments: dict[str, str], source: str,
                            when: datetime | None = None) -> int:
    """Take an area -> network list (the areas CSV ``export`` writes) as the project's areas,
    and dissolve each network's boundary from them; how many networks have one.

    Like an imported boundary file, it replaces every assignment, and the boundaries it gives
    stay as imported (moves do not redraw them)."""
    from .boundaries import areas_by_network, dissolve
    when = when or datetime.now().replace(microsecond=0)
    project.area_assignments.clear()
    project.area_assignments.update(assignments)
    project.touch()
    groups = areas_by_network(project)
    geoms = dissolve(area_index(project), {n: sorted(a) for n, a in groups.items()})
    for nid in [n for n in project.boundaries if n not in geoms]:
        del project.boundaries[nid]
    for nid, geom in geoms.items():
        store_boundary(project, nid, geom, f"imported:{source}", when)
    state(project).update(source="imported", built=dict(assignments), contested={}, built_at=when.isoformat())
    return len(geoms)
