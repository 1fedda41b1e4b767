"""The outline (bookmarks) of the case summary PDF; the links are Qt's own.

The links themselves are Qt's: drawing a QTextLayout on a QPdfWriter turns ``<a href="#c3">`` into a link
annotation to the named destination that ``<a name="c3">`` became, and a web address into a URI link. Qt writes no
outline, so ``collect`` notes where each section heading fell once the pages are cut, and ``apply`` adds the
outline to the finished PDF with pypdf.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

#: Writer pixels (1/96 inch) to PDF points (1/72 inch).
PT = 72 / 96
#: Level-3 headings of a section go into the outline only when there are at most this many (a case with
#: thousands of speakers gets its sections, not a ten-thousand-entry outline).
MAX_CHILDREN = 60
#: Citation marks and the unsourced tag at the end of a heading: not part of its name in the outline.
_REFS = re.compile(r"(\s*(\[\d+\]|\[unsourced\]))+\s*$")


@dataclass
class OutlineEntry:
    title: str
    page: int  # 0-based page index in the PDF
    y: float  # from the page top, writer pixels
    children: list[OutlineEntry] = field(default_factory=list)


def collect(pages: list, first_page: int, body: QRectF) -> list[OutlineEntry]:
    """Outline entries for the section (level 2) and sub-section (level 3) headings of the body ``pages``.

    ``pages`` are ``pdf.BodyPage``s of a laid-out document, the first printed as page ``first_page`` (0-based).
    """
    sections: list[OutlineEntry] = []
    for i, page in enumerate(pages):
        for block in page.blocks:
            level = block.blockFormat().headingLevel()
            if level not in (2, 3):
                continue
            lay = block.layout()
            top = lay.position().y() + (lay.lineAt(0).y() if lay.lineCount() else 0)
            if not page.top - 0.5 <= top < page.bottom - 0.5:
                continue  # the tail of a heading split across pages
            title = _REFS.sub("", block.text()).strip()
            entry = OutlineEntry(title, first_page + i, top - page.top + body.top())
            if level == 2 or not sections:
                sections.append(entry)
            else:
                sections[-1].children.append(entry)
    for s in sections:
        if len(s.children) > MAX_CHILDREN:
            s.children = []
    return sections


def apply(pdf: bytes, outline: list[OutlineEntry], page_height: float) -> bytes:
    """The PDF with the outline added, opening with it shown (``page_height`` in writer pixels).

    Written as an incremental update (new objects, a new catalog, an xref section pointing back at Qt's): the
    pages are not parsed or rewritten, which for a 300-page report is the difference between a few milliseconds
    and over a second. A file this cannot read that way gets the outline through a full pypdf rewrite.
    """
    try:
        return pdf + _outline_update(pdf, outline, page_height)
    except (ValueError, KeyError, TypeError, IndexError):
        return _rewrite(pdf, outline, page_height)


def _outline_update(pdf: bytes, outline: list[OutlineEntry], page_height: float) -> bytes:
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        IndirectObject,
        NameObject,
        NullObject,
        NumberObject,
        TextStringObject,
    )

    tail = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf[-1024:])
    if tail is None:
        raise ValueError("no startxref")
    reader = PdfReader(io.BytesIO(pdf))
    trailer = reader.trailer
    root_ref = trailer.raw_get("/Root")
    if not isinstance(root_ref, IndirectObject):
        raise ValueError("catalog is not an indirect object")
    size = int(trailer["/Size"])
    pages = [p.indirect_reference for p in reader.pages]
    objects: dict[int, object] = {}

    def ref(n: int) -> IndirectObject:
        return IndirectObject(n, 0, reader)

    def items(entries: list[OutlineEntry], parent: int) -> list[int]:
        nonlocal size
        numbers = list(range(size, size + len(entries)))
        size += len(entries)
        for k, (n, e) in enumerate(zip(numbers, entries, strict=True)):
            d = DictionaryObject()
            d[NameObject("/Title")] = TextStringObject(e.title)
            d[NameObject("/Parent")] = ref(parent)
            page = pages[e.page]
            d[NameObject("/Dest")] = ArrayObject(
                [
                    page,
                    NameObject("/XYZ"),
                    FloatObject(0),
                    FloatObject((page_height - e.y + 4) * PT),
                    NullObject(),
                ]
            )
            if k:
                d[NameObject("/Prev")] = ref(numbers[k - 1])
            if k + 1 < len(numbers):
                d[NameObject("/Next")] = ref(numbers[k + 1])
            kids = items(e.children, n) if e.children else []
            if kids:
                d[NameObject("/First")] = ref(kids[0])
                d[NameObject("/Last")] = ref(kids[-1])
                d[NameObject("/Count")] = NumberObject(-len(kids))  # closed: sections first
            objects[n] = d
        return numbers

    top = size
    size += 1
    first = items(outline, top)
    head = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    if first:
        head[NameObject("/First")] = ref(first[0])
        head[NameObject("/Last")] = ref(first[-1])
        head[NameObject("/Count")] = NumberObject(len(first))
    objects[top] = head
    catalog = DictionaryObject(trailer["/Root"])
    catalog[NameObject("/Outlines")] = ref(top)
    catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    objects[root_ref.idnum] = catalog

    out = io.BytesIO()
    out.write(b"\n")
    offsets: dict[int, int] = {}
    for n, obj in sorted(objects.items()):
        offsets[n] = len(pdf) + out.tell()
        out.write(f"{n} 0 obj\n".encode())
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = len(pdf) + out.tell()
    out.write(b"xref\n")
    for n in sorted(offsets):
        out.write(f"{n} 1\n{offsets[n]:010d} 00000 n \n".encode())
    new_trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(size),
            NameObject("/Root"): root_ref,
            NameObject("/Prev"): NumberObject(int(tail.group(1))),
        }
    )
    for key in ("/Info", "/ID"):
        if key in trailer:
            new_trailer[NameObject(key)] = trailer.raw_get(key)
    out.write(b"trailer\n")
    new_trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _rewrite(pdf: bytes, outline: list[OutlineEntry], page_height: float) -> bytes:
    """The outline through a full pypdf rewrite (slow on long reports; only for files the fast path refuses)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    def top(y: float) -> float:
        return (page_height - y) * PT

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))

    def add(entries: list[OutlineEntry], parent: object = None) -> None:
        for e in entries:
            item = writer.add_outline_item(
                title=e.title, page_number=e.page, parent=parent, fit=Fit.xyz(0, top(e.y - 4))
            )
            add(e.children, item)

    add(outline)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
