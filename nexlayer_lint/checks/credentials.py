"""Credentials written into the file: secret-looking vars (NX213), the registry token (NX214).

What counts as secret is `nexlayer_lint.secrets`; messages never repeat the value.
"""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.common import describe
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.secrets import is_literal_secret, is_secret_var_name

TOKEN = ("application", "registryLogin", "personalAccessToken")


@rule("NX213", "plaintext-secret", "warning", "a secret-looking var holds a literal value")
def plaintext_secret(app: App) -> Iterator[Finding]:
    """A literal secret in nexlayer.yaml is in every clone and fork of the repository."""
    for pod in app.pods:
        for var in pod.vars:
            if not is_secret_var_name(var.name) or not is_literal_secret(var.value):
                continue
            yield Finding(
                f'{describe(app.doc, var.path)} of pod "{pod.name}" holds a literal secret',
                path=var.path,
                hint=f'store the value as a secret in the Nexlayer dashboard and write "${{{_secret_name(var.name)}}}" '
                     "here; rotate it if this file was ever pushed",
            )


def _secret_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_").upper()
    return cleaned or "SECRET"


@rule("NX214", "plaintext-registry-token", "warning", "`personalAccessToken` is a literal credential")
def plaintext_registry_token(app: App) -> Iterator[Finding]:
    """The registry token grants pull access to private images."""
    if not is_literal_secret(app.doc.get(*TOKEN)):
        return
    yield Finding(
        "registryLogin.personalAccessToken is a literal token written in the file",
        path=TOKEN,
        hint='keep the token out of the file: store it as a secret in the Nexlayer dashboard and write '
             '"${REGISTRY_TOKEN}", or at least use a read-only token in a private repository; '
             "revoke this token if the file was ever pushed",
    )
