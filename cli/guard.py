"""One line on stderr and exit status 2 for user mistakes, shared by every command."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable

from caseboard.db.errors import CaseError, sqlite_message

EXIT_USER = 2


def one_line(exc: CaseError | OSError) -> str:
    """The one line a user mistake or an OS error is reported in."""
    if isinstance(exc, OSError):
        return f"caseboard: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return f"caseboard: {exc}"


def guarded(fn: Callable[[], int]) -> int:
    """Run a command, turning user mistakes and OS errors into one line on stderr and exit status 2."""
    try:
        return fn()
    except (CaseError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            return 0
        print(one_line(exc), file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except sqlite3.Error as exc:  # disk full, a view where a table belongs: never a traceback
        print(f"caseboard: {sqlite_message(exc)}", file=sys.stderr)
        return EXIT_USER
    except UnicodeError as exc:
        print(
            f"caseboard: text that cannot be read in its encoding ({exc.__class__.__name__})", file=sys.stderr
        )
        return EXIT_USER
