"""The offline map: layers, figures, styles and a page that asks the network for nothing."""
from __future__ import annotations

import json
import re

import pytest

from map_project import make_project
from pcn_desktop.domain.rules import evaluate
from pcn_desktop.reports.map_assets import MapAssetsMissing, map_assets
from pcn_desktop.reports.map_html import render_map
from pcn_desktop.reports.map_layers import FINDING_RED, PALETTE, UNASSIGNED, build_map_data
from pcn_desktop.settings import rule_settings_for

# <script src=...> or <link href=...> pointing anywhere: a standalone map has neither.
EXTERNAL_TAG = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=", re.I)


def _data(project=None, highlight=None):
    project = project or make_project()
    return build_map_data(project, evaluate(project, rule_settings_for(project)), highlight)


def _by(fc, key="code"):
    return {f["properties"][key]: f for f in fc["features"]}


def test_layers_have_the_expected_features():
    data = _data()
    assert len(data.areas["features"]) == 12
    assert [f["properties"]["name"] for f in data.places["features"]] == ["Burnley", "Pendle"]
    assert {f["geometry"]["type"] for f in data.places["features"]} == {"LineString"}
    assert sorted(_by(data.networks)) == ["U00001", "U00002"]
    # 12 areas + 2 networks + Beta's red outline; places are lines, practices circles.
    assert data.polygon_count() == 15
    assert len(data.practices["features"]) == 6


def test_network_tooltips_carry_totals_and_findings():
    nets = _by(_data().networks)
    alpha, beta = nets["U00001"]["properties"], nets["U00002"]["properties"]
    assert (alpha["name"], alpha["list_size"], alpha["members"], alpha["findings"]) == ("Alpha PCN", "37,000", 3, 0)
    # Beta: below 30,000 (the outline's one error), no director, no payee, unsigned agreement
    # (governance: a badge on its name, not the outline).
    assert (beta["list_size"], beta["members"], beta["findings"], beta["errors"]) == ("12,000", 2, 4, 1)


def test_networks_are_named_at_a_point_inside_them_with_size_and_badge():
    import shapely
    data = _data()
    labels = {label["code"]: label for label in data.labels}
    beta = labels["U00002"]
    assert (beta["name"], beta["size"]) == (data.legend[1][0], "12,000")
    assert sorted(beta["badge"].split(" · ")) == ["agreement unsigned", "no director", "no payee"]
    assert labels["U00001"]["badge"] == ""
    outline = {f["properties"]["code"]: f["geometry"] for f in data.networks["features"]}
    for code, label in labels.items():
        assert shapely.geometry.shape(outline[code]).buffer(1e-4).contains(shapely.Point(label["lng"], label["lat"]))
    # the page places them in this order: a badge first (thinning must not hide a finding), then biggest
    order = [(not label["badge"], -label["list_size"]) for label in data.labels]
    assert order == sorted(order) and data.labels[0]["code"] == "U00002"


def test_neighbouring_networks_get_different_colours_and_areas_follow_them():
    data = _data()
    assert data.colours == {"north": PALETTE[0], "south": PALETTE[1]}
    areas = _by(data.areas, "area")
    assert areas["E0100000"]["properties"]["style"]["fillColor"] == PALETTE[0]
    assert areas["E0100003"]["properties"]["style"]["fillColor"] == PALETTE[1]
    assert areas["E0100003"]["properties"]["kind"] == "network"      # a click selects Beta
    assert areas["E0100003"]["properties"]["code"] == "U00002"
    assert data.legend == [("Alpha PCN", PALETTE[0]), ("Beta PCN", PALETTE[1])]


def test_practices_are_sized_by_the_square_root_of_list_size():
    pr = _by(_data().practices)
    radius = {c: f["properties"]["style"]["radius"] for c, f in pr.items()}
    # 14 px for the biggest (16,000); 14 * sqrt(4,000 / 16,000) = 7; sqrt(2,500/16,000)*14 = 5.53.
    assert radius == {"P81003": 14.0, "P81001": 12.1, "P81002": 10.5, "P81004": 9.9,
                      "P81005": 7.0, "P81006": 5.5}
    assert pr["P81006"]["properties"]["style"]["fillColor"] == UNASSIGNED
    assert pr["P81006"]["properties"]["network"] == "unassigned"
    assert pr["P81003"]["properties"]["list_size"] == "16,000"


