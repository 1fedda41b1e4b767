"""Generic row writes: every edit goes through here so it is logged in ``history`` and reported as a Change.

A ``Change`` holds the whole row before and after, which is all an undo needs: ``revert`` puts the old rows back
(ids included), so an undo of a cascading delete restores everything that went with it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    _log_many(case, [change])


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


def insert_many(case: Case, table: str, values_list: Iterable[Mapping[str, Any]]) -> list[Change]:
    """``insert`` for many rows of one table: the same rows, history, FTS entries and Changes, in a few
    statements (an import of 150,000 rows spent most of its minute on four queries a row)."""
    case.require_writable()
    keys = _key(table, case)
    prepared = []
    for v in values_list:
        v = dict(v)
        if keys == ("id",) and not v.get("id"):
            v["id"] = new_id()
        prepared.append(v)
    if not prepared:
        return []
    with case.transaction():
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for v in prepared:
            groups.setdefault(tuple(v), []).append(v)
        for cols, group in groups.items():
            marks = ", ".join("?" for _ in cols)
            case.conn.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", [list(v.values()) for v in group]
            )
        wanted = [_row_id(table, v, case) for v in prepared]
        stored = _fetch_many(case, table, keys, wanted)
        _fts_many(case, table, [stored[i] for i in wanted], delete=False)
        changes = [Change(table, i, "insert", None, stored[i][1]) for i in wanted]
        _log_many(case, changes)
    return changes


def _fts_many(case: Case, table: str, stored: list[tuple[int, dict[str, Any]]], *, delete: bool) -> None:
    """Add (or, with ``delete``, remove) these (rowid, row) pairs to the table's FTS5 index in one statement."""
    if table not in _FTS_BY_TABLE:
        return
    fts, cols = _FTS_BY_TABLE[table]
    names, marks = ", ".join(cols), ", ".join("?" for _ in cols)
    head = f"{fts}({fts}, rowid, {names}) VALUES ('delete', " if delete else f"{fts}(rowid, {names}) VALUES ("
    case.conn.executemany(
        f"INSERT INTO {head}?, {marks})",
        [[rowid, *[row.get(c) or "" for c in cols]] for rowid, row in stored],
    )


def _fetch_many(
    case: Case, table: str, keys: Sequence[str], wanted: Sequence[str]
) -> dict[str, tuple[int, dict[str, Any]]]:
    """row id -> (rowid, whole row) for ``wanted``, selected by the first key column in chunks."""
    first = sorted({w.split("|")[0] if len(keys) > 1 else w for w in wanted})
    want = set(wanted)
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for start in range(0, len(first), 50000):
        cur = case.conn.execute(
            f"SELECT rowid, * FROM {table} WHERE {keys[0]} IN (SELECT value FROM json_each(?))",
            [json.dumps(first[start : start + 50000])],
        )
        names = [d[0] for d in cur.description][1:]
        for rowid, *values in cur:
            row = dict(zip(names, values, strict=True))
            row_id = _row_id(table, row, case)
            if row_id in want:
                out[row_id] = (rowid, row)
    return out


def _log_many(case: Case, changes: Sequence[Change]) -> None:
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
    label = case.history_label
    case.conn.executemany(
        "INSERT INTO history(at, action, table_name, row_id, old, new, label) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                now,
                ch.action,
                ch.table,
                ch.row_id,
                None if ch.old is None else json.dumps(ch.old, ensure_ascii=False),
                None if ch.new is None else json.dumps(ch.new, ensure_ascii=False),
                label,
            ]
            for ch in changes
        ],
    )


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


def delete_many(case: Case, table: str, row_ids: Sequence[str]) -> list[Change]:
    """``delete`` for many rows of one table, in this order, in a few statements (undoing a large import)."""
    case.require_writable()
    keys = _key(table, case)
    with case.transaction():
        stored = _fetch_many(case, table, keys, row_ids)
        missing = [i for i in row_ids if i not in stored]
        if missing:
            raise NotFoundError(f"No {table[:-1]} with id {missing[0]} in this case.")
        _fts_many(case, table, [stored[i] for i in row_ids], delete=True)
        case.conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", [[stored[i][0]] for i in row_ids])
        changes = [Change(table, i, "delete", stored[i][1], None) for i in row_ids]
        _log_many(case, changes)
    return changes


def _runs(changes: Iterable[Change]) -> Iterator[list[Change]]:
    """Consecutive changes of one action on one table, together: inserts and deletes are replayed in batches."""
    run: list[Change] = []
    for ch in changes:
        if run and (ch.table, ch.action) != (run[0].table, run[0].action):
            yield run
            run = []
        run.append(ch)
    if run:
        yield run


def revert(case: Case, changes: Iterable[Change]) -> list[Change]:
    """Undo ``changes`` (in reverse order) in one transaction; returns the changes the undo made."""
    done: list[Change] = []
    with case.transaction():
        for run in _runs(reversed(list(changes))):
            table, action = run[0].table, run[0].action
            if action == "insert":
                done += delete_many(case, table, [ch.row_id for ch in run])
            elif action == "delete":
                done += insert_many(case, table, [ch.old for ch in run if ch.old is not None])
            else:
                for ch in run:
                    assert ch.old is not None
                    done.append(update(case, table, ch.row_id, ch.old))
    return done


def reapply(case: Case, changes: Iterable[Change]) -> list[Change]:
    """Redo ``changes`` in order, restoring the exact rows (ids included) they produced."""
    done: list[Change] = []
    with case.transaction():
        for run in _runs(changes):
            table, action = run[0].table, run[0].action
            if action == "insert":
                done += insert_many(case, table, [ch.new for ch in run if ch.new is not None])
            elif action == "delete":
                done += delete_many(case, table, [ch.row_id for ch in run])
            else:
                for ch in run:
                    assert ch.new is not None
                    done.append(update(case, table, ch.row_id, ch.new))
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
