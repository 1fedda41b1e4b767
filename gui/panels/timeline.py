"""The timeline: events, shipment legs and statements on a date axis, one lane per shipment or speaker.

Everything is drawn by one custom item from the numpy arrays of ``caseboard.db.plotdata``: it works out in
device pixels what is visible and paints it directly, so a marker stays nine pixels wide at any zoom, uncertain
dates get soft ends, and nothing costs a QGraphicsItem per row. When more than ``DENSITY_THRESHOLD`` items of a
kind are visible it paints their density per lane instead (a histogram per pixel column) - a million-point
scatter would take most of a second per frame. Hit testing reuses the same layout, so what is clicked is what
was drawn.

Painting is batched by style: bars of one colour go to one ``drawRects`` (soft ends use one gradient brush in
ObjectBoundingMode for the whole batch), markers and dashed leg edges to one path built by numpy, identical
translucent bars are merged, and the result is kept as an image until the layout changes. Export (PDF) keeps a
per-item vector path. Items are identified by position and rowid; text ids are read lazily for clicks.

Loading runs on the thread pool with its own read-only connection; a result for an older request is dropped.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QGradient,
    QImage,
    QKeyEvent,
    QLinearGradient,
    QPaintEngine,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QToolTip, QVBoxLayout, QWidget

from caseboard.db.case import Case
from caseboard.db.dates import PartialDate
from caseboard.db.plotdata import LegBars, Marks, TimelineData, timeline_data
from caseboard.db.plotpatch import TIMELINE_DRAWS, patch_timeline
from caseboard.db.related import Related
from caseboard.db.schema import LEG_MODES
from caseboard.gui.panels import style
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.workers import BackgroundLoadedPanel, PanelLoader

DAY = 86400.0
#: Above this many visible items of one kind, draw their density instead of each item.
DENSITY_THRESHOLD = 1500
KINDS = ("shipments", "legs", "events", "statements")
MARKER_PX = 9.0
FUZZY_MIN_PX = 18.0
SPAN_MIN_PX = 5.0
DENSITY_BIN_PX = 2
MAX_ROWS = 3  # overlapping items in a lane stack up to this many rows


# -- layout ------------------------------------------------------------------------------------------------------
@dataclass
class _Laid:
    """Device-pixel geometry of the visible items of one kind (individually drawn)."""

    idx: np.ndarray  # positions in the kind's arrays
    x0: np.ndarray
    x1: np.ndarray
    y: np.ndarray  # centre line
    h: float
    point: np.ndarray  # bool: drawn as a marker, not a span
    xc0: np.ndarray | None = None  # legs: certain part
    xc1: np.ndarray | None = None


@dataclass
class _Density:
    image: QImage
    rect: QRectF  # device rect the image covers


def _pack_rows(x0: np.ndarray, x1: np.ndarray, lane: np.ndarray, tol: float = 1.0) -> np.ndarray:
    """Greedy interval packing per lane so overlapping items sit on separate rows (items sorted by x0).

    A plain loop over lists (it runs per frame for up to DENSITY_THRESHOLD items, so no dicts or numpy scalars).
    """
    n_lanes = int(lane.max()) + 1 if len(lane) else 0
    last = [[-math.inf] * MAX_ROWS for _ in range(n_lanes)]
    rows_range = range(MAX_ROWS)
    out = []
    for a, b, ln in zip(x0.tolist(), x1.tolist(), lane.tolist(), strict=True):
        ends = last[ln]
        lim = a + tol
        r = 0
        for k in rows_range:
            if ends[k] <= lim:
                r = k
                break
        if b > ends[r]:
            ends[r] = b
        out.append(r)
    return np.array(out, dtype=np.int8)


def _stacked(
    x0: np.ndarray, x1: np.ndarray, y: np.ndarray, alpha: int
) -> list[tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Identical bars merged into one with the alpha that k translucent layers add up to, 1 - (1 - a)^k.

    Zoomed in on a busy case, hundreds of year-long "about" bars cover the whole view in the same lane and row;
    blending each one is most of a frame, while the picture is the same as one bar per place.
    """
    if len(x0) < 2:
        return [(alpha, (x0, x1, y))] if len(x0) else []
    key = np.stack([np.round(x0, 1), np.round(x1, 1), np.round(y, 1)], axis=1)
    uniq, counts = np.unique(key, axis=0, return_counts=True)
    eff = np.rint(255.0 * (1.0 - (1.0 - alpha / 255.0) ** counts)).astype(np.int64)
    out = []
    for a in np.unique(eff).tolist():
        sel = eff == a
        out.append((int(a), (uniq[sel, 0], uniq[sel, 1], uniq[sel, 2])))
    return out


