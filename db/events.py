"""Events with uncertain dates, a place, and the actors involved in them with their roles."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud, rows
from caseboard.db.case import Case
from caseboard.db.model import Actor, Event
from caseboard.db.rows import Change


def add_event(case: Case, *, title: str, actors: list[tuple[str, str]] = (), **fields: Any) -> list[Change]:
    """Add an event and its involved ``actors`` as (actor id, role) pairs, in one transaction."""
    with case.transaction():
        change = crud.add(case, "events", {"title": title, **fields})
        changes = [change]
        for actor_id, role in actors:
            changes.append(involve(case, change.row_id, actor_id, role))
    return changes


def update_event(case: Case, event_id: str, **fields: Any) -> Change:
    return crud.update(case, "events", event_id, fields)


def delete_event(case: Case, event_id: str) -> list[Change]:
    """Deleting an event takes its involvement links with it (they mean nothing alone)."""
    return crud.delete(case, "events", event_id, cascade=True)


def get_event(case: Case, event_id: str) -> Event:
    return crud.get(case, "events", event_id)


def list_events(case: Case, *, limit: int | None = None, offset: int = 0) -> list[Event]:
    return crud.select(
        case, "events", order="date_start IS NULL, date_start, rowid", limit=limit, offset=offset
    )


def involve(case: Case, event_id: str, actor_id: str, role: str = "") -> Change:
    return crud.add(case, "event_actors", {"event_id": event_id, "actor_id": actor_id, "role": role})


def uninvolve(case: Case, event_id: str, actor_id: str, role: str = "") -> Change:
    return rows.delete(case, "event_actors", f"{event_id}|{actor_id}|{role}")


def actors_of(case: Case, event_id: str) -> list[tuple[Actor, str]]:
    cur = case.conn.execute(
        "SELECT a.*, ea.role AS _role FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "WHERE ea.event_id = ? ORDER BY a.name",
        [event_id],
    )
    names = [d[0] for d in cur.description]
    out = []
    for r in cur:
        row = dict(zip(names, r, strict=True))
        role = row.pop("_role")
        out.append((Actor.from_row(row), role))
    return out
