"""Case health: which facts a reader could not check, and what else weakens the case.

Every function takes a plain ``sqlite3.Connection`` so the window can run it on a worker's read-only
connection. ``counts`` is cheap (one aggregate per check) and comes first; ``report`` lists the items too, at most
``limit`` per check, each as (table, id) so a row can select its item in every panel.

The rules, as a reader should understand them:

- A **fact** is a row of a citable table (actors, places, shipments, legs, events, statements, and any table
  added to ``schema.CITABLE`` later). It is **sourced** when a citation points at it; a statement is also sourced
  by its own source.
- **One source only**: every source it rests on leads back, through "known through", to the same source. A fact
  cited to a briefing and to the news report the briefing is known through rests on one source.
- **Weak sources only**: every citation is graded below C (D, E or F) or has credibility 4-6.
- **Different dates**: two or more events with the same title (ignoring case and spacing), or two or more legs of
  one shipment with the same origin, destination and mode, whose dates do not overlap, and which between them cite
  at least two different sources. (When sources disagree on a date, the case holds one entry per version.)
- **Likely duplicate actors**: same kind and the same name or alias after folding case, accents and punctuation
  ("D.P.R.K." = "DPRK"), or the same IMO number whatever the kind.
- **Sources never cited**: no citation and no statement names them.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from caseboard.db import schema
from caseboard.db import values as cell
from caseboard.db.dates import PartialDate

#: What each check is called, in the order a report lists them.
CHECKS: dict[str, str] = {
    "unsourced": "Facts with no citation",
    "single_source": "Facts resting on one source only",
    "weak_sources": "Facts whose sources are all graded below C or credibility 4–6",
    "statement_gaps": "Statements missing their speaker or date",
    "date_conflicts": "Same event or leg given different dates by different sources",
    "no_coordinates": "Places without coordinates",
    "duplicate_actors": "Actors that look like duplicates",
    "uncited_sources": "Sources never cited",
    "unreadable_values": "Items holding a value Caseboard cannot read",
}

WEAK_RELIABILITY = ("D", "E", "F")
WEAK_CREDIBILITY = (4, 5, 6)

SINGULAR = schema.NOUN


@dataclass
class Finding:
    """One item a check found: what to select, how to name it, and why it is listed."""

    check: str
    table: str
    row_id: str
    label: str = ""
    detail: str = ""


@dataclass
class CheckResult:
    key: str
    title: str
    count: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return len(self.findings) < self.count


@dataclass
class Health:
    facts: dict[str, int]  # table -> number of facts
    unsourced: dict[str, int]  # table -> number with no citation
    checks: list[CheckResult]

    @property
    def total(self) -> int:
        return sum(self.facts.values())

    @property
    def sourced(self) -> int:
        return self.total - sum(self.unsourced.values())

    def check(self, key: str) -> CheckResult:
        return next(c for c in self.checks if c.key == key)

    def score_line(self) -> str:
        """The one line for the status bar: "412 of 500 facts sourced"."""
        return f"{self.sourced:,} of {self.total:,} facts sourced"

    def as_dict(self) -> dict:
        return {
            "facts": {
                "total": self.total,
                "sourced": self.sourced,
                "unsourced": sum(self.unsourced.values()),
                "by_table": {
                    t: {"total": n, "unsourced": self.unsourced.get(t, 0)} for t, n in self.facts.items()
                },
            },
            "checks": [
                {
                    "key": c.key,
                    "title": c.title,
                    "count": c.count,
                    "listed": len(c.findings),
                    "items": [{k: v for k, v in asdict(f).items() if k != "check"} for f in c.findings],
                }
                for c in self.checks
            ],
        }


def fact_tables(conn: sqlite3.Connection) -> list[str]:
    """The citable tables this file has (a newer schema may add some)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [t for t in schema.CITABLE if t in have]


# -- SQL per check ------------------------------------------------------------------------------------------------
# Each builder returns (sql selecting the ids found, params). ``counts`` wraps it in count(*); ``report`` adds
# LIMIT. Statements count their own source as one of their sources.


def _unsourced_sql(table: str) -> tuple[str, list]:
    extra = " AND x.source_id IS NULL" if table == "statements" else ""
    return (
        f"SELECT x.id FROM {table} x WHERE NOT EXISTS (SELECT 1 FROM citations c "
        f"WHERE c.subject_table = ? AND c.subject_id = x.id){extra}",
        [table],
    )


