"""The ``caseboard`` command: opens the window, or runs a subcommand without any display.

Qt is imported only by the commands that need it, so ``info``, ``search`` and friends start fast and run on a
machine with no display. User mistakes end with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from caseboard.db.errors import CaseError

EXIT_USER = 2


def app_version() -> str:
    try:
        return version("caseboard")
    except PackageNotFoundError:  # running from a tree that was never installed
        return "0+unknown"


def demo_path() -> Path:
    """Where the user's own copy of the demo case lives (edits never touch the installed files)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("caseboard", appauthor=False)) / "demo.case"


def ensure_demo() -> Path:
    from caseboard.db.case import inspect_file
    from caseboard.db.demo import write_demo

    path = demo_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        try:
            inspect_file(path)
            return path
        except CaseError:
            path.rename(path.with_name(path.name + ".damaged"))
    write_demo(path).close()
    return path


# -- subcommands ------------------------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    from caseboard.db.case import create_case

    create_case(args.path, title=args.title, summary=args.summary or "").close()
    print(f"Created {args.path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from caseboard.db.demo import write_demo

    write_demo(args.path, overwrite=args.force).close()
    print(f"Wrote the demo case to {args.path}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
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


def cmd_search(args: argparse.Namespace) -> int:
    from caseboard.db import crud, search
    from caseboard.db.case import open_case

    with open_case(args.case, readonly=True) as case:
        result = search.search_table(case.conn, "statements", args.query, limit=args.limit)
        rows = []
        for sid in result.ids:
            st = crud.get(case, "statements", sid)
            speaker = crud.get(case, "actors", st.speaker_id).name if st.speaker_id else ""
            src = crud.get(case, "sources", st.source_id) if st.source_id else None
            rows.append(
                {
                    "id": st.id,
                    "text": st.text,
                    "kind": st.kind,
                    "speaker": speaker,
                    "said": st.said.edtf() if st.said else None,
                    "said_display": st.said.display() if st.said else "undated",
                    "source": src.title if src else None,
                    "source_label": src.label if src else None,
                    "reliability": src.reliability if src else None,
                }
            )
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "total": result.total, "ranked": result.ranked, "statements": rows},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(f"No statements match {args.query!r}.")
        return 0
    for r in rows:
        mark = "\u201c" + r["text"] + "\u201d" if r["kind"] == "quote" else "(paraphrase) " + r["text"]
        print(mark)
        src = (
            f"{r['source_label'] + ' ' if r['source_label'] else ''}{r['source']} [{r['reliability']}]"
            if (r["source"])
            else "no source"
        )
        print(f"    \u2014 {r['speaker'] or 'unknown speaker'}, {r['said_display']}; source: {src}")
    if not result.ranked:
        print(f"(more than {search.RANK_CAP} matches: newest shown first; refine the query to rank them)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from caseboard.gui.report.cli import run_export

    return run_export(args)


def cmd_generate(args: argparse.Namespace) -> int:
    from caseboard.db.generate import run_generate

    return run_generate(args)


def cmd_ingest(argv: Sequence[str]) -> int:
    from caseboard.ingest.cli import main as ingest_main

    return ingest_main(list(argv))


def _subparsers() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="caseboard", description="Caseboard case files from the command line.")
    p.add_argument("--version", action="version", version=f"caseboard {app_version()}")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("new", help="create an empty case file")
    s.add_argument("path")
    s.add_argument("--title", required=True)
    s.add_argument("--summary")
    s.set_defaults(func=cmd_new)
    s = sub.add_parser("demo", help="write the built-in demo case to a file")
    s.add_argument("path")
    s.add_argument("--force", action="store_true", help="replace an existing file")
    s.set_defaults(func=cmd_demo)
    s = sub.add_parser("info", help="title, schema version, counts and date span of a case")
    s.add_argument("case")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_info)
    s = sub.add_parser("search", help="full-text search of a case's statements")
    s.add_argument("case")
    s.add_argument("query")
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=int, default=50)
    s.set_defaults(func=cmd_search)
    s = sub.add_parser("export", help="write a case summary PDF (no display needed)")
    s.add_argument("case")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--actor", action="append", default=[], help="only what concerns this actor (repeatable)")
    s.add_argument("--from", dest="date_from", help="only from this date")
    s.add_argument("--to", dest="date_to", help="only up to this date")
    s.add_argument("--paper", choices=("a4", "letter"), default="a4")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("generate", help="write a large synthetic case for testing and benchmarks")
    s.add_argument("path")
    s.add_argument("--events", type=int, default=100_000)
    s.add_argument("--statements", type=int, default=20_000)
    s.add_argument("--actors", type=int, default=2_000)
    s.add_argument("--places", type=int, default=1_000)
    s.add_argument("--shipments", type=int, default=2_000)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--force", action="store_true")
    s.add_argument(
        "--compare", action="store_true", help="also time plain sqlite3 executemany for the same rows"
    )
    s.set_defaults(func=cmd_generate)
    sub.add_parser(
        "ingest", help="suggest facts from a report (see: caseboard ingest --help)", add_help=False
    )
    return p


COMMANDS = ("new", "demo", "info", "search", "export", "generate", "ingest")


def _window_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="caseboard",
        description="Open a case file in the Caseboard window (the demo case when no file is given). "
        f"Subcommands: {', '.join(COMMANDS)} (caseboard COMMAND --help).",
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


def _guarded(fn: Callable[[], int]) -> int:
    try:
        return fn()
    except CaseError as exc:
        print(f"caseboard: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"caseboard: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USER


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "ingest":
        return _guarded(lambda: cmd_ingest(argv[1:]))
    if argv and argv[0] in COMMANDS:
        args = _subparsers().parse_args(argv)
        return _guarded(lambda: args.func(args))
    args = _window_parser().parse_args(argv)

    def start() -> int:
        path = Path(args.case) if args.case else ensure_demo()
        if args.case:
            from caseboard.db.case import inspect_file

            # A clear message before any window appears; the window's open runs the full integrity check once.
            inspect_file(path.expanduser().absolute(), check_integrity=False)
        return run_window(path, args.read_only)

    return _guarded(start)


if __name__ == "__main__":
    sys.exit(main())
