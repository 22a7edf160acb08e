"""The last resort: an unexpected error is written in full to a log in the config folder,
and the user sees one line naming that log (the command line) or a short note (the window).

A traceback never reaches the user and never waits on a modal dialog, so an unattended run
(a scheduled script, a screenshot in CI) always ends.
"""
from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from . import __version__
from .paths import config_dir


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


def one_line(exc: BaseException, log: Path | None) -> str:
    """``unexpected error (KeyError: 'x'); details in LOG`` — a single line whatever the message."""
    what = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(what) > 200:
        what = what[:197] + "..."
    where = f"; details in {log}" if log else "; no log could be written"
    return f"unexpected error ({what}){where}"
