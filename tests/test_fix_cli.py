"""--fix, --unsafe-fixes, --diff, --show-fixes and the fix settings, on files on disk and standard input.

The fixes are the checks' own: the schema's safe key renames (NX101, NX102) and NX201's unsafe
`path: /` on a line of its own. Where a test needs a fix no real check makes (one that breaks the
file, one that adds an error) a test-only check stands in for a real one, swapped into
`checks.CHECK_RULES`.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nexlayer_lint import checks, fix_files
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.cli import main
from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from nexlayer_lint.model import Edit, Fix, Span
from tests.conftest import CLEAN

# Two misspelt keys with a safe rename each: servicePort (NX101, it is required) and Path (NX102).
MISSPELT = """\
# the shop
application:
  name: shop
  pods:
    - name: web  # the front end
      image: nginx:1.27
      Path: /
      servicePort: [80]
"""
FIXED = MISSPELT.replace("Path:", "path:").replace("servicePort:", "servicePorts:")
# No path at all: NX201's unsafe fix adds `path: /` after the image, NX101's safe one renames.
NO_PATH = MISSPELT.replace("      Path: /\n", "")


def run(*args: str, input: bytes | str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def untouched(path: Path) -> Any:
    """What a write would change: the bytes, the inode, the modification time."""
    info = path.stat()
    return path.read_bytes(), info.st_ino, info.st_mtime_ns


# --- test-only checks ----------------------------------------------------------------------------


def _break(app: Any) -> Iterator[Finding]:
    """NX203's stand-in: a safe fix for a var named BREAK that leaves the file unparseable."""
    for pod in app.pods:
        for var in pod.vars:
            if var.name == "BREAK":
                span = app.doc.positions[var.path].value
                yield Finding("BREAK is set", path=var.path, fix=Fix("Break it", (Edit(span, "[[ nope"),)))


def _drop_image(app: Any) -> Iterator[Finding]:
    """NX219's stand-in: a safe fix for `image: drop-me` that deletes the required `image` (adds NX101)."""
    for pod in app.pods:
        if pod.data.get("image") == "drop-me":
            located = app.doc.positions[pod.path + ("image",)]
            span = Span(located.key.line, 1, located.key.line + 1, 1)
            yield Finding("drop me", path=pod.path + ("image",), fix=Fix("Drop the image", (Edit(span, ""),)))


STAND_INS = {"NX203": _break, "NX219": _drop_image}


def stand_in(monkeypatch: pytest.MonkeyPatch, *codes: str) -> None:
    """The test-only checks of `codes` above in place of the real checks of those codes."""
    swapped = tuple(
        rule(r.code, r.name, r.severity, r.summary)(STAND_INS[r.code]) if r.code in codes else r
        for r in checks.CHECK_RULES
    )
    monkeypatch.setattr(checks, "CHECK_RULES", swapped)


# --- --fix ---------------------------------------------------------------------------------------


def test_fix_applies_the_safe_fixes_in_place_and_reports_what_remains(project: Path) -> None:
    write(project / "nexlayer.yaml", MISSPELT.replace("nginx:1.27", "nginx"))  # and an NX215, without fix
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == FIXED.replace("nginx:1.27", "nginx")
    assert result.stdout.splitlines() == [
        'nexlayer.yaml:6:14: warning NX215 image "nginx" of pod "web" has no tag, so it runs whatever "latest" '
        "is at deploy time [unpinned-image]",
        '  help: pin a version, for example "nginx:<version>", or a digest "nginx@sha256:<digest>"',
        "fixed 2 problems in 1 file",
        "1 warning in 1 file",
    ]
    assert result.exit_code == 0 and result.stderr == ""


def test_fix_exits_1_when_errors_remain_and_never_writes_an_unchanged_file(project: Path) -> None:
    text = (
        MISSPELT.replace("Path: /", "path: /")
        .replace("servicePort:", "servicePorts:")
        .replace("name: shop", "name: Shop")
    )  # an NX104 error, its fix (a rename) unsafe
    before = untouched(write(project / "nexlayer.yaml", text))
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert result.exit_code == 1 and "error NX104" in result.stdout and "fixed" not in result.stdout
    assert untouched(project / "nexlayer.yaml") == before


def test_fix_is_idempotent(project: Path) -> None:
    write(project / "nexlayer.yaml", MISSPELT)
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    before = untouched(project / "nexlayer.yaml")
    again = run("--fix", "nexlayer.yaml")
    assert again.stdout == "no problems in 1 file\n" and again.exit_code == 0
    assert untouched(project / "nexlayer.yaml") == before


def test_fixable_findings_are_marked_and_the_summary_counts_them(project: Path) -> None:
    write(project / "nexlayer.yaml", NO_PATH.replace("nginx:1.27", "nginx"))  # and an NX215, without fix
    lines = run("--no-show-source", "nexlayer.yaml").stdout.splitlines()
    headers = [line for line in lines if line.startswith("nexlayer.yaml:")]
    assert headers == [
        'nexlayer.yaml:4:3: error NX201 no pod has a path, so nothing is routed to the application (pods: "web") '
        "[no-public-path]",
        'nexlayer.yaml:6:14: warning NX215 image "nginx" of pod "web" has no tag, so it runs whatever "latest" '
        "is at deploy time [unpinned-image]",
        'nexlayer.yaml:7:7: error NX101 [*] unknown key "servicePort" in pod "web": probably the required key '
        '"servicePorts", which is missing [missing-key]',
    ]
    assert lines[-2:] == ["2 errors, 1 warning in 1 file", "[*] 1 fixable with --fix (1 more with --unsafe-fixes)"]
    # with unsafe fixes on, the unsafe one is marked and counted too; turned off, it is not mentioned
    on = run("--no-show-source", "--unsafe-fixes", "nexlayer.yaml").stdout.splitlines()
    assert on[0].startswith("nexlayer.yaml:4:3: error NX201 [*] no pod") and on[-1] == "[*] 2 fixable with --fix"
    off = run("--no-show-source", "--no-unsafe-fixes", "nexlayer.yaml").stdout.splitlines()
    assert off[-1] == "[*] 1 fixable with --fix"
    # beside a misspelt `Path`, NX201 offers no fix: the rename keeps the route the author wrote
    write(project / "nexlayer.yaml", MISSPELT)
    assert run("--no-show-source", "--unsafe-fixes", "nexlayer.yaml").stdout.splitlines()[-1] == (
        "[*] 2 fixable with --fix"
    )
    write(project / "nexlayer.yaml", CLEAN.replace("      path: /\n", ""))
    assert run("nexlayer.yaml").stdout.splitlines()[-1] == "[*] 1 fixable with --fix --unsafe-fixes"
    assert run("-q", "nexlayer.yaml").stdout.count("\n") == 2  # --quiet: the finding and its help alone


