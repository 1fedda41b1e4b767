"""Everything related to a selection: what every panel highlights when the user selects one thing.

Results are id sets per table, not objects, so a panel can test membership for thousands of marks cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseboard.db.case import Case

_TABLES = ("actors", "places", "shipments", "legs", "events", "statements", "sources")


@dataclass
class Related:
    actors: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    shipments: set[str] = field(default_factory=set)
    legs: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    statements: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def ids(self, table: str) -> set[str]:
        return getattr(self, table)

    def counts(self) -> dict[str, int]:
        return {t: len(self.ids(t)) for t in _TABLES}


def _ids(case: Case, sql: str, params: list) -> set[str]:
    return {r[0] for r in case.conn.execute(sql, params) if r[0] is not None}


def _in(ids: set[str]) -> tuple[str, list[str]]:
    return ",".join("?" * len(ids)), list(ids)


def _places_of(case: Case, rel: Related) -> None:
    """Add the places where the related legs run and the related events happen."""
    if rel.legs:
        marks, params = _in(rel.legs)
        rel.places |= _ids(case, f"SELECT from_place_id FROM legs WHERE id IN ({marks})", params)
        rel.places |= _ids(case, f"SELECT to_place_id FROM legs WHERE id IN ({marks})", params)
    if rel.events:
        marks, params = _in(rel.events)
        rel.places |= _ids(case, f"SELECT place_id FROM events WHERE id IN ({marks})", params)


def related_to_actor(case: Case, actor_id: str) -> Related:
    """An actor's statements, events, shipments (sent, received or carried), legs and places."""
    rel = Related(actors={actor_id})
    rel.statements = _ids(case, "SELECT id FROM statements WHERE speaker_id = ?", [actor_id])
    rel.events = _ids(case, "SELECT event_id FROM event_actors WHERE actor_id = ?", [actor_id])
    rel.shipments = _ids(
        case, "SELECT id FROM shipments WHERE shipper_id = ?1 OR receiver_id = ?1", [actor_id]
    ) | _ids(case, "SELECT shipment_id FROM legs WHERE carrier_id = ?", [actor_id])
    rel.legs = _ids(case, "SELECT id FROM legs WHERE carrier_id = ?", [actor_id])
    if rel.shipments:
        marks, params = _in(rel.shipments)
        rel.legs |= _ids(case, f"SELECT id FROM legs WHERE shipment_id IN ({marks})", params)
    _places_of(case, rel)
    return rel


def related_to_place(case: Case, place_id: str) -> Related:
    """The legs that start or end at a place, the events there, and those legs' shipments."""
    rel = Related(places={place_id})
    rel.legs = _ids(case, "SELECT id FROM legs WHERE from_place_id = ?1 OR to_place_id = ?1", [place_id])
    rel.events = _ids(case, "SELECT id FROM events WHERE place_id = ?", [place_id])
    if rel.legs:
        marks, params = _in(rel.legs)
        rel.shipments = _ids(case, f"SELECT shipment_id FROM legs WHERE id IN ({marks})", params)
    return rel


def related_to_shipment(case: Case, shipment_id: str) -> Related:
    rel = Related(shipments={shipment_id})
    rel.legs = _ids(case, "SELECT id FROM legs WHERE shipment_id = ?", [shipment_id])
    rel.events = _ids(case, "SELECT id FROM events WHERE shipment_id = ?", [shipment_id])
    rel.actors = _ids(
        case,
        "SELECT shipper_id FROM shipments WHERE id = ?1 UNION SELECT receiver_id FROM shipments WHERE id = ?1 "
        "UNION SELECT carrier_id FROM legs WHERE shipment_id = ?1",
        [shipment_id],
    )
    _places_of(case, rel)
    return rel


def related_to_leg(case: Case, leg_id: str) -> Related:
    rel = Related(legs={leg_id})
    row = case.conn.execute(
        "SELECT shipment_id, from_place_id, to_place_id, carrier_id FROM legs WHERE id = ?", [leg_id]
    ).fetchone()
    if row:
        rel.shipments = {row[0]}
        rel.places = {p for p in row[1:3] if p}
        rel.actors = {row[3]} if row[3] else set()
    return rel


def related_to_event(case: Case, event_id: str) -> Related:
    rel = Related(events={event_id})
    rel.actors = _ids(case, "SELECT actor_id FROM event_actors WHERE event_id = ?", [event_id])
    rel.places = _ids(case, "SELECT place_id FROM events WHERE id = ?", [event_id])
    rel.shipments = _ids(case, "SELECT shipment_id FROM events WHERE id = ?", [event_id])
    return rel


def related_to_statement(case: Case, statement_id: str) -> Related:
    rel = Related(statements={statement_id})
    rel.actors = _ids(case, "SELECT speaker_id FROM statements WHERE id = ?", [statement_id])
    rel.sources = _ids(case, "SELECT source_id FROM statements WHERE id = ?", [statement_id])
    return rel


def related_to_source(case: Case, source_id: str) -> Related:
    rel = Related(sources={source_id})
    rel.statements = _ids(case, "SELECT id FROM statements WHERE source_id = ?", [source_id])
    for table in ("actors", "places", "shipments", "legs", "events", "statements"):
        rel.ids(table).update(
            _ids(
                case,
                "SELECT subject_id FROM citations WHERE source_id = ? AND subject_table = ?",
                [source_id, table],
            )
        )
    return rel


def in_time_range(case: Case, start_day: int, end_day: int) -> Related:
    """What overlaps the days [start_day, end_day]: events, legs under way, statements made, their places.

    A leg counts from its latest possible departure: one whose departure is only known as "some time before
    arrival" is not claimed to be under way before it certainly was.
    """
    rng = [start_day, end_day]
    rel = Related()
    rel.events = _ids(case, "SELECT id FROM events WHERE date_start <= ?2 AND date_end >= ?1", rng)
    rel.legs = _ids(
        case,
        "SELECT id FROM legs WHERE coalesce(depart_end, arrive_start) <= ?2 "
        "AND coalesce(arrive_end, depart_end) >= ?1",
        rng,
    )
    rel.statements = _ids(case, "SELECT id FROM statements WHERE said_start <= ?2 AND said_end >= ?1", rng)
    if rel.legs:
        marks, params = _in(rel.legs)
        rel.shipments = _ids(case, f"SELECT shipment_id FROM legs WHERE id IN ({marks})", params)
    _places_of(case, rel)
    return rel


_BY_TABLE = {
    "actors": related_to_actor,
    "places": related_to_place,
    "shipments": related_to_shipment,
    "legs": related_to_leg,
    "events": related_to_event,
    "statements": related_to_statement,
    "sources": related_to_source,
}


def related(case: Case, table: str, row_id: str) -> Related:
    return _BY_TABLE[table](case, row_id)
