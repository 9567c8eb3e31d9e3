"""Inline suppressions: `# nexlayer-lint: disable=CODES` and `# nexlayer-lint: disable-file=CODES`.

Forms (codes or prefixes, comma-separated, required):
  value: x  # nexlayer-lint: disable=NX215        this line
  # nexlayer-lint: disable=NX215                  on a line of its own: the next line with content
  # nexlayer-lint: disable-file=NX215,NX213       anywhere: the whole file
A directive for the first or last line of a value written over several lines covers all of them.
NX001 cannot be suppressed. A directive that suppressed nothing is NX099.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import Comment, Diagnostic, Edit, Fix, Problem, Span
from nexlayer_lint.rules import RULES, UNSUPPRESSIBLE, by_name_or_code
from nexlayer_lint.secrets import star_comment  # a secret in a directive is never quoted

# The one definition of the directive syntax: a comment whose text starts with PREFIX is a
# directive, and DIRECTIVE is its grammar (codes or rule names, separated by commas or blanks).
PREFIX = "nexlayer-lint:"
_CODES = lazy(r"[A-Za-z0-9_,\s-]*")  # a directive's codes (read on, too, after a code cut short)
DIRECTIVE = lazy(re.escape(PREFIX) + r"\s*(disable-file|disable)\s*=\s*(" + _CODES.pattern + ")")
_DIRECTIVE_IN_LINE = lazy(r"#\s*" + DIRECTIVE.pattern)
_DIRECTIVE_CODE = lazy(r"[^,\s]+")  # one code of a directive: between commas and blanks (tabs too: hunt 68 F6)
# A prefix of all of these (`N`, `NX`) would disable everything: there is no blanket directive.
_SUPPRESSIBLE = tuple(code for code in RULES if code not in UNSUPPRESSIBLE)


# a comment meant as a directive but not written as one: another case, no colon, `_` for `-`
# (`# nexlayer-lint disable=NX215`, `# NEXLAYER-LINT: disable=NX215`), which would suppress nothing
_LOOKALIKE = lazy(r"nexlayer[-_ ]?lint[ \t]*:?[ \t]*(?:disable|enable)(?:-[a-z-]{1,16})?[ \t]*[=:]", re.IGNORECASE)


class Directive(NamedTuple):  # a named tuple, as model.py's types: cheaper to create at start-up
    comment: Comment
    whole_file: bool
    codes: tuple[str, ...]
    target_line: int  # the line it applies to (ignored for whole_file)
    # The edit that removes the directive (its line, when the comment is alone on it), and for
    # each code the one that removes that code from it; None where the comment's text goes on
    # in a way an exact edit cannot keep.
    removal: Edit | None = None
    code_removals: tuple[Edit | None, ...] = ()
    # whether it also names what is no code (`NX2l3`, a blanket prefix): its own NX099 has no fix,
    # and the comment is never removed whole for its codes, which took the misspelt one with it
    # (hunt 111 F3)
    names_more: bool = False
    span: Span | None = None  # the comment's, `#` to its last character (NX099's place)


def _line_of(comment: Comment, lines: Sequence[str]) -> str:
    return lines[comment.line - 1] if 0 < comment.line <= len(lines) else ""


def _span_of(comment: Comment, line: str) -> Span:
    """The comment's span on its line, `#` to its last character (NX099's place): its text starts
    after `#` and its blanks, which Comment.text leaves out (hunt 155 F2)."""
    return Span(comment.line, comment.col, comment.line, _text_col(comment, line) + len(comment.text))


def _not_a_directive(comment: Comment, span: Span) -> Problem:
    """NX099 for a comment that starts as a directive but is none."""
    return Problem(
        "NX099",
        f'"# {star_comment(comment.text)}" is not a directive nexlayer-lint understands',
        span=span,
        hint="write `# nexlayer-lint: disable=NX215` or `# nexlayer-lint: disable-file=NX215`",
    )


def parse(
    comments: Sequence[Comment], lines: Sequence[str], multiline_scalars: Sequence[tuple[int, int]] = ()
) -> tuple[list[Directive], list[Problem]]:
    """The directives among a file's comments, and NX099 for each one that is malformed.
    `multiline_scalars` (Document's) tells which line removals would change a value."""
    directives: list[Directive] = []
    following: list[int] | None = None  # the line each own-line directive governs, worked out once
    kept_ends: set[int] | None = None  # the lines right after `|+` and `>+` scalars, worked out once
    problems: list[Problem] = []
    for comment in comments:
        if not comment.text.startswith(PREFIX):
            if comment.text[:1] in "nN" and _LOOKALIKE.match(comment.text):  # a directive mistyped (hunt 180 F6)
                problems.append(_not_a_directive(comment, _span_of(comment, _line_of(comment, lines))))
            continue
        match = DIRECTIVE.match(comment.text)
        line = _line_of(comment, lines)
        span = _span_of(comment, line)
        removal = _removal(comment, line, match)
        if removal is not None and _followed_by_blank(comment, lines):
            if kept_ends is None:
                kept_ends = _kept_ends(lines, multiline_scalars)
            if comment.line in kept_ends:
                removal = None  # the comment ends a `|+` scalar's kept lines: hunt 56 F1
        if not match:
            problems.append(_not_a_directive(comment, span))
            continue
        codes: list[str] = []
        kept: list[int] = []  # the place in `named` of each code kept: its removal edit's
        named = [comment.text[start:end] for start, end in _code_spans(comment.text, match)]
        for index, raw in enumerate(named):
            rule = by_name_or_code(raw)
            code = rule.code if rule else raw.upper()
            if rule is None and not any(known.startswith(code) for known in RULES):
                problems.append(
                    Problem(
                        "NX099",
                        f'suppression names "{star_comment(raw)}", which is no known code',
                        span=span,
                        hint="codes look like NX215; see `nexlayer-lint rule --all`",
                    )
                )
                continue
            if rule is None and all(known.startswith(code) for known in _SUPPRESSIBLE):
                problems.append(
                    Problem(
                        "NX099",
                        f'suppression names "{raw}", a prefix of every code: a blanket disable',
                        span=span,
                        hint="name the codes to silence, e.g. `disable=NX215`",
                    )
                )
                continue
            codes.append(code)
            kept.append(index)
        if not named:
            problems.append(
                Problem(
                    "NX099",
                    "suppression names no code",
                    span=span,
                    hint="name the codes to silence, e.g. `disable=NX215`",
                    fix=Fix("Remove the empty suppression", (removal,)) if removal else None,
                )
            )
            continue
        if not codes:
            continue
        if comment.own_line and following is None:
            following = _next_content_lines(lines)
        target = following[comment.line] if comment.own_line and following is not None else comment.line
        parts = _code_removals(comment, line, match)
        directives.append(
            Directive(
                comment,
                match.group(1) == "disable-file",
                tuple(codes),
                target,
                removal,
                tuple(parts[index] if parts else None for index in kept),
                len(kept) < len(named),
                span,
            )
        )
    return directives, problems


# A block scalar's header with the keep indicator (`|+`, `>+`, `|2+`, `|+2`).
_KEEP_HEADER = lazy(r"[|>](?:[1-9]?\+|\+[1-9])")


def _followed_by_blank(comment: Comment, lines: Sequence[str]) -> bool:
    return comment.own_line and comment.line < len(lines) and not lines[comment.line].strip()


def _kept_ends(lines: Sequence[str], multiline_scalars: Sequence[tuple[int, int]]) -> set[int]:
    """The lines right after each `|+` or `>+` block scalar: a comment alone there, with a blank
    line after it, ends the scalar's kept lines, so without it the blank lines would join the
    value (hunt 56 F1). Worked out once per file, not once per directive."""
    return {last + 1 for first, last in multiline_scalars if _KEEP_HEADER.search(lines[first - 1])}


def _text_col(comment: Comment, line: str) -> int:
    """The column where the comment's text (after `#` and blanks) starts."""
    after = line[comment.col :]
    return comment.col + 1 + len(after) - len(after.lstrip())


def _removal(comment: Comment, line: str, match: re.Match[str] | None) -> Edit | None:
    """The edit that removes a directive: its whole line when the comment is alone on it, the
    comment and the blanks before it when it ends the line, the directive alone when another
    comment follows it (`# nexlayer-lint: disable=NX215 # why`)."""
    if match is None or not line.startswith("#", comment.col - 1):
        return None
    rest = comment.text[match.end() :]
    if rest.strip() == "":
        if comment.own_line:
            return Edit(Span(comment.line, 1, comment.line + 1, 1), "")  # on the last line its break before stays
        start = len(line[: comment.col - 1].rstrip()) + 1
        return Edit(Span(comment.line, start, comment.line, len(line) + 1), "")
    if rest.lstrip().startswith("#"):
        end = _text_col(comment, line) + match.end() + len(rest) - len(rest.lstrip())
        return Edit(Span(comment.line, comment.col, comment.line, end), "")
    return None


def _code_removals(comment: Comment, line: str, match: re.Match[str]) -> list[Edit] | None:
    """For each code the directive names, the edit that removes it and one comma or blank run
    next to it (the one before it, or after it for the first)."""
    start = _text_col(comment, line)
    if line[start - 1 : start - 1 + len(comment.text)] != comment.text:
        return None
    parts = [(start + first, start + last) for first, last in _code_spans(comment.text, match)]  # as parse() splits
    removals = []
    for index, (first, last) in enumerate(parts):
        if index > 0:
            first = parts[index - 1][1]
        elif len(parts) > 1:
            last = parts[1][0]
        removals.append(Edit(Span(comment.line, first, comment.line, last), ""))
    return removals


def disable_comment(code: str, whole_file: bool = False) -> str:
    """The comment that disables `code` on its line (or, `whole_file`, in the whole file)."""
    return f"# {PREFIX} {'disable-file' if whole_file else 'disable'}={code}"


def disable_codes_end(line: str, whole_file: bool = False) -> int | None:
    """Where the codes of a `# nexlayer-lint: disable=...` comment in `line` end (the place to
    add one more), or None when the line has no such comment naming at least one code
    (`whole_file`: a `disable-file=` comment)."""
    match = _DIRECTIVE_IN_LINE.search(line)
    if match is None or match.group(1) != ("disable-file" if whole_file else "disable"):
        return None
    codes = line[match.start(2) : _codes_end(line, match)].rstrip(", \t")
    return match.start(2) + len(codes) if codes else None


def _codes_end(text: str, match: re.Match[str]) -> int:
    """Where the codes of a directive end: where DIRECTIVE stopped, or, when it stopped inside a
    code (`disable=NX2.13`, `NX2é13`, a bidi control in it), past that code, which is then no
    known one, and the codes after it (`disable=NX2.1,NX215`: hunt 122 F9). Read as the prefix
    `NX2`, a cut code silenced every NX2xx on its line (hunt 120 F2). `#`, the end, or a word
    after a blank (any `\\s`, a no-break space too: hunt 126 F8) that is no code, prefix or rule
    name ends them: it starts a note (`disable=NX215 pinned by ops` gave three NX099: hunt 130
    F5). Each character is read a bounded number of times."""
    end = match.end(2)
    # (and on past digits after a blank that DIRECTIVE does not read, full-width ones: they may go
    # on a cut code, _goes_on)
    while (
        end > match.start(2)
        and end < len(text)
        and text[end] != "#"
        and (not text[end - 1].isspace() or text[end].isdigit())
    ):
        cut = _DIRECTIVE_CODE.match(text, end)
        if cut is None:
            break
        end = _CODES.match(text, cut.end()).end()  # type: ignore[union-attr]  # `*`: it always matches
    last, previous, went_on = -1, "", False  # `went_on`: words went on `previous` (_goes_on)
    for word in _DIRECTIVE_CODE.finditer(text, match.start(2), end):
        joined = last >= 0 and "," not in text[last : word.start()]
        goes_on = joined and _goes_on(previous, word.group(), went_on)
        if joined and not goes_on and not _code_like(word.group()):
            return last
        previous, went_on = (previous, True) if goes_on else (word.group(), False)
        last = word.end()
    return end


def _code_spans(text: str, match: re.Match[str]) -> list[tuple[int, int]]:
    """Where each code a directive names is in `text`: its words, with the digits that go on a
    code cut by blanks joined to it (_goes_on)."""
    spans: list[tuple[int, int]] = []
    first, cut = "", False  # the first word of the last code, and whether words went on it
    for word in _DIRECTIVE_CODE.finditer(text, match.start(2), _codes_end(text, match)):
        if spans and "," not in text[spans[-1][1] : word.start()] and _goes_on(first, word.group(), cut):
            spans[-1], cut = (spans[-1][0], word.end()), True
        else:
            spans.append((word.start(), word.end()))
            first, cut = word.group(), False
    return spans


def _code_like(word: str) -> bool:
    """Whether a directive's word is meant as a code: a rule's code or name, or `NX...`."""
    return word.upper() == "N" or word.upper().startswith("NX") or by_name_or_code(word) is not None


def _goes_on(first: str, word: str, cut: bool) -> bool:
    """Whether `word`, after blanks, goes on the code whose first word is `first` (`cut`: words
    went on it already), cut by them: digits after an `NX` that is no rule's code (`disable=NX2
    15`, `NX2 15.`, full-width digits, a no-break space in it too), which read as the prefix `NX2` silenced
    every NX2xx on its line (hunts 266 F3, 282 F1, F2); it is no known code, as `NX2.15` is. Digits
    then a letter are a note's word (`disable=NX21 2FA is on`: hunt 278 F2). Each word is looked at
    once, however many go on one code (hunt 271 F4: `NX2 1 1 1 ...` was quadratic)."""
    if not (cut or (first.upper().startswith("NX") and by_name_or_code(first) is None)):
        return False
    digits = 0
    while digits < len(word) and word[digits].isdigit():
        digits += 1
    return digits > 0 and (digits == len(word) or not word[digits].isalpha())


def _next_content_lines(lines: Sequence[str]) -> list[int]:
    """For each line number n (1-based; index 0 unused), the first line after n with content
    (not blank, not only a comment), or n + 1 when none follows: what a directive alone on line
    n governs. One pass from the end, so a file of many directives stays linear."""
    following = [0] * (len(lines) + 2)
    found = 0
    for number in range(len(lines), 0, -1):
        following[number] = found or number + 1
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            found = number
    return following


def spread(directives: Sequence[Directive], multiline: Sequence[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """For each line of a scalar written over several lines whose first or last line a directive
    targets, those two lines: a directive there covers the whole value. The lines inside a block
    scalar (`command: |`) or a quoted string hold no comment, so its header line (or the line after
    its closing quote) speaks for all of them, as ruff's `# noqa` after a multi-line string does."""
    targets = {directive.target_line for directive in directives if not directive.whole_file}
    lines: dict[int, tuple[int, int]] = {}
    for first, last in multiline:
        if first in targets or last in targets:
            for line in range(first, last + 1):
                lines.setdefault(line, (first, last))
    return lines


def apply(
    diagnostics: Sequence[Diagnostic],
    directives: Sequence[Directive],
    enabled: Callable[[str], bool],
    spread: dict[int, tuple[int, int]] | None = None,
    reportable: Callable[[str], bool] | None = None,
    later_from: int | None = None,
) -> tuple[list[Diagnostic], list[Problem]]:
    """Drop suppressed diagnostics; NX099 for each directive code that matched none, when this run
    could have reported every enabled code it names (`reportable`, by default `enabled`: a remote
    code offline, or after the API could not be asked, could not).

    `later_from`: the line a later YAML document starts at (its `---`). A file-wide directive
    written there or below covers that document's lines only, never the first document's,
    which it was not written for (hunt 266 F2).

    A diagnostic is suppressed by the first directive, in file order, that covers its line (or the
    whole file, or the multi-line scalar its line is in: `spread`) and names a prefix of its code.
    Linear: each directive code is judged once per
    code reported on its line (`disable=NX213,NX213,...` names it once), each file-wide directive
    once per code reported in the file, and each (line, code) is looked up once."""
    if not directives:
        return list(diagnostics), []  # comments, but none of ours: most files
    distinct = [tuple(dict.fromkeys(directive.codes)) for directive in directives]
    whole_file = [index for index, directive in enumerate(directives) if directive.whole_file]
    first_whole_file = [i for i in whole_file if later_from is None or directives[i].comment.line < later_from]
    on_line: dict[int, list[int]] = {}
    for index, directive in enumerate(directives):
        if not directive.whole_file:
            on_line.setdefault(directive.target_line, []).append(index)

    def first_hit(indexes: Sequence[int], code: str) -> tuple[int, str] | None:
        return next(((i, named) for i in indexes for named in distinct[i] if code.startswith(named)), None)

    file_hits: dict[tuple[str, bool], tuple[int, str] | None] = {}
    hits: dict[tuple[int, str], tuple[int, str] | None] = {}
    used: set[tuple[int, str]] = set()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        code, line = diagnostic.code, diagnostic.line
        hit = None
        if code not in UNSUPPRESSIBLE:
            if (line, code) not in hits:
                later = later_from is not None and line >= later_from
                if (code, later) not in file_hits:
                    file_hits[code, later] = first_hit(whole_file if later else first_whole_file, code)
                lines = (line, *spread[line]) if spread and line in spread else (line,)
                candidates = [file_hits[code, later], *(first_hit(on_line.get(number, ()), code) for number in lines)]
                found = [h for h in candidates if h is not None]
                hits[line, code] = min(found) if found else None  # the first directive in file order
            hit = hits[line, code]
        if hit is None:
            kept.append(diagnostic)
        else:
            used.add(hit)
    named = {code for codes in distinct for code in codes}
    could = reportable or enabled
    enabled_codes = {
        code
        for code in named
        if any(could(k) for k in RULES if k.startswith(code))
        and not any(enabled(k) and not could(k) for k in RULES if k.startswith(code))
    }
    unused: list[Problem] = []
    for index, directive in enumerate(directives):
        unused_codes = [code for code in distinct[index] if (index, code) not in used and code in enabled_codes]
        # every code of the comment is unused, and it names nothing else
        whole = len(unused_codes) == len(distinct[index]) and not directive.names_more
        for code in unused_codes:
            scope = "in this file" if directive.whole_file else f"on line {directive.target_line}"
            unused.append(
                Problem(
                    "NX099",
                    f"suppression of {code} is unused: nothing {scope} reports {code}",
                    span=directive.span,
                    hint="remove the code from the comment, or the comment",
                    # none that removes a remote code: whether it is used is the API's answer of
                    # the moment (the whole comment goes with its last code: then none if it has one)
                    fix=None
                    if _is_remote(code) or (whole and any(map(_is_remote, directive.codes)))
                    else _unused_fix(directive, code, whole),
                )
            )
    return kept, unused


def quiet_nx099(
    findings: Sequence[Diagnostic],
    directives: Sequence[Directive],
    spread: dict[int, tuple[int, int]],
    later_from: int | None = None,
) -> list[Diagnostic]:
    """The NX099 findings (about directives) less those a directive naming NX099, or a prefix of
    it, suppresses: on its line, on the line it applies to, or in the file, as ruff's `noqa:
    RUF100` (hunt 68 F4, hunt 70 F3, F4). Its own NX099s too: "suppression of NX099 is unused" on
    the line a directive naming it stands is quiet."""
    if not any(_covers_nx099(directive) for directive in directives):
        return list(findings)
    own_lines = [d._replace(target_line=d.comment.line) for d in directives if not d.whole_file and _covers_nx099(d)]
    return apply(findings, [*directives, *own_lines], lambda code: True, spread, later_from=later_from)[0]


def _covers_nx099(directive: Directive) -> bool:
    return any("NX099".startswith(code) for code in directive.codes)


def _is_remote(code: str) -> bool:
    """Whether a directive's code (or prefix) covers a remote code (hunt 62 F5: per code)."""
    return any(RULES[k].stage == "remote" for k in RULES if k.startswith(code))


def _unused_fix(directive: Directive, code: str, whole: bool) -> Fix | None:
    """The comment removed when each of its codes is reported unused (`whole`), else this code
    from it (a code turned off by configuration is not reported, and stays)."""
    if whole:
        edit = directive.removal
        return Fix("Remove the unused suppression", (edit,)) if edit else None
    position = directive.codes.index(code)
    edit = directive.code_removals[position] if position < len(directive.code_removals) else None
    return Fix(f"Remove {code} from the suppression", (edit,)) if edit else None
