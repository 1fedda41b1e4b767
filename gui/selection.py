"""The one selection shared by every panel.

A click anywhere becomes a ``Selection`` value set on the ``SelectionModel``. The model works out once what is
related to it (via ``caseboard.db.related``) and emits ``changed(selection, origin)`` only when the value really
changed, which is what stops panels from bouncing selections back and forth. Each panel draws its own view of
``model.related`` and ignores signals whose ``origin`` is itself.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from caseboard.db import related as related_db
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet
from caseboard.db.related import Related
from caseboard.gui.workers import Worker


@dataclass(frozen=True)
class Selection:
    """What the user has selected: one item (table and id), a time range in day numbers, or both."""

    table: str | None = None
    row_id: str | None = None
    time_range: tuple[int, int] | None = None

    @property
    def empty(self) -> bool:
        return self.row_id is None and self.time_range is None

    @property
    def has_item(self) -> bool:
        return self.row_id is not None


EMPTY = Selection()


def _links_or_dates(fields: set[str], *, dates: bool) -> bool:
    """Columns whose change can change what is related to a selection: references to other rows, and dates
    when the selection has a time range."""
    ends = ("_id", "_start", "_end") if dates else ("_id",)
    return any(f.endswith(ends) for f in fields)


def _resolve(conn: sqlite3.Connection, case: Case, sel: Selection) -> tuple[Selection, Related | None]:
    """On a worker: what ``sel`` covers, dropping an item that no longer exists (deleted meanwhile)."""
    reader = Case(case.path, conn, readonly_reason="selection reader")
    if sel.row_id is not None and sel.table and not related_db.exists(reader, sel.table, sel.row_id):
        sel = Selection(time_range=sel.time_range)
    if sel.empty:
        return sel, None
    return sel, related_db.selection_related(reader, sel.table, sel.row_id, sel.time_range)


class SelectionModel(QObject):
    """Holds the current Selection and what is related to it; ``changed`` carries (selection, origin).

    Working out what is related reads the case (thousands of rows for a busy actor in a large case), so it runs
    on a ``Worker``: ``set`` returns at once, and ``changed`` follows when the related items are known. A newer
    selection made meanwhile replaces the lookup (interrupted; a late answer is dropped). ``pending`` is True in
    between; ``wait()`` blocks until the answer is in (tests, the command line, bench).
    """

    changed = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._selection: Selection = EMPTY
        self._related: Related | None = None
        self._origin: object = None
        self._resolver = Worker(self, on_result=self._resolved, on_failure=self._failed)

    # -- case ------------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        """A new case clears the selection (ids of one case mean nothing in another)."""
        self._resolver.cancel()
        self._case = case
        self._selection = EMPTY
        self._related = None
        self.changed.emit(EMPTY, None)

    @property
    def case(self) -> Case | None:
        return self._case

    # -- selection ---------------------------------------------------------------------------------------------
    @property
    def selection(self) -> Selection:
        return self._selection

    @property
    def related(self) -> Related | None:
        """Ids related to the selection per table, or None when nothing is selected (show everything)."""
        return self._related

    @property
    def pending(self) -> bool:
        """A lookup of related items is under way; ``changed`` will follow."""
        return self._resolver.busy

    def is_active(self) -> bool:
        return self._related is not None

    def set(self, selection: Selection, origin: object = None) -> bool:
        """Select; returns False (and emits nothing) when the selection is unchanged.

        An empty selection is announced at once; any other after its related items are read (see the class).
        """
        if selection == self._selection:
            return False
        self._selection = selection
        self._origin = origin
        self._lookup(selection)
        return True

    def _lookup(self, sel: Selection) -> None:
        if self._case is None or sel.empty:
            self._resolver.cancel()
            self._related = None
            self.changed.emit(sel, self._origin)
            return
        self._resolver.submit(self._case, _resolve, self._case, sel)

    def _resolved(self, answer: object) -> None:
        assert isinstance(answer, tuple)
        sel, related = answer
        self._selection = sel
        self._related = related
        self.changed.emit(sel, self._origin)

    def _failed(self, message: str) -> None:
        """A lookup that failed (a damaged row, a locked file) leaves the selection shown without its links."""
        self._related = None
        self.changed.emit(self._selection, self._origin)

    def wait(self, msecs: int = 10000) -> bool:
        """Block until the related items are known and ``changed`` was emitted; False on time-out."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QThread

        deadline = QDeadlineTimer(msecs)
        while self.pending and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            if self.pending:
                QThread.msleep(1)
        return not self.pending

    def select_item(self, table: str, row_id: str, origin: object = None) -> bool:
        return self.set(Selection(table, row_id, self._selection.time_range), origin)

    def select_range(self, start_day: int, end_day: int, origin: object = None) -> bool:
        lo, hi = sorted((int(start_day), int(end_day)))
        return self.set(Selection(self._selection.table, self._selection.row_id, (lo, hi)), origin)

    def clear_range(self, origin: object = None) -> bool:
        return self.set(Selection(self._selection.table, self._selection.row_id, None), origin)

    def clear(self, origin: object = None) -> bool:
        return self.set(EMPTY, origin)

    def refresh(self) -> None:
        """Work out the related items again (View > Reload), keeping the selection if its item still exists."""
        self._origin = None
        self._lookup(self._selection)

    def apply_changes(self, changes: ChangeSet) -> None:
        """After an edit: drop a deleted item from the selection, and work out the related items again only if
        the edit could change them (rows added or removed, links or dates changed)."""
        sel = self._selection
        if sel.empty:
            return
        if sel.row_id is not None and sel.table and sel.row_id in changes.deleted(sel.table):
            sel = Selection(time_range=sel.time_range)
        elif not changes.structural() and not any(
            _links_or_dates(changes.fields(t), dates=sel.time_range is not None) for t in changes.tables
        ):
            return  # text edits (and date edits when no range is selected): the same items are related
        self._selection = sel
        self._origin = None
        self._lookup(sel)

    def is_selected(self, table: str, row_id: str) -> bool:
        return self._selection.table == table and self._selection.row_id == row_id
