"""The timeline's date axis: fine ticks and a context row under them that always says the month and year.

Dates are whole days, so the finest ticks are days (never hours). The fine row names days ("11"), months
("Sept") or years ("2023"), at the finest step whose widest label fits its spacing. The context row names the
period the fine ticks belong to - "Sept 2023" under day ticks, "2023" under month ticks - at each boundary and
pinned at the left edge, so the year is visible at every zoom.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from caseboard.db.dates import MONTH_ABBREVIATIONS
from caseboard.gui.panels import style

_EPOCH = datetime(1970, 1, 1)
_DAY = 86400.0
_YEAR, _MONTH = 365.25 * _DAY, 30.44 * _DAY
# (unit, step, approximate spacing in seconds), finest first
_STEPS = (
    [("day", n, n * _DAY) for n in (1, 2, 5, 10)]
    + [("month", n, n * _MONTH) for n in (1, 2, 3, 6)]
    + [("year", n, n * _YEAR) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]
)
# the widest label each unit prints in the fine row
_SAMPLES = {"day": ("00",), "month": ("Sept",), "year": ("0000",)}


def _dt(t: float) -> datetime:
    return _EPOCH + timedelta(seconds=float(t))


def _secs(d: datetime) -> float:
    return (d - _EPOCH).total_seconds()


def month_year(d: datetime) -> str:
    """'Sept 2023'."""
    return f"{MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"


def _date_ticks(unit: str, n: int, lo: float, hi: float) -> list[float]:
    """Tick positions (UTC seconds) every ``n`` units between lo and hi, on calendar boundaries."""
    a, b = _dt(lo), _dt(hi)
    out: list[float] = []
    if unit == "year":
        y = (a.year // n) * n
        while y <= b.year:
            if 1 <= y <= 9999:
                out.append(_secs(datetime(y, 1, 1)))
            y += n
    elif unit == "month":
        m = a.year * 12 + a.month - 1
        m -= m % n
        while m <= b.year * 12 + b.month - 1:
            out.append(_secs(datetime(m // 12, m % 12 + 1, 1)))
            m += n
    else:
        t = math.floor(lo / _DAY) * _DAY
        while t <= hi:
            d = _dt(t)
            if n == 1 or ((d.day - 1) % n == 0 and d.day + n <= 32):
                out.append(t)
            t += _DAY
    return [t for t in out if lo <= t <= hi]


class DateAxis(pg.DateAxisItem):
    """Fine ticks in days, months or years, with a month-and-year context row (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.unit = "day"  # the unit of the fine row, as last laid out
        self.context: list[str] = []  # the context row's texts, as last laid out (for tests)
        self.setHeight(44)

    def paint(self, p, opt, widget) -> None:  # noqa: ANN001
        if not style.paint_axis(self, p):
            super().paint(p, opt, widget)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.style.get("tickFont") or self.font())

    def tickValues(self, minVal, maxVal, size):  # noqa: ANN001, N802 - pyqtgraph API
        lo, hi = max(float(minVal), -62135596800.0 + _YEAR), min(float(maxVal), 253402300799.0 - _YEAR)
        if not (size > 0 and hi > lo):
            return []
        per_px = (hi - lo) / size
        fm = self._metrics()
        unit, n, spacing = _STEPS[-1]
        for u, k, sp in _STEPS:
            if sp / per_px >= max(fm.horizontalAdvance(s) for s in _SAMPLES[u]) + 12.0:
                unit, n, spacing = u, k, sp
                break
        self.unit = unit
        if unit == "day" and n == 1:
            # a day is a stretch of the axis: its number sits in the middle of it, not on its first instant
            return [
                (spacing, [v + _DAY / 2 for v in _date_ticks(unit, n, lo - _DAY, hi) if v + _DAY / 2 <= hi])
            ]
        return [(spacing, _date_ticks(unit, n, lo, hi))]

    def tickStrings(self, values, scale, spacing):  # noqa: ANN001, N802 - pyqtgraph API
        out = []
        for v in values:
            d = _dt(v)
            if spacing >= 300 * _DAY:
                out.append(str(d.year))
            elif spacing >= 28 * _DAY:
                out.append(MONTH_ABBREVIATIONS[d.month - 1])
            else:
                out.append(str(d.day))
        return out

    def generateDrawSpecs(self, p):  # noqa: ANN001, N802 - pyqtgraph API
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return specs
        axis_spec, tick_specs, text_specs = specs
        self.context = []
        lo, hi = self.range
        if hi <= lo or self.unit == "year":
            return specs
        bounds = self.mapRectFromParent(self.geometry())
        scale = bounds.width() / (hi - lo)
        fm = self._metrics()
        h = fm.height()
        y = bounds.top() + max(0, self.style["tickLength"]) + self.style["tickTextOffset"][1] + h + 2
        # the periods the fine ticks fall in: months under days, years under months
        if self.unit == "day":
            starts = _date_ticks("month", 1, lo, hi)
            name = month_year
        else:
            starts = _date_ticks("year", 1, lo, hi)

            def name(d: datetime) -> str:
                return str(d.year)

        placed: list[tuple[QRectF, str]] = []
        first = _dt(lo)
        cur = datetime(first.year, first.month if self.unit == "day" else 1, 1)
        items = [(bounds.left() + 2, name(cur), True)]  # pinned at the left edge: where the view starts
        items += [((t - lo) * scale + bounds.left() + 2, name(_dt(t)), False) for t in starts]
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip
        for x, text, pinned in items:
            rect = QRectF(x, y, fm.horizontalAdvance(text) + 4, h)
            if rect.right() > bounds.right() and not pinned:
                continue
            # a boundary's own label wins over the pinned one it would run into
            placed = [(r, t) for r, t in placed if not r.intersects(rect.adjusted(-6, 0, 0, 0))]
            placed.append((rect, text))
        self.context = [t for _, t in placed]
        text_specs.extend((r, flags, t) for r, t in placed)
        return axis_spec, tick_specs, text_specs
