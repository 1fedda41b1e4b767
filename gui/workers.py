"""The one way Caseboard runs work off the UI thread: ``Worker``.

A ``Worker`` stands for one kind of background operation (the quote search, a panel's load, the selection's
related items, reading a report, writing a PDF). Each ``submit``/``start`` bumps its generation counter and stops
the previous run: a database read is interrupted (``sqlite3.Connection.interrupt``), other work sees
``job.cancelled()`` turn true. Only the newest run's answer is delivered, on the UI thread, through
``finished(result)`` or ``failed(message)`` (or the ``on_result``/``on_failure`` callbacks); answers of replaced runs
are dropped, so a slow search for "n" can never overwrite the answer for "nonproliferation".

Reads get their own read-only connection (``Case.reader()``): a sqlite3 connection must not be shared with the UI
thread while it is in use. Every run goes to one private pool (``pool()``); ``wait_for_all`` waits for it (closing
a case, the command line, tests).
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
    """Let running work finish (window close, command line, tests) so no thread outlives its connection."""
    return pool().waitForDone(msecs)


class Job:
    """What a running operation may ask: has it been replaced (stop early), and how far along is it."""

    def __init__(self, owner: Worker, generation: int) -> None:
        self._owner = owner
        self.generation = generation

    def cancelled(self) -> bool:
        """True once a newer run or ``cancel()`` replaced this one: its answer would be dropped."""
        return not self._owner.is_current(self.generation)

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress; shown only while this run is the newest."""
        try:
            self._owner._relay.progress.emit(self.generation, done, total, message)
        except RuntimeError:  # the worker was deleted with its window
            pass

    def watch(self, conn: sqlite3.Connection | None) -> None:
        """Interrupt ``conn`` when this run is replaced (``None``: nothing to interrupt any more)."""
        self._owner._running(self.generation, conn)


class _Relay(QObject):
    """Lives on the UI thread; emitting from a pool thread makes the connection queued."""

    done = Signal(int, object, object)  # generation, result, error text (or None)
    progress = Signal(int, int, int, str)  # generation, done, total, message


