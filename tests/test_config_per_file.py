"""Each file is linted with the closest config above it, by the command line and the language
server alike; --config overrides; options win; per-file-ignores; each config read once a batch."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlayer_lint import config
from nexlayer_lint.cli import main
from nexlayer_lint.config import Options, Resolver, discover, for_file
from nexlayer_lint.engine import Linter
from tests.conftest import CLEAN

# NX213 (plaintext-secret) at 9:22 and NX215 (unpinned-image) at 5:14, both warnings
BOTH = CLEAN.replace("nginx:1.27", "nginx") + "      vars:\n        DB_PASSWORD: hunter2hunter2\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cli_findings(*args: str) -> dict[str, list[tuple[str, str, int, int]]]:
    result = CliRunner().invoke(main, ["--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return {
        f["path"]: [(d["code"], d["severity"], d["line"], d["col"]) for d in f["diagnostics"]]
        for f in json.loads(result.stdout)["files"]
    }


@pytest.fixture()
def nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The issue's tree: the root config ignores NX213 (and NX215 in legacy/), sub/'s ignores NX215."""
    write(tmp_path / ".nexlayer-lint.toml", 'ignore = ["NX213"]\n[per-file-ignores]\n"legacy/" = ["NX215"]\n')
    write(tmp_path / "nexlayer.yaml", BOTH)
    write(tmp_path / "legacy" / "nexlayer.yaml", BOTH)
    write(tmp_path / "sub" / ".nexlayer-lint.toml", 'ignore = ["unpinned-image"]\n')
    write(tmp_path / "sub" / "nexlayer.yaml", BOTH)
    write(tmp_path / "sub" / "deeper" / "nexlayer.yaml", BOTH)
    write(tmp_path / "other" / "pyproject.toml", '[tool.nexlayer-lint]\nseverity = { NX2 = "error" }\n')
    write(tmp_path / "other" / "nexlayer.yaml", BOTH)
    write(tmp_path / "plain" / "pyproject.toml", '[project]\nname = "not-ours"\n')  # no table: skipped
    write(tmp_path / "plain" / "nexlayer.yaml", BOTH)
    monkeypatch.chdir(tmp_path)
    return tmp_path


EXPECTED = {
    "legacy/nexlayer.yaml": [],
    "nexlayer.yaml": [("NX215", "warning", 5, 14)],
    "other/nexlayer.yaml": [("NX215", "error", 5, 14), ("NX213", "error", 9, 22)],
    "plain/nexlayer.yaml": [("NX215", "warning", 5, 14)],
    "sub/deeper/nexlayer.yaml": [("NX213", "warning", 9, 22)],
    "sub/nexlayer.yaml": [("NX213", "warning", 9, 22)],
}


def test_each_file_gets_its_closest_config_whatever_the_current_folder(nested):
    assert cli_findings() == EXPECTED
    assert cli_findings("sub/nexlayer.yaml") == {"sub/nexlayer.yaml": EXPECTED["sub/nexlayer.yaml"]}
    os.chdir(nested / "sub" / "deeper")
    assert cli_findings("nexlayer.yaml", "../../other/nexlayer.yaml") == {
        "nexlayer.yaml": EXPECTED["sub/deeper/nexlayer.yaml"],
        "../../other/nexlayer.yaml": EXPECTED["other/nexlayer.yaml"],
    }


def test_the_language_server_agrees_with_the_command_line_on_every_file(nested):
    pytest.importorskip("pygls")
    from pygls.uris import from_fs_path

    from nexlayer_lint.server import NexlayerLanguageServer

    server = NexlayerLanguageServer()
    from_cli = cli_findings()
    assert set(from_cli) == set(EXPECTED)
    for relative, findings in from_cli.items():
        path = nested / relative
        settings, error = server.settings_for(from_fs_path(str(path)))
        assert error is None
        linted = Linter(settings).lint(path.read_bytes(), str(path))
        assert [(d.code, d.severity, d.line, d.col) for d in linted.diagnostics] == findings, relative


def test_explicit_config_is_for_every_file_and_isolated_for_none(nested):
    write(nested / "ci.toml", 'severity = { NX213 = "info" }\n')
    everything = cli_findings("--config", "ci.toml")
    assert everything["sub/nexlayer.yaml"] == [("NX215", "warning", 5, 14), ("NX213", "info", 9, 22)]
    assert everything["nexlayer.yaml"] == everything["sub/nexlayer.yaml"]
    isolated = cli_findings("--isolated")
    assert all(found == [("NX215", "warning", 5, 14), ("NX213", "warning", 9, 22)] for found in isolated.values())


