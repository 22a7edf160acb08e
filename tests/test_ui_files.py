"""Files and desktop conventions: untitled sample (Save means Save As, the shipped file is
never written), unsaved-changes prompt, autosave and recovery, recent files, layout in
QSettings under PCN_DESKTOP_CONFIG_DIR, import wizard refusals, presentation mode, About."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import hashlib
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from pcn_desktop.paths import resource
from pcn_desktop.store import load_project, save_project
from pcn_desktop.ui import startup as app_module
from pcn_desktop.ui.about import about_text
from pcn_desktop.ui.autosave import Autosaver, pending_recoveries, recovery_root
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.import_export import open_import_wizard
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.settings import app_settings, config_dir, recent_files
from ui_synthetic import synthetic_project

pytestmark = pytest.mark.usefixtures("qapp")


def make_window(document: Document) -> MainWindow:
    w = MainWindow(document)
    w.show()
    return w


def close(w: MainWindow) -> None:
    QThreadPool.globalInstance().waitForDone(10_000)
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_project_opens_an_untitled_copy_of_the_sample_and_save_asks_for_a_name(monkeypatch, tmp_path):
    sample = resource("sample", "sample_ccg.pcnproj")
    if not sample.is_file():
        pytest.skip(f"sample project not built yet: {sample}")
    before = digest(sample)
    document = app_module.open_document(None)
    assert document.path is None and "untitled" in document.title
    w = make_window(document)
    try:
        code = sorted(document.project.practices)[0]
        w.move_practices([code], None)
        target = tmp_path / "mine"
        asked: list[str] = []

        def save_dialog(*args, **kwargs):
            asked.append(args[1])
            return str(target), ""
        monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
        assert w.files.save.isEnabled()
        w.files.save.trigger()
        assert asked == ["Save project as"]
        saved = tmp_path / "mine.pcnproj"
        assert w.document.path == saved and not w.isWindowModified()
        assert load_project(saved).networks_of(code) == []
        assert digest(sample) == before                  # the shipped file is never written
        assert str(saved.resolve()) == recent_files()[0]
    finally:
        close(w)


def test_unsaved_changes_prompt_can_cancel_or_discard(monkeypatch):
    w = make_window(Document(synthetic_project()))
    try:
        w.move_practices(["P00000"], "N1")
        answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
        asked: list[str] = []
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (asked.append(a[2]), answers.pop(0))[1])
        w.files.new.trigger()
        assert len(w.document.project.practices) == 12      # cancelled: still the same project
        w.files.new.trigger()
        assert len(w.document.project.practices) == 0       # discarded: a new empty project
        assert asked == ["Save the changes to Synthetic CCG (untitled)?"] * 2
        assert w.networks_model.rowCount() == 0 and w.practices_model.rowCount() == 0
    finally:
        close(w)


def autosave(w: MainWindow) -> Path:
    w.autosaver.save_now()
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()
    return w.autosaver.recovery_path


def crash(w: MainWindow) -> None:
    """What a killed process leaves: its recovery folder, with the instance lock released."""
    w.autosaver.lock.unlock()
    w.autosaver.lock = None
    w.autosaver.folder = w.autosaver.folder.with_name("gone")   # its clean close can't touch it
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


def test_autosave_writes_a_recovery_file_that_is_offered_on_start(monkeypatch, tmp_path):
    path = tmp_path / "work.pcnproj"
    save_project(synthetic_project(), path)
    old = time.time() - 60
    os.utime(path, (old, old))                  # saved a minute before the crash
    w = make_window(Document.open(path))
    try:
        w.move_practices(["P00000"], "N2")
        recovery = autosave(w)
        assert recovery.is_file()
        assert pending_recoveries() == []       # its window is still running: not offered
        assert load_project(recovery).networks_of("P00000") == ["N2"]
    finally:
        crash(w)
    found = pending_recoveries()
    assert [(r.path, r.origin) for r in found] == [(recovery, str(path))]
    for r in found:
        r.lock.unlock()                          # as if this process had not looked
    w2 = make_window(Document.open(path))
    try:
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        app_module.offer_recovery(w2)
        assert w2.document.project.networks_of("P00000") == ["N2"]
        assert w2.document.path == path and w2.isWindowModified()
        assert pending_recoveries() == []       # taken: not offered twice
        assert not recovery.exists()
    finally:
        close(w2)


def test_recovery_is_per_instance_and_in_local_not_roaming_data(tmp_path):
    """Two windows: each has its own recovery file; closing one cleanly keeps the other's."""
    first, second = tmp_path / "a.pcnproj", tmp_path / "b.pcnproj"
    save_project(synthetic_project(), first)
    save_project(synthetic_project(), second)
    old = time.time() - 60
    for p in (first, second):
        os.utime(p, (old, old))
    w1, w2 = make_window(Document.open(first)), make_window(Document.open(second))
    try:
        w1.move_practices(["P00000"], "N2")
        w2.move_practices(["P00001"], "N2")
        r1, r2 = autosave(w1), autosave(w2)
        assert r1 != r2 and r1.is_file() and r2.is_file()
        assert recovery_root() in r1.parents and recovery_root() in r2.parents
        assert config_dir() / "local" in r1.parents          # PCN_DESKTOP_CONFIG_DIR set: kept inside it
        w1.document.stack.setClean()
        w1.close()                                            # a clean exit of the first window
        assert not r1.exists() and r2.is_file()               # ... leaves the second one's alone
        assert load_project(r2).networks_of("P00001") == ["N2"]
    finally:
        crash(w2)
    assert [r.origin for r in pending_recoveries()] == [str(second)]


