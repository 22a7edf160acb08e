"""`pcn-desktop sample PATH`: write the embedded sample CCG as a project file."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ..paths import resource
from . import CliError


def sample_path() -> Path:
    return resource("sample", "sample_ccg.pcnproj")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="write the embedded sample CCG as a project file")
    p.add_argument("path", metavar="PATH", help="where to write the project")
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.exists() and not args.force:
        raise CliError(f"{target} exists; use --force to overwrite it")
    source = sample_path()
    if not source.is_file():
        raise CliError(f"the sample project is missing from this installation ({source})")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)   # a copy: the shipped file is never opened for writing
    print(f"wrote the sample CCG to {target}")
    return 0
