"""vars: their form, a mapping rather than a list of `{key, value}` items (NX216), their
names, which a shell can read (NX219), and a name set twice in the list form (NX220)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from nexlayer_lint.checks.app import App, Pod
from nexlayer_lint.checks.common import on_line
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.edits import before, line_text, own, scalar_text, text_at
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Edit, Fix, Span
from nexlayer_lint.secrets import overlaps

# What Kubernetes accepts (before 1.34's relaxed names; not `.`, `..` nor `..x`: hunt 209 F1), as
# the schema's varName: anything else is the schema's error.
_KUBERNETES_NAME = lazy(r"(?:[-_a-zA-Z]|\.[-_a-zA-Z0-9])[-._a-zA-Z0-9]*")
# What a POSIX shell can name: `$my.var` cannot be written, and some shells drop such names.
_SHELL_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*")


@rule("NX216", "vars-list-form", "warning", "`vars` is a list of `{key, value}` instead of a mapping")
def vars_list_form(app: App) -> Iterator[Finding]:
    """The 2025 docs call the list form incorrect; the 2026 pipeline writes it. Both deploy."""
    layout: _Layout | None = None
    for pod in app.pods:
        items = pod.data.get("vars")
        if not isinstance(items, list):
            continue
        first = next(
            (j for j, item in enumerate(items) if isinstance(item, dict) and isinstance(item.get("key"), str)), None
        )
        example = ""
        if first is not None:
            name = _written_name(app.doc, pod.path + ("vars", first, "key"), items[first]["key"])
            example = f" (`{name}: <value>` instead of `- key: {name}`)"
        layout = layout or _Layout.of(app.doc)
        # what the list holds, as written (`[]`, `- NODE_ENV=production`: no key/value items)
        holds = "a list of key/value items" if any(isinstance(item, dict) for item in items) else "a list"
        yield Finding(
            f'vars of pod "{pod.name}" is {holds}; the documented form is a mapping',
            path=pod.path + ("vars",),
            at="key",
            hint=f"write each var as NAME: value under vars{example}",
            fix=_as_mapping(app.doc, pod, layout),
        )


class _Layout(NamedTuple):
    """What the fixes read of a whole file, worked out once for all its pods."""

    comments: dict[int, int]  # line -> the column of the comment that ends it (not one alone on its line)
    repeated: frozenset[DataPath]  # the pods' `vars` paths with a repeated key's earlier value in them

    @classmethod
    def of(cls, doc: Document) -> _Layout:
        return cls(
            {c.line: c.col for c in doc.comments if not c.own_line},
            frozenset(where[:4] for where, _ in doc.unheld if where[3:4] == ("vars",)),
        )


def _written_name(doc: Document, path: DataPath, name: str) -> str:
    """A var's name as the file writes it, quotes included (`"on"` is no boolean key); the name
    itself when the text has more (an anchor, a tag) or is not on one line."""
    text = doc.source_of(path)
    return text if text and text[0] not in "&!" else name


def _simple_items(items: list) -> bool:
    """Items of the list form `- key: NAME` / `value: ...` that a fix can rewrite: mappings of those
    two keys only, the name a string, no name twice."""
    return all(
        isinstance(item, dict) and set(item) == {"key", "value"} and isinstance(item["key"], str) for item in items
    ) and len({item["key"] for item in items}) == len(items)


def _as_mapping(doc: Document, pod: Pod, layout: _Layout) -> Fix | None:
    """vars as a mapping: each item's `- key: NAME` and `value:` become `NAME:`, its value
    untouched where it is (its quoting, and any comment after it). A comment after the name
    stays on a line of its own above. The edits never hold a value (it may be a secret), only
    names, indentation and punctuation. None when an item is written in a way these edits cannot
    follow (a flow item in a block list, a name over several lines, a repeated key, a list in
    flow style over several lines)."""
    path = pod.path + ("vars",)
    items = pod.data.get("vars")
    located = own(doc, path)
    if not isinstance(items, list) or not _simple_items(items) or located is None or located.key is None:
        return None
    if path in layout.repeated:
        return None  # a repeated key's earlier value: its lines would be left in the mapping
    if text_at(doc, located.value).startswith("["):
        edits = _flow_edits(doc, path, located.value, len(items))
    else:
        edits = _block_edits(doc, path, located.key.col, len(items), layout.comments)
    return Fix("Write vars as a mapping", tuple(edits), "safe") if edits else None


def _block_edits(
    doc: Document, path: DataPath, vars_col: int, count: int, comments: dict[int, int]
) -> list[Edit] | None:
    edits: list[Edit] = []
    indents = set()
    for k in range(count):
        item = path + (k,)
        key, value, name = own(doc, item + ("key",)), own(doc, item + ("value",)), scalar_text(doc, item + ("key",))
        if key is None or value is None or name is None or key.key is None or value.key is None:
            return None
        name_span, name_text = name
        if name_span.line != key.key.line or value.style is None or len(name_text) > 1000:
            return None
        if value.style in ("|", ">") and any(ch.isdigit() for ch in text_at(doc, value.value)[:3]):
            return None  # an indentation indicator counts from the mapping's indentation, which changes
        first, second = sorted((key.key, value.key))
        prefix = before(doc, first.line, first.col)
        if first.line == second.line or not _ITEM.fullmatch(prefix) or before(doc, second.line, second.col).strip():
            return None
        dash = prefix.index("-") + 1
        indent = dash - 1 if dash > vars_col else len(prefix)
        indents.add(indent)
        # what is after the name: nothing, or a comment
        after = line_text(doc, name_span.line)[name_span.end_col - 1 :]
        comment = comments.get(name_span.line)
        if after.strip() and (comment is None or after[: comment - name_span.end_col].strip()):
            return None
        # the `value` key becomes the name, at the mapping's indentation
        name_edit = Edit(Span(value.key.line, 1, value.key.line, value.key.end_col), " " * indent + name_text)
        # the line of the name goes, or keeps only its comment, above the var: below it, a
        # directive would govern the next var (hunt 90 F1: `value:` written before `key:`)
        if comment is not None and key.key.line > value.key.line:
            moved = line_text(doc, key.key.line)[comment - 1 :]
            if overlaps(doc, Span(key.key.line, comment, key.key.line, comment + len(moved))):
                return None  # the edit would write out a secret the comment holds (hunt 147 F2)
            above = " " * indent + moved + "\n"
            edits += [name_edit._replace(text=above + name_edit.text), _delete_line(doc, key.key.line)]
        elif comment is not None:
            edits += [name_edit, Edit(Span(key.key.line, 1, key.key.line, comment), " " * indent)]
        else:
            edits += [name_edit, _delete_line(doc, key.key.line)]
    return edits if len(indents) == 1 else None


_ITEM = lazy(r" *- +")


def _delete_line(doc: Document, line: int) -> Edit:
    """The edit that removes a line and its line break (the one before it, on the last line)."""
    if line < len(doc.lines) or doc.text.endswith(("\n", "\r")):
        return Edit(Span(line, 1, line + 1, 1), "")
    return Edit(Span(line - 1, len(line_text(doc, line - 1)) + 1, line, len(line_text(doc, line)) + 1), "")


def _flow_edits(doc: Document, path: DataPath, span: Span, count: int) -> list[Edit] | None:
    """`[{key: A, value: b}, ...]` on one line -> `{A: b, ...}`."""
    text = text_at(doc, span)
    if span.line != span.end_line or not text.endswith("]"):
        return None
    edits = [Edit(span._replace(end_col=span.col + 1), "{")]
    for k in range(count):
        item = own(doc, path + (k,))
        name, value = scalar_text(doc, path + (k, "key")), own(doc, path + (k, "value"))
        if item is None or name is None or value is None or value.style is None:
            return None
        order = list(doc.get(*path, k))
        if order[0] != "key" or text_at(doc, item.value)[:1] != "{" or text_at(doc, item.value)[-1:] != "}":
            return None
        end = item.value.end_col - 1  # the item's `}`
        if text_at(doc, Span(span.line, value.value.end_col, span.line, end)).strip():
            return None
        edits.append(Edit(Span(span.line, item.value.col, span.line, value.value.col), f"{name[1]}: "))
        edits.append(Edit(Span(span.line, value.value.end_col, span.line, end + 1), ""))
    edits.append(Edit(span._replace(col=span.end_col - 1), "}"))
    return edits


@rule(
    "NX219",
    "var-name-not-portable",
    "warning",
    "a var name Kubernetes accepts but a shell cannot read, such as `my.var`",
)
def var_name_not_portable(app: App) -> Iterator[Finding]:
    """Kubernetes passes `my.var` or `my-var` to the container, but a shell cannot write `$my.var`,
    and some shells drop such names from the environment they pass on."""
    for pod in app.pods:
        for var in pod.vars:
            name = var.name
            if not isinstance(name, str) or not _KUBERNETES_NAME.fullmatch(name) or _SHELL_NAME.fullmatch(name):
                continue
            # the name's own place: a mapping key, or the `key` of a `- key: ... value: ...` item
            at: Literal["key", "value"]
            path, at = (var.path[:-1] + ("key",), "value") if var.path[-1] == "value" else (var.path, "key")
            better = re.sub(r"[^A-Za-z0-9_]", "_", name)
            better = better if _SHELL_NAME.fullmatch(better) else f"_{better}"
            yield Finding(
                f'var name "{name}" of pod "{pod.name}" is not a shell variable name; a shell cannot read it '
                f"as ${name}, and some shells drop it from the environment",
                path=path,
                at=at,
                hint=f"fine when the program reads its environment itself (as Java and OpenSearch do with "
                f'"discovery.type"); if a shell or an entrypoint script reads it, name it "{better}"',
            )


@rule("NX220", "duplicate-var", "error", "a pod's list of vars sets one name twice")
def duplicate_var(app: App) -> Iterator[Finding]:
    """Nexlayer refuses `duplicate environment variable`; Kubernetes would take the last value.
    In the mapping form a repeated name is a repeated key (NX002)."""
    for pod in app.pods:
        if not isinstance(pod.data.get("vars"), list):
            continue
        first: dict[str, DataPath] = {}
        for var in pod.vars:
            if not isinstance(var.name, str):
                continue
            # the name's own place: a `key:` item's value, or a `- NAME: value` item's key
            named_by_key = var.path[-1] == "value"
            where = var.path[:-1] + ("key",) if named_by_key else var.path
            if var.name not in first:
                first[var.name] = where
                continue
            at: Literal["key", "value"] = "value" if named_by_key else "key"
            yield Finding(
                f'var "{var.name}" of pod "{pod.name}" is already set {on_line(app.doc, first[var.name], where, at)}',
                path=where,
                at=at,
                hint="remove one of them: Nexlayer refuses a duplicate environment variable",
            )