class _TimelineItem(pg.GraphicsObject):
    """Paints the whole timeline from the panel's arrays; see the module docstring."""

    def __init__(self, panel: TimelinePanel) -> None:
        super().__init__()
        self._panel = panel
        self.px = 1.0  # device pixels per screen pixel; raised while rendering to a printer
        self._cache_key: tuple | None = None
        self._cache: tuple[dict[str, _Laid], dict[str, _Density]] | None = None
        self._brushes: dict[tuple, QBrush] = {}
        self._image: QImage | None = None
        self._bounds: tuple[TimelineData | None, QRectF] | None = None
        self._lo, self._hi = -1e9, 1e9  # device x range worth drawing (set per paint)
        self._image_key: tuple | None = None

    # Qt / pyqtgraph API
    def boundingRect(self) -> QRectF:
        # Qt asks for this many times a frame; min/max over a million days each time adds up, so it is kept
        data = self._panel.data
        if self._bounds is None or self._bounds[0] is not data:
            span = data.span() if data else None
            rect = QRectF()
            if span is not None:
                rect = QRectF(span[0] * DAY, -0.5, (span[1] - span[0] + 1) * DAY, max(1, len(data.lanes)))
            self._bounds = (data, rect)
        return QRectF(self._bounds[1])

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: ANN001 - pyqtgraph API
        r = self.boundingRect()
        if r.isNull():
            return None, None
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def invalidate(self) -> None:
        self._cache_key = None
        self._image = None
        self._bounds = None
        self.prepareGeometryChange()
        self.update()

    # layout
    def layout(self, t) -> tuple[dict[str, _Laid], dict[str, _Density]]:  # noqa: ANN001 - QTransform
        """Geometry in device pixels for item->device transform ``t``; cached until the view or data change."""
        panel = self._panel
        vb = self.getViewBox()
        key = (t.m11(), t.m22(), t.dx(), t.dy(), panel.version, self.px, str(vb.viewRange() if vb else None))
        if self._cache is not None and key == self._cache_key:
            return self._cache
        laid: dict[str, _Laid] = {}
        dens: dict[str, _Density] = {}
        data = panel.data
        if data is None or vb is None:
            return laid, dens
        (vx0, vx1), _ = vb.viewRange()
        sx, ox, sy, oy = t.m11(), t.dx(), t.m22(), t.dy()
        # days that can show: the view plus the widest minimum width an item is drawn with
        margin = FUZZY_MIN_PX * self.px / max(abs(sx), 1e-12)
        d0, d1 = math.floor((vx0 - margin) / DAY), math.floor((vx1 + margin) / DAY)
        lane_h = abs(sy)
        px = self.px
        for kind in KINDS:
            marks = data.marks(kind)
            if not len(marks):
                continue
            hl = panel.highlight.get(kind)
            if marks.density_index.overlapping(d0, d1) > DENSITY_THRESHOLD:
                dens[kind] = self._density(marks, t, len(data.lanes), kind)
                if hl is None:
                    continue
                # the related ones are still drawn one by one on top
                cand = panel.highlight_positions(kind)
                vis = cand[(marks.start[cand] <= d1) & (marks.end[cand] >= d0)]
                if len(vis) > DENSITY_THRESHOLD:  # too many as well: their own density, in full colour
                    dens[kind + "/related"] = self._density(marks, t, len(data.lanes), kind, subset=vis)
                    continue
            else:
                hi = int(np.searchsorted(marks.start, d1, side="right"))
                vis = np.flatnonzero(marks.end[:hi] >= d0)
            start = marks.start[vis].astype(np.float64)
            end = marks.end[vis].astype(np.float64) + 1.0
            x0 = start * DAY * sx + ox
            x1 = end * DAY * sx + ox
            fuzzy = marks.fuzzy[vis]
            point = (
                (marks.end[vis] == marks.start[vis]) & ~fuzzy if kind in ("events", "statements") else None
            )
            if point is None:
                point = np.zeros(len(vis), dtype=bool)
            mid = (x0 + x1) / 2
            minw = np.where(fuzzy, FUZZY_MIN_PX * px, np.where(point, MARKER_PX * px, SPAN_MIN_PX * px))
            narrow = (x1 - x0) < minw
            x0 = np.where(narrow, mid - minw / 2, x0)
            x1 = np.where(narrow, mid + minw / 2, x1)
            lane = marks.lane[vis]
            # sub-bands: in a shipment lane the legs ride above its events
            offset = 0.0
            h = min(lane_h * 0.5, 14.0 * px)
            shipment_lane = np.array([ln.group == "shipments" for ln in data.lanes], dtype=bool)
            if kind == "shipments":
                h = lane_h * 0.84
            elif kind in ("legs", "events"):
                h = min(lane_h * 0.3, 12.0 * px)
                offset = -0.2 if kind == "legs" else 0.2
            y = (lane.astype(np.float64) + np.where(shipment_lane[lane], offset, 0.0)) * sy + oy
            xc0 = xc1 = None
            if isinstance(marks, LegBars):
                xc0 = marks.depart_end[vis].astype(np.float64) * DAY * sx + ox
                xc1 = (marks.arrive_start[vis].astype(np.float64) + 1.0) * DAY * sx + ox
                xc0 = np.clip(xc0, x0, x1)
                xc1 = np.clip(xc1, xc0, x1)
            if kind != "shipments" and len(vis):
                order = np.argsort(x0, kind="stable")
                rows = np.empty(len(vis), dtype=np.int8)
                # legs of one shipment follow on from each other: touching on the hand-over day is no overlap
                tol = min(DAY * abs(sx) * 1.01, 20.0 * px) if kind == "legs" else -1.0
                rows[order] = _pack_rows(x0[order], x1[order], lane[order], tol)
                # stacked rows sit centre, above, below, so a stack stays inside its lane
                step = min(h + 2 * px, lane_h / MAX_ROWS)
                y = y + np.array([0.0, -1.0, 1.0])[rows] * step
            laid[kind] = _Laid(vis, x0, x1, y, h, point, xc0, xc1)
        self._cache_key = key
        self._cache = (laid, dens)
        return self._cache

    def _density(
        self,
        marks: Marks | LegBars,
        t,  # noqa: ANN001 - QTransform
        n_lanes: int,
        kind: str,
        subset: np.ndarray | None = None,
    ) -> _Density:
        """Items per lane per DENSITY_BIN_PX device columns, as a coloured strip image.

        All items come from the precomputed ``DensityIndex``; a ``subset`` (the related ones, at most a
        selection's worth) is binned directly and drawn undimmed over the dimmed whole.
        """
        sx, ox, sy, oy = t.m11(), t.dx(), t.m22(), t.dy()
        (vx0, vx1), _ = self.getViewBox().viewRange()
        left, right = sorted((vx0 * sx + ox, vx1 * sx + ox))
        binw = DENSITY_BIN_PX * self.px
        ncols = max(1, min(8192, int((right - left) / binw)))
        binw = (right - left) / ncols
        # column edges in device x -> days -> the index's key (twice the midpoint day)
        edges_x = left + binw * np.arange(ncols + 1, dtype=np.float64)
        if subset is None:
            counts = marks.density_index.counts(n_lanes, 2.0 * (edges_x - ox) / (DAY * sx))
        else:
            mid = (marks.start[subset].astype(np.float64) + marks.end[subset] + 1.0) * 0.5 * DAY * sx + ox
            col = np.floor((mid - left) / binw).astype(np.int64)
            ok = (col >= 0) & (col < ncols)
            flat = marks.lane[subset][ok].astype(np.int64) * ncols + col[ok]
            counts = np.bincount(flat, minlength=n_lanes * ncols).reshape(n_lanes, ncols)
        level = np.log1p(counts) / max(1e-9, math.log1p(counts.max()))
        base = QColor(style.STATEMENT_COLOR if kind == "statements" else style.EVENT_COLOR)
        if kind == "legs":
            base = QColor(style.MODE_STYLES["sea"].color)
        dim = 0.35 if self._panel.highlight and subset is None else 1.0
        sub = 5  # image rows per lane: the middle three are filled so lanes stay apart
        rgba = np.zeros((n_lanes * sub, ncols, 4), dtype=np.uint8)
        alpha = np.where(counts > 0, 40 + 215 * level, 0) * dim
        for r in (1, 2, 3):
            rgba[r::sub, :, 0] = base.red()
            rgba[r::sub, :, 1] = base.green()
            rgba[r::sub, :, 2] = base.blue()
            rgba[r::sub, :, 3] = alpha.astype(np.uint8)
        img = QImage(rgba.data, ncols, n_lanes * sub, ncols * 4, QImage.Format.Format_RGBA8888).copy()
        top = (-0.5) * sy + oy
        bottom = (n_lanes - 0.5) * sy + oy
        return _Density(img, QRectF(left, min(top, bottom), ncols * binw, abs(bottom - top)))

    # painting
    def paint(self, painter: QPainter, option, widget=None) -> None:  # noqa: ANN001 - Qt API
        panel = self._panel
        if panel.data is None:
            return
        t = painter.transform()
        laid, dens = self.layout(t)
        painter.save()
        painter.resetTransform()
        # On screen the drawing is kept as an image for as long as the layout is the same: Qt paints the item
        # again for hovers, tooltips, a grab or another item's update, and a blit is far cheaper than a redraw.
        # Export (px != 1) and non-raster devices (PDF) always draw vectors.
        raster = (
            painter.paintEngine() is not None and painter.paintEngine().type() == QPaintEngine.Type.Raster
        )
        if self.px == 1.0 and raster and widget is not None:
            dpr = widget.devicePixelRatioF()
            key = (self._cache_key, widget.width(), widget.height(), dpr)
            if self._image is None or self._image_key != key:
                img = QImage(
                    max(1, round(widget.width() * dpr)),
                    max(1, round(widget.height() * dpr)),
                    QImage.Format.Format_ARGB32_Premultiplied,
                )
                img.setDevicePixelRatio(dpr)
                img.fill(0)
                ip = QPainter(img)
                self._draw(ip, laid, dens)
                ip.end()
                self._image, self._image_key = img, key
            painter.drawImage(QPointF(0, 0), self._image)
        else:
            self._draw(painter, laid, dens)
        painter.restore()

    def _draw(self, painter: QPainter, laid: dict[str, _Laid], dens: dict[str, _Density]) -> None:
        panel = self._panel
        dev = painter.device()
        self._lo, self._hi = -10.0, dev.width() / max(1e-9, dev.devicePixelRatioF()) + 10.0
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for _kind, d in dens.items():
            painter.drawImage(d.rect, d.image)
        batched = self.px == 1.0  # export (px > 1) keeps the per-item path: PDF output fades to white
        for kind in KINDS:
            g = laid.get(kind)
            if g is None or not len(g.idx):
                continue
            hl = panel.highlight.get(kind)
            related = hl[g.idx] if hl is not None else np.ones(len(g.idx), dtype=bool)
            if batched:
                # bars and their edges are axis-aligned: antialiasing only costs time (dashed edges most)
                # and would show seams between a fuzzy bar's core and its fades; markers turn it on
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                self._paint_batched(painter, kind, g, related, hl is not None)
            else:
                self._paint_each(painter, kind, g, related, hl is not None)

    # batched painting: one pen/brush per style and one C++ call per batch, not per item
    def _paint_batched(self, p: QPainter, kind: str, g: _Laid, related: np.ndarray, dimmed: bool) -> None:
        marks = self._panel.data.marks(kind)
        fuzzy = marks.fuzzy[g.idx]
        outline = related & dimmed
        alpha = np.where(related, 255, style.DIM_ALPHA)
        if kind == "shipments":
            self._spans(p, g, np.ones(len(g.idx), bool), style.SHIPMENT_COLOR, alpha * 0.16, fuzzy, None)
            return
        if kind == "legs":
            self._legs(p, g, marks.mode[g.idx], alpha, outline)
            return
        hexc = style.EVENT_COLOR if kind == "events" else style.STATEMENT_COLOR
        span = ~g.point
        if span.any():
            self._spans(p, g, span, hexc, alpha * 0.7, fuzzy, outline)
            if kind == "statements":
                cx, cy = (g.x0[span] + g.x1[span]) / 2, g.y[span]
                self._batch_markers(p, cx, cy, kind, related[span], 6.0, hexc)
        if g.point.any():
            pt = g.point
            cx, cy = (g.x0[pt] + g.x1[pt]) / 2, g.y[pt]
            self._batch_markers(p, cx, cy, kind, related[pt], MARKER_PX, hexc)
            if outline[pt].any():
                s = MARKER_PX / 2
                o = outline[pt]
                self._outlines(p, cx[o] - s, cx[o] + s, cy[o], 2 * s)

    @staticmethod
    def _rects(x0: np.ndarray, x1: np.ndarray, y: np.ndarray, h: float | np.ndarray) -> list[QRectF]:
        hh = np.broadcast_to(np.asarray(h, dtype=np.float64), x0.shape)
        return [
            QRectF(a, c - d / 2, b - a, d)
            for a, b, c, d in zip(x0.tolist(), x1.tolist(), y.tolist(), hh.tolist(), strict=True)
        ]

    def _fade(self, c: QColor, kind: str) -> QBrush:
        """A cached gradient brush spanning each drawn rect (ObjectBoundingMode): "in" fades from clear to
        ``c`` across the rect, "out" from ``c`` to clear; one brush serves a whole batch of rects."""
        key = (c.rgba(), kind)
        brush = self._brushes.get(key)
        if brush is None:
            g = QLinearGradient(0, 0, 1, 0)
            g.setCoordinateMode(QGradient.CoordinateMode.ObjectBoundingMode)
            clear = QColor(c)
            clear.setAlpha(0)
            g.setColorAt(0.0, clear if kind == "in" else c)
            g.setColorAt(1.0, c if kind == "in" else clear)
            brush = self._brushes[key] = QBrush(g)
        return brush

    def _spans(
        self,
        p: QPainter,
        g: _Laid,
        which: np.ndarray,
        hexc: str,
        alpha: np.ndarray,
        fuzzy: np.ndarray,
        outline: np.ndarray | None,
    ) -> None:
        """Spans of one colour: solid ones with an edge, fuzzy ones as a solid core between two fades."""
        alpha = alpha.astype(np.int64)
        which = which & (g.x1 >= self._lo) & (g.x0 <= self._hi)
        w = g.x1 - g.x0
        soft = np.where(w > 40 * self.px, 0.3, 0.45) * w
        for a in np.unique(alpha[which]).tolist():
            sel = which & (alpha == a)
            c = style.color(hexc, a)
            solid = sel & ~fuzzy
            if solid.any():
                p.setPen(QPen(style.color(hexc, min(255, int(a * 1.4))), 1.0 * self.px))
                p.setBrush(c)
                p.drawRects(self._rects(*self._clip(g.x0[solid], g.x1[solid]), g.y[solid], g.h))
            f = sel & fuzzy
            if f.any():
                p.setPen(Qt.PenStyle.NoPen)
                x0, x1, y, sw = g.x0[f], g.x1[f], g.y[f], soft[f]
                for a_eff, (c0, c1, cy) in _stacked(*self._clip(x0 + sw, x1 - sw), y, a):
                    p.setBrush(style.color(hexc, a_eff))
                    p.drawRects(self._rects(c0, c1, cy, g.h))
                for kind, e0, e1 in (("in", x0, x0 + sw), ("out", x1 - sw, x1)):
                    on = (e1 >= self._lo) & (e0 <= self._hi)  # a fade is never clipped: it would move
                    if on.any():
                        p.setBrush(self._fade(c, kind))
                        p.drawRects(self._rects(e0[on], e1[on], y[on], g.h))
        if outline is not None and (o := which & outline).any():
            self._outlines(p, *self._clip(g.x0[o], g.x1[o]), g.y[o], g.h)

    def _clip(self, x0: np.ndarray, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Solid bars cut to just past the device edges, so a year-long bar at day zoom fills only the view."""
        return np.maximum(x0, self._lo), np.minimum(x1, self._hi)

    def _outlines(self, p: QPainter, x0: np.ndarray, x1: np.ndarray, y: np.ndarray, h: float) -> None:
        m = 2.0 * self.px
        p.setPen(QPen(style.color(style.HIGHLIGHT_COLOR), 2.0 * self.px))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRects(self._rects(x0 - m, x1 + m, y, h + 2 * m))

    def _legs(self, p: QPainter, g: _Laid, mode: np.ndarray, alpha: np.ndarray, outline: np.ndarray) -> None:
        """Soft where the departure or arrival is uncertain, solid where the leg is certainly under way."""
        x0, x1, y, h = g.x0, g.x1, g.y, g.h
        xc0 = g.xc0 if g.xc0 is not None else x0
        xc1 = g.xc1 if g.xc1 is not None else x1
        shown = (x1 >= self._lo) & (x0 <= self._hi)
        for m, a in {
            (int(m), int(a)) for m, a in zip(mode[shown].tolist(), alpha[shown].tolist(), strict=True)
        }:
            sel = shown & (mode == m) & (alpha == a)
            soft = style.mode_color(m, int(a * 0.35))
            p.setPen(Qt.PenStyle.NoPen)
            left = sel & (xc0 - x0 > 0.5)
            if left.any():
                p.setBrush(self._fade(soft, "in"))
                p.drawRects(self._rects(x0[left], xc0[left], y[left], h))
            right = sel & (x1 - xc1 > 0.5)
            if right.any():
                p.setBrush(self._fade(soft, "out"))
                p.drawRects(self._rects(xc1[right], x1[right], y[right], h))
            core1 = xc0[sel] + np.maximum(xc1[sel] - xc0[sel], 2 * self.px)
            for a_eff, (c0, c1, cy) in _stacked(*self._clip(xc0[sel], core1), y[sel], a):
                p.setBrush(style.mode_color(m, a_eff))
                p.drawRects(self._rects(c0, c1, cy, h))
            pen = style.mode_pen(m, 1.2 * self.px, a)
            p.setPen(pen)
            # Qt dashes a line along its whole length before clipping: cut lines to the device, at a whole
            # dash period so the pattern does not crawl while panning
            period = sum(pen.dashPattern()) * pen.widthF() if pen.style() != Qt.PenStyle.SolidLine else 0.0
            lo, hi = -period - 2.0, p.device().width() + period + 2.0
            s0 = x0[sel]
            if period > 0:
                s0 = np.where(s0 < lo, s0 + np.floor((lo - s0) / period) * period, s0)
            else:
                s0 = np.maximum(s0, lo)
            s1 = np.minimum(x1[sel], hi)
            # top and bottom edges as one path of separate segments, built by numpy
            xs = np.concatenate([np.stack([s0, s1], axis=1).ravel()] * 2)
            ys = np.concatenate([np.repeat(y[sel] - h / 2, 2), np.repeat(y[sel] + h / 2, 2)])
            connect = np.zeros(len(xs), dtype=np.int32)
            connect[0::2] = 1  # join each start to its end, never to the next segment
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(pg.arrayToQPath(xs, ys, connect=connect))
        if outline.any():
            self._outlines(p, x0[outline], x1[outline], y[outline], h)

    def _paint_each(self, painter: QPainter, kind: str, g: _Laid, related: np.ndarray, dimmed: bool) -> None:
        """One call per item: used for export, where gradients must fade to white (see style.soft_gradient)."""
        marks = self._panel.data.marks(kind)
        px = self.px
        for i in range(len(g.idx)):
            alpha = 255 if related[i] else style.DIM_ALPHA
            outline = dimmed and bool(related[i])
            x0, x1, y = float(g.x0[i]), float(g.x1[i]), float(g.y[i])
            fuzzy = bool(marks.fuzzy[g.idx[i]])
            if kind == "shipments":
                self._span(painter, x0, x1, y, g.h, style.SHIPMENT_COLOR, alpha * 0.16, fuzzy, False)
            elif kind == "legs":
                self._leg(painter, g, i, int(marks.mode[g.idx[i]]), alpha, outline)
            elif g.point[i]:
                c = style.EVENT_COLOR if kind == "events" else style.STATEMENT_COLOR
                self._marker(painter, (x0 + x1) / 2, y, kind, c, alpha, outline)
            else:
                c = style.EVENT_COLOR if kind == "events" else style.STATEMENT_COLOR
                self._span(painter, x0, x1, y, g.h, c, alpha * 0.7, fuzzy, outline)
                if kind == "statements":
                    self._marker(painter, (x0 + x1) / 2, y, kind, c, alpha, False, size=6 * px)

    def _batch_markers(
        self,
        p: QPainter,
        cx: np.ndarray,
        cy: np.ndarray,
        kind: str,
        related: np.ndarray,
        size: float,
        hexc: str,
    ) -> None:
        """All markers of one alpha as one path built from arrays (one C++ call, not one per mark)."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = size * self.px / 2 + (1 if kind == "events" else 0)
        # unit outline: a diamond for events, an octagon (reads as a dot) for statements
        n = 4 if kind == "events" else 8
        ang = np.linspace(0, 2 * np.pi, n + 1) + (0 if kind == "events" else np.pi / 8)
        ux, uy = np.sin(ang) * r, -np.cos(ang) * r
        for alpha, part in ((style.DIM_ALPHA, ~related), (255, related)):
            if not part.any():
                continue
            xs = (cx[part][:, None] + ux[None, :]).ravel()
            ys = (cy[part][:, None] + uy[None, :]).ravel()
            connect = np.ones((int(part.sum()), n + 1), dtype=np.int32)
            connect[:, -1] = 0  # break after each closed outline
            path = pg.arrayToQPath(xs, ys, connect=connect.ravel())
            path.setFillRule(
                Qt.FillRule.WindingFill
            )  # marks stacked exactly on one another must not cancel out
            p.setPen(QPen(style.color("#ffffff", alpha), 1.0 * self.px))
            p.setBrush(style.color(hexc, alpha))
            p.drawPath(path)

    def _span(
        self,
        p: QPainter,
        x0: float,
        x1: float,
        y: float,
        h: float,
        hexc: str,
        alpha: float,
        fuzzy: bool,
        hl: bool,
    ) -> None:
        c = style.color(hexc, int(alpha))
        rect = QRectF(x0, y - h / 2, x1 - x0, h)
        if fuzzy:
            p.setPen(Qt.PenStyle.NoPen)
            soft = 0.3 if x1 - x0 > 40 * self.px else 0.45
            p.setBrush(QBrush(style.soft_gradient(x0, x1, c, soft, opaque=self.px != 1.0)))
        else:
            p.setPen(QPen(style.color(hexc, min(255, int(alpha * 1.4))), 1.0 * self.px))
            p.setBrush(c)
        p.drawRect(rect)
        if hl:
            self._outline(p, rect)

    def _outline(self, p: QPainter, rect: QRectF) -> None:
        pen = QPen(style.color(style.HIGHLIGHT_COLOR), 2.0 * self.px)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        m = 2.0 * self.px
        p.drawRect(rect.adjusted(-m, -m, m, m))

    def _marker(
        self,
        p: QPainter,
        x: float,
        y: float,
        kind: str,
        hexc: str,
        alpha: int,
        hl: bool,
        size: float | None = None,
    ) -> None:
        s = (size or MARKER_PX * self.px) / 2
        p.setPen(QPen(style.color("#ffffff", alpha), 1.0 * self.px))
        p.setBrush(style.color(hexc, alpha))
        if kind == "events":
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, y - s - 1),
                        QPointF(x + s + 1, y),
                        QPointF(x, y + s + 1),
                        QPointF(x - s - 1, y),
                    ]
                )
            )
        else:
            p.drawEllipse(QPointF(x, y), s, s)
        if hl:
            self._outline(p, QRectF(x - s, y - s, 2 * s, 2 * s))

    def _leg(self, p: QPainter, g: _Laid, i: int, mode: int, alpha: int, hl: bool) -> None:
        """Soft where the departure or arrival is uncertain, solid where the leg is certainly under way."""
        x0, x1, y, h = float(g.x0[i]), float(g.x1[i]), float(g.y[i]), g.h
        xc0 = float(g.xc0[i]) if g.xc0 is not None else x0
        xc1 = float(g.xc1[i]) if g.xc1 is not None else x1
        c = style.mode_color(mode, alpha)
        soft = style.mode_color(mode, int(alpha * 0.35))
        p.setPen(Qt.PenStyle.NoPen)
        if xc0 - x0 > 0.5:
            g0 = style.soft_gradient(x0, 2 * xc0 - x0, soft, 0.5, opaque=self.px != 1.0)
            p.setBrush(QBrush(g0))
            p.drawRect(QRectF(x0, y - h / 2, xc0 - x0, h))
        if x1 - xc1 > 0.5:
            g1 = style.soft_gradient(2 * xc1 - x1, x1, soft, 0.5, opaque=self.px != 1.0)
            p.setBrush(QBrush(g1))
            p.drawRect(QRectF(xc1, y - h / 2, x1 - xc1, h))
        p.setBrush(c)
        p.drawRect(QRectF(xc0, y - h / 2, max(xc1 - xc0, 2 * self.px), h))
        pen = style.mode_pen(mode, 1.2 * self.px, alpha)
        p.setPen(pen)
        p.drawLine(QPointF(x0, y - h / 2), QPointF(x1, y - h / 2))
        p.drawLine(QPointF(x0, y + h / 2), QPointF(x1, y + h / 2))
        if hl:
            self._outline(p, QRectF(x0, y - h / 2, x1 - x0, h))

    def hit(self, device_pos: QPointF, t) -> tuple[str, int] | None:  # noqa: ANN001
        """The topmost drawn item under a device position: (kind, index in the kind's arrays)."""
        laid, _ = self.layout(t)
        x, y = device_pos.x(), device_pos.y()
        best: tuple[float, str, int] | None = None
        for kind in reversed(KINDS):
            g = laid.get(kind)
            if g is None or not len(g.idx):
                continue
            pad = 3.0
            inside = (x >= g.x0 - pad) & (x <= g.x1 + pad) & (np.abs(y - g.y) <= g.h / 2 + pad)
            if not inside.any():
                continue
            cand = np.flatnonzero(inside)
            dist = np.abs(x - (g.x0[cand] + g.x1[cand]) / 2) + np.abs(y - g.y[cand])
            j = int(cand[np.argmin(dist)])
            score = float(dist.min()) + (1000.0 if kind == "shipments" else 0.0)
            if best is None or score < best[0]:
                best = (score, kind, int(g.idx[j]))
        return (best[1], best[2]) if best else None


