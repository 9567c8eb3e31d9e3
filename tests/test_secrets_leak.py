"""Secret values never leak: through any report format, code frames, errors, the server or /validate.

Every secret below is a distinctive canary; each test renders something and asserts that no
canary (nor its longest run of distinctive characters) appears anywhere in what came out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nexlayer_lint import checks, loader, secrets
from nexlayer_lint.cli import main
from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from tests import fake_api as fa

PAT = "ghp_LeakCanary00000000000000000000000001"
CANARIES = {
    "pat": PAT,
    "data": "leak-canary-data-line-0002",
    "block": "leak-canary-block-0003",
    "password": "leak-canary-password-0004",
    "smtp": "leak-canary-smtp-0005",
    "stripe": "leak-canary-stripe-0006",
    "jwt": "leak-canary-quoted-0007",
    "nested": "leak-canary-nested-0008",
    "number": "8675309123",
    "flow": "leak-canary-flow-0009",
}

SECRETS_FILE = f"""\
application:
  name: leaky
  registryLogin:
    registry: ghcr.io
    username: me
    personalAccessToken: {PAT}
  pods:
    - name: web
      image: ghcr.io/me/web:1.0
      path: /
      servicePorts: [8080]
      vars:
        DB_PASSWORD: {CANARIES['password']}
        DATABASE_URL: postgres://app:{CANARIES['password']}@db.pod:5432/app
        JWT_SECRET: "{CANARIES['jwt']}"
        API_KEY: {CANARIES['number']}
        CLIENT_SECRET: {{x: {CANARIES['nested']}}}
      secrets:
        - name: one
          data: {CANARIES['data']}
          mountPath: /var/secrets/one
          fileName: one.txt
        - name: two
          data: |
            {CANARIES['block']}
            second line
          mountPath: /var/secrets/two
          fileName: two.txt
    - name: worker
      image: ghcr.io/me/worker:1.0
      servicePorts: [9000]
      vars:
        - key: SMTP_PASSWORD
          value: {CANARIES['smtp']}
        - STRIPE_SECRET_KEY: {CANARIES['stripe']}
        - {{key: AUTH_TOKEN, value: {CANARIES['flow']}}}
