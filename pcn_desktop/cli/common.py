"""Shared pieces of the subcommands: opening a project with a readable refusal."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..domain.model import Project
from ..store import ProjectFileError, load_project
from . import CliError


def open_project(path: str) -> Project:
    try:
        return load_project(path)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None


def add_project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT", help="project file (.pcnproj)")


def existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file")
    return path
