"""The window's start reads the project in a worker while Qt's loop runs (ui/opening.py):
Chromium's work goes on meanwhile, what the worker read is what Document.open reads, a
failure reaches the main thread as it was raised, and a file someone else holds is left to
the main thread to ask about."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import os
import subprocess
import sys
import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage

from io_files import saved_project
from pcn_desktop.store import ProjectFileError
from pcn_desktop.store.locks import ProjectLock, ProjectLocked
from pcn_desktop.ui import opening
from pcn_desktop.ui.document import Document
from test_team_locks import hold


def test_the_event_loop_runs_while_the_worker_works(qtbot):
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    main = threading.get_ident()

    def work() -> int:
        time.sleep(0.3)
        return threading.get_ident()

    try:
        worker = opening.in_worker(work)
    finally:
        timer.stop()
    assert worker != main
    assert len(ticks) >= 10            # the loop went on turning for the 0.3 s


def test_a_failure_in_the_worker_is_raised_on_the_main_thread(qtbot):
    def work() -> None:
        raise ProjectFileError("x.pcnproj: not a PCN Desktop project")
    with pytest.raises(ProjectFileError, match="not a PCN Desktop project"):
        opening.in_worker(work)


def test_the_worker_reads_what_document_open_reads(qtbot, tmp_path):
    path, _ = saved_project(tmp_path)
    opened = opening.in_worker(lambda: opening.read_for_window(str(path)))
    try:
        assert opened.lock is not None and opened.lock.held and opened.target == path
        document = Document.from_opened(opened)
        assert document.findings is opened.findings
        fresh = Document.open(path, untitled=True)
        assert [f.message for f in document.current_findings] == [f.message for f in fresh.current_findings]
        assert document.project.practices.keys() == fresh.project.practices.keys()
    finally:
        document.release_lock()


def test_the_sample_is_read_untitled(qtbot):
    opened = opening.in_worker(lambda: opening.read_for_window(None))
    assert opened.target is None and opened.lock is None
    assert opened.project.practices and opened.findings is not None


def test_a_file_someone_else_holds_is_refused_in_the_worker(qtbot, tmp_path):
    path, _ = saved_project(tmp_path)
    holder = hold(path, "window", 30)
    try:
        with pytest.raises(ProjectLocked):
            opening.in_worker(lambda: opening.read_for_window(str(path)))
        # nothing of the worker's attempt is left: the holder's lock is untouched
        with pytest.raises(ProjectLocked):
            ProjectLock(path).acquire()
    finally:
        holder.kill()
        holder.wait()


def test_the_start_writes_its_phases_only_when_asked(tmp_path, monkeypatch):
    from pcn_desktop.ui import startup_log
    log = tmp_path / "phases.log"
    monkeypatch.delenv(startup_log.ENV, raising=False)
    startup_log.mark("window built")
    assert not log.exists()
    monkeypatch.setenv(startup_log.ENV, str(log))
    before = time.time()
    startup_log.mark("window built")
    startup_log.mark("map drawn")
    lines = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [phase for _, phase in lines] == ["window built", "map drawn"]
    assert all(before - 1 <= float(when) <= time.time() + 1 for when, _ in lines)
    monkeypatch.setenv(startup_log.ENV, str(tmp_path / "no-such-folder" / "x.log"))
    startup_log.mark("map drawn")               # unwritable: quietly nothing


def test_the_next_start_makes_its_map_before_the_window_shows(tmp_path):
    """Two starts of the real program: the first keeps the map's frame and its view's size;
    the second makes the map in the frame while its window is built, and the map has drawn
    when its screenshot is taken."""
    env = dict(os.environ, PCN_DESKTOP_CONFIG_DIR=str(tmp_path / "config"),
               QT_QPA_PLATFORM="offscreen", PCN_DESKTOP_STARTUP_LOG=str(tmp_path / "phases.log"))
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    phases = []
    for start, options in (("first", []), ("next", []), ("presenting", ["--presentation"])):
        log = tmp_path / "phases.log"
        log.unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *options, "--screenshot",
                               str(tmp_path / f"{start}.png")], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        phases.append([line.split(" ", 1)[1] for line in log.read_text(encoding="utf-8").splitlines()])
    first, following, presenting = phases
    assert "map asked for early" not in first                   # no frame or size kept yet
    # presentation mode zooms the page once the window is built: its map is made once shown
    assert "map asked for early" not in presenting and "map drawn" in presenting
    assert following.index("map asked for early") < following.index("window built") \
        < following.index("map drawn") < following.index("screenshot saved")
    shot = QImage(str(tmp_path / "next.png"))
    assert not shot.isNull() and shot.width() > 600    # what the map shows: test_ui_warmup.py
