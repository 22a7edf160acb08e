"""Map build time and size: the sample CCG and an England-sized synthetic project.

    .venv/bin/python benchmarks/bench_map.py [--areas 33000 --practices 6500 --networks 1250]

For each project prints: time to build the layers (simplify, round, colour, findings) and
to write the HTML; the HTML size; and, as the baseline measured in the same run, the time
and size of merely serialising the same areas as plain GeoJSON (json.dumps of
__geo_interface__, no simplification), which is the least any map of them costs. Also the
static PNG of one network. Targets: the sample's map < 1 s; England's < 15 s (it runs in a
background worker) and < 10x the baseline; HTML < 2x the raw GeoJSON (the tooltips' figures
and the styles are extra, the 5-decimal rounding and simplification win back); a PNG < 1 s.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from pcn_desktop.domain.rules import evaluate  # noqa: E402
from pcn_desktop.paths import resource  # noqa: E402
from pcn_desktop.reports.map_html import map_html  # noqa: E402
from pcn_desktop.reports.map_layers import build_map_data  # noqa: E402
from pcn_desktop.reports.static_map import network_map_png  # noqa: E402
from pcn_desktop.settings import rule_settings_for  # noqa: E402
from pcn_desktop.store import load_project  # noqa: E402


def baseline(project) -> tuple[float, int]:
    start = time.perf_counter()
    text = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": a.code},
         "geometry": a.geometry.__geo_interface__} for a in project.areas.values() if a.geometry is not None]})
    return time.perf_counter() - start, len(text)


def measure(label: str, project, big: bool) -> None:
    findings = evaluate(project, rule_settings_for(project))
    base_s, base_bytes = baseline(project)
    t0 = time.perf_counter()
    data = build_map_data(project, findings)
    t1 = time.perf_counter()
    page = map_html(project, data)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        nid = max(project.networks, key=lambda n: len(project.members(n)))
        t3 = time.perf_counter()
        png = network_map_png(project, nid, Path(tmp) / "n.png", 1200, 900)
        t4 = time.perf_counter()
    total = t2 - t0
    print(f"{label}: {len(project.areas):,} areas, {len(project.practices):,} practices, "
          f"{len(project.networks):,} networks, {len(findings):,} findings")
    print(f"  layers {t1 - t0:.2f} s + HTML {t2 - t1:.2f} s = {total:.2f} s; "
          f"baseline (raw GeoJSON dump) {base_s:.2f} s; ratio {total / base_s:.2f}x"
          + (" (target < 10x, < 15 s)" if big else " (target < 1 s; Leaflet dominates a small map)"))
    print(f"  HTML {len(page) / 1e6:.2f} MB vs raw GeoJSON {base_bytes / 1e6:.2f} MB; "
          f"ratio {len(page) / base_bytes:.2f}"
          + (" (target < 2)" if big else " (~290 KB of it is the inlined Leaflet and jQuery)"))
    print(f"  network PNG {t4 - t3:.2f} s, {len(png or b'') / 1024:.0f} KB (target < 1 s)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=33000)
    parser.add_argument("--practices", type=int, default=6500)
    parser.add_argument("--networks", type=int, default=1250)
    parser.add_argument("--html", help="also write the England map here (to open or screenshot)")
    args = parser.parse_args()
    sample = resource("sample", "sample_ccg.pcnproj")
    if sample.exists():
        measure("sample CCG", load_project(sample), big=False)
    from bench_geo_england import synthetic          # the geo benchmark's England, same seed
    from pcn_desktop.geo.boundaries import build_from_registrations
    project, _ = synthetic(args.areas, args.practices, args.networks, 40, 2024)
    build_from_registrations(project)
    measure("England (synthetic)", project, big=True)
    with tempfile.TemporaryDirectory() as tmp:
        if args.html:
            Path(args.html).write_text(map_html(project, build_map_data(project, [])), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
