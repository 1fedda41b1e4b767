"""Writing the case summary PDF with Qt's own writer (QPdfWriter + QTextDocument + QPainter; no browser).

Pages: a title page, one page per figure (vector drawings), then the body — one QTextDocument laid out at the
writer's resolution and paginated here, page by page, so each page gets the running header (case title, section)
and footer (provenance, "Page n of N"). Text stays real text with subset-embedded TrueType fonts.

Painting only needs the QPdfWriter and the figures' draw functions, so it can run on a worker thread when the
figures were recorded in the GUI thread (see ``figures.recorded``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
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
    QTextBlock,
    QTextBlockFormat,
    QTextDocument,
    QTextLayout,
    QTextOption,
)
from shiboken6 import Shiboken

from caseboard.db.atomic_write import atomic_output
from caseboard.db.report import ExportError, Report
from caseboard.gui.report import markup, outline
from caseboard.gui.report.figures import Figure

#: Layout resolution: 1 px = 1/96 inch, so CSS px in the style sheet mean what they do on screen.
DPI = 96
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_X_MM = 18.0
HEADER_MM = 20.0  # top of the body from the page top
FOOTER_MM = 18.0  # bottom of the body from the page bottom
BODY_PT = 9.0
INK = "#263238"
DIM = "#6b7785"
#: Families tried in order for the body text (condensed first: more words a line, still plain at 9 pt);
#: DejaVu Sans covers Latin, Greek, Cyrillic, Arabic and Hebrew.
FAMILIES = ("DejaVu Sans Condensed", "DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")

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


def new_writer(
    device: QIODevice | Path, paper: str, report: Report, *, author: str, generator: str
) -> QPdfWriter:
    """A QPdfWriter set up for ``paper`` with the report's metadata (title, author, subject, creator, date)."""
    writer = QPdfWriter(device if isinstance(device, QIODevice) else str(device))
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
    opt.setTabStopDistance(markup.DATE_COL)  # the left column of compact rows
    doc.setDefaultTextOption(opt)
    doc.setTextWidth(width)
    return doc


def label_fits(doc: QTextDocument) -> markup.Fits:
    """Whether a (bold) date or label fits the left column of compact rows, by the document's own font metrics."""
    f = QFont(doc.defaultFont())
    f.setBold(True)
    fm = QFontMetricsF(f, doc.documentLayout().paintDevice())
    room = markup.DATE_COL - 6
    known: dict[str, bool] = {}  # dates repeat a lot in a chronology: measure each once

    def fits(label: str) -> bool:
        ok = known.get(label)
        if ok is None:
            ok = known[label] = fm.horizontalAdvance(label) <= room
        return ok

    return fits


def full_layout(doc: QTextDocument) -> float:
    """Lay the whole document out now (Qt lays large documents out lazily) and return its height."""
    doc.documentLayout().blockBoundingRect(doc.lastBlock())
    return doc.size().height()


@dataclass
class BodyPage:
    """One page of body: the document strip [top, bottom) and the blocks drawn in it, in reading order."""

    top: float
    bottom: float
    blocks: list[QTextBlock]
    section: str


#: A block with at least this many lines may be split across pages (at a line boundary); a shorter one moves whole.
SPLIT_LINES = 4


def _lines_fitting(lay: QTextLayout, base: float, limit: float, k: int) -> int:
    """The index of the first line from ``k`` on whose bottom passes ``limit`` (``lineCount()`` if none does)."""
    n = lay.lineCount()
    while k < n:
        line = lay.lineAt(k)
        if base + line.y() + line.height() > limit:
            break
        k += 1
    return k


