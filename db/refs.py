"""Which rows point at which, so a delete can be refused, explained, or carried through with what goes with it.

Foreign keys in the schema stop dangling references; this module turns that rule into something a user can read
("3 statements quote this actor") and, when asked, into an ordered cascade that ``rows.revert`` can undo whole.
"""

from __future__ import annotations

from typing import Literal

from caseboard.db import rows
from caseboard.db.case import Case
from caseboard.db.errors import NotFoundError, ReferencedError

Action = Literal["delete", "null"]

#: table -> [(child table, child column, what a cascade does to the child, words for one child)]
REFS: dict[str, list[tuple[str, str, Action, str]]] = {
    "actors": [
        ("statements", "speaker_id", "delete", "statement by this speaker"),
        ("legs", "carrier_id", "null", "leg carried by this actor"),
        ("shipments", "shipper_id", "null", "shipment shipped by this actor"),
        ("shipments", "receiver_id", "null", "shipment received by this actor"),
        ("event_actors", "actor_id", "delete", "event involvement"),
        ("relationships", "from_actor_id", "delete", "relationship of this actor"),
        ("relationships", "to_actor_id", "delete", "relationship to this actor"),
    ],
    "places": [
        ("legs", "from_place_id", "null", "leg starting here"),
        ("legs", "to_place_id", "null", "leg ending here"),
        ("events", "place_id", "null", "event here"),
    ],
    "sources": [
        ("statements", "source_id", "null", "statement from this source"),
        ("sources", "via_id", "null", "source known through this one"),
    ],
    "shipments": [
        ("legs", "shipment_id", "delete", "leg of this shipment"),
        ("events", "shipment_id", "null", "event of this shipment"),
    ],
    "events": [("event_actors", "event_id", "delete", "involved actor")],
    "legs": [],
    "statements": [],
    "relationships": [],
    "citations": [],
}


def _plural(n: int, words: str) -> str:
    head, _, tail = words.partition(" ")
    if n != 1:
        head = head[:-1] + "ies" if head.endswith("y") and head not in ("key",) else head + "s"
    return f"{n} {head} {tail}".strip()


def dependents(case: Case, table: str, row_id: str) -> dict[str, int]:
    """Readable description -> count of the rows that refer to this one (citations included)."""
    out: dict[str, int] = {}
    for child, column, _action, words in REFS.get(table, []):
        n = case.conn.execute(f"SELECT count(*) FROM {child} WHERE {column} = ?", [row_id]).fetchone()[0]
        if n:
            out[_plural(n, words)] = n
    n = case.conn.execute(
        "SELECT count(*) FROM citations WHERE subject_table = ? AND subject_id = ?", [table, row_id]
    ).fetchone()[0]
    if n:
        out[_plural(n, "citation")] = n
    if table == "sources":
        n = case.conn.execute("SELECT count(*) FROM citations WHERE source_id = ?", [row_id]).fetchone()[0]
        if n:
            out[_plural(n, "citation of this source")] = n
    return out


def delete_with_dependents(case: Case, table: str, row_id: str, *, cascade: bool) -> list[rows.Change]:
    """Delete a row; refuse with a ReferencedError naming what refers to it unless ``cascade``."""
    if rows.fetch_row(case, table, row_id) is None:
        raise NotFoundError(f"No {table[:-1]} with id {row_id} in this case.")
    deps = dependents(case, table, row_id)
    # Citations *of* a fact are part of it, not independent evidence: they always go with it.
    blocking = {k: v for k, v in deps.items() if "citation" not in k or table == "sources"}
    if blocking and not cascade:
        what = ", ".join(blocking)
        raise ReferencedError(
            f"Cannot delete this {table[:-1]}: {what} refer to it. Delete those first, or delete with everything "
            "that goes with it.",
            blocking,
        )
    changes: list[rows.Change] = []
    with case.transaction():
        for child, column, action, _words in REFS.get(table, []):
            ids = [
                r[0]
                for r in case.conn.execute(
                    f"SELECT {_id_expr(child)} FROM {child} WHERE {column} = ?", [row_id]
                ).fetchall()
            ]
            for child_id in ids:
                if action == "delete":
                    changes.extend(delete_with_dependents(case, child, child_id, cascade=True))
                else:
                    changes.append(rows.update(case, child, child_id, {column: None}))
        cites = case.conn.execute(
            "SELECT id FROM citations WHERE (subject_table = ? AND subject_id = ?) OR (? = 'sources' AND source_id = ?)",
            [table, row_id, table, row_id],
        ).fetchall()
        for (cid,) in cites:
            changes.append(rows.delete(case, "citations", cid))
        changes.append(rows.delete(case, table, row_id))
    return changes


def _id_expr(table: str) -> str:
    return "event_id || '|' || actor_id || '|' || role" if table == "event_actors" else "id"
