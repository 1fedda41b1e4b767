"""What a case summary holds, gathered from a case file for the whole case or a scope (no Qt here).

``gather(case, scope)`` reads everything in a handful of bulk queries and returns a ``Report``: plain dataclasses
with display text already decided (dates through ``PartialDate.display()``, so precision is shown honestly).
Citations get numbers in reading order ([1], [2], ...); every number maps to one ``CitationEntry`` whose source is
in ``Report.sources``, which is what keeps the printed references checkable.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseboard.db import links, relationships
from caseboard.db import related as related_db
from caseboard.db.case import Case
from caseboard.db.dates import DateParseError, PartialDate, from_day_number, parse_date
from caseboard.db.errors import CaseError
from caseboard.db.model import Relationship
from caseboard.db.related import Related
from caseboard.db.sources import CREDIBILITY, RELIABILITY
from caseboard.db.values import UNREADABLE, clean, dated

#: Tables whose rows a scope narrows down (actors and sources follow from what is kept).
SCOPED = ("places", "shipments", "legs", "events", "statements")
ACTOR_KIND_ORDER = ("person", "organization", "state", "vessel", "other")
ACTOR_KIND_TITLES = {
    "person": "People",
    "organization": "Organizations",
    "state": "States",
    "vessel": "Vessels",
    "other": "Other actors",
}


class ExportError(CaseError):
    """The export cannot be made as asked (unknown actor, unreadable date, unwritable output)."""


# -- scope ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    """Which part of a case to report: actors (with everything related), an item, and/or a day range."""

    actor_ids: tuple[str, ...] = ()
    item: tuple[str, str] | None = None
    start_day: int | None = None
    end_day: int | None = None
    description: str = ""

    @property
    def whole(self) -> bool:
        return not self.actor_ids and self.item is None and self.start_day is None and self.end_day is None

    @property
    def has_range(self) -> bool:
        return self.start_day is not None or self.end_day is not None

    def day_range(self) -> tuple[int, int]:
        """The range as inclusive day numbers (open ends become very early / very late)."""
        lo = -(10**7) if self.start_day is None else self.start_day
        hi = 10**7 if self.end_day is None else self.end_day
        return lo, hi


def _actor_names(case: Case) -> list[tuple[str, str, list[str]]]:
    rows = case.conn.execute("SELECT id, name, aliases FROM actors ORDER BY name COLLATE NOCASE").fetchall()
    return [(r[0], r[1], json.loads(r[2] or "[]")) for r in rows]


def find_actor_id(case: Case, name: str) -> str:
    """The id of the actor called ``name`` (or with that alias); an ExportError suggesting names otherwise."""
    wanted = name.strip().casefold()
    actors = _actor_names(case)
    for actor_id, actor_name, _aliases in actors:
        if actor_name.casefold() == wanted:
            return actor_id
    for actor_id, _actor_name, aliases in actors:
        if any(a.casefold() == wanted for a in aliases):
            return actor_id
    by_word: dict[str, str] = {}
    for _actor_id, actor_name, aliases in actors:
        for word in (actor_name, *aliases):
            by_word.setdefault(word.casefold(), actor_name)
    close = difflib.get_close_matches(wanted, list(by_word), n=3, cutoff=0.5)
    close += [w for w in by_word if wanted and wanted in w and w not in close]
    names = list(dict.fromkeys(by_word[w] for w in close))[:3]
    hint = (
        f"; did you mean {', '.join(repr(n) for n in names)}?"
        if names
        else "; see `caseboard info` for the case"
    )
    raise ExportError(f"no actor named {name!r} in this case{hint}")


def _parse_day(text: str, option: str, *, end: bool) -> int:
    try:
        date = parse_date(text)
    except DateParseError as exc:
        raise ExportError(f"{option}: {exc}") from None
    return date.end_day() if end else date.start_day()


def make_scope(
    case: Case,
    actor_names: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
) -> Scope:
    """A scope from what a user typed (actor names or aliases, dates in any form ``parse_date`` reads)."""
    names = [n for n in actor_names if n and n.strip()]
    ids = tuple(dict.fromkeys(find_actor_id(case, n) for n in names))
    start = _parse_day(date_from, "--from", end=False) if date_from else None
    stop = _parse_day(date_to, "--to", end=True) if date_to else None
    if start is not None and stop is not None and stop < start:
        raise ExportError(f"--to ({date_to}) comes before --from ({date_from})")
    return Scope(ids, None, start, stop, describe_scope(case, ids, None, start, stop))


def scope_from_selection(
    case: Case, table: str | None, row_id: str | None, time_range: tuple[int, int] | None
) -> Scope:
    """A scope matching what the window's selection and time range show."""
    actor_ids: tuple[str, ...] = ()
    item = None
    if table and row_id:
        if table == "actors":
            actor_ids = (row_id,)
        else:
            item = (table, row_id)
    lo, hi = time_range if time_range else (None, None)
    return Scope(actor_ids, item, lo, hi, describe_scope(case, actor_ids, item, lo, hi))


