"""Every rules/ page: its Example gives exactly the marked codes on the marked lines; Use instead gives none."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from nexlayer_lint.fixes import fix_all, makes_worse
from nexlayer_lint.model import Diagnostic, Fix
from nexlayer_lint.rules import RULES
from tests.conftest import ROOT, lint_diags

RULES_DIR = ROOT / "rules"
MARKER = re.compile(r"#\s*(error|warning|info):\s*(NX\d{3}(?:\s*,\s*NX\d{3})*)")
BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
# A page may give the schema its example needs (NX105: no bundled keyword maps to it).
SCHEMA_BLOCK = re.compile(r"```json\n(.*?)```", re.S)


def _pages() -> list[Path]:
    return sorted(RULES_DIR.glob("NX*.md"))


def _sections(page: Path) -> dict[str, list[str]]:
    """`## Example` / `## Use instead` -> their yaml blocks."""
    sections: dict[str, list[str]] = {}
    for chunk in re.split(r"^## ", page.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title, _, body = chunk.partition("\n")
        sections[title.strip().lower()] = BLOCK.findall(body)
    return sections


def _page_schema(page: Path) -> str | None:
    found = SCHEMA_BLOCK.findall(page.read_text(encoding="utf-8"))
    return found[0] if found else None


def _cases() -> list[object]:
    cases = []
    for page in _pages():
        schema = _page_schema(page)
        for kind in ("example", "use instead"):
            for number, block in enumerate(_sections(page).get(kind, []), start=1):
                cases.append(
                    pytest.param(page.name, kind, block, schema, id=f"{page.stem}:{kind.replace(' ', '-')}-{number}")
                )
    return cases


def _expected(block: str) -> list[tuple[str, int, str]]:
    found = []
    for number, line in enumerate(block.splitlines(), start=1):
        for match in MARKER.finditer(line):
            for code in re.split(r"\s*,\s*", match.group(2)):
                found.append((code, number, match.group(1)))
    return sorted(found)


@pytest.mark.parametrize(("page", "kind", "block", "schema"), _cases())
def test_page_examples(page: str, kind: str, block: str, schema: str | None, tmp_path: Path) -> None:
    settings = {}
    if schema is not None:
        (tmp_path / "page.schema.json").write_text(schema, encoding="utf-8")
        settings["schema"] = str(tmp_path / "page.schema.json")
    got = sorted((d.code, d.line, d.severity) for d in lint_diags(block, "nexlayer.yaml", **settings))
    if kind == "example":
        assert got == _expected(block), f"{page}: the Example's markers do not match what the linter reports"
        assert got, f"{page}: an Example must show at least one finding"
    else:
        assert got == [], f"{page}: Use instead must lint clean"


# The codes whose findings carry fixes (issue 18); each page says what they change under "## Fix".
FIXABLE = ("NX005", "NX099", "NX101", "NX102", "NX103", "NX104", "NX201", "NX202", "NX203", "NX208", "NX216")
# In a Fix section, the last **safe** or **unsafe** before a pair of blocks says which fixes make it.
APPLICABILITY = re.compile(r"\*\*(safe|unsafe)\b[^*]*\*\*", re.I)


def _fix_cases() -> list[object]:
    """Every (before, after) pair of yaml blocks under a page's "## Fix", with its applicability."""
    cases = []
    for page in _pages():
        for chunk in re.split(r"^## ", page.read_text(encoding="utf-8"), flags=re.M)[1:]:
            title, _, body = chunk.partition("\n")
            if title.strip().lower() != "fix":
                continue
            blocks = list(BLOCK.finditer(body))
            assert len(blocks) % 2 == 0, f"{page.name}: a Fix block without its after block"
            for number, (before, after) in enumerate(zip(blocks[::2], blocks[1::2], strict=True), start=1):
                said = APPLICABILITY.findall(body[: before.start()])
                assert said, f"{page.name}: say **safe** or **unsafe** before the Fix blocks"
                cases.append(
                    pytest.param(
                        page.name, before.group(1), after.group(1), said[-1].lower(), id=f"{page.stem}:fix-{number}"
                    )
                )
    return cases


