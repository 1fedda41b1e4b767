"""packaging/bundle_trim.py: which Qt plugins and libraries the spec leaves out of the bundle (no build needed)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import bundle_trim  # noqa: E402


def a_shared_object() -> Path:
    import _sqlite3

    return Path(_sqlite3.__file__)


def test_elf_needed_agrees_with_readelf() -> None:
    path = a_shared_object()
    needed = bundle_trim.elf_needed(str(path))
    assert needed is not None
    assert any(name.startswith("libsqlite3.so") for name in needed), needed
    if shutil.which("readelf") is None:
        pytest.skip("readelf is not installed")
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    assert needed == re.findall(r"\(NEEDED\).*\[(.+?)\]", out)


def test_elf_needed_of_other_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a library")
    assert bundle_trim.elf_needed(str(text)) == []
    broken = tmp_path / "broken.so"
    broken.write_bytes(b"\x7fELF" + b"\0" * 10)
    assert bundle_trim.elf_needed(str(broken)) is None
    assert bundle_trim.elf_needed(str(tmp_path / "missing.so")) is None


GRAPH = {
    # destination: what it links to
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so": ["libgtk-3.so.0", "libshared.so.1", "libQt6Gui.so.6"],
    "libgtk-3.so.0": ["libpango.so.1"],
    "libpango.so.1": ["libshared.so.1"],
    "libshared.so.1": [],
    "PySide6/Qt/plugins/platforms/libqxcb.so": ["libshared.so.1", "libQt6Gui.so.6"],
    "PySide6/Qt/lib/libQt6Gui.so.6": [],
    "libdlopened.so.3": [],  # nothing links to it: loaded with dlopen, so it must stay
}


def test_plan_drops_plugins_and_only_their_own_libraries(monkeypatch) -> None:
    monkeypatch.setattr(bundle_trim, "elf_needed", lambda src: GRAPH[src])
    entries = [(dest, dest) for dest in GRAPH]
    assert bundle_trim.plan(entries) == {
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libgtk-3.so.0",
        "libpango.so.1",
    }


def test_plan_keeps_libraries_when_a_file_cannot_be_read(monkeypatch) -> None:
    monkeypatch.setattr(
        bundle_trim, "elf_needed", lambda src: None if src == "libshared.so.1" else GRAPH[src]
    )
    entries = [(dest, dest) for dest in GRAPH]
    assert bundle_trim.plan(entries) == {"PySide6/Qt/plugins/platformthemes/libqgtk3.so"}


def test_trim_returns_a_filtered_toc(monkeypatch) -> None:
    monkeypatch.setattr(bundle_trim, "elf_needed", lambda src: GRAPH[src])
    toc = [(dest, dest, "BINARY") for dest in GRAPH]
    kept, removed = bundle_trim.trim(toc)
    assert [d for d, _, _ in kept] == [
        "libshared.so.1",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libdlopened.so.3",
    ]
    assert removed == sorted(set(GRAPH) - {d for d, _, _ in kept})
    assert bundle_trim.trim(toc, unused=()) == (toc, [])
