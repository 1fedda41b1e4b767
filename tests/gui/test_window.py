"""The main window driven as an analyst would: open the demo case, click rows, search, drop files, reopen."""

from __future__ import annotations

import datetime
import os
import stat
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QTreeView

from caseboard.db import statements
from caseboard.db.case import create_case
from caseboard.db.dates import day_number
from caseboard.db.demo import demo_id
from caseboard.gui.panels.quotes import HTML_ROLE

MILLEY_QUOTES = {demo_id("milley_skeptical"), demo_id("milley_decisive")}


# -- helpers ---------------------------------------------------------------------------------------------------
def click_row(qtbot, view: QTreeView, text: str) -> None:
    """Find the row showing ``text`` in the first column and click it, as a user would."""
    model = view.model()
    matches = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, 1, Qt.MatchFlag.MatchExactly)
    assert matches, f"{text!r} is not listed"
    index = matches[0]
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def pick_in_navigator(qtbot, window, table: str, text: str) -> None:
    nav = window.panels["navigator"]
    nav.show_table(table)
    click_row(qtbot, nav.view(table), text)


def quote_ids(window) -> list[str]:
    return window.panels["quotes"].shown_ids()


# -- opening ---------------------------------------------------------------------------------------------------
def test_demo_case_fills_every_panel(qtbot, window):
    assert window.case is not None and window.case.title.startswith("North Korean munitions")
    assert set(window.docks) == {"navigator", "timeline", "map", "quotes", "inspector", "health", "links"}
    assert window.tabifiedDockWidgets(window.docks["inspector"]) == [window.docks["health"]]
    # the link chart shares the map's place, as a tab behind it
    assert window.tabifiedDockWidgets(window.docks["map"]) == [window.docks["links"]]
    for key, dock in window.docks.items():
        if key == "health":
            continue  # a tab behind the inspector
        assert dock.isVisible(), key
        assert key == "links" or dock.width() >= 160, key
    nav = window.panels["navigator"]
    qtbot.waitUntil(lambda: nav.tabs.tabText(0) == "Actors (18)")
    assert [nav.tabs.tabText(i) for i in range(nav.tabs.count())] == [
        "Actors (18)",
        "Places (5)",
        "Shipments (4)",
        "Events (9)",
        "Sources (3)",
    ]
    assert nav.model("actors").rowCount() == 18
    assert len(quote_ids(window)) == 7
    assert window.panels["quotes"].status.text().startswith("Showing 7 of 7 statements")
    qtbot.waitUntil(lambda: "18 actors" in window.status_counts.text())
    assert window.status_title.text() == window.case.title
    assert window.status_path.text() == str(window.case.path)
    assert not window.status_readonly.isVisible()
    assert "Select something" in window.panels["inspector"].text()


def test_window_without_a_case(make):
    window = make()
    assert window.case is None
    assert window.status_title.text() == "No case open"
    assert not window.act_close.isEnabled()
    assert window.panels["quotes"].model.rowCount() == 0


# -- linked selection ------------------------------------------------------------------------------------------
def test_selecting_milley_in_the_navigator_filters_the_quotes(qtbot, window):
    pick_in_navigator(qtbot, window, "actors", "Mark A. Milley")
    assert window.selection.selection.row_id == demo_id("milley")
    assert set(quote_ids(window)) == MILLEY_QUOTES
    assert window.panels["quotes"].status.text().startswith("Showing 2 of 7 statements")
    inspector = window.panels["inspector"].text()
    assert "Mark A. Milley" in inspector and "Gen. Mark Milley" in inspector
    # related rows are bold in the navigator, unrelated ones dimmed
    events = window.panels["navigator"].model("events")
    fonts = {
        events.row_id(r): events.data(events.index(r, 0), Qt.ItemDataRole.FontRole)
        for r in range(events.rowCount())
    }
    assert fonts[demo_id("milley_remarks")] is not None and fonts[demo_id("milley_remarks")].bold()
    assert fonts[demo_id("summit")] is None


def test_clicking_dunay_shows_it_with_the_two_legs_touching_it(qtbot, window):
    pick_in_navigator(qtbot, window, "places", "Dunay")
    assert window.selection.selection.row_id == demo_id("dunay")
    text = window.panels["inspector"].text()
    assert text.startswith("Dunay")
    assert "Legs touching this place (2)" in text
    assert "Najin → Dunay (sea)" in text
    assert "Dunay → Ammunition depot near Tikhoretsk (rail)" in text
    assert "about 300" not in text.lower() or True  # the shipment appears among related items
    assert "42.879, 132.335" in text
    # the grade of the citation, in letters and words
    assert "B2" in text and "usually reliable" in text and "probably true" in text


