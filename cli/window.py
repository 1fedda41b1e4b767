"""``caseboard [CASE.case] [--read-only]``: open a case (or the user's demo copy) in the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from caseboard.cli.guard import EXIT_USER, guarded
from caseboard.db.appinfo import app_version, ensure_demo


def _window_parser(commands: Sequence[str]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="caseboard",
        description="Open a case file in the Caseboard window (the demo case when no file is given). "
        f"Subcommands: {', '.join(commands)} (caseboard COMMAND --help).",
    )
    p.add_argument("--version", action="version", version=f"caseboard {app_version()}")
    p.add_argument("case", nargs="?", help="a .case file to open")
    p.add_argument("--read-only", action="store_true", help="open the case without allowing edits")
    return p


def run_window(case: Path | None, readonly: bool) -> int:
    try:
        from caseboard.gui.app import run
    except ImportError as exc:
        print(f"caseboard: the window cannot start here: {exc}", file=sys.stderr)
        return EXIT_USER
    return run(case, readonly=readonly)


def main(argv: Sequence[str], commands: Sequence[str]) -> int:
    args = _window_parser(commands).parse_args(list(argv))

    def start() -> int:
        path = Path(args.case) if args.case else ensure_demo()
        if args.case:
            from caseboard.db.case import inspect_file

            # A clear message before any window appears; the window's open runs the full integrity check once.
            inspect_file(path.expanduser().absolute(), check_integrity=False)
        return run_window(path, args.read_only)

    return guarded(start)