def day_span_text(lo: int, hi: int) -> str:
    """Honest text for a span of day numbers ("7–8 Sept 2023")."""
    return PartialDate(from_day_number(lo), from_day_number(hi), "day").display()


_ITEM_NAME = {
    "places": "SELECT name FROM places WHERE id = ?",
    "shipments": "SELECT coalesce(nullif(title, ''), cargo) FROM shipments WHERE id = ?",
    "events": "SELECT title FROM events WHERE id = ?",
    "statements": "SELECT substr(text, 1, 60) FROM statements WHERE id = ?",
    "sources": "SELECT coalesce(nullif(label, ''), title) FROM sources WHERE id = ?",
    "legs": "SELECT 'leg ' || seq FROM legs WHERE id = ?",
}


def describe_scope(
    case: Case, actor_ids: Iterable[str], item: tuple[str, str] | None, lo: int | None, hi: int | None
) -> str:
    """One line saying what the report covers."""
    parts = []
    names = []
    for actor_id in actor_ids:
        row = case.conn.execute("SELECT name FROM actors WHERE id = ?", [actor_id]).fetchone()
        names.append(row[0] if row else actor_id)
    if names:
        parts.append("what concerns " + ", ".join(names))
    if item:
        row = case.conn.execute(_ITEM_NAME[item[0]], [item[1]]).fetchone()
        parts.append(f"what relates to the {item[0][:-1]} {row[0] if row else item[1]!r}")
    if lo is not None and hi is not None:
        parts.append(f"dated {day_span_text(lo, hi)}")
    elif lo is not None:
        parts.append(f"dated from {from_day_number(lo).isoformat()} on")
    elif hi is not None:
        parts.append(f"dated up to {from_day_number(hi).isoformat()}")
    return "Only " + "; ".join(parts) if parts else "The whole case"


def resolve(case: Case, scope: Scope) -> Related | None:
    """Ids kept per table, or None for the whole case."""
    if scope.whole:
        return None
    rel: Related | None = None
    if scope.actor_ids:
        rel = Related()
        for actor_id in scope.actor_ids:
            one = related_db.related_to_actor(case, actor_id)
            for table in (*SCOPED, "actors", "sources"):
                rel.ids(table).update(one.ids(table))
    if scope.item or scope.has_range:
        # the same "what a selection and time range cover" as the window's selection
        lo_hi = scope.day_range() if scope.has_range else None
        item = scope.item or (None, None)
        one = related_db.selection_related(case, item[0], item[1], lo_hi)
        if rel is None:
            rel = one
        elif one is not None:
            for table in SCOPED:
                rel.ids(table).intersection_update(one.ids(table))
    return rel


# -- report content ------------------------------------------------------------------------------------------------
@dataclass
class CitationEntry:
    """One numbered citation: which source supports what, and how credible that piece of information is."""

    number: int
    source_id: str
    credibility: int | None
    subject: str
    locator: str = ""

    @property
    def credibility_text(self) -> str:
        if self.credibility is None:
            return "credibility not graded"
        return f"credibility {self.credibility} ({CREDIBILITY.get(self.credibility, '?')})"


@dataclass
class SourceEntry:
    id: str
    label: str
    title: str
    kind: str
    outlet: str
    author: str
    url: str
    published: str
    reliability: str
    via: str
    notes: str
    cited: int = 0
    accessed: str = ""
    archive_url: str = ""
    original: str = ""  # "report.pdf, 412 KB, SHA-256 …" when the file is kept in the case

    @property
    def reliability_text(self) -> str:
        return f"{self.reliability} ({RELIABILITY.get(self.reliability, '?')})"

    @property
    def name(self) -> str:
        return self.label or self.title


