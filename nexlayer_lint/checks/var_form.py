"""The form of `vars`: a mapping, not a list of `{key, value}` items (NX216)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.common import pods
from nexlayer_lint.model import Document, Problem


def vars_list_form(doc: Document) -> Iterator[Problem]:
    """NX216: the 2025 docs call the list form incorrect; the 2026 pipeline writes it. Both deploy."""
    for pod in pods(doc):
        items = pod.data.get("vars")
        if not isinstance(items, list):
            continue
        first = next((item.get("key") for item in items
                      if isinstance(item, dict) and isinstance(item.get("key"), str)), None)
        example = f" (`{first}: <value>` instead of `- key: {first}`)" if first else ""
        yield Problem(
            "NX216",
            f'vars of pod "{pod.name}" is a list of key/value items; the documented form is a mapping',
            path=pod.path + ("vars",), at="key",
            hint=f"write each var as NAME: value under vars{example}",
        )


CHECKS = (vars_list_form,)
