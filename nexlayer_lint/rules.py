"""Every rule, by code: `RULES`, for config validation, suppressions, `nexlayer-lint rule`, SARIF
and the docs.

A check's rule is declared on its function (`@rule(...)`, checks/declare.py) and collected by
`nexlayer_lint.checks`. The rules below belong to the stages that are not checks; each stage
yields `Problem`s with these codes.
"""

from __future__ import annotations

from nexlayer_lint.checks import CHECK_RULES
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import SEVERITY_RANK, Rule

STAGE_RULES = (
    # loader.py: the file as YAML
    Rule("NX001", "yaml-syntax", "error", "the file is not parseable YAML", "loader"),
    Rule("NX002", "duplicate-key", "error", "a mapping repeats a key", "loader"),
    Rule("NX003", "multiple-documents", "error", "more than one YAML document in the file", "loader"),
    Rule("NX004", "empty-document", "error", "the file is empty, only comments, or null", "loader"),
    # suppress.py: `# nexlayer-lint:` comments
    Rule(
        "NX099",
        "unused-suppression",
        "warning",
        "a `# nexlayer-lint: disable=` comment that suppressed nothing",
        "suppress",
    ),
    # schema.py: JSON Schema validation
    Rule("NX101", "missing-key", "error", "a required key is missing", "schema"),
    Rule("NX102", "unknown-key", "warning", "a key the schema does not define", "schema"),
    Rule("NX103", "wrong-type", "error", "a value has the wrong type", "schema"),
    Rule(
        "NX104",
        "invalid-value",
        "error",
        "a value breaks a pattern, format, enum, bound, length, count or uniqueness rule",
        "schema",
    ),
    Rule("NX105", "schema-violation", "error", "any other schema rule is broken", "schema"),
    # remote_validate.py: the Nexlayer API (only with --remote)
    Rule(
        "NX900",
        "remote-unavailable",
        "warning",
        "the Nexlayer API could not be used; says what was used instead",
        "remote",
    ),
    Rule("NX901", "remote-rejected", "error", "the Nexlayer API's /validate rejected the file", "remote"),
    Rule("NX902", "remote-disagrees", "warning", "the local and remote verdicts differ", "remote"),
)

_CODE = lazy(r"NX\d{3}")
_NAME = lazy(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _registry(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    """The rules by code, in code order; a malformed or repeated declaration fails at import."""
    by_code: dict[str, Rule] = {}
    names: set[str] = set()
    for rule in rules:
        if not _CODE.fullmatch(rule.code) or not _NAME.fullmatch(rule.name):
            raise ValueError(f"rule {rule.code} {rule.name}: codes look like NX201, names like no-public-path")
        if rule.severity not in SEVERITY_RANK or not rule.summary:
            raise ValueError(f"rule {rule.code}: severity must be error, warning or info, and a summary is needed")
        if rule.code in by_code or rule.name in names:
            raise ValueError(f"rule {rule.code} {rule.name}: the code or the name is declared twice")
        by_code[rule.code] = rule
        names.add(rule.name)
    return dict(sorted(by_code.items()))


RULES: dict[str, Rule] = _registry(STAGE_RULES + CHECK_RULES)
# Codes that can be neither turned off nor downgraded: without a parse there is nothing to lint.
UNSUPPRESSIBLE = frozenset({"NX001"})
_BY_NAME = {rule.name: rule for rule in RULES.values()}


def by_name_or_code(key: str) -> Rule | None:
    """Find a rule by its code (`NX201`) or its name (`no-public-path`)."""
    key = key.strip()
    return RULES.get(key.upper()) or _BY_NAME.get(key)
