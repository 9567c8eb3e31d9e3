"""Text for people: `path:line:col: severity CODE message [name]`, a code frame, a summary line.

A finding that `--fix` would fix shows `[*]` after its code (as ruff marks it): one with a safe
fix, or an unsafe one when unsafe fixes are on. The summary then says how many are fixable, and
how many more `--unsafe-fixes` would fix when the run did not say whether it wants them.

Paths are as given on the command line (or found under it). Every name, message and source line
is printed through `printable`: a control character shows as `\\x1b`, never reaches the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence

from nexlayer_lint.model import Diagnostic, FileResult, RunInfo
from nexlayer_lint.reporters._common import counts, sorted_results, source_lines
from nexlayer_lint.reporters.printable import at_line_start, printable

_RESET, _BOLD, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"
_SEVERITY_COLOR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m"}
_GUTTER_COLOR = "\x1b[1;34m"
_HELP_COLOR = "\x1b[1;36m"
# A frame shows a long line as a window around the span: each frame costs the same however long
# the line is, and one line holding thousands of findings does not print itself thousands of times.
_LONG_LINE = 240
_CONTEXT = 80
_MAX_SPAN = 160


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    color = bool(getattr(options, "color", False))
    show_source = bool(getattr(options, "show_source", False))
    quiet = bool(getattr(options, "quiet", False))
    unsafe = unsafe_choice(options)
    fixed: Mapping[str, Sequence[Diagnostic]] | None = getattr(options, "fixed", None)
    paint = _painter(color)
    out: list[str] = []
    for result in sorted_results(results):
        lines = source_lines(result.masked_text) if show_source else []
        for diag in result.diagnostics:
            out.append(_header(diag, paint, fixable(diag, unsafe(result.path))))
            if show_source:
                out.extend(_frame(diag, lines, paint))
                if diag.hint:
                    out.append(
                        f"{' ' * _gutter_width(diag)}{paint('=', _GUTTER_COLOR)} "
                        f"{paint('help:', _HELP_COLOR)} {printable(diag.hint)}"
                    )
                out.append("")  # frames read better apart
            elif diag.hint:
                out.append(f"  {paint('help:', _HELP_COLOR)} {printable(diag.hint)}")
    if getattr(options, "show_fixes", False):
        out.extend(_fix_list(results, fixed, unsafe, paint))
    if not quiet:
        fixed_by_file = fixed or {}
        count = sum(len(found) for found in fixed_by_file.values())
        if count:
            files = sum(1 for found in fixed_by_file.values() if found)
            out.append(paint(f"fixed {_plural(count, 'problem')} in {_plural(files, 'file')}", _BOLD))
        out.append(paint(summary(results), _BOLD))
        note = fixable_summary(results, unsafe)
        if note:
            out.append(note.replace("[*]", paint("[*]", _HELP_COLOR), 1))
    return "".join(line + "\n" for line in out)


def unsafe_choice(options: object) -> Callable[[str], bool | None]:
    """Each file's unsafe-fixes choice, by its path: its own config's (options.unsafe_fixes_of;
    per-folder configs choose apart, and --fix follows each: hunt 76 F2), else the run's."""
    of: Mapping[str, bool | None] = getattr(options, "unsafe_fixes_of", None) or {}
    run_wide = getattr(options, "unsafe_fixes", None)
    return lambda path: of.get(path, run_wide)


def fixable(diag: Diagnostic, unsafe_fixes: bool | None) -> bool:
    """Whether --fix (with the file's unsafe-fixes choice) would fix `diag`: it is marked [*]."""
    return diag.fix is not None and (diag.fix.applicability == "safe" or unsafe_fixes is True)


def unsafe_unsaid(results: Sequence[FileResult], unsafe: Callable[[str], bool | None]) -> int:
    """The unsafe fixes of files whose config does not say whether it wants them: what
    `--unsafe-fixes` would fix more."""
    return sum(
        1
        for r in results
        if unsafe(r.path) is None
        for d in r.diagnostics
        if d.fix is not None and d.fix.applicability == "unsafe"
    )


def fixable_summary(results: Sequence[FileResult], unsafe: Callable[[str], bool | None]) -> str:
    """`[*] 2 fixable with --fix (1 more with --unsafe-fixes)`; empty when nothing is."""
    count = sum(1 for r in results for d in r.diagnostics if fixable(d, unsafe(r.path)))
    hidden = unsafe_unsaid(results, unsafe)
    if count and hidden:
        return f"[*] {count} fixable with --fix ({hidden} more with --unsafe-fixes)"
    if count:
        return f"[*] {count} fixable with --fix"
    return f"[*] {hidden} fixable with --fix --unsafe-fixes" if hidden else ""


