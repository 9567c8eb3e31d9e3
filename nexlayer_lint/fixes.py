"""Applying fixes to a text: many fixes' edits in one pass, never two that touch, then passes.

A `Fix` (model.py) is a list of `Edit`s, each a Span of the source (1-based lines and columns in
code points, end exclusive, as the loader counts them) and its replacement. The language
server's quick fixes and `source.fixAll`, and the command line's `--fix`, all go through here:

    apply_fixes(text, fixes) -> Applied(text, applied, deferred)
        One pass: fixes are taken in the order given; a fix that touches one already taken (what
        it covers, each edit, or its edits on one line from the first to the last, overlaps or
        meets what the other covers) is deferred whole, to be offered again by the next lint.
        Every other byte stays as it was; the line breaks an edit brings become the text's own
        (a CRLF file stays CRLF).
    fix_all(text, diagnose, wanted) -> Fixed(text, applied, rejected, added)
        Passes of lint, apply, lint until no wanted fix is left (at most MAX_PASSES), the safe
        fixes before any unsafe one: a pass that would add an error (or any NX001, NX002,
        NX099) is sorted out in halves down to single fixes, and the fixes that make it worse are rejected
        (`added` says what each would have added), so fixing never breaks a file.
    makes_worse(before, after) -> bool, worsened(before, after) -> codes
        The rule both use: a fix may not add a diagnostic of error severity for any code, nor
        any syntax error, duplicate key or bad suppression.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise
from types import MappingProxyType
from typing import Any, NamedTuple

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import Diagnostic, Fix, Span

# Lints that sort out the fixes that made the file worse (_one_by_one), for one file in all:
# room for dozens of bad fixes among thousands, and a bound on a file where every fix is bad.
MAX_TRIALS = 256
MAX_PASSES = 10
# Codes a fix must never add, whatever their configured severity: the file stops parsing, gets
# a duplicate key, or a directive stops working.
NEVER_ADDED = ("NX001", "NX002", "NX099")

# The line breaks of the YAML parser, whose line numbers every Span uses.
_BREAK = lazy("\r\n|[\r\n\x85\u2028\u2029]")
# The ones a file's lines end with (NEL and the Unicode separators are never used for that).
_NEWLINE = lazy("\r\n|[\r\n]")


class Applied(NamedTuple):
    text: str
    applied: tuple[Fix, ...]
    deferred: tuple[Fix, ...]  # touched an edit applied before them: lint again to offer them again


class Fixed(NamedTuple):
    text: str
    applied: tuple[Fix, ...]  # in the order they were applied, over all passes
    rejected: tuple[Fix, ...]  # each would have made the file worse (`makes_worse`)
    added: Mapping[Fix, tuple[str, ...]] = MappingProxyType({})  # rejected fix -> the codes it would add
    passes: tuple[Applied, ...] = ()  # each pass that changed the text: the text it began with, its fixes


class Offsets:
    """(line, col) of a Span -> an index into the text. A leading BOM, which the loader drops
    before counting columns, is skipped; a column past its line's end means the line's end."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bom = 1 if text.startswith("\ufeff") else 0
        self.starts = [self.bom] + [match.end() for match in _BREAK.finditer(text, self.bom)]
        self.ends = [match.start() for match in _BREAK.finditer(text, self.bom)] + [len(text)]

    def of(self, line: int, col: int) -> int:
        if line > len(self.starts):
            return len(self.text)
        index = max(line, 1) - 1
        return min(self.starts[index] + max(col, 1) - 1, self.ends[index])

    def span(self, span: Span) -> tuple[int, int]:
        return self.of(span.line, span.col), max(self.of(span.end_line, span.end_col), self.of(span.line, span.col))

    def place(self, index: int) -> tuple[int, int]:
        """The (line, col) of an index into the text: `of`, the other way."""
        line = max(bisect.bisect_right(self.starts, index), 1)
        return line, index - self.starts[line - 1] + 1


