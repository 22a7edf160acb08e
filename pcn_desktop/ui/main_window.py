"""The workbench window: panes in docks around the map, menus, undo/redo, selection kept in step."""
from __future__ import annotations

import gc

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox, QScrollArea, QWidget

from ..domain.commands import Command, MovePractice
from ..domain.findings import Finding
from ..domain.wording import plural
from .about import show_about
from .autosave import Autosaver
from .boundary_actions import build_boundaries, import_boundaries
from .document import Document
from .file_actions import FileActions
from .funding_pane import FundingPane
from .map_pane import MapPane
from .models.findings_model import FindingsModel
from .models.networks_model import NetworksModel
from .models.practices_model import PracticesModel
from .network_actions import NetworkActions
from .panes.findings_pane import FindingsPane
from .panes.networks_pane import NetworksPane
from .panes.practices_pane import PracticesPane
from . import layout, map_size
from .presentation import presentation_sizes, set_presentation
from .properties_pane import PropertiesPane
from .scenario_actions import ScenarioActions
from .settings import app_settings
from .team import attach_team, show_document

LAYOUT_VERSION = 1


class MainWindow(QMainWindow):
    def __init__(self, document: Document, presentation: bool = False) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setAccessibleName("PCN Desktop")
        self.document = document
        self.practices_model = PracticesModel()
        self.networks_model = NetworksModel()
        self.findings_model = FindingsModel()
        self.networks_model.practicesDropped.connect(self.move_practices)

        self.map_pane = MapPane(self)
        self.setCentralWidget(self.map_pane)
        # the map first: Chromium loads its page while the rest of the window is built
        self.map_pane.set_document(document)
        self.practices_pane = PracticesPane(self.practices_model, self)
        self.networks_pane = NetworksPane(self.networks_model, self)
        self.findings_pane = FindingsPane(self.findings_model, self)
        self.properties_pane = PropertiesPane(self.push, self)
        self.docks: dict[str, QDockWidget] = {}
        self._dock("practices", "Practices", self.practices_pane, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("networks", "Networks", self.networks_pane, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("properties", "Network properties", self.properties_pane, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("findings", "Findings", self.findings_pane, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.funding_pane = FundingPane(push_command=self.push, parent=self)
        self._funding_stale = True
        # scrolled, so the pane's wide tables do not force the right-hand docks wider
        funding_scroll = QScrollArea(self)
        funding_scroll.setWidgetResizable(True)
        funding_scroll.setWidget(self.funding_pane)
        funding_scroll.setAccessibleName("Funding pane")
        funding = self._dock("funding", "Funding", funding_scroll, Qt.DockWidgetArea.RightDockWidgetArea)
        self.compact = layout.compact_screen(self)
        layout.arrange(self, self.compact)
        funding.visibilityChanged.connect(lambda visible: visible and self._refresh_funding())
        self.agreements_dialog = None         # made on first use (see show_agreements)

        self.files = FileActions(self)
        self.network_actions = NetworkActions(self)
        self.practices_pane.add_actions(self.network_actions.practice_actions)
        self.networks_pane.add_actions(self.network_actions.network_actions)
        self.practices_pane.practiceSelected.connect(self.select_practice)
        self.networks_pane.networkSelected.connect(self.select_network)
        self.findings_pane.findingActivated.connect(self.go_to_finding)
        self.map_pane.bridge.practiceSelected.connect(self.select_practice)
        self.map_pane.bridge.networkSelected.connect(self._network_clicked_on_map)
        # the next start makes its map at this size before its window shows (web_warmup)
        self.map_pane.drawn.connect(self._remember_map_size, Qt.ConnectionType.SingleShotConnection)

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Project summary")
        self.statusBar().addPermanentWidget(self.summary)
        # one group, one pair of actions, whichever document is open
        self.undo_group = QUndoGroup(self)
        self.presentation_state: QByteArray | None = None    # the layout to go back to
        self.presentation_action = QAction("&Presentation mode", self, checkable=True)
        self.presentation_action.setShortcut(QKeySequence("F11"))
        self.presentation_action.toggled.connect(self.set_presentation)
        self.autosaver = Autosaver(lambda: self.document, parent=self)
        self.scenario_actions = ScenarioActions(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.scenario_actions.toolbar)
        attach_team(self)
        self.set_document(document)
        self._build_menus()
        self._initial_size()
        self._sized = self._restore_layout()
        self._presentation_sized = False
        if presentation:
            self.presentation_action.setChecked(True)

    # --- layout ------------------------------------------------------------------------------
    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{key}")          # saveState needs stable names
        dock.setAccessibleName(f"{title} pane")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _initial_size(self) -> None:
        """Most of the screen on first run (a laptop or a projector), never more than it has."""
        self.resize(layout.initial_size(layout.screen_size(self)))

    def _default_sizes(self) -> None:
        layout.default_sizes(self, self.compact)

    def set_compact(self, compact: bool) -> None:
        """Lay the panes out for a small (or a wide) screen, at their default sizes."""
        self.compact = compact
        layout.arrange(self, compact)
        self._default_sizes()

    def reset_layout(self) -> None:
        """Every pane back in its place at the default sizes for this screen (leaving
        presentation mode first): the way back from a layout dragged out of shape."""
        if self.presentation_state is not None:
            self.presentation_action.setChecked(False)
        self.set_compact(layout.compact_screen(self))

    def showEvent(self, event) -> None:  # noqa: ANN001 — QShowEvent
        super().showEvent(event)
        if not self._sized:               # first run: dock sizes need the shown window's size
            self._sized = True
            self._default_sizes()
        if self.presentation_state is not None and not self._presentation_sized:
            self._presentation_sized = True
            presentation_sizes(self)

    @property
    def layout_known(self) -> bool:
        """Whether the panes have sizes yet: a layout kept from last time, or the defaults
        the first show gives them."""
        return self._sized

    def _restore_layout(self) -> bool:
        settings = app_settings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        # a layout saved for the other kind of screen (a laptop's on a projector) is not used
        if settings.value("window/layout") != self._layout_name():
            return False
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        return isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION)

    def _layout_name(self) -> str:
        # per screen size in logical pixels: a layout kept at 100% does not fit the same
        # laptop at 150%, nor a projector's screen
        available = layout.screen_size(self)
        where = f"-{available.width()}x{available.height()}" if available is not None else ""
        return ("compact" if self.compact else "wide") + where

    def _remember_map_size(self) -> None:
        if self.presentation_state is None:          # see map_size
            map_size.remember(self.map_pane.view.size(), layout.screen_size(self))

    def save_layout(self) -> None:
        if self.map_pane.is_drawn:
            self._remember_map_size()
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        # in presentation mode, the layout it will go back to is the one kept
        if self.presentation_state is not None:
            self.set_presentation(False)
        settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        settings.setValue("window/layout", self._layout_name())
        settings.sync()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.files.new, self.files.open, self.files.open_database])
        file_menu.addMenu(self.files.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.files.save, self.files.save_as])
        file_menu.addSeparator()
        self.import_export_menu(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.files.quit)

        edit = bar.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions(self.network_actions.practice_actions)

        networks = bar.addMenu("&Networks")
        networks.addActions(self.network_actions.network_actions)
        networks.addSeparator()
        boundaries = networks.addAction("Build &boundaries from registrations")
        boundaries.triggered.connect(lambda: build_boundaries(self))
        imported = networks.addAction("&Import boundaries…")
        imported.setStatusTip("Give the networks boundaries from a GeoJSON, GeoPackage or shapefile "
                              "of PCN polygons, matched by code or name")
        imported.triggered.connect(lambda: import_boundaries(self))
        agreements = networks.addAction("&Agreements (preview, print, export)…")
        agreements.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        agreements.triggered.connect(self.show_agreements)
        propose = networks.addAction("&Propose…")
        propose.triggered.connect(self.show_propose)
        funding = networks.addAction("&Funding")
        funding.triggered.connect(lambda: (self.docks["funding"].show(), self.docks["funding"].raise_()))

        view = bar.addMenu("&View")
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        reset = view.addAction("&Reset layout")
        reset.setStatusTip("Put every pane back where it starts, at the sizes that suit this screen")
        reset.triggered.connect(self.reset_layout)
        view.addAction(self.presentation_action)
        redraw = view.addAction("Redraw &map")
        redraw.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        redraw.triggered.connect(self.map_pane.render)

        scenarios = bar.addMenu("&Scenarios")
        scenarios.aboutToShow.connect(lambda: self.scenario_actions.fill_menu(scenarios))
        self.scenario_actions.fill_menu(scenarios)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction("&About PCN Desktop", lambda: show_about(self))

    def import_export_menu(self, menu: QMenu) -> None:
        """Import and export entries (filled by the import/export module)."""
        from .import_export import add_import_export_actions   # noqa: PLC0415 — avoids a cycle
        add_import_export_actions(self, menu)

    # --- the document ------------------------------------------------------------------------
    def set_document(self, document: Document) -> None:
        old = self.document
        self.document = document
        for model in (self.practices_model, self.networks_model, self.findings_model):
            model.set_document(document)
        self.properties_pane.set_document(document)
        if self.map_pane.document is not document:
            self.map_pane.set_document(document)
        document.changed.connect(self._update_summary)
        document.changed.connect(self._funding_changed)
        self.funding_pane.project = None      # set lazily: the pane draws only when shown
        self._funding_stale = True
        if self.docks["funding"].isVisible() and not self.docks["funding"].visibleRegion().isEmpty():
            self._refresh_funding()
        document.dirtyChanged.connect(self.setWindowModified)
        document.pathChanged.connect(self._update_title)
        document.scenariosChanged.connect(self._scenarios_changed)
        self.scenario_actions.refresh()
        self.undo_group.addStack(document.stack)
        self.undo_group.setActiveStack(document.stack)
        if old is not document:
            self.undo_group.removeStack(old.stack)
            old.release_lock()
            old.deleteLater()
        show_document(self, document)
        self.setWindowModified(document.dirty)
        self._update_title()
        self._update_summary(None)
        # The project's objects live as long as it is open: freezing them keeps the garbage
        # collector's full passes (hundreds of ms with England loaded) off the edit path.
        gc.collect()
        gc.freeze()
        # open on the first network, so the properties pane shows something useful
        first = self.networks_pane.proxy.index(0, 0)
        if first.isValid():
            self.select_network(self.networks_model.id_at(self.networks_pane.proxy.mapToSource(first).row()))

    # --- funding and agreements (their own modules; the window docks and opens them) ----------
    def _funding_visible(self) -> bool:
        dock = self.docks["funding"]
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def _funding_changed(self, touched: frozenset[str] | None) -> None:
        # the funding tables are costly to redraw: only when the pane can be seen
        self._funding_stale = True
        if self._funding_visible():
            self._refresh_funding()

    def _refresh_funding(self) -> None:
        if not self._funding_stale:
            return
        self._funding_stale = False
        if self.funding_pane.project is not self.document.project:
            self.funding_pane.set_project(self.document.project)
        else:
            self.funding_pane.refresh()
        selected = self.networks_pane.current_network()
        if selected:
            self.funding_pane.show_network(selected)

    def show_agreements(self) -> None:
        # imported here, not at the top: it pulls in reportlab and the PDF stack, which the
        # window does not need to open (about 0.13 s of every cold start)
        from .agreements_dialog import AgreementsDialog   # noqa: PLC0415
        if self.agreements_dialog is None:
            self.agreements_dialog = AgreementsDialog(self)
        self.agreements_dialog.set_project(self.document.project)
        selected = self.networks_pane.current_network()
        if selected:
            self.agreements_dialog.select_network(selected)
        self.agreements_dialog.show()
        self.agreements_dialog.raise_()

    def show_propose(self) -> None:
        from .propose_dialog import show_propose   # noqa: PLC0415 — the solver loads on first use
        show_propose(self)

    def _update_title(self) -> None:
        scenario = self.document.project.active_scenario
        self.setWindowTitle(f"{self.document.title}[*] — scenario {scenario} — PCN Desktop")

    def _scenarios_changed(self) -> None:
        self.scenario_actions.refresh()
        self._update_title()

    def _update_summary(self, _touched: object) -> None:
        project = self.document.project
        errors = sum(1 for f in self.document.current_findings if f.severity.value == "error")
        # the coverage rule already counted them; asking the project again costs a full scan
        unassigned = sum(1 for f in self.document.current_findings if f.rule == "practice-unassigned")
        at = self.document.list_date
        counted = f" · lists counted at {at.isoformat()}" if at else " · no list counts"
        self.summary.setText(f"Scenario {project.active_scenario} · "
                             f"{plural(len(project.practices), 'practice')} · {plural(len(project.networks), 'network')} · "
                             f"{unassigned:,} unassigned · {plural(errors, 'error')}{counted}")

    # --- edits -------------------------------------------------------------------------------
    def push(self, command: Command) -> bool:
        try:
            self.document.push(command)
        except (KeyError, ValueError) as exc:
            QMessageBox.warning(self, "Edit refused", str(exc).strip("'\""))
            return False
        return True

    def move_practices(self, codes: list[str], network_id: str | None) -> None:
        project = self.document.project
        commands: list[Command] = [MovePractice(c, network_id) for c in codes
                                   if c in project.practices and project.networks_of(c) != ([network_id] if network_id else [])]
        if not commands:
            return
        target = project.networks[network_id].name if network_id else "no network"
        label = f"Move {len(commands)} practices to {target}" if len(commands) > 1 else None
        try:
            self.document.push_many(commands, label or commands[0].label)
        except (KeyError, ValueError) as exc:
            QMessageBox.warning(self, "Move refused", str(exc).strip("'\""))

    # --- selection kept in step --------------------------------------------------------------
    def select_practice(self, code: str) -> None:
        self.practices_pane.select_practice(code)
        net = self.document.project.network_of(code)
        if net is not None:
            self.networks_pane.select_network(net.id)
            self.properties_pane.show_network(net.id)
        self.map_pane.highlight("practice", code)

    def select_network(self, network_id: str) -> None:
        self.networks_pane.select_network(network_id)
        self.properties_pane.show_network(network_id)
        if self._funding_visible() and self.funding_pane.project is self.document.project:
            self.funding_pane.show_network(network_id)
        net = self.document.project.networks.get(network_id)
        if net is not None:
            self.map_pane.highlight("network", net.key)

    def _network_clicked_on_map(self, key: str) -> None:
        net = self.document.project.find_network(key)
        if net is not None:
            self.select_network(net.id)

    def go_to_finding(self, finding: Finding) -> None:
        if finding.practice and finding.practice in self.document.project.practices:
            self.select_practice(finding.practice)
            self.docks["practices"].raise_()
        if finding.network_id and finding.network_id in self.document.project.networks:
            self.select_network(finding.network_id)

    # --- view --------------------------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        set_presentation(self, on)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.autosaver.discard()
        self.document.release_lock()
        event.accept()
