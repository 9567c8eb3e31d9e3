"""The bundled or a given JSON Schema, one validator per process, and ValidationError -> Problem."""

from __future__ import annotations

import functools
import json
import math
import os
import re
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple

from nexlayer_lint import schemawalk
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import (
    DataPath,
    Document,
    Explains,
    PathPart,
    Problem,
    SchemaInfo,
    Span,
    format_path,
    names_in,
)
from nexlayer_lint.patterns import PatternError, Patterns
from nexlayer_lint.scalars import HugeInt
from nexlayer_lint.secrets import ITEM_NAME_KEYS, MAX_QUOTED, holds_secret, shortened

BUNDLED_PATH = Path(__file__).with_name("nexlayer.schema.json")
VERSION_KEY = "x-nexlayer-lint-version"
MESSAGES_KEY = "x-messages"  # beside a constraint: {"pattern": "must start with ..."}
HINTS_KEY = "x-hints"  # beside a constraint: {"pattern": "fix advice"}
# Beside a pattern: how to guess the value the author meant, as a list of _SUGGESTERS' names
# (a guess is offered only when it matches); without it, the hostname of a URL or the value in
# lower case with dashes for anything else.
SUGGEST_KEY = "x-suggest"
ROOT_SPAN = Span(1, 1, 1, 1)
MAX_SCHEMA_DEPTH = 64  # JSON levels; jsonschema's metaschema check recurses out of stack from about 120
MAX_SCHEMA_BYTES = 5 << 20  # as the API client's limit on a downloaded schema

# Keyword families, as rules/NX101-NX105 describe them: everything not listed here is NX105.
_VALUE_KEYWORDS = frozenset(
    {
        "pattern",
        "format",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "minContains",
        "maxContains",
    }
)
_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}
# Common wrong names whose right name difflib cannot guess (they share too few letters).
_ALIASES = {
    "env": "vars",
    "environment": "vars",
    "envs": "vars",
    "variables": "vars",
    "ports": "servicePorts",
    "port": "servicePorts",
    "containerport": "servicePorts",
    "cmd": "command",
    "args": "command",
    "volumemounts": "volumes",
    "mountpoint": "mountPath",
    "path": "mountPath",  # the Nexlayer CLI's own name for a volume's (hunt 100 F1); a pod's `path` is known
    "tag": "image",  # the legacy template format's name for a pod's image
    "file": "fileName",
    "value": "data",  # a secret's content
    "route": "path",
    "filename": "fileName",
    "token": "personalAccessToken",
    "password": "personalAccessToken",
    "user": "username",
}
_APPLICATION_KEYS = ("name", "url", "registryLogin", "pods")
_POD_KEYS = ("image", "servicePorts", "path", "vars", "volumes", "secrets", "entrypoint", "command")
# (depth of the mapping, key) -> the key it belongs under: `pods` at the top level, `image` in application
_ONE_LEVEL_DOWN = {**{(0, k): "application" for k in _APPLICATION_KEYS}, **{(1, k): "pods" for k in _POD_KEYS}}
# Nouns for list items in messages (`port 70000 of pod "web"`); other lists say `an item of ...`.
_ITEM_NOUNS = {"servicePorts": "port", "pods": "pod", "volumes": "volume", "secrets": "secret", "vars": "var"}


class SchemaLoadError(Exception):
    """A schema that cannot be used: unreadable, not JSON, not a valid JSON Schema, or a remote $ref.
    Its message quotes the schema (a `$ref`, a value jsonschema's metaschema refuses): what looks
    secret in it is starred, as in a config's errors (hunt 256 F2)."""

    def __init__(self, message: str) -> None:
        from nexlayer_lint.secrets import star_parts  # (only for a schema that cannot be used)

        message = star_parts(message)
        super().__init__(message)
        self.message = message


# --- loading ---------------------------------------------------------------------------------


def load_bundled() -> dict:
    """The bundled schema as a dict (a fresh copy each call)."""
    return json.loads(BUNDLED_PATH.read_text(encoding="utf-8"))


# Distinct patterns in a schema we did not write: each is proven linear on every run that loads
# it (about a millisecond each); 46,000 in a 4.9 MB served schema made every run from the cache
# take a minute (hunt 35 F6). The bundled schema has a dozen.
MAX_SCHEMA_PATTERNS = 1000
# Subschemas a schema we did not write may have: jsonschema checks each against its metaschema
# (~0.2 ms) on every run that loads it, the cached copy's too; 90,000 took 40 s (hunt 282 F3).
# The bundled schema has 61.
MAX_SCHEMA_NODES = 10_000
# The proofs of one schema's patterns, in all: 100 patterns each near linear_regex.MAX_STEPS
# (`^[a-z]{0,1000}000$`...) took 80 s on every run from the cache (hunt 140 F2).
MAX_PROOF_STEPS = 4_000_000


def build_validator(schema: Any, *, check_schema: bool = True, trusted: bool = False, digest: str | None = None) -> Any:
    """A validator for `schema`: its generated code (quickvalid.py), else jsonschema, both
    searching patterns as ECMA-262.

    Raises SchemaLoadError when the schema is nested too deeply, has a pattern that is not
    ECMA-262 (or, unless `trusted`, one that linear_regex.py cannot prove linear), is not a JSON
    Schema its metaschema accepts, or has a `$ref` to anywhere else (we never fetch one). With
    `check_schema` (any schema but the bundled one, which tests prove), jsonschema is built now,
    so that each of these is an error at load time; otherwise only when some data needs it.
    `digest`, the SHA-256 of the schema's bytes, lets the bundled schema's generated code come
    ready-made (quickvalid.py).
    """
    from nexlayer_lint.quickvalid import LazyValidator

    if not isinstance(schema, (dict, bool)):
        raise SchemaLoadError(f"a JSON Schema is an object or a boolean, not {_json_kind(schema)}")
    if schemawalk.deeper_than(schema, MAX_SCHEMA_DEPTH):
        raise SchemaLoadError(f"the schema is nested more than {MAX_SCHEMA_DEPTH} levels deep")
    if isinstance(schema, dict) and not isinstance(schema.get("$schema", ""), str):
        # jsonschema looks the dialect up by it: a number or a list was a traceback (hunt 116 F1)
        raise SchemaLoadError(f'"$schema" is the URI of a metaschema, a string, not {_json_kind(schema["$schema"])}')
    if check_schema and sum(1 for _ in schemawalk.nodes(schema)) > MAX_SCHEMA_NODES:
        raise SchemaLoadError(
            f"the schema has more than {MAX_SCHEMA_NODES:,} subschemas; each is checked on every run that loads it"
        )
    patterns = Patterns(trusted=trusted)
    found = list(schemawalk.patterns(schema))
    if not trusted and len({pattern for _, pattern in found}) > MAX_SCHEMA_PATTERNS:
        raise SchemaLoadError(
            f"the schema has more than {MAX_SCHEMA_PATTERNS:,} patterns; each must be proven to search in "
            "linear time, on every run"
        )
    # each distinct pattern's proof counted by its own steps, whatever is cached: the verdict is the
    # schema's alone (hunt 141 F4: a second build passed, and two at once were both refused)
    proven: set[str] = set()
    spent = 0
    if not trusted:
        from nexlayer_lint.linear_regex import proof_steps  # only for a schema we did not write
    for where, pattern in found:
        try:
            patterns.compile(pattern)
        except PatternError as why:
            raise SchemaLoadError(f'the pattern "{_short(pattern, 60)}" at {where} is refused: {why}') from None
        if trusted or pattern in proven:
            continue
        proven.add(pattern)
        spent += proof_steps(pattern)
        if spent > MAX_PROOF_STEPS:
            raise SchemaLoadError(
                f"its patterns take too long to prove that they search in linear time (over {MAX_PROOF_STEPS:,} "
                f"steps by the pattern at {where}); each is proven on every run"
            )
    validator = LazyValidator(schema, lambda: _jsonschema_validator(schema, patterns, check_schema), patterns, digest)
    if check_schema:
        validator.real  # noqa: B018 - built now: a bad schema is an error at load, not mid-run
    return validator


