"""The sample CCG's practices, residents, registrations and list sizes.

Registrations follow a gravity model: the residents of an area register across nearby
practices in proportion to ``attractiveness × exp(-distance / 2.5 km)``, as patients mostly
choose a practice near home. Counts are drawn from a multinomial so they are whole patients
that sum exactly to the area's population.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Point, Polygon

from .geography import SETTLEMENTS, AreaDraft, Settlement

DECAY_KM = 1.6
MIN_DISTANCE_KM = 0.3        # patients living "at" the surgery still travel a little
MIN_SHARE = 0.004            # below this a practice draws nobody from the area (keeps rows sensible)

# Postcode areas: "XW" is not a UK postcode area, so none of these can be mistaken for a real
# address, yet they pass a format check (A9 9AA style: outward XW1-XW9, inward digit + 2 letters).
POSTCODE_DISTRICTS = {"Ashbridge": ("XW1", "XW2", "XW3"), "Wyreford": ("XW5",), "Calderby": ("XW7",),
                      "Hollinbeck": ("XW8",)}
VILLAGE_DISTRICTS = ("XW4", "XW6", "XW9")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"   # the letters Royal Mail uses in inward codes

TOWN_PRACTICE_NAMES = (
    "Moor Lane Surgery", "Kirkgate Medical Centre", "Station Road Surgery", "Market Place Surgery",
    "Bridge Street Health Centre", "Priory Medical Group", "Oakfield Surgery", "Riverside Medical Practice",
    "St Wilfrid's Surgery", "Highfield Health Centre", "Brookside Practice", "Fellview Surgery",
    "Abbey Medical Practice", "Larkhill Surgery", "Greenbank Surgery", "Northgate Medical Centre",
    "Southfield Surgery", "Westway Medical Centre", "Castle Mount Surgery", "Millbrook Family Practice",
    "Park Road Surgery", "Victoria Medical Centre", "The Old School Surgery", "Beckside Health Centre",
    "Ashgrove Medical Practice", "Church View Surgery", "Holme Lane Surgery", "Queen Street Surgery",
    "Ribblesdale Medical Group", "Tannery Yard Practice", "Weavers Medical Centre", "Canal Side Surgery",
    "The Elms Surgery", "Lune House Surgery", "Wellspring Medical Practice", "Foundry Lane Surgery",
)
STREETS = ("Moor Lane", "Kirkgate", "Station Road", "Market Place", "Bridge Street", "Priory Road",
           "Oakfield Avenue", "Water Street", "Church Street", "Highfield Road", "Mill Lane", "Park Road",
           "Victoria Road", "Queen Street", "King Street", "Castle Hill", "Brook Street", "Northgate")


@dataclass
class PracticeDraft:
    code: str
    name: str
    settlement: Settlement
    x: float                      # km
    y: float
    attractiveness: float
    address: tuple[str, ...] = ()
    postcode: str = ""


def place_practices(rng: np.random.Generator, outline: Polygon) -> list[PracticeDraft]:
    names = list(rng.permutation(TOWN_PRACTICE_NAMES))
    drafts: list[PracticeDraft] = []
    spots: list[tuple[float, float]] = []
    for s in SETTLEMENTS:
        for i in range(s.practices):
            x, y = _practice_spot(rng, s, outline, spots)
            spots.append((x, y))
            if s.kind == "town":
                name = str(names.pop())
            else:
                name = f"{s.name} {'Surgery' if i == 0 else 'Branch Surgery'}"
            drafts.append(PracticeDraft("", name, s, x, y, float(rng.lognormal(0.0, 0.35))))
    for i, p in enumerate(drafts, start=1):
        p.code = f"Y9{i:04d}"    # Y9xxxx: a range ODS has not issued (latest Y07xxx in 2022)
        p.address = (f"{int(rng.integers(1, 120))} {STREETS[int(rng.integers(len(STREETS)))]}",
                     p.settlement.name)
        p.postcode = _postcode(rng, p)
    return drafts


def _practice_spot(rng: np.random.Generator, s: Settlement, outline: Polygon,
                   taken: list[tuple[float, float]]) -> tuple[float, float]:
    spread = s.spread * 0.8 if s.kind == "town" else 0.15
    for _ in range(10000):
        x, y = rng.normal(s.x, spread), rng.normal(s.y, spread)
        if outline.contains(Point(x, y)) and all(math.hypot(x - a, y - b) > (0.6 if s.kind == "town" else 0.3) for a, b in taken):
            return x, y
    raise RuntimeError(f"cannot place the practices of {s.name}")


def _postcode(rng: np.random.Generator, p: PracticeDraft) -> str:
    districts = POSTCODE_DISTRICTS.get(p.settlement.name)
    if districts is None:
        district = VILLAGE_DISTRICTS[0 if p.x < 0 else (1 if p.y < 0 else 2)]
    else:
        # A big town's districts split it into sectors, as real postcode districts do.
        angle = math.atan2(p.y - p.settlement.y, p.x - p.settlement.x)
        district = districts[int((angle + math.pi) / (2 * math.pi) * len(districts)) % len(districts)]
    letters = "".join(INWARD_LETTERS[int(rng.integers(len(INWARD_LETTERS)))] for _ in range(2))
    return f"{district} {int(rng.integers(1, 10))}{letters}"


def populations(rng: np.random.Generator, areas: list[AreaDraft]) -> np.ndarray:
    """Residents per area, LSOA-like: towns 1,000-2,700, villages and fells a little fewer."""
    mean = {"town": 1330, "village": 1200, "rural": 1120}
    out = [int(np.clip(rng.normal(mean[a.kind], 0.2 * mean[a.kind]), 850, 2700)) for a in areas]
    return np.array(out, dtype=np.int64)


def distances_km(areas: list[AreaDraft], practices: list[PracticeDraft]) -> np.ndarray:
    ax = np.array([a.seed for a in areas])
    px = np.array([(p.x, p.y) for p in practices])
    d = np.hypot(ax[:, None, 0] - px[None, :, 0], ax[:, None, 1] - px[None, :, 1])
    return np.maximum(d, MIN_DISTANCE_KM)


def shares(dist: np.ndarray, attractiveness: np.ndarray) -> np.ndarray:
    """Each area's split of residents across practices (rows sum to 1)."""
    w = attractiveness[None, :] * np.exp(-dist / DECAY_KM)
    w /= w.sum(axis=1, keepdims=True)
    w[w < MIN_SHARE] = 0.0
    return w / w.sum(axis=1, keepdims=True)


def expected_lists(dist: np.ndarray, attractiveness: np.ndarray, pop: np.ndarray) -> np.ndarray:
    return (shares(dist, attractiveness) * pop[:, None]).sum(axis=0)


def draw_registrations(rng: np.random.Generator, dist: np.ndarray, attractiveness: np.ndarray,
                       pop: np.ndarray) -> np.ndarray:
    """Whole patients per (area, practice); each row sums to the area's population."""
    p = shares(dist, attractiveness)
    return np.vstack([rng.multinomial(int(n), row) for n, row in zip(pop, p)])


def earlier_lists(rng: np.random.Generator, latest: np.ndarray, years: int) -> list[np.ndarray]:
    """List sizes a year and two years before: lists drift by about +1% a year, ±1.5%."""
    out, current = [], latest.astype(float)
    for _ in range(years):
        growth = rng.normal(0.008, 0.015, latest.size)
        current = current / (1.0 + growth)
        out.append(np.rint(current).astype(np.int64))
    return out
