"""A schema's errors as jsonschema finds them, without importing jsonschema: generated code.

Importing jsonschema and building its validator costs more than everything else a one-file run
does, and running it costs more than the rest of linting a file with findings. So the schema
(the bundled one, or any other written with the keywords below) becomes Python source, plain
functions as fastjsonschema makes, that return the errors of a value the way jsonschema's
`descend` yields them: `Fault`s carrying the attributes of jsonschema's ValidationError that
schema.py reads (keyword, its value, the instance, the subschema, the data and schema paths,
the branches' errors of an anyOf or oneOf), in the same order and number. An empty list is the
verdict "valid". A schema with a keyword not handled here gets no code at all (`compile_quick`
returns None), and data that cannot be judged exactly here (a list of lists under uniqueItems,
NaN in an enum) is "not sure": both go to jsonschema, which schema.py then imports.
tests/test_quickvalid.py holds every error, and every Problem made from it, to jsonschema's.
(Data nested so deep that jsonschema runs out of Python stack, which it recurses into several
frames per level, is followed here to its real errors.)

The code is built the first time a schema is used (a validator is built once per schema and
process: schema.py). Compiling it would cost a one-file run several milliseconds, so the bundled
schema's is shipped compiled, as quickvalid_bundled.py, and used for any schema with the same
bytes (its SHA-256). The source holds only `repr()`s of the schema's names, numbers and patterns
(no schema text is ever spliced in otherwise); patterns are compiled when the code is built, by
the `Patterns` that jsonschema and the messages use too (patterns.py).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nexlayer_lint import schemawalk
from nexlayer_lint.patterns import PatternError, Patterns

# The drafts whose keywords below mean what this module does (2020-12 is also schema.py's default).
DRAFTS = frozenset(
    {None, "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#"}
)
# Keywords that never make data invalid (annotations, and $defs, which is only reached by $ref).
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "definitions",
        "$comment",
        "$anchor",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
    }
)
# A schema whose code would be longer gets none: compiling it would cost more than a second (the
# bundled schema's is under 400 lines, 28,000 characters). Counted in characters too: an `enum`
# of 700,000 numbers is one line of 4.9 MB, which took 22 s and 2.2 GB to compile (hunt 279 F3).
_MAX_LINES = 20_000
_MAX_CHARACTERS = 1_000_000
# and before the code is written, the items of all its `enum`s (writing each costs ~8 us)
_MAX_ENUM_ITEMS = 20_000


class Unsupported(Exception):
    """The schema uses something this module does not judge; jsonschema does it all."""


class NotSure(Exception):
    """This data cannot be judged exactly here; let jsonschema decide."""


class Fault:
    """One way data breaks a schema, as jsonschema's ValidationError tells it (its attributes
    that schema.py reads; no message: ours are worded from these). `path` and `schema_path` are
    relative to the parent, an anyOf or oneOf Fault whose `context` this one is in."""

    __slots__ = ("context", "instance", "parent", "path", "schema", "schema_path", "validator", "validator_value")

    def __init__(
        self,
        validator: str | None,
        validator_value: Any,
        instance: Any,
        schema: Any,
        context: list[Fault] | None = None,
    ) -> None:
        self.validator = validator
        self.validator_value = validator_value
        self.instance = instance
        self.schema = schema
        self.path: deque[str | int] = deque()
        self.schema_path: deque[str | int] = deque() if validator is None else deque((validator,))
        self.context = context or []
        self.parent: Fault | None = None
        for error in self.context:
            error.parent = self

    @property
    def relative_path(self) -> deque[str | int]:
        return self.path

    @property
    def relative_schema_path(self) -> deque[str | int]:
        return self.schema_path

    @property
    def absolute_path(self) -> deque[str | int]:
        if self.parent is None:
            return self.path
        return deque((*self.parent.absolute_path, *self.path))

    @property
    def absolute_schema_path(self) -> deque[str | int]:
        if self.parent is None:
            return self.schema_path
        return deque((*self.parent.absolute_schema_path, *self.schema_path))

    def __repr__(self) -> str:
        return f"<Fault {self.validator} at {list(self.absolute_path)}>"


Check = Callable[[Any], "list[Fault] | None"]


def compile_quick(schema: Any, patterns: Patterns, digest: str | None = None) -> Check | None:
    """A function data -> its list of Faults (empty: valid), or None when this data must go to
    jsonschema; None instead of the function when the schema is not simple.

    `digest` is the SHA-256 of the schema's bytes: the bundled schema's takes the shipped code.
    """
    try:
        errors = _shipped(schema, digest, patterns) or compile_exact(schema, patterns)
    except (Unsupported, PatternError, RecursionError, SyntaxError, ValueError, MemoryError):
        return None  # jsonschema judges this schema alone (ValueError: an int too long to write)

    def errors_or_none(instance: Any) -> list[Fault] | None:
        try:
            return errors(instance)
        except (NotSure, RecursionError):
            return None

    return errors_or_none


def compile_exact(schema: Any, patterns: Patterns) -> Callable[[Any], list[Fault]]:
    """data -> its Faults, as jsonschema yields them, or NotSure; Unsupported (or PatternError) for the schema."""
    namespace: dict[str, Any] = {}
    exec(compile(generated_source(schema), "<quickvalid>", "exec"), namespace)  # noqa: S102 - our own generated code
    return _built(namespace["build"], schema, patterns)


def generated_source(schema: Any) -> str:
    """The Python source of `build(schema, compile_pattern, helpers...) -> errors` for `schema`;
    Unsupported when the schema is not simple."""
    return _Generator(schema).source()


def _built(build: Callable[..., Any], schema: Any, patterns: Patterns) -> Callable[[Any], list[Fault]]:
    root = build(schema, patterns.compile, _HELPERS)
    return lambda instance: root(instance, None, None)


SHIPPED = Path(__file__).with_name("quickvalid_bundled.py")


def _shipped(schema: Any, digest: str | None, patterns: Patterns) -> Callable[[Any], list[Fault]] | None:
    """The shipped code, when `digest` is that of the schema it was generated from."""
    if digest is None:
        return None
    from nexlayer_lint import quickvalid_bundled

    if digest != quickvalid_bundled.SCHEMA_SHA256:
        return None  # stale (tests/test_quickvalid.py says so): compiled here instead, slower but exact
    return _built(quickvalid_bundled.build, schema, patterns)


def shipped_source(schema: Any, digest: str) -> str:
    """The text of quickvalid_bundled.py for the bundled `schema` and the SHA-256 of its bytes."""
    return (
        '"""The bundled schema\'s errors, generated by quickvalid.py and shipped compiled.\n\n'
        "Do not edit: `python -m nexlayer_lint.quickvalid` writes it again after the schema or the\n"
        "generator changes (tests/test_quickvalid.py fails until then; a stale copy is never used).\n"
        '"""\n\n# ruff: noqa\n# mypy: ignore-errors\n\n'
        f"SCHEMA_SHA256 = {digest!r}\n\n\n{generated_source(schema)}"
    )


