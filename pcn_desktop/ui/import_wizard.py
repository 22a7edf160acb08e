"""The import wizard: choose NHS Digital files, preview what each is and what it holds, then
import in a worker. A refused file is shown as file, row and problem, and nothing changes.

The importers are ``pcn_desktop.io.run.ImportRun`` (the same the ``import`` command uses):
read every file, check them against each other, then apply to a copy of the project, so the
open project is replaced only when the whole import succeeded.
"""
from __future__ import annotations

import copy
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QPlainTextEdit, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget, QWizard, QWizardPage)

from ..domain.model import Project
from ..domain.wording import plural
from ..io.errors import ImportRefused
from ..io.kinds import FileSummary
from ..io.run import ImportRun
from .layout import fit_to_screen
from .workers import Progress, Task, start

FILE_FILTER = ("NHS data files (*.csv *.xlsx *.geojson *.json *.gpkg *.shp *.zip);;All files (*)")


def read_for_preview(paths: list[str], commissioners: list[str], progress: Progress) -> ImportRun:
    """Parse every file (no project is touched); ImportRefused names the first bad one."""
    run = ImportRun(paths, commissioners)
    progress(0, len(paths), "Reading files")
    run.read()
    progress(len(paths), len(paths), "Read")
    return run


def geometry_memo(project: Project) -> dict[int, object]:
    """A deepcopy memo under which the copy shares the (immutable) geometries: less to copy,
    and the store's versions still see untouched areas and outlines as the same."""
    memo: dict[int, object] = {}
    for area in project.areas.values():
        if area.geometry is not None:
            memo[id(area.geometry)] = area.geometry
    for scenario in project.scenarios():
        for boundary in scenario.boundaries.values():
            memo[id(boundary.geometry)] = boundary.geometry
    return memo


def apply_to_copy(run: ImportRun, project: Project | None, progress: Progress) -> tuple[Project, list[FileSummary]]:
    """Apply the run to a copy of ``project`` (or a new one): the original stays as it was
    until the window swaps the copy in."""
    progress(0, 0, "Importing")
    target = copy.deepcopy(project, geometry_memo(project)) if project is not None else Project()
    progress.check()
    summaries = run.apply(target)
    return target, summaries


# What each kind of file the import reads is called here, in the order a user meets them
# (a test keeps it in step with the kinds io.kinds registers)
KIND_WORDS = {
    "epraccur": "epraccur",
    "populations": "list sizes",
    "registrations": "registrations by LSOA",
    "epcn": "ePCN.xlsx",
    "mapping": "practice to network CSV",
    "mapping_sheet": "practice to network list in Excel",
    "area_assignments": "area to network CSV",
    "areas": "small-area boundaries",
    "workforce_plan": "workforce plans",
}


