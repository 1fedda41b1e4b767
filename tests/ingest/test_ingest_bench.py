"""The evaluator runs on the shipped set and prints one row per kind (scores are not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "bench" / "extraction_set"


def test_evaluator_prints_table():
    done = subprocess.run(
        [sys.executable, "-m", "bench.extraction", str(SET / "texts"), str(SET / "truth")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert {"quotes", "actors", "places", "dates"} <= rows
    assert "F1" in done.stdout
