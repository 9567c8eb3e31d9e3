"""Text for people: `path:line:col: severity CODE message [name]`, then `help: hint`."""

from __future__ import annotations

from collections.abc import Sequence

from nexlayer_lint.model import FileResult, RunInfo


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    out: list[str] = []
    for result in results:
        for d in result.diagnostics:
            out.append(f"{d.file}:{d.line}:{d.col}: {d.severity} {d.code} {d.message} [{d.name}]")
            if d.hint:
                out.append(f"  help: {d.hint}")
    return "\n".join(out) + ("\n" if out else "")
