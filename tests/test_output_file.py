"""`--output-file`: the permissions a shell redirect gives, symlinks, FIFOs and devices written
through (never replaced), failures that leave nothing behind (reporters/output_file.py)."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlayer_lint.cli import main
from nexlayer_lint.reporters import output_file
from nexlayer_lint.reporters.output_file import write_report

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes, FIFOs and devices as POSIX has them")

ERRORS = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [http]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "nexlayer.yaml").write_text(ERRORS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str):
    return CliRunner().invoke(main, ["check", "nexlayer.yaml", *args])


class _umask:
    def __init__(self, mask: int) -> None:
        self.mask = mask

    def __enter__(self) -> None:
        self.old = os.umask(self.mask)

    def __exit__(self, *exc: object) -> None:
        os.umask(self.old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".nexlayer-lint.")]


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077, 0o002])
def test_a_new_report_gets_the_mode_a_redirect_gives(project: Path, mask: int) -> None:
    with _umask(mask):
        outcome = check("--format", "sarif", "-o", "reports/out.sarif")
    assert outcome.exit_code == 1, outcome.output
    assert _mode(project / "reports" / "out.sarif") == 0o666 & ~mask
    assert json.loads((project / "reports" / "out.sarif").read_text())["version"] == "2.1.0"
    assert _leftovers(project / "reports") == []


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664])
def test_an_existing_report_keeps_its_mode(project: Path, mode: int) -> None:
    target = project / "out.json"
    target.write_text("stale")
    target.chmod(mode)
    with _umask(0o022):
        assert check("--format", "json", "-o", "out.json").exit_code == 1
    assert _mode(target) == mode
    assert json.loads(target.read_text())["summary"]["error"] == 1


def test_a_symlink_is_written_through_and_stays_a_symlink(project: Path) -> None:
    (project / "real").mkdir()
    (project / "real" / "report.txt").write_text("old")
    (project / "link.txt").symlink_to("real/report.txt")
    (project / "dangling.txt").symlink_to("real/new.txt")
    assert check("-o", "link.txt").exit_code == 1
    assert check("--format", "gitlab", "-o", "dangling.txt").exit_code == 1
    assert (project / "link.txt").is_symlink() and (project / "dangling.txt").is_symlink()
    assert (project / "real" / "report.txt").read_text().endswith("1 error in 1 file\n")
    assert json.loads((project / "real" / "new.txt").read_text())[0]["check_name"] == "NX103"


def test_dev_null_is_written_to_not_replaced(project: Path) -> None:
    outcome = check("--format", "sarif", "-o", "/dev/null")
    assert (outcome.exit_code, outcome.output) == (1, "")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_is_an_error_with_a_message(project: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    outcome = check("-o", "/dev/full")
    assert outcome.exit_code == 2
    assert outcome.output == "nexlayer-lint: error: cannot write /dev/full: No space left on device\n"


def test_a_fifo_with_a_reader_gets_the_report(project: Path) -> None:
    os.mkfifo(project / "pipe")
    reader = os.open(project / "pipe", os.O_RDONLY | os.O_NONBLOCK)  # a reader, there before the writer
    try:
        outcome = check("--format", "github", "-o", "pipe")  # a small report: the pipe's buffer holds it
        os.set_blocking(reader, True)
        received = b"".join(iter(lambda: os.read(reader, 1 << 16), b""))
    finally:
        os.close(reader)
    assert outcome.exit_code == 1, outcome.output
    assert received.decode().startswith("::error file=nexlayer.yaml,line=7,")
    assert stat.S_ISFIFO(os.lstat(project / "pipe").st_mode)


def test_a_fifo_nobody_reads_is_refused_at_once(project: Path) -> None:
    os.mkfifo(project / "pipe")
    outcome = check("-o", "pipe")
    assert outcome.exit_code == 2
    assert outcome.output == "nexlayer-lint: error: cannot write pipe: nobody is reading the named pipe\n"
    assert stat.S_ISFIFO(os.lstat(project / "pipe").st_mode)


def test_dev_stdout_reaches_the_real_standard_output(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nexlayer_lint", "nexlayer.yaml", "--format", "json", "-o", "/dev/stdout"],
        cwd=project,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["files"][0]["path"] == "nexlayer.yaml"


def test_a_failed_write_removes_its_temporary_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: str, target: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(output_file.os, "replace", refuse)
    outcome = check("--format", "junit", "-o", "out.xml")
    assert outcome.exit_code == 2
    assert outcome.output == "nexlayer-lint: error: cannot write out.xml: Invalid cross-device link\n"
    assert not (project / "out.xml").exists() and _leftovers(project) == []


def test_an_existing_report_that_cannot_be_renamed_over_is_written_in_place(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hunt 268 F2: a report mounted on its own (`docker run -v f:f`: EBUSY), or in a folder the
    # run may not write, got exit 2 and no report, where `> FILE` writes it
    (project / "out.json").write_text("old")
    inode = (project / "out.json").stat().st_ino

    def busy(source: str, target: str) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", target)

    monkeypatch.setattr(output_file.os, "replace", busy)
    outcome = check("--format", "json", "-o", "out.json")
    assert outcome.exit_code == 1, outcome.output
    assert json.loads((project / "out.json").read_text())["files"][0]["path"] == "nexlayer.yaml"
    assert (project / "out.json").stat().st_ino == inode and _leftovers(project) == []


def test_a_hard_linked_report_is_replaced_and_its_other_names_keep_their_text(project: Path) -> None:
    # hunt 271 F5: written in place, a report through a hard link overwrote a deployment file
    (project / "b").mkdir()
    (project / "b" / "nexlayer.yaml").write_text(ERRORS)
    os.link(project / "b" / "nexlayer.yaml", project / "out.json")
    assert check("--format", "json", "-o", "out.json").exit_code == 1
    assert (project / "b" / "nexlayer.yaml").read_text() == ERRORS
    assert json.loads((project / "out.json").read_text())["files"][0]["path"] == "nexlayer.yaml"


def test_a_hard_linked_report_that_cannot_be_replaced_is_not_written_through(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hunt 272 F1: in a folder the run may not write, the report was written in place, through
    # the link, over a deployment file
    (project / "b").mkdir()
    (project / "b" / "nexlayer.yaml").write_text(ERRORS)
    os.link(project / "b" / "nexlayer.yaml", project / "out.json")

    def refuse(source: str, target: str) -> None:
        raise OSError(errno.EACCES, "Permission denied", target)

    monkeypatch.setattr(output_file.os, "replace", refuse)
    outcome = check("--format", "json", "-o", "out.json")
    assert outcome.exit_code == 2 and "Permission denied" in outcome.output
    assert (project / "b" / "nexlayer.yaml").read_text() == ERRORS and _leftovers(project) == []


def test_a_folder_that_cannot_be_made_is_an_error(project: Path) -> None:
    outcome = check("-o", "nexlayer.yaml/out.txt")  # a file stands where the folder would go
    assert outcome.exit_code == 2
    assert outcome.output.startswith("nexlayer-lint: error: cannot write nexlayer.yaml/out.txt: ")
    assert (project / "nexlayer.yaml").read_text() == ERRORS


def test_a_directory_is_refused(project: Path) -> None:
    (project / "folder").mkdir()
    outcome = check("-o", "folder")
    assert outcome.exit_code == 2 and "folder" in outcome.output and "directory" in outcome.output
    with pytest.raises(IsADirectoryError):
        write_report(str(project / "folder"), "x")


def test_write_report_never_fails_on_text_it_cannot_encode(tmp_path: Path) -> None:
    write_report(str(tmp_path / "r.txt"), "a\udcffb\ud800")
    assert (tmp_path / "r.txt").read_bytes() == b"a\\udcffb\\ud800"
