"""Lock files beside a project file on a shared drive: who has it open, where, since when.

``Moorside.pcnproj.lock`` is created beside ``Moorside.pcnproj`` with an exclusive create
(atomic on local disks and on SMB shares alike) and names the holder. The window holds it for
as long as the project is open; a command that writes the project holds it from reading to
saving, so two commands (or a command and a window) never both read, change and write the
same file, which would silently lose one of the changes. A lock left by a process that has
died on this machine is taken over; one from another machine is shown, never broken.

``save_lock`` is the short lock around one save itself, for sessions that opened a file
anyway: it keeps their read-reconcile-write steps from interleaving.
"""
from __future__ import annotations

import json
import os
import socket
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..domain.commands import current_user
from ..processes import alive

SAVE_LOCK_STALE_SECONDS = 600.0     # no save takes this long: such a lock outlived its saver


@dataclass(frozen=True)
class LockInfo:
    who: str
    host: str
    pid: int
    since: str              # ISO time, local to the holder
    purpose: str            # "window" or the command's name
    token: str = ""

    def sentence(self) -> str:
        since = self.since.replace("T", " ")[:16]
        return f"{self.who} on {self.host} has it open ({self.purpose}, pid {self.pid}) since {since}"

    @property
    def is_here(self) -> bool:
        return self.host == socket.gethostname()


class ProjectLocked(Exception):
    def __init__(self, path: Path, holder: LockInfo) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"{path}: {holder.sentence()}")


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + ".lock")


def read_lock(project: Path) -> LockInfo | None:
    """The live holder of the project's lock, or None (no lock, or a dead process's)."""
    return _read(lock_path(project), stale_after=None)


def _read(path: Path, stale_after: float | None) -> LockInfo | None:
    try:
        text = path.read_text(encoding="utf-8")
        info = LockInfo(**json.loads(text))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        # half-written by a holder creating it this instant, or damaged: treat as held,
        # unless it is old (a damaged lock nobody will ever finish writing)
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            return None
        if age < 5:
            return LockInfo("someone", "unknown", 0, datetime.now().isoformat(timespec="seconds"), "saving")
        return None
    if info.is_here and not alive(info.pid):
        return None
    if stale_after is not None:
        try:
            if time.time() - path.stat().st_mtime > stale_after:
                return None
        except OSError:
            return None
    return info


class ProjectLock:
    """This process's hold on a project file. ``acquire`` raises ProjectLocked naming the
    holder; ``release`` removes the lock file only while it is still this one's."""

    def __init__(self, project: Path, purpose: str = "window") -> None:
        self.project = Path(project)
        self.path = lock_path(self.project)
        self.info = LockInfo(current_user(), socket.gethostname(), os.getpid(),
                             datetime.now().isoformat(timespec="seconds"), purpose, os.urandom(8).hex())
        self.held = False

    def acquire(self) -> "ProjectLock":
        if _create(self.path, self.info, stale_after=None):
            self.held = True
            return self
        holder = read_lock(self.project)
        if holder is not None and holder.is_here and holder.pid == os.getpid():
            # this process's own (a window that reopens its file): it stays this process's
            self.info = holder
            self.held = True
            return self
        raise ProjectLocked(self.project, holder or self.info)

    def acquire_waiting(self, seconds: float) -> "ProjectLock":
        """Wait up to ``seconds`` for the holder to finish (a command that is saving)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.acquire()
            except ProjectLocked:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            current = json.loads(self.path.read_text(encoding="utf-8"))
            if current.get("token") == self.info.token:
                self.path.unlink()
        except (OSError, ValueError):
            pass

    def __enter__(self) -> "ProjectLock":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _create(path: Path, info: LockInfo, stale_after: float | None) -> bool:
    """Create the lock file holding ``info``; False when a live holder has it."""
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _read(path, stale_after) is not None:
                return False
            _break_stale(path)
            continue
        except OSError:
            # the folder is gone or read-only: there is nothing to lock (nor can a save
            # happen there), so opening goes ahead and a save says why it cannot
            return True
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(info), fh)
        return True
    return False


def clear_dead_locks(project: Path) -> None:
    """Remove locks whose holder died on this machine (a killed window, command or save), so
    that a crash leaves nothing beside the project; a live holder's lock, or one from another
    machine, is left alone."""
    for path, stale_after in ((lock_path(project), None),
                              (project.with_name(project.name + ".savelock"), SAVE_LOCK_STALE_SECONDS)):
        if path.exists() and _read(path, stale_after) is None:
            _break_stale(path)


def _break_stale(path: Path) -> None:
    # renamed aside first so that of two processes breaking it at once, only one removes it
    aside = path.with_name(f"{path.name}.{os.getpid()}.stale")
    try:
        os.replace(path, aside)
        aside.unlink()
    except OSError:
        pass


@contextmanager
def save_lock(project: Path, wait_seconds: float = 60.0) -> Iterator[None]:
    """Held around one save of a file: saves from sessions that opened it anyway queue here."""
    path = project.with_name(project.name + ".savelock")
    info = LockInfo(current_user(), socket.gethostname(), os.getpid(),
                    datetime.now().isoformat(timespec="seconds"), "saving", os.urandom(8).hex())
    deadline = time.monotonic() + wait_seconds
    while not _create(path, info, stale_after=SAVE_LOCK_STALE_SECONDS):
        if time.monotonic() >= deadline:
            holder = _read(path, SAVE_LOCK_STALE_SECONDS)
            raise ProjectLocked(project, holder or info)
        time.sleep(0.05)
    try:
        yield
    finally:
        try:
            path.unlink()
        except OSError:
            pass
