"""``caseboard info CASE``: title, schema version, counts per entity and date span."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("info", help="title, schema version, counts and date span of a case")
    s.add_argument("case")
    s.add_argument("--json", action="store_true")
    return s


def run(args: argparse.Namespace) -> int:
    from caseboard.db.case import open_case
    from caseboard.db.info import case_info

    with open_case(args.case, readonly=True) as case:
        info = case_info(case)
    if args.json:
        print(json.dumps(info.as_dict(), indent=2, ensure_ascii=False))
        return 0
    print(info.title)
    print(f"  file:    {info.path}")
    print(f"  schema:  version {info.schema_version}")
    print(f"  dates:   {info.span}")
    for table, n in info.counts.items():
        print(f"  {table + ':':<12} {n:>9,}")
    return 0
