"""The bundled schema and the schema step: every keyword family's code, position and message."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from nexlayer_lint import loader, schema, schemawalk
from nexlayer_lint.engine import _one_cause
from nexlayer_lint.model import Span
from tests.conftest import CLEAN, lint_diags

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROOT = Path(__file__).resolve().parents[1]

VALID = """\
application:
  name: shop
  url: www.example.com
  registryLogin:
    registry: ghcr.io
    username: me
    personalAccessToken: ${GHCR_TOKEN}
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80, 443]
      vars:
        API_URL: http://api.pod:8000
      volumes:
        - name: cache
          size: 512Mi
          mountPath: /cache
      secrets:
        - name: cfg
          data: c2VjcmV0
          mountPath: /etc/cfg
          fileName: app.conf
      entrypoint: /docker-entrypoint.sh
      command: nginx -g "daemon off;"
    - name: api
      image: <% REGISTRY %>/me/api:1.0
      servicePorts: [8000]
      vars:
        - key: MODE
          value: production
"""


def run(text: str, validator=None) -> list[tuple[str, int, int, str, str | None]]:
    """(code, line, col, message, hint) for each schema problem, located and explained as the engine would."""
    doc, problems = loader.load(text, "nexlayer.yaml")
    assert doc is not None, problems
    validator = validator or schema.bundled_validator()[0]
    out = []
    for problem in _one_cause(list(schema.check(doc, validator)), lambda code: True):
        span = problem.span or doc.locate(problem.path, problem.at)
        out.append((problem.code, span.line, span.col, problem.message, problem.hint))
    return sorted(out)


def codes(text: str, validator=None) -> list[tuple[str, int, int]]:
    return [(c, line, col) for c, line, col, _, _ in run(text, validator)]


POD_HEAD = "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"


def pod(extra: str, head: str = POD_HEAD) -> str:
    return "application:\n  name: shop\n  pods:\n" + head + extra


# --- the bundled schema ----------------------------------------------------------------------


def test_bundled_schema_passes_its_metaschema() -> None:
    import jsonschema

    bundled = schema.load_bundled()
    cls = jsonschema.validators.validator_for(bundled)
    assert cls is jsonschema.Draft202012Validator
    cls.check_schema(bundled)
    schema.build_validator(bundled)  # refs resolve locally too


def test_bundled_schema_identity() -> None:
    bundled = schema.load_bundled()
    assert bundled["title"] == "Nexlayer YAML Schema"
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", bundled["x-nexlayer-lint-version"])
    validator, info = schema.bundled_validator()
    assert info.source == "bundled" and info.version == bundled["x-nexlayer-lint-version"]
    assert info.location == str(schema.BUNDLED_PATH)
    assert info.sha256 == hashlib.sha256(schema.BUNDLED_PATH.read_bytes()).hexdigest()
    assert schema.bundled_validator()[0] is validator  # built once per process


def test_the_digest_without_hashlib_is_hashlibs() -> None:
    for raw in (b"", b"abc", bytes(range(256)) * 1000, schema.BUNDLED_PATH.read_bytes()):
        assert schema.sha256_hex(raw) == hashlib.sha256(raw).hexdigest()


def test_every_property_has_a_description_and_every_constraint_a_message() -> None:
    seen = 0

    def walk(node: object, where: str) -> None:
        nonlocal seen
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                assert isinstance(sub.get("description"), str), f"{where}.{name} has no description"
                seen += 1
            for keyword in ("pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "uniqueItems"):
                if keyword in node:
                    assert keyword in node.get("x-messages", {}), f"{where}: {keyword} without x-messages"
            for key, sub in node.items():
                if not key.startswith("x-"):  # vendor keywords hold texts, not subschemas
                    walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(schema.load_bundled(), "$")
    assert seen >= 25


def test_valid_file_gives_nothing() -> None:
    assert run(VALID) == []


# --- NX101 required --------------------------------------------------------------------------


def test_missing_pod_key_points_at_the_items_first_key() -> None:
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      path: /\n      servicePorts: [80]\n"
    [(code, line, col, message, hint)] = run(text)
    assert (code, line, col) == ("NX101", 4, 7)
    assert message == 'pod "web" is missing required key "image"'
    assert hint and hint.startswith('add "image": the container image')


def test_missing_application_key_points_at_application() -> None:
    assert run("application:\n  name: shop\n") == [
        (
            "NX101",
            1,
            1,
            'application is missing required key "pods"',
            'add "pods": the pods (containers) of the application; at least one',
        )
    ]


def test_missing_root_key_is_line_one() -> None:
    doc, _ = loader.load("# a comment\nother: 1\n", "nexlayer.yaml")
    problems = [p for p in schema.check(doc, schema.bundled_validator()[0]) if p.code == "NX101"]
    assert [(p.message, p.span) for p in problems] == [
        ('the top level of the file is missing required key "application"', Span(1, 1, 1, 1))
    ]


def test_top_level_pods_says_to_indent_them() -> None:
    text = "name: shop\npods:\n  - name: web\n"
    assert run(text) == [
        (
            "NX101",
            1,
            1,
            'the file is missing the top-level key "application"',
            'start the file with "application:" and indent name, pods, ... under it',
        )
    ]


def test_key_one_level_too_far_out() -> None:
    text = "application:\n  name: shop\npods:\n  - name: web\n"
    got = run(text)
    assert (
        "NX101",
        1,
        1,
        'application is missing required key "pods"',
        '"pods" on line 3 is one level too far out; indent it under "application"',
    ) in got


def test_missing_keys_of_volume_and_secret_name_their_owner() -> None:
    text = pod("      volumes:\n        - mountPath: /data\n      secrets:\n        - name: key\n          data: x\n")
    assert [r[:4] for r in run(text)] == [
        ("NX101", 9, 11, 'volumes[0] of pod "web" is missing required key "name"'),
        ("NX101", 9, 11, 'volumes[0] of pod "web" is missing required key "size"'),
        ("NX101", 11, 11, 'secret "key" of pod "web" is missing required key "fileName"'),
        ("NX101", 11, 11, 'secret "key" of pod "web" is missing required key "mountPath"'),
    ]


def test_a_misspelt_required_key_is_one_finding_at_the_typo() -> None:
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      servicePort: [80]\n"
    assert run(text) == [
        (
            "NX101",
            6,
            7,
            'unknown key "servicePort" in pod "web": probably the required key "servicePorts", which is missing',
            'rename "servicePort" to "servicePorts"',
        ),
    ]
    # each misspelling stands for one missing key; a second missing key is its own finding
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      imag: nginx:1.27\n      ports: [80]\n"
    assert [r[:4] for r in run(text)] == [
        ("NX101", 5, 7, 'unknown key "imag" in pod "web": probably the required key "image", which is missing'),
        ("NX101", 6, 7, 'unknown key "ports" in pod "web": probably the required key "servicePorts", which is missing'),
    ]


def test_application_keys_at_the_top_level_are_one_finding() -> None:
    text = "name: shop\nenvironment: prod\npods:\n  - name: web\n    image: nginx:1.27\n    servicePorts: [80]\n"
    assert [r[:4] for r in run(text)] == [
        ("NX101", 1, 1, 'the file is missing the top-level key "application"'),
        ("NX102", 2, 1, 'unknown key "environment" at the top level'),  # not an application key: its own finding
    ]
    text = "application:\n  name: shop\npods:\n  - name: web\n    image: nginx:1.27\n    servicePorts: [80]\n"
    assert run(text) == [
        (
            "NX101",
            1,
            1,
            'application is missing required key "pods"',
            '"pods" on line 3 is one level too far out; indent it under "application"',
        )
    ]


# --- NX102 additionalProperties ---------------------------------------------------------------


def test_one_unknown_key_diagnostic_per_key_with_did_you_mean() -> None:
    text = pod("      env:\n        A: b\n      mountpath: /x\n      replicas: 2\n")
    got = run(text)
    assert [(c, line, col, m) for c, line, col, m, _ in got] == [
        ("NX102", 8, 7, 'unknown key "env" in pod "web"'),
        ("NX102", 10, 7, 'unknown key "mountpath" in pod "web"'),
        ("NX102", 11, 7, 'unknown key "replicas" in pod "web"'),
    ]
    hints = [h for *_, h in got]
    assert hints[0].startswith('did you mean "vars"? allowed keys: name, image, path, servicePorts')
    assert hints[2].startswith("allowed keys: name, image, path")  # nothing close: no guess
    assert "did you mean" not in hints[2]


def test_unknown_key_in_volume_suggests_case_fix() -> None:
    text = pod("      volumes:\n        - name: d\n          size: 1Gi\n          mountpath: /d\n")
    assert run(text) == [
        (
            "NX101",
            11,
            11,
            'unknown key "mountpath" in volume "d" of pod "web": probably the '
            'required key "mountPath", which is missing',
            'rename "mountpath" to "mountPath"',
        )
    ]


# --- NX103 type -------------------------------------------------------------------------------


def test_unquoted_number_var_value() -> None:
    assert run(pod("      vars:\n        PORT: 8080\n")) == [
        (
            "NX103",
            9,
            15,
            'expected a string for var "PORT" of pod "web", got the number 8080',
            'YAML reads an unquoted number as a number; quote it ("8080") to make it a string',
        )
    ]


def test_boolean_and_null_var_values() -> None:
    got = run(pod("      vars:\n        DEBUG: true\n        EMPTY:\n"))
    assert got == [
        (
            "NX103",
            9,
            16,
            'expected a string for var "DEBUG" of pod "web", got the boolean true',
            'YAML reads unquoted true as a boolean; quote it ("true") to make it a string',
        ),
        (
            "NX103",
            10,
            15,
            'expected a string for var "EMPTY" of pod "web", got null (an empty value)',
            'an empty value (or ~ or null) is null in YAML; write a value, or quote it ("") for an empty string',
        ),
    ]


def test_float_keeps_its_written_form_in_the_hint() -> None:
    [(code, line, col, message, hint)] = run(pod("      vars:\n        VERSION: 1.10\n"))
    assert (code, line, col) == ("NX103", 9, 18)
    assert message == 'expected a string for var "VERSION" of pod "web", got the number 1.1'
    assert hint == 'YAML reads an unquoted number as a number; quote it ("1.10") to make it a string'


def test_port_types() -> None:
    head = "    - name: web\n      image: nginx:1.27\n"
    got = run(
        pod('      servicePorts: [80, "81"]\n', head) + "    - name: db\n      image: x:1\n      servicePorts: 5432\n"
    )
    assert got == [
        (
            "NX103",
            6,
            26,
            'expected an integer in "servicePorts" of pod "web", got the string "81"',
            "remove the quotes: 81",
        ),
        (
            "NX103",
            9,
            21,
            'expected a list for "servicePorts" of pod "db", got the number 5432',
            "write a list, e.g. servicePorts: [5432]",
        ),
    ]


def test_command_list_and_pods_mapping() -> None:
    assert run(pod("      command: [npm, start]\n")) == [
        (
            "NX103",
            8,
            16,
            'expected a string for "command" of pod "web", got a list',
            'write the command as one string, e.g. command: "npm start"',
        )
    ]
    # the entrypoint's hint is about the entrypoint (issue 15), and shows the list as one string
    assert run(pod('      entrypoint: ["/bin/sh", "-c", "echo hi"]\n')) == [
        (
            "NX103",
            8,
            19,
            'expected a string for "entrypoint" of pod "web", got a list',
            "write the entrypoint as one string, e.g. entrypoint: \"/bin/sh -c 'echo hi'\"",
        )
    ]
    assert (
        run(pod("      entrypoint: [1, 2]\n"))[0][4]
        == 'write the entrypoint as one string, e.g. entrypoint: "/docker-entrypoint.sh"'
    )
    assert run("application:\n  name: shop\n  pods:\n    web:\n      image: x\n") == [
        (
            "NX103",
            4,
            5,
            'expected a list for "pods", got a mapping',
            'write each item as a list entry starting with "- "',
        )
    ]


def test_secret_values_are_never_quoted() -> None:
    text = (
        pod(
            "      vars:\n        DB_PASSWORD: 123456\n      secrets:\n        - name: s\n          data: 987654\n"
            "          mountPath: /s\n          fileName: f\n"
        )
        + "  registryLogin:\n    registry: ghcr.io\n    username: me\n    personalAccessToken: 555555\n"
    )
    got = run(text)
    assert [(c, line, col) for c, line, col, _, _ in got] == [("NX103", 9, 22), ("NX103", 12, 17), ("NX103", 18, 26)]
    assert got[0][3] == 'expected a string for var "DB_PASSWORD" of pod "web", got a number'
    for *_, message, hint in got:
        for secret in ("123456", "987654", "555555"):
            assert secret not in message and secret not in (hint or "")


def test_secret_list_form_value_not_quoted_in_value_errors() -> None:
    text = pod("      vars:\n        - key: API_TOKEN\n          value: 424242\n")
    [(code, line, col, message, hint)] = run(text)
    assert (code, line, col) == ("NX103", 10, 18)
    assert "424242" not in message + (hint or "")


# --- NX104 value keywords ---------------------------------------------------------------------


def test_app_name_pattern_with_suggestion() -> None:
    text = "application:\n  name: My Shop\n  pods:\n    - name: web\n      image: x:1\n      servicePorts: [80]\n"
    assert run(text) == [
        (
            "NX104",
            2,
            9,
            'application name "My Shop" must contain only lowercase letters, digits, hyphens (-) and dots (.), '
            "with a letter or digit at the start, at the end and on both sides of every dot",
            'did you mean "my-shop"?',
        )
    ]


def test_pod_name_pattern_and_length() -> None:
    got = run(
        pod(
            "",
            "    - name: Web_1\n      image: x:1\n      servicePorts: [80]\n    - name: x\n      image: x:1\n"
            "      servicePorts: [80]\n",
        )
    )
    assert [r[:4] for r in got] == [
        (
            "NX104",
            4,
            13,
            'pod name "Web_1" must start with a lowercase letter, end with a letter or digit, and '
            "contain only lowercase letters, digits and hyphens (no dots, spaces or underscores)",
        ),
        ("NX104", 7, 13, 'pod name "x" must be at least 2 characters long'),
    ]
    assert got[0][4] == 'did you mean "web-1"?'


def test_url_path_size_mountpath() -> None:
    text = (
        "application:\n  name: shop\n  url: https://www.shop.com/\n  pods:\n    - name: web\n      image: x:1\n"
        "      path: api\n      servicePorts: [80]\n      volumes:\n        - name: d\n          size: 10GB\n"
        "          mountPath: data\n"
    )
    assert run(text) == [
        (
            "NX104",
            3,
            8,
            'url "https://www.shop.com/" must be a bare lowercase domain such as "www.example.com", '
            "without a scheme, port or path",
            'did you mean "www.shop.com"?',
        ),
        (
            "NX104",
            7,
            13,
            'path "api" of pod "web" must start with "/"',
            "e.g. path: / for the front end, path: /api for an API",
        ),
        (
            "NX104",
            11,
            17,
            'size "10GB" of volume "d" of pod "web" must be a whole number followed by Mi or Gi, '
            'at most 1024Gi (1048576Mi), such as "512Mi" or "5Gi"',
            'did you mean "10Gi"?',
        ),
        (
            "NX104",
            12,
            22,
            'mountPath "data" of volume "d" of pod "web" must be an absolute path starting with "/"',
            None,
        ),
    ]


def test_ports_bounds_uniqueness_and_counts() -> None:
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: x:1\n      servicePorts: [80, 0, 80]\n"
        "    - name: db\n      image: x:1\n      servicePorts: []\n"
    )
    assert [r[:4] for r in run(text)] == [
        ("NX104", 6, 26, 'port 0 in servicePorts of pod "web" must be between 1 and 65535'),
        ("NX104", 6, 29, '"servicePorts" of pod "web" must not list the same port twice (80 is repeated)'),
        ("NX104", 9, 21, '"servicePorts" of pod "db" must list at least one port'),
    ]
    assert codes("application:\n  name: shop\n  pods: []\n") == [("NX104", 3, 9)]


def test_long_values_are_shortened() -> None:
    long_name = "A" * 50
    [(code, _, _, message, _)] = run(
        f"application:\n  name: {long_name}\n  pods:\n    - name: web\n      image: x:1\n      servicePorts: [80]\n"
    )
    assert code == "NX104" and long_name not in message and '"' + "A" * 37 + '..."' in message


# --- anyOf: vars ------------------------------------------------------------------------------


def test_vars_mapping_judged_as_mapping() -> None:
    assert codes(pod("      vars:\n        A: 1\n        B: ok\n")) == [("NX103", 9, 12)]


def test_vars_list_judged_as_list() -> None:
    text = pod(
        "      vars:\n        - key: A\n          value: 1\n        - key: B\n        - value: c\n          extra: d\n"
    )
    assert [r[:4] for r in run(text)] == [
        ("NX101", 11, 11, 'vars[1] of pod "web" is missing required key "value"'),
        ("NX101", 12, 11, 'vars[2] of pod "web" is missing required key "key"'),
        ("NX102", 13, 11, 'unknown key "extra" in vars[2] of pod "web"'),
        ("NX103", 10, 18, 'expected a string for the value of var "A" of pod "web", got the number 1'),
    ]


def test_vars_of_single_key_items_are_one_finding_per_file() -> None:
    text = pod(
        "      vars:\n        - NODE_ENV: production\n        - PORT: '80'\n"
        "    - name: api\n      image: x:1\n      servicePorts: [80]\n      vars:\n        - A: b\n"
    )
    assert run(text) == [
        (
            "NX101",
            8,
            7,
            'vars of pod "web" is a list of single-key items ("- NAME: value") (so are the vars of '
            'pod "api"); Nexlayer reads vars as a mapping of NAME: value, or a list of key/value items',
            'remove the "- " before each var to make vars a mapping',
        )
    ]


def test_a_single_key_item_among_key_value_items_is_reported_once() -> None:
    text = pod("      vars:\n        - key: A\n          value: b\n        - NODE_ENV: production\n")
    assert run(text) == [
        (
            "NX101",
            11,
            11,
            'vars[1] of pod "web" is missing required keys "key" and "value"',
            "a list item of vars needs `- key: NODE_ENV` and `value: ...` on the next line; "
            'or make vars a mapping by removing the "- " before each name',
        )
    ]


def test_a_single_key_item_named_by_another_word_for_key_suggests_its_var() -> None:
    # hunt 85: `- Var: DB_PASSWORD` got "needs `- key: Var`": the word names the var, as the
    # secrets read it; a lower-case value may be the var's value (`- env: production`)
    text = pod(
        "      vars:\n        - key: A\n          value: b\n        - Var: LOG_LEVEL\n        - env: production\n"
    )
    assert [hint for *_, hint in run(text)] == [
        "a list item of vars needs `- key: LOG_LEVEL` and `value: ...` on the next line; "
        "`Var:` does not name a var there",
        "a list item of vars needs `- key: env` and `value: ...` on the next line; "
        'or make vars a mapping by removing the "- " before each name',
    ]


def test_kubernetes_style_vars_are_one_finding_per_file() -> None:
    text = pod(
        "      vars:\n        - name: NODE_ENV\n          value: production\n        - name: PORT\n"
        "          value: '80'\n    - name: api\n      image: x:1\n      servicePorts: [80]\n"
        "      vars:\n        - name: A\n          value: b\n"
    )
    assert run(text) == [
        (
            "NX101",
            8,
            7,
            'vars of pod "web" is a Kubernetes-style list of name/value items (so are the vars of '
            'pod "api"); Nexlayer reads vars as a mapping of NAME: value',
            'write each var as a NAME: value line under vars, e.g. "NODE_ENV: <value>"',
        )
    ]


def test_vars_of_neither_shape_is_one_type_error() -> None:
    assert run(pod("      vars: PORT=80\n")) == [
        (
            "NX103",
            8,
            13,
            'expected a mapping or a list for "vars" of pod "web", got the string "PORT=80"',
            "write a mapping: indented `name: value` lines under vars:",
        )
    ]


# --- NX105 and given schemas ------------------------------------------------------------------


def write(tmp_path: Path, content: object, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_a_schema_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    # hunt 79 F2: the language server kept a schema file's first version for its whole life,
    # while the command line read the new one
    from nexlayer_lint import engine

    path = write(tmp_path, {"properties": {"application": {"required": ["name"]}}})
    first = engine.choose_schema(str(path), None, 24.0, 10.0)
    assert engine.choose_schema(str(path), None, 24.0, 10.0) is first  # built once while it stays
    assert codes("application: {}\n", first.validator) == [("NX101", 1, 1)]
    write(tmp_path, {"properties": {"application": {"required": ["name", "pods"]}}})
    os.utime(path, ns=(1, 1))  # a new stamp, however coarse the file system's clock
    again = engine.choose_schema(str(path), None, 24.0, 10.0)
    assert codes("application: {}\n", again.validator) == [("NX101", 1, 1), ("NX101", 1, 1)]


def test_other_keywords_are_nx105(tmp_path: Path) -> None:
    given = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "properties": {
            "application": {
                "not": {"required": ["legacy"]},
                "dependencies": {"url": ["name"]},
            }
        },
    }
    validator, info = schema.validator_for_file(write(tmp_path, given))
    assert (info.source, info.version) == ("file", "")
    assert run("application:\n  legacy: 1\n  url: x.io\n", validator) == [
        ("NX105", 2, 3, '"application" breaks the schema\'s `dependencies` rule', None),
        ("NX105", 2, 3, '"application" breaks the schema\'s `not` rule', None),
    ]


def test_oneof_matching_two_branches_is_nx105(tmp_path: Path) -> None:
    given = {"properties": {"a": {"oneOf": [{"type": "integer"}, {"minimum": 0}]}}}
    validator, _ = schema.validator_for_file(write(tmp_path, given))
    assert run("a: 5\n", validator) == [
        ("NX105", 1, 4, '"a" matches more than one of the allowed forms; the schema allows exactly one', None),
    ]


def test_generic_messages_without_x_messages(tmp_path: Path) -> None:
    given = {
        "properties": {
            "kind": {"enum": ["web", "worker"]},
            "tier": {"const": "free"},
            "count": {"type": "integer", "maximum": 3},
        }
    }
    validator, _ = schema.validator_for_file(write(tmp_path, given))
    assert [r[:4] for r in run("kind: db\ntier: pro\ncount: 9\n", validator)] == [
        ("NX104", 1, 7, 'kind "db" must be one of: "web", "worker"'),
        ("NX104", 2, 7, 'tier "pro" must be "free"'),
        ("NX104", 3, 8, "count 9 must be at most 3"),
    ]


def test_format_checked_only_when_the_schema_uses_format(tmp_path: Path) -> None:
    validator, _ = schema.validator_for_file(write(tmp_path, {"properties": {"mail": {"format": "email"}}}))
    assert validator.format_checker is not None
    assert [r[:4] for r in run("mail: nope\n", validator)] == [("NX104", 1, 7, 'mail "nope" must be a valid email')]
    assert schema.bundled_validator()[0].format_checker is None


def test_remote_ref_is_refused_without_fetching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def no_fetch(*args: object, **kwargs: object) -> None:
        raise AssertionError("a $ref was fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_fetch)
    given = {"properties": {"application": {"$ref": "https://example.com/nexlayer.json#/app"}}}
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.validator_for_file(write(tmp_path, given))
    assert "https://example.com/nexlayer.json#/app" in str(caught.value)
    assert "remote references are never fetched" in str(caught.value)


def test_local_refs_resolve_and_broken_ones_are_refused(tmp_path: Path) -> None:
    good = {"$defs": {"p": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/p"}}}
    validator, _ = schema.validator_for_file(write(tmp_path, good, "good.json"))
    assert codes("a: 1\n", validator) == [("NX103", 1, 4)]
    with pytest.raises(schema.SchemaLoadError, match=r'\$ref "#/\$defs/missing" does not resolve inside the schema'):
        schema.validator_for_file(write(tmp_path, {"properties": {"a": {"$ref": "#/$defs/missing"}}}, "bad.json"))


def _cli_on_schema(tmp_path: Path, given: Any) -> Any:
    from click.testing import CliRunner

    from nexlayer_lint import engine
    from nexlayer_lint.cli import main

    engine._choose_schema.cache_clear()
    (tmp_path / "nexlayer.yaml").write_text("application:\n  name: shop\n")
    return CliRunner().invoke(
        main, ["--isolated", "--schema", str(write(tmp_path, given)), str(tmp_path / "nexlayer.yaml")]
    )


@pytest.mark.parametrize("index", ["²", "1" * 5000])
def test_a_ref_to_a_list_index_int_cannot_read_does_not_resolve(tmp_path: Path, index: str) -> None:
    # referencing reads the step with int(): "²" (str.isdigit() is true of it) and 5,000 digits raise ValueError
    given = {"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [{"$ref": f"#/allOf/{index}"}]}
    with pytest.raises(schema.SchemaLoadError, match=r'\$ref "#/allOf/.*" does not resolve inside the schema'):
        schema.build_validator(given)
    assert schemawalk.resolve(given, f"#/allOf/{index}") is None
    result = _cli_on_schema(tmp_path, given)
    assert result.exit_code == 2 and "does not resolve inside the schema" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("given", "ref"),
    [
        ({"$ref": "#"}, "#"),
        ({"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}, "#/$defs/a"),
        ({"properties": {"application": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"$ref": "#/$defs/a"}}}, "#/$defs/a"),
        (
            {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "definitions": {"a": {"$ref": "#"}},
                "$ref": "#/definitions/a",
            },
            "#",
        ),
    ],
)
def test_a_loop_of_refs_is_refused_naming_the_ref(tmp_path: Path, given: Any, ref: str) -> None:
    # validation would never end: jsonschema runs out of stack, once reported as the file nested too deeply
    message = f'$ref "{ref}" loops: the schema\'s $refs lead from it back to it, so no data can be checked against it'
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.build_validator(given)
    assert caught.value.message == message
    result = _cli_on_schema(tmp_path, given)
    assert result.exit_code == 2 and message in result.output and "NX105" not in result.output


def _levels(count: int, keyword: str, last: Any) -> dict:
    """`count` levels of `allOf: [{keyword: next}, {keyword: next}]`, with anchors for $dynamicRef."""
    defs = {
        f"d{i}": {"$dynamicAnchor": f"a{i}", "allOf": [{keyword: f"#a{i + 1}"}, {keyword: f"#a{i + 1}"}]}
        if keyword == "$dynamicRef"
        else {"allOf": [{keyword: f"#/$defs/d{i + 1}"}, {keyword: f"#/$defs/d{i + 1}"}]}
        for i in range(count)
    }
    defs[f"d{count}"] = {"$dynamicAnchor": f"a{count}", **last} if keyword == "$dynamicRef" else last
    return defs


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        (
            "$ref",
            "checking data against the schema could take too long: it applies more than 1,000 subschemas to one value",
        ),
        # hunt 36 F1, hunt 37 F2: its target is known only at run time, where it may double
        (
            "$dynamicRef",
            "$dynamicRef is not supported in a schema nexlayer-lint did not write: "
            "checking data with it can take time exponential in how deep the data nests",
        ),
    ],
)
def test_a_schema_whose_refs_double_at_each_level_is_refused(keyword: str, message: str) -> None:
    # hunt 35 F1: 40 levels of two $refs to the next level is 2**40 checks of one value; such a
    # served schema was cached and every later run on a file with the key hung, past --timeout
    given = {"$defs": _levels(40, keyword, {"type": "string"}), "properties": {"application": {"$ref": "#/$defs/d0"}}}
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.build_validator(given)
    assert caught.value.message == message


@pytest.mark.parametrize("keyword", ["unevaluatedProperties", "unevaluatedItems", "$recursiveRef"])
def test_keywords_whose_cost_cannot_be_counted_are_refused(keyword: str) -> None:
    # hunt 37 F1: `allOf: [{additionalProperties: {$ref: "#"}}]` beside `unevaluatedProperties:
    # false` re-checks every child at each level: 2**depth
    value = "#" if keyword == "$recursiveRef" else False
    given: dict[str, Any] = {"allOf": [{"additionalProperties": {"$ref": "#"}}], keyword: value}
    if keyword == "$recursiveRef":  # draft 2019-09's
        given["$schema"] = "https://json-schema.org/draft/2019-09/schema"
    with pytest.raises(schema.SchemaLoadError, match=f"^{re.escape(keyword)} is not supported in a schema"):
        schema.build_validator(given)


@pytest.mark.parametrize("where", ["x-lib", "enum"])
def test_a_ref_to_a_place_that_is_no_subschema_is_refused(where: str) -> None:
    # hunt 38 F1, F2: what the load-time checks walk is every subschema; a `$ref` to a vendor key
    # or an `enum` value reached a costly keyword or a backtracking pattern they never saw
    hidden = {"patternProperties": {"^(a|aa)+$": {}}}
    given = (
        {"x-lib": {"t": hidden}, "$ref": "#/x-lib/t"} if where == "x-lib" else {"enum": [hidden], "$ref": "#/enum/0"}
    )
    with pytest.raises(schema.SchemaLoadError, match="names a place that is no subschema; put what it names under"):
        schema.build_validator(given)


@pytest.mark.parametrize(
    "given",
    [
        # hunt 39 F1: one hop through a subschema referencing does not walk in that draft
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$defs": {"x": {"$ref": "#/x-lib/t"}},
            "x-lib": {"t": {}},
        },
        {"dependencies": {"x": {"$ref": "#/x-lib/t"}}, "x-lib": {"t": {}}},
        {"properties": {"x": {"$ref": "#/required/0"}}, "required": ["application"]},  # F4: a string
    ],
)
def test_every_ref_must_name_a_subschema(given: Any) -> None:
    with pytest.raises(schema.SchemaLoadError, match="names a place that is no subschema"):
        schema.build_validator(given)


@pytest.mark.parametrize(
    "given",
    [
        {"properties": {"x": {"$ref": "https://json-schema.org/draft/2020-12/schema"}}},  # hunt 39 F2
        {
            "$defs": {"c": {"contentSchema": {"type": "string"}}},
            "properties": {"x": {"$ref": "#/$defs/c/contentSchema"}},
        },
        # hunt 39 F3: referencing cannot read `dependencies` mixing forms; it was a RecursionError
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "dependencies": {"url": {"required": ["name"]}, "name": ["pods"]},
        },
    ],
)
def test_reasonable_refs_and_forms_are_accepted(given: Any) -> None:
    assert codes("application: {}\n", schema.build_validator(given)) == []


@pytest.mark.parametrize(
    ("value", "multiple"),
    [("80.5", False), ("10", False), ("5" + "0" * 399, False), (".inf", False), (str(10**401), True), ("0", True)],
)
def test_a_multiple_of_a_divisor_past_float_range_is_judged_exactly(value: str, multiple: bool) -> None:
    # hunt 74 F5: `80.5 % 10**400` raised OverflowError in jsonschema, an internal error that
    # lost every finding of the file, from a schema that passed all the checks of a download
    given = {"properties": {"application": {"properties": {"port": {"multipleOf": 10**400}}}}}
    found = run(f"application: {{port: {value}}}\n", schema.build_validator(given))
    assert [(code, line, col) for code, line, col, _, _ in found] == ([] if multiple else [("NX104", 1, 21)])
    assert all("must be a multiple of 1000000000000000... (401 digits)" in message for _, _, _, message, _ in found)


def _nested_resource(name_ref: str, inner: dict) -> dict:
    """A draft 7 schema whose `app` is a resource of its own (`$id`), with its own `$defs`."""
    app = {"$id": "app.json", "type": "object", "properties": {"name": {"$ref": name_ref}}, "$defs": inner}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://e.com/root.json",
        "properties": {"application": {"$ref": "app.json"}},
        "definitions": {"app": app},
    }


def test_refs_inside_a_nested_resource_resolve_in_it() -> None:
    # hunt 40 F1: a `$ref` under a draft 7 `$defs` was resolved from the root, not from the
    # resource around it (`app.json`): "does not resolve", a false refusal
    inner = {
        "label": {"type": "string"},
        "labels": {"items": {"$ref": "#/$defs/label"}},
        "n": {"allOf": [{"$ref": "#/$defs/label"}]},
    }
    validator = schema.build_validator(_nested_resource("#/$defs/n", inner))
    assert codes("application:\n  name: shop\n", validator) == []
    # hunt 40 F2: from the root, `#/items/0` named the root's subschema, not the resource's value
    hidden = _nested_resource("#/$defs/label", {"label": {}, "n": {"$ref": "#/items/0"}})
    hidden["definitions"]["app"]["items"] = {"0": {"patternProperties": {"^(a|aa)+$": {}}}}
    hidden["items"] = [{}]
    with pytest.raises(schema.SchemaLoadError, match="names a place that is no subschema"):
        schema.build_validator(hidden)


def test_our_resolver_stops_at_an_embedded_resource() -> None:
    # hunt 255 F1: `#/$defs/a/$defs/b` passed `a`'s `$id`, and `b`'s own `$ref` was resolved from
    # the root by the generated code; None sends the schema to jsonschema, which follows it
    given = {"$defs": {"a": {"$id": "http://o.example/a", "$defs": {"b": {"type": "string"}}}, "c": {"type": "string"}}}
    assert schemawalk.resolve(given, "#/$defs/a/$defs/b") is None
    assert schemawalk.resolve(given, "#/$defs/a") is None
    assert schemawalk.resolve(given, "#/$defs/c") == {"type": "string"}
    draft4 = {"definitions": {"a": {"id": "http://o.example/a", "type": "string"}}}
    assert schemawalk.resolve(draft4, "#/definitions/a") is None


@pytest.mark.parametrize(
    ("size", "fix"),
    [("1024Gi", None), ("1048576Mi", None), ("0001Gi", None), ("1025Gi", ""), ("1048577Mi", ""), ("5000Gi", "")]
    + [("99999999Mi", ""), ("2Ti", ""), ("1Ti", "1024Gi")],
)
def test_a_volume_size_is_at_most_1024gi(size: str, fix: str | None) -> None:
    # hunt 46 F2: `nexlayer deploy` refuses a size over 1024Gi (1024 x 1024 Mi); `5000Gi` passed,
    # and the safe fix of `2Ti` wrote `2048Gi`
    text = CLEAN + f"      volumes:\n        - name: d\n          size: {size}\n          mountPath: /d\n"
    found = [d for d in lint_diags(text) if d.code == "NX104"]
    if fix is None:
        assert found == []
        return
    assert [(d.line, d.col) for d in found] == [(10, 17)]
    assert "at most 1024Gi (1048576Mi)" in found[0].message
    assert (found[0].fix.edits[0].text if found[0].fix else "") == fix


def test_an_unquoted_pipeline_placeholder_gets_a_hint_to_quote_it() -> None:
    # hunt 46 F5: YAML reads `image: # filled by pipeline:web` as null and a comment
    text = CLEAN.replace("image: nginx:1.27", "image: # filled by pipeline:web")
    (found,) = [d for d in lint_diags(text) if d.code == "NX103"]
    assert (found.line, found.col) == (5, 13)
    assert found.hint == 'YAML reads an unquoted "#" as a comment: quote the placeholder, "# filled by pipeline:web"'
    (plain,) = [d for d in lint_diags(CLEAN.replace("image: nginx:1.27", "image:  # TODO")) if d.code == "NX103"]
    assert plain.hint is not None and plain.hint.startswith("an empty value (or ~ or null) is null in YAML")


def test_a_draft_4_schema_resolves_by_draft_4s_rules() -> None:
    # a draft 4 resource is named by `id`: the load-time checks read the schema as 2020-12 (whose
    # metaschema says `$id`), so `#/definitions/b` inside `id: inner` resolved from the root and
    # passed them, and jsonschema, reading it in `inner`, failed mid-run (an internal error, exit 2)
    def draft4(inner: dict) -> dict:
        return {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "properties": {"application": {"$ref": "#/definitions/a"}},
            "definitions": {"a": {"id": "inner", "properties": {"x": {"$ref": "#/definitions/b"}}, **inner}, "b": {}},
        }

    with pytest.raises(schema.SchemaLoadError, match=r'\$ref "#/definitions/b" does not resolve'):
        schema.build_validator(draft4({}))
    validator = schema.build_validator(draft4({"definitions": {"b": {"type": "string"}}}))
    assert codes("application:\n  x: 1\n", validator) == [("NX103", 2, 6)]


def test_a_draft_3_schema_is_refused() -> None:
    # hunt 38 F3: draft 3's `extends` applies subschemas in place, unseen by the cost check
    with pytest.raises(schema.SchemaLoadError, match=r"^a draft 3 schema is not supported"):
        schema.build_validator({"$schema": "http://json-schema.org/draft-03/schema#", "extends": [{}, {}]})


def test_costly_keywords_are_refused_only_where_they_mean_something() -> None:
    # hunt 38 F7: draft 7 ignores unevaluatedProperties, 2020-12 $recursiveRef: they cost nothing there
    draft7 = {"$schema": "http://json-schema.org/draft-07/schema#", "unevaluatedProperties": False}
    assert codes("application: {}\n", schema.build_validator(draft7)) == []
    assert codes("application: {}\n", schema.build_validator({"$recursiveRef": "#"})) == []


def test_a_schema_whose_values_go_through_too_many_properties_is_refused() -> None:
    # hunt 38 F4: `allOf` of 100 `$ref`s to 10,000 properties took 15 s and 1.8 GB to check a file
    wide = {"properties": {f"p{i}": {} for i in range(1_001)}}  # x 100 is past the bound, as 10,000 were
    with pytest.raises(schema.SchemaLoadError, match="goes through more than 100,000 subschemas and property names"):
        schema.build_validator({"$defs": {"w": wide}, "allOf": [{"$ref": "#/$defs/w"} for _ in range(100)]})
    schema.build_validator({"$defs": {"w": wide}, "allOf": [{"$ref": "#/$defs/w"}]})  # one is fine


def test_a_schema_whose_subschemas_combine_in_too_many_ways_is_refused_quickly() -> None:
    # hunt 37 F3: `allOf` of 18 mixins, each a different subset under each key: the count's own
    # walk took 40 s and 2 GB
    mixins = {
        f"m{i}": {"properties": {f"p{i}": {}}, "additionalProperties": {"$ref": f"#/$defs/m{i}"}} for i in range(18)
    }
    with pytest.raises(schema.SchemaLoadError, match="combine in too many ways"):
        schema.build_validator({"$defs": mixins, "allOf": [{"$ref": f"#/$defs/m{i}"} for i in range(18)]})


def test_a_schema_that_doubles_at_each_level_of_the_data_is_refused() -> None:
    # hunt 36 F2: 2**depth checks for data nested `depth` levels (24: 31 s)
    given = {"additionalProperties": {"allOf": [{"$ref": "#"}, {"$ref": "#"}]}}
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.build_validator(given)
    assert caught.value.message.endswith("it applies more than 1,000 subschemas to one value of nested data")


def test_recursive_schemas_and_trees_of_properties_are_fine() -> None:
    # a recursive schema applies the same subschemas at each level; a tree of distinct
    # `properties` one per value, however many branches it has (hunt 36 F8: 2**17 was refused)
    recursive = {
        "$defs": {"value": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/$defs/value"}}]}}
    }
    validator = schema.build_validator(recursive | {"properties": {"application": {"$ref": "#/$defs/value"}}})
    assert codes("application: [[a], b]\n", validator) == []
    tree = {
        f"t{i}": {"properties": {"left": {"$ref": f"#/$defs/t{i + 1}"}, "right": {"$ref": f"#/$defs/t{i + 1}"}}}
        for i in range(17)
    }
    tree["t17"] = {"type": "string"}
    validator = schema.build_validator({"$defs": tree, "properties": {"application": {"$ref": "#/$defs/t0"}}})
    assert codes("application: {left: {right: {left: {}}}}\n", validator) == []


def test_a_chain_of_thousands_of_refs_is_refused_not_blamed_on_the_file() -> None:
    # hunt 35 F7: 20,000 links made NX105 "the file is nested too deeply" on a 9-line file; 5,000
    # are five times past Python's recursion limit, in a quarter of the time (CI's budget)
    defs = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(5_000)} | {"d5000": {"type": "object"}}
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.build_validator({"$defs": defs, "properties": {"application": {"$ref": "#/$defs/d0"}}})
    assert caught.value.message == "the schema's $refs lead through too many subschemas to follow"


def test_a_schema_of_too_many_patterns_is_refused() -> None:
    # hunt 35 F6: 46,000 patterns made every run from the cache take a minute, proving them again
    many = {f"d{i}": {"type": "string", "pattern": f"^x{i}$"} for i in range(schema.MAX_SCHEMA_PATTERNS + 1)}
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.build_validator({"$defs": many, "properties": {"application": {"type": "object"}}})
    assert caught.value.message.startswith("the schema has more than 1,000 patterns")
    schema.build_validator({"$defs": dict(list(many.items())[:-1]), "properties": {"application": {}}})


def test_a_schema_of_too_many_subschemas_is_refused() -> None:
    # hunt 282 F3: 90,000 small properties cost 40 s on every run, the metaschema check of each
    many = {f"p{i}": {"type": "string"} for i in range(schema.MAX_SCHEMA_NODES)}
    with pytest.raises(schema.SchemaLoadError) as caught:
        schema.build_validator({"properties": {"application": {"properties": many}}})
    assert caught.value.message == (
        "the schema has more than 10,000 subschemas; each is checked on every run that loads it"
    )
    schema.build_validator({"properties": {"application": {"properties": dict(list(many.items())[:-2])}}})


def test_a_schema_whose_patterns_cost_too_much_to_prove_is_refused() -> None:
    # hunt 140 F2: 100 patterns each near a proof's own bound took 80 s on every run from the cache
    from nexlayer_lint import linear_regex

    assert linear_regex.refusal("^[a-z]{0,1000}999$") is None  # each is allowed alone, and costs near the bound
    assert linear_regex.proof_steps("^[a-z]{0,1000}999$") > schema.MAX_PROOF_STEPS // 4
    costly = [f"^[a-z]{{0,1000}}{i:03}$" for i in range(5)]
    defs = {f"d{i}": {"type": "string", "pattern": pattern} for i, pattern in enumerate(costly)}
    for _ in range(2):  # hunt 141 F4: proofs cached by the first build made the second pass
        with pytest.raises(schema.SchemaLoadError) as caught:
            schema.build_validator({"$defs": defs, "properties": {"application": {"type": "object"}}})
        assert caught.value.message.startswith("its patterns take too long to prove that they search in linear time")
    # and within the budget, one build's verdict does not depend on another's
    three = {f"d{i}": {"type": "string", "pattern": pattern} for i, pattern in enumerate(costly[:2] + ["^b$"])}
    schema.build_validator({"$defs": three, "properties": {"application": {"type": "object"}}})


def test_a_chain_of_refs_that_ends_is_used(tmp_path: Path) -> None:
    defs = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(50)} | {"d50": {"type": "object"}}
    validator = schema.build_validator({"$defs": defs, "$ref": "#/$defs/d0"})
    assert codes("application: {}\n", validator) == []
    assert codes("[]\n", validator) == [("NX103", 1, 1)]


def test_not_json_and_bad_schema_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(schema.SchemaLoadError, match=r"not JSON \(Expecting value at line 1, column 1\)"):
        schema.validator_for_file(write(tmp_path, "application: {}\n", "yaml.json"))
    with pytest.raises(schema.SchemaLoadError, match=r"not a valid JSON Schema: .*'strin'.* \(at /properties/a/type"):
        schema.validator_for_file(write(tmp_path, {"properties": {"a": {"type": "strin"}}}, "typo.json"))
    with pytest.raises(schema.SchemaLoadError, match="a JSON Schema is an object or a boolean, not a list"):
        schema.build_validator([])
    # hunt 116 F1: jsonschema looks the dialect up by `$schema`; a number or a list was a traceback
    for value, kind in ((5, "a number"), (True, "a boolean"), ([], "a list"), ({}, "a mapping")):
        said = f'"\\$schema" is the URI of a metaschema, a string, not {kind}'
        with pytest.raises(schema.SchemaLoadError, match=said):
            schema.validator_for_file(write(tmp_path, {"$schema": value, "type": "object"}, "dialect.json"))
    with pytest.raises(schema.SchemaLoadError, match="cannot read schema file"):
        schema.validator_for_file(tmp_path / "absent.json")


def test_keys_renamed_in_nexlayer_s_own_formats_are_one_finding_with_a_rename() -> None:
    # hunt 100 F1: the CLI's volume `path`, the legacy template's `tag`, a secret's `file` and
    # `value` were two findings each (missing key + unknown key), with no "did you mean"
    text = CLEAN.replace("image: nginx:1.27", "tag: nginx:1.27") + (
        "      volumes:\n        - name: data\n          size: 1Gi\n          path: /data\n"
        "      secrets:\n        - name: cfg\n          value: abc\n          mountPath: /s\n          file: a.conf\n"
    )
    found = [(d.code, d.message, d.hint) for d in lint_diags(text)]
    assert [(code, hint) for code, _, hint in found] == [
        ("NX101", 'rename "tag" to "image"'),
        ("NX101", 'rename "path" to "mountPath"'),
        ("NX101", 'rename "value" to "data"'),
        ("NX101", 'rename "file" to "fileName"'),
    ]


@pytest.mark.parametrize(
    ("before", "after", "hint"),
    [
        # hunt 100 F2: each hint, followed, left an error (`[80 443]`, `[[8000]]`, `"10"`)
        ("servicePorts: [80]", "servicePorts: 80 443", "write a list: servicePorts: [80, 443]"),
        ("servicePorts: [80]", 'servicePorts: "[8000]"', "remove the quotes: servicePorts: [8000]"),
        ("servicePorts: [80]", 'servicePorts: "80"', "write a list: servicePorts: [80]"),  # hunt 103 F4: as its fix
        ("servicePorts: [80]", 'servicePorts: "0080 0443"', "write a list: servicePorts: [80, 443]"),  # hunt 243 F1
        ("servicePorts: [80]", "servicePorts: 99999", "write a list, e.g. servicePorts: [99999]"),
        (
            "servicePorts: [80]",
            "servicePorts: [80]\n      volumes: ./x:/y",
            'write a list: volumes: then one "- " item per line',
        ),
        (
            "servicePorts: [80]",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: 10\n          mountPath: /d",
            "a size takes its unit, as text: write 10Gi or 10Mi",
        ),
    ],
)
def test_a_type_hint_followed_ends_the_finding(before: str, after: str, hint: str) -> None:
    [found] = [d for d in lint_diags(CLEAN.replace(before, after)) if d.code == "NX103"]
    assert found.hint == hint


def test_nan_and_infinity_are_not_json(tmp_path: Path) -> None:
    # hunt 101 F3: Python's json reads them; `maximum: NaN` turned the check off silently
    for word in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(schema.SchemaLoadError, match=f"not usable JSON \\({word} is not a JSON number\\)"):
            schema.load_schema_bytes(b'{"type": "object", "maximum": %s}' % word.encode(), source="file", location="s")


def test_the_metaschema_check_takes_time_linear_in_a_list_of_objects() -> None:
    # hunt 101 F2: jsonschema's uniqueItems compares each pair of objects: a draft 4 `enum` of
    # 3,000 objects took 15 s, and a `type` list of objects as long before it was refused.
    # (Quadratic, 30,000 items would take half an hour; the subprocess gives it 60 s.)
    import subprocess
    import sys

    code = """if True:
        import json, sys
        from nexlayer_lint import schema
        def build(extra, draft4=False):
            given = {"$schema": "http://json-schema.org/draft-04/schema#"} if draft4 else {}
            try:
                schema.build_validator({**given, "type": "object", "definitions": {"d": extra}})
                return "ok"
            except schema.SchemaLoadError as exc:
                return exc.message
        many = [{"region": i} for i in range(30_000)]
        print(json.dumps([
            build({"enum": many}, draft4=True),
            build({"enum": many + [{"region": 7}]}, draft4=True),
            build({"enum": [1, True, 1.0]}, draft4=True),
            build({"enum": many + many}),  # draft 2020-12 asks no unique items of enum
            build({"type": many}),
            build({"required": ["a", 1]}),
            build({"dependentRequired": {"a": [{"b": 1}]}}),
            build({"default": {"type": [1, 2]}}),  # a value, not a subschema: not read
            build({"dependentRequired": {"a": [1]}}, draft4=True),  # hunt 102 F5: no keyword of draft 4
        ]))
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == [
        "ok",
        'not a valid JSON Schema: {"region": 7} is repeated, and enum\'s items must be unique (at /definitions/d/enum)',
        "not a valid JSON Schema: 1.0 is repeated, and enum's items must be unique (at /definitions/d/enum)",
        "ok",
        "not a valid JSON Schema: a list of names holds something else (at /definitions/d/type)",
        "not a valid JSON Schema: a list of names holds something else (at /definitions/d/required)",
        "not a valid JSON Schema: a list of names holds something else (at /definitions/d/dependentRequired/a)",
        "ok",
        "ok",
    ]


