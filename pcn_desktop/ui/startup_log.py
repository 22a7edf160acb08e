"""Where a start's time goes: each phase's wall-clock time, written when asked for.

``PCN_DESKTOP_STARTUP_LOG=FILE`` makes the window append one line per phase to FILE (the
epoch time and the phase's name); ``benchmarks/bench_ui_startup.py`` sets it and prints
the median time of each phase from the launch of the process. Unset, ``mark`` does nothing.
"""
from __future__ import annotations

import os
import time

ENV = "PCN_DESKTOP_STARTUP_LOG"


def mark(phase: str) -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{time.time():.4f} {phase}\n")
    except OSError:
        pass                      # a diagnostic: never a reason for the window not to start
