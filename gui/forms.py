"""Edit forms for every entity, validating as the user types.

Each form is built from a short field list per table. Every keystroke runs the same converter the db layer uses
(``caseboard.db.fields.clean``) on that one field, so the form and the case file can never disagree about what is
valid; the message appears under the field and OK stays disabled until every field is valid.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import citations, labels, schema
from caseboard.db import fields as dbfields
from caseboard.db.case import Case
from caseboard.db.dates import PartialDate
from caseboard.db.errors import ValidationError
from caseboard.db.sources import CREDIBILITY, RELIABILITY


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "line"  # line | text | choice | date | ref | aliases
    choices: tuple = ()
    ref_table: str = ""
    placeholder: str = ""
    allow_new: bool = False  # a ref field may name a new actor to create


FORMS: dict[str, list[Field]] = {
    "actors": [
        Field("name", "Name"),
        Field("kind", "Kind", "choice", schema.ACTOR_KINDS),
        Field("aliases", "Aliases", "aliases", placeholder="separate with ;"),
        Field("description", "Description", "text"),
        Field("country", "Country"),
        Field("flag", "Flag (vessels)"),
        Field("imo", "IMO number (vessels)", placeholder="7 digits, e.g. 9074729"),
    ],
    "places": [
        Field("name", "Name"),
        Field("kind", "Kind", "choice", schema.PLACE_KINDS),
        Field("aliases", "Aliases", "aliases", placeholder="separate with ;"),
        Field("country", "Country"),
        Field("lat", "Latitude", placeholder="-90 to 90, e.g. 42.256 or 33.9 S"),
        Field("lon", "Longitude", placeholder="-180 to 180, e.g. 130.283 or 18.4 W"),
        Field("precision", "Precision", "choice", schema.PLACE_PRECISIONS),
        Field("notes", "Notes", "text"),
    ],
    "sources": [
        Field("label", "Label", placeholder="short tag, e.g. S4"),
        Field("title", "Title"),
        Field("kind", "Kind", placeholder="news report, briefing, court filing…"),
        Field("outlet", "Outlet"),
        Field("author", "Author"),
        Field("url", "Web address", placeholder="https://…"),
        Field("accessed", "Accessed on", "date"),
        Field("archive_url", "Archived copy", placeholder="https://web.archive.org/…"),
        Field("published", "Published", "date"),
        Field("reliability", "Reliability", "choice", schema.RELIABILITY_GRADES),
        Field("via_id", "Known through", "ref", ref_table="sources"),
        Field("notes", "Notes", "text"),
        Field("text", "Full text (kept for quoting)", "text"),
    ],
    "shipments": [
        Field("title", "Title"),
        Field("cargo", "Cargo"),
        Field("quantity_qualifier", "Qualifier", placeholder="about, more than, at least…"),
        Field("quantity", "Quantity"),
        Field("unit", "Unit", placeholder="containers, rounds, tonnes…"),
        Field("shipper_id", "Shipper", "ref", ref_table="actors"),
        Field("receiver_id", "Receiver", "ref", ref_table="actors"),
        Field("status", "Status", "choice", schema.SHIPMENT_STATUSES),
        Field("date", "Date", "date"),
        Field("notes", "Notes", "text"),
    ],
    "legs": [
        Field("shipment_id", "Shipment", "ref", ref_table="shipments"),
        Field("from_place_id", "From", "ref", ref_table="places"),
        Field("to_place_id", "To", "ref", ref_table="places"),
        Field("mode", "Mode", "choice", schema.LEG_MODES),
        Field("carrier_id", "Carrier", "ref", ref_table="actors"),
        Field("depart", "Departs", "date"),
        Field("arrive", "Arrives", "date"),
        Field("notes", "Notes", "text"),
    ],
    "events": [
        Field("title", "Title"),
        Field("date", "Date", "date"),
        Field("place_id", "Place", "ref", ref_table="places"),
        Field("shipment_id", "Shipment", "ref", ref_table="shipments"),
        Field("description", "Description", "text"),
    ],
    "statements": [
        Field("speaker_id", "Speaker", "ref", ref_table="actors", allow_new=True),
        Field("kind", "Kind", "choice", schema.STATEMENT_KINDS),
        Field("text", "Exact words (quote) or paraphrase", "text"),
        Field("said", "Said on", "date"),
        Field("source_id", "Said in (source)", "ref", ref_table="sources"),
        Field("notes", "Notes", "text"),
    ],
    "relationships": [
        Field("from_actor_id", "From", "ref", ref_table="actors"),
        Field("kind", "Is", "choice", schema.RELATIONSHIP_KINDS),
        Field("label", "Label (for other)", placeholder="what the tie is, e.g. leader of"),
        Field("to_actor_id", "Of / to", "ref", ref_table="actors"),
        Field("role", "Role", placeholder="registered owner, spokesman, chairman…"),
        Field("since", "Since", "date"),
        Field("until", "Until", "date"),
        Field("notes", "Notes", "text"),
    ],
    "citations": [
        Field("source_id", "Source", "ref", ref_table="sources"),
        Field("credibility", "Credibility", "choice", schema.CREDIBILITY_GRADES),
        Field("locator", "Where in the source", placeholder="page, paragraph, timestamp"),
        Field("notes", "Notes", "text"),
    ],
}

#: The Source section under every fact's form: the citation made with the fact (or added to it on edit).
CITE_FIELDS = [
    Field("cite_source_id", "Source", "ref", ref_table="sources"),
    Field("cite_credibility", "Credibility", "choice", schema.CREDIBILITY_GRADES),
    Field("cite_locator", "Where in the source", placeholder="page, paragraph, first and last words…"),
]

NONE_LABEL = "— none —"


class RefPicker(QComboBox):
    """Chooses a row of another table by searching it: typing narrows the list (up to ``labels.PICKER_LIMIT``
    matches at a time), so the 5,001st actor is as reachable as the first. The chosen id is ``currentData()``."""

    def __init__(self, case: Case, table: str, *, allow_new: bool = False, optional: bool = True) -> None:
        super().__init__()
        self.case, self.table, self.allow_new = case, table, allow_new
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._optional = optional
        self._filling = False
        self._search = QTimer(self)
        self._search.setSingleShot(True)
        self._search.setInterval(200)
        self._search.timeout.connect(self._narrow)
        self.lineEdit().textEdited.connect(lambda _t: self._search.start())
        self.currentIndexChanged.connect(self._blank_for_none)
        self._fill("")
        self._blank_for_none(self.currentIndex())

    def _blank_for_none(self, index: int) -> None:
        """With "— none —" chosen the line is empty, so typing starts a search (and the placeholder shows)."""
        if self._optional and index == 0 and not self._filling:
            self.lineEdit().clear()

    def _fill(self, text: str) -> None:
        """List the matches for ``text``, keeping the chosen row (if any) and the typed text."""
        keep = self.currentData()
        keep_label = self.itemText(self.currentIndex()) if keep else None
        typed = self.lineEdit().text()
        self._filling = True
        self.blockSignals(True)
        try:
            self.clear()
            if self._optional:
                self.addItem(NONE_LABEL, None)
            found = labels.choices(self.case.conn, self.table, text)
            if keep and keep_label and all(row_id != keep for row_id, _ in found):
                self.addItem(keep_label, keep)
            for row_id, label in found:
                self.addItem(label, row_id)
            index = self.findData(keep) if keep else (0 if not text else -1)
            self.setCurrentIndex(index)
            if text:
                self.lineEdit().setText(typed)
        finally:
            self.blockSignals(False)
            self._filling = False

    def _narrow(self) -> None:
        text = self.lineEdit().text().strip()
        if text == NONE_LABEL or (self.currentIndex() >= 0 and text == self.itemText(self.currentIndex())):
            return  # the chosen row's own label, not a search
        self._fill(text)
        if not self.allow_new:
            self.showPopup()

    def select(self, row_id: str | None) -> None:
        """Choose ``row_id`` (added to the list when the search had not shown it)."""
        if row_id is None:
            self.setCurrentIndex(0 if self._optional else -1)
            return
        index = self.findData(row_id)
        if index < 0:
            found = labels.choice(self.case.conn, self.table, row_id)
            if found is None:
                return
            self.addItem(found[1], found[0])
            index = self.count() - 1
        self.setCurrentIndex(index)

    def chosen(self) -> str | None:
        """The chosen row's id; for a picker that may create, ``NEW_PREFIX + name`` for a name not listed."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.itemData(index)
        if self.allow_new and text and text != NONE_LABEL:
            return NEW_PREFIX + text
        return None


