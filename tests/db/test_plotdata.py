"""Bulk plot arrays for the timeline and the map, checked against the demo case and small made-up cases."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import numpy as np
import pytest

from caseboard.db.case import create_case
from caseboard.db.dates import PartialDate
from caseboard.db.demo import demo_id, write_demo
from caseboard.db.plotdata import IdIndex, fuzzy_sql, map_data, timeline_data
from caseboard.db.schema import LEG_MODES


def day(text: str) -> int:
    return PartialDate.from_edtf(text).start_day()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("plotdata") / "demo.case"
    case = write_demo(path)
    yield case
    case.close()


def test_angara_legs_are_bars_with_their_uncertain_departures(demo) -> None:
    t = timeline_data(demo.conn)
    legs = t.legs
    sea = legs.index.get(demo_id("leg_sea"))
    rail = legs.index.get(demo_id("leg_rail"))
    assert sea is not None and rail is not None
    # sea: left Najin some time 8-12 Sept, arrived Dunay 12 Sept
    assert (legs.start[sea], legs.depart_end[sea], legs.arrive_start[sea], legs.end[sea]) == (
        day("2023-09-08"),
        day("2023-09-12"),
        day("2023-09-12"),
        day("2023-09-12"),
    )
    assert (legs.start[rail], legs.end[rail]) == (day("2023-09-12"), day("2023-10-01"))
    assert LEG_MODES[legs.mode[sea]] == "sea" and LEG_MODES[legs.mode[rail]] == "rail"
    # both legs ride in the Angara shipment's lane
    assert legs.lane[sea] == legs.lane[rail]
    assert t.lanes[legs.lane[sea]].key == demo_id("angara_shipment")


def test_staging_range_and_fuzzy_flags(demo) -> None:
    ev = timeline_data(demo.conn).events
    staging = ev.index.get(demo_id("staging"))
    assert (ev.start[staging], ev.end[staging]) == (19607, 19608) == (day("2023-09-07"), day("2023-09-08"))
    assert not ev.fuzzy[staging]
    assert ev.fuzzy[ev.index.get(demo_id("milley_remarks"))]  # "2023-09": month precision
    assert ev.fuzzy[ev.index.get(demo_id("milley_steps_down"))]  # "2023-09-29~": about
    assert not ev.fuzzy[ev.index.get(demo_id("arrival"))]
    assert np.all(np.diff(ev.start) >= 0), "sorted by start so a visible window is a searchsorted slice"


def test_milley_has_a_lane_with_his_two_statements(demo) -> None:
    t = timeline_data(demo.conn)
    lane = next(i for i, ln in enumerate(t.lanes) if ln.key == demo_id("milley"))
    assert t.lanes[lane].label == "Mark A. Milley"
    ids = set(t.statements.ids[t.statements.lane == lane].tolist())
    assert ids == {demo_id("milley_skeptical"), demo_id("milley_decisive")}


def test_undated_items_are_listed_not_dropped(demo) -> None:
    t = timeline_data(demo.conn)
    listed = {(u.table, u.id) for u in t.unknown}
    assert ("shipments", demo_id("return_cargo")) in listed
    assert ("shipments", demo_id("iran_drones")) in listed
    assert t.unknown_counts["shipments"] == 2
    assert t.unknown_total == 2


@pytest.mark.parametrize(
    ("text", "fuzzy"),
    [
        ("2023-09-07", 0),
        ("2023-09-07/2023-09-08", 0),
        ("2023-09", 1),
        ("2023", 1),
        ("2023-09-29~", 1),
        ("2023-09-29?", 1),
        ("2023-09/2023-10", 1),
        (None, 0),
    ],
)
def test_fuzzy_sql(text: str | None, fuzzy: int) -> None:
    conn = sqlite3.connect(":memory:")
    assert conn.execute(f"SELECT {fuzzy_sql('?1')}", [text]).fetchone()[0] == fuzzy


def test_map_data_places_and_legs(demo) -> None:
    m = map_data(demo.conn)
    assert len(m.place_ids) == 5
    najin, dunay, depot = (m.place_index.get(demo_id(k)) for k in ("najin", "dunay", "tikhoretsk"))
    assert m.lon[depot] == pytest.approx(40.119) and m.lat[najin] == pytest.approx(42.256)
    assert m.precision[depot] == 1 and m.precision[najin] == 0  # approximate / exact
    sea = m.leg_index.get(demo_id("leg_sea"))
    rail = m.leg_index.get(demo_id("leg_rail"))
    assert (m.leg_from[sea], m.leg_to[sea]) == (najin, dunay)
    assert (m.leg_from[rail], m.leg_to[rail]) == (dunay, depot)
    assert m.weight[dunay] >= 3  # two legs and the arrival event
    assert m.bounds() == pytest.approx((40.119, 135.0, 40.0, 48.5))


def _many(path: Path, shipments: int, events_each: int) -> sqlite3.Connection:
    case = create_case(path, title="Many")
    conn = case.conn
    conn.execute("BEGIN")
    for s in range(shipments):
        sid = uuid.uuid4().hex
        conn.execute("INSERT INTO shipments(id, title, cargo) VALUES (?, ?, 'x')", [sid, f"S{s}"])
        for e in range(events_each + s):  # later shipments are busier
            d = 19000 + e
            conn.execute(
                "INSERT INTO events(id, title, date, date_start, date_end, shipment_id) VALUES (?, 't', ?, ?, ?, ?)",
                [uuid.uuid4().hex, "2022-01-01", d, d, sid],
            )
    conn.execute("INSERT INTO events(id, title) VALUES ('undated', 'no date')")
    conn.execute("COMMIT")
    return conn


def test_busiest_shipments_get_lanes_and_the_rest_share_other(tmp_path: Path) -> None:
    conn = _many(tmp_path / "many.case", shipments=12, events_each=2)
    t = timeline_data(conn, max_lanes=4)
    ship_lanes = [ln for ln in t.lanes if ln.group == "shipments"]
    assert [ln.label for ln in ship_lanes[:4]] == ["S8", "S9", "S10", "S11"]  # busiest four, by first date
    assert ship_lanes[-1].label.startswith("Other shipments")
    assert sum(ln.count for ln in ship_lanes) == len(t.events)
    assert t.unknown_counts["events"] == 1 and t.unknown[0].id == "undated"


def test_id_index_mask() -> None:
    ids = np.array([f"id{i}" for i in range(1000)], dtype=object)
    idx = IdIndex(ids)
    mask = idx.mask({"id3", "id999", "missing"})
    assert mask.sum() == 2 and mask[3] and mask[999]


def test_large_tables_carry_rowids_and_look_ids_up_lazily(demo) -> None:
    """Above ``bulk_ids`` rows no text ids are loaded; clicks, lanes and masks go through rowids."""
    full = timeline_data(demo.conn)
    lean = timeline_data(demo.conn, bulk_ids=0)
    for kind in ("events", "legs", "statements", "shipments"):
        a, b = full.marks(kind), lean.marks(kind)
        assert b.ids is None and a.ids is not None
        assert np.array_equal(a.rowids, b.rowids) and np.array_equal(a.start, b.start)
        assert np.array_equal(a.lane, b.lane) and np.array_equal(a.fuzzy, b.fuzzy)
        assert [b.id_at(i, demo.conn) for i in range(len(b))] == a.ids.tolist()
        assert b.ids_at(np.arange(len(b)), demo.conn) == set(a.ids.tolist())
    ev = lean.events
    staging = ev.get(demo_id("staging"), demo.conn)
    assert staging == full.events.index.get(demo_id("staging"))
    assert ev.get("no such id", demo.conn) is None


def test_rowid_index_dense_and_sparse() -> None:
    from caseboard.db.plotdata import RowidIndex

    for rowids in (
        np.array([5, 3, 9, 1]),
        np.array([5, 3, 10**12, 1]),
    ):  # the second is too sparse for a table
        idx = RowidIndex(rowids)
        assert idx.lookup(np.array([3, 1, 7, 10**13, -1])).tolist() == [1, 3, -1, -1, -1]
        assert idx.mask(np.array([9, 10**12, 5])).tolist() == [True, False, True, False]


def test_density_index_matches_a_direct_histogram() -> None:
    from caseboard.db.plotdata import DensityIndex

    rng = np.random.default_rng(1)
    n, lanes = 50_000, 7
    start = np.sort(rng.integers(18000, 19000, n)).astype(np.int32)
    end = (start + rng.integers(0, 40, n) * (rng.random(n) < 0.3)).astype(np.int32)
    lane = rng.integers(0, lanes, n).astype(np.int32)
    idx = DensityIndex(start, end, lane)
    edges = np.linspace(2 * 18100.3, 2 * 18700.9, 301)  # in the index's unit: twice the midpoint day
    got = idx.counts(lanes, edges)
    mid2 = start.astype(np.int64) + end + 1
    col = np.searchsorted(edges, mid2, side="right") - 1
    ok = (col >= 0) & (col < len(edges) - 1)
    want = np.zeros((lanes, len(edges) - 1), dtype=np.int64)
    np.add.at(want, (lane[ok], col[ok]), 1)
    assert np.array_equal(got, want)
    d0, d1 = 18300, 18310
    assert idx.overlapping(d0, d1) == int(((start <= d1) & (end >= d0)).sum())
