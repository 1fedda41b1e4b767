"""Bring the timeline's and the map's arrays up to date after an edit, reading only the rows the edit touched.

Loading a million-event case into arrays takes seconds (``db.plotdata``); an edit touches a handful of rows. The
functions here take the arrays a panel already has and a ``ChangeSet`` and return new arrays (the old ones are
never modified, so a frame being painted or a worker still holding them is safe), or ``None`` when the edit
changes something only a whole load can work out (which lanes exist, an item going from dated to undated); the
panel then loads the whole case again, on a worker.

No Qt here.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable

import numpy as np

from caseboard.db.changeset import ChangeSet
from caseboard.db.plotdata import (
    DensityIndex,
    IdIndex,
    Lane,
    LegBars,
    MapData,
    Marks,
    RowidIndex,
    TimelineData,
    fuzzy_sql,
)
from caseboard.db.rows import Change
from caseboard.db.schema import LEG_MODES, PLACE_PRECISIONS

__all__ = ["TIMELINE_DRAWS", "MAP_DRAWS", "patch_map", "patch_timeline"]

#: What the timeline draws (table -> columns that matter); other edits leave it alone.
TIMELINE_DRAWS: dict[str, tuple[str, ...] | None] = {
    "events": ("date", "date_start", "date_end", "shipment_id", "title"),
    "statements": ("said", "said_start", "said_end", "speaker_id", "text"),
    "legs": (
        "from_place_id",
        "to_place_id",
        "depart",
        "depart_start",
        "depart_end",
        "arrive",
        "arrive_start",
        "arrive_end",
        "mode",
        "shipment_id",
    ),
    "shipments": ("title", "cargo", "date", "date_start", "date_end"),
    "actors": ("name",),
}
#: What the map draws.
MAP_DRAWS: dict[str, tuple[str, ...] | None] = {
    "places": ("name", "lat", "lon", "precision"),
    "legs": ("from_place_id", "to_place_id", "mode"),
    "events": ("place_id",),
}


class NeedsReload(Exception):
    """The edit changes the timeline's structure; only a whole load can redraw it."""


# -- timeline ----------------------------------------------------------------------------------------------------
_MODE_CASE = " ".join(f"WHEN '{m}' THEN {i}" for i, m in enumerate(LEG_MODES))

#: Per table: SQL giving (rowid, start, end[, depart_end, arrive_start, mode], fuzzy, owner id) for one row.
_ROW_SQL = {
    "events": (
        f"SELECT rowid, date_start, coalesce(date_end, date_start), {fuzzy_sql('date')}, shipment_id "
        "FROM events WHERE id = ?"
    ),
    "statements": (
        f"SELECT rowid, said_start, coalesce(said_end, said_start), {fuzzy_sql('said')}, speaker_id "
        "FROM statements WHERE id = ?"
    ),
    "legs": (
        "SELECT rowid, coalesce(depart_start, arrive_start), coalesce(depart_end, depart_start, arrive_start), "
        "coalesce(arrive_start, depart_end), coalesce(arrive_end, arrive_start, depart_end), "
        f"CASE mode {_MODE_CASE} ELSE {len(LEG_MODES) - 1} END, "
        f"({fuzzy_sql('depart')} OR {fuzzy_sql('arrive')}), shipment_id FROM legs WHERE id = ?"
    ),
}


def _lane_of(lanes: list[Lane], table: str, owner: str | None) -> int:
    """The lane a row with this owner (shipment or speaker id) is drawn in, as a whole load would put it."""
    group = "speakers" if table == "statements" else "shipments"
    if owner is None:
        if table == "events" and lanes and lanes[0].group == "events":
            return 0
        if table == "statements":
            for i, lane in enumerate(lanes):
                if lane.group == "speakers" and lane.key is None and lane.label == "Unknown speaker":
                    return i
        raise NeedsReload
    for i, lane in enumerate(lanes):
        if lane.group == group and lane.key == owner:
            return i
    for i, lane in enumerate(lanes):
        if lane.group == group and lane.key is None and lane.label.startswith("Other "):
            return i
    raise NeedsReload