"""

# Files that do not parse, each broken on the very line that holds the secret, so the code frame shows it.
UNPARSEABLE = {
    "colon-in-token": f"application:\n  registryLogin:\n    personalAccessToken: {PAT}: x\n",
    "unclosed-quote": f'application:\n  pods:\n    - vars:\n        DB_PASSWORD: "{CANARIES["password"]}\n',
    "tab": f"application:\n  pods:\n    - vars:\n\tDB_PASSWORD: {CANARIES['password']}\n",
    "block-data": f"application:\n  pods:\n  - secrets:\n    - data: |\n        {CANARIES['block']}\n      bad: [\n",
    "list-value": (f"application:\n  pods:\n  - vars:\n    - key: SMTP_PASSWORD\n      value: {CANARIES['smtp']}\n"
                   f"     x: [\n"),
    "value-before-key": (f"application:\n  pods:\n  - vars:\n    - value: {CANARIES['smtp']}\n"
                         f"      key: SMTP_PASSWORD\n  }}\n"),
    "flow": f"application: {{pods: [{{vars: {{DB_PASSWORD: {CANARIES['flow']}, X: 1}}]}}\n",
    "quoted-key": f"application:\n  \"API_KEY\": '{CANARIES['jwt']}' # note\n  - x\n",
    "repeat": f"DB_PASSWORD: {CANARIES['password']}\nurl: postgres://u:{CANARIES['password']}@db\nx: [\n",
    # one broken line: the `key:` item's value is not a secret name, however secret the rest looks
    "one-line": (f"{{application: {{pods: [{{key: [], vars: {{DB_PASSWORD: {CANARIES['password']}}}}}], "
                 f"x: ${{DB_PASSWORD}}}}}}\n"),
    "flow-key-then-value": f"application: {{vars: [{{key: DB_PASSWORD, value: {CANARIES['flow']}}}]\n",
    "flow-value-then-key": f"application: {{vars: [{{value: {CANARIES['flow']}, key: DB_PASSWORD}}]\n",
}
FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]


def assert_no_canary(output: str, where: str) -> None:
    for name, value in CANARIES.items():
        assert value not in output, f"{name} secret leaked through {where}"
    # JSON and XML escaping must not smuggle a value out either
    assert json.dumps(PAT)[1:-1] not in output and "LeakCanary" not in output, where


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def test_the_secrets_file_has_findings_on_the_secret_lines() -> None:
    # The test is only worth something if diagnostics (and so code frames) point at the secrets.
    result = Linter(Settings()).lint(SECRETS_FILE, "nexlayer.yaml")
    lines = {d.line for d in result.diagnostics}
    secret_lines = {n for n, text in enumerate(SECRETS_FILE.splitlines(), 1) if "canary" in text.lower()
                    or CANARIES["number"] in text}
    assert len(lines & secret_lines) >= 5, sorted(lines)
    assert result.error is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_shows_a_secret(project: Path, fmt: str) -> None:
    (project / "nexlayer.yaml").write_text(SECRETS_FILE, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--format", fmt, "--show-source", "--color", "always")
    assert result.exit_code == 1, result.output
    assert "nexlayer.yaml" in result.stdout
    assert_no_canary(result.output, fmt)


def test_report_files_show_no_secret(project: Path) -> None:
    (project / "nexlayer.yaml").write_text(SECRETS_FILE, encoding="utf-8")
    args = []
    for fmt in FORMATS:
        args += ["--format", fmt, "-o", f"out/report.{fmt}"]
    result = run_cli("nexlayer.yaml", *args)
    assert result.exit_code == 1
    for fmt in FORMATS:
        written = (project / "out" / f"report.{fmt}").read_text(encoding="utf-8")
        assert "nexlayer.yaml" in written
        assert_no_canary(written, f"{fmt} file")


@pytest.mark.parametrize("name", sorted(UNPARSEABLE))
@pytest.mark.parametrize("fmt", FORMATS)
def test_unparseable_file_shows_no_secret(project: Path, name: str, fmt: str) -> None:
    text = UNPARSEABLE[name]
    assert loader.load(text, "nexlayer.yaml")[0] is None  # really unparseable
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--format", fmt, "--show-source")
    assert result.exit_code == 1, result.output
    assert "NX001" in result.stdout
    assert_no_canary(result.output, f"{fmt} of an unparseable file ({name})")


def test_unparseable_code_frame_keeps_its_shape(project: Path) -> None:
    text = UNPARSEABLE["colon-in-token"]
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--show-source", "--color", "never")
    frame = [line for line in result.stdout.splitlines() if line.startswith("3 |")]
    # the key stays readable, the value is starred to its full width, so the caret still lines up
    assert frame == ["3 |     personalAccessToken: " + "*" * (len(PAT) + 3)]


def test_mask_unparsed_leaves_ordinary_values_and_references() -> None:
    text = ("application:\n  name: shop # a name\n  pods:\n  - vars:\n      DB_PASSWORD: ${DB_PASSWORD}\n"
            "      HOME: /home/app\n    - key: LOG_LEVEL\n      value: debug\n  x: [\n")
    assert secrets.mask_unparsed(text) == text


def test_internal_error_text_does_not_carry_a_secret(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A buggy check whose exception quotes the value it choked on (as `int("hunter2")` would).
    def choking(app: Any) -> list[Any]:
        value = app.doc.get("application", "pods", 0, "vars", "DB_PASSWORD")
        raise ValueError(f"invalid literal for int() with base 10: {value!r}")

    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(checks, "CHECK_RULES", (checks.CHECK_RULES[0]._replace(check=choking), *checks.CHECK_RULES))
    (project / "nexlayer.yaml").write_text(SECRETS_FILE, encoding="utf-8")
    for fmt in FORMATS:
        result = run_cli("nexlayer.yaml", "--format", fmt)
        assert result.exit_code == 2
        assert "internal error in check" in result.stderr and "choking" in result.stderr
        assert_no_canary(result.output, f"an internal error ({fmt})")


def test_language_server_messages_show_no_secret() -> None:
    server = pytest.importorskip("nexlayer_lint.server", reason="the language server needs the lsp extra")
    for text in (SECRETS_FILE, *UNPARSEABLE.values()):
        linted = server._lint_job(text, "nexlayer.yaml", Settings(), False, None, "utf-16")
        sent = json.dumps([d.message for d in linted.lsp_diagnostics]) + str(linted.error)
        assert linted.lsp_diagnostics
        assert_no_canary(sent, "the language server")


def test_redact_data_keeps_shape_and_drops_every_value() -> None:
    document, _ = loader.load(SECRETS_FILE, "nexlayer.yaml")
    assert document is not None
    redacted = secrets.redact_data(document.data)
    assert_no_canary(json.dumps(redacted), "redact_data")
    web = redacted["application"]["pods"][0]
    assert redacted["application"]["registryLogin"]["personalAccessToken"] == secrets.REDACTED
    assert web["vars"]["API_KEY"] == 0 and web["vars"]["CLIENT_SECRET"] == {}
    assert web["secrets"][1]["data"] == secrets.REDACTED
    # not secret by name, but it holds the password: starred there, the rest of the URL kept
    assert web["vars"]["DATABASE_URL"] == "postgres://app:" + "*" * len(CANARIES["password"]) + "@db.pod:5432/app"
    assert document.data["application"]["pods"][0]["vars"]["DB_PASSWORD"] == CANARIES["password"]  # a copy


def test_validate_payload_has_no_secret(project: Path, fake_api: fa.FakeApi) -> None:
    fake_api.script("/validate", fa.valid())
    (project / "nexlayer.yaml").write_text(SECRETS_FILE, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--remote", "--api-url", fake_api.url, "--format", "json")
    assert fake_api.count("/validate", "POST") == 1, result.output
    body = fake_api.requests[-1].body.decode("utf-8")
    assert_no_canary(body, "the /validate payload")
    sent = json.loads(body)["application"]
    assert sent["pods"][0]["vars"]["DATABASE_URL"] == "postgres://app:" + "*" * 25 + "@db.pod:5432/app"
    assert sent["pods"][0]["vars"]["DB_PASSWORD"] == secrets.REDACTED
    assert sent["registryLogin"]["personalAccessToken"] == secrets.REDACTED
    assert_no_canary(result.output, "the --remote run's output")


def test_secrets_echoed_back_by_the_api_are_scrubbed(project: Path, fake_api: fa.FakeApi) -> None:
    # With --remote-send-secrets the API sees the token; if its error quotes it, we must not print it.
    fake_api.script("/validate", fa.invalid({"path": "application.registryLogin.personalAccessToken",
                                             "message": f"token {PAT} is not valid for ghcr.io"}))
    (project / "nexlayer.yaml").write_text(SECRETS_FILE, encoding="utf-8")
    for fmt in FORMATS:
        result = run_cli("nexlayer.yaml", "--remote", "--remote-send-secrets", "--api-url", fake_api.url,
                         "--format", fmt, "--show-source")
        assert "NX9" in result.stdout, result.output
        assert_no_canary(result.output, f"an API reply ({fmt})")
