"""Change sets and patched plot arrays: what an edit reports, and arrays patched from it equal a fresh load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from caseboard.db import actors, events, places, rows, shipments, statements
from caseboard.db.case import open_case
from caseboard.db.changeset import ChangeSet
from caseboard.db.demo import demo_id
from caseboard.db.generate import generate_case
from caseboard.db.plotdata import map_data, timeline_data
from caseboard.db.plotpatch import MAP_DRAWS, TIMELINE_DRAWS, patch_map, patch_timeline


def test_change_set_says_what_was_inserted_updated_deleted(demo_case) -> None:
    with demo_case.transaction(label="Several"):
        done = [
            actors.add_actor(demo_case, name="Sea Swallow", kind="vessel"),
            actors.update_actor(demo_case, demo_id("milley"), description="Chairman"),
            *events.delete_event(demo_case, demo_id("staging")),
        ]
    cs = ChangeSet.of(done, label="Several", initiator="test")
    assert len(cs.inserted("actors")) == 1
    assert cs.updated("actors") == {demo_id("milley")}
    assert cs.deleted("events") == {demo_id("staging")}
    assert cs.count_delta("actors") == 1 and cs.count_delta("events") == -1
    assert cs.structural("actors") and not cs.structural("places")
    assert cs.fields("actors") >= {"description"}
    assert cs.initiator == "test"
    # a view drawing only actor names is not touched by a description edit alone
    only_desc = ChangeSet.of([done[1]])
    assert not only_desc.touches({"actors": ("name",)})
    assert only_desc.touches({"actors": ("name", "description")})
    assert only_desc.mentions(demo_id("milley")) and not only_desc.mentions(demo_id("kirby"))


def test_unchanged_updates_are_dropped(demo_case) -> None:
    name = demo_case.conn.execute("SELECT name FROM actors WHERE id = ?", [demo_id("milley")]).fetchone()[0]
    same = actors.update_actor(demo_case, demo_id("milley"), name=name)
    assert not ChangeSet.of([same])


def test_history_is_logged_under_the_outermost_label(demo_case) -> None:
    with demo_case.transaction(label="Rename two"):
        with demo_case.transaction(label="inner"):
            actors.update_actor(demo_case, demo_id("milley"), description="x")
        actors.update_actor(demo_case, demo_id("kirby"), description="y")
    labels = {
        h["label"] for a in ("milley", "kirby") for h in rows.history_of(demo_case, "actors", demo_id(a))[:1]
    }
    assert labels == {"Rename two"}
    assert demo_case.history_label == ""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "g.case"
    generate_case(path, events=3000, statements=400, actors=60, places=80, shipments=40, seed=3)
    return path


@pytest.fixture
def gen_case(generated: Path, tmp_path: Path):
    copy = tmp_path / "g.case"
    copy.write_bytes(generated.read_bytes())
    case = open_case(copy)
    yield case
    case.close()


def _timeline_rows(t) -> dict[str, set[tuple]]:
    out = {}
    for table in ("events", "statements", "legs"):
        m = t.marks(table)
        labels = [t.lanes[int(i)].label for i in m.lane]
        out[table] = set(
            zip(m.rowids.tolist(), m.start.tolist(), m.end.tolist(), m.fuzzy.tolist(), labels, strict=True)
        )
        assert np.all(np.diff(m.start) >= 0), "arrays stay sorted by start"
        # the patched indexes answer like fresh ones
        assert np.array_equal(m.rowid_index.lookup(m.rowids), np.arange(len(m)))
        fresh = type(m.density_index)(m.start, m.end, m.lane)
        edges = np.linspace(2 * int(m.start.min()), 2 * int(m.end.max()) + 2, 9) if len(m) else np.zeros(2)
        assert np.array_equal(m.density_index.counts(len(t.lanes), edges), fresh.counts(len(t.lanes), edges))
    return out


def _one_of(case, sql: str) -> str:
    return case.conn.execute(sql).fetchone()[0]


def _changes(done) -> ChangeSet:
    return ChangeSet.of(done if isinstance(done, list) else [done])


TIMELINE_EDITS = {
    "re-date an event": lambda c: events.update_event(
        c,
        _one_of(c, "SELECT id FROM events WHERE date_start IS NOT NULL LIMIT 1 OFFSET 7"),
        date="2021-03-04",
    ),
    "add a dated event": lambda c: events.add_event(c, title="Port call", date="2020-06-01"),
    "delete a dated event": lambda c: events.delete_event(
        c, _one_of(c, "SELECT id FROM events WHERE date_start IS NOT NULL AND shipment_id IS NULL LIMIT 1")
    ),
    "add a statement": lambda c: statements.add_statement(
        c,
        text="New words",
        said="2022-02-02",
        speaker_id=_one_of(c, "SELECT speaker_id FROM statements GROUP BY speaker_id ORDER BY count(*) DESC"),
    ),
    "rename a speaker": lambda c: actors.update_actor(
        c,
        _one_of(c, "SELECT speaker_id FROM statements GROUP BY speaker_id ORDER BY count(*) DESC"),
        name="Renamed Speaker",
    ),
    "re-date a leg": lambda c: shipments.update_leg(
        c, _one_of(c, "SELECT id FROM legs WHERE depart_start IS NOT NULL LIMIT 1"), depart="2020-01-05"
    ),
}


@pytest.mark.parametrize("bulk_ids", [True, False], ids=["text ids", "rowids only"])
@pytest.mark.parametrize("label", list(TIMELINE_EDITS))
def test_patched_timeline_equals_a_fresh_load(gen_case, label, bulk_ids) -> None:
    before = timeline_data(gen_case.conn, **({} if bulk_ids else {"bulk_ids": 0}))
    for kind in ("events", "statements", "legs"):
        before.marks(kind).prepare()
    done = TIMELINE_EDITS[label](gen_case)
    cs = ChangeSet.of(done if isinstance(done, list) else [done])
    assert cs.touches(TIMELINE_DRAWS)
    patched = patch_timeline(gen_case.conn, before, cs)
    assert patched is not None, "this edit is patched without a whole load"
    fresh = timeline_data(gen_case.conn)
    assert _timeline_rows(patched) == _timeline_rows(fresh)
    assert [lane.label for lane in patched.lanes] == [lane.label for lane in fresh.lanes]


def test_timeline_asks_for_a_whole_load_when_an_item_loses_its_date(gen_case) -> None:
    before = timeline_data(gen_case.conn)
    eid = _one_of(gen_case, "SELECT id FROM events WHERE date_start IS NOT NULL LIMIT 1")
    done = events.update_event(gen_case, eid, date=None)
    assert patch_timeline(gen_case.conn, before, ChangeSet.of([done])) is None


def _map_rows(m) -> tuple[dict, dict]:
    pl = {
        str(i): (round(float(x), 6), round(float(y), 6), int(p), str(n), int(w))
        for i, x, y, p, n, w in zip(m.place_ids, m.lon, m.lat, m.precision, m.names, m.weight, strict=True)
    }
    lg = {
        str(i): (str(m.place_ids[f]), str(m.place_ids[t]), int(mo))
        for i, f, t, mo in zip(m.leg_ids, m.leg_from, m.leg_to, m.leg_mode, strict=True)
    }
    return pl, lg


MAP_EDITS = {
    "move a place": lambda c: places.move_place(
        c, _one_of(c, "SELECT from_place_id FROM legs LIMIT 1"), 10.5, 20.25
    ),
    "add a place": lambda c: places.add_place(c, name="Vladivostok", lat=43.1, lon=131.9, kind="port"),
    "delete a place and its legs": lambda c: places.delete_place(
        c, _one_of(c, "SELECT from_place_id FROM legs LIMIT 1"), cascade=True
    ),
    "clear a place's coordinates": lambda c: places.update_place(
        c, _one_of(c, "SELECT to_place_id FROM legs LIMIT 1"), lat=None, lon=None
    ),
    "add a leg": lambda c: shipments.add_leg(
        c,
        shipment_id=_one_of(c, "SELECT id FROM shipments LIMIT 1"),
        from_place_id=_one_of(c, "SELECT id FROM places WHERE lat IS NOT NULL LIMIT 1"),
        to_place_id=_one_of(c, "SELECT id FROM places WHERE lat IS NOT NULL LIMIT 1 OFFSET 3"),
        mode="air",
    ),
    "move an event to a place": lambda c: events.update_event(
        c,
        _one_of(c, "SELECT id FROM events LIMIT 1"),
        place_id=_one_of(c, "SELECT id FROM places WHERE lat IS NOT NULL LIMIT 1 OFFSET 5"),
    ),
}


@pytest.mark.parametrize("label", list(MAP_EDITS))
def test_patched_map_equals_a_fresh_load(gen_case, label) -> None:
    before = map_data(gen_case.conn)
    done = MAP_EDITS[label](gen_case)
    cs = ChangeSet.of(done if isinstance(done, list) else [done])
    assert cs.touches(MAP_DRAWS)
    patched = patch_map(gen_case.conn, before, cs)
    fresh = map_data(gen_case.conn)
    assert _map_rows(patched) == _map_rows(fresh)
    assert (patched.unplaced_places, patched.unplaced_legs) == (fresh.unplaced_places, fresh.unplaced_legs)
