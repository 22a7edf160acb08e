"""Forming networks: create, rename, merge, split, dissolve, move practices. Each asks the user
what it needs and pushes one domain command; nothing here changes the project directly."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QLineEdit, QMessageBox, QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from ..domain.commands import (Command, CreateNetwork, DissolveNetwork, MergeNetworks,
                               SetNetworkField, SplitNetwork)
from ..domain.wording import plural

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow


class SplitDialog(QDialog):
    """Pick the practices that leave for the new network, and its name."""

    def __init__(self, parent: QWidget, network_name: str, members: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Split {network_name}")
        self.name = QLineEdit(f"{network_name} (split)", self)
        self.name.setAccessibleName("New network name")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Practices that move to the new network")
        for code, label in members:
            item = QListWidgetItem(f"{code}  {label}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Name of the new network:", self))
        layout.addWidget(self.name)
        layout.addWidget(QLabel("Tick the practices that move to it:", self))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class NetworkActions(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.new = self._action("&New network…", self.create, QKeySequence("Ctrl+Shift+N"))
        self.rename = self._action("&Rename network…", self.rename_network, QKeySequence("F2"))
        self.merge = self._action("&Merge into…", self.merge_network)
        self.split = self._action("&Split network…", self.split_network)
        self.dissolve = self._action("&Dissolve network", self.dissolve_network)
        self.move = self._action("&Move practice to network…", self.move_practices, QKeySequence("Ctrl+M"))
        self.unassign = self._action("Remove practice from its &network", self.unassign_practices)

    def _action(self, text: str, slot, shortcut: QKeySequence | None = None) -> QAction:  # noqa: ANN001
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    @property
    def network_actions(self) -> list[QAction]:
        return [self.new, self.rename, self.merge, self.split, self.dissolve]

    @property
    def practice_actions(self) -> list[QAction]:
        return [self.move, self.unassign]

    # --- helpers -----------------------------------------------------------------------------
    def _push(self, command: Command) -> None:
        self.window.push(command)

    def _project(self):  # noqa: ANN202
        return self.window.document.project

    def _current(self) -> str | None:
        nid = self.window.networks_pane.current_network()
        if nid is None:
            QMessageBox.information(self.window, "No network selected", "Select a network in the Networks pane first.")
        return nid

    def _pick_network(self, title: str, exclude: str | None = None) -> str | None:
        nets = [n for n in self._project().sorted_networks() if n.id != exclude]
        if not nets:
            return None
        labels = [f"{n.name} ({n.code})" if n.code else n.name for n in nets]
        label, ok = QInputDialog.getItem(self.window, title, "Network:", labels, 0, False)
        return nets[labels.index(label)].id if ok else None

    # --- actions -----------------------------------------------------------------------------
    def create(self) -> None:
        name, ok = QInputDialog.getText(self.window, "New network", "Name of the new network:")
        if ok and name.strip():
            codes = self.window.practices_pane.selected_codes()
            if codes and QMessageBox.question(
                    self.window, "New network",
                    f"Move the {plural(len(codes), 'selected practice')} into {name.strip()}?") != QMessageBox.StandardButton.Yes:
                codes = []
            self._push(CreateNetwork(name.strip(), practices=codes))

    def rename_network(self) -> None:
        nid = self._current()
        if nid is None:
            return
        old = self._project().networks[nid].name
        name, ok = QInputDialog.getText(self.window, "Rename network", "New name:", text=old)
        if ok and name.strip() and name.strip() != old:
            self._push(SetNetworkField(nid, "name", name.strip()))

    def merge_network(self) -> None:
        nid = self._current()
        if nid is None:
            return
        keep = self._pick_network(f"Merge {self._project().networks[nid].name} into", exclude=nid)
        if keep is not None:
            self._push(MergeNetworks(keep, nid))

    def split_network(self) -> None:
        nid = self._current()
        if nid is None:
            return
        project = self._project()
        net = project.networks[nid]
        members = [(c, project.practices[c].name) for c in sorted(project.members(nid))]
        dialog = SplitDialog(self.window, net.name, members)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen() and dialog.name.text().strip():
            self._push(SplitNetwork(nid, dialog.chosen(), dialog.name.text().strip()))

    def dissolve_network(self) -> None:
        nid = self._current()
        if nid is None:
            return
        net = self._project().networks[nid]
        n = len(self._project().members(nid))
        if QMessageBox.question(self.window, "Dissolve network",
                                f"Dissolve {net.name}? Its {plural(n, 'practice becomes', 'practices become')} unassigned.") \
                == QMessageBox.StandardButton.Yes:
            self._push(DissolveNetwork(nid))

    def move_practices(self) -> None:
        codes = self.window.practices_pane.selected_codes()
        if not codes:
            QMessageBox.information(self.window, "No practice selected", "Select practices in the Practices pane first.")
            return
        target = self._pick_network(f"Move {', '.join(codes[:3])}{'…' if len(codes) > 3 else ''} to")
        if target is not None:
            self.window.move_practices(codes, target)

    def unassign_practices(self) -> None:
        codes = [c for c in self.window.practices_pane.selected_codes() if self._project().networks_of(c)]
        if codes:
            self.window.move_practices(codes, None)
