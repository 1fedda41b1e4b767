"""FollowTheMoney export: the case as FtM entities, one JSON object a line, without losing anything of ours.

FtM has no date ranges, no "about", no leg order and no character offsets, so each entity carries the nearest FtM
values in ``properties`` and the case's own row, whole, under a ``caseboard`` key beside them (FtM tools keep or
ignore extra top-level keys). ``ftm_import`` reads that key back, so export then import is lossless; a tool that
only knows FtM still sees ordinary entities. One function per table: a new table is one more function in
``TABLES``. The mapping is documented in docs/exchange.md.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from caseboard.db.atomic_write import atomic_output
from caseboard.db.case import Case
from caseboard.db.exchange.common import (
    CaseRows,
    aliases,
    checkpoint,
    country_code,
    iso_ends,
    read_originals,
    read_rows,
)
from caseboard.db.related import Related
from caseboard.db.schema import RELATIONSHIP_FTM
from caseboard.db.sources import CREDIBILITY, RELIABILITY

#: Version of the ``caseboard`` key's layout; ``ftm_import`` refuses a newer one rather than guess.
FORMAT_VERSION = 1

ACTOR_SCHEMA = {
    "person": "Person",
    "organization": "Organization",
    "state": "PublicBody",
    "vessel": "Vessel",
    "other": "LegalEntity",
}

Entity = dict[str, Any]


def entity(
    schema: str, entity_id: str, props: dict[str, Any], table: str | None, row: dict | None, **extra: Any
) -> Entity:
    """An FtM entity; empty values are left out, single values become one-item lists as FtM wants."""
    properties: dict[str, list[str]] = {}
    for key, value in props.items():
        values = value if isinstance(value, list) else [value]
        values = list(dict.fromkeys(str(v) for v in values if v not in (None, "")))  # FtM keeps a set
        if values:
            properties[key] = values
    out: Entity = {"id": entity_id, "schema": schema, "properties": properties}
    if table is not None:
        out["caseboard"] = {"v": FORMAT_VERSION, "table": table, "row": row, **extra}
    else:
        out["caseboard"] = {"v": FORMAT_VERSION, "derived": True, **extra}
    return out


def _dates(edtf: str | None, single: str = "date") -> dict[str, str]:
    """The nearest FtM dates: one unit as ``date`` (or ``single``), a range as ``startDate``/``endDate``."""
    ends = iso_ends(edtf)
    if ends is None:
        return {}
    first, last = ends
    if first == last:
        return {single: first}
    return {"startDate": first, "endDate": last}


def reliability_tag(grade: str) -> str:
    """MISP ``admiralty-scale`` tag for a source's reliability (A-F)."""
    return f'admiralty-scale:source-reliability="{grade.lower()}"'


def credibility_tag(grade: int) -> str:
    """MISP ``admiralty-scale`` tag for a citation's credibility (1-6)."""
    return f'admiralty-scale:information-credibility="{grade}"'


# -- one function per table ----------------------------------------------------------------------------------------
def sources(case: Case, rows: CaseRows) -> Iterator[Entity]:
    digests = {r["original_sha256"] for r in rows["sources"] if r.get("original_sha256")}
    originals = read_originals(case, digests)
    for r in rows["sources"]:
        schema = "Article" if any(w in (r["kind"] or "").lower() for w in ("news", "article")) else "Document"
        props = {
            "title": r["title"],
            "name": r["label"] or r["title"],
            "author": r["author"],
            "publisher": r["outlet"],
            "publishedAt": (iso_ends(r["published"]) or (None,))[0],
            "sourceUrl": [r["url"], r.get("archive_url")],
            "description": r["kind"],
            "notes": r["notes"],
            "bodyText": r["text"],
            "keywords": reliability_tag(r["reliability"]),
            "summary": f"Reliability {r['reliability']}: {RELIABILITY.get(r['reliability'], '')}",
            "retrievedAt": (iso_ends(r.get("accessed")) or (None,))[0],
            "fileName": r.get("original_name"),
        }
        extra = {}
        original = originals.get(r.get("original_sha256") or "")
        if original:
            extra["original"] = {
                **{k: v for k, v in original.items() if k != "data"},
                "data": base64.b64encode(bytes(original["data"])).decode("ascii"),
            }
        yield entity(schema, r["id"], props, "sources", r, **extra)