class FilesPage(QWizardPage):
    def __init__(self, has_project: bool) -> None:
        super().__init__()
        self.setTitle("Choose the files to import")
        self.setSubTitle(", ".join(KIND_WORDS.values()) + ". Files are recognised by their content.")
        self.files = QListWidget(self)
        self.files.setAccessibleName("Files to import")
        add = QPushButton("&Add files…", self)
        remove = QPushButton("&Remove", self)
        add.clicked.connect(self._add)
        remove.clicked.connect(lambda: [self.files.takeItem(self.files.row(i)) for i in self.files.selectedItems()]
                               and self.completeChanged.emit())
        self.commissioners = QLineEdit(self)
        self.commissioners.setAccessibleName("Commissioner codes")
        self.commissioners.setPlaceholderText("e.g. 00Q 01A (empty: all)")
        self.into_current = QRadioButton("Into the open project", self)
        self.into_new = QRadioButton("Into a new project", self)
        group = QButtonGroup(self)
        group.addButton(self.into_current)
        group.addButton(self.into_new)
        (self.into_current if has_project else self.into_new).setChecked(True)
        self.into_current.setEnabled(has_project)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Keep only these commissioners (CCG codes):", self))
        layout.addWidget(self.commissioners)
        layout.addWidget(self.into_current)
        layout.addWidget(self.into_new)

    def _add(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Files to import", "", FILE_FILTER)
        self.add_paths(paths)

    def add_paths(self, paths: list[str]) -> None:
        have = set(self.paths())
        for p in paths:
            if p not in have:
                self.files.addItem(p)
        self.completeChanged.emit()

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def commissioner_codes(self) -> list[str]:
        return self.commissioners.text().replace(",", " ").split()

    def isComplete(self) -> bool:
        return self.files.count() > 0


class PreviewPage(QWizardPage):
    """Reads the files in a worker; shows each file's kind and counts, or the refusal."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Preview")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Preview status")
        self.table = QTableWidget(0, 4, self)
        self.table.setAccessibleName("Files recognised")
        self.table.setHorizontalHeaderLabels(["File", "Kind", "Rows", "Row / problem"])
        self.table.horizontalHeader().setStretchLastSection(True)
        # counts with no date (a plain CSV's list_size): the user says when they were counted
        self.date_label = QLabel(self)
        self.date_label.setWordWrap(True)
        self.list_date = QLineEdit(self)
        self.list_date.setAccessibleName("List date")
        self.list_date.setPlaceholderText("YYYY-MM-DD (empty: counted as at today, with a warning)")
        self.list_date.textChanged.connect(lambda _text: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(self.date_label)
        layout.addWidget(self.list_date)
        self.date_label.hide()
        self.list_date.hide()
        self.asks_list_date = False
        self.run: ImportRun | None = None
        self.refusal: ImportRefused | None = None
        self.task: Task | None = None

    def initializePage(self) -> None:
        files: FilesPage = self.wizard().page(0)
        self.run, self.refusal = None, None
        self.table.setRowCount(0)
        self.status.setText("Reading the files…")
        self.task = start(Task(lambda progress: read_for_preview(files.paths(), files.commissioner_codes(), progress)),
                          self._read, self._failed)
        self.completeChanged.emit()

    def _read(self, run: ImportRun) -> None:
        self.run = run
        self.task = None
        self.table.setColumnCount(4)              # a refusal shown before left three
        self.table.setRowCount(len(run.files))
        self.table.setHorizontalHeaderLabels(["File", "Kind", "Rows", "Notes"])
        for row, parsed in enumerate(run.files):
            s = parsed.summary
            # the file's name (its folder in the tooltip): a whole path pushed the notes out of view
            for col, text in enumerate((s.path.name, s.kind, f"{s.rows_read:,}", "\n".join(s.notes))):
                item = QTableWidgetItem(text)
                item.setToolTip(str(s.path) if col == 0 else text)
                self.table.setItem(row, col, item)
        self.table.setWordWrap(True)
        for col in range(3):
            self.table.resizeColumnToContents(col)
        self.table.resizeRowsToContents()
        self.status.setText(f"{plural(len(run.files), 'file')} recognised. Press Import to apply "
                            f"{'it' if len(run.files) == 1 else 'them'}.")
        undated = [(f.path.name, n) for f in run.files if (n := f.undated_counts())]
        self.asks_list_date = bool(undated)
        self.date_label.setVisible(bool(undated))
        self.list_date.setVisible(bool(undated))
        if undated:
            files = ", ".join(f"{name} ({n:,})" for name, n in undated)
            self.date_label.setText(f"List sizes with no date in {files}. When were they counted?")
        self.completeChanged.emit()

    def chosen_list_date(self) -> date | None:
        """The date typed for undated counts; None when empty. ValueError when not a date."""
        text = self.list_date.text().strip()
        return date.fromisoformat(text) if text and self.asks_list_date else None

    def _failed(self, exc: Exception, trace: str) -> None:
        self.task = None
        show_refusal(self.table, self.status, exc, trace)
        self.refusal = exc if isinstance(exc, ImportRefused) else None
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        try:
            self.chosen_list_date()
        except ValueError:
            return False
        return self.run is not None


class ResultPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Result")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Import result")
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Import report")
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["File", "Row", "Problem"])
        self.table.setAccessibleName("Import errors")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.report)
        layout.addWidget(self.table)
        self.project: Project | None = None
        self.summaries: list[FileSummary] = []
        self.done = False

    def initializePage(self) -> None:
        wizard: ImportWizard = self.wizard()
        run = wizard.preview.run
        base = wizard.current if wizard.files.into_current.isChecked() else None
        run.list_date = wizard.preview.chosen_list_date()
        self.done = False
        self.status.setText("Importing…")
        start(Task(lambda progress: apply_to_copy(run, base, progress)), self._applied, self._failed)

    def _applied(self, result: tuple[Project, list[FileSummary]]) -> None:
        self.project, self.summaries = result
        self.status.setText("Imported. Finish to open the result (then save it).")
        self.report.setPlainText("\n".join(line for s in self.summaries for line in s.lines()))
        self.done = True
        self.completeChanged.emit()

    def _failed(self, exc: Exception, trace: str) -> None:
        show_refusal(self.table, self.status, exc, trace)
        self.table.show()
        self.done = False
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done


def show_refusal(table: QTableWidget, status: QLabel, exc: Exception, trace: str) -> None:
    if isinstance(exc, ImportRefused):
        status.setText(f"<b>Nothing was imported.</b> {exc}")
        rows = [(exc.file, "" if exc.row is None else str(exc.row), exc.problem)]
    else:
        from ..crashlog import one_line, write_crash_log   # the details go to a log, not the screen
        line = one_line(exc, write_crash_log(exc, f"import wizard\n{trace}"))
        status.setText(f"<b>Nothing was imported.</b> {line}")
        rows = [("", "", line)]
    table.setColumnCount(3)
    table.setHorizontalHeaderLabels(["File", "Row", "Problem"])
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setForeground(Qt.GlobalColor.darkRed)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class ImportWizard(QWizard):
    def __init__(self, current: Project | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import NHS data files")
        self.setAccessibleName("Import wizard")
        self.current = current
        self.files = FilesPage(current is not None)
        self.preview = PreviewPage()
        self.result_page = ResultPage()
        for page in (self.files, self.preview, self.result_page):
            self.addPage(page)
        fit_to_screen(self, 900, 560)

    def imported(self) -> Project | None:
        return self.result_page.project if self.result_page.done else None

    def into_current(self) -> bool:
        return self.files.into_current.isChecked()

