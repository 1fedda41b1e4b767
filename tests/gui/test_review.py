"""The review of a report's suggestions, the import dialog, and their wiring into the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from caseboard.db import actors as db_actors
from caseboard.db import crud
from caseboard.db.rows import TABLE_ORDER
from caseboard.ingest.accept import MERGE, REJECT, default_title, known_actors
from caseboard.ingest.readers import read_document, read_text
from caseboard.ingest.suggest import suggest

WIRE = Path(__file__).resolve().parents[2] / "bench" / "extraction_set" / "texts" / "demo_wire.txt"


def _request(case, doc):
    from caseboard.gui.import_report import ImportRequest

    s = suggest(doc.text, published=doc.published, known_actors=known_actors(case))
    return ImportRequest(doc, s, {"title": default_title(doc)}, "B")


def _review(window, doc):
    from caseboard.gui.review import ReviewDialog

    dialog = ReviewDialog(window.editor, _request(window.case, doc), window)
    dialog.show()
    return dialog


def _counts(case) -> dict[str, int]:
    return {t: crud.count(case, t) for t in TABLE_ORDER}


def test_reject_merge_accept_is_one_undo_step(window, qtbot) -> None:
    case = window.case
    before = _counts(case)
    kirby_before = db_actors.find_actor(case, "John F. Kirby").aliases
    dialog = _review(window, read_document(WIRE))
    # the case's actors are proposed as merges
    kirby = dialog.row_of(
        "actors", next(i for i, a in enumerate(dialog.suggestions.actors) if a.name == "John F. Kirby")
    )
    assert dialog.decisions[dialog.rows[kirby].key].action == MERGE
    assert "merge into John F. Kirby" in dialog.model.status(dialog.rows[kirby])
    # reject one quote, merge one actor by hand
    dialog.set_action([dialog.row_of("quotes", 3)], REJECT)
    joint = dialog.row_of(
        "actors",
        next(i for i, a in enumerate(dialog.suggestions.actors) if a.name == "Joint Chiefs of Staff"),
    )
    milley = db_actors.find_actor(case, "Mark A. Milley")
    dialog.merge(joint, milley.id)
    assert "merge into Mark A. Milley" in dialog.model.status(dialog.rows[joint])
    steps = window.undo_stack.count()
    assert dialog.add_to_case()
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText().startswith("Import report")
    after = _counts(case)
    assert after["statements"] == before["statements"] + 3
    assert after["sources"] == before["sources"] + 1
    assert "Joint Chiefs of Staff" in db_actors.get_actor(case, milley.id).aliases
    assert case.conn.execute("SELECT count(*) FROM actors WHERE name = 'John F. Kirby'").fetchone()[0] == 1
    # the quotes keep their positions: the inspector shows them in context, the quotes panel lists them
    sid, text = case.conn.execute(
        "SELECT id, text FROM statements WHERE source_start IS NOT NULL AND text LIKE 'We condemn%'"
    ).fetchone()
    assert sid in window.panels["quotes"].shown_ids()
    window.selection.select_item("statements", sid)
    qtbot.waitUntil(lambda: "In context" in window.panels["inspector"].text())
    assert text in window.panels["inspector"].text()
    # one undo takes it all away
    window.undo_stack.undo()
    assert _counts(case) == before
    assert db_actors.find_actor(case, "John F. Kirby").aliases == kirby_before
    assert "Joint Chiefs of Staff" not in db_actors.get_actor(case, milley.id).aliases
    window.undo_stack.redo()
    assert _counts(case) == after


def test_every_kind_is_highlighted_and_selection_scrolls(window) -> None:
    dialog = _review(window, read_document(WIRE))
    assert dialog.highlight_kinds() == {"actors", "places", "events", "shipments", "quotes"}
    row = dialog.row_of("quotes", 0)
    dialog.table.selectRow(row)
    q = dialog.suggestions.quotes[0]
    assert (
        dialog.text_view.textCursor().selectedText() == dialog.document.text[q.spans[0][0] : q.spans[-1][1]]
    )
    n = len(dialog.highlights())
    dialog.set_action([row], REJECT)  # a rejected suggestion stays visible, struck out
    assert len(dialog.highlights()) == n
    dialog.accept_kind("quotes")
    assert dialog.decisions[dialog.rows[row].key].action != REJECT


def test_hostile_report_text_shows_literally(window) -> None:
    text = (
        "<b>Bold</b> <script>alert('x')</script> <img src=x onerror=alert(1)>\n\n"
        "“We shipped <i>nothing</i> to Tartus,” said John F. Kirby on Friday.\n"
    )
    dialog = _review(window, read_text(text))
    assert dialog.text_view.toPlainText() == text
    quote = dialog.row_of("quotes", 0)
    shown = dialog.model.data(dialog.model.index(quote, 1))
    assert "<i>nothing</i>" in shown
    assert dialog.add_to_case()
    stored = window.case.conn.execute(
        "SELECT text FROM statements WHERE text LIKE '%<i>nothing</i>%'"
    ).fetchone()
    assert stored is not None


def test_edit_values_reach_the_case(window) -> None:
    dialog = _review(window, read_document(WIRE))
    ev = dialog.row_of("events", 2)
    dialog.set_values(ev, {"title": "Containers staged at Najin"})
    assert "(edited)" in dialog.model.status(dialog.rows[ev])
    assert dialog.model.data(dialog.model.index(ev, 1)) == "Containers staged at Najin"
    assert dialog.add_to_case()
    assert window.case.conn.execute(
        "SELECT date FROM events WHERE title = 'Containers staged at Najin'"
    ).fetchone() == ("2023-09-07/2023-09-08",)


def test_import_dialog_prefills_and_warns_on_duplicate(window, qtbot) -> None:
    from caseboard.gui.import_report import ImportReportDialog

    dialog = ImportReportDialog(window.case, WIRE, parent=window)
    qtbot.waitUntil(lambda: dialog.suggestions is not None, timeout=10000)
    assert dialog.outlet_edit.text() == "Example Wire"
    assert dialog.published_edit.text() == "2023-10-13"
    assert dialog.url_edit.text().startswith("https://news.example.org/")
    assert dialog.ok.isEnabled() and not dialog.warning.isVisibleTo(dialog)
    requests = []
    dialog.ready.connect(requests.append)
    dialog.reliability.setCurrentIndex(1)
    dialog._continue()
    assert requests and requests[0].reliability == "B"
    from caseboard.gui.review import ReviewDialog

    assert ReviewDialog(window.editor, requests[0], window).add_to_case()
    again = ImportReportDialog(window.case, WIRE, parent=window)
    qtbot.waitUntil(lambda: again.suggestions is not None, timeout=10000)
    assert again.warning.isVisibleTo(again) and "already" in again.warning.text()
    assert not again.ok.isEnabled()
    again.again.setChecked(True)
    assert again.ok.isEnabled()


@pytest.mark.parametrize("how", ["menu", "paste"])
def test_window_opens_import_then_review(window, qtbot, how) -> None:
    from PySide6.QtWidgets import QApplication

    if how == "menu":
        dialog = window.import_report(WIRE)
    else:
        QApplication.clipboard().setText(WIRE.read_text(encoding="utf-8"))
        window.act_paste_report.trigger()
        dialog = window._import_dialog
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=10000)
    dialog.ok.click()
    qtbot.waitUntil(lambda: getattr(window, "_review_dialog", None) is not None)
    review = window._review_dialog
    assert review.isVisible()
    review.btn_add.click()
    assert window.undo_stack.undoText().startswith("Import report")


def test_dropping_a_report_imports_it(window, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    report = tmp_path / "wire.md"
    report.write_text(
        "# Wire\n\nJohn F. Kirby said on Friday that “the ship left Najin.”\n", encoding="utf-8"
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(report))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: getattr(window, "_import_dialog", None) is not None)
    assert window._import_dialog.path == report
    assert window.case is not None  # the open case stays open


def test_confidence_is_shown_sorted_and_filtered(window) -> None:
    from caseboard.ingest.accept import LOW_CONFIDENCE

    text = (
        "Captain Ilse Varga spoke first.\n\n“The cargo is gone and the papers are false,” a note read.\n\n"
        "“We boarded the freighter Blue Finch at dawn,” said Commander Odo Rask on 3 May 2023."
    )
    dialog = _review(window, read_text(text))
    sure = dialog.model.SURE
    assert dialog.model.headerData(sure, Qt.Orientation.Horizontal) == "Sure"
    low = [r for r, row in enumerate(dialog.rows) if row.confidence < LOW_CONFIDENCE]
    assert low, "the unattributed quote is a low-confidence suggestion"
    for r in low:  # low-confidence suggestions start unchecked, and the tooltip says why
        assert dialog.model.status(dialog.rows[r]) == "rejected"
        tip = dialog.model.data(dialog.model.index(r, sure), Qt.ItemDataRole.ToolTipRole)
        assert "unchecked" in tip and dialog.rows[r].reason in tip
    assert "unchecked" in dialog.notes.text()
    dialog.table.sortByColumn(sure, Qt.SortOrder.AscendingOrder)
    shown = [
        float(dialog.model.data(dialog.model.index(r, sure)).rstrip("%")) for r in range(len(dialog.rows))
    ]
    assert shown == sorted(shown)
    dialog.sure_filter.setCurrentIndex(dialog.sure_filter.findData("low"))
    visible = [r for r in range(len(dialog.rows)) if not dialog.table.isRowHidden(r)]
    assert visible and all(dialog.rows[r].confidence < LOW_CONFIDENCE for r in visible)


def test_after_import_a_notice_shows_what_was_added(window, qtbot) -> None:
    from caseboard.gui.import_report import announce

    dialog = _review(window, read_document(WIRE))
    lines = []
    dialog.imported.connect(lambda line, sid: lines.append((line, sid)))
    assert dialog.add_to_case()
    line, source_id = lines[0]
    button = announce(window, line, source_id)
    assert "Imported:" in window.statusBar().currentMessage()
    button.click()
    assert window.selection.selection.table == "sources" and window.selection.selection.row_id == source_id
    related = window.selection.related
    assert related is not None and related.ids("statements")


def test_an_unexpected_error_while_adding_is_reported_not_raised(window, monkeypatch) -> None:
    import sqlite3

    from caseboard.gui import review

    dialog = _review(window, read_document(WIRE))
    shown = []
    monkeypatch.setattr(review.ReviewDialog, "_warn", lambda self, text: shown.append(text))

    def full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(review, "accept", full)
    before = _counts(window.case)
    assert dialog.add_to_case() is False
    assert "disk is full" in shown[0] and _counts(window.case) == before


def test_import_dialog_asks_for_an_encrypted_pdf_password(window, qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from caseboard.gui.import_report import ImportReportDialog
    from tests.ingest.test_hostile_reports import _pdf

    pdf = _pdf(tmp_path / "locked.pdf", "The ship left Najin on 7 September 2023.", password="s3cret")
    asked: list[str] = []

    def answer(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "s3cret", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    dialog = ImportReportDialog(window.case, pdf, parent=window)
    qtbot.waitUntil(lambda: dialog.suggestions is not None, timeout=20000)
    assert asked and "encrypted" in asked[0]
    assert "Najin" in dialog.document.text and not dialog.progress.isVisible()


def test_import_dialog_cancel_stops_the_extraction(window, qtbot, tmp_path, monkeypatch) -> None:
    """Cancel during the first stage: no later stage runs and nothing is suggested. The first stage is held
    until the cancel is in, so a fast machine cannot finish the extraction first."""
    import threading

    from caseboard.gui.import_report import ImportReportDialog
    from caseboard.ingest import suggest as suggest_module

    gate = threading.Event()
    real = suggest_module.extract_actors

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - same signature as the real extractor
        gate.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest_module, "extract_actors", held)
    big = tmp_path / "long.txt"
    big.write_text(WIRE.read_text(encoding="utf-8") * 40, encoding="utf-8")
    dialog = ImportReportDialog(window.case, big, parent=window)
    stages: list[str] = []
    dialog._reader.progress.connect(lambda d, t, s: stages.append(s))
    qtbot.waitUntil(lambda: bool(stages), timeout=20000)
    dialog.reject()
    gate.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    assert dialog.suggestions is None and len(stages) < 6
