"""Every kind of YAML syntax error libyaml or ruamel's pure parser raises is one NX001 that says
what is wrong and what to do, at the place to fix, whichever parser read the file."""

from __future__ import annotations

import pytest

from nexlayer_lint import builder
from nexlayer_lint.loader import load
from nexlayer_lint.parse_errors import BACKSLASH_HINT, SECRET_QUOTE_HINT, TAB_HINT, TAG_HINT

DIRECTIVE = (
    'a line starting with "%" is a YAML directive, which Nexlayer files do not need',
    'remove it (and any "---" after it); quote a value that starts with "%"',
)

CASES = [
    # (name, text, (line, col), message, hint): the same from both parsers
    # hunt 78 F1: JSON writes a character past U+FFFF as a surrogate pair, which YAML refuses
    # (libyaml; the pure parser read each half as a character): at the escape's first digit
    (
        "surrogate pair",
        '{"a": "hi \\ud83d\\ude00"}\n',
        (1, 13),
        '"\\ud83d\\ude00" is a UTF-16 surrogate pair, as JSON writes U+1F600; '
        "YAML reads each half alone, and refuses it",
        'write the character itself, or as one escape: "\\U0001F600"',
    ),
    (
        "surrogate pair in a secret",
        'a:\n  DB_PASSWORD: "x\\ud83d\\ude00"\n',
        (2, 20),
        "an escape in a double-quoted value names no Unicode character",
        'write the character itself, or as one escape of 8 hexadecimal digits, such as "\\U0001F600"',
    ),
    (
        "escape past U+10FFFF",
        'a: "\\U00110000"\n',
        (1, 7),
        'the escape "\\U00110000" is past U+10FFFF, the last Unicode character',
        'write the character itself, or as one escape of 8 hexadecimal digits, such as "\\U0001F600"',
    ),
    (
        "at sign",
        "a:\n  NOTE: @value\n",
        (2, 9),
        'a plain value cannot start with "@", which YAML reserves',
        'quote the value: NOTE: "@value"',
    ),
    # a secret's value is never quoted (KEY is a secret name: secrets.py), as its code frame masks it
    (
        "at sign in a secret",
        "a:\n  KEY: @value\n",
        (2, 8),
        'a plain value cannot start with "@", which YAML reserves',
        SECRET_QUOTE_HINT,
    ),
    (
        "backtick in a URL's password",
        "a:\n  url: `postgres://u:pw@db/x`\n",
        (2, 8),
        'a plain value cannot start with "`", which YAML reserves',
        SECRET_QUOTE_HINT,
    ),
    (
        "alias as a secret",
        "a:\n  DB_PASSWORD: *pw\n",
        (2, 16),
        'a secret value starting with "*" is read as an alias, which refers to no anchor',
        'quote the value, as "*" is meant as text',
    ),
    (
        "backtick",
        "a:\n  - `ls`\n",
        (2, 5),
        'a plain value cannot start with "`", which YAML reserves',
        'quote the value: - "`ls`"',
    ),
    (
        "at sign in a key",
        "@a: 1\n",
        (1, 1),
        'a plain value cannot start with "@", which YAML reserves',
        'quote the value: "@a": 1',
    ),
    (
        "percent",
        "a: %x\n",
        (1, 4),
        'a plain value cannot start with "%", which starts a YAML directive',
        'quote the value: a: "%x"',
    ),
    ("tab", "a:\n\tb: 1\n", (2, 1), "a tab character where YAML expects indentation or a value", TAB_HINT),
    (
        "block scalar in flow",
        "a: [|]\n",
        (1, 5),
        '"|" (a block of text) cannot be used inside [ ] or { }',
        'quote the value, or write the list as "- " lines below its key',
    ),
    (
        "unclosed quote",
        'a: "abc\nb: 1\n',
        (1, 4),
        "a quoted value opened on line 1 is never closed",
        "add the closing quote",
    ),
    (
        "unclosed bracket",
        "a: [1, 2\nb: 3\n",
        (1, 4),
        "the `[` opened on line 1 is not closed properly",
        "close it, and separate its items with commas",
    ),
    (
        "bad indentation",
        "a:\n  b: 1\n c: 2\n",
        (3, 2),
        "this line's indentation does not match the lines above",
        "indent it with exactly as many spaces as the keys it belongs with",
    ),
    (
        "list item in a mapping",
        "a:\n  b: 1\n  - c\n",
        (3, 3),
        'a list item ("- ") where a "key: value" line was expected',
        "the lines above are a mapping: indent the item under the key it belongs to",
    ),
    (
        "key in a list",
        "a:\n  - 1\n  b: 2\n",
        (3, 3),
        'a "key: value" line where a list item ("- ") was expected',
        'the lines above are a list: start this line with "- ", or indent it less to end the list',
    ),
    (
        "second colon",
        "a: b: c\n",
        (1, 5),
        '": " inside an unquoted value starts a second key on the line',
        'quote the value that contains ": ", e.g. command: "echo a: b"',
    ),
    (
        "line without colon",
        "a:\n  b\n  c: 1\n",
        (3, 4),
        'line 2 has no ":", so YAML reads it and this line as one key',
        'give line 2 a ":" (key: value), or remove it',
    ),
    (
        "text after a quote",
        'a: "x" y\n',
        (1, 8),
        "text after the closing quote of a quoted value",
        "put the whole value inside the quotes",
    ),
    (  # hunt 151 F4: it was "this line's indentation does not match the lines above"
        "text after a bracket",
        "a:\n  b: [80]]\n",
        (2, 10),
        'text after the "]" that closes a list or mapping written in brackets',
        "remove it, or put it inside the brackets",
    ),
    (
        "hex escape",
        'a: "\\xZZ"\n',
        (1, 7),
        "the escape \\x, \\u or \\U in a double-quoted value needs 2, 4 or 8 hexadecimal digits",
        BACKSLASH_HINT,
    ),
    (
        "undefined alias",
        "a: *x\n",
        (1, 4),
        'alias "*x" refers to no anchor "&x" above it',
        'define &x on a value above, or quote the value if "*" is meant as text',
    ),
    (
        "empty anchor",
        "a: &\n",
        (1, 5),
        '"&" or "*" starts an anchor or an alias, and needs a name after it',
        'quote the value if "&" or "*" is meant as text',
    ),
    ("unknown tag", "a: !x!y 1\n", (1, 4), 'a YAML tag ("!...") that is unknown or not closed', TAG_HINT),
    (
        "block scalar header",
        "a: |0\n  x\n",
        (1, 5),
        'after "|" or ">" only "+" or "-", an indentation digit from 1 to 9 and a comment may follow on the line',
        "put the text on the lines below, indented",
    ),
    ("two yaml directives", "%YAML 1.2\n%YAML 1.2\n---\na: 1\n", (2, 1), *DIRECTIVE),
    ("directive without ---", "%YAML 1.2\na: 1\n", (2, 1), *DIRECTIVE),
    (
        "text after ...",
        "a: 1\n... x\n",
        (2, 5),
        'text after the document end marker "..."',
        'remove the text, or the "..." line',
    ),
    (
        "--- inside quotes",
        'a: "x\n---\n"\n',
        (2, 1),
        'a line starting with "---" or "..." inside a quoted value ends the document',
        "indent that line, or write the value on one line",
    ),
    ("stray brace", "a: }\n", (1, 4), '"}" closes nothing here', "remove it, or quote the value it belongs to"),
    (
        "list item after a key",
        "a: - 1\n",
        (1, 4),
        'a list item ("- ") cannot start on the line of its key',
        'put each "- " item on its own line below the key, indented',
    ),
    (
        "list item in brackets",
        "a:\n  pods: [\n    - name: web\n",
        (3, 5),
        'a "- " list item inside [ ] or { }',
        'inside brackets items are separated by commas; or remove the "[" and write the "- " lines alone',
    ),
    (
        "long key",
        "a" * 1100 + ": 1\n",
        (1, 1101),
        "a key is at most 1,024 characters long in YAML, quoted or not",
        "shorten it, or write it as an explicit key: `? ` and the key on one line, `: ` and the value on the next",
    ),
    (  # hunt 86 F2: quoting, which the hint said, does not help
        "long quoted key",
        '"' + "a" * 1100 + '": 1\n',
        (1, 1103),
        "a key is at most 1,024 characters long in YAML, quoted or not",
        "shorten it, or write it as an explicit key: `? ` and the key on one line, `: ` and the value on the next",
    ),
    (  # hunt 88 F7: a `: ` inside the long key's quotes starts nothing
        "long quoted key with a colon",
        '"a: b ' + "k" * 1100 + '": 1\n',
        (1, 1108),
        "a key is at most 1,024 characters long in YAML, quoted or not",
        "shorten it, or write it as an explicit key: `? ` and the key on one line, `: ` and the value on the next",
    ),
    (  # hunt 91 F2: a short quoted key, a blank before its colon, and ": " in its value
        "colon in a long value after a quoted key",
        '"command" : echo ' + "x" * 1020 + ": b\n",
        (1, 1038),
        '": " inside an unquoted value starts a second key on the line',
        'quote the value that contains ": ", e.g. command: "echo a: b"',
    ),
    (  # hunt 86 F2: a short key, and ": " in its value past column 1,024
        "colon in a long value",
        "command: echo " + "x" * 1020 + ": b\n",
        (1, 1035),
        '": " inside an unquoted value starts a second key on the line',
        'quote the value that contains ": ", e.g. command: "echo a: b"',
    ),
]


