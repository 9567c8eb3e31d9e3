"""Writing a report to `--output-file PATH` as a shell redirect (`> PATH`) would, but atomically.

- A new file, or an existing regular file, is replaced atomically (a reader never sees half a
  report): the text goes to a temporary file beside it, renamed over it. A new file gets the
  mode a redirect gives (0o666 less the umask); an existing one keeps its mode. The temporary
  file is removed whatever fails.
- A symlink, a named pipe or a device (`/dev/stdout`, `/dev/null`) is never replaced by a regular
  file: it is opened and written through, as a redirect does. A named pipe that nobody reads is
  an error ("nobody is reading the named pipe"), not a wait without end.
- Missing parent folders are created.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def write_report(path: str, text: str) -> None:
    """Write `text` as UTF-8 to `path`; raises OSError with the reason."""
    # The reporters print no lone surrogate; should one slip through, it is written escaped
    # rather than crash the run with the report unwritten.
    data = text.encode("utf-8", "backslashreplace")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(path, data)
    else:
        _replace(path, data, None if mode is None else stat.S_IMODE(mode))


def _write_through(path: str, data: bytes) -> None:
    try:
        # O_NONBLOCK: opening a named pipe with no reader fails at once (ENXIO) instead of blocking.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NONBLOCK | _CLOEXEC | _BINARY, 0o666)
    except OSError as exc:
        if exc.errno == errno.ENXIO and stat.S_ISFIFO(os.stat(path).st_mode):
            raise OSError(errno.ENXIO, "nobody is reading the named pipe", path) from None
        raise
    try:
        os.set_blocking(fd, True)  # a reader that is slow is waited for
        _write_all(fd, data)
    finally:
        os.close(fd)


def _replace(path: str, data: bytes, mode: int | None) -> None:
    folder = os.path.dirname(path) or os.curdir
    os.makedirs(folder, exist_ok=True)
    fd, temporary = _create_temporary(folder)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        if mode is not None:  # a redirect truncates the file and so keeps its mode
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _create_temporary(folder: str) -> tuple[int, str]:
    """A new file in `folder`, created with 0o666 so that the umask applies as to any new file
    (tempfile's are 0o600). The name is short: the report's own name may be at the length limit."""
    for _ in range(100):
        temporary = os.path.join(folder, f".nexlayer-lint.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
