"""Read a report from plain text, Markdown, HTML or PDF into one ``Document``.

The source's title, outlet, publication date and URL are prefilled where the document states them, so the
import dialog only asks for what is missing. The SHA-256 of the text lets a case notice a second import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .lexicon import MONTHS


class ReaderError(Exception):
    """The file cannot be read as a report; the message is meant for the user."""


@dataclass
class Document:
    """A report's text and what the document says about its source."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    sha256: str = ""
    #: The file as read (kept in the case as the source's original), its name and media type.
    original: bytes | None = None
    filename: str = ""
    media_type: str = ""
    #: Where each page starts in ``text`` (PDF only), so a citation can say "p. 3".
    page_starts: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()


HEADER_RE = re.compile(r"^#\s*source:\s*(?P<body>[^\n]*)", re.I)


def parse_published(value: str | None) -> dt.date | None:
    """A date from metadata: ISO 8601 (with or without time) or "Oct. 13, 2023" / "13 October 2023"."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", value)
        if m and m.group(1).lower() in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        m = re.match(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$", value)
        if m and m.group(2).lower() in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None
    return None


def source_header(text: str) -> tuple[tuple[int, int], str | None, str | None, dt.date | None]:
    """The ``# source: URL | outlet | date`` first line: its span, url, outlet and date (all optional)."""
    m = HEADER_RE.match(text)
    if not m:
        return (0, 0), None, None, None
    parts = [p.strip() for p in m.group("body").split("|")]
    url = outlet = None
    published = None
    for p in parts:
        if re.match(r"https?://", p):
            url = p
        elif parse_published(p):
            published = parse_published(p)
        elif p:
            outlet = outlet or p
    return (m.start(), m.end()), url, outlet, published


def read_text(raw: str) -> Document:
    """Plain text, with the optional source header."""
    _, url, outlet, published = source_header(raw)
    return Document(text=raw, url=url, outlet=outlet, published=published)


def read_markdown(raw: str) -> Document:
    """Markdown: the first heading is the title; emphasis and link syntax are dropped from the text."""
    span, url, outlet, published = source_header(raw)
    body = raw[span[1] :]
    title = None
    h = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, re.M)
    if h:
        title = h.group(1).strip()
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", body)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^#{1,6}\s+(.+?)\s*#*\s*$", r"\1", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)
    text = re.sub(r"^\s*[-*+]\s+", "", text, flags=re.M)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return Document(
        text=raw[: span[1]] + text if span[1] else text.lstrip("\n"),
        title=title,
        outlet=outlet,
        published=published,
        url=url,
    )


class _HTMLText(HTMLParser):
    SKIP = {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "noscript",
        "template",
        "form",
        "svg",
        "button",
        "iframe",
        "select",
        "figure",
    }
    BLOCK = {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "br",
        "tr",
        "blockquote",
        "article",
        "section",
        "main",
        "ul",
        "ol",
        "table",
        "pre",
        "dd",
        "dt",
        "hr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = a.get("href")
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            return  # a self-closed <svg/> opens nothing
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def read_html(raw: str) -> Document:
    """HTML through a real parser; scripts, styles and page furniture (nav, header, footer, aside) dropped."""
    p = _HTMLText()
    p.feed(raw)
    p.close()
    text = "".join(p.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"[ \t]{2,}", " ", text)
    meta = p.meta
    title = meta.get("og:title") or p.title.strip() or None
    published = None
    for key in ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "publish-date"):
        published = parse_published(meta.get(key))
        if published:
            break
    return Document(
        text=text,
        title=title,
        outlet=meta.get("og:site_name") or None,
        published=published,
        url=p.canonical or meta.get("og:url") or None,
    )


def read_pdf(path: Path) -> Document:
    """The PDF's text layer (pypdf); a scanned PDF without one is an error, not an empty report."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise ReaderError("reading PDF needs the pypdf package (pip install pypdf)") from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several kinds here
                raise ReaderError(f"{path.name}: the PDF is encrypted") from exc
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info = reader.metadata
    except ReaderError:
        raise
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise ReaderError(f"{path.name}: not a readable PDF ({exc})") from exc
    kept = [re.sub(r"[ \t]+", " ", p) for p in pages]
    text = "\n\n".join(p for p in kept if p)
    starts, at = [], 0
    for p in kept:
        starts.append(at)
        at += len(p) + 2 if p else 0
    if not text.strip():
        raise ReaderError(f"{path.name}: the PDF has no text layer (scanned pages need OCR first)")
    title = (info.title if info and info.title else None) or None
    doc = read_text(text)
    # the file's creation date is not the report's publication date: leave that to a header or the user
    return Document(
        text=text,
        title=title,
        outlet=doc.outlet,
        published=doc.published,
        url=doc.url,
        page_starts=tuple(starts),
    )


_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}


def read_document(path: str | Path) -> Document:
    """Read any supported file, keeping its bytes so the case can hold the original next to the text."""
    doc = _read_document(Path(path))
    path = Path(path)
    doc.original = path.read_bytes()
    doc.filename = path.name
    doc.media_type = _MEDIA_TYPES.get(path.suffix.lower(), "text/plain")
    return doc


def _read_document(path: Path) -> Document:
    """Read any supported file, choosing the reader by extension (or by content when that says more)."""
    path = Path(path)
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        head = path.open("rb").read(1024)
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read ({exc.strerror})") from exc
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return read_pdf(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raw = path.read_text(encoding="cp1252", errors="replace")
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read ({exc.strerror})") from exc
    if suffix in (".html", ".htm", ".xhtml") or re.match(r"\s*(?:<!doctype html|<html)", raw[:200], re.I):
        return read_html(raw)
    if suffix in (".md", ".markdown"):
        return read_markdown(raw)
    return read_text(raw)
