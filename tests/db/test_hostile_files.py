"""Case files from elsewhere: read-only media, side files, triggers and views Caseboard did not make, missing tables."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from caseboard.cli import main
from caseboard.db import statements
from caseboard.db.case import open_case
from caseboard.db.demo import write_demo
from caseboard.db.errors import DamagedCaseError, ReadOnlyError

SIDE = ("-wal", "-shm", "-lock", "-journal")


def _demo(path: Path) -> Path:
    write_demo(path).close()
    return path


def _sides(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(SIDE) or ".part" in p.name)


def _statement_count(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM statements").fetchone()[0]
    finally:
        conn.close()


# -- side files --------------------------------------------------------------------------------------------------
def test_open_check_and_export_leave_no_side_files(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    assert _sides(tmp_path) == []
    with open_case(case):
        pass
    assert _sides(tmp_path) == []
    with open_case(case, readonly=True) as c:
        assert statements.list_statements(c)
    assert _sides(tmp_path) == []
    assert main(["info", str(case)]) == 0
    assert main(["search", str(case), "munitions"]) == 0
    assert main(["export", str(case), "-o", str(tmp_path / "o.pdf")]) == 0
    assert _sides(tmp_path) == []


# -- read-only media -----------------------------------------------------------------------------------------------
def test_wal_case_alone_on_read_only_media_opens_read_only(tiny_disk, tmp_path: Path, capsys) -> None:
    src = _demo(tmp_path / "demo.case")
    with src.open("rb") as f:
        head = f.read(20)
    assert head[18] == head[19] == 2  # the file says WAL: SQLite wants a -shm beside it to read it normally
    shutil.copyfile(src, tiny_disk.path / "demo.case")
    tiny_disk.read_only()
    ro = tiny_disk.path / "demo.case"
    with open_case(ro) as case:
        assert case.readonly and "read-only on disk" in case.readonly_reason
        assert "damaged" not in case.readonly_reason
        assert len(statements.list_statements(case)) == _statement_count(src)
        reader = case.reader()
        assert reader.execute("SELECT count(*) FROM actors").fetchone()[0] > 0
        reader.close()
        with pytest.raises(ReadOnlyError):
            case.require_writable()
    assert main(["info", str(ro)]) == 0
    assert main(["export", str(ro), "-o", str(tmp_path / "o.pdf")]) == 0


def test_case_with_unsaved_journal_on_read_only_media_reads_a_temporary_copy(
    tiny_disk, tmp_path: Path
) -> None:
    src = _demo(tmp_path / "demo.case")
    with open_case(src) as case:
        case.conn.execute("PRAGMA wal_autocheckpoint = 0")
        with case.transaction():
            case.conn.execute("UPDATE case_info SET value = 'Changed in the journal' WHERE key = 'title'")
        assert (tmp_path / "demo.case-wal").stat().st_size > 0
        shutil.copyfile(src, tiny_disk.path / "demo.case")
        shutil.copyfile(tmp_path / "demo.case-wal", tiny_disk.path / "demo.case-wal")
    tiny_disk.read_only()
    with open_case(tiny_disk.path / "demo.case") as case:
        assert case.readonly and "temporary copy" in case.readonly_reason
        assert case.title == "Changed in the journal"
        copy = case.access.tmpdir
        assert copy is not None and copy.exists()
    assert not copy.exists()


# -- triggers and views ---------------------------------------------------------------------------------------------
def _tamper(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()


def test_trigger_on_history_opens_read_only_and_never_runs(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    n = _statement_count(case)
    _tamper(case, "CREATE TRIGGER purge AFTER INSERT ON history BEGIN DELETE FROM statements; END")
    with open_case(case) as c:
        assert c.readonly and "trigger purge on history" in c.readonly_reason
        with pytest.raises(ReadOnlyError):
            c.require_writable()
    assert (
        main(
            [
                "ingest",
                str(Path(__file__).parents[2] / "bench" / "extraction_set" / "texts" / "demo_wire.txt"),
                "--case",
                str(case),
                "--accept-all",
            ]
        )
        == 2
    )
    assert "read-only" in capsys.readouterr().err
    assert _statement_count(case) == n


def test_trigger_on_migrations_does_not_run_when_an_older_case_opens(tmp_path: Path) -> None:
    case = _demo(tmp_path / "demo.case")
    n = _statement_count(case)
    _tamper(
        case,
        "DELETE FROM _sqlite_migrations WHERE name = (SELECT max(name) FROM _sqlite_migrations)",
        "PRAGMA user_version = 1",
        "CREATE TRIGGER wipe AFTER INSERT ON _sqlite_migrations BEGIN DELETE FROM statements; END",
    )
    with open_case(case) as c:
        assert c.readonly and "wipe" in c.readonly_reason
    assert _statement_count(case) == n


def test_view_instead_of_a_table_opens_read_only(tmp_path: Path) -> None:
    case = _demo(tmp_path / "demo.case")
    _tamper(
        case,
        "ALTER TABLE case_info RENAME TO case_info_old",
        "CREATE VIEW case_info AS SELECT * FROM case_info_old",
    )
    with open_case(case) as c:
        assert c.readonly and "view case_info" in c.readonly_reason


def test_repair_removes_foreign_triggers_and_views(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    _tamper(
        case,
        "CREATE TRIGGER purge AFTER INSERT ON history BEGIN DELETE FROM statements; END",
        "CREATE VIEW spy AS SELECT text FROM statements",
    )
    assert main(["repair", str(case), "--remove-foreign"]) == 0
    out = capsys.readouterr().out
    assert "removed trigger purge on history" in out and "removed view spy" in out
    with open_case(case) as c:
        assert not c.readonly
    assert _sides(tmp_path) == []


def test_missing_tables_are_damage_and_the_file_is_not_touched(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    _tamper(case, "PRAGMA journal_mode = DELETE", "DROP TABLE legs")
    before = case.read_bytes()
    with pytest.raises(DamagedCaseError, match="legs"):
        open_case(case)
    assert main(["info", str(case)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "legs" in err
    assert case.read_bytes() == before
    assert _sides(tmp_path) == []


def test_dropped_search_index_is_an_error_not_an_empty_result(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    _tamper(case, "DROP TABLE statements_fts")
    assert main(["search", str(case), "Kirby"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "statements_fts" in err and "No statements match" not in err


def test_invalid_utf8_text_reads_with_replacement_characters(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    # text, not a blob: SQLite stores the bytes as they are, and Python cannot decode them as UTF-8
    _tamper(case, "UPDATE statements SET text = CAST(X'4b6972627920ff20736169642e' AS TEXT) WHERE rowid = 1")
    assert main(["info", str(case)]) == 0
    assert main(["search", str(case), "Kirby"]) == 0
    assert main(["export", str(case), "-o", str(tmp_path / "o.pdf")]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_inverted_date_in_said_reads_as_no_date(tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    _tamper(case, "UPDATE statements SET said = '2023-09-08/2023-09-07' WHERE rowid = 1")
    with open_case(case) as c:
        assert any(s.said is None for s in statements.list_statements(c))
    assert main(["export", str(case), "-o", str(tmp_path / "o.pdf")]) == 0
    assert main(["info", str(case), "--json"]) == 0
    capsys.readouterr()


def test_case_health_lists_unreadable_values(tmp_path: Path) -> None:
    from caseboard.db import health

    case = _demo(tmp_path / "demo.case")
    with open_case(case, readonly=True) as c:
        assert health.report(c.conn).check("unreadable_values").count == 0
    _tamper(
        case,
        "UPDATE statements SET said_start = X'00' WHERE rowid = 1",
        "UPDATE events SET date_start = date_end + 5 WHERE rowid = 2",
    )
    with open_case(case, readonly=True) as c:
        found = health.report(c.conn).check("unreadable_values")
    assert found.count == 2 and {f.table for f in found.findings} == {"statements", "events"}
