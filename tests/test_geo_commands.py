"""Geography commands headless: allowed parts, and boundaries that follow edits undoably."""
from __future__ import annotations

import pytest

from geo_grid import grid_project
from pcn_desktop.domain.commands import CommandStack
from pcn_desktop.domain.rules.engine import evaluate
from pcn_desktop.domain.settings import RuleSettings
from pcn_desktop.geo.commands import SetExpectedParts


def test_set_expected_parts_refuses_bad_values_and_unknown_networks() -> None:
    p = grid_project()
    with pytest.raises(ValueError, match="from 1 to 50, not 0"):
        SetExpectedParts("B", 0)
    with pytest.raises(ValueError, match="not 2.5"):
        SetExpectedParts("B", 2.5)  # type: ignore[arg-type]
    stack = CommandStack(p)
    with pytest.raises(KeyError, match="no network Z"):
        stack.push(SetExpectedParts("Z", 2))
    assert "geo_expected_parts" not in p.settings


def test_set_expected_parts_round_trips_through_undo() -> None:
    from pcn_desktop.geo.boundaries import build_from_registrations
    p = grid_project()
    build_from_registrations(p)
    stack = CommandStack(p)
    rules = lambda: [f.network for f in evaluate(p, RuleSettings(), rules=["boundary-not-contiguous"])]  # noqa: E731
    assert rules() == ["U00002"]
    assert stack.push(SetExpectedParts("B", 3)) == {"B"}
    stack.push(SetExpectedParts("A", 2))
    assert p.settings["geo_expected_parts"] == {"B": 3, "A": 2} and rules() == []
    stack.push(SetExpectedParts("B", 1))
    assert p.settings["geo_expected_parts"] == {"A": 2} and rules() == ["U00002"]
    stack.undo()
    assert p.settings["geo_expected_parts"] == {"B": 3, "A": 2}
    stack.undo()
    stack.undo()
    assert "geo_expected_parts" not in p.settings and rules() == ["U00002"]
