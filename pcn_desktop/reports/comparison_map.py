"""A map of the difference between two scenarios, as a PNG (for the comparison PDF and the
window's comparison view): drawn offline with matplotlib in British National Grid.

Every network of scenario B in its colour, faded; the outlines that changed drawn strongly,
B's solid over A's dashed; practices that moved as red rings labelled "CODE A → B"; other
practices as small grey dots. The view closes in on what changed, or shows everything when
nothing did.
"""
from __future__ import annotations

import io
from typing import Any

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle

from ..domain.model import Project
from ..geo.crs import to_bng
from .comparison import Comparison
from .map_layers import UNASSIGNED, assign_colours, network_geometries
from .static_map import _path, _scale_bar, _sites, _view

MOVED = "#c62828"
LABELS_AT_MOST = 14            # beyond this many moves, labels would cover the map


def changed_outlines(project: Project, comparison: Comparison) -> dict[str, tuple[Any, Any]]:
    """Network id -> (geometry in A, geometry in B), WGS84, for networks whose area changed."""
    ga = network_geometries(project.scenario(comparison.a))
    gb = network_geometries(project.scenario(comparison.b))
    out = {}
    for nid in set(ga) | set(gb):
        a, b = ga.get(nid), gb.get(nid)
        if a is None or b is None or not a.equals(b):
            out[nid] = (a, b)
    return out


def comparison_map_png(project: Project, comparison: Comparison, width_px: int = 1400,
                       height_px: int = 1000, dpi: int = 150, info: dict[str, Any] | None = None) -> bytes | None:
    """PNG bytes, or None when the project has neither areas nor located practices. ``info``,
    when given, gets ``label_boxes``: where each moved practice's label landed (pixels)."""
    pb = project.scenario(comparison.b)
    geoms = network_geometries(pb)
    changed = changed_outlines(project, comparison)
    moved_sites = _sites(project, [m.practice for m in comparison.moves])
    all_sites = _sites(project, sorted(c for c in project.practices if not project.is_closed(c)))
    if not geoms and not all_sites:
        return None
    focus = [g for pair in changed.values() for g in pair if g is not None]
    # the networks a practice left and joined, so a move that changes no outline has context
    pa = project.scenario(comparison.a)
    ga = network_geometries(pa) if comparison.moves else {}
    involved = set()
    for m in comparison.moves:
        focus += [ga[n] for n in pa.networks_of(m.practice) if n in ga]
        focus += [geoms[n] for n in pb.networks_of(m.practice) if n in geoms]
        involved |= {n for n in pb.networks_of(m.practice) + pa.networks_of(m.practice) if n in geoms}
    if focus or moved_sites:
        extent = to_bng(shapely.union_all(np.array(focus, dtype=object))) if focus else None
        view = _view(extent, moved_sites, width_px / height_px)
    else:
        everything = list(geoms.values())
        extent = to_bng(shapely.union_all(np.array(everything, dtype=object))) if everything else None
        view = _view(extent, all_sites, width_px / height_px)
    colours = assign_colours(pb, geoms)

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(Rectangle((view[0], view[1]), view[2] - view[0], view[3] - view[1],
                           facecolor="#f3f1ea", edgecolor="none", zorder=0))
    view_box = shapely.box(*view)
    for nid, g in geoms.items():
        bng = to_bng(g)
        if bng.intersects(view_box):
            ax.add_patch(PathPatch(_path(bng), facecolor=colours[nid], alpha=0.22, edgecolor="#8a8a8a",
                                   linewidth=0.6, zorder=1))
    for nid in involved - set(changed):          # gained or lost a practice, outline unchanged
        ax.add_patch(PathPatch(_path(to_bng(geoms[nid])), facecolor="none", edgecolor=colours[nid],
                               linewidth=1.8, zorder=3))
    for nid, (a, b) in changed.items():
        if a is not None:
            ax.add_patch(PathPatch(_path(to_bng(a)), facecolor="none", edgecolor="#555555", linewidth=1.4,
                                   linestyle=(0, (4, 3)), zorder=3))
        if b is not None:
            ax.add_patch(PathPatch(_path(to_bng(b)), facecolor="none", edgecolor=colours.get(nid, "#333333"),
                                   linewidth=2.4, zorder=4))
    moved_codes = {s[0] for s in moved_sites}
    others = [s for s in all_sites if s[0] not in moved_codes
              and view[0] <= s[1] <= view[2] and view[1] <= s[2] <= view[3]]
    if others:
        ax.scatter([s[1] for s in others], [s[2] for s in others], s=10, c=UNASSIGNED,
                   edgecolors="white", linewidths=0.4, zorder=5)
    if moved_sites:
        ax.scatter([s[1] for s in moved_sites], [s[2] for s in moved_sites], s=140, facecolors="white",
                   edgecolors=MOVED, linewidths=2.2, zorder=6)
        ax.scatter([s[1] for s in moved_sites], [s[2] for s in moved_sites], s=18, c=MOVED, zorder=7)
    _scale_bar(ax, view)
    legend = [Line2D([], [], color="#555555", lw=1.4, ls=(0, (4, 3)), label=f"outline in {comparison.a}"),
              Line2D([], [], color="#333333", lw=2.4, label=f"outline in {comparison.b}"),
              Line2D([], [], marker="o", color="white", markeredgecolor=MOVED, markeredgewidth=2, ms=9,
                     ls="none", label="practice moved")]
    key = ax.legend(handles=legend, loc="upper right", fontsize=7, framealpha=0.92)
    if moved_sites and len(moved_sites) <= LABELS_AT_MOST:
        by_code = {m.practice: m for m in comparison.moves}
        boxes = _label_moves(ax, canvas, [(f"{c}  {by_code[c].source or 'none'} → {by_code[c].target or 'none'}", x, y)
                                  for c, x, y in moved_sites], [key])
        if info is not None:
            info["label_boxes"] = [tuple(b.bounds) for b in boxes]
    canvas.draw()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


# Where a moved practice's label may go, in points from its dot: beside it first, then above
# and below, then further out; the first that overlaps no other label, the key or the frame.
_OFFSETS = [(9, 7), (9, -14), (-9, 7), (-9, -14), (9, 21), (9, -28), (-9, 21), (-9, -28), (9, 35), (9, -42)]


def _label_moves(ax: Any, canvas: Any, labels: list[tuple[str, float, float]], obstacles: list[Any]) -> list[Any]:
    """Label each moved practice (``(text, x, y)``) clear of the others where it can: labels
    drawn over each other cannot be read (two practices on one street are common). Returns
    the labels' boxes."""
    renderer = canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [o.get_window_extent(renderer) for o in obstacles]
    placed = []

    def note(text: str, x: float, y: float, dx: int, dy: int) -> Any:
        return ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=7,
                           ha="left" if dx > 0 else "right", color="#1b1b1b", zorder=8,
                           bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=MOVED, lw=0.6, alpha=0.92))

    for text, x, y in sorted(labels, key=lambda item: (-item[2], item[1])):
        fallback = None
        for dx, dy in _OFFSETS:
            trial = note(text, x, y, dx, dy)
            trial.draw(renderer)                # places its box, so the box can be measured
            box = trial.get_bbox_patch().get_window_extent(renderer)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(t) for t in taken):
                break                           # kept where it is
            trial.remove()
            if fallback is None and inside:
                fallback = (dx, dy, box)
        else:                                   # no clear place: the nearest inside the frame
            dx, dy, box = fallback or (*_OFFSETS[0], None)
            note(text, x, y, dx, dy)
        if box is not None:
            taken.append(box)
            placed.append(box)
    return placed
