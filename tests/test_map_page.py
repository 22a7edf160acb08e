"""The map page written without folium: tooltips, the layer control, names that look like
markup, and nothing heavy imported to write it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

QtWebEngineWidgets = pytest.importorskip("PySide6.QtWebEngineWidgets")   # before any QApplication
from PySide6.QtCore import QUrl  # noqa: E402

from map_project import make_project  # noqa: E402
from pcn_desktop.reports.map_html import SPEC_END, SPEC_START, page_spec, render_map  # noqa: E402

NASTY = 'Beta </script><!-- & "Co" <b>PCN</b>'


def _js(qtbot, page, script: str):
    box: list = []
    page.runJavaScript(f"JSON.stringify({script})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0])


@pytest.fixture
def page(qtbot, tmp_path):
    project = make_project()
    project.networks["south"].name = NASTY
    html = render_map(project, tmp_path / "map.html")
    view = QtWebEngineWidgets.QWebEngineView()
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=20_000) as done:
        view.load(QUrl.fromLocalFile(str(html)))
    assert done.args == [True]
    yield view.page()
    view.close()
    view.page().deleteLater()
    qtbot.wait(50)


def test_markup_in_a_name_neither_breaks_the_page_nor_becomes_markup(tmp_path):
    project = make_project()
    project.networks["south"].name = NASTY
    text = render_map(project, tmp_path / "map.html").read_text(encoding="utf-8")
    spec = text[text.index(SPEC_START):text.index(SPEC_END)]
    assert "<" not in spec                                # nothing in the data can end the script
    parsed = page_spec(text)
    networks = next(layer for layer in parsed["layers"] if layer["key"] == "networks")
    assert [f["properties"]["name"] for f in networks["data"]["features"]] == ["Alpha PCN", NASTY]
    assert [layer["key"] for layer in parsed["layers"]] == ["areas", "places", "networks", "findings",
                                                            "practices"]


def test_tooltips_show_the_fields_under_their_labels(qtbot, page):
    rows = _js(qtbot, page, """(function () {
        var out = null;
        pcnLayers.networks.eachLayer(function (l) {
            if (l.feature.properties.code === 'U00002') {
                // a hover, as the mouse gives it: the tooltip belongs to the GeoJSON group
                l.fire('mouseover', {latlng: l.getBounds().getCenter()}, true);
                var el = pcnLayers.networks.getTooltip().getElement();
                out = Array.prototype.map.call(el.querySelectorAll('tr'), function (tr) {
                    return [tr.children[0].textContent, tr.children[1].textContent]; });
                out.push(el.className.indexOf('pcn-tooltip') >= 0);
                out.push(el.querySelectorAll('b').length);
            }
        });
        return out; })()""")
    assert rows == [["Network", NASTY], ["ODS code", "U00002"], ["List size", "12,000"],
                    ["Practices", "2"], ["Findings", "4"], True, 0]


def test_the_layer_control_lists_every_overlay_and_the_map_is_not_animating(qtbot, page):
    names = _js(qtbot, page, "Array.prototype.map.call(document.querySelectorAll("
                             "'.leaflet-control-layers-overlays label span span'), "
                             "function (s) { return s.textContent.trim(); })")
    assert names == ["Small areas", "Places (local authorities)", "Network boundaries", "Error findings",
                     "Practices", "Network names"]
    # the opening fit is immediate: by the time the page has loaded the view is final
    assert _js(qtbot, page, "pcnMap._animatingZoom === true") is False


def test_the_page_is_folium_and_folium_loads_only_for_a_new_frame(tmp_path):
    """The first page of a shape is rendered by folium (its map div, the plugins); the next
    one reuses the cached frame, so writing it imports neither folium nor pandas."""
    script = ("import sys\nsys.path.insert(0, 'tests')\nfrom map_project import make_project\n"
              "from pcn_desktop.reports.map_html import render_map\n"
              f"render_map(make_project(), {str(tmp_path / 'm.html')!r})\n"
              "print(sorted(m for m in ('folium', 'branca', 'jinja2', 'pandas') if m in sys.modules))")
    env = dict(os.environ, PCN_DESKTOP_CONFIG_DIR=str(tmp_path / "config"))
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "['branca', 'folium', 'jinja2', 'pandas']"
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert 'class="folium-map"' in page
    for plugin in ("L.control.fullscreen", "L.Control.Measure", "new L.Control.MiniMap", "new L.Control.Search",
                   "L.control.layers", "L.featureGroup"):
        assert plugin in page, plugin
    assert "<script src=" not in page and "<link " not in page    # every asset inlined
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "[]"
    assert page_spec((tmp_path / "m.html").read_text(encoding="utf-8")) == page_spec(page)
    # a frame rendered afresh elsewhere (another config folder, a frozen build) is the same bytes
    env["PCN_DESKTOP_CONFIG_DIR"] = str(tmp_path / "other-config")
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert fresh.returncode == 0, fresh.stderr
    assert (tmp_path / "m.html").read_text(encoding="utf-8") == page


def test_the_folium_page_fetches_no_http_url_and_its_plugins_work(qtbot, tmp_path):
    """Every request the page makes while loading and drawing is recorded: none may be
    http(s) (folium's own templates link Leaflet, jQuery, Bootstrap and each plugin from
    CDNs; here they are inlined or left out). The plugins' controls exist, so their inlined
    code ran, and the search box finds a network by name and frames it."""
    from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEnginePage, QWebEngineUrlRequestInterceptor

    class Recorder(QWebEngineUrlRequestInterceptor):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        def interceptRequest(self, info) -> None:  # noqa: ANN001, N802 — Qt's signature
            url = info.requestUrl().toString()
            self.urls.append(url)
            if url.startswith(("http:", "https:")):
                info.block(True)

    recorder = Recorder()
    profile = QWebEngineProfile()          # off the record: nothing cached from another test
    profile.setUrlRequestInterceptor(recorder)
    html = render_map(make_project(), tmp_path / "map.html")
    view = QtWebEngineWidgets.QWebEngineView()
    qtbot.addWidget(view)
    web_page = QWebEnginePage(profile, view)
    view.setPage(web_page)
    view.resize(1000, 800)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=20_000) as done:
        view.load(QUrl.fromLocalFile(str(html)))
    assert done.args == [True]
    try:
        qtbot.waitUntil(lambda: _js(qtbot, web_page, "document.querySelectorAll('.leaflet-overlay-pane path').length") > 0,
                        timeout=10_000)
        for control in ("leaflet-control-search", "leaflet-control-minimap", "leaflet-control-measure",
                        "leaflet-control-zoom-fullscreen", "leaflet-control-layers"):
            assert _js(qtbot, web_page, f"document.getElementsByClassName('{control}').length") == 1, control
        found = _js(qtbot, web_page, """(function () {
            var names = Object.keys(window).filter(function (k) { return /searchControl$/.test(k); });
            var control = window[names[0]];
            control._fillRecordsCache();
            return Object.keys(control._recordsCache).sort(); })()""")
        assert "Alpha PCN" in found and "Hill Top Medical Centre (P81002)" in found
        qtbot.wait(300)                  # let any late request (fonts, images) show itself
        assert recorder.urls, "the interceptor saw nothing: the test would prove nothing"
        assert [u for u in recorder.urls if u.startswith(("http:", "https:"))] == []
    finally:
        view.close()
        web_page.deleteLater()
        qtbot.wait(50)
