"""The case file's schema and its migrations.

A case file is a plain SQLite database marked with ``PRAGMA application_id`` so any SQLite tool can read it and
Caseboard can tell its own files from other databases. The schema only ever moves forward through the named
migrations below (sqlite-utils ``Migrations``); ``PRAGMA user_version`` mirrors how many have been applied so a
reader can tell a file written by a newer Caseboard without parsing the migrations table.

Dates are stored three ways per field ``X``: ``X`` holds the partial date as EDTF text (``2023-09``,
``2023-09-07/2023-09-08``, ``2023-09-29~``), ``X_start`` and ``X_end`` hold the first and last day covered as
days since 1970-01-01, so ranges sort, filter and draw without parsing text.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if (
    TYPE_CHECKING
):  # sqlite-utils is imported only when a migration runs: it costs a third of a second at start-up
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

#: "CASE" in ASCII, read as a big-endian 32-bit integer.
APPLICATION_ID = 0x43415345

MIGRATION_SET = "caseboard"

ACTOR_KINDS = ("person", "organization", "state", "vessel", "other")
PLACE_KINDS = (
    "port",
    "depot",
    "city",
    "town",
    "region",
    "sea",
    "border crossing",
    "airport",
    "facility",
    "other",
)
PLACE_PRECISIONS = ("exact", "approximate", "region", "unknown")
SHIPMENT_STATUSES = ("reported", "confirmed", "intercepted", "suspected")
LEG_MODES = ("sea", "rail", "road", "air", "other")
STATEMENT_KINDS = ("quote", "paraphrase")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = (1, 2, 3, 4, 5, 6)

#: Words for one row of each table, for messages ("this event cites no source").
NOUN = {
    "actors": "actor",
    "places": "place",
    "shipments": "shipment",
    "legs": "leg",
    "events": "event",
    "statements": "statement",
    "sources": "source",
    "relationships": "relationship",
    "citations": "citation",
}

#: Tables a citation could point at in the first schema (migration 0001 is frozen with this list).
CITABLE_0001 = ("actors", "places", "shipments", "legs", "events", "statements")
#: Tables a citation may point at now (0004 added relationships).
CITABLE = (*CITABLE_0001, "relationships")

#: Kinds of relationship between two actors, read "FROM is <kind> TO" ("Russia is flag state of M/V Angara").
#: A small fixed list so every kind maps onto one FollowTheMoney interval schema (see ``RELATIONSHIP_FTM``).
RELATIONSHIP_KINDS = (
    "owner of",
    "operator of",
    "manager of",
    "flag state of",
    "member of",
    "employee of",
    "director of",
    "family of",
    "associate of",
    "paid by",
    "other",
)
#: kind -> FollowTheMoney schema; kinds FtM has no schema for go to UnknownLink with the kind as its role.
RELATIONSHIP_FTM = {
    "owner of": "Ownership",
    "operator of": "UnknownLink",
    "manager of": "UnknownLink",
    "flag state of": "UnknownLink",
    "member of": "Membership",
    "employee of": "Employment",
    "director of": "Directorship",
    "family of": "Family",
    "associate of": "Associate",
    "paid by": "UnknownLink",
    "other": "UnknownLink",
}

#: (name, function) in the order they apply; registered with sqlite-utils ``Migrations`` on first use.
MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = []


def _migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        MIGRATIONS.append((name, fn))
        return fn

    return register


@cache
def migration_set() -> Migrations:
    from sqlite_utils.migrations import Migrations

    ms = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:
        ms(name=name)(fn)
    return ms


def _in(values: tuple) -> str:
    return ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)


def _date(col: str) -> str:
    return f"{col} TEXT, {col}_start INTEGER, {col}_end INTEGER"


@_migration("0001_initial")
def _initial(db: Database) -> None:
    ddl = f"""
    CREATE TABLE case_info (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL CHECK (length(trim(title)) > 0),
        kind TEXT NOT NULL DEFAULT 'report',
        outlet TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        {_date("published")},
        reliability TEXT NOT NULL DEFAULT 'F' CHECK (reliability IN ({_in(RELIABILITY_GRADES)})),
        via_id TEXT REFERENCES sources(id) ON DELETE SET NULL,
        notes TEXT NOT NULL DEFAULT '',
        text TEXT,
        text_sha256 TEXT
    );
    CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        kind TEXT NOT NULL CHECK (kind IN ({_in(ACTOR_KINDS)})),
        aliases TEXT NOT NULL DEFAULT '[]',
        description TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        flag TEXT NOT NULL DEFAULT '',
        imo TEXT NOT NULL DEFAULT '' CHECK (imo = '' OR imo GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9]')
    );
    CREATE INDEX actors_name ON actors(name COLLATE NOCASE);
    CREATE INDEX actors_kind ON actors(kind, name);
    CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ({_in(PLACE_KINDS)})),
        aliases TEXT NOT NULL DEFAULT '[]',
        country TEXT NOT NULL DEFAULT '',
        lat REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
        lon REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),
        precision TEXT NOT NULL DEFAULT 'exact' CHECK (precision IN ({_in(PLACE_PRECISIONS)})),
        notes TEXT NOT NULL DEFAULT '',
        CHECK ((lat IS NULL) = (lon IS NULL))
    );
    CREATE INDEX places_name ON places(name COLLATE NOCASE);
    CREATE TABLE shipments (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        cargo TEXT NOT NULL CHECK (length(trim(cargo)) > 0),
        quantity REAL CHECK (quantity IS NULL OR quantity >= 0),
        quantity_qualifier TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        shipper_id TEXT REFERENCES actors(id),
        receiver_id TEXT REFERENCES actors(id),
        status TEXT NOT NULL DEFAULT 'reported' CHECK (status IN ({_in(SHIPMENT_STATUSES)})),
        {_date("date")},
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX shipments_shipper ON shipments(shipper_id);
    CREATE INDEX shipments_receiver ON shipments(receiver_id);
    CREATE TABLE legs (
        id TEXT PRIMARY KEY,
        shipment_id TEXT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        from_place_id TEXT REFERENCES places(id),
        to_place_id TEXT REFERENCES places(id),
        mode TEXT NOT NULL DEFAULT 'other' CHECK (mode IN ({_in(LEG_MODES)})),
        carrier_id TEXT REFERENCES actors(id),
        {_date("depart")},
        {_date("arrive")},
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX legs_shipment ON legs(shipment_id, seq);
    CREATE INDEX legs_from ON legs(from_place_id);
    CREATE INDEX legs_to ON legs(to_place_id);
    CREATE INDEX legs_carrier ON legs(carrier_id);
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL CHECK (length(trim(title)) > 0),
        description TEXT NOT NULL DEFAULT '',
        {_date("date")},
        place_id TEXT REFERENCES places(id),
        shipment_id TEXT REFERENCES shipments(id) ON DELETE SET NULL
    );
    CREATE INDEX events_date ON events(date_start, date_end);
    CREATE INDEX events_place ON events(place_id);
    CREATE INDEX events_shipment ON events(shipment_id);
    CREATE TABLE event_actors (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        actor_id TEXT NOT NULL REFERENCES actors(id),
        role TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (event_id, actor_id, role)
    );
    CREATE INDEX event_actors_actor ON event_actors(actor_id);
    CREATE TABLE statements (
        id TEXT PRIMARY KEY,
        speaker_id TEXT REFERENCES actors(id),
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        kind TEXT NOT NULL DEFAULT 'quote' CHECK (kind IN ({_in(STATEMENT_KINDS)})),
        {_date("said")},
        source_id TEXT REFERENCES sources(id),
        source_start INTEGER CHECK (source_start IS NULL OR source_start >= 0),
        source_end INTEGER CHECK (source_end IS NULL OR source_end >= source_start),
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX statements_speaker ON statements(speaker_id, said_start);
    CREATE INDEX statements_said ON statements(said_start);
    CREATE INDEX statements_source ON statements(source_id);
    CREATE TABLE citations (
        id TEXT PRIMARY KEY,
        subject_table TEXT NOT NULL CHECK (subject_table IN ({_in(CITABLE_0001)})),
        subject_id TEXT NOT NULL,
        source_id TEXT NOT NULL REFERENCES sources(id),
        credibility INTEGER NOT NULL DEFAULT 6 CHECK (credibility IN ({_in(CREDIBILITY_GRADES)})),
        locator TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX citations_subject ON citations(subject_table, subject_id);
    CREATE INDEX citations_source ON citations(source_id);
    CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL,
        old TEXT,
        new TEXT,
        label TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX history_row ON history(table_name, row_id, seq);

    CREATE VIRTUAL TABLE statements_fts USING fts5(text, content='statements', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE actors_fts USING fts5(name, aliases, content='actors', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE events_fts USING fts5(title, description, content='events', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE sources_fts USING fts5(title, outlet, content='sources', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE places_fts USING fts5(name, aliases, content='places', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2');
    """
    _run(db, ddl)


#: (FTS table, content table, indexed columns). Kept in step by ``rows`` from Python, not by triggers:
#: with ``trusted_schema`` off SQLite refuses triggers that write to FTS5 tables, and a case file from someone
#: else must not be trusted.
FTS = (
    ("statements_fts", "statements", ("text",)),
    ("actors_fts", "actors", ("name", "aliases")),
    ("events_fts", "events", ("title", "description")),
    ("sources_fts", "sources", ("title", "outlet")),
    ("places_fts", "places", ("name", "aliases")),
    ("relationships_fts", "relationships", ("label", "role", "notes")),
)


def _run(db: Database, script: str) -> None:
    """Run DDL statement by statement so it stays inside the migration's transaction.

    ``executescript`` would COMMIT the open transaction first, losing the all-or-nothing guarantee.
    """
    import sqlite3

    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                db.conn.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete DDL statement: {buf[:80]}")


@_migration("0002_event_actors_by_actor")
def _event_actors_by_actor(db: Database) -> None:
    """Selecting an actor finds its events through this index alone, without visiting the table's rows."""
    db.conn.execute("CREATE INDEX IF NOT EXISTS event_actors_actor_event ON event_actors(actor_id, event_id)")


@_migration("0003_provenance")
def _provenance(db: Database) -> None:
    """Sources a reader can find again, the report itself kept in the case, and case-wide settings.

    Originals are stored once per content (keyed by SHA-256) and never deleted by an edit: a source points at its
    original by digest, so undoing the deletion of a source (or re-importing the same report) finds the bytes
    still there, and the history log, which holds rows as JSON, never has to carry file contents. Citations gain
    the character span of the cited passage so the human-readable ``locator`` no longer has to carry offsets.
    """
    ddl = f"""
    CREATE TABLE originals (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
        filename TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL CHECK (size >= 0),
        data BLOB NOT NULL,
        added TEXT NOT NULL
    );
    ALTER TABLE sources ADD COLUMN accessed TEXT;
    ALTER TABLE sources ADD COLUMN accessed_start INTEGER;
    ALTER TABLE sources ADD COLUMN accessed_end INTEGER;
    ALTER TABLE sources ADD COLUMN archive_url TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN original_sha256 TEXT REFERENCES originals(sha256);
    ALTER TABLE sources ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE citations ADD COLUMN text_start INTEGER CHECK (text_start IS NULL OR text_start >= 0);
    ALTER TABLE citations ADD COLUMN text_end INTEGER CHECK (text_end IS NULL OR text_end >= text_start);
    INSERT OR IGNORE INTO case_info(key, value) VALUES ('{SETTING_REQUIRE_SOURCE}', '0');
    """
    _run(db, ddl)


def _widen_citable(db: Database, table: str) -> None:
    """Let citations point at ``table``: rebuild ``citations`` with ``table`` added to its CHECK list.

    SQLite cannot alter a CHECK constraint in place (and defensive mode forbids editing the schema text), so the
    table is rebuilt from its own current definition: columns another migration added survive, whichever order
    the migrations ran in.
    """
    sql = db.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'citations'"
    ).fetchone()[0]
    check = re.search(r"subject_table\s+IN\s*\(([^)]*)\)", sql)
    if check is None or f"'{table}'" in check.group(1):
        return
    widened = sql[: check.end(1)] + f", '{table}'" + sql[check.end(1) :]
    widened = re.sub(r'^CREATE TABLE\s+"?citations"?', "CREATE TABLE citations_widened", widened, count=1)
    indexes = [
        r[0]
        for r in db.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'citations' AND sql IS NOT NULL"
        )
    ]
    db.conn.execute(widened)
    db.conn.execute("INSERT INTO citations_widened SELECT * FROM citations")
    db.conn.execute("DROP TABLE citations")
    db.conn.execute("ALTER TABLE citations_widened RENAME TO citations")
    for index_sql in indexes:
        db.conn.execute(index_sql)


@_migration("0004_relationships")
def _relationships(db: Database) -> None:
    """Relationships between actors (cited, dated like events) and the link chart's node positions."""
    _widen_citable(db, "relationships")
    ddl = f"""
    CREATE TABLE relationships (
        id TEXT PRIMARY KEY,
        from_actor_id TEXT NOT NULL REFERENCES actors(id),
        to_actor_id TEXT NOT NULL REFERENCES actors(id),
        kind TEXT NOT NULL CHECK (kind IN ({_in(RELATIONSHIP_KINDS)})),
        label TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        {_date("since")},
        {_date("until")},
        notes TEXT NOT NULL DEFAULT '',
        CHECK (from_actor_id <> to_actor_id),
        CHECK (kind <> 'other' OR length(trim(label)) > 0)
    );
    CREATE INDEX relationships_from ON relationships(from_actor_id, to_actor_id);
    CREATE INDEX relationships_to ON relationships(to_actor_id, from_actor_id);
    CREATE VIRTUAL TABLE relationships_fts USING fts5(label, role, notes, content='relationships',
        content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
    CREATE TABLE chart_positions (
        node_id TEXT PRIMARY KEY,
        x REAL NOT NULL,
        y REAL NOT NULL
    );
    """
    _run(db, ddl)


#: case_info key: when '1', new facts must name a source (refused with a message otherwise).
SETTING_REQUIRE_SOURCE = "require_source"

#: Number of migrations this version of Caseboard knows; stored in PRAGMA user_version.
SCHEMA_VERSION = len(MIGRATIONS)


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the file has this table: an older case read as it is (one that could not be upgraded, e.g. with
    objects Caseboard did not create) lacks the tables of later migrations."""
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone()
        is not None
    )


def known_migration_names() -> list[str]:
    return [name for name, _fn in MIGRATIONS]


def apply_migrations(db: Database) -> list[str]:
    """Bring the file up to this version's schema; return the names of the migrations applied."""
    migrations = migration_set()
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
    db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return pending
