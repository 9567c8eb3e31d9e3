"""quickvalid: its yes/no must be jsonschema's, or a valid-looking file would lose its diagnostics."""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexlayer_lint import loader, quickvalid, schema
from nexlayer_lint.patterns import PatternError, Patterns
from nexlayer_lint.quickvalid import (
    LazyValidator,
    Unsupported,
    _NotSure,
    compile_exact,
    compile_quick,
    generated_source,
)
from tests.conftest import ROOT, shared_dir

BUNDLED = schema.load_bundled()
PATTERNS = Patterns(trusted=True)
REAL = schema.build_validator(BUNDLED).real  # jsonschema, with the same ECMA-262 patterns
COMPILED = compile_exact(BUNDLED, PATTERNS)


def exact(keywords: Any) -> Any:
    return compile_exact(keywords, PATTERNS)


def jsonschema_for(keywords: Any) -> Any:
    return schema.build_validator(keywords, check_schema=False, trusted=True).real


def agree(data: Any, checks: Any = (COMPILED,), real: Any = REAL) -> None:
    """The quick answers, when they have one, are jsonschema's (both ways: no lost errors, no wasted runs)."""
    expected = real.is_valid(data)
    for check in checks:
        try:
            quick = check(data)
        except _NotSure:
            continue
        assert quick == expected, (check, data)


def test_the_bundled_schema_gets_a_quick_check() -> None:
    # If a schema edit adds a keyword quickvalid does not know, every run imports jsonschema again.
    assert compile_quick(BUNDLED, PATTERNS) is not None
    assert isinstance(schema.bundled_validator()[0], LazyValidator)


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```ya?ml\n(.*?)```", text, flags=re.S)


def documents() -> list[Any]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").rglob("*.yaml"))]
    for page in sorted((ROOT / "rules").glob("*.md")):
        texts += _yaml_blocks(page.read_text(encoding="utf-8"))
    found = []
    for text in texts:
        doc, _ = loader.load(text, "nexlayer.yaml")
        if doc is not None:
            found.append(doc.data)
    return found


def test_agrees_with_jsonschema_on_examples_and_rule_pages() -> None:
    docs = documents()
    assert len(docs) > 30
    verdicts = {REAL.is_valid(d) for d in docs}
    assert verdicts == {True, False}  # both kinds, or the test proves little
    for data in docs:
        agree(data)


def test_agrees_with_jsonschema_on_the_real_corpus() -> None:
    for path in sorted(shared_dir("corpus", "real").glob("*.yaml")):
        doc, _ = loader.load(path.read_bytes(), path.name)
        if doc is not None:
            agree(doc.data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 70_000) | st.sampled_from([0.5, 1.0, -1.0, math.inf, math.nan, 80.0])
    | st.sampled_from(["", "web", "Web_1", "/", "/api", "nginx:1.27", "x.io", "https://x.io", "10Gi", "a" * 70,
                       "<% URL %>", "db.pod", "-", "kd chat", "1Gi", "0"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "image", "path", "servicePorts", "vars", "volumes", "key", "value", "size",
                         "mountPath", "pods", "url", "registryLogin", "x", "secrets", "data", "fileName"]),
        inner, max_size=3),
    max_leaves=8,
)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, path + (i,))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_agrees_with_jsonschema_on_mutated_documents(data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(documents()))
    doc = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)))
        if not path:
            doc = data.draw(JSON)
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(JSON)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["name", "image", "extra", "path", "vars"]))] = data.draw(JSON)
        else:
            parent.append(data.draw(JSON))
    agree(doc)


