"""Unquoted values that YAML 1.1 parsers read differently from YAML 1.2 (NX005)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.edits import quote as quote_edits
from nexlayer_lint.edits import text_at, usual_quote
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Edit, Fix, Span
from nexlayer_lint.scalars import INT, is_timestamp
from nexlayer_lint.secrets import overlaps

# Six of the eight traps, one named group each: a boolean word, a leading zero, YAML 1.2's octal
# (`0o17`, text to YAML 1.1), a base-60 number, a date (YAML 1.1's timestamp: a day, or a day and
# a time with an optional zone), `=` and `<<` (YAML 1.1's "value" and "merge" types, which its
# loaders refuse as a value).
# Each alternative is tried at the start only, and none backtracks more than once over a run of
# digits. The lookahead names the characters a trap can start with, so most keys and values
# (`image`, `nginx:1.27`) are passed over at their first character.
TRAP = lazy(
    r"(?=[-+0-9=<yYnNoO])"
    r"(?:(?P<boolean>(?i:y|n|yes|no|on|off))"
    r"|(?P<leading_zero>[-+]?0[0-9]+)"
    r"|(?P<octal>0o[0-7]+)"
    # base 60: an integer starts with 1-9 (PyYAML reads `0:30` as text), a float with any digit
    r"|(?P<sexagesimal>[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?0[0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)"
    r"|(?P<timestamp>[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)"
    r"|(?P<value>=)|(?P<merge><<))"
)


# The seventh trap (the eighth is _EXPONENT): a number YAML 1.1 writes with `_` between digits
# or in binary (`8_0`, `0b1010`), text in YAML 1.2's core schema (scalars.py). From the text's start
# only (\A): each alternative reads a run of digits once.
_YAML11_NUMBER = lazy(
    r"\A(?:[-+]?0b[01_]+|[-+]?0[0-7]*_[0-7_]*|[-+]?[1-9][0-9]*_[0-9_]*|[-+]?0x[0-9a-fA-F]*_[0-9a-fA-F_]*"
    r"|[-+]?[0-9]+_[0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*\.[0-9]*_[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9]*_[0-9_]*(?:[eE][-+][0-9]+)?)"
)


def trap_kind(text: str) -> str | None:
    """Which trap (a group of TRAP, "number" or "exponent") the plain scalar `text` is, whatever its tag."""
    trap = TRAP.fullmatch(text)
    if trap is not None:
        return trap.lastgroup
    if text[:1] not in _NUMBER_STARTS:  # most text
        return None
    if ("_" in text or "0b" in text) and _YAML11_NUMBER.fullmatch(text):
        return "number"
    if ("e" in text or "E" in text) and _EXPONENT.fullmatch(text):
        return "exponent"
    return None


# A float YAML 1.1 reads as text: its floats have a dot and a signed exponent (`8e1`, `0.8e2`,
# `1e+3`, `.5e1`). From the text's start only: each alternative reads its run of digits once.
_EXPONENT = lazy(r"\A(?:[-+]?[0-9]+(?:\.[0-9]*)?[eE][0-9]+|[-+]?[0-9]+[eE][-+][0-9]+|[-+]?\.[0-9]+[eE][0-9]+)")


_NUMBER_STARTS = frozenset("-+.0123456789")


_SECRET_MESSAGES = {
    "boolean": "this unquoted secret value is a string in YAML 1.2 but a boolean in YAML 1.1",
    "leading_zero": "this unquoted secret value is read as a decimal number in YAML 1.2 but as octal or text in "
    "YAML 1.1",
    "octal": "this unquoted secret value is an octal number in YAML 1.2 but a string in YAML 1.1",
    "sexagesimal": "this unquoted secret value is a string in YAML 1.2 but a base-60 number in YAML 1.1",
    "timestamp": "this unquoted secret value is a string in YAML 1.2 but a date in YAML 1.1",
    "value": "this unquoted secret value is a string in YAML 1.2, but YAML 1.1 loaders refuse the file",
    "merge": "this unquoted secret value is a string in YAML 1.2, but YAML 1.1 loaders refuse the file",
    "number": "this unquoted secret value is a string in YAML 1.2 but a number in YAML 1.1",
    "exponent": "this unquoted secret value is a number in YAML 1.2 but a string in YAML 1.1",
}
_SECRET_HINTS = {
    "boolean": "quote it if you mean the text, or write true or false",
    "leading_zero": "quote it if you mean the text, or drop the leading zero",
    "octal": "quote it if you mean the text, or write the number in decimal",
    "sexagesimal": "quote it",
    "timestamp": "quote it",
    "value": "quote it",
    "merge": "quote it",
    "number": "quote it",
    "exponent": "quote it",
}


@rule("NX005", "yaml11-ambiguous-scalar", "warning", "an unquoted scalar that YAML 1.1 parsers read differently")
def yaml11_ambiguous_scalar(app: App) -> Iterator[Finding]:
    """NX005: `yes`, `0755`, `1:30` or `2024-01-01` unquoted. Every plain value and key as written is
    checked, a repeated key's earlier value too; an alias repeats no finding."""
    quote = None
    for key, entries in ((False, app.doc.plain_scalars), (True, app.doc.plain_keys)):
        for path, span, text, tag in entries:
            kind = trap_kind(text)
            if kind is not None and tag is not None:
                kind = _tagged_kind(kind, text, tag)
            if kind is None or (key and kind == "merge"):  # the key `<<` merges (the loader's)
                continue
            quote = quote or usual_quote(app.doc)
            fix = _fix(app.doc, path, span, text, kind, quote, key)
            if overlaps(app.doc, span):  # a secret's text is never quoted, not even its digits
                yield Finding(_SECRET_MESSAGES[kind], path=path, span=span, hint=_SECRET_HINTS[kind], fix=fix)
                continue
            message, hint = _words(kind, text, tag, key)
            yield Finding(message, path=path, at="key" if key else "value", span=span, hint=hint, fix=fix)


