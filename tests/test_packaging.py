"""The wheel carries what `pip install .` users need: the schema and every rule page."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nexlayer_lint.docs import page_name
from nexlayer_lint.rules import RULES
from tests.conftest import ROOT


def test_wheel_ships_the_schema_and_every_rule_page(tmp_path: Path):
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (in the test extras)")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("nexlayer_lint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"nexlayer_lint/nexlayer.schema.json", "nexlayer_lint/nexlayer.editor.schema.json"} <= names
    assert {f"nexlayer_lint/_rules/{page_name(code)}" for code in RULES} <= names
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
