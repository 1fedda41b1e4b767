"""Accepting suggestions into a case: one transaction, exact quote spans, citations that point at the words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseboard.cli.ingest import main
from caseboard.db import actors as db_actors
from caseboard.db import crud, rows
from caseboard.db.case import create_case
from caseboard.db.demo import write_demo
from caseboard.ingest.accept import (
    ACCEPT,
    MERGE,
    REJECT,
    Decision,
    DuplicateReportError,
    accept,
    accept_all,
    default_decisions,
    known_actors,
    quote_parts,
    summarize,
)
from caseboard.ingest.model import Quote
from caseboard.ingest.readers import read_document, read_text
from caseboard.ingest.suggest import suggest

WIRE = Path(__file__).resolve().parents[2] / "bench" / "extraction_set" / "texts" / "demo_wire.txt"


@pytest.fixture
def empty(tmp_path: Path):
    case = create_case(tmp_path / "empty.case", title="Empty")
    yield case
    case.close()


@pytest.fixture
def demo(tmp_path: Path):
    case = write_demo(tmp_path / "demo.case")
    yield case
    case.close()


def _import(case, path: Path = WIRE, **kw):
    doc = read_document(path)
    s = suggest(doc.text, published=doc.published, known_actors=known_actors(case))
    return doc, s, accept_all(case, doc, s, reliability="B", **kw)


def _source(case):
    return case.conn.execute(
        "SELECT id, text, text_sha256, reliability, url, published FROM sources"
    ).fetchall()


def test_empty_case_gets_source_with_text_and_hash(empty):
    doc, _, _ = _import(empty)
    (sid, text, sha, grade, url, published) = _source(empty)[0]
    assert text == doc.text and sha == doc.sha256
    assert grade == "B"
    assert url == "https://news.example.org/2023/10/13/dprk-munitions"
    assert published == "2023-10-13"


def test_quotes_keep_exact_spans_and_speakers(empty):
    doc, s, _ = _import(empty)
    got = empty.conn.execute(
        "SELECT s.text, s.source_start, s.source_end, s.kind, a.name FROM statements s "
        "LEFT JOIN actors a ON a.id = s.speaker_id ORDER BY s.source_start"
    ).fetchall()
    assert len(got) == len(s.quotes) == 4
    for text, start, end, kind, _speaker in got:
        assert doc.text[start:end] == text
        assert kind == "quote"
    assert got[0][4] == "John F. Kirby"
    assert got[2][4] == "Mark A. Milley"
    assert got[0][0].startswith("We condemn the D.P.R.K.")


def test_every_fact_cites_the_source_at_its_words(empty):
    doc, _, changes = _import(empty)
    made = {
        (c.table, c.row_id)
        for c in changes
        if c.action == "insert" and c.table not in ("sources", "citations")
    }
    cited = {
        (t, i): (a, b)
        for t, i, a, b in empty.conn.execute(
            "SELECT subject_table, subject_id, text_start, text_end FROM citations"
        )
    }
    for table, row_id in made:
        if table == "event_actors":
            continue
        assert (table, row_id) in cited, f"{table} {row_id} has no citation"
    for text, sid in empty.conn.execute("SELECT text, id FROM statements"):
        a, b = cited[("statements", sid)]
        assert doc.text[a:b] == text
    for name, pid in empty.conn.execute("SELECT name, id FROM places WHERE name = 'Najin'"):
        a, b = cited[("places", pid)]
        assert doc.text[a:b] == name
    credibilities = {c for (c,) in empty.conn.execute("SELECT DISTINCT credibility FROM citations")}
    assert credibilities == {6}


def test_places_events_shipments_and_legs(empty):
    _import(empty)
    najin = empty.conn.execute("SELECT lat, lon, precision FROM places WHERE name = 'Najin'").fetchone()
    assert najin[0] == pytest.approx(42.256, abs=0.01) and najin[2] == "exact"
    no_coords = empty.conn.execute("SELECT precision FROM places WHERE lat IS NULL").fetchall()
    assert all(p == "unknown" for (p,) in no_coords)
    dates = {d for (d,) in empty.conn.execute("SELECT date FROM events")}
    assert "2023-09-12" in dates and "2023-09-07/2023-09-08" in dates
    involved = empty.conn.execute(
        "SELECT a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "JOIN events e ON e.id = ea.event_id WHERE e.date = '2023-09'"
    ).fetchall()
    assert ("Kim Jong-un",) in involved
    leg = empty.conn.execute(
        "SELECT f.name, t.name, l.mode, c.name, l.depart, l.arrive FROM legs l "
        "JOIN places f ON f.id = l.from_place_id JOIN places t ON t.id = l.to_place_id "
        "LEFT JOIN actors c ON c.id = l.carrier_id WHERE f.name = 'Najin'"
    ).fetchone()
    assert leg == ("Najin", "Dunay", "sea", "Angara", "2023-09-07/2023-09-08", "2023-09-12")
    qty = empty.conn.execute(
        "SELECT quantity, quantity_qualifier, unit FROM shipments ORDER BY quantity"
    ).fetchall()
    assert (300, "about", "containers") in qty


def test_demo_case_merges_actors_and_adds_aliases(demo):
    before = crud.count(demo, "actors")
    _, s, changes = _import(demo)
    for name in ("John F. Kirby", "North Korea", "Russia", "Mark A. Milley"):
        n = demo.conn.execute("SELECT count(*) FROM actors WHERE name = ?", [name]).fetchone()[0]
        assert n == 1, name
    kirby = db_actors.find_actor(demo, "John F. Kirby")
    assert "Mr. Kirby" in kirby.aliases and "Kirby" in kirby.aliases
    assert "Pyongyang" in db_actors.find_actor(demo, "North Korea").aliases
    summary = summarize(changes)
    assert summary.merged["actors"] >= 10
    assert crud.count(demo, "actors") == before + summary.created["actors"]
    # quotes of a merged speaker point at the case's actor
    speaker = demo.conn.execute(
        "SELECT speaker_id FROM statements WHERE text LIKE 'We condemn the D.P.R.K.%' AND source_start IS NOT NULL"
    ).fetchone()[0]
    assert speaker == kirby.id


def test_reimport_is_refused_unless_allowed(demo):
    _import(demo)
    n = crud.count(demo, "statements")
    with pytest.raises(DuplicateReportError, match="already in the case"):
        _import(demo)
    assert crud.count(demo, "statements") == n  # nothing half-written
    _import(demo, allow_duplicate=True)
    assert crud.count(demo, "sources") == len(_source(demo))


def test_decisions_reject_edit_merge(empty):
    text = (
        "# source: https://example.org/a | Harbour Post | 2023-10-13\n"
        "Captain Ilya Sorokin, the master of the tanker Lantern, said on Friday that the ship left Tartus.\n\n"
        "“We carried grain and nothing else,” Sorokin told reporters.\n"
    )
    db_actors.add_actor(empty, name="Ilya Sorokin", kind="person")
    doc = read_text(text)
    s = suggest(doc.text, published=doc.published, known_actors=known_actors(empty))
    decisions = default_decisions(empty, s)
    sorokin = next(i for i, a in enumerate(s.actors) if "Sorokin" in a.name)
    assert decisions[("actors", sorokin)].action == MERGE
    for i in range(len(s.actors)):
        if i != sorokin:
            decisions[("actors", i)] = Decision(REJECT)
    decisions[("quotes", 0)] = Decision(ACCEPT, values={"text": "We carried grain"})
    changes = accept(empty, doc, s, decisions, reliability="C", source_fields={"title": "Harbour Post story"})
    assert crud.count(empty, "actors") == 1  # merged, the rest rejected
    st = empty.conn.execute("SELECT text, source_start, source_end, speaker_id FROM statements").fetchone()
    assert st[0] == "We carried grain" and doc.text[st[1] : st[2]] == "We carried grain"
    assert st[3] == db_actors.find_actor(empty, "Ilya Sorokin").id
    title = empty.conn.execute("SELECT title, reliability FROM sources").fetchone()
    assert title == ("Harbour Post story", "C")
    rows.revert(empty, changes)
    assert crud.count(empty, "statements") == 0 and crud.count(empty, "sources") == 0


def test_broken_quote_becomes_exact_parts():
    text = "“We asked them to stop,” she said. “They did not.”"
    q = Quote(text="We asked them to stop, They did not.", speaker="X", spans=[(1, 23), (36, 49)])
    parts = quote_parts(text, q)
    assert [text[a:b] for a, b, _, _ in parts] == [w for _, _, w, _ in parts]
    assert len(parts) == 2 and "Part 1 of 2" in parts[0][3]
    assert quote_parts(text, q, "something else")[0][:2] == (None, None)


def test_cli_accept_all(tmp_path: Path, capsys):
    path = tmp_path / "d.case"
    write_demo(path).close()
    assert main([str(WIRE), "--case", str(path), "--accept-all", "--reliability", "b"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0
    assert re.search(r"\d+ actors \(\d+ merged\), \d+ places.*, 4 quotes", out)
    assert main([str(WIRE), "--case", str(path), "--accept-all"]) == 2
    err = capsys.readouterr().err.strip()
    assert "already in the case" in err and err.count("\n") == 0
    assert main([str(WIRE), "--case", str(tmp_path / "missing.case"), "--accept-all"]) == 2
    assert main([str(WIRE), "--case", str(path)]) == 2
