"""Facts about the installed program that every layer may need: its version and the user's demo copy.

A leaf module (it imports nothing of Caseboard at load time) so the command line, the window and the PDF
export can all ask for the version without importing each other.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def app_version() -> str:
    try:
        return version("caseboard")
    except PackageNotFoundError:  # running from a tree that was never installed
        return "0+unknown"


def demo_path() -> Path:
    """Where the user's own copy of the demo case lives (edits never touch the installed files)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("caseboard", appauthor=False)) / "demo.case"


def ensure_demo() -> Path:
    """The user's demo copy, written on first use; a damaged copy is set aside and written anew."""
    from caseboard.db.case import inspect_file
    from caseboard.db.demo import write_demo
    from caseboard.db.errors import CaseError

    path = demo_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        try:
            inspect_file(path)
            return path
        except CaseError:
            path.rename(path.with_name(path.name + ".damaged"))
    write_demo(path).close()
    return path
