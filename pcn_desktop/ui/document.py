"""The open project: its file path, undo stack, findings cache and dirty state.

Panes listen to ``changed(touched)``: a frozenset of network ids after an edit, or None when
the whole project was replaced (open, import), in which case they reset.
"""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..domain.commands import Command
from ..domain.findings import Finding, Severity
from ..domain.model import Project
from ..domain.rules.engine import FindingsCache
from ..settings import rule_settings_for
from ..store import ProjectLocked, save_project
from ..store.database import display_url
from ..store.locks import LockInfo, ProjectLock
from .reading import OpenedProject, as_target, read_project
from .undo import DomainUndoCommand

if TYPE_CHECKING:  # pragma: no cover
    from ..store.syncing import Sync
    from .map_prepare import PreparedMap


def _try_lock(path: Path) -> ProjectLock | None:
    try:
        return ProjectLock(path, "window").acquire()
    except ProjectLocked:
        return None


class Document(QObject):
    changed = Signal(object)          # frozenset[str] of touched network ids, or None = all
    dirtyChanged = Signal(bool)
    pathChanged = Signal()
    scenariosChanged = Signal()       # a scenario was opened, copied, renamed or deleted

    def __init__(self, project: Project, path: str | Path | None = None,
                 parent: QObject | None = None, findings: FindingsCache | None = None) -> None:
        super().__init__(parent)
        self.project = project
        # None: untitled, Save means Save As; a team database's URL stays a string
        self.path: Path | str | None = as_target(path) if path else None
        self.lock: ProjectLock | None = None        # held while a project file is open here
        self.opened_anyway: LockInfo | None = None  # the holder, when opened despite a lock
        self.reapply_errors: list[str] | None = None  # collected while edits are re-applied
        # the map's first page, worked out with the findings (for the map pane to take)
        self.first_map: PreparedMap | None = None
        self.stack = QUndoStack(self)
        # a method, not a lambda: Qt drops the connection when the document is deleted
        self.stack.cleanChanged.connect(self._clean_changed)
        # findings already worked out for this project (the window's start reads it in a worker)
        self.settings = findings.settings if findings is not None else rule_settings_for(project)
        self.list_date: date | None = self.settings.counting_date(project.list_dates())
        self.findings = findings if findings is not None else FindingsCache(project, self.settings)
        self.current_findings: list[Finding] = self.findings.findings()
        self._scenarios = self._scenario_state()
        self.last_edit_seconds = 0.0     # time of the last after_edit, for the benchmarks
        self.last_rules_seconds = 0.0
        self.last_views_seconds = 0.0

    def _clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    # --- files ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, untitled: bool = False,
             when_locked: Callable[[LockInfo], str] | None = None) -> "Document":
        """Open a project. A file someone else has open (its lock file says who) is offered
        through ``when_locked(holder)``: "copy" opens an untitled copy, "anyway" opens it
        without the lock, anything else refuses with ProjectLocked."""
        return cls.from_opened(read_project(path, untitled, when_locked))

    @classmethod
    def from_opened(cls, opened: OpenedProject) -> "Document":
        document = cls(opened.project, opened.target, findings=opened.findings)
        document.first_map = opened.map
        document.lock = opened.lock
        document.opened_anyway = opened.holder
        return document

    def continue_from(self, old: "Document") -> None:
        """This document replaces ``old`` on the same file or database (an import into the
        open project): it takes over the file's lock and what ``old`` read from the store."""
        from ..store.versions import adopt  # noqa: PLC0415
        adopt(self.project, old.project)
        self.lock, old.lock = old.lock, None
        self.opened_anyway = old.opened_anyway

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    @property
    def title(self) -> str:
        if isinstance(self.path, str):
            return display_url(self.path)
        return self.path.name if self.path else f"{self.project.name} (untitled)"

    @property
    def dirty(self) -> bool:
        return not self.stack.isClean()

    def save(self, path: str | Path | None = None) -> Path | str:
        """Save; others' changes saved meanwhile are taken in (and shown), and a clash with
        them raises StaleSave before anything is written (see reload_and_reapply)."""
        target = as_target(path) if path else self.path
        if target is None:
            raise ValueError("an untitled project needs a file name (Save As)")
        revision = self.project.revision
        save_project(self.project, target)
        if target != self.path:
            if isinstance(target, Path) and self.lock is None and self.opened_anyway is None:
                self.lock = _try_lock(target)
            self.path = target
            self.pathChanged.emit()
        self.stack.setClean()
        if self.project.revision != revision:       # others' saved changes came in
            self.reload_all()
        return target

    def reload_and_reapply(self) -> list[str]:
        """After a refused save: undo this session's edits, take the saved project as it now
        is, and apply the edits again on top; the project stays unsaved until Save. Returns
        the edits that no longer apply (e.g. to a network someone else dissolved)."""
        from ..store.syncing import rebase  # noqa: PLC0415
        clean, index = self.stack.cleanIndex(), self.stack.index()
        if self.path is None or clean < 0 or clean > index:
            raise ValueError("these edits cannot be re-applied one by one (some were undone past "
                             "the last save); save them as a copy instead")
        self.reapply_errors = []
        try:
            rebase(self.project, self.path, lambda: self.stack.setIndex(clean), lambda: self.stack.setIndex(index))
        finally:
            errors, self.reapply_errors = self.reapply_errors, None
        self.stack.resetClean()
        self.dirtyChanged.emit(True)
        self.reload_all()
        return errors

    def take_in_others(self, fetched: "tuple[Project, str] | None" = None) -> "Sync":
        """Changes others saved since this session read: pulled in and shown. ``fetched`` is
        the store's state read off this thread (see TeamWatcher); else it is read here."""
        from ..store.syncing import Sync, fetch_others, take_in  # noqa: PLC0415
        if self.path is None:
            return Sync()
        if fetched is None:
            fetched = fetch_others(self.project, self.path)
        if fetched is None:
            return Sync()
        found = take_in(self.project, *fetched)
        if found.whole:
            self.reload_all()
        if found.changed:          # also tells the scenario bar when the list of scenarios changed
            self.after_edit(found.touched)
        return found

    # --- edits ---------------------------------------------------------------------------
    def push(self, command: Command) -> set[str]:
        """Apply an edit and put it on the undo stack; a refusal raises before anything changes.

        Membership and area edits are wrapped so that boundaries built from registrations
        follow them, and their undo restores the boundaries too."""
        from ..geo.commands import follow_geography   # the geography stack loads after start-up
        command = follow_geography(command)
        touched = command.do(self.project)
        self.stack.push(DomainUndoCommand(self, command, already_done=True))
        return touched

    def push_many(self, commands: list[Command], label: str) -> set[str]:
        """Several commands as one undo step (e.g. a drop of several practices)."""
        if len(commands) == 1:
            return self.push(commands[0])
        touched: set[str] = set()
        self.stack.beginMacro(label)
        try:
            for command in commands:
                touched |= self.push(command)
        finally:
            self.stack.endMacro()
        return touched

    def mark_dirty(self) -> None:
        """A change made outside the undo stack (an import): never clean until saved."""
        self.stack.resetClean()
        self.dirtyChanged.emit(True)

    def open_scenario(self, name: str) -> None:
        """Show scenario ``name`` from the start (not an edit: nothing to undo). An unknown
        name raises UnknownScenario, which lists the known ones."""
        if name != self.project.active_scenario:
            self.project.activate_scenario(name)
            self._scenarios = self._scenario_state()
            self.reload_all()

    def _scenario_state(self) -> tuple[str, tuple[str, ...]]:
        return self.project.active_scenario, tuple(self.project.scenario_names())

    def after_edit(self, touched: set[str]) -> None:
        state = self._scenario_state()
        if state != self._scenarios:
            # another scenario opened (or the list changed): every pane starts again on it
            opened = state[0] != self._scenarios[0]
            self._scenarios = state
            if opened:
                self.reload_all()
            self.scenariosChanged.emit()
            if opened:
                return
        started = time.perf_counter()
        self.current_findings = self.findings.refresh(touched)
        checked = time.perf_counter()
        self.changed.emit(frozenset(touched))
        done = time.perf_counter()
        # split so the benchmarks can tell the rules' share from the views' share
        self.last_rules_seconds = checked - started
        self.last_views_seconds = done - checked
        self.last_edit_seconds = done - started

    def reload_all(self) -> None:
        """After a change not made by a command (settings, import into this project)."""
        self.settings = rule_settings_for(self.project)
        self.list_date = self.settings.counting_date(self.project.list_dates())
        self.findings = FindingsCache(self.project, self.settings)
        self.current_findings = self.findings.findings()
        self.changed.emit(None)

    # --- what the panes ask ----------------------------------------------------------------
    def network_size(self, network_id: str) -> int:
        return self.project.network_list_size(network_id, self.list_date)

    def practice_size(self, code: str) -> int:
        return self.project.list_size(code, self.list_date)

    def network_state(self, network_id: str) -> tuple[int, int]:
        """(errors, warnings) the rules found for the network."""
        found = self.findings.for_network(network_id)
        errors = sum(1 for f in found if f.severity is Severity.ERROR)
        warnings = sum(1 for f in found if f.severity is Severity.WARNING)
        return errors, warnings

    def all_findings(self) -> list[Finding]:
        return self.current_findings