def test_error_findings_are_outlined_and_ringed_in_red():
    found = _data().findings["features"]
    kinds = sorted((f["properties"]["kind"], f["properties"]["code"]) for f in found)
    assert kinds == [("network", "U00002"), ("practice", "P81006")]
    assert all(f["properties"]["style"]["color"] == FINDING_RED for f in found)


def test_a_network_without_an_area_is_flagged_on_its_practices():
    project = make_project()
    project.area_assignments.clear()
    data = _data(project)
    rings = sorted(f["properties"]["code"] for f in data.findings["features"])
    assert rings == ["P81004", "P81005", "P81006"]
    assert data.networks["features"] == []
    assert data.areas["features"][0]["properties"]["kind"] == "area"


def test_highlight_zooms_to_the_network():
    project = make_project()
    data = _data(project, project.find_network("U00002"))
    assert data.bounds == [[53.72, -2.45], [53.795, -2.4]]
    weights = {c: f["properties"]["style"]["weight"] for c, f in _by(data.networks).items()}
    assert weights == {"U00001": 2.5, "U00002": 5.0}


def test_coordinates_are_rounded_to_five_decimals():
    project = make_project()
    area = project.areas["E0100000"]
    area.geometry = area.geometry.buffer(0.000123456, quad_segs=2)
    text = json.dumps(_data(project).areas)
    assert re.search(r"\d\.\d{6,}", text) is None


def test_the_page_is_standalone(tmp_path):
    out = render_map(make_project(), tmp_path / "map.html")
    page = out.read_text(encoding="utf-8")
    assert EXTERNAL_TAG.search(page) is None
    assert "cdn." not in page and "code.jquery.com" not in page
    assert 'version="1.9.4"' in page                  # Leaflet itself is inlined
    assert "url(data:image/png;base64," in page           # and its CSS images
    assert "pcnInstall(" in page and "qrc:///qtwebchannel/qwebchannel.js" in page
    assert not list(tmp_path.glob("*.part"))
    assert out.stat().st_size < 600_000


def test_online_tiles_only_when_asked(tmp_path):
    offline = render_map(make_project(), tmp_path / "off.html").read_text(encoding="utf-8")
    online = render_map(make_project(), tmp_path / "on.html", online_tiles=True).read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in offline
    assert "tile.openstreetmap.org" in online
    assert EXTERNAL_TAG.search(online) is None            # tiles, yes; scripts, still inlined


def test_unknown_highlight_is_refused(tmp_path):
    with pytest.raises(KeyError, match="U99999"):
        render_map(make_project(), tmp_path / "m.html", highlight="U99999")


def test_missing_assets_say_how_to_fetch_them(tmp_path):
    with pytest.raises(MapAssetsMissing, match="fetch_map_assets.py") as info:
        map_assets(tmp_path)
    assert str(tmp_path) in str(info.value)


@pytest.mark.parametrize("gap, neighbours", [(0.015, True), (0.025, False)])
def test_networks_drawn_by_their_practices_are_neighbours_within_a_kilometre_or_so(gap, neighbours):
    """Networks 0 and 12 would take the same colour (the palette's first) unless neighbours:
    with no footprint, each practice counts as a disc of 0.01 degrees, so two practices
    0.015 apart touch and 0.025 apart do not; a footprint reaches a practice 0.005 away."""
    from shapely.geometry import box
    from pcn_desktop.domain.model import Boundary, Membership, Network, Practice, Project
    from pcn_desktop.reports.map_layers import assign_colours, network_geometries
    project = Project()
    for i in range(len(PALETTE) + 1):
        project.add_network(Network(f"N{i:02d}", f"Net {i:02d}"))
        code = f"P{i:05d}"
        lon = -2.0 if i == 0 else -2.0 + gap if i == len(PALETTE) else float(i)   # only 0 and 12 near
        project.practices[code] = Practice(code, f"Practice {i}", latitude=53.0, longitude=lon)
        project.add_membership(Membership(code, f"N{i:02d}"))
    colours = assign_colours(project, network_geometries(project))
    assert (colours["N00"] != colours["N12"]) is neighbours
    # a footprint for network 0 whose edge is 0.005 from network 12's practice (0.01 would not touch)
    edge = -2.0 + gap - 0.005
    project.boundaries["N00"] = Boundary("N00", box(edge - 0.05, 52.95, edge, 53.05), "imported:test")
    colours = assign_colours(project, network_geometries(project))
    assert colours["N00"] != colours["N12"]
