"""``caseboard publish CASE OUT_DIR``: a read-only copy and Datasette metadata for reviewers in a browser."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("publish", help="prepare a case to be served read-only with Datasette")
    s.add_argument("case")
    s.add_argument("out_dir", metavar="OUT_DIR")
    s.add_argument("--with-history", action="store_true", help="keep the edit log (old values) in the copy")
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db.case import open_case
    from caseboard.db.publish import publish

    with open_case(args.case, readonly=True) as case:
        done = publish(case, args.out_dir, with_history=args.with_history)
    print(f"Wrote {done.database} and {done.metadata}")
    print(f"Serve it read-only on this computer: {done.command()}")
    return 0
