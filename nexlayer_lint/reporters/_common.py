"""Helpers the reporters share: stable order, paths for CI, fingerprints, counts."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import Diagnostic, FileResult

TOOL_NAME = "nexlayer-lint"
INFORMATION_URI = "https://github.com/nexlayer-lint/nexlayer-lint"

# Line numbers that a message may quote ("first defined on line 3") move when unrelated lines
# move, and so does a list index when an item is added above (`pods[0]` becomes `pods[1]`); what
# an item is stays in the message (`pod "web"`) and the span's text (hunt 45 F2). Neither may
# change a fingerprint.
LINE_REFERENCES = lazy(r"\blines? \d+(?:[-\u2013]\d+)?|:\d+(?::\d+)?\b")
_INDEX = lazy(r"\[\d+\]|#\d+\b|\bitem \d+\b")  # `pods[0]`, a pod with no name (`pod "#2"`), `item 3 of`


def sorted_results(results: Iterable[FileResult]) -> list[FileResult]:
    """Files by path; each file's diagnostics by (line, column, code, message)."""
    return [
        FileResult(r.path, tuple(sorted(r.diagnostics, key=lambda d: d.sort_key)), r.masked_text, r.error)
        for r in sorted(results, key=lambda r: r.path)
    ]


def ci_paths() -> Callable[[str], str]:
    """A function giving each path as CI services want it: relative to the repository root,
    normalised (no `.` or `..`), with forward slashes; absolute if it lies outside the root.

    The root is the closest folder at or above the working directory that holds `.git` (the git
    top level, also in a worktree or submodule, where `.git` is a file), else the working
    directory; so code-scanning links work from wherever the tool ran. `-` (stdin) stays `-`.
    """
    from nexlayer_lint.config import opened_path

    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was removed: paths as given are all there is
        return lambda path: path.replace(os.sep, "/")
    root = repository_root(cwd)
    known: dict[str, str] = {}

    def ci_path(path: str) -> str:
        if path not in known:
            # `..` after a symlinked folder goes where the link goes, not back up its spelling
            # (`outlink/../outside/x` is outside, not `./outside/x`: hunt 80 F4), as configs read it
            known[path] = path if path == "-" else _relative_to(root, opened_path(path, cwd))
        return known[path]

    return ci_path


def repository_root(start: str) -> str:
    """The closest folder at or above `start` that holds `.git`, else `start` (git is not run)."""
    folder = start
    while not os.path.lexists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent
    return folder


def _relative_to(root: str, path: str) -> str:
    path = os.path.normpath(path)
    rel = _inside(root, path)
    if rel is None:  # perhaps through a symlinked folder (macOS's /tmp is /private/tmp)
        # the folder only: a file that is a symlink into the root is its own name, linted with
        # its own folder's settings, not its target's (hunt 76 F3: one path twice, one fingerprint)
        folder, name = os.path.split(path)
        rel = _inside(os.path.realpath(root), os.path.join(os.path.realpath(folder), name))
    return (path if rel is None else rel).replace(os.sep, "/")


def _inside(root: str, path: str) -> str | None:
    if os.path.splitdrive(root)[0].lower() != os.path.splitdrive(path)[0].lower():
        return None
    rel = os.path.relpath(path, root)
    return None if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


# The line breaks the YAML reader counts (ruamel counts NEL, LS and PS too), so line N here is
# the loader's line N; str.splitlines() would also split on \v, \f and \x1c-\x1e.
_LINE_BREAK = lazy("\r\n|[\n\r\x85\u2028\u2029]")


def source_lines(text: str) -> list[str]:
    """The text's lines, split where the loader counts a new line."""
    return _LINE_BREAK.split(text) if text else []


# What a fingerprint hashes of a span's source, at most: a finding on a long line, or with a long
# span, costs the same as any other.
SNIPPET_LIMIT = 4096


def fingerprints(result: FileResult, path: str, seen: dict[str, int]) -> Iterator[tuple[Diagnostic, str]]:
    """Each diagnostic with a fingerprint that ignores where in the file it sits.

    The hash covers the file (`path`, as the report names it), code, data path and message (line
    references and list indexes blanked) and the masked source text of the span (its lines
    stripped, up to SNIPPET_LIMIT characters; none for a finding about the whole file, placed at
    1:1 with no data path), never line numbers; so inserting or removing unrelated lines or list
    items keeps every fingerprint, while editing the offending line makes a new one. A counter makes
    exact look-alikes unique, in file order; `seen` is the report's, so one file named twice (by
    `--stdin-filename` too: hunt 146 F3) gives no fingerprint twice. The file is split once, and
    each span's text made once however many findings share it.
    """
    import hashlib  # here: it loads OpenSSL, which only the formats with fingerprints need

    lines = source_lines(result.masked_text)
    snippets: dict[tuple[int, int], str] = {}
    for diag in result.diagnostics:
        first = max(diag.line, 1) - 1
        last = min(max(diag.end_line, diag.line), len(lines))
        if not diag.path and (diag.line, diag.col, diag.end_line, diag.end_col) == (1, 1, 1, 1):
            snippet = ""  # the whole file's (NX004, NX101, NX90x): not line 1's text
        else:
            if (first, last) not in snippets:
                snippets[first, last] = _snippet(lines, first, last)
            snippet = snippets[first, last]
        message = _INDEX.sub("#", LINE_REFERENCES.sub("#", diag.message))
        material = "\0".join((TOOL_NAME, path, diag.code, _INDEX.sub("#", diag.path), message, snippet))
        base = hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()
        count = seen.get(base, 0)
        seen[base] = count + 1
        yield diag, base if count == 0 else hashlib.sha256(f"{base}:{count}".encode()).hexdigest()


def _snippet(lines: list[str], first: int, last: int) -> str:
    """Lines first..last-1, stripped and joined, cut at SNIPPET_LIMIT characters."""
    parts: list[str] = []
    size = 0
    for index in range(first, last):
        if size > SNIPPET_LIMIT:
            break
        parts.append(lines[index].strip())
        size += len(parts[-1]) + 1
    return "\n".join(parts)[:SNIPPET_LIMIT]


def counts(results: Sequence[FileResult]) -> dict[str, int]:
    """How many diagnostics of each severity the run found."""
    out = {"error": 0, "warning": 0, "info": 0}
    for result in results:
        for diag in result.diagnostics:
            out[diag.severity] = out.get(diag.severity, 0) + 1
    return out
