"""Timesketch JSON lines: one line per dated fact with ``message``, ``datetime`` and ``timestamp_desc``.

Timesketch needs one instant per line. The rule for partial dates: ``datetime`` is midnight UTC on the first day
the date covers ("Sept 2023" gives 2023-09-01T00:00:00+00:00), ``timestamp_desc`` says which fact it is
("Event", "Departure", "Statement", ...), and every line also carries ``date_text`` (our honest date, "about 29
Sept 2023"), ``date_edtf`` (the stored EDTF), ``date_precision`` (day, month or year), ``date_last_day`` and
``date_approximate``, so a sketch can filter out what is only known to the month.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from caseboard.db.atomic_write import atomic_output
from caseboard.db.case import Case
from caseboard.db.exchange.common import DatedFact, checkpoint, cite_text, dated_facts, partial, read_rows
from caseboard.db.related import Related


def line(fact: DatedFact) -> dict:
    d = partial(fact.edtf)
    assert d is not None
    return {
        "message": f"{fact.headline} ({d.display()})",
        "datetime": f"{d.start.isoformat()}T00:00:00+00:00",
        "timestamp_desc": fact.what,
        "date_text": d.display(),
        "date_edtf": fact.edtf,
        "date_precision": d.precision,
        "date_last_day": d.end.isoformat(),
        "date_approximate": d.approximate,
        "detail": fact.text,
        "group": fact.group,
        "sources": cite_text(list(fact.cites)),
        "caseboard_table": fact.table,
        "caseboard_id": fact.id,
    }


def export_timesketch(case: Case, out: str | os.PathLike[str], kept: Related | None = None) -> int:
    """Write the JSON lines; returns the number of lines."""
    facts = dated_facts(read_rows(case, kept))
    with atomic_output(Path(out), "w", newline="\n") as fh:
        for i, fact in enumerate(facts, start=1):
            fh.write(json.dumps(line(fact), ensure_ascii=False) + "\n")
            if i % 5000 == 0:
                checkpoint(i, len(facts), "Writing the timeline")
    return len(facts)