# -- the panel -------------------------------------------------------------------------------------------------------
class _TimeViewBox(pg.ViewBox):
    """A ViewBox where Shift+drag (or drag in range mode) selects a time range instead of panning."""

    rangeDragged = Signal(float, float, bool)

    def __init__(self) -> None:
        super().__init__()
        self.range_mode = False

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: ANN001 - pyqtgraph API
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if ev.button() == Qt.MouseButton.LeftButton and (self.range_mode or shift):
            ev.accept()
            x0 = self.mapSceneToView(ev.buttonDownScenePos()).x()
            x1 = self.mapSceneToView(ev.scenePos()).x()
            self.rangeDragged.emit(x0, x1, bool(ev.isFinish()))
            return
        super().mouseDragEvent(ev, axis)


class _LaneAxis(pg.AxisItem):
    """Lane labels; painted directly when exporting (see style.paint_axis)."""

    def paint(self, p, opt, widget) -> None:  # noqa: ANN001
        if not style.paint_axis(self, p):
            super().paint(p, opt, widget)


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


class _DateAxis(pg.DateAxisItem):
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


def _load_timeline(conn: sqlite3.Connection) -> TimelineData:
    """Read the timeline and prepare its drawing indexes, all on the loader thread."""
    data = timeline_data(conn)
    for kind in KINDS:
        data.marks(kind).prepare()
    return data


