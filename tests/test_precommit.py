"""The pre-commit hook, run by pre-commit itself against this repository in a temporary git repo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BROKEN = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      servicePorts: [80]\n"
CLEAN = BROKEN.replace("      servicePorts", "      path: /\n      servicePorts")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )


def test_hook_definition_matches_what_users_expect():
    from ruamel.yaml import YAML

    hooks = {hook["id"]: hook for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"nexlayer-lint", "nexlayer-lint-remote"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        # a symlink named nexlayer.yaml is linted too (identify tags it `symlink`, not `yaml`: hunt 81 F3)
        assert hook["files"] == r"(^|/)nexlayer\.ya?ml$" and hook["types_or"] == ["yaml", "symlink"]
        assert hook["types"] == []  # pre-commit's default, [file], would leave the symlink out
        assert hook["require_serial"] is True  # one process: one report, one summary per commit
        assert hook["entry"].startswith("nexlayer-lint check --force-exclude")  # the config's excludes hold
    # the offline hook stays offline whatever the repository's config asks (hunt 81 F4)
    assert hooks["nexlayer-lint"]["entry"] == "nexlayer-lint check --force-exclude --offline"
    # pre-commit appends its file names: after `--`, one starting with `-` is a path (hunt 115 F4)
    assert all(hook["args"] == ["--"] for hook in hooks.values())


def _snapshot_of_this_checkout(where: Path) -> str:
    """A git repository holding this checkout as it is now (uncommitted changes too); its commit."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, where / name)
    _git(where, "init", "-q")
    _git(where, "add", ".")
    _git(where, "commit", "-q", "-m", "snapshot")
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=where, check=True, capture_output=True, text=True
    ).stdout.strip()


def _readme_config(upstream: Path, commit: str) -> str:
    """The README's .pre-commit-config.yaml, with its two blanks filled in as a user would."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config = readme.split("## pre-commit\n\n```yaml\n", 1)[1].split("```", 1)[0]
    # the two things a user fills in: where the hook comes from, and the commit or tag
    assert "  - repo: https://github.com/nexlayer-lint/nexlayer-lint\n" in config
    assert re.search(r"\n    rev: COMMIT-OR-TAG +# fill in: a commit SHA or a release tag of nexlayer-lint\n", config)
    config = config.replace("https://github.com/nexlayer-lint/nexlayer-lint", str(upstream))
    return re.sub(r"rev: COMMIT-OR-TAG.*", f"rev: {commit}", config)


# One test, so that pre-commit builds the hook's environment (a pip install of the package and its
# dependencies, most of the test's time) once: the README's config runs, then the hook's promises.
@pytest.mark.slow
def test_pre_commit_runs_the_readme_config_and_the_hook_keeps_its_promises(tmp_path: Path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    upstream = tmp_path / "nexlayer-lint"
    upstream.mkdir()
    config = _readme_config(upstream, _snapshot_of_this_checkout(upstream))

    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config)
    (repo / "nexlayer.yaml").write_text(BROKEN)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "nexlayer.yml").write_text(CLEAN)
    _git(repo, "add", ".")
    # TRAVIS makes pre-commit use two processes per hook whatever the CPU count (pre_commit/lang_base.py),
    # so the single summary below shows require_serial at work on a one-CPU machine too
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "TRAVIS": "1"}

    def pre_commit_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "run", "--all-files", "--color", "never"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    run = pre_commit_run()
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert re.search(r"^nexlayer-lint\.+Failed$", output, re.M), output
    assert "nexlayer.yaml:3:3: error NX201" in output and "1 error in 1 of 2 files" in output

    (repo / "other.yaml").write_text(BROKEN)  # not a Nexlayer file: the hook must not see it
    for i in range(8):  # enough files for pre-commit to split them between processes, were the hook not serial
        (repo / "apps" / f"app{i}").mkdir(parents=True)
        (repo / "apps" / f"app{i}" / "nexlayer.yaml").write_text(BROKEN)
    # excluded by the repository's config: pre-commit names it, --force-exclude keeps it out
    (repo / "legacy").mkdir()
    (repo / "legacy" / "nexlayer.yaml").write_text(BROKEN)
    # a config that asks for the network: the offline hook must not use it (the port is closed)
    (repo / ".nexlayer-lint.toml").write_text(
        'extend-exclude = ["legacy"]\nremote = true\nschema = "remote"\napi-url = "http://127.0.0.1:9"\n'
        'fail-on = "warning"\n'
    )
    # a nexlayer.yaml that is a symlink: pre-commit passes it only with types_or symlink (hunt 81 F3)
    (repo / "envs").mkdir()
    (repo / "envs" / "prod.yaml").write_text(BROKEN)
    (repo / "linked").mkdir()
    (repo / "linked" / "nexlayer.yaml").symlink_to("../envs/prod.yaml")
    # a folder whose name reads as an option: its file was --api-url's value, never linted (hunt 115 F4)
    (repo / "--api-url=x").mkdir()
    (repo / "--api-url=x" / "nexlayer.yaml").write_text(BROKEN)
    _git(repo, "add", ".")
    run = pre_commit_run()
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "nexlayer.yaml:3:3: error NX201" in output, output
    assert "apps/app7/nexlayer.yaml:3:3: error NX201" in output, output
    assert "other.yaml" not in output
    assert "deploy/nexlayer.yml:" not in output
    assert "legacy/" not in output
    assert "linked/nexlayer.yaml:3:3: error NX201" in output, output
    assert "--api-url=x/nexlayer.yaml:3:3: error NX201" in output, output
    assert "NX900" not in output, output  # no request was tried
    summaries = [line for line in output.splitlines() if re.match(r"(\d+ errors?|no problems) in ", line)]
    assert summaries == ["11 errors in 11 of 12 files"], output

    fixed = [repo / "nexlayer.yaml", repo / "envs" / "prod.yaml", repo / "--api-url=x" / "nexlayer.yaml"]
    for path in [*fixed, *(repo / "apps").glob("*/nexlayer.yaml")]:
        path.write_text(CLEAN)
    run = pre_commit_run()
    assert run.returncode == 0, run.stdout + run.stderr


def _project_hooks() -> dict[str, dict]:
    from ruamel.yaml import YAML

    config = YAML(typ="safe").load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {
        hook["id"]: {**hook, "repo": repo["repo"], "rev": repo.get("rev")}
        for repo in config["repos"]
        for hook in repo["hooks"]
    }


def test_the_projects_own_pre_commit_config_lints_python_and_the_good_example():
    hooks = _project_hooks()
    assert set(hooks) == {"ruff-check", "ruff-format", "mypy", "nexlayer-lint"}
    assert hooks["ruff-check"]["repo"] == hooks["ruff-format"]["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert (hooks["mypy"]["entry"], hooks["mypy"]["pass_filenames"]) == ("mypy", False)  # pyproject names the files
    own = hooks["nexlayer-lint"]
    assert own["repo"] == "local" and own["language"] == "system"  # the checkout's nexlayer-lint, not a release
    files = re.compile(own["files"])
    assert files.search("examples/good/nexlayer.yaml")
    assert not files.search("examples/broken/nexlayer.yaml") and not files.search("nexlayer.yaml")
    # what pre-commit would run on the file it matches passes
    argv = own["entry"].split()
    assert argv[:2] == ["nexlayer-lint", "check"]
    done = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", *argv[1:], "examples/good/nexlayer.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_accepts_the_projects_own_config():
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    # validate-config reads the file only: no hook is installed, nothing is downloaded
    done = subprocess.run(
        [str(pre_commit), "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
