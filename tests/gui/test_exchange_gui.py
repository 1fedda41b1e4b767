"""File > Export and File > Import in the window: every format there, imports one undo step, bad rows asked about."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from caseboard.db import rows
from caseboard.db.demo import demo_id
from caseboard.db.exchange import EXPORTS


def _finish(qtbot, op):
    """Wait for an operation on the pool and the delivery of its answer."""
    assert op is not None
    qtbot.waitUntil(lambda: op.finished, timeout=30000)
    return op.result


def _menu(window, title: str):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a.menu() for a in file_menu.actions() if a.menu() is not None and a.text() == title)


def test_file_menu_has_every_export_and_import(make, demo_file: Path) -> None:
    window = make(demo_file)
    exports = [a.text() for a in _menu(window, "&Export").actions() if a.text()]
    assert exports[0] == "&Export Case Summary…"
    assert [f"{f.label}…" for f in EXPORTS] == exports[1:]
    imports = [a.text() for a in _menu(window, "&Import").actions() if a.text()]
    assert imports == ["&Import Report…", "&FollowTheMoney Entities…", "&Spreadsheet (CSV or XLSX)…"]


def test_export_of_the_selection_holds_only_what_it_shows(
    make, qtbot, demo_file: Path, tmp_path: Path
) -> None:
    from caseboard.db.exchange import EXPORT_BY_NAME
    from caseboard.gui.exchange import export_to

    window = make(demo_file)
    window.selection.select_item("actors", demo_id("milley"))
    out = tmp_path / "milley.jsonl"
    assert _finish(qtbot, export_to(window, EXPORT_BY_NAME["timesketch"], out, scoped=True))
    ids = {json.loads(x)["caseboard_id"] for x in out.read_text(encoding="utf-8").splitlines()}
    assert demo_id("milley_decisive") in ids and demo_id("kirby_condemn") not in ids
    whole = tmp_path / "whole.jsonl"
    _finish(qtbot, export_to(window, EXPORT_BY_NAME["timesketch"], whole, scoped=False))
    assert len(whole.read_text(encoding="utf-8").splitlines()) > len(ids)
    assert "Wrote whole.jsonl" in window.statusBar().currentMessage()


def test_ftm_import_offers_merges_and_is_one_undo_step(make, qtbot, demo_file: Path, tmp_path: Path) -> None:
    from caseboard.gui.exchange import open_ftm

    window = make(demo_file)
    path = tmp_path / "in.json"
    ents = [
        {"id": "x-kirby", "schema": "Person", "properties": {"name": ["Kirby"]}},
        {"id": "x-firm", "schema": "Company", "properties": {"name": ["Shell Co"]}},
        {"id": "x-san", "schema": "Sanction", "properties": {"entity": ["x-firm"]}},
    ]
    path.write_text("\n".join(json.dumps(e) for e in ents), encoding="utf-8")
    before = rows.snapshot(window.case)
    _finish(qtbot, op := open_ftm(window, path))
    dialog = op.dialog
    assert "Not mapped (no place for them in a case): 1 Sanction" in dialog.summary.text()
    item = dialog.offers.item(0)
    assert "Kirby" in item.text() and "John F. Kirby" in item.text()
    assert dialog.merges() == set()  # a name match is only offered, not ticked
    item.setCheckState(Qt.CheckState.Checked)
    assert dialog.run_import()
    conn = window.case.conn
    assert conn.execute("SELECT count(*) FROM actors WHERE id IN ('x-kirby', 'x-firm')").fetchone() == (1,)
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Import in.json"
    window.undo_stack.undo()
    assert rows.snapshot(window.case) == before


def test_spreadsheet_with_bad_rows_imports_good_rows_only_after_the_user_agrees(
    make, qtbot, demo_file: Path, tmp_path: Path, monkeypatch
) -> None:
    from caseboard.gui.exchange import SheetImportDialog, open_sheet, remembered_mapping

    window = make(demo_file)
    path = tmp_path / "ports.csv"
    path.write_text(
        "Port,Lat,Long,Country\nVostochny,42.75,133.05,Russia\nAtlantis,91,0,\nRajin Bay,42.2,130.3,North Korea\n",
        encoding="utf-8",
    )
    before = rows.snapshot(window.case)
    _finish(qtbot, op := open_sheet(window, path))
    dialog = op.dialog
    assert dialog.kind.currentData() == "places"
    assert dialog.mapping().columns == {"name": "Port", "country": "Country", "lat": "Lat", "lon": "Long"}
    assert dialog.preview.rowCount() == 3 and dialog.preview.verticalHeaderItem(1).text() == "3"
    assert [dialog.errors.item(i).text() for i in range(dialog.errors.count())] == [
        "row 3, column 'Lat': latitude must be between -90 and 90 degrees (got 91)."
    ]
    monkeypatch.setattr(SheetImportDialog, "confirm_partial", lambda self, plan: False)
    assert not dialog.run_import()
    assert rows.snapshot(window.case) == before and window.undo_stack.count() == 0

    monkeypatch.setattr(SheetImportDialog, "confirm_partial", lambda self, plan: True)
    assert dialog.run_import()
    names = {r[0] for r in window.case.conn.execute("SELECT name FROM places")}
    assert {"Vostochny", "Rajin Bay"} <= names and "Atlantis" not in names
    assert window.undo_stack.count() == 1
    assert remembered_mapping(["Port", "Lat", "Long", "Country"]).columns["lon"] == "Long"
    window.undo_stack.undo()
    assert rows.snapshot(window.case) == before


def test_mapping_changes_in_the_dialog_recheck_the_rows(make, qtbot, demo_file: Path, tmp_path: Path) -> None:
    from caseboard.gui.exchange import open_sheet

    window = make(demo_file)
    path = tmp_path / "people.csv"
    path.write_text("Who,Also known as,Sort\nA. Smith,Al,company\nB. Jones,,\n", encoding="utf-8")
    _finish(qtbot, op := open_sheet(window, path))
    dialog = op.dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("actors"))
    assert (
        "choose the column that holds the name" in dialog.status.text()
        and not dialog.import_button.isEnabled()
    )
    dialog.set_column("name", "Who")
    dialog.set_column("aliases", "Also known as")
    dialog.set_column("kind", "Sort")
    assert dialog.plan is not None and len(dialog.plan.good) == 2 and dialog.import_button.isEnabled()
    assert dialog.run_import()
    kinds = dict(
        window.case.conn.execute("SELECT name, kind FROM actors WHERE name IN ('A. Smith', 'B. Jones')")
    )
    assert kinds == {"A. Smith": "organization", "B. Jones": "other"}
