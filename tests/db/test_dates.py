"""Tests for caseboard.db.dates: reading, storing and showing partial dates.

Dates in a case file are evidence, so these tests pin down three promises: every
accepted form means exactly one span of days, the stored EDTF text reads back to
the identical value, and anything doubtful is refused with a message that quotes
what the analyst typed.
"""

import datetime

import pytest

from caseboard.db.dates import (
    DateParseError,
    PartialDate,
    day_number,
    from_day_number,
    optional_date,
    parse_date,
)

D = datetime.date

# (typed text, canonical EDTF, display text)
ACCEPTED = [
    # ISO and EDTF
    ("2023-09-07", "2023-09-07", "7 Sept 2023"),
    ("2023-09", "2023-09", "Sept 2023"),
    ("2023", "2023", "2023"),
    ("2023-9-7", "2023-09-07", "7 Sept 2023"),
    ("2023/09/07", "2023-09-07", "7 Sept 2023"),
    ("2023-09-07/2023-09-08", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("2023-09/2023-10", "2023-09/2023-10", "Sept\u2013Oct 2023"),
    ("2023-09-29~", "2023-09-29~", "about 29 Sept 2023"),
    ("2023-09~", "2023-09~", "about Sept 2023"),
    ("2023-09-29?", "2023-09-29~", "about 29 Sept 2023"),
    ("2023-09-07~/2023-09-08~", "2023-09-07~/2023-09-08~", "about 7\u20138 Sept 2023"),
    # day month year
    ("7 Sept 2023", "2023-09-07", "7 Sept 2023"),
    ("7 September 2023", "2023-09-07", "7 Sept 2023"),
    ("7th Sept. 2023", "2023-09-07", "7 Sept 2023"),
    ("07 Sep 2023", "2023-09-07", "7 Sept 2023"),
    ("the 7th of September 2023", "2023-09-07", "7 Sept 2023"),
    ("Thursday 7 Sept 2023", "2023-09-07", "7 Sept 2023"),
    # month day, year
    ("Sept. 7, 2023", "2023-09-07", "7 Sept 2023"),
    ("September 7 2023", "2023-09-07", "7 Sept 2023"),
    ("Sep 7th, 2023", "2023-09-07", "7 Sept 2023"),
    ("2023 Sept 7", "2023-09-07", "7 Sept 2023"),
    # ranges
    ("Sept. 7\u20138, 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("Sept. 7-8, 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("Sept. 7 and 8, 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("7\u20138 Sept 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("7 to 8 September 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("Sept. 30 \u2013 Oct. 1, 2023", "2023-09-30/2023-10-01", "30 Sept \u2013 1 Oct 2023"),
    ("30 Sept \u2013 1 Oct 2023", "2023-09-30/2023-10-01", "30 Sept \u2013 1 Oct 2023"),
    ("Sept\u2013Oct 2023", "2023-09/2023-10", "Sept\u2013Oct 2023"),
    ("September to October 2023", "2023-09/2023-10", "Sept\u2013Oct 2023"),
    ("2023-09-07 to 2023-09-08", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("2023-09-07..2023-09-08", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("between 7 and 8 Sept 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("between 7 and 10 Sept 2023", "2023-09-07/2023-09-10", "7\u201310 Sept 2023"),
    ("from 7 to 8 Sept 2023", "2023-09-07/2023-09-08", "7\u20138 Sept 2023"),
    ("2022\u20132023", "2022/2023", "2022\u20132023"),
    ("2022-2023", "2022/2023", "2022\u20132023"),
    ("2022 to 2023", "2022/2023", "2022\u20132023"),
    ("Dec 2022 \u2013 Jan 2023", "2022-12/2023-01", "Dec 2022 \u2013 Jan 2023"),
    ("31 Dec 2022 \u2013 1 Jan 2023", "2022-12-31/2023-01-01", "31 Dec 2022 \u2013 1 Jan 2023"),
    ("30 Dec \u2013 2 Jan 2024", "2023-12-30/2024-01-02", "30 Dec 2023 \u2013 2 Jan 2024"),
    ("Nov\u2013Jan 2024", "2023-11/2024-01", "Nov 2023 \u2013 Jan 2024"),
    # month year
    ("Sept 2023", "2023-09", "Sept 2023"),
    ("September 2023", "2023-09", "Sept 2023"),
    ("Sept. 2023", "2023-09", "Sept 2023"),
    ("09/2023", "2023-09", "Sept 2023"),
    ("2023 September", "2023-09", "Sept 2023"),
    ("June 2023", "2023-06", "June 2023"),
    ("jul 2023", "2023-07", "July 2023"),
    # approximate
    ("c. 2023-09-29", "2023-09-29~", "about 29 Sept 2023"),
    ("ca. 2023-09-29", "2023-09-29~", "about 29 Sept 2023"),
    ("circa 2023", "2023~", "about 2023"),
    ("about 29 Sept 2023", "2023-09-29~", "about 29 Sept 2023"),
    ("around Sept 2023", "2023-09~", "about Sept 2023"),
    ("approximately 2023-09-29", "2023-09-29~", "about 29 Sept 2023"),
    ("~2023-09-29", "2023-09-29~", "about 29 Sept 2023"),
    ("about 7\u20138 Sept 2023", "2023-09-07~/2023-09-08~", "about 7\u20138 Sept 2023"),
    ("early September 2023", "2023-09-01~/2023-09-10~", "about 1\u201310 Sept 2023"),
    ("mid-Sept 2023", "2023-09-11~/2023-09-20~", "about 11\u201320 Sept 2023"),
    ("late Feb 2024", "2024-02-21~/2024-02-29~", "about 21\u201329 Feb 2024"),
    # case, whitespace and surrounding punctuation
    ("  SEPT. 7, 2023  ", "2023-09-07", "7 Sept 2023"),
    ("(7 Sept 2023).", "2023-09-07", "7 Sept 2023"),
    ("\u201cSept 2023\u201d", "2023-09", "Sept 2023"),
]


@pytest.mark.parametrize(("text", "edtf", "shown"), ACCEPTED)
def test_parse_accepted_forms(text, edtf, shown):
    """Each accepted spelling means one definite span, stored and shown canonically."""
    value = parse_date(text)
    assert value.edtf() == edtf
    assert value.display() == shown
    assert str(value) == shown


@pytest.mark.parametrize(("text", "edtf", "shown"), ACCEPTED)
def test_round_trips(text, edtf, shown):
    """Stored text reads back identically, and so does what the user is shown."""
    value = parse_date(text)
    assert PartialDate.from_edtf(value.edtf()) == value
    assert parse_date(value.edtf()) == value
    assert parse_date(value.display()) == value


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31), "year"),
        ("Feb 2024", D(2024, 2, 1), D(2024, 2, 29), "month"),
        ("Feb 2023", D(2023, 2, 1), D(2023, 2, 28), "month"),
        ("7 Sept 2023", D(2023, 9, 7), D(2023, 9, 7), "day"),
        ("Sept\u2013Oct 2023", D(2023, 9, 1), D(2023, 10, 31), "month"),
        ("2022\u20132023", D(2022, 1, 1), D(2023, 12, 31), "year"),
        ("late Sept 2023", D(2023, 9, 21), D(2023, 9, 30), "day"),
    ],
)
def test_span_covers_whole_units(text, start, end, precision):
    """A month or year covers every day in it, so overlap queries stay honest."""
    value = parse_date(text)
    assert (value.start, value.end, value.precision) == (start, end, precision)


@pytest.mark.parametrize(
    ("text", "is_range"),
    [
        ("2023", False),
        ("Sept 2023", False),
        ("7 Sept 2023", False),
        ("about 7 Sept 2023", False),
        ("7\u20138 Sept 2023", True),
        ("Sept\u2013Oct 2023", True),
        ("2022\u20132023", True),
        ("early Sept 2023", True),
        ("7\u20137 Sept 2023", False),
    ],
)
def test_is_range(text, is_range):
    """A single month is not a range even though it spans many days."""
    assert parse_date(text).is_range is is_range


@pytest.mark.parametrize(
    ("text", "approximate"),
    [
        ("2023-09-29", False),
        ("7\u20138 Sept 2023", False),
        ("c. 2023-09-29", True),
        ("circa 2023", True),
        ("CA. 2023", True),
        ("around Sept 2023", True),
        ("2023?", True),
        ("~2023", True),
        ("2023-09-07~/2023-09-08", True),
        ("mid September 2023", True),
    ],
)
def test_approximate_flag(text, approximate):
    """Every hedge word or mark sets the flag; a plain date never does."""
    assert parse_date(text).approximate is approximate


@pytest.mark.parametrize(
    ("d", "n"),
    [
        (D(1970, 1, 1), 0),
        (D(1970, 1, 2), 1),
        (D(1969, 12, 31), -1),
        (D(2023, 10, 13), 19643),
        (D(1000, 1, 1), -354285),
    ],
)
def test_day_numbers(d, n):
    """The integer stored for sorting is days since 1970-01-01, in both directions."""
    assert day_number(d) == n
    assert from_day_number(n) == d


def test_start_and_end_day():
    """start_day/end_day are the day numbers of the first and last day covered."""
    value = parse_date("Sept\u2013Oct 2023")
    assert value.start_day() == day_number(D(2023, 9, 1))
    assert value.end_day() == day_number(D(2023, 10, 31))
    assert parse_date("2023-10-13").start_day() == parse_date("2023-10-13").end_day() == 19643


@pytest.mark.parametrize(
    ("day", "inside"),
    [(D(2023, 8, 31), False), (D(2023, 9, 1), True), (D(2023, 10, 31), True), (D(2023, 11, 1), False)],
)
def test_contains_is_inclusive(day, inside):
    """Both the first and last day belong to the span."""
    assert parse_date("Sept\u2013Oct 2023").contains(day) is inside


REFERENCE = D(2023, 10, 13)


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("7 Sept", "2023-09-07"),
        ("Sept. 7 and 8", "2023-09-07/2023-09-08"),
        ("Sept", "2023-09"),
        ("Oct 20", "2023-10-20"),  # within the week after the reference
        ("Oct 21", "2022-10-21"),  # beyond it: last year's
        ("25 Dec", "2022-12-25"),
        ("29 Feb", "2020-02-29"),  # the most recent year that has one
        ("30 Dec \u2013 2 Jan", "2022-12-30/2023-01-02"),
        ("7 Sept 2021", "2021-09-07"),  # an explicit year always wins
    ],
)
def test_reference_year(text, edtf):
    """Year-less dates take the latest year that does not put them after the source."""
    assert parse_date(text, reference=REFERENCE).edtf() == edtf


def test_reference_near_new_year():
    """A note written on 29 Dec about "2 Jan" means the coming January."""
    assert parse_date("2 Jan", reference=D(2023, 12, 29)).edtf() == "2024-01-02"


def test_missing_year_without_reference_says_a_year_is_needed():
    with pytest.raises(DateParseError, match="year is needed"):
        parse_date("Sept. 7 and 8")


BAD = [
    ("", "no date"),
    ("   ", "no date"),
    ("next tuesday-ish", "not a month"),
    ("hello", "not a month"),
    ("about", "no date"),
    ("Sept 31 2023", "September has 30 days"),
    ("Feb 30 2023", "February 2023 has 28 days"),
    ("29 Feb 2023", "February 2023 has 28 days"),
    ("Sept 0 2023", "no day 0"),
    ("2023-13", "no month 13"),
    ("2023-13-01", "no month 13"),
    ("8\u20137 Sept 2023", "ends before it starts"),
    ("2023\u20132022", "ends before it starts"),
    ("7 Sept", "year is needed"),
    ("999", "four digits"),
    ("12345", "four digits"),
    ("0999", "outside 1000\u20132999"),
    ("3000", "outside 1000\u20132999"),
    ("07/09/2023", "day-first or month-first"),
    ("9.7.2023", "day-first or month-first"),
    ("Sept 7 and 9, 2023", "next to each other"),
    ("Monday 7 Sept 2023", "was a Thursday"),
    ("Monday Sept 2023", "single day"),
    ("2023-09 \u2013 7 Oct 2023", "one end is a month"),
    ("7 2023", "needs a month"),
    ("2023 7 Sept", "recognised order"),
    ("Sept Oct 2023", "recognised order"),
    ("between 2023", "two ends"),
    ("2023 between 2024", "must come before"),
    ("1\u20132\u20133 Sept 2023", "more than one range mark"),
    ("7 about Sept 2023", "not inside it"),
    ("-2023", "start and an end"),
    ("2023..", "start and an end"),
    ("2023-09-07T10:00", "not a month"),
    ("mid-2023", "followed by a month"),
    ("7 Sept 2023 @ noon", "not part of any date form"),
]


@pytest.mark.parametrize(("text", "reason"), BAD)
def test_bad_input_is_refused_with_its_text_quoted(text, reason):
    """Errors quote the input and say what was wrong, so the analyst can fix it."""
    with pytest.raises(DateParseError) as caught:
        parse_date(text)
    message = str(caught.value)
    assert f'"{text}"' in message
    assert reason in message


def test_date_parse_error_is_a_value_error():
    """Generic input validation (except ValueError) must also catch it."""
    with pytest.raises(ValueError):
        parse_date("not a date")


def test_unreadable_text_lists_the_accepted_forms():
    message = str(pytest.raises(DateParseError, parse_date, "next tuesday-ish").value)
    assert "try 2023-09-07, 7 Sept 2023, Sept 2023, 2023" in message


def test_dateutil_trap_is_not_fallen_into():
    """dateutil reads "Sept. 7 and 8" as the year 8; here the days form a range."""
    value = parse_date("Sept. 7 and 8", reference=REFERENCE)
    assert (value.start, value.end) == (D(2023, 9, 7), D(2023, 9, 8))


@pytest.mark.parametrize(
    "text",
    [
        "2023-9-7",
        "2023-09-7",
        "Sept 2023",
        "2023-09-31",
        "2023-09/2023-10-05",
        "2023-09-08/2023-09-07",
        "2023/",
        "2023/2024/2025",
        "23",
        "",
    ],
)
def test_from_edtf_is_strict(text):
    """Stored text must be canonical; anything else is damage, not input to be guessed at."""
    with pytest.raises(DateParseError) as caught:
        PartialDate.from_edtf(text)
    assert f'"{text}"' in str(caught.value)


def test_from_edtf_reads_other_qualifiers_as_approximate():
    assert PartialDate.from_edtf("2023-09?") == PartialDate.of(2023, 9, approximate=True)
    assert PartialDate.from_edtf("2023%").approximate


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, None), ("", None), ("   \t", None), ("Sept 2023", PartialDate.of(2023, 9))],
)
def test_optional_date(text, expected):
    """A blank optional field means no date rather than an error."""
    assert optional_date(text) == expected


