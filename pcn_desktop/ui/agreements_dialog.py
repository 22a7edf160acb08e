"""Agreements: preview a network's agreement, print it, and export every network's.

The PDF comes from ``reports.agreement`` (the same bytes the command line writes); this
dialog only shows it (QPdfView), sends it to a printer page by page, and runs the batch
export on the thread pool with a progress bar and Cancel.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QProgressBar, QPushButton, QSplitter,
                               QVBoxLayout, QWidget)

from ..domain.model import Project
from ..domain.wording import plural
from ..reports.agreement import PrintedDocument, agreement_bytes
from ..reports.agreement_batch import Exported, export_agreements
from ..reports.clauses import ClauseTemplateError, template_path, user_template_path
from .layout import fit_to_screen
from .panes.fit import widest
from .workers import Task, start

PRINT_DPI_CAP = 300     # enough for text on paper; keeps a page image near 35 MB at A4


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of the document on the printer; returns the number of pages sent."""
    pages = document.pageCount()
    if pages == 0:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        dpi = min(printer.resolution(), PRINT_DPI_CAP)
        for index in range(pages):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(index, QSize(round(points.width() / 72 * dpi),
                                                 round(points.height() / 72 * dpi)))
            target = QRectF(painter.viewport())
            scale = min(target.width() / image.width(), target.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h), image)
    finally:
        painter.end()
    return pages


