"""A TimelineJS sheet: one row per dated fact, in the column order of the TimelineJS Google Sheets template.

Partial dates are written at the precision the source gave, never more: a month is Year and Month with Day
empty, a year is Year alone; a range fills End Year/Month/Day at the same precision; "about" dates keep their
fields and say "about" in Display Date, which always holds our honest date text ("7–8 Sept 2023", "about 29
Sept 2023"), so TimelineJS shows that instead of a date it made up. TimelineJS renders HTML, so case text is
escaped, with line breaks as ``<br>``. CSV (import it into the template sheet) or XLSX, by the output's suffix.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from caseboard.db.case import Case
from caseboard.db.exchange.common import DatedFact, cite_text, dated_facts, partial, read_rows
from caseboard.db.exchange.tables import write_sheets
from caseboard.db.related import Related

#: The TimelineJS template's columns, in its order.
COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)


def date_fields(edtf: str) -> tuple[list[Any], list[Any]]:
    """([Year, Month, Day], [End Year, End Month, End Day]) at the date's own precision; the end is empty for a
    single day, month or year."""
    d = partial(edtf)
    assert d is not None
    depth = ("year", "month", "day").index(d.precision) + 1

    def parts(day: Any) -> list[Any]:
        values = [day.year, day.month, day.day][:depth]
        return values + [""] * (3 - depth)

    return parts(d.start), (parts(d.end) if d.is_range else ["", "", ""])


def row(fact: DatedFact) -> list[Any]:
    start, end = date_fields(fact.edtf)
    d = partial(fact.edtf)
    assert d is not None
    evidence = cite_text(list(fact.cites))
    text = fact.text + (f"\nSources: {evidence}" if evidence else "")
    display = (
        d.display() if fact.what in ("Event", "Statement", "Shipment") else f"{fact.what}: {d.display()}"
    )
    # TimelineJS renders Display Date, Headline and Text as HTML: case text is escaped so it is shown, never run
    shown = [html.escape(x) for x in (display, fact.headline)] + [html.escape(text).replace("\n", "<br>")]
    return [*start, "", *end, "", *shown, "", "", "", "", "", fact.group, ""]


def export_timelinejs(case: Case, out: str | os.PathLike[str], kept: Related | None = None) -> int:
    """Write the sheet (CSV, or XLSX when ``out`` ends in .xlsx); returns the number of rows."""
    facts = dated_facts(read_rows(case, kept))
    write_sheets(Path(out), [("Timeline", COLUMNS, [row(f) for f in facts])])
    return len(facts)
