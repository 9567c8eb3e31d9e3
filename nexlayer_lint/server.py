"""The language server (`nexlayer-lint server`): live diagnostics, hovers and fixes over stdio.

Built on pygls (the optional `lsp` extra). It lints with the same engine as the CLI, each
document with the config closest above it, and lints again when a config file changes (watched
through the editor where it can watch files, and on save of a config opened in the editor).

The event loop never lints: it only schedules, converts and answers. Parsing and linting run on
worker threads through `Scheduler`: at most MAX_RUNNING jobs at once, one per document, the
documents with work taking turns; a newer edit replaces a lint that has not started, and the
result of a lint for an older version is dropped, never published. So a slow document (a huge
or hostile buffer) holds one thread, never the others' turns, and never the protocol. A lint that
asks the API (on open and save) runs on a scheduler of its own, as it mostly waits on the network.
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import inspect
import itertools
import json
import logging
import math
import os
import queue
import re
import signal
import sys
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable, Generator, Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeGuard
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from nexlayer_lint import __version__, suppress
from nexlayer_lint.align import TOKEN, changed_runs
from nexlayer_lint.config import (
    CONFIG_FILES,
    ConfigError,
    Settings,
    find_config,
    for_file,
    opened_path,
    read_config,
    without_network,
)
from nexlayer_lint.fixes import apply_fixes, fix_all, makes_worse, wanted_by
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import EXIT_INTERRUPTED, LINE_BREAK, DataPath, Diagnostic, Document, Edit, Fix, Problem, Span
from nexlayer_lint.patterns import PatternError, Patterns
from nexlayer_lint.selection import FILE_NAMES, is_excluded, left_out_on_the_way

if TYPE_CHECKING:
    from nexlayer_lint.engine import Kept  # the engine is imported with the first lint

SOURCE = "nexlayer-lint"
DEFAULT_DEBOUNCE_MS = 150
# Lints, hovers and fix checks running at once. One document has at most one lint running, so two
# slow documents still leave a thread to the rest; more threads would only share the same GIL.
MAX_RUNNING = 3
# Lints that ask the API at once, on threads of their own: they wait on the network, and a slow
# API held every thread above, so hovers and other documents waited for it (hunt 150 F1).
MAX_ASKING = 3
# Above this size, hovers on keys, the re-lint that proves a quick fix and fix-all are skipped: all re-parse.
MAX_INTERACTIVE_CHARS = 1_000_000
# Quick fixes proven by a re-lint each, per request: a request over a whole file of findings (a
# fix for a selection) offers those of its first findings, never a lint per fix of them all.
MAX_PROVEN_PER_REQUEST = 30
# Findings whose quick fixes a request offers: a selection of a whole file of 20,000 findings got
# an action for each (15 MB of JSON, the loop busy for seconds); Fix all covers the rest.
MAX_FINDINGS_PER_REQUEST = 100
FIX_ALL = f"{lsp.CodeActionKind.SourceFixAll.value}.{SOURCE}"  # as ruff's server names its own
# The largest message read from the client. pygls reads a body with one read() of the length its
# Content-Length header announces, so a header announcing 100 TB made it allocate that and die of
# a MemoryError. A 10 MB document (a huge one) is at most 60 MB as JSON, all of it \u escapes.
MAX_MESSAGE_BYTES = 64 << 20
MAX_DEBOUNCE_MS = 60_000  # initializationOptions' `debounce` at most (a minute)
# What pygls is given in place of a message too large to read: a notification the server ignores.
DROPPED = "$/nexlayer-lint/messageDropped"

_LINE_BREAK = lazy(r"\r\n|\r|\n")
_LINE_BREAK_KEPT = lazy(r"(\r\n|\r|\n)")  # re.split gives the breaks too
_LINE_END = lazy(r"[\r\n]")
# `application:` starting a line; or first in the document, after a byte order mark, comments,
# `---`, a flow mapping's or JSON's `{`, or indentation (a whole document may be indented: hunt 57
# F2, hunt 60 F4). Not an indented key elsewhere (Spring's `spring:` / `  application:`).
_APPLICATION_KEY = lazy(r"""(?:application|"application"|'application')[ \t]*:""")
_TOP_LEVEL_APPLICATION = lazy("^" + _APPLICATION_KEY.pattern, re.MULTILINE)
# (Linear: one way to read each line, whose blanks are read once.)
_DOCUMENT_START = lazy(
    r"\ufeff?(?:[ \t]*(?:[#%][^\r\n]*|---[ \t]*)?(?:\r\n|\r(?!\n)|\n))*[ \t]*(?:---[ \t]+)?(?:\{\s*)?"
)
_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}

log = logging.getLogger(__name__)

# --- which documents ---------------------------------------------------------------------------


def is_nexlayer_document(uri: str, text: str, language_id: str | None = None) -> bool:
    """nexlayer.yaml / nexlayer.yml, or any YAML document whose top-level key is `application`."""
    name = unquote(uri.rsplit("/", 1)[-1])
    if name in FILE_NAMES:
        return True
    if not (name.endswith((".yaml", ".yml")) or language_id == "yaml"):
        return False
    if _TOP_LEVEL_APPLICATION.search(text) is not None:
        return True
    start = _DOCUMENT_START.match(text)
    return start is not None and _APPLICATION_KEY.match(text, start.end()) is not None


# --- positions: the engine's 1-based code points <-> LSP's 0-based client units -------------------


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them (\\n, \\r\\n and \\r end a line), without their breaks."""
    if "\r" not in text:
        return text.split("\n")  # the same lines, several times faster than the regular expression
    return _LINE_BREAK.split(text)


class Lines(NamedTuple):
    """A text's lines as its findings count them, and where each sits among the editor's lines.

    The engine counts lines as YAML does (model.LINE_BREAK): NEL, LS and PS end a line there, but
    not in LSP, whose lines end only at \\n, \\r\\n and \\r. Every position the server sends or
    receives goes through to_position or from_position, which convert between the two.
    """

    text: Sequence[str]  # the engine's lines, without their breaks
    lsp: Sequence[str]  # LSP's lines; the very same list when the text has no NEL, LS or PS
    # Only when the text has NEL, LS or PS: for each engine line, its LSP line and the code points
    # and client units before it there (the lines before it on that LSP line, with their breaks).
    places: Sequence[tuple[int, int, int]]


NO_LINES = Lines((), (), ())
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def lines_of(text: str, encoding: str) -> Lines:
    """The text's lines, engine's and LSP's, and (rarely needed) how the first sit on the second."""
    lsp_lines = split_lines(text)
    if text.isascii() or not any(char in text for char in _YAML_ONLY_BREAKS):
        return Lines(lsp_lines, lsp_lines, ())  # the same lines: nothing to convert
    engine = LINE_BREAK.split(text)
    places = [(0, 0, 0)]
    lsp_line = before = units = 0
    for match, line in zip(LINE_BREAK.finditer(text), engine, strict=False):
        if match.group() in _YAML_ONLY_BREAKS:  # the next engine line goes on on this LSP line
            before += len(line) + 1
            units += _width(line + match.group(), encoding)
        else:
            lsp_line, before, units = lsp_line + 1, 0, 0
        places.append((lsp_line, before, units))
    return Lines(engine, lsp_lines, places)


def _width(text: str, encoding: str) -> int:
    if encoding == lsp.PositionEncodingKind.Utf32 or text.isascii():
        return len(text)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _prefix_width(text: str, col0: int, encoding: str) -> int:
    """_width(text[:col0]), in time logarithmic in the line once the line's wide characters are
    indexed: each finding's column was counted over the whole line before it, so a one-line file
    of 210 KB with one `é` took 24 s to publish (hunt 104 F5)."""
    if encoding == lsp.PositionEncodingKind.Utf32 or text.isascii():
        return col0
    positions, extra = _wide_characters(text, encoding)
    return col0 + extra[bisect.bisect_left(positions, col0)]


@functools.lru_cache(maxsize=64)
def _wide_characters(text: str, encoding: str) -> tuple[list[int], list[int]]:
    """Where the characters of `text` that take more than one client unit are, and the units
    they add before each (`extra[k]`: added by the first k of them); found at C speed."""
    utf8 = encoding == lsp.PositionEncodingKind.Utf8
    positions: list[int] = []
    extra = [0]
    for match in (_NOT_ASCII if utf8 else _ASTRAL).finditer(text):
        positions.append(match.start())
        extra.append(extra[-1] + (len(match.group().encode("utf-8", "surrogatepass")) - 1 if utf8 else 1))
    return positions, extra


_NOT_ASCII = lazy("[^\x00-\x7f]")
_ASTRAL = lazy("[\U00010000-\U0010ffff]")


def _code_points(text: str, units: int, encoding: str, wide: tuple[list[int], list[int]] | None = None) -> int:
    """How many code points of `text` the first `units` client units cover (a unit inside a
    character counts the whole character); past its end, its length (LSP's rule). The first
    code point whose units before it reach `units`, found by bisection over the line's wide
    characters: a loop over the line's characters made each keystroke at the end of a long line
    with one `é` cost seconds (hunt 114 F3). `wide`: _wide_characters of `text` or of a longer
    text it starts."""
    if encoding == lsp.PositionEncodingKind.Utf32 or text.isascii():
        return min(units, len(text))
    return _covered(len(text), units, wide if wide is not None else _wide_characters(text, encoding))


def _covered(size: int, units: int, wide: tuple[list[int], list[int]]) -> int:
    """_code_points of a text of `size` code points whose wide characters are `wide`."""
    positions, extra = wide
    return bisect.bisect_left(range(size), units, key=lambda index: index + extra[bisect.bisect_left(positions, index)])


def _bom(lines: Sequence[str], line0: int) -> int:
    # The loader drops a leading BOM, so its columns on line 1 are one short of the editor's.
    return 1 if line0 == 0 and lines and lines[0].startswith("\ufeff") else 0


def to_position(lines: Lines, line: int, col: int, encoding: str) -> lsp.Position:
    """The engine's 1-based (line, col) in code points -> a 0-based LSP position in the client's units."""
    line0 = max(line - 1, 0)
    if line0 >= len(lines.text):
        return lsp.Position(line=len(lines.lsp), character=0)
    text = lines.text[line0]
    col0 = min(max(col - 1 + _bom(lines.text, line0), 0), len(text))
    if not lines.places:
        return lsp.Position(line=line0, character=_prefix_width(text, col0, encoding))
    lsp_line, _, before = lines.places[line0]
    return lsp.Position(line=lsp_line, character=before + _prefix_width(text, col0, encoding))


