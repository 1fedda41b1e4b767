"""Source quotes: what people said, word for word, with who said it, when, and how good the source is.

The list is a model over a query that loads a page at a time. It shows every statement, or only those related to
the shared selection (an actor's own words, statements made in a time range), intersected with a full-text
search that runs on a worker (FTS5 over a large case can take half a second for common words) after the user
stops typing. Each row is rich text: the statement text comes from a case file that may come from anyone, so
every piece of it is HTML-escaped before it reaches Qt's rich-text engine.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import labels, values
from caseboard.db import search as search_db
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet
from caseboard.db.sources import RELIABILITY
from caseboard.gui.panels.style import plain_tooltip
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.selection_chips import SelectionChips
from caseboard.gui.workers import Worker

PAGE = 50
#: Rows a jump may load below what is already listed; further away, the list restarts at the target instead.
JUMP_LIMIT = 300
SEARCH_LIMIT = 500
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_MARK = "background-color:#ffe066;color:#000"
_TITLE_MAX = 90


def esc(value: object) -> str:
    """Text from a case file, made safe for Qt rich text (quotes too, for attribute values)."""
    return html.escape("" if value is None else str(value), quote=True)


def highlight(text: str, terms: list[str]) -> str:
    """``text`` escaped, with words starting with any of ``terms`` marked (the way FTS5 prefix-matched them)."""
    if not terms:
        return esc(text)
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")",
        re.IGNORECASE,
    )
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(esc(text[last : m.start()]))
        out.append(f'<span style="{_MARK}">{esc(m.group(0))}</span>')
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def _shorten(text: str, limit: int = _TITLE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class StatementRow:
    id: str
    text: str
    kind: str
    said: str | None
    speaker: str | None
    source_label: str | None
    source_title: str | None
    reliability: str | None

    def __post_init__(self) -> None:
        # a file from elsewhere may hold a blob or a number here: shown as unreadable, never handed to Qt as is
        self.id = values.text(self.id)
        self.text = values.text(self.text, values.UNREADABLE)
        self.kind = values.text(self.kind)
        for name in ("said", "speaker", "source_label", "source_title", "reliability"):
            setattr(self, name, values.text_or_none(getattr(self, name)))

    def plain(self) -> str:
        """One line of plain text, for tooltips, accessibility and tests."""
        body = f"\u201c{self.text}\u201d" if self.kind == "quote" else f"(paraphrase) {self.text}"
        return f"{body} \u2014 {self.speaker or 'unknown speaker'}, {labels.date_text(self.said)}"

    def to_html(self, terms: list[str]) -> str:
        text = highlight(self.text, terms)
        if self.kind == "quote":
            body = f"<span style='font-size:large'>\u201c{text}\u201d</span>"
        else:
            badge = "<span style='background-color:#e4e0f5;color:#3b2f80;'>&nbsp;paraphrase&nbsp;</span>"
            body = f"{badge} <i>{text}</i>"
        speaker = f"<b>{esc(self.speaker)}</b>" if self.speaker else "<i>unknown speaker</i>"
        meta = f"\u2014 {speaker} \u00b7 {esc(labels.date_text(self.said))}"
        if self.source_title:
            grade = self.reliability or "F"
            words = RELIABILITY.get(grade, "")
            label = f"{esc(self.source_label)} " if self.source_label else ""
            source = (
                f"{label}{esc(_shorten(self.source_title))} "
                f"<span style='color:#1d4f91'>[{esc(grade)}: {esc(words)}]</span>"
            )
        else:
            source = "<i>no source</i>"
        return (
            f"<div style='margin-bottom:3px'>{body}</div>"
            f"<div style='color:#555'>{meta}</div>"
            f"<div style='color:#555;font-size:small'>{source}</div>"
        )


_SELECT = """SELECT s.id, s.text, s.kind, s.said, a.name, src.label, src.title, src.reliability
FROM statements s
LEFT JOIN actors a ON a.id = s.speaker_id
LEFT JOIN sources src ON src.id = s.source_id"""
_DATE_ORDER = "s.said_start IS NULL, s.said_start, s.rowid"


class StatementModel(QAbstractListModel):
    """Statements, all of them or a given id list (in date order, or in the list's order for search ranks)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._ids: list[str] | None = None
        self._ids_json = "[]"
        self._ordered = False
        self._terms: list[str] = []
        self._rows: list[StatementRow] = []
        self._html: dict[str, str] = {}
        self._exhausted = True
        self._start = 0  # position of the first listed row in the full ordering (after a jump, > 0)
        self.total = 0

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self.configure(None, False, [])

    def configure(self, ids: list[str] | None, ordered: bool, terms: list[str]) -> None:
        """Show ``ids`` (None: all statements); ``ordered`` keeps their order instead of sorting by date."""
        self.beginResetModel()
        self._ids, self._ordered, self._terms = ids, ordered, list(terms)
        self._ids_json = json.dumps(ids or [])
        self._rows, self._html = [], {}
        self._start = 0
        self._exhausted = self._case is None
        if self._case is None:
            self.total = 0
        elif ids is None:
            self.total = self._case.conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        else:
            self.total = len(ids)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    @property
    def ids(self) -> list[str] | None:
        return self._ids

    def update_loaded(self) -> list[int]:
        """Re-read the rows already listed (a speaker renamed, a quote's text fixed) without resetting the list:
        only rows that differ are announced, so the view measures only those again. Returns their positions."""
        if self._case is None or not self._rows:
            return []
        loaded = json.dumps([r.id for r in self._rows])
        sql = f"{_SELECT} JOIN json_each(?) j ON j.value = s.id"
        fresh = {r[0]: StatementRow(*r) for r in self._case.conn.execute(sql, [loaded])}
        changed = []
        for i, row in enumerate(self._rows):
            now = fresh.get(row.id)
            if now is not None and now != row:
                self._rows[i] = now
                self._html.pop(row.id, None)
                changed.append(i)
                self.dataChanged.emit(self.index(i, 0), self.index(i, 0))
        return changed

    def _select(self, limit: int, offset: int) -> list[tuple[Any, ...]]:
        assert self._case is not None
        if self._ids is None:
            # Page the bare rowids first: sorting 20k small keys is quick, sorting 20k joined rows is not.
            sql = (
                f"{_SELECT} JOIN (SELECT rowid AS r FROM statements "
                f"ORDER BY said_start IS NULL, said_start, rowid LIMIT ? OFFSET ?) p ON p.r = s.rowid "
                f"ORDER BY {_DATE_ORDER}"
            )
            return self._case.conn.execute(sql, [limit, self._start + offset]).fetchall()
        offset += self._start
        order = "CAST(j.key AS INTEGER)" if self._ordered else _DATE_ORDER
        sql = f"{_SELECT} JOIN json_each(?) j ON j.value = s.id ORDER BY {order} LIMIT ? OFFSET ?"
        return self._case.conn.execute(sql, [self._ids_json, limit, offset]).fetchall()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        self._fetch(PAGE)

    def _fetch(self, count: int) -> None:
        if self._exhausted or self._case is None:
            return
        try:
            new = [StatementRow(*r) for r in self._select(count, len(self._rows))]
        except sqlite3.Error:
            new = []
        if len(new) < count:
            self._exhausted = True
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def position_of(self, statement_id: str) -> int | None:
        """Where a statement stands in the whole ordered list (not only the loaded part); None if absent."""
        if self._case is None:
            return None
        if self._ids is not None:
            if statement_id not in self._ids:
                return None
            if self._ordered:
                return self._ids.index(statement_id)
            sql = (
                f"SELECT s.id FROM statements s JOIN json_each(?) j ON j.value = s.id ORDER BY {_DATE_ORDER}"
            )
            ordered = [r[0] for r in self._case.conn.execute(sql, [self._ids_json])]
            return ordered.index(statement_id) if statement_id in ordered else None
        row = self._case.conn.execute(
            "SELECT coalesce(said_start, 1 << 40), rowid FROM statements WHERE id = ?", [statement_id]
        ).fetchone()
        if row is None:
            return None
        return self._case.conn.execute(
            "SELECT count(*) FROM statements WHERE (coalesce(said_start, 1 << 40), rowid) < (?, ?)", list(row)
        ).fetchone()[0]

    def row_of(self, statement_id: str) -> int | None:
        """The row of a statement. Near the loaded rows, pages are loaded down to it; far away, the list
        restarts a little above it, because every loaded row costs a rich-text layout (think 20k quotes)."""
        for i, r in enumerate(self._rows):
            if r.id == statement_id:
                return i
        position = self.position_of(statement_id)
        if position is None:
            return None
        end = self._start + len(self._rows)
        if self._start <= position < end + JUMP_LIMIT:
            self._fetch(position - end + PAGE)
        else:
            self.beginResetModel()
            self._rows, self._start = [], max(0, position - 5)
            self._exhausted = False
            self.endResetModel()
            self._fetch(PAGE)
        row = position - self._start
        return row if 0 <= row < len(self._rows) and self._rows[row].id == statement_id else None

    @property
    def earlier(self) -> int:
        """How many rows come before the first listed one (after a jump)."""
        return self._start

    def fetch_earlier(self) -> int:
        """Put up to a page of the rows above the first listed one back in; returns how many."""
        if self._start == 0 or self._case is None:
            return 0
        count = min(PAGE, self._start)
        self._start -= count
        try:
            new = [StatementRow(*r) for r in self._select(count, 0)]
        except sqlite3.Error:
            new = []
        if new:
            self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
            self._rows[:0] = new
            self.endInsertRows()
        return len(new)

    def row(self, index: int) -> StatementRow:
        return self._rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.plain()
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == HTML_ROLE:
            cached = self._html.get(row.id)
            if cached is None:
                cached = self._html[row.id] = row.to_html(self._terms)
            return cached
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.source_title) or None
        return None