# --- what the generated code calls -------------------------------------------------------------------


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
            raise NotSure
        return ("number", x)
    if isinstance(x, str) or x is None:
        return ("str" if x is not None else "null", x)
    raise NotSure


def json_key(x: Any) -> Any:
    """A value as JSON equality sees it, hashable; NaN anywhere: not sure."""
    if isinstance(x, dict):
        return ("object", frozenset((key, json_key(value)) for key, value in x.items()))
    if isinstance(x, list):
        return ("array", tuple(json_key(item) for item in x))
    return _scalar_key(x)


def first_repeat(items: list) -> int:
    """Where the first item equal to an earlier one is, compared as JSON compares them (true is
    not 1, 1 is 1.0, also inside lists and mappings), by hash: each item once; -1 when there is
    none. NaN equals nothing, not even itself."""
    seen = set()
    for index, item in enumerate(items):
        try:
            key = json_key(item)
        except NotSure:  # NaN somewhere in it
            continue
        if key in seen:
            return index
        seen.add(key)
    return -1


def _unique(items: list) -> bool:
    """jsonschema's uniqueItems for two or more items. It sorts them first when it can: scalars
    (the same answer as comparing each pair as JSON, true unlike 1), or lists, which Python
    compares with true equal to 1 (not sure here). With a mapping among them no sort can work,
    and it compares each pair as JSON."""
    if not any(isinstance(item, dict) for item in items) and any(isinstance(item, list) for item in items):
        raise NotSure
    return len({json_key(item) for item in items}) == len(items)


