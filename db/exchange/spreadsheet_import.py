"""Actors, places, events or statements from a CSV or XLSX sheet, mapped column by column, all or nothing.

A ``Mapping`` says what each row is (``kind``) and which column feeds which field; ``guess_mapping`` proposes one
from the header. ``read_sheet`` checks every row without touching the case — dates through the same parser as
the forms, coordinates, grades — and lists what is wrong by spreadsheet row number (the header is row 1).
``apply_sheet`` writes the good rows in one transaction, citing the spreadsheet itself as their source (kept in
the case as the original file); it refuses rows with errors unless asked to import only the good ones, which the
window does only after the user has seen the errors and agreed.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseboard.db import actors, crud, fields, rows, sources
from caseboard.db.case import Case
from caseboard.db.errors import CaseError, ValidationError

#: What a row can be, and the fields a column can feed (in the order the mapping dialog lists them).
KINDS: dict[str, tuple[str, ...]] = {
    "actors": ("name", "kind", "aliases", "description", "country", "flag", "imo"),
    "places": ("name", "kind", "aliases", "country", "lat", "lon", "precision", "notes"),
    "events": ("title", "date", "description", "place", "actors", "roles"),
    "statements": ("text", "speaker", "kind", "said", "notes"),
}
REQUIRED = {"actors": "name", "places": "name", "events": "title", "statements": "text"}
KIND_WORDS = {"actors": "Actors", "places": "Places", "events": "Events", "statements": "Statements"}
#: Header words that suggest a field (lower case, punctuation dropped).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "entity",
        "label",
        "port",
        "site",
        "place name",
        "vessel",
        "company",
        "person",
    ),
    "kind": ("kind", "type", "category"),
    "aliases": ("aliases", "alias", "aka", "also known as", "other names"),
    "description": ("description", "details", "summary"),
    "country": ("country", "nationality", "jurisdiction"),
    "flag": ("flag", "flag state"),
    "imo": ("imo", "imo number", "imo no"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "long", "lng", "longitude", "x"),
    "precision": ("precision", "accuracy"),
    "notes": ("notes", "note", "comment", "comments", "remarks"),
    "title": ("title", "event", "headline", "what"),
    "date": ("date", "when", "day"),
    "place": ("place", "location", "where"),
    "actors": ("actors", "who", "involved", "participants", "people"),
    "roles": ("roles", "role"),
    "text": ("text", "quote", "statement", "words", "said"),
    "speaker": ("speaker", "by", "source person", "said by"),
    "said": ("said", "date said", "said on", "date"),
}


class SheetError(CaseError):
    """The spreadsheet cannot be read or imported as asked; nothing was changed."""


@dataclass
class Mapping:
    """What the rows are and which column (by header text) feeds which field."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # XLSX sheet name; the first sheet when None
    #: Values for fields no column feeds (an actors sheet of companies: {"kind": "organization"}).
    defaults: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {"kind": self.kind, "columns": self.columns, "sheet": self.sheet, "defaults": self.defaults}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        try:
            data = json.loads(text)
            mapping = cls(
                str(data["kind"]),
                {str(k): str(v) for k, v in dict(data.get("columns") or {}).items()},
                data.get("sheet"),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SheetError(
                f'the mapping is not of the form {{"kind": "actors", "columns": {{"name": "Name"}}}} ({exc})'
            ) from None
        if mapping.kind not in KINDS:
            raise SheetError(f"the mapping's kind must be one of {', '.join(KINDS)} (got {mapping.kind!r})")
        unknown = sorted((set(mapping.columns) | set(mapping.defaults)) - set(KINDS[mapping.kind]))
        if unknown:
            raise SheetError(
                f"{mapping.kind} have no field {unknown[0]!r}; fields: {', '.join(KINDS[mapping.kind])}"
            )
        return mapping


@dataclass
class Table:
    """A sheet as read: header and rows (each with its row number as the spreadsheet shows it)."""

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]]
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None

    def column(self, name: str) -> int | None:
        try:
            return self.header.index(name)
        except ValueError:
            return None


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f", column {self.column!r}" if self.column else ""
        return f"row {self.row}{where}: {self.message}"


@dataclass
class SheetPlan:
    """Rows checked and ready, rows refused, and the file they came from."""

    table: Table
    mapping: Mapping
    good: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def summary(self) -> str:
        what = KIND_WORDS[self.mapping.kind].lower()
        text = f"{self.table.path.name}: {len(self.good)} {what} ready"
        if self.errors:
            text += f"; {rows_word(len(self.bad_rows))} with errors ({', '.join(map(str, self.bad_rows[:12]))}{'…' if len(self.bad_rows) > 12 else ''})"
        return text


