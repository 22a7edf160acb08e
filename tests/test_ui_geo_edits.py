"""Geography edits through the real window: the allowed-parts spin box, and boundaries that
follow practice moves and hand edits of areas, undoably. Offscreen (conftest sets it)."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import pytest

from geo_grid import grid_project
from pcn_desktop.geo.boundaries import build_from_registrations
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow


def _close(w: MainWindow) -> None:
    w.document.stack.setClean()        # no unsaved-changes prompt when closing
    w.close()
    w.deleteLater()


@pytest.fixture
def grid_window(qtbot):
    project = grid_project()
    build_from_registrations(project)          # B: its column x=3 plus the detached cell G00
    w = MainWindow(Document(project))
    w.show()
    yield w
    _close(w)


def contiguity(w: MainWindow, nid: str) -> list[tuple[str, str]]:
    return [(f.severity.value, f.message) for f in w.document.current_findings
            if f.rule == "boundary-not-contiguous" and f.network_id == nid]


def test_allowed_parts_spin_box_is_an_undoable_audited_edit(grid_window):
    w = grid_window
    project = w.document.project
    assert contiguity(w, "B") == [("error", "Network B is in 2 parts (allowed 1); part 2 is detached: G00")]
    w.select_network("B")
    spin = w.properties_pane.parts
    assert spin.value() == 1 and spin.isEnabled()
    assert "several pieces" in spin.toolTip() and "rural" in spin.toolTip()
    spin.setValue(2)                            # as the arrows or a typed value do
    assert project.settings["geo_expected_parts"] == {"B": 2}
    assert contiguity(w, "B") == []
    assert w.undo_action.text() == "&Undo Set allowed boundary parts"
    last = project.audit[-1]
    assert (last.what, last.old, last.new) == ("network U00002 allowed boundary parts", "1", "2")

    w.select_network("A")                       # the form shows each network's own allowance
    assert w.properties_pane.parts.value() == 1
    w.select_network("B")
    assert spin.value() == 2

    w.undo_action.trigger()
    assert "geo_expected_parts" not in project.settings
    assert spin.value() == 1
    assert contiguity(w, "B") == [("error", "Network B is in 2 parts (allowed 1); part 2 is detached: G00")]
    w.redo_action.trigger()
    assert project.settings["geo_expected_parts"] == {"B": 2} and spin.value() == 2
    assert contiguity(w, "B") == []