def test_schema_file_info_and_cache(tmp_path: Path) -> None:
    path = write(tmp_path, {"x-nexlayer-lint-version": "9.9", "type": "object"})
    from nexlayer_lint import engine

    first = schema.validator_for_file(path)
    # built once per process while the file stays as it is (engine.choose_schema keeps it)
    assert engine.choose_schema(str(path), None, 24.0, 10.0) is engine.choose_schema(str(path), None, 24.0, 10.0)
    import hashlib

    assert first[1].version == "9.9" and first[1].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert first[1].location == str(path.resolve())


def test_nx105_rule_page_example_runs_with_its_schema(tmp_path: Path) -> None:
    page = (ROOT / "rules" / "NX105-schema-violation.md").read_text(encoding="utf-8")
    example = page.split("## Example", 1)[1].split("## Use instead", 1)[0]
    given = re.search(r"```json\n(.*?)```", example, re.S).group(1)
    yaml_block = re.search(r"```yaml\n(.*?)```", example, re.S).group(1)
    validator, _ = schema.validator_for_file(write(tmp_path, given))
    marked = [i for i, line in enumerate(yaml_block.splitlines(), 1) if "# error: NX105" in line]
    got = run(yaml_block, validator)
    assert [(c, line) for c, line, *_ in got] == [("NX105", n) for n in marked]
    assert got[0][3] == 'pod "web" must not set "command": the image\'s own start command is used'
    assert run(yaml_block) == []  # clean with the bundled schema, as the page says
    use_instead = re.search(r"```yaml\n(.*?)```", page.split("## Use instead", 1)[1], re.S).group(1)
    assert run(use_instead, validator) == []


