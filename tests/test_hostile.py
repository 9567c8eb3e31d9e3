"""Hostile input: bounded time and memory, diagnostics instead of tracebacks, contained internal errors.

The costly cases run in a subprocess with a timeout (the hang guard) and report their own peak RSS
(`resource.getrusage`), so an alias bomb that got expanded would be killed, not hang the suite.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nexlayer_lint import checks, loader
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.cli import main
from nexlayer_lint.engine import lint
from nexlayer_lint.model import Problem, Rule
from tests.conftest import CLEAN, ROOT, lint_codes, lint_diags, slowness

# Peak RSS allowed for any one case, interpreter and libraries included (they take about 40 MiB).
MAX_RSS_MIB = 300

_RUNNER = r"""
import json, resource, sys, time
from nexlayer_lint.engine import lint


def peak_rss_mib():
    # Linux's ru_maxrss keeps the peak of the process before exec (here: pytest, forked), so a
    # big test session would count against this one; VmHWM is this program's own peak.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


source = SOURCE
start = time.perf_counter()
result = lint(source, "nexlayer.yaml")
seconds = time.perf_counter() - start
print(json.dumps({
    "diags": [[d.code, d.line, d.col, d.message] for d in result.diagnostics[:20]],
    "count": len(result.diagnostics),
    "error": result.error,
    "seconds": seconds,
    "rss_mib": peak_rss_mib(),
}))
"""


def run_isolated(source_expr: str, timeout: float) -> dict[str, Any]:
    """Lint the text `source_expr` builds, in a fresh interpreter killed after `timeout` seconds."""
    script = _RUNNER.replace("SOURCE", source_expr)
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"linting {source_expr[:60]!r} did not finish in {timeout} s")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    # Printed with -s; the numbers are the point of these tests, the timeout is their bound.
    print(f"{source_expr[:50]!r}: {report['seconds']:.2f} s, peak RSS {report['rss_mib']:.0f} MiB")
    assert report["rss_mib"] < MAX_RSS_MIB, report
    assert report["error"] is None, report["error"]
    return report


# -- bounded work --------------------------------------------------------------------------------

# Nine levels of ten aliases each: 10**9 nodes if anything expanded it.
ALIAS_BOMB = (
    "'a: &a [x, x, x, x, x, x, x, x, x, x]\\n' + ''.join("
    "f'{chr(98 + i)}: &{chr(98 + i)} [' + ', '.join([f\"*{chr(97 + i)}\"] * 10) + ']\\n' for i in range(9))"
)


def test_alias_bomb_is_nx001_without_expansion() -> None:
    report = run_isolated(ALIAS_BOMB, timeout=30)
    code, line, _col, message = report["diags"][0]
    assert (code, line) == ("NX001", 5)  # the first node that passes the limit: `e`, 10**5 nodes
    assert message == ('aliases expand to more than 100,000 extra nodes (a "billion laughs" alias bomb?); not expanded')
    assert report["count"] == 1


def test_alias_bomb_inside_a_real_file_is_nx001() -> None:
    # The bomb sits under a var, where a schema walk or a check would expand it if the loader did not stop it.
    expr = (
        f"{CLEAN!r} + '      vars:\\n        X: &a [x, x, x, x, x, x, x, x, x, x]\\n' + ''.join("
        "f'        Y{i}: &b{i} [' + ', '.join([f\"*{'a' if i == 0 else f'b{i - 1}'}\"] * 10) + ']\\n' "
        "for i in range(9))"
    )
    report = run_isolated(expr, timeout=30)
    assert [d[0] for d in report["diags"]] == ["NX001"]
    assert "alias bomb" in report["diags"][0][3]


@pytest.mark.parametrize(
    "expr, line",
    [
        pytest.param("'a: ' + '[' * 100_000 + ']' * 100_000", 1, id="flow-100000-deep"),
        pytest.param("''.join('  ' * i + f'k{i}:\\n' for i in range(2000))", 501, id="block-mappings-2000-deep"),
        pytest.param("''.join('  ' * i + '-\\n' for i in range(2000))", 501, id="block-sequences-2000-deep"),
        pytest.param("'a: ' + '{b: ' * 5000 + '1' + '}' * 5000", 1, id="flow-mappings-5000-deep"),
        # hunt 20: a key was read to its end with no limit, in quadratic time (100 kB took 17 s)
        pytest.param("'{' * 100_000", 1, id="flow-key-100000-deep"),
        pytest.param("'? [' * 40_000", 1, id="explicit-flow-key-40000-deep"),
    ],
)
def test_deep_nesting_is_nx001_not_recursion_error(expr: str, line: int) -> None:
    report = run_isolated(expr, timeout=10)
    assert len(report["diags"]) == 1
    code, got_line, _, message = report["diags"][0]
    assert (code, got_line, message) == ("NX001", line, "nesting is deeper than 500 levels; not parsed")


def test_a_repeated_port_after_many_is_found_in_linear_time() -> None:
    # the repeated item was looked for by comparing each pair: 20,000 ports took 19 s; 200,000
    # would take half an hour, and the subprocess gives it 60 s
    ports = "', '.join(str(1000 + i % 60_000) for i in range(200_000))"
    report = run_isolated(f"{CLEAN!r}.replace('servicePorts: [80]', 'servicePorts: [' + {ports} + ']')", timeout=60)
    [(code, line, _col, message)] = report["diags"]
    assert (code, line) == ("NX104", 7)
    assert message == '"servicePorts" of pod "web" must not list the same port twice (1000 is repeated)'


def test_a_list_no_sort_can_order_is_checked_for_repeats_in_linear_time() -> None:
    # jsonschema's uniqueItems compares each pair of items it cannot sort: 10,000 servicePorts
    # mixing lists and strings took 21 s; 40,000 ports and two lists would take minutes (the
    # subprocess gives it 60 s)
    ports = "', '.join(str(1000 + i) for i in range(40_000))"
    text = f"{CLEAN!r}.replace('servicePorts: [80]', 'servicePorts: [[1], ' + {ports} + ', [1]]')"
    report = run_isolated(text, timeout=60)
    assert [(d[0], d[3]) for d in report["diags"]] == [
        ("NX103", 'expected an integer in "servicePorts" of pod "web", got a list'),
        ("NX103", 'expected an integer in "servicePorts" of pod "web", got a list'),
        ("NX104", '"servicePorts" of pod "web" must not list the same port twice (a list is repeated)'),
    ]


def test_many_values_nested_deep_are_nx001_in_bounded_memory() -> None:
    # hunt 30 F7: each value keeps its whole path, so 100,000 values 499 levels deep (300 kB)
    # held 870 MB of paths; past 2,000,000 path parts below level 32 the file is refused
    report = run_isolated("'a: ' + '[' * 499 + 'x, ' * 100_000 + 'x' + ']' * 499 + '\\n'", timeout=60)
    code, line, _col, message = report["diags"][0]
    assert (code, line, message) == ("NX001", 1, "too many values nested more than 32 levels deep; not parsed")
    assert report["count"] == 1


def test_nesting_just_under_the_limit_is_parsed() -> None:
    text = "x: " + "[" * 400 + "]" * 400 + "\n"
    assert ("NX001", 1, 1) not in lint_codes(text)
    assert all(code != "NX001" for code, _, _ in lint_codes(text))


def test_huge_file_is_nx001_without_parsing() -> None:
    # 11 MiB of YAML that would take long to parse: refused on its size alone.
    report = run_isolated("'application:\\n' + ''.join(f'  k{i}: [1, 2, 3]\\n' for i in range(700_000))", timeout=60)
    assert report["count"] == 1
    code, line, col, message = report["diags"][0]
    assert (code, line, col) == ("NX001", 1, 1)
    assert message == "file is larger than the limit of 10,485,760 bytes; not parsed"


def test_max_file_size_setting_is_the_limit() -> None:
    diags = lint_diags(CLEAN, max_file_size=50)
    assert [(d.code, d.line, d.col) for d in diags] == [("NX001", 1, 1)]
    assert diags[0].message == "file is larger than the limit of 50 bytes; not parsed"


def test_two_megabyte_scalar() -> None:
    expr = f"{CLEAN!r}.replace('name: shop', 'name: ' + 'x' * 2_000_000)"
    report = run_isolated(expr, timeout=60)
    code, line, col, message = report["diags"][0]
    assert (code, line, col) == ("NX104", 2, 9)
    assert len(message) < 300  # the value is shortened in the message, not printed whole


@pytest.mark.slow
def test_fifty_thousand_keys_in_vars() -> None:
    expr = f"{CLEAN!r} + '      vars:\\n' + ''.join(f'        K{{i}}: v{{i}}\\n' for i in range(50_000))"
    report = run_isolated(expr, timeout=180)
    assert report["count"] == 0, report["diags"]


@pytest.mark.slow
def test_fifty_thousand_unknown_keys() -> None:
    # Every key is a finding: the cost per finding must stay small.
    report = run_isolated("''.join(f'k{i}: v\\n' for i in range(50_000))", timeout=240)
    assert report["count"] == 50_001
    assert report["diags"][0][:3] == ["NX101", 1, 1]
    assert report["diags"][1] == ["NX102", 1, 1, 'unknown key "k0" at the top level']


@pytest.mark.slow
def test_many_secret_values_mask_in_bounded_time() -> None:
    # Masking searches the text for each secret value; ten thousand of them must not be quadratic.
    expr = (
        f"{CLEAN!r} + '      vars:\\n' + "
        "''.join(f'        K{i}_PASSWORD: s3cret-{i:05d}-value\\n' for i in range(10_000))"
    )
    report = run_isolated(expr, timeout=120)
    assert {d[0] for d in report["diags"]} == {"NX213"}  # a literal secret in vars


# -- every input ends in diagnostics -------------------------------------------------------------


def only(text: str | bytes) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.line, d.col, d.message) for d in lint_diags(text)]


def test_binary_files() -> None:
    elf = b"\x7fELF\x02\x01\x01\x00" + bytes(range(1, 128))
    assert only(elf) == [("NX001", 1, 8, "the file contains a NUL byte; it looks binary, not YAML")]
    # the NUL decides, even after bytes that are not UTF-8: the file is called binary
    assert only(bytes(range(128, 256)) + bytes(range(128))) == [
        ("NX001", 1, 129, "the file contains a NUL byte; it looks binary, not YAML")
    ]
    assert only(bytes(range(128, 256))) == [("NX001", 1, 1, "invalid UTF-8: byte 0x80 cannot start a character here")]


def test_half_of_a_surrogate_pair_in_an_editors_text_is_placed() -> None:
    # hunt 55 F5: the language server's text can hold one (no file can): NX001 at 1:1 named a
    # Python exception, with a hint about quoting
    assert only("application:\n  name: shop\n  note: \u00e9a\ud83db\n") == [
        ("NX001", 3, 11, "the text contains U+D83D, half of a surrogate pair, which is no character")
    ]


def test_png_header_is_called_binary() -> None:
    got = only(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)
    assert got == [("NX001", 3, 1, "the file contains a NUL byte; it looks binary, not YAML")]


def test_nul_byte_position() -> None:
    assert only(b"application:\n  name: a\x00b\n") == [
        ("NX001", 2, 10, "the file contains a NUL byte; it looks binary, not YAML")
    ]


def test_a_forbidden_character_is_placed_after_non_ascii_text_and_at_any_line_break() -> None:
    # hunt 20: libyaml's byte offset was read as a character's index, and only LF ended a line
    control = "the file contains the control character U+001D, which YAML does not allow"
    assert only('application:\n  name: "\u00e9\u00e9\u00e9"\n  x: a\x1db\n'.encode()) == [("NX001", 3, 7, control)]
    crlf = b"application:\r  name: shop\r  pods:\r  - name: web"
    assert only(crlf + b"\x1d\r") == [("NX001", 4, 14, control)]
    assert only(crlf + b"\x00\r") == [("NX001", 4, 14, "the file contains a NUL byte; it looks binary, not YAML")]
    assert only(crlf + b"\xff\r") == [("NX001", 4, 14, "invalid UTF-8: byte 0xff cannot start a character here")]
    assert only("a: b\u2028c: \x1d\n".encode()) == [("NX001", 2, 4, control)]


def test_a_refusal_at_the_end_of_a_file_without_a_final_line_break_ends_within_it() -> None:
    # hunt 20: the span ended on the line after the last one
    (d,) = lint_diags("? ? a")
    assert (d.code, d.line, d.col, d.end_line, d.end_col) == ("NX001", 1, 3, 1, 6)
    (d,) = lint_diags("application:\n  pods: &p\n    - name: *p")
    assert (d.code, d.line, d.col, d.end_line, d.end_col) == ("NX001", 2, 9, 3, 15)
    (d,) = lint_diags("? ? a\n")  # the position after a final line break is the file's end
    assert (d.end_line, d.end_col) == (2, 1)


def test_invalid_utf8_position_and_hint() -> None:
    diags = lint_diags(b"application:\n  name: caf\xe9\n")
    assert [(d.code, d.line, d.col) for d in diags] == [("NX001", 2, 12)]
    assert diags[0].message == "invalid UTF-8: byte 0xe9 cannot start a character here"
    assert diags[0].hint == "nexlayer.yaml must be UTF-8; re-save the file as UTF-8"


@pytest.mark.parametrize(
    "codec, bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
def test_bom_encodings_lint_like_utf8(codec: str, bom: bytes) -> None:
    # UTF-32 is linted as well, and refused first: libyaml and Go's yaml cannot read it (hunt 209 F2)
    refused = [("NX001", 1, 1)] if codec.startswith("utf-32") else []
    broken = CLEAN.replace("servicePorts: [80]", "servicePorts: []")
    assert lint_codes(bom + broken.encode(codec)) == refused + lint_codes(broken) != refused
    assert lint_codes(bom + CLEAN.encode(codec)) == refused


def test_a_utf32_file_is_one_nx001_on_its_first_line() -> None:
    assert only(codecs.BOM_UTF32_LE + CLEAN.encode("utf-32-le")) == [
        ("NX001", 1, 1, "the file is UTF-32, which libyaml and Go's YAML parsers (Nexlayer's tools) cannot read")
    ]


@pytest.mark.parametrize(
    "codec, bom",
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-32-be", codecs.BOM_UTF32_BE), ("utf-8", codecs.BOM_UTF8)],
)
def test_the_frame_of_a_broken_file_in_any_encoding_reads_as_text(codec: str, bom: bytes) -> None:
    # found by fuzzing: the frame of a UTF-16 file that does not parse showed its bytes as UTF-8
    result = lint(bom + "application:\n  name: shop\n   pods: x\n".encode(codec))
    *_, d = result.diagnostics  # (a UTF-32 file's NX001 on its first line before it)
    assert (d.code, d.line, d.col) == ("NX001", 3, 8)
    assert result.masked_text.splitlines()[2] == "   pods: x"


def test_a_bom_is_left_out_of_the_frame_of_text_and_of_bytes_alike() -> None:
    assert lint("\ufeffa: [\n").masked_text == lint(b"\xef\xbb\xbfa: [\n").masked_text == "a: [\n"


def test_utf16_without_bom_is_refused_clearly() -> None:
    got = only(CLEAN.encode("utf-16-le"))
    assert got == [("NX001", 1, 2, "the file contains a NUL byte; it looks binary, not YAML")]


def test_utf8_text_padded_with_nul_bytes_keeps_its_frame() -> None:
    # hunt 123 F10: the NUL bytes' share made it UTF-32, and the frame lost the text
    result = lint(b"application: {name: shop}  " + b"\x00" * 3000)
    (d,) = result.diagnostics
    assert (d.code, d.line, d.col) == ("NX001", 1, 28)
    assert result.masked_text.startswith("application: {name: shop}  \x00")


def test_utf32_whose_nul_bytes_run_four_long_is_still_read_as_utf32() -> None:
    # hunt 124 F1: `x` then U+1F600 makes four NUL bytes in a row, where the guess stopped reading
    token = "ghp_Zq9PartAbcdefghijklmnopqrstuvwxyz0123"
    result = lint(f"x\U0001f600: {{personalAccessToken: {token}}}".encode("utf-32-le"))
    assert token not in result.masked_text and "personalAccessToken: ****" in result.masked_text


def test_truncated_utf16_is_nx001() -> None:
    # at the code unit that could not be read (the text before it has a line), not at 1:1
    got = only(codecs.BOM_UTF16_LE + "a: 1\n".encode("utf-16-le") + b"\x00")
    assert got == [("NX001", 2, 1, "invalid UTF-16 text (truncated data)")]


@pytest.mark.parametrize(
    ("encode", "where"),
    [
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\x00\xd8", (1, 80)),  # a lone half
        (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be") + b"A", (1, 80)),  # truncated
        (lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le") + b"\x00\xd8\x00\x00", (1, 80)),
        (lambda text: text.encode("utf-16-le"), (1, 2)),  # no byte-order mark: a NUL byte
        (lambda text: text.encode("utf-32-be"), (1, 1)),
        # hunt 122 F6: a character above U+00FF among the text (a curly quote, an en dash)
        (lambda text: (text + "  # \u201crotated\u201d \u2013 see wiki").encode("utf-16-le"), (1, 2)),
        (lambda text: (text + "  # \u2013").encode("utf-16-be"), (1, 1)),
        # hunt 123 F3: text mostly of other scripts, astral characters in UTF-32
        (lambda text: (text + "  # \u65e5\u672c\u8a9e\u306e\u30b3\u30e1\u30f3\u30c8" * 9).encode("utf-16-le"), (1, 2)),
        (lambda text: (text + "  # " + "\U0001f511" * 30).encode("utf-32-le"), (1, 2)),
    ],
)
def test_a_utf16_or_utf32_file_that_cannot_be_read_has_its_secrets_starred(
    encode: Callable[[str], bytes], where: tuple[int, int]
) -> None:
    # hunt 120 F1: read as UTF-8, `P\x00W\x00:` had no `key: value` shape, and the frame showed
    # the password between NUL escapes
    text = "registryLogin: {personalAccessToken: ghp_Zq9PartAbcdefghijklmnopqrstuvwxyz0123}"
    result = lint(encode(text))
    (d,) = result.diagnostics
    assert (d.code, d.line, d.col) == ("NX001", *where)
    assert "Zq9Part" not in result.masked_text
    assert result.masked_text.startswith("registryLogin: {personalAccessToken: ****")


def test_tab_indentation() -> None:
    diags = lint_diags("application:\n\tname: shop\n")
    assert [(d.code, d.line, d.col) for d in diags] == [("NX001", 2, 1)]
    assert diags[0].hint == "YAML indentation must use spaces, not tabs"


@pytest.mark.parametrize(
    "text, message",
    [
        ("- a\n- b\n", "expected a mapping for the file, got a list"),
        ("hello\n", 'expected a mapping for the file, got the string "hello"'),
        ("42\n", "expected a mapping for the file, got the number 42"),
    ],
)
def test_root_that_is_not_a_mapping(text: str, message: str) -> None:
    assert only(text) == [("NX103", 1, 1, message)]


@pytest.mark.parametrize("text", ["? {a: 1}\n: x\n", "? [a, b]\n: x\n", "application:\n  ? [x]\n  : y\n"])
def test_complex_keys(text: str) -> None:
    got = only(text)
    assert [(code, message) for code, _, _, message in got] == [
        ("NX001", "a mapping key must be a plain value, not a list or mapping")
    ]


def test_custom_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        f"application: !!python/object/apply:os.system ['touch {marker}']\n"
        f"other: !!python/object/new:builtins.open ['{marker}', 'w']\n"
        "third: !custom {a: 1}\n"
    )
    codes = lint_codes(text)
    assert not marker.exists()
    assert ("NX103", 1, 14) in codes  # judged as the plain list it is written as


def test_document_marker_only() -> None:
    for text in ("---\n", "---\n...\n", "", "\n\n", "# only a comment\n"):
        assert only(text) == [("NX004", 1, 1, "the file has no content: it is empty, only comments, or null")]


@pytest.mark.parametrize(
    "text",
    [
        "a: \x07\n",
        "a: \x1b[31m\n",
        "a: \ud800\n",
        "%YAML 9.9\n---\na: 1\n",
        "a: *undefined\n",
        "&a a: *a\n",
        "a: &a [*a]\n",
        "a: 1\rb: 2\r",
        "a: 1\u2028b: 2\u2029c: 3\x85\n",
        "[" * 300,
        "a: !<tag:yaml.org,2002:int> x\n",
        "a: !!binary 'not base64'\n",
        "<<: 1\n",
        "? |\n  x\n: y\n",
    ],
)
def test_odd_yaml_gives_diagnostics(text: str) -> None:
    result = lint(text)
    assert result.error is None
    for d in result.diagnostics:
        assert d.line >= 1 and d.col >= 1


def test_control_character_is_nx001_at_its_position() -> None:
    diags = lint_diags("application:\n  name: a\x07b\n")
    assert [(d.code, d.line, d.col) for d in diags] == [("NX001", 2, 10)]
    assert diags[0].message == "the file contains the control character U+0007, which YAML does not allow"
    assert diags[0].hint == 'remove it, or write it as the escape "\\u0007" inside double quotes'


def test_huge_integer_is_judged_as_a_number() -> None:
    # Python converts at most 4,300 decimal digits (in quadratic time); the loader's stand-in
    # keeps the sign and is beyond every bound a schema can state, so the port is out of range.
    for sign, words in (("", "10^4300 or more"), ("-", "-10^4300 or less")):
        diags = lint_diags(CLEAN.replace("[80]", f"[{sign}{'9' * 5000}]"))
        assert [(d.code, d.line, d.col) for d in diags] == [("NX104", 7, 22)]
        assert diags[0].message == f'port {words} in servicePorts of pod "web" must be between 1 and 65535'


def test_a_command_list_of_many_programs_is_read_in_linear_time() -> None:
    # hunt 73 F2: each string item looked through every run of the list's programs (20,000
    # `sshpass` items: 9.6 s, quadratic; this list would take minutes)
    source = f"{CLEAN!r} + '      command: [' + 'sshpass, ' * 80_000 + 'mysql, -pzqlastpw]\\n'"
    report = run_isolated(source, timeout=30)
    assert [d[0] for d in report["diags"]] == ["NX103", "NX213"]


@pytest.mark.parametrize(
    "command",
    [
        # hunt 200 F1: each printf conversion read its format again from its opening quote (n²)
        pytest.param(
            "'      command: \"printf \\'' + 'machine h.io login u password %s\\\\n' * 20_000"
            " + '\\' ' + ' '.join(f'pw{i}x' for i in range(20_000)) + ' > ~/.netrc\"\\n'",
            id="printf-netrc-20000-entries",
        ),
        # hunt 200 F2: whether the text held a here-string was asked again for each command
        pytest.param(
            "'      command: \"' + 'a;' * 200_000 + 'docker login --password-stdin <<< pw\"\\n'", id="here-string-last"
        ),
        # hunt 200 F3: each item after a long `mysql ...` item was read with all of it
        pytest.param(
            "'      command:\\n        - \"mysql' + ' x' * 10_000 + '\"\\n'"
            " + ''.join(f'        - -pS3cr{i}\\n' for i in range(10_000))",
            id="items-after-a-long-program-item",
        ),
        # hunt 217 F1: a var's value was searched for pod references again for each secret in it
        pytest.param(
            "'      vars:\\n        DB_OPTS: \"'"
            " + ''.join(f'pw=Zq9x{i:05d}k;${{auth-service:8080}};' for i in range(8_000)) + '\"\\n'",
            id="secrets-and-pod-references-in-one-var",
        ),
        # hunt 218 F1: each secret of a var's value was compared with each of its pod references
        pytest.param(
            "'      vars:\\n        X: \"'"
            " + ''.join(f'${{web:{i}}}${{PW{i}_PASSWORD:-Zq9Kf{i}Lm}}' for i in range(40_000)) + '\"\\n'",
            id="secrets-between-references-to-a-pod-of-the-file",
        ),
        # hunt 235 F3: a quote inside a quoted `-H` word was read as opening a value to the text's
        # end, from each such word again
        pytest.param(
            "'      command: \\'curl ' + '\"-HAccept:\\'\\'a\" ' * 40_000 + '-H \"X-Api-Key: Zq9r1abc\"\\'\\n'",
            id="quoted-header-options-holding-a-quote",
        ),
    ],
)
def test_commands_that_repeat_a_secret_reader_s_shape_are_read_in_linear_time(command: str) -> None:
    # a hang guard: linear work takes a few seconds here, the quadratic work these were minutes or hours
    report = run_isolated(f"{CLEAN!r} + {command}", timeout=60)
    assert "NX213" in [d[0] for d in report["diags"]]


def test_a_reply_quoting_many_secrets_is_scrubbed_in_linear_time() -> None:
    # hunt 208 F2: each value found in the reply with its echoes starred was mapped back through
    # every echo before it (440 KB: 54 s; linear, well under a second)
    script = (
        "from nexlayer_lint.secrets import values_scrubber\n"
        "scrub = values_scrubber({'Zq9Kf83LmPq72Xs', 'admin'})\n"
        "assert scrub('Zq9Kf83LmPq72Xs admin ' * 20_000) == '**** **** ' * 20_000\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("scrubbing a reply of 40,000 quoted secrets did not finish in 30 s")
    assert done.returncode == 0, done.stderr


def test_ten_megabyte_integer_loads_in_linear_time() -> None:
    # a quadratic conversion would take hours; the value's leading zeros are an NX005
    report = run_isolated("'a: -' + '0' * 100 + '7' * (10 * 1024 * 1024 - 200) + '\\n'", timeout=30)
    assert [d[0] for d in report["diags"]] == ["NX101", "NX102", "NX005"]


# -- files on disk: the CLI ---------------------------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "nexlayer.yaml").write_text(CLEAN.replace("name: shop", "name: ab"), encoding="utf-8")
    return tmp_path


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", "--no-show-source", *args], catch_exceptions=False)


def test_directory_named_like_the_file_is_searched_not_read(project: Path) -> None:
    (project / "b" / "nexlayer.yaml").mkdir(parents=True)
    result = cli("b/nexlayer.yaml", "a/nexlayer.yaml")
    assert result.exit_code == 1
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "missing.yaml: no such file"),
        (lambda p: (p / "missing.yaml").symlink_to(p / "nowhere"), "missing.yaml: no such file"),
        (
            lambda p: ((p / "loop").symlink_to(p / "missing.yaml"), (p / "missing.yaml").symlink_to(p / "loop")),
            "missing.yaml: cannot read: Too many levels of symbolic links",
        ),
    ],
)
def test_unreadable_path_exit_2_and_others_still_linted(project: Path, make: Any, message: str) -> None:
    make(project)
    result = cli("missing.yaml", "a/nexlayer.yaml")
    assert result.exit_code == 2
    assert f"nexlayer-lint: {message}" in result.stderr
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout


def test_path_through_a_file_exit_2(project: Path) -> None:
    result = cli("a/nexlayer.yaml/nexlayer.yaml", "a/nexlayer.yaml")
    assert result.exit_code == 2
    assert "nexlayer-lint: a/nexlayer.yaml/nexlayer.yaml: cannot read: Not a directory" in result.stderr
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout


def _failing_open(monkeypatch: pytest.MonkeyPatch, victim: str, exc: OSError) -> None:
    real_open = os.open

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(victim):
            raise exc
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def test_permission_denied_exit_2_and_others_still_linted(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which chmod cannot lock out: the refusal is simulated at open().
    (project / "c").mkdir()
    (project / "c" / "nexlayer.yaml").write_text(CLEAN, encoding="utf-8")
    _failing_open(monkeypatch, os.path.join("c", "nexlayer.yaml"), PermissionError(13, "Permission denied"))
    result = cli()
    assert result.exit_code == 2
    assert "nexlayer-lint: c/nexlayer.yaml: permission denied" in result.stderr
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout
    assert "Traceback" not in result.output


def test_file_that_disappears_after_discovery(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "c").mkdir()
    (project / "c" / "nexlayer.yaml").write_text(CLEAN, encoding="utf-8")
    _failing_open(monkeypatch, os.path.join("c", "nexlayer.yaml"), FileNotFoundError(2, "No such file or directory"))
    result = cli()
    assert result.exit_code == 2
    assert "nexlayer-lint: c/nexlayer.yaml: no such file" in result.stderr
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout


def test_read_error_midway_exit_2(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The file opens, then the read fails (a network file system going away, a bad disk).
    real_open, real_read = os.open, os.read
    vanishing: set[int] = set()

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> int:
        fd = real_open(file, *args, **kwargs)
        if str(file).endswith("a/nexlayer.yaml"):
            vanishing.add(fd)
        return fd

    def fake_read(fd: int, size: int) -> bytes:
        if fd in vanishing:
            vanishing.discard(fd)  # the number is free again once the reader closes it
            raise OSError(5, "Input/output error")
        return real_read(fd, size)

    (project / "c").mkdir()
    (project / "c" / "nexlayer.yaml").write_text(CLEAN.replace("name: shop", "name: cd"), encoding="utf-8")
    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "read", fake_read)
    result = cli()
    assert result.exit_code == 2
    assert "nexlayer-lint: a/nexlayer.yaml: cannot read: Input/output error" in result.stderr
    assert "c/nexlayer.yaml:2:9: error NX104" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_fifo_without_writer_does_not_hang(tmp_path: Path) -> None:
    # A named pipe nobody writes to blocks open() forever unless the reader refuses to wait.
    (tmp_path / "nexlayer.yaml").write_text(CLEAN.replace("name: shop", "name: ab"), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "nexlayer_lint", "check", "--no-show-source", "pipe.yaml", "nexlayer.yaml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("linting a named pipe with no writer hung")
    assert "nexlayer.yaml:2:9: error NX104" in done.stdout
    assert "pipe.yaml:1:1: error NX004" in done.stdout
    assert done.returncode == 1


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="needs bash for process substitution")
def test_pipe_with_a_slow_writer_is_read_in_full(tmp_path: Path) -> None:
    # `nexlayer-lint <(...)`: the open must not wait, but the read must wait for the writer.
    (tmp_path / "source.yaml").write_text(CLEAN.replace("name: shop", "name: ab"), encoding="utf-8")
    command = f"{sys.executable} -m nexlayer_lint check --no-show-source <(sleep 1; cat source.yaml)"
    done = subprocess.run(["/bin/bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert ':2:9: error NX104 application name "ab" must be at least 3 characters long' in done.stdout


@pytest.mark.parametrize("size", ["1099511627777", "9223372036854775807", "99999999999999999999"])
def test_a_max_file_size_past_its_cap_is_a_usage_error(project: Path, size: str) -> None:
    # the hostile-input hunt: a huge limit reached read() on stdin and printed an OverflowError
    # traceback, with exit 1 (findings); a limit past 1 TiB is now refused up front
    result = CliRunner().invoke(main, ["check", "--isolated", "--max-file-size", size, "-"], input="application:\n")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--max-file-size'" in result.output
    (project / "pyproject.toml").write_text(f"[tool.nexlayer-lint]\nmax-file-size = {size}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "-"], input="application:\n")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert '"max-file-size" must be a number of bytes (1 to 1,099,511,627,776)' in result.stderr


def test_stdin_under_the_largest_limit_reads_only_what_it_is_given() -> None:
    # read(limit + 1) would allocate the whole limit at once: a MemoryError at 1 TiB
    done = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", "check", "--isolated", "-", "--max-file-size", str(1 << 40)],
        input="application:\n  name: abc\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stderr
    assert '-:1:1: error NX101 application is missing required key "pods"' in done.stdout
    assert done.stderr == ""


def test_endless_stdin_is_bounded() -> None:
    # `nexlayer-lint - < /dev/zero` must stop at the size limit, not read until memory runs out.
    script = textwrap.dedent("""
        import resource, subprocess, sys
        with open("/dev/zero", "rb") as zero:
            done = subprocess.run([sys.executable, "-m", "nexlayer_lint", "check", "-", "--max-file-size", "1000"],
                                  stdin=zero, capture_output=True, text=True, timeout=60)
        print(done.returncode)
        print(done.stdout)
    """)
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=90, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("reading an endless stdin did not stop")
    code, _, output = done.stdout.partition("\n")
    assert code == "1", done.stdout + done.stderr
    assert "-:1:1: error NX001 file is larger than the limit of 1,000 bytes; not parsed" in output


# -- internal errors are contained --------------------------------------------------------------


def _broken_check(app: Any) -> list[Any]:
    raise KeyError("boom")


def _with_check(monkeypatch: pytest.MonkeyPatch, extra: Rule) -> None:
    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(checks, "CHECK_RULES", (extra, *checks.CHECK_RULES))


def test_a_crashing_check_is_an_internal_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_check(monkeypatch, rule("NX201", "no-public-path", "error", "a broken twin of NX201")(_broken_check))
    (project / "c").mkdir()
    (project / "c" / "nexlayer.yaml").write_text(
        CLEAN.replace("servicePorts: [80]", "servicePorts: []"), encoding="utf-8"
    )
    result = cli()
    assert result.exit_code == 2
    name = f"{__name__}._broken_check"
    for path in ("a/nexlayer.yaml", "c/nexlayer.yaml"):
        assert f"nexlayer-lint: internal error in check {name} on {path}: KeyError: 'boom'" in result.stderr
    # the other checks and the other file still report
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout
    assert "c/nexlayer.yaml:7:21: error NX104" in result.stdout
    assert "Traceback" not in result.output


def _yields_a_problem(app: Any) -> Any:
    yield Finding("fine", path=("application", "name"))
    yield Problem("NX201", "a problem of another rule")


def _yields_a_bad_severity(app: Any) -> Any:
    yield Finding("fatal?", path=("application", "name"), severity="fatal")  # type: ignore[arg-type]


def _yields_a_finding(app: Any) -> Any:
    yield Finding("a finding of a rule nobody registered", path=("application", "name"))


@pytest.mark.parametrize(
    ("declared", "error"),
    [
        (
            rule("NX207", "duplicate-pod-name", "error", "a broken twin")(_yields_a_problem),
            "TypeError: yielded a Problem, not a Finding",
        ),
        (
            rule("NX207", "duplicate-pod-name", "error", "a broken twin")(_yields_a_bad_severity),
            "ValueError: yielded a finding with severity 'fatal'",
        ),
        (
            rule("NX298", "not-registered", "error", "a rule the registry does not list")(_yields_a_finding),
            "LookupError: its code NX298 is not registered in nexlayer_lint.rules",
        ),
    ],
)
def test_a_check_that_yields_what_it_must_not_is_an_internal_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, declared: Rule, error: str
) -> None:
    _with_check(monkeypatch, declared)
    write = (project / "a" / "nexlayer.yaml").write_text
    write(CLEAN.replace("name: shop", "name: ab").replace("      path: /\n", ""), encoding="utf-8")
    result = cli()
    assert result.exit_code == 2
    name = f"{__name__}.{declared.check.__name__}"  # type: ignore[union-attr]
    assert result.stderr == f"nexlayer-lint: internal error in check {name} on a/nexlayer.yaml: {error}\n"
    # nothing of the broken check (all or nothing); the schema and the other checks still report
    assert [line.split()[2] for line in result.stdout.splitlines() if line.startswith("a/")] == ["NX104", "NX201"]


def test_a_crashing_schema_step_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    from nexlayer_lint import schema

    def broken(*args: Any) -> list[Any]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(schema, "check_pods", broken)  # the engine's schema step
    result = lint(CLEAN.replace("      path: /\n", ""))
    assert result.error == (
        "internal error in the schema step on nexlayer.yaml: RecursionError: maximum recursion depth exceeded"
    )
    assert [d.code for d in result.diagnostics] == ["NX201"]  # the checks still ran


def test_a_stage_that_yields_an_unregistered_code_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    from nexlayer_lint import schema

    def inventive(*args: Any) -> tuple[list[Problem], None]:
        return [Problem("NX104", "a real one", path=("application", "name")), Problem("NX199", "made up")], None

    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(schema, "check_pods", inventive)  # the engine's schema step
    result = lint(CLEAN.replace("      path: /\n", ""))
    assert result.error == (
        "internal error in the schema step on nexlayer.yaml: LookupError: yielded unregistered codes NX199"
    )
    assert [d.code for d in result.diagnostics] == ["NX201"]  # all or nothing; the checks still ran


def test_loader_limits_are_what_the_readme_says() -> None:
    assert loader.MAX_DEPTH == 500
    assert loader.DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    assert loader.MAX_ALIAS_EXPANSION == 100_000
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Limits and hostile input", 1)[1].split("\n## ", 1)[0]
    for number in ("500", "10 MiB", "100,000"):
        assert number in section


def _break(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, canary: str) -> str:
    """Make module.name raise an error that quotes `canary`; the text of a file whose secret it is."""

    def broken(*args: Any) -> Any:
        raise ValueError(f"{canary} was being handled")

    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(module, name, broken)
    return CLEAN + f"      vars:\n        DB_PASSWORD: {canary}\n"


def test_a_crashing_secret_masking_is_contained_and_shows_no_frame(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the sixth leak hunt: masking ran unguarded, so a bug there printed a traceback whose text
    # could quote the value being masked
    from click.testing import CliRunner

    from nexlayer_lint import secrets
    from nexlayer_lint.cli import main

    text = _break(monkeypatch, secrets, "mask_text", "CnryMask1")
    result = lint(text)
    assert result.error == "internal error in masking secrets on nexlayer.yaml: ValueError; no code frames"
    assert result.masked_text == "" and [d.code for d in result.diagnostics] == ["NX213"]
    (tmp_path / "nexlayer.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cli = CliRunner().invoke(main, ["--isolated", "--show-source", "nexlayer.yaml"])
    assert cli.exit_code == 2 and "Traceback" not in cli.output and "CnryMask1" not in cli.output
    assert "NX213" in cli.stdout and "internal error in masking secrets" in cli.stderr


def test_a_crashing_masking_of_a_file_that_does_not_parse_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    # the unparsed reader ran unguarded beside the guarded one of parsed files: a bug in it (an
    # escape past U+10FFFF once reached value_map's chr()) was a traceback
    from nexlayer_lint import unparsed

    text = _break(monkeypatch, unparsed, "mask", "CnryMask2") + "  x: [\n"
    result = lint(text)
    assert result.error == "internal error in masking secrets on nexlayer.yaml: ValueError; no code frames"
    assert result.masked_text == "" and [d.code for d in result.diagnostics] == ["NX001"]


def test_a_crash_in_locating_the_findings_is_contained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # the sixth leak hunt: _diagnose ran unguarded, so a bug there printed a traceback, whose
    # text could quote a message or a value
    from click.testing import CliRunner

    from nexlayer_lint import engine
    from nexlayer_lint.cli import main

    text = _break(monkeypatch, engine, "_diagnose", "CnryDiag1")
    result = lint(text)
    assert result.error == "internal error in locating the findings on nexlayer.yaml: ValueError; none shown"
    assert result.diagnostics == ()
    (tmp_path / "nexlayer.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json", "sarif"):
        cli = CliRunner().invoke(main, ["--isolated", "--format", fmt, "nexlayer.yaml"])
        # an internal error is never a pass, whatever the file holds
        assert cli.exit_code == 2, (fmt, cli.output)
        assert "Traceback" not in cli.output and "CnryDiag1" not in cli.output
        assert "internal error in locating the findings on nexlayer.yaml" in cli.stderr


def test_a_crash_in_the_loader_fails_that_file_only(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    from nexlayer_lint import builder

    real_build = builder.build

    def sometimes_broken(text: str) -> Any:
        if "CnryLoad1" in text:
            raise KeyError("CnryLoad1")
        return real_build(text)

    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(builder, "build", sometimes_broken)
    (project / "c").mkdir()
    (project / "c" / "nexlayer.yaml").write_text(CLEAN + "# CnryLoad1\n", encoding="utf-8")
    result = cli()
    assert result.exit_code == 2
    assert result.stderr == "nexlayer-lint: internal error in reading c/nexlayer.yaml: KeyError; not linted\n"
    assert "a/nexlayer.yaml:2:9: error NX104" in result.stdout  # the other file still reports
    assert "Traceback" not in result.output and "CnryLoad1" not in result.output


# -- globs: matched in time bounded by pattern x path --------------------------------------------

# pathspec's regex for each backtracked on a long name that does not match: 1.5 s at 40 a's, 28 s
# at 56, and without end at 255 (the longest name most file systems allow).
REDOS_GLOBS = ["*a*a*a*a*a*a*a*a*b", "*a?a*[a]*a*[!b]*a*a*a*b", "**/*a*a*a*a*a*a*a*a*b/**"]
LONG_NAME = "a" * 255

_GLOB_TIMER = r"""
import json, sys, time
from nexlayer_lint.globs import PathPattern, matches

