"""Output that a pull request cannot forge: hostile file names, values and messages in every format,
on standard output and standard error, through the real command line; names that are not UTF-8."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlayer_lint.cli import main
from nexlayer_lint.model import Diagnostic, FileResult, RunInfo, SchemaInfo
from nexlayer_lint.reporters import FORMATS, ReportOptions, render
from nexlayer_lint.reporters import printable as printable_module
from nexlayer_lint.reporters.printable import at_line_start, json_text, printable

RUN = RunInfo(tool_version="0.0.0-test", schema=SchemaInfo("bundled", "nexlayer.schema.json", "test"))
# What no output may carry raw: C0 (but the line feeds between lines and a frame's tabs), DEL, C1,
# line and paragraph separators, bidi controls, lone surrogates, XML's non-characters.
RAW_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
RUNNER_COMMAND = re.compile(r"##(vso)?\[", re.IGNORECASE)
OUR_COMMAND = re.compile(r"::(error|warning|notice) ")
OUR_COLOURS = re.compile(r"\x1b\[(?:0|1|2|1;3[1346])m")
# A directory name a pull request may choose: a forged annotation after a line break, an OSC
# title change, a CSI in its 8-bit form, a bidi override, a separator, an old-style command.
HOSTILE_DIR = "x\n::error file=README.md,line=1::forged\x1b]0;pwned\x07\x9b2J\u202eevil\u2028##[error]old"
NOT_UTF8 = os.fsdecode(b"bad\xff")


def hostile_result() -> FileResult:
    path = f"{HOSTILE_DIR}/nexlayer.yaml"
    diag = Diagnostic(
        path,
        2,
        9,
        2,
        14,
        "NX104",
        "invalid-value",
        "error",
        'name "\x1b[31mred\r\n::warning::forged" is bad \x85##vso[task.setvariable]x',
        "rename \u2066it\u2069 \ud800",
        path="application.name\x1b",
    )
    source = "application:\n  name: \x1b[31mred\u202e\n"
    return FileResult(path, (diag,), source)


def assert_safe(fmt: str, out: str) -> None:
    """Nothing raw, no runner command in any line, and every line begins as this format's own."""
    assert not RAW_UNSAFE.search(out), repr(RAW_UNSAFE.search(out).group())  # type: ignore[union-attr]
    assert not RUNNER_COMMAND.search(out)
    out.encode("utf-8")  # strict: no lone surrogate
    for line in out.splitlines():
        if fmt == "github":
            assert OUR_COMMAND.match(line), line
        else:
            assert not line.lstrip().startswith("::"), line


# --- the reporters ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "options", [ReportOptions(), ReportOptions(show_source=True, color=True)], ids=["plain", "frames"]
)
def test_no_format_prints_a_hostile_name_or_value_raw(fmt: str, options: ReportOptions) -> None:
    out = render(
        fmt,
        [hostile_result(), FileResult(f"{HOSTILE_DIR}/b.yaml", (), "", f"{HOSTILE_DIR}/b.yaml: gone")],
        RUN,
        options,
    )
    # text's own colours are the only escape sequences: without them, nothing raw is left
    assert_safe(fmt, OUR_COLOURS.sub("", out) if fmt == "text" else out)


def test_text_shows_the_escapes() -> None:
    out = render("text", [hostile_result()], RUN, ReportOptions(show_source=True, quiet=True))
    lines = out.splitlines()
    assert lines[0] == (
        "x\\n::error file=README.md,line=1::forged\\x1b]0;pwned\\x07\\x9b2J\\u202eevil\\u2028##\\x5berror]old"
        '/nexlayer.yaml:2:9: error NX104 name "\\x1b[31mred\\r\\n::warning::forged" is bad '
        "\\x85##vso\\x5btask.setvariable]x [invalid-value]"
    )
    # the frame escapes the source line and its carets still stand under the span
    assert lines[2] == "2 |   name: \\x1b[31mred\\u202e"
    assert lines[3] == "  |         ^^^^^^^^"
    assert lines[4] == "  = help: rename \\u2066it\\u2069 \\ud800"


def test_text_frame_carets_measure_the_escapes_before_and_inside_the_span() -> None:
    diag = Diagnostic("a.yaml", 1, 5, 1, 8, "NX001", "yaml-syntax", "error", "control character")
    out = render("text", [FileResult("a.yaml", (diag,), "k: \x07\x1bab\n")], RUN, ReportOptions(show_source=True))
    frame = out.splitlines()[2:4]
    assert frame == ["1 | k: \\x07\\x1bab", "  |        ^^^^^^"]  # \x1b, a, b under the carets


