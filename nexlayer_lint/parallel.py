"""Lint a big batch on several CPUs: the parent and forked children take chunks of the batch from
a shared queue until none is left; results come back in input order.

Not multiprocessing.Pool: importing it and starting a pool cost about 40 ms, a third of what a
whole 1,000-file run should take, while a fork of the warm parent (imports done, schema built)
costs a millisecond or two. The queue is a pipe holding one 4-byte token per chunk of (at most
16) files, written before the forks: every process reads one token at a time (a pipe read of 4
bytes is atomic), so a process that got quick files simply takes more chunks, and none waits
for another that got the big ones. Children send each chunk's results back through their own
pipe as one marshal record after its length (plain tuples: marshal is built in, pickle would
cost 5 ms more to import); a thread per pipe drains it, so no child ever waits on a full pipe.
If a child dies, the parent lints the chunks it took and did not report. Where fork is not
available (Windows) or the run has per-run state (a remote check, a schema warning that goes
with the first file), the caller lints in-process. A worker forked at start-up (headstart.py)
already holding this batch is adopted as the first child instead of forking one.
"""

from __future__ import annotations

import marshal
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from nexlayer_lint.model import Diagnostic, FileResult

# Below this many files per process the fork and the copying back cost more than they save.
MIN_FILES_PER_WORKER = 50
# Tokens must fit in the pipe before any process reads (64 KiB on Linux, 16 KiB elsewhere).
_MAX_CHUNKS = 4000
_TOKEN = struct.Struct("<I")
_LENGTH = struct.Struct("<I")  # before each record of results

Reader = Callable[[str, int], tuple[bytes, Any]]


def workers_for(count: int, linter: Any) -> int:
    """How many processes (the parent included) a batch of `count` files deserves; 0 or 1: in-process."""
    if linter.settings.remote or linter.schema.warning:
        return 0
    return processes_for(count)


