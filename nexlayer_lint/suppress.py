"""Inline suppressions: `# nexlayer-lint: disable=CODES` and `# nexlayer-lint: disable-file=CODES`.

Forms (codes or prefixes, comma-separated, required):
  value: x  # nexlayer-lint: disable=NX215        this line
  # nexlayer-lint: disable=NX215                  on a line of its own: the next line with content
  # nexlayer-lint: disable-file=NX215,NX213       anywhere: the whole file
NX001 cannot be suppressed. A directive that suppressed nothing is NX099.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from nexlayer_lint.model import Comment, Diagnostic, Problem, Span
from nexlayer_lint.rules import RULES, UNSUPPRESSIBLE, by_name_or_code

# The one definition of the directive syntax: a comment whose text starts with PREFIX is a
# directive, and DIRECTIVE is its grammar (codes or rule names, separated by commas or blanks).
PREFIX = "nexlayer-lint:"
DIRECTIVE = re.compile(re.escape(PREFIX) + r"\s*(disable-file|disable)\s*=\s*([A-Za-z0-9_,\s-]*)")
_DIRECTIVE_IN_LINE = re.compile(r"#\s*" + DIRECTIVE.pattern)


class Directive(NamedTuple):  # a named tuple, as model.py's types: cheaper to create at start-up
    comment: Comment
    whole_file: bool
    codes: tuple[str, ...]
    target_line: int  # the line it applies to (ignored for whole_file)


def parse(comments: Sequence[Comment], lines: Sequence[str]) -> tuple[list[Directive], list[Problem]]:
    """The directives among a file's comments, and NX099 for each one that is malformed."""
    directives: list[Directive] = []
    problems: list[Problem] = []
    for comment in comments:
        if not comment.text.startswith(PREFIX):
            continue
        match = DIRECTIVE.match(comment.text)
        span = Span(comment.line, comment.col, comment.line, comment.col + len(comment.text) + 1)
        if not match:
            problems.append(Problem(
                "NX099", f'"# {comment.text}" is not a directive nexlayer-lint understands',
                span=span, hint="write `# nexlayer-lint: disable=NX215` or `# nexlayer-lint: disable-file=NX215`",
            ))
            continue
        codes: list[str] = []
        named = [part.strip() for part in match.group(2).replace(" ", ",").split(",") if part.strip()]
        for raw in named:
            rule = by_name_or_code(raw)
            code = rule.code if rule else raw.upper()
            if rule is None and not any(known.startswith(code) for known in RULES):
                problems.append(Problem("NX099", f'suppression names "{raw}", which is no known code',
                                        span=span, hint="codes look like NX215; see `nexlayer-lint rule --all`"))
                continue
            codes.append(code)
        if not named:
            problems.append(Problem("NX099", "suppression names no code", span=span,
                                    hint="name the codes to silence, e.g. `disable=NX215`"))
            continue
        if not codes:
            continue
        target = _next_content_line(lines, comment.line) if comment.own_line else comment.line
        directives.append(Directive(comment, match.group(1) == "disable-file", tuple(codes), target))
    return directives, problems


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
    codes = match.group(2).rstrip(", \t")
    return match.start(2) + len(codes) if codes else None


def _next_content_line(lines: Sequence[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return after + 1


def apply(
    diagnostics: Sequence[Diagnostic],
    directives: Sequence[Directive],
    enabled: Callable[[str], bool],
) -> tuple[list[Diagnostic], list[Problem]]:
    """Drop suppressed diagnostics; NX099 for each directive code (that is enabled) that matched none."""
    used: set[tuple[int, str]] = set()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        hit = None
        if diagnostic.code not in UNSUPPRESSIBLE:
            hit = next(
                ((index, code) for index, directive in enumerate(directives) for code in directive.codes
                 if diagnostic.code.startswith(code)
                 and (directive.whole_file or directive.target_line == diagnostic.line)),
                None,
            )
        if hit is None:
            kept.append(diagnostic)
        else:
            used.add(hit)
    unused: list[Problem] = []
    for index, directive in enumerate(directives):
        for code in directive.codes:
            if (index, code) in used or not any(enabled(known) for known in RULES if known.startswith(code)):
                continue
            comment = directive.comment
            scope = "in this file" if directive.whole_file else f"on line {directive.target_line}"
            unused.append(Problem(
                "NX099", f"suppression of {code} is unused: nothing {scope} reports {code}",
                span=Span(comment.line, comment.col, comment.line, comment.col + len(comment.text) + 1),
                hint="remove the code from the comment, or the comment",
            ))
    return kept, unused
