"""The report as Qt rich text (the HTML subset QTextDocument reads); no Qt imports here.

Every piece of case text goes through ``esc``: HTML-escaped, control characters dropped, newlines kept as line
breaks. Long unbroken runs are left to the document's wrap mode (``WrapAtWordBoundaryOrAnywhere``), so the words
are printed exactly as written and still wrap inside the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from caseboard.gui.report.data import (
    ACTOR_KIND_TITLES,
    ChronoEntry,
    Report,
    ShipmentEntry,
    SourceEntry,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufeff]")

#: Style sheet for the body; sizes are in pt (fonts) and px at 96 dpi (spacing), as QTextDocument reads them.
STYLE = """
h1 { font-size: 17pt; font-weight: bold; color: #1b2a3a; margin-top: 0px; margin-bottom: 10px; }
h2 { font-size: 14pt; font-weight: bold; color: #1b2a3a; margin-top: 18px; margin-bottom: 8px; }
h3 { font-size: 11pt; font-weight: bold; color: #24364a; margin-top: 12px; margin-bottom: 4px; }
p { margin-top: 0px; margin-bottom: 5px; }
p.date { font-weight: bold; color: #1b2a3a; margin-top: 8px; margin-bottom: 2px; }
p.entry { margin-left: 14px; margin-bottom: 4px; }
p.quote { margin-left: 14px; margin-bottom: 2px; }
p.by { margin-left: 14px; margin-bottom: 9px; color: #4a5866; }
p.note { color: #4a5866; }
p.intro { color: #4a5866; margin-bottom: 8px; }
p.cite { margin-left: 28px; text-indent: -28px; margin-bottom: 3px; }
span.kind { color: #6b7785; font-size: 7.5pt; }
span.dim { color: #4a5866; }
span.ref { color: #2b5c8a; }
span.grade { font-weight: bold; }
td { padding: 2px 4px; }
th { padding: 2px 4px; background-color: #e8edf2; font-weight: bold; text-align: left; }
"""

KIND_LABEL = {
    "event": "EVENT",
    "departure": "DEPARTS",
    "arrival": "ARRIVES",
    "statement": "STATEMENT",
}


def esc(text: object) -> str:
    """Case text made safe for rich text: escaped, control characters removed, newlines as line breaks."""
    clean = _CONTROL.sub("", str(text or ""))
    return html.escape(clean, quote=True).replace("\r\n", "\n").replace("\n", "<br/>")


def refs_html(refs: Iterable[int]) -> str:
    """Citation marks: " [3][4]"."""
    marks = "".join(f"[{n}]" for n in refs)
    return f' <span class="ref">{marks}</span>' if marks else ""


def quoted(text: str, kind: str) -> str:
    """A quotation in curly quotes, a paraphrase marked as such."""
    if kind == "quote":
        return f"\u201c{esc(text)}\u201d"
    return f'<i>{esc(text)}</i> <span class="kind">(PARAPHRASE)</span>'


def _chrono_entry(e: ChronoEntry) -> str:
    label = f'<span class="kind">{KIND_LABEL.get(e.kind, e.kind.upper())}</span>&nbsp; '
    if e.kind == "statement":
        body = f"{esc(e.detail)}: {quoted(e.text, 'quote' if e.quote else 'paraphrase')}"
        detail = ""
    else:
        body = esc(e.text)
        detail = f'<br/><span class="dim">{esc(e.detail)}</span>' if e.detail else ""
    return f'<p class="entry">{label}{body}{refs_html(e.refs)}{detail}</p>'


def chronology_html(report: Report) -> list[str]:
    out = ["<h2>Chronology</h2>"]
    out.append(
        '<p class="intro">Every dated event, leg departure and arrival, and statement, in order of the first day '
        "each may have happened. Dates claim no more precision than the sources give.</p>"
    )
    if not report.chronology:
        out.append('<p class="note">Nothing dated in this report.</p>')
    last = None
    for e in report.chronology:
        if e.date != last:
            out.append(f'<p class="date">{esc(e.date)}</p>')
            last = e.date
        out.append(_chrono_entry(e))
    if report.undated:
        out.append("<h3>Undated</h3>")
        out.extend(_chrono_entry(e) for e in report.undated)
    return out


def _shipment_html(s: ShipmentEntry) -> list[str]:
    out = [f"<h3>{esc(s.title)}{refs_html(s.refs)}</h3>"]
    facts = [
        ("Cargo", s.cargo),
        ("Quantity", s.quantity),
        ("From", s.shipper),
        ("To", s.receiver),
        ("Date", s.date),
        ("Status", s.status),
    ]
    out.append(
        "<p>"
        + " &nbsp;·&nbsp; ".join(f'<span class="dim">{k}:</span> {esc(v)}' for k, v in facts if v)
        + "</p>"
    )
    if s.notes:
        out.append(f'<p class="note">{esc(s.notes)}</p>')
    if s.legs:
        rows = [
            '<table width="100%" cellspacing="0" cellpadding="3" border="0.5" style="border-color: #b8c2cc;">',
            "<tr><th>Leg</th><th>From</th><th>To</th><th>Mode</th><th>Carrier</th><th>Departs</th>"
            "<th>Arrives</th></tr>",
        ]
        for leg in s.legs:
            rows.append(
                f"<tr><td>{leg.seq}{refs_html(leg.refs)}</td><td>{esc(leg.origin)}</td>"
                f"<td>{esc(leg.destination)}</td><td>{esc(leg.mode)}</td><td>{esc(leg.carrier) or '—'}</td>"
                f"<td>{esc(leg.depart) or '—'}</td><td>{esc(leg.arrive) or '—'}</td></tr>"
            )
        rows.append("</table>")
        out.append("".join(rows))
        for leg in s.legs:
            if leg.notes:
                out.append(f'<p class="note">Leg {leg.seq}: {esc(leg.notes)}</p>')
    else:
        out.append('<p class="note">No legs recorded.</p>')
    return out


def shipments_html(report: Report) -> list[str]:
    out = ["<h2>Shipments</h2>"]
    if not report.shipments:
        out.append('<p class="note">No shipments in this report.</p>')
    for s in report.shipments:
        out.extend(_shipment_html(s))
    return out


def actors_html(report: Report) -> list[str]:
    out = ["<h2>Actors</h2>"]
    if not report.actors:
        out.append('<p class="note">No actors in this report.</p>')
    for kind, entries in report.actors.items():
        out.append(f"<h3>{esc(ACTOR_KIND_TITLES.get(kind, kind))}</h3>")
        for a in entries:
            bits = [f"<b>{esc(a.name)}</b>{refs_html(a.refs)}"]
            if a.aliases:
                bits.append(f'<span class="dim">also</span> {esc(", ".join(a.aliases))}')
            if a.country:
                bits.append(esc(a.country))
            if a.description:
                bits.append(esc(a.description))
            out.append(f'<p class="entry">{" &nbsp;·&nbsp; ".join(bits)}</p>')
    return out


def places_html(report: Report) -> list[str]:
    out = ["<h2>Places</h2>"]
    if not report.places:
        out.append('<p class="note">No places in this report.</p>')
    for p in report.places:
        where = ", ".join(x for x in (p.kind, p.country) if x)
        pos = f"{p.position} ({p.precision})" if p.position else "position unknown"
        line = f"<b>{esc(p.name)}</b>{refs_html(p.refs)} &nbsp;·&nbsp; {esc(where)} &nbsp;·&nbsp; {esc(pos)}"
        if p.notes:
            line += f'<br/><span class="dim">{esc(p.notes)}</span>'
        out.append(f'<p class="entry">{line}</p>')
    return out


def statements_html(report: Report) -> list[str]:
    out = ["<h2>Statements</h2>"]
    if not report.statements:
        out.append('<p class="note">No statements in this report.</p>')
    for s in report.statements:
        out.append(f'<p class="quote">{quoted(s.text, s.kind)}{refs_html(s.refs)}</p>')
        src = f" &nbsp;·&nbsp; source: {esc(s.source)}" if s.source else " &nbsp;·&nbsp; no source recorded"
        out.append(f'<p class="by">\u2014 {esc(s.speaker)}, {esc(s.date)}{src}</p>')
    return out


def _source_html(s: SourceEntry) -> str:
    head = f"{esc(s.label)} \u2014 {esc(s.title)}" if s.label else esc(s.title)
    facts = [
        ("Kind", s.kind),
        ("Outlet", s.outlet),
        ("Author", s.author),
        ("Published", s.published),
        ("Known through", s.via),
        ("URL", s.url),
    ]
    lines = [f"<h3>{head}</h3>"]
    lines.append(
        f'<p><span class="dim">Reliability:</span> <span class="grade">{esc(s.reliability)}</span> '
        f"({esc(s.reliability_text.split(' ', 1)[1].strip('()'))})"
        + "".join(f' &nbsp;·&nbsp; <span class="dim">{k}:</span> {esc(v)}' for k, v in facts if v)
        + f' &nbsp;·&nbsp; <span class="dim">cited</span> {s.cited}\u00d7</p>'
    )
    if s.notes:
        lines.append(f'<p class="note">{esc(s.notes)}</p>')
    return "".join(lines)


def sources_html(report: Report) -> list[str]:
    out = ['<h2 style="page-break-before: always;">Sources and citations</h2>']
    out.append(
        '<p class="intro">Admiralty grading: the letter is the reliability of the source (A completely reliable '
        "\u2026 F cannot be judged); the digit is the credibility of the cited information (1 confirmed by other "
        "sources \u2026 6 cannot be judged).</p>"
    )
    out.append("<h3>Sources</h3>" if report.sources else '<p class="note">No sources cited.</p>')
    out.extend(_source_html(s) for s in report.sources)
    if report.citations:
        out.append("<h2>Citations</h2>")
        by_id = report.source_by_id()
        for c in report.citations:
            src = by_id.get(c.source_id)
            name = esc(src.name) if src else "unknown source"
            grade = f"{src.reliability if src else '?'}{c.credibility if c.credibility is not None else ''}"
            loc = f", {esc(c.locator)}" if c.locator else ""
            out.append(
                f'<p class="cite">[{c.number}] &nbsp;<b>{name}</b>{loc} &nbsp;<span class="grade">{grade}</span> '
                f'<span class="dim">\u2014 {esc(c.credibility_text)}</span> \u2014 {esc(c.subject)}</p>'
            )
    return out


def body_html(report: Report) -> str:
    """Everything after the title page and the figures, as one rich-text document."""
    parts: list[str] = []
    parts += chronology_html(report)
    parts += shipments_html(report)
    parts += actors_html(report)
    parts += places_html(report)
    parts += statements_html(report)
    parts += sources_html(report)
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def title_html(report: Report, *, generator: str) -> str:
    """The title page: title, summary, scope, date span, provenance and counts."""
    made = report.made_at.strftime("%-d %b %Y, %H:%M %Z").strip()
    counts = report.counts
    rows = [
        ("Covers", report.scope.description or "The whole case"),
        ("Dates", report.span),
        ("Made", made),
        ("From the case file", report.case_path),
        ("Made with", generator),
    ]
    table = "".join(
        f'<tr><td width="28%"><span class="dim">{k}</span></td><td>{esc(v)}</td></tr>' for k, v in rows
    )
    count_words = [
        (counts.get("actors", 0), "actor", "actors"),
        (counts.get("places", 0), "place", "places"),
        (counts.get("shipments", 0), "shipment", "shipments"),
        (counts.get("legs", 0), "leg", "legs"),
        (counts.get("events", 0), "event", "events"),
        (counts.get("statements", 0), "statement", "statements"),
        (counts.get("sources", 0), "source", "sources"),
        (counts.get("citations", 0), "citation", "citations"),
    ]
    count_cells = "".join(
        f'<td align="center"><span style="font-size: 15pt; font-weight: bold;">{n:,}</span><br/>'
        f'<span class="dim">{one if n == 1 else many}</span></td>'
        for n, one, many in count_words
    )
    return (
        "<html><body>"
        '<p style="font-size: 9pt; color: #6b7785; margin-bottom: 30px;">CASE SUMMARY</p>'
        f'<h1 style="font-size: 22pt;">{esc(report.title)}</h1>'
        f'<p style="font-size: 11pt; margin-bottom: 24px;">{esc(report.summary)}</p>'
        '<p style="font-size: 6pt; margin: 0px;">&nbsp;</p>'
        f'<table width="100%" cellspacing="0" cellpadding="4">{table}</table>'
        '<p style="margin-top: 28px;"></p>'
        f'<table width="100%" cellspacing="6" cellpadding="6" style="background-color: #f1f4f7;">'
        f"<tr>{count_cells}</tr></table>"
        "</body></html>"
    )