@pytest.mark.parametrize(("keywords", "instances"), [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None, 2**70]),
    ({"type": ["string", "null"]}, ["a", None, 0, False]),
    ({"type": "number", "minimum": 1, "maximum": 3}, [0, 1, 3, 3.5, True, "2"]),
    ({"exclusiveMinimum": 1, "exclusiveMaximum": 3}, [1, 2, 3, "x"]),
    ({"minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"}, ["a", "ab", "abcd", "AB", "ab\n", "é" * 2, 5]),
    ({"pattern": "b"}, ["abc", "xyz"]),  # searched, not matched at the start
    ({"uniqueItems": True}, [[1, 1.0], [1, True], [0, False], ["a", "a"], ["a", "b"], [[1], [1]], [{"a": 1}]]),
    ({"enum": [1, "a", None]}, [1, 1.0, True, "a", None, "b", [1]]),
    ({"const": False}, [False, 0, None]),
    ({"minItems": 1, "maxItems": 2, "items": {"type": "string"}}, [[], ["a"], ["a", 1], ["a", "b", "c"], "ab"]),
    ({"required": ["a"], "properties": {"a": {"type": "integer"}}, "additionalProperties": False},
     [{"a": 1}, {"a": "1"}, {}, {"a": 1, "b": 2}, [1]]),
    ({"properties": {"a": {}}, "additionalProperties": {"type": "string"}}, [{"a": 1, "b": "x"}, {"b": 2}]),
    ({"minProperties": 1, "maxProperties": 1}, [{}, {"a": 1}, {"a": 1, "b": 2}]),
    ({"propertyNames": {"pattern": "^[A-Z]+$", "minLength": 2}}, [{}, {"AB": 1}, {"AB": 1, "a": 2}, {"A": 1}, ["a"]]),
    ({"propertyNames": {"type": "string"}}, [{"a": 1}, {1: "a"}]),  # a YAML key may be a number
    ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, ["a", 1, None]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, [1, -1, 0.5, "x"]),
    ({"allOf": [{"type": "integer"}, {"minimum": 0}], "not": {"const": 3}}, [1, -1, 3]),
    ({"$defs": {"p": {"type": "object", "properties": {"next": {"$ref": "#/$defs/p"}}}}, "$ref": "#/$defs/p"},
     [{}, {"next": {}}, {"next": {"next": 1}}, 1]),
    (True, [1, None]),
    (False, [1, None]),
])
def test_each_keyword_means_what_jsonschema_says(keywords: Any, instances: list[Any]) -> None:
    check = compile_quick(keywords, PATTERNS)
    assert check is not None
    real = jsonschema_for(keywords)
    for instance in instances:
        agree(instance, (exact(keywords),), real)
        if check(instance):  # the public answer: a yes is always right
            assert real.is_valid(instance), instance


@pytest.mark.parametrize("unknown", [
    {"format": "email"},
    {"if": {"type": "string"}, "then": {"minLength": 1}},
    {"patternProperties": {"^x": {}}, "additionalProperties": False},
    {"prefixItems": [{}], "items": False},
    {"$ref": "https://example.com/other.json"},
    {"$ref": "#/$defs/missing"},
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},
    {"$defs": {"a": {"$id": "other", "type": "string"}}, "$ref": "#/$defs/a"},
    {"enum": [[1], {"a": 1}]},
    {"type": "strnig"},
])
def test_a_schema_it_cannot_judge_gets_no_quick_check(unknown: Any) -> None:
    assert compile_quick(unknown, PATTERNS) is None
    with pytest.raises((Unsupported, PatternError)):
        exact(unknown)


def test_data_it_cannot_judge_goes_to_jsonschema() -> None:
    lazy = LazyValidator({"uniqueItems": True}, lambda: jsonschema_for({"uniqueItems": True}), PATTERNS)
    assert lazy._real is None
    assert list(lazy.iter_errors(["a", "b"])) == [] and lazy._real is None  # judged here
    errors = list(lazy.iter_errors([{"a": 1}, {"a": 1}]))  # a list of mappings: not sure, so jsonschema
    assert [e.validator for e in errors] == ["uniqueItems"] and lazy._real is not None
    assert lazy.is_valid([math.nan]) is True  # NaN: not sure here; jsonschema says unique
    assert lazy.schema == {"uniqueItems": True}
    assert lazy.evolve is not None  # anything else is the real validator's


def test_the_shipped_code_is_the_bundled_schemas_code_now() -> None:
    # A schema or generator change leaves it stale: run `python -m nexlayer_lint.quickvalid`.
    digest = schema.sha256_hex(schema.BUNDLED_PATH.read_bytes())
    assert quickvalid.SHIPPED.read_text(encoding="utf-8") == quickvalid.shipped_source(BUNDLED, digest), \
        "nexlayer_lint/quickvalid_bundled.py is stale: run `python -m nexlayer_lint.quickvalid`"


def test_the_bundled_schema_uses_the_shipped_code_and_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quickvalid, "compile_exact", lambda *args: pytest.fail("compiled at run time"))
    validator = schema.build_validator(BUNDLED, check_schema=False, trusted=True,
                                       digest=schema.sha256_hex(schema.BUNDLED_PATH.read_bytes()))
    valid = next(d for d in documents() if REAL.is_valid(d))
    assert validator.is_surely_valid(valid) and not validator.is_surely_valid({"application": 1})
    # any other digest (a stale copy, another schema) compiles the code instead
    assert quickvalid._shipped("0" * 64, PATTERNS) is None


def test_the_code_is_compiled_on_the_first_verdict_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # a schema that is never used costs nothing; one that is, one compile per process
    built = []
    monkeypatch.setattr(quickvalid, "compile_exact", lambda s, p: built.append(s) or COMPILED)
    lazy = LazyValidator(BUNDLED, lambda: REAL, PATTERNS)
    assert built == []
    valid = next(d for d in documents() if REAL.is_valid(d))
    assert [lazy.is_valid(valid) for _ in range(3)] == [True] * 3
    assert built == [BUNDLED] and lazy._real is None


