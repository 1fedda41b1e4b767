"""Output files are replaced only by complete, checked files; a failed write keeps the old one and says why."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from caseboard.db import atomic_write
from caseboard.db.atomic_write import OutputWriteError, atomic_output, atomic_output_path


def test_writes_and_replaces(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    out.write_text("old")
    with atomic_output(out, "w", newline="") as f:
        f.write("a,b\r\n1,2\r\n")
    assert out.read_bytes() == b"a,b\r\n1,2\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv"]


def test_keeps_the_mode_of_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "o.bin"
    out.write_bytes(b"old")
    out.chmod(0o640)
    with atomic_output(out) as f:
        f.write(b"new")
    assert out.stat().st_mode & 0o777 == 0o640


def test_error_inside_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "o.bin"
    out.write_bytes(b"old")
    with pytest.raises(KeyError), atomic_output(out) as f:
        f.write(b"half")
        raise KeyError("boom")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["o.bin"]


def test_patched_full_disk_says_disk_full_and_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "o.bin"
    out.write_bytes(b"old content")
    real_write = os.write

    def full_after_1k(fd: int, data) -> int:
        if len(data) > 1024:
            return real_write(fd, bytes(data[:1024]))  # a short write, then nothing more fits
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "write", full_after_1k)
    with pytest.raises(OutputWriteError, match="disk full") as err, atomic_output(out) as f:
        f.write(b"x" * 200_000)
    assert "\n" not in str(err.value) and "the old file is kept" in str(err.value)
    assert out.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["o.bin"]


def test_real_full_disk(tiny_disk) -> None:
    out = tiny_disk.path / "o.bin"
    out.write_bytes(b"old content")
    tiny_disk.fill(leave=8192)
    with pytest.raises(OutputWriteError, match="disk full"), atomic_output(out) as f:
        f.write(os.urandom(1 << 20))
    assert out.read_bytes() == b"old content"
    assert sorted(p.name for p in tiny_disk.path.iterdir()) == [".filler", "o.bin"]


def test_path_variant_for_libraries_that_save_to_a_name(tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    with atomic_output_path(out) as tmp:
        assert tmp.parent == tmp_path and tmp != out
        tmp.write_bytes(b"PK")
    assert out.read_bytes() == b"PK"
    with pytest.raises(OutputWriteError, match="nothing was written"), atomic_output_path(out):
        pass
    assert out.read_bytes() == b"PK"


def test_folder_and_missing_folder_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(OutputWriteError, match="is a folder"), atomic_output(tmp_path):
        pass
    with pytest.raises(OutputWriteError, match="does not exist"), atomic_output(tmp_path / "no" / "o.pdf"):
        pass
