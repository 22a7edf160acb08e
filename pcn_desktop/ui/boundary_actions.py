"""Networks > Build boundaries from registrations, and Networks > Import boundaries…: the
geography engine's plurality build and boundary-file import (the same functions as
``pcn-desktop boundaries``), run behind a modal progress dialog. Each is one undoable step
(``ReplaceGeography``): undo puts back the boundaries, area assignments and build record
the project had before."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..domain.wording import plural
from ..geo.boundaries import BuildResult, build_from_registrations
from ..geo.commands import GeographySnapshot, ReplaceGeography
from ..geo.importing import BoundaryMatch, ImportResult, apply_boundaries, match_boundaries
from .workers import Progress, run_with_progress

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

BOUNDARY_FILES = "Boundary files (*.geojson *.json *.gpkg *.shp *.zip);;All files (*)"
LISTED = 10          # unmatched features and networks left without a polygon named in the report


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
        window.statusBar().showMessage(
            f"{result.assigned:,} of {len(project.areas):,} areas assigned; "
            f"{len(result.contested):,} contested; {plural(len(result.edits_kept), 'hand edit')} kept", 10000)

    _replace(window, "Build boundaries from registrations", work, done, "Build boundaries failed")


def import_boundaries(window: "MainWindow", path: str | None = None) -> None:
    """Ask for a boundary file (unless given ``path``), match its polygons to the networks,
    ask before removing the boundaries of networks it has none for, then import it."""
    document = window.document
    project = document.project
    if not project.networks:
        QMessageBox.information(window, "Import boundaries",
                                "The project has no networks for a boundary file's polygons to match: "
                                "import or create the networks first.")
        return
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Import network boundaries", "", BOUNDARY_FILES)
        if not path:
            return
    name = Path(path).name

    def read(progress: Progress) -> BoundaryMatch:
        progress(0, 0, f"Reading {name} and matching its polygons to the networks")
        return match_boundaries(project, path)     # reads only: the project is not changed

    def matched(match: BoundaryMatch) -> None:
        if match.losing and not _remove_theirs(window, match):
            window.statusBar().showMessage(f"Boundaries not imported from {name}: nothing was changed", 10000)
            return

        def apply(progress: Progress) -> ImportResult:
            progress(0, 0, f"Importing {len(match.pieces):,} network boundaries from {name}")
            return apply_boundaries(project, match, replace_all=True)

        _replace(window, f"Import boundaries from {name}", apply, lambda r: _report(window, match, r),
                 "Boundaries not imported")

    run_with_progress(window, "Import boundaries", read, matched,
                      lambda exc, _t: _refused(window, "Boundaries not imported", path, exc), fresh_thread=True)


def _replace(window: "MainWindow", label: str, work: Callable[[Progress], object],
             done: Callable, failed_title: str) -> None:
    """Run ``work`` (which changes the project's geography) and push it as one undoable
    step; if it fails or is cancelled part way, the geography of before is put back."""
    document = window.document
    project = document.project
    before = GeographySnapshot.of(project)

    def finished(result: object) -> None:
        document.push(ReplaceGeography(label, before, GeographySnapshot.of(project)))
        done(result)

    def failed(exc: Exception, _trace: str) -> None:
        before.put(project)
        document.reload_all()
        _refused(window, failed_title, None, exc)

    task = run_with_progress(window, label, work, finished, failed, fresh_thread=True)
    task.signals.cancelled.connect(lambda: (before.put(project), document.reload_all()))


def _remove_theirs(window: "MainWindow", match: BoundaryMatch) -> bool:
    project = window.document.project
    names = [project.networks[n].name for n in match.losing]
    shown = "\n".join(f"  {n}" for n in names[:LISTED]) + \
        (f"\n  and {len(names) - LISTED} more" if len(names) > LISTED else "")
    answer = QMessageBox.question(
        window, "Import boundaries",
        f"{match.path.name} has polygons for {plural(len(match.pieces), 'network')}, but none for "
        f"{len(names):,} that {'has' if len(names) == 1 else 'have'} a boundary now:\n{shown}\n\n"
        "Import it and leave those networks without a boundary?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def _report(window: "MainWindow", match: BoundaryMatch, result: ImportResult) -> None:
    project = window.document.project
    features = match.features
    line = (f"{plural(len(result.matched), 'network')} given a boundary from {match.path.name} "
            f"({features - len(result.unmatched):,} of {plural(features, 'feature')} matched); "
            f"{result.areas_assigned:,} small areas lie inside them")
    window.statusBar().showMessage(line, 15000)
    if not result.unmatched and not result.networks_without:
        return
    parts = [line + "."]
    if result.unmatched:
        listed = [f"  feature {number}: {label}" for number, label in result.unmatched[:LISTED]]
        more = len(result.unmatched) - LISTED
        parts.append("Features that match no network by code or name (not imported):\n" + "\n".join(listed)
                     + (f"\n  and {more} more" if more > 0 else ""))
    if result.networks_without:
        names = [project.networks[n].name for n in result.networks_without if n in project.networks]
        more = len(names) - LISTED
        parts.append("Networks with no polygon in the file (no boundary now):\n"
                     + "\n".join(f"  {n}" for n in names[:LISTED]) + (f"\n  and {more} more" if more > 0 else ""))
    QMessageBox.information(window, "Boundaries imported", "\n\n".join(parts))


def _refused(window: "MainWindow", title: str, path: str | None, exc: Exception) -> None:
    text = str(exc) or type(exc).__name__
    if path and str(path) not in text:
        text = f"{path}: {text}"
    QMessageBox.warning(window, title, f"{text}\n\nNothing was changed." if "nothing was changed" not in text
                        else text)
