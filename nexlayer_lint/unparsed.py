"""The code frames of a file that does not parse: its secrets masked, line by line.

Without a parse there are no data paths, so the lines are read as YAML-like text: keys (plain,
quoted, starting with a digit; in block style, or in a flow mapping with or without a space after
the colon; explicit, `? KEY` then `: value`), list items, block scalars, quoted values that go on
over several lines, flow collections over several lines, anchors and aliases. What is secret
follows secrets.py: the value of a secret-looking key, every value under `registryLogin` but
`registry` and `username`, every value of a `secrets` item but `name`, `mountPath` and
`fileName` (a `registryLogin` or `secrets` that is not a mapping or a list is secret whole), the
`value` of a `- key: SECRET_NAME` item (written before or after its key; `key` and `name` in any
case, `value` also misspelt, as secrets.item_name and is_value_key read them; a `Key:` of
the item's own is its name, not a var called KEY), `NAME=value` and `"NAME: value"` in a list of
vars, each entry of a string given for vars (`vars: "{A: 1, DB_PASSWORD: x}"`), a var commented
out (secrets.comment_secrets) and the comment lines under a secret's key commented out
(`# API_KEY: >-` then `#   x`: secrets.commented_block), a private key commented out line by line
(`# -----BEGIN ... PRIVATE KEY-----` to its END), the item after a secret option in a list
(`["app", "--password", "x"]`), a secret header's value in the item after `-H` or `--header`,
the secrets of a quoted value read across each of its line breaks (`"redis-cli -a` then `x ping"`:
the last line is carried to the next), the value an anchor names (`&pw x`) when an alias of it is a
secret's value (`DB_PASSWORD: *pw`), and whatever `secrets.parts_in` finds in a line (a URL's
password, a token).
Where the end of a secret value cannot be told, the rest of its line is masked, and the lines
indented under it (a plain value goes on in the lines indented more than its key). A comment line
ends nothing.

One pass over the lines up to the last one a frame shows, each character read a bounded number
of times, and on past it only while a `value:` waits for its item's `key:`, or an anchored value
of those lines waits for an alias (an alias always comes after its anchor, so a value is known
secret by the time the pass reaches its alias; past the last line shown no anchor is noted);
only the lines a frame shows are masked and kept, the others are left empty.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from nexlayer_lint.commands import HEADER_OPTIONS, header_parts
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.scalars import closing_quote
from nexlayer_lint.secrets import (
    ITEM_NAME_KEYS,
    LINE_BREAK,
    VARS_KEYS,
    _fold,
    _is_secret_key,
    _trimmed,
    assignment_sign,
    blank_value_start,
    comment_secrets,
    commented_block,
    follows_secret_flag,
    is_option_value,
    is_public_field,
    is_published_name,
    is_secret_flag,
    is_secret_var_name,
    is_secrets_key,
    is_value_key,
    literal_ranges,
    parts_in,
    program_option,
    says_where_or_whether,
)
from nexlayer_lint.value_map import ValueMap, read_leniently

MAX_NAME = 128  # a longer run of text before a colon is not taken for a var's name
_NAME = lazy(r"[A-Za-z0-9_.-]+")  # a key written without a space after its colon: `DB_PASSWORD:x`
_MASKED = ("secret", "block", "plain")  # the contexts whose lines are all a secret value


class _Context(NamedTuple):
    """A key whose value goes on in the lines indented under it."""

    indent: int  # the key's column
    # "login", "files", "vars"; or masked all: "secret", "block" (a block scalar), "plain" (a plain
    # scalar, which goes on in the lines indented more than its key)
    kind: str


class _Item:
    """A list item (`- ...`) or a flow mapping (`{...}`): its `value:` is secret when its
    `key:` or `name:` names a secret, whichever comes first."""

    def __init__(self, col: int, depth: int = 0, listed: bool = True) -> None:
        self.col = col
        self.depth = depth  # a flow mapping's flow depth inside it; 0 for a block item
        self.listed = listed  # a flow mapping that is a list's item (not a key's value)
        self.fields = -1  # a block item's column of its own keys, known at its first key
        self.secret = False
        self.pending: list[tuple[int, int, int]] = []  # (line, start, end) of `value:`s seen so far


class _Anchor:
    """Where an anchored value (`&pw "x"`) is written: a range of its line (`start` to `end`),
    and, for a value that goes on below (a block, a mapping, an unclosed quote or flow), the
    lines after it indented more than `indent`, up to `last` (-1 while they go on). Masked when
    an alias of it is a secret's value."""

    def __init__(self, line: int, start: int, end: int, *, literal: bool, indent: int = -1) -> None:
        self.line = line
        self.start, self.end = start, end
        self.literal = literal  # masked but its references (`${X}`), as a written value is
        self.indent = indent  # -1: nothing below
        self.last = -1


def mask(text: str, shown: Iterable[tuple[int, int]]) -> str:
    """`text` up to the last line a frame shows, its secrets starred on the lines in `shown`
    ((first, last) line numbers, 1-based) and every other line empty, line breaks kept."""
    last = 0
    marks: dict[int, int] = {}
    for first, end in shown:
        first, end = max(first, 1), max(first, end, 1)
        marks[first] = marks.get(first, 0) + 1
        marks[end + 1] = marks.get(end + 1, 0) - 1
        last = max(last, end)
    rest = _lines(text)
    lines = list(islice(rest, last))
    shown_lines = []
    open_ranges = 0
    for number in range(1, len(lines) + 1):
        open_ranges += marks.get(number, 0)
        shown_lines.append(open_ranges > 0)
    masks = _scan(lines, shown_lines, rest)
    out = []
    after_cr = False
    for index, (body, brk) in enumerate(lines):
        if shown_lines[index]:
            out.append(_starred(body, masks[index]) + brk)
        else:
            # an emptied line between a lone \r and a \n must not join the two into one break
            out.append((" " if after_cr and brk.startswith("\n") else "") + brk)
        after_cr = brk == "\r"
    return "".join(out)


def secret_ranges(text: str, line: int) -> list[tuple[int, int]]:
    """The characters `mask` stars on line `line` (1-based) of `text`, as (start, end) indexes
    into that line (end exclusive): what a parser message must not quote."""
    if line < 1:
        return []
    rest = _lines(text)
    lines = list(islice(rest, line))
    if len(lines) < line:
        return []
    return _scan(lines, [False] * (line - 1) + [True], rest)[line - 1]


def _lines(text: str) -> Iterator[tuple[str, str]]:
    """The lines of `text`, each as (body, line break), read as they are asked for."""
    pos = 0
    for match in LINE_BREAK.finditer(text):
        yield text[pos : match.start()], match.group()
        pos = match.end()
    if pos < len(text):
        yield text[pos:], ""


