"""File > Import… and File > Export: the wizard, and exports through the same functions the
command line uses (map HTML: ``reports.map_html.render_map``)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWizard

from ..io.exports import write_areas, write_boundaries, write_practices
from ..reports.map_html import render_map
from .document import Document
from .import_wizard import ImportWizard
from .workers import Progress, run_with_progress

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow


def add_import_export_actions(window: "MainWindow", menu: QMenu) -> None:
    importer = QAction("&Import NHS files…", window)
    importer.setShortcut(QKeySequence("Ctrl+I"))
    importer.triggered.connect(lambda: open_import_wizard(window))
    menu.addAction(importer)
    window.import_action = importer
    exports = menu.addMenu("&Export")
    exports.setObjectName("exportMenu")
    window.export_menu = exports
    # the same writers `pcn-desktop export` and `pcn-desktop map` call
    add_export(window, exports, "&Practices and networks (CSV)…", "CSV (*.csv)", ".csv",
               lambda project, path, _f, _p: write_practices(project, path))
    add_export(window, exports, "Practices and networks (E&xcel)…", "Excel workbook (*.xlsx)", ".xlsx",
               lambda project, path, _f, _p: write_practices(project, path))
    add_export(window, exports, "&Areas and networks (CSV)…", "CSV (*.csv)", ".csv",
               lambda project, path, _f, _p: write_areas(project, path))
    add_export(window, exports, "Areas with their networks (&GeoPackage)…", "GeoPackage (*.gpkg)", ".gpkg",
               lambda project, path, _f, _p: write_areas(project, path))
    add_export(window, exports, "Network &boundaries (GeoPackage)…", "GeoPackage (*.gpkg)", ".gpkg",
               lambda project, path, _f, _p: write_boundaries(project, path))
    add_export(window, exports, "Map as &HTML…", "Map (*.html)", ".html",
               lambda project, path, findings, _p: render_map(project, path, findings=findings))


def add_export(window: "MainWindow", menu: QMenu, text: str, file_filter: str, suffix: str,
               write: Callable[..., object]) -> QAction:
    """An export entry: ask for a file, write it in a worker, report where it went."""
    action = menu.addAction(text)

    def run() -> None:
        path, _ = QFileDialog.getSaveFileName(window, text.replace("&", "").rstrip("…"), "", file_filter)
        if not path:
            return
        if not path.endswith(suffix):
            path += suffix
        export_to(window, Path(path), write)
    action.triggered.connect(run)
    return action


def export_to(window: "MainWindow", path: Path, write: Callable[..., object]) -> None:
    project = window.document.project
    findings = list(window.document.current_findings)

    def work(progress: Progress) -> Path:
        progress(0, 0, f"Writing {path.name}")
        write(project, path, findings, progress)
        return path

    run_with_progress(window, "Export", work,
                      lambda done: window.statusBar().showMessage(f"Exported {done}", 8000),
                      lambda exc, _t: QMessageBox.critical(window, "Export failed", f"{path}: {exc}"))


def open_import_wizard(window: "MainWindow", paths: list[str] | None = None) -> ImportWizard:
    wizard = ImportWizard(window.document.project, window)
    if paths:
        wizard.files.add_paths(paths)

    def finished(code: int) -> None:
        project = wizard.imported()
        if code != QWizard.DialogCode.Accepted or project is None:
            return
        if wizard.into_current():
            # the copy holds every unsaved edit too, so nothing is lost by swapping it in
            document = Document(project, window.document.path)
            document.continue_from(window.document)
        else:
            if not window.files.maybe_save():
                return
            document = Document(project)
        window.set_document(document)
        document.mark_dirty()
    wizard.finished.connect(finished)
    wizard.open()
    return wizard
