"""``python -m bench --quick`` keeps working: it prints the table with every figure (times are not checked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FIGURES = (
    "generate the large case",
    "peak memory",
    "start-up to first window",
    "open the case to all panels drawn",
    "timeline frame p95, full extent",
    "timeline frame p95, zoomed to one day",
    "map frame",
    "full-text search p95",
    "select an actor",
    "PDF export",
    "link table XLSX export",
    "FtM export",
    "FtM import",
    "link chart: neighbourhood of an actor",
    "link chart: layout of",
    "link chart frame p95",
)


def test_quick_bench_prints_every_figure(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    header = [i for i, line in enumerate(lines) if line.startswith("| figure")]
    assert header, done.stdout
    table = lines[header[0] :]
    assert all(h in table[0] for h in ("measured", "target", "floor", "ratio"))
    rows = [line for line in table[2:] if line.startswith("|")]
    for figure in FIGURES:
        matching = [r for r in rows if figure in r]
        assert matching, f"no row for {figure!r} in:\n{done.stdout}"
        for r in matching:
            assert "error (" not in r, r
