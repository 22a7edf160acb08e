"""The tables at all England's size: a reload sorts nothing the source model already keeps in
order, columns are fitted from each model's own text, and what the views show is unchanged."""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import random

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QFontMetrics

from pcn_desktop.domain.commands import MovePractice
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.models.findings_model import SEVERITY, FindingsModel
from pcn_desktop.ui.models.findings_model import SORT_ROLE as FINDING_SORT
from pcn_desktop.ui.models.networks_model import NetworksModel
from pcn_desktop.ui.models.practices_model import CODE, NAME, PracticesModel
from pcn_desktop.ui.models.practices_model import SORT_ROLE as PRACTICE_SORT
from pcn_desktop.ui.panes.fit import widest
from pcn_desktop.ui.panes.table import SortProxy
from ui_synthetic import synthetic_project

pytestmark = pytest.mark.usefixtures("qapp")


class Counted(PracticesModel):
    """The practices model, counting the sort values asked of it (one pair per comparison)."""

    def __init__(self, document: Document) -> None:
        self.sort_asks = 0
        super().__init__(document)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201
        if role == PRACTICE_SORT:
            self.sort_asks += 1
        return super().data(index, role)


def proxy_rows(proxy, column: int) -> list:
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_reloading_practices_in_code_order_asks_for_no_sort_value() -> None:
    document = Document(synthetic_project(networks=400, per_network=4))   # 1,600 practices
    model = Counted(document)
    proxy = SortProxy(PRACTICE_SORT)
    proxy.setSourceModel(model)
    proxy.sort(CODE, Qt.SortOrder.AscendingOrder)
    model.sort_asks = 0
    model.reload()
    assert model.sort_asks == 0                 # sorting 1,600 by comparison asks thousands
    codes = proxy_rows(proxy, CODE)
    assert codes == sorted(codes) and len(codes) == 1_600
    proxy.sort(NAME, Qt.SortOrder.AscendingOrder)    # any other sort is the proxy's, as before
    assert model.sort_asks > 0
    names = proxy_rows(proxy, NAME)
    assert names == sorted(names) and names != [proxy.sourceModel().display_text(r, NAME) for r in range(1_600)]
    proxy.sort(CODE, Qt.SortOrder.DescendingOrder)
    assert proxy_rows(proxy, CODE) == sorted(codes, reverse=True)
    proxy.sort(CODE, Qt.SortOrder.AscendingOrder)
    assert proxy_rows(proxy, CODE) == codes


def sorted_views(make, role: int, column: int, networks: int, per_network: int):  # noqa: ANN001, ANN201
    """A synthetic project's document, its ``make`` model, the views' proxy over it sorted by
    ``column``, and beside it a plain proxy that sorts it by comparisons, as the views did."""
    document = Document(synthetic_project(networks=networks, per_network=per_network))
    model = make(document)
    ours = SortProxy(role)
    ours.setSourceModel(model)
    ours.sort(column, Qt.SortOrder.AscendingOrder)
    plain = QSortFilterProxyModel()
    plain.setSortRole(role)
    plain.setDynamicSortFilter(True)
    plain.setSourceModel(model)
    plain.sort(column, Qt.SortOrder.AscendingOrder)
    return document.project, document, model, ours, plain


def test_findings_stay_in_severity_order_through_edits() -> None:
    project, document, model, ours, plain = sorted_views(FindingsModel, FINDING_SORT, SEVERITY, 12, 4)
    rnd = random.Random(7)
    codes, networks = sorted(project.practices), sorted(project.networks)
    for _ in range(60):
        document.push(MovePractice(rnd.choice(codes), rnd.choice(networks + [None])))
        ranks = [model.finding_at(r).severity.rank for r in range(model.rowCount())]
        assert ranks == sorted(ranks)
        assert proxy_rows(ours, SEVERITY) == proxy_rows(plain, SEVERITY)
        assert sorted(map(str, (model.finding_at(r) for r in range(model.rowCount())))) == \
            sorted(map(str, document.current_findings))


@pytest.mark.parametrize("make", [PracticesModel, NetworksModel, FindingsModel])
def test_display_text_is_what_the_view_shows(make) -> None:
    project = synthetic_project(networks=5, per_network=3)
    project.networks["N1"].exemption = "rural"
    model = make(Document(project))
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            assert model.display_text(row, column) == model.data(model.index(row, column))


@pytest.mark.parametrize("family, size, bold", [("", 0, False), ("DejaVu Serif", 14, True), ("Monospace", 9, False)])
def test_widest_finds_the_widest_text(family, size, bold) -> None:
    font = QFont(family) if family else QFont()
    if size:
        font.setPointSize(size)
    font.setBold(bold)
    fm = QFontMetrics(font)
    rnd = random.Random(3)
    for alphabet in ("iIl.WMmw@ Ã—✖⚠ab", "AVAWTyfifl1Lj ", "0123456789,"):
        for _ in range(20):
            texts = {"".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(200)}
            found = widest(texts, fm)
            assert fm.horizontalAdvance(found) == max(fm.horizontalAdvance(t) for t in texts)
    pair = {"W" * 10, "i" * 14}                  # in a proportional font, fewer letters and wider
    assert fm.horizontalAdvance(widest(pair, fm)) == max(map(fm.horizontalAdvance, pair))
    assert widest(["\u2716 3 errors", "OK"], fm) == "\u2716 3 errors"


