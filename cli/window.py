"""``caseboard [CASE.case] [--read-only]``: open a case (or the user's demo copy) in the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from caseboard.cli.guard import EXIT_USER, guarded, one_line
from caseboard.db.appinfo import app_version, ensure_demo
from caseboard.db.errors import CaseError


def has_display() -> bool:
    """Whether a window can be shown: a desktop session, and Qt not told to draw off screen."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


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
            try:
                inspect_file(path.expanduser().absolute(), check_integrity=False)
            except (CaseError, OSError) as exc:
                if not has_display():
                    raise
                # started from a file manager, nobody reads stderr: the window shows the same message box as
                # File > Open, then the demo case; the line still goes to stderr for a terminal
                print(one_line(exc), file=sys.stderr)
        return run_window(path, args.read_only)

    return guarded(start)
