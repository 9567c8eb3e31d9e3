"""Config discovery and precedence; every suppression form and NX099."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint.cli import main
from nexlayer_lint.config import ConfigError, Settings, discover, settings_from_document
from nexlayer_lint.fixes import apply_fixes
from tests.conftest import CLEAN, lint_codes, lint_diags, slowness

UNPINNED = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx
      path: /
      servicePorts: [80]
"""  # NX215 at 5:14


def codes_via_cli(*args: str) -> tuple[int, list[tuple[str, str]]]:
    result = CliRunner().invoke(main, ["nexlayer.yaml", "--format", "json", *args], catch_exceptions=False)
    if result.exit_code == 2:
        return 2, [("stderr", result.output)]
    found = json.loads(result.output)["files"][0]["diagnostics"]
    return result.exit_code, [(d["code"], d["severity"]) for d in found]


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "nexlayer.yaml").write_text(UNPINNED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_pyproject_table_is_found_by_walking_up(project, monkeypatch):
    (project / "pyproject.toml").write_text('[tool.nexlayer-lint]\nseverity = { NX215 = "error" }\n')
    sub = project / "deploy"
    sub.mkdir()
    (sub / "nexlayer.yaml").write_text(UNPINNED)
    monkeypatch.chdir(sub)
    assert codes_via_cli() == (1, [("NX215", "error")])


def test_pyproject_without_our_table_is_skipped(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert discover(project) == Settings()


@pytest.mark.parametrize(
    "table",
    [
        '[tool."nexlayer-lint"]\nignore = ["NX215"]\n',
        "[tool.'nexlayer-lint']\nignore = ['NX215']\n",
        "[ tool . nexlayer-lint ]\nignore = ['NX215']\n",
        '[tool]\nnexlayer-lint = { ignore = ["NX215"] }\n',
        # hunt 34 F7: an escape in the quoted key, which the text search before the parser missed
        '[tool."nexlayer\\u002dlint"]\nignore = ["NX215"]\n',
        '[tool."\\u006eexlayer\\U0000002dlint"]\nignore = ["NX215"]\n',
    ],
)
def test_pyproject_table_in_any_toml_spelling_is_found_and_an_error_in_it_reported(project, table):
    # hunt 20: only the text `tool.nexlayer-lint` was looked for, so these were skipped
    (project / "pyproject.toml").write_text(table)
    assert discover(project).ignore == ("NX215",)
    # hunt 25: one the parser cannot read was passed by, and the parent's config governed the files
    (project / "pyproject.toml").write_text(table.replace('"NX215"]', '"NX215"').replace("'NX215']", "'NX215'"))
    exit_code, output = codes_via_cli()
    assert exit_code == 2 and "not valid TOML" in output[0][1]


def test_a_pyproject_too_deep_to_read_is_an_error_not_a_traceback(project):
    # hunt 23: the parser's RecursionError escaped
    (project / "pyproject.toml").write_text("[tool.nexlayer-lint]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    exit_code, output = codes_via_cli()
    assert exit_code == 2 and "cannot read this TOML: it nests too deeply" in output[0][1]
    (project / "pyproject.toml").write_text("# nexlayer-lint\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    assert codes_via_cli() == (0, [("NX215", "warning")])  # no table of ours: passed by, the file linted


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-32-be", "UTF-32"), ("latin-1", "byte 0xeb at offset 4")],
)
def test_a_pyproject_not_in_utf8_holding_our_table_is_an_error(project, encoding, name):
    # hunt 34 F4: a UTF-16 one (Windows PowerShell 5's `>`) was passed by, its fail-on lost, and the run passed
    (project / "pyproject.toml").write_bytes('# Zoë\n[tool.nexlayer-lint]\nfail-on = "warning"\n'.encode(encoding))
    exit_code, [(_, output)] = codes_via_cli()
    assert exit_code == 2 and f"{project / 'pyproject.toml'}: not valid TOML: TOML must be UTF-8" in output
    assert name in output
    # one that is not ours is passed by, as in UTF-8: the parent's config governs
    (project / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\n')
    sub = project / "deploy"
    sub.mkdir()
    (sub / "pyproject.toml").write_bytes('[project]\nname = "Zoë"\n'.encode(encoding))
    assert discover(sub).ignore == ("NX215",)


def test_a_utf16_pyproject_whose_bytes_read_as_an_escape_in_utf8_is_still_ours(project):
    # hunt 37 F4: "畜" in UTF-16 is the bytes of `\u`: the UTF-8 reading, tried first, held an
    # escape, the parser refused it, and the file was passed by (its fail-on lost)
    text = 'description = "畜牧"\n[tool.nexlayer-lint]\nfail-on = "warning"\n'
    (project / "pyproject.toml").write_bytes(text.encode("utf-16"))
    exit_code, [(_, output)] = codes_via_cli()
    assert exit_code == 2 and "TOML must be UTF-8, and this file is UTF-16" in output


def test_a_utf8_pyproject_that_only_looks_wide_is_still_ours(project):
    # hunt 36 F6: a NUL before the table made it read as UTF-16, so it was passed by (exit 0)
    (project / "pyproject.toml").write_bytes(b'\0[tool.nexlayer-lint]\nfail-on = "warning"\n')
    exit_code, [(_, output)] = codes_via_cli()
    assert exit_code == 2 and "pyproject.toml: not valid TOML" in output


def test_a_dot_config_in_utf16_is_an_error_that_names_the_encoding(project):
    (project / ".nexlayer-lint.toml").write_bytes('fail-on = "warning"\n'.encode("utf-16"))
    exit_code, [(_, output)] = codes_via_cli()
    assert exit_code == 2 and "TOML must be UTF-8, and this file is UTF-16; save it as UTF-8" in output


def test_a_config_error_stars_a_password_in_a_url_it_quotes(project):
    # hunt 23: `extend` was quoted as a path, whose merged `//` hid the URL's password from the starring
    (project / "pyproject.toml").write_text(
        '[tool.nexlayer-lint]\nextend = "https://ci:Hunter2024pw@h.example/x.toml"\n'
    )
    exit_code, output = codes_via_cli()
    assert exit_code == 2 and "https://ci:************@h.example/x.toml, does not exist" in output[0][1]
    assert "Hunter2024pw" not in output[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "# see [tool.nexlayer-lint] in the docs\n[project]\nname = 'x'\n",  # hunt 24: a comment
        "[tool.nexlayer-linter]\nignore = ['NX215']\n",  # another tool
        '[project]\ndependencies = ["nexlayer-lint"\n',  # not TOML, but no table of ours either
        '[tool.other]\nx = "\\u0041"\n',  # an escape sends it to the parser, which finds no table of ours
        '[tool.other]\nx = "\\u0041\n',  # nor does the line scan after it fails
    ],
)
def test_a_pyproject_without_our_table_hides_no_parent_config(project, text):
    (project / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\n')
    sub = project / "deploy"
    sub.mkdir()
    (sub / "pyproject.toml").write_text(text)
    assert discover(sub).ignore == ("NX215",)


def test_a_token_given_as_the_schema_file_is_starred(project):
    token = "ghp_" + "Ab1" * 12
    result = CliRunner().invoke(main, ["nexlayer.yaml", "--schema", token])
    assert result.exit_code == 2 and "cannot read schema file" in result.output
    assert token not in result.output and token[:12] not in result.output
    # hunt 25: and in every other message that names the file, here one that is not JSON
    (project / token).mkdir()
    (project / token / "s.json").write_text("not json")
    result = CliRunner().invoke(main, ["nexlayer.yaml", "--schema", f"{token}/s.json"])
    assert result.exit_code == 2 and "not JSON" in result.output
    assert token[:12] not in result.output


def test_pyproject_naming_the_tool_elsewhere_is_skipped_and_a_wrong_type_is_an_error(project):
    (project / "pyproject.toml").write_text('[project]\ndependencies = ["nexlayer-lint"]\n')
    assert discover(project) == Settings()
    (project / "pyproject.toml").write_text("[tool]\nnexlayer-lint = 5\n")
    assert codes_via_cli()[0] == 2


def test_dot_file_wins_over_pyproject_in_the_same_folder(project):
    (project / "pyproject.toml").write_text('[tool.nexlayer-lint]\nignore = ["NX215"]\n')
    (project / ".nexlayer-lint.toml").write_text('select = ["NX1"]\n')
    settings = discover(project)
    assert settings.select == ("NX1",) and settings.ignore == ()
    assert settings.config_file.endswith(".nexlayer-lint.toml")


@pytest.mark.parametrize("name", [".nexlayer-lint.toml", "ci.toml"])
def test_a_config_has_settings_at_the_top_level_or_in_our_table_not_both(project, name):
    # hunt 34 F5: the table was used and the top-level fail-on dropped unseen (exit 0)
    config = project / name
    args = ("--config", name) if name == "ci.toml" else ()
    config.write_text('fail-on = "warning"\n[tool.nexlayer-lint]\nschema = "bundled"\n')
    exit_code, [(_, output)] = codes_via_cli(*args)
    assert exit_code == 2 and 'settings both at the top level ("fail-on") and in [tool.nexlayer-lint]' in output
    # hunt 98 F4: a misspelt setting beside the table was dropped unseen
    config.write_text('igonre = ["NX215"]\n[tool.nexlayer-lint]\nfail-on = "warning"\n')
    exit_code, [(_, output)] = codes_via_cli(*args)
    assert exit_code == 2 and 'unknown setting "igonre" (did you mean "ignore"?)' in output
    config.write_text('[project]\nname = "x"\n[tool.nexlayer-lint]\nfail-on = "warning"\n')  # a pyproject.toml's copy
    assert codes_via_cli(*args) == (1, [("NX215", "warning")])
    config.write_text('fail-on = "warning"\n')
    assert codes_via_cli(*args) == (1, [("NX215", "warning")])
    config.write_text("[tool]\nnexlayer-lint = 5\n")
    exit_code, [(_, output)] = codes_via_cli(*args)
    assert exit_code == 2 and "[tool.nexlayer-lint] must be a table" in output


def test_command_line_wins_over_config(project):
    (project / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\nfail-on = "warning"\n')
    assert codes_via_cli() == (0, [])
    assert codes_via_cli("--select", "NX215", "--ignore", "NX1") == (1, [("NX215", "warning")])
    assert codes_via_cli("--select", "NX215", "--fail-on", "error")[0] == 0


def test_severity_merges_config_and_command_line(project):
    (project / ".nexlayer-lint.toml").write_text('[severity]\nNX215 = "info"\nNX102 = "error"\n')
    assert codes_via_cli() == (0, [("NX215", "info")])
    assert codes_via_cli("--severity", "NX215=error") == (1, [("NX215", "error")])


def test_explicit_config_and_isolated(project):
    other = project / "ci.toml"
    other.write_text('[tool.nexlayer-lint]\nseverity = { NX2 = "error" }\n')
    (project / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\n')
    assert codes_via_cli("--config", "ci.toml") == (1, [("NX215", "error")])
    assert codes_via_cli("--isolated") == (0, [("NX215", "warning")])
    assert codes_via_cli("--config", "missing.toml")[0] == 2
    # hunt 127 F1: with --isolated, the named config was dropped unseen (its fail-on, select...)
    assert codes_via_cli("--isolated", "--config", "ci.toml") == (
        2,
        [("stderr", "nexlayer-lint: error: --isolated reads no config file: it cannot go with --config\n")],
    )


def test_a_pyproject_named_as_the_config_must_hold_our_table(project):
    # hunt 115 F6: a misspelt table (`[tool.nexlayer_lint]`) in a pyproject.toml named by
    # --config or `extend` was read as no settings at all, without a word
    (project / "cfg").mkdir()
    (project / "cfg" / "pyproject.toml").write_text('[tool.nexlayer_lint]\nignore = ["NX215"]\n')
    code, said = codes_via_cli("--config", "cfg/pyproject.toml")
    assert code == 2 and "cfg/pyproject.toml: no [tool.nexlayer-lint] table" in said[0][1]
    (project / ".nexlayer-lint.toml").write_text('extend = "cfg/pyproject.toml"\n')
    code, said = codes_via_cli()
    assert code == 2 and "no [tool.nexlayer-lint] table" in said[0][1]


def test_an_unreadable_pyproject_is_an_error_not_passed_by(project, monkeypatch):
    # hunt 115 F2: it was passed by, and the config above it (or none) applied unseen
    from nexlayer_lint import config, files

    (project / "pyproject.toml").write_text('[tool.nexlayer-lint]\nseverity = { NX215 = "error" }\n')
    (project / "deploy").mkdir()
    (project / "deploy" / "pyproject.toml").write_text('[tool.nexlayer-lint]\nignore = ["NX2"]\n')
    (project / "deploy" / "nexlayer.yaml").write_text(UNPINNED)
    unreadable = str(project / "deploy" / "pyproject.toml")

    def refusing(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == unreadable:
            raise PermissionError(13, "Permission denied", unreadable)
        return open(file, *args, **kwargs)  # type: ignore[call-overload]

    real_read = files.read

    def read(path: str, limit: int) -> tuple[bytes, str | None]:
        return (b"", f"{path}: permission denied") if path == unreadable else real_read(path, limit)

    # as a file of mode 000 is to anyone but root, who runs the tests in CI
    monkeypatch.setattr(config, "open", refusing, raising=False)
    monkeypatch.setattr(files, "read", read)
    result = CliRunner().invoke(main, ["deploy/nexlayer.yaml"])
    assert result.exit_code == 2 and f"cannot read config {unreadable}" in result.output


@pytest.mark.parametrize("name", [".nexlayer-lint.toml", "pyproject.toml"])
def test_a_config_that_links_to_a_missing_file_is_an_error_not_passed_by(project, name):
    # hunt 127 F4: a folder's config linked to a shared file a sparse checkout left out was passed
    # by, and the laxer config above it applied unseen
    (project / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\n')
    (project / "app").mkdir()
    (project / "app" / "nexlayer.yaml").write_text(UNPINNED)
    (project / "app" / name).symlink_to("../shared/strict.toml")
    result = CliRunner().invoke(main, ["app/nexlayer.yaml"])
    assert result.exit_code == 2 and f"cannot read config {project / 'app' / name}: no such file" in result.output
    # hunt 130 F8: and a .nexlayer-lint.toml that is a folder, or a link to one
    if name == ".nexlayer-lint.toml":
        (project / "app" / name).unlink()
        (project / "app" / name).mkdir()
        result = CliRunner().invoke(main, ["app/nexlayer.yaml"])
        assert result.exit_code == 2 and f"cannot read config {project / 'app' / name}: is a directory" in result.output


def test_a_pyproject_too_large_to_be_a_config_is_an_error_not_read_whole(project):
    # hunt 256 F3: a pyproject.toml beside the file was read whole to see whether it holds our
    # table: a sparse 4 GB one ran out of memory (a traceback, exit 1)
    with open(project / "pyproject.toml", "wb") as handle:
        handle.truncate((16 << 20) + 1)
    exit_code, [(_, output)] = codes_via_cli()
    assert exit_code == 2 and "pyproject.toml: larger than 16 MiB; is it a config?" in output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
def test_a_config_that_is_a_pipe_or_dev_null_is_read(project):
    # hunt 55 F2: `--config <(...)`, a FIFO or /dev/null "did not exist". A pipe with its text
    # written and its writer gone, as `<(...)` gives one (a thread opening a FIFO raced the run)
    read_end, write_end = os.pipe()
    os.write(write_end, b'severity = { NX2 = "error" }\n')
    os.close(write_end)
    try:
        assert codes_via_cli("--config", f"/dev/fd/{read_end}") == (1, [("NX215", "error")])
    finally:
        os.close(read_end)
    assert codes_via_cli("--config", os.devnull) == (0, [("NX215", "warning")])
    (project / ".nexlayer-lint.toml").write_text(f'extend = "{os.devnull}"\nfail-on = "warning"\n')
    assert codes_via_cli() == (1, [("NX215", "warning")])
    exit_code, [(_, output)] = codes_via_cli("--config", "/dev/zero")
    assert exit_code == 2 and "/dev/zero: larger than 16 MiB; is it a config?" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('selct = ["NX1"]\n', 'unknown setting "selct" (did you mean "select"?)'),
        ('select = "NX1, XX"\n', '"XX" matches no code'),
        ('fail-on = "fatal"\n', '"fail-on" must be one of error, warning, info'),
        ('timeout = "slow"\n', '"timeout" must be a number of seconds'),
        ('remote = "yes"\n', '"remote" must be true or false'),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_invalid_config_is_a_clear_error_and_exit_2(project, content, message):
    (project / ".nexlayer-lint.toml").write_text(content)
    with pytest.raises(ConfigError) as info:
        discover(project)
    assert message in str(info.value)
    exit_code, [(_, output)] = codes_via_cli()
    assert exit_code == 2 and message in output and "Traceback" not in output


# --- suppression ---------------------------------------------------------------------------


def test_end_of_line_suppression():
    text = UNPINNED.replace("image: nginx\n", "image: nginx # nexlayer-lint: disable=NX215\n")
    assert lint_codes(text) == []


def test_own_line_suppression_applies_to_the_next_content_line():
    text = UNPINNED.replace("      image: nginx\n", "      # nexlayer-lint: disable=NX215\n\n      image: nginx\n")
    assert lint_codes(text) == []


def test_file_suppression_anywhere_and_by_prefix_or_name():
    assert lint_codes(UNPINNED + "# nexlayer-lint: disable-file=NX2\n") == []
    assert lint_codes("# nexlayer-lint: disable-file=unpinned-image\n" + UNPINNED) == []


def test_suppression_only_covers_its_line_and_codes():
    text = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX215\n")
    diagnostics = lint_diags(text)
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("NX099", 2, 14), ("NX215", 5, 14)]
    assert diagnostics[0].message == "suppression of NX215 is unused: nothing on line 2 reports NX215"
    # hunt 155 F2: the span ends with the comment, past the blanks after its `#` too
    line = "  name: shop # nexlayer-lint: disable=NX215"
    assert (diagnostics[0].end_line, diagnostics[0].end_col) == (2, len(line) + 1)
    spaced = lint_diags(text.replace("# nexlayer-lint", "#   nexlayer-lint").replace("NX215\n", "NX2l5\n", 1))
    assert [(d.code, d.col, d.end_col) for d in spaced if d.code == "NX099"] == [("NX099", 14, len(line) + 3)]


def test_a_directive_naming_nx099_keeps_its_own_unused_codes_quiet():
    # hunt 68 F4: `disable=NX213,NX099` said "nothing on line 2 reports NX099" on the line that
    # reported NX099; as ruff's `noqa: RUF100`, NX099 named speaks for the comment's own NX099s
    def found(directive: str, where: str = "name: shop") -> list[tuple[str, int]]:
        text = UNPINNED.replace(f"{where}\n", f"{where} # nexlayer-lint: {directive}\n")
        return [(d.code, d.line) for d in lint_diags(text)]

    assert found("disable=NX213,NX099") == found("disable=unused-suppression, NX213") == [("NX215", 5)]
    assert found("disable=NX213") == [("NX099", 2), ("NX215", 5)]
    # a prefix of NX099 covers it as any prefix covers its codes (hunt 70 F4)
    assert found("disable=NX0") == found("disable=NX09,NX213") == [("NX215", 5)]
    # every NX099 of the comment: an unknown code too (hunt 70 F3)
    assert found("disable=NX213,NX999,NX099") == [("NX215", 5)]
    assert found("disable=NX213,NX999") == [("NX099", 2), ("NX099", 2), ("NX215", 5)]
    with_file_directive = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX213\n")
    with_file_directive += "# nexlayer-lint: disable-file=NX099\n# nexlayer-lint: disable-file=N\n"
    assert [(d.code, d.line) for d in lint_diags(with_file_directive)] == [("NX215", 5)]  # the blanket's NX099 too


def test_codes_apart_by_a_tab_are_two_codes() -> None:
    # hunt 68 F6: `NX215<TAB>NX213` was one unknown code: nothing suppressed, and an NX099
    text = UNPINNED.replace("nginx\n", "nginx # nexlayer-lint: disable=NX215\tNX213\n")
    found = lint_diags(text)
    assert [(d.code, d.message) for d in found] == [
        ("NX099", "suppression of NX213 is unused: nothing on line 5 reports NX213")
    ]
    assert found[0].fix is not None
    assert "nginx # nexlayer-lint: disable=NX215\n" in apply_fixes(text, [found[0].fix]).text


def test_unused_unknown_and_empty_directives_are_nx099():
    text = UNPINNED.replace("path: /\n", "path: / # nexlayer-lint: disable=NX999\n").replace(
        "servicePorts: [80]\n", "servicePorts: [80] # nexlayer-lint: disable=\n"
    )
    found = [(d.code, d.line, d.message) for d in lint_diags(text) if d.code == "NX099"]
    assert found == [
        ("NX099", 6, 'suppression names "NX999", which is no known code'),
        ("NX099", 7, "suppression names no code"),
    ]


@pytest.mark.parametrize(
    "directive",
    [
        "disabel=NX213 # DB_PASSWORD: ZqDir1xxSecret",
        'disable: NX213 # "API_KEY": ZqDir2xxSecret',
        'x {"password": "ZqDir3xxSecret"}',
        "x # vars: {API_TOKEN: ZqDir4xxSecret}",
    ],
)
def test_a_directive_that_is_none_is_quoted_starred_as_its_code_frame_is(directive: str) -> None:
    # hunt 146 F1: the message starred only what star_parts finds, and quoted a var commented out
    # after a typo, which the code frame on its line starred
    found = lint_diags(UNPINNED.replace("nginx\n", f"nginx # nexlayer-lint: {directive}\n"))
    (quoted,) = [d.message for d in found if d.code == "NX099"]
    assert quoted.startswith('"# nexlayer-lint: ') and "is not a directive" in quoted
    assert "Zq" not in quoted and "*" in quoted


@pytest.mark.parametrize(
    "comment", ["nexlayer-lint disable=NX215", "NEXLAYER-LINT: disable=NX215", "nexlayer_lint: disable-file=NX215"]
)
def test_a_mistyped_directive_is_reported_not_ignored(comment: str) -> None:
    # hunt 180 F6: a comment that starts as a directive but is none suppressed nothing, silently
    found = lint_diags(UNPINNED.replace("nginx\n", f"nginx  # {comment}\n"))
    assert [(d.code, d.message) for d in found if d.code in ("NX099", "NX215")] == [
        ("NX215", 'image "nginx" of pod "web" has no tag, so it runs whatever "latest" is at deploy time'),
        ("NX099", f'"# {comment}" is not a directive nexlayer-lint understands'),
    ]
    # prose about the linter is none (hunt 181 F2)
    for prose in ("nexlayer-lint is how we check", "Nexlayer lint: disabled in CI", "nexlayer-lint disables NX215"):
        assert not [d for d in lint_diags(UNPINNED.replace("nginx\n", f"nginx  # {prose}\n")) if d.code == "NX099"]


@pytest.mark.parametrize("cut", ["NX2.15", "NX2\u00e915", "NX2\u202e15", "NX2\uff11\uff15", "NX2/15"])
def test_a_code_cut_by_a_character_no_code_has_is_unknown_not_a_prefix(cut: str) -> None:
    # hunt 120 F2: the directive's grammar stopped at `.`, and `NX2` silenced every NX2xx on the line
    from nexlayer_lint.suppress import disable_codes_end

    line = f"  image: nginx # nexlayer-lint: disable=NX213,{cut}"
    found = lint_diags(UNPINNED.replace("nginx\n", f"nginx # nexlayer-lint: disable=NX213,{cut}\n"))
    assert [d.code for d in found] == ["NX215", "NX099", "NX099"]
    assert found[1].message == f'suppression names "{cut}", which is no known code'
    assert disable_codes_end(line) == len(line)  # a code added goes after it, not inside it
    # a blank or `#` after the codes still ends them: a note after them is no code; a no-break
    # space or an ideographic space is a blank too (hunt 126 F8)
    for blank in (" ", "\u00a0", "\u3000"):
        found = lint_diags(UNPINNED.replace("nginx\n", f"nginx # nexlayer-lint: disable=NX215{blank}(pinned by ops)\n"))
        assert found == []
    # hunt 130 F5: and a note of plain words, not read as three unknown codes
    # (hunt 132 F4: `N`, a prefix of every code, is still a code, refused as a blanket disable)
    found = lint_diags(UNPINNED.replace("nginx\n", "nginx # nexlayer-lint: disable=NX213 N NX215\n"))
    assert [d.code for d in found] == ["NX099", "NX099"]
    for note in (" pinned by ops", "\u00a0pinned by ops", " NX213 pinned"):
        found = lint_diags(UNPINNED.replace("nginx\n", f"nginx # nexlayer-lint: disable=NX215{note}\n"))
        assert [d.code for d in found] == (["NX099"] if "NX213" in note else []), note


@pytest.mark.parametrize("codes", ["NX2.1,NX215", "NX2\u00e9, NX215", "NX2.1,NX2.2,NX215"])
def test_the_codes_after_a_cut_code_are_still_read(codes: str) -> None:
    # hunt 122 F9: the codes after a cut one were dropped, so NX215 was reported again
    found = lint_diags(UNPINNED.replace("nginx\n", f"nginx # nexlayer-lint: disable={codes}\n"))
    assert {d.code for d in found} == {"NX099"}
    assert all("which is no known code" in d.message for d in found)
    # and the NX099 a directive names after a cut code quiets its own
    assert lint_diags(UNPINNED.replace("nginx\n", "nginx # nexlayer-lint: disable=NX215,NX2\u00e9,NX099\n")) == []


@pytest.mark.parametrize("prefix", ["N", "NX", "nx"])
def test_a_prefix_of_every_code_is_no_blanket_disable(prefix: str) -> None:
    # the verdict hunt of the fifth stop: `disable-file=N` hid every finding of the file
    found = lint_diags(UNPINNED + f"# nexlayer-lint: disable-file={prefix}, NX2\n")
    assert [(d.code, d.line) for d in found] == [("NX099", 8)]  # NX2 still works: only the blanket goes
    assert found[0].message == f'suppression names "{prefix}", a prefix of every code: a blanket disable'
    found = lint_diags(UNPINNED + f"# nexlayer-lint: disable-file={prefix}\n")
    assert [d.code for d in found] == ["NX215", "NX099"]


def test_hash_inside_strings_is_not_a_directive():
    text = UNPINNED.replace("path: /\n", "path: /\n      vars:\n        NOTE: 'x # nexlayer-lint: disable=NX215'\n")
    assert lint_codes(text) == [("NX215", 5, 14)]


_BLOCK = CLEAN + "      vars:\n        D: >-{header}\n          http://nope.pod:80\n          and more\n        E: ok\n"


def test_a_comment_after_a_block_scalars_header_is_a_comment_and_speaks_for_its_lines() -> None:
    # hunt 42 F1: `D: >-  # nexlayer-lint: disable=NX208` was taken for the scalar's text: it
    # suppressed nothing and was never reported; no line directive could reach a block's lines
    assert lint_codes(_BLOCK.format(header="")) == [("NX208", 10, 18)]
    assert lint_codes(_BLOCK.format(header="  # nexlayer-lint: disable=NX208")) == []
    own_line = _BLOCK.format(header="").replace("        D:", "        # nexlayer-lint: disable=NX208\n        D:")
    assert lint_codes(own_line) == []
    unused = lint_diags(_BLOCK.format(header="  # nexlayer-lint: disable=NX215"))
    assert [(d.code, d.line, d.col) for d in unused] == [("NX099", 9, 16), ("NX208", 10, 18)]
    assert unused[0].message == "suppression of NX215 is unused: nothing on line 9 reports NX215"
    # the directive covers the block, not the lines after it
    after = _BLOCK.format(header="  # nexlayer-lint: disable=NX208").replace("E: ok", "E: http://gone.pod:80")
    assert lint_codes(after) == [("NX208", 12, 19)]
    # a `#` on the block's own lines is still its text
    inside = _BLOCK.format(header="").replace("and more", "and more  # nexlayer-lint: disable=NX208")
    assert lint_codes(inside) == [("NX208", 10, 18)]


def test_a_directive_after_a_multi_line_quoted_value_covers_all_its_lines() -> None:
    text = CLEAN + '      vars:\n        D: "http://nope.pod:80\n          x"  # nexlayer-lint: disable=NX208\n'
    assert lint_codes(text) == []
    assert lint_codes(text.replace("  # nexlayer-lint: disable=NX208", "")) == [("NX208", 9, 20)]


def test_nx001_cannot_be_suppressed_or_ignored():
    text = "# nexlayer-lint: disable-file=NX001\napplication: [\n"
    assert [c for c, _, _ in lint_codes(text, ignore=("NX0",))] == ["NX001"]


def test_unused_suppression_of_a_disabled_code_is_not_reported():
    text = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX213\n")
    assert lint_codes(text, ignore=("NX213",)) == [("NX215", 5, 14)]


def test_a_suppression_of_a_remote_code_is_unused_only_in_a_run_that_asks_the_api(fake_api):
    # hunt 59 F1: every offline run (the hook, the editor) called it unused, and --fix removed
    # it, though the --remote run needed it
    from tests import fake_api as fa

    text = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX901,NX902\n")
    assert lint_codes(text) == [("NX215", 5, 14)]
    assert lint_codes(text.replace("NX901,NX902", "NX900")) == [("NX215", 5, 14)]
    fake_api.script("/validate", fa.Reply(200, {"message": "ok"}))  # accepted: nothing to suppress
    found = lint_diags(text, remote=True, api_url=fake_api.url)
    assert [d.code for d in found] == ["NX099", "NX099", "NX215"]
    # hunt 61 F9: with no fix, which an offline re-lint could never prove (it was advertised, never applied)
    assert [d.fix for d in found if d.code == "NX099"] == [None, None]
    # hunt 61 F5: not when the API could not be asked (NX900): it judged nothing
    fake_api.script("/validate", fa.Reply(503, b""), fa.Reply(503, b""), fa.Reply(503, b""), fa.Reply(503, b""))
    found = lint_codes(text, remote=True, api_url=fake_api.url, timeout=1.0)
    assert [code for code, *_ in found] == ["NX900", "NX215"]
    # hunt 61 F4: a prefix that covers a code this run cannot report is not judged either
    # hunt 62 F5: a local code beside a remote one keeps its fix
    mixed = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX201,NX901\n")
    [unused] = [d for d in lint_diags(mixed) if d.code == "NX099"]
    assert unused.fix is not None and unused.fix.title == "Remove NX201 from the suppression"
    prefix = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX90\n")
    fake_api.script("/schema", fa.schema())
    assert lint_codes(prefix, schema="remote", api_url=fake_api.url) == [("NX215", 5, 14)]


def test_ordinary_comments_are_not_directives() -> None:
    # the Document holds every comment; only those that start with the prefix are directives,
    # and one mistyped so that it suppresses nothing is reported (hunt 180 F6)
    text = UNPINNED.replace("image: nginx\n", "image: nginx  # nexlayer lint: disable=NX215\n")
    assert lint_codes(text + "# a note\n") == [("NX215", 5, 14), ("NX099", 5, 21)]
    text = UNPINNED.replace("image: nginx\n", "image: nginx  # nexlayer-lint checks this file\n")
    assert lint_codes(text + "# a note\n") == lint_codes(UNPINNED) == [("NX215", 5, 14)]


def test_where_a_disable_directive_takes_one_more_code() -> None:
    from nexlayer_lint import suppress

    line = "a: 1  # nexlayer-lint: disable=NX215, NX213 ,"
    assert line[: suppress.disable_codes_end(line)] == "a: 1  # nexlayer-lint: disable=NX215, NX213"
    assert suppress.disable_codes_end("a: 1  #nexlayer-lint:disable=NX2") == len("a: 1  #nexlayer-lint:disable=NX2")
    for line in ("a: 1  # nexlayer-lint: disable-file=NX215", "a: 1  # nexlayer-lint: disable=", "a: 1  # other"):
        assert suppress.disable_codes_end(line) is None, line
    assert suppress.disable_comment("NX215") == "# nexlayer-lint: disable=NX215"


# --- hostile or odd configs and options: exit 2 with a message, never a traceback (issue 16) ---


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tool = 5\n", 'unknown setting "tool"'),
        ('tool = "x"\nselect = ["NX1"]\n', 'unknown setting "tool"'),
        ("[tool]\nnexlayer-lint = 5\n", "[tool.nexlayer-lint] must be a table"),
        ('severity = { "" = "error" }\n', 'severity: "" is not a code'),
        ('severity = { " " = "error" }\n', 'severity: " " is not a code'),
        ('severity = { "NX215,NX213" = "error" }\n', "is not a code"),
        ("severity = { NX215 = 1 }\n", '"1" for NX215 is not one of error, warning, info'),
        ("severity = 5\n", '"severity" must be a table'),
        ('schema = "a\\u0000b"\n', '"schema" must be a string without control characters'),
        ('schema = ""\n', '"schema" must be a string'),
        ("schema = 1\n", '"schema" must be a string, not a number'),
        ('api-url = ["https://u:CnryCfg1@h.example"]\n', '"api-url" must be a string, not a list'),
        ('api-url = { url = "https://u:CnryCfg2@h.example" }\n', '"api-url" must be a string, not a table'),
        (
            'api-url = "https://deploy:CnryCfg3@api.example.com/v1?token=CnryCfg4\\u0007"\n',
            '"api-url" must be a string without control characters, not https://api.example.com/v1 '
            "(its user-info and query not shown)",
        ),
        ('api-url = "https://x\\r\\nHost: evil"\n', '"api-url" must be a string without control characters'),
        ('api-url = "https:/u:CnryCfg5@h\\n"\n', "without control characters (not shown: it may hold credentials)"),
        # hunt 22 F6: a value of the wrong type is quoted with its secrets starred, as a comment's
        (
            'timeout = "https://ci:CnryCfg6@api.example.com/v1?token=CnryCfg7"\n',
            "\"timeout\" must be a number of seconds, not 'https://ci:********@api.example.com/v1?token=********'",
        ),
        ('timeout = ["https://ci:CnryCfg8@h.example"]\n', "not ['https://ci:********@h.example']"),
        ('fail-on = "ghp_CnryCfg9aaaaaaaaaaaaaaaaaaaaaaaaaaaaa"\n', "not '" + "*" * 41 + "'"),
        ('select = ["DB_PASSWORD=CnryCfgA"]\n', 'select: "DB_PASSWORD=********" matches no code'),
        ('extend-exclude = ["x?token=CnryCfgB\\u0007"]\n', "'x?token=*********' is not a glob"),
        ("timeout = nan\n", '"timeout" must be a number of seconds from 0.1 to 300, not nan'),
        ("timeout = inf\n", "not inf"),
        ("timeout = -inf\n", "not -inf"),
        ("timeout = -1\n", "not -1"),
        ("timeout = 1e308\n", "not 1e+308"),
        # hunt 74 F2: an integer past float's range raised OverflowError (a traceback)
        ("timeout = 1" + "0" * 400 + "\n", "from 0.1 to 300, not an integer of about 400 digits"),
        # hunt 77 F2: repr() refuses an int past 4,300 digits, and so does tomllib's int()
        ("timeout = 0x" + "f" * 4000 + "\n", "not an integer of about 4,816 digits"),
        ("timeout = " + "9" * 4301 + "\n", "cannot read this TOML: it has a number of more than 4,300 digits"),
        ("schema-ttl-hours = 1" + "0" * 400 + "\n", '"schema-ttl-hours" must be a number of hours from 0 to 8760'),
        ("timeout = 0\n", "not 0"),
        ("timeout = true\n", '"timeout" must be a number of seconds, not True'),
        ("schema-ttl-hours = nan\n", '"schema-ttl-hours" must be a number of hours from 0 to 8760'),
        ("max-file-size = -1\n", '"max-file-size" must be a number of bytes (1 to 1,099,511,627,776), not -1'),
        ("max-file-size = 0\n", "not 0"),
        ("max-file-size = 1.5\n", "not 1.5"),
        ('fail-on = ["error"]\n', "\"fail-on\" must be one of error, warning, info, not ['error']"),
        ("select = [[]]\n", '"select" must be a list of codes'),
        ("select = 5\n", '"select" must be a list of codes'),
        ('ignore = ["NX001"]\n', "NX001 (yaml-syntax) cannot be turned off"),
        ("exclude = [1]\n", '"exclude" must be a list of globs'),
        ('extend-exclude = "examples"\n', '"extend-exclude" must be a list of globs'),
        ('extend-exclude = [""]\n', "is not a glob"),
        ('extend-exclude = ["a\\u0007"]\n', "is not a glob"),
        ("per-file-ignores = 5\n", '"per-file-ignores" must be a table of globs and codes'),
        ('per-file-ignores = { "x" = 5 }\n', 'per-file-ignores "x"" must be a list of codes'),
        ('per-file-ignores = { "x" = ["NX999"] }\n', '"NX999" matches no code'),
        ('per-file-ignores = { "" = ["NX2"] }\n', "is not a glob"),
        ('respect-gitignore = "yes"\n', '"respect-gitignore" must be true or false'),
        ("force-exclude = 1\n", '"force-exclude" must be true or false'),
        ("remote-send-secrets = true\n", "can only be given on the command line"),
        ('"\\u001b[31m" = 1\n', 'unknown setting "\\x1b[31m"'),
    ],
)
def test_odd_config_values_are_exit_2_with_a_message(project, content, message):
    (project / ".nexlayer-lint.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        discover(project)
    assert message in str(info.value)
    result = CliRunner().invoke(main, ["nexlayer.yaml"])
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Cnry" not in result.stderr  # a URL's credentials are never echoed (a leak hunt found them)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--severity", "="], '--severity: "=" should look like NX215=error'),
        (["--severity", "=error"], '--severity: "=error" should look like NX215=error'),
        (["--severity", " =warning"], "should look like NX215=error"),
        (["--severity", "NX215="], '"" for NX215 is not one of error, warning, info'),
        (["--severity", "NX001=error"], "NX001 (yaml-syntax) is always an error"),
        (["--ignore", "NX001"], "--ignore: NX001 (yaml-syntax) cannot be turned off"),
        (["--select", "nope"], '--select: "nope" matches no code or rule name'),
        (["--exclude", "a\x01"], "is not a glob"),
        (["--timeout", "nan"], "--timeout"),
        (["--timeout", "inf"], "--timeout"),
        (["--timeout", "-1"], "--timeout"),
        (["--timeout", "1e308"], "--timeout"),
        (["--max-file-size", "-1"], "--max-file-size"),
    ],
)
def test_odd_options_are_exit_2_with_a_message(project, args, message):
    result = CliRunner().invoke(main, ["nexlayer.yaml", *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_config_named_with_config_is_checked_the_same_way(project):
    (project / "ci.toml").write_text("tool = 5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["nexlayer.yaml", "--config", "ci.toml"])
    assert result.exit_code == 2 and 'ci.toml: unknown setting "tool"' in result.stderr


# Any TOML value: what tomllib can give (strings with any character, numbers with NaN and
# infinities, dates, nested arrays and tables) under the known keys and others.
_SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.sampled_from(
        [
            "NX215",
            "NX2",
            "NX001",
            "unpinned-image",
            "error",
            "bundled",
            "remote",
            "",
            "=",
            "examples/broken",
            "!x",
            "**",
            "[",
            "a\x00b",
            "https://x",
            "NX215=error",
        ]
    ),
)
_TABLE_KEYS = st.text(max_size=8) | st.sampled_from(["NX215", "", "x/*"])
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TABLE_KEYS, inner, max_size=4), max_leaves=12
)
_KEYS = st.sampled_from(
    [
        "select",
        "ignore",
        "severity",
        "fail-on",
        "schema",
        "remote",
        "api-url",
        "timeout",
        "schema-ttl-hours",
        "max-file-size",
        "exclude",
        "extend-exclude",
        "per-file-ignores",
        "respect-gitignore",
        "force-exclude",
        "remote-send-secrets",
        "remote_send_secrets",
        "tool",
        "nexlayer-lint",
    ]
) | st.text(max_size=10)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=5), st.sampled_from(["pyproject.toml", ".nexlayer-lint.toml"]))
def test_any_config_table_gives_settings_or_a_config_error(document, name):
    for table in (document, {"tool": {"nexlayer-lint": document}}, {"tool": document}):
        try:
            result = settings_from_document(table, Path("/project") / name, "/project")
        except ConfigError as exc:
            assert str(exc)
        else:
            assert isinstance(result, Settings)
            assert math.isfinite(result.timeout) and result.max_file_size >= 1
            assert "NX001" not in result.ignore and "NX001" not in result.severity