class StatementDelegate(QStyledItemDelegate):
    """Draws a statement's rich text, wrapped to the view's width (long unbroken words break anywhere)."""

    PAD = 6

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._heights: dict[tuple[str, int], int] = {}

    def clear_cache(self) -> None:
        self._heights.clear()

    def _document(self, markup: str, width: float, option: QStyleOptionViewItem) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(text_option)
        doc.setDocumentMargin(0)
        doc.setHtml(markup)
        doc.setTextWidth(max(60.0, width))
        return doc

    def _text_width(self) -> int:
        return max(80, self._view.viewport().width() - 2 * self.PAD - 6)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        width = self._text_width()
        markup = index.data(HTML_ROLE) or ""
        key = (markup, width)
        height = self._heights.get(key)
        if height is None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            height = int(self._document(markup, width, opt).size().height()) + 2 * self.PAD
            if len(self._heights) > 5000:
                self._heights.clear()
            self._heights[key] = height
        return QSize(width + 2 * self.PAD, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        painter.save()
        rect = opt.rect
        palette = opt.palette
        if opt.state & QStyle.StateFlag.State_Selected:
            tint = QColor(palette.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(45)
            painter.fillRect(rect, tint)
            painter.fillRect(
                rect.x(), rect.y(), 4, rect.height(), palette.color(QPalette.ColorRole.Highlight)
            )
        elif index.row() % 2:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(QColor(0, 0, 0, 30))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        doc = self._document(index.data(HTML_ROLE) or "", self._text_width(), opt)
        painter.translate(rect.x() + self.PAD + 4, rect.y() + self.PAD)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, palette.color(QPalette.ColorRole.Text))
        ctx.clip = QRectF(0, 0, rect.width(), rect.height())
        doc.documentLayout().draw(painter, ctx)
        painter.restore()


def _search(conn: sqlite3.Connection, query: str) -> tuple[str, search_db.SearchResult]:
    """Runs on a worker: FTS5 ids of matching statements, best first."""
    return query, search_db.search_table(conn, "statements", query, SEARCH_LIMIT)


class QuotesPanel(QWidget):
    """The statements list with its search box and a "showing N of M" line."""

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self._search: tuple[str, search_db.SearchResult] | None = None
        self._why = ""
        self._syncing = False

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search statements (full text)…")
        self.search_edit.setClearButtonEnabled(True)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        self.model = StatementModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.delegate = StatementDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.clicked.connect(lambda index: self._pick(index.row()))
        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        # the selection this list is cut down by, each part with its own clear button, then the count
        self.chips = SelectionChips(selection, self)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.chips)
        status_row.addWidget(self.status, 1)
        layout.addLayout(status_row)
        layout.addWidget(self.view, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._start_search)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self._searcher = Worker(self)
        self._searcher.finished.connect(self._search_done)
        self._searcher.failed.connect(self._search_failed)
        selection.changed.connect(self._selection_changed)

    # -- public ---------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._searcher.cancel()
        self._search = None
        self.model.set_case(case)
        if self.search_edit.text().strip():
            self._start_search()
        self._apply()

    def refresh(self) -> None:
        if self.search_edit.text().strip():
            self._start_search()
        self._apply()

    #: Statements, with their speaker's name and their source.
    draws = {"statements": None, "actors": ("name",), "sources": None}

    def apply_changes(self, changes: ChangeSet) -> None:
        """Rows renamed or reworded are re-read in place; statements added, removed, re-dated or given another
        speaker re-run the list (and a search, whose matches may differ)."""
        moved = changes.structural("statements") or changes.fields("statements") & {
            "said",
            "said_start",
            "said_end",
            "speaker_id",
        }
        searching = bool(self.search_edit.text().strip())
        if not moved and not (searching and "statements" in changes.tables):
            self.model.update_loaded()  # row heights are cached by their markup: only changed rows re-measure
            return
        if searching and "statements" in changes.tables:
            self._start_search()
        self._apply()

    def search(self, text: str) -> None:
        """Type into the search box (used by the Find action and tests); the search follows the debounce."""
        self.search_edit.setText(text)

    @property
    def searching(self) -> bool:
        return self._searcher.busy or self._debounce.isActive()

    def shown_ids(self) -> list[str]:
        """Ids of the statements currently listed, loading every page (tests, exports)."""
        while self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        return [self.model.row(i).id for i in range(self.model.rowCount())]

    # -- search ---------------------------------------------------------------------------------------------
    def _start_search(self) -> None:
        self._debounce.stop()
        query = self.search_edit.text().strip()
        if not query or self.case is None:
            self._searcher.cancel()
            if self._search is not None:
                self._search = None
                self._apply()
            return
        self._searcher.submit(self.case, _search, query)
        self.status.setText(f"Searching for \u201c{query}\u201d…")

    def _search_done(self, found: object) -> None:
        assert isinstance(found, tuple)
        query, result = found
        if query != self.search_edit.text().strip():
            return  # the text changed again; its own search is on the way
        self._search = (query, result)
        self._apply()

    def _search_failed(self, message: str) -> None:
        self.status.setText(f"Search failed: {message.splitlines()[0]}")

    # -- selection ------------------------------------------------------------------------------------------
    def _base_ids(self) -> tuple[set[str] | None, str]:
        """Which statements the selection allows, and a few words saying why."""
        sel = self.selection.selection
        related = self.selection.related
        if self.case is None or sel.empty or related is None:
            return None, ""
        if sel.table == "statements":
            # Picking a quote should not hide its neighbours: keep the list the time range (if any) gives.
            if sel.time_range is None:
                return None, ""
            ids = {
                r[0]
                for r in self.case.conn.execute(
                    "SELECT id FROM statements WHERE said_start <= ?2 AND said_end >= ?1",
                    list(sel.time_range),
                )
            }
            return ids, "in the selected time range"
        words = "related to the selection"
        if sel.table is None:
            words = "in the selected time range"
        return set(related.statements), words

    def _apply(self) -> None:
        base, why = self._base_ids()
        if self._search is not None:
            query, result = self._search
            ids = [i for i in result.ids if base is None or i in base]
            self.model.configure(ids, True, search_db.matching_terms(query))
        else:
            self.model.configure(None if base is None else sorted(base), False, [])
        self.delegate.clear_cache()
        self._why = why
        self._show_selected()
        self._update_status(why)

    def _update_status(self, why: str) -> None:
        if self.case is None:
            self.status.setText("No case open.")
            return
        total = self.case.conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        if not total:
            self.status.setText(
                "No statements yet: import a report (File \u203a Import \u203a Import Report\u2026) and accept its quotes, "
                "or add one with Edit \u203a New \u203a Statement."
            )
            return
        text = f"Showing {self.model.total:,} of {total:,} statements"
        if self._search is not None:
            query, result = self._search
            text += f" matching \u201c{query}\u201d"
            if result.capped:
                text += f" (more than {search_db.RANK_CAP:,} matches: the newest {SEARCH_LIMIT} searched)"
        if why:
            text += f", {why}"
        if self.model.earlier:
            text += f"; {self.model.earlier:,} earlier ones above (scroll up)"
        self.status.setText(text + ".")

    def _selection_changed(self, sel: Selection, origin: object) -> None:
        if origin is self:
            return
        self._apply()

    def _show_selected(self) -> None:
        sel = self.selection.selection
        self._syncing = True
        try:
            row = self.model.row_of(sel.row_id) if sel.table == "statements" and sel.row_id else None
            sm = self.view.selectionModel()
            if row is None:
                sm.clear()
                return
            index = self.model.index(row, 0)
            sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(index)
        finally:
            self._syncing = False

    def _scrolled(self, value: int) -> None:
        """At the top of a list that starts mid-way (after a jump), bring the earlier rows back in."""
        if value != self.view.verticalScrollBar().minimum() or not self.model.earlier:
            return
        added = self.model.fetch_earlier()
        if added:
            self.view.scrollTo(self.model.index(added, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            self._update_status(self._why)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._pick(current.row())

    def _pick(self, row: int) -> None:
        if self._syncing or not 0 <= row < self.model.rowCount():
            return
        self.selection.select_item("statements", self.model.row(row).id, self)