def actors(case: Case, rows: CaseRows) -> Iterator[Entity]:
    for r in rows["actors"]:
        schema = ACTOR_SCHEMA[r["kind"]]
        props: dict[str, Any] = {
            "name": r["name"],
            "alias": aliases(r),
            "description": r["description"],
            "country": country_code(r["country"]),
        }
        if schema == "Vessel":
            props["flag"] = country_code(r["flag"])
            props["imoNumber"] = f"IMO{r['imo']}" if r["imo"] else None
        yield entity(schema, r["id"], props, "actors", r)


def places(case: Case, rows: CaseRows) -> Iterator[Entity]:
    for r in rows["places"]:
        full = ", ".join(p for p in (r["name"], r["country"]) if p)
        notes = r["notes"]
        if r["precision"] != "exact":
            notes = f"Position {r['precision']}. {notes}".strip()
        props = {
            "name": r["name"],
            "full": full,
            "alias": aliases(r),
            "country": country_code(r["country"]),
            "latitude": r["lat"],
            "longitude": r["lon"],
            "notes": notes,
            "keywords": r["kind"],
        }
        yield entity("Address", r["id"], props, "places", r)


def shipments(case: Case, rows: CaseRows) -> Iterator[Entity]:
    kind_of = {a["id"]: a["kind"] for a in rows["actors"]}
    for r in rows["shipments"]:
        qty = " ".join(
            str(p) for p in (r["quantity_qualifier"], r["quantity"], r["unit"]) if p not in (None, "")
        )
        props = {
            "name": r["title"] or r["cargo"],
            "summary": f"{r['cargo']} ({qty})" if qty else r["cargo"],
            "description": r["notes"],
            "involved": [a for a in (r["shipper_id"], r["receiver_id"]) if _legal(kind_of.get(a))],
            "organizer": r["shipper_id"] if _legal(kind_of.get(r["shipper_id"])) else None,
            "keywords": [f"shipment {r['status']}"],
            **_dates(r["date"]),
        }
        yield entity("Event", r["id"], props, "shipments", r)
        for role in ("shipper", "receiver"):
            actor = r[f"{role}_id"]
            if actor:
                link = {
                    "subject": actor,
                    "object": r["id"],
                    "role": role,
                    "summary": r["cargo"],
                    **_dates(r["date"]),
                }
                yield entity("UnknownLink", f"{r['id']}-{role}", link, None, None, of="shipments")


def legs(case: Case, rows: CaseRows) -> Iterator[Entity]:
    actor_kind = {a["id"]: a["kind"] for a in rows["actors"]}
    shipment = rows.by_id("shipments")
    places = rows.by_id("places")
    for r in rows["legs"]:
        ship = shipment.get(r["shipment_id"], {})
        carrier = r["carrier_id"]
        names = [places.get(r[k] or "", {}).get("name", "?") for k in ("from_place_id", "to_place_id")]
        depart, arrive = iso_ends(r["depart"]), iso_ends(r["arrive"])
        props = {
            "name": f"Leg {r['seq']}: {names[0]} to {names[1]} ({r['mode']})",
            "startLocation": r["from_place_id"],
            "endLocation": r["to_place_id"],
            "vehicle": carrier if carrier and actor_kind.get(carrier) == "vessel" else None,
            "involved": carrier if carrier and _legal(actor_kind.get(carrier)) else None,
            "organizer": ship.get("shipper_id") if _legal(actor_kind.get(ship.get("shipper_id"))) else None,
            "startDate": depart[0] if depart else None,
            "endDate": arrive[1] if arrive else None,
            "summary": r["notes"],
            "keywords": r["mode"],
        }
        # FtM's Trip needs both ends; a leg with an unknown end is an Event (its known end as addressEntity)
        schema = "Trip" if r["from_place_id"] and r["to_place_id"] else "Event"
        if schema == "Event":
            props["addressEntity"] = props.pop("startLocation") or props.pop("endLocation")
            props.pop("endLocation", None)
            props["involved"] = [
                p for p in (props["involved"], props.pop("vehicle")) if p and _legal(actor_kind.get(p))
            ]
        yield entity(schema, r["id"], props, "legs", r)


