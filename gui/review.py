"""The review of a report's suggestions: the text with each one highlighted in place, beside their list.

Nothing reaches the case until "Add to case", and then everything accepted goes in as one undoable step
(``Editor.run`` around ``ingest.accept.accept``). The report text comes from outside, so it is shown as plain
text (``QPlainTextEdit.setPlainText``) and highlighted with extra selections over character positions: no HTML
is ever built from it. Positions in the suggestions are Python string indices; Qt counts UTF-16 code units,
so they are converted before use (an emoji before a quote would otherwise shift every highlight).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import actors as db_actors
from caseboard.db import places as db_places
from caseboard.db import schema
from caseboard.db.dates import DateParseError, parse_date
from caseboard.db.errors import CaseError, sqlite_message
from caseboard.gui.commands import Editor
from caseboard.gui.panels.style import plain_tooltip
from caseboard.ingest.accept import (
    ACCEPT,
    KINDS,
    LOW_CONFIDENCE,
    MERGE,
    REJECT,
    Decision,
    Key,
    accept,
    default_decisions,
    event_title,
    summarize,
)
from caseboard.ingest.model import Span
from caseboard.ingest.request import ImportRequest

#: Highlight colour per kind (light enough to read black text on), and its name in the legend.
COLOURS = {
    "quotes": "#fff1a8",
    "shipments": "#e6d6ff",
    "events": "#ffd9b3",
    "places": "#c8f0d2",
    "actors": "#cfe0ff",
}
NOUN = {"actors": "Actor", "places": "Place", "events": "Date", "shipments": "Shipment", "quotes": "Quote"}
#: Drawn in this order, so a name inside a quote shows its own colour on top of the quote's.
DRAW_ORDER = ("quotes", "shipments", "events", "places", "actors")
_Index = QModelIndex | QPersistentModelIndex


def utf16_offsets(text: str) -> list[int]:
    """Qt position of every Python index in ``text`` (characters outside the BMP count twice in Qt)."""
    out = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        out[i] = pos
        pos += 2 if ord(ch) > 0xFFFF else 1
    out[len(text)] = pos
    return out


#: A role of our own: the tooltip's words before they are made plain-text markup.
_TIP_TEXT = -1


@dataclass
class Row:
    """One suggestion in the list: its kind, its index in that kind's list, and the record itself."""

    kind: str
    index: int
    item: Any

    @property
    def key(self) -> Key:
        return (self.kind, self.index)

    def spans(self) -> list[Span]:
        """Where the suggestion stands in the text (an event by its date words, not its whole sentence)."""
        it = self.item
        if self.kind == "events":
            return [it.date_span]
        if self.kind == "shipments":
            return list(it.spans) or [leg.span for leg in it.legs if leg.span != (0, 0)]
        return list(it.spans)

    @property
    def confidence(self) -> float:
        return float(getattr(self.item, "confidence", 1.0))

    @property
    def reason(self) -> str:
        """Why the rules are that sure, for the tooltip: the reason they gave, else a word on the kind."""
        return getattr(self.item, "reason", "") or f"{NOUN[self.kind].lower()} rule"

    def text(self) -> str:
        it = self.item
        if self.kind == "actors":
            return it.name
        if self.kind == "places":
            return it.name
        if self.kind == "events":
            return it.expression
        if self.kind == "shipments":
            return " ".join(x for x in (it.quantity, it.cargo) if x) or "(cargo not stated)"
        return f"“{it.text}”"

    def details(self) -> str:
        it = self.item
        if self.kind == "actors":
            extra = f"; aka {', '.join(it.aliases)}" if it.aliases else ""
            return f"{it.kind}{extra}" + (f"; {it.role}" if it.role else "")
        if self.kind == "places":
            where = (
                f"{it.lat:.3f}, {it.lon:.3f}" if it.lat is not None else "no coordinates: place it on the map"
            )
            return ", ".join(x for x in (it.country, where) if x)
        if self.kind == "events":
            return f"{it.date}{' (about)' if it.approximate else ''}: {event_title(it, 80)}"
        if self.kind == "shipments":
            legs = "; ".join(
                f"{leg.origin or '?'} → {leg.destination or '?'}" + (f" by {leg.mode}" if leg.mode else "")
                for leg in it.legs
            )
            return legs or "no legs"
        return f"said by {it.speaker}" if it.speaker else "speaker not found"


