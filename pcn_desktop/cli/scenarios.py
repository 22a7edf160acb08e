"""`pcn-desktop scenarios PROJECT [--json] [--copy FROM NEW | --rename OLD NEW | --delete NAME |
--activate NAME]`: list a project's scenarios, or copy, rename, delete or open one.

An edit is journalled in the project's audit log, as the window's would be, and saved; the
listing follows it. Refusals (an unknown name, a name taken, deleting the open or the last
scenario) exit 2 and leave the file unchanged.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..domain.commands import Command, CommandStack
from ..domain.model import Project
from ..domain.scenario_commands import ActivateScenario, CopyScenario, DeleteScenario, RenameScenario
from ..domain.scenarios import UnknownScenario
from ..settings import rule_settings_for
from ..store import save_project
from . import CliError
from .common import add_project_argument, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="list, copy, rename, delete or open a project's scenarios")
    add_project_argument(p, scenario=False)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    edit = p.add_mutually_exclusive_group()
    edit.add_argument("--copy", nargs=2, metavar=("FROM", "NEW"), help="copy scenario FROM as NEW")
    edit.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename scenario OLD to NEW")
    edit.add_argument("--delete", metavar="NAME", help="delete a scenario (not the active one)")
    edit.add_argument("--activate", metavar="NAME", help="make NAME the scenario the project opens on")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    command = _command(args)
    if command is not None:
        try:
            CommandStack(project).push(command)
        except UnknownScenario as exc:
            raise CliError(f"{args.project}: no scenario {exc.name!r} (scenarios: {', '.join(exc.known)})") from None
        except ValueError as exc:
            raise CliError(f"{args.project}: {exc}") from None
        save_project(project, args.project)
    listing = scenario_listing(project)
    if args.json:
        json.dump(listing, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        if command is not None:
            print(f"{command.label}: saved {args.project}")
        _print(listing)
    return 0


def _command(args: argparse.Namespace) -> Command | None:
    if args.copy:
        return CopyScenario(*args.copy)
    if args.rename:
        return RenameScenario(*args.rename)
    if args.delete:
        return DeleteScenario(args.delete)
    if args.activate:
        return ActivateScenario(args.activate)
    return None


def scenario_listing(project: Project) -> dict[str, Any]:
    """``{"active": name, "scenarios": [{"name", "active", "networks", "practices_assigned",
    "errors"}]}``: each scenario's size and how many error findings it has."""
    from ..domain.rules import evaluate  # noqa: PLC0415

    settings = rule_settings_for(project)
    rows = []
    for scenario in project.scenarios():
        errors = sum(f.severity.value == "error" for f in evaluate(scenario, settings))
        assigned = sum(1 for c in project.practices if scenario.networks_of(c))
        rows.append({"name": scenario.scenario_name, "active": scenario.is_live(),
                     "networks": len(scenario.networks), "practices_assigned": assigned, "errors": errors})
    return {"active": project.active_scenario, "scenarios": rows}


def _print(listing: dict[str, Any]) -> None:
    width = max(len(r["name"]) for r in listing["scenarios"]) + 2
    print(f"  {'Scenario':<{width}} {'Networks':>8} {'Assigned':>8} {'Errors':>6}")
    for r in listing["scenarios"]:
        mark = "*" if r["active"] else " "
        print(f"{mark} {r['name']:<{width}} {r['networks']:>8} {r['practices_assigned']:>8} {r['errors']:>6}")
    print("(* the active scenario)")