def _legal(kind: str | None) -> bool:
    """Whether an actor of this kind is a LegalEntity in FtM (what ``involved`` and ``organizer`` take)."""
    return "LegalEntity" in _IS_A.get(kind or "", set())


def events(case: Case, rows: CaseRows) -> Iterator[Entity]:
    kind_of = {a["id"]: a["kind"] for a in rows["actors"]}
    places = rows.by_id("places")
    involved: dict[str, list[dict[str, Any]]] = {}
    for ea in rows["event_actors"]:
        involved.setdefault(ea["event_id"], []).append(ea)
    for r in rows["events"]:
        ea = involved.get(r["id"], [])
        place = places.get(r["place_id"] or "")
        legal = [a for a in ea if _legal(kind_of.get(a["actor_id"]))]
        props = {
            "name": r["title"],
            "description": r["description"],
            "involved": list(dict.fromkeys(a["actor_id"] for a in legal)),
            "location": ", ".join(p for p in (place["name"], place["country"]) if p) if place else None,
            "addressEntity": r["place_id"],
            **_dates(r["date"]),
        }
        yield entity("Event", r["id"], props, "events", r, actors=[[a["actor_id"], a["role"]] for a in ea])
        for a in ea:
            if a not in legal:  # a vessel is not a legal entity in FtM: linked, not "involved"
                link = {"subject": a["actor_id"], "object": r["id"], "role": a["role"] or "involved"}
                yield entity("UnknownLink", f"{r['id']}-{a['actor_id']}", link, None, None, of="events")


#: Cited tables whose FtM entities are not Things, so a Documentation cannot point at them: their citations
#: go on the entity itself (``proof`` = the cited sources, ``status`` = the credibility tags, our rows in the key).
CITED_INLINE = ("statements", "relationships")


