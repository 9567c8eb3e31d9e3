"""How a check is declared and what it yields.

    @rule("NX207", "duplicate-pod-name", "error", "two pods share a name")
    def duplicate_pod_name(app: App) -> Iterator[Finding]:
        ...
        yield Finding(f'pod name "{name}" is already used ...', path=pod.path + ("name",), hint=...)

`@rule` turns the function into its `Rule` (code, name, default severity, summary, and the
function as `check`); `checks/__init__.py` collects every Rule of the topic modules, the registry
(`nexlayer_lint.rules`) lists them with the other stages' rules, and the engine calls each check
once per document and gives its findings the rule's code. A check yields only `Finding`s of its
own rule: anything else is reported as the check's internal error.
"""

from collections.abc import Callable, Iterable
from typing import Literal, NamedTuple

from nexlayer_lint.model import DataPath, Explains, Fix, Problem, Rule, Severity, Span


class Finding(NamedTuple):
    """A Problem without its code: the engine adds the code of the rule whose check yielded it.

    `path` names the data the finding is about, `at` whether it points at its key or its value,
    `offset` a (start, end) range inside a string value; the engine works out lines
    and columns. `severity` only when this finding differs from the rule's default. `span` only
    where a path cannot tell the place (the first value of a repeated key shares its path with
    the second): the position as the Document recorded it. `explains`: the other findings, of
    any stage, that this one is the cause of (model.Explains); the engine drops them.
    """

    message: str
    path: DataPath = ()
    hint: str | None = None
    at: Literal["key", "value"] = "value"
    offset: tuple[int, int] | None = None
    severity: Severity | None = None
    fix: Fix | None = None
    span: Span | None = None
    explains: tuple[Explains, ...] = ()

    def problem(self, code: str) -> Problem:
        return Problem(
            code,
            self.message,
            path=self.path,
            hint=self.hint,
            at=self.at,
            span=self.span,
            offset=self.offset,
            severity=self.severity,
            fix=self.fix,
            explains=self.explains,
        )


CheckFunction = Callable[..., Iterable[Finding]]


def rule(code: str, name: str, severity: Severity, summary: str) -> Callable[[CheckFunction], Rule]:
    """Declare the rule the decorated function checks. The registry validates the declaration
    (code format, unique code and name, known severity) when it is imported."""

    def declare(check: CheckFunction) -> Rule:
        return Rule(code, name, severity, summary, "check", check)

    return declare
