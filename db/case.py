"""Opening, creating and closing case files, with the checks that keep a user's evidence safe.

Opening never changes a file it refuses: the file is first inspected through a read-only connection (is it
SQLite, is it a case, is it intact, which schema), and only a file that passes is opened for writing. A file that
cannot be written (read-only on disk, written by a newer Caseboard, open in another Caseboard) still opens, read
only, with ``Case.readonly_reason`` saying why.

Every connection is hardened for files that may come from someone else: no extension loading, untrusted schema
off (so triggers and views cannot call application functions), foreign keys on.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import itertools
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from caseboard.db import schema, values
from caseboard.db.errors import (
    CaseFileError,
    CaseLockedError,
    DamagedCaseError,
    NotACaseError,
    NotSQLiteError,
    ReadOnlyError,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

_savepoints = itertools.count()

SQLITE_HEADER = b"SQLite format 3\x00"
SUFFIX = ".case"
BUSY_TIMEOUT_MS = 3000

try:  # POSIX advisory locks keep two Caseboard windows from writing one file.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


# Integers come back as integers (or None), whatever the file holds there (see db/values.py). Not TEXT: Python
# hands a converter None for an empty string; not REAL: SQLite hands it 15 digits, fewer than a double holds.
# Those are checked by their readers instead.
sqlite3.register_converter("INTEGER", values.from_integer_column)


def _lenient_text(data: bytes) -> str:
    """TEXT that is not valid UTF-8 (possible in a file from elsewhere) reads with replacement characters
    instead of failing the whole query with "Could not decode to UTF-8"."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def _harden(conn: sqlite3.Connection) -> None:
    """Settings every connection gets, writable or not."""
    with contextlib.suppress(AttributeError, sqlite3.Error):
        conn.enable_load_extension(False)
    conn.text_factory = _lenient_text
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    setconfig = getattr(conn, "setconfig", None)  # Python >= 3.12
    if setconfig is not None:
        with contextlib.suppress(sqlite3.Error, AttributeError):
            setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)


