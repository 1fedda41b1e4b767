"""The map sketch: places as pins and shipment legs as arrows over an offline basemap, in longitude/latitude.

Degrees of longitude shrink with latitude, so the view's aspect is locked to 1/cos(mid-latitude) of the case:
shapes read right around the case without a projection library.

Drawing is split by cost. The basemap, graticule and legs (50,000 legs on a large case) are painted by one
``_Layer`` item per view into a cached image covering the view plus a margin; while the view pans or zooms that
image is only stretched onto the screen, and it is painted again shortly after the view comes to rest (or at
once when the data or the highlighting change). Legs with the same ends and mode are drawn as one line, wider
the more legs it carries; antialiasing is left off above ``AA_LIMIT`` lines and arrowheads above
``ARROW_LIMIT``. Pins are one scatter item with a few shared symbols. Labels are placed greedily for the most
relevant visible places only, so they never pile up. For a PDF the same layer paints vectors, clipped to the view.

When the places with legs include a tight cluster (its box under 1/8 of the fitted extent, as the Najin - Dunay
port pair of the demo against its Tikhoretsk end), a detail inset shows it zoomed in, drawn by the same items.

Loading runs on the thread pool with its own read-only connection; a result for an older request is dropped.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from caseboard.db.case import Case
from caseboard.db.plotdata import MapData, map_data
from caseboard.db.plotpatch import MAP_DRAWS, patch_map
from caseboard.db.schema import LEG_MODES, PLACE_PRECISIONS
from caseboard.gui.panels import style
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.workers import BackgroundLoadedPanel, PanelLoader
from caseboard.resources.basemap import Basemap, clip, load_basemap

MAX_LABELS = 40
INSET_LABELS = 12
ARROW_LIMIT = 2000  # above this many legs in view, arrowheads are left off (the lines still show)
DASH_LIMIT = 1500  # above this many lines shown, they are drawn solid: Qt dashes long lines slowly
AA_LIMIT = 4000  # above this many lines shown, they are drawn without antialiasing
# wide enough to centre the whole world in a tall, narrow panel with the aspect locked
LON_LIMIT = 400.0
LAT_LIMIT = 400.0
CROWDED_OPACITY = 0.45  # legs drawn translucent when there are so many they would bury the pins and labels
PIN_PX = 9
APPROX_PX = 16
REGION_PX = 26
CLUSTER_FRACTION = 1 / 8  # a cluster's box against the fitted extent, for the detail inset
CACHE_MARGIN = 0.25  # the cached layer image covers this much more than the view on each side
_APPROX = PLACE_PRECISIONS.index("approximate")
_REGION = PLACE_PRECISIONS.index("region")


def _arrow_symbols(n: int = 36) -> list[QPainterPath]:
    """Chevron arrowheads pointing in ``n`` screen directions (ScatterPlotItem cannot rotate one symbol)."""
    base = QPainterPath()
    base.moveTo(0.5, 0.0)
    base.lineTo(-0.5, 0.38)
    base.lineTo(-0.25, 0.0)
    base.lineTo(-0.5, -0.38)
    base.closeSubpath()
    out = []
    for k in range(n):
        tr = QTransform()
        tr.rotate(-360.0 * k / n)  # symbol space has y pointing down the screen
        out.append(tr.map(base))
    return out


_ARROWS: list[QPainterPath] | None = None
_ARROW_BRUSHES: np.ndarray | None = None
_NO_PEN = QPen(Qt.PenStyle.NoPen)  # shared, as the brushes: the symbol atlas keys on the pen object too


def _arrow_brushes() -> np.ndarray:
    """Brushes for arrowheads, at index mode * 2 + lit (dimmed, then full colour), shared by every arrow."""
    global _ARROW_BRUSHES
    if _ARROW_BRUSHES is None:
        out = np.empty(2 * len(LEG_MODES), dtype=object)
        for code in range(len(LEG_MODES)):
            out[2 * code] = style.mode_brush(code, style.DIM_ALPHA)
            out[2 * code + 1] = style.mode_brush(code, 255)
        _ARROW_BRUSHES = out
    return _ARROW_BRUSHES


def _decimate(lines: np.ndarray, step: int) -> np.ndarray:
    """Every ``step``-th vertex of NaN-separated polylines, always keeping each line's ends and separators."""
    if step <= 1 or not len(lines):
        return np.asarray(lines)
    gap = np.isnan(lines[:, 0])
    edge = gap | np.roll(gap, 1) | np.roll(gap, -1)
    edge[0] = edge[-1] = True
    keep = edge | (np.arange(len(lines)) % step == 0)
    return np.asarray(lines)[keep]


def clamp_rings(rings: np.ndarray, lon0: float, lon1: float, lat0: float, lat1: float) -> np.ndarray:
    """Land rings cut down to a box for filling, still NaN-separated closed rings.

    ``basemap.clip`` drops the vertices outside the box, which suits lines but would join a ring's pieces by
    chords across the land. Here rings wholly outside the box are dropped and the outside vertices of the rest
    are pushed onto the box edge (runs along one edge thinned to their ends), so the filled area inside the
    box is unchanged when the box has a margin of a few degrees around what is shown (vertices are closer).
    """
    a = np.asarray(rings, dtype=np.float64)
    if not len(a):
        return np.empty((0, 2))
    gap = np.isnan(a[:, 0])
    ring_id = np.cumsum(gap)
    with np.errstate(invalid="ignore"):
        inside = (a[:, 0] >= lon0) & (a[:, 0] <= lon1) & (a[:, 1] >= lat0) & (a[:, 1] <= lat1)
    n_rings = int(ring_id[-1]) + 1
    # keep rings with a vertex inside, or whose box holds the clip box (a view inside a continent)
    lo_x = np.full(n_rings, np.inf)
    hi_x = np.full(n_rings, -np.inf)
    lo_y = np.full(n_rings, np.inf)
    hi_y = np.full(n_rings, -np.inf)
    ok = ~gap
    np.minimum.at(lo_x, ring_id[ok], a[ok, 0])
    np.maximum.at(hi_x, ring_id[ok], a[ok, 0])
    np.minimum.at(lo_y, ring_id[ok], a[ok, 1])
    np.maximum.at(hi_y, ring_id[ok], a[ok, 1])
    touches = (lo_x <= lon1) & (hi_x >= lon0) & (lo_y <= lat1) & (hi_y >= lat0)
    has_inside = np.zeros(n_rings, dtype=bool)
    has_inside[ring_id[inside]] = True
    covers = (lo_x <= lon0) & (hi_x >= lon1) & (lo_y <= lat0) & (hi_y >= lat1)
    keep_ring = touches & (has_inside | covers)
    keep = keep_ring[ring_id] & ok
    b = a.copy()
    b[:, 0] = np.clip(b[:, 0], lon0, lon1)
    b[:, 1] = np.clip(b[:, 1], lat0, lat1)
    # thin runs of clamped vertices lying on one edge: a vertex whose neighbours sit on the same edge goes
    on_x = (b[:, 0] == lon0) | (b[:, 0] == lon1)
    on_y = (b[:, 1] == lat0) | (b[:, 1] == lat1)
    same_x = on_x & (np.roll(b[:, 0], 1) == b[:, 0]) & (np.roll(b[:, 0], -1) == b[:, 0])
    same_y = on_y & (np.roll(b[:, 1], 1) == b[:, 1]) & (np.roll(b[:, 1], -1) == b[:, 1])
    keep &= ~(same_x | same_y)
    keep |= gap & keep_ring[ring_id]
    out = b[keep]
    return out


