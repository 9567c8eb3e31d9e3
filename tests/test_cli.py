"""The command line: default command, discovery, stdin, formats, exit codes, rule and schema commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlayer_lint import __version__
from nexlayer_lint.cli import main
from tests.conftest import CLEAN, ROOT

UNKNOWN_KEY = CLEAN.replace("      path: /\n", "      path: /\n      replicas: 2\n")  # NX102 warning at 7:7
MISSING_PORTS = CLEAN.replace("      servicePorts: [80]\n", "")  # NX101 error at 4:7


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0(project):
    write(project / "nexlayer.yaml", CLEAN)
    result = run("nexlayer.yaml")
    assert result.exit_code == 0, result.output
    assert "nexlayer.yaml:" not in result.output


def test_error_exits_1_with_exact_position_and_message(project):
    write(project / "nexlayer.yaml", MISSING_PORTS)
    result = run("check", "nexlayer.yaml", "--no-show-source")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        'nexlayer.yaml:4:7: error NX101 pod "web" is missing required key "servicePorts" [missing-key]'
    )


def test_warnings_alone_exit_0_unless_fail_on_warning(project):
    write(project / "nexlayer.yaml", UNKNOWN_KEY)
    result = run("nexlayer.yaml", "--no-show-source")
    assert result.exit_code == 0
    assert 'nexlayer.yaml:7:7: warning NX102 unknown key "replicas"' in result.output
    assert run("nexlayer.yaml", "--fail-on", "warning").exit_code == 1


def test_discovery_skips_vendored_and_virtualenv_folders(project):
    write(project / "nexlayer.yaml", CLEAN)
    write(project / "apps" / "api" / "nexlayer.yml", MISSING_PORTS)
    write(project / "node_modules" / "x" / "nexlayer.yaml", MISSING_PORTS)
    write(project / ".git" / "nexlayer.yaml", MISSING_PORTS)
    write(project / "env" / "pyvenv.cfg", "home = /usr\n")
    write(project / "env" / "nexlayer.yaml", MISSING_PORTS)
    write(project / "other.yaml", MISSING_PORTS)
    result = run("--format", "json")
    files = [f["path"] for f in json.loads(result.output)["files"]]
    assert files == [str(Path("apps/api/nexlayer.yml")), "nexlayer.yaml"]
    assert result.exit_code == 1
    # a directory argument is searched the same way; a file named explicitly is always linted
    files = [f["path"] for f in json.loads(run("apps", "other.yaml", "--format", "json").output)["files"]]
    assert files == [str(Path("apps/api/nexlayer.yml")), "other.yaml"]


def test_no_files_found_exits_0(project):
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0
    assert "no nexlayer.yaml" in result.output


def test_stdin_with_filename(project):
    result = run("-", "--stdin-filename", "deploy/nexlayer.yaml", "--no-show-source", input=MISSING_PORTS)
    assert result.exit_code == 1
    assert result.output.startswith("deploy/nexlayer.yaml:4:7: error NX101")


def test_stdin_filename_without_paths_reads_stdin_and_with_paths_warns(project):
    # hunt 26 F6: without `-`, --stdin-filename was dropped and the tree searched instead: an
    # editor's broken buffer passed on other files' report
    write(project / "other" / "nexlayer.yaml", CLEAN)
    result = run("--stdin-filename", "buf/nexlayer.yaml", "--no-show-source", input=MISSING_PORTS)
    assert result.exit_code == 1
    assert result.stdout.startswith("buf/nexlayer.yaml:4:7: error NX101")
    assert "other/" not in result.stdout and result.stderr == ""
    # with paths and no `-`: the paths, and a warning that the name is unused
    result = run("other", "--stdin-filename", "buf/nexlayer.yaml", input=MISSING_PORTS)
    assert result.exit_code == 0
    assert result.stderr == "nexlayer-lint: warning: --stdin-filename is used only with - (standard input)\n"
    assert run("other", "-", "--stdin-filename", "buf/nexlayer.yaml", input=MISSING_PORTS).stderr == ""


def test_missing_file_is_exit_2_and_other_files_still_lint(project):
    write(project / "nexlayer.yaml", MISSING_PORTS)
    result = run("nope.yaml", "nexlayer.yaml", "--no-show-source")
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.output
    assert "nexlayer.yaml:4:7: error NX101" in result.output


def test_files_all_missing_still_rewrite_each_output_file(project):
    # hunt 76 F4: the run failed before any report, so an earlier run's stayed in place
    write(project / "gl.json", '[{"description": "an earlier run\'s finding"}]')
    result = run("nope.yaml", "--format", "gitlab", "-o", "gl.json", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""  # standard output holds nothing, as documented
    assert "nope.yaml: no such file" in result.stderr
    (issue,) = json.loads((project / "gl.json").read_text(encoding="utf-8"))
    assert issue["description"] == "nope.yaml: no such file" and issue["check_name"] == "nexlayer-lint/file-error"


def test_an_output_file_that_is_a_linted_file_is_refused(project):
    # hunt 81 F5: pre-commit names a folder `-oevil` as `-oevil/nexlayer.yaml`, read as
    # `-o evil/nexlayer.yaml`: the report replaced that deployment file
    target = write(project / "evil" / "nexlayer.yaml", MISSING_PORTS)
    result = run("-oevil/nexlayer.yaml", "evil/nexlayer.yaml")
    assert result.exit_code == 2 and "is named as a Nexlayer file" in result.stderr
    assert target.read_text() == MISSING_PORTS
    other = write(project / "deploy.yaml", MISSING_PORTS)  # a file linted by another name
    result = run("-o", "deploy.yaml", "deploy.yaml")
    assert result.exit_code == 2 and "is a file being linted" in result.stderr
    assert other.read_text() == MISSING_PORTS
    assert run("-o", "report.txt", "evil/nexlayer.yaml").exit_code == 1  # any other file is written
    # hunt 82 F5: and when pre-commit names another file with it, evil/ not being linted
    write(project / "app" / "nexlayer.yaml", MISSING_PORTS)
    result = run("-oevil/nexlayer.yaml", "app/nexlayer.yaml")
    assert result.exit_code == 2 and "is named as a Nexlayer file" in result.stderr
    assert target.read_text() == MISSING_PORTS
    # hunt 115 F3: a link to a Nexlayer file not linted in the run, or to one that does not exist yet
    (project / "report.sarif").symlink_to(project / "evil" / "nexlayer.yaml")
    (project / "report.xml").symlink_to(project / "evil" / "nexlayer.yml")
    for report in ("report.sarif", "report.xml"):
        result = run("-o", report, "app/nexlayer.yaml")
        assert result.exit_code == 2 and "leads to a Nexlayer file through a link" in result.stderr
    assert target.read_text() == MISSING_PORTS and not (project / "evil" / "nexlayer.yml").exists()
    # hunt 146 F2: and when no file is found, whose empty report replaced the file
    (project / "empty").mkdir()
    for report in ("evil/nexlayer.yaml", "report.sarif"):
        result = run("--format", "sarif", "-o", report, "empty")
        assert result.exit_code == 2 and "a report never goes there" in result.stderr
    assert target.read_text() == MISSING_PORTS


def test_a_path_that_reads_as_an_option_is_refused(project):
    # hunt 115 F4: pre-commit appends file names after the hook's options; a folder named
    # `--api-url=x` made its nexlayer.yaml the value of --api-url, never linted, and the hook passed
    write(project / "--api-url=x" / "nexlayer.yaml", MISSING_PORTS)
    result = run("--offline", "--api-url=x/nexlayer.yaml")
    assert result.exit_code == 2
    assert "'--api-url=x/nexlayer.yaml' is a path, but it reads as an option" in result.stderr
    # after `--` it is a path, linted; an option that names no file is an option still
    assert run("--offline", "--", "--api-url=x/nexlayer.yaml").exit_code == 1
    assert run("--offline", "--api-url=https://api.example", "--", "--api-url=x/nexlayer.yaml").exit_code == 1


def test_json_output_shape(project):
    write(project / "nexlayer.yaml", MISSING_PORTS)
    document = json.loads(run("nexlayer.yaml", "--format", "json").output)
    assert document["version"] == 1
    assert document["tool"] == {"name": "nexlayer-lint", "version": __version__}
    assert document["schema"]["source"] == "bundled" and document["schema"]["version"]
    (file,) = document["files"]
    (diagnostic,) = file["diagnostics"]
    assert diagnostic == {
        "file": "nexlayer.yaml",
        "line": 4,
        "col": 7,
        "end_line": 4,
        "end_col": 11,
        "code": "NX101",
        "name": "missing-key",
        "severity": "error",
        "message": 'pod "web" is missing required key "servicePorts"',
        "hint": diagnostic["hint"],
        "path": "application.pods[0].name",
        "fix": None,
    }
    assert document["summary"] == {"files": 1, "error": 1, "warning": 0, "info": 0}


def test_select_ignore_and_severity(project):
    write(project / "nexlayer.yaml", UNKNOWN_KEY.replace("nginx:1.27", "nginx"))  # NX102 + NX215

    def codes(*args):
        out = json.loads(run("nexlayer.yaml", "--format", "json", *args).output)
        return [(d["code"], d["severity"]) for d in out["files"][0]["diagnostics"]]

    assert codes() == [("NX215", "warning"), ("NX102", "warning")]
    assert codes("--select", "NX1") == [("NX102", "warning")]
    assert codes("--ignore", "NX2") == [("NX102", "warning")]
    assert codes("--select", "NX2", "--ignore", "NX215") == []
    assert codes("--ignore", "NX2", "--select", "NX215") == [("NX215", "warning")]  # longer prefix wins
    assert codes("--severity", "NX215=error") == [("NX215", "error"), ("NX102", "warning")]
    assert run("nexlayer.yaml", "--severity", "NX215=error").exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "XX9"], "matches no code"),
        (["--severity", "NX215"], "should look like NX215=error"),
        (["--severity", "NX215=fatal"], '"fatal" for NX215 is not one of error, warning, info'),
        (["--severity", "NX001=warning"], "NX001 (yaml-syntax) is always an error"),
        (["--output-file", "a.json"], None),
    ],
)
def test_bad_options_exit_2(project, args, message):
    write(project / "nexlayer.yaml", CLEAN)
    result = run("nexlayer.yaml", *args, "--output-file", "b.json") if message is None else run("nexlayer.yaml", *args)
    assert result.exit_code == 2
    if message:
        assert message in result.output


def test_quiet_drops_the_summary(project):
    write(project / "nexlayer.yaml", MISSING_PORTS)
    assert "1 error" in run("nexlayer.yaml").output
    assert "1 error" not in run("nexlayer.yaml", "--quiet").output


def test_options_before_the_check_command_are_its_options(project):
    # hunt 26 F9: `nexlayer-lint --isolated check` took `check` for a path (no such file, exit 2;
    # with a folder check/, it linted only that); ruff takes its global options before `check`
    write(project / "app" / "nexlayer.yaml", MISSING_PORTS)
    write(project / "check" / "nexlayer.yaml", CLEAN)
    result = run("--fail-on", "warning", "check", "--no-show-source", "-q")
    assert result.exit_code == 1
    assert result.stdout.startswith("app/nexlayer.yaml:4:7: error NX101")
    assert run("--isolated", "check", "--show-files").stdout == "app/nexlayer.yaml\ncheck/nexlayer.yaml\n"
    # `check` after the command's name, after other paths or after `--` is a path, as ever
    for args in (["--isolated", "check", "check"], ["--isolated", "--show-files", "--", "check"], ["check", "check"]):
        assert run("--show-files", *args).stdout == "check/nexlayer.yaml\n", args
    assert run("--isolated", "app", "check", "--show-files").stdout == "app/nexlayer.yaml\ncheck/nexlayer.yaml\n"
    # an option's value is no name: here the first path is, and the excluded folder is not searched
    assert run("--exclude", "check", "check", "--show-files").stdout == "app/nexlayer.yaml\n"


def test_version_and_help():
    assert run("--version").output.strip() == f"nexlayer-lint {__version__}"
    assert "Lint Nexlayer deployment files" in run("--help").output
    assert "--stdin-filename" in run("check", "--help").output


def test_rule_command_prints_the_page():
    result = run("rule", "NX201")
    assert result.exit_code == 0
    assert result.output.startswith("# NX201 no-public-path")
    assert run("rule", "no-public-path").output == result.output
    assert "# NX902 remote-disagrees" in run("rule", "--all").output
    listing = run("rule").output
    assert "NX215  unpinned-image" in listing
    bad = run("rule", "NX999")
    assert bad.exit_code == 2 and 'no rule "NX999"' in bad.output


def test_schema_path_and_show():
    path = Path(run("schema", "path").output.strip())
    assert path.is_file() and path.name == "nexlayer.schema.json"
    assert json.loads(run("schema", "show").output)["title"] == "Nexlayer YAML Schema"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read schema file"),
        ('{"type": 12}', "not a valid JSON Schema"),
        ("{nope", "not"),
    ],
)
def test_bad_schema_file_is_exit_2_without_traceback(project, content, message):
    write(project / "nexlayer.yaml", CLEAN)
    if content is not None:
        write(project / "given.schema.json", content)
    result = CliRunner().invoke(main, ["nexlayer.yaml", "--schema", "given.schema.json"])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


# A `$ref` that points into an embedded resource (a subschema with its own `$id`): the `$ref`s
# inside it resolve against that resource, as jsonschema resolves them (hunt 255 F1).
EMBEDDED_RESOURCE = {
    "$defs": {
        "s": {"type": "integer"},
        "a": {"$id": "http://other.example/a", "$defs": {"s": {"type": "string"}, "b": {"$ref": "#/$defs/s"}}},
    },
    "type": "object",
    "properties": {"x": {"$ref": "#/$defs/a/$defs/b"}},
}


@pytest.mark.parametrize(("value", "exit_code"), [("5", 1), ("hello", 0)])
def test_a_ref_into_an_embedded_resource_gets_jsonschemas_verdict(project, value, exit_code):
    write(project / "given.schema.json", json.dumps(EMBEDDED_RESOURCE))
    write(project / "nexlayer.yaml", f"x: {value}\n")
    args = ["--isolated", "--no-show-source", "nexlayer.yaml", "--schema", "given.schema.json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == exit_code, result.output
    if exit_code:
        assert 'nexlayer.yaml:1:4: error NX103 [*] expected a string for "x", got the number 5' in result.output


@pytest.mark.parametrize(
    ("schema", "shown"),
    [
        ({"$ref": "https://ci:glpat-Zq9Kf83LmPq72Xs@gl.example/s.json"}, '"https://gl.example/s.json"'),
        ({"$ref": "https://gl.example/s.json?private_token=Zq9Kf83LmPq72Xs"}, '"https://gl.example/s.json"'),
        ({"type": "ghp_" + "Zq9Kf83LmPq72XsAbCdEfGhIjKlMnOpQrStU"}, "'****"),
    ],
)
def test_a_schema_files_error_never_prints_what_looks_secret_in_it(project, schema, shown):
    # hunt 256 F2: a `$ref` was quoted with its user-info and query, a token's shape whole
    write(project / "given.schema.json", json.dumps(schema))
    write(project / "nexlayer.yaml", CLEAN)
    result = CliRunner().invoke(main, ["--isolated", "nexlayer.yaml", "--schema", "given.schema.json"])
    assert result.exit_code == 2 and shown in result.output, result.output
    assert "Zq9Kf83LmPq72Xs" not in result.output and "glpat" not in result.output


def test_schema_path_follows_the_config(project):
    write(
        project / "strict.schema.json", '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}'
    )
    write(project / ".nexlayer-lint.toml", 'schema = "strict.schema.json"\n')
    assert Path(run("schema", "path").output.strip()).resolve() == (project / "strict.schema.json").resolve()
    assert Path(run("schema", "path", "--schema", "bundled").output.strip()).name == "nexlayer.schema.json"
    bad = CliRunner().invoke(main, ["schema", "path", "--schema", "missing.json"])
    assert bad.exit_code == 2 and "cannot read schema file" in bad.output


def test_readme_quick_start_runs_as_written(monkeypatch):
    # In a clone: a bare run passes (pyproject.toml excludes examples/broken), and naming the
    # folder shows the report the README quotes.
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = readme.split("A clone also has two examples to try:\n\n```bash\n", 1)[1].split("```", 1)[0]
    runs = [line.split("#")[0].split() for line in commands.splitlines() if line.startswith("nexlayer-lint")]
    assert runs == [["nexlayer-lint"], ["nexlayer-lint", "examples/broken"]]
    bare = CliRunner().invoke(main, ["--color", "never"])
    assert bare.exit_code == 0, bare.output
    assert run("--show-files").stdout == "examples/good/nexlayer.yaml\n"
    shown = readme.split("report like this:\n\n```\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(main, ["examples/broken", "--show-source", "--color", "never"])
    assert result.exit_code == 1
    assert shown in result.stdout


def test_readme_json_example_is_real_output(project):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("JSON output is one document. For this `nexlayer.yaml`:", 1)[1]
    source = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    command = section.split("`nexlayer-lint ", 1)[1].split("`", 1)[0].split()
    shown = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    write(project / "nexlayer.yaml", source)
    result = run(*command)
    assert result.exit_code == 1
    real = json.loads(result.stdout)
    # The schema's location depends on the machine, and its digest on the bytes of the checkout (line
    # ends included): those must have the README's form. Everything else, the bundled schema's
    # version included, is what the README says: bump one, update the other.
    assert set(shown["schema"]) == set(real["schema"]) and shown["schema"]["source"] == real["schema"]["source"]
    assert shown["schema"]["version"] == real["schema"]["version"], "the README shows another schema version"
    assert shown["schema"]["location"].endswith("/nexlayer_lint/nexlayer.schema.json")
    assert real["schema"]["location"].endswith("nexlayer.schema.json")
    assert all(re.fullmatch(r"[0-9a-f]{64}", schema["sha256"]) for schema in (shown["schema"], real["schema"]))
    shown["schema"] = real["schema"]
    assert shown == real


def test_verbose_says_which_config_and_schema(project):
    write(project / "nexlayer.yaml", CLEAN)
    write(project / ".nexlayer-lint.toml", 'ignore = ["NX215"]\n')
    result = run("nexlayer.yaml", "--verbose")
    config = (project / ".nexlayer-lint.toml").resolve()
    assert f"nexlayer-lint {__version__}: config {config}; schema bundled@" in result.output
    assert result.exit_code == 0


def test_console_script_exit_codes_and_complete_output(tmp_path: Path) -> None:
    # `python -m nexlayer_lint`, as the console script runs it: the whole output and the
    # command's exit code
    good = tmp_path / "good" / "nexlayer.yaml"
    good.parent.mkdir()
    good.write_text((ROOT / "examples" / "good" / "nexlayer.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "broken" / "nexlayer.yaml"
    broken.parent.mkdir()
    broken.write_text((ROOT / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for args, code in (
        (["check", "--isolated", str(good)], 0),
        (["check", "--isolated", "--format", "json", str(broken)], 1),
        (["check", "--isolated", str(tmp_path / "missing.yaml")], 2),
        (["--no-such-option"], 2),
        (["--version"], 0),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "nexlayer_lint", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "COVERAGE_PROCESS_START"},
        )
        assert done.returncode == code, (args, done.stderr)
        if "json" in args:
            assert json.loads(done.stdout)["files"][0]["diagnostics"]  # the whole report arrived


def test_a_closed_standard_stream_drops_output_and_keeps_exit_codes_and_reports(tmp_path: Path) -> None:
    # `>&-` / `2>&-` (a daemon, some supervisors): Python's sys.stdout or sys.stderr is None, and
    # every run was a traceback and exit 1, the -o report unwritten
    write(tmp_path / "warn" / "nexlayer.yaml", UNKNOWN_KEY)
    write(tmp_path / "broken" / "nexlayer.yaml", MISSING_PORTS)
    env = {k: v for k, v in os.environ.items() if k != "COVERAGE_PROCESS_START"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)

    def closed(redirect: str, *args: str) -> subprocess.CompletedProcess[str]:
        script = f'exec "$0" -m nexlayer_lint check --isolated "$@" {redirect}'
        return subprocess.run(
            ["sh", "-c", script, sys.executable, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )

    done = closed(">&-", "--format", "sarif", "-o", "out.sarif", "broken")
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    done = closed(">&-", "warn")
    assert (done.returncode, done.stderr) == (0, "")
    done = closed(">&-", "missing.yaml")
    assert done.returncode == 2
    assert "missing.yaml: no such file" in done.stderr
    done = closed("2>&-", "--no-show-source", "warn")
    assert done.returncode == 0
    assert 'warning NX102 unknown key "replicas"' in done.stdout
    done = closed("2>&-", "missing.yaml")
    assert (done.returncode, done.stdout) == (2, "")
    done = closed(">&- 2>&-", "broken")
    assert done.returncode == 1
    # hunt 31 F5: a report that cannot be written (a full disk) is no pass, and no traceback
    if os.path.exists("/dev/full"):
        done = closed("> /dev/full", "--exit-zero", "warn")
        assert done.returncode == 2
        assert done.stderr.startswith("nexlayer-lint: error: cannot write the report to standard output: ")
        assert done.stderr.count("\n") == 1  # and no traceback
        done = closed("> /dev/full", "--exit-zero", "--statistics", "broken")  # hunt 32 F5: any output
        assert (done.returncode, done.stderr) == (2, "nexlayer-lint: error: No space left on device\n")


# --- the options a ruff user reaches for ---------------------------------------------------


def test_output_format_is_the_name_of_format(project):
    write(project / "nexlayer.yaml", MISSING_PORTS)
    by_new = run("nexlayer.yaml", "--output-format", "json")
    by_old = run("nexlayer.yaml", "--format", "json")
    assert by_new.exit_code == by_old.exit_code == 1
    assert json.loads(by_new.stdout) == json.loads(by_old.stdout)
    run("nexlayer.yaml", "--output-format", "sarif", "-o", "out.sarif", "--format", "text")
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"


def test_exit_zero_keeps_findings_but_not_errors(project):
    write(project / "nexlayer.yaml", MISSING_PORTS)
    result = run("nexlayer.yaml", "--exit-zero", "--no-show-source")
    assert result.exit_code == 0
    assert "nexlayer.yaml:4:7: error NX101" in result.stdout
    assert run("nexlayer.yaml", "nope.yaml", "--exit-zero").exit_code == 2


def test_rule_names_work_wherever_codes_do(project):
    write(project / "nexlayer.yaml", UNKNOWN_KEY.replace("nginx:1.27", "nginx"))  # NX102 + NX215

    def codes(*args):
        out = json.loads(run("nexlayer.yaml", "--format", "json", *args).stdout)
        return [(d["code"], d["severity"]) for d in out["files"][0]["diagnostics"]]

    assert codes("--ignore", "unpinned-image") == [("NX102", "warning")]
    assert codes("--select", "unknown-key,unpinned-image", "--ignore", "NX102") == [("NX215", "warning")]
    assert codes("--severity", "unpinned-image=error") == [("NX215", "error"), ("NX102", "warning")]
    write(project / ".nexlayer-lint.toml", 'ignore = ["unknown-key"]\nseverity = { unpinned-image = "info" }\n')
    assert codes() == [("NX215", "info")]


@pytest.mark.parametrize("args", [["--ignore", "NX001"], ["--ignore", "yaml-syntax"], ["--ignore", "NX215,NX001"]])
def test_ignoring_nx001_is_refused_like_downgrading_it(project, args):
    write(project / "nexlayer.yaml", CLEAN)
    result = run("nexlayer.yaml", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "nexlayer-lint: error: --ignore: NX001 (yaml-syntax) cannot be turned off: "
        "a file that does not parse has nothing else to check\n"
    )
    assert run("nexlayer.yaml", "--ignore", "NX0").exit_code == 0  # a prefix turns off the others
    write(project / ".nexlayer-lint.toml", 'ignore = ["NX001"]\n')
    from_config = run("nexlayer.yaml")
    assert from_config.exit_code == 2 and "ignore: NX001 (yaml-syntax) cannot be turned off" in from_config.stderr


def test_statistics_counts_per_code(project):
    write(project / "a" / "nexlayer.yaml", UNKNOWN_KEY.replace("nginx:1.27", "nginx"))  # NX102 + NX215
    write(project / "b" / "nexlayer.yaml", MISSING_PORTS.replace("nginx:1.27", "nginx"))  # NX101 + NX215
    result = run("--statistics")
    assert result.exit_code == 1
    assert result.stdout == ("2  NX215  unpinned-image\n1  NX101  missing-key\n1  NX102  unknown-key\n")
    as_json = run("--statistics", "--output-format", "json")
    assert json.loads(as_json.stdout) == [
        {"code": "NX215", "name": "unpinned-image", "count": 2, "fixable": 0},
        {"code": "NX101", "name": "missing-key", "count": 1, "fixable": 0},
        {"code": "NX102", "name": "unknown-key", "count": 1, "fixable": 0},
    ]
    assert run("--statistics", "--exit-zero").exit_code == 0
    assert run("--statistics", "--format", "sarif").exit_code == 2
    run("--statistics", "-o", "stats.txt")
    assert (project / "stats.txt").read_text().startswith("2  NX215  unpinned-image\n")


def test_statistics_counts_what_has_a_fix():
    from nexlayer_lint.cli import statistics_text
    from nexlayer_lint.model import Diagnostic, Edit, FileResult, Fix, Span

    fix = Fix("pin it", (Edit(Span(5, 14, 5, 19), "nginx:1.27"),))
    found = [
        Diagnostic("x.yaml", line, 1, line, 2, "NX215", "unpinned-image", "warning", "m", fix=fix if line < 3 else None)
        for line in (1, 2, 3)
    ]
    found.append(Diagnostic("x.yaml", 9, 1, 9, 2, "NX101", "missing-key", "error", "m"))
    assert statistics_text([FileResult("x.yaml", tuple(found), "", None)]) == (
        "3  NX215  unpinned-image  2 fixable\n1  NX101  missing-key\n"
    )


def test_show_settings_prints_the_settings_of_the_first_file_as_toml(project):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    write(project / "nexlayer.yaml", CLEAN)
    write(project / "sub" / "nexlayer.yaml", CLEAN)
    write(
        project / "sub" / ".nexlayer-lint.toml",
        'ignore = ["NX215"]\nextend-exclude = ["old"]\n[per-file-ignores]\n"legacy/*" = ["NX2"]\n',
    )
    result = run("--show-settings", "sub/nexlayer.yaml", "--severity", "NX102=error", "--timeout", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"# nexlayer-lint {__version__}: settings for sub/nexlayer.yaml"
    assert lines[1] == f"# config: {project / 'sub' / '.nexlayer-lint.toml'}"
    shown = tomllib.loads(result.stdout)
    assert shown["ignore"] == ["NX215"] and shown["severity"] == {"NX102": "error"} and shown["timeout"] == 3.0
    assert shown["extend-exclude"] == ["old"] and shown["per-file-ignores"] == {"legacy/*": ["NX2"]}
    assert shown["exclude"][:3] == [".git", ".hg", ".svn"] and shown["respect-gitignore"] is True
    top = tomllib.loads(run("--show-settings", "nexlayer.yaml").stdout)
    assert top["ignore"] == [] and top["extend-exclude"] == []
    # what it prints is a config that gives the same settings back
    from nexlayer_lint.config import settings_from_table

    again = settings_from_table(shown, "shown", str(project / "sub"))
    assert again.ignore == ("NX215",) and again.per_file_ignores[0][1] == ("NX2",)
    # hunt 127 F2: an astral character was written as a surrogate pair, which TOML refuses
    globs = 'extend-exclude = ["deploy-\U0001f600", "a\\"b\u00e9"]\n[per-file-ignores]\n"\U0001f680/*" = ["NX2"]\n'
    write(project / "sub" / ".nexlayer-lint.toml", globs)
    shown = tomllib.loads(run("--show-settings", "sub/nexlayer.yaml").stdout)
    assert shown["extend-exclude"] == ["deploy-\U0001f600", 'a"b\u00e9']
    assert shown["per-file-ignores"] == {"\U0001f680/*": ["NX2"]}
    # hunt 130 F6: a name with a byte that is no UTF-8 cannot be a TOML string: said in a comment
    result = run("--show-settings", "sub/nexlayer.yaml", "--extend-exclude", "a\udcff*")
    shown = tomllib.loads(result.stdout)
    assert "extend-exclude" not in shown
    assert "# extend-exclude: holds a name with a byte that is no UTF-8" in result.stdout


def test_show_settings_never_prints_a_urls_credentials(project, monkeypatch):
    # found by a leak hunt: the API URL was printed with its user-info and query
    write(project / "nexlayer.yaml", CLEAN)
    monkeypatch.setenv("NEXLAYER_API_URL", "https://me:CnrySettings1@api.example.com/v1?token=CnrySettings2")
    result = run("--show-settings", "--schema", "https://u:CnrySettings3@h.example/s.json", "nexlayer.yaml")
    assert result.exit_code == 0, result.output
    assert 'api-url = "https://api.example.com/v1"  # scheme, host, port and path only' in result.stdout
    assert 'schema = "https://h.example/s.json"  # scheme, host, port and path only' in result.stdout
    assert "CnrySettings" not in result.output
    # hunt 115 F1: a URL written without its `//`, or without a scheme, kept its query
    for url in ("https:/api.example.com/v1?token=CnrySettings4", "api.example.com/v1?token=CnrySettings5"):
        for key in ("api-url", "schema"):
            write(project / "pyproject.toml", f'[tool.nexlayer-lint]\n{key} = "{url}"\n')
            result = run("--show-settings", "nexlayer.yaml")
            assert result.exit_code == 0 and "CnrySettings" not in result.output, result.output
            assert "api.example.com/v1" in result.stdout
    # hunt 117 F4: but a schema file that exists is a path, a `#` or `;` in it included
    (project / "C#").mkdir()
    bundled = ROOT / "nexlayer_lint" / "nexlayer.schema.json"
    (project / "C#" / "s;v2.json").write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    write(project / "pyproject.toml", '[tool.nexlayer-lint]\nschema = "C#/s;v2.json"\n')
    result = run("--show-settings", "nexlayer.yaml")
    assert f'schema = "{project / "C#" / "s;v2.json"}"\n' in result.stdout, result.output


def test_rule_lists_by_prefix_and_as_json():
    listing = run("rule", "NX21").stdout.splitlines()
    assert listing[0].startswith("NX210  duplicate-path") and all(line.startswith("NX21") for line in listing)
    rules = json.loads(run("rule", "--output-format", "json").stdout)
    assert {
        "code": "NX215",
        "name": "unpinned-image",
        "severity": "warning",
        "summary": "an image has no tag, or `:latest`, and no digest",
    }.items() <= next(r for r in rules if r["code"] == "NX215").items()
    assert run("rule", "unpinned-image").stdout.startswith("# NX215 unpinned-image")


def test_every_check_option_is_in_the_readme_table():
    from nexlayer_lint.cli import check

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| option | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"`(--[a-z-]+)", table)) | set(re.findall(r"/(--[a-z-]+)`", table))
    options = {name for param in check.params for name in param.opts + param.secondary_opts if name.startswith("--")}
    assert options - {"--help"} <= documented, sorted(options - documented)


def test_ctrl_c_exits_130_not_the_code_of_findings(tmp_path: Path) -> None:
    # hunt 63 F4: an interrupted run printed click's "Aborted!" and exited 1, "findings", with
    # --exit-zero too
    import signal
    import time

    for wait in (1.0, 3.0, 9.0):  # a signal before the handler is set is Python's own: try later
        process = subprocess.Popen(
            [sys.executable, "-m", "nexlayer_lint", "check", "--isolated", "--exit-zero", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        time.sleep(wait)  # reading standard input, which never ends
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        if b"Aborted!" not in err and b"KeyboardInterrupt" not in err:
            break
    assert (process.returncode, out, err) == (130, b"", b"nexlayer-lint: interrupted\n")


def test_a_removed_current_folder_is_named_as_the_cause(tmp_path: Path) -> None:
    # hunt 63 F2: "No such file or directory", of no file, for a file that exists
    gone = tmp_path / "gone"
    gone.mkdir()
    target = tmp_path / "nexlayer.yaml"
    target.write_text(CLEAN)
    code = (
        f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
        f"sys.argv = ['nexlayer-lint', 'check', '--isolated', {str(target)!r}]; "
        "from nexlayer_lint.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    cause = "the current folder no longer exists (it was removed or moved): run from a folder that exists"
    assert done.stderr == f"nexlayer-lint: error: {cause}\n"


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "github", "text"])
def test_a_stream_that_cannot_encode_a_name_gets_the_report_all_the_same(tmp_path: Path, fmt: str) -> None:
    # hunt 99 F2: Windows writes a pipe in its ANSI code page (PYTHONIOENCODING=cp1252 stands in
    # for it): a folder named 日本 was a UnicodeEncodeError, a traceback and exit 1, the report unwritten
    folder = tmp_path / "日本"
    folder.mkdir()
    (folder / "nexlayer.yaml").write_text(CLEAN.replace("servicePorts:", 'vars: {"API_😀": x}\n      servicePorts:'))
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", "--format", fmt], cwd=tmp_path, env=env, capture_output=True
    )
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    if fmt == "text":  # as the stream encodes it, what it cannot encode escaped
        assert b"\\u65e5\\u672c/nexlayer.yaml" in done.stdout and b"API_\\U0001f600" in done.stdout
    else:  # the machine formats as the UTF-8 they declare
        assert "😀".encode() in done.stdout
        assert ("%E6%97%A5%E6%9C%AC" if fmt == "sarif" else "日本").encode() in done.stdout  # SARIF's URIs
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(done.stdout.decode("utf-8"))