def _jsonschema_validator(schema: Any, patterns: Patterns, check_schema: bool) -> Any:
    """jsonschema's validator for `schema`, with ECMA-262 patterns; `$ref`s resolve only inside it and metaschemas."""
    import jsonschema
    import referencing
    import referencing.jsonschema
    from referencing.exceptions import Unresolvable

    from nexlayer_lint.patterns import format_checker, jsonschema_keywords

    base = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    dialect = base.META_SCHEMA.get("$id") or base.META_SCHEMA.get("id", "")  # draft 4's metaschema says `id`
    formats = format_checker(base.FORMAT_CHECKER)
    if check_schema and base is jsonschema.Draft3Validator:
        # draft 3 applies subschemas in place through `extends`, `type` and `disallow`, which
        # neither schemawalk.py nor schema_cost.py reads (hunt 38 F3: 2**20 checks of a value)
        raise SchemaLoadError("a draft 3 schema is not supported: write it as draft 2020-12, 2019-09, 7, 6 or 4")
    if check_schema:
        meta = jsonschema.validators.validator_for(base.META_SCHEMA, default=base)
        meta = jsonschema.validators.extend(meta, jsonschema_keywords(Patterns(trusted=True)))
        checker = meta(base.META_SCHEMA, format_checker=formats)
        error = _metaschema_error(
            checker, schema, enums_unique=base is jsonschema.Draft4Validator, keywords=base.VALIDATORS.keys()
        )
        if error is not None:
            raise SchemaLoadError(
                f"not a valid JSON Schema: {error.message} (at {_json_pointer(error.absolute_path)}, "
                f"checked against {dialect or 'its metaschema'})"
            )
        keywords = {key for _, node in schemawalk.nodes(schema) if isinstance(node, dict) for key in node}
        if {"unevaluatedProperties", "patternProperties"} <= keywords:
            # jsonschema's unevaluatedProperties matches patternProperties with Python's `re`, deep inside
            raise SchemaLoadError(
                "unevaluatedProperties beside patternProperties is not supported: "
                "nexlayer-lint could not search those patterns as ECMA-262"
            )
        costly = sorted(keyword for keyword in keywords & _COSTLY_KEYWORDS if keyword in base.VALIDATORS)
        if costly:
            raise SchemaLoadError(
                f"{costly[0]} is not supported in a schema nexlayer-lint did not write: checking data "
                "with it can take time exponential in how deep the data nests"
            )
    # A registry with no `retrieve`: an unknown URI is Unresolvable, never a download. (Without an
    # explicit registry jsonschema would fall back to fetching remote refs over the network.)
    registry: referencing.Registry = referencing.Registry()
    # the draft's own rules (which key is an id, where subschemas are), as jsonschema resolves with
    spec = referencing.jsonschema.specification_with(dialect, default=referencing.jsonschema.DRAFT202012)
    resource = spec.create_resource(schema)
    from jsonschema_specifications import REGISTRY as METASCHEMAS

    resolver = METASCHEMAS.combine(registry).resolver_with_root(resource)
    resolvers: dict[int, Any] = {}  # each subschema -> the resolver its $refs resolve with
    _check_refs(resource, resolver, Unresolvable, resolvers=resolvers)
    if check_schema:
        inside = _inside(schema)
        _resolvers_everywhere(schema, resolver, resolvers, spec)
        _check_ref_targets(schema, resolver, resolvers, inside, Unresolvable)
        _check_cost(schema, resolver, resolvers, inside, Unresolvable)
    cls = jsonschema.validators.extend(base, jsonschema_keywords(patterns))
    return _Jsonschema(cls(schema, registry=registry, format_checker=formats if _uses_format(schema) else None))


# Where a metaschema wants a list of unique names: `type`, `required`, and each list of names
# under `dependentRequired` or draft 4-7's `dependencies`
_NAME_LISTS = frozenset({"type", "required"})
_NAME_LIST_MAPS = frozenset({"dependentRequired", "dependencies"})


def _metaschema_error(meta: Any, schema: Any, *, enums_unique: bool, keywords: Collection[str]) -> Any:
    """The first error the metaschema check finds in `schema`, in time linear in its size.

    jsonschema's uniqueItems compares each pair of items it cannot sort (objects), so a served
    schema's `enum` of 3,000 objects took 15 s on every run, past any --timeout (hunt 101 F2). So
    a list the metaschema wants of unique names is refused first when it holds anything but
    strings (the metaschema refuses that too, after the pairs); where the metaschema wants
    `enum`'s items unique (draft 4's), they are compared here as JSON compares them, and the
    metaschema is shown distinct numbers in their place for the time of its check. `keywords`:
    the draft's (`dependentRequired` is none of draft 7's: hunt 102 F5)."""
    name_lists = {key for key in _NAME_LISTS if key in keywords}
    name_list_maps = {key for key in _NAME_LIST_MAPS if key in keywords}
    swapped: list[tuple[dict, list]] = []
    try:
        for where, node in schemawalk.nodes(schema):
            if not isinstance(node, dict):
                continue
            for key in name_lists & node.keys():
                _check_names(node[key], f"{where}/{key}")
            for key in name_list_maps & node.keys():
                if isinstance(node[key], dict):
                    for name, listed in node[key].items():
                        _check_names(listed, f"{where}/{key}/{name}")
            if enums_unique and isinstance(node.get("enum"), list):
                _check_unique(node["enum"], f"{where}/enum")
                swapped.append((node, node["enum"]))
                node["enum"] = list(range(len(node["enum"])))
        return next(meta.iter_errors(schema), None)
    finally:
        for node, enum in swapped:
            node["enum"] = enum


def _check_names(listed: Any, where: str) -> None:
    if isinstance(listed, list) and not all(isinstance(name, str) for name in listed):
        raise SchemaLoadError(f"not a valid JSON Schema: a list of names holds something else (at {where})")


def _check_unique(items: list, where: str) -> None:
    """Refuse an `enum` that repeats an item, compared as JSON compares (true is not 1, 1 is 1.0)."""
    from nexlayer_lint.quickvalid import first_repeat

    repeated = first_repeat(items)
    if repeated >= 0:
        shown = _short(json.dumps(items[repeated], ensure_ascii=False))
        raise SchemaLoadError(
            f"not a valid JSON Schema: {shown} is repeated, and enum's items must be unique (at {where})"
        )


def _list_hint(path: DataPath, instance: Any, fits: Callable[[Any], bool]) -> str:
    """How to write a list where one value is: the value in brackets when that passes; a list in
    quotes without its quotes (`"[8000]"`, when JSON reads it so); numbers apart as a list of them
    (`servicePorts: 80 443`, `"80"`), never other words (`"npm start"` is one item: hunt 103 F4);
    a number in brackets, for the list's shape (then NX104 says what is wrong with the number);
    else only that a list is wanted (`volumes: ./x:/y` in brackets is no volume: hunt 100 F2)."""
    key = path[-1] if path and isinstance(path[-1], str) else "key"
    if isinstance(instance, str):
        text = instance.strip()
        if text.startswith("[") and text.endswith("]") and fits(_json_list(text)):
            return f"remove the quotes: {key}: {_short(text, 40)}"  # as written: JSON is YAML too
        words = text.replace(",", " ").split()
        if words and all(word.isascii() and word.isdigit() for word in words) and fits([int(w) for w in words]):
            numbers = ", ".join(str(int(word)) for word in words)  # (`"0080"` as 80: NX005 for `0080`)
            return f"write a list: {key}: [{_short(numbers, 40)}]"  # `80 443`, `"80"`
    if not isinstance(instance, str) or fits([instance]):  # `servicePorts: 99999`: the list's shape
        shown = _number_text(instance) if _is_int(instance) else str(instance)
        return f"write a list, e.g. {key}: [{_short(shown, 20)}]"
    return f'write a list: {key}: then one "- " item per line'


def _json_list(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


class _Jsonschema:
    """jsonschema's validator, for data whose errors it cannot word.

    jsonschema words every error with repr(), and Python refuses to turn an integer of over 4,300
    digits into text (ValueError): then the data is given again with such integers as _LongInts
    (the same numbers, a short repr()). Long integers are rare, so they are not looked for first.
    """

    def __init__(self, validator: Any) -> None:
        self.validator = validator

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        try:
            return iter(list(self.validator.iter_errors(instance)))
        except ValueError:
            return iter(list(self.validator.iter_errors(_quotable(instance))))

    def is_valid(self, instance: Any) -> bool:
        return bool(self.validator.is_valid(instance))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.validator, name)


# Keywords whose checking jsonschema does by checking a value's subschemas again (unevaluated*:
# hunt 37 F1, 2**depth for `allOf: [{additionalProperties: {$ref: "#"}}]` beside one), or whose
# target is only known at run time ($dynamicRef, $recursiveRef: hunt 37 F2), so schema_cost.py
# cannot count them. The bundled schema uses none; a schema we did not write may not either.
_COSTLY_KEYWORDS = frozenset({"unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef"})


def _check_refs(
    resource: Any,
    resolver: Any,
    unresolvable: type[Exception],
    ends: set[int] | None = None,
    resolvers: dict[int, Any] | None = None,
) -> None:
    """Resolve every `$ref` now, so a remote, broken or looping one is an error at load time, not mid-run.

    `ends`: the ids of the subschemas whose chain of `$ref`s is known to end (each resolved),
    so that a long chain is followed once, not once per link. `resolvers` gets each subschema's
    resolver (its base URI), for _check_cost.
    """
    ends = set() if ends is None else ends
    contents = resource.contents
    if resolvers is not None:
        resolvers[id(contents)] = resolver
    if isinstance(contents, dict):
        _check_ref_chain(contents, resolver, unresolvable, ends)  # resolves its `$ref`
        if isinstance(contents.get("$dynamicRef"), str):
            _lookup(resolver, "$dynamicRef", contents["$dynamicRef"], unresolvable)
    # referencing takes the list form of draft 7's `dependencies` (`name: [pods]`) for a schema
    # too, and fails on it (hunt 39 F3: a RecursionError); a list holds no $ref
    for sub in (sub for sub in resource.subresources() if isinstance(sub.contents, (dict, bool))):
        _check_refs(sub, resolver.in_subresource(sub), unresolvable, ends, resolvers)


def _inside(schema: Any) -> set[int]:
    """The ids of every object and list of the schema document, subschema or not."""
    inside: set[int] = set()
    stack = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, (dict, list)):
            inside.add(id(value))
            stack.extend(value.values() if isinstance(value, dict) else value)
    return inside