def _diagnose_only(code: str) -> Callable[[str], list[Diagnostic]]:
    """Lint, keeping the fixes of `code`'s findings only: a page shows its own rule's fixes."""
    return lambda text: [d if d.code == code else d._replace(fix=None) for d in lint_diags(text)]


@pytest.mark.parametrize(("page", "before", "after", "applicability"), _fix_cases())
def test_page_fixes(page: str, before: str, after: str, applicability: str) -> None:
    code = page[:5]
    diagnose = _diagnose_only(code)
    wanted: Callable[[Fix], bool] = (
        (lambda fix: True) if applicability == "unsafe" else (lambda fix: fix.applicability == "safe")
    )
    fixed = fix_all(before, diagnose, wanted)
    assert fixed.text == after, f"{page}: the rule's fixes do not turn the before block into the after block"
    assert fixed.applied and fixed.rejected == ()
    assert applicability in {fix.applicability for fix in fixed.applied}, f"{page}: no {applicability} fix applied"
    assert code not in {d.code for d in lint_diags(after)}, f"{page}: the finding is still there after its fix"
    assert not makes_worse(lint_diags(before), lint_diags(after))
    assert fix_all(after, diagnose, wanted).applied == ()  # nothing left to do: idempotent


def test_the_fixable_codes_have_a_fix_section() -> None:
    with_section = {page.name[:5] for page in _pages() if "fix" in _sections(page)}
    assert sorted(with_section) == sorted(FIXABLE)


def test_every_code_has_exactly_one_page() -> None:
    pages = {}
    for page in _pages():
        code = page.name[:5]
        assert code not in pages, f"two pages for {code}"
        pages[code] = page
    assert sorted(pages) == sorted(RULES), "every registered code needs one page in rules/, and no page without a code"
    for code, page in pages.items():
        assert page.name == f"{code}-{RULES[code].name}.md"
        first = page.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# {code} {RULES[code].name}", f"{page.name}: title must be '# {code} {RULES[code].name}'"
        text = page.read_text(encoding="utf-8")
        for heading in ("## What it does", "## Why it matters"):
            assert heading in text, f"{page.name} lacks {heading}"


def test_rules_folder_holds_only_markdown() -> None:
    # hatchling force-include copies rules/ verbatim into the wheel
    assert all(p.suffix == ".md" for p in RULES_DIR.iterdir()), "rules/ must hold only .md files"


def test_local_codes_have_runnable_examples() -> None:
    # Remote codes (NX9xx) need a server; tests/test_api.py covers them instead.
    for code, rule in RULES.items():
        if rule.stage == "remote":
            continue
        page = RULES_DIR / f"{code}-{rule.name}.md"
        if page.exists():
            assert _sections(page).get("example"), f"{page.name}: needs a ```yaml Example block"


def codes_table() -> str:
    """README's table of codes, as the registry gives it."""
    rows = ["| code | name | default | what it finds |", "|---|---|---|---|"]
    rows += [
        f"| [{code}](rules/{code}-{rule.name}.md) | `{rule.name}` | {rule.severity} | {rule.summary} |"
        for code, rule in RULES.items()
    ]
    return "\n".join(rows) + "\n"


def test_readme_table_of_codes_is_the_registry() -> None:
    # NEXLAYER_UPDATE_README=1 writes the table from the registry, for a new or changed rule.
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    head, section = readme.split("\n## Codes\n", 1)
    section, tail = section.split("\n## ", 1)
    rows = [line for line in section.splitlines() if line.startswith("|")]
    table = "".join(line + "\n" for line in rows)
    if os.environ.get("NEXLAYER_UPDATE_README") == "1":
        before, _, after = section.partition(table)
        path.write_text(f"{head}\n## Codes\n{before}{codes_table()}{after}\n## {tail}", encoding="utf-8")
        return
    assert table == codes_table(), (
        "README's table of codes differs from nexlayer_lint.rules "
        "(NEXLAYER_UPDATE_README=1 rewrites it); it should read:\n" + codes_table()
    )
