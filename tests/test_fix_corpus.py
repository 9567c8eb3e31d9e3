"""`--fix --unsafe-fixes` over every real file of ../shared/corpus/real/, as a property (issue 18).

On a copy of the corpus, one run fixes every file it can; then, file by file: no fixable finding
is left but those the run said it could not fix, no error was added, every comment line is still
there (a removed unused suppression excepted), the data changed only under the lines the fixes
edited, a second run changes nothing, and a file with nothing to fix is byte for byte (and
modification time) as it was. The checks' own fixes apply to about a quarter of the files (NX202,
NX216, NX103, NX104, NX201, NX203), so every step runs on real fixes.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nexlayer_lint import loader
from nexlayer_lint.cli import main
from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter, lint
from nexlayer_lint.fix_files import decode
from nexlayer_lint.fixes import fix_all, worsened
from nexlayer_lint.model import DataPath, Diagnostic, Edit, Fix, Span, format_path
from tests.conftest import shared_dir

NOT_FIXED = re.compile(
    r"^nexlayer-lint: warning: (?P<file>[^:]+):\d+:\d+: (?P<code>NX\d+) not fixed \((?P<title>.*)\): ", re.MULTILINE
)


def fix(folder: Path, names: list[str]) -> Any:
    return CliRunner().invoke(
        main, ["--fix", "--unsafe-fixes", "--isolated", "--no-show-source", "--quiet", *names], catch_exceptions=False
    )


def test_fix_over_the_corpus_keeps_every_promise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = shared_dir("corpus", "real")
    copy = tmp_path / "corpus"
    shutil.copytree(source, copy)
    names = sorted(path.name for path in copy.glob("*.yaml"))
    for name in names:
        (copy / name).chmod(0o644)  # the shared corpus is read-only, and --fix leaves read-only files alone
    before = {name: (copy / name).read_bytes() for name in names}
    mtimes = {name: (copy / name).stat().st_mtime_ns for name in names}
    monkeypatch.chdir(copy)

    first = fix(copy, names)
    assert first.exit_code in (0, 1), first.output
    refused = Counter((m["file"], m["code"], m["title"]) for m in NOT_FIXED.finditer(first.stderr))
    assert all(NOT_FIXED.match(line) for line in first.stderr.splitlines()), first.stderr  # nothing else
    after = {name: (copy / name).read_bytes() for name in names}

    changed = 0
    for name in names:
        old_result = lint(before[name], name)
        if not any(d.fix is not None for d in old_result.diagnostics):
            # nothing to fix: not even written
            assert after[name] == before[name] and (copy / name).stat().st_mtime_ns == mtimes[name], name
            continue
        new_result = lint(after[name], name)
        left = [(name, d.code, d.fix.title) for d in new_result.diagnostics if d.fix is not None]
        assert all(item in refused for item in left), (name, left)
        assert worsened(old_result.diagnostics, new_result.diagnostics) == (), name
        if after[name] == before[name]:
            continue
        changed += 1
        old_text, new_text = before[name].decode("utf-8-sig"), after[name].decode("utf-8-sig")
        unused = {d.line for d in old_result.diagnostics if d.code == "NX099"}
        kept = Counter(line.strip() for line in new_text.splitlines())
        for number, line in enumerate(old_text.splitlines(), 1):
            if line.lstrip().startswith("#") and number not in unused:
                assert kept[line.strip()] > 0, (name, line)
                kept[line.strip()] -= 1
        _data_changed_only_where_fixes_named(name, before[name], new_text)

    second = fix(copy, names)
    assert {name: (copy / name).read_bytes() for name in names} == after, "a second --fix changed something"
    assert second.exit_code == first.exit_code
    assert changed > 20, changed  # the checks' fixes apply: the property is not held trivially


def _data_changed_only_where_fixes_named(name: str, raw: bytes, new_text: str) -> None:
    """Every data path whose value differs lies under what an applied fix named: the mapping that
    holds its finding, or the node one of its edits is in (each located in the text the fix was
    offered for). The fixes are found again here, by fix_all over the same lint."""
    linter = Linter(Settings())
    offered: dict[Fix, tuple[Diagnostic, str]] = {}

    def diagnose(text: str) -> tuple[Diagnostic, ...]:
        found = linter.lint(text, name).diagnostics
        for d in found:
            if d.fix is not None:
                offered.setdefault(d.fix, (d, text))
        return found

    encoded = decode(raw)
    assert encoded is not None
    fixed = fix_all(encoded.text, diagnose, lambda fix: True)
    assert fixed.text == new_text, f"{name}: --fix wrote something else than fix_all gives"
    roots = [root for fix in fixed.applied for root in _named(*offered[fix])]
    old_doc, _ = loader.load(encoded.text, name)
    new_doc, _ = loader.load(new_text, name)
    assert old_doc is not None and new_doc is not None, name
    for path in _differences(old_doc.data, new_doc.data, ()):
        assert any(path[: len(root)] == root for root in roots), (name, path, roots)


def _named(finding: Diagnostic, text: str) -> list[DataPath]:
    doc, _ = loader.load(text, "x.yaml")
    assert doc is not None
    by_name = {format_path(path): path for path in doc.positions}
    roots = [by_name[finding.path][:-1]] if finding.path in by_name else []
    for edit in finding.fix.edits:  # type: ignore[union-attr]
        at = (edit.span.line, edit.span.col)
        inside = [
            path
            for path, located in doc.positions.items()
            if any(
                span is not None and (span.line, span.col) <= at < (span.end_line, span.end_col)
                for span in (located.key, located.value)
            )
        ]
        deepest = max(inside, key=len, default=())
        roots.append(deepest[:-1] if deepest else ())
    return roots


def _differences(old: Any, new: Any, path: DataPath) -> list[DataPath]:
    """The shallowest paths where the two data trees differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = [path + (key,) for key in old.keys() ^ new.keys()]
        for key in old.keys() & new.keys():
            out += _differences(old[key], new[key], path + (key,))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for i, (a, b) in enumerate(zip(old, new, strict=True)) for p in _differences(a, b, path + (i,))]
    return [] if type(old) is type(new) and old == new else [path]


def test_the_data_check_catches_a_change_outside_what_the_fix_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # an alias repeats the anchored value: a fix of x.a changes y.b too, which it did not name
    text = "x:\n  a: &v 1\ny:\n  b: *v\n"
    bump = Fix("bump", (Edit(Span(2, 9, 2, 10), "2"),))

    def lint_with_fix(self: Any, source: Any, path: str) -> Any:
        found = Diagnostic(path, 2, 9, 2, 10, "NX215", "unpinned-image", "warning", "m", path="x.a", fix=bump)
        return real(self, source, path)._replace(diagnostics=(found,) if "&v 1" in source else ())

    real = Linter.lint
    monkeypatch.setattr(Linter, "lint", lint_with_fix)
    with pytest.raises(AssertionError, match=r"\('y', 'b'\)"):
        _data_changed_only_where_fixes_named("x.yaml", text.encode(), text.replace("&v 1", "&v 2"))
    _data_changed_only_where_fixes_named(
        "x.yaml", text.replace("*v", "3").encode(), text.replace("*v", "3").replace("&v 1", "&v 2")
    )