def test_a_code_named_thousands_of_times_is_judged_once() -> None:
    # found by a leak hunt: 3,000 repeats took 20 s (every unused code compared with every other)
    import time

    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    many = CLEAN + "# nexlayer-lint: disable=" + ",".join(["NX213", "NX2"] * 10_000) + "\n"
    started = time.perf_counter()
    result = lint(many)
    seconds = time.perf_counter() - started
    assert seconds < 15.0 * slowness(), f"{seconds:.1f} s"
    found = [(d.code, d.message, d.fix.title if d.fix else None) for d in result.diagnostics]
    line = CLEAN.count("\n") + 2  # the line after the comment, which ends the file
    assert found == [
        ("NX099", f"suppression of NX2 is unused: nothing on line {line} reports NX2", "Remove the unused suppression"),
        (
            "NX099",
            f"suppression of NX213 is unused: nothing on line {line} reports NX213",
            "Remove the unused suppression",
        ),
    ]


def test_many_directives_on_their_own_lines_are_linear() -> None:
    # found by a leak hunt: each own-line directive looked for its line through all that follow
    # (1,000 directives before 100,000 comment lines took 11 s)
    import time

    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    many = CLEAN + "# nexlayer-lint: disable=NX215\n" * 5_000 + "#\n" * 200_000 + "# end\n"
    started = time.perf_counter()
    result = lint(many)
    seconds = time.perf_counter() - started
    assert seconds < 15.0 * slowness(), f"{seconds:.1f} s"
    # no content follows: each governs the line after it, as a directive at the end of a file does
    assert [(d.code, d.line, d.message) for d in result.diagnostics] == [
        ("NX099", line, f"suppression of NX215 is unused: nothing on line {line + 1} reports NX215")
        for line in range(CLEAN.count("\n") + 1, CLEAN.count("\n") + 5_001)
    ]


