"""Relationships between actors: stored with citations and history, undone exactly; derived links; neighbourhoods."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from caseboard.db import (
    actors,
    citations,
    events,
    links,
    relationships,
    rows,
    schema,
    shipments,
    sources,
    statements,
)
from caseboard.db.case import open_case
from caseboard.db.demo import demo_id
from caseboard.db.errors import ReferencedError, ValidationError


@pytest.fixture
def pair(empty_case):
    owner = actors.add_actor(empty_case, name="Sovcomflot", kind="organization").row_id
    ship = actors.add_actor(empty_case, name="M/V Lina Star", kind="vessel").row_id
    src = sources.add_source(empty_case, title="Registry extract", reliability="B").row_id
    return empty_case, owner, ship, src


def test_relationship_round_trip_with_citation_history_and_undo(pair) -> None:
    case, owner, ship, src = pair
    before = rows.snapshot(case)
    with case.transaction(label="New relationship"):
        changes = relationships.add_relationship(
            case,
            from_actor_id=owner,
            to_actor_id=ship,
            kind="owner of",
            role="registered owner",
            since="March 2019",
            until="c. 2023-09-29",
            cite=[(src, 2)],
        )
    rel_id = changes[0].row_id
    rel = relationships.get_relationship(case, rel_id)
    assert (rel.kind, rel.role, rel.since.edtf(), rel.until.edtf()) == (
        "owner of",
        "registered owner",
        "2019-03",
        "2023-09-29~",
    )
    assert relationships.span_text(rel) == "Mar 2019 \u2013 about 29 Sept 2023"
    cites = citations.citations_of(case, "relationships", rel_id)
    assert [(c.source_id, c.credibility) for c in cites] == [(src, 2)]
    # the day numbers are stored alongside the text, like events' dates
    since_start, until_end = case.conn.execute(
        "SELECT since_start, until_end FROM relationships WHERE id = ?", [rel_id]
    ).fetchone()
    assert since_start == rel.since.start_day() and until_end == rel.until.end_day()

    up = relationships.update_relationship(case, rel_id, role="beneficial owner")
    assert up.changed_fields == ["role"]
    history = rows.history_of(case, "relationships", rel_id)
    assert [h["action"] for h in history] == ["update", "insert"]
    assert history[0]["old"]["role"] == "registered owner" and history[0]["new"]["role"] == "beneficial owner"
    assert history[1]["label"] == "New relationship"

    rows.revert(case, [up])
    rows.revert(case, changes)
    assert rows.snapshot(case) == before
    redone = rows.reapply(case, changes)
    assert [c.row_id for c in redone] == [c.row_id for c in changes]
    assert relationships.get_relationship(case, rel_id).role == "registered owner"


def test_deleting_a_relationship_takes_its_citations_and_undo_restores_both(pair) -> None:
    case, owner, ship, src = pair
    rel_id = relationships.add_relationship(
        case, from_actor_id=owner, to_actor_id=ship, kind="operator of", cite=[(src, 3)]
    )[0].row_id
    before = rows.snapshot(case)
    gone = relationships.delete_relationship(case, rel_id)
    assert {c.table for c in gone} == {"relationships", "citations"}
    assert relationships.list_relationships(case) == []
    rows.revert(case, gone)
    assert rows.snapshot(case) == before


def test_an_actor_with_relationships_is_not_deleted_silently(pair) -> None:
    case, owner, ship, _src = pair
    relationships.add_relationship(case, from_actor_id=owner, to_actor_id=ship, kind="manager of")
    with pytest.raises(ReferencedError, match="1 relationship of this actor"):
        actors.delete_actor(case, owner)
    before = rows.snapshot(case)
    changes = actors.delete_actor(case, ship, cascade=True)
    assert relationships.list_relationships(case) == []
    rows.revert(case, changes)
    assert rows.snapshot(case) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "lover of"}, "kind"),
        ({"kind": "other"}, "label"),
        ({"kind": "owner of", "since": "2023", "until": "2019"}, "until"),
        ({"kind": "owner of", "since": "07/09/2023"}, "since"),
    ],
)
def test_validation_names_the_field(pair, fields, field) -> None:
    case, owner, ship, _src = pair
    with pytest.raises(ValidationError) as err:
        relationships.add_relationship(case, from_actor_id=owner, to_actor_id=ship, **fields)
    assert err.value.field == field
    assert relationships.list_relationships(case) == []


def test_an_actor_is_not_related_to_itself_nor_to_a_missing_actor(pair) -> None:
    case, owner, _ship, _src = pair
    with pytest.raises(ValidationError, match="two different actors"):
        relationships.add_relationship(case, from_actor_id=owner, to_actor_id=owner, kind="associate of")
    with pytest.raises(ValidationError, match="not in this case"):
        relationships.add_relationship(case, from_actor_id=owner, to_actor_id="nobody", kind="associate of")


def test_valid_in_keeps_relationships_that_may_hold_in_the_range(pair) -> None:
    case, owner, ship, _src = pair
    other = actors.add_actor(case, name="Gatik", kind="organization").row_id
    old = relationships.add_relationship(
        case, from_actor_id=owner, to_actor_id=ship, kind="owner of", since="2015", until="2019"
    )[0].row_id
    new = relationships.add_relationship(
        case, from_actor_id=other, to_actor_id=ship, kind="owner of", since="2020"
    )[0].row_id
    open_ended = relationships.add_relationship(case, from_actor_id=other, to_actor_id=owner, kind="paid by")[
        0
    ].row_id
    day = relationships.get_relationship(case, new).since.start_day()
    assert relationships.valid_in(case.conn, day, day + 30) == {new, open_ended}
    assert relationships.valid_in(case.conn, day - 400, day - 300) == {old, open_ended}


def _pairs(graph: links.Graph) -> dict[tuple[str, str], set[str]]:
    names = {n.id: n.name for n in graph.nodes.values()}
    out: dict[tuple[str, str], set[str]] = {}
    for link in graph.links:
        a, b = sorted((names[link.a], names[link.b]))
        out.setdefault((a, b), set()).add(("~" if link.derived else "") + link.label)
    return out


def test_demo_links_stated_and_derived(demo_case) -> None:
    graph = links.chart(demo_case.conn)
    assert graph.whole
    pairs = _pairs(graph)
    # stated relationships
    assert "flag state of" in pairs[("M/V Angara", "Russia")]
    assert "employee of \u00b7 spokesman" in pairs[("John F. Kirby", "White House National Security Council")]
    assert "leader of" in pairs[("Kim Jong-un", "North Korea")]
    # derived: shipper and receiver of a shipment; carrier of a leg; actors in the same event; speaker and source
    assert "~shipped to" in pairs[("North Korea", "Russia")]
    assert "~carried cargo of" in pairs[("M/V Angara", "North Korea")]
    assert "~carried cargo to" in pairs[("M/V Angara", "Russia")]
    assert "~in the same event" in pairs[("Kim Jong-un", "Vladimir V. Putin")]
    assert "~in the same event" in pairs[("Hamas", "Israel")]
    s2 = [n.name for n in graph.nodes.values() if n.kind == "source" and n.name.startswith("S2")]
    assert len(s2) == 1 and "~quoted in" in pairs[tuple(sorted(("John F. Kirby", s2[0])))]
    # every actor is a node of the whole-case chart, linked or not
    assert {n.name for n in graph.nodes.values() if n.table == "actors"} >= {"Ukraine", "Taiwan"}
    # a derived link counts its facts and keeps their span for the time filter
    quoted = next(link for link in graph.links if link.label == "quoted in" and link.a == demo_id("kirby"))
    said = [s for s in statements.list_statements(demo_case) if s.speaker_id == demo_id("kirby")]
    assert quoted.b == demo_id("S2") and quoted.table == "statements"
    assert quoted.count == sum(s.source_id == demo_id("S2") for s in said) >= 2


def test_derived_links_are_built_from_each_kind_of_fact(empty_case) -> None:
    case = empty_case
    a, b, c, d = (actors.add_actor(case, name=n, kind="organization").row_id for n in "ABCD")
    spk = actors.add_actor(case, name="Speaker", kind="person").row_id
    src = sources.add_source(case, title="Paper").row_id
    sh = shipments.add_shipment(case, cargo="Rifles", shipper_id=a, receiver_id=b, date="2023-05").row_id
    shipments.add_leg(case, shipment_id=sh, mode="sea", carrier_id=c, arrive="2023-05-20")
    events.add_event(case, title="Meeting", date="2024-01-02", actors=[(c, ""), (d, "")])
    statements.add_statement(case, text="We never met.", speaker_id=spk, source_id=src, said="2024-02")
    statements.add_statement(case, text="Nor spoke.", speaker_id=spk, source_id=src, said="2024-03")
    found = {(frozenset((x.a, x.b)), x.label, x.table, x.count) for x in links.all_links(case.conn)}
    assert found == {
        (frozenset((a, b)), "shipped to", "shipments", 1),
        (frozenset((c, a)), "carried cargo of", "legs", 1),
        (frozenset((c, b)), "carried cargo to", "legs", 1),
        (frozenset((c, d)), "in the same event", "events", 1),
        (frozenset((spk, src)), "quoted in", "statements", 2),
    }
    # touching C only: its ties, not A-B's shipment nor the speaker's source
    touching = {(frozenset((x.a, x.b)), x.label) for x in links.links_touching(case.conn, [c])}
    assert touching == {
        (frozenset((c, a)), "carried cargo of"),
        (frozenset((c, b)), "carried cargo to"),
        (frozenset((c, d)), "in the same event"),
    }
    # a source node leads back to its speakers
    assert {(x.a, x.b) for x in links.links_touching(case.conn, [], [src])} == {(spk, src)}


def test_neighbourhood_depth_cap_and_expand(empty_case) -> None:
    case = empty_case
    hub = actors.add_actor(case, name="Hub", kind="organization").row_id
    ring = [actors.add_actor(case, name=f"R{i}", kind="vessel").row_id for i in range(6)]
    far = actors.add_actor(case, name="Far", kind="person").row_id
    for r in ring:
        relationships.add_relationship(case, from_actor_id=hub, to_actor_id=r, kind="owner of")
    relationships.add_relationship(case, from_actor_id=far, to_actor_id=ring[0], kind="director of")
    relationships.add_relationship(case, from_actor_id=ring[1], to_actor_id=ring[2], kind="associate of")

    one = links.neighbourhood(case.conn, [hub], 1)
    assert set(one.nodes) == {hub, *ring}
    assert len(one.links) == 7  # six ownerships and the tie between two ring members
    assert one.frontier == {ring[0]}  # R0 has a neighbour not shown
    two = links.neighbourhood(case.conn, [hub], 2)
    assert far in two.nodes and not two.frontier
    capped = links.neighbourhood(case.conn, [hub], 2, node_limit=4)
    assert len(capped.nodes) == 4 and capped.truncated
    grown = links.expand(case.conn, one, ring[0])
    assert far in grown.nodes and not grown.frontier
    assert links.neighbourhood(case.conn, [far], 0).nodes.keys() == {far}


def test_large_case_chart_needs_a_selection(empty_case, monkeypatch) -> None:
    monkeypatch.setattr(links, "WHOLE_CASE_LIMIT", 1)
    a = actors.add_actor(empty_case, name="A", kind="person").row_id
    b = actors.add_actor(empty_case, name="B", kind="person").row_id
    relationships.add_relationship(empty_case, from_actor_id=a, to_actor_id=b, kind="family of")
    assert links.chart(empty_case.conn).nodes == {}
    graph = links.chart(empty_case.conn, [a], 1)
    assert set(graph.nodes) == {a, b} and not graph.whole


def test_positions_survive_closing_and_reopening(demo_case) -> None:
    path = demo_case.path
    links.save_positions(demo_case, {demo_id("russia"): (1.5, -2.0), demo_id("angara"): (3.0, 4.0)})
    links.save_positions(demo_case, {demo_id("russia"): (2.5, -2.0)})
    demo_case.close()
    with open_case(path) as case:
        kept = links.positions(case.conn, [demo_id("russia"), demo_id("angara"), demo_id("kim")])
    assert kept == {demo_id("russia"): (2.5, -2.0), demo_id("angara"): (3.0, 4.0)}


def test_migration_keeps_old_citations_and_lets_relationships_be_cited(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.case"
    conn = sqlite3.connect(path)
    schema.migration_set().apply(Database(conn), stop_before="0004_relationships")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    conn.execute("INSERT INTO case_info(key, value) VALUES ('title', 'Old')")
    conn.execute("INSERT INTO sources(id, title) VALUES ('s', 'Old source')")
    conn.execute("INSERT INTO actors(id, name, kind) VALUES ('a', 'A', 'person'), ('b', 'B', 'state')")
    conn.execute(
        "INSERT INTO citations(id, subject_table, subject_id, source_id, credibility) VALUES "
        "('c', 'actors', 'a', 's', 2)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO citations(id, subject_table, subject_id, source_id) VALUES "
            "('x', 'relationships', 'r', 's')"
        )
    conn.commit()
    conn.close()
    with open_case(path) as case:
        assert [c.id for c in citations.citations_of(case, "actors", "a")] == ["c"]
        rid = relationships.add_relationship(
            case, from_actor_id="a", to_actor_id="b", kind="member of", cite=[("s", 3)]
        )[0].row_id
        assert len(citations.citations_of(case, "relationships", rid)) == 1
        assert {r[1] for r in case.conn.execute("PRAGMA index_list(citations)")} >= {
            "citations_subject",
            "citations_source",
        }
        assert case.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_demo_relationship_is_cited(demo_case) -> None:
    rels = relationships.list_relationships(demo_case)
    assert {(r.from_actor_id, r.kind_text, r.to_actor_id) for r in rels} >= {
        (demo_id("russia"), "flag state of", demo_id("angara")),
        (demo_id("kirby"), "employee of", demo_id("nsc")),
    }
    for rel in rels:
        assert citations.citations_of(demo_case, "relationships", rel.id), rel


def test_an_older_case_opened_read_only_still_charts(tmp_path: Path) -> None:
    """A file from before relationships, opened read-only (so not upgraded): the chart shows its derived ties."""
    from sqlite_utils import Database

    from caseboard.db import related
    from caseboard.db.info import case_info

    path = tmp_path / "old.case"
    conn = sqlite3.connect(path)
    schema.migration_set().apply(Database(conn), stop_before="0004_relationships")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    conn.execute("INSERT INTO case_info(key, value) VALUES ('title', 'Old')")
    conn.execute("INSERT INTO actors(id, name, kind) VALUES ('a', 'A', 'organization'), ('b', 'B', 'state')")
    conn.execute("INSERT INTO shipments(id, cargo, shipper_id, receiver_id) VALUES ('s', 'Rifles', 'a', 'b')")
    conn.commit()
    conn.close()
    with open_case(path, readonly=True) as case:
        graph = links.chart(case.conn)
        assert [(x.a, x.b, x.label) for x in graph.links] == [("a", "b", "shipped to")]
        assert links.positions(case.conn, ["a"]) == {}
        assert case_info(case).counts["relationships"] == 0
        assert related.related(case, "actors", "a").relationships == set()


def test_a_large_outer_ring_is_marked_expandable_without_reading_its_ties(empty_case, monkeypatch) -> None:
    hub = actors.add_actor(empty_case, name="Hub", kind="organization").row_id
    ring = [actors.add_actor(empty_case, name=f"R{i}", kind="vessel").row_id for i in range(4)]
    for r in ring:
        relationships.add_relationship(empty_case, from_actor_id=hub, to_actor_id=r, kind="owner of")
    assert links.neighbourhood(empty_case.conn, [hub], 1).frontier == set()  # checked: nothing more to show
    monkeypatch.setattr(links, "EXACT_FRONTIER", 2)
    assert links.neighbourhood(empty_case.conn, [hub], 1).frontier == set(ring)


def test_a_neighbourhood_keeps_stated_ties_first_within_the_tie_limit(empty_case, monkeypatch) -> None:
    hub = actors.add_actor(empty_case, name="Hub", kind="organization").row_id
    others = [actors.add_actor(empty_case, name=f"O{i}", kind="organization").row_id for i in range(4)]
    relationships.add_relationship(empty_case, from_actor_id=hub, to_actor_id=others[0], kind="owner of")
    for o in others[1:]:
        shipments.add_shipment(empty_case, cargo="Rifles", shipper_id=hub, receiver_id=o)
    shipments.add_shipment(empty_case, cargo="Shells", shipper_id=hub, receiver_id=others[3])
    monkeypatch.setattr(links, "LINK_LIMIT", 2)
    graph = links.neighbourhood(empty_case.conn, [hub], 1)
    kept = {(x.table, x.b, x.count) for x in graph.links}
    # the stated relationship, then the implied tie with the most facts behind it (two shipments)
    assert kept == {("relationships", others[0], 1), ("shipments", others[3], 2)}
    assert graph.dropped == 2 and graph.truncated