def test_unsafe_fixes_are_applied_only_with_unsafe_fixes(project: Path) -> None:
    write(project / "nexlayer.yaml", NO_PATH)
    safe = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == NO_PATH.replace("servicePort:", "servicePorts:")
    assert safe.stdout.splitlines()[-3:] == [
        "fixed 1 problem in 1 file",
        "1 error in 1 file",
        "[*] 1 fixable with --fix --unsafe-fixes",
    ]
    assert safe.exit_code == 1
    unsafe = run("--fix", "--unsafe-fixes", "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == FIXED
    assert unsafe.stdout == "fixed 1 problem in 1 file\nno problems in 1 file\n" and unsafe.exit_code == 0


def test_unsafe_fixes_wait_for_the_safe_ones(project: Path) -> None:
    # the safe renames end NX201 (which offers no `path: /` beside a misspelt `Path`)
    write(project / "nexlayer.yaml", MISSPELT)
    result = run("--fix", "--unsafe-fixes", "--show-fixes", "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == FIXED
    assert result.stderr == "" and result.stdout.splitlines()[1:4] == [
        "- nexlayer.yaml:",
        '    7:7  NX102  Rename to "path"',
        '    8:7  NX101  Rename to "servicePorts"',
    ]


def test_show_fixes_lists_what_is_available_or_was_applied(project: Path) -> None:
    write(project / "a" / "nexlayer.yaml", MISSPELT)
    write(project / "b" / "nexlayer.yaml", CLEAN)
    available = run("--show-fixes", "--no-show-source", "a", "b").stdout
    assert available.split("fixes available with --fix:\n", 1)[1] == (
        "- a/nexlayer.yaml:\n"
        '    7:7  NX102  Rename to "path"\n'
        '    8:7  NX101  Rename to "servicePorts"\n'
        "\n"
        "2 errors, 1 warning in 1 of 2 files\n"
        "[*] 2 fixable with --fix\n"
    )
    applied = run("--fix", "--show-fixes", "a", "b").stdout
    assert applied == (
        "fixes applied:\n"
        "- a/nexlayer.yaml:\n"
        '    7:7  NX102  Rename to "path"\n'
        '    8:7  NX101  Rename to "servicePorts"\n'
        "\n"
        "fixed 2 problems in 1 file\n"
        "no problems in 2 files\n"
    )


def test_statistics_count_as_fixable_what_fix_would_fix(project: Path) -> None:
    write(project / "nexlayer.yaml", NO_PATH.replace("nginx:1.27", "nginx"))
    assert run("--statistics", "nexlayer.yaml").stdout == (
        "1  NX101  missing-key     1 fixable\n1  NX201  no-public-path\n1  NX215  unpinned-image\n"
    )
    rows = json.loads(run("--statistics", "--unsafe-fixes", "--output-format", "json", "nexlayer.yaml").stdout)
    assert [(row["code"], row["fixable"]) for row in rows] == [("NX101", 1), ("NX201", 1), ("NX215", 0)]


# --- a fix that makes the file worse ---------------------------------------------------------------


def test_a_fix_that_breaks_parsing_is_not_applied_and_the_run_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in(monkeypatch, "NX203")
    text = MISSPELT + "      vars:\n        BREAK: x\n"
    write(project / "nexlayer.yaml", text)
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    # the good fixes are applied, the bad one is not
    assert (project / "nexlayer.yaml").read_text() == FIXED + "      vars:\n        BREAK: x\n"
    assert result.stderr == (
        "nexlayer-lint: warning: nexlayer.yaml:10:16: NX203 not fixed (Break it): the file would no longer parse\n"
    )
    # what remains is reported without [*]: its fix is not one --fix can apply
    assert result.stdout.splitlines() == [
        "nexlayer.yaml:10:16: error NX203 BREAK is set [registry-template-missing]",
        "fixed 2 problems in 1 file",
        "1 error in 1 file",
    ]
    assert result.exit_code == 1
    # alone, the bad fix leaves the file as it was, byte for byte
    before = untouched(project / "nexlayer.yaml")
    again = run("--fix", "nexlayer.yaml")
    assert untouched(project / "nexlayer.yaml") == before and "not fixed (Break it)" in again.stderr
    assert "fixed" not in again.stdout


def test_a_fix_that_takes_the_file_past_the_size_limit_says_so(project: Path) -> None:
    # the loader refuses a text past --max-file-size with NX001, which is no parse error (hunt 111 F5)
    text = CLEAN.replace("servicePorts:", "servicePort:", 1)
    write(project / "nexlayer.yaml", text)
    size = len(text.encode())
    result = run("--fix", "--max-file-size", str(size), "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == text
    assert re.fullmatch(
        rf"nexlayer-lint: warning: nexlayer.yaml:\d+:\d+: NX101 not fixed \(Rename to \"servicePorts\"\): "
        rf"the file would be larger than the limit of {size:,} bytes \(--max-file-size\)\n",
        result.stderr,
    )
    assert result.exit_code == 1
    # one byte more and the same fix is applied
    assert run("--fix", "--max-file-size", str(size + 1), "nexlayer.yaml").exit_code == 0
    assert (project / "nexlayer.yaml").read_text() == CLEAN


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_the_size_limit_of_a_fix_counts_the_files_own_bytes(project: Path, encoding: str) -> None:
    # a byte-order mark, or UTF-16's two bytes a character, count as the next run's loader counts
    # them: the fixes were sized as UTF-8 without a mark, and the fixed file was refused (hunt 117 F3)
    text = CLEAN.replace("servicePorts:", "servicePort:", 1)
    (project / "nexlayer.yaml").write_bytes(text.encode(encoding))
    size = len(text.encode(encoding))
    result = run("--fix", "--max-file-size", str(size), "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_bytes() == text.encode(encoding)
    assert "the file would be larger than the limit of" in result.stderr and result.exit_code == 1
    grown = len(CLEAN.encode(encoding))
    assert run("--fix", "--max-file-size", str(grown), "nexlayer.yaml").exit_code == 0
    assert (project / "nexlayer.yaml").read_bytes() == CLEAN.encode(encoding)


def test_a_fix_that_adds_an_error_is_not_applied(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in(monkeypatch, "NX219")
    write(project / "nexlayer.yaml", CLEAN.replace("nginx:1.27", "drop-me"))
    before = untouched(project / "nexlayer.yaml")
    result = run("--fix", "--diff", "nexlayer.yaml")
    assert result.stdout == "" and result.exit_code == 0
    assert result.stderr == (
        "nexlayer-lint: warning: nexlayer.yaml:5:14: NX219 not fixed (Drop the image): "
        "it would add NX101 (missing-key)\n"
        "nothing to fix\n"
    )
    run("--fix", "nexlayer.yaml")
    assert untouched(project / "nexlayer.yaml") == before


def test_each_finding_left_unfixed_is_said_once(project: Path) -> None:
    # hunt 75 F2: the warnings were merged by code and fix title, so the second pod's rejected
    # rename went unexplained; a fix rejected, then applied in a later pass, is still not said
    pod = "    - name: p{0}\n      image: nginx:1.27\n      path: /p{0}\n      servicePorts: [80]\n"
    pod += "      environment:\n        URL: http://nowhere{0}.pod:80\n"
    write(project / "nexlayer.yaml", "application:\n  name: shop\n  pods:\n" + pod.format(0) + pod.format(1))
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert result.stderr == "".join(
        f'nexlayer-lint: warning: nexlayer.yaml:{line}:7: NX102 not fixed (Rename to "vars"): '
        "it would add NX208 (unknown-pod-reference)\n"
        for line in (8, 14)
    )


def test_fixes_applied_are_listed_in_line_order(project: Path) -> None:
    # hunt 99: safe fixes go first, and the list showed them so (7:7 before 4:13)
    write(project / "nexlayer.yaml", CLEAN.replace("name: web", "name: Web").replace("servicePorts", "servicePort"))
    result = run("--fix", "--unsafe-fixes", "--show-fixes", "nexlayer.yaml")
    assert [line.split()[1] for line in result.stdout.splitlines() if line.startswith("    ")] == ["NX104", "NX101"]


def test_findings_one_fix_ends_are_each_counted_as_fixed(project: Path) -> None:
    # hunt 75 F4: removing the comment ends both unused codes' NX099, and counted as one problem
    write(project / "nexlayer.yaml", CLEAN.replace("nginx:1.27", "nginx:1.27  # nexlayer-lint: disable=NX215,NX005"))
    assert "[*] 2 fixable with --fix" in run("nexlayer.yaml").stdout
    assert run("--diff", "nexlayer.yaml").stderr == "would fix 2 problems in 1 file\n"
    result = run("--fix", "--show-fixes", "nexlayer.yaml")
    assert result.stdout == (
        "fixes applied:\n"
        "- nexlayer.yaml:\n"
        "    5:26  NX099  Remove the unused suppression\n"
        "    5:26  NX099  Remove the unused suppression\n"
        "\n"
        "fixed 2 problems in 1 file\n"
        "no problems in 1 file\n"
    )


# --- --diff --------------------------------------------------------------------------------------


def test_diff_prints_what_fix_would_do_changes_nothing_and_exits_1(project: Path) -> None:
    before = untouched(write(project / "nexlayer.yaml", MISSPELT))
    result = run("--diff", "nexlayer.yaml")
    assert result.stdout == (
        "--- a/nexlayer.yaml\n"
        "+++ b/nexlayer.yaml\n"
        "@@ -4,5 +4,5 @@\n"
        "   pods:\n"
        "     - name: web  # the front end\n"
        "       image: nginx:1.27\n"
        "-      Path: /\n"
        "-      servicePort: [80]\n"
        "+      path: /\n"
        "+      servicePorts: [80]\n"
    )
    # NX201's unsafe `path: /` is not counted: the safe rename of `Path` ends it (hunt 90 F3)
    assert result.stderr == "would fix 2 problems in 1 file\n" and result.exit_code == 1
    assert untouched(project / "nexlayer.yaml") == before
    assert run("--fix", "--diff", "nexlayer.yaml").stdout == result.stdout  # --diff wins: nothing written
    assert untouched(project / "nexlayer.yaml") == before
    # the diff is one `git apply` takes, and gives what --fix writes
    subprocess.run(["git", "apply", "-"], input=result.stdout.encode(), cwd=project, check=True)
    assert (project / "nexlayer.yaml").read_text() == FIXED
    clean = run("--diff", "nexlayer.yaml")
    assert (clean.stdout, clean.stderr, clean.exit_code) == ("", "nothing to fix\n", 0)


def test_diff_counts_the_unsafe_fixes_left_after_the_safe_ones(project: Path) -> None:
    # hunt 90 F3: counted on the text before fixing, `--diff --unsafe-fixes` then fixed nothing more
    write(project / "nexlayer.yaml", NO_PATH)
    assert run("--diff", "nexlayer.yaml").stderr == "would fix 1 problem in 1 file (1 more with --unsafe-fixes)\n"
    assert run("--diff", "--unsafe-fixes", "nexlayer.yaml").stderr == "would fix 2 problems in 1 file\n"


def test_diff_of_an_absolute_path_has_the_headers_git_writes(project: Path, tmp_path: Path) -> None:
    target = write(project / "nexlayer.yaml", MISSPELT).resolve()
    fixed = write(tmp_path / "fixed.yaml", FIXED)
    ours = run("--diff", str(target)).stdout.splitlines()[:2]
    git = subprocess.run(["git", "diff", "--no-index", str(target), str(fixed)], capture_output=True, text=True)
    headers = [line for line in git.stdout.splitlines() if line.startswith(("--- ", "+++ "))]
    assert ours[0] == headers[0] == f"--- a/{target.as_posix().lstrip('/')}"
    assert ours[1] == f"+++ b/{target.as_posix().lstrip('/')}"


def test_diff_of_a_dotted_path_is_one_git_applies(project: Path) -> None:
    # hunt 27 F2: `a/./app/nexlayer.yaml` is refused by `git apply`
    path = write(project / "app" / "nexlayer.yaml", MISSPELT)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    patch = run("--diff", "./app/nexlayer.yaml").stdout
    assert patch.startswith("--- a/app/nexlayer.yaml\n+++ b/app/nexlayer.yaml\n")
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=project, check=True)
    assert path.read_text() == FIXED


def test_diff_of_a_path_out_of_the_folder_names_it_as_git_does(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 90 F2: `a/../app/nexlayer.yaml` is refused by `git apply` and `patch`: named from the
    # top of the git working tree, as `git diff` names it, it applies there
    path = write(project / "app" / "nexlayer.yaml", MISSPELT)
    (project / "tools").mkdir()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    monkeypatch.chdir(project / "tools")
    patch = run("--diff", "../app/nexlayer.yaml").stdout
    assert patch.startswith("--- a/app/nexlayer.yaml\n+++ b/app/nexlayer.yaml\n")
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=project, check=True)
    assert path.read_text() == FIXED
    # outside any working tree: the full path, as for a path given in full
    shutil.rmtree(project / ".git")
    write(project / "app" / "nexlayer.yaml", MISSPELT)
    full = (project / "app" / "nexlayer.yaml").resolve().as_posix().lstrip("/")
    assert run("--diff", "../app/nexlayer.yaml").stdout.startswith(f"--- a/{full}\n+++ b/{full}\n")


def test_diff_of_a_full_path_in_a_working_tree_names_it_from_the_top(project: Path, tmp_path: Path) -> None:
    # hunt 111 F4: `a/tmp/.../app/nexlayer.yaml` is refused by `git apply` at the top of the tree
    path = write(project / "app" / "nexlayer.yaml", MISSPELT)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    patch = run("--diff", str(path.resolve())).stdout
    assert patch.startswith("--- a/app/nexlayer.yaml\n+++ b/app/nexlayer.yaml\n")
    subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=project / "app", check=True)
    assert path.read_text() == FIXED


def test_diff_of_a_file_with_a_line_break_or_more_than_ascii_in_its_name_quotes_it_as_git_does(
    project: Path,
) -> None:
    # hunt 63 F1: a name's line break split its header, so `git apply` refused the diff, and a
    # name's `::error ...` became a line of its own, a command to a GitHub runner
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    names = {
        "x\n::error title=p::y.yaml": '"a/x\\n::error title=p::y.yaml"\t',
        "t\tcafé.yaml": '"a/t\\tcaf\\303\\251.yaml"',
        "my app.yaml": "a/my app.yaml\t",  # hunt 67 F4: GNU patch reads a name to a tab
    }
    for name, header in names.items():
        path = write(project / name, MISSPELT)
        patch = run("--diff", name).stdout
        assert patch.startswith(f"--- {header}\n+++ {header.replace('a/', 'b/', 1)}\n")
        assert not any(line.startswith("::") for line in patch.splitlines())
        if shutil.which("patch"):
            dry_run = ["patch", "-p1", "--dry-run"]
            subprocess.run(dry_run, input=patch.encode(), cwd=project, check=True, capture_output=True)
        subprocess.run(["git", "apply", "-"], input=patch.encode(), cwd=project, check=True)
        assert path.read_text() == FIXED


@pytest.mark.parametrize("option", ["--fix", "--diff"])
def test_a_pipe_cannot_be_fixed_and_the_run_says_so(project: Path, option: str) -> None:
    # hunt 63 F3: read again for fixing, a pipe gave nothing: "nothing to fix", exit 0. A pipe
    # with its text written and its writer gone, as `<(cat nexlayer.yaml)` gives one
    read_end, write_end = os.pipe()
    os.write(write_end, MISSPELT.encode())
    os.close(write_end)
    name = f"/dev/fd/{read_end}"
    try:
        result = run(option, name)
    finally:
        os.close(read_end)
    assert result.exit_code == 2, result.output
    what = "fix" if option == "--fix" else "show the fixes of"
    assert result.stderr.splitlines()[0] == (
        f"nexlayer-lint: error: cannot {what} {name}: not a regular file, it can be read only once"
        " (give its text on standard input: --fix -)"
    )
    assert "nothing to fix" not in result.stderr


def test_diff_of_a_symlink_names_the_file_it_points_to(project: Path) -> None:
    # hunt 176 F2: headed with the link's name, the diff applied neither with git nor with patch
    (project / "deploy").mkdir()
    target = project / "deploy" / "nexlayer.yaml"
    target.write_text(CLEAN.replace("servicePorts: [80]", 'servicePorts: ["80"]'))
    (project / "nexlayer.yaml").symlink_to(Path("deploy") / "nexlayer.yaml")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    patch = run("--diff", "nexlayer.yaml").stdout
    assert patch.startswith("--- a/deploy/nexlayer.yaml\n+++ b/deploy/nexlayer.yaml\n")
    subprocess.run(["git", "apply", "-"], input=patch.encode(), cwd=project, check=True)
    assert target.read_text() == CLEAN and (project / "nexlayer.yaml").is_symlink()
    # hunt 184 F4: and one reached through a symlinked folder
    target.write_text(CLEAN.replace("servicePorts: [80]", 'servicePorts: ["80"]'))
    (project / "linkdir").symlink_to("deploy")
    patch = run("--diff", "linkdir/nexlayer.yaml").stdout
    assert patch.startswith("--- a/deploy/nexlayer.yaml\n+++ b/deploy/nexlayer.yaml\n")
    subprocess.run(["git", "apply", "-"], input=patch.encode(), cwd=project, check=True)
    assert target.read_text() == CLEAN


def test_diff_of_a_file_with_a_byte_order_mark_keeps_it_on_line_1(project: Path) -> None:
    # hunt 27 F3: a hunk at line 1 without the BOM did not apply
    path = project / "nexlayer.yaml"
    text = CLEAN.replace("pods:", "Pods:", 1)  # the fix is on line 3: the hunk starts at line 1
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    patch = run("--diff", "nexlayer.yaml").stdout
    assert "\n \ufeffapplication:\n" in patch
    subprocess.run(["git", "apply", "-"], input=patch.encode(), cwd=project, check=True)
    assert path.read_bytes() == b"\xef\xbb\xbf" + CLEAN.encode()
    # hunt 175 F3: a U+FEFF that starts a later line is no byte order mark: it is escaped
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("  name:", "\ufeff# note\n  name:", 1).encode())
    patch = run("--diff", "nexlayer.yaml").stdout
    assert "\n \ufeffapplication:\n \\ufeff# note\n" in patch and patch.count("\ufeff") == 1


def test_diff_over_several_files_and_its_exit_codes(project: Path) -> None:
    write(project / "a" / "nexlayer.yaml", CLEAN.replace("      servicePorts", "      servicePort"))
    write(project / "b" / "nexlayer.yaml", NO_PATH)  # a safe fix and an unsafe one
    write(project / "c" / "nexlayer.yaml", CLEAN)
    result = run("--diff")
    assert [line for line in result.stdout.splitlines() if line.startswith(("---", "+++"))] == [
        "--- a/a/nexlayer.yaml",
        "+++ b/a/nexlayer.yaml",
        "--- a/b/nexlayer.yaml",
        "+++ b/b/nexlayer.yaml",
    ]
    assert result.stderr == "would fix 2 problems in 2 files (1 more with --unsafe-fixes)\n"
    assert result.exit_code == 1
    assert run("--diff", "--quiet").stderr == ""
    assert run("--diff", "--unsafe-fixes").stderr == "would fix 3 problems in 2 files\n"
    assert run("--diff", "c").exit_code == 0 and run("--diff", "--exit-zero").exit_code == 0
    write(project / "d" / "nexlayer.yaml", "a: [")  # does not parse: nothing to fix, but exit 2 on a read error
    assert run("--diff", "c", "d").exit_code == 0
    assert run("--diff", "c", "missing.yaml").exit_code == 2
    for wrong in (["--statistics"], ["--output-format", "json"], ["-o", "report.txt"]):
        refused = run("--diff", *wrong)
        assert refused.exit_code == 2 and "--diff prints a diff and no report" in refused.stderr


def test_diff_stars_secret_values_and_marks_a_missing_last_newline(project: Path) -> None:
    text = CLEAN.replace(
        "      servicePorts: [80]\n", "      vars:\n        DB_PASSWORD: hunter2\n      servicePort: [80]"
    )
    write(project / "nexlayer.yaml", text)
    result = run("--diff", "nexlayer.yaml")
    assert "hunter2" not in result.stdout
    assert result.stdout.endswith(
        "         DB_PASSWORD: *******\n"
        "-      servicePort: [80]\n"
        "\\ No newline at end of file\n"
        "+      servicePorts: [80]\n"
        "\\ No newline at end of file\n"
    )


def test_diff_stars_what_a_fix_makes_a_secret_on_both_sides(project: Path) -> None:
    # hunt 129 F5: a misspelt `sceret:` renamed `secrets` (or `valeus:` renamed `value`): the old
    # side was masked by the old document, where its values were no secret's, and shown
    secret = "        - name: tls\n          data: Cnry129x\n          mountPath: /etc/tls\n"
    secret += "          fileName: key.pem\n"
    misspelt = CLEAN + "      sceret:\n" + secret
    write(project / "nexlayer.yaml", misspelt)
    result = run("--diff", "nexlayer.yaml")
    assert "Cnry129" not in result.stdout and "-      sceret:\n+      secrets:\n" in result.stdout
    assert "           data: ********\n" in result.stdout  # one line on both sides: not a change
    vars_item = CLEAN + "      vars:\n        - key: DB_PASSWORD\n          valeus: Cnry129y\n"
    write(project / "nexlayer.yaml", vars_item)
    assert "Cnry129" not in run("--diff", "nexlayer.yaml").stdout
    assert "Cnry129" not in run("--show-source", "nexlayer.yaml").stdout  # the NX101 frame
    # hunt 131 F5: not the other way: a misspelt `secret:` the old document takes for a secret's
    # starred the fixed side's public names
    write(project / "nexlayer.yaml", CLEAN + "      secret:\n" + secret)
    result = run("--diff", "nexlayer.yaml")
    assert "+      secrets:\n" in result.stdout and "Cnry129" not in result.stdout
    assert "+        - name: tls\n" in result.stdout or "         - name: tls\n" in result.stdout


def test_no_rename_moves_a_secret_to_a_key_that_shows_it(project: Path) -> None:
    # hunt 278 F1: `username_pass` (a registry login's credential) renamed `username`, a pod's
    # `commandSecret` renamed `command`: the diff showed the value, and --fix --remote sent it
    login = "  registryLogin:\n    registry: ghcr.io\n    username_pass: Cnry278a\n"
    login += "    personalAccessToken: ${REGISTRY_TOKEN}\n"
    write(project / "nexlayer.yaml", CLEAN.replace("  pods:\n", login + "  pods:\n"))
    result = run("--diff", "nexlayer.yaml")
    assert result.exit_code == 0 and result.stdout == "" and "Cnry278" not in result.output  # no fix
    assert "NX101" in run("nexlayer.yaml").stdout  # still reported, with its hint
    write(project / "nexlayer.yaml", CLEAN + "      commandSecret: Cnry278b\n")
    result = run("--diff", "nexlayer.yaml")
    assert result.exit_code == 0 and result.stdout == "" and "Cnry278" not in result.output
    # a rename that keeps the value secret is still offered, starred on both sides
    pat = "ghp_" + "a1B2c3D4e5" * 3 + "a1B2c3"
    login = f"  registryLogin:\n    registry: ghcr.io\n    username: bob\n    personalAccesToken: {pat}\n"
    write(project / "nexlayer.yaml", CLEAN.replace("  pods:\n", login + "  pods:\n"))
    result = run("--diff", "nexlayer.yaml")
    assert "+    personalAccessToken: " + "*" * len(pat) + "\n" in result.stdout and pat not in result.stdout


def test_the_stretches_a_change_keeps_are_equal_and_in_order() -> None:
    import random

    from nexlayer_lint.align import kept_stretches

    rnd = random.Random(129)
    words = ["a", "b", " ", "\n", "x: y", "\r\n", "DB_PASSWORD", ":", "\u2028"]
    for _ in range(300):
        old = "".join(rnd.choice(words) for _ in range(rnd.randint(0, 40)))
        new = list(old)
        for _ in range(rnd.randint(0, 4)):
            at = rnd.randint(0, len(new))
            new[at : at + rnd.randint(0, 3)] = rnd.choice(words)
        new_text = "".join(new)
        kept = kept_stretches(old, new_text)
        assert all(old[a : a + n] == new_text[b : b + n] and n > 0 for a, b, n in kept)
        ends = [(a + n, b + n) for a, b, n in kept]
        assert all(a >= end[0] and b >= end[1] for (a, b, _), end in zip(kept[1:], ends, strict=False))
    assert kept_stretches("x\nsame\n", "y\nsame\n") == [(1, 1, 1), (2, 2, 5)]  # the break, then a line


def test_diff_escapes_control_characters_but_keeps_line_breaks(project: Path) -> None:
    # a bidi override (YAML allows it; it would show the comment in another order), and a line a CI
    # runner would obey as a command
    text = (
        MISSPELT.replace("# the front end", "# the \u202efront end")
        + "      vars:\n        NOTE: |\n          ::warning::x\n"
    )
    write(project / "nexlayer.yaml", text.replace("\n", "\r\n"))
    out = run("--diff", "nexlayer.yaml").stdout_bytes.decode()  # .stdout would turn CRLF into LF
    assert "\u202e" not in out and out.splitlines(keepends=True)[3:] == [
        "   pods:\r\n",
        "     - name: web  # the \\u202efront end\r\n",
        "       image: nginx:1.27\r\n",
        "-      Path: /\r\n",
        "-      servicePort: [80]\r\n",
        "+      path: /\r\n",
        "+      servicePorts: [80]\r\n",
        "       vars:\r\n",
        "         NOTE: |\r\n",
        "           \\x3a:warning::x\r\n",
    ]


def test_diff_defuses_a_command_after_a_lone_cr(project: Path) -> None:
    # hunt 99 F1: a classic Mac file (CR line breaks) is one line to a diff, and a top-level key
    # after a CR began a line for the CI runner, which ends lines at a CR too
    text = MISSPELT + "::error file=README.md,title=x::forged: 1\n"
    write(project / "nexlayer.yaml", text.replace("\n", "\r"))
    out = run("--diff", "nexlayer.yaml").stdout_bytes.decode()
    pieces = re.split(r"\r\n|\r|\n", out)
    assert [piece for piece in pieces if piece.lstrip().startswith("::")] == []
    assert out.count("\\x3a:error file=README.md") == 2  # on the - side and on the + side


def test_diff_escapes_nel_ls_and_ps_so_a_hunk_holding_one_does_not_apply(project: Path) -> None:
    # hunt 20 F5: on purpose, as the README's Fixing section says. A terminal may take NEL for a
    # line break and a log viewer LS or PS, and then the text after it could start a line a CI
    # runner obeys; so the diff escapes them as every report does, and `--fix` makes the change
    text = MISSPELT + '      vars:\n        NOTE: "a\u2028b\x85c\u2029d"\n'
    write(project / "nexlayer.yaml", text)
    diff = run("--diff", "nexlayer.yaml").stdout
    assert '         NOTE: "a\\u2028b\\x85c\\u2029d"\n' in diff  # a context line
    assert not any(char in diff for char in "\x85\u2028\u2029")

    def applies(patch: str) -> bool:
        checked = subprocess.run(
            ["git", "apply", "--check", "-"], input=patch.encode(), cwd=project, capture_output=True
        )
        return checked.returncode == 0

    raw = diff.replace("\\u2028", "\u2028").replace("\\x85", "\x85").replace("\\u2029", "\u2029")
    assert not applies(diff) and applies(raw)  # the escapes are all that keeps it from applying
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    assert (project / "nexlayer.yaml").read_text(encoding="utf-8") == text.replace("Path:", "path:").replace(
        "servicePort:", "servicePorts:"
    )


def _with_breaks(text: str, breaks: list[str]) -> str:
    """`text`'s lines ended by `breaks` in turn (the last of them for the rest)."""
    lines = text.split("\n")[:-1]
    return "".join(line + breaks[min(i, len(breaks) - 1)] for i, line in enumerate(lines))


@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param(["\r\n", "\n"], id="CRLF-first"),  # hunt 20: git apply said "corrupt patch"
        pytest.param(["\n", "\r\n"], id="LF-first"),  # as before
        pytest.param(["\r"], id="CR-only"),
        pytest.param(["\r\n", "\n", "\r", "\r\n", "\n", "\r", "\n", "\r\n"], id="mixed"),
    ],
)
def test_diff_of_a_file_whatever_its_line_breaks_is_one_git_applies(project: Path, breaks: list[str]) -> None:
    # lines are split at every \n, each keeping its own ending, as git splits them: each gets its
    # prefix (split at the file's first kind of break, the rest of the file ran together into one
    # line, and the lines after it came out unprefixed); a lone CR is text inside a line to git
    text = _with_breaks(MISSPELT, breaks)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    write(project / "nexlayer.yaml", text)
    diff = run("--diff", "nexlayer.yaml").stdout_bytes
    for line in diff.split(b"\n")[:-1]:
        assert line[:1] in (b" ", b"-", b"+", b"@") or line == b"\\ No newline at end of file"
    check = subprocess.run(["git", "apply", "--check", "-"], input=diff, cwd=project, capture_output=True)
    assert check.returncode == 0, check.stderr
    write(project / "copy.yaml", text)
    assert run("--fix", "copy.yaml").exit_code == 0
    subprocess.run(["git", "apply", "-"], input=diff, cwd=project, check=True)
    assert (project / "nexlayer.yaml").read_bytes() == (project / "copy.yaml").read_bytes() != text.encode()


