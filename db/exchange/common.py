"""What every exchange format needs: the rows in scope, dates as other tools write them, country codes."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from caseboard.db import rows, schema
from caseboard.db.case import Case
from caseboard.db.dates import PartialDate
from caseboard.db.fields import DERIVED
from caseboard.db.related import Related
from caseboard.db.schema import CITABLE

#: Who hears how far a long export or import is (``reporting``); it may raise to stop the work.
Progress = Callable[[int, int, str], None]
_PROGRESS: ContextVar[Progress | None] = ContextVar("exchange_progress", default=None)


@contextlib.contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Send the ``checkpoint`` calls of the exporters and importers run inside the block to ``progress``.

    Why a context and not a parameter: every writer keeps the one signature ``writer(case, out, kept)`` the command
    line and the menu call; the window's worker sets this around the call, on its own thread."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def checkpoint(done: int, total: int, message: str = "") -> None:
    """Report progress to whoever is listening (``reporting``); raising there stops the work (cancel)."""
    progress = _PROGRESS.get()
    if progress is not None:
        progress(done, total, message)


#: Tables a scope narrows; the others (actors, sources, citations) follow from what is kept.
SCOPED = ("places", "shipments", "legs", "events", "statements")
#: Every table an export reads (a table missing from an older file reads as empty).
TABLES = rows.TABLE_ORDER


@dataclass
class CaseRows:
    """Every row of the case (or of a scope), as dicts keyed by column, derived date columns left out."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __getitem__(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])

    def by_id(self, table: str) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self[table]}


def _select(case: Case, sql: str, params: list | tuple = ()) -> Iterator[dict[str, Any]]:
    cur = case.conn.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    for values in cur:
        yield {k: v for k, v in zip(names, values, strict=True) if k not in DERIVED}


def _all_rows(case: Case, table: str) -> list[dict[str, Any]]:
    return (
        list(_select(case, f"SELECT * FROM {table} ORDER BY rowid"))
        if schema.has_table(case.conn, table)
        else []
    )


def read_rows(case: Case, kept: Related | None = None) -> CaseRows:
    """The rows to export: the whole case, or what ``kept`` names plus everything those rows refer to.

    Referenced shipments, actors, places and sources are always included so an exported file never points at an
    entity it does not hold (a scoped FtM file still loads in Aleph on its own). A scope keeps the relationships
    it names and those between two of its actors.
    """
    out = CaseRows()
    for i, table in enumerate(TABLES):
        checkpoint(i, len(TABLES) * 2, f"Reading {table.replace('_', ' ')}")
        out.tables[table] = _all_rows(case, table)
    if kept is not None:
        for table in SCOPED:
            ids = kept.ids(table)
            out.tables[table] = [r for r in out[table] if r["id"] in ids]
        shipments = {r["id"] for r in out["shipments"]} | {r["shipment_id"] for r in out["legs"]}
        out.tables["shipments"] = [r for r in _all_rows(case, "shipments") if r["id"] in shipments]
        places = {r["id"] for r in out["places"]}
        places |= {r[k] for r in out["legs"] for k in ("from_place_id", "to_place_id") if r[k]}
        places |= {r["place_id"] for r in out["events"] if r["place_id"]}
        out.tables["places"] = [r for r in _all_rows(case, "places") if r["id"] in places]
        events = {r["id"] for r in out["events"]}
        out.tables["event_actors"] = [r for r in out["event_actors"] if r["event_id"] in events]
        actors = set(kept.actors)
        actors |= {r[k] for r in out["shipments"] for k in ("shipper_id", "receiver_id") if r[k]}
        actors |= {r["carrier_id"] for r in out["legs"] if r["carrier_id"]}
        actors |= {r["actor_id"] for r in out["event_actors"]}
        actors |= {r["speaker_id"] for r in out["statements"] if r["speaker_id"]}
        links = kept.ids("relationships") if hasattr(kept, "relationships") else set()
        out.tables["relationships"] = [
            r
            for r in out["relationships"]
            if r["id"] in links or (r["from_actor_id"] in actors and r["to_actor_id"] in actors)
        ]
        actors |= {r[k] for r in out["relationships"] for k in ("from_actor_id", "to_actor_id")}
        out.tables["actors"] = [r for r in out["actors"] if r["id"] in actors]
    subjects = {t: {r["id"] for r in out[t]} for t in CITABLE}
    out.tables["citations"] = [
        r for r in out["citations"] if r["subject_id"] in subjects.get(r["subject_table"], ())
    ]
    if kept is not None:
        sources = set(kept.sources) | {r["source_id"] for r in out["citations"]}
        sources |= {r["source_id"] for r in out["statements"] if r["source_id"]}
        by_id = out.by_id("sources")
        for sid in list(sources):  # a source known through another brings that one along
            while sid in by_id and by_id[sid].get("via_id") and by_id[sid]["via_id"] not in sources:
                sid = by_id[sid]["via_id"]
                sources.add(sid)
        out.tables["sources"] = [r for r in out["sources"] if r["id"] in sources]
    return out


