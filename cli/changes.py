"""``caseboard changes CASE -o WORK.changes``: write everything done in a case since its baseline."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("changes", help="write a changes file of the work done since the shared baseline")
    s.add_argument("case")
    s.add_argument("-o", "--output", help="the changes file to write (WORK.changes)")
    s.add_argument("--since", metavar="BASELINE.case", help="compare with this copy instead of the baseline")
    s.add_argument("--author", help="whose work it is (default: $CASEBOARD_AUTHOR or your user name)")
    s.add_argument(
        "--start", action="store_true", help="start shared work: keep the case as it is now as its baseline"
    )
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db import changes
    from caseboard.db.case import open_case
    from caseboard.db.errors import CaseError

    if not args.start and not args.output:
        raise CaseError("give -o WORK.changes (or --start to begin shared work).")
    with open_case(args.case) as case:
        if args.start:
            path = changes.start_shared_work(case)
            print(f"Shared work started: baseline kept in {path}")
            if not args.output:
                return 0
        found = changes.make_changes(case, since=args.since, author=args.author or "")
        changes.write_changes(found, args.output)
    h = found.header
    print(f"Wrote {args.output}: {h.summary()} by {h.author}")
    return 0
