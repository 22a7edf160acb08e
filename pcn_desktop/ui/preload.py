"""Import the window's plain-Python modules (and numpy and shapely under them) in one go,
out of PySide6's sight.

Once loaded, PySide6 watches the import system: for every module imported after it, it
reads the module's source to see whether the module uses PySide6 (for its optional
snake_case/true_property features). For the ~300 modules of numpy, shapely, sqlite3 and
our domain, geo, funding and store packages that is 50-70 ms of every start spent reading
source for nothing. The window's start imports them here, in its worker thread, with
Python's own import function (``opening.preload_plainly``). No Qt here.
"""
from __future__ import annotations

import importlib

from ..domain.rules.engine import RULE_MODULES

# What the window, its panes and its menus import outside pcn_desktop.ui (a test keeps this
# list complete). The rule modules are added from the engine's own registry.
WINDOW_MODULES = (
    "pcn_desktop.store",
    "pcn_desktop.settings",
    "pcn_desktop.domain.commands",
    "pcn_desktop.domain.scenario_commands",
    "pcn_desktop.domain.wording",
    "pcn_desktop.reports.map_layers",
    "pcn_desktop.reports.map_html",
    "pcn_desktop.geo.boundaries",
    "pcn_desktop.geo.commands",
    "pcn_desktop.geo.importing",
    "pcn_desktop.funding.commands",
    "pcn_desktop.funding.export",
    "pcn_desktop.funding.scenarios",
    "pcn_desktop.funding.policy_store",
    "pcn_desktop.io.errors",
    "pcn_desktop.io.exports",
    "pcn_desktop.io.kinds",
    "pcn_desktop.io.run",
    "pcn_desktop.tempfiles",
    "pcn_desktop.crashlog",
)


def preload() -> None:
    for name in (*RULE_MODULES, *WINDOW_MODULES):
        importlib.import_module(name)
