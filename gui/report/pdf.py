"""Writing the case summary PDF with Qt's own writer (QPdfWriter + QTextDocument + QPainter; no browser).

Pages: a title page, one page per figure (vector drawings), then the body — one QTextDocument laid out at the
writer's resolution and paginated here, page by page, so each page gets the running header (case title, section)
and footer (provenance, "Page n of N"). Text stays real text with subset-embedded TrueType fonts.

Painting only needs the QPdfWriter and the figures' draw functions, so it can run on a worker thread when the
figures were recorded in the GUI thread (see ``figures.recorded``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from shiboken6 import Shiboken

from caseboard.gui.report import markup
from caseboard.gui.report.data import ExportError, Report
from caseboard.gui.report.figures import Figure

#: Layout resolution: 1 px = 1/96 inch, so CSS px in the style sheet mean what they do on screen.
DPI = 96
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_X_MM = 18.0
HEADER_MM = 20.0  # top of the body from the page top
FOOTER_MM = 18.0  # bottom of the body from the page bottom
BODY_PT = 9.5
INK = "#263238"
DIM = "#6b7785"
#: Families tried in order for the body text; DejaVu Sans covers Latin, Greek, Cyrillic, Arabic and Hebrew.
FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written."""


def body_family() -> str:
    """The first installed family of FAMILIES (Qt falls back per glyph for CJK and other scripts)."""
    installed = set(QFontDatabase.families())
    return next((f for f in FAMILIES if f in installed), QFont().defaultFamily())


def plain_font(family: str, size_pt: float, *, bold: bool = False) -> QFont:
    """A font with ligatures off, so text copied out of the PDF ("difference") matches the case word for word."""
    f = QFont(family)
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    for tag in ("liga", "clig", "dlig"):
        f.setFeature(QFont.Tag(tag), 0)
    return f


def _mm(mm: float) -> float:
    return mm / 25.4 * DPI


@dataclass
class PageGeometry:
    """Page, body, header and footer boxes in writer pixels (1/96 inch)."""

    page: QRectF
    body: QRectF

    @classmethod
    def for_paper(cls, paper: str) -> PageGeometry:
        size = QPageSize(PAPERS[paper]).sizePoints()
        w, h = size.width() / 72 * DPI, size.height() / 72 * DPI
        # whole pixels: Qt paginates in 1/64 px fixed point, and a fractional page height could let the line
        # that starts a page pass for the last line of the page before
        left, top = round(_mm(MARGIN_X_MM)), round(_mm(HEADER_MM))
        body = QRectF(left, top, int(w - 2 * left), int(h - top - _mm(FOOTER_MM)))
        return cls(QRectF(0, 0, w, h), body)


def check_output(out_path: Path) -> None:
    """Refuse, with a message, an output path that cannot be written."""
    if out_path.is_dir():
        raise ExportError(f'cannot write "{out_path}": it is a folder; give a file name ending in .pdf')
    folder = out_path.parent
    if not folder.is_dir():
        raise ExportError(f'cannot write "{out_path}": the folder "{folder}" does not exist')
    if not os.access(folder, os.W_OK) or (out_path.exists() and not os.access(out_path, os.W_OK)):
        raise ExportError(f'cannot write "{out_path}": permission denied')


