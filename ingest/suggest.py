"""One call from report text to reviewable suggestions, and their JSON form.

The JSON has the shape the issue fixes (published, actors, places, events, shipments, quotes) plus extra
fields: character spans for highlighting and citing, a confidence, and a proposed merge with a known actor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from .actors import extract_actors
from .cargo import find_legs, find_quantities
from .dates import events_from_dates, find_dates, partial_date
from .mentions import SpanIndex
from .model import Actor, DateMention, Event, Place, Quote, Suggestions
from .places import dateline_place, extract_places
from .quotes import ROLE_SPEAKER_RE, extract_quotes
from .readers import source_header
from .text import sentences

T = TypeVar("T")

_DATELINE_RE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'\-]{2,}(?:,\s*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,2}(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"
    r"(?:\s*\([^)]*\))?\s*[—–-]{1,2}\s",
    re.M,
)


def _blank(text: str, a: int, b: int) -> str:
    """Replace a stretch with spaces so that offsets stay those of the original text."""
    return text[:a] + re.sub(r"[^\n]", " ", text[a:b]) + text[b:]


class SuggestCancelled(Exception):
    """The ``progress`` callback asked to stop; nothing is suggested."""


#: The stages ``progress`` is told about, in order.
STAGES = ("Actors", "Quotes", "Places", "Dates", "Events", "Shipments")


def suggest(
    text: str,
    *,
    published: dt.date | None = None,
    known_actors: list[tuple[str, list[str]]] | tuple = (),
    progress: Callable[[int, int, str], None] | None = None,
) -> Suggestions:
    """Everything the rules find in ``text``; relative dates are resolved against ``published``.

    ``progress(done, total, stage)`` is called before each stage; it may raise :class:`SuggestCancelled` to stop.
    """
    header, _, _, header_date = source_header(text)
    published = published or header_date
    work = _blank(text, *header) if header[1] else text
    datelines = []
    for dl in _DATELINE_RE.finditer(work[: header[1] + 400]):
        datelines.append((dl.start(), dl.end()))
        work = _blank(work, dl.start(), dl.end())  # "WASHINGTON, Oct. 13 (Wire) —" is no event, no actor
    notes: list[str] = []

    def stage(what: str, fn: Callable[[], T], empty: T) -> T:
        """One extractor's result; a rule that fails on odd text costs that kind, never the whole import."""
        if progress is not None:
            progress(
                STAGES.index(what) if what in STAGES else len(STAGES) - 1, len(STAGES), what
            )  # may raise SuggestCancelled, outside the try
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - any rule error is reported in the review, not raised
            notes.append(
                f"{what} were not suggested: the rule failed on this text ({type(exc).__name__}: {exc})."
            )
            return empty

    actors, mentions = stage("Actors", lambda: extract_actors(work, list(known_actors)), ([], []))
    quotes = stage("Quotes", lambda: extract_quotes(work, actors, mentions), [])
    _speakers_as_actors(quotes, actors)
    places = stage("Places", lambda: _places(text, work, datelines, mentions), [])
    actors = stage("Actors", lambda: _acting_states(work, actors, places), actors)
    sents = sentences(work)
    dates = stage("Dates", lambda: find_dates(work, published), [])
    events = stage("Events", lambda: events_from_dates(work, dates, sents), [])
    shipments = stage(
        "Shipments", lambda: find_legs(work, sents, find_quantities(work), places, mentions, dates), []
    )
    kept = [e for e in events if partial_date(e.date, e.approximate) is not None]
    occasion = stage("Events", lambda: _occasion(work, published, quotes, dates, kept), None)
    if occasion is not None:
        kept.insert(0, occasion)
    if len(kept) < len(events):
        notes.append(f"{len(events) - len(kept)} dates could not be read as calendar days and were left out.")
    return Suggestions(
        published=published,
        actors=actors,
        places=places,
        events=kept,
        shipments=shipments,
        quotes=quotes,
        notes=notes,
    )


def _places(text: str, work: str, datelines: list[tuple[int, int]], mentions: list) -> list[Place]:
    """The body's places, ranked also by the dateline's country ("SAN JUAN, Puerto Rico" makes a later "Base San
    Juan" the one in Puerto Rico), with the datelines' places first."""
    found = [p for p in (dateline_place(text, a, b) for a, b in datelines) if p is not None]
    body = extract_places(work, mentions, named=[p.country for p in found if p.country])
    return _with_datelines(found, body)


def _with_datelines(found: list[Place], places: list[Place]) -> list[Place]:
    """The datelines' places first, merged into the same place named again in the body."""
    out = list(places)
    for place in found:
        same = next(
            (p for p in out if place.gazetteer_name and p.gazetteer_name == place.gazetteer_name), None
        )
        if same is not None and same.country == place.country:
            same.spans.insert(0, place.spans[0])
        else:
            out.insert(0, place)
    return out


_OFFICE_FOR_RE = re.compile(
    r"\b(?:Representative|Envoy|Coordinator|Ambassador|Special[ \t]+\w+)[ \t]+(?:for|to)[ \t]+(?:[A-Z][\w’']*[ \t]+and[ \t]+)?$"
)


_ATTRIBUTIVE_RE = re.compile(
    r"(?:U\.S\.|US|U\.K\.|UK|United[ \t]+States|United[ \t]+Kingdom)[ \t]+"
    r"(?:[A-Z][a-z]|(?:sanctions|law|laws|jurisdiction|dollars?|currency|financial|persons?|export|exports)\b)"
)


