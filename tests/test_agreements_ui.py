"""The Agreements dialog, offscreen: preview, real printing to a PDF printer, batch export."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

pytest.importorskip("PySide6.QtPdf")

from PySide6.QtCore import QSize, QThreadPool  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402

from agreements_synthetic import synthetic_project  # noqa: E402
from pcn_desktop.ui.agreements_dialog import AgreementsDialog  # noqa: E402


def _wait_ready(qtbot, document: QPdfDocument) -> None:
    qtbot.waitUntil(lambda: document.status() == QPdfDocument.Status.Ready, timeout=5000)


def test_preview_and_print(qtbot, tmp_path) -> None:
    dialog = AgreementsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        dialog.set_project(synthetic_project())
    _wait_ready(qtbot, dialog.document)
    # sorted by name, so Greater Moor first; then choose Riverside
    with qtbot.waitSignal(dialog.previewed, timeout=10000) as blocker:
        dialog.select_network("net-river")
    assert blocker.args == ["net-river"]
    _wait_ready(qtbot, dialog.document)
    pages = dialog.document.pageCount()
    assert pages == dialog.printed.pages >= 1
    assert "Riverside PCN (U00001)" in dialog.document.getAllText(0).text()
    assert dialog.printed.short_fingerprint in dialog.status.text()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.print_to(printer) == pages
    assert len(PdfReader(out).pages) == pages
    # what reached the printer is the page drawn, not blank paper
    printed = QPdfDocument()
    printed.load(str(out))
    image = printed.render(0, QSize(210, 297))
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50


def test_export_all_runs_off_the_ui_thread(qtbot, tmp_path) -> None:
    dialog = AgreementsDialog()
    qtbot.addWidget(dialog)
    dialog.set_project(synthetic_project())
    dialog.pack_box.setChecked(True)
    with qtbot.waitSignal(dialog.export_finished, timeout=60000) as blocker:
        task = dialog.export_all(tmp_path)
        assert task is not None
        assert not dialog.export_button.isEnabled()          # busy until it reports back
    # the signal arrives while run() is still returning on the pool thread
    assert QThreadPool.globalInstance().waitForDone(10000)
    names = sorted(p.name for p in blocker.args[0])
    assert names == ["U00001.pdf", "U00002.pdf", "U00003.pdf", "registration-pack.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert dialog.progress.value() == 4
    assert dialog.export_button.isEnabled()


def test_cancel_stops_between_agreements(qtbot, tmp_path) -> None:
    dialog = AgreementsDialog()
    qtbot.addWidget(dialog)
    dialog.set_project(synthetic_project())
    with qtbot.waitSignal(dialog.export_finished, timeout=60000) as blocker:
        task = dialog.export_all(tmp_path)
        task.cancel()               # before the first document finishes
    assert QThreadPool.globalInstance().waitForDone(10000)
    written = blocker.args[0]
    assert len(written) <= 1                  # at most the one in progress when Cancel came
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)
    assert dialog.status.text() == f"Cancelled after {len(written)} file{'' if len(written) == 1 else 's'}."
