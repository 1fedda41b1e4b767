"""Writing reviewed suggestions into a case: one transaction, every fact citing its place in the source.

The review view (or ``caseboard ingest --accept-all``) decides per suggestion whether to accept it as is, with
edited values, merged into an actor or place already in the case, or not at all. ``accept`` then writes the
source with its full text and SHA-256, and each accepted fact with a citation whose locator gives the
character span it came from, so any fact can be checked against the words that support it. Quotes keep their
exact span (``source_start``/``source_end``) so the inspector can show them highlighted in context.

No Qt here: the window runs ``accept`` inside ``Editor.run`` (one undo step), scripts call it directly.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from caseboard.db import actors as db_actors
from caseboard.db import citations, events, places, shipments, sources, statements
from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.db.model import Source
from caseboard.db.rows import Change

from .model import Actor, Event, Place, Quote, Shipment, Span, Suggestions
from .readers import Document

#: The suggestion kinds in the order they are written (later kinds refer to rows of earlier ones).
KINDS = ("actors", "places", "events", "shipments", "quotes")
#: Actions a decision may take.
ACCEPT, REJECT, MERGE = "accept", "reject", "merge"
DEFAULT_CREDIBILITY = 6
#: Suggestions below this confidence start unchecked in the review.
LOW_CONFIDENCE = 0.5

Key = tuple[str, int]  # (kind, index in that kind's list of the Suggestions)

_PLACE_KIND = {"city": "city", "sea": "sea", "region": "region", "country": "region"}
_PLACE_PRECISION = {"exact": "exact", "approximate": "approximate", "country": "region", "unknown": "unknown"}


class DuplicateReportError(CaseError):
    """The case already keeps this exact text as a source: a second import would duplicate every fact."""

    def __init__(self, source: Source) -> None:
        super().__init__(
            f'This report is already in the case as the source "{source.title}" (same text, SHA-256 '
            f"{(source.text_sha256 or '')[:12]}…); it was not imported again."
        )
        self.source = source


@dataclass
class Decision:
    """What the analyst chose for one suggestion.

    ``values`` holds edited fields (actors: name, kind, aliases, description; places: name, country, lat,
    lon, precision, kind; events: title, date, description; shipments: cargo, quantity, unit,
    quantity_qualifier; quotes: text, speaker, said). ``merge_into`` is the id of the case's actor (or place)
    that a MERGE adds this suggestion's names to.
    """

    action: str = ACCEPT
    values: dict[str, Any] = field(default_factory=dict)
    merge_into: str | None = None
    credibility: int | None = None


_NOUN = {"actors": "Actor", "places": "Place", "events": "Date", "shipments": "Shipment", "quotes": "Quote"}


def _label(item: Any, limit: int = 60) -> str:
    """A short name for a suggestion in a note."""
    words = str(
        getattr(item, "name", None)
        or getattr(item, "expression", None)
        or getattr(item, "text", None)
        or getattr(item, "cargo", None)
        or "?"
    )
    return words if len(words) <= limit else words[:limit].rstrip() + "…"


def suggestions_of(s: Suggestions, kind: str) -> list[Any]:
    """The list of one kind, so callers can address suggestions as (kind, index)."""
    return list(getattr(s, kind))


def known_actors(case: Case) -> list[tuple[str, list[str]]]:
    """(name, aliases) of every actor in the case, for ``suggest(known_actors=…)`` to propose merges."""
    return [(a.name, list(a.aliases)) for a in db_actors.list_actors(case)]


def merge_target(case: Case, actor: Actor) -> str | None:
    """The id of the case actor this suggestion matches by name or alias, if any (the proposed merge)."""
    for name in ([actor.merge_with] if actor.merge_with else []) + actor.names():
        found = db_actors.find_actor(case, name)
        if found is not None:
            return found.id
    return None


def place_target(case: Case, place: Place) -> str | None:
    """The id of the case place with this name (or gazetteer name) as name or alias, if any."""
    for name in filter(None, (place.name, place.gazetteer_name)):
        found = places.find_place(case, name)
        if found is not None:
            return found.id
    return None


def default_decisions(case: Case, s: Suggestions, *, threshold: float | None = None) -> dict[Key, Decision]:
    """Accept everything, merging actors and places that the case already has instead of duplicating them.

    With a ``threshold`` (the review uses ``LOW_CONFIDENCE``), suggestions less sure than it start rejected
    ("unchecked"), so the analyst opts them in rather than out.
    """
    out: dict[Key, Decision] = {}
    for kind in KINDS:
        for i, item in enumerate(suggestions_of(s, kind)):
            target = None
            if kind == "actors":
                target = merge_target(case, item)
            elif kind == "places":
                target = place_target(case, item)
            d = Decision(MERGE, merge_into=target) if target else Decision(ACCEPT)
            if threshold is not None and getattr(item, "confidence", 1.0) < threshold:
                d.action = REJECT
            out[(kind, i)] = d
    return out


def default_title(document: Document, limit: int = 120) -> str:
    """The document's own title, else its first line of prose (a source needs a title a reader recognises)."""
    if document.title and document.title.strip():
        return document.title.strip()
    for line in document.text.splitlines():
        line = line.strip()
        if line and not line.lower().startswith("# source:"):
            line = re.sub(r"^#+\s*", "", line)
            return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
    return "Imported report"


