"""Credentials written into the file: literal secrets (NX213), the registry login's (NX214).

What counts as secret, and where, is `nexlayer_lint.secrets`; messages never repeat the value.
"""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.common import value_offset
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, format_path
from nexlayer_lint.secrets import (
    COMPOSER_AUTH_KEYS,
    CURL_USER_OPTIONS,
    HTTPIE_AUTH_OPTIONS,
    ITEM_NAME_KEYS,
    VARS_KEYS,
    Secret,
    _fold,
    document_secrets,
    is_literal_secret,
    is_secret_var_name,
    is_value_key,
    item_name,
    literal_ranges,
    name_parts,
    placeholders,
)

_ROTATE = "rotate it if this file was ever pushed"


@rule(
    "NX213",
    "plaintext-secret",
    "warning",
    "a secret is written in the file: a secret-looking var, a URL's password, a token",
)
def plaintext_secret(app: App) -> Iterator[Finding]:
    """A literal secret in nexlayer.yaml is in every clone and fork of the repository."""
    doc = app.doc
    for secret in document_secrets(doc).found:
        if secret.kind in ("login", "file"):
            continue  # the registry login is NX214's; a `secrets` item is meant to hold its data
        value = doc.get(*secret.path)
        if secret.start is None:
            if is_literal_secret(value):
                yield _literal_value(doc, secret, value, _where(doc, secret.path))
            continue
        yield Finding(
            _part_message(secret, _where(doc, secret.path)),
            path=secret.path,
            offset=None if secret.end is None else value_offset(doc, secret.path, secret.start, secret.end),
            hint=_part_hint(secret, _key_of(doc, secret.path)),
        )
    # A secret written as a key (`ghp_...: x` under vars, a URL as a var's name): the message
    # names the mapping, not the key, which is the secret.
    for secret in document_secrets(doc).keys:
        where = f"a key in {_where(doc, secret.path[:-1])}"
        yield Finding(
            _part_message(secret, where),
            path=secret.path,
            at="key",
            hint="a key is no place for a secret: rename it, and keep the secret in the Nexlayer "
            "dashboard; revoke it if this file was ever pushed",
        )


# `$POSTGRES_PASSWORD`: a shell's way to read a var, which Nexlayer does not read (it fills in
# `${NAME}`); upper case and named like a secret, so no password that starts with `$` is taken for it
_UNBRACED = lazy(r"\$([A-Z_][A-Z0-9_]*)")


def _literal_value(doc: Document, secret: Secret, value: object, where: str) -> Finding:
    name = _option_var(secret.label, whole=True) or _secret_name(secret.label)
    unbraced = _UNBRACED.fullmatch(value.strip()) if isinstance(value, str) else None
    if unbraced and is_secret_var_name(unbraced.group(1)):
        # the name is written out only when it is the var's own, which the message shows already:
        # the value is starred, and may be a password after all (hunt 58 F4)
        written = unbraced.group(1) if unbraced.group(1) == secret.label else "NAME"
        return Finding(
            f"{where} reads a var without braces ($NAME), which Nexlayer does not fill in: the app would get "
            "that text as its secret",
            path=secret.path,
            hint=f'write "${{{written}}}" to fill it in from the Nexlayer dashboard\'s secret of that name',
        )
    if isinstance(value, str):
        defaults = {
            (p.default_start, p.default_end): p.name for p in placeholders(value) if p.default_end > p.default_start
        }
        ranges = literal_ranges(value)
        if ranges and all(r in defaults for r in ranges):  # `${DB_PASSWORD:-hunter2}`
            fallback = defaults[ranges[0]]
            return Finding(
                f"{where} falls back to a literal secret (the default of ${{{fallback}}})",
                path=secret.path,
                hint=f'drop the default and write "${{{fallback}}}"; set the secret in the Nexlayer '
                f"dashboard; {_ROTATE}",
            )
    return Finding(
        f"{where} holds a literal secret",
        path=secret.path,
        hint=f'store the value as a secret in the Nexlayer dashboard and write "${{{name}}}" here; {_ROTATE}',
    )


def _part_message(secret: Secret, where: str) -> str:
    if secret.kind == "url":
        return f"{where} has a literal password in its URL"
    if secret.kind == "query":
        return f'{where} has a literal "{secret.label}" in its URL query'
    if secret.kind == "token":
        return f"{where} holds {secret.label}"
    if secret.kind == "default":
        return f"{where} falls back to a literal secret (the default of ${{{secret.label}}})"
    if secret.kind == "option":
        return f"{where} gives {secret.label} a literal secret"  # `--password hunter2`
    return f"{where} sets {secret.label} to a literal secret"  # "assignment": `- DB_PASSWORD=...`


def _part_hint(secret: Secret, key: str) -> str:
    if secret.kind == "url":
        name = _password_name(key)
        return (
            f'store the password as a secret in the Nexlayer dashboard and write "${{{name}}}" in its place '
            f"(scheme://user:${{{name}}}@host); {_ROTATE}"
        )
    if secret.kind == "default":
        return f'drop the default and write "${{{secret.label}}}"; set the secret in the Nexlayer dashboard; {_ROTATE}'
    if secret.kind == "token":
        return (
            f'store it as a secret in the Nexlayer dashboard and write "${{{_secret_name(key)}}}" in its place; '
            "revoke it if this file was ever pushed"
        )
    name = (_option_var(secret.label, whole=False) if secret.kind == "option" else None) or _secret_name(secret.label)
    return f'store it as a secret in the Nexlayer dashboard and write "${{{name}}}" in its place; {_ROTATE}'


