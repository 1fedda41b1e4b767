"""``caseboard export``: write a case summary PDF, or the case in another tool's format, with no display.

``--format`` picks the format (PDF by default); the same ``--actor``/``--from``/``--to`` scope applies to every
format. The non-PDF formats live in ``db.exchange`` and need no Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def ensure_app() -> object:
    """A Qt application for painting (offscreen when there is no display); reuses one that exists."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(["caseboard-export"])
    return app


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from caseboard.db.exchange import EXPORTS

    s = sub.add_parser("export", help="write a case summary PDF or an exchange file (no display needed)")
    s.add_argument("case")
    s.add_argument("-o", "--output", required=True)
    s.add_argument(
        "--format",
        choices=("pdf", *(f.name for f in EXPORTS)),
        help="pdf (the default, unless the output's suffix names another format), "
        + ", ".join(f"{f.name}: {f.label}" for f in EXPORTS),
    )
    s.add_argument("--actor", action="append", default=[], help="only what concerns this actor (repeatable)")
    s.add_argument("--from", dest="date_from", help="only from this date")
    s.add_argument("--to", dest="date_to", help="only up to this date")
    s.add_argument("--paper", choices=("a4", "letter"), default="a4")
    return s


def run(args: argparse.Namespace) -> int:
    """Export ``args.case`` to ``args.output``; user mistakes raise CaseError (one line, exit 2)."""
    from caseboard.db.case import open_case
    from caseboard.db.report import ExportError, make_scope
    from caseboard.gui.report.pdf import check_output

    out = Path(args.output).expanduser().absolute()
    fmt = args.format or _format_from_suffix(out)
    if fmt != "pdf":
        return _run_exchange(args, out, fmt)
    if out.suffix.lower() != ".pdf":
        raise ExportError(f'the output "{args.output}" should end in .pdf')
    check_output(out)
    with open_case(args.case, readonly=True) as case:
        scope = make_scope(case, args.actor or [], args.date_from, args.date_to)
        ensure_app()
        from caseboard.gui.report.export import export_case

        try:
            result = export_case(case, out, scope=None if scope.whole else scope, paper=args.paper)
        finally:
            from caseboard.gui.workers import wait_for_all

            wait_for_all(-1)  # background reads (on the workers' own pool) finish before the case closes
    n = result.report.counts if result.report else {}
    print(
        f"Wrote {result.path} ({result.pages} pages, {args.paper.upper() if args.paper == 'a4' else 'Letter'}; "
        f"{n.get('events', 0)} events, {n.get('statements', 0)} statements, {n.get('citations', 0)} citations) "
        f"in {result.seconds:.1f} s",
        file=sys.stdout,
    )
    return 0


def _format_from_suffix(out: Path) -> str:
    """The format a suffix names without doubt (``.kml``, ``.geojson``); PDF for ``.pdf`` or no suffix."""
    from caseboard.db.exchange import EXPORTS
    from caseboard.db.report import ExportError

    if out.suffix.lower() in (".pdf", ""):
        return "pdf"
    found = [f.name for f in EXPORTS if out.name.lower().endswith(f.suffix)] or [
        f.name for f in EXPORTS if f.accepts(out)
    ]
    if len(found) != 1:
        names = " or ".join(found) or "pdf"
        raise ExportError(f'say which format "{out.name}" should be: --format {names}')
    return found[0]


def _run_exchange(args: argparse.Namespace, out: Path, fmt: str) -> int:
    """Write ``fmt`` (one of ``db.exchange.EXPORTS``) for the case or its scope."""
    import time

    from caseboard.db.case import open_case
    from caseboard.db.exchange import EXPORT_BY_NAME
    from caseboard.db.report import ExportError, make_scope, resolve

    form = EXPORT_BY_NAME[fmt]
    if args.paper != "a4":
        raise ExportError("--paper applies to the PDF only")
    if not form.accepts(out):
        raise ExportError(
            f'the output "{args.output}" should end in {" or ".join(form.suffixes)} for --format {fmt}'
        )
    if not out.parent.is_dir():
        raise ExportError(f'the folder of "{args.output}" does not exist')
    started = time.perf_counter()
    with open_case(args.case, readonly=True) as case:
        scope = make_scope(case, args.actor or [], args.date_from, args.date_to)
        kept = None if scope.whole else resolve(case, scope)
        n = form.writer()(case, out, kept)
    files = ", ".join(str(p) for p in form.outputs(out))
    print(f"Wrote {files} ({form.label}; {n} items) in {time.perf_counter() - started:.1f} s")
    return 0
