"""Replacing a file atomically: a reader sees the old bytes or the new ones, never half of them;
and writing one in place where a new file would not be the same file, or cannot be put there
(write_over: `--fix` and `--output-file`)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def replace_file(path: str, data: bytes, mode: int | None, owner: tuple[int, int] | None = None) -> None:
    """Replace (or create) the regular file at `path` with `data`: written to a temporary file
    beside it, renamed over it. `mode` is the new file's (None: 0o666 less the umask, as a new
    file gets), `owner` its user and group (None: the run's); missing parent folders are
    created. The temporary file goes whatever fails."""
    folder = os.path.dirname(path) or os.curdir
    os.makedirs(folder, exist_ok=True)
    fd, temporary = _create_temporary(folder)
    try:
        try:
            write_all(fd, data)
            if owner is not None:
                created = os.fstat(fd)
                if (created.st_uid, created.st_gid) != owner:
                    os.fchown(fd, *owner)  # before the chmod below: chown clears set-id bits
        finally:
            os.close(fd)
        if mode is not None:  # a redirect truncates the file and so keeps its mode
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# Why a file could not be renamed over, where writing it in place still can: one mounted on its
# own (`docker run -v f:f`: EBUSY), one in a folder the run may not write (hunts 129 F2, 268 F2).
_IN_PLACE_ERRORS = (errno.EBUSY, errno.EXDEV, errno.EACCES, errno.EPERM, errno.EROFS)


def write_over(path: str, data: bytes, info: os.stat_result, keep_links: bool = True) -> None:
    """Write `data` over the existing regular file at `path` (`info`: its stat), as a shell
    redirect keeps it: replaced atomically, with its mode and owner, when a new file can be the
    same file to its readers; written in place when it has an owner a new file of this run could
    not have, when it cannot be renamed over (_IN_PLACE_ERRORS), or, with `keep_links`, when it
    has other names (hard links: a fixed file's other names are fixed too; a report's are not
    written through, as one may be a deployment file: hunt 271 F5)."""
    if not keep_links and info.st_nlink > 1:  # replaced, or not written at all (hunt 272 F1)
        replace_file(path, data, stat.S_IMODE(info.st_mode))
        return
    if info.st_nlink > 1 or not _may_give(info.st_uid, info.st_gid):
        overwrite_file(path, data)
        return
    try:
        replace_file(path, data, stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid))
    except OSError as exc:
        if exc.errno not in _IN_PLACE_ERRORS:
            raise
        overwrite_file(path, data)


def _may_give(uid: int, gid: int) -> bool:
    """Whether a new file of this run can be given this owner and group (chown's rule)."""
    if not hasattr(os, "geteuid"):
        return True  # Windows: no owner to keep
    euid = os.geteuid()
    return euid == 0 or (uid == euid and (gid == os.getegid() or gid in os.getgroups()))


def overwrite_file(path: str, data: bytes) -> None:
    """Write `data` over the file at `path` in place: the same file, its links, owner and extended
    attributes kept; not atomic (a reader may see it half written)."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | _CLOEXEC | _BINARY)
    try:
        write_all(fd, data)
    finally:
        os.close(fd)


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


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
