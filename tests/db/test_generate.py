"""The synthetic case generator: a small generated case is a valid, searchable, reproducible case file."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from caseboard.cli import main
from caseboard.db.case import open_case
from caseboard.db.dates import PartialDate
from caseboard.db.fields import clean
from caseboard.db.generate import generate_case, imo_check_digit
from caseboard.db.info import case_info
from caseboard.db.search import search_table

SIZES = {"events": 2_000, "statements": 400, "actors": 120, "places": 80, "shipments": 60}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "small.case"
    report = generate_case(path, seed=3, **SIZES)
    assert report.path == path
    assert report.seconds > 0
    return path


def _content_digest(path: Path) -> str:
    """A digest of every row of every data table (file bytes differ by creation time)."""
    conn = sqlite3.connect(path)
    h = hashlib.sha256()
    for table in ("sources", "actors", "places", "shipments", "legs", "events", "event_actors", "statements",
                  "citations"):  # fmt: skip
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def test_opens_and_counts_match(generated: Path) -> None:
    with open_case(generated) as case:
        info = case_info(case)
        assert not case.readonly
        assert case.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert case.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert case.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for table in ("events", "statements", "actors", "places", "shipments"):
        assert info.counts[table] == SIZES[table]
    assert SIZES["shipments"] <= info.counts["legs"] <= 4 * SIZES["shipments"]
    assert info.counts["sources"] > 0
    assert info.counts["citations"] >= SIZES["statements"]
    assert info.first_day is not None and info.last_day is not None


def test_cli_info_accepts_it(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(generated)]) == 0
    assert "2,000" in capsys.readouterr().out


def test_dates_round_trip(generated: Path) -> None:
    conn = sqlite3.connect(generated)
    precisions = set()
    approximate = ranges = 0
    for table, col in (("events", "date"), ("statements", "said"), ("shipments", "date"), ("legs", "depart")):
        rows = conn.execute(
            f"SELECT {col}, {col}_start, {col}_end FROM {table} WHERE {col} IS NOT NULL"
        ).fetchall()
        for text, start, end in random.Random(1).sample(rows, min(300, len(rows))):
            d = PartialDate.from_edtf(text)
            assert d.edtf() == text
            assert (d.start_day(), d.end_day()) == (start, end)
            precisions.add(d.precision)
            approximate += d.approximate
            ranges += d.is_range and d.precision == "day"
    conn.close()
    assert precisions == {"day", "month", "year"}
    assert approximate > 0 and ranges > 0


def test_events_sorted_by_date_in_rowid_order(generated: Path) -> None:
    conn = sqlite3.connect(generated)
    starts = [r[0] for r in conn.execute("SELECT date_start FROM events ORDER BY rowid")]
    conn.close()
    assert starts == sorted(starts)


def test_vessels_have_valid_imo_numbers(generated: Path) -> None:
    conn = sqlite3.connect(generated)
    vessels = conn.execute("SELECT name, imo, flag FROM actors WHERE kind = 'vessel'").fetchall()
    conn.close()
    assert vessels
    for name, imo, flag in vessels:
        assert name.startswith("M/V ")
        assert flag
        assert len(imo) == 7 and imo_check_digit(imo[:6]) == int(imo[6])
        assert clean("actors", {"name": name, "kind": "vessel", "imo": imo})["imo"] == imo


def test_places_have_plausible_coordinates(generated: Path) -> None:
    conn = sqlite3.connect(generated)
    rows = conn.execute("SELECT name, kind, lat, lon FROM places").fetchall()
    conn.close()
    assert any(name == "Najin" and kind == "port" for name, kind, _lat, _lon in rows)
    for _name, _kind, lat, lon in rows:
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_full_text_search_finds_common_and_rare_words(generated: Path) -> None:
    with open_case(generated, readonly=True) as case:
        common = search_table(case.conn, "statements", "the", limit=50)
        assert common.total > SIZES["statements"] // 2
        assert len(common.ids) == 50
        word = case.conn.execute("SELECT text FROM statements LIMIT 1").fetchone()[0].split()[-1].strip(".")
        assert search_table(case.conn, "statements", f'"{word}"').ids
        assert search_table(case.conn, "events", "arrived").ids
        assert search_table(case.conn, "actors", "M/V").ids


def test_deterministic_for_a_seed(generated: Path, tmp_path: Path) -> None:
    again = generate_case(tmp_path / "again.case", seed=3, **SIZES)
    other = generate_case(tmp_path / "other.case", seed=4, **SIZES)
    assert _content_digest(again.path) == _content_digest(generated)
    assert _content_digest(other.path) != _content_digest(generated)


def test_refuses_to_overwrite_without_force(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(generated), "--events", "10"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_cli_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.case"
    args = ["generate", str(out), "--events", "500", "--statements", "50", "--actors", "30", "--places", "20",
            "--shipments", "10", "--seed", "5", "--compare"]  # fmt: skip
    assert main(args) == 0
    line = capsys.readouterr().out
    assert "Wrote" in line and "floor" in line and "ratio" in line
    with open_case(out) as case:
        assert case_info(case).counts["events"] == 500


def test_relationships_with_a_hub_and_fitting_kinds(generated: Path) -> None:
    with open_case(generated) as case:
        conn = case.conn
        assert conn.execute("SELECT count(*) FROM relationships").fetchone()[0] == 2 * SIZES["actors"]
        hub = conn.execute(
            "SELECT from_actor_id, count(*) FROM relationships GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
        assert hub[1] >= 2 * SIZES["actors"] // 4
        # a ship is owned, operated, managed or flagged, never "family of"
        kinds = {
            r[0]
            for r in conn.execute(
                "SELECT r.kind FROM relationships r JOIN actors f ON f.id = r.from_actor_id "
                "JOIN actors t ON t.id = r.to_actor_id WHERE f.kind = 'state' AND t.kind = 'vessel'"
            )
        }
        assert kinds <= {"flag state of"}
        for since, since_start, until_end in conn.execute(
            "SELECT since, since_start, until_end FROM relationships WHERE since IS NOT NULL"
        ):
            assert clean("relationships", {"since": since}, partial=True)["since_start"] == since_start
            assert until_end is None or until_end >= since_start
        cited = conn.execute(
            "SELECT count(*) FROM citations WHERE subject_table = 'relationships'"
        ).fetchone()[0]
        assert cited > 0
