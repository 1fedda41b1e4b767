"""Sources a reader can find again: web addresses, access dates, and the original file kept in the case."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from caseboard.db import rows, settings, sources
from caseboard.db.case import create_case
from caseboard.db.errors import ValidationError


def test_source_keeps_address_access_date_and_archive(tmp_path: Path) -> None:
    with create_case(tmp_path / "c.case", title="T") as case:
        ch = sources.add_source(
            case,
            title="Port log",
            outlet="Harbour Gazette",
            url="www.example.org/log",
            accessed="14 Oct 2023",
            archive_url="https://web.archive.org/web/2023/https://example.org/log",
        )
        src = sources.get_source(case, ch.row_id)
        assert src.url == "https://www.example.org/log"
        assert str(src.accessed.edtf()) == "2023-10-14"
        assert src.archive_url.startswith("https://web.archive.org/")


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "example dot org", "ftp//x"])
def test_source_address_must_be_a_web_address(tmp_path: Path, bad: str) -> None:
    with create_case(tmp_path / "c.case", title="T") as case:
        with pytest.raises(ValidationError) as err:
            sources.add_source(case, title="X", url=bad)
        assert err.value.field == "url"
        assert case.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def test_original_is_kept_with_its_digest_and_survives_undo_of_the_source(tmp_path: Path) -> None:
    data = b"%PDF-1.4 made-up report bytes\n" * 50
    with create_case(tmp_path / "c.case", title="T") as case:
        added = sources.add_source(case, title="Report")
        attached = sources.attach_original(case, added.row_id, data, "/home/u/report.pdf")
        kept = sources.original_of(case, added.row_id)
        assert kept is not None
        assert (kept.filename, kept.media_type, kept.size) == ("report.pdf", "application/pdf", len(data))
        assert kept.sha256 == hashlib.sha256(data).hexdigest() and kept.data == data
        assert sources.verify_original(kept)
        deleted = sources.delete_source(case, added.row_id)
        rows.revert(case, deleted)
        again = sources.original_of(case, added.row_id)
        assert again is not None and again.data == data
        rows.revert(case, [attached])
        assert sources.original_of(case, added.row_id) is None


def test_same_original_twice_is_stored_once(tmp_path: Path) -> None:
    with create_case(tmp_path / "c.case", title="T") as case:
        a = sources.add_source(case, title="A").row_id
        b = sources.add_source(case, title="B").row_id
        sources.attach_original(case, a, b"same", "a.txt")
        sources.attach_original(case, b, b"same", "b.txt")
        assert case.conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 1
        assert sources.original_of(case, b).filename == "b.txt"


def test_require_source_setting_round_trips(tmp_path: Path) -> None:
    with create_case(tmp_path / "c.case", title="T") as case:
        assert settings.require_source(case) is False
        settings.set_require_source(case, True)
        assert case.get_info("require_source") == "1" and settings.require_source(case)