# --- the form of the file --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec, bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encoding_bom_line_breaks_and_tabs_are_kept(project: Path, codec: str, bom: bytes, newline: str) -> None:
    tail = '      vars:\n        NOTE: "a\tb"\t# tabbed\n        TAB:\tx \u00e9\U0001f680\n'
    text = CLEAN.replace("      path: /\n", "").replace("servicePorts:", "servicePort:") + tail
    write(project / "nexlayer.yaml", bom + text.replace("\n", newline).encode(codec))
    # a UTF-32 file is fixed in its encoding, and its NX001 (no parser Nexlayer uses reads it) stays
    assert run("--fix", "--unsafe-fixes", "nexlayer.yaml").exit_code == (1 if codec == "utf-32-le" else 0)
    # the rename, and NX201's new `path: /` line in the file's own line break
    expected = CLEAN + tail
    assert (project / "nexlayer.yaml").read_bytes() == bom + expected.replace("\n", newline).encode(codec)


def test_flow_style_keeps_its_form(project: Path) -> None:
    text = "application: {name: shop, pods: [{name: web, image: 'nginx:1.27', Path: /, servicePort: [80]}]}  # x\n"
    write(project / "nexlayer.yaml", text)
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    assert (project / "nexlayer.yaml").read_text() == text.replace("Path", "path").replace("Port:", "Ports:")


