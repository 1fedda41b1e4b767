"""The map panel: places and legs of the case over an offline basemap.

The drawing is ``caseboard.gui.plots.map_plot.MapPlot`` (the same plot the report's figure uses); this panel
adds the header, selection by click, adding places, moving pins, tooltips and keys.

Loading runs on the thread pool with its own read-only connection; a result for an older request is dropped.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QLabel, QToolButton, QToolTip, QWidget

from caseboard.db import labels
from caseboard.db.case import Case
from caseboard.db.plotdata import MapData, map_data
from caseboard.db.plotpatch import MAP_DRAWS, patch_map
from caseboard.gui.panels import style
from caseboard.gui.plots.drag_viewbox import DragViewBox
from caseboard.gui.plots.map_plot import PIN_PX, MapPlot, View
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.selection_chips import SelectionChips
from caseboard.gui.workers import BackgroundLoadedPanel


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
        #: while True, moving a pin with the mouse emits ``pin_moved``
        self.editable = False
        self._fit_pending = True
        self._drag: dict | None = None

        self.plot = MapPlot(DragViewBox(self._drag_event))
        self.vb = self.plot.vb
        self._drag_pin = pg.ScatterPlotItem(pxMode=True, size=PIN_PX + 4, symbol="o")
        self._drag_pin.setZValue(30)
        self._drag_pin.hide()
        self.vb.addItem(self._drag_pin, ignoreBounds=True)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)

        self.status = QLabel("No case open")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status.setStyleSheet("color: #5f6368;")
        self.add_button = QToolButton(text="Add place", checkable=True)
        self.add_button.setToolTip("Click on the map to add a place there (Esc leaves this mode)")
        self.add_button.toggled.connect(self._add_mode_toggled)
        self.detail_button = QToolButton(text="Detail", checkable=True, checked=True)
        self.detail_button.setToolTip("Show a zoomed-in inset of a tight cluster of places")
        self.detail_button.toggled.connect(self.plot.set_detail)
        self.fit_button = QToolButton(text="Fit")
        self.fit_button.setToolTip("Zoom to fit the places of the case (Home)")
        self.fit_button.clicked.connect(self.zoom_to_fit)
        style.plot_panel_layout(
            self,
            self.status,
            [self.add_button, self.detail_button, self.fit_button],
            self.plot,
            SelectionChips(selection, self),
        )
        selection.changed.connect(self._on_selection)

    # -- what the plot shows (read by tests and tools) -------------------------------------------------------------
    @property
    def data(self) -> MapData | None:
        return self.plot.data

    @property
    def main(self) -> View:
        return self.plot.main

    @property
    def inset(self) -> View:
        return self.plot.inset

    @property
    def inset_marker(self) -> pg.QtWidgets.QGraphicsRectItem:
        return self.plot.inset_marker

    _load = staticmethod(map_data)
    _what = "the map"
    _patch = staticmethod(patch_map)
    draws = MAP_DRAWS

    def zoom_to_fit(self) -> None:
        """Show every place drawn (all of them, or those in the selected time range) centred, with a margin."""
        self.plot.zoom_to_fit()

    def view_bounds(self) -> tuple[float, float, float, float]:
        return self.plot.view_bounds()

    def shown_ids(self, table: str) -> set[str]:
        """Ids of the places or legs drawn at all (a time range selection hides the others)."""
        return self.plot.shown_ids(table)

    def highlighted_ids(self, table: str) -> set[str]:
        return self.plot.highlighted_ids(table)

    def leg_lines(self, mode: int) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) pairs of the lines drawn for a transport mode (as pyqtgraph's connect="pairs" takes)."""
        return self.plot.leg_lines(mode)

    def place_scene_pos(self, place_id: str, *, inset: bool = False) -> QPointF | None:
        """Where a place's pin is in scene coordinates, in the main view or the inset."""
        return self.plot.place_scene_pos(place_id, inset=inset)

    def label_texts(self, *, inset: bool | None = False) -> list[str]:
        """Labels shown in the main view, the inset (``inset=True``) or either (``None``)."""
        return self.plot.label_texts(inset=inset)

    def inset_visible(self) -> bool:
        return self.plot.inset_visible()

    def inset_bounds(self) -> tuple[float, float, float, float]:
        return self.plot.inset_bounds()

    def render_to(self, painter: QPainter, target: QRectF, *, title: str | None = None) -> None:
        """Paint the current map with its legend as vectors into ``target`` (e.g. a QPdfWriter page)."""
        self.plot.render_to(painter, target, title=title)

    def hit(self, scene_pos: QPointF) -> tuple[str, str] | None:
        """The place (first) or leg under a scene position, as (table, id), in the inset when it is there."""
        return self.plot.hit(scene_pos)

    # -- loading -------------------------------------------------------------------------------------------------
    def _apply(self, data: MapData | None) -> None:
        fit = data is not None and self._fit_pending
        if fit:
            self._fit_pending = False
        self.plot.set_data(data, fit=fit, related=self._selection_state())
        if data is None:
            self.status.setText("No case open")
        else:
            missing = []
            if data.unplaced_places:
                missing.append(f"{data.unplaced_places:,} places without coordinates")
            if data.unplaced_legs:
                missing.append(f"{data.unplaced_legs:,} legs not drawn")
            text = f"{len(data.lon):,} places, {len(data.leg_ids):,} legs"
            self.status.setText(text + (f" ({'; '.join(missing)})" if missing else ""))
        self.loaded.emit()

    def _selection_state(self) -> dict:
        """``MapPlot.set_related``'s arguments for the current selection."""
        sel = self.selection.selection
        return {
            "rel": self.selection.related,
            "time_range": sel.time_range is not None,
            "has_item": sel.has_item,
            "selected": (sel.table, sel.row_id) if sel.table and sel.row_id else None,
        }

    def _update_selection_state(self) -> None:
        """Show and highlight what the selection covers."""
        self.plot.set_related(**self._selection_state())

    # -- selection, mouse, keys ----------------------------------------------------------------------------------
    def _on_selection(self, sel: Selection, origin: object) -> None:
        if origin is self:
            return
        self._update_selection_state()

    def _on_click(self, ev) -> None:  # noqa: ANN001 - pyqtgraph MouseClickEvent
        if ev.button() != Qt.MouseButton.LeftButton:  # (the pins item accepts clicks itself)
            return
        v = self.plot._view_at(ev.scenePos())
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
                or self.plot._view_at(ev.buttonDownScenePos()) is not self.main
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
        if self.data is None or self.plot._view_at(scene_pos) is None:
            return
        found = self.hit(scene_pos)
        if found is None:
            QToolTip.hideText()
            return
        QToolTip.showText(
            self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)),
            style.plain_tooltip(self.describe(*found)),
            self.plot,
        )

    def describe(self, table: str, row_id: str) -> str:
        """Tooltip text, read on demand from the case."""
        return "" if self.case is None else labels.tooltip(self.case.conn, table, row_id)

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
            self.plot._auto_fit = False
            self.vb.scaleBy(x=0.7, y=0.7)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.plot._auto_fit = False
            self.vb.scaleBy(x=1 / 0.7, y=1 / 0.7)
        elif key in moves:
            self.plot._auto_fit = False
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
