"""A plain (unquoted) scalar's value under YAML 1.2: null, a bool, an int, a float, or its text.

The rules are ruamel.yaml's own table of YAML 1.2 implicit resolvers, looked up by the text's
first character as ruamel does, less the numbers its table adds to YAML 1.2's core schema: `_`
between digits (`8_0`, `1_000.5`) and binary (`0b1010`) are text, as YAML 1.2 (js-yaml, eemeli's
yaml) reads them; YAML 1.1 reads numbers there (NX005 says so). JSON has no dates, so a
timestamp stays text, as does anything with a tag other than null, bool, int or float. A quoted
or block scalar is text, unless one of those tags is written before it (`!!int "4"`), as YAML
loaders read it. A core tag the text does not fit (`!!int four`, `!!bool maybe`, `!!timestamp
2024-02-30`, `!!map x`) raises NotOfItsTag: YAML loaders refuse the file.
"""

from __future__ import annotations

import binascii
import sys
from collections.abc import Callable
from typing import Any

from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.util import create_timestamp, timestamp_regexp

from nexlayer_lint.lazy_regex import lazy

TAG = "tag:yaml.org,2002:"
NULL, BOOL, INT, FLOAT, MERGE, TIMESTAMP, BINARY = (
    TAG + name for name in ("null", "bool", "int", "float", "merge", "timestamp", "binary")
)
# What each core tag wants, as messages say it: a scalar that does not fit a scalar's tag is
# refused (NotOfItsTag), and so is any node under a tag of the other kind (`!!map x`, `!!int [1]`,
# `!!seq {a: 1}`). `!!omap` and `!!pairs` are lists of one-key mappings: a list under them is
# refused when an item is not one (one_key_items).
_WANTS = {
    NULL: "null",
    BOOL: "a boolean (true or false)",
    INT: "an integer",
    FLOAT: "a number",
    TAG + "str": "text",
    TIMESTAMP: "a date or a time",
    BINARY: "base64 data",
    TAG + "map": "a mapping",
    TAG + "set": "a mapping",
    TAG + "seq": "a list",
    TAG + "omap": "a list of one-key mappings",
    TAG + "pairs": "a list of one-key mappings",
}
_LISTS = ("a list", "a list of one-key mappings")
_COLLECTIONS = ("a mapping", *_LISTS)
# What ruamel.yaml's constructor reads as a boolean under `!!bool`, in any case (`!!bool yes`).
_BOOLEANS = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False, "on": True, "off": False}


class NotOfItsTag(ValueError):
    """A scalar whose core tag its text does not fit: `str(exc)` is what the tag wants."""


# YAML 1.2's core schema takes an unsigned exponent after a leading dot (`.5e1`, the number 5, as
# in Go's yaml.v3), which ruamel.yaml's table leaves out (hunt 87 F5).
_DOT_FLOAT = lazy(r"[-+]?\.[0-9]+[eE][0-9]+")


