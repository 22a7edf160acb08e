"""The formation problem as plain indexed data, read once from a project.

Kept apart from the solver so the greedy baseline, the CP-SAT model and the tests all see the
same practices, sizes, candidate networks and requirements.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..domain.model import Project
from ..domain.settings import RuleSettings
from .options import FormationError, NoProposal, ProposeOptions

EARTH_KM = 6371.0088


@dataclass
class Problem:
    codes: list[str]                       # open practices that must end in exactly one network
    size: list[int]                        # each one's list at the counting date
    current: list[int]                     # its network's index, -1 when in none
    several: list[bool]                    # currently in more than one network (must change)
    location: list[tuple[float, float] | None]   # (lat, lon)
    place: list[str]
    nets: list[str]                        # network ids
    net_keys: list[str]
    exempt: list[bool]
    locked_net: list[bool]
    occupied: list[bool]                   # has members now: losing them all dissolves it
    anchor: list[tuple[float, float] | None]     # patient-weighted centre of today's members
    required: list[list[int]]              # practices that must stay/join while it exists (payee, director)
    candidates: list[list[int]]            # networks each practice may end in
    minimum: int
    maximum: int | None
    allow_dissolve: bool
    together: list[list[int]] = field(default_factory=list)
    apart: list[list[int]] = field(default_factory=list)
    closed_members: list[tuple[str, str]] = field(default_factory=list)   # (practice, network id) to end
    list_date: date | None = None
    # networks whose own rules are not enforced: a part solved alone (see parts.py) sees its
    # neighbours only as places a practice may go, and they are checked afterwards
    relaxed: list[bool] = field(default_factory=list)

    @property
    def practice_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def distance_km(self, p: int, n: int) -> float:
        a, b = self.location[p], self.anchor[n]
        if a is None or b is None:
            return 0.0
        return haversine_km(a, b)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def build_problem(project: Project, settings: RuleSettings, options: ProposeOptions,
                  places: dict[str, str] | None = None,
                  touching: dict[str, set[str]] | None = None) -> Problem:
    """Index the project. ``places`` (practice -> local authority) and ``touching``
    (practice -> network ids whose area touches the practice's area) come from the geography
    layer when the options need them."""
    at = settings.counting_date(project.list_dates())
    nets = [n.id for n in project.sorted_networks()]
    net_pos = {nid: i for i, nid in enumerate(nets)}
    members = {nid: set(project.members(nid)) for nid in nets}
    codes = sorted(({c for c in project.practices if not project.is_closed(c)}
                    | {c for m in members.values() for c in m if not project.is_closed(c)}))
    closed = sorted((c, nid) for nid, m in members.items() for c in m if project.is_closed(c))
    pos = {c: i for i, c in enumerate(codes)}
    size = [project.list_size(c, at) for c in codes]
    current: list[int] = []
    several: list[bool] = []
    for c in codes:
        mine = [net_pos[n] for n in project.networks_of(c) if n in net_pos]
        current.append(mine[0] if len(mine) == 1 else -1)
        several.append(len(mine) > 1)
    location: list[tuple[float, float] | None] = []
    for c in codes:
        p = project.practices.get(c)
        location.append((p.latitude, p.longitude) if p is not None and p.has_location else None)
    place = [(places or {}).get(c, "") for c in codes]
    exempt = [bool(project.networks[n].exemption) for n in nets]
    occupied = [any(c in pos for c in members[n]) for n in nets]
    anchor = [_centre([(location[pos[c]], size[pos[c]]) for c in members[n] if c in pos]) for n in nets]

    locked_net = [False] * len(nets)
    locked_practice = [False] * len(codes)
    for key in options.lock:
        if key.strip().upper() in pos:
            locked_practice[pos[key.strip().upper()]] = True
            continue
        net = project.find_network(key)
        if net is None:
            raise FormationError(f"--lock {key}: no practice or network with that code or name")
        locked_net[net_pos[net.id]] = True
    for n, locked in enumerate(locked_net):
        if locked:
            for c in members[nets[n]]:
                if c in pos:
                    locked_practice[pos[c]] = True

    required: list[list[int]] = []
    for nid in nets:
        net = project.networks[nid]
        wanted = {net.nominated_payee} | ({net.director.practice_code} if net.director else set())
        required.append(sorted(pos[c] for c in wanted if c and c in pos))

    minimum = settings.minimum_list if options.minimum is None else options.minimum
    if options.maximum is not None and options.maximum < minimum:
        raise FormationError(f"--max {options.maximum:,} is below the minimum {minimum:,}")
    if options.same_place and not any(place):
        raise FormationError("--same-place needs small areas with their local authority in the project")
    if options.touching and touching is None:
        raise FormationError("the touching-area constraint needs small areas and boundaries in the project")

    near = _near_networks(codes, location, members, pos, nets, options.max_distance_km)
    net_places = [{place[pos[c]] for c in members[n] if c in pos and place[pos[c]]} for n in nets]
    candidates: list[list[int]] = []
    for i, c in enumerate(codes):
        if locked_practice[i] and current[i] >= 0:
            candidates.append([current[i]])
            continue
        allowed = set(range(len(nets)))
        if options.max_distance_km is not None or options.touching:
            reach: set[int] = set()
            if options.max_distance_km is not None:
                reach |= near[i]
            if options.touching:
                reach |= {net_pos[n] for n in (touching or {}).get(c, set()) if n in net_pos}
            allowed &= reach
        if options.same_place:
            if place[i]:
                allowed = {n for n in allowed if place[i] in net_places[n]}
            elif current[i] >= 0:
                allowed = set()
        allowed = {n for n in allowed if not locked_net[n]}
        if current[i] >= 0:
            allowed.add(current[i])
        for n in project.networks_of(c):
            if n in net_pos:
                allowed.add(net_pos[n])
        # a network's payee or director may always (re)join it: that is what fixes its finding
        allowed |= {n for n, req in enumerate(required) if i in req}
        candidates.append(sorted(allowed))
    for i, cands in enumerate(candidates):
        if not cands:
            raise NoProposal(f"{codes[i]} is in no network and no network is within reach of it "
                                 "under these constraints")

    return Problem(codes, size, current, several, location, place, nets,
                   [project.networks[n].key for n in nets], exempt, locked_net, occupied, anchor,
                   required, candidates, minimum, options.maximum, options.allow_dissolve,
                   _groups(options.together, pos, "--together"), _groups(options.apart, pos, "--apart"),
                   closed, at)


def _groups(groups: tuple[tuple[str, ...], ...], pos: dict[str, int], flag: str) -> list[list[int]]:
    out = []
    for group in groups:
        idx = []
        for code in group:
            key = code.strip().upper()
            if key not in pos:
                raise FormationError(f"{flag} {','.join(group)}: no open practice {code}")
            idx.append(pos[key])
        if len(set(idx)) < 2:
            raise FormationError(f"{flag} {','.join(group)}: name at least two different practices")
        out.append(sorted(set(idx)))
    return out


def _centre(points: list[tuple[tuple[float, float] | None, int]]) -> tuple[float, float] | None:
    located = [(loc, max(n, 1)) for loc, n in points if loc is not None]
    if not located:
        return None
    total = sum(n for _, n in located)
    return (sum(loc[0] * n for loc, n in located) / total, sum(loc[1] * n for loc, n in located) / total)


def _near_networks(codes: list[str], location: list[tuple[float, float] | None],
                   members: dict[str, set[str]], pos: dict[str, int], nets: list[str],
                   km: float | None) -> list[set[int]]:
    """Networks with a current member within ``km`` of each practice. Practices are bucketed
    on a grid of cells at least ``km`` wide and each cell measured against its 3x3
    neighbourhood at once, so all of England costs a moment, not 6,500 x 6,500 distances."""
    out: list[set[int]] = [set() for _ in codes]
    if km is None:
        return out
    net_of: dict[int, list[int]] = {}
    for n, nid in enumerate(nets):
        for c in members[nid]:
            if c in pos:
                net_of.setdefault(pos[c], []).append(n)
    located = [i for i, loc in enumerate(location) if loc is not None]
    if not located:
        return out
    lat = np.radians(np.array([location[i][0] for i in located]))      # type: ignore[index]
    lon = np.radians(np.array([location[i][1] for i in located]))      # type: ignore[index]
    lat_step = math.radians(km / 111.0)
    # one longitude step for all, sized at the most northerly practice so every cell is at
    # least ``km`` wide and the neighbouring ring covers the circle
    lon_step = lat_step / max(0.1, math.cos(float(lat.max())))
    cy = np.floor(lat / lat_step).astype(np.int64)
    cx = np.floor(lon / lon_step).astype(np.int64)
    cells: dict[tuple[int, int], list[int]] = {}
    for k, key in enumerate(zip(cy.tolist(), cx.tolist())):
        cells.setdefault(key, []).append(k)
    for (y, x), here in cells.items():
        near = [k for dy in (-1, 0, 1) for dx in (-1, 0, 1) for k in cells.get((y + dy, x + dx), ())
                if located[k] in net_of]
        if not near:
            continue
        a, b = np.array(here), np.array(near)
        dlat = lat[b][None, :] - lat[a][:, None]
        dlon = lon[b][None, :] - lon[a][:, None]
        h = np.sin(dlat / 2) ** 2 + np.cos(lat[a])[:, None] * np.cos(lat[b])[None, :] * np.sin(dlon / 2) ** 2
        dist = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        for r, col in zip(*np.nonzero(dist <= km)):
            out[located[a[r]]].update(net_of[located[b[col]]])
    return out