def new_writer(path: Path, paper: str, report: Report, *, author: str, generator: str) -> QPdfWriter:
    """A QPdfWriter set up for ``paper`` with the report's metadata (title, author, subject, creator, date)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(QPageSize(PAPERS[paper]), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    title = f"Case summary: {report.title}"
    writer.setTitle(title)
    writer.setCreator(generator)
    writer.setAuthor(author)
    writer.setDocumentXmpMetadata(_xmp(title, author, subject(report), generator, report))
    return writer


def subject(report: Report) -> str:
    return f"{report.scope.description or 'The whole case'}; dates {report.span}; from {report.case_file}"


def _xmp(title: str, author: str, subj: str, generator: str, report: Report) -> bytes:
    """XMP metadata (Qt writes this packet instead of its own when set): title, creator, description, dates."""
    made = report.made_at.isoformat(timespec="seconds")
    x = {
        k: xml_escape(v)
        for k, v in {"title": title, "author": author, "subject": subj, "gen": generator}.items()
    }
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x["title"]}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{x["author"]}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{x["subject"]}</rdf:li></rdf:Alt></dc:description>
   <xmp:CreatorTool>{x["gen"]}</xmp:CreatorTool>
   <xmp:CreateDate>{made}</xmp:CreateDate>
   <xmp:ModifyDate>{made}</xmp:ModifyDate>
   <pdf:Producer>{x["gen"]} (Qt PDF writer)</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def new_document(device: QPdfWriter | None, width: float, family: str) -> QTextDocument:
    """A QTextDocument laid out for ``device`` with the report style, wrapping long words anywhere."""
    doc = QTextDocument()
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(plain_font(family, BODY_PT))
    doc.setDefaultStyleSheet(markup.STYLE)
    doc.setUseDesignMetrics(True)
    doc.setDocumentMargin(0)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(opt)
    doc.setTextWidth(width)
    return doc


def full_layout(doc: QTextDocument) -> int:
    """Lay the whole document out now (Qt lays large documents out lazily) and return its page count."""
    doc.documentLayout().blockBoundingRect(doc.lastBlock())
    return doc.pageCount()


def keep_headings_with_next(doc: QTextDocument, page_h: float, rounds: int = 3) -> None:
    """Move a heading or date line that ends a page to the next page, so it stays with what it introduces."""
    layout = doc.documentLayout()
    for _ in range(rounds):
        moved = False
        block = doc.begin()
        while block.isValid():
            nxt = block.next()
            level = block.blockFormat().headingLevel()
            if level and nxt.isValid():
                top = layout.blockBoundingRect(block).top()
                nxt_top = layout.blockBoundingRect(nxt).top()
                if int(nxt_top // page_h) > int(top // page_h) and top % page_h > 1:
                    cursor = QTextCursor(block)
                    fmt = QTextBlockFormat()
                    fmt.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    cursor.mergeBlockFormat(fmt)
                    moved = True
            block = nxt
        if not moved:
            return


def section_starts(doc: QTextDocument, page_h: float) -> list[tuple[int, str]]:
    """(first page index, heading text) for every level-2 heading: the section a page starts in names it."""
    layout = doc.documentLayout()
    out = []
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() == 2:
            top = layout.blockBoundingRect(block).top()
            page = int(top // page_h)
            out.append((page if top - page * page_h < 60 else page + 1, block.text()))
        block = block.next()
    return out


class BodyPainter:
    """Paints one page of a laid-out document.

    ``QTextDocument.drawContents`` walks the document from the top for every page, which grows slow over hundreds
    of pages; here the top-level blocks are indexed once and each page draws only its own lines through the
    blocks' QTextLayouts. Pages holding a table (a frame) go through ``drawContents``, which draws cell borders.
    """

    def __init__(self, doc: QTextDocument, width: float, page_h: float) -> None:
        self.doc, self.width, self.page_h = doc, width, page_h
        layout = doc.documentLayout()
        self.items: list[tuple[float, float, object]] = []  # (top, bottom, block or None for a frame)
        it = doc.rootFrame().begin()
        while not it.atEnd():
            frame = it.currentFrame()
            if frame is not None:
                r = layout.frameBoundingRect(frame)
                self.items.append((r.top(), r.bottom(), None))
            else:
                block = it.currentBlock()
                r = layout.blockBoundingRect(block)
                self.items.append((r.top(), r.bottom(), block))
            it += 1
        self._next = 0

    def draw(self, p: QPainter, index: int) -> None:
        """Draw page ``index`` with the painter's origin at the top left of the body box."""
        top, bottom = index * self.page_h, (index + 1) * self.page_h
        while self._next < len(self.items) and self.items[self._next][1] <= top:
            self._next += 1
        on_page = []
        k = self._next
        while k < len(self.items) and self.items[k][0] < bottom:
            on_page.append(self.items[k][2])
            k += 1
        if any(block is None for block in on_page):
            p.save()
            p.translate(0, -top)
            self.doc.drawContents(p, QRectF(0, top, self.width, self.page_h))
            p.restore()
            return
        clip = QRectF(0, 0, self.width, self.page_h - 0.5)
        origin = QPointF(0, -top)
        for block in on_page:
            block.layout().draw(p, origin, [], clip)  # type: ignore[attr-defined]


class PageDecor:
    """Running header and footer."""

    def __init__(self, geo: PageGeometry, report: Report, family: str) -> None:
        self.geo = geo
        self.report = report
        self.family = family
        made = report.made_at.strftime("%-d %b %Y %H:%M")
        self.footer_left = f"Case summary \u00b7 made {made} from {report.case_file}"

    def _font(self, size: float, bold: bool = False) -> QFont:
        f = QFont(self.family)
        f.setPointSizeF(size)
        f.setBold(bold)
        return f

    def draw(self, p: QPainter, page_no: int, pages: int, section: str, *, header: bool = True) -> None:
        body, page = self.geo.body, self.geo.page
        p.save()
        p.setFont(self._font(7.5))
        fm = QFontMetricsF(p.font())
        if header:
            y = body.top() - _mm(6)
            right = section
            right_w = fm.horizontalAdvance(right) + 12 if right else 0
            title = fm.elidedText(self.report.title, Qt.TextElideMode.ElideRight, body.width() - right_w)
            p.setPen(QColor(DIM))
            p.drawText(QPointF(body.left(), y), title)
            if right:
                p.drawText(QPointF(body.right() - fm.horizontalAdvance(right), y), right)
            p.setPen(QPen(QColor("#c5ccd3"), 0.6))
            p.drawLine(QPointF(body.left(), y + 4), QPointF(body.right(), y + 4))
        y = page.bottom() - _mm(FOOTER_MM) + _mm(9)
        number = f"Page {page_no} of {pages}"
        left = fm.elidedText(
            self.footer_left, Qt.TextElideMode.ElideMiddle, body.width() - fm.horizontalAdvance(number) - 16
        )
        p.setPen(QColor(DIM))
        p.drawText(QPointF(body.left(), y), left)
        p.drawText(QPointF(body.right() - fm.horizontalAdvance(number), y), number)
        p.restore()