def _nx001(text: str) -> tuple:
    doc, problems = load(text, "nexlayer.yaml")
    assert doc is None and [p.code for p in problems] == ["NX001"], problems
    (problem,) = problems
    return (problem.span.line, problem.span.col), problem.message, problem.hint


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
@pytest.mark.parametrize(("name", "text", "at", "message", "hint"), CASES, ids=[case[0] for case in CASES])
def test_each_syntax_error_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, pure: bool, name: str, text: str, at: tuple, message: str, hint: str
) -> None:
    if pure:
        monkeypatch.setattr(builder, "CParser", None)
    elif builder.CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed")
    assert _nx001(text) == (at, message, hint)


def test_a_tab_starting_a_block_scalar_is_told_how_to_keep_it() -> None:
    # hunt 139 F1: libyaml (as Go's yaml.v3) refuses what YAML reads as text, and ruamel's pure
    # parser reads so; the hint was to indent with spaces, which the line already did
    if builder.CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed: the pure parser reads the tab as text")
    told = (
        "a tab character in the indentation of a `|` or `>` text",
        "indent the text with spaces; to start its first line with a tab, write the indentation after the `|` or "
        "`>` (`|2`: two spaces more than the key) and put the tab after those spaces",
    )
    assert _nx001("k: |\n  \tmake\n") == ((2, 3), *told)
    assert _nx001("k: |\n  first\n\tsecond\n") == ((3, 1), *told)  # hunt 142 F5: any line, not the first only
    doc, problems = load("k: |2\n  \tmake\n", "nexlayer.yaml")
    assert problems == [] and doc is not None and doc.data == {"k": "\tmake\n"}


