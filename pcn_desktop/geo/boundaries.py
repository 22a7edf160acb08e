"""Network boundaries: built from registrations, re-dissolved after hand edits, and kept in
step with practice moves.

The model for hand edits (``AssignArea``): every build records what it decided in
``project.settings["boundaries"]["built"]`` (area -> network id). An area whose current
assignment differs from that record — given to another network, or cleared — is a hand edit.
A rebuild recomputes the plurality and then lays the edits back on top, so edits survive it;
``reset_edits=True`` drops them. Undoing an edit restores the built value, which makes the area
an ordinary one again: the rule needs no extra bookkeeping in the command.

``min_share``: an area whose leading network holds less than this share of its registered
patients is *contested* and left unassigned (a gap the user settles by hand), listed in
``project.settings["boundaries"]["contested"]`` with the leader and its share.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

import numpy as np
import shapely

from ..domain.model import Boundary, Project
from .areas import AreaIndex, area_index
from .assign import Vote, plurality
from .crs import to_wgs84

STATE = "boundaries"


@dataclass
class BuildResult:
    assigned: int
    unassigned: list[str]                          # project areas with no network
    contested: dict[str, tuple[str, float]]        # area -> (leading network id, share)
    edits_kept: dict[str, str | None]              # area -> network id (None: cleared)
    networks: list[str] = field(default_factory=list)   # networks given a boundary


def state(project: Project) -> dict[str, Any]:
    return project.settings.setdefault(STATE, {})


def hand_edits(project: Project) -> dict[str, str | None]:
    """Areas whose assignment differs from what the last build decided."""
    built = state(project).get("built", {})
    now = project.area_assignments
    return {a: now.get(a) for a in set(built) | set(now) if now.get(a) != built.get(a)}


# --- the reverse index: network -> its areas ---------------------------------------------
# Kept in step by this module's own changes; anything else that edits area_assignments (the
# AssignArea command) is noticed by comparing against a snapshot (one C-level dict compare).
@dataclass
class _ByNetwork:
    stamp: tuple[int, int]
    snapshot: dict[str, str]
    by_net: dict[str, set[str]]


_BY_NET: "weakref.WeakKeyDictionary[Project, _ByNetwork]" = weakref.WeakKeyDictionary()


def _reverse(project: Project) -> _ByNetwork:
    cached = _BY_NET.get(project)
    now = project.area_assignments
    stamp = (project.revision, len(now))
    if cached is not None and (cached.stamp == stamp or cached.snapshot == now):
        cached.stamp = stamp
        return cached
    by_net: dict[str, set[str]] = {}
    for area, nid in now.items():
        by_net.setdefault(nid, set()).add(area)
    cached = _BY_NET[project] = _ByNetwork(stamp, dict(now), by_net)
    return cached


def areas_by_network(project: Project) -> dict[str, set[str]]:
    return _reverse(project).by_net


def set_assignment(project: Project, area: str, nid: str | None, journal: Journal | None = None) -> None:
    """Change one area's network, keeping the reverse index in step."""
    rev = _reverse(project)
    old = project.area_assignments.get(area)
    if journal is not None:
        journal.assignments.setdefault(area, old)
    if old is not None:
        rev.by_net.get(old, set()).discard(area)
        del project.area_assignments[area]
        del rev.snapshot[area]
    if nid is not None:
        project.area_assignments[area] = nid
        rev.snapshot[area] = nid
        rev.by_net.setdefault(nid, set()).add(area)