class Origins:
    """Where a place of the text a fix was offered on was in the text before any fix
    (`origins(fix, line, col)`): a fix of a later pass was found after earlier passes moved the
    text. A place inside what an earlier fix wrote is that fix's start. Built once per fixed file
    (each pass's line starts and edits); then each place costs a lookup and a bisect per pass."""

    def __init__(self, fixed: Fixed) -> None:
        self.pass_of = {fix: index for index, one in enumerate(fixed.passes) for fix in one.applied}
        self.offsets = [Offsets(one.text) for one in fixed.passes]
        self.moves = [_moves(one, offsets) for one, offsets in zip(fixed.passes, self.offsets, strict=True)]

    def __call__(self, fix: Fix, line: int, col: int) -> tuple[int, int]:
        index = self.pass_of.get(fix, 0)
        if index == 0:
            return line, col
        at = self.offsets[index].of(line, col)
        for earlier in reversed(self.moves[:index]):
            at = earlier.before(at)
        return self.offsets[0].place(at)


class _Moves(NamedTuple):
    """One pass's edits, sorted: where each starts and ends in the new text, where it started in
    the old, and how much longer the new text is than the old after it."""

    new_starts: list[int]
    new_ends: list[int]
    old_starts: list[int]
    shifts: list[int]

    def before(self, index: int) -> int:
        """An index into the text the pass made, as an index into the text it began with."""
        edit = bisect.bisect_right(self.new_starts, index) - 1
        if edit < 0:
            return index
        if index < self.new_ends[edit]:
            return self.old_starts[edit]  # inside what this edit wrote
        return index - self.shifts[edit]


def _moves(one_pass: Applied, offsets: Offsets) -> _Moves:
    newline = newline_of(one_pass.text)
    edits = sorted(
        (*offsets.span(edit.span), len(_with_newline(edit.text, newline)))
        for fix in one_pass.applied
        for edit in fix.edits
    )
    moves = _Moves([], [], [], [])
    shift = 0
    for start, end, length in edits:
        moves.new_starts.append(start + shift)
        moves.new_ends.append(start + shift + length)
        moves.old_starts.append(start)
        shift += length - (end - start)
        moves.shifts.append(shift)
    return moves


def apply_fixes(text: str, fixes: Iterable[Fix]) -> Applied:
    """One pass of `fixes` over `text` (see the module's docstring)."""
    offsets = Offsets(text)
    newline = newline_of(text)
    taken: list[tuple[int, int]] = []  # what the applied fixes cover (_pieces): sorted, none touching
    edits: list[tuple[int, int, str]] = []
    applied: list[Fix] = []
    deferred: list[Fix] = []
    for fix in fixes:
        mine = sorted((*offsets.span(edit.span), _with_newline(edit.text, newline)) for edit in fix.edits)
        pieces = _pieces(fix, offsets)
        if not mine or _overlap(mine) or any(_touches(taken, start, end) for start, end in pieces):
            deferred.append(fix)
            continue
        for piece in pieces:
            bisect.insort(taken, piece)
        edits += mine
        applied.append(fix)
    out: list[str] = []
    done = 0
    for start, end, replacement in sorted(edits):
        out += (text[done:start], replacement)
        done = end
    out.append(text[done:])
    return Applied("".join(out), tuple(applied), tuple(deferred))


def newline_of(text: str) -> str:
    """The line break the text uses (its first CRLF, CR or LF; LF in a text of one line)."""
    match = _NEWLINE.search(text)
    return match.group() if match else "\n"


def _with_newline(replacement: str, newline: str) -> str:
    # A check writes its new lines with "\n"; a CRLF (or CR) file must not gain a lone LF.
    if newline == "\n" or "\n" not in replacement:
        return replacement
    return replacement.replace("\r\n", "\n").replace("\n", newline)


def _pieces(fix: Fix, offsets: Offsets) -> list[tuple[int, int]]:
    """What a fix covers: each of its edits, the edits on one line as one stretch from the first
    to the last (a value quoted by two inserts covers the value). Not a fix's first edit to its
    last over lines: eleven pod renames, each with its reference in one gateway's vars, then took
    a pass each (hunt 278 F3)."""
    pieces: list[tuple[int, int]] = []
    last_line = 0
    for edit in sorted(fix.edits, key=lambda edit: (edit.span.line, edit.span.col)):
        start, end = offsets.span(edit.span)
        if pieces and edit.span.line == last_line:
            pieces[-1] = (pieces[-1][0], max(pieces[-1][1], end))
        else:
            pieces.append((start, end))
        last_line = edit.span.end_line
    return pieces


