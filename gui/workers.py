"""Run slow case reads off the UI thread and hand the answer back safely.

A ``Worker`` runs ``fn(conn, *args)`` on a thread pool with its own read-only connection (``Case.reader()``),
because a sqlite3 connection must not be shared with the UI thread while it is in use. The result comes back by
a queued signal, so the slot runs on the UI thread. Each submit bumps a generation counter and interrupts the
query still running for the previous one: a result that arrives after a newer request is dropped, so a slow
search for "n" can never overwrite the answer for "nonproliferation".
"""

from __future__ import annotations

import sqlite3
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from caseboard.db.case import Case
from caseboard.db.changeset import ChangeSet

_POOL: QThreadPool | None = None


def pool() -> QThreadPool:
    """The pool every worker uses: a few threads are plenty for SQLite reads on a laptop."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(max(2, min(4, QThreadPool.globalInstance().maxThreadCount())))
    return _POOL


def wait_for_all(msecs: int = 5000) -> bool:
    """Let running reads finish (window close, tests) so no thread outlives its connection."""
    return pool().waitForDone(msecs)


class _Relay(QObject):
    """Lives on the UI thread; emitting from a pool thread makes the connection queued."""

    done = Signal(int, object, object)  # generation, result, error text (or None)


class _Task(QRunnable):
    def __init__(self, relay: _Relay, owner: Worker, generation: int, case: Case, fn: Callable, args: tuple):
        super().__init__()
        self.setAutoDelete(True)
        self._relay = relay
        self._owner = owner
        self._generation = generation
        self._case = case
        self._fn = fn
        self._args = args

    def run(self) -> None:
        if not self._owner.is_current(self._generation):
            return  # superseded before it even started
        result: Any = None
        error: str | None = None
        conn: sqlite3.Connection | None = None
        try:
            conn = self._case.reader()
            self._owner._running(self._generation, conn)
            result = self._fn(conn, *self._args)
        except sqlite3.OperationalError as exc:
            error = "interrupted" if "interrupt" in str(exc) else str(exc)
        except Exception as exc:  # reported to the UI thread, never lost silently in a pool thread
            error = f"{exc}\n{traceback.format_exc(limit=4)}"
        finally:
            self._owner._running(self._generation, None)
            if conn is not None:
                conn.close()
        try:
            self._relay.done.emit(self._generation, result, error)
        except RuntimeError:  # the relay was deleted with its window while we ran
            pass


class Worker(QObject):
    """One kind of background read (e.g. "quote search"); only the latest request's answer is delivered.

    ``finished(result)`` fires on the UI thread for the newest submit; ``failed(message)`` when it raised.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._conn_generation = -1
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self.busy = False

    @property
    def generation(self) -> int:
        return self._generation

    def is_current(self, generation: int) -> bool:
        return generation == self._generation

    def submit(self, case: Case, fn: Callable[..., Any], *args: Any) -> int:
        """Run ``fn(conn, *args)`` on the pool with a fresh ``case.reader()`` connection; returns its generation."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            stale = self._conn
        if stale is not None:
            stale.interrupt()  # the old answer would be dropped anyway: stop spending time on it
        self.busy = True
        pool().start(_Task(self._relay, self, generation, case, fn, args))
        return generation

    def cancel(self) -> None:
        """Forget whatever is running (a case was closed, a panel cleared)."""
        with self._lock:
            self._generation += 1
            stale = self._conn
        if stale is not None:
            stale.interrupt()
        self.busy = False

    def _running(self, generation: int, conn: sqlite3.Connection | None) -> None:
        with self._lock:
            if conn is None:
                if self._conn_generation == generation:
                    self._conn, self._conn_generation = None, -1
            else:
                self._conn, self._conn_generation = conn, generation

    @Slot(int, object, object)
    def _deliver(self, generation: int, result: object, error: object) -> None:
        if generation != self._generation:
            return
        self.busy = False
        if error is None:
            self.finished.emit(result)
        elif error != "interrupted":
            self.failed.emit(str(error))


class PanelLoader(QObject):
    """A panel's whole-case load on the pool, through its own read-only connection.

    The panel numbers its requests; ``done(generation, data)`` and ``failed(generation, message)`` carry that
    number back so the panel can drop answers to requests it has since replaced.
    """

    done = Signal(int, object)
    failed = Signal(int, str)

    def start(self, case: Case, generation: int, load: Callable[[sqlite3.Connection], Any]) -> None:
        pool().start(_PanelLoad(self, case, generation, load))


class _PanelLoad(QRunnable):
    def __init__(self, loader: PanelLoader, case: Case, generation: int, load: Callable) -> None:
        super().__init__()
        self._loader, self._case, self._generation, self._load = loader, case, generation, load

    def run(self) -> None:
        try:
            conn = self._case.reader()
            try:
                data = self._load(conn)
            finally:
                conn.close()
        except Exception as exc:  # shown in the panel, never a crash on a worker thread
            self._loader.failed.emit(self._generation, str(exc))
            return
        self._loader.done.emit(self._generation, data)


class BackgroundLoadedPanel:
    """``set_case`` and ``refresh`` for a panel that reads the whole case in the background (timeline, map).

    The panel provides ``_load(conn)`` (what to read), ``_apply(data | None)`` (show it), a ``status`` label and
    a ``_loader`` (PanelLoader) whose ``done`` goes to ``_on_loaded``; each request is numbered by ``_gen`` so an
    answer to a replaced request is dropped.
    """

    case: Case | None
    _gen: int
    _fit_pending: bool
    _loader: PanelLoader
    status: Any

    @staticmethod
    def _load(conn: sqlite3.Connection) -> Any:
        raise NotImplementedError

    def _apply(self, data: Any) -> None:
        raise NotImplementedError

    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._fit_pending = True
        if case is None:
            self._gen += 1
            self._apply(None)
            return
        self.refresh()

    #: How many whole-case loads this panel started (an edit should need none: tests and bench count them).
    whole_loads = 0
    #: table -> columns the panel draws (see ``gui.commands.ChangeListener``).
    draws: Any = {}
    data: Any

    @staticmethod
    def _patch(conn: sqlite3.Connection, data: Any, changes: ChangeSet) -> Any:
        """``data`` with ``changes`` applied, reading only the touched rows; None when a whole load is needed."""
        return None

    def apply_changes(self, changes: ChangeSet) -> None:
        """Patch what is drawn from the edit's rows; fall back to a whole load (on the pool) when it cannot."""
        if self.case is None:
            return
        patched = None if self.data is None else self._patch(self.case.conn, self.data, changes)
        if patched is None:
            self.refresh()
            return
        self._gen += 1  # a whole load still under way would bring older rows
        self._apply(patched)

    def refresh(self, *, wait: bool = False) -> None:
        """Reload from the case (after edits); ``wait=True`` loads on this thread (reports, tests)."""
        self._gen += 1
        if self.case is None:
            return
        self.whole_loads += 1
        if wait:
            self._apply(self._load(self.case.conn))
            return
        self.status.setText("Loading\u2026")
        self._loader.start(self.case, self._gen, self._load)
