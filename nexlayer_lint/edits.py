"""Edits on a Document's source, for the fixes the checks and the schema step build: where a
node's own text is, a new value written in the old one's quoting style, and the file's line break
for inserted lines.

Every helper answers None when the source form makes an exact edit impossible or ambiguous: a
node reached through an alias or a merge (its text is the anchor's, elsewhere), an anchored or
tagged node (its aliases would change too), a multi-line scalar, or a scalar whose escapes the
edit would have to rewrite. The caller then offers no fix rather than a wrong one.
"""

from __future__ import annotations

import bisect

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Edit, LastDocument, Located, Span
from nexlayer_lint.scalars import plain_value

_BREAK = lazy(r"\r\n|\r|\n")
# Plain text that means the same in block and flow context: names, sizes, paths; in block
# context also with a `:` inside (an image's tag), which a flow collection refuses.
_PLAIN = lazy(r"[A-Za-z0-9/_.][A-Za-z0-9/_.~@+-]*")
_PLAIN_IN_BLOCK = lazy(r"[A-Za-z0-9/_.](?:[A-Za-z0-9/_.~@+:-]*[A-Za-z0-9/_.~@+-])?")
# What a node's text starts with when it has an anchor, a tag, or is an alias.
_PROPERTIES = ("&", "!", "*")


def line_break(doc: Document) -> str:
    """The file's line ending (its first one), for the lines a fix inserts."""
    match = _BREAK.search(doc.text)
    return match.group() if match else "\n"


def own(doc: Document, path: DataPath) -> Located | None:
    """Where the node at `path` is, when it is written at that path only: no step of the path
    comes through an alias or a `<<` merge (whose text is written before the place that names
    it), and no step is anchored or tagged (so that an edit changes this node and nothing else)."""
    path = tuple(path)
    located = doc.positions.get(path)
    if located is None:
        return None
    for end in range(1, len(path) + 1):
        node, parent = doc.positions.get(path[:end]), doc.positions.get(path[: end - 1])
        if node is None or parent is None:
            return None
        start = node.value[:2]
        if node.key is not None:
            if node.key[:2] < parent.value[:2] or start < node.key[2:]:
                return None
        else:
            index = path[end - 1]
            if start < parent.value[:2]:
                return None
            if isinstance(index, int) and index > 0:
                previous = doc.positions.get(path[: end - 1] + (index - 1,))
                if previous is None or start <= previous.value[:2]:
                    return None
        if text_at(doc, node.value).startswith(_PROPERTIES):
            return None
    return located


def text_at(doc: Document, span: Span) -> str:
    """The text of a span's first line, from its start to its end (or the line's end)."""
    if not 0 < span.line <= len(doc.lines):
        return ""
    line = doc.lines[span.line - 1]
    return line[span.col - 1 : span.end_col - 1] if span.end_line == span.line else line[span.col - 1 :]


def line_text(doc: Document, line: int) -> str:
    """The text of a line (1-based), without its line break; "" past the end."""
    return doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""


def before(doc: Document, line: int, col: int) -> str:
    """The text of `line` before column `col`."""
    return line_text(doc, line)[: col - 1]


def scalar_text(doc: Document, path: DataPath) -> tuple[Span, str] | None:
    """The span and text (quotes included) of the one-line plain or quoted scalar at `path`,
    when it is its own (see `own`)."""
    located = own(doc, path)
    if located is None or located.style not in ("", "'", '"'):
        return None
    span = located.value
    if span.line != span.end_line or span.end_col <= span.col:
        return None
    return span, text_at(doc, span)


def verbatim(doc: Document, path: DataPath) -> Span | None:
    """The span of the string at `path` when its text is the value character for character,
    quotes aside: plain, or quoted without escapes."""
    found = scalar_text(doc, path)
    value = doc.get(*path)
    if found is None or not isinstance(value, str):
        return None
    style = doc.positions[tuple(path)].style
    return found[0] if found[1] == f"{style}{value}{style}" else None


