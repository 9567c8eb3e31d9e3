"""secrets.py: which names are secret, what is a reference, masking and redaction."""

from __future__ import annotations

import pytest

from nexlayer_lint import loader
from nexlayer_lint.secrets import (
    REDACTED, is_literal_secret, is_reference, is_secret_path, is_secret_var_name, mask_text, redact_data,
    secret_paths,
)


@pytest.mark.parametrize("name", [
    "PASSWORD", "DB_PASSWORD", "POSTGRES_PASSWORD", "mysql_root_password", "dbPassword", "db-passwd",
    "JWT_SECRET", "NEXTAUTH_SECRET", "clientSecret", "GITHUB_CLIENT_SECRET", "GITHUB_TOKEN", "accessToken",
    "OPENAI_API_KEY", "apiKey", "APIKEY", "STRIPE_SECRET_KEY", "SECRET_KEY_BASE", "JWT_PRIVATE_KEY",
    "AWS_SECRET_ACCESS_KEY", "MINIO_ACCESS_KEY", "GOOGLE_CREDENTIALS", "GCP_CREDENTIALS_JSON", "DB_PASS",
    "REFRESH_TOKEN_SECRET",
])
def test_secret_names(name: str) -> None:
    assert is_secret_var_name(name)


@pytest.mark.parametrize("name", [
    "TOKEN_URL", "OAUTH_TOKEN_ENDPOINT", "JWT_SECRET_EXPIRES_IN", "ACCESS_TOKEN_EXPIRE_MINUTES",
    "PASSWORD_MIN_LENGTH", "PASSWORD_RESET_URL", "AWS_ACCESS_KEY_ID", "POSTGRES_PASSWORD_FILE", "MAX_TOKENS",
    "OPENAI_MAX_TOKENS", "SECRET_NAME", "PASS_THROUGH", "PASSPORT_STRATEGY", "KEYCLOAK_URL", "API_URL",
    "PUBLIC_KEY", "TOKENIZER", "", "NODE_ENV",
])
def test_not_secret_names(name: str) -> None:
    assert not is_secret_var_name(name)


def test_non_string_name_is_not_secret() -> None:
    assert not is_secret_var_name(42)


@pytest.mark.parametrize(("value", "expected"), [
    ("${DB_PASSWORD}", True), ("<% REGISTRY_TOKEN %>", True), ("<%URL%>", True), (" ${A}/${B} ", True),
    ("s3cr3t${X}", False), ("postgres://u:${P}@db.pod/x", False), ("hunter2", False), ("", False), (None, False),
    ("$PASSWORD", False),
])
def test_is_reference(value: object, expected: bool) -> None:
    assert is_reference(value) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("hunter2", True), (1234, True), ("${X}", False), ("", False), ("   ", False), (None, False), (True, False),
    ("<your token here>", False), ("<% URL %>", False),
])
def test_is_literal_secret(value: object, expected: bool) -> None:
    assert is_literal_secret(value) is expected


FILE = """\
application:
  name: demo
  registryLogin:
    registry: ghcr.io
    username: acme
    personalAccessToken: "ghp_abcdefgh"
  pods:
    - name: web
      image: <% REGISTRY %>/acme/web:1
      path: /
      servicePorts: [80]
      vars:
        NODE_ENV: production
        DB_PASSWORD: hunter2hunter2
        JWT_SECRET: ${JWT_SECRET}
      secrets:
        - name: cert
          data: |
            -----BEGIN KEY-----
            abcdef
          mountPath: /etc/cert
          fileName: tls.key
    - name: api
      image: nginx:1.27
      servicePorts: [8000]
      vars:
        - key: API_TOKEN
          value: tok_123456
        - key: LOG_LEVEL
          value: debug
"""


def _doc():
    doc, problems = loader.load(FILE, "nexlayer.yaml")
    assert doc is not None and problems == []
    return doc


def test_secret_paths_cover_token_secrets_and_both_vars_forms() -> None:
    assert secret_paths(_doc()) == [
        ("application", "registryLogin", "personalAccessToken"),
        ("application", "pods", 0, "secrets", 0, "data"),
        ("application", "pods", 0, "vars", "DB_PASSWORD"),
        ("application", "pods", 0, "vars", "JWT_SECRET"),
        ("application", "pods", 1, "vars", 0, "value"),
    ]


