"""Lint a big batch of files in forked worker processes; results come back in input order.

Only worth it when the batch is big: a worker costs a fork and every result is pickled back,
while a typical file lints in about a millisecond. Workers are forked from the parent after its
imports and schema are ready, so they start warm; where fork is not available (Windows) or the
run has per-run state (a remote check, a schema warning that goes with the first file), the
caller lints sequentially instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from nexlayer_lint.model import FileResult

# Below this many files per worker the fork and the pickling cost more than they save.
MIN_FILES_PER_WORKER = 100

Reader = Callable[[str, int], tuple[bytes, Any]]
_job: tuple[Any, Reader] | None = None  # (linter, read): set in the parent, inherited by forked workers


def workers_for(count: int, linter: Any) -> int:
    """How many worker processes a batch of `count` files deserves; 0 or 1 means lint in-process."""
    override = os.environ.get("NEXLAYER_LINT_WORKERS", "")  # for tests and benchmarks
    if override.isdigit():
        wanted = min(int(override), count)
    else:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wanted = min(cpus, count // MIN_FILES_PER_WORKER)
    if wanted < 2 or linter.settings.remote or linter.schema.warning:
        return 0
    import multiprocessing  # only now: it imports socket and more, which small runs never need

    return wanted if "fork" in multiprocessing.get_all_start_methods() else 0


def lint_files(linter: Any, paths: Sequence[str], read: Reader, workers: int) -> Iterator[FileResult]:
    """Each path's FileResult, in the order given, linted by `workers` forked processes."""
    global _job
    _job = (linter, read)
    chunk = max(1, min(64, len(paths) // (workers * 8)))
    import multiprocessing

    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_lint_path, paths, chunksize=chunk)
    finally:
        _job = None


def _lint_path(path: str) -> FileResult:
    assert _job is not None, "lint_files sets the job before forking"
    linter, read = _job
    raw, error = read(path, linter.settings.max_file_size)
    return linter.lint(raw, path) if error is None else FileResult(path, (), "", error)