def _scan(
    lines: list[tuple[str, str]], shown: list[bool], rest: Iterator[tuple[str, str]]
) -> list[list[tuple[int, int]]]:
    """Each line's secret ranges; a value's parts (a URL's password, a token) only on shown lines.
    `lines`: (body, line break) each; `rest`: the lines after them."""
    count = len(lines)
    read = [_without_nuls(body) for body, _ in lines]
    bodies = [_invisible_as_blank(body) for body, _ in read]
    scanner = _Scanner(bodies, [_stray(brk, lines[0][1]) for _, brk in lines])
    for index in range(count):
        scanner.line(index, shown[index])
    # A `value:` written before its item's `key:` is secret or not by a line that may come after
    # the last one shown: read on (each line once, none kept) until every such value is judged.
    # An anchored value on a shown line is secret when a later alias of it is a secret's value
    # (`DB_PASSWORD: *pw`): read on, anchoring nothing more, until each is judged.
    scanner.recording = False
    while scanner.waiting or scanner.anchors:
        line = next(rest, None)
        if line is None:
            break
        body, brk = line
        bodies.append(_invisible_as_blank(_without_nuls(body)[0]))
        scanner.stray.append(_stray(brk, lines[0][1]))
        scanner.masks.append([])
        scanner.line(len(bodies) - 1, False)
    scanner.mask_anchored_lines()
    return [
        masks if kept is None else [_unread(kept, len(lines[index][0]), start, end) for start, end in masks]
        for index, (masks, (_, kept)) in enumerate(zip(scanner.masks[:count], read, strict=True))
    ]


def _without_nuls(body: str) -> tuple[str, list[int] | None]:
    """`body` without its NUL characters, and where each character kept was (None: it had none).
    A line in UTF-16 appended to a UTF-8 file (Windows PowerShell's `>>`) reads `D\x00B\x00...`:
    its secrets have their shape only without them (hunt 126 F2)."""
    if "\x00" not in body:
        return body, None
    kept = [index for index, char in enumerate(body) if char != "\x00"]
    return "".join(body[index] for index in kept), kept


def _unread(kept: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """A range of a line read without its NULs (_without_nuls), in the line as written."""
    if start >= end:
        return (kept[start] if start < len(kept) else length,) * 2
    return kept[start], kept[end - 1] + 1 if end <= len(kept) else length


# Characters that show as nothing, outside Zs and Cf: the blank Braille pattern, and Unicode's
# default-ignorable code points (Hangul fillers, the combining grapheme joiner, variation
# selectors, Khmer's inherent vowels, Mongolian's selectors, the unassigned U+2065 and
# U+FFF0-FFF8, the tags' plane: hunts 122 F7, 123 F5).
_FILLERS = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u2065"
    + "".join(map(chr, [*range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xFFF0, 0xFFF9)]))
)


def _filler(char: str) -> bool:
    return char in _FILLERS or "\U000e0000" <= char <= "\U000e0fff" or unicodedata.category(char) in ("Zs", "Cf")


def _invisible_as_blank(body: str) -> str:
    """`body` with the blanks and invisible characters that start it read as spaces: a byte-order
    mark (`cat a.yaml b.yaml` leaves one mid-file; hunt 113 F4), a no-break space pasted from a
    web page, a zero-width space (hunt 118 F2), a filler that shows as a blank (hunt 122 F7).
    Counted as text, they ended the secret's block they sit in, on the very line the parser
    stops at. Offsets are kept: one space for each."""
    start = len(body) - len(body.lstrip(" "))
    if start == len(body) or body[start] < "\x80":
        return body
    end = start
    while end < len(body) and (body[end] == " " or _filler(body[end])):
        end += 1
    return " " * end + body[end:]


def _stray(brk: str, first: str) -> bool:
    """Whether a line ends with a break no editor writes between lines (NEL, U+2028, U+2029, a
    lone CR in a file whose lines end otherwise): inside a value, it breaks the file there."""
    return brk in ("\x85", "\u2028", "\u2029") or (brk == "\r" and first != "\r")


def _starred(body: str, ranges: list[tuple[int, int]]) -> str:
    """`body` with the ranges starred; each character once, however the ranges overlap."""
    out, last = [], 0
    for start, end in sorted(ranges):
        start, end = max(start, last), min(end, len(body))
        if end > start:
            out += [body[last:start], "*" * (end - start)]
            last = end
    out.append(body[last:])
    return "".join(out)