def _source_links(table: str) -> str:
    """(fact id, source id, credibility) for every source a fact rests on."""
    sql = f"SELECT subject_id AS id, source_id, credibility FROM citations WHERE subject_table = '{table}'"
    if table == "statements":
        sql += " UNION ALL SELECT id, source_id, NULL FROM statements WHERE source_id IS NOT NULL"
    return sql


def source_roots(conn: sqlite3.Connection) -> dict[str, str]:
    """Each source -> the source it is ultimately known through (itself when it stands alone)."""
    via = dict(conn.execute("SELECT id, via_id FROM sources"))
    roots: dict[str, str] = {}
    for sid in via:
        seen = [sid]
        cur = sid
        while via.get(cur) and via[cur] not in seen:
            cur = via[cur]
            seen.append(cur)
        roots[sid] = cur
    return roots


def _single_source_sql(table: str, roots: dict[str, str]) -> tuple[str, list]:
    """Facts whose sources all lead back to one. Only sources known through another are mapped (usually a
    handful), and the LEFT JOIN keeps the citations the outer loop, so this stays one pass over the citations."""
    through = {sid: root for sid, root in roots.items() if sid != root}
    return (
        f"WITH root AS (SELECT key AS id, value AS root FROM json_each(?)) "
        f"SELECT l.id FROM ({_source_links(table)}) l LEFT JOIN root r ON r.id = l.source_id "
        f"GROUP BY l.id HAVING count(DISTINCT coalesce(r.root, l.source_id)) = 1",
        [json.dumps(through)],
    )


def _weak_sql(table: str) -> tuple[str, list]:
    rel = ", ".join(f"'{g}'" for g in WEAK_RELIABILITY)
    cred = ", ".join(str(g) for g in WEAK_CREDIBILITY)
    return (
        f"SELECT l.id FROM ({_source_links(table)}) l JOIN sources s ON s.id = l.source_id GROUP BY l.id "
        f"HAVING min(s.reliability IN ({rel}) OR coalesce(l.credibility IN ({cred}), 0)) = 1",
        [],
    )


_STATEMENT_GAPS = "SELECT id FROM statements WHERE speaker_id IS NULL OR said IS NULL"
_NO_COORDINATES = "SELECT id FROM places WHERE lat IS NULL OR lon IS NULL"
_UNCITED_SOURCES = (
    "SELECT s.id FROM sources s WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.source_id = s.id) "
    "AND NOT EXISTS (SELECT 1 FROM statements st WHERE st.source_id = s.id)"
)

#: (table, grouping key, date columns) for the different-dates check.
_CONFLICT_GROUPS = (
    ("events", "lower(trim(replace(replace(replace(title, '   ', ' '), '  ', ' '), '  ', ' ')))", ("date",)),
    (
        "legs",
        "shipment_id || '|' || coalesce(from_place_id, '') || '|' || coalesce(to_place_id, '') || '|' || mode",
        ("depart", "arrive"),
    ),
)


def _conflict_keys_sql(table: str, key: str, dates: tuple[str, ...]) -> str:
    """Group keys whose dates do not all overlap (a set of spans has a disjoint pair iff max start > min end)."""
    disjoint = " OR ".join(f"max({d}_start) > min({d}_end)" for d in dates)
    return (
        f"SELECT k FROM (SELECT {key} AS k, id FROM {table}) g "
        f"JOIN citations c ON c.subject_table = '{table}' AND c.subject_id = g.id "
        f"WHERE k IN (SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1 AND ({disjoint})) "
        f"GROUP BY k HAVING count(DISTINCT c.source_id) >= 2"
    )


def _conflict_members_sql(table: str, key: str, dates: tuple[str, ...]) -> str:
    return f"SELECT id FROM {table} WHERE {key} IN ({_conflict_keys_sql(table, key, dates)})"


# -- duplicate actors (in Python: folding accents and punctuation is not SQL's strength) -------------------------


def fold(name: str) -> str:
    """A name reduced to what tells names apart: "D.P.R.K." and "dprk" fold alike."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[.\u2019'`]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _vessel_name(folded: str) -> str:
    """A ship's name without its type prefix: "M/V Sea Star" and "Sea Star" are one name."""
    return re.sub(r"^(m ?[vts]|ss|mts|mss)\s+", "", folded)


