"""Everything related to a selection: what every panel highlights when the user selects one thing.

Results are id sets per table, not objects, so a panel can test membership for thousands of marks cheaply.
The big selections (an actor, a place, a time range) also carry the SQLite rowids of the related rows, read in
the same query as the ids, so the timeline (which keeps rowids, not a million text ids) masks them in numpy.
Every query is set-based: related rows of one table are found by a subquery or join, never by sending
thousands of ids back to SQLite as an IN-list.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from caseboard.db.case import Case

_TABLES = ("actors", "places", "shipments", "legs", "events", "statements", "sources", "relationships")


@dataclass
class Related:
    actors: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    shipments: set[str] = field(default_factory=set)
    legs: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    statements: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    relationships: set[str] = field(default_factory=set)
    #: rowids per table where the query that found the ids read them too (not part of equality)
    rowids: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def ids(self, table: str) -> set[str]:
        return getattr(self, table)

    def rowids_of(self, table: str) -> np.ndarray | None:
        """Rowids of the related rows of ``table``, or None when only their text ids are known."""
        return self.rowids.get(table)

    def counts(self) -> dict[str, int]:
        return {t: len(self.ids(t)) for t in _TABLES}


def _ids(case: Case, sql: str, params: list) -> set[str]:
    return {r[0] for r in case.conn.execute(sql, params) if r[0] is not None}


# Each query below is one set-based statement: the related rows of one table are a subquery of the others, so
# thousands of ids never travel through Python as an IN-list of parameters.

_ACTOR_SHIPMENTS = (
    "SELECT id FROM shipments WHERE shipper_id = ?1 OR receiver_id = ?1 "
    "UNION SELECT shipment_id FROM legs WHERE carrier_id = ?1"
)


def _places_sql(legs: str | None, events: str | None) -> str:
    """Places where the legs selected by ``legs`` run and the events selected by ``events`` happen."""
    parts = []
    if legs:
        parts.append(f"SELECT from_place_id FROM legs WHERE id IN ({legs})")
        parts.append(f"SELECT to_place_id FROM legs WHERE id IN ({legs})")
    if events:
        parts.append(f"SELECT place_id FROM events WHERE id IN ({events})")
    return " UNION ".join(parts)


def _rows(case: Case, sql: str, params: list) -> list[tuple]:
    return case.conn.execute(sql, params).fetchall()


def _keep(rel: Related, table: str, rows: list[tuple]) -> None:
    """Ids (column 0) and rowids (column 1, NULL for a dangling reference) of ``table`` into ``rel``."""
    rel.ids(table).update(_col(rows, 0))
    rel.rowids[table] = _rowids(rows, 1)


def _rowids(rows: list[tuple], i: int) -> np.ndarray:
    """Sorted unique rowids in column ``i`` of ``rows`` (NULLs skipped)."""
    rowids = np.fromiter((r[i] for r in rows if r[i] is not None), dtype=np.int64)
    return np.unique(rowids)


def _col(rows: list[tuple], i: int) -> set[str]:
    return {r[i] for r in rows if r[i] is not None}


def related_to_actor(case: Case, actor_id: str) -> Related:
    """An actor's statements, events, shipments (sent, received or carried), legs and places."""
    p = [actor_id]
    rel = Related(actors={actor_id})
    _keep(rel, "statements", _rows(case, "SELECT id, rowid FROM statements WHERE speaker_id = ?1", p))
    # The event ids (dangling ones too) come from the covering index (actor_id, event_id) alone. Rowids and places
    # come from one pass that resolves those ids through the events primary key (covering, for the rowid) and
    # then reads the rows in rowid order: the IN-subquery sorts them, so the table is walked front to back instead
    # of jumping to a random page per event in text-id order.
    rel.events = _ids(case, "SELECT event_id FROM event_actors WHERE actor_id = ?1", p)
    events = _rows(
        case,
        "SELECT rowid, place_id FROM events WHERE rowid IN "
        "(SELECT e.rowid FROM event_actors ea JOIN events e ON e.id = ea.event_id WHERE ea.actor_id = ?1)",
        p,
    )
    rel.rowids["events"] = _rowids(events, 0)
    shipments = _rows(
        case, f"SELECT x.id, s.rowid FROM ({_ACTOR_SHIPMENTS}) x LEFT JOIN shipments s ON s.id = x.id", p
    )
    _keep(rel, "shipments", shipments)
    legs = _rows(
        case,
        "SELECT id, rowid, from_place_id, to_place_id FROM legs "
        f"WHERE carrier_id = ?1 OR shipment_id IN ({_ACTOR_SHIPMENTS})",
        p,
    )
    _keep(rel, "legs", legs)
    rel.places = _col(legs, 2) | _col(legs, 3) | _col(events, 1)
    rel.relationships = _relationship_ids(case, "from_actor_id = ?1 OR to_actor_id = ?1", p)
    return rel


def _relationship_ids(case: Case, where: str, params: list) -> set[str]:
    """Ids of relationships matching ``where`` (none in a case older than the relationships migration)."""
    try:
        return _ids(case, f"SELECT id FROM relationships WHERE {where}", params)
    except sqlite3.OperationalError:
        return set()