def test_local_data_is_localappdata_on_windows(monkeypatch, tmp_path):
    from pcn_desktop import paths
    monkeypatch.delenv("PCN_DESKTOP_CONFIG_DIR")
    monkeypatch.delenv("PCN_DESKTOP_LOCAL_DIR", raising=False)
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.local_data_dir() == tmp_path / "Local" / "PCN Desktop"
    assert paths.config_dir() == tmp_path / "Roaming" / "PCN Desktop"


def test_recovery_older_than_the_saved_project_is_not_offered(tmp_path):
    path = tmp_path / "work.pcnproj"
    folder = recovery_root() / "12345-dead"
    folder.mkdir(parents=True)
    save_project(synthetic_project(), folder / "recovery.pcnproj")
    (folder / "origin.txt").write_text(str(path), encoding="utf-8")
    time.sleep(0.01)
    save_project(synthetic_project(), path)
    assert pending_recoveries() == []
    assert not folder.exists()                  # out of date: removed, not offered


def test_layout_is_kept_in_qsettings_under_the_config_dir():
    w = make_window(Document(synthetic_project()))
    w.docks["findings"].hide()
    close(w)
    ini = config_dir() / "pcn-desktop.ini"
    assert ini.is_file() and os.environ["PCN_DESKTOP_CONFIG_DIR"] in str(ini)
    assert app_settings().value("window/state") is not None
    w2 = make_window(Document(synthetic_project()))
    try:
        assert not w2.docks["findings"].isVisible()
        assert w2.docks["networks"].isVisible()
    finally:
        close(w2)


def previewed(qtbot, w: MainWindow, paths: list[str]):  # noqa: ANN201 — the wizard and its preview page
    """The import wizard on ``paths``, moved on to its preview once the files are read."""
    wizard = open_import_wizard(w, paths)
    wizard.next()
    # the first read imports every importer (geopandas, openpyxl...): slow on a busy machine
    qtbot.waitUntil(lambda: wizard.preview.task is None, timeout=60_000)
    return wizard, wizard.preview


def test_import_wizard_shows_a_refusal_by_file_row_and_problem(qtbot, tmp_path):
    bad = tmp_path / "mapping.csv"
    bad.write_text("practice_code,network_name,practice_name\nP00000,Network 0000,A\n12345,Network 0001,B\n",
                   encoding="utf-8")
    w = make_window(Document(synthetic_project()))
    try:
        wizard, page = previewed(qtbot, w, [str(bad)])
        assert page.run is None and page.refusal is not None
        assert page.refusal.row == 3
        assert page.table.item(0, 0).text() == str(bad)
        assert page.table.item(0, 1).text() == "3"
        assert "12345" in page.table.item(0, 2).text()
        assert not page.isComplete()
        wizard.reject()
        assert len(w.document.project.practices) == 12 and not w.isWindowModified()
    finally:
        close(w)


def test_import_wizard_preview_names_each_file_and_shows_its_notes_after_a_refusal(qtbot, tmp_path):
    """Back from a refusal (three columns) to a good file: four again, the notes in view."""
    bad = tmp_path / "bad.csv"
    bad.write_text("practice_code,network_name,practice_name\n12345,Network 0001,B\n", encoding="utf-8")
    folder = tmp_path / "a folder with a long name, as shared drives have" / "PCN lookups 2021-22"
    folder.mkdir(parents=True)
    good = folder / "lookup.xlsx"
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["practice_code", "network_name"])
    book.active.append(["P00000", "Network 0002"])
    book.save(good)
    w = make_window(Document(synthetic_project()))
    try:
        wizard, page = previewed(qtbot, w, [str(bad)])
        assert page.table.columnCount() == 3
        wizard.back()
        wizard.files.files.clear()
        wizard.files.add_paths([str(good)])
        wizard.next()
        qtbot.waitUntil(lambda: page.run is not None, timeout=60_000)
        row = 0
        assert page.table.columnCount() == 4
        assert page.table.item(row, 0).text() == "lookup.xlsx" and page.table.item(row, 0).toolTip() == str(good)
        assert page.table.horizontalHeaderItem(3).text() == "Notes"
        assert "the list in sheet 'Sheet', columns A–B, headings on row 1" in page.table.item(row, 3).text()
        wizard.reject()
    finally:
        close(w)


