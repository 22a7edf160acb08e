"""`pcn-desktop export PROJECT OUT [--what practices|areas|boundaries]`: write a project's assignments.

The format follows OUT's extension: .csv, .xlsx, .gpkg or .geojson. ``practices`` (the
default) is the practice->network list, CSV or Excel, that ``pcn-desktop import`` reads back; ``areas`` is the
area->network CSV or the area polygons with their network; ``boundaries`` is the network
polygons (exit 2 when the project has none yet).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..io.exports import ExportError, write_areas, write_boundaries, write_practices
from . import CliError
from .common import add_as_at_argument, add_project_argument, apply_as_at, open_project
from .outputs import make_parent

WRITERS = {"practices": write_practices, "areas": write_areas, "boundaries": write_boundaries}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write practices, areas or network boundaries to CSV/Excel/GeoPackage/GeoJSON")
    add_project_argument(p)
    add_as_at_argument(p)
    p.add_argument("out", metavar="OUT", help="output file: .csv, .xlsx (practices), .gpkg or .geojson")
    p.add_argument("--what", choices=sorted(WRITERS), default="practices", help="what to write (default practices)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx", ".gpkg", ".geojson", ".json"):
        raise CliError(f"{out}: unknown extension; use .csv, .xlsx, .gpkg or .geojson")
    if args.what == "practices" and out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"{out}: practices are written as .csv or .xlsx")
    if args.what != "practices" and out.suffix.lower() == ".xlsx":
        raise CliError(f"{out}: only practices are written as .xlsx; write {args.what} as .csv, .gpkg or .geojson")
    make_parent(out)
    project = open_project(args.project, args.scenario)
    apply_as_at(project, args)
    try:
        count = WRITERS[args.what](project, out)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    print(f"{out}: {count:,} {args.what}")
    return 0
