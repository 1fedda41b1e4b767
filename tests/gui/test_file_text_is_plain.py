"""Text from a case file is shown as text everywhere: `<img src=…>` and `<b>` in every text column of the demo
case never become an image or bold type in a tooltip, a list, the quotes, the inspector or a label."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel, QToolTip

from caseboard.db.demo import demo_id

IMAGE = Path("/tmp/caseboard-test-image.png")
HOSTILE = f" <img src='{IMAGE}'> <b>bold</b>"


def _text_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every TEXT column a person writes in (not ids, hashes or dates, which must stay valid)."""
    out = []
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE '\\_%' "
        "ESCAPE '\\' AND name NOT IN ('history', 'case_info')"
    ):
        for _cid, col, kind, *_ in conn.execute(f'PRAGMA table_info("{table}")'):
            if kind.upper() != "TEXT" or col == "id" or col.endswith(("_id", "sha256", "_table")):
                continue
            out.append((table, col))
    return out


@pytest.fixture
def hostile_file(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "hostile.case"
    shutil.copyfile(demo_file, path)
    conn = sqlite3.connect(path)
    done = []
    for table, col in _text_columns(conn):
        try:
            if col == "aliases":
                conn.execute(f'UPDATE "{table}" SET "{col}" = ?', [json.dumps(["Alias" + HOSTILE])])
            else:
                with conn:
                    conn.execute(f'UPDATE "{table}" SET "{col}" = "{col}" || ?', [HOSTILE])
            conn.commit()
            done.append(f"{table}.{col}")
        except sqlite3.Error:
            conn.rollback()  # a kind or a date: its CHECK keeps it one of a few words
    conn.execute("UPDATE case_info SET value = value || ? WHERE key = 'title'", [HOSTILE])
    conn.commit()
    conn.close()
    assert {"actors.name", "statements.text", "sources.title", "places.name", "events.title"} <= set(done)
    return path


def _safe(text: object) -> None:
    """Either plain text with no markup, or markup where the file's tags are escaped."""
    if not isinstance(text, str) or (f"<img src='{IMAGE}'>" not in text and "<b>bold</b>" not in text):
        return
    raise AssertionError(f"file text shown as markup: {text[:200]!r}")


def test_every_widget_shows_file_text_as_text(make, hostile_file: Path, monkeypatch, qtbot) -> None:
    from caseboard.gui.workers import wait_for_all

    window = make(hostile_file)
    wait_for_all(5000)
    shown_tips: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda *a, **k: shown_tips.append(a[1]))

    # navigator lists: tooltips escaped, and the display text is the file's text itself
    nav = window.panels["navigator"]
    seen_hostile = 0
    for page in nav.pages.values():
        model = page.model
        while model.canFetchMore():
            model.fetchMore()
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                idx = model.index(r, c)
                tip = model.data(idx, Qt.ItemDataRole.ToolTipRole)
                _safe(tip)
                if "&lt;img" in (tip or ""):
                    seen_hostile += 1
    assert seen_hostile > 10

    # quotes: the rich text and the tooltip escape it
    quotes = window.panels["quotes"]
    for r in range(quotes.model.rowCount()):
        idx = quotes.model.index(r, 0)
        _safe(quotes.model.data(idx, Qt.ItemDataRole.ToolTipRole))
        html = quotes.model.row(r).to_html([])
        _safe(html)
        assert "&lt;img" in html

    # inspector on each kind of item
    inspector = window.panels["inspector"]
    for table, key in (("actors", "kirby"), ("places", "najin"), ("events", None), ("statements", None)):
        row_id = (
            demo_id(key) if key else window.case.conn.execute(f"SELECT id FROM {table} LIMIT 1").fetchone()[0]
        )
        window.selection.select_item(table, row_id)
        qtbot.wait(10)
        _safe(inspector.browser.toHtml())
        assert "<img" in inspector.text() or "bold" in inspector.text()

    # timeline and map hover tooltips
    timeline, map_panel = window.panels["timeline"], window.panels["map"]
    wait_for_all(5000)
    qtbot.waitUntil(lambda: timeline.data is not None and map_panel.data is not None, timeout=20000)
    event_index = 0
    monkeypatch.setattr(timeline, "_hit_scene", lambda pos: ("events", event_index))
    timeline._on_hover(timeline.vb.sceneBoundingRect().center())
    place_id = demo_id("najin")
    monkeypatch.setattr(map_panel, "hit", lambda pos: ("places", place_id))
    monkeypatch.setattr(map_panel.plot, "_view_at", lambda pos: object())
    map_panel._on_hover(QPointF(1, 1))
    assert len(shown_tips) == 2
    for tip in shown_tips:
        _safe(tip)
    assert any("&lt;img" in t for t in shown_tips)

    # labels that carry file text are plain text
    for label in window.findChildren(QLabel):
        if "<img" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName() or label.text()[:60]


def test_form_error_labels_are_plain_text(make, hostile_file: Path) -> None:
    from caseboard.gui.forms import EntityForm

    window = make(hostile_file)
    form = EntityForm(window.case, "places", {"name": "X" + HOSTILE, "lat": "<b>91</b>"}, window)
    errors = [w for w in form.findChildren(QLabel) if w.objectName().startswith("error_")]
    assert errors and all(e.textFormat() == Qt.TextFormat.PlainText for e in errors)