def test_a_path_that_would_start_a_workflow_command_is_prefixed() -> None:
    diag = Diagnostic(" ::error file=a::b/nexlayer.yaml", 1, 1, 1, 2, "NX004", "empty-document", "error", "empty")
    for fmt in ("text", "junit"):
        out = render(fmt, [FileResult(diag.file, (diag,), "")], RUN, ReportOptions())
        assert "./ ::error file=a::b/nexlayer.yaml:1:1: error NX004" in out
        assert_safe(fmt, out)
    assert at_line_start("a::b") == "a::b" and at_line_start("::x") == "./::x"


def test_github_keeps_one_command_per_line_and_escapes_values() -> None:
    out = render("github", [hostile_result()], RUN, ReportOptions())
    (line,) = out.splitlines()
    assert line.startswith("::error file=x\\n%3A%3Aerror file=README.md%2Cline=1%3A%3Aforged\\x1b]0;pwned\\x07")
    # the message: its own line break escaped; %0A only before "help:", where the reporter put it
    assert line.count("%0A") == 1 and "%0Ahelp: rename \\u2066it\\u2069 \\ud800" in line


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_keep_control_characters_exactly(fmt: str) -> None:
    out = render(fmt, [hostile_result()], RUN, ReportOptions())
    assert_safe(fmt, out)
    text = json.dumps(json.loads(out), ensure_ascii=False)
    if fmt == "sarif":  # a plain-text message's brackets are escaped (no embedded link: hunt 250 F2)
        text = text.replace("\\\\[", "[").replace("\\\\]", "]")
    assert 'name \\"\\u001b[31mred\\r\\n::warning::forged\\" is bad \x85##vso[task.setvariable]x' in text
    if fmt == "json":
        message = json.loads(out)["files"][0]["diagnostics"][0]["message"]
        assert message == hostile_result().diagnostics[0].message  # lossless: JSON escapes decode back


def test_json_text_escapes_what_the_serializer_leaves() -> None:
    out = json_text({"k": "\x7f\x9b\u2028\u202e##[x ##VSO[y \udcff\ud800"})
    assert out == '{\n  "k": "\\u007f\\u009b\\u2028\\u202e##\\u005bx ##VSO\\u005by \\\\xff\\\\ud800"\n}\n'
    # lone surrogates cannot travel in strict JSON: they become their escape as text
    assert json.loads(out)["k"] == "\x7f\x9b\u2028\u202e##[x ##VSO[y \\xff\\ud800"


def test_junit_stays_well_formed_xml_with_every_character_xml_forbids() -> None:
    forbidden = "".join(map(chr, [*range(9), 11, 12, *range(14, 32), 0xD800, 0xDCFF, 0xFFFE, 0xFFFF]))
    diag = Diagnostic(f"a{forbidden}.yaml", 1, 1, 1, 2, "NX104", "invalid-value", "error", forbidden, forbidden)
    out = render("junit", [FileResult(diag.file, (diag,), forbidden)], RUN, ReportOptions())
    root = ET.fromstring(out)
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == printable(forbidden)
    assert root.find("testsuite").get("name") == printable(f"a{forbidden}.yaml")


def test_printable_text_is_left_alone_only_when_nothing_in_it_needs_an_escape() -> None:
    # printable() skips its search when str.isprintable() holds: exact only if every character
    # it escapes is one that isprintable refuses. Every code point, once.
    every = "".join(map(chr, range(0x110000)))
    for pattern in (printable_module._UNSAFE, printable_module._UNSAFE_BUT_TAB):
        escaped = pattern.findall(every)
        assert len(escaped) > 2000  # C0, C1, the bidi marks, the surrogates...
        assert {char for char in escaped if char.isprintable()} == set(printable_module._FILLERS)  # asked apart
    # hunt 188 F7: the tag characters and the Hangul fillers, blank letters
    assert printable("vars\U000e0020 \u3164x") == "vars\\U000e0020 \\u3164x"


