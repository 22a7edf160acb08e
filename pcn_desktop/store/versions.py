"""Optimistic concurrency: what each session last read, what it changed, and whose change wins.

A project is divided into editable units, each with a version kept in the store beside it:
one per network (its fields, director, members, boundary, areas and workforce plan), one per
practice (the networks it belongs to), one for a scenario's own settings (all three per
scenario), one for the list of scenarios and one for the shared data (practices, list sizes,
areas, registrations, settings: what imports change). A session remembers, per unit, the version it
read and a fingerprint of the unit as read. At save time a unit whose fingerprint differs
has been edited here; if the store's version of it has moved on, someone else saved it
meanwhile and the save is refused, naming the unit and who changed it. Units changed only by
others are pulled into this session's project before it is written, so nobody's work is lost.

Fingerprints are Python hashes: compared only within the process that made them. Geometries
count by identity (shapely's are immutable: a changed outline is a new object), which keeps a
fingerprint of all England's areas and outlines to a fraction of a second; the base holds the
geometries it saw, so a new object can never reuse the address of one it replaced.
"""
from __future__ import annotations

import copy
import weakref
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any, Iterable

from ..domain.commands import current_user
from ..domain.model import Membership, Project

DATA = "data"


@dataclass(frozen=True)
class Version:
    number: int
    who: str
    when: datetime | None


@dataclass
class Conflict:
    unit: str            # e.g. "current|network:<id>"
    described: str       # what a user calls it: "network Moorside PCN (U12345)"
    who: str
    when: datetime | None

    def sentence(self) -> str:
        at = f" at {self.when:%Y-%m-%d %H:%M}" if self.when else ""
        return f"{self.described} was changed by {self.who or 'someone'}{at}"


class StaleSave(Exception):
    """Someone else saved a unit this session also changed; nothing was written."""

    def __init__(self, target: str, conflicts: list[Conflict]) -> None:
        self.target = target
        self.conflicts = conflicts
        listed = "; ".join(c.sentence() for c in conflicts)
        super().__init__(f"{target}: not saved, the project changed since it was opened: {listed}. "
                         "Reload those and apply your change again.")

    @property
    def networks(self) -> set[str]:
        return {split_unit(c.unit)[2] for c in self.conflicts if split_unit(c.unit)[1] == "network"}

    @property
    def practices(self) -> set[str]:
        return {split_unit(c.unit)[2] for c in self.conflicts if split_unit(c.unit)[1] == "practice"}


@dataclass
class Base:
    """What a session read from its store: the save it saw, unit versions and fingerprints."""

    target: str
    save_id: str
    versions: dict[str, Version]
    prints: dict[str, int]
    audit_len: int
    data_print: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


_BASES: "weakref.WeakKeyDictionary[Project, Base]" = weakref.WeakKeyDictionary()


def base_of(project: Project) -> Base | None:
    return _BASES.get(project)


def remember(project: Project, target: str, save_id: str, versions: dict[str, Version]) -> Base:
    keep: list[Any] = []
    base = Base(target, save_id, dict(versions), unit_prints(project, keep), len(project.audit))
    base.extra["geometries"] = keep
    _BASES[project] = base
    return base


def adopt(copy_of: Project, original: Project) -> None:
    """``copy_of`` (a copy of ``original`` with further changes, e.g. an import) continues the
    original's session: its changes are judged against what the original read."""
    base = _BASES.get(original)
    if base is not None:
        _BASES[copy_of] = Base(base.target, base.save_id, dict(base.versions), dict(base.prints),
                               base.audit_len, base.data_print, dict(base.extra))


def forget(project: Project) -> None:
    _BASES.pop(project, None)


# --- units and their fingerprints ----------------------------------------------------------
# Unit names: DATA and SCENARIOS for the project as a whole; "<scenario>|network:<id>",
# "<scenario>|practice:<code>" and "<scenario>|config" for what each scenario owns.
SCENARIOS = "scenarios"


def unit_prints(project: Project, keep: list[Any] | None = None) -> dict[str, int]:
    """Every unit's fingerprint; ``keep`` collects the geometries counted by identity."""
    prints: dict[str, int] = {DATA: data_print(project, keep),
                              SCENARIOS: hash(tuple(project.scenario_names()))}
    for scenario in project.scenarios():
        prints.update(scenario_prints(scenario, keep))
    return prints