def processes_for(count: int) -> int:
    """workers_for before the run is known: by the batch's size, the CPUs and fork alone."""
    override = os.environ.get("NEXLAYER_LINT_WORKERS", "")  # for tests and benchmarks
    if override.isdigit():
        wanted = min(int(override), count)
    else:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wanted = min(cpus, count // MIN_FILES_PER_WORKER)
    return wanted if wanted >= 2 and hasattr(os, "fork") else 0


def chunked(paths: Sequence[str], workers: int) -> list[list[str]]:
    """The batch in chunks for the queue: small chunks balance the work, but each costs a token,
    a record and a wake-up of the reader."""
    size = max(1, min(16, len(paths) // (workers * 8)), -(-len(paths) // _MAX_CHUNKS))
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def lint_files(linter: Any, paths: Sequence[str], read: Reader, workers: int,
               head_start: Any = None) -> Iterator[FileResult]:
    """Each path's FileResult, in the order given, linted by `workers` processes (this one included).

    `head_start` (headstart.py), if given, already holds this batch: it is the first child.
    """
    early = head_start.adopt(paths) if head_start is not None else None
    if early is not None:
        chunks, queue = early.chunks, early.queue
        first = _Child(early.pid, early.results, early.control, early.rest)
        children = [first] + [_fork(linter, chunks, queue, read) for _ in range(workers - 2)]
    else:
        chunks = chunked(paths, workers)
        queue = _queue(len(chunks))
        children = [_fork(linter, chunks, queue, read) for _ in range(workers - 1)] if queue >= 0 else []
    done: dict[int, list[FileResult]] = {}
    try:
        for child in children:  # threads only after the last fork
            child.start()
        for index in _claims(queue):
            done[index] = [_lint_one(linter, path, read) for path in chunks[index]]
        for child in children:
            done.update(child.results())
        for index, chunk in enumerate(chunks):
            # what a child took and never reported (it died), or all of it if nothing could fork
            yield from done.pop(index, None) or [_lint_one(linter, path, read) for path in chunk]
    finally:
        for child in children:
            child.stop()
        if queue >= 0:
            os.close(queue)


def _queue(count: int) -> int:
    """The read end of a pipe holding the tokens 0..count-1; -1 if no pipe can be made."""
    try:
        fd_read, fd_write = os.pipe()
    except OSError:
        return -1
    fill_queue(fd_write, count)
    return fd_read


def fill_queue(fd_write: int, count: int) -> None:
    """Write the tokens 0..count-1 and close the write end (4 bytes a token: never more than the pipe holds)."""
    try:
        os.write(fd_write, b"".join(_TOKEN.pack(i) for i in range(count)))
    finally:
        os.close(fd_write)  # once the tokens are gone, every reader sees the end of the queue


def _claims(queue: int) -> Iterator[int]:
    """Chunk numbers taken from the queue, one at a time, until it is empty."""
    while queue >= 0 and len(token := os.read(queue, _TOKEN.size)) == _TOKEN.size:
        yield _TOKEN.unpack(token)[0]


class _Child:
    """A forked child's pid and the read end of its pipe, drained into memory by a thread.

    A head start (headstart.py) whose batch was too big for its pipe is first sent the rest,
    `message` down `control`, by the same thread: the parent's own linting never waits on it.
    """

    def __init__(self, pid: int, fd: int, control: int = -1, message: bytes = b"") -> None:
        self.pid, self.fd = pid, fd
        self.control, self.message = control, message
        self.data: list[bytes] = []
        self.thread: Any = None

    def start(self) -> None:
        if self.fd < 0:
            return  # never forked: the chunks it would have taken stay in the queue
        import threading

        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        try:
            if self.control >= 0:
                control, self.control = self.control, -1
                _send(control, self.message)  # a child that died meanwhile: BrokenPipeError, nothing to drain
            while data := os.read(self.fd, 1 << 16):
                self.data.append(data)
        except OSError:
            pass  # what arrived is used; the parent lints the rest

    def results(self) -> Iterator[tuple[int, list[FileResult]]]:
        """(chunk number, results) for each chunk the child finished; a torn last record is dropped."""
        if self.thread is None:
            return
        self.thread.join()
        data = memoryview(b"".join(self.data))
        start = 0
        while start + _LENGTH.size <= len(data):
            end = start + _LENGTH.size + _LENGTH.unpack_from(data, start)[0]
            try:
                index, records = marshal.loads(data[start + _LENGTH.size:end])
            except (EOFError, ValueError, TypeError):  # torn by the child's death: the parent lints it
                return
            yield index, [_decode(record) for record in records]
            start = end

    def stop(self) -> None:
        if self.pid:
            try:
                if self.thread is None or self.thread.is_alive():  # the parent gave up early, or never started it
                    import signal  # here: only a run that gives up needs it

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
        if self.control >= 0:  # never started: the child got no work, and is gone now anyway
            os.close(self.control)
            self.control = -1


def _send(fd: int, data: bytes) -> None:
    """Write all of `data` to a pipe and close it (the reader takes it as one message at EOF)."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _fork(linter: Any, chunks: Sequence[Sequence[str]], queue: int, read: Reader) -> _Child:
    try:
        fd_read, fd_write = os.pipe()
    except OSError:
        return _Child(0, -1)  # out of file descriptors: the others take its share
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory (EAGAIN, ENOMEM): the others take its share
        os.close(fd_read)
        os.close(fd_write)
        return _Child(0, -1)
    if pid:
        os.close(fd_write)
        return _Child(pid, fd_read)
    # The child: serve, and leave without running the parent's exit handlers or flushing its
    # inherited buffers (os._exit).
    status = 1
    try:
        os.close(fd_read)
        serve(linter, chunks, queue, fd_write, read)
        status = 0
    finally:
        os._exit(status)


def serve(linter: Any, chunks: Sequence[Sequence[str]], queue: int, results: int, read: Reader) -> None:
    """A worker's loop: take chunks from the queue, send each one's results down `results` (closed at the end)."""
    with os.fdopen(results, "wb") as out:
        for index in _claims(queue):
            record = marshal.dumps((index, [_encode(_lint_one(linter, path, read)) for path in chunks[index]]))
            # Its length first: marshal.loads of a slice is ~50 times quicker than marshal.load
            # from a stream, which calls the stream's read for every object.
            out.write(_LENGTH.pack(len(record)) + record)
            out.flush()  # a finished chunk is the parent's even if this process dies next


def _lint_one(linter: Any, path: str, read: Reader) -> FileResult:
    raw, error = read(path, linter.settings.max_file_size)
    return linter.lint(raw, path) if error is None else FileResult(path, (), "", error)


def _encode(result: FileResult) -> tuple[Any, ...]:
    return (result.path, [tuple(d) for d in result.diagnostics], result.masked_text, result.error)


def _decode(record: tuple[Any, ...]) -> FileResult:
    path, diagnostics, masked_text, error = record
    return FileResult(path, tuple(Diagnostic(*fields) for fields in diagnostics), masked_text, error)
