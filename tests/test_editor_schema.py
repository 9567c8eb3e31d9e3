"""The editor flavour of the bundled schema: everything completion and hover read, no rule at all,
so yaml-language-server beside nexlayer-lint's server neither disagrees with it nor repeats it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from nexlayer_lint import loader, schema, schemawalk
from nexlayer_lint.cli import main
from nexlayer_lint.editor_schema import EDITOR_PATH, editor_flavour, editor_text
from tests.conftest import shared_dir

BUNDLED = schema.load_bundled()
EDITOR = json.loads(EDITOR_PATH.read_text(encoding="utf-8"))
ASSERTIONS = {
    "type",
    "required",
    "additionalProperties",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "enum",
    "const",
    "not",
    "propertyNames",
    "oneOf",
}


def test_the_shipped_file_is_the_bundled_schemas_flavour_now() -> None:
    # A schema change leaves it stale: run `python -m nexlayer_lint.editor_schema`.
    assert EDITOR_PATH.read_text(encoding="utf-8") == editor_text(BUNDLED), (
        "nexlayer_lint/nexlayer.editor.schema.json is stale: run `python -m nexlayer_lint.editor_schema`"
    )


def test_it_is_a_json_schema_with_no_rule_left() -> None:
    jsonschema.Draft202012Validator.check_schema(EDITOR)
    for where, node in schemawalk.nodes(EDITOR):
        if isinstance(node, dict):
            allowed = {"additionalProperties"} if isinstance(node.get("additionalProperties"), dict) else set()
            kept = ASSERTIONS & set(node) - allowed
            assert not kept, f"{where or '/'} keeps {sorted(kept)}"


def _completions(node: Any, root: Any, seen: frozenset = frozenset()) -> dict[str, Any]:
    """Property name -> description, as a completion reads them (through $ref, anyOf and allOf)."""
    if not isinstance(node, dict):
        return {}
    if "$ref" in node and node["$ref"] not in seen:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        found = _completions(target, root, seen | {node["$ref"]})
    else:
        found = {}
    for name, sub in node.get("properties", {}).items():
        found[name] = sub.get("description") if isinstance(sub, dict) else None
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in node.get(key, []):
            found.update(_completions(sub, root, seen))
    return found


def test_completion_and_hover_see_what_they_saw_in_the_bundled_schema() -> None:
    editor_nodes = dict(schemawalk.nodes(editor_flavour(BUNDLED)))
    compared = 0
    for where, bundled in schemawalk.nodes(BUNDLED):
        completes = isinstance(bundled, dict) and ("properties" in bundled or "$ref" in bundled)
        if completes and "/propertyNames" not in where:
            assert _completions(editor_nodes[where], EDITOR) == _completions(bundled, BUNDLED), where
            compared += 1
    assert compared >= 10
    assert set(_completions(EDITOR["$defs"]["pod"], EDITOR)) >= {"name", "image", "path", "servicePorts", "vars"}


def _documents() -> list[Any]:
    found = []
    for path in sorted(shared_dir("corpus", "real").glob("*.yaml")):
        doc, _ = loader.load(path.read_bytes(), path.name)
        if doc is not None:
            found.append(doc.data)
    return found


def test_it_accepts_every_document_so_nothing_is_reported_twice() -> None:
    # Real files with undocumented keys (useGPU, resources, resourceType), wrong types and bad names:
    # the bundled schema refuses many of them, the editor flavour none.
    documents = _documents()
    bundled, editor = jsonschema.Draft202012Validator(BUNDLED), jsonschema.Draft202012Validator(EDITOR)
    assert sum(not bundled.is_valid(d) for d in documents) > 30
    assert [d for d in documents if not editor.is_valid(d)] == []
    assert editor.is_valid({"application": {"pods": [{"useGPU": True, "resources": {"limits": {}}}]}, "x": 1})


def test_schema_path_editor_prints_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["schema", "path", "--editor"])
    assert result.exit_code == 0 and Path(result.output.strip()) == EDITOR_PATH
    result = CliRunner().invoke(main, ["schema", "path", "--editor", "--schema", "other.json"])
    assert result.exit_code == 2
    assert "--editor gives the bundled schema's editor flavour; it has none for another schema" in result.output
