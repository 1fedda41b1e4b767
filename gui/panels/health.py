"""Case health: what a reader could not check, listed so each row selects its item in every panel.

The counts come first (one aggregate per check, on a worker), then the items, at most ``LISTED`` per check, on a
second pass; the score line ("412 of 500 facts sourced") goes to the status bar through ``score_changed``. Every
row's text is set as plain text: labels come from the case file, which may come from someone else.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import health, schema
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet, Draws
from caseboard.gui.panels.style import plain_tooltip
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.workers import Worker

#: Items listed per check in the panel (the counts are always exact; `caseboard health --all` lists every one).
LISTED = 500
ROLE_ITEM = Qt.ItemDataRole.UserRole
#: Checks that are fine at zero and worth a look above it; the first two are the ones the score is about.
SERIOUS = ("unsourced", "date_conflicts", "duplicate_actors")


def _score(conn: sqlite3.Connection) -> health.Health:
    return health.score(conn)


def _counts(conn: sqlite3.Connection) -> health.Health:
    return health.counts(conn)


def _report(conn: sqlite3.Connection) -> health.Health:
    return health.report(conn, limit=LISTED)


class HealthPanel(QWidget):
    """A tree: one branch per check with its count, the items found under it."""

    score_changed = Signal(str)
    #: What the checks read (``gui.commands.ChangeListener``): every fact table and its citations, and what of a
    #: source decides grading and independence. Other edits (history, layout) leave the panel alone.
    draws: Draws = {
        **{t: None for t in schema.CITABLE},
        "citations": None,
        "sources": ("label", "title", "reliability", "via_id"),
    }

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self.health: health.Health | None = None
        self.summary = QLabel("No case open")
        self.summary.setObjectName("health_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold; padding: 2px 4px;")
        self.recheck = QPushButton("Check again")
        self.recheck.setToolTip("Run every check again on the case file")
        self.recheck.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.recheck)
        self.tree = QTreeWidget()
        self.tree.setObjectName("health_tree")
        self.tree.setHeaderLabels(["Check / item", "Why"])
        self.tree.setColumnWidth(0, 330)
        self.tree.setUniformRowHeights(True)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.tree)
        self._count_worker = Worker(self)
        self._count_worker.finished.connect(self._show_counts)
        self._count_worker.failed.connect(self._failed)
        self._score_worker = Worker(self)
        self._score_worker.finished.connect(lambda h: self.score_changed.emit(h.score_line()))
        #: Whether the panel is on screen (the window tells it from its dock); the checks beyond the score run
        #: only then, so a large case opening does not spend a core on a panel nobody is looking at.
        self.shown = True
        self._stale = False
        self._list_worker = Worker(self)
        self._list_worker.finished.connect(self._show_items)
        self._list_worker.failed.connect(self._failed)
        selection.changed.connect(self._selection_changed)
        self._again = QTimer(self)  # a burst of edits (an import, undo of many) is checked once, after it
        self._again.setSingleShot(True)
        self._again.setInterval(250)
        self._again.timeout.connect(self.refresh)

    def apply_changes(self, changes: ChangeSet) -> None:
        """An edit touched what the checks read: check again shortly (the whole case: health is about all of it)."""
        self._again.start()

    # -- case ------------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._count_worker.cancel()
        self._list_worker.cancel()
        self.tree.clear()
        self.health = None
        self._score_worker.cancel()
        if case is None:
            self.summary.setText("No case open")
            self.score_changed.emit("")
            return
        self.refresh()

    def set_shown(self, shown: bool) -> None:
        """The panel came on screen (its tab chosen, its dock shown) or went off it."""
        self.shown = shown
        if shown and self._stale:
            self.refresh()

    def refresh(self, *, wait: bool = False) -> None:
        """Check the case again: counts first, then the items (``wait``: on this thread, for tests and shots)."""
        if self.case is None:
            return
        if wait:
            self._count_worker.cancel()  # a check still under way would redraw the tree with older answers
            self._list_worker.cancel()
            self._show_counts(_counts(self.case.conn))
            self._show_items(_report(self.case.conn))
            return
        self._score_worker.submit(self.case, _score)
        if not self.shown:
            self._stale = True  # the rest is checked when the panel is shown
            return
        self._stale = False
        self.summary.setText("Checking the case…")
        self._count_worker.submit(self.case, _counts)
        self._list_worker.cancel()

    def _failed(self, message: str) -> None:
        self.summary.setText(f"The check could not finish: {message.splitlines()[0]}")

    # -- showing ---------------------------------------------------------------------------------------------
    def _show_counts(self, found: object) -> None:
        assert isinstance(found, health.Health)
        self.health = found
        self.summary.setText(self._summary_text(found))
        self.score_changed.emit(found.score_line())
        self.tree.clear()
        for check in found.checks:
            branch = QTreeWidgetItem([f"{check.title}: {check.count:,}", ""])
            branch.setData(0, ROLE_ITEM, check.key)
            font = QFont(branch.font(0))
            font.setBold(check.count > 0)
            branch.setFont(0, font)
            if check.count and check.key in SERIOUS:
                branch.setForeground(0, QBrush(QColor("#b3261e")))
            elif not check.count:
                branch.setForeground(0, QBrush(QColor("#5f6368")))
            if check.count:
                branch.addChild(QTreeWidgetItem(["listing…", ""]))
            self.tree.addTopLevelItem(branch)
        if self.case is not None:
            self._list_worker.submit(self.case, _report)

    @staticmethod
    def _summary_text(found: health.Health) -> str:
        single = found.check("single_source").count
        problems = sum(c.count for c in found.checks if c.key not in ("single_source", "unsourced"))
        tail = "no other problem found" if problems == 0 else f"{problems:,} other items to look at"
        return f"{found.score_line()}; {single:,} on one source only; {tail}"

    def _show_items(self, found: object) -> None:
        assert isinstance(found, health.Health)
        self.health = found
        self.summary.setText(self._summary_text(found))
        self.score_changed.emit(found.score_line())
        open_keys = {
            self.tree.topLevelItem(i).data(0, ROLE_ITEM)
            for i in range(self.tree.topLevelItemCount())
            if self.tree.topLevelItem(i).isExpanded()
        }
        self.tree.setUpdatesEnabled(False)
        try:
            for i, check in enumerate(found.checks):
                branch = self.tree.topLevelItem(i)
                if branch is None:
                    continue
                branch.setText(0, f"{check.title}: {check.count:,}")
                branch.takeChildren()
                rows = []
                for f in check.findings:
                    row = QTreeWidgetItem([f"{health.SINGULAR.get(f.table, f.table)}: {f.label}", f.detail])
                    row.setData(0, ROLE_ITEM, (f.table, f.row_id))
                    row.setToolTip(0, plain_tooltip(f.label))
                    row.setToolTip(1, plain_tooltip(f.detail))
                    rows.append(row)
                if check.truncated:
                    more = QTreeWidgetItem([f"… and {check.count - len(check.findings):,} more", ""])
                    more.setToolTip(0, "caseboard health CASE --all lists every item")
                    rows.append(more)
                branch.addChildren(rows)
                branch.setExpanded(check.key in open_keys or (check.key in SERIOUS and 0 < check.count <= 50))
        finally:
            self.tree.setUpdatesEnabled(True)
        self._mark(self.selection.selection)

    # -- selection -------------------------------------------------------------------------------------------
    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, ROLE_ITEM)
        if isinstance(target, tuple):
            self.selection.select_item(target[0], target[1], origin=self)

    def _selection_changed(self, sel: Selection, origin: object) -> None:
        if origin is not self:
            self._mark(sel)

    def _mark(self, sel: Selection) -> None:
        """Show the selected item's rows (it may be listed under several checks) as selected."""
        self.tree.blockSignals(True)
        try:
            self.tree.clearSelection()
            if not sel.has_item:
                return
            first = None
            for i in range(self.tree.topLevelItemCount()):
                branch = self.tree.topLevelItem(i)
                for j in range(branch.childCount()):
                    row = branch.child(j)
                    if row.data(0, ROLE_ITEM) == (sel.table, sel.row_id):
                        row.setSelected(True)
                        first = first or row
            if first is not None:
                self.tree.scrollToItem(first)
        finally:
            self.tree.blockSignals(False)

    def rows(self, key: str) -> list[tuple[str, str, str]]:
        """(table, id, text) of the rows listed under one check, as shown (for tests)."""
        for i in range(self.tree.topLevelItemCount()):
            branch = self.tree.topLevelItem(i)
            if branch.data(0, ROLE_ITEM) == key:
                return [
                    (*branch.child(j).data(0, ROLE_ITEM), branch.child(j).text(0))
                    for j in range(branch.childCount())
                    if isinstance(branch.child(j).data(0, ROLE_ITEM), tuple)
                ]
        return []
