"""The whole CCG on one map, for the registration pack's cover: every network's area in its
colour, every open practice as a dot in its network's colour (grey when in none), and each
network numbered at its centre; the numbers are keyed in the PDF beside the map.
"""
from __future__ import annotations

import io
from typing import Any

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch

from ..domain.model import Project
from ..geo.crs import lonlat_to_bng, to_bng
from .map_layers import UNASSIGNED, assign_colours, network_geometries
from .static_map import _north_arrow, _path, _scale_bar, _try_labels, _view


def ccg_map_png(project: Project, width_in: float, height_in: float, dpi: int = 200,
                label_pt: float = 8.0) -> tuple[bytes, list[tuple[int, str]], bool] | None:
    """(PNG, [(number, network id)], whether any network has an area), or None when nothing
    in the project has a location or an area."""
    geoms = network_geometries(project)
    colours = assign_colours(project, geoms)
    nets = project.sorted_networks()
    practices = [p for c, p in sorted(project.practices.items())
                 if p.has_location and not project.is_closed(c)]
    if not geoms and not practices:
        return None
    xs, ys = lonlat_to_bng(np.array([p.longitude for p in practices], dtype=float),
                           np.array([p.latitude for p in practices], dtype=float)) \
        if practices else (np.array([]), np.array([]))
    shapes = {nid: to_bng(g) for nid, g in geoms.items()}
    boxes = [g.bounds for g in shapes.values()] + [(x, y, x, y) for x, y in zip(xs, ys)]
    arr = np.array(boxes, dtype=float)
    everything = shapely.box(arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max())
    view = _view(everything, [], width_in / height_in)

    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    for nid, g in shapes.items():
        ax.add_artist(PathPatch(_path(g), facecolor=colours[nid], alpha=0.35, edgecolor=colours[nid],
                               linewidth=1.0, zorder=2))
    network_of = {c: project.networks_of(c) for c in project.practices}
    dot_colours = [colours[network_of[p.code][0]] if network_of[p.code] else UNASSIGNED for p in practices]
    ax.scatter(xs, ys, s=14, c=dot_colours, edgecolors="white", linewidths=0.5, zorder=5)
    numbered: list[tuple[int, str]] = []
    centres: list[tuple[str, float, float]] = []
    where = {p.code: (x, y) for p, x, y in zip(practices, xs, ys)}
    for n, net in enumerate(nets, start=1):
        if net.id in shapes:
            pt = shapes[net.id].representative_point()
            cx, cy = pt.x, pt.y
        else:
            sites = [where[c] for c in project.members(net.id) if c in where]
            if not sites:
                continue
            cx, cy = float(np.mean([s[0] for s in sites])), float(np.mean([s[1] for s in sites]))
        numbered.append((n, net.id))
        centres.append((net.id, cx, cy))
    # Numbers placed like the network maps' labels: clear of each other, on a leader line
    # when the centres crowd.
    placed, _ = _try_labels(fig, canvas, ax, centres, {nid: 3.0 for nid, _, _ in centres},
                            {nid: str(n) for n, nid in numbered}, label_pt, [],
                            reaches=(1.0, 2.0, 3.5, 5.0))
    for label, (nid, _, _) in zip(placed, centres):
        label.set_fontweight("bold")
        label.set_bbox(dict(boxstyle="circle,pad=0.25", fc="white", ec=colours[nid], lw=1.2))
    handles: list[Any] = []
    labels: list[str] = []
    if shapes:
        handles.append(Patch(facecolor="#9ab", alpha=0.5, edgecolor="#678"))
        labels.append("Network area (one colour per network)")
    handles.append(Line2D([], [], marker="o", linestyle="none", markersize=5, markerfacecolor="#678",
                          markeredgecolor="white"))
    labels.append("Practice, in its network's colour")
    if any(not network_of[p.code] for p in practices):
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=5,
                              markerfacecolor=UNASSIGNED, markeredgecolor="white"))
        labels.append("Practice in no network")
    handles.append(Line2D([], [], marker="o", linestyle="none", markersize=11, markerfacecolor="white",
                          markeredgecolor="#333"))
    labels.append("Network number (key beside the map)")
    ax.legend(handles, labels, loc="lower right", fontsize=label_pt - 1, framealpha=0.9).set_zorder(10)
    _scale_bar(ax, view)
    _north_arrow(ax, view)
    buf = io.BytesIO()
    # light compression: the PDF recompresses the pixels anyway, and level 6 cost ~0.05 s a map
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
    return buf.getvalue(), numbered, bool(shapes)
