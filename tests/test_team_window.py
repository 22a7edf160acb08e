"""Two window sessions on one team database: the clash named, reload and re-apply, others'
saves taken in while open, the History pane, and the offers when a file is locked."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from pcn_desktop.domain.commands import MovePractice, SetNetworkField
from pcn_desktop.paths import resource
from pcn_desktop.store import ProjectLocked, StaleSave, load_project, save_project
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qapp")
REPO = Path(__file__).resolve().parents[1]


def sample():
    return load_project(resource("sample", "sample_ccg.pcnproj"))


def close(w: MainWindow) -> None:
    QThreadPool.globalInstance().waitForDone(10_000)
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


@pytest.fixture
def team_url(pg_url):
    save_project(sample(), pg_url)
    return pg_url


def pick(project):
    """A network and two practices outside it (to move in)."""
    nets = project.sorted_networks()
    into, source = nets[0], nets[1]
    a, b = sorted(project.members(source.id))[:2]
    return into, a, b


def test_second_save_is_refused_naming_the_clash_and_reload_keeps_both_edits(team_url, monkeypatch):
    alice = Document.open(team_url)
    into, first, second = pick(alice.project)
    monkeypatch.setattr("pcn_desktop.store.versions.current_user", lambda: "alice")
    alice.push(MovePractice(first, into.id))
    bob_doc = Document.open(team_url)
    w = MainWindow(bob_doc)
    w.show()
    try:
        w.move_practices([second], into.id)
        alice.save()
        monkeypatch.setattr("pcn_desktop.store.versions.current_user", lambda: "bob")
        with pytest.raises(StaleSave) as refused:
            bob_doc.save()
        assert f"network {into.name}" in str(refused.value) and "changed by alice" in str(refused.value)
        # the window: the refusal shown, the reload offered and taken, then saved
        shown: list[str] = []

        def click_default(box):
            shown.append(box.text())
            box.defaultButton().click()
            return 0
        monkeypatch.setattr(QMessageBox, "exec", click_default)
        assert w.files.save_project() is True
        assert any(f"network {into.name}" in t and "alice" in t for t in shown)
        final = load_project(team_url)
        assert set(final.members(into.id)) >= {first, second}
        assert w.document.project.networks_of(first) == [into.id]        # alice's move now shown here
        assert not w.document.dirty
        # bob's edit is still his to undo
        w.document.stack.undo()
        assert w.document.project.networks_of(second) != [into.id]
        assert w.document.project.networks_of(first) == [into.id]
    finally:
        close(w)


def test_an_edit_that_no_longer_applies_is_reported_not_lost_silently(team_url, monkeypatch):
    alice, bob = Document.open(team_url), Document.open(team_url)
    into, _first, _second = pick(alice.project)
    alice.push(SetNetworkField(into.id, "notes", "alice"))
    bob.push(SetNetworkField(into.id, "notes", "bob"))
    alice.save()
    with pytest.raises(StaleSave):
        bob.save()
    assert bob.reload_and_reapply() == []
    bob.save()
    final = load_project(team_url)
    assert final.networks[into.id].notes == "bob"
    assert [e.new for e in final.audit if e.what.endswith(" notes")][-2:] == ["alice", "bob"]


def test_the_window_takes_in_others_saves_while_open(team_url):
    bob_doc = Document.open(team_url)
    w = MainWindow(bob_doc)
    w.show()
    try:
        nets = bob_doc.project.sorted_networks()
        alice = load_project(team_url)
        SetNetworkField(nets[2].id, "notes", "saved by alice").do(alice)
        save_project(alice, team_url)
        changed: list[object] = []
        w.document.changed.connect(changed.append)
        assert w.team_watcher.check_now() >= 1
        assert w.document.project.networks[nets[2].id].notes == "saved by alice"
        assert changed and (changed[-1] is None or nets[2].id in changed[-1])
        assert not w.document.dirty
        w.docks["history"].show()
        w.history_pane.refresh(force=True)
        assert any(row[3] == f"network {nets[2].key} notes" and row[5] == "saved by alice"
                   for row in w.history_pane.rows())
        assert w.team_watcher.check_now() == 0          # nothing new: nothing done
    finally:
        close(w)


def test_history_pane_filters_by_network_scenario_and_text(tmp_path):
    project = sample()
    nets = project.sorted_networks()
    SetNetworkField(nets[0].id, "notes", "first").do(project)
    SetNetworkField(nets[1].id, "notes", "second").do(project)
    other = project.copy_scenario(project.active_scenario, "what-if")
    SetNetworkField(nets[0].id, "notes", "in what-if").do(other)
    path = tmp_path / "h.pcnproj"
    save_project(project, path)
    w = MainWindow(Document.open(path))
    try:
        pane = w.history_pane
        pane.set_project(w.document.project)
        assert pane.rows()[0][5] == "in what-if"            # newest first
        pane.network.setCurrentIndex(pane.network.findData(nets[0].id))
        assert [r[5] for r in pane.rows() if r[3].endswith("notes")] == ["in what-if", "first"]
        pane.scenario.setCurrentIndex(pane.scenario.findData("what-if"))
        assert [r[5] for r in pane.rows() if r[3].endswith("notes")] == ["in what-if"]
        pane.scenario.setCurrentIndex(0)
        pane.network.setCurrentIndex(0)
        pane.text.setText("second")
        assert [r[5] for r in pane.rows()] == ["second"]
    finally:
        close(w)


HOLDER = """
import sys, time
from pathlib import Path
from pcn_desktop.store.locks import ProjectLock
ProjectLock(Path(sys.argv[1]), "window").acquire()
print("held", flush=True)
time.sleep(120)
"""


def test_a_file_another_window_has_open_offers_a_copy_or_open_anyway(tmp_path):
    path = tmp_path / "shared.pcnproj"
    save_project(sample(), path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "held"
        asked = []
        with pytest.raises(ProjectLocked):
            Document.open(path, when_locked=lambda h: asked.append(h) or "cancel")
        assert asked[0].pid == holder.pid
        copy = Document.open(path, when_locked=lambda h: "copy")
        assert copy.path is None and copy.lock is None          # Save will ask for a new name
        anyway = Document.open(path, when_locked=lambda h: "anyway")
        assert anyway.path == path and anyway.lock is None and anyway.opened_anyway.pid == holder.pid
        net = anyway.project.sorted_networks()[0]
        anyway.push(SetNetworkField(net.id, "notes", "opened anyway"))
        anyway.save()
        assert load_project(path).networks[net.id].notes == "opened anyway"
        assert (tmp_path / "shared.pcnproj.lock").exists()    # still the holder's
    finally:
        holder.kill()
        holder.wait()
    mine = Document.open(path)
    assert mine.lock is not None and mine.lock.held
    mine.release_lock()
    assert not (tmp_path / "shared.pcnproj.lock").exists()


def test_an_import_into_the_open_project_continues_its_session(tmp_path):
    from io_files import epraccur_row, write
    from pcn_desktop.io.run import ImportRun
    from pcn_desktop.store.versions import DATA, base_of, changed_units
    from pcn_desktop.ui.import_wizard import apply_to_copy

    class NoProgress:
        def __call__(self, *args):
            pass

        def check(self):
            pass
    path = tmp_path / "team.pcnproj"
    save_project(sample(), path)
    old = Document.open(path)
    new_file = write(tmp_path / "epraccur.csv", epraccur_row("P99999", "NEW SURGERY") + "\n")
    copy, _ = apply_to_copy(ImportRun([new_file], None), old.project, NoProgress())
    document = Document(copy, old.path)
    document.continue_from(old)
    # the import (and the new practice's own unit), no network: geometries were not copied anew
    assert changed_units(copy, base_of(copy)) == {DATA, "current|practice:P99999"}
    assert document.lock is not None and old.lock is None
    other = load_project(path)                                  # someone else edits a network meanwhile
    net = other.sorted_networks()[0]
    SetNetworkField(net.id, "notes", "theirs").do(other)
    save_project(other, path)
    document.save()
    final = load_project(path)
    assert "P99999" in final.practices and final.networks[net.id].notes == "theirs"
    document.release_lock()


def test_the_history_takes_in_each_edit_without_refilling_itself(tmp_path):
    """A workshop makes hundreds of changes: each one adds its rows at the top of the History
    table, so an edit costs the same after 500 changes as after the first."""
    from pcn_desktop.domain.history import HistoryFilter, filtered
    from pcn_desktop.ui.models.history_model import cells
    path = tmp_path / "long.pcnproj"
    save_project(sample(), path)
    w = MainWindow(Document.open(path))
    w.show()
    try:
        w.docks["history"].raise_()
        assert w.docks["history"].isVisible()
        pane, model = w.history_pane, w.history_pane.model
        resets, inserted = [], []
        model.modelReset.connect(lambda: resets.append(1))
        model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
        nets = w.document.project.sorted_networks()
        codes = sorted(w.document.project.practices)
        for turn in range(60):
            w.move_practices([codes[turn % len(codes)]], nets[turn % len(nets)].id)
            if turn % 4 == 0:
                w.document.stack.undo()
        assert resets == []
        assert inserted and all(first == 0 and last - first < 5 for first, last in inserted)
        everything = [cells(e) for e in filtered(w.document.project.audit, HistoryFilter())]
        assert pane.rows() == everything and len(everything) > 60
        # a new filter shows its own rows, and later edits are added under it as they come
        pane.network.setCurrentIndex(pane.network.findData(nets[0].id))
        assert resets == [1]
        w.move_practices([codes[0]], nets[0].id)
        network_filter = HistoryFilter.for_network(w.document.project.networks[nets[0].id])
        assert pane.rows() == [cells(e) for e in filtered(w.document.project.audit, network_filter)]
        assert pane.rows()[0][3].startswith("practice") and resets == [1]
    finally:
        close(w)