def _option_var(option: str, *, whole: bool) -> str | None:
    """The var to write for a secret option's value when the option's name is no var's name:
    mysql's `-p` (`-p${PASSWORD}`), curl's `-u`/`--user` (`user:${PASSWORD}`, or `${CURL_USER}`
    for a whole `user:password` item), httpie's `-a`, Composer's auth keys. None for a named
    option (`--db-password`) or a var."""
    if option in CURL_USER_OPTIONS:
        return "CURL_USER" if whole else "PASSWORD"
    if option in HTTPIE_AUTH_OPTIONS:  # httpie's `-a user:password`
        return "HTTP_AUTH" if whole else "PASSWORD"
    prefix, dot, _ = option.partition(".")
    if dot and prefix in COMPOSER_AUTH_KEYS:  # Composer's `http-basic.HOST USER PASSWORD`
        return "COMPOSER_PASSWORD" if prefix == "http-basic" else "COMPOSER_TOKEN"
    if option.startswith("-") and not option.startswith("--") and len(option) == 2:
        return "PASSWORD"
    return None


def _where(doc: Document, path: DataPath) -> str:
    """`var "DB_PASSWORD" of pod "web"`, `command[1] of pod "web"`, `application.env.TOKEN`.

    A var is a key under `vars` (or `env`, ...) or a list item there, wherever that sits; a pod
    is an item of any `pods` list (`application.template.pods` in legacy files too)."""
    at = max((i for i, part in enumerate(path) if isinstance(part, str) and _fold(part) in VARS_KEYS), default=-1)
    pod = max((i for i in range(1, len(path)) if path[i - 1] == "pods" and isinstance(path[i], int)), default=-1)
    name: object = None
    if 0 <= at < len(path) - 1:
        name = path[at + 1]
        if isinstance(name, int) and at + 2 < len(path):
            item = doc.get(*path[: at + 2])
            part = path[at + 2]
            # `- name: API_KEY x` is the var API_KEY's item, not a var called name (hunt 88 F8)
            named = isinstance(part, str) and (part.lower() in ITEM_NAME_KEYS or is_value_key(part))
            name = item_name(item) if named else part
    if isinstance(name, str) and (pod < 0 or pod < at):
        text = f'var "{name}"'
    else:
        text = format_path(path[pod + 1 :] if pod >= 0 else path)
    if pod < 0:
        if not path:
            return "the file"  # a file that is one string: the schema reports that too
        return f"{text} in {format_path(path[: at + 1])}" if text.startswith("var ") else text
    pod_name = doc.get(*path[: pod + 1], "name")
    pod_text = f'pod "{pod_name if isinstance(pod_name, str) else f"#{path[pod] + 1}"}"'  # type: ignore[operator]
    return f"{text} of {pod_text}" if text else pod_text  # a pod that is itself the secret (a string)


def _secret_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_").upper()
    # `PWD` is the shell's working directory, which a dashboard secret must not shadow (MongoDB's
    # `pwd:`: hunt 199 F6)
    return "PASSWORD" if cleaned == "PWD" else cleaned or "SECRET"


def _key_of(doc: Document, path: DataPath) -> str:
    """The name the value at `path` goes by: its key, or the `key:` of its list item."""
    for end in range(len(path), 0, -1):
        part = path[end - 1]
        if isinstance(part, str) and is_value_key(part):
            item = doc.get(*path[: end - 1])
            named = item_name(item)
            if isinstance(named, str):
                return named
        elif isinstance(part, str):
            return part
    return "SECRET"


def _password_name(key: str) -> str:
    """`DATABASE_URL` -> `DATABASE_PASSWORD`: a name for the password of the URL of a var."""
    parts = [part for part in name_parts(key) if part not in ("URL", "URI", "DSN", "STRING", "CONNECTION")]
    return "_".join([*parts, "PASSWORD"]) if parts else "DB_PASSWORD"


@rule("NX214", "plaintext-registry-token", "warning", "`registryLogin` holds a literal token or password")
def plaintext_registry_token(app: App) -> Iterator[Finding]:
    """The registry token grants pull access to private images."""
    doc = app.doc
    for secret in document_secrets(doc).found:
        # A key meant for the token (`personalAccessToken`, `password`, `token`...), in a mapping:
        # another key, or a registryLogin that is no mapping, is the schema's to report.
        if secret.kind != "login" or not is_secret_var_name(secret.path[-1]):
            continue
        if not is_literal_secret(doc.get(*secret.path)):
            continue
        where = format_path(secret.path[1:] if secret.path[:1] == ("application",) else secret.path)
        what = "token" if secret.path[-1] == "personalAccessToken" else "credential"
        yield Finding(
            f"{where} is a literal {what} written in the file",
            path=secret.path,
            hint="keep the token out of the file: store it as a secret in the Nexlayer dashboard and write "
            '"${REGISTRY_TOKEN}", or at least use a read-only token in a private repository; '
            "revoke this token if the file was ever pushed",
        )
