"""Relationships between actors: "Russia is flag state of M/V Angara", with dates, role and citations.

A relationship is a fact like any other: it goes through ``crud`` (validation, history, Change rows for undo) and
cites sources with a credibility grade. Its span is two partial dates, ``since`` and ``until``, stored like every
date (EDTF text plus first and last day); either may be unknown, meaning "open" on that side.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from caseboard.db import citations, crud
from caseboard.db.case import Case
from caseboard.db.model import Relationship
from caseboard.db.rows import Change


def add_relationship(
    case: Case,
    *,
    from_actor_id: str,
    to_actor_id: str,
    kind: str,
    cite: Iterable[tuple[str, int]] = (),
    **fields: Any,
) -> list[Change]:
    """Add a relationship and its citations ((source id, credibility) pairs) as one transaction."""
    with case.transaction():
        change = crud.add(
            case,
            "relationships",
            {"from_actor_id": from_actor_id, "to_actor_id": to_actor_id, "kind": kind, **fields},
        )
        changes = [change]
        for source_id, credibility in cite:
            changes.append(citations.cite(case, "relationships", change.row_id, source_id, credibility))
    return changes


def update_relationship(case: Case, relationship_id: str, **fields: Any) -> Change:
    return crud.update(case, "relationships", relationship_id, fields)


def delete_relationship(case: Case, relationship_id: str) -> list[Change]:
    """Its citations go with it: they are part of the fact, not evidence of their own."""
    return crud.delete(case, "relationships", relationship_id, cascade=True)


def get_relationship(case: Case, relationship_id: str) -> Relationship:
    return crud.get(case, "relationships", relationship_id)


def list_relationships(case: Case, *, limit: int | None = None, offset: int = 0) -> list[Relationship]:
    return crud.select(
        case, "relationships", order="since_start IS NULL, since_start, rowid", limit=limit, offset=offset
    )


def relationships_of(case: Case, actor_id: str) -> list[Relationship]:
    """Every relationship with ``actor_id`` at either end."""
    return crud.select(
        case,
        "relationships",
        "from_actor_id = ?1 OR to_actor_id = ?1",
        [actor_id],
        order="since_start IS NULL, since_start, rowid",
    )


#: SQL condition "the relationship may have held at some day in [?lo, ?hi]" (an unknown end is open).
VALID_IN = "(since_start IS NULL OR since_start <= :hi) AND (until_end IS NULL OR until_end >= :lo)"


def valid_in(conn: sqlite3.Connection, start_day: int, end_day: int) -> set[str]:
    """Ids of the relationships that may have held on some day of [start_day, end_day]."""
    return {
        r[0]
        for r in conn.execute(
            f"SELECT id FROM relationships WHERE {VALID_IN}", {"lo": start_day, "hi": end_day}
        )
    }


def span_text(rel: Relationship) -> str:
    """The span as a reader says it: "since Sept 2023", "until about 29 Sept 2023", "2019 – 2023"."""
    since = rel.since.display() if rel.since else ""
    until = rel.until.display() if rel.until else ""
    if since and until:
        return f"{since} \u2013 {until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return ""