def from_position(lines: Lines, position: lsp.Position, encoding: str) -> tuple[int, int]:
    """A 0-based LSP position -> the engine's 1-based (line, col) in code points."""
    if position.line >= len(lines.lsp):
        return len(lines.text) + 1 + position.line - len(lines.lsp), 1
    col0 = _code_points(lines.lsp[position.line], position.character, encoding)
    line0 = position.line
    if lines.places:
        # the last engine line that starts at or before the position on its LSP line
        line0 = bisect.bisect_left(lines.places, (position.line, col0 + 1)) - 1
        col0 -= lines.places[line0][1]
    return line0 + 1, col0 + 1 - _bom(lines.text, line0)


def to_range(lines: Lines, d: Diagnostic, encoding: str) -> lsp.Range:
    return lsp.Range(
        start=to_position(lines, d.line, d.col, encoding), end=to_position(lines, d.end_line, d.end_col, encoding)
    )


def apply_change(text: str, change: lsp.TextDocumentContentChangePartial, encoding: str) -> str:
    """The text after one incremental change, its range read at LSP's line breaks. (pygls splits
    the text with str.splitlines, which also ends a line at NEL, LS, PS, \\v, \\f and \\x1c-\\x1e,
    so an edit below one of them landed on another line.)"""
    return _applied(text, [(*_span(text, change.range, encoding), change.text)])


def apply_changes(text: str, changes: Sequence[lsp.TextDocumentContentChangeEvent], encoding: str) -> str:
    """The text after a didChange's changes, each applied to the text the ones before it made.

    A run of changes is applied in one pass over the text it started from, as long as each
    change's place there is known without applying the ones before it:
    - a change wholly before the one before it (multi-cursor typing and Replace All, which VS Code
      sends bottom up) has the same place in that text: found through one index of its lines;
    - a change at or after the end of the one before it's new text (Helix sends cursors top down)
      is as far below that end as it is below the same change's end in that text: found by reading
      on from there.
    One at a time, each a copy of the text, 20,550 cursors in a 400 KB document held the event loop
    16 s (hunt 121 F4); 20,000 sent top down, 25.6 s (hunt 150 F4).
    """
    run: list[tuple[int, int, str]] = []  # (start, end, new text) in `text`, in the order given
    backwards = False  # the run's changes are each before the one before it
    run_end: _RunEnd | None = None  # where the run's last new text ends, while a change may follow it
    lines: list[int] | None = None  # where each line of `text` starts: built once a run has two changes
    wide: WideCharacters = {}  # of `text`'s lines, for cursors on one line (hunt 137 F1)
    for change in changes:
        if not isinstance(change, lsp.TextDocumentContentChangePartial):
            text, run, backwards, run_end, lines, wide = change.text, [], False, None, None, {}
            continue
        if run_end is not None:
            following = _after_run(text, run_end, change, encoding, wide)
            if following is not None:
                start, end, run_end = following
                run.append((start, end, change.text))
                continue
        if len(run) == 1 or backwards:
            if lines is None:  # changes sent top down never build it (hunt 128 F5)
                start, end = _span(text, change.range, encoding)
            else:
                first, last = change.range.start, change.range.end
                start = _offset(text, _line_at(lines, first.line), first.character, encoding, wide)
                end = max(_offset(text, _line_at(lines, last.line), last.character, encoding, wide), start)
            if end < run[-1][0]:  # strictly: a place at the last one's start may be in its new text
                run.append((start, end, change.text))
                backwards, run_end = True, None
                lines = lines or _line_starts(text)
                continue
        if run:
            text = _applied(text, run[::-1] if backwards else run)
            run, backwards, lines, wide = [], False, None, {}
        start, end = _span(text, change.range, encoding)
        run = [(start, end, change.text)]
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        before = text[start - 1] if start else ""
        units = _width(text[line_start:start], encoding)
        run_end = _end_of_new_text(text, start, end, change.text, change.range.start.line, units, before, encoding)
    return _applied(text, run[::-1] if backwards else run) if run else text


@dataclass(frozen=True)
class _RunEnd:
    """Where a run's last new text ends: at `offset` in the text the run started from, on `line`
    and `units` into it in the text the run has made; `before`: the character before it there."""

    offset: int
    line: int
    units: int
    before: str


def _after_run(
    text: str, run_end: _RunEnd, change: lsp.TextDocumentContentChangePartial, encoding: str, wide: WideCharacters
) -> tuple[int, int, _RunEnd | None] | None:
    """A change at or after the end of a run's new text: its start and end in the text the run
    started from, and where its own new text ends. None for a change before that end."""
    first, last = change.range.start, change.range.end
    if (first.line, first.character) < (run_end.line, run_end.units):
        return None
    start, units = _below(text, run_end, first, encoding, wide)
    end = start
    if (last.line, last.character) > (first.line, first.character):  # (a reversed range is empty at its start)
        end = max(_below(text, run_end, last, encoding, wide)[0], start)
    before = text[start - 1] if start > run_end.offset else run_end.before
    return start, end, _end_of_new_text(text, start, end, change.text, first.line, units, before, encoding)


def _below(text: str, run_end: _RunEnd, place: lsp.Position, encoding: str, wide: WideCharacters) -> tuple[int, int]:
    """Where a place at or after a run's end is in the text the run started from (the text
    after the end is that text's), and its units into its line."""
    if place.line == run_end.line:  # read from the run's end, not from its line's start (`wide` is by line)
        at = _offset(text, run_end.offset, place.character - run_end.units, encoding)
        return at, run_end.units + _width(text[run_end.offset : at], encoding)
    breaks = _LINE_BREAK.finditer(text, run_end.offset)
    found = next(itertools.islice(breaks, place.line - run_end.line - 1, None), None)
    line_start = found.end() if found is not None else None  # past the last line: the text's end
    at = _offset(text, line_start, place.character, encoding, wide)
    return at, _width(text[line_start:at], encoding) if line_start is not None else 0


def _end_of_new_text(
    text: str, start: int, end: int, new: str, line: int, units: int, before: str, encoding: str
) -> _RunEnd | None:
    """Where a change's new text ends, put in place of `text[start:end]`, which starts on `line`
    and `units` into it, after the character `before`.

    A "\r" and a "\n" the change brings together make one line break (hunt 157 F4, 161 F6): a
    "\n" the new text starts with, after a "\r", adds no line; a "\r" it ends with (or the "\r"
    before an empty one), before the text's "\n" at `end`, ends its line with that "\n", so the
    run's end is past it, at the start of the next line."""
    joins_before = before == "\r" and (new or text[end : end + 1]).startswith("\n")
    breaks = len(_LINE_BREAK.findall(new)) - (joins_before and new.startswith("\n"))
    if (new.endswith("\r") or (joins_before and not new)) and text.startswith("\n", end):
        return _RunEnd(end + 1, line + breaks, 0, "\n")
    if _LINE_BREAK.search(new):  # (maybe only a "\n" that the "\r" before it takes in)
        last_line = new[max(new.rfind("\n"), new.rfind("\r")) + 1 :]
        return _RunEnd(end, line + breaks, _width(last_line, encoding), new[-1])
    return _RunEnd(end, line, units + _width(new, encoding), new[-1:] or before)


def _span(text: str, place: lsp.Range, encoding: str) -> tuple[int, int]:
    """Where a client's range is in the text (a reversed range is empty at its start)."""
    first, last = place.start, place.end
    first_line = _line_start(text, first.line)
    last_line = first_line if last.line == first.line else _line_start(text, last.line)
    start = _offset(text, first_line, first.character, encoding)
    return start, max(_offset(text, last_line, last.character, encoding), start)


def _applied(text: str, run: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, new text) of `run`, given first to last, replaced."""
    pieces, pos = [], 0
    for start, end, new in run:
        pieces += [text[pos:start], new]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _line_starts(text: str) -> list[int]:
    """Where each LSP line of the text starts: _line_start's answers, for every line at once."""
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


def _line_at(starts: list[int], line: int) -> int | None:
    """Where line `line` starts, from _line_starts; None past the last line (as _line_start)."""
    return starts[line] if line < len(starts) else None


def _line_start(text: str, line: int) -> int | None:
    """Where LSP's line `line` (0-based) starts in the text; None past its last line. Split in C,
    only as far as that line: an edit on a big document costs a millisecond, not a loop over its lines."""
    if line == 0:
        return 0  # (re.split's maxsplit 0 would split at every break)
    if "\r" not in text:
        parts = text.split("\n", line)  # the lines before it, then the rest of the text
        return len(text) - len(parts[-1]) if len(parts) > line else None
    parts = _LINE_BREAK_KEPT.split(text, line)  # the lines before it and their breaks, then the rest
    return len(text) - len(parts[-1]) if len(parts) > 2 * line else None


# What the text's lines are, by where each starts: where it ends, and its wide characters
# (positions, extra) where it has any (_wide_characters); kept for one text.
WideCharacters = dict[int, tuple[int, tuple[list[int], list[int]] | None]]


def _offset(
    text: str, line_start: int | None, character: int, encoding: str, wide: WideCharacters | None = None
) -> int:
    """Where a client's character on the line starting at `line_start` is in the text: past the
    line's end it is the end, and past the last line the text's end (LSP's rules).

    A code point is one unit or more. Alone, only the line's first `character` code points are
    read. With `wide` (kept for one text: a run of changes), each line is read once, its end and
    its wide characters kept, and each place found in it by bisection: each of 5,000 cursors on
    one 100 KB line read the whole line, 20 s (hunt 137 F1); each of 40,000 read the line up to
    itself, 11 s (hunt 161 F5)."""
    if line_start is None:
        return len(text)
    if wide is None:
        stop = min(line_start + character, len(text))
        ends = [end for end in (text.find("\n", line_start, stop), text.find("\r", line_start, stop)) if end >= 0]
        return line_start + _code_points(text[line_start : min(ends, default=stop)], character, encoding)
    known = wide.get(line_start)
    if known is None:
        line_end = _LINE_END.search(text, line_start)
        line = text[line_start : line_end.start() if line_end else len(text)]
        ascii_only = encoding == lsp.PositionEncodingKind.Utf32 or line.isascii()
        known = wide[line_start] = (len(line), None if ascii_only else _wide_characters(line, encoding))
    size, characters = known
    if characters is None:
        return line_start + min(character, size)
    return line_start + _covered(size, character, characters)


# Diagnostics in LSP form, by what that form is made of (_conversion_key), in one encoding.
Conversions = tuple[str, dict[tuple[Any, ...], lsp.Diagnostic]]