def test_many_used_suppressions_are_linear() -> None:
    # the hostile-input hunt: every diagnostic was compared with every directive (20,000 used
    # suppressions, 1 MB, took 18 s; 40,000 took 68 s)
    import time

    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    count = 20_000
    lines = "".join(f"        V{i}: yes  # nexlayer-lint: disable=NX005\n" for i in range(count))
    many = CLEAN + "      vars:\n" + lines
    many += "        LAST: yes\n" + "# nexlayer-lint: disable-file=NX2\n"
    started = time.perf_counter()
    result = lint(many)
    seconds = time.perf_counter() - started
    assert seconds < 10.0 * slowness(), f"{seconds:.1f} s"
    # every V<i> is suppressed on its own line; LAST is not; the file-wide NX2 suppresses nothing
    last = CLEAN.count("\n") + count + 2
    assert [(d.code, d.line) for d in result.diagnostics] == [("NX005", last), ("NX099", last + 1)]


@pytest.mark.parametrize("file_wide_first", [False, True])
def test_the_first_directive_in_file_order_is_the_one_used(file_wide_first: bool) -> None:
    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    twin = "    - name: web  # nexlayer-lint: disable=NX2\n      image: nginx:1.27\n      servicePorts: [81]\n"
    file_wide = "# nexlayer-lint: disable-file=NX207\n"
    text = file_wide + CLEAN + twin if file_wide_first else CLEAN + twin + file_wide
    found = [(d.code, d.message) for d in lint(text).diagnostics]
    if file_wide_first:  # the file-wide directive comes first: it is used, the line's is not
        assert found == [("NX099", "suppression of NX2 is unused: nothing on line 9 reports NX2")]
    else:
        assert found == [("NX099", "suppression of NX207 is unused: nothing in this file reports NX207")]