def test_networks_stay_in_name_order_through_creates_renames_and_dissolves() -> None:
    from pcn_desktop.domain.commands import CreateNetwork, DissolveNetwork, SetNetworkField
    from pcn_desktop.ui.models.networks_model import NAME as NETWORK_NAME
    from pcn_desktop.ui.models.networks_model import SORT_ROLE as NETWORK_SORT
    project, document, model, ours, plain = sorted_views(NetworksModel, NETWORK_SORT, NETWORK_NAME, 12, 3)
    rnd = random.Random(11)
    words = ["Abbey", "zeta", "Moor", "moor", "Central", "East", "A1", "Ýnys", "Bay"]
    for turn in range(80):
        nets = sorted(project.networks)
        r = rnd.random()
        if r < 0.3:
            document.push(CreateNetwork(f"{rnd.choice(words)} {turn} PCN"))
        elif r < 0.7 and nets:
            document.push(SetNetworkField(rnd.choice(nets), "name", f"{rnd.choice(words)} {turn}"))
        elif r < 0.85 and len(nets) > 2:
            document.push(DissolveNetwork(rnd.choice(nets)))
        else:
            document.stack.undo()
        keys = [(project.networks[model.id_at(i)].name.lower(), project.networks[model.id_at(i)].code)
                for i in range(model.rowCount())]
        assert keys == sorted(keys) and model.rowCount() == len(project.networks)
        assert proxy_rows(ours, NETWORK_NAME) == proxy_rows(plain, NETWORK_NAME)
        assert all(model.row_of(model.id_at(i)) == i for i in range(model.rowCount()))


def shown_codes(pane) -> set[str]:
    return {pane.model.code_at(pane.proxy.mapToSource(pane.proxy.index(r, 0)).row())
            for r in range(pane.proxy.rowCount())}


def test_the_practices_filter_matches_any_cell_and_follows_edits() -> None:
    from pcn_desktop.domain.commands import MovePractice, SetNetworkField
    from pcn_desktop.ui.panes.practices_pane import PracticesPane
    project = synthetic_project(networks=4, per_network=3)
    document = Document(project)
    pane = PracticesPane(PracticesModel(document))
    for text, expected in (("p00004", {"P00004"}), ("PRACTICE 11 SURG", {"P00011"}),
                           ("network 0002", {"P00006", "P00007", "P00008"}), ("8,500", {"P00001", "P00004", "P00007", "P00010"}),
                           ("active", set(project.practices)), ("nowhere", set()), ("", set(project.practices))):
        pane.filter.setText(text)
        assert shown_codes(pane) == expected, text
    pane.filter.setText("renamed")
    document.push(SetNetworkField("N1", "name", "Renamed PCN"))      # the rows' network text changed
    assert shown_codes(pane) == {"P00003", "P00004", "P00005"}
    document.push(MovePractice("P00000", "N1"))
    assert shown_codes(pane) == {"P00000", "P00003", "P00004", "P00005"}
    document.stack.undo()
    assert shown_codes(pane) == {"P00003", "P00004", "P00005"}


def test_the_findings_filter_and_severity_together() -> None:
    from pcn_desktop.domain.commands import MovePractice
    from pcn_desktop.ui.panes.findings_pane import FindingsPane
    project = synthetic_project(networks=4, per_network=3)
    document = Document(project)
    pane = FindingsPane(FindingsModel(document))

    def shown() -> list[str]:
        return sorted(pane.proxy.index(r, 1).data() for r in range(pane.proxy.rowCount()))
    pane.filter.setText("NETWORK 0001")
    want = sorted(f.message for f in document.current_findings if "network 0001" in
                  "\n".join((f.severity.value, f.message, f.network, f.practice, f.rule)).casefold())
    assert shown() == want and want
    pane.severity.setCurrentIndex(pane.severity.findData("warning"))
    assert shown() == sorted(f.message for f in document.current_findings
                             if f.severity.value == "warning" and f.message in want)
    document.push(MovePractice("P00003", None))          # new findings come in: the filter holds
    assert all(f.severity.value == "warning" for r in range(pane.proxy.rowCount())
               for f in [pane.model.finding_at(pane.proxy.mapToSource(pane.proxy.index(r, 0)).row())])
    pane.severity.setCurrentIndex(0)
    assert "Practice 3 Surgery (P00003) is in no network" not in shown()
    pane.filter.setText("P00003")
    assert any("P00003" in m and "no network" in m for m in shown())
