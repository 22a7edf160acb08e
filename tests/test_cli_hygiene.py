"""Command-line hygiene: output folders made, closed pipes, one refusal for unknown names,
normal permissions, output kinds by extension, no display, OSError and unexpected errors
as one line (the traceback in a log), and the window's open-failure dialog."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pcn_desktop.cli import UNEXPECTED, main
from pcn_desktop.cli.window import NO_DISPLAY, has_display
from pcn_desktop.crashlog import log_folder
from pcn_desktop.paths import resource
from pcn_desktop.store import load_project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    source = resource("sample", "sample_ccg.pcnproj")
    if not source.is_file():
        pytest.skip(f"sample project not built: {source}")
    path = tmp_path / "sample.pcnproj"
    shutil.copyfile(source, path)
    return path


def run_cli(*args: str, env: dict[str, str] | None = None, closed_stdout: bool = False) -> subprocess.CompletedProcess:
    """The real program in a child process (so streams, pipes and exit codes are real)."""
    full = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    if closed_stdout:
        # The reader goes away before the program writes anything, like `… | head -0`.
        proc = subprocess.Popen([sys.executable, "-m", "pcn_desktop.cli", *args], env=full,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.wait(timeout=300)
        return subprocess.CompletedProcess(proc.args, proc.returncode, "", err)
    return subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *args], env=full, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=300, stdin=subprocess.DEVNULL)


# --- parent folders ----------------------------------------------------------------------
def test_every_output_creates_its_parent_folders(sample, tmp_path, capsys):
    deep = tmp_path / "not" / "yet"
    assert main(["export", str(sample), str(deep / "a" / "practices.csv")]) == 0
    assert main(["map", str(sample), str(deep / "b" / "map.html")]) == 0
    assert main(["funding", str(sample), "--out", str(deep / "c" / "f.csv"),
                 "--export-plan", str(deep / "d" / "plan.csv")]) == 0
    assert main(["agreements", str(sample), str(deep / "e"), "--network", "U90001"]) == 0
    assert main(["sample", str(deep / "f" / "s.pcnproj")]) == 0
    for made in ("a/practices.csv", "b/map.html", "c/f.csv", "d/plan.csv", "e/U90001.pdf", "f/s.pcnproj"):
        assert (deep / made).is_file(), made


# --- closed pipes ------------------------------------------------------------------------
def test_a_closed_pipe_ends_quietly_with_the_commands_own_status(sample):
    done = run_cli("validate", str(sample), "--json", closed_stdout=True)
    assert done.returncode == 1                        # the sample has error findings: status kept
    assert done.stderr == ""                           # no BrokenPipeError, no "Exception ignored"
    done = run_cli("funding", str(sample), closed_stdout=True)
    assert done.returncode == 0 and done.stderr == ""


def test_boundaries_into_a_closed_pipe_still_saves_the_build(sample):
    project = load_project(sample)
    assert project.registrations and project.areas
    before = {nid: b.built for nid, b in project.boundaries.items()}
    done = run_cli("boundaries", str(sample), "--from-registrations", "--reset-edits", closed_stdout=True)
    assert done.returncode == 0 and done.stderr == ""
    after = load_project(sample)
    assert after.boundaries and {nid: b.built for nid, b in after.boundaries.items()} != before


# --- unknown names -----------------------------------------------------------------------
def test_unknown_network_is_refused_alike_by_every_command(sample, tmp_path, capsys):
    messages = []
    for argv in (["map", str(sample), str(tmp_path / "m.html"), "--network", "NOPE"],
                 ["agreements", str(sample), str(tmp_path / "pdf"), "--network", "NOPE"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        messages.append(err.split(": ", 1)[1])           # without the "pcn-desktop VERB" prefix
    assert messages[0] == messages[1]
    assert "no network 'NOPE' (networks: U900" in messages[0]
    assert not (tmp_path / "m.html").exists() and not (tmp_path / "pdf").exists()


# --- permissions and output kinds --------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows inherits the folder's ACL")
def test_written_files_get_the_users_normal_permissions(sample, tmp_path):
    old = os.umask(0o022)
    try:
        assert main(["map", str(sample), str(tmp_path / "map.html")]) == 0
        assert main(["export", str(sample), str(tmp_path / "p.csv")]) == 0
        assert main(["sample", str(tmp_path / "s.pcnproj")]) == 0
    finally:
        os.umask(old)
    for name in ("map.html", "p.csv", "s.pcnproj"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name


def test_output_kind_is_checked_by_extension_before_any_work(sample, tmp_path, capsys):
    assert main(["map", str(sample), str(tmp_path / "x.png")]) == 2
    assert "the map is written as .html or .htm, not .png" in capsys.readouterr().err
    assert main(["funding", str(sample), "--out", str(tmp_path / "f.txt")]) == 2
    assert main(["funding", str(sample), "--export-plan", str(tmp_path / "plan.xlsx")]) == 2
    assert main(["export", str(sample), str(tmp_path / "p.txt")]) == 2
    assert main(["--screenshot", str(tmp_path / "s.jpg"), str(sample)]) == 2
    assert "the screenshot is written as .png" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [sample]


# --- no display --------------------------------------------------------------------------
def test_no_display_is_one_line_naming_the_offscreen_platform(sample):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "pcn_desktop.cli", str(sample)],
                          env=dict(env, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=120)
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS always have a display")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"pcn-desktop: {NO_DISPLAY}"]
    assert "QT_QPA_PLATFORM=offscreen" in NO_DISPLAY


def test_has_display_rules():
    assert not has_display({}, "linux")
    assert has_display({"DISPLAY": ":0"}, "linux")
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert has_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert has_display({}, "win32")


# --- OSError and the last resort ---------------------------------------------------------
def test_a_locked_file_is_one_line_and_leaves_nothing_behind(sample, tmp_path, capsys, monkeypatch):
    """Excel holds an open CSV locked on Windows: replacing it fails with PermissionError."""
    target = tmp_path / "practices.csv"
    target.write_text("open in Excel\n", encoding="utf-8")

    def locked(src, dst):  # noqa: ANN001
        raise PermissionError(13, "The process cannot access the file because it is being used "
                                  "by another process", str(dst))
    monkeypatch.setattr(os, "replace", locked)
    assert main(["export", str(sample), str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"pcn-desktop export: {target}: The process cannot access the file")
    assert "Excel" in err
    assert target.read_text(encoding="utf-8") == "open in Excel\n"          # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["practices.csv", "sample.pcnproj"]  # no ….writing


def test_an_unexpected_error_is_logged_and_one_line(sample, capsys, monkeypatch):
    from pcn_desktop.cli import validate

    def broken(_args):  # noqa: ANN001
        raise KeyError("a bug")
    monkeypatch.setattr(validate, "run", broken)
    assert main(["validate", str(sample)]) == UNEXPECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("pcn-desktop validate: unexpected error (KeyError: 'a bug'); details in ")
    logs = list(log_folder().glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "KeyError: 'a bug'" in text


def test_the_window_program_with_no_console_streams_still_works(sample, monkeypatch):
    """A Windows GUI program has sys.stdout = None: `validate --json` must not crash on it."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["validate", str(sample), "--json"]) == 1              # errors found, not a crash


