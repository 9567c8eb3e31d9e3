"""Reporters are linear in findings and in file size, and their regular expressions in their input.

Each case is a worst case that quadratic code could not finish within the bound (seconds where
the linear code takes a fraction of one); the bounds say "linear, not quadratic", nothing finer.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from nexlayer_lint.cli import _split
from nexlayer_lint.model import Diagnostic, FileResult, RunInfo, SchemaInfo
from nexlayer_lint.reporters import FORMATS, ReportOptions, render
from nexlayer_lint.reporters._common import LINE_REFERENCES as LINE_REFS
from nexlayer_lint.reporters._common import SNIPPET_LIMIT, fingerprints, source_lines
from nexlayer_lint.reporters.printable import at_line_start, json_text, printable
from tests.conftest import slowness

RUN = RunInfo(tool_version="0.0.0-test", schema=SchemaInfo("bundled", "nexlayer.schema.json", "test"))
BOUND = 15.0  # seconds, per format; the quadratic code took 32 s for SARIF at 20,000 findings
COUNT = 20_000


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def _check_parses(fmt: str, out: str, findings: int) -> None:
    if fmt == "sarif":
        assert len(json.loads(out)["runs"][0]["results"]) == findings
    elif fmt == "gitlab":
        assert len(json.loads(out)) == findings
    elif fmt == "json":
        assert len(json.loads(out)["files"][0]["diagnostics"]) == findings
    elif fmt == "junit":
        ET.fromstring(out)
    elif fmt == "github":  # and first a notice that GitHub shows only 10 of each kind
        lines = out.splitlines()
        assert len(lines) == findings + 1 and lines[0].startswith("::notice title=nexlayer-lint::")


@pytest.fixture(scope="module", autouse=True)
def _in_a_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("repo")
    (folder / ".git").mkdir()
    old = os.getcwd()
    os.chdir(folder)
    yield
    os.chdir(old)


def one_per_line() -> FileResult:
    text = "".join(f"  key{i}: value {i}\n" for i in range(COUNT))
    diags = tuple(
        Diagnostic(
            "big/nexlayer.yaml",
            i + 1,
            3,
            i + 1,
            9,
            "NX002",
            "duplicate-key",
            ("error", "warning", "info")[i % 3],
            f"key is already defined on line {i}",
            "remove one",
            path=f"key{i}",
        )
        for i in range(COUNT)
    )
    return FileResult("big/nexlayer.yaml", diags, text)


def all_on_one_line() -> FileResult:
    line = "{" + ", ".join("a: 1" for _ in range(COUNT)) + "}"  # ~120 kB, one finding per key
    diags = tuple(
        Diagnostic(
            "flow/nexlayer.yaml",
            1,
            2 + 6 * i,
            1,
            6 + 6 * i,
            "NX002",
            "duplicate-key",
            "error",
            'key "a" is already defined',
        )
        for i in range(COUNT)
    )
    return FileResult("flow/nexlayer.yaml", diags, line + "\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_20000_findings_one_per_line(fmt: str) -> None:
    result = one_per_line()
    out, seconds = _timed(render, fmt, [result], RUN, ReportOptions(show_source=True))
    assert seconds < BOUND * slowness(), f"{fmt}: {seconds:.1f} s"
    _check_parses(fmt, out, COUNT)


@pytest.mark.parametrize("fmt", FORMATS)
def test_20000_findings_on_one_long_line(fmt: str) -> None:
    """Each finding's line is 120 kB: printed or hashed whole per finding, that is 2.4 GB."""
    result = all_on_one_line()
    out, seconds = _timed(render, fmt, [result], RUN, ReportOptions(show_source=True))
    assert seconds < BOUND * slowness(), f"{fmt}: {seconds:.1f} s"
    _check_parses(fmt, out, COUNT)
    if fmt == "text":  # each frame shows a window of the line, not the line
        assert len(out) < COUNT * 1000
        frame = out.splitlines()[2 + 4 * 5000 : 2 + 4 * 5000 + 2]
        assert frame[0].startswith("1 | …, a: 1, a: 1") and frame[0].endswith("…") and len(frame[0]) < 200
        assert frame[1].endswith("^^^^") and frame[1].count("^") == 4
        assert frame[0][frame[1].index("^") :][:4] == "a: 1"  # the carets stand under the span


