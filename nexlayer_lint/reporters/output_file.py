"""Writing a report to `--output-file PATH` as a shell redirect (`> PATH`) would, but atomically.

- A new file, or an existing regular file, is replaced atomically (a reader never sees half a
  report): the text goes to a temporary file beside it, renamed over it. A new file gets the
  mode a redirect gives (0o666 less the umask); an existing one keeps its mode and owner. The
  temporary file is removed whatever fails. An existing file that cannot be renamed over (one
  mounted on its own, `docker run -v f:f`; one in a folder the run may not write) or whose owner
  a new file could not have is written in place, as a redirect writes it (atomic_write.write_over);
  a file with other names (hard links) is replaced, so no other name gets the report.
- A symlink, a named pipe or a device (`/dev/stdout`, `/dev/null`) is never replaced by a regular
  file: it is opened and written through, as a redirect does. A named pipe that nobody reads is
  an error ("nobody is reading the named pipe"), not a wait without end.
- Missing parent folders are created.
"""

from __future__ import annotations

import errno
import os
import stat

from nexlayer_lint.atomic_write import replace_file, write_all, write_over

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
    if mode is None:
        replace_file(path, data, None)
    elif stat.S_ISREG(mode):
        write_over(path, data, os.lstat(path), keep_links=False)
    else:
        _write_through(path, data)


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
        write_all(fd, data)
    finally:
        os.close(fd)
