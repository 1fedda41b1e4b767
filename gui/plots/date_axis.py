"""The timeline's date axis: calendar ticks whose labels fit, in whole days at most."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from caseboard.gui.panels import style

_EPOCH = datetime(1970, 1, 1)
_YEAR, _MONTH = 365.25 * 86400.0, 30.44 * 86400.0
# (unit, step, approximate spacing in seconds), finest first; tickStrings tells the unit back from the spacing
_STEPS = (
    [("hour", n, n * 3600.0) for n in (1, 3, 6, 12)]
    + [("day", n, n * 86400.0) for n in (1, 2, 5, 10)]
    + [("month", n, n * _MONTH) for n in (1, 2, 3, 6)]
    + [("year", n, n * _YEAR) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]
)
# the widest label each unit prints (a tick on a boundary of the next unit names it: "2021", "Sep", "05 Sep")
_SAMPLES = {"hour": ("00:00", "00 May"), "day": ("00", "May"), "month": ("May", "0000"), "year": ("0000",)}


def _dt(t: float) -> datetime:
    return _EPOCH + timedelta(seconds=float(t))


def _secs(d: datetime) -> float:
    return (d - _EPOCH).total_seconds()


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
        step = 86400.0 if unit == "day" else n * 3600.0
        t = math.floor(lo / step) * step
        while t <= hi:
            d = _dt(t)
            if unit == "hour" or n == 1 or ((d.day - 1) % n == 0 and d.day + n <= 32):
                out.append(t)
            t += step
    return [t for t in out if lo <= t <= hi]


class DateAxis(pg.DateAxisItem):
    """A date axis whose step (years, months, days or hours) is the finest whose widest label fits its spacing.

    One level of ticks, each labelled in context: a tick starting a year prints the year, one starting a month
    the month, one starting a day the date. pyqtgraph's own date axis jumps from yearly to five-yearly labels
    and then shows one year on a case spanning a few, and prints minor labels into major ones.
    """

    def paint(self, p, opt, widget) -> None:  # noqa: ANN001
        if not style.paint_axis(self, p):
            super().paint(p, opt, widget)

    def _label_width(self, unit: str) -> float:
        fm = getattr(self, "fontMetrics", None) or QFontMetrics(self.style.get("tickFont") or self.font())
        return max(fm.horizontalAdvance(s) for s in _SAMPLES[unit]) + 12.0

    def tickValues(self, minVal, maxVal, size):  # noqa: ANN001, N802 - pyqtgraph API
        lo, hi = max(float(minVal), -62135596800.0 + _YEAR), min(float(maxVal), 253402300799.0 - _YEAR)
        if not (size > 0 and hi > lo):
            return []
        per_px = (hi - lo) / size
        unit, n, spacing = _STEPS[-1]
        for u, k, sp in _STEPS:
            if sp / per_px >= self._label_width(u):
                unit, n, spacing = u, k, sp
                break
        return [(spacing, _date_ticks(unit, n, lo, hi))]

    def tickStrings(self, values, scale, spacing):  # noqa: ANN001, N802 - pyqtgraph API
        out = []
        for v in values:
            d = _dt(v)
            if spacing >= 300 * 86400 or (spacing >= 28 * 86400 and d.month == 1):
                out.append(str(d.year))
            elif spacing >= 28 * 86400 or (spacing >= 86400 and d.day == 1):
                out.append(d.strftime("%b"))
            elif spacing >= 86400 or (d.hour == 0 and d.minute == 0):
                out.append(d.strftime("%d") if spacing >= 86400 else d.strftime("%d %b"))
            else:
                out.append(d.strftime("%H:%M"))
        return out