def check_duplicate(case: Case, document: Document) -> Source | None:
    """The source already holding this exact text, if the report was imported before."""
    return sources.find_source_by_text(case, document.text)


_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s|\n\s*\n")


def _passage(text: str, a: int, b: int) -> tuple[int, int]:
    """A short mention (a name) widened to its sentence, so the locator quotes words a reader can search for."""
    if b - a >= 40:
        return a, b
    starts = [m.end() for m in _SENTENCE_END.finditer(text, max(0, a - 400), a)]
    lo = starts[-1] if starts else max(0, text.rfind("\n", 0, a) + 1)
    m = _SENTENCE_END.search(text, b, b + 400)
    hi = m.start() + 1 if m else min(len(text), b + 200)
    return lo, max(hi, b)


def _ends(words: str, n: int = 4) -> str:
    """The passage's first and last few words: "We condemn the … illegitimate war"."""
    parts = words.split()
    if len(parts) <= 2 * n + 1:
        return " ".join(parts)
    return f"{' '.join(parts[:n])} … {' '.join(parts[-n:])}"


def place_in_text(text: str, at: int, page_starts: Sequence[int] = ()) -> str:
    """Page (when the reader knew pages) and paragraph of a position, as a reader counts them: "p. 2, ¶ 3"."""
    page_start = 0
    where = []
    if page_starts:
        page = bisect.bisect_right(page_starts, at)
        page_start = page_starts[page - 1] if page else 0
        where.append(f"p. {max(page, 1)}")
    before = text[page_start:at]
    para = len([p for p in re.split(r"\n\s*\n", before) if p.strip()]) or 1
    if re.search(r"\n\s*\n\s*$", before):
        para += 1
    where.append(f"¶ {para}")
    return ", ".join(where)


