"""Suggestions an analyst can trust: no phrase can stop an import, every suggestion says how sure it is and
why, and an accepted quote keeps its speaker. The sentences are written for these tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from caseboard.db import actors as db_actors
from caseboard.db import statements
from caseboard.db.case import create_case
from caseboard.ingest import accept as accept_mod
from caseboard.ingest.accept import ACCEPT, LOW_CONFIDENCE, REJECT, accept, accept_all, default_decisions
from caseboard.ingest.dates import partial_date, well_ordered
from caseboard.ingest.model import Quote, Suggestions
from caseboard.ingest.readers import read_text
from caseboard.ingest.suggest import suggest, to_json

OLD = dt.date(2022, 10, 20)


@pytest.fixture
def case(tmp_path: Path):
    c = create_case(tmp_path / "t.case", title="T")
    yield c
    c.close()


@pytest.mark.parametrize(
    "text",
    [
        "Since July the harbour will stay closed.",
        "The embargo has been in force since 2025.",
        "On September 12 and 5 ministers signed the pact.",
        "Inspections ran from July 2023 to October 2022.",
        "The ferry sailed on 31 April.",
    ],
)
def test_no_phrase_gives_an_inverted_or_impossible_date(text: str, case) -> None:
    s = suggest(text, published=OLD)
    for e in s.events:
        assert well_ordered(e.date), e.date
        assert partial_date(e.date, e.approximate) is not None
    to_json(s)  # the JSON form reads every date too
    accept_all(case, read_text(text), s, allow_duplicate=True)


def test_since_a_month_looks_back_even_in_a_future_sentence() -> None:
    s = suggest("Since July it will stay shut.", published=OLD)
    assert [e.date for e in s.events] == ["2022-07/2022-10-20"]


def test_a_day_and_a_count_are_not_a_range() -> None:
    s = suggest("On September 12 and 5 ministers signed the pact.", published=OLD)
    assert [e.date for e in s.events] == ["2022-09-12"]


def test_a_failing_rule_costs_its_kind_not_the_import(monkeypatch) -> None:
    def broken(*_a, **_k):
        raise RuntimeError("odd text")

    monkeypatch.setattr("caseboard.ingest.suggest.extract_places", broken)
    s = suggest("Customs officers in Rotterdam seized the crates on 3 May 2023.", published=OLD)
    assert s.events and not s.places
    assert any("Places were not suggested" in n for n in s.notes)
    assert to_json(s)["notes"] == s.notes


def test_one_refused_suggestion_is_left_out_and_the_rest_go_in(case, monkeypatch) -> None:
    text = "“We found the crates,” said Inspector Mara Quint on 3 May 2023 in Rotterdam."
    s = suggest(text, published=OLD)
    assert s.quotes and s.events
    real_add = accept_mod.events.add_event

    def refuse(*a, **k):
        raise ValueError("a date the case refuses")

    monkeypatch.setattr(accept_mod.events, "add_event", refuse)
    skipped: list[str] = []
    accept_all(case, read_text(text), s, skipped=skipped)
    monkeypatch.setattr(accept_mod.events, "add_event", real_add)
    assert len(skipped) == len(s.events) and "left out" in skipped[0]
    stored = statements.list_statements(case)
    assert [x.text for x in stored] == ["We found the crates,"] or [x.text for x in stored] == [
        "We found the crates"
    ]
    assert case.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_an_accepted_quote_creates_its_speaker_even_when_the_actor_is_rejected(case) -> None:
    text = "“The manifest was forged,” said Inspector Mara Quint."
    s = suggest(text, published=OLD)
    assert s.quotes[0].speaker == "Mara Quint"
    decisions = default_decisions(case, s)
    for key in decisions:
        if key[0] == "actors":
            decisions[key].action = REJECT
    accept(case, read_text(text), s, decisions)
    stored = statements.list_statements(case)
    speaker = db_actors.get_actor(case, stored[0].speaker_id)
    assert speaker.name == "Mara Quint"


def test_a_quote_with_a_speaker_no_actor_was_suggested_for_keeps_it(case) -> None:
    s = Suggestions(
        published=OLD, quotes=[Quote(text="We will appeal.", speaker="Odile Brandt", spans=[(1, 16)])]
    )
    text = "“We will appeal.” Nothing else."
    accept_all(case, read_text(text), s)
    stored = statements.list_statements(case)
    assert db_actors.get_actor(case, stored[0].speaker_id).name == "Odile Brandt"


def test_every_suggestion_has_a_confidence_and_a_reason() -> None:
    text = (
        "ROTTERDAM — Customs officers seized 40 crates of rifles from the freighter Blue Finch on 3 May 2023, "
        "the Dutch Customs Agency said. “The crates were labelled as tractor parts,” said Inspector Mara "
        "Quint. The ship had sailed from Antwerp."
    )
    data = to_json(suggest(text, published=OLD))
    for kind in ("actors", "places", "events", "shipments", "quotes"):
        assert data[kind], kind
        for item in data[kind]:
            assert 0 < item["confidence"] <= 1 and item["reason"], (kind, item)


def test_low_confidence_suggestions_start_unchecked(case) -> None:
    text = "“Nothing moved,” a line read. Later: “The cargo is gone and the papers are false.”"
    s = suggest("Captain Ilse Varga spoke first. " + text, published=OLD)
    low = [i for i, q in enumerate(s.quotes) if q.confidence < LOW_CONFIDENCE]
    assert low, [(q.text, q.confidence) for q in s.quotes]
    review = default_decisions(case, s, threshold=LOW_CONFIDENCE)
    assert all(review[("quotes", i)].action == REJECT for i in low)
    assert all(d.action == ACCEPT for d in default_decisions(case, s).values())


def test_cli_accept_all_reports_a_full_disk_in_one_line_and_warns_of_what_was_left_out(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import sqlite3

    from caseboard.cli import main

    report = tmp_path / "r.txt"
    report.write_text(
        "“We found the crates,” said Inspector Mara Quint on 3 May 2023 in Rotterdam.\n", encoding="utf-8"
    )
    path = tmp_path / "x.case"
    create_case(path, title="x").close()

    def refuse(*a, **k):
        raise ValueError("a date the case refuses")

    monkeypatch.setattr(accept_mod.events, "add_event", refuse)
    assert main(["ingest", str(report), "--case", str(path), "--accept-all"]) == 0
    out = capsys.readouterr()
    assert "warning: Date" in out.err and "left out" in out.err and "Imported into" in out.out

    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("caseboard.ingest.accept.accept", full)
    assert main(["ingest", str(report), "--case", str(path), "--accept-all", "--allow-duplicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "disk is full" in err and "Traceback" not in err
