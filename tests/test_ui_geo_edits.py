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


# --- boundaries follow a move, and undo restores them ------------------------------------
import copy  # noqa: E402
import json  # noqa: E402

from pcn_desktop.paths import resource  # noqa: E402

TIMEOUT = 60_000
OUTLINE_JS = ("(function(id){var g=null;window.pcnLayers.networks.eachLayer(function(l){"
              "if(l.feature.properties.id===id){g=l.feature.geometry;}});return JSON.stringify(g);})(%s)")


def page_outline(qtbot, w: MainWindow, nid: str):
    box: list = []
    w.map_pane.view.page().runJavaScript(OUTLINE_JS % json.dumps(nid), 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0])


def geo_state(project) -> tuple:
    return (dict(project.area_assignments), copy.deepcopy(project.settings["boundaries"]),
            {nid: (b.provenance, b.built, b.geometry) for nid, b in project.boundaries.items()})


def test_boundaries_follow_a_move_on_the_sample_and_undo_restores_them(qtbot):
    w = MainWindow(Document.open(resource("sample", "sample_ccg.pcnproj"), untitled=True))
    w.show()
    try:
        with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):
            pass
        project = w.document.project
        east = project.find_network("Ashbridge East PCN").id
        north = project.find_network("Ashbridge North PCN").id
        before = geo_state(project)
        drawn_north = page_outline(qtbot, w, north)
        # Y90007 holds the plurality of E01990020 (and 14 more of East's areas)
        assert project.area_assignments["E01990020"] == east

        w.move_practices(["Y90007"], north)
        assert project.area_assignments["E01990020"] == north
        moved = {a for a, n in project.area_assignments.items() if n != before[0][a]}
        assert len(moved) == 22
        assert project.boundaries[north].geometry is not before[2][north][2]
        assert project.boundaries[north].geometry.area > before[2][north][2].area
        assert w.map_pane.outline_renders == 1
        with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):      # the debounced re-render
            pass
        grown = page_outline(qtbot, w, north)
        assert grown != drawn_north

        w.undo_action.trigger()
        assert geo_state(project) == before
        assert all(project.boundaries[n].geometry is g for n, (_p, _b, g) in before[2].items())
        assert w.map_pane.outline_renders == 2
        with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):
            pass
        assert page_outline(qtbot, w, north) == drawn_north

        w.redo_action.trigger()
        assert {a for a, n in project.area_assignments.items() if n != before[0][a]} == moved
    finally:
        _close(w)