def test_a_suppression_at_an_anchor_covers_what_its_aliases_repeat() -> None:
    # hunt 21 (documented in the README): a repeated value is reported at its anchor, and a
    # directive on that line covers every finding there
    text = (
        CLEAN
        + """\
    - name: db
      image: postgres:16
      servicePorts: [5432]
      volumes:
        - {name: pg, size: 1Gi, mountPath: &m /var/lib/postgresql/data}
    - name: db2
      image: postgres:16
      servicePorts: [5433]
      volumes:
        - {name: pg2, size: 1Gi, mountPath: *m}
"""
    )
    found = [(d.code, d.line, d.severity) for d in lint_diags(text)]
    assert found == [("NX202", 12, "error"), ("NX202", 12, "error")]
    suppressed = text.replace("data}\n    - name: db2", "data}  # nexlayer-lint: disable=NX202\n    - name: db2")
    assert [d.code for d in lint_diags(suppressed)] == []


@pytest.mark.parametrize(
    "value", ['"see # nexlayer-lint: disable-file=NX104,NX003"', "|\n  # nexlayer-lint: disable-file=NX104,NX003"]
)
def test_a_directive_inside_a_later_documents_string_suppresses_nothing(value: str, project: Path) -> None:
    # hunt 34 F3: later documents were not parsed, so their strings were taken for comments
    (project / "nexlayer.yaml").write_text(CLEAN.replace("name: shop", "name: Shop", 1) + f"---\nnote: {value}\n")
    status, found = codes_via_cli("--ignore", "NX003")
    assert status == 1 and [code for code, _ in found] == ["NX104"]  # and no NX099 for it


