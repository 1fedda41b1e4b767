"""The link-chart panel: who is tied to whom, linked to the other panels through the shared selection.

The drawing is ``caseboard.gui.plots.link_chart.LinkChartPlot`` (the report's figure uses the same plot); this
panel adds the header, selection by click, dragging nodes (their positions are kept in the case file), drawing a
new relationship from one node to another, "expand" and "re-layout".

A small case is shown whole. A large one shows the neighbourhood of what is selected, to a chosen depth, and
never all its actors at once: a hairball of ten thousand nodes says nothing. Reading the graph and laying it out
run on a worker with their own read-only connection; an answer to a request since replaced is dropped.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QSpinBox, QToolButton, QToolTip, QWidget

from caseboard.db import links
from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.gui.panels import style
from caseboard.gui.plots.drag_viewbox import DragViewBox
from caseboard.gui.plots.link_chart import ChartData, LinkChartPlot, arrange, load_chart
from caseboard.gui.selection import Selection, SelectionModel
from caseboard.gui.workers import Worker

#: A selection of something other than an actor seeds the neighbourhood with at most this many of its actors.
MAX_SEEDS = 25


class LinkChartPanel(QWidget):
    """Actors and their ties; see the module docstring.

    Signals:

    * ``loaded()`` after new data are shown.
    * ``link_requested(from_actor_id, to_actor_id)``: the user drew a line from one actor to another (Shift+drag,
      or any drag while "Link" is on). The window opens the relationship form; the panel never writes facts.
    """

    loaded = Signal()
    link_requested = Signal(str, str)

    #: What the chart draws (``gui.commands.deliver``): an edit touching these rows or columns reloads it, in the
    #: background and keeping positions; the graph is one neighbourhood, so that is a few queries.
    draws = {
        "actors": ("name", "kind"),
        "sources": ("label", "title"),
        "relationships": None,
        "shipments": ("shipper_id", "receiver_id", "date_start", "date_end"),
        "legs": ("carrier_id", "shipment_id", "depart_start", "depart_end", "arrive_start", "arrive_end"),
        "events": ("date_start", "date_end"),
        "event_actors": None,
        "statements": ("speaker_id", "source_id", "said_start", "said_end"),
    }

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.case: Case | None = None
        #: while True, dragged node positions are written to the case file and new links may be drawn
        self.editable = False
        self._seeds: list[str] = []
        self._drag: dict | None = None
        self._worker = Worker(self)
        self._worker.finished.connect(self._on_loaded)
        self._worker.failed.connect(lambda msg: self.status.setText(f"Could not draw the chart: {msg}"))
        self._pending_save = False

        self.plot = LinkChartPlot(DragViewBox(self._drag_event))
        self.vb = self.plot.vb
        self._rubber = pg.PlotCurveItem(
            pen=pg.mkPen(style.HIGHLIGHT_COLOR, width=2, style=Qt.PenStyle.DashLine)
        )
        self._rubber.setZValue(40)
        self._rubber.hide()
        self.vb.addItem(self._rubber, ignoreBounds=True)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.plot.scene().sigMouseMoved.connect(self._on_hover)

        self.status = QLabel("No case open")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.status.setStyleSheet("color: #5f6368;")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.depth = QSpinBox(minimum=1, maximum=4, value=1)
        self.depth.setPrefix("depth ")
        self.depth.setToolTip(
            "On a large case: how many steps out from the selected actors the chart reaches"
        )
        self.depth.valueChanged.connect(lambda _v: self.refresh())
        self.expand_button = QToolButton(text="Expand")
        self.expand_button.setToolTip("Show the neighbours of the selected node too (or double-click a node)")
        self.expand_button.clicked.connect(self.expand_selected)
        self.link_button = QToolButton(text="Link", checkable=True)
        self.link_button.setToolTip("Drag from one actor to another to record a relationship (or Shift+drag)")
        self.relayout_button = QToolButton(text="Re-layout")
        self.relayout_button.setToolTip("Lay the chart out afresh (positions are kept in the case file)")
        self.relayout_button.clicked.connect(self.relayout)
        self.fit_button = QToolButton(text="Fit")
        self.fit_button.setToolTip("Zoom to fit the chart (Home)")
        self.fit_button.clicked.connect(self.plot.zoom_to_fit)
        buttons = [self.depth, self.expand_button, self.link_button, self.relayout_button, self.fit_button]
        style.plot_panel_layout(self, self.status, buttons, self.plot)
        selection.changed.connect(self._on_selection)

    # -- what the chart shows (read by tests and tools) -------------------------------------------------------
    @property
    def data(self) -> ChartData | None:
        return self.plot.data

    def shown_ids(self) -> set[str]:
        return set(self.data.ids) if self.data else set()

    def visible_links(self) -> list[tuple[str, str, str]]:
        """(table, row id, label) of each link drawn (the time range hides the others)."""
        d = self.data
        if d is None:
            return []
        mask = self.plot.item.visible_links
        return [
            (link.table, link.row_id, link.label)
            for j, link in enumerate(d.graph.links)
            if mask is None or bool(mask[j])
        ]

    def highlighted_ids(self) -> set[str]:
        d, hl = self.data, self.plot.item.node_hl
        if d is None or hl is None:
            return set()
        return {d.ids[k] for k in range(len(d)) if hl[k]}

    def node_scene_pos(self, node_id: str) -> QPointF | None:
        return self.plot.node_scene_pos(node_id)

    # -- loading ----------------------------------------------------------------------------------------------
    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._seeds = []
        self._worker.cancel()
        self.plot.set_data(None)
        if case is None:
            self.status.setText("No case open")
            return
        self.refresh()

    def refresh(self, *, wait: bool = False) -> None:
        """Read the chart again (after edits, a new depth or selection); ``wait`` loads on this thread."""
        if self.case is None:
            return
        if not self._seeds:
            self._seeds = self._seeds_from(self.selection.selection)
        previous = self.data.positions() if self.data else None
        args = (list(self._seeds), self.depth.value())
        aspect = self.plot.aspect()
        if wait:
            self._worker.cancel()
            self._on_loaded(load_chart(self.case.conn, *args, previous=previous, aspect=aspect))
            return
        self.status.setText("Loading\u2026")
        self._worker.submit(self.case, _load, *args, False, previous, aspect)

    def apply_changes(self, _changes: object) -> None:
        """An edit touched what the chart draws: read it again (positions stay)."""
        self.refresh()

    def relayout(self) -> None:
        """Lay the chart out afresh on the worker; the new positions are kept once they arrive."""
        if self.case is None or self.data is None:
            return
        self.status.setText("Laying out\u2026")
        self._pending_save = True
        self._worker.submit(
            self.case, _arrange, self.data.graph, sorted(self.data.seeds), True, None, self.plot.aspect()
        )

    def expand(self, node_id: str) -> None:
        """Add the direct neighbours of a node (and their ties) to the chart."""
        d = self.data
        if self.case is None or d is None or d.graph.whole:
            return
        self.status.setText("Expanding\u2026")
        self._worker.submit(self.case, _expand, d.graph, node_id, sorted(d.seeds), d.positions())

    def expand_selected(self) -> None:
        sel = self.selection.selection
        if sel.table in ("actors", "sources") and sel.row_id:
            self.expand(sel.row_id)

    def _on_loaded(self, data: ChartData) -> None:
        fit = self.data is None or not (set(data.ids) & set(self.data.ids))
        self.plot.set_data(data, fit=fit)
        if self._pending_save:
            self._pending_save = False
            self._keep_positions()
        self._update_view()
        self.loaded.emit()

    def _seeds_from(self, sel: Selection) -> list[str]:
        if sel.table in ("actors", "sources") and sel.row_id:
            return [sel.row_id]
        rel = self.selection.related
        if rel is not None and sel.has_item:
            return sorted(rel.actors)[:MAX_SEEDS]
        return []

    def _keep_positions(self) -> None:
        """Write the positions of every node shown (view state, not a fact: no undo)."""
        if self.case is None or self.data is None or not self.editable:
            return
        try:
            links.save_positions(self.case, self.data.positions())
        except CaseError as exc:
            self.status.setText(f"Positions not kept: {exc}")

    # -- selection ----------------------------------------------------------------------------------------------
    def _on_selection(self, sel: Selection, origin: object) -> None:
        if origin is self:
            return
        d = self.data
        if d is not None and not d.graph.whole and self.case is not None:
            seeds = self._seeds_from(sel)
            if seeds and seeds != self._seeds:
                self._seeds = seeds
                self.refresh()
                return
        self._update_view()

    def _update_view(self) -> None:
        sel = self.selection.selection
        selected = (sel.table, sel.row_id) if sel.has_item and sel.table else None
        self.plot.set_view(self.selection.related, sel.time_range, selected)
        self._update_status()

    def _update_status(self) -> None:
        d = self.data
        if self.case is None:
            self.status.setText("No case open")
            return
        if d is None or not len(d):
            self.status.setText(
                "Select an actor to see its ties: this case is large, so the chart shows a neighbourhood"
                if d is not None and not d.graph.whole
                else "No actors yet"
            )
            return
        visible = self.plot.item.visible_links
        shown = d.link_count if visible is None else int(visible.sum())
        parts = [f"{len(d):,} nodes, {shown:,} ties"]
        if visible is not None and shown < d.link_count:
            parts.append(f"{d.link_count - shown:,} outside the time range")
        if not d.graph.whole:
            parts.append(f"neighbourhood, depth {self.depth.value()}")
        if d.graph.dropped:
            parts.append(f"{d.graph.dropped:,} weaker implied ties left out")
        if d.graph.truncated:
            parts.append("more not shown: expand a node")
        self.status.setText("; ".join(parts))

    # -- mouse ----------------------------------------------------------------------------------------------------
    def _on_click(self, ev) -> None:  # noqa: ANN001 - pyqtgraph MouseClickEvent
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        found = self.plot.hit(ev.scenePos())
        if found and found[0] == "node" and ev.double():
            self.expand(self.data.ids[int(found[1])])
            ev.accept()
            return
        if self.click_at(ev.scenePos()):
            ev.accept()

    def click_at(self, scene_pos: QPointF) -> bool:
        """Select the node or edge under a scene position, as a click there does; False when nothing is."""
        d = self.data
        found = self.plot.hit(scene_pos)
        if d is None or found is None:
            return False
        if found[0] == "node":
            node = d.graph.nodes[d.ids[int(found[1])]]
            self.selection.select_item(node.table, node.id, self)
        else:
            members = self.plot.item.groups[int(found[1])][2]
            stated = [m for m in members if not d.derived[m]]
            link = d.graph.links[int(stated[0] if stated else members[0])]
            self.selection.select_item(link.table, link.row_id, self)
        self._update_view()
        return True

    def _drag_event(self, ev) -> bool:  # noqa: ANN001 - pyqtgraph MouseDragEvent
        """Left-drag on a node: move it, or (Shift / "Link" on) draw a relationship to another node."""
        if ev.button() != Qt.MouseButton.LeftButton:
            return False
        d = self.data
        if ev.isStart():
            self._drag = None
            found = self.plot.hit(ev.buttonDownScenePos()) if d is not None else None
            if found is None or found[0] != "node":
                return False
            linking = self.link_button.isChecked() or bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._drag = {"node": int(found[1]), "link": linking}
        if self._drag is None or d is None:
            return False
        ev.accept()
        k = self._drag["node"]
        p = self.vb.mapSceneToView(ev.scenePos())
        if self._drag["link"]:
            self._rubber.setData([float(d.x[k]), p.x()], [float(d.y[k]), p.y()])
            self._rubber.show()
            if ev.isFinish():
                self._rubber.hide()
                self._drag = None
                end = self.plot.hit(ev.scenePos())
                if end is not None and end[0] == "node" and int(end[1]) != k:
                    a, b = d.graph.nodes[d.ids[k]], d.graph.nodes[d.ids[int(end[1])]]
                    if a.table == b.table == "actors":
                        self.link_requested.emit(a.id, b.id)
            return True
        d.x[k], d.y[k] = p.x(), p.y()
        self.plot.item.moved()
        if ev.isFinish():
            self._drag = None
            self._keep_positions()
        return True

    def _on_hover(self, scene_pos: QPointF) -> None:
        d = self.data
        if d is None:
            return
        found = self.plot.hit(scene_pos)
        if found is None:
            QToolTip.hideText()
            return
        if found[0] == "node":
            node = d.graph.nodes[d.ids[int(found[1])]]
            text = f"{node.name} ({node.kind})"
            if d.frontier[int(found[1])]:
                text += "\nhas more ties: double-click to expand"
        else:
            members = self.plot.item.groups[int(found[1])][2]
            lines = []
            for m in members[:8]:
                link = d.graph.links[int(m)]
                how = "implied by the case" if link.derived else "stated"
                lines.append(
                    f"{d.names[d.a[m]]} \u2014 {link.label} \u2014 {d.names[d.b[m]]} ({how}, {link.count})"
                )
            text = "\n".join(lines)
        QToolTip.showText(
            self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), style.plain_tooltip(text), self.plot
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.vb.scaleBy(x=0.7, y=0.7)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.vb.scaleBy(x=1 / 0.7, y=1 / 0.7)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.plot.zoom_to_fit()
        elif key == Qt.Key.Key_Escape:
            if self.link_button.isChecked():
                self.link_button.setChecked(False)
            else:
                self.selection.clear(self)
                self._update_view()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def zoom_to_fit(self) -> None:
        self.plot.zoom_to_fit()


# Worker functions: module level, given the worker's own read-only connection.


def _load(conn, seeds: list[str], depth: int, relayout: bool, previous, aspect: float) -> ChartData:  # noqa: ANN001
    return load_chart(conn, seeds, depth, relayout=relayout, previous=previous, aspect=aspect)


def _arrange(conn, graph, seeds: list[str], relayout: bool, previous, aspect: float) -> ChartData:  # noqa: ANN001
    return arrange(conn, graph, seeds, relayout=relayout, previous=previous, aspect=aspect)


def _expand(conn, graph, node_id: str, seeds: list[str], previous) -> ChartData:  # noqa: ANN001
    return arrange(conn, links.expand(conn, graph, node_id), seeds, previous=previous)
