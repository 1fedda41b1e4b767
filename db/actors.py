"""Actors: people, organisations, states, vessels and others, with aliases."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud
from caseboard.db.case import Case
from caseboard.db.model import Actor
from caseboard.db.rows import Change


def add_actor(case: Case, *, name: str, kind: str, **fields: Any) -> Change:
    return crud.add(case, "actors", {"name": name, "kind": kind, **fields})


def update_actor(case: Case, actor_id: str, **fields: Any) -> Change:
    return crud.update(case, "actors", actor_id, fields)


def delete_actor(case: Case, actor_id: str, *, cascade: bool = False) -> list[Change]:
    """Refused while statements, legs, shipments or events refer to the actor, unless ``cascade``."""
    return crud.delete(case, "actors", actor_id, cascade=cascade)


def get_actor(case: Case, actor_id: str) -> Actor:
    return crud.get(case, "actors", actor_id)


def list_actors(
    case: Case, kind: str | None = None, *, limit: int | None = None, offset: int = 0
) -> list[Actor]:
    if kind:
        return crud.select(case, "actors", "kind = ?", [kind], "name COLLATE NOCASE", limit, offset)
    return crud.select(case, "actors", order="name COLLATE NOCASE", limit=limit, offset=offset)


def find_actor(case: Case, name: str) -> Actor | None:
    """The actor whose name or one of whose aliases equals ``name`` (case-insensitive)."""
    found = crud.select(case, "actors", "name = ? COLLATE NOCASE", [name.strip()], limit=1)
    if found:
        return found[0]
    found = crud.select(
        case,
        "actors",
        "EXISTS (SELECT 1 FROM json_each(actors.aliases) WHERE lower(value) = lower(?))",
        [name.strip()],
        limit=1,
    )
    return found[0] if found else None
