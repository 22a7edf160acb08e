"""The map inside the app: QtWebEngine (offscreen) loads the file, Leaflet draws every polygon,
and a click reaches Python through the QWebChannel bridge."""
from __future__ import annotations

import json

import pytest

QtWebEngineWidgets = pytest.importorskip("PySide6.QtWebEngineWidgets")   # before any QApplication
from PySide6.QtCore import QObject, QUrl, Signal, Slot  # noqa: E402
from PySide6.QtWebChannel import QWebChannel  # noqa: E402
from PySide6.QtWebEngineCore import QWebEngineSettings  # noqa: E402

from map_project import make_project  # noqa: E402
from pcn_desktop.reports.map_html import render_map  # noqa: E402
from pcn_desktop.reports.map_layers import build_map_data  # noqa: E402
from pcn_desktop.domain.rules import evaluate  # noqa: E402
from pcn_desktop.settings import rule_settings_for  # noqa: E402


class Bridge(QObject):
    """What the UI registers as "pcnBridge": the page calls select(kind, code)."""

    selected = Signal(str, str)

    @Slot(str, str)
    def select(self, kind: str, code: str) -> None:
        self.selected.emit(kind, code)


def _js(qtbot, page, script: str):
    box: list = []
    page.runJavaScript(script, 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


@pytest.fixture
def loaded(qtbot, tmp_path):
    project = make_project()
    html = render_map(project, tmp_path / "map.html")
    view = QtWebEngineWidgets.QWebEngineView()
    qtbot.addWidget(view)
    view.resize(1000, 800)
    settings = view.page().settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
    bridge = Bridge()
    channel = QWebChannel(view.page())
    channel.registerObject("pcnBridge", bridge)
    view.page().setWebChannel(channel)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=20_000) as done:
        view.load(QUrl.fromLocalFile(str(html)))
    assert done.args == [True]
    yield project, view, bridge
    # Delete the page now, not at interpreter exit after the web profile has gone.
    view.close()
    view.page().deleteLater()
    qtbot.wait(50)


def test_a_view_loaded_before_it_is_shown_fits_once_sized(qtbot, tmp_path):
    html = render_map(make_project(), tmp_path / "hidden.html")
    view = QtWebEngineWidgets.QWebEngineView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loadFinished, timeout=20_000):
        view.load(QUrl.fromLocalFile(str(html)))
    view.resize(900, 700)
    view.show()
    page = view.page()
    # Fitted to the 4 x 3 grid once the map has a size: centred on its middle.
    qtbot.waitUntil(lambda: abs(json.loads(_js(qtbot, page, "JSON.stringify(pcnMap.getCenter())"))["lng"]
                                + 2.45) < 0.002, timeout=5_000)
    view.close()
    page.deleteLater()
    qtbot.wait(50)


def test_leaflet_draws_every_polygon(qtbot, loaded):
    project, view, _ = loaded
    page = view.page()
    assert _js(qtbot, page, "typeof L !== 'undefined' && L.version") == "1.9.4"
    assert _js(qtbot, page, "window.pcnMap instanceof L.Map") is True
    counts = json.loads(_js(qtbot, page, "JSON.stringify(pcnCounts())"))
    expected = build_map_data(project, evaluate(project, rule_settings_for(project))).polygon_count()
    assert expected == 15
    # Polygons: 12 areas, 2 networks, Beta's red outline. Lines: 2 places. Circles: 6
    # practices and the red ring round the unassigned one.
    assert counts == {"polygons": expected, "lines": 2, "circles": 7}


def test_a_click_on_a_practice_tells_python_its_code(qtbot, loaded):
    _, view, bridge = loaded
    page = view.page()
    qtbot.waitUntil(lambda: _js(qtbot, page, "window.pcnBridgeReady === true"), timeout=10_000)
    click = """(function () {
        var hit = null;
        pcnLayers.practices.eachLayer(function (l) {
            if (l.feature.properties.code === 'P81004') { hit = l; } });
        hit.fire('click', {latlng: hit.getLatLng()}, true);
        return true; })()"""
    with qtbot.waitSignal(bridge.selected, timeout=5_000) as got:
        _js(qtbot, page, click)
    assert got.args == ["practice", "P81004"]


def test_a_click_on_an_area_selects_its_network(qtbot, loaded):
    _, view, bridge = loaded
    page = view.page()
    qtbot.waitUntil(lambda: _js(qtbot, page, "window.pcnBridgeReady === true"), timeout=10_000)
    click = """(function () {
        var hit = pcnLayers.areas.getLayers()[0];
        hit.fire('click', {latlng: hit.getBounds().getCenter()}, true);
        return hit.feature.properties.area; })()"""
    with qtbot.waitSignal(bridge.selected, timeout=5_000) as got:
        area = _js(qtbot, page, click)
    assert area.startswith("E0100")
    assert got.args == ["network", "U00001" if int(area[-2:]) < 2 else "U00002"]


def test_focus_from_python_zooms_to_a_network(qtbot, loaded):
    _, view, _ = loaded
    page = view.page()
    before = _js(qtbot, page, "pcnMap.getZoom()")
    assert _js(qtbot, page, "pcnFocus('network', 'U00002')") is True
    assert _js(qtbot, page, "pcnFocus('network', 'NOPE')") is False
    centre = json.loads(_js(qtbot, page, "JSON.stringify(pcnMap.getCenter())"))
    assert abs(centre["lng"] - (-2.425)) < 0.005
    assert _js(qtbot, page, "pcnMap.getZoom()") >= before
    # Without boundaries the network's small areas are what it zooms to.
    assert _js(qtbot, page, "pcnMap.removeLayer(pcnLayers.networks); delete pcnLayers.networks; "
                            "pcnMap.setView([53.0, -1.0], 8); pcnFocus('network', 'U00001')") is True
    centre = json.loads(_js(qtbot, page, "JSON.stringify(pcnMap.getCenter())"))
    assert abs(centre["lng"] - (-2.475)) < 0.005
    assert _js(qtbot, page, "pcnFocus('practice', 'P81005')") is True
    centre = json.loads(_js(qtbot, page, "JSON.stringify(pcnMap.getCenter())"))
    assert (round(centre["lat"], 3), round(centre["lng"], 3)) == (53.765, -2.418)
