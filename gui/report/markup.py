"""The report as Qt rich text (the HTML subset QTextDocument reads); no Qt imports here.

Every piece of case text goes through ``esc``: HTML-escaped, control characters dropped, newlines kept as line
breaks. Long unbroken runs are left to the document's wrap mode (``WrapAtWordBoundaryOrAnywhere``), so the words
are printed exactly as written and still wrap inside the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from caseboard.db.report import (
    ACTOR_KIND_TITLES,
    HEALTH_LISTED,
    ChronoEntry,
    Report,
    ShipmentEntry,
    SourceEntry,
    StatementEntry,
)
from caseboard.db.schema import NOUN
from caseboard.db.sources import CREDIBILITY

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufeff]")

#: Width of the date column of the chronology (and of the label column of other compact rows), in px at 96 dpi.
DATE_COL = 104

#: Style sheet for the body; sizes are in pt (fonts) and px at 96 dpi (spacing), as QTextDocument reads them.
#: Compact: one paragraph per entry, the date (or label) in a left column made by a hanging indent and a tab stop
#: at DATE_COL (set on the document's default text option), so a page holds about 60 entries.
STYLE = f"""
h1 {{ font-size: 17pt; font-weight: bold; color: #1b2a3a; margin-top: 0px; margin-bottom: 10px; }}
h2 {{ font-size: 13pt; font-weight: bold; color: #1b2a3a; margin-top: 14px; margin-bottom: 6px; }}
h3 {{ font-size: 10pt; font-weight: bold; color: #24364a; margin-top: 9px; margin-bottom: 3px; }}
p {{ margin-top: 0px; margin-bottom: 3px; }}
p.row {{ margin-left: {DATE_COL}px; text-indent: -{DATE_COL}px; margin-bottom: 3px; white-space: pre-wrap; }}
p.entry {{ margin-left: 12px; text-indent: -12px; margin-bottom: 3px; }}
p.quote {{ margin-left: 12px; text-indent: -12px; margin-bottom: 5px; }}
p.note {{ color: #4a5866; }}
p.intro {{ color: #4a5866; margin-bottom: 6px; }}
p.cite {{ margin-left: 24px; text-indent: -24px; margin-bottom: 1px; }}
span.date {{ font-weight: bold; color: #1b2a3a; }}
span.kind {{ color: #6b7785; font-size: 7pt; }}
span.num {{ font-weight: bold; }}
span.dim {{ color: #4a5866; }}
span.by {{ color: #4a5866; }}
span.ref {{ color: #2b5c8a; }}
span.grade {{ font-weight: bold; }}
span.unsourced {{ color: #b3261e; font-style: italic; }}
a {{ color: #2b5c8a; text-decoration: none; }}
a.url {{ text-decoration: underline; }}
td {{ padding: 2px 4px; }}
th {{ padding: 2px 4px; background-color: #e8edf2; font-weight: bold; text-align: left; }}
"""

KIND_LABEL = {
    "event": "",
    "departure": "DEPARTS",
    "arrival": "ARRIVES",
    "statement": "SAID",
}

#: Whether a label fits the left column (set by the PDF writer from real font metrics); else it gets a line of
#: its own and the entry starts under it, still in the right column.
Fits = Callable[[str], bool]


def _fits_by_length(label: str) -> bool:
    return len(label) <= 13


def esc(text: object) -> str:
    """Case text made safe for rich text: escaped, control characters removed, newlines as line breaks."""
    clean = str(text or "")
    if _CONTROL.search(clean):
        clean = _CONTROL.sub("", clean)
    clean = html.escape(clean, quote=True)
    if "\n" in clean:
        clean = clean.replace("\r\n", "\n").replace("\n", "<br/>")
    return clean


#: What a fact with no citation carries where it is printed, instead of "[n]".
UNSOURCED = "[unsourced]"


def cite_anchor(number: int) -> str:
    return f"c{number}"


def source_anchor(source_id: str) -> str:
    return f"s{source_id}"


def anchor(name: str) -> str:
    """A link target. It holds a zero-width space: Qt draws an anchor's text apart from what follows, which would
    split the words after it for a reader's copy and search ("S" / "1 — News report")."""
    return f'<a name="{name}">\u200b</a>'


def refs_html(refs: Iterable[int]) -> str:
    """Citation marks, each a link to its citation: " [3][4]"; a fact with none is tagged " [unsourced]"."""
    marks = "".join(f'<a href="#{cite_anchor(n)}">[{n}]</a>' for n in refs)
    if not marks:
        return f' <span class="unsourced">{UNSOURCED}</span>'
    return f' <span class="ref">{marks}</span>'


_WEB = re.compile(r"https?://[^\s<>\"]+$", re.I)


def link_html(url: str) -> str:
    """A web address as a clickable link (http and https only; anything else is printed as plain text)."""
    if not _WEB.match(url or ""):
        return esc(url)
    return f'<a class="url" href="{html.escape(url, quote=True)}">{esc(url)}</a>'


def quoted(text: str, kind: str) -> str:
    """A quotation in curly quotes, a paraphrase marked as such."""
    if kind == "quote":
        return f"\u201c{esc(text)}\u201d"
    return f'<i>{esc(text)}</i> <span class="kind">(PARAPHRASE)</span>'


def _row(label: str, body: str, fits: Fits, cls: str = "row") -> str:
    """One compact row: ``label`` in the left column, ``body`` wrapping in the right one."""
    gap = "\t" if fits(label) else "<br/>"
    return f'<p class="{cls}"><span class="date">{esc(label)}</span>{gap}{body}</p>'


def _chrono_body(e: ChronoEntry) -> str:
    kind = KIND_LABEL.get(e.kind, e.kind.upper())
    label = f'<span class="kind">{kind}</span> ' if kind else ""
    if e.kind == "statement":
        body = f"{esc(e.detail)}: {quoted(e.text, 'quote' if e.quote else 'paraphrase')}"
        detail = ""
    else:
        body = esc(e.text)
        detail = f' <span class="dim">\u2014 {esc(e.detail)}</span>' if e.detail else ""
    return f"{label}{body}{refs_html(e.refs)}{detail}"


def chronology_html(report: Report, fits: Fits = _fits_by_length) -> list[str]:
    out = ["<h2>Chronology</h2>"]
    out.append(
        '<p class="intro">Every dated event, leg departure and arrival, and statement, in order of the first day '
        "each may have happened. Dates claim no more precision than the sources give. The numbers are those "
        "the marks of Figure 1 carry.</p>"
    )
    if not report.chronology:
        out.append('<p class="note">Nothing dated in this report.</p>')
    # numbered: Figure 1 marks carry these numbers where their labels find no room
    out.extend(
        _row(e.date, f'<span class="num">{n}.</span> {_chrono_body(e)}', fits)
        for n, e in enumerate(report.chronology, start=1)
    )
    if report.undated:
        out.append("<h3>Undated</h3>")
        out.extend(f'<p class="entry">{_chrono_body(e)}</p>' for e in report.undated)
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
    for leg in s.legs:
        when = " \u2192 ".join(x for x in (leg.depart, leg.arrive) if x)
        bits = [
            f"{esc(leg.origin)} \u2192 {esc(leg.destination)}",
            f'<span class="dim">by</span> {esc(leg.mode)}' if leg.mode else "",
            f'<span class="dim">carrier</span> {esc(leg.carrier)}' if leg.carrier else "",
            esc(when),
        ]
        body = " &nbsp;\u00b7&nbsp; ".join(b for b in bits if b) + refs_html(leg.refs)
        if leg.notes:
            body += f' <span class="dim">\u2014 {esc(leg.notes)}</span>'
        out.append(_row(f"Leg {leg.seq}", body, _fits_by_length))
    if not s.legs:
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


def relationships_html(report: Report) -> list[str]:
    out = ["<h2>Relationships</h2>"]
    if not report.relationships:
        out.append('<p class="note">No relationships in this report.</p>')
    for r in report.relationships:
        line = f"<b>{esc(r.source)}</b> {esc(r.kind)} <b>{esc(r.target)}</b>{refs_html(r.refs)}"
        bits = [b for b in (esc(r.role), esc(r.span)) if b]
        if bits:
            line += " &nbsp;·&nbsp; " + " &nbsp;·&nbsp; ".join(bits)
        if r.notes:
            line += f'<br/><span class="dim">{esc(r.notes)}</span>'
        out.append(f'<p class="entry">{line}</p>')
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
    """Every statement, grouped by speaker (speakers in name order, each one's statements in date order)."""
    out = ["<h2>Statements</h2>"]
    if not report.statements:
        out.append('<p class="note">No statements in this report.</p>')
        return out
    out.append(
        '<p class="intro">By speaker, each in date order (the chronology has them all in date order), with the '
        "date said, citation and source.</p>"
    )
    by_speaker: dict[str, list[StatementEntry]] = {}
    for s in report.statements:
        by_speaker.setdefault(s.speaker or "Unattributed", []).append(s)
    for speaker in sorted(by_speaker, key=str.casefold):
        out.append(f"<h3>{esc(speaker)}</h3>")
        for s in by_speaker[speaker]:
            src = (
                f" &nbsp;\u00b7&nbsp; source: {esc(s.source)}"
                if s.source
                else " &nbsp;\u00b7&nbsp; no source"
            )
            out.append(
                f'<p class="quote">{quoted(s.text, s.kind)}{refs_html(s.refs)} '
                f'<span class="by">\u2014 {esc(s.speaker)}, {esc(s.date)}{src}</span></p>'
            )
    return out


def _source_html(s: SourceEntry) -> str:
    head = f"{esc(s.label)} \u2014 {esc(s.title)}" if s.label else esc(s.title)
    facts = [
        ("Kind", esc(s.kind)),
        ("Outlet", esc(s.outlet) or "not recorded"),
        ("Author", esc(s.author)),
        ("Published", esc(s.published)),
        ("Known through", esc(s.via)),
    ]
    where = [
        ("Address", link_html(s.url)),
        ("Accessed", esc(s.accessed)),
        ("Archived copy", link_html(s.archive_url)),
        ("Original kept in the case file", esc(s.original)),
    ]
    lines = [
        f'<p class="entry">{anchor(source_anchor(s.id))}<b>{head}</b><br/>'
        f'<span class="dim">Reliability:</span> <span class="grade">{esc(s.reliability)}</span> '
        f"({esc(s.reliability_text.split(' ', 1)[1].strip('()'))})"
        + "".join(f' &nbsp;·&nbsp; <span class="dim">{k}:</span> {v}' for k, v in facts if v)
        + f' &nbsp;·&nbsp; <span class="dim">cited</span> {s.cited}\u00d7'
    ]
    lines += [f'<br/><span class="dim">{k}:</span> {v}' for k, v in where if v]
    if s.notes:
        lines.append(f'<br/><span class="dim">{esc(s.notes)}</span>')
    lines.append("</p>")
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
            cred = CREDIBILITY.get(c.credibility, "") if c.credibility is not None else "not graded"
            target = f'<a href="#{source_anchor(c.source_id)}">{name}</a>' if src else name
            out.append(
                f'<p class="cite">{anchor(cite_anchor(c.number))}[{c.number}] <b>{target}</b> '
                f'<span class="grade">{grade}</span> '
                f'<span class="dim">{esc(cred)}</span> \u2014 {esc(c.subject)}{loc}</p>'
            )
    return out


def health_html(report: Report) -> list[str]:
    """The appendix: what a reader could not check, for the whole case the report came from."""
    found = report.health
    out = ["<h2>Appendix: case health</h2>"]
    if found is None:
        out.append('<p class="note">Case health was not checked for this report.</p>')
        return out
    listing = (
        f"at most {HEALTH_LISTED} items are listed per check, and the command lists them all"
        if report.scope.whole
        else "this report covers part of the case, so only the counts are given"
    )
    out.append(
        f'<p class="intro">For the whole case file: {esc(found.score_line())}. The checks are those of '
        f"<i>caseboard health</i>; {listing}.</p>"
    )
    for check in found.checks:
        out.append(f"<h3>{esc(check.title)}: {check.count:,}</h3>")
        for f in check.findings:
            out.append(
                f'<p class="entry">{esc(NOUN.get(f.table, f.table))}: <b>{esc(f.label)}</b> '
                f'<span class="dim">\u2014 {esc(f.detail)}</span></p>'
            )
        if check.truncated:
            out.append(f'<p class="note">\u2026 and {check.count - len(check.findings):,} more.</p>')
    return out


def sourcing_text(report: Report) -> str:
    """The title page's count of what can be checked."""
    if report.facts == 0:
        return "no facts in this report"
    if report.unsourced == 0:
        return f"all {report.facts:,} facts in this report cite a source"
    return (
        f"{report.facts - report.unsourced:,} of {report.facts:,} facts in this report cite a source; "
        f"{report.unsourced:,} are tagged {UNSOURCED}"
    )


def body_html(report: Report, fits: Fits = _fits_by_length) -> str:
    """Everything after the title page and the figures, as one rich-text document."""
    parts: list[str] = []
    parts += chronology_html(report, fits)
    parts += shipments_html(report)
    parts += actors_html(report)
    parts += relationships_html(report)
    parts += places_html(report)
    parts += statements_html(report)
    parts += sources_html(report)
    parts += health_html(report)
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def title_html(report: Report, *, generator: str) -> str:
    """The title page: title, summary, scope, date span, provenance and counts."""
    made = report.made_at.strftime("%-d %b %Y, %H:%M %Z").strip()
    counts = report.counts
    rows = [
        ("Covers", report.scope.description or "The whole case"),
        ("Dates", report.span),
        ("Sourcing", sourcing_text(report)),
        *(("Figures", sentence) for sentence in report.omitted_figures),
        ("Made", made),
        ("From the case file", report.case_path),
        ("Made with", generator),
    ]
    table = "".join(
        f'<tr><td width="28%"><span class="dim">{k}</span></td><td>'
        + (f'<span class="unsourced">{esc(v)}</span>' if k == "Sourcing" and report.unsourced else esc(v))
        + "</td></tr>"
        for k, v in rows
    )
    count_words = [
        (counts.get("actors", 0), "actor", "actors"),
        (counts.get("places", 0), "place", "places"),
        (counts.get("shipments", 0), "shipment", "shipments"),
        (counts.get("legs", 0), "leg", "legs"),
        (counts.get("events", 0), "event", "events"),
        (counts.get("statements", 0), "statement", "statements"),
        (counts.get("relationships", 0), "relationship", "relationships"),
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
