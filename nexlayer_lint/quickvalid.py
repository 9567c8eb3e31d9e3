"""Is this data valid? An exact yes, or "not sure", so that a valid file never imports jsonschema.

Importing jsonschema costs more than everything else a one-file run does. Most files are valid,
and for those the answer is all we need: the errors, their wording and their places always come
from jsonschema (schema.py), which runs whenever the answer here is not a plain yes. So this is
only a verdict, and it must never say "valid" where jsonschema would not: a schema with any
keyword it does not know gets no quick check at all (`compile_quick` returns None), and data it
cannot judge exactly (say, a list of mappings under uniqueItems) counts as "not sure".

The schema becomes Python source, one plain function per `$ref` target with each keyword an
inline test (as fastjsonschema does), compiled the first time a verdict is asked for (a validator
is built once per schema and process: schema.py). The source is made only from the schema's
shape and the `repr()` of its property names and integers; every other value (patterns, sets,
floats) is a constant kept beside the code, so no schema text ever becomes code. Patterns are
searched as ECMA-262, with the same `Patterns` jsonschema gets (patterns.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nexlayer_lint import schemawalk
from nexlayer_lint.patterns import PatternError, Patterns

Check = Callable[[Any], bool]

# The drafts whose keywords below mean what this module does (2020-12 is also schema.py's default).
DRAFTS = frozenset({None, "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#"})
# Keywords that never make data invalid (annotations, and $defs, which is only reached by $ref).
_ANNOTATIONS = frozenset({
    "$schema", "$id", "$defs", "definitions", "$comment", "$anchor", "title", "description", "default",
    "examples", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
})
# Subschemas nested deeper than this inside one generated function get a function of their own:
# Python refuses more than 20 nested loops and 100 indents in one function.
_MAX_INLINE_DEPTH = 5


class Unsupported(Exception):
    """The schema uses something this module does not judge; jsonschema does it all."""


class _NotSure(Exception):
    """This data cannot be judged exactly here; let jsonschema decide."""


def compile_quick(schema: Any, patterns: Patterns) -> Check | None:
    """A function data -> True when `schema` surely accepts it; None when the schema is not simple."""
    try:
        check = compile_exact(schema, patterns)
    except (Unsupported, PatternError, RecursionError, SyntaxError, MemoryError):
        return None  # jsonschema judges this schema alone

    def is_surely_valid(instance: Any) -> bool:
        try:
            return check(instance)
        except (_NotSure, RecursionError):
            return False

    return is_surely_valid


def compile_exact(schema: Any, patterns: Patterns) -> Check:
    """data -> True/False as jsonschema says, or _NotSure; Unsupported (or PatternError) for the schema."""
    return _Generator(schema, patterns).build()


def generated_source(schema: Any, patterns: Patterns) -> str:
    """The Python source `compile_exact` runs for `schema` (for reading and for tests)."""
    generator = _Generator(schema, patterns)
    generator.function(schema)
    return generator.source()


def _is_integer(x: Any) -> bool:
    # as jsonschema's draft 6+ type checker: 1.0 is an integer, true is not
    return (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer())


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


def _unique_scalars(x: list) -> bool:
    return len({_scalar_key(item) for item in x}) == len(x)


# The bound keywords: the kind of value each constrains, whether it bounds the value's length
# (or the number itself), and the comparison that must hold against the bound.
_BOUNDS: dict[str, tuple[str, bool, str]] = {
    "minLength": ("string", True, ">="), "maxLength": ("string", True, "<="),
    "minItems": ("array", True, ">="), "maxItems": ("array", True, "<="),
    "minProperties": ("object", True, ">="), "maxProperties": ("object", True, "<="),
    "minimum": ("number", False, ">="), "maximum": ("number", False, "<="),
    "exclusiveMinimum": ("number", False, ">"), "exclusiveMaximum": ("number", False, "<"),
}
_FAILS = {">=": "<", "<=": ">", ">": "<=", "<": ">="}  # the comparison that breaks each bound
# A type name -> a test of the variable `{v}`; `type(v) is int` first because it is the common case
# and exact (bool is a subclass of int, not int itself).
_TYPE_TESTS = {
    "string": "isinstance({v}, str)",
    "integer": "(type({v}) is int or _is_integer({v}))",
    "number": "_is_number({v})",
    "boolean": "isinstance({v}, bool)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "null": "{v} is None",
}
# The kind of value each keyword constrains; on any other kind the keyword is vacuously true.
# "number" stands for integer or number.
_FAMILY_GUARDS = {
    "string": "isinstance({v}, str)",
    "number": "_is_number({v})",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
}
_KIND_FAMILY = {"string": "string", "integer": "number", "number": "number", "object": "object", "array": "array"}
_ALL_KINDS = frozenset(_TYPE_TESTS)


class _Generator:
    """Schema -> source of plain functions `def _fN(v0): ... return True`, each `return False` on a fault."""

    def __init__(self, root: Any, patterns: Patterns) -> None:
        self.root = root
        self.patterns = patterns
        self.functions: list[list[str]] = []
        self.constants: dict[str, Any] = {}
        self.refs: dict[str, str] = {}  # "#/$defs/pod" -> name of its function
        self.names = 0

    def build(self) -> Check:
        if isinstance(self.root, dict) and self.root.get("$schema") not in DRAFTS:
            raise Unsupported(f"$schema {self.root.get('$schema')!r}")
        entry = self.function(self.root)
        namespace: dict[str, Any] = {
            "_is_integer": _is_integer, "_is_number": _is_number, "_scalar_key": _scalar_key,
            "_unique_scalars": _unique_scalars, **self.constants,
        }
        exec(compile(self.source(), "<quickvalid>", "exec"), namespace)  # noqa: S102 - our own generated code
        return namespace[entry]  # type: ignore[no-any-return]

    def source(self) -> str:
        return "\n".join(line for function in self.functions for line in function) + "\n"

    def new_name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def constant(self, value: Any) -> str:
        name = self.new_name("_c")
        self.constants[name] = value
        return name

    def function(self, node: Any, name: str | None = None) -> str:
        name = name or self.new_name("_f")
        lines = [f"def {name}(v0):"]
        self.functions.append(lines)  # before the body: a recursive $ref finds it by name
        lines += _indent(self.block(node, "v0", 0) + ["return True"])
        return name

    def callable(self, node: Any) -> str:
        """The name of a function testing `node` (a bare `{"$ref": ...}` is its target's function)."""
        if isinstance(node, dict) and set(node) - _ANNOTATIONS == {"$ref"} and "$id" not in node:
            return self.ref_function(node["$ref"])
        return self.function(node)

    def ref_function(self, ref: Any) -> str:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r}")
        if ref not in self.refs:
            target = schemawalk.resolve(self.root, ref)
            if target is None:
                raise Unsupported(f"$ref {ref!r} does not resolve inside the schema")
            self.refs[ref] = name = self.new_name("_f")
            self.function(target, name)
        return self.refs[ref]

    def block(self, node: Any, v: str, depth: int) -> list[str]:
        """Statements that `return False` when the value in variable `v` breaks `node`."""
        if node is True:
            return []
        if node is False:
            return ["return False"]
        if not isinstance(node, dict):
            raise Unsupported(f"a schema is a mapping or a boolean, not {type(node).__name__}")
        if depth > _MAX_INLINE_DEPTH:
            return [f"if not {self.function(node)}({v}): return False"]
        lines: list[str] = []
        kinds = _ALL_KINDS
        if "type" in node:
            # The type is tested first (all keywords must hold, so their order cannot change the
            # verdict); after it, only the keywords for the kinds it allows need testing, unguarded
            # when there is just one kind.
            names = node["type"] if isinstance(node["type"], list) else [node["type"]]
            if not all(isinstance(name, str) and name in _TYPE_TESTS for name in names):
                raise Unsupported(f"type {node['type']!r}")
            lines.append(f"if not ({' or '.join(_TYPE_TESTS[name].format(v=v) for name in names)}): return False")
            kinds = frozenset(names)
        by_family: dict[str, list[str]] = {}
        for keyword, value in node.items():
            if not isinstance(keyword, str):
                raise Unsupported(f"keyword {keyword!r}")
            if keyword in _ANNOTATIONS or keyword.startswith("x-"):
                if keyword == "$id" and node is not self.root:
                    raise Unsupported("a nested $id changes what $ref means")
                continue
            if keyword == "type":
                continue
            if keyword in _BOUNDS:
                family, of_length, holds = _BOUNDS[keyword]
                measured, bound = (f"len({v})", self.count(value)) if of_length else (v, self.number(value))
                by_family.setdefault(family, []).append(f"if {measured} {_FAILS[holds]} {bound}: return False")
                continue
            method = getattr(self, "k_" + keyword.replace("$", "_"), None)
            if method is None:
                raise Unsupported(keyword)
            family, code = method(value, node, v, depth)
            by_family.setdefault(family, []).extend(code)
        lines += by_family.pop("", [])
        for family, code in by_family.items():
            allowed = {_KIND_FAMILY.get(kind) for kind in kinds}
            if family not in allowed or not code:
                continue  # the value cannot be of this kind, so these keywords hold
            if allowed == {family} and (family != "number" or kinds <= {"integer", "number"}):
                lines += code  # the type test above proved the kind
            else:
                lines.append(f"if {_FAMILY_GUARDS[family].format(v=v)}:")
                lines += _indent(code)
        return lines

    def number(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Unsupported(f"a bound {value!r}")
        return repr(value) if isinstance(value, int) else self.constant(value)

    def count(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Unsupported(f"a count {value!r}")
        return repr(value)

    # --- keywords: each gives (the kind of value it constrains or "" for any, statements) ----

    def k_properties(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if not isinstance(value, dict):
            raise Unsupported("properties is not a mapping")
        code: list[str] = []
        for name, sub in value.items():
            if not isinstance(name, str):
                raise Unsupported(f"property {name!r}")
            item = self.new_name("v")
            body = self.block(sub, item, depth + 1)
            if body:
                code += [f"if {name!r} in {v}:", f"    {item} = {v}[{name!r}]", *_indent(body)]
        return "object", code

    def k_additionalProperties(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if "patternProperties" in node:
            raise Unsupported("patternProperties")
        known = node.get("properties", {})
        if not isinstance(known, dict):
            raise Unsupported("properties is not a mapping")
        known_keys = self.constant(frozenset(known))
        if value is False:
            # jsonschema: a fault when some key of the instance is not a known property
            return "object", [f"if not {known_keys}.issuperset({v}): return False"]
        key, item = self.new_name("k"), self.new_name("v")
        body = self.block(value, item, depth + 1)
        if not body:
            return "object", []
        if not known:
            return "object", [f"for {item} in {v}.values():", *_indent(body)]
        return "object", [f"for {key}, {item} in {v}.items():", f"    if {key} not in {known_keys}:",
                          *_indent(_indent(body))]

    def k_required(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise Unsupported("required is not a list of names")
        if not value:
            return "object", []
        return "object", [f"if {' or '.join(f'{name!r} not in {v}' for name in value)}: return False"]

    def k_items(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if "prefixItems" in node or not isinstance(value, (dict, bool)):
            raise Unsupported("prefixItems or an items list")
        item = self.new_name("v")
        body = self.block(value, item, depth + 1)
        return "array", [f"for {item} in {v}:", *_indent(body)] if body else []

    def k_uniqueItems(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if not value:
            return "", []
        # A list of fewer than two items is unique whatever they are.
        return "array", [f"if len({v}) > 1 and not _unique_scalars({v}): return False"]

    def k_anyOf(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        tests = [f"{self.callable(sub)}({v})" for sub in _schemas(value)]
        # `or` tries the branches in order and stops at the first yes, as any() did
        return "", [f"if not ({' or '.join(tests)}): return False" if tests else "return False"]

    def k_allOf(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        return "", [line for sub in _schemas(value) for line in self.block(sub, v, depth + 1)]

    def k_oneOf(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        # every branch runs (True + False == 1), as jsonschema needs to know there is exactly one
        tests = [f"{self.callable(sub)}({v})" for sub in _schemas(value)]
        return "", [f"if {' + '.join(tests)} != 1: return False" if tests else "return False"]

    def k_not(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        return "", [f"if {self.callable(value)}({v}): return False"]

    def k_pattern(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if not isinstance(value, str):
            raise Unsupported(f"pattern {value!r}")
        search = self.constant(self.patterns.compile(value))  # searched, not matched as a whole
        return "string", [f"if not {search}({v}): return False"]

    def k_enum(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        if not isinstance(value, list):
            raise Unsupported("enum is not a list")
        try:
            allowed = frozenset(_scalar_key(item) for item in value)
        except _NotSure:
            raise Unsupported("an enum of containers") from None
        return "", [f"if _scalar_key({v}) not in {self.constant(allowed)}: return False"]

    def k_const(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        return self.k_enum([value], node, v, depth)

    def k__ref(self, value: Any, node: dict, v: str, depth: int) -> tuple[str, list[str]]:
        return "", [f"if not {self.ref_function(value)}({v}): return False"]


def _schemas(value: Any) -> list:
    if not isinstance(value, list):
        raise Unsupported("a list of subschemas is not a list")
    return value


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


class LazyValidator:
    """A schema's validator: the quick verdict, and jsonschema's validator built only when some data is not surely valid.

    `iter_errors` and `is_valid` answer a valid instance without jsonschema; anything else is the
    real validator's. `patterns` is how this schema's patterns are searched, here and in jsonschema.
    """

    def __init__(self, schema: Any, build: Callable[[], Any], patterns: Patterns) -> None:
        self.schema = schema
        self.patterns = patterns
        self._build = build
        self._real: Any = None
        self._quick: Check | None = None
        self._quick_built = False

    @property
    def real(self) -> Any:
        if self._real is None:
            self._real = self._build()
        return self._real

    def is_surely_valid(self, instance: Any) -> bool:
        if not self._quick_built:  # compiled on first use: a schema that is never used costs nothing
            self._quick = compile_quick(self.schema, self.patterns)
            self._quick_built = True
        return self._quick is not None and self._quick(instance)

    def iter_errors(self, instance: Any) -> Any:
        if self.is_surely_valid(instance):
            return iter(())
        return self.real.iter_errors(instance)

    def is_valid(self, instance: Any) -> bool:
        return self.is_surely_valid(instance) or bool(self.real.is_valid(instance))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
