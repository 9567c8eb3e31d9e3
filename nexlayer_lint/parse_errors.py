"""The parser's errors, said the way a person would: a ruamel.yaml exception -> its NX001 Problem.

libyaml and ruamel's pure-Python parser word the same error differently ("did not find expected
key" / "expected <block end>, but found '-'"); `_KINDS` recognises each kind by words either one
uses, and says what is wrong and what to do, looking at the character where the parser stopped.
A message or hint quotes the file's text only where the code frame would show it unmasked: what
unparsed.py stars as secret is described, never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import Problem, Span, span_at, syntax_problem
from nexlayer_lint.scalars import closing_quote

TAB_HINT = "YAML indentation must use spaces, not tabs"
BACKSLASH_HINT = (
    'in double quotes a backslash starts an escape: write "\\\\" for a backslash, or use single '
    "quotes, where a backslash is plain text"
)
TAG_HINT = 'Nexlayer files need no tags: remove it, or quote the value if "!" is meant as text'
SECRET_QUOTE_HINT = "quote the value (not shown here: it is a secret)"
GENERIC_HINT = (
    "look at this line and the one above it: an unquoted value that has : # @ ` | > { } [ ] , & * ! % "
    "or a quote in it often needs quotes around it"
)


def problem_for(exc: Exception, text: str) -> Problem:
    """The NX001 for an exception of builder.PARSE_ERRORS, at its mark when it has one."""
    if isinstance(exc, MarkedYAMLError):
        return _from_marked(exc, text)
    if isinstance(exc, ReaderError):
        return _unreadable(exc, text)
    return syntax_problem(f"not parseable as YAML ({type(exc).__name__})", Span(1, 1, 1, 1), GENERIC_HINT)


# A `#` after a blank starts a comment (a `#` inside a word does not).
_COMMENT_START = lazy(r"(?<=\s)#")


class _Stop(NamedTuple):
    """Where the parser stopped, and what it said: what a kind's wording reads."""

    said: str  # the parser's problem and context, in lower case
    line: int  # 1-based
    col: int  # 1-based
    text: str  # the whole line
    lines: list[str]
    source: str  # the whole file

    def is_secret(self, start: int, end: int) -> bool:
        """Whether text[start:end] holds a character of a secret value: never to be quoted."""
        from nexlayer_lint.unparsed import secret_ranges  # only for a message that would quote the text

        return any(first < end and start < last for first, last in secret_ranges(self.source, self.line))

    @property
    def char(self) -> str:
        return self.text[self.col - 1] if 0 < self.col <= len(self.text) else "\n"

    def value(self) -> str:
        """The value from here to the end of the line, without a trailing comment."""
        rest = self.text[self.col - 1 :]
        comment = _COMMENT_START.search(rest)  # `\s+#` would rescan each run of blanks: quadratic
        rest = (rest[: comment.start()] if comment else rest).strip()
        return rest[:60]

    def quoted_value(self) -> str | None:
        """`KEY: "@value"`: this line's key (if any) and its value, quoted; None when it is secret."""
        if self.is_secret(self.col - 1, len(self.text)):
            return None
        head = self.text[: self.col - 1].strip()
        if head.endswith((":", "-")):
            return f"{head} {_quote(self.value())}"
        key, colon, value = self.value().partition(": ")
        return f"{_quote(key)}: {value}" if colon else _quote(key)  # the key itself is what needs quotes

    def flow_token(self) -> str | None:
        """The unquoted value around here inside [ ] or { }: `python:3.12-slim`; None when it is secret."""
        start = max(self.text.rfind(c, 0, self.col - 1) for c in " ,[") + 1
        ends = [i for i in (self.text.find(c, self.col) for c in ",] ") if i >= 0]
        token = self.text[start : min(ends, default=len(self.text))]
        while token.endswith("}") and token.count("}") > token.count("{"):
            token = token[:-1]  # the mapping's own closing brace
        return None if self.is_secret(start, start + len(token)) else token


Wording = Callable[[_Stop], tuple[str, str | None]]


def _cannot_start(stop: _Stop) -> tuple[str, str | None]:
    char = stop.char
    if char == "\t":
        return "a tab character where YAML expects indentation or a value", TAB_HINT
    if char == "\ufeff":
        return _byte_order_mark(stop)
    if char in "|>":
        return (
            f'"{char}" (a block of text) cannot be used inside [ ] or {{ }}',
            'quote the value, or write the list as "- " lines below its key',
        )
    if char in "@`":
        return f'a plain value cannot start with "{char}", which YAML reserves', _quote_hint(stop)
    if char == "%":
        return 'a plain value cannot start with "%", which starts a YAML directive', _quote_hint(stop)
    return f'"{char}" cannot start a value here', _quote_hint(stop)