@pytest.mark.parametrize(
    ("text", "at", "message", "hint"),
    [
        # worded alike, placed where each parser stops
        ('a: "\\q"\n', {(1, 5), (1, 6)}, 'unknown escape "\\q" in a double-quoted value', BACKSLASH_HINT),
        # libyaml 0.1.7 refuses any ":" in a plain value inside brackets; the loader, as YAML 1.2
        # and later libyaml, only one before the collection's `,`, `]` or `}` (hunt 28 F1)
        (
            "a: [{name: web, image: python:}]\n",
            {(1, 30)},
            '":" inside an unquoted value in [ ] or { } is not allowed',
            'quote the value: "python:"',
        ),
        # ... and a secret's escape or value is not quoted
        (
            'a:\n  DB_PASSWORD: "p\\qw"\n',
            {(2, 18), (2, 19)},
            "an unknown escape in a double-quoted secret value",
            BACKSLASH_HINT,
        ),
        (
            "a:\n  vars: {DB_PASSWORD: pw:}\n",
            {(2, 25)},
            '":" inside an unquoted value in [ ] or { } is not allowed',
            "quote the values inside the brackets",
        ),
        ("a:\n  b: 1\n\t c: 2\n", {(3, 1)}, None, TAB_HINT),
    ],
)
def test_libyaml_only_wordings(text: str, at: set, message: str | None, hint: str) -> None:
    if builder.CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed")
    got_at, got_message, got_hint = _nx001(text)
    assert got_at in at and got_hint == hint
    assert message is None or got_message == message


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: [nginx:1.27, python:3.12-slim]\n", {"a": ["nginx:1.27", "python:3.12-slim"]}),
        ("a: {URL: http://web.pod:80, B: x}\n", {"a": {"URL": "http://web.pod:80", "B": "x"}}),
        ("a: [{name: web, image: nginx:1.27}]\n", {"a": [{"name": "web", "image": "nginx:1.27"}]}),
        ("a: {DB:pw:x}\n", {"a": {"DB:pw:x": None}}),  # one key: no blank after its colons
        ("a: {b:: c}\n", {"a": {"b:": "c"}}),
        ("a: [x:\n  , y]\n", {"a": [{"x": None}, "y"]}),
    ],
)
@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_a_colon_inside_a_flow_value_is_text(
    monkeypatch: pytest.MonkeyPatch, pure: bool, text: str, data: dict
) -> None:
    """hunt 28 F1: YAML 1.2 and libyaml 0.2.1+ read these; ruamel.yaml.clib's libyaml 0.1.7 did
    not, and the verdict depended on whether the C extension was installed."""
    if pure:
        monkeypatch.setattr(builder, "CParser", None)
    doc, problems = load(text, "nexlayer.yaml")
    assert problems == [] and doc is not None and doc.data == data


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("a: [a::]\n", (1, 7)),
        ("a: {b: c:}\n", (1, 9)),
        ("a: [x:, y]\n", (1, 6)),
        ("a: {k: http://x:80, w:: x:}\n", (1, 26)),  # after a colon the C parser refused first
        ("a: [b\n  c:]\n", (2, 4)),
    ],
)
@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_a_colon_before_a_flow_indicator_is_refused(
    monkeypatch: pytest.MonkeyPatch, pure: bool, text: str, at: tuple[int, int]
) -> None:
    # YAML 1.2: a ":" in a plain value must be followed by a character a plain value may hold
    if pure:
        monkeypatch.setattr(builder, "CParser", None)
    assert _nx001(text)[:2] == (at, '":" inside an unquoted value in [ ] or { } is not allowed')