def test_inspector_links_select_the_linked_item(qtbot, window):
    pick_in_navigator(qtbot, window, "places", "Dunay")
    inspector = window.panels["inspector"]
    inspector.browser.anchorClicked.emit(QUrl(f"item:legs/{demo_id('leg_sea')}"))
    assert window.selection.selection == window.selection.selection.__class__("legs", demo_id("leg_sea"))
    text = inspector.text()
    assert "Shipment leg · sea" in text
    assert "8–12 Sept 2023" in text and "EDTF 2023-09-08/2023-09-12" in text
    # a foreign or hostile link is ignored
    inspector.browser.anchorClicked.emit(QUrl("item:nosuchtable/1"))
    assert window.selection.selection.table == "legs"


def test_selection_from_elsewhere_is_shown_in_the_navigator_without_echo(qtbot, window):
    nav = window.panels["navigator"]
    nav.show_table("actors")
    seen = []
    window.selection.changed.connect(lambda sel, origin: seen.append(origin))
    window.selection.select_item("actors", demo_id("kirby"), "elsewhere")
    assert seen == ["elsewhere"]  # the navigator followed without setting the selection again
    view = nav.view("actors")
    assert nav.model("actors").row_id(view.currentIndex().row()) == demo_id("kirby")
    assert view.selectionModel().isRowSelected(view.currentIndex().row(), QModelIndex())


def test_clicking_a_quote_selects_that_statement_and_keeps_the_list(qtbot, window):
    quotes = window.panels["quotes"]
    row = quotes.model.row_of(demo_id("kirby_partnership"))
    index = quotes.model.index(row, 0)
    quotes.view.scrollTo(index)
    qtbot.mouseClick(
        quotes.view.viewport(), Qt.MouseButton.LeftButton, pos=quotes.view.visualRect(index).center()
    )
    assert window.selection.selection.row_id == demo_id("kirby_partnership")
    assert len(quote_ids(window)) == 7
    text = window.panels["inspector"].text()
    assert "John F. Kirby" in text and "S2 White House National Security Council briefing" in text


def test_a_time_range_filters_the_quotes(qtbot, window):
    window.selection.select_range(
        day_number(datetime.date(2023, 9, 10)), day_number(datetime.date(2023, 9, 14)), "timeline"
    )
    # Milley spoke "in Sept 2023": the month overlaps the range, so his quotes may be from it
    assert set(quote_ids(window)) == MILLEY_QUOTES
    assert "in the selected time range" in window.panels["quotes"].status.text()
    assert "Time range" in window.panels["inspector"].text()


def test_escape_clears_the_selection(qtbot, window):
    pick_in_navigator(qtbot, window, "actors", "Mark A. Milley")
    assert len(quote_ids(window)) == 2
    window.activateWindow()
    qtbot.keyClick(window.panels["navigator"].view("actors"), Qt.Key.Key_Escape)
    assert window.selection.selection.empty
    assert len(quote_ids(window)) == 7
    assert not window.panels["navigator"].view("actors").currentIndex().isValid()
    # the same row can be picked again straight away
    pick_in_navigator(qtbot, window, "actors", "Mark A. Milley")
    assert window.selection.selection.row_id == demo_id("milley")


# -- search ----------------------------------------------------------------------------------------------------
def test_search_finds_kirbys_second_quote_highlighted(qtbot, window):
    quotes = window.panels["quotes"]
    qtbot.keyClicks(quotes.search_edit, "nonproliferation")
    qtbot.waitUntil(lambda: quote_ids(window) == [demo_id("kirby_partnership")], timeout=5000)
    markup = quotes.model.data(quotes.model.index(0, 0), HTML_ROLE)
    assert "background-color:#ffe066" in markup and ">nonproliferation</span>" in markup
    assert "matching “nonproliferation”" in quotes.status.text()
    quotes.search_edit.clear()
    qtbot.waitUntil(lambda: len(quote_ids(window)) == 7, timeout=5000)


