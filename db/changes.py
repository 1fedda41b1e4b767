"""Sharing case work between analysts: a changeset of everything since a baseline copy, and applying one.

Two analysts take copies of the same case (same ``case_id`` in ``case_info``). Each keeps a **baseline** next to
the case (``CASE.case-baseline``: the case as it was when shared work started, moved forward by every merge), so
"my work" is the difference between the case and its baseline. SQLite's session extension computes that
difference as a standard changeset; Python's ``sqlite3`` does not expose it, ``apsw`` does.

apsw bundles its own SQLite library. Two SQLite libraries must never have the same file open in one process
(each keeps its own POSIX lock bookkeeping, so one can drop the other's locks), so apsw only ever touches
copies made with the backup API and the baseline file, never the open case.

Applying is done here in Python, not by ``sqlite3changeset_apply``: every row goes through ``rows`` so it is
logged in history (labelled with whose work it was), kept in the FTS indexes, and returned as ``Change`` rows
that undo as one step. Conflicts are decided three ways (the changeset's old value, theirs, ours, and our
baseline to tell our own edits from earlier merges) and nothing is written until each one has a choice.

File format: a zip holding ``header.json`` (case id, schema version, author, time, counts, column names) and
``changeset.bin`` (the SQLite changeset, readable by any tool that speaks the session format).
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from caseboard.db import rows, schema
from caseboard.db.case import Case, connect, inspect_file, open_case
from caseboard.db.errors import CaseError
from caseboard.db.rows import Change

FORMAT = "caseboard-changes"
FORMAT_VERSION = 1
SUFFIX = ".changes"
BASELINE_SUFFIX = "-baseline"
CASE_ID_KEY = "case_id"
#: Tables never exchanged: the edit log (each side keeps its own), the migration record, and the link chart's
#: node positions (a view's layout, each analyst's own; not facts).
NOT_SHARED = frozenset({"history", "_sqlite_migrations", "chart_positions"})
#: case_info keys that belong to one copy and are never exchanged.
PRIVATE_INFO = frozenset({CASE_ID_KEY})

Op = Literal["insert", "update", "delete"]
Choice = Literal["theirs", "ours"]


# -- identity and baseline ----------------------------------------------------------------------------------
def baseline_path(case_path: str | os.PathLike[str]) -> Path:
    p = Path(case_path)
    return p.with_name(p.name + BASELINE_SUFFIX)


def case_id(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM case_info WHERE key = ?", [CASE_ID_KEY]).fetchone()
    return row[0] if row else None


def ensure_case_id(case: Case) -> str:
    """Cases made before ids existed get one the first time their work is shared."""
    found = case_id(case.conn)
    if found:
        return found
    new = rows.new_id()
    case.set_info(CASE_ID_KEY, new)
    return new


def has_baseline(case: Case) -> bool:
    return baseline_path(case.path).exists()


def start_shared_work(case: Case) -> Path:
    """Keep the case as it is now as the baseline that later changesets are measured from."""
    case.require_writable()
    base = baseline_path(case.path)
    if base.exists():
        raise CaseError(
            f'"{case.path.name}" already has a baseline ({base.name}); starting again would count work not yet '
            "shared as shared. Delete the baseline first if that is what you want."
        )
    ensure_case_id(case)
    return case.backup_to(base)


# -- the schema, read from the file -------------------------------------------------------------------------
def shared_tables(conn: Any) -> list[str]:
    """Tables whose rows are exchanged, parents before children: every table with a primary key except the
    log, the migration record, FTS tables and their shadow tables. Read from the file, so tables added by later
    migrations take part without being listed here."""
    master = [tuple(r) for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")]
    virtual = [n for n, sql in master if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    out = []
    for name, _sql in master:
        if name.startswith("sqlite_") or name in NOT_SHARED or name in virtual:
            continue
        if any(name.startswith(v + "_") for v in virtual):
            continue
        if any(r[5] for r in conn.execute(f"PRAGMA table_info({name})")):
            out.append(name)
    return _parents_first(conn, out)


def _parents_first(conn: Any, tables: list[str]) -> list[str]:
    parents = {t: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({t})") if r[2] != t} for t in tables}
    done: list[str] = []
    while len(done) < len(tables):
        ready = [t for t in tables if t not in done and parents[t] <= set(done) | (parents[t] - set(tables))]
        if not ready:  # a cycle: keep the file's order for the rest
            ready = [t for t in tables if t not in done]
        done.extend(ready)
    return done


def _columns(conn: Any, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _pk(conn: Any, table: str) -> list[str]:
    info = list(conn.execute(f"PRAGMA table_info({table})"))
    return [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]


# -- the file ---------------------------------------------------------------------------------------------------
@dataclass
class Header:
    case_id: str
    title: str
    schema_version: int
    author: str
    created: str
    app_version: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    def summary(self) -> str:
        n = {op: sum(c.get(op, 0) for c in self.counts.values()) for op in ("insert", "update", "delete")}
        return f"{n['insert']} added, {n['update']} changed, {n['delete']} deleted"


@dataclass(frozen=True)
class Entry:
    """One row change in a changeset, by column name. ``old`` holds the key and, for updates, the old values
    of the changed columns only (SQLite records nothing for unchanged ones); ``new`` likewise."""

    table: str
    op: Op
    key: tuple[Any, ...]
    old: dict[str, Any]
    new: dict[str, Any]

    @property
    def row_id(self) -> str:
        return "|".join(str(k) for k in self.key)


@dataclass
class Changes:
    header: Header
    changeset: bytes

    def entries(self) -> list[Entry]:
        """The row changes, by column name. A file from someone else is untrusted: a damaged changeset is one
        message, and table and column names are only ever used after checking them against this case."""
        import apsw

        try:
            return self._entries()
        except (apsw.Error, KeyError, IndexError, TypeError, ValueError):
            raise CaseError("The changes file is damaged: its changeset cannot be read.") from None

    def _entries(self) -> list[Entry]:
        import apsw

        out = []
        for ch in apsw.Changeset.iter(self.changeset):
            cols = self.header.columns.get(ch.name)
            if cols is None or len(cols) < ch.column_count:
                raise CaseError(
                    f"The changes file is damaged: table {ch.name!r} is not described in its header."
                )
            op: Op = ch.op.lower()  # type: ignore[assignment]
            old = _named(cols, ch.old)
            new = _named(cols, ch.new)
            pk = [cols[i] for i in sorted(ch.pk_columns)]  # apsw gives the key columns' indexes
            key = tuple((old if op != "insert" else new)[c] for c in pk)
            if ch.name == "case_info" and key and key[0] in PRIVATE_INFO:
                continue
            out.append(Entry(ch.name, op, key, old, new))
        return out


def _named(cols: list[str], values: Any) -> dict[str, Any]:
    import apsw

    if values is None:
        return {}
    return {c: v for c, v in zip(cols, values, strict=False) if v is not apsw.no_change}


def default_author() -> str:
    with contextlib.suppress(Exception):
        return os.environ.get("CASEBOARD_AUTHOR") or getpass.getuser()
    return "unknown"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _scratch(beside: Path) -> Iterator[Path]:
    """Working copies go next to the case: same disk and permissions, not a shared /tmp (or RAM)."""
    with tempfile.TemporaryDirectory(prefix=".caseboard-changes-", dir=beside) as tmp:
        yield Path(tmp)


def _apsw_connect(path: Path) -> Any:
    """apsw's connection, hardened like Caseboard's own (files may come from someone else)."""
    import apsw

    con = apsw.Connection(str(path))
    con.execute("PRAGMA trusted_schema = OFF")
    return con


def make_changes(case: Case, *, since: str | os.PathLike[str] | None = None, author: str = "") -> Changes:
    """Everything changed in ``case`` since its baseline (or since the copy ``since``)."""
    import apsw

    from caseboard.db.appinfo import app_version

    base = Path(since) if since is not None else baseline_path(case.path)
    if not base.exists():
        if since is not None:
            raise CaseError(f'"{base}" does not exist.')
        raise CaseError(
            f'"{case.path.name}" has no baseline yet: start shared work first '
            "(File > Share Changes…, or `caseboard changes CASE --start`)."
        )
    inspect_file(base)
    mine = case_id(case.conn)
    with _scratch(case.path.parent) as tmp:
        current = tmp / "current.case"
        case.backup_to(current)
        old = tmp / "baseline.case"
        shutil.copyfile(base, old)
        # open_case brings an older baseline to this schema, so the two compare column by column
        with open_case(old) as b:
            theirs = case_id(b.conn)
        if theirs and mine and theirs != mine:
            raise CaseError(f'"{base}" is a copy of another case, not a baseline of "{case.title}".')
        con = _apsw_connect(current)
        try:
            con.execute("ATTACH ? AS baseline", (str(old),))
            session = apsw.Session(con, "main")
            tables = shared_tables(con)
            for t in tables:
                session.attach(t)
                session.diff("baseline", t)
            blob = session.changeset()
            session.close()
            columns = {t: _columns(con, t) for t in tables}
        finally:
            con.close()
    header = Header(
        case_id=mine or "",
        title=case.title,
        schema_version=schema.SCHEMA_VERSION,
        author=author or default_author(),
        created=_now(),
        app_version=app_version(),
        columns=columns,
    )
    changes = Changes(header, blob)
    for e in changes.entries():
        header.counts.setdefault(e.table, {}).setdefault(e.op, 0)
        header.counts[e.table][e.op] += 1
    return changes


def write_changes(changes: Changes, path: str | os.PathLike[str]) -> Path:
    """Write a changes file whole or not at all (a full disk keeps the old file and says so)."""
    from caseboard.db.atomic_write import atomic_output

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("header.json", json.dumps(changes.header.as_dict(), indent=1, ensure_ascii=False))
        z.writestr("changeset.bin", changes.changeset)
    with atomic_output(path) as fh:
        fh.write(buf.getvalue())
    return Path(path)


#: Largest members read from a changes file (a hostile zip must not fill memory).
MAX_HEADER_BYTES = 16 << 20
MAX_CHANGESET_BYTES = 2 << 30


def read_changes(path: str | os.PathLike[str]) -> Changes:
    """Read a changes file from someone else: every part is checked before it is used."""
    p = Path(path)
    if not p.exists():
        raise CaseError(f'"{p}" does not exist.')
    not_ours = CaseError(f'"{p}" is not a Caseboard changes file.')
    try:
        with zipfile.ZipFile(p) as z:
            sizes = {"header.json": MAX_HEADER_BYTES, "changeset.bin": MAX_CHANGESET_BYTES}
            for name, limit in sizes.items():
                if z.getinfo(name).file_size > limit:
                    raise CaseError(f'"{p}" is too large to be a changes file ({name}).')
            head = json.loads(z.read("header.json"))
            blob = z.read("changeset.bin")
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError, OSError):
        raise not_ours from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise not_ours
    if not isinstance(head.get("format_version"), int) or head["format_version"] > FORMAT_VERSION:
        raise CaseError(f'"{p}" was written by a newer Caseboard; upgrade Caseboard to apply it.')
    try:
        header = Header(**{k: v for k, v in head.items() if k in Header.__dataclass_fields__})
    except TypeError:
        raise CaseError(f'"{p}" is not a Caseboard changes file (its header is incomplete).') from None
    if not _header_ok(header):
        raise CaseError(f'"{p}" is damaged: its header does not have the expected fields.')
    return Changes(header, blob)


def _header_ok(h: Header) -> bool:
    texts = (h.case_id, h.title, h.author, h.created, h.app_version)
    return (
        all(isinstance(t, str) for t in texts)
        and isinstance(h.schema_version, int)
        and isinstance(h.columns, dict)
        and all(isinstance(c, list) and all(isinstance(x, str) for x in c) for c in h.columns.values())
        and isinstance(h.counts, dict)
        and all(
            isinstance(c, dict) and all(isinstance(n, int) for n in c.values()) for c in h.counts.values()
        )
    )


def check_compatible(case: Case, changes: Changes) -> None:
    """Refuse another case's changes, and changes from a schema this Caseboard does not know."""
    h = changes.header
    mine = case_id(case.conn)
    if not mine or h.case_id != mine:
        raise CaseError(
            f'These changes are from another case ("{h.title}"), not from a copy of "{case.title}"; '
            "use Merge Case File to combine two different cases."
        )
    if h.schema_version > schema.SCHEMA_VERSION:
        raise CaseError(
            f"These changes were made with a newer Caseboard (schema {h.schema_version}, this one knows "
            f"{schema.SCHEMA_VERSION}); upgrade Caseboard to apply them."
        )


