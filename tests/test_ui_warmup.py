"""The web page started before the window: the first map pane draws in it (its renderer
process already running), later panes make their own, and an unadopted page is deleted.

After a first start the page holds the map frame the window last drew (reports/map_frames),
and the pane draws the map by handing the frame its layers: the map must then be the one
a loaded page shows, clicks must reach the window, and a frame of another shape (other
layers) must give way to a loaded page."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import json
import re

import pytest

from pcn_desktop.paths import resource
from pcn_desktop.reports import map_frames
from pcn_desktop.reports.map_html import SPEC_SLOT, WARM_START, page_shell, warm_frame
from pcn_desktop.store import load_project
from pcn_desktop.ui import web_warmup
from pcn_desktop.ui.document import Document
from pcn_desktop.ui import map_size
from pcn_desktop.ui.map_pane import DRAWN_JS, MapPane, drawn_script
from pcn_desktop.ui.map_prepare import prepare_map
from PySide6.QtCore import QSize
from ui_synthetic import synthetic_project

TIMEOUT = 30_000
# what a drawn map shows, read from the page: its layers, names, controls, key and title
STATE_JS = """JSON.stringify({counts: pcnCounts(), labels: pcnLabels().map(function (l) { return l.name; }).sort(),
  controls: Array.prototype.map.call(document.querySelectorAll('.leaflet-control'),
    function (c) { return c.className.split(' ').filter(function (k) { return k.indexOf('leaflet-control-') === 0; }).sort().join(' '); }).sort(),
  legend: (document.querySelector('.pcn-legend') || {}).textContent || null,
  title: document.title, maps: document.querySelectorAll('.folium-map').length,
  minimap: ((document.querySelector('.leaflet-control-minimap-toggle-display') || {}).className || '').split(' ').filter(String).sort(),
  radii: (function () { var r = []; pcnLayers.practices.eachLayer(function (l) { r.push(l.getRadius()); });
    return r.sort(); })()})"""


def _js(qtbot, pane: MapPane, script: str):
    box: list = []
    pane.view.page().runJavaScript(script, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def _drawn_pane(qtbot, document: Document, size: tuple[int, int] = (900, 650), settle: bool = True) -> MapPane:
    pane = MapPane()
    qtbot.addWidget(pane)
    pane.resize(*size)
    pane.show()
    with qtbot.waitSignal(pane.drawn, timeout=TIMEOUT):
        pane.set_document(document)
    if settle:
        qtbot.wait(100)              # the labels are placed again once the controls are in
    return pane


def _sample() -> Document:
    return Document(load_project(resource("sample", "sample_ccg.pcnproj")))


def test_the_first_map_pane_adopts_the_started_page_and_draws_in_it(qtbot):
    web_warmup.start()
    started = web_warmup._waiting[0].page
    assert started.requestedUrl().toLocalFile().endswith("blank.html")    # no frame kept yet
    pane = MapPane()
    qtbot.addWidget(pane)
    other = MapPane()
    qtbot.addWidget(other)
    assert pane.view.page() is started and started.parent() is pane.view
    assert other.view.page() is not started
    assert web_warmup.adopt() is None
    pane.resize(800, 600)
    pane.show()
    pane.set_document(_sample())
    with qtbot.waitSignal(pane.drawn, timeout=TIMEOUT):
        pass
    assert pane.view.page() is started and pane.layer_count > 0 and pane.frame_starts == 0


def test_a_page_no_pane_took_is_deleted(qtbot):
    web_warmup.start()
    web_warmup.start()                       # once only
    assert len(web_warmup._waiting) == 1
    web_warmup.discard()
    assert web_warmup.adopt() is None


def test_the_next_start_draws_the_map_in_the_kept_frame_as_a_loaded_page_shows_it(qtbot):
    loaded = _drawn_pane(qtbot, _sample())            # a first start: the page is loaded
    assert loaded.frame_starts == 0
    kept = map_frames.warm_frame()
    assert kept is not None and kept[1].is_file()
    expected = json.loads(_js(qtbot, loaded, STATE_JS))

    web_warmup.start()                                # the next start
    warm = web_warmup._waiting[0]
    assert warm.frame_key == kept[0]
    assert warm.page.requestedUrl().toLocalFile() == str(kept[1])
    qtbot.waitUntil(lambda: warm.loaded is True, timeout=TIMEOUT)
    # the frame alone makes no map: that waits for the project's layers
    assert _js_page(qtbot, warm.page, "typeof window.pcnMap") == "undefined"
    assert _js_page(qtbot, warm.page, "typeof window.pcnStart") == "function"
    filled = _drawn_pane(qtbot, _sample())
    assert filled.frame_starts == 1 and filled.view.page() is warm.page
    assert json.loads(_js(qtbot, filled, STATE_JS)) == expected
    assert expected["counts"]["polygons"] > 0 and expected["labels"] and expected["maps"] == 1
    assert expected["title"].endswith("- PCN map")
    # clicks on the map reach the window through the frame's web channel
    qtbot.waitUntil(lambda: _js(qtbot, filled, "window.pcnBridgeReady === true") is True, timeout=10_000)
    code = next(iter(filled.document.project.practices))
    with qtbot.waitSignal(filled.bridge.practiceSelected, timeout=5_000) as got:
        _js(qtbot, filled, f"pcnSelect('practice', {json.dumps(code)})")
    assert got.args == [code]


def _js_page(qtbot, page, script: str):
    box: list = []
    page.runJavaScript(script, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def test_a_frame_of_other_layers_gives_way_to_a_loaded_page(qtbot):
    _drawn_pane(qtbot, _sample())                     # keeps the sample's frame
    sample_frame = map_frames.warm_frame()[0]
    web_warmup.start()
    assert web_warmup._waiting[0].frame_key == sample_frame
    other = synthetic_project()                       # no error findings: another set of layers
    pane = _drawn_pane(qtbot, Document(other))
    assert pane.frame_starts == 0 and pane.layer_count > 0
    assert _js(qtbot, pane, "document.title") == "Synthetic CCG - PCN map"
    assert map_frames.warm_frame()[0] != sample_frame      # and the next start loads its frame


def test_the_warm_frame_makes_its_map_only_when_given_the_spec():
    shell = page_shell([("areas", "Small areas"), ("practices", "Practices")], False, None, "/* app */")
    warm = warm_frame(shell)
    assert SPEC_SLOT not in warm and warm.count(WARM_START) == 1
    before, after = warm.split(WARM_START)
    assert "L.map(" not in before and "L.map(" in after and "pcnBuild(" in after
    assert re.search(r"pcnBuild\([^;]*\bspec\s*\)", after, re.S)
    assert "__PCN_TITLE__" not in warm


def test_an_unreadable_pointer_starts_a_blank_page(qtbot):
    map_frames.frames_dir().mkdir(parents=True, exist_ok=True)
    (map_frames.frames_dir() / map_frames.POINTER).write_text("../../etc/passwd", encoding="ascii")
    assert map_frames.warm_frame() is None
    (map_frames.frames_dir() / map_frames.POINTER).write_text("0123abcd", encoding="ascii")
    assert map_frames.warm_frame() is None            # names a frame that is not there
    web_warmup.start()
    try:
        assert web_warmup._waiting[0].frame_key is None
        assert web_warmup._waiting[0].page.requestedUrl().toLocalFile().endswith("blank.html")
    finally:
        web_warmup.discard()


# --- the map made while the window is built (web_warmup.fill_early) --------------------------
VIEW_JS = "JSON.stringify({zoom: pcnMap.getZoom(), centre: pcnMap.getCenter(), size: pcnMap.getSize()})"


def _same_view(got: dict, expected: dict) -> None:
    """The same zoom and size, and the same centre to within a pixel."""
    assert got["zoom"] == expected["zoom"] and got["size"] == expected["size"]
    pixel = 360 / (256 * 2 ** got["zoom"])            # degrees of longitude in a pixel
    assert abs(got["centre"]["lng"] - expected["centre"]["lng"]) < pixel
    assert abs(got["centre"]["lat"] - expected["centre"]["lat"]) < pixel


def _early_pane(qtbot, document: Document, held: tuple[int, int] | None, shown: tuple[int, int]):
    """A next start's pane: the kept frame loads, the map is made in it at ``held`` before any
    pane exists, then a pane adopts the page and shows at ``shown``."""
    web_warmup.start()
    warm = web_warmup._waiting[0]
    prepared = prepare_map(document.project, document.current_findings, document.project.revision)
    assert web_warmup.fill_early(prepared, held) is (held is not None)
    if held is not None:
        qtbot.waitUntil(lambda: warm.early.made is not None, timeout=TIMEOUT)
        assert warm.early.made is True
        # made before any view showed it: the page has no size, the map its held one
        assert json.loads(_js_page(qtbot, warm.page, "JSON.stringify([innerWidth, pcnMap.getSize().x, pcnSizeHeld])")) \
            == [0, held[0], True]
    document.first_map = prepared
    # no settling: once an early map has drawn, its names are where they stay
    return _drawn_pane(qtbot, document, shown, settle=False), warm


@pytest.mark.parametrize("shown", [(900, 650), (640, 500)])   # the key open; the minimap folded
def test_the_map_made_before_the_window_shows_is_the_map_a_loaded_page_shows(qtbot, shown):
    loaded = _drawn_pane(qtbot, _sample(), shown)       # a first start keeps the frame
    expected = json.loads(_js(qtbot, loaded, STATE_JS))
    view = json.loads(_js(qtbot, loaded, VIEW_JS))
    size = (loaded.view.width(), loaded.view.height())
    pane, warm = _early_pane(qtbot, _sample(), size, shown)
    assert pane.view.page() is warm.page and pane.frame_starts == 1
    assert json.loads(_js(qtbot, pane, STATE_JS)) == expected
    _same_view(json.loads(_js(qtbot, pane, VIEW_JS)), view)
    assert _js(qtbot, pane, "window.pcnSizeHeld") is False
    # the bridge was on the channel before the map connected: clicks reach the window
    qtbot.waitUntil(lambda: _js(qtbot, pane, "window.pcnBridgeReady === true") is True, timeout=10_000)
    code = next(iter(pane.document.project.practices))
    with qtbot.waitSignal(pane.bridge.practiceSelected, timeout=5_000) as got:
        _js(qtbot, pane, f"pcnSelect('practice', {json.dumps(code)})")
    assert got.args == [code]


def test_a_map_made_at_a_size_the_view_does_not_have_is_fitted_again(qtbot):
    loaded = _drawn_pane(qtbot, _sample())
    view = json.loads(_js(qtbot, loaded, VIEW_JS))
    pane, _warm = _early_pane(qtbot, _sample(), (420, 300), (900, 650))
    assert pane.frame_starts == 1
    _same_view(json.loads(_js(qtbot, pane, VIEW_JS)), view)
    assert json.loads(_js(qtbot, pane, STATE_JS))["labels"] == json.loads(_js(qtbot, loaded, STATE_JS))["labels"]


def test_no_map_is_made_early_without_a_size_or_in_a_frame_of_other_layers(qtbot):
    _drawn_pane(qtbot, _sample())
    document = _sample()
    pane, warm = _early_pane(qtbot, document, None, (900, 650))     # no size kept yet
    assert warm.early is None and pane.frame_starts == 1             # filled once shown instead
    other = Document(synthetic_project())
    web_warmup.start()
    prepared = prepare_map(other.project, other.current_findings, other.project.revision)
    try:
        assert web_warmup.fill_early(prepared, (900, 650)) is False
        assert web_warmup._waiting[0].early is None
    finally:
        web_warmup.discard()


def test_the_map_size_is_kept_per_screen(qtbot):
    screen = QSize(1366, 728)
    assert map_size.expected(screen) is None
    map_size.remember(QSize(640, 480), screen)
    assert map_size.expected(screen) == (640, 480)
    assert map_size.expected(QSize(1920, 1040)) is None
    map_size.remember(QSize(0, 0), screen)                     # a hidden view is no size
    assert map_size.expected(screen) == (640, 480)


def test_a_page_laid_out_for_another_size_has_not_drawn(qtbot):
    pane = _drawn_pane(qtbot, _sample())
    assert _js(qtbot, pane, drawn_script(pane.view)) > 0
    w, h = pane.view.width(), pane.view.height()
    assert _js(qtbot, pane, f"{DRAWN_JS}({w + 40},{h})") == 0          # the view grew meanwhile
    pane.view.setZoomFactor(1.25)             # presentation mode: the page's own size shrinks
    qtbot.waitUntil(lambda: _js(qtbot, pane, drawn_script(pane.view)) > 0, timeout=10_000)
    assert abs(_js(qtbot, pane, "innerWidth") - w / 1.25) <= 1


OVERLAPS_JS = """JSON.stringify((function () {
  function box(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  var controls = Array.prototype.map.call(document.querySelectorAll('.leaflet-control'), box)
    .filter(function (r) { return r[2] > r[0] && r[3] > r[1]; });
  var names = Array.prototype.filter.call(document.querySelectorAll('.pcn-label'),
    function (el) { return el.style.display !== 'none'; });
  return names.filter(function (el) {
    var n = box(el.firstChild);
    return controls.some(function (c) { return n[0] < c[2] && c[0] < n[2] && n[1] < c[3] && c[1] < n[3]; });
  }).map(function (el) { return el.textContent; });
})())"""


def test_no_network_name_is_under_a_control_once_the_early_map_has_drawn(qtbot):
    _drawn_pane(qtbot, _sample(), (816, 650))          # the key open beside the names
    pane, _warm = _early_pane(qtbot, _sample(), (816, 650), (816, 650))
    assert json.loads(_js(qtbot, pane, "JSON.stringify(pcnLabels())")) != []
    assert json.loads(_js(qtbot, pane, OVERLAPS_JS)) == []
