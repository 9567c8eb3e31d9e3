"""Config discovery and precedence; every suppression form and NX099."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlayer_lint.cli import main
from nexlayer_lint.config import ConfigError, Settings, discover
from tests.conftest import lint_codes, lint_diags

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


def test_dot_file_wins_over_pyproject_in_the_same_folder(project):
    (project / "pyproject.toml").write_text('[tool.nexlayer-lint]\nignore = ["NX215"]\n')
    (project / ".nexlayer-lint.toml").write_text('select = ["NX1"]\n')
    settings = discover(project)
    assert settings.select == ("NX1",) and settings.ignore == ()
    assert settings.config_file.endswith(".nexlayer-lint.toml")


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


@pytest.mark.parametrize(("content", "message"), [
    ('selct = ["NX1"]\n', 'unknown setting "selct" (did you mean "select"?)'),
    ('select = "NX1, XX"\n', '"XX" matches no code'),
    ('fail-on = "fatal"\n', '"fail-on" must be one of error, warning, info'),
    ('timeout = "slow"\n', '"timeout" must be a number of seconds'),
    ('remote = "yes"\n', '"remote" must be true or false'),
    ("select = [\n", "not valid TOML"),
])
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


def test_unused_unknown_and_empty_directives_are_nx099():
    text = UNPINNED.replace("path: /\n", "path: / # nexlayer-lint: disable=NX999\n").replace(
        "servicePorts: [80]\n", "servicePorts: [80] # nexlayer-lint: disable=\n")
    found = [(d.code, d.line, d.message) for d in lint_diags(text) if d.code == "NX099"]
    assert found == [
        ("NX099", 6, 'suppression names "NX999", which is no known code'),
        ("NX099", 7, "suppression names no code"),
    ]


def test_hash_inside_strings_is_not_a_directive():
    text = UNPINNED.replace("path: /\n", "path: /\n      vars:\n        NOTE: 'x # nexlayer-lint: disable=NX215'\n")
    assert lint_codes(text) == [("NX215", 5, 14)]


def test_nx001_cannot_be_suppressed_or_ignored():
    text = "# nexlayer-lint: disable-file=NX001\napplication: [\n"
    assert [c for c, _, _ in lint_codes(text, ignore=("NX0",))] == ["NX001"]


def test_unused_suppression_of_a_disabled_code_is_not_reported():
    text = UNPINNED.replace("name: shop\n", "name: shop # nexlayer-lint: disable=NX213\n")
    assert lint_codes(text, ignore=("NX213",)) == [("NX215", 5, 14)]


def test_ordinary_comments_are_not_directives() -> None:
    # the Document holds every comment; only those that start with the prefix are directives
    text = UNPINNED.replace("image: nginx\n", "image: nginx  # nexlayer lint: disable=NX215\n")
    assert lint_codes(text + "# a note\n") == lint_codes(UNPINNED) == [("NX215", 5, 14)]


def test_where_a_disable_directive_takes_one_more_code() -> None:
    from nexlayer_lint import suppress

    line = "a: 1  # nexlayer-lint: disable=NX215, NX213 ,"
    assert line[: suppress.disable_codes_end(line)] == "a: 1  # nexlayer-lint: disable=NX215, NX213"
    assert suppress.disable_codes_end("a: 1  #nexlayer-lint:disable=NX2") == len("a: 1  #nexlayer-lint:disable=NX2")
    for line in ("a: 1  # nexlayer-lint: disable-file=NX215", "a: 1  # nexlayer-lint: disable=", "a: 1  # other"):
        assert suppress.disable_codes_end(line) is None, line
    assert suppress.disable_comment("NX215") == "# nexlayer-lint: disable=NX215"