def _fix_list(
    results: Sequence[FileResult],
    fixed: Mapping[str, Sequence[Diagnostic]] | None,
    unsafe: Callable[[str], bool | None],
    paint,
) -> list[str]:
    """--show-fixes: per file, the fixes --fix applied (where each finding was before), or would apply."""
    if fixed is not None:
        # in line order, as the fixes available are (--fix applies them safe ones first: hunt 99)
        title = "fixes applied:"
        listed = [(path, sorted(found, key=lambda d: (d.line, d.col))) for path, found in sorted(fixed.items())]
    else:
        title = "fixes available with --fix:"
        listed = [(r.path, [d for d in r.diagnostics if fixable(d, unsafe(r.path))]) for r in sorted_results(results)]
    out = []
    for path, found in listed:
        if found:
            out.append(f"- {printable(path)}:")
            out.extend(f"    {d.line}:{d.col}  {paint(d.code, _BOLD)}  {printable(d.fix.title)}" for d in found)  # type: ignore[union-attr]
    return [paint(title, _BOLD), *out, ""] if out else []


def summary(results: Sequence[FileResult]) -> str:
    """`3 errors, 1 warning in 2 files`; `in 2 of 5 files` when some were clean."""
    linted = [r for r in results if not r.error]
    found = counts(results)
    parts = [_plural(found[level], level) for level in ("error", "warning", "info") if found[level]]
    with_findings = sum(1 for r in results if r.diagnostics)
    unread = len(results) - len(linted)
    tail = f"; {_plural(unread, 'file')} could not be linted" if unread else ""
    if not parts:
        return f"no problems in {_plural(len(linted), 'file')}{tail}"
    where = (
        _plural(with_findings, "file")
        if with_findings == len(results)
        else f"{with_findings} of {_plural(len(results), 'file')}"
    )
    return f"{', '.join(parts)} in {where}{tail}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _painter(color: bool):
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color and text else text

    return paint


def _header(diag: Diagnostic, paint, fixable: bool = False) -> str:
    where = paint(f"{at_line_start(printable(diag.file))}:{diag.line}:{diag.col}:", _BOLD)
    level = paint(diag.severity, _SEVERITY_COLOR.get(diag.severity, _BOLD))
    mark = f" {paint('[*]', _HELP_COLOR)}" if fixable else ""
    return f"{where} {level} {paint(diag.code, _BOLD)}{mark} {printable(diag.message)} {paint(f'[{diag.name}]', _DIM)}"


def _gutter_width(diag: Diagnostic) -> int:
    return len(str(diag.line)) + 1


def _frame(diag: Diagnostic, lines: list[str], paint) -> list[str]:
    """The span's first line, underlined; a multi-line span is underlined to that line's end."""
    if not 1 <= diag.line <= len(lines):
        return []
    width = _gutter_width(diag)
    bar = paint("|", _GUTTER_COLOR)
    blank = f"{' ' * width}{bar}"
    line = lines[diag.line - 1]
    start = min(max(diag.col - 1, 0), len(line))
    end = diag.end_col - 1 if diag.end_line == diag.line else _content_end(line, start)
    end = max(min(end, len(line)), start)
    line, start, end = _window(line, start, end)
    # Escapes are wider than the characters they stand for: measure the escaped text. The
    # escape of a prefix is a prefix of the escape, so the three parts line up.
    text = printable(line, keep_tabs=True)
    before = printable(line[:start], keep_tabs=True)
    marked = printable(line[:end], keep_tabs=True)[len(before) :]
    carets = "^" * max(_width(marked), 1)
    return [
        blank,
        f"{paint(str(diag.line), _GUTTER_COLOR)} {bar} {text}".rstrip(),
        f"{blank} {_padding(before)}{paint(carets, _SEVERITY_COLOR.get(diag.severity, _BOLD))}",
    ]


def _content_end(line: str, start: int) -> int:
    """Where the line's text ends (trailing spaces excluded); of a long line, only as far as a
    frame would show from `start`, not the whole line again for every finding on it."""
    if len(line) <= _LONG_LINE:
        return len(line.rstrip())
    return start + len(line[start : start + _MAX_SPAN].rstrip())


def _window(line: str, start: int, end: int) -> tuple[str, int, int]:
    """A long line cut to the span (at most _MAX_SPAN characters) with _CONTEXT either side, `…`
    where it was cut; the span's start and end moved to match."""
    if len(line) <= _LONG_LINE:
        return line, start, end
    end = min(end, start + _MAX_SPAN)
    low, high = max(start - _CONTEXT, 0), min(end + _CONTEXT, len(line))
    head = "…" if low else ""
    shown = head + line[low:high] + ("…" if high < len(line) else "")
    return shown, start - low + len(head), end - low + len(head)


def _width(text: str) -> int:
    """Terminal columns: East Asian wide characters take two; combining marks (the accent of a
    decomposed `é`) and zero-width characters (U+200B, a joiner) none (hunt 45 F4)."""
    return sum(_char_width(ch) for ch in text)


# Format characters a terminal draws a column for (glibc's wcwidth): the soft hyphen, the Arabic
# number signs (hunt 47 F3).
_SHOWN_FORMATS = frozenset("\u00ad\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u08e2")


def _char_width(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") and ch not in _SHOWN_FORMATS:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _padding(prefix: str) -> str:
    """Spaces as wide as `prefix`, keeping its tabs so the carets land under the right text."""
    return "".join(ch if ch == "\t" else " " * _char_width(ch) for ch in prefix)
