"""Case health: each check finds what a reader would call a problem, and its counts agree with plain SQL."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from caseboard.db import actors, citations, events, health, places, sources, statements
from caseboard.db.generate import generate_case

FACT_TABLES = ("actors", "places", "shipments", "legs", "events", "statements", "relationships")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("health") / "gen.case"
    generate_case(path, seed=3, events=500, statements=100, actors=60, places=40, shipments=20)
    return path


def _expected(conn: sqlite3.Connection) -> dict[str, int]:
    """The same rules as db.health, worked out another way: Python over the raw rows."""
    cites: dict[tuple[str, str], list[tuple[str, int | None]]] = defaultdict(list)
    for table, subject, source, cred in conn.execute(
        "SELECT subject_table, subject_id, source_id, credibility FROM citations"
    ):
        cites[(table, subject)].append((source, cred))
    for sid, source in conn.execute("SELECT id, source_id FROM statements WHERE source_id IS NOT NULL"):
        cites[("statements", sid)].append((source, None))
    via = dict(conn.execute("SELECT id, via_id FROM sources"))
    grade = dict(conn.execute("SELECT id, reliability FROM sources"))

    def root(s: str) -> str:
        while via.get(s):
            s = via[s]
        return s

    out = {"unsourced": 0, "single_source": 0, "weak_sources": 0}
    for table in FACT_TABLES:
        for (fid,) in conn.execute(f"SELECT id FROM {table}"):
            mine = cites.get((table, fid), [])
            if not mine:
                out["unsourced"] += 1
                continue
            out["single_source"] += len({root(s) for s, _ in mine}) == 1
            out["weak_sources"] += all(grade[s] in "DEF" or (c is not None and c >= 4) for s, c in mine)
    out["statement_gaps"] = sum(
        1
        for sp, said in conn.execute("SELECT speaker_id, said FROM statements")
        if sp is None or said is None
    )
    out["no_coordinates"] = sum(1 for (lat,) in conn.execute("SELECT lat FROM places") if lat is None)
    used = {s for (_t, _f), lst in cites.items() for s, _c in lst}
    out["uncited_sources"] = sum(1 for (s,) in conn.execute("SELECT id FROM sources") if s not in used)
    # same title, dates not all overlapping, at least two different sources cited among them
    groups: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for eid, title, lo, hi in conn.execute("SELECT id, title, date_start, date_end FROM events"):
        groups[" ".join(title.lower().split())].append((eid, lo, hi))
    n = 0
    for members in groups.values():
        dated = [(lo, hi) for _e, lo, hi in members if lo is not None]
        disjoint = any(a[1] < b[0] for a in dated for b in dated)
        srcs = {s for e, _lo, _hi in members for s, c in cites.get(("events", e), []) if c is not None}
        if len(members) > 1 and disjoint and len(srcs) >= 2:
            n += len(members)
    out["date_conflicts_events"] = n
    return out


def test_counts_match_independent_rules_on_a_generated_case(generated: Path) -> None:
    conn = sqlite3.connect(f"file:{generated}?mode=ro", uri=True)
    want = _expected(conn)
    got = health.report(conn, limit=None)
    total = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FACT_TABLES)
    assert got.total == total
    assert got.sourced == total - want["unsourced"]
    assert want["unsourced"] > 0 and want["single_source"] > 0 and want["weak_sources"] > 0
    for key in (
        "unsourced",
        "single_source",
        "weak_sources",
        "statement_gaps",
        "no_coordinates",
        "uncited_sources",
    ):
        assert got.check(key).count == want[key], key
        assert len(got.check(key).findings) == want[key]
    conflicts = [f for f in got.check("date_conflicts").findings if f.table == "events"]
    assert len(conflicts) == want["date_conflicts_events"]
    assert got.score_line() == f"{total - want['unsourced']:,} of {total:,} facts sourced"
    for table in FACT_TABLES:  # and per table, in plain SQL: a LEFT JOIN finding facts with no citation
        own = " AND x.source_id IS NULL" if table == "statements" else ""
        (n,) = conn.execute(
            f"SELECT count(*) FROM {table} x LEFT JOIN citations c ON c.subject_table = '{table}' "
            f"AND c.subject_id = x.id WHERE c.id IS NULL{own}"
        ).fetchone()
        assert got.unsourced[table] == n, table
    quick = health.counts(conn)
    assert [c.count for c in quick.checks] == [c.count for c in got.checks]
    assert all(not c.findings for c in quick.checks)


def test_each_check_lists_the_item_with_its_reason(empty_case) -> None:
    case = empty_case
    good = sources.add_source(case, title="Port authority log", label="A1", reliability="B").row_id
    other = sources.add_source(case, title="Shipping blog", label="W1", reliability="E").row_id
    sources.add_source(case, title="Never used", label="N1")
    ship1 = actors.add_actor(case, name="M/V Sea Star", kind="vessel", imo="9074729").row_id
    ship2 = actors.add_actor(case, name="Sea-Star", kind="vessel").row_id
    ship3 = actors.add_actor(case, name="Renamed hull", kind="vessel", imo="9074729").row_id
    firm = actors.add_actor(case, name="Sea Star", kind="organization").row_id  # another kind: not the vessel
    for aid in (ship1, ship2, ship3, firm):
        citations.cite(case, "actors", aid, good, 2)
    nowhere = places.add_place(case, name="Unknown anchorage").row_id
    citations.cite(case, "places", nowhere, good, 2)
    e1 = events.add_event(case, title="Cargo  loaded", date="2023-09-07")[0].row_id
    e2 = events.add_event(case, title="cargo loaded", date="2023-09-12")[0].row_id
    citations.cite(case, "events", e1, good, 2)
    citations.cite(case, "events", e2, other, 5)
    quiet = statements.add_statement(case, text="No comment.", source_id=good).row_id
    bare = events.add_event(case, title="Unsourced sighting")[0].row_id

    h = health.report(case.conn)

    def listed(key: str) -> dict[str, str]:
        return {f.row_id: f.detail for f in h.check(key).findings}

    assert set(listed("unsourced")) == {bare}
    assert set(listed("duplicate_actors")) == {ship1, ship2, ship3}
    assert "IMO number 9074729" in listed("duplicate_actors")[ship3]
    assert set(listed("no_coordinates")) == {nowhere}
    assert [f.label for f in h.check("uncited_sources").findings] == ["N1 — Never used"]
    assert set(listed("date_conflicts")) == {e1, e2}
    assert listed("date_conflicts")[e1] == "7 Sept 2023 (A1) here; elsewhere 12 Sept 2023 (W1)"
    assert set(listed("weak_sources")) == {e2}
    assert listed("statement_gaps")[quiet] == "no speaker and no date"
    assert h.score_line() == "8 of 9 facts sourced"


def test_a_source_known_through_another_is_not_a_second_source(empty_case) -> None:
    case = empty_case
    news = sources.add_source(case, title="News report", label="S1").row_id
    brief = sources.add_source(case, title="Briefing", label="S2", via_id=news).row_id
    own = sources.add_source(case, title="Own inspection", label="S3").row_id
    a = actors.add_actor(case, name="A", kind="state").row_id
    b = actors.add_actor(case, name="B", kind="state").row_id
    for aid in (a, b):
        citations.cite(case, "actors", aid, news, 2)
        citations.cite(case, "actors", aid, brief, 2)
    citations.cite(case, "actors", b, own, 2)
    found = health.report(case.conn).check("single_source").findings
    assert [(f.row_id, f.detail) for f in found] == [
        (a, "rests on S1 alone: S1 (F2), S2 (F2, known through S1)")
    ]