class _Boxes:
    """Rectangles taken by pins and labels, as arrays, for testing a label against all of them at once.

    A candidate is blocked as ``any(rect.intersects(r) for r in taken if not r.contains(point))`` would say with
    QRectF (the same arithmetic: a null rectangle neither intersects nor contains anything)."""

    def __init__(self, capacity: int) -> None:
        self.a = np.empty((max(1, capacity), 4))  # x, y, width, height
        self.n = 0

    def append(self, r: QRectF) -> None:
        if self.n == len(self.a):
            self.a = np.concatenate([self.a, np.empty_like(self.a)])
        self.a[self.n] = (r.x(), r.y(), r.width(), r.height())
        self.n += 1

    def free(self, rects: list[QRectF], px: float, py: float) -> int | None:
        """Index of the first of ``rects`` that no taken rectangle blocks, or None."""
        a = self.a[: self.n]
        x, y, w, h = a[:, 0], a[:, 1], a[:, 2], a[:, 3]
        r, b = x + w, y + h  # rectangles are built with non-negative sizes here
        real = (r != x) & (b != y)
        holds = real & (px >= x) & (px <= r) & (py >= y) & (py <= b)
        x, y, r, b = x[~holds & real], y[~holds & real], r[~holds & real], b[~holds & real]
        c = np.array([(q.x(), q.y(), q.width(), q.height()) for q in rects], dtype=np.float64)
        cx, cy = c[:, 0:1], c[:, 1:2]
        cr, cb = cx + c[:, 2:3], cy + c[:, 3:4]
        hits = (cx < r) & (x < cr) & (cy < b) & (y < cb)
        ok = ~hits.any(axis=1) | (cr[:, 0] == cx[:, 0]) | (cb[:, 0] == cy[:, 0])
        first = np.flatnonzero(ok)
        return int(first[0]) if len(first) else None


class _DegreeAxis(pg.AxisItem):
    """Ticks as 130°E / 42°N rather than bare numbers."""

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


def _pin_swatch(p: QPainter, r: QRectF) -> None:
    p.setPen(QPen(QColor("white"), 1.2))
    p.setBrush(QColor(style.PLACE_COLOR))
    p.drawEllipse(r.center(), 4.5, 4.5)


def _approx_swatch(p: QPainter, r: QRectF) -> None:
    # an opaque light fill: a PDF keeps it pale (alpha fills may print solid in some viewers and printers)
    p.setBrush(QColor("#dfe2e5"))
    pen = QPen(QColor(style.PLACE_COLOR), 1.3, Qt.PenStyle.CustomDashLine)
    pen.setDashPattern([2.5, 2.0])
    p.setPen(pen)
    p.drawEllipse(r.center(), 7, 7)


