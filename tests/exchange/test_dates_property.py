"""Any partial date survives FtM out and in, and no exchange format claims more precision than it has."""

from __future__ import annotations

import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseboard.db import events
from caseboard.db.case import create_case
from caseboard.db.dates import PartialDate
from caseboard.db.exchange.common import DatedFact
from caseboard.db.exchange.ftm_export import export_ftm
from caseboard.db.exchange.ftm_import import apply_ftm, read_ftm
from caseboard.db.exchange.timelinejs import date_fields
from caseboard.db.exchange.timesketch import line


@st.composite
def partial_dates(draw) -> PartialDate:
    precision = draw(st.sampled_from(["year", "month", "day"]))
    start = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
    length = draw(st.integers(0, 800)) if draw(st.booleans()) else 0
    end = start + datetime.timedelta(days=length)
    approximate = draw(st.booleans())
    first = PartialDate.of(
        start.year,
        *([start.month] if precision != "year" else []),
        *([start.day] if precision == "day" else []),
    )
    last = PartialDate.of(
        end.year, *([end.month] if precision != "year" else []), *([end.day] if precision == "day" else [])
    )
    return PartialDate(first.start, last.end, precision, approximate)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dates=st.lists(partial_dates(), min_size=1, max_size=4))
def test_any_date_round_trips_through_ftm(tmp_path_factory, dates: list[PartialDate]) -> None:
    folder: Path = tmp_path_factory.mktemp("rt")
    case = create_case(folder / "a.case", title="A")
    for i, d in enumerate(dates):
        events.add_event(case, title=f"Event {i}", date=d.edtf())
    export_ftm(case, folder / "a.json")
    new = create_case(folder / "b.case", title="B")
    apply_ftm(new, read_ftm(folder / "a.json", new))
    sql = "SELECT title, date, date_start, date_end FROM events ORDER BY title"
    assert new.conn.execute(sql).fetchall() == case.conn.execute(sql).fetchall()
    case.close()
    new.close()


@given(d=partial_dates())
def test_timelines_never_claim_more_precision_than_the_date(d: PartialDate) -> None:
    start, end = date_fields(d.edtf())
    depth = ("year", "month", "day").index(d.precision) + 1
    assert all(v != "" for v in start[:depth]) and all(v == "" for v in start[depth:])
    assert (end == ["", "", ""]) == (not d.is_range)
    fact = DatedFact("events", "x", "Event", d.edtf(), "H", "T", "Events")
    sketch = line(fact)
    assert sketch["datetime"] == f"{d.start.isoformat()}T00:00:00+00:00"
    assert sketch["date_last_day"] == d.end.isoformat() and sketch["date_text"] == d.display()
    assert sketch["date_approximate"] == d.approximate and sketch["date_precision"] == d.precision