# --- the journal: what a follow-up overwrote, so that an undo puts it back exactly ------------
@dataclass
class Journal:
    """The first old value of everything a boundary update overwrote (None = absent)."""

    assignments: dict[str, str | None] = field(default_factory=dict)
    built: dict[str, str | None] = field(default_factory=dict)
    contested: dict[str, Any] = field(default_factory=dict)
    boundaries: dict[str, tuple[Boundary | None, Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.assignments or self.built or self.contested or self.boundaries)

    def note_boundary(self, project: Project, nid: str) -> None:
        if nid not in self.boundaries:
            self.boundaries[nid] = (project.boundaries.get(nid), _BNG.get(project, {}).get(nid))


def restore(project: Project, journal: Journal) -> None:
    """Put back what ``journal`` recorded: assignments, the build record and boundaries."""
    for area, nid in journal.assignments.items():
        set_assignment(project, area, nid)
    st = state(project)
    for key, old_values in (("built", journal.built), ("contested", journal.contested)):
        table = st.setdefault(key, {})
        for code, old in old_values.items():
            if old is None:
                table.pop(code, None)
            else:
                table[code] = old
    cache = _BNG.setdefault(project, {})
    for nid, (boundary, bng) in journal.boundaries.items():
        if boundary is None:
            project.boundaries.pop(nid, None)
            cache.pop(nid, None)
        else:
            project.boundaries[nid] = boundary
            if bng is not None:
                cache[nid] = bng
    project.touch()


def follows_registrations(project: Project) -> bool:
    """Boundaries last built from registrations follow edits; imported ones stay as imported."""
    return (project.settings.get(STATE) or {}).get("source") == "registrations"


# --- BNG geometry of stored boundaries, kept so measures never re-project what we built ----
_BNG: "weakref.WeakKeyDictionary[Project, dict[str, tuple[Any, Any]]]" = weakref.WeakKeyDictionary()


def boundary_bng(project: Project, network_id: str) -> Any:
    """The network's stored boundary in BNG (None when it has none)."""
    b = project.boundaries.get(network_id)
    if b is None or b.geometry is None:
        return None
    cache = _BNG.setdefault(project, {})
    hit = cache.get(network_id)
    if hit is not None and hit[0] is b.geometry:
        return hit[1]
    from .crs import to_bng
    bng = shapely.make_valid(to_bng(b.geometry))
    cache[network_id] = (b.geometry, bng)
    return bng


def store_boundary(project: Project, nid: str, bng: Any, provenance: str, when: datetime) -> None:
    wgs = to_wgs84(bng)
    project.boundaries[nid] = Boundary(nid, wgs, provenance, when)
    _BNG.setdefault(project, {})[nid] = (wgs, bng)


def dissolve(idx: AreaIndex, groups: dict[str, list[str]]) -> dict[str, Any]:
    """Union each group's areas (BNG). Areas without polygons are skipped."""
    out: dict[str, Any] = {}
    for nid, codes in groups.items():
        geoms = idx.geoms[np.sort(idx.indices(codes))]
        geoms = geoms[shapely.is_geometry(geoms)]
        if len(geoms):
            out[nid] = union_areas(geoms)
    return out


# Snap grid of the robust union, in BNG metres: far below any real boundary's precision, far
# above the rounding error between two files' (or two projections') copies of a shared edge.
SNAP_M = 0.01


# The same grid for areas in longitude and latitude (the map's): about a centimetre.
SNAP_DEGREES = 1e-7


def union_areas(geoms: np.ndarray, snap: float = SNAP_M) -> Any:
    """Union of small areas (BNG metres; ``snap`` is the grid in the geometries' own units).
    Areas from one tessellation share edges exactly, so the fast coverage union is tried
    first (ten times quicker than an overlay on real LSOAs). When neighbours' shared edges
    differ by a rounding error the coverage union raises (TopologyException) or returns an
    invalid result, and a plain overlay would leave hairline slivers (one network in two
    parts): the robust union below is used instead."""
    if len(geoms) == 1:
        return geoms[0]
    total = float(shapely.area(geoms).sum())
    try:
        fast = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        fast = None                   # edges not noded alike: not an exact tessellation
    if fast is not None and shapely.is_valid(fast) and abs(fast.area - total) <= 1e-9 * max(total, 1.0):
        if fast.geom_type != "MultiPolygon" or not _parts_nearly_touch(fast, snap):
            return fast
    return robust_union(geoms, snap)


def _parts_nearly_touch(geom: Any, snap: float = SNAP_M) -> bool:
    """Two parts closer than the snap grid: a hairline gap between areas, not real detachment."""
    parts = shapely.get_parts(geom)
    left, right = shapely.STRtree(parts).query(parts, predicate="dwithin", distance=snap)
    return bool(np.any(left != right))


def robust_union(geoms: np.ndarray, snap: float = SNAP_M) -> Any:
    """Overlay union of the made-valid geometries, snap-rounded to the ``snap`` grid (1 cm), so
    edges that differ by less than that meet exactly instead of raising or leaving slivers."""
    return shapely.union_all(shapely.make_valid(geoms), grid_size=snap)


def _decide(votes: dict[str, Vote], min_share: float) -> tuple[dict[str, str], dict[str, tuple[str, float]]]:
    built: dict[str, str] = {}
    contested: dict[str, tuple[str, float]] = {}
    for code, v in votes.items():
        if v.network_id is None:
            continue
        if v.share < min_share:
            contested[code] = (v.network_id, round(v.share, 4))
        else:
            built[code] = v.network_id
    return built, contested


def build_from_registrations(project: Project, min_share: float = 0.0, reset_edits: bool = False,
                             when: datetime | None = None) -> BuildResult:
    """Assign every area by the plurality rule, keep hand edits, and dissolve per network."""
    when = when or datetime.now().replace(microsecond=0)
    idx = area_index(project)
    built, contested = _decide(plurality(project, idx), min_share)
    kept = {} if reset_edits else {a: n for a, n in hand_edits(project).items()
                                   if (n is None or n in project.networks) and a in project.areas}
    assignments = dict(built)
    for a, n in kept.items():
        if n is None:
            assignments.pop(a, None)
        else:
            assignments[a] = n
    project.area_assignments.clear()
    project.area_assignments.update(assignments)
    st = state(project)
    st.update(source="registrations", built=built, min_share=min_share,
              contested={a: [n, s] for a, (n, s) in contested.items()}, built_at=when.isoformat())
    edited_nets = {n for a, n in kept.items() if n} | {built[a] for a in kept if a in built}
    project.touch()
    groups = areas_by_network(project)
    for nid in [n for n in project.boundaries if not groups.get(n)]:
        del project.boundaries[nid]
    for nid, geom in dissolve(idx, groups).items():
        store_boundary(project, nid, geom, "edited" if nid in edited_nets else "registrations", when)
    unassigned = sorted(a for a in project.areas if a not in assignments)
    return BuildResult(len(assignments), unassigned, contested, kept, sorted(groups))


def refresh_boundaries(project: Project, network_ids: Iterable[str], provenance: str | None = "edited",
                       when: datetime | None = None, journal: Journal | None = None) -> set[str]:
    """Re-dissolve the given networks from their assigned areas (after ``AssignArea``).

    ``provenance=None`` keeps each boundary's own provenance ("registrations" when new).
    ``journal`` records the boundaries replaced, for an undo."""
    when = when or datetime.now().replace(microsecond=0)
    idx = area_index(project)
    wanted = {n for n in network_ids if n in project.networks}
    groups = areas_by_network(project)
    geoms = dissolve(idx, {n: groups.get(n, []) for n in wanted})
    for nid in wanted:
        if journal is not None:
            journal.note_boundary(project, nid)
        if nid in geoms:
            old = project.boundaries.get(nid)
            store_boundary(project, nid, geoms[nid], provenance or (old.provenance if old else "registrations"), when)
        else:
            project.boundaries.pop(nid, None)
    return wanted


def follow_moves(project: Project, touched: Iterable[str], journal: Journal | None = None) -> set[str]:
    """After practices move, re-run the plurality only where the touched networks' members
    (or their current areas) have patients, and re-dissolve the networks that changed.

    Does nothing unless the boundaries were last built from registrations. Returns every
    network whose boundary changed, which the caller adds to the scope it re-checks.
    ``journal`` records every value overwritten, for an undo (``restore``).
    """
    if not follows_registrations(project):
        return set()
    st = state(project)
    idx = area_index(project)
    touched = set(touched)
    groups = areas_by_network(project)
    affected: set[int] = set()
    _reverse(project)                      # note any hand edits before this module changes things
    for nid in touched:
        affected.update(idx.indices(groups.get(nid, [])).tolist())
        for code in project.members(nid):
            rows = idx.rows_by_practice.get(code)
            if rows is not None:
                affected.update(a for a in idx.reg_area[rows].tolist() if a >= 0)
    if not affected:
        return set()
    area_ids = np.fromiter(affected, dtype=np.int64)
    votes = plurality(project, idx, area_ids)
    new_built, new_contested = _decide(votes, float(st.get("min_share", 0.0)))
    built: dict[str, str] = st.setdefault("built", {})
    contested: dict[str, Any] = st.setdefault("contested", {})
    now = project.area_assignments
    changed: set[str] = set()
    for ai in area_ids.tolist():
        code = idx.codes[ai]
        old_built = built.get(code)
        new = new_built.get(code)
        edited = now.get(code) != old_built
        if journal is not None and new != old_built:
            journal.built.setdefault(code, old_built)
        if new is None:
            built.pop(code, None)
        else:
            built[code] = new
        old_contested = contested.get(code)
        new_contest = list(new_contested[code]) if code in new_contested else None
        if journal is not None and new_contest != old_contested:
            journal.contested.setdefault(code, old_contested)
        if new_contest is not None:
            contested[code] = new_contest
        else:
            contested.pop(code, None)
        if edited or new == old_built:
            continue
        changed |= {n for n in (now.get(code), new) if n}
        set_assignment(project, code, new, journal)
    for gone in [n for n in touched if n not in project.networks and n in project.boundaries]:
        if journal is not None:            # a dissolved network's outline goes with it
            journal.note_boundary(project, gone)
        project.boundaries.pop(gone)
        changed.add(gone)
    if changed:
        project.touch()
        refresh_boundaries(project, changed, provenance=None, journal=journal)
    return changed
