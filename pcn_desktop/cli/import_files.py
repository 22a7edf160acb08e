"""`pcn-desktop import PROJECT FILE... [--commissioner CODE...]`: read NHS files into a project.

Files are recognised by content and applied in a fixed order whatever order they are
named in. The project file is written once, at the end, and only when every file has been
read and checked: a refused file exits 1 with ``FILE, row N: problem`` on stderr and leaves
the project file byte-identical. PROJECT is created when it does not exist.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..domain.model import Project
from ..domain.wording import plural
from ..io import ImportRefused
from ..io.run import ImportRun
from ..store.database import is_database_url
from ..store.leftovers import save_problem
from . import CliError
from .common import add_project_argument, existing_path, iso_date, open_project
from .editing import contents_or_refuse, holding, save_or_refuse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="read NHS files (epraccur, list sizes, registrations, ePCN, "
                                      "practice->network CSV, area polygons) into a project")
    add_project_argument(p)
    p.add_argument("files", metavar="FILE", nargs="+", type=existing_path,
                   help="files to import, in any order; each is recognised by its content")
    p.add_argument("--commissioner", nargs="+", metavar="CODE", default=None,
                   help="keep only practices and PCNs of these CCG / sub-ICB codes (e.g. 00Q 01A)")
    p.add_argument("--list-date", type=iso_date, metavar="YYYY-MM-DD", default=None,
                   help="the date the list sizes of a file without a date column were counted")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with holding(args.project, "import"):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    target = args.project if is_database_url(args.project) else Path(args.project)
    if not is_database_url(args.project):
        problem = save_problem(target)    # before reading anything: a national import takes a while
        if problem:
            raise CliError(f"{problem}\nnothing was imported", status=1)
    exists = contents_or_refuse(args.project) if is_database_url(args.project) else target.exists()
    project = open_project(args.project, args.scenario) if exists else _new_project(target, args.scenario)
    importer = ImportRun(args.files, args.commissioner, list_date=args.list_date)
    try:
        summaries = importer.apply(project)
    except ImportRefused as exc:
        raise CliError(f"{exc}\nnothing was imported; {target} is unchanged", status=1) from None
    lines = ["\n".join(summary.lines()) for summary in summaries]
    closed = sum(project.is_closed(c) for c in project.practices)
    lines.append(f"{target}: {plural(len(project.networks), 'network')}, "
                 f"{plural(len(project.practices), 'practice')} ({closed:,} closed), {plural(len(project.areas), 'area')}")
    lines.append(dates_line(project))
    # Saved before anything is printed: the import is never lost to the output failing.
    save_or_refuse(project, args.project)
    print("\n".join(lines))
    sys.stdout.flush()
    return 0


def dates_line(project: Project) -> str:
    """Which date the project is counted at, and whether its files describe other dates."""
    from ..domain.counting import extract_used, membership_dates
    at = project.counting_date
    if at is None:
        return "no list counts: totals are 0 until list sizes are imported"
    line = f"lists counted at {(extract_used(project, at) or at).isoformat()}"
    latest = membership_dates(project)[1]
    if latest is not None and latest > at:
        line += (f"; membership records run to {latest.isoformat()}: the files come from different dates, "
                 f"and every total uses the memberships in force on {at.isoformat()}")
    return line


def _new_project(target: Path | str, scenario: str | None) -> Project:
    project = Project()
    project.name = target.stem if isinstance(target, Path) else (str(target).rsplit("/", 1)[-1].split("?")[0] or "Team")
    if scenario:                     # a new project's one scenario takes the name asked for
        try:
            project.rename_scenario(project.scenario_name, scenario)
        except ValueError as exc:
            raise CliError(f"--scenario: {exc}") from None
        project.audit.clear()
    return project