@dataclass
class ChronoEntry:
    start: int
    end: int
    date: str
    kind: str  # event, departure, arrival, statement
    text: str
    detail: str = ""
    refs: list[int] = field(default_factory=list)
    quote: bool = False
    subject: tuple[str, str] | None = None  # (table, id) of the item, so Figure 1 can number its mark


@dataclass
class LegEntry:
    seq: int
    origin: str
    destination: str
    mode: str
    carrier: str
    depart: str
    arrive: str
    notes: str
    refs: list[int] = field(default_factory=list)


@dataclass
class ShipmentEntry:
    title: str
    cargo: str
    quantity: str
    shipper: str
    receiver: str
    status: str
    date: str
    notes: str
    legs: list[LegEntry] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)


@dataclass
class ActorEntry:
    name: str
    kind: str
    aliases: list[str]
    description: str
    country: str
    refs: list[int] = field(default_factory=list)


@dataclass
class RelationshipEntry:
    """ "Russia — flag state of — M/V Angara", with role, span and citations."""

    source: str
    kind: str
    target: str
    role: str
    span: str
    notes: str
    refs: list[int] = field(default_factory=list)


@dataclass
class PlaceEntry:
    name: str
    kind: str
    country: str
    position: str
    precision: str
    notes: str
    refs: list[int] = field(default_factory=list)


@dataclass
class StatementEntry:
    text: str
    kind: str
    speaker: str
    date: str
    source: str
    refs: list[int] = field(default_factory=list)


@dataclass
class MapPlace:
    name: str
    lat: float
    lon: float
    precision: str


@dataclass
class MapLeg:
    origin: MapPlace
    destination: MapPlace
    mode: str
    label: str


@dataclass
class Report:
    """Everything the PDF prints, in reading order."""

    title: str
    summary: str
    case_path: str
    made_at: datetime.datetime
    scope: Scope
    span: str
    counts: dict[str, int]
    chronology: list[ChronoEntry]
    undated: list[ChronoEntry]
    shipments: list[ShipmentEntry]
    actors: dict[str, list[ActorEntry]]
    places: list[PlaceEntry]
    statements: list[StatementEntry]
    sources: list[SourceEntry]
    citations: list[CitationEntry]
    kept: Related | None = None
    map_places: list[MapPlace] = field(default_factory=list)
    map_legs: list[MapLeg] = field(default_factory=list)
    relationships: list[RelationshipEntry] = field(default_factory=list)
    facts: int = 0  # distinct facts printed
    unsourced: int = 0  # of them, those citing no source (tagged "unsourced" where printed)
    health: Any = None  # caseboard.db.health.Health of the whole case, for the appendix
    omitted_figures: list[str] = field(default_factory=list)  # one sentence per figure left out, and why

    @property
    def case_file(self) -> str:
        return Path(self.case_path).name

    def source_by_id(self) -> dict[str, SourceEntry]:
        return {s.id: s for s in self.sources}


class _Citer:
    """Hands out citation numbers in the order the report asks for them."""

    def __init__(self, by_subject: dict[tuple[str, str], list[tuple[str, int, str]]]) -> None:
        self.by_subject = by_subject
        self.entries: list[CitationEntry] = []
        self._numbers: dict[tuple[str, str, str], int] = {}
        self.facts: dict[tuple[str, str], bool] = {}  # every fact asked about -> whether it cites a source

    def refs(self, table: str, row_id: str, subject: str, extra_source: str | None = None) -> list[int]:
        cites = list(self.by_subject.get((table, row_id), ()))
        if extra_source and not cites:
            cites.append((extra_source, -1, ""))
        out = []
        for source_id, credibility, locator in cites:
            key = (table, row_id, source_id)
            number = self._numbers.get(key)
            if number is None:
                number = len(self.entries) + 1
                self._numbers[key] = number
                self.entries.append(
                    CitationEntry(
                        number, source_id, None if credibility < 0 else credibility, subject, locator
                    )
                )
            out.append(number)
        self.facts[(table, row_id)] = bool(out)
        return out


@functools.lru_cache(maxsize=8192)
def _parse_edtf(text: str) -> PartialDate:
    return PartialDate.from_edtf(text)


