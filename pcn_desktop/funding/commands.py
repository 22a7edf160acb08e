"""Edits to workforce plans and funding inputs, as undoable commands.

The funding pane pushes these onto the window's undo stack; each says which network it touched
so that the funding figures and the findings of that network are recomputed.
"""
from __future__ import annotations

import copy
import math
from dataclasses import replace
from typing import Any

from ..domain.commands import Command
from ..domain.model import PlannedRole, Project
from .inputs import INPUT_FIELDS, RATIO_FIELDS
from .months import parse_month

PLAN_FIELDS = ("role", "wte", "start", "end", "annual_cost")


def check_planned_role(planned: PlannedRole) -> None:
    """ValueError naming the field when a plan line cannot be modelled."""
    if not planned.role.strip():
        raise ValueError("role: missing")
    if not math.isfinite(planned.wte) or not math.isfinite(planned.annual_cost):
        bad = "wte" if not math.isfinite(planned.wte) else "annual_cost"
        raise ValueError(f"{bad}: must be a finite number, found {getattr(planned, bad):g}")
    if planned.wte <= 0:
        raise ValueError(f"wte: must be more than 0, found {planned.wte:g}")
    if planned.annual_cost < 0:
        raise ValueError(f"annual_cost: cannot be negative, found {planned.annual_cost:g}")
    try:
        start = parse_month(planned.start)
    except ValueError as exc:
        raise ValueError(f"start: {exc}") from None
    try:
        end = parse_month(planned.end)
    except ValueError as exc:
        raise ValueError(f"end: {exc}") from None
    if end < start:
        raise ValueError(f"end: {planned.end} is before start {planned.start}")


class AddPlannedRole(Command):
    def __init__(self, network_id: str, planned: PlannedRole, index: int | None = None) -> None:
        super().__init__()
        check_planned_role(planned)
        self.nid, self.planned, self.index = network_id, replace(planned), index
        self.touched = {network_id}

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Add {self.planned.role}"

    def _do(self, project: Project) -> None:
        if self.nid not in project.networks:
            raise KeyError(f"no network {self.nid}")
        plan = project.workforce[self.nid]
        at = len(plan) if self.index is None else self.index
        plan.insert(at, replace(self.planned))
        self._at = at
        project.record(f"network {project.networks[self.nid].key} workforce", "",
                       _describe(self.planned), self.who)

    def _undo(self, project: Project) -> None:
        del project.workforce[self.nid][self._at]


class RemovePlannedRole(Command):
    def __init__(self, network_id: str, index: int) -> None:
        super().__init__()
        self.nid, self.index = network_id, index
        self._removed: PlannedRole | None = None
        self.touched = {network_id}

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Remove planned role"

    def _do(self, project: Project) -> None:
        self._removed = project.workforce[self.nid].pop(self.index)
        project.record(f"network {project.networks[self.nid].key} workforce",
                       _describe(self._removed), "", self.who)

    def _undo(self, project: Project) -> None:
        assert self._removed is not None
        project.workforce[self.nid].insert(self.index, self._removed)


class EditPlannedRole(Command):
    """Change fields of one plan line, e.g. ``EditPlannedRole(nid, 0, wte=0.5)``."""

    def __init__(self, network_id: str, index: int, **changes: Any) -> None:
        super().__init__()
        unknown = set(changes) - set(PLAN_FIELDS)
        if unknown:
            raise ValueError(f"{sorted(unknown)[0]} is not a plan field")
        self.nid, self.index, self.changes = network_id, index, changes
        self._old: PlannedRole | None = None
        self.touched = {network_id}

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Edit planned " + ", ".join(k.replace("_", " ") for k in self.changes)

    def _do(self, project: Project) -> None:
        plan = project.workforce[self.nid]
        self._old = plan[self.index]
        new = replace(self._old, **self.changes)
        check_planned_role(new)
        plan[self.index] = new
        project.record(f"network {project.networks[self.nid].key} workforce",
                       _describe(self._old), _describe(new), self.who)

    def _undo(self, project: Project) -> None:
        assert self._old is not None
        project.workforce[self.nid][self.index] = self._old


class SetFundingInput(Command):
    """A network's weighted or adjusted population or care home beds for a contract year
    (None clears it), or with network_id None a project-wide ratio."""

    def __init__(self, network_id: str | None, field: str, value: float | None, year: str = "") -> None:
        super().__init__()
        allowed = RATIO_FIELDS if network_id is None else INPUT_FIELDS
        if field not in allowed:
            raise ValueError(f"{field} is not a funding input (allowed: {', '.join(allowed)})")
        if value is not None and value < 0:
            raise ValueError(f"{field}: cannot be negative")
        if network_id is not None and not year:
            raise ValueError("a network's funding input is for a contract year")
        self.nid, self.field, self.value, self.year = network_id, field, value, year
        self._old_settings: dict[str, Any] = {}

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Set {self.field.replace('_', ' ')}"

    def _do(self, project: Project) -> None:
        self._old_settings = copy.deepcopy(project.settings.get("funding") or {})
        funding = copy.deepcopy(self._old_settings)
        if self.nid is None:
            _put(funding, [self.field], self.value)
            self.touched = set(project.networks)
        else:
            _put(funding, ["inputs", self.year, self.nid, self.field], self.value)
            self.touched = {self.nid}
        project.settings["funding"] = funding
        project.record(f"funding {self.field}" + (f" {self.year}" if self.year else ""), "",
                       "" if self.value is None else f"{self.value:g}", self.who)

    def _undo(self, project: Project) -> None:
        project.settings["funding"] = copy.deepcopy(self._old_settings)


class SetContractYear(Command):
    """The contract year the funding figures and funding rules use."""

    def __init__(self, year: str) -> None:
        super().__init__()
        self.year = year
        self._old: Any = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Contract year {self.year}"

    def _do(self, project: Project) -> None:
        self._old = project.settings.get("contract_year")
        project.settings["contract_year"] = self.year
        self.touched = set(project.networks)
        project.record("contract year", self._old or "", self.year, self.who)

    def _undo(self, project: Project) -> None:
        if self._old is None:
            project.settings.pop("contract_year", None)
        else:
            project.settings["contract_year"] = self._old


def _put(table: dict[str, Any], path: list[str], value: Any) -> None:
    """Set (or with None remove) a nested value, dropping tables left empty."""
    head, *rest = path
    if not rest:
        if value is None:
            table.pop(head, None)
        else:
            table[head] = value
        return
    child = table.setdefault(head, {})
    _put(child, rest, value)
    if not child:
        del table[head]


def _describe(p: PlannedRole) -> str:
    return f"{p.role} {p.wte:g} WTE {p.start}..{p.end} £{p.annual_cost:,.0f}"