def paginate(doc: QTextDocument, page_h: float) -> list[BodyPage]:
    """Cut the laid-out document into pages in one pass over its blocks (no re-layout, no per-page rescans).

    A block that does not fit moves to the next page, unless it is long (then it is split between lines); a
    heading that would end a page moves with the block after it; ``page-break-before: always`` on a heading starts
    a page.
    Each page records the level-2 heading in force at its top (for the running header).
    """
    layout = doc.documentLayout()
    pages: list[BodyPage] = []
    blocks: list[QTextBlock] = []
    headings: list[bool] = []  # per block on the current page: does it stay with the next block
    top = 0.0
    section = ""  # the section in force at the top of the current page
    page_section = ""

    def close(bottom: float) -> None:
        nonlocal blocks, headings
        pages.append(BodyPage(top, bottom, blocks, page_section))
        blocks, headings = [], []

    def first_line_top(block: QTextBlock, rect: QRectF) -> float:
        lay = block.layout()
        return lay.position().y() + lay.lineAt(0).y() if lay.lineCount() else rect.top()

    prev_level = 0
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        fmt = block.blockFormat()
        level = fmt.headingLevel()
        if level and blocks and fmt.pageBreakPolicy() & QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore:
            close(rect.top())
        if not blocks:
            top = first_line_top(block, rect)
            page_section = section
        if rect.bottom() - top > page_h:
            lay = block.layout()
            n = lay.lineCount()
            base = lay.position().y()
            k = _lines_fitting(lay, base, page_h + top, 0)
            if blocks and (n < SPLIT_LINES or k < 2):
                # move the block whole, with any headings that would be left at the foot of the page
                moved: list[QTextBlock] = []
                while blocks and headings[-1] and len(blocks) > 1:
                    moved.insert(0, blocks.pop())
                    headings.pop()
                close(layout.blockBoundingRect(moved[0]).top() if moved else rect.top())
                top = first_line_top(moved[0], QRectF()) if moved else first_line_top(block, rect)
                page_section = section
                for m in moved:
                    blocks.append(m)
                    headings.append(True)
                k = _lines_fitting(lay, base, page_h + top, 0)
            while k < n:  # a long block: split it between lines, as often as it takes
                k = max(k, 1)
                blocks.append(block)
                headings.append(False)
                cut = base + lay.lineAt(k).y()
                close(cut)
                top = cut
                page_section = section
                k = _lines_fitting(lay, base, page_h + top, k)
        if level == 2:
            section = block.text()
            if not blocks or rect.top() - top < 60:
                page_section = section
        blocks.append(block)
        # a heading, or the paragraph right under a section heading, stays with what follows
        headings.append(bool(level) or prev_level == 2)
        prev_level = level
        block = block.next()
    if blocks:
        close(top + page_h)
    return pages or [BodyPage(0.0, page_h, [], "")]


def draw_body_page(p: QPainter, page: BodyPage, width: float) -> None:
    """Draw one body page's blocks, each once, with the painter's origin at the top left of the body box.

    The clip keeps the lines of a block split across pages on their own page (QTextLayout draws a line when it
    touches the clip, hence the half pixel).
    """
    origin = QPointF(0, -page.top)
    clip = QRectF(0, 0.5, width, page.bottom - page.top - 1.0)
    for block in page.blocks:
        block.layout().draw(p, origin, [], clip)


