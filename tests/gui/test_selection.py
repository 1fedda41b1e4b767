"""The selection model alone: lookups on a worker, the newest selection wins, edits keep it honest."""

from __future__ import annotations

import pytest

from caseboard.db import events
from caseboard.db.changeset import ChangeSet
from caseboard.db.demo import demo_id
from caseboard.gui.selection import EMPTY, Selection

pytestmark = pytest.mark.async_selection


def _record(selection) -> list[tuple[Selection, object]]:
    seen: list[tuple[Selection, object]] = []
    selection.changed.connect(lambda sel, origin: seen.append((sel, origin)))
    return seen


def test_related_items_arrive_after_the_lookup(selection) -> None:
    seen = _record(selection)
    assert selection.select_item("actors", demo_id("milley"), origin="navigator")
    assert selection.selection.row_id == demo_id("milley")
    assert selection.pending and seen == []  # read on a worker: the UI thread is free meanwhile
    assert selection.wait()
    assert seen == [(Selection("actors", demo_id("milley")), "navigator")]
    assert demo_id("milley_decisive") in selection.related.statements


def test_a_quick_second_selection_replaces_the_first(selection) -> None:
    seen = _record(selection)
    selection.select_item("actors", demo_id("milley"))
    selection.select_item("places", demo_id("dunay"))
    selection.wait()
    assert [s.row_id for s, _ in seen] == [demo_id("dunay")]
    assert demo_id("dunay") in selection.related.places
    assert not selection.related.statements  # nothing of Milley's lookup leaked in


def test_the_same_selection_twice_emits_nothing(selection) -> None:
    selection.select_item("actors", demo_id("kirby"))
    selection.wait()
    seen = _record(selection)
    assert not selection.select_item("actors", demo_id("kirby"))
    assert seen == []


def test_clearing_is_announced_at_once(selection) -> None:
    selection.select_item("actors", demo_id("kirby"))
    selection.wait()
    seen = _record(selection)
    selection.clear("escape")
    assert seen == [(EMPTY, "escape")] and selection.related is None


def test_a_range_and_an_item_together_cover_only_what_both_do(selection) -> None:
    selection.select_item("actors", demo_id("milley"))
    selection.wait()
    everything = set(selection.related.statements)
    selection.select_range(0, 1)  # 1970: nothing of his was said then
    selection.wait()
    assert selection.selection.time_range == (0, 1) and selection.selection.row_id == demo_id("milley")
    assert selection.related.statements == set() and everything


def test_deleting_the_selected_item_drops_it(selection, case) -> None:
    selection.select_item("events", demo_id("staging"))
    selection.wait()
    done = events.delete_event(case, demo_id("staging"))
    selection.apply_changes(ChangeSet.of(done))
    selection.wait()
    assert selection.selection == EMPTY and selection.related is None


def test_a_text_edit_does_not_look_again(selection, case) -> None:
    from caseboard.db import actors

    selection.select_item("actors", demo_id("milley"))
    selection.wait()
    seen = _record(selection)
    selection.apply_changes(ChangeSet.of([actors.update_actor(case, demo_id("milley"), description="x")]))
    assert not selection.pending and seen == []
