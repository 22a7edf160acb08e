"""`pcn-desktop validate PROJECT [--json]`: every rule over every network.

Exit status 1 when any finding is an error, else 0. The JSON shape is part of the
command-line contract (README): networks with code, name, list_size, practices and
measures; findings with rule, severity, network, practice, message, value.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from ..domain.model import Project
from ..domain.rules import evaluate
from ..settings import rule_settings_for
from .common import add_project_argument, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check the registration rules; exit 1 on any error")
    add_project_argument(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.scenario)
    report = validation_report(project)
    if args.json:
        json.dump(report, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print_table(project, report, sys.stdout)
    return 1 if any(f["severity"] == "error" for f in report["findings"]) else 0


def network_measures(project: Project) -> dict[str, dict[str, Any]]:
    """Geography figures per network id (the geo layer computes them; none without areas)."""
    from ..geo.measures import network_measures as measure   # geometry libraries load only here
    return measure(project)


def validation_report(project: Project) -> dict[str, Any]:
    settings = rule_settings_for(project)
    findings = evaluate(project, settings)
    at = settings.counting_date(project.list_dates())
    measures = network_measures(project)
    networks = [{
        "code": net.code,
        "name": net.name,
        "list_size": project.network_list_size(net.id, at),
        "practices": sorted(project.members(net.id)),
        "measures": measures.get(net.id, {}),
    } for net in project.sorted_networks()]
    return {"scenario": project.scenario_name,
            "list_date": at.isoformat() if at else None,
            "networks": networks,
            "findings": [f.as_json() for f in findings]}


def print_table(project: Project, report: dict[str, Any], out: TextIO) -> None:
    nets = report["networks"]
    width = max([len(n["name"]) for n in nets] + [7])
    counted = f" (lists counted at {report['list_date']})" if report["list_date"] else ""
    scenario = f", scenario {project.scenario_name}" if len(project.scenario_names()) > 1 else ""
    out.write(f"{project.name}{scenario}: {len(nets)} networks, {len(project.practices)} practices{counted}\n\n")
    out.write(f"{'Network':<{width}}  {'Code':<7} {'Practices':>9} {'List size':>10}\n")
    for n in nets:
        out.write(f"{n['name']:<{width}}  {n['code'] or '-':<7} {len(n['practices']):>9} {n['list_size']:>10,}\n")
    findings = report["findings"]
    out.write("\n")
    if not findings:
        out.write("No findings: every rule holds.\n")
        return
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    out.write(f"Findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info\n")
    rule_w = max(len(f["rule"]) for f in findings)
    for f in findings:
        out.write(f"  {f['severity'].upper():<7} {f['rule']:<{rule_w}}  {f['message']}\n")