def test_a_syntax_error_in_a_later_document_cannot_be_turned_off(project: Path) -> None:
    (project / "nexlayer.yaml").write_text(CLEAN + "--- # nexlayer-lint: disable=NX003\nx: [\n")
    assert codes_via_cli("--ignore", "NX003", "--severity", "NX003=info") == (1, [("NX001", "error")])


def test_a_directive_in_a_later_document_is_not_judged_unused() -> None:
    # hunt 129 F1: the second document is not linted, so its directive silenced nothing, was
    # reported NX099 and removed by --fix; alone in its own file, as NX003 says, it is needed
    second = "---\n" + UNPINNED.replace("nginx\n", "nginx  # nexlayer-lint: disable=NX215\n")
    found = lint_diags(CLEAN + second)
    assert [(d.code, d.line) for d in found] == [("NX003", 8)]
    # one in the first document is still judged
    found = lint_diags(CLEAN.replace("1.27\n", "1.27  # nexlayer-lint: disable=NX215\n") + second)
    assert [(d.code, d.line) for d in found] == [("NX099", 5), ("NX003", 8)]
    # hunt 131 F4: `...` ends the first document and starts none: a directive after it is judged
    found = lint_diags(CLEAN + "...\n# nexlayer-lint: disable=NX215\n")
    assert [(d.code, d.line) for d in found] == [("NX099", 9)]


