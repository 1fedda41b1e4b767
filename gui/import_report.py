"""File > Import Report…: read a report, ask about its source, then hand it to the review.

Reading a long PDF and running the rules over its text can take seconds, so both run on the worker pool while
the dialog shows the source's fields, prefilled from what the document says (title, outlet, date, URL). The
dialog warns when the case already keeps the same text (same SHA-256): importing twice would duplicate facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import schema
from caseboard.db.case import Case
from caseboard.db.dates import DateParseError, parse_date
from caseboard.db.sources import CREDIBILITY, RELIABILITY
from caseboard.gui.workers import Cancelled, Job, Worker
from caseboard.ingest.accept import check_duplicate, default_title, known_actors
from caseboard.ingest.model import Suggestions
from caseboard.ingest.readers import (
    MAX_REPORT_BYTES,
    Document,
    PasswordNeeded,
    ReaderError,
    read_document,
    read_text,
)
from caseboard.ingest.request import ImportRequest
from caseboard.ingest.suggest import SuggestCancelled, suggest

#: Suffixes the window imports as reports when dropped (a .case file is opened instead).
REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


def read_and_suggest(
    path: str | Path | None,
    text: str | None,
    known: list[tuple[str, list[str]]],
    published: dt.date | None,
    *,
    password: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[Document, Suggestions]:
    """The slow part, safe off the UI thread: no case access (the known actors were read beforehand).

    ``progress`` is called between extraction stages and may raise ``SuggestCancelled``."""
    doc = read_document(path, password) if path is not None else read_text(text or "")
    if not doc.text.strip():
        raise ReaderError("the report has no text")
    if len(doc.text) > MAX_REPORT_BYTES:
        raise ReaderError(
            f"the report has {len(doc.text):,} characters; Caseboard reads up to {MAX_REPORT_BYTES:,}"
        )
    return doc, suggest(doc.text, published=published or doc.published, known_actors=known, progress=progress)


class ImportReportDialog(QDialog):
    """Asks for the source's title, outlet, date, URL and grade while the report is read in the background.

    ``ready(ImportRequest)`` is emitted when the user continues to the review.
    """

    ready = Signal(object)

    def __init__(
        self,
        case: Case,
        path: str | Path | None = None,
        text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.path = Path(path) if path is not None else None
        self.document: Document | None = None
        self.suggestions: Suggestions | None = None
        self._suggested_for: dt.date | None = None
        self._continue_when_done = False
        self._busy = False
        self._duplicate = False
        self._known = known_actors(case)
        self.setWindowTitle("Import report")
        self.setMinimumWidth(560)

        self.status = QLabel("Reading the report…")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.warning = QLabel("")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a4b00; background: #fff4e0; padding: 6px; border-radius: 3px;")
        self.warning.hide()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.again = QCheckBox("Import it again anyway")
        self.again.hide()
        self.again.toggled.connect(self._update_ok)

        self.title_edit = QLineEdit()
        self.outlet_edit = QLineEdit()
        self.published_edit = QLineEdit()
        self.published_edit.setPlaceholderText("YYYY-MM-DD; relative dates (“on Friday”) are read against it")
        self.url_edit = QLineEdit()
        self.reliability = QComboBox()
        for g in schema.RELIABILITY_GRADES:
            self.reliability.addItem(f"{g} — {RELIABILITY[g]}", g)
        self.reliability.setCurrentIndex(schema.RELIABILITY_GRADES.index("F"))
        self.credibility = QComboBox()
        for c in schema.CREDIBILITY_GRADES:
            self.credibility.addItem(f"{c} — {CREDIBILITY[c]}", c)
        self.credibility.setCurrentIndex(len(schema.CREDIBILITY_GRADES) - 1)
        self.date_error = QLabel("")
        self.date_error.setTextFormat(Qt.TextFormat.PlainText)  # text from the file, never markup
        self.date_error.setStyleSheet("color: #b00020;")
        self.date_error.hide()
        self.published_edit.textChanged.connect(self._update_ok)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Title", self.title_edit)
        form.addRow("Outlet", self.outlet_edit)
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(self.published_edit)
        box.addWidget(self.date_error)
        form.addRow("Published", box)
        form.addRow("URL", self.url_edit)
        form.addRow("Reliability of the source", self.reliability)
        form.addRow("Credibility of its facts", self.credibility)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Review suggestions…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self._continue)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.again)
        layout.addWidget(self.buttons)

        if self.path is not None:
            self.title_edit.setPlaceholderText(self.path.stem)
        self._reader = Worker(self, on_result=self._done, on_failure=self._failed, on_progress=self._progress)
        self._text = text
        self._password: str | None = None
        self.finished.connect(self._stop_reading)  # Cancel or close stops the extraction between stages
        self._start(None)

    # -- background work --------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    def _start(self, published: dt.date | None) -> None:
        self._busy = True
        self._suggested_for = published
        path, text, known = self.path, self._text, self._known
        if self.document is not None:  # only the dates change: no need to read the file again
            path, text = None, self.document.text
        password = self._password

        def read(job: Job) -> object:
            def report(done: int, total: int, stage: str) -> None:
                if job.cancelled():
                    raise SuggestCancelled()
                job.progress(done, total, stage)

            try:
                return read_and_suggest(path, text, known, published, password=password, progress=report)
            except SuggestCancelled:
                raise Cancelled() from None
            except PasswordNeeded as exc:
                return exc  # the dialog asks for the password and reads again

        self.progress.setRange(0, 0)
        self.progress.show()
        self._reader.start(read)
        self._update_ok()

    def _stop_reading(self, _result: int = 0) -> None:
        self._reader.cancel()
        self._busy = False

    def _progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Reading the report: {stage.lower()} ({done + 1} of {total})…")

    def _failed(self, error: str) -> None:
        self._busy = False
        self.progress.hide()
        self.status.setText(f"The report cannot be read: {error.splitlines()[0]}")
        self.status.setStyleSheet("color: #b00020;")
        self._continue_when_done = False
        self._update_ok()

    def _done(self, result: object) -> None:
        if isinstance(result, PasswordNeeded):
            self._busy = False
            self.progress.hide()
            if self._ask_password(str(result)):
                return
            self._failed(str(result))
            return
        self._busy = False
        self.progress.hide()
        assert isinstance(result, tuple)
        fresh = self.document is None
        doc, suggestions = result
        if fresh:
            self.document = doc
            self._suggested_for = self._suggested_for or doc.published
            self._fill(doc)
        else:
            doc = self.document
        self.suggestions = suggestions
        s = suggestions
        self.status.setText(
            f"{len(doc.text):,} characters read: {len(s.actors)} actors, {len(s.places)} places, "
            f"{len(s.events)} dated events, {len(s.shipments)} shipments and {len(s.quotes)} quotes suggested."
        )
        self._update_ok()
        if self._continue_when_done:
            self._continue_when_done = False
            self._continue()

    def _ask_password(self, why: str) -> bool:
        """Ask for an encrypted PDF's password and read it again; False when the user gives none."""
        password, ok = QInputDialog.getText(
            self, "Encrypted PDF", f"{why}.\nPassword:", QLineEdit.EchoMode.Password
        )
        if not ok or not password:
            return False
        self._password = password
        self.status.setText("Reading the report…")
        self._start(self._suggested_for)
        return True

    def _fill(self, doc: Document) -> None:
        self.title_edit.setText(default_title(doc))
        self.outlet_edit.setText(doc.outlet or "")
        self.published_edit.setText(doc.published.isoformat() if doc.published else "")
        self.url_edit.setText(doc.url or "")
        for edit in (self.title_edit, self.outlet_edit, self.url_edit):
            edit.setCursorPosition(0)  # a long title shows its beginning, not its cut-off end
        dup = check_duplicate(self.case, doc)
        if dup is not None:
            self.warning.setText(
                f"This case already has this exact text as the source “{dup.title}”. Importing it again "
                "would repeat every fact it gave."
            )
            self.warning.show()
            self.again.show()
            self._duplicate = True

    # -- form ----------------------------------------------------------------------------------------------
    def published(self) -> tuple[dt.date | None, str]:
        """The date typed, or None; with an error message when it is not a single day."""
        text = self.published_edit.text().strip()
        if not text:
            return None, ""
        try:
            pd = parse_date(text)
        except DateParseError as exc:
            return None, str(exc)
        first = dt.date(1970, 1, 1) + dt.timedelta(days=pd.start_day())
        return first, ""

    def _update_ok(self) -> None:
        _, error = self.published()
        self.date_error.setText(error)
        self.date_error.setVisible(bool(error))
        duplicate_blocked = self._duplicate and not self.again.isChecked()
        self.ok.setEnabled(
            self.document is not None and not error and not duplicate_blocked and not self._busy
        )

    def request(self) -> ImportRequest:
        """What the review gets; valid once the report was read."""
        assert self.document is not None and self.suggestions is not None
        published, _ = self.published()
        return ImportRequest(
            document=self.document,
            suggestions=self.suggestions,
            source_fields={
                "title": self.title_edit.text().strip() or default_title(self.document),
                "outlet": self.outlet_edit.text().strip(),
                "published": published,
                "url": self.url_edit.text().strip(),
            },
            reliability=self.reliability.currentData(),
            credibility=int(self.credibility.currentData()),
            allow_duplicate=self.again.isChecked(),
        )

    def _continue(self) -> None:
        if self.document is None or self._busy:
            return
        published, error = self.published()
        if error:
            return
        if published is not None and published != self._suggested_for:
            # relative dates ("on Friday") must be read against the date the user gave
            self._continue_when_done = True
            self.status.setText("Reading the dates again against the publication date…")
            self._start(published)
            return
        self.ready.emit(self.request())
        self.accept()


