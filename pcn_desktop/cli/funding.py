"""`pcn-desktop funding PROJECT [--year 2020/21] [--json] [--out FILE.xlsx|.csv]`.

Every network's payments (one figure per stream), ARRS entitlement, plan cost, reimbursable
amount and headroom, and the CCG total, for one contract year (default: the project's
``contract_year`` setting, else the latest year with a policy file). A figure no source
gives is shown as "n/k" (JSON null) with its status; set it in Funding settings.
``--export-plan FILE.csv`` writes the workforce plans in the CSV that ``import`` reads.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from ..domain.counting import extract_used
from ..domain.model import Project
from ..domain.wording import plural
from ..funding.export import write_table
from ..funding.model import CcgFunding, NetworkFunding, ccg_funding
from ..funding.policy import Policy, PolicyError
from ..funding.policy_store import available_years, policy_for, year_of_project
from ..io.workforce_csv import write_plan_csv
from ..settings import rule_settings_for
from . import CliError
from .common import add_as_at_argument, add_project_argument, apply_as_at, open_project
from .outputs import output_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("funding", help="payments and ARRS for every network and the CCG, by contract year")
    add_project_argument(p)
    add_as_at_argument(p)
    p.add_argument("--year", help="contract year, e.g. 2020/21 (default: the project's, else the latest)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--out", metavar="FILE", help="also write the table to FILE.xlsx or FILE.csv")
    p.add_argument("--export-plan", metavar="FILE.csv", help="write the workforce plans as CSV")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.out:
        output_file(args.out, (".xlsx", ".csv"), "the funding table")
    if args.export_plan:
        output_file(args.export_plan, (".csv",), "the workforce plan")
    project = open_project(args.project, args.scenario)
    apply_as_at(project, args)
    try:
        year = args.year or year_of_project(project)
        policy = policy_for(year)
    except PolicyError as exc:
        raise CliError(str(exc)) from None
    if args.year and args.year not in available_years():
        raise CliError(f"no policy for {args.year} (have: {', '.join(available_years())})")
    ccg = ccg_funding(project, policy, "", rule_settings_for(project).director_wte_per_50000)
    if args.out:
        try:
            write_table(ccg, args.out)
        except ValueError as exc:
            raise CliError(str(exc)) from None
        except OSError as exc:
            raise CliError(f"{args.out}: cannot write ({exc.strerror})") from None
    if args.export_plan:
        try:
            write_plan_csv(project, args.export_plan)
        except OSError as exc:
            raise CliError(f"{args.export_plan}: cannot write ({exc.strerror})") from None
    counts = counts_used(project, policy)
    if args.json:
        json.dump({**funding_report(ccg, policy), **counts}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_table(project.name, ccg, policy, sys.stdout, counts)
    return 0


def counts_used(project: Project, policy: Policy) -> dict[str, Any]:
    """Which counts the figures use: the project's, at its one counting date, whatever the year
    picked; ``counts_note`` says so when that is not the year's own list date."""
    counted = extract_used(project, project.counting_date)
    note = ""
    if counted is None:
        note = "the project holds no list counts: every list is 0"
    elif counted != policy.list_date:
        note = (f"{policy.year} counts lists at {policy.list_date.isoformat()}; the project's counts of "
                f"{counted.isoformat()} are used (memberships as at "
                f"{(project.counting_date or counted).isoformat()}), as the project holds none of that date")
        if policy.list_date in project.list_dates():
            note = (f"{policy.year} counts lists at {policy.list_date.isoformat()}; the counts of "
                    f"{counted.isoformat()} are used: recount with --as-at {policy.list_date.isoformat()}")
    return {"list_date": counted.isoformat() if counted else None,
            "as_at": project.counting_date.isoformat() if project.counting_date else None,
            "year_list_date": policy.list_date.isoformat(), "counts_note": note}


def _network_json(n: NetworkFunding) -> dict[str, Any]:
    return {
        "code": n.key if n.key != n.name else "",
        "name": n.name,
        "registered_list": n.inputs.registered,
        "weighted_population": {"value": round(n.inputs.weighted.value, 2), "basis": n.inputs.weighted.how},
        "adjusted_population": {"value": round(n.inputs.adjusted.value, 2), "basis": n.inputs.adjusted.how},
        "care_home_beds": n.inputs.beds,
        "streams": {s.key: {"label": s.label, "amount": s.amount, "status": s.status, "basis": s.basis,
                            "paid_to": s.paid_to} for s in n.streams},
        "network_payments": n.network_payments,
        "practice_payments": n.practice_payments,
        "director_funded_wte": n.director_funded_wte,
        "arrs": {
            "entitlement": n.entitlement,
            "entitlements": {e.key: {"label": e.label, "amount": e.amount, "reimbursable": e.reimbursable,
                                     "headroom": e.headroom} for e in n.entitlements},
            "plan_cost": n.plan_cost,
            "reimbursable": n.reimbursable,
            "claimable": n.claimable,
            "headroom": n.headroom,
            "roles": [{"role": r.planned.role, "label": r.label, "wte": r.planned.wte, "start": r.planned.start,
                       "end": r.planned.end, "annual_cost": r.planned.annual_cost, "months": r.months,
                       "cost": r.cost, "reimbursable": r.reimbursable, "entitlement": r.entitlement,
                       "eligible": not r.ineligible_months, "maximum_known": not r.unknown_cap_months}
                      for r in n.roles],
        },
    }