def test_optional_date_still_rejects_rubbish():
    with pytest.raises(DateParseError):
        optional_date("soon")


def test_of_builds_whole_units():
    assert PartialDate.of(2023) == PartialDate(D(2023, 1, 1), D(2023, 12, 31), "year")
    assert PartialDate.of(2023, 9, 7).edtf() == "2023-09-07"


@pytest.mark.parametrize(
    "args",
    [
        (D(2023, 9, 8), D(2023, 9, 7), "day"),  # ends before it starts
        (D(2023, 9, 2), D(2023, 9, 30), "month"),  # month not starting on the 1st
        (D(2023, 9, 1), D(2023, 9, 29), "month"),  # month not ending at month end
        (D(2023, 2, 1), D(2023, 12, 31), "year"),  # year not starting on 1 Jan
        (D(2023, 9, 7), D(2023, 9, 7), "week"),  # unknown precision
        (D(999, 12, 31), D(999, 12, 31), "day"),  # outside the supported years
    ],
)
def test_constructor_rejects_incoherent_values(args):
    """edtf() and display() rely on endpoints that line up with the precision."""
    with pytest.raises(ValueError):
        PartialDate(*args)


def test_constructor_rejects_datetimes():
    """A datetime would carry a time of day the model has no place for."""
    with pytest.raises(TypeError):
        PartialDate(datetime.datetime(2023, 9, 7), datetime.datetime(2023, 9, 7), "day")


def test_values_are_hashable_and_compare_by_value():
    assert len({parse_date("7 Sept 2023"), parse_date("2023-09-07")}) == 1
    assert parse_date("2023-09-07") != parse_date("c. 2023-09-07")