def test_command_line_options_win_over_every_files_config(nested):
    found = cli_findings("--severity", "NX215=info", "--ignore", "NX213")
    # --ignore adds to each config's ignore list (sub/ still ignores NX215), --severity to its table
    assert found["sub/nexlayer.yaml"] == []
    assert found["nexlayer.yaml"] == [("NX215", "info", 5, 14)]
    assert found["other/nexlayer.yaml"] == [("NX215", "info", 5, 14)]
    # --select starts the selection afresh, with only the command line's --ignore, as ruff
    found = cli_findings("--select", "NX2", "--ignore", "NX215")
    assert found["sub/nexlayer.yaml"] == found["nexlayer.yaml"] == [("NX213", "warning", 9, 22)]


def test_fail_on_is_each_files_own(nested):
    write(nested / "sub" / ".nexlayer-lint.toml", 'ignore = ["NX215"]\nfail-on = "warning"\n')
    assert CliRunner().invoke(main, ["nexlayer.yaml"]).exit_code == 0
    assert CliRunner().invoke(main, ["sub/nexlayer.yaml"]).exit_code == 1
    assert CliRunner().invoke(main, ["sub/nexlayer.yaml", "--exit-zero"]).exit_code == 0


def test_junit_fails_a_files_test_cases_at_that_files_own_fail_on(nested):
    # hunt 26 F2: JUnit failed every file at the strictest fail-on of the run, so a run that
    # exits 0 showed a failing test
    import xml.etree.ElementTree as ET

    write(nested / "sub" / ".nexlayer-lint.toml", 'ignore = ["NX215"]\nfail-on = "warning"\n')
    write(nested / "strict" / ".nexlayer-lint.toml", 'fail-on = "warning"\n')
    write(nested / "strict" / "nexlayer.yaml", CLEAN)

    def junit(*args: str) -> tuple[int, dict[str, str]]:
        result = CliRunner().invoke(main, ["--format", "junit", *args])
        suites = ET.fromstring(result.stdout).iter("testsuite")
        return result.exit_code, {suite.get("name", ""): suite.get("failures", "") for suite in suites}

    # the root's NX215 warning passes under its fail-on = error, beside a strict clean file
    assert junit("nexlayer.yaml", "strict") == (0, {"nexlayer.yaml": "0", "strict/nexlayer.yaml": "0"})
    # sub's NX213 warning fails under its own fail-on = warning, the root's still passes
    assert junit("nexlayer.yaml", "sub/nexlayer.yaml") == (1, {"nexlayer.yaml": "0", "sub/nexlayer.yaml": "1"})
    # --fail-on is every file's
    assert junit("nexlayer.yaml", "strict", "--fail-on", "warning")[1]["nexlayer.yaml"] == "1"
    # hunt 34 F8: --exit-zero changes the exit code only (as ruff's), not the report; the README says so
    assert junit("nexlayer.yaml", "sub/nexlayer.yaml", "--exit-zero") == (
        0,
        {"nexlayer.yaml": "0", "sub/nexlayer.yaml": "1"},
    )


def test_a_schema_file_in_a_config_is_relative_to_that_config(nested):
    strict = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "required": ["kind"]}'
    write(nested / "sub" / "strict.schema.json", strict)
    write(nested / "sub" / ".nexlayer-lint.toml", 'schema = "strict.schema.json"\nignore = ["NX2"]\n')
    found = cli_findings("sub/nexlayer.yaml", "nexlayer.yaml")
    assert found["sub/nexlayer.yaml"] == [("NX101", "error", 1, 1)]
    assert found["nexlayer.yaml"] == EXPECTED["nexlayer.yaml"]
    assert discover(nested / "sub").schema == str(nested / "sub" / "strict.schema.json")


def test_a_broken_config_below_stops_the_run_with_its_name(nested):
    write(nested / "sub" / ".nexlayer-lint.toml", 'ignroe = ["NX215"]\n')
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 2 and result.stdout == ""
    assert 'sub/.nexlayer-lint.toml: unknown setting "ignroe" (did you mean "ignore"?)' in result.stderr
    assert CliRunner().invoke(main, ["nexlayer.yaml"]).exit_code == 0  # not this file's config


