"""FollowTheMoney import: entities from Aleph, OpenSanctions or a Caseboard export into a case, in one transaction.

Two paths. An entity carrying a ``caseboard`` key (written by ``ftm_export``) is put back exactly as it was:
every column, id, EDTF date, character offset and grade. Any other entity is mapped from its FtM schema and
properties (docs/exchange.md lists the mapping); schemata Caseboard has no place for are counted and reported,
never dropped silently, and facts from such a file are cited to a source naming the file. Actors that match ones
already in the case (same id, same IMO number, or a shared name or alias) are offered for merging.

Reading (``read_ftm``) never touches the case; ``apply_ftm`` writes everything or nothing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseboard.db import crud, fields, rows
from caseboard.db.case import Case
from caseboard.db.dates import PartialDate
from caseboard.db.errors import CaseError, ValidationError
from caseboard.db.exchange.common import aliases, checkpoint, country_name, partial
from caseboard.db.exchange.ftm_export import FORMAT_VERSION, RELATIONSHIP_ENDS
from caseboard.db.schema import CITABLE, RELATIONSHIP_FTM

#: Tables in the order rows are inserted (parents first).
ORDER = rows.TABLE_ORDER
#: Foreign schemata and the actor kind they become.
ACTOR_SCHEMATA = {
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "PublicBody": "organization",
    "LegalEntity": "other",
    "Vessel": "vessel",
    "Airplane": "other",
    "Vehicle": "other",
}
SOURCE_SCHEMATA = (
    "Document",
    "Article",
    "Pages",
    "Page",
    "PlainText",
    "HyperText",
    "Email",
    "Message",
    "Image",
    "Video",
    "Audio",
    "Table",
    "Workbook",
    "Package",
)
#: References between rows: column -> table it points at.
REFS = {column: table for column, (table, _words) in crud._FK_FIELDS.items()}
#: Rows without these references make no sense and are left out (with a warning) when the referent is missing.
REQUIRED_REFS = {
    ("legs", "shipment_id"),
    ("citations", "source_id"),
    ("event_actors", "event_id"),
    ("event_actors", "actor_id"),
}


class FtmImportError(CaseError):
    """The file cannot be imported; nothing was changed."""


@dataclass
class MergeOffer:
    """An incoming actor that looks like one already in the case."""

    incoming_id: str
    incoming_name: str
    existing_id: str
    existing_name: str
    reason: str  # "same id", "same IMO number", "same name or alias"

    @property
    def certain(self) -> bool:
        """Same id or IMO: the same thing, not merely the same name."""
        return self.reason != "same name or alias"


@dataclass
class ImportPlan:
    """What a file would add, read without touching the case."""

    path: Path
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in ORDER})
    originals: list[dict[str, Any]] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    offers: list[MergeOffer] = field(default_factory=list)
    #: ids (table, id) of rows mapped from foreign entities: they get a citation to the file.
    foreign: list[tuple[str, str]] = field(default_factory=list)
    lines: int = 0
    derived: int = 0
    #: What ``apply_ftm`` did: rows "added", "updated" (ours, edited since), "unchanged" (already here) and
    #: "renamed" (foreign rows whose id the case used for something else, added under a new id).
    outcome: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {t: len(v) for t, v in self.rows.items() if v}

    def summary(self) -> str:
        """One paragraph: what will be added, what is not mapped."""
        parts = [_count(n, t.replace("_", " ")) for t, n in self.counts().items()]
        text = f"{self.path.name}: {_count(self.lines, 'entities')}, read as {', '.join(parts) or 'nothing to add'}"
        if self.unmapped:
            kinds = ", ".join(f"{n} {s}" for s, n in self.unmapped.most_common())
            text += f". Not mapped (no place for them in a case): {kinds}"
        return text + "."

    def result_text(self) -> str:
        """What the import did, for the status bar and the command line."""
        o = self.outcome
        text = f"{_count(o.get('added', 0), 'rows')} added"
        if o.get("updated"):
            text += f", {o['updated']} updated (rows of ours edited since this file was written)"
        if o.get("unchanged"):
            text += f", {o['unchanged']} already in the case unchanged"
        if o.get("renamed"):
            text += (
                f", {o['renamed']} from another tool added under new ids (their ids were taken by different rows;"
                " the case's rows were left as they were)"
            )
        return text


def _count(n: int, plural: str) -> str:
    """ "1 actor", "2 actors", "1 entity" """
    if n != 1:
        return f"{n} {plural}"
    return f"1 {plural[:-3] + 'y' if plural.endswith('ies') else plural[:-1]}"


# -- reading -------------------------------------------------------------------------------------------------------
def _first(props: dict[str, list], key: str) -> str:
    values = props.get(key) or []
    return str(values[0]).strip() if values else ""


def _all(props: dict[str, list], key: str) -> list[str]:
    return [str(v).strip() for v in props.get(key) or [] if str(v).strip()]


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _date_prefix(value: str) -> str | None:
    m = _ISO_DATE.match(value.strip())
    return m.group(0) if m else None


def ftm_date(
    props: dict[str, list], single: str = "date", start: str = "startDate", end: str = "endDate"
) -> str | None:
    """EDTF from FtM's ``date`` or ``startDate``/``endDate`` (times dropped; ends cut to the coarser precision)."""
    one = _date_prefix(_first(props, single)) if _first(props, single) else None
    lo = _date_prefix(_first(props, start)) if _first(props, start) else None
    hi = _date_prefix(_first(props, end)) if _first(props, end) else None
    if lo or hi:
        lo, hi = lo or hi, hi or lo
        assert lo is not None and hi is not None
        n = min(len(lo), len(hi))
        lo, hi = lo[:n], hi[:n]
        if hi < lo:
            lo, hi = hi, lo
        text = lo if lo == hi else f"{lo}/{hi}"
    else:
        text = one
    if not text:
        return None
    try:
        return PartialDate.from_edtf(text).edtf()
    except (ValueError, TypeError):
        return None


