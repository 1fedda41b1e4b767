"""An imported report stays in the case as the source's original, and citations say where in it, in words."""

from __future__ import annotations

import hashlib
from pathlib import Path

from caseboard.db import sources
from caseboard.db.case import create_case
from caseboard.ingest.accept import accept_all, known_actors, locator, place_in_text
from caseboard.ingest.readers import read_document
from caseboard.ingest.suggest import suggest

WIRE = Path(__file__).resolve().parents[2] / "bench" / "extraction_set" / "texts" / "demo_wire.txt"


def test_import_keeps_the_file_as_the_sources_original(tmp_path: Path) -> None:
    with create_case(tmp_path / "c.case", title="T") as case:
        doc = read_document(WIRE)
        s = suggest(doc.text, published=doc.published, known_actors=known_actors(case))
        accept_all(case, doc, s, reliability="B")
        (sid,) = case.conn.execute("SELECT id FROM sources").fetchone()
        kept = sources.original_of(case, sid)
        assert kept is not None
        assert kept.data == WIRE.read_bytes()
        assert kept.sha256 == hashlib.sha256(WIRE.read_bytes()).hexdigest()
        assert (kept.filename, kept.media_type) == ("demo_wire.txt", "text/plain")


def test_locators_quote_first_and_last_words_with_paragraph(tmp_path: Path) -> None:
    with create_case(tmp_path / "c.case", title="T") as case:
        doc = read_document(WIRE)
        s = suggest(doc.text, published=doc.published, known_actors=known_actors(case))
        accept_all(case, doc, s, reliability="B")
        rows = case.conn.execute(
            "SELECT c.locator FROM citations c JOIN statements s ON s.id = c.subject_id ORDER BY s.source_start"
        ).fetchall()
        assert rows[0][0] == "¶ 4: “We condemn the D.P.R.K. … further Russia’s illegitimate war”"
        every = [loc for (loc,) in case.conn.execute("SELECT locator FROM citations")]
        assert every and not any("char" in loc for loc in every)
        assert all(loc.startswith("¶ ") and "“" in loc for loc in every)


def test_a_name_is_located_by_its_sentence() -> None:
    text = "First paragraph.\n\nThe ship Angara docked at Dunay on the twelfth. Then it left."
    a = text.index("Dunay")
    assert locator([(a, a + 5)], text) == "¶ 2: “The ship Angara docked at Dunay on the twelfth.”"
    assert locator([(a, a + 5), (0, 5)], text).endswith("(and 1 more mention)")


def test_pdf_pages_are_counted(tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QPainter, QPdfWriter

    path = tmp_path / "two.pdf"
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.drawText(100, 200, "Page one words.")
    writer.newPage()
    painter.drawText(100, 200, "The tanker Eagle Wren docked at Porvoo.")
    painter.end()
    doc = read_document(path)
    at = doc.text.index("Eagle Wren")
    assert place_in_text(doc.text, at, doc.page_starts) == "p. 2, ¶ 1"
    assert doc.media_type == "application/pdf" and doc.original == path.read_bytes()