def locator(spans: Iterable[Span], text: str = "", page_starts: Sequence[int] = ()) -> str:
    """A citation locator a reader can follow without offsets: where, and the passage's first and last words.

    "p. 2, ¶ 4: “We condemn the … Russia’s illegitimate war” (and 2 more mentions)". Without the text only the
    character span can be given.
    """
    spans = sorted(set(spans))
    if not spans:
        return ""
    a, b = spans[0]
    more = f" (and {len(spans) - 1} more mention{'s' if len(spans) > 2 else ''})" if len(spans) > 1 else ""
    if not text:
        return f"characters {a}–{b}{more}"
    lo, hi = _passage(text, a, b)
    return f"{place_in_text(text, a, page_starts)}: “{_ends(text[lo:hi])}”{more}"[:500]


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _aliases(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[;\n]", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class _Writer:
    """Holds the rows made so far so that later facts (quotes, legs, events) can refer to them."""

    def __init__(
        self,
        case: Case,
        document: Document,
        s: Suggestions,
        decisions: Mapping[Key, Decision],
        credibility: int,
    ) -> None:
        self.case = case
        self.doc = document
        self.s = s
        self.decisions = decisions
        self.credibility = credibility
        self.changes: list[Change] = []
        self.source_id = ""
        self.actor_ids: dict[str, str] = {}  # normalised name or alias -> actor id (this import)
        self.place_ids: dict[str, str] = {}
        self.rejected_places: set[str] = set()
        self.actor_by_index: dict[int, str] = {}
        self.place_by_index: dict[int, str] = {}
        self.skipped: list[str] = []  # one line per suggestion that could not be written, and why

    def each(self, kind: str, fn: Callable[[int, Any], None]) -> None:
        """Write each suggestion of a kind in its own savepoint: one that the case refuses is left out with a
        note, and the others still go in. Errors of the file itself (disk full, locked) still stop the import."""
        for i, item in enumerate(suggestions_of(self.s, kind)):
            if self.decision(kind, i).action == REJECT:
                fn(i, item)  # a rejection may still need recording (rejected place names)
                continue
            mark = len(self.changes)
            state = (
                dict(self.actor_ids),
                dict(self.place_ids),
                dict(self.actor_by_index),
                dict(self.place_by_index),
            )
            try:
                with self.case.transaction():
                    fn(i, item)
            except (CaseError, ValueError, TypeError, KeyError, sqlite3.IntegrityError) as exc:
                del self.changes[mark:]
                self.actor_ids, self.place_ids, self.actor_by_index, self.place_by_index = state
                self.skipped.append(f"{_NOUN[kind]} “{_label(item)}” was left out: {exc}")

    # -- helpers ------------------------------------------------------------------------------------------
    def decision(self, kind: str, i: int) -> Decision:
        return self.decisions.get((kind, i)) or Decision(REJECT)

    def cite(self, table: str, row_id: str, spans: Iterable[Span], d: Decision | None = None) -> None:
        cred = d.credibility if d is not None and d.credibility else self.credibility
        spans = sorted(set(spans))
        where = {"text_start": spans[0][0], "text_end": spans[0][1]} if spans else {}
        words = locator(spans, self.doc.text, self.doc.page_starts)
        self.changes.append(
            citations.cite(self.case, table, row_id, self.source_id, cred, locator=words, **where)
        )

    def actor_for(
        self, name: str | None, *, create: bool = False, kind: str = "person", spans: Iterable[Span] = ()
    ) -> str | None:
        """An actor of this import or of the case named ``name``; a rejected name resolves to nothing."""
        if not name or not name.strip():
            return None
        key = _norm(name)
        if key in self.actor_ids:
            return self.actor_ids[key]
        found = db_actors.find_actor(self.case, name)
        if found is not None:
            return found.id  # a rejected suggestion may still name an actor the case already has
        if not create:
            return None
        ch = db_actors.add_actor(self.case, name=name.strip(), kind=kind)
        self.changes.append(ch)
        self.actor_ids[key] = ch.row_id
        self.cite("actors", ch.row_id, spans)
        return ch.row_id

    def place_for(self, name: str | None) -> str | None:
        """A place of this import or of the case; an unknown name becomes a place without coordinates."""
        if not name or not name.strip():
            return None
        key = _norm(name)
        if key in self.place_ids:
            return self.place_ids[key]
        found = places.find_place(self.case, name)
        if found is not None:
            return found.id
        if key in self.rejected_places:
            return None
        ch = places.add_place(self.case, name=name.strip(), precision="unknown")
        self.changes.append(ch)
        self.place_ids[key] = ch.row_id
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name.strip()), self.doc.text)][:5]
        self.cite("places", ch.row_id, spans)
        return ch.row_id

    # -- kinds --------------------------------------------------------------------------------------------
    def source(self, fields: Mapping[str, Any], reliability: str) -> None:
        values: dict[str, Any] = {k: v for k, v in fields.items() if v not in (None, "")}
        title = str(values.pop("title", "") or default_title(self.doc)).strip()
        values.setdefault("outlet", self.doc.outlet or "")
        values.setdefault("url", self.doc.url or "")
        published = values.get("published", self.doc.published or self.s.published)
        if isinstance(published, dt.date):
            published = published.isoformat()
        values["published"] = published
        values.setdefault("kind", "report")
        if (
            self.doc.original is not None
        ):  # the report itself, kept in the case to be checked and read offline
            values["original_sha256"] = sources.store_original(
                self.case, self.doc.original, self.doc.filename, self.doc.media_type
            )
            values["original_name"] = self.doc.filename
        ch = sources.add_source(
            self.case,
            title=title,
            reliability=reliability,
            text=self.doc.text,
            text_sha256=self.doc.sha256,
            **values,
        )
        self.changes.append(ch)
        self.source_id = ch.row_id

    def actors(self) -> None:
        self.each("actors", self.actor)

    def actor(self, i: int, a: Actor) -> None:
        d = self.decision("actors", i)
        if d.action == REJECT:
            return
        v = d.values
        name = str(v.get("name") or a.name).strip()
        aliases = _aliases(v["aliases"]) if "aliases" in v else list(a.aliases)
        names = [name, *aliases]
        if a.name not in names:
            aliases.append(a.name)  # an edited name keeps the report's spelling findable
        if d.action == MERGE and d.merge_into:
            actor_id = self._merge_actor(d.merge_into, [name, *aliases])
        else:
            ch = db_actors.add_actor(
                self.case,
                name=name,
                kind=v.get("kind") or a.kind,
                aliases=aliases,
                description=v.get("description", a.role or ""),
            )
            self.changes.append(ch)
            actor_id = ch.row_id
        self.cite("actors", actor_id, a.spans, d)
        self.actor_by_index[i] = actor_id
        for n in [name, *aliases, *a.names()]:
            self.actor_ids.setdefault(_norm(n), actor_id)

    def _merge_actor(self, actor_id: str, names: list[str]) -> str:
        """Add the names the case does not know yet as aliases of the chosen actor, instead of a duplicate."""
        existing = db_actors.get_actor(self.case, actor_id)
        known = {_norm(n) for n in (existing.name, *existing.aliases)}
        new = [n for n in dict.fromkeys(names) if _norm(n) not in known]
        if new:
            self.changes.append(
                db_actors.update_actor(self.case, actor_id, aliases=[*existing.aliases, *new])
            )
        return actor_id

    def places(self) -> None:
        self.each("places", self.place)

    def place(self, i: int, p: Place) -> None:
        d = self.decision("places", i)
        names = [n for n in (p.name, p.gazetteer_name) if n]
        if d.action == REJECT:
            self.rejected_places.update(_norm(n) for n in names)
            return
        v = d.values
        name = str(v.get("name") or p.name).strip()
        if d.action == MERGE and d.merge_into:
            place_id = d.merge_into
            existing = places.get_place(self.case, place_id)
            known = {_norm(n) for n in (existing.name, *existing.aliases)}
            new = [n for n in dict.fromkeys([name, p.name]) if _norm(n) not in known]
            if new:
                self.changes.append(
                    places.update_place(self.case, place_id, aliases=[*existing.aliases, *new])
                )
        else:
            lat, lon = v.get("lat", p.lat), v.get("lon", p.lon)
            if lat in (None, "") or lon in (None, ""):
                lat = lon = None
            precision = v.get("precision") or (
                _PLACE_PRECISION.get(p.precision, "approximate") if lat is not None else "unknown"
            )
            ch = places.add_place(
                self.case,
                name=name,
                kind=v.get("kind") or _PLACE_KIND.get(p.feature, "other"),
                country=v.get("country", p.country) or "",
                lat=lat,
                lon=lon,
                precision=precision,
                aliases=[n for n in dict.fromkeys([p.name, p.gazetteer_name]) if n and n != name],
            )
            self.changes.append(ch)
            place_id = ch.row_id
        self.cite("places", place_id, p.spans, d)
        self.place_by_index[i] = place_id
        for n in [name, *names]:
            self.place_ids.setdefault(_norm(n), place_id)

    def _inside(self, spans: Iterable[Span], a: int, b: int) -> bool:
        return any(a <= x and y <= b for x, y in spans)

    def events(self) -> None:
        self.each("events", self.event)

    def event(self, i: int, e: Event) -> None:
        d = self.decision("events", i)
        if d.action == REJECT:
            return
        v = d.values
        a, b = e.span
        involved = [
            (actor_id, "")
            for j, actor_id in self.actor_by_index.items()
            if self._inside(self.s.actors[j].spans, a, b)
        ]
        place_id = next(
            (pid for j, pid in self.place_by_index.items() if self._inside(self.s.places[j].spans, a, b)),
            None,
        )
        title = str(v.get("title") or event_title(e)).strip()
        done = events.add_event(
            self.case,
            title=title,
            description=v.get("description", e.what if e.what != title else ""),
            date=v.get("date") or event_date(e),
            place_id=place_id,
            actors=list(dict.fromkeys(involved)),
        )
        self.changes.extend(done)
        self.cite("events", done[0].row_id, [e.span], d)

    def shipments(self) -> None:
        self.each("shipments", self.shipment)

    def shipment(self, i: int, sh: Shipment) -> None:
        d = self.decision("shipments", i)
        if d.action == REJECT:
            return
        v = d.values
        qualifier, _ = split_quantity(sh.quantity)
        ch = shipments.add_shipment(
            self.case,
            cargo=str(v.get("cargo") or sh.cargo or sh.unit or "cargo not stated"),
            quantity=v.get("quantity", sh.value),
            unit=v.get("unit", sh.unit or ""),
            quantity_qualifier=v.get("quantity_qualifier", qualifier),
        )
        self.changes.append(ch)
        self.cite("shipments", ch.row_id, sh.spans, d)
        for leg in sh.legs:
            lc = shipments.add_leg(
                self.case,
                shipment_id=ch.row_id,
                from_place_id=self.place_for(leg.origin),
                to_place_id=self.place_for(leg.destination),
                mode=leg.mode or "other",
                carrier_id=self.actor_for(leg.carrier),
                depart=leg.depart,
                arrive=leg.arrive,
            )
            self.changes.append(lc)
            self.cite("legs", lc.row_id, [leg.span] if leg.span != (0, 0) else sh.spans, d)

    def quotes(self) -> None:
        self.each("quotes", self.quote)

    def quote(self, i: int, q: Quote) -> None:
        text = self.doc.text
        published = self.doc.published or self.s.published
        d = self.decision("quotes", i)
        if d.action == REJECT:
            return
        v = d.values
        speaker_name = v.get("speaker", q.speaker)
        # a quote never loses the speaker the report names: link the actor, or create it
        attribution = [q.attribution_span] if q.attribution_span else []
        speaker_id = self.actor_for(speaker_name, create=True, spans=attribution)
        said = v.get("said") or (published.isoformat() if published else None)
        for start, end, words, part_note in quote_parts(text, q, v.get("text")):
            fields: dict[str, Any] = {
                "kind": "quote",
                "speaker_id": speaker_id,
                "said": said,
                "source_id": self.source_id,
                "notes": part_note,
            }
            if start is not None:
                fields.update(source_start=start, source_end=end)
            ch = statements.add_statement(self.case, text=words, **fields)
            self.changes.append(ch)
            self.cite("statements", ch.row_id, [(start, end)] if start is not None else q.spans, d)


