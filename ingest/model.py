"""Suggestion records shared by the extractors.

Every record keeps the character spans it came from so that the review view can
highlight it and an accepted fact can cite its exact place in the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class Actor:
    """A person, organization, state or vessel, de-duplicated over its mentions."""

    name: str
    kind: str  # person | organization | state | vessel
    aliases: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    title: str | None = None
    role: str | None = None
    gender: str | None = None  # "m" | "f" | None, only to resolve pronouns
    confidence: float = 0.7
    reason: str = ""  # why that confidence, in words the review shows
    merge_with: str | None = None  # name of a known case actor this one matches

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Place:
    """A place mention resolved against the offline gazetteer when possible."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    spans: list[Span] = field(default_factory=list)
    gazetteer_name: str | None = None
    feature: str = "place"  # city | country | sea | region | place
    precision: str = "exact"  # exact | approximate | country | unknown
    confidence: float = 0.6
    reason: str = ""  # why that confidence, in words the review shows


@dataclass
class DateMention:
    """A date expression resolved against the publication date."""

    value: str  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or "start/end"
    expression: str
    span: Span
    precision: str  # year | month | day | range
    approximate: bool = False


@dataclass
class Event:
    """Something the report says happened at a date."""

    date: str
    what: str
    span: Span  # of the sentence describing it
    date_span: Span
    expression: str
    approximate: bool = False
    confidence: float = 0.6
    reason: str = ""  # why that confidence, in words the review shows


@dataclass
class Leg:
    """One movement of a shipment."""

    origin: str | None = None
    destination: str | None = None
    mode: str | None = None  # sea | rail | road | air
    carrier: str | None = None
    depart: str | None = None
    arrive: str | None = None
    span: Span = (0, 0)


@dataclass
class Shipment:
    """Cargo with a quantity and the legs the report describes."""

    cargo: str | None
    quantity: str | None
    value: float | None = None
    unit: str | None = None
    approximate: bool = False
    spans: list[Span] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    confidence: float = 0.5
    reason: str = ""  # why that confidence, in words the review shows


@dataclass
class Quote:
    """A direct quotation: the exact words between the marks, and who said them."""

    text: str
    speaker: str | None
    spans: list[Span] = field(default_factory=list)  # of the words, one per segment
    attribution_span: Span | None = None
    confidence: float = 0.6
    reason: str = ""  # why that confidence, in words the review shows


@dataclass
class Suggestions:
    """Everything suggested for one report."""

    published: dt.date | None
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was dropped while suggesting, and why
