"""Which units of a project an edit changes: the basis of refusing only real clashes."""
from __future__ import annotations

from shapely.geometry import box

from pcn_desktop.domain.commands import MovePractice, SetNetworkField
from pcn_desktop.paths import resource
from pcn_desktop.store import load_project
from pcn_desktop.store.versions import DATA, SCENARIOS, base_of, changed_units


def opened():
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    return project, base_of(project)


def test_a_field_edit_changes_only_its_network():
    project, base = opened()
    net = project.sorted_networks()[0]
    SetNetworkField(net.id, "notes", "x").do(project)
    assert changed_units(project, base) == {f"current|network:{net.id}"}


def test_a_move_changes_the_practice_and_both_networks():
    project, base = opened()
    nets = project.sorted_networks()
    code = sorted(project.members(nets[1].id))[0]
    MovePractice(code, nets[0].id).do(project)
    assert changed_units(project, base) == {f"current|practice:{code}", f"current|network:{nets[0].id}",
                                            f"current|network:{nets[1].id}"}


def test_imported_data_changed_in_place_is_seen():
    project, base = opened()
    when = max(project.registrations)
    key = next(iter(project.registrations[when]))
    project.registrations[when][key] += 1                 # same keys, another count
    assert changed_units(project, base) == {DATA}
    project, base = opened()
    area = next(iter(project.areas.values()))
    area.geometry = box(0, 0, 1, 1)                        # a new outline is a new object
    assert changed_units(project, base) == {DATA}
    project, base = opened()
    code = next(iter(project.list_sizes))
    project.list_sizes[code][max(project.list_sizes[code])] += 1
    assert changed_units(project, base) == {DATA}


def test_a_new_scenario_is_the_list_and_its_own_units():
    project, base = opened()
    project.copy_scenario(project.active_scenario, "what-if")
    changed = changed_units(project, base)
    assert SCENARIOS in changed
    assert all(u == SCENARIOS or u.startswith("what-if|") for u in changed)
    assert any(u.startswith("what-if|network:") for u in changed)
