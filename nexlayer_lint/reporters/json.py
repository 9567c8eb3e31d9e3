"""JSON: one document with the tool, the schema used, every file's diagnostics and a summary.

Paths are as given on the command line (or found under it), not made relative to the repository.
"""

from __future__ import annotations

from collections.abc import Sequence

from nexlayer_lint.model import Diagnostic, FileResult, RunInfo
from nexlayer_lint.reporters._common import counts, sorted_results
from nexlayer_lint.reporters.printable import json_text


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    schema = run.schema
    document = {
        "version": 1,
        "tool": {"name": "nexlayer-lint", "version": run.tool_version},
        "schema": {
            "source": schema.source,
            "location": schema.location,
            "version": schema.version,
            "sha256": schema.sha256 or None,
        },
        "files": [
            {"path": result.path, "error": result.error, "diagnostics": [_diagnostic(d) for d in result.diagnostics]}
            for result in sorted_results(results)
        ],
        "summary": {"files": len(results), **counts(results)},
    }
    return json_text(document)


def _diagnostic(d: Diagnostic) -> dict:
    out = d._asdict()
    if d.fix is not None:  # an object, not the named tuples' nested lists
        out["fix"] = {
            "title": d.fix.title,
            "applicability": d.fix.applicability,
            "edits": [{**edit.span._asdict(), "text": edit.text} for edit in d.fix.edits],
        }
    return out
