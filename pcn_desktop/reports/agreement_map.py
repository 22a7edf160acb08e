"""The network-area map printed in the agreement and the registration pack.

Drawn offline from the project's own geometry: the network's boundary when one was built
or imported, else the small areas assigned to it, else just its practices' locations.
``reports.static_map.network_map_png`` (the shared renderer) is used when present; the small
renderer here keeps printing working without it.
"""
from __future__ import annotations

import hashlib
import importlib
import io
import math
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


def network_map_png(project: Project, network_id: str, width_in: float = 6.5,
                    height_in: float = 5.0, dpi: int = 150) -> bytes | None:
    """PNG bytes of the map, or None when the network has neither an area nor located
    practices (the document then says so instead of printing an empty frame)."""
    shared = _shared_renderer()
    if shared is not None:
        try:
            out = shared(project, network_id, width_in=width_in, height_in=height_in, dpi=dpi)
        except TypeError:
            out = shared(project, network_id)
        if out is None or isinstance(out, (bytes, bytearray)):
            return bytes(out) if out is not None else None
        return out.read_bytes() if hasattr(out, "read_bytes") else None
    return _fallback_png(project, network_id, width_in, height_in, dpi)


def _shared_renderer() -> Any:
    try:
        module = importlib.import_module("pcn_desktop.reports.static_map")
    except ImportError:
        return None
    return getattr(module, "network_map_png", None)


def _fallback_png(project: Project, network_id: str, width_in: float, height_in: float,
                  dpi: int) -> bytes | None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    geom = network_geometry(project, network_id)
    points = []
    for code in sorted(project.members(network_id)):
        p = project.practices.get(code)
        if p is not None and p.has_location:
            points.append((code, p.longitude, p.latitude))
    if geom is None and not points:
        return None
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    # Other networks' areas, faint, give the reader their bearings.
    for other_id, b in project.boundaries.items():
        if other_id != network_id and b.geometry is not None and geom is not None \
                and b.geometry.intersects(geom.buffer(0.05)):
            ax.add_patch(PathPatch(_path(b.geometry, MplPath), facecolor="#eeeeee",
                                   edgecolor="#bbbbbb", linewidth=0.5))
    if geom is not None:
        ax.add_patch(PathPatch(_path(geom, MplPath), facecolor="#cfe0f3", edgecolor="#005eb8",
                               linewidth=1.4))
        minx, miny, maxx, maxy = geom.bounds
    else:
        xs, ys = [x for _, x, _ in points], [y for _, _, y in points]
        minx, miny, maxx, maxy = min(xs), min(ys), max(xs), max(ys)
    for _, x, y in points:
        minx, maxx, miny, maxy = min(minx, x), max(maxx, x), min(miny, y), max(maxy, y)
    pad = max(maxx - minx, maxy - miny, 0.01) * 0.08
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    # Longitude degrees shrink with latitude; this keeps shapes true at England's latitudes.
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    for code, x, y in points:
        ax.plot(x, y, marker="o", markersize=5, color="#8a1c1c", markeredgecolor="white")
        ax.annotate(code, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7,
                    color="#1b1b1b",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.75))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9aa5b1")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _path(geom: Any, MplPath: Any) -> Any:  # noqa: N803 - the class passed in
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            coords = list(ring.coords)
            verts += coords
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    if not verts:
        return MplPath([(0, 0)], [MplPath.MOVETO])
    return MplPath(verts, codes)


def network_picture(project: Project, network_id: str, width_pt: float, height_pt: float,
                    dpi: int = 150) -> "Any":
    """The network's map drawn at the size it is printed (so 7 pt labels print at 7 pt),
    with a key to its symbols; None when there is nothing to draw."""
    from .map_key import MapPicture
    from .static_map import network_map_png as render
    info: dict[str, Any] = {}
    png = render(project, network_id, width_in=width_pt / 72, height_in=height_pt / 72, dpi=dpi,
                 info=info, key=True, label_pt=7.0)
    if png is None:
        return None
    return MapPicture(png, width_pt, height_pt, info["has_area"], info["numbered"], info["key"])