def _columns_of(rows: Marks | LegBars) -> list[str]:
    if isinstance(rows, LegBars):
        return ["start", "depart_end", "arrive_start", "end", "mode", "fuzzy", "lane", "rowids"]
    return ["start", "end", "fuzzy", "lane", "rowids"]


def _moved(rows: Marks | LegBars, remove: Iterable[int], add: list[dict[str, object]]) -> Marks | LegBars:
    """A copy of ``rows`` without the items at rowids ``remove`` and with ``add`` inserted in start order.

    The rowid and density indexes are patched rather than rebuilt: at a million items a rebuild is a sort.
    """
    cols = _columns_of(rows)
    old_index = rows.rowid_index
    gone = old_index.lookup(np.fromiter(remove, dtype=np.int64))
    gone = np.sort(gone[gone >= 0])
    arrays = {c: np.delete(getattr(rows, c), gone) for c in cols}
    ids = None if rows.ids is None else np.delete(rows.ids, gone)
    placed: list[int] = []
    for item in sorted(add, key=lambda a: int(a["start"])):  # type: ignore[call-overload]
        at = int(np.searchsorted(arrays["start"], int(item["start"]), side="right"))  # type: ignore[call-overload]
        for c in cols:
            arrays[c] = np.insert(arrays[c], at, item[c])
        if ids is not None:
            ids = np.insert(ids, at, item["id"])
        placed = [p + 1 if p >= at else p for p in placed] + [at]
    fields = {f.name: getattr(rows, f.name) for f in dataclasses.fields(rows)}
    fields.update({c: v for c, v in arrays.items()})
    fields["ids"] = ids
    # chart labels are read again for what is in view (``TimelineItem.label_source``): cheaper than splicing
    fields["labels"] = fields["cites"] = None
    new = type(rows)(**fields)
    n = len(arrays["start"])
    # rowid index: only positions between the first and last touched one move (all after, if the count changed)
    dense = getattr(old_index, "_dense", None)
    touched = [*gone.tolist(), *placed]
    if dense is not None and n and touched:
        top = int(arrays["rowids"].max())
        if top < len(dense):
            lo = min(touched)
            hi = n if len(gone) != len(placed) else min(n, max(touched) + 1)
            patched = dense.copy()
            patched[rows.rowids[gone]] = -1
            patched[arrays["rowids"][lo:hi]] = np.arange(lo, hi, dtype=np.int64)
            idx = RowidIndex.__new__(RowidIndex)
            idx.rowids, idx._dense = arrays["rowids"], patched
            new._rowid_index = idx
    # density index: remove the old keys and ends, insert the new ones
    old_density = rows._density_index
    if old_density is not None:
        new._density_index = _density_moved(old_density, rows, gone, new, placed)
    return new


def _density_moved(
    d: DensityIndex, old: Marks | LegBars, gone: np.ndarray, new: Marks | LegBars, placed: list[int]
) -> DensityIndex | None:
    def mid2(rows: Marks | LegBars, pos: np.ndarray | list[int]) -> np.ndarray:
        p = np.asarray(pos, dtype=np.int64)
        return rows.start[p].astype(np.int64) + rows.end[p].astype(np.int64) + 1

    add_mid = mid2(new, placed)
    if len(add_mid) and (add_mid.min() < d._lo or add_mid.max() >= d._lo + d._span):
        return None  # outside the keyed span: built afresh when next needed
    keys, ends = d._keys, d._end_sorted
    if len(gone):
        old_keys = old.lane[gone].astype(np.int64) * d._span + (mid2(old, gone) - d._lo)
        keys = np.delete(keys, np.searchsorted(keys, np.sort(old_keys)))
        ends = np.delete(ends, np.searchsorted(ends, np.sort(old.end[gone])))
    if placed:
        p = np.asarray(placed, dtype=np.int64)
        new_keys = np.sort(new.lane[p].astype(np.int64) * d._span + (add_mid - d._lo))
        keys = np.insert(keys, np.searchsorted(keys, new_keys), new_keys)
        new_ends = np.sort(new.end[p])
        ends = np.insert(ends, np.searchsorted(ends, new_ends), new_ends)
    out = DensityIndex.__new__(DensityIndex)
    out._lo, out._span, out._keys, out._end_sorted, out._start = d._lo, d._span, keys, ends, new.start
    return out