def written(value: str, style: str, block: bool = False) -> str | None:
    """`value` as a scalar in `style` ("" plain, "'" or '"') that reads back as that very string;
    plain text that would read as anything else (a number, a boolean, a YAML 1.1 look-alike) is
    double-quoted. `block`: the scalar is not inside a flow collection. None for text with a
    line break or a control character."""
    if any((ch < " " and ch != "\t") or ch in "\x7f\x85\u2028\u2029" for ch in value):
        return None
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    plain = _PLAIN_IN_BLOCK if block else _PLAIN
    if style == "" and plain.fullmatch(value) and plain_value(value) == value and not _yaml11(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def replace_value(doc: Document, path: DataPath, value: str) -> Edit | None:
    """The edit that makes the string at `path` read `value`, in the quoting it has."""
    span = verbatim(doc, path)
    style = doc.positions[tuple(path)].style if span is not None else None
    text = written(value, style) if style is not None else None
    return Edit(span, text) if span is not None and text is not None else None


_usual_quote: LastDocument[str] = LastDocument()  # every finding of a file asks


def usual_quote(doc: Document) -> str:
    """The quote the file uses most for its quoted scalars; double quotes when it has none."""
    mark = _usual_quote.get(doc)
    if mark is None:
        styles = [located.style for located in doc.positions.values()]
        mark = _usual_quote.put(doc, "'" if styles.count("'") > styles.count('"') else '"')
    return mark


def quote(span: Span, mark: str) -> tuple[Edit, Edit]:
    """Quotes around a one-line plain scalar: two inserts, so the value itself is never echoed
    (it may be a secret, and a fix's edits are printed)."""
    return insert(span.line, span.col, mark), insert(span.line, span.end_col, mark)


def indent_step(doc: Document) -> int:
    """How far the file indents a block mapping under its key (the keys under `application`);
    2 when it cannot tell."""
    located = doc.positions.get(("application",))
    if located is None or located.key is None or located.value.line <= located.key.line:
        return 2
    step = located.value.col - located.key.col
    return step if step > 0 else 2


# What may come before a block mapping's key on its line: indentation, or the `- ` of a list item.
_INDENT = lazy(r" *")
_KEY_PREFIX = lazy(r" *(?:- +)?")
_ITEM_PREFIX = lazy(r" *- +")


def add_entry(
    doc: Document,
    mapping: DataPath,
    lines: list[str],
    flow: str,
    after_key: str | None = None,
    before_key: str | None = None,
) -> Edit | None:
    """An edit that adds an entry to the mapping at `mapping`. In block style the `lines` (the
    first at the mapping's indentation, the others indented relative to it, each ending with the
    file's line ending) go on the line after `after_key` when its value is one line, else before
    `before_key` when it starts its line, else before the first key; in flow style `flow` goes
    first, after the `{`."""
    located = own(doc, mapping)
    data = doc.get(*mapping)
    if located is None or not isinstance(data, dict):
        return None
    if text_at(doc, located.value).startswith("{"):
        # `{` ending its line (`vars: {` then an entry a line): no blank at the line's end
        at_line_end = line_text(doc, located.value.line)[located.value.col :] == ""
        return insert(located.value.line, located.value.col + 1, flow + ("," if at_line_end else ", ") * bool(data))
    after = own(doc, mapping + (after_key,)) if after_key is not None and after_key in data else None
    # the key of `after_key` when its value is a one-line scalar
    key = after.key if after is not None and after.style in ("", "'", '"') else None
    if (
        after is not None
        and key is not None
        and key.line == after.value.end_line
        and _KEY_PREFIX.fullmatch(before(doc, key.line, key.col))
    ):
        newline = line_break(doc)
        indent = " " * (key.col - 1)
        text = "".join(indent + line + newline for line in lines)
        if key.line < len(doc.lines) or doc.text.endswith(("\n", "\r")):
            return insert(key.line + 1, 1, text)
        return insert(key.line, len(line_text(doc, key.line)) + 1, newline + text[: -len(newline)])
    first = next(iter(data), None)
    for name, prefix in ((before_key, _INDENT), (first, _KEY_PREFIX)):
        at = own(doc, mapping + (name,)) if name is not None and name in data else None
        span = at.key if at is not None else None
        if span is not None and prefix.fullmatch(before(doc, span.line, span.col)):
            indent = line_break(doc) + " " * (span.col - 1)
            return insert(_above_comments(doc, span), span.col, indent.join(lines) + indent)
    return None


def _above_comments(doc: Document, key: Span) -> int:
    """The line to insert before the key at `key`: above the comments alone on the lines right
    above it, at its indentation, which are about it (a directive that governs its line: hunt 56
    F4). Comments as the loader found them: a `#` that starts a line of a quoted value is none
    (hunt 58 F1)."""
    line = key.line
    if before(doc, line, key.col).strip():
        return line  # `- name: x`: the item's first key, with its dash
    at = bisect.bisect_left(doc.comments, key.line, key=lambda comment: comment.line)
    while at > 0:
        comment = doc.comments[at - 1]
        if comment.line != line - 1 or not comment.own_line or comment.col != key.col:
            break
        line, at = line - 1, at - 1
    return line


def add_item(doc: Document, sequence: DataPath, lines: list[str], flow: str) -> Edit | None:
    """An edit that adds an item first in the list at `sequence`: in block style the `lines`
    after a `- ` like the first item's (the others at its items' indentation), in flow style
    `flow` after the `[`."""
    located = own(doc, sequence)
    data = doc.get(*sequence)
    if located is None or not isinstance(data, list):
        return None
    if text_at(doc, located.value).startswith("["):
        return insert(located.value.line, located.value.col + 1, flow + (", " if data else ""))
    first = own(doc, sequence + (0,)) if data else None
    if first is None:
        return None
    prefix = before(doc, first.value.line, first.value.col)
    if not _ITEM_PREFIX.fullmatch(prefix):
        return None
    dash = prefix.index("-")
    newline = line_break(doc)
    text = prefix[dash:] + (newline + " " * len(prefix)).join(lines) + newline + " " * dash
    return insert(first.value.line, dash + 1, text)


def insert(line: int, col: int, text: str) -> Edit:
    return Edit(Span(line, col, line, col), text)


def _yaml11(text: str) -> bool:
    from nexlayer_lint.checks.yaml11 import trap_kind  # the one definition of what NX005 reports

    return trap_kind(text) is not None
