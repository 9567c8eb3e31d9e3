"""vars: their form, a mapping rather than a list of `{key, value}` items (NX216), and their
names, which a shell can read (NX219)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.declare import Finding, rule

# What Kubernetes accepts (before 1.34's relaxed names): anything else is the schema's error.
_KUBERNETES_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
# What a POSIX shell can name: `$my.var` cannot be written, and some shells drop such names.
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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


@rule("NX219", "var-name-not-portable", "warning",
      "a var name Kubernetes accepts but a shell cannot read, such as `my.var`")
def var_name_not_portable(app: App) -> Iterator[Finding]:
    """Kubernetes passes `my.var` or `my-var` to the container, but a shell cannot write `$my.var`,
    and some shells drop such names from the environment they pass on."""
    for pod in app.pods:
        for var in pod.vars:
            name = var.name
            if not isinstance(name, str) or not _KUBERNETES_NAME.fullmatch(name) or _SHELL_NAME.fullmatch(name):
                continue
            # the name's own place: a mapping key, or the `key` of a `- key: ... value: ...` item
            path, at = (var.path[:-1] + ("key",), "value") if var.path[-1] == "value" else (var.path, "key")
            better = re.sub(r"[^A-Za-z0-9_]", "_", name)
            better = better if _SHELL_NAME.fullmatch(better) else f"_{better}"
            yield Finding(
                f'var name "{name}" of pod "{pod.name}" is not a shell variable name; a shell cannot read it '
                f"as ${name}, and some shells drop it from the environment",
                path=path, at=at,
                hint=f'fine when the program reads its environment itself (as Java and OpenSearch do with '
                     f'"discovery.type"); if a shell or an entrypoint script reads it, name it "{better}"',
            )