def _clean(table: str, values: dict[str, Any], line: int, warnings: list[str]) -> dict[str, Any] | None:
    """``fields.clean`` for a foreign row; a bad optional value is dropped with a warning, a bad required one
    drops the row."""
    values = dict(values)
    for _ in range(len(values) + 1):
        try:
            return fields.clean(table, values)
        except ValidationError as exc:
            if exc.field not in values or values[exc.field] in (None, ""):
                warnings.append(f"line {line}: left out ({exc.message})")
                return None
            warnings.append(
                f"line {line}: {exc.field} {str(values[exc.field])[:40]!r} left out: {exc.message}"
            )
            values.pop(exc.field)
    return None


def _date_fields(spec: dict[str, Any]) -> set[str]:
    """The fields whose converter fills a ``_start`` column: the partial dates."""
    found = set()
    for name, conv in spec.items():
        try:
            if f"{name}_start" in conv(name, None):
                found.add(name)
        except ValidationError:  # a required field: not a date of ours
            continue
    return found


#: Date fields per table: ours are EDTF, read with a cache instead of the parser that reads what analysts type.
_DATES = {table: _date_fields(spec) for table, spec in fields.SPEC.items()}


def _as_date(value: Any) -> Any:
    """A stored EDTF as a PartialDate (parsed once per distinct text); anything else as it was."""
    if isinstance(value, str) and value:
        try:
            return partial(value)
        except (ValueError, TypeError):
            return value
    return value


