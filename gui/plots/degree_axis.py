"""Map axes that read 130°E / 42°N rather than bare numbers."""

from __future__ import annotations

import pyqtgraph as pg

from caseboard.gui.panels import style

#: Degree steps a map axis may use, finest first: whole fractions and divisors of 90 and 180.
STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90)


class DegreeAxis(pg.AxisItem):
    """Ticks as 130°E / 42°N rather than bare numbers, never closer than their labels need."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: ANN001, N802 - pyqtgraph API
        span = abs(maxVal - minVal)
        if span <= 0 or size <= 0:
            return super().tickSpacing(minVal, maxVal, size)
        # a label is about 40 px wide and 14 px tall; keep twice that between neighbours
        room = 70.0 if self.orientation in ("bottom", "top") else 30.0
        step = next((s for s in STEPS if s / span * size >= room), STEPS[-1])
        return [(step, 0)]

    def paint(self, p, opt, widget) -> None:  # noqa: ANN001
        if not style.paint_axis(self, p):
            super().paint(p, opt, widget)

    def tickStrings(self, values, scale, spacing):  # noqa: ANN001, N802 - pyqtgraph API
        east, west = ("E", "W") if self.orientation in ("bottom", "top") else ("N", "S")
        out = []
        limit = 180.0 if east == "E" else 90.0
        for v in values:
            if abs(v) > limit + 1e-9:  # off the globe: the view goes past the poles to centre the case
                out.append("")
                continue
            hemi = "" if abs(v) < 1e-9 else (east if v > 0 else west)
            text = f"{abs(v):.0f}" if spacing >= 1 else f"{abs(v):.1f}"
            out.append(f"{text}\u00b0{hemi}")
        return out