def _fault(keyword: str, node: dict, instance: Any, context: list[Fault] | None = None) -> Fault:
    """What a keyword of `node` reports about `instance` (its schema path: the keyword)."""
    return Fault(keyword, node[keyword], instance, node, context)


def _placed(errors: list[Fault], path: str | int | None, schema_part: str | int | None) -> list[Fault]:
    """`errors` of a subschema, placed as jsonschema's `descend(path=, schema_path=)` places them."""
    for error in errors:
        if path is not None:
            error.path.appendleft(path)
        if schema_part is not None:
            error.schema_path.appendleft(schema_part)
    return errors


def _at(error: Fault, path: tuple, schema_path: tuple) -> Fault:
    """A Fault of a subschema tested inline, placed under the parts before its own."""
    error.path.extendleft(reversed(path))
    error.schema_path.extendleft(reversed(schema_path))
    return error


def _all_at(errors: list[Fault], path: tuple, schema_path: tuple) -> list[Fault]:
    """The Faults of a subschema's function, placed under the parts before their own."""
    return [_at(error, path, schema_path) for error in errors]


def _true(instance: Any, path: Any, schema_part: Any) -> list[Fault]:
    return []


def _false(instance: Any, path: Any, schema_part: Any) -> list[Fault]:
    # jsonschema's descend yields this one without placing it under `path`
    return [Fault(None, None, instance, False)]


def _any_of(node: dict, instance: Any, branches: tuple) -> list[Fault]:
    """jsonschema's anyOf: the branches in turn until one holds; if none does, one Fault with all their errors."""
    context: list[Fault] = []
    for index, branch in enumerate(branches):
        found = branch(instance, None, index)
        if not found:
            return []
        context += found
    return [_fault("anyOf", node, instance, context)]


def _one_of(node: dict, instance: Any, branches: tuple) -> list[Fault]:
    """jsonschema's oneOf: as anyOf; then, after the first branch that holds, one Fault if another holds too."""
    context: list[Fault] = []
    for index, branch in enumerate(branches):
        found = branch(instance, None, index)
        if not found:
            if any(not other(instance, None, None) for other in branches[index + 1 :]):
                return [_fault("oneOf", node, instance)]
            return []
        context += found
    return [_fault("oneOf", node, instance, context)]


_HELPERS = {
    "_is_integer": _is_integer,
    "_is_number": _is_number,
    "_scalar_key": _scalar_key,
    "_unique": _unique,
    "_Fault": Fault,
    "_fault": _fault,
    "_placed": _placed,
    "_at": _at,
    "_all_at": _all_at,
    "_true": _true,
    "_false": _false,
    "_any_of": _any_of,
    "_one_of": _one_of,
    "_resolve": schemawalk.resolve,
}


# --- the generator -----------------------------------------------------------------------------------

# The bound keywords: the kind of value each constrains, whether it bounds the value's length
# (or the number itself), and the comparison that breaks the bound.
_BOUNDS: dict[str, tuple[str, bool, str]] = {
    "minLength": ("string", True, "<"),
    "maxLength": ("string", True, ">"),
    "minItems": ("array", True, "<"),
    "maxItems": ("array", True, ">"),
    "minProperties": ("object", True, "<"),
    "maxProperties": ("object", True, ">"),
    "minimum": ("number", False, "<"),
    "maximum": ("number", False, ">"),
    "exclusiveMinimum": ("number", False, "<="),
    "exclusiveMaximum": ("number", False, ">="),
}
# A type name -> a test of the variable `{v}`, as jsonschema's type checker; `type(v) is int`
# first because it is the common case and exact (bool is a subclass of int, not int itself).
_TYPE_TESTS = {
    "string": "isinstance({v}, str)",
    "integer": "(type({v}) is int or _is_integer({v}))",
    "number": "_is_number({v})",
    "boolean": "isinstance({v}, bool)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "null": "{v} is None",
}
# The kind of value each keyword constrains (its test); on any other kind the keyword holds.
_KIND_TESTS = {
    "string": _TYPE_TESTS["string"],
    "number": _TYPE_TESTS["number"],
    "object": _TYPE_TESTS["object"],
    "array": _TYPE_TESTS["array"],
}
# Subschemas nested deeper than this below a function's own get a function of their own: the
# inline code of a subschema used in several places is repeated in each, and Python allows 20
# nested blocks in one function.
_MAX_INLINE = 4


