"""Boundary builds survive neighbouring areas whose shared edges differ by a rounding error
(hand-made or re-projected files): no TopologyException, no hairline slivers, areas conserved."""
from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from geo_grid import SIDE, X0, Y0, grid_project
from pcn_desktop.geo.areas import area_index
from pcn_desktop.geo.boundaries import SNAP_DEGREES, boundary_bng, build_from_registrations, union_areas
from pcn_desktop.geo.crs import to_wgs84

X, Y = X0, Y0


def _near_coincident() -> np.ndarray:
    """Three 100 m squares; the shared edges carry extra vertices a ten-thousandth of a
    millimetre off the neighbour's edge, so the edges are not noded alike."""
    a = Polygon([(X, Y), (X + 100, Y), (X + 100.0000001, Y + 50), (X + 100, Y + 100), (X, Y + 100)])
    b = Polygon([(X + 100, Y), (X + 200, Y), (X + 200, Y + 100), (X + 100, Y + 100),
                 (X + 99.9999999, Y + 50.0000003)])
    c = Polygon([(X, Y + 100), (X + 100, Y + 100), (X + 100, Y + 200), (X, Y + 200)])
    return np.array([a, b, c], dtype=object)


def test_coverage_union_refuses_these_inputs() -> None:
    """The premise: the fast path raises on them (what crashed the boundary build)."""
    with pytest.raises(shapely.errors.GEOSException, match="TopologyException"):
        shapely.coverage_union_all(_near_coincident())


def test_union_of_near_coincident_areas_is_one_valid_polygon_of_the_same_area() -> None:
    geoms = _near_coincident()
    u = union_areas(geoms)
    assert u.geom_type == "Polygon" and shapely.is_valid(u)
    assert len(u.interiors) == 0
    assert u.area == pytest.approx(30000.0, abs=0.01)
    assert u.bounds == pytest.approx((X, Y, X + 200, Y + 200), abs=0.01)


def test_a_hairline_gap_does_not_split_the_union() -> None:
    """A's right edge sits 0.3 micrometres short of B's left edge: a plain overlay keeps them
    apart (two parts); the snapped union joins them."""
    a = Polygon([(X, Y), (X + 1000 - 3e-7, Y), (X + 1000 - 2e-7, Y + 500.0000001),
                 (X + 1000 - 3e-7, Y + 1000), (X, Y + 1000)])
    b = shapely.box(X + 1000, Y, X + 2000, Y + 1000)
    geoms = np.array([a, b], dtype=object)
    assert shapely.union_all(geoms).geom_type == "MultiPolygon"      # the sliver the plain overlay leaves
    u = union_areas(geoms)
    assert u.geom_type == "Polygon" and shapely.is_valid(u)
    assert u.area == pytest.approx(2_000_000.0, abs=0.05)


def _wobbly(x: int, y: int) -> Polygon:
    """Grid cell (x, y) with a rounding-error vertex on its right edge."""
    x0, y0 = X0 + x * SIDE, Y0 + y * SIDE
    return Polygon([(x0, y0), (x0 + SIDE, y0), (x0 + SIDE + 2e-7, y0 + 500.0000003),
                    (x0 + SIDE, y0 + SIDE), (x0, y0 + SIDE)])


def test_build_from_registrations_with_near_coincident_areas_conserves_every_network() -> None:
    p = grid_project()
    for x, y in ((0, 1), (1, 1), (1, 0)):          # A's cells; their right neighbours are A's too
        p.areas[f"G{x}{y}"].geometry = to_wgs84(_wobbly(x, y))
    idx = area_index(p)
    a_cells = [c for c in ("G01", "G11", "G21", "G10", "G20") if c in idx.pos]
    geoms = idx.geoms[idx.indices(a_cells)]
    # premise: the fast path does not take these (it raises, or its result fails the checks)
    try:
        fast = shapely.coverage_union_all(geoms)
        assert not (shapely.is_valid(fast) and abs(fast.area - shapely.area(geoms).sum()) <= 1e-9 * fast.area)
    except shapely.errors.GEOSException:
        pass
    result = build_from_registrations(p)
    assert result.assigned == 15
    for nid in ("A", "B", "C"):
        cells = [c for c, n in p.area_assignments.items() if n == nid]
        expected = float(shapely.area(idx.geoms[idx.indices(cells)]).sum())
        got = boundary_bng(p, nid)
        assert shapely.is_valid(got)
        assert got.area == pytest.approx(expected, rel=1e-7), nid
    # A is one piece round C's enclave: 10 cells, one part, one hole
    a = boundary_bng(p, "A")
    assert a.geom_type == "Polygon" and len(a.interiors) == 1
    assert a.area == pytest.approx(10 * SIDE * SIDE, rel=1e-7)


def test_areas_in_degrees_are_joined_on_a_grid_in_degrees() -> None:
    """The map unions areas in longitude and latitude (places, networks without a boundary):
    a hairline gap of a few micrometres is joined, two areas a street apart are not."""
    a = Polygon([(-2.5, 53.7), (-2.49 - 3e-11, 53.7), (-2.49 - 2e-11, 53.705), (-2.49 - 3e-11, 53.71), (-2.5, 53.71)])
    b = shapely.box(-2.49, 53.7, -2.48, 53.71)
    far = shapely.box(-2.4799, 53.7, -2.47, 53.71)            # about 7 m east of b
    assert shapely.union_all(np.array([a, b], dtype=object)).geom_type == "MultiPolygon"
    joined = union_areas(np.array([a, b], dtype=object), SNAP_DEGREES)
    assert joined.geom_type == "Polygon" and shapely.is_valid(joined)
    apart = union_areas(np.array([b, far], dtype=object), SNAP_DEGREES)
    assert apart.geom_type == "MultiPolygon" and len(apart.geoms) == 2
