"""The map sketch on the demo case: pins, legs, clicks, linked selection, zoom to fit, PDF output."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

from caseboard.db.case import open_case
from caseboard.db.demo import demo_id
from caseboard.gui.panels.map import MapPanel
from caseboard.gui.selection import SelectionModel


@pytest.fixture
def case(demo_file: Path):
    c = open_case(demo_file)
    yield c
    c.close()


@pytest.fixture
def selection(case) -> SelectionModel:
    sel = SelectionModel()
    sel.set_case(case)
    return sel


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
    sea_x, sea_y = panel._leg_items[0].getData()  # sea is mode 0: Najin -> Dunay
    assert list(sea_x) == pytest.approx([130.283, 132.335])
    rail_x, _ = panel._leg_items[1].getData()
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