class PageDecor:
    """Running header and footer; fonts, metrics and elided texts are worked out once, not per page."""

    def __init__(self, geo: PageGeometry, report: Report, family: str) -> None:
        self.geo = geo
        self.report = report
        self.font = QFont(family)
        self.font.setPointSizeF(7.5)
        self.fm = QFontMetricsF(self.font)
        made = report.made_at.strftime("%-d %b %Y %H:%M")
        self.footer_left = f"Case summary \u00b7 made {made} from {report.case_file}"
        self._titles: dict[str, tuple[str, float]] = {}  # section -> (elided title, section x)
        self._footer: tuple[int, str] | None = None

    def _header(self, section: str) -> tuple[str, float]:
        if section not in self._titles:
            body = self.geo.body
            right_w = self.fm.horizontalAdvance(section) + 12 if section else 0
            title = self.fm.elidedText(self.report.title, Qt.TextElideMode.ElideRight, body.width() - right_w)
            self._titles[section] = (title, body.right() - self.fm.horizontalAdvance(section))
        return self._titles[section]

    def _footer_text(self, pages: int) -> str:
        if self._footer is None or self._footer[0] != pages:
            widest = self.fm.horizontalAdvance(f"Page {pages} of {pages}")
            left = self.fm.elidedText(
                self.footer_left, Qt.TextElideMode.ElideMiddle, self.geo.body.width() - widest - 16
            )
            self._footer = (pages, left)
        return self._footer[1]

    def draw(self, p: QPainter, page_no: int, pages: int, section: str, *, header: bool = True) -> None:
        body, page = self.geo.body, self.geo.page
        p.save()
        p.setFont(self.font)
        p.setPen(QColor(DIM))
        if header:
            y = body.top() - _mm(6)
            title, section_x = self._header(section)
            p.drawText(QPointF(body.left(), y), title)
            if section:
                p.drawText(QPointF(section_x, y), section)
            p.setPen(QPen(QColor("#c5ccd3"), 0.6))
            p.drawLine(QPointF(body.left(), y + 4), QPointF(body.right(), y + 4))
            p.setPen(QColor(DIM))
        y = page.bottom() - _mm(FOOTER_MM) + _mm(9)
        number = f"Page {page_no} of {pages}"
        p.drawText(QPointF(body.left(), y), self._footer_text(pages))
        p.drawText(QPointF(body.right() - self.fm.horizontalAdvance(number), y), number)
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
    """Write the report to ``out_path`` (atomically: a partial file never replaces it); returns the page count.

    Qt's writer does not report failed writes, so it writes into memory; the bytes then go to disk through
    ``atomic_output``, which checks every write, the flush and the size before the rename ("disk full" otherwise).
    """
    if paper not in PAPERS:
        raise ExportError(f"unknown paper size {paper!r}; use a4 or letter")
    out = Path(out_path)
    check_output(out)
    say = progress or (lambda _d, _t, _m: None)
    stop = cancelled or (lambda: False)
    geo = PageGeometry.for_paper(paper)
    family = body_family()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = new_writer(buffer, paper, report, author=author, generator=generator)

    say(0, 1, "Laying out the text")
    doc = new_document(writer, geo.body.width(), family)
    doc.setHtml(markup.body_html(report, label_fits(doc)))
    page_h = geo.body.height()
    full_layout(doc)  # one layout, on an endless page; paginate() cuts it
    if stop():
        Shiboken.delete(doc)
        Shiboken.delete(writer)
        raise ExportCancelled()
    body = paginate(doc, page_h)
    body_pages = len(body)
    title_doc = new_document(writer, geo.body.width(), family)
    title_doc.setHtml(markup.title_html(report, generator=generator))

    first_body = 1 + len(figures)
    total = first_body + body_pages
    bookmarks = [
        outline.OutlineEntry("Title page", 0, 0.0),
        *(outline.OutlineEntry(f"Figure {i}. {f.title}", i, 0.0) for i, f in enumerate(figures, start=1)),
        *outline.collect(body, first_body, geo.body),
    ]
    decor = PageDecor(geo, report, family)
    painter = QPainter()
    if not painter.begin(writer):
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

        for i, page in enumerate(body):
            next_page(f"Writing page {first_body + i + 1} of {total}")
            painter.save()
            painter.translate(geo.body.left(), geo.body.top())
            draw_body_page(painter, page, geo.body.width())
            painter.restore()
            decor.draw(painter, done, total, page.section)
        ok = True
    finally:
        ended = painter.end()
        for obj in (doc, title_doc, writer):  # free them on this thread (it may be a worker about to end)
            Shiboken.delete(obj)
    if ok and not ended:
        raise ExportError(f'cannot write "{out}": the PDF writer failed to finish the file')
    data = buffer.data()
    buffer.close()
    say(total, total, "Adding links and the outline")
    linked = outline.apply(data.data(), bookmarks, geo.page.height())
    with atomic_output(out) as f:
        f.write(linked)
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
