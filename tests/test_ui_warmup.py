"""The web page started before the window: the first map pane draws in it (its renderer
process already running), later panes make their own, and an unadopted page is deleted."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

from pcn_desktop.paths import resource
from pcn_desktop.ui import web_warmup
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.map_pane import MapPane
from pcn_desktop.store import load_project


def test_the_first_map_pane_adopts_the_started_page_and_draws_in_it(qtbot):
    web_warmup.start()
    started = web_warmup._waiting[0]
    assert started.requestedUrl().toLocalFile().endswith("blank.html")
    pane = MapPane()
    qtbot.addWidget(pane)
    other = MapPane()
    qtbot.addWidget(other)
    assert pane.view.page() is started and started.parent() is pane.view
    assert other.view.page() is not started
    assert web_warmup.adopt() is None
    pane.resize(800, 600)
    pane.show()
    pane.set_document(Document(load_project(resource("sample", "sample_ccg.pcnproj"))))
    with qtbot.waitSignal(pane.drawn, timeout=30_000):
        pass
    assert pane.view.page() is started and pane.layer_count > 0


def test_a_page_no_pane_took_is_deleted(qtbot):
    web_warmup.start()
    web_warmup.start()                       # once only
    assert len(web_warmup._waiting) == 1
    web_warmup.discard()
    assert web_warmup.adopt() is None
