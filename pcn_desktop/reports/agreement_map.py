"""The network-area map printed in the agreement and the registration pack.

Drawn offline from the project's own geometry by ``reports.static_map``: the network's
boundary when one was built or imported, else the small areas assigned to it, else just its
practices' locations. The digest of that geometry is part of each document's fingerprint.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from ..domain.model import Project


def network_geometry(project: Project, network_id: str) -> Any:
    """The shapely geometry of the network's area (WGS84), or None when it has none."""
    b = project.boundaries.get(network_id)
    if b is not None and b.geometry is not None and not b.geometry.is_empty:
        return b.geometry
    parts = [project.areas[a].geometry for a, n in project.area_assignments.items()
             if n == network_id and a in project.areas and project.areas[a].geometry is not None]
    if not parts:
        return None
    from shapely import union_all
    return union_all(parts)


def map_digest(project: Project, network_id: str) -> str:
    """A hash of what the map is drawn from, so the fingerprint changes when the area does."""
    h = hashlib.sha256()
    geom = network_geometry(project, network_id)
    if geom is not None:
        h.update(geom.normalize().wkb)
    for code in sorted(project.members(network_id)):
        p = project.practices.get(code)
        if p is not None and p.has_location:
            h.update(f"{code}:{p.latitude:.6f},{p.longitude:.6f};".encode())
    return h.hexdigest()


def network_picture(project: Project, network_id: str, width_pt: float, height_pt: float,
                    dpi: int = 150, at: date | None = None) -> "Any":
    """The network's map drawn at the size it is printed (so 7 pt labels print at 7 pt),
    with a key to its symbols; None when there is nothing to draw. ``at``: the document's
    counting date, so the map's members and list sizes are the ones its tables print."""
    from .map_key import MapPicture
    from .static_map import network_map_png as render
    info: dict[str, Any] = {}
    with project.counted_at(at):
        png = render(project, network_id, width_in=width_pt / 72, height_in=height_pt / 72, dpi=dpi,
                     info=info, key=True, label_pt=7.0)
    if png is None:
        return None
    return MapPicture(png, width_pt, height_pt, info["has_area"], info["numbered"], info["key"])