def test_import_wizard_imports_into_a_copy_and_swaps_it_in(qtbot, tmp_path):
    good = tmp_path / "mapping.csv"
    good.write_text("practice_code,network_name\nP00000,Network 0002\n", encoding="utf-8")
    w = make_window(Document(synthetic_project()))
    try:
        original = w.document.project
        wizard = open_import_wizard(w, [str(good)])
        wizard.next()
        qtbot.waitUntil(lambda: wizard.preview.run is not None, timeout=60_000)
        assert wizard.preview.table.item(0, 1).text()          # the kind it recognised
        wizard.next()
        qtbot.waitUntil(lambda: wizard.result_page.done, timeout=60_000)
        assert original.networks_of("P00000") == ["N0"]       # the open project untouched so far
        wizard.accept()
        assert w.document.project is not original
        assert w.document.project.networks_of("P00000") == ["N2"]
        assert w.isWindowModified()
        assert w.networks_model.index(w.networks_model.row_of("N2"), 3).data() == "43,000"
    finally:
        close(w)


def test_presentation_mode_enlarges_the_type_and_back():
    w = make_window(Document(synthetic_project()))
    try:
        base = QApplication.font().pointSizeF()
        w.presentation_action.setChecked(True)
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
        assert w.practices_pane.view.verticalHeader().defaultSectionSize() > 0
        w.presentation_action.setChecked(False)
        assert QApplication.font().pointSizeF() == pytest.approx(base)
    finally:
        close(w)


def test_about_names_the_version_and_the_attributions():
    from pcn_desktop import __version__
    text = about_text()
    assert f"PCN Desktop {__version__}" in text
    for needed in ("Open Government", "Code-Point Open", "Leaflet", "BSD-2-Clause", "National Statistics"):
        assert needed in text


def test_widgets_have_accessible_names():
    w = make_window(Document(synthetic_project()))
    try:
        names = {w.practices_pane.view.accessibleName(), w.networks_pane.view.accessibleName(),
                 w.findings_pane.view.accessibleName(), w.map_pane.view.accessibleName(),
                 w.properties_pane.name.accessibleName(), w.practices_pane.filter.accessibleName()}
        assert "" not in names and len(names) == 6
    finally:
        close(w)


def test_build_boundaries_runs_in_a_worker_and_redraws(qtbot):
    project = synthetic_project()
    project.area_assignments.clear()             # not built yet
    w = make_window(Document(project))
    try:
        from pcn_desktop.ui.boundary_actions import build_boundaries
        build_boundaries(w)
        qtbot.waitUntil(lambda: len(w.document.project.area_assignments) == 12, timeout=10_000)
        qtbot.waitUntil(lambda: w.isWindowModified(), timeout=5_000)
        # each square area's only registrations are its own practice's: it goes to that network
        assert w.document.project.area_assignments["E00000000"] == "N0"
        assert w.document.project.area_assignments["E00000011"] == "N2"
        assert set(w.document.project.boundaries) == {"N0", "N1", "N2"}
    finally:
        close(w)


def test_funding_pane_is_docked_and_its_edits_go_on_the_window_undo_stack(qtbot):
    from pcn_desktop.domain.model import PlannedRole
    from pcn_desktop.funding.commands import AddPlannedRole
    w = make_window(Document(synthetic_project()))
    try:
        dock = w.docks["funding"]
        dock.show()
        dock.raise_()
        qtbot.waitUntil(lambda: w.funding_pane.project is w.document.project, timeout=5_000)
        role = PlannedRole("Clinical pharmacist", 1.0, "2020-04", "2021-03", 45_000.0)
        w.funding_pane.push(AddPlannedRole("N1", role))
        assert w.document.project.workforce["N1"] == [role]
        assert w.undo_action.text() == "&Undo Add Clinical pharmacist"
        assert w.isWindowModified()
        w.undo_action.trigger()
        assert w.document.project.workforce["N1"] == []
        assert w.findChild(type(w.funding_pane)) is w.funding_pane
        assert any(a.text().startswith("&Agreements") for a in w.menuBar().actions()[2].menu().actions())
    finally:
        close(w)


def test_file_export_writes_the_practices_workbook(qtbot, tmp_path, monkeypatch):
    """File > Export > Practices and networks (Excel)…: the same writer as the command line,
    in a worker; the workbook imports back."""
    w = make_window(Document(synthetic_project()))
    try:
        target = tmp_path / "practices"                     # the dialog's name, without its extension
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        action = next(a for a in w.export_menu.actions() if "Excel" in a.text().replace("&", ""))
        action.trigger()
        written = tmp_path / "practices.xlsx"
        qtbot.waitUntil(lambda: "Exported" in w.statusBar().currentMessage(), timeout=20_000)
        from pcn_desktop.io.kinds import read_file
        parsed = read_file(written)
        assert sorted(parsed.rows.columns.code) == sorted(w.document.project.practices)
    finally:
        close(w)
