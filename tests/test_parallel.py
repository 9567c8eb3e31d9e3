"""Big batches lint in forked workers: the same report, in the same order, as one process gives."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nexlayer_lint import parallel
from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")

GOOD = (ROOT / "examples" / "good" / "nexlayer.yaml").read_text(encoding="utf-8")
BROKEN = (ROOT / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8")


def make_batch(root: Path, count: int) -> list[str]:
    """Clean, broken, unparseable and missing files, interleaved so order mistakes show."""
    paths = []
    for i in range(count):
        kind = i % 4
        path = root / f"{i:03d}" / "nexlayer.yaml"
        path.parent.mkdir(parents=True)
        if kind == 0:
            path.write_text(GOOD.replace("bookshop", f"shop-{i}"), encoding="utf-8")
        elif kind == 1:
            path.write_text(BROKEN, encoding="utf-8")
        elif kind == 2:
            path.write_text(f"application:\n  name: [unclosed-{i}\n", encoding="utf-8")
        # kind 3: the file is missing, a read error
        paths.append(str(path.relative_to(root)))
    return paths


def run(root: Path, paths: list[str], workers: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEXLAYER_LINT_WORKERS": workers}
    return subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", "check", "--isolated", "--format", "json", *paths],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=300,
    )


def test_workers_give_the_same_report_in_the_same_order(tmp_path: Path) -> None:
    paths = make_batch(tmp_path, 40)
    one, two = run(tmp_path, paths, "0"), run(tmp_path, paths, "2")
    assert one.returncode == two.returncode == 2  # the missing ones
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    report = json.loads(two.stdout)
    assert [f["path"] for f in report["files"]] == paths
    codes = [{d["code"] for d in f["diagnostics"]} for f in report["files"][:4]]
    assert codes[0] == set() and codes[1] and codes[2] == {"NX001"}
    assert report["files"][3]["error"] is not None


def test_only_big_batches_get_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEXLAYER_LINT_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    linter = Linter(Settings())
    assert parallel.workers_for(1, linter) == 0
    assert parallel.workers_for(parallel.MIN_FILES_PER_WORKER - 1, linter) == 0
    assert parallel.workers_for(2 * parallel.MIN_FILES_PER_WORKER, linter) == 2
    assert parallel.workers_for(100 * parallel.MIN_FILES_PER_WORKER, linter) == 4
    # per-run state (the remote check) keeps a run in one process
    assert parallel.workers_for(10_000, Linter(Settings(remote=True))) == 0
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", "²")  # str.isdigit() is true of it, int() refuses it
    assert parallel.workers_for(100 * parallel.MIN_FILES_PER_WORKER, linter) == 4


def _read(path: str, limit: int) -> tuple[bytes, str | None]:
    try:
        return Path(path).read_bytes()[: limit + 1], None
    except OSError as exc:
        return b"", f"{path}: {exc.strerror}"


def test_a_child_that_dies_loses_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = make_batch(tmp_path, 12)
    linter = Linter(Settings())
    parent = os.getpid()

    def dies_in_the_child(path: str, limit: int) -> tuple[bytes, str | None]:
        if os.getpid() != parent and path == paths[8]:
            os._exit(3)  # as if killed: files 6 and 7 were sent, 8 to 11 were not
        return _read(path, limit)

    alone = [parallel._lint_one(linter, path, _read) for path in paths]
    together = list(parallel.lint_files(linter, paths, dies_in_the_child, 2))
    assert together == alone
    assert [r.path for r in together] == paths


def test_a_record_torn_by_a_dying_child_is_dropped_and_the_ones_before_kept() -> None:
    whole = [parallel._encode(parallel.FileResult(f"{i}/nexlayer.yaml", (), "", None)) for i in range(2)]
    records = [parallel.marshal.dumps((index, [record])) for index, record in enumerate(whole)]
    sent = b"".join(parallel._UINT32.pack(len(r)) + r for r in records)
    for cut in (len(sent) - 1, len(sent) - len(records[1]) - 2):  # inside the last record, inside its length
        read_end, write_end = os.pipe()
        os.write(write_end, sent[:cut])
        os.close(write_end)
        child = parallel._Child(0, read_end)
        child.start()
        assert [(index, [r.path for r in results]) for index, results in child.results()] == [(0, ["0/nexlayer.yaml"])]
        child.stop()


def test_stopping_early_leaves_no_child_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = make_batch(tmp_path, 40)
    results = parallel.lint_files(Linter(Settings()), paths, _read, 3)
    first = next(results)
    assert first.path == paths[0]
    results.close()  # the caller gave up: the children are killed and reaped
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_the_collector_is_as_the_batch_found_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The batch freezes the collector's objects before forking (fewer pages copied in the
    # children); a library caller must get its process back as it was, finished or abandoned.
    monkeypatch.chdir(tmp_path)
    paths = make_batch(tmp_path, 12)
    before = gc.get_freeze_count()
    assert len(list(parallel.lint_files(Linter(Settings()), paths, _read, 2))) == 12
    assert gc.get_freeze_count() == before
    results = parallel.lint_files(Linter(Settings()), paths, _read, 2)
    next(results)
    assert gc.get_freeze_count() > before  # frozen while the batch runs
    results.close()
    assert gc.get_freeze_count() == before


def test_a_fork_that_fails_lints_that_slice_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = make_batch(tmp_path, 9)
    linter = Linter(Settings())
    alone = [parallel._lint_one(linter, path, _read) for path in paths]

    def no_more_processes() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_more_processes)
    assert list(parallel.lint_files(linter, paths, _read, 3)) == alone


def test_a_slow_process_takes_fewer_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Work is shared through a queue, not split in halves: while the parent is slow (here its
    # reads sleep), the child takes the chunks the parent cannot get to.
    monkeypatch.chdir(tmp_path)
    paths = make_batch(tmp_path, 40)
    log = tmp_path / "who.log"
    parent = os.getpid()

    def slow_in_the_parent(path: str, limit: int) -> tuple[bytes, str | None]:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.write(fd, b"p\n" if os.getpid() == parent else b"c\n")
        os.close(fd)
        if os.getpid() == parent:
            time.sleep(0.02)
        return _read(path, limit)

    linter = Linter(Settings())
    assert list(parallel.lint_files(linter, paths, slow_in_the_parent, 2)) == [
        parallel._lint_one(linter, path, _read) for path in paths
    ]
    who = log.read_text().split()
    assert len(who) == 40 and who.count("c") > who.count("p")


def test_an_interrupted_parent_kills_and_reaps_its_children(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    paths = make_batch(tmp_path, 60)
    parent = os.getpid()

    def interrupted_in_the_parent(path: str, limit: int) -> tuple[bytes, str | None]:
        if os.getpid() == parent:
            raise KeyboardInterrupt  # Ctrl-C while the children are busy
        time.sleep(0.01)  # the children are still at work when it comes
        return _read(path, limit)

    with pytest.raises(KeyboardInterrupt):
        list(parallel.lint_files(Linter(Settings()), paths, interrupted_in_the_parent, 3))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped


def test_a_diagnostic_with_a_fix_comes_back_whole() -> None:
    # marshal carries plain tuples only: a Fix (named tuples inside) must survive the pipe
    from nexlayer_lint.model import Diagnostic, Edit, Fix, Span

    fix = Fix('rename to "servicePorts"', (Edit(Span(4, 7, 4, 18), "servicePorts"),), "unsafe")
    diagnostics = (
        Diagnostic("n.yaml", 4, 7, 4, 18, "NX102", "unknown-key", "warning", "m", "h", "a.b", fix),
        Diagnostic("n.yaml", 1, 1, 1, 1, "NX201", "no-public-path", "error", "m"),
    )
    result = parallel.FileResult("n.yaml", diagnostics, "text", None)
    back = parallel._decode(parallel.marshal.loads(parallel.marshal.dumps(parallel._encode(result))))
    assert back == result
    assert type(back.diagnostics[0].fix) is Fix and type(back.diagnostics[0].fix.edits[0].span) is Span
