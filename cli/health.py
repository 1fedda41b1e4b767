"""``caseboard health CASE``: what a reader could not check in a case (unsourced facts and the rest)."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser(
        "health", help="case health: unsourced facts, single or weak sources, date conflicts, duplicates"
    )
    s.add_argument("case")
    s.add_argument("--json", action="store_true", help="print the whole report as JSON")
    s.add_argument("--limit", type=int, default=1000, help="list at most N items per check (default 1000)")
    s.add_argument("--all", action="store_true", help="list every item (the counts are always exact)")
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db import health
    from caseboard.db.case import open_case
    from caseboard.db.errors import CaseError

    if args.limit < 0:
        raise CaseError("--limit must be 0 or more.")
    with open_case(args.case, readonly=True) as case:
        found = health.report(case.conn, limit=None if args.all else args.limit)
    if args.json:
        print(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
        return 0
    print(found.score_line())
    for check in found.checks:
        print(f"\n{check.title}: {check.count:,}")
        for f in check.findings:
            print(f"  {health.SINGULAR.get(f.table, f.table)}: {f.label} — {f.detail}")
        if check.truncated:
            print(f"  … and {check.count - len(check.findings):,} more (--all lists them)")
    return 0
