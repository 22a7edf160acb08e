"""Networks > Propose: the formation engine (``pcn_desktop.formation``, the same as
``pcn-desktop propose``) run in a worker on a private copy of a scenario, with progress and
Cancel; the proposals listed with their scores and moves, and saved as scenarios on request."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMessageBox, QPlainTextEdit, QProgressBar, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..domain.scenarios import check_name
from ..domain.wording import plural
from ..formation import FormationError, ProposeOptions, SaveProposal, propose, working_copy
from ..formation.engine import Cancel, ProposeCancelled, ProposeResult
from ..settings import rule_settings_for
from .layout import fit_to_screen
from .workers import Cancelled, Progress, Task, start_thread

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

COLUMNS = ("Scenario", "Practices moved", "Patients moved", "Dissolved", "Mean km to centre", "Proven optimal")


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.replace(",", " ").split() if c.strip())


def _groups(text: str) -> tuple[tuple[str, ...], ...]:
    """'A,B; C,D' -> (('A', 'B'), ('C', 'D'))."""
    return tuple(tuple(c.strip().upper() for c in part.split(",") if c.strip())
                 for part in text.split(";") if part.strip())


class ProposeDialog(QDialog):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Propose networks")
        self.setAccessibleName("Propose networks")
        self.task: Task | None = None
        self.cancel: Cancel | None = None
        self.result: ProposeResult | None = None
        self.source = ""

        self.from_box = QComboBox()
        self.name = QLineEdit("proposal")
        self.count = QSpinBox()
        self.count.setRange(1, 20)
        self.count.setValue(3)
        self.minimum = QSpinBox()
        self.minimum.setRange(0, 1_000_000)
        self.minimum.setSingleStep(1000)
        self.minimum.setGroupSeparatorShown(True)
        self.maximum = QSpinBox()
        self.maximum.setRange(0, 2_000_000)
        self.maximum.setSingleStep(1000)
        self.maximum.setGroupSeparatorShown(True)
        self.maximum.setSpecialValueText("no ceiling")
        self.distance = QDoubleSpinBox()
        self.distance.setRange(0, 500)
        self.distance.setSuffix(" km")
        self.distance.setSpecialValueText("any distance")
        self.touching = QCheckBox("or a network whose area touches the practice's area")
        self.same_place = QCheckBox("Moves stay within one place (local authority)")
        self.dissolve = QCheckBox("A network may be dissolved")
        self.lock = QLineEdit()
        self.lock.setPlaceholderText("practice or network codes, e.g. Y90001 U90004")
        self.together = QLineEdit()
        self.together.setPlaceholderText("e.g. Y90001,Y90002; Y90010,Y90011")
        self.apart = QLineEdit()
        self.apart.setPlaceholderText("e.g. Y90003,Y90004")

        form = QFormLayout()
        form.addRow("Start from scenario", self.from_box)
        form.addRow("Save as", self.name)
        form.addRow("Proposals", self.count)
        form.addRow("Size floor", self.minimum)
        form.addRow("Size ceiling", self.maximum)
        form.addRow("Join a network with a member within", self.distance)
        form.addRow("", self.touching)
        form.addRow("", self.same_place)
        form.addRow("", self.dissolve)
        form.addRow("Lock", self.lock)
        form.addRow("Keep together", self.together)
        form.addRow("Keep apart", self.apart)

        self.run_button = QPushButton("Propose")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Propose progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)      # busy or idle: the label below says what happens
        self.status = QLabel("Set the constraints and press Propose.")
        self.status.setWordWrap(True)
        running = QHBoxLayout()
        running.addWidget(self.run_button)
        running.addWidget(self.cancel_button)
        running.addWidget(self.progress, 1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Proposals")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Moves of the selected proposal")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton("Save as scenarios", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setEnabled(False)

        layout = QVBoxLayout(self)
        top = QWidget()
        top.setLayout(form)
        layout.addWidget(top)
        layout.addLayout(running)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)

        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._show_selected)
        fit_to_screen(self, 760, 720)
        self.reset_from_project()

    # --- set-up ----------------------------------------------------------------------------
    def reset_from_project(self) -> None:
        project = self.window_.document.project
        self.from_box.clear()
        self.from_box.addItems(project.scenario_names())
        self.from_box.setCurrentText(project.active_scenario)
        self.minimum.setValue(rule_settings_for(project).minimum_list)

    def options(self) -> ProposeOptions:
        return ProposeOptions(minimum=self.minimum.value(), maximum=self.maximum.value() or None,
                              max_distance_km=self.distance.value() or None,
                              touching=self.touching.isChecked(), same_place=self.same_place.isChecked(),
                              lock=_codes(self.lock.text()), together=_groups(self.together.text()),
                              apart=_groups(self.apart.text()), allow_dissolve=self.dissolve.isChecked(),
                              count=self.count.value())

    def scenario_names(self, count: int) -> list[str]:
        base = " ".join(self.name.text().split()) or "proposal"
        return [base] if count == 1 else [f"{base}-{i}" for i in range(1, count + 1)]

    # --- running ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None

    def run(self) -> None:
        if self.running:
            return
        project = self.window_.document.project
        options = self.options()
        self.source = self.from_box.currentText()
        # a private copy: the worker tries each answer on it while the window keeps painting
        twin = working_copy(project.scenario(self.source))
        settings = rule_settings_for(twin)
        cancel = self.cancel = Cancel()

        def work(progress: Progress) -> ProposeResult:
            def report(done: int, total: int, text: str) -> None:
                if progress.cancelled:
                    cancel.request()
                progress(done, total, text)
            try:
                return propose(twin, settings, options, report=report, cancel=cancel)
            except ProposeCancelled:
                raise Cancelled() from None

        self.task = Task(work)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.cancelled.connect(self._cancelled)
        self._busy(True)
        self.status.setText("Building the model…")
        start_thread(self.task, self._finished, self._failed)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.cancel is not None:
            self.cancel.request()          # the solver stops at once, not at its next report
        self.status.setText("Cancelling…")

    def _busy(self, on: bool) -> None:
        self.run_button.setEnabled(not on)
        self.cancel_button.setEnabled(on)
        self.save_button.setEnabled(not on and bool(self.result and self.result.proposals))
        self.progress.setRange(0, 0 if on else 1)
        self.progress.setValue(0)

    def _progress(self, done: int, total: int, text: str) -> None:
        if text:
            self.status.setText(text[:1].upper() + text[1:] + "…")

    def _cancelled(self) -> None:
        self.task = None
        self._busy(False)
        self.status.setText("Cancelled: nothing was changed.")

    def _failed(self, exc: Exception, _trace: str) -> None:
        self.task = None
        self.result = None
        self._busy(False)
        self.table.setRowCount(0)
        self.details.clear()
        if isinstance(exc, FormationError):
            self.status.setText(f"No proposal: {exc}")
        else:
            self.status.setText("The proposal failed.")
            QMessageBox.critical(self, "Propose", str(exc))

    def _finished(self, result: ProposeResult) -> None:
        self.task = None
        self.result = result
        names = self.scenario_names(len(result.proposals) if self.count.value() > 1 else 1)
        for proposal, name in zip(result.proposals, names):
            proposal.scenario = name
        self._fill(result)
        self._busy(False)
        proven = sum(p.optimal for p in result.proposals)
        text = (f"{plural(len(result.proposals), 'proposal')}, {proven} proven optimal, from scenario "
                f"{self.source!r}; every one checked by the rules engine.")
        if result.note:
            text += f" {result.note[:1].upper() + result.note[1:]}."
        self.status.setText(text)

    def _fill(self, result: ProposeResult) -> None:
        self.table.setRowCount(len(result.proposals))
        for row, p in enumerate(result.proposals):
            s = p.scores
            values: list[Any] = [p.scenario, s["practices_moved"], f"{s['patients_moved']:,}",
                                 s["networks_dissolved"], f"{s['mean_km_to_network_centre']:.2f}",
                                 "yes" if p.optimal else "no (time limit)"]
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        if result.proposals:
            self.table.selectRow(0)

    def _show_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.result is None:
            self.details.clear()
            return
        p = self.result.proposals[rows[0].row()]
        lines = [f"{m.practice}  {m.from_key or '(none)'} → {m.to_key or '(leaves: closed)'}  {m.list_size:,} patients"
                 for m in p.moves]
        lines += [f"dissolve {key}" for _, key in p.dissolved]
        lines += [f"still an error (no move fixes it): {f.message}" for f in p.remaining_errors]
        self.details.setPlainText("\n".join(lines) or "No moves: the scenario already passes.")

    # --- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Each proposal as a scenario copied from the source with its moves made."""
        if self.result is None or not self.result.proposals:
            return False
        project = self.window_.document.project
        names = [p.scenario for p in self.result.proposals]
        try:
            for name in names:
                check_name(name, project.scenario_names())
        except ValueError as exc:
            QMessageBox.warning(self, "Save proposals", f"{exc}: choose another name under 'Save as'.")
            return False
        # one undo step; copies are listed after their source, so the last is saved first
        self.window_.document.push_many(
            [SaveProposal(self.source, p.scenario, p) for p in reversed(self.result.proposals)],
            "Save proposals as scenarios")
        self.save_button.setEnabled(False)
        self.status.setText(f"Saved as {'scenario' if len(names) == 1 else 'scenarios'} {', '.join(names)}.")
        self.window_.statusBar().showMessage(f"Proposals saved as scenarios: {', '.join(names)}", 10000)
        self.from_box.clear()
        self.from_box.addItems(project.scenario_names())
        self.from_box.setCurrentText(self.source)
        return True

    def reject(self) -> None:
        if self.running:
            self.stop()
        super().reject()


def show_propose(window: "MainWindow") -> ProposeDialog:
    dialog = getattr(window, "propose_dialog", None)
    if dialog is None:
        dialog = window.propose_dialog = ProposeDialog(window)
    else:
        dialog.reset_from_project()
    dialog.show()
    dialog.raise_()
    return dialog
