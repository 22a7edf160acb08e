"""A network's optional dates in the properties pane: absent, they say so ("not signed"),
never today's date greyed out, which read as an agreement signed today."""
from __future__ import annotations

from datetime import date

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists
import pytest
from PySide6.QtCore import QDate

from pcn_desktop.paths import resource
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.is_file():
        pytest.skip(f"sample project missing: {path}")
    w = MainWindow(Document.open(path, untitled=True))
    qtbot.addWidget(w)
    yield w
    w.document.stack.setClean()
    w.close()


def test_an_unsigned_agreement_says_so_and_signing_it_is_one_undo_step(window):
    project = window.document.project
    east = project.find_network("U90002")
    assert east.agreement_signed is None
    pane = window.properties_pane
    pane.show_network(east.id)
    signed = pane.signed
    assert not signed.check.isChecked() and signed.edit.text() == "not signed"
    assert pane.cd_start.edit.text() == "not recorded"
    signed.check.click()                          # the user ticks it: today, as one edit
    assert project.networks[east.id].agreement_signed == date.today()
    assert signed.edit.date() == QDate.currentDate() and signed.edit.isEnabled()
    window.document.stack.undo()
    assert project.networks[east.id].agreement_signed is None
    pane.show_network(east.id)
    assert signed.edit.text() == "not signed" and not signed.edit.isEnabled()
    north = project.find_network("U90001")         # signed 18 June 2019
    pane.show_network(north.id)
    assert signed.check.isChecked() and signed.edit.date() == QDate(2019, 6, 18)
