"""Properties of the selected network. Each edit becomes a command on the undo stack; the
form is refilled from the domain whenever its network is touched (undo included)."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from ..domain.commands import Command, SetDirector, SetNetworkField
from ..domain.model import ClinicalDirector
from ..domain.wording import plural
from ..geo.commands import MAX_EXPECTED_PARTS, SetExpectedParts
from ..geo.rules import expected_parts
from .document import Document

EXEMPTIONS = (("None", ""), ("Rural", "rural"), ("Sparse population", "sparse"),
              ("Natural community", "natural community"))
PROFESSIONAL_BODIES = ("", "GMC", "NMC", "GPhC", "HCPC")


class NotesEdit(QPlainTextEdit):
    editingFinished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class OptionalDate(QWidget):
    """A date that may be absent: a checkbox beside a date editor. Absent, the editor says
    so ("not signed") rather than showing today's date greyed out, which read, on screen and
    in a screenshot passed round, as an agreement signed today."""

    editingFinished = Signal()
    ABSENT = QDate(1900, 1, 1)        # the editor's least date, shown as the absent text

    def __init__(self, label: str, parent: QWidget | None = None, absent: str = "not recorded") -> None:
        super().__init__(parent)
        self.check = QCheckBox(self)      # the form row carries the label; keeps the pane narrow
        self.check.setAccessibleName(label)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setAccessibleName(f"{label} date")
        self.edit.setMinimumDate(self.ABSENT)
        self.edit.setSpecialValueText(absent)
        self.edit.setDate(self.ABSENT)
        self.check.toggled.connect(self._checked)
        self.check.clicked.connect(lambda _c: self.editingFinished.emit())
        self.edit.editingFinished.connect(self.editingFinished)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)

    def _checked(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and self.edit.date() == self.ABSENT:
            self.edit.setDate(QDate.currentDate())      # a date given now starts from today
        elif not on:
            self.edit.setDate(self.ABSENT)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.blockSignals(True)
        self.check.setChecked(value is not None)
        self.check.blockSignals(False)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(value) if value else self.ABSENT)


class PropertiesPane(QScrollArea):
    def __init__(self, push: Callable[[Command], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        self.document: Document | None = None
        self.network_id: str | None = None
        self._filling = False
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.setWidget(body)
        self.heading = QLabel("No network selected", body)
        self.heading.setAccessibleName("Selected network")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)

        self.name = self._line("Network name")
        self.code = self._line("Network ODS code")
        self.payee = QComboBox(body)
        self.payee.setAccessibleName("Nominated payee")
        self.exemption = QComboBox(body)
        self.exemption.setAccessibleName("Exemption")
        for label, value in EXEMPTIONS:
            self.exemption.addItem(label, value)
        self.reason = self._line("Exemption reason")
        self.signed = OptionalDate("Agreement signed", body, absent="not signed")
        self.notes = NotesEdit(body)
        self.notes.setAccessibleName("Notes")
        self.notes.setFixedHeight(70)
        self.parts = QSpinBox(body)
        self.parts.setAccessibleName("Allowed boundary parts")
        self.parts.setRange(1, MAX_EXPECTED_PARTS)
        self.parts.setKeyboardTracking(False)      # one undo step per value, not per keystroke
        self.parts.setToolTip(
            "How many separate pieces this network's boundary may have before the contiguity "
            "check reports it.\nLeave at 1 for a network that should be one piece; raise it for "
            "a network legitimately in several pieces, e.g. a rural network split by moorland, "
            "an estuary or islands.")
        network_form = QFormLayout()
        network_form.addRow("&Name", self.name)
        network_form.addRow("&Code", self.code)
        network_form.addRow("Nominated &payee", self.payee)
        network_form.addRow("&Exemption", self.exemption)
        network_form.addRow("Reason", self.reason)
        network_form.addRow("Agreement signed", self.signed)
        network_form.addRow("Notes", self.notes)
        network_form.addRow("Allowed p&arts", self.parts)

        self.cd_name = self._line("Clinical director name")
        self.cd_body = QComboBox(body)
        self.cd_body.setAccessibleName("Professional body")
        self.cd_body.addItems(PROFESSIONAL_BODIES)
        self.cd_body.setEditable(True)
        self.cd_number = self._line("Professional registration number")
        self.cd_practice = QComboBox(body)
        self.cd_practice.setAccessibleName("Clinical director's member practice")
        self.cd_wte = QDoubleSpinBox(body)
        self.cd_wte.setAccessibleName("Clinical director WTE")
        self.cd_wte.setRange(0.0, 2.0)
        self.cd_wte.setDecimals(3)
        self.cd_wte.setSingleStep(0.05)
        self.cd_start = OptionalDate("Clinical director started", body)
        director = QGroupBox("Clinical director", body)
        director_form = QFormLayout(director)
        director_form.addRow("Na&me", self.cd_name)
        director_form.addRow("Professional body", self.cd_body)
        director_form.addRow("Number", self.cd_number)
        director_form.addRow("Member practice", self.cd_practice)
        director_form.addRow("WTE", self.cd_wte)
        director_form.addRow("Start", self.cd_start)

        # member names are long: combos must not widen the pane to fit them
        for combo in (self.payee, self.exemption, self.cd_body, self.cd_practice):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addLayout(network_form)
        layout.addWidget(director)
        layout.addStretch(1)

        self.name.editingFinished.connect(lambda: self._set("name", self.name.text().strip()))
        self.code.editingFinished.connect(lambda: self._set("code", self.code.text().strip().upper()))
        self.payee.activated.connect(lambda _i: self._set("nominated_payee", self.payee.currentData() or ""))
        self.exemption.activated.connect(lambda _i: self._set("exemption", self.exemption.currentData()))
        self.reason.editingFinished.connect(lambda: self._set("exemption_reason", self.reason.text().strip()))
        self.signed.editingFinished.connect(lambda: self._set("agreement_signed", self.signed.value()))
        self.notes.editingFinished.connect(lambda: self._set("notes", self.notes.toPlainText()))
        self.parts.valueChanged.connect(self._set_parts)
        for w in (self.cd_name, self.cd_number):
            w.editingFinished.connect(self._set_director)
        self.cd_body.activated.connect(lambda _i: self._set_director())
        self.cd_practice.activated.connect(lambda _i: self._set_director())
        self.cd_wte.editingFinished.connect(self._set_director)
        self.cd_start.editingFinished.connect(self._set_director)
        self.setEnabled(False)

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        return edit

    # --- binding ---------------------------------------------------------------------------
    def set_document(self, document: Document) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self._on_changed)
        self.document = document
        document.changed.connect(self._on_changed)
        self.show_network(None)

    def _on_changed(self, touched: frozenset[str] | None) -> None:
        if touched is None or (self.network_id and self.network_id in touched):
            self.show_network(self.network_id)

    def show_network(self, network_id: str | None) -> None:
        project = self.document.project if self.document else None
        if project is None or network_id not in project.networks:
            self.network_id = None
            self.heading.setText("No network selected")
            self.setEnabled(False)
            return
        self.network_id = network_id
        net = project.networks[network_id]
        self._filling = True
        try:
            self.setEnabled(True)
            self.heading.setText(f"{net.name} — {plural(self.document.network_size(net.id), 'patient')}, "
                                 f"{plural(len(project.members(net.id)), 'practice')}")
            self.name.setText(net.name)
            self.code.setText(net.code)
            members = sorted(project.members(net.id))
            for combo, current in ((self.payee, net.nominated_payee),
                                   (self.cd_practice, net.director.practice_code if net.director else "")):
                combo.clear()
                combo.addItem("(none)", "")
                for code in members:
                    combo.addItem(f"{code} {project.practices[code].name}", code)
                if current and current not in members:   # keep a stale choice visible, flagged by the rules
                    combo.addItem(f"{current} (not a member)", current)
                combo.setCurrentIndex(max(0, combo.findData(current)))
            self.exemption.setCurrentIndex(max(0, self.exemption.findData(net.exemption)))
            self.reason.setText(net.exemption_reason)
            self.signed.set_value(net.agreement_signed)
            if self.notes.toPlainText() != net.notes:
                self.notes.setPlainText(net.notes)
            self.parts.setValue(expected_parts(project, net.id))
            d = net.director or ClinicalDirector("")
            self.cd_name.setText(d.name)
            self.cd_body.setCurrentText(d.professional_body)
            self.cd_number.setText(d.registration_number)
            self.cd_wte.setValue(d.wte)
            self.cd_start.set_value(d.start)
        finally:
            self._filling = False

    # --- edits -----------------------------------------------------------------------------
    def _set(self, field: str, value: Any) -> None:
        if self._filling or self.network_id is None:
            return
        net = self.document.project.networks[self.network_id]
        if getattr(net, field) == value or (field == "name" and not value):
            if field == "name" and not value:
                self.name.setText(net.name)    # a network keeps a name
            return
        self.push(SetNetworkField(self.network_id, field, value))

    def _set_parts(self, value: int) -> None:
        if self._filling or self.network_id is None:
            return
        if value != expected_parts(self.document.project, self.network_id):
            self.push(SetExpectedParts(self.network_id, value))

    def _set_director(self) -> None:
        if self._filling or self.network_id is None:
            return
        net = self.document.project.networks[self.network_id]
        name = self.cd_name.text().strip()
        new = ClinicalDirector(name, practice_code=self.cd_practice.currentData() or "",
                               professional_body=self.cd_body.currentText().strip(),
                               registration_number=self.cd_number.text().strip(),
                               wte=round(self.cd_wte.value(), 3), start=self.cd_start.value()) if name else None
        if new != net.director:
            self.push(SetDirector(self.network_id, new))
