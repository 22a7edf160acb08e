"""A network's map as a PNG, for the agreement and other PDFs: drawn offline with matplotlib
(Agg) from the project's own geometry, in British National Grid so the scale bar is true.

The network's area in its map colour with its small areas traced inside, neighbouring
networks faded, member practices as dots sized by list size with labels placed to avoid
each other, other practices as small grey dots, a scale bar and a north arrow.
"""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from ..domain.model import Project
from ..geo.crs import lonlat_to_bng, to_bng, to_wgs84
from .map_layers import UNASSIGNED, assign_colours, network_geometries

PAD = 0.08                    # of the larger side, around the network
MAX_DOT_PT = 11.0             # marker radius (points) of the biggest member practice
MIN_DOT_PT = 3.0
LABEL_CHARS = 28


def network_map_png(project: Project, network_id: str, out_path: Path | str | None = None,
                    width_px: int | None = None, height_px: int | None = None, *,
                    width_in: float | None = None, height_in: float | None = None,
                    dpi: int = 150, info: dict[str, Any] | None = None,
                    key: bool = False, label_pt: float = 7.0) -> bytes | None:
    """PNG bytes of the network's map (also written to ``out_path`` when given).

    Size is ``width_px`` x ``height_px`` (default 1200 x 900), or ``width_in`` x ``height_in``
    at ``dpi``. Returns None when the network has neither an area nor a located practice,
    so the document can say so rather than print an empty frame.

    With ``key``, a key to every symbol drawn is added in a corner. ``info``, when given, is
    filled with what a caption needs: ``has_area`` (False: "No network area recorded" is
    written on the map), ``numbered`` ([(number, code, name)] when names could not be placed
    without colliding, so each dot carries a number instead) and ``key`` (the symbols keyed),
    and with where the key's practice dots landed (``key_dot_boxes``, pixels).
    ``label_pt`` is the label size at the image's own size: print it at that size.
    """
    if network_id not in project.networks:
        raise KeyError(f"no network with id {network_id!r} in project {project.name!r}")
    width_px = width_px or (round(width_in * dpi) if width_in else 1200)
    height_px = height_px or (round(height_in * dpi) if height_in else 900)
    geoms = network_geometries(project)
    colours = assign_colours(project, geoms)
    own = geoms.get(network_id)
    members = _sites(project, sorted(project.members(network_id)))
    if own is None and not members:
        return None
    own_bng = to_bng(own) if own is not None else None
    # With a key, a strip under the map holds it, so that it never hides part of the area.
    strip = min(0.3, (2 * MAX_DOT_PT + 3 * label_pt + 10) / (height_px / dpi * 72)) if key else 0.0
    view = _view(own_bng, members, width_px / (height_px * (1 - strip)))

    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, strip, 1, 1 - strip))
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(Rectangle((view[0], view[1]), view[2] - view[0], view[3] - view[1],
                           facecolor="#f3f1ea", edgecolor="none", zorder=0))

    view_wgs = to_wgs84(shapely.box(*view))
    # Areas go in with add_artist, not add_patch: the limits are already set, and add_patch's
    # walk over every vertex to update them cost more than drawing the map.
    for nid, g in geoms.items():
        if nid != network_id and g.intersects(view_wgs):
            ax.add_artist(PathPatch(_path(to_bng(g)), facecolor=colours[nid], alpha=0.12,
                                   edgecolor="#9a9a9a", linewidth=0.6, zorder=1))
    colour = colours[network_id]
    if own_bng is not None:
        own_areas = [project.areas[a].geometry for a, n in project.area_assignments.items()
                     if n == network_id and a in project.areas and project.areas[a].geometry is not None]
        ax.add_artist(PathPatch(_path(own_bng), facecolor=colour, alpha=0.28, edgecolor="none", zorder=2))
        for g in to_bng(np.array(own_areas, dtype=object)) if own_areas else []:
            ax.add_artist(PathPatch(_path(g), facecolor="none", edgecolor="white", linewidth=0.5, zorder=3))
        ax.add_artist(PathPatch(_path(own_bng), facecolor="none", edgecolor=colour, linewidth=2.2, zorder=4))

    member_codes = {code for code, _, _ in members}
    others = [s for s in _sites(project, sorted(project.practices)) if s[0] not in member_codes
              and not project.is_closed(s[0]) and view[0] <= s[1] <= view[2] and view[1] <= s[2] <= view[3]]
    has_neighbours = any(nid != network_id and g.intersects(view_wgs) for nid, g in geoms.items())
    if others:
        ax.scatter([s[1] for s in others], [s[2] for s in others], s=10, c=UNASSIGNED,
                   edgecolors="white", linewidths=0.4, zorder=5)
    sizes = {code: project.list_size(code, project.counting_date) for code, _, _ in members}
    biggest = max(sizes.values(), default=0) or 1
    radius = {c: max(MIN_DOT_PT, MAX_DOT_PT * math.sqrt(n / biggest)) for c, n in sizes.items()}
    if members:
        # biggest first, so a smaller practice on the same site stays visible on top
        members = sorted(members, key=lambda m: -radius[m[0]])
        ax.scatter([s[1] for s in members], [s[2] for s in members],
                   s=[(2 * radius[s[0]]) ** 2 for s in members], c=colour,
                   edgecolors="white", linewidths=1.0, zorder=6)
    _scale_bar(ax, view)
    _north_arrow(ax, view)
    net = project.networks[network_id]
    from .print_text import title_case
    title = ax.text(0.015, 0.985, title_case(net.name) or net.key, transform=ax.transAxes, ha="left", va="top",
            fontsize=10, fontweight="bold", color="#1b1b1b", zorder=9,
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#9aa5b1", alpha=0.9))
    obstacles = [title]
    if own_bng is None:
        obstacles.append(ax.text(0.5, 0.03, "No network area recorded", transform=ax.transAxes, ha="center",
                va="bottom", fontsize=label_pt + 1, color="#8a1c1c", zorder=9,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#8a1c1c", alpha=0.9)))
    keyed: list[str] = []
    legend = None
    if key:
        keyed, legend = _key(ax, colour, own_bng is not None, has_neighbours, bool(others), sizes,
                             radius, label_pt)
        if legend is not None:
            obstacles.append(legend)
    renderer = canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in obstacles]
    numbered = _place_labels(fig, canvas, ax, project, members, radius, label_pt, boxes)
    if info is not None:
        renderer = canvas.get_renderer()
        labels = [t for t in ax.texts if getattr(t, "_pcn_label", False)]
        info.update(has_area=own_bng is not None, numbered=numbered, key=keyed,
                    label_boxes=[tuple(t.get_window_extent(renderer).bounds) for t in labels],
                    label_pt=label_pt)

    buf = io.BytesIO()
    # light compression: the PDF recompresses the pixels anyway, and level 6 cost ~0.05 s a map
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
    data = buf.getvalue()
    if info is not None:      # the key's dots sit where they are only once the figure is drawn
        dots = [h for h, text in zip(legend.legend_handles, legend.get_texts())
                if text.get_text().startswith("Member practice")] if legend is not None else []
        info["key_dot_boxes"] = [tuple(h.get_window_extent(canvas.get_renderer()).bounds) for h in dots]
    if out_path is not None:
        Path(out_path).write_bytes(data)
    return data


def _sites(project: Project, codes: list[str]) -> list[tuple[str, float, float]]:
    """(code, x, y) in BNG for each practice with a location."""
    located = [project.practices[c] for c in codes
               if c in project.practices and project.practices[c].has_location]
    if not located:
        return []
    x, y = lonlat_to_bng(np.array([p.longitude for p in located]), np.array([p.latitude for p in located]))
    return [(p.code, float(a), float(b)) for p, a, b in zip(located, x, y)]


def _view(own_bng: Any, members: list[tuple[str, float, float]], aspect: float) -> tuple[float, float, float, float]:
    """The network's extent, padded and widened to the image's shape."""
    boxes = [own_bng.bounds] if own_bng is not None else []
    boxes += [(x, y, x, y) for _, x, y in members]
    arr = np.array(boxes, dtype=float)
    minx, miny, maxx, maxy = arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()
    w, h = max(maxx - minx, 500.0), max(maxy - miny, 500.0)     # a single site still gets 1 km
    pad = PAD * max(w, h)
    w, h = w + 2 * pad, h + 2 * pad
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _path(geom: Any) -> MplPath:
    rings: list[np.ndarray] = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon":
            continue
        rings.append(np.asarray(poly.exterior.coords))
        rings += [np.asarray(r.coords) for r in poly.interiors]
    if not rings:
        return MplPath(np.zeros((1, 2)))
    verts = np.concatenate(rings)
    codes = np.concatenate([[MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY]
                            for r in rings])
    return MplPath(verts, codes)


def nice_length(span_m: float) -> float:
    """The largest 1, 2 or 5 x 10^k metres not over a fifth of ``span_m``."""
    target = span_m / 5
    base = 10 ** math.floor(math.log10(target))
    return max(m * base for m in (1, 2, 5) if m * base <= target)


def _scale_bar(ax: Any, view: tuple[float, float, float, float]) -> None:
    width, height = view[2] - view[0], view[3] - view[1]
    length = nice_length(width)
    x0, y0 = view[0] + 0.03 * width, view[1] + 0.04 * height
    bar_h = 0.012 * height
    for i in range(2):
        ax.add_patch(Rectangle((x0 + i * length / 2, y0), length / 2, bar_h, zorder=9,
                               facecolor="#1b1b1b" if i == 0 else "white", edgecolor="#1b1b1b", linewidth=0.8))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(x0 + length / 2, y0 + bar_h * 1.6, label, ha="center", va="bottom", fontsize=8, zorder=9,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))


def _north_arrow(ax: Any, view: tuple[float, float, float, float]) -> None:
    width, height = view[2] - view[0], view[3] - view[1]
    x, y = view[2] - 0.05 * width, view[3] - 0.17 * height
    ax.add_patch(FancyArrow(x, y, 0, 0.08 * height, width=0.012 * width, head_width=0.035 * width,
                            head_length=0.035 * height, length_includes_head=True,
                            color="#1b1b1b", zorder=9))
    ax.text(x, y + 0.09 * height, "N", ha="center", va="bottom", fontsize=11, fontweight="bold", zorder=9)


# Label positions tried in turn: right, left, above, below, then the diagonals.
_CANDIDATES = [(1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"),
               (0, -1, "center", "top"), (1, 1, "left", "bottom"), (-1, 1, "right", "bottom"),
               (1, -1, "left", "top"), (-1, -1, "right", "top")]


def _key(ax: Any, colour: str, has_area: bool, neighbours: bool, others: bool,
         sizes: dict[str, int], radius: dict[str, float], label_pt: float) -> tuple[list[str], Any]:
    """A key to every symbol on the map, in the lower-right corner."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    handles, labels = [], []
    if has_area:
        handles.append(Patch(facecolor=colour, alpha=0.5, edgecolor=colour, linewidth=1.5))
        labels.append("Network area")
    if neighbours:
        handles.append(Patch(facecolor="#cccccc", alpha=0.5, edgecolor="#9a9a9a"))
        labels.append("Neighbouring networks")
    if sizes:
        big = max(sizes, key=lambda c: sizes[c])
        small = min(sizes, key=lambda c: sizes[c])
        for code in dict.fromkeys([big, small]):
            handles.append(Line2D([], [], marker="o", linestyle="none", markersize=2 * radius[code],
                                  markerfacecolor=colour, markeredgecolor="white"))
            labels.append(f"Member practice: {sizes[code]:,} patients")
    if others:
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=3.5,
                              markerfacecolor=UNASSIGNED, markeredgecolor="white"))
        labels.append("Other practice")
    if not handles:
        return labels, None
    # a row is handleheight font-sizes tall: the biggest dot must fit its row, or it covers
    # the dot in the row below it
    biggest = max((2 * radius[c] for c in sizes), default=0.0)
    legend = ax.figure.legend(handles, labels, loc="lower center", fontsize=label_pt, frameon=False,
                              ncol=min(3, len(handles)), borderaxespad=0.2, columnspacing=1.2,
                              handlelength=3.2, handletextpad=0.5,
                              handleheight=max(0.7, 1.1 * biggest / label_pt))
    legend.set_zorder(10)
    return labels, legend


def _place_labels(fig: Figure, canvas: FigureCanvasAgg, ax: Any, project: Project,
                  members: list[tuple[str, float, float]], radius: dict[str, float],
                  label_pt: float = 7.0, obstacles: list[Bbox] | None = None) -> list[tuple[int, str, str]]:
    """Names placed greedily, biggest practice first, each at the first position that
    overlaps no dot, label or frame edge. When some name cannot be placed clear of the
    others, every dot gets a number instead and the caller prints the key: a map whose
    labels collide cannot be read."""
    texts = {code: _label_text(project, code) for code, _, _ in members}
    placed, clash = _try_labels(fig, canvas, ax, members, radius, texts, label_pt, obstacles or [])
    from .print_text import title_case
    if not clash:
        return []
    for label in placed:
        label.remove()
    order = sorted(members, key=lambda s: (-s[2], s[1]))         # north to south, then west to east
    numbers = {code: i for i, (code, _, _) in enumerate(order, start=1)}
    # Numbers may sit further out, on a leader line, where the dots themselves crowd.
    _try_labels(fig, canvas, ax, members, radius, {c: str(n) for c, n in numbers.items()}, label_pt,
                obstacles or [], reaches=(1.0, 2.0, 3.5, 5.0))
    return [(numbers[c], c, title_case(project.practices[c].name) or c) for c, _, _ in order]


def _label_text(project: Project, code: str) -> str:
    from .print_text import title_case
    p = project.practices[code]
    text = title_case(p.name) or code
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _try_labels(fig: Figure, canvas: FigureCanvasAgg, ax: Any, members: list[tuple[str, float, float]],
                radius: dict[str, float], texts: dict[str, str], label_pt: float,
                obstacles: list[Bbox], reaches: tuple[float, ...] = (1.0,)) -> tuple[list[Any], bool]:
    renderer = canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72
    taken: list[Bbox] = list(obstacles)
    for code, x, y in members:
        cx, cy = ax.transData.transform((x, y))
        r = radius[code] * px_per_pt
        taken.append(Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    placed: list[Any] = []
    clash = False
    style = dict(fontsize=label_pt, color="#1b1b1b", zorder=8,
                 bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    for code, x, y in sorted(members, key=lambda s: -radius[s[0]]):
        text = texts[code]
        # Lay the words out once; every candidate position is the same box moved, so the
        # candidates are compared by arithmetic rather than by laying out each one.
        probe = ax.annotate(text, (x, y), xytext=(0, 0), textcoords="offset points", ha="left",
                            va="bottom", **style)
        size = probe.get_window_extent(renderer)
        probe.remove()
        w, h = size.width, size.height
        cx, cy = ax.transData.transform((x, y))
        best, best_cost = None, math.inf
        for reach, (dx, dy, ha, va) in ((r, c) for r in reaches for c in _CANDIDATES):
            gap = (radius[code] + 2) * reach + (reach - 1) * 6
            x0 = cx + dx * gap * px_per_pt - {"left": 0, "center": w / 2, "right": w}[ha]
            y0 = cy + dy * gap * px_per_pt - {"bottom": 0, "center": h / 2, "top": h}[va]
            box = Bbox([[x0, y0], [x0 + w, y0 + h]])
            cost = sum(_overlap(box, t) for t in taken) + _outside(box, frame)
            if cost < best_cost:
                best, best_cost = (box, dx * gap, dy * gap, ha, va, reach), cost
            if cost == 0:
                break
        box, ox, oy, ha, va, reach = best
        label = ax.annotate(text, (x, y), xytext=(ox, oy), textcoords="offset points", ha=ha, va=va,
                            **style)
        label._pcn_label = True             # found again by the caller's checks
        taken.append(box)
        if reach > 1:
            # a leader line from a label set further out back to its dot
            ax.annotate("", (x, y), xytext=(ox, oy), textcoords="offset points", zorder=7,
                        arrowprops=dict(arrowstyle="-", color="#555555", lw=0.6, shrinkA=0,
                                        shrinkB=radius[code]))
        placed.append(label)
        clash = clash or best_cost > 0
    return placed, clash


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: Bbox, frame: Bbox) -> float:
    inside = _overlap(box, frame)
    return (box.width * box.height - inside) * 4     # off the page is worse than a clash
