"""Generic row writes: every edit goes through here so it is logged in ``history`` and reported as a Change.

A ``Change`` holds the whole row before and after, which is all an undo needs: ``revert`` puts the old rows back
(ids included), so an undo of a cascading delete restores everything that went with it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from caseboard.db.case import Case
from caseboard.db.errors import NotFoundError
from caseboard.db.schema import FTS

Action = Literal["insert", "update", "delete"]

#: Tables edits may touch, in the order rows must be re-inserted when undoing a cascade (parents first).
TABLE_ORDER = (
    "sources",
    "actors",
    "places",
    "shipments",
    "legs",
    "events",
    "event_actors",
    "statements",
    "relationships",
    "citations",
)


@dataclass(frozen=True)
class Change:
    """One row changed by an edit: enough to refresh a view of it, log it and undo it."""

    table: str
    row_id: str
    action: Action
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def changed_fields(self) -> list[str]:
        if self.old is None or self.new is None:
            return list((self.new or self.old or {}).keys())
        return [k for k in self.new if self.old.get(k) != self.new.get(k)]


def new_id() -> str:
    """A random 32-hex id: stable across merges of case files, usable as a FollowTheMoney entity id."""
    return uuid.uuid4().hex


_KNOWN_KEYS = {"event_actors": ("event_id", "actor_id", "role"), "case_info": ("key",)}


def _key(table: str, case: Case | None = None) -> Sequence[str]:
    """The primary key columns of ``table``; read from the schema for tables this module was not told about."""
    if table in _KNOWN_KEYS:
        return _KNOWN_KEYS[table]
    if table in TABLE_ORDER or case is None:
        return ("id",)
    info = case.conn.execute(f"PRAGMA table_info({table})").fetchall()
    pk = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    return pk or ("id",)


def _row_id(table: str, row: Mapping[str, Any], case: Case | None = None) -> str:
    return "|".join(str(row[k]) for k in _key(table, case))


def fetch_row(case: Case, table: str, row_id: str) -> dict[str, Any] | None:
    keys = _key(table, case)
    parts = row_id.split("|") if len(keys) > 1 else [row_id]
    where = " AND ".join(f"{k} = ?" for k in keys)
    cur = case.conn.execute(f"SELECT * FROM {table} WHERE {where}", parts)
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


_FTS_BY_TABLE = {table: (fts, cols) for fts, table, cols in FTS}


def _fts_sync(
    case: Case, table: str, rowid: int, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> None:
    """Mirror a row change into its FTS5 index (external content: the old values must be given to delete)."""
    spec = _FTS_BY_TABLE.get(table)
    if spec is None:
        return
    fts, cols = spec
    if old is not None and new is not None and all(old.get(c) == new.get(c) for c in cols):
        return
    names = ", ".join(cols)
    marks = ", ".join("?" for _ in cols)
    if old is not None:
        case.conn.execute(
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', ?, {marks})",
            [rowid, *[old.get(c) or "" for c in cols]],
        )
    if new is not None:
        case.conn.execute(
            f"INSERT INTO {fts}(rowid, {names}) VALUES (?, {marks})",
            [rowid, *[new.get(c) or "" for c in cols]],
        )


def _log(case: Case, change: Change) -> None:
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
    case.conn.execute(
        "INSERT INTO history(at, action, table_name, row_id, old, new, label) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            now,
            change.action,
            change.table,
            change.row_id,
            None if change.old is None else json.dumps(change.old, ensure_ascii=False),
            None if change.new is None else json.dumps(change.new, ensure_ascii=False),
            case.history_label,
        ],
    )


def insert(case: Case, table: str, values: Mapping[str, Any]) -> Change:
    case.require_writable()
    values = dict(values)
    if _key(table, case) == ("id",) and not values.get("id"):
        values["id"] = new_id()
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    with case.transaction():
        cur = case.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
        row_id = _row_id(table, values, case)
        new = fetch_row(case, table, row_id)
        _fts_sync(case, table, cur.lastrowid or 0, None, new)
        change = Change(table, row_id, "insert", None, new)
        _log(case, change)
    return change


def update(case: Case, table: str, row_id: str, values: Mapping[str, Any]) -> Change:
    case.require_writable()
    with case.transaction():
        old = fetch_row(case, table, row_id)
        if old is None:
            raise NotFoundError(f"No {table[:-1]} with id {row_id} in this case.")
        values = {k: v for k, v in values.items() if old.get(k) != v}
        keys = _key(table, case)
        where = " AND ".join(f"{k} = ?" for k in keys)
        parts = row_id.split("|") if len(keys) > 1 else [row_id]
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            case.conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*values.values(), *parts])
        new = fetch_row(case, table, row_id)
        if values and table in _FTS_BY_TABLE:
            rowid = case.conn.execute(f"SELECT rowid FROM {table} WHERE {where}", parts).fetchone()[0]
            _fts_sync(case, table, rowid, old, new)
        change = Change(table, row_id, "update", old, new)
        if values:
            _log(case, change)
    return change


def delete(case: Case, table: str, row_id: str) -> Change:
    case.require_writable()
    keys = _key(table, case)
    parts = row_id.split("|") if len(keys) > 1 else [row_id]
    with case.transaction():
        old = fetch_row(case, table, row_id)
        if old is None:
            raise NotFoundError(f"No {table[:-1]} with id {row_id} in this case.")
        where = " AND ".join(f"{k} = ?" for k in keys)
        if table in _FTS_BY_TABLE:
            rowid = case.conn.execute(f"SELECT rowid FROM {table} WHERE {where}", parts).fetchone()[0]
            _fts_sync(case, table, rowid, old, None)
        case.conn.execute(f"DELETE FROM {table} WHERE {where}", parts)
        change = Change(table, row_id, "delete", old, None)
        _log(case, change)
    return change


def revert(case: Case, changes: Iterable[Change]) -> list[Change]:
    """Undo ``changes`` (in reverse order) in one transaction; returns the changes the undo made."""
    done: list[Change] = []
    with case.transaction():
        for ch in reversed(list(changes)):
            if ch.action == "insert":
                done.append(delete(case, ch.table, ch.row_id))
            elif ch.action == "delete":
                assert ch.old is not None
                done.append(insert(case, ch.table, ch.old))
            else:
                assert ch.old is not None
                done.append(update(case, ch.table, ch.row_id, ch.old))
    return done


def reapply(case: Case, changes: Iterable[Change]) -> list[Change]:
    """Redo ``changes`` in order, restoring the exact rows (ids included) they produced."""
    done: list[Change] = []
    with case.transaction():
        for ch in changes:
            if ch.action == "insert":
                assert ch.new is not None
                done.append(insert(case, ch.table, ch.new))
            elif ch.action == "delete":
                done.append(delete(case, ch.table, ch.row_id))
            else:
                assert ch.new is not None
                done.append(update(case, ch.table, ch.row_id, ch.new))
    return done


def history_of(case: Case, table: str, row_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """The logged changes of one row, newest first, with old and new values decoded."""
    cur = case.conn.execute(
        "SELECT seq, at, action, old, new, label FROM history WHERE table_name = ? AND row_id = ? "
        "ORDER BY seq DESC LIMIT ?",
        [table, row_id, limit],
    )
    out = []
    for seq, at, action, old, new, label in cur:
        out.append(
            {
                "seq": seq,
                "at": at,
                "action": action,
                "old": json.loads(old) if old else None,
                "new": json.loads(new) if new else None,
                "label": label,
            }
        )
    return out


def snapshot(case: Case) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every edited table, order-free: equal snapshots mean an undo restored the case exactly."""
    return {
        t: sorted(map(tuple, case.conn.execute(f"SELECT * FROM {t}").fetchall()), key=repr)
        for t in TABLE_ORDER
    }
