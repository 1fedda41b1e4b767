"""Events: involved actors and dates, and a failed add that leaves nothing behind."""

from __future__ import annotations

import pytest

from caseboard.db import actors, events
from caseboard.db.errors import ValidationError


def test_event_with_actors_and_dates(empty_case) -> None:
    kim = actors.add_actor(empty_case, name="Kim", kind="person").row_id
    changes = events.add_event(
        empty_case, title="Summit", date="c. 2023-09-13", actors=[(kim, "participant")]
    )
    ev = events.get_event(empty_case, changes[0].row_id)
    assert ev.date.approximate and ev.date.display() == "about 13 Sept 2023"
    assert [(a.name, role) for a, role in events.actors_of(empty_case, ev.id)] == [("Kim", "participant")]
    with pytest.raises(ValidationError, match="date"):
        events.add_event(empty_case, title="Bad", date="Sept 31 2023")


def test_failed_edit_leaves_nothing_behind(empty_case) -> None:
    kim = actors.add_actor(empty_case, name="Kim", kind="person").row_id
    with pytest.raises(ValidationError):
        events.add_event(empty_case, title="Summit", actors=[(kim, "x"), ("missing-actor", "y")])
    assert empty_case.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert (
        empty_case.conn.execute("SELECT count(*) FROM history WHERE table_name='events'").fetchone()[0] == 0
    )
