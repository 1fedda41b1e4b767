"""The one selection shared by every panel.

A click anywhere becomes a ``Selection`` value set on the ``SelectionModel``. The model works out once what is
related to it (via ``caseboard.db.related``) and emits ``changed(selection, origin)`` only when the value really
changed, which is what stops panels from bouncing selections back and forth. Each panel draws its own view of
``model.related`` and ignores signals whose ``origin`` is itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from caseboard.db import related as related_db
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet
from caseboard.db.related import Related


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


def _links_or_dates(fields: set[str]) -> bool:
    """Columns whose change can change what is related to a selection: references to other rows and dates."""
    return any(f.endswith(("_id", "_start", "_end")) for f in fields)


class SelectionModel(QObject):
    """Holds the current Selection and what is related to it; ``changed`` carries (selection, origin)."""

    changed = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._selection: Selection = EMPTY
        self._related: Related | None = None

    # -- case ------------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        """A new case clears the selection (ids of one case mean nothing in another)."""
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

    def is_active(self) -> bool:
        return self._related is not None

    def set(self, selection: Selection, origin: object = None) -> bool:
        """Select; returns False (and emits nothing) when the selection is unchanged."""
        if selection == self._selection:
            return False
        self._selection = selection
        self._related = self._resolve(selection)
        self.changed.emit(selection, origin)
        return True

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
        """Recompute related ids after an edit and tell the panels, keeping the selection if it still exists."""
        sel = self._selection
        if sel.row_id is not None and self._case is not None and sel.table:
            exists = self._case.conn.execute(
                f"SELECT 1 FROM {sel.table} WHERE id = ?", [sel.row_id]
            ).fetchone()
            if exists is None:
                sel = Selection(time_range=sel.time_range)
        self._selection = sel
        self._related = self._resolve(sel)
        self.changed.emit(sel, None)

    def apply_changes(self, changes: ChangeSet) -> None:
        """After an edit: drop a deleted item from the selection, and work out the related items again only if
        the edit could change them (rows added or removed, links or dates changed)."""
        sel = self._selection
        if sel.empty:
            return
        if sel.row_id is not None and sel.table and sel.row_id in changes.deleted(sel.table):
            sel = Selection(time_range=sel.time_range)
        elif not changes.structural() and not any(_links_or_dates(changes.fields(t)) for t in changes.tables):
            return  # text edits: the same items are related
        self._selection = sel
        self._related = self._resolve(sel)
        self.changed.emit(sel, None)

    def _resolve(self, sel: Selection) -> Related | None:
        if self._case is None or sel.empty:
            return None
        return related_db.selection_related(self._case, sel.table, sel.row_id, sel.time_range)

    def is_selected(self, table: str, row_id: str) -> bool:
        return self._selection.table == table and self._selection.row_id == row_id
