"""The network map PNG for PDFs: size, content, and the cases with nothing to draw."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from map_project import make_project
from pcn_desktop.reports.map_layers import PALETTE
from pcn_desktop.reports.static_map import network_map_png, nice_length


def _image(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)


def _near(img: np.ndarray, colour: str, tol: int = 12) -> int:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(img - rgb).max(axis=2) <= tol).sum())


def test_png_has_the_asked_size_and_draws_the_network(tmp_path):
    out = tmp_path / "alpha.png"
    data = network_map_png(make_project(), "north", out, 800, 600)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.read_bytes() == data
    img = _image(data)
    assert img.shape == (600, 800, 3)
    # Alpha's fill (28% of its colour over the page) covers its 3.3 x 8.3 km: about a
    # fifth of a 4:3 frame fitted to its height.
    fill = 0.28 * np.array([0x1F, 0x77, 0xB4]) + 0.72 * np.array([0xF3, 0xF1, 0xEA])
    share = (np.abs(img - fill).max(axis=2) <= 3).sum() / (800 * 600)
    assert 0.15 < share < 0.25, share
    assert _near(img, PALETTE[0]) > 500             # its outline and practice dots
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 30


def test_size_in_inches_at_a_dpi():
    img = _image(network_map_png(make_project(), "south", width_in=6.5, height_in=5.0, dpi=100))
    assert img.shape == (500, 650, 3)
    assert _near(img, PALETTE[1]) > 300


def test_without_an_area_the_practices_are_still_drawn():
    project = make_project()
    project.area_assignments.clear()
    img = _image(network_map_png(project, "north", None, 400, 300))
    assert _near(img, PALETTE[0]) > 100


def test_nothing_to_draw_gives_none_and_an_unknown_network_is_refused():
    project = make_project()
    project.area_assignments.clear()
    for code in ("P81004", "P81005"):
        project.practices[code].latitude = None
    assert network_map_png(project, "south") is None
    with pytest.raises(KeyError, match="nowhere"):
        network_map_png(project, "nowhere")


@pytest.mark.parametrize("span, expected", [(10_000, 2_000), (4_900, 500), (26_000, 5_000),
                                            (800, 100), (60_000, 10_000)])
def test_scale_bar_lengths_are_round(span, expected):
    assert nice_length(span) == expected


def test_the_keys_practice_dots_do_not_cover_each_other():
    """The key shows the biggest and the smallest member's dot one above the other: each row
    must be tall enough for its dot (they once overlapped on every printed agreement)."""
    from pcn_desktop.paths import resource
    from pcn_desktop.reports.agreement import MAP_HEIGHT, W
    from pcn_desktop.store import load_project
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    checked = 0
    for network_id in sorted(project.networks):
        info: dict = {}
        if network_map_png(project, network_id, width_in=W / 72, height_in=MAP_HEIGHT / 72, dpi=150,
                           info=info, key=True) is None:
            continue
        boxes = info["key_dot_boxes"]
        if len(boxes) < 2:
            continue
        (x0, y0, w0, h0), (x1, y1, w1, h1) = boxes
        overlap_x = min(x0 + w0, x1 + w1) - max(x0, x1)
        overlap_y = min(y0 + h0, y1 + h1) - max(y0, y1)
        assert overlap_x <= 0 or overlap_y <= 0, (network_id, boxes)
        checked += 1
    assert checked >= 5
