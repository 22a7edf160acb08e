"""The import wizard asks when undated list sizes were counted, and the status bar says the date."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

from datetime import date

import pytest
from PySide6.QtCore import QThreadPool

from pcn_desktop.ui.document import Document
from pcn_desktop.ui.import_export import open_import_wizard
from pcn_desktop.ui.main_window import MainWindow
from ui_synthetic import synthetic_project

pytestmark = pytest.mark.usefixtures("qapp")


def _close(w: MainWindow) -> None:
    QThreadPool.globalInstance().waitForDone(10_000)
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


def test_wizard_asks_for_the_date_of_undated_list_sizes(qtbot, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("practice_code,network_name,list_size\nP00000,Network 0002,12345\n", encoding="utf-8")
    w = MainWindow(Document(synthetic_project()))
    w.show()
    try:
        wizard = open_import_wizard(w, [str(plain)])
        wizard.next()
        page = wizard.preview
        qtbot.waitUntil(lambda: page.run is not None, timeout=60_000)
        assert page.list_date.isVisible() and "plain.csv (1)" in page.date_label.text()
        page.list_date.setText("2021-13-01")
        assert not page.isComplete()                    # not a date: Import stays disabled
        page.list_date.setText("2019-06-01")
        assert page.isComplete()
        wizard.next()
        qtbot.waitUntil(lambda: wizard.result_page.done, timeout=60_000)
        wizard.accept()
        project = w.document.project
        assert project.list_sizes["P00000"][date(2019, 6, 1)] == 12345
        assert "lists counted at" in w.summary.text()
    finally:
        _close(w)


def test_a_file_with_dated_counts_does_not_ask(qtbot, tmp_path):
    dated = tmp_path / "dated.csv"
    dated.write_text("practice_code,network_name,list_size,list_date\nP00000,Network 0002,12345,2021-01-01\n",
                     encoding="utf-8")
    w = MainWindow(Document(synthetic_project()))
    w.show()
    try:
        wizard = open_import_wizard(w, [str(dated)])
        wizard.next()
        qtbot.waitUntil(lambda: wizard.preview.run is not None, timeout=60_000)
        assert not wizard.preview.list_date.isVisible()
        wizard.reject()
    finally:
        _close(w)


def test_the_wizard_names_every_kind_of_file_it_reads(qtbot):
    """Its first page listed six kinds when it read nine: Excel lists, area assignments and
    workforce plans were missing from what a user was told to bring."""
    from pcn_desktop.io.kinds import kinds
    from pcn_desktop.ui.import_wizard import KIND_WORDS, FilesPage
    assert set(KIND_WORDS) == {k.name for k in kinds()}
    page = FilesPage(has_project=True)
    qtbot.addWidget(page)
    assert all(words in page.subTitle() for words in KIND_WORDS.values())