def test_quoted_keys_keep_their_quotes(project: Path) -> None:
    write(project / "nexlayer.yaml", MISSPELT.replace("Path:", '"Path":').replace("servicePort:", "'servicePort':"))
    run("--fix", "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == FIXED.replace("path:", '"path":').replace(
        "servicePorts:", "'servicePorts':"
    )


# --- writing ---------------------------------------------------------------------------------------


def test_the_write_keeps_permissions_goes_through_symlinks_and_leaves_no_temporary_file(project: Path) -> None:
    real = write(project / "conf" / "nexlayer.yaml", MISSPELT)
    real.chmod(0o640)
    (project / "app").mkdir()
    (project / "app" / "nexlayer.yaml").symlink_to(real)
    assert run("--fix", "app/nexlayer.yaml").exit_code == 0
    assert (project / "app" / "nexlayer.yaml").is_symlink() and real.read_text() == FIXED
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in (project / "conf").iterdir()) == ["nexlayer.yaml"]


def test_a_file_with_hard_links_is_written_in_place(project: Path) -> None:
    # hunt 27 F6: a new file renamed over one name split it from the others
    path = write(project / "nexlayer.yaml", MISSPELT)
    os.link(path, project / "other-name.yaml")
    inode = path.stat().st_ino
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    assert path.stat().st_ino == inode and (project / "other-name.yaml").read_text() == FIXED


