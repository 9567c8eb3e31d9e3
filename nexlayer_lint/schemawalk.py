"""Walking a JSON Schema as data: its local `$ref`s, its depth, and where its patterns are.

The one `$ref` resolver of our own code (the quick verdict and the language server's hover use
it; jsonschema resolves with `referencing`). Only local references are followed: `#` and JSON
pointers `#/...` that stay in the root's resource (pass no `$id`); anything else resolves to None
and the caller decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Keywords whose value is a subschema, a list of them, or a mapping of names to them, in any draft
# from 4 to 2020-12. Only these are walked for patterns: `enum`, `const`, `default`, `examples`
# and vendor keywords (our `x-messages` has a "pattern" key) hold data, which nothing searches.
_ONE = (
    "additionalProperties",
    "additionalItems",
    "items",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_NAMED = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies")


def resolve(root: Any, ref: Any) -> Any | None:
    """The subschema that a local `$ref` names inside `root`, or None when it names none there."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    pointer = ref[1:]
    if "%" in pointer:
        from urllib.parse import unquote  # a URI fragment may escape characters; rare

        pointer = unquote(pointer)
    if pointer and not pointer.startswith("/"):
        return None  # a named anchor, which this resolver does not follow
    node = root
    for part in pointer.split("/")[1:] if pointer else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        # ASCII digits, few enough for int(): isdigit() is also true of "²", which int() refuses
        elif isinstance(node, list) and part.isascii() and part.isdigit() and len(part) < 10 and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
        if isinstance(node, dict) and (isinstance(node.get("$id"), str) or isinstance(node.get("id"), str)):
            # an embedded resource: the `$ref`s in it resolve against its own `$id`, not `root`
            # (draft 4 spells it `id`); jsonschema follows those
            return None
    return node


def deeper_than(value: Any, limit: int) -> bool:
    """Whether JSON `value` nests mappings and lists more than `limit` levels deep (iteratively)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def subschemas(node: dict) -> Iterator[tuple[str, Any]]:
    """Each subschema directly inside schema `node`, with its JSON pointer relative to `node`."""
    for keyword in _ONE:
        if isinstance(node.get(keyword), (dict, bool)):
            yield f"/{_escape(keyword)}", node[keyword]
    for keyword in _MANY:
        if isinstance(node.get(keyword), list):
            for index, sub in enumerate(node[keyword]):
                yield f"/{keyword}/{index}", sub
    for keyword in _NAMED:
        if isinstance(node.get(keyword), dict):
            for name, sub in node[keyword].items():
                if isinstance(sub, (dict, bool)):
                    yield f"/{_escape(keyword)}/{_escape(str(name))}", sub


def nodes(schema: Any) -> Iterator[tuple[str, Any]]:
    """Every subschema of `schema` (itself first) with its JSON pointer, in document order."""
    stack = [("", schema)]
    while stack:
        where, node = stack.pop()
        yield where, node
        if isinstance(node, dict):
            stack.extend((where + pointer, sub) for pointer, sub in reversed(list(subschemas(node))))


def patterns(schema: Any) -> Iterator[tuple[str, str]]:
    """Every (JSON pointer, pattern) of a schema: `pattern` values and `patternProperties` names."""
    for where, node in nodes(schema):
        if isinstance(node, dict) and isinstance(node.get("pattern"), str):
            yield f"{where}/pattern", node["pattern"]
        if isinstance(node, dict) and isinstance(node.get("patternProperties"), dict):
            for name in node["patternProperties"]:
                yield f"{where}/patternProperties/{_escape(str(name))}", name


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