def _quote_hint(stop: _Stop) -> str:
    quoted = stop.quoted_value()
    return f"quote the value: {quoted}" if quoted is not None else SECRET_QUOTE_HINT


def _colon_in_flow(stop: _Stop) -> tuple[str, str | None]:
    token = stop.flow_token()
    return (
        '":" inside an unquoted value in [ ] or { } is not allowed',
        f"quote the value: {_quote(token)}" if token else "quote the values inside the brackets",
    )


def _mapping_value(stop: _Stop) -> tuple[str, str | None]:
    before = stop.text[: stop.col - 1]
    if stop.col > 1024 and _long_key(before):  # hunt 86 F2
        return (
            "a key is at most 1,024 characters long in YAML, quoted or not",
            "shorten it, or write it as an explicit key: `? ` and the key on one line, `: ` and the value on the next",
        )
    above = next((n for n in range(stop.line - 1, 0, -1) if stop.lines[n - 1].strip()), 0)
    if ":" not in before and above and ":" not in stop.lines[above - 1] and not before.lstrip().startswith("-"):
        return (
            f'line {above} has no ":", so YAML reads it and this line as one key',
            f'give line {above} a ":" (key: value), or remove it',
        )
    return (
        '": " inside an unquoted value starts a second key on the line',
        'quote the value that contains ": ", e.g. command: "echo a: b"',
    )


def _long_key(before: str) -> bool:
    """Whether the key the line starts with runs on past 1,024 characters, to `before`'s end (where
    the parser stopped): a plain key, no `: ` in it; a quoted one, no quote and colon ending it in
    time (a `: ` inside its quotes starts nothing: hunt 88 F7)."""
    rest = before.lstrip(" ").removeprefix("- ").lstrip(" ")
    if rest[:1] in ("'", '"'):
        close = closing_quote(rest, 1, rest[0])
        return close < 0 or close >= 1024  # `"command" : x...` is a short key (hunt 91 F2)
    return ": " not in before


def _key_expected(stop: _Stop) -> tuple[str, str | None]:
    char = stop.char
    if char == "\ufeff":
        return _byte_order_mark(stop)
    if char == "-":
        return (
            'a list item ("- ") where a "key: value" line was expected',
            "the lines above are a mapping: indent the item under the key it belongs to",
        )
    if char == "?" or "'?'" in stop.said or "'-' indicator" in stop.said:
        return (
            'a "key: value" line where a list item ("- ") was expected',
            'the lines above are a list: start this line with "- ", or indent it less to end the list',
        )
    before = stop.text[: stop.col - 1].rstrip()
    if before.endswith(('"', "'")):
        return "text after the closing quote of a quoted value", "put the whole value inside the quotes"
    if before.endswith(("]", "}")) and stop.col - 1 > len(stop.text) - len(stop.text.lstrip()):
        # `servicePorts: [80]]`, `[80] x`: not the line's indentation (hunt 151 F4)
        return (
            f'text after the "{before[-1]}" that closes a list or mapping written in brackets',
            "remove it, or put it inside the brackets",
        )
    return (
        "this line's indentation does not match the lines above",
        "indent it with exactly as many spaces as the keys it belongs with",
    )


def _no_value(stop: _Stop) -> tuple[str, str | None]:
    if stop.line > len(stop.lines):
        return "the file ends where a value was expected", 'close every "[" and "{" that is still open'
    char = stop.char
    if char in "]}":
        return f'"{char}" closes nothing here', "remove it, or quote the value it belongs to"
    if char == ",":
        return '"," outside [ ] or { }, where it separates nothing', "remove it, or quote the value it belongs to"
    if char == "-" and "flow" in stop.said:
        return (
            'a "- " list item inside [ ] or { }',
            'inside brackets items are separated by commas; or remove the "[" and write the "- " lines alone',
        )
    if char == "-":
        return (
            'a list item ("- ") cannot start on the line of its key',
            'put each "- " item on its own line below the key, indented',
        )
    return "a value is missing here", GENERIC_HINT


