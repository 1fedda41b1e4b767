"""Link tables for charting tools (i2 Analyst's Notebook, Maltego): an entities sheet and a links sheet.

Entities are the case's actors, places, events, shipments and sources; links are the facts that join them (who
was involved in an event, where it happened, who shipped what to whom, each leg between two places, who said
what in which source, relationships). Every link carries its date (our honest text and the first and last day),
and the sources it is cited to with their reliability and each citation's credibility. Every dated fact has at
least one link row. The mapping is in docs/exchange.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from caseboard.db.case import Case
from caseboard.db.dates import PartialDate
from caseboard.db.exchange.common import (
    CaseRows,
    Cite,
    citations_by_subject,
    display,
    iso_ends,
    partial,
    read_rows,
)
from caseboard.db.exchange.tables import write_sheets
from caseboard.db.related import Related

ENTITY_COLUMNS = ("id", "type", "label", "subtype", "description", "country", "latitude", "longitude")
LINK_COLUMNS = (
    "from id",
    "to id",
    "link type",
    "link label",
    "date",
    "date start",
    "date end",
    "source",
    "grade",
    "credibility",
    "fact",
    "fact id",
)
ACTOR_TYPE = {
    "person": "Person",
    "organization": "Organization",
    "state": "State",
    "vessel": "Vessel",
    "other": "Actor",
}


def entity_rows(out: CaseRows) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for a in out["actors"]:
        rows.append(
            [
                a["id"],
                ACTOR_TYPE[a["kind"]],
                a["name"],
                a["kind"],
                a["description"],
                a["country"] or a["flag"],
                None,
                None,
            ]
        )
    for p in out["places"]:
        sub = p["kind"] if p["precision"] == "exact" else f"{p['kind']} ({p['precision']} position)"
        rows.append([p["id"], "Place", p["name"], sub, p["notes"], p["country"], p["lat"], p["lon"]])
    for e in out["events"]:
        rows.append([e["id"], "Event", e["title"], "event", e["description"], "", None, None])
    for s in out["shipments"]:
        rows.append([s["id"], "Shipment", s["title"] or s["cargo"], s["status"], s["cargo"], "", None, None])
    for s in out["sources"]:
        rows.append([s["id"], "Source", s["label"] or s["title"], s["kind"], s["title"], "", None, None])
    return rows


def link_rows(out: CaseRows) -> list[list[Any]]:
    cites = citations_by_subject(out)
    rows: list[list[Any]] = []

    def link(
        src: str | None,
        dst: str | None,
        kind: str,
        label: str,
        edtf: str | None,
        table: str,
        fact_id: str,
        evidence: list[Cite] | None = None,
    ) -> None:
        if not src or not dst:
            return
        ends = iso_ends(edtf)
        found = evidence if evidence is not None else cites.get((table, fact_id), [])
        rows.append(
            [
                src,
                dst,
                kind,
                label,
                display(edtf),
                _first_day(edtf) if ends else "",
                _last_day(edtf) if ends else "",
                "; ".join(c.source for c in found),
                "; ".join(c.reliability for c in found),
                "; ".join(str(c.credibility) for c in found),
                table[:-1],
                fact_id,
            ]
        )

    names = {a["id"]: a["name"] for a in out["actors"]} | {p["id"]: p["name"] for p in out["places"]}
    involved: dict[str, list[dict[str, Any]]] = {}
    for ea in out["event_actors"]:
        involved.setdefault(ea["event_id"], []).append(ea)
    first_source = {c["subject_id"]: c["source_id"] for c in reversed(out["citations"])}
    for e in out["events"]:
        n = len(rows)
        for ea in involved.get(e["id"], []):
            link(ea["actor_id"], e["id"], "involved in", ea["role"], e["date"], "events", e["id"])
        link(
            e["id"],
            e["place_id"],
            "took place at",
            names.get(e["place_id"] or "", ""),
            e["date"],
            "events",
            e["id"],
        )
        if (
            len(rows) == n
        ):  # an event with neither actors nor a place still gets its row: reported in its source
            link(e["id"], first_source.get(e["id"]), "reported in", "", e["date"], "events", e["id"])
    for s in out["shipments"]:
        what = s["title"] or s["cargo"]
        link(s["shipper_id"], s["id"], "shipper of", what, s["date"], "shipments", s["id"])
        link(s["id"], s["receiver_id"], "shipped to", what, s["date"], "shipments", s["id"])
    ships = out.by_id("shipments")
    for leg in out["legs"]:
        ship = ships.get(leg["shipment_id"], {})
        edtf = span(leg["depart"], leg["arrive"])
        carrier = f", carrier {names.get(leg['carrier_id'] or '', '')}" if leg["carrier_id"] else ""
        label = f"leg {leg['seq']} of {ship.get('title') or ship.get('cargo') or '?'}{carrier}"
        link(leg["from_place_id"], leg["to_place_id"], f"{leg['mode']} leg", label, edtf, "legs", leg["id"])
        link(
            leg["carrier_id"],
            leg["shipment_id"],
            "carrier of",
            f"leg {leg['seq']} ({leg['mode']})",
            edtf,
            "legs",
            leg["id"],
        )
    for st in out["statements"]:
        label = ("said: " if st["kind"] == "quote" else "said (paraphrase): ") + st["text"][:200]
        link(st["speaker_id"], st["source_id"], "statement in", label, st["said"], "statements", st["id"])
    for r in out["relationships"]:
        label = ", ".join(p for p in (r["label"], r["role"]) if p)
        link(
            r["from_actor_id"],
            r["to_actor_id"],
            r["kind"],
            label,
            span(r["since"], r["until"]),
            "relationships",
            r["id"],
        )
    return rows


def _first_day(edtf: str | None) -> str:
    d = partial(edtf)
    return d.start.isoformat() if d else ""


def _last_day(edtf: str | None) -> str:
    d = partial(edtf)
    return d.end.isoformat() if d else ""


def span(first: str | None, last: str | None) -> str | None:
    """One EDTF for "from ``first`` to ``last``" (a leg's departure to its arrival), at the coarser precision
    where the ends allow it ("2023-09/2023-10"), by day otherwise."""
    a, b = partial(first), partial(last)
    if a is None or b is None:
        return first or last
    end = max(a.end, b.end)
    coarser = min(a.precision, b.precision, key=("year", "month", "day").index)
    for precision in (coarser, "day"):
        try:
            return PartialDate(a.start, end, precision, a.approximate or b.approximate).edtf()
        except ValueError:
            continue
    return first


def export_links(case: Case, out: str | os.PathLike[str], kept: Related | None = None) -> int:
    """Write the entities and links sheets (XLSX workbook, or two CSV files ``NAME-entities.csv`` and
    ``NAME-links.csv``); returns the number of link rows."""
    rows = read_rows(case, kept)
    links = link_rows(rows)
    write_sheets(Path(out), [("Entities", ENTITY_COLUMNS, entity_rows(rows)), ("Links", LINK_COLUMNS, links)])
    return len(links)