class _Task(QRunnable):
    def __init__(self, owner: Worker, job: Job, fn: Callable[[Job], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay = owner._relay
        self._job = job
        self._fn = fn

    def run(self) -> None:
        if self._job.cancelled():
            return  # superseded before it even started
        result: Any = None
        error: str | None = None
        try:
            result = self._fn(self._job)
        except sqlite3.OperationalError as exc:
            error = "interrupted" if "interrupt" in str(exc) else str(exc)
        except Cancelled:
            error = "interrupted"
        except Exception as exc:  # reported to the UI thread, never lost silently in a pool thread
            error = _message(exc)
        try:
            self._relay.done.emit(self._job.generation, result, error)
        except RuntimeError:  # the relay was deleted with its window while we ran
            pass


class Cancelled(Exception):  # noqa: N818 - reads as "raise Cancelled"
    """Raised by an operation that noticed ``job.cancelled()``; ends the run quietly."""


def _message(exc: BaseException) -> str:
    """A user-facing first line, with the traceback after it for whoever reads the log."""
    from caseboard.db.errors import CaseError

    if isinstance(exc, (CaseError, OSError)):
        return str(exc)
    return f"{exc}\n{traceback.format_exc(limit=4)}"


class Worker(QObject):
    """One kind of background operation; only the newest run's answer is delivered (see the module docstring).

    ``finished(result)`` and ``failed(message)`` fire on the UI thread for the newest run; ``progress(done,
    total, message)`` while it runs. ``on_result``, ``on_failure`` and ``on_progress`` connect them in one line.
    """

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        on_result: Callable[[Any], object] | None = None,
        on_failure: Callable[[str], object] | None = None,
        on_progress: Callable[[int, int, str], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._generation = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._conn_generation = -1
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._relay.progress.connect(self._on_progress)
        self.busy = False
        #: Runs started and answers dropped because a newer run replaced them (tests, bench).
        self.started = 0
        self.dropped = 0
        if on_result is not None:
            self.finished.connect(on_result)
        if on_failure is not None:
            self.failed.connect(on_failure)
        if on_progress is not None:
            self.progress.connect(on_progress)

    @property
    def generation(self) -> int:
        return self._generation

    def is_current(self, generation: int) -> bool:
        return generation == self._generation

    def start(self, fn: Callable[[Job], Any]) -> int:
        """Run ``fn(job)`` on the pool, replacing any run still going; returns its generation."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            stale = self._conn
        if stale is not None:
            stale.interrupt()  # the old answer would be dropped anyway: stop spending time on it
        self.busy = True
        self.started += 1
        pool().start(_Task(self, Job(self, generation), fn))
        return generation

    def submit(self, case: Case, fn: Callable[..., Any], *args: Any) -> int:
        """Run ``fn(conn, *args)`` with a fresh read-only ``case.reader()`` connection; returns its generation."""

        def read(job: Job) -> Any:
            conn = case.reader()
            try:
                job.watch(conn)
                return fn(conn, *args)
            finally:
                job.watch(None)
                conn.close()

        return self.start(read)

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
            elif generation == self._generation:
                self._conn, self._conn_generation = conn, generation
            else:
                conn.interrupt()  # replaced while it was opening its connection

    @Slot(int, object, object)
    def _deliver(self, generation: int, result: object, error: object) -> None:
        if generation != self._generation:
            self.dropped += 1
            return
        self.busy = False
        if error is None:
            self.finished.emit(result)
        elif error != "interrupted":
            self.failed.emit(str(error))

    @Slot(int, int, int, str)
    def _on_progress(self, generation: int, done: int, total: int, message: str) -> None:
        if generation == self._generation:
            self.progress.emit(done, total, message)


#: A patch's answer when only a whole load can redraw the edit.
_WHOLE_LOAD = object()


class BackgroundLoadedPanel:
    """``set_case``, ``refresh`` and ``apply_changes`` for a panel that reads the whole case in the background.

    The panel provides ``_load(conn)`` (what to read), ``_apply(data | None)`` (show it), ``_patch`` (an edit's
    rows into the data it has) and a ``status`` label. Loads run on a ``Worker`` (``self._loader``): a newer
    load interrupts the one still reading, and an answer to a replaced load is dropped.
    """

    case: Case | None
    _fit_pending: bool
    status: Any
    _what = "the data"

    @property
    def _loader(self) -> Worker:
        loader = self.__dict__.get("_loader_worker")
        if loader is None:
            assert isinstance(self, QObject)
            loader = Worker(self, on_result=self._loaded, on_failure=self._load_failed)
            self.__dict__["_loader_worker"] = loader
        return loader

    @property
    def pending(self) -> bool:
        """A load or a patch is under way; ``loaded`` follows when it is drawn."""
        return self._loader.busy

    def _loaded(self, data: Any) -> None:
        """A load or a patch arrived (on the UI thread); a patch that could not be made asks for a whole load."""
        self.__dict__["_unapplied"] = []
        if data is _WHOLE_LOAD:
            self.refresh()
            return
        self._apply(data)

    def _load_failed(self, message: str) -> None:
        self.status.setText(f"Could not load {self._what}: {message.splitlines()[0]}")

    @staticmethod
    def _load(conn: sqlite3.Connection) -> Any:
        raise NotImplementedError

    def _apply(self, data: Any) -> None:
        raise NotImplementedError

    def set_case(self, case: Case | None) -> None:
        self.case = case
        self._fit_pending = True
        if case is None:
            self._loader.cancel()
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

    @staticmethod
    def _prepare(data: Any) -> Any:
        """Work the drawing needs done on the worker after a load or a patch (indexes, layout); returns data."""
        return data

    def apply_changes(self, changes: ChangeSet) -> None:
        """Patch what is drawn from the edit's rows, on the worker (at a million events even copying the arrays
        takes a while); fall back to a whole load when the patch cannot be made.

        Edits that arrive while a patch is under way are patched together, from the last data drawn, so none is
        lost when the newer job replaces the older one.
        """
        if self.case is None:
            return
        base = self.data
        if base is None:
            self.refresh()
            return
        pending: list[ChangeSet] = [*self.__dict__.get("_unapplied", []), changes]
        self.__dict__["_unapplied"] = pending
        patch, prepare = self._patch, self._prepare

        def patched(conn: sqlite3.Connection) -> Any:
            data = base
            for cs in pending:
                data = patch(conn, data, cs)
                if data is None:
                    return _WHOLE_LOAD
            return prepare(data)

        self._loader.submit(self.case, patched)

    def refresh(self, *, wait: bool = False) -> None:
        """Reload from the case (View > Reload, or an edit the panel cannot patch); ``wait=True`` loads on this
        thread (tests)."""
        if self.case is None:
            self._loader.cancel()
            return
        self.whole_loads += 1
        self.__dict__["_unapplied"] = []
        if wait:
            self._loader.cancel()
            self._apply(self._prepare(self._load(self.case.conn)))
            return
        self.status.setText("Loading\u2026")
        load, prepare = self._load, self._prepare
        self._loader.submit(self.case, lambda conn: prepare(load(conn)))
