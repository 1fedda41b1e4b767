"""File > Export and File > Import submenus: the case in and out of other tools' formats (``db.exchange``).

Exports run on the worker pool (``gui.workers``) with their own read connection, a progress dialog and Cancel,
with the PDF's scope: the whole case or what the selection and time range show. A cancelled export stops at its
next checkpoint and leaves the old file as it was (every writer goes through ``db.atomic_write``). Imports read and
plan the file on the pool too (a 150,000-row FtM file takes seconds), then show what it would add before anything
is written — FtM entities with their unmapped schemata and the actors they may duplicate, spreadsheets through a
column mapping with a preview and row-numbered errors — and then write it as one transaction and one undo step.
Cancelling a read leaves the case untouched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseboard.db.case import Case
from caseboard.db.errors import CaseError
from caseboard.db.exchange import EXPORTS, Format
from caseboard.db.exchange.common import reporting
from caseboard.db.schema import ACTOR_KINDS
from caseboard.gui.workers import Cancelled, Job, Worker

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from caseboard.db.exchange.ftm_import import ImportPlan
    from caseboard.db.exchange.spreadsheet_import import Mapping, SheetPlan, Table
    from caseboard.gui.commands import Editor
    from caseboard.gui.selection import SelectionModel


class MainWindow(Protocol):
    """What these menus need of the window (the window imports this module, not the other way round)."""

    case: Case | None
    editor: Editor
    selection: SelectionModel
    act_export: QAction
    act_import: QAction

    def statusBar(self): ...  # noqa: ANN201, N802 - Qt's name

    def show_error(self, title: str, text: str) -> None: ...

    def _start_dir(self) -> str: ...


PREVIEW_ROWS = 30
SETTINGS_KEY = "exchange/mapping/"


# -- background work ---------------------------------------------------------------------------------------------
class Operation(QObject):
    """One export or file read on the worker pool, with a progress dialog whose Cancel stops it.

    ``run(job)`` does the work off the UI thread; ``done(result)`` runs on the UI thread when it finished and was
    not cancelled. ``finished`` turns true in every case (tests wait for it); ``cancelled`` says whether the user
    stopped it.
    """

    def __init__(
        self,
        window: MainWindow,
        text: str,
        run: Callable[[Job], Any],
        done: Callable[[Any], object],
        failed_title: str,
        on_cancel: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self.window_, self._done, self._failed_title, self._on_cancel = window, done, failed_title, on_cancel
        self.finished = self.cancelled = False
        self.result: Any = None
        #: The dialog an import shows once the file is read.
        self.dialog: Any = None
        self.progress = QProgressDialog(text, "Cancel", 0, 0, window)  # type: ignore[arg-type]
        self.progress.setWindowModality(
            Qt.WindowModality.WindowModal
        )  # no edits while a file is read or written
        self.progress.setMinimumDuration(300)  # a small export should not flash a dialog
        self.progress.setAutoReset(False)
        self.progress.setAutoClose(False)
        self.progress.canceled.connect(self.cancel)
        self.worker = Worker(self, on_result=self._finished, on_failure=self._failed, on_progress=self._step)
        self.worker.start(run)

    def _step(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(min(done, total))
        if message:
            self.progress.setLabelText(message)

    def cancel(self) -> None:
        """Stop at the next checkpoint (a database read is interrupted at once); nothing is written or kept."""
        if self.finished:
            return
        self.cancelled = True
        self.worker.cancel()
        self._close()
        if self._on_cancel is not None:
            self._on_cancel()

    def _finished(self, result: Any) -> None:
        self.result = result
        self._close()
        self._done(result)

    def _failed(self, message: str) -> None:
        self._close()
        self.window_.show_error(self._failed_title, message.splitlines()[0])

    def _close(self) -> None:
        self.finished = True
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.progress.deleteLater()


def _on_reader(case: Case, what: str, fn: Callable[[Case], Any]) -> Callable[[Job], Any]:
    """``fn(reader_case)`` for the pool: its own read-only connection (interrupted on cancel) and checkpoints
    (``db.exchange.common.checkpoint``) that report progress and stop the work once the job is cancelled."""

    def run(job: Job) -> Any:
        def hook(done: int, total: int, message: str) -> None:
            if job.cancelled():
                raise Cancelled()
            job.progress(done, total, message)

        conn = case.reader()
        try:
            job.watch(conn)
            with reporting(hook):
                return fn(Case(case.path, conn, readonly_reason=what))
        finally:
            job.watch(None)
            conn.close()

    return run


# -- menus ---------------------------------------------------------------------------------------------------
def export_menu(window: MainWindow) -> QMenu:
    """File > Export: the PDF summary first, then every exchange format."""
    menu = QMenu("&Export", window)
    menu.addAction(window.act_export)
    menu.addSeparator()
    for fmt in EXPORTS:
        action = menu.addAction(f"{fmt.label}…")
        action.setObjectName(f"export-{fmt.name}")
        action.triggered.connect(lambda _checked=False, f=fmt: choose_export(window, f))
    menu.aboutToShow.connect(lambda: [a.setEnabled(window.case is not None) for a in menu.actions()])
    return menu


def import_menu(window: MainWindow) -> QMenu:
    """File > Import: a report (read and reviewed), FtM entities, a spreadsheet."""
    menu = QMenu("&Import", window)
    menu.addAction(window.act_import)
    menu.addSeparator()
    ftm = menu.addAction("&FollowTheMoney Entities…")
    ftm.setObjectName("import-ftm")
    ftm.triggered.connect(lambda _checked=False: choose_ftm(window))
    sheet = menu.addAction("&Spreadsheet (CSV or XLSX)…")
    sheet.setObjectName("import-sheet")
    sheet.triggered.connect(lambda _checked=False: choose_sheet(window))

    def enable() -> None:
        ok = window.editor.can_edit()[0]
        ftm.setEnabled(ok)
        sheet.setEnabled(ok)

    menu.aboutToShow.connect(enable)
    return menu


# -- export ----------------------------------------------------------------------------------------------
def _filter(fmt: Format) -> str:
    return f"{fmt.label} ({' '.join('*' + s for s in fmt.suffixes)})"


def choose_export(window: MainWindow, fmt: Format) -> None:
    if window.case is None:
        return
    default = window.case.path.with_name(window.case.path.stem + fmt.suffix)
    path, _ = QFileDialog.getSaveFileName(window, f"Export {fmt.label}", str(default), _filter(fmt))
    if not path:
        return
    if not fmt.accepts(path):
        path += fmt.suffix
    scoped = False
    scope = _selection_scope(window)
    if scope is not None:
        answer = QMessageBox.question(
            window,
            "Export",
            f"Export the whole case, or only {scope.description}?",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return
        scoped = answer == QMessageBox.StandardButton.No
    export_to(window, fmt, Path(path), scoped=scoped)


def _selection_scope(window: MainWindow):  # noqa: ANN202 - a db.report.Scope or None
    from caseboard.db.report import scope_from_selection

    sel = window.selection.selection
    if window.case is None or sel is None or sel.empty:
        return None
    return scope_from_selection(window.case, sel.table, sel.row_id, sel.time_range)


def export_to(window: MainWindow, fmt: Format, path: Path, *, scoped: bool = False) -> Operation | None:
    """Write ``fmt`` to ``path`` on the pool for the whole case or (``scoped``) what the selection shows.

    Returns the running operation (its ``result`` is the item count once ``finished``)."""
    from caseboard.db.report import resolve

    case = window.case
    if case is None:
        return None
    scope = _selection_scope(window) if scoped else None
    writer = fmt.writer()

    def write(reader: Case) -> int:
        return writer(reader, path, resolve(reader, scope) if scope is not None else None)

    def done(n: int) -> None:
        files = ", ".join(p.name for p in fmt.outputs(path))
        window.statusBar().showMessage(f"Wrote {files} ({fmt.label}, {n} items)", 8000)

    def cancelled() -> None:
        kept = "left as they were" if any(p.exists() for p in fmt.outputs(path)) else "not written"
        window.statusBar().showMessage(f"Export cancelled; the files were {kept}", 8000)

    return Operation(
        window,
        f"Writing {path.name}…",
        _on_reader(case, "export reader", write),
        done,
        "Export failed",
        on_cancel=cancelled,
    )


# -- FtM import -------------------------------------------------------------------------------------------
def choose_ftm(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(
        window,
        "Import FollowTheMoney entities",
        window._start_dir(),
        "FtM JSON lines (*.json *.jsonl *.ftm *.ndjson);;All files (*)",
    )
    if path:
        open_ftm(window, Path(path))


def open_ftm(window: MainWindow, path: Path) -> Operation | None:
    """Read ``path`` on the pool, then show what it would add (``operation.result`` is the dialog)."""
    from caseboard.db.exchange.ftm_import import read_ftm

    if window.case is None:
        return None

    def show(plan: ImportPlan) -> FtmImportDialog:
        dialog = FtmImportDialog(window, plan)
        dialog.open()
        op.dialog = dialog
        return dialog

    op = Operation(
        window,
        f"Reading {path.name}…",
        _on_reader(window.case, "import reader", lambda reader: read_ftm(path, reader)),
        show,
        "Cannot import",
    )
    return op


class FtmImportDialog(QDialog):
    """What an FtM file adds, what it cannot map, and which incoming actors to merge with the case's."""

    def __init__(self, window: MainWindow, plan: ImportPlan) -> None:
        super().__init__(window)
        self.window_, self.plan = window, plan
        self.setWindowTitle(f"Import {plan.path.name}")
        layout = QVBoxLayout(self)
        self.summary = QLabel(plan.summary())
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.offers = QListWidget()
        for offer in plan.offers:
            item = QListWidgetItem(
                f"Merge “{offer.incoming_name}” into “{offer.existing_name}” ({offer.reason})"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if offer.certain else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, offer.incoming_id)
            self.offers.addItem(item)
        if plan.offers:
            layout.addWidget(
                QLabel("Actors already in the case (checked ones are merged; the rest are added):")
            )
            layout.addWidget(self.offers)
        if plan.warnings:
            layout.addWidget(QLabel(f"{len(plan.warnings)} notes:"))
            notes = QPlainTextEdit("\n".join(plan.warnings))
            notes.setReadOnly(True)
            layout.addWidget(notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def merges(self) -> set[str]:
        items = (self.offers.item(i) for i in range(self.offers.count()))
        return {it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked}

    def run_import(self) -> bool:
        from caseboard.db.exchange.ftm_import import apply_ftm

        merge = self.merges()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the plan is read: writing is batched
        try:
            self.window_.editor.run(
                f"Import {self.plan.path.name}", lambda c: apply_ftm(c, self.plan, merge), initiator="import"
            )
        except CaseError as exc:
            QApplication.restoreOverrideCursor()
            self.window_.show_error("Import failed; nothing was changed", str(exc))
            return False
        except Exception as exc:  # a constraint the checks did not foresee: still nothing written
            QApplication.restoreOverrideCursor()
            self.window_.show_error("Import failed; nothing was changed", f"{type(exc).__name__}: {exc}")
            return False
        QApplication.restoreOverrideCursor()
        self.window_.statusBar().showMessage(
            f"Imported {self.plan.path.name}: {self.plan.result_text()}", 12000
        )
        self.accept()
        return True


# -- spreadsheet import ---------------------------------------------------------------------------------------
def choose_sheet(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(
        window,
        "Import a spreadsheet",
        window._start_dir(),
        "Spreadsheets (*.csv *.tsv *.xlsx *.xlsm);;All files (*)",
    )
    if path:
        open_sheet(window, Path(path))


def open_sheet(window: MainWindow, path: Path) -> Operation | None:
    """Read the spreadsheet on the pool, then show the mapping dialog (``operation.result`` is the dialog)."""
    from caseboard.db.exchange.spreadsheet_import import read_table

    if window.case is None:
        return None

    def show(table: Table) -> SheetImportDialog:
        dialog = SheetImportDialog(window, table)
        dialog.open()
        op.dialog = dialog
        return dialog

    def read(job: Job) -> Table:
        if job.cancelled():
            raise Cancelled()
        return read_table(path)

    op = Operation(window, f"Reading {path.name}…", read, show, "Cannot import")
    return op


def _settings_key(header: list[str]) -> str:
    """Mappings are remembered per header: the same export from the same tool maps the same way next time."""
    return SETTINGS_KEY + hashlib.sha1("\x1f".join(header).encode("utf-8")).hexdigest()[:16]


def remembered_mapping(header: list[str]) -> Mapping | None:
    from caseboard.db.exchange.spreadsheet_import import Mapping

    text = QSettings().value(_settings_key(header))
    if not text:
        return None
    try:
        return Mapping.from_json(str(text))
    except CaseError:
        return None


class SheetImportDialog(QDialog):
    """Choose what the rows are and which column feeds which field; preview; errors by row number."""

    NONE = "(none)"

    def __init__(self, window: MainWindow, table: Table) -> None:
        from caseboard.db.exchange.spreadsheet_import import KIND_WORDS, guess_mapping

        super().__init__(window)
        self.window_, self.table = window, table
        self.setWindowTitle(f"Import {table.path.name}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.sheet = QComboBox()
        self.sheet.addItems(table.sheets)
        if table.sheet:
            self.sheet.setCurrentText(table.sheet)
        self.sheet.currentTextChanged.connect(self._change_sheet)
        if len(table.sheets) > 1:
            form.addRow("Sheet", self.sheet)
        self.kind = QComboBox()
        for key, words in KIND_WORDS.items():
            self.kind.addItem(words, key)
        form.addRow("Each row is", self.kind)
        self.actor_kind = QComboBox()
        self.actor_kind.addItems(ACTOR_KINDS)
        self.actor_kind.setCurrentText("other")
        self.actor_kind.setToolTip(
            "Used for rows whose kind column is empty, or when no column gives the kind"
        )
        form.addRow("Actors are (unless a column says)", self.actor_kind)
        layout.addLayout(form)
        self.fields_box = QWidget()
        self.fields = QFormLayout(self.fields_box)
        layout.addWidget(self.fields_box)
        self.combos: dict[str, QComboBox] = {}
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(QLabel(f"First rows of {table.path.name} (as mapped):"))
        layout.addWidget(self.preview, 1)
        self.errors = QListWidget()
        self.errors.setMaximumHeight(120)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(self.errors)
        self.remember = QCheckBox("Remember this mapping for sheets with these columns")
        self.remember.setChecked(True)
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        save = buttons.addButton("Save Mapping…", QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(self._save_mapping)
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.plan: SheetPlan | None = None
        start = remembered_mapping(table.header) or guess_mapping(table.header)
        self.kind.currentIndexChanged.connect(
            lambda _i: self._build_fields(guess_mapping(self.table.header, self.kind.currentData()))
        )
        self.actor_kind.currentTextChanged.connect(lambda _t: self.check())
        self._build_fields(start)
        self.resize(760, 720)

    # mapping <-> widgets
    def _build_fields(self, mapping: Mapping) -> None:
        from caseboard.db.exchange.spreadsheet_import import KINDS, REQUIRED

        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(mapping.kind))
        self.kind.blockSignals(False)
        if mapping.defaults.get("kind"):
            self.actor_kind.setCurrentText(mapping.defaults["kind"])
        while self.fields.rowCount():
            self.fields.removeRow(0)
        self.combos = {}
        for name in KINDS[mapping.kind]:
            combo = QComboBox()
            combo.addItems([self.NONE, *self.table.header])
            combo.setCurrentText(mapping.columns.get(name, self.NONE))
            combo.currentTextChanged.connect(lambda _t: self.check())
            star = " *" if REQUIRED[mapping.kind] == name else ""
            self.fields.addRow(f"{name}{star}", combo)
            self.combos[name] = combo
        self.actor_kind.setEnabled(mapping.kind == "actors")
        self.check()

    def mapping(self) -> Mapping:
        from caseboard.db.exchange.spreadsheet_import import Mapping

        kind = self.kind.currentData()
        columns = {n: c.currentText() for n, c in self.combos.items() if c.currentText() != self.NONE}
        defaults = (
            {"kind": self.actor_kind.currentText()} if kind == "actors" and "kind" not in columns else {}
        )
        return Mapping(kind, columns, self.table.sheet if len(self.table.sheets) > 1 else None, defaults)

    def set_column(self, field_name: str, column: str) -> None:
        self.combos[field_name].setCurrentText(column)

    def _change_sheet(self, name: str) -> None:
        from caseboard.db.exchange.spreadsheet_import import guess_mapping, read_table

        try:
            self.table = read_table(self.table.path, name)
        except CaseError as exc:
            self.window_.show_error("Cannot read the sheet", str(exc))
            return
        self._build_fields(remembered_mapping(self.table.header) or guess_mapping(self.table.header))

    # checking
    def check(self) -> SheetPlan | None:
        from caseboard.db.exchange.spreadsheet_import import read_sheet

        mapping = self.mapping()
        self._fill_preview(mapping)
        self.errors.clear()
        try:
            self.plan = read_sheet(self.table, mapping)
        except CaseError as exc:
            self.plan = None
            self.status.setText(str(exc))
            self.import_button.setEnabled(False)
            return None
        self.status.setText(self.plan.summary())
        for error in self.plan.errors:
            self.errors.addItem(str(error))
        self.errors.setVisible(bool(self.plan.errors))
        self.import_button.setEnabled(bool(self.plan.good))
        return self.plan

    def _fill_preview(self, mapping: Mapping) -> None:
        names = list(mapping.columns)
        self.preview.clear()
        self.preview.setColumnCount(len(names))
        self.preview.setHorizontalHeaderLabels([f"{n}\n({mapping.columns[n]})" for n in names])
        shown = self.table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(shown))
        self.preview.setVerticalHeaderLabels([str(number) for number, _cells in shown])
        for r, (_number, cells) in enumerate(shown):
            for c, name in enumerate(names):
                i = self.table.column(mapping.columns[name])
                self.preview.setItem(
                    r, c, QTableWidgetItem(cells[i] if i is not None and i < len(cells) else "")
                )

    def _save_mapping(self) -> None:
        default = self.table.path.with_suffix(".mapping.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save the mapping", str(default), "JSON (*.json)")
        if path:
            Path(path).write_text(self.mapping().to_json() + "\n", encoding="utf-8")

    # importing
    def confirm_partial(self, plan: SheetPlan) -> bool:
        """Ask before leaving rows out; the default answer imports nothing."""
        from caseboard.db.exchange.spreadsheet_import import rows_word

        rows_text = ", ".join(map(str, plan.bad_rows[:20])) + ("…" if len(plan.bad_rows) > 20 else "")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Some rows have errors",
            f"{rows_word(len(plan.bad_rows))} with errors (rows {rows_text}). Import the other {len(plan.good)} rows and "
            "leave these out, or import nothing and fix the spreadsheet first?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDetailedText("\n".join(str(e) for e in plan.errors))
        good = box.addButton(f"Import {len(plan.good)} Good Rows", QMessageBox.ButtonRole.AcceptRole)
        nothing = box.addButton("Import Nothing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(nothing)
        box.exec()
        return box.clickedButton() is good

    def run_import(self) -> bool:
        from caseboard.db.exchange.spreadsheet_import import apply_sheet

        plan = self.check()
        if plan is None or not plan.good:
            return False
        if plan.errors and not self.confirm_partial(plan):
            self.status.setText("Nothing was imported. " + plan.summary())
            return False
        if self.remember.isChecked():
            QSettings().setValue(_settings_key(self.table.header), self.mapping().to_json())
        label = f"Import {self.table.path.name}"
        try:
            self.window_.editor.run(label, lambda c: apply_sheet(c, plan, only_good=True), initiator="import")
        except CaseError as exc:
            self.window_.show_error("Import failed; nothing was changed", str(exc))
            return False
        self.window_.statusBar().showMessage(
            f"Imported {len(plan.good)} rows of {self.table.path.name}", 8000
        )
        self.accept()
        return True