def _timeline_item(conn: sqlite3.Connection, table: str, row_id: str, lanes: list[Lane]) -> dict | None:
    """The arrays' values for one row as a whole load computes them; None when the row is gone or undated."""
    row = conn.execute(_ROW_SQL[table], [row_id]).fetchone()
    if row is None:
        return None
    if table == "legs":
        rowid, start, depart_end, arrive_start, end, mode, fuzzy, owner = row
        if start is None:
            return None
        return {
            "rowids": rowid,
            "start": start,
            "depart_end": depart_end,
            "arrive_start": arrive_start,
            "end": max(end, start),
            "mode": mode,
            "fuzzy": bool(fuzzy),
            "lane": _lane_of(lanes, table, owner),
            "id": row_id,
        }
    rowid, start, end, fuzzy, owner = row
    if start is None:
        return None
    return {
        "rowids": rowid,
        "start": start,
        "end": end,
        "fuzzy": bool(fuzzy),
        "lane": _lane_of(lanes, table, owner),
        "id": row_id,
    }


def patch_timeline(conn: sqlite3.Connection, data: TimelineData, changes: ChangeSet) -> TimelineData | None:
    """``data`` with the edit applied, or None when a whole load is needed (see the module docstring).

    Handled: dated events, statements and legs added, removed, re-dated or moved between existing lanes;
    shipments and speakers renamed (their lane labels). Anything that would add or remove a lane, change a
    shipment's own dates, or make an item dated or undated needs a whole load.
    """
    try:
        return _patch_timeline(conn, data, changes)
    except NeedsReload:
        return None


def _patch_timeline(conn: sqlite3.Connection, data: TimelineData, changes: ChangeSet) -> TimelineData:
    lanes = list(data.lanes)
    # lane labels
    for table, group, label_of in (
        ("actors", "speakers", lambda r: r.get("name") or ""),
        ("shipments", "shipments", lambda r: r.get("title") or r.get("cargo") or ""),
    ):
        for ch in changes.of_table(table):
            if table == "shipments" and set(ch.changed_fields) & {"date", "date_start", "date_end"}:
                raise NeedsReload
            for i, lane in enumerate(lanes):
                if lane.group == group and lane.key == ch.row_id:
                    if ch.new is None:
                        raise NeedsReload  # its lane goes
                    lanes[i] = dataclasses.replace(lane, label=" ".join(label_of(ch.new).split()))
    counts = [lane.count for lane in lanes]
    out = {"events": data.events, "statements": data.statements, "legs": data.legs}
    for table in out:
        rows = out[table]
        drawn = TIMELINE_DRAWS[table] or ()
        remove: list[int] = []
        add: list[dict[str, object]] = []
        for ch in changes.of_table(table):
            if ch.action == "update" and not set(ch.changed_fields) & set(drawn):
                continue
            was = _position(conn, table, rows, ch)
            was_dated = was >= 0
            item = None if ch.action == "delete" else _timeline_item(conn, table, ch.row_id, lanes)
            if ch.action == "update" and was_dated != (item is not None):
                raise NeedsReload  # dated <-> undated: the "No date" list and counts come from a whole load
            if ch.action != "update" and item is None and ch.action == "insert":
                raise NeedsReload  # an undated newcomer belongs in the "No date" list
            if was_dated:
                remove.append(int(rows.rowids[was]))
                counts[int(rows.lane[was])] -= 1
            elif ch.action == "delete":
                raise NeedsReload  # an undated item left the "No date" list
            if item is not None:
                add.append(item)
                counts[int(item["lane"])] += 1  # type: ignore[call-overload]
        if remove or add:
            out[table] = _moved(rows, remove, add)
    if any(c < 0 for c in counts) or any(
        c == 0 and lane.count > 0 for c, lane in zip(counts, lanes, strict=True)
    ):
        raise NeedsReload  # a lane emptied: a whole load drops it
    lanes = [dataclasses.replace(lane, count=c) for lane, c in zip(lanes, counts, strict=True)]
    return dataclasses.replace(
        data,
        events=out["events"],
        statements=out["statements"],
        legs=out["legs"],
        lanes=lanes,
    )


