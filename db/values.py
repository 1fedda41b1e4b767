"""Values read from a case file, checked where they are read.

The schema's types and CHECKs hold for files Caseboard wrote, but a file from elsewhere can pass SQLite's own
checks and still hold a BLOB where text belongs, text in a day-number column, or an EDTF range that ends before
it starts. Readers pass values through these functions so an odd cell shows as ``UNREADABLE`` (or as no value)
instead of crashing a panel, the PDF or the command line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

#: What a panel, the PDF or the command line shows for a value it cannot read.
UNREADABLE = "(unreadable value)"


def text(value: Any, default: str = "") -> str:
    """Text for display: None gives ``default``, numbers their digits, anything else ``UNREADABLE``."""
    if isinstance(value, str):
        return value
    if value is None:
        return default
    if isinstance(value, bool):
        return UNREADABLE
    if isinstance(value, int | float):
        return str(value)
    return UNREADABLE


def text_or_none(value: Any) -> str | None:
    return None if value is None else text(value)


def integer(value: Any) -> int | None:
    """An integer, or None for anything else (text, a blob, a float with a fraction)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def number(value: Any) -> float | None:
    """A finite number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and math.isfinite(float(value)):
        return float(value)
    return None


def string_list(value: Any) -> list[str]:
    """A JSON array of strings (aliases); anything else reads as an empty list."""
    if isinstance(value, list):
        items = value
    else:
        try:
            items = json.loads(value) if isinstance(value, str | bytes) and value else []
        except (ValueError, TypeError, RecursionError):
            return []
    if not isinstance(items, list):
        return []
    return [x if isinstance(x, str) else text(x) for x in items]


def day(value: Any) -> int | None:
    """A stored day number (days since 1970-01-01) a date can have, else None."""
    from caseboard.db.dates import DAY_MAX, DAY_MIN

    n = integer(value)
    return n if n is not None and DAY_MIN <= n <= DAY_MAX else None


@lru_cache(maxsize=8192)
def _edtf_days(value: str) -> tuple[int, int] | None:
    from caseboard.db.dates import PartialDate

    try:
        pd = PartialDate.from_edtf(value)
        return pd.start_day(), pd.end_day()
    except (ValueError, OverflowError, TypeError):
        return None


def edtf(value: Any) -> str | None:
    """EDTF date text that reads as a date (not inverted, not out of range), else None."""
    return value if isinstance(value, str) and value and _edtf_days(value) is not None else None


def dated(value: Any, lo: Any, hi: Any) -> tuple[str | None, int | None, int | None]:
    """A date with its day numbers, made consistent: an unreadable date has none; day numbers that are missing,
    odd or inverted are taken from the date itself."""
    text = edtf(value)
    if text is None:
        return None, None, None
    lo, hi = day(lo), day(hi)
    if lo is None or hi is None or lo > hi:
        lo, hi = _edtf_days(text)  # type: ignore[misc]
    return text, lo, hi


#: The most characters of one free-text value a summary shows (a 50 MB statement made the PDF run for minutes).
SHOWN_CHARS = 20_000


def bounded(value: Any) -> str:
    """Free text for a summary, cut at ``SHOWN_CHARS`` with a note of how much more the case file holds."""
    t = text(value)
    if len(t) <= SHOWN_CHARS:
        return t
    return f"{t[:SHOWN_CHARS].rstrip()} … [{len(t) - SHOWN_CHARS:,} more characters in the case file]"


#: Checks by letter for :func:`clean`.
_BY_LETTER = {
    "k": text_or_none,  # an id or optional text
    "t": text,  # text, None as ""
    "T": lambda v: text(v, UNREADABLE),  # text that must show something
    "e": edtf,
    "d": day,
    "n": number,
    "i": integer,
    "j": lambda v: json.dumps(string_list(v)),  # a JSON array of strings, as text
    "L": bounded,  # long free text, cut for a summary
    "-": lambda v: v,
}


def clean(rows: Iterable[Sequence[Any]], spec: str) -> list[tuple[Any, ...]]:
    """Rows with each value checked by the letter of ``spec`` at its position (see ``_BY_LETTER``)."""
    checks = [_BY_LETTER[c] for c in spec]
    return [
        tuple(f(v) for f, v in zip(checks, row, strict=False)) + tuple(row[len(checks) :]) for row in rows
    ]


# -- column converters --------------------------------------------------------------------------------------------
# Case connections read with the columns' declared types (``detect_types``): whatever a file from elsewhere stored
# in an INTEGER column comes back as an integer or None. SQLite hands a converter the value's bytes (an integer's
# digits, a blob's raw bytes).


def from_integer_column(data: bytes) -> int | None:
    try:
        return int(data)
    except ValueError:
        try:
            f = float(data)
        except ValueError:
            return None
        return int(f) if math.isfinite(f) and f.is_integer() else None
