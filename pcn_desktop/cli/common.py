"""Shared pieces of the subcommands: opening a project with a readable refusal."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..domain.model import Network, Project
from ..domain.scenarios import UnknownScenario
from ..store import ProjectFileError, load_project
from . import CliError


def open_project(path: str, scenario: str | None = None) -> Project:
    """The project at ``path``; with ``scenario``, that scenario's Project (saving it saves
    the whole project), else the active one. An unknown scenario is refused with the known."""
    try:
        project = load_project(path)
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None
    return scenario_or_refuse(project, path, scenario) if scenario else project


def scenario_or_refuse(project: Project, project_path: str, name: str) -> Project:
    """The scenario a user named; otherwise a refusal listing the scenarios there are."""
    try:
        return project.scenario(name)
    except UnknownScenario as exc:
        raise CliError(f"{project_path}: no scenario {name!r} (scenarios: {', '.join(exc.known)})") from None


def network_or_refuse(project: Project, project_path: str, key: str) -> Network:
    """The network a user named by code, name or id; otherwise a refusal listing what exists."""
    net = project.find_network(key)
    if net is None:
        known = ", ".join(n.key for n in project.sorted_networks()) or "none"
        raise CliError(f"{project_path}: no network {key!r} (networks: {known})")
    return net


def add_project_argument(parser: argparse.ArgumentParser, scenario: bool = True) -> None:
    parser.add_argument("project", metavar="PROJECT", help="project file (.pcnproj)")
    if scenario:
        add_scenario_option(parser)


def add_scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="NAME", default=None,
                        help="work on this scenario (default: the project's active one)")


def existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file")
    return path