def duplicate_actor_groups(conn: sqlite3.Connection) -> list[tuple[list[str], str]]:
    """Groups of actor ids that look like one actor, each with what they share (in words)."""
    parent: dict[str, str] = {}
    why: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for aid, name, kind, aliases, imo in conn.execute("SELECT id, name, kind, aliases, imo FROM actors"):
        find(aid)
        keys = [
            (f"{kind}|{_vessel_name(fold(n)) if kind == 'vessel' else fold(n)}", f"same name or alias “{n}”")
            for n in [cell.text(name), *cell.string_list(aliases)]
        ]
        if imo:
            keys.append((f"imo|{imo}", f"same IMO number {imo}"))
        for key, words in keys:
            if key.endswith("|"):
                continue
            other = owner.setdefault(key, aid)
            if other != aid and find(other) != find(aid):
                parent[find(aid)] = find(other)
                why.setdefault(aid, words)
                why.setdefault(other, words)
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in parent:
        groups[find(aid)].append(aid)
    out = []
    for members in groups.values():
        if len(members) > 1:
            shared = sorted({why[m] for m in members if m in why})
            out.append((sorted(members), "; ".join(shared)))
    return out


# -- labels -------------------------------------------------------------------------------------------------------

_LABEL_SQL = {
    "actors": "SELECT id, name FROM actors WHERE id IN ({})",
    "places": "SELECT id, name FROM places WHERE id IN ({})",
    "shipments": "SELECT id, coalesce(nullif(title, ''), cargo) FROM shipments WHERE id IN ({})",
    "legs": (
        "SELECT l.id, coalesce(nullif(sh.title, ''), sh.cargo) || ', leg ' || (l.seq + 1) || ': ' || "
        "coalesce(f.name, '?') || ' → ' || coalesce(t.name, '?') FROM legs l "
        "JOIN shipments sh ON sh.id = l.shipment_id LEFT JOIN places f ON f.id = l.from_place_id "
        "LEFT JOIN places t ON t.id = l.to_place_id WHERE l.id IN ({})"
    ),
    "events": "SELECT id, title FROM events WHERE id IN ({})",
    "statements": (
        "SELECT s.id, coalesce(a.name, 'Unknown speaker') || ': “' || substr(s.text, 1, 70) || "
        "CASE WHEN length(s.text) > 70 THEN '…”' ELSE '”' END "
        "FROM statements s LEFT JOIN actors a ON a.id = s.speaker_id WHERE s.id IN ({})"
    ),
    "relationships": (
        "SELECT r.id, a.name || ' — ' || CASE WHEN r.label != '' THEN r.label ELSE replace(r.kind, '_', ' ') END "
        "|| ' — ' || b.name FROM relationships r JOIN actors a ON a.id = r.from_actor_id "
        "JOIN actors b ON b.id = r.to_actor_id WHERE r.id IN ({})"
    ),
    "sources": (
        "SELECT id, CASE WHEN label != '' THEN label || ' — ' ELSE '' END || title FROM sources WHERE id IN ({})"
    ),
}


def labels(conn: sqlite3.Connection, table: str, ids: Iterable[str]) -> dict[str, str]:
    """Names a reader recognises for rows of ``table`` (the id itself for a table without a rule)."""
    ids = list(ids)
    sql = _LABEL_SQL.get(table)
    if sql is None:
        return {i: i for i in ids}
    out: dict[str, str] = {}
    for lo in range(0, len(ids), 500):
        chunk = ids[lo : lo + 500]
        for row_id, label in conn.execute(sql.format(", ".join("?" * len(chunk))), chunk):
            out[row_id] = " ".join(str(label or "").split())  # one line, whatever the text holds
    return out


# -- putting it together ------------------------------------------------------------------------------------------


def _unreadable_sql(conn: sqlite3.Connection, table: str) -> str:
    """Ids of rows with a value of the wrong type for its column, or day numbers out of range or inverted (a file
    from elsewhere may hold them; panels show them as unreadable). Columns come from the schema itself."""
    from caseboard.db.dates import DAY_MAX, DAY_MIN

    cols = {r[1]: (r[2] or "").upper() for r in conn.execute(f'PRAGMA table_info("{table}")')}
    want = {"TEXT": "'text'", "INTEGER": "'integer'", "REAL": "'real', 'integer'"}
    odd = [f'("{c}" IS NOT NULL AND typeof("{c}") NOT IN ({want[t]}))' for c, t in cols.items() if t in want]
    for c in cols:
        if c.endswith("_start") and c[:-6] + "_end" in cols:
            end = c[:-6] + "_end"
            odd.append(
                f'("{c}" > "{end}" OR "{c}" NOT BETWEEN {DAY_MIN} AND {DAY_MAX} '
                f'OR "{end}" NOT BETWEEN {DAY_MIN} AND {DAY_MAX})'
            )
    return f'SELECT id FROM "{table}" WHERE {" OR ".join(odd) or "0"}'


