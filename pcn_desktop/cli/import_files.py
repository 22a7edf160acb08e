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
from ..io import ImportRefused
from ..io.run import ImportRun
from ..store import ProjectFileError, save_project
from ..store.leftovers import save_problem
from . import CliError
from .common import add_project_argument, existing_path, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="read NHS files (epraccur, list sizes, registrations, ePCN, "
                                      "practice->network CSV, area polygons) into a project")
    add_project_argument(p)
    p.add_argument("files", metavar="FILE", nargs="+", type=existing_path,
                   help="files to import, in any order; each is recognised by its content")
    p.add_argument("--commissioner", nargs="+", metavar="CODE", default=None,
                   help="keep only practices and PCNs of these CCG / sub-ICB codes (e.g. 00Q 01A)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target = Path(args.project)
    problem = save_problem(target)            # before reading anything: a national import takes a while
    if problem:
        raise CliError(f"{problem}\nnothing was imported", status=1)
    project = open_project(args.project) if target.exists() else _new_project(target)
    importer = ImportRun(args.files, args.commissioner)
    try:
        summaries = importer.apply(project)
    except ImportRefused as exc:
        raise CliError(f"{exc}\nnothing was imported; {target} is unchanged", status=1) from None
    for summary in summaries:
        print("\n".join(summary.lines()))
    closed = sum(project.is_closed(c) for c in project.practices)
    print(f"{target}: {len(project.networks):,} networks, {len(project.practices):,} practices "
          f"({closed:,} closed), {len(project.areas):,} areas")
    try:
        save_project(project, target)
    except ProjectFileError as exc:
        raise CliError(f"{exc}\nnothing was imported; {target} is unchanged", status=1) from None
    sys.stdout.flush()
    return 0


def _new_project(path: Path) -> Project:
    project = Project()
    project.name = path.stem
    return project
