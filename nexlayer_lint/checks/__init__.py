"""Semantic checks: the mistakes no schema can see. Each yields Problems, never positions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nexlayer_lint.checks import credentials, images, pods, references, registry, routing, storage, vars, yaml11
from nexlayer_lint.model import Document, Problem

Check = Callable[[Document], Iterable[Problem]]

# In code order; the engine sorts the diagnostics anyway.
CHECKS: tuple[Check, ...] = (
    *yaml11.CHECKS,       # NX005
    *routing.CHECKS,      # NX201, NX210
    *storage.CHECKS,      # NX202, NX211, NX212
    *registry.CHECKS,     # NX203, NX204, NX206, NX205
    *pods.CHECKS,         # NX207
    *references.CHECKS,   # NX208, NX209
    *credentials.CHECKS,  # NX213, NX214
    *images.CHECKS,       # NX215, NX217
    *vars.CHECKS,         # NX216
)


def run(doc: Document, checks: Iterable[Check] = CHECKS) -> list[Problem]:
    """Every check's problems. A crashing check raises: the engine reports it as an internal error."""
    problems: list[Problem] = []
    for check in checks:
        problems.extend(check(doc))
    return problems
