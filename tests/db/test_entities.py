"""Every entity round-trips through the db API; edits report what changed and are logged; deletes are guarded."""

from __future__ import annotations

import pytest

from caseboard.db import actors, citations, events, places, rows, shipments, sources, statements
from caseboard.db.errors import ReferencedError, ValidationError


def test_actor_round_trip_and_aliases(empty_case) -> None:
    ch = actors.add_actor(
        empty_case,
        name="  M/V Sea Swallow ",
        kind="vessel",
        aliases="Sea Swallow; SEA SWALLOW; Swallow",
        flag="Panama",
        imo="IMO 9074729",
    )
    a = actors.get_actor(empty_case, ch.row_id)
    assert (a.name, a.kind, a.flag, a.imo) == ("M/V Sea Swallow", "vessel", "Panama", "9074729")
    assert a.aliases == ["Sea Swallow", "Swallow"]  # duplicates (any case) dropped
    assert ch.action == "insert" and ch.new["name"] == "M/V Sea Swallow"
    assert actors.find_actor(empty_case, "swallow").id == a.id
    up = actors.update_actor(empty_case, a.id, description="Bulk carrier")
    assert up.changed_fields == ["description"] and up.old["description"] == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "kind": "person"}, "name"),
        ({"name": "X", "kind": "alien"}, "kind"),
        ({"name": "X", "kind": "vessel", "imo": "1234568"}, "imo"),
        ({"name": "X", "kind": "vessel", "imo": "12345"}, "imo"),
    ],
)
def test_actor_validation_names_the_field(empty_case, fields, field) -> None:
    with pytest.raises(ValidationError) as err:
        actors.add_actor(empty_case, **fields)
    assert err.value.field == field
    assert actors.list_actors(empty_case) == []


def test_place_coordinates_validated(empty_case) -> None:
    p = places.get_place(
        empty_case, places.add_place(empty_case, name="Najin", lat="42.256", lon="130.283 E").row_id
    )
    assert (p.lat, p.lon, p.precision) == (42.256, 130.283, "exact")
    with pytest.raises(ValidationError, match="latitude must be between -90 and 90"):
        places.add_place(empty_case, name="Bad", lat=91, lon=0)
    with pytest.raises(ValidationError, match="longitude"):
        places.add_place(empty_case, name="Bad", lat=0, lon="east-ish")
    with pytest.raises(ValidationError, match="together"):
        places.add_place(empty_case, name="Half", lat=10)
    w = places.get_place(
        empty_case, places.add_place(empty_case, name="W", lat="33.9 S", lon="18.4 W").row_id
    )
    assert (w.lat, w.lon) == (-33.9, -18.4)


def test_source_grade_and_text_hash(empty_case) -> None:
    s = sources.get_source(
        empty_case, sources.add_source(empty_case, title="Wire", reliability="b", text="Hello").row_id
    )
    assert s.reliability == "B" and len(s.text_sha256) == 64
    assert sources.find_source_by_text(empty_case, "Hello").id == s.id
    with pytest.raises(ValidationError, match="reliability"):
        sources.add_source(empty_case, title="X", reliability="G")


def _shipment(case):
    a = places.add_place(case, name="A", lat=1, lon=1).row_id
    b = places.add_place(case, name="B", lat=2, lon=2).row_id
    c = places.add_place(case, name="C", lat=3, lon=3).row_id
    ship = actors.add_actor(case, name="Ship", kind="vessel").row_id
    sh = shipments.add_shipment(
        case, cargo="Rifles", quantity="2,116", unit="rifles", status="confirmed", quantity_qualifier=""
    ).row_id
    l1 = shipments.add_leg(
        case,
        shipment_id=sh,
        from_place_id=a,
        to_place_id=b,
        mode="sea",
        carrier_id=ship,
        depart="2023-09-08",
        arrive="12 Sept 2023",
    ).row_id
    l2 = shipments.add_leg(
        case, shipment_id=sh, from_place_id=b, to_place_id=c, mode="rail", arrive="Oct 2023"
    ).row_id
    return sh, l1, l2, ship, (a, b, c)


