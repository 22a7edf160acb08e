"""A long session in the window: does the thousandth edit cost what the first did?

Opens the sample CCG in the real window (offscreen), with the History tab showing, then makes
``--edits`` changes as a workshop does (a practice moved to another network and, next edit,
back where it was; an undo and a redo every tenth; a network selected every fifth), each
followed by the event loop's repaint. The moves come back, so the thousandth edit works on the
same configuration as the first: what grows is only what the session has accumulated (its
history, undo steps, memory). Prints, for the first and the last hundred
edits, the median and 90th percentile UI-thread time per edit and their ratio (the first
hundred are the baseline, measured in the same run), with
  * the growth of the process's resident memory,
  * the drift in Python's count of references to None (a Qt binding that drops one per call
    ends the interpreter once it reaches zero: see tests/test_qt_binding.py),
  * the map pages left in the pane's temp folder (one is expected).
Target: the last hundred within 1.2x the first. Asserts nothing.

    .venv/bin/python benchmarks/bench_ui_session.py [--edits 1000]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PCN_DESKTOP_CONFIG_DIR", tempfile.mkdtemp(prefix="pcn-bench-"))
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

import PySide6.QtWebEngineWidgets  # noqa: E402,F401

from pcn_desktop.ui.app import application  # noqa: E402
from pcn_desktop.ui.main_window import MainWindow  # noqa: E402
from pcn_desktop.ui.startup import sample_document  # noqa: E402

WINDOW = 100          # edits in each compared stretch


def resident_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def describe(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9)] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=1000)
    args = parser.parse_args()
    edits = max(args.edits, 2 * WINDOW)
    app = application()
    document = sample_document()
    window = MainWindow(document)
    window.resize(1366, 768)
    window.show()
    started = time.monotonic()
    while not window.map_pane.is_drawn and time.monotonic() - started < 60:
        app.processEvents()
    window.docks["history"].raise_()
    app.processEvents()
    codes = sorted(document.project.practices)
    networks = [n.id for n in document.project.sorted_networks()]
    memory, nones = resident_mb(), sys.getrefcount(None)
    times: list[float] = []
    home: dict[str, str | None] = {}
    for turn in range(edits):
        code = codes[(turn // 2 * 7) % len(codes)]
        began = time.perf_counter()
        if turn % 2 == 0:
            home[code] = (ids := document.project.networks_of(code)) and ids[0] or None
            others = [n for n in networks if n != home[code]]
            window.move_practices([code], others[(turn // 2 * 3) % len(others)])
        else:
            window.move_practices([code], home.pop(code))
        if turn % 10 == 9:
            document.stack.undo()
            document.stack.redo()
        if turn % 5 == 4:
            window.select_network(networks[turn % len(networks)])
        app.processEvents()
        times.append(time.perf_counter() - began)
    first, last = describe(times[:WINDOW]), describe(times[-WINDOW:])
    pages = len(list(window.map_pane._dir.glob("map-*.html")))
    print(f"A long session: {edits:,} edits of the sample CCG in the window (offscreen, History tab shown)")
    print(f"  first {WINDOW} edits: median {first[0]:6.1f} ms, 90th percentile {first[1]:6.1f} ms  (baseline)")
    print(f"  last {WINDOW} edits:  median {last[0]:6.1f} ms, 90th percentile {last[1]:6.1f} ms")
    print(f"  ratio last / first (medians): {last[0] / first[0]:.2f}x  (target: within 1.2x)")
    print(f"  history rows shown: {len(window.history_pane.rows()):,}; undo steps: {document.stack.count():,}")
    print(f"  resident memory: {memory:.0f} MB before, {resident_mb():.0f} MB after")
    print(f"  references to None: {sys.getrefcount(None) - nones:+,} over the session (a falling count ends the "
          "interpreter at zero)")
    print(f"  map pages in the pane's temp folder: {pages}")
    document.stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
