"""The case-health panel: the score in the status bar, rows per check, and a row selects its item everywhere."""

from __future__ import annotations

from caseboard.db import events, places, schema
from caseboard.db.demo import demo_id
from caseboard.gui.panels.health import HealthPanel


def _facts(case) -> int:
    return sum(case.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in schema.CITABLE)


def test_demo_case_is_fully_sourced_in_the_status_bar(qtbot, window) -> None:
    n = _facts(window.case)
    qtbot.waitUntil(lambda: window.status_health.text() == f"{n} of {n} facts sourced", timeout=10_000)
    panel = window.panels["health"]
    assert panel.health is None  # behind the inspector: only the score is worked out
    window.show_health()
    qtbot.waitUntil(lambda: len(panel.rows("single_source")) > 0, timeout=10_000)
    assert panel.rows("unsourced") == []
    assert panel.summary.text().startswith(f"{n} of {n} facts sourced")


def test_a_new_unsourced_event_is_listed_and_its_row_selects_it_everywhere(qtbot, window) -> None:
    ev = events.add_event(window.case, title="Unverified port call at Rajin")[0].row_id
    window.show_health()
    window.refresh()
    panel = window.panels["health"]
    qtbot.waitUntil(
        lambda: panel.rows("unsourced") == [("events", ev, "event: Unverified port call at Rajin")]
    )
    n = _facts(window.case)
    qtbot.waitUntil(lambda: window.status_health.text() == f"{n - 1} of {n} facts sourced")
    branch = panel.tree.topLevelItem(0)
    assert branch.text(0) == "Facts with no citation: 1"
    panel._clicked(branch.child(0))
    assert window.selection.selection.table == "events" and window.selection.selection.row_id == ev
    assert "Unverified port call at Rajin" in window.panels["inspector"].text()


def test_selection_elsewhere_marks_the_rows_of_that_item(qtbot, selection, case) -> None:
    places.update_place(case, demo_id("sea_of_japan"), lat=None, lon=None)
    panel = HealthPanel(selection)
    qtbot.addWidget(panel)
    panel.set_case(case)
    panel.refresh(wait=True)
    assert [r[1] for r in panel.rows("no_coordinates")] == [demo_id("sea_of_japan")]
    selection.select_item("places", demo_id("sea_of_japan"))
    picked = panel.tree.selectedItems()
    assert picked and all(i.text(0) == "place: Sea of Japan" for i in picked)


def test_an_edit_and_its_undo_update_the_panel_through_the_change_set(qtbot, window) -> None:
    panel = window.panels["health"]
    window.show_health()
    qtbot.waitUntil(lambda: panel.health is not None and panel.rows("unsourced") == [], timeout=10_000)
    changes = window.editor.run("Add event", lambda c: events.add_event(c, title="Sighting off Vladivostok"))
    ev = changes[0].row_id
    qtbot.waitUntil(lambda: [r[1] for r in panel.rows("unsourced")] == [ev], timeout=10_000)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.rows("unsourced") == [], timeout=10_000)


def test_view_menu_brings_the_panel_to_the_front(qtbot, window) -> None:
    health, inspector = window.panels["health"], window.panels["inspector"]
    qtbot.waitUntil(lambda: health.visibleRegion().isEmpty())  # a tab behind the inspector at first
    window.act_health.trigger()
    qtbot.waitUntil(lambda: not health.visibleRegion().isEmpty() and inspector.visibleRegion().isEmpty())
    assert window.act_health.shortcut().toString() == "Ctrl+Alt+H"


def test_behind_its_tab_the_panel_keeps_only_the_score_up_to_date(qtbot, window) -> None:
    panel = window.panels["health"]
    window.editor.run("Add event", lambda c: events.add_event(c, title="Rumoured second convoy"))
    n = _facts(window.case)
    qtbot.waitUntil(lambda: window.status_health.text() == f"{n - 1} of {n} facts sourced", timeout=10_000)
    assert panel.health is None and panel.tree.topLevelItemCount() == 0
    window.show_health()  # shown: the whole check runs then
    qtbot.waitUntil(lambda: len(panel.rows("unsourced")) == 1, timeout=10_000)
