"""Turning what a user typed into column values, with a message naming the field when it is wrong.

One declarative spec per table keeps the rules in one place: the forms in the window, the command line and the
demo loader all go through ``clean``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from caseboard.db import schema
from caseboard.db.dates import DateParseError, PartialDate, parse_date
from caseboard.db.errors import ValidationError

Converter = Callable[[str, Any], dict[str, Any]]


def text(required: bool = False, max_len: int = 1_000_000) -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        value = "" if value is None else str(value)
        if required and not value.strip():
            raise ValidationError(field, "is required.")
        if len(value) > max_len:
            raise ValidationError(field, f"is too long ({len(value)} characters; at most {max_len}).")
        return {field: value.strip() if max_len < 10_000 else value}

    return conv


def choice(options: tuple, default: Any = None) -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        if value in (None, "") and default is not None:
            value = default
        if isinstance(value, str) and isinstance(options[0], str):
            value = value.strip().lower() if options[0].islower() else value.strip().upper()
        if isinstance(options[0], int) and value is not None:
            try:
                value = int(value)
            except (TypeError, ValueError):
                pass
        if value not in options:
            raise ValidationError(field, f"must be one of {', '.join(map(str, options))} (got {value!r}).")
        return {field: value}

    return conv


def ref(field_label: str) -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        if value in (None, ""):
            return {field: None}
        if not isinstance(value, str):
            raise ValidationError(field, f"must be the id of a {field_label}.")
        return {field: value}

    return conv


def date() -> Converter:
    """A partial date: accepts PartialDate, EDTF text or the forms analysts type; fills X, X_start, X_end."""

    def conv(field: str, value: Any) -> dict[str, Any]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return {field: None, f"{field}_start": None, f"{field}_end": None}
        if not isinstance(value, PartialDate):
            try:
                value = parse_date(str(value))
            except DateParseError as exc:
                raise ValidationError(field, str(exc)) from None
        return {field: value.edtf(), f"{field}_start": value.start_day(), f"{field}_end": value.end_day()}

    return conv


def coordinate(low: float, high: float, name: str) -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return {field: None}
        try:
            number = (
                float(str(value).strip().rstrip("°NSEWnsew ")) if isinstance(value, str) else float(value)
            )
            if isinstance(value, str) and re.search(r"[SWsw]\s*$", value.strip()):
                number = -abs(number)
        except ValueError:
            raise ValidationError(field, f"the {name} {value!r} is not a number of degrees.") from None
        if math.isnan(number) or not low <= number <= high:
            raise ValidationError(
                field, f"{name} must be between {low:g} and {high:g} degrees (got {value})."
            )
        return {field: round(number, 6)}

    return conv


def number(minimum: float | None = None) -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return {field: None}
        try:
            n = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
        except ValueError:
            raise ValidationError(field, f"{value!r} is not a number.") from None
        if math.isnan(n) or (minimum is not None and n < minimum):
            raise ValidationError(field, f"must be a number of at least {minimum:g} (got {value}).")
        return {field: int(n) if n.is_integer() else n}

    return conv


def integer(minimum: int = 0) -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        if value is None or value == "":
            return {field: None}
        try:
            n = int(value)
        except (TypeError, ValueError):
            raise ValidationError(field, f"{value!r} is not a whole number.") from None
        if n < minimum:
            raise ValidationError(field, f"must be at least {minimum} (got {n}).")
        return {field: n}

    return conv


def aliases() -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        if value is None or value == "":
            items: list[str] = []
        elif isinstance(value, str):
            try:
                loaded = json.loads(value) if value.lstrip().startswith("[") else None
            except json.JSONDecodeError:
                loaded = None
            items = loaded if isinstance(loaded, list) else [v for v in re.split(r"[;\n]", value)]
        else:
            items = list(value)
        seen: list[str] = []
        for item in items:
            item = str(item).strip()
            if item and item.lower() not in {s.lower() for s in seen}:
                seen.append(item)
        return {field: json.dumps(seen, ensure_ascii=False)}

    return conv


def url() -> Converter:
    """A web address a PDF reader can open: http(s) only, so a case file cannot plant ``javascript:`` links."""

    def conv(field: str, value: Any) -> dict[str, Any]:
        value = str(value or "").strip()
        if value and re.match(r"(?i)www\.", value):
            value = "https://" + value
        if value and not re.match(r"(?i)https?://[^\s/]+\.[^\s]*$|https?://localhost", value):
            raise ValidationError(
                field, f"a web address starts with https:// or http:// (got {value[:60]!r})."
            )
        if len(value) > 4000:
            raise ValidationError(field, "is too long for a web address.")
        return {field: value}

    return conv


def imo() -> Converter:
    def conv(field: str, value: Any) -> dict[str, Any]:
        value = re.sub(r"^\s*IMO\s*", "", str(value or ""), flags=re.I).strip()
        if value and not re.fullmatch(r"\d{7}", value):
            raise ValidationError(field, f"an IMO number has seven digits (got {value!r}).")
        if value and sum(int(d) * w for d, w in zip(value[:6], range(7, 1, -1), strict=True)) % 10 != int(
            value[6]
        ):
            raise ValidationError(field, f"IMO {value} fails its check digit; check for a typo.")
        return {field: value}

    return conv


SPEC: dict[str, dict[str, Converter]] = {
    "sources": {
        "id": ref("source"),
        "label": text(max_len=40),
        "title": text(required=True, max_len=2000),
        "kind": text(max_len=80),
        "outlet": text(max_len=500),
        "author": text(max_len=500),
        "url": url(),
        "published": date(),
        "reliability": choice(schema.RELIABILITY_GRADES, default="F"),
        "via_id": ref("source"),
        "notes": text(max_len=100_000),
        "text": text(max_len=50_000_000),
        "text_sha256": text(max_len=64),
        "accessed": date(),
        "archive_url": url(),
        "original_sha256": ref("original"),
        "original_name": text(max_len=500),
    },
    "actors": {
        "id": ref("actor"),
        "name": text(required=True, max_len=500),
        "kind": choice(schema.ACTOR_KINDS),
        "aliases": aliases(),
        "description": text(max_len=100_000),
        "country": text(max_len=200),
        "flag": text(max_len=200),
        "imo": imo(),
    },
    "places": {
        "id": ref("place"),
        "name": text(required=True, max_len=500),
        "kind": choice(schema.PLACE_KINDS, default="other"),
        "aliases": aliases(),
        "country": text(max_len=200),
        "lat": coordinate(-90, 90, "latitude"),
        "lon": coordinate(-180, 180, "longitude"),
        "precision": choice(schema.PLACE_PRECISIONS, default="exact"),
        "notes": text(max_len=100_000),
    },
    "shipments": {
        "id": ref("shipment"),
        "title": text(max_len=500),
        "cargo": text(required=True, max_len=2000),
        "quantity": number(minimum=0),
        "quantity_qualifier": text(max_len=40),
        "unit": text(max_len=100),
        "shipper_id": ref("actor"),
        "receiver_id": ref("actor"),
        "status": choice(schema.SHIPMENT_STATUSES, default="reported"),
        "date": date(),
        "notes": text(max_len=100_000),
    },
    "legs": {
        "id": ref("leg"),
        "shipment_id": ref("shipment"),
        "seq": integer(0),
        "from_place_id": ref("place"),
        "to_place_id": ref("place"),
        "mode": choice(schema.LEG_MODES, default="other"),
        "carrier_id": ref("actor"),
        "depart": date(),
        "arrive": date(),
        "notes": text(max_len=100_000),
    },
    "events": {
        "id": ref("event"),
        "title": text(required=True, max_len=2000),
        "description": text(max_len=100_000),
        "date": date(),
        "place_id": ref("place"),
        "shipment_id": ref("shipment"),
    },
    "event_actors": {
        "event_id": ref("event"),
        "actor_id": ref("actor"),
        "role": text(max_len=200),
    },
    "statements": {
        "id": ref("statement"),
        "speaker_id": ref("actor"),
        "text": text(required=True, max_len=1_000_000),
        "kind": choice(schema.STATEMENT_KINDS, default="quote"),
        "said": date(),
        "source_id": ref("source"),
        "source_start": integer(0),
        "source_end": integer(0),
        "notes": text(max_len=100_000),
    },
    "relationships": {
        "id": ref("relationship"),
        "from_actor_id": ref("actor"),
        "to_actor_id": ref("actor"),
        "kind": choice(schema.RELATIONSHIP_KINDS),
        "label": text(max_len=200),
        "role": text(max_len=500),
        "since": date(),
        "until": date(),
        "notes": text(max_len=100_000),
    },
    "citations": {
        "id": ref("citation"),
        "subject_table": choice(schema.CITABLE),
        "subject_id": ref("fact"),
        "source_id": ref("source"),
        "credibility": choice(schema.CREDIBILITY_GRADES, default=6),
        "locator": text(max_len=500),
        "notes": text(max_len=100_000),
        "text_start": integer(0),
        "text_end": integer(0),
    },
}

#: Columns derived from others (date parts) that callers never set directly.
_FIELDS = {name for spec in SPEC.values() for name in spec}
#: (citations.text_start is a field of its own, not a part of a date.)
DERIVED = {f"{name}_{part}" for name in _FIELDS for part in ("start", "end")} - _FIELDS


def clean(table: str, values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate and convert ``values`` for ``table``; with ``partial`` only the given fields are checked."""
    spec = SPEC[table]
    unknown = set(values) - set(spec) - DERIVED
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"is not a field of {table}.")
    out: dict[str, Any] = {}
    for field, conv in spec.items():
        if field in values:
            out.update(conv(field, values[field]))
        elif not partial and field != "id":
            out.update(conv(field, None))
    if (
        table == "places"
        and ("lat" in out or "lon" in out)
        and (out.get("lat") is None) != (out.get("lon") is None)
    ):
        if not partial or ("lat" in out and "lon" in out):
            missing = "lon" if out.get("lat") is not None else "lat"
            raise ValidationError(missing, "latitude and longitude are given together or not at all.")
    if table == "statements" and out.get("source_start") is not None and out.get("source_end") is not None:
        if out["source_end"] < out["source_start"]:
            raise ValidationError("source_end", "the quote's end lies before its start in the source text.")
    if table == "relationships":
        _check_relationship(out, partial)
    return out


def _check_relationship(out: dict[str, Any], partial: bool) -> None:
    if not partial:
        for end in ("from_actor_id", "to_actor_id"):
            if not out.get(end):
                raise ValidationError(end, "a relationship needs an actor at both ends.")
    if out.get("from_actor_id") and out.get("from_actor_id") == out.get("to_actor_id"):
        raise ValidationError("to_actor_id", "a relationship joins two different actors.")
    if (
        out.get("kind") == "other"
        and not (out.get("label") or "").strip()
        and (not partial or "label" in out)
    ):
        raise ValidationError("label", "say what the relationship is when its kind is 'other'.")
    start, end = out.get("since_start"), out.get("until_end")
    if start is not None and end is not None and end < start:
        raise ValidationError("until", "the relationship ends before it starts.")