def test_an_unknown_wording_still_gets_a_hint() -> None:
    from ruamel.yaml.error import MarkedYAMLError, StreamMark

    from nexlayer_lint.parse_errors import GENERIC_HINT, problem_for

    error = MarkedYAMLError("while doing something new", None, "found something new", StreamMark("x", 0, 0, 0))
    problem = problem_for(error, "a: 1\n")
    assert (problem.message, problem.hint) == ("found something new (while doing something new)", GENERIC_HINT)


FLOW_URL = (
    "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    "      servicePorts: [80]\n      vars: {URL: %s}\n"
)


@pytest.mark.parametrize(
    ("tail", "at"),
    [
        ("    - name: db\n      image: &pg.image postgres:16.4\n", (10, 17)),  # libyaml's anchor names
        ('      labels: {x: "\\ud800"}\n', (9, 22)),  # a lone surrogate's escape
        ("...\nfoo: bar\n", (10, 1)),  # text after the document's end
    ],
)
def test_a_text_colon_in_flow_leaves_every_other_refusal_to_libyaml(tail: str, at: tuple[int, int]) -> None:
    """hunt 29 F2: a file re-read whole by ruamel's pure parser passed where libyaml refuses it
    for another reason after the colon; the same file with the value quoted did not."""
    if builder.CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed")
    quoted = _nx001(FLOW_URL % '"http://web.pod:80"' + tail)
    assert _nx001(FLOW_URL % "http://web.pod:80" + tail) == quoted and quoted[0] == at


