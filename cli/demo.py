"""``caseboard demo PATH``: write the built-in demo case to a file."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("demo", help="write the built-in demo case to a file")
    s.add_argument("path")
    s.add_argument("--force", action="store_true", help="replace an existing file")
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db.demo import write_demo

    write_demo(args.path, overwrite=args.force).close()
    print(f"Wrote the demo case to {args.path}")
    return 0
