"""Lint a big batch on several CPUs: this process and forked children take chunks of the batch
from a shared queue until none is left; the results come back in input order.

Why not multiprocessing.Pool: importing it and starting a pool cost about 40 ms, a third of a
whole 1,000-file run, while forking this warm process (imports done, schema built) costs a
millisecond or two.

The queue is a pipe holding one 4-byte token (a chunk's number) per chunk, written before the
forks. Every process reads one token at a time (a pipe read of 4 bytes is atomic), so a process
that got quick files simply takes more chunks, and none waits for another that got slow ones.
A child sends the results of each chunk back through its own pipe, as a marshal record after
its length (plain tuples: marshal is built in, pickle would cost more to import); a thread per
child drains that pipe, so no child ever waits on a full pipe. If a child dies, this process
lints the chunks it took and did not report.
"""

from __future__ import annotations

import gc
import marshal
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from nexlayer_lint.model import Diagnostic, Edit, FileResult, Fix, Span

# Below this many files per process, the fork and the copying back cost more than they save.
MIN_FILES_PER_WORKER = 50
# Files per chunk: small chunks share the work evenly, but each costs a token, a record and a
# wake-up of the thread that reads the records.
MAX_CHUNK = 16
# All tokens are written before any process reads, so they must fit in the pipe at once
# (64 KiB on Linux, 16 KiB elsewhere): 4,000 tokens of 4 bytes.
_MAX_CHUNKS = 4000
_UINT32 = struct.Struct("<I")  # a token, and the length before each record of results

Reader = Callable[[str, int], tuple[bytes, Any]]


