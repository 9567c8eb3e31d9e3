"""The form of `vars`: a mapping, not a list of `{key, value}` items (NX216)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.declare import Finding, rule


@rule("NX216", "vars-list-form", "warning", "`vars` is a list of `{key, value}` instead of a mapping")
def vars_list_form(app: App) -> Iterator[Finding]:
    """The 2025 docs call the list form incorrect; the 2026 pipeline writes it. Both deploy."""
    for pod in app.pods:
        items = pod.data.get("vars")
        if not isinstance(items, list):
            continue
        first = next((item.get("key") for item in items
                      if isinstance(item, dict) and isinstance(item.get("key"), str)), None)
        example = f" (`{first}: <value>` instead of `- key: {first}`)" if first else ""
        yield Finding(
            f'vars of pod "{pod.name}" is a list of key/value items; the documented form is a mapping',
            path=pod.path + ("vars",), at="key",
            hint=f"write each var as NAME: value under vars{example}",
        )
