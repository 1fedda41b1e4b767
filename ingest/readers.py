"""Read a report from plain text, Markdown, HTML or PDF into one ``Document``.

The source's title, outlet, publication date and URL are prefilled where the document states them, so the
import dialog only asks for what is missing. The SHA-256 of the text lets a case notice a second import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .lexicon import MONTHS

#: The largest report read (bytes of the file, characters of a PDF's text): extraction takes about 5 s a megabyte
#: here, and a report this long is better split into its parts.
MAX_REPORT_BYTES = 8 * 1024 * 1024


class ReaderError(Exception):
    """The file cannot be read as a report; the message is meant for the user."""


class PasswordNeeded(ReaderError):
    """An encrypted PDF that opens only with a password; ask for it and read again with ``password=``."""


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
    #: What the reader had to guess (an encoding), for the user to check.
    warnings: list[str] = field(default_factory=list)

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


def _too_long(name: str, size: int, what: str) -> ReaderError:
    return ReaderError(
        f"{name}: the {what} is {size / 1e6:.1f} MB; Caseboard reads reports up to "
        f"{MAX_REPORT_BYTES / 1e6:.0f} MB (split it into parts)"
    )


def _decrypt(reader: object, path: Path, password: str | None) -> None:
    """Open an encrypted PDF with ``password`` (or the empty one many PDFs use), naming what is missing."""
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        ok = reader.decrypt(password or "")  # type: ignore[attr-defined]
    except DependencyError as exc:
        raise ReaderError(
            f"{path.name}: the PDF is encrypted with AES, which needs the cryptography package "
            "(pip install cryptography)"
        ) from exc
    except (FileNotDecryptedError, PdfReadError, NotImplementedError, ValueError, KeyError) as exc:
        raise ReaderError(
            f"{path.name}: the PDF is encrypted in a way Caseboard cannot open ({exc})"
        ) from exc
    if not ok:
        if password:
            raise PasswordNeeded(f"{path.name}: wrong password for the encrypted PDF")
        raise PasswordNeeded(f"{path.name}: the PDF is encrypted; give its password")


def read_pdf(path: Path, password: str | None = None) -> Document:
    """The PDF's text layer (pypdf); a scanned PDF without one is an error, not an empty report.

    An encrypted PDF is opened with ``password``; without the right one :class:`PasswordNeeded` is raised so
    the window can ask for it (the command line takes ``--password``).
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError, PyPdfError
    except ImportError as exc:
        raise ReaderError("reading PDF needs the pypdf package (pip install pypdf)") from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            _decrypt(reader, path, password)
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            pages.append((page.extract_text() or "").replace("\x00", "").strip())
            total += len(pages[-1])
            if total > MAX_REPORT_BYTES:
                raise _too_long(path.name, total, "PDF's text")
        info = reader.metadata
        title = (info.title if info and info.title else None) or None
    except ReaderError:
        raise
    except (PdfReadError, PyPdfError, ValueError, OSError, KeyError, TypeError, AttributeError) as exc:
        raise ReaderError(f"{path.name}: not a readable PDF ({exc})") from exc
    except RecursionError as exc:
        raise ReaderError(f"{path.name}: not a readable PDF (its objects nest too deeply)") from exc
    kept = [re.sub(r"[ \t]+", " ", p) for p in pages]
    text = "\n\n".join(p for p in kept if p)
    starts, at = [], 0
    for p in kept:
        starts.append(at)
        at += len(p) + 2 if p else 0
    if not text.strip():
        raise ReaderError(f"{path.name}: the PDF has no text layer (scanned pages need OCR first)")
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


#: Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text of a report file and any warning: by its byte-order mark, else UTF-8, else Windows-1252.

    Refuses binary files (NUL bytes, many control characters) and files with no text, rather than suggesting
    quotes made of noise.
    """
    warnings: list[str] = []
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                raw = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ReaderError(
                    f"{name}: starts with a {label} byte-order mark but is not {label} text"
                ) from exc
            break
    else:
        codec16 = _utf16_without_bom(data)
        if codec16:
            raw = data.decode(codec16, errors="replace")
            warnings.append(f"{name}: no byte-order mark; read as UTF-16")
        else:
            try:
                raw = data.decode("utf-8")
            except UnicodeDecodeError:
                raw = data.decode("cp1252", errors="replace")
                warnings.append(f"{name}: not UTF-8; read as Windows-1252 (check accented letters)")
    if not raw.strip("\x00 \t\r\n\ufeff"):
        raise ReaderError(f"{name}: the file has no text")
    sample = raw[:65536]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    if "\x00" in raw or controls > max(8, len(sample) // 100):
        raise ReaderError(f"{name}: looks like a binary file, not a text report")
    return raw, warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a mark: NUL bytes on one side of most pairs (Latin text)."""
    head = data[:4096]
    if len(head) < 4 or not head.count(0):
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd > 0.4 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.4 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def read_document(path: str | Path, password: str | None = None) -> Document:
    """Read any supported file, keeping its bytes so the case can hold the original next to the text.

    ``password`` opens an encrypted PDF. Files over ``MAX_REPORT_BYTES`` are refused with a message.
    """
    doc = _read_document(Path(path), password)
    path = Path(path)
    doc.original = path.read_bytes()
    doc.filename = path.name
    doc.media_type = _MEDIA_TYPES.get(path.suffix.lower(), "text/plain")
    return doc


def _read_document(path: Path, password: str | None = None) -> Document:
    """Read any supported file, choosing the reader by extension (or by content when that says more)."""
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read ({exc.strerror})") from exc
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        if size > 20 * MAX_REPORT_BYTES:
            raise _too_long(path.name, size, "PDF")
        return read_pdf(path, password)
    if size > MAX_REPORT_BYTES:
        raise _too_long(path.name, size, "file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read ({exc.strerror})") from exc
    raw, warnings = decode_text(data, path.name)
    if suffix in (".html", ".htm", ".xhtml") or re.match(r"\s*(?:<!doctype html|<html)", raw[:200], re.I):
        doc = read_html(raw)
    elif suffix in (".md", ".markdown"):
        doc = read_markdown(raw)
    else:
        doc = read_text(raw)
    doc.warnings.extend(warnings)
    return doc
