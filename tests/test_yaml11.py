"""NX005: unquoted values that YAML 1.1 parsers read differently (checks/yaml11.py)."""

from __future__ import annotations

import pytest

from nexlayer_lint.model import Span
from tests.conftest import lint_diags


def nx005(text: str) -> list[tuple[int, int, int, int, str, str | None]]:
    return [(d.line, d.col, d.end_line, d.end_col, d.message, d.hint) for d in lint_diags(text) if d.code == "NX005"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("yes", "a boolean in YAML 1.1"),
        ("No", "a boolean in YAML 1.1"),
        ("ON", "a boolean in YAML 1.1"),
        ("off", "a boolean in YAML 1.1"),
        ("y", "a boolean in YAML 1.1"),
        ("N", "a boolean in YAML 1.1"),
        ("0755", "octal"),
        ("08", "octal"),
        ("0o17", 'the number 15 in YAML 1.2 but the string "0o17" in YAML 1.1'),  # hunt 21
        ("0o" + "7" * 5000, "an octal number in YAML 1.2"),  # hunt 23: too long to write out
        ("1:30", "base-60"),
        # hunt 28 F5: numbers YAML 1.2's core schema does not have, which YAML 1.1 reads
        ("8_0", 'the string "8_0" in YAML 1.2 but a number in YAML 1.1'),
        ("0b1010", 'the string "0b1010" in YAML 1.2 but a number in YAML 1.1'),
        ("-0b1_0", "but a number in YAML 1.1"),
        ("0_755", "but a number in YAML 1.1"),
        ("0x1_F", "but a number in YAML 1.1"),
        ("1_000.5", "but a number in YAML 1.1"),
        ("1.0_5e+3", "but a number in YAML 1.1"),
        (".5_0", "but a number in YAML 1.1"),
        # hunt 42 F4: a float YAML 1.1 reads as text, wanting a dot and a signed exponent
        ("8e1", 'the number 80 in YAML 1.2 but the string "8e1" in YAML 1.1'),
        ("0.8E2", 'the number 80 in YAML 1.2 but the string "0.8E2" in YAML 1.1'),
        ("-25e-4", 'the number -0.0025 in YAML 1.2 but the string "-25e-4" in YAML 1.1'),
        # hunt 87 F5: a leading dot and an unsigned exponent, a float in YAML 1.2's core schema
        (".5e1", 'the number 5 in YAML 1.2 but the string ".5e1" in YAML 1.1'),
        ("-.5E1", 'the number -5 in YAML 1.2 but the string "-.5E1" in YAML 1.1'),
        ("-1:30:15", "base-60"),
        ("0:30.5", "base-60"),  # a base-60 float may start with 0
        # YAML 1.1's timestamps, as PyYAML reads them (hunt 17)
        ("2024-01-01", "a date in YAML 1.1"),
        ("2001-12-14 21:59:43.10 -5", "a date in YAML 1.1"),
        ("2001-12-14t21:59:43.10-05:00", "a date in YAML 1.1"),
        ("2001-12-14 21:59:43.10 Z", "a date in YAML 1.1"),
        # its pattern, but no day of the calendar: PyYAML refuses the file (hunt 17)
        ("2024-13-45", "a date that does not exist, which PyYAML refuses"),
        ("2024-02-30", "a date that does not exist, which PyYAML refuses"),
        ("2024-1-5 25:00:00", "a date that does not exist, which PyYAML refuses"),
    ],
)
def test_yaml11_traps(value: str, fragment: str) -> None:
    ((line, col, end_line, end_col, message, _),) = nx005(f"a:\n  b: {value}\n")
    assert (line, col, end_line, end_col) == (2, 6, 2, 6 + len(value))
    assert fragment in message and value in message


@pytest.mark.parametrize(
    "value",
    [
        '"yes"',
        "'0755'",
        "true",
        "false",
        "0",
        "10",
        "0x1F",
        "1.5",
        "8080:80",
        "|\n    yes",
        "2024-1-1",
        "2024-01-01T10:00",
        "0_8",  # text to both: YAML 1.1's octal has no 8
        "0:30",  # text to both: YAML 1.1's base-60 integer starts with 1-9
        "01:30",
        "1_0e3",  # text to both: YAML 1.1's floats have a dot
        "1.0e+3",  # a float to both
        "_1",
        "0b",
    ],
)
def test_no_yaml11_warning_for_unambiguous_values(value: str) -> None:
    assert nx005(f"a:\n  b: {value}\n") == []


def test_exponent_hints_write_the_number_without_an_exponent() -> None:
    # hunt 44 F6: "write 1e+20" was YAML 1.1's text again
    assert [hint for *_, _, hint in nx005("a: [1e20, 1e-7, 1e999]\n")] == [
        'write 100000000000000000000 if you mean the number, or quote it ("1e20") if you mean the text',
        'write 0.0000001 if you mean the number, or quote it ("1e-7") if you mean the text',
        'quote it ("1e999") if you mean the text',
    ]