def connect(path: str | os.PathLike[str], *, readonly: bool, query: str = "") -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), hardened; read-only via the URI.

    ``query`` replaces the URI's parameters (see :func:`read_only_access`): ``mode=ro&immutable=1`` for a file
    on read-only media, ``mode=rw`` with ``PRAGMA query_only`` for a read-only look that leaves no side files.
    """
    query = query or ("mode=ro" if readonly else "mode=rw")
    uri = Path(path).resolve().as_uri() + "?" + query
    conn = sqlite3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=False, detect_types=sqlite3.PARSE_DECLTYPES
    )
    _harden(conn)
    if readonly and "mode=rw" in query:
        conn.execute("PRAGMA query_only = ON")
    return conn


def side_file(path: Path, suffix: str) -> Path:
    """``CASE.case-wal``, ``-shm``, ``-journal``, ``-lock``."""
    return path.with_name(path.name + suffix)


@dataclass
class Access:
    """How to read a file without writing beside it: which file, which URI parameters, and why if it matters."""

    path: Path
    query: str
    note: str = ""
    tmpdir: Path | None = None

    def cleanup(self) -> None:
        if self.tmpdir is not None:
            import shutil

            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


def read_only_access(path: Path) -> Access:
    """The way to open ``path`` read-only that works on read-only media and leaves no -wal/-shm behind.

    - No side files and a writable folder: ``mode=rw`` with ``query_only`` — SQLite removes the -wal and -shm it
      makes when the last connection closes (a ``mode=ro`` connection cannot, and left them beside the case).
    - Side files present and a writable folder (another program has it open): ``mode=ro`` shares them.
    - Read-only folder or media: ``immutable=1`` (a WAL-mode file cannot be opened read-only there otherwise);
      if an unsaved -wal lies beside it, a temporary copy of the file with its -wal is read instead.
    """
    wal, shm, journal = (side_file(path, s) for s in ("-wal", "-shm", "-journal"))
    sides = [f for f in (wal, shm, journal) if f.exists()]
    if _writable(path):
        return Access(path, "mode=ro" if sides else "mode=rw")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        pending = False
    if pending or journal.exists():
        import shutil
        import tempfile

        tmpdir = Path(tempfile.mkdtemp(prefix="caseboard-ro-"))
        try:
            copy = tmpdir / path.name
            shutil.copyfile(path, copy)
            for f in (wal, journal):
                if f.exists():
                    shutil.copyfile(f, side_file(copy, f.name[len(path.name) :]))
        except OSError as exc:
            shutil.rmtree(tmpdir, ignore_errors=True)
            raise CaseFileError(f'"{path}" cannot be read: {exc.strerror or exc}.') from None
        return Access(copy, "mode=rw", "showing a temporary copy that includes its unsaved journal", tmpdir)
    return Access(path, "mode=ro&immutable=1")


def upgraded_copy(path: Path, access: Access) -> Access:
    """A temporary copy of an older case brought to this version's schema, for reading it without writing it.

    A read-only look at a case from an earlier Caseboard (read-only media, ``--read-only``, ``export``) must see
    the columns today's queries ask for; the file itself is never changed.
    """
    import shutil
    import tempfile

    tmpdir = Path(tempfile.mkdtemp(prefix="caseboard-up-"))
    copy = tmpdir / path.name
    try:
        src = connect(access.path, readonly=True, query=access.query)
        try:
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        conn = connect(copy, readonly=False)
        try:
            from sqlite_utils import Database

            schema.apply_migrations(Database(conn))
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise CaseFileError(f'"{path}" could not be read as this version\'s schema: {exc}.') from None
    access.cleanup()
    return Access(copy, "mode=ro", "showing an upgraded temporary copy; the file itself is unchanged", tmpdir)


@dataclass
class Inspection:
    """What a read-only look at a file found."""

    user_version: int
    applied: list[str]
    newer: bool
    #: triggers or views Caseboard did not create: the case opens read-only, saying so
    foreign: str = ""


def _fail_name(path: Path) -> str:
    return f'"{path}"'


def inspect_file(path: Path, *, check_integrity: bool = True) -> Inspection:
    """Check a file is an intact Caseboard case without writing to it; raise a CaseFileError otherwise.

    ``check_integrity=False`` skips ``PRAGMA quick_check``, which reads the whole file (seconds for a large
    case): for a quick "is this a case at all" answer when ``open_case`` will run the full check anyway.
    """
    name = _fail_name(path)
    if not path.exists():
        raise CaseFileError(f"{name} does not exist.")
    if path.is_dir():
        raise CaseFileError(f"{name} is a folder, not a case file.")
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except PermissionError:
        raise CaseFileError(f"{name} cannot be read: permission denied.") from None
    except OSError as exc:
        raise CaseFileError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    if len(header) == 0:
        raise NotSQLiteError(f"{name} is empty, not a Caseboard case file.")
    if not header.startswith(SQLITE_HEADER):
        raise NotSQLiteError(f"{name} is not a Caseboard case file (it is not an SQLite database).")
    if len(header) < 100:
        raise DamagedCaseError(f"{name} is damaged: the SQLite header is cut short.")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != schema.APPLICATION_ID:
        raise NotACaseError(
            f"{name} is an SQLite database but not a Caseboard case file (its application id is {app_id:#x})."
        )
    access = read_only_access(path)
    try:
        conn = connect(access.path, readonly=True, query=access.query)
    except sqlite3.Error as exc:
        access.cleanup()
        raise CaseFileError(f"{name} cannot be opened: {exc}.") from None
    try:
        check = conn.execute("PRAGMA quick_check").fetchall() if check_integrity else [("ok",)]
        if check != [("ok",)]:
            detail = "; ".join(str(r[0]) for r in check[:3])
            raise DamagedCaseError(f"{name} is damaged ({detail}). Open a backup copy instead.")
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        try:
            applied = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                    [schema.MIGRATION_SET],
                )
            ]
        except sqlite3.OperationalError:
            raise DamagedCaseError(f"{name} is damaged: its schema record is missing.") from None
        from caseboard.db import schema_check

        known = schema.known_migration_names()
        findings = schema_check.check_schema(conn, current=applied == known)
        if findings.missing:
            listed = ", ".join(findings.missing[:4]) + (" …" if len(findings.missing) > 4 else "")
            raise DamagedCaseError(
                f"{name} is damaged: its tables {listed} are missing. Open a backup copy instead."
            )
        foreign = schema_check.describe(findings) if not findings.clean else ""
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise CaseLockedError(
                f"{name} is locked by another program that is writing to it; close that program and try again."
            ) from None
        raise DamagedCaseError(f"{name} is damaged ({exc}). Open a backup copy instead.") from None
    finally:
        conn.close()
        access.cleanup()
    newer = user_version > schema.SCHEMA_VERSION or any(m not in set(known) for m in applied)
    return Inspection(user_version=user_version, applied=applied, newer=newer, foreign=foreign)


class Case:
    """An open case file: one write connection (or a read-only one) wrapped in a sqlite-utils Database."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly_reason: str = "") -> None:
        self.path = path
        self.conn = conn
        self._db: Database | None = None
        self.readonly_reason = readonly_reason
        self._lock_fd: int | None = None
        self._labels: list[str] = []
        #: How read-only connections reach the file (immutable on read-only media, or a temporary copy).
        self.access: Access | None = None
        #: The schema version of the file on disk (an older file read read-only is shown through an upgraded copy).
        self.file_schema_version: int | None = None

    @property
    def history_label(self) -> str:
        """The label of the running transaction's outermost labelled level, logged with each changed row."""
        return next((label for label in self._labels if label), "")

    @property
    def db(self) -> Database:
        """A sqlite-utils view of the connection, made on first use (its import is slow and rarely needed)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    # -- state ---------------------------------------------------------------------------------------------
    @property
    def readonly(self) -> bool:
        return bool(self.readonly_reason)

    def require_writable(self) -> None:
        if self.readonly_reason:
            raise ReadOnlyError(f"This case is open read-only: {self.readonly_reason}")

    @property
    def title(self) -> str:
        return self.get_info("title") or self.path.stem

    def get_info(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM case_info WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        self.require_writable()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO case_info(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- transactions ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, label: str = "") -> Iterator[Case]:
        """One atomic unit: BEGIN IMMEDIATE at the outermost level, savepoints inside.

        ``label`` names the action in the history log ("Rename actor", "Undo: Move place"); an outer label wins
        over inner ones, so one user action is logged under one name however its parts nest.
        """
        self._labels.append(label)
        try:
            with self._transaction():
                yield self
        finally:
            self._labels.pop()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Case]:
        if self.conn.in_transaction:
            name = f"sp{next(_savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            return
        self.require_writable()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise CaseLockedError(f"The case file is locked by another program ({exc}); try again.") from None
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- readers ---------------------------------------------------------------------------------------------
    def reader(self) -> sqlite3.Connection:
        """A separate read-only connection for a worker thread (WAL lets it read while the UI writes)."""
        if self.access is not None and "mode=rw" not in self.access.query:
            return connect(self.access.path, readonly=True, query=self.access.query)
        if self.access is not None:
            return connect(self.access.path, readonly=True)
        return connect(self.path, readonly=True)

    # -- lifecycle -------------------------------------------------------------------------------------------
    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                if not self.readonly:
                    self.conn.execute("PRAGMA optimize")
            self.conn.close()
        if self._lock_fd is not None:
            release_lock(self.path, self._lock_fd)
            self._lock_fd = None
        if self.access is not None:
            self.access.cleanup()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backup_to(self, target: str | os.PathLike[str]) -> Path:
        """Write a consistent copy with SQLite's online backup API (File > Save a Copy)."""
        from caseboard.db.atomic_write import OutputWriteError, atomic_output_path

        target = Path(target).absolute()
        made: list[Path] = []
        try:
            with atomic_output_path(target) as tmp:
                made.append(tmp)
                tmp.unlink()  # SQLite makes the file itself
                dest = sqlite3.connect(tmp)
                try:
                    self.conn.backup(dest)
                    dest.execute("PRAGMA journal_mode = DELETE")
                    if dest.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                        raise OSError(errno.EIO, "the copy did not pass SQLite's check")
                finally:
                    dest.close()
        except sqlite3.Error as exc:  # a full disk during the backup: the temporary file goes, no copy made
            for tmp in made:
                for side in ("-journal", "-wal", "-shm"):
                    with contextlib.suppress(OSError):
                        side_file(tmp, side).unlink(missing_ok=True)
            reason = "disk full" if "full" in str(exc).lower() else str(exc)
            raise OutputWriteError(f'cannot write "{target}": {reason}') from None
        return target


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-lock")