def to_lsp_diagnostics(
    diagnostics: Sequence[Diagnostic], lines: Lines, encoding: str, earlier: Conversions = ("", {})
) -> tuple[list[lsp.Diagnostic], Conversions]:
    """The diagnostics in LSP form, and their conversions for the next lint. An edit leaves most
    findings as they were: those are taken from `earlier` (the last lint's) instead of being
    converted again."""
    reusable = earlier[1] if earlier[0] == encoding else {}
    converted, conversions = [], {}
    for d in diagnostics:
        key = _conversion_key(d, lines)
        done = reusable.get(key) if key is not None else None
        if done is None:
            done = to_lsp_diagnostic(d, lines, encoding)
        if key is not None:
            conversions[key] = done
        converted.append(done)
    return converted, (encoding, conversions)


# What one document publishes at most, its note included: VS Code shows no more than 1,000
# (ExtHostDiagnostics; at 1,001 it dropped our note for its own: hunt 121 F2), and the 60,000 of
# a 2 MB file took the event loop seconds to serialise, holding every other document's answers
# (hunt 114 F2). Hovers and code actions still see every finding.
MAX_PUBLISHED = 1000
_RANK = {"error": 0, "warning": 1, "info": 2}


def most_severe(diagnostics: Sequence[Diagnostic], most: int) -> Sequence[Diagnostic]:
    """At most `most` of the diagnostics, errors first, then warnings, then the rest, each kind
    in the file's order, as VS Code chooses; kept in the file's order."""
    if len(diagnostics) <= most:
        return diagnostics
    chosen = sorted(range(len(diagnostics)), key=lambda i: (_RANK.get(diagnostics[i].severity, 3), i))[:most]
    return [diagnostics[i] for i in sorted(chosen)]


def _not_shown(
    diagnostics: Sequence[Diagnostic], shown: Sequence[Diagnostic], lines: Lines, encoding: str
) -> lsp.Diagnostic:
    """One note at the first finding left out, saying how many are and where to see them all."""
    kept = {id(d) for d in shown}
    first = next(d for d in diagnostics if id(d) not in kept)
    return lsp.Diagnostic(
        range=to_range(lines, first, encoding),
        message=(
            f"{len(diagnostics) - len(shown):,} more problems not shown in the editor "
            f"(at most {MAX_PUBLISHED:,} a document, this note included): run nexlayer-lint on the file "
            "to see them all"
        ),
        severity=lsp.DiagnosticSeverity.Information,
        source=SOURCE,
    )


def _conversion_key(d: Diagnostic, lines: Lines) -> tuple[Any, ...] | None:
    """What `to_lsp_diagnostic` reads: the diagnostic's own fields, its first and last lines and
    where those sit among LSP's lines."""
    first, last = max(d.line - 1, 0), max(d.end_line - 1, 0)
    text = lines.text
    if first >= len(text) or last >= len(text):
        return None  # placed past the end: its position depends on the number of lines
    key = (d.line, d.col, d.end_line, d.end_col, d.code, d.severity, d.message, d.hint, text[first], text[last])
    return key + (lines.places[first], lines.places[last]) if lines.places else key


def to_lsp_diagnostic(d: Diagnostic, lines: Lines, encoding: str) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=to_range(lines, d, encoding),
        message=d.message + (f"\nhelp: {d.hint}" if d.hint else ""),
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=_rule_link(d.code),
        source=SOURCE,
    )


@functools.cache  # one per rule, shared by all its diagnostics
def _rule_link(code: str) -> lsp.CodeDescription:
    from nexlayer_lint.docs import rule_url

    return lsp.CodeDescription(href=rule_url(code))


def _covers(d: Diagnostic, line: int, col: int) -> bool:
    start, end = (d.line, d.col), (d.end_line, d.end_col)
    return start <= (line, col) < end or (line, col) == start


def _overlaps(d: Diagnostic, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (d.line, d.col) <= end and start <= (d.end_line, d.end_col)


# --- hover -------------------------------------------------------------------------------------


def rule_hover(code: str) -> str:
    """The rule's page, as markdown, with a link to it on the web."""
    from nexlayer_lint.docs import rule_text, rule_url
    from nexlayer_lint.rules import RULES

    rule = RULES[code]
    return f"{rule_text(code).rstrip()}\n\n[{code} {rule.name}]({rule_url(code)})"


def key_at(document: Document, line: int, col: int) -> DataPath | None:
    """The data path of the mapping key under (line, col), if any."""
    for path, located in document.positions.items():
        span = located.key
        if span is not None and (span.line, span.col) <= (line, col) < (span.end_line, span.end_col):
            return path
    return None


def schema_description(schema: Any, path: DataPath, patterns: Patterns | None = None) -> str | None:
    """What the schema says about the value at `path`: local $refs, combinators, items, properties."""
    from nexlayer_lint import schemawalk

    patterns = patterns or Patterns(trusted=False)

    def resolve(node: Any) -> Any:
        for _ in range(32):  # a $ref cycle must not hang a hover
            target = schemawalk.resolve(schema, node.get("$ref")) if isinstance(node, dict) else None
            if target is None:
                return node
            node = target
        return node

    def matches(pattern: str, key: str) -> bool:
        try:
            return patterns.search(pattern, key)
        except PatternError:
            return False

    def step(node: Any, part: Any) -> list[Any]:
        node = resolve(node)
        if not isinstance(node, dict):
            return []
        out: list[Any] = []
        for combinator in ("allOf", "anyOf", "oneOf"):
            for branch in node.get(combinator) or []:
                out.extend(step(branch, part))
        if isinstance(part, int):
            prefix = node.get("prefixItems")
            if isinstance(prefix, list) and part < len(prefix):
                out.append(prefix[part])
            elif isinstance(node.get("items"), dict):
                out.append(node["items"])
            return out
        properties = node.get("properties")
        if isinstance(properties, dict) and part in properties:
            out.append(properties[part])
            return out
        for pattern, sub in (node.get("patternProperties") or {}).items():
            if matches(pattern, part):
                out.append(sub)
        if isinstance(node.get("additionalProperties"), dict):
            out.append(node["additionalProperties"])
        return out

    nodes = [schema]
    for part in path:
        nodes = [sub for node in nodes for sub in step(node, part)]
    for node in nodes:
        for candidate in (node, resolve(node)):
            if isinstance(candidate, dict) and isinstance(candidate.get("description"), str):
                return candidate["description"]
    return None


# --- fixes -------------------------------------------------------------------------------------


def quick_fixes(
    d: Diagnostic,
    lines: Sequence[str],
    newline: str,
    *,
    proven: bool = True,
    multiline: Sequence[tuple[int, int]] = (),
) -> list[tuple[Fix, bool]]:
    """What the editor offers for `d`, each with whether it is the preferred one: the finding's
    own fix (preferred when safe), then disabling its code for this line and for the file.
    `lines` are the engine's (Lines.text), as the finding's. `verified` keeps those that a
    re-lint proves. Without that proof (`proven` False: a document too large to lint again), no
    directive for one line: the line's text cannot tell it is safe (inside a block scalar, `url:
    >-` then `http://x.pod`, a comment at its end is part of the value; hunt 27 F5).
    `multiline`: the first and last lines of the values written over several lines (Document's):
    a finding on one of their lines is disabled by a directive on the value's first line, or
    alone above it, which covers them all (a comment on an inner line is part of the value)."""
    from nexlayer_lint.rules import UNSUPPRESSIBLE

    out = [(d.fix, d.fix.applicability == "safe")] if d.fix is not None else []
    if d.code not in UNSUPPRESSIBLE and d.code != "NX099" and 0 < d.line <= len(lines):
        # a comment inside a value written over several lines is part of it: its first line's
        # directive, or one alone above it, covers all its lines
        first = next((first for first, last in multiline if first <= d.line <= last and first <= len(lines)), 0)
        if proven:
            line = first or d.line
            out.append((_disable_fix(d.code, line, lines[line - 1], newline, at_end=not first), False))
        out.append((_disable_file_fix(d.code, lines[0], newline), False))
    return out


def _insert(line: int, col: int, text: str) -> Edit:
    return Edit(Span(line, col, line, col), text)


def _disable_fix(code: str, line: int, line_text: str, newline: str, *, at_end: bool = True) -> Fix:
    """ "Disable for this line": `code` joins the directive already on `line`, or a directive goes
    at its end (when `at_end` and it has no `#`), or alone on the line above, which covers it."""
    title = f"Disable {code} for this line"
    shift = 1 if line_text.startswith("\ufeff") and line == 1 else 0
    codes_end = suppress.disable_codes_end(line_text)
    if codes_end is not None:  # add the code to the directive already there
        return Fix(title, (_insert(line, codes_end + 1 - shift, f",{code}"),))
    if at_end and "#" not in line_text:
        end = len(line_text.rstrip()) + 1 - shift
        return Fix(
            title, (Edit(Span(line, end, line, len(line_text) + 1 - shift), f"  {suppress.disable_comment(code)}"),)
        )
    # The line has a comment (or a `#` in a value): a directive on its own line above covers the next line.
    indent = line_text[: len(line_text) - len(line_text.lstrip(" "))]
    return Fix(title, (_insert(line, 1, f"{indent.lstrip(chr(0xFEFF))}{suppress.disable_comment(code)}{newline}"),))


def _disable_file_fix(code: str, first_line: str, newline: str) -> Fix:
    title = f"Disable {code} for this file"
    shift = 1 if first_line.startswith("\ufeff") else 0
    codes_end = suppress.disable_codes_end(first_line, whole_file=True)
    if codes_end is not None:  # a disable-file directive on line 1, most likely this action's own
        return Fix(title, (_insert(1, codes_end + 1 - shift, f",{code}"),))
    return Fix(title, (_insert(1, 1, suppress.disable_comment(code, whole_file=True) + newline),))


def newline_of(text: str) -> str:
    """The line break the text uses (its first one), for the lines a fix adds."""
    match = _LINE_BREAK.search(text)
    return match.group() if match else "\n"


def verified(
    fix: Fix, code: str, text: str, before: Sequence[Diagnostic], lint: Callable[[str], Sequence[Diagnostic]]
) -> bool:
    """A fix is offered when the re-linted text has fewer findings of `code` and nothing worse
    (`fixes.makes_worse`: no new error, syntax error, duplicate key or bad suppression)."""
    applied = apply_fixes(text, [fix])
    if not applied.applied:
        return False
    after = lint(applied.text)
    return sum(d.code == code for d in after) < sum(d.code == code for d in before) and not makes_worse(before, after)


def changed_lines_edits(old: str, new: str, encoding: str) -> list[lsp.TextEdit]:
    """Edits that turn `old` into `new`: one per run of changed lines, so an editor keeps its
    marks and undo steps on the lines between, and the text of those lines, a secret included,
    is not sent back (hunt 107 F1). When the fixes kept the number of lines (most do: quotes,
    renames) lines are compared in order; else they are aligned (align.changed_runs)."""
    old_lines, new_lines = _with_breaks(old), _with_breaks(new)
    if len(old_lines) != len(new_lines):
        return [
            edit
            for first, stop, start, end in changed_runs(old_lines, new_lines)
            for edit in _replace_lines(old_lines, first, stop, "".join(new_lines[start:end]), encoding)
        ]
    edits = []
    index = 0
    while index < len(old_lines):
        if old_lines[index] == new_lines[index]:
            index += 1
            continue
        first = index
        while index < len(old_lines) and old_lines[index] != new_lines[index]:
            index += 1
        edits.extend(_replace_lines(old_lines, first, index, "".join(new_lines[first:index]), encoding))
    return edits


def _replace_lines(old_lines: list[str], first: int, stop: int, new_text: str, encoding: str) -> list[lsp.TextEdit]:
    """Edits putting `new_text` in place of old_lines[first:stop], less the characters both
    begin and end with, and, between those, less the words both keep: the lines' unchanged
    text is not sent back (a secret beside a fixed value went into the edit, and so into the
    editor's LSP logs: hunt 89 F3; NX216 turning a list of vars into a mapping sent every value
    but the last). Words are aligned in time linear in the run (align.changed_runs, deep), so a
    run of any length is compared: above 4,000 characters one edit spanned it, secrets included."""
    old_text = "".join(old_lines[first:stop])
    same = min(len(old_text), len(new_text))
    head = 0
    while head < same and old_text[head] == new_text[head]:
        head += 1
    tail = 0
    while tail < same - head and old_text[-1 - tail] == new_text[-1 - tail]:
        tail += 1
    if head and old_text[head - 1] == "\r" and old_text[head : head + 1] == "\n":
        head -= 1  # never between the two characters of a CRLF
    if tail and old_text[-tail] == "\n" and old_text[-tail - 1 : -tail] == "\r":
        tail -= 1
    old_part, new_part = old_text[head : len(old_text) - tail], new_text[head : len(new_text) - tail]
    changes = [(0, len(old_part), new_part)]  # (start, end) in old_part, and the text for it
    if old_part and new_part:
        # every character is in one token: token i starts at starts[i], and the last ends the text
        old_starts = [match.start() for match in TOKEN.finditer(old_part)] + [len(old_part)]
        new_starts = [match.start() for match in TOKEN.finditer(new_part)] + [len(new_part)]
        runs = changed_runs(
            [old_part[a:b] for a, b in itertools.pairwise(old_starts)],
            [new_part[a:b] for a, b in itertools.pairwise(new_starts)],
            deep=True,
        )
        changes = [(old_starts[a], old_starts[b], new_part[new_starts[c] : new_starts[d]]) for a, b, c, d in runs]
    positions = _positions_at(
        old_lines, first, [head + offset for start, end, _ in changes for offset in (start, end)], encoding
    )
    return [
        lsp.TextEdit(range=lsp.Range(start=positions[2 * k], end=positions[2 * k + 1]), new_text=text)
        for k, (_, _, text) in enumerate(changes)
    ]


def _positions_at(lines: list[str], first: int, offsets: list[int], encoding: str) -> list[lsp.Position]:
    """The positions `offsets` characters (in order) after the start of lines[first], found in
    one walk over the lines."""
    if first >= len(lines):  # after the last line: its end
        end = lsp.Position(line=len(lines) - 1, character=_width(lines[-1], encoding))
        return [end for _ in offsets]
    positions = []
    line, line_start = first, 0  # line_start: the offset at which `line` starts
    for offset in offsets:
        while line < len(lines) - 1 and offset - line_start >= len(lines[line]):
            line_start += len(lines[line])
            line += 1
        positions.append(lsp.Position(line=line, character=_prefix_width(lines[line], offset - line_start, encoding)))
    return positions


def _with_breaks(text: str) -> list[str]:
    """The text's lines as LSP counts them, each with its line break; the last has none."""
    starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]
    return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]


