"""The pre-commit hook, run by pre-commit itself against this repository in a temporary git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BROKEN = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      servicePorts: [80]\n"
CLEAN = BROKEN.replace("      servicePorts", "      path: /\n      servicePorts")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def test_hook_definition_matches_what_users_expect():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: nexlayer-lint\n" in text
    assert "language: python" in text
    assert r"files: (^|/)nexlayer\.ya?ml$" in text
    assert "types: [yaml]" in text


@pytest.mark.slow
def test_pre_commit_runs_the_hook(tmp_path: Path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "nexlayer.yaml").write_text(BROKEN)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "nexlayer.yml").write_text(CLEAN)
    (repo / "other.yaml").write_text(BROKEN)  # not a Nexlayer file: the hook must not see it
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    # try-repo installs the hook from this checkout (uncommitted changes included) into its own venv
    run = subprocess.run(
        [str(pre_commit), "try-repo", str(ROOT), "nexlayer-lint", "--all-files", "--color", "never"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "nexlayer.yaml:3:3: error NX201" in output, output
    assert "other.yaml" not in output
    assert "deploy/nexlayer.yml:" not in output

    (repo / "nexlayer.yaml").write_text(CLEAN)
    run = subprocess.run(
        [str(pre_commit), "try-repo", str(ROOT), "nexlayer-lint", "--all-files", "--color", "never"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
