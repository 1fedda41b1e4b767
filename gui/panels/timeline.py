"""The timeline panel: events, shipment legs and statements on a date axis, one lane per shipment or speaker.

The drawing is ``caseboard.gui.plots.timeline_plot.TimelinePlot`` (the same plot the report's figure uses);
this panel adds the header, selection by click and by time range, tooltips and keys. Items are identified by
position and rowid; text ids are read lazily for clicks.

Loading runs on the thread pool with its own read-only connection; a result for an older request is dropped.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
)
from PySide6.QtWidgets import QLabel, QMenu, QToolButton, QToolTip, QWidget

from caseboard.db import labels
from caseboard.db.case import Case
from caseboard.db.plotdata import TimelineData, mark_labels, timeline_data
from caseboard.db.plotpatch import TIMELINE_DRAWS, patch_timeline
from caseboard.gui.panels import style
from caseboard.gui.plots.timeline_item import DAY, KINDS
from caseboard.gui.plots.timeline_plot import TimelinePlot, prepare_timeline
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.selection_chips import SelectionChips
from caseboard.gui.workers import BackgroundLoadedPanel, Worker


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


class TimelinePanel(BackgroundLoadedPanel, QWidget):
    """Dates of the case on one axis; see the module docstring. Emits ``loaded`` after new data are drawn."""

    loaded = Signal()

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        self._fit_pending = True

        self.vb = _TimeViewBox()
        self.vb.rangeDragged.connect(self._on_range_drag)
        self.plot = TimelinePlot(self.vb)
        self._axis = self.plot.date_axis
        self.item = self.plot.item
        # labels of cases too large to read them in bulk: read off the UI thread for the view and a view's width
        # either side, then kept; marks whose labels have not arrived yet are drawn unlabelled meanwhile
        self._labeler = Worker(self, on_result=self.item.add_labels, on_failure=self._labels_failed)
        self.item.label_request = self._request_labels
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

        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)

        # header: status, range mode, zoom to fit, undated items
        self.status = QLabel("No case open")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
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
        self.unknown_menu.menuAction().setObjectName("menu_undated")
        buttons = [self.unknown_button, self.range_button, self.fit_button]
        self.chips = SelectionChips(selection, self)
        style.plot_panel_layout(self, self.status, buttons, self.plot, self.chips)

        selection.changed.connect(self._on_selection)

    # -- public API ----------------------------------------------------------------------------------------------
    _load = staticmethod(timeline_data)
    _prepare = staticmethod(prepare_timeline)
    _what = "the timeline"
    _patch = staticmethod(patch_timeline)
    draws = TIMELINE_DRAWS

    @property
    def data(self) -> TimelineData | None:
        return self.plot.item.data

    @property
    def highlight(self) -> dict[str, np.ndarray]:
        """kind -> bool mask of the items drawn highlighted; empty when nothing is selected."""
        return self.plot.item.highlight

    def zoom_to_fit(self) -> None:
        self.plot.zoom_to_fit()

    def highlighted_ids(self, table: str) -> set[str]:
        """Ids drawn highlighted (related to the selection); empty when nothing is selected."""
        return self.plot.highlighted_ids(table, self._conn())

    def lane_of(self, table: str, row_id: str) -> str | None:
        """Label of the lane an item is drawn in (for tests and tooltips)."""
        return self.plot.lane_of(table, row_id, self._conn())

    def _conn(self) -> sqlite3.Connection | None:
        return self.case.conn if self.case is not None else None

    def select_time_range(self, x0: float, x1: float) -> None:
        """Select the days between two axis positions (seconds), as a finished range drag does."""
        self._on_range_drag(x0, x1, True)

    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the current figure with its legend as vectors into ``target`` (e.g. a QPdfWriter page)."""
        self.plot.render_to(painter, target, title=title)

    # -- loading -------------------------------------------------------------------------------------------------
    def _request_labels(self, wanted: dict[str, np.ndarray]) -> None:
        if self.case is not None:
            self._labeler.submit(self.case, _read_labels, wanted)

    def _labels_failed(self, _message: str) -> None:
        self.item.add_labels({})  # nothing pending any more: the next frame asks again

    def _apply(self, data: TimelineData | None) -> None:
        self._labeler.cancel()  # labels read for the data being replaced
        self.plot.set_data(data)
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
            action.setObjectName(f"action_undated_{item.table}_{item.id}")
            action.triggered.connect(
                lambda _=False, t=item.table, i=item.id: self.selection.select_item(t, i, self)
            )
        if total > len(data.unknown):
            more = self.unknown_menu.addAction(f"\u2026 and {total - len(data.unknown):,} more")
            more.setObjectName("action_undated_more")
            more.setEnabled(False)

    # -- selection -----------------------------------------------------------------------------------------------
    def _on_selection(self, sel: Selection, origin: object) -> None:
        self._show_range(sel)
        if origin is self:
            return
        self._update_highlight()

    def _update_highlight(self) -> None:
        sel = self.selection.selection
        item = self.plot.item
        item.selected = None
        if sel.row_id is not None and sel.table in KINDS and item.data is not None:
            pos = item.data.marks(sel.table).get(sel.row_id, self._conn())
            item.selected = (sel.table, pos) if pos is not None else None
        self.plot.set_related(self.selection.related, self._conn())

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
        if self.data is None:
            return
        lane = self.plot.lane_at(scene_pos)  # a lane title shortened to fit its gutter: the full name
        if lane is not None:
            QToolTip.showText(
                self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), style.plain_tooltip(lane), self.plot
            )
            return
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            return
        hit = self._hit_scene(scene_pos)
        if hit is None:
            QToolTip.hideText()
            return
        kind, index = hit
        row_id = self.data.marks(kind).id_at(index, self._conn())
        text = self.describe(kind, row_id) if row_id else ""
        QToolTip.showText(
            self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), style.plain_tooltip(text), self.plot
        )

    def describe(self, table: str, row_id: str) -> str:
        """Tooltip text for one item, read from the case on demand (titles are not loaded in bulk)."""
        return "" if self.case is None else labels.tooltip(self.case.conn, table, row_id)

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


def _read_labels(
    conn: sqlite3.Connection, wanted: dict[str, np.ndarray]
) -> dict[str, tuple[np.ndarray, dict[int, tuple[str, int]]]]:
    """On a worker: kind -> (rowids asked for, their labels), as ``TimelineItem.add_labels`` takes them."""
    return {kind: (rowids, mark_labels(conn, kind, rowids)) for kind, rowids in wanted.items()}
