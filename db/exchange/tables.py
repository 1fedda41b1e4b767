"""Writing a sheet (or several) as CSV or XLSX, atomically; the format follows the output's suffix."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from caseboard.db.atomic_write import atomic_output
from caseboard.db.exchange.common import checkpoint

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # (name, header, rows)


def is_xlsx(out: str | os.PathLike[str]) -> bool:
    return Path(out).suffix.lower() in (".xlsx", ".xlsm")


def csv_paths(out: Path, sheets: Sequence[Sheet]) -> list[Path]:
    """One CSV per sheet: the output itself for one sheet, ``NAME-SHEET.csv`` beside it for more."""
    if len(sheets) == 1:
        return [out]
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    return [out.with_name(f"{stem}-{name.lower()}.csv") for name, _h, _r in sheets]


def write_sheets(out: str | os.PathLike[str], sheets: Sequence[Sheet]) -> list[Path]:
    """Write ``sheets`` to ``out`` (XLSX: one workbook; CSV: one file per sheet); returns the files written."""
    out = Path(out)
    total = sum(len(rows) for _n, _h, rows in sheets)
    if is_xlsx(out):
        from caseboard.db.exchange.xlsx import write_xlsx

        with atomic_output(out, "wb") as fh:
            write_xlsx(
                fh,
                [(name, header, ([_cell(v) for v in row] for row in rows)) for name, header, rows in sheets],
                tick=lambda done: checkpoint(done, total, f"Writing {out.name}"),
            )
        return [out]
    paths = csv_paths(out, sheets)
    written = 0
    for path, (_name, header, rows) in zip(paths, sheets, strict=True):
        # UTF-8 with a byte-order mark so Excel and i2 read non-ASCII names right; RFC 4180 line ends
        with atomic_output(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for start in range(0, len(rows), 5000):
                w.writerows([_cell(v) for v in row] for row in rows[start : start + 5000])
                written += min(5000, len(rows) - start)
                checkpoint(written, total, f"Writing {path.name}")
    return paths


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula is written as text (a leading apostrophe for XLSX is not
    standard, so a space goes first)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        return " " + value
    return "" if value is None else value
