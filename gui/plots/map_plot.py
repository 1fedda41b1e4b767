"""The map as a plot: places as pins and shipment legs as arrows over an offline basemap, in longitude/latitude.

Degrees of longitude shrink with latitude, so the view's aspect is locked to 1/cos(mid-latitude) of the case:
shapes read right around the case without a projection library.

The basemap, graticule and legs are one ``MapLayer`` per view (see its module). Pins are one scatter item per
style with a few shared symbols; arrowheads another. Labels are placed greedily for the most relevant visible
places only, so they never pile up.

When the places with legs include a tight cluster (its box under 1/8 of the fitted extent, as the Najin - Dunay
port pair of the demo against its Tikhoretsk end), a detail inset shows it zoomed in, drawn by the same items.

Built from data alone (``set_data``, ``set_related``), so the window's map panel and the report's Figure 2 are
the same plot; the panel adds the header, selection by click, pin dragging, tooltips and keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsRectItem

from caseboard.db.plotdata import MapData
from caseboard.db.related import Related
from caseboard.db.schema import LEG_MODES, PLACE_PRECISIONS
from caseboard.gui.panels import style
from caseboard.gui.plots.degree_axis import DegreeAxis
from caseboard.gui.plots.map_layer import LAT_LIMIT, LON_LIMIT, MapLayer, Segments
from caseboard.gui.plots.scale_bar import ScaleBar

MAX_LABELS = 40
INSET_LABELS = 12
INSET_PAD = 8.0
EMPTY_HINT = (
    "No places yet.\nDouble-click the map to add one, or import a report (File \u203a Import \u203a Import Report\u2026)\n"
    "and accept the places it names."
)
ARROW_LIMIT = 2000  # above this many legs in view, arrowheads are left off (the lines still show)
PIN_PX = 9
APPROX_PX = 16
REGION_PX = 26
CLUSTER_FRACTION = 1 / 8  # a cluster's box against the fitted extent, for the detail inset
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


class _Boxes:
    """Rectangles taken by pins and labels, as arrays, for testing a label against all of them at once.

    A candidate is blocked by every taken rectangle it intersects, except a pin's own (a pin rectangle that holds
    the candidate's point): QRectF arithmetic, a null rectangle neither intersects nor contains anything."""

    def __init__(self, capacity: int) -> None:
        self.a = np.empty((max(1, capacity), 5))  # x, y, width, height, 1 for a pin
        self.n = 0

    def append(self, r: QRectF, *, pin: bool = False) -> None:
        if self.n == len(self.a):
            self.a = np.concatenate([self.a, np.empty_like(self.a)])
        self.a[self.n] = (r.x(), r.y(), r.width(), r.height(), 1.0 if pin else 0.0)
        self.n += 1

    def free(self, rects: list[QRectF], px: float, py: float) -> int | None:
        """Index of the first of ``rects`` that no taken rectangle blocks, or None."""
        a = self.a[: self.n]
        x, y, w, h = a[:, 0], a[:, 1], a[:, 2], a[:, 3]
        r, b = x + w, y + h  # rectangles are built with non-negative sizes here
        real = (r != x) & (b != y)
        holds = real & (a[:, 4] > 0) & (px >= x) & (px <= r) & (py >= y) & (py <= b)
        x, y, r, b = x[~holds & real], y[~holds & real], r[~holds & real], b[~holds & real]
        c = np.array([(q.x(), q.y(), q.width(), q.height()) for q in rects], dtype=np.float64)
        cx, cy = c[:, 0:1], c[:, 1:2]
        cr, cb = cx + c[:, 2:3], cy + c[:, 3:4]
        hits = (cx < r) & (x < cr) & (cy < b) & (y < cb)
        ok = ~hits.any(axis=1) | (cr[:, 0] == cx[:, 0]) | (cb[:, 0] == cy[:, 0])
        first = np.flatnonzero(ok)
        return int(first[0]) if len(first) else None


def graticule_step_fine(span: float) -> float:
    """A step for a few degree labels across ``span`` degrees."""
    for step in (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30):
        if span / step <= 5:
            return step
    return 60