def related_to_relationship(case: Case, relationship_id: str) -> Related:
    """The two actors a relationship joins and the sources cited for it."""
    rel = Related(relationships={relationship_id})
    row = case.conn.execute(
        "SELECT from_actor_id, to_actor_id FROM relationships WHERE id = ?", [relationship_id]
    ).fetchone()
    if row:
        rel.actors = set(row)
    rel.sources = _ids(
        case,
        "SELECT source_id FROM citations WHERE subject_table = 'relationships' AND subject_id = ?",
        [relationship_id],
    )
    return rel


def related_to_place(case: Case, place_id: str) -> Related:
    """The legs that start or end at a place, the events there, and those legs' shipments."""
    p = [place_id]
    rel = Related(places={place_id})
    legs = _rows(
        case, "SELECT id, rowid, shipment_id FROM legs WHERE from_place_id = ?1 OR to_place_id = ?1", p
    )
    _keep(rel, "legs", legs)
    _keep(rel, "events", _rows(case, "SELECT id, rowid FROM events WHERE place_id = ?1", p))
    rel.shipments = _col(legs, 2)
    return rel


def related_to_shipment(case: Case, shipment_id: str) -> Related:
    p = [shipment_id]
    rel = Related(shipments={shipment_id})
    rel.legs = _ids(case, "SELECT id FROM legs WHERE shipment_id = ?1", p)
    rel.events = _ids(case, "SELECT id FROM events WHERE shipment_id = ?1", p)
    rel.actors = _ids(
        case,
        "SELECT shipper_id FROM shipments WHERE id = ?1 UNION SELECT receiver_id FROM shipments WHERE id = ?1 "
        "UNION SELECT carrier_id FROM legs WHERE shipment_id = ?1",
        p,
    )
    rel.places = _ids(
        case,
        _places_sql(
            "SELECT id FROM legs WHERE shipment_id = ?1", "SELECT id FROM events WHERE shipment_id = ?1"
        ),
        p,
    )
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
    for table in ("actors", "places", "shipments", "legs", "events", "statements", "relationships"):
        rel.ids(table).update(
            _ids(
                case,
                "SELECT subject_id FROM citations WHERE source_id = ? AND subject_table = ?",
                [source_id, table],
            )
        )
    return rel


def in_time_range(case: Case, start_day: int, end_day: int) -> Related:
    """What overlaps the days [start_day, end_day]: events, legs under way, statements made, their places, and
    shipments under way (through a leg) or dated in the range themselves.

    A leg counts from its latest possible departure: one whose departure is only known as "some time before
    arrival" is not claimed to be under way before it certainly was. The window's selection and the report's
    scope both use this, so a range selects the same things on screen and in the PDF.
    """
    rng = [start_day, end_day]
    rel = Related()
    events = _rows(
        case,
        # the index finds the rowids; the rows are then read in rowid order rather than in date order
        "SELECT id, rowid, place_id FROM events WHERE rowid IN "
        "(SELECT rowid FROM events WHERE date_start <= ?2 AND date_end >= ?1)",
        rng,
    )
    _keep(rel, "events", events)
    legs = _rows(
        case,
        "SELECT id, rowid, shipment_id, from_place_id, to_place_id FROM legs "
        "WHERE coalesce(depart_end, arrive_start) <= ?2 AND coalesce(arrive_end, depart_end) >= ?1",
        rng,
    )
    _keep(rel, "legs", legs)
    statements = _rows(
        case, "SELECT id, rowid FROM statements WHERE said_start <= ?2 AND said_end >= ?1", rng
    )
    _keep(rel, "statements", statements)
    rel.shipments = _col(legs, 2) | _ids(
        case, "SELECT id FROM shipments WHERE date_start <= ?2 AND date_end >= ?1", rng
    )
    rel.places = _col(legs, 3) | _col(legs, 4) | _col(events, 2)
    rel.relationships = _relationship_ids(
        case,
        "(since_start IS NULL OR since_start <= ?2) AND (until_end IS NULL OR until_end >= ?1)",
        rng,
    )
    return rel


_BY_TABLE = {
    "actors": related_to_actor,
    "places": related_to_place,
    "shipments": related_to_shipment,
    "legs": related_to_leg,
    "events": related_to_event,
    "statements": related_to_statement,
    "sources": related_to_source,
    "relationships": related_to_relationship,
}


def related(case: Case, table: str, row_id: str) -> Related:
    return _BY_TABLE[table](case, row_id)


def selection_related(
    case: Case, table: str | None, row_id: str | None, time_range: tuple[int, int] | None
) -> Related | None:
    """What a selection covers: the item's related rows, those dated in the range, or both at once.

    None when nothing is selected. Used by the window's selection and by the report's figures alike.
    """
    item = related(case, table, row_id) if row_id and table else None
    if time_range is None:
        return item
    in_range = in_time_range(case, *time_range)
    if item is None:
        return in_range
    both = Related()
    for t in ("places", "shipments", "legs", "events", "statements", "relationships"):
        both.ids(t).update(item.ids(t) & in_range.ids(t))
        a, b = item.rowids_of(t), in_range.rowids_of(t)
        if a is not None and b is not None:
            both.rowids[t] = np.intersect1d(a, b, assume_unique=True)
    both.actors = set(item.actors)
    both.sources = set(item.sources)
    return both


def exists(case: Case, table: str, row_id: str) -> bool:
    """Whether the selected row is still in the case (an edit or another program may have deleted it)."""
    if table not in _TABLES:
        return False
    return case.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [row_id]).fetchone() is not None