CAPTION_H = 40.0


def figure_target(geo: PageGeometry, aspect: float | None = None) -> QRectF:
    """Where a figure is drawn on its page: under the heading, full width, ``aspect`` = height / width if given."""
    f = plain_font(body_family(), 14, bold=True)
    body = geo.body
    top = body.top() + QFontMetricsF(f).height() + 10
    height = body.bottom() - top - CAPTION_H
    if aspect:
        height = min(height, body.width() * aspect)
    return QRectF(body.left(), top, body.width(), height)


def draw_figure_page(p: QPainter, geo: PageGeometry, fig: Figure, number: int, family: str) -> None:
    """Heading, the figure, and its caption right under it."""
    body = geo.body
    p.save()
    f = plain_font(family, 14, bold=True)
    p.setFont(f)
    p.setPen(QColor("#1b2a3a"))
    p.drawText(QPointF(body.left(), body.top() + QFontMetricsF(f).ascent()), f"Figure {number}. {fig.title}")
    target = figure_target(geo, fig.aspect)
    p.setFont(plain_font(family, 8.5))
    p.setPen(QColor(DIM))
    p.drawText(
        QRectF(body.left(), target.bottom() + 8, body.width(), CAPTION_H - 8),
        int(Qt.TextFlag.TextWordWrap),
        fig.caption,
    )
    p.restore()
    p.save()
    p.setClipRect(target.adjusted(-2, -2, 2, 2))
    fig.draw(p, target)
    p.restore()


def write_pdf(
    report: Report,
    out_path: str | os.PathLike[str],
    figures: list[Figure],
    *,
    paper: str = "a4",
    author: str = "",
    generator: str = "Caseboard",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the report to ``out_path`` (atomically: a partial file never replaces it); returns the page count."""
    if paper not in PAPERS:
        raise ExportError(f"unknown paper size {paper!r}; use a4 or letter")
    out = Path(out_path)
    check_output(out)
    say = progress or (lambda _d, _t, _m: None)
    stop = cancelled or (lambda: False)
    geo = PageGeometry.for_paper(paper)
    family = body_family()
    tmp = out.with_name(out.name + ".part")
    writer = new_writer(tmp, paper, report, author=author, generator=generator)

    say(0, 1, "Laying out the text")
    doc = new_document(writer, geo.body.width(), family)
    doc.setHtml(markup.body_html(report))
    page_h = geo.body.height()
    doc.setPageSize(QSizeF(geo.body.width(), page_h))
    full_layout(doc)
    keep_headings_with_next(doc, page_h)
    body_pages = full_layout(doc)
    sections = section_starts(doc, page_h)
    body_painter = BodyPainter(doc, geo.body.width(), page_h)
    title_doc = new_document(writer, geo.body.width(), family)
    title_doc.setHtml(markup.title_html(report, generator=generator))

    first_body = 1 + len(figures)
    total = first_body + body_pages
    decor = PageDecor(geo, report, family)
    painter = QPainter()
    if not painter.begin(writer):
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportError(f'cannot write "{out}": the PDF could not be opened for writing')
    ok = False
    try:
        done = 0

        def next_page(message: str) -> None:
            nonlocal done
            if stop():
                raise ExportCancelled()
            if done:
                writer.newPage()
            done += 1
            say(done, total, message)

        next_page("Title page")
        painter.save()
        painter.translate(geo.body.left(), geo.body.top() + _mm(20))
        title_doc.drawContents(painter, QRectF(0, 0, geo.body.width(), geo.body.height() - _mm(20)))
        painter.restore()
        decor.draw(painter, 1, total, "", header=False)

        for i, fig in enumerate(figures, start=1):
            next_page(f"Drawing the {fig.title.lower()}")
            draw_figure_page(painter, geo, fig, i, family)
            decor.draw(painter, done, total, f"Figure {i}. {fig.title}")

        section = ""
        starts = iter(sections)
        pending = next(starts, None)
        for i in range(body_pages):
            next_page(f"Writing page {first_body + i + 1} of {total}")
            while pending is not None and pending[0] <= i:
                section = pending[1]
                pending = next(starts, None)
            painter.save()
            painter.translate(geo.body.left(), geo.body.top())
            body_painter.draw(painter, i)
            painter.restore()
            decor.draw(painter, done, total, section)
        ok = True
    finally:
        painter.end()
        for obj in (doc, title_doc, writer):  # free them on this thread (it may be a worker about to end)
            Shiboken.delete(obj)
        if ok:
            os.replace(tmp, out)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return total


def bare_print(html: str, out_path: str | os.PathLike[str], paper: str = "a4") -> int:
    """Baseline for the benchmark: the same HTML through QTextDocument.print_ on a plain QPdfWriter."""
    writer = QPdfWriter(str(out_path))
    writer.setPageSize(QPageSize(PAPERS[paper]))
    doc = QTextDocument()
    doc.setDefaultStyleSheet(markup.STYLE)
    doc.setHtml(html)
    doc.print_(writer)
    pages = doc.pageCount()
    return pages
