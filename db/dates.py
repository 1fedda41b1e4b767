"""Partial and uncertain dates, as analysts actually record them.

Sources rarely give a clean timestamp.  A witness says "about September 2023", a
receipt covers "Sept. 7 and 8", a report says "c. 2023-09-29".  Turning those into
a single ``datetime`` invents precision the evidence does not have, and that false
precision then leaks into timelines and exported reports.  A :class:`PartialDate`
therefore keeps

* the span of days the statement covers (``start`` .. ``end``, inclusive),
* the precision the source actually gave (year, month or day), and
* whether the source hedged it ("about", "c.", "~").

Case files store the canonical EDTF (ISO 8601-2) text from :meth:`PartialDate.edtf`
together with two integer day numbers (:func:`day_number`), so SQLite can sort and
filter by date without parsing text.

:func:`parse_date` reads the forms people type into a date box.  It is a small
tokenizer plus a handful of token patterns rather than ``dateutil``: general-purpose
parsers guess, and a guess such as reading "Sept. 7 and 8" as 7 September of the
year 8 is worse than a clear error.  Anything not understood raises
:class:`DateParseError` with a message meant to be shown to the analyst as-is.

This module must not import Qt: the database layer, importers and command-line
tools all use it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple

__all__ = [
    "DateParseError",
    "PartialDate",
    "Precision",
    "day_number",
    "from_day_number",
    "optional_date",
    "parse_date",
]

Precision = Literal["year", "month", "day"]

MIN_YEAR = 1000
MAX_YEAR = 2999

#: How far past the reference date a year-less date may fall and still be read as
#: the reference year (notes often mention an appointment a few days ahead).
REFERENCE_GRACE = datetime.timedelta(days=7)

FORMS_HINT = "try 2023-09-07, 7 Sept 2023, Sept 2023, 2023, Sept. 7\u20138, 2023 or c. 2023-09-29"

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# House style for display: short, but never ambiguous ("June" rather than "Jun").
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_EPOCH = datetime.date(1970, 1, 1)
_DASH = "\u2013"  # en dash, used between the ends of a range
_PRECISIONS = ("year", "month", "day")


class DateParseError(ValueError):
    """Text could not be read as a date.

    A ``ValueError`` so code validating any kind of input can catch it generically.
    The message quotes the input and says what was wrong, so it can go straight
    into a status bar or form error.
    """


def _error(text: str, reason: str, *, hint: bool = False) -> DateParseError:
    """Build the analyst-facing error: what was typed, what was wrong, what would work."""
    shown = text if len(text) <= 80 else text[:77] + "..."
    message = f'cannot read "{shown}" as a date: {reason}'
    if hint:
        message += f"; {FORMS_HINT}"
    return DateParseError(message)


def day_number(d: datetime.date) -> int:
    """Days since 1970-01-01; the sortable integer stored next to the EDTF text."""
    return (d - _EPOCH).days


def from_day_number(n: int) -> datetime.date:
    """Inverse of :func:`day_number`."""
    return _EPOCH + datetime.timedelta(days=n)


#: The day numbers a date can have (1 Jan 1 to 31 Dec 9999); a stored number outside is an unreadable value.
DAY_MIN = (datetime.date.min - _EPOCH).days
DAY_MAX = (datetime.date.max - _EPOCH).days


def valid_day_sql(column: str) -> str:
    """SQL for ``column`` when it holds a day number a date can have, else NULL: a file from elsewhere may hold
    text, a blob or a number out of range there, which must read as "no date", not stop a query's caller."""
    return f"(CASE WHEN typeof({column}) = 'integer' AND {column} BETWEEN {DAY_MIN} AND {DAY_MAX} THEN {column} END)"


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def _make_date(text: str, year: int, month: int, day: int) -> datetime.date:
    """A calendar date, or an error naming exactly which part is impossible."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _error(text, f"year {year} is outside {MIN_YEAR}\u2013{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise _error(text, f"there is no month {month}")
    last = _days_in_month(year, month)
    if day == 0:
        raise _error(text, "there is no day 0")
    if day > last:
        if month == 2:
            raise _error(text, f"February {year} has {last} days")
        raise _error(text, f"{MONTH_NAMES[month - 1]} has {last} days")
    return datetime.date(year, month, day)


def _unit_span(
    text: str, year: int, month: int | None, day: int | None
) -> tuple[datetime.date, datetime.date, Precision]:
    """First day, last day and precision of one year, one month or one day."""
    if month is None:
        return _make_date(text, year, 1, 1), _make_date(text, year, 12, 31), "year"
    if day is None:
        first = _make_date(text, year, month, 1)
        return first, first.replace(day=_days_in_month(year, month)), "month"
    d = _make_date(text, year, month, day)
    return d, d, "day"


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known only to a year, month or day, possibly a span, possibly approximate.

    ``start`` and ``end`` are the first and last day covered (inclusive), so a month
    covers its 1st to its last day and a year covers 1 Jan to 31 Dec.  Ordering is
    deliberately not defined: "Sept 2023" and "7 Sept 2023" overlap rather than one
    coming first.  Sort on ``(start_day(), end_day())`` instead.
    """

    start: datetime.date
    end: datetime.date
    precision: Precision
    approximate: bool = False

    def __post_init__(self) -> None:
        # Validate here so that a PartialDate read from anywhere is always coherent:
        # edtf() and display() rely on the endpoints lining up with the precision.
        for value in (self.start, self.end):
            if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
                raise TypeError(f"PartialDate endpoints must be datetime.date, not {type(value).__name__}")
            if not MIN_YEAR <= value.year <= MAX_YEAR:
                raise ValueError(f"PartialDate years must be {MIN_YEAR}\u2013{MAX_YEAR}, got {value.year}")
        if self.precision not in _PRECISIONS:
            raise ValueError(f"precision must be one of {_PRECISIONS}, got {self.precision!r}")
        if self.end < self.start:
            raise ValueError(f"PartialDate ends ({self.end}) before it starts ({self.start})")
        if self.precision == "month" and (
            self.start.day != 1 or self.end.day != _days_in_month(self.end.year, self.end.month)
        ):
            raise ValueError("a month-precision PartialDate must run from a 1st to a month end")
        if self.precision == "year" and (
            (self.start.month, self.start.day) != (1, 1) or (self.end.month, self.end.day) != (12, 31)
        ):
            raise ValueError("a year-precision PartialDate must run from 1 Jan to 31 Dec")

    @classmethod
    def of(
        cls, year: int, month: int | None = None, day: int | None = None, *, approximate: bool = False
    ) -> PartialDate:
        """One year, month or day, e.g. ``PartialDate.of(2023, 9)`` for September 2023."""
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        text = "-".join(str(part) for part in (year, month, day) if part is not None)
        start, end, precision = _unit_span(text, year, month, day)
        return cls(start, end, precision, approximate)

    # -- stored form -----------------------------------------------------------------

    def edtf(self) -> str:
        """Canonical EDTF text, the form stored in case files.

        A single unit is written alone ("2023-09"); a span is "start/end" with both
        ends at the same precision.  Approximation is marked with "~" on every end,
        as EDTF qualifies each date separately.
        """
        mark = "~" if self.approximate else ""
        first = self._edtf_end(self.start) + mark
        if not self.is_range:
            return first
        return f"{first}/{self._edtf_end(self.end)}{mark}"

    def _edtf_end(self, d: datetime.date) -> str:
        if self.precision == "year":
            return f"{d.year:04d}"
        if self.precision == "month":
            return f"{d.year:04d}-{d.month:02d}"
        return d.isoformat()

    @classmethod
    def from_edtf(cls, text: str) -> PartialDate:
        """Read the stored EDTF text back; the exact inverse of :meth:`edtf`.

        Strict on purpose: stored text should always be canonical, so anything else
        indicates damage and must not be silently "corrected" by the lenient parser.
        ("?" and "%" qualifiers are read as approximate, since other EDTF tools write them.)
        """
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        pieces = text.strip().split("/")
        spans = []
        marked = False
        for piece in pieces:
            match = _EDTF_END.fullmatch(piece)
            if len(pieces) > 2 or match is None:
                raise _error(
                    text,
                    "it is not stored EDTF (expected e.g. 2023, 2023-09, 2023-09-07, "
                    "2023-09-07/2023-09-08 or 2023-09-29~)",
                )
            year, month, day, qualifier = match.groups()
            marked = marked or bool(qualifier)
            spans.append(_unit_span(text, int(year), _int_or_none(month), _int_or_none(day)))
        (start, _, precision), (last_start, end, last_precision) = spans[0], spans[-1]
        if precision != last_precision:
            raise _error(text, "both ends of a range must have the same precision")
        if last_start < start:
            raise _error(text, "the range ends before it starts")
        return cls(start, end, precision, marked)

    # -- human form ------------------------------------------------------------------

    def display(self) -> str:
        """Human text that claims no more precision than the source gave.

        Shared parts are written once ("7\u20138 Sept 2023", "Sept\u2013Oct 2023");
        spans whose ends differ in more than the smallest unit get spaces around the
        dash ("30 Sept \u2013 1 Oct 2023").  Approximate dates start with "about".
        """
        text = self._display_span()
        return f"about {text}" if self.approximate else text

    def _display_span(self) -> str:
        s, e = self.start, self.end
        if self.precision == "year":
            return str(s.year) if s.year == e.year else f"{s.year}{_DASH}{e.year}"
        s_month, e_month = MONTH_ABBREVIATIONS[s.month - 1], MONTH_ABBREVIATIONS[e.month - 1]
        if self.precision == "month":
            if not self.is_range:
                return f"{s_month} {s.year}"
            if s.year == e.year:
                return f"{s_month}{_DASH}{e_month} {e.year}"
            return f"{s_month} {s.year} {_DASH} {e_month} {e.year}"
        if s == e:
            return f"{s.day} {s_month} {s.year}"
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}{_DASH}{e.day} {e_month} {e.year}"
        if s.year == e.year:
            return f"{s.day} {s_month} {_DASH} {e.day} {e_month} {e.year}"
        return f"{s.day} {s_month} {s.year} {_DASH} {e.day} {e_month} {e.year}"

    def __str__(self) -> str:
        return self.display()

    # -- queries ---------------------------------------------------------------------

    @property
    def is_range(self) -> bool:
        """True for an explicit span of several days, months or years.

        "Sept 2023" covers thirty days but is one month, so it is not a range;
        "Sept\u2013Oct 2023" is.
        """
        s, e = self.start, self.end
        if self.precision == "year":
            return s.year != e.year
        if self.precision == "month":
            return (s.year, s.month) != (e.year, e.month)
        return s != e

    def start_day(self) -> int:
        """Day number of the first day covered (see :func:`day_number`)."""
        return day_number(self.start)

    def end_day(self) -> int:
        """Day number of the last day covered (see :func:`day_number`)."""
        return day_number(self.end)

    def contains(self, day: datetime.date) -> bool:
        """Whether ``day`` falls inside the span (inclusive at both ends)."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        return self.start <= day <= self.end


_EDTF_END = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)")


def _int_or_none(text: str | None) -> int | None:
    return None if text is None else int(text)


# ---------------------------------------------------------------------------------
# Tokenizer
#
# Input is lower-cased and cut into tokens of a few kinds; the parser below then only
# has to look at the sequence of kinds ("day month year", "month day year", ...).
# Days are always one or two digits and years always four, so the two never need to
# be told apart by position.


class _Token(NamedTuple):
    kind: str  # year, iso, month, day, weekday, part, approx, range, between
    value: Any
    text: str


def _word_table() -> dict[str, tuple[str, object]]:
    words: dict[str, tuple[str, object]] = {}
    for number, name in enumerate(MONTH_NAMES, start=1):
        words[name.lower()] = ("month", number)
        words[name[:3].lower()] = ("month", number)
    words["sept"] = ("month", 9)
    for number, name in enumerate(WEEKDAY_NAMES):
        words[name.lower()] = ("weekday", number)
        words[name[:3].lower()] = ("weekday", number)
    words.update(
        {"tues": ("weekday", 1), "weds": ("weekday", 2), "thur": ("weekday", 3), "thurs": ("weekday", 3)}
    )
    for word in ("c", "ca", "circa", "about", "around", "approximately", "approx", "roughly"):
        words[word] = ("approx", word)
    # Parts of a month: (first day, last day or None for the month's end).
    for word, days in (("early", (1, 10)), ("mid", (11, 20)), ("middle", (11, 20)), ("late", (21, None))):
        words[word] = ("part", days)
    for word in ("to", "through", "thru", "until", "till"):
        words[word] = ("range", "to")
    words["and"] = ("range", "and")
    words["between"] = ("between", "between")
    words["from"] = ("between", "from")
    for word in ("of", "the", "on", "in"):
        words[word] = ("noise", word)
    return words


_WORDS = _word_table()

# Leading/trailing characters ignored entirely (quotes, brackets, sentence punctuation).
_SURROUNDING = " \t\r\n\"'\u2018\u2019\u201c\u201d()[]{}<>,;:!"

_SPACE = re.compile(r"\s+")
# 07/09/2023 is 7 September in most of the world and 9 July in the US: refuse to guess.
_AMBIGUOUS = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)")
# 2023, 2023-09, 2023-9-7, 2023/09/07 (the same separator throughout).
_ISO = re.compile(r"(\d{4})(?:([/.\-])(\d{1,2})(?:\2(\d{1,2}))?)?(?!\d)")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/\-](\d{4})(?!\d)")
_NUMBER = re.compile(r"(\d+)(?:st|nd|rd|th)?")
_WORD = re.compile(r"([a-z]+)\.?")
_RANGE_MARK = re.compile(r"\.{2,3}|[\-\u2010-\u2015\u2212/&]")
_QUALIFIER = re.compile(r"[~?%]")
_IGNORED = re.compile(r"[,.]")


def _trim(text: str) -> str:
    """Drop surrounding quotes, brackets and sentence punctuation ("(7 Sept 2023).").

    A trailing ".." is kept: it would be an open-ended range, which must be refused
    rather than quietly read as a single date.
    """
    previous = None
    while text != previous:
        previous = text
        text = text.strip(_SURROUNDING)
        if text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
    return text


def _tokenize(text: str) -> list[_Token]:
    trimmed = _trim(text)
    source = trimmed.lower()
    # Quote the analyst's own spelling in errors where lower-casing kept positions.
    shown = trimmed if len(trimmed) == len(source) else source
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        if m := _SPACE.match(source, pos):
            pass
        elif m := _AMBIGUOUS.match(source, pos):
            raise _error(
                text,
                f'"{m.group()}" could be day-first or month-first; write it as 2023-09-07 or 7 Sept 2023',
            )
        elif m := _ISO.match(source, pos):
            year, _, month, day = m.groups()
            if month is None:
                tokens.append(_Token("year", int(year), m.group()))
            else:
                tokens.append(_Token("iso", (int(year), int(month), _int_or_none(day)), m.group()))
        elif m := _MONTH_YEAR.match(source, pos):
            tokens.append(_Token("iso", (int(m.group(2)), int(m.group(1)), None), m.group()))
        elif m := _NUMBER.match(source, pos):
            digits = m.group(1)
            if len(digits) > 2:
                raise _error(text, f'"{digits}" is not a day or a year (years have four digits)')
            tokens.append(_Token("day", int(digits), shown[m.start() : m.end()]))
        elif m := _WORD.match(source, pos):
            word = m.group(1)
            if word not in _WORDS:
                raise _error(
                    text, f'"{shown[m.start(1) : m.end(1)]}" is not a month or a date word', hint=True
                )
            kind, value = _WORDS[word]
            if kind != "noise":
                tokens.append(_Token(kind, value, shown[m.start() : m.end()]))
            end = m.end()
            if kind == "part" and source.startswith("-", end):
                end += 1  # "mid-September": the hyphen is not a range mark
            pos = end
            continue
        elif m := _RANGE_MARK.match(source, pos):
            tokens.append(_Token("range", "and" if m.group() == "&" else "to", m.group()))
        elif m := _QUALIFIER.match(source, pos):
            tokens.append(_Token("approx", m.group(), m.group()))
        elif m := _IGNORED.match(source, pos):
            pass
        else:
            raise _error(text, f'"{source[pos]}" is not part of any date form', hint=True)
        pos = m.end()
    return tokens


# ---------------------------------------------------------------------------------
# Parser


@dataclass(frozen=True)
class _Side:
    """One end of a range (or the whole date), with whatever fields it spelled out."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: tuple[int, int | None] | None = None
    weekday: int | None = None
    approximate: bool = False