class _Place:
    """Where the Faults of a subschema tested inline go, in the function that tests it: the
    data path and schema path parts before their own (Python expressions, outermost first), as
    the keywords that descended to it would place them; `depth`, the levels of inline subschemas."""

    def __init__(self, path: tuple[str, ...] = (), schema: tuple[str, ...] = (), depth: int = 0) -> None:
        self.path, self.schema, self.depth = path, schema, depth

    def under(self, keyword: str, path: str | None, schema_part: str | None) -> _Place:
        """The place of a subschema's Faults after `keyword` descends into it (jsonschema's order:
        the keyword's name, then the descend's schema part)."""
        return _Place(
            self.path + ((path,) if path is not None else ()),
            self.schema + (repr(keyword),) + ((schema_part,) if schema_part is not None else ()),
            self.depth + 1,
        )

    def deeper(self) -> _Place:
        """The same place, one level deeper (a `$ref` places nothing)."""
        return _Place(self.path, self.schema, self.depth + 1)

    def report(self, fault: str) -> str:
        """A statement adding one Fault, placed here."""
        if not self.path and not self.schema:
            return f"errors.append({fault})"
        return f"errors.append(_at({fault}, {_tuple(self.path)}, {_tuple(self.schema)}))"

    def add(self, faults: str, found: str, keyword: str | None = None) -> list[str]:
        """Statements adding a list of Faults (`found`: a fresh name), placed here after `keyword`'s name."""
        schema = self.schema + ((repr(keyword),) if keyword is not None else ())
        if not self.path and not schema:
            return [f"errors += {faults}"]
        return [f"{found} = {faults}", f"if {found}: errors += _all_at({found}, {_tuple(self.path)}, {_tuple(schema)})"]