def test_a_file_that_cannot_be_renamed_over_is_written_in_place(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 129 F2: a file mounted on its own (`docker run -v f:f`) cannot be renamed over: EBUSY,
    # exit 2, nothing fixed
    import errno

    from nexlayer_lint import atomic_write

    path = write(project / "nexlayer.yaml", MISSPELT)
    inode = path.stat().st_ino

    def busy(source: str, target: str) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", target)

    monkeypatch.setattr(atomic_write.os, "replace", busy)
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    assert path.read_text() == FIXED and path.stat().st_ino == inode
    assert sorted(p.name for p in project.iterdir() if p.name.endswith(".tmp")) == []  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give a file to another user")
def test_the_write_keeps_the_owner_and_group(project: Path) -> None:
    # hunt 27 F6: --fix in a root container gave a user's file to root, who alone could then write it
    path = write(project / "nexlayer.yaml", MISSPELT)
    os.chown(path, 1234, 5678)
    path.chmod(0o2664)  # chown clears the set-group-id bit: the mode is set after it
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o2664) and path.read_text() == FIXED


def test_a_file_the_run_cannot_give_its_owner_is_written_in_place(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a user fixing a file of a group they are not in (a shared checkout): a new file would change its group
    path = write(project / "nexlayer.yaml", MISSPELT)
    inode = path.stat().st_ino
    from nexlayer_lint import atomic_write

    monkeypatch.setattr(atomic_write, "_may_give", lambda uid, gid: False)
    assert run("--fix", "nexlayer.yaml").exit_code == 0
    assert path.stat().st_ino == inode and path.read_text() == FIXED
    assert sorted(p.name for p in project.iterdir()) == ["nexlayer.yaml"]


def test_a_file_that_cannot_be_written_is_exit_2_with_a_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(project / "nexlayer.yaml", MISSPELT)
    path.chmod(0o444)
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert result.exit_code == 2 and path.read_text() == MISSPELT
    assert result.stderr == "nexlayer-lint: error: cannot write the fixes to nexlayer.yaml: the file is read-only\n"
    # the report is of the file as it is: nothing was fixed
    assert "[*]" in result.stdout and "fixed" not in result.stdout
    path.chmod(0o644)

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    full = run("--fix", "nexlayer.yaml")
    assert full.exit_code == 2 and path.read_text() == MISSPELT
    assert full.stderr == "nexlayer-lint: error: cannot write the fixes to nexlayer.yaml: No space left on device\n"
    assert sorted(p.name for p in project.iterdir()) == ["nexlayer.yaml"]  # the temporary file is gone


def test_a_file_changed_while_it_was_being_fixed_is_left_as_the_other_program_wrote_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an editor or a formatter saves the file between the read for fixing and the write
    path = write(project / "nexlayer.yaml", MISSPELT)
    saved = MISSPELT.replace("# the shop", "# the shop, as the editor saved it")
    fix_source = fix_files.fix_source

    def fix_while_saved(*args: Any, **kwargs: Any) -> Any:
        outcome = fix_source(*args, **kwargs)
        path.write_text(saved)
        return outcome

    monkeypatch.setattr(fix_files, "fix_source", fix_while_saved)
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert result.exit_code == 2 and path.read_text() == saved
    assert result.stderr == (
        "nexlayer-lint: error: cannot write the fixes to nexlayer.yaml: "
        "the file changed while it was being fixed; run again\n"
    )
    monkeypatch.setattr(fix_files, "fix_source", fix_source)
    assert run("--fix", "nexlayer.yaml").exit_code == 0 and path.read_text() == FIXED.replace(
        "# the shop", "# the shop, as the editor saved it"
    )


def test_a_fix_rejected_against_one_pass_is_tried_again_after_the_next(project: Path) -> None:
    # pod 1's rename "adds" NX208 (its var names postgres.pod) until pod 2's rename, in the same
    # pass, names the pod: once that pass is applied it is fine, so one --fix does both
    path = write(
        project / "nexlayer.yaml",
        """\
application:
  name: joplin-app
  pods:
    - nme: app
      image: nginx:1.27
      servicePorts: [80]
      vars:
        POSTGRES_HOST: postgres.pod
    - nme: postgres
      image: postgres:16
      servicePorts: [5432]
""",
    )
    first = run("--fix", "--no-show-source", "--output-format", "json", "nexlayer.yaml")
    assert path.read_text().count("- name: ") == 2 and "nme" not in path.read_text()
    [report] = json.loads(first.stdout)["files"]
    assert [d["code"] for d in report["diagnostics"]] == ["NX201"]  # no path: its fix is unsafe
    fixed = path.read_bytes()
    again = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert again.exit_code == 1 and path.read_bytes() == fixed and "fixed" not in again.stdout


# --- standard input --------------------------------------------------------------------------------


def test_stdin_with_fix_writes_the_fixed_text_to_stdout_and_the_report_to_stderr(project: Path) -> None:
    result = run("--fix", "--stdin-filename", "app/nexlayer.yaml", "-", input=MISSPELT.replace("\n", "\r\n"))
    assert result.stdout_bytes == FIXED.replace("\n", "\r\n").encode()
    assert result.stderr == "fixed 2 problems in 1 file\nno problems in 1 file\n" and result.exit_code == 0
    # nothing to fix: the text comes back as it was, byte for byte; what remains goes to stderr
    odd = b"\xef\xbb\xbf" + CLEAN.replace("name: shop", "name: Shop").encode()
    again = run("--fix", "--no-show-source", "-", input=odd)
    assert again.stdout_bytes == odd and again.exit_code == 1
    assert again.stderr.startswith('-:2:9: error NX104 application name "Shop"')
    # --diff reads it the same way
    assert run("--diff", "-", input=MISSPELT).stdout.startswith("--- a/-\n+++ b/-\n@@ -4,5 +4,5 @@\n")


def test_stdin_named_as_a_file_of_the_same_run_counts_its_fixes_too(project: Path) -> None:
    # hunt 186 F3: the fixes were kept by the name the report gives, the file's replacing stdin's
    write(project / "app" / "nexlayer.yaml", MISSPELT)
    result = run("--fix", "--stdin-filename", "app/nexlayer.yaml", "-", "app/nexlayer.yaml", input=MISSPELT)
    assert result.stdout_bytes == FIXED.encode() and (project / "app" / "nexlayer.yaml").read_text() == FIXED
    assert result.stderr.startswith("fixed 4 problems in 1 file\n") and result.exit_code == 0


def test_stdin_excluded_by_force_exclude_comes_back_unchanged(project: Path) -> None:
    write(project / ".nexlayer-lint.toml", 'extend-exclude = ["vendor"]\n')
    result = run("--fix", "--force-exclude", "--stdin-filename", "vendor/nexlayer.yaml", "-", input=MISSPELT)
    assert result.stdout == MISSPELT and result.exit_code == 0


def test_stdin_over_the_size_limit_comes_back_whole(project: Path) -> None:
    # hunt 43 F1: the buffer came back cut at the limit (limit + 1 bytes), replacing the editor's
    result = run("--fix", "--max-file-size", "100", "--no-show-source", "-", input=MISSPELT)
    assert result.stdout == MISSPELT and result.exit_code == 1
    assert "file is larger than the limit of 100 bytes" in result.stderr
    write(project / ".nexlayer-lint.toml", 'extend-exclude = ["vendor"]\nmax-file-size = 100\n')
    args = ("--fix", "--force-exclude", "--stdin-filename", "vendor/nexlayer.yaml", "-")
    result = run(*args, input=MISSPELT)
    assert result.stdout == MISSPELT and result.exit_code == 0


# --- settings --------------------------------------------------------------------------------------


def test_fix_and_unsafe_fixes_from_the_config(project: Path) -> None:
    write(project / "nexlayer.yaml", NO_PATH)
    write(project / ".nexlayer-lint.toml", "fix = true\nunsafe-fixes = true\n")
    before = untouched(project / "nexlayer.yaml")
    assert run("--no-fix", "nexlayer.yaml").exit_code == 1 and untouched(project / "nexlayer.yaml") == before
    assert run("nexlayer.yaml").exit_code == 0
    assert (project / "nexlayer.yaml").read_text() == FIXED


def test_unfixable_codes_carry_no_fix(project: Path) -> None:
    write(project / "nexlayer.yaml", MISSPELT)
    write(project / ".nexlayer-lint.toml", 'unfixable = ["missing-key"]\n')
    result = run("--fix", "--no-show-source", "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == MISSPELT.replace("Path:", "path:")
    assert "error NX101 unknown key" in result.stdout and "[*]" not in result.stdout
    report = json.loads(run("--output-format", "json", "nexlayer.yaml").stdout)
    assert [d["fix"] for d in report["files"][0]["diagnostics"]] == [None]
    # --unfixable adds to the config's
    write(project / "nexlayer.yaml", MISSPELT)
    assert run("--diff", "--unfixable", "NX102", "nexlayer.yaml").stdout == ""


def test_fixable_extend_fixable_and_unfixable_by_the_longest_prefix() -> None:
    def fixes(**settings: Any) -> list[str]:
        text = MISSPELT.replace("Path: /", "volume: []")  # NX201's unsafe fix, NX102's and NX101's safe ones
        return [d.code for d in Linter(Settings(**settings)).lint(text, "x.yaml").diagnostics if d.fix]

    assert fixes() == ["NX201", "NX102", "NX101"]
    assert fixes(fixable=("NX101",)) == ["NX101"]
    assert fixes(unfixable=("NX1",)) == ["NX201"]
    assert fixes(unfixable=("NX1",), extend_fixable=("NX102",)) == ["NX201", "NX102"]
    assert fixes(unfixable=("NX102", "NX201"), extend_fixable=("NX102",)) == ["NX101"]  # a tie: unfixable


@pytest.mark.parametrize(
    "config, message",
    [
        ('fix = "yes"', "\"fix\" must be true or false, not 'yes'"),
        ("unsafe-fixes = 1", '"unsafe-fixes" must be true or false, not 1'),
        ('unfixable = ["NX999"]', 'unfixable: "NX999" matches no code or rule name'),
        ('fixable = "NX1"', None),  # a comma-separated string is taken, as for select
        ("extend-fixable = [1]", '"extend-fixable" must be a list of codes'),
        ("fixes = true", 'unknown setting "fixes" (did you mean "fix"?)'),
    ],
)
def test_fix_settings_are_validated(project: Path, config: str, message: str | None) -> None:
    write(project / "nexlayer.yaml", CLEAN)
    write(project / ".nexlayer-lint.toml", config + "\n")
    result = run("nexlayer.yaml")
    if message is None:
        assert result.exit_code == 0
    else:
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert run("--unfixable", "NX9999", "nexlayer.yaml").exit_code == 2


def test_show_settings_prints_the_fix_settings_as_config(project: Path) -> None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    write(project / ".nexlayer-lint.toml", 'fix = true\nunfixable = ["NX1"]\n')
    shown = tomllib.loads(run("--show-settings").stdout)
    assert (shown["fix"], shown["unfixable"], shown["fixable"], shown["extend-fixable"]) == (True, ["NX1"], [], [])
    assert "unsafe-fixes" not in shown  # not set: a comment says so
    assert tomllib.loads(run("--show-settings", "--unsafe-fixes").stdout)["unsafe-fixes"] is True


# --- the batch runner ------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["0", "3"])
def test_fix_over_a_batch_in_one_process_or_several(
    project: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv("NEXLAYER_LINT_WORKERS", workers)
    for n in range(12):
        write(project / f"app{n:02}" / "nexlayer.yaml", MISSPELT if n % 3 else CLEAN)
    clean_before = untouched(project / "app00" / "nexlayer.yaml")
    result = run("--fix")
    assert result.stdout == "fixed 16 problems in 8 files\nno problems in 12 files\n" and result.exit_code == 0
    assert all((project / f"app{n:02}" / "nexlayer.yaml").read_text() == (FIXED if n % 3 else CLEAN) for n in range(12))
    assert untouched(project / "app00" / "nexlayer.yaml") == clean_before


# --- the README ------------------------------------------------------------------------------------


def test_the_readme_fixing_example_is_what_fix_prints(project: Path) -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ nexlayer-lint --fix --no-show-source examples/broken/\n"
    shown = readme.split("```console\n" + command, 1)[1].split("```", 1)[0].splitlines()
    shutil.copytree(ROOT / "examples", project / "examples")
    original = (project / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8")
    result = run(*command.split()[2:])
    printed = result.stdout.splitlines()
    cut = shown.index("...")
    assert printed[:cut] == shown[:cut] and printed[len(printed) - len(shown) + cut + 1 :] == shown[cut + 1 :]
    assert result.exit_code == 1
    fixed = (project / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8")
    assert fixed == original.replace("servicePort:", "servicePorts:")  # as the README says
    # the fixed file has no finding --fix would fix left, and its comments are all there
    after = run("--no-show-source", "examples/broken").stdout.splitlines()
    assert not any("[*]" in line for line in after if line.startswith("examples/")) and "[*]" in after[-1]
    assert [line for line in fixed.splitlines() if "#" in line] == [
        line for line in original.splitlines() if "#" in line
    ]
    # with --unsafe-fixes, the four the README names; no finding with a fix is left, and the comments stay
    run("--fix", "--unsafe-fixes", "examples/broken")
    unsafe = (project / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8")
    assert all(
        change in unsafe
        for change in (
            "name: book-shop",
            "      path: /\n",
            "size: 2Gi",
            "mountPath: /var/lib/postgresql\n",
            "PGDATA: /var/lib/postgresql/data/pgdata",
        )
    )
    remaining = Linter(Settings()).lint(unsafe, "nexlayer.yaml").diagnostics
    assert [d.code for d in remaining] == ["NX215", "NX208", "NX213", "NX213"] and not any(d.fix for d in remaining)
    assert [line for line in unsafe.splitlines() if "#" in line] == [
        line for line in original.splitlines() if "#" in line
    ]


def test_with_remote_the_fix_passes_send_nothing_and_the_fixed_file_is_confirmed(project: Path, fake_api: Any) -> None:
    from tests import fake_api as fa

    fake_api.script("/validate", fa.valid())
    write(project / "nexlayer.yaml", MISSPELT)
    before = run("--remote", "--api-url", fake_api.url, "--no-show-source", "nexlayer.yaml")
    assert "NX902 the Nexlayer API accepted the file, but the local checks found errors" in before.stdout
    posted_before = len(fake_api.requests)
    result = run("--fix", "--remote", "--api-url", fake_api.url, "nexlayer.yaml")
    assert (project / "nexlayer.yaml").read_text() == FIXED
    assert result.stdout == "fixed 2 problems in 1 file\nno problems in 1 file\n" and result.exit_code == 0
    # one POST, of the fixed file: none for the first lint (it posted the text --fix then
    # replaced) nor for the passes in between
    posts = [r for r in fake_api.requests[posted_before:] if r.method == "POST"]
    assert len(posts) == 1 and b"servicePorts" in posts[0].body and b"Path" not in posts[0].body


def test_with_remote_a_file_fix_leaves_as_it_is_is_posted_once(project: Path, fake_api: Any) -> None:
    from tests import fake_api as fa

    fake_api.script("/validate", fa.invalid({"field": "pods[0].image", "message": "image is bad"}))
    write(project / "nexlayer.yaml", FIXED)  # nothing to fix
    result = run("--fix", "--remote", "--api-url", fake_api.url, "--no-show-source", "nexlayer.yaml")
    assert "NX901" in result.stdout and result.exit_code == 1, result.stdout
    assert fake_api.count("/validate", "POST") == 1
    # a file whose only fix is unsafe, so --fix keeps it as it is: asked once too
    write(project / "nexlayer.yaml", NO_PATH.replace("servicePort:", "servicePorts:").replace("Path:", "path:"))
    result = run("--fix", "--remote", "--api-url", fake_api.url, "--no-show-source", "nexlayer.yaml")
    assert "NX201" in result.stdout and "NX901" in result.stdout, result.stdout
    assert fake_api.count("/validate", "POST") == 2


def test_diff_with_remote_asks_the_api_nothing(project: Path, fake_api: Any) -> None:
    from tests import fake_api as fa

    fake_api.script("/validate", fa.valid())
    write(project / "nexlayer.yaml", MISSPELT)
    result = run("--diff", "--remote", "--api-url", fake_api.url, "nexlayer.yaml")
    assert "+      servicePorts:" in result.stdout and result.exit_code == 1, result.stdout
    assert fake_api.count("/validate") == 0


def test_with_remote_down_the_fixed_file_has_one_nx900(project: Path, fake_api: Any) -> None:
    # hunt 74 F4: the first lint's NX900 was carried beside the fixed file's own, so an API that
    # was down gave two, and one that failed only the first time gave "only the local checks
    # ran" beside its own verdict
    from tests import fake_api as fa

    fake_api.script("/validate", fa.status(404))
    write(project / "nexlayer.yaml", MISSPELT)
    result = run("--fix", "--remote", "--api-url", fake_api.url, "--no-show-source", "nexlayer.yaml")
    assert result.stdout.count("NX900") == 1, result.stdout
    fake_api.script("/validate", fa.valid())
    write(project / "nexlayer.yaml", MISSPELT)
    result = run("--fix", "--remote", "--api-url", fake_api.url, "--no-show-source", "nexlayer.yaml")
    assert result.stdout == "fixed 2 problems in 1 file\nno problems in 1 file\n"


def test_the_schema_s_nx900_stays_with_a_fixed_file_whatever_its_words(
    project: Path, fake_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hunt 77 F3: the schema's NX900 was told from /validate's by its message, which the pod name
    # `bundled`, a secret through the alias, starred: the fixed file lost the warning
    from tests import fake_api as fa

    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    fake_api.script("/s.json", fa.status(404))
    text = MISSPELT.replace("- name: web", "- name: &p bundled") + "      vars:\n        DB_PASSWORD: *p\n"
    write(project / "nexlayer.yaml", text)
    args = ["--schema", f"{fake_api.url}/s.json", "--no-show-source", "nexlayer.yaml"]
    assert run(*args).stdout.count("NX900") == 1
    result = run("--fix", *args)
    assert "fixed" in result.stdout and result.stdout.count("NX900") == 1, result.stdout
    # and /validate's NX900 always has a hint, which the schema's has not
    from nexlayer_lint.remote_validate import _failure

    assert all(problem.hint for problem in _failure("https://api.example.com", "down"))


def test_sarif_carries_the_fix_and_validates() -> None:
    from nexlayer_lint.model import RunInfo, SchemaInfo
    from nexlayer_lint.reporters import ReportOptions, render
    from tests.test_reporters import _sarif_validator

    text = MISSPELT.replace("nginx:1.27", "nginx").replace("Path: /", "volume: []")
    result = Linter(Settings()).lint(text, "nexlayer.yaml")
    log = json.loads(render("sarif", [result], RunInfo("0", SchemaInfo("bundled", "x", "1")), ReportOptions()))
    errors = list(_sarif_validator().iter_errors(log))
    assert not errors, errors[0].message
    fixes = {r["ruleId"]: r.get("fixes") for r in log["runs"][0]["results"]}
    assert fixes["NX215"] is None
    assert fixes["NX201"] == [
        {
            "description": {"text": 'Add `path: /` to pod "web"'},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "nexlayer.yaml", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 7, "startColumn": 1, "endLine": 7, "endColumn": 1},
                            "insertedContent": {"text": "      path: /\n"},
                        }
                    ],
                }
            ],
            "properties": {"applicability": "unsafe"},
        }
    ]
    assert fixes["NX102"] == [
        {
            "description": {"text": 'Rename to "volumes"'},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "nexlayer.yaml", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 7, "startColumn": 7, "endLine": 7, "endColumn": 13},
                            "insertedContent": {"text": "volumes"},
                        }
                    ],
                }
            ],
            "properties": {"applicability": "safe"},
        }
    ]