class _Scanner:
    def __init__(self, bodies: list[str], stray: list[bool]) -> None:
        self.bodies = bodies
        self.stray = stray  # per line: it ends with a stray break (_stray)
        self.run_on = False  # the last line ended a secret's value at a stray break: this line goes on with it
        self.masks: list[list[tuple[int, int]]] = [[] for _ in bodies]
        self.contexts: list[_Context] = []
        self.items: list[_Item] = []  # open block list items, innermost last
        self.flow_items: list[_Item] = []  # open flow mappings, innermost last
        self.flow = 0  # depth of open flow collections
        self.quote = ""  # inside a secret quoted value that goes on to later lines: its quote
        self.flow_plain = False  # a secret plain value in a flow, at its line's end: it may go on
        # `secrets:` or `registryLogin:` ended the last line with nothing after it: an alias that
        # starts the next one is all of it
        self.collection_below = False
        self.waiting = 0  # how many `value:`s of open items wait for their item's `key:` or `name:`
        self.option = False  # the last scalar read was a list item naming a secret option (`--password`)
        self.program: str | None = None  # the password option of the program the list runs (`redis-cli`: `-a`)
        # a quoted value (not a secret's) left open at the end of the last line: its quote, its last
        # lines (_carried), and whether it sets a var (a vars item's `- 'DB_PASSWORD=` then its value)
        self.carry: tuple[str, tuple[str, ...], bool] | None = None
        # inside a block scalar, or a plain value going on below (not a secret's): its key's column,
        # its style (`|`, `>`), its last lines (_carried), so that a command in it is read across
        # its lines, and whether it sets a var (a vars item's `- DB_PASSWORD=` then its value)
        self.text_block: tuple[int, str, tuple[str, ...], bool] | None = None
        self.header = False  # the last scalar read was a list item `-H` or `--header`: a header follows
        self.command: list[str] = []  # the items of the list being read, as a command (secrets.follows_secret_flag)
        self.pem = False  # inside a private key commented out line by line
        self.block = -1  # inside a secret's value commented out under its key: the key's column (commented_block)
        self.commented = False  # the line being read has a comment
        self.explicit: tuple[int, str] | None = None  # `? NAME` on the last line: its column and name
        self.anchors: dict[str, _Anchor] = {}  # by name, the latest of each; gone once masked
        self.open_anchors: list[_Anchor] = []  # anchored values that go on in the lines below
        self.anchored_lines: list[tuple[int, int]] = []  # (first, last) lines of anchored values to mask
        self.recording = True  # whether anchors are noted (not past the last line shown)
        self.owner = 0  # the column of the key or item the line's next value belongs to

    def line(self, index: int, shown: bool) -> None:
        self.commented = False
        self.read(index, shown)
        # as secrets.py reads comments: a key commented out line by line goes on over blank lines
        # and lines with a comment, and ends at any other line
        if not self.commented and _skip_blanks(self.bodies[index], 0) < len(self.bodies[index]):
            self.pem, self.block = False, -1

    def read(self, index: int, shown: bool) -> None:
        body = self.bodies[index]
        pos = 0
        continued = False
        if self.carry is not None:
            self.carried(index, body, shown)
        if self.run_on:
            # `DB_PASSWORD: abc` U+2028 `def`: the rest of the password, on a line of its own
            self.run_on = self.stray[index]
            self.mask(index, _skip_blanks(body, 0), len(body))
            return
        if self.quote:
            pos = _skip_blanks(body, 0)
            close = closing_quote(body, pos, self.quote)
            self.mask(index, pos, len(body) if close < 0 else close)
            if close < 0:
                return
            self.quote, pos = "", self.run_on_after(index, body, close)
        else:
            pos = _skip_blanks(body, 0)
            if pos == len(body):
                return  # a blank line ends nothing
            if pos == 0 and (body.startswith("%") or (body.startswith("...") and body[3:4] in ("", " ", "\t"))):
                # nor a directive or a document's end where the parser fails: it reports the next
                # line, which the frame shows, still in the block this line is in (hunt 113 F4)
                return
            if self.flow_plain and self.flow and body[pos] not in "[]{},#":
                # `{DB_PASSWORD: abc` then `  def, X: 1}`: a plain scalar in a flow goes on to the
                # next flow indicator, over line breaks
                end = self.value_end(body, pos)
                self.mask_literal(index, body, pos, end)
                self.flow_plain, pos = end == len(body), end
                if pos == len(body):
                    return
            if body[pos] != "#":  # a comment line ends nothing (hunt 125 F3), as in block style
                self.flow_plain = False
            if body[pos] == "#":
                # A comment line ends nothing either (`DB_PASSWORD:`, `# note`, then its value);
                # under a secret's key it is a line of the secret, else a comment.
                if self.contexts and self.contexts[-1].kind in ("secret", "block") and pos > self.contexts[-1].indent:
                    self.mask(index, pos, len(body))
                    self.comment(index, body, pos, shown=False)
                else:
                    self.comment(index, body, pos, shown)
                return
            if self.text_block is not None:
                self.block_line(index, body, pos, shown)
                continued = self.text_block is not None  # a line of a block or of a value above
            explicit, self.explicit = self.explicit, None
            dash = _starts_item(body, pos)
            indent = _indent(body, pos)
            while self.open_anchors and not _inside(_Context(self.open_anchors[-1].indent, ""), indent, dash):
                self.open_anchors.pop().last = index - 1
            self.owner = pos
            # the collection key on the line above, before a line at its column ends it
            collection_key = self.contexts[-1] if self.collection_below and self.contexts else None
            # a tab in the indentation (the file's error) keeps the line in the value above it,
            # whatever column it counts as: it may be a secret's (hunt 142 F2)
            tabbed = "\t" in body[:pos]
            while self.contexts and not tabbed and not _inside(self.contexts[-1], indent, dash):
                self.contexts.pop()
            while self.items and self.items[-1].col >= indent:
                self.waiting -= len(self.items.pop().pending)
            self.collection_below = False
            if self.contexts and self.contexts[-1].kind in _MASKED:
                self.mask(index, pos, len(body))
                value = _skip_blanks(body, pos + 1) if dash else pos
                if body.startswith("*", value):  # `DB_PASSWORD:` then `  *pw` (or `  - *pw`) under it
                    self.alias(index, _name_at(body, value + 1))
                return
            node = _past_properties(body, pos)
            if (
                body.startswith("*", node)
                and collection_key is not None
                and collection_key.kind in ("login", "files")
                and (
                    self.contexts[-1:] == [collection_key]
                    # at the key's column, not a key beside it (`*kk : 1`: hunt 130 F3)
                    or (collection_key.indent == indent and not _is_key_at(body, node))
                )
            ):
                # `secrets:` or `registryLogin:` then `  *all` right under it: all of it (hunt 123
                # F2); not an alias under a public key of theirs (`registry:` then `*r`: hunt 124 F4);
                # also at the key's own column, or after a tag (`!!seq *all`: hunt 126 F5)
                self.alias(index, _name_at(body, node + 1))
            if explicit is not None and (explicit[0] == pos or self.flow) and _indicator(body, pos, ":"):
                pos = self.key(index, body, explicit[1], pos, pos + 1)  # `? DB_PASSWORD` then `: value`
        comment = self.tokens(index, body, pos)
        if shown:
            # a token right after a published key (`ANON_KEY: eyJ...`) is shown, as in a parsed
            # file; not inside another value (`CONFIG: |` then `  ANON_KEY: eyJ...`)
            published = not continued and "eyJ" in body and _published_key(body)
            for part in parts_in(body, jwts=not published):
                self.mask(index, part.start, part.end)
        if comment < len(body):
            self.comment(index, body, comment, shown)

    def carried(self, index: int, body: str, shown: bool) -> None:
        """A quoted value that goes on from the last line (`"redis-cli -a` then `x ping"`, or
        `"redis-cli`, `-h db`, `-a x"`): its secrets are read across the breaks, which YAML folds
        into spaces, and masked on this line. What is carried is the value's last CARRIED_LINES
        lines (a blank line carries nothing), so each line is read CARRIED_LINES + 1 times at
        most: linear."""
        quote, lines, assigns = self.carry or ("", (), False)
        pos = _skip_blanks(body, 0)
        if pos == len(body):
            return  # a blank line: the value goes on after it, the last lines still carried
        close = closing_quote(body, pos, quote)
        end = len(body) if close < 0 else close
        self.carry = (quote, _carried(lines, body[pos:end].rstrip(" \t")), assigns) if close < 0 else None
        if shown:
            for start, stop in _carried_secrets(lines, quote, body[pos:end], close >= 0, assigns):
                self.mask(index, pos + start, pos + stop)

    def block_line(self, index: int, body: str, pos: int, shown: bool) -> None:
        """A line of a block scalar (`command: |` or `>`), indented at `pos`: its secrets are read
        with the lines before it, joined as YAML joins them (`|` by line breaks, so a shell's
        `\\` continues a command; `>` by spaces), and masked on this line. A line indented no more
        than the key ends the block. The line is also read as keys and values, as before."""
        column, style, lines, assigns = self.text_block or (0, "", (), False)
        # a tab in the indentation (the file's error, the line a frame shows) keeps the line in the
        # block whatever it counts as: it may be the value's, a secret's (hunt 142 F2)
        if "\t" not in body[:pos] and pos <= column:
            self.text_block = None
            return
        line = body[pos:].rstrip(" \t")
        self.text_block = (column, style, _carried(lines, line), assigns)
        join = "\n" if style == "|" else " "
        joined = join.join(lines) + join if lines else ""
        text = joined + line
        if shown and joined:
            offset = len(joined)
            for part in parts_in(text, assignment=assigns):  # hunt 122 F5
                if part.end > offset:
                    self.mask(index, pos + max(part.start, offset) - offset, pos + part.end - offset)

    def comment(self, index: int, body: str, at: int, shown: bool) -> None:
        """Mask the secrets of the comment whose `#` is at `at` (secrets.comment_secrets: a var
        commented out is still a secret), or all of it inside a private key commented out line
        by line; the key's state is followed on every line, shown or not."""
        self.commented = True
        text = body[at + 1 :]
        if self.block >= 0:
            own_line = _skip_blanks(body, 0) == at
            if own_line and (not text.strip() or _skip_blanks(text, 0) > self.block):
                if shown:  # `# API_KEY: >-` then `#   hunter2`: a line of its value
                    self.mask(index, _skip_blanks(body, at + 1), len(body.rstrip(" \t")))
                return
            self.block = -1
        upper = body[at:].upper()
        if self.pem and "-----END " not in upper:
            if shown:
                start = _skip_blanks(body, at + 1)
                self.mask(index, start, len(body.rstrip(" \t")))
            return
        self.pem = "-----BEGIN " in upper and "PRIVATE KEY" in upper
        self.block = -1 if self.pem else commented_block(text)
        if shown:
            for first, last in comment_secrets(text):
                self.mask(index, at + 1 + first, at + 1 + last)

    def tokens(self, index: int, body: str, pos: int) -> int:
        """Read the keys and values of a line from `pos`; where its comment starts (or its length)."""
        n = len(body)
        node = -1  # where the node being read starts: at its tag or anchor, when it has one
        while pos < n:
            char = body[pos]
            tagged = node  # a tag or an anchor before this token (blanks between)
            if char in "&!":
                node = pos if node < 0 else node
            elif char not in " \t":
                node = -1
            if char in " \t,":
                pos += 1
            elif char == "#" and (pos == 0 or body[pos - 1] in " \t"):
                return pos
            elif char in "-?" and _indicator(body, pos, char):
                if char == "-":
                    self.items.append(_Item(pos))
                    self.owner = pos
                else:
                    self.explicit = (pos, self.explicit_key(body, pos + 1))
                pos += 1
            elif char in "{[":
                self.flow += 1
                if char == "{":
                    self.flow_items.append(_Item(pos, self.flow, _is_item(body, pos, self.flow - 1)))
                pos += 1
            elif char in "}]":
                self.flow = max(self.flow - 1, 0)
                if char == "}" and self.flow_items:
                    self.waiting -= len(self.flow_items.pop().pending)
                pos += 1
            elif char in "&!*":  # an anchor, a tag or an alias: not a key, not a value
                end = _name_end(body, pos + 1)
                if char == "&":
                    self.anchor(index, body, body[pos + 1 : end], end)
                elif char == "*" and self.context() in ("login", "files") and _is_item(body, pos, self.flow):
                    # `secrets:` then `- *tls`, `secrets: [*tls]`: a whole item named by an alias
                    # is a secret's (hunt 122 F4)
                    self.alias(index, body[pos + 1 : end])
                pos = end
            elif char in "|>":  # a block scalar's header: its lines are a value; a comment may follow
                # a vars item's (`- >-` then `DB_PASSWORD=x`) sets a var, as a string item does
                # (its anchor or tag first: `- &k |`, hunt 124 F3)
                start = tagged if tagged >= 0 else pos
                self.text_block = (self.owner, char, (), self.context() == "vars" and _is_item(body, start, self.flow))
                return _header_end(body, pos + 1)
            else:
                pos = self.scalar(index, body, pos, tagged if tagged >= 0 else pos)
        return n

    def scalar(self, index: int, body: str, start: int, column: int) -> int:
        """Read the scalar at `start`; when it is a key, judge it and mask its value. Returns
        where reading goes on. `column`: where the node starts, at its tag or anchor if it has
        one (`!!str secrets:`), for the mapping under a key is indented from there."""
        n = len(body)
        quoted = body[start] in "'\""
        if quoted:
            close = closing_quote(body, start + 1, body[start])
            end = n if close < 0 else close + 1
            name = body[start + 1 : close if close >= 0 else n]
        else:
            end = _plain_end(body, start, self.flow)
            name = body[start:end].rstrip()
        colon = _skip_blanks(body, end)
        is_key = (
            colon < n
            and body[colon] == ":"
            and (colon + 1 == n or body[colon + 1] in " \t" or self.flow > 0 or quoted or colon == end)
        )
        offset = start + (1 if quoted else 0)  # where `name` starts in the line
        written = name
        # `- "DB_\u0050ASSWORD=hunter2"`, `"--pass\x77ord"`: judged as YAML reads them (hunt 112 F2)
        mapped = _escapes_read(body, start, end) if quoted else None
        if mapped is not None:
            name = mapped.value

        def span(first: int, last: int) -> tuple[int, int]:  # where name[first:last] was written in the line
            if mapped is None:
                return offset + first, offset + last
            return (mapped.lo[first], mapped.hi[last - 1]) if last > first else (offset, offset)

        # `- DB_PASSWORD=hunter2`, `- "DB_PASSWORD: hunter2"`; or `- DB_PASSWORD=hunter2: x`, a key
        assigns = self.context() == "vars" and (quoted or not is_key or "=" in name)
        sign = assignment_sign(name) if assigns else -1
        if sign > 0:
            self.mask_literal(index, body, *span(sign + 1, len(name)))
        elif self.context() == "vars" and (blank := blank_value_start(name)) > 0:
            # `DB_PASSWORD hunter2: x`, `- DB_PASSWORD hunter2`: a blank for the `:` (hunt 82 F3)
            self.mask_literal(index, body, *span(blank, len(name)))
        if mapped is not None:
            # its secrets as YAML reads it, escapes decoded: `"[\"redis-server\", \"--requirepass\",
            # \"x\"]"` is no JSON array as written (hunt 118 F3); a key's too (hunt 126 F7)
            for part in parts_in(name):
                self.mask(index, *span(part.start, part.end))
        if not is_key:
            # `["app", "--password", "hunter2"]`, or a block list of the same: the item after a
            # secret option is its value (secrets.follows_secret_flag)
            if quoted and close < 0 and sign > 0:
                # a secret's `- 'DB_PASSWORD=x` going on: all of it, to its closing quote, however
                # many lines (judged three lines at a time, the fourth was shown: hunt 123 F1)
                self.quote = body[start]
            elif quoted and close < 0:  # a quoted value that goes on to the next line
                self.carry = (body[start], (body[offset:].rstrip(" \t"),), assigns)
            elif not quoted and not self.flow and self.text_block is None and _skip_blanks(body, end) == n:
                # a plain value may go on in the lines indented more than its key, folded as `>` folds
                # (not a line that goes on a value itself: that value's lines are carried already);
                # one that starts its own line under its key (`command:` then `  redis-cli`) goes on
                # at its own indentation too
                column = self.owner - 1 if self.owner == start else self.owner
                self.text_block = (column, ">", (written,), assigns)
                if sign > 0:  # a secret's `- DB_PASSWORD=x` going on: every line of it (hunt 123 F1)
                    self.contexts.append(_Context(column, "plain"))
            elif not quoted and self.flow and sign > 0 and _skip_blanks(body, end) == n:
                # `vars: [DB_PASSWORD=x` going on: to the next flow indicator (hunt 124 F2)
                self.flow_plain = True
            if self.option and is_option_value(name):
                self.mask_literal(index, body, *span(0, len(name)))
            if self.header:  # `[curl, -H, "X-Api-Key: x"]`: what follows a secret header's name
                for part in header_parts(name, 0, len(name)):
                    self.mask(index, *span(part.start, part.end))
            item = _is_item(body, start, self.flow)
            if item:
                # `[git, config, x.token, pw]`, `[curl, -u, "admin:pw"]`: judged as a parsed list is
                self.command.append(name)
                if follows_secret_flag(self.command, len(self.command) - 1) and is_option_value(name):
                    self.mask_literal(index, body, *span(0, len(name)))
            else:
                self.command = []
            # (the item after `<<<` is judged by follows_secret_flag above, from the items before it)
            self.option = item and (is_secret_flag(name) or name == self.program)
            self.program = program_option(self.program, name) if item else None
            self.header = item and name in HEADER_OPTIONS
            return max(end, start + 1)
        option, self.option, self.program = self.option, False, None
        self.header = False
        self.command = []
        if option and _is_item(body, start, self.flow):  # `- --token` then `- abc: x`: all secret
            self.mask_literal(index, body, start, end)
            return self.secret_value(index, body, start, colon + 1)
        return self.key(index, body, name.strip(), column, colon + 1)

    def key(self, index: int, body: str, name: str, column: int, pos: int) -> int:
        self.owner = column
        context = self.context()
        item = self.flow_items[-1] if self.flow and self.flow_items else (self.items[-1] if self.items else None)
        # an item's `key`, `name`... (ITEM_NAME_KEYS, in any case, as secrets.item_name reads them) names its var
        field = name.lower() if len(name) <= 8 else ""
        own = item is not None and self.own_key(item, column)
        if context == "login":
            secret = not is_public_field("login", name)
        elif context == "files":
            secret = not is_public_field("file", name)
        else:
            # `- Key: LOG_LEVEL` names the item's var: it is no var called KEY, whose value is secret
            secret = len(name) <= MAX_NAME and _is_secret_key(name) and not (field == "key" and own)
        value_key = len(name) <= MAX_NAME and is_value_key(name)
        if value_key and item is not None and item.secret:
            secret = True
        elif secret and context not in ("login", "files") and self.says_where_or_whether(index, column, pos):
            secret = False  # `SSL_KEY: /etc/ssl/tls.key`, `REDIS_AUTH: "off"`: shown, as a parsed file shows them
        if secret:
            return self.secret_value(index, body, column, pos)
        folded = _fold(name) if len(name) <= MAX_NAME else ""
        kind = "login" if folded == "registrylogin" else "files" if folded and is_secrets_key(name) else ""
        if kind:
            # As secrets.py reads them, a value of any shape but a mapping or a list is secret
            # whole: `registryLogin: hunter2: x` must not read `hunter2` as a key under it.
            if not _opens_collection(body, pos):
                return self.secret_value(index, body, column, pos)
            value = _past_properties(body, pos)  # `secrets: &s !!seq` then `*all` (hunt 126 F5)
            if body.startswith("*", value):  # `registryLogin: *login`, `secrets: *all`: all of it
                self.alias(index, _name_at(body, value + 1))
            self.collection_below = value == len(body) or body[value] == "#"
            self.contexts.append(_Context(column, kind))
        elif folded in VARS_KEYS and not (
            own and field in ITEM_NAME_KEYS and field != "env" and not _opens_collection(body, pos)
        ):
            # An item's own `env:` string is read both ways, as secrets.py reads it: it names the
            # item's var (`- env: SECRET_KEY` then `value: x`: hunt 66 F2) and it holds vars
            # (`env: DB_PASSWORD x` in a pod: hunt 97 F1).
            if own and field == "env" and item is not None and not _opens_collection(body, pos):
                self.name_item(index, body, item, pos)
            self.contexts.append(_Context(column, "vars"))
            self.vars_string(index, body, pos)
        elif item is not None and (value_key or field in ITEM_NAME_KEYS):
            start = _skip_blanks(body, pos)
            if start < len(body) and body[start] in "[{":
                if value_key:  # a value before its key: the rest of its line waits (not read ahead)
                    item.pending.append((index, start, len(body)))
                    self.waiting += 1
                return pos  # a collection is not a name (nor read ahead: `{value: {value: ...` stays linear)
            if value_key:
                item.pending.append((index, start, self.value_end(body, start)))
                self.waiting += 1
            else:
                self.name_item(index, body, item, pos)
        return pos

    def name_item(self, index: int, body: str, item: _Item, pos: int) -> None:
        """The string at `pos` names `item`'s var: if a secret's, mask the values read before it
        (and mark the item, so that those after it are masked as they come)."""
        start = _skip_blanks(body, pos)
        if not is_secret_var_name(_item_name(body, start, self.value_end(body, start))):
            return
        item.secret = True
        covered: dict[int, int] = {}  # line -> the end of the earliest value masked there
        pending = sorted(item.pending)
        for at, (line, first, last) in enumerate(pending):
            if covered.get(line, -1) >= last:
                continue  # inside a value already masked: `value: value: ... x` on one line
            self.mask_literal(line, self.bodies[line], first, last)
            if self.bodies[line].startswith("*", first):
                self.alias(index, _name_at(self.bodies[line], first + 1))
            covered[line] = last
            # its lines below, up to the next `value:` or this key (each line once: linear)
            below = pending[at + 1][0] if at + 1 < len(pending) else index
            self.mask_continued(line, first, below, item)
        self.waiting -= len(item.pending)
        item.pending.clear()

    def says_where_or_whether(self, index: int, column: int, pos: int) -> bool:
        """Whether the value after a secret's key (at `column` of line `index`, its colon ending
        at `pos`) is a switch or a file's absolute path, written whole on this line, which
        secrets.py shows (hunt 65 F3)."""
        body = self.bodies[index]
        start = _skip_blanks(body, pos)
        end = self.value_end(body, start)
        text = body[start:end]
        after = _skip_blanks(body, end)
        if after < len(body) and body[after] not in ("#,]}" if self.flow else "#"):
            return False  # text after it (`"off" hunter2`: hunt 69 F5)
        if text[:1] in ("'", '"'):
            if len(text) < 2 or text[-1] != text[0]:
                return False
            text = text[1:-1]
        if self.stray[index] or (after == len(body) if self.flow else self.goes_on(index, column)):
            return False  # the value may go on past a break, in a flow, or in the lines below (hunt 69 F3, F4, F6)
        return says_where_or_whether(text)

    def goes_on(self, index: int, column: int) -> bool:
        """Whether the next line that is not blank (of the next few) is indented more than
        `column`: a value at the end of line `index` may go on in it. True when those lines are
        not read (past the last line a frame shows): it may."""
        for body in self.bodies[index + 1 : index + 1 + CARRIED_LINES]:
            pos = _skip_blanks(body, 0)
            if pos < len(body):
                return _indent(body, pos) > column
        return True

    def mask_continued(self, line: int, start: int, stop: int, item: _Item) -> None:
        """Mask what an item's `value:` at `start` of `line`, written before the item's `key:`,
        has on the lines after it, up to line `stop` (hunt 66 F3): a quoted value open at its
        line's end, to its closing quote (in a flow item too, on the key's own line: hunt 67 F9);
        in a block item, the lines indented more than its keys, and a list at their indentation
        (`value:` then `- x`: hunt 67 F8). Each line is read for one `value:` at most."""
        quote = self.bodies[line][start : start + 1]
        if quote in ("'", '"') and closing_quote(self.bodies[line], start + 1, quote) < 0:
            for at in range(line + 1, min(stop + 1, len(self.bodies))):
                body = self.bodies[at]
                pos = _skip_blanks(body, 0)
                close = closing_quote(body, pos, quote)
                self.mask(at, pos, len(body) if close < 0 else close)
                if close >= 0:
                    return
            return
        if item.depth or item.fields < 0:
            return
        for at in range(line + 1, stop):
            body = self.bodies[at]
            pos = _skip_blanks(body, 0)
            indent = _indent(body, pos)
            if pos < len(body) and (indent > item.fields or (indent == item.fields and _starts_item(body, pos))):
                self.mask(at, pos, len(body))

    def anchor(self, index: int, body: str, name: str, pos: int) -> None:
        """Note where the value anchored as `name` is written, its anchor ending at `pos`: on this
        line, and on the lines under it when it goes on there. Only the one scalar after it (and a
        tag) is read, so each character is read twice at most; a collection is taken to its line's
        end, unread."""
        self.anchors.pop(name, None)  # an alias names the latest anchor of its name
        if not self.recording:
            return  # past the last line shown, no value is kept to mask
        n = len(body)
        start = _skip_blanks(body, pos)
        if body.startswith("!", start):  # `&pw !!str x`
            start = _skip_blanks(body, _name_end(body, start + 1))
        if start == n or body[start] in "#|>":
            anchored = _Anchor(index, start, start, literal=False, indent=self.owner)
            if not self.flow and body[start : start + 1] in ("", "#"):
                # a mapping below, maybe a var's template (`x-var: &v` then `key: DB_PASSWORD`,
                # `value: x`, merged with `- <<: *v`): its `value:` is judged as an item's (hunt 113 F2)
                self.items.append(_Item(self.owner))
        elif body[start] in "'\"":
            close = closing_quote(body, start + 1, body[start])
            if close < 0:  # a quoted value that goes on below
                anchored = _Anchor(index, start + 1, n, literal=True, indent=self.owner)
            else:
                anchored = _Anchor(index, start + 1, close, literal=True)
        elif body[start] in "[{":
            anchored = _Anchor(index, start, n, literal=False, indent=self.owner)
        elif body[start] in "&*-?,]}":
            return  # no value of its own here
        else:
            end = _plain_end(body, start, self.flow)
            colon = _skip_blanks(body, end)
            if colon < n and body[colon] == ":":
                return  # `&a NAME: x` anchors a key, which is no secret's value
            anchored = _Anchor(index, start, end, literal=True)
        self.anchors[name] = anchored
        if anchored.indent >= 0:
            self.open_anchors.append(anchored)

    def aliases_in(self, index: int, body: str, start: int, end: int) -> None:
        """Each alias in a secret's flow collection names a secret value: `DB_PASSWORD: [*pw]`,
        and the merge list `<<: [*a, *b]` under registryLogin or a secrets item (hunt 113 F2).
        Each character is looked at once."""
        at = body.find("*", start, end)
        while at >= 0:
            name_end = _name_end(body, at + 1)
            if body[at - 1] in " \t[{,:":
                self.alias(index, body[at + 1 : name_end])
            at = body.find("*", max(name_end, at + 1), end)

    def alias(self, index: int, name: str) -> None:
        """`*name` is a secret's value (line `index`): mask the value it names where it is written."""
        anchored = self.anchors.pop(name, None)
        if anchored is None:
            return
        if anchored.literal:
            self.mask_literal(anchored.line, self.bodies[anchored.line], anchored.start, anchored.end)
        else:
            self.mask(anchored.line, anchored.start, anchored.end)
        if anchored.indent >= 0:
            self.anchored_lines.append((anchored.line + 1, index if anchored.last < 0 else anchored.last))

    def mask_anchored_lines(self) -> None:
        """Mask the lines of the anchored values `alias` found secret: each line once, however
        many of them hold it."""
        starts: dict[int, int] = {}
        for first, last in self.anchored_lines:
            starts[first] = starts.get(first, 0) + 1
            starts[last + 1] = starts.get(last + 1, 0) - 1
        inside = 0
        for index in range(len(self.bodies)) if starts else ():
            inside += starts.get(index, 0)
            if inside > 0:
                body = self.bodies[index]
                self.mask(index, _skip_blanks(body, 0), len(body))

    def explicit_key(self, body: str, pos: int) -> str:
        """The key after a `?` at `pos` - 1 (`? DB_PASSWORD`, its value on a later line after a `:`),
        when it is a scalar; else "". The scalar is read again as the line goes on: each character
        is read twice at most, since no other indicator is looked past."""
        n = len(body)
        start = _skip_blanks(body, pos)
        while start < n and body[start] in "&!":  # `? !!str API_TOKEN`, `? &a API_TOKEN`: the key's tag, anchor
            start = _skip_blanks(body, _name_end(body, start + 1))
        if start == n or body[start] in "#-?[{&!*|>":
            return ""
        if body[start] in "'\"":
            close = closing_quote(body, start + 1, body[start])
            mapped = _escapes_read(body, start, n if close < 0 else close + 1)
            return mapped.value if mapped is not None else body[start + 1 : n if close < 0 else close]
        return body[start : _plain_end(body, start, self.flow)].strip()

    def vars_string(self, index: int, body: str, pos: int) -> None:
        """`vars: "{A: 1, DB_PASSWORD: x}"`: a string given for vars sets a var in each of its
        entries, as secrets.py reads it (`parts_in`'s entries: flow, JSON, `NAME=value`)."""
        n = len(body)
        start = _skip_blanks(body, pos)
        if start == n or body[start] in "[{|>#&!*":
            return  # no string: a collection, a block scalar (its lines are read as keys), an alias
        if body[start] in "'\"":
            close = closing_quote(body, start + 1, body[start])
            start, end = start + 1, n if close < 0 else close
        else:
            end = _plain_end(body, start, self.flow)
        for part in parts_in(body[start:end], entries=True):
            self.mask(index, start + part.start, start + part.end)

    def own_key(self, item: _Item, column: int) -> bool:
        """Whether a key at `column` is one of `item`'s own (not of a mapping inside it): in a
        flow mapping that is a list's item, at its own depth; in a block item, at the column of
        its first key."""
        if item.depth:
            return item.listed and self.flow == item.depth
        if self.flow:
            return False
        if item.fields < 0:
            item.fields = column
        return item.fields == column

    def secret_value(self, index: int, body: str, column: int, pos: int) -> int:
        """Mask the value of a secret key that starts at `pos`; where reading goes on."""
        n = len(body)
        start = _skip_blanks(body, pos)
        if start < n and body[start] == "#" and body[start + 1 : start + 2] not in ("", " ", "\t"):
            # `DB_PASSWORD: #Sup3r`: a secret that starts with `#` (YAML reads a comment)
            self.mask(index, start + 1, len(body.rstrip(" \t")))
            return n
        if start == n or body[start] == "#":
            self.contexts.append(_Context(column, "secret"))  # its value is on the lines under it
            # in a flow, at any indentation: `{DB_PASSWORD:` then `x, A: 1}` (hunt 65 F1)
            self.flow_plain = bool(self.flow)
            # `DB_PASSWORD:` U+2028 `x`: YAML's line break, which no editor shows, after a comment
            # too (hunt 65 F2, hunt 67 F10)
            self.run_on = self.stray[index]
            return start  # a comment is read as one
        char = body[start]
        if char == "*":
            self.alias(index, _name_at(body, start + 1))
        if char in "|>":
            self.contexts.append(_Context(column, "block"))
            comment = _header_end(body, start + 1)
            if not _BLOCK_HEADER.fullmatch(body, start + 1, comment):  # `DB_PASSWORD: >K9$x`: a secret
                self.mask(index, start + 1, len(body[:comment].rstrip(" \t")))
            return start  # its header is read as one (a comment may follow it)
        if char in "'\"":
            close = closing_quote(body, start + 1, char)
            if close < 0:
                self.quote = char
                self.mask(index, start + 1, n)
                return n
            self.mask_literal(index, body, start + 1, close)
            return self.run_on_after(index, body, close)
        end = self.value_end(body, start)
        if char in "[{":
            self.aliases_in(index, body, start, end)
        if char in "[{" and end == n:
            self.contexts.append(_Context(column, "secret"))  # a collection that may go on below
            self.mask(index, start, n)
            return n
        if not self.flow:
            # a plain value in block style goes on in the lines indented more than its key (also
            # after a comment, where YAML would fail: hunt 69 F6)
            self.contexts.append(_Context(column, "plain"))
        self.flow_plain = bool(self.flow) and _skip_blanks(body, end) == n
        self.run_on = end == n and self.stray[index]
        self.mask_literal(index, body, start, end)
        return end

    def run_on_after(self, index: int, body: str, close: int) -> int:
        """Where a secret's quoted value closed at `close` ends: `"pa"ss`, `"pa" ss"`: text run on
        from the closing quote is the rest of a password with a quote in it (the file's error), to
        the value's end as a plain value's would be; also when the quote closes on a later line
        (a forgotten closing quote, then the next secret's line: hunt 113 F5)."""
        n = len(body)
        after = close + 1
        rest = _skip_blanks(body, after)
        if rest < n and (body[after] not in " \t,]}" or body[rest] not in "#,]}"):
            end = self.value_end(body, rest)
            self.mask(index, rest, end)
            return end
        return after

    def value_end(self, body: str, start: int) -> int:
        """Where a value starting at `start` ends: its closing quote or bracket, the end of a flow
        item, or (in block style, where a broken line cannot be read better) the end of the line."""
        n = len(body)
        if start >= n:
            return n
        char = body[start]
        if char in "'\"":
            close = closing_quote(body, start + 1, char)
            return n if close < 0 else close + 1
        if char in "[{":
            depth = 0
            for i in range(start, n):
                if body[i] in "[{":
                    depth += 1
                elif body[i] in "]}":
                    depth -= 1
                    if depth == 0:
                        return i + 1
            return n
        if not self.flow:
            return _before_comment(body, start)
        for i in range(start, n):
            if body[i] in ",[]{}" or (body[i] == "#" and body[i - 1] in " \t"):
                return i
        return n

    def context(self) -> str:
        return self.contexts[-1].kind if self.contexts else ""

    def mask(self, index: int, start: int, end: int) -> None:
        if end > start:
            self.masks[index].append((start, end))

    def mask_literal(self, index: int, body: str, start: int, end: int) -> None:
        """Mask body[start:end] but its references (`${DB_PASSWORD}` says nothing secret)."""
        raw = body[start:end]
        for first, last in _trimmed(literal_ranges(raw), raw):
            self.mask(index, start + first, start + last)


