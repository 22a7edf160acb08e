"""The Scenarios toolbar and menu: which scenario is open, switch to another, copy, rename,
delete, and compare two. Every change is a domain command on the undo stack; opening another
scenario makes every pane start again on it (see Document.after_edit)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMenu, QMessageBox, QToolBar

from ..domain.scenario_commands import ActivateScenario, CopyScenario, DeleteScenario, RenameScenario

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow


class ScenarioActions(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.combo = QComboBox(window)
        self.combo.setAccessibleName("Open scenario")
        self.combo.setToolTip("The scenario every pane shows; choose another to switch")
        self.combo.setMinimumContentsLength(14)
        self.combo.activated.connect(self._chosen)
        self.copy = self._action("&Copy scenario…", self.copy_scenario)
        self.rename = self._action("&Rename scenario…", self.rename_scenario)
        self.delete = self._action("&Delete scenario…", self.delete_scenario)
        self.compare = self._action("Com&pare scenarios…", self.compare_scenarios)
        self.toolbar = QToolBar("Scenario", window)
        self.toolbar.setObjectName("toolbar-scenario")
        self.toolbar.setAccessibleName("Scenario toolbar")
        self.toolbar.addWidget(QLabel(" Scenario ", window))
        self.toolbar.addWidget(self.combo)
        self.toolbar.addActions([self.copy, self.rename, self.delete, self.compare])
        self.comparison_dialog = None

    def _action(self, text: str, slot) -> QAction:  # noqa: ANN001
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def fill_menu(self, menu: QMenu) -> None:
        """The menu lists the scenarios (the open one ticked), then the edits."""
        menu.clear()
        project = self.window.document.project
        for name in project.scenario_names():
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == project.active_scenario)
            action.triggered.connect(lambda _c=False, n=name: self.switch_to(n))
        menu.addSeparator()
        menu.addActions([self.copy, self.rename, self.delete])
        menu.addSeparator()
        menu.addAction(self.compare)

    # --- state ----------------------------------------------------------------------------
    def refresh(self) -> None:
        project = self.window.document.project
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(project.scenario_names())
        self.combo.setCurrentText(project.active_scenario)
        self.combo.blockSignals(False)
        self.delete.setEnabled(len(project.scenario_names()) > 1)
        self.compare.setEnabled(len(project.scenario_names()) > 1)
        if self.comparison_dialog is not None:
            self.comparison_dialog.set_project(project)

    def _chosen(self, index: int) -> None:
        self.switch_to(self.combo.itemText(index))

    # --- edits ----------------------------------------------------------------------------
    def switch_to(self, name: str) -> None:
        if name and name != self.window.document.project.active_scenario:
            self.window.push(ActivateScenario(name))
        self.refresh()

    def copy_scenario(self) -> None:
        project = self.window.document.project
        source = project.active_scenario
        name, ok = QInputDialog.getText(self.window, "Copy scenario",
                                        f"Name of the copy of {source}:", text=_free_name(project, source))
        if ok and name.strip():
            if self.window.push(CopyScenario(source, name)) and QMessageBox.question(
                    self.window, "Copy scenario", f"Open {name.strip()} now?") == QMessageBox.StandardButton.Yes:
                self.window.push(ActivateScenario(" ".join(name.split())))
        self.refresh()

    def rename_scenario(self) -> None:
        project = self.window.document.project
        old = project.active_scenario
        name, ok = QInputDialog.getText(self.window, "Rename scenario", f"New name for {old}:", text=old)
        if ok and name.strip() and name.strip() != old:
            self.window.push(RenameScenario(old, name))
        self.refresh()

    def delete_scenario(self) -> None:
        project = self.window.document.project
        others = [n for n in project.scenario_names() if n != project.active_scenario]
        if not others:
            return
        name, ok = QInputDialog.getItem(self.window, "Delete scenario",
                                        "Delete which scenario? (the open one cannot be deleted)", others, 0, False)
        if ok and name:
            self.window.push(DeleteScenario(name))
        self.refresh()

    def compare_scenarios(self) -> None:
        from .comparison_dialog import ComparisonDialog  # noqa: PLC0415 — the PDF stack loads on first use
        if self.comparison_dialog is None:
            self.comparison_dialog = ComparisonDialog(self.window)
        self.comparison_dialog.set_project(self.window.document.project)
        self.comparison_dialog.show()
        self.comparison_dialog.raise_()


def _free_name(project, source: str) -> str:  # noqa: ANN001 — a Project
    names = {n.casefold() for n in project.scenario_names()}
    n = 1
    while f"{source} option {n}".casefold() in names:
        n += 1
    return f"{source} option {n}"
