"""Acceptance: a map made here renders in headless Chromium with the network off, polygons
and all (scripts/screenshot_map.py points the proxy at a closed port)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from map_project import make_project
from pcn_desktop.reports.map_html import render_map
from pcn_desktop.reports.map_layers import PALETTE

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from screenshot_map import find_chromium  # noqa: E402

pytestmark = pytest.mark.skipif(find_chromium() is None,
                                reason="no Chromium on PATH (Debian: apt-get install chromium)")

BACKGROUND = (0xF3, 0xF1, 0xEA)     # .pcn-map background in map_html
AREA_OPACITY = 0.35                 # an assigned area's fillOpacity in map_layers


def _hex(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _blend(colour: str) -> np.ndarray:
    return AREA_OPACITY * _hex(colour) + (1 - AREA_OPACITY) * np.array(BACKGROUND, dtype=float)


def _pixels_near(img: np.ndarray, rgb: np.ndarray, tol: float = 6.0) -> int:
    return int((np.abs(img - rgb).max(axis=2) <= tol).sum())


def _shoot(html: Path, png: Path) -> np.ndarray:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "screenshot_map.py"), str(html), str(png)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    img = Image.open(png).convert("RGB")
    assert img.size == (1200, 900)
    return np.asarray(img, dtype=float)


def test_map_renders_offline_with_its_polygons(tmp_path):
    html = render_map(make_project(), tmp_path / "map.html")
    img = _shoot(html, tmp_path / "map.png")
    # Not blank: the page background plus many other colours.
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 50
    # Each network's six areas, tinted with its colour, cover a large part of the window
    # (the 4 x 3 grid fits to about 490 x 620 px: each half is ~150,000 px).
    alpha = _pixels_near(img, _blend(PALETTE[0]))
    beta = _pixels_near(img, _blend(PALETTE[1]))
    assert alpha > 100_000, alpha
    assert beta > 100_000, beta
    # Practices: solid circles in the network colours.
    assert _pixels_near(img, _hex(PALETTE[0]), 10) > 500


def _mean_x(img: np.ndarray, rgb: np.ndarray, tol: float = 6.0) -> float:
    return float(np.nonzero(np.abs(img - rgb).max(axis=2) <= tol)[1].mean())


def test_highlighted_network_is_centred(tmp_path):
    project = make_project()
    whole = _shoot(render_map(project, tmp_path / "all.html"), tmp_path / "all.png")
    zoomed = _shoot(render_map(project, tmp_path / "beta.html", highlight="U00002"), tmp_path / "beta.png")
    beta = _blend(PALETTE[1])
    # Beta is the eastern half of the grid: right of centre on the whole map, centred on
    # the 1200 px window when highlighted.
    assert _mean_x(whole, beta) > 680
    assert abs(_mean_x(zoomed, beta) - 600) < 25
    assert _pixels_near(zoomed, beta) > 100_000


def test_sample_ccg_renders_every_network(tmp_path):
    from pcn_desktop.paths import resource
    from pcn_desktop.reports.map_layers import network_geometries, assign_colours
    from pcn_desktop.store import load_project
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.exists():
        pytest.skip(f"sample CCG not built yet: {path}")
    project = load_project(path)
    img = _shoot(render_map(project, tmp_path / "sample.html"), tmp_path / "sample.png")
    colours = assign_colours(project, network_geometries(project))
    assert len(colours) == len(project.networks) == 8
    # Each network's areas show in its tint; the smallest still covers thousands of pixels.
    for nid, colour in colours.items():
        assert _pixels_near(img, _blend(colour)) > 2_000, project.networks[nid].name
