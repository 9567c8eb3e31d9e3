"""Reporters: golden files per format, SARIF against the official schema, escaping, colour, CLI."""

from __future__ import annotations

import hashlib
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
from nexlayer_lint.engine import lint
from nexlayer_lint.model import Diagnostic, FileResult, RunInfo, SchemaInfo
from nexlayer_lint.reporters import FORMATS, ReportOptions, reads_source, render
from nexlayer_lint.reporters import github as github_reporter
from nexlayer_lint.reporters import sarif as sarif_reporter
from nexlayer_lint.reporters import text as text_reporter
from nexlayer_lint.reporters._common import repository_root
from nexlayer_lint.rules import RULES

GOLDEN = Path(__file__).resolve().parent / "golden"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
# Set NEXLAYER_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review the diff.
UPDATE = os.environ.get("NEXLAYER_UPDATE_GOLDEN") == "1"
RUN = RunInfo(tool_version="0.0.0-test", schema=SchemaInfo("bundled", "nexlayer.schema.json", "test"))
EXTENSIONS = {"text": "txt", "github": "txt", "junit": "xml", "gitlab": "json", "sarif": "sarif"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")

CASES = {
    "errors": """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
      servicePorts: [8080]
    - name: api
      image: ghcr.io/acme/api:2.0
      servicePorts: [http]
""",
    "warnings": """\
application:
  name: shop
  pods:
    - name: web
      image: nginx
      path: /
      servicePorts: [80]
      replicas: 2
      vars:
        DEBUG: on
""",
    "clean": """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
""",
    "unparseable": """\
application:
  name: shop
  pods: [
    - name: web
""",
}
UNREADABLE = FileResult("missing/nexlayer.yaml", (), "", "missing/nexlayer.yaml: no such file")

TOKEN = "ghp_SUPERSECRET1234567890abcdefXYZ"
PASSWORD = "hunter2-unique-xyz"
SECRETS_FILE = f"""\
application:
  name: secret-shop
  registryLogin:
    registry: ghcr.io
    username: acme
    personalAccessToken: {TOKEN}
  pods:
    - name: web
      image: ghcr.io/acme/web:1.0
      path: /
      servicePorts: [80]
      vars:
        DB_PASSWORD: {PASSWORD}
        DB_PASSWORD: {PASSWORD}
"""


@pytest.fixture(autouse=True)
def _in_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a fresh repository: CI formats give paths relative to the repository root, so the
    goldens must not depend on where pytest was started."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)


def case_result(case: str) -> FileResult:
    return lint(CASES[case], f"{case}/nexlayer.yaml")


def mixed_results() -> list[FileResult]:
    """Every case plus an unreadable file, deliberately out of order: reporters must sort."""
    return [
        case_result("warnings"),
        UNREADABLE,
        case_result("clean"),
        case_result("unparseable"),
        case_result("errors"),
    ]


def normalised(fmt: str, text: str) -> str:
    """SARIF rule help comes from rules/ pages other people edit: keep only what this test owns."""
    if fmt != "sarif":
        return text
    log = json.loads(text)
    driver = log["runs"][0]["tool"]["driver"]
    driver["rules"] = [rule["id"] for rule in driver["rules"]]  # the rest is checked below
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing; run with NEXLAYER_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


# --- golden files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_single_file(fmt: str, case: str) -> None:
    out = render(fmt, [case_result(case)], RUN, ReportOptions(show_source=True))
    check_golden(f"{case}.{fmt}.{EXTENSIONS[fmt]}", normalised(fmt, out))


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_golden_several_files(fmt: str) -> None:
    out = render(fmt, mixed_results(), RUN, ReportOptions(show_source=True))
    check_golden(f"mixed.{fmt}.{EXTENSIONS[fmt]}", normalised(fmt, out))


def test_the_cases_cover_what_the_goldens_claim() -> None:
    """If a check changes, the goldens must still show errors, warnings only, nothing, and NX001."""
    severities = {case: {d.severity for d in case_result(case).diagnostics} for case in CASES}
    assert "error" in severities["errors"]
    assert severities["warnings"] == {"warning"}
    assert severities["clean"] == set()
    assert [d.code for d in case_result("unparseable").diagnostics] == ["NX001"]


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_order_of_input_does_not_change_output(fmt: str) -> None:
    results = mixed_results()
    assert render(fmt, results, RUN, ReportOptions()) == render(fmt, results[::-1], RUN, ReportOptions())


# --- SARIF ---------------------------------------------------------------------------------


def _sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"{SARIF_SCHEMA} is absent (the shared folder sits beside the checkout)")
    from jsonschema import Draft4Validator

    return Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


HOSTILE = "x\n::error::forged\x1b]0;t\x07\u202e" + os.fsdecode(b"\xff") + "/nexlayer.yaml"