def funding_report(ccg: CcgFunding, policy: Policy) -> dict[str, Any]:
    return {
        "year": ccg.year,
        "scenario": ccg.scenario,
        "list_date": policy.list_date.isoformat(),
        "networks": [_network_json(n) for n in ccg.networks],
        "ccg": {
            "registered_list": ccg.registered,
            "streams": {k: ccg.stream_total(k) for k, _ in ccg.stream_keys()},
            "network_payments": ccg.network_payments,
            "practice_payments": ccg.practice_payments,
            "arrs_entitlement": ccg.entitlement,
            "plan_cost": ccg.plan_cost,
            "reimbursable": ccg.reimbursable,
            "claimable": ccg.claimable,
            "headroom": ccg.headroom,
        },
        "unknown_figures": sorted(f.id for f in policy.figures.values() if f.value is None),
        "unconfirmed_figures": {f.id: f.candidate for f in policy.figures.values() if f.status == "unconfirmed"},
    }


def _money(value: float | None) -> str:
    return "n/k" if value is None else f"{value:,.0f}"


def _cell(n: NetworkFunding, key: str) -> str:
    s = n.stream(key)
    if s is None:
        return "-"
    return "no input" if s.status == "needs input" else _money(s.amount)


def print_table(project_name: str, ccg: CcgFunding, policy: Policy, out: TextIO,
                counts: dict[str, Any] | None = None) -> None:
    streams = ccg.stream_keys()
    counted = (counts or {}).get("list_date") or policy.list_date.isoformat()
    out.write(f"{project_name}: funding {ccg.year}" + (f", scenario {ccg.scenario}" if ccg.scenario else "")
              + f" (lists counted at {counted}; £ a year)\n")
    if counts and counts.get("counts_note"):
        out.write(f"Note: {counts['counts_note']}\n")
    out.write("\n")
    cols = [("List", lambda n: f"{n.inputs.registered:,}")]
    cols += [(k, (lambda key: lambda n: _cell(n, key))(k)) for k, _ in streams]
    cols += [("ARRS entitlement", lambda n: _money(n.entitlement)), ("Plan cost", lambda n: _money(n.plan_cost)),
             ("Reimbursable", lambda n: _money(n.reimbursable)), ("Headroom", lambda n: _money(n.headroom))]
    total = {"List": f"{ccg.registered:,}", "ARRS entitlement": _money(ccg.entitlement),
             "Plan cost": _money(ccg.plan_cost), "Reimbursable": _money(ccg.reimbursable),
             "Headroom": _money(ccg.headroom)}
    total.update({k: _money(ccg.stream_total(k)) for k, _ in streams})
    body = [[n.name] + [f(n) for _, f in cols] for n in ccg.networks]
    body.append(["CCG total"] + [total[name] for name, _ in cols])
    head = ["Network"] + [name for name, _ in cols]
    widths = [max(len(str(r[i])) for r in body + [head]) for i in range(len(head))]
    out.write("  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(head)) + "\n")
    for r, row in enumerate(body):
        if r == len(body) - 1:
            out.write("-" * (sum(widths) + 2 * (len(widths) - 1)) + "\n")
        out.write("  ".join(str(v).ljust(widths[0]) if i == 0 else str(v).rjust(widths[i])
                            for i, v in enumerate(row)) + "\n")
    out.write("\nStreams: " + "; ".join(f"{k} = {label}" for k, label in streams) + "\n")
    assumed = [n for n in ccg.networks if n.inputs.weighted.assumed]
    if assumed:
        out.write(f"Weighted population assumed equal to the registered list for {plural(len(assumed), 'network')}.\n")
    unconfirmed = sorted(f"{f.id} (candidate {f.candidate:g})" for f in policy.figures.values()
                         if f.status == "unconfirmed")
    if unconfirmed:
        out.write(f"Unconfirmed for {ccg.year} (low confidence, counted as n/k until set in Funding settings): "
                  + ", ".join(unconfirmed) + "\n")
    missing = [f for f in policy.figures.values() if f.value is None and f.status != "unconfirmed"]
    unknown = sorted(f.id for f in missing if ".maximum@" not in f.id)
    maxima = sum(1 for f in missing if ".maximum@" in f.id)
    if unknown or maxima:
        out.write(f"Not found for {ccg.year} (n/k; set in Funding settings): "
                  + ", ".join(unknown + ([f"{maxima} role maxima"] if maxima else [])) + "\n")
