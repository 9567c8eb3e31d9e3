"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
and first a notice when GitHub will not show them all.

Paths are relative to the repository root, as annotations need them to land on the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from nexlayer_lint.model import Diagnostic, FileResult, RunInfo
from nexlayer_lint.reporters._common import ci_paths, sorted_results
from nexlayer_lint.reporters.printable import printable

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message part: GitHub decodes %25, %0D and %0A (so `%` must go first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property: as data, plus `:` and `,`, which would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    """One workflow command. The values and the message are made printable first (a control
    character, even escaped as GitHub decodes it, has no place in an annotation); the only line
    breaks left are the ones the caller put between parts of the message."""
    props = ",".join(f"{key}={escape_property(printable(str(value)))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def _annotation(diag: Diagnostic, ci_path: Callable[[str], str]) -> str:
    props: dict[str, object] = {"file": ci_path(diag.file), "line": diag.line, "endLine": diag.end_line}
    # GitHub only honours columns when the annotation starts and ends on one line.
    if diag.end_line == diag.line:
        props.update(col=diag.col, endColumn=diag.end_col)
    props["title"] = f"{diag.code} {diag.name}"
    message = printable(diag.message) if not diag.hint else f"{printable(diag.message)}\nhelp: {printable(diag.hint)}"
    return command(_COMMAND[diag.severity], props, message)


# GitHub keeps this many annotations of each kind (error, warning, notice) per step, and drops
# the rest without a word (actions/toolkit, docs/problem-matchers.md, "Limitations").
SHOWN_PER_KIND = 10


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    ci_path = ci_paths()
    lines: list[str] = []
    counts = Counter(_COMMAND[d.severity] for result in results for d in result.diagnostics)
    counts["error"] += sum(1 for result in results if result.error)
    if any(count > SHOWN_PER_KIND for count in counts.values()):
        # first, so it is a kept notice itself: a finding past the limit would be missing from
        # the pull request with nothing to say so (hunt 268 F3)
        kinds = [kind for kind in ("error", "warning", "notice") if counts[kind]]
        said = ", ".join(f"{counts[kind]} {kind}{'s' if counts[kind] != 1 else ''}" for kind in kinds)
        lines.append(
            command(
                "notice",
                {"title": "nexlayer-lint"},
                f"{said}: GitHub shows the first {SHOWN_PER_KIND} annotations of each kind per step,"
                " this notice among them; every finding is in this step's log",  # (it counts itself: hunt 271 F7)
            )
        )
    for result in sorted_results(results):
        if result.error:
            lines.append(
                command("error", {"file": ci_path(result.path), "title": "nexlayer-lint"}, printable(result.error))
            )
        lines.extend(_annotation(diag, ci_path) for diag in result.diagnostics)
    return "".join(line + "\n" for line in lines)