def workers_for(count: int, linter: Any) -> int:
    """How many processes (this one included) should lint `count` files; 0 or 1: just this one.

    A run with per-run state stays in one process: a remote check (requests in order, one
    client) or a schema warning (its NX900 goes with the first file only).
    """
    if linter.settings.remote or linter.schema.warning or not hasattr(os, "fork"):
        return 0
    override = os.environ.get("NEXLAYER_LINT_WORKERS", "")  # for tests and benchmarks
    if override.isascii() and override.isdigit():  # isdigit() alone is also true of "²", which int() refuses
        wanted = min(int(override), count)
    else:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wanted = min(cpus, count // MIN_FILES_PER_WORKER)
    return wanted if wanted >= 2 else 0


def chunked(paths: Sequence[str], workers: int) -> list[list[str]]:
    """The batch in chunks: about eight per process, at most MAX_CHUNK files each, and never
    more chunks than the queue holds."""
    size = min(MAX_CHUNK, len(paths) // (workers * 8))
    size = max(size, 1, -(-len(paths) // _MAX_CHUNKS))  # the last: ceil(len / _MAX_CHUNKS)
    return [list(paths[i : i + size]) for i in range(0, len(paths), size)]


def lint_files(linter: Any, paths: Sequence[str], read: Reader, workers: int) -> Iterator[FileResult]:
    """Each path's FileResult, in the order given, linted by `workers` processes (this one included)."""
    chunks = chunked(paths, workers)
    queue = _queue(len(chunks))
    # Out of the collector's reach while the batch runs (as the gc module's documentation advises
    # before a fork): its passes would otherwise write to every old object's header, and so copy
    # in each child the memory it shares with this process, for garbage that is not there.
    # A caller that froze objects itself keeps its own arrangement.
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    children = [_fork(linter, chunks, queue, read) for _ in range(workers - 1)] if queue >= 0 else []
    done: dict[int, list[FileResult]] = {}
    try:
        for child in children:  # threads only after the last fork: forking a threaded process is unsafe
            child.start()
        for index in _claims(queue):
            done[index] = [_lint_one(linter, path, read) for path in chunks[index]]
        for child in children:
            done.update(child.results())
        for index, chunk in enumerate(chunks):
            # what a child took and never reported (it died), or all of it if no pipe could be made
            yield from done.pop(index, None) or [_lint_one(linter, path, read) for path in chunk]
    finally:
        for child in children:
            child.stop()
        if queue >= 0:
            os.close(queue)
        if freezing:
            gc.unfreeze()


def _queue(count: int) -> int:
    """The read end of a pipe holding the tokens 0..count-1, its write end closed; -1 if no pipe."""
    try:
        fd_read, fd_write = os.pipe()
    except OSError:
        return -1
    try:
        os.write(fd_write, b"".join(_UINT32.pack(i) for i in range(count)))
    finally:
        os.close(fd_write)  # once the tokens are gone, every reader sees the end of the queue
    return fd_read


def _claims(queue: int) -> Iterator[int]:
    """Chunk numbers taken from the queue, one at a time, until it is empty."""
    while queue >= 0 and len(token := os.read(queue, _UINT32.size)) == _UINT32.size:
        yield _UINT32.unpack(token)[0]


class _Child:
    """A forked child's pid and the read end of its results pipe, drained into memory by a thread."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
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
            while data := os.read(self.fd, 1 << 16):
                self.data.append(data)
        except OSError:
            pass  # what arrived is used; this process lints the rest

    def results(self) -> Iterator[tuple[int, list[FileResult]]]:
        """(chunk number, results) for each chunk the child finished; a torn last record is dropped."""
        if self.thread is None:
            return
        self.thread.join()
        data = memoryview(b"".join(self.data))
        start = 0
        while start + _UINT32.size <= len(data):
            end = start + _UINT32.size + _UINT32.unpack_from(data, start)[0]
            try:
                index, records = marshal.loads(data[start + _UINT32.size : end])
            except (EOFError, ValueError, TypeError):  # torn by the child's death: linted here instead
                return
            yield index, [_decode(record) for record in records]
            start = end

    def stop(self) -> None:
        """Reap the child (killed first if it is still at work: the caller gave up early)."""
        if self.pid:
            try:
                if self.thread is None or self.thread.is_alive():
                    import signal

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
    # The child: serve, then leave with os._exit, so that it neither runs the parent's exit
    # handlers nor flushes output buffers it inherited (the parent prints them), and so that an
    # exception here never prints a traceback: whatever it did not report, the parent lints.
    status = 1
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it silently: the parent says so, once
        os.close(fd_read)
        _serve(linter, chunks, queue, fd_write, read)
        status = 0
    finally:
        os._exit(status)


def _serve(linter: Any, chunks: Sequence[Sequence[str]], queue: int, results: int, read: Reader) -> None:
    """A child's loop: take chunks from the queue, send each one's results down `results`."""
    with os.fdopen(results, "wb") as out:
        for index in _claims(queue):
            record = marshal.dumps((index, [_encode(_lint_one(linter, path, read)) for path in chunks[index]]))
            # Its length first: marshal.loads of a slice is much quicker than marshal.load from a
            # stream, which calls the stream's read for every object.
            out.write(_UINT32.pack(len(record)) + record)
            out.flush()  # a finished chunk is the parent's even if this process dies next


def _lint_one(linter: Any, path: str, read: Reader) -> FileResult:
    raw, error = read(path, linter.settings.max_file_size)
    return linter.lint(raw, path) if error is None else FileResult(path, (), "", error)


# marshal takes plain tuples only, not named tuples: a result goes as nested plain tuples.
_FIX = Diagnostic._fields.index("fix")


def _encode(result: FileResult) -> tuple[Any, ...]:
    return (result.path, [_encode_diagnostic(d) for d in result.diagnostics], result.masked_text, result.error)


def _decode(record: tuple[Any, ...]) -> FileResult:
    path, diagnostics, masked_text, error = record
    return FileResult(path, tuple(_decode_diagnostic(d) for d in diagnostics), masked_text, error)


def _encode_diagnostic(diagnostic: Diagnostic) -> tuple[Any, ...]:
    fix = diagnostic.fix
    if fix is None:
        return tuple(diagnostic)
    record: list[Any] = list(diagnostic)
    record[_FIX] = (fix.title, tuple((tuple(edit.span), edit.text) for edit in fix.edits), fix.applicability)
    return tuple(record)


def _decode_diagnostic(fields: tuple[Any, ...]) -> Diagnostic:
    diagnostic = Diagnostic(*fields)
    if diagnostic.fix is None:
        return diagnostic
    title, edits, applicability = diagnostic.fix
    fix = Fix(title, tuple(Edit(Span(*span), text) for span, text in edits), applicability)
    return diagnostic._replace(fix=fix)
