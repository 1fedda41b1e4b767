"""Hostile and odd report files: encrypted PDFs, byte-order marks, binary files, NUL text, oversized reports."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from caseboard.cli import main
from caseboard.ingest import readers
from caseboard.ingest.readers import PasswordNeeded, ReaderError, read_document

TEXT = "“The ship left Najin on 7 September 2023,” John Kirby said. Café owners in Rason saw it.\n"


def _pdf(path: Path, text: str, *, password: str | None = None, algorithm: str = "AES-256") -> Path:
    """A one-page PDF with ``text`` drawn by Qt, optionally encrypted by pypdf."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter, QPdfWriter
    from PySide6.QtWidgets import QApplication

    _ = QApplication.instance() or QApplication([])
    plain = path.with_suffix(".plain.pdf")
    writer = QPdfWriter(str(plain))
    p = QPainter(writer)
    p.drawText(QRectF(0, 0, 4000, 2000), 0x1000, text)  # Qt.TextWordWrap
    p.end()
    del writer
    if password is None:
        plain.rename(path)
        return path
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(plain))
    w.encrypt(user_password=password, owner_password=password + "-owner", algorithm=algorithm)
    with path.open("wb") as f:
        w.write(f)
    return path


def test_aes_encrypted_pdf_asks_for_the_password_and_opens_with_it(tmp_path: Path, capsys) -> None:
    pdf = _pdf(tmp_path / "locked.pdf", "The ship left Najin.", password="s3cret")
    with pytest.raises(PasswordNeeded, match="encrypted; give its password"):
        read_document(pdf)
    with pytest.raises(PasswordNeeded, match="wrong password"):
        read_document(pdf, "nope")
    assert "Najin" in read_document(pdf, "s3cret").text
    assert main(["ingest", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--password" in err and "Traceback" not in err
    assert main(["ingest", str(pdf), "--password", "s3cret", "--json"]) == 0
    assert "Najin" in capsys.readouterr().out


def test_aes_pdf_without_cryptography_names_the_missing_package(tmp_path: Path, monkeypatch) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    pdf = _pdf(tmp_path / "locked.pdf", "The ship left Najin.", password="")

    def no_aes(self, password):  # what pypdf raises when cryptography is not installed
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    with pytest.raises(ReaderError, match="needs the cryptography package"):
        read_document(pdf)


def test_empty_password_pdf_opens_without_asking(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "open.pdf", "The ship left Najin.", password="")
    assert "Najin" in read_document(pdf).text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_marks_choose_the_encoding(tmp_path: Path, bom: bytes, codec: str) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(bom + TEXT.encode(codec))
    doc = read_document(f)
    assert doc.text == TEXT and not doc.warnings


def test_utf16_without_a_mark_is_read_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(TEXT.encode("utf-16-le"))
    doc = read_document(f)
    assert doc.text == TEXT and "UTF-16" in doc.warnings[0]


def test_latin1_text_is_read_with_a_warning(tmp_path: Path, capsys) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(TEXT.replace("“", '"').replace("”", '"').encode("latin-1"))
    doc = read_document(f)
    assert "Café" in doc.text and "Windows-1252" in doc.warnings[0]
    assert main(["ingest", str(f)]) == 0
    assert "warning: r.txt: not UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["noise.txt", "noise.md", "noise.html"])
def test_random_bytes_are_refused_not_read_as_quotes(tmp_path: Path, name: str, capsys) -> None:
    f = tmp_path / name
    f.write_bytes(os.urandom(20_000))
    with pytest.raises(ReaderError, match="binary file"):
        read_document(f)
    assert main(["ingest", str(f)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_all_nul_text_is_one_line(tmp_path: Path, capsys) -> None:
    f = tmp_path / "nul.txt"
    f.write_bytes(b"\0" * 5000)
    with pytest.raises(ReaderError, match="no text"):
        read_document(f)
    case = tmp_path / "c.case"
    assert main(["new", str(case), "--title", "T"]) == 0
    assert main(["ingest", str(f), "--case", str(case), "--accept-all"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no text" in err


def test_a_report_over_the_size_limit_is_refused_with_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(readers, "MAX_REPORT_BYTES", 10_000)
    f = tmp_path / "big.txt"
    f.write_text(TEXT * 200, encoding="utf-8")
    with pytest.raises(ReaderError, match=r"reads reports up to .* MB \(split it into parts\)"):
        read_document(f)


def test_garbage_named_pdf_is_one_line(tmp_path: Path, capsys) -> None:
    f = tmp_path / "bad.pdf"
    f.write_bytes(b"%PDF-1.7\n" + os.urandom(5000))
    assert main(["ingest", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
