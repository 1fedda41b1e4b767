"""Opening case files: every kind of bad file gets a clear error and is left byte-identical."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from caseboard.db import actors, schema
from caseboard.db.case import create_case, open_case
from caseboard.db.errors import (
    CaseFileError,
    DamagedCaseError,
    NotACaseError,
    NotSQLiteError,
    ReadOnlyError,
)


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_new_case_has_schema_marks_and_settings(tmp_path: Path) -> None:
    case = create_case(tmp_path / "a.case", title="Alpha")
    conn = case.conn
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"actors", "places", "shipments", "legs", "events", "statements", "sources", "citations"} <= names
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert applied == schema.known_migration_names()
    assert case.title == "Alpha"
    case.close()


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    create_case(tmp_path / "a.case", title="A").close()
    with pytest.raises(CaseFileError, match="already exists"):
        create_case(tmp_path / "a.case", title="B")


def test_reopen_keeps_data(tmp_path: Path) -> None:
    with create_case(tmp_path / "a.case", title="A") as case:
        actors.add_actor(case, name="Ivan Petrov", kind="person")
    with open_case(tmp_path / "a.case") as case:
        assert [a.name for a in actors.list_actors(case)] == ["Ivan Petrov"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="does not exist"):
        open_case(tmp_path / "nope.case")


def test_folder_is_not_a_case(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="folder"):
        open_case(tmp_path)


@pytest.mark.parametrize(
    "content", [b"", b"hello, this is a text file\n" * 10, b"\x89PNG\r\n\x1a\n" + bytes(200)]
)
def test_not_sqlite_left_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.case"
    path.write_bytes(content)
    with pytest.raises(NotSQLiteError, match="not a Caseboard case file"):
        open_case(path)
    assert _bytes(path) == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.case"]


def test_other_sqlite_database_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = _bytes(path)
    with pytest.raises(NotACaseError, match="SQLite database but not a Caseboard case"):
        open_case(path)
    assert _bytes(path) == before


def _close_to_single_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def test_damaged_file_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "d.case"
    with create_case(path, title="D") as case:
        for i in range(300):
            actors.add_actor(case, name=f"Actor {i} " + "x" * 200, kind="person")
    _close_to_single_file(path)
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(data), 4096 * 12)):
        data[offset] = 0x5A  # scribble over several b-tree pages
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedCaseError, match="damaged"):
        open_case(path)
    assert _bytes(path) == bytes(data)


def test_truncated_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "t.case"
    path.write_bytes(b"SQLite format 3\x00" + bytes(20))
    with pytest.raises(DamagedCaseError):
        open_case(path)


def test_newer_schema_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "n.case"
    with create_case(path, title="N") as case:
        case.conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
            "VALUES ('caseboard', '9999_from_the_future', 'x')"
        )
        case.conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    _close_to_single_file(path)
    before = _bytes(path)
    with open_case(path) as case:
        assert case.readonly
        assert "newer version of Caseboard" in case.readonly_reason
        with pytest.raises(ReadOnlyError, match="newer version"):
            actors.add_actor(case, name="X", kind="person")
    assert _bytes(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "r.case"
    create_case(path, title="R").close()
    _close_to_single_file(path)
    path.chmod(0o444)
    try:
        with open_case(path) as case:
            assert "read-only on disk" in case.readonly_reason
    finally:
        path.chmod(0o644)


def test_read_only_folder_opens_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores permissions, so simulate the check the way the OS would answer it."""
    path = tmp_path / "r.case"
    create_case(path, title="R").close()
    _close_to_single_file(path)
    before = _bytes(path)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with open_case(path) as case:
        assert case.readonly
        assert "read-only on disk" in case.readonly_reason
        assert case.title == "R"
    assert _bytes(path) == before


def test_second_open_is_read_only_while_first_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "s.case"
    first = create_case(path, title="S")
    second = open_case(path)
    assert "another Caseboard window" in second.readonly_reason
    second.close()
    first.close()
    third = open_case(path)
    assert not third.readonly
    third.close()


