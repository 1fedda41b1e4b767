"""``caseboard import``: bring FollowTheMoney entities or a spreadsheet into a case, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caseboard.db.errors import CaseError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    s = sub.add_parser(
        "import", help="import FtM entities (JSON lines) or a CSV/XLSX spreadsheet into a case"
    )
    s.add_argument("case")
    s.add_argument("file")
    s.add_argument("--format", choices=("ftm", "csv", "xlsx"), help="default: from the file's suffix")
    s.add_argument(
        "--mapping",
        help='spreadsheet column mapping, a JSON file: {"kind": "places", "columns": {"name": "Port", "lat": "Lat"}} '
        "(default: guessed from the header; see docs/exchange.md)",
    )
    s.add_argument(
        "--merge",
        choices=("certain", "all", "none"),
        default="certain",
        help="actors matching ones in the case: merge those with the same id or IMO (certain, the default), "
        "also those sharing a name or alias (all), or none",
    )
    s.add_argument("--dry-run", action="store_true", help="say what would be imported and change nothing")
    s.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import a spreadsheet's good rows when some rows are wrong (otherwise nothing is imported)",
    )
    return s


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    name = path.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".json", ".jsonl", ".ndjson", ".ftm")):
        return "ftm"
    raise CaseError(f'cannot tell the format of "{path.name}"; give --format ftm, csv or xlsx')


def run(args: argparse.Namespace) -> int:
    from caseboard.db.case import open_case

    path = Path(args.file).expanduser()
    fmt = format_of(path, args.format)
    if not path.is_file():
        raise CaseError(f'"{args.file}" does not exist')
    with open_case(args.case) as case:
        case.require_writable()
        if fmt == "ftm":
            return _ftm(case, path, args)
        return _sheet(case, path, args)


def _ftm(case, path: Path, args: argparse.Namespace) -> int:  # noqa: ANN001 - an open Case
    from caseboard.db.exchange.ftm_import import apply_ftm, read_ftm

    plan = read_ftm(path, case)
    print(plan.summary())
    merge = {
        o.incoming_id for o in plan.offers if args.merge == "all" or (args.merge == "certain" and o.certain)
    }
    for o in plan.offers:
        verb = "merged into" if o.incoming_id in merge else "kept apart from"
        print(f'  actor "{o.incoming_name}" {verb} "{o.existing_name}" ({o.reason})')
    for w in plan.warnings:
        print(f"  warning: {w}", file=sys.stderr)
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    with case.transaction(label=f"Import {path.name}"):
        apply_ftm(case, plan, merge)
    print(f"Imported {path.name} into {case.path.name}: {plan.result_text()}.")
    return 0


def _sheet(case, path: Path, args: argparse.Namespace) -> int:  # noqa: ANN001 - an open Case
    from caseboard.db.exchange.spreadsheet_import import (
        Mapping,
        apply_sheet,
        guess_mapping,
        read_sheet,
        read_table,
        rows_word,
    )

    if args.mapping:
        try:
            text = Path(args.mapping).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise CaseError(f'cannot read the mapping "{args.mapping}": {exc.strerror or exc}') from None
        mapping = Mapping.from_json(text)
    else:
        mapping = None
    table = read_table(path, mapping.sheet if mapping else None)
    if mapping is None:
        mapping = guess_mapping(table.header)
        print(
            f"Mapping guessed from the header (to change it, save this in a file for --mapping): {mapping.to_json()}"
        )
    plan = read_sheet(table, mapping)
    print(plan.summary())
    for error in plan.errors:
        print(f"  {error}", file=sys.stderr)
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    if plan.errors and not args.skip_bad_rows:
        raise CaseError(
            f"{rows_word(len(plan.bad_rows))} with errors (listed above), so nothing was imported; fix them, or import "
            "the other rows with --skip-bad-rows"
        )
    changes = apply_sheet(case, plan, only_good=True)
    added = sum(1 for c in changes if c.action == "insert")
    print(
        f"Imported {len(plan.good)} rows of {path.name} into {case.path.name} ({added} rows added, cited to the spreadsheet)."
    )
    return 0