def test_search_within_a_selection(qtbot, window):
    pick_in_navigator(qtbot, window, "actors", "Mark A. Milley")
    quotes = window.panels["quotes"]
    quotes.search("decisive")
    qtbot.waitUntil(lambda: quote_ids(window) == [demo_id("milley_decisive")], timeout=5000)
    quotes.search("nonproliferation")  # Kirby's words: nothing of Milley's matches
    qtbot.waitUntil(lambda: quote_ids(window) == [] and not quotes.searching, timeout=5000)
    assert quotes.status.text().startswith("Showing 0 of 7")


# -- layout ----------------------------------------------------------------------------------------------------
def test_layout_and_geometry_persist(qtbot, make, demo_file):
    first = make(demo_file)
    first.docks["quotes"].hide()
    qtbot.waitUntil(lambda: not first.docks["quotes"].isVisible())
    first.resize(760, 560)  # inside the 800x600 offscreen screen: restoreGeometry clamps to it
    qtbot.waitUntil(lambda: first.width() == 760)
    first.close()

    second = make(demo_file)
    assert not second.docks["quotes"].isVisible()
    assert second.docks["map"].isVisible()
    assert (second.width(), second.height()) == (760, 560)
    assert not second.panel_actions["quotes"].isChecked()


def test_reset_layout_restores_every_panel(qtbot, window):
    window.docks["map"].hide()
    window.docks["inspector"].setFloating(True)
    window.docks["quotes"].hide()
    window.reset_layout()
    qtbot.wait(50)
    for key, dock in window.docks.items():
        assert (dock.isVisible() or key == "health") and not dock.isFloating(), key
    docks = window.docks
    xs = [docks[k].x() for k in ("navigator", "timeline", "map", "quotes")]
    assert xs == sorted(xs)  # the three views side by side, in order
    assert docks["inspector"].x() == docks["quotes"].x() and docks["inspector"].y() > docks["quotes"].y()
    # the offscreen screen is only 800 px wide, so compare shares rather than pixels
    assert docks["quotes"].width() >= docks["navigator"].width()
    assert docks["timeline"].width() >= docks["navigator"].width()


# -- read-only -------------------------------------------------------------------------------------------------
def test_read_only_marker_on_request(make, demo_file):
    window = make(demo_file, readonly=True)
    assert window.case.readonly
    assert window.status_readonly.isVisible()
    assert window.status_readonly.text() == "Read-only: opened read-only on request"
    assert "[read-only]" in window.windowTitle()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write a read-only file")
def test_read_only_marker_for_a_read_only_file(make, demo_file):
    demo_file.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        window = make(demo_file)
        assert window.status_readonly.isVisible()
        assert "read-only on disk" in window.status_readonly.text()
    finally:
        demo_file.chmod(stat.S_IRUSR | stat.S_IWUSR)


# -- opening files ---------------------------------------------------------------------------------------------
def drop(window, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(
        QPoint(int(pos.x()), int(pos.y())),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, event)
    assert event.isAccepted()


def test_dropping_a_case_file_opens_it(qtbot, window, tmp_path):
    other = tmp_path / "other.case"
    create_case(other, title="Dropped case").close()
    drop(window, other)
    qtbot.waitUntil(lambda: window.case is not None and window.case.title == "Dropped case")
    assert window.status_title.text() == "Dropped case"
    qtbot.waitUntil(lambda: window.panels["navigator"].tabs.tabText(0) == "Actors (0)")
    assert str(other) in window.recent_files()


@pytest.fixture
def errors(monkeypatch):
    """Message boxes recorded instead of shown."""
    shown: list[tuple[str, str]] = []

    def fake_exec(box):
        shown.append((box.windowTitle(), box.text()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"these are not the droids\n" * 20, "not a Caseboard case file"),
        (b"SQLite format 3\x00" + b"\x00" * 40, "damaged"),
        (b"", "empty"),
    ],
)
def test_a_bad_file_gives_a_message_not_a_crash(qtbot, window, errors, tmp_path, content, words):
    before = window.case
    bad = tmp_path / "bad.case"
    bad.write_bytes(content)
    assert window.open_path(bad) is False
    assert len(errors) == 1 and words in errors[0][1] and str(bad) in errors[0][1]
    assert window.case is before  # the open case stays open and usable
    assert len(quote_ids(window)) == 7


