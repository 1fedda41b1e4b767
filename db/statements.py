"""Statements: direct quotations and paraphrases, each with its speaker, date and source."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud
from caseboard.db.case import Case
from caseboard.db.errors import ValidationError
from caseboard.db.model import Statement
from caseboard.db.rows import Change


def add_statement(case: Case, *, text: str, **fields: Any) -> Change:
    _check_position(case, text, fields)
    return crud.add(case, "statements", {"text": text, **fields})


def update_statement(case: Case, statement_id: str, **fields: Any) -> Change:
    return crud.update(case, "statements", statement_id, fields)


def delete_statement(case: Case, statement_id: str) -> list[Change]:
    return crud.delete(case, "statements", statement_id, cascade=True)


def get_statement(case: Case, statement_id: str) -> Statement:
    return crud.get(case, "statements", statement_id)


def list_statements(case: Case, *, limit: int | None = None, offset: int = 0) -> list[Statement]:
    return crud.select(
        case, "statements", order="said_start IS NULL, said_start, rowid", limit=limit, offset=offset
    )


def statement_from_passage(case: Case, source_id: str, start: int, end: int, **fields: Any) -> Change:
    """A quote taken from a kept source text, remembering where it stands in that text."""
    row = case.conn.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()
    if row is None or not row[0]:
        raise ValidationError("source_id", "that source has no kept text to quote from.")
    if not 0 <= start < end <= len(row[0]):
        raise ValidationError("source_start", "the passage lies outside the source text.")
    return add_statement(
        case, text=row[0][start:end], source_id=source_id, source_start=start, source_end=end, **fields
    )


def _check_position(case: Case, text: str, fields: dict[str, Any]) -> None:
    """A kept position must point at the quoted words in the kept source text, or the citation would lie."""
    start, end, source_id = fields.get("source_start"), fields.get("source_end"), fields.get("source_id")
    if start is None or end is None or not source_id:
        return
    row = case.conn.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()
    if row and row[0] is not None and row[0][int(start) : int(end)] != text:
        raise ValidationError(
            "source_start", "the position does not match the quoted words in the source text."
        )


def context_of(case: Case, statement: Statement, margin: int = 400) -> tuple[str, str, str] | None:
    """(before, quote, after) from the kept source text, for showing a quote highlighted in context."""
    if statement.source_id is None or statement.source_start is None or statement.source_end is None:
        return None
    row = case.conn.execute("SELECT text FROM sources WHERE id = ?", [statement.source_id]).fetchone()
    if not row or not row[0]:
        return None
    text, s, e = row[0], statement.source_start, statement.source_end
    return text[max(0, s - margin) : s], text[s:e], text[e : e + margin]