def _take_lock(path: Path) -> int | None:
    """Hold an exclusive advisory lock beside the file; None if another process holds it."""
    if fcntl is None:
        return -1
    lock = _lock_path(path)
    for _attempt in range(5):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return -1  # directory not writable: the case opens read-only for that reason anyway
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        # the holder removes the lock file when it closes: a lock taken on a file already unlinked is no lock
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except OSError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)
    return None


def take_lock(path: Path) -> int | None:
    """The advisory lock for writing ``path`` (a descriptor; -1 where locks are not available), or None if
    another Caseboard holds it."""
    return _take_lock(path)


def release_lock(path: Path, fd: int) -> None:
    """Remove the lock file while still holding it, then let go (see ``_take_lock``): none is left behind."""
    if fd < 0:
        return
    with contextlib.suppress(OSError):
        _lock_path(path).unlink()
    os.close(fd)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_case(path: str | os.PathLike[str], *, readonly: bool = False) -> Case:
    """Open an existing case file, upgrading its schema if it is older; see the module docstring."""
    path = Path(path).expanduser().absolute()
    found = inspect_file(path)
    reason = ""
    if readonly:
        reason = "opened read-only on request."
    elif found.newer:
        reason = "it was written by a newer version of Caseboard; upgrade Caseboard to edit it."
    elif found.foreign:
        reason = found.foreign + "."
    elif not _writable(path):
        reason = "the file or its folder is read-only on disk."
    lock_fd: int | None = -1
    if not reason:
        lock_fd = _take_lock(path)
        if lock_fd is None:
            reason = "it is open for editing in another Caseboard window."
            lock_fd = -1
    access: Access | None = None
    try:
        if reason:
            access = read_only_access(path)
            if not (found.newer or found.foreign) and len(found.applied) < schema.SCHEMA_VERSION:
                with contextlib.suppress(
                    CaseFileError
                ):  # then read it as it is: older queries may miss columns
                    access = upgraded_copy(path, access)
            if access.note:
                reason = f"{reason.rstrip('.')} ({access.note})."
            conn = connect(access.path, readonly=True, query=access.query)
        else:
            conn = connect(path, readonly=False)
        if not reason:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        if lock_fd not in (None, -1):
            os.close(lock_fd)
        if access is not None:
            access.cleanup()
        raise CaseFileError(f'"{path}" cannot be opened: {exc}.') from None
    case = Case(path, conn, readonly_reason=reason)
    case.access = access
    case.file_schema_version = found.user_version
    case._lock_fd = lock_fd if lock_fd not in (None, -1) else None
    if not reason and len(found.applied) < schema.SCHEMA_VERSION:
        try:
            schema.apply_migrations(case.db)
        except sqlite3.Error as exc:
            case.close()
            raise CaseFileError(f'"{path}" could not be upgraded to this version: {exc}.') from None
    return case


