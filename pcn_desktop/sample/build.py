"""The shipped sample: the generated CCG with its network boundaries built, and a canonical
dump that says whether two projects hold the same content (SQLite bytes differ run to run)."""
from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

import shapely

from ..domain.model import Project
from .generate import GENERATED_AT, SAMPLE_SEED, generate_sample


def build_shipped_sample(seed: int = SAMPLE_SEED) -> Project:
    """What ``resources/sample/sample_ccg.pcnproj`` holds: the generated project plus the
    area assignments and boundaries the plurality rule gives from its registrations."""
    from ..geo.boundaries import build_from_registrations   # geography sits above this module's core
    project = generate_sample(seed)
    build_from_registrations(project, when=GENERATED_AT)
    return project


def _wkt(geom: Any) -> str | None:
    return None if geom is None else shapely.to_wkt(geom, rounding_precision=6, trim=True)


def canonical_dump(project: Project) -> str:
    """Everything a project holds, as sorted JSON: equal dumps mean equal projects."""
    data = {
        "name": project.name,
        "scenarios": project.scenario_names(),
        "active_scenario": project.active_scenario,
        "settings": dict(project.settings),
        "practices": {c: {**{f.name: getattr(p, f.name) for f in fields(p)}, "status": p.status.value,
                          "address": list(p.address)}
                      for c, p in project.practices.items()},
        "list_sizes": {c: {d.isoformat(): n for d, n in sizes.items()}
                       for c, sizes in project.list_sizes.items() if sizes},
        "areas": {c: [a.name, a.place, _wkt(a.geometry)] for c, a in project.areas.items()},
        "registrations": {d.isoformat(): sorted([p, a, n] for (p, a), n in rows.items())
                          for d, rows in project.registrations.items()},
        "networks": {n.id: {**vars(n), "director": vars(n.director) if n.director else None}
                     for n in project.networks.values()},
        "memberships": sorted([m.practice_code, m.network_id, str(m.start), str(m.end)]
                              for m in project.memberships),
        "boundaries": {nid: [_wkt(b.geometry), b.provenance, str(b.built)] for nid, b in project.boundaries.items()},
        "area_assignments": project.area_assignments,
        "workforce": {nid: [vars(r) for r in roles] for nid, roles in project.workforce.items() if roles},
        "audit": [vars(e) for e in project.audit],
    }
    return json.dumps(data, sort_keys=True, default=str, indent=1)
