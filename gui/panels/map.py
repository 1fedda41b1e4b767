"""The map sketch: places as pins and shipment legs as arrows over an offline basemap, in longitude/latitude.

Degrees of longitude shrink with latitude, so the view's aspect is locked to 1/cos(mid-latitude) of the case:
shapes read right around the case without a projection library. Legs are drawn as one line item per transport
mode (pairs of points), not an item per leg, so 50,000 legs cost five items; labels are placed greedily for the
most relevant visible places only, so they never pile up.

Loading runs on the thread pool with its own read-only connection; a result for an older request is dropped.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from caseboard.db.case import Case
from caseboard.db.plotdata import MapData, map_data
from caseboard.db.schema import LEG_MODES, PLACE_PRECISIONS
from caseboard.gui.panels import style
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.resources.basemap import load_basemap

MAX_LABELS = 40
ARROW_LIMIT = 3000
LON_LIMIT = 200.0
LAT_LIMIT = 95.0
DASH_LIMIT = 1500  # above this many legs shown, they are drawn solid (see _draw_legs)  # above this many visible legs, arrowheads are left off (the lines still show)
PIN_PX = 9
APPROX_PX = 16
REGION_PX = 26
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


def _decimate(lines: np.ndarray, step: int) -> np.ndarray:
    """Every ``step``-th vertex of NaN-separated polylines, always keeping each line's ends and separators."""
    if step <= 1 or not len(lines):
        return np.asarray(lines)
    gap = np.isnan(lines[:, 0])
    edge = gap | np.roll(gap, 1) | np.roll(gap, -1)
    edge[0] = edge[-1] = True
    keep = edge | (np.arange(len(lines)) % step == 0)
    return np.asarray(lines)[keep]


class _DegreeAxis(pg.AxisItem):
    """Ticks as 130°E / 42°N rather than bare numbers."""

    def paint(self, p, opt, widget) -> None:  # noqa: ANN001
        if not style.paint_axis(self, p):
            super().paint(p, opt, widget)

    def tickStrings(self, values, scale, spacing):  # noqa: ANN001, N802 - pyqtgraph API
        east, west = ("E", "W") if self.orientation in ("bottom", "top") else ("N", "S")
        out = []
        for v in values:
            hemi = "" if abs(v) < 1e-9 else (east if v > 0 else west)
            text = f"{abs(v):.0f}" if spacing >= 1 else f"{abs(v):.1f}"
            out.append(f"{text}\u00b0{hemi}")
        return out


class _LoaderSignals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Loader(QRunnable):
    """Reads places and legs on a pool thread through its own read-only connection."""

    def __init__(self, case: Case, gen: int, signals: _LoaderSignals) -> None:
        super().__init__()
        self._case, self._gen, self._signals = case, gen, signals

    def run(self) -> None:
        try:
            conn = self._case.reader()
            try:
                data = map_data(conn)
            finally:
                conn.close()
        except Exception as exc:  # shown in the panel, never a crash on a worker thread
            self._signals.failed.emit(self._gen, str(exc))
            return
        self._signals.done.emit(self._gen, data)


def _pin_swatch(p: QPainter, r: QRectF) -> None:
    p.setPen(QPen(QColor("white"), 1.2))
    p.setBrush(QColor(style.PLACE_COLOR))
    p.drawEllipse(r.center(), 4.5, 4.5)


