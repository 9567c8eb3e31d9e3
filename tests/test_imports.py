"""Import budget: what start-up pulls in, seen with `python -X importtime` in a fresh interpreter.

`--version` and `--help` must not import jsonschema, ruamel.yaml or any HTTP module; linting a
file with the bundled schema, valid or not, must not import jsonschema (quickvalid answers) nor
OpenSSL (hashlib), and nothing offline may import HTTP. The module lists are the assertion, never the timings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nexlayer_lint import __version__
from tests.conftest import ROOT

SCHEMA_MODULES = ("jsonschema", "referencing", "jsonschema_specifications")
YAML_MODULES = ("ruamel.yaml",)
HTTP_MODULES = ("http.client", "urllib.request", "ssl", "socket", "email.parser", "requests", "urllib3", "httpx")
OPENSSL_MODULES = ("hashlib", "_hashlib")  # loading OpenSSL costs ~5 ms; the schema digest does without


def imported_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `python -X importtime -m nexlayer_lint ARGS` and return the process and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nexlayer_lint", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    modules.discard("package")  # the header line: "import time: self [us] | cumulative | imported package"
    assert "nexlayer_lint.cli" in modules, done.stderr[-2000:]  # the parse works, or the checks below prove nothing
    return done, modules


def offending(modules: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == b or m.startswith(b + ".") for b in banned))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"], ["-h"]])
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    done, modules = imported_by(*args)
    assert done.returncode == 0, done.stderr[-2000:]
    if args == ["--version"]:
        assert done.stdout.strip() == f"nexlayer-lint {__version__}"
    else:
        assert "Usage:" in done.stdout
    assert offending(modules, SCHEMA_MODULES + YAML_MODULES + HTTP_MODULES) == []
    assert "nexlayer_lint.engine" not in modules  # the CLI imports the engine inside the command


def test_linting_a_valid_file_imports_neither_jsonschema_nor_http() -> None:
    done, modules = imported_by("check", "--isolated", "examples/good/nexlayer.yaml")
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "ruamel.yaml" in modules  # it did lint
    assert offending(modules, SCHEMA_MODULES + HTTP_MODULES + OPENSSL_MODULES) == []
    assert "nexlayer_lint.schema_fixes" not in modules  # fixes are made only for findings
    assert "decimal" not in modules  # only NX005's hint for a float such as 8e1 needs it


def test_schema_findings_of_the_bundled_schema_need_no_jsonschema() -> None:
    # quickvalid.py's generated code gives jsonschema's errors for the bundled schema
    done, modules = imported_by("check", "--isolated", "--format", "json", "examples/broken/nexlayer.yaml")
    assert done.returncode == 1
    assert '"NX101"' in done.stdout and '"NX104"' in done.stdout  # schema findings
    assert offending(modules, SCHEMA_MODULES + HTTP_MODULES + OPENSSL_MODULES) == []
    assert "nexlayer_lint.schema_fixes" in modules  # the other side: the detector sees it when it is needed


def test_a_schema_beyond_the_generated_code_does_bring_in_jsonschema(tmp_path: Path) -> None:
    # The other side of the tests above: the detector sees jsonschema when it is imported.
    given = tmp_path / "schema.json"
    given.write_text(json.dumps({"type": "object", "properties": {"application": {"format": "date"}}}))
    done, modules = imported_by("check", "--isolated", "--schema", str(given), "examples/good/nexlayer.yaml")
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "jsonschema" in modules
    assert offending(modules, HTTP_MODULES) == []