def _resolvers_everywhere(schema: Any, root: Any, resolvers: dict[int, Any], spec: Any) -> None:
    """A resolver for every subschema schemawalk.py walks, also where referencing walks none (a
    draft 7 schema's `$defs`): its parent's, moved into the node's `$id` if it has one (the draft
    says which key that is), as jsonschema resolves its $refs there (hunt 40 F1, F2: from the
    root, a nested resource's `#/$defs/x` named another place, or none)."""
    stack: list[tuple[Any, Any]] = [(schema, root)]
    while stack:
        node, resolver = stack.pop()
        if not isinstance(node, dict):
            continue  # a boolean schema has no $ref
        resolver = resolvers.get(id(node)) or resolver.in_subresource(spec.create_resource(node))
        resolvers[id(node)] = resolver
        stack.extend((sub, resolver) for _, sub in schemawalk.subschemas(node))


def _check_ref_targets(
    schema: Any, root: Any, resolvers: dict[int, Any], inside: set[int], unresolvable: type[Exception]
) -> None:
    """SchemaLoadError if a `$ref` of the schema names a place inside it that is no subschema
    (`#/x-lib/t`, an `enum` value, a string): what the load-time checks walk (schemawalk.nodes:
    patterns, keywords, depth) is every subschema, and a schema there would be checked without
    them (hunt 38 F1, F2; hunt 39 F4). A `$ref` into a metaschema is another document, ours to
    trust. Each node's resolver is _resolvers_everywhere's."""
    walked = {id(node) for _, node in schemawalk.nodes(schema)}
    for where, node in schemawalk.nodes(schema):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            continue
        target = _lookup(resolvers.get(id(node), root), "$ref", node["$ref"], unresolvable).contents
        if not isinstance(target, (dict, bool)) or (id(target) in inside and id(target) not in walked):
            raise SchemaLoadError(
                f'$ref "{_short(node["$ref"], 80)}" (at {where or "/"}) names a place that is no subschema; '
                "put what it names under $defs"
            )


def _check_cost(
    schema: Any, root: Any, resolvers: dict[int, Any], inside: set[int], unresolvable: type[Exception]
) -> None:
    """SchemaLoadError if checking one value against the schema would apply too many subschemas
    (schema_cost.py): a served schema built so would hang every run that loads it from the cache.
    A metaschema a `$ref` names counts as one subschema: ours to trust, and its own `$ref`s
    resolve in its document, not this one (hunt 39 F2)."""
    from nexlayer_lint.schema_cost import TooCostly, check_cost

    def resolve(node: Any, ref: str) -> Any:
        target = _lookup(resolvers.get(id(node), root), "$ref", ref, unresolvable).contents
        return target if id(target) in inside else True

    try:
        check_cost(schema, resolve)
    except TooCostly as exc:
        raise SchemaLoadError(f"checking data against the schema could take too long: {exc}") from None
    except RecursionError:  # a chain of thousands of $refs, each a frame (hunt 35 F7)
        raise SchemaLoadError("the schema's $refs lead through too many subschemas to follow") from None


def _lookup(resolver: Any, keyword: str, ref: str, unresolvable: type[Exception]) -> Any:
    """resolver.lookup(ref), or SchemaLoadError saying why `ref` does not resolve."""
    try:
        return resolver.lookup(ref)
    except (unresolvable, ValueError):
        # ValueError: referencing reads a pointer's step into a list with int(), which refuses
        # "²" (str.isdigit() is true of it) and an index of over 4,300 digits.
        remote = re.match(r"(?i)[a-z][a-z0-9+.-]*://", ref) is not None
        why = (
            "points to another document; remote references are never fetched, so inline it under $defs"
            if remote
            else "does not resolve inside the schema"
        )
        if remote:
            from nexlayer_lint.http_client import display_ref

            ref = display_ref(ref)
        raise SchemaLoadError(f'{keyword} "{_short(ref, 80)}" {why}') from None


def _check_ref_chain(contents: dict, resolver: Any, unresolvable: type[Exception], ends: set[int]) -> None:
    """SchemaLoadError if following `$ref`s from `contents` comes back to a subschema on the way.

    Each `$ref` checks the same data against its target, so such a loop never ends: jsonschema
    runs out of stack, which would read as data nested too deeply (NX105), blaming the file.
    Subschemas are told apart by identity: a lookup gives the schema's own objects.
    """
    node: Any = contents  # a target may be a boolean schema
    on_the_way = {id(node)}
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and id(node) not in ends:
        ref = node["$ref"]
        resolved = _lookup(resolver, "$ref", ref, unresolvable)
        node, resolver = resolved.contents, resolved.resolver
        if id(node) in on_the_way:
            raise SchemaLoadError(
                f'$ref "{_short(ref, 80)}" loops: the schema\'s $refs lead from it back to it, '
                "so no data can be checked against it"
            )
        on_the_way.add(id(node))
    ends.update(on_the_way)


def _uses_format(schema: Any) -> bool:
    """Whether any subschema says `format`; the format checker costs time, so only then."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def schema_version(schema: Any) -> str:
    """The version string a schema carries: ours, else a plain `version`, else ""."""
    if isinstance(schema, dict):
        for key in (VERSION_KEY, "version"):
            if isinstance(schema.get(key), (str, int, float)) and not isinstance(schema.get(key), bool):
                return str(schema[key])
    return ""


def load_schema_bytes(raw: bytes, *, source: str, location: str, check_schema: bool = True) -> tuple[Any, SchemaInfo]:
    """Bytes of a schema (a file, a cached download) -> (validator, SchemaInfo)."""
    try:
        schema = json.loads(raw.decode("utf-8-sig"), parse_constant=not_json)
    except UnicodeDecodeError:
        raise SchemaLoadError(f"{location}: not UTF-8 text, so not a JSON Schema") from None
    except json.JSONDecodeError as exc:
        raise SchemaLoadError(f"{location}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise SchemaLoadError(f"{location}: nested too deeply") from None
    except ValueError as exc:  # an integer too long for Python to read from text
        raise SchemaLoadError(f"{location}: not usable JSON ({exc})") from None
    digest = sha256_hex(raw)
    try:
        validator = build_validator(schema, check_schema=check_schema, digest=digest)
    except SchemaLoadError as exc:
        raise SchemaLoadError(f"{location}: {exc.message}") from None
    return validator, SchemaInfo(source, location, schema_version(schema), digest)


def not_json(word: str) -> Any:
    """json.loads's parse_constant for a schema: Python reads NaN and Infinity, which JSON has
    not; in a schema `maximum: NaN` turned a check off silently, and `multipleOf: NaN` was an
    internal error on every file (hunt 101 F3)."""
    raise ValueError(f"{word} is not a JSON number")


def sha256_hex(raw: bytes) -> str:
    """hashlib.sha256(raw).hexdigest() without importing hashlib, which loads OpenSSL at every
    run's start. CPython's built-in sha256 gives the same digest (tests/test_schema.py)."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # Python 3.12+
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]  # 3.10, 3.11
        except ImportError:  # a build without it
            from hashlib import sha256
    return sha256(raw).hexdigest()


@functools.cache
def bundled_validator() -> tuple[Any, SchemaInfo]:
    """The bundled schema's validator, built once per process.

    The metaschema check is skipped here (tests/test_schema.py proves the bundled file passes it,
    and it would cost every run start-up time for nothing), and the schema is trusted: its
    patterns are ours. jsonschema itself is never imported for it: quickvalid.py's generated code
    gives the same errors, except for data it cannot judge exactly (say, a list of lists under
    uniqueItems).
    """
    raw = BUNDLED_PATH.read_bytes()
    location, digest = str(BUNDLED_PATH), sha256_hex(raw)
    try:
        bundled = json.loads(raw.decode("utf-8-sig"))
        validator = build_validator(bundled, check_schema=False, trusted=True, digest=digest)
    except SchemaLoadError as exc:
        raise SchemaLoadError(f"{location}: {exc.message}") from None
    return validator, SchemaInfo("bundled", location, schema_version(validator.schema), digest)


def validator_for_file(path: str | Path) -> tuple[Any, SchemaInfo]:
    """A schema file's validator, built from the file as it is now (engine.choose_schema keeps
    it while the file does not change)."""
    return _validator_for_file(str(Path(path).expanduser().resolve()))


def _validator_for_file(path: str) -> tuple[Any, SchemaInfo]:
    # the location is printed (messages, reports' `schema.location`): shown as _shown_path shows it
    return load_schema_bytes(_read_schema_file(path), source="file", location=_shown_path(path))


def _shown_path(path: str) -> str:
    """A schema file's path for a message: a part that reads as user-info (`user:pw@host`, from a
    URL mistyped as `https:/user:pw@host`, which is then taken for a file) is shown from its `@`,
    and a secret's shape starred (a token given as `schema`), as config errors do."""

    def part(segment: str) -> str:
        before, at, after = segment.rpartition("@")
        return f"…@{after}" if at and ":" in before else segment

    from nexlayer_lint.secrets import star_parts  # only for an error: a token given as the path

    return star_parts("/".join(part(segment) for segment in path.split("/")))