# --- scheduling --------------------------------------------------------------------------------


class _Job(NamedTuple):
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    function: Callable[..., Any]
    args: tuple[Any, ...]


class Scheduler:
    """Runs blocking jobs on daemon threads (exit never waits for one), at most `limit` at once.

    Each job has a key: a document's URI for its lint, a fresh object for a one-off request.
    A key has at most one job waiting and one running. A job submitted for a key that already
    waits takes the waiting one's place in line (the replaced job's future is cancelled); a key
    whose job runs keeps its next one waiting until that ends, then goes to the back of the line.
    So keys with work take turns, and one slow key holds one thread at most. `urgent` jobs (an
    editor waiting for an answer) go to the front. Touched on the event loop only.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._waiting: OrderedDict[Hashable, _Job] = OrderedDict()  # in turn order
        self._running: set[Hashable] = set()
        # Threads are started as needed, up to `limit`, and then kept: starting one per job cost
        # milliseconds on a busy machine. A job is queued only when a thread is free for it.
        self._queue: queue.SimpleQueue[tuple[Hashable, _Job]] = queue.SimpleQueue()
        self._threads = 0

    def submit(
        self, key: Hashable, function: Callable[..., Any], *args: Any, urgent: bool = False
    ) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        job = _Job(loop, loop.create_future(), function, args)
        replaced = self._waiting.get(key)
        if replaced is not None:
            replaced.future.cancel()
        self._waiting[key] = job  # a key that waits keeps its place in line
        if urgent:
            self._waiting.move_to_end(key, last=False)
        self._next()
        return job.future

    def cancel(self, key: Hashable) -> None:
        """Drop the key's waiting job, if any (a running one cannot be stopped; its caller ignores it)."""
        job = self._waiting.pop(key, None)
        if job is not None:
            job.future.cancel()

    def _next(self) -> None:
        while len(self._running) < self.limit:
            key = next((key for key in self._waiting if key not in self._running), None)
            if key is None:
                return
            job = self._waiting.pop(key)
            if job.future.cancelled():  # e.g. the editor cancelled the request meanwhile
                continue
            self._running.add(key)
            self._queue.put((key, job))
            if self._threads < len(self._running):
                self._threads += 1
                threading.Thread(target=self._serve, name="nexlayer-lint-worker", daemon=True).start()

    def _serve(self) -> None:
        while True:
            key, job = self._queue.get()
            try:
                outcome: tuple[Any, BaseException | None] = (job.function(*job.args), None)
            except Exception as exc:  # noqa: BLE001 - reported through the future
                outcome = (None, exc)
            try:
                job.loop.call_soon_threadsafe(self._done, key, job.future, *outcome)
            except RuntimeError:  # the loop is closed: the server is exiting
                return
            # not kept while the thread waits for its next job: a closed document's text, its
            # parse and its findings stayed alive in each idle worker (hunt 165 F1)
            del key, job, outcome

    def _done(self, key: Hashable, future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
        self._running.discard(key)
        if not future.done():
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)
        self._next()


# --- the server --------------------------------------------------------------------------------


@dataclass
class _State:
    """What the server knows about one open document (mutable, touched on the event loop only)."""

    timer: asyncio.Handle | None = None  # call_soon's or call_later's: both cancel
    remote: bool = False  # the next lint may ask the API (on open and save only, never per keystroke)
    version: int | None = None  # the version the diagnostics below are for
    text: str = ""
    lines: Lines = NO_LINES  # lines_of(text), made on the worker
    diagnostics: tuple[Diagnostic, ...] = ()  # each with its fix, the server's where the check has none
    published: bool = False
    document: Document | None = None  # parsed lazily for hovers on keys
    proven: dict[Fix, bool] = field(default_factory=dict)  # quick fixes re-linted for this version
    # The last local lint and what it depends on (text, path, settings, config error, encoding):
    # a save, or a config event that changes none of it, publishes it again without linting.
    linted: _Linted | None = None
    linted_for: tuple[Any, ...] | None = None
    conversions: Conversions = ("", {})  # the last published lint's
    kept: Kept | None = None  # what the last published lint kept of its Document, when its load found no problem
    # bumped by every start of a lint: a lint still running when a config event starts another
    # (or decides on none) publishes nothing, though the text's version is the same (hunt 121 F1)
    generation: int = 0


@dataclass(frozen=True)
class _Linted:
    lines: Lines
    diagnostics: tuple[Diagnostic, ...]
    lsp_diagnostics: list[lsp.Diagnostic]
    conversions: Conversions
    # what the lint kept of its Document for the next (engine.Linter.lint_keeping); None when the
    # load found a problem (the next lint parses again)
    kept: Kept | None
    error: str | None
    config_error: str | None

    @property
    def parsed(self) -> Document | None:
        return self.kept.document if self.kept is not None else None


class _Config(NamedTuple):
    stamps: tuple[tuple[int, int] | None, ...]  # mtime and size of the config and those it extends, when read
    settings: Settings
    error: str | None


