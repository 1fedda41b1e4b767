"""Citations: a fact's link to a source, with the credibility (1-6) of that piece of information."""

from __future__ import annotations

from typing import Any

from caseboard.db import crud
from caseboard.db.case import Case
from caseboard.db.model import Citation
from caseboard.db.rows import Change


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
