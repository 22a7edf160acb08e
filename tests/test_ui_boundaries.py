"""Networks > Import boundaries… and Build boundaries in the window: run off the UI thread,
one undoable step each, refusals in a dialog naming the file, nothing half-changed."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import pytest
from PySide6.QtWidgets import QMessageBox

from pcn_desktop.domain.rules.engine import FindingsCache
from pcn_desktop.geo.boundaries import build_from_registrations
from pcn_desktop.io.exports import write_boundaries
from pcn_desktop.settings import rule_settings_for
from pcn_desktop.ui import boundary_actions
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from ui_synthetic import synthetic_project

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def window():
    made: list[MainWindow] = []

    def make(project) -> MainWindow:
        w = MainWindow(Document(project))
        w.show()
        made.append(w)
        return w
    yield make
    for w in made:
        w.document.stack.setClean()
        w.close()
        w.deleteLater()


@pytest.fixture
def dialogs(monkeypatch):
    """Message boxes answered and recorded instead of shown: (kind, title, text)."""
    seen: list[tuple[str, str, str]] = []
    answers: list[QMessageBox.StandardButton] = []

    def record(kind):
        def box(_parent, title, text, *_a, **_k):
            seen.append((kind, title, text))
            return answers.pop(0) if kind == "question" else QMessageBox.StandardButton.Ok
        return box
    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return seen, answers


def boundary_file(tmp_path, drop: tuple[str, ...] = ()):
    source = synthetic_project()
    build_from_registrations(source)
    for nid in drop:
        del source.boundaries[nid]
    path = tmp_path / "pcns.geojson"
    write_boundaries(source, path)
    return path


def shown_equals_fresh(w: MainWindow) -> bool:
    project = w.document.project
    return w.document.current_findings == FindingsCache(project, rule_settings_for(project)).findings()


def test_import_boundaries_is_one_undoable_step(qtbot, tmp_path, window, dialogs) -> None:
    project = synthetic_project()
    project.area_assignments.clear()
    w = window(project)
    boundary_actions.import_boundaries(w, str(boundary_file(tmp_path)))
    qtbot.waitUntil(lambda: len(project.boundaries) == 3 and w.isWindowModified(), timeout=10_000)
    assert {b.provenance for b in project.boundaries.values()} == {"imported:pcns.geojson"}
    assert len(project.area_assignments) == 12
    assert w.undo_action.text() == "&Undo Import boundaries from pcns.geojson"
    assert "3 networks given a boundary from pcns.geojson" in w.statusBar().currentMessage()
    assert dialogs[0] == []                      # every feature matched: no report to read
    assert shown_equals_fresh(w)
    w.undo_action.trigger()
    assert project.boundaries == {} and project.area_assignments == {}
    assert shown_equals_fresh(w)
    w.redo_action.trigger()
    assert sorted(project.boundaries) == ["N0", "N1", "N2"] and shown_equals_fresh(w)


def test_a_file_matching_no_network_is_refused_naming_it(qtbot, tmp_path, window, dialogs) -> None:
    path = boundary_file(tmp_path)
    project = synthetic_project()
    for net in project.networks.values():
        net.name, net.code = f"Elsewhere {net.id}", ""
    w = window(project)
    before = dict(project.area_assignments)
    boundary_actions.import_boundaries(w, str(path))
    qtbot.waitUntil(lambda: bool(dialogs[0]), timeout=10_000)
    kind, title, text = dialogs[0][0]
    assert (kind, title) == ("warning", "Boundaries not imported")
    assert str(path) in text and "matches a network" in text and "nothing was changed" in text
    assert project.boundaries == {} and project.area_assignments == before
    assert not w.isWindowModified() and not w.document.stack.canUndo()


def test_networks_left_without_a_boundary_are_asked_about_first(qtbot, tmp_path, window, dialogs) -> None:
    seen, answers = dialogs
    path = boundary_file(tmp_path, drop=("N2",))
    project = synthetic_project()
    build_from_registrations(project)
    had = dict(project.boundaries)
    w = window(project)
    answers.append(QMessageBox.StandardButton.Cancel)
    boundary_actions.import_boundaries(w, str(path))
    qtbot.waitUntil(lambda: "nothing was changed" in w.statusBar().currentMessage(), timeout=10_000)
    assert seen[0][0] == "question" and "Network 0002" in seen[0][2]
    assert project.boundaries == had and not w.document.stack.canUndo()
    answers.append(QMessageBox.StandardButton.Yes)
    boundary_actions.import_boundaries(w, str(path))
    qtbot.waitUntil(lambda: sorted(project.boundaries) == ["N0", "N1"] and w.document.stack.canUndo(),
                    timeout=10_000)
    report = [s for s in seen if s[0] == "information"]
    assert report and "Networks with no polygon in the file" in report[-1][2] and "Network 0002" in report[-1][2]
    w.undo_action.trigger()
    assert project.boundaries == had


def test_build_boundaries_is_undone_in_one_step(qtbot, window, dialogs) -> None:
    project = synthetic_project()
    project.area_assignments.clear()
    w = window(project)
    boundary_actions.build_boundaries(w)
    qtbot.waitUntil(lambda: len(project.area_assignments) == 12 and w.document.stack.canUndo(), timeout=10_000)
    assert w.undo_action.text() == "&Undo Build boundaries from registrations"
    w.undo_action.trigger()
    assert project.area_assignments == {} and project.boundaries == {}
    assert "boundaries" not in project.settings and shown_equals_fresh(w)


def test_the_networks_menu_offers_the_import(window) -> None:
    w = window(synthetic_project())
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Networks")
    assert "&Import boundaries…" in [a.text() for a in menu.actions()]


def test_the_first_drag_does_not_wait_for_proj(qtbot, window) -> None:
    """Once the window has opened, pyproj is imported off the UI thread and the UI thread's
    BNG -> WGS84 transformer made, so the first move whose boundary follows it does not
    stall for them (60-90 ms on the sample); a project without small areas needs neither."""
    from pcn_desktop.geo import crs
    from pcn_desktop.ui.warm_later import warm_reprojection
    assert warm_reprojection(window(synthetic_project(areas=False))) is None
    cache = getattr(crs._LOCAL, "cache", {})
    cache.pop((crs.BNG, crs.WGS84), None)             # this (the UI) thread has none yet
    w = window(synthetic_project())
    assert warm_reprojection(w) is not None
    qtbot.waitUntil(lambda: (crs.BNG, crs.WGS84) in getattr(crs._LOCAL, "cache", {}), timeout=20_000)
