"""The last resort: an unexpected error is written in full to a log in the config folder,
and the user sees one line naming that log (the command line) or a short note (the window).

A traceback never reaches the user and never waits on a modal dialog, so an unattended run
(a scheduled script, a screenshot in CI) always ends.
"""
from __future__ import annotations

import atexit
import faulthandler
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import IO

from . import __version__
from .paths import config_dir
from .processes import alive


def log_folder() -> Path:
    return config_dir() / "logs"


def _program() -> str:
    """What every log opens with: the version and build, the Python and the platform."""
    return (f"PCN Desktop {__version__} ({'frozen' if getattr(sys, 'frozen', False) else 'source'}, "
            f"Python {sys.version.split()[0]}, {sys.platform})")


def _new_log(kind: str) -> Path:
    """A new log's path in the (made) logs folder: ``KIND-<date>-<time>-<pid>.log``."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"


def write_crash_log(exc: BaseException, context: str) -> Path | None:
    """Write the traceback of ``exc`` to a new log file; None when even that cannot be written."""
    text = (f"{_program()}\n{context}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    try:
        path = _new_log("crash")
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path


NATIVE = "native"
NATIVE_MARK = "Fatal Python error"      # what faulthandler writes first when the process dies
_native: tuple[Path, IO[str]] | None = None


def record_native_crashes() -> Path | None:
    """Have a crash in native code (Qt, Chromium, a C extension), which no Python handler sees,
    leave the Python stack of every thread in a log beside the crash logs; the process then
    still ends as the system ends it. The log is removed when the process exits normally; a
    killed session's leftover (no crash in it) is swept at a later start. Once per process;
    None when no log can be opened."""
    global _native
    if _native is not None:
        return _native[0]
    try:
        path = _new_log(NATIVE)
        _sweep_native_leftovers(path.parent)
        handle = path.open("w", encoding="utf-8")
        handle.write(f"{_program()}: the window stopped in native code\n\n")
        handle.flush()
    except OSError:
        return None
    faulthandler.enable(file=handle, all_threads=True)
    _native = (path, handle)
    atexit.register(_normal_exit)
    return path


def _normal_exit() -> None:
    global _native
    if _native is None:
        return
    path, handle = _native
    _native = None
    faulthandler.disable()
    handle.close()
    path.unlink(missing_ok=True)


def _sweep_native_leftovers(folder: Path) -> None:
    """Remove native logs with no crash in them whose process is gone: sessions that were
    killed rather than crashed."""
    for log in folder.glob(f"{NATIVE}-*.log"):
        try:
            if NATIVE_MARK in log.read_text(encoding="utf-8", errors="replace"):
                continue
            if alive(int(log.stem.rsplit("-", 1)[-1])):
                continue
            log.unlink()
        except (OSError, ValueError):
            continue


def one_line(exc: BaseException, log: Path | None) -> str:
    """``unexpected error (KeyError: 'x'); details in LOG`` — a single line whatever the message."""
    what = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(what) > 200:
        what = what[:197] + "..."
    where = f"; details in {log}" if log else "; no log could be written"
    return f"unexpected error ({what}){where}"