_CHOICE_WORDS = {
    "reliability": lambda v: f"{v} — {RELIABILITY[v]}",
    "credibility": lambda v: f"{v} — {CREDIBILITY[v]}",
    "cite_credibility": lambda v: f"{v} — {CREDIBILITY[v]}",
}

NEW_PREFIX = "new:"


class EntityForm(QDialog):
    """A dialog editing one row of ``table``; ``values()`` returns what to pass to the db add/update function."""

    def __init__(
        self,
        case: Case,
        table: str,
        initial: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.table = table
        self.setWindowTitle(title or f"{'Edit' if initial else 'New'} {table[:-1]}")
        self.setMinimumWidth(520)
        self._widgets: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._invalid: set[str] = set()
        self.cites = table in schema.CITABLE
        self.fields = FORMS[table] + (CITE_FIELDS if self.cites else [])
        editing = bool(initial and initial.get("id"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in self.fields:
            if f.name == "cite_source_id":
                form.addRow(self._source_heading(initial if editing else None))
            w = self._make_widget(f)
            self._widgets[f.name] = w
            err = QLabel("")
            err.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
            err.setObjectName(f"error_{f.name}")
            err.setStyleSheet("color: #b00020;")
            err.setWordWrap(True)
            err.hide()
            self._errors[f.name] = err
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(w)
            box.addWidget(err)
            form.addRow(f.label, box)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if initial:
            self.set_values(initial)
        if self.cites and not editing:
            self._default_source(initial or {})
        for f in self.fields:
            self._validate(f.name)

    # -- the Source section ----------------------------------------------------------------------------------
    def _source_heading(self, initial: dict[str, Any] | None) -> QLabel:
        """ "Source" over the citation fields; when editing, the sources the fact already cites."""
        text = "<b>Source</b>"
        if initial is not None:
            cited = citations.cited_by(self.case, self.table, initial["id"])
            listed = ", ".join(f"{html.escape(name)} ({cred})" for _sid, name, cred in cited)
            text += f" — already cites {listed}; choose one to add" if cited else " — cites no source yet"
        heading = QLabel(text)
        heading.setObjectName("source_heading")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        return heading

    def _default_source(self, initial: dict[str, Any]) -> None:
        """A new fact starts citing the source used last (a passage's own source for a statement from it)."""
        last = citations.last_used(self.case)
        if initial.get("source_id"):
            self.set_values({"cite_source_id": initial["source_id"]})
        elif last is not None:
            self.set_values({"cite_source_id": last[0], "cite_credibility": last[1]})

    def citation(self) -> tuple[str, int, str] | None:
        """(source id, credibility, locator) chosen under Source, or None when no source is chosen."""
        if not self.cites or not self.raw("cite_source_id"):
            return None
        return (
            self.raw("cite_source_id"),
            int(self.raw("cite_credibility")),
            self.raw("cite_locator").strip(),
        )

    # -- widgets ---------------------------------------------------------------------------------------------
    def _make_widget(self, f: Field) -> QWidget:
        if f.kind == "text":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(90 if f.name == "text" else 60)
            w.textChanged.connect(lambda name=f.name: self._validate(name))
        elif f.kind == "choice":
            w = QComboBox()
            for v in f.choices:
                w.addItem(_CHOICE_WORDS.get(f.name, str)(v), v)
            w.currentIndexChanged.connect(lambda _i, name=f.name: self._validate(name))
        elif f.kind == "ref":
            w = RefPicker(self.case, f.ref_table, allow_new=f.allow_new)
            w.lineEdit().setPlaceholderText(
                "choose, or type a new name to create that actor" if f.allow_new else "type to search"
            )
            w.editTextChanged.connect(lambda _t, name=f.name: self._validate(name))
            w.currentIndexChanged.connect(lambda _i, name=f.name: self._validate(name))
        else:
            w = QLineEdit()
            if f.placeholder:
                w.setPlaceholderText(f.placeholder)
            elif f.kind == "date":
                w.setPlaceholderText("e.g. 2023-09-07, 7–8 Sept 2023, Sept 2023, c. 2023-09-29")
            w.textChanged.connect(lambda _t, name=f.name: self._validate(name))
        w.setObjectName(f"field_{f.name}")
        return w

    def widget(self, name: str) -> QWidget:
        return self._widgets[name]

    def raw(self, name: str) -> Any:
        w = self._widgets[name]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, RefPicker):
            return w.chosen()
        if isinstance(w, QComboBox):
            return w.currentData()
        return w.text()

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name not in self._widgets:
                continue
            w = self._widgets[name]
            if isinstance(value, PartialDate):
                value = value.display()
            if name == "aliases" and isinstance(value, (list, tuple)):
                value = "; ".join(value)
            if name == "aliases" and isinstance(value, str) and value.startswith("["):
                value = "; ".join(json.loads(value))
            if isinstance(w, QPlainTextEdit):
                w.setPlainText("" if value is None else str(value))
            elif isinstance(w, RefPicker):
                w.select(value)
            elif isinstance(w, QComboBox):
                idx = w.findData(value)
                if idx >= 0:
                    w.setCurrentIndex(idx)
            else:
                w.setText("" if value is None else (f"{value:g}" if isinstance(value, float) else str(value)))

    # -- validation ------------------------------------------------------------------------------------------
    def _validate(self, name: str) -> None:
        value = self.raw(name)
        message = ""
        if isinstance(value, str) and value.startswith(NEW_PREFIX):
            message = ""  # a new actor's name: created on OK
        else:
            try:
                if name.startswith("cite_"):
                    dbfields.clean("citations", {name[len("cite_") :]: value}, partial=True)
                else:
                    dbfields.clean(self.table, {name: value}, partial=True)
                    required = dbfields.SPEC[self.table][name]
                    if name in ("name", "title", "cargo", "text") and not str(value or "").strip():
                        required(name, value)  # raises "is required."
            except ValidationError as exc:
                message = exc.message
        err = self._errors[name]
        err.setText(message)
        err.setVisible(bool(message))
        self._widgets[name].setProperty("invalid", bool(message))
        self._widgets[name].setStyleSheet("border: 1px solid #b00020;" if message else "")
        if message:
            self._invalid.add(name)
        else:
            self._invalid.discard(name)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok) if hasattr(self, "buttons") else None
        if ok is not None:
            ok.setEnabled(not self._invalid)

    def errors(self) -> dict[str, str]:
        return {n: self._errors[n].text() for n in self._invalid}

    def values(self) -> dict[str, Any]:
        """The table's own fields (the Source section comes from ``citation()``)."""
        out: dict[str, Any] = {}
        for f in FORMS[self.table]:
            value = self.raw(f.name)
            if f.kind == "aliases":
                value = [a.strip() for a in (value or "").split(";") if a.strip()]
            out[f.name] = value
        return out

    def _accept(self) -> None:
        for f in self.fields:
            self._validate(f.name)
        if not self._invalid:
            self.accept()


class InvolvementEditor(QWidget):
    """The actors involved in an event and their roles, as an editable two-column table."""

    def __init__(self, case: Case, rows: list[tuple[str, str]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Actor", "Role"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = QPushButton("Add actor")
        remove = QPushButton("Remove")
        add.clicked.connect(lambda: self.add_row(None, ""))
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        for actor_id, role in rows:
            self.add_row(actor_id, role)

    def add_row(self, actor_id: str | None, role: str) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        combo = RefPicker(self.case, "actors", optional=False)
        combo.select(actor_id)
        self.table.setCellWidget(r, 0, combo)
        self.table.setItem(r, 1, QTableWidgetItem(role))

    def _remove(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            combo = self.table.cellWidget(r, 0)
            item = self.table.item(r, 1)
            if isinstance(combo, RefPicker) and combo.chosen():
                out.append((combo.chosen(), item.text().strip() if item else ""))
        return out


class EventForm(EntityForm):
    """An event form with the involved actors under the fields."""

    def __init__(
        self,
        case: Case,
        initial: dict[str, Any] | None = None,
        involved: list[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(case, "events", initial, parent)
        self.involvement = InvolvementEditor(case, list(involved))
        self.layout().insertWidget(1, QLabel("Involved actors"))
        self.layout().insertWidget(2, self.involvement)