@dataclass
class _Segments:
    """Legs merged by (from, to, mode): one line per pair of places and mode, with how many legs it carries."""

    leg_seg: np.ndarray  # per leg: index of its segment
    frm: np.ndarray
    to: np.ndarray
    mode: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, d: MapData) -> _Segments:
        n = max(1, len(d.lon))
        key = (d.leg_from.astype(np.int64) * n + d.leg_to.astype(np.int64)) * len(LEG_MODES) + d.leg_mode
        uniq, inv, count = np.unique(key, return_inverse=True, return_counts=True)
        mode = (uniq % len(LEG_MODES)).astype(np.int8)
        pair = uniq // len(LEG_MODES)
        return cls(inv.reshape(-1), (pair // n).astype(np.int64), (pair % n).astype(np.int64), mode, count)

    def mask(self, leg_mask: np.ndarray) -> np.ndarray:
        """Segments carrying at least one leg of ``leg_mask``."""
        out = np.zeros(len(self.frm), dtype=bool)
        out[self.leg_seg[leg_mask]] = True
        return out


class _BasemapPaths:
    """The basemap as QPainterPaths in degrees, at three levels of detail, built once and shared by all views."""

    LEVELS = ((8, 100.0), (3, 25.0), (1, 0.0))  # (every n-th vertex, for view spans from this many degrees)

    def __init__(self, bm: Basemap | None) -> None:
        self.bm = bm
        self.levels: list[tuple[float, int, QPainterPath, QPainterPath, QPainterPath]] = []
        if bm is None:
            return
        for step, min_span in self.LEVELS:
            land = QPainterPath()
            if len(bm.land):
                a = _decimate(bm.land, step)
                land = pg.arrayToQPath(a[:, 0].astype(float), a[:, 1].astype(float), connect="finite")
                land.setFillRule(Qt.FillRule.OddEvenFill)
            lines = []
            for arr in (bm.borders, bm.coast):
                a = _decimate(arr, step)
                lines.append(pg.arrayToQPath(a[:, 0].astype(float), a[:, 1].astype(float), connect="finite"))
            self.levels.append((min_span, step, land, lines[0], lines[1]))

    def level(self, span: float) -> int:
        return next((i for i, lv in enumerate(self.levels) if span >= lv[0]), len(self.levels) - 1)


_PATHS: _BasemapPaths | None = None


def _basemap_paths() -> _BasemapPaths:
    global _PATHS
    if _PATHS is None:
        try:
            bm = load_basemap()
        except (OSError, KeyError, ValueError):  # a missing basemap must not take the map down
            bm = None
        _PATHS = _BasemapPaths(bm)
    return _PATHS


def _graticule_step(span: float) -> float:
    return 10 if span > 40 else 5 if span > 15 else 2 if span > 6 else 1


class _Layer(pg.GraphicsObject):
    """Basemap, graticule and legs of one view (see the module docstring), as vectors when exporting.

    On screen it keeps three cached images, each painted again only when needed: the basemap (after the view
    moves), the legs (after the view moves or what is shown changes) and the highlighted legs (after the
    selection changes too). Dimming the legs for a selection is drawing their image translucent, so selecting
    an item repaints only its own few lines, not 50,000.
    """

    PARTS = ("base", "legs", "hl")

    def __init__(self, panel: MapPanel, vb: pg.ViewBox) -> None:
        super().__init__()
        self.panel, self.vb = panel, vb
        # part -> [image, its area in degrees, the view key it was painted for, dirty]
        self._parts: dict[str, list] = {k: [None, QRectF(), None, True] for k in self.PARTS}
        self.renders = 0  # how many times an image was painted (for tests and the bench notes)
        self._timer = QTimer(singleShot=True, interval=120)
        self._timer.timeout.connect(self._refine)
        vb.sigRangeChanged.connect(lambda *_: self._timer.start())
        vb.sigResized.connect(lambda *_: self._timer.start())
        self.setZValue(-30)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-LON_LIMIT, -LAT_LIMIT, 2 * LON_LIMIT, 2 * LAT_LIMIT)

    def invalidate(self, parts: tuple[str, ...] = PARTS) -> None:
        for k in parts:
            self._parts[k][3] = True
        self.update()

    def _key(self) -> tuple:
        r = self.vb.viewRect()
        return (round(r.x(), 9), round(r.y(), 9), round(r.width(), 9), round(r.height(), 9),
                int(self.vb.width()), int(self.vb.height()))  # fmt: skip

    def _refine(self) -> None:
        key = self._key()
        stale = [k for k, part in self._parts.items() if part[2] != key]
        if stale and self.isVisible():
            self.invalidate(tuple(stale))

    def paint(self, p: QPainter, *args) -> None:  # noqa: ANN002
        if self._exportOpts:
            self._paint_vector(p)
            return
        dim = self.panel.seg_hl is not None
        for name in self.PARTS:
            if name == "hl" and not dim:
                continue
            part = self._parts[name]
            if part[3] or part[0] is None:
                self._render(name)
            img, r = part[0], part[1]
            if img is None:
                continue
            p.save()
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # a stretched frame is brief
            if name == "legs" and dim:
                p.setOpacity(style.DIM_ALPHA / 255)
            elif name == "legs" and len(self.panel.seg_shown) and self.panel.seg_shown.sum() > AA_LIMIT:
                p.setOpacity(CROWDED_OPACITY)
            p.translate(r.left(), r.bottom())
            p.scale(r.width() / img.width(), -r.height() / img.height())
            p.drawImage(0, 0, img)
            p.restore()

    def _render(self, name: str) -> None:
        part = self._parts[name]
        part[3] = False
        w, h = self.vb.width(), self.vb.height()
        view = self.vb.viewRect()
        if w < 2 or h < 2 or view.width() <= 0 or view.height() <= 0:
            part[0] = None
            return
        m = CACHE_MARGIN
        area = view.adjusted(-m * view.width(), -m * view.height(), m * view.width(), m * view.height())
        iw, ih = int(w * (1 + 2 * m)), int(h * (1 + 2 * m))
        img = QImage(iw, ih, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        sx, sy = iw / area.width(), ih / area.height()
        tr = QTransform(sx, 0, 0, -sy, -area.left() * sx, area.bottom() * sy)
        qp = QPainter(img)
        try:
            self.panel._paint_layer(qp, tr, area, 1.0, part=name)
        finally:
            qp.end()
        part[0], part[1], part[2] = img, area, self._key()
        self.renders += 1

    def _paint_vector(self, p: QPainter) -> None:
        tr = p.transform()  # degrees -> device units
        view = self.vb.viewRect()
        xpx, _ = self.vb.viewPixelSize()
        px = abs(tr.m11()) * xpx  # device units per screen pixel
        p.save()
        p.setClipRect(view, Qt.ClipOperation.IntersectClip)  # the view box does not clip while exporting
        p.resetTransform()
        self.panel._paint_layer(p, tr, view, px, part="export")
        p.restore()


class _MapViewBox(pg.ViewBox):
    """A ViewBox that lets the panel take left-button drags that start on a pin (moving a place)."""

    def __init__(self, panel: MapPanel | None = None, **kw) -> None:  # noqa: ANN003
        super().__init__(**kw)
        self.panel = panel

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: ANN001, N802 - pyqtgraph API
        if self.panel is not None and self.panel._drag_event(ev):
            return
        super().mouseDragEvent(ev, axis)


@dataclass
class _View:
    """One view of the map (the main one or the detail inset): its ViewBox and the items drawing into it."""

    vb: pg.ViewBox
    layer: _Layer
    pins: list  # one scatter item per pin style (kind * 2 + lit), see MapPanel._pin_styles
    arrows: pg.ScatterPlotItem
    labels: list
    max_labels: int
    #: what the arrowheads were laid out for: (view key, the data and masks they were computed from)
    arrows_state: tuple | None = None


class MapPanel(BackgroundLoadedPanel, QWidget):
    """Places and legs of the case on a basemap; see the module docstring.

    Signals:

    * ``loaded()`` after new data are applied.
    * ``place_requested(lat, lon)``: the user asks for a new place there, by double-clicking empty map or by
      clicking anywhere while the "Add place" button is on (it stays on for more places; Esc leaves it).
    * ``pin_moved(place_id, lat, lon)``: the user dragged a pin with the left button and let go there. Only
      while ``editable`` is True; during the drag a pin follows the mouse, and Esc cancels the drag.

    The panel itself never writes to the case: the window connects these signals to its edit actions.
    """

    loaded = Signal()
    place_requested = Signal(float, float)
    pin_moved = Signal(str, float, float)

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self.data: MapData | None = None
        self.segments: _Segments | None = None
        #: which places/legs are drawn at all (a time range hides the rest) and which are highlighted
        self.place_shown = np.zeros(0, dtype=bool)
        self.leg_shown = np.zeros(0, dtype=bool)
        self.place_hl: np.ndarray | None = None
        self.leg_hl: np.ndarray | None = None
        self.seg_shown = np.zeros(0, dtype=bool)
        self.seg_hl: np.ndarray | None = None
        #: the places the detail inset shows, as (lon0, lon1, lat0, lat1), or None without a tight cluster
        self.cluster: tuple[float, float, float, float] | None = None
        #: while True, moving a pin with the mouse emits ``pin_moved``
        self.editable = False
        self._gen = 0
        self._loader = PanelLoader(self)
        self._loader.done.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._fit_pending = True
        self._fit_target: list[list[float]] = []
        self._auto_fit = False  # True from zoom_to_fit until the user moves the view: a resize fits again
        self._ratio = 1.0
        self._drag: dict | None = None
        self._paths = _basemap_paths()
        self._label_font = style.pixel_font(style.PLACE_LABEL_PX, self.font())
        self._pin_style_cache: dict[bool, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

        self.plot = pg.PlotWidget(
            viewBox=_MapViewBox(self),
            axisItems={"bottom": _DegreeAxis("bottom"), "left": _DegreeAxis("left")},
            background=style.WATER,
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        pi = self.plot.getPlotItem()
        for name in ("bottom", "left"):
            ax = pi.getAxis(name)
            ax.setPen(pg.mkPen("#b0b5ba"))
            ax.setTextPen(pg.mkPen("#6b7278"))
            ax.setStyle(tickFont=style.pixel_font(style.TICK_PX))
        self.vb = pi.getViewBox()
        self.main = self._make_view(self.vb, MAX_LABELS)

        # the detail inset: a second view box over a corner of the map, with the same items
        inset_vb = pg.ViewBox(enableMouse=False, enableMenu=False, defaultPadding=0)
        inset_vb.setParentItem(self.vb)
        inset_vb.setZValue(1000)
        inset_vb.setBackgroundColor(style.WATER)
        inset_vb.setBorder(pg.mkPen("#7b868f", width=1))
        inset_vb.hide()
        self.inset = self._make_view(inset_vb, INSET_LABELS)
        self.inset_marker = QGraphicsRectItem()
        marker_pen = QPen(QColor("#7b868f"), 1.2)
        marker_pen.setCosmetic(True)
        self.inset_marker.setPen(marker_pen)
        self.inset_marker.setZValue(12)
        self.inset_marker.hide()
        self.vb.addItem(self.inset_marker, ignoreBounds=True)
        self._drag_pin = pg.ScatterPlotItem(pxMode=True, size=PIN_PX + 4, symbol="o")
        self._drag_pin.setZValue(30)
        self._drag_pin.hide()
        self.vb.addItem(self._drag_pin, ignoreBounds=True)
        for vb in (self.vb, inset_vb):
            vb.setAspectLocked(True, 1.0)
            vb.setLimits(
                xMin=-LON_LIMIT,
                xMax=LON_LIMIT,
                yMin=-LAT_LIMIT,
                yMax=LAT_LIMIT,
                minXRange=0.02,
                minYRange=0.02,
            )

        self._label_timer = QTimer(self, singleShot=True, interval=40)
        self._label_timer.timeout.connect(self._after_view_change)
        self.vb.sigRangeChanged.connect(lambda *_: self._label_timer.start())
        self.vb.sigRangeChangedManually.connect(self._user_moved)
        self._fit_timer = QTimer(self, singleShot=True, interval=30)
        self._fit_timer.timeout.connect(self._refit)
        self.vb.sigResized.connect(lambda *_: self._fit_timer.start())

        entries = [
            (style.MODE_STYLES[m].label, lambda p, r, m=m: style.paint_mode_sample(p, r, m))
            for m in LEG_MODES
        ]
        entries += [("place", _pin_swatch), ("\u2248 approximate / region", _approx_swatch)]
        self.legend = style.Legend(entries)
        # parent first: that hands ownership to Qt, so Python never frees it a second time after the scene
        self.legend.setParentItem(pi)
        pi.layout.addItem(self.legend, 4, 1)

        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)

        self.status = QLabel("No case open")
        self.status.setStyleSheet("color: #5f6368;")
        self.add_button = QToolButton(text="Add place", checkable=True)
        self.add_button.setToolTip("Click on the map to add a place there (Esc leaves this mode)")
        self.add_button.toggled.connect(self._add_mode_toggled)
        self.detail_button = QToolButton(text="Detail", checkable=True, checked=True)
        self.detail_button.setToolTip("Show a zoomed-in inset of a tight cluster of places")
        self.detail_button.toggled.connect(lambda _: self._update_inset())
        self.fit_button = QToolButton(text="Fit")
        self.fit_button.setToolTip("Zoom to fit the places of the case (Home)")
        self.fit_button.clicked.connect(self.zoom_to_fit)
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 4, 0)
        head.addWidget(self.status, 1)
        head.addWidget(self.add_button)
        head.addWidget(self.detail_button)
        head.addWidget(self.fit_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(self.plot, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setFocusProxy(self)
        selection.changed.connect(self._on_selection)

    def _make_view(self, vb: pg.ViewBox, max_labels: int) -> _View:
        layer = _Layer(self, vb)
        vb.addItem(layer, ignoreBounds=True)
        arrows = pg.ScatterPlotItem(pxMode=True, size=11)
        arrows.setZValue(11)  # above the pins: a short leg between two close pins still shows its arrow
        vb.addItem(arrows)
        pins = []
        for code in range(6):
            item = pg.ScatterPlotItem(pxMode=True)
            # approximate places under exact ones (a port pin is never hidden by a region's circle), lit on top
            item.setZValue(10 + 0.2 * (code < 2) + 0.1 * (code % 2))
            vb.addItem(item)
            pins.append(item)
        return _View(vb, layer, pins, arrows, [], max_labels)

    @property
    def views(self) -> tuple[_View, _View]:
        return self.main, self.inset

    # -- public API ----------------------------------------------------------------------------------------------
    _load = staticmethod(map_data)
    _patch = staticmethod(patch_map)
    draws = MAP_DRAWS

    def _fit_box(self) -> tuple[float, float, float, float] | None:
        d = self.data
        if d is None or not len(d.lon):
            return None
        shown = self.place_shown if self.place_shown.any() else np.ones(len(d.lon), dtype=bool)
        lon, lat = d.lon[shown], d.lat[shown]
        return float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())

    def _set_ratio(self, mid_lat: float) -> None:
        mid = max(-80.0, min(80.0, mid_lat))
        self._ratio = 1.0 / max(0.2, math.cos(math.radians(mid)))
        # pyqtgraph locks (y units per pixel) / (x units per pixel); a degree of latitude must be taller on
        # screen than a degree of longitude is wide, by 1/cos(latitude)
        for v in self.views:
            v.vb.setAspectLocked(True, 1.0 / self._ratio)

    def _fit_range(
        self, vb: pg.ViewBox, box: tuple[float, float, float, float], margin: float, min_margin: float
    ) -> None:
        """Show ``box`` with a margin, centred, as large as the view box's pixel size and locked aspect allow."""
        x0, x1, y0, y1 = box
        mx = max((x1 - x0) * margin, min_margin)
        my = max((y1 - y0) * margin, min_margin / self._ratio)
        w_px, h_px = max(vb.width(), 10.0), max(vb.height(), 10.0)
        # degrees of longitude per pixel, so both spans fit; latitude has ratio times as many pixels per degree
        xpx = max((x1 - x0 + 2 * mx) / w_px, (y1 - y0 + 2 * my) * self._ratio / h_px)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w = min(LON_LIMIT, xpx * w_px / 2)
        half_h = min(LAT_LIMIT, xpx / self._ratio * h_px / 2)
        cx = max(-LON_LIMIT + half_w, min(LON_LIMIT - half_w, cx))
        cy = max(-LAT_LIMIT + half_h, min(LAT_LIMIT - half_h, cy))
        vb.setRange(xRange=(cx - half_w, cx + half_w), yRange=(cy - half_h, cy + half_h), padding=0)

    def zoom_to_fit(self) -> None:
        """Show every place drawn (all of them, or those in the selected time range) centred, with a margin."""
        box = self._fit_box()
        if box is None:
            return
        self._set_ratio((box[2] + box[3]) / 2)
        self._fit_range(self.vb, box, 0.08, 1.5)
        # with a locked aspect pyqtgraph may widen one axis without telling the axis items: resync them
        pi = self.plot.getPlotItem()
        for name in ("bottom", "left"):
            pi.getAxis(name).linkedViewChanged(self.vb)
        self._auto_fit = True
        self._fit_target = [list(r) for r in self.vb.targetRange()]
        self._find_cluster()
        self._after_view_change()

    def _refit(self) -> None:
        """After a resize: fit again if the view is still as zoom_to_fit left it (no pan, zoom or setRange)."""
        target = [list(r) for r in self.vb.targetRange()]
        if self._auto_fit and not np.allclose(target, self._fit_target, rtol=1e-6, atol=1e-9):
            self._auto_fit = False
        if self._auto_fit:
            self.zoom_to_fit()
        else:
            self._update_inset()

    def _user_moved(self, *_: object) -> None:
        self._auto_fit = False

    def view_bounds(self) -> tuple[float, float, float, float]:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return x0, x1, y0, y1

    def shown_ids(self, table: str) -> set[str]:
        """Ids of the places or legs drawn at all (a time range selection hides the others)."""
        if self.data is None:
            return set()
        if table == "places":
            return set(self.data.place_ids[self.place_shown].tolist())
        return set(self.data.leg_ids[self.leg_shown].tolist())

    def highlighted_ids(self, table: str) -> set[str]:
        if self.data is None:
            return set()
        mask = self.place_hl if table == "places" else self.leg_hl
        if mask is None:
            return set()
        ids = self.data.place_ids if table == "places" else self.data.leg_ids
        return set(ids[mask].tolist())

    def leg_lines(self, mode: int) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) pairs of the lines drawn for a transport mode (as pyqtgraph's connect="pairs" takes)."""
        if self.segments is None:
            return np.zeros(0), np.zeros(0)
        return self._pairs(self.seg_shown & (self.segments.mode == mode))

    def place_scene_pos(self, place_id: str, *, inset: bool = False) -> QPointF | None:
        """Where a place's pin is in scene coordinates, in the main view or the inset (for tests and tools)."""
        if self.data is None:
            return None
        i = self.data.place_index.get(place_id)
        if i is None:
            return None
        vb = self.inset.vb if inset else self.vb
        return vb.mapViewToScene(QPointF(float(self.data.lon[i]), float(self.data.lat[i])))

    def label_texts(self, *, inset: bool | None = False) -> list[str]:
        """Labels shown in the main view, the inset (``inset=True``) or either (``None``)."""
        views = {False: [self.main], True: [self.inset], None: [self.main, self.inset]}[inset]
        out = []
        for v in views:
            if v is self.inset and not self.inset_visible():
                continue
            out += [t.textItem.toPlainText() for t in v.labels if t.isVisible()]
        return out

    def inset_visible(self) -> bool:
        return self.inset.vb.isVisible()

    def inset_bounds(self) -> tuple[float, float, float, float]:
        (x0, x1), (y0, y1) = self.inset.vb.viewRange()
        return x0, x1, y0, y1

    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the current map with its legend as vectors into ``target`` (e.g. a QPdfWriter page).

        The basemap is clipped to what is shown. A map still fitted to the case is fitted again to the
        target's proportions, with the inset laid out for them.
        """

        def fit() -> None:
            if self._auto_fit:
                self.zoom_to_fit()
            else:
                self._after_view_change()

        def relayout() -> None:
            fit()
            style.settle_axes(self.plot)  # the axes take the room their labels need, then fit again
            fit()

        style.render_plot(self.plot, painter, target, title=title, on_layout=relayout)
        fit()

    # -- loading -------------------------------------------------------------------------------------------------
    def _on_loaded(self, gen: int, data: MapData) -> None:
        if gen != self._gen:
            return
        self._apply(data)

    def _on_failed(self, gen: int, message: str) -> None:
        if gen == self._gen:
            self.status.setText(f"Could not load the map: {message}")

    def _apply(self, data: MapData | None) -> None:
        self.data = data
        self.segments = _Segments.of(data) if data is not None and len(data.leg_ids) else None
        self.seg_shown = np.zeros(0, dtype=bool)  # never equal to the new mask: the legs are painted afresh
        n_places = len(data.lon) if data else 0
        self.place_shown = np.ones(n_places, dtype=bool)
        self.leg_shown = np.ones(len(data.leg_ids) if data else 0, dtype=bool)
        self._update_selection_state()
        for v in self.views:
            v.layer.invalidate()
        if data is None:
            self.status.setText("No case open")
            self.cluster = None
            self._update_inset()
        else:
            missing = []
            if data.unplaced_places:
                missing.append(f"{data.unplaced_places:,} places without coordinates")
            if data.unplaced_legs:
                missing.append(f"{data.unplaced_legs:,} legs not drawn")
            text = f"{n_places:,} places, {len(data.leg_ids):,} legs"
            self.status.setText(text + (f" ({'; '.join(missing)})" if missing else ""))
            if self._fit_pending:
                self._fit_pending = False
                self.zoom_to_fit()
            else:
                self._find_cluster()
                self._update_inset()
        self.loaded.emit()

    # -- drawing -------------------------------------------------------------------------------------------------
    def _update_selection_state(self) -> None:
        """Work out what is shown and highlighted from the selection, then redraw pins, legs and labels."""
        d = self.data
        sel = self.selection.selection
        rel = self.selection.related
        self.place_hl = self.leg_hl = None
        if d is not None:
            self.place_shown = np.ones(len(d.lon), dtype=bool)
            self.leg_shown = np.ones(len(d.leg_ids), dtype=bool)
            if rel is not None:
                place_rel = d.place_index.mask(rel.places)
                leg_rel = d.leg_index.mask(rel.legs)
                if sel.time_range is not None:
                    # a time range filters the map to what happened then
                    self.place_shown, self.leg_shown = place_rel, leg_rel
                if sel.has_item:
                    # a highlighted leg lights up both its ends, even when the selection names only one
                    place_rel = place_rel.copy()
                    place_rel[d.leg_from[leg_rel]] = True
                    place_rel[d.leg_to[leg_rel]] = True
                    self.place_hl, self.leg_hl = place_rel, leg_rel
        seg = self.segments
        old_shown = self.seg_shown
        if seg is not None:
            self.seg_shown = seg.mask(self.leg_shown)
            self.seg_hl = seg.mask(self.leg_shown & self.leg_hl) if self.leg_hl is not None else None
        else:
            self.seg_shown, self.seg_hl = np.zeros(0, dtype=bool), None
        # the legs image only when what is shown changed; a selection alone repaints just the highlighted
        parts = ("hl",) if np.array_equal(old_shown, self.seg_shown) else ("legs", "hl")
        for v in self.views:
            v.layer.invalidate(parts)
        self._draw_pins()
        self._update_arrows()
        self._label_timer.start()

    def _pairs(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d, s = self.data, self.segments
        assert d is not None and s is not None
        f, t = s.frm[mask], s.to[mask]
        x = np.empty(2 * len(f))
        y = np.empty(2 * len(f))
        x[0::2], x[1::2] = d.lon[f], d.lon[t]
        y[0::2], y[1::2] = d.lat[f], d.lat[t]
        return x, y

    def _paint_layer(self, p: QPainter, tr: QTransform, area: QRectF, px: float, *, part: str) -> None:
        """One part of a view's layer inside ``area`` (degrees), mapped by ``tr`` onto a painter with no
        transform of its own; ``px`` is device units per screen pixel. ``part`` is "base" (basemap and
        graticule), "legs" (every shown leg, full colour), "hl" (highlighted legs) or "export" (all, vectors)."""
        export = part == "export"
        if part in ("legs", "hl"):
            self._paint_legs(p, tr, area, px, which=part)
            return
        x0, x1, y0, y1 = area.left(), area.right(), area.top(), area.bottom()
        span = area.width()
        paths = self._paths
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # land, then borders and coast
        if paths.levels:
            lv = paths.level(span * (0.4 if export else 1.0))
            _, step, land, borders, coast = paths.levels[lv]
            if export:
                bm = paths.bm
                assert bm is not None
                pad = max(2.0, 0.1 * span)
                box = (x0 - pad, x1 + pad, y0 - pad, y1 + pad)
                rings = clamp_rings(_decimate(bm.land, step), *box)
                land = pg.arrayToQPath(rings[:, 0], rings[:, 1], connect="finite") if len(rings) else None
                if land is not None:
                    land.setFillRule(Qt.FillRule.OddEvenFill)
                lines = []
                for arr in (bm.borders, bm.coast):
                    a = clip(_decimate(arr, step), *box).astype(float)
                    lines.append(pg.arrayToQPath(a[:, 0], a[:, 1], connect="finite") if len(a) else None)
                borders, coast = lines
            if land is not None:
                p.fillPath(tr.map(land), QColor(style.LAND))
            for path, hexc in ((borders, style.BORDER), (coast, style.COAST)):
                if path is not None:
                    p.strokePath(tr.map(path), QPen(QColor(hexc), px))
        # graticule
        step = _graticule_step(span)
        pen = QPen(QColor(style.GRATICULE), px)
        p.setPen(pen)
        lo_y, hi_y = max(y0, -80.0), min(y1, 80.0)
        for lon in np.arange(math.ceil(x0 / step) * step, x1 + 1e-9, step):
            if -180 <= lon <= 180 and lo_y < hi_y:
                p.drawLine(tr.map(QPointF(lon, lo_y)), tr.map(QPointF(lon, hi_y)))
        for lat in np.arange(math.ceil(y0 / step) * step, y1 + 1e-9, step):
            if -80 <= lat <= 80:
                p.drawLine(tr.map(QPointF(max(x0, -180.0), lat)), tr.map(QPointF(min(x1, 180.0), lat)))
        if export:
            self._paint_legs(p, tr, area, px, which="export")

    def _paint_legs(self, p: QPainter, tr: QTransform, area: QRectF, px: float, *, which: str) -> None:
        """Legs in ``area``: "legs" all shown, undimmed; "hl" the highlighted only; "export" both, dimmed."""
        export = which == "export"
        d, s = self.data, self.segments
        if d is None or s is None or not self.seg_shown.any():
            return
        fx, fy = d.lon[s.frm], d.lat[s.frm]
        tx, ty = d.lon[s.to], d.lat[s.to]
        in_view = (
            self.seg_shown
            & (np.maximum(fx, tx) >= area.left())
            & (np.minimum(fx, tx) <= area.right())
            & (np.maximum(fy, ty) >= area.top())
            & (np.minimum(fy, ty) <= area.bottom())
        )
        n = int(in_view.sum())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, export or n <= AA_LIMIT)
        dashed = n <= DASH_LIMIT
        fast = not export and n > AA_LIMIT
        base_w = 1.8 if dashed else 1.0
        hl = self.seg_hl
        # wider lines for pairs of places many legs run between: 1, 2-3, 4-15, 16 and more
        width_class = np.searchsorted(np.array([2, 4, 16]), s.count, side="right")
        groups = []
        if which in ("legs", "export"):
            groups.append((False, in_view if hl is None or which == "legs" else in_view & ~hl))
        if which in ("hl", "export") and hl is not None:
            groups.append((True, in_view & hl))
        for lit, mask in groups:
            # on screen the dimming is the legs image drawn translucent (see _Layer)
            alpha = 255 if (lit or hl is None or not export) else style.DIM_ALPHA
            for code in range(len(LEG_MODES)):
                for wc in range(4):
                    m = mask & (s.mode == code) & (width_class == wc)
                    if not m.any():
                        continue
                    width = (3.2 if lit else base_w) * (1.0 + 0.45 * wc)
                    pen = style.mode_pen(
                        code, width * px, alpha, dashed=dashed or (lit and int(m.sum()) <= DASH_LIMIT)
                    )
                    pen.setCosmetic(False)
                    if fast:
                        # a crowded raster: opaque hairlines (the colour mixed with the paper for dimming)
                        # take Qt's fastest line path; blending 50,000 translucent wide lines takes seconds
                        c = style.mode_color(code)
                        f = alpha / 255
                        pen.setColor(
                            QColor.fromRgbF(
                                1 - f + f * c.redF(), 1 - f + f * c.greenF(), 1 - f + f * c.blueF()
                            )
                        )
                        if wc == 0 and not lit:
                            pen.setWidth(0)
                            pen.setCosmetic(True)
                    p.setPen(pen)
                    lines = pg.Qt.internals.PrimitiveArray(pg.QtCore.QLineF, 4)
                    lines.resize(int(m.sum()))
                    a = lines.ndarray()
                    # the transform is a scale and a shift (no rotation): map the ends with numpy
                    a[:, 0] = fx[m] * tr.m11() + tr.dx()
                    a[:, 1] = fy[m] * tr.m22() + tr.dy()
                    a[:, 2] = tx[m] * tr.m11() + tr.dx()
                    a[:, 3] = ty[m] * tr.m22() + tr.dy()
                    p.drawLines(*lines.drawargs())

    def _update_arrows(self) -> None:
        """Arrowheads at each shown line's midpoint in view, turned to its direction on screen."""
        global _ARROWS
        d, s = self.data, self.segments
        for v in self.views:
            # nothing they depend on changed (a selection lays them out, then the label timer asks again)
            key = (v.vb.isVisible(), self._ratio, [tuple(r) for r in v.vb.viewRange()])
            refs = (d, s, self.seg_shown, self.seg_hl)
            prev = v.arrows_state
            if (
                prev is not None
                and prev[0] == key
                and all(a is b for a, b in zip(prev[1], refs, strict=True))
            ):
                continue
            v.arrows_state = (key, refs)
            if d is None or s is None or not self.seg_shown.any() or not v.vb.isVisible():
                v.arrows.setData([], [])
                continue
            (vx0, vx1), (vy0, vy1) = v.vb.viewRange()
            fx, fy, tx, ty = d.lon[s.frm], d.lat[s.frm], d.lon[s.to], d.lat[s.to]
            mx, my = (fx + tx) / 2, (fy + ty) / 2
            idx = np.flatnonzero(self.seg_shown & (mx >= vx0) & (mx <= vx1) & (my >= vy0) & (my <= vy1))
            if len(idx) > ARROW_LIMIT:
                if self.seg_hl is None:
                    v.arrows.setData([], [])
                    continue
                idx = idx[self.seg_hl[idx]][:ARROW_LIMIT]
            if _ARROWS is None:
                _ARROWS = _arrow_symbols()
            # on screen a degree of latitude is `ratio` times as tall as a degree of longitude is wide
            ang = np.degrees(np.arctan2((ty[idx] - fy[idx]) * self._ratio, tx[idx] - fx[idx])) % 360.0
            k = np.round(ang / 10.0).astype(int) % len(_ARROWS)
            # one shared brush per (mode, lit): the symbol atlas keys on the brush object, so a fresh brush per
            # arrow would render every arrowhead again
            lit = self.seg_hl[idx] if self.seg_hl is not None else np.ones(len(idx), dtype=bool)
            brushes = _arrow_brushes()[s.mode[idx].astype(np.int64) * 2 + lit]
            v.arrows.setData(
                x=mx[idx], y=my[idx], symbol=[_ARROWS[i] for i in k.tolist()], brush=brushes,
                pen=_NO_PEN, size=12, data=idx,
            )  # fmt: skip

    def _pin_styles(self, dim: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pens, brushes and sizes of pins at index kind * 2 + lit (kinds pin, approx, region), built once per
        ``dim`` and reused: the symbol atlas keys on the pen and brush objects, so shared ones render once."""
        cache = self._pin_style_cache
        if dim not in cache:
            pens = np.empty(6, dtype=object)
            brushes = np.empty(6, dtype=object)
            sizes = np.zeros(6)
            for k, kind in enumerate(("pin", "approx", "region")):
                for on in (False, True):
                    alpha = 255 if on else style.DIM_ALPHA
                    if kind == "pin":
                        pen = pg.mkPen(style.color("#ffffff", alpha), width=1.3)
                        brush = QBrush(style.color(style.PLACE_COLOR, alpha))
                        size = PIN_PX + (3 if dim and on else 0)
                    else:
                        pen = QPen(style.color(style.PLACE_COLOR, alpha), 1.5, Qt.PenStyle.CustomDashLine)
                        pen.setDashPattern([3.0, 2.0])
                        pen.setCosmetic(True)
                        brush = QBrush(style.color(style.PLACE_COLOR, 40 if on else 10))
                        size = REGION_PX if kind == "region" else APPROX_PX
                    pens[k * 2 + on], brushes[k * 2 + on], sizes[k * 2 + on] = pen, brush, size
            cache[dim] = (pens, brushes, sizes)
        return cache[dim]

    def _draw_pins(self) -> None:
        """A scatter item per pin style in each view; pins share a handful of pens, brushes and sizes, so
        pyqtgraph renders each symbol once and stamps it."""
        d = self.data
        if d is None or not len(d.lon):
            for v in self.views:
                for item in v.pins:
                    item.setData([], [])
            return
        idx = np.flatnonzero(self.place_shown)
        prec = d.precision[idx]
        lit = self.place_hl[idx] if self.place_hl is not None else np.ones(len(idx), dtype=bool)
        pens, brushes, sizes = self._pin_styles(self.place_hl is not None)
        kinds = np.where(prec == _REGION, 2, np.where(prec == _APPROX, 1, 0))
        code = kinds * 2 + lit
        # one item per style with a single pen, brush and size: no per-pin style lists to build and match
        groups = [idx[code == c] for c in range(6)]
        for v in self.views:
            for c, (item, pos) in enumerate(zip(v.pins, groups, strict=True)):
                item.setData(
                    x=d.lon[pos], y=d.lat[pos], size=float(sizes[c]), pen=pens[c], brush=brushes[c],
                    symbol="o", data=pos,
                )  # fmt: skip

    def _after_view_change(self) -> None:
        self._update_inset()
        for v in self.views:
            self._place_labels(v)
        self._update_arrows()

    def _place_labels(self, v: _View) -> None:
        """Label the most relevant visible places, greedily, trying four sides of each pin to avoid overlaps."""
        d = self.data
        for t in v.labels:
            t.hide()
        if d is None or not len(d.lon) or not v.vb.isVisible():
            return
        (x0, x1), (y0, y1) = v.vb.viewRange()
        vis = np.flatnonzero(self.place_shown & (d.lon >= x0) & (d.lon <= x1) & (d.lat >= y0) & (d.lat <= y1))
        if v is self.main and self.inset_visible():
            # places the inset shows are labelled there, leaving room here for the rest
            (ix0, ix1), (iy0, iy1) = self.inset.vb.viewRange()
            vis = vis[
                ~((d.lon[vis] >= ix0) & (d.lon[vis] <= ix1) & (d.lat[vis] >= iy0) & (d.lat[vis] <= iy1))
            ]
        if not len(vis):
            return
        prio = d.weight[vis].astype(float) + np.where(d.precision[vis] == 0, 0.5, 0.0)
        if self.place_hl is not None:
            prio += np.where(self.place_hl[vis], 1e9, 0.0)
        vis = vis[np.argsort(-prio, kind="stable")][: v.max_labels * 4]
        xpx, ypx = v.vb.viewPixelSize()
        fm = QFontMetricsF(self._label_font)
        taken = _Boxes(len(vis) + v.max_labels + 1)
        # pins themselves are obstacles too, so a label never covers another place
        for i in vis.tolist():
            sx, sy = float(d.lon[i]) / xpx, -float(d.lat[i]) / ypx
            taken.append(QRectF(sx - 4, sy - 4, 8, 8))
        view = QRectF(x0 / xpx, -y1 / ypx, (x1 - x0) / xpx, (y1 - y0) / ypx)
        if v is self.main and self.inset_visible():
            # the inset covers part of the main view: no labels under it
            r = self.inset.vb.mapRectToItem(self.vb.childGroup, self.inset.vb.boundingRect())
            taken.append(QRectF(r.left() / xpx, -r.bottom() / ypx, r.width() / xpx, r.height() / ypx))
        n = 0
        for i in vis.tolist():
            if n >= v.max_labels:
                break
            prec = int(d.precision[i])
            name = str(d.names[i])
            text = f"\u2248 {name}" if prec in (_APPROX, _REGION) else name
            w, h = fm.horizontalAdvance(text) + 4, fm.height() + 2
            sx, sy = float(d.lon[i]) / xpx, -float(d.lat[i]) / ypx
            gap = (REGION_PX if prec == _REGION else APPROX_PX if prec == _APPROX else PIN_PX) / 2 + 2
            choice = None
            cands = [
                ((0, 0.5), QRectF(sx + gap, sy - h / 2, w, h)),
                ((1, 0.5), QRectF(sx - gap - w, sy - h / 2, w, h)),
                ((0.5, 1), QRectF(sx - w / 2, sy - gap - h, w, h)),
                ((0.5, 0), QRectF(sx - w / 2, sy + gap, w, h)),
                # diagonals, for a place near the edge of the view
                ((1, 1), QRectF(sx - gap * 0.7 - w, sy - gap * 0.7 - h, w, h)),
                ((1, 0), QRectF(sx - gap * 0.7 - w, sy + gap * 0.7, w, h)),
                ((0, 1), QRectF(sx + gap * 0.7, sy - gap * 0.7 - h, w, h)),
                ((0, 0), QRectF(sx + gap * 0.7, sy + gap * 0.7, w, h)),
            ]
            fits = [(anchor, rect) for anchor, rect in cands if view.contains(rect)]
            if fits:
                free = taken.free([rect for _, rect in fits], sx, sy)
                choice = fits[free] if free is not None else None
            if choice is None:
                continue
            anchor, rect = choice
            taken.append(rect)
            label = self._label(v, n)
            label.setAnchor(anchor)
            font = QFont(self._label_font)
            font.setItalic(prec in (_APPROX, _REGION))
            label.setFont(font)
            dim = self.place_hl is not None and not self.place_hl[i]
            label.setColor(style.color(style.LABEL_COLOR, 90 if dim else 255))
            label.setText(text)
            g = gap if anchor[0] == 0.5 or anchor[1] == 0.5 else gap * 0.7
            dx = g if anchor[0] == 0 else -g if anchor[0] == 1 else 0.0
            dy = -g if anchor[1] == 1 else g if anchor[1] == 0 else 0.0
            label.setPos(float(d.lon[i]) + dx * xpx, float(d.lat[i]) - dy * ypx)
            label.show()
            n += 1

    def _label(self, v: _View, n: int) -> pg.TextItem:
        while len(v.labels) <= n:
            t = pg.TextItem(anchor=(0, 0.5), fill=pg.mkBrush(255, 255, 255, 110))
            t.setZValue(20)
            v.vb.addItem(t, ignoreBounds=True)
            v.labels.append(t)
        return v.labels[n]

    # -- the detail inset ----------------------------------------------------------------------------------------
    def _find_cluster(self) -> None:
        """The tightest busy group of places with legs, if its box is under 1/8 of the fitted extent."""
        self.cluster = None
        d, s = self.data, self.segments
        box = self._fit_box()
        if d is None or s is None or box is None or not self.seg_shown.any():
            return
        extent = max(box[1] - box[0], (box[3] - box[2]) * self._ratio)
        limit = extent * CLUSTER_FRACTION
        if limit <= 0:
            return
        ends = np.unique(np.concatenate([s.frm[self.seg_shown], s.to[self.seg_shown]]))
        ends = ends[self.place_shown[ends]]
        if len(ends) < 2:
            return
        lon, lat = d.lon[ends], d.lat[ends] * self._ratio
        cell = limit / 2
        ix = np.floor(lon / cell).astype(np.int64) + (1 << 20)
        iy = np.floor(lat / cell).astype(np.int64) + (1 << 20)
        keys, counts = np.unique(ix * (1 << 22) + iy, return_counts=True)
        # places in each cell and its eight neighbours: a pair astride a cell edge still counts as close
        total = np.zeros(len(keys), dtype=np.int64)
        for ox in (-1, 0, 1):
            for oy in (-1, 0, 1):
                k = keys + ox * (1 << 22) + oy
                pos = np.clip(np.searchsorted(keys, k), 0, len(keys) - 1)
                total += np.where(keys[pos] == k, counts[pos], 0)
        best = int(np.argmax(total))
        if total[best] < 2:
            return
        bx, by = int(keys[best] >> 22), int(keys[best] & ((1 << 22) - 1))
        near = (np.abs(ix - bx) <= 1) & (np.abs(iy - by) <= 1)
        cx, cy = d.lon[ends[near]], d.lat[ends[near]]
        c = (float(cx.min()), float(cx.max()), float(cy.min()), float(cy.max()))
        if max(c[1] - c[0], (c[3] - c[2]) * self._ratio) >= limit:
            return
        self.cluster = c

    def _update_inset(self) -> None:
        """Lay out, zoom and show or hide the detail inset (hidden when the main view already shows the
        cluster large enough, or when the Detail button is off)."""
        iv = self.inset.vb
        c = self.cluster
        show = c is not None and self.detail_button.isChecked() and self.data is not None
        w, h = self.vb.width(), self.vb.height()
        if show:
            assert c is not None
            a = self.vb.mapViewToScene(QPointF(c[0], c[3]))
            b = self.vb.mapViewToScene(QPointF(c[1], c[2]))
            span_px = max(abs(b.x() - a.x()), abs(b.y() - a.y()))
            seen = self.vb.sceneBoundingRect().contains(QRectF(a, b).normalized().center())
            show = seen and span_px < 90 and w >= 160 and h >= 140
        if not show:
            iv.hide()
            self.inset_marker.hide()
            return
        assert c is not None
        rect = self._inset_rect(w, h)
        iv.setGeometry(rect)
        iv.show()
        iv.setAspectLocked(True, 1.0 / self._ratio)
        self._fit_range(iv, c, 0.35, 0.4)
        (x0, x1), (y0, y1) = iv.viewRange()
        self.inset_marker.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.inset_marker.show()
        self._place_labels(self.inset)

    def _inset_rect(self, w: float, h: float) -> QRectF:
        """Where the inset goes in the main view box: the empty band above or below the data when the panel is
        tall, else the bottom-right corner."""
        box = self._fit_box()
        pad = 8.0
        if box is not None:
            top = self.vb.mapFromView(QPointF(box[0], box[3])).y() - 30  # room for the labels
            bottom = self.vb.mapFromView(QPointF(box[0], box[2])).y() + 30
            below, above = h - bottom, top
            space, y = (below, bottom) if below >= above else (above, 0.0)
            if space >= max(140.0, 0.28 * h):
                ih = min(space - 2 * pad, (w - 2 * pad) * 1.1)
                return QRectF(pad, y + (space - ih) / 2, w - 2 * pad, ih)
        iw, ih = max(150.0, 0.42 * w), max(130.0, 0.42 * h)
        return QRectF(w - iw - pad, h - ih - pad, iw, ih)

    # -- selection, mouse, keys ----------------------------------------------------------------------------------
    def _on_selection(self, sel: Selection, origin: object) -> None:
        if origin is self:
            return
        self._update_selection_state()

    def _view_at(self, scene_pos: QPointF) -> _View | None:
        if self.inset_visible() and self.inset.vb.sceneBoundingRect().contains(scene_pos):
            return self.inset
        if self.vb.sceneBoundingRect().contains(scene_pos):
            return self.main
        return None

    def hit(self, scene_pos: QPointF) -> tuple[str, str] | None:
        """The place (first) or leg under a scene position, as (table, id), in the inset when it is there."""
        d = self.data
        v = self._view_at(scene_pos)
        if d is None or v is None:
            return None
        p = v.vb.mapSceneToView(scene_pos)
        xpx, ypx = v.vb.viewPixelSize()
        idx = np.flatnonzero(self.place_shown)
        if len(idx):
            dx = (d.lon[idx] - p.x()) / xpx
            dy = (d.lat[idx] - p.y()) / ypx
            dist = np.hypot(dx, dy)
            radius = (
                np.where(
                    d.precision[idx] == _REGION,
                    REGION_PX / 2,
                    np.where(d.precision[idx] == _APPROX, APPROX_PX / 2, PIN_PX / 2),
                )
                + 3
            )
            near = dist <= radius
            if near.any():
                # an exact pin wins over a region circle it sits in
                score = dist[near] + np.where(d.precision[idx][near] == 0, 0.0, 100.0)
                j = idx[np.flatnonzero(near)[np.argmin(score)]]
                return "places", str(d.place_ids[j])
        s = self.segments
        if s is not None and self.seg_shown.any():
            sidx = np.flatnonzero(self.seg_shown)
            f, t = s.frm[sidx], s.to[sidx]
            ax, ay = (d.lon[f] - p.x()) / xpx, (d.lat[f] - p.y()) / ypx
            bx, by = (d.lon[t] - p.x()) / xpx, (d.lat[t] - p.y()) / ypx
            vx, vy = bx - ax, by - ay
            ll = vx * vx + vy * vy
            u = np.clip(np.where(ll > 0, -(ax * vx + ay * vy) / np.where(ll > 0, ll, 1), 0), 0, 1)
            dist = np.hypot(ax + u * vx, ay + u * vy)
            k = int(np.argmin(dist))
            if dist[k] <= 5:
                seg = sidx[k]
                legs = np.flatnonzero((s.leg_seg == seg) & self.leg_shown)
                return "legs", str(d.leg_ids[legs[0]])
        return None

    def _on_click(self, ev) -> None:  # noqa: ANN001 - pyqtgraph MouseClickEvent
        if ev.button() != Qt.MouseButton.LeftButton:  # (the pins item accepts clicks itself)
            return
        v = self._view_at(ev.scenePos())
        if v is None:
            return
        if self.add_button.isChecked() or (ev.double() and self.hit(ev.scenePos()) is None):
            p = v.vb.mapSceneToView(ev.scenePos())
            self.place_requested.emit(float(p.y()), float(p.x()))
            ev.accept()
            return
        self.click_at(ev.scenePos())
        ev.accept()

    def click_at(self, scene_pos: QPointF) -> bool:
        """Select whatever is under a scene position, as a click there does; False when nothing is."""
        found = self.hit(scene_pos)
        if found is None:
            return False
        self.selection.select_item(found[0], found[1], self)
        self._update_selection_state()
        return True

    def _add_mode_toggled(self, on: bool) -> None:
        self.plot.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)

    def _drag_event(self, ev) -> bool:  # noqa: ANN001 - pyqtgraph MouseDragEvent
        """Move a pin with the left button (``editable`` only); True when the drag is the panel's."""
        if ev.button() != Qt.MouseButton.LeftButton:
            return False
        if ev.isStart():
            self._drag = None
            if not self.editable or self.data is None:
                return False
            found = self.hit(ev.buttonDownScenePos())
            if (
                found is None
                or found[0] != "places"
                or self._view_at(ev.buttonDownScenePos()) is not self.main
            ):
                return False
            i = self.data.place_index.get(found[1])
            self._drag = {"id": found[1], "index": i, "cancelled": False}
            self._drag_pin.setData(
                [float(self.data.lon[i])], [float(self.data.lat[i])],
                brush=style.color(style.HIGHLIGHT_COLOR), pen=pg.mkPen("white", width=1.5),
            )  # fmt: skip
            self._drag_pin.show()
        if self._drag is None:
            return False
        ev.accept()
        if self._drag["cancelled"]:
            if ev.isFinish():
                self._drag = None
            return True
        p = self.vb.mapSceneToView(ev.scenePos())
        self._drag_pin.setData([p.x()], [p.y()])
        if ev.isFinish():
            self._drag_pin.hide()
            place_id = self._drag["id"]
            self._drag = None
            self.pin_moved.emit(place_id, float(p.y()), float(p.x()))
        return True

    def cancel_drag(self) -> bool:
        """Drop a pin drag in progress (Esc); the pin stays where it was. False when none is."""
        if self._drag is None or self._drag["cancelled"]:
            return False
        self._drag["cancelled"] = True
        self._drag_pin.hide()
        return True

    def _on_hover(self, scene_pos: QPointF) -> None:
        if self.data is None or self._view_at(scene_pos) is None:
            return
        found = self.hit(scene_pos)
        if found is None:
            QToolTip.hideText()
            return
        QToolTip.showText(
            self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), self.describe(*found), self.plot
        )

    def describe(self, table: str, row_id: str) -> str:
        """Tooltip text, read on demand from the case."""
        if self.case is None:
            return ""
        try:
            if table == "places":
                row = self.case.conn.execute(
                    "SELECT name, kind, country, precision FROM places WHERE id = ?", [row_id]
                ).fetchone()
                if not row:
                    return ""
                where = f", {row[2]}" if row[2] else ""
                exact = "" if row[3] == "exact" else f"\nposition {row[3]}"
                return f"{row[0]} ({row[1]}{where}){exact}"
            row = self.case.conn.execute(
                "SELECT coalesce(f.name, '?'), coalesce(t.name, '?'), l.mode, coalesce(l.depart, '?'), "
                "coalesce(l.arrive, '?') FROM legs l LEFT JOIN places f ON f.id = l.from_place_id "
                "LEFT JOIN places t ON t.id = l.to_place_id WHERE l.id = ?",
                [row_id],
            ).fetchone()
            return f"{row[0]} \u2192 {row[1]} by {row[2]}\n{row[3]} \u2192 {row[4]}" if row else ""
        except sqlite3.Error:
            return ""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        (x0, x1), (y0, y1) = self.vb.viewRange()
        moves = {
            Qt.Key.Key_Left: (-0.15 * (x1 - x0), 0.0),
            Qt.Key.Key_Right: (0.15 * (x1 - x0), 0.0),
            Qt.Key.Key_Up: (0.0, 0.15 * (y1 - y0)),
            Qt.Key.Key_Down: (0.0, -0.15 * (y1 - y0)),
        }
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._auto_fit = False
            self.vb.scaleBy(s=0.7)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._auto_fit = False
            self.vb.scaleBy(s=1 / 0.7)
        elif key in moves:
            self._auto_fit = False
            dx, dy = moves[key]
            self.vb.translateBy(x=dx, y=dy)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.zoom_to_fit()
        elif key == Qt.Key.Key_Escape:
            # one thing at a time: a drag, then the add-place mode, then the selection
            if not self.cancel_drag():
                if self.add_button.isChecked():
                    self.add_button.setChecked(False)
                else:
                    self.selection.clear(self)
                    self._update_selection_state()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