# --- per-file-ignores ----------------------------------------------------------------------


def test_per_file_ignores_by_glob_code_prefix_or_name(nested):
    write(
        nested / ".nexlayer-lint.toml",
        """
[per-file-ignores]
"other/*" = ["NX2"]
"/nexlayer.yaml" = ["plaintext-secret"]  # anchored: this folder's file only
"sub/**" = "NX215, NX213"
""",
    )
    write(nested / "sub" / ".nexlayer-lint.toml", "")  # empty: sub/ governed by its own defaults
    found = cli_findings("nexlayer.yaml", "other/nexlayer.yaml", "sub/nexlayer.yaml")
    assert found["other/nexlayer.yaml"] == [("NX215", "error", 5, 14), ("NX213", "error", 9, 22)]  # its own config
    assert found["nexlayer.yaml"] == [("NX215", "warning", 5, 14)]
    assert found["sub/nexlayer.yaml"] == [("NX215", "warning", 5, 14), ("NX213", "warning", 9, 22)]
    os.remove(nested / "other" / "pyproject.toml")
    os.remove(nested / "sub" / ".nexlayer-lint.toml")
    found = cli_findings("other/nexlayer.yaml", "sub/deeper/nexlayer.yaml", "plain/nexlayer.yaml")
    assert found == {
        "other/nexlayer.yaml": [],
        "sub/deeper/nexlayer.yaml": [],
        "plain/nexlayer.yaml": [("NX215", "warning", 5, 14), ("NX213", "warning", 9, 22)],
    }


def test_a_per_file_ignores_glob_starting_with_a_bang_applies_to_every_file_it_does_not_match(nested):
    # hunt 54 F5: as in ruff; it was read as a gitignore's exception, which alone matched nothing
    os.remove(nested / "other" / "pyproject.toml")
    write(nested / ".nexlayer-lint.toml", '[per-file-ignores]\n"!other/**" = ["NX215"]\n')
    found = cli_findings("nexlayer.yaml", "other/nexlayer.yaml", "plain/nexlayer.yaml")
    assert found["other/nexlayer.yaml"] == [("NX215", "warning", 5, 14), ("NX213", "warning", 9, 22)]
    assert found["nexlayer.yaml"] == found["plain/nexlayer.yaml"] == [("NX213", "warning", 9, 22)]


def test_per_file_ignores_win_over_select(nested):
    write(nested / ".nexlayer-lint.toml", 'select = ["NX215"]\n[per-file-ignores]\n"nexlayer.yaml" = ["NX2"]\n')
    settings = Resolver().for_file("nexlayer.yaml")
    assert "NX215" in settings.ignore and "NX001" not in settings.ignore
    assert cli_findings("nexlayer.yaml") == {"nexlayer.yaml": []}
    assert for_file(settings, "elsewhere/x.yaml") is settings


def test_per_file_ignores_cannot_turn_off_nx001(nested):
    write(nested / ".nexlayer-lint.toml", '[per-file-ignores]\n"*.yaml" = ["NX001"]\n')
    result = CliRunner().invoke(main, ["nexlayer.yaml"])
    assert result.exit_code == 2
    assert "NX001 (yaml-syntax) cannot be turned off" in result.stderr


# --- a batch reads each config once --------------------------------------------------------


def test_a_batch_reads_each_config_once_and_asks_each_folder_once(tmp_path, monkeypatch):
    write(tmp_path / ".nexlayer-lint.toml", 'ignore = ["NX215"]\n')
    write(tmp_path / "team" / ".nexlayer-lint.toml", 'severity = { NX213 = "error" }\n')
    paths = []
    for i in range(300):
        paths.append(str(write(tmp_path / ("team" if i % 2 else "apps") / f"app{i}" / "nexlayer.yaml", BOTH)))
    reads, looks = [], []
    real_read, real_look = config.read_config, config._config_in
    monkeypatch.setattr(config, "read_config", lambda path, base=None: reads.append(path) or real_read(path, base))
    monkeypatch.setattr(config, "_config_in", lambda folder: looks.append(folder) or real_look(folder))
    resolver = Resolver(Options(ignore=("NX213",)))
    settings = [resolver.for_file(path) for path in paths]
    configs = [str(tmp_path / ".nexlayer-lint.toml"), str(tmp_path / "team" / ".nexlayer-lint.toml")]
    assert sorted(map(str, reads)) == configs
    assert len(looks) == len(set(looks)) == 300 + 3  # each app folder, then team/, apps/ and the top, once
    assert len({id(s) for s in settings}) == 2  # the batch falls into two groups, one Linter each
    assert settings[1].severity == {"NX213": "error"} and settings[0].ignore == ("NX215", "NX213")
    assert resolver.configs == configs