def test_is_secret_path_without_and_with_data() -> None:
    doc = _doc()
    assert is_secret_path(("application", "registryLogin", "personalAccessToken"))
    assert is_secret_path(("application", "pods", 3, "secrets", 1, "data"))
    assert is_secret_path(("application", "pods", 3, "secrets", 1, "data", "nested"))
    assert not is_secret_path(("application", "pods", 3, "secrets", 1, "fileName"))
    assert is_secret_path(("application", "pods", 0, "vars", "DB_PASSWORD"))
    assert not is_secret_path(("application", "pods", 0, "vars", "NODE_ENV"))
    # list form: without the data the key cannot be seen, so the value is hidden to be safe
    assert is_secret_path(("application", "pods", 1, "vars", 1, "value"))
    assert not is_secret_path(("application", "pods", 1, "vars", 1, "value"), doc.data)
    assert is_secret_path(("application", "pods", 1, "vars", 0, "value"), doc.data)
    assert not is_secret_path(("application", "pods", 1, "vars", 0, "key"), doc.data)
    assert not is_secret_path(("application", "name"))
    assert not is_secret_path(())


def test_mask_text_hides_every_literal_secret_and_keeps_the_layout() -> None:
    doc = _doc()
    masked = mask_text(doc)
    for secret in ("ghp_abcdefgh", "hunter2hunter2", "BEGIN KEY", "abcdef", "tok_123456"):
        assert secret not in masked
    original_lines, masked_lines = FILE.splitlines(keepends=True), masked.splitlines(keepends=True)
    assert [len(line) for line in masked_lines] == [len(line) for line in original_lines]
    assert masked_lines[5] == '    personalAccessToken: "************"\n'
    assert masked_lines[13] == "        DB_PASSWORD: **************\n"
    assert masked_lines[18] == "            *******************\n"  # block scalar: indentation kept
    assert masked_lines[27] == "          value: **********\n"
    # not secret, or a reference: shown as written
    assert "NODE_ENV: production" in masked and "JWT_SECRET: ${JWT_SECRET}" in masked
    assert "value: debug" in masked


def test_mask_text_of_a_file_without_secrets_is_the_text() -> None:
    doc, _ = loader.load("application:\n  name: x\n", "nexlayer.yaml")
    assert mask_text(doc) == doc.text


def test_redact_data_replaces_literals_by_type_and_leaves_the_original() -> None:
    doc = _doc()
    data = doc.data
    data["application"]["pods"][1]["vars"].append({"key": "DB_PASS", "value": 1234})
    redacted = redact_data(data)
    app = redacted["application"]
    assert app["registryLogin"]["personalAccessToken"] == REDACTED
    assert app["pods"][0]["secrets"][0]["data"] == REDACTED
    assert app["pods"][0]["vars"] == {"NODE_ENV": "production", "DB_PASSWORD": REDACTED, "JWT_SECRET": "${JWT_SECRET}"}
    assert app["pods"][1]["vars"][0] == {"key": "API_TOKEN", "value": REDACTED}
    assert app["pods"][1]["vars"][1] == {"key": "LOG_LEVEL", "value": "debug"}
    assert app["pods"][1]["vars"][2] == {"key": "DB_PASS", "value": 0}
    assert data["application"]["registryLogin"]["personalAccessToken"] == "ghp_abcdefgh"


def test_redact_data_survives_any_shape() -> None:
    assert redact_data(None) is None
    assert redact_data([1, 2]) == [1, 2]
    assert redact_data({"application": {"pods": "x"}}) == {"application": {"pods": "x"}}
    odd = {"application": {"registryLogin": {"personalAccessToken": {"a": "b"}}}}
    assert redact_data(odd) == {"application": {"registryLogin": {"personalAccessToken": {}}}}


def test_mask_text_hides_the_secret_where_it_is_repeated_as_a_whole_word() -> None:
    text = ("application:\n  pods:\n    - name: db\n      vars:\n        POSTGRES_PASSWORD: s3cr3tpw\n"
            "        DATABASE_URL: postgresql://app:s3cr3tpw@db.pod/x\n        OTHER: s3cr3tpwx\n")
    doc, _ = loader.load(text, "nexlayer.yaml")
    masked = mask_text(doc).splitlines()
    assert masked[4] == "        POSTGRES_PASSWORD: ********"
    assert masked[5] == "        DATABASE_URL: postgresql://app:********@db.pod/x"
    assert masked[6] == "        OTHER: s3cr3tpwx"  # not the same word


def test_a_file_result_carries_masked_text_only_when_a_diagnostic_can_frame_it() -> None:
    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    clean = lint(CLEAN)
    assert clean.diagnostics == () and clean.masked_text == ""  # never read: never made
    with_secret = CLEAN.replace("      path: /\n", "      path: /\n      vars:\n        DB_PASSWORD: hunter2hunter2\n")
    found = lint(with_secret)
    assert [d.code for d in found.diagnostics] == ["NX213"]
    doc, _ = loader.load(with_secret, "nexlayer.yaml")
    assert found.masked_text == mask_text(doc) and "hunter2hunter2" not in found.masked_text
