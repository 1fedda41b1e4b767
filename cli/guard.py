"""One line on stderr and exit status 2 for user mistakes, shared by every command."""

from __future__ import annotations

import sys
from collections.abc import Callable

from caseboard.db.errors import CaseError

EXIT_USER = 2


def guarded(fn: Callable[[], int]) -> int:
    """Run a command, turning user mistakes and OS errors into one line on stderr and exit status 2."""
    try:
        return fn()
    except CaseError as exc:
        print(f"caseboard: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        print(f"caseboard: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USER