# How many lines of a value that goes on over lines are read again with each next line: enough
# for a program named lines above its password option (`"sh -c '`, `redis-cli`, `-h db`, `-a x"`).
CARRIED_LINES = 3


# What may follow a block scalar's `|` or `>` on its line, but for blanks and a comment.
_BLOCK_HEADER = lazy(r"(?:[+-]?[1-9]?|[1-9][+-])[ \t]*")


def _header_end(body: str, pos: int) -> int:
    """Where the text of a block scalar's header line, from `pos` (after its `|` or `>`), ends: at
    its comment's `#` (one after a blank), else at the line's end."""
    while pos < len(body) and not (body[pos] == "#" and body[pos - 1] in " \t"):
        pos += 1
    return pos


def _carried_secrets(
    lines: tuple[str, ...], quote: str, line: str, closed: bool, assigns: bool
) -> list[tuple[int, int]]:
    """Where in `line` the secrets of a quoted value are, read with its `lines` before it as YAML
    reads them: in single quotes each break a space; in double quotes escapes decoded too, an
    escaped break joining with nothing (`--requirepass \\` then `x`, `\\"Bearer \\` then `x\\"`:
    read as written, the `\\` was the password: hunt 118 F4). `assigns`: the value is a vars
    item's (`- 'DB_PASSWORD=` then its value on the next line)."""
    if quote != '"':
        before = " ".join(lines) + " "
        return [
            (max(part.start, len(before)) - len(before), part.end - len(before))
            for part in parts_in(before + line, assignment=assigns)
            if part.end > len(before)
        ]
    joined = '"' + "\n".join(lines) + "\n" + line + ('"' if closed else "")
    offset = len(joined) - len(line) - closed
    mapped = read_leniently(joined, 0, len(joined))
    found = []
    for part in parts_in(mapped.value, assignment=assigns):
        if part.end > part.start and (last := mapped.hi[part.end - 1]) > offset:
            found.append((max(mapped.lo[part.start], offset) - offset, last - offset))
    return found