def test_a_big_batch_with_two_configs_lints_in_order_across_workers(tmp_path, monkeypatch):
    write(tmp_path / "team" / ".nexlayer-lint.toml", 'ignore = ["NX213"]\n')
    for i in range(240):
        write(tmp_path / ("team" if i % 3 == 0 else "apps") / f"a{i:03}" / "nexlayer.yaml", BOTH)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", "2")
    found = cli_findings()
    assert list(found) == sorted(found)
    for path, diagnostics in found.items():
        codes = [code for code, *_ in diagnostics]
        assert codes == (["NX215"] if path.startswith("team") else ["NX215", "NX213"]), path


def test_discover_and_the_resolver_are_the_same_rule(nested):
    for folder in ("", "sub", "sub/deeper", "other", "plain"):
        from_server = discover(nested / folder)
        assert Resolver().for_folder(folder) == from_server


# --- extend --------------------------------------------------------------------------------


def test_a_config_extends_another_and_its_own_keys_win(nested):
    # sub/ extends the root config: NX213 stays ignored there (inherited), NX215 too (its own),
    # and the root's per-file-ignores glob stays relative to the root's folder
    write(nested / "sub" / ".nexlayer-lint.toml", 'extend = "../.nexlayer-lint.toml"\nignore = ["NX215"]\n')
    found = cli_findings()
    assert found["sub/nexlayer.yaml"] == found["sub/deeper/nexlayer.yaml"] == []
    write(nested / "sub" / ".nexlayer-lint.toml", 'extend = "../.nexlayer-lint.toml"\nfail-on = "warning"\n')
    found = cli_findings()
    assert found["sub/nexlayer.yaml"] == [("NX215", "warning", 5, 14)]  # NX213 ignored by the root's config
    assert CliRunner().invoke(main, ["sub/nexlayer.yaml"]).exit_code == 1  # its own fail-on
    assert CliRunner().invoke(main, ["nexlayer.yaml"]).exit_code == 0  # the root's files keep theirs
    assert found["legacy/nexlayer.yaml"] == []
    # its own `select` starts afresh, without the ignores it would inherit (as --select does);
    # a severity table adds code by code
    write(nested / ".nexlayer-lint.toml", 'ignore = ["NX213"]\nseverity = { NX215 = "info", NX213 = "info" }\n')
    write(
        nested / "sub" / ".nexlayer-lint.toml",
        'extend = "../.nexlayer-lint.toml"\nselect = ["NX2"]\nseverity = { NX213 = "error" }\n',
    )
    assert cli_findings("sub/nexlayer.yaml")["sub/nexlayer.yaml"] == [
        ("NX215", "info", 5, 14),
        ("NX213", "error", 9, 22),
    ]
    write(nested / ".nexlayer-lint.toml", 'ignore = ["NX213"]\n[per-file-ignores]\n"legacy/" = ["NX215"]\n')
    write(nested / "sub" / ".nexlayer-lint.toml", 'extend = "../.nexlayer-lint.toml"\nfail-on = "warning"\n')
    settings = discover(nested / "sub")
    assert settings.config_file == str(nested / "sub" / ".nexlayer-lint.toml")
    assert settings.extended == (str(nested / ".nexlayer-lint.toml"),)
    assert [(p.base, p.glob) for p, _ in settings.per_file_ignores] == [(str(nested), "legacy/")]


