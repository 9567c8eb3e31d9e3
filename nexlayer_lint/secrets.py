"""What counts as a secret in a nexlayer.yaml, where each one sits in the text, and how to keep
secret values out of all output.

A secret is found by its position, never by its text. The sources, in one place:

- the value under a key whose name looks secret (`NAME_RULES` below), wherever the key is: in
  `vars`, in a misspelt `env:` or `environment:`, in a misplaced mapping; and the `value` of a
  list item whose `key` (or `name`) looks secret (`- key: DB_PASSWORD` / `value: ...`);
- every value under a `registryLogin` (top level, in a pod, as a list) except `registry` and
  `username`;
- every value of a `secrets` item except `name`, `mountPath` and `fileName`;
- inside any other string value (and in comments): the password of a URL's user-info
  (`scheme://user:PASSWORD@host`), a query parameter named like a secret (`?token=...`), a value
  with the shape of a well-known token (`TOKEN_SHAPES`), the default of `${SECRET_NAME:-default}`,
  and `NAME=value` in a list (of vars, or any other) when NAME looks secret;
- the value of a secret-named option: the list item after `--password` (`is_secret_flag`), the
  word after it in a string;
- the same secrets inside a mapping key (`ghp_...: x`), which messages, paths and the payload hold.

References hold nothing secret and are never secrets themselves: `${NAME}` (a dashboard secret)
and `<% NAME %>` (a Nexlayer template). A `${NAME:-default}` counts by its default. Every
occurrence of a repeated key counts, not only the one the data keeps.

Two views of the same definition: `document_secrets` walks the data (the checks, the `/validate`
payload, messages), `secret_spans` gives the exact character ranges in the text (code frames).
"""

import bisect
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from nexlayer_lint.edits import text_at
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import LINE_BREAK, MERGE_KEY, DataPath, Document, LastDocument, Located, Problem, Span, get_in
from nexlayer_lint.value_map import scalar_bounds, text_offset, text_ranges, value_map

# --- names --------------------------------------------------------------------------------------
# NAME_RULES: a name is split into upper-case parts (`dbPassword`, `db-password`, `DB_PASSWORD`
# -> DB, PASSWORD; digits ending a part are ignored: `API_KEY2`). It names a secret when one part
# is a term and every part after the term only qualifies the secret itself (`SECRET_KEY_BASE`,
# `GCP_CREDENTIALS_JSON`, `OPENSSL_KEY_V1`). Any other part makes the name describe something
# about the secret instead: `TOKEN_URL`, `PASSWORD_MIN_LENGTH`, `AWS_ACCESS_KEY_ID`,
# `POSTGRES_PASSWORD_FILE` (a path), `SENTRY_DSN_PATH` are not secret.
SECRET_TERMS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PWD",
        "PASS",
        "PASSPHRASE",
        "SECRET",
        "TOKEN",
        "KEY",
        "KEYS",
        "KEYSET",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CRED",  # `DB_CREDS: user:pw`, skopeo's `--creds` (hunt 188 F4)
        "CREDS",
        "PRIVATE",
        "SALT",
        "SIGNING",
        "DSN",
        "SECRETKEY",
        "PRIVATEKEY",
        "PRIVKEY",
        "SIGNINGKEY",
        "PASSWORDS",
        "PSWD",
        "PW",
        "BEARER",  # curl's `--oauth2-bearer x`
    }
)
# Terms that name a secret only as the last part: `GITHUB_PAT`, `REDIS_AUTH`, `ERLANG_COOKIE`,
# `SESSION`, `APP_SECRETS`, `AUTHORIZATION` (a header's `Bearer ...`); `AUTH_REQUIRED`,
# `COOKIE_DOMAIN`, `SESSION_DRIVER` are settings. `SECRETS` alone is the pod's list of files.
LAST_PART_TERMS = frozenset({"PAT", "AUTH", "COOKIE", "SESSION", "SECRETS", "AUTHORIZATION"})
# Terms that also end a run-together part: `PGPASSWORD`, `AUTHTOKEN`, `OPENAIAPIKEY`, `DBPASS`,
# `APPSECRETKEY`; not a word that ends in `PASS` (`BYPASS`, `COMPASS`).
COMPOUND_TERMS = (
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIALS",
    "CREDENTIAL",
    "SECRETKEY",
    "PRIVATEKEY",
    "PRIVKEY",
    "SIGNINGKEY",
    "PASS",
)
_PASS_WORDS = ("BYPASS", "COMPASS", "SURPASS", "OVERPASS", "UNDERPASS", "TRESPASS", "ENCOMPASS", "ASKPASS")
_ALONE_NOT_SECRET = (["PWD"], ["SECRETS"])  # the shell's working directory; a pod's `secrets`
# Vault's dev server's root token is given by its "ID" (`VAULT_DEV_ROOT_TOKEN_ID`,
# `-dev-root-token-id`): the token itself, though an `_ID` otherwise describes a secret
_ROOT_TOKEN_ID = ["ROOT", "TOKEN", "ID"]
# git's `GIT_CONFIG_KEY_<n>` names a config key; its `GIT_CONFIG_VALUE_<n>` holds the value (hunt 226 F9)
_GIT_CONFIG_KEY = ["GIT", "CONFIG", "KEY"]
# Ory Hydra's and Kratos' secrets (`SECRETS_SYSTEM`, `secrets.cookie`...): the term first, then
# what the secret is for, a word that would otherwise name the term's setting (hunt 213 F2); maybe
# after the product's name (`HYDRA_SECRETS_SYSTEM`) and before a qualifier (`SECRETS_SYSTEM_0`,
# the first item of Ory's list of secrets in the environment)
_ORY_SECRETS = frozenset({"SYSTEM", "CIPHER", "DEFAULT", "PAGINATION", "COOKIE"})
_ORY_PRODUCTS = frozenset({"ORY", "HYDRA", "KRATOS", "KETO", "OATHKEEPER"})
QUALIFIERS = frozenset(
    {"KEY", "KEYS", "VALUE", "BASE", "B64", "BASE64", "HEX", "JSON", "PEM", "RAW", "STRING", "STR", "HASH"}
    # the environment the secret is for: `CLIENT_SECRET_PROD`, `API_KEY_DEV`, `STRIPE_SECRET_LIVE`
    | {"PROD", "PRODUCTION", "DEV", "DEVELOPMENT", "STAGING", "STAGE", "TEST", "TESTING", "LIVE", "LOCAL"}
    | {"QA", "UAT", "SANDBOX"}
)
# A key meant to be published: `STRIPE_PUBLIC_KEY`, `NEXT_PUBLIC_POSTHOG_KEY`, `SUPABASE_ANON_KEY`.
PUBLIC_PARTS = frozenset({"PUBLIC", "PUBLISHABLE", "PUB", "ANON"})
# A key that names a field, a route or a cache entry, not a secret: `SORT_KEY`, `PARTITION_KEY`,
# `ROUTING_KEY`, `CACHE_KEY` (hunt 236 F9); right before the key (`PRIMARY_ENCRYPTION_KEY` is one)
FIELD_PARTS = frozenset({"SORT", "PARTITION", "PRIMARY", "FOREIGN", "ROUTING", "SHARD", "CACHE"})
# A switch about a secret, not the secret: `ALLOW_NIP_OA_AUTH`, `SESSION_SECURE_COOKIE`.
SWITCH_PARTS = frozenset({"ALLOW", "ENABLE", "DISABLE", "REQUIRE", "USE", "SKIP", "SECURE", "INSECURE", "IS"})
_KEY_TERMS = frozenset({"KEY", "KEYS", "KEYSET"})
# A browser bundle's vars (`NEXT_PUBLIC_`, `VITE_PUBLIC_`, `EXPO_PUBLIC_`, `NUXT_PUBLIC_`) are
# published whole: their tokens and DSNs too (`NEXT_PUBLIC_MAPBOX_TOKEN`, `..._SENTRY_DSN`: hunt
# 199 F3), not a password or a secret; no other name with `PUBLIC` in it (`GITHUB_PUBLIC_REPO_TOKEN`,
# `PUBLIC_REFRESH_TOKEN`: hunt 201 F3)
_BUNDLERS = frozenset({"NEXT", "VITE", "EXPO", "NUXT"})
_BUNDLED_TERMS = frozenset({*_KEY_TERMS, "TOKEN", "DSN", "APIKEY"})
# a captcha's site key is the public half of its pair (`RECAPTCHA_SITE_KEY`, Turnstile's); not
# `SITE_ENCRYPTION_KEY`
_SITE_KEY = ["SITE", "KEY"]


def _site_key(parts: list[str]) -> bool:
    """Whether a name is a captcha's site key, qualifiers after it too (`RECAPTCHA_SITE_KEY_PROD`:
    hunt 202 F7)."""
    end = len(parts)
    while end > 2 and parts[end - 2 : end] != _SITE_KEY and _qualifies(parts[end - 1]):
        end -= 1
    return parts[end - 2 : end] == _SITE_KEY


_VERSION = lazy(r"V?[0-9]+")

_CAMEL = lazy(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = lazy(r"[^A-Za-z0-9]+")


def name_parts(name: str) -> list[str]:
    """`dbPassword` -> ["DB", "PASSWORD"]; `OPENAI_API_KEY` -> ["OPENAI", "API", "KEY"]."""
    parts: list[str] = []
    for chunk in _SEPARATORS.split(name):
        parts.extend(part.upper() for part in _CAMEL.split(chunk) if part)
    return parts


def is_secret_var_name(name: object) -> bool:
    """Whether a var (or any key) of this name holds a secret: NAME_RULES above."""
    # The type is tested here, not by catching what the cache raises for a list or a mapping: a
    # TypeError from a bug inside the predicate would then read as "not secret" and unmask values.
    return isinstance(name, str) and _is_secret_name(name)


# Letters of other scripts that look like Latin ones (Cyrillic, Greek; written as escapes): a
# DB_PASSWORD with a Cyrillic A names a secret to whoever reads it, and to the app given it.
_LOOKALIKES = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458"
    "\u0455\u0501\u051b\u051d\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf\u03c1\u03bd",
    "ABEKMHOPCTXYaeopcyxijsdqwABEZHIKMNOPTYXopv",
)


@functools.lru_cache(maxsize=4096)  # asked for every key, several times per file; names repeat
def _is_secret_name(name: str) -> bool:
    if not name.isascii():
        import unicodedata  # only for a name that is not ASCII; NFKC reads fullwidth letters as Latin

        name = unicodedata.normalize("NFKC", name).translate(_LOOKALIKES)
    parts = name_parts(name)
    if (
        not parts
        or parts in _ALONE_NOT_SECRET
        or (parts[:3] == _GIT_CONFIG_KEY and all(p.isdigit() for p in parts[3:]))
    ):
        return False
    if parts[-3:] == _ROOT_TOKEN_ID or _is_ory_secret(parts):
        return True
    if _site_key(parts):
        return False
    # The term is the last part that is not a qualifier, or a qualifier that is a term (`KEY`).
    first = len(parts) - 1
    while first > 0 and _qualifies(parts[first]):
        first -= 1
    switch = public = False
    bundled = len(parts) > 2 and parts[0] in _BUNDLERS and parts[1] == "PUBLIC"
    for index, part in enumerate(parts):
        if index >= first:
            base = part.rstrip("0123456789") or part
            published = public and base in (_BUNDLED_TERMS if bundled else _KEY_TERMS)
            if not switch and _is_term(base, last=index == len(parts) - 1) and not published:
                return True
        # (not WordPress' `SECURE_AUTH_KEY`, `SECURE_AUTH_SALT`: hunt 237 F6)
        switch = switch or (
            part in SWITCH_PARTS and not (part == "SECURE" and parts[index + 1 : index + 2] == ["AUTH"])
        )
        field = part in FIELD_PARTS and index + 1 < len(parts) and parts[index + 1] in _KEY_TERMS
        public = public or part in PUBLIC_PARTS or field
    return False


def _is_ory_secret(parts: list[str]) -> bool:
    """`SECRETS_SYSTEM`, `HYDRA_SECRETS_COOKIE`, `SECRETS_SYSTEM_0` (_ORY_SECRETS)."""
    first = 1 if parts[0] in _ORY_PRODUCTS else 0
    end = len(parts)
    while end > first + 2 and _qualifies(parts[end - 1]):
        end -= 1
    return end == first + 2 and parts[first] == "SECRETS" and parts[first + 1] in _ORY_SECRETS


def _qualifies(part: str) -> bool:
    return part in QUALIFIERS or _VERSION.fullmatch(part) is not None


def _is_term(base: str, *, last: bool) -> bool:
    if base in SECRET_TERMS or (last and base in LAST_PART_TERMS):
        return True
    return any(base.endswith(term) and len(base) > len(term) for term in COMPOUND_TERMS) and not base.endswith(
        _PASS_WORDS
    )


# `--password`, `-token`: an option and its name (the value is the next item of a command list).
_OPTION = lazy(r"--?([A-Za-z][A-Za-z0-9_.-]{0,127})")


def is_secret_flag(item: object) -> bool:
    """`--password`, `--db-password`, `--api-key`, `--secret`: an option named like a secret,
    whose value is the next item of its list (`command: ["app", "--password", "hunter2"]`).

    As with `NAME=value` outside a list of vars, a name secret only by its last part is not one
    (`--auth basic`, `--session default`); `--no-password` is a switch; `-p` is a port as often
    as a password (`ssh -p 22`), and its name is no secret name anyway.

    A single dash starts a short option, whose letter may have its value attached: `-pHunter2x`
    is mysql's `-p` and its password, not an option named `pHunter2x` (the name is quoted in
    messages). A single-dash word is a long option (Go's `-token x`) only when each of its parts
    is a word of _FLAG_WORDS: then the name is never text the user chose."""
    if not isinstance(item, str) or not item.startswith("-"):
        return False
    if item in PASSWORD_FLAGS:
        return True
    option = _OPTION.fullmatch(item)
    if option is None:
        return False
    name = option.group(1)
    if not item.startswith("--") and not _is_flag_word(name):
        return False
    return (
        not name.lower().startswith(("no-", "no_"))
        and is_secret_var_name(name)
        and name_parts(name)[-1] not in LAST_PART_TERMS
    )


# Options that take a password in every program that has them, though their names do not say
# so by NAME_RULES: keytool's (and jarsigner's) `-storepass`, `-keypass`..., openssl's `-passin`,
# `-passout` (its `-pass` is a flag word already), and redis-server's `--masterauth` (a replica's
# password for its primary, most often the same as its own `--requirepass`: hunt 53 F2), and
# Vault's dev server's `-dev-root-token-id` (_ROOT_TOKEN_ID).
PASSWORD_FLAGS = frozenset(
    {
        "-storepass",
        "-keypass",
        "-srcstorepass",
        "-deststorepass",
        "-srckeypass",
        "-destkeypass",
        "-passin",
        "-passout",
        "--masterauth",
        "-dev-root-token-id",  # Vault's (Go's flags take one dash or two; two are read by name)
    }
)
# openssl's pass phrase arguments: `pass:x` holds the password; `env:VAR`, `file:path`, `fd:3`
# and `stdin` say where it is.
OPENSSL_OPTIONS = ("-pass", "-passin", "-passout")
OPENSSL_SOURCE = lazy(r"(?:env|file|fd):|stdin(?![^\s'\"])")
OPENSSL_PASS = "pass:"

# What a single-dash long option's name may be made of (`-token`, `-db-password`, `-api-key`).
_FLAG_WORDS = SECRET_TERMS | QUALIFIERS | {"API", "DB", "ADMIN", "ROOT", "USER", "APP", "AUTH", "ACCESS", "CLIENT"}


def _is_flag_word(name: str) -> bool:
    return name.islower() and all(part in _FLAG_WORDS for part in name_parts(name))


def follows_secret_flag(items: Any, index: int) -> bool:
    """Whether items[index] is the value of a secret option before it (is_secret_flag); not when
    it is a long option itself (`--password --host db`: psql's `--password` only asks for one).
    Also curl's `user:password` after `-u` or `--user`, when the list runs curl
    (`["curl", "-u", "admin:pw", ...]`): the value is secret whole, its user name with it."""
    if not (isinstance(items, list) and 0 < index < len(items)):
        return False
    value = items[index]
    if items[index - 1] == HERE_STRING and index >= 2:  # `--with-token <<< tok`, run by a shell
        option = items[index - 2]
        return (is_secret_flag(option) or reads_stdin(option)) and isinstance(value, str) and is_option_value(value)
    if _curls_user(items, index):
        colon = user_colon(value)
        password = value[colon + 1 :] if colon >= 0 else value
        return bool(password) and is_option_value(password)  # `admin:` names a user only (hunt 211 F6)
    if _config_tool_secret(items, index) is not None:
        return True
    option = _list_password_option(items)  # None when no program of the list takes one
    more = MORE_PASSWORD_OPTIONS.get(_program_name(items[0]) or "", ())
    if items[index - 1] in more and isinstance(value, str):  # `[ldappasswd, ..., -s, NEW]` (hunt 204 F4)
        return not value.startswith("-") and is_option_value(value)
    if option is not None and items[index - 1] == option:
        if isinstance(value, str):
            if option == "-U" and "%" not in value:
                return False  # smbclient's `-U user`, with no `%password`
            return not value.startswith("-") and is_option_value(value)
        if isinstance(value, int | float):  # `[redis-cli, -a, 12345678]`: digits, unquoted (hunt 73 F3)
            return option != "-U" and not isinstance(value, bool)
        if isinstance(value, dict) and len(value) == 1:  # `[redis-cli, -a, pw: x]`, YAML's one-key mapping
            return option != "-U"
    if items[index - 1] in OPENSSL_OPTIONS and isinstance(value, str) and OPENSSL_SOURCE.match(value):
        return False  # `["openssl", "-passin", "env:PW"]`
    if not is_secret_flag(items[index - 1]):
        return _sets_secret_config(items, index)
    return not isinstance(value, str) or is_option_value(value)


def _sets_secret_config(items: list[Any], index: int) -> bool:
    """Whether items[index] is the value a config command's list gives the secret key before it
    (`["aws", "configure", "set", "aws_secret_access_key", x]`, `["git", "config", "x.token", x]`,
    `["npm", "config", "set", "-g", KEY, x]`; as _config_parts reads a string). The options
    between the verb and the key are read back from the key: a walk never passes another key
    and its value (neither is an option), so each item is read for one key at most (linear)."""
    key, value = items[index - 1], items[index]
    if not (isinstance(key, str) and not key.startswith("-") and is_secret_config_key(key)):
        return False
    if index >= 2 and _is_config_option(items[index - 2]):
        return False  # `-f x.token`: an option's file, no key
    if isinstance(value, str) and (value.startswith("-") or not is_option_value(value)):
        return False
    at = index - 2
    while at > 0 and isinstance(items[at], str):
        if items[at].startswith("-"):
            at -= 1
        elif _is_config_option(items[at - 1]):
            at -= 2
        else:
            break
    verb, before = items[at], items[at - 1] if at > 0 else None
    if verb == "set":  # `config set`, `configure set` (any program's), npm's `set`
        return before in ("config", "configure") or _program_name(before) == "npm"
    return verb == "config" and at > 0 and _program_name(items[0]) == "git"


# Composer's auth keys (`config http-basic.repo.example.com USER PASSWORD`): which word after the
# key is the secret
COMPOSER_AUTH_KEYS = {
    "http-basic": 1,  # USER PASSWORD
    "bitbucket-oauth": 1,  # CONSUMER-KEY CONSUMER-SECRET
    "github-oauth": 0,
    "gitlab-oauth": 0,
    "gitlab-token": 0,
    "bearer": 0,
}


# Poetry's (`poetry config http-basic.NAME USER PASSWORD`, `pypi-token.NAME TOKEN`: hunt 226 F6)
POETRY_AUTH_KEYS = {"http-basic": 1, "pypi-token": 0}
CONFIG_TOOLS = ("rclone", "composer", "composer.phar", "poetry")  # config_tool_secrets' programs


_CONFIG_ITEMS_READ = 64  # a config command list's first items are read for its secrets (linear)
# rclone's, Composer's and Poetry's options whose value is the next word (an unknown one's value
# may be taken for a word, but never the `config` verb: it is looked for by name)
_RCLONE_WITH_VALUE = frozenset({"--config", "--log-file", "--log-level", "--state", "--result", "--cache-dir"})
_COMPOSER_WITH_VALUE = frozenset({"-d", "--working-dir", "-f", "--file"})
_POETRY_WITH_VALUE = frozenset({"-C", "--directory", "-P", "--project"})
_COMPOSER_READS = frozenset({"-l", "--list", "--unset", "-e", "--editor"})  # they set nothing (Poetry's too)


def config_tool_secrets(words: list[str]) -> list[tuple[int, str, int]]:
    """The secret words of an rclone, Composer or Poetry config command, words[0] its program
    (after `php`, `composer.phar`), each as (index, label, where in the word the secret starts):
    rclone's `config create NAME TYPE KEY VALUE...` and `config update NAME KEY VALUE...` (or
    `KEY=VALUE`), the value of a key named like a secret (not a URL: swift's `auth`); Composer's
    `config http-basic.HOST USER PASSWORD` and its other auth keys (COMPOSER_AUTH_KEYS); Poetry's
    `config http-basic.NAME USER PASSWORD` and `pypi-token.NAME TOKEN`, labelled with the
    environment variable Poetry reads it from instead (`POETRY_HTTP_BASIC_NAME_PASSWORD`).
    Options anywhere, global ones before `config` too; after `--`, words only."""
    first = 1 if words and _program_name(words[0]) == "php" else 0
    program = _program_name(words[first]) if len(words) > first else None
    if program not in CONFIG_TOOLS:
        return []
    with_value = {"rclone": _RCLONE_WITH_VALUE, "poetry": _POETRY_WITH_VALUE}.get(program, _COMPOSER_WITH_VALUE)
    verb = next(
        (at for at in range(first + 1, len(words)) if words[at] == "config" and words[at - 1] not in with_value), None
    )
    if verb is None:
        return []
    action = words[verb + 1] if program == "rclone" and verb + 1 < len(words) else None
    if program == "rclone" and action not in ("create", "update"):
        return []
    arguments: list[int] = []  # the words that are no options
    at, ended, json = verb + (2 if program == "rclone" else 1), False, False
    while at < len(words):
        word = words[at]
        if not ended and word.startswith("-"):
            if program != "rclone" and word in _COMPOSER_READS:
                return []
            ended, json = word == "--", json or word == "--json"
            at += 2 if word in with_value else 1
            continue
        arguments.append(at)
        at += 1
    if program == "poetry":
        key = words[arguments[0]] if arguments else ""
        section, dot, name = key.partition(".")
        which = POETRY_AUTH_KEYS.get(section) if dot and name else None
        if which is None or 1 + which >= len(arguments):
            return []
        variable = f"POETRY_{section}_{name}{'_PASSWORD' if which else ''}".replace("-", "_").replace(".", "_").upper()
        return [(arguments[1 + which], variable, 0)]
    if program != "rclone":
        key = words[arguments[0]] if arguments else ""
        if json and key in COMPOSER_AUTH_KEYS and len(arguments) > 1:
            return [(arguments[1], key, 0)]  # `--json github-oauth '{"github.com": "TOKEN"}'`: the section, whole
        which = COMPOSER_AUTH_KEYS.get(key.partition(".")[0]) if "." in key else None
        if which is None or 1 + which >= len(arguments):
            return []
        return [(arguments[1 + which], key, 0)]
    found = []
    pairs = arguments[2 if action == "create" else 1 :]  # past NAME (and TYPE)
    position = 0
    while position < len(pairs):
        word = words[pairs[position]]
        key, sign, value = word.partition("=")
        if sign:
            index, skip = pairs[position], len(key) + 1
            position += 1
        elif position + 1 < len(pairs):
            index, skip, value = pairs[position + 1], 0, words[pairs[position + 1]]
            position += 2
        else:
            break
        if value and "://" not in value and is_secret_config_key(key):
            found.append((index, key, skip))
    return found


def _config_tool_secret(items: list[Any], index: int) -> str | None:
    """The key whose secret items[index] is, whole, in an rclone or Composer config list
    (config_tool_secrets; an item `KEY=VALUE` is an assignment, read as such), else None. Only a
    list's first _CONFIG_ITEMS_READ items are read: each item in a bounded time (linear)."""
    if index >= _CONFIG_ITEMS_READ or _program_name(items[0]) not in (*CONFIG_TOOLS, "php"):
        return None
    words = [
        item if isinstance(item, str) else str(item) if isinstance(item, int | float) else ""
        for item in items[:_CONFIG_ITEMS_READ]
    ]
    return next((label for at, label, skip in config_tool_secrets(words) if at == index and skip == 0), None)


def _program_name(item: object) -> str | None:
    """The program a command list's item names, without its folder (`/usr/bin/git`: git)."""
    return item.rpartition("/")[2] if isinstance(item, str) else None


def _is_config_option(item: object) -> bool:
    return isinstance(item, str) and item in CONFIG_OPTIONS  # an item may be a mapping: unhashable


# Options that read a secret from standard input without saying so in their name: gh's
# `auth login --with-token` (also given a value as the next word: is_secret_flag reads that)
_STDIN_FLAGS = frozenset({"--with-token"})


def reads_stdin(option: object) -> bool:
    """`--password-stdin`, `--token-stdin`: a secret option that reads its value from standard
    input, which a here-string or a pipe gives it (`docker login --password-stdin <<< x`); the
    word after the option itself is no value (`docker login --password-stdin reg.io`)."""
    return isinstance(option, str) and (
        option in _STDIN_FLAGS or (option.endswith("-stdin") and is_secret_flag(option[: -len("-stdin")]))
    )


def _list_password_option(items: list[Any]) -> str | None:
    """The PASSWORD_OPTIONS option of the program a command list runs (`["redis-cli", "-a", x]`,
    `["docker", "login", "-p", x]`), or None."""
    option = program_option(None, items[0])
    if option == LOGIN_PENDING:
        return "-p" if _runs_login(items) else None
    return option


_GLOBAL_OPTIONS_READ = 16  # a login program's global options before `login` are a few


def _runs_login(items: list[Any]) -> bool:
    """Whether a login program's list runs its `login` (`[helm, registry, login]`), past the
    program's global options, each maybe with its value (`[docker, -H, "tcp://h", login]`), as
    commands._past_login reads a string. Asked for each item of the list, so the walk stops
    after _GLOBAL_OPTIONS_READ items: each item is judged in a bounded time (linear)."""
    at = 2 if items[1:2] in (["registry"], ["acr"]) else 1
    stop = min(len(items), at + _GLOBAL_OPTIONS_READ)
    while at < stop and isinstance(items[at], str) and items[at].startswith("-"):
        at += 1
        value = items[at] if at < stop else None
        if "=" not in items[at - 1] and isinstance(value, str) and value != "login" and not value.startswith("-"):
            at += 1
    return at < stop and items[at] == "login"


# A shell's here-string: `gh auth login --with-token <<< tok` gives the option its value on stdin.
HERE_STRING = "<<<"
LOGIN_PENDING = "(login)"  # a login program named, its `login` not yet (program_option)


def program_option(option: str | None, item: object) -> str | None:
    """The password option in force after the list item `item`, `option` the one before it: a
    PASSWORD_OPTIONS program's own, LOGIN_PENDING after `docker` (or `helm`) until its `login`."""
    name = _program_name(item)
    if name is None:
        return option
    if name in LOGIN_PROGRAMS or name == "helm":
        return LOGIN_PENDING
    if name == "login":
        return "-p" if option == LOGIN_PENDING else option
    return PASSWORD_OPTIONS.get(name, option)


CURL_USER_OPTIONS = ("-u", "--user", "-U", "--proxy-user")  # `user:password`, the server's or the proxy's
HTTPIE_AUTH_OPTIONS = ("-a", "--auth")  # httpie's `user:password`, or a token after `-A bearer`
HTTPIE_PROGRAMS = ("http", "https", "httpie", "xh", "xhs")  # `python -m httpie`; xh takes httpie's options
_HTTPIE_BEARER_ITEMS = ("-Abearer", "-A=bearer", "--auth-type=bearer")  # and `bearer` after `-A`, `--auth-type`


def user_colon(text: str, start: int = 0, end: int | None = None) -> int:
    """Where the `:` that ends the user name of `user:password` in text[start:end] is, or -1: the
    first one that is not a pod reference's (`${db:5432}:pw` names a pod before its password; a
    shell's default, `${USER:-admin:pw}`, may hold the password: hunt 225 F1). Each character is
    read once or twice (linear)."""
    end = len(text) if end is None else end
    pos = start
    while (colon := text.find(":", pos, end)) >= 0:
        opened = text.rfind("${", pos, colon)
        closed = text.find("}", colon, end)
        if opened < 0 or closed < 0 or _POD_REFERENCE.fullmatch(text, opened, closed + 1) is None:
            return colon
        pos = closed + 1  # past the reference
    return -1


# `${name:port}`: a pod's name (a lower-case letter first) and a port (checks/app.py's reference)
_POD_REFERENCE = lazy(r"\$\{[^\W\d_A-Z](?:[^\W_A-Z]|-)*:[0-9]+\}")


def _curls_user(items: list[Any], index: int) -> bool:
    """curl's `-u user:password`, httpie's `-a user:password` (and its `-a TOKEN` when its auth
    type is `bearer`: `-A bearer`, `-Abearer`, `--auth-type=bearer`, among the list's first
    _CONFIG_ITEMS_READ: each item is judged in a bounded time). (Attached values and numbers are
    read with the list as one command line: _joined_parts.)"""
    option, program, value = items[index - 1], _program_name(items[0]), items[index]
    if not isinstance(value, str):
        return False
    if (option in CURL_USER_OPTIONS and program == "curl") or (option == "--user" and program == "etcdctl"):
        return user_colon(value) >= 0
    if option in HTTPIE_AUTH_OPTIONS and program in HTTPIE_PROGRAMS:
        return user_colon(value) >= 0 or any(
            item in _HTTPIE_BEARER_ITEMS or (item == "bearer" and items[at - 1] in ("-A", "--auth-type"))
            for at, item in enumerate(items[1:_CONFIG_ITEMS_READ], 1)
            if isinstance(item, str) and at != index
        )
    return False


# `$ADMIN_PASSWORD`, `$(DB_PASSWORD)`: a shell's (or Kubernetes') reference, no secret written.
_ENV_REFERENCE = lazy(r"\$[A-Z_][A-Z0-9_]*")  # `$MYSQL_PWD`: an environment variable's name
_SHELL_VARIABLE = lazy(r"\$[A-Za-z_][A-Za-z0-9_]*")  # `$mysql_pw`: a shell variable's


def is_option_value(text: str) -> bool:
    """Whether `text`, after a secret option, is its value (not another option, not a reference)."""
    return not not_an_option_value(text, 0, len(text))


_SHELL_OPERATORS = frozenset(("&&", "||", "|", ";", "&", ";;"))


def not_an_option_value(text: str, start: int, end: int, *, joined: bool = False) -> bool:
    """Whether text[start:end], after a secret option, is no secret: another long option
    (`--password --host db`: psql's `--password` only asks for one), or a reference; nor a
    here-string's `<<<` (`[gh, auth, login, --with-token, "<<<", tok]`: the item after it is),
    nor a shell's operator (`--with-token && ...`: the option reads standard input).
    `joined`: the value follows a closing quote (`'Bearer '"$TOKEN"`), not an opening one."""
    if end - start == len(HERE_STRING) and text.startswith(HERE_STRING, start):
        return True
    if text[start:end] in _SHELL_OPERATORS:
        return True
    if text.startswith("--", start, end) and _OPTION.fullmatch(text, start, end) is not None:
        return True
    if is_switch_or_null(text[start:end]):
        return True  # `--must-change-password false`: says whether, as under a var's name (hunt 199 F2)
    if text.startswith("'", start) or (start > 0 and text[start - 1] == "'" and not joined):
        return False  # in single quotes (the word, or the text read inside them): a shell reads no `$`
    # quoted, maybe once more inside a quoted command: `sh -c "... \"$ADMIN_PASSWORD\" ..."`;
    # an option's value is a command's word, which a shell reads: `$mysql_pw` is its variable
    value = text[start:end].strip('\\"')
    if _SHELL_VARIABLE.fullmatch(value) is not None:
        return True
    # a command's output (`-p "$(cat /run/secrets/pw)"`, `` `cat pw` ``) is no literal either, also
    # unquoted, where the word read ends at the substitution's first blank (`-p$(cat /run/pw)`);
    # a `$(` or backquote that nothing closes is text (`-p$(Hunter2`, `` `Hunter2 ``)
    opened = text.find(value[:1], start, end) + 1
    closing = ")" if value.startswith("$(") else "`" if value.startswith("`") else ""
    return closing != "" and text.find(closing, opened) >= 0


def _is_secret_key(name: str) -> bool:
    # `key` names the var in a `- key: NAME` / `value: ...` item: it is not itself a secret.
    return name != "key" and is_secret_var_name(name)


# --- references -------------------------------------------------------------------------------


class Placeholder(NamedTuple):
    """`${NAME}`, `${NAME:-default}`, `$(NAME)` or `<% NAME %>` at text[start:end]; the default, if any, at
    text[default_start:default_end] (an empty range when there is none)."""

    start: int
    end: int
    name: str
    default_start: int
    default_end: int


_SHELL_NAME = lazy(r"[A-Za-z_][A-Za-z0-9_]*")
# `${NAME:-default}` and its siblings: what follows the operator is literal text, the value of
# the var; after `:?` and `?` it is the error a shell prints when the var is unset, never a value.
_DEFAULT_OPERATORS = (":-", ":=", ":+", ":?", "-", "=", "+", "?")
_ERROR_OPERATORS = (":?", "?")
_SPRING_DEFAULT = lazy(r"[^\d\s(]")  # what may start a default after a single `:`


def placeholders(text: str) -> Iterator[Placeholder]:
    """Every `${...}`, `$(NAME)` and `<% ... %>` in `text`, left to right, found with str.find: linear in the
    text whatever it holds (`<%<%<%...` with no `%>` is read once)."""
    pos = 0
    dollar = text.find("${")
    template = text.find("<%")
    paren = text.find("$(")
    while dollar >= 0 or template >= 0 or paren >= 0:
        if paren >= 0 and (dollar < 0 or paren < dollar) and (template < 0 or paren < template):
            # Kubernetes' `$(NAME)`, the value of another var; `$(cat x)` is a command, no name
            name_match = _SHELL_NAME.match(text, paren + 2)
            if name_match is None or not text.startswith(")", name_match.end()):
                paren = text.find("$(", paren + 2)  # a name holds no `$`: each character read once
                continue
            start, pos = paren, name_match.end() + 1
            yield Placeholder(start, pos, name_match.group(), pos, pos)
        elif dollar >= 0 and (template < 0 or dollar < template):
            close = text.find("}", dollar + 2)
            if close < 0:  # no `}` after this one: none after any later `${` either
                dollar = -1
                continue
            start, pos = dollar, close + 1
            name_match = _SHELL_NAME.match(text, start + 2, close)
            name = name_match.group() if name_match else ""
            default = (pos, pos)
            after = name_match.end() if name_match else start + 2
            for operator in _DEFAULT_OPERATORS:
                if name and text.startswith(operator, after, close):
                    if operator not in _ERROR_OPERATORS:
                        default = (after + len(operator), close)
                    break
            else:
                # Spring's `${DB_PASSWORD:default}`; not a shell's offset, `${VAR:2}`, `${VAR: -2}`
                if (
                    name
                    and text.startswith(":", after, close)
                    and after + 1 < close
                    and _SPRING_DEFAULT.match(text, after + 1)
                ):
                    default = (after + 1, close)
            yield Placeholder(start, pos, name, *default)
        else:
            close = text.find("%>", template + 2)
            if close < 0:
                template = -1
                continue
            start, pos = template, close + 2
            name = text[start + 2 : close].strip()
            # `<% URL %>` names a template; what names none (`<%PGPASSWORD=x%>`) is no placeholder
            # but literal text (hunt 137 F2), with no name a message could print (hunt 141 F2)
            if not name or _SHELL_NAME.fullmatch(name):
                yield Placeholder(start, pos, name, pos, pos)
        if dollar >= 0 and dollar < pos:
            dollar = text.find("${", pos)
        if template >= 0 and template < pos:
            template = text.find("<%", pos)
        if paren >= 0 and paren < pos:
            paren = text.find("$(", pos)


def literal_ranges(text: str) -> list[tuple[int, int]]:
    """The parts of `text` that are written literally: outside every placeholder (but one whose
    name is a token), plus the defaults of `${NAME:-default}`; empty when the text is only references, with nothing but
    punctuation between them (`${A}/${B}`), or nothing at all."""
    if "${" not in text and "<%" not in text and "$(" not in text:
        return [(0, len(text))] if text else []
    ranges = []
    pos = 0
    for found in placeholders(text):
        if found.name and (_TOKEN.fullmatch(found.name) or _MORE_TOKENS.fullmatch(found.name)):
            continue  # `${ghp_...}`: a token pasted where a name goes is written literally
        if found.start > pos:
            ranges.append((pos, found.start))
        if found.default_end > found.default_start:
            ranges.append((found.default_start, found.default_end))
        pos = found.end
    if pos < len(text):
        ranges.append((pos, len(text)))
    if pos and not any(_ALNUM.search(text, start, end) for start, end in ranges):
        return []  # only punctuation between references (`${A}/${B}`): nothing is written literally
    return ranges


_ALNUM = lazy(r"[A-Za-z0-9]")
# `<your token>`; the word `value` (`KEY=VALUE`, `key=value pairs`: the last notes' weak point)
_DOC_PLACEHOLDER = lazy(r"<[^<>%]+>|[Vv]alue|VALUE")
# a placeholder's words: each all in lower case, in capitals or capitalised, of letters or of
# digits (`your-secret-key-32-chars`, `Read-Only PAT`), no random mix (`your_Zq9Kf83`: hunt 214 F1)
_PLACEHOLDER_PART = lazy(r"[a-z]+|[A-Z][a-z]*|[A-Z]+|[0-9]+")
_PLACEHOLDER_SEPARATORS = str.maketrans("_-", "  ")


def _placeholder_words(text: str) -> bool:
    words = text.translate(_PLACEHOLDER_SEPARATORS).split(" ")
    return all(word == "" or _PLACEHOLDER_PART.fullmatch(word) for word in words)


def is_doc_placeholder(value: str) -> bool:
    """What a file's reader is to replace: `<your token here>`, the word `value`, and words that
    say so, `your-token`, `YOUR_API_KEY`, `your_discord_bot_token_here` (hunt 213 F4); not with a
    token's shape in it (`<your ghp_...>`: hunt 214 F1)."""
    if _DOC_PLACEHOLDER.fullmatch(value):
        return _TOKEN.search(value) is None
    lower = value.lower()
    told = lower.startswith(("your-", "your_", "your ")) or lower.endswith(("_here", "-here", " here"))
    return told and _placeholder_words(value)


def shown_placeholder(value: object) -> bool:
    """A placeholder a secret's name holds that its code frames show (hunt 213 F1): one of words
    (`<Github Packages Read-Only PAT>`, `your-token`), not one word in brackets, `<s3cr3t>`,
    which may be the secret itself, nor words of another shape (`<Zq9x read-only>`)."""
    if not isinstance(value, str) or not is_doc_placeholder(value.strip()):
        return False
    inner = value.strip()
    if not inner.startswith("<"):
        return True
    return (" " in inner or inner[1:5].lower() == "your") and _placeholder_words(inner[1:-1])


def is_reference(value: object) -> bool:
    """A `${NAME}` or `<% ... %>` placeholder (or several), with nothing literal around it.

    Any letter or digit outside the placeholders, or in a `${NAME:-default}`'s default, makes the
    value a literal: `s3cr3t${X}` still puts part of a secret in the file.
    """
    if not isinstance(value, str) or ("${" not in value and "<%" not in value and "$(" not in value):
        return False
    return next(placeholders(value), None) is not None and not literal_ranges(value)


# OpenSSH public keys, one a line (`authorized_keys`, `known_hosts`' keys): public by making,
# whatever name they are under (`SSH_AUTHORIZED_KEYS`, `host_key`: hunt 236 F9)
_SSH_PUBLIC_KEY = lazy(
    r"(ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)"
    r"[ \t]+(AAAA[A-Za-z0-9+/]{16,}={0,3})(?:[ \t]+([^\n=]*))?"  # (a comment, no `=`: hunt 237 F11)
)


def is_ssh_public_key(text: str) -> bool:
    """Whether every line of `text` that is not blank is an OpenSSH public key: its type, then
    the key in base64, which names that type again (not any text that starts `ssh-rsa AAAA`:
    hunt 237 F11), then maybe a comment."""
    import base64
    import binascii

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        key = _SSH_PUBLIC_KEY.fullmatch(line)
        if key is None:
            return False
        try:
            blob = base64.b64decode(key.group(2), validate=True)
        except (binascii.Error, ValueError):
            return False
        if key.group(3) and (": " in key.group(3) or ":\t" in key.group(3)):
            return False  # `... password: x` (`cardno:000612345678`, `host:22` are comments: hunt 238 F7)
        kind = key.group(1).encode()
        if blob[:4] != len(kind).to_bytes(4, "big") or blob[4 : 4 + len(kind)] != kind or not _whole_key(blob):
            return False
    return bool(lines)


def _whole_key(blob: bytes) -> bool:
    """Whether an SSH key's bytes are fields each led by its length, to their end, and as many as
    an Ed25519 key's at least (its type and 32 bytes): not a key cut short."""
    at = fields = 0
    while at < len(blob):
        size = int.from_bytes(blob[at : at + 4], "big")
        at += 4 + size
        fields += 1
    return at == len(blob) and fields >= 2 and len(blob) >= 51


def is_literal_secret(value: object) -> bool:
    """A value that would put a credential in the file: non-empty, scalar, not a reference."""
    if isinstance(value, str):  # the usual case, asked first: no str is also a bool or a number
        if not value.strip() or is_reference(value):
            return False
        if value.lstrip().startswith(("ssh-", "ecdsa-", "sk-")) and is_ssh_public_key(value):
            return False
        # `<your token here>`: a documentation placeholder holds nothing to leak.
        return not is_doc_placeholder(value.strip())
    if isinstance(value, bool) or value is None:
        return False
    return isinstance(value, (int, float))


# --- secrets inside a string ----------------------------------------------------------------------

# TOKEN_SHAPES: values with the shape of a well-known credential, secret under any name (and in
# comments). Each starts with a fixed prefix and runs over one character class, so a search is
# linear. Public keys of the same vendors (`pk_live_`, `phc_`, `sb_publishable_`) are not listed.
TOKEN_SHAPES: tuple[tuple[str, str], ...] = (
    ("a GitHub token", r"gh[pousr]_[A-Za-z0-9]{30,}"),
    ("a GitHub fine-grained token", r"github_pat_[A-Za-z0-9_]{20,}"),
    ("a GitLab token", r"glpat-[A-Za-z0-9_-]{20,}"),
    ("a Stripe secret key", r"[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"),
    ("a Slack token", r"xox[abposr]-[A-Za-z0-9-]{10,}"),
    ("an AWS access key", r"(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
    ("a Google API key", r"AIza[A-Za-z0-9_-]{35}"),
    # the AI platforms' keys, the most common secret of an app deployed on an AI platform
    ("an OpenAI API key", r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}"),
    ("an Anthropic API key", r"sk-ant-[A-Za-z0-9_-]{20,}"),
    ("a Groq API key", r"gsk_[A-Za-z0-9]{40,}"),
    ("a SendGrid API key", r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"),  # fixed lengths
    ("a Slack app token", r"xapp-[0-9]-[A-Za-z0-9-]{10,}"),
    ("an age secret key", r"AGE-SECRET-KEY-1[0-9A-Z]{50,}"),
    # an HTTP Authorization header's credentials (`Basic dXNlcjpwYXNz`, `Bearer eyJ...`), 16
    # characters or more (not the words of `Bearer tokens expire`); the scheme's word is shown.
    # HTTP reads the scheme in any case (actions/checkout writes `basic`: hunt 226 F2); in lower or
    # upper case, with a digit or `+/=` among its first characters (not `basic internationalization`)
    (
        "an HTTP credential",
        r"(?:Basic|Bearer) [A-Za-z0-9+/=._~-]{16,}"
        r"|(?:basic|bearer) (?=[A-Za-z._~-]{0,256}[0-9+/=])[A-Za-z0-9+/=._~-]{16,}"
        r"|(?:BASIC|BEARER) [A-Za-z0-9+/=._~-]{16,}",  # (any token in capitals' case: hunt 231 F5)
    ),
    # the key material of a PEM block (or an armored PGP one), from its BEGIN line to its END line (`_pem_end`)
    ("a private key", r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"),
)
# Shapes that start at common letters (`h`, `n`, `p`, `d`, `w`): a search that stopped at each
# of them cost 5% of a file's work, so they are looked for only in a text with one of their
# prefixes (_MORE_HINT, which stops at rarer characters). Package registries' and platforms'
# tokens (hunt 154 F10).
MORE_TOKEN_SHAPES: tuple[tuple[str, str], ...] = (
    ("a Hugging Face token", r"hf_[A-Za-z0-9]{30,}"),
    ("an npm token", r"npm_[A-Za-z0-9]{30,}"),
    ("a PyPI token", r"pypi-AgE[A-Za-z0-9_-]{30,}"),  # a macaroon: `AgE...` (not `pypi-mirror-...`: hunt 156 F6)
    ("a Docker Hub token", r"dckr_pat_[A-Za-z0-9_-]{20,}"),
    ("a Vault token", r"hv[sb]\.[A-Za-z0-9_-]{24,}"),
    ("a Shopify token", r"shp(?:at|ca|pa|ss)_[A-Za-z0-9]{30,}"),
    ("a Stripe webhook secret", r"whsec_[A-Za-z0-9]{24,}"),
    ("a DigitalOcean token", r"do[opr]_v1_[A-Za-z0-9]{40,}"),
    # hunt 226's list: GitLab's runner, deploy and trigger tokens, Doppler's, PlanetScale's,
    # Supabase's, New Relic's, Linear's, Postman's, Pulumi's, Terraform Cloud's, Grafana's service
    # accounts', and OpenAI's older keys (`T3BlbkFJ` is "OpenAI" in base64)
    ("a GitLab token", r"gl(?:rt|dt|ptt)-[A-Za-z0-9_-]{20,}"),
    ("a Doppler token", r"dp\.(?:st|pt|sa|ct)\.(?:[A-Za-z0-9_-]{1,32}\.)?[A-Za-z0-9]{40,}"),
    ("a PlanetScale token", r"pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.-]{30,}"),
    ("a Supabase token", r"sbp_[a-f0-9]{40}"),
    ("a New Relic key", r"NRAK-[A-Z0-9]{27}"),
    ("a Linear API key", r"lin_api_[A-Za-z0-9]{40}"),
    ("a Postman API key", r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
    ("a Pulumi token", r"pul-[a-f0-9]{40}"),
    ("a Terraform Cloud token", r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}"),
    ("a Grafana service account token", r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
    ("an OpenAI API key", r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"),
)
_ALL_TOKEN_SHAPES = TOKEN_SHAPES + MORE_TOKEN_SHAPES
# A token starts a word: not after a letter, a digit or `_` (`xghp_...` is none). Asked in the
# pattern, where a start inside a word fails at once: asked of each match, every later prefix of
# a run (`xapp-1-axapp-1-a...`) matched to the run's end again (quadratic: hunt 161 F1).
_TOKEN_START = "(?<![A-Za-z0-9_])"
_TOKEN = lazy(
    _TOKEN_START + "(?:" + "|".join(f"(?P<t{i}>{pattern})" for i, (_, pattern) in enumerate(TOKEN_SHAPES)) + ")"
)
_MORE_TOKENS = lazy(
    _TOKEN_START
    + "(?:"
    + "|".join(f"(?P<t{len(TOKEN_SHAPES) + i}>{pattern})" for i, (_, pattern) in enumerate(MORE_TOKEN_SHAPES))
    + ")"
)
# each prefix by its rarer character, then the letters before it (a look-behind); in _HINT too
_MORE_HINT_PATTERN = (
    r"_(?<=hf_)|_(?<=npm_)|_(?<=dckr_pat_)|_(?<=shpat_)|_(?<=shpca_)|_(?<=shppa_)|_(?<=shpss_)|_(?<=whsec_)"
    r"|_(?<=v1_)|-(?<=pypi-)|\.(?<=hvs\.)|\.(?<=hvb\.)"
    r"|-(?<=glrt-)|-(?<=gldt-)|-(?<=glptt-)|\.(?<=dp\.st\.)|\.(?<=dp\.pt\.)|\.(?<=dp\.sa\.)|\.(?<=dp\.ct\.)"
    r"|_(?<=pscale_pw_)|_(?<=pscale_tkn_)|_(?<=pscale_oauth_)|_(?<=sbp_)|-(?<=NRAK-)|_(?<=lin_api_)|-(?<=PMAK-)"
    r"|-(?<=pul-)|\.(?<=\.atlasv1\.)|_(?<=glsa_)|-(?<=sk-)"
)
_MORE_HINT = lazy(_MORE_HINT_PATTERN)
# A chat webhook's URL is its credential (anyone holding it can post): its host is shown, its path
# is not. Looked for only in text holding `hooks` (in both; a host in capitals, `HOOKS`), as
# these start at common letters.
WEBHOOK_SHAPES: tuple[tuple[str, str], ...] = (
    ("a Slack webhook URL", r"(?i:hooks\.slack\.com)/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,}"),
    ("a Discord webhook URL", r"(?i:discord(?:app)?\.com)/api/(?:v[0-9]{1,3}/)?webhooks/[0-9]{5,}/[A-Za-z0-9_-]{20,}"),
)


_WEBHOOK = lazy("|".join(f"(?P<w{i}>{pattern})" for i, (_, pattern) in enumerate(WEBHOOK_SHAPES)))


_TOKEN_EDGE = lazy(r"[A-Za-z0-9_]")
# a token as an anchor's or an alias's name (the shapes a name can have: no blank, no PEM block)
_ANCHORED_TOKEN = lazy("[&*](?:" + "|".join(pattern for _, pattern in _ALL_TOKEN_SHAPES if " " not in pattern) + ")")
_PEM = len(TOKEN_SHAPES) - 1
_HTTP_CREDENTIAL = _PEM - 1
# `scheme://user:PASSWORD@host`: see _url_passwords.
_USER = lazy(r"://[^\s/?#@:\[\]]*:")  # no `[`: an IPv6 host (`http://[::1]:80/@x`) is no user
# `host:8080/x`: a port, no user-info; also before a JDBC URL's `;database=x` and a list of hosts'
# `,mongo-1:27017` (a password there then ran to an `@` in the query: hunt 154 F11)
_PORT = lazy(r"[0-9]+(?:[/?#\s;,]|\Z)")
_JDBC_PROPERTY = lazy(r"[A-Za-z][A-Za-z0-9_.]{0,63}=")  # `mssql:1433;database=x`: a port
_NEXT_HOST = lazy(r"[A-Za-z0-9.-]{1,253}:[0-9]")  # `mongo-0:27017,mongo-1:27017`: a port
_URL_LINE_END = lazy(r"[\n\r\x85\u2028\u2029]")
_HOST_END = lazy(r"[/?#\s]")
# A signed URL's signature is its credential until it expires (Azure's SAS `sig=`, S3's and
# GCS's presigned URLs): secret in a query or a connection string, not as a var's name (an
# e-mail's `SIGNATURE`).
SIGNATURES = frozenset({"sig", "signature", "x-amz-signature", "x-goog-signature"})
# and a name the rules read as public: npm's `_auth=` (base64 of `user:password`; `AUTH` alone is
# secret only as a var: hunt 154 F8)
_SECRET_OPTIONS = frozenset({"_auth"})
# (maybe quoted: hunt 164 F6); not a file's name (`sig=ReleaseSignatureFile2024.asc`: hunt 166 F7).
# The signature runs on over base64url's `-` and `_` and a `.` inside it (hunt 169 F3), not over
# markup or prose after it (`</T>`, `. Next`).
_SIGNATURE_VALUE = lazy(
    r"[A-Za-z0-9%+/]{16,}={0,2}(?![A-Za-z0-9%+/=]|(?:\.[A-Za-z0-9]{1,8})+(?![A-Za-z0-9._-]))"
    r"(?:[A-Za-z0-9%+/=_-]|\.(?=[A-Za-z0-9]))*"
)
_QUERY = lazy(r"[?&;]([A-Za-z0-9_.-]{1,64})=([^&#;\s]*)")
# Where one of the above can start: text without any of these holds no secret inside it.
_HINT = lazy(
    # every branch starts with a literal character: then a search skips, in C, the characters
    # that start none (a branch starting with a class or an assertion would make it try each)
    r"://|\?|\$\{|=|-----BEGIN |gh[pousr]_|github_pat_|glpat-|rk_(?:live|test)_|sk_(?:live|test)_"
    r"|xox[abposr]-|A[KS]IA|AIza|sk-(?:proj|svcacct|admin|ant)-|gsk_|SG\.|Basic |Bearer |eyJ"
    r"|c (?<=basic )|r (?<=bearer )|BASIC |BEARER "  # (first characters other branches have: see below)
    # a header named like a secret, given to httpie as an item (`X-Api-Key:x`: hunt 227 F2)
    r"|:(?<=[Kk][Ee][Yy]:)|:(?<=[Tt][Oo][Kk][Ee][Nn]:)|:(?<=[Ss][Ee][Cc][Rr][Ee][Tt]:)|:(?<=[Aa][Tt][Ii][Oo][Nn]:)"
    r"|:(?<=[Kk][Ee][Yy]\":)|:(?<=[Nn]\":)"  # its name quoted (`"X-Api-Key":x`, `"X-Auth-Token":x`)
    r"|xapp-|AGE-SECRET-KEY-1"  # (and MORE_TOKEN_SHAPES: _MORE_HINT)
    r"|:(?<=jdbc:)oracle:|@//"  # Oracle's logon in a URL, or EZConnect's (commands.oracle_logon_parts)
    # SQL's `IDENTIFIED BY "x"`, after blanks, a tab or a line break (commands._sql_parts)
    r"|\"(?<=[Yy\s]\s\")"
    r"|\"(?<=\(\")|\"(?<=\([ \t]\")"  # a call's quoted argument, `define("AUTH_KEY", "x")` (_QUOTED_PAIR)
    # and in escaped quotes, in a quoted program (`getenv(\"K\", \"x\")`: hunt 267 F2; `define( \"K\"`: 270 F4)
    r"|\\\"(?<=\(\\\")|\\\"(?<=\([ \t]\\\")"
    rf"|{_MORE_HINT_PATTERN}"
    # a single quote: SQL's `PASSWORD 'x'` and `IDENTIFIED BY 'x'`, a JSON object in `'{...}'`
    # (a branch for `password` in any case would start at common letters)
    r"|'|\"[{\[]"  # and a JSON object (or an array of them) in a double-quoted word (`--data "{\"token\": 1}"`)
    r"|\[[ \t\r\n]*\""  # a command in exec form as one string, its option maybe escaped (`[ "\u002d-password"`)
    # a config-setting command (`aws configure set`, `git config`); `sqlplus u/pw@db`, also in a
    # list written out (`[sqlplus, u/pw@db]`); Oracle's other tools (commands._ORACLE_TOOL; `imp`: _IMP)
    r"|config|sqlplus[ \t,]"
    r"|exp(?:dp)?[ \t,]|sqlldr[ \t,]|rman[ \t,]"
    r"|:_"  # npm's registry-scoped key, set with no `config` (`npm set //r.io/:_authToken x`); `:` starts `://` too
    r"|-(?<![^\s'\"]-)-?[A-Za-z]"  # an option word (`--password`), its `-` first
    # a password as a plain word (commands.py) where nothing above is (`redis-cli AUTH pw`); htpasswd
    # and mosquitto_passwd take it after a `-b`; no new first character (each costs every search)
    r"|-cli[ \t,'\"]|chpasswd|rabbitmqctl|cf[ \t,]"  # (`cf auth USER PASSWORD`)
    r"|ssl[ \t,]+passwd|grafana"  # `openssl passwd PASSWORD`, `grafana cli admin reset-admin-password PASSWORD`
    # `vault login TOKEN`, `vault operator unseal KEY`, `neo4j-admin ... set-initial-password PW`,
    # `rclone obscure PW`, `isql DSN USER PW`; a secret store's command (`doppler secrets set NAME
    # VALUE`, `gh secret set NAME`, `docker secret create NAME -`, `wrangler secret put NAME`: hunt 226 F4)
    r"|gin[ \t,](?<=vault[ \t,]login[ \t,])|eal[ \t,](?<=unseal[ \t,])|-admin[ \t,'\"]|-initial-password"
    r"|rclone[ \t,]|sql[ \t,](?<=isql[ \t,])|secrets?[ \t,]+(?:set|put|create)[ \t,]"
    r"|sh[ \t,](?<=mysqlsh[ \t,])"  # MySQL Shell's `user:pw@host` (commands._mysqlsh_parts)
    # a config file's secret directive written out (`requirepass x`, `masterauth x`, `sentinel
    # auth-pass m x`, `bridge_password x`, `proxy_set_header X-Api-Key x`: _DIRECTIVE)
    r"|s[ \t](?<=requirepass[ \t])|rauth[ \t](?<=masterauth[ \t])|s[ \t](?<=auth-pass[ \t])"
    r"|_password[ \t]|r[ \t](?<=_header[ \t])"
    # `echo "api_key: x" > f`, `echo "x" password: "y"` (_WRITTEN_ENTRY: hunt 249 F1)
    # (a double quote only: a single quote's every place cost 5% of a batch's instructions)
    r"|\"(?=[ \t]*(?:-[ \t]+)?:?[A-Za-z_][A-Za-z0-9_.-]{0,127}[ \t]*:[ \t])"
)

# `NAME=value` as a word anywhere in a text: a command's `PGPASSWORD=x psql`, `--api-key=x`, a
# DSN's `password=x`, a directive's `DB_PASSWORD=x`. A name starts only where a run of name
# characters starts, so each character is tried as a start once (linear).
# Spaces around the sign go in pairs (a connection string's `Password = x`): `PASSWORD= cmd`
# sets an empty value.
_ASSIGNED_NAME = lazy(r"(?<![A-Za-z0-9_.-])-{0,2}([A-Za-z_][A-Za-z0-9_.-]{0,127})(?:=|[ \t]+=[ \t]*)")
# where such a value ends: not at a blank an odd run of `\` escapes (`\ `, `\\\ `: hunts 189 F2, 194
# F2), at one after an even run (`\\ `: hunt 191 F7); runs of up to four told apart
_VALUE_STOP = lazy(r"[,;&'\"]|(?:(?<!\\)|(?<=(?<!\\)\\\\)|(?<=(?<!\\)\\\\\\\\))\s")
WORD_STOP = lazy(r"\s")
# where a shell's unquoted word ends: at a blank no odd run of `\` escapes (_VALUE_STOP's rule:
# `-u admin:pw\ more` gives one word, hunt 225 F5)
SHELL_WORD_STOP = lazy(r"(?:(?<!\\)|(?<=(?<!\\)\\\\)|(?<=(?<!\\)\\\\\\\\))\s")
TEMPLATE_AT = lazy(r"<%[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*%>")  # a template's place, `<% URL %>`


class Part(NamedTuple):
    """A secret inside a string: text[start:end], what kind it is and what it is called."""

    start: int
    end: int
    kind: str  # "url", "query", "token", "default", "assignment" or "option"
    label: str  # the token's kind, the parameter's or the var's name


def _continued(text: str, part: Part, ends: dict[int, int]) -> Part:
    """`part`, run on over the lines a `\\` at its end continues (`.properties`' `password=ab\\`
    then `    cd`: hunt 238 F5), each to its end. `ends`: where each end read so far
    runs on to, so that each line is read once however many parts end before it."""
    end, passed = part.end, []
    while end not in ends and escaped(text, end) and text.startswith(("\n", "\r\n"), end):
        # (`\\` at the end is a backslash, no continuation: hunt 239 F6)
        passed.append(end)
        at = text.index("\n", end) + 1
        while at < len(text) and text[at] in " \t":
            at += 1
        # (whatever the line starts with: `-Ab3d` in base64url, hunt 241 F1; a shell's `PW=x\` then
        # `&& exec node` has that line starred, the lesser fault)
        stop = text.find("\n", at)
        stop = len(text) if stop < 0 else stop
        while stop > at and text[stop - 1] in " \t\r":
            stop -= 1  # the continued line's end, blanks and all (hunt 239 F8)
        if stop == at:
            break
        end = stop
    end = ends.get(end, end)
    for each in passed:
        ends[each] = end
    return part if end == part.end else part._replace(end=end)


def _without_public_keys(text: str, parts: list[Part]) -> list[Part]:
    """`parts`, but those that are SSH public keys (`authorized_key: ssh-ed25519 AAAA...`)."""
    if "AAAA" not in text:
        return parts
    return [part for part in parts if not is_ssh_public_key(text[part.start : part.end])]


# What else makes a string worth commands.py's scanners, besides a `-` or a `'`: JSON in a
# double-quoted word, a config-setting command, sqlplus' logon, a program given a password as a
# word (POSITIONAL_PASSWORD_PROGRAMS).
# Programs given a password as a word (commands.py reads which): `htpasswd -nb user pw`.
# (`imp` is looked for apart: a branch of _HINT starting at `p` or `i` made every search stop at each)
_IMP = lazy(r"imp(?:dp)?[ \t]")
ORACLE_TOOLS = ("exp ", "exp\t", "imp ", "imp\t", "expdp", "impdp", "sqlldr", "rman")  # given a logon as sqlplus is
POSITIONAL_PASSWORD_PROGRAMS = (
    *("htpasswd", "mosquitto_passwd", "rabbitmqctl", "redis-cli", "chpasswd", "mc", "cf", "openssl"),
    *("grafana-cli", "grafana", "vault", "doppler", "neo4j-admin", "rclone", "isql"),
)
# a command list naming one of these is read as its command line (_joined_parts): `[sqlplus, u/pw@db]`
_LOGON_PROGRAMS = frozenset((*POSITIONAL_PASSWORD_PROGRAMS, "sqlplus", *(tool.strip() for tool in ORACLE_TOOLS)))
# and these, whose options' values a list may hold attached (`[curl, -uadmin:pw]`) or whose
# secret depends on an item anywhere (`[http, -a, TOKEN, -A, bearer]`: hunt 215 F1, F2)
_JOINED_PROGRAMS = _LOGON_PROGRAMS | {"curl", "etcdctl", *HTTPIE_PROGRAMS, *("gh", "az", "aws", "wrangler", "gcloud")}
_COMMAND_HINTS = (
    '"{',
    "[",
    "config",
    "npm",
    "sqlplus",
    "base64",
    "secret",
    "mysqlsh",
    ":=",  # httpie's request items, `password:=x`, `api_key==x`, `X-Api-Key:x` (hunt 229 F5)
    "==",
    "ey:",
    "EY:",
    "oken:",
    "OKEN:",
    "ecret:",
    "ECRET:",
    "ation:",
    "ATION:",
    '":',  # (`"X-Api-Key":x`, `"Authorization":x`)
    *ORACLE_TOOLS,
    *POSITIONAL_PASSWORD_PROGRAMS,
)
# A double-quoted SQL literal after `BY` (`IDENTIFIED BY "x"`, after a blank, a tab or a line
# break: hunt 159's weak points) or `PASSWORD ... =` (MySQL's `SET PASSWORD FOR 'a'@'%' = "x"`),
# maybe escaped in a shell's string; each run of blanks is read from one letter (linear).
SQL_DOUBLE_QUOTE = lazy(r'[Yy]\s+\\?"|[Dd]\s*=\s*\\?"')


def _hinted(text: str) -> bool:
    """Whether a secret may start somewhere in `text` (_HINT, _IMP, _MC_ADMIN; an environment
    read, which a secret key may be set to: _keyed_env_read_parts, hunt 267 F2)."""
    if _HINT.search(text) is not None or ("imp" in text and _IMP.search(text) is not None):
        return True
    if _may_read_env(text):  # (not in _HINT: branches starting with common letters slow it)
        return True
    return "mc" in text and _MC_ADMIN.search(text) is not None


def _may_read_env(text: str) -> bool:
    """Whether `text` may hold an environment read (_ENV_READS): `process.env`, `ENV[`, .NET's
    `Environment.`, PHP's `$_SERVER[`, python-decouple's `config(`."""
    return "env" in text or "ENV" in text or "Env" in text or "_SERVER" in text or "config(" in text


# MinIO's `mc admin user add ALIAS USER SECRET`, which holds no other hint (hunt 204 F4)
_MC_ADMIN = lazy(r"mc[ \t,]+admin[ \t,]+user[ \t,]+add[ \t,]")


def parts_in(
    text: str, *, assignment: bool = False, entries: bool = False, jwts: bool = True, encoded: bool = False
) -> list[Part]:
    """The secrets inside one string value (or comment), without overlaps, in order.

    `assignment`: the string is an item of a list of vars, where `NAME=value` (or `NAME: value`, a mapping
    written as a quoted string) sets a var. `entries`: the string is given for `vars` itself, so
    each of its entries may set one (`{A: 1, DB_PASSWORD: x}`, JSON, one `NAME: value` a line).
    `jwts`: a JSON Web Token is a secret by its shape (not in a value whose name says it is
    published, is_published_name); found in a URL, an entry, an option, it is one still.
    `encoded`: the text is a URL query's value, percent-decoded (not decoded again).
    """
    found: list[Part] = []
    if entries or _OBJECT_START.match(text):  # also JSON (objects, or a list of them) or a flow mapping
        found += entry_parts(text)
    elif assignment and (sign := assignment_sign(text)) > 0:
        found += literal_parts(text, sign + 1, len(text), "assignment", text[:sign].strip())
    if _may_hold_netrc(text):
        found += _netrc_parts(text)  # a `.netrc`'s text, in a var, a command, a comment (hunt 154 F8)
    if "pgpass" in text or "PGPASS" in text:
        found += _pgpass_parts(text)
    xml_names: set[int] = set()
    if "<" in text and ("=" in text or "</" in text):
        found += _xml_parts(text, xml_names)
    if not _hinted(text):
        return found
    more_tokens = _MORE_HINT.search(text) is not None
    if "@" in text and ("jdbc:oracle:" in text or "@//" in text):
        from nexlayer_lint.commands import oracle_logon_parts

        found += oracle_logon_parts(text)
    if "=" in text:
        found += _assigned_parts(text)
    if "'" in text or '"' in text:
        found += _quoted_pair_parts(text)
    if "pass" in text or "auth" in text or "header" in text:
        found += _directive_parts(text)
    if "variable" in text and "default" in text:
        found += _hcl_variable_parts(text)  # (the known list's Terraform default)
    if _may_read_env(text):
        found += _keyed_env_read_parts(text)
        found += _named_env_read_parts(text)
    if (": " in text or ":\t" in text) and ("'" in text or '"' in text or "\\n" in text):
        found += _written_entry_parts(text)
    if "-" in text or "'" in text or any(hint in text for hint in _COMMAND_HINTS) or SQL_DOUBLE_QUOTE.search(text):
        # commands.py compiles its many patterns when first imported: most files never need them
        from nexlayer_lint.commands import command_parts

        found += command_parts(text)
    for start, end in _url_passwords(text):
        found += literal_parts(text, start, end, "url", "password")
    question = text.find("?")
    if question >= 0:
        for match in _QUERY.finditer(text, question):
            if TEMPLATE_AT.match(text, match.start(2)):
                continue  # `?password=<% DB_PASSWORD %>`: a reference, its blanks in it (hunt 154 F12)
            if is_secret_var_name(match.group(1)) or match.group(1).lower() in SIGNATURES:
                found += literal_parts(text, *match.span(2), "query", match.group(1))
            elif "%" in match.group(2) and not encoded:
                found += _encoded_parts(text, *match.span(2))
    for tokens in (_TOKEN, _MORE_TOKENS) if more_tokens else (_TOKEN,):
        pos = 0
        while (token := tokens.search(text, pos)) is not None:
            start, end = token.span()
            pos = end
            index = int(token.lastgroup[1:])  # type: ignore[index]  # every alternative is a named group
            if index == _PEM:
                start, end = end, _pem_end(text, end)
                pos = end
            elif index == _HTTP_CREDENTIAL:
                start = text.index(" ", start) + 1
            if end > start:
                found.append(Part(start, end, "token", _ALL_TOKEN_SHAPES[index][0]))
    if "hooks" in text or "HOOKS" in text:
        for hook in _WEBHOOK.finditer(text):
            if not (hook.start() and _TOKEN_EDGE.match(text, hook.start() - 1)):
                label = WEBHOOK_SHAPES[int(hook.lastgroup[1:])][0]  # type: ignore[index]
                found.append(Part(text.index("/", hook.start()) + 1, hook.end(), "token", label))
    if jwts and "eyJ" in text:
        found += [Part(start, end, "token", JWT) for start, end in _jwts(text)]
    if "${" in text:
        for place in placeholders(text):
            if place.default_end > place.default_start and is_secret_var_name(place.name):
                found += literal_parts(text, place.default_start, place.default_end, "default", place.name)
    if xml_names:  # a `key="NAME"` attribute names the setting: `key` is no var here (a token's shape is one)
        found = [part for part in found if part.start not in xml_names or part.kind != "assignment"]
    if "%" in text:
        if "printf" in text:
            found = _printf_arguments(text, found)
            if "-v" in text:
                found += _printf_variable_parts(text)
        # a conversion left is a format's placeholder (a log format's `token=%(token_id)s`: hunt 226 F9)
        found = [part for part in found if _CONVERSIONS_ONLY.fullmatch(text, part.start, part.end) is None]
    # a lone `-` is standard input (`vault login ... password=-`, `--password -`), no secret; an
    # SSH public key is public (`authorized_key: ssh-ed25519 AAAA...` in a pasted config)
    found = _without_public_keys(text, [part for part in found if text[part.start : part.end] != "-"])
    if "\\\n" in text or "\\\r\n" in text:
        ends: dict[int, int] = {}
        found = [_continued(text, part, ends) if part.kind == "assignment" else part for part in found]
    # of two finds of one secret, the more telling: a query's `?token=x` before a bare `token=x`
    found.sort(key=lambda part: (part.start, part.kind == "assignment", part.end, part.kind, part.label))
    kept: list[Part] = []
    for part in found:
        if not kept or part.start >= kept[-1].end:
            kept.append(part)
        elif part.end > kept[-1].end and (
            part.start > kept[-1].start or part.kind == kept[-1].kind or "token" in (part.kind, kept[-1].kind)
        ):
            # a find that starts inside another and runs past it: both are secret, so all of it;
            # also one of the same kind at the same place (`- DB_PASSWORD=correct horse battery`:
            # the word, and the item's whole value), or any secret that starts with a token
            # (`S3_PASSWORD=AKIA...:x`, `-a AKIA...:x`: hunts 267 F1, 270 F2); not a less telling
            # one (a query's `?password=x#frag`, the `#frag` past the value: the sort puts the
            # query's first)
            kept[-1] = kept[-1]._replace(end=part.end)
    return kept


def _encoded_parts(text: str, start: int, end: int) -> list[Part]:
    """The secrets in a percent-encoded query value, `text[start:end]` (SQLAlchemy's
    `?odbc_connect=...PWD%3Dx`, a URL given in a query: hunt 154 F7), at their places in `text`.
    Only ASCII is decoded: a character of several bytes stays as written."""
    decoded: list[str] = []
    origin: list[int] = []  # where each decoded character starts in `text`
    at = start
    while at < end:
        escape = _ESCAPE.match(text, at, end) if text[at] == "%" else None
        if escape is not None and int(escape.group(1), 16) < 0x80:
            decoded.append(chr(int(escape.group(1), 16)))
            origin.append(at)
            at += 3
        else:
            decoded.append(text[at])
            origin.append(at)
            at += 1
    origin.append(end)
    parts = parts_in("".join(decoded), encoded=True)
    return [part._replace(start=origin[part.start], end=origin[part.end]) for part in parts]


_ESCAPE = lazy(r"%([0-9A-Fa-f]{2})")


# A signed JSON Web Token: `eyJ` (base64url of `{"`), its header, `.eyJ`, its claims, `.`, and a
# signature. A bearer credential under any name, but for a name that says it is published
# (Supabase's `ANON_KEY` is such a token: is_published_name).
JWT = "a JSON Web Token"
_BASE64URL_RUN = lazy(r"[A-Za-z0-9_-]*")
_JWT_PART = 8  # base64url characters a header and claims have at the least (`{"alg":"` is 11)
_JWT_SIGNATURE = 16


def _jwts(text: str) -> list[tuple[int, int]]:
    """Where the signed JWTs in `text` are. Each run of base64url characters is read once: a
    search that fails inside a run goes on after it, where any later `eyJ` of that run would fail
    the same way (a regular expression would try each, quadratic on `eyJeyJeyJ...`)."""
    found = []
    pos = 0
    while (start := text.find("eyJ", pos)) >= 0:
        header_end = _run_end(text, start)
        pos = header_end
        if start and _TOKEN_EDGE.match(text, start - 1):
            continue
        if header_end - start < _JWT_PART or not text.startswith(".eyJ", header_end):
            continue
        claims_end = _run_end(text, header_end + 1)
        pos = claims_end
        if claims_end - header_end - 1 < _JWT_PART or not text.startswith(".", claims_end):
            continue
        end = _run_end(text, claims_end + 1)
        pos = end
        if end - claims_end - 1 >= _JWT_SIGNATURE and not _TOKEN_EDGE.match(text, end):
            found.append((start, end))
    return found


def _run_end(text: str, at: int) -> int:
    """Where the run of base64url characters from text[at] ends."""
    run = _BASE64URL_RUN.match(text, at)
    return run.end() if run else at


def is_published_name(name: object) -> bool:
    """A name that says its value is published (`SUPABASE_ANON_KEY`, `PUBLIC_JWT`): a JSON Web
    Token under it is shown."""
    return isinstance(name, str) and any(word in PUBLIC_PARTS for word in name_parts(name))


# An entry of vars written as one string: a name at the start, or after a line break, `,`, `;` or
# `{`, maybe quoted (JSON), then `:` or `=`; its value runs to the next of those separators (less
# the `}` that closes a flow mapping), or is what its quotes hold.
# In a double-quoted shell word, JSON's quotes are escaped (`"{\"password\": \"x\"}"`).
_ENTRY = lazy(r"""(?:^|[\n,;{\[])[ \t]*\\?["']?([A-Za-z_][A-Za-z0-9_.-]{0,127})\\?["']?[ \t]*[:=]""")
_ENTRY_END = lazy(r"[\n,;]")
# what an item's `name` or `key` gives when it names a var: a name in capitals, alone in its entry
# (a setting's or a vault's name too: `spring.datasource.password`, `db-password`, `/prod/db/password`:
# hunt 167 F6)
_NAMED_VAR = lazy(r"""[ \t]*(\\?["']?)([A-Za-z_/][A-Za-z0-9_./-]{0,127})\1[ \t]*(?=[,}\]\n]|$)""")
_OBJECT_START = lazy(r"[ \t\r\n]*[{\[]")  # a value written as JSON or a flow collection
_NO_LITERAL = frozenset(("null", "true", "false"))  # JSON's words, after a secret's name: nothing written


def entry_parts(text: str, *, quoted_only: bool = False) -> list[Part]:
    """The values of the entries of `text` whose name looks secret (see _ENTRY); with
    `quoted_only`, only those written in quotes (a jq filter's unquoted `.x` is a path). Each
    character is read for one value at most: the next name is looked for after the value (linear)."""
    found: list[Part] = []
    in_flow = text.lstrip().startswith(("{", "["))
    entry = _ENTRY
    # `{"name": "DB_PASSWORD", "value": "x"}` (an ECS or Kubernetes env list as JSON: hunt 148 F2):
    # the var an item names, shown, and where its object ends (past any object nested in it:
    # `"meta": {...}` between the name and its value); a `value` written before the name waits
    # for it (`unnamed`)
    named, item_end = "", -1
    over = False  # whether the secret's name is a key over the item's object (Azure's), not in it
    public_end = -1  # the end of an item inside the secret's that names its own var (hunt 166 F7)
    objects = _Objects(text)
    unnamed: list[Part] = []
    unnamed_end = -1  # the end of the object the `value` waiting for its name is in
    pos = 0
    while (match := entry.search(text, pos)) is not None:
        pos = match.end()
        label = match.group(1)
        brace = objects.end_around(pos)
        flow = in_flow or bool(objects.open)  # also an object inside a text (`- {name: X, value: y}`: hunt 170 F7)
        if label.lower() in ITEM_NAME_KEYS and (var := _NAMED_VAR.match(text, pos)) is not None:
            name = var.group(2)
            if is_secret_var_name(name) and pos < unnamed_end:
                found += [part._replace(label=name) for part in unnamed]
            unnamed = []
            if is_secret_var_name(name):
                named, item_end, over, public_end = name, brace, False, -1
                continue  # a var's name, not a value
            capitals = _CAPITALS_NAME.fullmatch(name) is not None  # not a key's `K9X2-PQ7M` (hunt 170 F2)
            nested = brace < item_end or over
            if named and pos < item_end and capitals and _names_its_own_var(label, name, nested):
                # an item naming its own var inside a secret's object: its value is that var's
                # (`{"token": {"name": "LOG_LEVEL", "value": "debug"}}`: hunt 166 F7), not
                # another field of the secret's own item (`{"name": "DB_PASSWORD", "env": "PROD",
                # "value": "x"}`: hunt 167 F1)
                public_end = brace
            if capitals or not is_secret_var_name(label):
                continue  # `"key": "LOG_LEVEL"`; not `"key": "sk_live_..."`, a key itself
        in_named = bool(named) and pos < item_end and not pos < public_end
        waiting = not in_named and is_value_key(label)
        if in_named and is_value_key(label):
            label = named
        elif not waiting and not is_secret_var_name(label) and not (label == "pwd" and text[pos - 1] == ":"):
            continue  # in an object `pwd` is a password (MongoDB's `createUser`: hunt 148 F5), not `PWD=/app`
        if waiting:
            unnamed, unnamed_end = [], brace  # an earlier object's waits no more
        start = pos
        while start < len(text) and text[start] in " \t":
            start += 1
        if text.startswith("{", start):
            # a nested object (`"auth": {"type": ...}`): its own entries are read; one under a
            # secret's name gives it to its `value` (Azure's `"adminPassword": {"value": "x"}`,
            # Heroku's `"env": {"DB_PASSWORD": {"value": "x"}}`: the last session's weak points)
            if not waiting and is_secret_var_name(label):
                named, item_end, over, public_end = label, objects.end_of(start), True, -1
            continue
        parts = unnamed if waiting else found
        if quoted_only:  # a jq expression: its paths are no values (hunt 96 F3), its literals may be
            literals, stop = _jq_value_literals(text, start)
            for first, last in literals:
                parts += literal_parts(text, first, last, "assignment", label)
            pos = max(pos, stop)
            continue
        if start < len(text) and text[start] == _its_string_quote(text, match):
            continue  # `"X-Api-Key: "`: nothing is written before its string closes (hunt 122 F10)
        quoted = start < len(text) and text[start] in "'\""
        if text.startswith('\\"', start):  # an escaped quote opens the value: the next one closes it
            close = text.find('\\"', start + 2)
            start, stop, quoted = start + 2, len(text) if close < 0 else close, True
            # in double quotes a shell expands (`sh -c "DB_PASSWORD=\\"$DB_PASS\\""`), as
            # _assigned_parts reads it (hunt 126 F6)
            if _is_shell_reference(text, start, stop):
                continue
        else:
            start, stop = value_from(text, start, _ENTRY_END)
        if not quoted:
            stop = _within_its_string(text, match, stop)
            # a `,` or `;` that no entry follows is the value's own (`DB_PASSWORD=pa,ss;word`,
            # `x; Tail`: hunts 92 F1, 95 F3); in JSON or a flow mapping, only inside a word
            # (`hunter;2x`: hunt 94 F2), as the next object or key follows one there (`, "$schema"`,
            # `}, {`: hunt 93 F3). A line break ends it. Each separator is looked at once (linear).
            while (
                stop < len(text)
                and text[stop] in ",;"
                and entry.match(text, stop) is None
                and not (flow and text[stop + 1 : stop + 2] in ("", " ", "\t", "\r", "\n", '"', "'", "{", "["))
            ):
                more = _ENTRY_END.search(text, stop + 1)
                stop = more.start() if more else len(text)
            while flow and stop > start and text[stop - 1] in " \t\r":
                stop -= 1
            if flow and stop > start and text[stop - 1] == "]":
                stop -= 1  # `[{password: x}]`: the array's end, then its object's
            while flow and stop > start and text[stop - 1] in " \t\r":
                stop -= 1
            if flow and stop > start and text[stop - 1] == "}":
                stop -= 1  # `{A: 1, DB_PASSWORD: x}`; not `DB_PASSWORD:${X}`'s own brace
            if text[start:stop].rstrip("}] \t\r") in _NO_LITERAL:
                continue  # `"password": null`
        parts += literal_parts(text, start, stop, "assignment", label)
        pos = max(pos, stop)
    return sorted(found)


_CAPITALS_NAME = lazy(r"[A-Z_][A-Z0-9_]*")  # a var's name in capitals (`"key": "LOG_LEVEL"`)


def _names_its_own_var(key: str, name: str, nested: bool) -> bool:
    """Whether `key: name`, inside the object of an item that names a secret, is an item of its
    own naming a public var: in an object nested in the secret's item, or in the object under a
    secret's name (`nested`), a `name` or `key` that names a var as env lists do (`LOG_LEVEL`);
    not a word in capitals (`"id": "V1"`, `"env": "PROD"`: hunt 167 F1)."""
    return nested and key.lower() in ("name", "key") and "_" in name


class _Objects:
    """Where the braces of a text pair (`{...}`, each `}` closing the innermost `{` still open),
    for entry_parts: the end of the object a place is in, the places asked in increasing order.
    The braces are paired in one scan, when first asked, and passed once each (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.braces: list[int] | None = None  # where each `{` and `}` is
        self.ends: dict[int, int] = {}  # a `{` -> its `}` (the text's end when none closes it)
        self.passed = 0  # the braces before the last place asked
        self.open: list[int] = []  # the `{`s open there
        self.closes: list[int] | None = None  # every `}`, strings' too (_next_close)

    def end_of(self, opening: int) -> int:
        """Where the `}` that closes the `{` at text[opening] is (one read as a string's text: the
        next `}`, hunt 170 F1)."""
        self._pair()
        end = self.ends.get(opening)
        return self._next_close(opening) if end is None else end

    def end_around(self, pos: int) -> int:
        """Where the innermost object around `pos` ends; outside any, the next `}` or the text's end."""
        braces, text = self._pair(), self.text
        while self.passed < len(braces) and braces[self.passed] < pos:
            at = braces[self.passed]
            if text[at] == "{":
                self.open.append(at)
            elif self.open:
                self.open.pop()
            self.passed += 1
        return self.ends[self.open[-1]] if self.open else self._next_close(pos)

    def _next_close(self, pos: int) -> int:
        """The first `}` from `pos` on, any string's too, or the text's end; by bisection (a search
        from each place was quadratic: hunt 172 F4)."""
        if self.closes is None:
            self.closes = [close.start() for close in _CLOSE.finditer(self.text)]
        after = bisect.bisect_left(self.closes, pos)
        return self.closes[after] if after < len(self.closes) else len(self.text)

    def _pair(self) -> list[int]:
        if self.braces is None:
            self.braces = _braces_outside_strings(self.text)
            opened: list[int] = []
            for at in self.braces:
                if self.text[at] == "{":
                    opened.append(at)
                elif opened:
                    self.ends[opened.pop()] = at
            for at in opened:
                self.ends[at] = len(self.text)
        return self.braces


def _braces_outside_strings(text: str) -> list[int]:
    """Where the braces of a text are that no string holds (`"note": "a}b"`, `'a}b'`: hunts 169
    F1, F2, 170 F9). A string opens only where JSON or a flow mapping puts one (`{"a"`, `, "b"`,
    `: 'c'`), not at a stray quote (`a 5" screen`); escaped JSON's strings (`{\"a\": \"x}\"}`,
    in a shell's double quotes) open at `\"` and close at a `\"` whose backslash is no escaped
    one (a quote that r backslashes precede closes one when r % 4 == 1: hunt 172 F3, F6). A
    string that holds JSON (`"env": "[{\"name\": ...}]"`: hunt 170 F5) is read as JSON: its
    braces count, outside its own `\"` strings. A string ends at its line's end. Each quote
    counts the backslashes before it once (linear)."""
    braces: list[int] = []
    quote = ""  # the string being read: `"`, `'`, `\` (escaped JSON's), or none
    holds_json = inner = False
    skip = -1  # the second quote of YAML's `''`
    for mark in _BRACE.finditer(text):
        at = mark.start()
        char = text[at]
        if char == "\n":
            quote = ""
            continue
        if at == skip:
            continue
        escapes = 0
        if char in "\"'":
            while escapes < at and text[at - escapes - 1] == "\\":
                escapes += 1
        if not quote:
            if char in "{}":
                braces.append(at)
            elif char == '"' and escapes == 0 and _opens_a_string(text, at):
                quote, inner = '"', False
                holds_json = text.startswith(('{\\"', '[{\\"'), at + 1)
            elif char == '"' and escapes == 1 and _opens_a_string(text, at - 1):
                quote = "\\"
            elif char == "'" and escapes == 0 and _opens_a_string(text, at):
                quote = "'"
        elif quote == '"':
            if char == '"' and escapes % 2 == 0:
                quote = ""
            elif holds_json and char == '"' and escapes % 4 == 1:
                inner = not inner
            elif holds_json and char in "{}" and not inner:
                braces.append(at)
        elif quote == "\\":
            if char == '"' and escapes % 4 == 1:
                quote = ""
        elif char == "'":
            if text.startswith("'", at + 1):
                skip = at + 1  # `''`: a quote inside
            else:
                quote = ""
    return braces


_BRACE = lazy(r"""[{}"'\n]""")
_CLOSE = lazy(r"}")


def _opens_a_string(text: str, at: int) -> bool:
    """Whether the quote at text[at] opens a string: where JSON or a flow collection puts one,
    after `{`, `[`, `,` or `:` (blanks between), or at a line's start."""
    before = at
    while before and text[before - 1] in " \t":
        before -= 1
    return before == 0 or text[before - 1] in "{[,:\n"


def _its_string_quote(text: str, entry: re.Match[str]) -> str:
    """The quote that opens the string holding both the entry's name and its value
    (`"X-Api-Key: x"`, a JSON string, not an object's key); "" when the name is not in one."""
    name_start, name_end = entry.span(1)
    opening = text[name_start - 1 : name_start]
    if opening not in ("'", '"') or text[name_end : name_end + 1] in ("'", '"', "\\"):
        return ""
    return opening


def _within_its_string(text: str, entry: re.Match[str], stop: int) -> int:
    """`stop`, or the closing quote of the string that holds both the entry's name and its value
    (`["curl", "-H", "X-Api-Key: x", "http://y"]`: the value ran on into the next item and past
    the next item's quote: hunt 113)."""
    opening = _its_string_quote(text, entry)
    if not opening:
        return stop
    close = text.find(opening, entry.end(1), stop)
    # `\"` in double quotes, `''` in single quotes (YAML's, a shell's joined words) go on
    while close > 0 and (escaped(text, close) if opening == '"' else text.startswith("''", close)):
        close = text.find(opening, close + (1 if opening == '"' else 2), stop)
    return stop if close < 0 else close


def _jq_value_literals(text: str, start: int) -> tuple[list[tuple[int, int]], int]:
    """The string literals that may be the value of a jq object's entry whose expression starts
    at text[start], and where the entry ends: at a `,` or `}` outside brackets and literals (a
    line break is a blank to jq, and `;` parts a call's arguments), else the end of the text.

    A literal is no value in an index (`.["access_token"]`, `$ENV["API_TOKEN"]`) nor as a call's
    first argument (`ltrimstr("Bearer ")`, `test("^a")`, the pattern of `sub("^$"; ...)`: hunt
    102 F1); it may be one anywhere else: after `//`, in `then` and `else`, an array's item, a
    call's later argument (`sub("^$"; "pw")`), a nested object (hunts 97 F2, 102 F2). Each
    character is read once (linear): entry_parts goes on after the entry, so the entries of an
    object inside it are not read again."""
    literals: list[tuple[int, int]] = []
    # per open bracket: "index", "call" (in its first argument), "value" (a call's second), "other"
    open_kinds: list[str] = []
    blocked = 0  # how many of them are an index or a call's argument other than its second
    pos = start
    while pos < len(text):
        char = text[pos]
        if char == '"':
            close, after = _jq_literal_end(text, pos)
            # a field's name after its `.` (`."db-password"`, `$ENV."API_TOKEN"`: hunt 103 F2) is a path
            shell = pos > 0 and text[pos - 1] == "\\"
            field = text[pos - 2 : pos] == ".\\" if shell else pos > start and text[pos - 1] == "."
            if not blocked and not field:
                literals.append((pos + 1, close))
            pos = after
            continue
        if char in "([{":
            before = text[pos - 1] if pos > start else " "
            if char == "(" and (before.isalnum() or before == "_"):
                kind = "call"  # `ltrimstr(`; not `if (`, `// (`
            elif char == "[" and (before.isalnum() or before in '_.])"?'):
                kind = "index"  # `.["x"]`, `$ENV["X"]`, `.a[0]`; not `[env.X, "pw"]`
            else:
                kind = "other"
            open_kinds.append(kind)
            blocked += kind != "other"
        elif char in ")]}":
            if not open_kinds:
                return literals, pos  # the object's `}`
            blocked -= open_kinds.pop() in ("index", "call")
        elif char == ";" and open_kinds and open_kinds[-1] in ("call", "value"):
            # a call's second argument may be a value (`sub("^$"; "pw")`), its third is no value
            # (the flags of `sub(...; ...; "g")`)
            second = open_kinds[-1] == "call"
            open_kinds[-1] = "value" if second else "call"
            blocked += -1 if second else 1
        elif char == "," and not open_kinds:
            return literals, pos
        pos += 1
    return literals, len(text)


def _jq_literal_end(text: str, opening: int) -> tuple[int, int]:
    """Where the contents of the jq string literal opened by the quote at text[opening] end, and
    where reading goes on after it (the end of the text for both when it is left open).

    In a shell's double quotes the literal is written `\\"x\\"`: a quote that r backslashes
    precede is jq's closing quote when r % 4 == 1 (the shell's `\\"`), a quote inside the literal
    when r % 4 == 3 (`\\\\\\"`, jq's `\\"`), and the shell's own when r is even.

    An interpolation, `"\\(env.PW // "x")"`, is jq code inside the literal, whose own literals
    nest: the literal ends at the quote that closes it, not at the first one inside (which showed
    the default password and starred the code around it: hunt 108 F3). The shell keeps `\\(` as
    it is, so jq reads a `(` after r backslashes as an interpolation when ceil(r / 2) is odd."""
    shell = opening > 0 and text[opening - 1] == "\\"
    levels = [-1]  # the literals and interpolations open: -1 a literal, else the code's open parentheses
    backslashes, run_end = 0, -1
    for match in _JQ_LITERAL_TOKEN.finditer(text, opening + 1):
        token, at = match.group(), match.start()
        if token[0] == "\\":
            backslashes, run_end = len(token), match.end()
            continue
        r = backslashes if at == run_end else 0
        backslashes = 0
        if token == '"':
            if shell and r % 2 == 0:
                break  # the shell's string ends: so does the literal
            if levels[-1] >= 0:
                levels.append(-1)  # in code, a quote opens a literal
            elif ((r - 1) // 2 if shell else r) % 2 == 0:
                levels.pop()
                if not levels:
                    return (at - 1 if shell else at), at + 1
        elif levels[-1] == -1:
            if token == "(" and ((r + 1) // 2 if shell else r) % 2 == 1:
                levels.append(0)
        elif token == "(":
            levels[-1] += 1
        elif levels[-1] == 0:
            levels.pop()  # the `)` that closes the interpolation
        else:
            levels[-1] -= 1
    return len(text), len(text)


_JQ_LITERAL_TOKEN = lazy(r'\\+|["()]')


def value_from(text: str, start: int, stop: re.Pattern[str]) -> tuple[int, int]:
    """Where the value that starts at text[start] is: what its quotes hold (to the closing quote,
    or the end of the text), else the text up to `stop` (or the end).

    An empty quoted string that a word goes on after (`''x''`, `""x`: a shell joins it into `x`)
    is skipped, and so are those that end the word: a file that does not parse is read raw, where
    YAML's `''` still stands for a single quote (`'redis-cli -a ''x'' ping'`)."""
    empty = start
    while (
        text.startswith(("''", '""'), start)
        and start + 2 < len(text)
        and stop.match(text, start + 2) is None
        and text[start + 2] not in "}]"  # an empty value that ends an object or a list (hunt 175 F1)
    ):
        start += 2  # each pair read once
    if start > empty and text[start] not in "'\"":
        found = stop.search(text, start)
        end = found.start() if found else len(text)
        while end - start >= 2 and text.startswith(("''", '""'), end - 2):
            end -= 2  # within this word only, each pair read once
        return start, end
    if text.startswith('\\"', start):  # in escaped quotes (`--requirepass \\"x\\"` in a quoted string)
        close = text.find('\\"', start + 2)
        return start + 2, len(text) if close < 0 else close
    if start < len(text) and text[start] in "'\"":
        close = text.find(text[start], start + 1)
        # in double quotes (JSON, YAML, a shell) `\"` is a quote inside the value; each run of
        # backslashes is counted once, by the quote after it (linear)
        while close > 0 and text[start] == '"' and escaped(text, close):
            close = text.find('"', close + 1)
        return start + 1, len(text) if close < 0 else close
    found = stop.search(text, start)
    return start, found.start() if found else len(text)


def escaped(text: str, at: int) -> bool:
    """Whether text[at] follows an odd number of backslashes."""
    before = at
    while before and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _url_passwords(text: str) -> Iterator[tuple[int, int]]:
    """Where the password of each `scheme://user:PASSWORD@host` in `text` is.

    People paste passwords without percent-encoding them, so the password may hold `/`, `?`, `#`,
    `@` or spaces (`postgres://u:pa/ss#w?rd x@db/app`): as a URL parser splits user-info from
    the host at its last `@`, the password runs to the last `@` before the host, the host being
    what follows that `@` up to the first `/`, `?`, `#` or space. The password never runs past
    its line or into the next `://`, so each character is read for one URL at most (linear); a
    `host:8080` (digits, then the end of the authority) is a port, not a password.
    """
    pos = 0
    while (match := _USER.search(text, pos)) is not None:
        start = pos = match.end()
        next_url = text.find("://", start)
        limit = len(text) if next_url < 0 else next_url
        if _is_a_port(text, match.start(), start, limit):
            continue
        line_end = _URL_LINE_END.search(text, start, limit)
        at = text.find("@", start, line_end.start() if line_end else limit)
        if at < 0:
            continue
        host_end = _HOST_END.search(text, at + 1, limit)
        last = text.rfind("@", at + 1, host_end.start() if host_end else limit)
        yield start, max(at, last)


def _is_a_port(text: str, scheme_end: int, start: int, limit: int) -> bool:
    """Whether what follows `scheme://host:` at text[start] is a port, not a password: digits
    ending the authority (`host:8080/x`); before `;` or `,` only after a host name with a dot
    (`jdbc:sqlserver://h.net:1433;db=x`, `mongo-0.pod:27017,...`: `postgres://app:2024,Spring!x@db`
    is a password, hunt 156 F1), before a JDBC or SQL Server URL's property, or before the next
    host of a list whose authority has no `@` (`redis://default:8812,x:1@redis` is a password:
    hunt 159 F10)."""
    port = _PORT.match(text, start)
    if port is None:
        return False
    after = port.end()
    if text[after - 1] not in ";," or "." in text[scheme_end + 3 : start - 1]:
        return True
    if text[after - 1] == ";":
        return (
            _JDBC_PROPERTY.match(text, after) is not None
            and _PROPERTY_SCHEME.search(text, max(0, scheme_end - _SCHEME_READ), scheme_end) is not None
        )
    return _NEXT_HOST.match(text, after) is not None and not _user_info_at(text, after, limit)


_SCHEME_READ = 32  # how far back a URL's `jdbc:` scheme is looked for (`jdbc:jtds:sqlserver`)
# the URLs whose port a `;property=` follows: JDBC's, and SQL Server's own (Prisma, Go's driver:
# `sqlserver://localhost:1433;database=x`, hunt 163 F8)
_PROPERTY_SCHEME = lazy(r"jdbc:|(?<![A-Za-z0-9+.-])sqlserver\Z")


def _user_info_at(text: str, start: int, limit: int) -> bool:
    """Whether an `@` ends a user-info in text[start:limit] before the host's end (`/`, `?`...)."""
    host_end = _HOST_END.search(text, start, limit)
    return text.find("@", start, host_end.start() if host_end else limit) >= 0


# kubectl's options whose value is a file's path (maybe after `KEY=`), never a secret; unlike
# `--from-literal=DB_PASSWORD=x`.
_PATH_OPTIONS = ("from-file", "from-env-file")


# A quoted name and its quoted value in a program's settings: PHP's `define('DB_PASSWORD', 'x')`
# (WordPress' `WORDPRESS_CONFIG_EXTRA`), Laravel's `env('DB_PASSWORD', 'x')`, `'password' =>
# 'x'`, Python's `os.environ["API_TOKEN"] = "x"` (hunt 236 F1, F4); (1) the name, (2) the
# value's quote. JSON's `"password": "x"` is entry_parts'.
_QUOTED_PAIR = lazy(
    r"(?:'([A-Za-z_][A-Za-z0-9_.-]{0,127})'|\"([A-Za-z_][A-Za-z0-9_.-]{0,127})\""
    # (in escaped quotes, in a quoted program: `python3 -c "getenv(\\"DB_PASSWORD\\", \\"x\\")"`, hunt 264 F3)
    r"|\\'([A-Za-z_][A-Za-z0-9_.-]{0,127})\\'|\\\"([A-Za-z_][A-Za-z0-9_.-]{0,127})\\\")"
    r"[ \t]*(?:(\])[ \t]*)?(,|=>|=)[ \t]*(\\?['\"])"
)


# the words of a call's name that say it sets or reads a setting (`conf.set`, `setProperty`,
# `getOrDefault`, `put`), and such names of one word
_SETTING_WORDS = frozenset({"set", "put", "get", "define", "env", "fetch", "config", "default", "store", "add"})
_SETTING_NAMES = frozenset({"getenv", "setenv", "putenv", "setdefault", "setcookie", "getenvironmentvariable"})
_CALL_NAME_WORDS = lazy(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _sets_or_reads(function: str) -> bool:
    """Whether a call's name says it sets or reads a setting: one of its words (camelCase or
    `_`), not any letters of it (`ngettext`, `render_widget`, `compute`: hunt 239 F4)."""
    if any(name in function.lower() for name in _SETTING_NAMES):
        return True  # (`apache_setenv`, `g_setenv`, `_putenv_s`, `setcookie`: hunt 240 F1)
    return any(word.lower() in _SETTING_WORDS for word in _CALL_NAME_WORDS.findall(function))


def _quoted_pair_parts(text: str) -> list[Part]:
    """The quoted values of the quoted names that look secret (_QUOTED_PAIR), each to its closing
    quote on its line; each value read once (linear)."""
    found: list[Part] = []
    pos = 0
    while (pair := _QUOTED_PAIR.search(text, pos)) is not None:
        pos = pair.end()
        name = pair.group(1) or pair.group(2) or pair.group(3) or pair.group(4)
        bracket, sign = pair.group(5), pair.group(6)
        before = pair.start()
        while before and text[before - 1] in " \t":
            before -= 1  # (the blanks before a quote are passed over for it alone: linear)
        opener = text[before - 1 : before]
        name_end = before - 1
        while name_end > 0 and name_end > before - 5 and text[name_end - 1] in " \t":
            name_end -= 1  # (`define ('AUTH_KEY', 'x')`)
        function = name_end
        while function > max(0, name_end - 32) and (text[function - 1].isalnum() or text[function - 1] == "_"):
            function -= 1
        # the first two arguments of a call that sets or reads a setting (`define`, `env`, `getenv`,
        # `.get`, `setProperty`, `conf.set`, `put`...; not a list's items, `['password', 'username']`,
        # nor `emit('password', 'changed')`: hunts 237 F7, 238 F2), an item set, an arrow's pair
        setting = opener == "(" and _sets_or_reads(text[function:name_end])
        called = (sign == "," and setting and not bracket) or (sign == "=" and opener == "[" and bracket)
        if not (called or sign == "=>") or not _is_secret_key(name):
            continue
        close = text.find(pair.group(7), pos)  # (the next quote of its kind: each stretch read once)
        if close > pos and text.find("\n", pos, close) < 0 and not is_doc_placeholder(text[pos:close]):
            found += literal_parts(text, pos, close, "assignment", name)
            pos = close + 1
    return found


# A config file's directive whose value is a secret, as a command writes the file (`echo
# "requirepass x" > redis.conf`: hunt 236 F2): Redis' `requirepass`, `masterauth`, Sentinel's
# `sentinel auth-pass NAME x`, Mosquitto's `bridge_password`; and NGINX's header directives
# given a header named like a secret (`proxy_set_header X-Api-Key x;`); (1) the directive, (2)
# the header's name
_DIRECTIVE = lazy(
    r"(?:(?<![^\s'\"])|(?<=\\n))"  # (also after printf's written-out `\n`)
    r"(?:(requirepass|masterauth|bridge_password|sentinel[ \t]+auth-pass[ \t]+[^\s'\"]{1,128})"
    r"|(?:proxy_set_header|add_header)[ \t]+([A-Za-z0-9_-]{1,128}))[ \t]+"
)
_DIRECTIVE_END = lazy(r"[\s;'\"]|\\n")


_CONFIG_EXTENSIONS = frozenset(
    {"conf", "cfg", "cnf", "ini", "yml", "yaml", "json", "toml", "txt", "env", "properties", "xml", "sh", "log"}
)


def _a_path(word: str) -> bool:
    """Whether a word starting with `/` names a file (`/etc/redis.conf`, `/etc/redis/*.conf`,
    `/conf/${NAME}`: hunt 239 F5), not a base64 secret (`/Xk9+f83LmPq72Xs0aB1==`)."""
    if says_where_or_whether(word) or "${" in word:
        return True
    if "+" in word or word.endswith("="):
        return False
    last = word.rsplit("/", 1)[-1]
    extension = last.rsplit(".", 1)[-1] if "." in last else ""
    if extension in _CONFIG_EXTENSIONS:
        return True  # `/redis.conf` (hunt 241 F3)
    # two steps at least (`/redis-master/redis.cnf`; not `/Zq9Kf83.Xs`, `/Kf8*3Lm`: hunt 240 F3)
    return word.count("/") >= 2 and ("*" in word or extension.isalpha())


def _directive_parts(text: str) -> list[Part]:
    """The values of the secret directives of config files written out (_DIRECTIVE): a word,
    or what its quotes hold."""
    found: list[Part] = []
    for directive in _DIRECTIVE.finditer(text):
        label = directive.group(1) or directive.group(2)
        if directive.group(2) and not is_secret_var_name(label):
            continue
        start = directive.end()
        close = text.find(text[start], start + 1) if text[start : start + 1] in ("'", '"') else -1
        if close > start + 1:
            start, end = start + 1, close
        else:
            stop = _DIRECTIVE_END.search(text, start)
            end = len(text) if stop is None else stop.start()
        scheme = _WRITTEN_SCHEME.match(text, start, end) if directive.group(2) else None
        start = scheme.end() if scheme else start  # `"Bearer $API_TOKEN"` (hunt 237 F9)
        if text.startswith("/", start) and _a_path(text[start:end]):
            continue  # a file's path (`grep -q requirepass /etc/redis.conf`: hunt 237 F9; not `/Xk9+f8=`)
        if end > start and not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", label.split()[0])
    return found


# A YAML file's `name: value` line as a command writes it (`echo 'api_key: x' > config.yml`,
# `printf -- ':rubygems_api_key: x\n' > credentials`: hunt 236 F5): after a quote or printf's
# written-out `\n`, a Ruby symbol's `:` maybe; (1) the name. Its value ends at a quote, a line
# break or a written-out `\n`.
_WRITTEN_ENTRY = lazy(r"(?:(['\"])|\\n)[ \t]*(?:-[ \t]+)?:?([A-Za-z_][A-Za-z0-9_.-]{0,127})[ \t]*:[ \t]+")
_WRITTEN_VALUE_END = lazy(r"['\"\r\n]|\\n")
_OUTER_END = {"'": lazy(r"['\r\n]|\\n"), '"': lazy(r"[\"\r\n]|\\n")}
# the rest of a string to its closing quote, its line's end or a written-out `\n`, past what it
# holds of its quote: `\"` in double quotes, `'\''` (closed, escaped, opened again) in single ones
_QUOTED_REST = {
    "'": lazy(r"(?:[^'\r\n\\]|\\(?!n)|'\\'')*"),
    '"': lazy(r'(?:[^"\r\n\\]|\\[^n\r\n]|\\(?![^\r\n]))*'),  # (a `\` before a line's end too)
}
_JOINED_END = lazy(r"[\r\n'\"]")  # (blanks and all, as echo writes its words: hunt 240 F4)
# a shell word's pieces one after another: a quoted string (to its close, or its line's end), an
# escaped character, plain characters, the blanks between words, a `#` (a comment after blanks)
_SHELL_PIECE = lazy(r"""'[^'\n]*'?|"(?:[^"\\\n]|\\.)*"?|\\.|[^\s'"\\;&|<>()#]+|[ \t]+|#""")


_OUTSIDE_QUOTES_MARK = lazy(r"['\"\\\n]")
_QUOTES_END = {"'": lazy(r"['\n]"), '"': lazy(r"[\"\\\n]")}


class _ShellQuotes:
    """The shell's quoting at places asked in order: "" outside quotes, `'` or `"` inside such a
    string, `\\` for an escaped character. A backslash escapes outside quotes and in `"..."`; each
    line starts outside (a quote left open, an apostrophe in prose, does not run on). Each
    character read once (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.state = ""

    def at(self, place: int) -> str:
        text = self.text
        while self.pos < place:
            ends = _QUOTES_END[self.state] if self.state else _OUTSIDE_QUOTES_MARK
            mark = ends.search(text, self.pos, place)
            if mark is None:
                self.pos = place
            elif mark.group() == "\\":
                self.pos = mark.end() + 1
            elif mark.group() == "\n":
                self.state, self.pos = "", mark.end()
            else:
                self.state = "" if self.state else mark.group()
                self.pos = mark.end()
        return "\\" if self.pos > place else self.state


def _an_options_value(text: str, quote_at: int) -> bool:
    """Whether the string opening at `quote_at` is glued to an option (`-F"token: "`, `--sep="a: "`),
    not to other words the shell joins (`<<<"api_key: "x`, `$'\\n'"password: "x`,
    `${PREFIX}"password: "x`: hunts 246 F3, 248 F1); looked back over 64 characters at most."""
    at = quote_at
    while at > 0 and quote_at - at < 64 and text[at - 1] not in " \t\n'\"<>|;&()":
        at -= 1
    return at < quote_at and text[at] == "-" and (at == 0 or text[at - 1] in " \t\n")


def _joined_value(text: str, start: int, word_ends: dict[int, int]) -> tuple[int, int]:
    r"""The value in the words the shell joins at `start` to a written string, quotes and
    escapes passed over (`'x'`, `"x"y`, `x\"y`, `''x`: hunt 244 F2, F3), to the shell's next
    operator, a line's end or a comment, without the quotes around it; nothing for a reference
    (`$X`, `\"$X\"`: hunt 244 F4; in single quotes only a name in capitals; not `\$x`: hunt 246
    F4), a command's output, or a pattern the shell expands (`*)`, `[a-z]*`). `word_ends`: where
    the words read from each place passed end, so that a line of many entries is read once
    (hunt 249 F2; not cut at the next entry's quote, which may be the value's own: hunt 251 F1)."""
    if text.startswith(("*", "?", "["), start):
        return start, start  # (`S3cretPass?x` is a value: hunt 246 F2)
    pos, after_blank, passed = start, False, []
    while pos not in word_ends:
        piece = _SHELL_PIECE.match(text, pos)
        if piece is None or (after_blank and piece.group() == "#"):
            break
        passed.append(pos)
        after_blank = piece.group()[0] in " \t"
        pos = piece.end()
    pos = word_ends.get(pos, pos)
    word_ends.update(dict.fromkeys(passed, pos))
    first, end = start, pos
    while first < end and (text[first] in "'\"" or text.startswith(("\\'", '\\"'), first)):
        first += 1 if text[first] in "'\"" else 2
    while end > first and text[end - 1] in "'\"\\ \t":
        end -= 1
    single = first > start and text[first - 1] == "'" and text[first - 2 : first] != "\\'"
    if text[first:end] == "$" or _a_reference(text, first, end, single_quoted=single):
        return start, start  # (a `$'` with nothing in it)
    return first, end


def _a_reference(text: str, start: int, end: int, *, single_quoted: bool) -> bool:
    """Whether text[start:end], joined to a written string, is no literal: a value the shell puts
    there (`$X`, `` `cmd` ``), or in single quotes a name written as it is for later (`'$API_KEY'`,
    `'${API_KEY}'`, in capitals: hunt 241 F5; not `'$uperS3cret'`: hunt 242 F2)."""
    if single_quoted:
        return _ENV_REFERENCE.fullmatch(text, start, end) is not None or is_reference(text[start:end])
    # not bash's quoting `$'x'`, `$"x"`, which writes its text (hunt 254 F2), unless it holds
    # escapes only, written around one (`$'\\''"$API_KEY"`, `$'\\n'`: hunt 257 F6)
    while (escapes := _BASH_ESCAPES.match(text, start)) is not None:
        start = escapes.end()
        if start >= end or text.startswith('"$', start):
            return True
    if text.startswith(("$'", '$"'), start):
        return False
    return text.startswith(("$", "`"), start)


# bash's quoting of escapes alone, `$'\\n'`, `$'\\''`
_BASH_ESCAPES = lazy(r"\$'(?:\\[^\n])+'|\$\"(?:\\[^\n])+\"")


_WRITTEN_SCHEME = lazy(r"(?i:basic|bearer|token)(?:[ \t]+|$)")
# what writes text out: echo, printf, tee, a here-string, a redirection to a file (`> f`, `>>
# ~/x`; not a comparison, `> 3`, nor `=>`, `->`, `>=`: hunt 239 F3)
_REDIRECTION = r"(?<![=<>-])>>?(?![=>])[ \t]*(?=[A-Za-z_./~$\"'])"
_WRITES = lazy(rf"(?<![\w-])(?:echo|printf|tee)(?![\w-])|<<<|{_REDIRECTION}")
# where a statement of a shell line ends: `;`, `&&`, `||`, a line break
_STATEMENT_END = lazy(r"[;\n]|&&|\|\|")
_LINE_WRITES = lazy(rf"\|[ \t]*(?:sudo[ \t]+)?tee(?![\w-])|<<<|{_REDIRECTION}")


def _written_entry_parts(text: str) -> list[Part]:
    """The values of the secret `name: value` lines written out (_WRITTEN_ENTRY): in printf's
    format after a written-out `\n`, or in quotes that echo or printf writes or that a `>` sends
    to a file (not a log's or a print's message, `logger.info("api_key: loaded")`: hunt 237 F10);
    indented, a list's item, the value maybe quoted (hunt 237 F4); not a note's prose (`'Password:
    must be at least 8 characters'`). Each value read once (linear)."""
    found: list[Part] = []
    pos = 0
    written = _WrittenOut(text)
    quotes = _ShellQuotes(text)
    word_ends: dict[int, int] = {}  # (_joined_value's)
    # the last string read to its close, per quote: (start, end). An entry's value starts after a
    # blank, where reading from the string's start passed too, so it closes there as well: each
    # string read once (hunt 257 F1: a line of `'\\''`-joined entries was quadratic)
    strings: dict[str, tuple[int, int]] = {}
    inside = -1  # where a joined value read as prose ends: the secret entries inside it are read too
    while (entry := _WRITTEN_ENTRY.search(text, pos)) is not None:
        start = pos = entry.end()
        name = entry.group(2)
        if not _pasted_secret_name(name):
            continue
        inner, outer = text[start : start + 1], entry.group(1)
        runs_on = False  # a value that may hold later entries: joined words, a string's escaped quotes
        if outer and inner in ("'", '"') and inner != outer and text.startswith(outer, start + 1):
            # the shell's way to write a quote around what it joins (`"password: '"$X"'"`): a
            # reference, or a literal to its next quote (blanks and all, as echo writes its words:
            # hunts 238 F6, 239 F2, 240 F4)
            start += 2
            joined = text[start : start + 1]
            if joined in ("'", '"'):  # `"api_key: '"'x'"'"`
                start += 1
            stop = _JOINED_END.search(text, start)
            end = len(text) if stop is None else stop.start()
            if _a_reference(text, start, end, single_quoted=joined == "'"):
                continue
        elif outer and inner == outer:
            # the string closes at the value, and the shell joins the words after it (`"api_key:
            # ""x"`, `"password: "'x'`, `"password: "x y > f`: hunt 242 F1, F4): a value written
            # as the shell reads it, not a prompt (`sudo -p 'Password: ' -S`), a pattern (`grep
            # "api_key: "[a-z]*`), an option's value (`awk -F"token: "'{...}'`: hunt 244 F5)
            state = quotes.at(entry.start())
            if state == outer:  # it closes a string (`echo "user: admin" password: "x"`: hunts 247 F1, 248 F2)
                start, end = _joined_value(text, start, word_ends)  # the name's value: the word after it
            elif _an_options_value(text, entry.start()) or text[start + 1 : start + 2] in ("", " ", "\t"):
                continue
            else:
                start, end = _joined_value(text, start + 1, word_ends)
            if end <= start:
                continue
            runs_on = True
        elif text.startswith(('\\"', "\\'"), start):
            # in escaped quotes (`"password: \"x\""`: hunt 246 F5), to the same escaped quote on its line
            if text.startswith(("$", "`"), start + 2):
                continue  # `"password: \"$DB_PASSWORD\""`: a reference (hunt 244 F4)
            line_end = text.find("\n", start)
            close = text.find(text[start : start + 2], start + 2, len(text) if line_end < 0 else line_end)
            start += 2
            end = close if close >= 0 else (len(text) if line_end < 0 else line_end)
        else:
            outer_close = text.find(outer, start) if outer else -1
            close = text.find(inner, start + 1) if inner in ("'", '"') and inner != outer else -1
            if close > start and (outer_close < 0 or close < outer_close):
                start, end = start + 1, close  # `'password: "x"'`
            else:
                # to the quote that opened the string, not one of the other kind (`'api_key:
                # abc"def'`: hunt 239 F9), nor one the string holds (`"a\"b"`, `'a'\''b'`: hunt
                # 254 F4) when the entry's quote opens it, unescaped (`sh -c "echo \"password: x\" >
                # f"` ends at `\"`; in `echo "user: a" password: x` the quote closes one); after a
                # written-out `\n`, to any quote
                opens = text[entry.start() - 1 : entry.start()] != "\\" and quotes.at(entry.start()) == ""
                if outer and opens:
                    read_from, read_to = strings.get(outer, (-1, -1))
                    if not read_from <= start <= read_to:
                        rest = _QUOTED_REST[outer].match(text, start)  # (it matches the empty text too)
                        read_from, read_to = strings[outer] = start, rest.end() if rest else start
                    end = read_to
                    runs_on = True
                else:
                    stop = (_WRITTEN_VALUE_END if not outer else _OUTER_END[outer]).search(text, start)
                    end = len(text) if stop is None else stop.start()
        pos = max(pos, end)
        if entry.group(1) and not written.at(entry.start()):
            if runs_on:
                pos = start  # an entry inside it may be in a later statement that writes (`|| tee f`)
            continue
        scheme = _WRITTEN_SCHEME.match(text, start, end)  # a header's (`"Authorization: Bearer x"`)
        start = scheme.end() if scheme else start
        # inside a joined value read as prose, judged as if it stood alone: to the next secret
        # entry in it (`echo "password: "is not set "token: "x > f`), so each piece is read once
        judged_end = _next_secret_entry(text, start, end) if entry.start() < inside else end
        judged = text[start:judged_end].rstrip(" \t")
        if not judged or _says_nothing_secret(name, judged) or is_doc_placeholder(judged):
            if runs_on and entry.start() >= inside:
                inside, pos = end, start  # joined words run on over later entries: read those too
            elif judged_end < end:
                pos = judged_end
            continue
        value = text[start:end].rstrip(" \t")  # all of it, as the shell joins it
        if text.startswith("\\$", start):
            # an escaped `$` writes itself (`\$uperS3cret`: hunt 254 F3), but to a shell run inside
            # the string (`sh -c "echo \\"password: \\$DB_PASSWORD\\" > f"`) a name in capitals is
            # its reference, as in single quotes, and `\$(cat f)` its command's output (hunt 257 F5)
            name_span = start + 1, start + len(value.rstrip("\\"))
            if not (text.startswith("\\$(", start) or _a_reference(text, *name_span, single_quoted=True)):
                found += literal_parts(text, start, start + len(value), "assignment", name)
        elif not not_an_option_value(text, start, start + len(value)):
            found += literal_parts(text, start, start + len(value), "assignment", name)
    return found


def _next_secret_entry(text: str, start: int, end: int) -> int:
    """Where the next written entry under a secret's name starts in text[start:end] (`end` if none)."""
    while (later := _WRITTEN_ENTRY.search(text, start, end)) is not None:
        if _pasted_secret_name(later.group(2)):
            return later.start()
        start = later.end()
    return end


class _WrittenOut:
    """Whether a quoted string is written out: its statement runs echo, printf or tee, a
    here-string or a redirection (`tee f <<< 'api_key: x'`, `printf '%s\\n' 'a: b' | sudo tee
    f`: hunt 238 F3), or its line has a redirection, tee or here-string (a `;` inside a quoted
    program, `python3 -c "print('a: b'); ..." > f`: hunt 240 F2); not a log's or a print's
    message (hunt 237 F10), nor one after another statement's echo (`echo "go"; logger "token:
    ok"`: hunt 239 F3). Asked in order, each statement and line read once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.statement_end, self.statement_writes = -1, False
        self.line_end, self.line_writes = -1, False

    def at(self, quote_at: int) -> bool:
        text = self.text
        if quote_at > self.statement_end:
            start = quote_at
            while start > 0 and text[start - 1] not in ";\n" and text[start - 2 : start] not in ("&&", "||"):
                start -= 1  # (back to the last statement's end at most)
            end = _STATEMENT_END.search(text, quote_at)
            self.statement_end = len(text) if end is None else end.start()
            self.statement_writes = _WRITES.search(text, start, self.statement_end) is not None
        if quote_at > self.line_end:
            line_start = text.rfind("\n", 0, quote_at) + 1
            line_end = text.find("\n", quote_at)
            self.line_end = len(text) if line_end < 0 else line_end
            self.line_writes = _LINE_WRITES.search(text, line_start, self.line_end) is not None
        return self.statement_writes or self.line_writes


# what reads the environment in a program's settings (Python, Node, PHP, Ruby, Java, Deno, Vite...):
# the one list the assigned and the keyed reads start from (_ENV_READ reads each whole)
_ENV_READS = (
    *("os.environ", "os.getenv(", "getenv(", "process.env.", "env(", "ENV[", "ENV.fetch(", "System.getenv("),
    *("Deno.env.get(", "import.meta.env.", "process.env?.", "Bun.env.", "Environment.GetEnvironmentVariable("),
    *("process.env[", "import.meta.env[", "Bun.env["),
    *("$_ENV[", "$_SERVER[", "config("),  # (python-decouple's `config('K', default='x')`)
    *("os.Getenv(", "env::var(", "std::env::var("),  # (Go's, Rust's)
    *("System.Environment.GetEnvironmentVariable(", "decouple.config("),
)
# a Terraform expression naming a value: a variable, a local, a module's or a resource's attribute
_HCL_ROOTS = ("var.", "local.", "module.", "data.", "each.", "self.", "random_", "tls_private_key.")
_HCL_REFERENCE = lazy(
    r"(?:var|local|module|data|each|self|random_(?:password|string|id|bytes)|tls_private_key)"
    r"\.[A-Za-z_][A-Za-z0-9_.\[\]-]{0,255}(?![^\s,;)}\]])"
)


# what the search for a statement's end passes: a string (to its closing quote on its line, a
# backslash escaping one character), and what it stops at: a `;`, a comment (a blank, then `#` or
# `//`: `#or "x"`, hunt 241 F4; not one a quote or a bracket closes right after, `" #"`), a line
# break. A `;` or ` #` inside a string ends nothing (`CHOICES[" #"]`, `" #{y}"`, `split(';')`:
# hunts 240 F5, 242 F3, 244 F7, 246 F6)
_CODE_MARK = lazy(r"[\"'`]|[ \t](?:#|//)(?![\"'`\])])|[;\n]")
_STRING_REST = {quote: lazy(rf"(?:[^{quote}\\\n]|\\.)*{quote}") for quote in "\"'`"}
# the rest of a string opened by an escaped quote (`\\"`, in a quoted program) to the same
_ESCAPED_STRING_REST = {quote: lazy(rf"(?:[^\\\n{quote}]|\\[^{quote}\n])*\\{quote}") for quote in "\"'`"}


def _string_end(text: str, quote_at: int, unclosed: dict[str, int]) -> int:
    """Where the string opened by the quote at `quote_at` ends (past its closing quote), or just
    past the quote when nothing closes it on its line. Once a quote closes nothing on a line, no
    later quote of its kind there does (each is escaped, read as the first was): `unclosed` keeps
    that line's end per quote, so none is looked for again (hunt 254 F6: quadratic on a line of
    `"\\"\\"\\...`)."""
    quote = text[quote_at]
    if unclosed.get(quote, -1) < quote_at:
        string = _STRING_REST[quote].match(text, quote_at + 1)
        if string is not None:
            return string.end()
        line_end = text.find("\n", quote_at + 1)
        unclosed[quote] = len(text) if line_end < 0 else line_end
    return quote_at + 1


def _statement_end(text: str, pos: int) -> int:
    """Where the statement of the code at `pos` ends (_CODE_MARK), or the text's end. A quote that
    no other closes on its line closes a string around the code (`python3 -c "...getenv('K')" #
    note`: hunt 244 F6), and the search goes on past it (_string_end)."""
    unclosed: dict[str, int] = {}
    while (mark := _CODE_MARK.search(text, pos)) is not None:
        if mark.group() not in _STRING_REST:
            return mark.start()  # the `;`, the comment's blank, or the line break
        pos = _string_end(text, mark.start(), unclosed)
    return len(text)


class _StatementEnds:
    """Where the statement that goes on at a place ends (_statement_end; the text's end: hunt 239
    F7), looked for again only once a place is past it (linear over places in order); and how far
    fallbacks were read (`read`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = -1
        self.read = 0

    def at(self, pos: int) -> int:
        if self.end < pos:
            self.end = _statement_end(self.text, pos)
        return self.end


def _fallback_parts(text: str, pos: int, name: str, statement_ends: _StatementEnds) -> list[Part]:
    """The literals given as fallbacks to the environment read at `pos` in its statement (to a
    `;`, a comment or the line's end), for the secret named `name`; what earlier reads read of
    the statement is not read again (statement_ends.read)."""
    found: list[Part] = []
    statement_end = statement_ends.at(pos)
    for fallback in _FALLBACK.finditer(text, max(pos, statement_ends.read), statement_end):
        line_end = text.find("\n", fallback.end(), statement_end + 1)  # (its line, read once)
        close = _literal_close(text, fallback.end(), fallback.group(1), len(text) if line_end < 0 else line_end)
        if close > fallback.end():
            found += literal_parts(text, fallback.end(), close, "assignment", name)
    statement_ends.read = max(statement_ends.read, statement_end)
    return found


# a method given the fallback: Java's `.orElse("x")`, Rust's `.unwrap_or("x"...)`,
# `.unwrap_or_else(|_| "x"...)`
_FALLBACK_CALLS = r"\.orElse\(|\.unwrap_or\(|\.unwrap_or_else\([ \t]*\|[^|\n]{0,64}\|"
# where a literal opens: its quote, maybe escaped in a quoted program (`\\"x\\"`), after Python's
# string prefix if any (`or f"x"`, `or r'x'`)
_LITERAL_OPENS = r"(?:[rRbBuUfF]{1,2}(?=\\?['\"]))?(\\?['\"`])"


# an object's key, set to an environment read when one of _ENV_READS follows it (`password:
# process.env.DB_PASSWORD || 'x',` on its own line of a JavaScript config: hunt 254 F8;
# `"api_key": os.getenv("K", "x")`, `password: process.env['DB_PASSWORD']`: hunt 257 F3)
_KEYED_ENV_READ = lazy(
    # a quoted key may hold `-` and `.` (`"x-api-key"`: hunt 259 F4); a bare one not, or a
    # ternary's `? process.env.X :` would be one (hunt 260 F2)
    # (and a key in escaped quotes, in a quoted program: `\\"password\\": os.getenv(...)`, hunt 264 F3)
    r"""(?<![\w.$-])(?:["']([A-Za-z_][A-Za-z0-9_.-]{0,127})["']|([A-Za-z_][A-Za-z0-9_]{0,127})"""
    r"""|\\["']([A-Za-z_][A-Za-z0-9_.-]{0,127})\\["'])[ \t]*:[ \t]*"""
    r"(?:\r?\n[ \t]*)?"  # (the read on the next line, as a formatter lays out a long one)
)
# a literal chained after a value (`|| 'x'`, `?? "x"`, `or 'x'`, a conditional's `else 'x'`), its
# quote maybe escaped in a quoted program
_CHAINED_LITERAL = lazy(
    rf"(?:\|\||\?\?|\?:|{_FALLBACK_CALLS}|(?<![A-Za-z0-9_])(?:or|else)(?=[ \t]))[ \t]*{_LITERAL_OPENS}"
)
# what ends an object's entry outside brackets and strings: `,`, `;`, a closing bracket, a line
# break, a comment (`# ...`, `// ...` after a blank, as _CODE_MARK reads one: hunt 259 F3)
_ENTRY_MARK = lazy(r"[()\[\]{},;\n\"'`]|[ \t](?:#|//)(?![\"'`\])])|(?<=[(,=:|&?!])[ \t]{0,8}/(?![/*])")
# a JavaScript regular expression where a value starts (`.replace(/"/g, '')`): its quotes are no
# strings (hunt 264 F2, and a quote paired with a later entry's); to its `/` and flags, within
# _REGEX_LITERAL_MAX characters of its line, where code goes on (not `/\\\/g, '/')` in a
# double-quoted program, whose `\\` the shell reads as one `\`, read on to the `/` of `'/'`:
# hunt 267 F3)
_REGEX_LITERAL = lazy(r"/(?:[^/\\\[\n]|\\[^\n]|\[(?:[^\]\\\n]|\\[^\n])*\])+/[A-Za-z]*(?=[\s,;.)\]}|&?:]|$)")
_REGEX_LITERAL_MAX = 256


class _OpenRead(NamedTuple):
    """A keyed read cut at a later secret key inside its own brackets (`password:
    process.env.X || get({ token: process.env.Y }) || 'x'`: hunt 264 F1): read on where that
    key's entry ends, in its call (`, 'x'` fallbacks) or in its entry (`|| 'x'`)."""

    name: str
    call: bool
    depth: int  # the brackets it has open


def _keyed_env_read_parts(text: str) -> list[Part]:
    """The fallbacks of the environment reads that set a secret-named key of an object: given in
    the read's call (`os.getenv("K", "x")`) or chained after it in its entry (`|| 'x'`, `||
    readSecret() || 'x'`), not a later entry's (`, "host": "db"`: hunt 257 F7). Each key is
    read from its own place, whatever an earlier entry was read as (hunts 262 F2, 263 F2): the
    text up to the next secret key is read for this key, and an entry cut there inside its own
    brackets is read on after that key's entry ends (_OpenRead). Each character is read for one
    key (linear)."""
    found: list[Part] = []
    unclosed: dict[str, int] = {}  # (_entry_end's, for the whole text: hunt 259 F1)
    # (where it starts, where its read starts, the secret's name): each key set to a read (_ENV_READS)
    keys = [
        (k.start(), k.end(), _key_name(k))
        for k in _KEYED_ENV_READ.finditer(text)
        if text.startswith(_ENV_READS, k.end()) and is_secret_var_name(_key_name(k))
    ]
    cut: list[_OpenRead] = []  # innermost last
    for at, (start, read_from, name) in enumerate(keys):
        stop = keys[at + 1][0] if at + 1 < len(keys) else len(text)
        pos, still_open = start, None
        read = _ENV_READ.match(text, read_from, stop)
        if read is not None:
            if text.startswith("(", read.end()):  # a call _ENV_READ does not hold: `f("db")` in it (hunt 259 F5)
                pos, still_open = _read_on(text, _OpenRead(name, True, 0), read.end() + 1, stop, unclosed, found)
            else:
                _fallbacks_in_call(text, name, read.start(), read.end(), found)
                pos, still_open = _read_on(text, _OpenRead(name, False, 0), read.end(), stop, unclosed, found)
        while still_open is None and cut:  # this key's entry ended: the ones it was inside read on
            pos, still_open = _read_on(text, cut.pop(), pos, stop, unclosed, found)
        if still_open is not None:
            cut.append(still_open)
    return found


def _key_name(keyed: re.Match[str]) -> str:
    return keyed.group(1) or keyed.group(2) or keyed.group(3)


# an environment read and the name it reads (`process.env.JWT_SECRET`, `process.env["K"]`,
# `os.environ.get("K"`, `getenv('K'`, `ENV["K"]`; python-decouple's and django-environ's
# `config("K"`, `env("K"`, hunt 277 F1)
_NAMED_ENV_READ = lazy(
    r"(?<![\w.$])(?:(?:process\.env|import\.meta\.env|Bun\.env)(?:\??\.([A-Za-z_][A-Za-z0-9_]{0,127})"
    r"|(?:\?\.)?\[[ \t]*\\?['\"`]([A-Za-z_][A-Za-z0-9_]{0,127})\\?['\"`][ \t]*\])"
    r"|(?:os\.environ\.get|os\.getenv|os\.Getenv|getenv|ENV\.fetch|System\.getenv|Deno\.env\.get"
    r"|(?:System\.)?Environment\.GetEnvironmentVariable|(?:decouple\.)?config|env(?:\.str|::var)?)"
    r"\([ \t]*\\?['\"]([A-Za-z_][A-Za-z0-9_]{0,127})\\?['\"]"
    r"|(?:os\.environ|ENV|\$_ENV|\$_SERVER)\[[ \t]*\\?['\"]([A-Za-z_][A-Za-z0-9_]{0,127})\\?['\"][ \t]*\])"
)


# a literal given right after an environment read as its fallback: `|| 'x'`, `?? 'x'`, `or 'x'`,
# `||= 'x'`, Java's `.orElse("x")`, past methods called on the read (`?.trim() || 'x'`: hunt 275
# F1), maybe on the next line as a formatter breaks a long one (hunt 277 F6); not one after a
# condition or a comparison (`? 'a'`, `else 'x'`, `is not None or 'x'`: hunt 274 F2)
_RIGHT_AFTER_READ = lazy(
    # (TypeScript's `!` first, `process.env.K! || 'x'`; a literal in brackets, `|| ('x')`)
    # (at most 32 methods: a run of them holding reads was read from each, hunt 281 F4; 8 were
    # too few, hunt 283 F2)
    r"(?:!(?!=))?(?:\??\.[A-Za-z_][A-Za-z0-9_]{0,63}\([^()\n]{0,64}\)){0,32}[ \t]*(?:\r?\n[ \t]*)?"
    rf"(?:\|\|=?|\?\?=?|\?:|(?<=[ \t\n])or(?=[ \t])|{_FALLBACK_CALLS})[ \t]*(?:\r?\n[ \t]*)?(?:\([ \t]*)?"
    rf"{_LITERAL_OPENS}"
)
# the rest of a read's call (`, "")`, `, default="x")`), and the `)` of a call or group the read is
# given to (`String(process.env.K) || 'x'`: hunt 276 F2; `str(os.getenv('K')) or 'x'`: hunt 277 F3)
_CALL_REST = lazy(r"(?:[ \t]*,[^()\n]{0,256})?[ \t]*\)")
_ONE_CLOSE = lazy(r"(?:[ \t]+as[ \t]+[A-Za-z_][A-Za-z0-9_.]{0,63})?[ \t]*\)")  # (TypeScript's `as string)`)
# Go's `cmp.Or(os.Getenv("K"), "x")`: the next argument
_NEXT_ARGUMENT = lazy(rf"[ \t]*,[ \t]*{_LITERAL_OPENS}")
# Ruby's default as a block: `ENV.fetch("K") { "x" }`, `{ |name| "x" }`
_RUBY_BLOCK = lazy(r"[ \t]*\{[ \t]*(?:\|[^|\n]{0,64}\|[ \t]*)?(['\"])")
# a ternary whose first branch is the read itself (`process.env.K ? process.env.K : 'x'`, `K !==
# undefined ? K : 'x'`, Java's `!= null ? ... : "x"`: hunt 277 F5): to that branch, then its `:`
_SAME_READ_TERNARY = lazy(r"[ \t]*(?:!==?[ \t]*(?:undefined|null|false|''|\"\")[ \t]*)?\?(?![?.:])[ \t]*")
_TERNARY_ELSE = lazy(rf"[ \t]*:[ \t]*{_LITERAL_OPENS}")
# Python's `os.getenv('K') if os.getenv('K') else 'x'` (hunt 277 F5), its condition on its line
# (to the first `else` given a literal, in its statement: not a later statement's, hunt 281 F5;
# through another conditional's, `A if A else B if B else 'x'`, hunt 283 F1)
_IF_ELSE = lazy(rf"[ \t]+if[ \t][^\n;]{{0,256}}?[ \t]else[ \t]+{_LITERAL_OPENS}")
# a literal that is compared (`|| 'demo' === mode`): no fallback (hunt 275 F2)
_COMPARED = lazy(r"[ \t]*(?:[=!]==?|(?:not[ \t]+)?in(?=[ \t]))")
# what makes a read a condition, right before it: negated (hunt 275 F2), or given to a negation or a
# boolean whose `)` closes right after it (`Boolean(process.env.K) || 'no key'`; inside one,
# `Boolean(process.env.K || 'x')`, the literal is the read's fallback: hunt 277 F4)
_NEGATIONS = ("!", "not ")
_WRAPPERS = ("!(", "not (", "Boolean(", "bool(")


def _written_before(words: tuple[str, ...], text: str, start: int) -> bool:
    """Whether one of `words` is written right before `start`: so a `!` ending the line before is
    none (hunt 276 F1), nor a word ending in `not` (`cannot `)."""
    for word in words:
        at = start - len(word)
        if at >= 0 and text.startswith(word, at):
            return word[0] == "!" or at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_.")
    return False


def _named_env_read_parts(text: str) -> list[Part]:
    """The fallbacks given right after an environment read of a secret-named variable, wherever
    it is (`jwt.sign(p, process.env.JWT_SECRET || 'x')`, `connect(os.environ.get("DB_PASSWORD")
    or "x")`: hunt 273 F2), each to its close on its line. Apart from the keyed reads, so that a
    read inside another's chain (in a template, `${process.env.X}`) cuts none (hunt 274 F1)."""
    found: list[Part] = []
    read_to = 0  # how far the chains of literals were read (_literals_after)
    for read in _NAMED_ENV_READ.finditer(text):
        if not is_secret_var_name(name := _read_name(read)) or _written_before(_NEGATIONS, text, read.start()):
            continue
        # a call's rest (`os.environ.get("K"` then `, "")`) and the literals given in it
        # (`default='x'`: hunt 277 F1); each pattern named at its `match`, as
        # tests/test_regex_worst_cases.py tries them
        pos = read.end()
        if read.group(3) is not None and (rest := _CALL_REST.match(text, pos)) is not None:
            _fallbacks_in_call(text, name, pos, rest.end(), found)
            pos = rest.end()
        whole_read = text[read.start() : pos]
        wrapped = _written_before(_WRAPPERS, text, read.start())
        if (close := _ONE_CLOSE.match(text, pos)) is not None:
            if wrapped:
                continue  # `Boolean(process.env.K) || 'no key'`: a condition
            pos = close.end()
        chained, read_to = _literals_after(text, pos, name, wrapped, read_to)
        found += chained
        if whole_read.startswith("ENV.fetch") and (block := _RUBY_BLOCK.match(text, pos)) is not None:
            found += _literal_at(text, block, name)
        if _written_before(("cmp.Or(",), text, read.start()) and (given := _NEXT_ARGUMENT.match(text, pos)):
            found += _literal_at(text, given, name)
        if (otherwise := _same_read_ternary(text, pos, whole_read)) is not None:
            found += _literal_at(text, otherwise, name)
        if (if_else := _IF_ELSE.match(text, pos)) is not None:
            found += _literal_at(text, if_else, name)
    return found


def _same_read_ternary(text: str, pos: int, read: str) -> re.Match[str] | None:
    """The `: 'x'` of a ternary at `pos` whose first branch is `read` again, its quote the last group."""
    ternary = _SAME_READ_TERNARY.match(text, pos)
    if ternary is None or not text.startswith(read, ternary.end()):
        return None
    return _TERNARY_ELSE.match(text, ternary.end() + len(read))


def _literals_after(text: str, pos: int, name: str, wrapped: bool, read_to: int) -> tuple[list[Part], int]:
    """The literals given as fallbacks after a read, from `pos`: one (`|| 'x'`), or each after the
    one before and the `)` of its group (`(process.env.K || '').trim() || 'x'`: hunt 277 F2); inside
    a negation or a boolean (`Boolean(process.env.K || 'x')`), none past its `)`. After the first,
    none where an earlier read's chain went (`read_to`, returned moved on): a chain holding reads
    would be read again from each (hunt 281 F1: quadratic)."""
    found: list[Part] = []
    first = True
    while (fallback := _RIGHT_AFTER_READ.match(text, pos)) is not None and (first or fallback.end() > read_to):
        first = False
        close = _fallback_close(text, fallback)
        if close < 0:
            break
        if close > fallback.end():  # (an empty one is read past: `|| ''`)
            found += literal_parts(text, fallback.end(), close, "assignment", name)
        pos = close + len(fallback.group(1))
        read_to = max(read_to, pos)
        if (group_close := _ONE_CLOSE.match(text, pos)) is not None:
            if wrapped:
                break
            pos = group_close.end()
    return found, read_to


def _literal_at(text: str, opened: re.Match[str], name: str) -> list[Part]:
    """The literal whose quote `opened` matched last (group 1), to its close on its line."""
    close = _fallback_close(text, opened)
    return literal_parts(text, opened.end(), close, "assignment", name) if close > opened.end() else []


def _fallback_close(text: str, opened: re.Match[str]) -> int:
    """Where the literal whose quote `opened` matched (group 1) closes on its line; -1 when it does
    not, or when it is compared (`|| 'demo' === mode`: no fallback)."""
    quote = opened.group(1)
    close = _literal_close(text, opened.end(), quote, _line_end(text, opened.end()))
    return -1 if close < opened.end() or _COMPARED.match(text, close + len(quote)) else close


def _line_end(text: str, pos: int) -> int:
    line_end = text.find("\n", pos)
    return len(text) if line_end < 0 else line_end


def _read_name(read: re.Match[str]) -> str:
    return read.group(1) or read.group(2) or read.group(3) or read.group(4)


def _read_on(
    text: str, read: _OpenRead, pos: int, stop: int, unclosed: dict[str, int], found: list[Part]
) -> tuple[int, _OpenRead | None]:
    """Reads a keyed read's call or entry from `pos`, to `stop` at the latest, adding the
    fallbacks it holds to `found`: where its entry ended, and None; or `stop` and what is still
    open when it was cut there inside its brackets."""
    end, depth = _entry_end(text, pos, stop, unclosed, read.depth, call=read.call)
    if read.call:
        _fallbacks_in_call(text, read.name, pos, end, found)
        if end == stop:  # (its `)` not met)
            return stop, read._replace(depth=depth)
        end += text.startswith(")", end)  # (past its `)`)
        return _read_on(text, _OpenRead(read.name, False, 0), end, stop, unclosed, found)
    for chained in _CHAINED_LITERAL.finditer(text, pos, end):
        # to its close before the next secret key, not before the entry's end: an entry misread
        # as ending inside the literal (a regular expression's `/\"/` paired with its quote, then
        # ` #` in it read as a comment: hunt 264 F2) still has the literal read
        close = _literal_close(text, chained.end(), chained.group(1), stop)
        if close > chained.end():
            found += literal_parts(text, chained.end(), close, "assignment", read.name)
    if end == stop and depth > 0:
        return stop, read._replace(depth=depth)
    return end, None


def _fallbacks_in_call(text: str, name: str, start: int, end: int, found: list[Part]) -> None:
    """The literals given as fallbacks in a read's call (`, 'x'`, `, default="x"`), in text[start:end]."""
    for fallback in _FALLBACK.finditer(text, start, end):
        close = _literal_close(text, fallback.end(), fallback.group(1), end)
        if close > fallback.end():
            found += literal_parts(text, fallback.end(), close, "assignment", name)


def _literal_close(text: str, start: int, quote: str, end: int) -> int:
    """Where the literal opened by `quote` before `start` closes before `end` (-1 if not): past
    the escaped quotes it holds (`'a\\'b'`: hunt 261 F3); an escaped quote (`\\"`, a quoted
    program's) closes at the same escaped quote."""
    if len(quote) == 2:
        return text.find(quote, start, end)
    string = _STRING_REST[quote].match(text, start, end)
    return string.end() - 1 if string else -1


def _entry_end(
    text: str, pos: int, stop: int, unclosed: dict[str, int], depth: int = 0, *, call: bool = False
) -> tuple[int, int]:
    """Where the object's entry going on at `pos` ends, `stop` at the latest (_ENTRY_MARK), past
    brackets and strings; with `call`, where the call whose `(` is before `pos` closes (its `,`
    end no entry), or its line. An escaped quote is a quoted program's (`or \\"\\"`: hunt 259
    F2): a string to the same escaped quote (`|| \\"a;b\\"`: hunt 260 F1), never past a bare
    quote of its kind, which would end the program (`/\\"/g" && python3 -c "...`: hunt 262 F2). A
    string that closes nothing on its line is not looked for again there (_string_end); an
    escaped one that closes nothing is read to its next quote only (linear). `depth`: the
    brackets open at `pos`; returned with the end, as they are there."""
    while pos < stop and (mark := _ENTRY_MARK.search(text, pos, stop)) is not None:
        kind = mark.group()
        pos = mark.end()
        if kind in "\"'`":
            if text[mark.start() - 1 : mark.start()] == "\\":
                string = _ESCAPED_STRING_REST[kind].match(text, pos)
                pos = string.end() if string else pos
            else:
                pos = _string_end(text, mark.start(), unclosed)
        elif kind in "([{":
            depth += 1
        elif kind in ")]}" and depth > 0:
            depth -= 1
        elif kind.lstrip(" \t") == "/":  # (not a comment's ` //`)
            # (read within a bounded stretch, so a line of `(/` that close nothing stays linear)
            regex = _REGEX_LITERAL.match(text, pos - 1, min(stop, pos - 1 + _REGEX_LITERAL_MAX))
            pos = regex.end() if regex else pos
        elif kind == "\n" or kind[0] in " \t" or (depth == 0 and (not call or kind in ")]}")):
            return mark.start(), depth
    return stop, depth


# Terraform's input variable (`variable "db_password" {`): the default of one whose name looks
# secret (`default = "x"`), in its block (to a `}` that starts a line, or the next variable)
_HCL_VARIABLE = lazy(r'(?<![\w-])variable[ \t]+"([A-Za-z_][A-Za-z0-9_-]{0,127})"[ \t]*\{')
_HCL_DEFAULT = lazy(r'(?<![\w.-])default[ \t]*=[ \t]*"')


def _hcl_variable_parts(text: str) -> list[Part]:
    """The literal defaults of Terraform's secret-named variables; each block read once (linear)."""
    found: list[Part] = []
    variables = list(_HCL_VARIABLE.finditer(text))
    for at, variable in enumerate(variables):
        following = variables[at + 1] if at + 1 < len(variables) else None
        if not is_secret_var_name(variable.group(1)):
            continue
        stop = len(text) if following is None else following.start()
        block_end = _hcl_block_end(text, variable.end(), stop)
        default = _HCL_DEFAULT.search(text, variable.end(), block_end)
        if default is None:
            continue
        string = _STRING_REST['"'].match(text, default.end())  # `\"` inside (hunt 254 F1)
        line_end = text.find("\n", default.end())
        close = string.end() - 1 if string else len(text) if line_end < 0 else line_end
        if close > default.end():
            found += literal_parts(text, default.end(), close, "assignment", variable.group(1))
    return found


# what HCL's braces are counted past: a string, a comment (`#`, `//`, `/* */`), a heredoc (`<<EOT`)
_HCL_BLOCK_MARK = lazy(r'[{}"#]|//|/\*|<<-?([A-Za-z_][A-Za-z0-9_-]{0,63})')


def _hcl_block_end(text: str, start: int, stop: int) -> int:
    """Where the block whose `{` is before `start` ends: its matching `}`, whatever the
    indentation (hunt 254 F7), past nested blocks, strings, comments and heredocs, whose braces
    are text (hunt 257 F4); `stop` if it does not end before it. Linear: a string no quote
    closes on its line is not looked for again there (_string_end; hunt 257 F2)."""
    depth = 1
    pos = start
    unclosed: dict[str, int] = {}
    while (mark := _HCL_BLOCK_MARK.search(text, pos, stop)) is not None:
        kind = mark.group()
        pos = mark.end()
        if kind == '"':
            pos = _string_end(text, mark.start(), unclosed)
        elif kind in ("#", "//"):
            line_end = text.find("\n", pos, stop)
            pos = stop if line_end < 0 else line_end
        elif kind == "/*":
            close = text.find("*/", pos, stop)
            pos = stop if close < 0 else close + 2
        elif mark.group(1):  # a heredoc: to the line that is its marker alone
            marker = re.compile(rf"\n[ \t]*{re.escape(mark.group(1))}[ \t]*(?:\r?\n|$)")
            heredoc_end = marker.search(text, pos, stop)
            pos = stop if heredoc_end is None else heredoc_end.end()
        else:
            depth += 1 if kind == "{" else -1
            if depth == 0:
                return mark.start()
    return stop


# the environment read itself, a whole name (`os.environ_x` is none): then a name, a subscript, a call
_ENV_READ = lazy(
    r"(?:os\.environ(?:\.get)?|os\.getenv|os\.Getenv|getenv|process\.env|(?:std::)?env::var|env|ENV(?:\.fetch)?|System\.getenv"
    r"|Deno\.env\.get|import\.meta\.env|Bun\.env|(?:System\.)?Environment\.GetEnvironmentVariable|\$_ENV|\$_SERVER"
    r"|(?:decouple\.)?config(?=\())"
    # (`process.env?.X`, `?.["X"]`: the environment's own optional access, not a method's later)
    r"(?:\?\.(?:[A-Za-z_][A-Za-z0-9_]{0,127}|\[[^\]\n]{0,256}\]))?"
    r"(?:\.[A-Za-z_][A-Za-z0-9_]{0,127}|\[[^\]\n]{0,256}\])*(?:\([^()\n]{0,512}\))?(?![A-Za-z0-9_])"
)
# a fallback given in the call (`, 'x'`, `, default="x"`) or after it (`|| 'x'`, `?? 'x'`, `or 'x'`,
# a conditional's `else 'x'`); its quote maybe escaped, in a program in quotes (`node -e "... ||
# \"x\""`: hunt 254 F5), then closed by the same escaped quote
_FALLBACK = lazy(
    rf"(?:,|\|\||\?\?|\?:|{_FALLBACK_CALLS}|(?<![A-Za-z0-9_])(?:or|else)(?=[ \t]))[ \t]*"
    rf"(?:default[ \t]*=[ \t]*)?{_LITERAL_OPENS}"
)


# a literal joined to a value: `+ 'x'`, PHP's `. 'x'`
_JOINED_LITERAL = lazy(rf"[ \t]*(?:\+|\.(?=[ \t]*\\?['\"]))[ \t]*{_LITERAL_OPENS}")
# a call or a group opened before a value (`str(`, `(`), in a program
_GROUP_OPEN = lazy(r"(?:[A-Za-z_][A-Za-z0-9_.]{0,63})?\(")


def _assigned_parts(text: str) -> list[Part]:
    """The values of `NAME=value` words whose NAME looks secret (see _ASSIGNED_NAME)."""
    found: list[Part] = []
    substitutions = _Substitutions(text)  # paired when first asked
    braces = _Fields(text)
    join_ends = _JoinEnds(text)
    word_end = join_ends.value
    statement_ends = _StatementEnds(text)
    # The values after a substitution read already, innermost last: the names inside a
    # substitution are read after its value (`DB_PASSWORD=$(REDIS_PASSWORD=x cmd)y`), and then
    # the value is passed over; each character is in one value at most (linear).
    handled: list[tuple[int, int]] = []
    pos = 0
    while (match := _ASSIGNED_NAME.search(text, pos)) is not None:
        while handled and match.start() >= handled[-1][1]:
            handled.pop()
        if handled and match.start() >= handled[-1][0]:
            pos = handled.pop()[1]  # inside a value read already
            continue
        name = match.group(1)
        if name[0] in "ntr" and len(name) > 1 and match.start(1) == match.start() and escaped(text, match.start()):
            name = name[1:]  # after a written-out `\n` (`printf '[s3]\nkey=x\n'`: hunt 236 F10)
        if text.startswith("-D", match.start()) and match.start(1) == match.start() + 1 and len(name) > 1:
            # a Java system property, `-Dspring.datasource.password=x`, `-DDB_PASSWORD=x` (hunts 199
            # F6, 201 F6); not `-DB_PASSWORD=x`
            property_name = name[1:]
            if name[1].islower() or (is_secret_var_name(property_name) and len(name_parts(property_name)[0]) > 1):
                name = property_name
        pos = match.end()
        if text.startswith("=", pos):
            continue  # `==`: base64's padding (`Basic dXNlcjpw==`, whose text would be the "name"), a comparison
        # Outside a list of vars, a name that is secret only by its last part (`AUTH`, `SESSION`...)
        # is more often something else: `RUST_LOG: buzz_auth=info` sets a module's log level.
        if name in _PATH_OPTIONS:  # `--from-file=key=/k`: `key` names a file's entry, `/k` its path
            pos = value_from(text, pos, WORD_STOP)[1]
            continue
        parts = name_parts(name)
        # (Ory's `SECRETS_COOKIE` is one, its term first: hunt 225 F3)
        secret = is_secret_var_name(name) and (parts[-1] not in LAST_PART_TERMS or _is_ory_secret(parts))
        # a signature after a query's or a connection string's `&`, `?` or `;` (not cosign's
        # `--signature=file.sig`: hunt 156 F13)
        joined = text[match.start() - 1 : match.start()] in ("&", "?", ";")
        # Azure's short `sig=` also at a line's start or after a blank (hunt 158 F9), when its value
        # is a signature's (base64, percent-encoded): not `--sig=app.minisig`, `sig=true` (hunt 163 F6)
        signature = (
            None
            if joined or name.lower() != "sig" or match.start(1) != match.start()
            else _SIGNATURE_VALUE.match(text, pos + (text[pos : pos + 1] in ("'", '"')))
        )
        signed = (joined and name.lower() in SIGNATURES) or signature is not None
        secret = secret or name.lower() in _SECRET_OPTIONS or signed
        if not secret and name.upper() != "PWD":
            continue
        # `PWD` is the shell's working directory, but in a connection string (`Uid=sa;Pwd=x;`,
        # its parts split by `;`) a password. Asked before its value is read, which a working
        # directory's is not (names in it are: `PWD=/app:DB_PASSWORD=x`, hunt 144 F2); each
        # word's end is known from one scan (hunt 142 F3: `PWD=x$(b)` * n was quadratic), after the
        # substitutions or the quotes the value starts with (`Pwd=$(cat /run/pw)x;Uid=sa`: hunt 145 F3)
        if not secret:
            word = pos
            if text.startswith(("$(", "`"), pos):
                word = max(pos, substitutions.after(pos))
            elif text[pos : pos + 1] in ("'", '"'):
                word = value_from(text, pos, _VALUE_STOP)[1] + 1
            before = match.start()
            while before and text[before - 1] in " \t":  # `UID=sa; PWD=x` in a connection string (hunt 162 F8)
                before -= 1
            after_semicolon = before and text[before - 1] == ";"
            if not (
                (after_semicolon and (before == match.start() or braces.connection_string(match.start())))
                or text.startswith(";", word_end.at(word))
            ):
                continue
        while text.startswith(("\\\n", "\\\r\n"), pos):
            # a value continued on the next line, after its blanks (`.properties`' `key=\`: hunts
            # 236 F6, 238 F5: each such line)
            pos = text.index("\n", pos) + 1
            while pos < len(text) and text[pos] in " \t":
                pos += 1
        if text.startswith(">", pos):  # `:password => 'x'` (Ruby's hash, PHP's array: hunt 236 F1)
            quote = pos + 1
            while quote < len(text) and text[quote] in " \t":
                quote += 1
            if text[quote : quote + 1] not in ("'", '"'):
                continue  # `token => token.id`: a function, no value
            pos = quote
        # Terraform's `password = random_password.db.result`, `var.db_password`, as HCL writes
        # it, blanks around its `=` (hunt 236 F8; not a shell's `PASSWORD=local.x`: hunt 237 F12)
        hcl = match.end(1) < len(text) and text[match.end(1)] in " \t"
        if hcl and text.startswith(_HCL_ROOTS, pos) and _HCL_REFERENCE.match(text, pos):
            continue
        grouped = False  # the read given to a call or a group: `str(os.getenv('K')) or 'x'` (hunt 277 F3)
        if (opened := _GROUP_OPEN.match(text, pos)) is not None and text.startswith(_ENV_READS, opened.end()):
            pos, grouped = opened.end(), True
        if text.startswith(_ENV_READS, pos) and (env_read := _ENV_READ.match(text, pos)) is not None:
            # the environment's value (`SECRET_KEY = os.environ.get('X', 'fallback')`, `pw =
            # process.env.X || process.env.Y || 'fallback'`): the literals given as fallbacks in
            # its statement, to a `;` or the line's end (hunt 236 F3; hunts 237 F1, F8, 238 F1)
            # (and the rest of the statement is read on: `Client(api_key=os.environ["K"],
            # api_secret="x")`, hunt 239 F1; each part of it looked through for fallbacks once)
            found += _fallback_parts(text, pos, name, statement_ends)
            # and a literal joined to it, part of the secret (`process.env.PREFIX+'x'`, PHP's
            # `$_ENV['K'].'x'`: hunt 281 F1)
            after = env_read.end()
            if grouped and (group_close := _ONE_CLOSE.match(text, after)) is not None:
                after = group_close.end()
            if (joined_literal := _JOINED_LITERAL.match(text, after)) is not None:
                found += _literal_at(text, joined_literal, name)
            continue
        if _closes_its_string(text, match.start(), pos):
            continue  # `["app", "--password=", "-v"]`: nothing set (hunt 126 F4)
        if text[pos : pos + 1] in ("'", '"') and text[match.start() - 1 : match.start()] == text[pos]:
            pos += 1  # `'--password='"x"`: the name's string closes, and the value is joined to it
        # `DB_PASSWORD=$(cat /run/pw) app`: a command's output; what follows it in its word is literal
        # (`$(date +%Y)Hunter2`: hunts 131 F2, 132 F3); one never closed (`$(Hunter2`) is literal
        tail = -1
        inside = -1  # where a substitution the value starts with starts, its names read after it
        if text.startswith(("$(", "`"), pos):
            tail = substitutions.after(pos)
        elif text.startswith("\\$(", pos):  # an inner shell's, escaped in `sh -c "..."`
            tail = substitutions.after(pos + 1)
        if tail > 0:  # its end, not value_from's first blank, which read on through its every word
            if text.startswith(")", tail):  # a subshell's `)`: `(export X=$(cat f))`
                continue
            # `$(date)Pa)ss9`: all of `Pa)ss9` (hunt 136 F1); in a substitution, to its `)`
            inside, pos, stop = pos, tail, substitutions.enclosing_end(tail, word_end.at(tail))
        else:
            if text.startswith(("$'", '$"'), pos):  # bash's `$'x y'` and `$"x y"`, quoted (hunts 189 F2, 191 F6)
                pos += 1
            if text[pos : pos + 1] in ("'", '"', "\\"):  # quoted: `PGPASSWORD='x y' psql`, `\\"x\\"` in JSON
                opener = "" if text[pos] == "\\" else text[pos]
                pos, stop = value_from(text, pos, _VALUE_STOP)
            elif text.startswith("{", pos) and (close := braces.end(pos)) > 0:
                opener, stop = "", close  # ODBC's and JDBC's quoting of a value with `;`: `Pwd={a;b}` (hunt 154 F5)
            elif ";" in text and not text.startswith(("${", "$("), pos) and braces.connection_string(pos):  # `Pwd=a b;`
                opener = ""
                # to its `;`, or its piece's end: a line's, a quoted string's (hunt 163 F5)
                stop = text.find(";", pos, braces.piece[1])
                stop = braces.piece[1] if stop < 0 else stop
                while stop > pos and text[stop - 1] in " \t":
                    stop -= 1
            else:  # `$(DB_PASSWORD=x)/health`: x, as in value_from but for a substitution's `)`
                opener = text[match.start() - 1 : match.start()]  # `"DB_PASSWORD=x"`: its string's
                # `DB_PASSWORD=<% DB_PASSWORD %>`: a template's blanks are in it, not the word's end
                template = TEMPLATE_AT.match(text, pos)
                stop = substitutions.enclosing_end(pos, word_end.at(template.end() if template else pos))
            stop = _joined_end(text, stop, opener, join_ends)
            if text.startswith(("$(", "`"), pos) and text[pos - 1 : pos] in ("'", '"'):  # `"$(date)x"`
                tail = substitutions.after(pos)
                if tail > 0 and tail >= stop:
                    continue
                if tail > 0:
                    inside, pos = pos, tail
            # `--password=$MYSQL_PWD`: a shell's reference, by the upper-case name references have
            # (a password may start with `$`: `Pwd=$uperS3cret9`, `JAVA_OPTS: -Dpassword=$x`, where
            # no shell expands it), not in single quotes
            elif _ENV_REFERENCE.fullmatch(text, pos, stop) is not None and not text.startswith("'", pos - 1):
                continue
        if signature is not None:  # the signature's own characters: not `</T>` after it
            stop = min(stop, signature.end())
        if handled:  # inside a substitution read already: the value ends before its `)`
            stop = max(pos, min(stop, handled[-1][0] - 1))
        written = text[pos:stop]
        # `--must-change-password=false`, `.env`'s `REDIS_PASSWORD=null`; a placeholder, `KEY=VALUE`
        if is_switch_or_null(written) or is_doc_placeholder(written.strip(" \t\"'")):
            pos = stop
            continue
        found += literal_parts(text, pos, stop, "assignment", name)
        # The next name starts after this value (`PASSWORD=PASSWORD=...` is one value), or inside
        # the substitution it follows
        if inside >= 0:
            handled.append((pos, stop))
            pos = inside
        else:
            pos = stop
    return found


class _Fields:
    """A connection string's fields (`Server=db;Uid=sa;Pwd={a;b};`), for _assigned_parts: where a
    value in braces ends (ODBC's and JDBC's quoting: a doubled `}}` is one inside it), and whether
    a value is in such a string, whose values run to their `;`, blanks and all (ADO.NET's). Each
    line is searched for an unclosed brace once, each piece judged once (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.unclosed: dict[int, int] = {}  # a line's end -> from where no brace value closes on it
        self.line = (0, -1)  # the last line looked at: its start and its end
        self.piece = (0, -1)  # the last piece found a connection string: its start and its end
        self.quoted_line: tuple[int, int, list[int]] = (0, -1, [])  # the last line's bounds, its `"`s
        self.verdicts: dict[tuple[int, int], bool] = {}  # the pieces of that line judged

    def end(self, pos: int) -> int:
        """Past the `}` that closes the brace at text[pos], on its line; -1 when none does."""
        text = self.text
        if not self.line[0] <= pos < self.line[1]:  # each line's end found once (hunt 156 F3: at each `{`)
            line_end = _URL_LINE_END.search(text, pos)
            self.line = (pos, line_end.start() if line_end else len(text))
        limit = self.line[1]
        if pos >= self.unclosed.get(limit, limit + 1):
            return -1
        at = pos + 1
        while (at := text.find("}", at, limit)) >= 0:
            if not text.startswith("}}", at) or at + 2 > limit:
                return at + 1
            at += 2
        self.unclosed[limit] = min(pos, self.unclosed.get(limit, pos))
        return -1

    def connection_string(self, pos: int) -> bool:
        """Whether the piece of the text around `pos` is `;`-separated `Key=value` fields, two or
        more, one naming a server or a database (not a shell's `PWD=/app:X=1 app; PWD=/srv ...`).
        The piece is the string in `"` that `pos` is in by the count of `"` before it on its line
        (a JSON string, an option's quoted value: `--conn "Server=db;...;Password=x" --verbose`),
        else its whole line (`User Id="sa";Password=a b`, `Password=Xy7"k`: hunt 163 F2); failing
        that, what lies between the `"`s around it (an escaped `\\"`, a string opened on the line
        before: hunt 164 F2). `piece` is where the one judged so ends. Asked in order of `pos`:
        each line's quotes are found once, each piece judged once (linear: hunt 164 F3)."""
        for start, end in self.pieces_at(pos):
            if self.verdicts.get((start, end)) is None:
                piece = self.text[start:end].rstrip("\\")  # `\"Server=...;\"` in a JSON string
                fields = [field for field in piece.split(";") if field.strip()]
                self.verdicts[(start, end)] = (
                    len(fields) >= 2
                    and all(_FIELD.match(field) for field in fields)
                    and _OPTION_WORD.search(piece) is None
                    and any(field.partition("=")[0].strip().lower() in _CONNECTION_KEYS for field in fields)
                    and not _runs_a_command(piece, fields)
                )
            if self.verdicts[(start, end)]:
                self.piece = (start, end - (self.text[end - 1 : end] == "\\"))
                return True
        return False

    def pieces_at(self, pos: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """The two pieces of the text around `pos` that connection_string judges."""
        text = self.text
        start, end, quotes = self.quoted_line
        if end < pos:
            start = end + 1 if end >= 0 else 0
            while (line_end := _URL_LINE_END.search(text, start)) is not None and line_end.start() < pos:
                start = line_end.end()
            end = line_end.start() if line_end else len(text)
            quotes = []
            at = text.find('"', start, end)
            while at >= 0:
                quotes.append(at)
                at = text.find('"', at + 1, end)
            self.quoted_line = (start, end, quotes)
            self.verdicts = {}  # (a piece never spans two lines)
        before = bisect.bisect_left(quotes, pos)
        between = (quotes[before - 1] + 1 if before else start, quotes[before] if before < len(quotes) else end)
        return (between if before % 2 else (start, end)), between


def _runs_a_command(text: str, fields: list[str]) -> bool:
    """Whether `;`-separated `NAME=value` fields are a shell's line that runs a command after the
    last one (`HOST=db; API_TOKEN=x node server.js`: hunt 159 F8, 160 F10): the text does not end
    with `;`, the last value goes on after a blank, the names are a shell's variables (one holds
    `_`, or all are capitals after a `; `), and none is a database driver's own (`SERVER`, `UID`,
    `DRIVER={...}`: hunt 162 F1, F9). A leak is worse than a command starred: `...;Password=a b c`
    and `...;PWD=a b;MULTI_STATEMENTS=1;` (hunt 160 F2) are connection strings."""
    last_value = fields[-1].partition("=")[2].strip(" \t")
    if text.rstrip(" \t").endswith(";") or (" " not in last_value and "\t" not in last_value):
        return False
    names = [field.partition("=")[0].strip(" \t") for field in fields]
    if any(name.lower() in _DRIVER_KEYS for name in names):
        return False
    capitals = all(name.isupper() and " " not in name for name in names)
    return any(_SHELL_VAR_FIELD.match(field) for field in fields) or (
        capitals and all(field.startswith((" ", "\t")) for field in fields[1:])
    )


# `User Id=`, `Trusted_Connection=` (hunt 158 F6); the text holds no option (a shell's `HOST=x;
# SECRET_KEY=${SECRET_KEY} gunicorn --bind ...`: hunt 156 F16)
_FIELD = lazy(r"[ \t]*[A-Za-z][A-Za-z0-9 _]{0,63}=")
_OPTION_WORD = lazy(r"(?<![^ \t])--?[A-Za-z]")  # a command's option (`Shop - Prod` is none: hunt 159 F3)
# a shell's `DB_PASSWORD=` (`Trusted_Connection=` is not: hunt 159 F8)
_SHELL_VAR_FIELD = lazy(r"[ \t]*[A-Z0-9]+_[A-Z0-9_]*=")
_CONNECTION_KEYS = frozenset(
    {"server", "data source", "database", "initial catalog", "host", "driver", "dsn", "address", "addr"}
    | {"accountname", "endpoint", "defaultendpointsprotocol", "blobendpoint", "user id", "uid", "username"}
)
# the keys only a connection string has (a shell's line sets `HOST`, `PORT`, `USERNAME` too)
_DRIVER_KEYS = _CONNECTION_KEYS - {"host", "address", "addr", "username"} | {"pwd"}


def _item_or_end_at(text: str, at: int) -> bool:
    """Whether what follows the `,`, `]` or `}` after a string at text[at] is what follows one in
    a JSON array or object written in a command: the next item (`-1`, `{"v": 1}`: hunt 134 F3),
    the end, or the command's own punctuation (`run(["app", "--password="])`)."""
    return text[at : at + 1] in _AFTER_AN_ARRAY or _JSON_SCALAR.match(text, at) is not None


# A whole JSON number or literal, then what ends an item: not `",5Kx9"`, a password (hunt 135 F1).
_JSON_SCALAR = lazy(r"(?:-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)(?=[\s,\]}]|$)")
_AFTER_AN_ARRAY = frozenset(["", " ", "\t", "\r", "\n", '"', "'", ",", "]", "}", "[", "{", ")", ";", "|", "&", "\\"])
# What ends a shell word's parts after a quote: an item's or a command's end; not another quote,
# which opens a part joined to it (`'xy'"ab"`: hunt 152 F5).
ENDS_A_JOIN = frozenset(_AFTER_AN_ARRAY - {"'", '"'})


class _WordEnd:
    """Where the word at a position ends (at `stop`, _VALUE_STOP by default), from one scan of the
    text when first asked: values cut short inside one word (`$(DB_PASSWORD=x)$(DB_PASSWORD=y)...`), and read right to
    left as the names inside substitutions are, would each search the word again."""

    def __init__(self, text: str, stop: re.Pattern[str] = _VALUE_STOP) -> None:
        self.text = text
        self.stop = stop
        self.stops: list[int] | None = None

    def at(self, pos: int) -> int:
        if self.stops is None:
            self.stops = [found.start() for found in self.stop.finditer(self.text)]
        index = bisect.bisect_left(self.stops, pos)
        return self.stops[index] if index < len(self.stops) else len(self.text)


class _Substitutions:
    """Where the `$(...)` and backtick substitutions of a text end: each `$(` paired with the
    `)` that closes it, and the backticks found, in one pass when first asked (so a value asked
    about again and again, `PASSWORD=$(PASSWORD=$(...`, costs no rescan of the text). Only `$(`
    opens one: a `(` in it (`$(tr -d '(' < f)`, hunt 134 F1) or a `)` outside one (a subshell's,
    `(export X=$(cat f))`) pairs with nothing."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.closing: dict[int, int] | None = None  # each `$(` that closes: where its `)` is
        self.ticks: list[int] = []
        self.closers: list[tuple[int, int]] = []  # each such `)` and its `$(`, in the text's order
        self.quotes: list[int] = []

    def end(self, pos: int) -> int:
        """Where the substitution at text[pos] ends, after its `)` (nested ones counted: `$(cat
        $(dirname $0)/pw)`, hunt 133 F2) or its closing backtick; -1 when it does not close."""
        closing = self._paired()
        if self.text[pos] == "`":
            index = bisect.bisect_right(self.ticks, pos)
            return self.ticks[index] + 1 if index < len(self.ticks) else -1
        close = closing.get(pos)
        return -1 if close is None else close + 1

    def _paired(self) -> dict[int, int]:
        """The pairs, made when first asked: in one pass, or again without the `$(` that never
        closed, which may be text whose quotes hid the rest (`grep -q '$(' f && DB_PASSWORD=$(cat
        f)x`: hunt 145 F2), and a last time with no quotes followed; at most three passes."""
        if self.closing is None:
            unclosed = self._pair(frozenset(), follow_quotes=True)
            if unclosed:
                more = self._pair(unclosed, follow_quotes=True)
                if more:
                    self._pair(unclosed | more, follow_quotes=False)
        assert self.closing is not None
        return self.closing

    def _pair(self, skipped: frozenset[int], *, follow_quotes: bool) -> frozenset[int]:
        """One pass pairing each `$(` (but those `skipped`) with its `)`; the `$(` left open."""
        self.closing, self.ticks, self.closers, self.quotes = {}, [], [], []
        opened: list[int] = []
        # each open substitution's quote: a substitution starts its own quoting, as a shell reads
        # it, and in its quotes `)` is text (`$(tr -d ')' < f)x`: hunt 144 F3), and so is an
        # escaped `\"` in its double quotes (hunt 145 F5); quotes outside substitutions are not
        # followed (`sh -c '... $(cat f)x'` runs the inner shell)
        quote: list[str] = []
        for mark in re.finditer(r"\$\(|\)|`|'|\"", self.text):
            at, what = mark.start(), mark.group()
            if what in ("'", '"'):
                self.quotes.append(at)
                if follow_quotes and opened and (quote[-1] == "'" or not escaped(self.text, at)):
                    if quote[-1] == what:
                        quote[-1] = ""
                    elif not quote[-1]:
                        quote[-1] = what
                continue
            if opened and (quote[-1] == "'" or (quote[-1] == '"' and what != "$(")):
                continue  # text in the substitution's quotes
            if what == ")" and escaped(self.text, at):
                continue  # `\)` is a `)` in the value (`Tr0ub\)4dor3`: hunt 142 F1)
            # an escaped `\$(` opens one too: an inner shell's (`sh -c "X=\$(cat f)y"`, hunt 145 F4)
            if what == "`":
                self.ticks.append(at)
            elif what == "$(":
                if at not in skipped:
                    opened.append(at)
                    quote.append("")
            elif opened:
                opener = opened.pop()
                quote.pop()
                self.closing[opener] = at
                self.closers.append((at, opener))
        return frozenset(opened)

    def enclosing_end(self, pos: int, stop: int) -> int:
        """Where the first `)` in text[pos:stop] that closes a `$(` opened before `pos` is, else
        `stop`: a value in a substitution ends with it (`$(DB_PASSWORD=x)/health`, hunt 137 F4), a
        `)` of its own does not (`Pa)ss9`), nor one after a quote in the substitution, which may be
        literal (`$(echo 'DB_PASSWORD=a)b')`). Each `)` is looked at for one value (linear)."""
        self._paired()
        index = bisect.bisect_left(self.closers, (pos, -1))
        while index < len(self.closers) and self.closers[index][0] < stop:
            close, opener = self.closers[index]
            if opener < pos:
                quote = bisect.bisect_right(self.quotes, opener)
                return close if quote == len(self.quotes) or self.quotes[quote] > close else stop
            index += 1
        return stop

    def after(self, pos: int) -> int:
        """Where the substitutions that start at text[pos] one after another end (`$(head -c 16
        /dev/urandom | base64)$(date +%s)` is one reference); -1 when the first does not close."""
        tail = self.end(pos)
        while tail > 0 and self.text.startswith(("$(", "`"), tail) and (after := self.end(tail)) > 0:
            tail = after
        return tail


class _JoinEnds:
    """What _joined_end asks of a text: where values and blank-separated words end (each from one
    scan), and, for each quote, up to where no closing one was found."""

    def __init__(self, text: str) -> None:
        self.value = _WordEnd(text)
        self.blank = _WordEnd(text, WORD_STOP)
        self.unclosed: dict[str, int] = {}


def _joined_end(text: str, stop: int, opener: str, ends: _JoinEnds) -> int:
    """Where a value that ends at a quote, text[stop], ends: a shell joins what the quote opens,
    and what follows the quote that closes the name's string (`opener`), to the word
    (`DB_PASSWORD=Hun"ter2"`, `'--password=x'y`, `'xy'"ab"`: all a password), unless the quote
    ends an item or the command (`["DB_PASSWORD=x", "-v"]`, `sh -c "DB_PASSWORD=x" app`). An
    escaped quote is one the word holds (`Pa\\"ss`). A part is joined only when it closes before
    the next blank: a quote left open would join the next secret's quotes to this value, and show
    what follows them (hunt 149 F1). Each word is searched for a closing quote once (linear:
    hunt 149 F2)."""
    unjoined = stop  # where the value ends if the part at text[stop] is not joined
    while text[stop : stop + 1] in ("'", '"') and text[stop + 1 : stop + 2] not in ENDS_A_JOIN:
        quote = text[stop]
        if quote == opener:  # closes the name's string: the word goes on unquoted, or in a part
            opener = ""
            if text[stop + 1] in ("'", '"'):  # `'xy'"ab"`, or `'x'"` closing a string around it
                unjoined, stop = stop, stop + 1
            else:
                unjoined = stop = ends.value.at(stop + 1)
            continue
        if escaped(text, stop):
            unjoined = stop = ends.value.at(stop + 1)
            continue
        blank = ends.blank.at(stop + 1)
        if stop < ends.unclosed.get(quote, -1):
            return unjoined  # no closing quote before this word's blank: searched already
        close = text.find(quote, stop + 1, blank)
        while close > 0 and quote == '"' and escaped(text, close):
            close = text.find(quote, close + 1, blank)
        if close < 0:
            ends.unclosed[quote] = blank
            return unjoined
        unjoined = stop = ends.value.at(close + 1)
    return unjoined


def _is_shell_reference(text: str, start: int, stop: int) -> bool:
    """Whether text[start:stop] is all one thing a shell puts in its place: `$DB_PASS` (a name in
    capitals, as environment variables have), `$(cat /run/pw)` or `` `cat pw` ``, nested or one
    after another (`$(cat $(dirname $0)/pw)`), paired as _assigned_parts pairs them. Not a value
    that only starts like one: `` `Hunter2 `` or `$(date)Hunter2` are literal (hunt 130 F1)."""
    if _ENV_REFERENCE.fullmatch(text, start, stop) is not None:
        return True
    return text.startswith(("$(", "`"), start) and _Substitutions(text[start:stop]).after(0) == stop - start


def _closes_its_string(text: str, name_start: int, pos: int) -> bool:
    """Whether the quote at `pos`, right after a `NAME=`, closes the string the name is in, so the
    name is given nothing: at the text's end; before a `,`, `]` or `}` that the next item or the
    array's end follows (`["app --password=", "-v"]`: hunt 128 F6; not `",Hunter2"`); or before a
    blank when the same quote opens the name's word (`"DB_PASSWORD=" run`). A quote that a
    character follows joins it to the value, as the shell joins them: `'--password='"x"` and
    `"DB_PASSWORD="x` set x (hunt 128 F1)."""
    quote, after = text[pos : pos + 1], text[pos + 1 : pos + 2]
    if quote not in ("'", '"'):
        return False
    if after in (",", "]", "}"):  # `",Hunter2"`, `"]!x"` are values (hunts 131 F1, 133 F1); `"])` ends
        return _item_or_end_at(text, pos + 2)
    opened_the_word = text[name_start - 1 : name_start] == quote
    return after == "" or (after in (" ", "\t", "\r", "\n") and opened_the_word)


# --- commands ------------------------------------------------------------------------------------
# What a command list's items (above) and a command written as one string (commands.py) share.

# The programs whose `-p` takes the password attached (`mysql -ppw`, `sshpass -ppw`).
ATTACHED_PASSWORD_PROGRAMS = ("mysql", "mariadb", "sshpass")

_KEY_SEGMENTS = lazy(r"[/:.]")  # `//registry.npmjs.org/:_authToken`, `credential.token`
# A config command's options whose value is the next word (`git config --file f KEY`,
# `aws configure set --profile p KEY`).
CONFIG_OPTIONS = frozenset(
    {"-f", "--file", "--blob", "--type", "--comment", "--profile", "--location", "--userconfig", "--kubeconfig"}
)


# Config keys whose value is a file's path, named like a secret all the same: git's
# `http.sslKey` (and `http.<url>.sslKey`, `http.proxySSLKey`), kubectl's `users.me.client-key`.
# As a var named `..._FILE` holds a path, the name decides, not the value's look.
_FILE_KEYS = frozenset({"sslkey", "proxysslkey", "client-key"})
# ... and kubectl's key that holds the key itself (base64), though `DATA` names no secret
_KEY_DATA = "client-key-data"


def is_secret_config_key(key: str) -> bool:
    """A config key named like a secret, whole or by its last segment (`x.token`, `.../:_authToken`);
    not one that names a file (_FILE_KEYS)."""
    last = _KEY_SEGMENTS.split(key)[-1]
    if last.lower() == _KEY_DATA:
        return True
    return last.lower() not in _FILE_KEYS and (is_secret_var_name(key) or is_secret_var_name(last))


# Programs whose short option takes a password as its next word: redis-cli's `-a`, `-p` of
# sshpass and of MongoDB's tools, and `-p` of a registry login (`docker login -u me -p pw`, also
# `helm registry login`); `-P` of sqlcmd, zip and unzip, `-w` of the OpenLDAP tools, smbclient's
# `-U user%password` (what follows the `%`), and mysqladmin's `password` command (its new one).
# Only inside that program's own command: elsewhere `-p` is a port (`docker run -p 80:80`) and
# `-a` anything. (mysql's `-p pw` asks for a password and names the database `pw`; its attached
# `-ppw` is _attached_parts'.)
PASSWORD_OPTIONS = {
    "redis-cli": "-a",
    "sshpass": "-p",
    "mongo": "-p",
    "mongosh": "-p",
    "mongodump": "-p",
    "mongorestore": "-p",
    "mongoexport": "-p",
    "mongoimport": "-p",
    "login": "-p",
    "sqlcmd": "-P",
    "zip": "-P",
    "unzip": "-P",
    "ldapsearch": "-w",
    "ldapadd": "-w",
    "ldapmodify": "-w",
    "ldapdelete": "-w",
    "ldapwhoami": "-w",
    "ldappasswd": "-w",
    "smbclient": "-U",
    "mysqladmin": "password",
    # hunt 154 F9
    "mosquitto_sub": "-P",
    "mosquitto_pub": "-P",
    "mosquitto_rr": "-P",
    "cqlsh": "-p",
    "lftp": "-u",  # `-u user,password`
    # hunt 199 F5: InfluxDB 2's `influx setup -p`, ssh-keygen's new passphrase, Caddy's `hash-password`
    "influx": "-p",
    "ssh-keygen": "-N",
    "caddy": "--plaintext",
    # hunt 203 F4: `openssl enc -k PASSWORD`, `rabbitmqadmin -u admin -p PASSWORD`
    "openssl": "-k",
    "rabbitmqadmin": "-p",
    # hunt 226 F5: twine's `-p` (its `--password`), Neo4j's shell, SQL Server's bcp and mssql-cli
    "twine": "-p",
    "cypher-shell": "-p",
    "bcp": "-P",
    "mssql-cli": "-P",
    "doppler": "-t",  # its `--token` (hunt 237 F2)
}
# a second password a program takes: ldappasswd's new one (`-s NEW`), beside its `-w` (hunt 203
# F4); influx's token (`-t`, its `--token`: hunt 226 F5)
MORE_PASSWORD_OPTIONS = {"ldappasswd": ("-s",), "influx": ("-t",)}
# `login` and its `-p`: registries' and Azure's (`az login --service-principal -u id -p x`,
# `az acr login -n reg -u id -p x`: `acr` is read as `helm registry`'s `registry` is)
# (and OpenShift's `oc login -p`, Cloud Foundry's `cf login -p`: hunt 188 F5)
LOGIN_PROGRAMS = frozenset(
    {"docker", "podman", "buildah", "skopeo", "nerdctl", "oras", "registry", "az", "acr", "oc", "cf"}
)


def assignment_sign(text: str) -> int:
    """Where `NAME=value` (compose's list form) or `NAME: value` (a mapping written as a quoted
    string) puts its sign, when NAME is a secret var's name; else -1."""
    equals, colon = text.find("="), text.find(":")
    # a colon after a plain name only: not `${DB_PASSWORD:-x}`, whose default is judged as a default
    colon_first = colon > 0 and (equals < 0 or colon < equals) and _VAR_NAME.fullmatch(text, 0, colon)
    sign = colon if colon_first else equals
    before = text[sign - 1 : sign]
    if sign == equals and (before in ("!", "<", ">") or (text[sign + 1 : sign + 2] == "=" and before in " \t")):
        return -1  # a comparison (`password != empty`, `password == x`: hunt 179 F6), not `NAME==x` (hunt 181 F8)
    name = text[:sign].strip()
    if sign == equals and (" " in name or "\t" in name):
        return -1  # words before an `=` are prose, no var's name (`# vars are key=value pairs`)
    return sign if sign > 0 and len(name) <= 128 and is_secret_var_name(name) else -1


_VAR_NAME = lazy(r"\s*[A-Za-z_][A-Za-z0-9_.-]{0,127}\s*")


def literal_parts(text: str, start: int, end: int, kind: str, label: str) -> list[Part]:
    """The literal parts of text[start:end] (references are not secrets), spaces trimmed."""
    piece = text[start:end]
    return [Part(start + a, start + b, kind, label) for a, b in _trimmed(literal_ranges(piece), piece)]


_INNER_COMMENT = lazy(r"[ \t]#")
_NULLS = ("~", "null", "Null", "NULL")
# what may come before a line commented out: blanks, more `#`s, a list's or a quote's mark
# (`## DB_PASSWORD: x`, `# - x`, `# * x`, `# > x`, `# 1. x`: hunt 179 F2)
_COMMENT_MARKS = lazy(r"(?:[ \t#]|[-*>](?=[ \t])|[0-9]{1,3}[.)](?=[ \t]))*")  # one way each (linear)
_BLOCK_HEADER = lazy(r"[|>][-+0-9]{0,2}[ \t]*")  # a block scalar's header, `|`, `>-`, `|2+`


def comment_secrets(text: str) -> list[tuple[int, int]]:
    """The secrets of a comment's text (after its `#`): a URL's password, a token, and the value
    of a var commented out (`# DB_PASSWORD: hunter2`, `# - DB_PASSWORD=hunter2`), which a
    diff's context lines or a code frame would show. Such a value ends where a comment would end
    it were the line uncommented (`# DB_PASSWORD: hunter2  # the old one`): each `#` after a
    space starts another piece, read the same way; the whole text is also read for what is secret
    anywhere (a token, a URL's password, `NAME=value`)."""
    found = [(p.start, p.end) for p in parts_in(text)]
    pos = 0
    while pos <= len(text):
        start = _COMMENT_MARKS.match(text, pos).end()  # type: ignore[union-attr]
        cut = _INNER_COMMENT.search(text, start)
        end = cut.start() if cut else len(text)
        if (sign := assignment_sign(text[start:end])) > 0:
            value = start + sign + 1
            while value < end and text[value] in " \t":
                value += 1
            if text[value : value + 1] in ("'", '"'):  # a ` #` in its quotes is in the value (hunt 148 F9)
                close = _closing_quote(text, value)
                if close >= end:
                    cut = _INNER_COMMENT.search(text, close)
                    end = cut.start() if cut else len(text)
            if text[value:end].rstrip(" \t") in _NULLS:
                pass  # `# api_key: ~`, `null`: none set (hunt 179 F6)
            elif _says_nothing_secret(text[start : start + sign].strip(), text[value:end]):
                pass  # `# REDIS_AUTH: "off"`, `# Password: must be at least 8 characters` (hunt 199 F1)
            elif _BLOCK_HEADER.fullmatch(text, value, end) is None:  # `# API_KEY: >-`: its lines are the value
                found += [
                    (start + p.start, start + p.end)
                    for p in literal_parts(text[start:end], sign + 1, end - start, "assignment", "")
                ]
        else:
            found += _commented_entries(text, start, end)
            if (noted := _noted_value(text, start, end)) is not None:  # `# was: DB_PASSWORD: x`
                found += [(p.start, p.end) for p in literal_parts(text, *noted, "", "")]
        pos = cut.end() if cut else len(text) + 1
    return sorted(set(found))  # (a value two readings find is one)


def _says_nothing_secret(name: str, value: str) -> bool:
    """Whether a comment's `name: value` is no secret commented out: a switch or a null, maybe
    with a note in brackets of words after it (`# auth: none (public API)`); or, under a name no
    var has (`Password`, `Token`, `auth`), words of prose only, two or more with a little word of
    English among them (`must be at least 8 characters`; not `correct horse battery staple`,
    `see Zq9d8`, `s3cr3t is the old one`: hunt 201 F2)."""
    words = value.split()
    if not words or not all(_prose_token(word) for word in words[1:]):
        return False
    if is_switch_or_null(words[0]) and (len(words) == 1 or words[1].startswith("(")):
        return True
    var_like = "_" in name or "." in name or name.isupper() or (name[:1].islower() and not name.islower())
    prose = len(words) >= 2 and _a_word(words[0])
    return not var_like and prose and any(word.lower().strip(".,;:()") in _LITTLE_WORDS for word in words)


def _prose_token(word: str) -> bool:
    """Whether a word of a note may be prose: letters (an apostrophe, hyphens inside), a number
    or a range (`8-64`), or four characters at most (`24h`, `v2`); not a longer mix of letters
    and digits (`Zq9d8`, `Hk3vLq29z`: hunt 201 F2; hunt 202 F6)."""
    bare = word.strip("(\"'").rstrip(".,;:!?)\"'").replace("'", "").replace("\u2019", "")
    if not bare or len(bare) <= 4 or all(piece.isalpha() for piece in bare.split("-")):
        return True
    return all(char.isdigit() or char in "-./:%" for char in bare)


# the words prose cannot do without, which a passphrase seldom holds
_LITTLE_WORDS = frozenset(
    {"a", "an", "the", "be", "is", "are", "was", "at", "on", "in", "of", "for", "to", "with", "by", "from", "must"}
    | {"should", "will", "can", "see", "not", "if", "or", "your", "you", "this", "it", "least", "when", "here"}
)


def _closing_quote(text: str, opening: int) -> int:
    """Where the quote that closes the one at text[opening] is in a comment, else -1: YAML's `''`
    in single quotes and `\"` in double quotes are no end (hunt 149 F5)."""
    quote = text[opening]
    close = text.find(quote, opening + 1)
    while close > 0 and (text.startswith("''", close) if quote == "'" else escaped(text, close)):
        close = text.find(quote, close + (2 if quote == "'" else 1))
    return close


def _noted_value(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the value of a var commented out after other words is in text[start:end] (`was:
    DB_PASSWORD: x`, `old DB_PASSWORD: x`, a directive's note): one word that ends the piece,
    after `NAME:` (prose goes on after a word). Read from the end, by a few searches back."""
    stop = end
    while stop > start and text[stop - 1] in " \t":
        stop -= 1
    word = max(text.rfind(" ", start, stop), text.rfind("\t", start, stop)) + 1
    colon = word - 1
    while colon > start and text[colon] in " \t":
        colon -= 1
    if word <= start or colon <= start or text[colon] != ":":
        return None
    name = max(text.rfind(" ", start, colon), text.rfind("\t", start, colon)) + 1
    if name <= start or assignment_sign(text[name : colon + 1]) <= 0:  # (the first word's: read above)
        return None
    # A var's name (`DB_PASSWORD`, `PGPASSWORD`, `db.password`, `apiKey`) holds any value, as in
    # `# DB_PASSWORD: x` (hunts 183 F3, 187 F1); after a note's colon, any name holds a value
    # that is no lower-case word of prose (`# was: password: Sesame`; not `# TODO: password:
    # change.`: hunt 184 F1). Any other secret name (`Token`, `X-Api-Key`, `the admin password`)
    # holds only a value that looks like one, no word of prose (`# Rotate the GitHub Token:
    # monthly`, `(optional)`, `N/A`, `self-hosted`: hunts 181 F1, 185 F1, 187 F4), reference,
    # placeholder or URL (`# curl -H X-Api-Key: $API_KEY`, `<your-token>`: hunt 187 F5).
    key, value = text[name:colon], text[word:stop]
    if "_" in key or "." in key or key.isupper() or (key[:1].islower() and not key.islower()):
        return word, stop
    prose = _PROSE_WORD.fullmatch(value) is not None
    if text[start:name].rstrip(" \t").endswith(":"):
        return None if prose and value.islower() else (word, stop)
    return None if prose or _NO_SECRET_WORD.fullmatch(value) else (word, stop)


# a word of prose, maybe in brackets or quotes, maybe ending a sentence: a word in lower case,
# capitalised or in capitals (`monthly`, `Rotate`, `TBD`), two joined by a hyphen (`bi-weekly`),
# a product's name after one digit (`1Password`), `N/A`, `e.g.`; not a passphrase's words joined
# (`correct-horse-battery`, `Summer.Time`) nor digits and letters (`2024Summer`: hunt 190 F2)
_PROSE_WORD = lazy(
    r"""[("']?(?:[A-Za-z][a-z]*(?:-[a-z]+)?|[A-Z]+|[0-9]?[A-Z][a-z]+|[Nn]/[Aa]|e\.g|i\.e|etc)[.,;:!?)"']{0,3}"""
)
# a shell's reference in capitals or braces, a template's, a placeholder, a URL (its password is
# found as any URL's); not `$uperS3cret` nor `%Passw0rd%` (hunt 190 F1)
_NO_SECRET_WORD = lazy(
    r"\$[A-Z_][A-Z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}|<[^<>\s]*>|\{\{[^{}]*\}\}|%[A-Z_][A-Z0-9_]*%|https?://\S*"
)


_SECRETS_KEYS = ("secrets:", "- secrets:")
_SECRETS_FLOW = lazy(r"(?<![A-Za-z0-9_])[\"']?secrets[\"']?[ \t]*:[ \t]*\[")  # `secrets: [{...}]`
# a flow item's `data` in a `# secrets:` list commented out, and where its value ends
_FLOW_DATA = lazy(r"[{,][ \t]*[\"']?data[\"']?[ \t]*:[ \t]*")
_FLOW_VALUE_END = lazy(r"[,}]|\$\{|\{\{")
_FLOW_VALUE_PLAIN_END = lazy(r"[,}]")


def _flow_data_values(text: str) -> list[tuple[int, int]]:
    """Where the `data` values of the flow items in a comment's text are: to the next `,` or
    `}`, or in their quotes (`data: "a,b"`: hunt 181 F4); a `data` inside the value before it is
    part of that value (`{data: {data: ...` without an end: hunt 181 F3), so each character is
    looked at once."""
    found: list[tuple[int, int]] = []
    end = -1
    for data in _FLOW_DATA.finditer(text):
        at = data.end()
        if at <= end:
            continue  # inside the value before it, starred with it
        if text[at : at + 1] in ("'", '"'):
            close = _closing_quote(text, at)  # (a `""` value is empty: hunt 183 F2; escapes: 184 F3)
            end = len(text) if close < 0 else close + 1
            found.append((at, end))
            continue
        if end < at:
            end = _flow_value_end(text, at)
            found.append((at, end))  # (a later `data` before the same end is inside this value)
    return found


def _flow_value_end(text: str, at: int) -> int:
    """Where a plain flow value from text[at] ends: at a `,` or `}`, past the braces of a
    reference or a template in it (`${TLS_CERT}`, `{{ .Values.pw }}`: hunt 198 F2)."""
    while (stop := _FLOW_VALUE_END.search(text, at)) is not None and stop.group() in ("${", "{{"):
        close = text.find("}" if stop.group() == "${" else "}}", stop.end())
        if close < 0:  # not closed: a `,` or `}` ends the value as in any other
            plain = _FLOW_VALUE_PLAIN_END.search(text, stop.end())
            return plain.start() if plain else len(text)
        at = close + (1 if stop.group() == "${" else 2)
    return stop.start() if stop else len(text)


def flow_close(text: str, at: int, depth: int) -> tuple[int, int]:
    """Reads a comment's text from `at` with `depth` flow brackets open, quotes skipped (`data:
    "a]b"`: hunt 190 F3): just after the bracket that closes the last, and 0; else the text's
    end and the depth still open. Each character once."""
    while at < len(text):
        char = text[at]
        if char in "'\"":
            close = _closing_quote(text, at)
            if close < 0:
                return len(text), depth
            at = close
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                return at + 1, 0
        at += 1
    return len(text), depth


def _flow_list_data(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
    """The `data` values of a commented secrets list's flow items in text[start:end] (a docs
    comment's placeholder or reference is none: `data: <base64>`, `$(cat cert.pem)`: hunt 190
    F5), and whether the last `data:` ends the text, its value below."""
    values = [(a, min(b, end)) for a, b in _flow_data_values(text) if start < a <= end]
    pending = bool(values) and end == len(text) and not text[values[-1][0] : end].strip()  # (blanks after: hunt 191 F9)
    return [(a, b) for a, b in values if b > a and not _no_data_written(text[a:b].strip(" \t\"'"))], pending


def _unquoted(value: str) -> str:
    """A value written in quotes, without them (`"${TLS_CERT}"`: its text, as YAML reads it)."""
    return value[1:-1] if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0] else value


def _data_shown(value: str) -> bool:
    """A commented secrets item's `data:` value a frame shows: no literal (_no_data_written), and
    a placeholder only of words (shown_placeholder: not `<Zq9x>`, which may be the data itself)."""
    return _no_data_written(value) and (not is_doc_placeholder(value) or shown_placeholder(value))


def _no_data_written(value: str) -> bool:
    """Nothing, a null, or what is_literal_secret calls no literal (a reference, a placeholder),
    a command's output (`$(cat f)`), a template holding no literal (`{{ .Values.tls }}`)."""
    substitution = value.startswith("$(") and value.endswith(")")
    written = value not in _NULLS and value.lower() not in ("", "none") and not substitution
    return not (written and is_literal_secret(value) and not _only_templates(value))


def _file_data_at(text: str) -> int:
    """Where the value of a comment's `data: x` (or `- data: x`) starts in its text (its end when
    the value is below it), else -1."""
    at = len(text) - len(text.lstrip(" \t"))
    if text.startswith("- ", at):
        at = len(text) - len(text[at + 2 :].lstrip(" \t"))
    if not text.startswith("data", at):
        return -1
    colon = len(text) - len(text[at + 4 :].lstrip(" \t"))
    if not text.startswith(":", colon) or text[colon + 1 : colon + 2] not in (" ", "\t", ""):
        return -1
    return len(text) - len(text[colon + 1 :].lstrip(" \t"))


def _secrets_item_lines(doc: Document) -> "_Ranges":
    """The lines of a document's `secrets` items (`- name: x` / `data: y`), from one pass over
    its positions."""
    lists: dict[Any, bool] = {}  # whether a list's key is `secrets`: each key judged once

    def in_secrets(path: tuple[Any, ...]) -> bool:
        # a misspelt `secret:` too, whose live items are read as secrets items (hunt 179 F4); the
        # list's own lines too, between its items (`# - {name: x, data: y}`: hunt 181 F4)
        if path and isinstance(path[-1], str):
            key = path[-1]  # the list itself
        elif len(path) >= 2 and isinstance(path[-1], int):
            key = path[-2]  # one of its items
        else:
            return False
        if key not in lists:
            lists[key] = isinstance(key, str) and is_secrets_key(key)
        return lists[key]

    return _Ranges(
        (located.value.line, located.value.end_line + 1) for path, located in doc.positions.items() if in_secrets(path)
    )


def _indent_width(text: str) -> tuple[int, int]:
    """How far a comment's text is indented: in characters, and with a tab to the next multiple
    of 8 columns. A line is deeper than a key by either (`#\tx` under `# data: |`, `#   x` under
    `#\tdata: |`: hunts 163 F7, 164 F8): mixed tabs and blanks are read to star more, not less."""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    return len(indent), len(indent.expandtabs(8))


def commented_block(text: str) -> int:
    """When a comment's text (after its `#`) is a secret's key whose value would go on in the
    lines under it were the line uncommented (`# API_KEY: >-`, `# DB_PASSWORD:`), the key's
    column in the text: the comment lines after it whose text is indented more are its value.
    Else -1. Read by hand, each character once."""
    column = len(text) - len(text.lstrip(" \t"))
    cut = _INNER_COMMENT.search(text, column)  # `# DB_PASSWORD: | # rotated` (hunt 179 F1)
    rest = text[column : cut.start() if cut else len(text)].rstrip(" \t")
    if rest.startswith("- "):
        rest = rest[2:]
    end = len(rest)
    while end and rest[end - 1] in "-+0123456789":  # a block scalar's header: `|`, `>-`, `|2+`
        end -= 1
    if not (end and rest[end - 1] in "|>"):
        end = len(rest) + 1  # no header: the value is a mapping or a plain scalar below
    body = rest[: end - 1].rstrip(" \t")
    for _ in range(2) if not body.endswith(":") else ():  # an anchor, a tag (`# API_KEY: &old |`)
        word = max(body.rfind(" "), body.rfind("\t"))
        if word > 0 and body[word + 1 : word + 2] in ("&", "!"):
            body = body[:word].rstrip(" \t")
    if not body.endswith(":"):
        return -1
    name = body[:-1].strip(" \t\"'")
    return column if len(name) <= 128 and _VAR_NAME.fullmatch(name) and is_secret_var_name(name) else -1


def _commented_entries(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The secret values of text[start:end], a piece of a comment that is no `NAME: value`: a
    quoted key (`"DB_PASSWORD": x`), a quoted item (`"API_KEY: x"`), or a flow mapping's or
    list's entries (`vars: {API_TOKEN: x}`). The piece is read once or twice."""
    if text.startswith(('"', "'"), start):
        close = text.find(text[start], start + 1, end)
        if close < 0:
            return []
        after = close + 1
        while after < end and text[after] in " \t":
            after += 1
        if after < end and text[after] == ":":  # a quoted key
            name = text[start + 1 : close]
            if len(name) > 128 or not is_secret_var_name(name):
                return []
            return [(a, b) for a, b, _, _ in literal_parts(text, after + 1, end, "assignment", name)]
        inner = text[start + 1 : close]  # a quoted item, as a list of vars holds one
        sign = assignment_sign(inner)
        parts = literal_parts(inner, sign + 1, len(inner), "assignment", "") if sign > 0 else []
        return [(start + 1 + p.start, start + 1 + p.end) for p in parts]
    # a flow mapping or list (`vars: ["JWT_SECRET: x"]`, `- {name: DB_PASSWORD, value: x}`: hunt 148 F3)
    flow = _FLOW_START.search(text, start, end)
    if flow is None:
        return []
    return [(flow.start() + p.start, flow.start() + p.end) for p in entry_parts(text[flow.start() : end])]


_FLOW_START = lazy(r"[{\[]")


def _trimmed(ranges: Iterable[tuple[int, int]], text: str) -> Iterator[tuple[int, int]]:
    for start, end in ranges:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


def _pem_end(text: str, start: int) -> int:
    """Where the key material that starts at `start` ends: its END line, or the end of the text."""
    end = text.find("-----END ", start)
    return len(text) if end < 0 else end


# --- where secrets sit in the data ------------------------------------------------------------------
# A walk from the root keeps one state per node; `_step` gives a child's state from its parent's.
# ITEM: an item of a list (other than registryLogin's and secrets'), where `NAME=value` sets a
# var: in a list of vars, under a misspelt `varz:`, in a command (`PGPASSWORD=x psql`).
# VARS: the value of `vars` (or `env`...): a string there sets a var as an item does
# (`vars: DB_PASSWORD:x`, a mapping written without its space); its entries read as PLAIN's.
# PAIRED: the `value: x` part of a var item written in square brackets, `- [name: DB_PASSWORD,
# value: x]` (YAML's one-pair mappings), whose other part names a secret: its value is one.
PLAIN, ITEM, LOGIN, FILES, FILE, VARS, PAIRED = range(7)  # containers that change how keys read
NAME, LOGIN_VALUE, FILE_VALUE = range(7, 10)  # a secret value, and everything inside it
_ASSIGNS = (ITEM, VARS)  # where a string `NAME=value` or `NAME: value` sets a var
WHOLE = (NAME, LOGIN_VALUE, FILE_VALUE)
KIND = {NAME: "name", LOGIN_VALUE: "login", FILE_VALUE: "file"}
# A scalar where a container was expected is a secret too: `registryLogin: ghp_...`.
_SCALAR_SECRET = {LOGIN: LOGIN_VALUE, FILES: FILE_VALUE, FILE: FILE_VALUE}
# The fields of a registry login and of a secrets item that are no secret, in any case and
# spelling `_fold` reads as one (`userName`, `mount_path`: misspelt, but still no secret).
_LOGIN_PUBLIC = frozenset({"registry", "username"})
_FILE_PUBLIC = frozenset({"name", "mountpath", "filename"})


def is_public_field(container: str, key: str) -> bool:
    """Whether `key` in a registry login (`container` "login") or a secrets item ("file") holds
    no secret."""
    return _fold(key) in (_LOGIN_PUBLIC if container == "login" else _FILE_PUBLIC)


# Keys a user means as vars (`vars` misspelt): what names a var in messages, and where a file
# that does not parse has `NAME=value` items (unparsed.py).
VARS_KEYS = frozenset({"vars", "env", "environment", "envs", "variables", "envvars", "envvariables"})


def _fold(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


_ITEM_STATE = {LOGIN: LOGIN, FILES: FILE}
_VALUE_KEY = -1  # `value`: secret when its item's `key` or `name` is


def _step(state: int, parent: Any, key: Any) -> int:
    """The state of `parent[key]`, in a parent of state `state`."""
    if state >= NAME:
        return state
    if not isinstance(key, str):  # a list item
        if state not in _ITEM_STATE and follows_secret_flag(parent, key):
            return NAME  # `["app", "--password", "hunter2"]`
        if state == ITEM and (paired := _pairs_a_secret(parent, key)) is not None:
            return paired
        return _ITEM_STATE.get(state, ITEM)
    if state == LOGIN:
        return PLAIN if is_public_field("login", key) else LOGIN_VALUE
    if state in (FILES, FILE):
        return PLAIN if is_public_field("file", key) else FILE_VALUE
    if state == PAIRED:
        return NAME if is_value_key(key) else PLAIN
    found = _key_state(key)
    if found == NAME and _fold(key) == "pat" and state != VARS and _is_pod_path(parent, key):
        return PLAIN  # `pat: /api`: a pod's `path` misspelt (NX102 says so), not a personal access token
    if found == FILES and state == VARS and isinstance(parent, dict) and not isinstance(parent.get(key), (dict, list)):
        return PLAIN  # a var called `SECRETS` (hunt 148 F8), not `secrets:` and its items indented under vars
    if found == _VALUE_KEY:
        if parent is None and _fold(key) in _VALUE_WORDS:
            return PLAIN  # `data:` beside a merge key's copy: only `value` itself is hidden unseen
        return NAME if _names_a_secret(parent) else PLAIN
    if state == ITEM and _names_its_item(parent, key):
        # read as a list's item is (`- key: DB_PASSWORD hunter2`: its value after the blank)
        return ITEM
    return found


def _is_pod_path(parent: Any, key: str) -> bool:
    """Whether parent[key], outside vars, is a route of a pod: a mapping with a pod's keys, or
    only a pod's name in lower case beside it (`- name: worker` / `pat: /jobs`: hunt 153 F13);
    not a var's value (`PAT: /9j4kQ...==`, a token in base64: hunt 152 F1), nor beside an
    application's or a var item's name (hunt 156 F7)."""
    if not (isinstance(parent, dict) and str(parent.get(key)).startswith("/")):
        return False
    name = parent.get("name")
    named_only = set(parent) == {"name", key} and isinstance(name, str) and name.islower()
    return named_only or not _POD_KEYS.isdisjoint(parent)


_POD_KEYS = frozenset({"image", "servicePorts", "vars", "volumes", "secrets", "command", "entrypoint"})


def _pairs_a_secret(pair: Any, index: int) -> int | None:
    """The state of pair[index] when it is the value of a var item written as a list (hunt 148
    F1): NAME for a name's value, `- [API_KEY, x]` (a note may follow it: `- [API_KEY, x,
    rotate monthly]`), PAIRED for the `value: x` of `{key, value}` in square brackets, `- [name:
    DB_PASSWORD, value: x]`, which YAML reads as one-pair mappings; else None."""
    # unknown (a repeated key's copy: None, or a shorter list: hunt 153 F6); a pair, maybe a note
    # with it: a longer list is no item (each read once)
    if not isinstance(pair, list) or len(pair) > 4 or index >= len(pair):
        return None
    item = pair[index]
    if isinstance(item, dict):
        named = any(isinstance(other, dict) and not _has_value_key(other) and _names_a_secret(other) for other in pair)
        return PAIRED if named and _has_value_key(item) else None
    if len(pair) in (2, 3) and index == 1 and isinstance(pair[0], str) and is_secret_var_name(pair[0]):
        return NAME
    return None


def _names_its_item(item: Any, key: str) -> bool:
    """Whether `item[key]` names a var item's var, as item_name reads it: a string under one of
    ITEM_NAME_KEYS in any case (`- Key: LOG_LEVEL` is no var called KEY), whatever else the item
    holds (`description:` too: hunt 88 F2), with or without a `value` (hunt 84 F3); not `name`
    in a pod, a volume or a port, known by their other keys (`name: token service` is no var
    TOKEN: hunt 85 F4). Never `env`: an `env:` string holds vars, its `NAME value` read as a vars
    string's (hunts 85 F1, 91 F1, 96 F1). True when the item is not known (a repeated key's
    earlier copy: hunt 88 F1), as for a `value`."""
    word = key.lower()
    if word not in ITEM_NAME_KEYS or word == "env":
        return False
    if not isinstance(item, dict):
        return item is None
    # `key`, `id`...: a var's name whatever else the item holds (hunt 92 F2)
    named_thing = word == "name" and any(other in _NAMED_THING_KEYS for other in item)
    return isinstance(item.get(key), str) and not named_thing


# Keys of the list items that have a `name` of their own, not a var's: a pod, a volume, a port.
_NAMED_THING_KEYS = frozenset(
    {"image", "path", "servicePorts", "vars", "volumes", "secrets", "size", "mountPath", "port", "targetPort"}
)


def _merged_into(path: DataPath) -> DataPath:
    """The data's path of what `path` writes: a mapping merged by `<<` (written under `<<`, or
    `<<` and its index in a list of them) is in the data of the mapping it is merged into."""
    if MERGE_KEY not in path:
        return path
    return tuple(part for index, part in enumerate(path) if not _is_merge_part(path, index))


def _is_merge_part(path: DataPath, index: int) -> bool:
    """Whether path[index] is a merge key `<<`, or the index after one (`<<: [*a, *b]`)."""
    part = path[index]
    return part == MERGE_KEY or (index > 0 and path[index - 1] == MERGE_KEY and isinstance(part, int))


def _judged_by_parent(key: Any) -> bool:
    """Whether _step needs the parent to judge `parent[key]`."""
    return isinstance(key, int) or is_value_key(key) or key.lower() in ITEM_NAME_KEYS


def _has_value_key(item: Any) -> bool:
    return isinstance(item, dict) and any(isinstance(key, str) and is_value_key(key) for key in item)


@functools.lru_cache(maxsize=4096)  # asked for every key of every document; keys repeat
def _key_state(key: str) -> int:
    """What a key makes of its value outside registryLogin and secrets items."""
    if _is_secret_key(key):
        return NAME
    if is_value_key(key):
        return _VALUE_KEY
    folded = _fold(key)
    # `regsitryLogin`, as NX102 reads it (hunt 148 F7); difflib only for a key with one of its halves
    if (folded.startswith("reg") or "login" in folded) and _misspells(folded, "registrylogin", 0.85):
        return LOGIN
    if is_secrets_key(key):
        return FILES
    return VARS if folded in VARS_KEYS else PLAIN


# Other words a var item may give its value under (`- name: DB_PASSWORD` / `data: x`).
_VALUE_WORDS = frozenset({"data", "default", "defaultvalue", "content", "contents", "text", "string", "v"})


def is_value_key(key: str) -> bool:
    """`value`, a key that misspells it (`Value`, `valeu`, `val`: the schema's fixes rename them
    `value`) or another word for it (_VALUE_WORDS): in an item whose `key` or `name` looks
    secret, its value is the secret. Not `valueFrom` (Kubernetes' reference to a secret, which
    holds none). Its letters in another order too: `valeus`, which NX101's fix renames `value`,
    was shown (hunt 129 F5); not as far as the schema's did-you-mean, which takes `volume`."""
    folded = key.lower()
    return (
        key == "value"
        or _misspells(folded, "value", 0.75)
        or (len(folded) in (5, 6) and "".join(sorted(folded)) in _VALUE_LETTERS)
        or _fold(key) in _VALUE_WORDS
    )


_VALUE_LETTERS = frozenset({"aeluv", "aelsuv"})  # `value` and `values`, their letters sorted


def is_secrets_key(key: str) -> bool:
    """`secrets`, in any case, or a key that misspells it (`secrtes`, NX102 renames it); closer
    than the schema's did-you-mean (0.7), which would take `servers` or `sectors` too."""
    return key == "secrets" or _misspells(_fold(key), "secrets", 0.85)


def _misspells(word: str, meant: str, cutoff: float) -> bool:
    """Whether `word` is `meant` or close to it: difflib's ratio, 2 * common / (both lengths),
    which only a word of about `meant`'s length can reach (the rest is not compared)."""
    if word == meant:
        return True
    size = len(meant)
    # 2 * min(n, size) / (n + size) >= cutoff bounds the length n
    if not size * cutoff / (2 - cutoff) <= len(word) <= size * (2 - cutoff) / cutoff:
        return False
    from nexlayer_lint.suggest import closest  # keys are asked once each (_key_state's cache)

    return closest(word, (meant,), cutoff) is not None


# The keys that name a var item's var, in the order item_name prefers them: the documented `key`,
# Kubernetes' `name`, and what else users write for it (`- var: DB_PASSWORD` / `value: x`).
ITEM_NAME_KEYS = ("key", "name", "var", "variable", "id", "env")


def _names_a_secret(item: Any) -> bool:
    """`{key: DB_PASSWORD, value: ...}` or `{name: API_KEY, value: ...}` (or another of
    ITEM_NAME_KEYS), the keys in any case (`Name:`, as a misspelt `Value:` is read); True when
    unknown."""
    if item is None:
        return True  # no data to look at: hiding a harmless value costs less than printing a password
    return isinstance(item, dict) and any(
        is_name_key(key) and is_secret_var_name(value) for key, value in item.items() if isinstance(key, str)
    )


@functools.lru_cache(maxsize=1024)
def is_name_key(key: str) -> bool:
    """One of ITEM_NAME_KEYS in any case, or `key` or `name` misspelt as NX101 reads them (`ky`,
    `nmae`: its fix renames them, and `--diff` read them so: hunt 188 F1)."""
    word = key.lower()
    return (
        word in ITEM_NAME_KEYS
        or _misspells(word, "key", 0.75)
        or _misspells(word, "name", 0.75)
        or "".join(sorted(word)) in ("eky", "aemn")
    )


def item_name(item: Any) -> Any:
    """The var an item names: its first of ITEM_NAME_KEYS, in any case; None if none."""
    if not isinstance(item, dict):
        return None
    for wanted in ITEM_NAME_KEYS:
        if wanted in item:
            return item[wanted]
        found = next((value for key, value in item.items() if isinstance(key, str) and key.lower() == wanted), None)
        if found is not None:
            return found
    return None


class Secret(NamedTuple):
    """One secret of a document's data: the value at `path` (start is None), or the part
    value[start:end] of the string there."""

    path: DataPath
    kind: str  # "name", "login", "file" (a whole value), or a Part's kind
    label: str  # the key, parameter or placeholder name, or the token's kind
    start: int | None = None
    end: int | None = None


_SWITCHES = frozenset({"true", "false", "yes", "no", "on", "off", "none", "enabled", "disabled", "enable", "disable"})


# A file's absolute path under a directory of the Linux tree or one a container mounts files in
# (base64 has `/` too: `/k8Jd+93hQ/x...` is a key, hunt 44 F1). Each step starts with the `/` its
# class lacks: no backtracking.
_FILE_PATH = lazy(
    r"/(?:etc|var|run|opt|usr|home|srv|tmp|mnt|app|data|secrets|certs|config|root|workspace)(?:/[A-Za-z0-9._@-]+)+"
)


def is_switch_or_null(text: str) -> bool:
    """Whether a value written in a string after a secret's name or option, maybe quoted, is a
    switch or a null: it says whether the secret is set (hunt 199 F2)."""
    bare = text.strip(" \t\"'")
    return bare.lower() in _SWITCHES or bare in _NULLS


def says_where_or_whether(value: object) -> bool:
    """A switch (`BASIC_AUTH: false`, `REDIS_AUTH: "off"`) or a file's absolute path (`SSL_KEY:
    /etc/ssl/tls.key`, `GOOGLE_APPLICATION_CREDENTIALS`): under a secret's name, it says where or
    whether the secret is, and is none (hunt 41 F5). Nor is an SSH public key (hunt 236 F9)."""
    if isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text.lower() in _SWITCHES:
        return True
    if text.startswith(("ssh-", "ecdsa-", "sk-")) and is_ssh_public_key(text):
        return True
    return text[:1] == "/" and _FILE_PATH.fullmatch(text) is not None


def find_secrets(data: Any, keys: list[Secret] | None = None) -> list[Secret]:
    """Every secret in `data`, in document order; with `keys`, also the secrets inside mapping
    keys (a pasted `ghp_...: x`) appended there, each at the path of its entry with offsets into
    the key."""
    return _secrets_under((), data, PLAIN, None, keys)


def _secrets_under(
    path: DataPath, data: Any, state: int, parent: Any, keys: list[Secret] | None = None
) -> list[Secret]:
    """The secrets in `data`, found at `path` in a state `state`, inside `parent`, in document order."""
    found: list[Secret] = []
    stack: list[tuple[DataPath, Any, int, Any]] = [(path, data, state, parent)]
    entrypoint_labels: dict[DataPath, str] = {}  # command list items named by an entrypoint's option
    # command lists whose items (of those places) are read after their program: _attached_programs
    list_programs: dict[DataPath, dict[int, str]] = {}
    list_parts: dict[DataPath, dict[int, list[Part]]] = {}  # command lists read as one line: _joined_parts
    scripts: set[DataPath] = set()  # the first item of a list given to a shell's `-c`
    while stack:
        path, node, state, parent = stack.pop()
        if state < NAME and not isinstance(node, (dict, list)):
            state = _SCALAR_SECRET.get(state, state)
        if state >= NAME:
            if state != NAME or not says_where_or_whether(node):
                label = entrypoint_labels.get(path) if entrypoint_labels else None
                found.append(Secret(path, KIND[state], label or _label(path, parent)))
                if keys is not None and isinstance(node, (dict, list)):
                    keys += _keys_of_a_whole(path, node, label or _label(path, parent))
        elif isinstance(node, (dict, list)):
            children = []
            before: list[Any] = []
            reads_items = False  # its strings are read with the others (a command list): visit each
            if isinstance(node, dict):
                pairs: Iterable[tuple[Any, Any]] = node.items()
            else:
                pairs = enumerate(node)
                before = _entrypoint_items(path, parent)  # a command list is its entrypoint's arguments
                argv = before + node if before else node
                if before and _runs_the_next(before[-1]):  # `command: [sh, -c]`, `args: ["X=y ..."]` (hunt 192 F3)
                    scripts.add(path + (0,))
                runner = _attached_programs(argv, len(before))
                if runner:  # its strings are read after its program's name (in the `str` branch)
                    list_programs[path] = runner
                joined = _joined_parts(path, node, jwts=True, before=before)
                if joined:
                    list_parts[path] = joined
                reads_items = bool(runner or joined)
            for key, value in pairs:
                # a key is in messages, paths and the payload: a secret in it is as secret as in a value
                if keys is not None and isinstance(key, str) and (in_key := _key_parts_in(key, state, node)):
                    keys += (Secret(path + (key,), p.kind, p.label, p.start, p.end) for p in in_key)
                child = _step(state, node, key)
                if before and child != NAME and _step(state, argv, len(before) + key) == NAME:
                    child = NAME  # `entrypoint: redis-cli`, `command: ["-a", x]`; the list alone still counts
                    entrypoint_labels[path + (key,)] = _label((len(before) + key,), argv)
                # the common case, a plain value with nothing that could start a secret, is not visited
                if (
                    child != PLAIN
                    or isinstance(value, (dict, list))
                    # (_hinted itself: a copy written out to save a call missed its `env` test, hunt 270 F1)
                    or (isinstance(value, str) and (_hinted(value) or _OBJECT_START.match(value)))
                    or (isinstance(value, str) and _pasted(value) and _under_vars(path))
                    or (isinstance(value, str) and _unhinted(value))  # a heredoc's `.netrc` (hunt 162 F4)...
                    or (key[:1] in "cCaA" and bool(_program_keys(node, (key,))))  # _entrypoint_of
                    or (reads_items and isinstance(value, str | int | float))
                ):
                    children.append((path + (key,), value, child, node))
            children.reverse()  # popped in document order
            stack += children
        elif isinstance(node, str):
            jwts = "eyJ" not in node or not is_published_name(_label(path, parent))
            parts = _string_parts(node, state, path, jwts, script=path in scripts or _runs_a_script(path, parent))
            program = _entrypoint_of(path, parent)
            place = path[-1] if path and isinstance(path[-1], int) else -1  # a list item's
            if list_programs and place >= 0:
                program = list_programs.get(path[:-1], {}).get(place, program)
            if program:  # and what the command alone has, should the two read it differently
                parts = _with_entrypoint(parts, program, node, jwts)
            if list_parts and place >= 0 and (line_parts := list_parts.get(path[:-1], {}).get(place)):
                parts = _with_parts(parts, line_parts)
            found.extend(Secret(path, part.kind, part.label, part.start, part.end) for part in parts)
        elif list_parts and path and isinstance(path[-1], int):  # a number given as a password, whole
            line_parts = list_parts.get(path[:-1], {}).get(path[-1])
            if line_parts:
                found.append(Secret(path, line_parts[0].kind, line_parts[0].label))
    return found


def _runs_a_script(path: DataPath, parent: Any) -> bool:
    """Whether the list item at `path` is the script a shell's `-c` (`-lc`, `-ec`) runs."""
    place = path[-1] if path else None
    if not (isinstance(place, int) and place > 0 and isinstance(parent, list)):
        return False
    return _runs_the_next(parent[place - 1])


def _runs_the_next(option: Any) -> bool:
    """A shell's `-c` (`-lc`, `-ec`): the word after it is a script."""
    return (
        isinstance(option, str)
        and 2 <= len(option) <= 5
        and option[0] == "-"
        and option[1:].isalpha()
        and option[-1] == "c"
    )


def _keys_of_a_whole(path: DataPath, node: Any, label: str) -> list[Secret]:
    """The secrets inside the keys of a mapping that is secret as a whole (the item after
    `--token` being `- ghp_...: x`), read as any key is: messages and paths quote keys (hunt 192
    F1); not its every key, which would star `name` and `image` everywhere (hunt 193 F1, F2).
    Each node once."""
    found: list[Secret] = []
    whole = (
        None  # an item after a flag written `pw: on`, which YAML reads as a mapping: its key is the value (hunt 194 F4)
    )
    if path and isinstance(path[-1], int) and isinstance(node, dict) and len(node) == 1:
        whole = next(iter(node))
        if isinstance(whole, str) and whole:
            found.append(Secret(path + (whole,), "name", label, 0, len(whole)))  # (the flag's label: hunt 195 F5)
    stack = [(path, node)]
    while stack:
        at, inner = stack.pop()
        pairs = inner.items() if isinstance(inner, dict) else enumerate(inner)
        for key, value in pairs:
            if at == path and key == whole:
                pass  # secret whole already
            elif isinstance(key, str) and (in_key := _key_parts_in(key, PLAIN, inner)):
                found += (Secret(at + (key,), part.kind, part.label, part.start, part.end) for part in in_key)
            if isinstance(value, (dict, list)):
                stack.append((at + (key,), value))
    return found


def _string_parts(text: str, state: int, path: DataPath, jwts: bool, *, script: bool = False) -> list[Part]:
    """The secrets of the string `text` at `path`, in a container of `state`: its `NAME=value`
    where a string sets a var (_ASSIGNS), else its tokens and URLs (parts_in); failing those,
    a var's name, a blank and its value (`- DB_PASSWORD hunter2`, `- key: DB_PASSWORD hunter2`,
    `vars: DB_PASSWORD hunter2`), as a key of vars reads it, under a misspelt `varz:` too (hunt
    84 F1), but not in a command (`sh -c "passwd -d root"`: hunt 83 F3). A vars string's lines
    are its entries; a string of several lines inside vars holds one var per line that starts
    one (_item_chunks); in other lists the string is one item, as a whole (hunt 95 F2: read
    line by line, prose under `annotations:` was taken for vars, hunt 92 F3). A `script` (a
    shell's `-c` item) is read as a command line: its `NAME=value` ends at a blank (hunt 188 F6)."""
    if state not in _ASSIGNS or _in_command(path):
        parts = parts_in(text, assignment=state in _ASSIGNS and not script, entries=state == VARS, jwts=jwts)
        if state == PLAIN and _pasted(text) and _under_vars(path) and not _in_command(path):
            # a var's value holding a file
            parts = _with_parts(parts, _without_public_keys(text, _pasted_yaml_parts(text)))
        return parts
    if "\n" in text and state == VARS:
        parts = parts_in(text, assignment=False, entries=True, jwts=jwts)
        if _pasted(text):  # an env list pasted under `env:` (`- name: DB_PASSWORD` / `value: x`)
            parts = _with_parts(parts, _without_public_keys(text, _pasted_yaml_parts(text)))
        return parts + _blank_lines(text, parts)
    if "\n" in text and _under_vars(path):
        return _item_chunks(text, jwts)
    return parts_in(text, assignment=True, entries=state == VARS, jwts=jwts) or blank_value_parts(text)


# a key as config files write it (Spring's flat keys run long: hunt 160 F3), or two words in title
# case (`Admin Password:`); not a sentence's (`Reset your password: visit...`, `Forgot password:`:
# hunt 158 F2, 159 F1); quoted, one word or two of any case and signs (`"db password":`,
# `"auth/password":`: hunts 160 F3, 163 F9), not a sentence (`"Forgot your password?":` in a
# translation file: hunt 162 F6)
_CONFIG_KEY = lazy(
    r"[\"']?(?:[A-Za-z0-9_.-]{1,128}|[A-Z][A-Za-z0-9_.-]{0,63} [A-Z][A-Za-z0-9_.-]{0,63})[\"']?"
    r"|\"[^\s\"?!]{1,63}(?: [^\s\"?!]{1,63})?\"|'[^\s'?!]{1,63}(?: [^\s'?!]{1,63})?'"
)


def _no_literal_value(written: str) -> bool:
    """Whether a pasted `key: value` line's value holds no literal: empty quotes, a null, a
    switch, an alias, a template (Helm's `{{ .Values.x }}`)."""
    quoted = len(written) >= 2 and written[0] == written[-1] and written[0] in ("'", '"')
    bare = written[1:-1] if quoted else written
    return (
        _only_templates(bare)
        or (quoted and not bare)
        or (not quoted and (written in _NO_TEXT or written.startswith("*")))
        or written in ("{}", "[]")  # an empty flow collection (hunt 173 F2)
    )


_PLAIN_WORD = lazy(r"[a-z][a-z_.-]{0,63}")  # a name, not a key's value (which has digits)


def _only_templates(text: str) -> bool:
    """Whether `text` is Go template actions only, blanks between them (`{{ .Values.x }}`, `{{
    include "name" . }}`), none holding a literal (_holds_literal); text between two actions is
    one (hunt 160 F5)."""
    at = 0
    while at < len(text):
        if not text.startswith("{{", at):
            return False
        close = text.find("}}", at + 2)
        if close < 0 or _holds_literal(text[at + 2 : close]):
            return False
        at = close + 2
        while at < len(text) and text[at] in " \t":
            at += 1
    return at > 0


# Go template functions whose string arguments name something (a template, a file, a key, a
# message), not a value: the first of NAMING_ONE's, every one of NAMING_ALL's
_NAMING_ONE = frozenset({"required", "include", "template", "fail", "env", "expandenv", "printf", "tpl"})
_NAMING_ALL = frozenset({"index", "lookup"})


def _holds_literal(action: str) -> bool:
    """Whether a Go template action holds a literal value: a string (`{{ "x" | b64enc }}`,
    `coalesce .a "x"`, `default "x"`: hunts 159 F2, 162 F2) or a number after `default`; not
    `""`, nor a string that names something (`required "msg"`, `include "name"`, `index .Values
    "db-password"`: hunt 160 F4)."""
    naming = 0  # the strings still naming something: 1, or -1 for all of them up to a `|` or `)`
    after_default = False
    for word in _template_words(action.replace('\\"', '"')):  # a pasted line keeps its escapes
        if word[0] in "\"`'":
            if naming == 0 and len(word) > 2:
                return True
            if naming > 0:
                naming -= 1
        elif after_default and _TEMPLATE_NUMBER.match(word):
            return True
        elif word in "|()":
            naming = 0
        elif word in _NAMING_ONE:
            naming = 1
        elif word in _NAMING_ALL:
            naming = -1
        elif naming > 0:
            naming = 0  # `printf .Values.fmt "x"`: the name is no string, so the string is a value (hunt 164 F9)
        after_default = word == "default"
    return False


def _template_words(action: str) -> Iterator[str]:
    """A Go template action's words, strings (with their quotes), `|`, `(` and `)`; each
    character read once (linear: a regular expression for its strings was quadratic on `\\"`
    runs, hunt 163 F4)."""
    at, size = 0, len(action)
    while at < size:
        char = action[at]
        if char in " \t\r\n":
            end = at + 1
        elif char == '"':
            end = at + 1
            while end < size and action[end] != '"':
                end += 2 if action[end] == "\\" else 1
            end = min(end + 1, size)
            yield action[at:end]
        elif char in "`'":
            end = action.find(char, at + 1)
            end = size if end < 0 else end + 1
            yield action[at:end]
        elif char in "|()":
            end = at + 1
            yield char
        else:
            match = _TEMPLATE_WORD.match(action, at)
            end = match.end() if match else at + 1
            yield action[at:end]
        at = end


_TEMPLATE_WORD = lazy(r"[^\s\"`'|()]+")
_TEMPLATE_NUMBER = lazy(r"-?[0-9]")


_NO_TEXT = frozenset({"null", "Null", "NULL", "~", "true", "false", "True", "False"})


def _pasted(text: str) -> bool:
    """Whether a var's value may hold a YAML file pasted in it (_pasted_yaml_parts)."""
    return "\n" in text and ":" in text


# A line of PostgreSQL's password file, `host:port:database:user:password` (a port or `*`
# second), in a text that names the file (`echo 'db:5432:shop:app:pw' > ~/.pgpass`,
# `PGPASSFILE`: hunt 226 F3). Its fields hold no `:` (but the password), so each is read once.
_PGPASS_LINE = lazy(r"(?<![^\s'\"])([^\s:'\"]+):(?:[0-9]{1,5}|\*):[^\s:'\"]+:[^\s:'\"]+:([^\s'\"]+)")


# XML settings (hunt 226 F8): an element's `key="NAME"` (or `name=`) and `value="..."` attributes
# (.NET's appSettings, NuGet's `<add key="ClearTextPassword" value="..."/>`), and an element named
# like a secret (Maven's `<password>x</password>`). A tag's text is read once, up to its `>`.
_XML_TAG = lazy(r"<[A-Za-z][\w.:-]{0,64}\s[^<>]{0,4096}>")
_XML_ATTRIBUTE = lazy(r"(?<![\w.:-])([\w.:-]{1,64})[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"<>]*)\"|'([^'<>]*)')")
# an element's text: its name maybe with a namespace's prefix (`<s:password>`) and attributes
# (`<password type="plain">`), its text maybe in CDATA (hunt 228 F2)
_XML_ELEMENT = lazy(
    r"<([A-Za-z_][\w.:-]{0,64})(?:\s[^<>]{0,1024})?>(?:<!\[CDATA\[([^\]<]{1,4096})\]\]>|([^<]{1,4096}))</\1>"
)
# .NET's `<setting name="Password" ...>` then `<value>x</value>`
_XML_VALUE_ELEMENT = lazy(r"\s*<value>([^<]{1,4096})</value>")


_KEY_ALONE = (["KEY"], ["KEYS"])  # an element `<Key>`: S3's object name, a dictionary's key (hunt 227)


def _xml_parts(text: str, names: set[int]) -> list[Part]:
    """The secrets of the XML settings in `text` (_XML_TAG, _XML_ELEMENT); where the values of the
    `key` (or `name`) attributes that name a setting start are added to `names`."""
    found: list[Part] = []
    for tag in _XML_TAG.finditer(text):
        attributes = {}
        for attribute in _XML_ATTRIBUTE.finditer(text, tag.start(), tag.end()):
            group = 2 if attribute.group(2) is not None else 3
            attributes[attribute.group(1).lower()] = attribute.span(group)
        named = attributes.get("key") or attributes.get("name")
        if named is None:
            continue
        names.add(named[0])
        value = attributes.get("value")
        if value is None and (element := _XML_VALUE_ELEMENT.match(text, tag.end())) is not None:
            value = element.span(1)  # `<setting name="Password"><value>x</value>`
        elif value is None and not text.startswith("/>", tag.end() - 2):
            close = text.find("<", tag.end())  # `<entry key="db.password">x</entry>`: its text
            value = (tag.end(), len(text) if close < 0 else close)
        name = text[named[0] : named[1]]
        if value is None:
            continue  # `<add key="x"/>`: no value
        if value[1] > value[0] and is_secret_var_name(name) and not not_an_option_value(text, *value):
            found += literal_parts(text, *value, "assignment", name)
    for element in _XML_ELEMENT.finditer(text) if "</" in text else ():
        local = element.group(1).rpartition(":")[2]
        secret = is_secret_var_name(local) and name_parts(local) not in _KEY_ALONE
        span = element.span(2) if element.group(2) is not None else element.span(3)
        if secret and not not_an_option_value(text, *span):
            found += literal_parts(text, *span, "assignment", local)
    return found


def _pgpass_parts(text: str) -> list[Part]:
    """The password of each `.pgpass` line in a text that names the file (_PGPASS_LINE), whose
    host is not digits alone (not a time, `12:30:45:00:01`)."""
    found: list[Part] = []
    for line in _PGPASS_LINE.finditer(text):
        host = line.group(1)
        if host.isdigit():
            continue
        start, end = line.span(2)
        # a password may hold blanks: in quotes it runs to their end, on a line of its own (a
        # heredoc) to the line's end (hunt 227 F9); each to the next line break at most (linear)
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        quote = text[line.start() - 1 : line.start()]
        if quote in ("'", '"'):
            close = text.find(quote, end, line_end)
            end = close if close >= 0 else end
        elif line.start() == 0 or text[line.start() - 1] == "\n":
            end = line_end
            while end > start and text[end - 1] in " \t\r":
                end -= 1  # (not a copy of the text up to it: one per line was quadratic, hunt 229 F3)
        if not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", "password")
    return found


def _unhinted(text: str) -> bool:
    """Whether `text` may hold a secret that no _HINT branch finds: a `.netrc`'s text, a `.pgpass`
    line, an XML element (`<password>x</password>`: hunt 228 F1)."""
    return _may_hold_netrc(text) or "pgpass" in text or "PGPASS" in text or "</" in text


def _may_hold_netrc(text: str) -> bool:
    """Whether a string may hold a `.netrc`'s text (_netrc_parts), in a var, a command, anywhere."""
    return "password" in text and ("machine" in text or "default" in text)


class _PastedItem:
    """An item of a list in a pasted YAML text (_pasted_yaml_parts): where its `-` is, where its
    keys start (-1 until its first key, after a lone `-`), the secret var it names, and its
    `value` written before its name."""

    def __init__(self, dash: int, column: int) -> None:
        self.dash = dash
        self.column = column
        self.named = ""
        self.waiting: list[Part] = []


def _pasted_yaml_parts(text: str) -> list[Part]:
    """The values of the `name: value` lines whose name looks secret in a var's value of several
    lines: a YAML file pasted in it (a kubeconfig's `token: x`, Spring's `password: x`), which a
    file that does not parse has starred too (hunt 154 F2), and the `value` of an item of an env
    list whose `name` looks secret (`- name: DB_PASSWORD` then `value: x`, at its column, before
    or after the name, past blank lines, comments and lists nested in the item; a list in another
    list's item, a lone `-`: hunts 169 F8, 170 F3); a block value (`password: |`) is the lines
    indented under its key; a flow collection (`- {name: ..., value: ...}`, `env: [{...}]`) is
    read as JSON is. Each line read once, the items open kept as a stack (linear). (A `.netrc`'s
    text is read in any string: parts_in.)"""
    found: list[Part] = []
    at = 0
    items: list[_PastedItem] = []  # the items open, innermost last
    block_column, block_label = -1, ""  # a secret's block value: its key's column, and its name
    block_item: _PastedItem | None = None  # the item whose `value` the block is, before its name
    below = False  # the block is the value of a key left empty (`password:`): scalars, if any
    lone_dash = -1  # the column of a lone `-` in that block, whose item is read on the lines below
    keys: list[tuple[int, str]] = []  # the keys the line is under, by their column (Ory's `secrets:`)
    for line in text.split("\n") if "\n" in text else ():
        start = len(line) - len(line.lstrip(" \t"))
        bare = line.rstrip(" \t\r")
        line_at, at = at, at + len(line) + 1
        if block_column >= 0 and below and start < len(bare) and start > block_column:
            # under an empty key, a mapping (or a list of them), a comment or nothing written is no
            # value (hunt 194 F1)
            content = bare[start:]
            entry = content[2:].lstrip(" \t") if content.startswith("- ") else content
            noted = content[:1] == "-" and content[1:2] in (" ", "\t") and content[2:].lstrip(" \t")[:1] == "#"
            if content == "-" or noted:
                lone_dash = start
                continue  # a lone `-` (maybe with a note: hunt 201 F5): its item on the lines below (hunt 197 F2)
            if content.startswith("#"):
                continue  # a comment in it (hunt 195 F1)
            if _a_mapping_line(entry):
                block_column = -1  # a mapping, or an item of a list of them (hunt 196 F6)
                if 0 <= lone_dash < start:  # the item a lone `-` above opened, read as any item (hunt 198 F1)
                    while items and (items[-1].dash >= lone_dash or items[-1].column > lone_dash):
                        items.pop()
                    items.append(_PastedItem(lone_dash, -1))
            elif _no_literal_value(content) or is_reference(content):
                lone_dash = -1
                continue  # nothing written
        if start < len(bare):
            lone_dash = -1  # (a blank line between a lone `-` and its keys: hunt 201 F5)
        if block_column >= 0 and (start >= len(bare) or start > block_column):
            if start < len(bare):  # a line of the block (blank lines in it are nothing)
                line_part = Part(line_at + start, line_at + len(bare), "assignment", block_label)
                (found if block_item is None else block_item.waiting).append(line_part)
            continue
        block_column, block_item = -1, None
        if start >= len(bare) or line.startswith("#", start):
            continue  # a blank line or a comment ends no item
        item = line.startswith("-", start) and line[start + 1 : start + 2] in ("", " ", "\t", "\r")
        if item:
            dash = start
            start = len(line) - len(line[start + 1 :].lstrip(" \t"))  # `-   password: x` (hunt 159 F1)
            while items and (items[-1].dash >= dash or items[-1].column > dash):
                items.pop()  # the items this one is no part of: its siblings, and deeper ones
            items.append(_PastedItem(dash, start if start < len(bare) else -1))
            if start >= len(bare):
                continue  # a lone `-`: its keys on the lines below
        else:
            while items and (start <= items[-1].dash or 0 <= items[-1].column > start):
                items.pop()  # the items whose keys this line is left of
            if items and items[-1].column < 0:
                items[-1].column = start
        top = items[-1] if items and items[-1].column == start else None  # the item this line is a key of
        if _flow_at(line, start):  # `- {name: DB_PASSWORD, value: x}`
            found += _shifted(entry_parts(line[start : len(bare)]), line_at + start)
            continue
        # a Ruby symbol's key, `:password: x` (`.gemrc`, Sidekiq's config: hunt 236 F5)
        symbol = line.startswith(":", start) and (
            line[start + 1 : start + 2].isalpha() or line[start + 1 : start + 2] == "_"
        )
        colon = line.find(":", start + symbol)
        key = line[start + symbol : colon].rstrip(" \t") if colon > start + symbol else ""  # `password : x` too
        name = key.strip("\"'")  # `- "name": "DB_PASSWORD"` (hunt 170 F8)
        while keys and keys[-1][0] >= start:
            keys.pop()  # (each key is pushed once and popped once: linear)
        # Ory's `secrets:` then `system:` (`cookie:`...), as its config files write its secrets
        ory = bool(keys) and keys[-1][1].lower() == "secrets" and _is_ory_secret(["SECRETS", *name_parts(name)])
        if key:
            keys.append((start, name))
        value = len(line) - len(line[colon + 1 :].lstrip(" \t")) if key else len(line)
        in_item = top is not None and is_value_key(name)
        if key and _flow_at(line, value) and not is_secret_var_name(name) and not (in_item and top and top.named):
            # `env: [{name: DB_PASSWORD, value: x}]`, `value: {"db_password": "x"}` (hunt 173 F1);
            # a secret's is starred whole (`value: {noop}pw` of `name: DB_PASSWORD`: hunt 172 F2)
            found += _shifted(entry_parts(line[value : len(bare)]), line_at + value)
            if not in_item:
                continue  # (an item's value waits for its name, should one come after it)
        var = None  # the var an item's `name` or `key` names: `key: API_KEY`, a name, shown
        if name.lower() in ITEM_NAME_KEYS:
            comment = _INNER_COMMENT.search(line, colon + 1)
            var = _NAMED_VAR.fullmatch(line[: comment.start() if comment else len(line)].rstrip("\r"), colon + 1)
            if var is not None and is_secret_var_name(var.group(2)) and top is not None:
                top.named = var.group(2)
                found += [part._replace(label=top.named) for part in top.waiting]
                top.waiting = []
        label = top.named if top is not None and top.named and in_item else name
        # a key as config files write it, no prose (`Reset your password: visit...`: hunt 158 F2)
        if (
            key
            and _CONFIG_KEY.fullmatch(key)
            and line[colon + 1 : colon + 2] in (" ", "\t", "", "\r")
            and (_pasted_secret_name(label) or in_item or ory)
            and not (var is not None and _CAPITALS_NAME.fullmatch(var.group(2)))
            # `- key: timeout`, a `secretKeyRef`'s `key: password`: a name (hunt 173 F2)
            and not (var is not None and _PLAIN_WORD.fullmatch(var.group(2)))
        ):
            comment = _INNER_COMMENT.search(line, value)
            end = len(line[: comment.start() if comment else len(line)].rstrip(" \t\r"))
            # `password: !!str`, `&pw`: a tag or an anchor, its value below, or a value written so: both
            # read (hunts 195 F3, 196 F1); `password: # note`: its value below
            words = line[value:end].split()
            properties = 0 < len(words) <= 2 and all(word[0] in "!&" for word in words)
            below = end == value or line.startswith("#", value) or properties
            # a block header after a tag or an anchor (`password: &pw |`, `!!str >-`): its lines are the value
            header = len(words) >= 2 and all(word[0] in "!&" for word in words[:-1])
            header = header and _BLOCK_HEADER.fullmatch(words[-1]) is not None
            # not a value YAML reads as empty or as no text (`""`, `null`, `~`, `*alias`, `{{ .Values.x }}`: F8)
            written = line[value:end]
            secret = _pasted_secret_name(label) or ory
            parts: list[Part] = []
            if below or header or _BLOCK_HEADER.fullmatch(line, value, end) is not None:
                if secret:  # `password: |`, or `password:` and its value below: the lines under it
                    block_column, block_label = start, label
                elif in_item and top is not None and not top.named:
                    # an item's `value:` before its name, its lines below: they wait for the name (the
                    # last notes' weak point)
                    block_column, block_label, block_item = start, "", top
                    top.waiting = []
                if properties and secret:
                    found += [Part(line_at + value, line_at + end, "assignment", label)]
            elif end > value and not _no_literal_value(written) and not (not in_item and _translated(name, words)):
                parts = [
                    part._replace(start=line_at + part.start, end=line_at + part.end)
                    for part in literal_parts(line, value, end, "assignment", label)
                ]
            if secret:
                found += parts
            elif top is not None:
                top.waiting = parts  # an item's `value` before its name
    return found


def _translated(key: str, words: list[str]) -> bool:
    """Whether a pasted line is a translation file's (`Forgot Password: Passwort vergessen`): a
    title-case key, and two words of prose or more as its value, the first capitalised; one word
    may be a password (`Password: letmein`: hunt 202 F1)."""
    title = key[:1].isupper() and not key.isupper() and "_" not in key
    return title and len(words) >= 2 and words[0][:1].isupper() and all(_a_word(word) for word in words)


def _a_word(word: str) -> bool:
    """A word of prose in any script, maybe joined by hyphens, in brackets or ending a sentence."""
    bare = word.strip("(\"'").rstrip(".,;:!?)\"'")
    return bool(bare) and all(piece.isalpha() for piece in bare.split("-"))


def _pasted_secret_name(name: str) -> bool:
    """A pasted file's secret key: a secret's name, or a kubeconfig's `client-key-data` (the
    private key in base64, which `DATA` after `KEY` would leave out)."""
    return is_secret_var_name(name) or name.strip("\"'").lower() == _KEY_DATA


def _a_mapping_line(text: str) -> bool:
    """Whether a pasted line's text is a mapping's entry: a `:` then a blank or the end, past a
    quoted key (`"a: b"` alone is a scalar: hunt 195 F2; `admin:pw` too: hunt 197 F1)."""
    quoted = text[:1] in ("'", '"')
    colon = text.find(":", _closing_quote(text, 0) + 1 if quoted else 0)  # (`''` and `\"` inside: no end)
    return colon > 0 and text[colon + 1 : colon + 2] in ("", " ", "\t")


def _flow_at(line: str, at: int) -> bool:
    """Whether a flow collection starts at line[at] (not Helm's `{{ ... }}`)."""
    return line.startswith(("{", "["), at) and not line.startswith("{{", at)


def _shifted(parts: list[Part], offset: int) -> list[Part]:
    """`parts` found in a piece of a text that starts at `offset`, at their places in the text."""
    return [part._replace(start=offset + part.start, end=offset + part.end) for part in parts]


def _netrc_parts(text: str) -> list[Part]:
    """The password of each `.netrc` entry in a text, on one line or a token a line: `machine
    HOST` or `default`, then its `login`, `password` and `account` pairs in token order
    (comments: _netrc_tokens); a word that is none of them ends the entry, so
    prose after it is not read (hunt 160 F6). The text is a `.netrc` when one entry is whole
    (`machine HOST login USER password X`, anywhere: after a quote, a `NAME=`, a JSON key: hunts
    160 F7, F8, 162 F5), or starts a line with `machine` and a host holding a dot or a port
    (`api.heroku.com`, `nexus:8081`), or any host then `login` (`machine nexus login ci`, not
    `machine learning ...`: hunt 158 F2), or `default` and its `login`; then every entry starting
    a line is read (hunt 162 F3), live or commented out (hunt 167 F2). Comments: each run of
    comment lines is read as a text of its own (_netrc_tokens), where an entry counts only as a
    line's first words or in quotes (`# echo "machine ..."`), not in prose (`# the default login
    and password are printed`: hunt 167 F4). Each token is read once (linear: hunt 160 F1)."""
    # its words read with the `\n`s written out beside keywords as blanks, one for one (_NETRC_ESCAPE)
    words = _NETRC_ESCAPE.sub("  ", text) if "\\" in text else text
    live, comments = _netrc_tokens(words)
    lists = [_netrc_entries(words, live, comment=False)]
    lists += [_netrc_entries(words, tokens, comment=True) for tokens in comments]
    if not any(entry[0] for entries in lists for entry in entries):
        return []
    expands = _ShellExpands(text)
    found: list[Part] = []
    for entries in lists:
        found += _netrc_passwords(text, entries, expands)
    return sorted(found)  # (comments' after the lines')


# an entry of a `.netrc`: whether it counts, whether it starts a line, the quote it is in and
# where, its passwords
_NetrcEntry = tuple[bool, bool, str, int, list[tuple[int, int]]]


def _netrc_entries(text: str, tokens: list[tuple[int, int, bool]], *, comment: bool) -> list[_NetrcEntry]:
    """The entries of a `.netrc`'s words (_netrc_parts), in a comment's or not."""
    entries: list[_NetrcEntry] = []
    at = 0
    quoted = ("", -1, -1)  # the last entry's quote, where it opens and where it closes
    while at < len(tokens):
        start, end, line_start = tokens[at]
        keyword = _NETRC_KEYWORD.search(text, start, end)
        if keyword is None:
            at += 1
            continue
        quote = text[keyword.start() - 1] if keyword.start() > start and text[keyword.start() - 1] in "'\"" else ""
        line_start = line_start and keyword.start() == start + len(quote)
        quote_at = keyword.start() - len(quote)
        if not quote and not line_start:
            # an opening quote, then blanks (a `\n` written out before it: `printf '\nmachine ...'`:
            # hunt 189 F5); opening: at the text's start or after a blank, `=` or `(`
            before = keyword.start()
            while before > 0 and (text[before - 1] in " \t" or text[before - 2 : before] in _NETRC_BLANKS):
                before -= 2 if text[before - 1] not in " \t" else 1  # (blanks and `\n`s before this token only)
            opening = before == 1 or text[before - 2 : before - 1] in (" ", "\t", "=", "(")
            if 0 < before < keyword.start() and text[before - 1] in "'\"" and opening:
                quote, quote_at = text[before - 1], before - 1
        if quote:
            quoted = (quote, quote_at, text.find(quote, keyword.end()))
        elif quoted[0] and keyword.start() < quoted[2]:
            # a later entry in the same quotes (`printf 'machine a ... %s\nmachine b ... %s\n'`: its
            # value ends at them too, and a printf's conversions count from them)
            quote, quote_at = quoted[0], quoted[1]
        # `machine HOST`; a keyword is no host (a line that ends `... machine`: hunt 164 F1)
        machine = keyword.group() == "machine" and at + 1 < len(tokens)
        machine = machine and text[tokens[at + 1][0] : tokens[at + 1][1]] not in ("machine", "default")
        pairs = at + (2 if machine else 1)  # the entry's first pair
        keys: list[str] = []
        passwords: list[tuple[int, int]] = []
        while pairs + 1 < len(tokens) and (key := text[tokens[pairs][0] : tokens[pairs][1]]) in _NETRC_PAIRS:
            value_start, value_end = value_from(text, tokens[pairs + 1][0], WORD_STOP)
            if quote and (close := text.find(quote, value_start, value_end)) >= 0:
                # the quotes the entry is written in (`'machine ... password x'`), maybe escaped
                value_end = close - 1 if close > value_start and text[close - 1] == "\\" else close
            keys.append(key)
            if key == "password" and not _netrc_prose(text, tokens, pairs + 2, value_start, value_end):
                passwords.append((value_start, value_end))
            pairs += 2
            while pairs < len(tokens) and tokens[pairs][0] < value_end:  # a quoted value's other words
                pairs += 1
        host = text[tokens[at + 1][0] : tokens[at + 1][1]] if machine else ""
        counts = (
            (keys[:2] == ["login", "password"] and (line_start or bool(quote) or not comment))
            or (line_start and ("." in host or ":" in host or keys[:1] == ["login"]))
            # in quotes, a host with a dot or a port and its password (`printf "machine h.io\npassword x"`)
            or (bool(quote) and ("." in host or ":" in host) and keys[:1] == ["password"])
        )
        entries.append((counts, line_start, quote, quote_at, passwords))
        at = max(pairs, at + 1)
    return entries


def _netrc_prose(text: str, tokens: list[tuple[int, int, bool]], after: int, start: int, end: int) -> bool:
    """Whether an entry's password is a word of prose: a word of lower-case letters followed on
    its line by another, which no `.netrc` has there (`# machine h.io password below is public`;
    not `password hunter' > ~/.netrc`, nor `password hunter login u`)."""
    if after >= len(tokens) or tokens[after][2] or not _is_lower_word(text[start:end]):
        return False
    following = text[tokens[after][0] : tokens[after][1]]
    return _is_lower_word(following) and following not in _NETRC_WORDS


def _is_lower_word(word: str) -> bool:
    return word.isalpha() and word.islower() and word.isascii()


_NETRC_WORDS = frozenset({"machine", "default", "login", "password", "account", "macdef"})


def _netrc_passwords(text: str, entries: list[_NetrcEntry], expands: "_ShellExpands") -> list[Part]:
    """The passwords of a `.netrc`'s entries that count or start a line (_netrc_parts)."""
    found: list[Part] = []
    formats: dict[int, _PrintfFormat] = {}  # each printf format read once, however many entries it holds
    for counts, line_start, quote, quote_at, passwords in entries:
        for value_start, value_end in passwords if counts or line_start else ():
            # no shell reads a `.netrc`: `$ecret` is a password; `${X}`, `$(cat f)`, `$X`, a
            # template are not, nor any `$name` a shell expands (`echo "machine h password
            # $gh_token" > ~/.netrc`, an unquoted heredoc: hunts 163 F10, 164 F5)
            if _PRINTF_CONVERSION.fullmatch(text, value_start, value_end):
                # `printf 'machine h password %s\n' x`: the argument the conversion takes (hunt 181 F7)
                argument = _printf_argument(text, quote, quote_at, value_start, formats)
                if argument is not None:
                    found += literal_parts(text, *argument, "option", "password")
                continue
            reference = _NETRC_REFERENCE.match(text, value_start) or (
                _SHELL_VARIABLE.fullmatch(text, value_start, value_end)
                if expands.at(quote_at if quote else value_start, quote)
                else _ENV_REFERENCE.fullmatch(text, value_start, value_end)
            )
            if reference is None:
                found += literal_parts(text, value_start, value_end, "option", "password")
    return found


class _PrintfFormat(NamedTuple):
    """A printf format read once (hunt 200 F1: read again for each entry, a format of n entries
    took n² steps): where it closes, where its conversions start and how many arguments the ones
    before each take, and the argument words after it read so far."""

    close: int
    starts: list[int]
    taken: list[int]  # taken[i]: the arguments the conversions before starts[i] take
    words: list[tuple[int, int]]
    next_word: int  # where the next argument word is looked for


def _printf_format(text: str, quote: str, quote_at: int, escaped_quote: bool) -> _PrintfFormat:
    close = text.find(quote, quote_at + 1)
    # in escaped quotes the format ends at the next escaped one; else at one not escaped
    while close > 0 and quote == '"' and escaped(text, close) != escaped_quote:
        close = text.find(quote, close + 1)
    starts: list[int] = []
    taken = [0]
    for conversion in _PRINTF_ANY.finditer(text, quote_at + 1, close if close >= 0 else len(text)):
        starts.append(conversion.start())
        taken.append(taken[-1] + (0 if conversion.group() == "%%" else 1 + conversion.group().count("*")))
    return _PrintfFormat(close, starts, taken, [], close + 1)


def _printf_argument(
    text: str, quote: str, quote_at: int, at: int, formats: dict[int, _PrintfFormat]
) -> tuple[int, int] | None:
    """Where the literal argument is that a printf gives the conversion at text[at], when its
    format is the quoted text opening at `quote_at` (`printf 'machine %s\npassword %s\n' h pw`):
    the word after the format as far on as the conversions before it; None for a reference."""
    escaped_quote = text[quote_at - 1 : quote_at] == "\\"  # `sh -c "printf \"machine ...\" pw"` (hunt 202 F5)
    command = text[max(0, quote_at - 96) : quote_at - escaped_quote].rstrip()
    command = command[:-2].rstrip() if command.endswith(" --") else command  # `printf -- '...'`
    words = command.rsplit(None, 2)
    if len(words) == 3 and words[1] == "-v" and words[2].isidentifier():
        command = words[0]  # `printf -v line '...'`: the variable it writes (hunt 228 F3)
    if not quote or not command.endswith("printf"):
        return None
    form = formats.get(quote_at)
    if form is None:
        form = formats[quote_at] = _printf_format(text, quote, quote_at, escaped_quote)
    if form.close < 0 or form.close < at:
        return None
    # each conversion takes an argument, and one more for each `*` (`%*s`: a width); `%2$s` names its own
    own = _PRINTF_CONVERSION.match(text, at)
    if own is not None and own.group(1):
        index = int(own.group(1)) - 1
    else:
        index = form.taken[bisect.bisect_left(form.starts, at)]
        index += own.group().count("*") if own is not None else 0
    while len(form.words) <= index:
        if (word := _PRINTF_WORD.match(text, form.words[-1][1] if form.words else form.next_word)) is None:
            return None
        form.words.append(word.span(1))
    start, end = form.words[index]
    if text[start] in "'\"":
        start, end = start + 1, end - 1
    return None if text.startswith(("$", "`"), start) or start >= end else (start, end)


_PRINTF_ANY = lazy(r"%%|%(?:[1-9][0-9]{0,2}\$)?[-+ #0-9.*]{0,16}[sbqdiouxXeEfgGc]")
# a printf's quoted format (`printf 'API_KEY=%s\n' x`, `printf -- "..."`, `\"` in a quoted command)
_PRINTF_FORMAT = lazy(  # (1) the variable `-v` names, if any; (2) the format's quote
    r"(?<![^\s'\"/;|&(`])printf[ \t]+(?:-v[ \t]+([A-Za-z_][A-Za-z0-9_]{0,63})[ \t]+)?(?:--[ \t]+)?\\?(['\"])"
)
# a value that is nothing but conversions (printf's, Python's `%(name)s`) and the escapes a printf
# writes as blanks
_CONVERSIONS_ONLY = lazy(
    r"(?:%(?:[1-9][0-9]{0,2}\$|\([A-Za-z_][A-Za-z0-9_.]{0,64}\))?[-+ #0-9.*]{0,16}[sbqdiouxXeEfgGcr]|\\[ntr])+"
)


def _printf_variable_parts(text: str) -> list[Part]:
    """The arguments of each printf that writes a variable named like a secret (`printf -v
    DB_PASSWORD '%s' x`: hunt 229 F9)."""
    found: list[Part] = []
    formats: dict[int, _PrintfFormat] = {}
    for command in _PRINTF_FORMAT.finditer(text):
        if command.group(1) is None or not is_secret_var_name(command.group(1)):
            continue
        quote_at, quote = command.start(2), command.group(2)
        form = formats[quote_at] = _printf_format(text, quote, quote_at, text[quote_at - 1 : quote_at] == "\\")
        for conversion in form.starts:  # (_printf_argument reads the format from `formats`: once)
            argument = _printf_argument(text, quote, quote_at, conversion, formats)
            if argument is not None and not is_doc_placeholder(text[argument[0] : argument[1]]):
                found += literal_parts(text, *argument, "assignment", command.group(1))
    return found


def _printf_arguments(text: str, parts: list[Part]) -> list[Part]:
    """`parts`, with a secret written as a printf's conversion (`printf 'API_KEY=%s\n' x > .env`,
    `printf '{"password":"%s"}' x`: hunt 226 F1) found in the argument the conversion takes
    instead: the `%s` is no secret, the word `x` is. A secret with literal text besides its
    conversions stays, and the arguments are added. Each format is read once, each part's text
    once (linear)."""
    formats: dict[int, _PrintfFormat] = {}
    quotes = [(match.start(2), match.group(2)) for match in _PRINTF_FORMAT.finditer(text)]
    if not quotes:
        return parts
    starts = [quote_at for quote_at, _ in quotes]
    found: list[Part] = []
    for part in parts:
        at = bisect.bisect_left(starts, part.start) - 1
        arguments: list[Part] = []
        if at >= 0:
            quote_at, quote = quotes[at]
            for conversion in _PRINTF_ANY.finditer(text, part.start, part.end):
                argument = None
                if conversion.group() != "%%":
                    argument = _printf_argument(text, quote, quote_at, conversion.start(), formats)
                if argument is not None:
                    arguments.append(Part(*argument, part.kind, part.label))
        whole = arguments and _CONVERSIONS_ONLY.fullmatch(text, part.start, part.end) is not None
        found += arguments if whole else [part, *arguments]
    return found


_PRINTF_WORD = lazy(r"[ \t]+(\"[^\"\n]*\"|'[^'\n]*'|[^\s>|;&<]+)")


class _ShellExpands:
    """Whether a shell expands a `$name` at a place of a text: in double quotes that are no
    JSON string's (`echo "..."`, not `{"netrc": "..."}`), or unquoted in a heredoc whose
    delimiter is unquoted (`<<EOF`, not `<<'EOF'`); the heredocs found once (linear: hunt 164 F4)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.heredocs: list[tuple[int, bool]] | None = None  # where each starts, and whether it expands

    def at(self, pos: int, quote: str) -> bool:
        """At `pos`, unquoted; or in the quotes `quote` that open at `pos`."""
        if quote == '"':
            before = pos
            while before and self.text[before - 1] in " \t":
                before -= 1
            return self.text[before - 1 : before] not in (":", "[", ",")
        if quote:
            return False  # single quotes
        if self.heredocs is None:
            self.heredocs = [(m.start(), not HEREDOC_QUOTING.search(m.group(1))) for m in _HEREDOC.finditer(self.text)]
        last = bisect.bisect_left(self.heredocs, (pos,)) - 1
        return last >= 0 and self.heredocs[last][1]


# a heredoc and its delimiter word: quoted in part or escaped (`<<'EOF'`, `<<E"OF"`, `<<\EOF`: hunt
# 166 F4), the shell expands nothing in it
_HEREDOC = lazy(r"(?<!<)<<(?!<)-?[ \t]*([^\s<>|&;()]{0,64})")  # not `>"$HOME/.netrc"` after it (hunt 167 F5)
HEREDOC_QUOTING = lazy(r"['\"\\]")  # (commands.py's chpasswd heredocs too)


def _netrc_tokens(text: str) -> tuple[list[tuple[int, int, bool]], list[list[tuple[int, int, bool]]]]:
    """A text's words, and whether each starts a line: those of its lines, and apart, those of
    each run of comment lines (a line whose first word starts with `#`) that holds a `machine` or
    `default`, without the `#`s. A comment is read as a text of its own: an entry commented out
    (`# machine h login u password x`, `# echo "machine ..." > ~/.netrc`, over several lines) is
    a secret still written in the file (hunts 163 F1, 166 F1, F5), and its prose can end no live
    entry (`# for the CI machine` inside one: hunt 164 F1). Only a line's first word starts a
    comment: `password #x` is a password."""
    tokens: list[tuple[int, int, bool]] = []
    comments: list[list[tuple[int, int, bool]]] = []
    block: list[tuple[int, int, bool]] = []  # the run of comment lines being read
    keyword = in_comment = first = False  # `first`: no word of this comment line read yet
    last_end = 0
    for match in _NETRC_TOKEN.finditer(text):
        start, end = match.span()
        line_start = last_end == 0 or _URL_LINE_END.search(text, last_end, start) is not None
        last_end = end
        if line_start:
            in_comment = first = text.startswith("#", start)
            while start < end and text[start] == "#":
                start += 1
            if not in_comment and block:  # the run of comment lines ends
                comments += [block] if keyword else []
                block, keyword = [], False
        if not in_comment:
            tokens.append((start, end, line_start))
        elif start < end:
            block.append((start, end, first))
            keyword = keyword or _NETRC_KEYWORD.search(text, start, end) is not None
            first = False
    comments += [block] if keyword else []
    return tokens, comments


_NETRC_TOKEN = lazy(r"\S+")
# a `\n` or `\t` written out before or after a keyword, which parts words as a line break or a
# tab would, for the `printf` or `echo -e` that writes the file (`printf "machine h\nlogin
# u\npassword x" > ~/.netrc`); not one inside a password (`ab\ncd`)
_NETRC_ESCAPE = lazy(
    r"\\[nt](?=(?:machine|default|login|password|account|macdef)(?![^\s\\]))"
    r"|(?:(?<=machine)|(?<=default)|(?<=login)|(?<=password)|(?<=account)|(?<=macdef))\\[nt]"
)
# a printf conversion the password is given by (`printf '... password %s\n' "$TOKEN"`)
_PRINTF_CONVERSION = lazy(r"%(?:([1-9][0-9]{0,2})\$)?[-+ #0-9.*]{0,16}[sbqd](?:\\[nt])*")
# `machine` or `default` ending a word, maybe after a quote, `NAME=`, `{"netrc":`, `(`, `$'`
_NETRC_BLANKS = ("\\n", "\\r", "\\t")  # escapes a printf writes as blanks before an entry (hunt 191 F4)
_NETRC_KEYWORD = lazy(r"(?<![A-Za-z0-9_.-])(?:machine|default)\Z")
_NETRC_REFERENCE = lazy(r"\$[({]|`|<%|\{\{")
_NETRC_PAIRS = frozenset({"login", "password", "account"})  # (`macdef` starts a macro: it ends the pairs)


def _under_vars(path: DataPath) -> bool:
    """Whether `path` is inside vars, `env`..., or a key that starts as one does and misspells
    it (`varz:`, `enviroment:`; not `jars:` or `vals:`: hunt 94 F3)."""
    return any(isinstance(step, str) and _is_vars_word(_fold(step)) for step in path)


def _is_vars_word(folded: str) -> bool:
    return (
        folded in VARS_KEYS
        or (folded.startswith("var") and _misspells(folded, "vars", 0.75))
        or (folded.startswith("env") and _misspells(folded, "environment", 0.85))
    )


def _blank_lines(text: str, found: list[Part]) -> list[Part]:
    """The secrets of a vars string's lines that no entry of `found` starts on: a var's name, a
    blank and its value (`DB_PASSWORD hunter2` on a second line: hunt 88 F3)."""
    starts = sorted(part.start for part in found)
    added: list[Part] = []
    offset = index = 0
    for line in text.split("\n"):
        end = offset + len(line)
        while index < len(starts) and starts[index] < offset:
            index += 1
        if not (index < len(starts) and starts[index] <= end):
            added += [
                part._replace(start=part.start + offset, end=part.end + offset) for part in blank_value_parts(line)
            ]
        offset = end + 1
    return added


# `NAME=` or `NAME:` at a line's start, NAME as env vars are named (capitals, digits, `_`): a var
# of its own in a string of several lines; not a PEM header's `Proc-Type:`, a base64 line's `=`
# padding or an htpasswd line's `user2:` (hunt 95 F1), which go on with the value before them.
_ITEM_START = lazy(r"[ \t]*[A-Z_][A-Z0-9_]{0,127}[ \t]*[:=]")


def _item_chunks(text: str, jwts: bool) -> list[Part]:
    """The secrets of a string of several lines inside vars (a `- |` item, a `key: |` block):
    its tokens, keys and URLs as a whole (a PEM block over many lines: hunt 95 F1); and each line
    that starts `NAME=`, `NAME:` or a secret's `NAME value` starts a var, whose value goes on over
    the lines after it that start none (a password with blanks, a JSON credential over lines:
    hunt 94 F1) and ends before the next (a first line's secret does not take the lines after
    it: hunt 93 F2), each read as a list item's string is. A part of the whole that a var's
    value holds is that value's."""
    starts: list[int] = []
    offset = 0
    for line in text.split("\n"):
        if not starts or _ITEM_START.match(line) or blank_value_start(line) > 0:
            starts.append(offset)
        offset += len(line) + 1
    assigned: list[Part] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        in_chunk = parts_in(chunk, assignment=True, jwts=jwts) or blank_value_parts(chunk)
        assigned += [part._replace(start=part.start + start, end=part.end + start) for part in in_chunk]
    firsts = [part.start for part in assigned]  # in order, as the chunks are, and apart
    whole = [part for part in parts_in(text, assignment=False, jwts=jwts) if not _held(part, assigned, firsts)]
    return assigned + whole


def _held(part: Part, parts: list[Part], firsts: list[int]) -> bool:
    """Whether one of `parts` (apart, in order; `firsts` their starts) holds all of `part`."""
    at = bisect.bisect_right(firsts, part.start) - 1
    return at >= 0 and part.end <= parts[at].end


def _with_entrypoint(parts: list[Part], program: str, command: str, jwts: bool) -> list[Part]:
    """`parts`, the secrets of a `command` string, and those it has after its entrypoint's text
    that none of them overlaps (the command's offsets; one that starts in the entrypoint, from
    the command's start)."""
    if len(program) > _PROGRAM_READ:  # a long entrypoint: its program and its last words, for each item (linear)
        program = program.split(None, 1)[0][:_PROGRAM_READ] + " " + program[-_PROGRAM_READ:]
    shift = len(program) + 1
    added = [
        part._replace(start=max(part.start - shift, 0), end=part.end - shift)
        for part in parts_in(program + " " + command, jwts=jwts)
        if part.end > shift
    ]
    return _with_parts(parts, added)


_PROGRAM_READ = 512


def _with_parts(parts: list[Part], added: list[Part]) -> list[Part]:
    """`parts` and `added` together, in order: where two overlap, the first (its kind and label)
    runs to the end of both, as both are secret (a reading with the program in front saw all of
    `-u admin:ghp_....x` where the word alone gave the token: hunt 273 F1)."""
    if not added:
        return parts
    merged: list[Part] = []
    for part in sorted(parts + added, key=lambda part: (part.start, -part.end)):
        if merged and part.start < merged[-1].end:
            if part.end > merged[-1].end:
                merged[-1] = merged[-1]._replace(end=part.end)
        else:
            merged.append(part)
    return merged


_COMMAND_KEYS = ("command", "args", "entrypoint")


@functools.lru_cache(maxsize=4096)
def command_key(key: Any) -> str | None:
    """Which of _COMMAND_KEYS `key` is, in any case or misspelt as NX102 reads it (`entryPoint`,
    `comand`: its fix renames them, and `--diff` read them so: hunt 188 F1); None for any other."""
    if not isinstance(key, str) or key[:1] not in _COMMAND_INITIALS:
        return None
    word = key.lower()
    if word in _COMMAND_KEYS:
        return word
    if word == "cmd":  # Docker's CMD, which NX102 renames `command` (hunt 189 F4)
        return "command"
    return next((meant for meant in _COMMAND_KEYS if _misspells(word, meant, 0.8)), None)


def _program_keys(node: Any, path: DataPath) -> list[Any]:
    """The keys of what a pod's command key at `path` is given to, in `node`, its pod: a
    `command`'s `entrypoint` (Docker's ENTRYPOINT and CMD), `args`' `entrypoint` and `command`
    (Kubernetes' command and args: hunt 189 F4), in that order; [] for any other."""
    given = command_key(path[-1]) if path and isinstance(node, dict) else None
    found = []
    for wanted in ("entrypoint",) if given == "command" else ("entrypoint", "command") if given == "args" else ():
        if wanted in node:
            found.append(wanted)
        elif len(node) <= 64:  # any spelling in a pod's few keys; thousands are no pod's (hunt 191 F5: quadratic)
            found += [key for key in node if command_key(key) == wanted][:1]
    return found


def _joined_parts(path: DataPath, items: list[Any], jwts: bool, before: list[str]) -> dict[int, list[Part]]:
    """The secrets a command list has when its items are read as one command line (a shell
    splits `"redis-cli -a"` into two words: `["redis-cli -a", pw]` gives pw to `-a`, hunt 73
    F1; a program given its password as a word, `[htpasswd, -nb, user, pw]`, after its
    entrypoint's items `before`: hunt 152 F2), by the place of the item each falls in, with
    offsets into that item. One pass."""
    if not (path and command_key(path[-1])):
        return {}
    # a program that takes a password as a word, maybe run by another (`[tini, --, redis-cli,
    # AUTH, pw]`, `env`, `gosu`: hunt 153 F2)
    texts = [_word_of(item) for item in [*before, *items]]
    if not any(" " in text for text in texts[len(before) :]) and not any(
        text.rsplit("/", 1)[-1] in _JOINED_PROGRAMS for text in texts
    ):
        return {}
    # an item after the first is one word, its blanks and all (`[redis-cli, AUTH, "a b"]`: hunt
    # 153 F7), an empty one too (MIGRATE's key `""`: hunt 156 F2): quoted, but one that starts
    # an option (`"-a pw"`) or holds a quote
    pieces, starts, at = [], [], 0
    for index, text in enumerate(texts):
        spaced = not text or " " in text or "\t" in text
        mark = "'" if "'" not in text else '"' if '"' not in text and "\\" not in text else ""  # (hunt 158 F3)
        quoted = index > 0 and spaced and not text.startswith("-") and bool(mark)
        pieces.append(f"{mark}{text}{mark}" if quoted else text)
        starts.append(at + quoted)
        at += len(pieces[-1]) + 1
    found: dict[int, list[Part]] = {}
    place = 0
    for part in parts_in(" ".join(pieces), jwts=jwts):  # in order: the items they meet, in order too
        while place + 1 < len(texts) and starts[place + 1] <= part.start:
            place += 1
        each = place
        while each < len(texts) and starts[each] < part.end:
            start, end = max(part.start - starts[each], 0), min(part.end - starts[each], len(texts[each]))
            if end > start and each >= len(before):
                found.setdefault(each - len(before), []).append(part._replace(start=start, end=end))
            each += 1
    return found


def _word_of(item: Any) -> str:
    """A command list's item as a word of its command line: a number is one (`[redis-cli, -p,
    6380, AUTH, pw]`: as an empty word, `-p` took `AUTH`, hunt 153 F3)."""
    if isinstance(item, str):
        return item
    if isinstance(item, bool):
        return "true" if item else "false"
    return str(item) if isinstance(item, int | float) else "-"


def _attached_programs(argv: list[Any], shift: int) -> dict[int, str]:
    """When a command list runs a program whose `-p` takes the password attached (`["mysql",
    "-uroot", "-ppw"]`, also `mysqldump`, `[env, X=1, mysql, ...]`, as a command string's text
    names it): the items read after it, by their place in the list (less the `shift` items its
    entrypoint gave), each with the item naming its program, as a command string is read (hunt
    69 F8, hunt 71 F1, F2). sshpass's options end where the program it runs starts (`[sshpass,
    -f, pw, ssh, -p2222]`: ssh's port, hunt 71 F3), which may be another (`[sshpass, -f, pw,
    mysql, -ppw]`: hunt 72 F1). The runs do not overlap: one pass over the items (hunt 73 F2)."""
    found: dict[int, str] = {}
    at = 0
    while at < len(argv):
        item = argv[at]
        if not (isinstance(item, str) and any(name in item for name in ATTACHED_PASSWORD_PROGRAMS)):
            at += 1
            continue
        stop = _wrapped_command(argv, at) if "sshpass" in item else len(argv)
        # the program's word only: each later item read with the whole of a long item was n² steps (hunt 200 F3)
        named = min(item.find(name) for name in ATTACHED_PASSWORD_PROGRAMS if name in item)
        word = item[item.rfind(" ", 0, named) + 1 : (item.find(" ", named) + 1 or len(item) + 1) - 1]
        found.update((place - shift, word) for place in range(max(at + 1, shift), stop))
        at = stop
    return found


def _wrapped_command(argv: list[Any], at: int) -> int:
    """Where the command sshpass (at `at`) runs starts: its first item that is no option of its
    own nor an option's value (`-f file`, `-d fd`, `-P prompt`)."""
    index = at + 1
    while index < len(argv) and isinstance(argv[index], str) and argv[index].startswith("-"):
        index += 2 if argv[index] in ("-f", "-d", "-P") else 1
    return min(index, len(argv))


def _entrypoint_items(path: DataPath, parent: Any) -> list[str]:
    """The program and options a pod's `command` list is given to, when its `entrypoint` names
    them (a string is split at blanks, as a shell would without quotes); [] for any other list."""
    entrypoint = _entrypoint_of(path, parent)
    return entrypoint.split() if entrypoint else []


def _entrypoint_of(path: DataPath, parent: Any) -> str:
    """The program a pod's `command` (or `args`) string is given to, when its `entrypoint` (or
    `command`) names one (`entrypoint: redis-cli` and `command: "-a x ping"`: _program_key): its
    options are read as that program's (hunt 53 F4); "" for any other string."""
    words = []
    for key in _program_keys(parent, path):
        program = parent[key]
        if isinstance(program, list):  # a number in it is an argument too (`[redis-cli, -p, 6380]`: hunt 67 F7)
            program = " ".join(str(item) for item in program if isinstance(item, str | int | float))
        if isinstance(program, str) and program:
            words.append(program)
    return " ".join(words)


def _key_parts_in(key: str, state: int, mapping: Any) -> tuple[Part, ...]:
    """_key_parts of a key of `mapping`: a mapping of one key that is a list's item is read as
    a vars list's `- NAME: value` (`- DB_PASSWORD hunter2: x`: hunt 83 F1), not a pod's or a
    volume's keys (`token refresh: hourly` is no secret: hunt 84 F2)."""
    return _key_parts(key, state, state == ITEM and isinstance(mapping, dict) and len(mapping) == 1)


@functools.lru_cache(maxsize=4096)
def _key_parts(key: str, state: int, one_key_item: bool = False) -> tuple[Part, ...]:
    """The secrets inside a mapping key, in a mapping of state `state`: a token or a password, and
    a var set inside its own key (`"DB_PASSWORD: x": ""`, as a list of vars may hold `- "DB_PASSWORD:
    x"`), under vars or anywhere else a var was misplaced (hunt 41 F4: a pod's `"API_KEY: x": y`).
    Asked of every key, and the same few keys (`name`, `image`, `vars`...) come back in every
    file, so each is read once."""
    sets_var = ":" in key or (state == VARS and "=" in key)
    if (state == VARS or one_key_item) and not sets_var and (in_key := blank_value_parts(key)):
        return tuple(in_key)
    return tuple(parts_in(key, assignment=sets_var)) if sets_var or _hinted(key) else ()


def _in_command(path: DataPath) -> bool:
    """Whether `path` is inside a command, its arguments or its entrypoint (a list of words)."""
    return _command_step(path) >= 0


def _command_step(path: DataPath) -> int:
    """Where in `path` its command, arguments or entrypoint is named; -1 when it is in none."""
    for index, step in enumerate(path):
        # (asked of every string's path: the common steps, which start no command key, asked
        # first); a var's name is none (`vars: {ARGS: ...}`: hunt 189 F1), a pod's key in any
        # case is (`COMMAND:`, `CMD:`: hunt 191 F3)
        if isinstance(step, str) and step[:1] in _COMMAND_INITIALS and command_key(step) and not _a_var(path, index):
            return index
    return -1


def _a_var(path: DataPath, index: int) -> bool:
    """Whether path[index] is a var's name: a key right under vars, or of an item of a vars list
    (`vars: [ARGS: x]`: hunt 193 F3)."""
    before = path[index - 1] if index else None
    if isinstance(before, int) and index >= 2:
        before = path[index - 2]
    return isinstance(before, str) and _fold(before) in VARS_KEYS


_COMMAND_INITIALS = "cCaAeE"  # a misspelt key keeps its first letter, as NX102's did-you-mean reads most


def blank_value_parts(text: str) -> list[Part]:
    """The value of a var's name, a blank, then its value (blank_value_start), as a secret part."""
    start = blank_value_start(text)
    return literal_parts(text, start, len(text), "assignment", text[:start].strip()) if start > 0 else []


def blank_value_start(text: str) -> int:
    """Where the value starts in a var's name, a blank, then its value, for a missing `:` or `=`
    (`DB_PASSWORD hunter2`), when the name names a secret; -1 when it is no such text, or the rest
    reads as more of the name, a blank for a `_` (`TOKEN TTL`, `PASSWORD MIN LENGTH`: hunt 82 F4).
    The callers ask only where a var may be set so (a key of vars or of a one-key list item, a
    list's item but a command's, a line of a string inside vars); a comment `# API_KEY comes from
    vault` is prose."""
    named = _NAME_THEN_BLANK.match(text)
    if named is None or not is_secret_var_name(named[1]) or _NAME_WORDS.fullmatch(text, named.end()):
        return -1
    return named.end()


# a blank is any white space but a line break: a no-break or ideographic space too (hunt 83 F5)
_NAME_THEN_BLANK = lazy(r"[^\S\r\n]*([A-Za-z_][A-Za-z0-9_.-]{0,127})[^\S\r\n]+(?=\S)")
_NAME_WORDS = lazy(r"[A-Z]+(?:(?:[^\S\r\n]|_)+[A-Z]+)*[^\S\r\n]*")  # capitals alone: words of a name


def _label(path: DataPath, parent: Any) -> str:
    if not path:
        return ""
    key = path[-1]
    if isinstance(key, int) and follows_secret_flag(parent, key):
        named = _config_tool_secret(parent, key)
        if named is not None:
            return named  # `[composer, config, http-basic.HOST, USER, pw]`: the key (hunt 215 F3)
        before = 2 if parent[key - 1] == HERE_STRING else 1
        return str(parent[key - before])  # the option names the secret
    if key == 1 and isinstance(parent, list) and isinstance(parent[0], str):
        return parent[0]  # `- [API_KEY, x]`: the pair's name
    if isinstance(key, str) and isinstance(parent, dict) and is_value_key(key):
        named = item_name(parent)
        if isinstance(named, str):
            return named
    return str(key)


class Secrets(NamedTuple):
    """A document's secrets, as the data holds them."""

    found: list[Secret]
    whole: frozenset[DataPath]  # paths of values that are secret as a whole
    with_parts: frozenset[DataPath]  # paths of strings with a secret inside
    # Texts no message may hold, though a check may quote the place they sit: a secret that an
    # alias repeats where the checks read it as something else (a password that is also, by
    # `*alias`, a pod's name), and a string with a secret inside (a pod named by a URL with its
    # password), also lower-cased as pod names are compared. A secret an alias repeats as a
    # mapping key is one too (`*pw : x`): the key is then in messages and paths.
    unquotable: frozenset[str]
    # The words (6 characters or more) of a secret that an alias repeats elsewhere, and the
    # secret parts of a string an alias repeats as a key, as written, lower- and upper-cased: a
    # check may rewrite the place the copy sits (a hint's `<% REGISTRY %>/...`, a var name made
    # portable), so these are starred wherever they appear.
    hidden_parts: frozenset[str] = frozenset()
    # The secrets inside mapping keys (`ghp_...: x`): the path of the entry, offsets into its key.
    # Their keys are unquotable too, and sent to /validate as `<redacted>`.
    keys: tuple[Secret, ...] = ()


_secrets_cache: LastDocument[Secrets] = LastDocument()
_spans_cache: LastDocument[tuple[tuple[int, int], ...]] = LastDocument()


def document_secrets(doc: Document) -> Secrets:
    """`find_secrets(doc.data)`, computed once per document; callers must not change it."""
    cached = _secrets_cache.get(doc)
    if cached is not None:
        return cached
    keys: list[Secret] = []
    return _secrets_cache.put(doc, _secrets_of(doc, find_secrets(doc.data, keys), tuple(keys), aliases=True))


def _secrets_of(
    doc: Document, found: list[Secret], keys: tuple[Secret, ...], *, aliases: bool, references_read: bool = False
) -> Secrets:
    """`references_read`: `found` holds no secret that is only a pod reference (carry_secrets)."""
    if _may_write_references(doc.text) and not references_read:
        found = _without_pod_references(doc, found)
    if len(keys) > 1:  # in the text's order, however they were found (carry_secrets splices some in)
        keys = tuple(sorted(keys, key=lambda secret: (_key_place(doc, secret.path), secret.start or 0)))
    if doc.unheld:
        found = found + _named_by_a_repeated_key(doc, found)
    whole = {s.path for s in found if s.start is None}
    with_parts = {s.path for s in found if s.start is not None}
    # A string with a secret inside is found as such wherever an alias copies it (by its shape);
    # a value that is secret by its place is not, so its copies are found by their text here.
    # Without an anchor (`&`) in the text there is no alias, and nothing to look for.
    if aliases and "&" in doc.text:
        sharing, key_texts, holding_keys = _sharing_text(doc, whole, with_parts)
    else:
        sharing, key_texts, holding_keys = set(), set(), set()
    holding_keys |= {str(secret.path[-1]) for secret in keys}  # read as a key that an alias copied
    shared = key_texts | {
        str(value)
        for path in sharing
        if isinstance(value := get_in(doc.data, path), (str, int, float)) and not isinstance(value, bool)
    }
    copies = shared | holding_keys
    # A check may rewrite a copy (NX219's portable name `a_b`, NX104's `a-b`): those forms too.
    rewritten = {joined for text in copies for joined in (_NON_WORD.sub("_", text), _NON_WORD.sub("-", text))}
    unquotable = {form for text in copies | rewritten for form in (text, text.lower(), text.upper())}
    for path in with_parts:
        value = get_in(doc.data, path)
        unquotable.update((value, value.lower()))
    words = {word for text in shared for word in _WORD.findall(text)}
    words.update(text[part.start : part.end] for text in holding_keys for part in parts_in(text))
    # a key's secret as its scan found it (`AUTH_:Hk3vQ8nL5p`): a hint's rewritten name holds it;
    # starred anywhere, so only one that looks like a secret, not a word (`AUTH_:image`)
    words.update(
        part
        for secret in keys
        if secret.start is not None and _secret_like(part := str(secret.path[-1])[secret.start : secret.end])
    )
    parts = {form for word in words if len(word) >= MIN_SEARCHED for form in (word, word.lower(), word.upper())}
    # and as a message quotes them: cut, and with a tab or line break escaped (`DB_PASSWORD\thunter2`
    # was quoted so, and shown: hunt 82 F3)
    unquotable.update(form for text in list(unquotable) if (form := shortened(text)) != text)
    parts.update(form for text in list(parts) if (form := shortened(text)) != text)
    return Secrets(
        found, frozenset(whole | sharing), frozenset(with_parts), frozenset(unquotable), frozenset(parts), keys
    )


_WORD = lazy(r"[A-Za-z0-9]{6,}")


def _key_place(doc: Document, path: DataPath) -> tuple[int, int]:
    located = doc.positions.get(path)
    span = None if located is None else located.key or located.value
    return (span.line, span.col) if span is not None else (0, 0)


def _secret_like(text: str) -> bool:
    """8 characters or more with a letter and a digit, or 12 or more: no common word."""
    return len(text) >= 12 or (len(text) >= 8 and any(c.isdigit() for c in text) and any(c.isalpha() for c in text))


_NON_WORD = lazy(r"[^A-Za-z0-9]+")
MAX_QUOTED = 40  # a message shortens a longer quoted text (`shortened`)


def shortened(text: str, limit: int = MAX_QUOTED) -> str:
    """`text` as a message quotes it: escaped, and cut to `limit` characters ending in `...`. The
    hider hides this form of a long unquotable text too (a pasted token as a key, in NX102)."""
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _named_by_a_repeated_key(doc: Document, found: list[Secret]) -> list[Secret]:
    """`- key: DB_PASSWORD` / `value: x` / `key: X`: YAML keeps the last `key`, so the data does
    not name a secret, but the value was written as one (the repeated key is NX002): it is secret
    as a whole. The earlier `key` (or `name`) is among the values the data does not hold."""
    known = {s.path for s in found if s.start is None}
    extra = []
    value_keys: dict[DataPath, list[Any]] = {}  # an item's value keys, found once (hunt 189 F9)
    for path, located in doc.unheld:
        span = located.value
        if len(path) < 2 or not isinstance(path[-1], str) or located.style is None or span.line != span.end_line:
            continue
        if not is_name_key(path[-1]) or path[-1].lower() == "env":  # (any of them, in any case: hunt 188 F2)
            continue
        text = text_at(doc, span)
        name = text[1:-1] if located.style in ("'", '"') else text
        item = get_in(doc.data, path[:-1])
        if not is_secret_var_name(name) or not isinstance(item, dict):
            continue
        if path[:-1] not in value_keys:
            value_keys[path[:-1]] = [key for key in item if isinstance(key, str) and is_value_key(key)]
        for key in value_keys[path[:-1]]:
            value_path = (*path[:-1], key)
            if value_path not in known and value_path in doc.positions:
                extra.append(Secret(value_path, "name", name))
                known.add(value_path)
    return extra


# Nexlayer's 2026 reference to a pod in a var's value, `${auth-service:8080}` (checks/app.py's
# form), which a shell reads as `${auth}` with the default `service:8080`
_POD_REFERENCE = lazy(r"\$\{([^\W\d_A-Z](?:[^\W_A-Z]|-)*):\d+\}")


def _may_write_references(text: str) -> bool:
    """Whether a value read from `text` may hold `${`: written so, or by a double-quoted escape
    (`"\\x24{db:5432}"`, hunt 222 F2). Without, no value is read for pod references: whether one
    is, and so whether it is a secret, must not hang on a `${` elsewhere in the file (hunt 222 F1)."""
    return "${" in text or "\\" in text


def _without_pod_references(doc: Document, found: list[Secret]) -> list[Secret]:
    """`found` less what a var's value holds only as a reference to a pod of the file (hunt 210
    F1): a default of that shape that names no pod (`-p${pw-qwerty99x:1}`, a misspelt pod) and
    one outside a var's value (a command, a setting: hunts 212 F1, 216 F1, F3) stay secret."""
    names = _pod_names(doc)
    kept = []
    # each value read once, however many secrets it holds (hunt 217 F1): its text and its references
    read: dict[DataPath, tuple[str, list[tuple[int, int]]]] = {}
    for secret in found:
        if secret.path not in read:
            value = get_in(doc.data, secret.path) if _under_vars(secret.path) and not _in_command(secret.path) else None
            if isinstance(value, str) and "${" in value:
                read[secret.path] = (value, _pod_reference_defaults(value, names))
            else:
                read[secret.path] = ("", [])
        value, regions = read[secret.path]
        if regions and secret.start is None:
            # secret as a whole: unless it is no literal once the references are read as such
            if not is_literal_secret(_POD_REFERENCE.sub(lambda match: _as_reference(match, names), value)):
                continue
        elif regions and _inside(regions, secret.start, secret.end):  # type: ignore[arg-type]
            continue
        kept.append(secret)
    return kept


def _inside(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether start..end lies in one of the (sorted, disjoint) regions: found by bisection, as a
    value may hold thousands (hunt 218 F1)."""
    at = bisect.bisect_right(regions, start, key=lambda region: region[0]) - 1
    return at >= 0 and regions[at][0] <= start and end <= regions[at][1]


def _as_reference(match: re.Match[str], names: frozenset[str]) -> str:
    return "${POD}" if _names_pod(match.group(1), names) else match.group()


def _names_pod(name: str, names: frozenset[str]) -> bool:
    # ASCII only, as checks/app.py's _resolve: the Kelvin sign `\u212a` lower-cases to `k` (hunt 217 F3)
    return name.isascii() and name.lower() in names


def _pod_names(doc: Document) -> frozenset[str]:
    """The names a `${name:port}` may give a pod: its own, and `<app>-<pod>` (checks/app.py's _resolve)."""
    application = doc.data.get("application") if isinstance(doc.data, dict) else None
    pods = application.get("pods") if isinstance(application, dict) else None
    own = (
        {pod["name"] for pod in pods if isinstance(pod, dict) and isinstance(pod.get("name"), str)}
        if isinstance(pods, list)
        else set()
    )
    app = application.get("name") if isinstance(application, dict) else None
    prefixed = {f"{app}-{name}" for name in own} if isinstance(app, str) else set()
    return frozenset(name.lower() for name in own | prefixed)


def _pod_reference_defaults(value: str, names: frozenset[str]) -> list[tuple[int, int]]:
    """Where, in `value`, each `${name:port}` naming a pod of `names` is, its braces left out: what
    a shell's reading takes for the default of `${first-word}`."""
    return [
        (match.start() + 2, match.end() - 1)
        for match in _POD_REFERENCE.finditer(value)
        if _names_pod(match.group(1), names)
    ]


def carry_secrets(old: Document, new: Document, changed: DataPath) -> None:
    """Let `document_secrets(new)` start from `old`'s, when it is cached: `new` is `old` with the
    scalar at `changed` edited and no anchor in either (scalar_edit). Then no value is an alias's
    copy of another, and only the secrets of the scalar's container can differ (a `value` is
    secret when its sibling `key` names a secret), so only that container is walked again (for a
    command's, its entrypoint's and arguments', the mapping that holds them), its keys' secrets
    with it (how a key is read depends on what holds it); the keys are as they were."""
    cached = _secrets_cache.get(old)
    # the app's or a pod's name decides which `${name:port}` names a pod (_without_pod_references)
    names_pods = changed[-1:] == ("name",) and changed[:1] == ("application",) and len(changed) in (2, 4)
    if cached is None or not changed or names_pods:
        return
    # a command is read after its entrypoint, a sibling: for either, walk the mapping that holds
    # both (typing the `i` of `redis-cli` makes `command: [-a, pw]` a password: hunt 89 F1)
    command = _command_step(changed)
    container = changed[:command] if command >= 0 else changed[:-1]
    # `- [name: X, value: y]`: a pair's other mapping is secret by this one's name (hunt 182 F1)
    pair = get_in(new.data, container[:-1]) if container and isinstance(container[-1], int) else None
    if isinstance(pair, list) and len(pair) <= 4:
        container = container[:-1]
    state, node, parent = PLAIN, new.data, None
    for key in container:
        if state >= NAME:  # inside a value that is secret as a whole: its one secret stays as it was
            _secrets_cache.put(new, _secrets_of(new, cached.found, cached.keys, aliases=False))
            return
        state, parent, node = _step(state, node, key), node, node[key]
    depth = len(container)
    inside = [i for i, secret in enumerate(cached.found) if secret.path[:depth] == container]
    # the keys inside it too: an edit can make a mapping secret as a whole or no longer (`--password`
    # typed above it), which changes how its keys are read (hunt 192 F2)
    fresh_keys: list[Secret] = []
    fresh = _secrets_under(container, node, state, parent, fresh_keys)
    kept_keys = [key for key in cached.keys if len(key.path) <= depth or key.path[:depth] != container]
    keys = (*kept_keys, *fresh_keys)
    if inside:  # the secrets inside a container are one run in document order
        at, end = inside[0], inside[-1] + 1
    else:  # the first secret that starts after the container's start
        located = [new.positions.get(path) for path in (container, *(secret.path for secret in cached.found))]
        if None in located:
            return  # a place the loader does not record: document_secrets walks the whole document
        starts = [place.value[:2] for place in located if place is not None]
        at = end = bisect.bisect_right(starts, starts[0], lo=1) - 1
    if _may_write_references(new.text):  # the others were read so when found, with the same pod names
        fresh = _without_pod_references(new, fresh)
    found = [*cached.found[:at], *fresh, *cached.found[end:]]
    _secrets_cache.put(new, _secrets_of(new, found, keys, aliases=False, references_read=True))


def _sharing_text(
    doc: Document, whole: set[DataPath], with_parts: set[DataPath]
) -> tuple[set[DataPath], set[str], set[str]]:
    """What an alias repeats of a secret, in one pass over the positions:
    - the other paths whose value is the same text in the file as a whole secret's: with
      `x: &pw hunter2` and `DB_PASSWORD: *pw` neither `x` nor the var may be quoted, and both
      are then secret as a whole;
    - the keys that are a copy of a whole secret (`*pw : x`; the loader gives an alias key its
      anchor's span), which paths and messages hold;
    - the keys that are a copy of a string with a secret inside (`*url : x`): as a value, such a
      copy is found by its shape, but a key is not."""
    spans = {located.value for path in whole if (located := doc.positions.get(path)) is not None}
    holding = {located.value for path in with_parts if (located := doc.positions.get(path)) is not None}
    sharing: set[DataPath] = set()
    keys: set[str] = set()
    holding_keys: set[str] = set()
    if not (spans or holding):
        return sharing, keys, holding_keys
    for path, located in doc.positions.items():
        if located.value in spans and path not in whole:
            sharing.add(path)
        if located.key is not None and path:
            if located.key in spans:
                keys.add(str(path[-1]))
            elif located.key in holding:
                holding_keys.add(str(path[-1]))
    return sharing, keys, holding_keys


def unquotable_hider(doc: Document) -> Callable[[str], str] | None:
    """A function that stars out of a text every `Secrets.unquotable` (whole words) and every
    `Secrets.hidden_parts` (anywhere); None when the document has neither."""
    secrets = document_secrets(doc)
    if not (secrets.unquotable or secrets.hidden_parts):
        return None
    whole = hider(secrets.unquotable, whole_words=True, stars=4)
    if not secrets.hidden_parts:
        return whole
    parts = hider(secrets.hidden_parts, whole_words=False, stars=4)
    return lambda text: parts(whole(text))


def without_unquotable(hide: Callable[[str], str], problems: list[Problem]) -> list[Problem]:
    """`problems` with their messages, hints and fix titles through `hide` (unquotable_hider),
    and no fix that would write what it hides. A check that quotes a pod's name cannot know
    that the name is, by an alias, a password, or holds one."""
    cleaned = []
    for problem in problems:
        fix = problem.fix
        if fix is not None:
            if any(hide(edit.text) != edit.text for edit in fix.edits):
                fix = None
            else:
                fix = fix._replace(title=hide(fix.title))
        hint = None if problem.hint is None else hide(problem.hint)
        cleaned.append(problem._replace(message=hide(problem.message), hint=hint, fix=fix))
    return cleaned


def secret_paths(doc: Document) -> list[DataPath]:
    """Paths of the document's values that are secret as a whole."""
    return [s.path for s in document_secrets(doc).found if s.start is None]


def holds_secret(doc: Document, path: DataPath) -> bool:
    """Whether the value at `path` is, or is inside, a secret, or is a string with a secret in
    it: a message must not quote it."""
    secrets = document_secrets(doc)
    path = tuple(path)
    return path in secrets.with_parts or any(path[:end] in secrets.whole for end in range(len(path) + 1))


def in_secret(doc: Document, path: DataPath, start: int, end: int) -> bool:
    """Whether value[start:end] of the string at `path` is, or overlaps, a secret: in a value
    secret as a whole, its literal text (a reference in it, `<% SECRET_KEY %>`, is shown).

    Checks ask once per template or reference in a value: each value's secret ranges are worked
    out once per document and searched by bisection (re-reading the value, or every secret of
    the document, per question took 30 s for a 42 KB value of templates: hunt 104 F3, F4)."""
    secrets = document_secrets(doc)
    path = tuple(path)
    if any(path[:stop] in secrets.whole for stop in range(len(path) + 1)):
        value = get_in(doc.data, path)
        if not isinstance(value, str):
            return True
        return _ranges_of(doc, secrets, path, value).overlaps(start, end)
    return path in secrets.with_parts and _ranges_of(doc, secrets, path, None).overlaps(start, end)


class _Ranges:
    """Ranges (start, end), which may overlap, asked whether any overlaps [start, end) in
    O(log n): the starts sorted, and the largest end among the first k of them."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []
        for _, b in ordered:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, end)  # the ranges that start before `end`
        return before > 0 and self.reach[before - 1] > start


# per document: the ranges of the strings with secret parts, and of the values secret as a whole
_ranges_cache: LastDocument[tuple[dict[DataPath, _Ranges], dict[DataPath, _Ranges]]] = LastDocument()


def _ranges_of(doc: Document, secrets: Secrets, path: DataPath, whole_value: str | None) -> _Ranges:
    """The secret ranges of the string at `path`: a whole secret's literal text (`whole_value`),
    else the parts found in it; each worked out once per document."""
    cached = _ranges_cache.get(doc)
    if cached is None:
        by_path: dict[DataPath, list[tuple[int, int]]] = {}
        for secret in secrets.found:
            if secret.start is not None and secret.end is not None:
                by_path.setdefault(secret.path, []).append((secret.start, secret.end))
        cached = _ranges_cache.put(doc, ({found_path: _Ranges(ranges) for found_path, ranges in by_path.items()}, {}))
    parts, wholes = cached
    if whole_value is not None:
        if path not in wholes:
            wholes[path] = _Ranges(_trimmed(literal_ranges(whole_value), whole_value))
        return wholes[path]
    return parts.get(path) or _Ranges(())


# --- where secrets sit in the text ------------------------------------------------------------------


def secret_spans(doc: Document) -> tuple[tuple[int, int], ...]:
    """The (start, end) character ranges of doc.text that hold secrets, sorted and disjoint;
    no range holds a line break, and a block's indentation is not part of it."""
    spans = _spans_cache.get(doc)
    return spans if spans is not None else _spans_cache.put(doc, _Spans(doc).find())


_UNKNOWN = object()  # the value of a scalar the data does not hold (a repeated key's earlier one)


def _fixed(ranges: list[tuple[int, int]]) -> Callable[[str], list[tuple[int, int]]]:
    """The secret parts already found in a value (document_secrets), whatever text is read."""
    return lambda _: ranges


# YAML's own tags, written by the YAML spec, never by the user: shown as written.
_CORE_TAGS = frozenset(
    "! !!str !!int !!float !!bool !!null !!binary !!timestamp !!map !!seq !!set !!omap !!pairs".split()
)


class _Spans:
    """Finds the secret spans of one document: where each secret of the data is written, every
    value the data does not hold (a repeated key's earlier value) judged by its path, and the
    comments."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.starts = doc.line_starts
        self.states: dict[DataPath, int] = {(): PLAIN}
        self.ranges: list[tuple[int, int]] = []

    def find(self) -> tuple[tuple[int, int], ...]:
        positions = self.doc.positions
        parts: dict[DataPath, list[tuple[int, int]]] = {}  # a string's secret parts, as offsets into its value
        for secret in document_secrets(self.doc).found:
            located = positions.get(secret.path)
            if located is None:
                continue
            if secret.start is None:
                if located.style is None:
                    self.add_inside(secret.path)
                elif not shown_placeholder(value := get_in(self.doc.data, secret.path)):
                    self.add_scalar(located.value, located.style, value)
            elif located.style is not None:
                parts.setdefault(secret.path, []).append((secret.start, secret.end))  # type: ignore[arg-type]
        for path, ranges in parts.items():
            located = positions[path]
            self.add_mapped(located.value, located.style or "", get_in(self.doc.data, path), _fixed(ranges))
        for path in {secret.path for secret in document_secrets(self.doc).keys}:
            located = positions.get(path)
            if located is not None and located.key is not None:
                self.add_key(located.key, str(path[-1]), self.state(path[:-1]), get_in(self.doc.data, path[:-1]))
        self.add_unheld_lists()
        for path, located in self.doc.unheld:
            self.judge(path, located)
        self.add_anchor_tokens()
        key_lines = False  # inside a private key commented out line by line
        # inside a secret's value commented out under its key: the key's indentation (commented_block)
        block: tuple[int, int] | None = None
        files = False  # inside a `# secrets:` list commented out
        # inside a `# secrets: [` list in flow style commented out, over several lines: its brackets
        # still open, and whether a `data:` ended the last line (its value is on the next)
        flow, pending = 0, False
        items: _Ranges | None = None  # the lines of the secrets items: asked of a `# data: x` comment
        lines = self.doc.lines
        for number, comment in enumerate(self.doc.comments):
            start = self.offset(comment.line, comment.col)
            end = self.line_end(start)
            previous = self.doc.comments[number - 1] if number else None
            # a value (or a list) commented out goes on over blank lines, and ends at any other line
            broken = (key_lines or block is not None or files or flow > 0) and (
                previous is None
                or any(lines[i].strip() for i in range(previous.line, min(comment.line - 1, len(lines))))
            )
            if key_lines and (broken or "-----END " in comment.text.upper()):
                key_lines = False
            if files and (broken or not comment.own_line):
                files = False
            text = self.text[start + 1 : end]
            indent = _indent_width(text)
            deeper = not text.strip() or block is None or indent[0] > block[0] or indent[1] > block[1]
            if block is not None and (broken or not comment.own_line or not deeper):
                block = None
            if flow and (broken or not comment.own_line):
                flow = 0
            if key_lines or block is not None:
                self.add_lines(start + 1, _trimmed([(0, end - start - 1)], text))
            elif flow:  # `#   data: x}]`, a line of a secrets list in flow style commented out
                close, flow = flow_close(text, 0, flow)
                prefix = "{data: " if pending else ","  # (a `data:` that ended the line before)
                values, pending = _flow_list_data(prefix + text, len(prefix), len(prefix) + close)
                self.add_lines(start + 1, _trimmed([(a - len(prefix), b - len(prefix)) for a, b in values], text))
            else:
                self.add_comment(start + 1, end)
                block = _indent_width(text) if commented_block(text) >= 0 else None
                # a secrets item's `data` commented out, in a live item or in a list commented out
                # whole: secret by its place, which the comment alone does not know (hunt 154 F3)
                value = _file_data_at(text) if "data" in text else -1
                if value >= 0 and comment.own_line:
                    items = items or _secrets_item_lines(self.doc)
                    in_item = files or items.overlaps(comment.line, comment.line + 1)
                    cut = _INNER_COMMENT.search(text, value - 1)  # `# data: | # rotated` (hunt 163 F7)
                    header_end = len(text[: cut.start() if cut else len(text)].rstrip(" \t"))
                    below = value >= header_end or _BLOCK_HEADER.fullmatch(text, value, header_end) is not None
                    if in_item and below:
                        block = _indent_width(text)  # `# data: |`, `# data:`: the lines under it
                    elif in_item:
                        # `# data: ${TLS_CERT}`, `<base64 of the cert>`: nothing written, as live (hunt
                        # 213 F3), but for a note after it (`# old: x`: hunt 214 F3)
                        shown = _data_shown(_unquoted(text[value:header_end].strip()))
                        self.add_lines(start + 1, _trimmed([(header_end if shown else value, len(text))], text))
                # a secrets list in flow style anywhere in a comment (`# secrets: [{name: c, data:
                # x}]`, in a pod's flow mapping, after a value: hunts 185 F3, 187 F2); its next
                # comment lines while it is open
                opened = _SECRETS_FLOW.search(text) if "secrets" in text else None
                if opened is not None:
                    close, flow = flow_close(text, opened.end() - 1, 0)
                    values, pending = _flow_list_data(text, opened.end() - 1, close)
                    self.add_lines(start + 1, _trimmed(values, text))
                elif "data" in text and (files or (comment.own_line and "{" in text)):
                    items = items or _secrets_item_lines(self.doc)
                    if files or items.overlaps(comment.line, comment.line + 1):  # `# - {name: c, data: x}`
                        self.add_lines(start + 1, _trimmed(_flow_data_values(text), text))  # (hunts 179 F1, 181 F4)
                if comment.own_line and not files and "secrets:" in text:
                    cut = _INNER_COMMENT.search(text)  # `# secrets: # removed` (hunt 179 F1)
                    files = text[: cut.start() if cut else len(text)].strip() in _SECRETS_KEYS
            upper = comment.text.upper()
            if "-----BEGIN " in upper and "PRIVATE KEY" in upper:
                key_lines = True
        self.add_run_on_comments()
        self.add_netrc_comment_runs()
        return _merged(self.ranges)

    def add_anchor_tokens(self) -> None:
        """A token used as an anchor's or an alias's name (`&ghp_...`, `*ghp_...`): no value holds
        it, but a code frame shows its line (hunt 179 F5). One search of the text."""
        if "&" in self.text or "*" in self.text:
            self.ranges += [(match.start() + 1, match.end()) for match in _ANCHORED_TOKEN.finditer(self.text)]

    def add_netrc_comment_runs(self) -> None:
        """A `.netrc` entry commented out over several comment lines (`# machine h.io` / `#   login
        ci` / `#   password x`), which each comment alone does not show: each run of comments on
        lines of their own, one line after another, read as one text (hunt 167 F7). Each comment
        is in one run (linear)."""
        comments = self.doc.comments
        if not any("password" in comment.text for comment in comments):
            return  # (most files: a `.netrc`'s entry has a password)
        first = 0
        for number in range(1, len(comments) + 1):
            previous = comments[number - 1]
            following = number < len(comments) and comments[number].line == previous.line + 1
            if following and previous.own_line and comments[number].own_line:
                continue  # the run goes on
            if number - first >= 2 and comments[first].own_line:
                start = self.offset(comments[first].line, 0)
                end = self.line_end(self.offset(previous.line, previous.col))
                run = self.text[start:end]
                if _may_hold_netrc(run):
                    self.add_lines(start, [(part.start, part.end) for part in _netrc_parts(run)])
            first = number

    def add_run_on_comments(self) -> None:
        """A comment whose `#` touches its text, right after a secret's value on its line
        (`DB_PASSWORD: #Sup3r`, `DB_PASSWORD: correct horse #battery9`): YAML ends the value at
        the `#`, but what was written there is one secret (hunt 41 F2). A comment set off by a
        blank (`# rotate yearly`) is a comment. One pass over the positions, only for such files."""
        from nexlayer_lint.suppress import PREFIX  # here: suppress.py imports this module

        lines = self.doc.lines
        touching: dict[int, tuple[int, int]] = {}  # line -> the comment's column and offset
        for comment in self.doc.comments:
            if comment.own_line or comment.text.startswith(PREFIX):  # a directive is no value
                continue
            if lines[comment.line - 1][comment.col : comment.col + 1] not in ("", " ", "\t"):
                touching[comment.line] = (comment.col, self.offset(comment.line, comment.col))
        if not touching:
            return
        # the values whose secret runs to their end: a literal (`${DB_PASS} #x` shows its
        # comment), or a part at the end (`- DB_PASSWORD=correct #horse9`)
        runs_on: set[DataPath] = set()
        for secret in document_secrets(self.doc).found:
            value = get_in(self.doc.data, secret.path)
            if secret.start is None and (value is None or is_literal_secret(value)):
                runs_on.add(secret.path)
            elif secret.end is not None and isinstance(value, str) and secret.end == len(value):
                runs_on.add(secret.path)
        before: dict[int, tuple[int, DataPath]] = {}  # line -> the value ending last before its comment
        for path, located in self.doc.positions.items():
            span = located.value
            after = touching.get(span.end_line)
            if after and span.end_col <= after[0] and span.end_col > before.get(span.end_line, (0, ()))[0]:
                before[span.end_line] = (span.end_col, path)
        for line, (_, path) in before.items():
            if path in runs_on:
                start = touching[line][1] + 1
                self.add_lines(start, [(0, self.line_end(start) - start)])

    def add_comment(self, start: int, end: int) -> None:
        """The secrets in a comment's text (after its `#`): comment_secrets."""
        self.add_lines(start, comment_secrets(self.text[start:end]))

    def add_key(self, span: Span, key: str, state: int, mapping: Any) -> None:
        """The secrets inside a key (`ghp_...: x`, `"postgres://u:pw@h": x`) of `mapping`, of state `state`."""
        if _key_parts_in(key, state, mapping):
            self.add_mapped(
                span,
                self.key_style(span),
                key,
                lambda text: [(p.start, p.end) for p in _key_parts_in(text, state, mapping)],
            )

    def add_inside(self, path: DataPath) -> None:
        """Every key and scalar inside the list or mapping at `path` (a secret as a whole)."""
        positions = self.doc.positions
        stack = [(path, get_in(self.doc.data, path))]
        while stack:
            at, node = stack.pop()
            children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in children:
                located = positions.get(at + (key,))
                if located is None:
                    continue
                if located.key is not None:
                    self.add_scalar(located.key, self.key_style(located.key), str(key))
                if located.style is None:
                    stack.append((at + (key,), value))
                else:
                    self.add_scalar(located.value, located.style, value)

    def add_unheld_lists(self) -> None:
        """A repeated key's earlier list of strings (`command: [redis-cli, -a, pw]`, then
        `command:` again), which the data does not hold: read as a held list is, its items
        together (a password is the word after its option), where judge() reads each item alone.
        Each entry is looked at once (linear)."""
        unheld = self.doc.unheld
        containers: set[DataPath] = set()  # the earlier copies' lists and mappings
        index = 0
        while index < len(unheld):
            path, located = unheld[index]
            index += 1
            if located.style is not None:
                continue
            containers.add(path)
            first = index
            items: list[Located] = []
            while index < len(unheld) and unheld[index][0][:-1] == path and unheld[index][0][-1] == len(items):
                items.append(unheld[index][1])
                index += 1
            inside = index < len(unheld) and unheld[index][0][: len(path)] == path
            if not items or inside or any(item.style is None for item in items):
                # a mapping, or a list holding more than strings: judge() reads its values, and
                # the lists inside it are read here in turn (`[[DB_PASSWORD, x], ...]`: hunt 172 F1)
                index = first
                continue
            values = [value_map(self.text, *self.head(item.value), item.style or "") for item in items]
            if any(value is None for value in values):
                continue
            strings = [value.value for value in values if value is not None]
            # the mapping it is in, when the data holds it (not an earlier copy's: a repeated
            # `pods:` whose earlier pod has another entrypoint than the held one, hunt 172 F7)
            copied = any(path[:end] in containers for end in range(1, len(path)))
            parent = None if copied else get_in(self.doc.data, path[:-1])
            for secret in _secrets_under(path, strings, self.state(path), parent):
                place = secret.path[-1]
                if len(secret.path) != len(path) + 1 or not isinstance(place, int):
                    continue
                item = items[place]
                style = item.style or ""  # (a string's: the lists above hold only scalars)
                if secret.start is None:
                    self.add_scalar(item.value, style, _UNKNOWN)
                else:
                    ranges = [(secret.start, secret.end or secret.start)]
                    self.add_mapped(item.value, style, _UNKNOWN, _fixed(ranges))

    def judge(self, path: DataPath, located: Located) -> None:
        """A value the data does not hold: secret, or holding one, by its path alone."""
        state = self.state(path)
        if located.key is not None and self.state(path[:-1]) in WHOLE:
            self.add_scalar(located.key, self.key_style(located.key), str(path[-1]))  # a key inside a secret value
        elif located.key is not None:
            # a repeated key's earlier copy holds what the held one holds
            self.add_key(located.key, str(path[-1]), self.state(path[:-1]), get_in(self.doc.data, path[:-1]))
        if located.style is None:
            return  # a list or mapping: its scalars are judged one by one
        # also an earlier value at a path whose held value is secret by another way than its
        # place (`- key: DB_PASSWORD` / `value: x` / `value: y` / `key: X`: _named_by_a_repeated_key)
        if state in WHOLE or state in _SCALAR_SECRET or path in document_secrets(self.doc).whole:
            self.add_scalar(located.value, located.style, _UNKNOWN)
        else:
            start, end = self.inner(located.value, located.style)
            if state in _ASSIGNS or self.hinted(start, end):
                jwts = not (path and is_published_name(path[-1]))  # as _secrets_under reads a held value
                self.add_mapped(
                    located.value,
                    located.style,
                    _UNKNOWN,
                    lambda text: [(p.start, p.end) for p in _string_parts(text, state, path, jwts)],
                )

    def state(self, path: DataPath) -> int:
        state = self.states.get(path)
        if state is not None:
            return state
        # A value's entries come before those inside it, so this walks up one step, mostly.
        known = len(path) - 1
        while path[:known] not in self.states:
            known -= 1
        state = self.states[path[:known]]
        for end in range(known + 1, len(path) + 1):
            key = path[end - 1]
            if _is_merge_part(path, end - 1):
                # `<<: *login`, `<<: [*a, *b]`: a mapping merged in is judged as the one it is
                # merged into (hunt 110 F2: a login's `registry`, every key in it, were starred)
                self.states[path[:end]] = state
                continue
            # a `value` is secret by its item's `key`, a list item by the option before it
            parent = get_in(self.doc.data, _merged_into(path[: end - 1])) if _judged_by_parent(key) else None
            state = _step(state, parent, key)
            self.states[path[:end]] = state
        return state

    def add_scalar(self, span: Span, style: str, value: object) -> None:
        """A whole scalar value: its literal characters (references stay readable). `value` is
        what the data holds there, or _UNKNOWN (a value the data does not hold)."""
        start, end = self.inner(span, style)
        raw = self.text[start:end]
        empty = style == "" and raw in ("", "~", "null", "Null", "NULL")
        self.add_properties(span, anchors=empty)
        if empty:
            return
        if value is not _UNKNOWN and not isinstance(value, str):
            value = raw  # a number, a boolean: written as it reads, no escape or fold
        self.add_mapped(span, style, value, lambda text: _trimmed(literal_ranges(text), text))

    def add_mapped(
        self, span: Span, style: str, value: object, ranges: Callable[[str], Iterable[tuple[int, int]]]
    ) -> None:
        """The text that wrote `ranges(value)`, ranges of the scalar's value `value` (or
        _UNKNOWN), whatever escapes, quotes and folded lines the text holds (value_map.py).

        Where the text is the value, an offset in one is an offset in the other. Otherwise each
        range of the value is starred at every character of text that produced it. When the
        scalar cannot be read exactly (value_map gives None or another value than the data's),
        all of its text is starred. A value the data does not hold is read from its text, and
        its text read as it is too (as before the mapping), which costs nothing when it holds
        no escape and no fold."""
        start, end = self.inner(span, style)
        raw = self.text[start:end]
        if raw == value:  # the common case: no escape, no fold
            self.add_lines(start, ranges(raw))
            return
        mapped = value_map(self.text, *self.head(span), style)
        if value is _UNKNOWN:
            found = list(ranges(raw))
            if mapped is None:
                if found:
                    self.add_lines(start, _trimmed([(0, len(raw))], raw))
                return
            self.add_lines(start, found)
            if mapped.value == raw:
                return
            value = mapped.value
        elif mapped is None or mapped.value != value:
            self.add_lines(start, _trimmed([(0, len(raw))], raw))  # safe: nothing of it shown
            return
        self.add_lines(0, text_ranges(mapped, list(ranges(value))))

    def add_properties(self, span: Span, *, anchors: bool) -> None:
        """A secret scalar's tag, but YAML's own tags, and with `anchors` (an empty value) its
        anchor: a password written unquoted that starts with `!` or `&` is read as one
        (`DB_PASSWORD: &hunter2` is an anchor on an empty value), and it is what the user meant
        to hide. The anchor of a value written after it is a name its aliases show anyway."""
        text = self.text
        pos = self.offset(span.line, span.col)
        stop = self.line_end(pos)
        while True:
            while pos < stop and text[pos] in " \t":
                pos += 1
            if pos == stop or text[pos] not in "&!":
                return
            end = pos
            while end < stop and text[end] not in " \t":
                end += 1
            if text[pos:end] not in _CORE_TAGS and (anchors or text[pos] == "!"):
                self.ranges.append((pos, end))
            pos = end

    def add_lines(self, base: int, ranges: Iterable[tuple[int, int]]) -> None:
        """Ranges relative to `base`, cut at line breaks, each line's indentation left out."""
        text = self.text
        for start, end in ranges:
            start, end = base + start, base + end
            for match in LINE_BREAK.finditer(text, start, end):
                self.ranges.append((start, match.start()))
                start = match.end()
                while start < end and text[start] in " \t":
                    start += 1
            self.ranges.append((start, end))

    def inner(self, span: Span, style: str) -> tuple[int, int]:
        """The offsets of a scalar's content: inside its quotes, below a block's header line."""
        start, end = self.head(span)
        if style in ("'", '"') and end - start >= 2 and self.text[start] == style and self.text[end - 1] == style:
            return start + 1, end - 1
        if style in ("|", ">"):
            return min(self.line_end(start) + 1, end), end
        return start, end

    def head(self, span: Span) -> tuple[int, int]:
        """The offsets of a scalar's text, after any anchor or tag (`&pw hunter2`)."""
        return scalar_bounds(self.text, self.starts, span)

    def offset(self, line: int, col: int) -> int:
        return text_offset(self.starts, self.text, line, col)

    def line_end(self, start: int) -> int:
        match = LINE_BREAK.search(self.text, start)
        return match.start() if match else len(self.text)

    def key_style(self, span: Span) -> str:
        """A key's quote, if it is quoted (the positions keep no style for keys)."""
        offset = self.offset(span.line, span.col)
        first = self.text[offset : offset + 1]
        return first if first in ("'", '"') else ""

    def hinted(self, start: int, end: int) -> bool:
        """Whether a secret inside text[start:end] could start there at all (most text: no)."""
        piece = self.text[start:end]
        return _hinted(piece) or _unhinted(piece)  # an XML element, a `.pgpass` line (hunt 229 F6)


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return tuple(out)


def overlaps(doc: Document, span: Span) -> bool:
    """Whether any character of `span` is part of a secret."""
    spans, starts = secret_spans(doc), doc.line_starts
    if not spans:
        return False
    start = text_offset(starts, doc.text, span.line, span.col)
    end = text_offset(starts, doc.text, span.end_line, span.end_col)
    index = bisect.bisect_right(spans, (start, len(doc.text) + 1)) - 1
    return (index >= 0 and spans[index][1] > start) or (
        index + 1 < len(spans) and spans[index + 1][0] < max(end, start + 1)
    )


def mask_text(doc: Document) -> str:
    """The document's text with every character of every secret span replaced by `*`.

    Lines keep their length and line breaks stay, so code frames built from the masked text line
    up with the real file. References (`${DB_PASSWORD}`) are shown: they hold no secret and say
    where the value comes from. Text that merely equals a secret elsewhere is shown as written.
    """
    return _second_document_masked(doc, mask_spans(doc.text, secret_spans(doc)))


# `---` or `...` at a line's start: where the first document ends (the second is NX003).
_DOCUMENT_MARKER = lazy(r"(?:---|\.\.\.)(?=[ \t\r\n\x85\u2028\u2029]|$)")


def document_markers(doc: Document, later: bool = False) -> list[int]:
    """Where the lines that end the first document or start a later one (`---`, `...`) start;
    `later`: only those that start one (`---`; a `...` ends a document: hunt 131 F4)."""
    root = doc.positions.get(())
    if root is None:
        return []
    starts = doc.line_starts
    tail_start = text_offset(starts, doc.text, root.value.end_line, root.value.end_col)
    marker = _DOCUMENT_MARKER
    return [
        start
        for start in starts[bisect.bisect_left(starts, tail_start) :]
        if marker.match(doc.text, start) and not (later and doc.text.startswith("...", start))
    ]


def _second_document_masked(doc: Document, masked: str) -> str:
    """`masked` with the text after the first document (`--- {DB_PASSWORD: x}`) masked as a
    file that does not parse is: it has no data paths, but the NX003 frame shows its first line."""
    markers = document_markers(doc)
    if not markers:
        return masked
    from nexlayer_lint import unparsed  # only for a file with a second document

    starts = doc.line_starts
    first = bisect.bisect_left(starts, markers[0])
    begin = markers[0]
    rest = doc.text[begin:]
    chars = list(rest)
    for start in markers:  # the scanner reads what follows a marker
        chars[start - begin : start - begin + 3] = "   "
    blanked = "".join(chars)
    hidden = unparsed.mask(blanked, [(1, len(starts) - first + 1)])
    if len(hidden) != len(rest):  # pragma: no cover - unparsed keeps every line's length
        return masked[:begin] + "".join(ch if ch.isspace() else "*" for ch in rest)
    merged = (m if h != "*" or b == "*" else "*" for m, h, b in zip(masked[begin:], hidden, blanked, strict=True))
    return masked[:begin] + "".join(merged)


def mask_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out += [text[last:start], "*" * (end - start)]
        last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# --- the /validate payload --------------------------------------------------------------------------

REDACTED = "<redacted>"


def redact(doc: Document) -> Any:
    """`redact_data(doc.data)`, and also the values an alias shares with a secret: the text of
    `x: &pw hunter2` is the secret of `DB_PASSWORD: *pw`."""
    secrets = document_secrets(doc)
    listed = {s.path for s in secrets.found}
    shared = [Secret(path, "name", "") for path in secrets.whole if path not in listed]  # see _sharing_text
    data = _redacted_copy(doc.data, secrets.found + shared)
    return _keys_redacted(data, secrets.unquotable) if secrets.unquotable else data


def _keys_redacted(node: Any, texts: frozenset[str]) -> Any:
    """`node` with every mapping key that is one of `texts` (a secret an alias repeats as a key,
    `*pw : x`) renamed `<redacted>`, `<redacted-2>`... in its mapping. Nesting is bounded by
    the loader's depth limit."""
    if isinstance(node, dict):
        renamed, copy = 0, {}
        for key, value in node.items():
            if isinstance(key, str) and key in texts:
                renamed += 1
                key = REDACTED if renamed == 1 else f"<redacted-{renamed}>"
            copy[key] = _keys_redacted(value, texts)
        return copy
    if isinstance(node, list):
        return [_keys_redacted(item, texts) for item in node]
    return node


def redact_data(data: Any) -> Any:
    """A copy of `data` with every secret replaced, keeping the document's shape: a string stays
    a string (`<redacted>`, or its secret parts starred), a number becomes 0, a list or mapping
    becomes empty; references are kept."""
    return _redacted_copy(data, find_secrets(data))


def _redacted_copy(data: Any, found: list[Secret]) -> Any:
    if not found:
        return data
    changes: dict[DataPath, list[Secret]] = {}
    for secret in found:
        changes.setdefault(secret.path, []).append(secret)
    for path, listed in changes.items():  # a whole value replaced covers its parts
        if any(s.start is None for s in listed):
            changes[path] = [next(s for s in listed if s.start is None)]
    return _redacted(data, (), changes, {path[:end] for path in changes for end in range(len(path))})


def _redacted(node: Any, path: DataPath, changes: dict[DataPath, list[Secret]], above: set[DataPath]) -> Any:
    if path in changes:
        return _replacement(node, changes[path])
    if path not in above:
        return node  # nothing secret below: shared with the original, never changed
    if isinstance(node, dict):
        return {key: _redacted(value, path + (key,), changes, above) for key, value in node.items()}
    return [_redacted(item, path + (i,), changes, above) for i, item in enumerate(node)]


def _replacement(value: Any, secrets: list[Secret]) -> Any:
    if isinstance(value, str):
        if secrets[0].start is not None:
            return _starred(value, [(s.start, s.end) for s in secrets])  # type: ignore[misc]
        ranges = list(_trimmed(literal_ranges(value), value))
        if ranges and "${" not in value and "<%" not in value:
            return REDACTED
        return _starred(value, ranges)  # the references stay, their defaults are starred
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return type(value)(0)
    return type(value)()  # a wrong shape, but it may still hold the secret: keep the type, drop the content


def star_parts(text: str) -> str:
    """`text` with every secret `parts_in` finds starred (a token, a URL's password, the value of
    `DB_PASSWORD=...`): for text the tool quotes from a comment."""
    return _starred(text, [(p.start, p.end) for p in parts_in(text, assignment=True)])


def star_comment(text: str) -> str:
    """A comment's text (after its `#`) starred where a code frame stars it (comment_secrets: a
    var or a mapping commented out, too) and where star_parts does: for a directive the tool
    quotes (`# nexlayer-lint: disabel=NX213 # DB_PASSWORD: x`, hunt 146 F1)."""
    ranges = [(p.start, p.end) for p in parts_in(text, assignment=True)]
    return _starred(text, ranges + comment_secrets(text))


def _starred(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """`text` with the ranges starred (blanks kept); each character once, however the ranges
    overlap (a part inside another repeated the rest of the value unstarred: hunt 96 F2)."""
    out, last = [], 0
    for start, end in sorted(ranges):
        start = max(start, last)
        if end > start:
            out += [text[last:start], "".join(ch if ch.isspace() else "*" for ch in text[start:end])]
            last = end
    out.append(text[last:])
    return "".join(out)


# --- defence in depth for text the tool did not write ------------------------------------------------

# Secret values shorter than this are not searched for in other text: too many words match.
MIN_SEARCHED = 4


def scrub(doc: Document, text: str) -> str:
    """`text` (an API's reply, an exception's message) with every whole word that equals a
    secret of `doc` replaced by `****`, and every echo of one (_echo_spans_in). Only for text the
    tool did not write: its own messages never quote a secret, and a word of one that merely
    equals a secret is left alone."""
    return scrubber(doc)(text)


def scrubber(doc: Document) -> Callable[[str], str]:
    """`scrub` with its indexes built once, for the many texts of one reply (each rejection's
    path and message): linear in each text however many secrets the document has."""
    return values_scrubber(secret_texts(doc))


def values_scrubber(values: set[str]) -> Callable[[str], str]:
    """scrubber's work for any set of secret texts (a URL's credentials too: http_client)."""
    if not values:
        return lambda text: text
    finders = [values_finders(values)]
    return lambda text: scrub_with(text, finders)


Finders = tuple[Callable[[str], list[tuple[int, int]]], Callable[[str], list[tuple[int, int]]]]


def values_finders(values: set[str]) -> Finders:
    """Where secret texts are echoed altered in a text (_echo_index), and where they are as
    written or escaped as JSON or a URL escapes them, as whole words (scrub_with)."""
    from urllib.parse import quote, quote_plus  # a reply may quote a value as a URL carries it (`%40`)

    escaped = {json.dumps(value, ensure_ascii=ascii)[1:-1] for value in values for ascii in (True, False)}
    encoded = {form for value in values for form in (quote(value, safe=""), quote_plus(value))} - values
    echoes = _echo_index(values | {form for value in values for form in _encoded_forms(value)})
    return (lambda text: _echo_spans_in(text, echoes)), finder(values | escaped | encoded, whole_words=True)


# How long a value's encoded forms are made for: a reply quotes a short secret, not a 2 MB key
_ENCODED_FORMS_UP_TO = 256  # (1,000 values of 4,000 characters cost 4x the time at 4096: hunt 247)


def _encoded_forms(value: str) -> list[str]:
    """What a reply may quote a value as besides its text: its bytes in hex, and in base64 as a
    part of longer text encoded (Docker's `auth` is base64 of `user:token`: hunt 245 F1) at each
    of the three places a value can start in base64's groups of three bytes, without the
    characters its neighbours share (the echo search then finds them inside any base64)."""
    import base64

    raw = value.encode("utf-8", "surrogatepass")
    if len(raw) < 4 or len(value) > _ENCODED_FORMS_UP_TO:  # (characters, as the README says: hunt 248 F3)
        return []
    forms = [raw.hex()]
    for lead in range(3):
        encoded = base64.b64encode(b"\0" * lead + raw).decode("ascii").rstrip("=")
        drop = (0, 2, 3)[lead]  # the characters the lead's bytes reach into
        tail = (len(raw) + lead) % 3  # a last group cut short: its last character depends on what follows
        forms.append(encoded[drop : len(encoded) - 1 if tail else len(encoded)])
    return forms


def scrub_with(text: str, finders: list[Finders]) -> str:
    """`text` with what every set's finders find starred at once: the echoes, found in the text as
    given, then the values, whole words in the text with the echoes starred (a value right after
    an echo is a whole word there: hunt 205 F2) or in the text as given (where one set's echo of
    a start they share hid part of another set's value: remote_validate.Endpoint), all mapped back
    to the text as given and starred once (hunts 206 F1, F2, 207 F1)."""
    echoed = _merged([span for echoes, _ in finders for span in echoes(text)])
    found = [span for _, whole in finders for span in whole(text)]
    if echoed:
        starred = _four_stars(text, list(echoed))
        as_given = _StarredText(echoed).as_given
        found += [as_given(span) for _, whole in finders for span in whole(starred)]
    spans = _merged([*echoed, *found])
    return _four_stars(text, list(spans)) if spans else text


class _StarredText:
    """Spans of a text whose `echoed` spans (sorted, disjoint) are starred, `****` each, mapped
    back to the text as given; found by bisection, as a reply may hold thousands (hunt 208 F2)."""

    def __init__(self, echoed: tuple[tuple[int, int], ...]) -> None:
        self.echoed = echoed
        self.stars: list[int] = []  # where each echo's `****` starts in the starred text
        self.grown: list[int] = []  # how much longer the text as given is, up to each echo's end
        grown = 0
        for echo_start, echo_end in echoed:
            self.stars.append(echo_start - grown)
            grown += echo_end - echo_start - 4
            self.grown.append(grown)

    def as_given(self, span: tuple[int, int]) -> tuple[int, int]:
        """The span in the text as given; a place inside a `****` goes to its echo's start or end."""
        start, end = span
        last = bisect.bisect_left(self.stars, end) - 1  # the last echo starred before the span's end
        if last < 0:
            return span
        first = min(bisect.bisect_right(self.stars, start) - 1, last)  # the last one at or before its start
        given_start = start
        if first >= 0:
            given_start = start + self.grown[first] if start >= self.stars[first] + 4 else self.echoed[first][0]
        given_end = end + self.grown[last] if end > self.stars[last] + 4 else self.echoed[last][1]
        return given_start, given_end


# A reply may quote a value it was sent altered: in another case, escaped (`pa\\"ss`, `\\u0040`,
# `%40`), cut short (`Zq9tokenAAAA...`), its blanks replaced (`correct_horse_battery`), or run
# into a longer word. Such an echo is found by the value's letters and digits alone (an escape
# read as the character it stands for), in any case, if it has enough of them not to be a common
# word.
_ECHO_LETTERS = 8  # letters and digits a value needs to be looked for this way
_ECHO_CUT = 12  # how many of them the start of a value cut short must show
_ECHO_SAME = 8  # values looked for at one place (an exact echo of any is starred by hide_values)
# A piece of a value (`...er2024pw`, `Hunter2024`, a start cut short, `Zq9Hunter`): a run of
# _ECHO_LETTERS of a value of _ECHO_CUT or more, which holds a letter and a digit, or a run of
# _ECHO_CUT of letters alone (`AbCdEfGhIjKl` of `sk9-AbCdEfGhIjKlMnOp`). Shorter runs of words
# alone (`battery`, `horsebat` of a passphrase) and digits alone (a date) are left: a reply's own
# words and numbers would be starred too. A value's first _PIECES_EACH runs are indexed, and
# _PIECES_ALL in all, so a 2 MB key costs no more than a short one.
_PIECES_EACH = 256
_PIECES_ALL = 200_000


class _Echoes(NamedTuple):
    starts: dict[str, list[str]]  # first _ECHO_LETTERS -> values (their letters and digits)
    pieces: dict[str, list[tuple[str, int]]]  # a run of _ECHO_LETTERS -> (value, where it starts in it)


def _echo_index(values: Iterable[str]) -> _Echoes:
    """The values' letters and digits by their first _ECHO_LETTERS (the _ECHO_SAME longest of
    those alike, so that thousands of values alike cost no more at a place), and their pieces."""
    alike: dict[str, set[str]] = {}
    pieces: dict[str, list[tuple[str, int]]] = {}
    indexed = 0
    for value in values:
        letters = _letters(value)[0]
        if len(letters) >= _ECHO_LETTERS:
            alike.setdefault(letters[:_ECHO_LETTERS], set()).add(letters)
        if len(letters) < _ECHO_CUT:
            continue
        for at in range(min(len(letters) - _ECHO_LETTERS + 1, _PIECES_EACH)):
            piece = letters[at : at + _ECHO_LETTERS]
            found = pieces.setdefault(piece, [])
            if len(found) < _ECHO_SAME and not piece.isdigit() and indexed < _PIECES_ALL:
                found.append((letters, at))
                indexed += 1
    starts = {start: sorted(found, key=len, reverse=True)[:_ECHO_SAME] for start, found in alike.items()}
    return _Echoes(starts, {piece: found for piece, found in pieces.items() if found})


def _letter_and_digit(piece: str) -> bool:
    return any(c.isdigit() for c in piece) and not all(c.isdigit() for c in piece)


def _echo_spans_in(text: str, echoes: _Echoes) -> list[tuple[int, int]]:
    """One pass over `text`: at each place, the values (_echo_index) that start with its next
    _ECHO_LETTERS letters, and those with a piece that does; the longest match is skipped past
    but for its last _ECHO_CUT letters."""
    by_start, pieces = echoes
    if not by_start and not pieces:
        return []
    letters, where, ends = _letters(text)
    spans: list[tuple[int, int]] = []
    at = 0
    while at <= len(letters) - _ECHO_LETTERS:
        longest = 0
        window = letters[at : at + _ECHO_LETTERS]
        for value in by_start.get(window, ()):
            same = _same_from(letters, at, value, 0)
            if same == len(value) or same >= _ECHO_CUT:
                longest = max(longest, same)
        for value, offset in pieces.get(window, ()):
            same = _same_from(letters, at, value, offset)
            if same >= _ECHO_CUT or _letter_and_digit(letters[at : at + same]):
                longest = max(longest, same)
        if longest:
            span = (where[at], ends[at + longest - 1])
            if not spans or span[1] > spans[-1][1]:  # not inside the one before (read again below)
                spans.append(span)
            # not quite past it: another value may start in its last letters, which ran into it by
            # chance (`...WORD99Abcdefgh1234XYZ` with a value holding `9abcdefgh`: hunt 208 F1);
            # each letter is read again at most _ECHO_CUT times (linear)
            at += max(1, longest - _ECHO_CUT)
        else:
            at += 1
    return spans


def _same_from(letters: str, at: int, value: str, offset: int) -> int:
    """How many letters from letters[at] equal value's from `offset` (the first _ECHO_LETTERS do)."""
    same = _ECHO_LETTERS
    while offset + same < len(value) and at + same < len(letters) and letters[at + same] == value[offset + same]:
        same += 1
    return same


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_ESCAPE_LENGTHS = (("%", 2, 1), ("\\u", 4, 2), ("\\x", 2, 2))  # `%40`, `\u0040`, `\x40`: digits, prefix
# HTML's character references: `&#64;`, `&#x40;`, and the named ones a reply escapes text with
_REFERENCE = lazy(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\xa0"}


def _escape_at(text: str, at: int) -> tuple[str, int]:
    """The character the escape at text[at] stands for, and where the escape ends: a `%XX`,
    `\\uXXXX` or `\\xXX`, or an HTML reference; else text[at] and at + 1."""
    char = text[at]
    if char == "&":
        reference = _REFERENCE.match(text, at)
        if reference is None:
            return char, at + 1
        decimal, hexadecimal, name = reference.groups()
        if name:
            return _NAMED[name], reference.end()
        number = int(decimal) if decimal else int(hexadecimal, 16)
        return (chr(number) if number < 0x110000 else char), reference.end()
    for prefix, digits, skip in _ESCAPE_LENGTHS:
        code = text[at + skip : at + skip + digits]
        if text.startswith(prefix, at) and len(code) == digits and all(c in _HEX_DIGITS for c in code):
            return chr(int(code, 16)), at + skip + digits
    return char, at + 1


def _letters(text: str) -> tuple[str, list[int], list[int]]:
    """`text`'s letters and digits case-folded, and where each starts and ends in `text`; an
    escape (_escape_at) is read as the character it stands for, also one escaped twice (`%2540`,
    `&amp;#64;`: the escape's own `%` or `&` escaped), and a letter as NFKC reads it (a full-width
    Z, U+FF3A, is `Z`). A letter that folds into two (`ß`, `ss`) is two, both where it is written, so
    `SS` in a reply is found for `ß`."""
    found, where, ends = [], [], []
    at, size = 0, len(text)
    while at < size:
        char, end = text[at], at + 1
        if char in "%\\&":
            char, end = _escape_at(text, at)
            while char in "%&" and end > at + 1 and end < size:
                # what an escape gave may start another, with the text after it (each step reads on)
                again, used = _escape_at(char + text[end : end + 12], 0)
                if used == 1:
                    break
                char, end = again, end + used - 1
        if char.isascii():
            if char.isalnum():
                found.append(char.lower())
                where.append(at)
                ends.append(end)
        else:
            import unicodedata  # only for a letter that is not ASCII (start-up time)

            # NFKC: full-width letters and digits (U+FF21...), ligatures and the like are the
            # same letters written otherwise
            for one in unicodedata.normalize("NFKC", char):
                if one.isalnum():
                    for folded in one.casefold():
                        if folded.isalnum():  # `İ` folds to `i` and a combining dot, which is no letter
                            found.append(folded)
                            where.append(at)
                            ends.append(end)
        at = end
    return "".join(found), where, ends


def _four_stars(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each of the (sorted, disjoint) spans replaced by `****`, which tells no length."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "****"]
        last = end
    out.append(text[last:])
    return "".join(out)


_BASE64_TEXT = lazy(r"[A-Za-z0-9+/\s]{8,}(?:=[=\s]*)?")  # (its padding, then blanks: one way to read each)


def _base64_text(value: str) -> str:
    """What a value in base64 (blanks and line breaks aside) decodes to as UTF-8 text; "" if it is
    not base64 or not text."""
    if not _BASE64_TEXT.fullmatch(value):
        return ""
    import base64
    import binascii

    try:
        return base64.b64decode("".join(value.split()), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""


def secret_texts(doc: Document) -> set[str]:
    secrets = document_secrets(doc)
    found = {str(secret.path[-1])[secret.start : secret.end] for secret in secrets.keys}
    for secret in secrets.found:
        value = get_in(doc.data, secret.path)
        if secret.start is not None:
            found.add(value[secret.start : secret.end])
            continue
        located = doc.positions.get(secret.path)
        if isinstance(value, int | float) and not isinstance(value, bool) and located is not None:
            # a number as written (`31415.92653`, 50 digits), which a reply may quote (hunt 188 F3)
            found.add(text_at(doc, located.value).strip("'\""))
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend([*node.keys(), *node.values()])
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str):
                found.update(value.strip() for value in [node, *node.splitlines()])
                decoded = _base64_text(node)  # `secrets[].data` in base64: a reply may quote it decoded (hunt 245 F2)
                found.update(value.strip() for value in [decoded, *decoded.splitlines()] if value.strip())
            elif isinstance(node, int) and not isinstance(node, bool) and abs(node) < 10**40:
                found.add(str(node))  # a huge number is not turned into text: that is quadratic, or raises
            elif isinstance(node, float):
                found.add(repr(node))
                if node.is_integer() and abs(node) < 1e40:  # `7391e5`, which a reply may write 739100000 (hunt 189 F8)
                    found.add(str(int(node)))
    return found


_WORD_CHAR = lazy(r"[A-Za-z0-9_]")
# Up to this many values, one C-speed regex scan each; beyond, one pass over the text for all.
_FEW_VALUES = 32


def hide_values(text: str, values: Iterable[str], *, whole_words: bool, stars: int | None = None) -> str:
    """`text` with every occurrence of the values (of MIN_SEARCHED chars or more) starred out.

    `whole_words`: only where no letter, digit or `_` touches either end. `stars`: a fixed-width
    replacement; None keeps each occurrence's width.
    """
    return hider(values, whole_words=whole_words, stars=stars)(text)


def hider(values: Iterable[str], *, whole_words: bool, stars: int | None = None) -> Callable[[str], str]:
    """`hide_values` with its index built once, for many texts; linear in each text however many
    values there are."""
    find = finder(values, whole_words=whole_words)

    def hide(text: str) -> str:
        spans = find(text)
        if not spans:
            return text
        # Overlapping occurrences merge, so a value that starts inside another is hidden too.
        out, last = [], 0
        for start, end in sorted(spans):
            if end <= last:
                continue
            start = max(start, last)
            out += [text[last:start], "*" * (end - start) if stars is None else "*" * stars]
            last = end
        out.append(text[last:])
        return "".join(out)

    return hide


def finder(values: Iterable[str], *, whole_words: bool) -> Callable[[str], list[tuple[int, int]]]:
    """Where `values` occur in a text (hider's search), unsorted, maybe overlapping."""
    ordered = sorted({v for v in values if len(v) >= MIN_SEARCHED}, key=len, reverse=True)
    if not ordered:
        return lambda text: []
    if len(ordered) <= _FEW_VALUES:

        def find(text: str) -> list[tuple[int, int]]:
            # each value's occurrences, left to right, none overlapping another of the same value;
            # not a compiled pattern per value: that cost more than the search (a file's secrets
            # are new values to re's cache)
            spans = []
            for value in ordered:
                start = text.find(value)
                while start >= 0:
                    end = start + len(value)
                    if whole_words and ((start and _WORD_CHAR.match(text, start - 1)) or _WORD_CHAR.match(text, end)):
                        start = text.find(value, start + 1)
                    else:
                        spans.append((start, end))
                        start = text.find(value, end)
            return spans
    else:
        # values by their first MIN_SEARCHED characters, then by length: at a place in the text,
        # one set lookup per length that a value with those first characters has, not one
        # comparison per value (thousands of values may share their first characters)
        by_prefix: dict[str, dict[int, set[str]]] = {}
        for value in ordered:
            by_prefix.setdefault(value[:MIN_SEARCHED], {}).setdefault(len(value), set()).add(value)
        lengths = {prefix: sorted(sized, reverse=True) for prefix, sized in by_prefix.items()}

        def find(text: str) -> list[tuple[int, int]]:
            spans = []
            for start in range(len(text) - MIN_SEARCHED + 1):
                prefix = text[start : start + MIN_SEARCHED]
                sized = by_prefix.get(prefix)
                if sized is None or (whole_words and start and _WORD_CHAR.match(text, start - 1)):
                    continue
                for size in lengths[prefix]:  # longest first: one match covers the shorter ones here
                    end = start + size
                    if text[start:end] in sized[size] and not (whole_words and _WORD_CHAR.match(text, end)):
                        spans.append((start, end))
                        break
            return spans

    return find
