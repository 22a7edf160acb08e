"""The window on a 1366x768 laptop (and at 125%/150% Windows scaling, which Qt turns into
smaller logical sizes) and in presentation mode: the panes it needs are visible together,
and no visible column's heading or value is elided. Text widths come from QFontMetrics on
the view's own font and style margins, compared with the column's width."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QTableView

from pcn_desktop.paths import resource
from pcn_desktop.ui import layout
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.models.networks_model import MARGIN, NAME, SIZE, STATE
from pcn_desktop.ui.panes.networks_pane import TotalBarDelegate

# 1366x768 at 100%, 125% and 150% display scaling, in logical pixels (what Qt lays out)
LAPTOP_SIZES = [QSize(1366, 768), QSize(1093, 614), QSize(911, 512)]


def sample_document() -> Document:
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.is_file():
        pytest.skip(f"sample project missing: {path}")
    return Document.open(path, untitled=True)


def open_window(qtbot, size: QSize, compact: bool = True) -> MainWindow:
    w = MainWindow(sample_document())
    qtbot.addWidget(w)
    w.set_compact(compact)
    w.resize(size)
    w.show()
    qtbot.waitExposed(w)
    w.set_compact(compact)                  # default sizes for the shown window's size
    QApplication.processEvents()
    return w


@contextmanager
def shown_window(qtbot, size: QSize, presentation: bool = False) -> Iterator[MainWindow]:
    """The sample's window shown at ``size`` as the app opens it (the layout kept, if any),
    closed afterwards as the user closes it (the layout is kept then)."""
    w = MainWindow(sample_document(), presentation=presentation)
    qtbot.addWidget(w)
    w.resize(size)
    w.show()
    qtbot.waitExposed(w)
    try:
        yield w
    finally:
        w.document.stack.setClean()
        w.close()


def elided(view: QTableView) -> list[str]:
    """Every visible column's heading and value wider than its column, as text."""
    model = view.model()
    header = view.horizontalHeader()
    fm = QFontMetrics(view.font())
    hfm = QFontMetrics(header.font())
    style = view.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    hmargin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    # room for the sort arrow where the table sorts (a heading may be sorted on at any time)
    arrow = (header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
             if header.isSortIndicatorShown() else 0)
    bad = []
    for col in range(model.columnCount()):
        if view.isColumnHidden(col):
            continue
        width = view.columnWidth(col)
        heading = str(model.headerData(col, Qt.Orientation.Horizontal))
        if hfm.horizontalAdvance(heading) + 2 * hmargin + arrow > width:
            bad.append(f"heading {heading!r} ({width} px)")
        pad = TotalBarDelegate.PADDING if isinstance(view.itemDelegateForColumn(col), TotalBarDelegate) else 0
        for row in range(model.rowCount()):
            text = model.index(row, col).data()
            if text and fm.horizontalAdvance(str(text)) + 2 * margin + 2 * pad > width:
                bad.append(f"{heading}: {text!r} ({width} px)")
    return bad


def headings_off_screen(view: QTableView) -> list[str]:
    """Headings of columns that start in view but whose title is drawn past the view's right
    edge (a centred title over a column wider than the pane), as the user scrolled to the left."""
    model = view.model()
    header = view.horizontalHeader()
    hfm = QFontMetrics(header.font())
    hmargin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    visible = view.viewport().width()
    bad = []
    for col in range(model.columnCount()):
        left = view.columnViewportPosition(col)
        if view.isColumnHidden(col) or left >= visible:
            continue
        heading = str(model.headerData(col, Qt.Orientation.Horizontal))
        text = hfm.horizontalAdvance(heading)
        align = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)
        align = Qt.AlignmentFlag(align) if align is not None else header.defaultAlignment()
        if align & Qt.AlignmentFlag.AlignLeft:
            start = left + hmargin
        elif align & Qt.AlignmentFlag.AlignRight:
            start = left + view.columnWidth(col) - hmargin - text
        else:
            start = left + (view.columnWidth(col) - text) // 2
        if start + text > visible:
            bad.append(f"heading {heading!r} drawn at {start}-{start + text} px of {visible}")
    return bad


@pytest.mark.parametrize("pane", ["findings", "practices", "networks"])
def test_every_heading_in_view_can_be_read_at_1366x768(qtbot, pane):
    w = open_window(qtbot, QSize(1366, 768))
    try:
        view = getattr(w, f"{pane}_pane").view
        view.horizontalScrollBar().setValue(0)
        QApplication.processEvents()
        assert headings_off_screen(view) == []
    finally:
        w.document.stack.setClean()
        w.close()