def _inline_citations(rows: CaseRows, table: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for c in rows["citations"]:
        if c["subject_table"] == table:
            out.setdefault(c["subject_id"], []).append(c)
    return out


def _cited(props: dict[str, Any], cites: list[dict[str, Any]]) -> dict[str, Any]:
    """``props`` with the citations' sources as proof and their grades as MISP tags."""
    props["proof"] = list(dict.fromkeys(c["source_id"] for c in cites))
    status = [props["status"]] if props.get("status") else []
    props["status"] = status + [credibility_tag(c["credibility"]) for c in cites]
    return props


def statements(case: Case, rows: CaseRows) -> Iterator[Entity]:
    cited = _inline_citations(rows, "statements")
    for r in rows["statements"]:
        cites = cited.get(r["id"], [])
        props = {
            "document": r["source_id"],
            "entity": r["speaker_id"],
            "role": r["kind"],
            "summary": r["text"],
            "description": r["notes"],
            **_dates(r["said"]),
        }
        yield entity("Documentation", r["id"], _cited(props, cites), "statements", r, citations=cites)


#: FtM schema -> its two ends, read "FROM is <kind> TO" (owner of the asset, member of the organization, ...).
RELATIONSHIP_ENDS = {
    "Ownership": ("owner", "asset"),
    "Membership": ("member", "organization"),
    "Employment": ("employee", "employer"),
    "Directorship": ("director", "organization"),
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "UnknownLink": ("subject", "object"),
}


#: Actor kind -> the FtM schemata its entity is (Person is a LegalEntity, a Vessel an Asset, ...).
_IS_A = {
    "person": {"Person", "LegalEntity"},
    "organization": {"Organization", "LegalEntity"},
    "state": {"Organization", "LegalEntity"},
    "vessel": {"Asset"},
    "other": {"LegalEntity"},
}
#: The schemata each end of a relationship schema accepts.
_ENDS_ACCEPT = {
    "Ownership": ("LegalEntity", "Asset"),
    "Membership": ("LegalEntity", "Organization"),
    "Employment": ("Person", "Organization"),
    "Directorship": ("LegalEntity", "Organization"),
    "Family": ("Person", "Person"),
    "Associate": ("Person", "Person"),
}


def relationship_schema(kind: str, from_kind: str, to_kind: str) -> str:
    """The FtM schema for a relationship, or UnknownLink when its ends are not what that schema joins
    (two states as "associates", a vessel as an employer)."""
    schema = RELATIONSHIP_FTM.get(kind, "UnknownLink")
    accept = _ENDS_ACCEPT.get(schema)
    if accept and (
        accept[0] not in _IS_A.get(from_kind, set()) or accept[1] not in _IS_A.get(to_kind, set())
    ):
        return "UnknownLink"
    return schema


def relationships(case: Case, rows: CaseRows) -> Iterator[Entity]:
    kind_of = {a["id"]: a["kind"] for a in rows["actors"]}
    cited = _inline_citations(rows, "relationships")
    for r in rows["relationships"]:
        cites = cited.get(r["id"], [])
        schema = relationship_schema(
            r["kind"], kind_of.get(r["from_actor_id"], ""), kind_of.get(r["to_actor_id"], "")
        )
        first, second = RELATIONSHIP_ENDS[schema]
        since, until = iso_ends(r["since"]), iso_ends(r["until"])
        words = r["label"] or r["kind"]
        props = {
            first: r["from_actor_id"],
            second: r["to_actor_id"],
            # Family and Associate name the tie in "relationship"; the others have "role"
            ("relationship" if schema in ("Family", "Associate") else "role"): ", ".join(
                p
                for p in (
                    r["kind"] if schema == "UnknownLink" and r["kind"] != "other" else r["label"],
                    r["role"],
                )
                if p
            ),
            "startDate": since[0] if since else None,
            "endDate": until[1] if until else None,
            "description": r["notes"],
            "summary": words,
        }
        yield entity(schema, r["id"], _cited(props, cites), "relationships", r, citations=cites)


def citations(case: Case, rows: CaseRows) -> Iterator[Entity]:
    for r in rows["citations"]:
        if r["subject_table"] in CITED_INLINE:
            continue
        props = {
            "document": r["source_id"],
            "entity": r["subject_id"],
            "role": "citation",
            "status": credibility_tag(r["credibility"]),
            "summary": r["locator"],
            "description": f"Credibility {r['credibility']}: {CREDIBILITY.get(r['credibility'], '')}. {r['notes']}".strip(),
        }
        yield entity("Documentation", r["id"], props, "citations", r)


#: In the order an importer can insert them (what a row refers to comes first).
TABLES: tuple[Callable[[Case, CaseRows], Iterator[Entity]], ...] = (
    sources,
    actors,
    places,
    shipments,
    legs,
    events,
    statements,
    relationships,
    citations,
)


def entities(case: Case, kept: Related | None = None) -> Iterator[Entity]:
    rows = read_rows(case, kept)
    for table in TABLES:
        yield from table(case, rows)


def export_ftm(case: Case, out: str | os.PathLike[str], kept: Related | None = None) -> int:
    """Write the case (or the rows ``kept`` names) as FtM JSON lines to ``out``; returns the entity count."""
    n = 0
    out = Path(out)
    with atomic_output(out, "w", newline="\n") as fh:
        for ent in entities(case, kept):
            fh.write(json.dumps(ent, ensure_ascii=False, sort_keys=False))
            fh.write("\n")
            n += 1
            if n % 5000 == 0:
                checkpoint(n, 0, f"Writing {out.name}: {n:,} entities")
    return n