def _words(kind: str, text: str, tag: str | None, key: bool) -> tuple[str, str]:
    """The message and hint of a trap of `kind` written `text` with the tag `tag`, a key or a value."""
    unquoted = "unquoted key" if key else "unquoted"
    tagged = f"key {text} tagged" if key else f"{text} tagged"
    if tag == INT:  # `!!int 0755`
        return (
            f"{tagged} !!int is read as a decimal number in YAML 1.2"
            + (
                " but as an octal number in YAML 1.1"
                if _YAML11_OCTAL.fullmatch(text)
                else "; YAML 1.1 reads it as an octal number, which PyYAML refuses for its 8 or 9"
            ),
            "drop the leading zero",
        )
    if tag == "!" and kind == "leading_zero":  # `! 0755`: text to YAML 1.2, octal to PyYAML
        return (
            f'{tagged} ! is the string "{text}" in YAML 1.2 but an octal number in YAML 1.1',
            f'quote it ("{text}") instead of the tag !',
        )
    if kind == "boolean" and key:  # PyYAML's mapping then has the key True or False: `on` and `yes` become one
        boolean = "true" if text.lower() in ("y", "yes", "on") else "false"
        return (
            f'{unquoted} "{text}" is the string "{text}" in YAML 1.2 but the boolean {boolean} in YAML 1.1',
            f'quote it ("{text}"): a YAML 1.1 reader loses the name, and keeps one of the keys it reads as {boolean}',
        )
    if kind == "boolean":
        return (
            f'{unquoted} "{text}" is the string "{text}" in YAML 1.2 but a boolean in YAML 1.1',
            f'quote it ("{text}") if you mean the text, or write true or false',
        )
    if kind == "leading_zero":
        return (
            f"{unquoted} {text} is read as a decimal number in YAML 1.2 but as octal or text in YAML 1.1",
            f'quote it ("{text}") if you mean the text, or drop the leading zero',
        )
    if kind == "octal":
        # written out in decimal unless too long for any number a file means (and for Python,
        # which writes no more than 4,300 digits)
        decimal = str(int(text, 8)) if len(text) <= 24 else None
        number = f"the number {decimal}" if decimal else "an octal number"
        written = decimal or "it in decimal"
        return (
            f'{unquoted} {text} is {number} in YAML 1.2 but the string "{text}" in YAML 1.1',
            f'write {written} if you mean the number, or quote it ("{text}") if you mean the text',
        )
    if kind == "sexagesimal":
        return (
            f'{unquoted} {text} is the string "{text}" in YAML 1.2 but a base-60 number in YAML 1.1',
            f'quote it ("{text}")',
        )
    if kind == "number":  # `8_0`, `0b1010`: ruamel's table read numbers, YAML 1.2's core schema does not
        spelt = "in decimal" if text.lstrip("+-").startswith("0b") else 'without "_"'
        return (
            f'{unquoted} {text} is the string "{text}" in YAML 1.2 but a number in YAML 1.1',
            f'write it {spelt} if you mean the number, or quote it ("{text}") if you mean the text',
        )
    if kind == "exponent":  # `8e1`: YAML 1.1's floats have a dot and a signed exponent
        from decimal import Decimal  # here: its import costs every run, and few files write such a float

        exact = Decimal(text)
        if abs(exact.adjusted()) > 30:  # `1e999`: too long to write out
            return (
                f'{unquoted} {text} is a number in YAML 1.2 but the string "{text}" in YAML 1.1',
                f'quote it ("{text}") if you mean the text',
            )
        decimal = format(exact, "f")  # without an exponent, which YAML 1.1 would read as text again
        return (
            f'{unquoted} {text} is the number {decimal} in YAML 1.2 but the string "{text}" in YAML 1.1',
            f'write {decimal} if you mean the number, or quote it ("{text}") if you mean the text',
        )
    if kind == "merge":  # `<<` as a value: tag:yaml.org,2002:merge, which no YAML 1.1 loader constructs
        return (
            'unquoted << is the string "<<" in YAML 1.2; YAML 1.1 reads it as its "merge" type, '
            "and YAML 1.1 loaders refuse the file",
            'quote it ("<<")',
        )
    if kind == "value":  # `=`: tag:yaml.org,2002:value, which no YAML 1.1 loader constructs
        return (
            f'{unquoted} = is the string "=" in YAML 1.2; YAML 1.1 reads it as its "value" type, '
            "and YAML 1.1 loaders refuse the file",
            'quote it ("=")',
        )
    if is_timestamp(text):
        return f'{unquoted} {text} is the string "{text}" in YAML 1.2 but a date in YAML 1.1', f'quote it ("{text}")'
    # `2024-13-45`: YAML 1.1's pattern for a date, but no day of the calendar
    return (
        f'{unquoted} {text} is the string "{text}" in YAML 1.2; '
        "YAML 1.1 reads it as a date that does not exist, which PyYAML refuses",
        f'quote it ("{text}")',
    )


