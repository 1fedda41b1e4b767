"""A scale bar in kilometres for the map, in a bottom corner of its view box.

The map is in degrees with the aspect set for the middle latitude, so a kilometre is ``1 / (111.32 cos lat)``
degrees of longitude there; the bar says so for the latitude at the middle of the view (on a world view the
scale varies across the map, which the label admits by naming that latitude).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from caseboard.gui.panels import style

KM_PER_DEGREE = 111.32
TARGET_PX = 110.0  # the bar is about this long


def nice_km(km: float) -> float:
    """The 1, 2 or 5 times a power of ten at or below ``km``."""
    if km <= 0:
        return 0.0
    p = 10 ** math.floor(math.log10(km))
    return max(m * p for m in (1, 2, 5) if m * p <= km)


class ScaleBar(pg.GraphicsObject):
    """Drawn in the view box's own pixels (a child of it), so it stays put while the map moves."""

    def __init__(self, vb: pg.ViewBox) -> None:
        super().__init__()
        self.vb = vb
        self.setParentItem(vb)
        self.setZValue(900)
        self.right = False  # in the bottom-right corner instead of the bottom-left
        self.km = 0.0
        self.px = 0.0
        vb.sigRangeChanged.connect(lambda *_: self._relayout())
        vb.sigResized.connect(lambda *_: self._relayout())

    def _relayout(self) -> None:
        self.prepareGeometryChange()
        self.update()

    def _measure(self) -> tuple[float, float]:
        """(kilometres, pixels) of the bar for the current view."""
        (x0, x1), (y0, y1) = self.vb.viewRange()
        w = self.vb.width()
        if w <= 0 or x1 <= x0:
            return 0.0, 0.0
        lat = max(-85.0, min(85.0, (y0 + y1) / 2))
        km_per_px = (x1 - x0) / w * KM_PER_DEGREE * math.cos(math.radians(lat))
        km = nice_km(TARGET_PX * km_per_px)
        return km, (km / km_per_px if km_per_px > 0 else 0.0)

    def _font(self):  # noqa: ANN202
        return style.pixel_font(style.TICK_PX - 1)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        w, h = self.vb.width(), self.vb.height()
        return QRectF(0, 0, w, h) if w > 0 and h > 0 else QRectF()

    def label(self) -> str:
        km, _ = self._measure()
        return f"{km:,.0f} km" if km >= 1 else f"{km * 1000:,.0f} m"

    def paint(self, p: QPainter, *args) -> None:  # noqa: ANN002
        km, px = self._measure()
        self.km, self.px = km, px
        if km <= 0 or px < 10:
            return
        fm = QFontMetricsF(self._font())
        w, h = self.vb.width(), self.vb.height()
        text = self.label()
        tw = fm.horizontalAdvance(text)
        left = w - px - 16 if self.right else 12.0
        y = h - 12.0
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        back = QColor(style.WATER)
        back.setAlpha(200)
        p.fillRect(QRectF(left - 6, y - fm.height() - 8, max(px, tw) + 12, fm.height() + 14), back)
        ink = QColor(style.LABEL_COLOR)
        p.setPen(QPen(ink, 1.5))
        p.drawLine(QPointF(left, y), QPointF(left + px, y))
        for x in (left, left + px / 2, left + px):
            p.drawLine(QPointF(x, y), QPointF(x, y - (5 if x != left + px / 2 else 3)))
        p.setFont(self._font())
        p.drawText(
            QRectF(left, y - fm.height() - 6, max(px, tw), fm.height()), Qt.AlignmentFlag.AlignLeft, text
        )
        p.restore()
