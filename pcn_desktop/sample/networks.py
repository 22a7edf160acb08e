"""Which practices form which network in the sample CCG, and how big each should come out.

The design is geographic: a network per smaller town with its villages, the big town split
into four wedges of similar list size, and the fell villages together as one rural network.
List sizes come from the gravity model; ``calibrate`` nudges practice attractiveness only for
networks that fall outside their intended band, so the sample shows each situation it is
meant to show (one large network, one exempt rural network under 30,000) whatever the draw.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .geography import AreaDraft
from .people import PracticeDraft, expected_lists

COMPASS = ("East", "North", "West", "South")

# Local authorities ("places"). Networks formed mostly within districts, so an area lies in the
# district of the network most of its residents are registered with; two networks straddle a
# district border, as some real ones do: (north of y km -> first district, else second).
PLACE_OF_NETWORK = {"wyreford": "Wyreford", "calderby": "Calder Fells", "fellside": "Calder Fells"}
STRADDLING = {"hollinbeck": (8.0, "Wyreford", "Calder Fells"), "ashbridge-north": (3.5, "Wyreford", "Ashbridge")}


@dataclass
class NetworkPlan:
    key: str                      # a short stable handle used by the generator, never shown
    name: str
    members: list[int] = field(default_factory=list)   # indexes into the practice list
    band: tuple[int, int] = (33_000, 48_000)           # intended list size at the latest date


def design(practices: list[PracticeDraft], natural: np.ndarray) -> tuple[list[NetworkPlan], int]:
    """Networks and the index of the one practice that joined none."""
    by_place: dict[str, list[int]] = {}
    for i, p in enumerate(practices):
        by_place.setdefault(p.settlement.name, []).append(i)
    ash = by_place["Ashbridge"]
    # The smallest Ashbridge practice stayed out of the DES in 2019, as a few practices did.
    unassigned = min(ash, key=lambda i: natural[i])
    wedges = _balanced_wedges(practices, [i for i in ash if i != unassigned], natural, 4)
    plans = [NetworkPlan(f"ashbridge-{label.lower()}", f"Ashbridge {label} PCN", members)
             for label, members in wedges]
    west = min(plans, key=lambda n: _mean_x(practices, n.members))
    west.members += by_place["Marlbeck"]
    west.name = west.name.replace(" PCN", " & Marlbeck PCN")
    plans += [
        NetworkPlan("wyreford", "Wyreford Health PCN", by_place["Wyreford"] + by_place["Ellerthwaite"],
                    (52_000, 62_000)),
        NetworkPlan("calderby", "Calderby & Brackenfold PCN", by_place["Calderby"] + by_place["Brackenfold"]),
        NetworkPlan("hollinbeck", "Hollinbeck & Kelderby PCN", by_place["Hollinbeck"] + by_place["Kelderby"]),
        NetworkPlan("fellside", "Fellside Rural PCN",
                    sum((by_place[v] for v in ("Thursgill", "Fellgate", "Garsthwaite", "Skelbrook", "Ravensmoor")),
                        []), (19_000, 27_000)),
    ]
    return plans, unassigned


def _mean_x(practices: list[PracticeDraft], members: list[int]) -> float:
    return sum(practices[i].x for i in members) / len(members)


def _balanced_wedges(practices: list[PracticeDraft], idx: list[int], size: np.ndarray,
                     parts: int) -> list[tuple[str, list[int]]]:
    """Split a town's practices into angular wedges around its centre with similar list sizes,
    and name each by the compass point its wedge faces."""
    centre = practices[idx[0]].settlement
    ordered = sorted(idx, key=lambda i: math.atan2(practices[i].y - centre.y, practices[i].x - centre.x))
    total = float(sum(size[i] for i in idx))
    best: list[list[int]] | None = None
    best_spread = math.inf
    for start in range(len(ordered)):
        ring = ordered[start:] + ordered[:start]
        groups: list[list[int]] = [[] for _ in range(parts)]
        running = 0.0
        for i in ring:
            g = min(parts - 1, int(running / total * parts + 0.5 * size[i] / total * parts))
            groups[g].append(i)
            running += size[i]
        if any(not g for g in groups):
            continue
        sums = [sum(size[i] for i in g) for g in groups]
        if max(sums) - min(sums) < best_spread:
            best, best_spread = groups, max(sums) - min(sums)
    assert best is not None
    angles = [math.atan2(sum(practices[i].y - centre.y for i in g), sum(practices[i].x - centre.x for i in g))
              for g in best]
    order = sorted(range(parts), key=lambda k: angles[k] % (2 * math.pi))
    labels = _compass_labels([angles[k] for k in order])
    return [(labels[j], sorted(best[k])) for j, k in enumerate(order)]


def _compass_labels(angles: list[float]) -> list[str]:
    """Distinct compass names for wedges listed anticlockwise: the rotation that fits best."""
    def error(shift: int) -> float:
        return sum(abs(math.remainder(a - (j + shift) * math.pi / 2, 2 * math.pi)) for j, a in enumerate(angles))
    shift = min(range(4), key=error)
    return [COMPASS[(j + shift) % 4] for j in range(len(angles))]


def calibrate(plans: list[NetworkPlan], unassigned: int, dist: np.ndarray, attractiveness: np.ndarray,
              pop: np.ndarray, solo_band: tuple[int, int] = (2_500, 4_500)) -> np.ndarray:
    """Scale the attractiveness of whole networks until every network lies in its band."""
    a = attractiveness.copy()
    groups = [(p.members, p.band) for p in plans] + [([unassigned], solo_band)]
    for _ in range(60):
        lists = expected_lists(dist, a, pop)
        off = False
        for members, (lo, hi) in groups:
            size = lists[members].sum()
            target = min(max(size, lo * 1.03), hi * 0.97)   # aim inside the band, not on its edge
            if not lo * 1.01 <= size <= hi * 0.99:
                off = True
            a[members] *= (target / size) ** 1.2
        if not off:
            return a
    raise RuntimeError("the sample's networks could not be brought within their size bands")


def assign_places(areas: list[AreaDraft], counts: np.ndarray, plans: list[NetworkPlan]) -> None:
    """Each area's district, from the network that registers most of its residents."""
    keys = [p.key for p in plans] + ["unassigned"]
    by_network = np.zeros((counts.shape[0], len(keys)), dtype=np.int64)
    by_network[:, -1] = counts.sum(axis=1)
    for k, plan in enumerate(plans):
        by_network[:, k] = counts[:, plan.members].sum(axis=1)
        by_network[:, -1] -= by_network[:, k]
    for a, row in zip(areas, by_network):
        key = keys[int(np.argmax(row))]                  # the unassigned practice is in Ashbridge
        if key in STRADDLING:
            y, north, south = STRADDLING[key]
            a.place = north if a.seed[1] > y else south
        else:
            a.place = PLACE_OF_NETWORK.get(key, "Ashbridge")
