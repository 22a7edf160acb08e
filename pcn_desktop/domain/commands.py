"""Every edit is a command object with do and undo, so undo comes for free and keeps
totals and findings right: views re-read the networks a command says it touched.

The Qt window wraps these in QUndoCommand; the command line and tests use CommandStack.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .model import ClinicalDirector, Membership, Network, PlannedRole, Project


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows service accounts
        return "unknown"


class Command:
    """Base: subclasses implement _do/_undo and say which networks they touched."""

    label: str = "Edit"

    def __init__(self) -> None:
        self.touched: set[str] = set()
        self.who = current_user()

    def do(self, project: Project) -> set[str]:
        self._do(project)
        project.touch()
        return self.touched

    def undo(self, project: Project) -> set[str]:
        self._undo(project)
        project.record(f"undo: {self.label}", "", "", self.who)
        project.touch()
        return self.touched

    def _do(self, project: Project) -> None:
        raise NotImplementedError

    def _undo(self, project: Project) -> None:
        raise NotImplementedError


class MovePractice(Command):
    """Move a practice to another network (or to none), ending its current memberships."""

    def __init__(self, practice_code: str, to_network: str | None, start: date | None = None) -> None:
        super().__init__()
        self.code = practice_code
        self.to = to_network
        self.start = start
        self._removed: list[Membership] = []

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Move {self.code}"

    def _do(self, project: Project) -> None:
        if self.code not in project.practices:
            raise KeyError(f"no practice {self.code}")
        if self.to is not None and self.to not in project.networks:
            raise KeyError(f"no network {self.to}")
        old = project.networks_of(self.code)
        self._removed = [m for nid in old if (m := project.remove_membership(self.code, nid))]
        if self.to is not None:
            project.add_membership(Membership(self.code, self.to, self.start))
        self.touched = set(old) | ({self.to} if self.to else set())
        project.record(f"practice {self.code} network",
                       [project.networks[n].key for n in old],
                       project.networks[self.to].key if self.to else "", self.who)

    def _undo(self, project: Project) -> None:
        if self.to is not None:
            project.remove_membership(self.code, self.to)
        for m in self._removed:
            project.add_membership(m)


class SetNetworkField(Command):
    """Change one field of a network: name, code, exemption, reason, payee, notes, dates."""

    EDITABLE = ("name", "code", "commissioner", "exemption", "exemption_reason",
                "nominated_payee", "agreement_signed", "notes")

    def __init__(self, network_id: str, field_name: str, value: Any) -> None:
        super().__init__()
        if field_name not in self.EDITABLE:
            raise ValueError(f"{field_name} is not an editable network field")
        self.nid, self.field, self.value = network_id, field_name, value
        self._old: Any = None
        self.touched = {network_id}

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Set {self.field.replace('_', ' ')}"

    def _do(self, project: Project) -> None:
        net = project.networks[self.nid]
        self._old = getattr(net, self.field)
        setattr(net, self.field, self.value)
        project.record(f"network {net.key} {self.field}", self._old, self.value, self.who)

    def _undo(self, project: Project) -> None:
        setattr(project.networks[self.nid], self.field, self._old)


class SetDirector(Command):
    label = "Set clinical director"

    def __init__(self, network_id: str, director: ClinicalDirector | None) -> None:
        super().__init__()
        self.nid = network_id
        self.director = replace(director) if director else None
        self._old: ClinicalDirector | None = None
        self.touched = {network_id}

    def _do(self, project: Project) -> None:
        net = project.networks[self.nid]
        self._old = net.director
        net.director = replace(self.director) if self.director else None
        project.record(f"network {net.key} clinical director",
                       self._old.name if self._old else "", self.director.name if self.director else "",
                       self.who)

    def _undo(self, project: Project) -> None:
        project.networks[self.nid].director = self._old


class CreateNetwork(Command):
    def __init__(self, name: str, code: str = "", commissioner: str = "",
                 practices: list[str] | None = None) -> None:
        super().__init__()
        self.network = Network(Network.new_id(), name, code=code, commissioner=commissioner)
        self.moves = [MovePractice(p, self.network.id) for p in practices or []]

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Create network {self.network.name}"

    def _do(self, project: Project) -> None:
        project.add_network(self.network)
        project.record("network created", "", self.network.name, self.who)
        self.touched = {self.network.id}
        for move in self.moves:
            self.touched |= move.do(project)

    def _undo(self, project: Project) -> None:
        for move in reversed(self.moves):
            move.undo(project)
        project.remove_network(self.network.id)


class DissolveNetwork(Command):
    """Remove a network; its practices become unassigned."""

    def __init__(self, network_id: str) -> None:
        super().__init__()
        self.nid = network_id
        self._network: Network | None = None
        self._moves: list[MovePractice] = []

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Dissolve network"

    def _do(self, project: Project) -> None:
        self._network = project.networks[self.nid]
        self._moves = [MovePractice(code, None) for code in sorted(project.members(self.nid))]
        self.touched = {self.nid}
        for move in self._moves:
            self.touched |= move.do(project)
        project.remove_network(self.nid)
        project.record("network dissolved", self._network.name, "", self.who)

    def _undo(self, project: Project) -> None:
        assert self._network is not None
        project.add_network(self._network)
        for move in reversed(self._moves):
            move.undo(project)


class MergeNetworks(Command):
    """Fold one network into another: members move, the absorbed network's planned roles join
    the kept network's plan (the staff do not go with the name), the absorbed network goes."""

    def __init__(self, keep_id: str, absorb_id: str) -> None:
        super().__init__()
        if keep_id == absorb_id:
            raise ValueError("cannot merge a network with itself")
        self.keep, self.absorb = keep_id, absorb_id
        self._steps: list[Command] = []
        self._plans: tuple[int, list[PlannedRole]] | None = None   # keep's length before, absorb's plan

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Merge networks"

    def _do(self, project: Project) -> None:
        moves: list[Command] = [MovePractice(c, self.keep) for c in sorted(project.members(self.absorb))]
        self._steps = moves + [DissolveNetwork(self.absorb)]
        self.touched = {self.keep, self.absorb}
        taken = project.workforce.pop(self.absorb, None)
        if taken:
            plan = project.workforce.setdefault(self.keep, [])
            self._plans = (len(plan), taken)
            plan.extend(replace(r) for r in taken)
        for step in self._steps:
            self.touched |= step.do(project)

    def _undo(self, project: Project) -> None:
        for step in reversed(self._steps):
            step.undo(project)
        if self._plans is not None:
            length, taken = self._plans
            del project.workforce[self.keep][length:]
            project.workforce[self.absorb] = taken
            self._plans = None


class SplitNetwork(Command):
    """Move some practices of a network into a new network."""

    def __init__(self, network_id: str, practices: list[str], new_name: str) -> None:
        super().__init__()
        self.nid = network_id
        self.create = CreateNetwork(new_name, practices=practices)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Split into {self.create.network.name}"

    def _do(self, project: Project) -> None:
        source = project.networks[self.nid]
        self.create.network.commissioner = source.commissioner
        self.touched = {self.nid} | self.create.do(project)

    def _undo(self, project: Project) -> None:
        self.create.undo(project)


class AssignArea(Command):
    """Hand-edit a small area's network in the boundary (None clears it)."""

    def __init__(self, area_code: str, network_id: str | None) -> None:
        super().__init__()
        self.area, self.to = area_code, network_id
        self._old: str | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Assign area {self.area}"

    def _do(self, project: Project) -> None:
        self._old = project.area_assignments.get(self.area)
        if self.to is None:
            project.area_assignments.pop(self.area, None)
        else:
            project.area_assignments[self.area] = self.to
        self.touched = {n for n in (self._old, self.to) if n}
        project.record(f"area {self.area} network",
                       project.networks[self._old].key if self._old in project.networks else "",
                       project.networks[self.to].key if self.to else "", self.who)

    def _undo(self, project: Project) -> None:
        if self._old is None:
            project.area_assignments.pop(self.area, None)
        else:
            project.area_assignments[self.area] = self._old


@dataclass
class CommandStack:
    """Qt-free undo stack with a clean index, for the command line and tests."""

    project: Project
    done: list[Command] = field(default_factory=list)
    undone: list[Command] = field(default_factory=list)
    clean_at: int = 0

    def push(self, command: Command) -> set[str]:
        touched = command.do(self.project)
        self.done.append(command)
        self.undone.clear()
        return touched

    def undo(self) -> set[str]:
        command = self.done.pop()
        self.undone.append(command)
        return command.undo(self.project)

    def redo(self) -> set[str]:
        command = self.undone.pop()
        self.done.append(command)
        return command.do(self.project)

    @property
    def is_clean(self) -> bool:
        return len(self.done) == self.clean_at

    def mark_clean(self) -> None:
        self.clean_at = len(self.done)
