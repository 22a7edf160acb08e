"""The map pane: drawn offline from the project, restyled in place after a move, and clicks
on the map select in the tables through the QWebChannel bridge."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import json
import time

import pytest

from pcn_desktop.paths import resource
from pcn_desktop.reports.map_layers import UNASSIGNED
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.reading import read_sample
from ui_synthetic import synthetic_project

TIMEOUT = 30_000


def js(qtbot, w: MainWindow, script: str):
    box: list = []
    # through JSON: objects come back from runJavaScript in a form that varies by Qt version
    w.map_pane.view.page().runJavaScript(f"JSON.stringify({script})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0]) if box[0] not in (None, "") else None


def open_window(qtbot, document: Document, size: tuple[int, int] | None = None) -> MainWindow:
    w = MainWindow(document)
    if size is not None:
        w.resize(*size)                 # before the map fits its view to the project, as the app opens
    w.show()
    with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):
        pass
    return w


def close(w: MainWindow) -> None:
    w.document.stack.setClean()
    w.close()
    w.deleteLater()


@pytest.fixture
def window(qtbot):
    w = open_window(qtbot, Document(synthetic_project(networks=3, per_network=4)))
    yield w
    close(w)


def test_map_draws_areas_boundaries_and_practices(qtbot, window):
    counts = js(qtbot, window, "pcnCounts()")
    # 12 small areas + 3 network boundaries are polygons; 12 practices are circles
    assert counts["polygons"] == 15
    assert counts["circles"] == 12
    assert window.map_pane.layer_count > 0


def test_a_move_restyles_the_practice_without_reloading(qtbot, window):
    w = window
    loads: list[bool] = []
    w.map_pane.view.loadFinished.connect(loads.append)
    colours = w.map_pane.colours
    w.move_practices(["P00000"], "N1")
    qtbot.waitUntil(lambda: w.map_pane.incremental_updates == 1, timeout=10_000)
    dot = js(qtbot, w, """(function(){var out=null; pcnLayers.practices.eachLayer(function(l){
        if (l.feature.properties.code==='P00000') out=[l.options.fillColor, l.feature.properties.network];});
        return out;})()""")
    assert dot == [colours["N1"], "Network 0001"]
    # N0 now has errors: its boundary gets a red dashed outline in the findings layer
    red = js(qtbot, w, """(function(){var ids=[]; pcnLayers.findings.eachLayer(function(l){
        var p=l.feature.properties; if (p.kind==='network') ids.push(p.id);}); return ids;})()""")
    assert red == ["N0"]
    w.move_practices(["P00000"], None)
    qtbot.waitUntil(lambda: w.map_pane.incremental_updates == 2, timeout=10_000)
    colour = js(qtbot, w, """(function(){var out=null; pcnLayers.practices.eachLayer(function(l){
        if (l.feature.properties.code==='P00000') out=l.options.fillColor;}); return out;})()""")
    assert colour == UNASSIGNED
    assert loads == []                      # restyled in place: no new page


def test_clicking_the_map_selects_in_the_tables(qtbot, window):
    w = window
    qtbot.waitUntil(lambda: js(qtbot, w, "window.pcnBridgeReady === true"), timeout=10_000)
    js(qtbot, w, "pcnSelect('practice', 'P00005')")
    qtbot.waitUntil(lambda: w.practices_pane.selected_codes() == ["P00005"], timeout=5_000)
    assert w.networks_pane.current_network() == "N1"
    js(qtbot, w, "pcnSelect('network', 'U00002')")
    qtbot.waitUntil(lambda: w.networks_pane.current_network() == "N2", timeout=5_000)
    assert w.properties_pane.network_id == "N2"


def test_creating_a_network_redraws_the_whole_map(qtbot, window):
    w = window
    from pcn_desktop.domain.commands import CreateNetwork
    with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):
        w.push(CreateNetwork("Brand New", practices=["P00011"]))
    new_id = next(n.id for n in w.document.project.networks.values() if n.name == "Brand New")
    assert new_id in w.map_pane.colours


def test_the_sample_ccg_map_shows_polygons_and_practices(qtbot):
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.is_file():
        pytest.skip(f"sample project not built yet: {path}")
    w = open_window(qtbot, Document.open(path, untitled=True))
    try:
        counts = js(qtbot, w, "pcnCounts()")
        project = w.document.project
        assert counts["polygons"] >= len(project.areas)
        located = sum(1 for p in project.practices.values() if p.has_location and not project.is_closed(p.code))
        assert js(qtbot, w, "pcnLayers.practices.getLayers().length") == located
    finally:
        close(w)


def test_the_map_in_the_window_is_folium_and_names_its_networks(qtbot):
    """The sample CCG's map: folium's page (its map div and plugins), every network named with
    its list size where labels do not collide, the governance errors as a badge, and no two
    names shown overlapping."""
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.is_file():
        pytest.skip(f"sample project missing: {path}")
    w = open_window(qtbot, Document.open(path, untitled=True), (1366, 768))
    try:
        qtbot.wait(200)
        assert js(qtbot, w, "document.querySelectorAll('.folium-map').length") == 1
        for control in ("leaflet-control-search", "leaflet-control-minimap", "leaflet-control-measure",
                        "leaflet-control-zoom-fullscreen"):
            assert js(qtbot, w, f"document.getElementsByClassName('{control}').length") >= 1, control
        shown = js(qtbot, w, "pcnLabels()")
        project = w.document.project
        expected = {(n.name, f"{project.network_list_size(n.id):,}") for n in project.networks.values()}
        assert shown and {(s["name"], s["size"]) for s in shown} <= expected
        assert len(shown) >= len(expected) // 2
        boxes = js(qtbot, w, """Array.prototype.filter.call(document.querySelectorAll('.pcn-label'),
            function (e) { return e.style.display !== 'none'; }).map(function (e) {
            var r = e.firstChild.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        badges = {label["code"]: label["badge"] for label in js(qtbot, w, "pcnSpec.labels")}
        no_director = {f.network for f in w.document.current_findings if f.rule == "director-missing"}
        assert no_director and all("no director" in badges[code] for code in no_director)
    finally:
        close(w)


def test_a_long_session_keeps_one_page_file_however_often_the_map_is_redrawn(qtbot, window):
    """Each full redraw writes a page (tens of MB for England): the earlier ones are deleted
    once the new one shows, so a day's workshop does not fill the laptop's temp folder."""
    w = window
    for _ in range(4):
        with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):
            w.map_pane.render()
    pages = sorted(p.name for p in w.map_pane._dir.glob("map-*.html"))
    assert pages == [f"map-{w.map_pane._serial}.html"]
    assert js(qtbot, w, "pcnCounts()")["circles"] == 12


CONTROLS_OVERLAP = """(function(){var r=Array.prototype.map.call(document.querySelectorAll('.leaflet-control'),
  function(c){var b=c.getBoundingClientRect();return [b.left,b.top,b.right,b.bottom,c.className];})
  .filter(function(b){return b[2]>b[0]&&b[3]>b[1];});var out=[];
  for(var i=0;i<r.length;i++){for(var j=i+1;j<r.length;j++){var a=r[i],b=r[j];
    if(a[0]<b[2]&&b[0]<a[2]&&a[1]<b[3]&&b[1]<a[3]){out.push([a[4],b[4]]);}}}
  return out;})()"""


def test_a_short_map_moves_controls_to_the_right_rather_than_overlap_them(qtbot, window):
    """A laptop's map pane at 150% scaling is about 250 px tall: the left-hand controls
    (zoom, full screen, measure, search; the minimap's toggle below) overlapped there."""
    from PySide6.QtCore import Qt
    w = window
    w.resize(1100, 800)
    short = max(1, w.map_pane.height() - 250)
    w.resizeDocks([w.docks["findings"]], [w.docks["findings"].height() + short], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: w.map_pane.view.height() <= 300, timeout=5_000)
    qtbot.waitUntil(lambda: js(qtbot, w, "window.pcnControlsMoved === true"), timeout=10_000)
    assert js(qtbot, w, CONTROLS_OVERLAP) == []
    w.resizeDocks([w.docks["findings"]], [120], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: w.map_pane.view.height() >= 420, timeout=5_000)
    qtbot.waitUntil(lambda: js(qtbot, w, "window.pcnControlsMoved === false"), timeout=10_000)
    assert js(qtbot, w, CONTROLS_OVERLAP) == []


def test_a_grab_after_two_frames_shows_the_page_laid_out_for_its_view(qtbot):
    """``after_frames`` (the presentation-mode screenshot waits on it) answers once the page has
    made two animation frames, so a page laid out again for a new size has been drawn at it; a
    page that makes no frames (its view hidden) is given up on after the limit."""
    w = MainWindow(Document.from_opened(read_sample()), presentation=True)
    qtbot.addWidget(w)
    w.resize(1284, 706)
    with qtbot.waitSignal(w.map_pane.drawn, timeout=TIMEOUT):
        w.show()
    try:
        called = []
        started = time.monotonic()
        w.map_pane.after_frames(lambda: called.append("framed"), limit_ms=5_000)
        qtbot.waitUntil(lambda: bool(called), timeout=10_000)
        assert time.monotonic() - started < 4 and js(qtbot, w, "window.pcnFramed") is True
        # the page's layout is the view's: its viewport is the view's size at the page's zoom
        zoom = w.map_pane.view.zoomFactor()
        assert zoom == 1.25
        width = js(qtbot, w, "innerWidth")
        assert abs(width * zoom - w.map_pane.view.width()) <= 2
        w.map_pane.view.hide()                      # no frames now: the limit answers instead
        started = time.monotonic()
        w.map_pane.after_frames(lambda: called.append("limit"), limit_ms=300)
        qtbot.waitUntil(lambda: called[-1] == "limit", timeout=5_000)
        assert time.monotonic() - started >= 0.3
    finally:
        w.document.stack.setClean()
        w.close()


def test_a_frame_with_a_band_the_page_has_not_painted_is_not_taken_for_the_map(window, monkeypatch):
    """The window settling its size can make the map's view taller after the map has drawn;
    a grab then showed the map over the top of the view and white below it (one screenshot
    in seven at 125%). Such a frame is not the map on screen yet."""
    from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
    from pcn_desktop.reports.map_html import BACKGROUND

    def frame(unpainted_from: float) -> QPixmap:
        image = QImage(400, 300, QImage.Format.Format_RGB32)
        image.fill(QColor(BACKGROUND))
        painter = QPainter(image)
        for i, colour in enumerate(("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd")):
            painter.fillRect(40 + 80 * i, 20, 60, 240, QColor(colour))      # areas down the whole view
        painter.fillRect(0, int(300 * unpainted_from), 400, 300, QColor("#ffffff"))
        painter.end()
        return QPixmap.fromImage(image)
    view = window.map_pane.view
    monkeypatch.setattr(view, "grab", lambda *a: frame(1.0))
    assert window.map_pane.frame_shows_map()
    monkeypatch.setattr(view, "grab", lambda *a: frame(0.55))
    assert not window.map_pane.frame_shows_map()
