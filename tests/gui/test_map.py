"""The map sketch on the demo case: pins, legs, clicks, linked selection, zoom to fit, PDF output."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

from caseboard.db.demo import demo_id
from caseboard.gui.panels.map import MapPanel
from caseboard.gui.selection import SelectionModel


@pytest.fixture
def panel(qtbot, case, selection) -> MapPanel:
    p = MapPanel(selection)
    qtbot.addWidget(p)
    p.resize(700, 500)
    p.show()
    qtbot.waitExposed(p)
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.set_case(case)
    qtbot.wait(80)  # labels are placed on a short timer after the view settles
    return p


def test_places_and_both_angara_legs_are_drawn(panel: MapPanel) -> None:
    assert len(panel.shown_ids("places")) == 5
    assert panel.shown_ids("legs") == {demo_id("leg_sea"), demo_id("leg_rail")}
    sea_x, sea_y = panel.leg_lines(0)  # sea is mode 0: Najin -> Dunay
    assert list(sea_x) == pytest.approx([130.283, 132.335])
    rail_x, _ = panel.leg_lines(1)
    assert list(rail_x) == pytest.approx([132.335, 40.119])
    assert "\u2248 Ammunition depot near Tikhoretsk" in panel.label_texts()


def test_zoom_to_fit_covers_every_place_with_latitude_corrected_aspect(panel: MapPanel) -> None:
    panel.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    panel.zoom_to_fit()
    x0, x1, y0, y1 = panel.view_bounds()
    d = panel.data
    assert x0 < d.lon.min() and x1 > d.lon.max() and y0 < d.lat.min() and y1 > d.lat.max()
    # a degree of latitude is 1/cos(mid-latitude) times as tall on screen as a degree of longitude is wide
    xpx, ypx = panel.vb.viewPixelSize()
    mid = (d.lat.min() + d.lat.max()) / 2
    assert (xpx / ypx) == pytest.approx(1 / math.cos(math.radians(mid)), rel=0.02)


def test_clicking_the_dunay_pin_selects_dunay(qtbot, panel: MapPanel, selection: SelectionModel) -> None:
    panel.vb.setRange(xRange=(125, 137), yRange=(38, 47), padding=0)  # zoomed to the port, as a user would
    qtbot.wait(20)
    pos = panel.plot.mapFromScene(panel.place_scene_pos(demo_id("dunay")))
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert (selection.selection.table, selection.selection.row_id) == ("places", demo_id("dunay"))
    # both legs touching Dunay light up, and so do their far ends
    assert panel.highlighted_ids("legs") == {demo_id("leg_sea"), demo_id("leg_rail")}
    assert {demo_id("najin"), demo_id("tikhoretsk")} <= panel.highlighted_ids("places")


def test_clicking_a_leg_selects_it(panel: MapPanel, selection: SelectionModel) -> None:
    mid = panel.vb.mapViewToScene(pg_point((132.335 + 40.119) / 2, (42.879 + 45.853) / 2))
    assert panel.click_at(mid)
    assert (selection.selection.table, selection.selection.row_id) == ("legs", demo_id("leg_rail"))


def pg_point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_clicking_empty_sea_selects_nothing(panel: MapPanel, selection: SelectionModel) -> None:
    assert not panel.click_at(panel.vb.mapViewToScene(pg_point(80.0, 20.0)))
    assert selection.selection.empty


def test_actor_selection_dims_the_rest(panel: MapPanel, selection: SelectionModel) -> None:
    selection.select_item("actors", demo_id("angara"))  # the ship carried the sea leg only
    assert panel.highlighted_ids("legs") >= {demo_id("leg_sea")}
    assert panel.shown_ids("places") == set(panel.data.place_ids.tolist()), "an item selection only dims"
    selection.clear()
    assert panel.highlighted_ids("legs") == set()


def test_time_range_shows_only_what_happened_then(panel: MapPanel, selection: SelectionModel) -> None:
    selection.select_range(19610, 19614)  # 2023-09-10 .. 2023-09-14
    assert panel.shown_ids("legs") == {demo_id("leg_sea")}
    shown = panel.shown_ids("places")
    assert {demo_id("najin"), demo_id("dunay")} <= shown and demo_id("tikhoretsk") not in shown
    selection.clear_range()
    assert len(panel.shown_ids("legs")) == 2


def test_render_to_pdf_is_vector_with_a_legend(tmp_path: Path, panel: MapPanel) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "map.pdf"
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    panel.render_to(painter, page.adjusted(0, 0, 0, -page.height() / 2), title="Map sketch")
    painter.end()
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    for word in ("Map sketch", "sea", "rail", "road", "air", "place", "Dunay"):
        assert word in text
    assert not reader.pages[0].images


def test_set_case_none_empties_the_map(panel: MapPanel) -> None:
    panel.set_case(None)
    assert panel.data is None and panel.shown_ids("places") == set()


# -- the detail inset ----------------------------------------------------------------------------------------------
def test_detail_inset_shows_the_port_cluster_with_its_labels(panel: MapPanel) -> None:
    assert panel.inset_visible(), "Najin and Dunay are a few pixels apart at the fitted zoom"
    x0, x1, y0, y1 = panel.inset_bounds()
    for lon, lat in ((130.283, 42.256), (132.335, 42.879)):  # Najin, Dunay
        assert x0 < lon < x1 and y0 < lat < y1
    assert {"Najin", "Dunay"} <= set(panel.label_texts(inset=True))
    # every place of the demo is labelled in the main view or the inset
    names = {
        "Najin",
        "Dunay",
        "\u2248 Ammunition depot near Tikhoretsk",
        "\u2248 Russian Far East",
        "\u2248 Sea of Japan",
    }
    assert names <= set(panel.label_texts(inset=None))
    assert panel.inset_marker.isVisible()


def _main_item_rects(panel: MapPanel) -> list[QRectF]:
    """Scene rectangles of what the main map shows: pins (their symbol) and labels."""
    out = []
    for place_id in panel.data.place_ids.tolist():
        c = panel.place_scene_pos(place_id)
        if c is not None and panel.vb.sceneBoundingRect().contains(c):
            out.append(QRectF(c.x() - 5, c.y() - 5, 10, 10))
    out += [t.sceneBoundingRect() for t in panel.main.labels if t.isVisible()]
    return out


@pytest.mark.parametrize("size", [(700, 600), (1000, 420), (420, 700), (1366 // 2, 768 // 2)])
def test_inset_sits_in_its_own_frame_over_no_data(qtbot, panel: MapPanel, size: tuple[int, int]) -> None:
    panel.resize(*size)
    qtbot.wait(120)  # the refit after a resize
    panel.zoom_to_fit()
    panel.grab()
    assert panel.inset_visible()
    frame = panel.plot.inset_frame()
    assert panel.vb.sceneBoundingRect().contains(frame)
    for r in _main_item_rects(panel):
        assert not frame.intersects(r), (size, r)
    # its own title and coordinates, and its extent drawn on the main map
    assert panel.plot.inset_title.textItem.toPlainText().startswith("Detail: ")
    coords = [t.textItem.toPlainText() for t in panel.plot.inset_coords if t.isVisible()]
    assert any(c.endswith("\u00b0E") for c in coords) and any(c.endswith("\u00b0N") for c in coords)
    assert panel.inset_marker.isVisible()
    (x0, x1), (y0, y1) = panel.inset.vb.viewRange()
    m = panel.inset_marker.rect()
    assert m.left() == pytest.approx(x0) and m.top() == pytest.approx(y0) and m.bottom() == pytest.approx(y1)


def test_inset_stays_put_while_only_the_selection_changes(qtbot, panel: MapPanel, selection) -> None:
    frame = panel.plot.inset_frame()
    for table, row_id in (
        ("places", demo_id("dunay")),
        ("places", demo_id("tikhoretsk")),
        ("actors", demo_id("milley")),
    ):
        selection.select_item(table, row_id)
        qtbot.wait(60)
        assert panel.plot.inset_frame() == frame


def test_selected_place_is_ringed_apart_from_related_ones(qtbot, panel: MapPanel, selection) -> None:
    selection.select_item("places", demo_id("dunay"))
    ring = panel.plot._sel_rings[0]
    x, y = ring.getData()
    i = panel.data.place_index.get(demo_id("dunay"))
    assert list(x) == [panel.data.lon[i]] and list(y) == [panel.data.lat[i]]
    assert len(panel.highlighted_ids("places")) > 1  # related places are lit, but only Dunay is ringed


def test_view_keeps_to_the_globe_and_has_a_scale_bar(qtbot, panel: MapPanel) -> None:
    panel.resize(500, 900)  # tall: more latitude than the case needs
    qtbot.wait(120)
    panel.zoom_to_fit()
    x0, x1, y0, y1 = panel.view_bounds()
    assert y0 >= -90.0 and y1 <= 90.0
    for place_id in panel.data.place_ids.tolist():
        assert panel.vb.sceneBoundingRect().contains(panel.place_scene_pos(place_id))
    panel.grab()
    assert panel.plot.scale_bar.label().endswith(" km") and panel.plot.scale_bar.km > 0


def test_empty_case_shows_the_world_and_says_what_to_do(qtbot, tmp_path: Path, selection) -> None:
    from caseboard.db.case import create_case

    case = create_case(tmp_path / "empty.case", title="Empty")
    selection.set_case(case)
    p = MapPanel(selection)
    qtbot.addWidget(p)
    p.resize(700, 500)
    p.show()
    p.set_case(case)
    p.refresh(wait=True)
    qtbot.wait(80)
    x0, x1, y0, y1 = p.view_bounds()
    assert x0 <= -170 and x1 >= 170  # the whole world (beyond the poles is shaded as no map)
    assert p.plot.hint.isVisible() and "Double-click the map" in p.plot.hint.textItem.toPlainText()
    p.set_case(None)
    case.close()


def test_clicking_dunay_in_the_inset_selects_it(qtbot, panel: MapPanel, selection: SelectionModel) -> None:
    scene = panel.place_scene_pos(demo_id("dunay"), inset=True)
    assert panel.inset.vb.sceneBoundingRect().contains(scene)
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=panel.plot.mapFromScene(scene))
    assert (selection.selection.table, selection.selection.row_id) == ("places", demo_id("dunay"))
    assert panel.highlighted_ids("legs") == {demo_id("leg_sea"), demo_id("leg_rail")}


def test_inset_can_be_turned_off_and_hides_when_zoomed_in(qtbot, panel: MapPanel) -> None:
    panel.detail_button.setChecked(False)
    assert not panel.inset_visible() and not panel.inset_marker.isVisible()
    panel.detail_button.setChecked(True)
    assert panel.inset_visible()
    panel.vb.setRange(xRange=(129, 134), yRange=(41, 44), padding=0)
    qtbot.waitUntil(lambda: not panel.inset_visible(), timeout=3000)  # after the label timer, however busy
    panel.zoom_to_fit()
    assert panel.inset_visible()


def test_zoom_to_fit_centres_the_data(panel: MapPanel) -> None:
    x0, x1, y0, y1 = panel.view_bounds()
    d = panel.data
    assert (y0 + y1) / 2 == pytest.approx((d.lat.min() + d.lat.max()) / 2, abs=0.5)
    assert (x0 + x1) / 2 == pytest.approx((d.lon.min() + d.lon.max()) / 2, abs=0.5)
    # the wide panel is filled across: the data's width is most of the view's
    assert (d.lon.max() - d.lon.min()) / (x1 - x0) > 0.8


# -- editing hooks -------------------------------------------------------------------------------------------------
class FakeClick:
    def __init__(self, scene_pos: QPointF, *, double: bool = False) -> None:
        self._pos, self._double, self.accepted = scene_pos, double, False

    def button(self):
        return Qt.MouseButton.LeftButton

    def scenePos(self) -> QPointF:  # noqa: N802 - pyqtgraph API
        return self._pos

    def double(self) -> bool:
        return self._double

    def accept(self) -> None:
        self.accepted = True


class FakeDrag(FakeClick):
    def __init__(self, start: QPointF, pos: QPointF, *, first: bool, last: bool) -> None:
        super().__init__(pos)
        self._start, self._first, self._last = start, first, last

    def buttonDownScenePos(self) -> QPointF:  # noqa: N802
        return self._start

    def isStart(self) -> bool:  # noqa: N802
        return self._first

    def isFinish(self) -> bool:  # noqa: N802
        return self._last

    def ignore(self) -> None:
        self.accepted = False


def test_double_click_on_empty_map_requests_a_place(
    qtbot, panel: MapPanel, selection: SelectionModel
) -> None:
    scene = panel.vb.mapViewToScene(QPointF(70.0, 52.0))
    assert not panel.inset.vb.sceneBoundingRect().contains(scene)
    with qtbot.waitSignal(panel.place_requested) as blocker:
        panel._on_click(FakeClick(scene, double=True))
    lat, lon = blocker.args
    assert lat == pytest.approx(52.0, abs=0.5) and lon == pytest.approx(70.0, abs=0.5)
    assert selection.selection.empty
    # a double click on a pin is a selection, not a new place
    with qtbot.assertNotEmitted(panel.place_requested):
        panel._on_click(FakeClick(panel.place_scene_pos(demo_id("tikhoretsk")), double=True))


def test_add_place_mode_turns_clicks_into_requests_until_escape(qtbot, panel: MapPanel) -> None:
    panel.add_button.setChecked(True)
    scene = panel.place_scene_pos(demo_id("tikhoretsk"))  # even on a pin: the mode asks for a place
    with qtbot.waitSignal(panel.place_requested) as blocker:
        panel._on_click(FakeClick(scene))
    assert blocker.args[1] == pytest.approx(40.119, abs=0.5)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert not panel.add_button.isChecked()
    with qtbot.assertNotEmitted(panel.place_requested):
        panel._on_click(FakeClick(panel.vb.mapViewToScene(QPointF(80.0, 30.0))))


def test_dragging_a_pin_emits_pin_moved_only_when_editable(qtbot, panel: MapPanel) -> None:
    start = panel.place_scene_pos(demo_id("tikhoretsk"))
    mid = panel.vb.mapViewToScene(QPointF(60.0, 50.0))
    end = panel.vb.mapViewToScene(QPointF(70.0, 55.0))
    with qtbot.assertNotEmitted(panel.pin_moved):
        assert not panel._drag_event(FakeDrag(start, mid, first=True, last=False))  # not editable: a pan
    panel.editable = True
    assert panel._drag_event(FakeDrag(start, mid, first=True, last=False))
    assert panel._drag_pin.isVisible()
    pin_x, pin_y = panel._drag_pin.getData()
    assert (pin_x[0], pin_y[0]) == pytest.approx((60.0, 50.0), abs=0.5), "the pin follows the mouse"
    with qtbot.waitSignal(panel.pin_moved) as blocker:
        panel.vb.mouseDragEvent(FakeDrag(start, end, first=False, last=True))
    place_id, lat, lon = blocker.args
    assert place_id == demo_id("tikhoretsk")
    assert (lat, lon) == pytest.approx((55.0, 70.0), abs=0.5)
    assert not panel._drag_pin.isVisible()


def test_escape_cancels_a_pin_drag(qtbot, panel: MapPanel, selection: SelectionModel) -> None:
    panel.editable = True
    start = panel.place_scene_pos(demo_id("tikhoretsk"))
    end = panel.vb.mapViewToScene(QPointF(70.0, 55.0))
    panel.vb.mouseDragEvent(FakeDrag(start, end, first=True, last=False))
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert not panel._drag_pin.isVisible()
    with qtbot.assertNotEmitted(panel.pin_moved):
        panel.vb.mouseDragEvent(FakeDrag(start, end, first=False, last=True))
    assert panel.data.lon[panel.data.place_index.get(demo_id("tikhoretsk"))] == pytest.approx(40.119)


# -- scale and PDF ---------------------------------------------------------------------------------------------------
def test_legs_are_cached_between_pan_frames(qtbot, panel: MapPanel) -> None:
    panel.plot.grab()
    before = panel.main.layer.renders
    (a, b), (c, d) = panel.vb.viewRange()
    for k in range(3):
        panel.vb.setRange(xRange=(a + k, b + k), yRange=(c, d), padding=0)
        panel.plot.grab()
    assert panel.main.layer.renders == before, "panning only moves the cached image"
    qtbot.waitUntil(lambda: panel.main.layer.renders > before, timeout=2000)  # refined once at rest


def test_render_to_clips_the_basemap(tmp_path: Path, panel: MapPanel) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "map.pdf"
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    panel.render_to(painter, page.adjusted(0, 0, 0, -page.height() / 2))
    painter.end()
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    stream = reader.pages[0].get_contents().get_data()
    assert len(stream) < 600_000, "the whole world's coastline was written (about 3.8 MB)"
    text = " ".join(reader.pages[0].extract_text().split())
    assert "N" in text and "\u00b0N" in text, "latitude labels"
    assert "Dunay" in text and "Najin" in text


def test_map_labels_never_overlap_on_a_generated_case(qtbot, tmp_path: Path) -> None:
    from caseboard.db.case import open_case
    from caseboard.db.generate import generate_case

    path = tmp_path / "g.case"
    generate_case(path, events=2000, statements=200, actors=60, places=1500, shipments=200, seed=5)
    case = open_case(path)
    selection = SelectionModel()
    selection.set_case(case)
    p = MapPanel(selection)
    qtbot.addWidget(p)
    p.resize(800, 600)
    p.show()
    qtbot.waitExposed(p)
    try:
        p.set_case(case)
        p.refresh(wait=True)
        p.zoom_to_fit()
        qtbot.wait(120)
        for view in (p.main, p.inset):
            boxes = [t.sceneBoundingRect() for t in view.labels if t.isVisible()]
            assert all(not a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        assert len(p.label_texts()) >= 10
        frame = p.plot.inset_frame() if p.inset_visible() else None
        if frame is not None:
            assert not any(frame.intersects(t.sceneBoundingRect()) for t in p.main.labels if t.isVisible())
    finally:
        p.set_case(None)
        case.close()


def test_plus_and_minus_keys_zoom_the_map_in_and_out(qtbot, panel: MapPanel) -> None:
    """+ shows a smaller stretch of the map around the same middle; − shows a wider one again."""
    x0, x1, y0, y1 = panel.view_bounds()
    qtbot.keyClick(panel, Qt.Key.Key_Plus)
    a0, a1, b0, b1 = panel.view_bounds()
    assert (a1 - a0) < 0.8 * (x1 - x0) and (b1 - b0) < 0.8 * (y1 - y0)
    assert (a0 + a1) / 2 == pytest.approx((x0 + x1) / 2, abs=0.01 * (x1 - x0))
    qtbot.keyClick(panel, Qt.Key.Key_Minus)
    c0, c1, _d0, _d1 = panel.view_bounds()
    assert (c1 - c0) > 1.2 * (a1 - a0)
