"""Files a save leaves only when it is killed, and the checks made before a save starts.

A save writes ``NAME.<pid>.<random>.saving`` (and SQLite its ``-journal``) beside the
project, then renames it into place. A kill leaves them behind; the next open or save of
the same project removes those whose process is gone (or, where that cannot be asked,
that are over an hour old).
"""
from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

from ..processes import alive

SUFFIXES = (".saving", ".saving-journal", ".saving-wal", ".saving-shm")
STALE_AFTER_SECONDS = 3600


def temp_prefix(path: Path) -> str:
    return f"{path.name}.{os.getpid()}."


def _gone(pid: int) -> bool:
    """The save's process has ended (never assumed off POSIX: there its age decides)."""
    return os.name == "posix" and not alive(pid)


def remove_stale_saves(path: Path) -> list[Path]:
    """Delete the leftovers of killed saves of ``path`` (and locks of dead holders); returns
    the save files removed."""
    from .locks import clear_dead_locks  # noqa: PLC0415 — locks imports the domain's user lookup
    clear_dead_locks(path)
    folder, removed = path.parent, []
    try:
        candidates = [p for p in folder.iterdir()
                      if p.name.startswith(path.name + ".") and p.name.endswith(SUFFIXES)]
    except OSError:
        return removed
    now = time.time()
    for leftover in candidates:
        middle = leftover.name[len(path.name) + 1:].split(".")
        pid = int(middle[0]) if middle and middle[0].isdigit() else None
        try:
            old = now - leftover.stat().st_mtime > STALE_AFTER_SECONDS
            if (pid is not None and pid != os.getpid() and _gone(pid)) or old or pid is None:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue
    return removed


def save_problem(path: Path) -> str | None:
    """Why a project cannot be saved at ``path`` (a read-only file, a folder that cannot be
    written), found before any work is done; None when it can."""
    if path.exists():
        if path.is_dir():
            return f"{path}: is a folder, not a project file"
        if not path.stat().st_mode & stat.S_IWUSR:
            return (f"{path}: the project file is read-only; make it writable or save under another "
                    "name (it is never replaced behind your back)")
    folder = path.parent
    probe_in = folder
    while not probe_in.exists() and probe_in != probe_in.parent:
        probe_in = probe_in.parent                      # the folder is created by the save
    if not probe_in.is_dir():
        return f"{folder}: is not a folder"
    if not probe_in.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        # read-only for everyone: respected even by an administrator, who could write anyway
        return f"{probe_in}: cannot save here (the folder is read-only); choose another folder"
    try:
        fd, name = tempfile.mkstemp(prefix=".pcn-write-test-", dir=probe_in)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return f"{probe_in}: cannot save here ({exc.strerror or exc}); choose another folder"
    return None