# -- planning ---------------------------------------------------------------------------------------------------
ConflictKind = Literal["edited-both", "added-both", "deleted-here", "deleted-there", "missing-link", "in-use"]


@dataclass
class Step:
    """A row write the merge will make."""

    table: str
    op: Op
    row_id: str
    values: dict[str, Any]


@dataclass
class Conflict:
    """A place where both analysts' work meets; nothing is written for it until ``choice`` is set."""

    kind: ConflictKind
    table: str
    row_id: str
    label: str
    fields: list[str]
    old: dict[str, Any] | None
    theirs: dict[str, Any] | None
    ours: dict[str, Any] | None
    theirs_steps: list[Step]
    ours_steps: list[Step] = field(default_factory=list)
    can_take_theirs: bool = True
    choice: Choice | None = None

    def describe(self) -> str:
        what = {
            "edited-both": f"both edited {', '.join(self.fields)}",
            "added-both": "both added it with different values",
            "deleted-here": "deleted here, edited there",
            "deleted-there": "edited here, deleted there",
            "missing-link": f"theirs refers to {', '.join(self.fields)} deleted here",
            "in-use": f"deleted there, still used here by {', '.join(self.fields)}",
        }[self.kind]
        return f"{self.table[:-1] if self.table.endswith('s') else self.table} {self.label}: {what}"

    def cells(self) -> list[tuple[str, str, str, str]]:
        """(field, old, theirs, ours) as words, one line per field, for the review dialog and the CLI."""
        if self.kind in ("edited-both", "added-both", "deleted-there", "deleted-here") and self.fields:
            gone = "(deleted)"
            return [
                (
                    f,
                    _show((self.old or {}).get(f)) if self.old is not None else "",
                    gone if self.theirs is None else _show(self.theirs.get(f)),
                    gone if self.ours is None else _show(self.ours.get(f)),
                )
                for f in self.fields
            ]
        if self.kind == "deleted-there":
            return [("", "", "(deleted)", "(kept)")]
        if self.kind == "missing-link":
            return [("", "", "adds it, pointing at " + ", ".join(self.fields), "(those were deleted here)")]
        if self.kind == "in-use":
            return [("", "", "(deleted)", "still used by " + ", ".join(self.fields))]
        return [("", "", "", "")]

    def values_text(self) -> str:
        if self.kind != "edited-both":
            return ""
        return "; ".join(f"{f}: old {o}, theirs {t}, ours {u}" for f, o, t, u in self.cells())


