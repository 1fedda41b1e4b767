"""A streaming XLSX writer for plain sheets: text and numbers, a header row, nothing else.

Why not openpyxl: even in ``write_only`` mode it builds an element per cell and serialises it through its
pure-Python XML writer, which took over a minute for the 50,000-event link table (2.2 million cells). A sheet of
values needs none of that: the rows are written straight into the zip as SpreadsheetML with inline strings, which
Excel, LibreOffice, i2, Maltego and openpyxl all read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

#: Characters XML 1.0 cannot hold at all (a report's form feed, a stray NUL): dropped from cell text.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's limit on the characters in one cell.
MAX_CELL = 32767

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}"
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def _text(value: str) -> str:
    value = _ILLEGAL.sub("", value)[:MAX_CELL]
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f"<c><v>{value!r}</v></c>" if value == value and abs(value) != float("inf") else "<c/>"
    return _text(str(value))


def _rows(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    bold = "".join(_text(str(h)).replace('<c t="inlineStr">', '<c t="inlineStr" s="1">', 1) for h in header)
    yield f"<row>{bold}</row>"
    for row in rows:
        yield "<row>" + "".join(map(_cell, row)) + "</row>"


def write_xlsx(
    fh: IO[bytes],
    sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]],
    tick: Callable[[int], None] | None = None,
) -> None:
    """Write ``sheets`` (name, header, rows) as one workbook into the binary file ``fh``.

    ``tick(rows_done)`` is called every few thousand rows (progress, and a chance to stop by raising)."""
    names = [_sheet_name(name, i) for i, (name, _h, _r) in enumerate(sheets, start=1)]
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        n_sheets = range(1, len(sheets) + 1)
        zf.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in n_sheets)),
        )
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr(
            "xl/workbook.xml",
            _WORKBOOK.format(
                sheets="".join(
                    f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
                    for n, name in zip(n_sheets, names, strict=True)
                )
            ),
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(
                sheets="".join(
                    f'<Relationship Id="rId{n}" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n in n_sheets
                )
            ),
        )
        zf.writestr("xl/styles.xml", _STYLES)
        done = 0
        for n, (_name, header, rows) in zip(n_sheets, sheets, strict=True):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                part.write(_SHEET_START.encode("utf-8"))
                batch: list[str] = []
                for text in _rows(header, rows):
                    batch.append(text)
                    if len(batch) == 2000:
                        part.write("".join(batch).encode("utf-8"))
                        done += len(batch)
                        batch = []
                        if tick is not None:
                            tick(done)
                part.write(("".join(batch) + _SHEET_END).encode("utf-8"))
                done += len(batch)


def _sheet_name(name: str, n: int) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``, not empty."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31]
    return clean or f"Sheet{n}"