def test_show_fixes_places_a_later_pass_fix_where_its_finding_was(project: Path) -> None:
    # NX216 (safe) writes four lines as two in the first pass; NX104's unsafe fix, applied in the
    # second pass, was found two lines higher than where the report had put it (19:17, not 17:17)
    text = (
        "application:\n  name: shop\n  pods:\n"
        "    - name: web\n      image: nginx:1\n      path: /\n      servicePorts: [80]\n"
        '      vars:\n        - key: A\n          value: "1"\n        - key: B\n          value: "2"\n'
        "    - name: api\n      image: node:20\n      servicePorts:\n        - 3000\n"
        "      volumes:\n        - name: data\n          size: 2GB\n          mountPath: /data\n"
    )
    write(project / "nexlayer.yaml", text)
    before = run("--format", "json", "nexlayer.yaml").stdout
    assert [(d["code"], d["line"], d["col"]) for d in json.loads(before)["files"][0]["diagnostics"]] == [
        ("NX216", 8, 7),
        ("NX104", 19, 17),
    ]
    result = run("--fix", "--unsafe-fixes", "--show-fixes", "nexlayer.yaml")
    assert result.stdout.splitlines()[:4] == [
        "fixes applied:",
        "- nexlayer.yaml:",
        "    8:7  NX216  Write vars as a mapping",
        '    19:17  NX104  Write the size as "2Gi"',
    ]
    assert "size: 2Gi" in (project / "nexlayer.yaml").read_text() and result.exit_code == 0


