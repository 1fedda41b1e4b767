"""Undo/redo round trips for every kind of edit: the state after undo equals the state before, ids included."""

from __future__ import annotations

import pytest

from caseboard.db import actors, citations, events, places, shipments, sources, statements
from caseboard.db.demo import demo_id
from caseboard.db.errors import ValidationError
from caseboard.db.rows import snapshot


@pytest.fixture
def editor(qapp, demo_case):
    from caseboard.gui.commands import Editor

    ed = Editor()
    ed.set_case(demo_case)
    return ed


EDITS = {
    "add actor": lambda c: actors.add_actor(c, name="Sea Swallow", kind="vessel", imo="9074729"),
    "rename actor": lambda c: actors.update_actor(c, demo_id("milley"), name="Gen. Mark A. Milley"),
    "delete actor with everything": lambda c: actors.delete_actor(c, demo_id("kirby"), cascade=True),
    "add place": lambda c: places.add_place(c, name="Vladivostok", lat=43.1, lon=131.9, kind="port"),
    "move place": lambda c: places.move_place(c, demo_id("dunay"), 42.9, 132.4),
    "delete place with links": lambda c: places.delete_place(c, demo_id("dunay"), cascade=True),
    "add shipment": lambda c: shipments.add_shipment(c, cargo="Shells", quantity=10),
    "delete shipment": lambda c: shipments.delete_shipment(c, demo_id("angara_shipment"), cascade=True),
    "add leg": lambda c: shipments.add_leg(c, shipment_id=demo_id("angara_shipment"), mode="road"),
    "reorder legs": lambda c: shipments.reorder_legs(
        c, demo_id("angara_shipment"), [demo_id("leg_rail"), demo_id("leg_sea")]
    ),
    "add event": lambda c: events.add_event(
        c, title="Port call", date="Sept 2023", actors=[(demo_id("angara"), "")]
    ),
    "edit event date": lambda c: events.update_event(c, demo_id("summit"), date="c. 2023-09-13"),
    "delete event": lambda c: events.delete_event(c, demo_id("staging")),
    "add statement": lambda c: statements.add_statement(c, text="New words", speaker_id=demo_id("kirby")),
    "delete statement": lambda c: statements.delete_statement(c, demo_id("milley_decisive")),
    "add source": lambda c: sources.add_source(c, title="Panel report", reliability="A"),
    "delete source with citations": lambda c: sources.delete_source(c, demo_id("S3"), cascade=True),
    "cite": lambda c: citations.cite(c, "places", demo_id("najin"), demo_id("S1"), 3),
    "regrade citation": lambda c: citations.update_citation(c, demo_id("cite:najin:S2"), credibility=1),
}


@pytest.mark.parametrize("label", list(EDITS))
def test_undo_redo_round_trip(editor, demo_case, label) -> None:
    before = snapshot(demo_case)
    changes = editor.run(label, EDITS[label])
    after = snapshot(demo_case)
    assert changes and after != before
    assert editor.undo_stack.undoText() == label
    editor.undo_stack.undo()
    assert snapshot(demo_case) == before
    editor.undo_stack.redo()
    assert snapshot(demo_case) == after
    editor.undo_stack.undo()
    assert snapshot(demo_case) == before


def test_failed_edit_pushes_nothing(editor, demo_case) -> None:
    before = snapshot(demo_case)
    with pytest.raises(ValidationError):
        editor.run("bad", lambda c: places.add_place(c, name="X", lat=95, lon=0))
    assert editor.undo_stack.count() == 0 and snapshot(demo_case) == before


def test_undo_is_logged_in_history(editor, demo_case) -> None:
    editor.run("Rename", lambda c: actors.update_actor(c, demo_id("iran"), name="Islamic Republic of Iran"))
    editor.undo_stack.undo()
    labels = [
        r[0]
        for r in demo_case.conn.execute(
            "SELECT label FROM history WHERE row_id = ? ORDER BY seq", [demo_id("iran")]
        )
    ]
    assert labels[-2:] == ["Rename", "Undo: Rename"]


def test_many_edits_unlimited_undo(editor, demo_case) -> None:
    before = snapshot(demo_case)
    for i in range(150):
        editor.run(f"Add {i}", lambda c, i=i: actors.add_actor(c, name=f"Actor {i}", kind="other"))
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert snapshot(demo_case) == before