def _overlap(edits: Sequence[tuple[int, int, str]]) -> bool:
    """Whether two edits of one fix (sorted) overlap: the fix is malformed, so it is not applied."""
    return any(later[0] < earlier[1] or later[0] == earlier[0] for earlier, later in pairwise(edits))


def _touches(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    # `taken` is sorted and none of its ranges touch, so only the neighbours of [start, end] can.
    index = bisect.bisect_left(taken, (start,))
    return (index > 0 and taken[index - 1][1] >= start) or (index < len(taken) and taken[index][0] <= end)


def makes_worse(before: Sequence[Diagnostic], after: Sequence[Diagnostic]) -> bool:
    """Whether `after` has more errors of some code than `before`, or more NX001/NX002/NX099."""
    return bool(worsened(before, after))


def worsened(before: Sequence[Diagnostic], after: Sequence[Diagnostic]) -> tuple[str, ...]:
    """The codes `after` has more of than `before`, among errors and NX001/NX002/NX099; sorted."""
    return tuple(sorted(_tally(after, _code) - _tally(before, _code)))


def _new_errors(
    before: Sequence[Diagnostic],
    after: Sequence[Diagnostic],
    fixes: Sequence[Fix],
    text: str,
    *,
    never_added_only: bool = False,
) -> bool:
    """Whether `after` (the text with `fixes` applied) has an error (or NX001/NX002/NX099)
    finding, by code and message, that `before` (of `text`) has fewer of; with
    `never_added_only`, only an NX001/NX002/NX099 finding. A line a message of `before` quotes
    ("already used by pod p0 on line 14") is read where the fixes moved it, so a fix that removes
    lines above is not taken for one that adds the error (every pass of good fixes was sorted out
    one by one, up to 256 lints: hunts 104 F6, 106 F1); a name a message quotes is read as the
    fixes renamed it, in both texts' messages ("pods: "Pod0", ..." after `Pod0` became `pod0`:
    hunt 171 F1). The codes a fix must never add are also told apart by the line they sit on: an
    unused suppression on line 8 is not the one on line 9 that the same pass removed, whatever
    their words (hunts 105 F2, 106 F2)."""
    moved = _line_mover(fixes)
    renamed = _renames(text, fixes)
    if never_added_only:
        before = [d for d in before if d.code in NEVER_ADDED]
        after = [d for d in after if d.code in NEVER_ADDED]
    # the renames apply to every name a message quotes, so to `after`'s too: a name the fixes
    # did not rename (another pod's duplicate `env:`, a volume named as its pod) reads the same
    # on both sides (hunts 175 F2, 178 F1)
    return bool(
        _tally(after, lambda d: _as_found(d, None, renamed)) - _tally(before, lambda d: _as_found(d, moved, renamed))
    )


def _renames(text: str, fixes: Sequence[Fix]) -> dict[str, str]:
    """The names `fixes` rewrite: an edit that replaces one name on its line with another."""
    offsets = Offsets(text)
    renamed: dict[str, str] = {}
    for edit in (edit for fix in fixes for edit in fix.edits):
        if edit.span.line == edit.span.end_line:
            start, end = offsets.span(edit.span)
            old, new = text[start:end].strip("\"'"), edit.text.strip("\"'")
            if old != new and _NAME.fullmatch(old) and _NAME.fullmatch(new):
                renamed[old] = new
    return renamed


_NAME = lazy(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}")
_QUOTED_NAME = lazy(r'"([^"\n]{1,253})"')


def _tally(diagnostics: Sequence[Diagnostic], key: Callable[[Diagnostic], Any]) -> Counter[Any]:
    """The errors and NX001/NX002/NX099 among `diagnostics`, counted by `key`."""
    return Counter(key(d) for d in diagnostics if d.severity == "error" or d.code in NEVER_ADDED)


def _code(diagnostic: Diagnostic) -> str:
    return diagnostic.code


def _as_found(
    diagnostic: Diagnostic,
    moved: Callable[[int], int | None] | None = None,
    renamed: Mapping[str, str] | None = None,
) -> tuple[Any, ...]:
    """What tells a finding from another: its code and message, and for the codes a fix must
    never add, its line; with `moved`, the lines as the fixes moved them (-1: inside an edit);
    with `renamed`, the names it quotes as the fixes renamed them."""
    message = diagnostic.message
    if moved is not None:
        message = _QUOTED_LINE.sub(lambda match: _moved_line(match, moved), message)
    if renamed:
        message = _QUOTED_NAME.sub(lambda match: f'"{renamed.get(match.group(1), match.group(1))}"', message)
    if diagnostic.code not in NEVER_ADDED:
        return diagnostic.code, message
    line = diagnostic.line if moved is None else moved(diagnostic.line)
    return diagnostic.code, message, -1 if line is None else line


_QUOTED_LINE = lazy(r"\b(lines? )(\d{1,9})\b")


def _moved_line(match: re.Match[str], moved: Callable[[int], int | None]) -> str:
    line = moved(int(match.group(2)))
    return match.group(1) + ("?" if line is None else str(line))


def _line_mover(fixes: Sequence[Fix]) -> Callable[[int], int | None]:
    """Where each line of the text before `fixes` is after them: later by the line breaks the
    edits above it add or remove; None for a line an edit replaces past its first. An edit that
    ends at a line's first column (a whole line removed, a line inserted) replaces none of that
    line, which it moves: the line after a removed directive was taken for one the edit replaced,
    and its findings for new ones (hunt 108 F2)."""

    def last_line(span: Span) -> int:  # the last line whose text the edit replaces or precedes
        return span.end_line - 1 if span.end_col == 1 else span.end_line

    ends: list[int] = []  # the edits' last lines, sorted
    shifts: list[int] = [0]  # shifts[k]: the line breaks the first k edits (by last line) add
    inside: list[tuple[int, int]] = []  # (first, last) lines each multi-line edit replaces
    for edit in sorted((edit for fix in fixes for edit in fix.edits), key=lambda edit: last_line(edit.span)):
        span = edit.span
        ends.append(last_line(span))
        shifts.append(shifts[-1] + len(_BREAK.findall(edit.text)) - (span.end_line - span.line))
        if last_line(span) > span.line:
            inside.append((span.line, last_line(span)))
    inside.sort()
    firsts = [first for first, _ in inside]
    reach: list[int] = []  # reach[k]: the last line of the first k + 1 of them (by first line)
    for _, last in inside:
        reach.append(max(last, reach[-1]) if reach else last)

    def moved(line: int) -> int | None:
        above = bisect.bisect_left(firsts, line)  # the multi-line edits that start above `line`
        if above and reach[above - 1] >= line:
            return None
        return line + shifts[bisect.bisect_left(ends, line)]

    return moved


def wanted_by(settings: Any) -> Callable[[Fix], bool]:
    """The fixes --fix and the editor's fix-all apply with these settings (config.Settings): the
    safe ones, and with `unsafe-fixes = true` the unsafe ones too."""
    unsafe = settings.unsafe_fixes is True
    return lambda fix: unsafe or fix.applicability == "safe"


def fix_all(
    text: str,
    diagnose: Callable[[str], Sequence[Diagnostic]],
    wanted: Callable[[Fix], bool] = lambda fix: fix.applicability == "safe",
    max_passes: int = MAX_PASSES,
) -> Fixed:
    """Apply every wanted fix `diagnose(text)` offers, in passes (see the module's docstring)."""
    diagnostics = diagnose(text)
    applied: list[Fix] = []
    passes: list[Applied] = []
    rejected: dict[Fix, tuple[str, ...]] = {}  # in the order rejected, with what each would add
    # rejected against the text as it is now: a pass that changes it gives them another try (the
    # rename of pod 1 "adds" NX208 only until the same pass's rename of pod 2 names the pod it
    # refers to), so that a second `--fix` finds nothing more to do; one try more, not one per
    # pass (200 bad renames sorted out again after each pass doubled a run's time: hunt 36 F9)
    rejected_now: set[Fix] = set()
    retried: set[Fix] = set()
    trials = [MAX_TRIALS]  # what is left of the bound, spent by every pass's sorting out
    for _ in range(max_passes):
        offered = [(d.code, d.fix) for d in diagnostics if d.fix and wanted(d.fix) and d.fix not in rejected_now]
        # Safe fixes first: one may remove the very finding an unsafe fix answers (a misspelt
        # `Path` renamed ends NX201), so unsafe ones wait for a pass where no safe one is left.
        # The removal of an unused directive waits for a pass where no other fix is left: a
        # rename in its pass (`env:` to `vars:`) may make it used (hunt 129 F4).
        others = [fix for code, fix in offered if code != "NX099"]
        fixes = [fix for fix in others if fix.applicability == "safe"] or others or [fix for _, fix in offered]
        if not fixes:
            break
        one_pass = apply_fixes(text, fixes)
        after = diagnose(one_pass.text)
        newly: dict[Fix, tuple[str, ...]] = {}
        # As for a group in _one_by_one: with several fixes, one's new error may hide behind an
        # error of the same code another removes (a port quoted while a var is unquoted).
        # A single fix is judged by its counts per code, and must add no NX001/NX002/NX099 where
        # there was none: two renames of one pass to the same key (`varz:` and a repeated `env:`
        # both to `vars:`) trade the duplicate `env` for a duplicate `vars` (hunt 174 F1).
        several = len(one_pass.applied) > 1
        if makes_worse(diagnostics, after) or _new_errors(
            diagnostics, after, one_pass.applied, text, never_added_only=not several
        ):
            # Some fix of the pass breaks something: take them one at a time, keeping the good ones.
            one_pass, after = _one_by_one(text, diagnostics, one_pass.applied, diagnose, newly, trials)
            rejected.update(newly)
            rejected_now.update(newly)
        if not one_pass.applied or one_pass.text == text:
            if newly and trials[0] > 0:
                continue  # every fix of the pass was rejected: the fixes left (unsafe ones) get theirs
            break
        rejected_now, retried = rejected_now & retried, retried | rejected_now
        passes.append(one_pass._replace(text=text))
        text, diagnostics = one_pass.text, after
        applied += one_pass.applied
    return Fixed(text, tuple(applied), tuple(rejected), MappingProxyType(rejected), tuple(passes))


def _one_by_one(
    text: str,
    diagnostics: Sequence[Diagnostic],
    fixes: Sequence[Fix],
    diagnose: Callable[[str], Sequence[Diagnostic]],
    rejected: dict[Fix, tuple[str, ...]],
    trials: list[int],
) -> tuple[Applied, Sequence[Diagnostic]]:
    """The fixes of a pass that made it worse, sorted out: a group of fixes is kept when, applied
    with those kept before it, it adds nothing; otherwise its halves are tried in turn, down to
    single fixes, which are rejected. One bad fix among N costs about 2·log2(N) lints, not N (a
    lint per fix made a long file with one bad fix quadratic). `trials[0]` lints at most, what
    is left of fix_all's MAX_TRIALS: N bad fixes cost 2N, quadratic in a file of N pods with one
    mistake each (200: 6.7 s, hunt 75 F1). The groups not sorted out when they are spent are
    neither applied nor rejected, only left (rejecting them whole blamed good fixes: hunt 80 F1)."""
    applied: list[Fix] = []
    # the lint of the text with the fixes kept so far: a group is judged against it, as a kept
    # fix that removes an NX103 hid the NX103 a single fix added (hunt 119 F1)
    kept = diagnostics

    def sort_out(group: Sequence[Fix]) -> None:
        nonlocal kept
        if trials[0] <= 0:  # left: --fix says its fix is still offered
            return
        trials[0] -= 1
        # Spans are the original text's: each trial applies the kept fixes and the group afresh.
        trial = apply_fixes(text, [*applied, *group])
        after = diagnose(trial.text)
        added = worsened(kept, after)
        # A group passes only if it adds no error at all, not merely none per code: a bad fix's
        # NX101 must not hide behind the NX101 a good fix of its group removes.
        whole = not _new_errors(diagnostics, after, trial.applied, text, never_added_only=len(group) == 1)
        if not added and whole and all(fix in trial.applied for fix in group):
            applied.extend(group)
            kept = after
        elif len(group) == 1:
            rejected[group[0]] = added
        else:
            middle = len(group) // 2
            sort_out(group[:middle])
            sort_out(group[middle:])

    middle = len(fixes) // 2  # the caller tried the whole pass: it made the file worse
    for half in (fixes[:middle], fixes[middle:]) if middle else (fixes,):
        sort_out(half)
    result = apply_fixes(text, applied)
    return result, diagnose(result.text) if applied else diagnostics
