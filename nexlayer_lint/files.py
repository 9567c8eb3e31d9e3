"""Reading one named file for linting: bounded, never blocking on a pipe, errors as text.

Kept apart from the command line: the batch runner's forked workers (parallel.py) read with it.
"""

from __future__ import annotations

import os

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def read(path: str, limit: int) -> tuple[bytes, None] | tuple[bytes, str]:
    """The file's bytes (up to one past `limit`) and None, or b"" and why it could not be read."""
    try:
        # Opening a named pipe that nobody writes to blocks forever; non-blocking, it opens at once
        # and reads as empty. A pipe with a writer (`<(cat nexlayer.yaml)`) still reads in full.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
        try:
            # Up to one byte past the limit: enough for the loader to say "too large" without
            # holding it all. In 64 KiB reads, not one read(limit + 1): that would allocate the
            # whole limit (10 MiB) for every file, which cost more than reading a typical one.
            chunks, size = [], 0
            while size <= limit:
                try:
                    chunk = os.read(fd, min(1 << 16, limit + 1 - size))
                except BlockingIOError:
                    # A pipe whose writer has not written yet (a regular file never says so): only
                    # the open had to not wait; reads may. Switched only then, to save two
                    # system calls on every ordinary file.
                    os.set_blocking(fd, True)
                    continue
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks), None
        finally:
            os.close(fd)
    except FileNotFoundError:
        return b"", f"{path}: no such file"
    except IsADirectoryError:
        return b"", f"{path}: {_why_unsearched(path)}"
    except PermissionError:
        return b"", f"{path}: permission denied"
    except OSError as exc:
        return b"", f"{path}: cannot read: {exc.strerror or exc}"


def _why_unsearched(folder: str) -> str:
    """A folder is read only when a search could not list it (selection._walk): why, as the search
    saw it, by its absolute path (one longer than PATH_MAX, while the relative name is not: hunt
    55 F1)."""
    try:
        with os.scandir(os.path.abspath(folder)):
            return "is a directory"
    except OSError as exc:
        return f"cannot search this folder: {exc.strerror or exc}"
