"""``caseboard repair CASE --remove-foreign``: drop triggers and views Caseboard did not create.

A case with such objects opens read-only (they could change data on every edit); after checking where the file
came from, this removes them so it can be edited. Nothing else in the file is changed.
"""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser("repair", help="remove triggers and views Caseboard did not create from a case")
    s.add_argument("case")
    s.add_argument(
        "--remove-foreign",
        action="store_true",
        help="drop every trigger and view Caseboard did not create (they may be someone's tampering)",
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from caseboard.db import schema_check
    from caseboard.db.case import connect, inspect_file, open_case, release_lock, take_lock
    from caseboard.db.errors import CaseError

    path = Path(args.case).expanduser().absolute()
    inspect_file(path)
    if not args.remove_foreign:
        raise CaseError("say what to repair: --remove-foreign")
    with open_case(path, readonly=True) as case:
        found = schema_check.check_schema(case.conn, current=False)
    if found.clean:
        print(f"{path}: no triggers or views Caseboard did not create; nothing to do.")
        return 0
    lock = take_lock(path)
    if lock is None:
        raise CaseError(f'"{path}" is open in another Caseboard window; close it there first.')
    conn = connect(path, readonly=False)
    try:
        dropped = schema_check.remove_foreign(conn)
    finally:
        conn.close()
        release_lock(path, lock)
    for item in dropped:
        print(f"removed {item}")
    return 0
