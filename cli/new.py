"""``caseboard new PATH --title TITLE``: create an empty case."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("new", help="create an empty case file")
    s.add_argument("path")
    s.add_argument("--title", required=True)
    s.add_argument("--summary")
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db.case import create_case

    create_case(args.path, title=args.title, summary=args.summary or "").close()
    print(f"Created {args.path}")
    return 0
