"""Two analysts work on copies of the demo case and exchange their work as changes files."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseboard.db import changes, crud, relationships, rows, schema, sources
from caseboard.db.case import Case, open_case
from caseboard.db.demo import write_demo
from caseboard.db.errors import CaseError
from caseboard.db.search import search_table


def _ids(case: Case, sql: str) -> list[str]:
    return [r[0] for r in case.conn.execute(sql)]


def _ids_p(case: Case, sql: str, *params: str) -> list[str]:
    return [r[0] for r in case.conn.execute(sql, params)]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Case, Case]:
    """Alice starts shared work on the demo case; Bob gets her copy and its baseline."""
    a_path, b_path = tmp_path / "alice" / "case.case", tmp_path / "bob" / "case.case"
    a_path.parent.mkdir()
    b_path.parent.mkdir()
    write_demo(a_path).close()
    with open_case(a_path) as a:
        changes.start_shared_work(a)
    shutil.copyfile(a_path, b_path)
    shutil.copyfile(changes.baseline_path(a_path), changes.baseline_path(b_path))
    a, b = open_case(a_path), open_case(b_path)
    yield a, b
    a.close()
    b.close()


def _state(case: Case) -> dict:
    return rows.snapshot(case)


def test_exchange_both_ways(pair: tuple[Case, Case], tmp_path: Path) -> None:
    a, b = pair
    kirby = _ids(a, "SELECT id FROM actors WHERE name LIKE '%Kirby%'")[0]
    event = _ids(a, "SELECT id FROM events ORDER BY date_start LIMIT 1")[0]
    place = _ids(a, "SELECT id FROM places WHERE name = 'Najin'")[0]
    source = _ids(a, "SELECT id FROM sources ORDER BY rowid LIMIT 1")[0]
    old_desc = crud.get(a, "actors", kirby).description
    involved = a.conn.execute("SELECT count(*) FROM event_actors WHERE event_id = ?", [event]).fetchone()[0]

    # Alice: a conflicting field, an edit of an event Bob deletes, and edits of her own.
    crud.update(a, "actors", kirby, {"description": "Spokesman; briefed on 13 Oct (Alice)"})
    crud.update(a, "events", event, {"title": "Containers staged at the quay (Alice)"})
    new_stmt = crud.add(a, "statements", {"text": "Quayside cranes loaded marigold crates overnight"}).row_id
    crud.update(a, "places", place, {"notes": "Rajin-Sonbong zone"})
    original = b"%PDF-1.4 harbour log scan"
    sources.attach_original(a, source, original, "harbour-log.pdf")
    # Bob: the same field, the delete, and edits of his own.
    crud.update(b, "actors", kirby, {"description": "NSC coordinator (Bob)"})
    crud.delete(b, "events", event, cascade=True)
    new_actor = crud.add(
        b, "actors", {"name": "Petrovsky Freight Quillsworth", "kind": "organization"}
    ).row_id
    crud.update(b, "sources", source, {"reliability": "A"})
    putin = _ids(b, "SELECT id FROM actors WHERE name LIKE '%Putin%'")[0]
    kim = _ids(b, "SELECT id FROM actors WHERE name LIKE 'Kim%'")[0]
    rel = relationships.add_relationship(
        b, from_actor_id=putin, to_actor_id=kim, kind="other", label="summit counterpart at Vostochny"
    )[0].row_id

    a_file = changes.write_changes(changes.make_changes(a, author="alice"), tmp_path / "alice.changes")
    b_file = changes.write_changes(changes.make_changes(b, author="bob"), tmp_path / "bob.changes")
    from_a, from_b = changes.read_changes(a_file), changes.read_changes(b_file)
    assert from_a.header.author == "alice" and from_a.header.case_id == changes.case_id(a.conn)
    assert from_b.header.counts["events"] == {"delete": 1}

    # Bob's work into Alice's case: the description clash and the delete of the event she edited.
    before_a = _state(a)
    plan = changes.plan(a, from_b)
    kinds = {(c.kind, c.table, c.row_id) for c in plan.conflicts}
    assert kinds == {("edited-both", "actors", kirby), ("deleted-there", "events", event)}
    clash = next(c for c in plan.conflicts if c.kind == "edited-both")
    assert clash.fields == ["description"]
    assert clash.old == {"description": old_desc}
    assert clash.theirs == {"description": "NSC coordinator (Bob)"}
    assert clash.ours == {"description": "Spokesman; briefed on 13 Oct (Alice)"}
    with pytest.raises(CaseError, match="no choice"):
        changes.apply_plan(a, plan)
    assert _state(a) == before_a  # nothing applied until every conflict has a choice
    for c in plan.conflicts:
        c.choice = "theirs" if c.kind == "edited-both" else "ours"
    done_a = changes.apply_plan(a, plan)
    changes.record_in_baseline(a, from_b)

    assert crud.get(a, "actors", kirby).description == "NSC coordinator (Bob)"
    assert crud.get(a, "events", event).title == "Containers staged at the quay (Alice)"
    assert (
        a.conn.execute("SELECT count(*) FROM event_actors WHERE event_id = ?", [event]).fetchone()[0]
        == involved
    )
    assert crud.get(a, "actors", new_actor).name == "Petrovsky Freight Quillsworth"
    assert crud.get(a, "sources", source).reliability == "A"
    assert search_table(a.conn, "actors", "Quillsworth").ids == [new_actor]
    assert relationships.get_relationship(a, rel).label == "summit counterpart at Vostochny"
    hit = "SELECT r.id FROM relationships_fts f JOIN relationships r ON r.rowid = f.rowid WHERE relationships_fts MATCH ?"
    assert _ids_p(a, hit, "Vostochny") == [rel]
    labels = {h["label"] for h in rows.history_of(a, "actors", new_actor)}
    assert any("bob" in label for label in labels)  # history says whose work it was

    # Alice's work into Bob's case: he keeps his description, and takes her event back.
    plan = changes.plan(b, from_a)
    kinds = {(c.kind, c.table, c.row_id) for c in plan.conflicts}
    assert kinds == {("edited-both", "actors", kirby), ("deleted-here", "events", event)}
    for c in plan.conflicts:
        c.choice = "ours" if c.kind == "edited-both" else "theirs"
    changes.apply_plan(b, plan)
    changes.record_in_baseline(b, from_a)
    assert crud.get(b, "actors", kirby).description == "NSC coordinator (Bob)"
    assert crud.get(b, "events", event).title == "Containers staged at the quay (Alice)"
    assert crud.get(b, "places", place).notes == "Rajin-Sonbong zone"
    assert search_table(b.conn, "statements", "marigold").ids == [new_stmt]
    kept = sources.original_of(b, source)
    assert kept is not None and kept.data == original

    for case in (a, b):
        assert case.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert case.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for fts, _table, _cols in schema.FTS:
            case.conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")

    # Undo removes the merge whole, FTS included.
    rows.revert(a, done_a)
    assert _state(a) == before_a
    assert search_table(a.conn, "actors", "Quillsworth").ids == []


def test_later_changes_from_the_same_colleague_do_not_clash_with_earlier_ones(
    pair: tuple[Case, Case], tmp_path: Path
) -> None:
    a, b = pair
    place = _ids(a, "SELECT id FROM places WHERE name = 'Najin'")[0]
    crud.update(a, "places", place, {"notes": "first"})
    changes.apply_changes(b, changes.make_changes(a, author="alice"))
    crud.update(a, "places", place, {"notes": "second"})
    p, _done = changes.apply_changes(b, changes.make_changes(a, author="alice"))
    assert p.conflicts == []
    assert crud.get(b, "places", place).notes == "second"
    assert changes.make_changes(b).header.total == 0  # Alice's work is not sent back to her


def test_refuses_another_case_and_a_newer_schema(pair: tuple[Case, Case], tmp_path: Path) -> None:
    a, _b = pair
    other = write_demo(tmp_path / "other.case")
    changes.start_shared_work(other)
    crud.add(other, "actors", {"name": "Someone Else", "kind": "person"})
    theirs = changes.make_changes(other)
    with pytest.raises(CaseError, match="another case"):
        changes.plan(a, theirs)
    mine = changes.make_changes(a)
    mine.header.schema_version = schema.SCHEMA_VERSION + 1
    with pytest.raises(CaseError, match="newer Caseboard"):
        changes.plan(a, mine)
    with pytest.raises(CaseError, match="not a Caseboard changes file"):
        changes.read_changes(tmp_path / "other.case")
    bad_header = tmp_path / "bad.changes"
    with zipfile.ZipFile(bad_header, "w") as z:
        z.writestr(
            "header.json",
            json.dumps(
                {
                    "format": "caseboard-changes",
                    "format_version": 1,
                    "case_id": 7,
                    "title": "x",
                    "schema_version": 1,
                    "author": "x",
                    "created": "x",
                }
            ),
        )
        z.writestr("changeset.bin", b"")
    with pytest.raises(CaseError, match="damaged"):
        changes.read_changes(bad_header)
    damaged = changes.Changes(changes.make_changes(a).header, b"T\x03\x01\x00junk that is not a changeset")
    with pytest.raises(CaseError, match="damaged"):
        changes.plan(a, damaged)
    other.close()


def test_a_colleagues_row_pointing_at_something_deleted_here(pair: tuple[Case, Case]) -> None:
    a, b = pair
    najin = _ids(a, "SELECT id FROM places WHERE name = 'Najin'")[0]
    crud.delete(a, "places", najin, cascade=True)
    crud.add(b, "events", {"title": "Cranes idle at the quay", "place_id": najin})
    plan = changes.plan(a, changes.make_changes(b))
    assert [c.kind for c in plan.conflicts] == ["missing-link"]
    plan.resolve_all("theirs")  # bring the place back with the new event
    changes.apply_plan(a, plan)
    assert crud.get(a, "places", najin).name == "Najin"
    assert a.conn.execute("PRAGMA foreign_key_check").fetchall() == []


_EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("describe"), st.integers(0, 17), st.sampled_from(["alpha", "beta", "gamma"])),
        st.tuples(st.just("retitle"), st.integers(0, 8), st.sampled_from(["delta", "epsilon"])),
        st.tuples(st.just("delete_event"), st.integers(0, 8), st.just("")),
        st.tuples(st.just("delete_actor"), st.integers(0, 17), st.just("")),
        st.tuples(st.just("delete_place"), st.integers(0, 4), st.just("")),
        st.tuples(st.just("add_statement"), st.integers(0, 17), st.sampled_from(["zeta words", "eta words"])),
        st.tuples(st.just("add_event"), st.integers(0, 4), st.sampled_from(["theta", "iota"])),
    ),
    max_size=6,
)


def _edit(case: Case, edits: list[tuple[str, int, str]]) -> None:
    for op, i, text in edits:
        table = {"describe": "actors", "delete_actor": "actors", "add_statement": "actors"}.get(op)
        table = table or ("places" if op in ("delete_place", "add_event") else "events")
        ids = _ids(case, f"SELECT id FROM {table} ORDER BY rowid")
        if not ids:
            continue
        row = ids[i % len(ids)]
        if op == "describe":
            crud.update(case, "actors", row, {"description": text})
        elif op == "retitle":
            crud.update(case, "events", row, {"title": text})
        elif op.startswith("delete_"):
            crud.delete(case, table, row, cascade=True)
        elif op == "add_statement":
            crud.add(case, "statements", {"text": text, "speaker_id": row})
        else:
            crud.add(case, "events", {"title": text, "place_id": row})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mine=_EDITS, theirs=_EDITS, policy=st.sampled_from(["theirs", "ours"]))
def test_any_exchange_leaves_a_sound_case_and_undoes_exactly(tmp_path_factory, mine, theirs, policy) -> None:
    root = tmp_path_factory.mktemp("x")
    a_path, b_path = root / "a.case", root / "b.case"
    write_demo(a_path).close()
    with open_case(a_path) as a:
        changes.start_shared_work(a)
    shutil.copyfile(a_path, b_path)
    shutil.copyfile(changes.baseline_path(a_path), changes.baseline_path(b_path))
    with open_case(a_path) as a, open_case(b_path) as b:
        _edit(a, mine)
        _edit(b, theirs)
        from_b = changes.make_changes(b)
        before = rows.snapshot(a)
        plan = changes.plan(a, from_b)
        plan.resolve_all(policy)
        try:
            done = changes.apply_plan(a, plan)
        except CaseError as exc:  # refused whole, saying why: nothing may have changed
            assert "broken links" in str(exc)
            assert rows.snapshot(a) == before
            return
        assert a.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert a.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for fts, _table, _cols in schema.FTS:
            a.conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
        for e in from_b.entries():  # every change that met no conflict arrived
            if e.op == "insert" and not any(c.row_id == e.row_id for c in plan.conflicts):
                assert rows.fetch_row(a, e.table, e.row_id) is not None
        rows.revert(a, done)
        assert rows.snapshot(a) == before
