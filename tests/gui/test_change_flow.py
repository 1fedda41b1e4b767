"""An edit updates only what it changed: no whole-case load, no unrelated list reset, counts moved by the edit."""

from __future__ import annotations

import pytest

from caseboard.db import actors, events, places
from caseboard.db.demo import demo_id


@pytest.fixture
def loaded(window, qtbot):
    """The demo window once the timeline and map have drawn their first load."""
    for key in ("timeline", "map"):
        qtbot.waitUntil(lambda key=key: getattr(window.panels[key], "data", None) is not None, timeout=10000)
    qtbot.waitUntil(lambda: "18 actors" in window.status_counts.text(), timeout=5000)
    return window


def _settle(window, qtbot) -> None:
    """Wait for the panels' patches (made on workers) and the selection's lookup to be drawn."""
    panels = [p for p in window.panels.values() if hasattr(p, "pending")]
    qtbot.waitUntil(
        lambda: not window.selection.pending and not any(p.pending for p in panels), timeout=10000
    )


def _resets(window) -> dict[str, list[int]]:
    """Count model resets per navigator list from now on."""
    counts: dict[str, list[int]] = {}
    nav = window.panels["navigator"]
    for table, page in nav.pages.items():
        counts[table] = [0]
        page.model.modelReset.connect(lambda c=counts[table]: c.__setitem__(0, c[0] + 1))
    return counts


def _loads(window) -> tuple[int, int]:
    return window.panels["timeline"].whole_loads, window.panels["map"].whole_loads


def test_a_description_edit_reloads_nothing_whole(loaded, qtbot) -> None:
    window = loaded
    resets = _resets(window)
    before = _loads(window)
    window.selection.select_item("places", demo_id("najin"))
    rendered = []
    inspector = window.panels["inspector"]
    inspector.browser.textChanged.connect(lambda: rendered.append(1))
    window.editor.run(
        "Edit actor", lambda c: actors.update_actor(c, demo_id("milley"), description="Retired.")
    )
    _settle(window, qtbot)
    assert _loads(window) == before
    assert all(n == [0] for n in resets.values()), resets  # updated in place: not even the actors list resets
    assert rendered == []  # the inspector shows Najin, which the edit did not touch
    nav = window.panels["navigator"]
    row = nav.model("actors").row_of(demo_id("milley"))
    assert row is not None
    assert "18 actors" in window.status_counts.text()


def test_the_inspector_redraws_when_its_item_changes(loaded, qtbot) -> None:
    window = loaded
    window.selection.select_item("actors", demo_id("milley"))
    window.editor.run(
        "Edit actor", lambda c: actors.update_actor(c, demo_id("milley"), description="Retired.")
    )
    _settle(window, qtbot)
    assert "Retired." in window.panels["inspector"].text()
    window.undo_stack.undo()
    _settle(window, qtbot)
    assert "Undo: Edit actor" in window.panels["inspector"].text()  # its history, read again


def test_moving_a_place_patches_the_map_without_a_load(loaded, qtbot) -> None:
    window = loaded
    before = _loads(window)
    resets = _resets(window)
    window.editor.run("Move place", lambda c: places.move_place(c, demo_id("dunay"), 42.5, 132.0))
    _settle(window, qtbot)
    m = window.panels["map"].data
    i = m.place_index.get(demo_id("dunay"))
    assert (float(m.lat[i]), float(m.lon[i])) == (42.5, 132.0)
    assert _loads(window) == before
    assert resets["events"] == [0] and resets["actors"] == [0]
    window.undo_stack.undo()
    _settle(window, qtbot)
    m = window.panels["map"].data
    assert float(window.panels["map"].data.lat[m.place_index.get(demo_id("dunay"))]) != 42.5
    assert _loads(window) == before


def test_adding_and_undoing_an_event_moves_counts_and_timeline(loaded, qtbot) -> None:
    window = loaded
    before = _loads(window)
    n_events = len(window.panels["timeline"].data.events)
    text = window.status_counts.text()
    changes = window.editor.run(
        "Add event", lambda c: events.add_event(c, title="Port call", date="2023-09-20")
    )
    _settle(window, qtbot)
    assert len(window.panels["timeline"].data.events) == n_events + 1
    assert _loads(window) == before
    assert window.status_counts.text() != text
    nav = window.panels["navigator"]
    assert nav.model("events").row_of(changes[0].row_id) is not None
    window.undo_stack.undo()
    _settle(window, qtbot)
    assert len(window.panels["timeline"].data.events) == n_events
    assert window.status_counts.text() == text
    assert _loads(window) == before


def test_deleting_the_selected_item_clears_it(loaded, qtbot) -> None:
    window = loaded
    window.selection.select_item("events", demo_id("staging"))
    window.editor.run("Delete event", lambda c: events.delete_event(c, demo_id("staging")))
    _settle(window, qtbot)
    assert window.selection.selection.row_id is None


def test_every_edit_emits_one_change_set_with_its_initiator(loaded, qtbot) -> None:
    window = loaded
    seen = []
    window.editor.changed.connect(seen.append)
    window.editor.run(
        "Edit actor", lambda c: actors.update_actor(c, demo_id("milley"), description="x"), initiator="form"
    )
    _settle(window, qtbot)
    window.undo_stack.undo()
    _settle(window, qtbot)
    window.undo_stack.redo()
    _settle(window, qtbot)
    assert [(cs.label, cs.initiator) for cs in seen] == [
        ("Edit actor", "form"),
        ("Undo: Edit actor", "undo"),
        ("Redo: Edit actor", "redo"),
    ]
    assert all(cs.updated("actors") == {demo_id("milley")} for cs in seen)