def test_a_schema_whose_code_cannot_compile_goes_to_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(schema: Any, patterns: Any) -> Any:
        raise SyntaxError("too many statically nested blocks")

    monkeypatch.setattr(quickvalid, "compile_exact", fail)
    assert compile_quick({"type": "string"}, PATTERNS) is None
    lazy = LazyValidator({"type": "string"}, lambda: jsonschema_for({"type": "string"}), PATTERNS)
    assert lazy.is_valid("a") and not lazy.is_valid(1) and lazy._real is not None


def ecma_escape(text: str) -> str:
    return re.sub(r"([\^$\\.*+?()[\]{}|/])", r"\\\1", text)


@pytest.mark.parametrize("name", ["it's", 'say "hi"', "a\\nb", "x\n    return True", "'); import os; ('", "\u2028", ""])
def test_schema_text_never_becomes_code(name: str) -> None:
    # names and patterns are repr()'d: whatever the text, it is only ever data
    keywords = {"required": [name], "properties": {name: {"type": "string", "pattern": ecma_escape(name + "')")}},
                "additionalProperties": False}
    source = generated_source(keywords)
    pattern = keywords["properties"][name]["pattern"]
    assert "import" not in source.replace(repr(name), "").replace(repr(pattern), "")
    check = exact(keywords)
    real = jsonschema_for(keywords)
    for instance in [{name: name + "')"}, {name: 1}, {}, {name: "x", "other": "y"}, {"other": name}]:
        assert check(instance) == real.is_valid(instance), instance


def test_deep_schemas_compile_within_pythons_nesting_limits() -> None:
    # Python allows 20 nested loops and 100 indents in one function: deep subschemas get their own
    keywords: Any = {"type": "string"}
    for depth in range(60):
        keywords = {"type": "array", "items": {"type": "object", "properties": {"p": keywords}}} if depth % 2 \
            else {"type": "object", "additionalProperties": keywords}
    check = exact(keywords)
    real = jsonschema.Draft202012Validator(keywords)  # (deeper than schema.py lets a schema file be)
    instance: Any = "leaf"
    for depth in range(60):
        instance = [{"p": instance}] if depth % 2 else {"k": instance}
    assert check(instance) is True and real.is_valid(instance)
    broken = copy.deepcopy(instance)
    inner = broken
    while not isinstance(inner, str):
        parent, key = (inner, "k") if isinstance(inner, dict) and "k" in inner else (inner[0], "p") \
            if isinstance(inner, list) else (inner, "p")
        if isinstance(parent[key], str):
            parent[key] = 1
            break
        inner = parent[key]
    assert check(broken) is False and not real.is_valid(broken)


def test_a_huge_schema_gets_no_quick_verdict_rather_than_a_long_compile() -> None:
    huge = {"properties": {f"p{i}": {"properties": {f"q{j}": {"type": "string"} for j in range(10)}}
                           for i in range(3000)}}
    with pytest.raises(Unsupported, match="a schema this large"):
        generated_source(huge)
    assert compile_quick(huge, PATTERNS) is None


@pytest.mark.parametrize(("keywords", "instances"), [
    # the compiled code skips keywords for kinds the type excludes, and guards the rest by kind
    ({"type": ["string", "null"], "minLength": 2, "minimum": 3, "required": ["a"]}, ["a", "ab", None, 5, {}]),
    ({"type": ["integer", "string"], "minimum": 3, "maxLength": 1}, [2, 3, 3.0, 2.5, "a", "ab", True]),
    ({"type": "number", "exclusiveMaximum": 1.5, "minimum": -math.inf}, [1, 1.5, math.nan, math.inf, -1e308]),
    ({"minimum": 2, "minItems": 1, "minProperties": 1, "minLength": 1}, [1, 2, [], [1], {}, {"a": 1}, "", "a", None]),
    ({"type": "array", "uniqueItems": True, "items": {"type": "integer"}}, [[1], [1, 1.0], [1, 2], [[1]], [True, 1]]),
    ({"uniqueItems": True}, [[{"a": 1}], [math.nan], [[1], [1]]]),
    ({"additionalProperties": {"type": "integer"}}, [{"a": 1}, {"a": "1"}, {}, []]),
    ({"properties": {"a": True, "b": False}}, [{"a": 1}, {"b": 1}, {}]),
    ({"anyOf": []}, [1]),
    ({"oneOf": [{"$ref": "#/$defs/s"}, {"type": "string"}], "$defs": {"s": {"minLength": 2}}}, ["a", "ab", 1]),
    ({"allOf": [{"$ref": "#"}]}, [1]),  # a $ref to itself forever: jsonschema recurses too, so not sure
])
def test_compiled_code_agrees_on_the_kinds_it_skips(keywords: Any, instances: list[Any]) -> None:
    check = compile_quick(keywords, PATTERNS)
    assert check is not None
    real = jsonschema_for(keywords)
    compiled = exact(keywords)
    for instance in instances:
        try:
            quick = compiled(instance)
        except (_NotSure, RecursionError):
            continue
        assert quick == real.is_valid(instance), instance