class _Reader:
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.schema_of: dict[str, str] = {}
        self.documentation: list[tuple[int, dict]] = []
        self.trips: list[tuple[int, dict]] = []
        self.events: list[tuple[int, dict]] = []
        self.links: list[tuple[int, dict]] = []

    def add(self, table: str, values: dict[str, Any], line: int, *, foreign: bool) -> None:
        clean = (
            _clean(table, values, line, self.plan.warnings) if foreign else self._ours(table, values, line)
        )
        if clean is None:
            return
        if "id" in values and values["id"]:
            clean["id"] = values["id"]
        self.plan.rows[table].append(clean)
        if foreign and table != "event_actors":
            self.plan.foreign.append((table, clean["id"]))

    def _ours(self, table: str, row: dict[str, Any], line: int) -> dict[str, Any]:
        spec = fields.SPEC[table]
        extra = sorted(set(row) - set(spec) - fields.DERIVED)
        if extra:
            self.plan.warnings.append(
                f"line {line}: {table} columns this version does not know left out: {', '.join(extra)}"
            )
        dates = _DATES[table]
        given = {k: _as_date(v) if k in dates else v for k, v in row.items() if k in spec}
        try:
            clean = fields.clean(table, given)
        except ValidationError as exc:
            raise FtmImportError(f"line {line}: the Caseboard {table[:-1]} is damaged: {exc}") from None
        # a NULL the case held stays NULL (the forms' cleaning would make an empty text of it)
        return {k: None if row.get(k, "") is None and v == "" else v for k, v in clean.items()}

    # our own entities, back exactly
    def ours(self, line: int, ent: dict, key: dict) -> None:
        if key.get("derived"):
            self.plan.derived += 1
            return
        table, row = key.get("table"), key.get("row")
        if table not in fields.SPEC or table == "event_actors" or not isinstance(row, dict):
            raise FtmImportError(
                f'line {line}: the "caseboard" key names no table Caseboard knows ({table!r}).'
            )
        self.add(table, row, line, foreign=False)
        for actor_id, role in key.get("actors") or []:
            self.add(
                "event_actors",
                {"event_id": row.get("id"), "actor_id": actor_id, "role": role},
                line,
                foreign=False,
            )
        for cite in key.get("citations") or []:
            self.add("citations", cite, line, foreign=False)
        original = key.get("original")
        if isinstance(original, dict):
            try:
                data = base64.b64decode(original["data"], validate=True)
            except (KeyError, ValueError):
                raise FtmImportError(f"line {line}: the kept original of this source is damaged.") from None
            if hashlib.sha256(data).hexdigest() != original.get("sha256"):
                raise FtmImportError(
                    f"line {line}: the kept original of this source does not match its SHA-256."
                )
            self.plan.originals.append({**original, "data": data})

    # everything else, by schema
    def foreign(self, line: int, ent: dict) -> None:
        schema, props, eid = ent["schema"], ent["properties"], ent["id"]
        self.schema_of[eid] = schema
        if schema in ACTOR_SCHEMATA:
            kind = ACTOR_SCHEMATA[schema]
            names = _all(props, "name")
            if not names:
                self.plan.warnings.append(f"line {line}: a {schema} without a name left out")
                return
            values = {
                "id": eid,
                "name": names[0],
                "kind": kind,
                "aliases": names[1:]
                + _all(props, "alias")
                + _all(props, "weakAlias")
                + _all(props, "previousName"),
                "description": "\n".join(
                    _all(props, "description") + _all(props, "summary") + _all(props, "notes")
                ),
                "country": country_name(
                    _first(props, "country") or _first(props, "nationality") or _first(props, "jurisdiction")
                ),
            }
            if schema == "Vessel":
                values["flag"] = country_name(_first(props, "flag"))
                imo = re.sub(r"\D", "", _first(props, "imoNumber"))
                values["imo"] = imo if len(imo) == 7 else ""
                if imo and len(imo) != 7:
                    self.plan.warnings.append(
                        f"line {line}: IMO number {_first(props, 'imoNumber')!r} left out"
                    )
                extra = [f"{p} {v}" for p in ("mmsi", "callSign", "type") for v in _all(props, p)]
                if extra:
                    values["description"] = "\n".join(filter(None, [values["description"], "; ".join(extra)]))
            self.add("actors", values, line, foreign=True)
        elif schema == "Address":
            name = _first(props, "name") or _first(props, "full") or _first(props, "city")
            if not name:
                self.plan.warnings.append(f"line {line}: an Address without a name or full text left out")
                return
            lat, lon = _first(props, "latitude"), _first(props, "longitude")
            values = {
                "id": eid,
                "name": name,
                "aliases": [a for a in _all(props, "full") + _all(props, "alias") if a != name],
                "country": country_name(_first(props, "country")),
                "lat": lat or None,
                "lon": lon or None,
                "precision": "exact" if lat and lon else "unknown",
                "notes": "\n".join(_all(props, "notes") + _all(props, "summary")),
            }
            self.add("places", values, line, foreign=True)
        elif schema in SOURCE_SCHEMATA:
            title = _first(props, "title") or _first(props, "name") or _first(props, "fileName")
            if not title:
                self.plan.warnings.append(f"line {line}: a {schema} without a title left out")
                return
            grade = re.search(r'source-reliability="([a-f])"', " ".join(_all(props, "keywords")))
            values = {
                "id": eid,
                "title": title,
                "kind": schema.lower(),
                "author": "; ".join(_all(props, "author")),
                "outlet": "; ".join(_all(props, "publisher")),
                "url": _first(props, "sourceUrl"),
                "published": ftm_date(props, "publishedAt") or ftm_date(props),
                "reliability": grade.group(1).upper() if grade else "F",
                "notes": "\n".join(
                    _all(props, "description") + _all(props, "summary") + _all(props, "notes")
                ),
                "text": "\n\n".join(_all(props, "bodyText")),
            }
            self.add("sources", values, line, foreign=True)
        elif schema == "Event":
            self.events.append((line, ent))
        elif schema == "Trip":
            self.trips.append((line, ent))
        elif schema == "Documentation":
            self.documentation.append((line, ent))
        elif schema in RELATIONSHIP_ENDS:
            self.links.append((line, ent))
        else:
            self.plan.unmapped[schema] += 1

    def later(self) -> None:
        """Entities that refer to others: read once every entity in the file is known."""
        places = {r["id"]: r for r in self.plan.rows["places"]}
        for line, ent in self.events:
            props = ent["properties"]
            place = _first(props, "addressEntity")
            values = {
                "id": ent["id"],
                "title": _first(props, "name") or _first(props, "summary") or "Untitled event",
                "description": "\n".join(
                    _all(props, "description")
                    + _all(props, "summary")[1 if not _first(props, "name") else 0 :]
                ),
                "date": ftm_date(props),
                "place_id": place if place in places else None,
            }
            if not values["place_id"] and _first(props, "location"):
                values["description"] = "\n".join(
                    filter(None, [values["description"], "Location: " + _first(props, "location")])
                )
            self.add("events", values, line, foreign=True)
            for role in ("organizer", "involved"):
                for actor in _all(props, role):
                    self.add(
                        "event_actors",
                        {"event_id": ent["id"], "actor_id": actor, "role": role},
                        line,
                        foreign=True,
                    )
        for line, ent in self.trips:
            props = ent["properties"]
            ship_id = f"{ent['id']}-shipment"
            self.add(
                "shipments",
                {
                    "id": ship_id,
                    "title": _first(props, "name"),
                    "cargo": _first(props, "summary") or "Not stated (an FtM Trip)",
                    "shipper_id": _first(props, "organizer") or None,
                    "date": ftm_date(props),
                },
                line,
                foreign=True,
            )
            self.add(
                "legs",
                {
                    "id": ent["id"],
                    "shipment_id": ship_id,
                    "seq": 1,
                    "from_place_id": _first(props, "startLocation") or None,
                    "to_place_id": _first(props, "endLocation") or None,
                    "carrier_id": _first(props, "vehicle") or None,
                    "depart": ftm_date(props, "startDate", "startDate", "startDate"),
                    "arrive": ftm_date(props, "endDate", "endDate", "endDate"),
                    "notes": "\n".join(_all(props, "description")),
                },
                line,
                foreign=True,
            )
        self._links()
        subjects = {t: {r["id"] for r in self.plan.rows[t]} for t in ORDER if t != "event_actors"}
        for line, ent in self.documentation:
            props = ent["properties"]
            doc, target, role = (
                _first(props, "document"),
                _first(props, "entity"),
                _first(props, "role").lower(),
            )
            if role in ("quote", "paraphrase") or (
                target in subjects["actors"] and _first(props, "summary") and role != "citation"
            ):
                self.add(
                    "statements",
                    {
                        "id": ent["id"],
                        "speaker_id": target or None,
                        "text": _first(props, "summary"),
                        "kind": role if role in ("quote", "paraphrase") else "paraphrase",
                        "said": ftm_date(props),
                        "source_id": doc or None,
                    },
                    line,
                    foreign=True,
                )
                continue
            table = next((t for t, ids in subjects.items() if target in ids), None)
            grade = re.search(r'information-credibility="([1-6])"', _first(props, "status"))
            if table is None or table == "sources":
                self.plan.warnings.append(
                    f"line {line}: a Documentation whose entity is not in the file left out"
                )
                continue
            self.add(
                "citations",
                {
                    "id": ent["id"],
                    "subject_table": table,
                    "subject_id": target,
                    "source_id": doc,
                    "credibility": int(grade.group(1)) if grade else 6,
                    "locator": _first(props, "summary")[:500],
                },
                line,
                foreign=True,
            )

    def _links(self) -> None:
        """Ownership, Membership, ... between two actors become relationships; links to anything else are
        counted as unmapped."""
        for line, ent in self.links:
            props, schema = ent["properties"], ent["schema"]
            first, second = RELATIONSHIP_ENDS[schema]
            ends = _first(props, first), _first(props, second)
            if not all(self.schema_of.get(e) in ACTOR_SCHEMATA for e in ends):
                self.plan.unmapped[f"{schema} (not between two actors in the file)"] += 1
                continue
            label_prop = "relationship" if schema in ("Family", "Associate") else "role"
            label = _first(props, label_prop)
            kind = (
                next(k for k, v in RELATIONSHIP_FTM.items() if v == schema)
                if schema != "UnknownLink"
                else "other"
            )
            values = {
                "id": ent["id"],
                "from_actor_id": ends[0],
                "to_actor_id": ends[1],
                "kind": kind,
                "label": (label or "linked to") if kind == "other" else "",
                "role": "" if kind == "other" else label,
                "since": ftm_date(props, "startDate", "startDate", "startDate"),
                "until": ftm_date(props, "endDate", "endDate", "endDate"),
                "notes": "\n".join(_all(props, "description") + _all(props, "summary")),
            }
            self.add("relationships", values, line, foreign=True)


