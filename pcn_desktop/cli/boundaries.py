"""`pcn-desktop boundaries PROJECT --from-registrations [--min-share X] [--reset-edits]` and
`pcn-desktop boundaries PROJECT --import FILE [--layer L]`: build or import every network's
boundary, print a summary per network (areas, parts, patients living inside) and save.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..domain.model import Project
from ..geo.boundaries import build_from_registrations
from ..geo.importing import BoundaryImportError, import_boundaries
from ..geo.measures import measure_networks
from ..settings import rule_settings_for
from ..io.errors import one_line
from ..store import ProjectFileError, save_project
from ..store.leftovers import save_problem
from . import CliError
from .common import add_project_argument, existing_path, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("boundaries", help="build network boundaries from registrations, or import them")
    add_project_argument(p)
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
    project = open_project(args.project)
    problem = save_problem(Path(args.project))       # before building: say so now, not after the work
    if problem:
        raise CliError(problem)
    settings = rule_settings_for(project)
    if args.from_registrations:
        if not project.areas:
            raise CliError(f"{args.project}: the project has no small areas; import area polygons first")
        if not project.registrations:
            raise CliError(f"{args.project}: the project has no registrations by area; import them first")
        share = settings.boundary_min_share if args.min_share is None else args.min_share
        if not 0.0 <= share <= 1.0:
            raise CliError(f"--min-share must be between 0 and 1, not {share:g}")
        result = build_from_registrations(project, share, reset_edits=args.reset_edits)
        print(f"{result.assigned} of {len(project.areas)} areas assigned by the plurality rule"
              f"{f' (min share {share:g})' if share else ''}; {len(result.contested)} contested; "
              f"{len(result.edits_kept)} hand edits kept")
        for code in result.unassigned[:20]:
            why = " (contested)" if code in result.contested else ""
            print(f"  unassigned: {code} {project.areas[code].name}{why}")
        if len(result.unassigned) > 20:
            print(f"  ... and {len(result.unassigned) - 20} more unassigned")
    else:
        try:
            result_i = import_boundaries(project, args.import_file, layer=args.layer, replace_all=args.replace_all)
        except BoundaryImportError as exc:
            raise CliError(one_line(str(exc))) from None
        features = sum(map(len, result_i.matched.values())) + len(result_i.unmatched)
        print(f"{len(result_i.matched)} networks matched from {args.import_file} "
              f"({features - len(result_i.unmatched)} of {features} features matched, "
              f"{len(result_i.unmatched)} unmatched); {result_i.areas_assigned} areas lie inside them")
        for number, name in result_i.unmatched:
            print(f"  unmatched: feature {number} ({name})")
        for nid in result_i.networks_without:
            print(f"  no polygon for {project.networks[nid].name}")
    print_summary(project, sys.stdout)
    try:
        save_project(project, args.project)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
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
