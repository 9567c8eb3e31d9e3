"""Semantic checks: the mistakes no schema can see, one module per topic.

Each check is a function declared with `@rule(...)` (checks/declare.py) in its topic module; it
reads the document's `App` (checks/app.py) and yields `Finding`s. This package collects every
declared rule of the topic modules below into `CHECK_RULES`.
"""

from __future__ import annotations

from types import ModuleType

from nexlayer_lint.checks import credentials, images, pods, references, routing, storage, templates, var_form, yaml11
from nexlayer_lint.model import Rule

# The topic modules. A new rule in one of them needs nothing here; a new topic module is added here.
TOPICS: tuple[ModuleType, ...] = (
    credentials,
    images,
    pods,
    references,
    routing,
    storage,
    templates,
    var_form,
    yaml11,
)


def declared_rules(modules: tuple[ModuleType, ...]) -> tuple[Rule, ...]:
    """Every Rule the modules declare (a module's names bound to a Rule), in code order."""
    found: dict[str, Rule] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, Rule) and found.setdefault(value.code, value) is not value:
                raise ValueError(f"{value.code} is declared twice, in {module.__name__} and elsewhere")
    return tuple(found[code] for code in sorted(found))


CHECK_RULES = declared_rules(TOPICS)
