"""What the map pane draws a project's page from, worked out without Qt.

The window's start works it out in its worker thread along with the findings
(``opening.read_for_window``), so that the map can be made in the waiting page while the
window is built (``web_warmup.fill_early``); the pane works it out itself afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.findings import Finding
from ..domain.model import Project
from ..reports.map_html import MapPage, map_page
from ..reports.map_layers import build_map_data

# A project this small (areas + practices) gets its first page written at once, on the UI
# thread (a few tens of ms), so Chromium loads it while the window is still being built and
# painted; a bigger one is written in a worker so the window shows first.
FIRST_PAGE_AT_ONCE_BELOW = 2_000


@dataclass(frozen=True)
class PreparedMap:
    """A map page not yet written, with what incremental restyling starts from: the
    revision drawn, the network colours, each practice's network and each network's
    boundary as drawn."""
    page: MapPage
    revision: int
    colours: dict[str, str]
    shown: dict[str, str | None]
    outlines: dict[str, Any]


def small_enough_at_once(project: Project) -> bool:
    return len(project.areas) + len(project.practices) < FIRST_PAGE_AT_ONCE_BELOW


def prepare_map(project: Project, findings: list[Finding], revision: int) -> PreparedMap:
    # build_map_data + map_page are what render_map does; kept apart here so the pane keeps
    # the network colours for restyling practices after a move
    data = build_map_data(project, findings)
    shown = {c: (ids[0] if (ids := project.networks_of(c)) else None) for c in project.practices}
    outlines = {nid: b.geometry for nid, b in project.boundaries.items()}
    return PreparedMap(map_page(project, data), revision, data.colours, shown, outlines)
