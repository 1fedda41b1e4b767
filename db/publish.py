"""A read-only portal for reviewers: what Datasette needs to serve a case in a browser.

Caseboard does not run a server. ``publish`` writes a copy of the case that is safe to serve as an immutable
file (a consistent backup, rollback journal, no edit log unless asked) and ``metadata.json`` with titles,
descriptions and canned queries a reviewer can run without writing SQL. ``datasette serve -i`` then serves it;
how to put it behind a login is in the README.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.db.schema import FTS
from caseboard.db.sources import CREDIBILITY, RELIABILITY

#: Tables a reviewer sees, with what they hold.
TABLE_DESCRIPTIONS = {
    "case_info": "Title, summary and settings of the case.",
    "sources": "Where each fact comes from, with its reliability grade (Admiralty code A–F).",
    "actors": "People, organisations, states and vessels (aliases as a JSON list; vessels with flag and IMO).",
    "places": "Ports, depots, cities and other places with WGS 84 coordinates and how precise they are.",
    "shipments": "Cargo moved from a shipper to a receiver, with quantity and status.",
    "legs": "The ordered legs of each shipment: from, to, mode, carrier, departure and arrival.",
    "events": "Dated events, with their place and shipment.",
    "event_actors": "Which actors took part in which event, and in what role.",
    "statements": "Quotes and paraphrases with speaker, date and source.",
    "citations": "Which source supports which fact, with the credibility of that citation (1–6).",
    "relationships": "Relationships between actors, dated and cited.",
    "originals": "Reports kept in the case as files (by SHA-256).",
    "history": "Every edit: old and new row as JSON.",
}
#: Tables that are bookkeeping, not evidence: hidden from the table list (still readable by SQL).
HIDDEN = ("_sqlite_migrations", "chart_positions", "sqlite_stat1")

_DAY = "date({col} * 86400, 'unixepoch')"


def _grade_words(column: str, words: dict) -> str:
    cases = " ".join(f"WHEN {k!r} THEN {v!r}" for k, v in words.items())
    return f"CASE {column} {cases} ELSE '' END"


def canned_queries() -> dict[str, dict[str, str]]:
    """The questions reviewers ask most, as Datasette canned queries (named parameters become a form)."""
    first, last = _DAY.format(col="e.date_start"), _DAY.format(col="e.date_end")
    said = _DAY.format(col="s.said_start")
    return {
        "chronology": {
            "title": "Chronology",
            "description": "Events and statements in date order (first day, last day, and the date as entered).",
            "sql": f"""
SELECT {first} AS first_day, {last} AS last_day, e.date AS date, 'event' AS kind, e.title AS item,
       p.name AS place, e.description AS detail
FROM events e LEFT JOIN places p ON p.id = e.place_id
WHERE e.date_start IS NOT NULL
UNION ALL
SELECT {said}, {_DAY.format(col="s.said_end")}, s.said, s.kind, coalesce(a.name || ': ', '') || s.text,
       NULL, src.title
FROM statements s LEFT JOIN actors a ON a.id = s.speaker_id LEFT JOIN sources src ON src.id = s.source_id
WHERE s.said_start IS NOT NULL
ORDER BY first_day, last_day, item""",
        },
        "statements_by_speaker": {
            "title": "Statements by speaker",
            "description": "Every quote and paraphrase of speakers whose name contains the text given (empty: all).",
            "sql": f"""
SELECT a.name AS speaker, s.said AS said, s.kind AS kind, s.text AS text, src.title AS source,
       src.reliability AS reliability
FROM statements s LEFT JOIN actors a ON a.id = s.speaker_id LEFT JOIN sources src ON src.id = s.source_id
WHERE coalesce(a.name, '') LIKE '%' || :speaker || '%'
ORDER BY a.name, {said}""",
        },
        "sources_with_grades": {
            "title": "Sources with grades",
            "description": "Sources with their reliability in words, how many facts cite them and the best and "
            "worst credibility given.",
            "sql": f"""