def _count(conn: sqlite3.Connection, sql: str, params: list) -> int:
    return conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def _ids(conn: sqlite3.Connection, sql: str, params: list, limit: int | None) -> list[str]:
    if limit is not None:
        sql, params = f"{sql} LIMIT ?", [*params, limit]
    return [r[0] for r in conn.execute(sql, params)]


def _queries(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, list]]]:
    """check -> [(table, sql of ids, params)]."""
    tables = fact_tables(conn)
    roots = source_roots(conn)
    return {
        "unsourced": [(t, *_unsourced_sql(t)) for t in tables],
        "single_source": [(t, *_single_source_sql(t, roots)) for t in tables],
        "weak_sources": [(t, *_weak_sql(t)) for t in tables],
        "statement_gaps": [("statements", _STATEMENT_GAPS, [])],
        "date_conflicts": [(t, _conflict_members_sql(t, k, d), []) for t, k, d in _CONFLICT_GROUPS],
        "no_coordinates": [("places", _NO_COORDINATES, [])],
        "uncited_sources": [("sources", _UNCITED_SOURCES, [])],
        "unreadable_values": [(t, _unreadable_sql(conn, t), []) for t in [*tables, "sources"]],
    }


def score(conn: sqlite3.Connection) -> Health:
    """Only the sourced score (facts and unsourced facts per table), without the other checks: the cheapest answer,
    for a status bar that is always shown."""
    facts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in fact_tables(conn)}
    unsourced = {t: _count(conn, *_unsourced_sql(t)) for t in facts}
    return Health(facts, unsourced, [])


def counts(conn: sqlite3.Connection, *, progress: Callable[[str], None] | None = None) -> Health:
    """Every check's count and the sourced score, without listing items (the quick first answer)."""
    return report(conn, limit=0, progress=progress)


def report(
    conn: sqlite3.Connection, *, limit: int | None = 500, progress: Callable[[str], None] | None = None
) -> Health:
    """Every check with its count and at most ``limit`` items (None: all of them)."""
    facts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in fact_tables(conn)}
    queries = _queries(conn)
    unsourced: dict[str, int] = {}
    results: list[CheckResult] = []
    for key, title in CHECKS.items():
        if progress:
            progress(title)
        found: list[Finding] = []
        total = 0
        if key == "duplicate_actors":
            groups = duplicate_actor_groups(conn)
            total = sum(len(m) for m, _ in groups)
            if limit != 0:
                names = labels(conn, "actors", [a for m, _ in groups for a in m])
                for members, shared in groups:
                    for aid in members:
                        others = ", ".join(names[o] for o in members if o != aid)
                        found.append(
                            Finding(key, "actors", aid, names[aid], f"may be the same as {others}: {shared}")
                        )
            found = found if limit is None else found[:limit]
        else:
            for table, sql, params in queries[key]:
                n = _count(conn, sql, params)
                total += n
                if key == "unsourced":
                    unsourced[table] = n
                room = None if limit is None else limit - len(found)
                if n and (room is None or room > 0):
                    ids = _ids(conn, sql, params, room)
                    found += [Finding(key, table, i) for i in ids]
            _describe(conn, key, found)
        results.append(CheckResult(key, title, total, found))
    return Health(facts, unsourced, results)


def _describe(conn: sqlite3.Connection, key: str, found: list[Finding]) -> None:
    """Fill in labels and the reason each item is listed."""
    by_table: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        by_table[f.table].append(f)
    for table, items in by_table.items():
        names = labels(conn, table, [f.row_id for f in items])
        for f in items:
            f.label = names.get(f.row_id, f.row_id)
        if key == "unsourced":
            for f in items:
                f.detail = f"this {SINGULAR.get(table, table.rstrip('s'))} cites no source"
        elif key in ("single_source", "weak_sources"):
            _source_details(conn, table, items, key)
        elif key == "statement_gaps":
            gaps = _rows_by_id(conn, "SELECT id, speaker_id IS NULL, said IS NULL FROM statements", items)
            for f in items:
                no_speaker, no_date = gaps[f.row_id]
                f.detail = " and ".join(w for w, m in (("no speaker", no_speaker), ("no date", no_date)) if m)
        elif key == "date_conflicts":
            _conflict_details(conn, table, items)
        elif key == "no_coordinates":
            for f in items:
                f.detail = "not drawn on the map: no latitude and longitude"
        elif key == "uncited_sources":
            for f in items:
                f.detail = "no fact cites this source"
        elif key == "unreadable_values":
            for f in items:
                f.detail = (
                    "a value of the wrong type or an inverted date: shown as unreadable; edit or check it"
                )


