"""The Document of a text that differs from a parsed one only inside one scalar value, without
parsing it again.

An editor sends a change per keystroke, and most keystrokes land inside one value: a tag, a
port, a var. In a large file the parse is a third of a lint, so the language server asks here
first. When the changed characters lie inside one single-line scalar value that ends its line
(nothing but blanks or a comment after it), written after its key's `:` or its item's `-` with
no tag or anchor, and its new text is one YAML reads as a scalar of the same style, the parse
would give the old Document with that value, its span and what follows it on its line moved by
the change in length: that is what `edited` makes. Anything else gives None, and the caller
parses. tests/test_scalar_edit.py holds `edited` equal to the loader over random edits.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Any

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import Comment, DataPath, Document
from nexlayer_lint.scalars import plain_value
from nexlayer_lint.secrets import carry_secrets

# An anchor (`&name`) starts a token: after a blank, a flow indicator, at a line's start, or right
# after a JSON-like key's colon (`"k":&pw x`: hunt 182 F2). With one in the file a value may also
# be an alias's copy, which the data holds a second time.
_ANCHOR = lazy(r"[\s\[{,:]&")
# A plain scalar in block context that YAML 1.1 (libyaml) and 1.2 read alike as one scalar on its
# line: no indicator first, no blank or `#` inside, no `:` last (that would make it a key).
_PLAIN = lazy(r"(?:[0-9A-Za-z_./~$+(]|-(?=\S))[^\s#]*(?<!:)")
# The line breaks YAML counts besides \n and \r\n: lines here are counted by \n. (Looked for with
# `in`, which skips a text that cannot hold them; a regular expression read all of it, 1.6 ms of
# each keystroke in a 5,000-line file.)
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
# What may follow a value on its line: blanks, then perhaps a comment.
_LINE_END = lazy(r"(?:[ \t]+(?:#.*)?)?")


def edited(document: Document, text: str) -> Document | None:
    """The Document `text` parses to, if it is `document`'s text with one scalar value edited
    as the module says, else None. When `document`'s secrets are known (a lint asked for them),
    the new Document's are worked out from them (`secrets.carry_secrets`), not found again."""
    old = document.text
    if (
        document.unheld
        or text.startswith("\ufeff")
        or old.count("\r") != old.count("\r\n")
        or any(b in old for b in _OTHER_BREAKS)
    ):
        return None  # merges or repeated keys; a BOM; a line break YAML counts and \n does not
    start = _common_prefix(old, text)
    tail = _common_suffix(old, text, min(len(old), len(text)) - start)
    removed, added = old[start : len(old) - tail], text[start : len(text) - tail]
    if not (removed.isprintable() and added.isprintable()) or _has_anchor(old) or _has_anchor(text):
        return None  # a line break, a tab, a control character; or an anchor somewhere
    line_start = old.rfind("\n", 0, start) + 1
    line_end = old.find("\n", start)
    line_text = old[line_start : len(old) if line_end < 0 else line_end].removesuffix("\r")
    line = old.count("\n", 0, start) + 1
    first, last = start - line_start + 1, start - line_start + 1 + len(removed)  # columns, end exclusive
    path = _value_at(document, line, first, last)
    if path is None:
        return None
    located = document.positions[path]
    span, style = located.value, located.style
    # Inside the quotes; or anywhere in a plain scalar that is not empty (`key:` and nothing).
    inside = (
        span.col < first and last < span.end_col if style else span.col <= first and last <= span.end_col > span.col
    )
    before, rest = line_text[: span.col - 1].rstrip(), line_text[span.end_col - 1 :]
    if not inside or not before.endswith((":", "-")) or not _LINE_END.fullmatch(rest):
        return None
    if style and line_text[span.col - 1 : span.col] != style:
        return None  # a tag before the quote (`!!str "abc"`): the span starts at the tag
    written = line_text[span.col - 1 : first - 1] + added + line_text[last - 1 : span.end_col - 1]
    value = _value(document, path, style, written)
    if value is None:
        return None
    shift = len(added) - len(removed)
    new_span = span._replace(end_col=span.end_col + shift)
    positions = dict(document.positions)
    positions[path] = located._replace(value=new_span)
    for end in range(len(path)):  # a collection that ends with the file ends after this value
        outer = path[:end]
        around = positions[outer]
        if around.value.end_line == line and around.value.end_col >= span.end_col:
            positions[outer] = around._replace(value=around.value._replace(end_col=around.value.end_col + shift))
    plain_scalars = document.plain_scalars
    if style == "":
        at = bisect.bisect_left(plain_scalars, (line, span.col), key=lambda entry: (entry[1].line, entry[1].col))
        if at == len(plain_scalars) or plain_scalars[at][0] != path:
            return None
        tag = plain_scalars[at][3]  # the tag, if any, stays before the edited text
        plain_scalars = (*plain_scalars[:at], (path, new_span, written, tag), *plain_scalars[at + 1 :])
    # Every other field as it was (a one-line edit moves no line): the lines of multi-line scalars,
    # which suppressions read, were dropped when each field was listed (hunt 79 F1).
    result = replace(
        document,
        text=text,
        data=_replaced(document.data, path, value[0]),
        positions=positions,
        comments=_moved(document.comments, line, span.end_col, shift),
        plain_scalars=plain_scalars,
    )
    carry_secrets(document, result, path)  # a tenth of a lint in a large file: walk one container again
    return result


