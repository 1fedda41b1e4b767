"""The ``caseboard`` command: opens the window, or runs a subcommand without any display.

One module per subcommand, each with ``add_parser(subparsers)`` and ``run(args) -> int``; a new command is one
new module and its name in ``COMMANDS``. Qt is imported only by the commands that need it, so ``info``,
``search`` and friends start fast and run on a machine with no display. User mistakes end with one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys
from collections.abc import Sequence

from caseboard.cli.guard import EXIT_USER, guarded
from caseboard.db.appinfo import app_version

#: Subcommand modules under caseboard.cli, in the order ``--help`` lists them.
COMMANDS = (
    "new",
    "demo",
    "info",
    "health",
    "repair",
    "search",
    "export",
    "import",
    "generate",
    "ingest",
    "changes",
    "apply",
    "merge",
    "publish",
)
#: Commands that parse their own arguments (their module has ``main(argv) -> int``).
OWN_PARSER = ("ingest",)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, like every other user mistake
        print(f"caseboard: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USER)


def _module(name: str):  # noqa: ANN202 - a command module
    name = name.replace("-", "_")
    return importlib.import_module(
        f"caseboard.cli.{name}_" if keyword.iskeyword(name) else f"caseboard.cli.{name}"
    )


def _subparsers() -> argparse.ArgumentParser:
    p = _Parser(prog="caseboard", description="Caseboard case files from the command line.")
    p.add_argument("--version", action="version", version=f"caseboard {app_version()}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        if name in OWN_PARSER:
            sub.add_parser(name, help=f"see: caseboard {name} --help", add_help=False)
            continue
        mod = _module(name)
        s = mod.add_parser(sub)
        s.set_defaults(func=mod.run)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in OWN_PARSER:
        return guarded(lambda: _module(argv[0]).main(argv[1:]))
    if argv and argv[0] in COMMANDS:
        try:
            args = _subparsers().parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
        return guarded(lambda: args.func(args))
    from caseboard.cli import window

    return window.main(argv, COMMANDS)