def announce(window: Any, line: str, source_id: str) -> QPushButton:
    """After an import: say what was added, with a "Show" button that selects the new source (so every panel
    highlights its facts) and fits the timeline and map to them, since new items may lie outside the view."""
    bar = window.statusBar()
    old = getattr(window, "_import_notice", None)
    if old is not None:
        bar.removeWidget(old)
        old.deleteLater()
    button = QPushButton("Show what was added", bar)
    button.setObjectName("show_imported")
    button.setFlat(True)
    button.setStyleSheet("color: #0645ad; text-decoration: underline;")

    def show() -> None:
        if source_id and window.case is not None:
            window.selection.select_item("sources", source_id)
        window.zoom_to_fit()

    button.clicked.connect(show)
    bar.addPermanentWidget(button)
    window._import_notice = button
    bar.showMessage(f"Imported: {line}", 60000)
    QTimer.singleShot(60000, button, lambda: button.hide())  # the notice goes with its message
    return button


def start_import(
    window: Any, path: str | Path | None = None, text: str | None = None
) -> ImportReportDialog | None:
    """Import into the window's case: the source dialog, then the review (File > Import Report, drop, paste)."""
    case = window.case
    if case is None:
        window.show_error("Import report", "Open or create a case first; the report's facts go into a case.")
        return None
    ok, reason = window.editor.can_edit()
    if not ok:
        window.show_error("Import report", reason)
        return None
    dialog = ImportReportDialog(case, path, text, window)

    def review(request: ImportRequest) -> None:
        from caseboard.gui.review import ReviewDialog

        window._review_dialog = ReviewDialog(window.editor, request, window)
        window._review_dialog.imported.connect(lambda line, source_id: announce(window, line, source_id))
        window._review_dialog.show()

    dialog.ready.connect(review)
    window._import_dialog = dialog
    dialog.open()
    return dialog
