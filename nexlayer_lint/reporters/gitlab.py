"""GitLab Code Quality (a Code Climate subset): a JSON list of issues with stable fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from nexlayer_lint.model import FileResult, RunInfo
from nexlayer_lint.reporters._common import TOOL_NAME, ci_paths, fingerprints, sorted_results
from nexlayer_lint.reporters.printable import json_text

# GitLab's scale is info < minor < major < critical < blocker.
_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
# Without a parse nothing else was checked, which is worse than any single finding.
_UNPARSEABLE = "NX001"


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    ci_path = ci_paths()
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}  # look-alikes counted across the report
    for result in sorted_results(results):
        path = ci_path(result.path)
        if result.error:
            issues.append(
                {
                    "type": "issue",
                    "description": result.error,
                    "check_name": f"{TOOL_NAME}/file-error",
                    # GitLab keys issues by fingerprint only: keep the tool and the path in it
                    "fingerprint": hashlib.sha256(
                        f"{TOOL_NAME}\0{path}\0file-error".encode("utf-8", "surrogatepass")
                    ).hexdigest()[:32],
                    "severity": "blocker",
                    "location": {"path": path, "lines": {"begin": 1}},
                }
            )
        for diag, fingerprint in fingerprints(result, path, seen):
            issues.append(
                {
                    "type": "issue",
                    "description": f"{diag.code} {diag.message} [{diag.name}]",
                    "check_name": diag.code,
                    "fingerprint": fingerprint[:32],
                    "severity": "critical" if diag.code == _UNPARSEABLE else _SEVERITY[diag.severity],
                    "location": {"path": path, "lines": {"begin": diag.line, "end": diag.end_line}},
                }
            )
    return json_text(issues)