class SuggestionModel(QAbstractTableModel):
    """The suggestions as rows (kind, text, details, status); decisions live here until "Add to case"."""

    HEADERS = ("Kind", "Suggestion", "Details", "Sure", "Status")
    SURE = 3  # the confidence column

    def __init__(self, rows: list[Row], decisions: dict[Key, Decision], names: dict[str, str]) -> None:
        super().__init__()
        self.rows = rows
        self.decisions = decisions
        self.names = names  # case actor/place id -> name, for "merge into …"

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def status(self, row: Row) -> str:
        d = self.decisions.get(row.key) or Decision(REJECT)
        if d.action == REJECT:
            return "rejected"
        edited = " (edited)" if d.values else ""
        if d.action == MERGE and d.merge_into:
            return f"merge into {self.names.get(d.merge_into, '?')}{edited}"
        return f"accept{edited}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        d = self.decisions.get(row.key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(
                self.data(index, _TIP_TEXT if col == self.SURE else Qt.ItemDataRole.DisplayRole)
            )
        if role in (Qt.ItemDataRole.DisplayRole, _TIP_TEXT):
            values = d.values if d else {}
            if col == 0:
                return NOUN[row.kind]
            if col == 1:
                edited = (
                    values.get("name") or values.get("title") or values.get("text") or values.get("cargo")
                )
                return str(edited) if edited else row.text()
            if col == 2:
                return row.details()
            if col == self.SURE:
                pct = f"{round(row.confidence * 100)}%"
                if role == _TIP_TEXT:
                    low = " — below 50%: starts unchecked" if row.confidence < LOW_CONFIDENCE else ""
                    return f"{pct} sure{low}. {row.reason}"
                return pct
            return self.status(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.SURE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.SURE and row.confidence < LOW_CONFIDENCE:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.BackgroundRole and col == 0:
            return QBrush(QColor(COLOURS[row.kind]))
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QBrush(QColor("#000"))
        if role == Qt.ItemDataRole.ForegroundRole and (d is None or d.action == REJECT):
            return QBrush(QColor("#888"))
        if role == Qt.ItemDataRole.FontRole and col == 1 and (d is None or d.action == REJECT):
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in place (the dialog shares the list): by confidence, kind, text or status."""
        keys = {
            0: lambda r: (KINDS.index(r.kind), r.index),
            1: lambda r: r.text().casefold(),
            2: lambda r: r.details().casefold(),
            self.SURE: lambda r: (r.confidence, KINDS.index(r.kind), r.index),
            4: lambda r: self.status(r),
        }
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=keys.get(column, keys[0]), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def touched(self, rows: list[int]) -> None:
        for r in rows:
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.HEADERS) - 1))


class EditSuggestionDialog(QDialog):
    """A small form for one suggestion: the fields that suggestion kind can be corrected in."""

    FIELDS = {
        "actors": (
            ("name", "Name"),
            ("kind", "Kind"),
            ("aliases", "Aliases (separate with ;)"),
            ("description", "Description"),
        ),
        "places": (("name", "Name"), ("country", "Country"), ("lat", "Latitude"), ("lon", "Longitude")),
        "events": (("title", "Title"), ("date", "Date"), ("description", "Description")),
        "shipments": (
            ("cargo", "Cargo"),
            ("quantity_qualifier", "Qualifier"),
            ("quantity", "Quantity"),
            ("unit", "Unit"),
        ),
        "quotes": (("text", "Exact words"), ("speaker", "Speaker"), ("said", "Said on")),
    }

    def __init__(
        self, kind: str, initial: dict[str, Any], speakers: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(f"Edit {NOUN[kind].lower()} suggestion")
        self.setMinimumWidth(460)
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, label in self.FIELDS[kind]:
            value = initial.get(name)
            w: QWidget
            if name == "kind":
                combo = QComboBox()
                combo.addItems([k for k in schema.ACTOR_KINDS])
                combo.setCurrentText(str(value or "person"))
                w = combo
            elif name == "speaker":
                combo = QComboBox()
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.addItems(speakers)
                combo.setCurrentText(str(value or ""))
                combo.lineEdit().setPlaceholderText("choose, or type a name (a new person is created)")
                w = combo
            elif name in ("text", "description"):
                edit = QPlainTextEdit()
                edit.setPlainText("" if value is None else str(value))
                edit.setFixedHeight(90)
                edit.setTabChangesFocus(True)
                w = edit
            else:
                line = QLineEdit("" if value is None else str(value))
                if name == "said":
                    line.setPlaceholderText("left empty: the report's publication date")
                elif name in ("lat", "lon"):
                    line.setPlaceholderText("empty: no coordinates, place it on the map later")
                w = line
            w.setObjectName(f"field_{name}")
            self.widgets[name] = w
            form.addRow(label, w)
        if kind == "quotes":
            hint = QLabel(
                "A quote keeps its place in the source only while its words are still the report's."
            )
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            form.addRow(hint)
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.widgets.items():
            if isinstance(w, QComboBox):
                out[name] = w.currentText().strip()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText() if name == "text" else w.toPlainText().strip()
            elif isinstance(w, QLineEdit):
                out[name] = w.text().strip()
        return out

    def problem(self) -> str:
        """Why the values cannot be used, in words, or "" when they can."""
        v = self.values()
        for key in ("name", "title", "text", "cargo"):
            if key in v and not str(v[key]).strip():
                return f"The {key} is required."
        for key in ("date", "said"):
            if v.get(key):
                try:
                    parse_date(v[key])
                except DateParseError as exc:
                    return f"{key}: {exc}"
        for key, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            if v.get(key):
                try:
                    if not low <= float(v[key]) <= high:
                        raise ValueError
                except ValueError:
                    return f"{key}: a number of degrees between {low} and {high}."
        if bool(v.get("lat")) != bool(v.get("lon")) and "lat" in v:
            return "Give latitude and longitude together, or neither."
        if v.get("quantity"):
            try:
                float(v["quantity"].replace(",", ""))
            except ValueError:
                return "quantity: a number."
        return ""

    def _accept(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if not problem:
            self.accept()


def _initial_values(row: Row, d: Decision | None) -> dict[str, Any]:
    it = row.item
    base: dict[str, Any]
    if row.kind == "actors":
        base = {
            "name": it.name,
            "kind": it.kind,
            "aliases": "; ".join(it.aliases),
            "description": it.role or "",
        }
    elif row.kind == "places":
        base = {"name": it.name, "country": it.country or "", "lat": it.lat, "lon": it.lon}
    elif row.kind == "events":
        from caseboard.ingest.accept import event_date

        base = {"title": event_title(it), "date": event_date(it), "description": it.what}
    elif row.kind == "shipments":
        from caseboard.ingest.accept import split_quantity

        qualifier, number = split_quantity(it.quantity)
        base = {
            "cargo": it.cargo or "",
            "quantity_qualifier": qualifier,
            "quantity": number,
            "unit": it.unit or "",
        }
    else:
        base = {"text": it.text, "speaker": it.speaker or "", "said": ""}
    if d is not None:
        base.update(d.values)
    return base


def _changed_values(row: Row, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Only what the user changed, converted to what ``accept`` expects (empty strings dropped)."""
    out: dict[str, Any] = {}
    for k, v in new.items():
        before = old.get(k)
        if str("" if before is None else before) == str(v):
            continue
        if k in ("lat", "lon", "quantity"):
            out[k] = float(str(v).replace(",", "")) if str(v).strip() else None
        else:
            out[k] = v
    if ("lat" in out) != ("lon" in out):  # coordinates change together
        out.setdefault("lat", float(new["lat"]) if new.get("lat") else None)
        out.setdefault("lon", float(new["lon"]) if new.get("lon") else None)
    return out


class ReviewDialog(QDialog):
    """Report text on the left, the suggestions on the right; accept, edit, reject, merge, then add to case.

    ``imported(str, str)`` carries a one-line summary and the new source's id after the facts were written.
    """

    imported = Signal(str, str)  # summary line, id of the new source

    def __init__(self, editor: Editor, request: ImportRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        case = editor.case
        if case is None:
            raise RuntimeError("no case is open")
        self.editor = editor
        self.case = case
        self.request = request
        self.document = request.document
        self.suggestions = request.suggestions
        self.changes: list = []
        title = request.source_fields.get("title") or "report"
        self.setWindowTitle(f"Review suggestions — {title}")
        self.resize(1280, 800)
        self.setSizeGripEnabled(True)

        self.decisions: dict[Key, Decision] = default_decisions(
            case, self.suggestions, threshold=LOW_CONFIDENCE
        )
        self.rows = [
            Row(kind, i, it) for kind in KINDS for i, it in enumerate(getattr(self.suggestions, kind))
        ]
        names = {a.id: a.name for a in db_actors.list_actors(case)}
        names.update({p.id: p.name for p in db_places.list_places(case)})
        self.model = SuggestionModel(self.rows, self.decisions, names)
        self._qt_pos = utf16_offsets(self.document.text)

        # -- the text -------------------------------------------------------------------------------------
        self.text_view = QPlainTextEdit(self)
        self.text_view.setObjectName("report_text")
        self.text_view.setReadOnly(True)
        self.text_view.setPlainText(self.document.text)  # plain text: markup in a report shows as written
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_view.document().setDocumentMargin(10)
        font = self.text_view.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.text_view.setFont(font)
        legend = QLabel(self)
        legend.setTextFormat(Qt.TextFormat.RichText)  # fixed words only, nothing from the report
        legend.setText(
            " ".join(
                f"<span style='background:{COLOURS[k]}; color:#000; padding:2px 6px;'>&nbsp;{NOUN[k]}s&nbsp;</span>"
                for k in KINDS
            )
            + " <span style='color:#666'>&nbsp; struck out: rejected</span>"
        )
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(legend)
        lv.addWidget(self.text_view, 1)

        # -- the list -------------------------------------------------------------------------------------
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem("All suggestions", None)
        for k in KINDS:
            n = len(getattr(self.suggestions, k))
            self.kind_filter.addItem(f"{NOUN[k]}s ({n})", k)
        self.kind_filter.currentIndexChanged.connect(self._filter)
        self.sure_filter = QComboBox(self)
        self.sure_filter.setObjectName("confidence_filter")
        self.sure_filter.addItem("any confidence", None)
        self.sure_filter.addItem(f"unsure only (below {LOW_CONFIDENCE:.0%})", "low")
        self.sure_filter.addItem(f"sure only ({LOW_CONFIDENCE:.0%} and above)", "high")
        self.sure_filter.currentIndexChanged.connect(self._filter)
        self.table = QTableView(self)
        self.table.setObjectName("suggestions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )  # details give way, status stays readable
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(1, 220)
        self.table.setColumnWidth(4, 170)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setToolTip("Click a heading to sort; “Sure” sorts by how confident the rules are")
        self.model.layoutChanged.connect(lambda *_: self._filter())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._current_changed())
        self.table.doubleClicked.connect(lambda _i: self.edit_current())

        self.btn_accept = QPushButton("&Accept", self)
        self.btn_edit = QPushButton("&Edit…", self)
        self.btn_reject = QPushButton("&Reject", self)
        self.btn_merge = QPushButton("&Merge with…", self)
        self.btn_kind = QPushButton("Accept all &of this kind", self)
        self.btn_accept.setToolTip("Accept the selected suggestions (A)")
        self.btn_reject.setToolTip("Leave the selected suggestions out (R, Delete)")
        self.btn_merge.setToolTip("Add this actor's names to an actor (or place) the case already has")
        self.btn_accept.clicked.connect(lambda: self.set_action(self.selected_rows(), ACCEPT))
        self.btn_reject.clicked.connect(lambda: self.set_action(self.selected_rows(), REJECT))
        self.btn_edit.clicked.connect(self.edit_current)
        self.btn_merge.clicked.connect(self.merge_current)
        self.btn_kind.clicked.connect(self._accept_kind_of_current)
        for key, slot in (
            ("A", lambda: self.set_action(self.selected_rows(), ACCEPT)),
            ("R", lambda: self.set_action(self.selected_rows(), REJECT)),
            ("Delete", lambda: self.set_action(self.selected_rows(), REJECT)),
        ):
            QShortcut(QKeySequence(key), self.table, activated=slot)
        row_buttons = QHBoxLayout()
        for b in (self.btn_accept, self.btn_edit, self.btn_reject, self.btn_merge, self.btn_kind):
            b.setAutoDefault(False)
            row_buttons.addWidget(b)
        row_buttons.addStretch(1)

        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show:", self))
        top.addWidget(self.kind_filter, 1)
        top.addWidget(self.sure_filter)
        rv.addLayout(top)
        low = sum(1 for r in self.rows if r.confidence < LOW_CONFIDENCE)
        lines = []
        if low:
            lines.append(
                f"{low} suggestion{'s' if low != 1 else ''} the rules are less than {LOW_CONFIDENCE:.0%} sure of "
                f"start{'s' if low == 1 else ''} unchecked; "
                "hover “Sure” for the reason."
            )
        lines.extend(self.suggestions.notes)
        self.notes = QLabel("\n".join(lines), self)
        self.notes.setObjectName("review_notes")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555;")
        self.notes.setVisible(bool(lines))
        rv.addWidget(self.notes)
        rv.addWidget(self.table, 1)
        rv.addLayout(row_buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([560, 700])
        splitter.setChildrenCollapsible(False)

        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.btn_add = self.buttons.addButton("Add to case", QDialogButtonBox.ButtonRole.AcceptRole)
        self.btn_add.setDefault(True)
        self.buttons.accepted.connect(self.add_to_case)
        self.buttons.rejected.connect(self.reject)
        can, why = editor.can_edit()
        self.btn_add.setEnabled(can)
        if not can:
            self.btn_add.setToolTip(why)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.model.dataChanged.connect(lambda *_: self._refresh())
        self._refresh()
        self._current_changed()

    # -- reading the state ---------------------------------------------------------------------------------
    def row_of(self, kind: str, index: int) -> int:
        return next(r for r, row in enumerate(self.rows) if row.kind == kind and row.index == index)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def current_row(self) -> int | None:
        rows = self.selected_rows()
        if rows:
            return rows[0]
        idx = self.table.currentIndex()
        return idx.row() if idx.isValid() else None

    def highlights(self) -> list[QTextEdit.ExtraSelection]:
        return list(self.text_view.extraSelections())

    def highlight_kinds(self) -> set[str]:
        """The kinds that have at least one highlight in the text (for tests and the legend's honesty)."""
        colours = {QColor(c).name(): k for k, c in COLOURS.items()}
        return {
            colours[s.format.background().color().name()]
            for s in self.highlights()
            if s.format.background().color().name() in colours
        }

    # -- changing decisions --------------------------------------------------------------------------------
    def set_action(self, rows: list[int], action: str) -> None:
        """Accept or reject rows; accepting a proposed merge keeps the merge (use Merge to change it)."""
        for r in rows:
            key = self.rows[r].key
            d = self.decisions.get(key) or Decision(ACCEPT)
            if action == REJECT:
                d.action = REJECT
            else:
                d.action = MERGE if d.merge_into else ACCEPT
            self.decisions[key] = d
        self.model.touched(rows)

    def accept_kind(self, kind: str) -> None:
        self.set_action([r for r, row in enumerate(self.rows) if row.kind == kind], ACCEPT)

    def _accept_kind_of_current(self) -> None:
        r = self.current_row()
        kind = self.kind_filter.currentData() or (self.rows[r].kind if r is not None else None)
        if kind:
            self.accept_kind(kind)

    def set_values(self, row: int, values: dict[str, Any]) -> None:
        """Edited values for one suggestion (merged over earlier edits); the suggestion becomes accepted."""
        key = self.rows[row].key
        d = self.decisions.get(key) or Decision(ACCEPT)
        d.values.update(values)
        if d.action == REJECT:
            d.action = MERGE if d.merge_into else ACCEPT
        self.decisions[key] = d
        self.model.touched([row])

    def merge(self, row: int, target_id: str | None) -> None:
        """Merge an actor (or place) suggestion into the case's row ``target_id``; None makes it a new one."""
        item = self.rows[row]
        if item.kind not in ("actors", "places"):
            return
        d = self.decisions.get(item.key) or Decision(ACCEPT)
        d.merge_into = target_id
        d.action = MERGE if target_id else ACCEPT
        self.decisions[item.key] = d
        if target_id and target_id not in self.model.names:
            getter = db_actors.get_actor if item.kind == "actors" else db_places.get_place
            self.model.names[target_id] = getter(self.case, target_id).name
        self.model.touched([row])

    def edit_current(self) -> None:
        r = self.current_row()
        if r is None:
            return
        row = self.rows[r]
        d = self.decisions.get(row.key)
        initial = _initial_values(row, None)
        shown = _initial_values(row, d)
        speakers = sorted({a.name for a in self.suggestions.actors if a.kind == "person"}) + [
            a.name for a in db_actors.list_actors(self.case, "person", limit=2000)
        ]
        dialog = EditSuggestionDialog(row.kind, shown, list(dict.fromkeys(speakers)), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            changed = _changed_values(row, initial, dialog.values())
            key = row.key
            dec = self.decisions.get(key) or Decision(ACCEPT)
            dec.values = changed
            if dec.action == REJECT:
                dec.action = MERGE if dec.merge_into else ACCEPT
            self.decisions[key] = dec
            self.model.touched([r])

    def merge_current(self) -> None:
        r = self.current_row()
        if r is None or self.rows[r].kind not in ("actors", "places"):
            QMessageBox.information(self, "Merge", "Choose an actor or a place suggestion to merge.")
            return
        row = self.rows[r]
        if row.kind == "actors":
            options = [(a.id, f"{a.name} ({a.kind})") for a in db_actors.list_actors(self.case, limit=5000)]
        else:
            options = [
                (p.id, p.name + (f", {p.country}" if p.country else ""))
                for p in db_places.list_places(self.case, limit=5000)
            ]
        if not options:
            QMessageBox.information(self, "Merge", f"The case has no {row.kind} to merge with yet.")
            return
        labels = ["— none: add as new —", *[label for _, label in options]]
        current = (self.decisions.get(row.key) or Decision()).merge_into
        at = next((i + 1 for i, (oid, _) in enumerate(options) if oid == current), 0)
        label, ok = QInputDialog.getItem(self, "Merge with", f"Merge “{row.text()}” into:", labels, at, False)
        if ok:
            target = next((oid for oid, lab in options if lab == label), None)
            self.merge(r, target)

    # -- showing -------------------------------------------------------------------------------------------
    def _filter(self) -> None:
        kind = self.kind_filter.currentData()
        sure = self.sure_filter.currentData()
        for r, row in enumerate(self.rows):
            low = row.confidence < LOW_CONFIDENCE
            hide = (
                (kind is not None and row.kind != kind)
                or (sure == "low" and not low)
                or (sure == "high" and low)
            )
            self.table.setRowHidden(r, hide)
        self.btn_kind.setText(f"Accept all {NOUN[kind].lower()}s" if kind else "Accept all of this kind")

    def _current_changed(self) -> None:
        r = self.current_row()
        kind = self.rows[r].kind if r is not None else None
        for b in (self.btn_accept, self.btn_edit, self.btn_reject, self.btn_kind):
            b.setEnabled(r is not None)
        self.btn_merge.setEnabled(kind in ("actors", "places"))
        if r is not None:
            self.show_suggestion(r)
            if not self.kind_filter.currentData():
                self.btn_kind.setText(f"Accept all {NOUN[kind].lower()}s")

    def show_suggestion(self, row: int) -> None:
        """Scroll the text to the suggestion and select its words."""
        spans = self.rows[row].spans()
        if not spans:
            return
        a, b = spans[0][0], spans[-1][1] if self.rows[row].kind == "quotes" else spans[0][1]
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(self._qt(a))
        cursor.setPosition(self._qt(b), QTextCursor.MoveMode.KeepAnchor)
        self.text_view.setTextCursor(cursor)
        self.text_view.centerCursor()

    def _qt(self, pos: int) -> int:
        return self._qt_pos[max(0, min(pos, len(self._qt_pos) - 1))]

    def _refresh(self) -> None:
        self._draw_highlights()
        counts = {k: 0 for k in KINDS}
        for row in self.rows:
            d = self.decisions.get(row.key)
            if d is not None and d.action != REJECT:
                counts[row.kind] += 1
        merged = Counter(k[0] for k, d in self.decisions.items() if d.action == MERGE and d.merge_into)
        self.summary.setText(
            f"To add: {counts['actors']} actors ({merged['actors']} merged), "
            f"{counts['places']} places ({merged['places']} merged), "
            f"{counts['events']} events, {counts['shipments']} shipments, {counts['quotes']} quotes — "
            "each citing its place in the report."
        )

    def _draw_highlights(self) -> None:
        doc = self.text_view.document()
        selections: list[QTextEdit.ExtraSelection] = []
        order = {k: i for i, k in enumerate(DRAW_ORDER)}
        for row in sorted(self.rows, key=lambda r: order[r.kind]):
            d = self.decisions.get(row.key)
            rejected = d is None or d.action == REJECT
            fmt = QTextCharFormat()
            if rejected:
                fmt.setBackground(QColor("#eeeeee"))
                fmt.setForeground(QColor("#777777"))
                fmt.setFontStrikeOut(True)
            else:
                fmt.setBackground(QColor(COLOURS[row.kind]))
                fmt.setForeground(QColor("#000000"))
            if row.kind == "quotes":
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor("#b08900"))
            for a, b in row.spans():
                if not 0 <= a < b <= len(self.document.text):
                    continue
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(doc)
                cursor.setPosition(self._qt(a))
                cursor.setPosition(self._qt(b), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
        self.text_view.setExtraSelections(selections)

    # -- writing -------------------------------------------------------------------------------------------
    def add_to_case(self) -> bool:
        """Write the source and everything accepted as one undo step; a refusal is shown, nothing written."""
        req = self.request
        label = f"Import report “{req.source_fields.get('title') or 'report'}”"
        decisions = {k: d for k, d in self.decisions.items() if d.action != REJECT}
        skipped: list[str] = []
        try:
            self.changes = self.editor.run(
                label,
                lambda case: accept(
                    case,
                    req.document,
                    req.suggestions,
                    decisions,
                    reliability=req.reliability,
                    source_fields=req.source_fields,
                    credibility=req.credibility,
                    allow_duplicate=req.allow_duplicate,
                    skipped=skipped,
                ),
            )
        except Exception as exc:  # noqa: BLE001 - every failure is one message; nothing was written
            self._warn(import_error_message(exc))
            return False
        line = summarize(self.changes).line()
        if skipped:
            line += f"; {len(skipped)} left out"
            self._warn(
                f"{len(skipped)} suggestions could not be added and were left out; the rest were added.\n\n"
                + "\n".join(skipped[:20])
            )
        source_id = next(
            (c.row_id for c in self.changes if c.table == "sources" and c.action == "insert"), ""
        )
        self.imported.emit(line, source_id)
        self.accept()
        return True

    def _warn(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Import report", text, QMessageBox.StandardButton.Ok, self
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()


def import_error_message(exc: BaseException) -> str:
    """One message for anything that stopped an import (nothing of it was written)."""
    if isinstance(exc, CaseError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return f"The report was not imported: {sqlite_message(exc)}."
    return f"The report was not imported ({type(exc).__name__}: {exc}). Nothing was changed."
