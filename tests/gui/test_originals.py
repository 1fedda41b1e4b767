"""A source's original file: attached from the Edit menu (one undo step), shown and opened from the inspector."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from caseboard.db import sources
from caseboard.db.demo import demo_id


def test_attach_original_then_open_it_from_the_inspector(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    report = tmp_path / "briefing.html"
    report.write_bytes(b"<html><body><p>Made-up briefing text.</p></body></html>")
    s2 = demo_id("S2")
    window.selection.select_item("sources", s2)
    assert window.edit_actions.act_original.isEnabled()
    window.edit_actions.attach_original(str(report))
    kept = sources.original_of(window.case, s2)
    assert kept is not None and kept.data == report.read_bytes() and kept.media_type == "text/html"
    inspector = window.panels["inspector"]
    qtbot.waitUntil(lambda: "briefing.html" in inspector.text())
    assert "matches its SHA-256" in inspector.text()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    inspector._anchor_clicked(QUrl(f"original:{s2}"))
    assert len(opened) == 1 and Path(opened[0].toLocalFile()).read_bytes() == report.read_bytes()
    assert Path(opened[0].toLocalFile()).name == "briefing.html"

    window.undo_stack.undo()  # the attachment is one undo step
    assert sources.original_of(window.case, s2) is None


def test_an_unsourced_fact_says_so_plainly_in_the_inspector(qtbot, window) -> None:
    from caseboard.db import events

    ev = events.add_event(window.case, title="Unconfirmed report of a second ship")[0].row_id
    window.selection.select_item("events", ev)
    qtbot.waitUntil(lambda: "Unsourced:" in window.panels["inspector"].text())