_START_OF = {
    "events": lambda r: r.get("date_start"),
    "statements": lambda r: r.get("said_start"),
    "legs": lambda r: r.get("depart_start") if r.get("depart_start") is not None else r.get("arrive_start"),
}


def _position(conn: sqlite3.Connection, table: str, rows: Marks | LegBars, ch: Change) -> int:
    """Where the changed row is in the arrays (-1: not drawn). A deleted row has no rowid left to ask for, so it
    is the one among the items drawn on its old start day whose rowid is no longer in the table."""
    if rows.ids is not None:
        found = rows.index.get(ch.row_id)
        return -1 if found is None else found
    if ch.action != "delete":
        row = conn.execute(f"SELECT rowid FROM {table} WHERE id = ?", [ch.row_id]).fetchone()
        return int(rows.rowid_index.lookup(np.array([row[0]], dtype=np.int64))[0])
    start = _START_OF[table](ch.old or {})
    if start is None:
        return -1
    lo = int(np.searchsorted(rows.start, start, side="left"))
    hi = int(np.searchsorted(rows.start, start, side="right"))
    candidates = rows.rowids[lo:hi]
    alive = {
        r[0]
        for r in conn.execute(
            f"SELECT rowid FROM {table} WHERE rowid IN (SELECT value FROM json_each(?))",
            [json.dumps(candidates.tolist())],
        )
    }
    gone = [i for i, r in enumerate(candidates.tolist()) if r not in alive]
    if len(gone) != 1:
        raise NeedsReload  # several rows of that day went at once: which is which is not known here
    return lo + gone[0]


