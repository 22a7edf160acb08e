from builders import network, practice

from pcn_desktop.domain.commands import (CommandStack, CreateNetwork, DissolveNetwork, MergeNetworks,
                                         MovePractice, SetNetworkField, SplitNetwork)
from pcn_desktop.domain.model import Project


def make():
    p = Project()
    a = network(p, "North", {"A00001": 20000, "A00002": 15000})
    b = network(p, "South", {"A00003": 31000})
    return p, a, b


def snapshot(p):
    return {n.name: sorted(p.members(n.id)) for n in p.networks.values()}


def test_move_undo_redo_keeps_totals_right():
    p, a, b = make()
    stack = CommandStack(p)
    touched = stack.push(MovePractice("A00002", b.id))
    assert touched == {a.id, b.id}
    assert (p.network_list_size(a.id), p.network_list_size(b.id)) == (20000, 46000)
    stack.undo()
    assert (p.network_list_size(a.id), p.network_list_size(b.id)) == (35000, 31000)
    stack.redo()
    assert p.network_of("A00002") is b
    assert p.audit[0].what == "practice A00002 network" and p.audit[0].new == "South"


def test_create_merge_split_dissolve_round_trip():
    p, a, b = make()
    before = snapshot(p)
    stack = CommandStack(p)
    stack.push(MergeNetworks(a.id, b.id))
    assert snapshot(p) == {"North": ["A00001", "A00002", "A00003"]}
    stack.push(SplitNetwork(a.id, ["A00003"], "East"))
    assert snapshot(p) == {"North": ["A00001", "A00002"], "East": ["A00003"]}
    stack.push(DissolveNetwork(a.id))
    assert p.unassigned() == ["A00001", "A00002"]
    stack.push(CreateNetwork("West", practices=["A00001"]))
    assert sorted(snapshot(p)) == ["East", "West"]
    for _ in range(4):
        stack.undo()
    assert snapshot(p) == before


def test_field_edit_undo_and_clean_state():
    p, a, _ = make()
    stack = CommandStack(p)
    stack.mark_clean()
    stack.push(SetNetworkField(a.id, "name", "North Fells"))
    assert not stack.is_clean and p.networks[a.id].name == "North Fells"
    stack.undo()
    assert stack.is_clean and p.networks[a.id].name == "North"


def test_move_to_unknown_network_changes_nothing():
    import pytest
    p, a, _ = make()
    with pytest.raises(KeyError):
        CommandStack(p).push(MovePractice("A00001", "nope"))
    assert p.network_of("A00001") is a
    practice(p, "A00009", 10)
    assert p.unassigned() == ["A00009"]


def test_merging_hands_the_absorbed_networks_planned_roles_to_the_merged_network(tmp_path):
    """The staff a network planned (its Additional Roles) do not vanish with its name: they
    join the plan of the network it merged into, and are saved with it."""
    from pcn_desktop.domain.model import PlannedRole
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project, save_project
    p = load_project(resource("sample", "sample_ccg.pcnproj"))
    planned = [nid for nid, roles in p.workforce.items() if roles and nid in p.networks]
    absorb = planned[0]
    keep = next(n for n in p.networks if n != absorb)
    keep_before = list(p.workforce.get(keep, []))
    absorbed = list(p.workforce[absorb])
    stack = CommandStack(p)
    stack.push(MergeNetworks(keep, absorb))
    assert p.workforce[keep] == keep_before + absorbed
    assert not p.workforce.get(absorb)
    save_project(p, tmp_path / "merged.pcnproj")
    assert load_project(tmp_path / "merged.pcnproj").workforce[keep] == keep_before + absorbed
    stack.undo()
    assert p.workforce[keep] == keep_before and p.workforce[absorb] == absorbed
    stack.redo()
    assert p.workforce[keep] == keep_before + absorbed
