"""Every real report in ../shared/real-reports goes into a case with ``ingest --accept-all``: no crash, and
no quotation the annotators attribute to someone is stored without a speaker.

The texts are read where they lie (they are not part of the project); the test skips only when the shared
folder is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from caseboard.cli import main
from caseboard.db import actors as db_actors
from caseboard.db import statements
from caseboard.db.case import create_case, open_case

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-reports"
if not REAL.is_dir():
    REAL = Path("/work/shared/real-reports")
TEXTS = sorted((REAL / "texts").glob("*.txt")) if REAL.is_dir() else []
#: Reports whose attributions the rules do not read yet (a strict xfail: fixing one makes the test say so).
NOT_YET: set[str] = set()


def _norm(s: str) -> str:
    """Words compared as bench.extraction does: spaces collapsed, a trailing comma before the attribution
    ignored (the annotation keeps it, a stored quote may not)."""
    return re.sub(r"\s+", " ", s).strip().casefold().rstrip(",").rstrip()


@pytest.mark.skipif(not TEXTS, reason="../shared/real-reports is not here")
@pytest.mark.parametrize(
    "report",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="attribution not read yet"))
        if t.stem in NOT_YET
        else t
        for t in TEXTS
    ],
    ids=[t.stem for t in TEXTS],
)
def test_real_report_imports_with_every_speaker(report: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "x.case"
    create_case(path, title="real").close()
    code = main(["ingest", str(report), "--case", str(path), "--accept-all"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Traceback" not in out.err
    truth = json.loads((REAL / "truth" / f"{report.stem}.json").read_text(encoding="utf-8"))
    attributed = {_norm(q["text"]) for q in truth.get("quotes", []) if q.get("speaker")}
    with open_case(path, readonly=True) as case:
        stored = statements.list_statements(case)
        speakers = {a.id: a.name for a in db_actors.list_actors(case)}
    assert all(s.speaker_id in speakers for s in stored if s.speaker_id)
    unattributed = [s.text[:60] for s in stored if _norm(s.text) in attributed and not s.speaker_id]
    assert not unattributed, f"stored without the speaker the text names: {unattributed}"
