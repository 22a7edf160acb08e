"""Networks > Build boundaries from registrations: the geography engine's plurality build
(the same ``geo.boundaries.build_from_registrations`` as ``pcn-desktop boundaries``), run in a
worker behind a modal progress dialog, after which rules, tables and map are redrawn."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ..geo.boundaries import BuildResult, build_from_registrations
from .workers import Progress, run_with_progress

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow


def build_boundaries(window: "MainWindow") -> None:
    document = window.document
    project = document.project
    if not project.areas or not project.registrations:
        QMessageBox.information(window, "Build boundaries",
                                "Boundaries are built from registrations by small area: import the "
                                "area polygons and the registrations first (File > Import).")
        return
    share = document.settings.boundary_min_share

    def work(progress: Progress) -> BuildResult:
        progress(0, 0, f"Assigning {len(project.areas):,} areas by the plurality rule")
        # the dialog is window-modal, so no edit can run while the build changes the project
        return build_from_registrations(project, share)

    def done(result: BuildResult) -> None:
        document.reload_all()            # boundaries feed the geography rules and the map
        document.mark_dirty()
        window.statusBar().showMessage(
            f"{result.assigned:,} of {len(project.areas):,} areas assigned; "
            f"{len(result.contested):,} contested; {len(result.edits_kept):,} hand edits kept", 10000)

    run_with_progress(window, "Build boundaries", work, done,
                      lambda exc, _t: QMessageBox.critical(window, "Build boundaries failed", str(exc)))
