"""The bundled schema as editors should see it: completion and hover, no verdicts.

yaml-language-server validates a file against the schema it is given. Given the bundled schema it
reports every problem nexlayer-lint's own server reports too, and some harder than the CLI does
(`additionalProperties: false` makes an undocumented key like `useGPU` an error; nexlayer-lint
says NX102, a warning). This flavour keeps what completion and hover read (properties, items,
descriptions, `$ref`s) and drops every rule, so beside nexlayer-lint's server yaml-language-server
reports nothing, and the two never disagree or say a thing twice.

`nexlayer.editor.schema.json` is generated from the bundled schema (`python -m
nexlayer_lint.editor_schema` writes it; a test fails while it is stale) and shipped beside it;
`nexlayer-lint schema path --editor` prints where it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EDITOR_PATH = Path(__file__).with_name("nexlayer.editor.schema.json")
EDITOR_ID = "urn:nexlayer-lint:nexlayer.editor.schema.json"
# Keywords that only describe: yaml-language-server shows them on hover.
_ANNOTATIONS = (
    "$schema",
    "$id",
    "$ref",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "x-nexlayer-lint-version",
)
# Keywords that lead to subschemas completion reads: kept, with their subschemas flavoured too.
_MAPS = ("properties", "$defs")
_LISTS = ("anyOf", "allOf", "oneOf")


def editor_flavour(schema: Any) -> Any:
    """`schema` with every assertion taken out (type, required, pattern, bounds, false schemas...)."""
    if not isinstance(schema, dict):
        return {}  # `true` or `false`: as a subschema of an editor's schema, anything goes
    out: dict[str, Any] = {key: schema[key] for key in _ANNOTATIONS if key in schema}
    for key in _MAPS:
        if isinstance(schema.get(key), dict):
            out[key] = {name: editor_flavour(sub) for name, sub in schema[key].items()}
    if isinstance(schema.get("items"), dict):
        out["items"] = editor_flavour(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = editor_flavour(schema["additionalProperties"])
    for key in _LISTS:
        if isinstance(schema.get(key), list):
            # oneOf of schemas that accept everything would fail ("more than one"): anyOf it is
            out.setdefault("anyOf" if key == "oneOf" else key, []).extend(editor_flavour(s) for s in schema[key])
    return out


def editor_text(bundled: Any) -> str:
    """The text of nexlayer.editor.schema.json for the bundled schema."""
    schema = editor_flavour(bundled)
    schema["$id"] = EDITOR_ID
    schema["description"] = (
        "Completion and hover for nexlayer.yaml, without validation: nexlayer-lint's "
        "language server reports the problems. Generated from nexlayer-lint's bundled schema."
    )
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    from nexlayer_lint.schema import load_bundled

    EDITOR_PATH.write_text(editor_text(load_bundled()), encoding="utf-8")
    print(f"wrote {EDITOR_PATH}")


if __name__ == "__main__":
    main()