def read_ftm(path: str | os.PathLike[str], case: Case | None = None) -> ImportPlan:
    """Read an FtM JSON-lines file into an ImportPlan; a malformed line raises FtmImportError naming it.

    With ``case``, actors that match ones already in it are listed in ``plan.offers``.
    """
    path = Path(path)
    plan = ImportPlan(path=path)
    reader = _Reader(plan)
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise FtmImportError(f'cannot read "{path}": {exc.strerror or exc}.') from None
    with fh:
        try:
            for n, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    ent = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise FtmImportError(
                        f'line {n} of "{path.name}" is not a JSON object ({exc.msg}); nothing was imported.'
                    ) from None
                if not isinstance(ent, dict) or not ent.get("id") or not ent.get("schema"):
                    raise FtmImportError(
                        f'line {n} of "{path.name}" is not an FtM entity (it needs "id" and "schema"); nothing was imported.'
                    )
                if not isinstance(ent.get("properties", {}), dict):
                    raise FtmImportError(
                        f'line {n} of "{path.name}": "properties" is not an object; nothing was imported.'
                    )
                ent["properties"] = {  # a lone value where FtM wants a list of them: read it as one
                    k: v if isinstance(v, list) else [v] for k, v in (ent.get("properties") or {}).items()
                }
                plan.lines += 1
                if plan.lines % 5000 == 0:
                    checkpoint(plan.lines, 0, f"Reading {path.name}: {plan.lines:,} entities")
                key = ent.get("caseboard")
                if isinstance(key, dict):
                    if int(key.get("v") or 0) > FORMAT_VERSION:
                        raise FtmImportError(
                            f"line {n}: written by a newer Caseboard; upgrade Caseboard to import it."
                        )
                    reader.ours(n, ent, key)
                else:
                    reader.foreign(n, ent)
        except UnicodeDecodeError:
            raise FtmImportError(
                f'"{path.name}" is not UTF-8 text; FtM files are JSON lines in UTF-8.'
            ) from None
    reader.later()
    if case is not None:
        plan.offers = merge_offers(case, plan)
    return plan