def _approx_swatch(p: QPainter, r: QRectF) -> None:
    pen = QPen(QColor(style.PLACE_COLOR), 1.3, Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.setBrush(style.color(style.PLACE_COLOR, 30))
    p.drawEllipse(r.center(), 7, 7)


class MapPanel(QWidget):
    """Places and legs of the case on a basemap; see the module docstring. Emits ``loaded`` after new data."""

    loaded = Signal()

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self.data: MapData | None = None
        #: which places/legs are drawn at all (a time range hides the rest) and which are highlighted
        self.place_shown = np.zeros(0, dtype=bool)
        self.leg_shown = np.zeros(0, dtype=bool)
        self.place_hl: np.ndarray | None = None
        self.leg_hl: np.ndarray | None = None
        self._gen = 0
        self._pool = QThreadPool.globalInstance()
        self._signals = _LoaderSignals(self)
        self._signals.done.connect(self._on_loaded)
        self._signals.failed.connect(self._on_failed)
        self._fit_pending = True
        self._ratio = 1.0

        self.plot = pg.PlotWidget(
            axisItems={"bottom": _DegreeAxis("bottom"), "left": _DegreeAxis("left")}, background=style.WATER
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
        self.vb.setAspectLocked(True, 1.0)
        self.vb.setLimits(
            xMin=-LON_LIMIT, xMax=LON_LIMIT, yMin=-LAT_LIMIT, yMax=LAT_LIMIT, minXRange=0.05, minYRange=0.05
        )
        self._build_basemap()
        self._leg_items: list[pg.PlotCurveItem] = []
        self._leg_hl_items: list[pg.PlotCurveItem] = []
        for code in range(len(LEG_MODES)):
            # drawLines of separate segments is several times faster than stroking one 50,000-part path
            base = pg.PlotCurveItem(connect="pairs", pen=style.mode_pen(code, 1.8), segmentedLineMode="on")
            hl = pg.PlotCurveItem(connect="pairs", pen=style.mode_pen(code, 3.2), segmentedLineMode="on")
            base.setZValue(5)
            hl.setZValue(6)
            self.vb.addItem(base)
            self.vb.addItem(hl)
            self._leg_items.append(base)
            self._leg_hl_items.append(hl)
        self._arrows = pg.ScatterPlotItem(pxMode=True, size=11)
        self._arrows.setZValue(11)  # above the pins: a short leg between two close pins still shows its arrow
        self.vb.addItem(self._arrows)
        self._pins = pg.ScatterPlotItem(pxMode=True)
        self._pins.setZValue(10)
        self.vb.addItem(self._pins)
        self._labels: list[pg.TextItem] = []
        self._label_font = style.pixel_font(style.PLACE_LABEL_PX, self.font())
        self._label_timer = QTimer(self, singleShot=True, interval=40)
        self._label_timer.timeout.connect(self._place_labels)
        self._label_timer.timeout.connect(self._update_lod)
        self.vb.sigRangeChanged.connect(lambda *_: self._label_timer.start())

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
        self.fit_button = QToolButton(text="Fit")
        self.fit_button.setToolTip("Zoom to fit the places of the case (Home)")
        self.fit_button.clicked.connect(self.zoom_to_fit)
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 4, 0)
        head.addWidget(self.status, 1)
        head.addWidget(self.fit_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(self.plot, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.setFocusProxy(self)
        selection.changed.connect(self._on_selection)

    # -- basemap -------------------------------------------------------------------------------------------------
    def _build_basemap(self) -> None:
        """Land, borders and coast at three levels of detail; only the one fitting the zoom is shown.

        Drawing all 140,000 vertices of the 1:50m lines for a whole-continent view costs far more than the
        50 ms frame budget and adds nothing a screen can show, so zoomed-out views use every 3rd or 8th vertex.
        """
        try:
            bm = load_basemap()
        except (OSError, KeyError, ValueError):  # a missing basemap must not take the map down
            bm = None
        self._graticule = pg.PlotCurveItem(connect="finite", pen=pg.mkPen(style.GRATICULE, width=1))
        self._graticule.setZValue(-25)
        self.vb.addItem(self._graticule, ignoreBounds=True)
        self._set_graticule(10)
        self._lod: list[tuple[float, list[QGraphicsItem]]] = []
        if bm is None:
            return
        for step, min_span in ((8, 100.0), (3, 25.0), (1, 0.0)):
            items: list[QGraphicsItem] = []
            if len(bm.land):
                land = _decimate(bm.land, step)
                path = pg.arrayToQPath(land[:, 0].astype(float), land[:, 1].astype(float), connect="finite")
                path.setFillRule(Qt.FillRule.OddEvenFill)
                fill = QGraphicsPathItem(path)
                fill.setPen(QPen(Qt.PenStyle.NoPen))
                fill.setBrush(QColor(style.LAND))
                fill.setZValue(-30)
                items.append(fill)
            for arr, hexc, z in ((bm.borders, style.BORDER, -20), (bm.coast, style.COAST, -19)):
                a = _decimate(arr, step)
                line = pg.PlotCurveItem(
                    a[:, 0].astype(float),
                    a[:, 1].astype(float),
                    connect="finite",
                    pen=pg.mkPen(hexc, width=1),
                )
                line.setZValue(z)
                items.append(line)
            for it in items:
                self.vb.addItem(it, ignoreBounds=True)
                it.hide()
            self._lod.append((min_span, items))
        self._update_lod()

    def _update_lod(self) -> None:
        (x0, x1), _ = self.vb.viewRange()
        span = x1 - x0
        chosen = next(
            (i for i, (min_span, _) in enumerate(self._lod) if span >= min_span), len(self._lod) - 1
        )
        for i, (_, items) in enumerate(self._lod):
            for it in items:
                it.setVisible(i == chosen)
        step = 10 if span > 40 else 5 if span > 15 else 2 if span > 6 else 1
        if step != self._graticule_step:
            self._set_graticule(step)

    def _set_graticule(self, step: float) -> None:
        xs: list[float] = []
        ys: list[float] = []
        lats = np.arange(-80, 80.001, min(step, 1.0))
        for lon in np.arange(-180, 180.001, step):
            xs += [lon] * len(lats) + [np.nan]
            ys += lats.tolist() + [np.nan]
        lons = np.arange(-180, 180.001, min(step, 2.0))
        for lat in np.arange(-80, 80.001, step):
            xs += lons.tolist() + [np.nan]
            ys += [lat] * len(lons) + [np.nan]
        self._graticule.setData(np.array(xs), np.array(ys), connect="finite")
        self._graticule_step = step

    # -- public API ----------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._fit_pending = True
        if case is None:
            self._gen += 1
            self._apply(None)
            return
        self.refresh()

    def refresh(self, *, wait: bool = False) -> None:
        """Reload from the case (after edits); ``wait=True`` loads on this thread (reports, tests)."""
        self._gen += 1
        if self.case is None:
            return
        if wait:
            self._apply(map_data(self.case.conn))
            return
        self.status.setText("Loading\u2026")
        self._pool.start(_Loader(self.case, self._gen, self._signals))

    def zoom_to_fit(self) -> None:
        """Show every place drawn (all of them, or those in the selected time range) with a margin."""
        d = self.data
        if d is None or not len(d.lon):
            return
        shown = self.place_shown if self.place_shown.any() else np.ones(len(d.lon), dtype=bool)
        lon, lat = d.lon[shown], d.lat[shown]
        x0, x1, y0, y1 = float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())
        mid = max(-80.0, min(80.0, (y0 + y1) / 2))
        self._ratio = 1.0 / max(0.2, math.cos(math.radians(mid)))
        # pyqtgraph locks (y units per pixel) / (x units per pixel); a degree of latitude must be taller on
        # screen than a degree of longitude is wide, by 1/cos(latitude)
        self.vb.setAspectLocked(True, 1.0 / self._ratio)
        mx = max((x1 - x0) * 0.12, 1.5)
        my = max((y1 - y0) * 0.15, 1.5)
        # stay inside the view limits: pyqtgraph resolves a range beyond them against the locked aspect badly
        xr = (max(-LON_LIMIT, x0 - mx), min(LON_LIMIT, x1 + mx))
        yr = (max(-LAT_LIMIT, y0 - my), min(LAT_LIMIT, y1 + my))
        self.vb.setRange(xRange=xr, yRange=yr, padding=0)
        # with a locked aspect pyqtgraph may widen one axis without telling the axis items: resync them
        pi = self.plot.getPlotItem()
        for name in ("bottom", "left"):
            pi.getAxis(name).linkedViewChanged(self.vb)
        self._update_arrows()
        self._update_lod()
        self._label_timer.start()

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

    def place_scene_pos(self, place_id: str) -> QPointF | None:
        """Where a place's pin is in scene coordinates (for clicks in tests and tools)."""
        if self.data is None:
            return None
        i = self.data.place_index.get(place_id)
        if i is None:
            return None
        return self.vb.mapViewToScene(QPointF(float(self.data.lon[i]), float(self.data.lat[i])))

    def label_texts(self) -> list[str]:
        return [t.textItem.toPlainText() for t in self._labels if t.isVisible()]

    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the current map with its legend as vectors into ``target`` (e.g. a QPdfWriter page)."""
        self._place_labels()
        style.render_plot(self.plot, painter, target, title=title)

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
        n_places = len(data.lon) if data else 0
        self.place_shown = np.ones(n_places, dtype=bool)
        self.leg_shown = np.ones(len(data.leg_ids) if data else 0, dtype=bool)
        self._update_selection_state()
        if data is None:
            self.status.setText("No case open")
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
        self._draw_legs()
        self._draw_pins()
        self._update_arrows()
        self._label_timer.start()

    def _draw_legs(self) -> None:
        d = self.data
        for code in range(len(LEG_MODES)):
            base, hl = self._leg_items[code], self._leg_hl_items[code]
            if d is None:
                base.setData([], [])
                hl.setData([], [])
                continue
            m = (d.leg_mode == code) & self.leg_shown
            dim = self.leg_hl is not None
            # Qt builds a dash pattern per long segment in software: thousands of dashed lines cost seconds a
            # frame, so a crowded map draws legs solid (colour still says the mode) and thinner
            crowded = int(self.leg_shown.sum()) > DASH_LIMIT
            pen = style.mode_pen(
                code, 1.0 if crowded else 1.8, style.DIM_ALPHA if dim else 255, dashed=not crowded
            )
            base.setPen(pen)
            base.setData(*self._pairs(m), connect="pairs")
            if dim:
                hm = m & self.leg_hl
                hl.setPen(style.mode_pen(code, 3.2, dashed=int(hm.sum()) <= DASH_LIMIT))
                hl.setData(*self._pairs(hm), connect="pairs")
                hl.show()
            else:
                hl.setData([], [])
                hl.hide()

    def _pairs(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = self.data
        assert d is not None
        f, t = d.leg_from[mask], d.leg_to[mask]
        x = np.empty(2 * len(f))
        y = np.empty(2 * len(f))
        x[0::2], x[1::2] = d.lon[f], d.lon[t]
        y[0::2], y[1::2] = d.lat[f], d.lat[t]
        return x, y

    def _update_arrows(self) -> None:
        """Arrowheads at each shown leg's midpoint, turned to the leg's direction on screen."""
        global _ARROWS
        d = self.data
        if d is None or not self.leg_shown.any():
            self._arrows.setData([], [])
            return
        idx = np.flatnonzero(self.leg_shown)
        if len(idx) > ARROW_LIMIT:
            if self.leg_hl is None:
                self._arrows.setData([], [])
                return
            idx = idx[self.leg_hl[idx]][:ARROW_LIMIT]
        if _ARROWS is None:
            _ARROWS = _arrow_symbols()
        f, t = d.leg_from[idx], d.leg_to[idx]
        x0, x1, y0, y1 = d.lon[f], d.lon[t], d.lat[f], d.lat[t]
        # on screen a degree of latitude is `ratio` times as tall as a degree of longitude is wide
        ang = np.degrees(np.arctan2((y1 - y0) * self._ratio, x1 - x0)) % 360.0
        k = np.round(ang / 10.0).astype(int) % len(_ARROWS)
        dim = self.leg_hl is not None
        brushes = []
        for j, code in zip(idx.tolist(), d.leg_mode[idx].tolist(), strict=True):
            alpha = 255 if (not dim or self.leg_hl[j]) else style.DIM_ALPHA
            brushes.append(style.mode_brush(code, alpha))
        self._arrows.setData(
            x=(x0 + x1) / 2,
            y=(y0 + y1) / 2,
            symbol=[_ARROWS[i] for i in k.tolist()],
            brush=brushes,
            pen=pg.mkPen(None),
            size=12,
            data=idx,
        )

    def _draw_pins(self) -> None:
        d = self.data
        if d is None or not len(d.lon):
            self._pins.setData([], [])
            return
        idx = np.flatnonzero(self.place_shown)
        dim = self.place_hl is not None
        sizes, pens, brushes = [], [], []
        for i, prec in zip(idx.tolist(), d.precision[idx].tolist(), strict=True):
            alpha = 255 if (not dim or self.place_hl[i]) else style.DIM_ALPHA
            if prec in (_REGION, _APPROX):
                pen = QPen(style.color(style.PLACE_COLOR, alpha), 1.4, Qt.PenStyle.DashLine)
                pen.setCosmetic(True)
                pens.append(pen)
                brushes.append(QBrush(style.color(style.PLACE_COLOR, alpha // 8)))
                sizes.append(REGION_PX if prec == _REGION else APPROX_PX)
            else:
                pens.append(pg.mkPen(style.color("#ffffff", alpha), width=1.3))
                brushes.append(QBrush(style.color(style.PLACE_COLOR, alpha)))
                sizes.append(PIN_PX + (3 if dim and self.place_hl[i] else 0))
        self._pins.setData(
            x=d.lon[idx], y=d.lat[idx], size=sizes, pen=pens, brush=brushes, symbol="o", data=idx
        )

    def _place_labels(self) -> None:
        """Label the most relevant visible places, greedily, trying four sides of each pin to avoid overlaps."""
        d = self.data
        for t in self._labels:
            t.hide()
        if d is None or not len(d.lon):
            return
        x0, x1, y0, y1 = self.view_bounds()
        vis = np.flatnonzero(self.place_shown & (d.lon >= x0) & (d.lon <= x1) & (d.lat >= y0) & (d.lat <= y1))
        if not len(vis):
            return
        prio = d.weight[vis].astype(float) + np.where(d.precision[vis] == 0, 0.5, 0.0)
        if self.place_hl is not None:
            prio += np.where(self.place_hl[vis], 1e9, 0.0)
        vis = vis[np.argsort(-prio, kind="stable")][: MAX_LABELS * 4]
        xpx, ypx = self.vb.viewPixelSize()
        fm = QFontMetricsF(self._label_font)
        taken: list[QRectF] = []
        # pins themselves are obstacles too, so a label never covers another place
        for i in vis[: MAX_LABELS * 4].tolist():
            sx, sy = float(d.lon[i]) / xpx, -float(d.lat[i]) / ypx
            taken.append(QRectF(sx - 4, sy - 4, 8, 8))
        view = QRectF(x0 / xpx, -y1 / ypx, (x1 - x0) / xpx, (y1 - y0) / ypx)
        n = 0
        for i in vis.tolist():
            if n >= MAX_LABELS:
                break
            prec = int(d.precision[i])
            name = str(d.names[i])
            text = f"\u2248 {name}" if prec in (_APPROX, _REGION) else name
            w, h = fm.horizontalAdvance(text) + 4, fm.height() + 2
            sx, sy = float(d.lon[i]) / xpx, -float(d.lat[i]) / ypx
            gap = (REGION_PX if prec == _REGION else APPROX_PX if prec == _APPROX else PIN_PX) / 2 + 2
            choice = None
            for anchor, rect in (
                ((0, 0.5), QRectF(sx + gap, sy - h / 2, w, h)),
                ((1, 0.5), QRectF(sx - gap - w, sy - h / 2, w, h)),
                ((0.5, 1), QRectF(sx - w / 2, sy - gap - h, w, h)),
                ((0.5, 0), QRectF(sx - w / 2, sy + gap, w, h)),
            ):
                if view.contains(rect) and not any(
                    rect.intersects(r) for r in taken if not r.contains(QPointF(sx, sy))
                ):
                    choice = (anchor, rect)
                    break
            if choice is None:
                continue
            anchor, rect = choice
            taken.append(rect)
            label = self._label(n)
            label.setAnchor(anchor)
            font = QFont(self._label_font)
            font.setItalic(prec in (_APPROX, _REGION))
            label.setFont(font)
            dim = self.place_hl is not None and not self.place_hl[i]
            label.setColor(style.color(style.LABEL_COLOR, 90 if dim else 255))
            label.setText(text)
            dx = gap if anchor[0] == 0 else -gap if anchor[0] == 1 else 0.0
            dy = -gap if anchor[1] == 1 else gap if anchor[1] == 0 else 0.0
            label.setPos(float(d.lon[i]) + dx * xpx, float(d.lat[i]) - dy * ypx)
            label.show()
            n += 1

    def _label(self, n: int) -> pg.TextItem:
        while len(self._labels) <= n:
            t = pg.TextItem(anchor=(0, 0.5), fill=pg.mkBrush(255, 255, 255, 110))
            t.setZValue(20)
            self.vb.addItem(t, ignoreBounds=True)
            self._labels.append(t)
        return self._labels[n]

    # -- selection, mouse, keys ----------------------------------------------------------------------------------
    def _on_selection(self, sel: Selection, origin: object) -> None:
        if origin is self:
            return
        self._update_selection_state()

    def hit(self, scene_pos: QPointF) -> tuple[str, str] | None:
        """The place (first) or leg under a scene position, as (table, id)."""
        d = self.data
        if d is None:
            return None
        p = self.vb.mapSceneToView(scene_pos)
        xpx, ypx = self.vb.viewPixelSize()
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
                j = idx[np.flatnonzero(near)[np.argmin(dist[near])]]
                return "places", str(d.place_ids[j])
        lidx = np.flatnonzero(self.leg_shown)
        if len(lidx):
            f, t = d.leg_from[lidx], d.leg_to[lidx]
            ax, ay = (d.lon[f] - p.x()) / xpx, (d.lat[f] - p.y()) / ypx
            bx, by = (d.lon[t] - p.x()) / xpx, (d.lat[t] - p.y()) / ypx
            vx, vy = bx - ax, by - ay
            ll = vx * vx + vy * vy
            u = np.clip(np.where(ll > 0, -(ax * vx + ay * vy) / np.where(ll > 0, ll, 1), 0), 0, 1)
            dist = np.hypot(ax + u * vx, ay + u * vy)
            k = int(np.argmin(dist))
            if dist[k] <= 5:
                return "legs", str(d.leg_ids[lidx[k]])
        return None

    def _on_click(self, ev) -> None:  # noqa: ANN001 - pyqtgraph MouseClickEvent
        if ev.button() != Qt.MouseButton.LeftButton:  # (the pins item accepts clicks itself)
            return
        if not self.vb.sceneBoundingRect().contains(ev.scenePos()):
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

    def _on_hover(self, scene_pos: QPointF) -> None:
        if self.data is None or not self.vb.sceneBoundingRect().contains(scene_pos):
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

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        (x0, x1), (y0, y1) = self.vb.viewRange()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.vb.scaleBy(s=0.7)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.vb.scaleBy(s=1 / 0.7)
        elif key == Qt.Key.Key_Left:
            self.vb.translateBy(x=-0.15 * (x1 - x0))
        elif key == Qt.Key.Key_Right:
            self.vb.translateBy(x=0.15 * (x1 - x0))
        elif key == Qt.Key.Key_Up:
            self.vb.translateBy(y=0.15 * (y1 - y0))
        elif key == Qt.Key.Key_Down:
            self.vb.translateBy(y=-0.15 * (y1 - y0))
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.zoom_to_fit()
        elif key == Qt.Key.Key_Escape:
            self.selection.clear(self)
            self._update_selection_state()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