def test_a_later_documents_strings_are_no_directives_past_where_its_reading_stopped(project: Path) -> None:
    # hunt 266 F1: past the stand-ins' limit on text colons, the reading of the later documents
    # stopped, and a `# nexlayer-lint:` inside a later string silenced the first document
    colons = ", ".join(f"img{n}:1.{n}" for n in range(8))
    later = f'---\nimages: [{colons}]\nnote: "lint with # nexlayer-lint: disable-file=NX003,NX101 (see docs)"\n'
    (project / "nexlayer.yaml").write_text(UNPINNED.replace("      servicePorts: [80]\n", "") + later)
    assert codes_via_cli() == (1, [("NX101", "error"), ("NX215", "warning"), ("NX003", "error")])


def test_a_later_documents_file_wide_directive_covers_that_document_alone(project: Path) -> None:
    # hunt 266 F2: `disable-file` in the second document silenced the first document's findings
    second = "--- # staging copy\n# nexlayer-lint: disable-file=NX101,NX003\napplication:\n  name: s\n  pods: []\n"
    (project / "nexlayer.yaml").write_text(UNPINNED.replace("      servicePorts: [80]\n", "") + second)
    # (NX003, at the `---`, is in that document)
    assert codes_via_cli() == (1, [("NX101", "error"), ("NX215", "warning")])
    # in the first document, it covers the whole file, the `---` too
    (project / "nexlayer.yaml").write_text("# nexlayer-lint: disable-file=NX215,NX003\n" + UNPINNED + "---\nx: 1\n")
    assert codes_via_cli() == (0, [])
    # a directive on the `---` line silences NX003 there
    (project / "nexlayer.yaml").write_text(UNPINNED + "--- # nexlayer-lint: disable=NX003\nx: 1\n")
    assert codes_via_cli() == (0, [("NX215", "warning")])


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\t"])
def test_a_code_cut_by_a_blank_is_no_prefix(project: Path, blank: str) -> None:
    # hunt 266 F3: `disable=NX2 15` silenced every NX2xx on its line, as the prefix `NX2`
    (project / "nexlayer.yaml").write_text(
        UNPINNED.replace("image: nginx", f"image: nginx  # nexlayer-lint: disable=NX2{blank}15")
    )
    status, found = codes_via_cli()
    assert (status, found) == (0, [("NX215", "warning"), ("NX099", "warning")])
    diagnostics = lint_diags(UNPINNED.replace("image: nginx", f"image: nginx  # nexlayer-lint: disable=NX2{blank}15"))
    assert [d.message for d in diagnostics if d.code == "NX099"] == [
        f'suppression names "NX2{blank}15", which is no known code'
    ]
    # a full code then digits: a note, as before (hunt 130 F5)
    (project / "nexlayer.yaml").write_text(
        UNPINNED.replace("image: nginx", "image: nginx  # nexlayer-lint: disable=NX215 15 days")
    )
    assert codes_via_cli() == (0, [])
    # a prefix then a word that only starts with digits: a note (hunt 278 F2: the NX099 fix of
    # `disable=NX21,NX102 2FA is on` wrote `NX21 2FA`, and so was refused)
    (project / "nexlayer.yaml").write_text(
        UNPINNED.replace("image: nginx", "image: nginx  # nexlayer-lint: disable=NX21 2FA is on")
    )
    assert codes_via_cli() == (0, [])
    (project / "nexlayer.yaml").write_text(
        UNPINNED.replace("image: nginx", "image: nginx  # nexlayer-lint: disable=NX21,NX102 2FA is on")
    )
    assert codes_via_cli() == (0, [("NX099", "warning")])
    assert codes_via_cli("--fix") == (0, [])
    assert "disable=NX21 2FA is on" in (project / "nexlayer.yaml").read_text()