def scenario_prints(project: Project, keep: list[Any] | None = None) -> dict[str, int]:
    import json  # noqa: PLC0415
    prefix = f"{project.scenario_name}|"
    prints = {prefix + "config": hash((json.dumps(project.settings.own, sort_keys=True, default=str),
                                       tuple(astuple(m) for m in project.memberships if m.end is not None)))}
    areas_of: dict[str, list[str]] = {}
    for area, nid in project.area_assignments.items():
        areas_of.setdefault(nid, []).append(area)
    for nid, net in project.networks.items():
        boundary = project.boundaries.get(nid)
        prints[f"{prefix}network:{nid}"] = hash((
            repr(net), tuple(sorted(project.members(nid))), tuple(sorted(areas_of.get(nid, ()))),
            None if boundary is None else (boundary.provenance, boundary.built, _geometry(boundary.geometry, keep)),
            tuple(astuple(r) for r in project.workforce.get(nid, ()))))
    for code in project.practices:
        prints[f"{prefix}practice:{code}"] = hash(tuple(sorted((m.network_id, m.start)
                                                               for m in _current(project, code))))
    return prints


def data_print(project: Project, keep: list[Any] | None = None) -> int:
    """The shared data as imported: compared to tell whether this session imported something."""
    import json  # noqa: PLC0415
    return hash((
        project.name, json.dumps(project.settings.shared, sort_keys=True, default=str),
        tuple(repr(p) for p in project.practices.values()),
        tuple((c, tuple(s.items())) for c, s in project.list_sizes.items() if s),
        tuple((a.code, a.name, a.place, _geometry(a.geometry, keep)) for a in project.areas.values()),
        # keys and values hashed apart: a third of the time of hashing 700,000 (key, value) pairs
        tuple((d, hash(tuple(rows)), hash(tuple(rows.values()))) for d, rows in project.registrations.items())))


def _geometry(geometry: Any, keep: list[Any] | None) -> int:
    if geometry is None:
        return 0
    if keep is not None:
        keep.append(geometry)
    return id(geometry)


def _current(project: Project, code: str) -> list[Membership]:
    return [m for nid in project.networks_of(code) if (m := project.membership(code, nid)) is not None]


def changed_units(project: Project, base: Base) -> set[str]:
    now = unit_prints(project)
    return {u for u in set(now) | set(base.prints) if now.get(u) != base.prints.get(u)}


def split_unit(unit: str) -> tuple[str, str, str]:
    """(scenario or '', kind, key): "current|network:ab12" -> ("current", "network", "ab12")."""
    scenario, _, rest = unit.rpartition("|")
    kind, _, key = rest.partition(":")
    return scenario, kind, key


def describe(unit: str, *projects: Project) -> str:
    scenario, kind, key = split_unit(unit)
    where = f" in scenario {scenario}" if scenario else ""
    scenarios = [p.scenario(scenario) for p in projects if scenario in p.scenario_names()]
    if kind == "network":
        for project in scenarios:
            net = project.networks.get(key)
            if net is not None:
                return f"network {net.name}" + (f" ({net.code})" if net.code else "") + where
        return "a network since removed" + where
    if kind == "practice":
        for project in scenarios:
            p = project.practices.get(key)
            if p is not None:
                return f"practice {key}" + (f" {p.name}" if p.name else "") + "'s network" + where
        return f"practice {key}'s network" + where
    if kind == "config":
        return f"the settings of scenario {scenario}"
    if kind == SCENARIOS:
        return "the list of scenarios"
    return "the project's imported data and settings"


# --- the decision at save time ---------------------------------------------------------------
def reconcile(mine: Project, base: Base, theirs: Project, their_versions: dict[str, Version],
              target: str) -> tuple[set[str], set[str]]:
    """Pull into ``mine`` the units only others changed; refuse when both changed one.

    Returns (units changed here, units pulled from the store)."""
    ours = changed_units(mine, base)
    others = {u for u in set(their_versions) | set(base.versions)
              if their_versions.get(u) != base.versions.get(u)}
    clash = sorted(ours & others)
    if clash:
        raise StaleSave(target, [Conflict(u, describe(u, theirs, mine), (v := their_versions.get(u)) and v.who or "",
                                          v.when if v else None) for u in clash])
    pull(mine, theirs, others)
    return ours, others


def pull(dst: Project, src: Project, units: Iterable[str]) -> set[str]:
    """Make ``dst``'s units equal ``src``'s; returns the network ids touched in the active
    scenario (for the views)."""
    units = set(units)
    touched: set[str] = set()
    if DATA in units:
        _pull_data(dst, src)
    if SCENARIOS in units:
        _pull_scenario_list(dst, src)
    known = set(dst.scenario_names()) & set(src.scenario_names())
    by_scenario: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        scenario, kind, key = split_unit(unit)
        if scenario in known:
            by_scenario.setdefault(scenario, []).append((kind, key))
    for scenario, wanted in by_scenario.items():
        here = _pull_scenario(dst.scenario(scenario), src.scenario(scenario), wanted)
        if scenario == dst.active_scenario:
            touched |= here
    if units:
        dst.touch()
    return touched


