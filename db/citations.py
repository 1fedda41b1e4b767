"""Citations: a fact's link to a source, with the credibility (1-6) of that piece of information."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud
from caseboard.db.case import Case
from caseboard.db.errors import ValidationError
from caseboard.db.model import Citation
from caseboard.db.rows import Change
from caseboard.db.schema import CITABLE
from caseboard.db.settings import require_source


def cite(
    case: Case, subject_table: str, subject_id: str, source_id: str, credibility: int = 6, **fields: Any
) -> Change:
    return crud.add(
        case,
        "citations",
        {
            "subject_table": subject_table,
            "subject_id": subject_id,
            "source_id": source_id,
            "credibility": credibility,
            **fields,
        },
    )


def update_citation(case: Case, citation_id: str, **fields: Any) -> Change:
    return crud.update(case, "citations", citation_id, fields)


def delete_citation(case: Case, citation_id: str) -> list[Change]:
    return crud.delete(case, "citations", citation_id, cascade=True)


def citations_of(case: Case, subject_table: str, subject_id: str) -> list[Citation]:
    return crud.select(case, "citations", "subject_table = ? AND subject_id = ?", [subject_table, subject_id])


def last_used(case: Case) -> tuple[str, int] | None:
    """(source id, credibility) of the citation written last: what a new fact most likely cites too."""
    row = case.conn.execute(
        "SELECT c.source_id, c.credibility FROM citations c JOIN sources s ON s.id = c.source_id "
        "ORDER BY c.rowid DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (row[0], row[1])


#: What a user reads when the case refuses an unsourced fact.
SOURCE_REQUIRED = (
    "this case requires a source for every new fact. Choose one under Source (or add it first with "
    "Edit > New Source), or switch off Edit > Require a Source for New Facts."
)


def check_source_given(case: Case, table: str, source_id: str | None) -> None:
    """Refuse, before anything is written, a new fact with no source when the case requires one."""
    if not source_id and table in CITABLE and require_source(case):
        raise ValidationError("source", SOURCE_REQUIRED)


def cited_by(case: Case, subject_table: str, subject_id: str) -> list[tuple[str, str, int]]:
    """(source id, source label or title, credibility) of every citation of one fact, for a form to show."""
    return [
        (sid, name, cred)
        for sid, name, cred in case.conn.execute(
            "SELECT c.source_id, CASE WHEN s.label != '' THEN s.label ELSE s.title END, c.credibility "
            "FROM citations c JOIN sources s ON s.id = c.source_id "
            "WHERE c.subject_table = ? AND c.subject_id = ? ORDER BY c.rowid",
            [subject_table, subject_id],
        )
    ]
