"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, every rule, every result."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from nexlayer_lint.model import Diagnostic, FileResult, Rule, RunInfo
from nexlayer_lint.rules import RULES
from nexlayer_lint.reporters._common import (
    INFORMATION_URI,
    TOOL_NAME,
    fingerprints,
    relative_posix,
    sorted_results,
)

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# The key GitHub stores per alert; versioned so a change of recipe does not collide with old alerts.
FINGERPRINT_KEY = "nexlayerLint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning ranks alerts by this property; "recommendation" is its name for a note.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    return json.dumps(build(results, run), indent=2, ensure_ascii=False) + "\n"


def build(results: Sequence[FileResult], run: RunInfo) -> dict[str, Any]:
    """The SARIF log as a dict (tests validate it against the official schema)."""
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    ordered = sorted_results(results)
    sarif_results = [
        _result(diag, fingerprint, index)
        for result in ordered
        for diag, fingerprint in fingerprints(result)
    ]
    failures = [r for r in ordered if r.error]
    schema = run.schema
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": run.tool_version,
                        "semanticVersion": run.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(RULES[code]) for code in codes],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not failures,
                        "toolExecutionNotifications": [_notification(r) for r in failures],
                    }
                ],
                # Our columns count code points, not UTF-16 units (SARIF's default).
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
                "properties": {
                    "schema": {
                        "source": schema.source,
                        "location": schema.location,
                        "version": schema.version,
                        "sha256": schema.sha256 or None,
                        "description": schema.describe(),
                    }
                },
            }
        ],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    from nexlayer_lint import docs  # the rule pages: read only when a SARIF log is written

    page = docs.rule_page(rule.code)
    full = docs.summary_of(rule.code)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": page or full, "markdown": page or full},
        "helpUri": docs.rule_url(rule.code),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.stage], "problem.severity": _PROBLEM_SEVERITY[rule.severity]},
    }


def _result(diag: Diagnostic, fingerprint: str, index: dict[str, int]) -> dict[str, Any]:
    text = diag.message if not diag.hint else f"{diag.message}\nhelp: {diag.hint}"
    result: dict[str, Any] = {
        "ruleId": diag.code,
        "level": _LEVEL[diag.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(diag.file),
                    "region": {
                        "startLine": diag.line,
                        "startColumn": diag.col,
                        "endLine": diag.end_line,
                        "endColumn": diag.end_col,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if diag.code in index:  # a code outside the registry has no rule entry to point at
        result["ruleIndex"] = index[diag.code]
    if diag.path:
        result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": diag.path, "kind": "member"}]
    return result


def _artifact(path: str) -> dict[str, Any]:
    rel = relative_posix(path)
    if rel.startswith("/"):  # outside the working tree: an absolute file URI, no base
        return {"uri": "file://" + quote(rel)}
    # Relative to the checkout root, which is what GitHub code scanning resolves against.
    return {"uri": quote(rel), "uriBaseId": "%SRCROOT%"}


def _notification(result: FileResult) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": result.error or "the file could not be linted"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.path)}}],
    }
