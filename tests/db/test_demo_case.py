"""The demo case holds the facts of shared/demo-case.md."""

from __future__ import annotations

import pytest

from caseboard.db import actors, citations, crud, events, places, shipments, sources, statements
from caseboard.db.demo import demo_id
from caseboard.db.info import case_info

QUOTES = {
    "John F. Kirby": [
        "We condemn the D.P.R.K. for providing Russia with this military equipment, which will be used to attack "
        "Ukrainian cities, kill Ukrainian civilians and further Russia\u2019s illegitimate war",
        "This expanding military partnership between the D.P.R.K. and Russia, including any technology transfers "
        "from Russia to the D.P.R.K., undermines regional stability and the global nonproliferation regime",
    ],
    "Mark A. Milley": [
        "Would it have a huge difference? I\u2019m skeptical of that",
        "I doubt that it would be decisive.",
    ],
}

ACTORS = {
    "North Korea": "state",
    "Russia": "state",
    "Ukraine": "state",
    "United States": "state",
    "Iran": "state",
    "Israel": "state",
    "Taiwan": "state",
    "U.S. intelligence agencies": "organization",
    "White House National Security Council": "organization",
    "U.S. Congress": "organization",
    "United Nations": "organization",
    "Hamas": "organization",
    "John F. Kirby": "person",
    "Mark A. Milley": "person",
    "Kim Jong-un": "person",
    "Vladimir V. Putin": "person",
    "Joe Biden": "person",
    "M/V Angara": "vessel",
}


def test_counts(demo_case) -> None:
    info = case_info(demo_case)
    assert {k: info.counts[k] for k in ("actors", "places", "shipments", "legs", "events", "sources")} == {
        "actors": 18,
        "places": 5,
        "shipments": 4,
        "legs": 2,
        "events": 9,
        "sources": 3,
    }


def test_actors_and_aliases(demo_case) -> None:
    assert {a.name: a.kind for a in actors.list_actors(demo_case)} == ACTORS
    assert actors.find_actor(demo_case, "D.P.R.K.").name == "North Korea"
    assert actors.find_actor(demo_case, "Moscow").name == "Russia"
    assert actors.find_actor(demo_case, "NSC").name == "White House National Security Council"


@pytest.mark.parametrize(
    ("key", "lat", "lon", "precision"),
    [
        ("najin", 42.256, 130.283, "exact"),
        ("dunay", 42.879, 132.335, "exact"),
        ("tikhoretsk", 45.853, 40.119, "approximate"),
        ("far_east", 48.5, 135.0, "region"),
        ("sea_of_japan", 40.0, 135.0, "region"),
    ],
)
def test_places(demo_case, key, lat, lon, precision) -> None:
    p = places.get_place(demo_case, demo_id(key))
    assert (p.lat, p.lon, p.precision) == (lat, lon, precision)


def test_quotes_word_for_word(demo_case) -> None:
    for speaker, texts in QUOTES.items():
        who = actors.find_actor(demo_case, speaker)
        got = [
            s.text
            for s in statements.list_statements(demo_case)
            if s.speaker_id == who.id and s.kind == "quote"
        ]
        assert sorted(got) == sorted(texts)
    paraphrases = crud.count(demo_case, "statements", "kind = 'paraphrase'")
    assert paraphrases >= 3


def test_angara_shipment(demo_case) -> None:
    sh = shipments.get_shipment(demo_case, demo_id("angara_shipment"))
    assert sh.quantity == 300 and sh.quantity_qualifier == "about" and sh.status == "reported"
    sea, rail = shipments.legs_of(demo_case, sh.id)
    assert (sea.mode, sea.from_place_id, sea.to_place_id) == ("sea", demo_id("najin"), demo_id("dunay"))
    assert sea.carrier_id == demo_id("angara") and sea.arrive.edtf() == "2023-09-12"
    assert (rail.mode, rail.to_place_id, rail.arrive.edtf()) == ("rail", demo_id("tikhoretsk"), "2023-10-01")
    staging = events.get_event(demo_case, demo_id("staging"))
    assert staging.date.edtf() == "2023-09-07/2023-09-08" and staging.place_id == demo_id("najin")


def test_event_precisions(demo_case) -> None:
    by_title = {e.title: e.date for e in events.list_events(demo_case)}
    assert (
        by_title["Milley steps down as chairman of the Joint Chiefs of Staff"].display()
        == "about 29 Sept 2023"
    )
    assert by_title["Milley tells reporters he doubts the rounds would be decisive"].precision == "month"
    assert by_title["Kim Jong-un meets Vladimir Putin"].edtf() == "2023-09-13"


def test_sources_and_citations(demo_case) -> None:
    got = {s.label: s.reliability for s in sources.list_sources(demo_case)}
    assert got == {"S1": "B", "S2": "B", "S3": "B"}
    assert sources.get_source(demo_case, demo_id("S2")).via_id == demo_id("S1")
    for table in ("actors", "places", "shipments", "legs", "events", "statements"):
        for row in crud.select(demo_case, table):
            assert citations.citations_of(demo_case, table, row.id), f"{table} {row.id} has no citation"
