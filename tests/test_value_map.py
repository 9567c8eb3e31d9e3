"""value_map reads a scalar's text as the parser does: the same value, and for each character
the text that wrote it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexlayer_lint import builder, loader, secrets
from nexlayer_lint.model import get_in
from nexlayer_lint.value_map import text_ranges, value_map

# pieces of a scalar's text: characters, blanks, line breaks, escapes, quotes, indentation
PIECES = ["a", "Z", "9", "@", ":", "/", "-", "=", "{", "$", " ", "  ", "\t", "\n", "\n  ", "\n\n  ", "\r\n  ", "#"]
DOUBLE = [*PIECES, "\\x40", "\\u0040", "\\U0001F600", "\\t", "\\n", "\\\\", '\\"', "\\ ", "\\\n  ", "\\_", "'"]
SINGLE = [*PIECES, "''", '"', "\\"]


def located(text: str, path: tuple[object, ...] = ("k",)) -> tuple[object, int, int, str]:
    doc, _ = loader.load(text, "x.yaml")
    assert doc is not None
    place = doc.positions[path]
    start, end = secrets._Spans(doc).head(place.value)
    return get_in(doc.data, path), start, end, place.style or ""


def check(text: str, path: tuple[object, ...] = ("k",)) -> None:
    try:
        value, start, end, style = located(text, path)
    except (AssertionError, KeyError):
        return  # does not parse, or not as a scalar at `path`
    if not isinstance(value, str):
        return
    mapped = value_map(text, start, end, style)
    assert mapped is not None, (text, style)
    assert mapped.value == value, (text, style)
    assert len(mapped.lo) == len(mapped.hi) == len(value)
    assert all(start <= lo < hi <= end for lo, hi in zip(mapped.lo, mapped.hi, strict=True))
    assert mapped.lo == sorted(mapped.lo)
    assert mapped.hi == sorted(mapped.hi)


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "pure":
        monkeypatch.setattr(builder, "CParser", None)
    elif builder.CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed")


SAMPLES = [
    "k: plain\n",
    "k: a b  c\n",
    "k: a\n   b\n",
    "k: a\n\n   b\n",
    "k: a   \n   b  \n\n\n   c\n",
    "k: a\r\n  b\r\n",
    "k: &an a\n  b\n",
    'k: "x\\x40y"\n',
    'k: "\\u0040\\U0001F600"\n',
    'k: "a\\\n   b"\n',
    'k: "a \\\n\n   b"\n',
    'k: "a\\tb\\ c"\n',
    'k: "  lead  "\n',
    'k: "a  \n  b"\n',
    'k: "a\n\n\n b"\n',
    'k: "a\t\n\tb"\n',
    "k: 'it''s'\n",
    "k: 'a  \n\n  b  '\n",
    "k: !!str 'a\n  b'\n",
    "k: |\n  line1\n  line2\n",
    "k: |-\n  a\n\n  b\n\n",
    "k: |+\n  a\n\n  b\n\nz: 1\n",
    "k: >\n  a\n  b\n\n  c\n   more\n  d\n",
    "k: >-\n  a\n  b\n",
    "k: >+\n  a\n\n",
    "k: |\n\n  a\n",
    "k: | # a comment\n  x\n    y\n  z\n",
    "k: |\r\n  a\r\n  b\r\n",
    "k: >\n  a\tb\n  \tc\n  d\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_value_is_the_parsers(parser: None, text: str) -> None:
    check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    style=st.sampled_from(['"', "'", "", "|", ">"]),
    pieces=st.lists(st.integers(0, len(DOUBLE) - 1), min_size=1, max_size=12),
)
def test_any_scalar_reads_as_the_parser_reads_it(parser: None, style: str, pieces: list[int]) -> None:
    if style == '"':
        body = '"' + "".join(DOUBLE[i] for i in pieces) + '"'
    elif style == "'":
        body = "'" + "".join(SINGLE[i % len(SINGLE)] for i in pieces) + "'"
    elif style == "":
        body = "x" + "".join(PIECES[i % len(PIECES)] for i in pieces).replace("#", "x").replace(": ", "x")
    else:  # at times with an explicit indentation, as the first line's (hunt 155 F4)
        body = style + ("2" if pieces[0] % 2 else "") + "\n  x" + "".join(PIECES[i % len(PIECES)] for i in pieces)
    check("k: " + body + "\nz: 1\n")


def test_an_escape_is_mapped_whole_and_a_fold_spans_both_lines() -> None:
    text = 'k: "u:S\\x40t\\\n  x"\n'
    _, start, end, style = located(text)
    mapped = value_map(text, start, end, style)
    assert mapped is not None and mapped.value == "u:S@tx"
    assert [text[lo:hi] for lo, hi in text_ranges(mapped, [(3, 4), (2, 6)])] == ["\\x40", "S\\x40t\\\n  x"]


# hunt 155 F4: an explicit indentation counts from the parent's (a key's column, an item's dash)
EXPLICIT = [
    ("k: |2\n   x\n", ("k",)),
    ("k: |2+\n\n   x\n\n", ("k",)),
    ("a:\n  k: |1\n     x\n    y\n", ("a", "k")),
    ("a:\n    k: >2-\n        a\n        b\n\n        c\n", ("a", "k")),
    ("- |2\n   x\n  y\n", (0,)),
    ("- k: >2\n     a\n     b\n", (0, "k")),
    ("- - k: |3-\n         x\n", (0, 0, "k")),
    ("k: !!str |2\n    x\n", ("k",)),
]


@pytest.mark.parametrize(("text", "path"), EXPLICIT)
def test_an_explicit_indentation_reads_as_the_parser_reads_it(
    parser: None, text: str, path: tuple[object, ...]
) -> None:
    value, start, end, style = located(text, path)
    mapped = value_map(text, start, end, style)
    assert mapped is not None and mapped.value == value, (text, mapped)
    check(text, path)


def test_what_it_cannot_read_exactly_is_none() -> None:
    assert value_map("? |2\n   x\n: 1\n", 2, 10, "|") is None  # an explicit indentation under `?`
    assert value_map('"\\q"', 0, 4, '"') is None  # an unknown escape
    assert value_map('"x', 0, 2, '"') is None  # no closing quote