def test_spans_over_most_of_the_file_hash_a_bounded_snippet() -> None:
    """5,000 findings each spanning from its line to the end: whole spans would hash 1.25 GB."""
    lines = 5_000
    text = "".join(f"    line {i}: {'x' * 90}\n" for i in range(lines))
    diags = tuple(
        Diagnostic("a.yaml", i + 1, 1, lines, 2, "NX104", "invalid-value", "error", "m") for i in range(lines)
    )
    prints, seconds = _timed(lambda: list(fingerprints(FileResult("a.yaml", diags, text), "a.yaml", {})))
    assert seconds < BOUND * slowness()
    assert len({fp for _, fp in prints}) == lines
    # only the first SNIPPET_LIMIT characters count: two spans alike up to there are alike
    same_start = tuple(
        Diagnostic("a.yaml", 1, 1, end, 2, "NX104", "invalid-value", "error", "m") for end in (lines - 1, lines)
    )
    first, second = fingerprints(FileResult("a.yaml", same_start, text), "a.yaml", {})
    assert 100 * (lines - 2) > SNIPPET_LIMIT
    # the second is the first's look-alike, told apart by the counter
    assert second[1] == hashlib.sha256(f"{first[1]}:1".encode()).hexdigest()


# --- regular expressions and scans, each with its worst case --------------------------------

BIG = 1_000_000


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("line refs, a long digit run that fails at the end", lambda: LINE_REFS.sub("#", ":" + "1" * BIG + "x")),
        ("line refs, colons and digits", lambda: LINE_REFS.sub("#", ":1" * (BIG // 2) + "x")),
        ("line refs, 'lines' again and again", lambda: LINE_REFS.sub("#", "lines " * (BIG // 6) + "1")),
        ("printable, hashes with no bracket", lambda: printable("#" * BIG)),
        ("printable, ##vs again and again", lambda: printable("##vs" * (BIG // 4))),
        ("printable, all control characters", lambda: printable("\x1b" * BIG)),
        ("printable, keeping tabs", lambda: printable("\t\x07" * (BIG // 2), keep_tabs=True)),
        ("json_text, hashes and C1", lambda: json_text(["#" * BIG, "\x9b" * BIG, "##[" * (BIG // 3)])),
        ("line start, white space", lambda: at_line_start(" " * BIG + ":")),
        ("line breaks, CR runs", lambda: source_lines("\r" * BIG + "\r\n" * BIG)),
        ("--select splitting", lambda: _split(["," * BIG, "NX1," * (BIG // 4)])),
    ],
)
def test_worst_case_inputs_are_linear(name: str, call) -> None:
    _, seconds = _timed(call)
    assert seconds < 5.0 * slowness(), f"{name}: {seconds:.1f} s"


def test_a_text_frame_of_a_huge_line_is_a_window() -> None:
    line = "k: " + "é" * 300_000 + "\x1b"
    diag = Diagnostic("a.yaml", 1, 4, 1, len(line) + 1, "NX001", "yaml-syntax", "error", "m")
    out, seconds = _timed(render, "text", [FileResult("a.yaml", (diag,), line)], RUN, ReportOptions(show_source=True))
    assert seconds < 5.0 * slowness()
    frame = out.splitlines()[2:4]
    assert frame[0] == "1 | k: " + "é" * 240 + "…"  # the span is shown up to 160 characters, then context
    assert frame[1] == "  |    " + "^" * 160


def test_multi_line_spans_starting_on_one_long_line() -> None:
    line = "k: [" + "x, " * 60_000
    diags = tuple(Diagnostic("a.yaml", 1, 4 + i, 2, 1, "NX104", "invalid-value", "error", "m") for i in range(COUNT))
    out, seconds = _timed(
        render, "text", [FileResult("a.yaml", diags, line + "\n]\n")], RUN, ReportOptions(show_source=True)
    )
    assert seconds < BOUND * slowness()
    # underlined to the end of its text as far as a frame shows: 160 characters, less a trailing space
    assert out.splitlines()[3].count("^") == 159