# Accepted token sequences for one side.  "day year" only makes sense as the end of a
# range ("Sept. 7-8, 2023"); on its own it fails later for want of a month.
_SHAPES = {
    ("year",),
    ("iso",),
    ("day", "month", "year"),
    ("month", "day", "year"),
    ("year", "month", "day"),
    ("month", "year"),
    ("year", "month"),
    ("day", "month"),
    ("month", "day"),
    ("month",),
    ("day",),
    ("day", "year"),
    ("part", "month", "year"),
    ("part", "month"),
}


def parse_date(text: str, *, reference: datetime.date | None = None) -> PartialDate:
    """Read a date as an analyst would type it.

    Accepted (case-insensitive; surrounding quotes, brackets and punctuation ignored):

    * ISO and EDTF: 2023, 2023-09, 2023-09-07, 2023-9-7, 2023/09/07,
      2023-09-07/2023-09-08, 2023-09~, 2023-09-29? ("?" is read as approximate)
    * day month year or month day year, with full or short month names, ordinals and
      dots: 7 Sept 2023, 7th of September 2023, Sept. 7, 2023, Thursday 7 Sept 2023
      (a weekday is checked against the date)
    * month year: Sept 2023, 2023 September, 09/2023
    * ranges with "-", an en dash, "to", "..", "/" or "between ... and":
      7-8 Sept 2023, Sept. 7-8, 2023, 30 Sept - 1 Oct 2023, Sept-Oct 2023, 2022-2023.
      "and" without "between" must join neighbours ("Sept. 7 and 8, 2023"), since
      "7 and 9 Sept" names two days, not the span between them
    * hedges: c., ca., circa, about, around, approximately, ~; and early/mid/late
      plus a month, read as approximately days 1-10, 11-20 or 21-end

    Numeric day/month orders such as 07/09/2023 are refused as ambiguous.

    ``reference`` (usually the date of the source document) supplies the year for
    forms without one: the most recent such date no later than a week after the
    reference.  Without it a missing year is an error rather than a guess.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    tokens = _tokenize(text)
    if not tokens:
        raise _error(text, "there is no date in it", hint=True)

    # "between"/"from" may only open the text (possibly after "about").
    between = False
    lead = next((i for i, t in enumerate(tokens) if t.kind != "approx"), len(tokens))
    if lead < len(tokens) and tokens[lead].kind == "between":
        between = True
        tokens = tokens[:lead] + tokens[lead + 1 :]
    if any(t.kind == "between" for t in tokens):
        raise _error(text, '"between" and "from" must come before the date')

    marks = [i for i, t in enumerate(tokens) if t.kind == "range"]
    if len(marks) > 1:
        raise _error(text, "it has more than one range mark; a range has just a start and an end")
    if between and not marks:
        raise _error(text, 'a range with "between" or "from" needs two ends, e.g. between 7 and 8 Sept 2023')
    if marks:
        cut = marks[0]
        left, right = _read_side(text, tokens[:cut], True), _read_side(text, tokens[cut + 1 :], True)
        loose_and = tokens[cut].value == "and" and not between
    else:
        left, right, loose_and = _read_side(text, tokens, False), None, False

    if left.year is not None or (right is not None and right.year is not None):
        return _assemble(text, left, right, loose_and)
    if reference is None:
        raise _error(text, "it has no year; a year is needed, e.g. 7 Sept 2023")
    return _with_reference_year(text, left, right, loose_and, reference)


def _read_side(text: str, tokens: list[_Token], in_range: bool) -> _Side:
    """Turn the tokens of one end into fields, checking they form a known pattern."""
    approximate = False
    while tokens and tokens[0].kind == "approx":
        approximate, tokens = True, tokens[1:]
    while tokens and tokens[-1].kind == "approx":
        approximate, tokens = True, tokens[:-1]
    if not tokens:
        reason = "a range needs a start and an end" if in_range else "there is no date in it"
        raise _error(text, reason, hint=True)
    weekday = None
    if tokens[0].kind == "weekday":
        weekday, tokens = tokens[0].value, tokens[1:]
    for token in tokens:
        if token.kind == "approx":
            raise _error(text, f'"{token.text}" must come before or after a date, not inside it')
        if token.kind == "weekday":
            raise _error(text, f'the weekday "{token.text}" must come first')
    shape = tuple(t.kind for t in tokens)
    if shape[0] == "part" and shape[1:2] != ("month",):
        raise _error(text, f'"{tokens[0].text}" must be followed by a month, e.g. early Sept 2023')
    if shape not in _SHAPES:
        words = " ".join(t.text for t in tokens)
        raise _error(text, f'"{words}" is not in a recognised order', hint=True)
    fields = {t.kind: t.value for t in tokens}
    year, month, day = (
        fields["iso"] if "iso" in fields else (fields.get("year"), fields.get("month"), fields.get("day"))
    )
    return _Side(
        year=year,
        month=month,
        day=day,
        part=fields.get("part"),
        weekday=weekday,
        approximate=approximate or "part" in fields,
    )


def _with_reference_year(
    text: str, left: _Side, right: _Side | None, loose_and: bool, reference: datetime.date
) -> PartialDate:
    """Give a year-less date the most recent year that puts it at or before reference + grace."""
    limit = reference + REFERENCE_GRACE
    first_error: DateParseError | None = None
    # Ten years back always reaches a leap year, for "29 Feb".
    for year in range(limit.year, limit.year - 10, -1):
        try:
            result = _assemble(text, left, right, loose_and, default_year=year)
        except DateParseError as exc:
            first_error = first_error or exc
            continue
        if result.start <= limit:
            return result
    raise first_error or _error(text, f"no such date on or before {limit.isoformat()}")


def _assemble(
    text: str, left: _Side, right: _Side | None, loose_and: bool, *, default_year: int | None = None
) -> PartialDate:
    """Fill in shared fields, then build and check the PartialDate."""
    if right is None:
        if left.year is None:
            left = replace(left, year=default_year)
        start, end, precision = _side_span(text, left)
        return PartialDate(start, end, precision, left.approximate)

    left, right = _share_fields(left, right, default_year)
    l_start, l_end, l_precision = _side_span(text, left)
    r_start, r_end, r_precision = _side_span(text, right)
    if l_precision != r_precision:
        raise _error(
            text,
            f"one end is a {l_precision} and the other a {r_precision}; give both ends as days, months or years",
        )
    if r_start < l_start:
        raise _error(text, "the range ends before it starts")
    if loose_and and r_start != l_end + datetime.timedelta(days=1):
        # "7 and 9 Sept" names two separate days; a span 7-9 would claim the 8th too.
        raise _error(
            text,
            'with "and" the two ends must be next to each other; for a span write e.g. 7\u20139 Sept 2023',
        )
    return PartialDate(l_start, r_end, l_precision, left.approximate or right.approximate)


def _share_fields(left: _Side, right: _Side, default_year: int | None) -> tuple[_Side, _Side]:
    """Let the ends of a range borrow what was written once: "7-8 Sept 2023", "Sept. 7-8, 2023"."""
    # Compare only months that were written out; borrowed ones are equal by construction.
    wraps = left.month is not None and right.month is not None and left.month > right.month
    if left.month is None and (left.day is not None or left.part is not None):
        left = replace(left, month=right.month)
    if right.month is None and (right.day is not None or right.part is not None):
        right = replace(right, month=left.month)
    if left.year is None and right.year is None:
        right = replace(right, year=default_year)
    # A year written once belongs to both ends; "30 Dec - 2 Jan 2024" starts in 2023.
    if left.year is None and right.year is not None:
        left = replace(left, year=right.year - 1 if wraps else right.year)
    elif right.year is None and left.year is not None:
        right = replace(right, year=left.year + 1 if wraps else left.year)
    return left, right


def _side_span(text: str, side: _Side) -> tuple[datetime.date, datetime.date, Precision]:
    """First day, last day and precision covered by one fully filled-in end."""
    if side.year is None:
        raise _error(text, "it has no year; a year is needed, e.g. 7 Sept 2023")
    if (side.day is not None or side.part is not None) and side.month is None:
        raise _error(text, "a day needs a month, e.g. 7 Sept 2023")
    if side.part is not None:
        first, last = side.part
        month_end = _unit_span(text, side.year, side.month, None)[1]
        start = _make_date(text, side.year, side.month, first)
        span: tuple[datetime.date, datetime.date, Precision] = (
            start,
            month_end if last is None else start.replace(day=last),
            "day",
        )
    else:
        span = _unit_span(text, side.year, side.month, side.day)
    if side.weekday is not None:
        if span[2] != "day" or span[0] != span[1]:
            raise _error(text, "a weekday only makes sense with a single day")
        if span[0].weekday() != side.weekday:
            actual = WEEKDAY_NAMES[span[0].weekday()]
            raise _error(
                text,
                f"{PartialDate(*span).display()} was a {actual}, not a {WEEKDAY_NAMES[side.weekday]}",
            )
    return span


def optional_date(text: str | None) -> PartialDate | None:
    """For optional date fields: nothing typed means no date, anything else must parse."""
    if text is None or not text.strip():
        return None
    return parse_date(text)