def _date(text: str | None) -> PartialDate | None:
    """The stored (EDTF) date; parsed once per distinct text, as large cases repeat dates a lot."""
    return _parse_edtf(text) if text else None


def _pin(row: tuple) -> tuple:
    """A place row whose coordinates are a usable pair on the globe, or none at all."""
    lat, lon = row[4], row[5]
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return (*row[:4], None, None, *row[6:])
    return row


def _overlaps(scope: Scope, start: int, end: int) -> bool:
    if not scope.has_range:
        return True
    lo, hi = scope.day_range()
    return start <= hi and end >= lo


Progress = Callable[[str], None]


def gather(case: Case, scope: Scope | None = None, progress: Progress | None = None) -> Report:
    """Read the report content for ``scope`` (None: the whole case) from ``case``."""
    scope = scope or Scope(description="The whole case")
    say = progress or (lambda _msg: None)
    conn = case.conn
    say("Choosing what to include")
    kept = resolve(case, scope)

    def keep(table: str, row_id: str) -> bool:
        return kept is None or row_id in kept.ids(table)

    say("Reading actors, places and sources")
    # every value is checked as it is read (db/values.py): a file from elsewhere may hold odd ones
    actors = {
        r[0]: r
        for r in clean(
            conn.execute("SELECT id, name, kind, aliases, description, country FROM actors"), "kTtjtt"
        )
    }
    places = {
        r[0]: _pin(r)
        for r in clean(
            conn.execute("SELECT id, name, kind, country, lat, lon, precision, notes FROM places"), "kTttnntt"
        )
    }
    sources = {
        r[0]: r
        for r in clean(
            conn.execute(
                "SELECT s.id, s.label, s.title, s.kind, s.outlet, s.author, s.url, s.published, s.reliability, "
                "s.via_id, s.notes, s.accessed, s.archive_url, s.original_name, o.size, o.sha256 "
                "FROM sources s LEFT JOIN originals o ON o.sha256 = s.original_sha256 "
                "ORDER BY s.label = '', s.label, s.title COLLATE NOCASE"
            ),
            "kTTtttteTkLettik",
        )
    }
    by_subject: dict[tuple[str, str], list[tuple[str, int, str]]] = defaultdict(list)
    for table, subject_id, source_id, credibility, locator in clean(
        conn.execute(
            "SELECT subject_table, subject_id, source_id, credibility, locator FROM citations "
            "ORDER BY subject_table, subject_id, source_id"
        ),
        "kkkit",
    ):
        by_subject[(table, subject_id)].append(
            (source_id, credibility if credibility in range(1, 7) else 6, locator)
        )
    citer = _Citer(by_subject)

    def actor_name(actor_id: str | None) -> str:
        return actors[actor_id][1] if actor_id and actor_id in actors else ""

    def place_name(place_id: str | None) -> str:
        return places[place_id][1] if place_id and place_id in places else ""

    used_actors: set[str] = set(scope.actor_ids)

    say("Reading events")
    event_actors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event_id, actor_id, role in clean(
        conn.execute("SELECT event_id, actor_id, role FROM event_actors ORDER BY rowid"), "kkt"
    ):
        event_actors[event_id].append((actor_id, role))
    events = [
        (*r[:3], *dated(*r[3:6]), r[6])
        for r in clean(
            conn.execute(
                "SELECT id, title, description, date, date_start, date_end, place_id FROM events "
                "ORDER BY date_start IS NULL, date_start, date_end, rowid"
            ),
            "kTL---k",
        )
        if keep("events", r[0])
    ]
    say("Reading shipments and legs")
    shipment_rows = [
        r
        for r in clean(
            conn.execute(
                "SELECT id, title, cargo, quantity, quantity_qualifier, unit, shipper_id, receiver_id, status, "
                "date, notes FROM shipments ORDER BY date_start IS NULL, date_start, rowid"
            ),
            "kttnttkkteL",
        )
        if keep("shipments", r[0])
    ]
    shipment_title = {
        r[0]: (r[1] or r[2] or UNREADABLE)
        for r in clean(conn.execute("SELECT id, title, cargo FROM shipments"), "ktt")
    }
    legs_by_shipment: dict[str, list[tuple]] = defaultdict(list)
    leg_rows = [
        (*r[:7], dep[0], arr[0], r[9], dep[1], dep[2], arr[1], arr[2])
        for r in clean(
            conn.execute(
                "SELECT id, shipment_id, seq, from_place_id, to_place_id, mode, carrier_id, depart, arrive, notes, "
                "depart_start, depart_end, arrive_start, arrive_end FROM legs ORDER BY shipment_id, seq"
            ),
            "kkikktk--L----",
        )
        for dep, arr in [(dated(r[7], r[10], r[11]), dated(r[8], r[12], r[13]))]
    ]
    for r in leg_rows:
        legs_by_shipment[r[1]].append(r)
    say("Reading statements")
    statement_rows = [
        (*r[:4], *dated(*r[4:7]), r[7])
        for r in clean(
            conn.execute(
                "SELECT id, text, kind, speaker_id, said, said_start, said_end, source_id FROM statements "
                "ORDER BY said_start IS NULL, said_start, said_end, rowid"
            ),
            "kLtk---k",
        )
        if keep("statements", r[0])
    ]

    # -- chronology (numbers citations first, as it comes first in the document) --
    say("Building the chronology")
    chrono: list[ChronoEntry] = []
    undated: list[ChronoEntry] = []
    statement_subject: dict[str, str] = {}
    for event_id, title, description, date, lo, hi, place_id in events:
        involved = event_actors.get(event_id, [])
        used_actors.update(a for a, _ in involved)
        who = "; ".join(f"{actor_name(a)} ({role})" if role else actor_name(a) for a, role in involved)
        detail = " · ".join(p for p in (place_name(place_id), who, description) if p)
        if date is None:
            refs = citer.refs("events", event_id, f"Event: {title}")
            undated.append(ChronoEntry(0, 0, "undated", "event", title, detail, refs))
            continue
        if not _overlaps(scope, lo, hi):
            continue
        pd = _date(date)
        refs = citer.refs("events", event_id, f"Event: {title} ({pd.display() if pd else ''})")
        chrono.append(
            ChronoEntry(
                lo, hi, pd.display() if pd else "", "event", title, detail, refs, subject=("events", event_id)
            )
        )
    for r in leg_rows:
        (leg_id, shipment_id, seq, from_id, to_id, mode, carrier_id, depart, arrive, _notes) = r[:10]
        if not keep("legs", leg_id):
            continue
        if carrier_id:
            used_actors.add(carrier_id)
        who = actor_name(carrier_id) or "Cargo"
        origin, dest = place_name(from_id) or "an unknown place", place_name(to_id) or "an unknown place"
        what = shipment_title.get(shipment_id, "")
        subject = f"Leg {seq} of {what}: {origin} to {dest} by {mode}"
        for date, lo, hi, kind, text in (
            (depart, r[10], r[11], "departure", f"{who} leaves {origin} for {dest} by {mode}"),
            (arrive, r[12], r[13], "arrival", f"{who} arrives at {dest} from {origin} by {mode}"),
        ):
            if date is None or not _overlaps(scope, lo, hi):
                continue
            pd = _date(date)
            refs = citer.refs("legs", leg_id, subject)
            chrono.append(
                ChronoEntry(
                    lo, hi, pd.display() if pd else "", kind, text, what, refs, subject=("legs", leg_id)
                )
            )
    for st_id, text, kind, speaker_id, said, lo, hi, source_id in statement_rows:
        speaker = actor_name(speaker_id) or "Unknown speaker"
        if speaker_id:
            used_actors.add(speaker_id)
        pd = _date(said)
        subject = f"Statement by {speaker} ({pd.display() if pd else 'undated'}): {_clip(text, 80)}"
        statement_subject[st_id] = subject
        refs = citer.refs("statements", st_id, subject, source_id)
        entry = ChronoEntry(
            lo or 0,
            hi or 0,
            pd.display() if pd else "undated",
            "statement",
            text,
            speaker,
            refs,
            kind == "quote",
            subject=("statements", st_id),
        )
        if pd is None:
            undated.append(entry)
        elif _overlaps(scope, lo, hi):
            chrono.append(entry)
    chrono.sort(key=lambda e: (e.start, e.end))

    # -- shipments --
    say("Listing shipments")
    shipments_out: list[ShipmentEntry] = []
    for sid, title, cargo, qty, qualifier, unit, shipper, receiver, status, date, notes in shipment_rows:
        used_actors.update(a for a in (shipper, receiver) if a)
        legs = []
        for r in legs_by_shipment.get(sid, []):
            leg_id, _sid, seq, from_id, to_id, mode, carrier_id, depart, arrive, leg_notes = r[:10]
            if carrier_id:
                used_actors.add(carrier_id)
            legs.append(
                LegEntry(
                    seq,
                    place_name(from_id) or "unknown",
                    place_name(to_id) or "unknown",
                    mode,
                    actor_name(carrier_id),
                    _display(depart),
                    _display(arrive),
                    leg_notes,
                    citer.refs("legs", leg_id, f"Leg {seq} of {title or cargo}"),
                )
            )
        pd = _date(date)
        shipments_out.append(
            ShipmentEntry(
                title or cargo,
                cargo,
                _quantity(qty, qualifier, unit),
                actor_name(shipper),
                actor_name(receiver),
                status,
                pd.display() if pd else "",
                notes,
                legs,
                citer.refs("shipments", sid, f"Shipment: {title or cargo}"),
            )
        )

    # -- actors by kind --
    say("Listing actors")
    keep_actors = set(actors) if kept is None else (used_actors | kept.actors) & set(actors)
    actors_out: dict[str, list[ActorEntry]] = {}
    for kind in ACTOR_KIND_ORDER:
        rows = sorted((a for a in actors.values() if a[2] == kind and a[0] in keep_actors), key=_name_key)
        if rows:
            actors_out[kind] = [
                ActorEntry(
                    a[1],
                    a[2],
                    json.loads(a[3] or "[]"),
                    a[4],
                    a[5],
                    citer.refs("actors", a[0], f"Actor: {a[1]} ({a[2]})"),
                )
                for a in rows
            ]

    # -- relationships (right after the actors, as in the document) --
    say("Listing relationships")
    relationships_out = _relationships(case, scope, keep_actors, actor_name, citer)

    # -- places --
    keep_places = set(places) if kept is None else kept.places & set(places)
    places_out = [
        PlaceEntry(
            p[1],
            p[2],
            p[3],
            ""
            if p[4] is None
            else f"{abs(p[4]):.3f}° {'N' if p[4] >= 0 else 'S'}, "
            f"{abs(p[5]):.3f}° {'E' if p[5] >= 0 else 'W'}",
            p[6],
            p[7],
            citer.refs("places", p[0], f"Place: {p[1]}"),
        )
        for p in sorted((p for p in places.values() if p[0] in keep_places), key=_name_key)
    ]

    # -- statements --
    say("Listing statements")
    statements_out = []
    for st_id, text, kind, speaker_id, said, _lo, _hi, source_id in statement_rows:
        source = sources.get(source_id) if source_id else None
        source_text = ""
        if source:
            source_text = source[1] or source[2]
            via = sources.get(source[9]) if source[9] else None
            if via:
                source_text += f" (known through {via[1] or via[2]})"
        statements_out.append(
            StatementEntry(
                text,
                kind,
                actor_name(speaker_id) or "Unknown speaker",
                _display(said) or "undated",
                source_text,
                citer.refs("statements", st_id, statement_subject[st_id], source_id),
            )
        )

    # -- sources: every cited one (all of them for the whole case) --
    say("Listing sources")
    cited_count: dict[str, int] = defaultdict(int)
    for c in citer.entries:
        cited_count[c.source_id] += 1
    wanted_sources = set(sources) if kept is None else set(cited_count)
    for source_id in list(wanted_sources):  # a source known through another brings that one along
        via = sources[source_id][9] if source_id in sources else None
        while via and via in sources and via not in wanted_sources:
            wanted_sources.add(via)
            via = sources[via][9]
    sources_out = [
        SourceEntry(
            s[0],
            s[1],
            s[2],
            s[3],
            s[4],
            s[5],
            s[6],
            _display(s[7]),
            s[8],
            (sources[s[9]][1] or sources[s[9]][2]) if s[9] in sources else "",
            s[10],
            cited_count.get(s[0], 0),
            _display(s[11]),
            s[12],
            _original_text(s[13], s[14], s[15]),
        )
        for s in sources.values()
        if s[0] in wanted_sources
    ]

    pins = {
        p[0]: MapPlace(p[1], p[4], p[5], p[6])
        for p in places.values()
        if p[4] is not None and p[5] is not None
    }
    map_legs = [
        MapLeg(pins[r[3]], pins[r[4]], r[5], actor_name(r[6]))
        for r in leg_rows
        if keep("legs", r[0]) and r[3] in pins and r[4] in pins
    ]
    map_place_ids = keep_places | {r[3] for r in leg_rows if keep("legs", r[0])}
    map_place_ids |= {r[4] for r in leg_rows if keep("legs", r[0])}
    map_places = [pins[i] for i in sorted(map_place_ids & set(pins), key=lambda i: pins[i].name.casefold())]

    leg_count = sum(len(s.legs) for s in shipments_out) if kept is not None else len(leg_rows)
    counts = {
        "actors": sum(len(v) for v in actors_out.values()),
        "places": len(places_out),
        "shipments": len(shipments_out),
        "legs": leg_count,
        "events": sum(1 for e in chrono if e.kind == "event") + sum(1 for e in undated if e.kind == "event"),
        "statements": len(statements_out),
        "relationships": len(relationships_out),
        "sources": len(sources_out),
        "citations": len(citer.entries),
    }
    if chrono:
        span = day_span_text(min(e.start for e in chrono), max(e.end for e in chrono))
    else:
        span = "no dated items"
    return Report(
        title=case.title,
        summary=case.get_info("summary") or "",
        case_path=str(case.path),
        made_at=datetime.datetime.now().astimezone(),
        scope=scope,
        span=span,
        counts=counts,
        chronology=chrono,
        undated=undated,
        shipments=shipments_out,
        actors=actors_out,
        places=places_out,
        statements=statements_out,
        sources=sources_out,
        citations=citer.entries,
        kept=kept,
        map_places=map_places,
        map_legs=map_legs,
        relationships=relationships_out,
        facts=len(citer.facts),
        unsourced=sum(1 for cited in citer.facts.values() if not cited),
        health=case_health(case, listed=HEALTH_LISTED if scope.whole else 0),
    )


