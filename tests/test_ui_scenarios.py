"""The window and scenarios: the open one is shown, every pane follows a switch, copy, rename
and delete go through the undo stack, and the comparison view shows the difference."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import os
from pathlib import Path

import pytest

from pcn_desktop.domain.scenario_commands import CopyScenario
from pcn_desktop.funding.scenarios import compare_scenarios
from pcn_desktop.paths import resource
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.models import networks_model as nm
from pcn_desktop.ui.models import practices_model as pm
from ui_synthetic import synthetic_project

SHOTS = os.environ.get("PCN_SCREENSHOTS")        # a folder to keep the screenshots in, when set


@pytest.fixture
def window(qtbot):
    w = MainWindow(Document(synthetic_project(networks=3, per_network=4)))
    w.show()
    yield w
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


def net_cell(w: MainWindow, nid: str, col: int) -> str:
    return w.networks_model.index(w.networks_model.row_of(nid), col).data()


def test_every_pane_follows_a_switch_of_scenario_and_undo_switches_back(window) -> None:
    w = window
    sa = w.scenario_actions
    assert sa.combo.currentText() == "current" and "scenario current" in w.windowTitle()
    assert w.summary.text().startswith("Scenario current")
    w.push(CopyScenario("current", "merge"))
    assert [sa.combo.itemText(i) for i in range(sa.combo.count())] == ["current", "merge"]
    sa.switch_to("merge")
    assert w.document.project.active_scenario == "merge"
    assert sa.combo.currentText() == "merge" and "scenario merge" in w.windowTitle()
    w.move_practices(["P00000"], "N1")                  # an edit in the open scenario
    assert net_cell(w, "N0", nm.SIZE) == "27,000"
    assert w.practices_model.index(w.practices_model.row_of("P00000"), pm.NETWORK).data() == "Network 0001"
    assert any(f.rule == "list-size-minimum" for f in w.document.current_findings)
    # back to current: the networks, practices, findings and funding panes show it again
    sa.switch_to("current")
    assert net_cell(w, "N0", nm.SIZE) == "35,000"
    assert w.practices_model.index(w.practices_model.row_of("P00000"), pm.NETWORK).data() == "Network 0000"
    assert w.findings_model.rowCount() == 0
    w.docks["funding"].show()
    w.docks["funding"].raise_()
    w._funding_changed(None)
    assert w.funding_pane.scenario.text() == "Scenario: current"
    rows = {r.scenario: r for r in compare_scenarios(w.document.project, "N0", w.funding_pane.policy)}
    assert set(rows) == {"current", "merge"}
    # undo the switch: merge is open again, with its edit
    w.undo_action.trigger()
    assert w.document.project.active_scenario == "merge" and sa.combo.currentText() == "merge"
    assert net_cell(w, "N0", nm.SIZE) == "27,000"
    assert w.summary.text().startswith("Scenario merge")


def test_rename_and_delete_from_the_toolbar_actions(window, monkeypatch) -> None:
    w = window
    sa = w.scenario_actions
    from PySide6.QtWidgets import QInputDialog, QMessageBox
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("option A", True)))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    sa.copy.trigger()
    assert w.document.project.scenario_names() == ["current", "option A"]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("as is", True)))
    sa.rename.trigger()
    assert w.document.project.scenario_names() == ["as is", "option A"]
    assert sa.combo.currentText() == "as is" and "scenario as is" in w.windowTitle()
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("option A", True)))
    sa.delete.trigger()
    assert w.document.project.scenario_names() == ["as is"]
    assert not sa.delete.isEnabled()
    w.undo_action.trigger()                              # the deleted scenario comes back
    assert w.document.project.scenario_names() == ["as is", "option A"]
    assert sa.combo.count() == 2


def test_comparison_view_shows_the_move_and_saves_the_pdf(qtbot, tmp_path: Path) -> None:
    document = Document.open(resource("sample", "sample_ccg.pcnproj"), untitled=True)
    w = MainWindow(document)
    w.resize(1500, 950)
    w.show()
    try:
        from pcn_desktop.domain.commands import MovePractice
        from pcn_desktop.domain.scenario_commands import CopyScenario
        from pcn_desktop.geo.commands import follow_geography
        project = document.project
        w.push(CopyScenario("current", "east into north"))
        north = project.find_network("U90001").id
        # an edit to a scenario that is not open, as `assign --scenario` makes it
        follow_geography(MovePractice("Y90001", north)).do(project.scenario("east into north"))
        w.scenario_actions.compare.trigger()
        dialog = w.scenario_actions.comparison_dialog
        dialog.set_project(project, "current", "east into north")
        assert dialog.moves.rowCount() == 1
        assert [dialog.moves.item(0, c).text() for c in (0, 2, 3)] == ["Y90001", "U90002", "U90001"]
        assert dialog.map.pixmap() is not None and not dialog.map.pixmap().isNull()
        assert "1 practice moves" in dialog.summary.text()
        changed = [dialog.networks.item(r, 1).text() for r in range(dialog.networks.rowCount())
                   if dialog.networks.item(r, 4).text() not in ("0", "")]
        assert sorted(changed) == ["U90001", "U90002"]
        qtbot.waitExposed(dialog)
        # the map is drawn for the size it is shown at (a big picture shrunk has unreadable
        # names), and again for a new size once the user stops resizing
        qtbot.waitUntil(lambda: dialog.drawn_size == (dialog.map.width(), dialog.map.height()), timeout=5000)
        shown = dialog.map.pixmap().deviceIndependentSize()
        assert (round(shown.width()), round(shown.height())) == dialog.drawn_size
        dialog.resize(dialog.width() - 150, dialog.height() - 100)
        qtbot.waitUntil(lambda: dialog.drawn_size == (dialog.map.width(), dialog.map.height()), timeout=5000)
        shots = Path(SHOTS) if SHOTS else tmp_path
        shots.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(shots / "comparison_view.png"))
        assert w.grab().save(str(shots / "window_scenario.png"))
        pdf = dialog.save_pdf(str(shots / "comparison.pdf"))
        assert pdf and Path(pdf).stat().st_size > 10_000
    finally:
        document.stack.setClean()
        w.close()
        w.deleteLater()