def _rules_by_first_character() -> dict[str, tuple[tuple[str, Callable[[str], Any]], ...]]:
    by_first: dict[str, list[tuple[str, Callable[[str], Any]]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            match = regexp.match
            if tag == FLOAT:
                match = _or_dot_float(match)
            for char in first:
                by_first.setdefault(char, []).append((tag, match))
    return {char: tuple(rules) for char, rules in by_first.items()}


def _or_dot_float(match: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda text: match(text) or _DOT_FLOAT.fullmatch(text)


_RULES = _rules_by_first_character()
assert all(first for versions, _, _, first in implicit_resolvers if (1, 2) in versions), (
    "every YAML 1.2 rule names its first characters, so text starting otherwise is plain text"
)

_MAX_DIGITS = sys.get_int_max_str_digits() or 4300


class HugeInt(int):
    """Stands for a decimal integer longer than Python converts (sys.get_int_max_str_digits(),
    4,300 digits by default): the conversion is quadratic in the digits, so the loader never
    makes it. It is 10**4300 with the number's sign. Every decimal number a JSON schema can hold
    is smaller in magnitude (JSON parsing has the same limit; floats end near 1.8e308), so every
    minimum, maximum and type check judges it as it would judge the number it stands for. It
    prints as what it stands for: printing the real digits would raise.
    """

    def __repr__(self) -> str:
        return f"-10^{_MAX_DIGITS} or less" if self < 0 else f"10^{_MAX_DIGITS} or more"


def plain_value(text: str, tag: str | None = None) -> Any:
    """A plain scalar's value; `tag` is its explicit tag, if it has one (`!!int 12`)."""
    explicit = tag is not None
    if tag is None:
        rules = _RULES.get(text[:1])
        if rules is None:  # most text: no rule looks at its first character
            return text
        if text.isdigit() and text.isascii() and len(text) <= _MAX_DIGITS:
            return int(text)  # the commonest number, a port or a count: the int rule's simplest case
        for rule_tag, match in rules:
            if match(text):
                tag = rule_tag
                break
        else:
            return text
        if tag in (INT, FLOAT) and ("_" in text or text.lstrip("+-").startswith("0b")):
            return text  # no number in YAML 1.2's core schema; an explicit `!!int 8_0` is still 80
    elif tag == "!":  # the non-specific tag: plain text
        return text
    if tag == NULL:
        return None
    value: Any  # None: the text does not fit the tag
    if tag == BOOL:
        value = _BOOLEANS.get(text.lower())
    elif tag == INT:
        value = _int(text)
    elif tag == FLOAT:
        value = _float(text)
    elif tag == TIMESTAMP:
        value = text if is_timestamp(text) else None
    elif tag == BINARY:
        value = text if _is_base64(text) else None
    else:  # str, merge, custom tags; a collection's, which no scalar fits
        value = None if _WANTS.get(tag) in _COLLECTIONS else text
    if value is None:
        if not explicit:
            return text  # a text an implicit rule matched that still does not convert: text, as ruamel keeps it
        raise NotOfItsTag(_WANTS[tag])
    return value


def collection_misfit(tag: str, is_list: bool) -> str | None:
    """What a list's (`is_list`) or a mapping's explicit core tag wants when it does not fit it;
    None when it fits or is no core tag."""
    wanted = _WANTS.get(tag)
    return None if (wanted in _LISTS if is_list else wanted == "a mapping") else wanted


def one_key_items(tag: str) -> bool:
    """Whether a list under the explicit tag `tag` must be of one-key mappings (`!!omap`,
    `!!pairs`: YAML loaders refuse any other item)."""
    return _WANTS.get(tag) == "a list of one-key mappings"


def is_timestamp(text: str) -> bool:
    """Whether ruamel.yaml reads `text` as a date or a time: its pattern, and a real day (not
    `2024-02-30`)."""
    match = timestamp_regexp.match(text)
    if match is None:
        return False
    try:
        create_timestamp(**match.groupdict())
    except ValueError:
        return False
    return True


def _is_base64(text: str) -> bool:
    """Whether `text` decodes as base64, as ruamel.yaml's `!!binary` decodes it."""
    try:
        binascii.a2b_base64(text.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error):
        return False
    return True


def _int(text: str) -> int | None:
    """The integer `text` spells as YAML writes one, or None."""
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if not digits:
        return None  # `!!int ""`, `!!int -`: no digits
    try:
        for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
            if digits.lower().startswith(prefix):
                return sign * int(digits[2:], base)  # powers of two: no length limit, linear
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS and digits.isdigit() and digits.isascii():
            return HugeInt(sign * 10**_MAX_DIGITS)
        return sign * int(digits, 10)
    except ValueError:
        return None


def _float(text: str) -> float | None:
    """The number `text` spells as YAML writes one, or None."""
    lowered = text.lower().replace("_", "")
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered.endswith(".nan"):
        return float("nan")
    try:
        return float(lowered)
    except ValueError:
        return None


def closing_quote(body: str, pos: int, quote: str) -> int:
    """The index of the quote that closes a quoted scalar whose text goes on at `pos`, or -1:
    `\\"` escapes a double quote, `''` is a single quote inside single quotes."""
    n = len(body)
    while pos < n:
        found = body.find(quote, pos)
        if found < 0:
            return -1
        if quote == '"':
            backslashes = 0
            while found - backslashes - 1 >= pos and body[found - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                return found
        elif found + 1 < n and body[found + 1] == "'":
            pos = found + 2
            continue
        else:
            return found
        pos = found + 1
    return -1
