"""The funding pane (offscreen): a network's figures, and a plan edit through commands with undo."""
from __future__ import annotations

import pytest

from funding_helpers import two_network_project
from pcn_desktop.domain.commands import CommandStack, MovePractice
from pcn_desktop.domain.model import PlannedRole
from pcn_desktop.funding.commands import AddPlannedRole
from pcn_desktop.funding.policy_store import policy_for
from pcn_desktop.ui.funding_pane import FundingPane


@pytest.fixture
def pane(qtbot):
    project = two_network_project()
    project.settings["contract_year"] = "2020/21"
    stack = CommandStack(project)
    pushed = []

    def push(command):
        pushed.append(command)
        stack.push(command)

    widget = FundingPane(push)
    qtbot.addWidget(widget)
    widget.set_project(project)
    widget.show_network("north")
    return widget, project, stack, pushed


def _column(table, name: str) -> int:
    return next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == name)


def _stream_amounts(widget) -> dict[str, str]:
    t = widget.streams
    return {t.item(r, 0).text(): t.item(r, 3).text() for r in range(t.rowCount())}


def test_pane_shows_the_networks_figures(pane) -> None:
    widget, project, stack, pushed = pane
    assert widget.year.currentText() == "2020/21"
    assert "North PCN" in widget.title.text() and "42,000 registered" in widget.title.text()
    assert "assumed equal to registered list" in widget.title.text()
    amounts = _stream_amounts(widget)
    assert amounts["Clinical director"] == "£30,324.00"
    assert amounts["Core PCN funding"] == "£63,000.00"
    assert amounts["Care home premium"] == "not known"
    assert "ARRS entitlement £299,502.00" in widget.arrs_label.text()
    assert widget.plan.rowCount() == 0
    assert widget.chart.pixmap() is not None and not widget.chart.pixmap().isNull()
    # CCG tab (drawn when shown): two networks and the total row; core 115,500 in total.
    widget.tabs.setCurrentWidget(widget.ccg)
    assert widget.ccg.rowCount() == 3
    assert widget.ccg.item(2, _column(widget.ccg, "core")).text() == "115,500.00"


def test_add_planned_role_then_undo(pane, qtbot) -> None:
    widget, project, stack, pushed = pane
    widget.role_choice.setCurrentIndex(widget.role_choice.findData("clinical_pharmacist"))
    with qtbot.waitSignal(widget.changed) as signal:
        widget.add_button.click()
    assert signal.args == [{"north"}]
    assert isinstance(pushed[-1], AddPlannedRole)
    assert project.workforce["north"] == [PlannedRole("Clinical pharmacist", 1.0, "2020-04", "2021-03", 0.0)]
    assert widget.plan.rowCount() == 1
    # Edit the cost in the table: goes through EditPlannedRole. £60,000 for the year, capped at £55,670.
    widget.plan.item(0, 4).setText("60000")
    assert project.workforce["north"][0].annual_cost == 60000.0
    assert widget.plan.item(0, 7).text() == "£55,670.00"
    assert "headroom £243,832.00" in widget.arrs_label.text()
    stack.undo()
    widget.refresh()
    assert widget.plan.item(0, 7).text() == "£0.00"
    stack.undo()
    widget.refresh()
    assert project.workforce["north"] == []
    assert widget.plan.rowCount() == 0
    assert "headroom £299,502.00" in widget.arrs_label.text()


def test_pane_follows_a_practice_move(pane) -> None:
    widget, project, stack, pushed = pane
    stack.push(MovePractice("A00002", "south"))
    widget.refresh()
    assert _stream_amounts(widget)["Clinical director"] == "£21,660.00"     # 30,000 x 0.722


def test_year_selector_pushes_a_command(pane) -> None:
    widget, project, stack, pushed = pane
    widget.year.setCurrentText("2019/20")
    widget.year.activated.emit(widget.year.currentIndex())
    assert project.settings["contract_year"] == "2019/20"
    assert _stream_amounts(widget)["Clinical director"] == "£21,600.60"    # 42,000 x 0.5143
    stack.undo()
    widget.refresh()
    assert widget.year.currentText() == "2020/21"


def test_funding_settings_tab_writes_a_user_override(pane) -> None:
    widget, project, stack, pushed = pane
    row = next(r for r in range(widget.figures.rowCount())
               if widget.figures.item(r, 0).text() == "arrs.roles.physician_associate.maximum@2020-04")
    assert widget.figures.item(row, 2).text() == "not found"
    widget.figures.item(row, 1).setText("52000")
    fig = policy_for("2020/21").roles["physician_associate"].maximum_at(policy_for("2020/21").first_month)
    assert (fig.value, fig.status) == (52000.0, "user")


@pytest.mark.parametrize("width", [380, 620, 1000])
def test_the_pane_fits_a_laptop_dock_and_its_chart_is_drawn_for_its_width(pane, qtbot, width) -> None:
    """A 1366x768 laptop gives the pane 360-620 px: nothing in it may be wider (the chart
    was a fixed 760 px and the ARRS line one unwrapped line, so the pane scrolled sideways)."""
    from pcn_desktop.ui.funding_chart import STACKED_BELOW
    from pcn_desktop.ui.funding_pane import CHART_HEIGHT
    widget, project, stack, pushed = pane
    assert widget.minimumSizeHint().width() <= 380
    widget.resize(width, 1100)
    widget.show()
    qtbot.waitUntil(lambda: widget.chart_width == widget.chart.width(), timeout=3000)
    pixmap = widget.chart.pixmap()
    assert round(pixmap.deviceIndependentSize().width()) == widget.chart.width() <= width
    stacked = widget.chart.width() < STACKED_BELOW
    assert (pixmap.height() > CHART_HEIGHT) == stacked