@pytest.mark.parametrize("size", LAPTOP_SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_laptop_shows_map_networks_and_a_readable_finding_together(qtbot, size):
    w = open_window(qtbot, size)
    try:
        assert w.width() <= size.width() and w.height() <= size.height()
        for key in ("networks", "findings"):
            dock = w.docks[key]
            assert dock.isVisible() and not dock.visibleRegion().isEmpty(), key
        assert w.map_pane.isVisible() and w.map_pane.view.isVisible()
        assert w.map_pane.width() >= size.width() * 0.4 and w.map_pane.height() >= size.height() * 0.35
        # the networks table shows every network's name, list size, margin and state without
        # scrolling (at 125% and 150% the practice count and the code give way for them)
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        assert elided(w.networks_pane.view) == []
        # one finding readable in full: the detail line wraps it inside the pane
        detail = w.findings_pane.detail
        finding = w.findings_pane.shown_finding()
        assert finding is not None and finding.message in detail.text()
        assert detail.isVisible() and detail.wordWrap()
        assert detail.geometry().right() <= w.findings_pane.width()
        assert detail.height() >= detail.heightForWidth(detail.width())
    finally:
        w.document.stack.setClean()
        w.close()


@pytest.mark.parametrize("size", LAPTOP_SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_practices_tab_shows_names_sizes_and_networks_without_scrolling(qtbot, size):
    from pcn_desktop.ui.models.practices_model import NAME as P_NAME, NETWORK, SIZE as P_SIZE
    w = open_window(qtbot, size)
    try:
        w.docks["practices"].raise_()
        view = w.practices_pane.view

        def whole() -> bool:
            shown = [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]
            last = max(shown, key=view.columnViewportPosition)
            return ({P_NAME, P_SIZE, NETWORK} <= set(shown)
                    and view.columnViewportPosition(last) + view.columnWidth(last) <= view.viewport().width())

        qtbot.waitUntil(whole, timeout=3000)
        assert elided(view) == []
    finally:
        w.document.stack.setClean()
        w.close()


def test_columns_that_gave_way_come_back_when_the_pane_is_widened(qtbot):
    from pcn_desktop.ui.models.networks_model import CODE, COUNT
    w = open_window(qtbot, QSize(1093, 614))              # 1366x768 at 125%
    try:
        view = w.networks_pane.view
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        assert view.isColumnHidden(COUNT)                     # too narrow for all six
        w.resizeDocks([w.docks["networks"]], [w.width() - 200], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: not view.isColumnHidden(COUNT) and not view.isColumnHidden(CODE), timeout=3000)
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        assert elided(view) == []
        w.resizeDocks([w.docks["networks"]], [300], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: view.isColumnHidden(COUNT) and view.isColumnHidden(CODE), timeout=3000)
    finally:
        w.document.stack.setClean()
        w.close()


@pytest.mark.parametrize("pane", ["findings", "practices", "networks"])
def test_no_column_is_elided_at_1366x768(qtbot, pane):
    w = open_window(qtbot, QSize(1366, 768))
    try:
        view = getattr(w, f"{pane}_pane").view
        assert view.model().rowCount() > 0
        assert elided(view) == []
    finally:
        w.document.stack.setClean()
        w.close()


def test_the_history_shows_each_change_whole_at_1366x768(qtbot):
    from pcn_desktop.domain.commands import MovePractice
    w = open_window(qtbot, QSize(1366, 768))
    try:
        north = w.document.project.find_network("U90001").id
        assert w.push(MovePractice("Y90016", north))
        w.history_pane.refresh(force=True)
        QApplication.processEvents()
        view = w.history_pane.table
        assert view.model().rowCount() >= 2
        assert view.wordWrap() is False
        assert elided(view) == []
    finally:
        w.document.stack.setClean()
        w.close()


def test_a_longer_name_after_an_edit_widens_its_column(qtbot):
    from pcn_desktop.domain.commands import SetNetworkField
    w = open_window(qtbot, QSize(1366, 768))
    try:
        nid = w.networks_model.id_at(0)
        w.push(SetNetworkField(nid, "name", "A Network Whose Name Is Much Longer Than Any Other PCN"))
        for pane in ("networks", "practices"):
            assert elided(getattr(w, f"{pane}_pane").view) == [], pane
    finally:
        w.document.stack.setClean()
        w.close()


def networks_whole(w: MainWindow) -> bool:
    view = w.networks_pane.view
    shown = [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]
    last = max(shown, key=view.columnViewportPosition)
    return ({NAME, SIZE, MARGIN, STATE} <= set(shown)
            and view.columnViewportPosition(last) + view.columnWidth(last) <= view.viewport().width())


@pytest.mark.parametrize("size", [QSize(1366, 768), QSize(1284, 706)], ids=["screen", "framed"])
def test_a_window_opened_in_presentation_mode_shows_every_networks_state(qtbot, size):
    """`pcn-desktop --presentation` on a 1366x768 projector (the window framed inside it, or
    the whole screen): the networks table is sized once the window is shown and the larger
    type has reached its columns."""
    with shown_window(qtbot, size, presentation=True) as w:
        # whole at once (a long name narrowed while the panes are sized), then whole with
        # every name in full once the larger type has sized them
        qtbot.waitUntil(lambda: networks_whole(w) and elided(w.networks_pane.view) == [], timeout=3000)
        # the map's column is as wide as its widest dock needs: the findings' tab-mate too
        for key in ("findings", "history"):
            assert w.docks[key].minimumSizeHint().width() <= size.width() * 0.45, key


@pytest.mark.parametrize("size", [QSize(1366, 768), QSize(1284, 706)], ids=["screen", "framed"])
def test_presentation_mode_shows_the_room_whole_findings(qtbot, size):
    """At the larger type a third of the height left the findings table one row, cut through
    its letters: the pane takes the height three whole rows need, the map still the most."""
    with shown_window(qtbot, size, presentation=True) as w:
        view = w.findings_pane.view
        row = view.verticalHeader().defaultSectionSize()
        assert row >= QFontMetrics(QApplication.font()).height()
        qtbot.wait(300)                     # the panes are sized once the window has shown
        assert view.viewport().height() >= 3 * row
        assert w.map_pane.height() >= w.height() * 0.45
        detail = w.findings_pane.detail
        assert detail.isVisible() and detail.height() >= detail.heightForWidth(detail.width())


def test_presentation_mode_hides_the_editing_panes_and_keeps_columns_whole(qtbot):
    w = open_window(qtbot, QSize(1366, 768))
    try:
        base = QApplication.font().pointSizeF()
        w.presentation_action.setChecked(True)
        QApplication.processEvents()
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
        for key in ("practices", "properties", "funding"):
            assert not w.docks[key].isVisible(), key
        assert not w.statusBar().isVisible()
        for key in ("networks", "findings"):
            assert w.docks[key].isVisible(), key
        assert elided(w.findings_pane.view) == []
        qtbot.waitUntil(lambda: elided(w.networks_pane.view) == [], timeout=3000)
        # every network's size, margin and state in view without scrolling sideways
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        # the layout grew with the type: row heights follow the font
        assert w.networks_pane.view.verticalHeader().defaultSectionSize() >= QFontMetrics(
            QApplication.font()).height()
        w.presentation_action.setChecked(False)
        QApplication.processEvents()
        assert QApplication.font().pointSizeF() == pytest.approx(base)
        for key in ("practices", "properties", "funding", "networks", "findings"):
            assert not w.docks[key].isHidden() or key == "funding", key
        assert w.statusBar().isVisible()
        assert elided(w.practices_pane.view) == []
    finally:
        w.document.stack.setClean()
        w.close()


def test_small_screens_get_the_compact_layout_and_big_ones_the_wide():
    assert layout.compact_for(QSize(1366, 728))
    assert layout.compact_for(QSize(1280, 680))          # 1920x1080 at 150%
    assert not layout.compact_for(QSize(1920, 1040))
    assert layout.initial_size(QSize(1093, 574)).width() <= 1093   # 125%: never off screen


def test_national_length_names_narrow_the_name_column_not_push_the_state_off(qtbot):
    """All England's network names (the longest 40 characters) in a 1366x768 laptop's pane:
    once the count and code have given way, the name column narrows by what is still missing,
    so the longest names end in "…" and every network's state stays in view; widened, the
    pane shows every name whole again. The practices' long names give way alike to the network."""
    from pcn_desktop.ui.models.practices_model import NAME as P_NAME, NETWORK
    from ui_synthetic import synthetic_project
    project = synthetic_project(networks=40, per_network=4, areas=False)
    for i, net in enumerate(project.networks.values()):
        net.name = f"{'Choc (Congleton and Holmes Chapel) ' if i % 3 == 0 else ''}Network {i:02d} PCN"
    for i, practice in enumerate(project.practices.values()):
        practice.name = f"The {'Very Long Named Health Centre And ' if i % 5 == 0 else ''}Surgery {i}"
    w = MainWindow(Document(project))
    qtbot.addWidget(w)
    w.set_compact(True)
    w.resize(QSize(1366, 768))
    w.show()
    qtbot.waitExposed(w)
    w.set_compact(True)
    try:
        view = w.networks_pane.view
        w.resizeDocks([w.docks["networks"]], [480], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        cut = elided(view)
        assert cut and all(item.startswith("Network:") for item in cut), cut      # only names
        assert view.columnWidth(NAME) < w.networks_pane.give_way.need(NAME)
        # an edit to a long name does not widen the narrowed column again, even for a frame
        from pcn_desktop.domain.commands import SetNetworkField
        narrowed = view.columnWidth(NAME)
        first = w.networks_model.id_at(0)
        assert w.push(SetNetworkField(first, "name", project.networks[first].name + " With A Longer Name"))
        assert view.columnWidth(NAME) == narrowed
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        narrowed = view.columnWidth(NAME)
        w.document.reload_all()                  # every row again: the table refitted
        assert view.columnWidth(NAME) == narrowed
        qtbot.waitUntil(lambda: networks_whole(w), timeout=3000)
        w.resizeDocks([w.docks["networks"]], [w.width() - 200], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: networks_whole(w) and elided(view) == [], timeout=3000)
        assert view.columnWidth(NAME) == w.networks_pane.give_way.need(NAME)
        w.docks["practices"].raise_()
        practices = w.practices_pane.view
        w.resizeDocks([w.docks["practices"]], [420], Qt.Orientation.Horizontal)

        def networks_in_view() -> bool:
            return (not practices.isColumnHidden(NETWORK) and not practices.isColumnHidden(P_NAME)
                    and practices.columnViewportPosition(NETWORK) + practices.columnWidth(NETWORK)
                    <= practices.viewport().width())
        qtbot.waitUntil(networks_in_view, timeout=3000)
    finally:
        w.document.stack.setClean()
        w.close()


def test_a_window_first_opened_in_presentation_mode_leaves_a_whole_layout(qtbot):
    """Opened with --presentation and no layout kept, the layout to go back to was the one
    before the window had any size: leaving the mode cut the networks' names, and closing
    kept that layout for every start after."""
    size = QSize(1284, 706)
    with shown_window(qtbot, size, presentation=True) as w:
        qtbot.wait(100)
        w.presentation_action.setChecked(False)       # F11 in the session
        QApplication.processEvents()
        qtbot.waitUntil(lambda: networks_whole(w) and elided(w.networks_pane.view) == [], timeout=3000)
        assert not w.networks_pane.view.isColumnHidden(0)
        w.presentation_action.setChecked(True)
        QApplication.processEvents()
    # closed in presentation mode: the layout kept is the one it would go back to
    with shown_window(qtbot, size) as again:
        qtbot.waitUntil(lambda: networks_whole(again) and elided(again.networks_pane.view) == [], timeout=3000)
        assert not again.docks["history"].isHidden()


def test_reset_layout_puts_every_pane_back(qtbot):
    w = open_window(qtbot, QSize(1366, 768))
    try:
        w.resizeDocks([w.docks["networks"]], [180], Qt.Orientation.Horizontal)
        w.docks["practices"].hide()
        w.docks["history"].hide()
        QApplication.processEvents()
        reset = next(a for a in w.menuBar().actions() if a.text() == "&View").menu()
        action = next(a for a in reset.actions() if a.text() == "&Reset layout")
        action.trigger()
        QApplication.processEvents()
        qtbot.waitUntil(lambda: networks_whole(w) and elided(w.networks_pane.view) == [], timeout=3000)
        assert not w.docks["practices"].isHidden()
        history = w.docks["history"]
        assert not history.isHidden() and history in w.tabifiedDockWidgets(w.docks["findings"])
        assert w.docks["findings"].isVisible()
    finally:
        w.document.stack.setClean()
        w.close()


def test_every_dialog_fits_the_screen_it_opens_on(qtbot):
    """The comparison (1180x820) and agreements (1100x800) dialogs ran off the bottom of a
    1366x768 laptop's screen. The test screen (offscreen: 800x800) is smaller still."""
    from pcn_desktop.ui.comparison_dialog import ComparisonDialog
    from pcn_desktop.ui.import_wizard import ImportWizard
    from pcn_desktop.ui.propose_dialog import show_propose
    with shown_window(qtbot, QSize(760, 700)) as w:
        room = w.screen().availableGeometry().size()
        w.show_agreements()
        dialogs = [w.agreements_dialog, ComparisonDialog(w), ImportWizard(w.document.project, w), show_propose(w)]
        for dialog in dialogs:
            assert dialog.width() <= room.width() and dialog.height() <= room.height(), (type(dialog).__name__, dialog.size())
        # the agreements' list of networks shows each name and code whole
        listed = w.agreements_dialog.networks
        QApplication.processEvents()
        fm = QFontMetrics(listed.font())
        cut = [listed.item(r).text() for r in range(listed.count())
               if fm.horizontalAdvance(listed.item(r).text()) + 8 > listed.viewport().width()]
        assert listed.count() == 8 and cut == []
        for dialog in dialogs:
            dialog.close()