def _carried(lines: tuple[str, ...], line: str) -> tuple[str, ...]:
    """The last CARRIED_LINES lines of a value, `line` the newest."""
    return (*lines[1 - CARRIED_LINES :], line) if len(lines) >= CARRIED_LINES else (*lines, line)


# The key a line starts with and a value that starts with a token (`  - SUPABASE_ANON_KEY: eyJ...`),
# to know a published token's name; not `PUBLIC_CONFIG: {sub: eyJ...}`, whose token is `sub`'s
_LEADING_KEY = lazy(r"[ \t]*(?:-[ \t]+)?[\"']?([A-Za-z0-9_.-]{1,128})[\"']?[ \t]*:[ \t]*[\"']?eyJ")


def _published_key(body: str) -> bool:
    """Whether the line starts with a key whose name says its value is published
    (secrets.is_published_name), and its value with a token: shown, as in a parsed file."""
    key = _LEADING_KEY.match(body)
    return key is not None and is_published_name(key.group(1))


def _inside(context: _Context, indent: int, dash: bool) -> bool:
    """Whether a line indented by `indent` (starting with `- ` or not) is under the context's key.
    A vars item one column left of its `vars:` is taken as under it: mistyped so, it is one
    reason the file does not parse, and its value was shown (hunt 113 F8)."""
    if dash and context.kind == "vars" and indent == context.indent - 1:
        return True
    return indent > context.indent or (indent == context.indent and dash and context.kind not in ("block", "plain"))


