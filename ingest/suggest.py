"""One call from report text to reviewable suggestions, and their JSON form.

The JSON has the shape the issue fixes (published, actors, places, events, shipments, quotes) plus extra
fields: character spans for highlighting and citing, a confidence, and a proposed merge with a known actor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from typing import Any

from .actors import extract_actors
from .cargo import find_legs, find_quantities
from .dates import events_from_dates, find_dates, partial_date
from .model import Suggestions
from .places import extract_places
from .quotes import extract_quotes
from .readers import source_header
from .text import sentences

_DATELINE_RE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'\-]{2,}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"
    r"(?:\s*\([^)]*\))?\s*[—–-]{1,2}\s",
    re.M,
)


def _blank(text: str, a: int, b: int) -> str:
    """Replace a stretch with spaces so that offsets stay those of the original text."""
    return text[:a] + re.sub(r"[^\n]", " ", text[a:b]) + text[b:]


def suggest(
    text: str, *, published: dt.date | None = None, known_actors: list[tuple[str, list[str]]] | tuple = ()
) -> Suggestions:
    """Everything the rules find in ``text``; relative dates are resolved against ``published``."""
    header, _, _, header_date = source_header(text)
    published = published or header_date
    work = _blank(text, *header) if header[1] else text
    for dl in _DATELINE_RE.finditer(work[: header[1] + 400]):
        work = _blank(work, dl.start(), dl.end())  # "WASHINGTON, Oct. 13 (Wire) —" is no event, no place
    actors, mentions = extract_actors(work, list(known_actors))
    quotes = extract_quotes(work, actors, mentions)
    places = extract_places(work, mentions)
    sents = sentences(work)
    dates = find_dates(work, published)
    events = events_from_dates(work, dates, sents)
    shipments = find_legs(work, sents, find_quantities(work), places, mentions, dates)
    return Suggestions(
        published=published, actors=actors, places=places, events=events, shipments=shipments, quotes=quotes
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
            }
            for q in s.quotes
        ],
    }


__all__ = ["suggest", "to_json", "Suggestions", "asdict"]
