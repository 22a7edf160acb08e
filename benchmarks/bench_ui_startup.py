"""Cold start to a drawn window: `pcn-desktop --screenshot` beside bare PySide6 windows
started the same way (a fresh process that shows a window, grabs it to PNG and exits).

Baselines, measured in the same run:
  * bare QMainWindow;
  * bare QMainWindow holding a QWebEngineView that loads a one-line local page (Chromium's
    own start-up, which the app cannot avoid: its map is a web page).
Target: the app within 1.5x of the web-engine baseline. Median of --runs runs each.
The app is started once, untimed, before the runs: its first start renders the map page's
folium frame into the config folder's cache and keeps the copy of it that the next start
loads while it reads the project (as any installed app has after its first map), and the
timed starts measure the start a user has every day after that.
Uses Xvfb when xvfb-run is on PATH (as the screenshots do), else the offscreen platform.

The app's own modules are byte-compiled first (into their __pycache__ folders, which git
ignores), as ``pip install`` does for an installed app and as PySide6 and every other
dependency already are; a checkout used with PYTHONDONTWRITEBYTECODE=1 would otherwise
compile ~100 modules from source on every start. ``--no-compile`` skips that step (the app
then uses whatever bytecode its __pycache__ folders already hold, none in a fresh checkout).
(PYTHONPYCACHEPREFIX is no way round writing there: it moves every package's cache, so the
dependencies would compile from source instead.)

    .venv/bin/python benchmarks/bench_ui_startup.py [--runs 3] [--no-compile] [PROJECT]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

BARE = r'''
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from PySide6.QtCore import QTimer
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("bare")); w.resize(1400, 900); w.show()
def grab():
    w.grab().save(sys.argv[1]); app.exit(0)
QTimer.singleShot(0, grab)
sys.exit(app.exec())
'''

BARE_WEB = r'''
import os, sys, tempfile
import PySide6.QtWebEngineWidgets
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer, QUrl
app = QApplication(sys.argv[:1])
page = os.path.join(tempfile.mkdtemp(), "p.html")
open(page, "w").write("<html><body><svg><path d='M0 0L10 10'/></svg></body></html>")
w = QMainWindow(); view = QWebEngineView(); w.setCentralWidget(view); w.resize(1400, 900); w.show()
def loaded(ok):
    QTimer.singleShot(0, lambda: (w.grab().save(sys.argv[1]), app.exit(0 if ok else 1)))
view.loadFinished.connect(loaded)
view.load(QUrl.fromLocalFile(page))
sys.exit(app.exec())
'''


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=180)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def read_phases(log: Path) -> list[tuple[float, str]]:
    """(epoch time, phase) lines the app wrote (ui/startup_log.py); none when it wrote none."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        when, _, phase = line.partition(" ")
        try:
            out.append((float(when), phase))
        except ValueError:
            continue
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", help="project file (default: the sample CCG)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-compile", action="store_true",
                        help="do not byte-compile the app first (uses any bytecode already there)")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="pcn-start-"))
    env = dict(os.environ, PCN_DESKTOP_CONFIG_DIR=str(out / "config"))
    if not args.no_compile:
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "pcn_desktop")], check=True,
                       stdout=subprocess.DEVNULL)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    prefix: list[str] = []
    if shutil.which("xvfb-run"):
        prefix = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"]
        platform = "Xvfb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
        platform = "offscreen"
    (out / "bare.py").write_text(BARE, encoding="utf-8")
    (out / "bare_web.py").write_text(BARE_WEB, encoding="utf-8")
    app_cmd = [PYTHON, "-m", "pcn_desktop.cli", "--screenshot", str(out / "app.png")]
    if args.project:
        app_cmd.insert(3, args.project)
    commands = {
        "bare QMainWindow": [PYTHON, str(out / "bare.py"), str(out / "bare.png")],
        "bare QMainWindow + QWebEngineView": [PYTHON, str(out / "bare_web.py"), str(out / "web.png")],
        "pcn-desktop --screenshot (map drawn)": app_cmd,
    }
    timed(prefix + app_cmd, env)             # the folium frame cached, as after a first start
    times: dict[str, list[float]] = {name: [] for name in commands}
    phases: dict[str, list[float]] = {}
    log = out / "phases.log"
    for _ in range(args.runs):                 # interleaved, so drift hits all three alike
        for name, cmd in commands.items():
            if cmd is app_cmd:
                log.unlink(missing_ok=True)
                launched = time.time()
                times[name].append(timed(prefix + cmd, dict(env, PCN_DESKTOP_STARTUP_LOG=str(log))))
                for when, phase in read_phases(log):
                    phases.setdefault(phase, []).append(when - launched)
            else:
                times[name].append(timed(prefix + cmd, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    bytecode = "app not byte-compiled first" if args.no_compile else "app byte-compiled as installed"
    print(f"Cold start to a drawn window ({platform}, median of {args.runs}, {bytecode}; includes the "
          f"X server start when under Xvfb):")
    for name, value in median.items():
        print(f"  {name:40s} {value:6.2f} s   (runs: {', '.join(f'{v:.2f}' for v in times[name])})")
    app = median["pcn-desktop --screenshot (map drawn)"]
    bare = median["bare QMainWindow"]
    web = median["bare QMainWindow + QWebEngineView"]
    print(f"  ratio app / bare QMainWindow:          {app / bare:.2f}x")
    print(f"  ratio app / bare with QWebEngineView:  {app / web:.2f}x  (target: within 1.5x)")
    if phases:
        print("Where the app's start goes (median seconds from launch; the X server's start included):")
        for phase, values in sorted(phases.items(), key=lambda kv: statistics.median(kv[1])):
            print(f"  {phase:40s} {statistics.median(values):6.2f} s")
        print(f"  {'process ended':40s} {app:6.2f} s")
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
