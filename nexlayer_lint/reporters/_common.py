"""Helpers the CI reporters share: stable order, relative URIs, fingerprints, counts."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath

from nexlayer_lint.model import Diagnostic, FileResult

TOOL_NAME = "nexlayer-lint"
INFORMATION_URI = "https://github.com/nexlayer-lint/nexlayer-lint"

# Line numbers that a message may quote ("first defined on line 3") move when unrelated lines
# move; they must not change a fingerprint.
_LINE_REFS = re.compile(r"\blines? \d+(?:[-–]\d+)?|:\d+(?::\d+)?\b")


def sorted_results(results: Iterable[FileResult]) -> list[FileResult]:
    """Files by path; each file's diagnostics by (line, column, code, message)."""
    return [
        FileResult(r.path, tuple(sorted(r.diagnostics, key=lambda d: d.sort_key)), r.masked_text, r.error)
        for r in sorted(results, key=lambda r: r.path)
    ]


def relative_posix(path: str) -> str:
    """The path as CI services want it: relative to the working directory, forward slashes."""
    if os.path.isabs(path):
        rel = os.path.relpath(path) if _same_drive(path) else path
        # outside the working directory a relative path would mislead: keep it absolute
        path = path if rel.startswith("..") else rel
    text = path.replace(os.sep, "/")
    while text.startswith("./"):
        text = text[2:]
    return str(PurePosixPath(text)) if text else text


def _same_drive(path: str) -> bool:
    return os.path.splitdrive(path)[0].lower() == os.path.splitdrive(os.getcwd())[0].lower()


# The line breaks the YAML reader counts (ruamel counts NEL, LS and PS too), so line N here is
# the loader's line N; str.splitlines() would also split on \v, \f and \x1c-\x1e.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def source_lines(text: str) -> list[str]:
    """The text's lines, split where the loader counts a new line."""
    return _LINE_BREAK.split(text) if text else []


def snippet(masked_text: str, diag: Diagnostic) -> str:
    """The (secret-masked) source lines a diagnostic covers, stripped: what it is *about*."""
    lines = source_lines(masked_text)
    first = max(diag.line, 1) - 1
    last = min(max(diag.end_line, diag.line), len(lines))
    return "\n".join(line.strip() for line in lines[first:last])


def fingerprints(result: FileResult) -> Iterator[tuple[Diagnostic, str]]:
    """Each diagnostic with a fingerprint that ignores where in the file it sits.

    The hash covers the file, code, data path, message (line references blanked) and the
    masked source text of the span, never line numbers; so inserting or removing unrelated lines
    keeps every fingerprint, while editing the offending line makes a new one. A counter makes
    exact look-alikes unique, in file order.
    """
    import hashlib  # here: it loads OpenSSL, which only the formats with fingerprints need

    seen: dict[str, int] = {}
    path = relative_posix(result.path)
    for diag in result.diagnostics:
        material = "\0".join(
            (TOOL_NAME, path, diag.code, diag.path, _LINE_REFS.sub("#", diag.message), snippet(result.masked_text, diag))
        )
        base = hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()
        count = seen.get(base, 0)
        seen[base] = count + 1
        yield diag, base if count == 0 else hashlib.sha256(f"{base}:{count}".encode()).hexdigest()


def counts(results: Sequence[FileResult]) -> dict[str, int]:
    """How many diagnostics of each severity the run found."""
    out = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        for diag in result.diagnostics:
            out[diag.severity] = out.get(diag.severity, 0) + 1
    return out
