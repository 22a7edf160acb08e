"""`pcn-desktop map PROJECT OUT.html [--online-tiles] [--network CODE]`: the offline map.

Writes one standalone HTML file (Leaflet inlined, no tiles unless --online-tiles) that
opens in any browser with no network. Exit status 0 when written; 2 for a refusal (no such
network, the map assets not fetched, an unwritable path).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..reports.map_assets import MapAssetsMissing
from . import CliError
from .common import add_project_argument, network_or_refuse, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("map", help="write the project map as a standalone offline HTML file")
    add_project_argument(p)
    p.add_argument("out", metavar="OUT.html", type=Path, help="the HTML file to write")
    p.add_argument("--online-tiles", action="store_true",
                   help="add a street-map tile layer fetched from the internet when viewed")
    p.add_argument("--network", metavar="CODE",
                   help="zoom to this network (ODS code or name) and outline it more heavily")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..reports.map_html import render_map    # the map stack loads only for this verb
    project = open_project(args.project, args.scenario)
    if args.network:
        network_or_refuse(project, args.project, args.network)
    try:
        out = render_map(project, args.out, online_tiles=args.online_tiles, highlight=args.network)
    except MapAssetsMissing as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{args.out}: cannot write the map: {exc.strerror or exc}") from None
    size = out.stat().st_size
    print(f"{out}: {len(project.networks)} networks, {len(project.practices)} practices, "
          f"{len(project.areas)} areas; {size / 1024:,.0f} KB"
          + ("; online tiles on" if args.online_tiles else "; works offline"))
    return 0
