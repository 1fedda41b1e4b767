"""File > Share Changes… and File > Merge Changes…: the window's side of exchanging work with colleagues.

The work itself is in ``db.changes``; here are the questions asked (start shared work? where to write? which
side wins each conflict?) and the one undo step a merge becomes.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from caseboard.db import changes, merge_cases
from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.gui.commands import Editor, MergeEdit
from caseboard.gui.merge_dialog import CaseMergeDialog, MergeDialog


class MainWindow(Protocol):
    """What these actions need of the window (the window imports this module, not the other way round)."""

    case: Case | None
    editor: Editor

    def statusBar(self): ...  # noqa: ANN201, N802 - Qt's name

    def show_error(self, title: str, text: str) -> None: ...

    def _start_dir(self) -> str: ...


CHANGES_FILTER = f"Caseboard changes (*{changes.SUFFIX});;All files (*)"


def _ask(window: MainWindow, title: str, text: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        window,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box.exec() == QMessageBox.StandardButton.Ok


def start_shared_work(window: MainWindow) -> bool:
    """Ask, then keep the case as it is now as the baseline of later changes."""
    case = window.case
    if case is None:
        return False
    base = changes.baseline_path(case.path)
    if not _ask(
        window,
        "Start shared work",
        f"Caseboard will keep a copy of the case as it is now in\n{base}\n\n"
        "Later, Share Changes writes everything you did since then to a small file for your colleagues.\n"
        "Give each colleague a copy of the case and of this baseline file (renamed to match their copy); "
        "they start shared work on it before editing.",
    ):
        return False
    try:
        changes.start_shared_work(case)
    except CaseError as exc:
        window.show_error("Cannot start shared work", str(exc))
        return False
    window.statusBar().showMessage(f"Shared work started: baseline kept in {base.name}", 8000)
    return True


def share_changes(window: MainWindow, target: str | Path | None = None) -> Path | None:
    """Write the work done since the baseline to a changes file (starting shared work first if needed)."""
    case = window.case
    if case is None:
        return None
    if not changes.has_baseline(case):
        start_shared_work(window)
        return None
    if target is None:
        default = case.path.with_name(f"{case.path.stem} {changes.default_author()}{changes.SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(window, "Share changes", str(default), CHANGES_FILTER)
        if not chosen:
            return None
        target = chosen if chosen.endswith(changes.SUFFIX) else chosen + changes.SUFFIX
    try:
        made = changes.make_changes(case)
        written = changes.write_changes(made, target)
    except CaseError as exc:
        window.show_error("Cannot share changes", str(exc))
        return None
    window.statusBar().showMessage(f"Wrote {written.name}: {made.header.summary()}", 8000)
    return written


def _pick(window: MainWindow, title: str, filters: str) -> str:
    chosen, _ = QFileDialog.getOpenFileName(window, title, window._start_dir(), filters)  # type: ignore[arg-type]
    return chosen


def review_changes(window: MainWindow, source: str | Path | None = None) -> MergeDialog | None:
    """Read a changes file and open the review dialog (not yet shown modally); None if refused."""
    case = window.case
    if case is None:
        return None
    source = source or _pick(window, "Merge a colleague's changes", CHANGES_FILTER)
    if not source:
        return None
    try:
        incoming = changes.read_changes(source)
        plan = changes.plan(case, incoming)
    except CaseError as exc:
        window.show_error("Cannot merge these changes", str(exc))
        return None
    return MergeDialog(plan, window)


def merge_reviewed(window: MainWindow, dialog: MergeDialog) -> int:
    """Apply a reviewed plan as one undo step; returns the number of rows written."""
    case = window.case
    plan = dialog.plan
    if case is None:
        return 0
    incoming = plan.changes
    try:
        done = window.editor.run(
            plan.label(),
            lambda c: changes.apply_plan(c, plan),
            functools.partial(
                MergeEdit,
                after_undo=lambda: changes.forget_in_baseline(case, incoming),
                after_redo=lambda: changes.record_in_baseline(case, incoming),
            ),
        )
        changes.record_in_baseline(case, incoming)
    except CaseError as exc:
        window.show_error("Cannot merge these changes", str(exc))
        return 0
    return _written(window, plan.label(), done)


def merge_changes(window: MainWindow, source: str | Path | None = None) -> int:
    """File > Merge Changes…: pick a file, review it, merge it."""
    dialog = review_changes(window, source)
    return merge_reviewed(window, dialog) if _accepted(dialog) else 0


def review_case_file(window: MainWindow, source: str | Path | None = None) -> CaseMergeDialog | None:
    """Read another analyst's case file and open the review of proposed matches; None if refused."""
    case = window.case
    if case is None:
        return None
    source = source or _pick(
        window, "Merge another case file", f"Case files (*{case.path.suffix});;All files (*)"
    )
    if not source:
        return None
    try:
        plan = merge_cases.plan_merge(case, source)
    except CaseError as exc:
        window.show_error("Cannot merge this case file", str(exc))
        return None
    return CaseMergeDialog(plan, window)


def merge_case_reviewed(window: MainWindow, dialog: CaseMergeDialog) -> int:
    """Add the other file's rows as one undo step; returns the number of rows written."""
    plan = dialog.plan
    try:
        done = window.editor.run(plan.label(), lambda c: merge_cases.apply_merge(c, plan))
    except CaseError as exc:
        window.show_error("Cannot merge this case file", str(exc))
        return 0
    return _written(window, plan.label(), done)


def merge_case_file(window: MainWindow, source: str | Path | None = None) -> int:
    """File > Merge Case File…: pick a case file, answer the proposed matches, merge."""
    dialog = review_case_file(window, source)
    return merge_case_reviewed(window, dialog) if _accepted(dialog) else 0


def _accepted(dialog: QDialog | None) -> bool:
    return dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted


def _written(window: MainWindow, label: str, done: list) -> int:
    window.statusBar().showMessage(f"{label}: {len(done)} rows written", 8000)
    return len(done)