def _indent(body: str, pos: int) -> int:
    """The column of a line's first text at `pos`: a tab in the indentation (YAML's error, the
    line a frame shows) counts as an editor shows it, so the line stays under the value above it
    (hunt 66 F1)."""
    return len(body[:pos].expandtabs(8)) if "\t" in body[:pos] else pos


def _starts_item(body: str, pos: int) -> bool:
    """Whether a block list item (`- `) starts at `pos`."""
    return body.startswith("-", pos) and (pos + 1 == len(body) or body[pos + 1] in " \t")


def _is_item(body: str, start: int, flow: int) -> bool:
    """Whether the scalar at `start` is a list item: after `- `, `[` or `,`, or first on a line
    inside a flow collection."""
    before = start - 1
    while before >= 0 and body[before] in " \t":
        before -= 1
    return body[before] in "-[," if before >= 0 else flow > 0


def _name_end(body: str, pos: int) -> int:
    """Where an anchor's, an alias's or a tag's name that starts at `pos` ends."""
    n = len(body)
    while pos < n and body[pos] not in " \t,[]{}":
        pos += 1
    return pos


def _name_at(body: str, pos: int) -> str:
    return body[pos : _name_end(body, pos)]


def _is_key_at(body: str, alias: int) -> bool:
    """Whether the alias at `alias` is a key (`*kk : 1`), its `: ` after it."""
    return _indicator(body, _skip_blanks(body, _name_end(body, alias + 1)), ":")