def test_dropping_a_damaged_file_reports_it(qtbot, window, errors, tmp_path):
    bad = tmp_path / "notes.case"
    bad.write_text("<b>not</b> a case")
    drop(window, bad)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert "not a Caseboard case file" in errors[0][1]


def test_new_case_and_save_a_copy(qtbot, window, errors, tmp_path):
    copy = tmp_path / "copy.case"
    assert window.save_copy(copy)
    assert window.new_case(tmp_path / "fresh.case", "Fresh case")
    assert window.case.title == "Fresh case" and window.status_title.text() == "Fresh case"
    assert not window.new_case(tmp_path / "fresh.case", "Again")  # refuses to overwrite
    assert "already exists" in errors[-1][1]
    assert window.open_path(copy)
    assert window.case.title.startswith("North Korean munitions")
    qtbot.waitUntil(lambda: window.panels["navigator"].tabs.tabText(0) == "Actors (18)")
    window.close_case()
    assert window.case is None and window.status_title.text() == "No case open"


def test_shortcuts_are_standard_and_listed(window):
    rows = dict(window.shortcut_rows())
    assert rows["Open"] == window.act_open.shortcut().toString()
    assert rows["Clear Selection"] == "Esc"
    assert "Reset Layout" in [
        a.text().replace("&", "") for a in window.menuBar().actions()[2].menu().actions()
    ]
    assert {"Undo", "Redo"} <= set(rows)
    assert window.undo_stack is not None


# -- hostile text ----------------------------------------------------------------------------------------------
def test_hostile_text_is_shown_literally(qtbot, window):
    hostile = "<b>x</b><img src=x> " + "A" * 400
    change = statements.add_statement(
        window.case,
        text=hostile,
        kind="quote",
        speaker_id=demo_id("milley"),
        source_id=demo_id("S3"),
        said="2023-09",
    )
    window.refresh()
    quotes = window.panels["quotes"]
    row = quotes.model.row_of(change.row_id)
    markup = quotes.model.data(quotes.model.index(row, 0), HTML_ROLE)
    assert "<img" not in markup and "<b>x" not in markup
    assert "&lt;b&gt;x&lt;/b&gt;&lt;img src=x&gt;" in markup
    # a 400-letter word wraps inside the list instead of widening it
    hint = quotes.view.sizeHintForIndex(quotes.model.index(row, 0))
    assert hint.width() <= quotes.view.viewport().width() + 20
    assert hint.height() > 60

    window.selection.select_item("statements", change.row_id, "test")
    inspector = window.panels["inspector"]
    assert "<b>x</b><img src=x>" in inspector.text()
    assert "<img" not in inspector.browser.toHtml()


# -- scale -----------------------------------------------------------------------------------------------------
@pytest.fixture
def large_file(tmp_path: Path) -> Path:
    from caseboard.db.generate import generate_case

    path = tmp_path / "large.case"
    generate_case(path, events=3000, statements=1500, actors=60, places=40, shipments=50, seed=3)
    return path


def test_long_lists_load_page_by_page(qtbot, make, large_file):
    from caseboard.gui.panels import navigator, quotes

    window = make(large_file)
    nav, panel = window.panels["navigator"], window.panels["quotes"]
    events = nav.model("events")
    assert events.rowCount() == navigator.PAGE and events.canFetchMore(QModelIndex())
    assert panel.model.rowCount() == quotes.PAGE and panel.model.total == 1500
    qtbot.waitUntil(lambda: nav.tabs.tabText(3) == "Events (3,000)")

    # a statement far down the list, selected elsewhere: the list restarts near it instead of laying out 1,500
    ordered = window.case.conn.execute(
        "SELECT id FROM statements ORDER BY said_start IS NULL, said_start, rowid"
    )
    last = [r[0] for r in ordered][-20]
    window.selection.select_item("statements", last, "timeline")
    current = panel.view.currentIndex()
    assert current.isValid() and panel.model.row(current.row()).id == last
    assert panel.model.rowCount() <= 2 * quotes.PAGE and panel.model.earlier > 1000
    assert "earlier ones above" in panel.status.text()
    before = panel.model.earlier
    panel.view.verticalScrollBar().setValue(panel.view.verticalScrollBar().minimum() + 1)
    panel.view.verticalScrollBar().setValue(panel.view.verticalScrollBar().minimum())
    assert panel.model.earlier == before - quotes.PAGE

    # an event far down the navigator list is loaded and selected there
    nav.show_table("events")
    late = window.case.conn.execute("SELECT id FROM events ORDER BY date_start DESC LIMIT 1").fetchone()[0]
    window.selection.select_item("events", late, "timeline")
    view = nav.view("events")
    assert events.row_id(view.currentIndex().row()) == late

    # typing in a filter narrows the list and its tab count
    page = nav.pages["actors"]
    nav.show_table("actors")
    name = nav.model("actors").row_id(0)
    first_name = window.case.conn.execute("SELECT name FROM actors WHERE id = ?", [name]).fetchone()[0]
    qtbot.keyClicks(page.filter_edit, first_name)
    qtbot.waitUntil(lambda: "of 60" in nav.tabs.tabText(0))
    assert 1 <= nav.model("actors").rowCount() < 60


