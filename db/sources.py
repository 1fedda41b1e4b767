"""Sources: the reports, briefings and documents facts are cited to, graded A-F for reliability."""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import PurePath
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


#: Largest original kept inside a case file; larger files belong next to it, not in it.
MAX_ORIGINAL_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Original:
    """The file a source was read from, kept inside the case so it can be checked and read offline."""

    sha256: str
    media_type: str
    filename: str
    size: int
    data: bytes


def media_type_of(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename)
    if PurePath(filename).suffix.lower() == ".md":
        return "text/markdown"
    return guessed or "application/octet-stream"


def store_original(case: Case, data: bytes, filename: str, media_type: str = "") -> str:
    """Keep ``data`` in the case (once per content) and return its SHA-256.

    Not logged in history and never deleted by an edit: sources refer to it by digest, so undo and redo of the
    source rows always find it.
    """
    if len(data) > MAX_ORIGINAL_BYTES:
        from caseboard.db.errors import ValidationError

        raise ValidationError(
            "original", f"is {len(data) / 1e6:.0f} MB; at most {MAX_ORIGINAL_BYTES // 1_000_000} MB is kept."
        )
    case.require_writable()
    digest = hashlib.sha256(data).hexdigest()
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    with case.transaction():
        case.conn.execute(
            "INSERT OR IGNORE INTO originals(sha256, media_type, filename, size, data, added) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [digest, media_type or media_type_of(filename), PurePath(filename).name, len(data), data, now],
        )
    return digest


def attach_original(case: Case, source_id: str, data: bytes, filename: str, media_type: str = "") -> Change:
    """Keep a file as the source's original; the change to the source row is an ordinary, undoable edit."""
    with case.transaction():
        digest = store_original(case, data, filename, media_type)
        return update_source(case, source_id, original_sha256=digest, original_name=PurePath(filename).name)


def get_original(case: Case, sha256: str) -> Original | None:
    row = case.conn.execute(
        "SELECT sha256, media_type, filename, size, data FROM originals WHERE sha256 = ?", [sha256]
    ).fetchone()
    return None if row is None else Original(row[0], row[1], row[2], row[3], bytes(row[4]))


def original_of(case: Case, source_id: str) -> Original | None:
    """The source's attached original, with the name it was attached under."""
    src = get_source(case, source_id)
    if not src.original_sha256:
        return None
    found = get_original(case, src.original_sha256)
    if found is None:
        return None
    return Original(
        found.sha256, found.media_type, src.original_name or found.filename, found.size, found.data
    )


def verify_original(original: Original) -> bool:
    """Whether the kept bytes still hash to the digest they were stored under."""
    return hashlib.sha256(original.data).hexdigest() == original.sha256
