"""The link chart in the window: nodes and ties of the demo, linked selection, time range, dragging, new links."""

from __future__ import annotations

import datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog

from caseboard.db import actors, links, relationships
from caseboard.db.dates import day_number
from caseboard.db.demo import demo_id
from caseboard.gui.forms import EntityForm

MILLEY_QUOTES = {demo_id("milley_skeptical"), demo_id("milley_decisive")}


@pytest.fixture
def chart(qtbot, window):
    window.docks["links"].raise_()
    panel = window.panels["links"]
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data) > 0, timeout=10000)
    panel.plot.zoom_to_fit()
    QApplication.processEvents()
    return panel


def _view_pos(panel, scene_pos: QPointF) -> QPoint:
    return panel.plot.mapFromScene(scene_pos)


def _click(qtbot, panel, scene_pos: QPointF) -> None:
    qtbot.mouseClick(panel.plot.viewport(), Qt.MouseButton.LeftButton, pos=_view_pos(panel, scene_pos))


def _drag(panel, start: QPointF, end: QPointF, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A left-button drag as the mouse makes it (QTest's mouseMove carries no button state)."""
    vp = panel.plot.viewport()
    a, b = QPointF(_view_pos(panel, start)), QPointF(_view_pos(panel, end))

    def send(kind, pos: QPointF, buttons) -> None:
        ev = QMouseEvent(kind, pos, vp.mapToGlobal(pos), Qt.MouseButton.LeftButton, buttons, modifiers)
        QApplication.sendEvent(vp, ev)

    left = Qt.MouseButton.LeftButton
    send(QMouseEvent.Type.MouseButtonPress, a, left)
    for t in (0.1, 0.3, 0.6, 0.9, 1.0):
        send(QMouseEvent.Type.MouseMove, a + (b - a) * t, left)
    send(QMouseEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton)
    QApplication.processEvents()


def test_the_demo_chart_shows_every_relationship_and_the_derived_ties(chart, window) -> None:
    shown = chart.visible_links()
    stated = {row_id for table, row_id, _label in shown if table == "relationships"}
    assert stated == {r.id for r in relationships.list_relationships(window.case)}
    derived = {(table, label) for table, _row, label in shown if table != "relationships"}
    assert {
        ("shipments", "shipped to"),
        ("legs", "carried cargo of"),
        ("events", "in the same event"),
    } <= derived
    assert ("statements", "quoted in") in derived
    assert {demo_id(k) for k in ("russia", "angara", "kirby", "nsc", "ukraine", "S2")} <= chart.shown_ids()
    assert "flag state of" in " ".join(chart.plot.item.shown_edge_labels)
    assert chart.status.text().startswith(f"{len(chart.data)} nodes")


def test_clicking_a_node_selects_the_actor_in_the_navigator_and_its_quotes(qtbot, chart, window) -> None:
    _click(qtbot, chart, chart.node_scene_pos(demo_id("milley")))
    assert window.selection.selection.table == "actors"
    assert window.selection.selection.row_id == demo_id("milley")
    nav = window.panels["navigator"]
    view = nav.view("actors")
    assert nav.model("actors").row_id(view.currentIndex().row()) == demo_id("milley")
    assert set(window.panels["quotes"].shown_ids()) == MILLEY_QUOTES
    assert window.panels["inspector"].text().startswith("Mark A. Milley")
    # the chart lights Milley and the relationship he has
    assert demo_id("milley") in chart.highlighted_ids()
    assert chart.plot.item.node_hl[chart.data.index[demo_id("ukraine")]] == False  # noqa: E712


def test_clicking_an_edge_selects_the_relationship(qtbot, chart, window) -> None:
    a, b = chart.node_scene_pos(demo_id("kim")), chart.node_scene_pos(demo_id("north_korea"))
    _click(qtbot, chart, (a + b) / 2)
    sel = window.selection.selection
    assert (sel.table, sel.row_id) == ("relationships", demo_id("rel_kim_nk"))
    text = window.panels["inspector"].text()
    assert text.startswith("Kim Jong-un leader of North Korea") and "B2" in text
    # both of its actors light up in the chart
    assert {demo_id("kim"), demo_id("north_korea")} <= chart.highlighted_ids()


def test_a_selection_elsewhere_highlights_its_actors(chart, window) -> None:
    window.selection.select_item("shipments", demo_id("angara_shipment"), "elsewhere")
    assert {demo_id("north_korea"), demo_id("russia"), demo_id("angara")} <= chart.highlighted_ids()
    assert demo_id("kirby") not in chart.highlighted_ids()


def test_a_time_range_hides_relationships_outside_it(chart, window) -> None:
    def stated() -> set[str]:
        return {row_id for table, row_id, _l in chart.visible_links() if table == "relationships"}

    milley = demo_id("rel_milley_us")  # until about 29 Sept 2023
    assert milley in stated()
    window.selection.select_range(
        day_number(datetime.date(2023, 10, 20)), day_number(datetime.date(2023, 10, 30)), "timeline"
    )
    assert milley not in stated()
    assert demo_id("rel_angara_flag") in stated()  # no dates: may hold at any time
    # derived ties follow their facts' dates: the Kim-Putin meeting (13 Sept) is outside the range
    assert not any(t == "events" and r == demo_id("summit") for t, r, _l in chart.visible_links())
    assert "outside the time range" in chart.status.text()
    window.selection.select_range(
        day_number(datetime.date(2023, 9, 10)), day_number(datetime.date(2023, 9, 14)), "timeline"
    )
    assert milley in stated()


def test_dragged_positions_survive_closing_and_reopening(qtbot, make, demo_file) -> None:
    window = make(demo_file)
    window.docks["links"].raise_()
    panel = window.panels["links"]
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data) > 0, timeout=10000)
    panel.plot.zoom_to_fit()
    QApplication.processEvents()
    start = panel.node_scene_pos(demo_id("ukraine"))
    _drag(panel, start, start + QPointF(-40, 30))
    k = panel.data.index[demo_id("ukraine")]
    moved = (float(panel.data.x[k]), float(panel.data.y[k]))
    before = panel.vb.mapSceneToView(start)
    assert moved != pytest.approx((before.x(), before.y()))
    window.close()
    window.set_case(None)
    again = make(demo_file)
    chart = again.panels["links"]
    qtbot.waitUntil(lambda: chart.data is not None and len(chart.data) > 0, timeout=10000)
    k = chart.data.index[demo_id("ukraine")]
    assert (float(chart.data.x[k]), float(chart.data.y[k])) == pytest.approx(moved)
    # every other node kept its place too
    assert links.positions(again.case.conn, [demo_id("russia")])