def quote_parts(
    text: str, q: Quote, edited: str | None = None
) -> list[tuple[int | None, int | None, str, str]]:
    """(start, end, words, note) per statement to write for a quote.

    A statement keeps a position only where the kept text at that position is exactly its words, so a quote
    broken by its attribution ("…,” he said. “…”) becomes one statement per part, each exactly checkable.
    An edited text keeps a position when it is still found inside the quote; otherwise it keeps none.
    """
    spans = [(a, b) for a, b in q.spans if 0 <= a < b <= len(text)]
    if edited is not None and edited.strip() and edited != q.text:
        lo, hi = (spans[0][0], spans[-1][1]) if spans else (0, len(text))
        at = text.find(edited, lo, hi)
        if at >= 0:
            return [(at, at + len(edited), edited, "")]
        return [(None, None, edited, "Edited from the report's words.")]
    if not spans:
        return [(None, None, q.text, "")]
    out = []
    for n, (a, b) in enumerate(spans, start=1):
        note = f"Part {n} of {len(spans)} of one quotation." if len(spans) > 1 else ""
        out.append((a, b, text[a:b], note))
    return out


_ATTRIBUTION_LEAD = re.compile(
    r"^(?:[A-Z][^,;:“”\"]{0,80}?\b(?:said|says|announced|announces|added|stated|noted|told\s+\w+)\s+(?:that\s+)?)"
)
_CONNECTOR_LEAD = re.compile(
    r"^(?:(?:However|Then|Meanwhile|Also|Earlier|Later|Separately|Additionally|First|Second|Finally|"
    r"In\s+addition|At\s+the\s+time|Today|Yesterday),?\s+)+",
    re.I,
)
_CLAUSE_BREAK = re.compile(
    r";|\s[—–]\s|,\s+(?:which|while|whereas|after|before|according\s+to|as\s+part\s+of|following|"
    r"in\s+violation|potentially|including)\b"
)


