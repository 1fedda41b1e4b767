"""What the inspector shows about one item, beyond its own row: its legs, an actor's first events, a
statement's source, what cites a source. Reads only the few rows one page needs. No Qt here."""

from __future__ import annotations

import sqlite3
from typing import Any

#: An actor with at least this many events has its first few found by walking the date index (see
#: ``first_events``).
ACTOR_WALK_MIN = 2000


def reliability(conn: sqlite3.Connection, source_id: str) -> str:
    """A source's reliability grade (A–F), F when the source is gone."""
    row = conn.execute("SELECT reliability FROM sources WHERE id = ?", [source_id]).fetchone()
    return row[0] if row else "F"


def source_line(conn: sqlite3.Connection, source_id: str) -> tuple[str, str, str, str] | None:
    """(label, title, reliability, outlet) of a source, or None."""
    row = conn.execute(
        "SELECT label, title, reliability, outlet FROM sources WHERE id = ?", [source_id]
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3])


def citation_counts(conn: sqlite3.Connection, source_id: str) -> list[tuple[str, int]]:
    """(table, how many of its rows cite the source), per table."""
    return conn.execute(
        "SELECT subject_table, count(*) FROM citations WHERE source_id = ? GROUP BY subject_table",
        [source_id],
    ).fetchall()


def legs(
    conn: sqlite3.Connection, *, place_id: str | None = None, shipment_id: str | None = None, limit: int
):
    """Legs touching a place, or of a shipment, in travel order: dicts with id, depart, arrive, carrier_id."""
    if place_id is not None:
        where, params = "from_place_id = ?1 OR to_place_id = ?1", [place_id]
    else:
        where, params = "shipment_id = ?1", [shipment_id]
    cur = conn.execute(
        f"SELECT id, depart, arrive, carrier_id FROM legs WHERE {where} "
        "ORDER BY coalesce(depart_start, arrive_start), seq LIMIT ?2",
        [*params, limit],
    )
    return [dict(zip(("id", "depart", "arrive", "carrier_id"), r, strict=True)) for r in cur]


def first_events(conn: sqlite3.Connection, actor_id: str, limit: int) -> list[tuple[Any, ...]]:
    """The actor's first ``limit`` events by date, as (id, title, date, role).

    Sorting all of a busy actor's events reads each of them (thousands of rows); walking the date index
    from the start finds the first few sooner, so that is tried first, for at most as many events as the
    actor has, before falling back to the sort."""
    mine = {r[0] for r in conn.execute("SELECT event_id FROM event_actors WHERE actor_id = ?", [actor_id])}
    if len(mine) >= ACTOR_WALK_MIN:
        found: list[tuple[Any, Any, Any]] = []
        cur = conn.execute("SELECT id, title, date FROM events INDEXED BY events_date ORDER BY date_start")
        complete = True
        try:
            for k, r in enumerate(cur):
                if r[0] in mine:
                    found.append(r)
                    if len(found) == limit:
                        break
                if k >= len(mine):
                    complete = False
                    break
        finally:
            cur.close()
        if complete:
            ids = [r[0] for r in found]
            marks = ", ".join("?" * len(ids))
            roles = dict(
                conn.execute(
                    f"SELECT event_id, role FROM event_actors WHERE actor_id = ? AND event_id IN ({marks})",
                    [actor_id, *ids],
                ).fetchall()
            )
            return [(*r, roles.get(r[0])) for r in found]
    return conn.execute(
        "SELECT e.id, e.title, e.date, ea.role FROM event_actors ea JOIN events e ON e.id = ea.event_id "
        "WHERE ea.actor_id = ? ORDER BY e.date_start LIMIT ?",
        [actor_id, limit],
    ).fetchall()