@pytest.mark.parametrize(
    "results",
    [
        [],
        [case_result("clean")],
        mixed_results(),
        [lint(SECRETS_FILE)],
        [lint(CASES["errors"], HOSTILE), FileResult(HOSTILE + "2", (), "", "gone")],
    ],
    ids=["empty-run", "clean", "mixed", "secrets", "hostile-names"],
)
def test_sarif_validates_against_the_official_schema(results: list[FileResult]) -> None:
    log = json.loads(render("sarif", results, RUN, ReportOptions()))
    errors = sorted(_sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_sarif_has_what_github_code_scanning_needs() -> None:
    log = json.loads(render("sarif", mixed_results(), RUN, ReportOptions()))
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("nexlayer-lint", "0.0.0-test")
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    nx002 = rules[sorted(RULES).index("NX002")]
    assert nx002["name"] == "duplicate-key"
    assert nx002["helpUri"].endswith("/rules/NX002-duplicate-key.md")
    assert nx002["defaultConfiguration"] == {"level": "error"}
    assert nx002["shortDescription"]["text"] == RULES["NX002"].summary
    assert rules[sorted(RULES).index("NX217")]["defaultConfiguration"] == {"level": "note"}
    from nexlayer_lint.docs import rule_page

    if rule_page("NX002"):  # the page's text is the rule's help
        assert nx002["help"]["markdown"] == rule_page("NX002")

    results = run["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("NX002", 8),
        ("NX103", 11),
        ("NX001", 4),
        ("NX215", 5),
        ("NX102", 8),
        ("NX005", 10),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith(("/", "./", "file:"))
        assert set(location["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert result["partialFingerprints"][sarif_reporter.FINGERPRINT_KEY]
    first = results[0]
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "errors/nexlayer.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 8, "startColumn": 7, "endLine": 8, "endColumn": 19},
    }
    assert first["message"]["text"].startswith('key "servicePorts" is already defined on line 7\nhelp: ')
    assert [r["level"] for r in results[3:]] == ["warning", "warning", "warning"]
    # the unreadable file is a tool notification, and the run says it did not fully succeed
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert [n["message"]["text"] for n in invocation["toolExecutionNotifications"]] == [UNREADABLE.error]
    assert run["properties"]["schema"]["description"] == "bundled@test"


def test_sarif_uri_is_percent_encoded_and_relative() -> None:
    diag = Diagnostic("./my apps/nexlayer.yaml", 1, 1, 1, 2, "NX004", "empty-document", "error", "empty")
    log = sarif_reporter.build([FileResult(diag.file, (diag,), "")], RUN)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "my%20apps/nexlayer.yaml", "uriBaseId": "%SRCROOT%"}


def _many(severities: list[str], message=lambda i: f"finding {i}") -> FileResult:
    diags = tuple(
        Diagnostic("a/nexlayer.yaml", i + 1, 1, i + 1, 2, "NX104", "invalid-value", severity, message(i))
        for i, severity in enumerate(severities)
    )
    return FileResult("a/nexlayer.yaml", diags, "")


def _kept(log: dict) -> list[tuple[int, str]]:
    return [
        (r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"]) for r in log["runs"][0]["results"]
    ]


def test_sarif_keeps_at_most_25000_results_the_most_severe() -> None:
    severities = ["info"] * 20 + ["warning"] * 24_985 + ["error"] * 5
    log = json.loads(render("sarif", [_many(severities)], RUN, ReportOptions()))
    kept = _kept(log)
    assert sarif_reporter.MAX_RESULTS == 25_000 == len(kept)
    # errors and warnings all kept; of the notes, the first ten in report order; report order kept
    assert [line for line, level in kept if level == "note"] == list(range(1, 11))
    assert [line for line, _ in kept] == sorted(line for line, _ in kept)
    assert sum(level == "error" for _, level in kept) == 5
    (notification,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning" and notification["descriptor"] == {"id": "results-left-out"}
    assert notification["message"]["text"] == (
        "10 of 25010 results were left out (10 notes) to stay within GitHub code scanning's limits "
        "(25,000 results per run, 10 MB gzip-compressed); the most severe were kept"
    )
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_left_out_results_validate_and_keep_file_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_reporter, "MAX_RESULTS", 3)
    log = json.loads(render("sarif", mixed_results(), RUN, ReportOptions()))
    errors = list(_sarif_validator().iter_errors(log))
    assert not errors, errors[0].message
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["NX002", "NX103", "NX001"]
    notes = [n["message"]["text"] for n in log["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert notes[0] == UNREADABLE.error
    assert notes[1].startswith("3 of 6 results were left out (3 warnings) ")


def test_sarif_stays_under_the_upload_size(monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    empty = len(zlib.compress(render("sarif", [], RUN, ReportOptions()).encode()))
    monkeypatch.setattr(sarif_reporter, "MAX_GZIP_BYTES", empty + 20_000)
    # hex digests compress poorly: each result costs some hundreds of compressed bytes
    result = _many(
        ["warning"] * 200 + ["error"] * 100,
        lambda i: "".join(hashlib.sha256(f"{i}.{k}".encode()).hexdigest() for k in range(6)),
    )
    out = render("sarif", [result], RUN, ReportOptions())
    assert len(zlib.compress(out.encode())) <= empty + 20_000
    log = json.loads(out)
    kept = _kept(log)
    assert 0 < len(kept) < 100 and {level for _, level in kept} == {"error"}
    assert [line for line, _ in kept] == list(range(201, 201 + len(kept)))  # the first errors, in order
    (note,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith(
        f"{300 - len(kept)} of 300 results were left out ({100 - len(kept)} errors, 200 warnings) "
    )
    assert not list(_sarif_validator().iter_errors(log))


# --- paths in CI formats -------------------------------------------------------------------


def _ci_paths_of(results: list[FileResult]) -> dict[str, list[str]]:
    """The path each format prints for each result, in order."""

    def sarif(out: str) -> list[str]:
        return [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]
        ]

    readers = {
        "sarif": sarif,
        "gitlab": lambda out: [i["location"]["path"] for i in json.loads(out)],
        "github": lambda out: [re.search(r"file=([^,]*)", line).group(1) for line in out.splitlines()],
        "junit": lambda out: [s.get("name") for s in ET.fromstring(out).iter("testsuite")],
        "json": lambda out: [f["path"] for f in json.loads(out)["files"]],
        "text": lambda out: [line.split(":")[0] for line in out.splitlines()],
    }
    return {fmt: read(render(fmt, results, RUN, ReportOptions(quiet=True))) for fmt, read in readers.items()}


def _one(path: str) -> FileResult:
    return FileResult(path, (Diagnostic(path, 1, 1, 1, 2, "NX004", "empty-document", "error", "empty"),), "")


def test_ci_paths_are_relative_to_the_repository_root_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deep")
    given = "../../apps/./web/../web/nexlayer.yaml"
    paths = _ci_paths_of([_one(given)])
    assert paths["sarif"] == paths["gitlab"] == paths["github"] == paths["junit"] == ["apps/web/nexlayer.yaml"]
    assert paths["json"] == paths["text"] == [given]  # as given: they are for people and scripts here
    # the same file named from the root: the same fingerprints, so alerts do not move
    from_here = _fingerprints("sarif", lint(CASES["errors"], "../../errors/nexlayer.yaml"))
    monkeypatch.chdir(tmp_path)
    assert _fingerprints("sarif", lint(CASES["errors"], "errors/nexlayer.yaml")) == from_here


def test_sarif_names_a_windows_file_outside_the_repository_by_an_absolute_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 109 F2: on Windows such a path starts with its drive, and `C:/work/x` became the
    # relative `C%3A/work/x` under the checkout root, which names no file
    from nexlayer_lint.reporters import sarif

    # elsewhere `C:` is a folder's name like another
    relative = {"uri": "C%3A/work/my%20app/nexlayer.yaml", "uriBaseId": "%SRCROOT%"}
    assert sarif._artifact("C:/work/my app/nexlayer.yaml") == relative
    monkeypatch.setattr(sarif, "_ON_WINDOWS", True)
    assert sarif._artifact("C:/work/my app/nexlayer.yaml") == {"uri": "file:///C:/work/my%20app/nexlayer.yaml"}
    assert sarif._artifact("app/nexlayer.yaml") == {"uri": "app/nexlayer.yaml", "uriBaseId": "%SRCROOT%"}


def test_ci_paths_absolute_inside_and_outside_the_root(tmp_path: Path) -> None:
    inside, outside = str(tmp_path / "a" / "nexlayer.yaml"), "/elsewhere/x/../nexlayer.yaml"
    paths = _ci_paths_of([_one(inside), _one(outside), _one("-")])
    assert paths["gitlab"] == paths["github"] == ["-", "/elsewhere/nexlayer.yaml", "a/nexlayer.yaml"]
    assert paths["sarif"] == ["-", "file:///elsewhere/nexlayer.yaml", "a/nexlayer.yaml"]


def test_ci_paths_root_is_a_worktree_or_else_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").rmdir()
    (tmp_path / "wt" / "sub").mkdir(parents=True)
    (tmp_path / "wt" / ".git").write_text("gitdir: /somewhere/.git/worktrees/wt\n")  # a worktree's .git is a file
    monkeypatch.chdir(tmp_path / "wt" / "sub")
    assert _ci_paths_of([_one("nexlayer.yaml")])["github"] == ["sub/nexlayer.yaml"]
    (tmp_path / "wt" / ".git").unlink()
    if repository_root(str(tmp_path)) != str(tmp_path):
        pytest.skip("a folder above the test's tmp_path holds .git")
    assert _ci_paths_of([_one("nexlayer.yaml")])["github"] == ["nexlayer.yaml"]  # no repository: the cwd


def _fingerprints(fmt: str, result: FileResult) -> list[tuple[str, int, str]]:
    out = render(fmt, [result], RUN, ReportOptions())
    if fmt == "sarif":
        return [
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["partialFingerprints"][sarif_reporter.FINGERPRINT_KEY],
            )
            for r in json.loads(out)["runs"][0]["results"]
        ]
    return [(i["check_name"], i["location"]["lines"]["begin"], i["fingerprint"]) for i in json.loads(out)]


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_fingerprints_survive_unrelated_lines_moving(fmt: str) -> None:
    before = _fingerprints(fmt, case_result("errors"))
    moved_text = "# a comment\n\n" + CASES["errors"].replace("    - name: api\n", "    # the API\n    - name: api\n")
    after = _fingerprints(fmt, lint(moved_text, "errors/nexlayer.yaml"))
    assert [(code, line + 2) for code, line, _ in before] == [(code, line) for code, line, _ in after[:1]] + [
        (code, line - 1) for code, line, _ in after[1:]
    ]  # the lines did move
    assert [fp for *_, fp in before] == [fp for *_, fp in after]
    # editing the offending line itself is a new finding
    edited = lint(CASES["errors"].replace("[http]", "[https]"), "errors/nexlayer.yaml")
    assert _fingerprints(fmt, edited)[1][2] != before[1][2]
    # and the same file under another path is another finding
    assert _fingerprints(fmt, lint(CASES["errors"], "other/nexlayer.yaml"))[0][2] != before[0][2]


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_one_file_reported_twice_has_no_fingerprint_twice(fmt: str) -> None:
    # hunt 146 F3: `--stdin-filename nexlayer.yaml - nexlayer.yaml` reports the path twice, and
    # GitLab, which keys issues by fingerprint, merged the second's findings into the first's
    result = case_result("errors")
    out = render(fmt, [result, result], RUN, ReportOptions())
    if fmt == "sarif":
        prints = [
            r["partialFingerprints"][sarif_reporter.FINGERPRINT_KEY] for r in json.loads(out)["runs"][0]["results"]
        ]
    else:
        prints = [issue["fingerprint"] for issue in json.loads(out)]
    assert len(prints) == 2 * len(result.diagnostics) > 0 and len(set(prints)) == len(prints)


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_fingerprints_survive_items_added_above_and_lines_added_before_a_whole_file_finding(fmt: str) -> None:
    # hunt 45 F2: a pod added above moved `pods[0]` to `pods[1]`; a comment on line 1 changed NX101's
    web = "    - name: web\n      image: nginx:latest\n      path: /\n      servicePorts: [80]\n"
    api = "    - name: api\n      image: nginx:1.27\n      servicePorts: [81]\n"
    head = "application:\n  name: shop\n  pods:\n"
    before = _fingerprints(fmt, lint(head + web))
    after = _fingerprints(fmt, lint(head + api + web))
    assert [code for code, *_ in before] == [code for code, *_ in after] == ["NX215"]
    assert before[0][2] == after[0][2]
    # hunt 47 F1: a pod with no name is called `pod "#1"`, then `pod "#2"`
    unnamed = "    - image: nginx:latest\n      path: /\n      servicePorts: [80]\n"
    before, after = (_fingerprints(fmt, lint(head + pods)) for pods in (unnamed, api + unnamed))
    assert [code for code, *_ in before] == ["NX101", "NX215"] and before[1][2] == after[1][2]
    whole = [_fingerprints(fmt, lint(text)) for text in ("name: shop\npods: []\n", "# deploy\nname: shop\npods: []\n")]
    assert [code for code, *_ in whole[0]] == ["NX101"] and whole[0] == whole[1]


# --- GitLab --------------------------------------------------------------------------------


def test_gitlab_fingerprints_are_unique_even_for_look_alike_findings() -> None:
    text = CASES["clean"] + "      servicePorts: [80]\n      servicePorts: [80]\n"
    result = lint(text)
    assert [(d.code, d.line) for d in result.diagnostics] == [("NX002", 8), ("NX002", 9)]
    issues = json.loads(render("gitlab", [result, case_result("errors"), UNREADABLE], RUN, ReportOptions()))
    prints = [issue["fingerprint"] for issue in issues]
    assert len(prints) == len(set(prints)) == 5
    assert all(re.fullmatch(r"[0-9a-f]{32}", fp) for fp in prints)


def test_gitlab_fields_and_severities() -> None:
    issues = json.loads(render("gitlab", mixed_results(), RUN, ReportOptions()))
    found = [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues]
    assert found == [
        ("NX002", "major", "errors/nexlayer.yaml", 8),
        ("NX103", "major", "errors/nexlayer.yaml", 11),
        ("nexlayer-lint/file-error", "blocker", "missing/nexlayer.yaml", 1),
        ("NX001", "critical", "unparseable/nexlayer.yaml", 4),
        ("NX215", "minor", "warnings/nexlayer.yaml", 5),
        ("NX102", "minor", "warnings/nexlayer.yaml", 8),
        ("NX005", "minor", "warnings/nexlayer.yaml", 10),
    ]
    assert issues[0]["description"] == 'NX002 key "servicePorts" is already defined on line 7 [duplicate-key]'
    info = Diagnostic("a.yaml", 3, 1, 3, 5, "NX217", "placeholder-image", "info", "image is a placeholder")
    issues = json.loads(render("gitlab", [FileResult("a.yaml", (info,), "")], RUN, ReportOptions()))
    assert issues[0]["severity"] == "info"
    assert render("gitlab", [], RUN, ReportOptions()) == "[]\n"


# --- GitHub --------------------------------------------------------------------------------


def test_github_escapes_data_and_properties() -> None:
    diag = Diagnostic(
        "odd,dir:x/nexlayer.yaml",
        3,
        5,
        3,
        9,
        "NX104",
        "invalid-value",
        "error",
        'value "50%" is a:b, c\r\nand more',
        "use 100%, not 50%",
    )
    out = github_reporter.render([FileResult(diag.file, (diag,), "")], RUN, ReportOptions())
    # a line break inside a value is shown escaped; the one before "help:" is the reporter's own
    assert out == (
        "::error file=odd%2Cdir%3Ax/nexlayer.yaml,line=3,endLine=3,col=5,endColumn=9,title=NX104 invalid-value"
        '::value "50%25" is a:b, c\\r\\nand more%0Ahelp: use 100%25, not 50%25\n'
    )
    assert github_reporter.escape_property("%0A") == "%250A"  # % first, or an escape would be decoded twice


def test_github_levels_and_multi_line_spans() -> None:
    warning = Diagnostic("a.yaml", 2, 3, 4, 1, "NX216", "vars-list-form", "warning", "vars is a list")
    info = Diagnostic("a.yaml", 5, 1, 5, 4, "NX217", "placeholder-image", "info", "image is a placeholder")
    out = github_reporter.render([FileResult("a.yaml", (info, warning), "")], RUN, ReportOptions())
    assert out.splitlines() == [
        # GitHub ignores columns on an annotation that spans lines, so none are sent
        "::warning file=a.yaml,line=2,endLine=4,title=NX216 vars-list-form::vars is a list",
        "::notice file=a.yaml,line=5,endLine=5,col=1,endColumn=4,title=NX217 placeholder-image::image is a placeholder",
    ]


def test_github_says_when_github_will_not_show_every_annotation() -> None:
    # hunt 268 F3: GitHub keeps 10 annotations of each kind per step and drops the rest silently
    def warning(line: int) -> Diagnostic:
        return Diagnostic("a.yaml", line, 1, line, 2, "NX215", "unpinned-image", "warning", "w")

    ten = [FileResult("a.yaml", tuple(warning(n) for n in range(1, 11)), "")]
    assert not github_reporter.render(ten, RUN, ReportOptions()).startswith("::notice")
    eleven = [FileResult("a.yaml", tuple(warning(n) for n in range(1, 12)), ""), UNREADABLE]
    out = github_reporter.render(eleven, RUN, ReportOptions()).splitlines()
    assert out[0] == (
        "::notice title=nexlayer-lint::1 error, 11 warnings: GitHub shows the first 10 annotations of each"
        " kind per step, this notice among them; every finding is in this step's log"
    )
    assert len(out) == 13


def test_github_reports_an_unreadable_file_and_nothing_for_clean_ones() -> None:
    out = render("github", [UNREADABLE, case_result("clean")], RUN, ReportOptions())
    assert out == "::error file=missing/nexlayer.yaml,title=nexlayer-lint::missing/nexlayer.yaml: no such file\n"


# --- JUnit ---------------------------------------------------------------------------------


def test_junit_parses_with_the_standard_library() -> None:
    root = ET.fromstring(render("junit", mixed_results(), RUN, ReportOptions()))
    assert root.tag == "testsuites"
    # the three warnings pass: with --fail-on error (the default) the run would exit 0 on them
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "3", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [
        "clean/nexlayer.yaml",
        "errors/nexlayer.yaml",
        "missing/nexlayer.yaml",
        "unparseable/nexlayer.yaml",
        "warnings/nexlayer.yaml",
    ]
    clean_cases = suites["clean/nexlayer.yaml"].findall("testcase")
    assert [(c.get("name"), list(c)) for c in clean_cases] == [("no problems", [])]
    errors = suites["errors/nexlayer.yaml"]
    assert [c.get("name") for c in errors.findall("testcase")] == ["NX002 duplicate-key", "NX103 wrong-type"]
    failure = errors.find("testcase/failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message") == 'key "servicePorts" is already defined on line 7'
    assert failure.text.startswith('errors/nexlayer.yaml:8:7: error NX002 key "servicePorts" is already defined')
    missing = suites["missing/nexlayer.yaml"].find("testcase/error")
    assert missing is not None and missing.get("message") == UNREADABLE.error
    warnings = suites["warnings/nexlayer.yaml"]
    assert (warnings.get("tests"), warnings.get("failures")) == ("3", "0")
    assert [c.get("name") for c in warnings.iter("testcase")] == [
        "NX005 yaml11-ambiguous-scalar",
        "NX102 unknown-key",
        "NX215 unpinned-image",
    ]
    assert [c.find("failure") for c in warnings.iter("testcase")] == [None] * 3
    nx215 = warnings.findall("testcase")[2]
    assert nx215.find("system-out").text.startswith("warnings/nexlayer.yaml:5:14: warning NX215 ")


def test_junit_warnings_fail_with_fail_on_warning() -> None:
    root = ET.fromstring(render("junit", mixed_results(), RUN, ReportOptions(fail_on="warning")))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "6", "1")
    warnings = next(s for s in root.iter("testsuite") if s.get("name") == "warnings/nexlayer.yaml")
    assert [c.find("failure").get("type") for c in warnings.iter("testcase")] == ["warning"] * 3
    info = Diagnostic("a.yaml", 3, 1, 3, 5, "NX217", "placeholder-image", "info", "image is a placeholder")
    for fail_on, failures in (("error", "0"), ("warning", "0"), ("info", "1")):
        root = ET.fromstring(render("junit", [FileResult("a.yaml", (info,), "")], RUN, ReportOptions(fail_on=fail_on)))
        assert root.get("failures") == failures


def test_junit_a_rule_fails_when_any_of_its_findings_reaches_the_level() -> None:
    mild = Diagnostic("a.yaml", 2, 1, 2, 5, "NX202", "storage", "warning", "mild")
    severe = Diagnostic("a.yaml", 9, 1, 9, 5, "NX202", "storage", "error", "severe")
    root = ET.fromstring(render("junit", [FileResult("a.yaml", (mild, severe), "")], RUN, ReportOptions()))
    (case,) = root.iter("testcase")
    failure = case.find("failure")
    assert (failure.get("type"), failure.get("message")) == ("error", "severe (and 1 more)")
    assert [line.split(":")[1] for line in failure.text.splitlines()] == ["2", "9"]


def test_junit_groups_one_rule_into_one_case_and_survives_control_characters() -> None:
    diags = tuple(
        Diagnostic("a.yaml", line, 1, line, 2, "NX002", "duplicate-key", "error", f"dup \x07{line}") for line in (9, 4)
    )
    root = ET.fromstring(render("junit", [FileResult("a.yaml", diags, "")], RUN, ReportOptions()))
    (case,) = root.iter("testcase")
    failure = case.find("failure")
    assert case.get("line") == "4"
    assert failure.get("message") == "dup \\x074 (and 1 more)"
    assert [line.split(":")[1] for line in failure.text.splitlines()] == ["4", "9"]


# --- text ----------------------------------------------------------------------------------


def test_text_code_frame_points_at_the_span() -> None:
    diag = Diagnostic(
        "nexlayer.yaml",
        14,
        25,
        14,
        31,
        "NX208",
        "unknown-pod-reference",
        "error",
        'var "API_URL" refers to pod "bakend", which does not exist',
        'did you mean "backend"?',
    )
    source = "\n" * 13 + "        API_URL: http://bakend.pod:8000\n"
    out = text_reporter.render([FileResult("nexlayer.yaml", (diag,), source)], RUN, ReportOptions(show_source=True))
    assert out == (
        'nexlayer.yaml:14:25: error NX208 var "API_URL" refers to pod "bakend", which does not exist'
        " [unknown-pod-reference]\n"
        "   |\n"
        "14 |         API_URL: http://bakend.pod:8000\n"
        "   |                         ^^^^^^\n"
        '   = help: did you mean "backend"?\n'
        "\n"
        "1 error in 1 file\n"
    )


def test_text_carets_line_up_after_tabs_and_wide_characters() -> None:
    diag = Diagnostic("a.yaml", 1, 8, 1, 11, "NX205", "unknown-template", "warning", "x")
    source = 'k:\t"日本 <% X %>"\n'
    assert source[7:10] == "<% "
    lines = text_reporter.render(
        [FileResult("a.yaml", (diag,), source)], RUN, ReportOptions(show_source=True, quiet=True)
    ).splitlines()
    assert lines[2] == '1 | k:\t"日本 <% X %>"'
    assert lines[3] == "  |   \t      ^^^"  # the tab is kept, each wide character takes two columns


@pytest.mark.parametrize(
    ("value", "drawn"),
    [
        # hunt 45 F4: a decomposed `é` (e and U+0301) and U+200B each moved the carets a column right;
        # hunt 171 F3: U+200B and the soft hyphen are shown as escapes (invisible, they made a key
        # look like another), and the carets count the escape's columns
        ("e\u0301e\u0301 a\u200bb", "éé a\\u200bb"),
        ("a\u00adb", "a\\xadb"),
    ],
)
def test_text_carets_count_columns_as_a_terminal_draws_them(value: str, drawn: str) -> None:
    source = f'k: "{value} <% X %>"\n'
    start = source.index("<%")
    diag = Diagnostic("a.yaml", 1, start + 1, 1, start + 4, "NX205", "unknown-template", "warning", "x")
    lines = text_reporter.render(
        [FileResult("a.yaml", (diag,), source)], RUN, ReportOptions(show_source=True, quiet=True)
    ).splitlines()
    assert lines[3] == "  |" + " " * (1 + len(f'k: "{drawn} ')) + "^^^"


def test_text_without_source_and_quiet() -> None:
    out = render("text", [case_result("errors")], RUN, ReportOptions(quiet=True))
    assert out.splitlines() == [
        'errors/nexlayer.yaml:8:7: error NX002 key "servicePorts" is already defined on line 7 [duplicate-key]',
        "  help: remove one of them; YAML parsers disagree on which one wins",
        'errors/nexlayer.yaml:11:22: error NX103 expected an integer in "servicePorts" of pod "api", got the string'
        ' "http" [wrong-type]',
        "  help: servicePorts takes plain port numbers, e.g. servicePorts: [80]",
    ]
    assert render("text", [case_result("clean")], RUN, ReportOptions(quiet=True)) == ""


@pytest.mark.parametrize(
    ("results", "line"),
    [
        ([], "no problems in 0 files"),
        ([FileResult("a.yaml", (), "")], "no problems in 1 file"),
        (
            [FileResult("a.yaml", (), ""), FileResult("b.yaml", (), ""), UNREADABLE],
            "no problems in 2 files; 1 file could not be linted",
        ),
    ],
)
def test_text_summary_line_when_clean(results: list[FileResult], line: str) -> None:
    assert render("text", results, RUN, ReportOptions()) == line + "\n"


def test_text_summary_counts_and_plurals() -> None:
    out = render("text", mixed_results(), RUN, ReportOptions())
    # the count, then the fixable note: the warnings case's NX005 (`DEBUG: on`) has a safe fix, quoting it
    assert out.splitlines()[-2:] == [
        "3 errors, 3 warnings in 3 of 5 files; 1 file could not be linted",
        "[*] 1 fixable with --fix",
    ]


def test_text_colour_on_and_off() -> None:
    results = [case_result("errors"), case_result("warnings")]
    plain = render("text", results, RUN, ReportOptions(show_source=True))
    coloured = render("text", results, RUN, ReportOptions(show_source=True, color=True))
    assert "\x1b[" not in plain
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[1;33mwarning\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_text_never_passes_terminal_escapes_through() -> None:
    diag = Diagnostic("a.yaml", 1, 4, 1, 8, "NX104", "invalid-value", "error", 'bad "\x1b[2J"', "\x1b]0;pwned\x07")
    out = render("text", [FileResult("a.yaml", (diag,), "k: \x1b[2J\n")], RUN, ReportOptions(show_source=True))
    assert "\x1b" not in out and "\x07" not in out


# --- secrets -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_secret_values_never_appear(fmt: str) -> None:
    result = lint(SECRETS_FILE)
    lines = {d.line for d in result.diagnostics}
    assert 14 in lines, "the test needs a finding on a line that holds a secret, or it proves nothing"
    assert TOKEN in SECRETS_FILE and PASSWORD in SECRETS_FILE
    for options in (ReportOptions(show_source=True), ReportOptions(show_source=True, color=True)):
        out = render(fmt, [result], RUN, options)
        assert TOKEN not in out and PASSWORD not in out
        assert "SUPERSECRET" not in out and "hunter2" not in out


def test_secret_values_never_appear_in_any_output_file(tmp_path: Path) -> None:
    (tmp_path / "nexlayer.yaml").write_text(SECRETS_FILE, encoding="utf-8")
    args = ["check", "nexlayer.yaml", "--show-source", "--color", "always"]
    for fmt in FORMATS:
        args += ["--format", fmt, "-o", f"report.{fmt}"]
    with _chdir(tmp_path):
        outcome = CliRunner().invoke(main, [*args, "--format", "text"])
    assert outcome.exit_code == 1, outcome.output
    reports = [(tmp_path / f"report.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS]
    for text in [outcome.output, *reports]:
        assert "SUPERSECRET" not in text and "hunter2" not in text


def test_secret_values_never_appear_when_the_file_does_not_parse() -> None:
    broken = SECRETS_FILE.replace(f"personalAccessToken: {TOKEN}", f"personalAccessToken: {TOKEN}: [")
    result = lint(broken)
    assert [d.code for d in result.diagnostics] == ["NX001"]
    out = render("text", [result], RUN, ReportOptions(show_source=True))
    assert "SUPERSECRET" not in out


# --- the command line ----------------------------------------------------------------------


class _chdir:
    def __init__(self, path: Path) -> None:
        self.path, self.old = path, os.getcwd()

    def __enter__(self) -> None:
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "nexlayer.yaml").write_text(CASES["errors"], encoding="utf-8")
    return tmp_path


def _run(project: Path, *args: str, env: dict[str, str] | None = None):
    with _chdir(project):
        # color=True: let the CLI decide; CliRunner would otherwise strip every ANSI code itself
        return CliRunner().invoke(main, ["check", "nexlayer.yaml", *args], env=env, color=True)


def test_cli_writes_several_reports_in_one_run(project: Path) -> None:
    outcome = _run(
        project,
        "--format",
        "text",
        "--format",
        "sarif",
        "-o",
        "out/report.sarif",
        "--format",
        "gitlab",
        "--output-file",
        "gl-code-quality.json",
        "--format",
        "junit",
        "--output-file=junit.xml",
    )
    assert outcome.exit_code == 1, outcome.output
    assert outcome.output.startswith("nexlayer.yaml:8:7: error NX002 ")
    assert outcome.output.endswith("2 errors in 1 file\n")
    log = json.loads((project / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["NX002", "NX103"]
    assert [i["check_name"] for i in json.loads((project / "gl-code-quality.json").read_text())] == ["NX002", "NX103"]
    assert ET.parse(project / "junit.xml").getroot().get("failures") == "2"
    # written atomically: no temporary file is left beside the reports
    assert sorted(p.name for p in project.rglob("*") if p.is_file()) == [
        "gl-code-quality.json",
        "junit.xml",
        "nexlayer.yaml",
        "report.sarif",
    ]


def test_cli_output_file_pairs_with_the_format_before_it(project: Path) -> None:
    outcome = _run(project, "--format", "sarif", "-o", "a.sarif", "--format", "github")
    assert outcome.exit_code == 1
    assert outcome.output.startswith("::error file=nexlayer.yaml,line=8,")
    assert json.loads((project / "a.sarif").read_text())["version"] == "2.1.0"
    # with no --format, the one --output-file gets the text report
    assert _run(project, "-o", "report.txt").output == ""
    assert (project / "report.txt").read_text().endswith("2 errors in 1 file\n")
    misplaced = _run(project, "-o", "b.sarif", "--format", "sarif")
    assert misplaced.exit_code == 2
    assert "--output-file b.sarif must follow the --format it is for" in misplaced.output
    assert not (project / "b.sarif").exists()


def test_cli_output_file_dash_is_standard_output_and_one_file_takes_one_report(project: Path) -> None:
    # hunt 99: `-o -` wrote a file named `-`, and two reports to one file kept the last unseen
    outcome = _run(project, "--format", "json", "-o", "-", "--format", "sarif", "-o", "a.sarif")
    assert json.loads(outcome.output)["version"] == 1 and not (project / "-").exists()
    assert json.loads((project / "a.sarif").read_text())["version"] == "2.1.0"
    twice = _run(project, "--format", "json", "-o", "r.json", "--format", "sarif", "-o", "./r.json")
    assert twice.exit_code == 2 and "two reports name one --output-file" in twice.output
    assert not (project / "r.json").exists()
    assert _run(project, "--format", "json", "-o", "-", "--format", "github").exit_code == 2  # both to stdout
    # hunt 127 F3: under two names, a link or standard output's own, it was not seen
    (project / "r.sarif").symlink_to("r.json")
    (project / "r.json").write_text("{}", encoding="utf-8")
    linked = _run(project, "--format", "json", "-o", "r.json", "--format", "sarif", "-o", "r.sarif")
    assert linked.exit_code == 2 and "two reports name one --output-file, r.sarif:" in linked.output
    assert (project / "r.json").read_text() == "{}"
    if os.path.exists("/dev/stdout"):
        command = [sys.executable, "-m", "nexlayer_lint", "--format", "json", "--format", "sarif", "-o", "/dev/stdout"]
        piped = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
        assert (piped.returncode, piped.stdout) == (2, "")
        assert "--output-file /dev/stdout is standard output, where another report goes" in piped.stderr
    assert _run(project, "--format", "json", "-o", "/dev/null", "--format", "sarif", "-o", "a.sarif").exit_code == 1
    # hunt 130 F2: a file not there yet, by its path with its links resolved
    (project / "new.sarif").symlink_to("new.json")
    dangling = _run(project, "--format", "json", "-o", "new.json", "--format", "sarif", "-o", "new.sarif")
    assert dangling.exit_code == 2 and "two reports name one --output-file, new.sarif:" in dangling.output
    (project / "other" / "deep").mkdir(parents=True)
    (project / "dl").symlink_to(project / "other" / "deep")
    apart = _run(project, "--format", "json", "-o", "b.json", "--format", "sarif", "-o", "dl/../b.json")
    assert apart.exit_code == 1 and (project / "b.json").exists() and (project / "other" / "b.json").exists()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="a terminal is POSIX's here")
def test_a_terminal_under_two_names_is_one_report_destination_and_dev_null_takes_any(tmp_path: Path) -> None:
    # hunt 130 F7: on a terminal, `-o /dev/stdout` beside a report on standard output ran together
    from nexlayer_lint.cli import _destination

    leader, follower = os.openpty()
    try:
        (tmp_path / "tty").symlink_to(os.ttyname(follower))
        assert _destination(os.ttyname(follower)) == _destination(str(tmp_path / "tty"))
        assert _destination(os.devnull) != _destination(str(tmp_path / "tty"))
    finally:
        os.close(leader)
        os.close(follower)


def test_cli_replaces_an_existing_report(project: Path) -> None:
    (project / "r.json").write_text("stale", encoding="utf-8")
    assert _run(project, "--format", "gitlab", "-o", "r.json").exit_code == 1
    assert len(json.loads((project / "r.json").read_text())) == 2


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, False),  # not a terminal
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # an explicit choice wins over the environment
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        (("--color", "auto"), {"NO_COLOR": ""}, False),
    ],
)
def test_cli_colour(project: Path, args: tuple[str, ...], env: dict[str, str], coloured: bool) -> None:
    outcome = _run(project, *args, env=env)
    assert outcome.exit_code == 1
    assert ("\x1b[" in outcome.output) is coloured
    assert ANSI.sub("", outcome.output).splitlines()[0].startswith("nexlayer.yaml:8:7: error NX002")


def test_cli_show_source_and_quiet(project: Path) -> None:
    framed = _run(project, "--show-source").output
    assert "8 |       servicePorts: [8080]\n  |       ^^^^^^^^^^^^\n" in framed
    assert "|" not in _run(project, "--no-show-source").output  # CliRunner is not a terminal: off
    assert "|" not in _run(project).output
    quiet = _run(project, "--quiet").output
    assert "error" in quiet and "in 1 file" not in quiet


def test_cli_colour_never_goes_into_a_file_unless_asked(project: Path) -> None:
    _run(project, "--format", "text", "-o", "plain.txt", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in (project / "plain.txt").read_text()


def test_masked_text_is_what_frames_show() -> None:
    """The frame reads FileResult.masked_text, never the file: a reporter cannot see a secret."""
    result = lint(SECRETS_FILE)
    result = result._replace(masked_text=result.masked_text.replace("DB_PASSWORD", "DB_PASSW0RD"))
    assert "DB_PASSW0RD" in render("text", [result], RUN, ReportOptions(show_source=True))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("show_source", [False, True])
def test_a_format_that_does_not_read_the_masked_text_renders_the_same_without_it(fmt: str, show_source: bool) -> None:
    # the CLI lints without masking when no report reads the masked text: that must change no byte
    results = [lint(SECRETS_FILE, "a/nexlayer.yaml"), lint(CASES["warnings"], "b/nexlayer.yaml")]
    assert all(r.diagnostics and r.masked_text for r in results)
    options = ReportOptions(show_source=show_source)
    without = [r._replace(masked_text="") for r in results]
    same = render(fmt, results, RUN, options) == render(fmt, without, RUN, options)
    assert same or reads_source(fmt, options)
    assert reads_source(fmt, options) == (fmt in ("gitlab", "sarif") or (fmt == "text" and show_source))


def test_linter_without_masked_text_finds_the_same() -> None:
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter

    for text in (SECRETS_FILE, CASES["warnings"], "application: [\n"):
        masked = Linter(Settings()).lint(text, "nexlayer.yaml")
        plain = Linter(Settings(), masked_text=False).lint(text, "nexlayer.yaml")
        assert masked.diagnostics and masked.masked_text
        assert plain == masked._replace(masked_text="")


def test_cli_junit_fails_a_test_only_where_the_run_fails(tmp_path: Path) -> None:
    (tmp_path / "nexlayer.yaml").write_text(CASES["warnings"], encoding="utf-8")
    with _chdir(tmp_path):
        passing = CliRunner().invoke(main, ["check", "nexlayer.yaml", "--format", "junit", "-o", "pass.xml"])
        failing = CliRunner().invoke(
            main, ["check", "nexlayer.yaml", "--format", "junit", "-o", "fail.xml", "--fail-on", "warning"]
        )
    assert (passing.exit_code, failing.exit_code) == (0, 1)
    assert ET.parse(tmp_path / "pass.xml").getroot().get("failures") == "0"
    assert ET.parse(tmp_path / "fail.xml").getroot().get("failures") == "3"


def test_ci_paths_follow_a_symlinked_folder_but_not_a_symlinked_file(tmp_path, monkeypatch) -> None:
    # hunt 76 F3: a file outside the repository that is a symlink into it (linted under its own
    # folder's config) was given its target's path: one path twice in every CI format, one
    # GitLab fingerprint for two issues, two JUnit suites of one name that disagree
    from nexlayer_lint.reporters._common import ci_paths

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "app").mkdir()
    (repo / "app" / "nexlayer.yaml").write_text("x: 1\n")
    (tmp_path / "else").mkdir()
    (tmp_path / "else" / "nexlayer.yaml").symlink_to(repo / "app" / "nexlayer.yaml")
    (tmp_path / "link").symlink_to(repo)  # a folder reached through a link, as macOS's /tmp
    monkeypatch.chdir(tmp_path / "link")
    path = ci_paths()
    assert path("app/nexlayer.yaml") == "app/nexlayer.yaml"
    assert path(str(tmp_path / "link" / "app" / "nexlayer.yaml")) == "app/nexlayer.yaml"
    assert path("../else/nexlayer.yaml") == str(tmp_path / "else" / "nexlayer.yaml").replace(os.sep, "/")
    # hunt 80 F4: `..` after a symlinked folder goes where the link goes, not back up its spelling
    (repo / "outlink").symlink_to(tmp_path / "else")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "nexlayer.yaml").write_text("x: 1\n")
    (repo / "outside").mkdir()
    assert path("outlink/../outside/nexlayer.yaml") == str(tmp_path / "outside" / "nexlayer.yaml").replace(os.sep, "/")
