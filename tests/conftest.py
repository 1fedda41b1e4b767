"""Shared fixtures: fresh case files in a temporary folder, and the demo case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt must never look for a display in tests; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