# --- import cost and the corpus ---------------------------------------------------------------


def test_importing_schema_does_not_import_jsonschema() -> None:
    import subprocess
    import sys

    code = "import sys, nexlayer_lint.schema; print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_real_corpus_maps_without_crashing() -> None:
    corpus = SHARED / "corpus" / "real"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent (it sits beside the checkout for the team)")
    validator = schema.bundled_validator()[0]
    seen = 0
    for path in sorted(corpus.glob("*.y*ml")):
        doc, _ = loader.load(path.read_bytes(), path.name)
        if doc is None:
            continue
        lines = doc.text.count("\n") + 1
        for problem in schema.check(doc, validator):
            seen += 1
            assert problem.code in {"NX101", "NX102", "NX103", "NX104", "NX105"}
            span = problem.span or doc.locate(problem.path, problem.at)
            assert 1 <= span.line <= lines, (path.name, problem)
            text = problem.message + (problem.hint or "")
            assert "{" not in problem.message and "ValidationError" not in text and "is not of type" not in text
    assert seen > 50


# --- ECMA-262 patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Python's `$` matched before the trailing newline, so all three passed every pattern
        (
            "application:\n  name: |\n    shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
            "      servicePorts: [80]\n",
            (
                "NX104",
                2,
                9,
                'application name "shop\\n" must contain only lowercase letters, digits, hyphens (-) and '
                "dots (.), with a letter or digit at the start, at the end and on both sides of every dot",
                'did you mean "shop"?',
            ),
        ),
        (
            pod("", head='    - name: "web\\n"\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n'),
            (
                "NX104",
                4,
                13,
                'pod name "web\\n" must start with a lowercase letter, end with a letter or digit, and '
                "contain only lowercase letters, digits and hyphens (no dots, spaces or underscores)",
                'did you mean "web"?',
            ),
        ),
        (
            pod('      volumes:\n        - name: data\n          size: "5Gi\\n"\n          mountPath: /data\n'),
            (
                "NX104",
                10,
                17,
                'size "5Gi\\n" of volume "data" of pod "web" must be a whole number followed by Mi or Gi, '
                'at most 1024Gi (1048576Mi), such as "512Mi" or "5Gi"',
                'did you mean "5Gi"?',
            ),
        ),
    ],
)
def test_a_trailing_newline_breaks_a_pattern(text: str, expected: tuple) -> None:
    assert run(text) == [expected]


