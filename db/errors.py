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
