"""Scenario edits as undoable commands: copy, rename, delete and open (switch to) a scenario.

They act on the project's scenario registry, so any scenario's Project may be handed to
them; the window pushes them on its undo stack like any other edit. Each touches every
network of the scenario shown afterwards, so every view redraws.
"""
from __future__ import annotations

from .commands import Command
from .model import Project


class CopyScenario(Command):
    def __init__(self, source: str, new: str) -> None:
        super().__init__()
        self.source, self.new = source, new

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Copy scenario {self.source} to {self.new}"

    def _do(self, project: Project) -> None:
        self.new = project.copy_scenario(self.source, self.new).scenario_name

    def _undo(self, project: Project) -> None:
        project.delete_scenario(self.new)


class RenameScenario(Command):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Rename scenario {self.old} to {self.new}"

    def _do(self, project: Project) -> None:
        project.rename_scenario(self.old, self.new)
        self.new = " ".join(self.new.split())        # the name as the project stores it

    def _undo(self, project: Project) -> None:
        project.rename_scenario(self.new, self.old)


class DeleteScenario(Command):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._kept: Project | None = None
        self._position = 0

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Delete scenario {self.name}"

    def _do(self, project: Project) -> None:
        kept = project.scenario(self.name)
        self._position = project.scenario_names().index(self.name)
        project.delete_scenario(self.name)
        self._kept = kept

    def _undo(self, project: Project) -> None:
        assert self._kept is not None
        project.restore_scenario(self._kept, self._position)


class ActivateScenario(Command):
    """Open another scenario: the live project (and so every pane) shows it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._previous = ""

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Open scenario {self.name}"

    def _do(self, project: Project) -> None:
        live = project.scenario(project.active_scenario)
        self._previous = live.scenario_name
        before = set(live.networks)
        live.activate_scenario(self.name)
        self.touched = before | set(live.networks)

    def _undo(self, project: Project) -> None:
        project.activate_scenario(self._previous)