def test_extend_in_a_pyproject_and_of_a_pyproject_adds_extend_keys(nested):
    write(nested / "base" / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["old"]\nunfixable = ["NX104"]\n')
    write(
        nested / "app" / "pyproject.toml",
        '[tool.nexlayer-lint]\nextend = "../base/pyproject.toml"\nextend-exclude = ["tmp"]\n',
    )
    settings = discover(nested / "app")
    # extend-exclude adds to the extended config's (as ruff's extend-*); each glob keeps its own folder
    assert [(p.base, p.glob) for p in settings.extend_exclude] == [
        (str(nested / "base"), "old"),
        (str(nested / "app"), "tmp"),
    ]
    assert settings.unfixable == ("NX104",)
    shown = CliRunner().invoke(main, ["--show-settings", "app/nexlayer.yaml"]).stdout.splitlines()
    assert shown[1:3] == [
        f"# config: {nested / 'app' / 'pyproject.toml'}",
        f"# extends: {nested / 'base' / 'pyproject.toml'}",
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.toml": 'extend = "b.toml"\n', "b.toml": 'extend = "a.toml"\n'}, "configs extend each other in a loop: "),
        ({"a.toml": 'extend = "a.toml"\n'}, "configs extend each other in a loop: "),
        ({"a.toml": 'extend = "missing.toml"\n'}, "the config it extends, "),
        # hunt 68 F7: "File name too long" alone, naming neither the config nor `extend`
        (
            {"a.toml": f'extend = "{"a" * 300}.toml"\n'},
            f"a.toml: the config it extends, {'a' * 77}..., cannot be read: ",  # the value shortened
        ),
        ({"a.toml": "extend = 3\n"}, '"extend" must be the path of another config file, not 3'),
        ({"a.toml": 'extend = "b.toml"\n', "b.toml": 'ignroe = ["NX215"]\n'}, 'b.toml: unknown setting "ignroe"'),
        (
            {"a.toml": 'extend = "b.toml"\n', "b.toml": "remote-send-secrets = true\n"},
            "can only be given on the command line",
        ),
    ],
)
def test_a_bad_extend_is_a_config_error_naming_the_file(tmp_path, monkeypatch, files, message):
    for name, text in files.items():
        write(tmp_path / "cfg" / name, text)
    write(tmp_path / "nexlayer.yaml", BOTH)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--config", "cfg/a.toml", "nexlayer.yaml"])
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_long_chain_of_extends_is_refused(tmp_path):
    for i in range(config.MAX_EXTENDS + 2):
        write(tmp_path / f"c{i}.toml", f'extend = "c{i + 1}.toml"\n' if i <= config.MAX_EXTENDS else "")
    assert config.read_config(tmp_path / f"c{2}.toml").extended[-1] == str(tmp_path / f"c{config.MAX_EXTENDS + 1}.toml")
    with pytest.raises(config.ConfigError, match=f"more than {config.MAX_EXTENDS} configs extend one another"):
        config.read_config(tmp_path / "c1.toml")  # hunt 68 F7: eleven were taken


def test_the_language_server_reads_a_config_again_when_the_one_it_extends_changes(nested):
    pytest.importorskip("pygls")
    from pygls.uris import from_fs_path

    from nexlayer_lint.server import NexlayerLanguageServer

    write(nested / "sub" / ".nexlayer-lint.toml", 'extend = "../.nexlayer-lint.toml"\n')
    server = NexlayerLanguageServer()
    uri = from_fs_path(str(nested / "sub" / "nexlayer.yaml"))
    assert server.settings_for(uri)[0].ignore == ("NX213",)
    write(nested / ".nexlayer-lint.toml", 'ignore = ["NX215", "NX2"]\n')  # longer: its size changes
    assert server.settings_for(uri)[0].ignore == ("NX215", "NX2")
    (nested / ".nexlayer-lint.toml").unlink()
    settings, error = server.settings_for(uri)
    assert error is not None and "the config it extends" in error and settings.ignore == ()
    write(nested / ".nexlayer-lint.toml", 'ignore = ["NX213"]\n')  # back: read again, not the cached error
    assert server.settings_for(uri) == (server.settings_for(uri)[0], None)
    assert server.settings_for(uri)[0].ignore == ("NX213",)


def test_per_file_ignores_globs_are_matched_each_on_its_own_as_one_glob_is() -> None:
    # hunt 68 F8: each glob was matched apart for every file (200,000 globs: 2 s a file); they
    # are compiled and indexed once now, and each must still match as it does alone
    from nexlayer_lint.globs import PathPattern, each_matching, matches

    globs = [
        "a",
        "/a",
        "a/",
        "a/**",
        "**/b.yaml",
        "*.yaml",
        "a/*/c",
        "!a",
        "x?z",
        "[ab]",
        "**",
        "b/",
        "/a/b.yaml",
        "!!a",
    ]
    patterns = tuple(PathPattern(base, glob) for base in ("/r", "/r/a") for glob in globs)
    for path in ("/r/a", "/r/a/b.yaml", "/r/a/q/c", "/r/xyz/b.yaml", "/r/b/a", "/q/a", "/r/a/a/b.yaml"):
        alone = {
            place
            for place, pattern in enumerate(patterns)
            if matches((pattern._replace(glob=pattern.glob.removeprefix("!")),), path)
        }
        assert each_matching(patterns, path) == alone, path


