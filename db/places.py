"""Places: ports, depots, regions and seas with coordinates and how precisely they are known."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud
from caseboard.db.case import Case
from caseboard.db.model import Place
from caseboard.db.rows import Change


def add_place(case: Case, *, name: str, **fields: Any) -> Change:
    return crud.add(case, "places", {"name": name, **fields})


def update_place(case: Case, place_id: str, **fields: Any) -> Change:
    return crud.update(case, "places", place_id, fields)


def move_place(case: Case, place_id: str, lat: float, lon: float) -> Change:
    """Set a place's coordinates (a pin dragged or dropped on the map)."""
    return crud.update(case, "places", place_id, {"lat": lat, "lon": lon})


def delete_place(case: Case, place_id: str, *, cascade: bool = False) -> list[Change]:
    return crud.delete(case, "places", place_id, cascade=cascade)


def get_place(case: Case, place_id: str) -> Place:
    return crud.get(case, "places", place_id)


def list_places(case: Case, *, limit: int | None = None, offset: int = 0) -> list[Place]:
    return crud.select(case, "places", order="name COLLATE NOCASE", limit=limit, offset=offset)


def find_place(case: Case, name: str) -> Place | None:
    found = crud.select(case, "places", "name = ? COLLATE NOCASE", [name.strip()], limit=1)
    if found:
        return found[0]
    found = crud.select(
        case,
        "places",
        "EXISTS (SELECT 1 FROM json_each(places.aliases) WHERE lower(value) = lower(?))",
        [name.strip()],
        limit=1,
    )
    return found[0] if found else None