class _Generator:
    """Schema -> source of `build(schema, compile_pattern, helpers)`, which names the subschemas
    and constants and defines plain functions `_fN(v, path, schema_part)`: the Faults of value `v`
    under subschema N, placed as jsonschema's descend places them. It returns the root's.

    Subschemas are tested inline in their parent's function, their Faults placed where jsonschema
    would place them, down to _MAX_INLINE levels; the rest, and every branch of an anyOf or a
    oneOf, get functions."""

    def __init__(self, root: Any) -> None:
        if isinstance(root, dict) and root.get("$schema") not in DRAFTS:
            raise Unsupported(f"$schema {root.get('$schema')!r}")
        self.root = root
        self.functions: list[list[str]] = []
        self.constants: list[str] = []  # `_cN = <expression>` lines, each after those it uses
        self.tuples: list[str] = []  # `_cN = (_fA, _fB, )` lines, after the functions they name
        self.refs: dict[str, str] = {}  # "#/$defs/pod" -> name of its function
        self.names = 0
        self.enum_items = 0
        self.entry = self.callable(root, "schema")

    def source(self) -> str:
        functions = [line for function in self.functions for line in function]
        body = self.constants + functions + self.tuples + [f"return {self.entry}"]
        if len(body) > _MAX_LINES:
            raise Unsupported(f"a schema this large ({len(body):,} lines of code)")
        if (size := sum(len(line) for line in body)) > _MAX_CHARACTERS:
            raise Unsupported(f"a schema this large ({size:,} characters of code)")
        helpers = [f"{name} = helpers[{name!r}]" for name in _HELPERS]
        return "\n".join(["def build(schema, compile_pattern, helpers):", *_indent(helpers + body)]) + "\n"

    def new_name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def constant(self, expression: str) -> str:
        name = self.new_name("_c")
        self.constants.append(f"{name} = {expression}")
        return name

    def callable(self, node: Any, where: str) -> str:
        """The name of the function for subschema `node`, which the built code finds as `where`."""
        if node is True:
            return "_true"
        if node is False:
            return "_false"
        _check_node(node)
        if "$ref" in node and all(k == "$ref" or _annotation(k) for k in node) and "$id" not in node:
            target = self.ref_function(node["$ref"])
            if target != "_false":  # a bare $ref: its errors are its target's, placed alike
                return target
        return self.function(node, self.constant(where))

    def ref_function(self, ref: Any) -> str:
        if ref not in self.refs:
            target = self.resolve(ref)
            if isinstance(target, bool):
                self.refs[ref] = "_true" if target else "_false"
            else:
                self.refs[ref] = name = self.new_name("_f")
                self.function(target, self.constant(f"_resolve(schema, {ref!r})"), name)
        return self.refs[ref]

    def resolve(self, ref: Any) -> Any:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r}")
        target = schemawalk.resolve(self.root, ref)
        if target is None:
            raise Unsupported(f"$ref {ref!r} does not resolve inside the schema")
        _check_node(target)
        return target

    def function(self, node: dict, schema: str, name: str | None = None) -> str:
        """A function for dict subschema `node`, whose object the built code names `schema`."""
        name = name or self.new_name("_f")
        lines = [f"def {name}(v, path, schema_part):"]
        self.functions.append(lines)  # before the body: a recursive $ref finds it by name
        body = [
            "errors = []",
            *self.lines(self.groups(node, schema, "v", _Place())),
            "return _placed(errors, path, schema_part) if errors else errors",
        ]
        lines += _indent(body)
        return name

    def groups(self, node: dict, schema: str, v: str, place: _Place) -> list[Group]:
        """The statements adding to `errors` the Faults of value `v` under `node`, keyword by
        keyword in jsonschema's order, each with the test of the kind of value it looks at."""
        groups: list[Group] = []
        for keyword, value in node.items():
            if _annotation(keyword):
                if keyword == "$id" and node is not self.root:
                    raise Unsupported("a nested $id changes what $ref means")
                continue
            report = place.report(f"_fault({keyword!r}, {schema}, {v})")
            if keyword in _BOUNDS:
                kind, of_length, breaks = _BOUNDS[keyword]
                measured, bound = (f"len({v})", self.count(value)) if of_length else (v, self.number(value))
                groups.append((_KIND_TESTS[kind].format(v=v), [f"if {measured} {breaks} {bound}: {report}"]))
                continue
            method = getattr(self, "k_" + keyword.replace("$", "_"), None)
            if method is None:
                raise Unsupported(keyword)
            groups += method(value, node, schema, v, place, report)
        return groups

    def lines(self, found: list[Group]) -> list[str]:
        """The statements of `found`: keywords that test the same kind of value one after the
        other share one test of the kind; a single-kind type right before them takes its place (a
        value of another kind breaks the type, and they hold for it)."""
        groups: list[Group] = []
        for kind, code in found:
            if kind is not None and groups and groups[-1][0] == kind:
                groups[-1][1].extend(code)
            elif code:
                groups.append((kind, list(code)))
        lines: list[str] = []
        index = 0
        while index < len(groups):
            kind, code = groups[index]
            following = groups[index + 1] if index + 1 < len(groups) else None
            if kind is None and following and code[0] == f"if not ({following[0]}):":
                lines += [f"if {following[0]}:", *_indent(following[1]), "else:", *code[1:]]
                index += 2
                continue
            lines += [f"if {kind}:", *_indent(code)] if kind else code
            index += 1
        return lines

    def number(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Unsupported(f"a bound {value!r}")
        return _literal(value)

    def count(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Unsupported(f"a count {value!r}")
        return repr(value)

    def descend(
        self, sub: Any, where: str, v: str, place: _Place, keyword: str, path: str | None, schema_part: str | None
    ) -> list[str]:
        """Statements adding the Faults of value `v` under subschema `sub` (which the built code
        finds as `where`), which `keyword` descends into at data path part `path` and schema
        path part `schema_part` (Python expressions; None: none)."""
        if sub is True:
            return []
        if sub is False:  # jsonschema's descend yields it without placing it under path or schema_part
            return [place.under(keyword, None, None).report(f"_Fault(None, None, {v}, False)")]
        _check_node(sub)
        if place.depth < _MAX_INLINE:
            return self.lines(self.groups(sub, self.constant(where), v, place.under(keyword, path, schema_part)))
        function = self.callable(sub, where)
        return place.add(f"{function}({v}, {path}, {schema_part})", self.new_name("found"), keyword)

    # --- keywords: each as jsonschema 4's function of the same name -------------------------------
    # (its value, the node, the built code's name for the node, the variable tested, the place, a
    # statement reporting this keyword's Fault) -> its statements, each with the kind they test

    def k_type(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        names = value if isinstance(value, list) else [value]
        if not all(isinstance(name, str) and name in _TYPE_TESTS for name in names):
            raise Unsupported(f"type {value!r}")
        test = " or ".join(_TYPE_TESTS[name].format(v=v) for name in names)
        return [(None, [f"if not ({test}):", f"    {report}"])]

    def k_required(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise Unsupported("required is not a list of names")
        return [(_KIND_TESTS["object"].format(v=v), [f"if {name!r} not in {v}: {report}" for name in value])]

    def k_properties(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        if not isinstance(value, dict):
            raise Unsupported("properties is not a mapping")
        code = []
        for name, sub in value.items():
            if not isinstance(name, str):
                raise Unsupported(f"property {name!r}")
            item = self.new_name("v")
            body = self.descend(
                sub, f"{schema}['properties'][{name!r}]", item, place, "properties", repr(name), repr(name)
            )
            if body:
                code += [f"if {name!r} in {v}:", f"    {item} = {v}[{name!r}]", *_indent(body)]
        return [(_KIND_TESTS["object"].format(v=v), code)]

    def k_additionalProperties(
        self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str
    ) -> list[Group]:
        if "patternProperties" in node:
            raise Unsupported("patternProperties")
        known = node.get("properties", {})
        if not isinstance(known, dict):
            raise Unsupported("properties is not a mapping")
        known_keys = self.constant(_literal(frozenset(known)))
        if value is False:  # one Fault for all the keys that are not properties
            return [(_KIND_TESTS["object"].format(v=v), [f"if not {known_keys}.issuperset({v}): {report}"])]
        key, item = self.new_name("k"), self.new_name("v")
        body = self.descend(value, f"{schema}['additionalProperties']", item, place, "additionalProperties", key, None)
        loop = [f"for {key}, {item} in {v}.items():", f"    if {key} not in {known_keys}:", *_indent(_indent(body))]
        return [(_KIND_TESTS["object"].format(v=v), loop)] if body else []

    def k_propertyNames(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        key = self.new_name("k")
        body = self.descend(value, f"{schema}['propertyNames']", key, place, "propertyNames", None, None)
        return [(_KIND_TESTS["object"].format(v=v), [f"for {key} in {v}:", *_indent(body)])] if body else []

    def k_items(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        if "prefixItems" in node or not isinstance(value, (dict, bool)):
            raise Unsupported("prefixItems or an items list")
        if value is False:  # one Fault for a list with any item, not one per item
            return [(_KIND_TESTS["array"].format(v=v), [f"if {v}: {report}"])]
        index, item = self.new_name("i"), self.new_name("v")
        body = self.descend(value, f"{schema}['items']", item, place, "items", index, None)
        loop = [f"for {index}, {item} in enumerate({v}):", *_indent(body)]
        return [(_KIND_TESTS["array"].format(v=v), loop)] if body else []

    def k_uniqueItems(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        if not value:
            return []
        # A list of fewer than two items is unique whatever they are.
        return [(_KIND_TESTS["array"].format(v=v), [f"if len({v}) > 1 and not _unique({v}): {report}"])]

    def k_allOf(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        groups: list[Group] = []
        for index, sub in enumerate(_schemas(value)):
            if place.depth < _MAX_INLINE and isinstance(sub, dict):  # its keywords join the sequence
                _check_node(sub)
                groups += self.groups(
                    sub, self.constant(f"{schema}['allOf'][{index}]"), v, place.under("allOf", None, repr(index))
                )
            else:
                groups.append(
                    (None, self.descend(sub, f"{schema}['allOf'][{index}]", v, place, "allOf", None, repr(index)))
                )
        return groups

    def branches(self, value: Any, schema: str, keyword: str) -> str:
        """A name for the tuple of the functions of a list of subschemas."""
        functions = [self.callable(sub, f"{schema}[{keyword!r}][{index}]") for index, sub in enumerate(_schemas(value))]
        name = self.new_name("_c")
        self.tuples.append(f"{name} = ({''.join(f'{function}, ' for function in functions)})")
        return name

    def k_anyOf(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        return [
            (
                None,
                place.add(f"_any_of({schema}, {v}, {self.branches(value, schema, 'anyOf')})", self.new_name("found")),
            )
        ]

    def k_oneOf(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        return [
            (
                None,
                place.add(f"_one_of({schema}, {v}, {self.branches(value, schema, 'oneOf')})", self.new_name("found")),
            )
        ]

    def k_not(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        function = self.callable(value, f"{schema}['not']")
        return [(None, [f"if not {function}({v}, None, None): {report}"])]

    def k_pattern(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        if not isinstance(value, str):
            raise Unsupported(f"pattern {value!r}")
        search = self.constant(f"compile_pattern({value!r})")  # searched, not matched as a whole
        return [(_KIND_TESTS["string"].format(v=v), [f"if not {search}({v}): {report}"])]

    def k_enum(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        if not isinstance(value, list):
            raise Unsupported("enum is not a list")
        self.enum_items += len(value)
        if self.enum_items > _MAX_ENUM_ITEMS:
            raise Unsupported(f"more than {_MAX_ENUM_ITEMS:,} enum items")
        try:
            allowed = frozenset(_scalar_key(item) for item in value)
        except NotSure:
            raise Unsupported("an enum of containers") from None
        return [(None, [f"if _scalar_key({v}) not in {self.constant(_literal(allowed))}: {report}"])]

    def k_const(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        return self.k_enum([value], node, schema, v, place, report)

    def k__ref(self, value: Any, node: dict, schema: str, v: str, place: _Place, report: str) -> list[Group]:
        # jsonschema follows a $ref without placing its errors anywhere, nor naming "$ref"
        target = self.resolve(value)
        if target is False:
            return [(None, [place.report(f"_Fault(None, None, {v}, False)")])]
        if isinstance(target, dict) and place.depth < _MAX_INLINE:  # its keywords join the sequence
            return self.groups(target, self.constant(f"_resolve(schema, {value!r})"), v, place.deeper())
        return [(None, place.add(f"{self.ref_function(value)}({v}, None, None)", self.new_name("found")))]


Group = tuple["str | None", "list[str]"]  # statements, and the test of the kind of value they look at (None: any)


def _check_node(node: Any) -> None:
    if not isinstance(node, (dict, bool)):
        raise Unsupported(f"a schema is a mapping or a boolean, not {type(node).__name__}")
    if isinstance(node, dict) and not all(isinstance(keyword, str) for keyword in node):
        raise Unsupported("a keyword that is not a string")


def _tuple(parts: tuple[str, ...]) -> str:
    return "(" + "".join(f"{part}, " for part in parts) + ")"


def _annotation(keyword: str) -> bool:
    """Whether a keyword is one that never makes data invalid (ours start with "x-")."""
    return keyword in _ANNOTATIONS or keyword.startswith("x-")


def _literal(value: Any) -> str:
    """Python source for a value from a schema: str, int, bool, None, float, and tuples and frozensets of them."""
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            raise Unsupported("NaN in a schema")
        return f"float({repr(value)!r})"
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    if isinstance(value, tuple):
        return "(" + "".join(f"{_literal(item)}, " for item in value) + ")"
    if isinstance(value, frozenset):
        return "frozenset((" + "".join(f"{item}, " for item in sorted(_literal(item) for item in value)) + "))"
    raise Unsupported(f"a constant {value!r}")


def _schemas(value: Any) -> list:
    if not isinstance(value, list):
        raise Unsupported("a list of subschemas is not a list")
    return value


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


class LazyValidator:
    """A schema's validator: the generated code's errors, or jsonschema's, built only when some
    data needs it (a schema the code does not cover, data it cannot judge).

    `iter_errors` and `is_valid` answer without jsonschema whenever the code can; anything else is
    the real validator's. `patterns` is how this schema's patterns are searched, here and in jsonschema.
    """

    def __init__(self, schema: Any, build: Callable[[], Any], patterns: Patterns, digest: str | None = None) -> None:
        self.schema = schema
        self.patterns = patterns
        self.digest = digest
        self._build = build
        self._real: Any = None
        self._quick: Check | None = None
        self._quick_built = False
        self._parts: dict[int, tuple[Any, Check | None]] = {}  # id(part) -> (part, its code)

    @property
    def real(self) -> Any:
        if self._real is None:
            self._real = self._build()
        return self._real

    def _code(self) -> Check | None:
        if not self._quick_built:  # compiled on first use: a schema that is never used costs nothing
            self._quick = compile_quick(self.schema, self.patterns, self.digest)
            self._quick_built = True
        return self._quick

    def quick_errors(self, instance: Any) -> list[Fault] | None:
        """The generated code's Faults for `instance`; None when only jsonschema can tell."""
        code = self._code()
        return None if code is None else code(instance)

    def is_surely_valid(self, instance: Any) -> bool:
        return self.quick_errors(instance) == []

    def iter_errors(self, instance: Any) -> Any:
        errors = self.quick_errors(instance)
        return iter(errors) if errors is not None else self.real.iter_errors(instance)

    def is_valid(self, instance: Any) -> bool:
        errors = self.quick_errors(instance)
        return not errors if errors is not None else bool(self.real.is_valid(instance))

    def part_verdict(self, part: Any) -> Callable[[Any], bool | None]:
        """data -> whether it is valid under `part`, a subschema of this schema whose `$ref`s
        resolve in the whole schema (what a fix may write there), by generated code; None when
        only jsonschema can tell. So the fixes of a file's schema findings need no jsonschema."""
        key = id(part)  # parts live as long as the schema this validator holds
        if key not in self._parts:
            self._parts[key] = (part, self._compile_part(part))
        check = self._parts[key][1]
        if check is None:
            return lambda instance: None

        def verdict(instance: Any) -> bool | None:
            errors = check(instance)
            return None if errors is None else not errors

        return verdict

    def _compile_part(self, part: Any) -> Check | None:
        # The part becomes a schema of its own beside the whole schema's definitions, so its
        # `$ref`s resolve as before; only when every `$ref` points into those definitions (one to
        # the root, `#`, would point to the wrapper) and the whole schema has code itself.
        if part is self.schema or not isinstance(self.schema, dict) or self._code() is None:
            return self._code() if part is self.schema else None
        defs = {name: self.schema[name] for name in ("$defs", "definitions") if name in self.schema}
        for _, node in schemawalk.nodes(self.schema):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if ref is not None and not (isinstance(ref, str) and ref.startswith(("#/$defs/", "#/definitions/"))):
                return None
        if "$schema" in self.schema:
            defs["$schema"] = self.schema["$schema"]
        return compile_quick({**defs, "allOf": [part]}, self.patterns)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "real":  # an AttributeError inside `real`: not again (hunt 39 F3)
            raise AttributeError(name)
        return getattr(self.real, name)


if __name__ == "__main__":  # `python -m nexlayer_lint.quickvalid`: write quickvalid_bundled.py again
    import json

    from nexlayer_lint.schema import BUNDLED_PATH, sha256_hex

    raw = BUNDLED_PATH.read_bytes()
    SHIPPED.write_text(shipped_source(json.loads(raw.decode("utf-8-sig")), sha256_hex(raw)), encoding="utf-8")