def rows_word(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


# -- reading -------------------------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | os.PathLike[str], sheet: str | None = None) -> Table:
    """Read a CSV (delimiter sniffed: comma, semicolon, tab) or XLSX sheet; raise SheetError if it cannot be."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SheetError(f'cannot read "{path}": {exc.strerror or exc}') from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, data, sheet)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # the header says how the columns are separated
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        all_rows = [(i, [c.strip() for c in r]) for i, r in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise SheetError(f'"{path.name}" line {reader.line_num}: {exc}') from None
    return _table(path, all_rows, [], None)


def _read_xlsx(path: Path, data: bytes, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise SheetError(
            f'"{path.name}" is not a readable XLSX workbook ({type(exc).__name__}: {exc})'
        ) from None
    names = list(wb.sheetnames)
    if sheet is not None and sheet not in names:
        raise SheetError(f'"{path.name}" has no sheet {sheet!r}; it has {", ".join(names)}')
    ws = wb[sheet] if sheet else wb[names[0]]
    all_rows = [
        (i, [_text(v) for v in values]) for i, values in enumerate(ws.iter_rows(values_only=True), start=1)
    ]
    wb.close()
    return _table(path, all_rows, names, sheet or names[0])


def _table(path: Path, all_rows: list[tuple[int, list[str]]], sheets: list[str], sheet: str | None) -> Table:
    all_rows = [(i, r) for i, r in all_rows if any(c for c in r)]
    if not all_rows:
        raise SheetError(f'"{path.name}" is empty')
    header_row, header = all_rows[0]
    header = [h or f"Column {n + 1}" for n, h in enumerate(header)]
    return Table(path, header, all_rows[1:], sheets, sheet)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def guess_kind(header: list[str]) -> str:
    words = {_norm(h) for h in header}
    if words & {"quote", "statement", "text", "speaker"}:
        return "statements"
    if words & {"lat", "latitude", "lon", "longitude", "lng"}:
        return "places"
    if words & {"date", "when", "event", "title"}:
        return "events"
    return "actors"


def guess_mapping(header: list[str], kind: str | None = None) -> Mapping:
    """A first mapping from the header's words ("Latitude" -> lat, "Quote" -> text); the user corrects it."""
    kind = kind or guess_kind(header)
    columns: dict[str, str] = {}
    used: set[str] = set()
    for name in KINDS[kind]:
        for h in header:
            if h not in used and (_norm(h) == name or _norm(h) in SYNONYMS.get(name, ())):
                columns[name] = h
                used.add(h)
                break
    return Mapping(kind, columns)


#: Words people use for actor kinds -> ours.
ACTOR_KIND_WORDS = {
    "company": "organization",
    "organisation": "organization",
    "org": "organization",
    "business": "organization",
    "entity": "organization",
    "individual": "person",
    "people": "person",
    "country": "state",
    "government": "state",
    "ship": "vessel",
    "boat": "vessel",
    "tanker": "vessel",
}


def _values(table: Table, mapping: Mapping, cells: list[str]) -> dict[str, str]:
    out = {k: v for k, v in mapping.defaults.items() if v}
    for name, col in mapping.columns.items():
        i = table.column(col)
        if i is not None and i < len(cells) and cells[i]:
            out[name] = cells[i]
    if mapping.kind == "actors":
        out.setdefault("kind", "other")
        word = out["kind"].strip().lower()
        out["kind"] = ACTOR_KIND_WORDS.get(word, word)
    if mapping.kind == "places" and not (out.get("lat") or out.get("lon")):
        out.setdefault("precision", "unknown")
    return out


#: Fields that name other things (resolved when writing), not columns of the table.
_NAMES = {"events": ("place", "actors", "roles"), "statements": ("speaker",)}


def check_mapping(table: Table, mapping: Mapping) -> None:
    missing = [c for c in mapping.columns.values() if table.column(c) is None]
    if missing:
        raise SheetError(
            f'"{table.path.name}" has no column {missing[0]!r}; its columns: {", ".join(table.header)}'
        )
    if REQUIRED[mapping.kind] not in mapping.columns:
        raise SheetError(
            f"choose the column that holds the {REQUIRED[mapping.kind]} of each {mapping.kind[:-1]}"
        )


def read_sheet(table: Table, mapping: Mapping) -> SheetPlan:
    """Check every row against ``mapping``; nothing is written."""
    check_mapping(table, mapping)
    plan = SheetPlan(table, mapping)
    names = _NAMES.get(mapping.kind, ())
    for number, cells in table.rows:
        values = _values(table, mapping, cells)
        own = {k: v for k, v in values.items() if k not in names}
        try:
            fields.clean(mapping.kind, own)
        except ValidationError as exc:
            col = mapping.columns.get(exc.field, exc.field)
            plan.errors.append(RowError(number, col, exc.message))
            continue
        plan.good.append((number, values))
    return plan


# -- writing ---------------------------------------------------------------------------------------------------
def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n|]", text or "") if p.strip()]


