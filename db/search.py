"""Full-text search over statements, actors, events, sources and places (SQLite FTS5).

Ranking every match with bm25 costs time in proportion to the number of matches: two very common words in a
million rows take over half a second. So search first counts matches up to a cap; below it results are ranked,
above it they come newest first straight from the index (FTS5 walks rowids in order and stops at LIMIT), and the
result says it was not ranked.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

RANK_CAP = 2000

_TOKEN = re.compile(r"[\w][\w'’.-]*", re.UNICODE)


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must match, the last may be a prefix.

    Quoted phrases stay phrases; FTS5 operators and punctuation in the input are never passed through raw.
    """
    parts: list[str] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', text):
        if phrase:
            tokens = _TOKEN.findall(phrase)
            if tokens:
                parts.append('"' + " ".join(t.replace('"', "") for t in tokens) + '"')
        else:
            for tok in _TOKEN.findall(word):
                tok = tok.strip(".-'’")
                if tok:
                    parts.append('"' + tok.replace('"', "") + '"')
    if not parts:
        return ""
    if not text.rstrip().endswith(('"', " ")) and parts[-1].count(" ") == 0:
        parts[-1] = parts[-1] + "*"
    return " AND ".join(parts)


@dataclass
class SearchResult:
    table: str
    ids: list[str] = field(default_factory=list)
    total: int = 0  # matches counted, capped at RANK_CAP + 1
    ranked: bool = True

    @property
    def capped(self) -> bool:
        return self.total > RANK_CAP


_FTS = {
    "statements": ("statements_fts", "statements", "said_start"),
    "actors": ("actors_fts", "actors", "name"),
    "events": ("events_fts", "events", "date_start"),
    "sources": ("sources_fts", "sources", "title"),
    "places": ("places_fts", "places", "name"),
}


def search_table(conn: sqlite3.Connection, table: str, query: str, limit: int = 200) -> SearchResult:
    """Ids of ``table`` rows matching ``query``, best first (or newest first when there are many)."""
    fts, base, _order = _FTS[table]
    q = fts_query(query)
    result = SearchResult(table)
    if not q:
        return result
    try:
        result.total = conn.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?)", [q, RANK_CAP + 1]
        ).fetchone()[0]
        if result.total <= RANK_CAP:
            sql = (
                f"SELECT b.id FROM {fts} f JOIN {base} b ON b.rowid = f.rowid "
                f"WHERE {fts} MATCH ? ORDER BY f.rank LIMIT ?"
            )
        else:
            result.ranked = False
            sql = (
                f"SELECT b.id FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?) f "
                f"JOIN {base} b ON b.rowid = f.rowid"
            )
        result.ids = [r[0] for r in conn.execute(sql, [q, limit])]
    except sqlite3.OperationalError:
        result.ids = []
    return result


def search(
    conn: sqlite3.Connection, query: str, tables: tuple[str, ...] = tuple(_FTS), limit: int = 200
) -> dict[str, SearchResult]:
    return {t: search_table(conn, t, query, limit) for t in tables}


def matching_terms(query: str) -> list[str]:
    """The words of a query, for highlighting matches in displayed text."""
    return [t.strip(".-'’") for t in _TOKEN.findall(query) if t.strip(".-'’")]
