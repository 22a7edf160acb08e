"""Time to print every network's agreement in the sample CCG (or a project given).

    .venv/bin/python benchmarks/bench_agreements.py [PROJECT]

Prints the time per agreement (mean, slowest), where it goes (data and rules, map, layout),
and a ratio against a baseline measured in the same run: a plain reportlab document of the
same number of pages of text, which is the least any PDF of that length costs here.
"""
from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from pcn_desktop.paths import resource
from pcn_desktop.reports.agreement_batch import export_agreements
from pcn_desktop.reports.agreement_data import gather
from pcn_desktop.reports.agreement import MAP_HEIGHT, W
from pcn_desktop.reports.agreement_map import network_picture
from pcn_desktop.store import load_project


def baseline_seconds(pages: int) -> float:
    style = getSampleStyleSheet()["BodyText"]
    text = "The members agree to work together for their patients. " * 40
    story = []
    for _ in range(pages):
        story += [Paragraph(text, style) for _ in range(6)] + [PageBreak()]
    start = time.perf_counter()
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)
    return time.perf_counter() - start


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else resource("sample", "sample_ccg.pcnproj")
    project = load_project(path)
    ids = [n.id for n in project.sorted_networks()]
    print(f"{path.name}: {len(ids)} networks, {len(project.practices)} practices")
    t = time.perf_counter()
    for nid in ids:
        gather(project, nid)
    data_s = (time.perf_counter() - t) / len(ids)
    t = time.perf_counter()
    for nid in ids:
        network_picture(project, nid, W, MAP_HEIGHT)   # as the agreement draws it
    map_s = (time.perf_counter() - t) / len(ids)
    with tempfile.TemporaryDirectory() as out:
        t, cpu = time.perf_counter(), time.process_time()
        done = export_agreements(project, Path(out), pack=False)
        total = time.perf_counter() - t
        # CPU time as well as wall time: on a machine shared with other work, wall time
        # mostly measures the queue for a core
        cpu_per = (time.process_time() - cpu) / len(ids)
        t = time.perf_counter()
        export_agreements(project, Path(out) / "pack", network_ids=[], pack=True)
        pack_s = time.perf_counter() - t
    per = [d.seconds for d in done]
    pages = [d.document.pages for d in done]
    base = statistics.mean(baseline_seconds(p) for p in pages)
    mean = statistics.mean(per)
    print(f"agreements: {len(done)} in {total:.2f} s; {mean:.3f} s per agreement "
          f"(slowest {max(per):.3f} s, {statistics.mean(pages):.1f} pages on average)")
    print(f"  data, rules and funding: {data_s:.3f} s per network")
    print(f"  map image:               {map_s:.3f} s per network")
    print(f"  layout and writing:      {max(mean - data_s - map_s, 0):.3f} s per agreement")
    print(f"baseline (plain reportlab text, same page count): {base:.3f} s per document; "
          f"ratio {mean / base:.1f}x")
    print(f"registration pack (cover with the CCG map, and coverage; {len(project.practices)} practices): "
          f"{pack_s:.3f} s")
    drafts = sum(d.document.draft for d in done)
    print(f"{drafts} of {len(done)} agreements are DRAFT (error findings or missing data)")
    print(f"CPU time per agreement: {cpu_per:.3f} s")
    print(f"target: under 0.3 s per agreement; wall {mean:.3f} s "
          f"({'met' if mean < 0.3 else 'NOT met'}), CPU {cpu_per:.3f} s "
          f"({'met' if cpu_per < 0.3 else 'NOT met'}); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