def _spreadsheet_source(case: Case, table: Table) -> rows.Change:
    data = table.path.read_bytes()
    digest = sources.store_original(case, data, table.path.name)
    sheet = f", sheet {table.sheet}" if table.sheet and len(table.sheets) > 1 else ""
    return crud.add(
        case,
        "sources",
        {
            "title": f"Spreadsheet {table.path.name}{sheet}",
            "kind": "spreadsheet",
            "reliability": "F",
            "accessed": datetime.date.today().isoformat(),
            "original_sha256": digest,
            "original_name": table.path.name,
            "notes": f"Imported from {table.path} (SHA-256 {hashlib.sha256(data).hexdigest()[:12]}…).",
        },
    )


def apply_sheet(case: Case, plan: SheetPlan, *, only_good: bool = False) -> list[rows.Change]:
    """Write the plan's rows in one transaction, each cited to the spreadsheet (a new source); return the changes.

    With errors in the plan nothing is written unless ``only_good`` (the user agreed to leave those rows out).
    """
    if plan.errors and not only_good:
        first = "; ".join(str(e) for e in plan.errors[:3])
        verb = "has" if len(plan.bad_rows) == 1 else "have"
        raise SheetError(f"{rows_word(len(plan.bad_rows))} {verb} errors, so nothing was imported: {first}")
    if not plan.good:
        raise SheetError("no rows to import")
    case.require_writable()
    kind = plan.mapping.kind
    changes: list[rows.Change] = []
    with case.transaction(label=f"Import {plan.table.path.name}"):
        src = _spreadsheet_source(case, plan.table)
        changes.append(src)
        for number, values in plan.good:
            try:
                made = _write_row(case, kind, values, src.row_id, changes)
            except ValidationError as exc:  # a name that makes a bad actor or place: still one row's error
                raise SheetError(f"row {number}: {exc}; nothing was imported") from None
            changes.append(
                crud.add(
                    case,
                    "citations",
                    {
                        "subject_table": kind,
                        "subject_id": made,
                        "source_id": src.row_id,
                        "credibility": 6,
                        "locator": f"row {number}",
                    },
                )
            )
    return changes


def _actor(case: Case, name: str, changes: list[rows.Change], kind: str = "person") -> str:
    found = actors.find_actor(case, name)
    if found is not None:
        return found.id
    change = crud.add(case, "actors", {"name": name, "kind": kind})
    changes.append(change)
    return change.row_id


def _place(case: Case, name: str, changes: list[rows.Change]) -> str:
    from caseboard.db.places import find_place

    found = find_place(case, name)
    if found is not None:
        return found.id
    change = crud.add(case, "places", {"name": name, "precision": "unknown"})
    changes.append(change)
    return change.row_id


def _write_row(
    case: Case, kind: str, values: dict[str, str], source_id: str, changes: list[rows.Change]
) -> str:
    """Add one row (and the actors or places it names that the case lacks); returns the new row's id."""
    if kind in ("actors", "places"):
        change = crud.add(case, kind, values)
        changes.append(change)
        return change.row_id
    if kind == "events":
        own = {k: v for k, v in values.items() if k not in _NAMES["events"]}
        if values.get("place"):
            own["place_id"] = _place(case, values["place"], changes)
        change = crud.add(case, "events", own)
        changes.append(change)
        names, roles = _split(values.get("actors", "")), _split(values.get("roles", ""))
        for i, name in enumerate(names):
            role = roles[i] if i < len(roles) else (roles[0] if len(roles) == 1 else "")
            link = {"event_id": change.row_id, "actor_id": _actor(case, name, changes, "other"), "role": role}
            if rows.fetch_row(case, "event_actors", "|".join(link.values())) is None:
                changes.append(crud.add(case, "event_actors", link))
        return change.row_id
    own = {k: v for k, v in values.items() if k != "speaker"}
    if values.get("speaker"):
        own["speaker_id"] = _actor(case, values["speaker"], changes)
    change = crud.add(case, "statements", {**own, "source_id": source_id})
    changes.append(change)
    return change.row_id
