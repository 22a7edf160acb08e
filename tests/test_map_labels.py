"""Network names on the map: a name whose own spot is taken is nudged beside it rather than
left out, and no two names shown overlap."""
from __future__ import annotations

import json

import pytest

QtWebEngineWidgets = pytest.importorskip("PySide6.QtWebEngineWidgets")   # before any QApplication
from PySide6.QtCore import QUrl  # noqa: E402

from contextlib import contextmanager  # noqa: E402
from datetime import date  # noqa: E402
from typing import Iterator  # noqa: E402

from pcn_desktop.domain.model import ClinicalDirector, Membership, Network, Practice, Project  # noqa: E402
from pcn_desktop.reports.map_html import render_map  # noqa: E402

BOXES = """Array.prototype.filter.call(document.querySelectorAll('.pcn-label'),
    function (e) { return e.style.display !== 'none'; }).map(function (e) {
    var r = e.firstChild.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


def _js(qtbot, page, script: str):
    box: list = []
    page.runJavaScript(f"JSON.stringify({script})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0])


@contextmanager
def map_page(qtbot, html, width: int, height: int, names: int = 1) -> Iterator:
    """The map page ``html`` in a shown view of ``width`` x ``height``, once at least
    ``names`` network names are placed; the view is closed afterwards."""
    view = QtWebEngineWidgets.QWebEngineView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    try:
        with qtbot.waitSignal(view.loadFinished, timeout=20_000) as done:
            view.load(QUrl.fromLocalFile(str(html)))
        assert done.args == [True]
        page = view.page()
        qtbot.waitUntil(lambda: _js(qtbot, page, "typeof pcnLabels === 'function' && pcnLabels().length") >= names,
                        timeout=10_000)
        yield page
    finally:
        view.close()
        view.page().deleteLater()
        qtbot.wait(50)


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
    with map_page(qtbot, html, 900, 700, names=3) as page:
        shown = {label["name"] for label in _js(qtbot, page, "pcnLabels()")}
        assert {"Network A PCN", "Network B PCN", "Network C PCN"} <= shown
        boxes = _js(qtbot, page, BOXES)
        assert len(boxes) == len(shown)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)

def crowded_with_one_finding() -> Project:
    """Twelve networks on one spot, too many to name them all there; the smallest alone has
    a governance error (no director), which its name carries as a badge."""
    project = Project()
    for i in range(12):
        nid, code = f"N{i:02d}", f"P8200{i:02d}"
        net = project.add_network(Network(nid, f"Network {i:02d} PCN", code=f"U1{i:04d}"))
        project.practices[code] = Practice(code, f"Practice {i:02d}", latitude=53.700, longitude=-2.500)
        project.add_membership(Membership(code, nid))
        # sizes in no order of the names: the page must place by size, not by name
        project.list_sizes[code][date(2025, 1, 1)] = 40_000 - 1_000 * (i * 5 % 11) if i != 11 else 20_000
        net.nominated_payee = code
        net.agreement_signed = date(2025, 3, 1)
        if i != 11:
            net.director = ClinicalDirector("Dr A Person", practice_code=code)
    return project


def test_a_name_with_a_badge_is_named_before_bigger_ones_without(qtbot, tmp_path):
    html = render_map(crowded_with_one_finding(), tmp_path / "map.html")
    with map_page(qtbot, html, 700, 500, names=3) as page:
        shown = {label["name"]: label["badge"] for label in _js(qtbot, page, "pcnLabels()")}
        assert len(shown) < 12, "the spot holds every name: the test shows nothing"
        assert shown.get("Network 11 PCN") == "no director"
        assert set(shown.values()) == {"", "no director"}
        # after the badge, the biggest: Network 00 (40,000), then 09 (39,000), 07 (38,000)...
        by_size = [f"Network {i:02d} PCN" for i in sorted(range(11), key=lambda i: i * 5 % 11)]
        plain = [name for name, badge in shown.items() if not badge]
        assert sorted(plain) == sorted(by_size[:len(plain)]), plain
        # an edit gives Network 10 the badge and takes Network 11's away: the page places
        # the names again in the new order (Network 10, named last by size, is named first)
        update = {"practices": {}, "red": "#d00000", "networks": {
            f"N{i}": {"name": f"Network {i} PCN", "ods": f"U10{i}", "code": f"U10{i}", "list_size": f"{n:,}",
                      "patients": n, "members": 1, "findings": int(i == 10), "errors": int(i == 10),
                      "badge": "no director" if i == 10 else ""} for i, n in ((10, 30_000), (11, 29_000))}}
        assert _js(qtbot, page, f"pcnUpdate({json.dumps(update)})") is True
        shown = {label["name"]: label["badge"] for label in _js(qtbot, page, "pcnLabels()")}
        assert shown.get("Network 10 PCN") == "no director", shown
        assert shown.get("Network 11 PCN", "") == ""


def test_a_map_of_one_practice_draws(qtbot, tmp_path):
    """Bounds of no size (one practice) asked Leaflet for an infinite zoom: the page threw
    'Invalid LatLng object: (NaN, NaN)' and drew nothing."""
    project = Project()
    project.add_network(Network("A", "Solo PCN", code="U00001"))
    project.practices["P81001"] = Practice("P81001", "Only Surgery", latitude=53.7, longitude=-2.5)
    project.add_membership(Membership("P81001", "A"))
    project.list_sizes["P81001"][date(2025, 1, 1)] = 9_000
    with map_page(qtbot, render_map(project, tmp_path / "map.html"), 600, 400) as page:
        zoom, lat = _js(qtbot, page, "[pcnMap.getZoom(), pcnMap.getCenter().lat]")
        assert 10 <= zoom <= 15 and abs(lat - 53.7) < 0.01
        assert _js(qtbot, page, "document.querySelectorAll('.leaflet-overlay-pane path').length") >= 1


def test_every_name_shown_stands_inside_its_own_network(qtbot, tmp_path):
    """The sample in a projector-sized pane: names nudged off their spots were placed over a
    neighbour (Ashbridge North PCN's name stood in Wyreford Health's area). Each name's
    centre is turned back into a position by the page and tested against the network's
    boundary here, with shapely."""
    import shapely
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.is_file():
        pytest.skip(f"sample project missing: {path}")
    project = load_project(path)
    outline = {net.name: project.boundaries[nid].geometry for nid, net in project.networks.items()
               if nid in project.boundaries and project.boundaries[nid].geometry is not None}
    assert len(outline) >= 6
    checked = 0
    for width, height in ((456, 272), (560, 340), (900, 600)):
        with map_page(qtbot, render_map(project, tmp_path / f"map-{width}.html"), width, height, names=3) as page:
            qtbot.wait(100)                # the names are placed again once the controls are in
            centres = _js(qtbot, page, """Array.prototype.filter.call(document.querySelectorAll('.pcn-label'),
                function (e) { return e.style.display !== 'none'; }).map(function (e) {
                var r = e.firstChild.getBoundingClientRect(), box = pcnMap.getContainer().getBoundingClientRect();
                var at = pcnMap.containerPointToLatLng([(r.left + r.right) / 2 - box.left, (r.top + r.bottom) / 2 - box.top]);
                return [e.querySelector('b').textContent, at.lng, at.lat]; })""")
        for name, lng, lat in centres:
            if name in outline:
                checked += 1
                assert outline[name].contains(shapely.Point(lng, lat)), (width, name)
    assert checked >= 10
