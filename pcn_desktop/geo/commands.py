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
"""
from __future__ import annotations

from typing import Any

from ..domain.commands import (AssignArea, Command, CreateNetwork, DissolveNetwork, MergeNetworks,
                               MovePractice, SplitNetwork)
from ..domain.model import Project
from .boundaries import (Journal, follow_moves, follows_registrations, refresh_boundaries, restore,
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
