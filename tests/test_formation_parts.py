"""Solving in parts (formation.parts) reaches the same lexicographic optimum as one model of
the whole problem, on random problems small enough to solve both ways, including ones where a
donor left short in the first round must be brought in and the parts solved again."""
from __future__ import annotations

import random

import pytest

from pcn_desktop.formation.parts import PartsModel, broken_networks, objectives
from pcn_desktop.formation.problem import Problem
from pcn_desktop.formation.solver import FormationModel, Infeasible


def random_problem(seed: int) -> Problem:
    """Networks on a line, each practice free to join networks up to two places away."""
    rng = random.Random(seed)
    n_nets = rng.randint(4, 9)
    codes, size, current, location = [], [], [], []
    for n in range(n_nets):
        for _ in range(rng.randint(1, 4)):
            codes.append(f"P{len(codes)}")
            size.append(rng.choice([3000, 5000, 8000, 12000, 15000]))
            current.append(n)
            location.append((52.0 + 0.01 * rng.random(), -1.0 + 0.05 * n + 0.01 * rng.random()))
    if rng.random() < 0.5:                   # a practice in no network
        codes.append(f"P{len(codes)}")
        size.append(6000)
        current.append(-1)
        location.append((52.0, -1.0 + 0.05 * rng.randrange(n_nets)))
    candidates = []
    for p, n in enumerate(current):
        home = n if n >= 0 else round((location[p][1] + 1.0) / 0.05)
        reach = rng.choice([1, 2])
        candidates.append([k for k in range(n_nets) if abs(k - home) <= reach])
    members = [[p for p, n in enumerate(current) if n == k] for k in range(n_nets)]
    anchor = [(52.0, -1.0 + 0.05 * k) for k in range(n_nets)]
    return Problem(codes=codes, size=size, current=current, several=[False] * len(codes),
                   location=location, place=[""] * len(codes), nets=[f"N{k}" for k in range(n_nets)],
                   net_keys=[f"N{k}" for k in range(n_nets)], exempt=[rng.random() < 0.1 for _ in range(n_nets)],
                   locked_net=[False] * n_nets, occupied=[bool(m) for m in members], anchor=anchor,
                   required=[[m[0]] if m and rng.random() < 0.2 else [] for m in members],
                   candidates=candidates, minimum=30000, maximum=None, allow_dissolve=rng.random() < 0.6)


def _solve(model):
    try:
        return model.solve(time_limit_s=20, workers=8)
    except Infeasible:
        return None


@pytest.mark.parametrize("seed", range(40))
def test_parts_reach_the_same_optimum_as_one_model(seed):
    pb = random_problem(seed)
    whole = _solve(FormationModel(pb))
    parts = PartsModel(pb)
    split = _solve(parts)
    if whole is None:
        assert split is None
        return
    assert split is not None and whole.optimal and split.optimal
    assert broken_networks(pb, split.assignment) == []
    assert objectives(pb, split.assignment) == objectives(pb, whole.assignment) == whole.objectives


def test_a_donor_left_short_is_brought_in_and_solved_again():
    rounds = []
    for seed in range(40):
        parts = PartsModel(random_problem(seed))
        if _solve(parts) is not None:
            rounds.append(parts.rounds)
    assert max(rounds) > 1          # the cases above include the second round, not only the first
