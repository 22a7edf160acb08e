"""Findings pane: every rule finding; double-click goes to its practice or network."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.findings import Finding
from ...domain.wording import plural
from ..models.findings_model import RULE, SORT_ROLE, FindingsModel
from .fit import ColumnFitter
from .table import SortProxy, make_table


class SeverityProxy(SortProxy):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(SORT_ROLE, parent)
        self.severity = ""

    def set_severity(self, severity: str) -> None:
        self.change_rows_filter(lambda: setattr(self, "severity", severity))

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        if self.severity and self.sourceModel().display_text(row, 0).lower() != self.severity:
            return False
        return super().filterAcceptsRow(row, parent)


class FindingsPane(QWidget):
    findingActivated = Signal(object)        # Finding

    def __init__(self, model: FindingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = SeverityProxy(self)
        self.proxy.setSourceModel(model)
        self.severity = QComboBox(self)
        self.severity.setAccessibleName("Show findings of severity")
        for label, value in (("All findings", ""), ("Errors", "error"), ("Warnings", "warning"), ("Information", "info")):
            self.severity.addItem(label, value)
        self.severity.currentIndexChanged.connect(lambda _i: self.proxy.set_severity(self.severity.currentData()))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter findings")
        self.filter.setAccessibleName("Filter findings")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text_filter)
        self.count = QLabel(self)
        self.count.setAccessibleName("Findings count")
        self.view = make_table(self.proxy, "Findings table", self)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # The rule id, which analysts look up less often, is in every row's tooltip and in
        # the detail line; every other column is as wide as its text (scrolling sideways
        # rather than eliding), and the detail line under the table shows the current
        # finding in full, wrapped, however narrow the pane.
        self.view.setColumnHidden(RULE, True)
        self.fitter = ColumnFitter(self.view)
        # a finding's column is as wide as its longest text, often wider than the pane: a
        # centred title would sit off screen, over nothing the user can see
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.detail = QLabel(self)
        self.detail.setAccessibleName("Finding detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self.view.doubleClicked.connect(self._activated)
        self.view.activated.connect(self._activated)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_count)
            signal.connect(self._show_detail)
        self.proxy.layoutChanged.connect(self._show_detail)
        top = QHBoxLayout()
        top.addWidget(self.severity)
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        self._update_count()
        self._show_detail()

    def shown_finding(self) -> Finding | None:
        """The current row's finding, else the first row's (what the detail line shows)."""
        index = self.view.currentIndex()
        if not index.isValid():
            index = self.proxy.index(0, 0)
        if not index.isValid():
            return None
        return self.model.finding_at(self.proxy.mapToSource(index).row())

    def _show_detail(self, *_args: object) -> None:
        f = self.shown_finding()
        if f is None:
            self.detail.setText("No findings.")
            return
        where = " · ".join(x for x in (f.network, f.practice) if x)
        self.detail.setText(f"{f.severity.value.capitalize()}{' · ' + where if where else ''}: {f.message}"
                            f"  (rule {f.rule})")

    def _update_count(self, *_args: object) -> None:
        rows = [self.model.finding_at(r) for r in range(self.model.rowCount())]
        errors = sum(1 for f in rows if f.severity.value == "error")
        self.count.setText(f"{plural(errors, 'error')}, {len(rows) - errors:,} other")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            finding: Finding = self.model.finding_at(self.proxy.mapToSource(index).row())
            self.findingActivated.emit(finding)