def _read_schema_file(path: str) -> bytes:
    """A schema file's bytes: a regular file of at most MAX_SCHEMA_BYTES (a FIFO or /dev/zero must not hang a run)."""
    try:
        # Non-blocking: opening a FIFO nobody writes to would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise SchemaLoadError(f"cannot read schema file {_shown_path(path)}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
            raise SchemaLoadError(f"schema file {_shown_path(path)} is {kind}, not a regular file")
        chunks, size = [], 0
        while size <= MAX_SCHEMA_BYTES:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SchemaLoadError(f"cannot read schema file {_shown_path(path)}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > MAX_SCHEMA_BYTES:
        raise SchemaLoadError(f"schema file {_shown_path(path)} is larger than {MAX_SCHEMA_BYTES >> 20} MiB")
    return b"".join(chunks)


# --- mapping errors to problems --------------------------------------------------------------


def check(doc: Document, validator: Any) -> Iterator[Problem]:
    """Validate `doc.data`; one Problem per fault, coded NX101-NX105 and placed as their rule pages say."""
    yield from check_pods(doc, validator, keep=False)[0]


class PodFaults(NamedTuple):
    """What the schema step made of each pod's faults in one document, for the step on an edit of
    it (the language server's next keystroke): per pod position, the pod's data, the keys of its
    faults and the Problems each fault gave. `reusable` is False when a fault's Problem read
    other pods (vars in another tool's form: one NX101 for them all)."""

    validator: Any
    pods: dict[int, tuple[Any, tuple[Any, ...], tuple[tuple[Problem, ...], ...]]]
    reusable: bool
    data: Any  # the document's data, and the validator's errors for it, in order
    errors: tuple[Any, ...]
    quick: bool  # whether the validator's generated code found them (quickvalid), not jsonschema


def check_pods(
    doc: Document, validator: Any, earlier: PodFaults | None = None, keep: bool = True
) -> tuple[list[Problem], PodFaults]:
    """`check`, and what it made of each pod's faults (nothing when not `keep`: a run of the
    command line lints each Document once). With `earlier`, from the Document `doc` was edited
    from (scalar_edit: every other pod the same object, at the same place), the faults of a pod
    that is the same object as then, with the same keys, give the Problems they gave then:
    mapping a fault to its Problem is most of this step, and reads only the fault's own pod (but
    for a pod's name, whose fix renames the references in every pod: those are mapped again)."""
    mapper = _Mapper(doc, getattr(validator, "patterns", None) or Patterns(trusted=False), validator)
    problems: list[Problem] = []
    kept: dict[int, tuple[Any, tuple[Any, ...], tuple[tuple[Problem, ...], ...]]] = {}
    # A pod's or the app's name decides which var values are pod references and which are
    # secrets (secrets.py), which a Problem may quote: with another name, nothing is reused.
    if earlier is not None and not (
        earlier.reusable and earlier.validator is validator and names_in(earlier.data) == names_in(doc.data)
    ):
        earlier = None
    try:
        if not keep:
            for error in validator.iter_errors(doc.data):
                problems.extend(mapper.map(error))  # one by one: a RecursionError keeps those before it
            return problems, PodFaults(validator, {}, False, doc.data, (), False)
        errors, quick = None, True
        if earlier is not None:
            errors = _errors_after_edit(doc.data, validator, earlier)
        if errors is None:
            errors, quick = _validated(validator, doc.data)
        pods = doc.get("application", "pods")
        places: dict[int, list[int]] = {}  # pod position -> where its faults are in `errors`
        keys: dict[int, list[Any]] = {}  # pod position -> its faults' keys
        for place, error in enumerate(errors if isinstance(pods, list) else ()):
            path = tuple(error.absolute_path)
            pod = _pod_of(path)
            if pod is not None:
                places.setdefault(pod, []).append(place)
                keys.setdefault(pod, []).append((error.validator, path, tuple(error.absolute_schema_path)))
        given: dict[int, tuple[Problem, ...]] = {}  # a fault's place -> its Problems, as before
        for pod, at in places.items():
            then = earlier.pods.get(pod) if earlier is not None else None
            if then is not None and then[0] is pods[pod] and then[1] == tuple(keys[pod]):
                given.update(zip(at, then[2], strict=True))
        mapped: list[tuple[Problem, ...]] = []
        for place, error in enumerate(errors):
            found = given.get(place)
            if found is None:
                start = len(problems)
                problems.extend(mapper.map(error))  # one by one: a RecursionError keeps those before it
                found = tuple(problems[start:])
            else:
                problems.extend(found)
            mapped.append(found)
        for pod, at in places.items():
            kept[pod] = (pods[pod], tuple(keys[pod]), tuple(mapped[place] for place in at))
    except RecursionError:  # data nested deeper than a recursive `$ref` can be followed in Python
        problems.append(
            Problem(
                "NX105",
                "the file is nested too deeply to be checked against the schema",
                (),
                span=ROOT_SPAN,
                hint="flatten the deepest part of the file; the schema's $refs recurse once per level",
            )
        )
        return problems, PodFaults(validator, {}, False, doc.data, (), False)
    return problems, PodFaults(validator, kept, not mapper.vars_forms_done, doc.data, tuple(errors), quick)


def _validated(validator: Any, data: Any) -> tuple[list[Any], bool]:
    """The validator's errors for `data`, and whether its generated code found them: data it
    is not sure of goes to jsonschema, which may give up on data nested deep elsewhere (NX105)."""
    quick_errors = getattr(validator, "quick_errors", None)
    found = quick_errors(data) if quick_errors is not None else None
    if found is not None:
        return list(found), True
    return list((validator.real if quick_errors is not None else validator).iter_errors(data)), False


def _errors_after_edit(data: Any, validator: Any, earlier: PodFaults) -> list[Any] | None:
    """The validator's errors for `data`, made from `earlier`'s when the schema judges each pod
    by itself (pods_one_by_one) and `data` is the earlier data with one pod replaced: validated
    again with that pod and, in place of every other pod, None, whose errors mark where that
    pod's earlier errors go (the pods' errors come one pod after the other). None when that
    cannot be done exactly: the caller validates everything."""
    old, new = earlier.data, data
    if not (_same_but(old, new, "application") and _same_but(old["application"], new["application"], "pods")):
        return None
    old_pods, new_pods = old["application"]["pods"], new["application"]["pods"]
    if not (isinstance(old_pods, list) and isinstance(new_pods, list) and len(old_pods) == len(new_pods)):
        return None
    changed = [i for i, (then, now) in enumerate(zip(old_pods, new_pods, strict=True)) if then is not now]
    if len(changed) != 1 or not earlier.quick or not pods_one_by_one(validator.schema):
        return None
    (edited,) = changed
    runs: dict[int, list[Any]] = {}  # the earlier errors of each pod
    for error in earlier.errors:
        pod = _pod_at(tuple(error.absolute_path))
        if pod is not None:
            runs.setdefault(pod, []).append(error)
    stand_ins = [pod if i == edited else None for i, pod in enumerate(new_pods)]
    # By the generated code, as the earlier errors were: the whole data is then judged by it too
    # (what it is not sure of is in one value), and jsonschema, which gives up on data nested deep
    # in any pod (hunt 221 F1), judges neither.
    quick_errors = getattr(validator, "quick_errors", None)
    found = quick_errors({**new, "application": {**new["application"], "pods": stand_ins}}) if quick_errors else None
    if found is None:
        return None
    errors: list[Any] = []
    placed: set[int] = set()
    for error in found:
        pod = _pod_at(tuple(error.absolute_path))
        if pod is None or pod == edited:
            errors.append(error)
        elif pod not in placed:  # a stand-in's errors: the pod's own, from before
            placed.add(pod)
            errors.extend(runs.get(pod, ()))
    if any(pod not in placed for pod in runs if pod != edited):
        return None  # a stand-in the schema let pass: nothing marks where that pod's errors go
    return errors


def _same_but(old: Any, new: Any, key: str) -> bool:
    """Whether two mappings have the same keys and the same objects under them but `key`'s."""
    return (
        isinstance(old, dict)
        and isinstance(new, dict)
        and key in new
        and old.keys() == new.keys()
        and all(old[k] is new[k] for k in new if k != key)
    )


def _pod_at(path: DataPath) -> int | None:
    """The position of the pod that `path` is in or under."""
    if len(path) < 3 or path[0] != "application" or path[1] != "pods" or not isinstance(path[2], int):
        return None
    return path[2]


# With only these keywords at the root and in `application` (beside those that judge nothing),
# a mapping is judged by its keys, and a value only by the subschema its key names; with only
# these on `pods`, each pod by `items` alone.
_BY_KEYS = frozenset(
    {"type", "required", "properties", "additionalProperties", "propertyNames", "minProperties", "maxProperties"}
)
_POD_LIST = frozenset({"type", "items", "minItems", "maxItems"})
_NOT_JUDGING = frozenset(
    {"$schema", "$defs", "definitions", "$comment", "$anchor", "title", "description", "default", "examples"}
    | {"deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding"}
)


def pods_one_by_one(schema: Any) -> bool:
    """Whether `schema` judges each pod by itself, and nothing else by what a pod holds (the
    bundled schema does): then an edit inside one pod leaves every other pod's errors as they were."""
    root = _keywords(schema, schema, _BY_KEYS | {"$id"})  # a `$id` deeper would move what `$ref`s name
    application = _keywords(schema, _property(root, "application"), _BY_KEYS)
    return _keywords(schema, _property(application, "pods"), _POD_LIST) is not None


def _property(keywords: dict[str, Any] | None, name: str) -> Any:
    properties = keywords.get("properties") if keywords is not None else None
    return properties.get(name) if isinstance(properties, dict) else None


def _keywords(root: Any, node: Any, allowed: frozenset[str]) -> dict[str, Any] | None:
    """`node`'s keywords, with those of the `$ref`s it follows; None when one is not in `allowed`
    (nor judges nothing), or a `$ref` leads nowhere or round."""
    found: dict[str, Any] = {}
    for _ in range(16):
        if not isinstance(node, dict):
            return None
        for keyword, value in node.items():
            if keyword == "$ref" or keyword in _NOT_JUDGING or keyword.startswith("x-"):
                continue
            if keyword not in allowed or keyword in found:
                return None
            found[keyword] = value
        if "$ref" not in node:
            return found
        node = schemawalk.resolve(root, node["$ref"])
    return None


def _pod_of(path: DataPath) -> int | None:
    """The position of the pod a fault at `path` is in; None outside the pods, and for a pod's name."""
    return None if len(path) > 3 and path[3] == "name" else _pod_at(path)


class _Mapper:
    """Turns ValidationErrors into Problems; remembers what it has said to avoid repeating it."""

    def __init__(self, doc: Document, patterns: Patterns, validator: Any = None) -> None:
        self.doc = doc
        self.patterns = patterns
        self.validator = validator
        self.required_done: set[DataPath] = set()
        self.value_done: set[DataPath] = set()  # one NX104 per value: the first rule it breaks
        self.vars_forms_done: set[str] = set()
        self._comment_after: dict[int, Any] | None = None  # line -> the comment ending it, once asked

    def map(self, error: Any) -> Iterator[Problem]:
        keyword = error.validator
        path: DataPath = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, dict) else {}
        if _about_a_key(error):
            # propertyNames: the error is about one of the mapping's keys, which is its instance
            if path + (error.instance,) not in self.value_done:
                self.value_done.add(path + (error.instance,))
                yield self.invalid_key(error, path, schema)
            return
        if keyword == "required":
            yield from self.required(error, path, schema)
        elif keyword == "additionalProperties":
            yield from self.unknown_keys(error, path, schema)
        elif keyword == "type":
            yield self.wrong_type(
                error.instance, path, _as_list(error.validator_value), schema, self.value_schema(error)
            )
        elif keyword in ("oneOf", "anyOf"):
            yield from self.branches(error, path)
        elif keyword in _VALUE_KEYWORDS:
            if path not in self.value_done:  # a value that breaks several rules is told the first
                self.value_done.add(path)
                yield self.invalid_value(error, path, schema)
        elif keyword is None and path and isinstance(path[-1], str):
            # a `false` subschema under `properties`: the key itself is not allowed
            yield Problem(
                "NX102", f'key "{_short(path[-1])}" is not allowed in {self.subject(path[:-1])}', path, at="key"
            )
        else:
            yield self.other(error, path)

    # NX101
    def required(self, error: Any, path: DataPath, schema: dict) -> Iterator[Problem]:
        from nexlayer_lint import schema_fixes  # only for a finding

        # jsonschema yields one error per missing key without naming it structurally, so the
        # first error for a mapping reports all of its missing keys and the rest are skipped.
        if path in self.required_done or not isinstance(error.instance, dict):
            return
        self.required_done.add(path)
        if _one_key_var_item(path, error.instance):
            key, value = next(iter(error.instance.items()))
            # `- name: LOG_LEVEL`, `- Var: API_URL`: a word for `key` naming the var (as the
            # secrets are read), not a var called name (hunt 85); `- env: production` may be either
            named = (
                isinstance(key, str)
                and key.lower() in ITEM_NAME_KEYS
                and isinstance(value, str)
                and value.isupper()
                and value.replace("_", "").isalnum()
            )
            name = _short(value if named else key)
            yield Problem(
                "NX101",
                f'{self.subject(path)} is missing required keys "key" and "value"',
                path + (key,),
                at="key",
                hint=f"a list item of vars needs `- key: {name}` and `value: ...` on the next line; "
                + (
                    f"`{_short(key)}:` does not name a var there"
                    if named
                    else 'or make vars a mapping by removing the "- " before each name'
                ),
                explains=(Explains("NX102", path + (key,)),),  # the var's name is not an unknown key
            )
            return
        missing = [k for k in _as_list(error.validator_value) if isinstance(k, str) and k not in error.instance]
        where_path, at, span = self.owner_key(path, error.instance)
        subject = self.subject(path)
        properties = schema.get("properties")
        allowed = properties if isinstance(properties, dict) else {}
        present = [k for k in error.instance if k not in allowed]
        for key in missing:
            if not path and key == "application" and any(k in _APPLICATION_KEYS for k in error.instance):
                # the application's keys written at the top level: their NX102s are this one fault
                stray = tuple(Explains("NX102", (k,)) for k in error.instance if k in _APPLICATION_KEYS)
                yield Problem(
                    "NX101",
                    'the file is missing the top-level key "application"',
                    (),
                    span=span,
                    hint='start the file with "application:" and indent name, pods, ... under it',
                    explains=stray,
                )
                continue
            # a misspelt key (otherwise also an NX102) is the likely cause: one finding, at it
            typo = next((k for k in present if _did_you_mean(k, [key]) == key), None)
            if typo is not None:
                present.remove(typo)  # one misspelling stands for one missing key
                where = f"in {subject}" if path else "at the top level"
                yield Problem(
                    "NX101",
                    f'unknown key "{_short(typo)}" {where}: probably the required key "{key}", which is missing',
                    path + (typo,),
                    at="key",
                    hint=f'rename "{_short(typo)}" to "{key}"',
                    explains=(Explains("NX102", path + (typo,)),),
                    fix=schema_fixes.rename_key(
                        self.doc, path + (typo,), key, error.instance, self.fits(allowed.get(key))
                    ),
                )
                continue
            hint = _description_hint(key, allowed.get(key))
            explains: tuple[Explains, ...] = ()
            above = self.doc.get(*path[:-1]) if path and isinstance(path[-1], str) else None
            if isinstance(above, dict) and key in above:
                line = self.doc.locate(path[:-1] + (key,), "key").line
                hint = f'"{key}" on line {line} is one level too far out; indent it under "{path[-1]}"'
                explains = (Explains("NX102", path[:-1] + (key,)),)
            yield Problem(
                "NX101",
                f'{subject} is missing required key "{key}"',
                where_path,
                hint=hint,
                at=at,
                span=span,
                explains=explains,
            )

    def owner_key(self, path: DataPath, instance: dict) -> tuple[DataPath, Literal["key", "value"], Span | None]:
        """Where a mapping that lacks a key is pointed at: its key, a list item's first key, line 1."""
        if not path:
            return (), "value", ROOT_SPAN
        if isinstance(path[-1], int):
            if instance:
                return path + (next(iter(instance)),), "key", None
            return path, "value", None
        return path, "key", None

    # NX102
    def unknown_keys(self, error: Any, path: DataPath, schema: dict) -> Iterator[Problem]:
        from nexlayer_lint import schema_fixes  # only for a finding

        instance = error.instance
        if not isinstance(instance, dict):
            return
        properties = schema.get("properties")
        known = properties if isinstance(properties, dict) else {}
        patterns = [p for p in (schema.get("patternProperties") or {}) if isinstance(p, str)]
        subject = f"in {self.subject(path)}" if path else "at the top level"
        allowed = ", ".join(known) if known else "none"
        for key in instance:
            if key in known or any(_search(self.patterns, p, key) for p in patterns):
                continue
            guess = _did_you_mean(key, list(known))
            hint = (f'did you mean "{guess}"? ' if guess else "") + f"allowed keys: {allowed}"
            home = _ONE_LEVEL_DOWN.get((len(path), key))
            if home and not guess:
                hint = f'"{_short(key)}" belongs under "{home}": indent it there; {hint}'
            yield Problem(
                "NX102",
                f'unknown key "{_short(key)}" {subject}',
                path + (key,),
                hint=hint,
                at="key",
                fix=schema_fixes.rename_key(self.doc, path + (key,), guess, instance, self.fits(known.get(guess))),
            )

    def fits(self, schema: Any) -> Callable[[Any], bool]:
        """Whether a value a fix would write is valid under `schema` (jsonschema's validator for
        that subschema alone, its $refs resolved in the whole schema): a fix must end the finding,
        not trade it for another (`servicePorts: 99999` as a list is still no port)."""
        if not isinstance(schema, (dict, bool)):
            return lambda value: False
        part_verdict = getattr(self.validator, "part_verdict", None)
        quick = part_verdict(schema) if part_verdict is not None else lambda value: None
        evolved: list[Any] = []  # jsonschema's, built only for a value the generated code cannot judge

        def valid(value: Any) -> bool:
            verdict = quick(value)
            if verdict is not None:
                return verdict
            if not evolved:
                real = getattr(self.validator, "real", None)
                try:
                    evolved.append(None if real is None else real.evolve(schema=schema))
                except Exception:  # noqa: BLE001 - a schema jsonschema cannot take gets no fixes
                    evolved.append(None)
            if evolved[0] is None:
                return False
            try:
                return bool(evolved[0].is_valid(value))
            except (ValueError, RecursionError):
                return False

        return valid

    def value_schema(self, error: Any) -> Any:
        """The schema of the value an error is about: the one holding the keyword it broke, or the
        one whose `allOf` holds that (a pod path's three pattern rules are one schema); None
        when the way there does not resolve in the schema itself."""
        steps = list(error.absolute_schema_path)[:-1]
        while len(steps) >= 2 and steps[-2] == "allOf" and isinstance(steps[-1], int):
            del steps[-2:]
        root = node = getattr(self.validator, "schema", None)
        for step in steps:
            # jsonschema's path leaves out the `$ref`s it went through: follow them where the step is not
            for _ in range(MAX_SCHEMA_DEPTH):
                if not (isinstance(node, dict) and step not in node and isinstance(node.get("$ref"), str)):
                    break
                node = schemawalk.resolve(root, node["$ref"])
            if isinstance(node, dict) and step in node:
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return None
        return node

    # NX103
    def wrong_type(self, instance: Any, path: DataPath, expected: list, schema: dict, value_schema: Any) -> Problem:
        from nexlayer_lint import schema_fixes  # only for a finding

        words = [_TYPE_WORDS.get(t, str(t)) for t in expected if isinstance(t, str)]
        # an integer is also a number: do not offer both
        if "a number" in words and "an integer" in words:
            words.remove("an integer")
        want = " or ".join(words) or "another type"
        secret = self.is_secret(path)
        got = _describe(instance, secret)
        if path and isinstance(path[-1], int) and len(path) > 1 and path[-2] not in ("pods", "volumes", "secrets"):
            where = f"in {self.label(path[:-1])}"  # `port 2` would read as a port number
        else:
            where = f"for {self.label(path)}"
        message = f"expected {want} {where}, got {got}"
        fits = self.fits(value_schema)
        return Problem(
            "NX103",
            message,
            path,
            hint=self.type_hint(instance, path, expected, secret, fits),
            explains=_type_error_explains(path, instance),
            fix=schema_fixes.wrong_type(self.doc, path, instance, expected, secret, fits),
        )

    def unquoted_placeholder(self, path: DataPath) -> str | None:
        """The 2026 pipeline's image placeholder written unquoted after the key (`image: # filled
        by pipeline:web`), as a comment on the key's line; None when there is none (hunt 46 F5)."""
        located = self.doc.positions.get(path)
        if path[-1:] != ("image",) or located is None or located.key is None:
            return None
        if self._comment_after is None:  # indexed once: each pod's null image asks (hunt 104 F7)
            self._comment_after = {c.line: c for c in reversed(self.doc.comments) if not c.own_line}
        comment = self._comment_after.get(located.key.line)
        if comment is None or not comment.text.startswith("filled by pipeline"):
            return None
        return f"# {comment.text}"

    def type_hint(
        self, instance: Any, path: DataPath, expected: list, secret: bool, fits: Callable[[Any], bool]
    ) -> str | None:
        """Advice that, followed, ends the finding (`fits` tells which values would pass)."""
        source = None if secret else self.source_text(path)
        located = self.doc.positions.get(path)
        if "string" in expected and located is not None and located.style and not isinstance(instance, str):
            # quoted, yet no string: a tag before it (`!!int "4"`) says what YAML reads
            return "a tag before the value (such as !!int or !!bool) makes YAML read it so; remove the tag"
        if "string" in expected:
            if isinstance(instance, bool):
                return (
                    f"YAML reads unquoted {source or str(instance).lower()} as a boolean; "
                    f'quote it ("{source or str(instance).lower()}") to make it a string'
                )
            if isinstance(instance, (int, float)):
                if source and not fits(source) and fits(source + "Gi"):  # `size: 10` (hunt 100 F2)
                    return f"a size takes its unit, as text: write {source}Gi or {source}Mi"
                shown = f' ("{source}")' if source else ""
                return f"YAML reads an unquoted number as a number; quote it{shown} to make it a string"
            if instance is None:
                placeholder = self.unquoted_placeholder(path)
                if placeholder is not None:  # `image: # filled by pipeline:web`: YAML read a comment
                    return f'YAML reads an unquoted "#" as a comment: quote the placeholder, "{placeholder}"'
                return (
                    'an empty value (or ~ or null) is null in YAML; write a value, or quote it ("") for an empty string'
                )
            if isinstance(instance, list) and path and path[-1] in ("command", "entrypoint"):
                # an item may be secret (`"--password", "hunter2"`): then the list is not quoted
                secret = secret or any(self.is_secret(path + (i,)) for i in range(len(instance)))
                return _one_string_hint(str(path[-1]), instance, secret)
        if not path:
            return 'a Nexlayer file is a mapping that starts with "application:"'
        if "object" in expected and isinstance(instance, list) and path[-1] == "application":
            return "application holds a mapping of name, pods, ...; remove the leading `-`"
        if instance is None and isinstance(path[-1], int):
            return 'an empty "-" item is null in YAML; fill it in or remove it'
        if instance is None and len(path) == 4 and path[:2] == ("application", "pods") and path[3] == "path":
            return "give the URL path routed to this pod, e.g. path: /, or remove the key"
        if instance is None:
            return "a key with nothing after it is null in YAML; give it a value or remove the key"
        if "integer" in expected or "number" in expected:
            if isinstance(instance, str) and instance.strip().isascii() and instance.strip().isdigit():
                return f"remove the quotes: {instance.strip()}"
            if (
                isinstance(instance, str)
                and path
                and isinstance(path[-1], int)
                and len(path) > 1
                and path[-2] == "servicePorts"
            ):
                return "servicePorts takes plain port numbers, e.g. servicePorts: [80]"
            if isinstance(instance, dict) and len(path) > 1 and path[-2] == "servicePorts":
                return "servicePorts takes plain port numbers, e.g. servicePorts: [80], not {port: 80}"
        if expected == ["array"] and isinstance(instance, dict):
            return 'write each item as a list entry starting with "- "'
        if "object" in expected and path and isinstance(path[-1], str):
            return f"write a mapping: indented `name: value` lines under {path[-1]}:"
        if expected == ["array"] and not isinstance(instance, (list, dict)):
            return None if secret else _list_hint(path, instance, fits)
        if "object" in expected and isinstance(path[-1], int) and not isinstance(instance, (dict, list)):
            if len(path) >= 2 and path[-2] == "vars":  # `- NODE_ENV=production` (hunt 46 F4)
                return 'write vars as a mapping of NAME: value lines, or each item as "- key: NAME" and "value: ..."'
            return 'write the item as "key: value" lines after the "- "'
        return None

    # NX104
    def invalid_value(self, error: Any, path: DataPath, schema: dict) -> Problem:
        from nexlayer_lint import schema_fixes  # only for a finding

        keyword = error.validator
        instance = error.instance
        secret = self.is_secret(path)
        problem_path = path
        extra = ""
        if keyword == "uniqueItems" and isinstance(instance, list):
            # point at the second of the repeated items: that is the one to delete. Found by hash:
            # comparing each pair took 19 s for 20,000 ports
            from nexlayer_lint.quickvalid import first_repeat

            repeated = first_repeat(instance)
            if repeated >= 0:
                problem_path = path + (repeated,)
                shown = "a value" if self.is_secret(problem_path) else _quote(instance[repeated])
                extra = f" ({shown} is repeated)"
        predicate = _schema_text(schema, MESSAGES_KEY, keyword) or _default_predicate(keyword, error.validator_value)
        subject = (
            self.label(path)
            if keyword
            in ("minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "minContains", "maxContains")
            else self.value_label(instance, path, secret)
        )
        hint = (
            _schema_text(schema, HINTS_KEY, keyword)
            if secret
            else self.value_hint(instance, error.validator_value, keyword, schema)
        )
        fix = None
        if keyword == "pattern" and isinstance(instance, str) and not secret:
            rule = error.validator_value
            suggestion = _suggest(instance, rule, self.patterns, schema.get(SUGGEST_KEY))
            fix = schema_fixes.invalid_value(self.doc, path, instance, self.fits(self.value_schema(error)), suggestion)
            if suggestion and schema_fixes.another_pod_named(self.doc, path, suggestion):
                # `Web` beside a pod `web`: the suggestion would make a duplicate (hunt 100 F3)
                hint = f'"{suggestion}" is the name of another pod: choose one of its own'
        return Problem(
            "NX104",
            f"{subject} {predicate}{extra}",
            problem_path,
            hint=hint,
            explains=_invalid_value_explains(problem_path),
            fix=fix,
        )

    def invalid_key(self, error: Any, path: DataPath, schema: dict) -> Problem:
        """A key that breaks `propertyNames` (a var's name), pointed at the key itself."""
        key = error.instance
        keyword = error.validator
        noun = "var name" if path and path[-1] == "vars" else "key"
        subject = f"{noun} {_quote(key)}{self.owner_suffix(path[:-1] if noun == 'var name' else path)}"
        if keyword not in _VALUE_KEYWORDS:
            return Problem("NX104", f"{subject} is not allowed here", path + (key,), at="key")
        predicate = _schema_text(schema, MESSAGES_KEY, keyword) or _default_predicate(keyword, error.validator_value)
        return Problem(
            "NX104",
            f"{subject} {predicate}",
            path + (key,),
            at="key",
            hint=self.value_hint(key, error.validator_value, keyword, schema),
        )

    def value_hint(self, value: Any, rule: Any, keyword: str, schema: dict) -> str | None:
        """A corrected value when one can be guessed (it beats general advice), else the schema's hint."""
        if keyword == "pattern":
            suggestion = _suggest(value, rule, self.patterns, schema.get(SUGGEST_KEY))
            if suggestion and len(suggestion) <= MAX_QUOTED:
                return f'did you mean "{suggestion}"?'
        return _schema_text(schema, HINTS_KEY, keyword)

    # oneOf / anyOf
    def branches(self, error: Any, path: DataPath) -> Iterator[Problem]:
        if path and path[-1] == "vars":
            yield from self.vars_form(path, error.instance)
        by_branch: dict[int, list[Any]] = {}
        for sub in error.context or ():
            index = sub.relative_schema_path[0] if sub.relative_schema_path else None
            if isinstance(index, int):
                by_branch.setdefault(index, []).append(sub)
        if not by_branch:  # oneOf matched more than one branch: no branch error explains it
            yield self.other(error, path)
            return
        depth = len(path)

        def rejects_type(errors: list[Any]) -> bool:
            return any(e.validator == "type" and len(e.absolute_path) == depth for e in errors)

        fitting = {i: errs for i, errs in by_branch.items() if not rejects_type(errs)}
        if not fitting:
            # every branch wants another type: one NX103 naming all of them
            expected: list = []
            for errs in by_branch.values():
                for e in errs:
                    if e.validator == "type" and len(e.absolute_path) == depth:
                        expected.extend(t for t in _as_list(e.validator_value) if t not in expected)
            schema = error.schema if isinstance(error.schema, dict) else {}
            yield self.wrong_type(error.instance, path, expected, schema, self.value_schema(error))
            return
        # the branch that fits the value's type and fails least is what the author meant
        best = min(fitting, key=lambda i: (len(fitting[i]), i))
        for sub in fitting[best]:
            yield from self.map(sub)

    def vars_form(self, path: DataPath, instance: Any) -> Iterator[Problem]:
        """vars written in a form of another tool: one NX101 per file, at the first pod's vars, in
        place of an NX101 and an NX102 for every item (and NX216) in every pod that writes it."""
        form = _vars_form(instance)
        if form is None or form in self.vars_forms_done:
            return
        self.vars_forms_done.add(form)
        pods = self.doc.get("application", "pods")
        same = [
            ("application", "pods", i, "vars")
            for i, pod in enumerate(pods if isinstance(pods, list) else [])
            if isinstance(pod, dict) and _vars_form(pod.get("vars")) == form
        ]
        explains = tuple(Explains(code, where, subtree=True) for where in same for code in ("NX101", "NX102"))
        explains += tuple(Explains("NX216", where) for where in same)
        others = [self.subject(where[:3]) for where in same if where != path]
        also = f" (so are the vars of {', '.join(others)})" if others else ""
        first = instance[0]
        if form == "kubernetes":
            name = first.get("name")
            example = f'"{_short(name)}: <value>"' if isinstance(name, str) and name else '"NAME: value"'
            yield Problem(
                "NX101",
                f"vars of {self.subject(path[:-1])} is a Kubernetes-style list of name/value items{also}; "
                "Nexlayer reads vars as a mapping of NAME: value",
                path,
                at="key",
                explains=explains,
                hint=f"write each var as a NAME: value line under vars, e.g. {example}",
            )
        else:
            yield Problem(
                "NX101",
                f'vars of {self.subject(path[:-1])} is a list of single-key items ("- NAME: value"){also}; '
                "Nexlayer reads vars as a mapping of NAME: value, or a list of key/value items",
                path,
                at="key",
                explains=explains,
                hint='remove the "- " before each var to make vars a mapping',
            )

    # NX105
    def other(self, error: Any, path: DataPath) -> Problem:
        keyword = error.validator or "false"
        secret = self.is_secret(path)
        hint = _schema_text(error.schema if isinstance(error.schema, dict) else {}, HINTS_KEY, keyword)
        message = _schema_text(error.schema if isinstance(error.schema, dict) else {}, MESSAGES_KEY, keyword)
        if message:
            text = f"{self.value_label(error.instance, path, secret)} {message}"
        elif keyword == "oneOf":
            text = f"{self.label(path)} matches more than one of the allowed forms; the schema allows exactly one"
        else:
            text = f"{self.label(path)} breaks the schema's `{keyword}` rule"
        return Problem("NX105", text, path, hint=hint)

    # --- naming things -----------------------------------------------------------------------

    def subject(self, path: DataPath) -> str:
        """A mapping as the author knows it: `pod "web"`, `volume "data" of pod "db"`, `application`."""
        if not path:
            return "the top level of the file"
        if path == ("application",):
            return "application"
        last = path[-1]
        if isinstance(last, int) and len(path) >= 2 and isinstance(path[-2], str):
            noun = _ITEM_NOUNS.get(path[-2])
            name = self.doc.get(*path, "name")
            owner = self.owner_suffix(path[:-2])
            if noun and path[-2] != "vars" and isinstance(name, str) and name and not self.is_secret(path + ("name",)):
                return f'{noun} "{_short(name)}"{owner}'
            return f"{path[-2]}[{last}]{owner}"
        if isinstance(last, str):
            return f"{last}{self.owner_suffix(path[:-1])}"
        return format_path(path)

    def owner_suffix(self, path: DataPath) -> str:
        """` of pod "web"` when `path` is inside a pod; nothing at application level."""
        if len(path) >= 3 and path[1] == "pods" and isinstance(path[2], int):
            return f" of {self.subject(path[:3])}"
        return ""

    def label(self, path: DataPath) -> str:
        """A place holding a value: `"image" of pod "web"`, `var "PORT" of pod "web"`, `port 2 of ...`."""
        if not path:
            return "the file"
        last = path[-1]
        parent = path[:-1]
        if path == ("application",):
            return '"application"'
        if len(parent) >= 1 and parent[-1] == "vars" and isinstance(last, str):
            return f'var "{_short(last)}"{self.owner_suffix(parent[:-1])}'
        if isinstance(last, int) and parent and isinstance(parent[-1], str):
            noun = _ITEM_NOUNS.get(parent[-1])
            if noun in ("pod", "volume", "secret"):
                return self.subject(path)
            if noun:
                return f"{noun} {last + 1} in {parent[-1]}{self.owner_suffix(parent[:-1])}"
            return f"item {last + 1} of {self.label(parent)}"
        if isinstance(last, str):
            if len(parent) >= 2 and parent[-2] == "vars" and isinstance(parent[-1], int):
                name = self.doc.get(*parent, "key")
                owner = self.owner_suffix(parent[:-2])
                if isinstance(name, str) and last == "value":
                    return f'the value of var "{_short(name)}"{owner}'
                return f'"{last}" of vars[{parent[-1]}]{owner}'
            if parent in ((), ("application",)):
                return f'"{last}"'
            return f'"{last}" of {self.subject(parent)}'
        return format_path(path)

    def value_label(self, instance: Any, path: DataPath, secret: bool) -> str:
        """`pod name "Web_1"`, `path "api" of pod "web"`, `port 70000 in servicePorts of pod "web"`."""
        shown = "" if secret else f" {_quote(instance)}"
        if len(path) >= 3 and path[-1] == "key" and isinstance(path[-2], int) and path[-3] == "vars":
            return f"var name{shown}{self.owner_suffix(path[:-3])}"
        if len(path) >= 1 and path[-1] == "name":
            parent = path[:-1]
            if parent == ("application",):
                return f"application name{shown}"
            if len(parent) >= 2 and isinstance(parent[-1], int) and isinstance(parent[-2], str):
                noun = _ITEM_NOUNS.get(parent[-2], parent[-2])
                return f"{noun} name{shown}{self.owner_suffix(parent[:-2])}"
        if path and isinstance(path[-1], int) and len(path) >= 2 and path[-2] == "servicePorts":
            return f"port{shown} in servicePorts{self.owner_suffix(path[:-2])}"
        if path and isinstance(path[-1], str) and not (len(path) >= 2 and path[-2] == "vars"):
            parent = path[:-1]
            of = "" if parent in ((), ("application",)) else f" of {self.subject(parent)}"
            return f"{path[-1]}{shown}{of}"
        if secret or isinstance(instance, (dict, list)):
            return self.label(path)
        return f"{self.label(path)} ({_quote(instance)})"

    def is_secret(self, path: DataPath) -> bool:
        return _is_secret(self.doc, path)

    def source_text(self, path: DataPath) -> str | None:
        """The value as written in the file, when it is a short single-line plain scalar; without
        the anchor or tag before it (`&w 4`: quoting both would make the anchor text, hunt 64 F1)."""
        located = self.doc.positions.get(path)
        text = self.doc.source_of(path) if located is not None and located.style == "" else None
        while text and text[0] in "&!":  # a plain scalar cannot start so: these are properties
            _, _, text = text.partition(" ")
            text = text.lstrip(" \t")
        return text if text and len(text) <= MAX_QUOTED else None


# --- helpers ---------------------------------------------------------------------------------


def _is_secret(doc: Document, path: DataPath) -> bool:
    """Whether the value at `path` must never be quoted (secrets.py is the one place that decides)."""
    return holds_secret(doc, path)


_ONE_STRING_EXAMPLES = {"command": "npm run start", "entrypoint": "/docker-entrypoint.sh"}


def _one_string_hint(key: str, items: list, secret: bool) -> str:
    """`write the command as one string, e.g. command: "npm run start"`, from the list itself when it can be."""
    example = _ONE_STRING_EXAMPLES.get(key, "...")
    if not secret and items and all(isinstance(item, str) for item in items):
        import shlex

        joined = shlex.join(items)
        if len(joined) <= MAX_QUOTED and '"' not in joined and "\\" not in joined:
            example = joined
    return f'write the {key} as one string, e.g. {key}: "{example}"'


def _type_error_explains(path: DataPath, instance: Any) -> tuple[Explains, ...]:
    """What a wrong type is also the cause of: the YAML 1.1 warning about the same unquoted scalar
    (`PORT: 0022`), and, for a pod's empty `path:`, the finding that no pod has a path."""
    if isinstance(instance, (dict, list)):
        return ()
    explains: tuple[Explains, ...] = (Explains("NX005", path, at="value"),)
    if instance is None and len(path) == 4 and path[:2] == ("application", "pods") and path[3] == "path":
        explains += (Explains("NX201", path[:2]),)
    return explains


# A pod's value the schema rejects, and the checks' findings about that same value that it is the
# cause of: an image that is no image reference has no tag to pin (NX215) and names no registry (NX203).
_POD_VALUE_FINDINGS = {"image": ("NX203", "NX215")}


def _invalid_value_explains(path: DataPath) -> tuple[Explains, ...]:
    if len(path) == 4 and path[:2] == ("application", "pods") and path[3] in _POD_VALUE_FINDINGS:
        return tuple(Explains(code, path) for code in _POD_VALUE_FINDINGS[path[3]])
    return ()


def _vars_form(instance: Any) -> str | None:
    """ "kubernetes" for a list of `- name: X` / `value: y` items, "single-key" for `- NAME: value`
    items, None for anything else (the documented forms, or a mix the schema reports item by item)."""
    if not isinstance(instance, list) or not instance or not all(isinstance(item, dict) for item in instance):
        return None
    if all("name" in item and "key" not in item and set(item) <= {"name", "value", "valueFrom"} for item in instance):
        return "kubernetes"
    if all(len(item) == 1 and not {"key", "value"} & set(item) for item in instance):
        return "single-key"
    return None


def _about_a_key(error: Any) -> bool:
    """Whether a ValidationError is about a key of a mapping (it came through `propertyNames`)."""
    return "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str)


def _one_key_var_item(path: DataPath, instance: Any) -> bool:
    """`- NAME: value` in a list of vars: neither form, but plainly one var; report it once."""
    return (
        len(path) >= 2
        and path[-2] == "vars"
        and isinstance(path[-1], int)
        and isinstance(instance, dict)
        and len(instance) == 1
        and not ({"key", "value"} & set(instance))
    )


def _suggest(value: Any, pattern: Any, patterns: Patterns, how: Any = None) -> str | None:
    """A corrected value that matches `pattern`: `Kd Chat` -> `kd-chat`, `https://x.io/` -> `x.io`,
    `10G` -> `10Gi`; `how` names the guesses to try, in order (the schema's x-suggest)."""
    if not isinstance(value, str) or not isinstance(pattern, str):
        return None
    # `Acme.Shop` is `acme.shop` before it is `acme-shop`: the least change first (hunt 100 F4)
    names = how if isinstance(how, list) else ["url-host", "lowercase", "dashes"]
    for name in names:
        guess = _SUGGESTERS.get(name) if isinstance(name, str) else None
        for candidate in guess(value) if guess else ():
            if candidate and candidate != value and _search(patterns, pattern, candidate):
                return candidate
    return None


def _dashed(value: str) -> list[str]:
    """`Café App.io` -> `cafe-app.io`, then `cafe-app-io`: letters without their accents (`é`
    was dropped: hunt 100 F4), each run of other characters one dash, dots kept first."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c)).lower()
    return [re.sub(r"[^a-z0-9.]+", "-", plain).strip("-."), re.sub(r"[^a-z0-9]+", "-", plain).strip("-")]


def _url_hosts(value: str) -> list[str]:
    """`https://ghcr.io:443/v2/` -> `ghcr.io:443`, then `ghcr.io`."""
    if "://" not in value:
        return []
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
        return [parts.netloc.rpartition("@")[2].lower(), (parts.hostname or "").lower()]
    except ValueError:
        return []


_SIZE = lazy(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTkmgt])(?:i|I)?[Bb]?\s*")
_MI_PER_UNIT = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}


def _sizes(value: str) -> list[str]:
    """A size in another unit as whole Mi or Gi: `10G` -> `10Gi`, `1Ti` -> `1024Gi`, `1.5Gi` -> `1536Mi`."""
    match = _SIZE.fullmatch(value)
    if match is None:
        return []
    mebibytes = float(match.group(1)) * _MI_PER_UNIT[match.group(2).lower()]
    whole = math.ceil(mebibytes)
    if whole <= 0:
        return []
    return [f"{whole // 1024}Gi" if whole % 1024 == 0 else f"{whole}Mi"]


_SUGGESTERS = {
    "url-host": _url_hosts,
    "before-slash": lambda value: [value.strip().split("/", 1)[0].lower()] if "/" in value else [],
    "no-port": lambda value: [value.strip().rpartition(":")[0].lower()] if ":" in value and "/" not in value else [],
    "lowercase": lambda value: [value.strip().lower()],
    "dashes": lambda value: _dashed(value),
    "underscores": lambda value: [re.sub(r"[^A-Za-z0-9_]+", "_", value).strip("_")],
    "basename": lambda value: [value.rstrip("/").rpartition("/")[2]] if "/" in value else [],
    "size": _sizes,
}


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _short(text: str, limit: int = MAX_QUOTED) -> str:
    return shortened(text, limit)  # secrets.py hides this form of a long secret as well


def _quote(value: Any) -> str:
    """A value as messages show it: strings quoted and shortened, numbers bare, collections named."""
    if isinstance(value, str):
        return f'"{_short(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return _number_text(value)
    if isinstance(value, float):
        return _short(repr(value))
    return "a mapping" if isinstance(value, dict) else "a list"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number_text(value: int) -> str:
    """An integer as messages show it: whole up to MAX_QUOTED characters, else its first digits and length."""
    if isinstance(value, HugeInt):
        return repr(value)  # the loader's stand-in says what it stands for
    try:
        text = int.__repr__(value)
    except ValueError:  # over Python's limit on int -> decimal text (4,300 digits); hexadecimal has none
        digits = f"{abs(value):x}"
        return f"{'-' if value < 0 else ''}0x{digits[:16]}... ({len(digits):,} hexadecimal digits)"
    if len(text) <= MAX_QUOTED:
        return text
    digits = text.lstrip("-")
    return f"{text[: len(text) - len(digits)]}{digits[:16]}... ({len(digits):,} digits)"


class _LongInt(int):
    """An integer longer than MAX_QUOTED digits whose repr() is its shortened text (for jsonschema's messages)."""

    def __repr__(self) -> str:
        return _number_text(self)

    __str__ = __repr__


_LONG_BITS = 128  # an integer of more bits may have more than MAX_QUOTED digits


def _quotable(value: Any) -> Any:
    """`value` with every integer longer than MAX_QUOTED digits made a _LongInt (otherwise the same data)."""
    if isinstance(value, dict):
        return {key: _quotable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_quotable(item) for item in value]
    if type(value) is int and value.bit_length() > _LONG_BITS:
        return _LongInt(value)
    return value


def _describe(value: Any, secret: bool) -> str:
    """`the number 8080`, `the string "x"`, `a list`, `null` (no value shown when secret)."""
    if value is None:
        return "null (an empty value)"
    if isinstance(value, bool):
        return "a boolean" if secret else f"the boolean {_quote(value)}"
    if isinstance(value, (int, float)):
        return "a number" if secret else f"the number {_quote(value)}"
    if isinstance(value, str):
        return "a string" if secret else f"the string {_quote(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return "a list"


def _json_kind(value: Any) -> str:
    return _describe(value, secret=True)


def _search(patterns: Patterns, pattern: str, text: str) -> bool:
    try:
        return patterns.search(pattern, text)
    except PatternError:
        return False


def guessed_pod_key(key: str) -> str | None:
    """The pod key NX102 guesses `key` stands for (`Path`, `paht`, `route`: `path`), or None."""
    return _did_you_mean(key, ["name", *_POD_KEYS])


def _did_you_mean(key: str, known: list[str]) -> str | None:
    lowered = {k.lower(): k for k in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    alias = _ALIASES.get(key.lower())
    if alias in known:
        return alias
    from nexlayer_lint.suggest import closest  # only for a finding

    close = closest(key.lower(), list(lowered), cutoff=0.7)
    return lowered[close] if close is not None else None


def _schema_text(schema: Mapping, vendor_key: str, keyword: str) -> str | None:
    texts = schema.get(vendor_key)
    if isinstance(texts, dict) and isinstance(texts.get(keyword), str):
        return texts[keyword]
    return None


def _description_hint(key: str, subschema: Any) -> str | None:
    """`add "image": the container image, ...` from the schema's description of the missing key."""
    if isinstance(subschema, dict) and isinstance(subschema.get("description"), str):
        text = re.sub(r"^(REQUIRED|OPTIONAL):\s*", "", subschema["description"]).strip().rstrip(".")
        if text:
            return f'add "{key}": {_short(text, 200)}'
    return None


def _default_predicate(keyword: str, value: Any) -> str:
    """What a constraint asks for, when the schema gives no message of its own."""
    if keyword == "pattern":
        return f'must match the pattern "{_short(str(value), 60)}"'
    if keyword == "format":
        return f"must be a valid {value}"
    if keyword == "enum":
        return "must be one of: " + ", ".join(_quote(v) for v in _as_list(value)[:20])
    if keyword == "const":
        return f"must be {_quote(value)}"
    if keyword in ("minLength", "maxLength"):
        unit = "character" if value == 1 else "characters"
        return f"must be {'at least' if keyword == 'minLength' else 'at most'} {value} {unit} long"
    if keyword in ("minItems", "maxItems", "minContains", "maxContains"):
        unit = "item" if value == 1 else "items"
        return f"must have {'at least' if keyword.startswith('min') else 'at most'} {value} {unit}"
    if keyword in ("minProperties", "maxProperties"):
        unit = "key" if value == 1 else "keys"
        return f"must have {'at least' if keyword.startswith('min') else 'at most'} {value} {unit}"
    if keyword == "uniqueItems":
        return "must not repeat an item"
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
        "multipleOf": "a multiple of",
    }
    return f"must be {bounds.get(keyword, keyword)} {_quote(value)}"


def _json_pointer(parts: Iterable[PathPart]) -> str:
    return "/" + "/".join(str(p) for p in parts) if parts else "the top level"
