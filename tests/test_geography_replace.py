"""A whole new geography as one undoable step (``ReplaceGeography``): a build from
registrations or an imported boundary file, undone and redone exactly; the boundary file
split into a read-only match and an apply that refuses before changing anything."""
from __future__ import annotations

import copy

import pytest

from pcn_desktop.domain.commands import CommandStack
from pcn_desktop.domain.rules.engine import FindingsCache
from pcn_desktop.geo.boundaries import build_from_registrations
from pcn_desktop.geo.commands import GeographySnapshot, ReplaceGeography, changed_networks
from pcn_desktop.geo.importing import BoundaryImportError, apply_boundaries, match_boundaries
from pcn_desktop.io.exports import write_boundaries
from pcn_desktop.settings import rule_settings_for
from ui_synthetic import synthetic_project


def geography(project) -> tuple:
    """What a build or an import changes, compared by value."""
    return (dict(project.area_assignments),
            {n: (b.geometry.wkb, b.provenance, b.built) for n, b in project.boundaries.items()},
            copy.deepcopy(project.settings.get("boundaries")))


def built_file(tmp_path, suffix: str = ".geojson", drop: tuple[str, ...] = ()):
    source = synthetic_project()
    build_from_registrations(source)
    for nid in drop:
        del source.boundaries[nid]
    path = tmp_path / f"pcns{suffix}"
    write_boundaries(source, path)
    return path


def test_a_build_is_undone_and_redone_exactly() -> None:
    project = synthetic_project()
    project.area_assignments.clear()
    stack = CommandStack(project)
    before_values = geography(project)
    before = GeographySnapshot.of(project)
    build_from_registrations(project)
    after_values = geography(project)
    assert after_values != before_values
    command = ReplaceGeography("Build boundaries from registrations", before, GeographySnapshot.of(project))
    assert stack.push(command) == {"N0", "N1", "N2"}
    assert geography(project) == after_values                  # pushing a done build changes nothing
    assert stack.undo() == {"N0", "N1", "N2"}
    assert geography(project) == before_values
    assert project.boundaries == {} and project.area_assignments == {}
    stack.redo()
    assert geography(project) == after_values
    # each step is in the project's history, with what it replaced
    said = [e for e in project.audit if e.what == "boundaries" or e.what.startswith("undo: Build")]
    assert len(said) == 3
    assert said[0].old.startswith("0 network boundaries") and "built from registrations" in said[0].new


def test_findings_after_undo_equal_a_fresh_evaluation() -> None:
    project = synthetic_project()
    project.area_assignments.clear()
    settings = rule_settings_for(project)
    cache = FindingsCache(project, settings)
    stack = CommandStack(project)
    before = GeographySnapshot.of(project)
    build_from_registrations(project)
    touched = stack.push(ReplaceGeography("Build", before, GeographySnapshot.of(project)))
    assert cache.refresh(touched) == FindingsCache(project, settings).findings()
    touched = stack.undo()
    assert cache.refresh(touched) == FindingsCache(project, settings).findings()


def test_changed_networks_are_those_whose_boundary_or_areas_differ() -> None:
    project = synthetic_project()
    build_from_registrations(project)
    before = GeographySnapshot.of(project)
    project.area_assignments["E00000000"] = "N1"            # one area handed from N0 to N1
    assert changed_networks(before, GeographySnapshot.of(project)) == {"N0", "N1"}
    assert changed_networks(before, before) == set()


def test_matching_a_file_changes_nothing_and_applying_replaces_every_boundary(tmp_path) -> None:
    path = built_file(tmp_path)
    project = synthetic_project()
    project.area_assignments.clear()
    untouched = geography(project)
    match = match_boundaries(project, path)
    assert geography(project) == untouched
    assert sorted(match.pieces) == ["N0", "N1", "N2"] and match.losing == [] and match.features == 3
    result = apply_boundaries(project, match)
    assert sorted(project.boundaries) == ["N0", "N1", "N2"]
    assert {b.provenance for b in project.boundaries.values()} == {"imported:pcns.geojson"}
    assert result.areas_assigned == 12 and project.area_assignments["E00000000"] == "N0"


def test_apply_refuses_before_changing_anything_when_networks_would_lose_their_boundary(tmp_path) -> None:
    path = built_file(tmp_path, drop=("N2",))
    project = synthetic_project()
    build_from_registrations(project)
    untouched = geography(project)
    match = match_boundaries(project, path)
    assert match.losing == ["N2"]
    with pytest.raises(BoundaryImportError, match="Network 0002"):
        apply_boundaries(project, match)
    assert geography(project) == untouched
    apply_boundaries(project, match, replace_all=True)
    assert sorted(project.boundaries) == ["N0", "N1"]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_boundary_file_given_to_import_says_where_it_goes(tmp_path, suffix) -> None:
    from pcn_desktop.io.errors import ImportRefused
    from pcn_desktop.io.kinds import read_file
    path = built_file(tmp_path, suffix)
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    said = str(refused.value)
    assert str(path) in said and "network boundaries" in said
    assert "Networks > Import boundaries" in said and "boundaries PROJECT --import" in said
