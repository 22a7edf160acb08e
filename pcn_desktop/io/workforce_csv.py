"""Workforce plans (Additional Roles) as CSV: one planned role per row.

Header (any order, case and spacing ignored)::

    network_code | network_name, role, wte, start, end, annual_cost [, scenario]

``start`` and ``end`` are months (YYYY-MM, end inclusive); ``annual_cost`` is the full-time
(1.0 WTE) annual cost, salary plus employer on-costs, which the model pro-rates by WTE and
months. ``scenario`` names the project scenario the line belongs to (empty: the scenario the
file is imported into); a name the project does not hold yet becomes a new scenario, a copy
of that one, so a what-if plan is a whole configuration like any other scenario.

Importing a file replaces, for each network and scenario it names, that network's plan in
that scenario; other networks and scenarios are left alone.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..domain.model import Network, PlannedRole, Project
from ..domain.scenarios import check_name
from ..domain.wording import plural
from ..funding.commands import check_planned_role
from .errors import ImportRefused
from .limits import import_limits
from .plausible import check_amount
from .kinds import ORDER_LATE, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import check_width, find_column, norm_header, read_text_rows
from ..textfiles import csv_for_excel

COLUMNS = ["network_code", "network_name", "role", "wte", "start", "end", "annual_cost", "scenario"]
REQUIRED = ("role", "wte", "start", "end", "annual_cost")


@dataclass(frozen=True)
class PlanRow:
    line: int
    network_code: str
    network_name: str
    planned: PlannedRole
    scenario: str = ""

    @property
    def network_ref(self) -> str:
        return self.network_code or self.network_name


def detect(sample: Sample) -> bool:
    return sample.has(*REQUIRED) and sample.has_any("network_code", "network_name")


def read_plan_rows(path: str | Path) -> list[PlanRow]:
    """Every row, checked; ImportRefused naming the file, the row and the problem."""
    path = Path(path)

    def consume(records) -> list[PlanRow]:
        try:
            _, head = next(records)
        except StopIteration:
            raise ImportRefused(path, None, "is empty") from None
        header = [norm_header(h) for h in head]
        col = {name: find_column(header, name) for name in COLUMNS}
        missing = [n for n in REQUIRED if col[n] is None]
        if missing:
            raise ImportRefused(path, 1, "missing column " + ", ".join(missing)
                                + " (a workforce plan needs " + ", ".join(REQUIRED) + ")")
        if col["network_code"] is None and col["network_name"] is None:
            raise ImportRefused(path, 1, "missing column network_code or network_name")
        rows: list[PlanRow] = []
        for line, f in records:
            if not any(x.strip() for x in f):
                continue
            check_width(path, line, f, len(head))

            def get(name: str) -> str:
                i = col[name]
                return "" if i is None else f[i].strip()

            code, name = get("network_code"), get("network_name")
            if not code and not name:
                raise ImportRefused(path, line, "no network_code or network_name")
            try:
                limits = import_limits()
                wte = check_amount(_number(get("wte"), "wte"), "wte", limits.wte_max, "wte_max")
                cost = check_amount(_number(get("annual_cost").replace("£", "").replace(",", ""), "annual_cost"),
                                    "annual_cost", limits.annual_cost_max, "annual_cost_max")
                planned = PlannedRole(get("role"), wte, get("start"), get("end"), cost)
                check_planned_role(planned)
            except ValueError as exc:
                raise ImportRefused(path, line, str(exc)) from None
            scenario = " ".join(get("scenario").split())
            if scenario:
                try:
                    check_name(scenario, [])      # it may become a new scenario: the same rules
                except ValueError as exc:
                    raise ImportRefused(path, line, f"scenario: {exc}") from None
            rows.append(PlanRow(line, code, name, planned, scenario))
        return rows

    return read_text_rows(path, consume)


def _number(text: str, column: str) -> float:
    if not text:
        raise ValueError(f"{column}: missing")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{column}: '{text}' is not a number") from None


def find_plan_network(project: Project, row: PlanRow) -> Network | None:
    return project.find_network(row.network_code) if row.network_code else project.find_network(row.network_name)


def row_scenario(project: Project, row: PlanRow) -> Project:
    """The scenario a row belongs to (``project`` itself when the row names none or it)."""
    if not row.scenario:
        return project
    try:
        return project.scenario(row.scenario)
    except ValueError:
        return project


def apply_plan_rows(project: Project, rows: list[PlanRow], path: str | Path = "") -> set[str]:
    """Replace the named networks' plans in the scenarios ``rows`` name (a new name becomes a
    copy of ``project``'s scenario); returns the network ids touched in ``project``."""
    known = {n.casefold(): n for n in project.scenario_names()}
    for name in dict.fromkeys(r.scenario for r in rows if r.scenario):
        if name.casefold() not in known:
            project.copy_scenario(project.scenario_name, name)
            known[name.casefold()] = name
    by_net: dict[tuple[str, str], list[PlanRow]] = {}
    for row in rows:
        scenario = project.scenario(known[row.scenario.casefold()]) if row.scenario else project
        net = find_plan_network(scenario, row)
        if net is None:
            where = "the project" if scenario is project else f"scenario {scenario.scenario_name!r}"
            raise ImportRefused(path, row.line, f"no network {row.network_ref!r} in {where}")
        by_net.setdefault((scenario.scenario_name, net.id), []).append(row)
    for (name, nid), net_rows in by_net.items():
        project.scenario(name).workforce[nid] = [r.planned for r in net_rows]
    return {nid for name, nid in by_net if name == project.scenario_name}


def write_plan_csv(project: Project, path: str | Path) -> int:
    """Every network's plan lines in every scenario; returns the number of rows written."""
    n = 0
    with csv_for_excel(path) as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for scenario in project.scenarios():
            for net in scenario.sorted_networks():
                for p in scenario.workforce.get(net.id, []):
                    out.writerow([net.code, net.name, p.role, f"{p.wte:g}", p.start, p.end,
                                  f"{p.annual_cost:.2f}", scenario.scenario_name])
                    n += 1
    return n


class WorkforcePlan(ParsedFile):
    order = ORDER_LATE

    def __init__(self, path: Path, rows: list[PlanRow]) -> None:
        super().__init__(path, "workforce plan")
        self.rows = rows
        self.summary.rows_read = self.summary.kept = len(rows)

    def check(self, project: Project, run: ImportRun) -> None:
        # Networks another file of this run brings in do not exist yet; apply checks those.
        if any(f.order < ORDER_LATE and f is not self for f in run.files):
            return
        for row in self.rows:
            if find_plan_network(row_scenario(project, row), row) is None:
                raise ImportRefused(self.path, row.line, f"no network {row.network_ref!r} in the project")

    def apply(self, project: Project, run: ImportRun) -> None:
        touched = apply_plan_rows(project, self.rows, self.path)
        self.summary.notes.append(f"plans for {plural(len(touched), 'network')} replaced")


register_kind(Kind("workforce_plan", "workforce plan (CSV)", detect,
                   lambda path, sample: WorkforcePlan(path, read_plan_rows(path))))
