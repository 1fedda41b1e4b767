"""``caseboard health``: the demo case is fully sourced; a generated case's report lists and truncates."""

from __future__ import annotations

import json
import re
from pathlib import Path

from caseboard.cli import main
from caseboard.db import health
from caseboard.db.generate import generate_case


def test_health_json_on_demo_reports_no_unsourced_fact(tmp_path: Path, capsys) -> None:
    path = tmp_path / "demo.case"
    assert main(["demo", str(path)]) == 0
    capsys.readouterr()
    assert main(["health", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["facts"]["unsourced"] == 0 and out["facts"]["total"] == out["facts"]["sourced"] > 40
    checks = {c["key"]: c for c in out["checks"]}
    assert checks["unsourced"]["count"] == 0 and checks["unsourced"]["items"] == []
    assert set(checks) == set(health.CHECKS)


def test_health_text_lists_and_truncates(tmp_path: Path, capsys) -> None:
    generated = tmp_path / "gen.case"
    generate_case(generated, seed=3, events=500, statements=100, actors=60, places=40, shipments=20)
    assert main(["health", str(generated), "--limit", "3"]) == 0
    text = capsys.readouterr().out
    first = text.splitlines()[0]
    assert re.fullmatch(r"[\d,]+ of [\d,]+ facts sourced", first)
    assert "Facts with no citation:" in text and "more (--all lists them)" in text
