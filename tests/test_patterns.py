"""Patterns are ECMA-262 everywhere: the generated code and jsonschema search them alike, never as Python's `re`."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint import schema
from nexlayer_lint.patterns import PatternError, Patterns, is_regex
from nexlayer_lint.quickvalid import compile_quick

TRUSTED = Patterns(trusted=True)


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        # `$` is the end of the text: no newline before it (Python's `$` allows one)
        ("^shop$", "shop", True),
        ("^shop$", "shop\n", False),
        ("^[a-z]+$", "web\n", False),
        ("^[0-9]+(Mi|Gi)$", "5Gi\n", False),
        ("^shop$", "shop\r", False),
        ("^a.b$", "a\nb", False),
        ("^a.b$", "a\rb", False),
        ("^a.b$", "a\u2028b", False),
        ("^a.b$", "a\u2029b", False),
        ("^a.b$", "a\u0085b", True),  # NEL is not an ECMA-262 line terminator
        ("^a[^x]b$", "a\nb", True),
        # \d, \w and \b are ASCII; \s is ECMA-262's own list (with U+FEFF, without U+0085)
        (r"^\d+$", "42", True),
        (r"^\d+$", "\u0663", False),
        (r"^\w+$", "caf\u00e9", False),
        (r"^\s$", "\u00a0", True),
        (r"^\s$", "\ufeff", True),
        (r"^\s$", "\u0085", False),
        (r"^\s$", "\u2028", True),
        (r"\bé", "é", False),
        (r"f\b", "café", True),
        (r"^\S+$", "x\u00a0y", False),
        # the u flag: one character per code point, \u{...} escapes, surrogate pairs as one
        ("^.$", "\U0001f600", True),
        (r"^\u{1F600}$", "\U0001f600", True),
        (r"^\uD83D\uDE00$", "\U0001f600", True),
        # lookarounds and named groups, which Python's `re` spells otherwise or not at all
        (r"^(?=.*\d)[a-z0-9]+$", "abc1", True),
        (r"^(?=.*\d)[a-z0-9]+$", "abc", False),
        (r"^[a-z]+(?<!-)$", "ab", True),
        (r"(?<year>\d{4})-\k<year>", "2024-2024", True),
        (r"^\p{Lu}", "Émile", True),
        # searched, not matched as a whole, as JSON Schema says
        ("b", "abc", True),
        ("^b", "abc", False),
    ],
)
def test_ecma_semantics(pattern: str, text: str, matches: bool) -> None:
    assert TRUSTED.search(pattern, text) is matches


def test_python_only_syntax_is_not_a_pattern() -> None:
    for python_only in ("(?P<x>a)", r"\Z", "(?i)a", r"\A"):
        with pytest.raises(PatternError, match="not an ECMA-262 regular expression"):
            TRUSTED.compile(python_only)
        assert is_regex(python_only) is False
    assert is_regex(r"^\p{L}+$") is True and is_regex(5) is True


def test_an_untrusted_schema_cannot_use_a_slow_pattern() -> None:
    assert TRUSTED.search("^(a+)+$", "aaa") is True  # ours: trusted
    with pytest.raises(PatternError, match="its repetitions can match the same text in many ways"):
        Patterns(trusted=False).compile("^(a+)+$")


# --- the generated code and jsonschema agree on every string ---------------------------------------

PATTERNS = [
    "^[a-z]+$",
    "^[a-z0-9.-]+$",
    "^[0-9]+(Mi|Gi)$",
    r"^\d+$",
    r"^\w+$",
    r"^\s*$",
    r"^\S+$",
    "^.+$",
    r"^(?=.*\d).+$",
    r"^[a-z]+(?<!x)$",
    "a$",
    r"\bab",
    "^$",
    r"^[^\n]*$",
    r"^\p{L}+$",
    "^.{2}$",
]
TEXT = st.lists(
    st.sampled_from(
        [
            "a",
            "b",
            "x",
            "1",
            "\u0663",
            "é",
            "-",
            ".",
            " ",
            "\n",
            "\r",
            "\u2028",
            "\u2029",
            "\u00a0",
            "\ufeff",
            "\u0085",
            "\t",
            "Gi",
            "Mi",
            "\U0001f600",
        ]
    ),
    max_size=6,
).map("".join)


@functools.cache
def validators(pattern: str) -> tuple[Any, Any, Any]:
    """For `pattern`: the generated code, jsonschema on a value, and jsonschema on a key."""
    keywords = {"properties": {"v": {"type": "string", "pattern": pattern}}}
    validator = schema.build_validator(keywords)
    on_keys = schema.build_validator({"patternProperties": {pattern: {}}, "additionalProperties": False})
    return compile_quick(keywords, validator.patterns), validator.real, on_keys.real


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_generated_code_and_jsonschema_agree_on_generated_strings(pattern: str, text: str) -> None:
    quick, real, on_keys = validators(pattern)
    expected = TRUSTED.search(pattern, text)
    assert real.is_valid({"v": text}) is expected
    found = quick({"v": text}) if quick is not None else None
    assert found is not None and [(e.validator, list(e.absolute_path)) for e in found] == (
        [] if expected else [("pattern", ["v"])]
    )  # exact here: a yes and a no, both jsonschema's
    # patternProperties and additionalProperties search a key with the same engine
    assert on_keys.is_valid({text: "x"}) is expected


@pytest.mark.parametrize("text", ["shop\n", "shop\r", "sh\u2028op"])
def test_jsonschema_messages_come_from_ecma_matching(text: str) -> None:
    errors = list(
        schema.bundled_validator()[0].iter_errors(
            {"application": {"name": text, "pods": [{"name": "web", "image": "x", "servicePorts": [80]}]}}
        )
    )
    assert [(e.validator, list(e.absolute_path)) for e in errors] == [("pattern", ["application", "name"])]


def test_a_long_value_is_never_compiled_as_a_regex(tmp_path: Any) -> None:
    # regress's compile time grows with the square of the alternatives, and ~47,000 of them crash
    # the process (hunt 279 F2): a value past the bound counts as no regex, uncompiled
    assert is_regex("a|" * 4999 + "a") is True  # 9,999 characters: compiled, valid
    assert is_regex("a|" * 5000 + "a") is False
    import json
    import subprocess
    import sys

    with_format = json.loads(schema.BUNDLED_PATH.read_text(encoding="utf-8"))
    with_format["$defs"]["varsMapping"]["additionalProperties"]["format"] = "regex"
    (tmp_path / "schema.json").write_text(json.dumps(with_format))
    value = "|".join("a" for _ in range(50_000))
    (tmp_path / "nexlayer.yaml").write_text(
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        f'      servicePorts: [80]\n      vars:\n        PATTERN: "{value}"\n'
    )
    run = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", "check", "--isolated", "--schema", "schema.json", "nexlayer.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr[-2000:]  # not -11, a segmentation fault
    assert 'nexlayer.yaml:9:18: error NX104 var "PATTERN" of pod "web"' in run.stdout
    assert "must be a valid regex" in run.stdout
