"""Network names on the map: a name whose own spot is taken is nudged beside it rather than
left out, and no two names shown overlap."""
from __future__ import annotations

import json

import pytest

QtWebEngineWidgets = pytest.importorskip("PySide6.QtWebEngineWidgets")   # before any QApplication
from PySide6.QtCore import QUrl  # noqa: E402

from datetime import date  # noqa: E402

from pcn_desktop.domain.model import Membership, Network, Practice, Project  # noqa: E402
from pcn_desktop.reports.map_html import render_map  # noqa: E402

BOXES = """Array.prototype.filter.call(document.querySelectorAll('.pcn-label'),
    function (e) { return e.style.display !== 'none'; }).map(function (e) {
    var r = e.firstChild.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


def _js(qtbot, page, script: str):
    box: list = []
    page.runJavaScript(f"JSON.stringify({script})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0])


def crowded_project() -> Project:
    """Three networks of one practice each, a few hundred metres apart, in the middle of four
    others far away at the corners, so that the opening view puts the three names on nearly
    the same spot."""
    project = Project()
    spots = {"A": (53.700, -2.500), "B": (53.703, -2.500), "C": (53.697, -2.501), "D": (54.300, -1.500),
             "E": (54.300, -3.500), "F": (53.100, -1.500), "G": (53.100, -3.500)}
    for i, (nid, (lat, lon)) in enumerate(spots.items()):
        project.add_network(Network(nid, f"Network {nid} PCN", code=f"U0000{i}"))
        code = f"P8100{i}"
        project.practices[code] = Practice(code, f"Practice {nid}", latitude=lat, longitude=lon)
        project.add_membership(Membership(code, nid))
        project.list_sizes[code][date(2025, 1, 1)] = 10_000 + 1_000 * i
    return project


def test_a_name_whose_spot_is_taken_is_nudged_beside_it(qtbot, tmp_path):
    html = render_map(crowded_project(), tmp_path / "map.html")
    view = QtWebEngineWidgets.QWebEngineView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    try:
        with qtbot.waitSignal(view.loadFinished, timeout=20_000) as done:
            view.load(QUrl.fromLocalFile(str(html)))
        assert done.args == [True]
        page = view.page()
        qtbot.waitUntil(lambda: _js(qtbot, page, "typeof pcnLabels === 'function' && pcnLabels().length") >= 3,
                        timeout=10_000)
        shown = {label["name"] for label in _js(qtbot, page, "pcnLabels()")}
        assert {"Network A PCN", "Network B PCN", "Network C PCN"} <= shown
        boxes = _js(qtbot, page, BOXES)
        assert len(boxes) == len(shown)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    finally:
        view.close()
        view.page().deleteLater()
        qtbot.wait(50)
