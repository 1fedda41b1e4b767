"""Spreadsheets in: mapped columns, row-numbered errors, dates through our parser, cited to the sheet, all or nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caseboard.db import rows
from caseboard.db.demo import demo_id
from caseboard.db.exchange.spreadsheet_import import (
    Mapping,
    SheetError,
    apply_sheet,
    guess_mapping,
    read_sheet,
    read_table,
)

EVENTS_CSV = (
    "Event;When;Where;Who;Role\n"
    "Containers loaded;Sept. 7–8, 2023;Najin;North Korea;shipper\n"
    "Ship seen at Dunay;07/09/2023;Dunay;;\n"
    "Depot expanded;early Oct 2023;Ammunition depot near Tikhoretsk;Russia|Unknown Logistics LLC;owner|contractor\n"
    ";2023-10-02;;;\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_guessed_mapping_row_errors_name_rows_and_good_rows_go_in_only_when_asked(
    demo_case, tmp_path: Path
) -> None:
    table = read_table(_write(tmp_path, "events.csv", EVENTS_CSV))
    mapping = guess_mapping(table.header)
    assert mapping.kind == "events"
    assert mapping.columns == {
        "title": "Event",
        "date": "When",
        "place": "Where",
        "actors": "Who",
        "roles": "Role",
    }
    plan = read_sheet(table, mapping)
    assert [str(e) for e in plan.errors] == [
        'row 3, column \'When\': cannot read "07/09/2023" as a date: "07/09/2023" could be day-first or month-first; '
        "write it as 2023-09-07 or 7 Sept 2023",
        "row 5, column 'Event': is required.",
    ]
    before = rows.snapshot(demo_case)
    with pytest.raises(SheetError, match="2 rows have errors, so nothing was imported"):
        apply_sheet(demo_case, plan)
    assert rows.snapshot(demo_case) == before

    changes = apply_sheet(demo_case, plan, only_good=True)  # the user saw the errors and agreed
    conn = demo_case.conn
    loaded = conn.execute(
        "SELECT id, date, place_id FROM events WHERE title = 'Containers loaded'"
    ).fetchone()
    assert loaded[1:] == ("2023-09-07/2023-09-08", demo_id("najin"))
    assert conn.execute(
        "SELECT actor_id, role FROM event_actors WHERE event_id = ?", [loaded[0]]
    ).fetchall() == [(demo_id("north_korea"), "shipper")]
    depot = conn.execute("SELECT id, date FROM events WHERE title = 'Depot expanded'").fetchone()
    assert depot[1] == "2023-10-01~/2023-10-10~"  # "early Oct" through the same parser as the forms
    new_actor = conn.execute("SELECT kind FROM actors WHERE name = 'Unknown Logistics LLC'").fetchone()
    assert new_actor == ("other",)
    # the spreadsheet is a source, kept as the original file, and every imported row cites it with its row number
    src = conn.execute(
        "SELECT id, kind, original_name FROM sources WHERE title = 'Spreadsheet events.csv'"
    ).fetchone()
    assert src[1:] == ("spreadsheet", "events.csv")
    cites = conn.execute(
        "SELECT locator FROM citations WHERE source_id = ? ORDER BY locator", [src[0]]
    ).fetchall()
    assert cites == [("row 2",), ("row 4",)]
    assert not conn.execute("SELECT 1 FROM events WHERE title = 'Ship seen at Dunay'").fetchone()
    # one transaction: undoing the changes restores the case exactly
    rows.revert(demo_case, changes)
    assert rows.snapshot(demo_case) == before


def test_xlsx_statements_with_a_saved_mapping(demo_case, tmp_path: Path) -> None:
    import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Quotes"
    ws.append(["Who said it", "Words", "On", "Type"])
    ws.append(["Kirby", "We are watching this closely.", datetime.datetime(2023, 10, 13), "quote"])
    ws.append(["A. Nonymous", "Ships left at night.", "about Sept 2023", "paraphrase"])
    path = tmp_path / "quotes.xlsx"
    wb.save(path)
    mapping = Mapping.from_json(
        '{"kind": "statements", "columns": {"speaker": "Who said it", "text": "Words", "said": "On", "kind": "Type"},'
        ' "sheet": "Quotes"}'
    )
    plan = read_sheet(read_table(path, mapping.sheet), mapping)
    assert not plan.errors and len(plan.good) == 2
    apply_sheet(demo_case, plan)
    conn = demo_case.conn
    kirby = conn.execute(
        "SELECT speaker_id, said, kind FROM statements WHERE text LIKE 'We are watching%'"
    ).fetchone()
    assert kirby == (demo_id("kirby"), "2023-10-13", "quote")  # "Kirby" is an alias of John F. Kirby
    other = conn.execute(
        "SELECT a.kind, s.said, src.title FROM statements s JOIN actors a ON a.id = s.speaker_id "
        "JOIN sources src ON src.id = s.source_id WHERE s.text = 'Ships left at night.'"
    ).fetchone()
    assert other == ("person", "2023-09~", "Spreadsheet quotes.xlsx")


def test_mapping_mistakes_are_one_line(tmp_path: Path) -> None:
    table = read_table(_write(tmp_path, "p.csv", "Port,Lat,Lon\nNajin,42.256,130.283\n"))
    with pytest.raises(SheetError, match="has no column 'Latitude'"):
        read_sheet(table, Mapping("places", {"name": "Port", "lat": "Latitude"}))
    with pytest.raises(SheetError, match="places have no field 'date'"):
        Mapping.from_json('{"kind": "places", "columns": {"date": "When"}}')
    with pytest.raises(SheetError, match="kind must be one of"):
        Mapping.from_json('{"kind": "ships", "columns": {}}')
    plan = read_sheet(table, guess_mapping(table.header))
    assert plan.mapping.kind == "places" and not plan.errors


def test_cli_import_csv_refuses_bad_rows_unless_told(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "caseboard.cli", *args], capture_output=True, text=True, timeout=120
        )

    case = tmp_path / "c.case"
    assert run("new", str(case), "--title", "C").returncode == 0
    sheet = _write(tmp_path, "ports.csv", "Name,Latitude,Longitude\nNajin,42.256,130.283\nNowhere,95,10\n")
    done = run("import", str(case), str(sheet))
    assert done.returncode == 2 and "row 3, column 'Latitude'" in done.stderr
    assert "nothing was imported" in done.stderr
    info = run("info", str(case), "--json")
    assert '"places": 0' in info.stdout
    done = run("import", str(case), str(sheet), "--skip-bad-rows")
    assert done.returncode == 0, done.stderr
    assert '"places": 1' in run("info", str(case), "--json").stdout