def read_originals(case: Case, digests: set[str]) -> dict[str, dict[str, Any]]:
    """The kept original files (reports) of the exported sources, by SHA-256."""
    if not digests or not schema.has_table(case.conn, "originals"):
        return {}
    out = {}
    for digest in digests:
        for row in _select(case, "SELECT * FROM originals WHERE sha256 = ?", [digest]):
            out[digest] = row
    return out


# -- dates -----------------------------------------------------------------------------------------------------
def partial(edtf: str | None) -> PartialDate | None:
    return _from_edtf(edtf) if edtf else None


@lru_cache(maxsize=65536)
def _from_edtf(edtf: str) -> PartialDate:
    """Parsed once per distinct text: large cases repeat the same dates many times."""
    return PartialDate.from_edtf(edtf)


def iso_ends(edtf: str | None) -> tuple[str, str] | None:
    """The first and last unit of a stored date at its own precision, without qualifiers.

    ``2023-09-07/2023-09-08`` gives ("2023-09-07", "2023-09-08"); ``2023-09-29~`` gives ("2023-09-29",
    "2023-09-29"); ``2023-09`` gives ("2023-09", "2023-09"). These are the prefixes of ISO 8601 that FtM,
    KML and GeoJSON readers accept.
    """
    if not edtf:
        return None
    pieces = [p.rstrip("~?%") for p in edtf.split("/")]
    return pieces[0], pieces[-1]


def display(edtf: str | None) -> str:
    """Our honest date text ("7–8 Sept 2023", "about 29 Sept 2023")."""
    d = partial(edtf)
    return d.display() if d else ""


# -- countries -----------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(lower-case name or code -> ISO 3166-1 alpha-2 lower case, code -> name), from the bundled gazetteer."""
    raw = files("caseboard.resources").joinpath("gazetteer", "places.tsv.gz").read_bytes()
    to_code: dict[str, str] = {}
    to_name: dict[str, str] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line.startswith("C\t"):
            continue
        _, iso, iso3, name, *_rest = line.split("\t")
        code = iso.lower()
        to_name[code] = name
        for key in (name, iso, iso3):
            to_code[key.lower()] = code
    return to_code, to_name


def country_code(name: str) -> str | None:
    """ISO code for a country name as stored in a case ("Russia" -> "ru"), or None when it is not a country."""
    return _countries()[0].get(name.strip().lower()) if name and name.strip() else None


def country_name(code: str) -> str:
    """A country's name for an ISO code ("kp" -> "North Korea"); the code itself when unknown."""
    return _countries()[1].get(code.strip().lower(), code)


def aliases(row: dict[str, Any]) -> list[str]:
    try:
        value = json.loads(row.get("aliases") or "[]")
    except json.JSONDecodeError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


# -- citations and dated facts, shared by the tables, timelines and maps ------------------------------------------
@dataclass(frozen=True)
class Cite:
    """One citation as other tools show it: the source's label, its reliability and the credibility."""

    source: str
    reliability: str
    credibility: int

    @property
    def grade(self) -> str:
        """The Admiralty code, e.g. "B2"."""
        return f"{self.reliability}{self.credibility}"


def citations_by_subject(out: CaseRows) -> dict[tuple[str, str], list[Cite]]:
    sources = out.by_id("sources")
    found: dict[tuple[str, str], list[Cite]] = {}
    for c in out["citations"]:
        src = sources.get(c["source_id"], {})
        cite = Cite(
            src.get("label") or src.get("title") or "", src.get("reliability") or "F", c["credibility"]
        )
        found.setdefault((c["subject_table"], c["subject_id"]), []).append(cite)
    return found


def cite_text(cites: list[Cite]) -> str:
    """ "S1 (B2); S2 (B1)" """
    return "; ".join(f"{c.source} ({c.grade})" for c in cites)