def test_a_text_colon_in_flow_keeps_libyaml_s_lines_and_masks() -> None:
    """hunt 29 F3, F4: ruamel's pure parser counts no U+2028 as a line break, so after one every
    finding was a line off in a file re-read for a text colon, and a password's mask landed on
    the line above it (the next finding's frame printed the password)."""
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter
    from tests.conftest import lint_diags

    tail = (
        "    - name: db\n      image: postgres:16.4\n      servicePorts: [5432]\n      vars:\n"
        '        NOTE: "one\u2028two"\n        DEBUG: yes\n'
        "        POSTGRES_PASSWORD: Hunter2Secret99\n        MODE: on\n"
    )
    colon, quoted = FLOW_URL % "http://web.pod:80" + tail, FLOW_URL % '"http://web.pod:80"' + tail
    found = [(d.code, d.line, d.col) for d in lint_diags(colon)]
    assert found == [(d.code, d.line, d.col) for d in lint_diags(quoted)]
    assert ("NX005", 15, 16) in found and ("NX005", 17, 15) in found
    result = Linter(Settings()).lint(colon, "nexlayer.yaml")
    assert result.masked_text is not None and "Hunter2Secret99" not in result.masked_text
    assert "POSTGRES_PASSWORD: ***************\n" in result.masked_text


@pytest.mark.parametrize("text", ["a: {A: &a ?x}\n", "a: {B: !!str ?y}\n", "a: [*x ?]\n", 'a: ["q"?]\n'])
def test_a_question_mark_after_an_anchor_tag_alias_or_quote_is_refused(text: str) -> None:
    # hunt 32 F2: libyaml 0.2 refuses these too; only a "?" after a plain value's text is text
    assert _nx001(text)


def test_text_colons_in_flow_are_read_again_a_bounded_number_of_times() -> None:
    # each costs a parse up to it: past 1,000 the file is refused, saying why (no quadratic parse)
    many = "a: [" + ", ".join(f"h{i}:x?y" for i in range(501)) + "]\n"
    (line, _), message, hint = _nx001(many)
    assert line == 1
    assert message == (
        'more than 1000 unquoted values in [ ] or { } hold a ":" or "?", which this file\'s parser reads one at a time'
    )
    assert hint == "quote those values, or write the collection as block lines"
    doc, problems = load(many.replace(", h500:x?y", ""), "nexlayer.yaml")
    assert problems == [] and doc is not None and doc.data["a"][499] == "h499:x?y"


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("a: {DOCS: https://x/search?q=1&b=2?c}\n", {"a": {"DOCS": "https://x/search?q=1&b=2?c"}}),
        ("a: [x?y, x ?y, x?]\n", {"a": ["x?y", "x ?y", "x?"]}),
        ("a: [a, ?c]\n", {"a": ["a", {"c": None}]}),  # a key's `?`
        ("a: {DOCS: http://x.pod/search\n  ?q=1}\n", {"a": {"DOCS": "http://x.pod/search ?q=1"}}),  # hunt 32 F1
        ("\ufeff\ufeffa: [x:y]\n", {"a": ["x:y"]}),  # a BOM still first: libyaml's index does not count it (F5)
        ('a: {b: "\\ue000", c: http://x:80}\n', {"a": {"b": "\ue000", "c": "http://x:80"}}),  # an escape is its own
    ],
)
def test_a_question_mark_inside_a_flow_value_is_text(text: str, data: dict) -> None:
    """hunt 30 F1, F2: libyaml 0.1.7 ends a value in [ ] or { } at a "?"; libyaml 0.2 reads it
    as text, as in a URL's query; a stand-in character is put back in plain values only."""
    doc, problems = load(text, "nexlayer.yaml")
    assert problems == [] and doc is not None and doc.data == data


def test_only_a_file_that_is_not_yaml_imports_the_wording() -> None:
    # start-up: a clean run never needs parse_errors (its regular expressions and tables)
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nexlayer_lint.loader import load\n"
        "load('a: 1\\n', 'x.yaml')\n"
        "print('nexlayer_lint.parse_errors' in sys.modules)\n"
        "print(load('a: [\\n', 'x.yaml')[1][0].code, 'nexlayer_lint.parse_errors' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["False", "NX001 True"], out.stderr