@pytest.mark.parametrize(
    "cut", ["NX2 15.", "NX2 1.5", "NX2 15)", "NX2 15/NX216", "NX2 \uff11\uff15", "NX2 \u0661\u0665"]
)
def test_a_code_cut_by_a_blank_then_more_is_no_prefix(project: Path, cut: str) -> None:
    # hunt 282 F1 (my regression: digits then a full stop read as a note after the prefix NX2,
    # which silenced an error) and F2 (digits no ASCII, which the directive did not read on)
    (project / "nexlayer.yaml").write_text(
        UNPINNED.replace("image: nginx", f"image: nginx  # nexlayer-lint: disable={cut}")
    )
    assert codes_via_cli() == (0, [("NX215", "warning"), ("NX099", "warning")])
    diagnostics = lint_diags(UNPINNED.replace("image: nginx", f"image: nginx  # nexlayer-lint: disable={cut}"))
    assert [d.message for d in diagnostics if d.code == "NX099"] == [
        f'suppression names "{cut}", which is no known code'
    ]


def test_the_command_lines_severity_decides_every_code_it_covers(project: Path) -> None:
    # hunt 266 F4: `--severity NX2=error` lost to a config's longer `NX215 = "info"`
    (project / ".nexlayer-lint.toml").write_text('[severity]\nNX215 = "info"\nNX1 = "info"\n')
    assert codes_via_cli() == (0, [("NX215", "info")])
    assert codes_via_cli("--severity", "NX2=error") == (1, [("NX215", "error")])
    # a longer prefix on the command line still wins over a config's shorter one
    (project / ".nexlayer-lint.toml").write_text('[severity]\nNX2 = "info"\n')
    assert codes_via_cli("--severity", "NX215=error") == (1, [("NX215", "error")])


