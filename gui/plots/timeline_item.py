"""The timeline's one drawing item: events, legs, statements and shipments from ``TimelineData`` arrays.

It works out in device pixels what is visible and paints it directly, so a marker stays nine pixels wide at any
zoom, uncertain dates get soft ends, and nothing costs a QGraphicsItem per row. When more than
``DENSITY_THRESHOLD`` items of a kind are visible it paints their density per lane instead (a histogram per pixel
column) - a million-point scatter would take most of a second per frame. Hit testing reuses the same layout, so
what is clicked is what was drawn.

Painting is batched by style: bars of one colour go to one ``drawRects`` (soft ends use one gradient brush in
ObjectBoundingMode for the whole batch), markers and dashed leg edges to one path built by numpy, identical
translucent bars are merged, and the result is kept as an image until the layout changes. Export (PDF) keeps a
per-item vector path. The item holds only its data and a highlight mask per kind: the window's panel and the
report's figure draw with the same item.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGradient,
    QImage,
    QLinearGradient,
    QPaintEngine,
    QPainter,
    QPen,
    QPolygonF,
)

from caseboard.db.plotdata import LegBars, Marks, TimelineData
from caseboard.gui.panels import style
from caseboard.gui.plots.labels import Box, Candidate, Placer

DAY = 86400.0
#: Above this many visible items of one kind, draw their density instead of each item.
DENSITY_THRESHOLD = 1500
KINDS = ("shipments", "legs", "events", "statements")
MARKER_PX = 9.0
FUZZY_MIN_PX = 18.0
SPAN_MIN_PX = 5.0
DENSITY_BIN_PX = 2
MAX_ROWS = 3  # overlapping items in a lane stack up to this many rows
LABEL_PX = 11.0
LABELLED = ("legs", "events", "statements")
SHORT_CHARS = 12  # the shortened form of a label that finds no room whole
LABEL_CANDIDATES = 400  # per kind: in busier views only the most important marks are offered a label
PREFETCH = 4000  # per kind: labels asked for at once, the view's first, then a view's width either side
OWNER = 1 << 24  # owner id of a mark: kind number * OWNER + its index in the layout


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


def _pack_rows(
    x0: np.ndarray, x1: np.ndarray, lane: np.ndarray, tol: float = 1.0, rows: list[int] | None = None
) -> np.ndarray:
    """Greedy interval packing per lane so overlapping items sit on separate rows (items sorted by x0).

    ``rows[lane]`` is how many rows the lane has for this kind (MAX_ROWS each when None); an item with no free
    row goes on the first. A plain loop over lists (it runs per frame for up to DENSITY_THRESHOLD items, so no
    dicts or numpy scalars).
    """
    n_lanes = int(lane.max()) + 1 if len(lane) else 0
    last = [[-math.inf] * MAX_ROWS for _ in range(n_lanes)]
    ranges = [range(max(1, min(MAX_ROWS, rows[i] if rows is not None else MAX_ROWS))) for i in range(n_lanes)]
    out = []
    for a, b, ln in zip(x0.tolist(), x1.tolist(), lane.tolist(), strict=True):
        ends = last[ln]
        lim = a + tol
        r = 0
        for k in ranges[ln]:
            if ends[k] <= lim:
                r = k
                break
        if b > ends[r]:
            ends[r] = b
        out.append(r)
    return np.array(out, dtype=np.int8)


@dataclass
class LaneRows:
    """How tall each lane is, in rows, and where each kind's band of rows starts in it."""

    rows: np.ndarray  # rows per lane (at least one)
    top: np.ndarray  # first row of each lane, counted from the top of the chart
    band: dict[str, np.ndarray]  # kind -> first row of its band within the lane
    kind_rows: dict[str, list[int]]  # kind -> rows of its band per lane (0 when the lane has none)

    @property
    def total(self) -> int:
        return int(self.rows.sum()) if len(self.rows) else 0

    @classmethod
    def of(cls, data: TimelineData | None) -> LaneRows:
        """A lane is as tall as the most items of one kind that share a day in it (at most MAX_ROWS per kind):
        in a shipment's lane the legs' rows come first, then its events'; one row of marks, one row of lane."""
        n = len(data.lanes) if data is not None else 0
        per_kind: dict[str, np.ndarray] = {}
        for kind in ("legs", "events", "statements"):
            conc = np.zeros(n, dtype=np.int64)
            m = data.marks(kind) if data is not None else None
            if m is not None and len(m):
                pos = np.concatenate([m.start.astype(np.int64), m.end.astype(np.int64) + 1])
                delta = np.concatenate([np.ones(len(m), np.int64), -np.ones(len(m), np.int64)])
                lanes = np.concatenate([m.lane, m.lane]).astype(np.int64)
                order = np.lexsort((delta, pos, lanes))  # per lane, by day, ends before starts on one day
                # every lane's deltas add up to zero, so one running sum restarts at each lane
                np.maximum.at(conc, lanes[order], np.cumsum(delta[order]))
            per_kind[kind] = np.minimum(conc, MAX_ROWS)
        rows = np.maximum(per_kind["legs"] + per_kind["events"] + per_kind["statements"], 1)
        top = np.concatenate([[0], np.cumsum(rows)[:-1]]) if n else np.zeros(0, dtype=np.int64)
        band = {
            "legs": np.zeros(n, dtype=np.int64),
            "events": per_kind["legs"].copy(),
            "statements": per_kind["legs"] + per_kind["events"],
            "shipments": np.zeros(n, dtype=np.int64),
        }
        kind_rows = {k: v.tolist() for k, v in per_kind.items()}
        kind_rows["shipments"] = rows.tolist()
        return cls(rows, top.astype(np.float64), band, kind_rows)


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