def test_drawing_a_line_from_one_actor_to_another_records_a_relationship(qtbot, chart, window, monkeypatch):
    def fill(form: EntityForm) -> QDialog.DialogCode:
        assert form.raw("from_actor_id") == demo_id("iran") and form.raw("to_actor_id") == demo_id("russia")
        form.set_values({"kind": "associate of", "role": "drone supplier", "cite_source_id": demo_id("S1")})
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EntityForm, "exec", fill)
    chart.link_button.setChecked(True)
    _drag(chart, chart.node_scene_pos(demo_id("iran")), chart.node_scene_pos(demo_id("russia")))
    made = [r for r in relationships.relationships_of(window.case, demo_id("iran"))]
    assert [(r.kind, r.role, r.to_actor_id) for r in made] == [
        ("associate of", "drone supplier", demo_id("russia"))
    ]
    assert window.selection.selection.row_id == made[0].id
    qtbot.waitUntil(lambda: made[0].id in {r for _t, r, _l in chart.visible_links()}, timeout=10000)
    assert "Add relationship" in window.act_undo.text()
    window.act_undo.trigger()
    assert relationships.relationships_of(window.case, demo_id("iran")) == []


def test_new_relationship_from_the_edit_menu_starts_from_the_selected_actor(window, monkeypatch) -> None:
    def fill(form: EntityForm) -> QDialog.DialogCode:
        assert form.raw("from_actor_id") == demo_id("angara")
        form.set_values({"kind": "operator of", "to_actor_id": demo_id("russia")})
        form.widget("since").setText("Sept 2023")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EntityForm, "exec", fill)
    window.selection.select_item("actors", demo_id("angara"))
    window.edit_actions.new_actions["relationships"].trigger()
    rel = relationships.relationships_of(window.case, demo_id("angara"))
    assert any(r.kind == "operator of" and r.since.edtf() == "2023-09" for r in rel)


def test_a_large_case_shows_a_neighbourhood_and_expands(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(links, "WHOLE_CASE_LIMIT", 5)
    hub = window.case
    extra = actors.add_actor(hub, name="Sovcomflot", kind="organization").row_id
    relationships.add_relationship(hub, from_actor_id=extra, to_actor_id=demo_id("angara"), kind="owner of")
    window.docks["links"].raise_()
    panel = window.panels["links"]
    window.selection.clear()
    panel.refresh(wait=True)
    assert len(panel.data) == 0 and "Select an actor" in panel.status.text()
    window.selection.select_item("actors", demo_id("angara"), "navigator")
    qtbot.waitUntil(lambda: panel.data is not None and demo_id("angara") in panel.shown_ids(), timeout=10000)
    assert panel.shown_ids() >= {demo_id("angara"), extra, demo_id("russia")}
    assert demo_id("putin") not in panel.shown_ids()  # two steps away
    assert "neighbourhood, depth 1" in panel.status.text()
    panel.expand(demo_id("russia"))
    qtbot.waitUntil(lambda: demo_id("putin") in panel.shown_ids(), timeout=10000)


def test_relayout_keeps_the_new_positions_in_the_case(qtbot, chart, window) -> None:
    assert links.positions(window.case.conn, chart.shown_ids()) == {}  # a fresh layout is not written
    with qtbot.waitSignal(chart.loaded, timeout=10000):
        chart.relayout_button.click()
    kept = links.positions(window.case.conn, chart.shown_ids())
    assert set(kept) == chart.shown_ids()
    shown = chart.data.positions()
    for node, (x, y) in kept.items():
        assert (x, y) == pytest.approx(shown[node], abs=1e-9)


def test_the_drawn_chart_follows_a_selection_and_goes_back(chart, window) -> None:
    """The chart is kept as a drawn layer between frames: a change of highlight must still reach the screen."""

    def picture():
        QApplication.processEvents()
        return chart.plot.grab().toImage()

    plain = picture()
    assert picture() == plain  # nothing changed: the same picture
    window.selection.select_item("actors", demo_id("ukraine"), "elsewhere")
    lit = picture()
    assert lit != plain
    window.selection.clear("elsewhere")
    assert picture() == plain
