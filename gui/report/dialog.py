"""File > Export Case Summary…: options, then a progress dialog with cancel while the PDF is written.

The window stays responsive: the report content is read on a worker thread through its own read-only connection
(``Case.reader()``), with the figures' plot data; the figures are drawn from those data by the window's
plots and recorded in the GUI thread as QPictures; the PDF is laid out and painted on a worker thread with its
own QPdfWriter.
"""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import report as data
from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.db.report import Report, Scope
from caseboard.gui.panels import style
from caseboard.gui.panels.style import plain_tooltip
from caseboard.gui.report import figures, pdf
from caseboard.gui.report.export import ExportResult, report_author, write_report
from caseboard.gui.workers import Job, Worker, wait_for_all


def _gather(case: Case, scope: Scope | None, conn: sqlite3.Connection) -> tuple[Report, figures.FigureData]:
    """The report's content and its figures' data, read on a worker's own read-only connection."""
    reader = Case(case.path, conn, readonly_reason="report reader")
    report = data.gather(reader, scope)
    return report, figures.gather_figure_data(reader, report)


def _write(report: Report, out: Path, figs: list, paper: str, author: str, job: Job) -> ExportResult:
    """Lay out and paint the PDF with its own QPdfWriter, reporting progress and stopping when cancelled."""
    try:
        return write_report(
            report, out, figs, paper=paper, author=author, progress=job.progress, cancelled=job.cancelled
        )
    finally:
        gc.collect()  # Qt objects made on this thread are freed here, on the thread that made them


class ExportDialog(QDialog):
    """Options for the case summary PDF; ``finished_export(ExportResult)`` is emitted when a PDF is written."""

    finished_export = Signal(object)

    def __init__(
        self,
        case: Case,
        selection: object | None = None,
        parent: QWidget | None = None,
        *,
        default_path: str | Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Case Summary")
        self.case = case
        self.selection = selection
        self.result_path: Path | None = None
        self.last_result: ExportResult | None = None
        self.error: str = ""
        self._progress: QProgressDialog | None = None
        self._cancelled = False
        self._gatherer = Worker(self, on_result=self._gathered, on_failure=self._fail)
        self._writer = Worker(
            self, on_result=self._finish, on_failure=self._fail, on_progress=self._on_progress
        )

        self.whole = QRadioButton("The whole case")
        self.scoped = QRadioButton("Only what the current selection and time range show")
        sel = getattr(selection, "selection", None)
        has_scope = sel is not None and not sel.empty
        self.scoped.setEnabled(has_scope)
        if has_scope:
            self.scope_hint = self._scope_text()
            self.scoped.setToolTip(plain_tooltip(self.scope_hint))
            self.scoped.setText(f"Only: {self.scope_hint[5:] if self.scope_hint.startswith('Only ') else ''}")
        # The whole case unless the user asks for less: a partial report made by accident is worse than a long one.
        self.whole.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.whole)
        group.addButton(self.scoped)

        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.path = QLineEdit(str(default_path or self._suggested_path()))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)

        form = QFormLayout()
        scope_box = QVBoxLayout()
        scope_box.addWidget(self.whole)
        scope_box.addWidget(self.scoped)
        form.addRow("Include:", scope_box)
        form.addRow("Paper:", self.paper)
        form.addRow("Save as:", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start_export)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    # -- options -----------------------------------------------------------------------------------------------
    def _suggested_path(self) -> Path:
        stem = "".join(c if c.isalnum() or c in "-_ " else "_" for c in self.case.title).strip() or "case"
        return Path(self.case.path).with_name(f"{stem} - summary.pdf")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save case summary as", self.path.text(), "PDF (*.pdf)")
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _scope_text(self) -> str:
        return self.current_scope().description if self.current_scope() else "The whole case"

    def current_scope(self) -> Scope | None:
        """The scope the window's selection and time range show, or None when nothing is selected."""
        sel = getattr(self.selection, "selection", None)
        if sel is None or sel.empty:
            return None
        return data.scope_from_selection(self.case, sel.table, sel.row_id, sel.time_range)

    # -- running -----------------------------------------------------------------------------------------------
    def start_export(self) -> None:
        """Check the options, then read (worker), draw figures (here) and write (worker) with progress."""
        out = Path(self.path.text()).expanduser()
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        try:
            pdf.check_output(out.absolute())
        except CaseError as exc:
            self._fail(str(exc))
            return
        self._out = out.absolute()
        self._paper = self.paper.currentData()
        scope = self.current_scope() if self.scoped.isChecked() else None
        self.export_button.setEnabled(False)
        self._progress = QProgressDialog("Reading the case…", "Cancel", 0, 0, self)
        self._progress.setWindowTitle("Exporting case summary")
        self._progress.setMinimumDuration(300)
        self._progress.canceled.connect(self._cancel)
        self._cancelled = False
        case = self.case
        self._gatherer.submit(case, lambda conn: _gather(case, scope, conn))

    def _gathered(self, gathered: tuple[Report, figures.FigureData]) -> None:
        report, fig_data = gathered
        if self._cancelled:
            self._finish(ExportResult(self._out, 0, 0.0, cancelled=True))
            return
        if self._progress:
            self._progress.setLabelText("Drawing the figures…")
        geo = pdf.PageGeometry.for_paper(self._paper)
        try:
            with style.printing():  # paper is white, whatever the window's theme
                figs = figures.recorded(
                    figures.make_figures(fig_data), lambda aspect: pdf.figure_target(geo, aspect)
                )
        finally:
            figures.release_plots()
        out, paper, author = self._out, self._paper, report_author(self.case)
        self._writer.start(lambda job: _write(report, out, figs, paper, author, job))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self._progress is not None:
            self._progress.setMaximum(total)
            self._progress.setValue(done)
            self._progress.setLabelText(message)

    def _cancel(self) -> None:
        """Stop reading or writing: the PDF writer sees ``job.cancelled()`` and leaves no partial file."""
        self._cancelled = True
        self._gatherer.cancel()
        self._writer.cancel()
        self._finish(ExportResult(self._out, 0, 0.0, cancelled=True))

    def _finish(self, result: ExportResult) -> None:
        self.last_result = result
        self._close_progress()
        self.export_button.setEnabled(True)
        if result.cancelled:
            return
        self.result_path = result.path
        self.finished_export.emit(result)
        self.accept()

    def _fail(self, message: str) -> None:
        self.error = message
        self._close_progress()
        self.export_button.setEnabled(True)
        if self.isVisible():
            QMessageBox.warning(self, "Export Case Summary", message)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.canceled.disconnect(self._cancel)
            self._progress.close()
            self._progress = None

    def wait(self) -> None:
        """Wait for the background work and deliver its answers (tests; closing the window)."""
        from PySide6.QtCore import QCoreApplication

        for _ in range(2):  # reading, then writing
            wait_for_all(-1)
            QCoreApplication.processEvents()

    def done(self, r: int) -> None:  # noqa: D102 - also stops a running export when the dialog closes
        if self._writer.busy:
            self._writer.cancel()
            wait_for_all(-1)
        super().done(r)
