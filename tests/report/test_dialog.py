"""The export dialog: whole case or the current selection, written off the GUI thread with progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from caseboard.db.case import open_case
from caseboard.db.demo import demo_id, write_demo

pytest.importorskip("pytestqt")


@pytest.fixture
def demo(tmp_path: Path):  # noqa: ANN201
    write_demo(tmp_path / "demo.case").close()
    with open_case(tmp_path / "demo.case") as case:
        yield case


def test_dialog_exports_whole_case(qtbot, demo, tmp_path: Path) -> None:  # noqa: ANN001
    from caseboard.gui.report.dialog import ExportDialog

    dialog = ExportDialog(demo, None, default_path=tmp_path / "whole.pdf")
    qtbot.addWidget(dialog)
    assert dialog.whole.isChecked() and not dialog.scoped.isEnabled()
    with qtbot.waitSignal(dialog.finished_export, timeout=60_000) as blocker:
        dialog.start_export()
    result = blocker.args[0]
    dialog.wait()
    assert result.path == tmp_path / "whole.pdf" and result.pages == len(PdfReader(result.path).pages)


def test_dialog_exports_the_selection(qtbot, demo, tmp_path: Path) -> None:  # noqa: ANN001
    from caseboard.gui.report.dialog import ExportDialog
    from caseboard.gui.selection import SelectionModel

    selection = SelectionModel()
    selection.set_case(demo)
    selection.select_item("actors", demo_id("milley"))
    dialog = ExportDialog(demo, selection, default_path=tmp_path / "milley.pdf")
    qtbot.addWidget(dialog)
    assert (
        dialog.whole.isChecked() and dialog.scoped.isEnabled()
    )  # the selection is a choice, not the default
    assert "Mark A. Milley" in dialog.scoped.text()
    dialog.scoped.setChecked(True)
    dialog.paper.setCurrentIndex(1)  # Letter
    with qtbot.waitSignal(dialog.finished_export, timeout=60_000):
        dialog.start_export()
    dialog.wait()
    reader = PdfReader(tmp_path / "milley.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612
    body = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages[3:])
    assert "I doubt that it would be decisive." in body and "We condemn" not in body


def test_dialog_refuses_an_unwritable_path(qtbot, demo, tmp_path: Path) -> None:  # noqa: ANN001
    from caseboard.gui.report.dialog import ExportDialog

    dialog = ExportDialog(demo, None, default_path=tmp_path / "missing" / "x.pdf")
    qtbot.addWidget(dialog)
    dialog.start_export()
    assert "does not exist" in dialog.error
