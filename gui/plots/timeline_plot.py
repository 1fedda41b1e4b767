"""The timeline as a plot: date axis, lane titles, lane stripes, the drawing item and its legend.

Built from data alone (``set_data``, ``set_related``), so the window's timeline panel and the report's Figure 1
are the same plot; the panel adds the header, the range selection and the mouse.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPaintEngine, QPainter, QPen, QPolygonF

from caseboard.db.plotdata import TimelineData, timeline_data
from caseboard.db.related import Related
from caseboard.db.schema import LEG_MODES
from caseboard.gui.panels import style
from caseboard.gui.plots.date_axis import DateAxis
from caseboard.gui.plots.lane_axis import LaneAxis
from caseboard.gui.plots.timeline_item import DAY, KINDS, LaneRows, TimelineItem

NO_CASE_HINT = "No case open.\nFile \u203a Open\u2026 a case, or File \u203a New Case\u2026"
EMPTY_HINT = (
    "Nothing dated yet.\nCreate an event (Edit \u203a New \u203a Event) or import a report\n"
    "(File \u203a Import \u203a Import Report\u2026); undated items are listed under \u201cNo date\u201d."
)
ROW_PX = 22.0  # a row of marks (and their labels) at most this tall
MIN_ROW_PX = 16.0  # and at least this tall, so labels and lane titles never run into each other
GUTTER_MAX_PX = 190.0  # lane titles take this much, or a quarter of the plot when that is less
GUTTER_MIN_PX = 60.0


def load_timeline(conn: sqlite3.Connection) -> TimelineData:
    """Read the timeline and prepare its drawing indexes (on a worker thread: nothing here touches Qt)."""
    return prepare_timeline(timeline_data(conn))


def prepare_timeline(data: TimelineData) -> TimelineData:
    """Build the indexes and lane heights drawing needs, on the worker that made ``data`` (a sort over every
    item: seconds at a million events, never on the UI thread)."""
    for kind in KINDS:
        data.marks(kind).prepare()
    data.lane_rows = LaneRows.of(data)  # type: ignore[attr-defined]
    return data


def highlight_masks(
    data: TimelineData | None, rel: Related | None, conn: sqlite3.Connection | None
) -> dict[str, np.ndarray]:
    """kind -> bool mask of the items ``rel`` names; {} when nothing is selected (any thread)."""
    masks: dict[str, np.ndarray] = {}
    if rel is None or data is None:
        return masks
    for kind in KINDS:
        marks = data.marks(kind)
        rowids = rel.rowids_of(kind)
        if rowids is not None:  # read with the related ids: a numpy lookup, no text ids involved
            pos = marks.rowid_index.positions(rowids)
        else:
            pos = marks.positions_of(rel.ids(kind), conn)
        mask = np.zeros(len(marks), dtype=bool)
        mask[pos] = True
        masks[kind] = mask
    return masks


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


class TimelinePlot(pg.PlotWidget):
    """Lanes of dated items on a date axis; ``vb`` lets the panel supply a view box with its own mouse rules."""

    def __init__(self, vb: pg.ViewBox | None = None, parent: pg.QtWidgets.QWidget | None = None) -> None:
        self.vb = vb if vb is not None else pg.ViewBox()
        self.vb.setMouseEnabled(x=True, y=False)
        self.vb.invertY(True)
        self.date_axis = DateAxis(orientation="bottom", utcOffset=0)
        self.lanes_axis = LaneAxis("left")
        self.lanes_axis.setStyle(tickLength=0, autoExpandTextSpace=False)
        self.lanes_axis.setWidth(GUTTER_MAX_PX)
        super().__init__(
            parent, viewBox=self.vb, axisItems={"bottom": self.date_axis, "left": self.lanes_axis}
        )
        self.setBackground(style.PAPER)
        self.setMenuEnabled(False)
        self.hideButtons()
        style.style_axes(self, style.LABEL_COLOR)
        pi = self.getPlotItem()
        self.item = TimelineItem()
        self.vb.addItem(self.item)
        self._stripes: list[pg.QtWidgets.QGraphicsRectItem] = []
        self.legend = style.Legend(_legend_swatches())
        # parent first: that hands ownership to Qt, so Python never frees it a second time after the scene
        self.legend.setParentItem(pi)
        pi.layout.addItem(self.legend, 4, 1)
        # what to do when there is nothing to draw, in the middle of the chart
        self.hint = pg.TextItem(
            anchor=(0.5, 0.5), color=style.LABEL_COLOR, fill=pg.mkBrush(style.color(style.PAPER, 225))
        )
        self.hint.setFont(style.pixel_font(style.PLACE_LABEL_PX + 2))
        self.hint.setParentItem(self.vb)
        self.hint.setZValue(950)
        self.vb.sigResized.connect(lambda *_: self.hint.setPos(self.vb.width() / 2, self.vb.height() / 2))
        # after the resize, not inside it: widening the gutter while the scene lays out or paints crashes Qt
        self._resize_timer = QTimer(self, singleShot=True, interval=0)
        self._resize_timer.timeout.connect(self._on_resized)
        self.vb.sigResized.connect(lambda *_: self._resize_timer.start())

    def close(self) -> bool:
        """Close once: pyqtgraph's PlotWidget.close fails when called a second time."""
        if self.plotItem is None:
            return True
        return bool(super().close())

    @property
    def data(self) -> TimelineData | None:
        return self.item.data

    # -- data ------------------------------------------------------------------------------------------------------
    def set_data(self, data: TimelineData | None) -> None:
        self.item.set_data(data)
        self._update_lanes()
        self.hint.setText(NO_CASE_HINT if data is None else EMPTY_HINT)
        self.hint.setVisible(data is None or data.span() is None)
        self.hint.setPos(self.vb.width() / 2, self.vb.height() / 2)

    def set_related(self, rel: Related | None, conn: sqlite3.Connection | None) -> None:
        """Highlight what ``rel`` names (None: nothing selected, all undimmed)."""
        self.item.set_highlight(highlight_masks(self.item.data, rel, conn))

    def highlighted_ids(self, table: str, conn: sqlite3.Connection | None) -> set[str]:
        """Ids drawn highlighted (related to the selection); empty when nothing is selected."""
        data = self.item.data
        if data is None or table not in self.item.highlight:
            return set()
        return data.marks(table).ids_at(np.flatnonzero(self.item.highlight[table]), conn)

    def lane_of(self, table: str, row_id: str, conn: sqlite3.Connection | None) -> str | None:
        """Label of the lane an item is drawn in."""
        data = self.item.data
        if data is None:
            return None
        marks = data.marks(table)
        i = marks.get(row_id, conn)
        return None if i is None else data.lanes[int(marks.lane[i])].label

    # -- view ------------------------------------------------------------------------------------------------------
    def zoom_to_fit(self) -> None:
        data = self.item.data
        span = data.span() if data else None
        if span is None:
            return
        lo, hi = span[0], span[1] + 1
        pad = max(1.0, (hi - lo) * 0.04)
        self.vb.setXRange((lo - pad) * DAY, (hi + pad) * DAY, padding=0)
        self.fit_lanes()

    def fit_lanes(self) -> None:
        """Rows ROW_PX tall from the top (a short chart leaves the bottom empty), down to MIN_ROW_PX when many
        lanes must fit; below that the chart shows the first lanes and pans up and down to the rest."""
        total = max(1, self.item.rows.total)
        h = self.vb.height() if self.vb.height() > 1 else 300.0
        row_px = max(MIN_ROW_PX, min(ROW_PX, h / total))
        shown = h / row_px
        self.vb.setLimits(yMin=0.0, yMax=max(float(total), shown), minYRange=shown, maxYRange=shown)
        self.vb.setMouseEnabled(x=True, y=total > shown + 0.01)
        (_y0, _y1) = self.vb.viewRange()[1]
        top = _y0 if total > shown and 0 <= _y0 <= total - shown else 0.0
        self.vb.setYRange(top, top + shown, padding=0)

    def _on_resized(self) -> None:
        gutter = max(GUTTER_MIN_PX, min(GUTTER_MAX_PX, self.width() / 4))
        if abs(self.lanes_axis.width() - gutter) > 0.5:
            self.lanes_axis.setWidth(gutter)
            self._update_lane_titles()
        self.fit_lanes()

    def lane_at(self, scene_pos: QPointF) -> str | None:
        """The full title of the lane at a scene position in the lane gutter (for its tooltip)."""
        if self.item.data is None or not self.lanes_axis.sceneBoundingRect().contains(scene_pos):
            return None
        y = self.vb.mapSceneToView(scene_pos).y()
        geo = self.item.rows
        i = int(np.searchsorted(geo.top, y, side="right")) - 1
        if 0 <= i < len(self.item.data.lanes) and y < geo.top[i] + geo.rows[i]:
            return self.item.data.lanes[i].label
        return None

    def _update_lane_titles(self) -> None:
        lanes = self.item.data.lanes if self.item.data else []
        geo = self.item.rows
        fm = pg.QtGui.QFontMetrics(self.lanes_axis.style.get("tickFont") or self.font())
        room = int(self.lanes_axis.width()) - 10
        # elided in the middle: "Military equipment … from Najin" keeps both ends; the full name is on hover
        ticks = [
            (
                float(geo.top[i] + geo.rows[i] / 2),
                fm.elidedText(lane.label, Qt.TextElideMode.ElideMiddle, room),
            )
            for i, lane in enumerate(lanes)
        ]
        self.lanes_axis.setTicks([ticks, []])

    def _update_lanes(self) -> None:
        for r in self._stripes:
            self.vb.removeItem(r)
        self._stripes = []
        lanes = self.item.data.lanes if self.item.data else []
        geo = self.item.rows
        self._update_lane_titles()
        for i in range(0, len(lanes), 2):
            stripe = pg.QtWidgets.QGraphicsRectItem(
                QRectF(-1e12, float(geo.top[i]), 2e12, float(geo.rows[i]))
            )
            stripe.setPen(QPen(Qt.PenStyle.NoPen))
            stripe.setBrush(QColor(style.LANE_STRIPE))
            stripe.setZValue(-10)
            self.vb.addItem(stripe, ignoreBounds=True)
            self._stripes.append(stripe)
        self.fit_lanes()

    # -- export ----------------------------------------------------------------------------------------------------
    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the current figure with its legend as vectors into ``target`` (e.g. a QPdfWriter page)."""
        (x0, x1), _ = self.vb.viewRange()

        def relayout() -> None:
            self.vb.setXRange(x0, x1, padding=0)
            self._on_resized()

        style.render_plot(
            self, painter, target, title=title, on_scale=self._set_export_scale, on_layout=relayout
        )
        self._on_resized()

    def _set_export_scale(self, px: float) -> None:
        self.item.px = px
        self.item.invalidate()