@pytest.mark.parametrize("options", [("--ignore", "NX002"), ("--select", "NX102"), ("--ignore", "NX002,NX099")])
def test_a_fix_never_adds_a_duplicate_key_whatever_the_run_reports(project: Path, options: tuple[str, ...]) -> None:
    # hunt 111 F2: the passes linted with the run's codes, so with NX002 off both misspellings of
    # `path` were renamed: a duplicate key, "no problems" and exit 0
    text = CLEAN.replace("      path: /\n", "      Path: /\n      paht: /api\n")
    text += "      # nexlayer-lint: disable=NX002\n      vars: {A: x}\n"  # judged by no guarded NX002
    write(project / "nexlayer.yaml", text)
    result = run("--fix", *options, "--no-show-source", "nexlayer.yaml")
    fixed = (project / "nexlayer.yaml").read_text()
    assert fixed.count("path: /") == 1 and "NX002" not in result.stdout, result.stdout
    assert "# nexlayer-lint: disable=NX002" in fixed  # a directive for a code turned off is no NX099
    assert "not fixed" in result.stderr and "NX002" in result.stderr
    from nexlayer_lint.loader import load

    assert [p.code for p in load(fixed, "x")[1]] == []  # no duplicate key for any reader


def test_fix_all_in_the_editor_never_adds_a_duplicate_key_whatever_the_settings() -> None:
    from lsprotocol import types as lsp

    from nexlayer_lint import server
    from nexlayer_lint.config import Settings

    text = CLEAN.replace("      path: /\n", "      Path: /\n      paht: /api\n")
    edits = server._fix_all_job(text, "nexlayer.yaml", Settings(ignore=("NX002",)), lsp.PositionEncodingKind.Utf16)
    from tests.test_server import apply_text_edits

    assert apply_text_edits(text, edits).count("path: /") == 1