def test_printable_escapes() -> None:
    assert printable("a\tb\nc\rd\x00\x1b\x7f\x85\x9f") == "a\\tb\\nc\\rd\\x00\\x1b\\x7f\\x85\\x9f"
    assert printable("\u2028\u2029\u202a\u202e\u2066\u2069\u200e\u200f\u061c") == (
        "\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c"
    )
    assert printable(os.fsdecode(b"caf\xe9")) == "caf\\xe9"  # the byte that was not UTF-8
    assert (
        printable("##[error] ##vso[x] ##VsO[y] #[z] ###[w]")
        == "##\\x5berror] ##vso\\x5bx] ##VsO\\x5by] #[z] ###\\x5bw]"
    )
    assert printable("a\tb", keep_tabs=True) == "a\tb"
    assert printable("日本語 é ü ✓ 😀 \u200d") == "日本語 é ü ✓ 😀 \u200d"  # text is text
    # hunt 171 F3: the invisible characters that make a key look like another (`\u200bvars`)
    assert printable("\u200bvars \xad \u2060 \u180e \u200c \ufeffsecrets") == (
        "\\u200bvars \\xad \\u2060 \\u180e \u200c \\ufeffsecrets"
    )
    # hunt 250 F1: the other format characters, and the combining grapheme joiner
    assert printable("vars\u206a \u206f \ufff9 \U0001d173 \U0001bca0 x\u034fy") == (
        "vars\\u206a \\u206f \\ufff9 \\U0001d173 \\U0001bca0 x\\u034fy"
    )


# --- the command line ----------------------------------------------------------------------

WARN_ONLY = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx
      path: /
      servicePorts: [80]