class TimelineItem(pg.GraphicsObject):
    """Paints the whole timeline from its data and highlight masks; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.data: TimelineData | None = None
        self.rows = LaneRows.of(None)
        #: (kind, position) of the selected item: its label goes first
        self.selected: tuple[str, int] | None = None
        #: kind -> the number each item carries in a numbered list beside the chart (the report's chronology)
        self.numbers: dict[str, np.ndarray] | None = None
        #: (kind, rowids) -> {rowid: (label, citations)} for cases too large to load labels in bulk
        self.label_source: Callable[[str, np.ndarray], dict[int, tuple[str, int]]] | None = None
        #: {kind: rowids} -> None: ask for labels off the UI thread; they come back through ``add_labels``.
        #: Preferred over ``label_source`` (a window's panel): until they arrive the marks go unlabelled.
        self.label_request: Callable[[dict[str, np.ndarray]], None] | None = None
        self._pending: dict[str, set[int]] = {}
        #: (version, kinds drawn one by one, first day, last day) whose labels were last asked for in full
        self._asked: tuple[int, frozenset[str], int, int] | None = None
        self._widths: dict[tuple[float, str], float] = {}
        self.show_labels = True
        self._label_cache: dict[str, dict[int, tuple[str, int]]] = {}
        #: placed labels as (box in device pixels, text, kind, position, drawn undimmed)
        self.labels: list[tuple[Box, str, str, int, bool]] = []
        self.hidden: dict[int, int] = {}  # lane -> labels left out for want of room
        self.hidden_boxes: dict[int, tuple[Box, str]] = {}
        #: kind -> bool mask over the kind's arrays; empty when nothing is selected (all drawn undimmed)
        self.highlight: dict[str, np.ndarray] = {}
        self._hl_positions: dict[str, np.ndarray] = {}
        self.version = 0  # bumped whenever what is drawn changes; keys the layout cache
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
        data = self.data
        if self._bounds is None or self._bounds[0] is not data:
            span = data.span() if data else None
            rect = QRectF()
            if span is not None:
                rect = QRectF(span[0] * DAY, 0.0, (span[1] - span[0] + 1) * DAY, max(1, self.rows.total))
            self._bounds = (data, rect)
        return QRectF(self._bounds[1])

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: ANN001 - pyqtgraph API
        r = self.boundingRect()
        if r.isNull():
            return None, None
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def set_data(self, data: TimelineData | None) -> None:
        self.data = data
        self._label_cache = {}
        self._pending = {}
        self._asked = None
        prepared = getattr(data, "lane_rows", None)  # computed on the loader's thread (prepare_timeline)
        self.rows = prepared if isinstance(prepared, LaneRows) else LaneRows.of(data)
        self.set_highlight({})

    def set_highlight(self, masks: dict[str, np.ndarray]) -> None:
        """Draw the items where ``masks[kind]`` is True in full colour and the rest dimmed ({}: none dimmed)."""
        self.highlight = masks
        self._hl_positions = {}
        self.version += 1
        self.invalidate()

    def highlight_positions(self, kind: str) -> np.ndarray:
        """Positions of the highlighted items of ``kind`` (cached per highlight)."""
        got = self._hl_positions.get(kind)
        if got is None:
            mask = self.highlight.get(kind)
            got = np.flatnonzero(mask) if mask is not None else np.zeros(0, dtype=np.int64)
            self._hl_positions[kind] = got
        return got

    def invalidate(self) -> None:
        self._cache_key = None
        self._image = None
        self._bounds = None
        self.prepareGeometryChange()
        self.update()

    # layout
    def layout(self, t) -> tuple[dict[str, _Laid], dict[str, _Density]]:  # noqa: ANN001 - QTransform
        """Geometry in device pixels for item->device transform ``t``; cached until the view or data change."""
        vb = self.getViewBox()
        key = (t.m11(), t.m22(), t.dx(), t.dy(), self.version, self.px, str(vb.viewRange() if vb else None))
        if self._cache is not None and key == self._cache_key:
            return self._cache
        laid: dict[str, _Laid] = {}
        dens: dict[str, _Density] = {}
        data = self.data
        if data is None or vb is None:
            return laid, dens
        (vx0, vx1), (vy0, vy1) = vb.viewRange()
        sx, ox, sy, oy = t.m11(), t.dx(), t.m22(), t.dy()
        ya, yb = sorted((vy0 * sy + oy, vy1 * sy + oy))
        # days that can show: the view plus the widest minimum width an item is drawn with
        margin = FUZZY_MIN_PX * self.px / max(abs(sx), 1e-12)
        d0, d1 = math.floor((vx0 - margin) / DAY), math.floor((vx1 + margin) / DAY)
        row_h = abs(sy)  # device pixels per row
        px = self.px
        geo = self.rows
        for kind in KINDS:
            marks = data.marks(kind)
            if not len(marks):
                continue
            hl = self.highlight.get(kind)
            if marks.density_index.overlapping(d0, d1) > DENSITY_THRESHOLD:
                dens[kind] = self._density(marks, t, len(data.lanes), kind)
                if hl is None:
                    continue
                # the related ones are still drawn one by one on top
                cand = self.highlight_positions(kind)
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
            # each kind has its band of rows in the lane (a shipment's legs above its events)
            top = geo.top[lane] + geo.band[kind][lane]
            if kind == "shipments":
                h = row_h * 0.9  # a faint band behind the shipment's first row
            else:
                h = min(row_h * 0.7, (12.0 if kind == "legs" else 14.0) * px)
            y = (top + 0.5) * sy + oy
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
                rows[order] = _pack_rows(x0[order], x1[order], lane[order], tol, geo.kind_rows[kind])
                y = y + rows * sy
            # rows above or below the view are neither drawn nor labelled: dropped here, after packing
            inside = (y >= ya - h) & (y <= yb + h)
            if not inside.all():
                vis, x0, x1, y, point = vis[inside], x0[inside], x1[inside], y[inside], point[inside]
                if xc0 is not None and xc1 is not None:
                    xc0, xc1 = xc0[inside], xc1[inside]
            laid[kind] = _Laid(vis, x0, x1, y, h, point, xc0, xc1)
        if self.show_labels and self.label_request is not None:
            self._prefetch(laid, d0, d1)
        self._layout_labels(laid, t, vb)
        self._cache_key = key
        self._cache = (laid, dens)
        return self._cache

    # labels
    def label_font(self) -> QFont:
        return style.pixel_font(LABEL_PX * self.px)

    def _texts(self, kind: str, idx: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Chart labels and citation counts of the items at positions ``idx`` (bulk arrays or the source)."""
        marks = self.data.marks(kind)  # type: ignore[union-attr]
        if marks.labels is not None and marks.cites is not None:
            return marks.labels[idx].tolist(), marks.cites[idx]
        if (self.label_source is None and self.label_request is None) or not len(idx):
            return [""] * len(idx), np.zeros(len(idx), dtype=np.int64)
        cache = self._label_cache.setdefault(kind, {})
        rowids = marks.rowids[idx]
        if self.label_request is not None:  # what is not here yet was asked for (``_prefetch``)
            rows = [cache.get(r, ("", 0)) for r in rowids.tolist()]
            return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.int64)
        missing = [r for r in rowids.tolist() if r not in cache]
        if missing:
            got = self.label_source(kind, np.array(missing, dtype=np.int64))
            for r in missing:
                cache[r] = got.get(r, ("", 0))
        rows = [cache[r] for r in rowids.tolist()]
        return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.int64)

    def _prefetch(self, laid: dict[str, _Laid], d0: int, d1: int) -> None:
        """Ask for the labels of the marks in view and a view's width either side that are not here yet."""
        data = self.data
        assert data is not None and self.label_request is not None
        if not any(data.marks(k).labels is None for k in LABELLED):
            return
        span = d1 - d0 + 1
        drawn = frozenset(k for k in LABELLED if k in laid)
        asked = self._asked
        if asked is not None and asked[:2] == (self.version, drawn) and asked[2] <= d0 and d1 <= asked[3]:
            return  # panning within the margins asked for last time: all there or on its way
        whole = True
        wanted: dict[str, np.ndarray] = {}
        for kind in LABELLED:
            g = laid.get(kind)
            marks = data.marks(kind)
            if g is None or not len(marks) or marks.labels is not None:
                continue
            hi = int(np.searchsorted(marks.start, d1 + span, side="right"))
            # spans that reach into the window start up to about a year before it
            lo = int(np.searchsorted(marks.start, d0 - span - 366, side="left"))
            near = lo + np.flatnonzero(marks.end[lo:hi] >= d0 - span)
            pos = np.concatenate([g.idx, near])  # the view's own first: long spans may start far back
            whole = whole and len(pos) <= PREFETCH
            rowids = marks.rowids[pos[:PREFETCH]]
            cache, pending = self._label_cache.get(kind, {}), self._pending.get(kind, set())
            missing = [r for r in rowids.tolist() if r not in cache]
            if missing and not pending.issuperset(missing):
                wanted[kind] = np.unique(np.array(missing, dtype=np.int64))
        self._asked = (self.version, drawn, d0 - span, d1 + span) if whole else None
        if not wanted:
            return
        # a new request replaces the one in flight (its answer is dropped): ask again for what it was fetching
        for kind, rows in self._pending.items():
            if kind not in wanted and rows:
                keep = np.fromiter(rows, dtype=np.int64)
                wanted[kind] = keep
        self._pending = {k: set(v.tolist()) for k, v in wanted.items()}
        self.label_request(wanted)

    def add_labels(self, got: dict[str, tuple[np.ndarray, dict[int, tuple[str, int]]]]) -> None:
        """Labels read for a ``label_request``: kind -> (rowids asked for, {rowid: (label, citations)})."""
        for kind, (asked, found) in got.items():
            cache = self._label_cache.setdefault(kind, {})
            for r in asked.tolist():
                cache[r] = found.get(r, ("", 0))
        self._pending = {}
        if not got:  # the read failed: ask again on the next frame
            self._asked = None
        self._cache_key = None
        self._image = None
        self.update()

    def _advance(self, fm: QFontMetricsF, text: str) -> float:
        """Text width, kept per font size: the same labels are measured on every frame of a pan."""
        key = (fm.height(), text)
        w = self._widths.get(key)
        if w is None:
            if len(self._widths) > 50_000:
                self._widths.clear()
            w = self._widths[key] = fm.horizontalAdvance(text)
        return w

    def _layout_labels(self, laid: dict[str, _Laid], t, vb: pg.ViewBox) -> None:  # noqa: ANN001 - QTransform
        """Place labels beside the drawn marks by priority (selected, related, most cited); count the rest."""
        self.labels = []
        self.hidden = {}
        data = self.data
        if data is None or not self.show_labels:
            return
        sx, ox, sy, oy = t.m11(), t.dx(), t.m22(), t.dy()
        (vx0, vx1), (vy0, vy1) = vb.viewRange()
        ya, yb = sorted((vy0 * sy + oy, vy1 * sy + oy))
        view = Box(vx0 * sx + ox, ya, vx1 * sx + ox, yb)
        fm = QFontMetricsF(self.label_font())
        th = fm.height()
        gap = 3.0 * self.px
        obstacles: list[Box] = []
        rows: list[tuple[float, int, int, int, float]] = []  # (priority, kind no., laid index, lane, y)
        pool: dict[int, tuple[str, int, str, float, float, float, bool]] = {}
        for k, kind in enumerate(LABELLED):
            g = laid.get(kind)
            if g is None or not len(g.idx):
                continue
            marks = data.marks(kind)
            shown = (g.x1 >= view.x0) & (g.x0 <= view.x1) & (g.y >= view.y0) & (g.y <= view.y1)
            fuzzy = marks.fuzzy[g.idx]
            solid = np.flatnonzero(shown & ~fuzzy)  # soft bars are backgrounds, not obstacles
            obstacles += map(
                Box,
                g.x0[solid].tolist(),
                (g.y[solid] - g.h / 2).tolist(),
                g.x1[solid].tolist(),
                (g.y[solid] + g.h / 2).tolist(),
                (solid + k * OWNER).tolist(),
            )
            vis = np.flatnonzero(shown)
            if len(vis) > LABEL_CANDIDATES:  # the busiest views: label the most important ones only
                vis = vis[:LABEL_CANDIDATES]
            prio = np.zeros(len(vis))
            hl = self.highlight.get(kind)
            if hl is not None:
                prio += hl[g.idx[vis]] * 1e9
            if self.selected is not None and self.selected[0] == kind:
                prio += (g.idx[vis] == self.selected[1]) * 3e9
            texts, cites = self._texts(kind, g.idx[vis])
            prio += np.minimum(cites, 1e6)
            lanes = marks.lane[g.idx[vis]]
            for j, i in enumerate(vis.tolist()):
                owner = k * OWNER + i
                rows.append((-float(prio[j]), float(g.x0[i]), owner, int(lanes[j]), float(g.y[i])))
                lit = hl is None or bool(hl[g.idx[i]])
                pool[owner] = (
                    texts[j],
                    int(g.idx[i]),
                    kind,
                    float(g.x0[i]),
                    float(g.x1[i]),
                    bool(g.point[i]),
                    lit,
                )
        if not rows:
            return
        rows.sort()
        cands = []
        row_h = abs(sy)
        for _p, _x, owner, lane, y in rows:
            text, pos, kind, x0, x1, point, _lit = pool[owner]
            forms = []
            num = self.numbers.get(kind) if self.numbers else None
            number = str(num[pos]) if num is not None and num[pos] else ""
            if text:
                full = f"{number} {text}" if number else text
                forms.append((full, self._advance(fm, full) + 4 * self.px))
                if len(text) > SHORT_CHARS + 2:  # where the whole label finds no room, its first words may
                    short = text[:SHORT_CHARS].rstrip() + "\u2026"
                    short = f"{number} {short}" if number else short
                    forms.append((short, self._advance(fm, short) + 4 * self.px))
            if number:
                forms.append((number, self._advance(fm, number) + 4 * self.px))
            if not forms:
                continue
            lo, hi = max(x0, view.x0), min(x1, view.x1)
            anchors = []
            if not point and hi - lo > 0:
                anchors.append((lo + gap, y, f"inside:{hi - lo - 2 * gap}"))
            anchors += [(x1 + gap, y, "right"), (x0 - gap, y, "left")]
            # or in a free row of its own lane, just above or below the mark
            lane_top = float(self.rows.top[lane]) * sy + oy
            lane_bottom = lane_top + float(self.rows.rows[lane]) * sy
            for dy in (-row_h, row_h):
                if min(lane_top, lane_bottom) < y + dy < max(lane_top, lane_bottom):
                    anchors.append((max(x0, view.x0) + gap * (0 if point else 1), y + dy, "right"))
            cands.append(Candidate(owner, forms, anchors))
        placer = Placer(obstacles, view, th)
        placed = placer.run(cands)
        hidden = self._count_hidden(rows, placed)
        if hidden:  # say so at the right end of each such lane, moving labels out of the way
            # sized for the most that can be hidden there (every candidate of the lane), as counts may grow
            offered: dict[int, int] = {}
            for _p, _x, _o, lane, _y in rows:
                offered[lane] = offered.get(lane, 0) + 1
            reserved = self._hidden_boxes({ln: offered[ln] for ln in hidden}, fm, view, th, sy, oy)
            placed = placer.reserve([b for b, _ in reserved.values()], cands)
            hidden = self._count_hidden(rows, placed)
            self.hidden_boxes = {
                ln: (b, f"{hidden.get(ln, 0):,} hidden") for ln, (b, _) in reserved.items() if hidden.get(ln)
            }
        else:
            self.hidden_boxes = {}
        self.hidden = hidden
        self.labels = [(b, text, pool[o][2], pool[o][1], pool[o][6]) for o, (b, text) in placed.items()]

    @staticmethod
    def _count_hidden(rows: list, placed: dict) -> dict[int, int]:
        out: dict[int, int] = {}
        for _p, _x, owner, lane, _y in rows:
            if owner not in placed:
                out[lane] = out.get(lane, 0) + 1
        return out

    def _hidden_boxes(
        self, hidden: dict[int, int], fm: QFontMetricsF, view: Box, th: float, sy: float, oy: float
    ) -> dict[int, tuple[Box, str]]:
        """Where each lane says how many labels it hides: the right end of the lane's first row."""
        out = {}
        for ln, n in hidden.items():
            text = f"{n:,} hidden"
            w = self._advance(fm, text) + 6 * self.px
            y = (float(self.rows.top[ln]) + 0.5) * sy + oy
            out[ln] = (Box(view.x1 - w - 2 * self.px, y - th / 2, view.x1 - 2 * self.px, y + th / 2), text)
        return out

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
        dim = 0.35 if self.highlight and subset is None else 1.0
        sub = 5  # image rows per chart row: a band's edge rows stay clear so lanes stay apart
        geo = self.rows
        total = max(1, geo.total)
        rgba = np.zeros((total * sub, ncols, 4), dtype=np.uint8)
        alpha = (np.where(counts > 0, 40 + 215 * level, 0) * dim).astype(np.uint8)
        rgba[..., 0], rgba[..., 1], rgba[..., 2] = base.red(), base.green(), base.blue()
        kind_key = kind.split("/")[0]
        for ln in range(min(n_lanes, len(geo.rows))):
            k_rows = geo.kind_rows[kind_key][ln] if kind_key in geo.kind_rows else int(geo.rows[ln])
            if k_rows <= 0 or not counts[ln].any():
                continue
            r0 = int(geo.top[ln] + geo.band[kind_key][ln]) * sub
            rgba[r0 + 1 : r0 + k_rows * sub - 1, :, 3] = alpha[ln]
        img = QImage(rgba.data, ncols, total * sub, ncols * 4, QImage.Format.Format_RGBA8888).copy()
        top = 0.0 * sy + oy
        bottom = total * sy + oy
        return _Density(img, QRectF(left, min(top, bottom), ncols * binw, abs(bottom - top)))

    # painting
    def paint(self, painter: QPainter, option, widget=None) -> None:  # noqa: ANN001 - Qt API
        if self.data is None:
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

    def _draw_labels(self, p: QPainter) -> None:
        if not self.labels and not self.hidden_boxes:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self.label_font())
        ink = QColor(style.LABEL_COLOR)
        dim = QColor(ink)
        dim.setAlpha(110)
        back = QColor(style.WATER)
        back.setAlpha(190)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for b, text, _kind, _pos, lit in self.labels:
            r = QRectF(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0)
            p.fillRect(r.adjusted(0, 1, 0, -1), back)
            p.setPen(ink if lit else dim)
            p.drawText(r.adjusted(2 * self.px, 0, 0, 0), flags, text)
        p.setPen(QColor(style.MUTED_COLOR))
        for b, text in self.hidden_boxes.values():
            r = QRectF(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0)
            p.fillRect(r, back)
            p.drawText(r, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)

    def _draw(self, painter: QPainter, laid: dict[str, _Laid], dens: dict[str, _Density]) -> None:
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
            hl = self.highlight.get(kind)
            related = hl[g.idx] if hl is not None else np.ones(len(g.idx), dtype=bool)
            if batched:
                # bars and their edges are axis-aligned: antialiasing only costs time (dashed edges most)
                # and would show seams between a fuzzy bar's core and its fades; markers turn it on
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                self._paint_batched(painter, kind, g, related, hl is not None)
            else:
                self._paint_each(painter, kind, g, related, hl is not None)
        self._draw_selected(painter, laid)
        self._draw_labels(painter)

    def _draw_selected(self, p: QPainter, laid: dict[str, _Laid]) -> None:
        """The selected item: a wider ring in the selection colour, apart from the outlines of related ones."""
        if self.selected is None:
            return
        kind, pos = self.selected
        g = laid.get(kind)
        if g is None:
            return
        at = np.flatnonzero(g.idx == pos)
        if not len(at):
            return
        i = int(at[0])
        m = 4.0 * self.px
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(style.color(style.HIGHLIGHT_COLOR), 3.0 * self.px))
        p.setBrush(Qt.BrushStyle.NoBrush)
        x0, x1, y, h = float(g.x0[i]), float(g.x1[i]), float(g.y[i]), float(g.h)
        p.drawRoundedRect(QRectF(x0 - m, y - h / 2 - m, x1 - x0 + 2 * m, h + 2 * m), 3 * self.px, 3 * self.px)

    # batched painting: one pen/brush per style and one C++ call per batch, not per item
    def _paint_batched(self, p: QPainter, kind: str, g: _Laid, related: np.ndarray, dimmed: bool) -> None:
        marks = self.data.marks(kind)
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
        marks = self.data.marks(kind)
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