# --- the window ---------------------------------------------------------------------------
@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("kind", ["missing", "corrupt"])
def test_the_window_shows_a_dialog_when_its_project_cannot_be_opened(kind, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pcn_desktop.ui import app, failures
    path = tmp_path / "p.pcnproj"
    if kind == "corrupt":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    shown: list[str] = []
    monkeypatch.setattr(failures, "interactive", lambda unattended=False: not unattended)
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append(f"{title}|{text}"))
    assert app.run(str(path)) == 2
    assert len(shown) == 1 and shown[0].startswith("PCN Desktop: cannot open the project|")
    assert str(path) in shown[0]
    shown.clear()
    assert app.run(str(path), screenshot=str(tmp_path / "s.png")) == 2   # unattended: no dialog
    assert shown == []
    from pcn_desktop.ui import web_warmup
    assert web_warmup.adopt() is None        # the page started for the window went with it


@pytest.mark.usefixtures("qapp")
def test_the_window_last_resort_logs_and_never_blocks(monkeypatch, capsys):
    from pcn_desktop.ui import failures
    notes: list[str] = []
    monkeypatch.setattr(failures, "show_note", notes.append)
    saved = sys.excepthook
    try:
        failures.install_excepthook(unattended=False)
        try:
            raise ValueError("boom in a slot")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = saved
    err = capsys.readouterr().err
    assert "unexpected error (ValueError: boom in a slot); details in " in err
    assert notes == [] if failures.interactive() is False else len(notes) == 1   # offscreen: printed only
    assert any("boom in a slot" in p.read_text(encoding="utf-8") for p in log_folder().glob("crash-*.log"))


@pytest.mark.usefixtures("qapp")
def test_the_window_note_is_not_modal():
    from pcn_desktop.ui.failures import show_note
    note = show_note("unexpected error (X: y); details in z")
    try:
        assert not note.isModal() and note.isVisible()
    finally:
        note.close()


def test_numpy_loads_with_one_blas_thread_unless_the_user_asks_for_more(sample):
    # numpy reads the setting when it loads: the program sets it before anything imports numpy
    script = ("import os, sys; from pcn_desktop.cli import main; assert 'numpy' not in sys.modules; "
              f"main(['validate', {str(sample)!r}, '--json']); assert 'numpy' in sys.modules; "
              "print('BLAS', os.environ.get('OPENBLAS_NUM_THREADS'))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for asked, expected in ((None, "1"), ("3", "3")):
        full = dict(env, PYTHONPATH=str(REPO), **({"OPENBLAS_NUM_THREADS": asked} if asked else {}))
        done = subprocess.run([sys.executable, "-c", script], env=full, capture_output=True,
                              text=True, timeout=120)
        assert done.stdout.splitlines()[-1] == f"BLAS {expected}", done.stderr[-2000:]
