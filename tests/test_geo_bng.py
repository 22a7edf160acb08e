"""The national grid projection written in numpy (geo/bng.py) against PROJ's, through pyproj."""
from __future__ import annotations

import numpy as np
import pytest
import shapely

from pcn_desktop.geo import crs
from pcn_desktop.geo.bng import wgs84_to_bng

pyproj = pytest.importorskip("pyproj")


def _proj(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    return t.transform(lon, lat)


def test_within_a_millimetre_of_proj_over_great_britain() -> None:
    # Scilly to Lowestoft, Lizard to Shetland: PROJ applies the same Helmert transformation
    # over all of it (east of 1.9E, in the sea, it changes operation)
    lon, lat = np.meshgrid(np.linspace(-6.5, 1.9, 240), np.linspace(49.8, 60.9, 240))
    lon, lat = lon.ravel(), lat.ravel()
    x, y = wgs84_to_bng(lon, lat)
    px, py = _proj(lon, lat)
    assert np.hypot(x - px, y - py).max() < 0.001


def test_known_points() -> None:
    # London, Manchester, Lowestoft, the Lizard, Berwick: one point at a time, as PROJ
    # chooses its operation for each point on its own
    for lon, lat in [(-0.1276, 51.5072), (-2.2426, 53.4808), (1.7500, 52.4800),
                     (-5.2050, 49.9600), (-2.0050, 55.7700)]:
        x, y = wgs84_to_bng(np.array([lon]), np.array([lat]))
        px, py = _proj(lon, lat)
        assert abs(x[0] - px) < 0.001 and abs(y[0] - py) < 0.001, (lon, lat)


def test_geometries_and_scalars_follow_the_same_projection() -> None:
    ring = shapely.Polygon([(-2.3, 53.4), (-2.1, 53.4), (-2.1, 53.6), (-2.3, 53.6)])
    moved = np.array(crs.to_bng(ring).exterior.coords)
    lonlat = np.array(ring.exterior.coords)
    px, py = _proj(lonlat[:, 0], lonlat[:, 1])
    assert np.hypot(moved[:, 0] - px, moved[:, 1] - py).max() < 0.001
    px, py = _proj(np.array([-2.3, -2.1]), np.array([53.4, 53.6]))
    x, y = crs.lonlat_to_bng(np.array([-2.3]), np.array([53.4]))
    assert x.shape == (1,) and abs(x[0] - px[0]) < 0.001 and abs(y[0] - py[0]) < 0.001


def test_back_to_wgs84_returns_to_the_start() -> None:
    # the other direction is PROJ's own: a round trip closes to a few millimetres (1e-7
    # degrees is about a centimetre)
    ring = shapely.Polygon([(-1.5, 52.0), (-1.4, 52.0), (-1.4, 52.1)])
    back = crs.to_wgs84(crs.to_bng(ring))
    assert shapely.hausdorff_distance(back, ring) < 1e-7


def test_opening_a_project_does_not_import_pyproj() -> None:
    import subprocess
    import sys
    code = ("import sys\n"
            "from pcn_desktop.ui.preload import preload\n"
            "preload()\n"
            "from pcn_desktop.store import load_project\n"
            "from pcn_desktop.paths import resource\n"
            "from pcn_desktop.settings import rule_settings_for\n"
            "from pcn_desktop.domain.rules.engine import FindingsCache\n"
            "from pcn_desktop.reports.map_layers import build_map_data\n"
            "p = load_project(resource('sample', 'sample_ccg.pcnproj'))\n"
            "c = FindingsCache(p, rule_settings_for(p))\n"
            "build_map_data(p, c.findings())\n"
            "assert c.findings()\n"
            "print('pyproj' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
