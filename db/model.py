"""Read-side dataclasses: one per entity, built from a row, with dates as PartialDate values."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Self

from caseboard.db import values
from caseboard.db.dates import PartialDate


def _date(text: Any) -> PartialDate | None:
    """The EDTF date, or None when there is none or it cannot be read (a file from elsewhere may hold a blob or
    an inverted range there)."""
    if not text or not isinstance(text, str):
        return None
    try:
        return PartialDate.from_edtf(text)
    except (ValueError, OverflowError):
        return None


#: How each annotated field type is checked when read (see db/values.py).
_CHECKS = {
    "str": values.text,
    "str | None": values.text_or_none,
    "int | None": values.integer,
    "float | None": values.number,
}


class _FromRow:
    DATES: tuple[str, ...] = ()
    JSON: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """Build from a row, checking every value against the field's type (odd cells read as unreadable)."""
        types = {f.name: f.type for f in fields(cls)}  # type: ignore[arg-type]
        defaults = {f.name: f.default for f in fields(cls)}  # type: ignore[arg-type]
        out = {k: v for k, v in row.items() if k in types}
        for k, v in out.items():
            kind = types[k]
            if k in cls.DATES:
                out[k] = _date(v)
            elif k in cls.JSON:
                out[k] = values.string_list(v)
            elif kind == "int":
                checked = values.integer(v)
                fallback = defaults[k]
                out[k] = checked if checked is not None else (fallback if isinstance(fallback, int) else 0)
            elif kind in _CHECKS:
                out[k] = _CHECKS[kind](v)
        return cls(**out)


@dataclass
class Source(_FromRow):
    id: str
    title: str
    label: str = ""
    kind: str = "report"
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: PartialDate | None = None
    reliability: str = "F"
    via_id: str | None = None
    notes: str = ""
    text: str | None = None
    text_sha256: str | None = None
    accessed: PartialDate | None = None
    archive_url: str = ""
    original_sha256: str | None = None
    original_name: str = ""
    DATES = ("published", "accessed")


@dataclass
class Actor(_FromRow):
    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    country: str = ""
    flag: str = ""
    imo: str = ""
    JSON = ("aliases",)


@dataclass
class Place(_FromRow):
    id: str
    name: str
    kind: str = "other"
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    precision: str = "exact"
    notes: str = ""
    JSON = ("aliases",)


@dataclass
class Shipment(_FromRow):
    id: str
    cargo: str
    title: str = ""
    quantity: float | None = None
    quantity_qualifier: str = ""
    unit: str = ""
    shipper_id: str | None = None
    receiver_id: str | None = None
    status: str = "reported"
    date: PartialDate | None = None
    notes: str = ""
    DATES = ("date",)

    @property
    def quantity_text(self) -> str:
        if self.quantity is None:
            return ""
        q = f"{self.quantity:,.0f}" if float(self.quantity).is_integer() else f"{self.quantity:,}"
        return " ".join(p for p in (self.quantity_qualifier, q, self.unit) if p)


@dataclass
class Leg(_FromRow):
    id: str
    shipment_id: str
    seq: int
    from_place_id: str | None = None
    to_place_id: str | None = None
    mode: str = "other"
    carrier_id: str | None = None
    depart: PartialDate | None = None
    arrive: PartialDate | None = None
    notes: str = ""
    DATES = ("depart", "arrive")


@dataclass
class Event(_FromRow):
    id: str
    title: str
    description: str = ""
    date: PartialDate | None = None
    place_id: str | None = None
    shipment_id: str | None = None
    DATES = ("date",)


@dataclass
class Statement(_FromRow):
    id: str
    text: str
    speaker_id: str | None = None
    kind: str = "quote"
    said: PartialDate | None = None
    source_id: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    notes: str = ""
    DATES = ("said",)


@dataclass
class Relationship(_FromRow):
    id: str
    from_actor_id: str
    to_actor_id: str
    kind: str
    label: str = ""
    role: str = ""
    since: PartialDate | None = None
    until: PartialDate | None = None
    notes: str = ""
    DATES = ("since", "until")

    @property
    def kind_text(self) -> str:
        """What the edge says: the label for "other", else the kind ("flag state of")."""
        return self.label if self.kind == "other" else self.kind


@dataclass
class Citation(_FromRow):
    id: str
    subject_table: str
    subject_id: str
    source_id: str
    credibility: int = 6
    locator: str = ""
    notes: str = ""
    text_start: int | None = None
    text_end: int | None = None


MODELS: dict[str, type[_FromRow]] = {
    "sources": Source,
    "actors": Actor,
    "places": Place,
    "shipments": Shipment,
    "legs": Leg,
    "events": Event,
    "statements": Statement,
    "relationships": Relationship,
    "citations": Citation,
}