# -- matching --------------------------------------------------------------------------------------------------
def merge_offers(case: Case, plan: ImportPlan) -> list[MergeOffer]:
    """Incoming actors that look like actors already in the case: same id, same IMO, or a shared name or alias."""
    existing = list(case.conn.execute("SELECT id, name, aliases, imo FROM actors"))
    by_id = {r[0]: r for r in existing}
    by_imo = {r[3]: r for r in existing if r[3]}
    by_name: dict[str, tuple] = {}
    for r in existing:
        for name in [r[1], *aliases({"aliases": r[2]})]:
            by_name.setdefault(name.casefold(), r)
    offers = []
    foreign = {row_id for table, row_id in plan.foreign if table == "actors"}
    for a in plan.rows["actors"]:
        if a["id"] in by_id and a["id"] not in foreign:
            continue  # our own actor, back again: updated in place (or unchanged), not merged
        match, reason = by_id.get(a["id"]), "same id"
        if match is None and a.get("imo"):
            match, reason = by_imo.get(a["imo"]), "same IMO number"
        if match is None:
            reason = "same name or alias"
            for name in [a["name"], *aliases(a)]:
                match = by_name.get(name.casefold())
                if match:
                    break
        if match is not None:
            offers.append(MergeOffer(a["id"], a["name"], match[0], match[1], reason))
    return offers