# -- map ---------------------------------------------------------------------------------------------------------
def patch_map(conn: sqlite3.Connection, data: MapData, changes: ChangeSet) -> MapData:
    """``data`` with the edit's places, legs and event places re-read; the rest of the arrays are kept."""
    places = changes.ids("places")
    legs = changes.ids("legs")
    weighed: set[str] = set(places)
    for table, cols in (("legs", ("from_place_id", "to_place_id")), ("events", ("place_id",))):
        for ch in changes.of_table(table):
            for row in (ch.old, ch.new):
                if row:
                    weighed.update(str(row[c]) for c in cols if row.get(c))
    if places:  # legs to or from a place that moved, appeared or lost its coordinates
        for leg_id, f, t in conn.execute(
            "SELECT id, from_place_id, to_place_id FROM legs WHERE from_place_id IN (SELECT value FROM json_each(?1)) "
            "OR to_place_id IN (SELECT value FROM json_each(?1))",
            [_json(places)],
        ):
            legs.add(leg_id)
            weighed.update(p for p in (f, t) if p)
    # places: drop the changed ones, add them back as they are now
    keep = ~data.place_index.mask(places) if places else np.ones(len(data.place_ids), dtype=bool)
    prec_codes = {p: i for i, p in enumerate(PLACE_PRECISIONS)}
    new_places = conn.execute(
        "SELECT id, lon, lat, precision, name FROM places WHERE id IN (SELECT value FROM json_each(?)) "
        "AND lon IS NOT NULL AND lat IS NOT NULL",
        [_json(places)],
    ).fetchall()
    place_ids = np.concatenate([data.place_ids[keep], np.array([r[0] for r in new_places], dtype=object)])
    lon = np.concatenate([data.lon[keep], np.array([r[1] for r in new_places], dtype=np.float64)])
    lat = np.concatenate([data.lat[keep], np.array([r[2] for r in new_places], dtype=np.float64)])
    precision = np.concatenate(
        [data.precision[keep], np.array([prec_codes.get(r[3], 0) for r in new_places], dtype=np.int8)]
    )
    names = np.concatenate([data.names[keep], np.array([r[4] for r in new_places], dtype=object)])
    weight = np.concatenate([data.weight[keep], np.zeros(len(new_places), dtype=np.int64)])
    # old place position -> new position, for the legs kept as they were
    remap = np.full(len(data.place_ids) + 1, -1, dtype=np.int64)
    remap[np.flatnonzero(keep)] = np.arange(int(keep.sum()), dtype=np.int64)
    index = IdIndex(place_ids)
    keep_legs = ~data.leg_index.mask(legs) if legs else np.ones(len(data.leg_ids), dtype=bool)
    leg_from = remap[data.leg_from[keep_legs]]
    leg_to = remap[data.leg_to[keep_legs]]
    ok = (leg_from >= 0) & (leg_to >= 0)
    if not ok.all():
        raise AssertionError("a kept leg lost its place")  # legs of changed places were re-read above
    leg_ids = [data.leg_ids[keep_legs]]
    new_from: list[int] = []
    new_to: list[int] = []
    new_mode: list[int] = []
    new_ids: list[str] = []
    for leg_id, f, t, mode in conn.execute(
        f"SELECT id, from_place_id, to_place_id, CASE mode {_MODE_CASE} ELSE {len(LEG_MODES) - 1} END "
        "FROM legs WHERE id IN (SELECT value FROM json_each(?))",
        [_json(legs)],
    ):
        fi, ti = index.get(f) if f else None, index.get(t) if t else None
        if fi is None or ti is None:
            continue
        new_ids.append(leg_id)
        new_from.append(fi)
        new_to.append(ti)
        new_mode.append(mode)
    leg_ids.append(np.array(new_ids, dtype=object))
    # weights of the places whose legs or events changed: counted again
    for pid in weighed:
        pos = index.get(pid)
        if pos is None:
            continue
        n_legs, n_events = conn.execute(
            "SELECT (SELECT count(*) FROM legs l JOIN places f ON f.id = l.from_place_id "
            "JOIN places t ON t.id = l.to_place_id WHERE f.lon IS NOT NULL AND t.lon IS NOT NULL "
            "AND (l.from_place_id = ?1 OR l.to_place_id = ?1)) + "
            "(SELECT count(*) FROM legs l JOIN places f ON f.id = l.from_place_id "
            "JOIN places t ON t.id = l.to_place_id WHERE f.lon IS NOT NULL AND t.lon IS NOT NULL "
            "AND l.from_place_id = ?1 AND l.to_place_id = ?1), "
            "(SELECT count(*) FROM events WHERE place_id = ?1)",
            [pid],
        ).fetchone()
        weight[pos] = n_legs + n_events
    all_places, all_legs = conn.execute(
        "SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM legs)"
    ).fetchone()
    leg_ids_arr = np.concatenate(leg_ids)
    return MapData(
        place_ids=place_ids,
        lon=lon,
        lat=lat,
        precision=precision,
        names=names,
        weight=weight,
        leg_ids=leg_ids_arr,
        leg_from=np.concatenate([leg_from, np.array(new_from, dtype=np.int64)]),
        leg_to=np.concatenate([leg_to, np.array(new_to, dtype=np.int64)]),
        leg_mode=np.concatenate([data.leg_mode[keep_legs], np.array(new_mode, dtype=np.int8)]),
        unplaced_places=int(all_places) - len(place_ids),
        unplaced_legs=int(all_legs) - len(leg_ids_arr),
    )


def _json(ids: Iterable[str]) -> str:
    return json.dumps(sorted(ids))
