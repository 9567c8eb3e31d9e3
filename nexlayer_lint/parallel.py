"""Lint a big batch on several CPUs: forked children take the later slices of the batch, the
parent lints the first slice itself and then reads theirs; results come back in input order.

Not multiprocessing.Pool: importing it and starting a pool cost about 40 ms, a third of what a
whole 1,000-file run should take, while a fork of the warm parent (imports done, schema built)
costs a millisecond or two. Children send their results through a pipe as marshal records
(plain tuples: marshal is built in, pickle would cost 5 ms more to import), and a thread per
pipe drains it, so no child ever waits on a full pipe. If a child dies, the parent lints the
files it did not report. Where fork is not available (Windows) or the run has per-run state (a
remote check, a schema warning that goes with the first file), the caller lints in-process.
"""

from __future__ import annotations

import io
import marshal
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from nexlayer_lint.model import Diagnostic, FileResult

# Below this many files per process the fork and the copying back cost more than they save.
MIN_FILES_PER_WORKER = 50

Reader = Callable[[str, int], tuple[bytes, Any]]


def workers_for(count: int, linter: Any) -> int:
    """How many processes (the parent included) a batch of `count` files deserves; 0 or 1: in-process."""
    override = os.environ.get("NEXLAYER_LINT_WORKERS", "")  # for tests and benchmarks
    if override.isdigit():
        wanted = min(int(override), count)
    else:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wanted = min(cpus, count // MIN_FILES_PER_WORKER)
    if wanted < 2 or linter.settings.remote or linter.schema.warning or not hasattr(os, "fork"):
        return 0
    return wanted


def lint_files(linter: Any, paths: Sequence[str], read: Reader, workers: int) -> Iterator[FileResult]:
    """Each path's FileResult, in the order given, linted by `workers` processes (this one included)."""
    size = -(-len(paths) // workers)  # contiguous slices, the last one maybe shorter
    slices = [paths[i:i + size] for i in range(0, len(paths), size)]
    children = [_fork(linter, part, read) for part in slices[1:]]  # all forks before any thread starts
    try:
        for child in children:
            child.start()
        for path in slices[0]:
            yield _lint_one(linter, path, read)
        for child, part in zip(children, slices[1:]):
            yield from child.results(linter, part, read)
    finally:
        for child in children:
            child.stop()


class _Child:
    """A forked child's pid and the read end of its pipe, drained into memory by a thread."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.chunks: list[bytes] = []
        self.thread: Any = None

    def start(self) -> None:
        if self.fd < 0:
            return  # never forked: results() lints the whole slice
        import threading

        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        try:
            while chunk := os.read(self.fd, 1 << 16):
                self.chunks.append(chunk)
        except OSError:
            pass  # what arrived is used; results() lints the rest here

    def results(self, linter: Any, part: Sequence[str], read: Reader) -> Iterator[FileResult]:
        if self.thread is not None:
            self.thread.join()
        stream = io.BytesIO(b"".join(self.chunks))
        done = 0
        for _ in part:
            try:
                record = marshal.load(stream)
            except (EOFError, ValueError, TypeError):
                break  # the child died early: what it did not send is linted here
            yield _decode(record)
            done += 1
        for path in part[done:]:
            yield _lint_one(linter, path, read)

    def stop(self) -> None:
        if self.pid:
            try:
                if self.thread is None or self.thread.is_alive():  # the parent gave up early, or never started it
                    os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
            self.pid = 0
        if self.thread is not None:
            self.thread.join()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _fork(linter: Any, part: Sequence[str], read: Reader) -> _Child:
    try:
        fd_read, fd_write = os.pipe()
    except OSError:
        return _Child(0, -1)  # out of file descriptors: this slice is linted here
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory (EAGAIN, ENOMEM): this slice is linted here
        os.close(fd_read)
        os.close(fd_write)
        return _Child(0, -1)
    if pid:
        os.close(fd_write)
        return _Child(pid, fd_read)
    # The child: lint its slice, send each result, and leave without running the parent's exit
    # handlers or flushing its inherited buffers (os._exit).
    status = 1
    try:
        os.close(fd_read)
        with os.fdopen(fd_write, "wb") as out:
            for path in part:
                marshal.dump(_encode(_lint_one(linter, path, read)), out)
        status = 0
    finally:
        os._exit(status)


def _lint_one(linter: Any, path: str, read: Reader) -> FileResult:
    raw, error = read(path, linter.settings.max_file_size)
    return linter.lint(raw, path) if error is None else FileResult(path, (), "", error)


def _encode(result: FileResult) -> tuple[Any, ...]:
    return (result.path, [tuple(d) for d in result.diagnostics], result.masked_text, result.error)


def _decode(record: tuple[Any, ...]) -> FileResult:
    path, diagnostics, masked_text, error = record
    return FileResult(path, tuple(Diagnostic(*fields) for fields in diagnostics), masked_text, error)
