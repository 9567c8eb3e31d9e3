"""The rule pages in rules/: found beside the package in a checkout, or in _rules/ when installed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from nexlayer_lint.rules import RULES

REPOSITORY = "https://github.com/nexlayer-lint/nexlayer-lint"


@lru_cache(maxsize=1)
def rules_dir() -> Path | None:
    package = Path(__file__).resolve().parent
    for candidate in (package / "_rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def page_name(code: str) -> str:
    rule = RULES[code]
    return f"{rule.code}-{rule.name}.md"


def rule_page(code: str) -> str | None:
    folder = rules_dir()
    if folder is None or code not in RULES:
        return None
    path = folder / page_name(code)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def rule_text(code: str) -> str:
    """The rule's page, or a title and the registry's summary when the pages are not installed."""
    rule = RULES[code]
    return rule_page(code) or f"# {code} {rule.name}\n\n{rule.summary}\n"


def rule_url(code: str) -> str:
    return f"{REPOSITORY}/blob/main/rules/{page_name(code)}"


def summary_of(code: str) -> str:
    """The first paragraph under `## What it does`, for SARIF and hovers; the registry's summary otherwise."""
    page = rule_page(code) or ""
    _, _, rest = page.partition("## What it does")
    paragraph = rest.strip().split("\n\n", 1)[0].strip()
    return " ".join(paragraph.split()) or RULES[code].summary
