"""Readers: plain text with a source header, Markdown, HTML through a parser, PDF text layer."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from caseboard.ingest.readers import ReaderError, read_document


def test_plain_text_header(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(
        "# source: https://news.example/a | Example Wire | 2023-10-13\nBody text.\n", encoding="utf-8"
    )
    doc = read_document(f)
    assert (doc.url, doc.outlet, doc.published) == (
        "https://news.example/a",
        "Example Wire",
        dt.date(2023, 10, 13),
    )
    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()


def test_markdown_title_and_markup(tmp_path):
    f = tmp_path / "r.md"
    f.write_text(
        "# Ships seen at Najin\n\nThe **M/V Angara** was [seen](https://x.example) there.\n", encoding="utf-8"
    )
    doc = read_document(f)
    assert doc.title == "Ships seen at Najin"
    assert "The M/V Angara was seen there." in doc.text


def test_html_drops_scripts_and_navigation(tmp_path):
    f = tmp_path / "r.html"
    f.write_text(
        "<!doctype html><html><head><title>Page title</title>"
        '<meta property="og:site_name" content="Example Times">'
        '<meta property="article:published_time" content="2023-10-13T09:00:00Z">'
        '<link rel="canonical" href="https://times.example/story"><style>p{color:red}</style></head>'
        "<body><nav>Home | World</nav><header>Subscribe</header><script>var x = 'secret';</script>"
        "<article><h1>Ships</h1><p>The ship left&nbsp;port.</p><p>“It sailed at night,” he said.</p></article>"
        "<aside>Related</aside><footer>© Example</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(f)
    assert (doc.title, doc.outlet, doc.url) == ("Page title", "Example Times", "https://times.example/story")
    assert doc.published == dt.date(2023, 10, 13)
    for junk in ("secret", "Home", "Subscribe", "Related", "color", "©"):
        assert junk not in doc.text
    assert "The ship left port." in doc.text and "“It sailed at night,” he said." in doc.text


def test_pdf_text_layer(tmp_path, qapp):
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    path = tmp_path / "r.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(20, 20, 20, 20)
        )
    )
    painter = QPainter(writer)
    painter.drawText(100, 200, "The tanker Eagle Wren docked at Porvoo.")
    painter.end()
    doc = read_document(path)
    assert "Eagle Wren" in doc.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("missing.txt", None, "no such file"), ("bad.pdf", b"%PDF-1.4 not really", "PDF")],
)
def test_bad_input_is_a_reader_error(tmp_path, name, content, message):
    f = tmp_path / name
    if content is not None:
        f.write_bytes(content)
    with pytest.raises(ReaderError, match=message):
        read_document(f)
