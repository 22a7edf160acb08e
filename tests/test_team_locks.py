"""Project files on a shared drive: the lock file beside the project, tested across processes,
and the rename-into-place save on a filesystem of its own (a tmpfs mount, as root)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from io_files import digest, epraccur_row, saved_project, write

from pcn_desktop.store import load_project, save_project
from pcn_desktop.store.locks import ProjectLock, ProjectLocked, lock_path, read_lock

REPO = Path(__file__).resolve().parents[1]
HOLDER = """
import sys, time
from pathlib import Path
from pcn_desktop.store.locks import ProjectLock
lock = ProjectLock(Path(sys.argv[1]), sys.argv[2]).acquire()
print("held", flush=True)
time.sleep(float(sys.argv[3]))
lock.release()
"""


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def cli(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *args], capture_output=True, text=True,
                          env=env(**extra), timeout=300)


def hold(project: Path, purpose: str, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(project), purpose, str(seconds)],
                            stdout=subprocess.PIPE, text=True, env=env())
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_the_lock_file_names_who_where_and_since(tmp_path):
    project, _ = saved_project(tmp_path)
    holder = hold(project, "window", 30)
    try:
        info = json.loads(lock_path(project).read_text())
        assert info["host"] == socket.gethostname() and info["pid"] == holder.pid
        assert info["who"] and info["since"][:4].isdigit() and info["purpose"] == "window"
        seen = read_lock(project)
        assert seen is not None and seen.pid == holder.pid
        with pytest.raises(ProjectLocked) as refused:
            ProjectLock(project).acquire()
        assert f"pid {holder.pid}" in str(refused.value) and socket.gethostname() in str(refused.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_command_is_refused_while_a_window_holds_the_file(tmp_path):
    project, before = saved_project(tmp_path)
    holder = hold(project, "window", 60)
    try:
        done = cli("assign", str(project), "P81001", "none")
        assert done.returncode == 2
        assert "has it open (window" in done.stderr and socket.gethostname() in done.stderr
        assert digest(project) == before
    finally:
        holder.terminate()
        holder.wait()
    assert not lock_path(project).exists() or read_lock(project) is None
    assert cli("assign", str(project), "P81001", "none").returncode == 0


def test_a_command_waits_for_another_command_then_goes_ahead(tmp_path):
    project, _ = saved_project(tmp_path)
    holder = hold(project, "import", 3)
    started = time.monotonic()
    done = cli("assign", str(project), "P81001", "none")
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 2
    holder.wait()
    assert load_project(project).networks_of("P81001") == []


def test_a_command_gives_up_after_the_wait_naming_the_holder(tmp_path):
    project, before = saved_project(tmp_path)
    holder = hold(project, "import", 60)
    try:
        done = cli("assign", str(project), "P81001", "none", PCN_LOCK_WAIT="1")
        assert done.returncode == 2 and "(import, pid" in done.stderr and "waited 1 s" in done.stderr
        assert digest(project) == before
    finally:
        holder.terminate()
        holder.wait()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    project, _ = saved_project(tmp_path)
    holder = hold(project, "window", 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path(project).exists()          # left behind ...
    assert read_lock(project) is None           # ... but known dead
    assert cli("assign", str(project), "P81001", "none").returncode == 0


def test_two_imports_of_one_project_at_once_both_arrive(tmp_path):
    project, _ = saved_project(tmp_path)
    files = []
    for folder, code, name in (("a", "P81003", "THREE SURGERY"), ("b", "P81004", "FOUR SURGERY")):
        (tmp_path / folder).mkdir()
        files.append(write(tmp_path / folder / "epraccur.csv", epraccur_row(code, name) + "\n"))
    procs = [subprocess.Popen([sys.executable, "-m", "pcn_desktop.cli", "import", str(project), str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
             for f in files]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert {"P81001", "P81002", "P81003", "P81004"} <= set(load_project(project).practices)


# --- the save itself on a filesystem of its own ----------------------------------------------
@pytest.fixture
def separate_mount(tmp_path):
    """A tmpfs mounted for the test: the project lives on another filesystem than /tmp, as a
    project on a network drive does. Needs root (or a mount namespace); skipped otherwise."""
    where = tmp_path / "share"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a separate filesystem needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)], capture_output=True,
                          text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_saves_rename_into_place_on_the_projects_own_filesystem(separate_mount, tmp_path, monkeypatch):
    from pcn_desktop.paths import resource
    assert os.stat(separate_mount).st_dev != os.stat(tmp_path).st_dev
    target = separate_mount / "team.pcnproj"
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    save_project(project, target)
    renames = []
    real = os.replace

    def watched(src, dst):
        renames.append((os.stat(src).st_dev, os.stat(Path(dst).parent).st_dev))
        return real(src, dst)
    monkeypatch.setattr(os, "replace", watched)
    project.name = "Renamed on the share"
    save_project(project, target)
    assert renames and all(a == b == os.stat(separate_mount).st_dev for a, b in renames)
    assert load_project(target).name == "Renamed on the share"
    assert sorted(p.name for p in separate_mount.iterdir()) == ["team.pcnproj"]


def test_kill_9_mid_save_on_the_share_leaves_the_last_saved_file(separate_mount, tmp_path):
    from pcn_desktop.paths import resource
    target = separate_mount / "team.pcnproj"
    save_project(load_project(resource("sample", "sample_ccg.pcnproj")), target)
    before = digest(target)
    script = tmp_path / "slow.py"
    script.write_text(
        "import sys, time, os\n"
        "from pcn_desktop.store import load_project, save_project\n"
        "p = load_project(sys.argv[1])\n"
        "p.name = 'half-saved'\n"
        "real = os.replace\n"
        "def slow(a, b):\n"
        "    print('renaming', flush=True)\n"
        "    time.sleep(60)\n"
        "    real(a, b)\n"
        "os.replace = slow\n"
        "save_project(p, sys.argv[1])\n")
    proc = subprocess.Popen([sys.executable, str(script), str(target)], stdout=subprocess.PIPE, text=True, env=env())
    assert proc.stdout.readline().strip() == "renaming"       # the new file is complete, not in place
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert digest(target) == before
    assert load_project(target).name != "half-saved"
    # the next save is not held up by the dead saver's lock
    project = load_project(target)
    project.name = "after"
    save_project(project, target)
    assert load_project(target).name == "after"


def test_a_project_in_a_folder_without_write_access_still_opens(tmp_path, monkeypatch):
    project, _ = saved_project(tmp_path)
    real = os.open

    def refuse(path, flags, *args):       # a read-only share (root would write anyway)
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args)
    monkeypatch.setattr(os, "open", refuse)
    lock = ProjectLock(project).acquire()
    lock.release()
    monkeypatch.undo()
    assert load_project(project).practices
    assert not lock_path(project).exists()