def _pull_scenario(dst: Project, src: Project, wanted: list[tuple[str, str]]) -> set[str]:
    touched: set[str] = set()
    for kind, key in wanted:
        if kind == "config":
            dst.settings.own.clear()
            dst.settings.own.update(copy.deepcopy(src.settings.own))
            dst._history[:] = [copy.copy(m) for m in src.memberships if m.end is not None]  # noqa: SLF001
    for code in sorted(key for kind, key in wanted if kind == "practice"):
        for nid in dst.networks_of(code):
            dst.remove_membership(code, nid)
            touched.add(nid)
        for m in _current(src, code):
            if m.network_id not in dst.networks and m.network_id in src.networks:
                dst.add_network(copy.deepcopy(src.networks[m.network_id]))
            dst.add_membership(copy.copy(m))
            touched.add(m.network_id)
    for nid in sorted(key for kind, key in wanted if kind == "network"):
        touched.add(nid)
        _pull_network(dst, src, nid)
    return touched


def _pull_scenario_list(dst: Project, src: Project) -> None:
    """Scenarios others added or deleted: added ones arrive whole, deleted ones go (except
    the one this session has open, which stays until it is saved)."""
    from ..domain.scenarios import _copy_configuration  # noqa: PLC0415
    theirs = src.scenario_names()
    for name in theirs:
        if name not in dst.scenario_names():
            _copy_configuration(src.scenario(name), dst.new_scenario(name))
    for name in dst.scenario_names():
        if name not in theirs and name != dst.active_scenario:
            dst._registry.others.pop(name, None)  # noqa: SLF001 — deleted elsewhere, not here
            dst._registry.order.remove(name)  # noqa: SLF001
    order = [n for n in theirs if n in dst.scenario_names()]
    dst._registry.order[:] = order + [n for n in dst.scenario_names() if n not in order]  # noqa: SLF001


def _pull_network(dst: Project, src: Project, nid: str) -> None:
    theirs = src.networks.get(nid)
    if theirs is None:
        for area in [a for a, n in dst.area_assignments.items() if n == nid]:
            del dst.area_assignments[area]
        dst.boundaries.pop(nid, None)
        dst.workforce.pop(nid, None)
        if nid in dst.networks:
            for code in list(dst.members(nid)):
                dst.remove_membership(code, nid)
            dst.remove_network(nid)
        return
    mine = dst.networks.get(nid)
    if mine is None:
        dst.add_network(copy.deepcopy(theirs))
    else:   # in place: panes and undo steps hold this object
        vars(mine).update(vars(copy.deepcopy(theirs)))
    for area in {a for a, n in dst.area_assignments.items() if n == nid} | \
            {a for a, n in src.area_assignments.items() if n == nid}:
        value = src.area_assignments.get(area)
        if value is None:
            dst.area_assignments.pop(area, None)
        elif value in dst.networks or value == nid:
            dst.area_assignments[area] = value
    if nid in src.boundaries:
        dst.boundaries[nid] = copy.copy(src.boundaries[nid])
    else:
        dst.boundaries.pop(nid, None)
    roles = src.workforce.get(nid)
    if roles:
        dst.workforce[nid] = [copy.copy(r) for r in roles]
    else:
        dst.workforce.pop(nid, None)


def _pull_data(dst: Project, src: Project) -> None:
    # mutated in place: scenarios share these containers with the live project
    dst.name = src.name
    for scenario in dst.scenarios():
        scenario.name = src.name
    dst.settings.shared.clear()
    dst.settings.shared.update(copy.deepcopy(src.settings.shared))
    for mine, theirs in ((dst.practices, src.practices), (dst.list_sizes, src.list_sizes),
                         (dst.areas, src.areas), (dst.registrations, src.registrations)):
        mine.clear()
        mine.update(theirs)


def next_versions(versions: dict[str, Version], units: Iterable[str], who: str | None = None,
                  when: datetime | None = None) -> dict[str, Version]:
    who = who or current_user()
    when = when or datetime.now().replace(microsecond=0)
    out = dict(versions)
    for unit in units:
        old = out.get(unit)
        out[unit] = Version((old.number if old else 0) + 1, who, when)
    return out
