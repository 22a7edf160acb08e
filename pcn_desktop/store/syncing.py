"""Keeping an open session in step with its store while others save to it.

``take_in_others`` is what the window's watcher does: units only others changed are pulled
into the open project at once; units both changed stay as this session has them, and the
next save is refused naming them. ``rebase`` is the offered way out of such a refusal: undo
this session's edits, take the store's state whole, and apply the edits again on top.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..domain.model import Project
from .database import create_database_engine, display_url, is_database_url
from .project_file import ProjectFileError, _reason, load_project, target_key
from .versions import Conflict, base_of, changed_units, describe, pull, remember, unit_prints


@dataclass
class Sync:
    touched: set[str] = field(default_factory=set)     # network ids in the active scenario
    pulled: set[str] = field(default_factory=set)       # units taken in
    conflicts: list[Conflict] = field(default_factory=list)
    whole: bool = False                                 # shared data or scenarios changed: redraw all

    @property
    def changed(self) -> bool:
        return bool(self.pulled)


def stored_save_id(target: str | os.PathLike[str]) -> str | None:
    """The id of the last save to the store (cheap: one value); None when unreadable."""
    if is_database_url(target):
        from sqlalchemy import text  # noqa: PLC0415
        engine = create_database_engine(str(target))
        try:
            with engine.connect() as conn:
                return conn.execute(text("SELECT value FROM project_meta WHERE key = 'save_id'")).scalar() or ""
        except Exception:
            return None
        finally:
            engine.dispose()
    try:
        with closing(sqlite3.connect(f"file:{Path(target)}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM project_meta WHERE key = 'save_id'").fetchone()
            return row[0] if row else ""
    except sqlite3.Error:
        return None


def take_in_others(project: Project, target: str | os.PathLike[str]) -> Sync:
    """Pull what others saved since this session last read or saved, keeping its own edits."""
    fetched = fetch_others(project, target)
    return take_in(project, *fetched) if fetched else Sync()


def fetch_others(project: Project, target: str | os.PathLike[str]) -> tuple[Project, str] | None:
    """The store's project when someone saved since this session last did, with the save this
    session knew then; None when nothing is new. Reads only: safe off the window's thread."""
    base = base_of(project)
    if base is None or base.target != target_key(target):
        return None
    known = base.save_id
    stored = stored_save_id(target)
    if stored is None or stored == known:
        return None
    return load_project(target), known


def take_in(project: Project, theirs: Project, known: str) -> Sync:
    """Apply a fetched store state: the units only others changed come in."""
    base = base_of(project)
    their_base = base_of(theirs)
    if base is None or their_base is None or base.save_id != known or their_base.save_id == known:
        return Sync()                 # this session saved meanwhile: what was fetched is older
    ours = changed_units(project, base)
    others = {u for u in set(their_base.versions) | set(base.versions)
              if their_base.versions.get(u) != base.versions.get(u)}
    take = others - ours
    clash = sorted(others & ours)
    mine_new = project.audit[base.audit_len:]
    touched = pull(project, theirs, take)
    project.audit[:] = theirs.audit + mine_new
    now = unit_prints(project)
    for unit in take:
        for table, value in ((base.versions, their_base.versions.get(unit)), (base.prints, now.get(unit))):
            if value is None:
                table.pop(unit, None)
            else:
                table[unit] = value
    base.audit_len = len(theirs.audit)
    if not clash:
        base.save_id = their_base.save_id
    conflicts = [Conflict(u, describe(u, theirs, project), v.who if (v := their_base.versions.get(u)) else "",
                          v.when if v else None) for u in clash]
    whole = any(":" not in u for u in take)          # data, scenario list
    return Sync(touched, take, conflicts, whole)


def rebase(project: Project, target: str | os.PathLike[str], undo_mine: Callable[[], None],
           redo_mine: Callable[[], None]) -> Project:
    """Reload and re-apply: ``undo_mine`` takes the project back to what this session read
    (its undo stack), the store's current state is taken in whole, then ``redo_mine`` applies
    the session's edits again on top. Returns the store's project as read (for messages)."""
    base = base_of(project)
    if base is None:
        raise ProjectFileError(f"{display_url(target)}: this project was not opened from there")
    try:
        theirs = load_project(target)
    except ProjectFileError:
        raise
    except Exception as exc:
        raise ProjectFileError(f"{display_url(target)}: cannot be reloaded ({_reason(exc)})") from None
    their_base = base_of(theirs)
    assert their_base is not None
    undo_mine()
    others = {u for u in set(their_base.versions) | set(base.versions) | set(base.prints)
              if their_base.versions.get(u) != base.versions.get(u)}
    # anything this session changed outside its undo stack goes too: the store's copy wins
    others |= changed_units(project, base)
    pull(project, theirs, others)
    project.audit[:] = list(theirs.audit)
    remember(project, base.target, their_base.save_id, their_base.versions)
    redo_mine()
    return theirs
