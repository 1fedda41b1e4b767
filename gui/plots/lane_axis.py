"""The timeline's lane titles down the left."""

from __future__ import annotations

import pyqtgraph as pg

from caseboard.gui.panels import style


class LaneAxis(pg.AxisItem):
    """Lane labels; painted directly when exporting (see style.paint_axis)."""

    def paint(self, p, opt, widget) -> None:  # noqa: ANN001
        if not style.paint_axis(self, p):
            super().paint(p, opt, widget)
