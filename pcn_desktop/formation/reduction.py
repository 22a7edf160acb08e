"""Shrink the model to the practices that can matter, without losing optimality.

Only practices near a network that needs fixing can take part in a fix. Start from the
networks that break a rule (under the floor, or missing their payee or director) and the
practices that must move (in no network, or in several); a practice is *active* if it belongs
to, or may join, an active network. A network that holds active practices becomes active too
unless what it keeps without them still reaches the floor (and its payee and director are
not active). Repeat until nothing changes; every other practice stays where it is.

Why nothing is lost: take any lexicographic optimum S of the full model and put every
inactive practice back. Active networks keep exactly their members in S (no inactive practice
may join them, and all their own members are active); every other network keeps at least its
inactive members, which reach the floor. So the result is feasible, never has more moves, and,
since S had the fewest, S moved no inactive practice: S itself is in the reduced model. The
argument needs every constraint to be monotone in this way, so the reduction is not used with
a size ceiling, and dropped once the rules engine has rejected an answer.
"""
from __future__ import annotations

from dataclasses import replace

from .problem import Problem


def reduce_problem(pb: Problem) -> tuple[Problem, int]:
    """The problem with inactive practices pinned to their network, and how many are active."""
    if pb.maximum is not None:
        return pb, len(pb.codes)
    n_nets = len(pb.nets)
    total = [0] * n_nets
    members: list[list[int]] = [[] for _ in range(n_nets)]
    joiners: list[list[int]] = [[] for _ in range(n_nets)]
    for p, n in enumerate(pb.current):
        if n >= 0:
            total[n] += pb.size[p]
            members[n].append(p)
    for p, cands in enumerate(pb.candidates):
        for n in cands:
            if n != pb.current[p]:
                joiners[n].append(p)
    grouped = [g for g in pb.together + pb.apart]
    active_net = [False] * n_nets
    for n in range(n_nets):
        short = pb.occupied[n] and not pb.exempt[n] and total[n] < pb.minimum
        missing = any(pb.current[r] != n for r in pb.required[n])
        active_net[n] = short or missing
    active = [pb.current[p] < 0 for p in range(len(pb.codes))]
    changed = True
    while changed:
        changed = False
        for n in range(n_nets):
            if active_net[n]:
                for p in members[n] + joiners[n] + pb.required[n]:
                    if not active[p]:
                        active[p] = changed = True
        for group in grouped:
            if any(active[p] for p in group) and not all(active[p] for p in group):
                for p in group:
                    active[p] = True
                changed = True
        for n in range(n_nets):
            if active_net[n]:
                continue
            left = total[n] - sum(pb.size[p] for p in members[n] if active[p])
            touched = any(active[p] for p in members[n])
            needs = any(active[r] for r in pb.required[n])
            # what stays must still reach the floor, and a network that may not go must keep someone
            if touched and ((not pb.exempt[n] and left < pb.minimum) or needs or left <= 0):
                active_net[n] = changed = True
    candidates = [c if active[p] or pb.current[p] < 0 else [pb.current[p]] for p, c in enumerate(pb.candidates)]
    return replace(pb, candidates=candidates), sum(active)
