"""History pane: every recorded change (who, when, what, old -> new, scenario), newest first,
filtered by network, person, scenario, date and text (the same filter as `pcn-desktop history`)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QTableView, QVBoxLayout, QWidget)

from ...domain.history import HistoryFilter
from ...domain.model import Project
from ...domain.wording import plural
from ..models.history_model import HistoryModel, cells
from .fit import ColumnFitter

ANY = ""


class HistoryPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._shown_for: tuple[int, int] | None = None
        self.network = QComboBox(self)
        self.network.setAccessibleName("History of network")
        self.scenario = QComboBox(self)
        self.scenario.setAccessibleName("History of scenario")
        self.who = QLineEdit(self)
        self.who.setPlaceholderText("Who")
        self.who.setAccessibleName("History by person")
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Filter history")
        self.text.setAccessibleName("Filter history")
        self.text.setClearButtonEnabled(True)
        self.use_since = QCheckBox("Since", self)
        self.since = QDateEdit(self)
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setDate(QDate.currentDate().addMonths(-1))
        self.since.setAccessibleName("History since date")
        self.count = QLabel(self)
        self.model = HistoryModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("History table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # fixed row heights: a long session's thousands of rows are never measured one by one
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(False)
        # every column as wide as its text, scrolling sideways in a narrow pane rather than
        # eliding what changed; widened by the new rows' text only, after an edit
        self.fitter = ColumnFitter(self.table)
        # Two rows, and lists no wider than a dozen characters: in one row at presentation
        # type the filters made this tab (which shares a dock with the findings) over 600 px
        # wide, and took that room from the networks table beside it.
        for combo in (self.network, self.scenario):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for row in ((self.network, self.scenario, self.who), (self.use_since, self.since, self.text, self.count)):
            filters = QHBoxLayout()
            for widget in row:
                filters.addWidget(widget)
            layout.addLayout(filters)
        layout.addWidget(self.table)
        for signal in (self.network.currentIndexChanged, self.scenario.currentIndexChanged):
            signal.connect(lambda _i: self.refresh(force=True))
        for signal in (self.who.textChanged, self.text.textChanged):
            signal.connect(lambda _t: self.refresh(force=True))
        self.use_since.toggled.connect(lambda _on: self.refresh(force=True))
        self.since.dateChanged.connect(lambda _d: self.refresh(force=True))

    def set_project(self, project: Project) -> None:
        self.project = project
        self._shown_for = None
        self.refresh()

    def _fill_choices(self) -> None:
        assert self.project is not None
        for combo, items in ((self.network, [(n.name + (f" ({n.code})" if n.code else ""), n.id)
                                             for n in self.project.sorted_networks()]),
                             (self.scenario, [(s, s) for s in self.project.scenario_names()])):
            wanted = [(f"All {'networks' if combo is self.network else 'scenarios'}", ANY)] + items
            have = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
            if have == wanted:
                continue
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for label, value in wanted:
                combo.addItem(label, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def current_filter(self) -> HistoryFilter:
        assert self.project is not None
        network = self.project.networks.get(self.network.currentData() or "")
        since: date | None = self.since.date().toPython() if self.use_since.isChecked() else None
        scenario = self.scenario.currentData() or None
        return HistoryFilter.for_network(network, since=since, who=self.who.text().strip(), scenario=scenario,
                                         text=self.text.text().strip())

    def refresh(self, force: bool = False) -> None:
        """Redraw when the log or the filter changed (the log only grows, or is replaced)."""
        if self.project is None:
            return
        stamp = (id(self.project.audit), len(self.project.audit), self.project.revision)
        if not force and stamp == self._shown_for:
            return
        self._shown_for = stamp
        self._fill_choices()
        self.model.show(self.project.audit, self.current_filter())
        self.count.setText(f"{len(self.model.entries):,} of {plural(len(self.project.audit), 'change')}")

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown (for tests and copying)."""
        return [cells(entry) for entry in self.model.entries]

