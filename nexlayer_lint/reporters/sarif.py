"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, every rule, every result.

Within GitHub's ingestion limits: beyond 25,000 results, or a log whose gzip exceeds 10 MB, the
most severe results are kept and the run's notifications say how many were left out. Paths are
relative to the repository root (`%SRCROOT%`), as code scanning resolves them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import SEVERITY_RANK, Diagnostic, FileResult, Rule, RunInfo
from nexlayer_lint.reporters._common import INFORMATION_URI, TOOL_NAME, ci_paths, fingerprints, sorted_results
from nexlayer_lint.reporters.printable import json_text
from nexlayer_lint.rules import RULES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# The key GitHub stores per alert; versioned so a change of recipe does not collide with old alerts.
FINGERPRINT_KEY = "nexlayerLint/v2"  # v2: list indexes and a whole-file finding's line 1 not hashed
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning ranks alerts by this property; "recommendation" is its name for a note.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


# GitHub code scanning rejects a run with more results, or an upload whose gzip is larger.
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10_000_000
# A finding as the log carries it: the diagnostic, its fingerprint, its path from the repository root.
_Found = tuple[Diagnostic, str, str]


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    log = build(results, run)
    text = json_text(log)
    while (size := _upload_size(text)) > MAX_GZIP_BYTES and log["runs"][0]["results"]:
        kept = len(log["runs"][0]["results"])
        # shrink in proportion (the size is close to linear in results), by a tenth at least
        log = build(results, run, min(int(kept * MAX_GZIP_BYTES / size * 0.95), kept - max(kept // 10, 1)))
        text = json_text(log)
    return text


def _upload_size(text: str) -> int:
    """The size of `text` gzip-compressed at the default level, as upload-sarif sends it; or, for
    a log too small to reach the limit however it compresses, its plain size (deflate grows data
    by 0.03% at most), which spares compressing every ordinary log."""
    raw = text.encode("utf-8")
    if len(raw) < MAX_GZIP_BYTES * 0.99:
        return len(raw)
    import zlib

    packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip format, as Node's gzipSync writes it
    return len(packer.compress(raw) + packer.flush())


def build(results: Sequence[FileResult], run: RunInfo, limit: int | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (tests validate it against the official schema), with at most
    `limit` (MAX_RESULTS) results: the most severe, in report order."""
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    ordered = sorted_results(results)
    ci_path = ci_paths()
    seen: dict[str, int] = {}
    found = [
        (diag, fingerprint, path)
        for result in ordered
        for path in (ci_path(result.path),)
        for diag, fingerprint in fingerprints(result, path, seen)
    ]
    kept = _most_severe(found, MAX_RESULTS if limit is None else limit)
    sarif_results = [_result(diag, fingerprint, path, index) for diag, fingerprint, path in kept]
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
                        "toolExecutionNotifications": [_notification(r, ci_path) for r in failures]
                        + _left_out(found, kept),
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


def _most_severe(found: list[_Found], limit: int) -> list[_Found]:
    """At most `limit` of `found`: errors first, then warnings, then notes, each in report order;
    returned in report order."""
    if len(found) <= limit:
        return found
    by_severity = sorted(range(len(found)), key=lambda i: (-SEVERITY_RANK[found[i][0].severity], i))
    return [found[i] for i in sorted(by_severity[:limit])]


def _left_out(found: list[_Found], kept: list[_Found]) -> list[dict[str, Any]]:
    if len(kept) == len(found):
        return []
    missing = {"error": 0, "warning": 0, "info": 0}
    for diag, *_ in found:
        missing[diag.severity] += 1
    for diag, *_ in kept:
        missing[diag.severity] -= 1
    counted = ", ".join(f"{n} {_LEVEL[level]}{'s' if n != 1 else ''}" for level, n in missing.items() if n)
    return [
        {
            "level": "warning",
            "descriptor": {"id": "results-left-out"},
            "message": {
                "text": f"{len(found) - len(kept)} of {len(found)} results were left out ({counted}) to stay "
                f"within GitHub code scanning's limits ({MAX_RESULTS:,} results per run, "
                f"{MAX_GZIP_BYTES / 1e6:g} MB gzip-compressed); the most severe were kept"
            },
        }
    ]


def plain_message(text: str) -> str:
    """`text` as a SARIF plain-text message: `[`, `]` and `\\` escaped with a backslash, so that
    what a file names (a key `"[Fix it](https://x)"`) is never an embedded link a viewer shows
    (SARIF 2.1.0, 3.11.6; hunt 250 F2)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _result(diag: Diagnostic, fingerprint: str, path: str, index: dict[str, int]) -> dict[str, Any]:
    text = plain_message(diag.message if not diag.hint else f"{diag.message}\nhelp: {diag.hint}")
    result: dict[str, Any] = {
        "ruleId": diag.code,
        "level": _LEVEL[diag.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(path),
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
    if diag.fix is not None:  # what --fix would do, as SARIF's proposed fix (columns in code points, as above)
        result["fixes"] = [
            {
                "description": {"text": plain_message(diag.fix.title)},
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact(path),
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": e.span.line,
                                    "startColumn": e.span.col,
                                    "endLine": e.span.end_line,
                                    "endColumn": e.span.end_col,
                                },
                                "insertedContent": {"text": e.text},
                            }
                            for e in diag.fix.edits
                        ],
                    }
                ],
                "properties": {"applicability": diag.fix.applicability},
            }
        ]
    return result


# Outside the repository on Windows a path starts with its drive; elsewhere `C:/` is a folder `C:`.
_ON_WINDOWS = os.name == "nt"
_WINDOWS_DRIVE = lazy(r"[A-Za-z]:/")


def _artifact(path: str) -> dict[str, Any]:
    """`path` (from ci_paths) as a URI: percent-encoded bytes, so a name that is not UTF-8 keeps them."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name decodes to
        raw = path.encode("utf-8", "backslashreplace")
    if path.startswith("/"):  # outside the repository: an absolute file URI, no base
        return {"uri": "file://" + quote(raw)}
    if _ON_WINDOWS and _WINDOWS_DRIVE.match(path):  # `C:/...`: file:///C:/... (not a relative `C%3A/...`)
        return {"uri": "file:///" + path[:2] + quote(raw[2:])}
    # Relative to the checkout root, which is what GitHub code scanning resolves against.
    return {"uri": quote(raw), "uriBaseId": "%SRCROOT%"}


def _notification(result: FileResult, ci_path: Callable[[str], str]) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": plain_message(result.error or "the file could not be linted")},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(ci_path(result.path))}}],
    }