def test_an_extending_configs_severity_decides_every_code_it_covers(project: Path) -> None:
    (project / "base.toml").write_text('[severity]\nNX215 = "info"\n')
    (project / ".nexlayer-lint.toml").write_text('extend = "base.toml"\n[severity]\nNX2 = "error"\n')
    assert codes_via_cli() == (1, [("NX215", "error")])


def test_a_code_cut_by_many_blanks_is_read_in_linear_time() -> None:
    # hunt 271 F4: `disable=NX2 1 1 1 ...` joined the words again for each one (64 KB: 6.4 s)
    import time

    from nexlayer_lint.engine import lint

    line = "# nexlayer-lint: disable=NX2" + " 1" * 200_000 + "\n"  # 400 KB
    started = time.perf_counter()
    result = lint(UNPINNED + line)
    seconds = time.perf_counter() - started
    assert seconds < 5.0 * slowness(), f"{seconds:.1f} s"
    assert [d.code for d in result.diagnostics] == ["NX215", "NX099"]


@pytest.mark.parametrize("between", ["...\n", "...\n%YAML 1.1\n"])
def test_a_directive_after_the_first_documents_end_is_the_later_documents(project: Path, between: str) -> None:
    # hunt 271 F2: after the first document's `...` (or the second's `%YAML`), a `disable-file`
    # still silenced the first document
    first = UNPINNED.replace("      servicePorts: [80]\n", "")
    later = "# nexlayer-lint: disable-file=NX101,NX003\n---\nx: 1\n"
    (project / "nexlayer.yaml").write_text(first + between + later)
    assert codes_via_cli()[0] == 1 and ("NX101", "error") in codes_via_cli()[1]


def test_a_later_documents_directive_does_not_quiet_the_first_documents_nx099(project: Path) -> None:
    # hunt 271 F3: `disable-file=NX099` in a later document quieted the first document's NX099
    stale = UNPINNED.replace("servicePorts: [80]", "servicePorts: [80]  # nexlayer-lint: disable=NX201")
    (project / "nexlayer.yaml").write_text(stale + "---\n# nexlayer-lint: disable-file=NX099,NX003\nx: 1\n")
    assert codes_via_cli("--severity", "NX099=error") == (1, [("NX215", "warning"), ("NX099", "error")])


def test_a_directive_on_the_first_documents_end_marker_is_the_first_documents(project: Path) -> None:
    # hunt 272 F2: on the `...` line, a stale directive was taken for the later document's and
    # neither applied nor reported unused
    pinned = UNPINNED.replace("image: nginx", "image: nginx:1.27")
    text = pinned + "... # nexlayer-lint: disable=NX215\n--- # nexlayer-lint: disable-file=NX003\nx: 1\n"
    (project / "nexlayer.yaml").write_text(text)
    assert codes_via_cli("--severity", "NX099=error") == (1, [("NX099", "error")])
