"""Credentials written into the file: secret-looking vars (NX213), the registry token (NX214).

What counts as secret is `nexlayer_lint.secrets`; messages never repeat the value.
"""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.common import app_field, describe, pods, var_path
from nexlayer_lint.model import Document, Problem
from nexlayer_lint.secrets import is_literal_secret, is_secret_var_name

TOKEN = ("application", "registryLogin", "personalAccessToken")


def plaintext_secret(doc: Document) -> Iterator[Problem]:
    """NX213: a literal secret in nexlayer.yaml is in every clone and fork of the repository."""
    for pod in pods(doc):
        for var in pod.vars:
            name, value = var
            if not is_secret_var_name(name) or not is_literal_secret(value):
                continue
            path = var_path(pod, var)
            yield Problem(
                "NX213",
                f'{describe(doc, path)} of pod "{pod.name}" holds a literal secret',
                path=path,
                hint=f'store the value as a secret in the Nexlayer dashboard and write "${{{_secret_name(name)}}}" '
                     "here; rotate it if this file was ever pushed",
            )


def _secret_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_").upper()
    return cleaned or "SECRET"


def plaintext_registry_token(doc: Document) -> Iterator[Problem]:
    """NX214: the registry token grants pull access to private images."""
    login = app_field(doc, "registryLogin")  # doc.get(*TOKEN[:2])
    if not isinstance(login, dict) or not is_literal_secret(login.get("personalAccessToken")):
        return
    yield Problem(
        "NX214",
        "registryLogin.personalAccessToken is a literal token written in the file",
        path=TOKEN,
        hint='keep the token out of the file: store it as a secret in the Nexlayer dashboard and write '
             '"${REGISTRY_TOKEN}", or at least use a read-only token in a private repository; '
             "revoke this token if the file was ever pushed",
    )


CHECKS = (plaintext_secret, plaintext_registry_token)
