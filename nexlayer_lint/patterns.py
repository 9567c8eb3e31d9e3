"""JSON Schema patterns as ECMA-262 regular expressions, searched the same way by every check.

`pattern`, `patternProperties` and the format "regex" are ECMA-262 regular expressions. Python's
`re` is another dialect: its `$` also matches before a trailing newline (so `"shop\\n"` passes
`^[a-z]+$`) and its `\\d`, `\\w` and `\\s` take in all of Unicode. regress (the ECMA-262 engine
check-jsonschema uses) searches them here, with the `u` flag, as JSON Schema asks; the quick
verdict (quickvalid.py), jsonschema (through `jsonschema_keywords`) and the messages all search
through one `Patterns`, so no two of them can disagree.

regress backtracks and has no step limit. The bundled schema is ours; any other schema's patterns
are searched only once linear_regex.py has proven them linear (`Patterns(trusted=False)`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import regress

Search = Callable[[str], bool]


class PatternError(Exception):
    """A pattern that is not ECMA-262, or that a schema we did not write may not use."""


class Patterns:
    """How one schema's patterns are searched: always as ECMA-262, and proven linear unless trusted."""

    def __init__(self, *, trusted: bool) -> None:
        self.trusted = trusted

    def compile(self, pattern: str) -> Search:
        """A function text -> whether `pattern` matches somewhere in it; PatternError when unusable."""
        search = _search_function(pattern, self.trusted)
        if isinstance(search, str):
            raise PatternError(search)
        return search

    def search(self, pattern: str, text: str) -> bool:
        return self.compile(pattern)(text)


@functools.cache  # one entry per pattern of the schemas in use: bounded by them
def _search_function(pattern: str, trusted: bool) -> Search | str:
    """The compiled search, or why there is none (kept, so a refusal is worked out once)."""
    if not trusted:
        from nexlayer_lint.linear_regex import MAX_LENGTH, refusal  # only for a schema we did not write

        if len(pattern) > MAX_LENGTH:  # before regress compiles it, which takes time too
            return f"it is longer than {MAX_LENGTH:,} characters"
    try:
        regex = regress.Regex(pattern, flags="u")
    except regress.RegressError as exc:
        return f"it is not an ECMA-262 regular expression ({exc})"
    except ValueError:  # UnicodeEncodeError: regress takes UTF-8, which has no lone surrogates
        return "it has a lone surrogate (\\uD800 to \\uDFFF), which regress cannot search"
    if not trusted:
        why = refusal(pattern)
        if why is not None:
            return why
    find = regex.find
    return lambda text: find(text) is not None


# The longest value the format "regex" compiles, as for a schema's own patterns (linear_regex's
# MAX_LENGTH): regress's compile time grows with the square of a value's alternatives, and about
# 47,000 of them (`a|a|...`, 94 KB) overflow its stack and kill the process (hunt 279 F2).
MAX_REGEX_VALUE = 10_000


def is_regex(instance: object) -> bool:
    """The format "regex": whether a string is an ECMA-262 regular expression (it is never
    searched); a longer one than MAX_REGEX_VALUE counts as none."""
    if not isinstance(instance, str):
        return True
    if len(instance) > MAX_REGEX_VALUE:
        return False
    try:
        regress.Regex(instance, flags="u")
    except (regress.RegressError, ValueError):  # ValueError: a lone surrogate cannot reach regress
        return False
    return True


# --- jsonschema's keywords that search, with ECMA-262 ----------------------------------------------


def jsonschema_keywords(patterns: Patterns) -> dict[str, Callable[..., Iterator[Any]]]:
    """`pattern`, `patternProperties` and `additionalProperties` as jsonschema has them, searching with `patterns`.

    jsonschema calls `re.search` in these three (check-jsonschema replaces the first two);
    `unevaluatedProperties` does too, deep inside, so schema.py refuses it beside patternProperties.
    Also `multipleOf` without its OverflowError, and `uniqueItems` in linear time.
    """
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not patterns.search(pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    def patternProperties(validator: Any, properties: dict, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        for key_pattern, subschema in properties.items():
            search = patterns.compile(key_pattern)
            for key, value in instance.items():
                if search(key):
                    yield from validator.descend(value, subschema, path=key, schema_path=key_pattern)

    def additionalProperties(validator: Any, additional: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        known = schema.get("properties", {})
        extras = [key for key in instance if key not in known]
        if extras and schema.get("patternProperties"):
            searches = [patterns.compile(p) for p in schema["patternProperties"]]
            extras = [key for key in extras if not any(search(key) for search in searches)]
        if validator.is_type(additional, "object"):
            for key in extras:
                yield from validator.descend(instance[key], additional, path=key)
        elif not additional and extras:  # jsonschema's wording
            names = ", ".join(repr(key) for key in sorted(extras))
            if "patternProperties" in schema:
                regexes = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
                verb = "does" if len(extras) == 1 else "do"
                yield ValidationError(f"{names} {verb} not match any of the regexes: {regexes}")
            else:
                verb = "was" if len(extras) == 1 else "were"
                yield ValidationError(f"Additional properties are not allowed ({names} {verb} unexpected)")

    def multipleOf(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        """jsonschema's, but exact where it raised OverflowError: `80.5 % 10**400` (a divisor past
        float's range, from a schema we did not write) was an internal error (hunt 74 F5)."""
        from jsonschema._keywords import multipleOf as base

        try:
            yield from list(base(validator, divisor, instance, schema))
        except OverflowError:
            from fractions import Fraction

            try:
                failed = Fraction(instance) % Fraction(divisor) != 0
            except (OverflowError, ValueError):  # an infinite or NaN number is no multiple
                failed = True
            if failed:
                yield ValidationError(f"{instance!r} is not a multiple of {divisor}")

    def uniqueItems(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        """jsonschema's, in linear time: it compares each pair of items it cannot sort (a list
        mixing lists and strings), so 10,000 such servicePorts took 21 s. Items are compared as
        JSON compares them (true is not 1, also inside a list); NaN equals nothing."""
        from nexlayer_lint.quickvalid import first_repeat

        if unique and validator.is_type(instance, "array") and first_repeat(instance) >= 0:
            yield ValidationError(f"{instance!r} has non-unique elements")

    return {
        "pattern": pattern,
        "patternProperties": patternProperties,
        "additionalProperties": additionalProperties,
        "multipleOf": multipleOf,
        "uniqueItems": uniqueItems,
    }


def format_checker(base: Any) -> Any:
    """A copy of jsonschema's format checker `base` whose "regex" is ECMA-262."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checkers = dict(base.checkers)
    checker.checks("regex")(is_regex)
    return checker
