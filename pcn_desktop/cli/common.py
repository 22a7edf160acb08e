"""Shared pieces of the subcommands: opening a project with a readable refusal."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..domain.model import Network, Project
from ..store import ProjectFileError, load_project
from . import CliError


def open_project(path: str) -> Project:
    try:
        return load_project(path)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None


def network_or_refuse(project: Project, project_path: str, key: str) -> Network:
    """The network a user named by code, name or id; otherwise a refusal listing what exists."""
    net = project.find_network(key)
    if net is None:
        known = ", ".join(n.key for n in project.sorted_networks()) or "none"
        raise CliError(f"{project_path}: no network {key!r} (networks: {known})")
    return net


def add_project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT",
                        help="project file (.pcnproj) or team database URL (postgresql://user@host/db)")


def existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file")
    return path
