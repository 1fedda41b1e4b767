"""What one edit did, as one value: the tables and ids it inserted, updated and deleted, and who started it.

Every write goes through ``db.rows``, which reports each changed row as a ``Change`` (whole row before and
after). A ``ChangeSet`` gathers the Change rows of one edit (or of its undo or redo) so that each view can ask
the few questions it needs — "did my table change?", "were rows added or removed?", "was my item touched?" —
and update only what it shows, instead of re-reading the whole case after every keystroke.

No Qt here: the command line and tests build change sets too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from caseboard.db.rows import Change

#: What a view draws: table -> the columns it shows (``None``: any column matters).
Draws = Mapping[str, Collection[str] | None]


@dataclass(frozen=True)
class ChangeSet:
    """The row changes of one edit, undo or redo, by table, with the action's label and its initiator.

    ``initiator`` is whoever started the edit (a panel, a dialog, ``"undo"``/``"redo"``, ``"import"``...): a
    view that made the change itself (a dragged map pin) can skip redrawing what it already shows.
    """

    changes: tuple[Change, ...]
    label: str = ""
    initiator: object = None
    _by_table: dict[str, tuple[Change, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by: dict[str, list[Change]] = {}
        for ch in self.changes:
            by.setdefault(ch.table, []).append(ch)
        object.__setattr__(self, "_by_table", {t: tuple(v) for t, v in by.items()})

    @classmethod
    def of(cls, changes: Iterable[Change], *, label: str = "", initiator: object = None) -> ChangeSet:
        """Build from Change rows, dropping updates that changed nothing."""
        kept = tuple(c for c in changes if c.action != "update" or c.old != c.new)
        return cls(kept, label, initiator)

    # -- questions a view asks ----------------------------------------------------------------------------------
    def __bool__(self) -> bool:
        return bool(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self._by_table)

    def of_table(self, table: str) -> tuple[Change, ...]:
        return self._by_table.get(table, ())

    def ids(self, table: str, action: str | None = None) -> set[str]:
        """Ids of ``table`` the edit touched (only those with ``action`` when given)."""
        return {c.row_id for c in self.of_table(table) if action is None or c.action == action}

    def inserted(self, table: str) -> set[str]:
        return self.ids(table, "insert")

    def updated(self, table: str) -> set[str]:
        return self.ids(table, "update")

    def deleted(self, table: str) -> set[str]:
        return self.ids(table, "delete")

    def count_delta(self, table: str) -> int:
        """Rows added minus rows removed: what a count of ``table`` moves by."""
        return len(self.inserted(table)) - len(self.deleted(table))

    def structural(self, table: str | None = None) -> bool:
        """Rows were inserted or deleted (in ``table``, or anywhere)."""
        changes = self.changes if table is None else self.of_table(table)
        return any(c.action != "update" for c in changes)

    def fields(self, table: str) -> set[str]:
        """Columns of ``table`` whose values changed (every column for inserted and deleted rows)."""
        out: set[str] = set()
        for c in self.of_table(table):
            out.update(c.changed_fields)
        return out

    def touches(self, draws: Draws) -> bool:
        """Whether anything a view draws changed: a row added or removed in one of its tables, or a shown column."""
        for table, columns in draws.items():
            for c in self.of_table(table):
                if c.action != "update" or columns is None:
                    return True
                if any(f in columns for f in c.changed_fields):
                    return True
        return False

    def mentions(self, row_id: str) -> bool:
        """The row itself changed, or a changed row refers to it (a citation of it, a leg to it, its speaker)."""
        for c in self.changes:
            if c.row_id == row_id or row_id in c.row_id.split("|"):
                return True
            for row in (c.old, c.new):
                if row and any(v == row_id for v in row.values()):
                    return True
        return False

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of ``table`` as they are now (inserted or updated), for views that patch instead of reload."""
        return [c.new for c in self.of_table(table) if c.new is not None]
