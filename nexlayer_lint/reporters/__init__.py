"""Reporters: one module per format, each a plain `render(results, run, options) -> str`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from nexlayer_lint.model import Diagnostic, FileResult, RunInfo

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


class ReportOptions(NamedTuple):  # a named tuple, as model.py's types: cheaper to create at start-up
    color: bool = False
    show_source: bool = False
    quiet: bool = False
    fail_on: str = "error"  # the run's --fail-on: JUnit fails a test case only at or above it
    # each file's own fail-on (per-folder configs), by its path in the results; a file not in it
    # gets fail_on. So JUnit judges each file as the exit code does.
    fail_on_of: Mapping[str, str] | None = None
    # Fixing (text output): whether unsafe fixes are on (None: not said, so the summary counts
    # them), whether to list the fixes, and those --fix applied per file (None: --fix did not run).
    unsafe_fixes: bool | None = None
    unsafe_fixes_of: Mapping[str, bool | None] | None = None  # each file's own, by path (as fail_on_of)
    show_fixes: bool = False
    fixed: Mapping[str, Sequence[Diagnostic]] | None = None


def reads_source(fmt: str, options: ReportOptions) -> bool:
    """Whether the format shows or hashes the files' masked text (FileResult.masked_text): code
    frames, and fingerprints of the span's text. The others never read it, so it need not be made."""
    return fmt in ("gitlab", "sarif") or (fmt == "text" and options.show_source)


def render(fmt: str, results: Sequence[FileResult], run: RunInfo, options: ReportOptions) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    # Imported on demand: a text run never pays for the XML or SARIF machinery.
    module = importlib.import_module(f"nexlayer_lint.reporters.{fmt}")
    return module.render(results, run, options)