def _acting_states(text: str, actors: list[Actor], places: list[Place]) -> list[Actor]:
    """A country named only in an office's title ("Special Envoy for Iran and Venezuela") is not an actor of
    the report. Nor is one named only as a location ("shipped to Peru"): it is suggested as a place, and
    offering it as a state as well put a node on the link chart for every origin and destination (real
    reports' annotations count it as a place only; our own early sets also listed the state)."""
    where = SpanIndex(span for p in places for span in p.spans)

    def titled(a: int) -> bool:
        return bool(_OFFICE_FOR_RE.search(text[max(0, a - 60) : a]))

    out = []
    for x in actors:
        if x.kind == "state" and x.spans and all(titled(a) for a, _ in x.spans):
            continue
        if x.kind == "state" and x.spans and all(where.contains(a, b) for a, b in x.spans):
            continue
        if x.kind == "state" and x.spans and all(_ATTRIBUTIVE_RE.match(text, a) for a, _ in x.spans):
            continue  # "U.S. Attorney", "U.S. sanctions": the country only as a modifier, never acting
        out.append(x)
    return out


def _speakers_as_actors(quotes: list[Quote], actors: list[Actor]) -> None:
    """Every speaker a quote names is also suggested as an actor ("representative of Chile", a transcript's
    "Moderator"), so the review lists who will be created. A speaker given only by a description ("a
    European diplomat") is not proposed as an actor; accepting its quote still records it as the speaker."""
    known = {n.casefold() for a in actors for n in a.names()}
    for q in quotes:
        named = q.speaker and (
            ROLE_SPEAKER_RE.fullmatch(q.speaker) or all(w[:1].isupper() for w in q.speaker.split())
        )
        if named and q.speaker.casefold() not in known:
            spans = [q.attribution_span] if q.attribution_span else []
            actors.append(
                Actor(
                    name=q.speaker,
                    kind="person",
                    spans=list(spans),
                    confidence=min(q.confidence, 0.7),
                    reason="the speaker of a quote, named by role or description",
                )
            )
            known.add(q.speaker.casefold())


_TURN_REASONS = ("a paragraph of a transcript turn", "a paragraph of remarks published")


def _occasion(
    work: str, published: dt.date | None, quotes: list[Quote], dates: list[DateMention], events: list[Event]
) -> Event | None:
    """A briefing transcript or published remarks report their own occasion (the briefing held, the speech
    given) on the publication day, usually without writing that date. Suggested once, titled by the first
    line, unless an event already has that day or the first line dates the occasion itself. (Datelined news is not: its lead event is often "on Thursday".)"""
    if published is None or any(e.date == published.isoformat() for e in events):
        return None
    if not any(q.reason.startswith(_TURN_REASONS) for q in quotes):
        return None
    start = len(work) - len(work.lstrip())
    end = work.find("\n", start)
    end = len(work) if end < 0 else end
    line = work[start:end].strip()
    if not line or any(start <= d.span[0] < end for d in dates):
        return None
    return Event(
        date=published.isoformat(),
        what=line[:300],
        span=(start, end),
        date_span=(start, start),
        expression="(publication date)",
        confidence=0.5,
        reason="a transcript or remarks: the occasion itself, on the publication day",
    )


def _edtf(value: str, approximate: bool) -> str | None:
    """The canonical stored form of the case file's date type, so accepting an event needs no re-parsing."""
    pd = partial_date(value, approximate)
    return pd.edtf() if pd is not None else None


def _spans(spans: list[tuple[int, int]]) -> list[list[int]]:
    return [[a, b] for a, b in spans]


def to_json(s: Suggestions) -> dict[str, Any]:
    """The issue's JSON shape, with positions and confidences as extra fields."""
    return {
        "published": s.published.isoformat() if s.published else None,
        "actors": [
            {
                "name": a.name,
                "kind": a.kind,
                "aliases": list(a.aliases),
                "spans": _spans(a.spans),
                "title": a.title,
                "role": a.role,
                "confidence": a.confidence,
                "reason": a.reason,
                "merge_with": a.merge_with,
            }
            for a in s.actors
        ],
        "places": [
            {
                "name": p.name,
                "country": p.country,
                "lat": p.lat,
                "lon": p.lon,
                "spans": _spans(p.spans),
                "gazetteer_name": p.gazetteer_name,
                "feature": p.feature,
                "precision": p.precision,
                "confidence": p.confidence,
                "reason": p.reason,
            }
            for p in s.places
        ],
        "events": [
            {
                "date": e.date,
                "what": e.what,
                "edtf": _edtf(e.date, e.approximate),
                "span": list(e.span),
                "date_span": list(e.date_span),
                "expression": e.expression,
                "approximate": e.approximate,
                "confidence": e.confidence,
                "reason": e.reason,
            }
            for e in s.events
        ],
        "shipments": [
            {
                "cargo": sh.cargo,
                "quantity": sh.quantity,
                "value": sh.value,
                "unit": sh.unit,
                "approximate": sh.approximate,
                "spans": _spans(sh.spans),
                "confidence": sh.confidence,
                "reason": sh.reason,
                "legs": [
                    {
                        "from": leg.origin,
                        "to": leg.destination,
                        "mode": leg.mode,
                        "carrier": leg.carrier,
                        "depart": leg.depart,
                        "arrive": leg.arrive,
                        "span": list(leg.span),
                    }
                    for leg in sh.legs
                ],
            }
            for sh in s.shipments
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "text": q.text,
                "spans": _spans(q.spans),
                "attribution_span": list(q.attribution_span) if q.attribution_span else None,
                "confidence": q.confidence,
                "reason": q.reason,
            }
            for q in s.quotes
        ],
        "notes": list(s.notes),
    }


__all__ = ["suggest", "to_json", "Suggestions", "asdict"]