def _show(v: Any) -> str:
    if v is None or v == "":
        return "(empty)"
    if isinstance(v, int | float):
        return str(v)
    s = str(v)
    return f"“{s if len(s) <= 60 else s[:57] + '…'}”"


@dataclass
class Plan:
    changes: Changes
    steps: list[Step]
    conflicts: list[Conflict]
    already: int = 0  # changes already present here

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.choice is None]

    def resolve_all(self, choice: Choice) -> None:
        for c in self.conflicts:
            c.choice = "ours" if choice == "theirs" and not c.can_take_theirs else choice

    def label(self) -> str:
        h = self.changes.header
        return f"Merge changes from {h.author} ({h.created[:10]})"


_LABEL_COLUMNS = ("name", "title", "cargo", "text", "key", "role")


def _label(row: dict[str, Any] | None, row_id: str) -> str:
    for c in _LABEL_COLUMNS:
        if row and row.get(c):
            s = str(row[c])
            return f'"{s if len(s) <= 50 else s[:47] + "..."}"'
    return row_id[:8]


class _Baseline:
    """Read rows of our own baseline, to tell our edits apart from values an earlier merge brought in."""

    def __init__(self, case: Case) -> None:
        path = baseline_path(case.path)
        self.conn = connect(path, readonly=True) if path.exists() else None

    def row(self, table: str, pk: list[str], key: tuple[Any, ...]) -> dict[str, Any] | None:
        if self.conn is None:
            return None
        where = " AND ".join(f"{k} = ?" for k in pk)
        try:
            cur = self.conn.execute(f"SELECT * FROM {table} WHERE {where}", list(key))
        except sqlite3.Error:
            return None
        r = cur.fetchone()
        return None if r is None else dict(zip([d[0] for d in cur.description], r, strict=True))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _fetch(case: Case, table: str, pk: list[str], key: tuple[Any, ...]) -> dict[str, Any] | None:
    where = " AND ".join(f"{k} = ?" for k in pk)
    cur = case.conn.execute(f"SELECT * FROM {table} WHERE {where}", list(key))
    r = cur.fetchone()
    return None if r is None else dict(zip([d[0] for d in cur.description], r, strict=True))


