"""``kill -9`` at random moments of a large import and of a save (issue 15): afterwards the
project opens and equals either the state before or the state after, and the next open
removes what the killed save left beside it.

CI kills a few times at random moments; ``PCN_KILL_RUNS=50`` kills more often.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import EPRACCUR, LIST_SIZES, real

from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "resources" / "sample" / "sample_ccg.pcnproj"
RUNS = int(os.environ.get("PCN_KILL_RUNS", "3"))
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

SAVE_SCRIPT = """
import sys
from datetime import date
from pcn_desktop.store import load_project, save_project
import pcn_desktop.store.models, shapely.wkb, sqlalchemy   # imported now: the kill is to land in the writing
project = load_project(sys.argv[1])
for code in project.practices:                         # every practice gets a new list size
    project.list_sizes[code][date(2021, 1, 1)] = 1000 + len(code)
for net in project.networks.values():
    net.name = net.name + " (renamed)"
print("saving", flush=True)
save_project(project, sys.argv[1])
print("saved", flush=True)
"""


def snapshot(path: Path) -> tuple:
    """The project's content, without the audit log's timestamps."""
    p = load_project(path)
    return (
        sorted((c, repr(x)) for c, x in p.practices.items()),
        sorted((c, sorted(s.items())) for c, s in p.list_sizes.items() if s),
        sorted((i, repr(vars(n))) for i, n in p.networks.items()),
        sorted((m.practice_code, m.network_id, str(m.start), str(m.end)) for m in p.memberships),
        sorted(p.areas), sorted((d, sorted(r.items())) for d, r in p.registrations.items() if r),
        sorted(p.boundaries), sorted(p.area_assignments.items()),
        sorted((n, repr(r)) for n, r in p.workforce.items() if r),
        [(e.what, e.old, e.new) for e in p.audit],
    )


def _run_to_end(args: list[str], mark: str | None) -> float:
    """Seconds the command runs (from the line ``mark`` it prints, when given)."""
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = time.monotonic()
    if mark:
        _wait_for(proc, mark)
        start = time.monotonic()
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return time.monotonic() - start


def _wait_for(proc: subprocess.Popen, mark: str) -> None:
    for line in proc.stdout:
        if line.strip() == mark:
            return
    raise AssertionError(f"the command never printed {mark!r}")


def _kill_after(args: list[str], delay: float, mark: str | None) -> int | None:
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.PIPE if mark else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)
    if mark:
        _wait_for(proc, mark)                             # the kill lands inside the save itself
    try:
        proc.wait(timeout=delay)
        return proc.returncode                           # finished before the kill
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def _kills(tmp_path: Path, command, mark: str | None = None) -> None:
    """Measure the command, then kill it RUNS times at random moments of its run."""
    before_path = tmp_path / "before.pcnproj"
    shutil.copyfile(SAMPLE, before_path)
    before = snapshot(before_path)
    after_path = tmp_path / "after" / "p.pcnproj"
    after_path.parent.mkdir()
    shutil.copyfile(SAMPLE, after_path)
    duration = _run_to_end(command(after_path), mark)
    after = snapshot(after_path)
    assert after != before
    rng = random.Random(os.environ.get("PCN_KILL_SEED", "15"))
    seen = {"before": 0, "after": 0}
    for run in range(RUNS):
        target = tmp_path / f"run{run}" / "p.pcnproj"
        target.parent.mkdir()
        shutil.copyfile(SAMPLE, target)
        _kill_after(command(target), rng.uniform(0.0 if mark else 0.1, duration), mark)
        state = snapshot(target)                          # opens; and removes the killed save's leftovers
        assert state in (before, after), f"kill {run}: the project is neither before nor after"
        seen["before" if state == before else "after"] += 1
        assert sorted(p.name for p in target.parent.iterdir()) == ["p.pcnproj"]
    print(f"{RUNS} kills in {duration:.1f} s runs: {seen}")


def test_kill_during_a_large_import(tmp_path):
    files = [str(real(*EPRACCUR)), str(real(*LIST_SIZES))]
    _kills(tmp_path, lambda project: [sys.executable, "-m", "pcn_desktop.cli", "import", str(project), *files])


def test_kill_during_a_save(tmp_path):
    _kills(tmp_path, lambda project: [sys.executable, "-c", SAVE_SCRIPT, str(project)], mark="saving")
