"""The JSON shape the issue fixes, with spans that point back into the text."""

from __future__ import annotations

import json

from caseboard.ingest.suggest import to_json

TEXT = (
    "North Korea sent about 300 containers from Najin to Dunay aboard the M/V Angara on Sept. 12. "
    "“We condemn it,” said John F. Kirby, the spokesman."
)


def test_shape(run):
    data = to_json(run(TEXT))
    json.dumps(data)
    assert data["published"] == "2023-10-13"
    assert set(data) >= {"published", "actors", "places", "events", "shipments", "quotes"}
    assert set(data["actors"][0]) >= {"name", "kind", "aliases"}
    assert set(data["places"][0]) >= {"name", "country", "lat", "lon"}
    assert set(data["events"][0]) >= {"date", "what"}
    assert set(data["shipments"][0]) >= {"cargo", "quantity", "legs"}
    assert set(data["shipments"][0]["legs"][0]) >= {"from", "to", "mode", "carrier", "depart", "arrive"}
    assert set(data["quotes"][0]) >= {"speaker", "text"}
    assert {a["kind"] for a in data["actors"]} <= {"person", "organization", "state", "vessel"}


def test_every_span_points_at_its_text(run):
    data = to_json(run(TEXT))
    for a in data["actors"]:
        for s, e in a["spans"]:
            assert TEXT[s:e] in [a["name"], *a["aliases"]]
    for p in data["places"]:
        for s, e in p["spans"]:
            assert TEXT[s:e] == p["name"] or p["feature"] == "country"
    for q in data["quotes"]:
        assert " ".join(TEXT[s:e] for s, e in q["spans"]) == q["text"]
