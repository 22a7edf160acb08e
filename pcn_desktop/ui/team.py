"""Working on one project with others: the offers made when a file is locked or a save is
refused, and the watcher that brings in what others save while the project is open."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.wording import plural
from ..store import ProjectFileError, StaleSave
from ..store.locks import LockInfo
from .settings import app_settings
from .workers import Task, start

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

DEFAULT_POLL_SECONDS = 15


def poll_seconds() -> int:
    """How often an open project looks for others' saves (setting teamPollSeconds; 0 = never)."""
    try:
        return max(0, int(app_settings().value("teamPollSeconds", DEFAULT_POLL_SECONDS)))
    except (TypeError, ValueError):
        return DEFAULT_POLL_SECONDS


def ask_about_lock(holder: LockInfo, parent: QWidget | None = None) -> str:
    """'copy', 'anyway' or 'cancel', asked of the user when someone else has the file open."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Project in use")
    box.setText(f"{holder.sentence().capitalize()}.")
    box.setInformativeText(
        "Open a read-only copy (you can save it under another name), or open it anyway: "
        "your saves then take in theirs, and a save is refused when you both changed the "
        "same network.")
    copy = box.addButton("Open read-only copy", QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton("Open anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(copy)
    box.exec()
    clicked = box.clickedButton()
    return "copy" if clicked is copy else "anyway" if clicked is anyway else "cancel"


def offer_reload(parent: QWidget, document: "Document", refused: StaleSave) -> bool:
    """The save was refused: say what clashed and who changed it, and offer to reload and
    apply this session's edits again. True when the edits were re-applied (save again)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by someone else")
    box.setText("Not saved: " + "; ".join(c.sentence() for c in refused.conflicts) + ".")
    box.setInformativeText("Reload their version and apply your edits again on top of it? "
                           "Nothing you changed is lost; check the result, then save.")
    reload = box.addButton("Reload and re-apply my edits", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    if box.clickedButton() is not reload:
        return False
    try:
        failed = document.reload_and_reapply()
    except (ProjectFileError, ValueError, OSError) as exc:
        QMessageBox.critical(parent, "Cannot reload", str(exc))
        return False
    if failed:
        QMessageBox.warning(parent, "Some edits no longer apply",
                            "These edits could not be applied to their version:\n" + "\n".join(failed))
    return True


class TeamWatcher(QObject):
    """Looks for others' saves every few seconds and brings them into the open project."""

    message = Signal(str)

    def __init__(self, get_document, parent: QObject | None = None, seconds: int | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.get_document = get_document
        self.timer = QTimer(self)
        interval = poll_seconds() if seconds is None else seconds
        self.timer.setInterval(max(1, interval) * 1000)
        self.timer.timeout.connect(lambda: self.check_now(wait=False))
        self._task: Task | None = None
        if interval:
            self.timer.start()

    def check_now(self, wait: bool = True) -> int:
        """Look now. The store is read on a worker thread (a whole project, when someone
        saved); what came in is applied here. ``wait`` blocks until done (tests, Save)."""
        document = self.get_document()
        if document is None or document.path is None or self._task is not None:
            return 0
        from ..store.syncing import fetch_others  # noqa: PLC0415
        project, target = document.project, document.path
        result: list[int] = [0]

        def done(fetched: object) -> None:
            self._task = None
            if fetched is not None and self.get_document() is document:
                result[0] = self._apply(document, fetched)

        def failed(_exc: Exception, _trace: str) -> None:
            self._task = None            # the share or server is away for a moment: next tick

        self._task = start(Task(lambda _progress: fetch_others(project, target)), done, failed)
        if wait:
            from PySide6.QtCore import QCoreApplication, QThreadPool  # noqa: PLC0415
            QThreadPool.globalInstance().waitForDone(60_000)
            QCoreApplication.processEvents()
        return result[0]

    def _apply(self, document: "Document", fetched: object) -> int:
        try:
            found = document.take_in_others(fetched)  # type: ignore[arg-type]
        except (ProjectFileError, OSError, ValueError):
            return 0
        if found.changed:
            text = f"Took in {plural(len(found.pulled), 'change')} saved by others"
            if found.conflicts:
                text += "; you and they both changed " + ", ".join(c.sentence() for c in found.conflicts)
            self.message.emit(text)
        return len(found.pulled)


def attach_team(window) -> None:  # noqa: ANN001 — the MainWindow (imported lazily: it imports us)
    """The History dock (beside Findings) and the watcher for others' saves."""
    from PySide6.QtCore import Qt  # noqa: PLC0415

    from .panes.history_pane import HistoryPane  # noqa: PLC0415
    window.history_pane = HistoryPane(window)
    dock = window._dock("history", "History", window.history_pane, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.tabifyDockWidget(window.docks["findings"], dock)
    window.docks["findings"].raise_()
    dock.visibilityChanged.connect(lambda visible: visible and window.history_pane.refresh())
    window.team_watcher = TeamWatcher(lambda: window.document, window)
    window.team_watcher.message.connect(lambda text: window.statusBar().showMessage(text, 15000))


def show_document(window, document: "Document") -> None:  # noqa: ANN001
    """What the team pieces do when the window takes a document."""
    window.history_pane.set_project(document.project)
    document.changed.connect(lambda _touched: window.docks["history"].isVisible() and window.history_pane.refresh())
    if document.opened_anyway is not None:
        window.statusBar().showMessage(f"Opened anyway: {document.opened_anyway.sentence()}. "
                                       "Saves take in their changes; a clash is refused, never overwritten.", 30000)