def _indicator(body: str, pos: int, char: str) -> bool:
    """Whether body[pos] is the indicator `char` (`- `, `? `, `: `): followed by a blank or the line's end."""
    return body.startswith(char, pos) and (pos + 1 == len(body) or body[pos + 1] in " \t")


def _item_name(body: str, start: int, end: int) -> str:
    """The var an item's `key:` or `name:` names, its value at body[start:end]: unquoted, less a
    comment (`- key: DB_PASSWORD # the db one`). Only a name's first characters are read, so a
    line of `key: key: key: ...` stays linear."""
    text = body[start : min(end, start + MAX_NAME + 3)]
    for comment in (" #", "\t#"):
        if (cut := text.find(comment)) >= 0:
            text = text[:cut]
    text = text.strip()
    mapped = _escapes_read(text, 0, len(text))  # `- key: "DB_\u0050ASSWORD"`
    return (mapped.value if mapped is not None else text.strip("\"'"))[: MAX_NAME + 1]


def _escapes_read(body: str, start: int, end: int) -> ValueMap | None:
    """The double-quoted scalar written at body[start:end] (its closing quote included, if it has
    one on the line), with its escapes read as YAML reads them, one YAML refuses kept as written
    and a quote left open read to `end` (value_map.read_leniently; hunt 113 F1: such a name was
    judged as written, `DB_\\u0050ASSWORD=x\\q`). None for another scalar, or one without an escape."""
    if not body.startswith('"', start) or "\\" not in body[start:end]:
        return None
    return read_leniently(body, start, end)


