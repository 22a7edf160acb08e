"""`pcn-desktop boundaries PROJECT --from-registrations [--min-share X] [--reset-edits]` and
`pcn-desktop boundaries PROJECT --import FILE [--layer L]`: build or import every network's
boundary, print a summary per network (areas, parts, patients living inside) and save.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TextIO

from ..domain.model import Project
from ..geo.boundaries import build_from_registrations
from ..geo.importing import BoundaryImportError, import_boundaries
from ..geo.measures import measure_networks
from ..settings import rule_settings_for
from ..io.errors import one_line
from ..store.database import is_database_url
from ..store.leftovers import save_problem
from . import CliError
from .common import add_as_at_argument, add_project_argument, apply_as_at, existing_path, forget_as_at, open_project
from .editing import holding, save_or_refuse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("boundaries", help="build network boundaries from registrations, or import them")
    add_project_argument(p)
    add_as_at_argument(p)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--from-registrations", action="store_true",
                     help="each small area goes to the network with most of its registered patients")
    how.add_argument("--import", dest="import_file", type=existing_path, metavar="FILE",
                     help="one polygon per network (GeoJSON, GeoPackage or shapefile), matched by code or name")
    p.add_argument("--min-share", type=float, default=None, metavar="X",
                   help="leave an area unassigned (contested) when its leader holds less than this share "
                        "(default: the boundary_min_share setting)")
    p.add_argument("--reset-edits", action="store_true", help="drop hand-edited area assignments")
    p.add_argument("--layer", help="layer to read from a GeoPackage")
    p.add_argument("--replace-all", action="store_true",
                   help="with --import: also remove the boundaries of networks the file has no polygon for")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not is_database_url(args.project):
        problem = save_problem(Path(args.project))   # before building: say so now, not after the work
        if problem:
            raise CliError(problem)
    with holding(args.project, "boundaries"):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.scenario)
    apply_as_at(project, args)
    settings = rule_settings_for(project)
    lines: list[str] = []
    if args.from_registrations:
        if not project.areas:
            raise CliError(f"{args.project}: the project has no small areas; import area polygons first")
        if not project.registrations:
            raise CliError(f"{args.project}: the project has no registrations by area; import them first")
        share = settings.boundary_min_share if args.min_share is None else args.min_share
        if not 0.0 <= share <= 1.0:
            raise CliError(f"--min-share must be between 0 and 1, not {share:g}")
        result = build_from_registrations(project, share, reset_edits=args.reset_edits)
        lines.append(f"{result.assigned} of {len(project.areas)} areas assigned by the plurality rule"
                     f"{f' (min share {share:g})' if share else ''}; {len(result.contested)} contested; "
                     f"{len(result.edits_kept)} hand edits kept")
        for code in result.unassigned[:20]:
            why = " (contested)" if code in result.contested else ""
            lines.append(f"  unassigned: {code} {project.areas[code].name}{why}")
        if len(result.unassigned) > 20:
            lines.append(f"  ... and {len(result.unassigned) - 20} more unassigned")
    else:
        try:
            result_i = import_boundaries(project, args.import_file, layer=args.layer, replace_all=args.replace_all)
        except BoundaryImportError as exc:
            raise CliError(one_line(str(exc))) from None
        features = sum(map(len, result_i.matched.values())) + len(result_i.unmatched)
        lines.append(f"{len(result_i.matched)} networks matched from {args.import_file} "
                     f"({features - len(result_i.unmatched)} of {features} features matched, "
                     f"{len(result_i.unmatched)} unmatched); {result_i.areas_assigned} areas lie inside them")
        for number, name in result_i.unmatched:
            lines.append(f"  unmatched: feature {number} ({name})")
        for nid in result_i.networks_without:
            lines.append(f"  no polygon for {project.networks[nid].name}")
    summary = io.StringIO()
    print_summary(project, summary)        # at --as-at, before the project's own date returns
    forget_as_at(project, args)
    # Saved before anything is printed: the build is never lost to the output failing
    # (a closed pipe, a console that cannot show a name).
    save_or_refuse(project, args.project)
    print("\n".join(lines))
    sys.stdout.write(summary.getvalue())
    return 0


def print_summary(project: Project, out: TextIO) -> None:
    measures = measure_networks(project, rule_settings_for(project))
    nets = project.sorted_networks()
    width = max([len(n.name) for n in nets] + [7])
    out.write(f"\n{'Network':<{width}}  {'Areas':>5} {'Parts':>5} {'Inside':>7}\n")
    for net in nets:
        g = measures[net.id]
        inside = "-" if g.patients_inside_share is None else f"{g.patients_inside_share:.1%}"
        out.write(f"{net.name:<{width}}  {g.areas:>5} {g.parts:>5} {inside:>7}\n")
