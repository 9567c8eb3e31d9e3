"""The head start (headstart.py): a worker forked before click, used only when the run is a
parallel one, giving exactly what a single process gives, and never left behind."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nexlayer_lint import headstart, parallel
from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from nexlayer_lint.files import read
from tests.test_parallel import make_batch, pytestmark  # noqa: F401 - pytestmark: these tests need fork too

COUNT = headstart.MIN_ARGUMENTS + 20


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", "2")
    yield make_batch(tmp_path, COUNT)
    headstart.dismiss()  # whatever a failed test left


def _started(paths: list[str]) -> headstart.HeadStart:
    headstart.start(["check", *paths])
    started = headstart.take()
    assert started is not None and started.pid > 0
    return started


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # reaped: not ours any more, not a zombie
    return False


def test_the_head_start_lints_with_the_settings_it_was_handed(batch: list[str]) -> None:
    # Settings that change every file's report: if the child linted any chunk with defaults, the
    # reports would differ from the single process's.
    settings = Settings(ignore=("NX104",), severity={"NX201": "info"}, fail_on="warning")
    alone = [parallel._lint_one(Linter(settings), path, read) for path in batch]
    assert any(d.code == "NX201" and d.severity == "info" for r in alone for d in r.diagnostics)
    started = _started(batch)
    pid = started.pid
    headstart.hand_over(settings, batch)
    # the child reports its first chunk before the parent has even built its linter
    assert select.select([started.results], [], [], 60)[0]
    together = list(parallel.lint_files(Linter(settings), batch, read, 2, headstart.take()))
    assert together == alone
    assert headstart.take() is None and _gone(pid)


def test_a_run_that_is_not_parallel_dismisses_it(batch: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEXLAYER_LINT_WORKERS")  # by the CPUs and the batch's size, as for a user
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    cases = [
        (Settings(), batch[:10]),  # too few files after all
        (Settings(), [*batch, "-"]),  # stdin: one process
        (Settings(remote=True), batch),  # a remote check
        (Settings(schema="remote"), batch),  # a schema each process would fetch
        (Settings(schema="https://example.com/schema.json"), batch),
    ]
    for settings, paths in cases:
        pid = _started(batch).pid
        headstart.hand_over(settings, paths)
        assert headstart.take() is None, settings
        assert _gone(pid)


def test_dismissing_an_unused_head_start_kills_and_reaps_it(batch: list[str]) -> None:
    pid = _started(batch).pid
    headstart.dismiss()
    assert headstart.take() is None and _gone(pid)
    headstart.dismiss()  # twice is harmless


def test_a_batch_other_than_the_one_handed_over_is_not_given_to_it(batch: list[str]) -> None:
    started = _started(batch)
    pid = started.pid
    headstart.hand_over(Settings(), batch)
    linter = Linter(Settings())
    other = list(reversed(batch))
    assert list(parallel.lint_files(linter, other, read, 2, started)) == [parallel._lint_one(linter, p, read) for p in other]
    assert _gone(pid)


def test_a_head_start_that_dies_loses_no_file(batch: list[str]) -> None:
    started = _started(batch)
    os.kill(started.pid, signal.SIGKILL)
    headstart.hand_over(Settings(), batch)  # into a pipe nobody reads: no error, no wait
    linter = Linter(Settings())
    assert list(parallel.lint_files(linter, batch, read, 2, headstart.take())) == \
        [parallel._lint_one(linter, path, read) for path in batch]


def test_a_batch_too_big_for_the_pipe_is_sent_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 3,000 long paths: far more than a pipe holds, so the rest goes from parallel's thread
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", "2")
    folder = "d" * 60
    (tmp_path / folder).mkdir()
    paths = [f"{folder}/{i:05d}-{'x' * 40}/nexlayer.yaml" for i in range(3000)]  # missing: read errors
    started = _started(paths)
    headstart.hand_over(Settings(), paths)
    assert started.batch is not None and len(started.batch[2]) > 0, "the message should not fit in one pipe"
    results = list(parallel.lint_files(Linter(Settings()), paths, read, 2, headstart.take()))
    assert [r.path for r in results] == paths and all(r.error.endswith("no such file") for r in results)


def test_only_a_long_command_line_with_two_processes_to_give_starts_one(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [f"f{i}/nexlayer.yaml" for i in range(COUNT)]
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", "2")
    assert headstart._wanted(["check", *files]) and headstart._wanted(files)
    assert not headstart._wanted(files[: headstart.MIN_ARGUMENTS - 1])
    for ruled_out in ("rule", "schema", "server", "--remote", "-", "--help", "--version"):
        assert not headstart._wanted([*files, ruled_out]), ruled_out
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", "1")
    assert not headstart._wanted(files)
    monkeypatch.delenv("NEXLAYER_LINT_WORKERS")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not headstart._wanted(files)


def _console(root: Path, args: list[str], workers: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEXLAYER_LINT_WORKERS": workers}
    return subprocess.run([sys.executable, "-m", "nexlayer_lint", *args], capture_output=True, text=True,
                          cwd=root, env=env, timeout=300)


def test_the_console_script_gives_one_processs_report(tmp_path: Path) -> None:
    paths = make_batch(tmp_path, COUNT)
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.nexlayer-lint]\nignore = ["NX104"]\n', encoding="utf-8")
    for args in (["check", "--format", "json", *paths], [*paths, "--format", "github", "--severity", "NX201=info"]):
        one, two = _console(tmp_path, args, "1"), _console(tmp_path, args, "2")
        assert one.returncode == two.returncode == 2  # the missing files
        assert two.stdout == one.stdout and two.stderr == one.stderr
    report = json.loads(_console(tmp_path, ["--format", "json", *paths], "2").stdout)
    assert [f["path"] for f in report["files"]] == paths
    assert not any(d["code"] == "NX104" for f in report["files"] for d in f["diagnostics"])  # the config's ignore


def test_a_usage_error_with_a_head_start_waiting_exits_at_once(tmp_path: Path) -> None:
    paths = make_batch(tmp_path, COUNT)
    for args in (["check", "--format", "nope", *paths], ["check", "--schema", "missing.json", *paths]):
        run = _console(tmp_path, args, "2")  # the pipes close only when the head start is gone too
        assert run.returncode == 2 and run.stdout == "", args
        assert "Traceback" not in run.stderr
