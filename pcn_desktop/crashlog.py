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


def write_crash_log(exc: BaseException, context: str) -> Path | None:
    """Write the traceback of ``exc`` to a new log file; None when even that cannot be written."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"PCN Desktop {__version__} ({'frozen' if getattr(sys, 'frozen', False) else 'source'}, "
            f"Python {sys.version.split()[0]}, {sys.platform})\n{context}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path


NATIVE_PREFIX = "native-"
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
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        _sweep_native_leftovers(folder)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{NATIVE_PREFIX}{stamp}-{os.getpid()}.log"
        handle = path.open("w", encoding="utf-8")
        handle.write(f"PCN Desktop {__version__} ({'frozen' if getattr(sys, 'frozen', False) else 'source'}, "
                     f"Python {sys.version.split()[0]}, {sys.platform}): the window stopped in native code\n\n")
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
    for log in folder.glob(f"{NATIVE_PREFIX}*.log"):
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
