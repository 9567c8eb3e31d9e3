"""The parser's errors, said the way a person would: a ruamel.yaml exception -> its NX001 Problem."""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from nexlayer_lint.model import Problem, Span

# What parsing may raise: ruamel's errors, and the odd bug on hostile input.
PARSE_ERRORS = (YAMLError, ValueError, TypeError, IndexError)


def syntax_problem(message: str, span: Span, hint: str | None = None) -> Problem:
    return Problem("NX001", message, span=span, hint=hint)


def span_at(text: str, index: int) -> Span:
    """The one-character span of `text[index]`."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Span(line, col, line, col + 1)


def problem_for(exc: Exception, text: str) -> Problem:
    """The NX001 for an exception of PARSE_ERRORS, at its mark when it has one."""
    if isinstance(exc, MarkedYAMLError):
        return _from_marked(exc, text)
    if isinstance(exc, ReaderError):
        return _unreadable(exc, text)
    return syntax_problem(f"not parseable as YAML ({type(exc).__name__})", Span(1, 1, 1, 1))


def _from_marked(exc: MarkedYAMLError, text: str) -> Problem:
    """A parser error at the line where it can be fixed, with a hint for the common ones."""
    problem = str(exc.problem or "").strip()
    context = str(exc.context or "").strip()
    mark, message, hint = exc.problem_mark or exc.context_mark, problem or context, None
    opened = exc.context_mark
    lines = text.splitlines() or [""]
    if context.startswith("found duplicate anchor") and opened is not None:
        at = exc.problem_mark
        where = lines[at.line][at.column:] if at is not None and at.line < len(lines) else ""
        found = re.match(r"&([^\s,\[\]{}]+)", where)
        name = found.group(1) if found else ""
        message = f'anchor "&{name}" is defined twice; the first is on line {opened.line + 1}'
        hint = "give the second anchor another name"
    elif "end of stream" in problem and opened is not None and "quoted scalar" in context:
        mark, message = opened, f"a quoted value opened on line {opened.line + 1} is never closed"
        hint = "add the closing quote"
    elif opened is not None and ("flow sequence" in context or "flow mapping" in context):
        bracket = "[" if "sequence" in context else "{"
        mark, message = opened, f"the `{bracket}` opened on line {opened.line + 1} is not closed properly"
        hint = "close it, and separate its items with commas"
    elif "did not find expected" in problem or "expected <block end>" in problem:
        message = f"unexpected indentation ({problem})"
        hint = "this line's indentation does not fit the lines above: indent it like its siblings"
    elif "mapping values are not allowed" in problem:
        hint = 'a value that contains ": " must be quoted'
    elif context and problem and "while" in context:
        message = f"{problem} ({context})"
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if line > len(lines):  # the end of the stream: point at the end of the last line instead
        line, col = len(lines), len(lines[-1]) + 1
    if "\t" in lines[max(line - 1, 0)]:
        hint = "YAML indentation must use spaces, not tabs"
    return syntax_problem(message, Span(line, col, line, col + 1), hint)


def _unreadable(exc: ReaderError, text: str) -> Problem:
    """A character YAML forbids (a control character): say which, and where it is."""
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position < len(text) else 0
    return syntax_problem(f"the file contains the control character U+{char:04X}, which YAML does not allow",
                          span_at(text, position),
                          f'remove it, or write it as the escape "\\u{char:04X}" inside double quotes')