def event_title(e: Event, limit: int = 90) -> str:
    """A title short enough for the timeline, not the whole sentence: the sentence without its date words, its
    attribution ("X said that") and leading connectors, cut at the first clause break and at a word boundary.
    The whole sentence stays the event's description."""
    what = re.sub(r"\s+", " ", e.what).strip()
    expr = re.sub(r"\s+", " ", e.expression).strip()
    if expr:
        # "On Sept. 12, the ship docked" -> "The ship docked"; "… docked on Sept. 12." -> "… docked"; a date in
        # the middle of a clause ("on a Friday afternoon") stays, since cutting it would leave broken words
        prep = r"(?:(?:on\s+or\s+about|on|in|of|since|during|by|from|until|at|as\s+of|about|around|just|early|late)\s+)?"
        date = rf"{prep}(?:the\s+)?{re.escape(expr)}"
        what = re.sub(rf"^{date},?\s+", "", what, count=1, flags=re.I)
        what = re.sub(rf",?\s+{date}(?=\s*(?:[,.;:]|$))", "", what, count=1, flags=re.I)
    core = _CONNECTOR_LEAD.sub("", _ATTRIBUTION_LEAD.sub("", what))
    if len(core.split()) >= 3:
        what = core
    cut = _CLAUSE_BREAK.search(what)
    if cut and len(what[: cut.start()].split()) >= 4:
        what = what[: cut.start()]
    what = what.strip(" ,;:.")
    if not what:
        what = re.sub(r"\s+", " ", e.what).strip()
    what = what[:1].upper() + what[1:]
    if len(what) <= limit:
        return what
    return what[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def event_date(e: Event) -> str:
    """The suggested date in the case file's EDTF form, approximate dates marked with ``~``."""
    from .dates import partial_date

    pd = partial_date(e.date, e.approximate)
    return pd.edtf() if pd is not None else e.date


def split_quantity(quantity: str | None) -> tuple[str, float | None]:
    """ "more than 1,000" -> ("more than", 1000.0): the qualifier and the number of a suggested quantity."""
    if not quantity:
        return "", None
    m = re.search(r"\d[\d,.]*", quantity)
    if not m:
        return quantity.strip(), None
    try:
        number = float(m.group(0).replace(",", ""))
    except ValueError:
        number = None
    return quantity[: m.start()].strip(), number


def accept(
    case: Case,
    document: Document,
    suggestions: Suggestions,
    decisions: Mapping[Key, Decision],
    *,
    reliability: str = "F",
    source_fields: Mapping[str, Any] | None = None,
    credibility: int = DEFAULT_CREDIBILITY,
    allow_duplicate: bool = False,
    skipped: list[str] | None = None,
) -> list[Change]:
    """Write the source and every accepted suggestion in one transaction; return the changes (for undo).

    Suggestions without a decision are not written. A suggestion the case refuses is left out and described
    in ``skipped`` (when given) while the rest go in. Raises ``DuplicateReportError`` when the case already
    keeps this exact text, unless ``allow_duplicate``.
    """
    if not allow_duplicate:
        dup = check_duplicate(case, document)
        if dup is not None:
            raise DuplicateReportError(dup)
    w = _Writer(case, document, suggestions, decisions, credibility)
    with case.transaction():
        w.source(source_fields or {}, reliability)
        w.actors()
        w.places()
        w.events()
        w.shipments()
        w.quotes()
    if skipped is not None:
        skipped.extend(w.skipped)
    return w.changes


def accept_all(
    case: Case,
    document: Document,
    suggestions: Suggestions,
    *,
    reliability: str = "F",
    source_fields: Mapping[str, Any] | None = None,
    credibility: int = DEFAULT_CREDIBILITY,
    allow_duplicate: bool = False,
    skipped: list[str] | None = None,
) -> list[Change]:
    """Accept every suggestion (for scripts), merging into actors and places the case already has."""
    return accept(
        case,
        document,
        suggestions,
        default_decisions(case, suggestions),
        reliability=reliability,
        source_fields=source_fields,
        credibility=credibility,
        allow_duplicate=allow_duplicate,
        skipped=skipped,
    )


@dataclass
class Summary:
    """Counts of what an import wrote, for the command line and the status bar."""

    created: Counter[str] = field(default_factory=Counter)
    merged: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        def n(table: str, word: str) -> str:
            extra = f" ({self.merged[table]} merged)" if self.merged[table] else ""
            count = self.created[table] + (self.merged[table] if table in ("actors", "places") else 0)
            return f"{count} {word}{extra}"

        return ", ".join(
            [
                n("actors", "actors"),
                n("places", "places"),
                n("events", "events"),
                n("shipments", "shipments"),
                n("legs", "legs"),
                f"{self.created['statements']} quotes",
                f"{self.created['citations']} citations",
            ]
        )


def summarize(changes: Iterable[Change]) -> Summary:
    """What ``accept`` did, read back from its changes.

    Inserts are new rows; an actor or place that is cited by the import without having been inserted by it
    is one the import merged into (whether or not it gained aliases).
    """
    out = Summary()
    changes = list(changes)
    inserted = {(ch.table, ch.row_id) for ch in changes if ch.action == "insert"}
    merged: set[tuple[str, str]] = set()
    for ch in changes:
        if ch.action == "insert":
            out.created[ch.table] += 1
            if ch.table == "citations" and ch.new is not None:
                subject = (ch.new["subject_table"], ch.new["subject_id"])
                if subject[0] in ("actors", "places") and subject not in inserted:
                    merged.add(subject)
    for table, _ in merged:
        out.merged[table] += 1
    return out


__all__ = [
    "ACCEPT",
    "KINDS",
    "LOW_CONFIDENCE",
    "MERGE",
    "REJECT",
    "Decision",
    "DuplicateReportError",
    "Key",
    "Summary",
    "accept",
    "accept_all",
    "check_duplicate",
    "default_decisions",
    "default_title",
    "known_actors",
    "locator",
    "merge_target",
    "place_target",
    "quote_parts",
    "summarize",
]