# -- writing ---------------------------------------------------------------------------------------------------
def _existing(case: Case, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The case's rows of ``table`` with these ids, in one query per 50,000 (not one query a row)."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 50000):
        cur = case.conn.execute(
            f"SELECT * FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids[start : start + 50000])],
        )
        names = [d[0] for d in cur.description]
        for values in cur:
            row = dict(zip(names, values, strict=True))
            found[row["id"]] = row
    return found


class _Known:
    """Which ids the case already has, read once a table (the checks of references ask for them by the thousand)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self._ids: dict[str, set[str]] = {}

    def __call__(self, table: str, row_id: str) -> bool:
        if table not in self._ids:
            self._ids[table] = {r[0] for r in self.case.conn.execute(f"SELECT id FROM {table}")}
        return row_id in self._ids[table]


def apply_ftm(
    case: Case, plan: ImportPlan, merge: set[str] | None = None, *, cite_file: bool = True
) -> list[rows.Change]:
    """Write ``plan`` into ``case`` in one transaction; returns the changes (one undo step in the window).

    ``merge`` names incoming actor ids (from ``plan.offers``) to merge into the existing actor they matched.
    An incoming row whose id is already taken is skipped when identical; when it differs, a row of ours (from a
    Caseboard export, with the ``caseboard`` key) updates the existing row, and a foreign one is added under a new
    id. ``plan.outcome`` counts what happened (``plan.result_text``).
    """
    case.require_writable()
    merge = set(merge or ())
    idmap: dict[str, str] = {}
    merged_into: dict[str, str] = {}
    for offer in plan.offers:
        if offer.incoming_id in merge:
            idmap[offer.incoming_id] = offer.existing_id
            merged_into[offer.incoming_id] = offer.existing_id
    foreign = set(plan.foreign)
    skip: set[tuple[str, str]] = set()
    updates: dict[str, list[dict[str, Any]]] = {}
    outcome = Counter()
    for table in ORDER:
        if table == "event_actors":
            continue
        existing = _existing(case, table, [r["id"] for r in plan.rows[table] if r["id"] not in merged_into])
        for r in plan.rows[table]:
            old = existing.get(r["id"]) if r["id"] not in merged_into else None
            if old is None:
                continue
            if all(old.get(k) == v for k, v in r.items()):
                skip.add((table, r["id"]))  # already here, unchanged (the same file imported twice)
                outcome["unchanged"] += 1
            elif (table, r["id"]) not in foreign:
                skip.add((table, r["id"]))  # our own row, edited since: the file's version replaces it
                updates.setdefault(table, []).append(r)
            else:
                idmap[r["id"]] = rows.new_id()  # someone else's id that happens to be taken here
                outcome["renamed"] += 1
    known = _Known(case)
    changes: list[rows.Change] = []
    with case.transaction(label=f"Import {plan.path.name}"):
        case.conn.execute("PRAGMA defer_foreign_keys = ON")  # rows may refer to rows later in the file
        for orig in plan.originals:
            case.conn.execute(
                "INSERT OR IGNORE INTO originals(sha256, media_type, filename, size, data, added) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    orig["sha256"],
                    orig.get("media_type") or "application/octet-stream",
                    orig.get("filename") or "",
                    len(orig["data"]),
                    orig["data"],
                    orig.get("added") or _now(),
                ],
            )
        present = {
            t: {r["id"] for r in plan.rows[t] if (t, r["id"]) not in skip}
            for t in ORDER
            if t != "event_actors"
        }
        for offer in plan.offers:
            if offer.incoming_id in merged_into:
                present["actors"].discard(offer.incoming_id)
        linked = {
            (r[0], r[1], r[2])
            for r in case.conn.execute(
                "SELECT event_id, actor_id, role FROM event_actors WHERE event_id IN (SELECT value FROM json_each(?))",
                [
                    json.dumps(
                        sorted({idmap.get(r["event_id"], r["event_id"]) for r in plan.rows["event_actors"]})
                    )
                ],
            )
        }
        done = 0
        total = sum(len(v) for v in plan.rows.values())
        for table in ORDER:
            batch = []
            for r in plan.rows[table]:
                if table != "event_actors" and ((table, r["id"]) in skip or r["id"] in merged_into):
                    continue
                values = _remap(table, r, idmap, present, plan, known)
                if values is None:
                    continue
                if table == "event_actors":
                    key = (values["event_id"], values["actor_id"], values["role"])
                    if key in linked:
                        continue
                    linked.add(key)
                batch.append(values)
            changes += rows.insert_many(case, table, batch)
            for r in updates.get(table, []):
                values = _remap(table, r, idmap, present, plan, known)
                if values is not None:
                    change = rows.update(case, table, r["id"], values)
                    if change.old != change.new:
                        changes.append(change)
                        outcome["updated"] += 1
            done += len(plan.rows[table])
            checkpoint(done, total, f"Writing {table.replace('_', ' ')}")
        changes += _merge_names(case, plan, merged_into)
        if cite_file and plan.foreign:
            changes += _cite_file(case, plan, idmap, {c.row_id for c in changes if c.action == "insert"})
    outcome["added"] = sum(1 for c in changes if c.action == "insert")
    plan.outcome = dict(outcome)
    return changes


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _remap(
    table: str,
    r: dict[str, Any],
    idmap: dict[str, str],
    present: dict[str, set[str]],
    plan: ImportPlan,
    known: _Known,
) -> dict[str, Any] | None:
    """The row with ids rewritten for merges and clashes; references to nothing are cleared or the row skipped."""
    values = dict(r)
    if "id" in values:
        values["id"] = idmap.get(values["id"], values["id"])
    for col, target in REFS.items():
        ref = values.get(col)
        if not ref:
            continue
        if ref in present.get(target, ()) or ref in idmap or known(target, ref):
            values[col] = idmap.get(ref, ref)
            continue
        if (table, col) in REQUIRED_REFS:
            plan.warnings.append(
                f"a {table[:-1].replace('_', ' ')} pointing at a missing {target[:-1]} left out"
            )
            return None
        values[col] = None
    if table == "citations":
        subject = values["subject_id"]
        if not (
            subject in present.get(values["subject_table"], ())
            or subject in idmap
            or known(values["subject_table"], subject)
        ):
            plan.warnings.append("a citation of a fact not in the file left out")
            return None
        values["subject_id"] = idmap.get(subject, subject)
    return values


def _merge_names(case: Case, plan: ImportPlan, merged_into: dict[str, str]) -> list[rows.Change]:
    """A merged actor keeps the incoming names it did not have, as aliases."""
    out = []
    incoming = {a["id"]: a for a in plan.rows["actors"]}
    for src, dst in merged_into.items():
        row = rows.fetch_row(case, "actors", dst)
        if row is None or src not in incoming:
            continue
        names = aliases(row)
        known = {n.casefold() for n in [row["name"], *names]}
        new = [n for n in [incoming[src]["name"], *aliases(incoming[src])] if n.casefold() not in known]
        if new:
            out.append(
                rows.update(case, "actors", dst, {"aliases": json.dumps(names + new, ensure_ascii=False)})
            )
    return out


def _cite_file(case: Case, plan: ImportPlan, idmap: dict[str, str], inserted: set[str]) -> list[rows.Change]:
    """Facts from a foreign file cite the file itself (reliability not judged) so none is without a source."""
    out = [
        rows.insert(
            case,
            "sources",
            fields.clean(
                "sources",
                {
                    "title": f"FollowTheMoney file {plan.path.name}",
                    "kind": "FtM entities",
                    "reliability": "F",
                    "accessed": datetime.date.today().isoformat(),
                    "notes": f"Imported from {plan.path}.",
                },
            ),
        )
    ]
    source_id = out[0].row_id
    cites = []
    for table, row_id in plan.foreign:
        row_id = idmap.get(row_id, row_id)
        if table in CITABLE and row_id in inserted:
            cites.append(
                fields.clean(
                    "citations",
                    {"subject_table": table, "subject_id": row_id, "source_id": source_id, "credibility": 6},
                )
            )
    return out + rows.insert_many(case, "citations", cites)
