"""Sources: the reports, briefings and documents facts are cited to, graded A-F for reliability."""

from __future__ import annotations

import hashlib
from typing import Any

from caseboard.db import crud
from caseboard.db.case import Case
from caseboard.db.model import Source
from caseboard.db.rows import Change

#: The Admiralty code's words for source reliability and information credibility.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def add_source(case: Case, *, title: str, **fields: Any) -> Change:
    if fields.get("text") and not fields.get("text_sha256"):
        fields["text_sha256"] = hashlib.sha256(fields["text"].encode("utf-8")).hexdigest()
    return crud.add(case, "sources", {"title": title, **fields})


def update_source(case: Case, source_id: str, **fields: Any) -> Change:
    if "text" in fields:
        text = fields["text"] or ""
        fields["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""
    return crud.update(case, "sources", source_id, fields)


def delete_source(case: Case, source_id: str, *, cascade: bool = False) -> list[Change]:
    return crud.delete(case, "sources", source_id, cascade=cascade)


def get_source(case: Case, source_id: str) -> Source:
    return crud.get(case, "sources", source_id)


def list_sources(case: Case) -> list[Source]:
    return crud.select(case, "sources", order="label, title COLLATE NOCASE")


def find_source_by_text(case: Case, text: str) -> Source | None:
    """The source already holding exactly this text, so importing it twice is noticed."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = crud.select(case, "sources", "text_sha256 = ?", [digest], limit=1)
    return found[0] if found else None
