"""The map's background item: basemap, graticule and shipment legs of one view, in longitude/latitude.

It is painted into a cached image covering the view plus a margin; while the view pans or zooms that image is
only stretched onto the screen, and it is painted again shortly after the view comes to rest (or at once when
the legs or their highlighting change). Legs with the same ends and mode are drawn as one line, wider the more
legs it carries; antialiasing is left off above ``AA_LIMIT`` lines. For a PDF the same item paints vectors,
clipped to the view. It holds only its data and masks: the window's map and the report's figure share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QTransform

from caseboard.db.plotdata import MapData
from caseboard.db.schema import LEG_MODES
from caseboard.gui.panels import style
from caseboard.resources.basemap import Basemap, clip, load_basemap

DASH_LIMIT = 1500  # above this many lines shown, they are drawn solid: Qt dashes long lines slowly
AA_LIMIT = 4000  # above this many lines shown, they are drawn without antialiasing
# wide enough to centre the whole world in a tall, narrow panel with the aspect locked
LON_LIMIT = 400.0
LAT_LIMIT = 400.0
CROWDED_OPACITY = 0.45  # legs drawn translucent when there are so many they would bury the pins and labels
CACHE_MARGIN = 0.25  # the cached layer image covers this much more than the view on each side


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


@dataclass
class Segments:
    """Legs merged by (from, to, mode): one line per pair of places and mode, with how many legs it carries."""

    leg_seg: np.ndarray  # per leg: index of its segment
    frm: np.ndarray
    to: np.ndarray
    mode: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, d: MapData) -> Segments:
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


def _lines(d: MapData | None, s: Segments | None, shown: np.ndarray) -> np.ndarray:
    """The shown leg lines as rows (from lon, lat, to lon, lat, mode, count): a patch moves the places it touched
    to the end of the arrays, so positions alone cannot tell whether the lines changed (see ``_same_lines``)."""
    if d is None or s is None or not shown.any():
        return np.zeros((0, 6))
    f, t = s.frm[shown], s.to[shown]
    return np.column_stack([d.lon[f], d.lat[f], d.lon[t], d.lat[t], s.mode[shown], s.count[shown]])


def _same_lines(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two sets of ``_lines`` rows are the same, in any order. Different column sums settle most edits
    that moved a place at once; only equal ones pay for sorting both."""
    if a.shape != b.shape:
        return False
    if not np.allclose(
        a.sum(axis=0), b.sum(axis=0), rtol=1e-9, atol=1e-9
    ):  # (sums in another order round apart)
        return False
    return np.array_equal(a[np.lexsort(a.T[::-1])], b[np.lexsort(b.T[::-1])])


class BasemapPaths:
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


_PATHS: BasemapPaths | None = None


def basemap_paths() -> BasemapPaths:
    global _PATHS
    if _PATHS is None:
        try:
            bm = load_basemap()
        except (OSError, KeyError, ValueError):  # a missing basemap must not take the map down
            bm = None
        _PATHS = BasemapPaths(bm)
    return _PATHS


def graticule_step(span: float) -> float:
    return 10 if span > 40 else 5 if span > 15 else 2 if span > 6 else 1


class MapLayer(pg.GraphicsObject):
    """Basemap, graticule and legs of one view (see the module docstring), as vectors when exporting.

    On screen it keeps three cached images, each painted again only when needed: the basemap (after the view
    moves), the legs (after the view moves or what is shown changes) and the highlighted legs (after the
    selection changes too). Dimming the legs for a selection is drawing their image translucent, so selecting
    an item repaints only its own few lines, not 50,000.
    """

    PARTS = ("base", "legs", "hl")

    def __init__(self, vb: pg.ViewBox) -> None:
        super().__init__()
        self.vb = vb
        self._paths = basemap_paths()
        self.data: MapData | None = None
        self.segments: Segments | None = None
        self.seg_shown = np.zeros(0, dtype=bool)  # lines drawn at all
        self.seg_hl: np.ndarray | None = None  # lines drawn highlighted; None: nothing selected
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

    def set_legs(
        self, data: MapData | None, segments: Segments | None, shown: np.ndarray, hl: np.ndarray | None
    ) -> None:
        """What to draw: the lines of ``segments`` where ``shown``, those where ``hl`` highlighted."""
        same = (
            np.array_equal(self.seg_shown, shown)
            if self.data is data and self.segments is segments
            else _same_lines(_lines(self.data, self.segments, self.seg_shown), _lines(data, segments, shown))
        )
        self.data, self.segments, self.seg_shown, self.seg_hl = data, segments, shown, hl
        # the legs image only when the lines shown changed (a selection, or an edit the map does not draw, repaints
        # just the highlighted); the basemap never depends on the data
        self.invalidate(("hl",) if same else ("legs", "hl"))

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
        dim = self.seg_hl is not None
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
            elif name == "legs" and len(self.seg_shown) and self.seg_shown.sum() > AA_LIMIT:
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
        # in device pixels: on a HiDPI screen (200 % scaling) the cached image is as sharp as the screen
        widget = self.vb.getViewWidget()
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        iw, ih = int(w * (1 + 2 * m) * dpr), int(h * (1 + 2 * m) * dpr)
        img = QImage(iw, ih, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        sx, sy = iw / area.width(), ih / area.height()
        tr = QTransform(sx, 0, 0, -sy, -area.left() * sx, area.bottom() * sy)
        qp = QPainter(img)
        try:
            self._paint_layer(qp, tr, area, dpr, part=name)
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
        self._paint_layer(p, tr, view, px, part="export")
        p.restore()

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
        # beyond the poles and the date line there is no map: say so rather than draw more ocean
        outside = QColor(style.OUTSIDE)
        for r in (
            QRectF(x0, 90.0, x1 - x0, max(0.0, y1 - 90.0)),
            QRectF(x0, y0, x1 - x0, max(0.0, -90.0 - y0)),
            QRectF(x0, y0, max(0.0, -180.0 - x0), y1 - y0),
            QRectF(180.0, y0, max(0.0, x1 - 180.0), y1 - y0),
        ):
            if r.width() > 0 and r.height() > 0:
                p.fillRect(tr.mapRect(r), outside)
        # graticule
        step = graticule_step(span)
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
