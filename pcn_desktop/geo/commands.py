"""Edits that concern the geography, as undoable commands (``pcn_desktop.domain.commands``).

- ``SetExpectedParts``: how many separate pieces a network's boundary may have before the
  contiguity rule reports it (a rural network split by moorland or an estuary).
- ``FollowBoundaries``: wraps a membership edit (move, create, dissolve, merge, split) or a
  hand edit of an area (``AssignArea``) so that boundaries built from registrations follow
  it: the plurality re-run where the touched networks have patients, or the touched networks
  re-dissolved. Everything that overwrote is journalled, so undo puts the areas, the build
  record and the boundaries back exactly; redo runs the edit and the follow-up again.
  Imported boundaries stay as imported. ``follow_geography`` wraps what needs wrapping.
  Whatever the boundaries' source, nothing is left given to a network the edit removed: a
  merged network's areas go to the network it joined, a dissolved one's to none.
- ``ReplaceGeography``: a whole new geography at once, a build from registrations or an
  imported boundary file, made by the work itself (in the window's worker) between two
  snapshots: undo puts the boundaries, area assignments and build record of before back.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..domain.commands import (AssignArea, Command, CreateNetwork, DissolveNetwork, MergeNetworks,
                               MovePractice, SplitNetwork)
from ..domain.model import Boundary, Project
from .boundaries import (STATE, Journal, follow_moves, follows_registrations, refresh_boundaries, restore,
                         set_assignment)
from .rules import EXPECTED_PARTS

MAX_EXPECTED_PARTS = 50


class SetExpectedParts(Command):
    """Allow a network's boundary this many parts (1, the default, removes the allowance)."""

    def __init__(self, network_id: str, parts: int) -> None:
        super().__init__()
        if not isinstance(parts, int) or not 1 <= parts <= MAX_EXPECTED_PARTS:
            raise ValueError(f"expected parts must be a whole number from 1 to {MAX_EXPECTED_PARTS}, "
                             f"not {parts!r}")
        self.nid, self.parts = network_id, parts
        self._old: int | None = None
        self.touched = {network_id}

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Set allowed boundary parts"

    def _do(self, project: Project) -> None:
        net = project.networks.get(self.nid)
        if net is None:
            raise KeyError(f"no network {self.nid}")
        self._old = (project.settings.get(EXPECTED_PARTS) or {}).get(self.nid)
        _store(project, self.nid, self.parts)
        project.record(f"network {net.key} allowed boundary parts",
                       expected_parts_or_default(self._old), self.parts, self.who)

    def _undo(self, project: Project) -> None:
        _store(project, self.nid, self._old)


def expected_parts_or_default(value: Any) -> int:
    return 1 if value is None else max(1, int(value))


def _store(project: Project, nid: str, parts: int | None) -> None:
    table = dict(project.settings.get(EXPECTED_PARTS) or {})
    if parts is None or parts == 1:
        table.pop(nid, None)
    else:
        table[nid] = parts
    if table:
        project.settings[EXPECTED_PARTS] = table
    else:
        project.settings.pop(EXPECTED_PARTS, None)



MEMBERSHIP_EDITS = (MovePractice, CreateNetwork, DissolveNetwork, MergeNetworks, SplitNetwork)


class FollowBoundaries(Command):
    """An edit, then the boundaries brought into line with it; undone in reverse order."""

    def __init__(self, inner: Command) -> None:
        super().__init__()
        self.inner = inner
        self.who = inner.who
        self.journal = Journal()
        self.boundaries_changed: set[str] = set()

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.inner.label

    def do(self, project: Project) -> set[str]:
        touched = set(self.inner.do(project))
        self.journal = Journal()
        changed: set[str] = set()
        if follows_registrations(project):
            if isinstance(self.inner, AssignArea):
                changed = refresh_boundaries(project, touched, journal=self.journal)
            else:
                changed = follow_moves(project, touched, self.journal)
        changed |= hand_over_leftovers(project, self.inner, self.journal)
        self.boundaries_changed = changed
        self.touched = touched | changed
        return self.touched

    def undo(self, project: Project) -> set[str]:
        if self.journal:
            restore(project, self.journal)
        self.inner.undo(project)
        return self.touched