def _stamps(config: Path | None, extended: Sequence[str]) -> tuple[tuple[int, int] | None, ...]:
    stamps: list[tuple[int, int] | None] = []
    paths: tuple[str | Path, ...] = (config, *extended) if config else ()
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            stamps.append(None)
        else:
            stamps.append((stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class _Protocol(LanguageServerProtocol):
    initialized = False  # an `initialize` succeeded (the server's handler ran)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per document, the diagnostics last published and their JSON, by id (_publish_json)
        self._published: dict[str, dict[int, tuple[lsp.Diagnostic, str]]] = {}

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        """pygls' own, given the text the changes make (apply_change), not its changes."""
        document = _open_document(self.workspace, params.text_document.uri)
        if document is not None:  # else pygls' own error for a change to a document never opened
            encoding = str(self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16)
            text = apply_changes(document.source, params.content_changes, encoding)
            whole = lsp.TextDocumentContentChangeWholeDocument(text=text)
            params = lsp.DidChangeTextDocumentParams(text_document=params.text_document, content_changes=[whole])
        yield from super().lsp_text_document__did_change(params)

    def _send_data(self, data: Any) -> None:
        """pygls' own, but an answer carrying many edits (Fix all on a big document: 111,222
        edits, 12.6 MB of JSON) is converted and serialised on a thread, and written when done:
        on the loop, every other document's answers waited 1.5-2.5 s for it (hunt 121 F3)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the loop's thread
            loop = None
        if self.writer is not None and getattr(data, "method", None) == lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            try:
                body = self._publish_json(data.params)
            except Exception as error:  # noqa: BLE001 - as pygls' _send_data reports one
                self._server._report_server_error(error, JsonRpcInternalError)
                return
            self._write(body)
            return
        if loop is None or self.writer is None or _edit_count(getattr(data, "result", None)) < MANY_EDITS:
            super()._send_data(data)
            return
        serialise = functools.partial(json.dumps, data, default=self._serialize_message)
        loop.run_in_executor(None, serialise).add_done_callback(self._write_body)

    def _publish_json(self, params: lsp.PublishDiagnosticsParams) -> str:
        """The JSON pygls writes for publishDiagnostics, each diagnostic's taken from the last
        publish of its document when it is the same object: after an edit most are
        (to_lsp_diagnostics), and serialising 600 of them again took 5-8 ms of each keystroke."""
        earlier = self._published.pop(params.uri, {})
        now: dict[int, tuple[lsp.Diagnostic, str]] = {}
        for d in params.diagnostics:
            known = earlier.get(id(d))
            if known is None or known[0] is not d:  # (held in `earlier`, so no other object has its id)
                known = (d, json.dumps(self._serialize_message(d)))
            now[id(d)] = known
        if now:
            self._published[params.uri] = now
        listed = ", ".join(now[id(d)][1] for d in params.diagnostics)
        empty = lsp.PublishDiagnosticsNotification(
            params=lsp.PublishDiagnosticsParams(uri=params.uri, diagnostics=[], version=params.version)
        )
        # JSON's only `"diagnostics": []` is the field's: inside a string a quote is escaped
        whole = json.dumps(empty, default=self._serialize_message)
        return whole.replace('"diagnostics": []', f'"diagnostics": [{listed}]', 1)

    def _write_body(self, serialised: asyncio.Future[str]) -> None:
        """Write a message serialised on a thread."""
        try:
            body = serialised.result()
        except Exception as error:  # noqa: BLE001 - as pygls' _send_data reports one
            self._server._report_server_error(error, JsonRpcInternalError)
            return
        self._write(body)

    def _write(self, body: str) -> None:
        """Write a serialised message, as pygls' _send_data writes one."""
        try:
            if self._include_headers:
                header = f"Content-Length: {len(body)}\r\nContent-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}"
                body = f"{header}\r\n\r\n{body}"
            written = self.writer.write(body.encode(self.CHARSET))  # type: ignore[union-attr]  # checked before
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)  # noqa: RUF006 - as pygls' _send_data does
        except BrokenPipeError:
            raise  # as pygls' _send_data
        except Exception as error:  # noqa: BLE001 - as pygls' _send_data reports one
            self._server._report_server_error(error, JsonRpcInternalError)

    @property
    def shut_down(self) -> bool:
        """Whether the client asked `shutdown` (the LSP spec: then `exit` ends the process with 0)."""
        return bool(self._shutdown)

    def handle_message(self, message: Any) -> Any:
        """pygls' own, but a request after `shutdown`, and a message that is no JSON-RPC 2.0
        message, are answered -32600 Invalid Request, as the LSP and JSON-RPC specs say, not
        dropped with a log of pygls' exception (the client would wait forever: hunt 43 F5,
        hunt 55 F4)."""
        if isinstance(message, dict) and "jsonrpc" in message:
            message = self._structured(message)
        msg_id = getattr(message, "id", None)
        if self._shutdown and getattr(message, "method", lsp.EXIT) != lsp.EXIT:
            if msg_id is not None:
                self._refuse(msg_id, JsonRpcInvalidRequest("the server is shutting down"))
            return None  # a notification after shutdown is dropped, as pygls does
        reason = _not_a_message(message)
        if reason is not None:
            log.error("refused a message: %s", reason)
            self._refuse(message.get("id") if isinstance(message, dict) else msg_id, JsonRpcInvalidRequest(reason))
            return None
        if getattr(message, "method", None) == lsp.INITIALIZE and msg_id is not None and self.initialized:
            # LSP: sent once (again only after one that failed: hunt 142 F7). pygls' second one
            # made a new workspace, and every open document was lost (hunt 138 F2)
            self._refuse(msg_id, JsonRpcInvalidRequest("initialize may only be sent once"))
            return None
        return super().handle_message(message)

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        """pygls' own, but an internal error says where it is logged, not what it was: pygls sent
        the exception's text and its traceback to the editor (hunt 138 F2)."""
        if error is not None and error.code == JsonRpcInternalError.CODE:
            error = JsonRpcInternalError("internal error in the nexlayer-lint server").to_response_error()
        super()._send_response(msg_id, result, error)

    def refuse_unreadable(self) -> None:
        """Answer a body that is no JSON text -32700 Parse error (JSON-RPC: its id is null)."""
        self._refuse(None, JsonRpcParseError("the message is not JSON text"))

    def _refuse(self, msg_id: Any, error: JsonRpcException) -> None:
        if _is_id(msg_id):
            self._send_response(msg_id, error=error.to_response_error())
        else:  # JSON-RPC's `"id": null`, which lsprotocol's converter would leave out
            self._send_data({"jsonrpc": "2.0", "id": None, "error": {"code": error.code, "message": error.message}})

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The hook json.loads calls for every object of a message: objects stay as they are, and
        handle_message structures the message itself. pygls' own hook took any object with a
        `jsonrpc` member for a message, one in a request's params too (`initializationOptions:
        {"jsonrpc": ...}`), and the request went unanswered (hunt 67 F1)."""
        return data

    def _structured(self, data: dict[str, Any]) -> Any:
        """pygls' reading of a message, with an answer to a request whose params it refuses.

        pygls logs such a request (a position's `character: -1`, a `line` past 2**31-1) and drops
        it unanswered, so the client would wait forever: it gets -32602 Invalid Params now.
        """
        is_request = "method" in data and "error" not in data and "result" not in data
        if is_request and self._shutdown and data.get("method") != lsp.EXIT:
            # answered -32600 by handle_message whatever its params (pygls would refuse missing
            # ones with -32602 and a traceback)
            return SimpleNamespace(id=data.get("id"), method=data["method"])
        try:
            return super().structure_message(data)
        except JsonRpcInternalError:
            # a request with no `params` (JSON-RPC lets it go without) to a method pygls does not
            # know: its generic message wants the key; with it, the request is answered -32601
            if is_request and "params" not in data:
                return super().structure_message({**data, "params": None})
            raise
        except JsonRpcInvalidParams as exc:
            msg_id = data.get("id")
            if is_request and _is_id(msg_id):
                self._send_response(msg_id, error=exc.to_response_error())
            elif is_request and msg_id is not None:  # `"id": NaN`: answered as handle_message would
                self._refuse(None, JsonRpcInvalidRequest("its id is neither a number nor a string"))
            raise


# An answer with this many edits is serialised on a thread (_Protocol._send_data): 1,000 take the
# loop about 10 ms.
MANY_EDITS = 1000


def _edit_count(result: Any) -> int:
    """How many text edits an answer's code actions carry (0 for any other answer)."""
    actions = result if isinstance(result, list) else [result]
    return sum(
        sum(len(edits) for edits in action.edit.changes.values())
        for action in actions
        if isinstance(action, lsp.CodeAction) and action.edit is not None and action.edit.changes
    )


def _is_id(value: Any) -> TypeGuard[int | str]:
    """A JSON-RPC id the client can match an answer to: a number or a string."""
    return isinstance(value, int | str) and not isinstance(value, bool)


def _not_a_message(message: Any) -> str | None:
    """Why a JSON value the client sent is no JSON-RPC 2.0 message LSP allows, or None.

    pygls structures only objects with a `jsonrpc` member (it is the hook json.loads calls for
    every object, nested ones too) and assumes the rest.
    """
    if isinstance(message, list):
        return "a batch (a JSON array): LSP sends one message at a time"
    if not hasattr(message, "jsonrpc"):
        return 'not a JSON object with "jsonrpc": "2.0"'
    if message.jsonrpc != "2.0":
        return 'its "jsonrpc" is not "2.0"'
    if getattr(message, "id", None) is not None and not _is_id(message.id):
        return "its id is neither a number nor a string"
    if hasattr(message, "method") and not isinstance(message.method, str):
        return "its method is not a string"
    return None


class NexlayerLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            SOURCE, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental, protocol_cls=_Protocol
        )
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.states: dict[str, _State] = {}
        self.scheduler = Scheduler(MAX_RUNNING)
        self.asking = Scheduler(MAX_ASKING)  # lints that ask the API
        self.request_turns: dict[tuple[str, str], asyncio.Lock] = {}  # (document, kind) -> whose turn
        self._configs: dict[Path | None, _Config] = {}
        self._shown: set[str] = set()
        # A repository's config may not make the editor reach the network: only the editor's own
        # settings can allow it (initializationOptions {"allowNetwork": true}).
        self.allow_network = False

    def report_server_error(self, error: Exception, source: Any) -> None:
        # Say where, not what: an exception's text may quote a document's (secret) values.
        log.error("nexlayer-lint server error: %s", _where(error))
        unreadable = json.JSONDecodeError | UnicodeDecodeError | RecursionError  # too deep for json.loads too
        # json.loads' own ValueError: an integer of more than 4,300 digits (hunt 121 F6)
        from_loads = isinstance(error, ValueError) and _raised_in_json(error)
        if (isinstance(error, unreadable) or from_loads) and isinstance(self.protocol, _Protocol):
            self.protocol.refuse_unreadable()  # json.loads of a body failed (pygls' reading loop)

    # settings -------------------------------------------------------------------------------

    def folder_of(self, uri: str) -> Path:
        from pygls.uris import to_fs_path

        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return Path(path).parent
        try:
            root = self.workspace.root_path
        except Exception:  # noqa: BLE001 - not initialized yet
            root = None
        return Path(root) if root else Path.cwd()

    def settings_for(self, uri: str) -> tuple[Settings, str | None]:
        """The settings of the config closest above the document (read again when it changes)."""
        settings, error = self.settings_in(str(self.folder_of(uri)))
        return (settings, error) if error else (for_file(settings, _path_of(uri)), None)  # per-file-ignores, as the CLI

    def forced_out(self, path: str, settings: Settings) -> bool:
        """Whether `check --force-exclude` would leave the document out (its own config's
        excludes, or a folder on its way from the workspace's root that the config of the folder
        above it excludes), so that the editor and the pre-commit hook agree (hunt 102 F3)."""
        if settings.force_exclude and is_excluded(path, settings):
            return True
        root = self.folder_of("")  # the workspace's root, where a search would start
        return left_out_on_the_way(opened_path(path), lambda folder: self.settings_in(folder)[0], str(root))

    def settings_in(self, folder: str) -> tuple[Settings, str | None]:
        """The settings of the config closest above `folder` (read again when it changes)."""
        try:
            # the folder as the CLI spells it (config.opened_path), not resolved: the config's
            # globs are matched against the document's path as spelt, and a workspace opened
            # through a symlinked folder matched none of them (hunt 79 F3)
            found = find_config(opened_path(folder))
        except (OSError, ValueError):  # ValueError: a NUL in the URI's path (`a%00b`), no file can be there
            found = None
        cached = self._configs.get(found)
        # A config is read again when it or one it extends changed; a broken one every time, as
        # what it lacks (a config it names) may have appeared since.
        if cached is None or cached.error or cached.stamps != _stamps(found, cached.settings.extended):
            try:
                settings = self._offline(read_config(found)) if found else Settings()
                cached = _Config(_stamps(found, settings.extended), settings, None)
            except ConfigError as exc:
                cached = _Config((), Settings(), str(exc))
            self._configs[found] = cached
        return cached.settings, cached.error

    def _offline(self, settings: Settings) -> Settings:
        if self.allow_network:
            return settings
        offline, asked = without_network(settings)
        if asked:
            self.log(
                lsp.MessageType.Warning,
                f"nexlayer-lint: {settings.config_file} sets {', '.join(asked)}; ignored, as the editor "
                'has not allowed network use (initializationOptions {"allowNetwork": true})',
            )
        return offline

    def is_config(self, uri: str) -> bool:
        """A config file by its name, or one that a config in use extends (hunt 57 F3), by its
        real path (a workspace opened through a symlink: hunt 60 F5); or any `.toml` file while a
        config could not be read, which may be the one it extends, missing until now (hunt 60 F3)."""
        if _is_config(uri):
            return True
        from pygls.uris import to_fs_path

        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            return False
        if path.endswith(".toml") and any(config.error for config in self._configs.values()):
            return True
        real = os.path.realpath(path)
        # and the schema file a config names: saved, the documents read against it change (hunt 121 F5)
        return any(
            real == os.path.realpath(read)
            for config in self._configs.values()
            for read in (*config.settings.extended, *_schema_file(config.settings.schema))
        )

    def config_changed(self) -> None:
        """A config file changed (or appeared, or went): every open document may read differently."""
        self._shown.clear()  # a config broken again deserves its message again
        for uri in list(self.states):
            self.lint_soon(uri, 0)

    # linting --------------------------------------------------------------------------------

    def lint_soon(self, uri: str, delay: float, remote: bool = False, edited: bool = False) -> None:
        """Lint soon; `remote`: an open or save, which asks the API. The API is asked until its
        answer is shown for the text asked about: an edit outdates that text, so typing while it
        answers asked it at every keystroke (hunt 138 F1); a config change does not, so its lint
        asks again (hunt 142 F4)."""
        state = self.states.setdefault(uri, _State())
        state.remote = remote or (state.remote and not edited)
        if state.timer is not None:
            state.timer.cancel()
        self.scheduler.cancel(uri)  # a lint that has not started is for an older text
        self.asking.cancel(uri)
        loop = asyncio.get_running_loop()
        state.timer = loop.call_later(delay, self._start, uri) if delay > 0 else loop.call_soon(self._start, uri)

    def _start(self, uri: str) -> None:
        try:
            self._start_lint(uri)
        except Exception as exc:  # noqa: BLE001 - a timer callback must never take the server down
            self.log(lsp.MessageType.Error, f"internal error while linting {_path_of(uri)}: {_where(exc)}")

    def _start_lint(self, uri: str) -> None:
        state = self.states.get(uri)
        if state is None:
            return
        state.timer = None
        state.generation += 1
        generation = state.generation
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        skipped = not is_nexlayer_document(uri, text, document.language_id)
        if not skipped:
            settings, config_error = self.settings_for(uri)
            # a file its config keeps out with force-exclude, as `check` (pre-commit) leaves it (hunt 68 F9)
            skipped = uri.startswith("file:") and self.forced_out(_path_of(uri), settings)
        if skipped:
            if state.published:
                cleared = lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[], version=version)
                self.text_document_publish_diagnostics(cleared)
            state.published, state.diagnostics, state.version = False, (), version
            state.text, state.lines, state.remote = text, NO_LINES, False
            return
        # A lint that asks the API is never reused, nor replaced by a local one; nor one by a
        # schema file since changed (hunt 114 F1: a save showed the old verdict)
        from nexlayer_lint.engine import schema_file_stamp

        stamp = schema_file_stamp(settings.schema)
        key = (
            None
            if state.remote and settings.remote
            else (text, _path_of(uri), settings, config_error, self.encoding(), stamp)
        )
        if key is not None and state.linted is not None and state.linted_for == key:
            self._publish(uri, state, version, text, state.linted, key)
            return
        earlier = (state.kept, state.conversions)
        job = (text, _path_of(uri), settings, state.remote, config_error, self.encoding(), *earlier)
        future = (self.scheduler if key is not None else self.asking).submit(uri, _lint_job, *job)
        future.add_done_callback(lambda done: self._finish(uri, state, version, text, done, key, generation))

    def _finish(
        self,
        uri: str,
        state: _State,
        version: int | None,
        text: str,
        done: asyncio.Future[Any],
        key: tuple[Any, ...] | None,
        generation: int,
    ) -> None:
        if self.states.get(uri) is not state or done.cancelled():  # closed meanwhile, or replaced before it ran
            return
        if state.generation != generation:
            return  # a lint started since (a config event: the same version) decides what is shown
        try:
            linted: _Linted = done.result()
        except Exception as exc:  # noqa: BLE001 - a lint crash is logged, never fatal
            self.log(lsp.MessageType.Error, f"internal error while linting {_path_of(uri)}: {_where(exc)}")
            return
        self._publish(uri, state, version, text, linted, key)

    def _publish(
        self, uri: str, state: _State, version: int | None, text: str, linted: _Linted, key: tuple[Any, ...] | None
    ) -> None:
        if linted.config_error and linted.config_error not in self._shown:
            self._shown.add(linted.config_error)
            self.window_show_message(
                lsp.ShowMessageParams(
                    type=lsp.MessageType.Error,
                    message=f"nexlayer-lint: {linted.config_error}; linting with the default settings",
                )
            )
        if linted.error:
            self.log(lsp.MessageType.Error, f"nexlayer-lint: {linted.error}")
        if self.workspace.get_text_document(uri).version != version:
            return  # stale: its ranges are for a text the editor no longer shows; a newer lint follows
        if key is None:  # the API's answer is shown (a local lint that ends just before a save's keeps the ask)
            state.remote = False
        state.version, state.text, state.lines, state.proven = version, text, linted.lines, {}
        state.document, state.kept = linted.parsed, linted.kept
        state.diagnostics, state.published = linted.diagnostics, True
        state.linted, state.linted_for = (linted, key) if key is not None else (None, None)
        state.conversions = linted.conversions
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=linted.lsp_diagnostics, version=version)
        )

    def close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is None:
            return
        if state.timer is not None:
            state.timer.cancel()
        self.scheduler.cancel(uri)
        self.asking.cancel(uri)
        if state.published:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def fresh(self, uri: str) -> _State | None:
        """The state when its diagnostics are for the document's current text, else None."""
        state = self.states.get(uri)
        if state is None or state.version is None:
            return None
        document = self.workspace.get_text_document(uri)
        return state if document.version == state.version and document.source == state.text else None

    async def run(self, key: tuple[str, str], function: Callable[..., Any], *args: Any) -> Any:
        """A request's job (a hover, fixes to prove): first in line, as an editor waits for it; but
        one document's requests of a kind take turns, so they hold one thread at most (hunt 43 F3:
        cancelled code actions on a big document held every thread, and other documents waited a
        minute for diagnostics). Each is answered; one cancelled before its job starts never runs,
        and one cancelled while its job runs keeps the turn until the job ends (hunt 50 F1)."""
        turn = self.request_turns.setdefault(key, asyncio.Lock())
        await turn.acquire()
        ticket = object()
        job = self.scheduler.submit(ticket, function, *args, urgent=True)
        job.add_done_callback(lambda _: turn.release())  # ran, failed, or dropped before it started
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            self.scheduler.cancel(ticket)  # not started yet: it never will (a running one cannot be stopped)
            raise

    def log(self, kind: lsp.MessageType, message: str) -> None:
        from nexlayer_lint.reporters.printable import printable

        # stderr is a terminal or an editor's log: a path from a URI may hold any character
        log.log(logging.ERROR if kind == lsp.MessageType.Error else logging.INFO, printable(message))
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    def encoding(self) -> str:
        return str(self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16)


def _lint_job(
    text: str,
    path: str,
    settings: Settings,
    remote: bool,
    config_error: str | None,
    encoding: str,
    kept: Kept | None,
    conversions: Conversions,
) -> _Linted:
    """On a worker: lint the text; an edit inside one value of the text `kept` holds is not parsed
    again (scalar_edit), and the findings an edit leaves as they were are not converted again."""
    from nexlayer_lint import loader
    from nexlayer_lint.engine import Linter
    from nexlayer_lint.scalar_edit import edited
    from nexlayer_lint.schema import SchemaLoadError

    if settings.remote and not remote:
        settings = replace(settings, remote=False)  # POST /validate on open and save, not per keystroke
    # The loader's size limit, in characters: a UTF-8 character takes at most 4 bytes.
    fits = len(text) * 4 <= settings.max_file_size
    parsed = kept.document if kept is not None else None
    document = edited(parsed, text) if parsed is not None and parsed.path == path and fits else None
    problems: list[Problem] = []
    if document is None:
        kept = None  # what was kept is of another Document
        document, problems = loader.load(text, path, max_bytes=settings.max_file_size)
    linter = Linter(settings, masked_text=False)  # the server shows no code frames
    try:
        linter.schema  # noqa: B018 - built (or found cached) here, to know whether it can be
    except SchemaLoadError as exc:
        # a schema file saved half-written, or gone: the bundled schema's verdict and an NX900
        # saying why, not an internal error that left the last, clean diagnostics (hunt 125 F1)
        linter.use_bundled_schema(str(exc))
    result, kept = linter.lint_keeping(text, path, document, problems, earlier=kept)
    lines = lines_of(text, encoding)
    diagnostics = result.diagnostics
    # past the cap, the note that says how many were left out takes one of its places
    shown = most_severe(diagnostics, MAX_PUBLISHED if len(diagnostics) <= MAX_PUBLISHED else MAX_PUBLISHED - 1)
    converted, conversions = to_lsp_diagnostics(shown, lines, encoding, conversions)
    if len(shown) < len(diagnostics):
        converted.append(_not_shown(diagnostics, shown, lines, encoding))
    return _Linted(lines, diagnostics, converted, conversions, None if problems else kept, result.error, config_error)


def _raised_in_json(error: BaseException) -> bool:
    """Whether `error` was raised by the json module (its decoder reading a message)."""
    last = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    return bool(last) and Path(last[0].filename).parent.name == "json"


def _path_of(uri: str) -> str:
    from pygls.uris import to_fs_path

    return (to_fs_path(uri) if uri.startswith("file:") else None) or unquote(uri.rsplit("/", 1)[-1]) or "nexlayer.yaml"


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {os.path.basename(last.filename)}:{last.lineno} in {last.name}"


def _schema_file(spec: str) -> tuple[str, ...]:
    """The schema file `spec` names, there or not (deleted, it changes the lint: hunt 125 F1);
    none for the bundled schema or a URL."""
    from nexlayer_lint.engine import names_schema_file

    return (spec,) if names_schema_file(spec) else ()


def _is_config(uri: str) -> bool:
    return unquote(uri.rsplit("/", 1)[-1]) in CONFIG_FILES


def create_server() -> NexlayerLanguageServer:
    server = NexlayerLanguageServer()

    @server.feature(DROPPED)
    def dropped(ls: NexlayerLanguageServer, params: None) -> None:
        pass  # BoundedReader has logged the message it refused

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: NexlayerLanguageServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        debounce = options.get("debounce") if isinstance(options, dict) else None
        # milliseconds, 0 to a minute: JSON's 1e400 is infinite, NaN is read too, and an integer
        # past float's range raised in float()
        if isinstance(debounce, int | float) and not isinstance(debounce, bool) and -math.inf < debounce < math.inf:
            ls.debounce = min(max(debounce, 0), MAX_DEBOUNCE_MS) / 1000
        ls.allow_network = isinstance(options, dict) and options.get("allowNetwork") is True
        if isinstance(ls.protocol, _Protocol):
            ls.protocol.initialized = True

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: NexlayerLanguageServer, params: lsp.InitializedParams) -> None:
        workspace = ls.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace else None
        if not (watching and watching.dynamic_registration):
            return  # the editor cannot watch: a config saved in it still re-lints (didSave)
        # every TOML file: a config may extend one of any name (`extend = "../shared.toml"`)
        # `*.json`: a schema file a config names (hunt 121 F5)
        watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in (*CONFIG_FILES, "*.toml", "*.json")]
        try:
            await ls.client_register_capability_async(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="nexlayer-lint-config-files",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                        )
                    ]
                )
            )
        except Exception as exc:  # noqa: BLE001 - linting works without it
            ls.log(lsp.MessageType.Warning, f"nexlayer-lint: could not watch the config files: {_where(exc)}")

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: NexlayerLanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(ls.is_config(change.uri) for change in params.changes):
            ls.config_changed()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NexlayerLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.lint_soon(params.text_document.uri, 0, remote=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NexlayerLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.lint_soon(params.text_document.uri, ls.debounce, edited=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: NexlayerLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.is_config(uri):
            ls.config_changed()
        elif uri in ls.states:
            ls.lint_soon(uri, 0, remote=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NexlayerLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: NexlayerLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return await _hover(ls, params.text_document.uri, params.position)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    async def code_action(ls: NexlayerLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        return await _code_actions(ls, params)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: NexlayerLanguageServer, action: lsp.CodeAction) -> lsp.CodeAction:
        uri = action.data.get("fixAll") if isinstance(action.data, dict) else None
        if action.kind == FIX_ALL and isinstance(uri, str) and uri in ls.states:
            action.edit = await _fix_all_edit(ls, uri)
        return action

    return server


async def _hover(ls: NexlayerLanguageServer, uri: str, position: lsp.Position) -> lsp.Hover | None:
    state = ls.states.get(uri)
    if state is None:
        return None
    encoding = ls.encoding()
    fresh = ls.fresh(uri)
    if fresh is not None:
        lines = fresh.lines
        line, col = from_position(lines, position, encoding)
        flagged = [d for d in fresh.diagnostics if _covers(d, line, col)]
        if flagged:
            pages = dict.fromkeys(d.code for d in flagged)  # one page per code, in order
            return lsp.Hover(
                contents=lsp.MarkupContent(
                    kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(rule_hover(code) for code in pages)
                ),
                range=to_range(lines, flagged[0], encoding),
            )
    buffer = ls.workspace.get_text_document(uri)
    text = buffer.source
    # the test linting uses: an unsaved `untitled:` buffer is known by its language (hunt 89 F2)
    if len(text) > MAX_INTERACTIVE_CHARS or not is_nexlayer_document(uri, text, buffer.language_id):
        return None
    lines = lines_of(text, encoding)
    line, col = from_position(lines, position, encoding)
    settings, _ = ls.settings_for(uri)
    cached = fresh.document if fresh is not None else None
    document, found = await ls.run((uri, "hover"), _key_hover_job, text, _path_of(uri), settings, line, col, cached)
    if fresh is not None and ls.fresh(uri) is fresh:
        fresh.document = document
    if found is None:
        return None
    path, shown, description = found
    span = document.positions[path].key
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=f"`{shown}`\n\n{description}"),
        range=lsp.Range(
            start=to_position(lines, span.line, span.col, encoding),
            end=to_position(lines, span.end_line, span.end_col, encoding),
        ),
    )


def _key_hover_job(
    text: str, path: str, settings: Settings, line: int, col: int, document: Document | None
) -> tuple[Document | None, tuple[DataPath, str, str] | None]:
    """On the worker: parse (unless cached), find the key under the cursor, its path as shown
    (a key may hold a secret, `ghp_...: x`: starred as in a diagnostic's path) and its description."""
    if document is None:
        from nexlayer_lint import loader

        document, _ = loader.load(text, path)
    if document is None:
        return None, None
    key = key_at(document, line, col)
    if key is None:
        return document, None
    schema_in_use, patterns = _schema_of(settings)
    description = schema_description(schema_in_use, key, patterns)
    if description is None:
        return document, None
    from nexlayer_lint.model import format_path
    from nexlayer_lint.secrets import unquotable_hider

    shown = format_path(key)
    hide = unquotable_hider(document)
    return document, (key, hide(shown) if hide is not None else shown, description)


def _schema_of(settings: Settings) -> tuple[Any, Patterns | None]:
    """The schema in use (as configured) and how its patterns are searched; the bundled one when
    the validator does not expose it."""
    from nexlayer_lint.engine import Linter

    try:
        validator = Linter(settings).schema.validator
    except Exception:  # noqa: BLE001 - a hover must not fail on a schema problem; the lint reports it
        validator = None
    if isinstance(getattr(validator, "schema", None), dict):
        return validator.schema, getattr(validator, "patterns", None)
    from nexlayer_lint.schema import bundled_validator

    validator = bundled_validator()[0]
    return validator.schema, validator.patterns


async def _code_actions(ls: NexlayerLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    uri = params.text_document.uri
    state = ls.fresh(uri)
    if state is None:
        return None
    asked = [str(getattr(kind, "value", kind)) for kind in params.context.only or ()]

    def wanted(kind: str) -> bool:  # kinds are dotted: asking for `source` asks for `source.fixAll.nexlayer-lint`
        return not asked or any(kind == prefix or kind.startswith(f"{prefix}.") for prefix in asked)

    small = len(state.text) <= MAX_INTERACTIVE_CHARS
    actions = []
    if wanted(lsp.CodeActionKind.QuickFix.value):
        actions = await _quick_fixes(ls, uri, state, params.range, small)
    settings = ls.settings_for(uri)[0]
    fixes_wanted = wanted_by(settings)  # as --fix: the safe fixes, or all of them with unsafe-fixes
    if wanted(FIX_ALL) and small and any(d.fix is not None and fixes_wanted(d.fix) for d in state.diagnostics):
        which = "problems, unsafe fixes included" if settings.unsafe_fixes else "safe problems"
        action = lsp.CodeAction(title=f"Fix all {which} (nexlayer-lint)", kind=FIX_ALL, data={"fixAll": uri})
        support = _text_document_capabilities(ls).code_action
        resolves = (
            support is not None and support.resolve_support is not None and "edit" in support.resolve_support.properties
        )
        if not resolves:  # the edit now, as the editor cannot ask for it later
            action.edit = await _fix_all_edit(ls, uri)
        actions.append(action)
    return actions


def _text_document_capabilities(ls: NexlayerLanguageServer) -> lsp.TextDocumentClientCapabilities:
    return ls.client_capabilities.text_document or lsp.TextDocumentClientCapabilities()


async def _quick_fixes(
    ls: NexlayerLanguageServer, uri: str, state: _State, where: lsp.Range, small: bool
) -> list[lsp.CodeAction]:
    encoding = ls.encoding()
    lines = state.lines
    texts = lines.text  # the engine's lines, as the findings count them
    start = from_position(lines, where.start, encoding)
    end = from_position(lines, where.end, encoding)
    newline = newline_of(state.text)
    multiline = state.kept.document.multiline_scalars if state.kept is not None else ()
    candidates: list[tuple[Diagnostic, Fix, bool]] = []
    offered: set[Fix] = set()  # "Disable NX215 for this file" once, not once per finding of NX215
    overlapping = (d for d in state.diagnostics if _overlaps(d, start, end))
    for diagnostic in itertools.islice(overlapping, MAX_FINDINGS_PER_REQUEST):
        for fix, preferred in quick_fixes(diagnostic, texts, newline, proven=small, multiline=multiline):
            if fix not in offered:
                offered.add(fix)
                candidates.append((diagnostic, fix, preferred))
    unproven = [(fix, d.code) for d, fix, _ in candidates if small and fix not in state.proven]
    unproven = unproven[:MAX_PROVEN_PER_REQUEST]  # the others are not offered (a later request may prove them)
    if unproven:
        text = state.text  # what the fixes are for
        settings, _ = ls.settings_for(uri)
        stop = threading.Event()  # set when the editor cancels: the job stops after its current lint
        try:
            proven = await ls.run(
                (uri, "code action"),
                _verify_job,
                text,
                _path_of(uri),
                replace(settings, remote=False),
                state.diagnostics,
                unproven,
                stop,
            )
        except asyncio.CancelledError:
            stop.set()
            raise
        if state.text != text:  # linted again meanwhile: these proofs are not its text's
            raise _content_modified()
        _unchanged_since(ls, uri, text)
        state.proven.update(zip((fix for fix, _ in unproven), proven, strict=True))
    actions: list[lsp.CodeAction] = []
    for diagnostic, fix, preferred in candidates:
        if small and not state.proven.get(fix):
            continue
        edits = [
            lsp.TextEdit(
                range=lsp.Range(
                    start=to_position(lines, e.span.line, e.span.col, encoding),
                    end=to_position(lines, e.span.end_line, e.span.end_col, encoding),
                ),
                new_text=e.text,
            )
            for e in fix.edits
        ]
        actions.append(
            lsp.CodeAction(
                title=fix.title,
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[to_lsp_diagnostic(diagnostic, lines, encoding)],
                edit=lsp.WorkspaceEdit(changes={uri: edits}),
                is_preferred=preferred or None,
            )
        )
    return actions


def _verify_job(
    text: str,
    path: str,
    settings: Settings,
    before: Sequence[Diagnostic],
    fixes: Sequence[tuple[Fix, str]],
    stop: threading.Event,
) -> list[bool]:
    """On a worker: re-lint the text as each fix would leave it; none more once `stop` is set
    (the request was cancelled, and its answer will not be read)."""
    from nexlayer_lint.engine import Linter

    linter = Linter(settings, masked_text=False)
    proven = []
    for fix, code in fixes:
        if stop.is_set():
            break
        proven.append(verified(fix, code, text, before, lambda edited: linter.lint(edited, path).diagnostics))
    return proven


async def _fix_all_edit(ls: NexlayerLanguageServer, uri: str) -> lsp.WorkspaceEdit:
    """Every safe fix of the document's current text, in one edit (nothing when there is none, or
    when the editor closed the document while the request waited its turn: pygls would read the
    file from disk, or fail on a file that is not there; hunt 50 F2)."""
    document = _open_document(ls.workspace, uri)
    if document is None:
        return lsp.WorkspaceEdit(changes={})
    text = document.source
    settings, _ = ls.settings_for(uri)
    edits = await ls.run((uri, "fix all"), _fix_all_job, text, _path_of(uri), settings, ls.encoding())
    _unchanged_since(ls, uri, text)
    return lsp.WorkspaceEdit(changes={uri: edits})


def _unchanged_since(ls: NexlayerLanguageServer, uri: str, text: str) -> None:
    """ContentModified when the document is no longer `text`, the text its edits were worked out
    for: they would be applied to the text after, one line off (hunt 57 F1). Judged by the text,
    not by its last lint's version, which a change not yet linted leaves as it was (hunt 60 F1)."""
    now = _open_document(ls.workspace, uri)
    if now is None or now.source != text:
        raise _content_modified()


def _open_document(workspace: Any, uri: str) -> Any:
    """The open document at `uri`, or None (pygls' get_text_document would read the file from
    disk). pygls keeps documents under their URI unquoted: a path with a space (`My%20Project`)
    was never found, and its quick fixes were always "the document changed" and its Fix all
    empty (hunt 107 F2)."""
    return workspace.text_documents.get(unquote(uri))


def _content_modified() -> JsonRpcContentModified:
    """The LSP spec's answer to a request whose document changed meanwhile: the editor asks again."""
    return JsonRpcContentModified("the document changed while its fixes were worked out")


def _fix_all_job(text: str, path: str, settings: Settings, encoding: str) -> list[lsp.TextEdit]:
    """On a worker: the edits that apply every fix --fix would apply, in passes (fixes.fix_all).
    The edits too are worked out here, not on the loop that answers the editor."""
    from nexlayer_lint.fix_files import fixing_linter

    linter = fixing_linter(settings, masked_text=False)
    fixed = fix_all(text, lambda edited: linter.lint(edited, path).diagnostics, wanted_by(settings))
    if fixed.text == text:
        return []
    edits = changed_lines_edits(text, fixed.text, encoding)
    if not _send_a_secret(text, edits):
        return edits
    # The words were aligned around a value that moved (NX216 writing `- value: x` / `key: NAME`
    # as `NAME: x`: hunt 147 F1), so an edit would carry it: the first pass's fixes' own edits,
    # which never hold one, instead; asked again, Fix all does the rest.
    lines, newline = lines_of(text, encoding), newline_of(text)
    return [
        lsp.TextEdit(
            range=lsp.Range(
                start=to_position(lines, edit.span.line, edit.span.col, encoding),
                end=to_position(lines, edit.span.end_line, edit.span.end_col, encoding),
            ),
            new_text=edit.text.replace("\r\n", "\n").replace("\n", newline),
        )
        for fix in fixed.passes[0].applied
        for edit in fix.edits
    ]


def _send_a_secret(text: str, edits: list[lsp.TextEdit]) -> bool:
    """Whether an edit's new text holds a secret of `text` (a value, or a password in a comment)."""
    from nexlayer_lint import loader
    from nexlayer_lint.secrets import hider, secret_spans

    document = loader.load(text, "")[0]
    if document is None:
        return False
    found = {text[start:end] for start, end in secret_spans(document)}
    if not found:
        return False
    hide = hider(found, whole_words=False)  # each edit's text read once, however many secrets (hunt 150 F3)
    if any(hide(edit.new_text) != edit.new_text for edit in edits):
        return True
    # the hider looks for 4 characters or more; a shorter password is one too (hunt 153 F5, 157 F3)
    short = {value for value in found if 0 < len(value) < 4}
    if not short:
        return False
    written = "\0".join(edit.new_text for edit in edits)
    if len(short) <= 32:
        return any(value in written for value in short)
    return any(written[at : at + size] in short for size in (1, 2, 3) for at in range(len(written) - size + 1))


_CONTENT_LENGTH = lazy(rb"content-length[ \t]*:[ \t]*([0-9]{1,20})[ \t]*\r?\n", re.IGNORECASE)
# The header's name, not the end of another's (`X-Content-Length`: hunt 58 F2): at the line's
# start, or after a body pygls took for a header line (its JSON ends with `}` or `]`, and maybe
# blanks: hunt 60 F6).
_LENGTH_HEADER = lazy(rb"(?:^|[}\]][ \t]*)(content-length[ \t]*:)", re.IGNORECASE)


_NO_BODY = b" "  # what pygls reads for an empty body: not JSON text


class BoundedReader:
    """The client's stream as pygls reads it (readline, read), refusing a message over MAX_MESSAGE_BYTES.

    The body of such a message is read and dropped in pieces, so the messages after it are read
    as usual, and pygls gets a DROPPED notification in its place. A header line without an end
    is cut at the same size (pygls then finds no header in it).

    pygls reads only `Content-Length: N` spelt so and ended by CRLF; a header's name has no case
    (`content-length: N`) and its line may end with LF alone, so such a line is given to it as
    pygls spells it. After a header pygls cannot read (`Content-Length: 1x`), it takes the body
    for the next header line, joined to the next message's header: what comes before that
    header is dropped, so one bad message does not silence the session (hunt 55 F6).
    pygls reads no body after `Content-Length: 0` and so answers nothing: it is told of a body of
    one blank instead, which is no JSON text either, and answered -32700 as any such body is.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.empty_body = False  # the message's length header announced none
        self.length_read = False  # a length header of this message was read (pygls takes the first)

    def readline(self) -> bytes:
        line = self.stream.readline(MAX_MESSAGE_BYTES)
        header = _LENGTH_HEADER.search(line)
        if header is None:
            if not line.strip():
                self.length_read = False  # the headers' end: the next length is the next message's
            return line
        at = header.start(1)
        if at > 0:
            log.error("dropped %d bytes that were no message header", at)
        length = _CONTENT_LENGTH.fullmatch(line, at)
        if length is None:
            return line[at:]
        size = int(length.group(1))
        if not self.length_read:  # a later one pygls ignores: the flag must not follow it (hunt 77 F4)
            self.empty_body, self.length_read = size == 0, True
        return b"Content-Length: %d\r\n" % (size or len(_NO_BODY))

    def read(self, size: int) -> bytes:
        if self.empty_body and size == len(_NO_BODY):
            self.empty_body = False
            return _NO_BODY
        if size <= MAX_MESSAGE_BYTES:
            return self.stream.read(size)
        log.error("dropped a message of %d bytes, over the limit of %d bytes", size, MAX_MESSAGE_BYTES)
        while size > 0:
            piece = self.stream.read(min(size, 1 << 20))
            if not piece:
                return b""  # the client is gone: pygls stops reading
            size -= len(piece)
        return json.dumps({"jsonrpc": "2.0", "method": DROPPED, "params": None}).encode()


def _where_not_what(record: logging.LogRecord) -> bool:
    """pygls logs a message it cannot handle with its params (a document's text, its secrets
    too) and a traceback: its records keep their numbers (message ids), the type of anything
    else, and where an exception was raised, as report_server_error does (hunt 55 F3)."""
    if record.name.startswith("pygls"):
        if isinstance(record.args, tuple):
            record.args = tuple(
                arg if isinstance(arg, int | float) and not isinstance(arg, bool) else f"<{type(arg).__name__}>"
                for arg in record.args
            )
        elif record.args:  # a mapping: `%(name)s` placeholders
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} ({_where(record.exc_info[1])})"
        record.exc_info, record.exc_text = None, None
    return True


def serve() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="nexlayer-lint server: %(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_where_not_what)
    server = create_server()

    def on_interrupt(signum: int, frame: object) -> None:
        # Ctrl-C: as the command line says it (hunt 67 F3). At once: pygls swallows SystemExit,
        # and its thread reading stdin would keep an idle server waiting for input (hunt 70 F2).
        sys.stderr.write("nexlayer-lint: interrupted\n")
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)

    signal.signal(signal.SIGINT, on_interrupt)
    server.start_io(stdin=BoundedReader(sys.stdin.buffer))  # type: ignore[arg-type]
    # pygls swallows the SystemExit of its own `exit` handler: the spec's code is given here (1
    # when the client never asked `shutdown`, also when it just went away)
    protocol = server.protocol
    sys.exit(0 if isinstance(protocol, _Protocol) and protocol.shut_down else 1)