def test_number_hints() -> None:
    assert [(message, hint) for *_, message, hint in nx005("a: [8_0, 0b1010]\n")] == [
        (
            'unquoted 8_0 is the string "8_0" in YAML 1.2 but a number in YAML 1.1',
            'write it without "_" if you mean the number, or quote it ("8_0") if you mean the text',
        ),
        (
            'unquoted 0b1010 is the string "0b1010" in YAML 1.2 but a number in YAML 1.1',
            'write it in decimal if you mean the number, or quote it ("0b1010") if you mean the text',
        ),
    ]


def test_an_equals_sign() -> None:
    # hunt 28 F7: `=` is YAML 1.1's "value" type, which PyYAML and ruamel.yaml's safe loader
    # refuse; as a key too; `==`, `"="` and `!!str =` are text to both
    text = 'a:\n  SEPARATOR: =\n  =: x\n  b: "="\n  c: ==\n  d: !!str =\n  e: [=]\n'
    message = (
        'unquoted {}= is the string "=" in YAML 1.2; YAML 1.1 reads it as its "value" type, '
        "and YAML 1.1 loaders refuse the file"
    )
    assert nx005(text) == [
        (2, 14, 2, 15, message.format(""), 'quote it ("=")'),
        (3, 3, 3, 4, message.format("key "), 'quote it ("=")'),
        (7, 7, 7, 8, message.format(""), 'quote it ("=")'),
    ]
    fixes = [d.fix for d in lint_diags(text) if d.code == "NX005"]
    assert [[(e.span, e.text) for e in fix.edits] for fix in fixes if fix] == [
        [(Span(2, 14, 2, 14), '"'), (Span(2, 15, 2, 15), '"')],
        [(Span(3, 3, 3, 3), '"'), (Span(3, 4, 3, 4), '"')],
        [(Span(7, 7, 7, 7), '"'), (Span(7, 8, 7, 8), '"')],
    ]


def test_a_merge_sign_as_a_value() -> None:
    # hunt 168 F1: `<<` as a value is YAML 1.1's "merge" type, which PyYAML and ruamel.yaml's safe
    # loader refuse as `=`; `<<<`, `"<<"` and `!!str <<` are text to both, `! <<` is not to PyYAML
    text = 'a:\n  SEP: <<\n  b: "<<"\n  c: <<<\n  d: !!str <<\n  e: [<<]\n  f: ! <<\n'
    message = (
        'unquoted << is the string "<<" in YAML 1.2; YAML 1.1 reads it as its "merge" type, '
        "and YAML 1.1 loaders refuse the file"
    )
    assert [found[:4] for found in nx005(text)] == [(2, 8, 2, 10), (6, 7, 6, 9), (7, 6, 7, 10)]
    assert {found[4:] for found in nx005(text)} == {(message, 'quote it ("<<")')}
    fixes = [d.fix for d in lint_diags(text) if d.code == "NX005"]
    assert [[(e.span, e.text) for e in fix.edits] for fix in fixes if fix][:2] == [
        [(Span(2, 8, 2, 8), '"'), (Span(2, 10, 2, 10), '"')],
        [(Span(6, 7, 6, 7), '"'), (Span(6, 9, 6, 9), '"')],
    ]
    # (the tag in the span: no fix); the merge key itself is no finding
    assert nx005("x: &x {A: 1}\nz:\n  <<: *x\n  B: 2\n") == []


def test_messages_and_hints() -> None:
    assert nx005("a: [yes, 0755]\nb:\n  - 1:30\n") == [
        (
            1,
            5,
            1,
            8,
            'unquoted "yes" is the string "yes" in YAML 1.2 but a boolean in YAML 1.1',
            'quote it ("yes") if you mean the text, or write true or false',
        ),
        (
            1,
            10,
            1,
            14,
            "unquoted 0755 is read as a decimal number in YAML 1.2 but as octal or text in YAML 1.1",
            'quote it ("0755") if you mean the text, or drop the leading zero',
        ),
        (
            3,
            5,
            3,
            9,
            'unquoted 1:30 is the string "1:30" in YAML 1.2 but a base-60 number in YAML 1.1',
            'quote it ("1:30")',
        ),
    ]


def test_repeated_values_and_aliases() -> None:
    # a repeated key's first value is judged; an alias repeats no finding
    text = "k: on\nx: &a off\nx: 1\nz: *a\n"
    assert [(line, col) for line, col, *_ in nx005(text)] == [(1, 4), (2, 4)]
    diags = [d for d in lint_diags(text) if d.code == "NX005"]
    assert [d.path for d in diags] == ["k", "x"]