def _rows_by_id(conn: sqlite3.Connection, sql: str, items: list[Finding]) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    ids = [f.row_id for f in items]
    for lo in range(0, len(ids), 500):
        chunk = ids[lo : lo + 500]
        where = " WHERE " if " WHERE " not in sql else " AND "
        for row in conn.execute(f"{sql}{where}id IN ({', '.join('?' * len(chunk))})", chunk):
            out[row[0]] = tuple(row[1:])
    return out


def _source_details(conn: sqlite3.Connection, table: str, items: list[Finding], key: str) -> None:
    ids = [f.row_id for f in items]
    roots = source_roots(conn)
    names = labels(conn, "sources", roots.values()) if key == "single_source" else {}
    cites: dict[str, set[str]] = defaultdict(set)
    root_of: dict[str, str] = {}
    for lo in range(0, len(ids), 500):
        chunk = ids[lo : lo + 500]
        rows = conn.execute(
            f"SELECT l.id, l.source_id, CASE WHEN s.label != '' THEN s.label ELSE s.title END, s.reliability, "
            f"l.credibility FROM ({_source_links(table)}) l JOIN sources s ON s.id = l.source_id "
            f"WHERE l.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for fid, sid, name, rel, cred in rows:
            grade = f"{rel}{cred if cred is not None else ''}"
            root = roots.get(sid, sid)
            through = f", known through {names.get(root, '').split(' — ')[0]}" if root != sid else ""
            cites[fid].add(f"{name} ({grade}{through if key == 'single_source' else ''})")
            root_of[fid] = roots.get(sid, sid)
    for f in items:
        listed = ", ".join(sorted(cites[f.row_id]))
        if key == "single_source":
            root = names.get(root_of.get(f.row_id, ""), "one source").split(" — ")[0]
            f.detail = (
                f"rests on {root} alone: {listed}" if "known through" in listed else f"cites {listed} only"
            )
        else:
            f.detail = f"every citation is graded weak: {listed}"


def _conflict_details(conn: sqlite3.Connection, table: str, items: list[Finding]) -> None:
    """'7 Sept 2023 (S1) here; elsewhere 12 Sept 2023 (S2)': each version with the sources giving it.

    One pass over the table for all the groups listed (the grouping key has no index), one query for sources.
    """
    key = next(k for t, k, _d in _CONFLICT_GROUPS if t == table)
    dates = next(d for t, _k, d in _CONFLICT_GROUPS if t == table)
    mine = _rows_by_id(conn, f"SELECT id, {key} FROM {table}", items)
    groups = sorted({g for (g,) in mine.values()})
    members: dict[str, list[tuple[str, list[str | None]]]] = defaultdict(list)
    for row_id, gid, *values in conn.execute(
        f"SELECT id, {key}, {', '.join(dates)} FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))",
        [json.dumps(groups)],
    ):
        members[gid].append((row_id, values))
    ids = [r for lst in members.values() for r, _v in lst]
    cited: dict[str, str] = {}
    for lo in range(0, len(ids), 500):
        chunk = ids[lo : lo + 500]
        cited.update(
            conn.execute(
                "SELECT c.subject_id, group_concat(CASE WHEN s.label != '' THEN s.label ELSE s.title END, ', ') "
                "FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.subject_table = ? "
                f"AND c.subject_id IN ({', '.join('?' * len(chunk))}) GROUP BY c.subject_id",
                [table, *chunk],
            ).fetchall()
        )

    @functools.cache
    def when(values: tuple[str | None, ...]) -> str:
        return " – ".join(PartialDate.from_edtf(v).display() for v in values if v) or "no date"

    def version(row_id: str, values: list[str | None]) -> str:
        return f"{when(tuple(values))} ({cited.get(row_id) or 'unsourced'})"

    for f in items:
        (gid,) = mine[f.row_id]
        group = members[gid]
        here = next(version(r, v) for r, v in group if r == f.row_id)
        others = [version(r, v) for r, v in itertools.islice((m for m in group if m[0] != f.row_id), 4)]
        more = f"; and {len(group) - 1 - len(others):,} more" if len(group) - 1 > len(others) else ""
        f.detail = f"{here} here; elsewhere {'; '.join(others)}{more}"
