"""The funding pane: a network's payments, its ARRS plan and entitlement, the CCG summary,
scenario comparison and the year's figures, for the contract year chosen.

It shows and edits; the funding package decides. Every edit is a command handed to
``push_command`` (the window's undo stack), after which the pane redraws and emits ``changed``
with the touched network ids. The window calls ``refresh()`` after undo/redo.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from ..domain.commands import Command
from ..domain.model import PlannedRole, Project
from ..domain.wording import plural
from ..funding.commands import (AddPlannedRole, EditPlannedRole, RemovePlannedRole,
                                SetContractYear, SetFundingInput)
from ..funding.export import summary_table
from ..funding.inputs import entered_inputs
from ..funding.model import NetworkFunding, ccg_funding, network_funding
from ..funding.months import format_month
from ..funding.policy import Policy, PolicyError
from ..funding.policy_store import available_years, policy_for, set_override, year_of_project
from ..funding.scenarios import compare_scenarios
from ..settings import rule_settings_for
from .funding_chart import funding_chart
from .redraw_on_resize import RedrawOnResize

PLAN_COLUMNS = ["Role", "WTE", "Start", "End", "Annual cost per WTE", "Months", "Cost", "Reimbursable", "Notes"]
PLAN_EDITABLE = {0: "role", 1: "wte", 2: "start", 3: "end", 4: "annual_cost"}
STREAM_COLUMNS = ["Stream", "Basis", "Units", "Amount (£)", "Paid to", "Status", "Source"]


CHART_MIN_WIDTH = 320
CHART_HEIGHT = 260


def money(value: float | None) -> str:
    return "not known" if value is None else f"£{value:,.2f}"


def _table(columns: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.setAccessibleName(name)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[list[Any]], editable: set[int] = frozenset()) -> None:
    table.blockSignals(True)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if c not in editable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if isinstance(value, (int, float)) or (isinstance(value, str) and value.startswith("£")):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.blockSignals(False)


class FundingPane(QWidget):
    changed = Signal(object)          # set of touched network ids

    def __init__(self, push_command: Callable[[Command], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fundingPane")
        self.push_command = push_command
        self.project: Project | None = None
        self.network_id: str | None = None
        self.funding: NetworkFunding | None = None
        self.policy: Policy | None = None

        self.year = QComboBox(accessibleName="Contract year")
        # The pane follows the project's open scenario (switched from the Scenarios menu).
        self.scenario = QLabel(accessibleName="Scenario")
        top = QHBoxLayout()
        for w in (QLabel("Contract year"), self.year, self.scenario):
            top.addWidget(w)
        top.addStretch(1)

        self.title = QLabel(accessibleName="Network funding summary")
        self.title.setWordWrap(True)
        self.weighted, self.adjusted, self.beds = (QLineEdit(), QLineEdit(), QLineEdit())
        inputs = QFormLayout()
        for label, edit, field in (("Weighted population", self.weighted, "weighted_population"),
                                   ("Adjusted population", self.adjusted, "adjusted_population"),
                                   ("Care home beds", self.beds, "care_home_beds")):
            edit.setPlaceholderText("not entered")
            edit.setAccessibleName(label)
            edit.editingFinished.connect(lambda e=edit, f=field: self._input_edited(f, e))
            inputs.addRow(label, edit)
        self.streams = _table(STREAM_COLUMNS, "Payment streams")
        # the source (a web address or a citation) whole, on one line: the table scrolls
        # sideways to it rather than squeezing it into the room left
        self.streams.horizontalHeader().setStretchLastSection(False)
        self.streams.setWordWrap(False)
        self.arrs_label = QLabel(accessibleName="ARRS summary")
        self.arrs_label.setWordWrap(True)      # a long line would widen the whole pane
        self.plan = _table(PLAN_COLUMNS, "Workforce plan")
        self.plan.itemChanged.connect(self._plan_edited)
        self.role_choice = QComboBox(accessibleName="Role to add")
        self.role_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.add_button, self.remove_button = QPushButton("Add role"), QPushButton("Remove role")
        buttons = QHBoxLayout()
        for w in (self.role_choice, self.add_button, self.remove_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        self.chart = QLabel(accessibleName="Funding chart")
        # drawn for the width it has (a fixed 760 px chart made a laptop's pane scroll sideways)
        self.chart.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.chart.setMinimumWidth(CHART_MIN_WIDTH)
        self.chart_width = 0                  # the width the chart was last drawn for
        self._chart_redraw = RedrawOnResize(
            self.chart, self._draw_chart,
            lambda: self.funding is not None and self.chart.width() != self.chart_width)
        network_tab = QWidget()
        nl = QVBoxLayout(network_tab)
        nl.addWidget(self.title)
        nl.addLayout(inputs)
        nl.addWidget(self.streams)
        nl.addWidget(self.arrs_label)
        nl.addWidget(self.plan)
        nl.addLayout(buttons)
        nl.addWidget(self.chart)

        self.ccg = _table([], "CCG funding summary")
        self.scenarios = _table(["Scenario", "Roles", "WTE", "Plan cost", "Reimbursable", "Entitlement",
                                 "Headroom", "Unfunded"], "Scenario comparison")
        self.figures = _table(["Figure", "Value", "Status", "Source", "Note"], "Funding settings")
        self.figures.itemChanged.connect(self._figure_edited)
        self.tabs = QTabWidget()
        self.tabs.addTab(network_tab, "Network")
        self.tabs.addTab(self.ccg, "CCG summary")
        self.tabs.addTab(self.scenarios, "Scenarios")
        self.tabs.addTab(self.figures, "Funding settings")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs)

        self._ccg_stale = True
        self.tabs.currentChanged.connect(self._tab_shown)
        self.year.activated.connect(self._year_chosen)
        self.add_button.clicked.connect(self.add_role)
        self.remove_button.clicked.connect(self.remove_selected_role)

    # --- public ----------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        self.project = project
        self.network_id = next(iter(n.id for n in project.sorted_networks()), None)
        self.refresh()

    def show_network(self, network_id: str) -> None:
        self.network_id = network_id
        self.refresh()

    def refresh(self) -> None:
        if self.project is None:
            return
        try:
            self.policy = policy_for(year_of_project(self.project))
        except PolicyError as exc:
            self.policy = None
            self.title.setText(f"No funding figures: {exc}")
            return
        self._fill_years()
        if self.network_id not in self.project.networks:
            self.network_id = next(iter(n.id for n in self.project.sorted_networks()), None)
        self._fill_scenarios()
        self._fill_network()
        self._ccg_stale = True            # the whole-CCG table is drawn when its tab is shown
        if self.tabs.currentWidget() is self.ccg:
            self._fill_ccg()
        self._fill_figures()

    # --- edits -----------------------------------------------------------------------
    def push(self, command: Command) -> None:
        try:
            if self.push_command is not None:
                self.push_command(command)
            else:
                command.do(self.project)
        except (ValueError, KeyError, IndexError) as exc:
            QMessageBox.warning(self, "Funding", str(exc))
            self.refresh()
            return
        self.refresh()
        self.changed.emit(set(command.touched))

    def _draw_chart(self) -> None:
        if self.funding is None:
            return
        width = max(CHART_MIN_WIDTH, self.chart.width())
        pixmap = funding_chart(self.funding, width_px=width, height_px=CHART_HEIGHT)
        self.chart.setPixmap(pixmap)
        self.chart.setFixedHeight(pixmap.height())
        self.chart_width = width

    def add_role(self) -> None:
        if self.network_id is None or self.policy is None:
            return
        key = self.role_choice.currentData() or "clinical_pharmacist"
        rp = self.policy.roles.get(key)
        label = rp.label if rp else key
        start = rp.eligible_from if rp else self.policy.first_month
        self.push(AddPlannedRole(self.network_id, PlannedRole(label, 1.0, format_month(start),
                                 format_month(self.policy.last_month), 0.0)))

    def remove_selected_role(self) -> None:
        row = self.plan.currentRow()
        if self.network_id is None or self.funding is None or not 0 <= row < len(self.funding.roles):
            return
        self.push(RemovePlannedRole(self.network_id, self.funding.roles[row].index))

    def current_scenario(self) -> str:
        """The scenario shown: the project's open one."""
        return self.project.active_scenario if self.project is not None else ""

    def _plan_edited(self, item: QTableWidgetItem) -> None:
        field = PLAN_EDITABLE.get(item.column())
        if field is None or self.funding is None or self.network_id is None:
            return
        text = item.text().strip()
        try:
            value: Any = float(text.replace("£", "").replace(",", "")) if field in ("wte", "annual_cost") else text
        except ValueError:
            QMessageBox.warning(self, "Funding", f"{PLAN_COLUMNS[item.column()]}: '{text}' is not a number")
            self.refresh()
            return
        index = self.funding.roles[item.row()].index
        self.push(EditPlannedRole(self.network_id, index, **{field: value}))

    def _input_edited(self, field: str, edit: QLineEdit) -> None:
        if self.project is None or self.network_id is None or self.policy is None:
            return
        text = edit.text().strip().replace(",", "")
        current = entered_inputs(self.project, self.policy.year, self.network_id).get(field)
        try:
            value = None if not text else (int(text) if field == "care_home_beds" else float(text))
        except ValueError:
            QMessageBox.warning(self, "Funding", f"{field.replace('_', ' ')}: '{text}' is not a number")
            self.refresh()
            return
        if value != current:
            self.push(SetFundingInput(self.network_id, field, value, self.policy.year))

    def _year_chosen(self, _index: int) -> None:
        year = self.year.currentText()
        if self.project is not None and year and year != year_of_project(self.project):
            self.push(SetContractYear(year))

    def _figure_edited(self, item: QTableWidgetItem) -> None:
        if item.column() != 1 or self.policy is None:
            return
        fid = self.figures.item(item.row(), 0).text()
        text = item.text().strip().replace("£", "").replace(",", "")
        try:
            set_override(self.policy.year, fid, float(text) if text else None)
        except (ValueError, PolicyError) as exc:
            QMessageBox.warning(self, "Funding settings", str(exc))
        self.refresh()
        self.changed.emit(set(self.project.networks) if self.project else set())

    def _tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.ccg and self._ccg_stale and self.policy is not None:
            self._fill_ccg()

    # --- drawing ---------------------------------------------------------------------
    def _fill_years(self) -> None:
        assert self.project is not None
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItems(available_years())
        self.year.setCurrentText(year_of_project(self.project))
        self.year.blockSignals(False)
        self.role_choice.clear()
        for key, rp in (self.policy.roles.items() if self.policy else []):
            self.role_choice.addItem(rp.label, key)

    def _fill_scenarios(self) -> None:
        self.scenario.setText(f"Scenario: {self.current_scenario()}")

    def _fill_network(self) -> None:
        assert self.project is not None and self.policy is not None
        if self.network_id is None:
            self.funding = None
            self.title.setText("No network")
            _fill(self.streams, [])
            _fill(self.plan, [])
            return
        f = self.funding = network_funding(self.project, self.network_id, self.policy, self.current_scenario(),
                                           rule_settings_for(self.project).director_wte_per_50000)
        i = f.inputs
        director = "" if f.director_funded_wte is None else (
            f"; clinical director time funded {f.director_funded_wte:g} WTE"
            + ("" if f.director_wte is None else f" (works {f.director_wte:g})"))
        self.title.setText(f"<b>{f.name}</b> — {self.policy.year}: {i.registered:,} registered patients "
                           f"(counted at {_counted(self.project, self.policy)}); weighted {i.weighted.value:,.0f} "
                           f"({i.weighted.how}); adjusted {i.adjusted.value:,.0f} ({i.adjusted.how}){director}")
        entered = entered_inputs(self.project, self.policy.year, self.network_id)
        for edit, field in ((self.weighted, "weighted_population"), (self.adjusted, "adjusted_population"),
                            (self.beds, "care_home_beds")):
            value = entered.get(field)
            edit.setText("" if value is None else f"{value:g}")
        _fill(self.streams, [[s.label, s.basis, "" if s.units is None else f"{s.units:,.0f}", money(s.amount),
                              s.paid_to, s.status, s.stream.figure.source] for s in f.streams])
        ents = "; ".join(f"{e.label} {money(e.amount)} (claims {money(e.reimbursable)}, headroom {money(e.headroom)})"
                         for e in f.entitlements)
        self.arrs_label.setText(f"Payments to the network {money(f.network_payments)}; to practices "
                                f"{money(f.practice_payments)}. ARRS: {ents or 'no entitlement this year'}. "
                                f"Plan cost {money(f.plan_cost)}, reimbursable {money(f.reimbursable)}, "
                                f"headroom {money(f.headroom)}.")
        _fill(self.plan, [[r.planned.role, f"{r.planned.wte:g}", r.planned.start, r.planned.end,
                           f"{r.planned.annual_cost:,.2f}", r.months, money(r.cost), money(r.reimbursable),
                           _notes(r)] for r in f.roles], set(PLAN_EDITABLE))
        self._draw_chart()
        _fill(self.scenarios, [[row.title, row.roles, f"{row.wte:g}", money(row.plan_cost),
                                money(row.reimbursable), money(row.entitlement), money(row.headroom),
                                money(row.unfunded)]
                               for row in compare_scenarios(self.project, self.network_id, self.policy)])

    def _fill_ccg(self) -> None:
        assert self.project is not None and self.policy is not None
        self._ccg_stale = False
        header, rows = summary_table(ccg_funding(self.project, self.policy, self.current_scenario()))
        self.ccg.setColumnCount(len(header))
        self.ccg.setHorizontalHeaderLabels([h.replace("_", " ") for h in header])
        _fill(self.ccg, [["not known" if v is None else (f"{v:,.2f}" if isinstance(v, float) else v)
                          for v in row] for row in rows])

    def _fill_figures(self) -> None:
        assert self.policy is not None
        rows = [[fid, "" if fig.value is None else f"{fig.value:g}", fig.status, fig.source, fig.note]
                for fid, fig in sorted(self.policy.figures.items())]
        _fill(self.figures, rows, {1})


def _notes(r) -> str:
    parts = [r.problem] if r.problem else []
    if r.ineligible_months:
        parts.append(f"not eligible for {plural(len(r.ineligible_months), 'month')}")
    if r.unknown_cap_months:
        parts.append("maximum not known: uncapped")
    if r.capped_months:
        parts.append(f"capped {plural(len(r.capped_months), 'month')}")
    if not r.role_key:
        parts.append("not an ARRS role this year")
    return "; ".join(parts)


def _counted(project, policy) -> str:
    """The extract date of the counts used, and the year's own list date when they differ."""
    from ..domain.counting import extract_used
    counted = extract_used(project, project.counting_date)
    if counted is None:
        return "no count"
    if counted != policy.list_date:
        return f"{counted.isoformat()}; {policy.year} counts at {policy.list_date.isoformat()}"
    return counted.isoformat()