class AgreementsDialog(QDialog):
    """Preview of the selected network's agreement, Print…, and Export all…."""

    previewed = Signal(str)                  # network id, once its PDF is loaded
    export_finished = Signal(object)         # list[Path] written (after Cancel: those done so far)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Network agreements")
        fit_to_screen(self, 1100, 800)
        self.project: Project | None = None
        self.printed: PrintedDocument | None = None
        self._buffer: QBuffer | None = None
        self._task: Task | None = None
        # Tasks report back by signal while their run() is still returning on the pool
        # thread; deleting a Task then crashes, so the dialog keeps every one it started.
        self._started: list[Task] = []
        self._written: list[Path] = []

        self.networks = QListWidget()
        self.networks.setAccessibleName("Networks")
        self.networks.currentItemChanged.connect(self._selection_changed)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Agreement preview")
        splitter = self.splitter = QSplitter()
        splitter.addWidget(self.networks)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 3)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton("Print…")
        self.print_button.clicked.connect(self.print_with_dialog)
        self.export_button = QPushButton("Export all…")
        self.export_button.clicked.connect(lambda: self.export_all())
        self.pack_box = QCheckBox("With registration pack")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for w in (self.print_button, self.export_button, self.pack_box, self.progress, self.cancel_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(close)
        template = QLabel(f"Clause wording: {template_path()} (your own copy goes in "
                          f"{user_template_path()})")
        template.setWordWrap(True)
        template.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(template)
        layout.addLayout(buttons)

    # --- project and preview ----------------------------------------------------------
    def set_project(self, project: Project) -> None:
        self.project = project
        self.networks.clear()
        for net in project.sorted_networks():
            label = f"{net.name} ({net.code})" if net.code else net.name
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, net.id)
            self.networks.addItem(item)
        self._fit_list()
        enabled = self.networks.count() > 0
        self.print_button.setEnabled(enabled)
        self.export_button.setEnabled(enabled)
        if enabled:
            self.networks.setCurrentRow(0)
        else:
            self.document.close()
            self.status.setText("The project has no networks.")

    def _fit_list(self) -> None:
        """The list as wide as its longest entry, up to two fifths of the dialog: at its
        default width "Ashbridge West & Marlbeck PCN (U90004)" lost its bracket. An entry
        still too long (all England's names) shows whole in its tooltip."""
        items = [self.networks.item(row) for row in range(self.networks.count())]
        if not items:
            return
        fm = self.networks.fontMetrics()
        need = (fm.horizontalAdvance(widest((i.text() for i in items), fm)) + 2 * self.networks.frameWidth()
                + self.networks.verticalScrollBar().sizeHint().width() + 12)
        total = sum(self.splitter.sizes()) or self.width()
        left = min(need, int(total * 0.4))
        self.splitter.setSizes([left, max(1, total - left)])
        if left < need:
            for item in items:
                item.setToolTip(item.text())

    def select_network(self, network_id: str) -> None:
        for row in range(self.networks.count()):
            if self.networks.item(row).data(Qt.ItemDataRole.UserRole) == network_id:
                self.networks.setCurrentRow(row)
                return
        raise KeyError(network_id)

    def _selection_changed(self, current: QListWidgetItem | None, _previous: Any) -> None:
        if current is not None:
            self.preview(current.data(Qt.ItemDataRole.UserRole))

    def preview(self, network_id: str) -> None:
        """Build the network's PDF in memory and show it (about a second for a large one)."""
        if self.project is None:
            return
        try:
            pdf, printed = agreement_bytes(self.project, network_id)
        except ClauseTemplateError as exc:
            self.status.setText(f"Cannot print: {exc}")
            return
        self.document.close()
        self._buffer = QBuffer(self)           # the document reads from it for as long as it is shown
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.printed = printed
        state = ("DRAFT: its cover lists what to put right before signature" if printed.draft
                 else "final: ready for signature")
        self.status.setText(f"{printed.network_key}: Schedules version {printed.version}, "
                            f"{printed.pages} pages, {state}. Fingerprint {printed.short_fingerprint}.")
        self.previewed.emit(network_id)

    # --- printing -------------------------------------------------------------------
    def print_with_dialog(self) -> None:
        if self.document.pageCount() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle() if self.printed is None else
                           f"Network agreement {self.printed.network_key}")
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                print_pdf(self.document, printer)
            except OSError as exc:
                QMessageBox.warning(self, "Print", str(exc))

    def print_to(self, printer: QPrinter) -> int:
        """Print the previewed agreement without a dialog (tests, and "print again")."""
        return print_pdf(self.document, printer)

    # --- batch export ---------------------------------------------------------------
    def export_all(self, outdir: str | Path | None = None) -> Task | None:
        if self.project is None or self._task is not None:
            return None
        if outdir is None:
            chosen = QFileDialog.getExistingDirectory(self, "Export every network's agreement to")
            if not chosen:
                return None
            outdir = chosen
        project, folder, pack = self.project, Path(outdir), self.pack_box.isChecked()
        # Filled by the worker; read by the UI thread only after the task has reported back,
        # so that after Cancel the dialog names exactly the files that were written.
        written: list[Path] = []
        self._written = written

        def work(progress: Any) -> list[Exported]:
            def report(done: int, total: int, path: str) -> None:
                written.append(Path(path))
                if not progress.cancelled:      # a cancelled Progress raises; finish cleanly instead
                    progress(done, total, path)
            return export_agreements(project, folder, pack=pack, progress=report,
                                     cancelled=lambda: progress.cancelled)

        task = Task(work)
        task.signals.progress.connect(self._export_progress)
        task.signals.finished.connect(self._export_done)
        task.signals.failed.connect(self._export_failed)
        task.signals.cancelled.connect(lambda: self._export_done(None))
        self._set_exporting(True, len(project.networks) + (1 if pack else 0))
        self._started.append(task)
        self._task = start(task)
        return self._task

    def done(self, result: int) -> None:
        """Closing waits for an export's last document so no task outlives the dialog."""
        if self._task is not None:
            self._task.cancel()
        QThreadPool.globalInstance().waitForDone(30000)
        super().done(result)

    def cancel_export(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status.setText("Cancelling after the current agreement…")

    def _set_exporting(self, running: bool, total: int = 0) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.export_button.setEnabled(not running)
        if running:
            self.progress.setRange(0, total)
            self.progress.setValue(0)

    def _export_progress(self, done: int, total: int, path: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Wrote {path} ({done} of {total})")

    def _export_done(self, result: list[Exported] | None) -> None:
        self._task = None
        self._set_exporting(False)
        written = [e.path for e in result] if result is not None else list(self._written)
        word = "Exported" if result is not None else "Cancelled after"
        self.status.setText(f"{word} {plural(len(written), 'file')}.")
        self.export_finished.emit(written)

    def _export_failed(self, exc: Exception, _trace: str) -> None:
        self._task = None
        self._set_exporting(False)
        self.status.setText(f"Export failed: {exc}")
        QMessageBox.warning(self, "Export agreements", str(exc))
        self.export_finished.emit([])
