"""lazy(): a pattern compiled the first time it is used, then used as re.compile's would be."""

import ast
import re
from pathlib import Path

import nexlayer_lint
from nexlayer_lint.lazy_regex import lazy


def test_a_lazy_pattern_is_compiled_on_first_use_and_then_answers_as_re_compile_s() -> None:
    pattern = lazy(r"(?P<name>[a-z]+)=([0-9]+)", re.IGNORECASE)
    assert "search" not in vars(pattern)  # nothing compiled yet
    assert repr(pattern) == "lazy('(?P<name>[a-z]+)=([0-9]+)')"
    compiled = re.compile(r"(?P<name>[a-z]+)=([0-9]+)", re.IGNORECASE)
    text = "x A=1, b=22 ,C=333"
    assert pattern.search(text).span() == compiled.search(text).span() == (2, 5)  # type: ignore[union-attr]
    assert "search" in vars(pattern)  # kept: later uses skip the lookup
    assert not hasattr(type(pattern), "__getattr__")  # nor the hook Python calls for every lookup
    assert [m.group("name") for m in pattern.finditer(text)] == ["A", "b", "C"]
    assert pattern.sub("<\\2>", text) == compiled.sub("<\\2>", text) == "x <1>, <22> ,<333>"
    assert pattern.fullmatch("b=2") is not None and pattern.match(" b=2") is None
    assert (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
        compiled.groupindex,
    )


def test_a_lazy_bytes_pattern() -> None:
    header = lazy(rb"Content-Length: *([0-9]+)")
    assert header.search(b"x\r\nContent-Length: 12\r\n").group(1) == b"12"  # type: ignore[union-attr]


def test_no_module_compiles_a_pattern_at_import() -> None:
    """A module-level `re.compile` runs re's Python compiler in every run, used or not: the
    package's patterns go through lazy() (a clean one-file run compiled ~100 of them, ~8% of its
    instructions)."""
    package = Path(nexlayer_lint.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            calls = [
                node
                for node in ast.walk(statement)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "compile"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
            ]
            if calls and not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append(f"{path.relative_to(package)}:{statement.lineno}")
    assert found == []