def degrees(v: float, hemis: str, step: float) -> str:
    """130°E, 42.5°N."""
    text = f"{abs(v):.0f}" if step >= 1 else f"{abs(v):.2f}".rstrip("0").rstrip(".")
    hemi = "" if abs(v) < 1e-9 else (hemis[0] if v > 0 else hemis[1])
    return f"{text}\u00b0{hemi}"


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
@dataclass
class View:
    """One view of the map (the main one or the detail inset): its ViewBox and the items drawing into it."""

    vb: pg.ViewBox
    layer: MapLayer
    pins: list  # one scatter item per pin style (kind * 2 + lit), see MapPanel._pin_styles
    arrows: pg.ScatterPlotItem
    labels: list
    max_labels: int
    #: what the arrowheads were laid out for: (view key, the data and masks they were computed from)
    arrows_state: tuple | None = None


class MapPlot(pg.PlotWidget):
    """Places and legs on a basemap with a detail inset; ``vb`` lets the panel supply its own mouse rules."""

    def __init__(self, vb: pg.ViewBox | None = None, parent: pg.QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            parent,
            viewBox=vb if vb is not None else pg.ViewBox(),
            axisItems={"bottom": DegreeAxis("bottom"), "left": DegreeAxis("left")},
            background=style.WATER,
        )
        self.data: MapData | None = None
        self.segments: Segments | None = None
        #: which places/legs are drawn at all (a time range hides the rest) and which are highlighted
        self.place_shown = np.zeros(0, dtype=bool)
        self.leg_shown = np.zeros(0, dtype=bool)
        self.place_hl: np.ndarray | None = None
        self.leg_hl: np.ndarray | None = None
        self.seg_shown = np.zeros(0, dtype=bool)
        self.seg_hl: np.ndarray | None = None
        #: the places the detail inset shows, as (lon0, lon1, lat0, lat1), or None without a tight cluster
        self.cluster: tuple[float, float, float, float] | None = None
        self.detail = True  # the inset is shown when there is a cluster
        self._fit_target: list[list[float]] = []
        self._auto_fit = False  # True from zoom_to_fit until the user moves the view: a resize fits again
        self._ratio = 1.0
        self._label_font = style.pixel_font(style.PLACE_LABEL_PX, self.font())
        self._pin_style_cache: dict[bool, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._sel_rings: list[pg.ScatterPlotItem] = []

        self.setMenuEnabled(False)
        self.hideButtons()
        style.style_axes(self, style.MUTED_COLOR)
        pi = self.getPlotItem()
        self.vb = pi.getViewBox()
        self.main = self._make_view(self.vb, MAX_LABELS)

        # the detail inset: a second view box over a corner of the map, with the same items
        inset_vb = pg.ViewBox(enableMouse=False, enableMenu=False, defaultPadding=0)
        inset_vb.setParentItem(self.vb)
        inset_vb.setZValue(1000)
        inset_vb.setBackgroundColor(style.WATER)
        inset_vb.setBorder(pg.mkPen(style.LABEL_COLOR, width=1.5))
        inset_vb.hide()
        self.inset = self._make_view(inset_vb, INSET_LABELS)
        # the inset's own title and coordinates: it never borrows the main map's axes
        self.inset_title = pg.TextItem(
            anchor=(0, 0), color=style.LABEL_COLOR, fill=pg.mkBrush(style.color(style.PAPER, 220))
        )
        self.inset_title.setFont(style.pixel_font(style.PLACE_LABEL_PX))
        self.inset_title.setZValue(40)
        inset_vb.addItem(self.inset_title, ignoreBounds=True)
        self.inset_coords: list[pg.TextItem] = []
        self._inset_corner: str | None = (
            None  # "tl", "tr", "bl" or "br": kept while only the selection changes
        )
        self.inset_marker = QGraphicsRectItem()
        marker_pen = QPen(QColor(style.LABEL_COLOR), 1.5)
        marker_pen.setCosmetic(True)
        self.inset_marker.setPen(marker_pen)
        self.inset_marker.setZValue(12)
        self.inset_marker.hide()
        self.vb.addItem(self.inset_marker, ignoreBounds=True)
        self.scale_bar = ScaleBar(self.vb)
        # what to do on an empty map, in the middle of the view
        self.hint = pg.TextItem(
            anchor=(0.5, 0.5), color=style.LABEL_COLOR, fill=pg.mkBrush(style.color(style.PAPER, 225))
        )
        self.hint.setFont(style.pixel_font(style.PLACE_LABEL_PX + 2))
        self.hint.setParentItem(self.vb)
        self.hint.setZValue(950)
        self.hint.hide()
        self.vb.sigResized.connect(lambda *_: self._place_hint())
        #: (table, id) of the selected place or leg: ringed in the selection colour, apart from what is related
        self.selected: tuple[str, str] | None = None
        for vb_ in (self.vb, inset_vb):
            vb_.setAspectLocked(True, 1.0)
            vb_.setLimits(
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

    def _make_view(self, vb: pg.ViewBox, max_labels: int) -> View:
        layer = MapLayer(vb)
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
        ring = pg.ScatterPlotItem(pxMode=True, symbol="o", size=PIN_PX + 9, brush=None)
        ring.setPen(pg.mkPen(style.HIGHLIGHT_COLOR, width=2.6))
        ring.setZValue(10.5)
        vb.addItem(ring)
        self._sel_rings.append(ring)
        return View(vb, layer, pins, arrows, [], max_labels)

    @property
    def views(self) -> tuple[View, View]:
        return self.main, self.inset

    # -- view ----------------------------------------------------------------------------------------------------
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
        self,
        vb: pg.ViewBox,
        box: tuple[float, float, float, float],
        margin: float,
        min_margin: float,
        room: QRectF | None = None,
    ) -> None:
        """Show ``box`` with a margin, centred, as large as the view box's pixel size and locked aspect allow;
        ``room`` (pixels of the view box) fits it into that part of the view instead."""
        x0, x1, y0, y1 = box
        mx = max((x1 - x0) * margin, min_margin)
        my = max((y1 - y0) * margin, min_margin / self._ratio)
        w_px, h_px = max(vb.width(), 10.0), max(vb.height(), 10.0)
        shift = None
        if room is not None:
            fit_w, fit_h = max(room.width(), 10.0), max(room.height(), 10.0)
            xpx = max((x1 - x0 + 2 * mx) / fit_w, (y1 - y0 + 2 * my) * self._ratio / fit_h)
            shift = (room.center().x() - w_px / 2, room.center().y() - h_px / 2)
            half_w = min(LON_LIMIT, xpx * w_px / 2)
            half_h = min(LAT_LIMIT, xpx / self._ratio * h_px / 2)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            cx -= shift[0] * xpx
            cy += shift[1] * xpx / self._ratio
            vb.setRange(xRange=(cx - half_w, cx + half_w), yRange=(cy - half_h, cy + half_h), padding=0)
            return
        # degrees of longitude per pixel, so both spans fit; latitude has ratio times as many pixels per degree
        xpx = max((x1 - x0 + 2 * mx) / w_px, (y1 - y0 + 2 * my) * self._ratio / h_px)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w = min(LON_LIMIT, xpx * w_px / 2)
        half_h = min(LAT_LIMIT, xpx / self._ratio * h_px / 2)
        cx = max(-LON_LIMIT + half_w, min(LON_LIMIT - half_w, cx))
        # the view stays within the globe's latitudes when it is short enough, else it centres on the equator
        cy = max(-90.0 + half_h, min(90.0 - half_h, cy)) if half_h <= 90.0 else 0.0
        vb.setRange(xRange=(cx - half_w, cx + half_w), yRange=(cy - half_h, cy + half_h), padding=0)

    def zoom_to_fit(self) -> None:
        """Show every place drawn (all of them, or those in the selected time range) centred, with a margin."""
        box = self._fit_box()
        self._inset_corner = None
        if box is None:
            # nothing to fit: the whole world, and what to do about it
            self._set_ratio(0.0)
            self._fit_range(self.vb, (-180.0, 180.0, -58.0, 84.0), 0.0, 0.0)
            self.cluster = None
            self._after_view_change()
            return
        self._set_ratio((box[2] + box[3]) / 2)
        self._fit_range(self.vb, box, 0.08, 1.5)
        self._find_cluster()
        if self._inset_wanted():
            # the inset takes the emptiest corner; if that covers anything, the map moves over to leave it free
            corner, covered = self._emptiest_corner()
            self._inset_corner = corner
            if covered:
                self._fit_range(self.vb, box, 0.08, 1.5, room=self._room_beside(corner))
        # with a locked aspect pyqtgraph may widen one axis without telling the axis items: resync them
        pi = self.getPlotItem()
        for name in ("bottom", "left"):
            pi.getAxis(name).linkedViewChanged(self.vb)
        self._auto_fit = True
        self._fit_target = [list(r) for r in self.vb.targetRange()]
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
            style.settle_axes(self)  # the axes take the room their labels need, then fit again
            fit()

        # pyqtgraph draws a text item's fill at screen scale while its text is scaled onto the page: the boxes
        # would land beside their labels, so the figure's labels go without them
        texts = [it for it in self.scene().items() if isinstance(it, pg.TextItem)]
        fills = [t.fill for t in texts]
        for t in texts:
            t.fill = QBrush(Qt.BrushStyle.NoBrush)
        try:
            style.render_plot(self, painter, target, title=title, on_layout=relayout)
        finally:
            for t, f in zip(texts, fills, strict=True):
                t.fill = f
        fit()

    # -- data ------------------------------------------------------------------------------------------------------
    def set_data(self, data: MapData | None, *, fit: bool = False, related: dict | None = None) -> None:
        """Show ``data``; ``fit`` zooms to it. ``related`` holds ``set_related``'s arguments (None: nothing
        selected), so a panel showing a selection draws the pins and legs once, not twice."""
        self.data = data
        self.segments = Segments.of(data) if data is not None and len(data.leg_ids) else None
        self.set_related(**(related or {"rel": None}))
        if data is None:
            self.cluster = None
            self._after_view_change()
        elif fit:
            self.zoom_to_fit()
        else:
            self._find_cluster()
            self._update_inset()

    def set_related(
        self,
        rel: Related | None,
        *,
        time_range: bool = False,
        has_item: bool = False,
        selected: tuple[str, str] | None = None,
    ) -> None:
        """Highlight what ``rel`` names; with ``time_range`` draw only those; ``has_item`` lights leg ends;
        ``selected`` (table, id) rings the selected place or the ends of the selected leg."""
        self.selected = selected
        d = self.data
        self.place_hl = self.leg_hl = None
        self.place_shown = np.ones(len(d.lon) if d is not None else 0, dtype=bool)
        self.leg_shown = np.ones(len(d.leg_ids) if d is not None else 0, dtype=bool)
        if d is not None and rel is not None:
            place_rel = d.place_index.mask(rel.places)
            leg_rel = d.leg_index.mask(rel.legs)
            if time_range:
                # a time range filters the map to what happened then
                self.place_shown, self.leg_shown = place_rel, leg_rel
            if has_item:
                # a highlighted leg lights up both its ends, even when the selection names only one
                place_rel = place_rel.copy()
                place_rel[d.leg_from[leg_rel]] = True
                place_rel[d.leg_to[leg_rel]] = True
                self.place_hl, self.leg_hl = place_rel, leg_rel
        seg = self.segments
        if seg is not None:
            self.seg_shown = seg.mask(self.leg_shown)
            self.seg_hl = seg.mask(self.leg_shown & self.leg_hl) if self.leg_hl is not None else None
        else:
            self.seg_shown, self.seg_hl = np.zeros(0, dtype=bool), None
        for v in self.views:
            v.layer.set_legs(d, seg, self.seg_shown, self.seg_hl)
        self._draw_pins()
        self._draw_selected()
        self._update_arrows()
        self._label_timer.start()

    def _draw_selected(self) -> None:
        d, sel = self.data, self.selected
        pos: list[int] = []
        if d is not None and sel is not None:
            if sel[0] == "places":
                i = d.place_index.get(sel[1])
                pos = [] if i is None else [int(i)]
            elif sel[0] == "legs":
                j = d.leg_index.get(sel[1])
                pos = [] if j is None else [int(d.leg_from[j]), int(d.leg_to[j])]
        for ring in self._sel_rings:
            ring.setData(x=d.lon[pos] if pos else [], y=d.lat[pos] if pos else [])

    def close(self) -> bool:
        """Close once: pyqtgraph's PlotWidget.close fails when called a second time."""
        if self.plotItem is None:
            return True
        return bool(super().close())

    def set_detail(self, on: bool) -> None:
        self.detail = on
        self._update_inset()

    def _pairs(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d, s = self.data, self.segments
        assert d is not None and s is not None
        f, t = s.frm[mask], s.to[mask]
        x = np.empty(2 * len(f))
        y = np.empty(2 * len(f))
        x[0::2], x[1::2] = d.lon[f], d.lon[t]
        y[0::2], y[1::2] = d.lat[f], d.lat[t]
        return x, y

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
                    item._cb_pins = None
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
                _set_pins(item, d.lon[pos], d.lat[pos], pos, float(sizes[c]), pens[c], brushes[c])

    def _after_view_change(self) -> None:
        empty = self.data is None or not len(self.data.lon)
        self.hint.setText(EMPTY_HINT if self.data is not None else "No case open")
        self.hint.setVisible(empty)
        self._place_hint()
        self._update_inset()
        for v in self.views:
            self._place_labels(v)
        self._update_arrows()

    def _place_labels(self, v: View) -> None:
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
        if not xpx or not ypx:  # the view has no size yet (its dock is a hidden tab)
            return
        fm = QFontMetricsF(self._label_font)
        taken = _Boxes(len(vis) + v.max_labels + 1)
        # pins themselves are obstacles too, so a label never covers another place
        for i in vis.tolist():
            sx, sy = float(d.lon[i]) / xpx, -float(d.lat[i]) / ypx
            taken.append(QRectF(sx - 4, sy - 4, 8, 8), pin=True)
        view = QRectF(x0 / xpx, -y1 / ypx, (x1 - x0) / xpx, (y1 - y0) / ypx)
        if v is self.main and self.inset_visible():
            # the inset covers part of the main view: no labels under it
            r = self.inset.vb.mapRectToItem(self.vb.childGroup, self.inset.vb.boundingRect())
            taken.append(
                QRectF(r.left() / xpx, -r.bottom() / ypx, r.width() / xpx, r.height() / ypx).adjusted(
                    -6, -6, 6, 6
                )
            )
        n = 0
        for i in vis.tolist():
            if n >= v.max_labels:
                break
            prec = int(d.precision[i])
            name = str(d.names[i])
            text = f"\u2248 {name}" if prec in (_APPROX, _REGION) else name
            w, h = fm.horizontalAdvance(text) + 6, fm.height() + 4  # a pixel to spare around the drawn item
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

    def _label(self, v: View, n: int) -> pg.TextItem:
        while len(v.labels) <= n:
            t = pg.TextItem(anchor=(0, 0.5), fill=pg.mkBrush(style.color(style.PAPER, 110)))
            # no margin around the text: the item is then the size its place was reserved at (advance + 4, height
            # + 2), so labels that were placed apart are drawn apart
            t.textItem.document().setDocumentMargin(1)
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

    def _inset_wanted(self) -> bool:
        """A cluster too small to read at the main view's scale, a view big enough to hold an inset."""
        c = self.cluster
        if c is None or not self.detail or self.data is None:
            return False
        w, h = self.vb.width(), self.vb.height()
        a = self.vb.mapViewToScene(QPointF(c[0], c[3]))
        b = self.vb.mapViewToScene(QPointF(c[1], c[2]))
        span_px = max(abs(b.x() - a.x()), abs(b.y() - a.y()))
        seen = self.vb.sceneBoundingRect().contains(QRectF(a, b).normalized().center())
        return seen and span_px < 90 and w >= 160 and h >= 140

    def _corner_rect(self, corner: str) -> QRectF:
        """The inset's frame in a corner of the main view box (its pixels)."""
        w, h = self.vb.width(), self.vb.height()
        iw = min(w - 2 * INSET_PAD, max(150.0, 0.4 * w))
        ih = min(h - 2 * INSET_PAD, max(130.0, 0.4 * h))
        x = INSET_PAD if corner[1] == "l" else w - iw - INSET_PAD
        y = INSET_PAD if corner[0] == "t" else h - ih - INSET_PAD
        return QRectF(x, y, iw, ih)

    def _room_beside(self, corner: str) -> QRectF:
        """The larger part of the view that the inset in ``corner`` leaves whole: beside it or above/below it."""
        w, h = self.vb.width(), self.vb.height()
        r = self._corner_rect(corner).adjusted(-INSET_PAD, -INSET_PAD, INSET_PAD, INSET_PAD)
        side = QRectF(r.right(), 0, w - r.right(), h) if corner[1] == "l" else QRectF(0, 0, r.left(), h)
        band = QRectF(0, r.bottom(), w, h - r.bottom()) if corner[0] == "t" else QRectF(0, 0, w, r.top())
        # whichever lets the data be drawn larger, with the locked aspect
        box = self._fit_box()
        assert box is not None
        dx, dy = max(box[1] - box[0], 1e-6), max((box[3] - box[2]) * self._ratio, 1e-6)
        return max((side, band), key=lambda q: min(q.width() / dx, q.height() / dy))

    def _main_items_px(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel positions (view box) of the shown pins and of points along the shown legs of the main view."""
        d = self.data
        if d is None:
            return np.zeros(0), np.zeros(0)
        (x0, x1), (y0, y1) = self.vb.viewRange()
        w, h = self.vb.width(), self.vb.height()
        sx, sy = w / max(x1 - x0, 1e-9), h / max(y1 - y0, 1e-9)
        lon, lat = d.lon[self.place_shown], d.lat[self.place_shown]
        xs, ys = [(lon - x0) * sx], [(y1 - lat) * sy]
        s = self.segments
        if s is not None and self.seg_shown.any():
            f, t = s.frm[self.seg_shown], s.to[self.seg_shown]
            u = np.linspace(0.0, 1.0, 17)[:, None]
            xs.append(((d.lon[f] + (d.lon[t] - d.lon[f]) * u - x0) * sx).ravel())
            ys.append(((y1 - (d.lat[f] + (d.lat[t] - d.lat[f]) * u)) * sy).ravel())
        return np.concatenate(xs), np.concatenate(ys)

    def _emptiest_corner(self) -> tuple[str, bool]:
        """The corner whose inset frame covers the fewest pins and legs, and whether it covers any."""
        xs, ys = self._main_items_px()
        best, best_n = "br", None
        for corner in ("br", "bl", "tr", "tl"):
            r = self._corner_rect(corner).adjusted(-4, -4, 4, 4)
            n = int(((xs >= r.left()) & (xs <= r.right()) & (ys >= r.top()) & (ys <= r.bottom())).sum())
            if best_n is None or n < best_n:
                best, best_n = corner, n
        return best, bool(best_n)

    def inset_frame(self) -> QRectF:
        """The inset's frame in scene coordinates (for tests and tools)."""
        return self.inset.vb.sceneBoundingRect()

    def _update_inset(self) -> None:
        """Lay out, zoom and show or hide the detail inset (hidden when the main view already shows the
        cluster large enough, or when the Detail button is off). Its corner is chosen when the map is fitted
        and kept while only the selection changes."""
        iv = self.inset.vb
        c = self.cluster
        if not self._inset_wanted():
            iv.hide()
            self.inset_marker.hide()
            return
        assert c is not None
        if self._inset_corner is None:
            self._inset_corner = self._emptiest_corner()[0]
        self.scale_bar.right = self._inset_corner == "bl"
        iv.setGeometry(self._corner_rect(self._inset_corner))
        iv.show()
        iv.setAspectLocked(True, 1.0 / self._ratio)
        self._fit_range(iv, c, 0.35, 0.4)
        (x0, x1), (y0, y1) = iv.viewRange()
        self.inset_marker.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.inset_marker.show()
        self._inset_decor(x0, x1, y0, y1)
        self._place_labels(self.inset)

    def _inset_decor(self, x0: float, x1: float, y0: float, y1: float) -> None:
        """The inset's title (its busiest places) and its own degree labels along its left and bottom edges."""
        d = self.data
        assert d is not None and self.cluster is not None
        c = self.cluster
        inside = np.flatnonzero(
            self.place_shown & (d.lon >= c[0]) & (d.lon <= c[1]) & (d.lat >= c[2]) & (d.lat <= c[3])
        )
        names = [str(d.names[i]) for i in inside[np.argsort(-d.weight[inside], kind="stable")][:2]]
        self.inset_title.setText("Detail: " + " \u2013 ".join(names) if names else "Detail")
        self.inset_title.setPos(x0, y1)
        step = graticule_step_fine(x1 - x0)
        marks: list[tuple[float, float, str, tuple[float, float]]] = []
        for lon in np.arange(math.ceil(x0 / step) * step, x1, step):
            if x0 + (x1 - x0) * 0.12 < lon < x1 - (x1 - x0) * 0.05:
                marks.append((float(lon), y0, degrees(float(lon), "EW", step), (0.5, 1.0)))
        step = graticule_step_fine((y1 - y0) * 1.6)
        for lat in np.arange(math.ceil(y0 / step) * step, y1, step):
            if y0 + (y1 - y0) * 0.1 < lat < y1 - (y1 - y0) * 0.18:
                marks.append((x0, float(lat), degrees(float(lat), "NS", step), (0.0, 0.5)))
        while len(self.inset_coords) < len(marks):
            t = pg.TextItem(color=style.MUTED_COLOR, fill=pg.mkBrush(style.color(style.PAPER, 200)))
            t.setFont(style.pixel_font(style.TICK_PX - 2))
            t.setZValue(39)
            self.inset.vb.addItem(t, ignoreBounds=True)
            self.inset_coords.append(t)
        for t, (x, y, text, anchor) in zip(self.inset_coords, marks, strict=False):
            t.setAnchor(anchor)
            t.setText(text)
            t.setPos(x, y)
            t.show()
        for t in self.inset_coords[len(marks) :]:
            t.hide()

    def _place_hint(self) -> None:
        w, h = self.vb.width(), self.vb.height()
        self.hint.setPos(w / 2, h / 2)

    # -- hit testing ---------------------------------------------------------------------------------------------
    def _view_at(self, scene_pos: QPointF) -> View | None:
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


def _set_pins(
    item: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray, pos: np.ndarray, size: float, pen, brush
) -> None:  # noqa: ANN001
    """Give a pin item its points. When it already holds the same places in the same style (an edit moved a pin,
    or the selection was redrawn), only the coordinates are written into its arrays: ``setData`` would look every
    point's symbol up in the atlas again, most of an edit's time on the map."""
    prev = getattr(item, "_cb_pins", None)
    if (
        prev is not None
        and prev[0] == size
        and prev[1] is pen
        and prev[2] is brush
        and np.array_equal(prev[3], pos)
    ):
        data = item.data
        if len(data) == len(pos) and not (np.array_equal(data["x"], x) and np.array_equal(data["y"], y)):
            data["x"], data["y"] = x, y
            item.prepareGeometryChange()
            item.informViewBoundsChanged()
            item.bounds = [None, None]
            item.invalidate()
        return
    item.setData(x=x, y=y, size=size, pen=pen, brush=brush, symbol="o", data=pos)
    item._cb_pins = (size, pen, brush, pos)