def _relationships(
    case: Case, scope: Scope, keep_actors: set[str], actor_name: Callable[[str], str], citer: _Citer
) -> list[RelationshipEntry]:
    """Relationships with an actor of the report at one end at least (all for the whole case), by start date."""
    if not links.has_relationships(case.conn):
        return []
    out = []
    rows = case.conn.execute(
        "SELECT * FROM relationships ORDER BY since_start IS NULL, since_start, until_end, rowid"
    )
    names = [d[0] for d in rows.description]
    for values in rows:
        rel = Relationship.from_row(dict(zip(names, values, strict=True)))
        if not scope.whole and not ({rel.from_actor_id, rel.to_actor_id} & keep_actors):
            continue
        lo = rel.since.start_day() if rel.since else -(10**7)
        hi = rel.until.end_day() if rel.until else 10**7
        if not _overlaps(scope, lo, hi):
            continue
        a, b = actor_name(rel.from_actor_id), actor_name(rel.to_actor_id)
        out.append(
            RelationshipEntry(
                a,
                rel.kind_text,
                b,
                rel.role,
                relationships.span_text(rel),
                rel.notes,
                citer.refs("relationships", rel.id, f"Relationship: {a} {rel.kind_text} {b}"),
            )
        )
    return out


#: Items listed per check in the PDF's case-health appendix (the counts are exact).
HEALTH_LISTED = 25


def case_health(case: Case, listed: int = HEALTH_LISTED) -> Any:
    """The whole case's health for the appendix; a report of part of a case gets the counts only (``listed=0``),
    so it names nothing outside its part."""
    from caseboard.db import health

    return health.report(case.conn, limit=listed)


def _original_text(name: str | None, size: int | None, sha256: str | None) -> str:
    if not sha256:
        return ""
    kb = f"{(size or 0) / 1024:,.0f} KB" if (size or 0) >= 1024 else f"{size or 0} bytes"
    return f"{name or 'file'}, {kb}, SHA-256 {sha256}"


def _name_key(row: tuple) -> str:
    return str(row[1]).casefold()


def _display(edtf: str | None) -> str:
    pd = _date(edtf)
    return pd.display() if pd else ""


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _quantity(qty: float | None, qualifier: str, unit: str) -> str:
    if qty is None:
        return f"unknown number of {unit}" if unit else ""
    q = f"{qty:,.0f}" if float(qty).is_integer() else f"{qty:,}"
    return " ".join(p for p in (qualifier, q, unit) if p)