SELECT src.title AS title, src.outlet AS outlet, src.author AS author, src.published AS published,
       src.reliability AS reliability, {_grade_words("src.reliability", RELIABILITY)} AS reliability_words,
       count(c.id) AS citations, min(c.credibility) AS best_credibility,
       {_grade_words("max(c.credibility)", CREDIBILITY)} AS worst_credibility, src.url AS url
FROM sources src LEFT JOIN citations c ON c.source_id = src.id
GROUP BY src.id
ORDER BY src.reliability, src.title""",
        },
        "shipments_with_legs": {
            "title": "Shipments with legs",
            "description": "Each shipment with its legs in order: from, to, mode, carrier, departure, arrival.",
            "sql": """
SELECT coalesce(nullif(sh.title, ''), sh.cargo) AS shipment, sh.cargo AS cargo,
       trim(sh.quantity_qualifier || ' ' || coalesce(CASE WHEN sh.quantity = CAST(sh.quantity AS INTEGER)
            THEN CAST(sh.quantity AS INTEGER) ELSE sh.quantity END, '') || ' ' || sh.unit) AS quantity,
       sh.status AS status, l.seq AS leg, f.name AS "from", t.name AS "to", l.mode AS mode,
       c.name AS carrier, l.depart AS depart, l.arrive AS arrive
FROM shipments sh LEFT JOIN legs l ON l.shipment_id = sh.id
LEFT JOIN places f ON f.id = l.from_place_id LEFT JOIN places t ON t.id = l.to_place_id
LEFT JOIN actors c ON c.id = l.carrier_id
ORDER BY coalesce(sh.date_start, 1e9), shipment, l.seq""",
        },
    }


@dataclass
class Published:
    database: Path
    metadata: Path
    name: str

    def command(self) -> str:
        return f'datasette serve -i "{self.database}" --metadata "{self.metadata}"'


def _tables(tables: list[str]) -> dict[str, dict]:
    """Descriptions, hidden bookkeeping, and each table's FTS index named (Datasette only finds an index by
    itself when its ``content=`` is written with double quotes; Caseboard's are single-quoted)."""
    out: dict[str, dict] = {}
    for t in tables:
        if t in HIDDEN:
            out[t] = {"hidden": True}
        elif t in TABLE_DESCRIPTIONS:
            out[t] = {"description": TABLE_DESCRIPTIONS[t]}
    for fts, content, _cols in FTS:
        if fts in tables and content in tables:
            out.setdefault(content, {})["fts_table"] = fts
    return out


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "case"


def publish(case: Case, out_dir: str | os.PathLike[str], *, with_history: bool = False) -> Published:
    """Write ``OUT_DIR/<name>.db`` (a read-only copy) and ``OUT_DIR/metadata.json``."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise CaseError(f'"{out}" is a file; give a folder to publish into.')
    out.mkdir(parents=True, exist_ok=True)
    name = _slug(case.title)
    db_path = out / f"{name}.db"
    if db_path.resolve() == case.path.resolve():
        raise CaseError("Publish into another folder than the case itself.")
    case.backup_to(db_path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        if not with_history:
            conn.execute("DELETE FROM history")
        conn.execute(
            "DELETE FROM case_info WHERE key = 'case_id'"
        )  # the portal is not a copy to edit and merge
        conn.execute("VACUUM")  # deleted text must not stay readable in free pages
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for fts, _content, _cols in FTS:  # VACUUM may renumber rowids, which the indexes point at
            if fts in tables:
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    finally:
        conn.close()
    os.chmod(db_path, 0o444)
    summary = case.get_info("summary") or ""
    meta = {
        "title": case.title,
        "description": summary,
        "source": "Caseboard case file",
        "databases": {
            name: {
                "title": case.title,
                "description": summary,
                "tables": _tables(tables),
                "queries": canned_queries(),
            }
        },
    }
    meta_path = out / "metadata.json"
    from caseboard.db.atomic_write import atomic_output

    with atomic_output(meta_path, "w") as fh:
        json.dump(meta, fh, indent=2, ensure_ascii=False)
    return Published(db_path, meta_path, name)
