"""Text from a repository (file names, values, messages) made safe to print, in every format.

A pull request chooses its own file names and values. Printed as they are, they could drive the
terminal (ESC and C1 sequences: cursor moves, window titles, hyperlinks), start a line that a CI
runner obeys as a command (a newline then `::error ...`; `##[error]` anywhere in a line), show
text in another order than it is stored (bidi overrides), or fail to encode at all (a file name
that is not UTF-8 reaches Python as lone surrogates). Every reporter and every message on
standard error goes through one of the functions below.
"""

from __future__ import annotations

import re
from typing import Any

from nexlayer_lint.lazy_regex import lazy

# Control characters (C0, DEL, C1), the line and paragraph separators, the bidi marks,
# embeddings, overrides and isolates, the invisible characters that make a key look like another
# (`\u200bvars`: the soft hyphen, the zero-width space, the word joiner and its kin, U+FEFF; not
# the joiners emoji and scripts need, U+200C and U+200D: hunts 171 F3, 174 F2; `--diff` keeps a
# file's byte order mark itself), lone surrogates, the two non-characters XML forbids, the tag
# characters and the Hangul fillers, blank letters (`vars\U000e0020`, `\u3164`: hunt 188 F7).
_NOT_C0 = "\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
_NOT_C0 += "\ud800-\udfff\ufeff\ufffe\uffff\U000e0000-\U000e007f"
# the other format characters (U+206A-206F, the interlinear annotations, the musical and
# shorthand format controls: hunt 250 F1)
_NOT_C0 += "\u206a-\u206f\ufff9-\ufffb\U0001d173-\U0001d17a\U0001bca0-\U0001bca3"
# the only ones str.isprintable accepts: Hangul fillers (letters), the combining grapheme joiner
# and the braille blank and Khmer's inherent vowels, invisible too (hunt 280 F1)
_FILLERS = "\u115f\u1160\u3164\uffa0\u034f\u2800\u17b4\u17b5"
_NOT_C0 += _FILLERS
# A variation selector after ASCII (or first), where it selects nothing and makes a key print as
# another (`image` then U+FE0F: hunt 280 F1); after other text it may select an emoji's or an
# ideograph's form (`⚠️`), and after a digit, `#` or `*` a keycap's (`1️⃣`: hunt 282 F4), so it
# stays there. Asked apart too: str.isprintable accepts it.
_INVISIBLE = "(?<![^\x00-\x7f])(?<![0-9#*])[\ufe00-\ufe0f\u180b-\u180f\U000e0100-\U000e01ef]"
_INVISIBLE_PRINTABLE = lazy(_INVISIBLE)
_UNSAFE = lazy(f"[\x00-\x1f{_NOT_C0}]|{_INVISIBLE}")
_UNSAFE_BUT_TAB = lazy(f"[\x00-\x08\x0a-\x1f{_NOT_C0}]|{_INVISIBLE}")
# `##[command]` (GitHub Actions' older syntax) and `##vso[command]` (Azure Pipelines) are obeyed
# wherever they stand in a line: their `[` is escaped. Searched for only where `##` occurs.
_RUNNER_COMMAND = lazy(r"##(?:[vV][sS][oO])?\[")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str, keep_tabs: bool = False) -> str:
    """`text` with every unsafe character written as an escape: `\\n`, `\\x1b`, `\\u202e`.

    A byte of a file name that is not UTF-8 (the surrogate `\\udcff`) shows as that byte, `\\xff`.
    Tabs stay with `keep_tabs` (a code frame lines its carets up under them). Each character's
    escape depends only on the characters before it, so `printable(s[:k])` is always a prefix
    of `printable(s)`: a code frame measures its carets with that.
    """
    if not text.isprintable() or any(filler in text for filler in _FILLERS) or _INVISIBLE_PRINTABLE.search(text):
        text = (_UNSAFE_BUT_TAB if keep_tabs else _UNSAFE).sub(_escape, text)
    # no escape above makes a `#` or a `[`, so this finds what the text itself holds
    return _RUNNER_COMMAND.sub(_escape_runner_command, text) if "##" in text else text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # how Python decodes a byte that is not UTF-8 in a file name
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _escape_runner_command(match: re.Match[str]) -> str:
    return match.group()[:-1] + "\\x5b"


def at_line_start(path: str) -> str:
    """`path` where it begins an output line: GitHub Actions obeys a line that starts with `::`
    (after white space) as a workflow command, so such a relative path gets a harmless `./`."""
    return "./" + path if path.lstrip().startswith("::") else path


# In JSON text, the characters above can only stand inside strings. The serializer has already
# escaped C0; the rest get JSON escapes too, which decode to the same string, except for lone
# surrogates: a strict JSON reader rejects `\udcff`, so those become the text `\xff`.
_JSON_UNSAFE = lazy(f"[{_NOT_C0}]")


def json_text(document: Any) -> str:
    """`document` as indented JSON (non-ASCII text kept readable) that is safe to print."""
    import json

    text = _JSON_UNSAFE.sub(_json_escape, json.dumps(document, indent=2, ensure_ascii=False))
    if "##" in text:
        text = _RUNNER_COMMAND.sub(lambda match: match.group()[:-1] + "\\u005b", text)
    return text + "\n"


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        return _escape(match).replace("\\", "\\\\")
    code = ord(char)
    if code > 0xFFFF:  # a tag character: JSON escapes it as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
