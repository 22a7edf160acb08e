"""A crash in native code (Qt, Chromium, a C extension) leaves each thread's Python stack in a
log in the config folder, as an unexpected Python error does; a normal exit leaves none."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CRASH = """
import faulthandler, sys
from pcn_desktop.crashlog import record_native_crashes
log = record_native_crashes()
print(log, flush=True)
def deep_in_the_window():
    faulthandler._sigsegv()          # what a fault inside Qt or Chromium does to the process
if sys.argv[1] == "crash":
    deep_in_the_window()
"""


def run(config: Path, how: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PCN_DESKTOP_CONFIG_DIR=str(config))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(CRASH), how], env=env, text=True,
                          capture_output=True, timeout=60)


def test_a_native_crash_leaves_the_stack_of_each_thread_in_a_log(tmp_path):
    done = run(tmp_path, "crash")
    assert done.returncode != 0                                  # the process still dies
    log = Path(done.stdout.strip())
    assert log.parent == tmp_path / "logs" and log.name.startswith("native-")
    text = log.read_text(encoding="utf-8")
    assert "PCN Desktop" in text and "Fatal Python error" in text
    assert "deep_in_the_window" in text                          # where it was, in Python terms


def test_a_normal_exit_leaves_no_log_and_a_killed_sessions_leftover_is_swept(tmp_path):
    done = run(tmp_path, "exit")
    assert done.returncode == 0
    assert not Path(done.stdout.strip()).exists()
    logs = tmp_path / "logs"
    crashed = logs / "native-20260101-000000-999999.log"
    crashed.write_text("PCN Desktop\n\nFatal Python error: Segmentation fault\n", encoding="utf-8")
    killed = logs / "native-20260101-000001-999998.log"          # no such process: it was killed
    killed.write_text("PCN Desktop\n\n", encoding="utf-8")
    assert run(tmp_path, "exit").returncode == 0
    assert crashed.exists() and not killed.exists()


def test_the_window_leaves_no_native_log_when_it_ends_normally(tmp_path):
    env = dict(os.environ, PCN_DESKTOP_CONFIG_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    done = subprocess.run([sys.executable, "-m", "pcn_desktop.cli", "--screenshot", str(tmp_path / "w.png")],
                          env=env, text=True, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr[-1500:]
    assert list((tmp_path / "logs").glob("native-*.log")) == []
