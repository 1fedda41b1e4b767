"""File > Merge Changes…: the review shows each conflict with before, theirs and ours; the merge is one undo step."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from caseboard.db import changes, crud
from caseboard.db.case import open_case
from caseboard.gui import sharing


def _colleague_changes(demo_file: Path, tmp_path: Path) -> tuple[str, str, Path]:
    """Start shared work on the demo file, let a colleague edit a copy; return (actor id, event id, changes)."""
    with open_case(demo_file) as case:
        changes.start_shared_work(case)
    theirs = tmp_path / "bob" / "demo.case"
    theirs.parent.mkdir()
    shutil.copyfile(demo_file, theirs)
    shutil.copyfile(changes.baseline_path(demo_file), changes.baseline_path(theirs))
    with open_case(theirs) as case:
        actor = case.conn.execute("SELECT id FROM actors WHERE name = 'Russia'").fetchone()[0]
        event = case.conn.execute("SELECT id FROM events ORDER BY date_start LIMIT 1").fetchone()[0]
        crud.update(case, "actors", actor, {"description": "Receiving state (Bob's reading)"})
        crud.delete(case, "events", event, cascade=True)
        crud.add(case, "places", {"name": "Vostochny Quillport", "kind": "port", "lat": 42.7, "lon": 133.1})
        out = changes.write_changes(changes.make_changes(case, author="bob"), tmp_path / "bob.changes")
    return actor, event, out


def test_review_then_merge_then_undo(make, demo_file: Path, tmp_path: Path) -> None:
    actor, event, incoming = _colleague_changes(demo_file, tmp_path)
    window = make(demo_file)
    case = window.case
    window.editor.run("Edit actor", lambda c: crud.update(c, "actors", actor, {"description": "Mine"}))
    window.editor.run("Edit event", lambda c: crud.update(c, "events", event, {"title": "Staging at Najin"}))
    window.undo_stack.clear()
    before = crud.count(case, "places")

    dialog = sharing.review_changes(window, incoming)
    assert dialog is not None
    table = dialog.table
    shown = [[table.item(r, c).text() for c in range(6)] for r in range(table.rowCount())]
    assert any(
        row[0] == 'actor "Russia"'
        and row[2] == "description"
        and row[3] == "(empty)"
        and "Bob's reading" in row[4]
        and row[5] == "“Mine”"
        for row in shown
    )
    assert any(row[4] == "(deleted)" and "Staging at Najin" in row[5] for row in shown)
    merge = dialog.apply_button
    assert not merge.isEnabled()  # nothing can be merged until every conflict has a choice
    assert "2 conflicts still need a choice" in dialog.remaining.text()
    dialog.all_ours.click()
    dialog.combos[0].setCurrentIndex(dialog.combos[0].findData("theirs"))
    assert merge.isEnabled()
    assert dialog.buttons.buttonRole(merge) == QDialogButtonBox.ButtonRole.AcceptRole

    written = sharing.merge_reviewed(window, dialog)
    assert written > 0
    assert crud.count(case, "places") == before + 1
    chosen = {c.row_id: c.choice for c in dialog.plan.conflicts}
    assert crud.get(case, "actors", actor).description == (
        "Receiving state (Bob's reading)" if chosen[actor] == "theirs" else "Mine"
    )
    assert crud.get(case, "events", event).title == "Staging at Najin"  # kept ours
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == dialog.plan.label()
    assert "bob" in window.undo_stack.undoText()

    window.undo_stack.undo()
    assert crud.count(case, "places") == before
    assert crud.get(case, "actors", actor).description == "Mine"
    # The baseline forgot Bob's work too: merging the same file again finds the same conflicts.
    again = changes.plan(case, changes.read_changes(incoming))
    assert len(again.conflicts) == 2 and len(again.steps) == len(dialog.plan.steps)


def test_share_changes_writes_a_file(make, demo_file: Path, tmp_path: Path) -> None:
    with open_case(demo_file) as case:
        changes.start_shared_work(case)
    window = make(demo_file)
    assert window.act_share.isEnabled() and window.act_merge.isEnabled()
    window.editor.run(
        "Add", lambda c: crud.add(c, "actors", {"name": "Harbour Pilot Ostrander", "kind": "person"})
    )
    out = sharing.share_changes(window, tmp_path / "mine.changes")
    assert out is not None
    assert changes.read_changes(out).header.counts == {"actors": {"insert": 1}}


def test_merge_case_file_asks_about_matches_and_undoes_whole(make, demo_file: Path, tmp_path: Path) -> None:
    from caseboard.db.case import create_case

    other = tmp_path / "theirs.case"
    with create_case(other, title="Bob's own case") as theirs:
        crud.add(theirs, "actors", {"name": "Angara ro-ro", "kind": "vessel", "imo": "9074729"})
        crud.add(theirs, "places", {"name": "Rason Special Quay", "kind": "port"})
    window = make(demo_file)
    case = window.case
    angara = case.conn.execute("SELECT id FROM actors WHERE name LIKE '%Angara%'").fetchone()[0]
    window.editor.run("IMO", lambda c: crud.update(c, "actors", angara, {"imo": "9074729"}))
    window.undo_stack.clear()
    actors, places = crud.count(case, "actors"), crud.count(case, "places")

    dialog = sharing.review_case_file(window, other)
    assert dialog is not None
    shown = [[dialog.table.item(0, c).text() for c in range(4)]]
    assert shown == [["actor", "Angara ro-ro", "M/V Angara", "same IMO number"]]
    assert not dialog.apply_button.isEnabled()
    dialog.all_same.click()
    assert dialog.apply_button.isEnabled()
    assert sharing.merge_case_reviewed(window, dialog) > 0
    assert crud.count(case, "actors") == actors and crud.count(case, "places") == places + 1
    assert "Angara ro-ro" in crud.get(case, "actors", angara).aliases
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert crud.count(case, "places") == places
    assert "Angara ro-ro" not in crud.get(case, "actors", angara).aliases


def test_first_share_starts_shared_work_after_asking(
    make, demo_file: Path, tmp_path: Path, monkeypatch
) -> None:
    window = make(demo_file)
    asked: list[str] = []
    monkeypatch.setattr(sharing, "_ask", lambda _w, title, text: asked.append(text) or True)
    assert sharing.share_changes(window, tmp_path / "x.changes") is None
    assert changes.baseline_path(demo_file).exists() and not (tmp_path / "x.changes").exists()
    assert str(changes.baseline_path(demo_file)) in asked[0]
    assert sharing.share_changes(window, tmp_path / "x.changes") == tmp_path / "x.changes"
    assert changes.read_changes(tmp_path / "x.changes").header.total == 0
