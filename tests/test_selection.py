"""Which files a run lints: exclude, extend-exclude, .gitignore (nested), force-exclude, folders named."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint.cli import main
from tests.conftest import CLEAN

UNPINNED = CLEAN.replace("nginx:1.27", "nginx")  # NX215 warning at 5:14


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def shown_files(*args: str) -> list[str]:
    result = run("--show-files", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def write(path: Path, text: str = CLEAN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: a clean file at the top, deploy/ and examples/broken/ below it."""
    root = tmp_path / "project"
    write(root / "nexlayer.yaml")
    write(root / "deploy" / "nexlayer.yml")
    write(root / "examples" / "broken" / "nexlayer.yaml", UNPINNED)
    write(root / "examples" / "good" / "nexlayer.yaml")
    monkeypatch.chdir(root)
    return root


ALL = ["deploy/nexlayer.yml", "examples/broken/nexlayer.yaml", "examples/good/nexlayer.yaml", "nexlayer.yaml"]


def test_no_config_finds_every_nexlayer_file_in_path_order(tree):
    assert shown_files() == ALL


def test_extend_exclude_in_config_skips_a_folder_and_a_bare_run_passes(tree):
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["examples/broken"]\n')
    assert shown_files() == ["deploy/nexlayer.yml", "examples/good/nexlayer.yaml", "nexlayer.yaml"]
    assert run("--fail-on", "warning").exit_code == 0
    # the folder named on the command line is searched all the same, as ruff does
    assert shown_files("examples/broken") == ["examples/broken/nexlayer.yaml"]
    assert shown_files("examples") == ["examples/good/nexlayer.yaml"]
    named = run("examples/broken", "--fail-on", "warning", "--no-show-source")
    assert named.exit_code == 1 and "examples/broken/nexlayer.yaml:5:14: warning NX215" in named.stdout


def test_globs_in_a_config_are_relative_to_its_folder(tree):
    # run from a subfolder: the config two levels up still means its own examples/broken
    write(tree / ".nexlayer-lint.toml", 'extend-exclude = ["examples/broken"]\n')
    (tree / "examples").joinpath("broken", "deeper").mkdir()
    write(tree / "examples" / "broken" / "deeper" / "nexlayer.yaml")
    import os

    os.chdir(tree / "examples")
    assert shown_files() == ["good/nexlayer.yaml"]
    assert shown_files(".", "--extend-exclude", "good") == []


def test_a_name_without_a_slash_matches_at_any_depth(tree):
    write(tree / ".nexlayer-lint.toml", 'extend-exclude = ["broken", "*.yml"]\n')
    assert shown_files() == ["examples/good/nexlayer.yaml", "nexlayer.yaml"]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tree):
    write(tree / "node_modules" / "pkg" / "nexlayer.yaml")
    assert "node_modules/pkg/nexlayer.yaml" not in shown_files()
    write(tree / ".nexlayer-lint.toml", 'exclude = ["deploy"]\n')
    assert shown_files() == [
        "examples/broken/nexlayer.yaml",
        "examples/good/nexlayer.yaml",
        "nexlayer.yaml",
        "node_modules/pkg/nexlayer.yaml",
    ]


def test_command_line_exclude_and_extend_exclude(tree):
    write(tree / ".nexlayer-lint.toml", 'extend-exclude = ["deploy"]\n')
    # --extend-exclude adds to the config's list; comma-separated like ruff's
    assert shown_files("--extend-exclude", "examples/good,examples/broken") == ["nexlayer.yaml"]
    # --exclude replaces the config's `exclude` (the defaults here), not its extend-exclude
    assert shown_files("--exclude", "examples") == ["nexlayer.yaml"]


def test_a_dot_slash_or_absolute_glob_is_read_as_ruff_reads_it(tree):
    # hunt 63 F5: `./examples` and `$PWD/examples` matched nothing, silently, by git's rules
    for glob in ("./examples", f"{tree}/examples", "./examples/good/nexlayer.yaml,./examples/broken/"):
        assert shown_files("--extend-exclude", glob) == ["deploy/nexlayer.yml", "nexlayer.yaml"], glob
        named = ["--force-exclude", "--extend-exclude", glob, "examples/good/nexlayer.yaml", "nexlayer.yaml"]
        assert shown_files(*named) == ["nexlayer.yaml"], glob
    # anchored at the base: `./deploy` is not a `deploy` folder deeper down
    write(tree / "examples" / "deploy" / "nexlayer.yaml")
    assert shown_files("--extend-exclude", "./deploy,!./examples/broken") == [
        "examples/broken/nexlayer.yaml",
        "examples/deploy/nexlayer.yaml",
        "examples/good/nexlayer.yaml",
        "nexlayer.yaml",
    ]
    # hunt 67 F6: run from a folder below, `../x` and an absolute glob above it name that path
    sub = tree / "deploy"
    os.chdir(sub)
    for glob in ("../examples", f"{tree}/examples/"):
        assert shown_files("--extend-exclude", glob, "..") == ["../deploy/nexlayer.yml", "../nexlayer.yaml"], glob
    os.chdir(tree)
    # in a config, relative to the config's folder
    write(tree / ".nexlayer-lint.toml", f'extend-exclude = ["./deploy", "{tree}/examples/good"]\n')
    assert shown_files() == ["examples/broken/nexlayer.yaml", "examples/deploy/nexlayer.yaml", "nexlayer.yaml"]


def test_defaults_do_not_exclude_the_folders_a_project_lives_in(tmp_path, monkeypatch):
    root = tmp_path / "venv" / "node_modules" / "project"
    write(root / "nexlayer.yaml")
    write(root / "build" / "venv" / "nexlayer.yaml")
    monkeypatch.chdir(root)
    assert shown_files() == ["nexlayer.yaml"]  # the venv inside the project is skipped, not the project
    assert shown_files("--exclude", "nothing") == ["build/venv/nexlayer.yaml", "nexlayer.yaml"]


