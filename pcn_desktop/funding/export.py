"""Funding figures as a table, written to CSV or XLSX with the same rows and numbers.

One row per network and a CCG total row: each payment stream, the ARRS entitlement, the
plan's cost, what it can reimburse, the headroom (negative = over the entitlement), and how
the weighted and adjusted populations were obtained. A second table lists the plan by role.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .model import CcgFunding, NetworkFunding

FIXED_HEAD = ["network_code", "network_name", "registered_list", "weighted_population", "weighted_basis",
              "adjusted_population", "adjusted_basis"]
ARRS_HEAD = ["network_payments", "practice_payments", "arrs_entitlement", "plan_cost",
             "arrs_reimbursable", "arrs_headroom"]
ROLE_HEAD = ["network_code", "network_name", "scenario", "role", "wte", "start", "end", "annual_cost",
             "months_in_year", "cost", "reimbursable", "unfunded", "entitlement", "notes"]


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summary_table(ccg: CcgFunding) -> tuple[list[str], list[list[Any]]]:
    """(header, rows): one row per network, then the CCG total. None = not known."""
    streams = ccg.stream_keys()
    header = FIXED_HEAD + [k for k, _ in streams] + ARRS_HEAD
    rows: list[list[Any]] = []
    for n in ccg.networks:
        rows.append([n.key if n.key != n.name else "", n.name, n.inputs.registered,
                     round(n.inputs.weighted.value, 2), n.inputs.weighted.how,
                     round(n.inputs.adjusted.value, 2), n.inputs.adjusted.how]
                    + [_money(s.amount) if (s := n.stream(k)) else None for k, _ in streams]
                    + [n.network_payments, n.practice_payments, _money(n.entitlement), n.plan_cost,
                       n.reimbursable, _money(n.headroom)])
    rows.append(["", f"CCG total ({ccg.year})", ccg.registered, None, "", None, ""]
                + [_money(ccg.stream_total(k)) for k, _ in streams]
                + [ccg.network_payments, ccg.practice_payments, _money(ccg.entitlement), ccg.plan_cost,
                   ccg.reimbursable, _money(ccg.headroom)])
    return header, rows


def role_table(ccg: CcgFunding) -> tuple[list[str], list[list[Any]]]:
    rows: list[list[Any]] = []
    for n in ccg.networks:
        rows.extend(_role_rows(n))
    return ROLE_HEAD, rows


def _role_rows(n: NetworkFunding) -> list[list[Any]]:
    out = []
    for r in n.roles:
        p = r.planned
        notes = "; ".join(x for x in (r.problem,
                                      "not eligible some months" if r.ineligible_months else "",
                                      "maximum unknown some months" if r.unknown_cap_months else "") if x)
        out.append([n.key if n.key != n.name else "", n.name, n.scenario, r.label, p.wte, p.start, p.end,
                    p.annual_cost, r.months, r.cost, r.reimbursable, r.unfunded, r.entitlement, notes])
    return out


def write_csv(ccg: CcgFunding, path: str | Path) -> None:
    header, rows = summary_table(ccg)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows([["" if v is None else v for v in row] for row in rows])


def write_xlsx(ccg: CcgFunding, path: str | Path) -> None:
    from openpyxl import Workbook          # only when a workbook is wanted
    wb = Workbook()
    ws = wb.active
    ws.title = f"Funding {ccg.year.replace('/', '-')}"
    for title, (header, rows) in ((None, summary_table(ccg)), ("ARRS by role", role_table(ccg))):
        sheet = ws if title is None else wb.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for i, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(12, min(40, len(name) + 2))
    wb.save(path)


def write_table(ccg: CcgFunding, path: str | Path) -> None:
    """By the file's suffix: .xlsx or .csv."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(ccg, path)
    elif suffix == ".csv":
        write_csv(ccg, path)
    else:
        raise ValueError(f"{path}: write .xlsx or .csv")