def create_case(
    path: str | os.PathLike[str], *, title: str, summary: str = "", overwrite: bool = False
) -> Case:
    """Create a new, empty case file; refuses to replace an existing file unless ``overwrite``."""
    path = Path(path).expanduser().absolute()
    if not title.strip():
        raise CaseFileError("A case needs a title.")
    if path.is_dir():
        raise CaseFileError(f'"{path}" is a folder; give a file name for the case.')
    if path.exists() and not overwrite:
        raise CaseFileError(f'"{path}" already exists; choose another name.')
    if not path.parent.is_dir():
        raise CaseFileError(f'Cannot create "{path}": the folder does not exist.')
    tmp = path.with_name(path.name + ".creating")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
    except sqlite3.Error as exc:
        raise CaseFileError(f'Cannot create "{path}": {exc}.') from None
    try:
        _harden(conn)
        from sqlite_utils import Database

        db = Database(conn, execute_plugins=False)
        schema.apply_migrations(db)
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        with db.atomic():
            conn.executemany(
                "INSERT INTO case_info(key, value) VALUES (?, ?)",
                [
                    ("title", title.strip()),
                    ("summary", summary),
                    ("created", now),
                    ("case_id", uuid.uuid4().hex),
                ],
            )
        conn.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, path)  # a case file appears whole or not at all
    return open_case(path)