def test_dot_dot_after_a_symlinked_folder_finds_the_config_of_the_file_read(tmp_path, monkeypatch) -> None:
    # hunt 68 F5: `lax/s/../nexlayer.yaml` read strict/'s file with lax/'s laxer config: it passed
    write(tmp_path / "strict" / "nexlayer.yaml", CLEAN.replace("nginx:1.27", "nginx"))
    (tmp_path / "strict" / "sub").mkdir()
    write(tmp_path / "lax" / ".nexlayer-lint.toml", 'ignore = ["NX2"]\n')
    (tmp_path / "lax" / "s").symlink_to(tmp_path / "strict" / "sub")
    monkeypatch.chdir(tmp_path)
    named = CliRunner().invoke(main, ["lax/s/../nexlayer.yaml"])
    assert named.exit_code == 0 and "NX215" in named.stdout  # a warning, as for strict/nexlayer.yaml
    assert CliRunner().invoke(main, ["lax/nexlayer.yaml"]).exit_code == 2  # lexically, another file
    # hunt 70 F1: and that config's per-file-ignores and excludes, matched against the file read
    write(tmp_path / "strict" / ".nexlayer-lint.toml", '[per-file-ignores]\n"/nexlayer.yaml" = ["NX215"]\n')
    assert "NX215" not in CliRunner().invoke(main, ["lax/s/../nexlayer.yaml"]).stdout
    write(tmp_path / "strict" / ".nexlayer-lint.toml", 'extend-exclude = ["/nexlayer.yaml"]\nforce-exclude = true\n')
    assert CliRunner().invoke(main, ["--show-files", "lax/s/../nexlayer.yaml"]).stdout == ""
    # hunt 72 F3: a folder named so is searched where the system goes
    write(tmp_path / "strict" / "sub" / "nexlayer.yaml", CLEAN)
    assert CliRunner().invoke(main, ["--show-files", "lax/s/../sub"]).stdout.splitlines() == [
        "strict/sub/nexlayer.yaml"
    ]
    # hunt 71 F4: a symlink after the last `..` keeps its name, as without the `..`
    (tmp_path / "pinned").symlink_to(tmp_path / "strict" / "sub")
    write(tmp_path / "strict" / "sub" / "nexlayer.yaml", CLEAN.replace("nginx:1.27", "nginx"))
    write(tmp_path / ".nexlayer-lint.toml", '[per-file-ignores]\n"pinned/**" = ["NX215"]\n')
    for name in ("pinned/nexlayer.yaml", "lax/../pinned/nexlayer.yaml"):
        assert "NX215" not in CliRunner().invoke(main, [name]).stdout, name


def test_each_folder_s_unsafe_fixes_marks_and_counts_its_own_findings(tmp_path: Path, monkeypatch) -> None:
    # hunt 76 F2: the reports took one run-wide choice, unset as soon as two folders differed, so
    # a's finding, which --fix does fix, lost its [*] and every count said otherwise
    no_path = CLEAN.replace("      path: /\n", "")
    write(tmp_path / "a" / "nexlayer.yaml", no_path)
    write(tmp_path / "a" / ".nexlayer-lint.toml", "unsafe-fixes = true\n")
    write(tmp_path / "b" / "nexlayer.yaml", no_path)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[str, str]:
        result = CliRunner().invoke(main, ["--no-show-source", *args, "a", "b"], catch_exceptions=False)
        return result.stdout, result.stderr

    out, _ = run()
    assert [line.split(" no pod")[0] for line in out.splitlines() if "NX201" in line] == [
        "a/nexlayer.yaml:3:3: error NX201 [*]",
        "b/nexlayer.yaml:3:3: error NX201",
    ]
    assert out.splitlines()[-1] == "[*] 1 fixable with --fix (1 more with --unsafe-fixes)"
    assert json.loads(run("--statistics", "--format", "json")[0])[0]["fixable"] == 1
    assert run("--diff")[1] == "would fix 1 problem in 1 file (1 more with --unsafe-fixes)\n"
