"""Create, read, update and delete for any entity table, validated by ``fields.clean``.

Subject modules (actors, places, ...) wrap these with their own names and rules; this keeps one code path for
validation, history and change reporting.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any, TypeVar

from caseboard.db import fields, refs, rows
from caseboard.db.case import Case
from caseboard.db.errors import NotFoundError, ValidationError
from caseboard.db.model import MODELS

T = TypeVar("T")

_FK_FIELDS = {
    "speaker_id": ("actors", "speaker"),
    "carrier_id": ("actors", "carrier"),
    "shipper_id": ("actors", "shipper"),
    "receiver_id": ("actors", "receiver"),
    "actor_id": ("actors", "actor"),
    "from_actor_id": ("actors", "actor"),
    "to_actor_id": ("actors", "actor"),
    "from_place_id": ("places", "origin"),
    "to_place_id": ("places", "destination"),
    "place_id": ("places", "place"),
    "source_id": ("sources", "source"),
    "via_id": ("sources", "source"),
    "shipment_id": ("shipments", "shipment"),
    "event_id": ("events", "event"),
}


def _check_refs(case: Case, values: Mapping[str, Any]) -> None:
    """Name the missing referent in words before SQLite's bare 'FOREIGN KEY constraint failed'."""
    for field, value in values.items():
        if value is None or field not in _FK_FIELDS:
            continue
        table, words = _FK_FIELDS[field]
        if case.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [value]).fetchone() is None:
            raise ValidationError(field, f"the {words} {value!r} is not in this case.")
    if values.get("subject_table") and values.get("subject_id"):
        table = values["subject_table"]
        if (
            case.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [values["subject_id"]]).fetchone()
            is None
        ):
            raise ValidationError("subject_id", f"the cited {table[:-1]} is not in this case.")


def _execute(case: Case, fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except sqlite3.IntegrityError as exc:
        msg = str(exc)
        if "UNIQUE" in msg or "PRIMARY KEY" in msg:
            raise ValidationError("id", "that item is already in this case.") from None
        raise ValidationError(msg.split(":")[-1].strip() or "value", f"is not allowed ({msg}).") from None


def add(case: Case, table: str, values: Mapping[str, Any]) -> rows.Change:
    clean = fields.clean(table, values)
    _check_refs(case, clean)
    return _execute(case, rows.insert, case, table, clean)


def update(case: Case, table: str, row_id: str, values: Mapping[str, Any]) -> rows.Change:
    clean = fields.clean(table, values, partial=True)
    clean.pop("id", None)
    _check_refs(case, clean)
    return _execute(case, rows.update, case, table, row_id, clean)


def delete(case: Case, table: str, row_id: str, *, cascade: bool = False) -> list[rows.Change]:
    return refs.delete_with_dependents(case, table, row_id, cascade=cascade)


def get(case: Case, table: str, row_id: str) -> Any:
    row = rows.fetch_row(case, table, row_id)
    if row is None:
        raise NotFoundError(f"No {table[:-1]} with id {row_id} in this case.")
    return MODELS[table].from_row(row)


def select(
    case: Case,
    table: str,
    where: str = "1",
    params: list[Any] | tuple = (),
    order: str = "rowid",
    limit: int | None = None,
    offset: int = 0,
) -> list[Any]:
    sql = f"SELECT * FROM {table} WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    cur = case.conn.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    model = MODELS[table]
    return [model.from_row(dict(zip(names, r, strict=True))) for r in cur]


def count(case: Case, table: str, where: str = "1", params: list[Any] | tuple = ()) -> int:
    return case.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", list(params)).fetchone()[0]
