"""Generic row writes: guarded deletes, cascades undone exactly, and the history log."""

from __future__ import annotations

import pytest

from caseboard.db import actors, citations, rows, shipments, sources, statements
from caseboard.db.errors import ReferencedError


def test_delete_refused_then_cascaded_then_undone(empty_case, shipment_with_legs) -> None:
    sh, l1, l2, ship, _ = shipment_with_legs
    src = sources.add_source(empty_case, title="S").row_id
    speaker = ship
    statements.add_statement(empty_case, text="We sail.", speaker_id=speaker, source_id=src)
    citations.cite(empty_case, "actors", ship, src, 3)
    with pytest.raises(ReferencedError) as err:
        actors.delete_actor(empty_case, ship)
    assert "1 statement by this speaker" in str(err.value) and "1 leg carried by this actor" in str(err.value)
    snapshot = rows.snapshot(empty_case)
    changes = actors.delete_actor(empty_case, ship, cascade=True)
    assert actors.find_actor(empty_case, "Ship") is None
    assert shipments.get_leg(empty_case, l1).carrier_id is None
    assert empty_case.conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 0
    rows.revert(empty_case, changes)
    assert rows.snapshot(empty_case) == snapshot  # ids and every field restored


def test_history_records_old_and_new(empty_case, shipment_with_legs) -> None:
    a = actors.add_actor(empty_case, name="A", kind="person").row_id
    actors.update_actor(empty_case, a, name="B")
    hist = rows.history_of(empty_case, "actors", a)
    assert [h["action"] for h in hist] == ["update", "insert"]
    assert hist[0]["old"]["name"] == "A" and hist[0]["new"]["name"] == "B"
