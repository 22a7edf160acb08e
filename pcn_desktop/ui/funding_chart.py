"""Funding charts drawn with matplotlib (Agg, no pyplot state) into a QPixmap.

Left (or above, in a narrow pane): each planned role's cost against what the scheme
reimburses. Right (or below): how much of the network's ARRS entitlement the plan uses.
"""
from __future__ import annotations

import io

from PySide6.QtGui import QPixmap

from ..funding.model import NetworkFunding


STACKED_BELOW = 600      # px: narrower than this, the two charts go one above the other


def funding_chart(funding: NetworkFunding, width_px: int = 760, height_px: int = 260) -> QPixmap:
    """The charts at ``width_px``; ``height_px`` is a row's height (two rows when stacked)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    dpi = 100
    stacked = width_px < STACKED_BELOW
    if stacked:
        height_px = round(height_px * 1.6)
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    if stacked:
        left, right = fig.subplots(2, 1, height_ratios=[3, 1])
    else:
        left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    roles = funding.roles
    if roles:
        names = [f"{r.label[:18]} {r.planned.wte:g}" for r in roles]
        xs = range(len(roles))
        left.bar([x - 0.2 for x in xs], [r.cost for r in roles], 0.4, label="Cost", color="#8c8c8c")
        left.bar([x + 0.2 for x in xs], [r.reimbursable for r in roles], 0.4, label="Reimbursable",
                 color="#005eb8")
        left.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=7)
        left.legend(fontsize=7)
    else:
        left.text(0.5, 0.5, "No planned roles", ha="center", va="center", transform=left.transAxes)
        left.set_xticks([])
    left.set_title(f"Cost vs reimbursement by role ({funding.year})", fontsize=9)
    left.tick_params(axis="y", labelsize=7)

    entitlement = funding.entitlement
    used = funding.reimbursable
    if entitlement is None:
        right.text(0.5, 0.5, "Entitlement not known\n(set it in Funding settings)", ha="center",
                   va="center", transform=right.transAxes, fontsize=8)
        right.set_xticks([])
    else:
        within = min(used, entitlement)
        right.barh([0], [within], color="#005eb8", label="Claimed")
        if used > entitlement:
            right.barh([0], [used - entitlement], left=[entitlement], color="#da291c", label="Over")
        else:
            right.barh([0], [entitlement - used], left=[used], color="#e8edee", label="Headroom")
        right.legend(fontsize=7, loc="lower right")
        share = 100 * used / entitlement if entitlement else 0.0
        right.set_xlabel(f"£{used:,.0f} of £{entitlement:,.0f} ({share:.0f}%)", fontsize=8)
        right.tick_params(axis="x", labelsize=7)
        right.xaxis.set_major_locator(MaxNLocator(4))   # whole-pound figures collide when many
    right.set_yticks([])
    right.set_title("Entitlement used", fontsize=9)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap
