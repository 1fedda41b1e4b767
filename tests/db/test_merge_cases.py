"""Two analysts who each began a case from the same report: merging the files matches what is the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseboard.db import crud, rows
from caseboard.db.case import Case, create_case
from caseboard.db.errors import CaseError
from caseboard.db.merge_cases import apply_merge, plan_merge
from caseboard.db.search import search_table


def _analyst(path: Path, *, vessel: str, leader: dict, port: str) -> tuple[Case, dict[str, str]]:
    case = create_case(path, title=f"Angara case ({path.stem})")
    ids = {
        "vessel": crud.add(case, "actors", {"name": vessel, "kind": "vessel", "imo": "9074729"}).row_id,
        "leader": crud.add(case, "actors", {"kind": "person", **leader}).row_id,
        "port": crud.add(case, "places", {"name": port, "kind": "port", "lat": 42.25, "lon": 130.3}).row_id,
        "source": crud.add(
            case, "sources", {"title": "White House briefing, 13 Oct 2023", "reliability": "B"}
        ).row_id,
    }
    return case, ids


@pytest.fixture
def two(tmp_path: Path):
    ours, o = _analyst(tmp_path / "ours.case", vessel="Angara", leader={"name": "Kim Jong-un"}, port="Najin")
    theirs, t = _analyst(
        tmp_path / "theirs.case",
        vessel="M/V Angara",
        leader={"name": "Kim Jong Un", "aliases": json.dumps(["Kim Jong-un"])},
        port="Najin",
    )
    rason = crud.add(theirs, "places", {"name": "Rason", "kind": "city", "lat": 42.26, "lon": 130.3}).row_id
    event = crud.add(
        theirs, "events", {"title": "Angara loads containers", "date": "2023-09-07", "place_id": t["port"]}
    )
    crud.add(theirs, "event_actors", {"event_id": event.row_id, "actor_id": t["vessel"], "role": "carrier"})
    stmt = crud.add(
        theirs,
        "statements",
        {
            "text": "The wharf cranes at Najin worked through the night",
            "speaker_id": t["leader"],
            "source_id": t["source"],
        },
    ).row_id
    theirs.close()
    yield ours, o, tmp_path / "theirs.case", t, {"rason": rason, "event": event.row_id, "stmt": stmt}
    ours.close()


def test_matches_by_imo_name_and_alias_are_offered_then_merged(two) -> None:
    ours, o, other, t, new = two
    before = rows.snapshot(ours)
    plan = plan_merge(ours, other)
    found = {(m.table, m.theirs["id"], m.ours["id"], m.reason) for m in plan.matches}
    assert found == {
        ("actors", t["vessel"], o["vessel"], "IMO"),
        ("actors", t["leader"], o["leader"], "alias"),
        ("places", t["port"], o["port"], "name"),
        ("sources", t["source"], o["source"], "name"),
    }
    assert plan.added == {"places": 1, "events": 1, "event_actors": 1, "statements": 1}
    with pytest.raises(CaseError, match="no answer"):
        apply_merge(ours, plan)
    plan.accept_all(True)
    done = apply_merge(ours, plan)

    assert crud.count(ours, "actors") == 2 and crud.count(ours, "places") == 2
    stmt = crud.get(ours, "statements", new["stmt"])
    assert stmt.speaker_id == o["leader"] and stmt.source_id == o["source"]
    assert crud.get(ours, "events", new["event"]).place_id == o["port"]
    involved = ours.conn.execute(
        "SELECT actor_id FROM event_actors WHERE event_id = ?", [new["event"]]
    ).fetchall()
    assert involved == [(o["vessel"],)]
    assert "M/V Angara" in crud.get(ours, "actors", o["vessel"]).aliases  # their name kept as an alias
    assert search_table(ours.conn, "statements", "wharf cranes").ids == [new["stmt"]]
    assert search_table(ours.conn, "actors", "M/V Angara").ids == [o["vessel"]]
    assert ours.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert ours.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert any("theirs.case" in h["label"] for h in rows.history_of(ours, "places", new["rason"]))

    rows.revert(ours, done)
    assert rows.snapshot(ours) == before


def test_rejected_matches_stay_apart(two) -> None:
    ours, o, other, t, new = two
    plan = plan_merge(ours, other)
    plan.accept_all(False)
    apply_merge(ours, plan)
    assert crud.count(ours, "actors") == 4 and crud.count(ours, "places") == 3
    assert crud.get(ours, "statements", new["stmt"]).speaker_id == t["leader"]


def test_a_case_cannot_be_merged_into_itself(two) -> None:
    ours, *_ = two
    with pytest.raises(CaseError, match="itself"):
        plan_merge(ours, ours.path)
