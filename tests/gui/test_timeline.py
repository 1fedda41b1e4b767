"""The timeline panel on the demo case: what it draws, linked selection, range drag, zoom, PDF output."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

from caseboard.db.demo import demo_id
from caseboard.db.plotdata import LegBars, Marks, TimelineData
from caseboard.gui.panels.map import MapPanel
from caseboard.gui.panels.timeline import DAY, TimelinePanel
from caseboard.gui.selection import SelectionModel


@pytest.fixture
def panel(qtbot, case, selection) -> TimelinePanel:
    p = TimelinePanel(selection)
    qtbot.addWidget(p)
    p.resize(900, 450)
    p.show()
    qtbot.waitExposed(p)
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.set_case(case)  # loads on the thread pool
    return p


class FakeDrag:
    """Just enough of pyqtgraph's MouseDragEvent for the ViewBox's drag handler."""

    def __init__(self, vb, x0: float, x1: float, *, finish: bool, shift: bool = True) -> None:
        y = vb.viewRange()[1][0] + 0.5
        self._down = vb.mapViewToScene(QPointF(x0, y))
        self._pos = vb.mapViewToScene(QPointF(x1, y))
        self._finish = finish
        self._shift = shift
        self.accepted = False

    def button(self):
        return Qt.MouseButton.LeftButton

    def modifiers(self):
        return Qt.KeyboardModifier.ShiftModifier if self._shift else Qt.KeyboardModifier.NoModifier

    def buttonDownScenePos(self, *_):
        return self._down

    def scenePos(self):
        return self._pos

    def isStart(self):
        return False

    def isFinish(self):
        return self._finish

    def accept(self):
        self.accepted = True

    def ignore(self):
        pass


def test_shows_both_angara_legs_and_the_staging_range(panel: TimelinePanel) -> None:
    data = panel.data
    assert data is not None
    legs = data.legs
    for key, (start, end) in {"leg_sea": (19608, 19612), "leg_rail": (19612, 19631)}.items():
        i = legs.index.get(demo_id(key))
        assert (legs.start[i], legs.end[i]) == (start, end)
    staging = data.events.index.get(demo_id("staging"))
    assert (data.events.start[staging], data.events.end[staging]) == (19607, 19608)
    # and they are actually laid out on screen after zoom to fit
    t = panel.item.deviceTransform(panel.plot.viewportTransform())
    laid, density = panel.item.layout(t)
    assert not density
    assert {demo_id("leg_sea"), demo_id("leg_rail")} <= set(legs.ids[laid["legs"].idx].tolist())
    assert demo_id("staging") in set(data.events.ids[laid["events"].idx].tolist())
    assert panel.lane_of("legs", demo_id("leg_sea")).startswith("About 300 containers")


def test_milleys_lane_has_his_two_statements(panel: TimelinePanel) -> None:
    assert panel.lane_of("statements", demo_id("milley_skeptical")) == "Mark A. Milley"
    assert panel.lane_of("statements", demo_id("milley_decisive")) == "Mark A. Milley"
    labels = [lane.label for lane in panel.data.lanes]
    assert "Mark A. Milley" in labels and "John F. Kirby" in labels


def test_selecting_milley_highlights_exactly_his_marks(
    panel: TimelinePanel, selection: SelectionModel
) -> None:
    assert panel.highlighted_ids("statements") == set()
    selection.select_item("actors", demo_id("milley"))
    assert panel.highlighted_ids("statements") == {demo_id("milley_skeptical"), demo_id("milley_decisive")}
    assert panel.highlighted_ids("events") == {demo_id("milley_remarks"), demo_id("milley_steps_down")}
    assert panel.highlighted_ids("legs") == set()
    selection.clear()
    assert panel.highlight == {}


def test_range_drag_selects_days_and_filters_the_map(qtbot, case, selection, panel: TimelinePanel) -> None:
    map_panel = MapPanel(selection)
    qtbot.addWidget(map_panel)
    with qtbot.waitSignal(map_panel.loaded, timeout=5000):
        map_panel.set_case(case)
    x0, x1 = 19610 * DAY + 3600, 19614 * DAY + 7200  # 2023-09-10 .. 2023-09-14
    panel.vb.mouseDragEvent(FakeDrag(panel.vb, x0, (x0 + x1) / 2, finish=False))
    assert selection.selection.time_range is None and panel.region.isVisible()
    drag = FakeDrag(panel.vb, x0, x1, finish=True)
    panel.vb.mouseDragEvent(drag)
    assert drag.accepted
    assert selection.selection.time_range == (19610, 19614)
    assert panel.region.isVisible()
    # the map now shows only the sea leg and places touched in that range
    assert map_panel.shown_ids("legs") == {demo_id("leg_sea")}
    shown = map_panel.shown_ids("places")
    assert {demo_id("najin"), demo_id("dunay")} <= shown
    assert demo_id("tikhoretsk") not in shown
    # the timeline highlights what is in the range
    assert demo_id("leg_sea") in panel.highlighted_ids("legs")
    assert demo_id("leg_rail") not in panel.highlighted_ids("legs")


def test_range_mode_button_makes_a_plain_drag_select(panel: TimelinePanel, selection: SelectionModel) -> None:
    panel.range_button.setChecked(True)
    x0 = 19630 * DAY + 100
    panel.vb.mouseDragEvent(FakeDrag(panel.vb, x0, x0 + 3 * DAY, finish=True, shift=False))
    assert selection.selection.time_range == (19630, 19633)
    qtbot_key = Qt.Key.Key_Escape
    from PySide6.QtTest import QTest

    QTest.keyClick(panel, qtbot_key)
    assert selection.selection.time_range is None
    assert not panel.region.isVisible()


def test_click_on_a_marker_selects_it(qtbot, panel: TimelinePanel, selection: SelectionModel) -> None:
    t = panel.item.deviceTransform(panel.plot.viewportTransform())
    laid, _ = panel.item.layout(t)
    g = laid["events"]
    j = int(np.flatnonzero(panel.data.events.ids[g.idx] == demo_id("arrival"))[0])
    pos = QPointF((g.x0[j] + g.x1[j]) / 2, g.y[j]).toPoint()
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert selection.selection.table == "events"
    assert selection.selection.row_id == demo_id("arrival")
    assert demo_id("arrival") in panel.highlighted_ids("events")


def test_hit_test_and_tooltip_text(panel: TimelinePanel) -> None:
    t = panel.item.deviceTransform(panel.plot.viewportTransform())
    laid, _ = panel.item.layout(t)
    g = laid["statements"]
    j = int(np.flatnonzero(panel.data.statements.ids[g.idx] == demo_id("milley_decisive"))[0])
    kind, index = panel.item.hit(QPointF((g.x0[j] + g.x1[j]) / 2, g.y[j]), t)
    assert kind == "statements"
    text = panel.describe(kind, str(panel.data.statements.ids[index]))
    assert text.startswith("Mark A. Milley")
    assert "Sept" in panel.describe("legs", demo_id("leg_sea")) or "2023" in panel.describe(
        "legs", demo_id("leg_sea")
    )


def test_zoom_keys_and_fit(qtbot, panel: TimelinePanel) -> None:
    fit = panel.vb.viewRange()[0]
    span = panel.data.span()
    assert fit[0] <= span[0] * DAY and fit[1] >= (span[1] + 1) * DAY
    qtbot.keyClick(panel, Qt.Key.Key_Plus)
    zoomed = panel.vb.viewRange()[0]
    assert zoomed[1] - zoomed[0] < (fit[1] - fit[0]) * 0.9
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    assert panel.vb.viewRange()[0][0] > zoomed[0]
    panel.zoom_to_fit()
    assert panel.vb.viewRange()[0] == pytest.approx(fit)


def test_undated_items_are_offered(panel: TimelinePanel, selection: SelectionModel) -> None:
    assert panel.unknown_button.text() == "No date: 2"
    actions = panel.unknown_menu.actions()
    assert any("Iranian drones" in a.text() for a in actions)
    next(a for a in actions if "Iranian drones" in a.text()).trigger()
    assert selection.selection.row_id == demo_id("iran_drones")


def test_only_the_newest_load_is_drawn(panel: TimelinePanel, qtbot) -> None:
    from caseboard.gui.workers import wait_for_all

    drawn = []
    panel.loaded.connect(lambda: drawn.append(panel.data))
    panel.refresh()  # replaced before it answers: interrupted, or its answer dropped
    panel.refresh()
    qtbot.waitUntil(lambda: bool(drawn), timeout=5000)
    wait_for_all(5000)
    qtbot.wait(50)
    assert len(drawn) == 1


def test_many_visible_events_are_drawn_as_density(qtbot, selection: SelectionModel) -> None:
    n = 200_000
    rng = np.random.default_rng(0)
    start = np.sort(rng.integers(18000, 19000, n)).astype(np.int32)
    empty = np.zeros(0, dtype=np.int32)
    none = np.zeros(0, dtype=object)
    events = Marks(
        "events",
        np.array([f"e{i}" for i in range(n)], dtype=object),
        start,
        start.copy(),
        np.zeros(n, dtype=bool),
        np.zeros(n, dtype=np.int32),
    )
    from caseboard.db.plotdata import Lane

    data = TimelineData(
        events=events,
        legs=LegBars(none, empty, empty, empty, empty, empty.astype(np.int8), empty.astype(bool), empty),
        statements=Marks("statements", none, empty, empty, empty.astype(bool), empty),
        shipments=Marks("shipments", none, empty, empty, empty.astype(bool), empty),
        lanes=[Lane("Events", "events", None, n)],
        unknown=[],
        unknown_counts={},
    )
    p = TimelinePanel(selection)
    qtbot.addWidget(p)
    p.resize(800, 300)
    p.show()
    p._apply(data)
    t = p.item.deviceTransform(p.plot.viewportTransform())
    laid, density = p.item.layout(t)
    assert "events" in density and "events" not in laid
    # a selection with too many related items to draw one by one gets its own, undimmed density layer
    p.item.set_highlight({"events": np.arange(n) % 3 == 0})
    laid, density = p.item.layout(t)
    assert {"events", "events/related"} <= set(density) and "events" not in laid
    p.grab()
    p._update_highlight()  # back to the selection model's (empty) highlight
    # zoomed in to a few days, the same events are drawn one by one
    p.vb.setXRange(18500 * DAY, 18503 * DAY, padding=0)
    qtbot.wait(20)
    t = p.item.deviceTransform(p.plot.viewportTransform())
    laid, density = p.item.layout(t)
    assert "events" in laid and "events" not in density
    p.grab()  # paints without error


def test_render_to_pdf_is_vector_with_a_legend(tmp_path: Path, panel: TimelinePanel, selection) -> None:
    pypdf = pytest.importorskip("pypdf")
    selection.select_item("actors", demo_id("milley"))
    out = tmp_path / "timeline.pdf"
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(writer.pageLayout().orientation().Landscape)
    painter = QPainter(writer)
    page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    panel.render_to(
        painter, page.adjusted(0, 0, 0, -page.height() / 3), title="Timeline of the Angara shipment"
    )
    painter.end()
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    for word in (
        "Timeline of the Angara shipment",
        "event",
        "statement",
        "sea",
        "rail",
        "Mark A. Milley",
        "Sep",
    ):
        assert word in text
    assert not reader.pages[0].images, "drawn as vectors, not pasted in as a picture"
    # the panel is back to its screen size afterwards
    assert panel.plot.getPlotItem().geometry().width() < 1000


def test_without_bulk_ids_selection_and_clicks_go_through_rowids(
    case, panel: TimelinePanel, selection: SelectionModel
) -> None:
    """A large case loads no text ids: highlights come from the related rowids, clicks read the id lazily."""
    from caseboard.db.plotdata import timeline_data

    panel._apply(timeline_data(case.conn, bulk_ids=0))
    assert panel.data.events.ids is None
    selection.select_item("actors", demo_id("milley"))
    assert panel.highlighted_ids("statements") == {demo_id("milley_skeptical"), demo_id("milley_decisive")}
    assert panel.highlighted_ids("events") == {demo_id("milley_remarks"), demo_id("milley_steps_down")}
    # a selection whose related set has no rowids (a statement) falls back to one set-based id query
    selection.select_item("statements", demo_id("milley_decisive"))
    assert panel.highlighted_ids("statements") == {demo_id("milley_decisive")}
    staging = panel.data.events.get(demo_id("staging"), case.conn)
    panel.click_item("events", staging)
    assert selection.selection.row_id == demo_id("staging")
    assert panel.lane_of("events", demo_id("staging")) is not None
    panel.grab()  # paints the batched path without error


def _axis_labels(panel: TimelinePanel, x0: float, x1: float, width: float) -> list[str]:
    axis = panel._axis
    return [
        s
        for spacing, values in axis.tickValues(x0, x1, width)
        for s in axis.tickStrings(values, 1.0, spacing)
    ]


def test_date_axis_labels_years_months_and_days_without_crowding(panel: TimelinePanel) -> None:
    from datetime import UTC, datetime

    def t(*ymd: int) -> float:
        return datetime(*ymd, tzinfo=UTC).timestamp()

    # a case spanning several years in a narrow panel: several years labelled, not a single "2020"
    years = _axis_labels(panel, t(2016, 3, 1), t(2024, 10, 1), 270)
    assert len({s for s in years if s.isdigit() and len(s) == 4}) >= 3
    # a few months: month names (a new year by its number), days: day numbers
    months = _axis_labels(panel, t(2023, 8, 20), t(2024, 2, 10), 270)
    assert {"Sep", "Oct", "2024"} <= set(months)
    days = _axis_labels(panel, t(2023, 9, 28), t(2023, 10, 4), 270)
    assert {"29", "Oct", "02"} <= set(days)
    # never more labels than fit side by side
    for x0, x1 in [
        (t(1900, 1, 1), t(2030, 1, 1)),
        (t(2023, 9, 1), t(2023, 11, 1)),
        (t(2023, 9, 1), t(2023, 9, 2)),
    ]:
        for width in (120, 270, 900):
            assert 0 < len(_axis_labels(panel, x0, x1, width)) <= width / 25 + 1
