"""One line on stderr and exit status 2 for user mistakes, shared by every command."""

from __future__ import annotations

import sys
from collections.abc import Callable

from caseboard.db.errors import CaseError

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
