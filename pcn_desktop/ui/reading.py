"""What opening a project for the window reads, before any Qt object is made for it.

Plain Python (no Qt), so that the window's start can do it in a worker thread while
Chromium starts (``opening.py``); ``Document.open`` does the same on the main thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..domain.model import Project
from ..domain.rules.engine import FindingsCache
from ..paths import resource
from ..settings import rule_settings_for
from ..store import ProjectLocked, load_project
from ..store.database import is_database_url
from ..store.locks import LockInfo, ProjectLock

if TYPE_CHECKING:
    from .map_prepare import PreparedMap

SAMPLE_NAME = "Sample CCG"


def as_target(path: str | Path) -> Path | str:
    """A project file's Path, or a database URL kept as the text it is (a Path would fold its //)."""
    return str(path) if is_database_url(path) else Path(path)


@dataclass
class OpenedProject:
    project: Project
    target: Path | str | None          # None: untitled (Save means Save As)
    lock: ProjectLock | None = None    # held while the file is open in this window
    holder: LockInfo | None = None     # whose lock it was, when opened anyway
    findings: FindingsCache | None = None
    map: "PreparedMap | None" = None      # the map's page, worked out with the findings


def read_project(path: str | Path, untitled: bool = False,
                 when_locked: Callable[[LockInfo], str] | None = None) -> OpenedProject:
    """Read a project. A file someone else has open (its lock file says who) is offered
    through ``when_locked(holder)``: "copy" opens an untitled copy, "anyway" opens it
    without the lock, anything else (or no ``when_locked``) raises ProjectLocked."""
    target = as_target(path)
    lock = None
    holder = None
    if not untitled and isinstance(target, Path):
        lock = ProjectLock(target, "window")
        try:
            lock.acquire()
        except ProjectLocked as exc:
            lock = None
            choice = when_locked(exc.holder) if when_locked else "refuse"
            if choice == "copy":
                untitled = True
            elif choice == "anyway":
                holder = exc.holder
            else:
                raise
    try:
        project = load_project(path)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return OpenedProject(project, None if untitled else target, lock, holder)


def read_sample() -> OpenedProject:
    """An untitled copy of the sample CCG (or an empty project when it is not installed)."""
    try:
        path = resource("sample", "sample_ccg.pcnproj")
    except FileNotFoundError:
        return OpenedProject(Project(), None)
    if not path.is_file():
        return OpenedProject(Project(), None)
    opened = read_project(path, untitled=True)
    opened.project.name = opened.project.name or SAMPLE_NAME
    return opened


def with_findings(opened: OpenedProject) -> OpenedProject:
    """The project's findings worked out now (the window's start does it in its worker)."""
    opened.findings = FindingsCache(opened.project, rule_settings_for(opened.project))
    return opened


def with_map(opened: OpenedProject) -> OpenedProject:
    """The map's page worked out now, for a project small enough for the map pane to draw
    its first page at once (a bigger one is drawn in the pane's own worker, after the
    window shows)."""
    from .map_prepare import prepare_map, small_enough_at_once  # noqa: PLC0415 — the map's modules
    project = opened.project
    if opened.findings is not None and small_enough_at_once(project):
        opened.map = prepare_map(project, opened.findings.findings(), project.revision)
    return opened