def test_a_given_schema_gets_ecma_patterns_too(tmp_path: Path) -> None:
    given = {
        "properties": {"tag": {"pattern": r"^v\d+(?<!0)$"}},
        "patternProperties": {r"^x-\p{L}+$": {"type": "string"}},
        "additionalProperties": False,
    }
    validator, _ = schema.validator_for_file(write(tmp_path, given))
    assert codes("tag: v12\nx-été: yes\n", validator) == []
    assert [r[:4] for r in run('tag: "v1\\n"\nx-1: a\n', validator)] == [
        ("NX102", 2, 1, 'unknown key "x-1" at the top level'),
        ("NX104", 1, 6, 'tag "v1\\n" must match the pattern "^v\\d+(?<!0)$"'),
    ]


def test_a_pattern_that_is_not_ecma_262_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(
        schema.SchemaLoadError,
        match=r'the pattern "\(\?P<x>a\)" at /properties/a/pattern is refused: '
        r"it is not an ECMA-262 regular expression",
    ):
        schema.validator_for_file(write(tmp_path, {"properties": {"a": {"pattern": "(?P<x>a)"}}}))
    with pytest.raises(schema.SchemaLoadError, match=r"at /properties/a/pattern is refused: it has a lone surrogate"):
        schema.validator_for_file(write(tmp_path, '{"properties": {"a": {"pattern": "^\\ud800$"}}}', "surrogate.json"))
    with pytest.raises(schema.SchemaLoadError, match="unevaluatedProperties beside patternProperties is not supported"):
        schema.validator_for_file(
            write(tmp_path, {"patternProperties": {"^a": {}}, "unevaluatedProperties": False}, "u.json")
        )