def _legend_swatches() -> list[tuple[str, object]]:
    def marker(p: QPainter, r: QRectF) -> None:
        p.setPen(QPen(QColor("white"), 1))
        p.setBrush(QColor(style.EVENT_COLOR))
        c = r.center()
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(c.x(), c.y() - 5),
                    QPointF(c.x() + 5, c.y()),
                    QPointF(c.x(), c.y() + 5),
                    QPointF(c.x() - 5, c.y()),
                ]
            )
        )

    def span(p: QPainter, r: QRectF) -> None:
        p.setPen(QPen(style.color(style.EVENT_COLOR), 1))
        p.setBrush(style.color(style.EVENT_COLOR, 180))
        p.drawRect(QRectF(r.left(), r.center().y() - 4, r.width(), 8))

    def soft(p: QPainter, r: QRectF) -> None:
        # a PDF loses the alpha inside gradients (a solid block): fade to white with solid colours there
        engine = p.paintEngine()
        printing = engine is not None and engine.type() != QPaintEngine.Type.Raster
        c = style.color(style.EVENT_COLOR, 200)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(style.soft_gradient(r.left() - 4, r.right() + 4, c, 0.35, opaque=printing)))
        p.drawRect(QRectF(r.left() - 4, r.center().y() - 4, r.width() + 8, 8))

    def statement(p: QPainter, r: QRectF) -> None:
        p.setPen(QPen(QColor("white"), 1))
        p.setBrush(QColor(style.STATEMENT_COLOR))
        p.drawEllipse(r.center(), 4.5, 4.5)

    out: list[tuple[str, object]] = [
        ("event", marker),
        ("date range", span),
        ("about / month / year", soft),
        ("statement", statement),
    ]
    for m in LEG_MODES:
        out.append((style.MODE_STYLES[m].label, lambda p, r, m=m: style.paint_mode_sample(p, r, m)))
    return out