def test_untrusted_file_cannot_load_extensions(empty_case) -> None:
    with pytest.raises(sqlite3.OperationalError):
        empty_case.conn.execute("SELECT load_extension('/nonexistent/evil')")


def test_backup_copy_is_a_complete_case(demo_case, tmp_path: Path) -> None:
    copy = demo_case.backup_to(tmp_path / "copy.case")
    with open_case(copy) as c:
        assert c.conn.execute("SELECT count(*) FROM actors").fetchone()[0] == 18


def test_locked_by_another_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caseboard.db import case as case_mod
    from caseboard.db.errors import CaseLockedError

    path = tmp_path / "l.case"
    create_case(path, title="L").close()
    _close_to_single_file(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program mid-write, rollback journal mode
    monkeypatch.setattr(case_mod, "BUSY_TIMEOUT_MS", 50)
    try:
        with pytest.raises(CaseLockedError, match="locked by another program"):
            open_case(path)
    finally:
        other.execute("ROLLBACK")
        other.close()


def _older_case(path: Path, upto: int) -> None:
    """A case file as a Caseboard knowing only the first ``upto`` migrations wrote it."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    ms = Migrations(schema.MIGRATION_SET)
    for name, fn in schema.MIGRATIONS[:upto]:
        ms(name=name)(fn)
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    ms.apply(db)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {upto}")
    conn.execute("INSERT INTO case_info(key, value) VALUES ('title', 'Old')")
    conn.execute("INSERT INTO actors(id, name, kind) VALUES ('a1', 'Kept', 'person')")
    conn.execute("INSERT INTO sources(id, title, url) VALUES ('s1', 'Old source', 'https://example.org/r')")
    conn.close()


def test_older_case_is_upgraded_on_open(tmp_path: Path) -> None:
    """A file made before the latest migration gets it when opened for writing, data intact."""
    path = tmp_path / "old.case"
    _older_case(path, schema.SCHEMA_VERSION - 1)
    with open_case(path) as case:
        assert case.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        names = [r[0] for r in case.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert names == schema.known_migration_names()
        assert [a.name for a in actors.list_actors(case)] == ["Kept"]


def test_case_from_before_provenance_gains_source_fields(tmp_path: Path) -> None:
    """Migration 0003 on a file with sources: old values kept, new fields empty, require-source off."""
    from caseboard.db import settings, sources

    path = tmp_path / "v2.case"
    _older_case(path, 2)
    with open_case(path) as case:
        src = sources.get_source(case, "s1")
        assert (src.title, src.url, src.archive_url, src.accessed, src.original_sha256) == (
            "Old source",
            "https://example.org/r",
            "",
            None,
            None,
        )
        assert settings.require_source(case) is False
        indexes = {r[1] for r in case.conn.execute("PRAGMA index_list(event_actors)")}
        assert "event_actors_actor_event" in indexes


def test_older_case_read_only_is_read_through_an_upgraded_copy(tmp_path: Path) -> None:
    """A case from an earlier Caseboard, opened read-only (export, --read-only, read-only media): today's
    queries see today's columns through a temporary upgraded copy, and the file itself keeps every byte."""
    from caseboard.db import sources
    from caseboard.db.info import case_info

    path = tmp_path / "v2.case"
    _older_case(path, 2)
    before = path.read_bytes()
    with open_case(path, readonly=True) as case:
        assert "upgraded temporary copy" in case.readonly_reason
        copy_dir = case.access.tmpdir
        assert sources.get_source(case, "s1").url == "https://example.org/r"
        assert case_info(case).schema_version == 2  # the file's own version, not the copy's
        assert sources.get_source(case, "s1").archive_url == ""  # a column migration 0003 added
    assert path.read_bytes() == before
    assert not copy_dir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2.case"]


def test_older_case_exports_from_the_command_line(tmp_path: Path) -> None:
    from caseboard.cli import main

    path = tmp_path / "v2.case"
    _older_case(path, 2)
    before = path.read_bytes()
    assert main(["export", str(path), "-o", str(tmp_path / "out.pdf")]) == 0
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    assert main(["health", str(path), "--json"]) == 0
    assert path.read_bytes() == before
