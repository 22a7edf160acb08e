"""`pcn-desktop compare PROJECT A B [C ...] [--json] [--out FILE.pdf]`: scenario B (and any
further options) side by side with scenario A.

Text or JSON: the practices that moved (from -> to, patients), each network's size before and
after, the findings that appear and disappear, and funding by network before and after.
``--out`` writes the workshop PDF, one page per option (map, moves, sizes, money). With one
option the JSON is ``{"a", "b", "moves", "networks", "findings", "funding"}``; with several,
``{"comparisons": [...]}`` of those.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from ..domain.wording import plural
from ..reports.comparison import Comparison, compare_scenarios
from . import CliError
from .common import add_project_argument, open_project, scenario_or_refuse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare scenarios: moves, sizes, findings and funding; PDF for a workshop")
    add_project_argument(p, scenario=False)
    p.add_argument("a", metavar="A", help="the scenario compared against (e.g. current)")
    p.add_argument("b", metavar="B", nargs="+", help="the option(s) compared with A")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--out", metavar="FILE.pdf", help="also write the comparison PDF, one page per option")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project)
    for name in [args.a] + args.b:
        scenario_or_refuse(project, args.project, name)
    comparisons = [compare_scenarios(project, args.a, b) for b in args.b]
    if args.out:
        if not args.out.lower().endswith(".pdf"):
            raise CliError(f"{args.out}: the comparison is written as PDF; name a .pdf file")
        from ..reports.comparison_pdf import write_comparison_pdf  # noqa: PLC0415 — reportlab only for --out
        try:
            pages = write_comparison_pdf(project, comparisons, args.out)
        except OSError as exc:
            raise CliError(f"{args.out}: cannot write ({exc.strerror or exc})") from None
        if not args.json:
            print(f"{args.out}: {plural(pages, 'page')}")
    if args.json:
        data: Any = comparisons[0].as_json() if len(comparisons) == 1 else {
            "comparisons": [c.as_json() for c in comparisons]}
        json.dump(data, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        for c in comparisons:
            print_comparison(c, sys.stdout)
    return 0


def print_comparison(c: Comparison, out: TextIO) -> None:
    counted = f" (lists counted at {c.list_date.isoformat()})" if c.list_date else ""
    out.write(f"{c.b} compared with {c.a}{counted}\n\n")
    out.write(f"Moves: {plural(len(c.moves), 'practice')}, {plural(c.patients_moved, 'patient')}\n")
    for m in c.moves:
        out.write(f"  {m.practice:<8} {m.source or 'none'} -> {m.target or 'none'}  {m.list_size:>8,}  {m.name}\n")
    changed = [n for n in c.networks if n.changed]
    out.write(f"\nNetworks whose size changes: {len(changed)}\n")
    width = max([len(n.name) for n in changed] + [7])
    for n in changed:
        before = "-" if n.before is None else f"{n.before:,}"
        after = "-" if n.after is None else f"{n.after:,}"
        out.write(f"  {n.name:<{width}}  {n.network:<8} {before:>9} -> {after:>9}\n")
    for title, findings in (("Findings that appear", c.added), ("Findings that disappear", c.removed)):
        out.write(f"\n{title}: {len(findings)}\n")
        for f in findings:
            out.write(f"  {f.severity.value.upper():<7} {f.rule}  {f.message}\n")
    if c.funding_problem:
        out.write(f"\nFunding not computed: {c.funding_problem}\n")
    elif c.funding:
        money = [f for f in c.funding if f.before != f.after or f.arrs_before != f.arrs_after]
        out.write(f"\nFunding {c.funding_year} (payments to networks and practices; ARRS entitlement): "
                  f"{plural(len(money), 'network changes', 'networks change')}\n")
        for f in money + [c.funding_total()]:
            out.write(f"  {f.network:<10} {_money(f.before):>12} -> {_money(f.after):>12}   ARRS "
                      f"{_money(f.arrs_before):>12} -> {_money(f.arrs_after):>12}\n")
    out.write("\n")


def _money(value: float | None) -> str:
    return "-" if value is None else f"£{value:,.0f}"