def hand_over_leftovers(project: Project, edit: Command, journal: Journal) -> set[str]:
    """Areas and outlines still given to networks that no longer exist after ``edit`` (a
    dissolved or merged network's hand-assigned areas, or every area of one whose boundaries
    were imported): a merged network's areas go to the network it joined, any other's to none,
    and its outline goes. Kept, they counted as covered in the open project (no "in no
    network" warning) and vanished when it was saved, so the reopened file said otherwise.
    Journalled for the undo. Returns the networks whose areas or outline changed."""
    merged = isinstance(edit, MergeNetworks)
    heir = edit.keep if merged and edit.keep in project.networks else None
    absorbed = edit.absorb if merged else None
    orphans = [(area, nid) for area, nid in project.area_assignments.items() if nid not in project.networks]
    changed: set[str] = set()
    for area, nid in orphans:
        to = heir if nid == absorbed else None
        set_assignment(project, area, to, journal)
        changed |= {n for n in (nid, to) if n}
    for nid in [n for n in project.boundaries if n not in project.networks]:
        journal.note_boundary(project, nid)
        project.boundaries.pop(nid)
        changed.add(nid)
    if heir in changed and follows_registrations(project):
        refresh_boundaries(project, {heir}, provenance=None, journal=journal)
    if changed:
        project.touch()
    return changed


def follow_geography(command: Command) -> Command:
    """The command, wrapped so boundaries follow it when it changes memberships or areas."""
    if isinstance(command, MEMBERSHIP_EDITS + (AssignArea,)) and not isinstance(command, FollowBoundaries):
        return FollowBoundaries(command)
    return command


@dataclass(frozen=True)
class GeographySnapshot:
    """Everything a build or a boundary import replaces. Boundary objects are never changed
    in place (an edit stores a new one), so holding them is holding their state."""
    assignments: dict[str, str]
    boundaries: dict[str, Boundary]
    state: dict[str, Any] | None          # project.settings["boundaries"]: the build record

    @classmethod
    def of(cls, project: Project) -> "GeographySnapshot":
        st = project.settings.get(STATE)
        return cls(dict(project.area_assignments), dict(project.boundaries),
                   copy.deepcopy(st) if st is not None else None)

    def put(self, project: Project) -> None:
        project.area_assignments.clear()
        project.area_assignments.update(self.assignments)
        project.boundaries.clear()
        project.boundaries.update(self.boundaries)
        if self.state is None:
            project.settings.pop(STATE, None)
        else:
            project.settings[STATE] = copy.deepcopy(self.state)
        project.touch()

    def describe(self) -> str:
        source = (self.state or {}).get("source")
        how = {"registrations": "built from registrations", "imported": "imported"}.get(source, "")
        return (f"{len(self.boundaries)} network boundaries, {len(self.assignments)} areas assigned"
                + (f" ({how})" if how else ""))


def changed_networks(before: GeographySnapshot, after: GeographySnapshot) -> set[str]:
    """Networks whose boundary or areas differ between the two."""
    nets = {n for n in before.boundaries.keys() | after.boundaries.keys()
            if before.boundaries.get(n) is not after.boundaries.get(n)}
    for area in before.assignments.keys() | after.assignments.keys():
        old, new = before.assignments.get(area), after.assignments.get(area)
        if old != new:
            nets |= {n for n in (old, new) if n is not None}
    return nets


class ReplaceGeography(Command):
    """A new geography made by a build or an import (already in the project when pushed:
    doing it puts ``after``; undoing puts ``before``)."""

    def __init__(self, label: str, before: GeographySnapshot, after: GeographySnapshot) -> None:
        super().__init__()
        self._label, self.before, self.after = label, before, after

    @property
    def label(self) -> str:  # type: ignore[override]
        return self._label

    def _do(self, project: Project) -> None:
        self.after.put(project)
        self.touched = {n for n in changed_networks(self.before, self.after) if n in project.networks}
        project.record("boundaries", self.before.describe(), f"{self.after.describe()}: {self._label.lower()}",
                       self.who)

    def _undo(self, project: Project) -> None:
        self.before.put(project)