def test_a_run_that_finds_no_file_still_writes_its_report_files(tree):
    # hunt 45 F3: no report was written, so CI's upload step found none, or an earlier run's
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["examples/broken"]\n')
    broken = "examples/broken/nexlayer.yaml"
    write(tree / "old.sarif", "stale")
    args = ["--format", "sarif", "-o", "old.sarif", "--format", "gitlab", "-o", "gl.json", "--format", "junit"]
    result = run(broken, "--force-exclude", *args, "-o", "junit.xml", "--format", "github")
    assert result.exit_code == 0 and result.stdout == ""
    sarif = json.loads((tree / "old.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    assert json.loads((tree / "gl.json").read_text(encoding="utf-8")) == []
    assert 'tests="0" failures="0"' in (tree / "junit.xml").read_text(encoding="utf-8")
    # hunt 47 F2: also a statistics table, and a quiet text report is as empty as a clean file's
    result = run(broken, "--force-exclude", "--statistics", "--format", "json", "-o", "stats.json")
    assert result.exit_code == 0 and json.loads((tree / "stats.json").read_text(encoding="utf-8")) is not None
    result = run(broken, "--force-exclude", "-q", "-o", "report.txt")
    assert result.exit_code == 0 and (tree / "report.txt").read_text(encoding="utf-8") == ""


@pytest.mark.parametrize(
    ("args", "document"),
    [
        (["--format", "json"], lambda out: json.loads(out)["files"] == []),
        (["--format", "sarif"], lambda out: json.loads(out)["runs"][0]["results"] == []),
        (["--format", "gitlab"], lambda out: json.loads(out) == []),
        (["--format", "junit"], lambda out: 'tests="0" failures="0"' in out),
        (["--statistics", "--format", "json"], lambda out: json.loads(out) == []),
        (["--format", "text"], lambda out: out == ""),  # standard error says why
    ],
)
def test_a_run_that_finds_no_file_prints_its_document_of_no_files(tree, args, document):
    # hunt 76 F1: standard output was empty, so `> x.sarif` was no SARIF and `| jq` failed
    result = run("examples/broken/nexlayer.yaml", "--force-exclude", "--extend-exclude", "examples", *args)
    assert result.exit_code == 0 and document(result.stdout), result.stdout
    assert "no nexlayer.yaml or nexlayer.yml found" in result.stderr


def test_a_run_that_finds_no_file_reads_the_config_of_what_it_searched(tmp_path, monkeypatch):
    # hunt 77 F6: the report of no files read the current folder's config for its schema, so a
    # broken one that governs nothing searched ended the run in a traceback
    write(tmp_path / "project" / "pyproject.toml", '[tool.nexlayer-lint]\ntimeout = "x"\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    for args in ([], ["--format", "json"], ["--format", "sarif"]):
        result = run(*args, "../elsewhere")
        assert result.exit_code == 0 and "no nexlayer.yaml" in result.stderr, result.output
    assert json.loads(run("--format", "json", "../elsewhere").stdout)["schema"]["source"] == "bundled"
    result = run("--format", "json", ".")  # the folder searched has the broken config: an error
    assert result.exit_code == 2 and '"timeout" must be a number of seconds' in result.stderr


def test_a_buffer_given_back_by_fix_is_all_that_standard_output_holds(tree):
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["skipped.yaml"]\nforce-exclude = true\n')
    args = ["--fix", "--format", "json", "--stdin-filename", "skipped.yaml", "-"]
    result = CliRunner().invoke(main, args, input="a: 1\n", catch_exceptions=False)
    assert result.exit_code == 0 and result.stdout == "a: 1\n"


def test_a_folder_that_cannot_be_read_fails_the_run(tree, monkeypatch):
    # hunt 43 F4: an unreadable folder was passed over (exit 0, "no nexlayer.yaml found"), so CI
    # passed without linting what it holds. Denied here by a stand-in for os.scandir: the tests
    # may run as root, whom no permission stops.
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "deploy":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("--no-show-source", ".")
    assert result.exit_code == 2
    # hunt 55 F1: the search's reason, not "is a directory" (the folder opens, and reads as none)
    assert "nexlayer-lint: deploy: cannot search this folder: Permission denied" in result.stderr
    result = run("--no-show-source", "deploy")
    assert result.exit_code == 2 and "nexlayer-lint: deploy: cannot search this folder" in result.stderr


def test_a_file_under_a_folder_that_cannot_be_searched_is_no_missing_file(tree, monkeypatch):
    # hunt 43 F4: `deploy/nexlayer.yml` under an unsearchable folder said "no such file"
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if "deploy" in os.fspath(path):
            raise PermissionError(13, "Permission denied", path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "lstat", stat)
    monkeypatch.setattr(os, "open", lambda path, *args: (_ for _ in ()).throw(PermissionError(13, "denied", path)))
    result = run("--no-show-source", "deploy/nexlayer.yml")
    assert result.exit_code == 2 and "deploy/nexlayer.yml: permission denied" in result.stderr


def test_force_exclude_skips_excluded_files_named_explicitly(tree):
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["examples/broken"]\n')
    broken = "examples/broken/nexlayer.yaml"
    assert shown_files(broken) == [broken]  # named: linted, as ruff does
    assert shown_files(broken, "--force-exclude") == []
    assert shown_files("examples/broken", "--force-exclude") == []
    assert shown_files(broken, "examples/good/nexlayer.yaml", "--force-exclude") == ["examples/good/nexlayer.yaml"]
    result = run(broken, "--force-exclude")
    assert result.exit_code == 0 and result.stdout == ""
    # it says which named paths the excludes left out, where ruff says only that none was found
    said = f"nexlayer-lint: no nexlayer.yaml or nexlayer.yml found (left out by force-exclude: {broken})\n"
    assert result.stderr == said
    args = ["examples/broken", "-", "--force-exclude", "--stdin-filename", broken]
    result = CliRunner().invoke(main, args, input="x: 1\n", catch_exceptions=False)
    assert result.stderr.endswith("(left out by force-exclude: examples/broken, examples/broken/nexlayer.yaml)\n")
    result = run("examples/good/nexlayer.yaml", "--force-exclude")
    assert "left out" not in result.stderr
    (tree / "empty").mkdir()
    assert run("empty").stderr == "nexlayer-lint: no nexlayer.yaml or nexlayer.yml found\n"  # none excluded
    # in the config, as pre-commit users set it once
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["examples/broken"]\nforce-exclude = true\n')
    assert shown_files(broken) == []
    assert shown_files(broken, "--no-force-exclude") == [broken]
    # a folder above the file matches, and default excludes count too
    write(tree / "node_modules" / "x" / "nexlayer.yaml")
    assert shown_files("node_modules/x/nexlayer.yaml") == []


@pytest.mark.parametrize("how", ["no config", "--isolated", "--config"])
def test_default_excludes_hold_in_a_folder_searched_outside_the_current_one(tree, monkeypatch, how):
    # hunt 98 F1: with no config (or --isolated, or a --config that sets no exclude) the default
    # names held below the current folder only, so `nexlayer-lint ..` linted ../node_modules
    options = {"no config": (), "--isolated": (how,), "--config": (how, str(write(tree / "ci.toml", "")))}[how]
    write(tree / "node_modules" / "pkg" / "nexlayer.yaml")
    write(tree / ".venv" / "lib" / "nexlayer.yaml")
    assert "node_modules/pkg/nexlayer.yaml" not in shown_files(*options)
    monkeypatch.chdir(tree / "deploy")
    found = shown_files(*options, "..")
    assert "../deploy/nexlayer.yml" in found
    assert not [path for path in found if "node_modules" in path or "venv" in path]
    assert shown_files(*options, "--force-exclude", "../node_modules/pkg/nexlayer.yaml") == []
    # a project in a folder named as a default is still linted, from inside it and from beside it
    write(tree / "venv" / "app" / "nexlayer.yaml")
    monkeypatch.chdir(tree / "venv" / "app")
    assert shown_files(*options, "--force-exclude", "nexlayer.yaml") == ["nexlayer.yaml"]


def test_force_exclude_leaves_out_what_a_search_leaves_out_in_a_folder_with_its_own_config(tree):
    # hunt 98 F3: the top config excludes vendor, and vendor/thirdparty has a config of its own:
    # a search skipped it, the pre-commit hook's --force-exclude judged it by that config alone
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["vendor"]\n')
    write(tree / "vendor" / "thirdparty" / ".nexlayer-lint.toml", "")
    write(tree / "vendor" / "thirdparty" / "nexlayer.yaml", UNPINNED)
    assert "vendor/thirdparty/nexlayer.yaml" not in shown_files()
    assert shown_files("--force-exclude", "vendor/thirdparty/nexlayer.yaml", "nexlayer.yaml") == ["nexlayer.yaml"]
    assert shown_files("--force-exclude", "vendor/thirdparty") == []
    assert shown_files("--force-exclude", "vendor/thirdparty/") == []
    assert shown_files("vendor/thirdparty/nexlayer.yaml") == ["vendor/thirdparty/nexlayer.yaml"]  # named: linted
    # hunt 102 F3: the config that excludes the folder says whether that holds for a named file
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["vendor"]\nforce-exclude = true\n')
    assert shown_files("vendor/thirdparty/nexlayer.yaml", "nexlayer.yaml") == ["nexlayer.yaml"]


def test_a_broken_config_above_a_named_file_s_own_is_not_read_for_it(tree):
    # hunt 103 F3: judging the folders on the way read every config above, and a broken one was exit 2
    write(tree / "a" / ".nexlayer-lint.toml", "ignroe = 1\n")
    write(tree / "a" / "b" / ".nexlayer-lint.toml", "")
    write(tree / "a" / "b" / "nexlayer.yaml")
    assert shown_files("a/b/nexlayer.yaml") == ["a/b/nexlayer.yaml"]
    assert shown_files("--force-exclude", "a/b/nexlayer.yaml") == ["a/b/nexlayer.yaml"]
    # hunt 186 F2: nor for a named folder with its own config (it was exit 2, the file named was linted)
    assert shown_files("a/b") == shown_files("a/b/") == ["a/b/nexlayer.yaml"]


def test_force_exclude_skips_named_files_in_a_virtualenv_as_a_search_does(tree, monkeypatch):
    # hunt 26 F7: a search skips a folder holding pyvenv.cfg; pre-commit's named files were linted
    write(tree / "env" / "pyvenv.cfg", "home = /usr\n")
    write(tree / "env" / "lib" / "nexlayer.yaml")
    write(tree / "env" / "nexlayer.yaml")
    assert "env/nexlayer.yaml" not in shown_files()
    named = ["env/nexlayer.yaml", "env/lib/nexlayer.yaml", "nexlayer.yaml"]
    assert shown_files(*named) == named  # named without --force-exclude: linted
    assert shown_files(*named, "--force-exclude") == ["nexlayer.yaml"]
    assert shown_files("env", "--force-exclude") == []
    assert shown_files("-", "--stdin-filename", "env/lib/nexlayer.yaml", "--force-exclude") == []
    # from a sub-folder, a file outside it: the folders below the one both are in count
    monkeypatch.chdir(tree / "deploy")
    assert shown_files("../env/lib/nexlayer.yaml", "../nexlayer.yaml", "--force-exclude") == ["../nexlayer.yaml"]
    # a project inside a virtualenv is linted, as a search from it lints it
    monkeypatch.chdir(tree / "env")
    assert shown_files("--force-exclude") == ["lib/nexlayer.yaml", "nexlayer.yaml"]
    assert shown_files("nexlayer.yaml", "lib/nexlayer.yaml", "--force-exclude") == [
        "nexlayer.yaml",
        "lib/nexlayer.yaml",
    ]
    # hunt 29 F7: the file named through a symlinked folder (`$PWD/...`), getcwd's real path
    # shared only `/` with it, so the project itself counted as a virtualenv above the file
    (tree.parent / "link").symlink_to(tree)
    named = str(tree.parent / "link" / "env" / "nexlayer.yaml")
    assert shown_files(named, "--force-exclude") == [named]


def test_force_exclude_applies_to_stdin_by_its_filename(tree):
    write(tree / ".nexlayer-lint.toml", 'extend-exclude = ["examples/broken"]\nforce-exclude = true\n')
    result = CliRunner().invoke(main, ["-", "--stdin-filename", "examples/broken/nexlayer.yaml"], input=UNPINNED)
    assert result.exit_code == 0 and result.stdout == ""
    result = CliRunner().invoke(
        main, ["-", "--stdin-filename", "nexlayer.yaml", "--fail-on", "warning", "--no-show-source"], input=UNPINNED
    )
    assert result.exit_code == 1 and "nexlayer.yaml:5:14: warning NX215" in result.stdout


# --- .gitignore ----------------------------------------------------------------------------


@pytest.fixture()
def repo(tree: Path) -> Path:
    (tree / ".git" / "info").mkdir(parents=True)  # enough for a work tree's top; no git needed
    return tree


def test_a_gitignore_over_a_mebibyte_is_read_whole(repo):
    # hunt 68 F2: only its first MiB was read, so a later `!deploy/` was dropped and the file skipped
    write(repo / ".gitignore", "deploy/\n" + "# padding\n" * 120_000 + "!deploy/\n")
    assert shown_files() == ALL


# What git says of four files (`git status --ignored` in a real repository, git 2.x) under a
# .gitignore of one glob and three `!file` lines: a glob ending with a written `/**` matches what
# is below a folder, never the folder, so the files right inside it can be taken back.
_BELOW = ["dir/nexlayer.yaml", "dir/sub/nexlayer.yaml", "x/d/nexlayer.yaml", "x/d/e/nexlayer.yaml"]
_TAKEN_BACK = "!dir/nexlayer.yaml\n!x/d/nexlayer.yaml\n!dir/sub/nexlayer.yaml\n"


@pytest.mark.parametrize(
    ("glob", "git_lints"),
    [
        ("dir/**", [0, 2, 3]),  # hunt 68 F1: dir/nexlayer.yaml was skipped
        ("dir/**/", [0, 2, 3]),
        ("/dir/**", [0, 2, 3]),
        ("di*/**", [0, 2, 3]),
        ("dir/**/**", [0, 2, 3]),
        ("dir/**/*", [0, 2, 3]),
        ("**/d/**", [0, 1, 2]),
        ("**/d/**/", [0, 1, 2]),
        ("*/**", [0]),
        ("**/*/**", [0]),
        ("d/", [0, 1]),  # the folder itself: nothing below it comes back
        ("dir/", [2, 3]),
    ],
)
def test_a_glob_ending_with_slash_stars_matches_below_a_folder_as_git_reads_it(repo, glob, git_lints):
    for path in _BELOW:
        write(repo / path)
    write(repo / ".gitignore", glob + "\n" + _TAKEN_BACK)
    found = sorted(path for path in shown_files() if path in _BELOW)
    assert found == sorted(_BELOW[i] for i in git_lints)
    if shutil.which("git"):  # and what the git installed here says of the same tree
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        git = ["git", "-c", f"core.excludesFile={os.devnull}"]
        subprocess.run([*git, "init", "-q"], cwd=repo, check=True, env=env)
        listed = subprocess.run(
            [*git, "ls-files", "--others", "--exclude-standard", "--", *_BELOW],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        assert sorted(listed.stdout.split()) == found


# What `git ls-files --others --exclude-standard` keeps (git 2.x) of four files under a top
# .gitignore and one in a/: pathspec's GitIgnoreSpec, which the search once followed, let a later
# `!pattern` take back what is in an ignored folder (`**/b/` then `!a` kept a/b/), and let an
# earlier match of the path itself win over a folder taken back by a deeper .gitignore.
_FOUR = ["a/b/nexlayer.yaml", "a/nexlayer.yaml", "c/nexlayer.yaml", "nexlayer.yaml"]


@pytest.mark.parametrize(
    ("top", "in_a", "git_keeps"),
    [
        ("**/b/\n!a\n", "", [1, 2, 3]),
        ("!*\na\n", "", [2, 3]),
        ("a/b\n", "!*/\n", [0, 1, 2, 3]),  # the deeper .gitignore takes a/b back
        ("*\n!*/\n!nexlayer.yaml\n", "", [0, 1, 2, 3]),  # ignore all, then allow folders and our files
        ("*\n!nexlayer.yaml\n", "", [3]),  # the folders stay ignored: nothing inside comes back
        ("a/***\n!a/nexlayer.yaml\n", "", [1, 2, 3]),  # `***` is `**` (hunt 77 F5)
    ],
)
def test_negations_are_read_as_git_reads_them(repo, top, in_a, git_keeps):
    for path in _FOUR:
        write(repo / path)
    write(repo / ".gitignore", top)
    if in_a:
        write(repo / "a" / ".gitignore", in_a)
    assert [path for path in shown_files() if path in _FOUR] == [_FOUR[i] for i in git_keeps]


@pytest.mark.parametrize(
    ("line", "folders", "git_keeps"),
    [
        # hunt 80 F2, each as `git ls-files --others --exclude-standard` keeps it
        ("**\\/x", ["x", "a/x"], ["x"]),  # before an escaped `/`, `**` needs a folder or more
        ("a/**\\/x", ["a/x", "a/b/x"], ["a/x"]),
        ("[[:alpha:]]", ["a", "1"], ["1"]),  # a POSIX class
        ("[!z-a]", ["a"], []),  # a range from high to low is its first character: `[!z-a]` is `[!z]`
        ("[c-a]", ["a", "b", "c"], ["a", "b"]),  # hunt 82 F2
        ("[!c-a]", ["a", "b", "c"], ["c"]),
        ("a\t", ["a"], ["a"]),  # git trims spaces, not a tab
        ("a\\  ", ["a "], []),  # an escaped space, then one git trims
        ("a\\\\ ", ["a\\"], []),  # an escaped backslash, then a space git trims
    ],
)
def test_odd_gitignore_lines_are_read_as_git_reads_them(repo, line, folders, git_keeps):
    if sys.platform == "win32" and any(name.endswith((" ", "\\")) for name in folders):
        pytest.skip("Windows keeps no such names")
    for folder in folders:
        write(repo / folder / "nexlayer.yaml")
    (repo / ".gitignore").write_text(line + "\n", encoding="utf-8")
    kept = sorted(
        path.removesuffix("/nexlayer.yaml")
        for path in shown_files()
        if path.count("/") and path in [f + "/nexlayer.yaml" for f in folders]
    )
    assert kept == sorted(git_keeps)


def test_force_exclude_keeps_a_named_folder_s_excludes_inside_it(tree):
    # hunt 77 F1: `deploy/**` matches below deploy, not deploy itself, so naming deploy with
    # --force-exclude searched it with the exclude set aside, as for a folder named without it
    write(tree / "pyproject.toml", '[tool.nexlayer-lint]\nextend-exclude = ["deploy/**"]\n')
    write(tree / "deploy" / "old" / "nexlayer.yaml")
    assert shown_files("--force-exclude", "deploy") == []
    assert shown_files("deploy") == ["deploy/nexlayer.yml", "deploy/old/nexlayer.yaml"]  # named: searched


def test_gitignore_at_the_top_and_nested_as_git_reads_them(repo):
    write(repo / ".gitignore", "# generated\n/deploy/\nnexlayer.yml\n")
    write(repo / "apps" / "a" / "nexlayer.yml")
    write(repo / "apps" / "keep" / "nexlayer.yml")
    write(repo / "apps" / "keep" / ".gitignore", "!nexlayer.yml\n")  # a deeper file wins
    write(repo / "examples" / ".gitignore", "broken\n")
    assert shown_files() == ["apps/keep/nexlayer.yml", "examples/good/nexlayer.yaml", "nexlayer.yaml"]
    assert shown_files("--no-respect-gitignore") == ["apps/a/nexlayer.yml", "apps/keep/nexlayer.yml", *ALL]
    write(repo / ".nexlayer-lint.toml", "respect-gitignore = false\n")
    assert len(shown_files()) == 6
    assert shown_files("--respect-gitignore") == [
        "apps/keep/nexlayer.yml",
        "examples/good/nexlayer.yaml",
        "nexlayer.yaml",
    ]


def test_a_folder_whose_config_respects_gitignore_below_one_that_does_not(repo):
    # hunt 98 F2: the top's config turned it off, so the folders below inherited no .gitignore
    # at all, and a search from the top linted what a search of sub skipped
    write(repo / "pyproject.toml", "[tool.nexlayer-lint]\nrespect-gitignore = false\n")
    write(repo / "sub" / ".nexlayer-lint.toml", "")
    write(repo / "sub" / ".gitignore", "generated/\n")
    write(repo / "sub" / "generated" / "nexlayer.yaml")
    write(repo / "sub" / "nexlayer.yaml")
    assert shown_files("sub") == ["sub/nexlayer.yaml"]
    assert "sub/generated/nexlayer.yaml" not in shown_files()
    assert "sub/nexlayer.yaml" in shown_files()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("respect", [True, False])
def test_a_gitignore_that_is_no_file_is_passed_over(repo, respect):
    # hunt 102 F4: a FIFO .gitignore blocked the run in open() (also with respect-gitignore off,
    # since every folder's .gitignore files are read for the folders below)
    write(repo / "sub" / "nexlayer.yaml")
    os.mkfifo(repo / "sub" / ".gitignore")
    os.symlink("/dev/stdin" if os.path.exists("/dev/stdin") else os.devnull, repo / ".gitignore")
    option = "--respect-gitignore" if respect else "--no-respect-gitignore"
    assert "sub/nexlayer.yaml" in shown_files(option)


def test_gitignore_files_above_the_folder_searched_apply(repo):
    write(repo / ".gitignore", "examples/good/\n")
    import os

    os.chdir(repo / "examples")
    assert shown_files() == ["broken/nexlayer.yaml"]
    assert shown_files(str(repo / "examples")) == [str(repo / "examples" / "broken" / "nexlayer.yaml")]


def test_git_info_exclude_and_a_nested_repository(repo):
    write(repo / ".git" / "info" / "exclude", "deploy\n")
    write(repo / ".gitignore", "vendor/*/nexlayer.yaml\n")
    write(repo / "vendor" / "lib" / "nexlayer.yaml")
    write(repo / "vendor" / "sub" / "nexlayer.yaml")
    (repo / "vendor" / "sub" / ".git").mkdir()  # another repository: the outer .gitignore stops there
    assert shown_files() == [
        "examples/broken/nexlayer.yaml",
        "examples/good/nexlayer.yaml",
        "nexlayer.yaml",
        "vendor/sub/nexlayer.yaml",
    ]


def test_git_info_exclude_of_a_linked_worktree_and_of_a_submodule(repo, monkeypatch):
    # hunt 115 F5: where `.git` is a file (`gitdir: ...`), its exclude was looked for under it
    write(repo / ".git" / "info" / "exclude", "deploy\n")
    linked = repo.parent / "linked"
    write(linked / "nexlayer.yaml")
    write(linked / "deploy" / "nexlayer.yml")
    write(linked / ".git", f"gitdir: {repo / '.git' / 'worktrees' / 'linked'}\n")
    write(repo / ".git" / "worktrees" / "linked" / "commondir", "../..\n")  # git's: the shared git dir
    monkeypatch.chdir(linked)
    assert shown_files() == ["nexlayer.yaml"]
    # a submodule's git dir is its own, inside the superproject's (no commondir)
    module = repo / "modules" / "lib"
    write(module / "nexlayer.yaml")
    write(module / "gen" / "nexlayer.yaml")
    write(module / ".git", "gitdir: ../../.git/modules/lib\n")
    write(repo / ".git" / "modules" / "lib" / "info" / "exclude", "gen/\n")
    monkeypatch.chdir(module)
    assert shown_files() == ["nexlayer.yaml"]


def test_gitignore_means_nothing_outside_a_work_tree(tree):
    write(tree / ".gitignore", "examples/\n")
    assert shown_files() == ALL


def test_a_gitignored_folder_named_explicitly_is_searched(repo):
    write(repo / ".gitignore", "examples/\n")
    assert shown_files() == ["deploy/nexlayer.yml", "nexlayer.yaml"]
    assert shown_files("examples") == ["examples/broken/nexlayer.yaml", "examples/good/nexlayer.yaml"]


# --- the command line around selection -----------------------------------------------------


def test_a_missing_file_prints_nothing_on_stdout(tree):
    result = run("nope.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "nexlayer-lint: error: nope.yaml: no such file\n"
    result = run("nope.yaml", "--format", "json")
    assert (result.exit_code, result.stdout) == (2, "")


def test_a_missing_file_among_others_still_reports_them(tree):
    result = run("nope.yaml", "examples/broken", "--format", "json")
    assert result.exit_code == 2
    files = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert files == ["examples/broken/nexlayer.yaml", "nope.yaml"]
    assert "nexlayer-lint: nope.yaml: no such file" in result.stderr


def test_a_file_named_in_several_spellings_is_linted_once_under_the_first(tree, monkeypatch):
    # hunt 26 F3: each spelling was linted, so every finding came twice (GitLab: one fingerprint
    # twice), and --fix fixed the file once, then reported its old findings under the other name
    assert shown_files(".", "./examples/broken/nexlayer.yaml") == ALL
    assert shown_files("examples/broken/nexlayer.yaml", str(tree / "examples")) == [
        "examples/broken/nexlayer.yaml",
        str(tree / "examples" / "good" / "nexlayer.yaml"),
    ]
    (tree / "linked.yaml").symlink_to(tree / "nexlayer.yaml")
    (tree / "deploy" / "hard.yml").hardlink_to(tree / "deploy" / "nexlayer.yml")
    assert shown_files("linked.yaml", "nexlayer.yaml", "deploy", "deploy/hard.yml") == [
        "linked.yaml",
        "deploy/nexlayer.yml",
    ]
    assert shown_files("-", "-", "nope.yaml", "./nope.yaml") == ["-", "nope.yaml"]
    result = run("nope.yaml", "./nope.yaml")  # nothing but missing files: the error alone
    assert (result.exit_code, result.stdout) == (2, "")
    monkeypatch.chdir(tree / "examples")
    assert shown_files(".", "..") == [
        "broken/nexlayer.yaml",
        "good/nexlayer.yaml",
        "../deploy/nexlayer.yml",
        "../nexlayer.yaml",
    ]
    fixable = CLEAN.replace("servicePorts", "servicePort")  # NX102, and a safe fix: the rename
    write(tree / "examples" / "good" / "nexlayer.yaml", fixable)
    result = run("--fix", "--no-show-source", "good", "./good/nexlayer.yaml", "--format", "gitlab")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert "servicePorts: [80]" in (tree / "examples" / "good" / "nexlayer.yaml").read_text(encoding="utf-8")
    result = run("good", str(tree / "examples" / "broken"), "../examples/broken/nexlayer.yaml", "--format", "gitlab")
    assert [finding["location"]["path"] for finding in json.loads(result.stdout)] == ["broken/nexlayer.yaml"]


def test_a_file_whose_names_have_different_settings_is_linted_under_each(tmp_path, monkeypatch):
    # hunt 34 F6: linted once under the first name, a symlink in a laxer folder passed the file
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "prod" / "nexlayer.yaml", UNPINNED)  # NX215
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "nexlayer.yaml").symlink_to(tmp_path / "prod" / "nexlayer.yaml")
    (tmp_path / ".nexlayer-lint.toml").write_text('fail-on = "warning"\n[per-file-ignores]\n"legacy/**" = ["NX215"]\n')
    assert shown_files() == ["legacy/nexlayer.yaml", "prod/nexlayer.yaml"]
    result = run("--no-show-source")
    assert result.exit_code == 1 and result.stdout.startswith("prod/nexlayer.yaml:5:14: warning NX215")
    (tmp_path / ".nexlayer-lint.toml").write_text('fail-on = "warning"\n')  # the same settings: once
    assert shown_files() == ["legacy/nexlayer.yaml"]
    # hunt 36 F3: one config through a symlinked folder, or two configs alike, lint alike: once
    (tmp_path / "prod" / ".nexlayer-lint.toml").write_text('fail-on = "warning"\n')
    (tmp_path / "legacy" / ".nexlayer-lint.toml").write_text('fail-on = "warning"\n')
    assert shown_files() == ["legacy/nexlayer.yaml"]
    (tmp_path / "current").symlink_to(tmp_path / "prod")
    assert shown_files("current/nexlayer.yaml", "prod/nexlayer.yaml") == ["current/nexlayer.yaml"]
    (tmp_path / "legacy" / ".nexlayer-lint.toml").unlink()
    (tmp_path / "prod" / ".nexlayer-lint.toml").unlink()
    # fixed under one name, reported as it is now under the other (linted before the write)
    (tmp_path / "legacy" / ".nexlayer-lint.toml").write_text("fix = false\n")
    write(tmp_path / "prod" / "nexlayer.yaml", CLEAN.replace("servicePorts", "servicePort"))  # NX101, fixable
    result = run("--fix", "--no-show-source")
    assert (result.exit_code, result.stdout) == (0, "fixed 1 problem in 1 file\nno problems in 2 files\n")
    assert (tmp_path / "prod" / "nexlayer.yaml").read_text() == CLEAN


@pytest.mark.parametrize(
    ("root", "shown"),
    [
        ("examples", "examples/good/nexlayer.yaml"),
        ("./examples/", "examples/good/nexlayer.yaml"),
        ("examples/../examples", "examples/good/nexlayer.yaml"),
        ("examples/good", "examples/good/nexlayer.yaml"),
        (".", "examples/good/nexlayer.yaml"),
        ("deploy/..", "examples/good/nexlayer.yaml"),
    ],
)
def test_a_folder_s_finds_are_shown_relative_to_the_current_folder(tree, root, shown):
    # as os.path.relpath shows them: normalised, whatever way the folder was named
    assert shown in shown_files(root)


def test_a_folder_named_by_an_absolute_path_shows_absolute_normalised_finds(tree):
    found = shown_files(str(tree / "deploy" / ".." / "examples"))
    assert found == [
        str(tree / "examples" / "broken" / "nexlayer.yaml"),
        str(tree / "examples" / "good" / "nexlayer.yaml"),
    ]


def test_a_folder_above_the_current_one_is_shown_with_dot_dots(tree, monkeypatch):
    monkeypatch.chdir(tree / "deploy")
    assert shown_files("../examples") == ["../examples/broken/nexlayer.yaml", "../examples/good/nexlayer.yaml"]


def test_show_files_lists_what_would_be_linted_and_lints_nothing(tree):
    write(tree / "nexlayer.yaml", "application: [\n")  # would be NX001
    result = run("--show-files", "deploy", "nexlayer.yaml", "-")
    assert result.exit_code == 0
    assert result.stdout == "deploy/nexlayer.yml\nnexlayer.yaml\n-\n"


# --- plain names and paths are matched as pathspec matches them -------------------------------

_NAME = st.sampled_from(["venv", ".git", "a", "b.yaml", "node_modules", "x-y", "my dir"])
# A plain glob: a name or a path of names, perhaps with a `/` first (anchored) or last (folders).
_PLAIN_GLOB = st.builds(
    lambda names, lead, trail: ("/" if lead else "") + "/".join(names) + ("/" if trail else ""),
    st.lists(_NAME, min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(_PLAIN_GLOB, min_size=1, max_size=4, unique=True),
    st.lists(_NAME, min_size=1, max_size=5),
    st.booleans(),
    st.integers(min_value=0, max_value=3),
)
def test_plain_globs_match_as_pathspec_matches_them(globs, parts, is_dir, aside_depth):
    import pathspec

    from nexlayer_lint.globs import PathPattern, _simple_globs, verdict

    assert _simple_globs(tuple(globs)) is not None  # the fast path, not pathspec, answers below
    base = "/project"
    path = base + "/" + "/".join(parts)
    unless = base + "/" + "/".join(parts[:aside_depth]) if 0 < aside_depth < len(parts) else None
    patterns = tuple(PathPattern(base, glob) for glob in globs)
    kept = globs
    if unless:
        aside = unless[len(base) + 1 :] + "/"
        kept = [g for g in globs if not pathspec.GitIgnoreSpec.from_lines([g]).match_file(aside)]
    expected = pathspec.GitIgnoreSpec.from_lines(kept).check_file("/".join(parts) + ("/" if is_dir else "")).include
    assert verdict(patterns, path, is_dir, unless) == expected


@pytest.mark.parametrize(
    "glob",
    ["*.yaml", "a/**/b", "[ab]", "!keep", "#comment", "a\\b", "a//b", "./a", "a/../b", "/", " a", "a "],
)
def test_globs_with_anything_but_names_and_slashes_go_to_pathspec(glob):
    from nexlayer_lint.globs import _simple_globs

    assert _simple_globs((glob,)) is None


def test_a_config_of_plain_globs_never_imports_pathspec(tmp_path):
    """The project's own config (`extend-exclude = ["examples/broken"]`) and the default excludes
    are matched without pathspec, whose import is about a tenth of a one-file run."""
    config = '[tool.nexlayer-lint]\nextend-exclude = ["examples/broken", "build/", "/vendor"]\n'
    write(tmp_path / "pyproject.toml", config)
    write(tmp_path / "nexlayer.yaml", "application:\n  name: a\n")
    write(tmp_path / "examples" / "broken" / "nexlayer.yaml", "application: [\n")
    code = (
        "import sys; from nexlayer_lint.cli import main\n"
        "try:\n    main(['check', '--show-files'])\n"
        "except SystemExit:\n    pass\n"
        "print('pathspec' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["nexlayer.yaml", "False"]


# --- globs with wildcards: as git reads them, in time pattern x path ------------------------------


_GLOB_PIECE = st.sampled_from(["a", "b", "c", "*", "?", "**", "/", "[a-c]", "[!a]", "!", "\\", "/**", "/**/"])
_GLOB = st.lists(_GLOB_PIECE, min_size=1, max_size=7).map("".join)
_PATH_NAME = st.text(alphabet="abc*!\\", min_size=1, max_size=3)


@settings(max_examples=600, deadline=None)
@given(_GLOB)
def test_a_glob_is_an_error_where_pathspec_rejects_it(glob):
    """A config glob is refused as pathspec's GitIgnoreSpec refuses it (a .gitignore line that
    it refuses matches nothing: git reads past it), but for an escaped `/`, which git reads."""
    import pathspec

    from nexlayer_lint.globs import check_globs

    # git reads an escaped `/` as `/` (pathspec refuses it): so do we
    as_git_reads = re.sub(r"\\(.)", lambda m: "/" if m.group(1) == "/" else m.group(0), glob)
    try:
        pathspec.GitIgnoreSpec.from_lines([as_git_reads])
        valid = True
    except Exception:  # noqa: BLE001 - pathspec raises several kinds for a bad glob
        valid = False
    try:
        check_globs([glob], "exclude")
        assert valid, f"{glob!r} accepted, but pathspec rejects it"
    except ValueError:
        assert not valid, f"{glob!r} rejected, but pathspec accepts it"


_GIT = shutil.which("git")


def _git_lists(top: Path) -> list[str]:
    """The files `git ls-files --others --exclude-standard` keeps in a fresh repository at `top`."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    git = ["git", "-c", f"core.excludesFile={os.devnull}", "-c", "core.quotePath=false"]
    subprocess.run([*git, "init", "-q"], cwd=top, check=True, env=env)
    listed = subprocess.run(
        [*git, "ls-files", "-z", "--others", "--exclude-standard"], cwd=top, capture_output=True, check=True, env=env
    )
    return sorted(os.fsdecode(name) for name in listed.stdout.split(b"\0") if name.endswith(b"nexlayer.yaml"))


_PREFIX_TREES = [
    ["c", "x"], ["cx"], ["c"], ["cx", "y", "x"], ["c", "d", "x"], ["cd", "x"], ["a", "b", "c"], ["a", "bc"],
    ["a", "bX", "Y", "c"], ["a", "b", "X", "c"], ["c\\"], ["x", "c", "z"], ["x", "cq"],
]  # fmt: skip


@pytest.mark.skipif(_GIT is None, reason="needs git, the oracle of what a .gitignore means")
@pytest.mark.parametrize("line", ["c**/?", "a/b**/c", "c***/x", "c**\\/x", "/a**/c", "x/c**/*", "c**/x/", "c?**/x"])
def test_a_double_star_after_a_name_s_first_letters_is_read_as_git_reads_it(tmp_path, line):
    # found by the property test below: git compares the text before a glob's first wildcard as
    # a plain prefix, so a `**` there is a real one (`c**/?` ignores the folder `cx`)
    if sys.platform == "win32":
        pytest.skip("Windows keeps no name ending in a backslash")
    for names in _PREFIX_TREES:
        folder = tmp_path.joinpath(*names)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nexlayer.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text(line + "\n", encoding="utf-8")
    expected = _git_lists(tmp_path)
    from nexlayer_lint.config import Resolver
    from nexlayer_lint.selection import _search

    found = sorted(
        os.path.relpath(path, tmp_path).replace(os.sep, "/") for path in _search(str(tmp_path), Resolver(isolated=True))
    )
    assert found == expected


@pytest.mark.skipif(_GIT is None, reason="needs git, the oracle of what a .gitignore means")
@settings(max_examples=300, deadline=None)
@given(
    st.lists(_GLOB, min_size=1, max_size=4),
    st.lists(_GLOB, max_size=2),
    st.lists(st.lists(_PATH_NAME, min_size=0, max_size=3), min_size=1, max_size=5),
)
def test_wildcard_globs_leave_out_what_git_leaves_out(tmp_path_factory, top_lines, sub_lines, folders):
    """The main proof that globs.py reads .gitignore lines as git does: wildcards, classes, `**`
    anywhere, `!`, escapes and anchoring, a .gitignore at the top and one in a folder below, over
    a tree of files and folders. A search keeps exactly the files git keeps."""
    from nexlayer_lint.config import Resolver
    from nexlayer_lint.selection import _search

    top = tmp_path_factory.mktemp("tree")
    for names in folders:
        folder = top.joinpath(*names)
        if any(part in (".", "..") for part in names) or folder.is_file():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nexlayer.yaml").write_text("x: 1\n", encoding="utf-8")
    (top / ".gitignore").write_text("\n".join(top_lines) + "\n", encoding="utf-8")
    first = top.joinpath(*folders[0])
    if sub_lines and first != top:
        (first / ".gitignore").write_text("\n".join(sub_lines) + "\n", encoding="utf-8")
    expected = _git_lists(top)
    found = sorted(path.replace(os.sep, "/") for path in _search(str(top), Resolver(isolated=True)))
    assert [str(Path(p).relative_to(top)).replace(os.sep, "/") for p in found] == expected


@settings(max_examples=2000, deadline=None)
@given(st.lists(_GLOB, min_size=1, max_size=8), st.lists(_PATH_NAME, min_size=1, max_size=5), st.booleans())
def test_the_index_of_a_group_of_globs_gives_the_verdict_of_every_glob(globs, names, is_dir):
    """The index (hunt 26 F8) only skips globs that cannot match: held to the loop over all."""
    from nexlayer_lint.globs import _compiled, _matches_itself, _verdict

    group = _compiled(tuple(globs), "")
    slow = next((glob.include for glob in reversed(group.globs) if _matches_itself(glob, names, is_dir)), None)
    assert _verdict(group, names, is_dir) == slow


def test_a_search_matches_a_folder_against_the_globs_it_may_match_only(repo, monkeypatch):
    # hunt 26 F8: each folder was matched against every .gitignore line (150 lines of `*.tmpN`
    # and 20,000 folders: 5 s); the index leaves the lines a folder's names could match
    from nexlayer_lint import globs

    write(repo / ".gitignore", "".join(f"*.tmp{i}\nbuild{i}/\n.cache{i}*\n" for i in range(50)) + "!keep.tmp7\n")
    for i in range(20):
        (repo / "src" / f"m{i}").mkdir(parents=True)
    write(repo / "src" / "x.tmp7" / "nexlayer.yaml")
    write(repo / "src" / "keep.tmp7" / "nexlayer.yaml")
    write(repo / "build3" / "nexlayer.yaml")
    calls = []
    real = globs._matches_itself
    monkeypatch.setattr(globs, "_matches_itself", lambda *args: calls.append(1) or real(*args))
    assert shown_files() == [*ALL[:3], "nexlayer.yaml", "src/keep.tmp7/nexlayer.yaml"]
    assert len(calls) < 20  # 151 a folder before


def test_a_deep_chain_of_gitignores_reads_each_entry_s_own_name_only(repo, monkeypatch):
    # hunt 80 F3: each entry of a chain of folders, each with a .gitignore of names, looked every
    # name of its path up in every .gitignore above it: cubic (300 folders deep: 7 s)
    from nexlayer_lint import globs

    folder = repo
    for _ in range(40):
        folder = folder / "d"
        write(folder / ".gitignore", "[x]q\nbuild/\n*.tmp\na/*.tmp\n/o[12]\n")  # hunt 82 F6: globs with a `/` too
    write(folder / "nexlayer.yaml")
    looked_up: list[int] = []
    real = globs._candidates
    monkeypatch.setattr(globs, "_candidates", lambda group, names: looked_up.append(len(names)) or real(group, names))
    assert shown_files().count("/".join(["d"] * 40) + "/nexlayer.yaml") == 1
    # the entry's own name (the folders above were read before it), or as many names as the
    # longest glob without `**` has (a/*.tmp: 2), never the whole path
    assert looked_up and max(looked_up) == 2


@pytest.mark.parametrize(
    ("glob", "path", "pathspec_says", "git_says"),
    [
        ("a[!b]c", "a/c", True, None),  # [!b] is [^b] to Python's regex: it matches the `/`
        ("x/a[.-0]c", "x/a/c", True, None),  # the range . to 0 holds `/`
        ("a[!b]c", "adc", True, True),  # within a name they agree
    ],
)
def test_a_class_matches_one_character_of_a_name_as_in_git(glob, path, pathspec_says, git_says):
    """Where pathspec and git differ: git's wildmatch never lets a class match the `/` between
    names (`git check-ignore` agrees); pathspec's regex does. The choice here is git's."""
    import pathspec

    from nexlayer_lint.globs import PathPattern, verdict

    assert pathspec.GitIgnoreSpec.from_lines([glob]).check_file(path).include is pathspec_says
    assert verdict((PathPattern("/p", glob),), "/p/" + path) is git_says


def _kept_as_git_keeps(top: Path, line: str, folders: list[str]) -> list[str]:
    """The folders whose nexlayer.yaml a search of `top`, a work tree whose .gitignore is `line`,
    lints; held to what `git check-ignore` says of the same files, where git is installed."""
    from nexlayer_lint.config import Resolver
    from nexlayer_lint.selection import _search

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    git = ["git", "-c", f"core.excludesFile={os.devnull}", "-c", "core.quotePath=false"]
    if _GIT:
        subprocess.run([*git, "init", "-q"], cwd=top, check=True, env=env)
    else:
        (top / ".git" / "info").mkdir(parents=True)
    for folder in folders:
        write(top / folder / "nexlayer.yaml")
    (top / ".gitignore").write_text(line + "\n", encoding="utf-8")
    kept = sorted(os.path.relpath(os.path.dirname(path), top) for path in _search(str(top), Resolver(isolated=True)))
    if _GIT:
        files = [folder + "/nexlayer.yaml" for folder in folders]
        said = subprocess.run(
            [*git, "check-ignore", "-z", "--stdin"],
            cwd=top,
            input=b"\0".join(os.fsencode(file) for file in files),
            capture_output=True,
            env=env,
        )
        assert said.returncode in (0, 1), said.stderr  # 1: none of them is ignored
        ignored = {os.fsdecode(name) for name in said.stdout.split(b"\0") if name}
        assert kept == sorted(folder for folder in folders if folder + "/nexlayer.yaml" not in ignored)
    return kept


@pytest.mark.parametrize(
    ("line", "folders", "git_keeps"),
    [
        # hunt 234 F1: git matches a .gitignore line on the name's bytes (UTF-8): `?` and a class
        # match one byte, so `?/` keeps `ä/` (2 bytes) and `??/` leaves it out
        ("?/", ["ä", "a"], ["ä"]),
        ("??/", ["ä", "a", "ab"], ["a"]),
        ("???/", ["日", "ä", "abc"], ["ä"]),  # 3 bytes
        ("[ä]/", ["ä", "a"], ["a", "ä"]),  # a class of two bytes, matching one
        ("[ä][ä]/", ["ä", "a"], ["a"]),
        ("[!a]/", ["ä", "a", "b"], ["a", "ä"]),
        ("[!a][!a]/", ["ä", "a", "bc"], ["a"]),
        ("ä*/", ["ä", "äx", "a"], ["a"]),  # literal text compared byte for byte too
        ("?ä/", ["xä", "ää", "ä"], ["ä", "ää"]),  # `ää` is 4 bytes
        ("?/", ["\udce9", "ä"], ["ä"]),  # a byte that is no UTF-8 is one byte
    ],
)
def test_a_gitignore_wildcard_matches_one_byte_of_a_name_as_in_git(tmp_path, line, folders, git_keeps):
    if any(not name.isprintable() for name in folders) and sys.platform in ("win32", "darwin"):
        pytest.skip("a name must be Unicode there")
    assert _kept_as_git_keeps(tmp_path, line, folders) == sorted(git_keeps)


@pytest.mark.parametrize(
    ("line", "folders", "git_keeps"),
    [
        # hunt 234 F3: in git's wildmatch a `\` in a class escapes the character after it (it was
        # read as a character of the class: `[a\-z]` was the range from `\` to z, which holds b)
        ("[a\\-z]/", ["a", "-", "z", "b", "\\"], ["\\", "b"]),
        ("[\\!a]/", ["!", "a", "\\", "b"], ["\\", "b"]),  # `!` escaped: no negation
        ("[\\]]/", ["]", "\\", "a"], ["\\", "a"]),  # an escaped `]` closes nothing
        ("[a\\]]/", ["a", "]", "\\"], ["\\"]),
        ("[!\\]]/", ["]", "a"], ["]"]),
        ("[\\a-c]/", ["a", "b", "c", "d", "\\"], ["\\", "d"]),  # an escaped character starts a range
        ("[a-\\c]/", ["b", "c", "d", "\\"], ["\\", "d"]),  # and ends one
        ("[\\\\]/", ["\\", "a"], ["a"]),
        ("[a\\]/", ["a", "\\", "]"], ["\\", "]", "a"]),  # no `]` closes it: the line matches nothing
    ],
)
def test_a_backslash_in_a_gitignore_class_escapes_as_in_git(tmp_path, line, folders, git_keeps):
    if sys.platform == "win32":
        pytest.skip("Windows keeps no name with a backslash")
    assert _kept_as_git_keeps(tmp_path, line, folders) == sorted(git_keeps)


@pytest.mark.parametrize(
    ("line", "folders", "git_keeps"),
    [
        # hunt 235 F6: `[:` names a class only when the first `]` after it follows a `:`; else the
        # `[` is a character of the set (`[[:al]pha:]]` is {[, :, a, l} then `pha:]]`)
        ("[[:al]pha:]]/", ["apha:]]", "a", "alpha"], ["a", "alpha"]),
        ("[[:alpha:]]x/", ["ax", "1x"], ["1x"]),
        ("[[:alpha:][:digit:]]/", ["a", "1", "-"], ["-"]),
    ],
)
def test_a_posix_class_in_a_gitignore_line_is_read_as_git_reads_it(tmp_path, line, folders, git_keeps):
    assert _kept_as_git_keeps(tmp_path, line, folders) == sorted(git_keeps)


@pytest.mark.parametrize(
    ("glob", "folders", "kept"),
    [
        ("?/", ["ä", "ab"], ["ab"]),  # a character, as ruff matches a config's glob
        ("[ä]/", ["ä", "a"], ["a"]),
        ("[a\\-z]/", ["a", "-", "b", "A"], ["-", "A"]),  # `\` a character of the class, as pathspec reads it
    ],
)
def test_a_config_glob_still_matches_characters_as_ruff_does(tmp_path, monkeypatch, glob, folders, kept):
    # only .gitignore lines are matched as git's wildmatch matches them (hunt 234 F1, F3)
    monkeypatch.chdir(tmp_path)
    for folder in folders:
        write(tmp_path / folder / "nexlayer.yaml")
    assert shown_files("--isolated", "--extend-exclude", glob) == sorted(f + "/nexlayer.yaml" for f in kept)


def test_a_gitignore_is_read_as_git_reads_its_bytes(repo):
    # hunt 26 F4: a BOM (Notepad, PowerShell 5) was read into the first pattern, which then
    # matched nothing, and a byte that is not UTF-8 became U+FFFD, which no name holds
    (repo / ".gitignore").write_bytes(b"\xef\xbb\xbfexamples/\n")
    assert shown_files() == ["deploy/nexlayer.yml", "nexlayer.yaml"]
    if sys.platform in ("win32", "darwin"):
        return  # a name must be Unicode there
    (repo / ".gitignore").write_bytes(b"caf\xe9/\nd\xe9*/\n")
    for name in (b"caf\xe9", b"caf\xe8", b"d\xe9ploy"):
        write(repo / os.fsdecode(name) / "nexlayer.yaml")
    assert shown_files() == ["caf\\xe8/nexlayer.yaml", *ALL]


def test_a_gitignore_line_that_is_no_glob_matches_nothing_and_the_run_goes_on(repo):
    # pathspec raised out of the run for these; git reads past them
    write(repo / ".gitignore", "[z-a]\n!\ntrailing\\\nexamples/\n")
    assert shown_files() == ["deploy/nexlayer.yml", "nexlayer.yaml"]


@pytest.mark.parametrize(
    ("glob", "message"),
    [("!", "nothing to take back"), ("a\\", "escapes nothing"), ("[z-a]", "bad character range z-a")],
)
def test_a_config_glob_that_is_no_glob_is_an_error(glob, message):
    from nexlayer_lint.globs import check_globs

    with pytest.raises(ValueError, match=re.escape(message)):
        check_globs([glob], "exclude")


def test_a_tree_deeper_than_the_recursion_limit_is_searched(tmp_path, monkeypatch):
    # hunt 26: Python 3.11's os.walk recursed once per folder (RecursionError at ~1,000 levels)
    monkeypatch.chdir(tmp_path)
    deep = Path("t")
    deep.mkdir()
    for _ in range(sys.getrecursionlimit() + 50):  # one by one: mkdir(parents=True) recurses too
        deep /= "d"
        deep.mkdir()
    write(deep / "nexlayer.yaml")
    try:
        assert shown_files("t") == [str(deep / "nexlayer.yaml")]
    finally:  # bottom-up, one by one: shutil.rmtree (pytest's clean-up of old runs) recurses too
        (deep / "nexlayer.yaml").unlink()
        while deep != Path("."):
            deep.rmdir()
            deep = deep.parent


def test_a_search_lists_a_symlinked_folder_without_entering_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "real" / "nexlayer.yaml")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "back").symlink_to(tmp_path)  # a cycle, as os.walk leaves it
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "locked").mkdir(mode=0)  # unreadable: passed over
    try:
        assert shown_files() == ["real/nexlayer.yaml"]
    finally:
        (tmp_path / "locked").chmod(0o755)


@pytest.mark.parametrize(
    ("content", "git_lists"),
    [
        (b"# build output\x0cnexlayer.yaml\n", True),  # hunt 256 F1: a form feed is no line break to git
        (b"# note\rnexlayer.yaml\n", True),  # nor a lone carriage return
        (b"# note\xc2\x85nexlayer.yaml\n", True),  # nor NEL, U+2028...
        (b"nexlayer.yaml\r\n", False),  # a carriage return before the line break is dropped
        (b"nexlayer.yaml\n", False),
    ],
)
def test_gitignore_lines_end_where_git_ends_them(tmp_path, monkeypatch, content, git_lists):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git" / "info").mkdir(parents=True)
    write(tmp_path / "nexlayer.yaml")
    (tmp_path / ".gitignore").write_bytes(content)
    assert shown_files() == (["nexlayer.yaml"] if git_lists else [])
    if _GIT is not None:  # and what the git installed here says of the same tree
        shutil.rmtree(tmp_path / ".git")
        assert _git_lists(tmp_path) == (["nexlayer.yaml"] if git_lists else [])


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symlinks")
def test_a_gitignore_that_is_a_symlink_is_not_read(repo):
    # hunt 256 F4: git does not follow a symlinked .gitignore in the work tree (it warns and
    # ignores nothing), so the file it commits is linted
    write(repo / "list.txt", "nexlayer.yaml\n")
    os.symlink("list.txt", repo / ".gitignore")
    assert "nexlayer.yaml" in shown_files()
    # info/exclude is followed, as git follows it
    (repo / ".git" / "info" / "exclude").symlink_to(repo / "list.txt")
    assert "nexlayer.yaml" not in shown_files()
