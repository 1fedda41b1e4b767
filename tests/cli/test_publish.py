"""``caseboard publish``: Datasette serves the published demo read-only, canned queries included."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from caseboard.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, proc: subprocess.Popen, patience: float = 60.0) -> object:
    """Fetch JSON, waiting for the server to come up (start-up time is not what is tested)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return json.load(r)
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_datasette_serves_the_published_demo(tmp_path: Path, capsys) -> None:
    pytest.importorskip("datasette")
    case, out = tmp_path / "demo.case", tmp_path / "portal"
    assert main(["demo", str(case)]) == 0
    assert main(["publish", str(case), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "datasette serve -i" in printed
    meta = json.loads((out / "metadata.json").read_text())
    (name,) = meta["databases"]
    db = out / f"{name}.db"
    assert set(meta["databases"][name]["queries"]) == {
        "chronology",
        "statements_by_speaker",
        "sources_with_grades",
        "shipments_with_legs",
    }
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM case_info WHERE key = 'case_id'").fetchone()[0] == 0

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", str(db), "--metadata", str(out / "metadata.json"),
         "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/{name}"
        rows = _get(f"{base}/chronology.json?_shape=array", proc)
        assert isinstance(rows, list) and len(rows) == 9 + 7  # every dated event and statement of the demo
        days = [r["first_day"] for r in rows]
        assert days == sorted(days) and days[0].startswith("2023-09")
        staged = next(r for r in rows if r["item"] == "About 300 containers staged at Najin")
        assert staged["date"] == "2023-09-07/2023-09-08" and staged["place"] == "Najin"
        kirby = _get(f"{base}/statements_by_speaker.json?_shape=array&speaker=Kirby", proc)
        assert kirby and {r["speaker"] for r in kirby} == {"John F. Kirby"}
        legs = _get(f"{base}/shipments_with_legs.json?_shape=array", proc)
        assert any(r["from"] == "Najin" and r["to"] == "Dunay" and r["mode"] == "sea" for r in legs)
        found = _get(f"{base}/statements.json?_search=decisive&_shape=array", proc)
        assert [r["text"] for r in found] == ["I doubt that it would be decisive."]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