class TimelinePanel(BackgroundLoadedPanel, QWidget):
    """Dates of the case on one axis; see the module docstring. Emits ``loaded`` after new data are drawn."""

    loaded = Signal()

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self.data: TimelineData | None = None
        self.version = 0  # bumped whenever what is drawn changes; keys the layout cache
        self.highlight: dict[str, np.ndarray] = {}  # kind -> bool mask; empty when nothing is selected
        self._hl_positions: dict[str, np.ndarray] = {}
        self._gen = 0
        self._loader = PanelLoader(self)
        self._loader.done.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._fit_pending = True

        self.vb = _TimeViewBox()
        self.vb.setMouseEnabled(x=True, y=False)
        self.vb.invertY(True)
        self.vb.rangeDragged.connect(self._on_range_drag)
        self._axis = _DateAxis(orientation="bottom", utcOffset=0)
        self._lanes_axis = _LaneAxis("left")
        self._lanes_axis.setStyle(tickLength=0, autoExpandTextSpace=False)
        self._lanes_axis.setWidth(190)
        self.plot = pg.PlotWidget(viewBox=self.vb, axisItems={"bottom": self._axis, "left": self._lanes_axis})
        self.plot.setBackground("w")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        pi = self.plot.getPlotItem()
        for name in ("bottom", "left"):
            ax = pi.getAxis(name)
            ax.setPen(pg.mkPen("#90969c"))
            ax.setTextPen(pg.mkPen(style.LABEL_COLOR))
            ax.setStyle(tickFont=style.pixel_font(style.TICK_PX))
        self.item = _TimelineItem(self)
        self.vb.addItem(self.item)
        self._stripes: list[pg.QtWidgets.QGraphicsRectItem] = []
        self.region = pg.LinearRegionItem(
            orientation="vertical",
            brush=pg.mkBrush(style.color(style.RANGE_COLOR, 40)),
            pen=pg.mkPen(style.RANGE_COLOR, width=1.5),
            movable=True,
        )
        self.region.setZValue(-5)
        self.region.hide()
        self.region.sigRegionChangeFinished.connect(self._on_region_moved)
        self.vb.addItem(self.region, ignoreBounds=True)
        self._setting_region = False

        self.legend = style.Legend(_legend_swatches())
        # parent first: that hands ownership to Qt, so Python never frees it a second time after the scene
        self.legend.setParentItem(pi)
        pi.layout.addItem(self.legend, 4, 1)

        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)

        # header: status, range mode, zoom to fit, undated items
        self.status = QLabel("No case open")
        self.status.setStyleSheet("color: #5f6368;")
        self.range_button = QToolButton(text="Select range", checkable=True)
        self.range_button.setToolTip(
            "Drag on the timeline to select a time range (or hold Shift while dragging)"
        )
        self.range_button.toggled.connect(self._set_range_mode)
        self.fit_button = QToolButton(text="Fit")
        self.fit_button.setToolTip("Zoom to fit the whole case (Home)")
        self.fit_button.clicked.connect(self.zoom_to_fit)
        self.unknown_button = QToolButton(text="No date: 0")
        self.unknown_button.setToolTip("Items with unknown dates, which the timeline cannot place")
        self.unknown_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.unknown_menu = QMenu(self)
        self.unknown_button.setMenu(self.unknown_menu)
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 4, 0)
        head.addWidget(self.status, 1)
        head.addWidget(self.unknown_button)
        head.addWidget(self.range_button)
        head.addWidget(self.fit_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(self.plot, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setFocusProxy(self)

        selection.changed.connect(self._on_selection)

    # -- public API ----------------------------------------------------------------------------------------------
    _load = staticmethod(_load_timeline)
    _patch = staticmethod(patch_timeline)
    draws = TIMELINE_DRAWS

    def zoom_to_fit(self) -> None:
        span = self.data.span() if self.data else None
        if span is None:
            return
        lo, hi = span[0], span[1] + 1
        pad = max(1.0, (hi - lo) * 0.04)
        self.vb.setXRange((lo - pad) * DAY, (hi + pad) * DAY, padding=0)
        self._fit_lanes()

    def highlighted_ids(self, table: str) -> set[str]:
        """Ids drawn highlighted (related to the selection); empty when nothing is selected."""
        if self.data is None or table not in self.highlight:
            return set()
        marks = self.data.marks(table)
        return marks.ids_at(np.flatnonzero(self.highlight[table]), self._conn())

    def lane_of(self, table: str, row_id: str) -> str | None:
        """Label of the lane an item is drawn in (for tests and tooltips)."""
        if self.data is None:
            return None
        marks = self.data.marks(table)
        i = marks.get(row_id, self._conn())
        return None if i is None else self.data.lanes[int(marks.lane[i])].label

    def _conn(self) -> sqlite3.Connection | None:
        return self.case.conn if self.case is not None else None

    def select_time_range(self, x0: float, x1: float) -> None:
        """Select the days between two axis positions (seconds), as a finished range drag does."""
        self._on_range_drag(x0, x1, True)

    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the current figure with its legend as vectors into ``target`` (e.g. a QPdfWriter page)."""
        style.render_plot(self.plot, painter, target, title=title, on_scale=self._set_export_scale)

    def _set_export_scale(self, px: float) -> None:
        self.item.px = px
        self.item.invalidate()

    # -- loading -------------------------------------------------------------------------------------------------
    def _on_loaded(self, gen: int, data: TimelineData) -> None:
        if gen != self._gen:
            return  # a newer request is under way
        self._apply(data)

    def _on_failed(self, gen: int, message: str) -> None:
        if gen == self._gen:
            self.status.setText(f"Could not load the timeline: {message}")

    def _apply(self, data: TimelineData | None) -> None:
        self.data = data
        self._update_lanes()
        self._update_unknown()
        self._update_highlight()
        if data is not None:
            n = len(data.events) + len(data.legs) + len(data.statements)
            self.status.setText(
                f"{len(data.events):,} events, {len(data.legs):,} legs, {len(data.statements):,} statements"
                if n
                else "Nothing dated yet"
            )
            if self._fit_pending:
                self._fit_pending = False
                self.zoom_to_fit()
        else:
            self.status.setText("No case open")
        self._show_range(self.selection.selection)
        self.loaded.emit()

    def _update_lanes(self) -> None:
        for r in self._stripes:
            self.vb.removeItem(r)
        self._stripes = []
        lanes = self.data.lanes if self.data else []
        fm = pg.QtGui.QFontMetrics(self._lanes_axis.style.get("tickFont") or self.font())
        room = self._lanes_axis.width() - 14
        ticks = [
            (i, fm.elidedText(lane.label, Qt.TextElideMode.ElideRight, room)) for i, lane in enumerate(lanes)
        ]
        self._lanes_axis.setTicks([ticks, []])
        for i in range(0, len(lanes), 2):
            stripe = pg.QtWidgets.QGraphicsRectItem(QRectF(-1e12, i - 0.5, 2e12, 1.0))
            stripe.setPen(QPen(Qt.PenStyle.NoPen))
            stripe.setBrush(QColor(style.LANE_STRIPE))
            stripe.setZValue(-10)
            self.vb.addItem(stripe, ignoreBounds=True)
            self._stripes.append(stripe)
        self._fit_lanes()

    def _fit_lanes(self) -> None:
        n = len(self.data.lanes) if self.data else 1
        self.vb.setYRange(-0.5, max(1, n) - 0.5, padding=0.02)

    def _update_unknown(self) -> None:
        self.unknown_menu.clear()
        data = self.data
        total = data.unknown_total if data else 0
        self.unknown_button.setText(f"No date: {total:,}")
        self.unknown_button.setEnabled(total > 0)
        if not data:
            return
        for item in data.unknown:
            action = self.unknown_menu.addAction(f"{item.table[:-1].capitalize()}: {item.label}")
            action.triggered.connect(
                lambda _=False, t=item.table, i=item.id: self.selection.select_item(t, i, self)
            )
        if total > len(data.unknown):
            more = self.unknown_menu.addAction(f"\u2026 and {total - len(data.unknown):,} more")
            more.setEnabled(False)

    # -- selection -----------------------------------------------------------------------------------------------
    def _on_selection(self, sel: Selection, origin: object) -> None:
        self._show_range(sel)
        if origin is self:
            return
        self._update_highlight()

    def highlight_positions(self, kind: str) -> np.ndarray:
        """Positions of the highlighted items of ``kind`` (cached per highlight)."""
        got = self._hl_positions.get(kind)
        if got is None:
            mask = self.highlight.get(kind)
            got = np.flatnonzero(mask) if mask is not None else np.zeros(0, dtype=np.int64)
            self._hl_positions[kind] = got
        return got

    def _update_highlight(self) -> None:
        rel: Related | None = self.selection.related
        self.highlight = {}
        self._hl_positions: dict[str, np.ndarray] = {}
        if rel is not None and self.data is not None:
            for kind in KINDS:
                marks = self.data.marks(kind)
                rowids = rel.rowids_of(kind)
                if rowids is not None:  # read with the related ids: a numpy lookup, no text ids involved
                    pos = marks.rowid_index.positions(rowids)
                else:
                    pos = marks.positions_of(rel.ids(kind), self._conn())
                mask = np.zeros(len(marks), dtype=bool)
                mask[pos] = True
                self.highlight[kind] = mask
        self.version += 1
        self.item.invalidate()

    def _show_range(self, sel: Selection) -> None:
        self._setting_region = True
        try:
            if sel.time_range is None:
                self.region.hide()
            else:
                lo, hi = sel.time_range
                self.region.setRegion((lo * DAY, (hi + 1) * DAY))
                self.region.show()
        finally:
            self._setting_region = False

    def _on_range_drag(self, x0: float, x1: float, finished: bool) -> None:
        lo, hi = sorted((x0, x1))
        self._setting_region = True
        self.region.setRegion((lo, hi))
        self.region.show()
        self._setting_region = False
        if finished:
            d0, d1 = math.floor(lo / DAY), math.floor(hi / DAY)
            if hi - lo < DAY * 0.25:
                d1 = d0
            self.selection.select_range(d0, d1, self)
            self._update_highlight()
            self._show_range(self.selection.selection)

    def _on_region_moved(self) -> None:
        if self._setting_region or not self.region.isVisible():
            return
        lo, hi = self.region.getRegion()
        self.selection.select_range(math.floor(lo / DAY + 0.5), math.floor(hi / DAY + 0.5) - 1, self)
        self._update_highlight()

    def _set_range_mode(self, on: bool) -> None:
        self.vb.range_mode = on

    # -- mouse and keys --------------------------------------------------------------------------------------------
    def _hit_scene(self, scene_pos: QPointF) -> tuple[str, int] | None:
        view = self.plot
        t = self.item.deviceTransform(view.viewportTransform())
        return self.item.hit(QPointF(view.mapFromScene(scene_pos)), t)

    def _on_click(self, ev) -> None:  # noqa: ANN001 - pyqtgraph MouseClickEvent
        if ev.button() != Qt.MouseButton.LeftButton or self.data is None:
            return
        if not self.vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        hit = self._hit_scene(ev.scenePos())
        if hit is not None:
            ev.accept()
            self.click_item(*hit)

    def click_item(self, kind: str, index: int) -> None:
        """Select the item at ``index`` of kind ``kind`` as a click on it does."""
        assert self.data is not None
        row_id = self.data.marks(kind).id_at(index, self._conn())
        if row_id is None:
            return
        self.selection.select_item(kind, row_id, self)
        self._update_highlight()

    def _on_hover(self, scene_pos: QPointF) -> None:
        if self.data is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return
        hit = self._hit_scene(scene_pos)
        if hit is None:
            QToolTip.hideText()
            return
        kind, index = hit
        row_id = self.data.marks(kind).id_at(index, self._conn())
        text = self.describe(kind, row_id) if row_id else ""
        QToolTip.showText(self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), text, self.plot)

    def describe(self, table: str, row_id: str) -> str:
        """Tooltip text for one item, read from the case on demand (titles are not loaded in bulk)."""
        if self.case is None:
            return ""
        conn = self.case.conn
        try:
            if table == "events":
                row = conn.execute("SELECT title, date FROM events WHERE id = ?", [row_id]).fetchone()
                return f"{row[0]}\n{_date_text(row[1])}" if row else ""
            if table == "statements":
                row = conn.execute(
                    "SELECT coalesce(a.name, 'Unknown speaker'), t.text, t.said, t.kind FROM statements t "
                    "LEFT JOIN actors a ON a.id = t.speaker_id WHERE t.id = ?",
                    [row_id],
                ).fetchone()
                if not row:
                    return ""
                quoted = f"\u201c{_short(row[1], 120)}\u201d" if row[3] == "quote" else _short(row[1], 120)
                return f"{row[0]}, {_date_text(row[2])}:\n{quoted}"
            if table == "legs":
                row = conn.execute(
                    "SELECT coalesce(f.name, '?'), coalesce(t.name, '?'), l.mode, l.depart, l.arrive FROM legs l "
                    "LEFT JOIN places f ON f.id = l.from_place_id LEFT JOIN places t ON t.id = l.to_place_id "
                    "WHERE l.id = ?",
                    [row_id],
                ).fetchone()
                if not row:
                    return ""
                return f"{row[0]} \u2192 {row[1]} by {row[2]}\ndeparted {_date_text(row[3])}, arrived {_date_text(row[4])}"
            if table == "shipments":
                row = conn.execute(
                    "SELECT coalesce(nullif(title, ''), cargo), date FROM shipments WHERE id = ?", [row_id]
                ).fetchone()
                return f"Shipment: {row[0]}\n{_date_text(row[1])}" if row else ""
        except sqlite3.Error:
            return ""
        return ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        (x0, x1), _ = self.vb.viewRange()
        w = x1 - x0
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.vb.scaleBy(x=0.7, y=1)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.vb.scaleBy(x=1 / 0.7, y=1)
        elif key == Qt.Key.Key_Left:
            self.vb.translateBy(x=-0.15 * w)
        elif key == Qt.Key.Key_Right:
            self.vb.translateBy(x=0.15 * w)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.zoom_to_fit()
        elif key == Qt.Key.Key_Escape:
            if self.selection.selection.time_range is not None:
                self.selection.clear_range(self)
            else:
                self.selection.clear(self)
            self._update_highlight()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


def _short(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _date_text(edtf: str | None) -> str:
    if not edtf:
        return "date unknown"
    try:
        return PartialDate.from_edtf(edtf).display()
    except ValueError:
        return edtf