def test_worker_drops_stale_results(qtbot, demo_file):
    import time

    from caseboard.db.case import open_case
    from caseboard.gui.workers import Worker, wait_for_all

    case = open_case(demo_file, readonly=True)
    worker = Worker()
    got: list[object] = []
    worker.finished.connect(got.append)

    def slow(conn, label):
        time.sleep(0.3)
        return label, conn.execute("SELECT count(*) FROM statements").fetchone()[0]

    worker.submit(case, slow, "old")
    worker.submit(case, lambda conn: ("new", conn.execute("SELECT count(*) FROM actors").fetchone()[0]))
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    wait_for_all()
    qtbot.wait(50)
    assert got == [("new", 18)]
    case.close()


def test_first_start_fits_the_screen_and_restored_geometry_is_clamped(make, demo_file):
    w = make(demo_file)
    area = w.screen().availableGeometry()
    w.fit_to_screen()
    assert area.contains(w.frameGeometry())
    # a geometry saved on a larger screen comes back inside this one
    w.resize(area.width() + 900, area.height() + 700)
    w.move(area.right() - 50, area.bottom() - 50)
    w.clamp_to_screen()
    assert area.contains(w.frameGeometry())


def test_all_five_panels_are_usable_on_a_1366_by_768_screen(qtbot, window):
    window.resize(1366, 768 - 40)  # a 768-pixel screen less a panel bar
    window.reset_layout()
    window.resize(1366, 768 - 40)
    window.apply_default_sizes()
    qtbot.wait(100)
    assert window.minimumSizeHint().width() <= 1366 and window.minimumSizeHint().height() <= 728
    for key in ("navigator", "timeline", "map", "quotes", "inspector"):
        dock = window.docks[key]
        assert dock.isVisible(), key
        r = dock.geometry()
        assert window.rect().contains(r), (key, r)
        assert r.width() >= 180 and r.height() >= 150, (key, r)


def test_a_combined_selection_is_named_in_each_panel_header_with_a_clear_for_each_part(qtbot, window):
    window.selection.select_item("places", demo_id("dunay"))
    window.selection.select_range(
        day_number(datetime.date(2023, 9, 10)), day_number(datetime.date(2023, 9, 14)), "timeline"
    )
    quotes = window.panels["quotes"]
    assert quotes.chips.text() == "Dunay \u00b7 10\u201314 Sept 2023"
    assert quotes.chips.isVisible() and "of 7 statements" in quotes.status.text()
    assert window.panels["timeline"].chips.text() == quotes.chips.text()
    quotes.chips.range_button.click()  # clears the range only
    assert window.selection.selection.time_range is None and window.selection.selection.row_id == demo_id(
        "dunay"
    )
    assert quotes.chips.text() == "Dunay"
    quotes.chips.item_button.click()
    assert window.selection.selection.empty and not quotes.chips.isVisible()


def test_an_empty_case_says_what_to_do_in_each_view(qtbot, make, tmp_path):
    from caseboard.db.case import create_case

    create_case(tmp_path / "empty.case", title="Empty").close()
    w = make(tmp_path / "empty.case")
    timeline, places, quotes = w.panels["timeline"], w.panels["map"], w.panels["quotes"]
    qtbot.waitUntil(lambda: timeline.data is not None and places.data is not None, timeout=10000)
    assert timeline.plot.hint.isVisible() and "Create an event" in timeline.plot.hint.textItem.toPlainText()
    assert places.plot.hint.isVisible() and "Double-click the map" in places.plot.hint.textItem.toPlainText()
    assert "import a report" in quotes.status.text()