"""


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    """A repository whose folders carry hostile names (the bytes on disk, not just in memory)."""
    (tmp_path / ".git").mkdir()
    for name in (HOSTILE_DIR, NOT_UTF8, "::error file=README.md,line=1::forged"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "nexlayer.yaml").write_text(WARN_ONLY.replace("name: shop", "name: x"), encoding="utf-8")
    return tmp_path


def _run(cwd: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "", "FORCE_COLOR": ""}
    return subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", *args], cwd=cwd, input=stdin, env=env, capture_output=True, timeout=120
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_output_on_both_streams_is_safe(hostile_tree: Path, fmt: str) -> None:
    done = _run(hostile_tree, "--format", fmt, "--show-source", ".", "missing\x1b]0;x\x07/nexlayer.yaml")
    assert done.returncode == 2  # the missing file; the others were linted and reported
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert_safe(fmt, out)
    assert err == "nexlayer-lint: missing\\x1b]0;x\\x07/nexlayer.yaml: no such file\n"
    assert "Traceback" not in err


def test_show_files_is_safe_on_a_runner(hostile_tree: Path) -> None:
    # hunt 45 F1: `--show-files` printed a folder named `::error ...` raw, a workflow command
    done = _run(hostile_tree, "--show-files", ".")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0 and "./::error file=README.md,line=1::forged/nexlayer.yaml\n" in out
    assert_safe("text", out)


def test_cli_names_that_are_not_utf8_in_every_format_and_file(hostile_tree: Path) -> None:
    args = []
    for fmt in FORMATS:
        args += ["--format", fmt, "-o", f"reports/{NOT_UTF8}.{fmt}"]
    done = _run(hostile_tree, NOT_UTF8, *args)
    assert (done.returncode, done.stdout, done.stderr) == (1, b"", b"")
    written = sorted(os.listdir(hostile_tree / "reports"))
    assert written == sorted(f"{NOT_UTF8}.{fmt}" for fmt in FORMATS)  # and no temporary file left
    read = {fmt: (hostile_tree / "reports" / f"{NOT_UTF8}.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}
    assert read["text"].startswith("bad\\xff/nexlayer.yaml:2:9: error NX104 ")
    assert json.loads(read["json"])["files"][0]["path"] == "bad\\xff/nexlayer.yaml"
    sarif_uri = json.loads(read["sarif"])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert sarif_uri["artifactLocation"] == {"uri": "bad%FF/nexlayer.yaml", "uriBaseId": "%SRCROOT%"}
    assert read["github"].startswith("::error file=bad\\xff/nexlayer.yaml,line=2,")
    assert ET.fromstring(read["junit"]).find("testsuite").get("name") == "bad\\xff/nexlayer.yaml"
    assert json.loads(read["gitlab"])[0]["location"]["path"] == "bad\\xff/nexlayer.yaml"


def test_cli_sarif_to_stdout_with_a_name_that_is_not_utf8(hostile_tree: Path) -> None:
    done = _run(hostile_tree, "--format", "sarif")
    assert done.returncode == 1, done.stderr
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(done.stdout)["runs"][0]["results"]
    }
    assert "bad%FF/nexlayer.yaml" in uris
    assert (
        "x%0A%3A%3Aerror%20file%3DREADME.md%2Cline%3D1%3A%3Aforged%1B%5D0%3Bpwned%07%C2%9B2J%E2%80%AEevil"
        "%E2%80%A8%23%23%5Berror%5Dold/nexlayer.yaml" in uris
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_stdin_filename_is_escaped(tmp_path: Path, fmt: str) -> None:
    name = "::error file=README.md,line=1::x\x1b]8;;http://evil\x07\n::warning::y"
    done = _run(tmp_path, "-", "--stdin-filename", name, "--format", fmt, stdin=WARN_ONLY.encode())
    assert done.returncode == 0, done.stderr  # a warning only
    out = done.stdout.decode("utf-8")
    assert_safe(fmt, out)
    if fmt == "text":
        assert out.startswith(
            "./::error file=README.md,line=1::x\\x1b]8;;http://evil\\x07\\n::warning::y:5:14: warning"
        )


def test_cli_usage_errors_are_escaped(tmp_path: Path) -> None:
    with _chdir(tmp_path):
        outcome = CliRunner().invoke(main, ["check", "--config", "c\x1b]0;x\x07.toml"])
        unknown = CliRunner().invoke(main, ["rule", "NX\x1b[2J"])
    assert outcome.exit_code == 2
    assert outcome.output == "nexlayer-lint: error: config file c\\x1b]0;x\\x07.toml does not exist\n"
    assert unknown.exit_code == 2 and "\x1b" not in unknown.output and 'no rule "NX\\x1b[2J"' in unknown.output


class _chdir:
    def __init__(self, path: Path) -> None:
        self.path, self.old = path, os.getcwd()

    def __enter__(self) -> None:
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.old)


def test_schema_path_prints_a_hostile_schema_file_name_escaped(tmp_path: Path) -> None:
    from nexlayer_lint.schema import BUNDLED_PATH

    # A config may not name such a file (its values refuse control characters); the command line may.
    (tmp_path / "s\x1b]0;x\x07.json").write_bytes(BUNDLED_PATH.read_bytes())
    with _chdir(tmp_path):
        outcome = CliRunner().invoke(main, ["schema", "path", "--schema", "s\x1b]0;x\x07.json"])
    assert outcome.exit_code == 0, outcome.output
    assert "\x1b" not in outcome.output and outcome.output.endswith("s\\x1b]0;x\\x07.json\n")


def test_sarif_messages_hold_no_embedded_link_a_file_wrote() -> None:
    # hunt 250 F2: SARIF reads `[text](target)` in a plain-text message as a link a viewer shows
    from nexlayer_lint.reporters.sarif import plain_message

    diag = Diagnostic(
        "nexlayer.yaml", 8, 7, 8, 40, "NX102", "unknown-key", "warning", 'unknown key "[Fix](https://e.x)"'
    )
    out = json.loads(render("sarif", [FileResult(diag.file, (diag,))], RUN, ReportOptions()))
    text = out["runs"][0]["results"][0]["message"]["text"]
    assert text == 'unknown key "\\[Fix\\](https://e.x)"' and "[Fix]" not in text
    assert plain_message("a\\[b]") == "a\\\\\\[b\\]"  # a backslash of the text is escaped first
    # hunt 251 F2: a fix's description, which names a pod, too
    from nexlayer_lint.model import Edit, Fix, Span

    fix = Fix('Add `path: /` to pod "[Fix](https://e.x)"', (Edit(Span(4, 7, 4, 7), "path: /\n"),))
    fixable = Diagnostic("nexlayer.yaml", 4, 7, 4, 30, "NX201", "no-path", "error", "m", fix=fix)
    out = json.loads(render("sarif", [FileResult(fixable.file, (fixable,))], RUN, ReportOptions()))
    assert out["runs"][0]["results"][0]["fixes"][0]["description"]["text"].endswith('"\\[Fix\\](https://e.x)"')


def test_invisible_characters_that_python_calls_printable_are_escaped() -> None:
    # hunt 280 F1: `image` then U+FE0F printed as `image`, its hint "rename image to image"
    from nexlayer_lint.reporters.printable import printable

    for char in ("\ufe0f", "\u2800", "\U000e0100", "\u17b4", "\u180b"):
        assert printable("image" + char) == "image" + char.encode("unicode_escape").decode()
    assert printable("\ufe0fvars") == "\\ufe0fvars"
    assert printable("\u26a0\ufe0f warn") == "\u26a0\ufe0f warn"  # an emoji's own selector stays
    assert printable("1\ufe0f\u20e3 #\ufe0f\u20e3") == "1\ufe0f\u20e3 #\ufe0f\u20e3"  # and a keycap's (hunt 282 F4)
