"""Undo commands: every edit in the window is one QUndoCommand over one db transaction.

The db layer reports each edit as a list of ``Change`` rows holding the whole row before and after, so one
generic command can undo any edit (``rows.revert`` puts old rows back, ids included) and redo it exactly
(``rows.reapply``). The edit itself runs before the command is pushed, so a validation error never leaves a
half-made command on the stack.

The flow of a change: an edit, its undo and its redo each end in one ``Editor.changed(ChangeSet)``. The window
hands the change set to every view that declares what it draws (``ChangeListener``); a view whose tables and
columns were not touched does nothing, the others update only the rows concerned. A new panel subscribes in a
few lines::

    class CaseHealthPanel(QWidget):
        draws = {"citations": None, "sources": ("reliability",)}  # table -> shown columns (None: any)

        def apply_changes(self, changes: ChangeSet) -> None:
            self._recount(changes.ids("citations"))

and the window calls ``apply_changes`` only when ``changes.touches(panel.draws)``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from caseboard.db import rows
from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet, Draws
from caseboard.db.errors import CaseError, StorageError
from caseboard.db.rows import Change

UNDO = "undo"
REDO = "redo"


@runtime_checkable
class ChangeListener(Protocol):
    """A view that updates itself from change sets: what it draws, and how it takes a change to that."""

    draws: Draws

    def apply_changes(self, changes: ChangeSet) -> None: ...


def deliver(listener: object, changes: ChangeSet) -> bool:
    """Give ``changes`` to ``listener`` if it draws something they touched; returns whether it was called.

    A view that does not declare ``draws`` yet is simply refreshed (``refresh()``), as before change sets.
    """
    if not isinstance(listener, ChangeListener):
        refresh = getattr(listener, "refresh", None)
        if callable(refresh):
            refresh()
            return True
        return False
    if not changes.touches(listener.draws):
        return False
    listener.apply_changes(changes)
    return True


@contextlib.contextmanager
def _as_case_error(label: str) -> Iterator[None]:
    """Errors of an edit as a CaseError, which every edit handler shows in one dialog: a full disk or a view
    where a table belongs (SQLite errors), or a value in the file Caseboard cannot read."""
    try:
        yield
    except CaseError:
        raise
    except sqlite3.Error as exc:
        raise StorageError.from_sqlite(exc) from exc
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, UnicodeError) as exc:
        raise CaseError(f"{label}: the case holds a value Caseboard cannot read ({exc})") from exc


class CaseEdit(QUndoCommand):
    """One user edit, already applied to the case file; undo/redo replay its recorded row changes."""

    def __init__(self, editor: Editor, label: str, changes: list[Change]) -> None:
        super().__init__(label)
        self._editor = editor
        self.changes = changes
        self._applied = True  # the edit ran before the command was pushed

    def redo(self) -> None:
        if self._applied:
            return
        try:
            self.changes = self._editor._replay(
                f"Redo: {self.text()}", REDO, lambda c: rows.reapply(c, self.changes)
            )
        except CaseError as exc:  # Qt calls this: report it, never raise into Qt
            self._editor.replay_failed(f"Redo {self.text()}", exc)
            return
        self._applied = True

    def undo(self) -> None:
        try:
            self._editor._replay(f"Undo: {self.text()}", UNDO, lambda c: rows.revert(c, self.changes))
        except CaseError as exc:
            self._editor.replay_failed(f"Undo {self.text()}", exc)
            return
        self._applied = False


class MergeEdit(CaseEdit):
    """A colleague's changes merged in: one undo step, which also takes their work back out of the baseline
    (so the next changes file does not send "delete their work" back to them)."""

    def __init__(
        self,
        editor: Editor,
        label: str,
        changes: list[Change],
        *,
        after_undo: Callable[[], object],
        after_redo: Callable[[], object],
    ) -> None:
        super().__init__(editor, label, changes)
        self._after_undo = after_undo
        self._after_redo = after_redo

    def redo(self) -> None:
        if self._applied:
            return
        super().redo()
        self._after_redo()

    def undo(self) -> None:
        super().undo()
        self._after_undo()


class Editor(QObject):
    """Runs edits on the open case, keeps the undo stack, and announces what changed.

    ``changed`` carries one ``ChangeSet`` per edit, undo or redo, so each view can update only what it shows.
    """

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._case: Case | None = None

    def set_case(self, case: Case | None) -> None:
        self._case = case
        self.undo_stack.clear()  # edits of another case cannot be undone here

    @property
    def case(self) -> Case | None:
        return self._case

    def can_edit(self) -> tuple[bool, str]:
        if self._case is None:
            return False, "No case is open."
        if self._case.readonly:
            return False, f"Read-only: {self._case.readonly_reason}"
        return True, ""

    def run(
        self,
        label: str,
        edit: Callable[[Case], Change | list[Change]],
        command: Callable[[Editor, str, list[Change]], CaseEdit] = CaseEdit,
        initiator: object = None,
    ) -> list[Change]:
        """Apply ``edit`` in one transaction and push it for undo; errors propagate and push nothing.

        ``initiator`` (the panel or dialog that asked) travels in the change set.
        """
        case = self._require()
        with _as_case_error(label), case.transaction(label=label):
            result = edit(case)
        done = ChangeSet.of(
            result if isinstance(result, list) else [result], label=label, initiator=initiator
        )
        if done:
            self.undo_stack.push(command(self, label, list(done)))
            self.changed.emit(done)
        return list(done)

    def _replay(self, label: str, initiator: str, fn: Callable[[Case], list[Change]]) -> list[Change]:
        case = self._require()
        with _as_case_error(label), case.transaction(label=label):
            done = fn(case)
        self.changed.emit(ChangeSet.of(done, label=label, initiator=initiator))
        return done

    def replay_failed(self, what: str, exc: BaseException) -> None:
        """An undo or redo that could not be written (the transaction rolled back): say so, and drop the undo
        history, which no longer matches the file."""
        self.failed.emit(f"{what} could not be done: {exc}")
        QTimer.singleShot(0, self.undo_stack.clear)

    def _require(self) -> Case:
        if self._case is None:
            raise RuntimeError("no case is open")
        self._case.require_writable()
        return self._case
