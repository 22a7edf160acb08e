"""The comparison view: two scenarios side by side (the same figures as `pcn-desktop compare`).

The map of the difference beside the practices that moved; below them tabs with each
network's size before and after, the findings that appear and disappear, and funding by
network. "Save PDF…" writes the workshop document for the option shown.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QSizePolicy,
                               QMessageBox, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from ..domain.model import Project
from ..domain.wording import plural
from ..reports.comparison import Comparison, compare_scenarios
from ..reports.comparison_map import comparison_map_png
from .layout import fit_to_screen
from .redraw_on_resize import RedrawOnResize


def _table(headers: list[str], name: str, stretch: int = 0) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # the text column takes the spare width, so the figures stay beside their labels
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[object]], right: set[int] = frozenset()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _n(value: int | float | None, money: bool = False) -> str:
    if value is None:
        return "–"
    return f"£{value:,.0f}" if money else f"{value:,}"


def _change(before: float | None, after: float | None, money: bool = False) -> str:
    if before is None or after is None:
        return ""
    d = after - before
    return "0" if not d else ("+" if d > 0 else "−") + (f"£{abs(d):,.0f}" if money else f"{abs(d):,.0f}")


class ComparisonDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparisonDialog")
        self.setWindowTitle("Compare scenarios")
        self.setAccessibleName("Compare scenarios")
        self.project: Project | None = None
        self.comparison: Comparison | None = None
        self.a, self.b = QComboBox(self), QComboBox(self)
        self.a.setAccessibleName("Scenario A (before)")
        self.b.setAccessibleName("Scenario B (after)")
        self.pdf_button = QPushButton("Save PDF…", self)
        top = QHBoxLayout()
        for w in (QLabel("Compare", self), self.b, QLabel("with", self), self.a):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.pdf_button)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Comparison summary")
        self.summary.setWordWrap(True)
        self.map = QLabel(self)
        self.map.setAccessibleName("Map of the difference")
        self.map.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map.setMinimumSize(420, 300)
        # the map is drawn for the label's own size (so its names print at a readable size, not
        # a big picture shrunk): the label must not grow to the picture it was given
        self.map.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.drawn_size: tuple[int, int] | None = None
        # the window or the splitter resized it
        self._map_redraw = RedrawOnResize(self.map, self._draw_map, lambda: self.comparison is not None)
        self.moves = _table(["Practice", "Name", "From", "To", "Patients"], "Practices that move", 1)
        upper = QSplitter(Qt.Orientation.Horizontal, self)
        upper.addWidget(self.map)
        upper.addWidget(self.moves)
        upper.setSizes([620, 480])
        self.networks = _table(["Network", "Code", "Before", "After", "Change"], "Network sizes")
        self.added = _table(["Severity", "Rule", "Network", "Message"], "Findings that appear", 3)
        self.removed = _table(["Severity", "Rule", "Network", "Message"], "Findings that disappear", 3)
        self.funding = _table(["Network", "Payments before", "after", "change", "ARRS before", "after"],
                              "Funding by network")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.networks, "Sizes")
        self.tabs.addTab(self.added, "Findings that appear")
        self.tabs.addTab(self.removed, "Findings that disappear")
        self.tabs.addTab(self.funding, "Funding")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(upper)
        split.addWidget(self.tabs)
        split.setSizes([430, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        fit_to_screen(self, 1180, 820)
        self.a.activated.connect(lambda _i: self.refresh())
        self.b.activated.connect(lambda _i: self.refresh())
        self.pdf_button.clicked.connect(self.save_pdf)

    def set_project(self, project: Project, a: str | None = None, b: str | None = None) -> None:
        """Show ``b`` against ``a`` (defaults: the first scenario against the open one, or the
        next one when the open one is the first)."""
        names = project.scenario_names()
        old_a, old_b = self.a.currentText(), self.b.currentText()
        self.project = project
        for combo in (self.a, self.b):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.blockSignals(False)
        default_a = names[0]
        default_b = project.active_scenario if project.active_scenario != default_a else names[min(1, len(names) - 1)]
        self.a.setCurrentText(a or (old_a if old_a in names else default_a))
        self.b.setCurrentText(b or (old_b if old_b in names else default_b))
        self.refresh()

    def refresh(self) -> None:
        if self.project is None:
            return
        c = self.comparison = compare_scenarios(self.project, self.a.currentText(), self.b.currentText())
        errors_new = sum(f.severity.value == "error" for f in c.added)
        errors_gone = sum(f.severity.value == "error" for f in c.removed)
        self.summary.setText(
            f"<b>{c.b}</b> compared with <b>{c.a}</b>: {plural(len(c.moves), 'practice moves', 'practices move')}, "
            f"{plural(c.patients_moved, 'patient')}; "
            f"{plural(sum(n.changed for n in c.networks), 'network changes', 'networks change')} size; "
            f"{plural(errors_gone, 'error')} resolved, {plural(errors_new, 'new error')}"
            + (f"; lists counted at {c.list_date.day} {c.list_date:%B %Y}" if c.list_date else "") + ".")
        _fill(self.moves, [[m.practice, m.name, m.source or "none", m.target or "none", f"{m.list_size:,}"]
                           for m in c.moves], {4})
        _fill(self.networks, [[n.name, n.network, _n(n.before), _n(n.after), _change(n.before, n.after)]
                              for n in sorted(c.networks, key=lambda n: (not n.changed, n.name.lower()))],
              {2, 3, 4})
        for table, found in ((self.added, c.added), (self.removed, c.removed)):
            _fill(table, [[f.severity.value, f.rule, f.network, f.message] for f in found])
        rows = [[f.network, _n(f.before, True), _n(f.after, True), _change(f.before, f.after, True),
                 _n(f.arrs_before, True), _n(f.arrs_after, True)] for f in c.funding]
        if c.funding:
            t = c.funding_total()
            rows.append(["All networks", _n(t.before, True), _n(t.after, True), _change(t.before, t.after, True),
                         _n(t.arrs_before, True), _n(t.arrs_after, True)])
        _fill(self.funding, rows, {1, 2, 3, 4, 5})
        self.tabs.setTabText(1, f"Findings that appear ({len(c.added)})")
        self.tabs.setTabText(2, f"Findings that disappear ({len(c.removed)})")
        self._draw_map()

    def _draw_map(self) -> None:
        """The difference map at the label's size in device pixels and the screen's resolution."""
        c = self.comparison
        if self.project is None or c is None:
            return
        ratio = self.map.devicePixelRatioF()
        width, height = max(self.map.width(), 420), max(self.map.height(), 300)
        png = comparison_map_png(self.project, c, width_px=round(width * ratio), height_px=round(height * ratio),
                                 dpi=round(96 * ratio))
        if png is None:
            self.map.setText("No map: the project has no small areas or practice locations.")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        pixmap.setDevicePixelRatio(ratio)
        self.map.setPixmap(pixmap)
        self.drawn_size = (width, height)

    def save_pdf(self, path: str | None = None) -> str | None:
        if self.project is None or self.comparison is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save comparison PDF",
                                                  f"{self.comparison.b} vs {self.comparison.a}.pdf",
                                                  "PDF (*.pdf)")
        if not path:
            return None
        from ..reports.comparison_pdf import write_comparison_pdf  # noqa: PLC0415
        try:
            write_comparison_pdf(self.project, [self.comparison], path)
        except OSError as exc:
            QMessageBox.warning(self, "Save comparison PDF", f"{path}: cannot write ({exc.strerror or exc})")
            return None
        return path