def _same(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Equal on the columns both know (a changeset from an older schema lacks newer columns)."""
    if a is None or b is None:
        return a is b
    return all(a[k] == b[k] for k in a.keys() & b.keys())


def _deleted_row(case: Case, table: str, row_id: str) -> dict[str, Any] | None:
    """The row as it was when it was last deleted here (history keeps it), to bring it back."""
    r = case.conn.execute(
        "SELECT old FROM history WHERE table_name = ? AND row_id = ? AND action = 'delete' ORDER BY seq DESC LIMIT 1",
        [table, row_id],
    ).fetchone()
    return json.loads(r[0]) if r and r[0] else None


def plan(case: Case, changes: Changes) -> Plan:
    """What applying ``changes`` would do here, and where it meets our own work. Reads only."""
    check_compatible(case, changes)
    base = _Baseline(case)
    try:
        return _plan(case, changes, base)
    finally:
        base.close()


def _plan(case: Case, changes: Changes, base: _Baseline) -> Plan:
    here = set(shared_tables(case.conn))
    cols_here = {t: set(_columns(case.conn, t)) for t in here}
    pks = {t: _pk(case.conn, t) for t in here}
    steps: list[Step] = []
    conflicts: list[Conflict] = []
    already = 0
    for e in changes.entries():
        if e.table not in here:
            continue  # a table this copy does not have (cannot happen for the same or an older schema)
        pk = pks[e.table]
        new = {k: v for k, v in e.new.items() if k in cols_here[e.table]}
        old = {k: v for k, v in e.old.items() if k in cols_here[e.table]}
        ours = _fetch(case, e.table, pk, e.key)
        rid = e.row_id
        if e.op == "insert":
            if ours is None:
                steps.append(Step(e.table, "insert", rid, new))
            elif _same(ours, new):
                already += 1
            else:
                diff = [k for k in new if ours.get(k) != new[k]]
                conflicts.append(
                    Conflict(
                        "added-both", e.table, rid, _label(ours, rid), diff, None, new, ours,
                        [Step(e.table, "update", rid, {k: new[k] for k in diff})],
                    )
                )  # fmt: skip
        elif e.op == "update":
            changed = {k: v for k, v in new.items() if k not in pk}
            if ours is None:
                was = _deleted_row(case, e.table, rid) or base.row(e.table, pk, e.key)
                restore = None if was is None else {**was, **changed}
                conflicts.append(
                    Conflict(
                        "deleted-here", e.table, rid, _label(restore, rid), sorted(changed), old, changed, None,
                        [Step(e.table, "insert", rid, restore)] if restore else [],
                        can_take_theirs=restore is not None,
                    )
                )  # fmt: skip
                continue
            take: dict[str, Any] = {}
            clash: list[str] = []
            mine = base.row(e.table, pk, e.key)
            for k, v in changed.items():
                if ours.get(k) == v:
                    continue
                if k in old and ours.get(k) == old[k]:
                    take[k] = v
                elif mine is not None and mine.get(k) == ours.get(k):
                    take[k] = v  # unchanged here since the baseline: an earlier merge put it there
                else:
                    clash.append(k)
            if take:
                steps.append(Step(e.table, "update", rid, take))
            if clash:
                conflicts.append(
                    Conflict(
                        "edited-both", e.table, rid, _label(ours, rid), clash, {k: old.get(k) for k in clash},
                        {k: changed[k] for k in clash}, {k: ours.get(k) for k in clash},
                        [Step(e.table, "update", rid, {k: changed[k] for k in clash})],
                    )
                )  # fmt: skip
            elif not take:
                already += 1
        else:  # delete
            if ours is None:
                already += 1
            elif _same(old, ours) or _same(base.row(e.table, pk, e.key), ours):
                steps.append(Step(e.table, "delete", rid, {}))
            else:
                diff = [k for k in ours if k in old and ours[k] != old[k]]
                conflicts.append(
                    Conflict(
                        "deleted-there", e.table, rid, _label(ours, rid), diff, {k: old.get(k) for k in diff},
                        None, {k: ours[k] for k in diff}, [Step(e.table, "delete", rid, {})],
                    )
                )  # fmt: skip
    _keep_children_with_parent(case, steps, conflicts, pks)
    conflicts.extend(_link_conflicts(case, steps, pks))
    return Plan(changes, steps, conflicts, already)


def _keep_children_with_parent(
    case: Case, steps: list[Step], conflicts: list[Conflict], pks: dict[str, list[str]]
) -> None:
    """Their delete of a row we edited went with the deletes of its children (involved actors, citations):
    those follow the choice made for the row, so keeping ours keeps the whole item."""
    parents = {(c.table, c.row_id): c for c in conflicts if c.kind == "deleted-there"}
    if not parents:
        return
    fks = _fks(case, list(pks))
    for s in list(steps):
        if s.op != "delete":
            continue
        row = rows.fetch_row(case, s.table, s.row_id) or {}
        refs = [(p, row.get(col)) for col, p in fks.get(s.table, [])]
        if row.get("subject_table"):
            refs.append((row["subject_table"], row.get("subject_id")))
        owner = next((parents[(p, v)] for p, v in refs if (p, v) in parents), None)
        if owner is not None:
            steps.remove(s)
            owner.theirs_steps.insert(0, s)


def _fks(case: Case, tables: list[str]) -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, parent table)] for single-column foreign keys."""
    out: dict[str, list[tuple[str, str]]] = {}
    for t in tables:
        out[t] = [(r[3], r[2]) for r in case.conn.execute(f"PRAGMA foreign_key_list({t})") if r[1] == 0]
    return out


def _link_conflicts(case: Case, steps: list[Step], pks: dict[str, list[str]]) -> list[Conflict]:
    """Their rows that point at something deleted here, and their deletes of something ours still uses.

    Steps involved are taken out of ``steps`` and become conflicts, so no foreign key is left dangling.
    """
    tables = list(pks)
    fks = _fks(case, tables)
    inserted = {(s.table, s.row_id) for s in steps if s.op == "insert"}
    deleted = {(s.table, s.row_id) for s in steps if s.op == "delete"}

    def exists(table: str, row_id: str) -> bool:
        if (table, row_id) in inserted:
            return True
        if (table, row_id) in deleted or table not in pks or len(pks[table]) != 1:
            return False
        return (
            case.conn.execute(f"SELECT 1 FROM {table} WHERE {pks[table][0]} = ?", [row_id]).fetchone()
            is not None
        )

    out: list[Conflict] = []
    for s in list(steps):
        if s.op == "delete":
            continue
        links = [(c, p, s.values[c]) for c, p in fks.get(s.table, []) if s.values.get(c) is not None]
        if s.values.get("subject_table") in pks and s.values.get("subject_id"):
            links.append(("subject_id", s.values["subject_table"], s.values["subject_id"]))
        missing = [(c, p, v) for c, p, v in links if not exists(p, v)]
        if not missing:
            continue
        steps.remove(s)
        restores = []
        for _c, p, v in missing:
            was = _deleted_row(case, p, str(v))
            if was is not None:
                restores.append(Step(p, "insert", str(v), was))
        row = s.values if s.op == "insert" else rows.fetch_row(case, s.table, s.row_id)
        out.append(
            Conflict(
                "missing-link", s.table, s.row_id, _label(row, s.row_id), [f"{p[:-1]} {str(v)[:8]}" for _c, p, v in missing],
                None, s.values, None, [*restores, s], can_take_theirs=len(restores) == len(missing),
            )
        )  # fmt: skip
    for s in list(steps):
        if s.op != "delete" or len(pks.get(s.table, [])) != 1:
            continue
        users = []
        for child, cfks in fks.items():
            for col, parent in cfks:
                if parent != s.table:
                    continue
                for (cid,) in case.conn.execute(
                    f"SELECT {_id_sql(pks[child])} FROM {child} WHERE {col} = ?", [s.row_id]
                ).fetchall():
                    if (child, cid) not in deleted:
                        users.append(child)
        if "citations" in pks:
            for (cid,) in case.conn.execute(
                "SELECT id FROM citations WHERE subject_table = ? AND subject_id = ?", [s.table, s.row_id]
            ).fetchall():
                if ("citations", cid) not in deleted:
                    users.append("citations")
        if not users:
            continue
        steps.remove(s)
        deleted.discard((s.table, s.row_id))
        ours = rows.fetch_row(case, s.table, s.row_id)
        counts = {u: users.count(u) for u in dict.fromkeys(users)}
        out.append(
            Conflict(
                "in-use", s.table, s.row_id, _label(ours, s.row_id), [f"{n} {t}" for t, n in counts.items()],
                None, None, None, [Step(s.table, "delete", s.row_id, {"cascade": True})],
            )
        )  # fmt: skip
    return out


def _id_sql(pk: list[str]) -> str:
    return " || '|' || ".join(pk)


# -- applying ----------------------------------------------------------------------------------------------------
def apply_plan(case: Case, p: Plan) -> list[Change]:
    """Write the plan in one transaction; every conflict must have a choice. Returns the Change rows made."""
    if p.unresolved:
        raise CaseError(f"{len(p.unresolved)} conflicts have no choice yet; nothing was applied.")
    steps = list(p.steps)
    for c in p.conflicts:
        steps.extend(c.theirs_steps if c.choice == "theirs" else c.ours_steps)
    order = shared_tables(case.conn)
    rank = {t: i for i, t in enumerate(order)}
    writes = sorted(
        (s for s in steps if s.op != "delete"), key=lambda s: (s.op != "insert", rank.get(s.table, 0))
    )
    deletes = sorted((s for s in steps if s.op == "delete"), key=lambda s: -rank.get(s.table, 0))
    done: list[Change] = []
    # an outer transaction's label (the window's action) wins over the plan's own
    with case.transaction(label=p.label()):
        case.conn.execute("PRAGMA defer_foreign_keys = ON")
        for s in writes:
            if _is_content(s.values):
                _store_content(case, s)
            elif s.op == "insert":
                if rows.fetch_row(case, s.table, s.row_id) is None:
                    done.append(rows.insert(case, s.table, s.values))
            else:
                ch = rows.update(case, s.table, s.row_id, s.values)
                if ch.old != ch.new:
                    done.append(ch)
        for s in deletes:
            ours = rows.fetch_row(case, s.table, s.row_id)
            if ours is None or _is_content(ours):
                continue
            if s.values.get("cascade"):
                from caseboard.db import refs

                done.extend(refs.delete_with_dependents(case, s.table, s.row_id, cascade=True))
            else:
                done.append(rows.delete(case, s.table, s.row_id))
        bad = case.conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            t, _rowid, parent, _fk = bad[0]
            raise CaseError(
                f"Merging would leave {len(bad)} broken links (a {t[:-1]} pointing at a missing "
                f"{parent[:-1]}); nothing was applied. Choose differently for the conflicts involved."
            )
    return done


def _is_content(values: dict[str, Any]) -> bool:
    """Rows holding file contents (kept originals) are a content-addressed store: added once, never logged
    (history holds rows as JSON) and never deleted by an edit, so a merge only adds what is missing."""
    return any(isinstance(v, bytes) for v in values.values())


def _store_content(case: Case, s: Step) -> None:
    if s.op != "insert":
        return
    cols = ", ".join(s.values)
    marks = ", ".join("?" for _ in s.values)
    case.conn.execute(f"INSERT OR IGNORE INTO {s.table} ({cols}) VALUES ({marks})", list(s.values.values()))


def apply_changes(
    case: Case, changes: Changes, *, policy: Choice | None = None, record: bool = True
) -> tuple[Plan, list[Change]]:
    """Plan, resolve every conflict with ``policy`` (None: refuse if there is any), apply, and move the
    baseline forward. For scripts; the window shows the plan in a review dialog instead."""
    p = plan(case, changes)
    if p.conflicts and policy is None:
        return p, []
    if policy is not None:
        p.resolve_all(policy)
    done = apply_plan(case, p)
    if record:
        record_in_baseline(case, changes)
    return p, done


# -- keeping the baseline in step -------------------------------------------------------------------------------
def record_in_baseline(case: Case, changes: Changes) -> bool:
    """Apply their changeset to our baseline too, so our next changeset does not send their work back to them
    and their later changes to the same rows are not mistaken for conflicts. Our choice of "ours" in a
    conflict then shows up as our own change, which is what the colleague should receive."""
    return _into_baseline(case, changes.changeset)


def forget_in_baseline(case: Case, changes: Changes) -> bool:
    """Undo ``record_in_baseline`` (the merge itself was undone)."""
    import apsw

    return _into_baseline(case, apsw.Changeset.invert(changes.changeset))


def _into_baseline(case: Case, blob: bytes) -> bool:
    import apsw

    path = baseline_path(case.path)
    if not path.exists():
        return False
    with open_case(path):  # an older baseline is brought to this schema first
        pass
    con = _apsw_connect(path)
    try:

        def on_conflict(reason: int, _change: Any) -> int:
            if reason in (apsw.SQLITE_CHANGESET_DATA, apsw.SQLITE_CHANGESET_CONFLICT):
                return apsw.SQLITE_CHANGESET_REPLACE
            return apsw.SQLITE_CHANGESET_OMIT

        apsw.Changeset.apply(blob, con, conflict=on_conflict)
    finally:
        con.close()
    return True
