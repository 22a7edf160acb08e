"""`pcn-desktop history PROJECT [--json] [--network CODE] [--since DATE] [--who NAME]
[--scenario NAME]`: every recorded change, newest first (who, when, what, old -> new, scenario)."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ..domain.history import HistoryFilter, as_json, filtered, scenario_of
from . import CliError
from .common import add_project_argument, network_or_refuse, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="the project's history: who changed what, when, old -> new")
    add_project_argument(p, scenario=False)
    p.add_argument("--json", action="store_true", help="a JSON array of {when, who, scenario, what, old, new}")
    p.add_argument("--network", metavar="CODE", help="only changes concerning this network (code or name)")
    p.add_argument("--since", metavar="DATE", type=_date, help="only changes on or after this date (YYYY-MM-DD)")
    p.add_argument("--who", metavar="NAME", default="", help="only changes by this user")
    p.add_argument("--scenario", metavar="NAME", default=None, help="only changes made in this scenario")
    p.set_defaults(run=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    network = network_or_refuse(project, args.project, args.network) if args.network else None
    if args.scenario is not None and args.scenario not in project.scenario_names():
        known = ", ".join(project.scenario_names())
        raise CliError(f"{args.project}: no scenario {args.scenario!r} (scenarios: {known})")
    keep = HistoryFilter.for_network(network, since=args.since, who=args.who, scenario=args.scenario)
    entries = filtered(project.audit, keep)
    if args.json:
        json.dump([as_json(e) for e in entries], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    if not entries:
        print("no changes recorded" + (" that match" if network or args.since or args.who or args.scenario else ""))
        return 0
    # the who column as wide as its longest name (a script's path ran into the next column)
    who = max(12, *(len(e.who) for e in entries))
    for e in entries:
        scenario = f" [{scenario_of(e)}]" if scenario_of(e) else ""
        change = f"{e.old or '-'} -> {e.new or '-'}" if (e.old or e.new) else ""
        print(f"{e.when:%Y-%m-%d %H:%M:%S}  {e.who:<{who}} {e.what}{scenario}: {change}".rstrip(": "))
    return 0
