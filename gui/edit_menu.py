"""The window's editing actions: Edit menu entries, their shortcuts, and their enabled state.

Kept apart from ``main_window`` so the window stays about layout and files. Every action goes through
``editing`` and the window's ``Editor``, so each is one undo step; on a read-only case every editing action
is disabled and its tooltip and the status bar say why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseboard.db import settings, sources
from caseboard.gui import editing
from caseboard.gui.commands import Editor
from caseboard.gui.naming import named
from caseboard.gui.panels.style import plain_tooltip

if TYPE_CHECKING:
    from caseboard.gui.selection import SelectionModel

NEW_KINDS = (
    ("actors", "&Actor…", "Ctrl+Shift+A"),
    ("places", "&Place…", "Ctrl+Shift+P"),
    ("sources", "&Source…", "Ctrl+Shift+O"),
    ("shipments", "S&hipment…", "Ctrl+Shift+H"),
    ("legs", "&Leg…", "Ctrl+Shift+L"),
    ("events", "&Event…", "Ctrl+Shift+E"),
    ("statements", "S&tatement…", "Ctrl+Shift+T"),
    ("relationships", "&Relationship…", "Ctrl+Shift+R"),
)


class PassageDialog(QDialog):
    """Shows a kept source text; the user selects the passage a statement quotes."""

    def __init__(self, text: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Select the passage — {title}"[:120])
        self.resize(720, 520)
        self._text = text
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setPlainText(text)
        self.hint = QLabel("Select the exact words of the statement, then choose OK.")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.hint)
        lay.addWidget(self.view)
        lay.addWidget(buttons)

    def span(self) -> tuple[int, int] | None:
        """The selection as Python string offsets into the source text (Qt counts UTF-16 units)."""
        cur = self.view.textCursor()
        if not cur.hasSelection():
            return None
        shown = self.view.toPlainText()
        units = shown.encode("utf-16-le")
        start = len(units[: 2 * cur.selectionStart()].decode("utf-16-le", errors="ignore"))
        end = len(units[: 2 * cur.selectionEnd()].decode("utf-16-le", errors="ignore"))
        if self._text[start:end] == shown[start:end]:
            return start, end
        found = self._text.find(shown[start:end])  # line endings differed; the words themselves locate it
        return (found, found + (end - start)) if found >= 0 else None

    def select(self, start: int, end: int) -> None:
        """Select a span given in Python offsets (used by tests and by 'show in source')."""
        cur = self.view.textCursor()
        to_units = lambda i: len(self._text[:i].encode("utf-16-le")) // 2  # noqa: E731
        cur.setPosition(to_units(start))
        cur.setPosition(to_units(end), cur.MoveMode.KeepAnchor)
        self.view.setTextCursor(cur)


class EditActions(QObject):
    """Builds the editing actions for a window and keeps them enabled only when an edit is possible."""

    def __init__(self, window: QWidget, editor: Editor, selection: SelectionModel) -> None:
        super().__init__(window)
        self.window = window
        self.editor = editor
        self.selection = selection
        self.new_actions: dict[str, QAction] = {}
        for table, text, key in NEW_KINDS:
            self.new_actions[table] = self._action(text, lambda t=table: self.add(t), key)
        self.act_edit = self._action("&Edit Selected…", self.edit_selected, "Ctrl+E")
        self.act_delete = self._action(
            "&Delete Selected…", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.act_cite = self._action("&Cite a Source for Selected…", self.cite_selected, "Ctrl+Shift+C")
        self.act_passage = self._action("Statement from Source &Passage…", self.statement_from_passage)
        self.act_original = self._action("Attach &Original to Source…", self.attach_original)
        self.act_leg_up = self._action("Move Leg &Earlier", lambda: self.move_leg(-1), "Ctrl+Alt+Up")
        self.act_leg_down = self._action("Move Leg &Later", lambda: self.move_leg(1), "Ctrl+Alt+Down")
        self.act_require_source = self._action(
            "Require a Source for New &Facts",
            lambda: self.set_require_source(self.act_require_source.isChecked()),
        )
        self.act_require_source.setCheckable(True)
        self.act_require_source.setObjectName("act_require_source")
        self.item_actions = (self.act_edit, self.act_delete, self.act_cite)
        selection.changed.connect(lambda *_: self.update_enabled())
        self.update_enabled()

    def _action(self, text: str, slot: Callable[[], object], key: object = None) -> QAction:
        action = QAction(text, self.window)
        named(action)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: slot())
        self.window.addAction(action)
        return action

    def fill_menu(self, menu: QMenu) -> None:
        new = menu.addMenu("&New")
        for action in self.new_actions.values():
            new.addAction(action)
        menu.addAction(self.act_edit)
        menu.addAction(self.act_delete)
        menu.addAction(self.act_cite)
        menu.addSeparator()
        menu.addAction(self.act_passage)
        menu.addAction(self.act_original)
        menu.addAction(self.act_leg_up)
        menu.addAction(self.act_leg_down)
        menu.addSeparator()
        menu.addAction(self.act_require_source)

    def all_actions(self) -> list[QAction]:
        return [
            *self.new_actions.values(),
            *self.item_actions,
            self.act_passage,
            self.act_original,
            self.act_leg_up,
            self.act_leg_down,
            self.act_require_source,
        ]

    def update_enabled(self) -> None:
        ok, why = self.editor.can_edit()
        sel = self.selection.selection
        has_item = ok and sel.has_item and sel.table in editing.NOUN
        for action in self.all_actions():
            action.setToolTip(plain_tooltip(why if not ok else action.text().replace("&", "").rstrip("…")))
            action.setStatusTip(why if not ok else "")
        for action in self.new_actions.values():
            action.setEnabled(ok)
        for action in self.item_actions:
            action.setEnabled(has_item)
        self.act_passage.setEnabled(ok and sel.table == "sources" and sel.has_item)
        self.act_original.setEnabled(ok and sel.table == "sources" and sel.has_item)
        self.act_leg_up.setEnabled(ok and sel.table == "legs" and sel.has_item)
        self.act_leg_down.setEnabled(ok and sel.table == "legs" and sel.has_item)
        case = self.editor.case
        self.act_require_source.setEnabled(ok)
        self.act_require_source.setChecked(case is not None and settings.require_source(case))

    def set_require_source(self, on: bool) -> None:
        """The case setting: new facts with no source are refused (kept in the case file, not undoable)."""
        case = self.editor.case
        if case is None or not self.editor.can_edit()[0]:
            return
        settings.set_require_source(case, on)
        self.act_require_source.setChecked(on)

    # -- actions --------------------------------------------------------------------------------------------
    def add(self, table: str) -> None:
        initial = None
        sel = self.selection.selection
        if table == "legs" and sel.table == "shipments":
            initial = {"shipment_id": sel.row_id}
        if table == "relationships" and sel.table == "actors":
            initial = {"from_actor_id": sel.row_id}
        changes = editing.add_entity(self.editor, table, self.window, initial)
        if changes:
            main = next((c for c in changes if c.table == table), changes[-1])
            self.selection.select_item(main.table, main.row_id)

    def edit_selected(self) -> None:
        sel = self.selection.selection
        if sel.has_item and sel.table:
            editing.edit_entity(self.editor, sel.table, str(sel.row_id), self.window)

    def delete_selected(self) -> None:
        sel = self.selection.selection
        if sel.has_item and sel.table:
            if editing.delete_entity(self.editor, sel.table, str(sel.row_id), self.window):
                self.selection.clear()

    def cite_selected(self) -> None:
        sel = self.selection.selection
        if sel.has_item and sel.table and sel.table not in ("sources", "citations"):
            editing.add_citation(self.editor, sel.table, str(sel.row_id), self.window)

    def move_leg(self, step: int) -> None:
        sel = self.selection.selection
        if sel.table == "legs" and sel.row_id:
            editing.move_leg(self.editor, sel.row_id, step)

    def attach_original(self, path: str | None = None) -> None:
        """Keep a file (the report as published: PDF, HTML…) inside the case as the selected source's original."""
        sel = self.selection.selection
        if self.editor.case is None or sel.table != "sources" or not sel.row_id:
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Attach the original of this source")
        if path:
            editing.attach_original(self.editor, sel.row_id, path, self.window)

    def statement_from_passage(self) -> None:
        sel = self.selection.selection
        case = self.editor.case
        if case is None or sel.table != "sources" or not sel.row_id:
            return
        src = sources.get_source(case, sel.row_id)
        if not src.text:
            editing._show_error(self.window, ValueError("This source has no kept text to quote from."))
            return
        dialog = PassageDialog(src.text, src.title, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        span = dialog.span()
        if span is None or span[0] == span[1]:
            return
        changes = editing.statement_from_passage(self.editor, src.id, span[0], span[1], self.window)
        if changes:
            self.selection.select_item(
                "statements", editing.made(changes, "statements") or changes[-1].row_id
            )
