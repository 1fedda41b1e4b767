"""Writing an output file so that a failure never leaves a broken file or loses the old one.

Every export (PDF, CSV, KML, FtM, XLSX …) goes through :func:`atomic_output` (a file object) or
:func:`atomic_output_path` (a path, for libraries that only save to a file name). Both write a temporary file in the
output's own folder, flush it, ``fsync`` it, check its size, and only then rename it over the output. On any failure
the temporary file is removed, the old output stays as it was, and :class:`OutputWriteError` names the cause in one
line ("disk full", "permission denied", "read-only file system").

Why: a full disk used to let an export report success over a truncated PDF that had replaced a good one — the
write results were never checked before the rename.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from caseboard.db.errors import CaseError

#: errno values and the words the user sees.
CAUSES = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk full (quota exceeded)",
    errno.EFBIG: "file too large for this disk",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "input/output error on the disk",
}


class OutputWriteError(CaseError):
    """An output file could not be written; the old file (if any) is unchanged."""


class _Incomplete(OSError):
    """The file on disk is not what was written (a check of ours, not an errno from the system)."""


def cause_of(exc: BaseException) -> str:
    """Words for why a write failed, e.g. "disk full"."""
    if isinstance(exc, _Incomplete):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno in CAUSES:
        return CAUSES[exc.errno]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def write_failed(path: Path, exc: BaseException) -> OutputWriteError:
    kept = " (the old file is kept)" if path.exists() else ""
    return OutputWriteError(f'cannot write "{path}": {cause_of(exc)}{kept}')


class _CheckedFile(io.RawIOBase):
    """A raw binary writer that checks every ``os.write`` result and counts the bytes written."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        view = memoryview(b).cast("B")
        done = 0
        while done < len(view):
            n = os.write(self.fd, view[done:])
            if n <= 0:  # a short write of nothing: the disk took no more
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done += n
        self.written += done
        return done

    def fileno(self) -> int:
        return self.fd


def _finish(fd: int, expected: int | None, tmp: Path, out: Path) -> None:
    """fsync, compare the size on disk with what was written, keep the mode of the old file, rename."""
    os.fsync(fd)
    size = os.fstat(fd).st_size
    if expected is not None and size != expected:
        raise _Incomplete(f"the file on disk has {size} bytes instead of {expected}")
    try:
        mode = os.stat(out).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.fchmod(fd, mode)
    os.replace(tmp, out)
    with contextlib.suppress(OSError):  # make the rename itself durable
        dfd = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _temp(out: Path) -> tuple[int, Path]:
    if out.is_dir():
        raise OutputWriteError(f'cannot write "{out}": it is a folder; give a file name')
    if not out.parent.is_dir():
        raise OutputWriteError(f'cannot write "{out}": the folder "{out.parent}" does not exist')
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise write_failed(out, exc) from exc
    return fd, Path(name)


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str], mode: str = "wb", *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """Yield a file to write ``path``'s new content into; it replaces ``path`` only if every step succeeded.

    ``mode`` is "wb" (bytes) or "w" (text, with ``encoding`` and ``newline`` as for ``open``). Raises
    :class:`OutputWriteError` ("disk full" …) and leaves the old file in place on any failure, including an
    exception raised by the caller inside the ``with`` block (which is re-raised as it was).
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_output writes whole files: mode 'wb' or 'w', not {mode!r}")
    out = Path(path).absolute()
    fd, tmp = _temp(out)
    raw = _CheckedFile(fd)
    buffered = io.BufferedWriter(raw, buffer_size=1 << 16)
    f: IO[Any] = (
        io.TextIOWrapper(buffered, encoding=encoding, newline=newline) if mode == "w" else buffered  # type: ignore[assignment]
    )
    ok = False
    try:
        try:
            yield f
            f.flush()
            _finish(fd, raw.written, tmp, out)
            ok = True
        except OSError as exc:
            raise write_failed(out, exc) from exc
    finally:
        with contextlib.suppress(OSError, ValueError):
            f.close()  # closes the buffer and the raw writer, not the descriptor (closefd is ours)
        with contextlib.suppress(OSError):
            os.close(fd)
        if not ok:
            with contextlib.suppress(OSError):
                tmp.unlink()


@contextlib.contextmanager
def atomic_output_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder for a library that saves to a file name; then check and rename.

    The library must have written a non-empty file at the yielded path when the block ends.
    """
    out = Path(path).absolute()
    fd, tmp = _temp(out)
    os.close(fd)
    ok = False
    try:
        try:
            yield tmp
            size = tmp.stat().st_size
            if size == 0:
                raise _Incomplete("nothing was written")
            fd2 = os.open(tmp, os.O_RDWR)
            try:
                _finish(fd2, None, tmp, out)
            finally:
                os.close(fd2)
            ok = True
        except OSError as exc:
            raise write_failed(out, exc) from exc
    finally:
        if not ok:
            with contextlib.suppress(OSError):
                tmp.unlink()
