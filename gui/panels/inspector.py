"""The inspector: everything known about the selected item, with the evidence for it.

Shows every field (dates both as a reader would say them and as stored EDTF, so nothing is more precise than the
source), the citations with the source's reliability (A–F) and the information's credibility (1–6) in words, and
the related items as links that select them. A quote taken from a kept source text is shown in its context.
Everything read from the case file is HTML-escaped: a case may come from someone else, and Qt's rich text would
otherwise load images or render markup hidden in a name or a quote.
"""

from __future__ import annotations

import html
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent, QTextOption
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from caseboard.db import details, labels, sources, values
from caseboard.db import related as related_db
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet
from caseboard.db.citations import citations_of
from caseboard.db.dates import PartialDate, from_day_number
from caseboard.db.events import actors_of
from caseboard.db.model import Statement
from caseboard.db.rows import fetch_row, history_of
from caseboard.db.sources import CREDIBILITY, RELIABILITY
from caseboard.db.statements import context_of
from caseboard.gui.selection import Selection, SelectionModel

LINK_SCHEME = "item"
ORIGINAL_SCHEME = "original"  # original:SOURCE_ID opens the source's kept file
RELATED_CAP = 40
TABLES = ("actors", "places", "shipments", "legs", "events", "statements", "sources", "relationships")

