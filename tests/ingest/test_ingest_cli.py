"""``caseboard ingest``: output forms and exit codes."""

from __future__ import annotations

import json

from caseboard.cli.ingest import main

STORY = "# source: https://x.example | Wire | 2023-10-13\nThe M/V Angara docked at Dunay on Sept. 12.\n"


def test_human_and_json_output(tmp_path, capsys):
    f = tmp_path / "r.txt"
    f.write_text(STORY, encoding="utf-8")
    assert main([str(f)]) == 0
    out = capsys.readouterr().out
    assert "Angara" in out and "Dunay" in out
    assert main([str(f), "--json", "--published", "2023-10-14"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["published"] == "2023-10-14" and data["events"][0]["date"] == "2023-09-12"


def test_bad_input_exits_2_with_one_line(tmp_path, capsys):
    f = tmp_path / "r.txt"
    f.write_text(STORY, encoding="utf-8")
    bad_pdf = tmp_path / "r.pdf"
    bad_pdf.write_bytes(b"not a pdf at all")
    for argv in ([str(tmp_path / "missing.txt")], [str(f), "--published", "13/10/2023"], [str(bad_pdf)], []):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
