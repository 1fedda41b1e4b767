"""Bulk loaders that turn a case into numpy arrays for the timeline and the map.

The panels draw from these arrays and never touch SQL while painting, so a case of a million events costs one
pass per table here (on a worker thread with its own read-only connection) and nothing per frame.

The timeline reads integers only: each column comes back as one ``group_concat`` string that numpy parses in C
(no Python object per row), events' days and rowids come from the covering ``events_date`` index, and fuzzy
flags and owners (shipment, speaker) from narrow queries that return only the rows that have them. Items are
identified by SQLite rowid; text ids are loaded in bulk only for small tables (``BULK_IDS``) and otherwise
looked up for the one item a click or tooltip needs (``id_at``). ``RowidIndex`` turns the rowids of a
``Related`` selection into a mask, and ``DensityIndex`` makes a density histogram per frame a searchsorted.
The map still reads text ids (``MapData``): its tables are small.

Dates are the stored day numbers (``X_start``/``X_end``); whether a date is fuzzy ("about", or only known to the
month or year) is worked out in SQL from the EDTF text so no Python parsing runs per row.

No Qt here: the report and command-line tools can use the same data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from caseboard.db import values
from caseboard.db.schema import LEG_MODES, PLACE_PRECISIONS

__all__ = [
    "DensityIndex",
    "IdIndex",
    "Lane",
    "LegBars",
    "MapData",
    "Marks",
    "RowidIndex",
    "TimelineData",
    "UnknownItem",
    "fuzzy_sql",
    "map_data",
    "timeline_data",
]

#: Stored in place of a NULL day number so day arrays stay integer.
NO_DAY = np.iinfo(np.int32).min
#: How many unknown-date items are listed by title (all are counted).
UNKNOWN_LIST_LIMIT = 200
#: Lanes kept per group (shipments, speakers) before the rest share one "other" lane.
DEFAULT_MAX_LANES = 14


def fuzzy_sql(col: str) -> str:
    """SQL that is 1 when the EDTF text in ``col`` is approximate/uncertain or coarser than a day.

    The part before any "/" is a day only when it is ten characters (YYYY-MM-DD); "~" and "?" are EDTF's
    approximate and uncertain marks.
    """
    return (
        f"(CASE WHEN {col} IS NULL THEN 0 WHEN instr({col}, '~') > 0 OR instr({col}, '?') > 0 THEN 1 "
        f"WHEN (CASE WHEN instr({col}, '/') > 0 THEN instr({col}, '/') - 1 ELSE length({col}) END) < 10 "
        f"THEN 1 ELSE 0 END)"
    )


class IdIndex:
    """Maps ids to positions in a parallel array, so a ``Related`` id set becomes a mask quickly.

    ``np.isin`` on a million-entry object array sorts all of them (about a second); a dict lookup per selected
    id costs only as much as the selection. The dict is built once, by the loader, off the UI thread.
    """

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self._pos = dict(zip(ids.tolist(), range(len(ids)), strict=True))

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, wanted: Iterable[str]) -> np.ndarray:
        pos = self._pos
        return np.fromiter((pos[i] for i in wanted if i in pos), dtype=np.int64)

    def mask(self, wanted: Iterable[str]) -> np.ndarray:
        m = np.zeros(len(self.ids), dtype=bool)
        m[self.positions(wanted)] = True
        return m

    def get(self, row_id: str) -> int | None:
        return self._pos.get(row_id)


@dataclass
class Lane:
    """One horizontal lane of the timeline."""

    label: str
    group: str  # "events", "shipments", "speakers"
    key: str | None  # shipment or actor id; None for the shared lanes ("Events", "Other ...")
    count: int = 0


class RowidIndex:
    """Maps SQLite rowids to positions in a parallel array, so a set of related rowids becomes a mask in time
    proportional to the set. Dense rowids (the usual case) use a lookup array; sparse ones a sorted search."""

    def __init__(self, rowids: np.ndarray) -> None:
        self.rowids = rowids
        n = len(rowids)
        top = int(rowids.max()) if n else 0
        self._dense: np.ndarray | None = None
        if n and int(rowids.min()) >= 0 and top <= 4 * n + 1024:
            self._dense = np.full(top + 1, -1, dtype=np.int64)
            self._dense[rowids] = np.arange(n, dtype=np.int64)
        else:
            self._order = np.argsort(rowids, kind="stable")
            self._sorted = rowids[self._order]

    def __len__(self) -> int:
        return len(self.rowids)

    def lookup(self, wanted: np.ndarray) -> np.ndarray:
        """Position of each ``wanted`` rowid, -1 where absent."""
        wanted = np.asarray(wanted, dtype=np.int64)
        if not len(self.rowids) or not len(wanted):
            return np.full(len(wanted), -1, dtype=np.int64)
        if self._dense is not None:
            ok = (wanted >= 0) & (wanted < len(self._dense))
            out = np.full(len(wanted), -1, dtype=np.int64)
            out[ok] = self._dense[wanted[ok]]
            return out
        i = np.clip(np.searchsorted(self._sorted, wanted), 0, len(self._sorted) - 1)
        return np.where(self._sorted[i] == wanted, self._order[i], -1)

    def positions(self, wanted: np.ndarray) -> np.ndarray:
        """Positions of the ``wanted`` rowids that are present (others are skipped)."""
        pos = self.lookup(wanted)
        return pos[pos >= 0]

    def mask(self, wanted: np.ndarray) -> np.ndarray:
        m = np.zeros(len(self.rowids), dtype=bool)
        m[self.positions(wanted)] = True
        return m


class DensityIndex:
    """Counts of items per lane over any range of days in O(lanes x columns x log n), for density views.

    Items are keyed by lane and by twice their midpoint day (``start + end + 1``, an integer), sorted once; a
    frame's histogram is then a ``searchsorted`` of the column edges, not a pass over a million items. The
    ends are kept sorted too, so how many items overlap a window is exact and O(log n).
    """

    def __init__(self, start: np.ndarray, end: np.ndarray, lane: np.ndarray) -> None:
        mid2 = start.astype(np.int64) + end.astype(np.int64) + 1
        self._lo = int(mid2.min()) if len(mid2) else 0
        self._span = (int(mid2.max()) - self._lo + 1) if len(mid2) else 1
        self._keys = np.sort(lane.astype(np.int64) * self._span + (mid2 - self._lo))
        self._end_sorted = np.sort(end)
        self._start = start

    def overlapping(self, d0: int, d1: int) -> int:
        """How many items overlap the days [d0, d1] (``start`` is sorted)."""
        hi = int(np.searchsorted(self._start, d1, side="right"))
        return hi - int(np.searchsorted(self._end_sorted, d0, side="left"))

    def counts(self, n_lanes: int, mid2_edges: np.ndarray) -> np.ndarray:
        """Items per lane whose ``start + end + 1`` falls between consecutive edges: (n_lanes, len - 1)."""
        edges = np.clip(np.ceil(mid2_edges - self._lo), 0, self._span).astype(np.int64)
        q = np.arange(n_lanes, dtype=np.int64)[:, None] * self._span + edges[None, :]
        return np.diff(np.searchsorted(self._keys, q.ravel()).reshape(n_lanes, -1), axis=1)


class _Rows:
    """What Marks and LegBars share: rowids always, text ids only when loaded in bulk (small tables).

    A million text ids cost seconds to read and a dict over them another second, so large tables carry only
    integer rowids; ``id_at`` and ``positions_of`` go to the case for the few ids a click or a test needs.
    """

    table: str
    ids: np.ndarray | None
    rowids: np.ndarray

    def _init_rows(self) -> None:
        if self.rowids is None:  # built by hand (tests): positions stand in for rowids
            self.rowids = np.arange(1, len(self.start) + 1, dtype=np.int64)
        self._rowid_index: RowidIndex | None = None
        self._id_index: IdIndex | None = None
        self._density_index: DensityIndex | None = None

    def __len__(self) -> int:
        return len(self.start)

    def prepare(self) -> None:
        """Build the lookup structures now (on the loader's thread) rather than on the first frame."""
        _ = self.rowid_index, self.density_index

    @property
    def density_index(self) -> DensityIndex:
        if self._density_index is None:
            self._density_index = DensityIndex(self.start, self.end, self.lane)
        return self._density_index

    @property
    def rowid_index(self) -> RowidIndex:
        if self._rowid_index is None:
            self._rowid_index = RowidIndex(self.rowids)
        return self._rowid_index

    @property
    def index(self) -> IdIndex:
        """Text id -> position; only for marks loaded with their ids (small cases, tests)."""
        if self.ids is None:
            raise LookupError(f"{self.table}: text ids were not loaded in bulk; use positions_of()")
        if self._id_index is None:
            self._id_index = IdIndex(self.ids)
        return self._id_index

    def id_at(self, i: int, conn: sqlite3.Connection | None) -> str | None:
        """Text id of the item at position ``i`` (read from the case when not loaded in bulk)."""
        if self.ids is not None:
            return str(self.ids[i])
        if conn is None:
            return None
        row = conn.execute(f"SELECT id FROM {self.table} WHERE rowid = ?", [int(self.rowids[i])]).fetchone()
        return None if row is None else row[0]

    def ids_at(self, positions: np.ndarray, conn: sqlite3.Connection | None) -> set[str]:
        if self.ids is not None:
            return set(self.ids[positions].tolist())
        if conn is None or not len(positions):
            return set()
        wanted = json.dumps(self.rowids[positions].tolist())
        sql = f"SELECT id FROM {self.table} WHERE rowid IN (SELECT value FROM json_each(?))"
        return {r[0] for r in conn.execute(sql, [wanted])}

    def positions_of(self, ids: Iterable[str], conn: sqlite3.Connection | None) -> np.ndarray:
        """Positions of the given text ids (absent ones skipped): a dict lookup, or one set-based query."""
        if self.ids is not None:
            return self.index.positions(ids)
        if conn is None:
            return np.zeros(0, dtype=np.int64)
        wanted = json.dumps(list(ids))
        sql = f"SELECT rowid FROM {self.table} WHERE id IN (SELECT value FROM json_each(?))"
        rowids = np.array([r[0] for r in conn.execute(sql, [wanted])], dtype=np.int64)
        return self.rowid_index.positions(rowids)

    def get(self, row_id: str, conn: sqlite3.Connection | None) -> int | None:
        pos = self.positions_of([row_id], conn)
        return int(pos[0]) if len(pos) else None


@dataclass(eq=False)
class Marks(_Rows):
    """Dated items of one table (events, statements, shipments), sorted by start day."""

    table: str
    ids: np.ndarray | None  # object array of str, or None when not loaded in bulk
    start: np.ndarray  # int32 first day (days since 1970-01-01)
    end: np.ndarray  # int32 last day, inclusive
    fuzzy: np.ndarray  # bool: approximate, uncertain, or month/year precision
    lane: np.ndarray  # int32 index into TimelineData.lanes
    rowids: np.ndarray = None  # type: ignore[assignment]  # int64 SQLite rowids
    labels: np.ndarray | None = None  # object array of short texts for the chart, when loaded in bulk
    cites: np.ndarray | None = None  # int32 citations per item, when loaded in bulk

    def __post_init__(self) -> None:
        self._init_rows()


@dataclass(eq=False)
class LegBars(_Rows):
    """Shipment legs as bars from the earliest possible departure to the latest possible arrival.

    ``depart_end`` and ``arrive_start`` bound the part of the bar where the leg is certainly under way; the
    rest is uncertainty about when it left or arrived (drawn softer). Sorted by ``start``.
    """

    ids: np.ndarray | None  # object array of str, or None when not loaded in bulk
    start: np.ndarray  # int32
    depart_end: np.ndarray  # int32
    arrive_start: np.ndarray  # int32
    end: np.ndarray  # int32
    mode: np.ndarray  # int8 index into LEG_MODES
    fuzzy: np.ndarray  # bool: either end approximate or coarser than a day
    lane: np.ndarray  # int32
    rowids: np.ndarray = None  # type: ignore[assignment]
    table: str = "legs"
    labels: np.ndarray | None = None  # see Marks
    cites: np.ndarray | None = None

    def __post_init__(self) -> None:
        self._init_rows()


@dataclass
class UnknownItem:
    table: str
    id: str
    label: str


@dataclass
class TimelineData:
    events: Marks
    legs: LegBars
    statements: Marks
    shipments: Marks  # shipments with a date of their own, drawn as a faint band behind their legs
    lanes: list[Lane]
    unknown: list[UnknownItem]  # at most UNKNOWN_LIST_LIMIT, titles for the list
    unknown_counts: dict[str, int]  # per table, all of them

    @property
    def unknown_total(self) -> int:
        return sum(self.unknown_counts.values())

    def span(self) -> tuple[int, int] | None:
        """First and last day of anything dated, or None for an empty timeline."""
        lo, hi = [], []
        for arr_lo, arr_hi in (
            (self.events.start, self.events.end),
            (self.legs.start, self.legs.end),
            (self.statements.start, self.statements.end),
            (self.shipments.start, self.shipments.end),
        ):
            if len(arr_lo):
                lo.append(int(arr_lo.min()))
                hi.append(int(arr_hi.max()))
        return (min(lo), max(hi)) if lo else None

    def marks(self, table: str) -> Marks | LegBars:
        return {
            "events": self.events,
            "legs": self.legs,
            "statements": self.statements,
            "shipments": self.shipments,
        }[table]


# -- reading ---------------------------------------------------------------------------------------------------
def _columns(rows: Iterable[tuple], dtypes: list[tuple[str, object]]) -> np.ndarray:
    """Rows straight into a structured array (no intermediate list of tuples)."""
    return np.fromiter(rows, dtype=np.dtype(dtypes))


def _lane_keys(conn: sqlite3.Connection, table: str, label_col: str, rowids: np.ndarray) -> dict[int, tuple]:
    """(id, label) for the given rowids of a small table (shipments or actors)."""
    out: dict[int, tuple] = {}
    wanted = [int(r) for r in rowids if r > 0]
    for i in range(0, len(wanted), 900):
        chunk = wanted[i : i + 900]
        marks = ",".join("?" * len(chunk))
        for rowid, row_id, label in conn.execute(
            f"SELECT rowid, id, {label_col} FROM {table} WHERE rowid IN ({marks})", chunk
        ):
            out[rowid] = (values.text_or_none(row_id), values.text(label, values.UNREADABLE))
    return out


def _rank_lanes(
    owner: np.ndarray, first_day: np.ndarray, max_lanes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick the busiest owners (rowids > 0) for their own lanes.

    Returns (kept owner rowids in display order, their counts, position per item: 0..k-1 for kept lanes,
    k for "other", -1 for no owner).
    """
    has = owner > 0
    uniq, inv, counts = np.unique(owner[has], return_inverse=True, return_counts=True)
    pos = np.full(len(owner), -1, dtype=np.int32)
    if len(uniq) == 0:
        return uniq, counts, pos
    order = np.argsort(-counts, kind="stable")[:max_lanes]
    # earliest day per kept owner, so lanes read top to bottom in the order things happened
    first = np.full(len(uniq), np.iinfo(np.int64).max)
    np.minimum.at(first, inv, first_day[has].astype(np.int64))
    order = order[np.lexsort((order, first[order]))]
    rank = np.full(len(uniq), len(order), dtype=np.int32)  # len(order) = "other"
    rank[order] = np.arange(len(order), dtype=np.int32)
    pos[has] = rank[inv]
    return uniq[order], counts[order], pos


def _sorted(arrs: dict[str, np.ndarray], key: str) -> dict[str, np.ndarray]:
    order = np.argsort(arrs[key], kind="stable")
    return {k: v[order] for k, v in arrs.items()}


def _shorten(text: str, n: int = 40) -> str:
    text = " ".join(values.text(text, values.UNREADABLE).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def _packed(conn: sqlite3.Connection, cols: list[tuple[str, str]], source: str) -> list[np.ndarray]:
    """Integer columns of many rows as numpy arrays without a Python object per row.

    Each column is one ``group_concat`` (a single comma-separated string that ``np.fromstring`` parses in C):
    several times faster than fetching a tuple per row. The aggregates of one query step through the same rows
    together, so the columns stay aligned; no expression may be NULL (group_concat skips NULLs), so callers
    coalesce. ``cols`` are (SQL expression, numpy dtype). A column's text may reach SQLite's 1 GB string
    limit at roughly 100M rows.
    """
    # CAST: a file from elsewhere may hold text or a blob in an integer column; it must not shift the columns
    aggs = ", ".join(f"group_concat(CAST(({expr}) AS INTEGER))" for expr, _ in cols)
    row = conn.execute(f"SELECT {aggs} FROM {source}").fetchone()
    return [
        np.fromstring(text or "", dtype=np.int64, sep=",").astype(dtype)
        for text, (_, dtype) in zip(row, cols, strict=True)
    ]


def _flag(n: int, index: RowidIndex, rowids: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[index.positions(rowids)] = True
    return out


def _text_ids(conn: sqlite3.Connection, table: str, rowids: np.ndarray, limit: int) -> np.ndarray | None:
    """Text ids parallel to ``rowids`` when there are at most ``limit`` of them (see ``_Rows``)."""
    if len(rowids) > limit:
        return None
    got = dict(conn.execute(f"SELECT rowid, id FROM {table}"))
    return np.array([got[r] for r in rowids.tolist()], dtype=object)


#: Tables with at most this many dated rows also get their text ids in bulk (see ``_Rows``).
BULK_IDS = 60_000

#: How each kind of mark is labelled on the chart: (rowid, short text, citations) per row.
_LABEL_SQL = {
    # substr: a label needs its first words only, and a statement may be megabytes long
    "events": "SELECT e.rowid, substr(e.title, 1, 200), {cites} FROM events e",
    "statements": "SELECT e.rowid, substr(e.text, 1, 200), {cites} FROM statements e",
    "legs": (
        "SELECT e.rowid, coalesce(f.name, '?') || ' \u2192 ' || coalesce(t.name, '?'), {cites} FROM legs e "
        "LEFT JOIN places f ON f.id = e.from_place_id LEFT JOIN places t ON t.id = e.to_place_id"
    ),
    "shipments": "SELECT e.rowid, coalesce(nullif(e.title, ''), e.cargo), {cites} FROM shipments e",
}
LABEL_CHARS = 34  # a chart label is at most this long (full text on hover)


def mark_labels(
    conn: sqlite3.Connection, table: str, rowids: np.ndarray | None = None
) -> dict[int, tuple[str, int]]:
    """rowid -> (short chart label, number of citations) for ``rowids`` (all rows when None)."""
    cites = f"(SELECT count(*) FROM citations c WHERE c.subject_table = '{table}' AND c.subject_id = e.id)"
    sql = _LABEL_SQL[table].format(cites=cites)
    params: list = []
    if rowids is not None:
        sql += " WHERE e.rowid IN (SELECT value FROM json_each(?))"
        params.append(json.dumps([int(r) for r in rowids.tolist()]))
    return {r[0]: (_shorten(r[1] or "", LABEL_CHARS), int(r[2])) for r in conn.execute(sql, params)}


def _bulk_labels(
    conn: sqlite3.Connection, table: str, rowids: np.ndarray, limit: int
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Labels and citation counts parallel to ``rowids`` when there are at most ``limit`` of them."""
    if len(rowids) > limit:
        return None, None
    got = mark_labels(conn, table)
    rows = [got.get(r, ("", 0)) for r in rowids.tolist()]
    return (
        np.array([r[0] for r in rows], dtype=object),
        np.array([r[1] for r in rows], dtype=np.int32),
    )


def _owner_of(conn: sqlite3.Connection, index: RowidIndex, sql: str) -> np.ndarray:
    """Owner rowid (shipment, speaker) per item from a join over a covering index, 0 for none.

    Only the items that have an owner come back, and without touching the big table's rows.
    """
    item, owner = _packed(conn, [("a", "i8"), ("b", "i8")], f"({sql})")
    out = np.zeros(len(index), dtype=np.int64)
    pos = index.lookup(item)
    ok = pos >= 0  # items the caller dropped (undated) are skipped
    out[pos[ok]] = owner[ok]
    return out


def timeline_data(
    conn: sqlite3.Connection, *, max_lanes: int = DEFAULT_MAX_LANES, bulk_ids: int = BULK_IDS
) -> TimelineData:
    """Everything the timeline draws, as arrays; items without dates are counted and listed separately.

    Lanes: one "Events" lane for events that belong to no shipment, a lane per shipment (its legs and its
    events), a lane per speaker (their statements). With many shipments or speakers only the ``max_lanes``
    busiest of each get a lane; the rest share an "Other shipments" / "Other speakers" lane.

    Only integers are read: events' rowids and days come from the covering ``events_date`` index, fuzzy flags
    and owners (shipment, speaker) from separate narrow queries that return only the rows that have them.
    """
    # events: the bulk of a large case
    ev_cols = [("rowid", "i8"), ("date_start", "i4"), ("coalesce(date_end, date_start)", "i4")]
    try:  # the planner scans the table for IS NOT NULL; the covering index is a tenth of the bytes
        ev_rowid, ev_start, ev_end = _packed(
            conn, ev_cols, "events INDEXED BY events_date WHERE date_start IS NOT NULL"
        )
    except sqlite3.OperationalError:  # a file without the index
        ev_rowid, ev_start, ev_end = _packed(conn, ev_cols, "events WHERE date_start IS NOT NULL")
    ev_index = RowidIndex(ev_rowid)
    (ev_fz,) = _packed(
        conn, [("rowid", "i8")], f"events WHERE date_start IS NOT NULL AND {fuzzy_sql('date')}"
    )
    ev_fuzzy = _flag(len(ev_rowid), ev_index, ev_fz)
    ev_owner = _owner_of(
        conn,
        ev_index,
        "SELECT e.rowid AS a, s.rowid AS b FROM shipments s JOIN events e ON e.shipment_id = s.id",
    )
    ev = {"rowid": ev_rowid, "start": ev_start, "end": ev_end, "fuzzy": ev_fuzzy, "owner": ev_owner}

    mode_case = " ".join(f"WHEN '{m}' THEN {i}" for i, m in enumerate(LEG_MODES))
    cols = _packed(
        conn,
        [
            ("l.rowid", "i8"),
            (f"coalesce(l.depart_start, l.arrive_start, {NO_DAY})", "i4"),
            (f"coalesce(l.depart_end, l.depart_start, l.arrive_start, {NO_DAY})", "i4"),
            (f"coalesce(l.arrive_start, l.depart_end, {NO_DAY})", "i4"),
            (f"coalesce(l.arrive_end, l.arrive_start, l.depart_end, {NO_DAY})", "i4"),
            (f"CASE l.mode {mode_case} ELSE {len(LEG_MODES) - 1} END", "i1"),
            (f"({fuzzy_sql('l.depart')} OR {fuzzy_sql('l.arrive')})", "i1"),
            ("coalesce(s.rowid, 0)", "i8"),
        ],
        "legs l LEFT JOIN shipments s ON s.id = l.shipment_id",
    )
    lg = dict(
        zip(
            ("rowid", "start", "depart_end", "arrive_start", "end", "mode", "fuzzy", "owner"),
            cols,
            strict=True,
        )
    )
    lg["fuzzy"] = lg["fuzzy"].astype(bool)
    sh = dict(
        zip(
            ("rowid", "start", "end", "fuzzy"),
            _packed(
                conn,
                [
                    ("rowid", "i8"),
                    (f"coalesce(date_start, {NO_DAY})", "i4"),
                    (f"coalesce(date_end, date_start, {NO_DAY})", "i4"),
                    (fuzzy_sql("date"), "i1"),
                ],
                "shipments",
            ),
            strict=True,
        )
    )
    sh["fuzzy"] = sh["fuzzy"].astype(bool)
    sh["owner"] = sh["rowid"]
    st = dict(
        zip(
            ("rowid", "start", "end", "fuzzy"),
            _packed(
                conn,
                [
                    ("rowid", "i8"),
                    (f"coalesce(said_start, {NO_DAY})", "i4"),
                    (f"coalesce(said_end, said_start, {NO_DAY})", "i4"),
                    (fuzzy_sql("said"), "i1"),
                ],
                "statements",
            ),
            strict=True,
        )
    )
    st["owner"] = _owner_of(
        conn,
        RowidIndex(st["rowid"]),
        "SELECT t.rowid AS a, a.rowid AS b FROM actors a JOIN statements t ON t.speaker_id = a.id",
    )
    st["fuzzy"] = st["fuzzy"].astype(bool)

    def keep(arrs: dict[str, np.ndarray], ok: np.ndarray) -> dict[str, np.ndarray]:
        return {k: v[ok] for k, v in arrs.items()}

    unknown_counts = {
        "events": int(conn.execute("SELECT count(*) FROM events WHERE date_start IS NULL").fetchone()[0]),
        "legs": int((lg["start"] == NO_DAY).sum()),
        "statements": int((st["start"] == NO_DAY).sum()),
    }
    lg = keep(lg, lg["start"] != NO_DAY)
    st = keep(st, st["start"] != NO_DAY)
    # A shipment is on the timeline through its own date or through dated legs/events; one with neither is
    # listed as undated.
    drawn_ships = np.union1d(np.union1d(lg["owner"], ev["owner"]), sh["owner"][sh["start"] != NO_DAY])
    undated_ships = sh["rowid"][~np.isin(sh["owner"], drawn_ships)]
    unknown_counts["shipments"] = len(undated_ships)
    sh = keep(sh, sh["start"] != NO_DAY)

    # Shipment lanes rank shipments by legs + events + their own date together.
    ship_owner = np.concatenate([lg["owner"], ev["owner"], sh["owner"]])
    ship_first = np.concatenate([lg["start"], ev["start"], sh["start"]])
    ships, ship_counts, ship_pos = _rank_lanes(ship_owner, ship_first, max_lanes)
    speakers, speaker_counts, speaker_pos = _rank_lanes(st["owner"], st["start"], max_lanes)
    n_other_ship = int((ship_pos == len(ships)).sum())
    n_other_speaker = int((speaker_pos == len(speakers)).sum())

    lanes: list[Lane] = []
    lg_pos = ship_pos[: len(lg["rowid"])]
    ev_pos = ship_pos[len(lg["rowid"]) : len(lg["rowid"]) + len(ev["rowid"])]
    sh_pos = ship_pos[len(lg["rowid"]) + len(ev["rowid"]) :]
    n_loose_events = int((ev_pos < 0).sum())
    if n_loose_events or (not len(ships) and not len(speakers)):
        lanes.append(Lane("Events", "events", None, n_loose_events))
    base_ship = len(lanes)
    ship_info = _lane_keys(conn, "shipments", "coalesce(nullif(title, ''), cargo)", ships)
    for rowid, count in zip(ships.tolist(), ship_counts.tolist(), strict=True):
        sid, label = ship_info.get(rowid, (None, "Shipment"))
        lanes.append(Lane(" ".join(label.split()), "shipments", sid, count))
    if n_other_ship:
        lanes.append(Lane(f"Other shipments ({n_other_ship:,})", "shipments", None, n_other_ship))
    base_speaker = len(lanes)
    speaker_info = _lane_keys(conn, "actors", "name", speakers)
    for rowid, count in zip(speakers.tolist(), speaker_counts.tolist(), strict=True):
        aid, label = speaker_info.get(rowid, (None, "Speaker"))
        lanes.append(Lane(" ".join(label.split()), "speakers", aid, count))
    n_no_speaker = int((speaker_pos < 0).sum())
    if n_other_speaker:
        lanes.append(Lane(f"Other speakers ({n_other_speaker:,})", "speakers", None, n_other_speaker))
    if n_no_speaker:
        lanes.append(Lane("Unknown speaker", "speakers", None, n_no_speaker))
    no_speaker_lane = len(lanes) - 1

    # events without a shipment go to lane 0 ("Events"); shipment positions are offset past it
    ev["lane"] = np.where(ev_pos < 0, 0, ev_pos + base_ship).astype(np.int32)
    lg["lane"] = np.where(lg_pos < 0, base_ship, lg_pos + base_ship).astype(np.int32)
    sh["lane"] = (sh_pos + base_ship).astype(np.int32)
    st["lane"] = np.where(speaker_pos < 0, no_speaker_lane, speaker_pos + base_speaker).astype(np.int32)
    lg["end"] = np.maximum(lg["end"], lg["start"])

    def marks(table: str, arrs: dict[str, np.ndarray]) -> Marks:
        a = _sorted(arrs, "start")
        ids = _text_ids(conn, table, a["rowid"], bulk_ids)
        labels, cites = _bulk_labels(conn, table, a["rowid"], bulk_ids)
        return Marks(
            table,
            ids,
            a["start"],
            a["end"],
            a["fuzzy"],
            a["lane"],
            rowids=a["rowid"],
            labels=labels,
            cites=cites,
        )

    g = _sorted(lg, "start")
    leg_labels, leg_cites = _bulk_labels(conn, "legs", g["rowid"], bulk_ids)
    return TimelineData(
        events=marks("events", ev),
        legs=LegBars(
            _text_ids(conn, "legs", g["rowid"], bulk_ids),
            g["start"],
            g["depart_end"],
            g["arrive_start"],
            g["end"],
            g["mode"],
            g["fuzzy"],
            g["lane"],
            rowids=g["rowid"],
            labels=leg_labels,
            cites=leg_cites,
        ),
        statements=marks("statements", st),
        shipments=marks("shipments", sh),
        lanes=lanes,
        unknown=_unknown_items(conn, undated_ships.tolist()),
        unknown_counts=unknown_counts,
    )


def _unknown_items(conn: sqlite3.Connection, ships: list[int]) -> list[UnknownItem]:
    """Titles of the first undated items, for the "no date" list (the counts come from the bulk arrays)."""
    items: list[UnknownItem] = []
    for rowid in ships[:UNKNOWN_LIST_LIMIT]:
        row = conn.execute(
            "SELECT id, coalesce(nullif(title, ''), cargo) FROM shipments WHERE rowid = ?", [rowid]
        ).fetchone()
        if row:
            items.append(UnknownItem("shipments", row[0], _shorten(row[1], 70)))
    rows = conn.execute(
        "SELECT 'events', id, title FROM events WHERE date_start IS NULL "
        "UNION ALL SELECT 'legs', l.id, coalesce(f.name, '?') || ' \u2192 ' || coalesce(t.name, '?') || "
        "' (' || l.mode || ')' FROM legs l LEFT JOIN places f ON f.id = l.from_place_id "
        "LEFT JOIN places t ON t.id = l.to_place_id "
        "WHERE l.depart_start IS NULL AND l.arrive_start IS NULL "
        "UNION ALL SELECT 'statements', id, text FROM statements WHERE said_start IS NULL "
        f"LIMIT {UNKNOWN_LIST_LIMIT}"
    ).fetchall()
    items += [UnknownItem(t, i, _shorten(label or "", 70)) for t, i, label in rows]
    return items[:UNKNOWN_LIST_LIMIT]


# -- map ---------------------------------------------------------------------------------------------------------
PRECISION_CODES = {p: i for i, p in enumerate(PLACE_PRECISIONS)}


@dataclass
class MapData:
    """Places with coordinates and the legs between them, as parallel arrays."""

    place_ids: np.ndarray  # object array of str
    lon: np.ndarray  # float64
    lat: np.ndarray  # float64
    precision: np.ndarray  # int8 index into PLACE_PRECISIONS
    names: np.ndarray  # object array of str
    weight: np.ndarray  # int64: legs touching + events there, for choosing which labels to show
    leg_ids: np.ndarray  # object array of str
    leg_from: np.ndarray  # int64 index into places
    leg_to: np.ndarray  # int64 index into places
    leg_mode: np.ndarray  # int8 index into LEG_MODES
    unplaced_places: int  # places without coordinates
    unplaced_legs: int  # legs with an end that has no coordinates
    place_index: IdIndex = field(init=False, repr=False)
    leg_index: IdIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.place_index = IdIndex(self.place_ids)
        self.leg_index = IdIndex(self.leg_ids)

    @property
    def leg_lon(self) -> tuple[np.ndarray, np.ndarray]:
        return self.lon[self.leg_from], self.lon[self.leg_to]

    @property
    def leg_lat(self) -> tuple[np.ndarray, np.ndarray]:
        return self.lat[self.leg_from], self.lat[self.leg_to]

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(lon_min, lon_max, lat_min, lat_max) of all places, or None without any."""
        if not len(self.lon):
            return None
        return float(self.lon.min()), float(self.lon.max()), float(self.lat.min()), float(self.lat.max())


def map_data(conn: sqlite3.Connection) -> MapData:
    """Places and legs for the map sketch; legs whose ends have no coordinates are counted, not drawn."""
    prec_case = " ".join(f"WHEN '{p}' THEN {i}" for p, i in PRECISION_CODES.items())
    pl = _columns(
        conn.execute(
            f"SELECT id, lon, lat, CASE precision {prec_case} ELSE 0 END, name, rowid FROM places "
            "WHERE lon IS NOT NULL AND lat IS NOT NULL"
        ),
        [
            ("id", object),
            ("lon", np.float64),
            ("lat", np.float64),
            ("precision", np.int8),
            ("name", object),
            ("rowid", np.int64),
        ],
    )
    unplaced_places = conn.execute("SELECT count(*) FROM places WHERE lon IS NULL OR lat IS NULL").fetchone()[
        0
    ]
    mode_case = " ".join(f"WHEN '{m}' THEN {i}" for i, m in enumerate(LEG_MODES))
    lg = _columns(
        conn.execute(
            f"SELECT l.id, coalesce(f.rowid, 0), coalesce(t.rowid, 0), "
            f"CASE l.mode {mode_case} ELSE {len(LEG_MODES) - 1} END "
            "FROM legs l LEFT JOIN places f ON f.id = l.from_place_id AND f.lon IS NOT NULL "
            "LEFT JOIN places t ON t.id = l.to_place_id AND t.lon IS NOT NULL"
        ),
        [("id", object), ("from", np.int64), ("to", np.int64), ("mode", np.int8)],
    )
    # place rowid -> position in the place arrays
    rowids = pl["rowid"]
    order = np.argsort(rowids)
    sorted_rowids = rowids[order]

    def pos_of(r: np.ndarray) -> np.ndarray:
        if not len(sorted_rowids):
            return np.full(len(r), -1, dtype=np.int64)
        i = np.clip(np.searchsorted(sorted_rowids, r), 0, len(sorted_rowids) - 1)
        return np.where(sorted_rowids[i] == r, order[i], -1)

    f = pos_of(lg["from"])
    t = pos_of(lg["to"])
    ok = (f >= 0) & (t >= 0)
    weight = np.bincount(f[ok], minlength=len(pl)) + np.bincount(t[ok], minlength=len(pl))
    for place_id, n in conn.execute(
        "SELECT p.rowid, count(*) FROM events e JOIN places p ON p.id = e.place_id GROUP BY e.place_id"
    ):
        hit = pos_of(np.array([place_id]))[0]
        if hit >= 0:
            weight[hit] += n
    return MapData(
        place_ids=pl["id"],
        lon=pl["lon"],
        lat=pl["lat"],
        precision=pl["precision"],
        names=pl["name"],
        weight=weight.astype(np.int64),
        leg_ids=lg["id"][ok],
        leg_from=f[ok],
        leg_to=t[ok],
        leg_mode=lg["mode"][ok],
        unplaced_places=int(unplaced_places),
        unplaced_legs=int((~ok).sum()),
    )
