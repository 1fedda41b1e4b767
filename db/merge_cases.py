"""Merging two case files that did not start from the same copy (two analysts who each began from a report).

There is no common baseline, so there is no changeset: the other file's rows are added to this case. Actors,
places and sources that are the same thing in both files are matched first — by id (the same row), then by IMO
number (vessels), then by name or alias — and the name and IMO matches are only proposals a user accepts or
rejects. Everything else is added with its id, and its references to matched rows are pointed at ours.

All writes go through ``rows`` in one transaction: history says which file the rows came from, FTS stays in
step, and the returned Change rows undo the whole merge as one step.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseboard.db import rows
from caseboard.db.case import Case, inspect_file, open_case
from caseboard.db.changes import NOT_SHARED, shared_tables
from caseboard.db.errors import CaseError
from caseboard.db.rows import Change

#: Tables whose rows are matched to ours before anything is added.
MATCHED = ("actors", "places", "sources")


@dataclass
class Match:
    """Their row and ours that look like the same thing; ``accepted`` None until a user decides."""

    table: str
    theirs: dict[str, Any]
    ours: dict[str, Any]
    reason: str  # "id", "IMO", "name", "alias"
    accepted: bool | None = None

    @property
    def needs_review(self) -> bool:
        return self.reason != "id"

    def describe(self) -> str:
        t, o = _name(self.table, self.theirs), _name(self.table, self.ours)
        same = f"same {self.reason}" if self.reason in ("id", "IMO", "name") else "name matches an alias"
        return f"{self.table[:-1]}: theirs “{t}” = ours “{o}” ({same})"


@dataclass
class CaseMerge:
    other_title: str
    other_path: Path
    matches: list[Match]
    added: dict[str, int] = field(default_factory=dict)  # table -> rows that will be added
    already: int = 0  # rows of theirs already here with the same id and values
    _rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)

    @property
    def to_review(self) -> list[Match]:
        return [m for m in self.matches if m.needs_review]

    @property
    def unresolved(self) -> list[Match]:
        return [m for m in self.to_review if m.accepted is None]

    def accept_all(self, accepted: bool) -> None:
        for m in self.to_review:
            m.accepted = accepted

    def label(self) -> str:
        return f"Merge case file {self.other_path.name} ({self.other_title})"


def _name(table: str, row: dict[str, Any]) -> str:
    return str(row.get("name") or row.get("title") or row.get("id"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _aliases(row: dict[str, Any]) -> set[str]:
    try:
        found = json.loads(row.get("aliases") or "[]")
    except (TypeError, ValueError):
        found = []
    return {_norm(a) for a in found if isinstance(a, str) and a.strip()}


def _all_rows(conn: Any, table: str) -> list[dict[str, Any]]:
    cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur]


def _read_other(path: Path) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """Every shared row of the other file, read from a private copy brought to this schema."""
    found = inspect_file(path)
    if found.newer:
        raise CaseError(f'"{path}" was written by a newer Caseboard; upgrade Caseboard to merge it.')
    with tempfile.TemporaryDirectory(prefix="caseboard-merge-") as tmp:
        copy = Path(tmp) / "other.case"
        shutil.copyfile(path, copy)
        for suffix in ("-wal",):
            side = Path(str(path) + suffix)
            if side.exists():
                shutil.copyfile(side, Path(str(copy) + suffix))
        with open_case(copy) as other:
            title = other.title
            data = {t: _all_rows(other.conn, t) for t in shared_tables(other.conn) if t != "case_info"}
    return title, data


def plan_merge(case: Case, other_path: str | os.PathLike[str]) -> CaseMerge:
    """What merging ``other_path`` into ``case`` would add, and the matches to review. Reads only."""
    other = Path(other_path).expanduser().absolute()
    if other.resolve() == case.path.resolve():
        raise CaseError("A case cannot be merged into itself.")
    title, theirs_data = _read_other(other)
    # Their file is untrusted: only our tables and columns are ever named in SQL.
    ours_columns = {
        t: {r[1] for r in case.conn.execute(f"PRAGMA table_info({t})")} for t in shared_tables(case.conn)
    }
    data = {
        t: [{k: v for k, v in r.items() if k in ours_columns[t]} for r in their_rows]
        for t, their_rows in theirs_data.items()
        if t in ours_columns
    }
    matches: list[Match] = []
    for table in MATCHED:
        ours = _all_rows(case.conn, table)
        by_id = {r["id"]: r for r in ours}
        by_imo = {r["imo"]: r for r in ours if r.get("imo")}
        by_name: dict[str, dict[str, Any]] = {}
        by_alias: dict[str, dict[str, Any]] = {}
        for r in ours:
            by_name.setdefault(_norm(_name(table, r)), r)
            for a in _aliases(r):
                by_alias.setdefault(a, r)
        taken: set[str] = set()
        for theirs in data.get(table, []):
            found: tuple[dict[str, Any], str] | None = None
            if theirs["id"] in by_id:
                found = (by_id[theirs["id"]], "id")
            elif theirs.get("imo") and theirs["imo"] in by_imo:
                found = (by_imo[theirs["imo"]], "IMO")
            else:
                key = _norm(_name(table, theirs))
                if key in by_name:
                    found = (by_name[key], "name")
                elif key in by_alias:
                    found = (by_alias[key], "alias")
                else:
                    hit = next((by_name[a] for a in _aliases(theirs) if a in by_name), None)
                    if hit is not None:
                        found = (hit, "alias")
            if found is not None and found[0]["id"] not in taken:
                taken.add(found[0]["id"])
                m = Match(table, theirs, found[0], found[1])
                if not m.needs_review:
                    m.accepted = True
                matches.append(m)
    plan = CaseMerge(title, other, matches, _rows=data)
    matched_ids = {(m.table, m.theirs["id"]) for m in matches}
    for table, their_rows in data.items():
        pk = _pk(case, table)
        for r in their_rows:
            if (table, r.get("id")) in matched_ids:
                continue
            if _fetch(case, table, pk, r) is not None:
                plan.already += 1
                continue
            plan.added[table] = plan.added.get(table, 0) + 1
    return plan


def _pk(case: Case, table: str) -> list[str]:
    info = case.conn.execute(f"PRAGMA table_info({table})").fetchall()
    return [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]


def _fetch(case: Case, table: str, pk: list[str], row: dict[str, Any]) -> tuple | None:
    where = " AND ".join(f"{k} = ?" for k in pk)
    return case.conn.execute(f"SELECT 1 FROM {table} WHERE {where}", [row[k] for k in pk]).fetchone()


def apply_merge(case: Case, plan: CaseMerge) -> list[Change]:
    """Add the other file's rows in one transaction; every proposed match must be accepted or rejected."""
    if plan.unresolved:
        raise CaseError(f"{len(plan.unresolved)} proposed matches have no answer yet; nothing was merged.")
    case.require_writable()
    remap: dict[tuple[str, str], str] = {}
    for m in plan.matches:
        if m.accepted:
            remap[(m.table, m.theirs["id"])] = m.ours["id"]
    fks: dict[str, list[tuple[str, str]]] = {
        t: [(r[3], r[2]) for r in case.conn.execute(f"PRAGMA foreign_key_list({t})")] for t in plan._rows
    }
    done: list[Change] = []
    with case.transaction(label=plan.label()):
        case.conn.execute("PRAGMA defer_foreign_keys = ON")  # a source known through one added after it
        for m in plan.matches:
            if m.accepted and m.reason != "id" and "aliases" in m.ours:
                more = _more_aliases(m)
                if more is not None:
                    done.append(rows.update(case, m.table, m.ours["id"], {"aliases": more}))
        for table in shared_tables(case.conn):
            if table in NOT_SHARED or table == "case_info" or table not in plan._rows:
                continue
            pk = _pk(case, table)
            for r in plan._rows[table]:
                if (table, r.get("id")) in remap:
                    continue
                row = dict(r)
                for col, parent in fks.get(table, []):
                    if row.get(col) is not None and (parent, row[col]) in remap:
                        row[col] = remap[(parent, row[col])]
                if row.get("subject_table") and (row["subject_table"], row.get("subject_id")) in remap:
                    row["subject_id"] = remap[(row["subject_table"], row["subject_id"])]
                if _fetch(case, table, pk, row) is not None:
                    continue
                if any(isinstance(v, bytes) for v in row.values()):
                    cols = ", ".join(row)
                    marks = ", ".join("?" for _ in row)
                    case.conn.execute(
                        f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({marks})", list(row.values())
                    )
                    continue
                done.append(rows.insert(case, table, row))
        bad = case.conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise CaseError(f"The merged rows would leave {len(bad)} broken links; nothing was merged.")
    return done


def _more_aliases(m: Match) -> str | None:
    """Their name and aliases become aliases of ours, so a search by either name finds the merged row."""
    try:
        ours = [a for a in json.loads(m.ours.get("aliases") or "[]") if isinstance(a, str)]
        theirs = [a for a in json.loads(m.theirs.get("aliases") or "[]") if isinstance(a, str)]
    except (TypeError, ValueError):
        return None
    known = {_norm(a) for a in ours} | {_norm(_name(m.table, m.ours))}
    added = []
    for a in [_name(m.table, m.theirs), *theirs]:
        if _norm(a) not in known:
            known.add(_norm(a))
            added.append(a)
    return json.dumps(ours + added, ensure_ascii=False) if added else None
