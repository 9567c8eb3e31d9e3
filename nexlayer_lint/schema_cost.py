"""How many subschemas a schema applies to one value of the data, at worst: a schema we did not
write (a served `/schema`, a file) is refused when checking one value would take too many.

jsonschema (and quickvalid's code) check a value against every subschema that applies to it:
the schema itself and, in place, its `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
`dependentSchemas`, `$ref` targets, each with its own; then, one level down, the
values of its `properties`, `patternProperties`, `additionalProperties`, `items`... against theirs.
`allOf: [{$ref: next}, {$ref: next}]` forty levels deep applies 2**40 subschemas to one value
(hunt 35 F1), and `additionalProperties: {allOf: [{$ref: "#"}, {$ref: "#"}]}` doubles them at
each level of the data (hunt 36 F2): either hangs every run that loads such a schema.

The walk follows the data as a schema sees it, level by level: a level's state is the count of
each subschema applied to a value there (a multiset); the next level's, for each kind of key
(each property name the schema names, any other name, an item), is what those subschemas apply
to a value under that key. A state seen before is not walked again (a recursive schema whose
counts stay the same ends there), nor a level deeper than the data may nest. Counting one kind
of key at a time, a tree of distinct `properties` is one subschema per value (hunt 36 F8), not
the sum of its branches. The walk itself is bounded (MAX_WORK): a schema whose states are too
many to walk (`allOf` of N mixins, each a different subset under each key: hunt 37 F3) is
refused too. Keywords whose cost this cannot count (`unevaluatedProperties`, `$dynamicRef`...)
are refused before (schema.py's _COSTLY_KEYWORDS).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from nexlayer_lint.builder import MAX_DEPTH

# Subschemas applied to one value: the bundled schema applies a few dozen at most.
MAX_APPLIED = 1000
# What checking one value goes through: each applied subschema and its properties' names
# (`allOf` of 100 `$ref`s to 10,000 properties: a million, 15 s and 1.8 GB: hunt 38 F4).
MAX_WEIGHT = 100_000
# The walk's own work: subschemas counted over all the states walked (a state: the subschemas
# applied at one level, under one kind of key). The bundled schema's walk is a few hundred.
MAX_WORK = 1_000_000

_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("not", "if", "then", "else")
_OTHER_KEY = object()  # a property name no subschema of the state names


class TooCostly(Exception):
    """Why checking a value against the schema would not end in time."""


def check_cost(root: Any, resolve: Callable[[Any, str], Any]) -> None:
    """TooCostly if some value of some data would be checked against more than MAX_APPLIED
    subschemas (or MAX_WEIGHT subschemas and property names). `resolve(node, ref)` is the
    subschema the `$ref` of `node` names."""
    expanded: dict[int, Counter[int]] = {}  # a subschema -> what it applies in place, itself too
    nodes: dict[int, Any] = {id(root): root}

    def in_place(node: Any, open_now: frozenset[int] = frozenset()) -> Counter[int]:
        key = id(node)
        found = expanded.get(key)
        if found is not None:
            return found
        if key in open_now:
            raise TooCostly("its subschemas apply each other in place without end (a loop of allOf or $ref)")
        found = Counter({key: 1})
        for child in _in_place_children(node, resolve):
            nodes.setdefault(id(child), child)
            found.update(in_place(child, open_now | {key}))
            if found.total() > MAX_APPLIED:
                raise TooCostly(f"it applies more than {MAX_APPLIED:,} subschemas to one value")
        expanded[key] = found
        return found

    def weigh(state: Counter[int]) -> None:
        if sum(count * _weight(nodes[key]) for key, count in state.items()) > MAX_WEIGHT:
            raise TooCostly(f"checking one value goes through more than {MAX_WEIGHT:,} subschemas and property names")

    first = in_place(root)
    weigh(first)
    seen: set[frozenset[tuple[int, int]]] = {frozenset(first.items())}
    level: list[Counter[int]] = [first]
    work = 0
    for _ in range(MAX_DEPTH):  # no value of the data is deeper
        following: list[Counter[int]] = []
        for state in level:
            for children in _by_kind_of_key([nodes[key] for key in state], state):
                applied: Counter[int] = Counter()
                for child, times in children:
                    nodes.setdefault(id(child), child)
                    for key, count in in_place(child).items():
                        applied[key] += count * times
                if applied.total() > MAX_APPLIED:
                    raise TooCostly(f"it applies more than {MAX_APPLIED:,} subschemas to one value of nested data")
                work += len(state) + len(children) + len(applied)
                if work > MAX_WORK:
                    raise TooCostly("its subschemas combine in too many ways to count what checking costs")
                frozen = frozenset(applied.items())
                if applied and frozen not in seen:
                    weigh(applied)
                    seen.add(frozen)
                    following.append(applied)
        if not following:
            return
        level = following


def _in_place_children(node: Any, resolve: Callable[[Any, str], Any]) -> Iterator[Any]:
    if not isinstance(node, dict):
        return
    if isinstance(node.get("$ref"), str):
        yield resolve(node, node["$ref"])
    for keyword in _IN_PLACE_LISTS:
        if isinstance(node.get(keyword), list):
            yield from node[keyword]
    for keyword in _IN_PLACE_ONE:
        if keyword in node:
            yield node[keyword]
    for keyword in ("dependentSchemas", "dependencies"):  # draft-07's dependencies may be lists of names
        if isinstance(node.get(keyword), dict):
            yield from (sub for sub in node[keyword].values() if isinstance(sub, (dict, bool)))


def _by_kind_of_key(subschemas: list[Any], counts: Counter[int]) -> Iterator[list[tuple[Any, int]]]:
    """For each kind of key a value may have (each named property, any other name, each of the
    first items an array's `prefixItems` name, any other item), the subschemas that apply to the
    value under it, with how many times. Conservative: every `patternProperties` subschema
    applies to every name (patterns are not matched here)."""
    dicts = [node for node in subschemas if isinstance(node, dict)]
    names = {name for node in dicts for name in _properties(node)}
    for name in [*names, _OTHER_KEY]:
        children: list[tuple[Any, int]] = []
        for node in dicts:
            times = counts[id(node)]
            properties = _properties(node)
            if name is not _OTHER_KEY and name in properties:
                children.append((properties[name], times))
            elif "additionalProperties" in node:
                children.append((node["additionalProperties"], times))
            if isinstance(node.get("patternProperties"), dict):
                children.extend((sub, times) for sub in node["patternProperties"].values())
            if "propertyNames" in node:
                children.append((node["propertyNames"], times))
        yield children
    firsts = max((len(_prefix(node)) for node in dicts), default=0)
    for index in [*range(firsts), None]:  # None: an item after them
        items: list[tuple[Any, int]] = []
        for node in dicts:
            times = counts[id(node)]
            prefix = _prefix(node)
            if index is not None and index < len(prefix):
                items.append((prefix[index], times))
            else:
                rest = node.get("additionalItems") if isinstance(node.get("items"), list) else node.get("items")
                if rest is not None:
                    items.append((rest, times))
            if "contains" in node:
                items.append((node["contains"], times))
        yield items


def _prefix(node: dict) -> list:
    """The subschemas of an array's first items: `prefixItems`, or draft-07's list of `items`."""
    for keyword in ("prefixItems", "items"):
        if isinstance(node.get(keyword), list):
            return node[keyword]
    return []


def _weight(node: Any) -> int:
    if not isinstance(node, dict):
        return 1
    return 1 + len(_properties(node)) + len(node.get("patternProperties") or ())


def _properties(node: dict) -> dict:
    properties = node.get("properties")
    return properties if isinstance(properties, dict) else {}
