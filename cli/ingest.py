"""``caseboard ingest REPORT [--published DATE] [--json]``: print the suggestions for one report.

``caseboard ingest REPORT --case CASE.case --accept-all [--reliability B]`` writes them all into a case (for
scripts; the window's review is where an analyst picks), merging into actors and places the case has, and
prints a one-line summary. Bad input (a missing file, an unreadable PDF, a malformed date) gives one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys

from caseboard.ingest.readers import Document, PasswordNeeded, ReaderError, read_document
from caseboard.ingest.suggest import suggest, to_json


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for every other bad input
        print(f"caseboard ingest: {message}", file=sys.stderr)
        raise SystemExit(2)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad date {value!r}: use YYYY-MM-DD") from None


def _human(data: dict) -> str:
    lines = [f"published: {data['published'] or 'unknown'}"]
    lines.append(f"\nActors ({len(data['actors'])})")
    for a in data["actors"]:
        extra = f"  aka {', '.join(a['aliases'])}" if a["aliases"] else ""
        merge = f"  [merge with {a['merge_with']}]" if a["merge_with"] else ""
        lines.append(f"  {a['kind']:<12} {a['name']}{extra}{merge}")
    lines.append(f"\nPlaces ({len(data['places'])})")
    for p in data["places"]:
        where = f"{p['lat']:.3f}, {p['lon']:.3f}" if p["lat"] is not None else "no coordinates"
        lines.append(f"  {p['name']} ({p['country'] or '-'}) {where} [{p['precision']}]")
    lines.append(f"\nEvents ({len(data['events'])})")
    for e in data["events"]:
        lines.append(f"  {e['date']:<23} {'~' if e['approximate'] else ' '} {e['what'][:100]}")
    lines.append(f"\nShipments ({len(data['shipments'])})")
    for s in data["shipments"]:
        lines.append(f"  {s['quantity'] or '?'} {s['cargo'] or '(cargo not stated)'}")
        for leg in s["legs"]:
            lines.append(
                f"    {leg['from'] or '?'} -> {leg['to'] or '?'} by {leg['mode'] or '?'}"
                f" carrier {leg['carrier'] or '-'} depart {leg['depart'] or '-'} arrive {leg['arrive'] or '-'}"
            )
    lines.append(f"\nQuotes ({len(data['quotes'])})")
    for q in data["quotes"]:
        lines.append(f"  {q['speaker'] or '(unknown speaker)'}: “{q['text']}”")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of exiting so the caseboard command can wrap it."""
    parser = _Parser(
        prog="caseboard ingest", description="Suggest actors, places, dates, shipments and quotes"
    )
    parser.add_argument("report", help="a .txt, .md, .html or .pdf report")
    parser.add_argument("--published", type=_date, help="publication date (YYYY-MM-DD) for relative dates")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    parser.add_argument("--case", metavar="CASE.case", help="the case file to write into (with --accept-all)")
    parser.add_argument(
        "--accept-all", action="store_true", help="write every suggestion into --case, citing the report"
    )
    parser.add_argument(
        "--reliability",
        type=str.upper,
        choices=list("ABCDEF"),
        default="F",
        help="the source's reliability grade A-F (default F: cannot be judged)",
    )
    parser.add_argument("--password", help="the password of an encrypted PDF")
    parser.add_argument("--title", help="the source's title (default: the document's title or first line)")
    parser.add_argument(
        "--allow-duplicate", action="store_true", help="import even if the case already has this exact text"
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.accept_all != bool(args.case):
        print("caseboard ingest: --case and --accept-all go together", file=sys.stderr)
        return 2
    try:
        doc = read_document(args.report, args.password)
    except ReaderError as exc:
        hint = " (--password)" if isinstance(exc, PasswordNeeded) else ""
        print(f"caseboard ingest: {exc}{hint}", file=sys.stderr)
        return 2
    for warning in doc.warnings:
        print(f"caseboard ingest: warning: {warning}", file=sys.stderr)
    if args.case:
        return _accept_into(args, doc)
    data = to_json(suggest(doc.text, published=args.published or doc.published))
    data["source"] = {"title": doc.title, "outlet": doc.outlet, "url": doc.url, "sha256": doc.sha256}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_human(data))
    return 0


def _accept_into(args: argparse.Namespace, doc: Document) -> int:
    """Write every suggestion into the case; any refusal is one line on stderr and exit code 2."""
    from caseboard.db.case import open_case
    from caseboard.db.errors import CaseError, sqlite_message
    from caseboard.ingest.accept import accept_all, known_actors, summarize

    try:
        with open_case(args.case) as case:
            case.require_writable()
            suggestions = suggest(
                doc.text, published=args.published or doc.published, known_actors=known_actors(case)
            )
            skipped: list[str] = []
            with case.transaction(label=f"Import report {doc.title or ''}".strip()):
                changes = accept_all(
                    case,
                    doc,
                    suggestions,
                    reliability=args.reliability,
                    source_fields={"title": args.title, "published": args.published or doc.published},
                    allow_duplicate=args.allow_duplicate,
                    skipped=skipped,
                )
    except CaseError as exc:
        print(f"caseboard ingest: {exc}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:  # disk full, a locked file: the import rolled back as a whole
        print(f"caseboard ingest: {args.case}: not imported: {sqlite_message(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"caseboard ingest: {args.case}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for note in [*suggestions.notes, *skipped]:  # what was left out, so a script's log says so
        print(f"caseboard ingest: warning: {note}", file=sys.stderr)
    print(f"Imported into {args.case}: {summarize(changes).line()}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
