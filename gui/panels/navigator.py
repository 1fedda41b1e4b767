"""The navigator: one filterable list per kind of thing in the case (actors, places, shipments, events, sources).

Each list is a table model over a SQL query that loads rows a page at a time (``canFetchMore``/``fetchMore``), so
a case with 100,000 events opens as fast as one with ten: only what the view scrolls to is ever read. Counts for
the tab titles run on a worker. Picking a row sets the shared selection; a selection made elsewhere is shown here
(selected and scrolled to when it lives in the open tab) and related rows are drawn bold, the rest dimmed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import labels, schema, values
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet
from caseboard.gui.panels.style import plain_tooltip
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.workers import Worker

PAGE = 200
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ListSpec:
    """How one tab reads its table: shown columns (header, SQL), order, searched columns and the kind filter."""

    table: str
    title: str
    columns: tuple[tuple[str, str], ...]
    order: str
    searched: tuple[str, ...]
    kind_column: str | None = None
    kinds: tuple[str, ...] = ()
    all_kinds: str = "All kinds"
    date_columns: tuple[int, ...] = ()
    #: The order as a row value (columns never NULL), so a renamed row's new place is one indexed count.
    order_key: tuple[str, str] | None = None


SPECS: tuple[ListSpec, ...] = (
    ListSpec(
        "actors",
        "Actors",
        (("Name", "name"), ("Kind", "kind")),
        "name COLLATE NOCASE, rowid",
        ("name", "aliases", "description", "country"),
        "kind",
        schema.ACTOR_KINDS,
        order_key=("name COLLATE NOCASE, rowid", "name, rowid"),
    ),
    ListSpec(
        "places",
        "Places",
        (("Name", "name"), ("Kind", "kind"), ("Country", "country")),
        "name COLLATE NOCASE, rowid",
        ("name", "aliases", "country", "notes"),
        "kind",
        schema.PLACE_KINDS,
        order_key=("name COLLATE NOCASE, rowid", "name, rowid"),
    ),
    ListSpec(
        "shipments",
        "Shipments",
        (("Shipment", "coalesce(nullif(title, ''), cargo)"), ("Status", "status"), ("Date", "date")),
        "date_start, date_end, rowid",
        ("title", "cargo", "notes"),
        "status",
        schema.SHIPMENT_STATUSES,
        "All statuses",
        date_columns=(2,),
    ),
    ListSpec(
        "events",
        "Events",
        (("Event", "title"), ("Date", "date")),
        "date_start, date_end, rowid",  # the events_date index order: no sort, even for 100k events
        ("title", "description"),
        date_columns=(1,),
    ),
    ListSpec(
        "sources",
        "Sources",
        (("Label", "label"), ("Title", "title"), ("Grade", "reliability")),
        "label, title COLLATE NOCASE, rowid",
        ("label", "title", "outlet", "author"),
        "reliability",
        schema.RELIABILITY_GRADES,
        "All grades",
    ),
)
SPEC_BY_TABLE = {s.table: s for s in SPECS}


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with the user's % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where_clause(spec: ListSpec, text: str, kind: str | None) -> tuple[str, list[Any]]:
    """The WHERE for a tab's filter: every word typed must appear in one of the searched columns."""
    parts: list[str] = []
    params: list[Any] = []
    for word in text.split():
        ors = " OR ".join(f"{col} LIKE ? ESCAPE '\\'" for col in spec.searched)
        parts.append(f"({ors})")
        params.extend([_like(word)] * len(spec.searched))
    if kind and spec.kind_column:
        parts.append(f"{spec.kind_column} = ?")
        params.append(kind)
    return (" AND ".join(parts) or "1"), params


def count_rows(
    conn: sqlite3.Connection, filters: dict[str, tuple[str, str | None]]
) -> dict[str, tuple[int, int]]:
    """(matching, total) per table; runs on a worker because counting 100k filtered rows takes a while."""
    out: dict[str, tuple[int, int]] = {}
    for table, (text, kind) in filters.items():
        spec = SPEC_BY_TABLE[table]
        total = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if text.strip() or kind:
            where, params = where_clause(spec, text, kind)
            matching = conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        else:
            matching = total
        out[table] = (matching, total)
    return out


