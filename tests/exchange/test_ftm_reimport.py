"""Importing an FtM file into a case that already holds some of its ids: ours update, foreign ones are added apart."""

from __future__ import annotations

import json
from pathlib import Path

from caseboard.db import rows
from caseboard.db.actors import update_actor
from caseboard.db.demo import demo_id
from caseboard.db.exchange.ftm_export import export_ftm
from caseboard.db.exchange.ftm_import import apply_ftm, read_ftm
from caseboard.db.schema import FTS


def _fts_intact(case) -> None:
    for fts, _table, _cols in FTS:
        case.conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")


def test_our_own_entity_edited_since_updates_the_row_and_undo_restores(demo_case, tmp_path: Path) -> None:
    out = tmp_path / "demo.ftm.json"
    export_ftm(demo_case, out)
    angara = demo_id("angara")
    exported = demo_case.conn.execute("SELECT description, imo FROM actors WHERE id = ?", [angara]).fetchone()
    update_actor(demo_case, angara, description="Edited after the export")
    actors_before = demo_case.conn.execute("SELECT count(*) FROM actors").fetchone()[0]

    plan = read_ftm(out, demo_case)
    assert all(o.incoming_id != angara for o in plan.offers)  # not offered for merging with itself
    with demo_case.transaction(label=f"Import {out.name}"):
        changes = apply_ftm(demo_case, plan)

    assert (
        demo_case.conn.execute("SELECT description, imo FROM actors WHERE id = ?", [angara]).fetchone()
        == exported
    )
    assert demo_case.conn.execute("SELECT count(*) FROM actors").fetchone()[0] == actors_before  # no copy
    assert plan.outcome.get("updated") == 1 and plan.outcome.get("renamed", 0) == 0
    assert "1 updated" in plan.result_text()
    history = rows.history_of(demo_case, "actors", angara)
    assert history[0]["action"] == "update" and history[0]["label"] == f"Import {out.name}"
    assert history[0]["new"]["description"] == exported[0]
    _fts_intact(demo_case)

    rows.revert(demo_case, changes)
    assert demo_case.conn.execute("SELECT description FROM actors WHERE id = ?", [angara]).fetchone() == (
        "Edited after the export",
    )


def test_a_foreign_entity_with_a_taken_id_is_added_apart_and_said_so(demo_case, tmp_path: Path) -> None:
    angara = demo_id("angara")
    path = tmp_path / "other.json"
    path.write_text(
        json.dumps({"id": angara, "schema": "Person", "properties": {"name": ["Somebody Else"]}}) + "\n",
        encoding="utf-8",
    )
    plan = read_ftm(path, demo_case)
    apply_ftm(demo_case, plan, merge=set())
    assert demo_case.conn.execute("SELECT name FROM actors WHERE id = ?", [angara]).fetchone() == (
        "M/V Angara",
    )
    (new_id,) = demo_case.conn.execute("SELECT id FROM actors WHERE name = 'Somebody Else'").fetchone()
    assert new_id != angara
    assert plan.outcome["renamed"] == 1 and "added under new ids" in plan.result_text()
    _fts_intact(demo_case)


def test_the_same_file_twice_adds_nothing_the_second_time(demo_case, tmp_path: Path) -> None:
    out = tmp_path / "demo.ftm.json"
    export_ftm(demo_case, out)
    before = rows.snapshot(demo_case)
    plan = read_ftm(out, demo_case)
    assert apply_ftm(demo_case, plan) == []
    assert rows.snapshot(demo_case) == before
    assert plan.outcome.get("added") == 0 and plan.outcome["unchanged"] > 0


def test_texts_that_look_like_dates_come_back_as_text(demo_case, tmp_path: Path) -> None:
    from caseboard.db.actors import add_actor
    from caseboard.db.case import create_case
    from caseboard.db.events import add_event

    add_actor(demo_case, name="1999", kind="organization", description="2023-09")
    add_event(demo_case, title="2023-09-08", date="2023-09-08")
    out = tmp_path / "demo.ftm.json"
    export_ftm(demo_case, out)
    new = create_case(tmp_path / "new.case", title="New")
    apply_ftm(new, read_ftm(out, new))
    assert new.conn.execute("SELECT description FROM actors WHERE name = '1999'").fetchone() == ("2023-09",)
    assert new.conn.execute("SELECT title, date FROM events WHERE title = '2023-09-08'").fetchone() == (
        "2023-09-08",
        "2023-09-08",
    )
    new.close()


def test_undo_and_redo_of_an_import_restore_rows_and_search_index(demo_case, tmp_path: Path) -> None:
    path = tmp_path / "people.json"
    ents = [{"id": f"p{i}", "schema": "Person", "properties": {"name": [f"Person {i}"]}} for i in range(300)]
    path.write_text("\n".join(json.dumps(e) for e in ents), encoding="utf-8")
    before = rows.snapshot(demo_case)
    changes = apply_ftm(demo_case, read_ftm(path, demo_case))
    after = rows.snapshot(demo_case)
    undone = rows.revert(demo_case, changes)
    assert rows.snapshot(demo_case) == before
    _fts_intact(demo_case)
    assert demo_case.conn.execute(
        "SELECT count(*) FROM actors_fts WHERE actors_fts MATCH 'Person'"
    ).fetchone() == (0,)
    rows.reapply(demo_case, changes)
    assert rows.snapshot(demo_case) == after and len(undone) == len(changes)
    _fts_intact(demo_case)
    assert demo_case.conn.execute(
        "SELECT count(*) FROM actors_fts WHERE actors_fts MATCH 'Person'"
    ).fetchone() == (300,)
