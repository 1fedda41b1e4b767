"""``caseboard changes`` and ``caseboard apply`` as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

from caseboard.cli import main
from caseboard.db import changes, crud
from caseboard.db.case import open_case


def test_changes_then_apply_refuses_conflicts_until_a_side_is_chosen(tmp_path: Path, capsys) -> None:
    a, b = tmp_path / "a.case", tmp_path / "b.case"
    assert main(["demo", str(a)]) == 0
    assert main(["changes", str(a), "-o", str(tmp_path / "x.changes")]) == 2
    assert "no baseline yet" in capsys.readouterr().err
    assert main(["changes", str(a), "--start"]) == 0
    assert main(["changes", str(a), "--start"]) == 2
    assert "already has a baseline" in capsys.readouterr().err
    shutil.copyfile(a, b)
    shutil.copyfile(changes.baseline_path(a), changes.baseline_path(b))
    with open_case(a) as case:
        actor = case.conn.execute("SELECT id FROM actors WHERE name = 'Russia'").fetchone()[0]
        crud.update(case, "actors", actor, {"description": "from a"})
        crud.add(case, "sources", {"title": "Harbour log of the Lanternfish", "reliability": "C"})
    with open_case(b) as case:
        crud.update(case, "actors", actor, {"description": "from b"})

    out = tmp_path / "a.changes"
    assert main(["changes", str(a), "-o", str(out), "--author", "Alice Analyst"]) == 0
    assert "1 added, 1 changed, 0 deleted by Alice Analyst" in capsys.readouterr().out
    assert main(["apply", str(b), str(out)]) == 2
    captured = capsys.readouterr()
    assert 'conflict: actor "Russia": both edited description' in captured.out
    assert "theirs “from a”, ours “from b”" in captured.out
    assert "nothing was applied" in captured.err
    with open_case(b, readonly=True) as case:
        assert (
            case.conn.execute("SELECT count(*) FROM sources WHERE title LIKE 'Harbour log%'").fetchone()[0]
            == 0
        )

    assert main(["apply", str(b), str(out), "--ours"]) == 0
    assert "1 kept ours" in capsys.readouterr().out
    with open_case(b, readonly=True) as case:
        assert crud.get(case, "actors", actor).description == "from b"
        assert (
            case.conn.execute("SELECT count(*) FROM sources WHERE title LIKE 'Harbour log%'").fetchone()[0]
            == 1
        )


def test_apply_refuses_another_cases_changes(tmp_path: Path, capsys) -> None:
    a, other = tmp_path / "a.case", tmp_path / "other.case"
    main(["demo", str(a)])
    main(["demo", str(other)])
    main(["changes", str(other), "--start", "-o", str(tmp_path / "o.changes")])
    capsys.readouterr()
    assert main(["apply", str(a), str(tmp_path / "o.changes")]) == 2
    assert "from another case" in capsys.readouterr().err


def test_merge_lists_proposed_matches_and_waits_for_an_answer(tmp_path: Path, capsys) -> None:
    from caseboard.db.case import create_case

    for name, vessel in (("ours", "Angara"), ("theirs", "M/V Angara")):
        with create_case(tmp_path / f"{name}.case", title=name) as case:
            crud.add(case, "actors", {"name": vessel, "kind": "vessel", "imo": "9074729"})
            crud.add(case, "places", {"name": f"Quay of {name}", "kind": "port"})
    ours, theirs = str(tmp_path / "ours.case"), str(tmp_path / "theirs.case")
    assert main(["merge", ours, theirs]) == 2
    captured = capsys.readouterr()
    assert "proposed match: actor: theirs “M/V Angara” = ours “Angara” (same IMO)" in captured.out
    assert "nothing was merged" in captured.err
    assert main(["merge", ours, theirs, "--accept-matches"]) == 0
    assert "Merged: " in capsys.readouterr().out
    with open_case(ours, readonly=True) as case:
        assert crud.count(case, "actors") == 1
        assert sorted(p.name for p in crud.select(case, "places")) == ["Quay of ours", "Quay of theirs"]