def _opens_collection(body: str, pos: int) -> bool:
    """Whether the value after a key's colon at `pos` is a flow collection, an alias (it names a
    value written elsewhere), or nothing on this line (its mapping or list is on the lines under
    it); anchors and tags before it are skipped."""
    pos = _past_properties(body, pos)
    return pos == len(body) or body[pos] in "#[{*"


def _past_properties(body: str, pos: int) -> int:
    """Where the node at `pos` starts, past blanks and its anchor and tag (`&s !!seq *all`)."""
    n = len(body)
    pos = _skip_blanks(body, pos)
    while pos < n and body[pos] in "&!":
        if body.startswith("!<", pos) and (close := body.find(">", pos)) > 0:
            pos = close  # a verbatim tag, blanks in it too (`!<a b> *login`: hunt 130 F4)
        while pos < n and body[pos] not in " \t":
            pos += 1
        pos = _skip_blanks(body, pos)
    return pos


def _before_comment(body: str, start: int) -> int:
    """Where a plain value in block style that starts at `start` ends: before a comment set off
    by blanks on both sides (`x # note`: hunt 66 F4), else at the line's end. A `#` against the
    text after it (`correct #horse9`) is read as part of the value, as secrets.py reads it after
    a secret (hunt 41 F2, hunt 69 F1)."""
    at = start
    while (at := body.find("#", at + 1)) > 0:
        if body[at - 1] in " \t" and body[at + 1 : at + 2] in ("", " ", "\t"):
            return len(body[:at].rstrip(" \t"))
    return len(body)


def _skip_blanks(body: str, pos: int) -> int:
    n = len(body)
    while pos < n and body[pos] in " \t":
        pos += 1
    return pos


def _plain_end(body: str, start: int, flow: int) -> int:
    """Where a plain scalar that starts at `start` ends: before a `: ` (a key), a flow indicator
    in a flow collection, or a ` #` comment. `DB_PASSWORD:x` counts as a key too when what comes
    before the colon is a secret name (checked only for a name's length, so the scan stays linear)."""
    n = len(body)
    i = start
    while i < n:
        char = body[i]
        if char == ":":
            if i + 1 == n or body[i + 1] in " \t" or flow:
                return i
            if i - start <= MAX_NAME and _NAME.fullmatch(body, start, i) and _is_secret_key(body[start:i]):
                return i
        elif flow and char in ",[]{}":
            return i
        elif char == "#" and i > start and body[i - 1] in " \t":
            return i
        i += 1
    return n
