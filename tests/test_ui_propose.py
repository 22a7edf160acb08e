"""The Propose dialog: runs the engine in a worker with progress, lists proposals, saves them
as scenarios; Cancel leaves the project as it was. Offscreen."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import pytest

from pcn_desktop.paths import resource
from pcn_desktop.store import load_project
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.propose_dialog import show_propose


@pytest.fixture
def window(qtbot):
    w = MainWindow(Document(load_project(resource("sample", "sample_ccg.pcnproj"))))
    w.show()
    yield w
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


def _wait_done(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)


def test_propose_lists_proposals_and_saves_them_as_scenarios(window, qtbot, tmp_path):
    dialog = show_propose(window)
    project = window.document.project
    members = {n: set(project.members(n)) for n in project.networks}
    dialog.count.setValue(2)
    dialog.minimum.setValue(40000)
    dialog.distance.setValue(6)
    dialog.name.setText("workshop")
    dialog.run_button.click()
    assert dialog.cancel_button.isEnabled()
    _wait_done(qtbot, dialog)
    assert dialog.table.rowCount() == 2, dialog.status.text()
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["workshop-1", "workshop-2"]
    assert dialog.table.item(0, 5).text() == "yes"
    assert "→" in dialog.details.toPlainText()
    # trying the answers left the open scenario untouched
    assert {n: set(project.members(n)) for n in project.networks} == members
    if not tmp_path.exists():
        tmp_path.mkdir()
    dialog.grab().save(str(tmp_path / "propose_dialog.png"))
    assert dialog.save()
    assert project.scenario_names() == ["current", "workshop-1", "workshop-2"]
    for proposal in dialog.result.proposals:
        scenario = project.scenario(proposal.scenario)
        for m in proposal.moves:
            assert scenario.network_of(m.practice).key == m.to_key
    assert window.document.dirty
    assert not dialog.save_button.isEnabled()


def test_cancel_leaves_everything_as_it_was(window, qtbot):
    dialog = show_propose(window)
    project = window.document.project
    members = {n: set(project.members(n)) for n in project.networks}
    dialog.count.setValue(5)
    dialog.minimum.setValue(40000)
    dialog.run_button.click()
    dialog.stop()
    _wait_done(qtbot, dialog)
    assert "Cancelled" in dialog.status.text() or dialog.result is not None
    assert {n: set(project.members(n)) for n in project.networks} == members
    assert project.scenario_names() == ["current"]


def test_impossible_constraints_say_so(window, qtbot):
    dialog = show_propose(window)
    dialog.minimum.setValue(90000)
    dialog.run_button.click()
    _wait_done(qtbot, dialog)
    assert dialog.status.text().startswith("No proposal: no configuration meets the rules")
    assert dialog.table.rowCount() == 0 and not dialog.save_button.isEnabled()


def test_saving_is_one_undo_step(window, qtbot):
    dialog = show_propose(window)
    project = window.document.project
    dialog.count.setValue(2)
    dialog.minimum.setValue(40000)
    dialog.run_button.click()
    _wait_done(qtbot, dialog)
    assert dialog.save()
    assert project.scenario_names() == ["current", "proposal-1", "proposal-2"]
    window.document.stack.undo()
    assert project.scenario_names() == ["current"]
    window.document.stack.redo()
    assert project.scenario_names() == ["current", "proposal-1", "proposal-2"]
    moved = dialog.result.proposals[0].moves[0]
    assert project.scenario("proposal-1").network_of(moved.practice).key == moved.to_key
