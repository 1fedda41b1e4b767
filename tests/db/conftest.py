"""Fixtures for the db tests: case files as an older Caseboard wrote them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def make_old_case() -> Callable[[Path, str], Path]:
    """Write a case file whose schema stops before the named migration, as an older Caseboard left it."""

    def make(path: Path, stop_before: str) -> Path:
        from sqlite_utils import Database

        from caseboard.db import schema

        conn = sqlite3.connect(path, isolation_level=None)
        db = Database(conn, execute_plugins=False)
        schema.migration_set().apply(db, stop_before=stop_before)
        applied = len(schema.migration_set().applied(db))
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {applied}")
        conn.execute("INSERT INTO case_info(key, value) VALUES ('title', 'Old')")
        conn.close()
        return path

    return make
