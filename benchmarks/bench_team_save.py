"""What the team machinery adds to saving a whole-England-sized project file.

A project of 6,500 practices in 1,250 networks, 33,000 small areas with polygons and 700,000
registration counts. Prints the time to fingerprint every editable unit (done once when a
project is opened and once per save: the price of refusing only real clashes), the time of a
save with nobody else's changes to take in, and, as the baseline measured in the same run,
the time of a side copy (the same rows and versions, written as autosave does: no
fingerprints, nothing read back). Run:
    .venv/bin/python benchmarks/bench_team_save.py
"""
from __future__ import annotations

import random
import tempfile
import time
from datetime import date
from pathlib import Path

from shapely.geometry import box

from pcn_desktop.domain.commands import SetNetworkField
from pcn_desktop.domain.model import Membership, Network, Practice, Project, SmallArea
from pcn_desktop.store import save_project
from pcn_desktop.store.versions import unit_prints

PRACTICES, NETWORKS, AREAS, REGISTRATIONS = 6500, 1250, 33000, 700_000


def build() -> Project:
    rng = random.Random(1)
    p = Project()
    for i in range(PRACTICES):
        code = f"P{i:05d}"
        p.practices[code] = Practice(code, f"Practice {i}", latitude=53.0, longitude=-2.0)
        p.list_sizes[code][date(2020, 1, 1)] = 8000
    for i in range(AREAS):
        p.areas[f"E{i:08d}"] = SmallArea(f"E{i:08d}", f"Area {i}", box(i, 0, i + 1, 1).buffer(0.1, 4))
    regs = p.registrations[date(2020, 1, 1)]
    while len(regs) < REGISTRATIONS:
        regs[(f"P{rng.randrange(PRACTICES):05d}", f"E{rng.randrange(AREAS):08d}")] = rng.randrange(1, 50)
    for n in range(NETWORKS):
        p.add_network(Network(f"n{n}", f"PCN {n}", code=f"U{n:05d}"))
    for i in range(PRACTICES):
        p.add_membership(Membership(f"P{i:05d}", f"n{i % NETWORKS}"))
    return p


def timed(fn) -> float:  # noqa: ANN001
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    project = build()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "england.pcnproj"
        prints = min(timed(lambda: unit_prints(project)) for _ in range(3))
        first = timed(lambda: save_project(project, target))
        SetNetworkField("n1", "notes", "edited").do(project)
        again = timed(lambda: save_project(project, target))
        baseline = timed(lambda: save_project(project, Path(folder) / "plain.pcnproj", track=False))
    print(f"fingerprint every unit:        {prints:7.3f} s")
    print(f"first save (all versions new): {first:7.3f} s")
    print(f"save after one edit:           {again:7.3f} s")
    print(f"baseline, side copy:           {baseline:7.3f} s")
    print(f"fingerprints / baseline save:  {prints / baseline:7.1%}")
    print(f"save after an edit / baseline: {again / baseline:7.2f}x")


if __name__ == "__main__":
    main()
