"""Windows habits: user TOML in ANSI or with a BOM, a cp1252 console, CSV for Excel read back,
paths with %20/#/?, paths kept as chosen, temporary folders cleaned up, one version source,
the CLI program's exit codes, and the frozen-build helpers (Qt trimming, installer file lists)."""
from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from pcn_desktop import __version__
from pcn_desktop.cli import main
from pcn_desktop.paths import as_chosen, config_dir, resource
from pcn_desktop.store import load_project, save_project
from pcn_desktop.textfiles import TextDecodeError, decode_user_text

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    source = resource("sample", "sample_ccg.pcnproj")
    if not source.is_file():
        pytest.skip(f"sample project not built: {source}")
    path = tmp_path / "sample.pcnproj"
    shutil.copyfile(source, path)
    return path


def cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *args],
                          env=dict(os.environ, PYTHONPATH=str(REPO), **env), capture_output=True,
                          timeout=300, stdin=subprocess.DEVNULL)


# --- user TOML ---------------------------------------------------------------------------
def user_clauses(encoding: str, extra: str = "St Andrew’s — £1") -> Path:
    text = resource("agreement", "clauses.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Schedules to the Network Agreement"', f'title = "Schedules to the Network Agreement ({extra})"', 1)
    target = config_dir() / "agreement" / "clauses.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode(encoding))
    return target


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8", "utf-16"])
def test_clause_template_saved_by_notepad_in_any_encoding_is_read(encoding):
    from pcn_desktop.reports.clauses import load_template
    path = user_clauses(encoding)
    template = load_template(path)
    assert "St Andrew’s — £1" in template.title


def test_a_policy_table_saved_as_ansi_or_with_a_bom_is_read(sample, capsys):
    """A user's copy of a year replaces the shipped one, whatever Notepad saved it as."""
    from pcn_desktop.funding.policy_store import invalidate, load_policies
    folder = config_dir() / "policy"
    folder.mkdir(parents=True, exist_ok=True)
    marker = "St Andrew’s £ – "                          # ’ £ – are single bytes in cp1252
    for name, encode in (("2024-25.toml", lambda t: t.encode("cp1252")),
                         ("2023-24.toml", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"))):
        text = resource("policy", name).read_text(encoding="utf-8")
        (folder / name).write_bytes(encode(text.replace('\nlabel = "', f'\nlabel = "{marker}', 1)))
    invalidate()
    try:
        policies = load_policies()
        for year in ("2024/25", "2023/24"):
            assert any(s.label.startswith(marker) for s in policies[year].streams.values()), year
        assert main(["funding", str(sample), "--year", "2024/25"]) == 0
        assert f"= {marker}" in capsys.readouterr().out
    finally:
        shutil.rmtree(folder)
        invalidate()


def test_text_that_is_not_utf8_nor_ansi_is_refused_naming_the_file(capsys, sample):
    with pytest.raises(TextDecodeError, match=r"x\.toml: not readable text.*byte 0x81"):
        decode_user_text(b"title = \"\x81\"", "x.toml")
    path = user_clauses("cp1252")
    path.write_bytes(path.read_bytes().replace(b"Network Agreement", b"Network \x81greement", 1))
    assert main(["agreements", str(sample), str(sample.parent / "pdf")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err and err.count("\n") == 1


# --- console -----------------------------------------------------------------------------
def test_a_cp1252_console_never_crashes_on_names_it_cannot_show(sample, tmp_path):
    project = load_project(sample)
    net = project.sorted_networks()[0]
    net.name = "Ōtautahi ✓ → Network"                 # Ō ✓ → are not in cp1252
    project.name = "Ōtautahi ✓ CCG"
    save_project(project, sample)
    for args, status in ((["sample", str(tmp_path / "s.pcnproj")], 0), (["validate", str(sample)], 1),
                         (["funding", str(sample)], 0), (["agreements", str(sample), str(tmp_path / "pdf")], 0),
                         (["map", str(sample), str(tmp_path / "m.html")], 0)):
        done = cli(*args, PYTHONIOENCODING="cp1252")
        assert done.returncode == status, (args, done.stderr)
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    done = cli("validate", str(sample), PYTHONIOENCODING="cp1252")
    assert "?tautahi ? ? Network".encode("cp1252") in done.stdout   # replaced, the rest kept


# --- CSV for Excel -----------------------------------------------------------------------
def test_csv_exports_carry_a_bom_and_import_back(sample, tmp_path):
    project = load_project(sample)
    code = sorted(project.practices)[0]
    project.practices[code].name = "St Andrew’s Surgery"
    save_project(project, sample)
    out = tmp_path / "practices.csv"
    assert main(["export", str(sample), str(out)]) == 0
    assert main(["funding", str(sample), "--out", str(tmp_path / "f.csv"),
                 "--export-plan", str(tmp_path / "plan.csv")]) == 0
    for name in ("practices.csv", "f.csv", "plan.csv"):
        assert (tmp_path / name).read_bytes().startswith(codecs.BOM_UTF8), name
    assert "St Andrew’s Surgery" in out.read_text(encoding="utf-8-sig")
    again = tmp_path / "again.pcnproj"
    assert main(["import", str(again), str(out), str(tmp_path / "plan.csv")]) == 0
    back = load_project(again)
    assert back.practices[code].name == "St Andrew’s Surgery"
    assert {c: back.networks_of(c) for c in back.practices} == \
        {c: [back.find_network(project.networks[n].key).id for n in project.networks_of(c)]
         for c in back.practices}
    assert sum(len(v) for v in back.workforce.values()) == sum(len(v) for v in project.workforce.values())


# --- paths -------------------------------------------------------------------------------
def test_a_project_path_with_url_characters_saves_and_opens(sample, tmp_path):
    odd = "%20#?" if os.name == "posix" else "%20#"      # Windows file names cannot hold "?"
    target = tmp_path / f"team{odd}folder" / f"plan{odd}2021.pcnproj"
    save_project(load_project(sample), target)
    assert target.is_file()
    assert [p.name for p in target.parent.iterdir() if p.name != target.name] == []   # no stray temp file
    assert len(load_project(target).practices) == len(load_project(sample).practices)
    assert main(["validate", str(target)]) in (0, 1)


def test_paths_are_kept_as_the_user_chose_them(tmp_path):
    real = tmp_path / "server share"
    real.mkdir()
    link = tmp_path / "P"
    try:
        link.symlink_to(real, target_is_directory=True)    # stands in for a mapped drive
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links need a privilege here")
    chosen = link / "projects" / ".." / "a.pcnproj"
    assert as_chosen(chosen) == link / "a.pcnproj"            # not resolved to "server share"
    assert as_chosen("a.pcnproj") == Path.cwd() / "a.pcnproj"


def test_recent_files_keep_the_path_as_opened(tmp_path, qapp):
    from pcn_desktop.ui.document import Document
    from pcn_desktop.ui.main_window import MainWindow
    from pcn_desktop.ui.settings import recent_files
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "mapped"
    try:
        link.symlink_to(real, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links need a privilege here")
    from ui_synthetic import synthetic_project
    save_project(synthetic_project(), real / "a.pcnproj")
    w = MainWindow(Document(synthetic_project()))
    try:
        assert w.files.open_path(str(link / "a.pcnproj"), ask=False)
        assert recent_files()[0] == str(link / "a.pcnproj")
    finally:
        w.document.stack.setClean()
        w.close()
        w.deleteLater()


# --- temporary files ---------------------------------------------------------------------
def test_map_temp_folders_are_removed_and_stale_ones_swept(tmp_path):
    from pcn_desktop.tempfiles import owned_temp_dir, sweep_stale

    class Owner:
        pass
    owner = Owner()
    folder, remove = owned_temp_dir(owner)
    (folder / "map.html").write_text("x", encoding="utf-8")
    del owner                                                 # the pane goes: its folder goes
    assert not folder.exists() and not remove.alive
    old, fresh = tmp_path / "pcn-map-old", tmp_path / "pcn-map-new"
    old.mkdir()
    fresh.mkdir()
    stamp = time.time() - 2 * 24 * 3600
    os.utime(old, (stamp, stamp))
    assert sweep_stale(folder=tmp_path) == 1
    assert not old.exists() and fresh.exists()               # another window's current folder stays


# --- one version, two programs, exit codes -----------------------------------------------
def test_the_version_has_one_source():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "pcn_desktop.__version__"}
    scripts = meta["project"]["scripts"]
    assert scripts["pcn-desktop"] == scripts["pcn-desktop-cli"] == "pcn_desktop.cli:main"
    nsi = (REPO / "installer" / "pcn_desktop.nsi").read_text(encoding="utf-8")
    assert __version__ not in nsi                            # the installer reads build/version.nsh


def test_the_console_program_exit_codes(sample, tmp_path):
    assert cli("--version").stdout.decode().strip() == f"pcn-desktop {__version__}"
    assert cli("validate", str(sample)).returncode == 1                       # errors found
    assert cli("funding", str(sample)).returncode == 0
    assert cli("validate", str(tmp_path / "missing.pcnproj")).returncode == 2  # a refusal
    assert cli("map", str(sample), str(tmp_path / "x.png")).returncode == 2
    assert cli("nonsense-verb-or-project.pcnproj", QT_QPA_PLATFORM="offscreen").returncode == 2


# --- frozen build helpers ----------------------------------------------------------------
def test_qt_trimming_keeps_what_the_web_view_links_and_drops_the_rest():
    sys.path.insert(0, str(REPO))
    from installer.trim import keep_binary, keep_data
    for lib in ("libQt6WebEngineCore.so.6", "libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6QuickWidgets.so.6",
                "libQt6Positioning.so.6", "libQt6QmlModels.so.6", "libQt6WebChannel.so.6", "Qt6Quick.dll"):
        assert keep_binary(f"PySide6/Qt/lib/{lib}"), lib
    assert keep_binary("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    for lib in ("libQt6Quick3D.so.6", "libQt6QuickControls2.so.6", "libQt6Multimedia.so.6", "Qt6Quick3D.dll",
                "libQt6WebEngineQuick.so.6", "libQt6Pdf.so.6"):
        assert not keep_binary(f"PySide6/Qt/lib/{lib}"), lib
    assert not keep_binary("PySide6\\Qt\\qml\\QtQuick\\Controls\\x.dll")
    assert not keep_data("PySide6/Qt/qml/QtQuick/Window/qmldir")
    assert not keep_data("PySide6/Qt/translations/qt_de.qm")
    assert keep_data("PySide6/Qt/translations/qtwebengine_locales/en-GB.pak")
    assert keep_data("PySide6/Qt/resources/qtwebengine_resources.pak")


def test_installer_file_lists_remove_exactly_what_was_installed(tmp_path):
    sys.path.insert(0, str(REPO))
    from installer.make_assets import file_lists
    build = tmp_path / "pcn-desktop"
    for rel in ("pcn-desktop.exe", "pcn-desktop-cli.exe", "_internal/base_library.zip",
                "_internal/PySide6/Qt/lib/Qt6Core.dll", "_internal/resources/policy/2024-25.toml"):
        (build / rel).parent.mkdir(parents=True, exist_ok=True)
        (build / rel).write_bytes(b"x" * 2048)
    install, uninstall, size_kb = file_lists(build)
    files = [line for line in install.splitlines() if line.startswith("File ")]
    deletes = [line for line in uninstall.splitlines() if line.startswith("Delete ")]
    assert len(files) == len(deletes) == 5 and size_kb == 10
    assert 'Delete "$INSTDIR\\_internal\\PySide6\\Qt\\lib\\Qt6Core.dll"' in deletes
    assert "/r" not in uninstall                                        # never a recursive delete
    rmdirs = [line for line in uninstall.splitlines() if line.startswith("RMDir")]
    assert rmdirs[0] == 'RMDir "$INSTDIR\\_internal\\PySide6\\Qt\\lib"' and rmdirs[-1] == 'RMDir "$INSTDIR\\_internal"'
    nsi = (REPO / "installer" / "pcn_desktop.nsi").read_text(encoding="utf-8")
    assert "RMDir /r" not in nsi and "CurrentVersion\\Uninstall" in nsi and 'SUBFOLDER "PCN Desktop"' in nsi
