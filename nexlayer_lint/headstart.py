"""A head start for big batches: a worker forked before the command line is parsed.

A run over many files first imports click and reads its options, config and file list, then
imports the YAML and schema stack and builds its linter, and only then starts linting: about
100 ms in which the second CPU has nothing to do. When the arguments alone look like a big
batch, `start()` (from the console script, before click is imported) forks a child at once. The
child imports the lint stack and builds the bundled schema while the parent is still in click,
then waits. As soon as `check` knows its settings and files, `hand_over()` sends the child the
settings and the batch's chunks, and the child starts taking chunks from the queue while the
parent is still importing. parallel.lint_files then adopts it as its first worker. If the run
is not a parallel one after all (few files, a remote check, a schema from the network, stdin,
another command, an error), the child is killed unused (`dismiss()`).

The child builds its linter from the settings the same way the parent does, which is why a
schema from the network rules it out: the two would fetch it separately. tests/test_headstart.py
holds its results to a single process's.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Sequence
from typing import Any, NamedTuple

# The batch size at which parallel.processes_for gives two processes (2 x MIN_FILES_PER_WORKER).
# Arguments are counted before any option is understood: only a first guess, which hand_over()
# confirms or dismisses.
MIN_ARGUMENTS = 100
# Arguments that rule out a parallel check before click has read anything.
_NOT_A_BATCH = frozenset({"rule", "schema", "server", "--remote", "-", "--help", "-h", "--version"})


class Handed(NamedTuple):
    """The head start as parallel.lint_files takes it over: its batch, pid and pipes."""

    chunks: list[list[str]]
    queue: int  # read end of the token queue, its tokens written
    pid: int
    results: int  # read end of the child's results pipe
    control: int  # write end of the child's control pipe, or -1 once all is sent
    rest: bytes  # what the pipe could not take yet of the message (a batch of thousands)


class HeadStart:
    """The parent's end of a head start: the child's pid and the three pipes it shares with it."""

    def __init__(self, pid: int, control: int, queue_read: int, queue_write: int, results: int) -> None:
        self.pid = pid
        self.control, self.queue_read, self.queue_write, self.results = control, queue_read, queue_write, results
        self.batch: tuple[list[str], list[list[str]], bytes] | None = None  # paths, chunks, unsent message

    def hand_over(self, settings: Any, paths: list[str]) -> None:
        """Send the child this run now if it will be parallel and the child can build its schema
        alone (not over the network); otherwise dismiss it."""
        from nexlayer_lint.parallel import chunked, fill_queue, processes_for

        workers = 0 if "-" in paths else processes_for(len(paths))
        schema = settings.schema
        if workers < 2 or settings.remote or schema == "remote" or schema.startswith(("https://", "http://")):
            self.dismiss()
            return
        chunks = chunked(paths, workers)
        try:
            message = marshal.dumps((dict(vars(settings)), chunks))
        except ValueError:  # a setting marshal cannot carry: the run forks its workers later
            self.dismiss()
            return
        fill_queue(self.queue_write, len(chunks))
        self.queue_write = -1
        rest = _send_what_fits(self.control, message)
        if not rest:  # all sent (or the child is gone): the end of the pipe ends the message
            os.close(self.control)
            self.control = -1
        self.batch = (list(paths), chunks, rest)

    def adopt(self, paths: Sequence[str]) -> Handed | None:
        """For parallel.lint_files: the child and its pipes, now the caller's to close and reap;
        None (and the child dismissed) if it was not handed this very batch."""
        batch = self.batch
        if batch is None or batch[0] != list(paths):
            self.dismiss()
            return None
        handed = Handed(batch[1], self.queue_read, self.pid, self.results, self.control, batch[2])
        self._forget()
        return handed

    def dismiss(self) -> None:
        """Kill and reap the child, and close the parent's ends of the pipes."""
        if self.pid:
            import signal  # here, not at start-up: every run imports this module, few dismiss

            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
        for fd in (self.control, self.queue_read, self.queue_write, self.results):
            if fd >= 0:
                os.close(fd)
        self._forget()

    def _forget(self) -> None:
        global _current
        self.pid = 0
        self.control = self.queue_read = self.queue_write = self.results = -1
        self.batch = None
        if _current is self:
            _current = None


def _send_what_fits(fd: int, message: bytes) -> bytes:
    """Write what the pipe takes now, without waiting; the rest, if any, is sent by parallel's thread."""
    os.set_blocking(fd, False)
    view = memoryview(message)
    try:
        while view:
            view = view[os.write(fd, view):]
    except BlockingIOError:
        pass
    except BrokenPipeError:  # the child is gone: parallel finds no results and lints it all itself
        return b""
    finally:
        os.set_blocking(fd, True)
    return bytes(view)


_current: HeadStart | None = None


def start(arguments: Sequence[str]) -> None:
    """Fork the head start if `arguments` (the command line after the program) look like a big batch."""
    global _current
    if not _wanted(arguments):
        return
    pipes: list[int] = []
    try:
        for _ in range(3):
            pipes.extend(os.pipe())
        pid = os.fork()
    except OSError:  # out of descriptors or processes: the run forks its workers later, as usual
        for fd in pipes:
            os.close(fd)
        return
    control_read, control_write, queue_read, queue_write, results_read, results_write = pipes
    if pid == 0:
        _child(control_read, queue_read, results_write, (control_write, queue_write, results_read))
    for fd in (control_read, results_write):
        os.close(fd)
    _current = HeadStart(pid, control_write, queue_read, queue_write, results_read)


def hand_over(settings: Any, paths: list[str]) -> None:
    """`check` knows its settings and files: give them to the head start, or dismiss it."""
    if _current is not None:
        _current.hand_over(settings, paths)


def take() -> HeadStart | None:
    """The head start, if one is waiting, for parallel.lint_files to adopt."""
    return _current


def dismiss() -> None:
    """Kill the head start if nobody adopted it (the console script calls this when a run ends)."""
    if _current is not None:
        _current.dismiss()


def _wanted(arguments: Sequence[str]) -> bool:
    if len(arguments) < MIN_ARGUMENTS or not hasattr(os, "fork") or _NOT_A_BATCH.intersection(arguments):
        return False
    override = os.environ.get("NEXLAYER_LINT_WORKERS", "")
    if override.isdigit():
        return int(override) >= 2
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus >= 2


def _child(control: int, queue: int, results: int, parents_ends: tuple[int, ...]) -> None:
    """The head start itself: import, build the bundled schema, wait for work, serve; never returns."""
    status = 1
    try:
        for fd in parents_ends:
            os.close(fd)
        from nexlayer_lint import parallel
        from nexlayer_lint.config import Settings
        from nexlayer_lint.engine import Linter
        from nexlayer_lint.files import read

        Linter(Settings()).schema  # the bundled schema, built while the parent is still in click
        message = _read_to_end(control)
        if message:
            fields, chunks = marshal.loads(message)
            parallel.serve(Linter(Settings(**fields)), chunks, queue, results, read)
        status = 0
    finally:
        # Leave without the parent's exit handlers and buffers, and without a traceback: whatever
        # this child does not report, the parent lints itself.
        os._exit(status)


def _read_to_end(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)
