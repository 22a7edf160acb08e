"""Commands that write a project: hold its lock from reading to saving, and say why a save was
refused (someone else holds the file, or saved the same network meanwhile)."""
from __future__ import annotations

import os
import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from ..domain.model import Project
from ..store import ProjectFileError, ProjectLocked, StaleSave, save_project
from ..store.database import display_url, is_database_url
from ..store.locks import ProjectLock
from . import CliError
from .common import open_project

T = TypeVar("T")
DEFAULT_LOCK_WAIT = 60.0


def lock_wait_seconds() -> float:
    """How long a command waits for another command to finish with the file
    (PCN_LOCK_WAIT, seconds): imports of one file take turns instead of one being lost."""
    try:
        return max(0.0, float(os.environ.get("PCN_LOCK_WAIT", DEFAULT_LOCK_WAIT)))
    except ValueError:
        return DEFAULT_LOCK_WAIT


@contextmanager
def holding(target: str, purpose: str) -> Iterator[None]:
    """The file's lock for the length of a read-change-save. A window holding it refuses at
    once (it may stay open all day); another command is waited for. A database needs no lock
    file: its saves are transactions checked against the versions read."""
    if is_database_url(target):
        yield
        return
    lock = ProjectLock(Path(target), purpose)
    try:
        lock.acquire()
    except ProjectLocked as exc:
        if exc.holder.purpose == "window":
            raise CliError(f"{target}: not changed: {exc.holder.sentence()}; "
                           "save and close it there, or work on a copy") from None
        wait = lock_wait_seconds()
        try:
            lock.acquire_waiting(wait)
        except ProjectLocked as again:
            raise CliError(f"{target}: not changed: {again.holder.sentence()} "
                           f"(waited {wait:g} s; PCN_LOCK_WAIT sets how long)") from None
    try:
        yield
    finally:
        lock.release()


def save_or_refuse(project: Project, target: str, **kwargs: bool) -> None:
    try:
        save_project(project, target, **kwargs)
    except StaleSave as exc:
        raise CliError(str(exc), status=3) from None
    except ProjectLocked as exc:
        raise CliError(f"{target}: not saved: {exc.holder.sentence()}") from None
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{display_url(target)}: cannot save ({exc.strerror or exc})") from None


def change_with_retry(target: str, purpose: str, change: Callable[[Project], T], attempts: int = 20,
                      scenario: str | None = None) -> T:
    """Open, change, save; when someone saved the same network meanwhile, open again and redo
    the change. Right for a command holding no state of its own (a single assign), never
    for a window, whose user decides what a conflict means. A change that changed nothing
    (the project's revision did not move) is not saved."""
    for attempt in range(1, attempts + 1):
        with holding(target, purpose):
            project = open_project(target, scenario)
            revision = project.revision
            result = change(project)
            if project.revision == revision:
                return result
            try:
                save_project(project, target)
                return result
            except StaleSave as exc:
                if attempt == attempts:
                    raise CliError(f"{exc} (tried {attempts} times)", status=3) from None
            except ProjectFileError as exc:
                raise CliError(str(exc)) from None
        time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")


def contents_or_refuse(target: str) -> str:
    """What the target already holds ('' for nothing); an unreachable database is refused."""
    from ..store.emptiness import describe_contents  # noqa: PLC0415
    try:
        return describe_contents(target)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
