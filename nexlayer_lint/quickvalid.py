"""Is this data valid? An exact yes/no for simple schemas, so a valid file never imports jsonschema.

Importing jsonschema costs more than everything else a one-file run does. Most files are valid,
and for those the answer is all we need: the errors, their wording and their places always come
from jsonschema (schema.py), which runs whenever the answer here is not a plain yes. So this is
only a verdict, and it must never say "valid" where jsonschema would not: a schema with any
keyword it does not know gets no quick check at all (`compile_quick` returns None), and data it
cannot judge exactly (say, a list of mappings under uniqueItems) counts as "not sure".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# The drafts whose keywords below mean what this module does (2020-12 is also schema.py's default).
DRAFTS = frozenset({None, "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#"})
# Keywords that never make data invalid (annotations, and $defs, which is only reached by $ref).
_ANNOTATIONS = frozenset({
    "$schema", "$id", "$defs", "definitions", "$comment", "$anchor", "title", "description", "default",
    "examples", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
})


class Unsupported(Exception):
    """The schema uses something this module does not judge; jsonschema does it all."""


class _NotSure(Exception):
    """This data cannot be judged exactly here; let jsonschema decide."""


def compile_quick(schema: Any) -> Check | None:
    """A function data -> True when `schema` surely accepts it; None when the schema is not simple."""
    if isinstance(schema, dict) and schema.get("$schema") not in DRAFTS:
        return None
    try:
        check = _Compiler(schema).compile(schema)
    except (Unsupported, re.error, RecursionError):
        return None

    def is_surely_valid(instance: Any) -> bool:
        try:
            return check(instance)
        except (_NotSure, RecursionError):
            return False

    return is_surely_valid


def _is_integer(x: Any) -> bool:
    # as jsonschema's draft 6+ type checker: 1.0 is an integer, true is not
    return (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())


_TYPES: dict[str, Check] = {
    "string": lambda x: isinstance(x, str),
    "integer": _is_integer,
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "boolean": lambda x: isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "null": lambda x: x is None,
}


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _scalar_key(x: Any) -> tuple[str, Any]:
    """A value as JSON equality sees it (true is not 1, 1 is 1.0); containers and NaN: not sure."""
    if isinstance(x, bool):
        return ("bool", x)
    if isinstance(x, (int, float)):
        if x != x:  # NaN equals nothing, not even itself
            raise _NotSure
        return ("number", x)
    if isinstance(x, str) or x is None:
        return ("str" if x is not None else "null", x)
    raise _NotSure


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, node: Any) -> Check:
        if node is True:
            return lambda x: True
        if node is False:
            return lambda x: False
        if not isinstance(node, dict):
            raise Unsupported(f"a schema is a mapping or a boolean, not {type(node).__name__}")
        checks: list[Check] = []
        for keyword, value in node.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-"):
                if keyword == "$id" and node is not self.root:
                    raise Unsupported("a nested $id changes what $ref means")
                continue
            method = getattr(self, "k_" + keyword.replace("$", "_"), None)
            if method is None:
                raise Unsupported(keyword)
            checks.append(method(value, node))
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(check(x) for check in checks)

    # --- keywords ------------------------------------------------------------------------------

    def k_type(self, value: Any, node: dict) -> Check:
        names = value if isinstance(value, list) else [value]
        tests = [_TYPES[name] for name in names if isinstance(name, str) and name in _TYPES]
        if len(tests) != len(names):
            raise Unsupported(f"type {value!r}")
        return lambda x: any(test(x) for test in tests)

    def k_properties(self, value: Any, node: dict) -> Check:
        subs = [(name, self.compile(sub)) for name, sub in value.items()]
        return lambda x: not isinstance(x, dict) or all(check(x[name]) for name, check in subs if name in x)

    def k_additionalProperties(self, value: Any, node: dict) -> Check:
        if "patternProperties" in node:
            raise Unsupported("patternProperties")
        known = frozenset(node.get("properties", ()))
        if value is False:
            return lambda x: not isinstance(x, dict) or all(key in known for key in x)
        sub = self.compile(value)
        return lambda x: not isinstance(x, dict) or all(sub(v) for key, v in x.items() if key not in known)

    def k_required(self, value: Any, node: dict) -> Check:
        names = list(value)
        return lambda x: not isinstance(x, dict) or all(name in x for name in names)

    def k_items(self, value: Any, node: dict) -> Check:
        if "prefixItems" in node or not isinstance(value, (dict, bool)):
            raise Unsupported("prefixItems or an items list")
        sub = self.compile(value)
        return lambda x: not isinstance(x, list) or all(sub(item) for item in x)

    def k_anyOf(self, value: Any, node: dict) -> Check:
        subs = [self.compile(sub) for sub in value]
        return lambda x: any(sub(x) for sub in subs)

    def k_allOf(self, value: Any, node: dict) -> Check:
        subs = [self.compile(sub) for sub in value]
        return lambda x: all(sub(x) for sub in subs)

    def k_oneOf(self, value: Any, node: dict) -> Check:
        subs = [self.compile(sub) for sub in value]
        return lambda x: sum(1 for sub in subs if sub(x)) == 1

    def k_not(self, value: Any, node: dict) -> Check:
        sub = self.compile(value)
        return lambda x: not sub(x)

    def k_pattern(self, value: Any, node: dict) -> Check:
        search = re.compile(value).search  # jsonschema searches, it does not match the whole value
        return lambda x: not isinstance(x, str) or search(x) is not None

    def k_minLength(self, value: Any, node: dict) -> Check:
        return lambda x: not isinstance(x, str) or len(x) >= value

    def k_maxLength(self, value: Any, node: dict) -> Check:
        return lambda x: not isinstance(x, str) or len(x) <= value

    def k_minimum(self, value: Any, node: dict) -> Check:
        return lambda x: not _is_number(x) or x >= value

    def k_maximum(self, value: Any, node: dict) -> Check:
        return lambda x: not _is_number(x) or x <= value

    def k_exclusiveMinimum(self, value: Any, node: dict) -> Check:
        return lambda x: not _is_number(x) or x > value

    def k_exclusiveMaximum(self, value: Any, node: dict) -> Check:
        return lambda x: not _is_number(x) or x < value

    def k_minItems(self, value: Any, node: dict) -> Check:
        return lambda x: not isinstance(x, list) or len(x) >= value

    def k_maxItems(self, value: Any, node: dict) -> Check:
        return lambda x: not isinstance(x, list) or len(x) <= value

    def k_minProperties(self, value: Any, node: dict) -> Check:
        return lambda x: not isinstance(x, dict) or len(x) >= value

    def k_maxProperties(self, value: Any, node: dict) -> Check:
        return lambda x: not isinstance(x, dict) or len(x) <= value

    def k_uniqueItems(self, value: Any, node: dict) -> Check:
        if not value:
            return lambda x: True
        return lambda x: not isinstance(x, list) or len({_scalar_key(item) for item in x}) == len(x)

    def k_enum(self, value: Any, node: dict) -> Check:
        try:
            allowed = {_scalar_key(item) for item in value}
        except _NotSure:
            raise Unsupported("an enum of containers") from None
        return lambda x: _scalar_key(x) in allowed

    def k_const(self, value: Any, node: dict) -> Check:
        return self.k_enum([value], node)

    def k__ref(self, value: Any, node: dict) -> Check:
        if not isinstance(value, str) or not value.startswith("#"):
            raise Unsupported(f"$ref {value!r}")
        if value not in self.refs:
            self.refs[value] = lambda x: True  # a placeholder while compiling a recursive $ref
            self.refs[value] = self.compile(self._pointer(value[1:]))
        refs = self.refs
        return lambda x: refs[value](x)

    def _pointer(self, pointer: str) -> Any:
        """The subschema a local JSON pointer names (`/$defs/pod`); no anchors, no escapes in URIs."""
        if "%" in pointer or (pointer and not pointer.startswith("/")):
            raise Unsupported(f"$ref #{pointer}")
        node = self.root
        for part in pointer.split("/")[1:] if pointer else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise Unsupported(f"$ref #{pointer} does not resolve")
        return node


class LazyValidator:
    """jsonschema's validator for `schema`, imported and built only when some data is not surely valid.

    Stands in for the real one: `iter_errors` and `is_valid` answer a valid instance without it;
    anything else is the real validator's.
    """

    def __init__(self, schema: Any, build: Callable[[], Any]) -> None:
        self.schema = schema
        self._build = build
        self._real: Any = None
        self._quick = compile_quick(schema)

    @property
    def real(self) -> Any:
        if self._real is None:
            self._real = self._build()
        return self._real

    def iter_errors(self, instance: Any) -> Any:
        if self._quick is not None and self._quick(instance):
            return iter(())
        return self.real.iter_errors(instance)

    def is_valid(self, instance: Any) -> bool:
        return (self._quick is not None and self._quick(instance)) or bool(self.real.is_valid(instance))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