def _undefined_alias(stop: _Stop) -> tuple[str, str | None]:
    match = re.match(r"\*([^\s,\[\]{}]+)", stop.text[stop.col - 1 :])
    name = match.group(1) if match else ""
    if stop.is_secret(stop.col - 1, stop.col + len(name)):
        return (
            'a secret value starting with "*" is read as an alias, which refers to no anchor',
            'quote the value, as "*" is meant as text',
        )
    return (
        f'alias "*{name}" refers to no anchor "&{name}" above it',
        f'define &{name} on a value above, or quote the value if "*" is meant as text',
    )


# A \u or \U escape (fixed lengths: one way to match), and the low half of a surrogate pair.
_UNICODE_ESCAPE = lazy(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_LOW_SURROGATE_ESCAPE = lazy(r"\\u([dD][c-fC-F][0-9A-Fa-f]{2})")


def _unicode_escape(stop: _Stop) -> tuple[str, str | None]:
    """An escape YAML refuses: half of a UTF-16 surrogate pair, as JSON writes a character past
    U+FFFF (`"\\ud83d\\ude00"`, what json.dumps writes for an emoji: hunt 78 F1), or past U+10FFFF.
    libyaml (and so the platform's parsers) refuses them too: the file must change."""
    hint = 'write the character itself, or as one escape of 8 hexadecimal digits, such as "\\U0001F600"'
    # the parser points at the escape's backslash, or a character or two after it
    found = next(filter(None, (_UNICODE_ESCAPE.match(stop.text, max(stop.col - k, 0)) for k in (1, 2, 3))), None)
    if found is None or stop.is_secret(found.start(), found.end()):
        return "an escape in a double-quoted value names no Unicode character", hint
    escape, value = found.group(1), int(found.group(1)[1:], 16)
    if not 0xD800 <= value <= 0xDFFF:
        return f'the escape "\\{escape}" is past U+10FFFF, the last Unicode character', hint
    low = _LOW_SURROGATE_ESCAPE.match(stop.text, found.end()) if value <= 0xDBFF else None
    if low is None or stop.is_secret(low.start(), low.end()):
        return f'the escape "\\{escape}" is half of a UTF-16 surrogate pair, which YAML refuses', hint
    char = 0x10000 + ((value - 0xD800) << 10) + (int(low.group(1), 16) - 0xDC00)
    return (
        f'"\\{escape}\\u{low.group(1)}" is a UTF-16 surrogate pair, as JSON writes U+{char:X}; YAML reads each '
        "half alone, and refuses it",
        f'write the character itself, or as one escape: "\\U{char:08X}"',
    )


def _escape(stop: _Stop) -> tuple[str, str | None]:
    at = stop.col - 1
    if stop.text[at : at + 1] == "\\":
        at += 1  # libyaml points at the backslash, the pure parser at the letter after it
    if stop.is_secret(at, at + 1):
        return "an unknown escape in a double-quoted secret value", BACKSLASH_HINT
    return f'unknown escape "\\{stop.text[at : at + 1]}" in a double-quoted value', BACKSLASH_HINT


def _document_start(stop: _Stop) -> tuple[str, str | None]:
    if any(line.startswith("%") for line in stop.lines[: stop.line]):
        return (
            'a line starting with "%" is a YAML directive, which Nexlayer files do not need',
            'remove it (and any "---" after it); quote a value that starts with "%"',
        )
    if any(line.startswith("...") for line in stop.lines[: stop.line]):
        return ('text after the document end marker "..."', 'remove the text, or the "..." line')
    return ('text outside the document, after a "---" or "..." line', 'remove the "---" or "..." line, or this text')


def _byte_order_mark(stop: _Stop) -> tuple[str, str | None]:
    return (
        "an invisible byte-order mark (U+FEFF) in the middle of the file",
        "delete it (it is often pasted in with text copied from elsewhere)",
    )


def _tab(stop: _Stop) -> tuple[str, str]:
    if "block scalar" in stop.said:
        # on any line of the text, left of its indentation: libyaml refuses it there, as Go's yaml.v3
        # does, where YAML (and PyYAML) read text; the indicator makes it text for all (hunt 139 F1)
        return (
            "a tab character in the indentation of a `|` or `>` text",
            "indent the text with spaces; to start its first line with a tab, write the indentation after "
            "the `|` or `>` (`|2`: two spaces more than the key) and put the tab after those spaces",
        )
    return "a tab character in the indentation", TAB_HINT


# (words the parser says, in lower case, any of them) -> its wording, tried in order.
_KINDS: tuple[tuple[tuple[str, ...], Wording], ...] = (
    (("cannot start any token",), _cannot_start),
    (("found unexpected ':'",), _colon_in_flow),
    (("mapping values are not allowed",), _mapping_value),
    (
        ("sequence entries are not allowed",),
        lambda stop: (
            'a list item ("- ") cannot start on the line of its key',
            'put each "- " item on its own line below the key, indented',
        ),
    ),
    (
        ("could not find expected ':'",),
        lambda stop: (
            'expected "key: value", but this key has no ":"',
            'add the ":"; a line that continues a "|" or ">" text must be indented more than its key',
        ),
    ),
    (("tab character",), _tab),
    (
        ("hexdecimal", "hexadecimal"),
        lambda stop: (
            "the escape \\x, \\u or \\U in a double-quoted value needs 2, 4 or 8 hexadecimal digits",
            BACKSLASH_HINT,
        ),
    ),
    (("unknown escape",), _escape),
    (("invalid unicode character escape",), _unicode_escape),
    (
        ("anchor", "alias"),
        lambda stop: (
            '"&" or "*" starts an anchor or an alias, and needs a name after it',
            'quote the value if "&" or "*" is meant as text',
        ),
    ),
    (("tag handle", "a tag"), lambda stop: ('a YAML tag ("!...") that is unknown or not closed', TAG_HINT)),
    (
        ("block scalar", "indentation indicator"),
        lambda stop: (
            'after "|" or ">" only "+" or "-", an indentation digit from 1 to 9 and a comment may follow on the line',
            "put the text on the lines below, indented",
        ),
    ),
    (
        ("document indicator", "document separator"),
        lambda stop: (
            'a line starting with "---" or "..." inside a quoted value ends the document',
            "indent that line, or write the value on one line",
        ),
    ),
    (
        ("directive", "incompatible yaml document"),
        lambda stop: (
            'a line starting with "%" is a YAML directive, which Nexlayer files do not need',
            'remove it (and any "---" after it); quote a value that starts with "%"',
        ),
    ),
    (("document start", "non-comment content after document end"), _document_start),
    (("node content",), _no_value),
    (("expected key", "expected <block end>", "'-' indicator"), _key_expected),
)


def _from_marked(exc: MarkedYAMLError, text: str) -> Problem:
    """A parser error at the line where it can be fixed, with a hint for the common ones."""
    problem = str(exc.problem or "").strip()
    context = str(exc.context or "").strip()
    mark, message, hint = exc.problem_mark or exc.context_mark, problem or context, None
    opened = exc.context_mark
    lines = text.splitlines() or [""]
    if context.startswith("found duplicate anchor") and opened is not None:
        at = exc.problem_mark
        where = lines[at.line][at.column :] if at is not None and at.line < len(lines) else ""
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
    elif "found undefined alias" in (problem + context):
        stop = _stop(mark, problem, context, lines, text)
        message, hint = _undefined_alias(stop)
    else:
        if "could not find expected ':'" in problem and opened is not None:
            mark = opened  # where the key started, not where the parser gave up looking for its ":"
        stop = _stop(mark, problem, context, lines, text)
        said = stop.said
        wording = next((word for words, word in _KINDS if any(w in said for w in words)), None)
        if wording is not None:
            message, hint = wording(stop)
        else:
            message = f"{problem} ({context})" if problem and context and "while" in context else message
            hint = GENERIC_HINT
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if line > len(lines):  # the end of the stream: point at the end of the last line instead
        line, col = len(lines), len(lines[-1]) + 1
    indent = lines[max(line - 1, 0)]
    if "\t" in indent[: len(indent) - len(indent.lstrip())] and "block scalar" not in context:
        hint = TAB_HINT
    return syntax_problem(message, Span(line, col, line, col + 1), hint)


def _stop(mark: object, problem: str, context: str, lines: list[str], source: str) -> _Stop:
    line = getattr(mark, "line", 0) + 1
    col = getattr(mark, "column", 0) + 1
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return _Stop(f"{problem} {context}".lower(), line, col, text, lines, source)


def _quote(value: str) -> str:
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def _unreadable(exc: ReaderError, text: str) -> Problem:
    """A character YAML forbids (a control character): say which, and where it is."""
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    # libyaml gives a byte offset into the UTF-8 text, not a character's index; no such character
    # is allowed anywhere, so the reader stopped at its first one
    position = max(text.find(chr(char)), 0)
    return syntax_problem(
        f"the file contains the control character U+{char:04X}, which YAML does not allow",
        span_at(text, position),
        f'remove it, or write it as the escape "\\u{char:04X}" inside double quotes',
    )
