"""File menu: New, Open, Open Recent, Save, Save As, Import, Export, and the unsaved-changes prompt.

An untitled project (the sample copy, a new project) has no path, so Save means Save As and
the shipped sample file is never written.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from ..domain.model import Project
from ..paths import as_chosen
from ..store import ProjectFileError, ProjectLocked, StaleSave
from ..store.database import display_url, is_database_url
from .document import Document
from .settings import add_recent_file, recent_files
from .team import ask_about_lock, offer_reload

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

PROJECT_FILTER = "PCN Desktop projects (*.pcnproj);;All files (*)"


def remembered(path: str | Path) -> str:
    """How a project is listed in Open Recent: a resolved path, or a URL without password."""
    return display_url(path) if is_database_url(path) else str(as_chosen(path))   # a mapped drive stays as chosen


class FileActions(QObject):
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.new = self._action("&New", self.new_project, QKeySequence.StandardKey.New)
        self.open = self._action("&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.open_database = self._action("Open &Team Database…", self.open_database_dialog)
        self.save = self._action("&Save", self.save_project, QKeySequence.StandardKey.Save)
        self.save_as = self._action("Save &As…", self.save_project_as, QKeySequence.StandardKey.SaveAs)
        self.quit = self._action("&Quit", window.close, QKeySequence.StandardKey.Quit)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def _action(self, text: str, slot, shortcut: QKeySequence.StandardKey | None = None) -> QAction:  # noqa: ANN001
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = recent_files()
        for path in files:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not files:
            self.recent_menu.addAction("(none)").setEnabled(False)

    # --- the prompt ------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded or clean)."""
        document = self.window.document
        if not document.dirty:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes", f"Save the changes to {document.title}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_project()
        return answer == QMessageBox.StandardButton.Discard

    # --- actions ---------------------------------------------------------------------------
    def new_project(self) -> None:
        if self.maybe_save():
            self.window.set_document(Document(Project()))
            self.window.autosaver.discard()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", "", PROJECT_FILTER)
        if path:
            self.open_path(path, ask=False)

    def open_database_dialog(self) -> None:
        """A team database by URL; its password comes from the system's credential store
        (`pcn-desktop password URL`) or .pgpass, never from what is typed here being kept."""
        if not self.maybe_save():
            return
        url, ok = QInputDialog.getText(
            self.window, "Open team database",
            "Database URL (e.g. postgresql://alice@db.example.nhs.uk/pcn):", text=self._last_database())
        url = url.strip()
        if ok and url:
            if not is_database_url(url):
                QMessageBox.warning(self.window, "Open team database", f"{url}: not a database URL")
                return
            self.open_path(url, ask=False)

    def _last_database(self) -> str:
        return next((f for f in recent_files() if is_database_url(f)), "postgresql://")

    def open_path(self, path: str, ask: bool = True) -> bool:
        if ask and not self.maybe_save():
            return False
        try:
            document = Document.open(path, when_locked=lambda holder: ask_about_lock(holder, self.window))
        except ProjectLocked:
            return False                 # the user chose neither a copy nor to open anyway
        except (ProjectFileError, OSError) as exc:
            QMessageBox.critical(self.window, "Cannot open project", str(exc))
            return False
        self.window.set_document(document)
        add_recent_file(remembered(path))
        self.window.autosaver.discard()
        return True

    def save_project(self) -> bool:
        document = self.window.document
        if document.path is None:
            return self.save_project_as()
        return self._save_to(document.path)

    def save_project_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save project as", "untitled.pcnproj", PROJECT_FILTER)
        if not path:
            return False
        if not path.endswith(".pcnproj"):
            path += ".pcnproj"
        return self._save_to(Path(path))

    def _save_to(self, path: Path | str) -> bool:
        try:
            self.window.document.save(path)
        except StaleSave as exc:
            if offer_reload(self.window, self.window.document, exc):
                return self._save_to(path)
            return False
        except ProjectLocked as exc:
            QMessageBox.critical(self.window, "Cannot save project", f"{exc.holder.sentence()}; try again")
            return False
        except (ProjectFileError, OSError) as exc:
            QMessageBox.critical(self.window, "Cannot save project", f"{display_url(path)}: {exc}")
            return False
        add_recent_file(remembered(path))
        self.window.autosaver.discard()
        self.window.statusBar().showMessage(f"Saved {display_url(path)}", 5000)
        return True
