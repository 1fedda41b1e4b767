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


def test_labels_of_a_large_case_are_read_in_the_background_then_drawn(
    case, panel: TimelinePanel, qtbot
) -> None:
    """Without bulk labels a frame draws the marks at once and asks a worker for the labels of the view."""
    from caseboard.db.plotdata import timeline_data

    panel._apply(timeline_data(case.conn, bulk_ids=0))
    assert panel.data.events.labels is None
    panel.grab()  # the answer reaches the UI thread through its event loop, so this frame has no words yet
    assert not panel.item.labels
    qtbot.waitUntil(lambda: not panel._labeler.busy, timeout=5000)
    asked = panel._labeler.started
    assert asked >= 1
    panel.grab()
    texts = {text for _b, text, *_ in panel.item.labels}
    assert "Najin \u2192 Dunay" in texts and any(t.startswith("Kim Jong-un meets") for t in texts)
    assert not _overlaps(_label_boxes(panel))
    panel.grab()  # labels already here are not asked for again
    assert panel._labeler.started == asked


def _axis_texts(panel: TimelinePanel, x0: float, x1: float) -> list[str]:
    """Every text the date axis draws for a view from x0 to x1 (seconds), fine row and context row."""
    from PySide6.QtGui import QImage, QPainter

    panel.vb.setXRange(x0, x1, padding=0)
    axis = panel._axis
    axis.linkedViewChanged(panel.vb)
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        specs = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [text for _rect, _flags, text in specs[2]]


@pytest.mark.parametrize(
    ("start", "end", "fine", "context"),
    [
        ((2023, 9, 11), (2023, 9, 12), {"11"}, {"Sept 2023"}),  # one day
        ((2023, 9, 1), (2023, 10, 1), {"11", "21"}, {"Sept 2023"}),  # one month
        ((2023, 1, 1), (2024, 1, 1), {"Mar", "Sept"}, {"2023"}),  # one year: month names and the year
        ((2016, 3, 1), (2024, 10, 1), {"2018", "2020"}, set()),  # years name themselves
    ],
)
def test_date_axis_says_day_month_and_year_never_hours(
    panel: TimelinePanel, qtbot, start: tuple, end: tuple, fine: set[str], context: set[str]
) -> None:
    from datetime import UTC, datetime

    def t(ymd: tuple) -> float:
        return datetime(*ymd, tzinfo=UTC).timestamp()

    panel.resize(900, 300)
    panel.show()
    qtbot.waitExposed(panel)
    texts = _axis_texts(panel, t(start), t(end))
    assert fine <= set(texts) and context <= set(texts), texts
    assert not any(":" in s for s in texts)  # no times of day
    assert any(len(s) >= 4 and s[-4:].isdigit() for s in texts)  # the year is always there


def test_date_axis_labels_never_crowd(panel: TimelinePanel, qtbot) -> None:
    from datetime import UTC, datetime

    def t(*ymd: int) -> float:
        return datetime(*ymd, tzinfo=UTC).timestamp()

    axis = panel._axis
    for x0, x1 in [
        (t(1900, 1, 1), t(2030, 1, 1)),
        (t(2023, 9, 1), t(2023, 11, 1)),
        (t(2023, 9, 1), t(2023, 9, 2)),
    ]:
        for width in (120, 270, 900):
            labels = [
                s
                for spacing, values in axis.tickValues(x0, x1, width)
                for s in axis.tickStrings(values, 1.0, spacing)
            ]
            assert 0 < len(labels) <= width / 25 + 1


def _label_boxes(panel: TimelinePanel) -> list[tuple[float, float, float, float]]:
    panel.grab()  # lays out and paints, as a frame on screen does
    return [(b.x0, b.y0, b.x1, b.y1) for b, *_ in panel.item.labels] + [
        (b.x0, b.y0, b.x1, b.y1) for b, _ in panel.item.hidden_boxes.values()
    ]


def _overlaps(boxes: list[tuple[float, float, float, float]]) -> list[tuple]:
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_marks_carry_labels_that_never_overlap_on_the_demo(panel: TimelinePanel, selection) -> None:
    texts = {text for _b, text, *_ in panel.item.labels}
    boxes = _label_boxes(panel)
    texts = {text for _b, text, *_ in panel.item.labels}
    assert "Najin \u2192 Dunay" in texts and any(t.startswith("Kim Jong-un meets") for t in texts)
    assert len(texts) >= 10
    assert not _overlaps(boxes)
    # a selected item's label is placed first, whatever else wants the room
    selection.select_item("events", demo_id("staging"))
    panel.grab()
    staging = panel.data.events.get(demo_id("staging"), panel.case.conn)
    assert any(kind == "events" and pos == staging for _b, _t, kind, pos, _lit in panel.item.labels)
    assert not _overlaps(_label_boxes(panel))


