"""Drive the real window: move a practice, see totals and findings change, undo, redo, save,
reopen and find the same state. Offscreen (conftest sets QT_QPA_PLATFORM)."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import pytest
from PySide6.QtCore import QModelIndex, Qt

from pcn_desktop.domain.commands import MergeNetworks, SetNetworkField, SplitNetwork
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.models import networks_model as nm
from pcn_desktop.ui.models import practices_model as pm
from ui_synthetic import synthetic_project


@pytest.fixture
def window(qtbot):
    w = MainWindow(Document(synthetic_project(networks=3, per_network=4)))
    w.show()
    yield w
    w.document.stack.setClean()        # no unsaved-changes prompt when closing
    w.close()
    w.deleteLater()


def net_cell(w: MainWindow, nid: str, col: int) -> str:
    row = w.networks_model.row_of(nid)
    return w.networks_model.index(row, col).data()


def practice_cell(w: MainWindow, code: str, col: int) -> str:
    return w.practices_model.index(w.practices_model.row_of(code), col).data()


def rules_of(w: MainWindow, nid: str) -> list[str]:
    return sorted(f.rule for f in w.document.current_findings if f.network_id == nid)


def state(w: MainWindow) -> dict:
    p = w.document.project
    return {nid: (net.name, sorted(p.members(nid)), p.network_list_size(nid)) for nid, net in p.networks.items()}


def test_move_changes_totals_and_findings_then_undo_redo_save_reopen(window, tmp_path):
    w = window
    assert net_cell(w, "N0", nm.SIZE) == "35,000"          # 8,000 + 8,500 + 9,000 + 9,500
    assert net_cell(w, "N0", nm.STATE) == "\u2714 OK"
    assert w.findings_model.rowCount() == 0

    w.move_practices(["P00000"], "N1")
    assert net_cell(w, "N0", nm.SIZE) == "27,000"
    assert net_cell(w, "N1", nm.SIZE) == "43,000"
    assert net_cell(w, "N0", nm.COUNT) == "3"
    assert net_cell(w, "N0", nm.MARGIN) == "\u22123,000"
    # P00000 was the director's practice and the payee: three errors for N0
    assert rules_of(w, "N0") == ["director-not-member", "list-size-minimum", "payee-not-member"]
    assert net_cell(w, "N0", nm.STATE) == "\u2716 3 errors"
    assert w.findings_model.rowCount() == 3
    assert practice_cell(w, "P00000", pm.NETWORK) == "Network 0001"
    assert w.undo_action.text() == "&Undo Move P00000"
    assert w.isWindowModified()

    w.undo_action.trigger()
    assert net_cell(w, "N0", nm.SIZE) == "35,000"
    assert net_cell(w, "N1", nm.SIZE) == "35,000"
    assert w.findings_model.rowCount() == 0
    assert practice_cell(w, "P00000", pm.NETWORK) == "Network 0000"
    assert not w.isWindowModified()

    w.redo_action.trigger()
    assert net_cell(w, "N0", nm.SIZE) == "27,000"
    assert w.findings_model.rowCount() == 3
    before = state(w)

    path = tmp_path / "moved.pcnproj"
    assert w.files._save_to(path)
    assert not w.isWindowModified()
    assert w.files.open_path(str(path))
    assert w.document.path == path
    assert state(w) == before
    assert net_cell(w, "N0", nm.SIZE) == "27,000"
    assert w.findings_model.rowCount() == 3
    assert w.document.stack.count() == 0


def test_drop_practices_on_a_network_moves_them_as_one_undo_step(window):
    w = window
    rows = [w.practices_model.index(w.practices_model.row_of(c), 0) for c in ("P00004", "P00005")]
    mime = w.practices_model.mimeData(rows)
    target = w.networks_model.index(w.networks_model.row_of("N2"), 0)
    assert w.networks_model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, target)
    w.networks_model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, target)
    assert net_cell(w, "N2", nm.SIZE) == f"{35_000 + 8_000 + 8_500:,}"
    assert net_cell(w, "N1", nm.SIZE) == f"{9_000 + 9_500:,}"
    assert w.document.stack.count() == 1
    assert w.undo_action.text() == "&Undo Move 2 practices to Network 0002"
    w.undo_action.trigger()
    assert net_cell(w, "N2", nm.SIZE) == "35,000"
    assert not w.networks_model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())


def test_a_move_updates_only_the_rows_it_touched(window, qtbot):
    w = window
    changed: list[int] = []
    columns: set[tuple[int, int]] = set()
    w.practices_model.dataChanged.connect(lambda a, b: (changed.extend(range(a.row(), b.row() + 1)),
                                                        columns.add((a.column(), b.column()))))
    resets: list[int] = []
    for model in (w.practices_model, w.networks_model, w.findings_model):
        model.modelReset.connect(lambda: resets.append(1))
    w.move_practices(["P00000"], "N1")
    # the 4 + 4 practices of the two touched networks, each once (network column only)
    assert sorted(changed) == list(range(0, 8))
    assert columns == {(pm.NETWORK, pm.NETWORK)}
    assert resets == []


def test_properties_pane_edits_are_undoable_commands(window):
    w = window
    w.select_network("N1")
    pane = w.properties_pane
    assert pane.network_id == "N1"
    assert pane.name.text() == "Network 0001"
    pane.name.setText("Pendle North")
    pane.name.editingFinished.emit()
    assert net_cell(w, "N1", nm.NAME) == "Pendle North"
    assert w.document.project.networks["N1"].name == "Pendle North"
    assert practice_cell(w, "P00004", pm.NETWORK) == "Pendle North"
    pane.exemption.setCurrentIndex(pane.exemption.findData("rural"))
    pane.exemption.activated.emit(pane.exemption.currentIndex())
    assert rules_of(w, "N1") == ["exemption-without-reason"]
    pane.cd_wte.setValue(0.1)
    pane.cd_wte.editingFinished.emit()
    assert w.document.project.networks["N1"].director.wte == 0.1
    assert w.undo_action.text() == "&Undo Set clinical director"
    for _ in range(3):
        w.undo_action.trigger()
    assert w.document.project.networks["N1"].name == "Network 0001"
    assert pane.name.text() == "Network 0001"
    assert rules_of(w, "N1") == []


def test_create_merge_split_dissolve_insert_and_remove_network_rows(window):
    w = window
    assert w.networks_model.rowCount() == 3
    w.push(MergeNetworks("N0", "N1"))
    assert w.networks_model.rowCount() == 2
    assert net_cell(w, "N0", nm.SIZE) == "70,000"
    assert rules_of(w, "N0") == ["large-network"]
    w.push(SplitNetwork("N0", ["P00004", "P00005", "P00006", "P00007"], "Split Off"))
    assert w.networks_model.rowCount() == 3
    new_id = next(n.id for n in w.document.project.networks.values() if n.name == "Split Off")
    assert net_cell(w, new_id, nm.SIZE) == "35,000"
    assert net_cell(w, new_id, nm.STATE).startswith("\u2716")   # no director, payee or agreement yet
    w.undo_action.trigger()
    w.undo_action.trigger()
    assert w.networks_model.rowCount() == 3
    assert net_cell(w, "N1", nm.SIZE) == "35,000"
    assert w.push(SetNetworkField("N1", "code", "U99999"))
    assert net_cell(w, "N1", nm.CODE) == "U99999"


def test_finding_double_click_selects_practice_and_network(window):
    w = window
    w.move_practices(["P00008"], None)           # P00008 unassigned: a project-wide finding
    finding = next(f for f in w.document.current_findings if f.rule == "practice-unassigned")
    assert finding.practice == "P00008"
    w.go_to_finding(finding)
    assert w.practices_pane.selected_codes() == ["P00008"]
    assert practice_cell(w, "P00008", pm.NETWORK) == "(unassigned)"
    director = next(f for f in w.document.current_findings if f.rule == "director-not-member")
    w.go_to_finding(director)
    assert w.networks_pane.current_network() == "N2"
    assert w.properties_pane.network_id == "N2"