class SqlListModel(QAbstractTableModel):
    """Rows of one table, read page by page as the view scrolls; the first column carries the row id."""

    emphasis_changed = Signal()

    def __init__(self, spec: ListSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._case: Case | None = None
        self._rows: list[tuple[Any, ...]] = []
        self._exhausted = True
        self._text = ""
        self._kind: str | None = None
        self._related: set[str] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- configuration ------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self._case = case
        self._related = None
        self.reload()

    def set_filter(self, text: str, kind: str | None) -> None:
        self._text, self._kind = text.strip(), kind or None
        self.reload()

    @property
    def filter(self) -> tuple[str, str | None]:
        return self._text, self._kind

    def set_related(self, ids: set[str] | None) -> None:
        """Related rows bold, others dimmed; None shows every row plainly.

        Only the look changes, so views are asked to repaint (``emphasis_changed``) rather than told every row
        changed: a dataChanged over 100k loaded rows makes the view re-measure them all.
        """
        if ids == self._related:
            return
        self._related = None if ids is None else set(ids)
        self.emphasis_changed.emit()

    def update_rows(self, ids: set[str]) -> None:
        """Re-read the loaded rows among ``ids`` in place (an edit that moved no row): the view keeps its place."""
        if self._case is None or not ids:
            return
        cols = ", ".join(expr for _, expr in self.spec.columns)
        for i, r in enumerate(self._rows):
            if r[0] not in ids:
                continue
            row = self._case.conn.execute(
                f"SELECT id, {cols} FROM {self.spec.table} WHERE id = ?", [r[0]]
            ).fetchone()
            if row is not None:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.spec.columns) - 1))

    def move_rows(self, ids: set[str]) -> bool:
        """Put renamed rows where the order now wants them without re-reading the list (the view keeps its
        place); False when this list cannot (its order has columns that may be NULL), so it must reload."""
        if self._case is None or self.spec.order_key is None:
            return False
        key, raw = self.spec.order_key
        where, params = where_clause(self.spec, self._text, self._kind)
        cols = ", ".join(expr for _, expr in self.spec.columns)
        for row_id in ids:
            at = next((i for i, r in enumerate(self._rows) if r[0] == row_id), None)
            conn = self._case.conn
            found = conn.execute(
                f"SELECT id, {cols} FROM {self.spec.table} WHERE id = ? AND ({where})", [row_id, *params]
            ).fetchone()
            position = None
            if found is not None:
                (position,) = conn.execute(
                    f"SELECT count(*) FROM {self.spec.table} WHERE ({where}) AND ({key}) < "
                    f"(SELECT {raw} FROM {self.spec.table} WHERE id = ?)",
                    [*params, row_id],
                ).fetchone()
            if at is not None and position is not None and position < len(self._rows):
                # a move, not a removal and an insertion: the view's selection and current row go with it
                self._rows[at] = tuple(found)
                dest = position if position <= at else position + 1
                if dest not in (at, at + 1):
                    self.beginMoveRows(QModelIndex(), at, at, QModelIndex(), dest)
                    self._rows.insert(position, self._rows.pop(at))
                    self.endMoveRows()
                last = self.index(position, self.columnCount() - 1)
                self.dataChanged.emit(self.index(position, 0), last)
                continue
            if at is not None:
                self.beginRemoveRows(QModelIndex(), at, at)
                del self._rows[at]
                self.endRemoveRows()
            if found is None:
                continue  # the list's filter does not show it
            if position < len(self._rows) or self._exhausted:
                position = min(position, len(self._rows))
                self.beginInsertRows(QModelIndex(), position, position)
                self._rows.insert(position, tuple(found))
                self.endInsertRows()
        return True

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._exhausted = self._case is None
        self.endResetModel()
        if not self._exhausted:
            self.fetchMore(QModelIndex())

    # -- paging ---------------------------------------------------------------------------------------------
    def _select(self, limit: int, offset: int) -> list[tuple[Any, ...]]:
        assert self._case is not None
        where, params = where_clause(self.spec, self._text, self._kind)
        cols = ", ".join(expr for _, expr in self.spec.columns)
        sql = f"SELECT id, {cols} FROM {self.spec.table} WHERE {where} ORDER BY {self.spec.order} LIMIT ? OFFSET ?"
        return self._case.conn.execute(sql, [*params, limit, offset]).fetchall()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        self._fetch(PAGE)

    def _fetch(self, count: int) -> int:
        if self._exhausted or self._case is None:
            return 0
        try:
            new = self._select(count, len(self._rows))
        except sqlite3.Error:
            new = []
        if len(new) < count:
            self._exhausted = True
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        return len(new)

    def row_of(self, row_id: str) -> int | None:
        """The row showing ``row_id``, loading pages up to it if needed; None if the filter hides it."""
        for i, r in enumerate(self._rows):
            if r[0] == row_id:
                return i
        if self._exhausted or self._case is None:
            return None
        where, params = where_clause(self.spec, self._text, self._kind)
        cur = self._case.conn.execute(
            f"SELECT id FROM {self.spec.table} WHERE {where} ORDER BY {self.spec.order}", params
        )
        position = next((i for i, (rid,) in enumerate(cur) if rid == row_id), None)
        cur.close()
        if position is None:
            return None
        self._fetch(position + 1 - len(self._rows) + PAGE)
        return position if position < len(self._rows) else None

    def row_id(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    # -- Qt model ---------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.spec.columns[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        value = row[index.column() + 1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() in self.spec.date_columns:
                shown = labels.date_text(value)
            else:
                shown = values.text(value)
            return plain_tooltip(shown) if role == Qt.ItemDataRole.ToolTipRole else shown
        if role == Qt.ItemDataRole.UserRole:
            return row[0]
        if self._related is not None:
            related = row[0] in self._related
            if role == Qt.ItemDataRole.FontRole and related:
                return self._bold
            if role == Qt.ItemDataRole.ForegroundRole and not related:
                return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None


class _ListPage(QWidget):
    """One tab: a filter line, a kind chooser and the list."""

    picked = Signal(str, str)  # table, row id
    filter_changed = Signal()

    def __init__(self, spec: ListSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.model = SqlListModel(spec, self)
        self.syncing = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(f"Filter {spec.title.lower()}…")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(spec.all_kinds, None)
        for kind in spec.kinds:
            self.kind_combo.addItem(kind, kind)
        self.kind_combo.setVisible(bool(spec.kind_column))
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)  # lets the view skip measuring every row of a long list
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths from the longest possible value: ResizeToContents would measure every loaded row.
        metrics = self.view.fontMetrics()
        for col in range(1, len(spec.columns)):
            header_text, expr = spec.columns[col]
            samples = [header_text]
            if col in spec.date_columns:
                samples.append("30 Sept – 10 Oct 2023")
            elif expr == spec.kind_column:
                samples.extend(str(k) for k in spec.kinds)
            else:
                samples.append("United Kingdom")
            width = max(metrics.horizontalAdvance(text) for text in samples) + 16
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.model.emphasis_changed.connect(self.view.viewport().update)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.clicked.connect(lambda index: self._pick(index.row()))

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.kind_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._debounce.start())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())

    def _apply_filter(self) -> None:
        self._debounce.stop()
        self.syncing = True
        try:
            self.model.set_filter(self.filter_edit.text(), self.kind_combo.currentData())
        finally:
            self.syncing = False
        self.filter_changed.emit()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._pick(current.row())

    def _pick(self, row: int) -> None:
        if self.syncing:
            return
        row_id = self.model.row_id(row)
        if row_id is not None:
            self.picked.emit(self.spec.table, row_id)

    def show_row(self, row_id: str | None) -> None:
        """Select and scroll to ``row_id`` without telling anyone (it came from the shared selection)."""
        self.syncing = True
        try:
            row = self.model.row_of(row_id) if row_id else None
            sm = self.view.selectionModel()
            if row is None:
                sm.clear()
                self.view.setCurrentIndex(QModelIndex())
                return
            index = self.model.index(row, 0)
            current = sm.currentIndex()
            # a renamed row that moved carries its selection along: selecting it again costs a long list's
            # view a pass over every row
            if not (current.row() == row and sm.isRowSelected(row) and len(sm.selectedRows()) == 1):
                sm.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        finally:
            self.syncing = False


