"""Comparing a case file's schema with the one Caseboard's migrations make.

``trusted_schema`` off keeps triggers and views from calling application functions, but not from changing data:
a trigger on ``history`` could delete statements on every edit, one on ``_sqlite_migrations`` when an older case
is upgraded. So a file with triggers or views Caseboard did not create opens read-only, saying which, and a file
missing tables is reported as damaged before anything is written to it.

"Known" is derived by applying the migrations to an in-memory database, so a migration added later is covered
without a list to keep in step.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache

from caseboard.db import schema

#: The table sqlite-utils ``Migrations`` records applied migrations in.
MIGRATIONS_TABLE = "_sqlite_migrations"


def _norm(sql: str | None) -> str:
    return re.sub(r"\s+", " ", (sql or "").strip()).rstrip(";").casefold()


@dataclass(frozen=True)
class KnownSchema:
    #: (type, name) -> normalised SQL variants seen after any migration
    objects: dict[tuple[str, str], frozenset[str]]
    #: tables of the full schema (a current file must have every one)
    tables: frozenset[str]


class _Conn:
    """What a migration uses of a sqlite-utils Database (``db.conn``): no need to import sqlite-utils here."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


@cache
def known_schema() -> KnownSchema:
    """Every object any prefix of the migrations creates, and the tables of the full schema."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    seen: dict[tuple[str, str], set[str]] = {("table", MIGRATIONS_TABLE): {""}}
    for _name, fn in schema.MIGRATIONS:  # intermediate shapes too: an older file may still have them
        fn(_Conn(conn))  # type: ignore[arg-type]
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
            seen.setdefault((kind, name), set()).add(_norm(sql))
    final = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = frozenset(final | {MIGRATIONS_TABLE})
    conn.close()
    return KnownSchema({k: frozenset(v) for k, v in seen.items()}, tables)


@dataclass
class SchemaFindings:
    foreign: list[tuple[str, str, str]] = field(default_factory=list)  # (type, name, table): triggers, views
    missing: list[str] = field(default_factory=list)  # table names
    not_tables: list[tuple[str, str, str]] = field(default_factory=list)  # ("view", "statements", …)

    def named(self) -> list[str]:
        """ "trigger purge on history", "view statements" """
        return [
            f"{k} {n}" + (f" on {t}" if k == "trigger" else "") for k, n, t in self.foreign + self.not_tables
        ]

    @property
    def clean(self) -> bool:
        return not (self.foreign or self.missing or self.not_tables)


def check_schema(conn: sqlite3.Connection, *, current: bool) -> SchemaFindings:
    """Triggers and views Caseboard did not create, and (for a file at this schema version) missing tables."""
    known = known_schema()
    out = SchemaFindings()
    present: dict[str, str] = {}
    for kind, name, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"):
        present[name] = kind
        if kind in ("trigger", "view") and _norm(sql) not in known.objects.get((kind, name), ()):
            out.foreign.append((kind, name, tbl))
    for table in sorted(known.tables):
        kind = present.get(table)
        if kind is None:
            if current:
                out.missing.append(table)
        elif kind != "table":
            out.not_tables.append((kind, table, table))
    return out


def describe(findings: SchemaFindings) -> str:
    """A reason for opening read-only, naming at most three objects."""
    items = findings.named()
    shown = ", ".join(items[:3]) + (f" and {len(items) - 3} more" if len(items) > 3 else "")
    return (
        f"it contains triggers or views Caseboard did not create ({shown}), which could change data on every "
        "edit; remove them with `caseboard repair --remove-foreign` after checking the file"
    )


def remove_foreign(conn: sqlite3.Connection) -> list[str]:
    """Drop the triggers and views Caseboard did not create (in one transaction); returns what was dropped.

    A view standing where a table should be is dropped too; the table is then missing and the file damaged,
    which the next open reports.
    """
    found = check_schema(conn, current=False)
    dropped: list[str] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for (kind, name, _t), label in zip(found.foreign + found.not_tables, found.named(), strict=True):
            if kind not in ("trigger", "view"):
                continue  # an index or table under a table's name: left for the user to sort out
            quoted = name.replace('"', '""')
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{quoted}"')
            dropped.append(label)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return dropped