def test_labels_never_overlap_on_a_generated_case(qtbot, tmp_path: Path) -> None:
    from caseboard.db.case import open_case
    from caseboard.db.generate import generate_case

    path = tmp_path / "g.case"
    generate_case(path, events=3000, statements=600, actors=80, places=60, shipments=60, seed=3)
    case = open_case(path)
    selection = SelectionModel()
    selection.set_case(case)
    p = TimelinePanel(selection)
    qtbot.addWidget(p)
    p.resize(1000, 500)
    p.show()
    qtbot.waitExposed(p)
    try:
        p.set_case(case)
        p.refresh(wait=True)
        p.zoom_to_fit()
        span = p.data.span()
        mid = (span[0] + span[1]) // 2
        for days in (3, 30, 365, span[1] - span[0] + 2):  # zoomed in to days, a month, a year, the whole case
            p.vb.setXRange((mid - days / 2) * DAY, (mid + days / 2) * DAY, padding=0)
            boxes = _label_boxes(p)
            assert not _overlaps(boxes)
            if days <= 30:
                assert p.item.labels  # zoomed in there is room for words
            # lanes that leave labels out say how many
            assert all(n > 0 for n in p.item.hidden.values())
    finally:
        p.set_case(None)
        case.close()


def test_plots_follow_a_dark_palette(qtbot, case) -> None:
    """With a dark application palette the timeline and map are drawn dark; back to light afterwards."""
    from PySide6.QtWidgets import QApplication

    from caseboard.gui.app import dark_palette
    from caseboard.gui.panels import style
    from caseboard.gui.plots.map_plot import MapPlot
    from caseboard.gui.plots.timeline_plot import TimelinePlot

    app = QApplication.instance()
    old = app.palette()
    app.setPalette(dark_palette())
    style.use_palette(app.palette())
    try:
        for plot in (TimelinePlot(), MapPlot()):
            qtbot.addWidget(plot)
            plot.resize(400, 300)
            plot.show()
            qtbot.waitExposed(plot)
            img = plot.grab().toImage()
            assert img.pixelColor(img.width() - 5, 5).lightness() < 80, type(plot).__name__
    finally:
        app.setPalette(old)
        style.use_palette(None)
    assert style.PAPER == "#ffffff"


def test_lane_titles_fit_a_quarter_of_the_panel_and_hover_gives_the_full_name(
    panel: TimelinePanel, qtbot
) -> None:
    panel.resize(600, 400)
    qtbot.wait(60)
    axis = panel.plot.lanes_axis
    assert axis.width() <= panel.plot.width() / 4 + 1
    geo = panel.item.rows
    long_lane = max(range(len(panel.data.lanes)), key=lambda i: len(panel.data.lanes[i].label))
    y = float(geo.top[long_lane] + geo.rows[long_lane] / 2)
    scene = panel.vb.mapViewToScene(QPointF(0, y))
    at = QPointF(axis.sceneBoundingRect().center().x(), scene.y())
    assert panel.plot.lane_at(at) == panel.data.lanes[long_lane].label
    assert (
        "\u2026" not in panel.data.lanes[long_lane].label
    )  # the data keep the whole name; the axis shortens it


def test_lanes_are_only_as_tall_as_their_rows(panel: TimelinePanel, qtbot) -> None:
    from caseboard.gui.plots.timeline_plot import ROW_PX

    panel.resize(900, 700)  # far more height than the demo's lanes need
    qtbot.wait(60)
    geo = panel.item.rows
    labels = [lane.label for lane in panel.data.lanes]
    one = labels.index("U.S. intelligence agencies")  # one statement: one row
    assert geo.rows[one] == 1
    row_px = abs(panel.vb.mapViewToScene(QPointF(0, 1)).y() - panel.vb.mapViewToScene(QPointF(0, 0)).y())
    assert row_px <= ROW_PX + 0.01
    assert geo.rows[labels.index("Mark A. Milley")] == 2  # two statements in the same month share days
