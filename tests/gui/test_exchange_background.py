"""Exports and imports from the window run on the worker pool: the window keeps turning, Cancel keeps old files
and leaves the case as it was, and an import that finishes is one undo step."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from caseboard.db import rows
from caseboard.db.exchange import EXPORT_BY_NAME
from caseboard.gui.workers import wait_for_all


def _block_at_checkpoint(monkeypatch, module) -> tuple[threading.Event, threading.Event, list[int]]:
    """Make ``module.checkpoint`` wait (on the pool thread) until the test releases it; returns (inside, release,
    ids of the threads it ran on)."""
    inside, release, threads = threading.Event(), threading.Event(), []
    real = module.checkpoint

    def held(done: int, total: int, message: str = "") -> None:
        threads.append(threading.get_ident())
        inside.set()
        assert release.wait(20)
        real(done, total, message)

    monkeypatch.setattr(module, "checkpoint", held)
    return inside, release, threads


def test_export_runs_off_the_ui_thread_and_the_window_keeps_turning(
    make, qtbot, demo_file: Path, tmp_path: Path, monkeypatch
) -> None:
    from caseboard.db.exchange import tables
    from caseboard.gui.exchange import export_to

    window = make(demo_file)
    inside, release, threads = _block_at_checkpoint(monkeypatch, tables)
    out = tmp_path / "chart.csv"
    op = export_to(window, EXPORT_BY_NAME["links-csv"], out)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(inside.is_set, timeout=10000)
    ticks.clear()
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=10000)  # held mid-write, and the event loop still turns
    assert not op.finished
    assert threading.get_ident() not in threads  # written on a pool thread
    release.set()
    qtbot.waitUntil(lambda: op.finished, timeout=20000)
    timer.stop()
    assert (
        op.result > 0
        and (tmp_path / "chart-links.csv").read_text(encoding="utf-8-sig").count("\n") > op.result
    )
    assert "Wrote chart-entities.csv, chart-links.csv" in window.statusBar().currentMessage()


def test_cancelled_export_leaves_the_old_file(
    make, qtbot, demo_file: Path, tmp_path: Path, monkeypatch
) -> None:
    from caseboard.db.exchange import tables
    from caseboard.gui.exchange import export_to

    window = make(demo_file)
    folder = tmp_path / "out"
    folder.mkdir()
    old = folder / "chart-entities.csv"
    old.write_text("the old table\n", encoding="utf-8")
    inside, release, _threads = _block_at_checkpoint(monkeypatch, tables)
    op = export_to(window, EXPORT_BY_NAME["links-csv"], folder / "chart.csv")
    qtbot.waitUntil(inside.is_set, timeout=10000)  # the new entities sheet is half written
    op.progress.findChild(QPushButton).click()  # the dialog's Cancel button
    release.set()
    assert wait_for_all(20000)
    qtbot.wait(50)
    assert op.cancelled and op.result is None
    assert old.read_text(encoding="utf-8") == "the old table\n"
    assert sorted(p.name for p in folder.iterdir()) == ["chart-entities.csv"]  # no partial file left
    assert "Export cancelled; the files were left as they were" in window.statusBar().currentMessage()


def _persons(path: Path, n: int) -> None:
    path.write_text(
        "\n".join(
            json.dumps({"id": f"p{i}", "schema": "Person", "properties": {"name": [f"Person {i}"]}})
            for i in range(n)
        ),
        encoding="utf-8",
    )


def test_cancelled_ftm_read_leaves_the_case_untouched(
    make, qtbot, demo_file: Path, tmp_path: Path, monkeypatch
) -> None:
    from caseboard.db.exchange import ftm_import
    from caseboard.gui.exchange import open_ftm

    window = make(demo_file)
    path = tmp_path / "people.json"
    _persons(path, 5001)  # one checkpoint after 5,000 entities
    before = rows.snapshot(window.case)
    inside, release, _threads = _block_at_checkpoint(monkeypatch, ftm_import)
    op = open_ftm(window, path)
    qtbot.waitUntil(inside.is_set, timeout=10000)
    op.progress.findChild(QPushButton).click()
    release.set()
    assert wait_for_all(20000)
    qtbot.wait(50)
    assert op.cancelled and op.dialog is None
    assert rows.snapshot(window.case) == before and window.undo_stack.count() == 0


def test_ftm_import_read_in_the_background_lands_and_undo_removes_it(
    make, qtbot, demo_file: Path, tmp_path: Path
) -> None:
    from caseboard.gui.exchange import open_ftm

    window = make(demo_file)
    path = tmp_path / "people.json"
    _persons(path, 6000)
    before = rows.snapshot(window.case)
    op = open_ftm(window, path)
    qtbot.waitUntil(lambda: op.finished, timeout=30000)
    assert "6000 entities, read as 6000 actors" in op.dialog.summary.text()
    assert op.dialog.run_import()
    assert window.case.conn.execute("SELECT count(*) FROM actors WHERE id LIKE 'p%'").fetchone() == (6000,)
    assert (
        "6001 rows added" not in window.statusBar().currentMessage()
    )  # 6,000 actors, 1 source, 6,000 citations
    assert "12001 rows added" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert rows.snapshot(window.case) == before
