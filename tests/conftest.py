"""Shared fixtures: fresh case files in a temporary folder, and the demo case."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Qt must never look for a display in tests; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Tests never write into the user's own settings (recent files, layout) or data folder (the demo copy): Qt and
# platformdirs follow these, and subprocesses started by tests inherit them.
_OWN = tempfile.mkdtemp(prefix="caseboard-tests-home-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_OWN, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_OWN, "data")


@pytest.fixture
def empty_case(tmp_path: Path):
    from caseboard.db.case import create_case

    case = create_case(tmp_path / "empty.case", title="Empty test case")
    yield case
    case.close()


@pytest.fixture
def demo_case(tmp_path: Path):
    from caseboard.db.demo import write_demo

    case = write_demo(tmp_path / "demo.case")
    yield case
    case.close()


class TinyDisk:
    """A small tmpfs mounted for one test, to fill up and watch writes fail with ENOSPC for real."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fill(self, leave: int = 0) -> None:
        """Take all but ``leave`` bytes of the disk with a filler file."""
        filler = self.path / ".filler"
        st = os.statvfs(self.path)
        free = st.f_bavail * st.f_frsize
        with open(filler, "ab") as f:
            try:
                f.write(b"\0" * max(0, free - leave))
            except OSError:
                pass

    def free(self) -> None:
        (self.path / ".filler").unlink(missing_ok=True)

    def read_only(self) -> None:
        """Remount read-only, as a CD or a write-protected stick would be."""
        import subprocess

        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True, capture_output=True)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 4 MB tmpfs (needs root and a system that allows mounting); skipped otherwise — the patched-writer tests
    then cover the same paths."""
    import subprocess

    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode(errors='replace').strip()}")
    try:
        yield TinyDisk(mnt)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