def test_keys() -> None:
    # PyYAML reads `on:` and `yes:` as the key True, and keeps one of them: `on: "enabled"` is
    # lost (hunt 28 F2); `true:` and `null:` are the same in YAML 1.1 and 1.2, no NX005
    text = 'v:\n  on: "enabled"\n  No: "2"\n  true: "3"\n  null: "4"\n  ~: "5"\n  0755: "6"\n  1:30: x\n  ok: yes\n'
    assert nx005(text) == [
        (
            2,
            3,
            2,
            5,
            'unquoted key "on" is the string "on" in YAML 1.2 but the boolean true in YAML 1.1',
            'quote it ("on"): a YAML 1.1 reader loses the name, and keeps one of the keys it reads as true',
        ),
        (
            3,
            3,
            3,
            5,
            'unquoted key "No" is the string "No" in YAML 1.2 but the boolean false in YAML 1.1',
            'quote it ("No"): a YAML 1.1 reader loses the name, and keeps one of the keys it reads as false',
        ),
        (
            7,
            3,
            7,
            7,
            "unquoted key 0755 is read as a decimal number in YAML 1.2 but as octal or text in YAML 1.1",
            'quote it ("0755") if you mean the text, or drop the leading zero',
        ),
        (
            8,
            3,
            8,
            7,
            'unquoted key 1:30 is the string "1:30" in YAML 1.2 but a base-60 number in YAML 1.1',
            'quote it ("1:30")',
        ),
        (
            9,
            7,
            9,
            10,
            'unquoted "yes" is the string "yes" in YAML 1.2 but a boolean in YAML 1.1',
            'quote it ("yes") if you mean the text, or write true or false',
        ),
    ]
    diags = [d for d in lint_diags(text) if d.code == "NX005"]
    assert [d.path for d in diags] == ["v.on", "v.No", "v.0755", "v.1:30", "v.ok"]


def test_keys_as_written() -> None:
    # a repeated key, an anchored key, a flow mapping's key, an explicit key: each where it is
    # written; an alias as a key, a quoted or tagged key, `<<` are not judged
    text = "a:\n  off: 1\n  off: 2\nb: {Y: 1, 'n': 2, !!str on: 3}\nc:\n  &k yes: 1\nd:\n  *k : 2\n  ? n\n  : 3\n"
    assert [(line, col, end_col) for line, col, _, end_col, *_ in nx005(text)] == [
        (2, 3, 6),
        (3, 3, 6),
        (4, 5, 6),
        (6, 3, 9),
        (9, 5, 6),
    ]


def test_key_fix_quotes_the_key() -> None:
    (diag,) = [d for d in lint_diags("a:\n  on: 1\n") if d.code == "NX005"]
    assert diag.fix is not None and diag.fix.applicability == "safe"
    assert [(e.span, e.text) for e in diag.fix.edits] == [
        (Span(2, 3, 2, 3), '"'),
        (Span(2, 5, 2, 5), '"'),
    ]


def test_tagged_and_anchored_values_are_judged_as_written() -> None:
    # the span covers the anchor or tag, as the parser marks the value
    assert [(line, col, end_col) for line, col, _, end_col, *_ in nx005("a: &x yes\nb: !!int 0755\n")] == [
        (1, 4, 10),
        (2, 4, 14),
    ]


@pytest.mark.parametrize(
    "value",
    [
        # an explicit tag decides the type in YAML 1.1 too: the same value to both (hunt 28 F3)
        "!!str yes",
        "!!str 0755",
        "!!str 1:30",
        "!!str 2024-01-01",
        "!<tag:yaml.org,2002:str> off",
        "!!bool yes",  # true to both
        "!!int 0o17",  # 15 to both
        "!!float 0755",  # 755.0 to both
        "!!timestamp 2024-01-01",
        "!custom on",
        "! 0o17",  # text to both
        "! 08",  # text to both: YAML 1.1's octal has no 8
        "! 1e3",  # text to both (hunt 48 F1)
    ],
)
def test_no_yaml11_warning_for_a_tag_both_read_alike(value: str) -> None:
    assert nx005(f"a:\n  b: {value}\n") == []


def test_tags_yaml_11_reads_otherwise() -> None:
    # `!!int 0755` is 755 to YAML 1.2 and 493 to YAML 1.1 (`!!int 08` is refused); PyYAML reads
    # `!`, text to YAML 1.2, as no tag at all (hunt 28 F3)
    text = "a: [!!int 0755, !!int 08, ! yes, ! 0755, ! 1:30]\n"
    assert nx005(text) == [
        (
            1,
            5,
            1,
            15,
            "0755 tagged !!int is read as a decimal number in YAML 1.2 but as an octal number in YAML 1.1",
            "drop the leading zero",
        ),
        (
            1,
            17,
            1,
            25,
            "08 tagged !!int is read as a decimal number in YAML 1.2; YAML 1.1 reads it as an octal number, "
            "which PyYAML refuses for its 8 or 9",
            "drop the leading zero",
        ),
        (
            1,
            27,
            1,
            32,
            'unquoted "yes" is the string "yes" in YAML 1.2 but a boolean in YAML 1.1',
            'quote it ("yes") if you mean the text, or write true or false',
        ),
        (
            1,
            34,
            1,
            40,
            '0755 tagged ! is the string "0755" in YAML 1.2 but an octal number in YAML 1.1',
            'quote it ("0755") instead of the tag !',
        ),
        (
            1,
            42,
            1,
            48,
            'unquoted 1:30 is the string "1:30" in YAML 1.2 but a base-60 number in YAML 1.1',
            'quote it ("1:30")',
        ),
    ]
    # no fix: quotes would land around the tag
    assert all(d.fix is None for d in lint_diags(text) if d.code == "NX005")
