"""Full-text search stays in step with edits; related-item queries answer what a selection highlights."""

from __future__ import annotations

from caseboard.db import actors, related, search, statements
from caseboard.db.dates import parse_date
from caseboard.db.demo import demo_id


def test_search_finds_quote_and_follows_edits(demo_case) -> None:
    found = search.search_table(demo_case.conn, "statements", "decisive")
    assert found.ids == [demo_id("milley_decisive")]
    sid = statements.add_statement(demo_case, text="Nothing decisive about the tanker.").row_id
    assert sid in search.search_table(demo_case.conn, "statements", "tanker").ids
    statements.update_statement(demo_case, sid, text="Changed wording entirely.")
    assert search.search_table(demo_case.conn, "statements", "tanker").ids == []
    statements.delete_statement(demo_case, sid)
    assert search.search_table(demo_case.conn, "statements", "wording").ids == []


def test_search_actor_aliases_and_prefix(demo_case) -> None:
    assert search.search_table(demo_case.conn, "actors", "DPRK").ids == [demo_id("north_korea")]
    assert demo_id("kirby") in search.search_table(demo_case.conn, "actors", "Kir").ids
    actors.update_actor(demo_case, demo_id("angara"), aliases=["Angara", "Ангара"])
    assert search.search_table(demo_case.conn, "actors", "Ангара").ids == [demo_id("angara")]


def test_search_query_is_never_raw_fts_syntax(demo_case) -> None:
    for q in ['"', "AND OR NOT", "kirby*)", "NEAR(", "col:value", "-", "''"]:
        search.search_table(demo_case.conn, "statements", q)  # must not raise
    assert search.fts_query("nonproliferation regime") == '"nonproliferation" AND "regime"*'


def test_related_to_actor_milley(demo_case) -> None:
    rel = related.related_to_actor(demo_case, demo_id("milley"))
    assert rel.statements == {demo_id("milley_skeptical"), demo_id("milley_decisive")}
    assert rel.events == {demo_id("milley_remarks"), demo_id("milley_steps_down")}


def test_related_to_angara_includes_its_legs_and_places(demo_case) -> None:
    rel = related.related_to_actor(demo_case, demo_id("angara"))
    assert demo_id("leg_sea") in rel.legs
    assert {demo_id("najin"), demo_id("dunay")} <= rel.places


def test_related_to_place_dunay(demo_case) -> None:
    rel = related.related_to_place(demo_case, demo_id("dunay"))
    assert rel.legs == {demo_id("leg_sea"), demo_id("leg_rail")}
    assert rel.events == {demo_id("arrival")}
    assert rel.shipments == {demo_id("angara_shipment")}


def test_in_time_range(demo_case) -> None:
    rng = parse_date("2023-09-10/2023-09-14")
    rel = related.in_time_range(demo_case, rng.start_day(), rng.end_day())
    assert rel.legs == {demo_id("leg_sea")}
    assert {demo_id("arrival"), demo_id("summit")} <= rel.events
    assert demo_id("hamas_attack") not in rel.events
    assert {demo_id("najin"), demo_id("dunay")} <= rel.places
    assert demo_id("tikhoretsk") not in rel.places


def test_related_rowids_match_the_ids(demo_case) -> None:
    """The rowids read with the ids (for the timeline's masks) name exactly the same rows."""
    rng = parse_date("2023-09-01/2023-09-30")
    for rel in (
        related.related_to_actor(demo_case, demo_id("angara")),
        related.related_to_place(demo_case, demo_id("dunay")),
        related.in_time_range(demo_case, rng.start_day(), rng.end_day()),
    ):
        assert rel.rowids, "the big selections carry rowids"
        for table, rowids in rel.rowids.items():
            ids = {
                r[0]
                for r in demo_case.conn.execute(
                    f"SELECT id FROM {table} WHERE rowid IN ({','.join('?' * len(rowids))})", rowids.tolist()
                )
            }
            assert ids == rel.ids(table)
