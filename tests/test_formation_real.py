"""Proposals on real data (skipped without ../shared/data): West Sussex's December 2019
configuration, with three networks under 30,000, and Pennine Lancashire after a closure.
Every proposal is applied to a fresh project and checked by the rules engine, and the
networks' sizes after the moves recomputed with pandas from the source files."""
from __future__ import annotations

import pandas as pd
import pytest
from formation_helpers import apply_moves, errors, haversine
from formation_real import pennine_frames, pennine_project, west_sussex_frame, west_sussex_project

from pcn_desktop.formation import ProposeOptions, propose
from pcn_desktop.settings import rule_settings_for

pytestmark = pytest.mark.realdata


def _sizes_after(frame: pd.DataFrame, code: str, net: str, size: str, moves, dissolved=()) -> pd.Series:
    df = frame[[code, net, size]].copy()
    for m in moves:
        df.loc[df[code] == m.practice, net] = m.to_key or None
    df = df.dropna(subset=[net])
    return df.groupby(net)[size].sum()


def test_west_sussex_three_small_networks_are_fixed_with_the_fewest_moves():
    frame = west_sussex_frame()
    under = frame.groupby("PCN")["Patients"].sum()
    assert sorted(under[under < 30000].round(-3).tolist()) == [23000, 29000, 29000]
    project = west_sussex_project()
    assert sorted(f.rule for f in errors(project)) == ["list-size-minimum"] * 3
    result = propose(project, rule_settings_for(project), ProposeOptions(count=3))
    assert len(result.proposals) == 3
    for proposal in result.proposals:
        assert proposal.optimal
        fresh = west_sussex_project()
        apply_moves(fresh, [m.as_json() for m in proposal.moves], [k for _, k in proposal.dissolved])
        assert errors(fresh) == []
        sizes = _sizes_after(frame, "Code", "PCN", "Patients", proposal.moves)
        assert (sizes >= 30000).all() and len(sizes) == 21
        assert proposal.scores["patients_moved"] == int(frame.set_index("Code").loc[[m.practice for m in proposal.moves], "Patients"].sum())
    # One move raises at most one network's list, and three are short: three is the least.
    assert result.proposals[0].scores["practices_moved"] == 3
    first = [p.scores for p in result.proposals]
    assert first == sorted(first, key=lambda s: (s["practices_moved"], s["patients_moved"]))


def test_west_sussex_within_five_km_and_with_a_ceiling():
    frame = west_sussex_frame().set_index("Code")
    project = west_sussex_project()
    result = propose(project, rule_settings_for(project), ProposeOptions(count=2, max_distance_km=5, maximum=85000))
    for proposal in result.proposals:
        fresh = west_sussex_project()
        apply_moves(fresh, [m.as_json() for m in proposal.moves])
        assert errors(fresh) == []
        for m in proposal.moves:
            members = frame[frame["PCN"] == m.to_key]
            here = (frame.loc[m.practice, "lat"], frame.loc[m.practice, "long"])
            assert min(haversine(here, (r.lat, r.long)) for r in members.itertuples()) <= 5
        sizes = _sizes_after(frame.reset_index(), "Code", "PCN", "Patients", proposal.moves)
        assert sizes.max() <= 85000
        assert any(m.from_key == "West Sussex - Champ PCN" for m in proposal.moves)   # it had 87,805


def test_pennine_after_a_closure():
    pcns, sizes = pennine_frames()
    frame = pcns.assign(size=pcns["PCode"].map(sizes).fillna(0).astype(int))
    east = frame[frame["PCN"] == "ROSSENDALE EAST PCN"]
    biggest = east.sort_values("size").iloc[-1]["PCode"]
    project = pennine_project(closed=biggest)
    assert sorted({f.rule for f in errors(project)}) == ["closed-practice-member"]
    # still counted today; once the closed practice leaves, Rossendale East is under 30,000
    assert 0 < 30000 - (east["size"].sum() - east["size"].max())
    result = propose(project, rule_settings_for(project), ProposeOptions(count=3, max_distance_km=8))
    assert result.proposals
    for proposal in result.proposals:
        fresh = pennine_project(closed=biggest)
        apply_moves(fresh, [m.as_json() for m in proposal.moves], [k for _, k in proposal.dissolved])
        assert errors(fresh) == []
        assert any(m.practice == biggest and m.to_key == "" for m in proposal.moves)
        after = _sizes_after(frame[frame["PCode"] != "P81778"], "PCode", "PCN", "size", proposal.moves)
        assert (after >= 30000).all()
