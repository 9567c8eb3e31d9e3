"""Shared fixtures: lint helpers, and the location of ../shared/ when it is there."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import settings

from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from nexlayer_lint.model import Diagnostic
from tests.fake_api import _no_network, fake_api  # noqa: F401 - fixtures: the fake API, the network guard

# CI (`CI` set, as GitHub Actions and .ci/run set it) runs the property tests on the same examples
# every time, so a run never fails on a case found by chance; a developer's run explores anew.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# The smallest file that lints clean: the base most tests change one thing in.
CLEAN = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
"""


def lint_diags(text: str | bytes, path: str = "nexlayer.yaml", **settings: object) -> list[Diagnostic]:
    result = Linter(Settings(**settings)).lint(text, path)  # type: ignore[arg-type]
    assert result.error is None, result.error
    return list(result.diagnostics)


def lint_codes(text: str | bytes, path: str = "nexlayer.yaml", **settings: object) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in lint_diags(text, path, **settings)]


@functools.cache
def slowness() -> float:
    """How many times slower than usual this machine runs Python now (at least 1): the bounds of
    the tests that guard against quadratic work (seconds where linear code takes a fraction, and
    quadratic code minutes) are multiplied by it, so that a VM in a slow phase (seen: 4x) fails
    none of them, while quadratic work still does. The usual time of the loop below is ~50 ms."""
    import time

    def loop() -> float:
        started, total = time.perf_counter(), 0
        for number in range(1_000_000):
            total += number
        return time.perf_counter() - started

    # the mean, not the best, of several: the VM's speed comes in phases of a few hundred milliseconds
    return max(1.0, sum(loop() for _ in range(6)) / 6 / 0.05)


def shared_dir(*parts: str) -> Path:
    """A folder of ../shared/, or skip the test when the checkout has none beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (it sits beside the checkout in CI and for the team)")
    return path


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user config, cache or API URL leaks into a test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NEXLAYER_API_URL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
