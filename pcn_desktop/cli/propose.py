"""`pcn-desktop propose PROJECT [--name NAME] [--from SCENARIO] [--count N] [--min 30000]
[--max N] [--max-distance-km K] [--touching] [--same-place] [--lock CODE...] [--together A,B]
[--apart A,B] [--allow-dissolve] [--time-limit S] [--json]`

Finds configurations that pass every error-level rule a move can fix with the fewest changes
(see ``pcn_desktop.formation``), saves each as a scenario copied from SCENARIO with the moves
made (NAME, or NAME-1 ... NAME-N with --count), prints each proposal's moves and scores.
Exit 0 when at least one proposal was saved, 1 when the constraints admit none.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ..domain.model import Project
from ..domain.scenarios import UnknownScenario, check_name
from ..domain.wording import plural
from ..formation import FormationError, NoProposal, Proposal, ProposeOptions, SaveProposal, propose
from ..formation.engine import ProposeResult
from ..settings import rule_settings_for
from . import CliError
from .common import add_project_argument, open_project
from .editing import holding, save_or_refuse

DEFAULT_NAME = "proposal"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("propose", help="propose configurations that pass the rules with the fewest moves")
    add_project_argument(p)
    p.add_argument("--name", default=DEFAULT_NAME,
                   help=f"scenario to save (NAME-1 ... NAME-N with --count; default {DEFAULT_NAME!r})")
    p.add_argument("--from", dest="source", metavar="SCENARIO", help="scenario to start from (default: the active one)")
    p.add_argument("--count", type=int, default=1, metavar="N", help="distinct proposals wanted (default 1)")
    p.add_argument("--min", dest="minimum", type=int, metavar="N",
                   help="size floor (default: the list-size-minimum setting, 30,000)")
    p.add_argument("--max", dest="maximum", type=int, metavar="N", help="size ceiling for every network")
    p.add_argument("--max-distance-km", type=float, metavar="K",
                   help="a practice may join only a network with a member within K km of it")
    p.add_argument("--touching", action="store_true",
                   help="a practice may join a network whose area touches its own small area "
                        "(with --max-distance-km: either will do)")
    p.add_argument("--same-place", action="store_true", help="moves stay within one local authority")
    p.add_argument("--lock", nargs="+", action="extend", default=[], metavar="CODE",
                   help="practices (ODS code) or networks (code or name) that must not change")
    p.add_argument("--together", action="append", default=[], metavar="A,B",
                   help="practices that must end in one network (repeatable)")
    p.add_argument("--apart", action="append", default=[], metavar="A,B",
                   help="practices that must end in different networks (repeatable)")
    p.add_argument("--allow-dissolve", action="store_true", help="a network may lose every member and go")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                   help="seconds per solver run (moves; then patients and distance); past it the best found is kept, marked not proven optimal")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def options_from(args: argparse.Namespace) -> ProposeOptions:
    if args.count < 1:
        raise CliError(f"--count must be at least 1, not {args.count}")
    for flag, value in (("--min", args.minimum), ("--max", args.maximum)):
        if value is not None and value < 0:
            raise CliError(f"{flag} must not be negative")
    if args.max_distance_km is not None and args.max_distance_km <= 0:
        raise CliError("--max-distance-km must be above 0")
    if args.time_limit <= 0:
        raise CliError("--time-limit must be above 0")
    return ProposeOptions(minimum=args.minimum, maximum=args.maximum, max_distance_km=args.max_distance_km,
                          touching=args.touching, same_place=args.same_place, lock=tuple(args.lock),
                          together=tuple(_pair(t, "--together") for t in args.together),
                          apart=tuple(_pair(a, "--apart") for a in args.apart),
                          allow_dissolve=args.allow_dissolve, count=args.count, time_limit_s=args.time_limit)


def _pair(text: str, flag: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    if len(codes) < 2:
        raise CliError(f"{flag} {text}: give two or more practice codes separated by commas")
    return codes


def scenario_names(name: str, count: int) -> list[str]:
    return [name] if count == 1 else [f"{name}-{i}" for i in range(1, count + 1)]


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    options = options_from(args)
    source_name = args.source or project.active_scenario
    try:
        source = project.scenario(source_name)
    except UnknownScenario as exc:
        raise CliError(f"{args.project}: {exc}") from None
    names = scenario_names(args.name, options.count)
    for name in names:                      # refuse before minutes of solving, not after
        try:
            check_name(name, project.scenario_names())
        except ValueError as exc:
            raise CliError(f"{args.project}: {exc}") from None
    try:
        result = propose(source, rule_settings_for(source), options)
    except NoProposal as exc:
        raise CliError(f"{args.project}: {exc}", status=1) from None
    except FormationError as exc:
        raise CliError(f"{args.project}: {exc}") from None
    # The project is held only while saving, not for the minutes a search may take: a save
    # takes in what others saved meanwhile and refuses only on a real clash.
    with holding(args.project, "propose"):
        save_proposals(project, source_name, result.proposals, names)
        save_or_refuse(project, args.project)
    if args.json:
        json.dump({"from": source_name, "proposals": [p.as_json() for p in result.proposals],
                   "note": result.note, "rejected_by_rules_engine": result.rejected},
                  sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print_proposals(source_name, result, sys.stdout)
    return 0


def save_proposals(project: Project, source: str, proposals: list[Proposal], names: list[str]) -> None:
    """Each proposal as a scenario copied from ``source`` with its moves made (journalled;
    boundaries built from registrations follow)."""
    # a copy is listed just after its source: saving the last first keeps NAME-1 ... NAME-N in order
    for proposal, name in reversed(list(zip(proposals, names))):
        SaveProposal(source, name, proposal).do(project)


def print_proposals(source: str, result: ProposeResult, out: TextIO) -> None:
    for proposal in result.proposals:
        s = proposal.scores
        proven = "proven optimal" if proposal.optimal else "best found, not proven optimal"
        out.write(f"{proposal.scenario} (from {source}): {plural(s['practices_moved'], 'practice')}, "
                  f"{plural(s['patients_moved'], 'patient')} moved; {plural(s['networks_dissolved'], 'network')} dissolved; "
                  f"mean {s['mean_km_to_network_centre']:.2f} km to the network's centre; {proven} "
                  f"({proposal.seconds:.2f} s)\n")
        for m in proposal.moves:
            out.write(f"  {m.practice:<8} {m.from_key or '(none)'} -> {m.to_key or '(none: closed)'}  "
                      f"{m.list_size:,} patients\n")
        for _, key in proposal.dissolved:
            out.write(f"  dissolve {key}\n")
        for f in proposal.remaining_errors:
            out.write(f"  still an error (no move fixes it): {f.message}\n")
    if result.note:
        out.write(f"{result.note}\n")
    if result.rejected:
        out.write(f"{plural(result.rejected, 'solver answer')} broke another rule and "
                  f"{'was' if result.rejected == 1 else 'were'} set aside\n")
