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
    """The PDF with the outline added, opening with it shown (``page_height`` in writer pixels)."""
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