def test_renaming_a_speaker_updates_the_quotes_in_place(loaded, qtbot) -> None:
    window = loaded
    quotes = window.panels["quotes"]
    resets = [0]
    quotes.model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    window.editor.run(
        "Rename actor", lambda c: actors.update_actor(c, demo_id("kirby"), name="Adm. John Kirby")
    )
    _settle(window, qtbot)
    shown = [quotes.model.row(i).plain() for i in range(quotes.model.rowCount())]
    assert any("Adm. John Kirby" in line for line in shown)
    assert resets == [0]


def test_a_renamed_actor_moves_to_its_place_without_a_reset(loaded, qtbot) -> None:
    window = loaded
    model = window.panels["navigator"].model("actors")
    resets = [0]
    model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    window.editor.run(
        "Rename actor", lambda c: actors.update_actor(c, demo_id("milley"), name="Aaron Milley")
    )
    _settle(window, qtbot)
    shown = [model.row_id(i) for i in range(model.rowCount())]
    assert shown[0] == demo_id("milley") and resets == [0]
    names = [model.data(model.index(i, 0)) for i in range(model.rowCount())]
    model.reload()  # what a fresh read of the list gives
    assert names == [model.data(model.index(i, 0)) for i in range(model.rowCount())]


def _drawn_pin(window, place_id: str) -> tuple[float, float]:
    """Where the map's main view draws a place's pin (lon, lat), read from its scatter items."""
    plot = window.panels["map"].plot
    i = plot.data.place_index.get(place_id)
    for item in plot.main.pins:
        x, y = item.getData()
        hit = [k for k, p in enumerate(item.data["data"]) if p == i]
        if hit:
            return float(x[hit[0]]), float(y[hit[0]])
    raise AssertionError("no pin drawn")


def test_a_moved_selected_place_is_drawn_where_it_went_and_back(loaded, qtbot) -> None:
    window = loaded
    window.selection.select_item("places", demo_id("dunay"))
    _settle(window, qtbot)
    start = _drawn_pin(window, demo_id("dunay"))
    window.editor.run("Move place", lambda c: places.move_place(c, demo_id("dunay"), 42.5, 132.0))
    _settle(window, qtbot)
    assert _drawn_pin(window, demo_id("dunay")) == (132.0, 42.5)
    window.undo_stack.undo()
    _settle(window, qtbot)
    assert _drawn_pin(window, demo_id("dunay")) == start


def test_a_hidden_inspector_renders_an_edit_when_shown_again(loaded, qtbot) -> None:
    window = loaded
    window.selection.select_item("actors", demo_id("milley"))
    _settle(window, qtbot)
    inspector = window.panels["inspector"]
    window.docks["inspector"].hide()
    rendered = []
    inspector.browser.textChanged.connect(lambda: rendered.append(1))
    for text in ("Retired.", "Retired twice."):
        window.editor.run(
            "Edit actor", lambda c, t=text: actors.update_actor(c, demo_id("milley"), description=t)
        )
    _settle(window, qtbot)
    qtbot.wait(50)
    assert rendered == []  # nothing drawn while nobody can see it
    window.docks["inspector"].show()
    qtbot.waitUntil(lambda: "Retired twice." in inspector.browser.toPlainText(), timeout=5000)
    assert len(rendered) == 1  # two edits, one page


def test_a_renamed_selected_actor_stays_selected_where_it_moved(loaded, qtbot) -> None:
    window = loaded
    nav = window.panels["navigator"]
    nav.tabs.setCurrentWidget(nav.pages["actors"])
    window.selection.select_item("actors", demo_id("milley"))
    _settle(window, qtbot)
    page, model = nav.pages["actors"], nav.model("actors")
    for name, moved in (("Aaron Milley", "first"), ("Zed Milley", "last")):
        window.editor.run("Rename actor", lambda c, n=name: actors.update_actor(c, demo_id("milley"), name=n))
        _settle(window, qtbot)
        rows = [model.row_id(i) for i in range(model.rowCount())]
        want = 0 if moved == "first" else len(rows) - 1
        assert rows[want] == demo_id("milley")
        assert page.view.selectionModel().currentIndex().row() == want
        assert [i.row() for i in page.view.selectionModel().selectedRows()] == [want]
        names = [model.data(model.index(i, 0)) for i in range(model.rowCount())]
        assert names[want] == name


def test_the_map_paints_its_legs_again_only_when_an_edit_moved_them(loaded, qtbot) -> None:
    window = loaded
    panel = window.panels["map"]
    for _ in range(2):  # let the window's layout settle (a view that changes size paints again)
        panel.plot.grab()
        qtbot.wait(300)
    panel.plot.grab()
    layer = panel.main.layer
    before = layer.renders
    window.editor.run("Rename place", lambda c: places.update_place(c, demo_id("dunay"), name="Dunay port"))
    _settle(window, qtbot)
    panel.plot.grab()
    assert "Dunay port" in panel.data.names.tolist()
    assert layer.renders == before  # same lines: the cached legs and basemap are drawn as they were
    window.editor.run("Move place", lambda c: places.move_place(c, demo_id("dunay"), 42.5, 132.0))
    _settle(window, qtbot)
    panel.plot.grab()
    assert layer.renders == before + 1  # the legs, not the basemap
