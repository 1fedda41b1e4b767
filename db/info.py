"""Summary facts about a case: counts per entity and the span of its dates."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from caseboard.db import schema
from caseboard.db.case import Case
from caseboard.db.dates import PartialDate, from_day_number, valid_day_sql

COUNTED = (
    "actors",
    "places",
    "shipments",
    "legs",
    "events",
    "statements",
    "relationships",
    "sources",
    "citations",
)


@dataclass
class CaseInfo:
    title: str
    summary: str
    path: str
    schema_version: int
    readonly_reason: str
    counts: dict[str, int] = field(default_factory=dict)
    first_day: str | None = None
    last_day: str | None = None

    @property
    def span(self) -> str:
        if not self.first_day or not self.last_day:
            return "no dated items"
        if self.first_day > self.last_day:
            return f"{self.first_day} to {self.last_day} (unreadable values among the dates)"
        return (
            PartialDate.from_edtf(f"{self.first_day}/{self.last_day}").display()
            if (self.first_day != self.last_day)
            else PartialDate.from_edtf(self.first_day).display()
        )

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["span"] = self.span
        return out


def date_span(case: Case) -> tuple[int | None, int | None]:
    """First and last day (day numbers) of any dated event, leg or statement."""
    v = valid_day_sql
    row = case.conn.execute(
        f"""SELECT min(lo), max(hi) FROM (
            SELECT min({v("date_start")}) lo, max({v("date_end")}) hi FROM events
            UNION ALL SELECT min(coalesce({v("depart_start")}, {v("arrive_start")})),
                max(coalesce({v("arrive_end")}, {v("depart_end")})) FROM legs
            UNION ALL SELECT min({v("said_start")}), max({v("said_end")}) FROM statements)"""
    ).fetchone()
    return row[0], row[1]


def count_rows(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per counted table (the window's status bar runs it on a worker: a million-row count takes a while)."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # a case older than a table (opened read-only, so not upgraded) has none of it
    return {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] if t in present else 0 for t in COUNTED
    }


def case_info(case: Case) -> CaseInfo:
    counts = count_rows(case.conn)
    lo, hi = date_span(case)
    return CaseInfo(
        title=case.title,
        summary=case.get_info("summary") or "",
        path=str(case.path),
        schema_version=getattr(case, "file_schema_version", None)
        or case.conn.execute("PRAGMA user_version").fetchone()[0]
        or schema.SCHEMA_VERSION,
        readonly_reason=case.readonly_reason,
        counts=counts,
        first_day=None if lo is None else from_day_number(lo).isoformat(),
        last_day=None if hi is None else from_day_number(hi).isoformat(),
    )
