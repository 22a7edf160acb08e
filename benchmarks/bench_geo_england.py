"""England-sized geography benchmark: 6,500 practices, 33,000 small areas, 1,250 networks.

Synthetic and seeded: areas are a Voronoi tessellation of random points in a 400 x 325 km box
in British National Grid; networks are practices grouped around 1,250 seed practices; each
practice registers patients in its 40 nearest areas, decaying with distance.

Prints: the full build (plurality + dissolve + every measure) against a plain geopandas
dissolve of the same areas by the same networks in this run; the time to re-check one
network after one practice moves (move, follow_moves, re-measure, re-run the rules in scope);
and the peak resident memory. Targets: build <= 1.5x dissolve, move < 50 ms, memory < 2 GB.

    .venv/bin/python benchmarks/bench_geo_england.py [--areas 33000 --practices 6500 --networks 1250]
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pcn_desktop.domain.commands import CommandStack, MovePractice  # noqa: E402
from pcn_desktop.domain.model import ClinicalDirector, Membership, Network, Practice, Project, SmallArea  # noqa: E402
from pcn_desktop.domain.rules.engine import FindingsCache  # noqa: E402
from pcn_desktop.domain.settings import RuleSettings  # noqa: E402
from pcn_desktop.geo.areas import area_index  # noqa: E402
from pcn_desktop.geo.boundaries import build_from_registrations, follow_moves  # noqa: E402
from pcn_desktop.geo.crs import to_wgs84  # noqa: E402
from pcn_desktop.geo.measures import measure_networks  # noqa: E402

X0, Y0, W, H = 150000.0, 100000.0, 400000.0, 325000.0


def synthetic(n_areas: int, n_practices: int, n_networks: int, per_practice: int, seed: int) -> tuple[Project, np.ndarray]:
    rng = np.random.default_rng(seed)
    pts = shapely.points(np.column_stack([X0 + rng.random(n_areas) * W, Y0 + rng.random(n_areas) * H]))
    box = shapely.box(X0, Y0, X0 + W, Y0 + H)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=box))
    cells = shapely.intersection(cells, box)
    # Voronoi output order is not the input order; match cells to their seed points
    tree = shapely.STRtree(cells)
    which = tree.query(pts, predicate="within")
    order = np.empty(n_areas, dtype=np.int64)
    order[which[0]] = which[1]
    cells_bng = cells[order]
    cells_wgs = to_wgs84(cells_bng)

    project = Project()
    for i in range(n_areas):
        code = f"E01{i:06d}"
        project.areas[code] = SmallArea(code, f"Place{i % 300:03d} {i % 1000:03d}A", cells_wgs[i])
    pxy = np.column_stack([X0 + rng.random(n_practices) * W, Y0 + rng.random(n_practices) * H])
    ll = shapely.get_coordinates(to_wgs84(shapely.points(pxy)))
    seeds = rng.choice(n_practices, n_networks, replace=False)
    seed_tree = shapely.STRtree(shapely.points(pxy[seeds]))
    net_of = seed_tree.nearest(shapely.points(pxy))
    for k in range(n_networks):
        project.add_network(Network(f"N{k:04d}", f"Network {k:04d}", code=f"U{k:05d}"))
    for i in range(n_practices):
        code = f"P{i:05d}"
        project.practices[code] = Practice(code, longitude=float(ll[i, 0]), latitude=float(ll[i, 1]))
        project.add_membership(Membership(code, f"N{net_of[i]:04d}"))
        project.list_sizes[code][date(2024, 1, 1)] = 9000
    # a settled England: every network signed, with a payee and a director, so the findings
    # are the geography's rather than thousands of "no director" ones
    for net in project.networks.values():
        members = sorted(project.members(net.id))
        if members:
            net.nominated_payee = members[0]
            net.agreement_signed = date(2024, 1, 1)
            net.director = ClinicalDirector("Dr A", members[0], wte=1.0)
    area_tree = shapely.STRtree(pts)
    regs = project.registrations[date(2024, 4, 1)]
    for i in range(n_practices):
        here = shapely.points(pxy[i])
        near = area_tree.query(shapely.buffer(here, 8000))
        if len(near) < per_practice:
            near = area_tree.query(shapely.buffer(here, 30000))
        d = shapely.distance(here, pts[near])
        take = near[np.argsort(d)[:per_practice]]
        counts = np.maximum(1, (2000 * np.exp(-np.sort(d)[:per_practice] / 3000)).astype(int))
        for a, n in zip(take.tolist(), counts.tolist()):
            regs[(f"P{i:05d}", f"E01{a:06d}")] = n
    return project, cells_bng


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--areas", type=int, default=33000)
    ap.add_argument("--practices", type=int, default=6500)
    ap.add_argument("--networks", type=int, default=1250)
    ap.add_argument("--per-practice", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20240401)
    a = ap.parse_args()

    t = time.perf_counter()
    project, cells_bng = synthetic(a.areas, a.practices, a.networks, a.per_practice, a.seed)
    rows = len(project.latest_registrations()[1])
    print(f"synthetic England: {a.areas:,} areas, {a.practices:,} practices, {a.networks:,} networks, "
          f"{rows:,} registration rows (made in {time.perf_counter() - t:.1f} s)")
    settings = RuleSettings()

    t = time.perf_counter()
    area_index(project)
    t_index = time.perf_counter() - t

    t = time.perf_counter()
    result = build_from_registrations(project)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    measured = measure_networks(project, settings)
    t_measure = time.perf_counter() - t

    import geopandas as gpd
    labels = [project.area_assignments.get(c, "") for c in sorted(project.areas)]
    idx = area_index(project)
    frame = gpd.GeoDataFrame({"net": labels}, geometry=idx.geoms, crs="EPSG:27700")
    frame = frame[frame["net"] != ""]
    t = time.perf_counter()
    frame.dissolve(by="net")
    t_dissolve = time.perf_counter() - t

    ours = t_build + t_measure
    print(f"area index (reproject + STRtree, once per project): {t_index:.2f} s")
    print(f"boundaries from registrations: {t_build:.2f} s  ({result.assigned:,} areas assigned)")
    print(f"every measure, {len(measured):,} networks:        {t_measure:.2f} s")
    print(f"build + measures:               {ours:.2f} s")
    print(f"plain geopandas dissolve:       {t_dissolve:.2f} s")
    print(f"ratio build+measures / dissolve: {ours / t_dissolve:.2f}x (target <= 1.5x)")
    multi = sum(1 for g in measured.values() if g.parts > 1)
    print(f"networks in several parts: {multi}")

    cache = FindingsCache(project, settings)
    print(f"findings over the whole project: {len(cache.findings()):,}")
    stack = CommandStack(project)
    times = []
    rng = np.random.default_rng(a.seed + 1)
    for code in rng.choice(sorted(project.practices), 20, replace=False).tolist():
        here = project.networks_of(code)[0]
        target = sorted(project.networks)[(sorted(project.networks).index(here) + 1) % len(project.networks)]
        t = time.perf_counter()
        touched = stack.push(MovePractice(code, target))
        touched |= follow_moves(project, touched)
        cache.refresh(touched)
        times.append(time.perf_counter() - t)
    times_ms = np.array(times) * 1000
    print(f"one practice moves, re-check touched networks: median {np.median(times_ms):.1f} ms, "
          f"max {times_ms.max():.1f} ms over {len(times)} moves (target < 50 ms)")
    print(f"peak resident memory: {peak_mb():.0f} MB (target < 2048 MB)")


if __name__ == "__main__":
    main()