slowest = 0.0
for glob in json.loads(sys.argv[1]):
    for path in ("/p/" + "a" * 255, "/p/" + "/".join(["a" * 255] * 4) + "/nexlayer.yaml"):
        for is_dir in (False, True):
            start = time.perf_counter()
            assert not matches((PathPattern("/p", glob),), path, is_dir)
            slowest = max(slowest, time.perf_counter() - start)
print(slowest)
"""


def _run_here(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """This checkout's code in a fresh interpreter (PYTHONPATH: a run elsewhere than ROOT could
    otherwise import an installed copy), killed after `timeout` seconds."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    try:
        return subprocess.run(
            [sys.executable, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": path},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args[-1][:60]!r} did not finish in {timeout} s")


def test_a_glob_with_many_stars_matches_a_long_name_in_milliseconds(tmp_path: Path) -> None:
    done = _run_here(["-c", _GLOB_TIMER, json.dumps(REDOS_GLOBS)], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert float(done.stdout) < 0.25 * slowness()  # milliseconds in fact; the bound is for a loaded machine


@pytest.mark.parametrize("glob", REDOS_GLOBS)
def test_a_gitignore_line_with_many_stars_does_not_hang_a_search(tmp_path: Path, glob: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(glob + "\n", encoding="utf-8")
    (tmp_path / LONG_NAME).mkdir()
    (tmp_path / LONG_NAME / "nexlayer.yaml").write_text(CLEAN, encoding="utf-8")
    done = _run_here(["-m", "nexlayer_lint", "check", "--show-files"], tmp_path)
    assert (done.returncode, done.stdout) == (0, f"{LONG_NAME}/nexlayer.yaml\n"), done.stderr[-3000:]
    # and a glob that does match the long name still leaves it out
    (tmp_path / ".gitignore").write_text(glob.replace("*b", "*"), encoding="utf-8")
    done = _run_here(["-m", "nexlayer_lint", "check", "--show-files"], tmp_path)
    assert done.stdout == "", done.stderr[-3000:]


@pytest.mark.parametrize("key", ["per-file-ignores", "extend-exclude"])
def test_a_config_glob_with_many_stars_does_not_hang_a_run(tmp_path: Path, key: str) -> None:
    glob = REDOS_GLOBS[0]
    table = f'[tool.nexlayer-lint.per-file-ignores]\n"{glob}" = ["NX104"]\n'
    plain = f'[tool.nexlayer-lint]\nextend-exclude = ["{glob}"]\n'
    (tmp_path / "pyproject.toml").write_text(table if key == "per-file-ignores" else plain, encoding="utf-8")
    (tmp_path / LONG_NAME).mkdir()
    (tmp_path / LONG_NAME / "nexlayer.yaml").write_text(CLEAN.replace("name: shop", "name: ab"), encoding="utf-8")
    named = f"{LONG_NAME}/nexlayer.yaml"
    for args in ([named], []):  # a file named, and a search
        done = _run_here(["-m", "nexlayer_lint", "check", "--no-show-source", *args], tmp_path)
        assert done.returncode == 1, done.stderr[-3000:]
        assert f"{named}:2:9: error NX104" in done.stdout