def test_with_remote_a_file_linted_under_two_names_is_posted_once_per_name(project: Path, fake_api: Any) -> None:
    # hunt 112 F4: each name was posted when fixed or asked again, then once more by the lint of
    # the other names after the write
    from tests import fake_api as fa

    fake_api.script("/validate", fa.valid())
    write(project / "pyproject.toml", '[tool.nexlayer-lint.per-file-ignores]\n"legacy/**" = ["NX215"]\n')
    write(project / "prod" / "nexlayer.yaml", MISSPELT)
    (project / "legacy").mkdir()
    (project / "legacy" / "nexlayer.yaml").symlink_to(project / "prod" / "nexlayer.yaml")
    result = run("--fix", "--remote", "--api-url", fake_api.url, "prod", "legacy")
    assert (project / "prod" / "nexlayer.yaml").read_text() == FIXED, result.output
    posts = [r for r in fake_api.requests if r.method == "POST"]
    assert len(posts) == 2 and all(b"servicePorts" in post.body for post in posts)


@pytest.mark.parametrize("order", [("fixing", "plain"), ("plain", "fixing")])
@pytest.mark.parametrize("text", [MISSPELT, FIXED])
def test_a_name_without_fix_of_a_file_fixed_under_another_is_posted_once(
    project: Path, fake_api: Any, order: tuple[str, str], text: str
) -> None:
    # hunt 113 F6: only one folder's config fixes; the other name posted the text about to be
    # replaced, then again after the write. With nothing to fix, each name is still asked once.
    from tests import fake_api as fa

    fake_api.script("/validate", fa.valid())
    write(project / "fixing" / ".nexlayer-lint.toml", "remote = true\nfix = true\n")
    write(project / "plain" / ".nexlayer-lint.toml", "remote = true\n")
    write(project / "fixing" / "nexlayer.yaml", text)
    (project / "plain" / "nexlayer.yaml").symlink_to(project / "fixing" / "nexlayer.yaml")
    result = run("--api-url", fake_api.url, *(f"{folder}/nexlayer.yaml" for folder in order))
    assert (project / "fixing" / "nexlayer.yaml").read_text() == FIXED, result.output
    posts = [r for r in fake_api.requests if r.method == "POST"]
    assert len(posts) == 2 and all(b"servicePorts" in post.body for post in posts), posts
    assert result.exit_code == 0, result.output


def test_diff_with_remote_asks_nothing_of_a_pipe_either(tmp_path: Path) -> None:
    # hunt 112 F3: a file --diff cannot read again was posted in the first lint
    from nexlayer_lint.cli import _fixed_later
    from nexlayer_lint.config import Settings

    os.mkfifo(tmp_path / "fifo")
    assert _fixed_later(Settings(), str(tmp_path / "fifo"), diff=True)
    assert not _fixed_later(Settings(fix=True), str(tmp_path / "fifo"), diff=False)  # posted now: not read again
    assert _fixed_later(Settings(fix=True), "-", diff=False)


def test_the_diff_of_any_change_is_one_git_applies(tmp_path: Path) -> None:
    # hunt 111 F1: difflib's alignment made --diff quadratic (4,000 pods: 22 s); the hunks are
    # written from the lines' anchors (align.changed_runs) now, and must still apply
    from nexlayer_lint.fix_files import unified_diff

    rng = random.Random(111)
    pool = ["a: 1\n", "b: 2\n", "  - x\n", "\n", "c\r\n", "u", "same\n", "same\n"]
    for case in range(60):
        old = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) + f"end{case}\n" * rng.randint(0, 1)
        lines = old.splitlines(keepends=True)
        for _ in range(rng.randint(1, 5)):
            at = rng.randint(0, len(lines))
            lines[at : at + rng.randint(0, 2)] = [rng.choice(pool) for _ in range(rng.randint(0, 2))]
        new = "".join(lines)
        (tmp_path / "f.yaml").write_bytes(old.encode())
        diff = unified_diff(old, new, "f.yaml")
        assert (diff == "") == (old == new)
        if diff:
            subprocess.run(["git", "apply", "--unsafe-paths", "-"], input=diff.encode(), cwd=tmp_path, check=True)
            assert (tmp_path / "f.yaml").read_bytes() == new.encode(), (old, new, diff)
    pod = "  - name: p{k}\n    DEBUG: yes\n" + "".join(f"    l{j}: p{{k}}\n" for j in range(7))  # 7 lines apart
    pods = "".join(pod.format(k=k) for k in range(3_000))
    diff = unified_diff(pods + "x: 1\n", pods.replace("DEBUG: yes", 'DEBUG: "yes"') + "x: 2\ny: 3\n", "f.yaml")
    assert diff.count("@@ -") == 3_001 and diff.count('+    DEBUG: "yes"') == 3_000