def test_shipment_legs_round_trip_and_reorder(empty_case) -> None:
    sh, l1, l2, ship, _ = _shipment(empty_case)
    s = shipments.get_shipment(empty_case, sh)
    assert s.quantity == 2116 and s.quantity_text == "2,116 rifles" and s.status == "confirmed"
    legs = shipments.legs_of(empty_case, sh)
    assert [leg.id for leg in legs] == [l1, l2] and [leg.seq for leg in legs] == [1, 2]
    assert legs[0].arrive.edtf() == "2023-09-12" and legs[1].arrive.precision == "month"
    shipments.reorder_legs(empty_case, sh, [l2, l1])
    assert [leg.id for leg in shipments.legs_of(empty_case, sh)] == [l2, l1]
    with pytest.raises(ValidationError, match="arrives before it departs"):
        shipments.add_leg(empty_case, shipment_id=sh, depart="2023-10-05", arrive="2023-10-01")
    with pytest.raises(ValidationError, match="status"):
        shipments.add_shipment(empty_case, cargo="X", status="rumoured")
    with pytest.raises(ValidationError, match="origin"):
        shipments.add_leg(empty_case, shipment_id=sh, from_place_id="nope")


def test_event_with_actors_and_dates(empty_case) -> None:
    kim = actors.add_actor(empty_case, name="Kim", kind="person").row_id
    changes = events.add_event(
        empty_case, title="Summit", date="c. 2023-09-13", actors=[(kim, "participant")]
    )
    ev = events.get_event(empty_case, changes[0].row_id)
    assert ev.date.approximate and ev.date.display() == "about 13 Sept 2023"
    assert [(a.name, role) for a, role in events.actors_of(empty_case, ev.id)] == [("Kim", "participant")]
    with pytest.raises(ValidationError, match="date"):
        events.add_event(empty_case, title="Bad", date="Sept 31 2023")


def test_statement_with_position_in_source(empty_case) -> None:
    text = "He said: “We will not stop.” Then he left."
    src = sources.add_source(empty_case, title="Transcript", text=text).row_id
    start = text.index("We")
    end = text.index(".”") + 1
    st = statements.get_statement(
        empty_case, statements.statement_from_passage(empty_case, src, start, end, said="2023-10-13").row_id
    )
    assert st.text == "We will not stop." and (st.source_start, st.source_end) == (start, end)
    before, quote, after = statements.context_of(empty_case, st)
    assert before.endswith("“") and quote == st.text and after.startswith("”")
    with pytest.raises(ValidationError, match="does not match"):
        statements.add_statement(empty_case, text="Other words", source_id=src, source_start=0, source_end=5)


def test_citation_grades(empty_case) -> None:
    a = actors.add_actor(empty_case, name="A", kind="state").row_id
    s = sources.add_source(empty_case, title="S", reliability="B").row_id
    citations.cite(empty_case, "actors", a, s, 2, locator="para 3")
    cs = citations.citations_of(empty_case, "actors", a)
    assert [(c.source_id, c.credibility, c.locator) for c in cs] == [(s, 2, "para 3")]
    with pytest.raises(ValidationError, match="credibility"):
        citations.cite(empty_case, "actors", a, s, 7)
    with pytest.raises(ValidationError, match="not in this case"):
        citations.cite(empty_case, "events", "missing", s, 2)


def test_delete_refused_then_cascaded_then_undone(empty_case) -> None:
    sh, l1, l2, ship, _ = _shipment(empty_case)
    src = sources.add_source(empty_case, title="S").row_id
    speaker = ship
    statements.add_statement(empty_case, text="We sail.", speaker_id=speaker, source_id=src)
    citations.cite(empty_case, "actors", ship, src, 3)
    with pytest.raises(ReferencedError) as err:
        actors.delete_actor(empty_case, ship)
    assert "1 statement by this speaker" in str(err.value) and "1 leg carried by this actor" in str(err.value)
    snapshot = rows.snapshot(empty_case)
    changes = actors.delete_actor(empty_case, ship, cascade=True)
    assert actors.find_actor(empty_case, "Ship") is None
    assert shipments.get_leg(empty_case, l1).carrier_id is None
    assert empty_case.conn.execute("SELECT count(*) FROM statements").fetchone()[0] == 0
    rows.revert(empty_case, changes)
    assert rows.snapshot(empty_case) == snapshot  # ids and every field restored


def test_history_records_old_and_new(empty_case) -> None:
    a = actors.add_actor(empty_case, name="A", kind="person").row_id
    actors.update_actor(empty_case, a, name="B")
    hist = rows.history_of(empty_case, "actors", a)
    assert [h["action"] for h in hist] == ["update", "insert"]
    assert hist[0]["old"]["name"] == "A" and hist[0]["new"]["name"] == "B"


def test_failed_edit_leaves_nothing_behind(empty_case) -> None:
    kim = actors.add_actor(empty_case, name="Kim", kind="person").row_id
    with pytest.raises(ValidationError):
        events.add_event(empty_case, title="Summit", actors=[(kim, "x"), ("missing-actor", "y")])
    assert empty_case.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert (
        empty_case.conn.execute("SELECT count(*) FROM history WHERE table_name='events'").fetchone()[0] == 0
    )
