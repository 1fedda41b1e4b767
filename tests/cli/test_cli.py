"""The command line, run as a user would: exit codes, output, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from caseboard.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseboard.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_demo_info_search(tmp_path: Path) -> None:
    path = tmp_path / "demo.case"
    assert run("demo", str(path)).returncode == 0
    info = run("info", str(path), "--json")
    assert info.returncode == 0
    data = json.loads(info.stdout)
    assert (
        data["counts"]["actors"] == 18 and data["counts"]["events"] == 9 and data["counts"]["shipments"] == 4
    )
    assert data["first_day"] == "2023-09-01" and data["schema_version"] >= 1
    found = run("search", str(path), "decisive")
    assert found.returncode == 0
    assert "I doubt that it would be decisive." in found.stdout
    assert "Mark A. Milley" in found.stdout and "S3" in found.stdout


def test_new_and_info_text(tmp_path: Path, capsys) -> None:
    path = tmp_path / "n.case"
    assert main(["new", str(path), "--title", "Tanker watch"]) == 0
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Tanker watch" in out and "no dated items" in out


def test_search_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "d.case"
    main(["demo", str(path)])
    capsys.readouterr()
    assert main(["search", str(path), "nonproliferation", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["speaker"] for s in data["statements"]] == ["John F. Kirby"]
    assert data["statements"][0]["said"] == "2023-10-13"


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just notes")
    for args in (
        ["info", str(bad)],
        ["info", str(tmp_path / "missing.case")],
        ["search", str(bad), "x"],
        ["new", str(tmp_path / "nofolder" / "x.case"), "--title", "X"],
        [str(bad)],
    ):
        r = run(*args)
        assert r.returncode == 2, args
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("caseboard: ")


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("caseboard ")


def test_demo_copy_made_once_in_user_data_folder(tmp_path: Path, monkeypatch) -> None:
    """`caseboard` with no file opens the user's own copy of the demo, never the installed data."""
    from caseboard.db import appinfo as cli

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = cli.ensure_demo()
    assert first == tmp_path / "data" / "caseboard" / "demo.case" and first.exists()
    from caseboard.db import actors
    from caseboard.db.case import open_case

    with open_case(first) as case:  # the user's edits stay in their copy
        actors.add_actor(case, name="My own note", kind="other")
    assert cli.ensure_demo() == first
    with open_case(first) as case:
        assert actors.find_actor(case, "My own note") is not None
    first.write_bytes(b"garbage that is not a case")
    again = cli.ensure_demo()
    assert again == first and (first.parent / "demo.case.damaged").exists()
    with open_case(again) as case:
        assert case.conn.execute("SELECT count(*) FROM actors").fetchone()[0] == 18


def test_generate_refuses_odd_counts_and_seeds_in_one_line(tmp_path: Path, capsys) -> None:
    for argv in (["--events", "-5"], ["--events", "99999999999999"], ["--seed", "-1"], ["--actors", "-1"]):
        assert main(["generate", str(tmp_path / "g.case"), *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("caseboard: --"), err
    assert not list(tmp_path.iterdir())


def test_demo_force_onto_a_folder_leaves_nothing(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main(["demo", str(folder), "--force"]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"] and not list(folder.iterdir())


def test_paper_size_mistake_is_one_line(tmp_path: Path, capsys) -> None:
    case = tmp_path / "d.case"
    assert main(["demo", str(case)]) == 0
    capsys.readouterr()
    assert main(["export", str(case), "-o", str(tmp_path / "o.pdf"), "--paper", "a5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a5" in err


def test_tests_do_not_write_the_users_settings() -> None:
    import os

    assert "caseboard-tests-home-" in os.environ["XDG_CONFIG_HOME"]
    from PySide6.QtCore import QSettings

    assert "caseboard-tests-home-" in QSettings("Caseboard", "Caseboard").fileName()


def test_bad_file_from_a_file_manager_reaches_the_window_and_stderr(tmp_path, monkeypatch, capsys) -> None:
    """Exec=caseboard %f: with a display, the window shows the open error; the line still goes to stderr."""
    from caseboard.cli import window

    bad = tmp_path / "bad.case"
    bad.write_text("not a case")
    opened = []
    monkeypatch.setattr(window, "run_window", lambda path, readonly: opened.append(path) or 0)
    monkeypatch.setattr(window, "has_display", lambda: True)
    assert window.main([str(bad)], ()) == 0
    assert opened == [bad]  # the window opens it, and shows File > Open's message box when that fails
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("caseboard: ")
    # without a display: the one line and exit status 2, as before
    monkeypatch.setattr(window, "has_display", lambda: False)
    assert window.main([str(bad)], ()) == 2
    assert capsys.readouterr().err.startswith("caseboard: ")


def test_has_display_is_false_off_screen(monkeypatch) -> None:
    from caseboard.cli.window import has_display

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not has_display()
