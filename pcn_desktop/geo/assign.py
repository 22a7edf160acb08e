"""The plurality rule: each small area goes to the network whose members hold most of its
registered patients, counted at the latest registration date.

Only networks compete: patients registered with practices outside every network (a
neighbouring CCG's, say) count in an area's total, and so lower the leader's share, but never
win an area. A tie goes to the tied network with most patients in the neighbouring areas
(those whose polygons touch it), then to the one listed first (by name, then code), so a build
is deterministic and a tied edge area joins the footprint it borders. Vectorised with numpy: one pass over the registrations, no Python loop per row.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..domain.model import Project
from .areas import AreaIndex


@dataclass(frozen=True)
class Vote:
    area: str
    network_id: str | None     # the leading network; None when no member practice has patients there
    patients: int              # the leader's patients in the area
    total: int                 # every registered patient living in the area, any practice

    @property
    def share(self) -> float:
        return self.patients / self.total if self.total else 0.0


def practice_networks(project: Project, idx: AreaIndex, practices: np.ndarray | None = None
                      ) -> tuple[list[str], np.ndarray]:
    """Network ids in tie-break order, and each registered practice's position in it (-1: none).
    With ``practices`` (indices), only those are looked up; the rest stay -1."""
    order = [n.id for n in project.sorted_networks()]
    rank = {nid: i for i, nid in enumerate(order)}
    net_of = np.full(len(idx.practice_codes), -1, dtype=np.int64)
    wanted = range(len(idx.practice_codes)) if practices is None else practices.tolist()
    for i in wanted:
        code = idx.practice_codes[i]
        nets = project.networks_of(code)
        if nets:
            net_of[i] = min(rank[n] for n in nets if n in rank)
    return order, net_of


def plurality(project: Project, idx: AreaIndex, areas: np.ndarray | None = None) -> dict[str, Vote]:
    """Votes for every area (or the area indices given) that has registered patients."""
    if areas is None:
        rows = np.flatnonzero(idx.reg_area >= 0)
        wanted = np.flatnonzero(idx.residents > 0)
        order, net_of = practice_networks(project, idx)
    else:
        wanted = np.unique(np.asarray(areas, dtype=np.int64))
        # the neighbours too, in case a tie needs them
        near = [wanted] + [idx.tree.query(idx.geoms[a]) for a in wanted.tolist() if idx.geoms[a] is not None]
        chunks = [idx.rows_by_area[a] for a in np.unique(np.concatenate(near)).tolist() if a in idx.rows_by_area]
        every = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int64)
        order, net_of = practice_networks(project, idx, np.unique(idx.reg_practice[every]))
        mine = [idx.rows_by_area[a] for a in wanted.tolist() if a in idx.rows_by_area]
        rows = np.concatenate(mine) if mine else np.empty(0, dtype=np.int64)
    ua, uk, sums = _sums(idx, net_of, rows, len(order) + 1)
    votes: dict[str, Vote] = {}
    if len(ua):
        # most patients first, then the earlier network: the first row per area wins
        pick = np.lexsort((uk, -sums, ua))
        ua, uk, sums = ua[pick], uk[pick], sums[pick]
        first = np.concatenate([[True], ua[1:] != ua[:-1]])
        tied = first.copy()
        tied[:-1] &= (ua[1:] == ua[:-1]) & (sums[1:] == sums[:-1])
        tied[-1] = False
        winners = uk.copy()
        for i in np.flatnonzero(tied).tolist():
            same = [i]
            while same[-1] + 1 < len(ua) and ua[same[-1] + 1] == ua[i] and sums[same[-1] + 1] == sums[i]:
                same.append(same[-1] + 1)
            winners[i] = _break_tie(idx, net_of, int(ua[i]), [int(uk[j]) for j in same], len(order) + 1)
        for ai, ki, s in zip(ua[first].tolist(), winners[first].tolist(), sums[first].tolist()):
            code = idx.codes[ai]
            votes[code] = Vote(code, order[ki], s, int(idx.residents[ai]))
    for ai in wanted.tolist():
        code = idx.codes[ai]
        if code not in votes and idx.residents[ai] > 0:
            votes[code] = Vote(code, None, 0, int(idx.residents[ai]))
    return votes


def _sums(idx: AreaIndex, net_of: np.ndarray, rows: np.ndarray, width: int
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(area, network, patients) for every pair with patients, from the registration rows."""
    nets = net_of[idx.reg_practice[rows]]
    keep = nets >= 0
    a, k, n = idx.reg_area[rows][keep], nets[keep], idx.reg_n[rows][keep]
    if not len(a):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    uniq, inverse = np.unique(a * width + k, return_inverse=True)
    sums = np.bincount(inverse, weights=n).astype(np.int64)
    return uniq // width, uniq % width, sums


def _break_tie(idx: AreaIndex, net_of: np.ndarray, area: int, tied: list[int], width: int) -> int:
    geom = idx.geoms[area]
    if geom is None:
        return min(tied)
    near = [int(j) for j in idx.tree.query(geom, predicate="intersects") if j != area]
    chunks = [idx.rows_by_area[j] for j in near if j in idx.rows_by_area]
    if not chunks:
        return min(tied)
    _, uk, sums = _sums(idx, net_of, np.concatenate(chunks), width)
    score = {k: int(sums[uk == k].sum()) for k in tied}
    return min(tied, key=lambda k: (-score[k], k))