def _has_anchor(text: str) -> bool:
    return "&" in text and (text.startswith("&") or _ANCHOR.search(text) is not None)


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix, comparing halves (a slice compare runs in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, longest: int) -> int:
    """The length of the longest common suffix, at most `longest`."""
    low, high = 0, longest
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _value_at(document: Document, line: int, first: int, last: int) -> DataPath | None:
    """The path of the scalar value whose one-line span holds columns first..last of `line`."""
    path: DataPath = ()
    node = document.data
    while isinstance(node, (dict, list)):
        parts = node if isinstance(node, dict) else range(len(node))
        for part in parts:
            located = document.positions.get((*path, part))
            if located is None:
                return None
            value = located.value
            if (value.line, value.col) <= (line, first) and (line, last) <= (value.end_line, value.end_col):
                path, node = (*path, part), node[part]
                break
        else:
            return None
    if not path or document.positions[path].value.end_line != line or document.positions[path].value.line != line:
        return None
    return path


def _value(document: Document, path: DataPath, style: str | None, written: str) -> tuple[Any] | None:
    """The value `written` stands for, in a 1-tuple (it may be None), if the parse would read it so."""
    if style in ('"', "'"):
        inner = written[1:-1]
        if style in inner or (style == '"' and "\\" in inner):
            return None  # an escape, or the quote itself: its meaning is the parser's to tell
        return (inner,)
    if style != "" or not _PLAIN.fullmatch(written) or not _in_block(document, path):
        return None
    return (plain_value(written),)


def _in_block(document: Document, path: DataPath) -> bool:
    """Whether no collection around `path` is a flow one (`[...]`, `{...}`), where `,` and
    brackets end a plain scalar."""
    lines = document.lines
    if len(lines) != document.text.count("\n") + (not document.text.endswith("\n")):
        return False  # str.splitlines breaks lines YAML does not (\x0c, \x85, ...): its numbers differ
    for end in range(len(path)):
        span = document.positions[path[:end]].value
        if lines[span.line - 1][span.col - 1 : span.col] in ("[", "{"):
            return False
    return True


def _replaced(data: Any, path: DataPath, value: Any) -> Any:
    """`data` with the value at `path` replaced; the collections on the way are copied, the rest shared."""
    if not path:
        return value
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


def _moved(comments: tuple[Comment, ...], line: int, after: int, shift: int) -> tuple[Comment, ...]:
    """The comments, those on `line` from column `after` on moved by `shift` columns."""
    at = bisect.bisect_left(comments, (line, after), key=lambda comment: (comment.line, comment.col))
    end = bisect.bisect_left(comments, (line + 1,), key=lambda comment: (comment.line,))
    if shift == 0 or at == end:
        return comments
    return (*comments[:at], *(c._replace(col=c.col + shift) for c in comments[at:end]), *comments[end:])
