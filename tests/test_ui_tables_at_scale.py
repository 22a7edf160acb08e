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


def test_findings_stay_in_severity_order_through_edits() -> None:
    project = synthetic_project(networks=12, per_network=4)
    document = Document(project)
    model = FindingsModel(document)
    ours = SortProxy(FINDING_SORT)
    ours.setSourceModel(model)
    ours.sort(SEVERITY, Qt.SortOrder.AscendingOrder)
    plain = QSortFilterProxyModel()                  # what the view showed before: sorted by comparisons
    plain.setSortRole(FINDING_SORT)
    plain.setDynamicSortFilter(True)
    plain.setSourceModel(model)
    plain.sort(SEVERITY, Qt.SortOrder.AscendingOrder)
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
    project = synthetic_project(networks=12, per_network=3)
    document = Document(project)
    model = NetworksModel(document)
    ours = SortProxy(NETWORK_SORT)
    ours.setSourceModel(model)
    ours.sort(NETWORK_NAME, Qt.SortOrder.AscendingOrder)
    plain = QSortFilterProxyModel()                  # sorted by comparisons, as before
    plain.setSortRole(NETWORK_SORT)
    plain.setDynamicSortFilter(True)
    plain.setSourceModel(model)
    plain.sort(NETWORK_NAME, Qt.SortOrder.AscendingOrder)
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
