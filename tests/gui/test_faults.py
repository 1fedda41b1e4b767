"""Faults during work: a full disk while importing, editing and exporting; SQLite errors in edits.

Each ends with one line (command line) or one dialog (window); the case passes ``integrity_check`` and holds what
it held before; an output file that was there is intact.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from caseboard.cli import main
from caseboard.db import places
from caseboard.db.demo import write_demo
from caseboard.gui.forms import EntityForm

WIRE = Path(__file__).resolve().parents[2] / "bench" / "extraction_set" / "texts" / "demo_wire.txt"


def _check(path: Path) -> dict[str, int]:
    """integrity_check passes; the row counts, to compare before and after."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = ("actors", "places", "events", "statements", "sources", "citations", "history")
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


def _demo_on(folder: Path) -> Path:
    path = folder / "demo.case"
    write_demo(path).close()
    return path


def test_full_disk_during_ingest_is_one_line_and_changes_nothing(tiny_disk, capsys) -> None:
    case = _demo_on(tiny_disk.path)
    before = _check(case)
    tiny_disk.fill(leave=4096)
    assert main(["ingest", str(WIRE), "--case", str(case), "--accept-all"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "full" in err and "Traceback" not in err
    tiny_disk.free()
    assert _check(case) == before


def test_sqlite_error_during_ingest_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    """The same without a small disk: the writer fails the way SQLite does when the disk is full."""
    from caseboard.ingest import accept

    case = _demo_on(tmp_path)
    before = _check(case)
    real = accept.accept_all

    def fails_midway(c, *args, **kwargs):
        real(c, *args, **kwargs)  # rows written inside the transaction, then the disk fills
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(accept, "accept_all", fails_midway)
    assert main(["ingest", str(WIRE), "--case", str(case), "--accept-all"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "full" in err
    assert _check(case) == before


def _new_place_fails(window, monkeypatch, name: str) -> list[str]:
    """Add a place through the form; the form is accepted once, then closed; returns the dialogs shown."""
    shown: list[str] = []
    calls = []

    def fake_exec(self):
        calls.append(1)
        if len(calls) > 1:
            return QDialog.DialogCode.Rejected
        self.widget("name").setText(name)
        notes = self.widget("notes")
        (notes.setPlainText if hasattr(notes, "setPlainText") else notes.setText)("x" * 90_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EntityForm, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    window.edit_actions.new_actions["places"].trigger()
    return shown


def test_full_disk_during_an_edit_is_one_dialog(tiny_disk, make, monkeypatch) -> None:
    case = _demo_on(tiny_disk.path)
    window = make(case)
    before = _check(case)
    tiny_disk.fill(leave=0)
    shown = _new_place_fails(window, monkeypatch, "Port on a full disk")
    assert len(shown) == 1 and "disk is full" in shown[0] and "\n" not in shown[0]
    assert places.find_place(window.case, "Port on a full disk") is None
    window.close_case()
    tiny_disk.free()
    assert _check(case) == before


def test_view_instead_of_a_table_in_an_edit_is_one_dialog(make, tmp_path: Path, monkeypatch) -> None:
    """An SQLite error other than CaseError (here: the history table replaced under the open case)."""
    case = _demo_on(tmp_path)
    window = make(case)
    window.case.conn.execute("ALTER TABLE history RENAME TO history_kept")
    window.case.conn.execute("CREATE VIEW history AS SELECT * FROM history_kept")
    shown = _new_place_fails(window, monkeypatch, "Somewhere")
    assert len(shown) == 1 and "not as Caseboard made them" in shown[0]
    assert places.find_place(window.case, "Somewhere") is None


def test_export_on_a_full_disk_from_the_window_keeps_the_old_pdf(tiny_disk, tmp_path: Path) -> None:
    from caseboard.cli.export import ensure_app
    from caseboard.db.atomic_write import OutputWriteError
    from caseboard.db.case import open_case
    from caseboard.gui.report.export import export_case

    ensure_app()
    case = _demo_on(tmp_path)
    out = tiny_disk.path / "summary.pdf"
    with open_case(case, readonly=True) as c:
        export_case(c, out)
        good = out.read_bytes()
        tiny_disk.fill(leave=8192)
        with pytest.raises(OutputWriteError, match="disk full"):
            export_case(c, out)
    assert out.read_bytes() == good


def test_save_a_copy_on_a_full_disk_keeps_the_old_copy(tiny_disk, tmp_path: Path) -> None:
    from caseboard.db.atomic_write import OutputWriteError
    from caseboard.db.case import open_case

    case = _demo_on(tmp_path)
    target = tiny_disk.path / "copy.case"
    with open_case(case) as c:
        c.backup_to(target)
        good = target.read_bytes()
        tiny_disk.fill(leave=4096)
        with pytest.raises(OutputWriteError, match="disk full"):
            c.backup_to(target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tiny_disk.path.iterdir()) == [".filler", "copy.case"]