@dataclass(frozen=True)
class DatedFact:
    """A fact with a date, as a timeline shows it: what happened, when (EDTF), in which lane, on what evidence."""

    table: str
    id: str
    what: str  # "Event", "Departure", "Arrival", "Statement", "Shipment", "Relationship"
    edtf: str
    headline: str
    text: str
    group: str
    cites: tuple[Cite, ...] = ()


def _clip(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def dated_facts(out: CaseRows) -> list[DatedFact]:
    """Every dated fact of the rows, in date order: events, shipments, leg departures and arrivals, statements
    and the starts and ends of relationships. Undated facts are not listed (they have no place on a timeline)."""
    cites = citations_by_subject(out)
    actor = {a["id"]: a["name"] for a in out["actors"]}
    place = {p["id"]: p["name"] for p in out["places"]}
    shipments = out.by_id("shipments")
    facts: list[DatedFact] = []

    def add(
        table: str, row_id: str, what: str, edtf: str | None, headline: str, text: str, group: str
    ) -> None:
        if edtf:
            facts.append(
                DatedFact(
                    table, row_id, what, edtf, headline, text, group, tuple(cites.get((table, row_id), []))
                )
            )

    involved: dict[str, list[str]] = {}
    for ea in out["event_actors"]:
        involved.setdefault(ea["event_id"], []).append(
            actor.get(ea["actor_id"], "?") + (f" ({ea['role']})" if ea["role"] else "")
        )
    for e in out["events"]:
        bits = [
            e["description"],
            f"Where: {place[e['place_id']]}" if e["place_id"] in place else "",
            ("Who: " + ", ".join(involved[e["id"]])) if e["id"] in involved else "",
        ]
        add("events", e["id"], "Event", e["date"], e["title"], "\n".join(b for b in bits if b), "Events")
    for s in out["shipments"]:
        title = s["title"] or s["cargo"]
        who = " to ".join(actor.get(s[k] or "", "?") for k in ("shipper_id", "receiver_id"))
        add(
            "shipments",
            s["id"],
            "Shipment",
            s["date"],
            title,
            f"{s['cargo']} ({s['status']}), {who}. {s['notes']}".strip(),
            f"Shipment: {_clip(title, 60)}",
        )
    for leg in out["legs"]:
        s = shipments.get(leg["shipment_id"], {})
        group = f"Shipment: {_clip(s.get('title') or s.get('cargo') or '?', 60)}"
        route = f"{place.get(leg['from_place_id'] or '', '?')} to {place.get(leg['to_place_id'] or '', '?')}"
        carrier = f" on {actor[leg['carrier_id']]}" if leg["carrier_id"] in actor else ""
        text = f"Leg {leg['seq']} by {leg['mode']}{carrier}. {leg['notes']}".strip()
        add(
            "legs",
            leg["id"],
            "Departure",
            leg["depart"],
            f"Leaves {place.get(leg['from_place_id'] or '', '?')} ({route})",
            text,
            group,
        )
        add(
            "legs",
            leg["id"],
            "Arrival",
            leg["arrive"],
            f"Arrives at {place.get(leg['to_place_id'] or '', '?')} ({route})",
            text,
            group,
        )
    sources = out.by_id("sources")
    for st in out["statements"]:
        speaker = actor.get(st["speaker_id"] or "", "Unknown speaker")
        words = f"“{st['text']}”" if st["kind"] == "quote" else f"(paraphrase) {st['text']}"
        src = sources.get(st["source_id"] or "", {})
        text = words + (f"\nSource: {src.get('label') or src.get('title')}" if src else "")
        add(
            "statements",
            st["id"],
            "Statement",
            st["said"],
            f"{speaker}: {_clip(st['text'], 80)}",
            text,
            f"Statements: {speaker}",
        )
    for r in out["relationships"]:
        words = f"{actor.get(r['from_actor_id'], '?')} {r['label'] or r['kind']} {actor.get(r['to_actor_id'], '?')}"
        text = ", ".join(p for p in (r["role"], r["notes"]) if p)
        add("relationships", r["id"], "Relationship begins", r["since"], words, text, "Relationships")
        add("relationships", r["id"], "Relationship ends", r["until"], words, text, "Relationships")
    facts.sort(key=lambda f: (partial(f.edtf).start, partial(f.edtf).end))  # type: ignore[union-attr]
    return facts