class NavigatorPanel(QWidget):
    """Tabs of filterable lists; the left-hand way into a case."""

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self.tabs = QTabWidget(self)
        # Five tabs with counts do not fit across a 240 px dock; down the side they all show.
        self.tabs.setTabPosition(QTabWidget.TabPosition.West)
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.pages: dict[str, _ListPage] = {}
        for spec in SPECS:
            page = _ListPage(spec, self)
            page.picked.connect(self._picked)
            page.filter_changed.connect(self._count_later)
            self.pages[spec.table] = page
            self.tabs.addTab(page, spec.title)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self._counter = Worker(self)
        self._counter.finished.connect(self._show_counts)
        self.counts: dict[str, tuple[int, int]] = {}
        selection.changed.connect(self._selection_changed)

    # -- public ---------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._counter.cancel()
        self.counts = {}
        for page in self.pages.values():
            page.syncing = True
            try:
                page.model.set_case(case)
            finally:
                page.syncing = False
        self._show_counts({})
        self._count_later()

    @property
    def draws(self) -> dict[str, None]:
        """Each tab shows its own table only (labels are the row's own columns)."""
        return {spec.table: None for spec in SPECS}

    def apply_changes(self, changes: ChangeSet) -> None:
        """Update only the lists whose table changed; rows edited in place stay where the view has them."""
        recount: dict[str, tuple[str, str | None]] = {}
        for table, page in self.pages.items():
            if table not in changes.tables:
                continue
            spec = page.spec
            text, kind = page.model.filter
            filtered = (tuple(spec.searched) if text else ()) + ((spec.kind_column,) if kind else ())
            moved = changes.structural(table) or any(
                f in spec.order or f in filtered for f in changes.fields(table)
            )
            page.syncing = True
            try:
                if (
                    moved
                    and not changes.structural(table)
                    and not filtered
                    and page.model.move_rows(changes.updated(table))
                ):
                    pass  # renamed rows moved to their new place, the rest of the list untouched
                elif moved:
                    page.model.reload()
                else:
                    page.model.update_rows(changes.updated(table))
            finally:
                page.syncing = False
            if moved and table == self.current_table():
                sel = self.selection.selection
                page.show_row(sel.row_id if sel.table == table else None)
            if changes.structural(table):
                if text or kind or table not in self.counts:
                    recount[table] = page.model.filter
                else:
                    matching, total = self.counts[table]
                    delta = changes.count_delta(table)
                    self.counts[table] = (matching + delta, total + delta)
        if recount and self.case is not None:
            self._counter.submit(self.case, count_rows, recount)
        else:
            self._show_counts(self.counts)

    def refresh(self) -> None:
        """Re-read every list (View > Reload), keeping filters and the shown selection."""
        for page in self.pages.values():
            page.syncing = True
            try:
                page.model.reload()
            finally:
                page.syncing = False
        self._selection_changed(self.selection.selection, None)
        self._count_later()

    def current_table(self) -> str:
        page = self.tabs.currentWidget()
        assert isinstance(page, _ListPage)
        return page.spec.table

    def show_table(self, table: str) -> None:
        self.tabs.setCurrentWidget(self.pages[table])

    def view(self, table: str) -> QTreeView:
        return self.pages[table].view

    def model(self, table: str) -> SqlListModel:
        return self.pages[table].model

    # -- internals ------------------------------------------------------------------------------------------
    def _picked(self, table: str, row_id: str) -> None:
        self.selection.select_item(table, row_id, self)

    def _count_later(self) -> None:
        if self.case is None:
            return
        filters = {t: p.model.filter for t, p in self.pages.items()}
        self._counter.submit(self.case, count_rows, filters)

    def _show_counts(self, counts: object) -> None:
        assert isinstance(counts, dict)
        self.counts = {**self.counts, **counts} if counts else {}
        for i, spec in enumerate(SPECS):
            found = counts.get(spec.table)
            if found is None:
                text = spec.title
            elif found[0] == found[1]:
                text = f"{spec.title} ({found[1]:,})"
            else:
                text = f"{spec.title} ({found[0]:,} of {found[1]:,})"
            self.tabs.setTabText(i, text)

    def _tab_changed(self, _index: int) -> None:
        sel = self.selection.selection
        page = self.pages[self.current_table()]
        page.show_row(sel.row_id if sel.table == page.spec.table else None)

    def _selection_changed(self, sel: Selection, origin: object) -> None:
        related = self.selection.related
        for table, page in self.pages.items():
            page.model.set_related(None if related is None else related.ids(table))
        if origin is self:
            return
        self._show_selected(sel)

    def _show_selected(self, sel: Selection) -> None:
        """Show the selected row in the visible tab only: finding a row deep in a million-row list loads every
        page before it, so hidden tabs catch up when they are opened (``_tab_changed``)."""
        current = self.current_table()
        for table, page in self.pages.items():
            if table == current or sel.table != table:
                page.show_row(sel.row_id if sel.table == table else None)
