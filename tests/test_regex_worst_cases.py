"""Every regular expression in nexlayer_lint, fed the texts that make backtracking engines slow.

Issue 16: a pull request controls the text, so no pattern may take more than linear time on it.
The patterns are found, not listed: compiled at module level (any module of the package), or
written inline in a call like `re.split(r"...", text)` (found in the source with `ast`). Each is
run with search, match, fullmatch and finditer over long runs of one character, or of two
alternating, with and without a tail that makes the match fail at the end — the shapes that
turn `\\s+#`, `.*?%>` or `(a+)+` quadratic or worse. Each is run the ways the code runs it:
a pattern only ever used with `match` or `fullmatch` is tried at the start only (an unanchored
search with a leading `\\s*` is quadratic in any backtracking engine, and the code never asks
for one); any other use, or none found, tries all four. A linear search of 20,000 characters
takes milliseconds; a quadratic one, seconds: the bound below is far from both.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import nexlayer_lint
from nexlayer_lint.lazy_regex import _CompiledPattern, _LazyPattern
from tests.conftest import slowness

PACKAGE = Path(nexlayer_lint.__file__).parent
LENGTH = 20_000
BOUND_SECONDS = 1.0
RUNS = (
    " ",
    "\t",
    "a",
    "A",
    "0",
    "-",
    ".",
    "<",
    "%",
    "$",
    "{",
    "}",
    ":",
    "/",
    "#",
    "\n",
    "@",
    "_",
    '"',
    "'",
    "*",
    "=",
    "\\",
    ",",
    "<%",
    "${",
    "a-",
    "a.",
    "a:",
    " #",
    "0:",
    "-0",
    "ab",
    "%>",
    "://",
    "a@",
    "\r\n",
)
TAILS = ("", "!", "\x00", "#", "\n", "x")
_CALLS = {"match", "search", "fullmatch", "sub", "split", "findall", "finditer", "compile", "subn"}


SOURCE = "\n".join(path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py")))
ANCHORED = frozenset({"match", "fullmatch"})


def _module_patterns() -> dict[str, tuple[re.Pattern[str], frozenset[str]]]:
    """Module-level patterns, each with the methods the package calls on it (by its name)."""
    found: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {}
    for info in pkgutil.walk_packages([str(PACKAGE)], "nexlayer_lint."):
        if info.name.endswith(("quickvalid_bundled", "__main__")):
            continue  # generated code (patterns searched by regress), and the entry point (runs the CLI)
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, _LazyPattern | _CompiledPattern):  # (lazy_regex's, compiled or not yet)
                value = re.compile(value._pattern, value._flags)
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                used = re.findall(rf"\b{re.escape(name)}\.(\w+)\(", SOURCE)
                found[f"{info.name}.{name}"] = (value, frozenset(used))
    return found


def _inline_patterns() -> dict[str, tuple[re.Pattern[str], frozenset[str]]]:
    """`re.<call>("literal", ...)` anywhere in the package's source, with that call."""
    found: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
            ):
                flags = 0
                for keyword in node.keywords:
                    if keyword.arg == "flags" and isinstance(keyword.value, ast.Attribute):
                        flags |= getattr(re, keyword.value.attr, 0)
                call = node.func.attr
                for index, text in enumerate(_constant_texts(node.args[0], path)):
                    name = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}" + (f"#{index}" if index else "")
                    found[name] = (re.compile(text, flags), frozenset() if call == "compile" else {call})
    return found


def _constant_texts(node: ast.expr, path: Path) -> list[str]:
    """The pattern texts an argument can be: a literal, a module-level name holding one (a
    pattern kept as text), or either branch of `a if c else b`."""
    if isinstance(node, ast.IfExp):
        return _constant_texts(node.body, path) + _constant_texts(node.orelse, path)
    value = None
    if isinstance(node, ast.Constant):
        value = node.value
    elif isinstance(node, ast.Name):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        value = getattr(importlib.import_module(".".join(parts)), node.id, None)
    return [value] if isinstance(value, str) else []


def _all_patterns() -> dict[str, tuple[re.Pattern[str], frozenset[str]]]:
    module = _module_patterns()
    # `X = re.compile(...)` at module level is found both ways; its uses are known only by name
    seen = {(pattern.pattern, pattern.flags) for pattern, _ in module.values()}
    inline = {
        name: found for name, found in _inline_patterns().items() if (found[0].pattern, found[0].flags) not in seen
    }
    return {**module, **inline}


PATTERNS = _all_patterns()


def test_the_patterns_are_found() -> None:
    # The test is only worth something if it sees the patterns it should.
    assert len(PATTERNS) >= 200  # (lazy_regex's patterns too: 15 were found without them)
    assert any(name.startswith("nexlayer_lint/parse_errors.py:") for name in PATTERNS)  # inline
    assert any(name.startswith("nexlayer_lint.checks.") for name in PATTERNS)
    assert "nexlayer_lint.reporters.printable._UNSAFE" in PATTERNS  # a lazy one
    assert "nexlayer_lint.secrets._HINT" in PATTERNS


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_is_slow_on_hostile_text(name: str) -> None:
    pattern, used = PATTERNS[name]
    anchored = bool(used) and used <= ANCHORED
    slowest, worst = 0.0, ""
    for run in RUNS:
        body = run * (LENGTH // len(run))
        for tail in TAILS:
            text = body + tail
            start = time.perf_counter()
            pattern.match(text)
            pattern.fullmatch(text)
            if not anchored:
                pattern.search(text)
                for _ in pattern.finditer(text):
                    pass
            took = time.perf_counter() - start
            if took > slowest:
                slowest, worst = took, f"{run!r} * {LENGTH // len(run)} + {tail!r}"
    assert slowest < BOUND_SECONDS * slowness(), (
        f"{name} ({pattern.pattern!r}, {sorted(used)}) took {slowest:.2f} s on {worst}"
    )
