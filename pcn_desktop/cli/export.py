"""`pcn-desktop export PROJECT OUT [--what practices|areas|boundaries]`: write a project's assignments.

The format follows OUT's extension: .csv, .gpkg or .geojson. ``practices`` (the default)
is the practice->network CSV that ``pcn-desktop import`` reads back; ``areas`` is the
area->network CSV or the area polygons with their network; ``boundaries`` is the network
polygons (exit 2 when the project has none yet).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..io.exports import ExportError, write_areas, write_boundaries, write_practices_csv
from . import CliError
from .common import add_project_argument, open_project

WRITERS = {"practices": write_practices_csv, "areas": write_areas, "boundaries": write_boundaries}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write practices, areas or network boundaries to CSV/GeoPackage/GeoJSON")
    add_project_argument(p)
    p.add_argument("out", metavar="OUT", help="output file: .csv, .gpkg or .geojson")
    p.add_argument("--what", choices=sorted(WRITERS), default="practices", help="what to write (default practices)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".gpkg", ".geojson", ".json"):
        raise CliError(f"{out}: unknown extension; use .csv, .gpkg or .geojson")
    if args.what == "practices" and out.suffix.lower() != ".csv":
        raise CliError(f"{out}: practices are written as .csv")
    project = open_project(args.project, args.scenario)
    try:
        count = WRITERS[args.what](project, out)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    print(f"{out}: {count:,} {args.what}")
    return 0
