"""`pcn-desktop assign PROJECT PRACTICE NETWORK [--scenario NAME]`: move one practice, as the
window would, and save.

NETWORK is a code or a name, or `none` to leave the practice in no network. The move goes
through the same command as a drag in the window: the old membership ends, the audit log
records it (with the scenario), and boundaries built from registrations follow it.
"""
from __future__ import annotations

import argparse

from ..domain.commands import MovePractice
from ..store import save_project
from . import CliError
from .common import add_project_argument, network_or_refuse, open_project

NO_NETWORK = "none"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assign", help="move a practice to a network (journalled like a window edit)")
    add_project_argument(p)
    p.add_argument("practice", metavar="PRACTICE", help="the practice's ODS code")
    p.add_argument("network", metavar="NETWORK", help=f"the network's code or name, or '{NO_NETWORK}'")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..geo.commands import follow_geography  # noqa: PLC0415 — geometry loads only for this verb
    project = open_project(args.project, args.scenario)
    code = args.practice.strip().upper()
    if code not in project.practices:
        raise CliError(f"{args.project}: no practice {args.practice!r}")
    target = None if args.network.strip().lower() == NO_NETWORK else network_or_refuse(
        project, args.project, args.network)
    current = [project.networks[n] for n in project.networks_of(code)]
    if target is not None and [n.id for n in current] == [target.id]:
        print(f"{code} is already in {target.name} ({target.key}) in scenario {project.scenario_name}; "
              "nothing to do")
        return 0
    if target is None and not current:
        print(f"{code} is in no network in scenario {project.scenario_name}; nothing to do")
        return 0
    follow_geography(MovePractice(code, target.id if target else None)).do(project)
    save_project(project, args.project)
    before = ", ".join(n.key for n in current) or "no network"
    print(f"{code}: {before} -> {target.key if target else 'no network'} in scenario {project.scenario_name}; "
          f"saved {args.project}")
    return 0
