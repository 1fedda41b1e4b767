"""Errors the case file raises, each with a message a user can act on.

The GUI and the command line show ``str(error)`` as is, so messages name the file and say what to do; they never
need a traceback to be understood.
"""

from __future__ import annotations


class CaseError(Exception):
    """Base of every error Caseboard reports to a user."""


class CaseFileError(CaseError):
    """The file cannot be opened as a case at all (missing, not SQLite, not a case, damaged)."""


class NotSQLiteError(CaseFileError):
    pass


class NotACaseError(CaseFileError):
    pass


class DamagedCaseError(CaseFileError):
    pass


class CaseLockedError(CaseFileError):
    """Another program holds a write lock on the case file."""


class ReadOnlyError(CaseError):
    """An edit was attempted on a case opened read-only; the message says why it is read-only."""


class ValidationError(CaseError, ValueError):
    """A field value is wrong; ``field`` names the field so a form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFoundError(CaseError, LookupError):
    pass


class ReferencedError(CaseError):
    """A delete was refused because other facts refer to the row; ``dependents`` lists them."""

    def __init__(self, message: str, dependents: dict[str, int]) -> None:
        super().__init__(message)
        self.dependents = dependents


def sqlite_message(exc: BaseException) -> str:
    """One line for an SQLite error that reached the user (disk full, a view where a table should be …)."""
    text = str(exc)
    low = text.lower()
    if "full" in low:
        return "the disk is full; the change was not saved and the case is as it was before it"
    if "readonly" in low or "read-only" in low:
        return "the case file cannot be written here (read-only); nothing was changed"
    if "because it is a view" in low or "no such table" in low or "no such column" in low:
        return f"the case file's tables are not as Caseboard made them ({text}); open a backup copy instead"
    if "locked" in low or "busy" in low:
        return "the case file is locked by another program; try again when it is done"
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return f"the case file is damaged ({text}); open a backup copy instead"
    return f"the case file could not be read or written ({text})"


class StorageError(CaseError):
    """An SQLite error met while reading or writing a case, as one line a user can act on."""

    @classmethod
    def from_sqlite(cls, exc: BaseException) -> StorageError:
        return cls(sqlite_message(exc))
