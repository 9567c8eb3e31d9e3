"""Where each character of a scalar's value was written in the text.

A scalar's value differs from its text when YAML reads escapes (`"\\x40"` is `@`), quotes (`''`
is `'`), folds lines (a plain `a` then `  b` on the next line is `a b`), continues a
double-quoted line (`\\` at its end), or strips a block's indentation. `value_map` reads the
scalar's text once, as ruamel.yaml's scanner does, and gives the value with, for each of its
characters, the range of text that produced it: an escape sequence's every character, a fold's
line break with the blanks around it. `text_ranges` turns ranges of the value into ranges of
the text. Linear in the scalar's text.

None where this reader does not follow YAML exactly (a block scalar with an explicit
indentation indicator, an unknown escape): the caller then hides the whole scalar.
"""

import bisect
from typing import NamedTuple

from nexlayer_lint import builder
from nexlayer_lint.model import Document, Located, Span

_BREAKS = "\r\n\x85\u2028\u2029"
_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX = frozenset("0123456789abcdefABCDEF")


class ValueMap(NamedTuple):
    """A scalar's value; value[i] was written at text[lo[i]:hi[i]] (offsets into the whole text)."""

    value: str
    lo: list[int]
    hi: list[int]


def text_ranges(mapped: ValueMap, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The text ranges (absolute offsets) that wrote value[start:end], for each range: from the
    first character that produced its first character to the last that produced its last."""
    return [(mapped.lo[start], mapped.hi[end - 1]) for start, end in ranges if end > start]


def text_offset(starts: list[int], text: str, line: int, col: int) -> int:
    """The offset of a 1-based (line, col) position in `text` whose lines start at `starts`
    (Document.line_starts), clamped to the text."""
    if line > len(starts):
        return len(text)
    return min(starts[line - 1] + col - 1, len(text))


def scalar_bounds(text: str, starts: list[int], span: Span) -> tuple[int, int]:
    """The offsets of the text of the scalar at `span`, after any anchor or tag (`&pw hunter2`)."""
    start, end = text_offset(starts, text, span.line, span.col), text_offset(starts, text, span.end_line, span.end_col)
    while start < end and text[start] in "&!":
        while start < end and not text[start].isspace():
            start += 1
        while start < end and text[start].isspace():
            start += 1
    return start, end


def scalar_map(doc: Document, located: Located, value: str) -> ValueMap | None:
    """The ValueMap of the string `value` written at `located` in the document's text; None when
    its text cannot be read exactly, or reads as another value."""
    if located.style is None:
        return None
    mapped = value_map(doc.text, *scalar_bounds(doc.text, doc.line_starts, located.value), located.style)
    return mapped if mapped is not None and mapped.value == value else None


def written_span(doc: Document, mapped: ValueMap, start: int, end: int) -> Span | None:
    """Where mapped.value[start:end] is in the document's text, as a Span: from the first
    character that wrote its first character to the last that wrote its last."""
    if not 0 <= start < end <= len(mapped.value):
        return None
    starts = doc.line_starts
    ((first, last),) = text_ranges(mapped, [(start, end)])
    line, end_line = bisect.bisect_right(starts, first), bisect.bisect_right(starts, last - 1)
    return Span(line, first - starts[line - 1] + 1, end_line, last - starts[end_line - 1] + 1)


def value_map(text: str, start: int, end: int, style: str) -> ValueMap | None:
    """The value of the scalar written at text[start:end] in `style` ("" plain, "'", '"', "|"
    or ">"), with where each of its characters was written; `start` is at the opening quote or
    the block's indicator (after any anchor or tag), `end` just past the scalar."""
    if style in ("'", '"'):
        if end - start < 2 or text[start] != style or text[end - 1] != style:
            return None
        return _flow(text, start + 1, end - 1, double=style == '"', plain=False)
    if style == "":
        return _flow(text, start, end, double=False, plain=True)
    if style in ("|", ">"):
        return _block(text, start, end, folded=style == ">")
    return None


def read_leniently(text: str, start: int, end: int) -> ValueMap:
    """A double-quoted scalar that may not parse, from its opening quote at `start` to `end`
    (past its closing quote, or the end of its line when the quote stays open): each escape read
    as YAML reads it, and one YAML refuses (`\\q`, past U+10FFFF, a last `\\`) kept as written.
    For a file that does not parse, whose names must still be judged as YAML would read them
    (hunt 113 F1)."""
    closed = end - start >= 2 and text[end - 1] == '"'
    mapped = _flow(text, start + 1, end - 1 if closed else end, double=True, plain=False, lenient=True)
    assert mapped is not None  # lenient: nothing is refused
    return mapped


def _blank_lines(text: str, pos: int, end: int, blanks: str) -> tuple[int, list[str]]:
    """After a line break: past the blanks and the further line breaks from `pos`; where the next
    character is, and those line breaks (each as YAML reads it)."""
    breaks: list[str] = []
    while pos < end:
        if text[pos] in blanks:
            pos += 1
        elif (more := _break_at(text, pos, end)) > 0:
            breaks.append(_normal(text, pos))
            pos += more
        else:
            break
    return pos, breaks


def _break_at(text: str, pos: int, end: int) -> int:
    """The length of the line break at text[pos] (2 for CR LF), 0 when there is none."""
    if pos >= end or text[pos] not in _BREAKS:
        return 0
    return 2 if text.startswith("\r\n", pos, end) else 1


def _normal(text: str, pos: int) -> str:
    """A line break as YAML reads it: LS and PS stay, the others become LF."""
    return text[pos] if text[pos] in "\u2028\u2029" else "\n"


class _Out:
    def __init__(self) -> None:
        self.chars: list[str] = []
        self.lo: list[int] = []
        self.hi: list[int] = []

    def add(self, chars: str, lo: int, hi: int) -> None:
        for char in chars:
            self.chars.append(char)
            self.lo.append(lo)
            self.hi.append(hi)

    def done(self) -> ValueMap:
        return ValueMap("".join(self.chars), self.lo, self.hi)


def _flow(text: str, pos: int, end: int, *, double: bool, plain: bool, lenient: bool = False) -> ValueMap | None:
    """A plain or quoted scalar's content, text[pos:end] (inside the quotes); `lenient`: an
    escape YAML refuses is kept as written, not None (read_leniently)."""
    out = _Out()
    # a plain scalar's continuation lines start after their spaces, and after tabs too for
    # libyaml (ruamel's own scanner keeps a tab there)
    blanks = " \t" if not plain or builder.CParser is not None else " "
    pending = -1  # where a run of blanks not yet known to be content starts
    while pos < end:
        char = text[pos]
        width = _break_at(text, pos, end)
        if width:
            # blanks before a line break are dropped; the break and the next lines' leading
            # blanks fold: one break is a space, each further one a line break
            first = pos if pending < 0 else pending
            kind = _normal(text, pos)
            pos, breaks = _blank_lines(text, pos + width, end, blanks)
            folded = kind if kind != "\n" else ("" if breaks else " ")
            out.add(folded + "".join(breaks), first, pos)
            pending = -1
            continue
        if char in " \t":
            if pending < 0:
                pending = pos
            pos += 1
            continue
        if pending >= 0:
            for blank in range(pending, pos):
                out.add(text[blank], blank, blank + 1)
            pending = -1
        if char == "'" and not plain and not double:
            if not text.startswith("''", pos, end):
                return None
            out.add("'", pos, pos + 2)
            pos += 2
        elif char == "\\" and double:
            code = text[pos + 1] if pos + 1 < end else ""
            digits = text[pos + 2 : pos + 2 + _HEX_ESCAPES.get(code, 0)]
            if code and code in _ESCAPES:
                out.add(_ESCAPES[code], pos, pos + 2)
                pos += 2
            # past U+10FFFF no character: YAML refuses it (a file that does not parse is read here too)
            elif (
                code in _HEX_ESCAPES
                and len(digits) == _HEX_ESCAPES[code]
                and _HEX.issuperset(digits)
                and (int(digits, 16) <= 0x10FFFF)
            ):
                out.add(chr(int(digits, 16)), pos, pos + 2 + len(digits))
                pos += 2 + len(digits)
            elif code and (width := _break_at(text, pos + 1, end)) > 0:
                # a line continued: the break and the next lines' leading blanks are dropped,
                # further line breaks kept
                first = pos
                pos, breaks = _blank_lines(text, pos + 1 + width, end, " \t")
                out.add("".join(breaks), first, pos)
            elif lenient:  # refused: the backslash as written, and what follows it read on
                out.add("\\", pos, pos + 1)
                pos += 1
            else:
                return None
        else:
            out.add(char, pos, pos + 1)
            pos += 1
    if pending >= 0 and not plain:  # blanks before the closing quote are content
        for blank in range(pending, end):
            out.add(text[blank], blank, blank + 1)
    return out.done()


def _indented(text: str, pos: int, end: int, indent: int) -> tuple[int, int, list[tuple[int, int]]]:
    """From a line's start: past at most `indent` spaces, and past each blank line after them
    (as ruamel.yaml's scan_block_scalar_breaks); where it stops, its line's start, and the line
    breaks passed."""
    line_start = pos
    breaks: list[tuple[int, int]] = []
    while pos - line_start < indent and pos < end and text[pos] == " ":
        pos += 1
    while (width := _break_at(text, pos, end)) > 0:
        breaks.append((pos, pos + width))
        pos += width
        line_start = pos
        while pos - line_start < indent and pos < end and text[pos] == " ":
            pos += 1
    return pos, line_start, breaks


def _parent_indent(text: str, header: int) -> int | None:
    """The indentation a block scalar's explicit indentation counts from, as ruamel.yaml's
    scanner has it: the column of the key on the header's line (`  key: |2`, `- key: |2`), or of
    the last `- ` before the header (`- |2`); None for another line (`? key`, a flow, the header
    alone on its line), whose mapping is not read here. The verdict is checked: a map whose
    value is not the data's is not used (scalar_map)."""
    # back to the line's start, its own characters only (two `rfind`s, one for each break, read
    # back to the file's start in a file without the other: quadratic, hunt 161 F3)
    line_start = header
    while line_start and text[line_start - 1] not in "\n\r":
        line_start -= 1
    line = text[line_start:header]
    at = len(line) - len(line.lstrip(" "))
    dash = None
    while line.startswith("- ", at):
        dash = at
        at = len(line) - len(line[at + 2 :].lstrip(" "))
    if at == len(line):
        return dash  # `- |2`: the item's
    key_end = line.find(": ", at)
    if key_end < 0 or line.startswith(("?", "{", "[", "&", "!", "*"), at):
        return None
    return at


def _block(text: str, pos: int, end: int, *, folded: bool) -> ValueMap | None:
    """A block scalar from its indicator, read as ruamel.yaml's scan_block_scalar reads it."""
    header = pos
    pos += 1
    chomping: bool | None = None
    increment = 0
    for _ in range(2):
        if pos < end and text[pos] in "+-":
            chomping = text[pos] == "+"
            pos += 1
        elif pos < end and text[pos] in "123456789":
            increment = int(text[pos])
            pos += 1
    while pos < end and not _break_at(text, pos, end):  # the rest of the header line
        pos += 1
    pos += _break_at(text, pos, end)
    out = _Out()
    line_start, indent = pos, 0
    breaks: list[tuple[int, int]] = []  # line breaks waiting to be content: (start, end)
    if increment:  # an explicit indentation: the parent's and that many more (hunt 155 F4)
        parent = _parent_indent(text, header)
        if parent is None:
            return None
        indent = parent + increment
        pos, line_start, breaks = _indented(text, pos, end, indent)
    # else the indentation: the deepest of the leading blank lines and the first line's
    while not increment and pos < end and (text[pos] == " " or _break_at(text, pos, end)):
        if text[pos] == " ":
            pos += 1
            indent = max(indent, pos - line_start)
        else:
            width = _break_at(text, pos, end)
            breaks.append((pos, pos + width))
            pos += width
            line_start = pos
    line_break: tuple[int, int] | None = None
    while pos < end and pos - line_start == indent:
        for first, after in breaks:
            out.add(_normal(text, first), first, after)
        leading_non_space = text[pos] not in " \t"
        content = pos
        while pos < end and not _break_at(text, pos, end):
            pos += 1
        for at in range(content, pos):
            out.add(text[at], at, at + 1)
        width = _break_at(text, pos, end)
        line_break = (pos, pos + width) if width else None
        pos += width
        pos, line_start, breaks = _indented(text, pos, end, indent)
        if pos < end and pos - line_start == indent:
            if (
                folded
                and line_break is not None
                and _normal(text, line_break[0]) == "\n"
                and leading_non_space
                and text[pos] not in " \t"
            ):
                if not breaks:
                    out.add(" ", *line_break)
            elif line_break is not None:
                out.add(_normal(text, line_break[0]), *line_break)
        else:
            break
    if chomping is not False and line_break is not None:
        out.add(_normal(text, line_break[0]), *line_break)
    if chomping is True:
        for first, after in breaks:
            out.add(_normal(text, first), first, after)
    return out.done()
