"""A full disk during `export` ends with one line, keeps the good PDF that was there, and leaves no stray files."""

from __future__ import annotations

import errno
from pathlib import Path

from pypdf import PdfReader

from caseboard.cli import main
from caseboard.db import atomic_write
from caseboard.db.demo import write_demo


def _demo(path: Path) -> Path:
    write_demo(path).close()
    return path


def test_export_on_a_full_disk_keeps_the_old_pdf(tiny_disk, tmp_path: Path, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    out = tiny_disk.path / "o.pdf"
    assert main(["export", str(case), "-o", str(out)]) == 0
    good = out.read_bytes()
    tiny_disk.fill(leave=16 * 1024)
    capsys.readouterr()
    assert main(["export", str(case), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "disk full" in err and "Traceback" not in err
    assert out.read_bytes() == good
    assert len(PdfReader(out).pages) > 3
    assert sorted(p.name for p in tiny_disk.path.iterdir()) == [".filler", "o.pdf"]


def test_export_with_a_failing_writer_keeps_the_old_pdf(tmp_path: Path, monkeypatch, capsys) -> None:
    case = _demo(tmp_path / "demo.case")
    out = tmp_path / "o.pdf"
    assert main(["export", str(case), "-o", str(out)]) == 0
    good = out.read_bytes()

    def full(fd: int, data) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "write", full)
    capsys.readouterr()
    assert main(["export", str(case), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("caseboard: ") and err.count("\n") == 1 and "disk full" in err
    assert out.read_bytes() == good
    assert not [p.name for p in tmp_path.iterdir() if ".part" in p.name]