# --- schemas we did not write cannot hang or crash a run -------------------------------------------


def test_a_slow_pattern_in_a_schema_file_is_refused_with_its_place(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nexlayer_lint import engine
    from nexlayer_lint.cli import main

    engine._choose_schema.cache_clear()
    path = write(tmp_path, {"properties": {"application": {"properties": {"name": {"pattern": "^(a+)+$"}}}}})
    (tmp_path / "nexlayer.yaml").write_text("application:\n  name: " + "a" * 40 + "!\n")
    result = CliRunner().invoke(main, ["--schema", str(path), str(tmp_path / "nexlayer.yaml")])
    assert result.exit_code == 2
    assert result.output == (
        f'nexlayer-lint: error: {path}: the pattern "^(a+)+$" at /properties/application/properties/name/pattern '
        "is refused: its repetitions can match the same text in many ways (like (a+)+ or a*a*), so a search could "
        "take exponential or polynomial time\n"
    )


def test_a_slow_pattern_in_a_fetched_schema_falls_back_to_the_bundled_one(fake_api: Any, tmp_path: Path) -> None:
    from nexlayer_lint import engine
    from tests import fake_api as fa

    engine._choose_schema.cache_clear()
    fake_api.script("/slow.json", fa.Reply(200, {"properties": {"application": {"pattern": "(a|aa)+$"}}}))
    choice = engine.choose_schema(f"{fake_api.url}/slow.json", None, 24.0, 5.0)
    assert choice.info.source == "bundled"
    # refused when fetched, before it is cached, with the pattern and the reason named
    assert choice.warning == (
        f'could not fetch the schema from "{fake_api.url}/slow.json": the response is not a usable schema: '
        'the pattern "(a|aa)+$" at /properties/application/pattern is refused: its repetitions can match the '
        "same text in many ways (like (a+)+ or a*a*), so a search could take exponential or polynomial time; "
        "using the bundled schema"
    )


def test_a_100_kib_value_under_a_given_pattern_is_checked_in_linear_time(tmp_path: Path) -> None:
    import time

    # The same pattern shapes as the bundled schema's: accepted, and searched by a backtracking
    # engine in time linear in the value (a quadratic search of 100 KiB would take minutes). The
    # label as the bundled schema writes it: `[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?` inside a
    # repetition is refused (regress repeats its bounded group past the bound, test_linear_regex).
    label = r"[a-z0-9]+(?:-+[a-z0-9]+)*"
    given = {
        "properties": {
            "a": {"pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},
            "b": {"pattern": rf"^{label}(\.{label})+$"},
            "c": {"pattern": r"\d+"},
        }
    }
    validator, _ = schema.validator_for_file(write(tmp_path, given))
    value = "a" * 100 * 1024 + "-"
    started = time.perf_counter()
    assert codes(f"a: {value}\nb: {'a.' * 50 * 1024}-\nc: {'x' * 100 * 1024}\n", validator) == [
        ("NX104", 1, 4),
        ("NX104", 2, 4),
        ("NX104", 3, 4),
    ]
    assert time.perf_counter() - started < 10


def test_a_deeply_nested_schema_is_a_load_error(tmp_path: Path) -> None:
    deep: Any = {"type": "string"}
    for _ in range(400):
        deep = {"properties": {"a": deep}}
    with pytest.raises(schema.SchemaLoadError, match="the schema is nested more than 64 levels deep"):
        schema.validator_for_file(write(tmp_path, deep))
    with pytest.raises(schema.SchemaLoadError, match="nested too deeply"):
        schema.validator_for_file(write(tmp_path, '{"a":' * 100_000 + "1" + "}" * 100_000, "deeper.json"))


def test_data_deeper_than_a_recursive_schema_can_follow_is_one_finding(tmp_path: Path) -> None:
    # jsonschema recurses several Python frames per level and runs out of stack; the generated
    # code (quickvalid.py) follows the same data to its real fault.
    text = "".join("  " * i + "a:\n" for i in range(450)) + "  " * 450 + "b: 1\n"
    generated = {
        "$defs": {"n": {"type": ["object", "string"], "additionalProperties": {"$ref": "#/$defs/n"}}},
        "$ref": "#/$defs/n",
    }
    validator, _ = schema.validator_for_file(write(tmp_path, generated))
    assert run(text, validator) == [
        (
            "NX103",
            451,
            904,
            'expected a mapping or a string for "b" of a, got the number 1',
            'YAML reads an unquoted number as a number; quote it ("1") to make it a string',
        )
    ]
    only_jsonschema = {
        "$defs": {"n": {"type": ["object", "string"], "format": "date", "additionalProperties": {"$ref": "#/$defs/n"}}},
        "$ref": "#/$defs/n",
    }
    validator, _ = schema.validator_for_file(write(tmp_path, only_jsonschema, "other.json"))
    assert run(text, validator) == [
        (
            "NX105",
            1,
            1,
            "the file is nested too deeply to be checked against the schema",
            "flatten the deepest part of the file; the schema's $refs recurse once per level",
        )
    ]


def test_a_schema_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    import os

    with pytest.raises(schema.SchemaLoadError, match="schema file /dev/zero is a device or socket, not a regular file"):
        schema.validator_for_file("/dev/zero")
    with pytest.raises(schema.SchemaLoadError, match=r"is a directory, not a regular file"):
        schema.validator_for_file(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.json")  # nobody writes to it: reading it would wait forever
        with pytest.raises(schema.SchemaLoadError, match=r"fifo.json is a pipe, not a regular file"):
            schema.validator_for_file(tmp_path / "fifo.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (5 * 1024 * 1024) + b"{}")
    with pytest.raises(schema.SchemaLoadError, match=r"big.json is larger than 5 MiB"):
        schema.validator_for_file(big)
    with pytest.raises(schema.SchemaLoadError, match=r"not usable JSON \(Exceeds the limit"):
        schema.validator_for_file(write(tmp_path, '{"maximum": ' + "9" * 5000 + "}", "long.json"))


# --- integers too long to print -------------------------------------------------------------------


def test_a_huge_port_is_judged_and_quoted_short() -> None:
    # Python cannot turn an int of over 4,300 digits into text; the finding must survive that.
    hex_port = "0x" + "f" * 5000
    head = "    - name: web\n      image: x\n      path: /\n"
    assert run(pod("", head=f"{head}      servicePorts: [{hex_port}, 80]\n")) == [
        (
            "NX104",
            7,
            22,
            'port 0xffffffffffffffff... (5,000 hexadecimal digits) in servicePorts of pod "web" '
            "must be between 1 and 65535",
            None,
        )
    ]
    decimal_port = "9" * 100
    assert run(pod("", head=f"{head}      servicePorts: {hex_port}\n")) == [
        (
            "NX103",
            7,
            21,
            'expected a list for "servicePorts" of pod "web", got the number 0xffffffffffffffff... '
            "(5,000 hexadecimal digits)",
            "write a list, e.g. servicePorts: [0xfffffffffffffff...]",
        )
    ]
    assert [r[3] for r in run(pod("", head=f"{head}      servicePorts: [{decimal_port}, {decimal_port}]\n"))] == [
        'port 9999999999999999... (100 digits) in servicePorts of pod "web" must be between 1 and 65535',
        '"servicePorts" of pod "web" must not list the same port twice (9999999999999999... (100 digits) is repeated)',
        'port 9999999999999999... (100 digits) in servicePorts of pod "web" must be between 1 and 65535',
    ]


def test_a_quote_it_hint_quotes_the_value_not_its_anchor() -> None:
    # hunt 64 F1: `quote it ("&w 4")` made the anchor part of the text, and every `*w` an error
    hints = [
        hint for _, _, _, _, hint in run(pod("      vars:\n        WORKERS: &w 4\n        DEBUG: !!bool &d true\n"))
    ]
    assert hints == [
        'YAML reads an unquoted number as a number; quote it ("4") to make it a string',
        'YAML reads unquoted true as a boolean; quote it ("true") to make it a string',
    ]


def test_an_empty_path_gets_the_root_only_as_an_unsafe_fix() -> None:
    # hunt 64 F2: the safe fix made `path: ""` the public root route
    head = POD_HEAD.replace("path: /", "path: /web")
    [empty] = [
        d
        for d in lint_diags(pod('    - name: api\n      image: a:1\n      path: ""\n      servicePorts: [81]\n', head))
        if d.code == "NX104"
    ]
    assert empty.fix is not None and (empty.fix.title, empty.fix.applicability) == (
        'Make it the root path "/"',
        "unsafe",
    )
    [relative] = [
        d
        for d in lint_diags(pod("    - name: api\n      image: a:1\n      path: api\n      servicePorts: [81]\n", head))
        if d.code == "NX104"
    ]
    assert relative.fix is not None and (relative.fix.title, relative.fix.applicability) == (
        'Add the leading "/"',
        "safe",
    )