#: The fields shown per table, in order, with their labels; ``*_id`` fields become links.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "actors": (
        ("name", "Name"),
        ("kind", "Kind"),
        ("aliases", "Also known as"),
        ("description", "Description"),
        ("country", "Country"),
        ("flag", "Flag"),
        ("imo", "IMO number"),
    ),
    "places": (
        ("name", "Name"),
        ("kind", "Kind"),
        ("aliases", "Also known as"),
        ("country", "Country"),
        ("coordinates", "Coordinates"),
        ("precision", "Precision"),
        ("notes", "Notes"),
    ),
    "shipments": (
        ("title", "Title"),
        ("cargo", "Cargo"),
        ("quantity", "Quantity"),
        ("status", "Status"),
        ("shipper_id", "Shipper"),
        ("receiver_id", "Receiver"),
        ("date", "Date"),
        ("notes", "Notes"),
    ),
    "legs": (
        ("shipment_id", "Shipment"),
        ("seq", "Leg number"),
        ("from_place_id", "From"),
        ("to_place_id", "To"),
        ("mode", "Mode"),
        ("carrier_id", "Carrier"),
        ("depart", "Departs"),
        ("arrive", "Arrives"),
        ("notes", "Notes"),
    ),
    "events": (
        ("title", "Title"),
        ("description", "Description"),
        ("date", "Date"),
        ("place_id", "Place"),
        ("shipment_id", "Shipment"),
    ),
    "statements": (
        ("text", "Text"),
        ("kind", "Kind"),
        ("speaker_id", "Speaker"),
        ("said", "Said"),
        ("source_id", "Source"),
        ("notes", "Notes"),
    ),
    "sources": (
        ("label", "Label"),
        ("title", "Title"),
        ("kind", "Kind"),
        ("outlet", "Outlet"),
        ("author", "Author"),
        ("url", "Address"),
        ("accessed", "Accessed"),
        ("archive_url", "Archived copy"),
        ("published", "Published"),
        ("reliability", "Reliability"),
        ("via_id", "Known through"),
        ("notes", "Notes"),
        ("text", "Kept text"),
        ("original_sha256", "Original"),
    ),
    "relationships": (
        ("from_actor_id", "From"),
        ("kind", "Kind"),
        ("label", "Label"),
        ("to_actor_id", "To"),
        ("role", "Role"),
        ("since", "Since"),
        ("until", "Until"),
        ("notes", "Notes"),
    ),
}
DATE_FIELDS = {"date", "said", "depart", "arrive", "published", "accessed", "since", "until"}
REF_TABLES = {
    "speaker_id": "actors",
    "carrier_id": "actors",
    "shipper_id": "actors",
    "receiver_id": "actors",
    "from_place_id": "places",
    "to_place_id": "places",
    "place_id": "places",
    "source_id": "sources",
    "via_id": "sources",
    "shipment_id": "shipments",
    "from_actor_id": "actors",
    "to_actor_id": "actors",
}
NOUNS = {
    "actors": ("Actor", "Actors"),
    "places": ("Place", "Places"),
    "shipments": ("Shipment", "Shipments"),
    "legs": ("Shipment leg", "Legs"),
    "events": ("Event", "Events"),
    "statements": ("Statement", "Statements"),
    "sources": ("Source", "Sources"),
    "relationships": ("Relationship", "Relationships"),
}
STYLE = """
h2 { margin: 0 0 2px 0; }
h3 { margin: 12px 0 4px 0; color: #444; }
a { color: #1d4f91; text-decoration: none; }
td.k { color: #666; padding-right: 8px; }
.dim { color: #777; }
.unsourced { color: #b3261e; }
.mark { background-color: #ffe066; color: #000; }
.grade { color: #1d4f91; font-weight: bold; }
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def date_html(edtf: object) -> str:
    """Honest human form plus the stored EDTF, e.g. "Sept 2023  (EDTF 2023-09)"."""
    if not edtf:
        return "<span class='dim'>unknown</span>"
    try:
        shown = PartialDate.from_edtf(str(edtf)).display()
    except ValueError:
        return f"{esc(edtf)} <span class='dim'>(not a valid stored date)</span>"
    return f"{esc(shown)} <span class='dim'>(EDTF {esc(edtf)})</span>"


date_text = labels.date_text


def link(table: str, row_id: str, text: str) -> str:
    """An anchor that selects ``table``/``row_id``; the text is escaped here, once."""
    return f"<a href='{LINK_SCHEME}:{esc(table)}/{esc(row_id)}'>{esc(text)}</a>"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class InspectorPanel(QWidget):
    """A read-only page about the selection; links in it select other items."""

    #: Emitted with (table, id) each time an item is shown, so a history provider can answer via show_history.
    item_shown = Signal(str, str)

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self._history: list[dict[str, Any]] | None = None
        self._first_events: dict[str, list[tuple[Any, ...]]] = {}
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.browser.document().setDefaultStyleSheet(STYLE)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        selection.changed.connect(self._selection_changed)
        # an edit's re-render waits for the event loop (see ``_render_later``)
        self._due = False
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._render_due)
        self._render()

    # -- public ---------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._history = None
        self._first_events.clear()
        self._render()

    def refresh(self) -> None:
        self._render()

    #: The page can show any table's rows (the item, its links, citations, history).
    draws = {t: None for t in (*TABLES, "citations", "event_actors")}

    def apply_changes(self, changes: ChangeSet) -> None:
        """Re-render only when the shown item was touched, or one of the related items it lists."""
        if changes.tables & {"events", "event_actors"}:
            self._first_events.clear()
        sel = self.selection.selection
        related = self.selection.related
        if (
            (sel.row_id is not None and changes.mentions(sel.row_id))
            or (
                related is not None
                and any(
                    changes.ids(t) & related.ids(t)
                    for t in TABLES
                    if t in changes.tables and hasattr(related, t)
                )
            )
            or (sel.row_id is None and sel.time_range is not None and changes.structural())
        ):
            self._render_later()

    @property
    def pending(self) -> bool:
        """An edit's re-render is waiting for the event loop (a hidden inspector waits until it is shown)."""
        return self._due and self.isVisible()

    def _render_later(self) -> None:
        """Re-render once the edit's other views have updated: several edits in a row render once, and a
        hidden inspector (its dock closed, or a tab behind another) renders when it is shown again."""
        self._due = True
        if self.isVisible():
            self._later.start(0)

    def _render_due(self) -> None:
        if self._due and self.isVisible():
            self._render()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._due:
            self._later.start(0)

    def _actor_events(self, case: Case, actor_id: str) -> list[tuple[Any, ...]]:
        """An actor's first events, kept while the same actor is shown: renaming a busy speaker re-renders the
        page, and reading thousands of their event links again would be most of that."""
        got = self._first_events.get(actor_id)
        if got is None:
            got = self._first_events[actor_id] = details.first_events(case.conn, actor_id, RELATED_CAP)
        return got

    def show_history(self, rows: list[dict[str, Any]] | None) -> None:
        """Fill the History section (rows with ``at``, ``action``, ``label``); another component provides them."""
        self._history = rows
        self._render()

    def text(self) -> str:
        if self._due:
            self._render()
        return self.browser.toPlainText()

    # -- events ---------------------------------------------------------------------------------------------
    def _selection_changed(self, _sel: Selection, _origin: object) -> None:
        self._history = None
        self._first_events.clear()
        self._render()

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
            return
        if url.scheme() == ORIGINAL_SCHEME:
            self.open_original(url.path())
            return
        if url.scheme() != LINK_SCHEME:
            return
        table, _, row_id = url.path().partition("/")
        if table in TABLES and row_id:
            self.selection.select_item(table, row_id, self)

    # -- rendering ------------------------------------------------------------------------------------------
    def _render(self) -> None:
        self._due = False
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(self._page())
        self.browser.verticalScrollBar().setValue(scroll if self.selection.selection.has_item else 0)

    def _page(self) -> str:
        case, sel = self.case, self.selection.selection
        if case is None:
            return "<p class='dim'>No case is open.</p>"
        if sel.empty:
            return (
                "<p class='dim'>Select something in the navigator, the timeline, the map or the quotes to see "
                "everything known about it here, with its sources.</p>"
            )
        parts: list[str] = []
        if sel.has_item and sel.table:
            parts.append(self._item_html(case, sel.table, str(sel.row_id)))
        if sel.time_range is not None:
            parts.append(self._range_html(sel))
        return "".join(parts)

    def _name(self, case: Case, table: str, row_id: str) -> str:
        """A short label for a row, for links."""
        name = labels.name_of(case.conn, table, row_id)
        if name is None:
            return f"(missing {table[:-1]})"
        return _link_text(table, name)

    def _checked_value(self, case: Case, table: str, field: str, row: dict[str, Any]) -> str:
        """A field's value, or "(unreadable value)" for one a file from elsewhere holds in an odd form."""
        try:
            return self._field_value(case, table, field, row)
        except (ValueError, TypeError, OverflowError, KeyError, UnicodeError):
            return f"<span class='dim'>{esc(values.UNREADABLE)}</span>"

    def _field_value(self, case: Case, table: str, field: str, row: dict[str, Any]) -> str:
        if field == "coordinates":
            if row.get("lat") is None:
                return "<span class='dim'>unknown</span>"
            return f"{float(row['lat']):.3f}, {float(row['lon']):.3f}"
        if field == "quantity":
            if row.get("quantity") is None:
                return "<span class='dim'>unknown</span>"
            q = float(row["quantity"])
            number = f"{q:,.0f}" if q.is_integer() else f"{q:,}"
            return esc(" ".join(p for p in (row.get("quantity_qualifier"), number, row.get("unit")) if p))
        value = row.get(field)
        if field in DATE_FIELDS:
            return date_html(value)
        if field in REF_TABLES:
            if not value:
                return "<span class='dim'>none</span>"
            return link(REF_TABLES[field], str(value), self._name(case, REF_TABLES[field], str(value)))
        if field == "aliases":
            try:
                names = json.loads(value or "[]")
            except ValueError:
                names = [value]
            return esc(", ".join(map(str, names))) if names else "<span class='dim'>none</span>"
        if field == "reliability":
            return f"<span class='grade'>{esc(value)}</span> {esc(RELIABILITY.get(str(value), ''))}"
        if field == "text" and table == "sources":
            if not value:
                return "<span class='dim'>not kept</span>"
            return f"{len(value):,} characters kept"
        if field == "text" and table == "statements":
            kind = row.get("kind")
            body = esc(value)
            return f"\u201c{body}\u201d" if kind == "quote" else f"<i>{body}</i>"
        if field == "original_sha256":
            return self._original_html(case, row)
        if field in ("url", "archive_url") and value:
            url = QUrl(str(value))
            if url.scheme() in ("http", "https"):
                return f"<a href='{esc(url.toString())}'>{esc(value)}</a>"
        if value is None or value == "":
            return "<span class='dim'>—</span>"
        return esc(value)

    def _item_html(self, case: Case, table: str, row_id: str) -> str:
        row = fetch_row(case, table, row_id)
        if row is None:
            return f"<p class='dim'>This {esc(NOUNS[table][0].lower())} is no longer in the case.</p>"
        kind = row.get("kind") or row.get("mode") or row.get("status") or ""
        out = [
            f"<h2>{esc(self._name(case, table, row_id))}</h2>",
            f"<p class='dim'>{esc(NOUNS[table][0])}{' · ' + esc(kind) if kind else ''}</p>",
            "<table cellspacing='0' cellpadding='2'>",
        ]
        for field, label in FIELDS[table]:
            out.append(
                f"<tr><td class='k' valign='top'>{esc(label)}</td>"
                f"<td>{self._checked_value(case, table, field, row)}</td></tr>"
            )
        out.append("</table>")
        out.append(self._citations_html(case, table, row_id))
        extra = {
            "actors": self._actor_html,
            "places": self._place_html,
            "shipments": self._shipment_html,
            "events": self._event_html,
            "statements": self._statement_html,
            "sources": self._source_html,
        }.get(table)
        if extra is not None:
            out.append(extra(case, row))
        out.append(self._related_html(case, table, row_id))
        out.append(self._history_html(case, table, row_id))
        self.item_shown.emit(table, row_id)
        return "".join(out)

    def _original_html(self, case: Case, row: dict[str, Any]) -> str:
        if not row.get("original_sha256"):
            return "<span class='dim'>not kept</span>"
        kept = sources.original_of(case, row["id"])
        if kept is None:
            return "<span class='unsourced'>missing from the case file</span>"
        size = f"{kept.size / 1024:,.0f} KB" if kept.size >= 1024 else f"{kept.size} bytes"
        check = "matches its SHA-256" if sources.verify_original(kept) else "does NOT match its SHA-256"
        return (
            f"<a href='{ORIGINAL_SCHEME}:{esc(row['id'])}'>{esc(kept.filename or 'Open')}</a> "
            f"<span class='dim'>({esc(kept.media_type)}, {size}; {check}: {esc(kept.sha256[:16])}…)</span>"
        )

    def open_original(self, source_id: str) -> Path | None:
        """Write the kept original to a private temporary folder and open it with the desktop's viewer."""
        if self.case is None:
            return None
        kept = sources.original_of(self.case, source_id)
        if kept is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="caseboard-original-"))
        name = Path(kept.filename).name or "original"
        path = folder / name
        path.write_bytes(kept.data)
        path.chmod(0o400)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _citations_html(self, case: Case, table: str, row_id: str) -> str:
        if table == "sources":
            return ""
        cites = citations_of(case, table, row_id)
        if not cites:
            return (
                "<h3>Citations</h3><p class='unsourced'><b>Unsourced:</b> no source is cited for this. "
                "Edit &gt; Cite a Source for Selected adds one.</p>"
            )
        out = ["<h3>Citations</h3><ul style='margin-left:-20px'>"]
        for c in cites:
            grade = details.reliability(case.conn, c.source_id)
            code = f"{grade}{c.credibility}"
            line = (
                f"<li><span class='grade'>{esc(code)}</span> "
                f"{link('sources', c.source_id, self._name(case, 'sources', c.source_id))}<br>"
                f"<span class='dim'>source {esc(grade)}: {esc(RELIABILITY.get(grade, ''))}; "
                f"information {esc(c.credibility)}: {esc(CREDIBILITY.get(c.credibility, ''))}</span>"
            )
            if c.locator:
                line += f"<br><span class='dim'>at {esc(c.locator)}</span>"
            if c.notes:
                line += f"<br>{esc(c.notes)}"
            out.append(line + "</li>")
        out.append("</ul>")
        return "".join(out)

    def _links(self, case: Case, table: str, ids: Iterable[str]) -> str:
        ids = list(ids)
        shown = ids[:RELATED_CAP]
        # one query for all of them (a busy actor's page lists up to RELATED_CAP of each kind, on every edit)
        found = labels.names_of(case.conn, table, shown) if all(isinstance(i, str) for i in shown) else {}
        names = sorted(
            ((_link_text(table, found[i]) if i in found else self._name(case, table, i), i) for i in shown),
            key=lambda p: p[0].lower(),
        )
        items = [f"<li>{link(table, i, n)}</li>" for n, i in names]
        if len(ids) > RELATED_CAP:
            items.append(f"<li class='dim'>and {len(ids) - RELATED_CAP:,} more</li>")
        return "<ul style='margin-left:-20px'>" + "".join(items) + "</ul>"

    def _leg_line(self, case: Case, leg: dict[str, Any]) -> str:
        label = link("legs", leg["id"], self._name(case, "legs", leg["id"]))
        dates = f"{date_text(leg['depart'])} → {date_text(leg['arrive'])}"
        carrier = (
            " · " + link("actors", leg["carrier_id"], self._name(case, "actors", leg["carrier_id"]))
            if leg["carrier_id"]
            else ""
        )
        return f"<li>{label}{carrier}<br><span class='dim'>{esc(dates)}</span></li>"

    def _place_html(self, case: Case, row: dict[str, Any]) -> str:
        legs = details.legs(case.conn, place_id=row["id"], limit=RELATED_CAP)
        out = [f"<h3>Legs touching this place ({len(legs)})</h3>"]
        if legs:
            out.append(
                "<ul style='margin-left:-20px'>"
                + "".join(self._leg_line(case, leg) for leg in legs)
                + "</ul>"
            )
        else:
            out.append("<p class='dim'>No shipment leg starts or ends here.</p>")
        return "".join(out)

    def _shipment_html(self, case: Case, row: dict[str, Any]) -> str:
        legs = details.legs(case.conn, shipment_id=row["id"], limit=RELATED_CAP)
        if not legs:
            return "<h3>Legs</h3><p class='dim'>No legs recorded.</p>"
        return (
            f"<h3>Legs ({len(legs)})</h3><ul style='margin-left:-20px'>"
            + "".join(self._leg_line(case, leg) for leg in legs)
            + "</ul>"
        )

    def _event_html(self, case: Case, row: dict[str, Any]) -> str:
        involved = actors_of(case, row["id"])
        if not involved:
            return ""
        items = "".join(
            f"<li>{link('actors', a.id, a.name)}{' — ' + esc(role) if role else ''}</li>"
            for a, role in involved
        )
        return f"<h3>Involved</h3><ul style='margin-left:-20px'>{items}</ul>"

    def _actor_html(self, case: Case, row: dict[str, Any]) -> str:
        items = [
            f"<li>{link('events', eid, _short(title))}<br><span class='dim'>{esc(date_text(date))}"
            f"{' · ' + esc(role) if role else ''}</span></li>"
            for eid, title, date, role in self._actor_events(case, row["id"])
        ]
        if not items:
            return ""
        return "<h3>Takes part in</h3><ul style='margin-left:-20px'>" + "".join(items) + "</ul>"

    def _statement_html(self, case: Case, row: dict[str, Any]) -> str:
        out: list[str] = []
        if row.get("source_id"):
            src = details.source_line(case.conn, row["source_id"])
            if src:
                label, title, grade, outlet = src
                out.append(
                    "<h3>Source</h3>"
                    f"<p>{link('sources', row['source_id'], (label + ' ' if label else '') + title)}<br>"
                    f"<span class='grade'>{esc(grade)}</span> {esc(RELIABILITY.get(grade, ''))}"
                    f"{'<br><span class=dim>' + esc(outlet) + '</span>' if outlet else ''}</p>"
                )
        statement = Statement.from_row(row)
        context = context_of(case, statement)
        if context is not None:
            before, quote, after = context
            lead = "…" if statement.source_start and statement.source_start > len(before) else ""
            tail = "…" if after else ""
            out.append(
                "<h3>In context</h3><p>"
                f"{esc(lead + before)}<span class='mark'>{esc(quote)}</span>{esc(after + tail)}</p>"
            )
        return "".join(out)

    def _source_html(self, case: Case, row: dict[str, Any]) -> str:
        counts = details.citation_counts(case.conn, row["id"])
        if not counts:
            return "<h3>Cited for</h3><p class='dim'>Nothing cites this source yet.</p>"
        words = ", ".join(f"{n} {esc(NOUNS.get(t, (t, t))[1].lower())}" for t, n in counts)
        return f"<h3>Cited for</h3><p>{words}</p>"

    def _related_html(self, case: Case, table: str, row_id: str) -> str:
        sel = self.selection.selection
        if sel.table == table and sel.row_id == row_id and sel.time_range is None and self.selection.related:
            rel = self.selection.related
        else:
            rel = related_db.related(case, table, row_id)
        out = []
        for t in TABLES:
            ids = sorted(
                rel.ids(t) - ({row_id} if t == table else set()), key=str
            )  # a file may hold a blob id
            if ids:
                out.append(f"<p style='margin:6px 0 0 0'><b>{esc(NOUNS[t][1])}</b> ({len(ids):,})</p>")
                out.append(self._links(case, t, ids))
        if not out:
            return ""
        return "<h3>Related</h3>" + "".join(out)

    def _history_html(self, case: Case, table: str, row_id: str) -> str:
        """Every logged change of this item, newest first: when, what, and each field's old and new value."""
        rows = self._history if self._history is not None else history_of(case, table, row_id, limit=50)
        if not rows:
            return ""
        items = []
        for r in rows:
            old, new = r.get("old") or {}, r.get("new") or {}
            when = esc(str(r.get("at", ""))[:19].replace("T", " "))
            what = {"insert": "created", "update": "changed", "delete": "deleted"}.get(
                r.get("action", ""), ""
            )
            label = f" — {esc(r['label'])}" if r.get("label") else ""
            diffs = ""
            if r.get("action") == "update":
                parts = [
                    f"{esc(k)}: <s>{esc(_short(str(old.get(k) or '∅'), 60))}</s> → {esc(_short(str(v or '∅'), 60))}"
                    for k, v in new.items()
                    if old.get(k) != v
                ]
                diffs = "<br>" + "<br>".join(parts) if parts else ""
            items.append(f"<li><span class='dim'>{when}</span> {what}{label}{diffs}</li>")
        return f"<h3>History</h3><ul style='margin-left:-20px'>{''.join(items)}</ul>"

    def _range_html(self, sel: Selection) -> str:
        assert sel.time_range is not None and self.case is not None
        lo, hi = sel.time_range
        first, last = from_day_number(lo), from_day_number(hi)
        edtf = first.isoformat() if lo == hi else f"{first.isoformat()}/{last.isoformat()}"
        out = [f"<h2>Time range</h2><p>{date_html(edtf)}</p>"]
        rel = related_db.in_time_range(self.case, lo, hi)
        for t in ("events", "legs", "statements", "places"):
            ids = sorted(rel.ids(t))
            out.append(f"<p style='margin:6px 0 0 0'><b>{esc(NOUNS[t][1])}</b> ({len(ids):,})</p>")
            if ids:
                out.append(self._links(self.case, t, ids))
        return "".join(out)


def _link_text(table: str, name: str) -> str:
    """A row's name as a link on the page: a statement's text cut shorter than other names."""
    return _short(name, 70 if table == "statements" else 90)