# The integers YAML 1.1 reads as octal (PyYAML's pattern); `08` and `09` are text to it.
_YAML11_OCTAL = lazy(r"[-+]?0[0-7_]+")


# The numbers of the `number` trap a port may be written as: with `_` between digits, or in binary.
_PORT_SPELLING = lazy(r"\+?(?:[1-9][0-9_]*|0b[01_]*[01][01_]*)")


def _tagged_kind(kind: str, text: str, tag: str) -> str | None:
    """The trap of `kind` that `text` is when the explicit tag `tag` is written before it, or None.
    A tag decides the type in YAML 1.1 too (`!!str yes` is text to both), except: `!!int 0755` is
    755 to YAML 1.2 but octal to YAML 1.1 (`!!int 0o17` is 15 to both), and `!`, text to YAML 1.2,
    is no tag to PyYAML, which reads `! yes` as it reads `yes` (`! 0o17` and `! 08` are text to both)."""
    if tag == INT:
        return kind if kind == "leading_zero" else None
    if tag == "!":
        if kind == "leading_zero":
            return kind if _YAML11_OCTAL.fullmatch(text) else None
        return None if kind in ("octal", "exponent") else kind  # text to YAML 1.2 and to PyYAML
    return None


def _fix(doc: Document, path: DataPath, span: Span, text: str, trap: str, quote: str, key: bool) -> Fix | None:
    """Quotes around the value, so that it is the text YAML 1.2 reads (for a boolean word or a
    base-60 number) or the text as written (a leading zero); a port's leading zeros are dropped
    instead, as a port is a number. None when the span holds more than the value (an anchor, a tag)."""
    if span.line != span.end_line or text_at(doc, span) != text:
        return None
    if not key and trap == "number" and len(path) >= 2 and path[-2] == "servicePorts":
        # `8_0`, `0b1010`: text to YAML 1.2 (NX103), the port YAML 1.1 reads, written in decimal
        port = int(text.replace("_", ""), 0) if _PORT_SPELLING.fullmatch(text) and len(text) <= 40 else -1
        return Fix("Write the port in decimal", (Edit(span, str(port)),)) if 0 <= port <= 65535 else None
    if not key and trap == "sexagesimal" and len(path) >= 2 and path[-2] == "servicePorts":
        # `1:30`: quoted it is no port either, and YAML 1.1's 90 is no likelier meant than a
        # mapping of ports: which port was meant is for the user (hunt 87 F6)
        return None
    if not key and trap in ("leading_zero", "octal", "exponent") and len(path) >= 2 and path[-2] == "servicePorts":
        value = doc.get(*path)
        port = int(value) if isinstance(value, float) and value.is_integer() else value  # `8e1`
        # `080`, `0_81`, `+083`, `0o17`, `8e1`: written as the number YAML 1.2 read
        if isinstance(port, int) and not isinstance(port, bool) and 0 <= port <= 65535:
            title = "Drop the leading zeros" if trap == "leading_zero" else "Write the port in decimal"
            return Fix(title, (Edit(span, str(port)),))
    return Fix("Quote the value so every YAML version reads it as text", quote_edits(span, quote))
