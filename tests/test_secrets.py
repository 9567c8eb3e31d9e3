"""secrets.py: which names are secret, what is a reference, where each secret sits, masking by
span, redaction and the defence in depth for text the tool did not write."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexlayer_lint import loader, secrets
from nexlayer_lint.model import Span
from nexlayer_lint.secrets import (
    REDACTED,
    Placeholder,
    Secret,
    find_secrets,
    follows_secret_flag,
    holds_secret,
    is_literal_secret,
    is_reference,
    is_secret_flag,
    is_secret_var_name,
    literal_ranges,
    mask_text,
    overlaps,
    parts_in,
    placeholders,
    redact_data,
    scrub,
    secret_paths,
    secret_spans,
)


def shown(text: str) -> list[str]:
    """The secrets parts_in finds in `text`, as written."""
    return [text[p.start : p.end] for p in parts_in(text)]


# --- names --------------------------------------------------------------------------------------

# Real var names from ../shared/corpus/real/ (every name there with a secret-ish word in it), and
# the ones issue 14 names, with what each holds.
SECRET_NAMES = """
ACCESS_TOKEN_JWT_SECRET ADMIN_PASSWORD API_KEY APPFLOWY_S3_ACCESS_KEY APPFLOWY_S3_SECRET_KEY
APPSMITH_ENCRYPTION_PASSWORD APPSMITH_ENCRYPTION_SALT APP_KEY APP_SECRET AP_ENCRYPTION_KEY AUTHENTICATED_SYSTEM_KEY
AUTHENTIK_POSTGRESQL__PASSWORD AUTHENTIK_SECRET_KEY AUTH_SECRET BUZZ_GIT_HOOK_HMAC_SECRET BUZZ_RELAY_PRIVATE_KEY
BUZZ_S3_SECRET_KEY CLIENT_API_KEY DB_POSTGRESDB_PASSWORD DISCORD_TOKEN DSN EMBEDDINGS_KEY ENCRYPTION_KEY
FLASK_SECRET GOOGLE_CLIENT_SECRET GOTRUE_JWT_SECRET GOTRUE_OPERATOR_TOKEN HF_TOKEN JWT_SECURITY_SALT
LOCKBOX_MASTER_KEY MINIO_ACCESS_KEY MONGO_PASS N8N_BASIC_AUTH_PASSWORD N8N_ENCRYPTION_KEY NEO4J_AUTH NEXTAUTH_SECRET
OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT PG_PASS POSTGRES_PWD PSM_DB_PASS RABBITMQ_DEFAULT_PASS REACT_APP_GEMINI_KEY
REACT_APP_GOOGLE_CLIENT_SECRET REDIS_AUTH SALT SECRET SECRETS_email_password SECRETS_secret_key SECRET_KEY_BASE
SENTRY_DSN SERVER_ENCRYPTION_JWT_PRIVATE_KEY SERVER_ENCRYPTION_MASTER_KEYSET SESSION_SECRET SIGNING_PASSPHRASE
STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET SUPABASE_SERVICE_ROLE_KEY TMDB_READ_ACCESS_TOKEN TWILIO_AUTH_TOKEN
WEBUI_SECRET_KEY _APP_DB_PASS _APP_OPENSSL_KEY_V1 database__connection__password
PGPASSWORD JWT_SIGNING_KEY MYSQL_ROOT_PWD GITHUB_PAT RABBITMQ_ERLANG_COOKIE SESSION GCP_CREDENTIALS_JSON
dbPassword db-passwd clientSecret accessToken apiKey APIKEY OPENAIAPIKEY API_KEY2 personalAccessToken password token
_PRIVATE SSH_PRIVATE SORT_PASSWORD ROUTING_SECRET
SECRETKEY PRIVATEKEY DBPASS APP_SECRETS AUTHORIZATION APPSECRETKEY
DB_PW PSWD PRIVKEY SIGNINGKEY APP_SIGNINGKEY DB_PASSWORDS DB_PASSWORD_HASH
CLIENT_SECRET_PROD API_KEY_DEV STRIPE_SECRET_KEY_LIVE DB_PASSWORD_STAGING JWT_SECRET_TEST
VAULT_DEV_ROOT_TOKEN_ID ROOT_TOKEN_ID
NEXT_PUBLIC_DB_PASSWORD NEXT_PUBLIC_SECRET RECAPTCHA_SECRET_KEY SITE_SECRET WEBSITE_TOKEN
SITE_ENCRYPTION_KEY SITE_JWT_KEY GITHUB_PUBLIC_REPO_TOKEN HF_PUBLIC_TOKEN PUBLIC_REFRESH_TOKEN
DB_P\u0410SSWORD \u0410PI_\u041aEY \uff24\uff22_\uff30\uff21\uff33\uff33\uff37\uff2f\uff32\uff24 db_p\u0430ss
""".split()
NOT_SECRET_NAMES = """
ACCESS_TOKEN_EXPIRETIME REFRESH_TOKEN_EXPIRETIME AUTH_REQUIRED BUZZ_ALLOW_NIP_OA_AUTH BUZZ_REQUIRE_AUTH_TOKEN
BY_PASS_PROXY_CHECK COOKIE_DOMAIN SERVER_AUTH_COOKIE_DOMAIN SERVER_AUTH_COOKIE_INSECURE SESSION_SECURE_COOKIE
SESSION_DRIVER EXPO_PUBLIC_APPLE_MAPKIT_JS_KEY NEXT_PUBLIC_POSTHOG_KEY NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY
STRIPE_PUBLIC_KEY SERVER_ENCRYPTION_JWT_PUBLIC_KEY VITE_SUPABASE_ANON_KEY VITE_SUPABASE_PUBLISHABLE_KEY
VITE_PUBLIC_POSTHOG_TOKEN NEXT_PUBLIC_SENTRY_DSN NEXT_PUBLIC_MAPBOX_TOKEN RECAPTCHA_SITE_KEY TURNSTILE_SITE_KEY
RECAPTCHA_SITE_KEY_PROD HCAPTCHA_SITE_KEY_DEV TURNSTILE_SITE_KEY_V2
RELAY_OWNER_PUBKEY HF_TOKEN_PATH OPENAI_API_KEY_PATH STRIPE_API_KEY_PATH SENTRY_DSN_PATH SIGNING_LOCAL_FILE_PATH
N8N_BASIC_AUTH_ACTIVE N8N_BASIC_AUTH_USER PASSWORD_RESET_DISABLED ZULIP_AUTH_BACKENDS TWILIO_ACCOUNT_SID
NEXLAYER_ACCESS_CODE DISABLE_SECURITY_PLUGIN PUBLIC_URL KEYCLOAK_ADMIN GITHUB_CLIENT_ID
TOKEN_URL OAUTH_TOKEN_ENDPOINT JWT_SECRET_EXPIRES_IN ACCESS_TOKEN_EXPIRE_MINUTES PASSWORD_MIN_LENGTH
PASSWORD_RESET_URL AWS_ACCESS_KEY_ID POSTGRES_PASSWORD_FILE MAX_TOKENS OPENAI_MAX_TOKENS SECRET_NAME PASS_THROUGH
PASSPORT_STRATEGY KEYCLOAK_URL API_URL PUBLIC_KEY TOKENIZER NODE_ENV PWD BYPASS value name registry privateTag
SORT_KEY DYNAMO_PARTITION_KEY PRIMARY_KEY FOREIGN_KEY RABBITMQ_ROUTING_KEY SHARD_KEY
secrets SECRETS CACHE_BYPASS COMPASS AUTHORIZATION_URL SECRETS_DIR
POWER PWA_ENABLED PW_RESET_URL GIT_HASH CACHE_HASH PASSWORD_HASH_ROUNDS
VAULT_TOKEN_ID ROOT_TOKEN_ID_FILE
""".split()


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names(name: str) -> None:
    assert is_secret_var_name(name)


@pytest.mark.parametrize("name", [*NOT_SECRET_NAMES, ""])
def test_not_secret_names(name: str) -> None:
    assert not is_secret_var_name(name)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("DB_PASSWORD hunter2", 12),
        ("API_TOKEN\tx9", 10),
        ("DB_PASSWORD S3cret", 12),
        ("TOKEN TTL", -1),  # hunt 82 F4: a blank for a `_`, in a name of capitals
        ("PASSWORD MIN LENGTH", -1),
        ("API_KEY HEADER", -1),
        ("LOG_LEVEL debug", -1),  # no secret's name
        ("DB_PASSWORD", -1),
    ],
)
def test_a_secret_var_name_then_a_blank_then_its_value(text: str, start: int) -> None:
    # (a command list's items are not read so: `[sh, -c, "passwd -d root"]` is no password; below)
    from nexlayer_lint.secrets import blank_value_start

    assert blank_value_start(text) == start


def test_a_command_list_item_starting_with_a_secret_word_is_no_var() -> None:
    # hunt 83 F3: `passwd -d root` and `token refresh --all` in a command list read as a var's
    # name and value: a false NX213, and NX103's hint starred
    from nexlayer_lint.loader import load
    from nexlayer_lint.secrets import document_secrets

    command = '["sh", "-c", "passwd -d root", "token refresh --all"]'
    document, _ = load(f"application:\n  pods:\n    - name: a\n      command: {command}\n", "nexlayer.yaml")
    assert document is not None and document_secrets(document).found == []


def test_a_pod_s_or_a_volume_s_key_with_a_blank_is_no_var() -> None:
    # hunt 84 F2: the keys of every list item were read as a var's name and value: `token
    # refresh: hourly` in a pod was starred and a false NX213; only a one-key item is a var
    from nexlayer_lint.loader import load
    from nexlayer_lint.secrets import document_secrets

    text = (
        "application:\n  pods:\n    - name: web\n      token refresh: hourly\n"
        "      volumes:\n        - name: data\n          Secret Mount: /keys\n"
    )
    document, _ = load(text, "nexlayer.yaml")
    assert document is not None and document_secrets(document).keys == ()


def test_a_pod_s_a_volume_s_or_a_port_s_name_with_a_blank_is_no_var() -> None:
    # hunt 85 F4: a list item's `name:` beside other keys is a pod's, a volume's or a port's, not
    # a var's name: `token service` was starred everywhere, with a false NX213 and no rename fix
    text = (
        "application:\n  name: shop\n  pods:\n    - name: token service\n      image: nginx:1.27\n"
        "      path: /\n      servicePorts: [{name: auth token, port: 80}]\n"
        "      volumes:\n        - name: secret store\n          size: 1Gi\n          mountPath: /data\n"
    )
    diagnostics = _no_secret_found(text)
    assert 'pod name "token service" must' in diagnostics[0].message
    assert diagnostics[0].fix is not None  # the rename to token-service


def test_an_item_s_name_key_in_capitals_names_its_var() -> None:
    # hunt 85 F5: `- Key: LOG_LEVEL` without a value was read as a var KEY set to LOG_LEVEL (a
    # false NX213, the name starred), while `- key:` and `- Name:` were read as the item's name
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n"
        "        - Key: LOG_LEVEL\n        - KEY: DB_HOST\n        - key: DEBUG\n        - Name: DB_PORT\n"
    )
    _no_secret_found(text)


def _no_secret_found(text: str) -> tuple:
    """The diagnostics of `text`, once it is checked that no secret is found in it, nor NX213."""
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter
    from nexlayer_lint.loader import load
    from nexlayer_lint.secrets import document_secrets

    document, _ = load(text, "nexlayer.yaml")
    assert document is not None and document_secrets(document).found == []
    diagnostics = Linter(Settings()).lint(text, "nexlayer.yaml").diagnostics
    assert "NX213" not in [d.code for d in diagnostics]
    return diagnostics


def test_prose_in_a_multi_line_list_item_is_no_var() -> None:
    # hunt 92 F3: the lines of any list's item were read as vars; only a vars list's items are
    _no_secret_found(
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      annotations:\n        - |\n          owner: platform team\n"
        "          password: ask the on-call engineer\n          Password reset links expire\n"
    )


def test_only_the_secret_line_of_a_multi_line_vars_item_is_hidden() -> None:
    # hunt 93 F2: a secret on the first line made every later line one value with it
    from nexlayer_lint.loader import load

    text = (
        "application:\n  pods:\n    - vars:\n        - |\n          DB_PASSWORD: hunter2\n          LOG_LEVEL: debug\n"
    )
    document, _ = load(text, "nexlayer.yaml")
    assert document is not None
    assert mask_text(document).splitlines()[-2:] == ["          DB_PASSWORD: *******", "          LOG_LEVEL: debug"]


@pytest.mark.parametrize(
    "value",
    [
        '\'{"secret": 42, "$schema": "https://json-schema.org/draft-07/schema"}\'',
        '"curl -d \'[{\\"token\\": 42}, {\\"name\\": \\"bob\\"}]\' http://localhost/seed"',
    ],
)
def test_a_json_value_ends_at_its_comma(value: str) -> None:
    # hunt 93 F3: an unquoted value ran on past a `,` that the next entry or object follows
    from nexlayer_lint.loader import load

    document, _ = load(f"application:\n  pods:\n    - vars:\n        OPTS: {value}\n", "nexlayer.yaml")
    assert document is not None
    masked = mask_text(document).splitlines()[-1]
    assert "42" not in masked and ("$schema" in masked or "bob" in masked), masked


def test_prose_under_a_key_like_vars_is_no_var() -> None:
    # hunt 94 F3: `jars:`, `vals:` were taken for misspelt vars, their prose's lines for vars
    _no_secret_found(
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      jars:\n        - |\n          release notes\n"
        "          token refresh hourly\n          password policy enforced\n"
    )


def test_starring_takes_each_character_once_however_the_ranges_overlap() -> None:
    # hunt 96 F2: a part inside another repeated the rest of the value, unstarred, in the payload
    from nexlayer_lint.secrets import _starred

    assert _starred("A=pw1 pw2 end", [(2, 13), (6, 9)]) == "A=*** *** ***"
    assert _starred("abcdef", [(1, 3), (2, 5), (2, 3)]) == "a****f"


def test_non_string_name_is_not_secret() -> None:
    assert not is_secret_var_name(42)


# --- references ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("${DB_PASSWORD}", True),
        ("<% REGISTRY_TOKEN %>", True),
        ("<%URL%>", True),
        (" ${A}/${B} ", True),
        ("${DB_PASSWORD:-}", True),
        ("${api:8000}", True),
        ("s3cr3t${X}", False),
        ("postgres://u:${P}@db.pod/x", False),
        ("hunter2", False),
        ("", False),
        (None, False),
        ("$PASSWORD", False),
        ("${DB_PASSWORD:-hunter2}", False),
        # hunt 53 F1: after `:?` and `?` comes the error printed when the var is unset, no value
        ("${DB_PASSWORD:?DB_PASSWORD must be set}", True),
        ("${API_KEY?required}", True),
        ("${API_KEY:+hunter2}", False),  # the value when the var is set
        ("<% X", False),
        ("${X", False),
        # the eleventh leak hunt: Kubernetes' `$(NAME)` is another var's value, no secret
        ("$(DB_PASS)", True),
        ("${A}$(B)<% C %>", True),
        ("$(cat /run/secrets/pw)", False),  # a command, not a name
        ("$(A", False),
        ("s3cr3t$(X)", False),
    ],
)
def test_is_reference(value: object, expected: bool) -> None:
    assert is_reference(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hunter2", True),
        (1234, True),
        ("${X}", False),
        ("", False),
        ("   ", False),
        (None, False),
        (True, False),
        ("<your token here>", False),
        ("<% URL %>", False),
        ("${X:-literal}", True),
    ],
)
def test_is_literal_secret(value: object, expected: bool) -> None:
    assert is_literal_secret(value) is expected


def test_placeholders_and_their_defaults() -> None:
    text = "a${DB_PASSWORD:-pw}b<% URL %>${X}${Y-z}${api:80}"
    assert list(placeholders(text)) == [
        Placeholder(1, 19, "DB_PASSWORD", 16, 18),
        Placeholder(20, 29, "URL", 29, 29),
        Placeholder(29, 33, "X", 33, 33),
        Placeholder(33, 39, "Y", 37, 38),
        Placeholder(39, 48, "api", 48, 48),
    ]
    assert [text[s:e] for s, e in literal_ranges(text)] == ["a", "pw", "b", "z"]
    # unclosed: the rest is literal text, read once
    assert list(placeholders("<%<%<% x ${y")) == []
    assert literal_ranges("${A}/${B}") == []


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ("${DB_PASSWORD:hunter2}", "hunter2"),  # Spring's default, after a single colon
        ("${DB_PASSWORD:0:4}", ""),  # a shell's substring: an offset, not a default
        ("${DB_PASSWORD: -4}", ""),
        ("${DB_PASSWORD:(1)}", ""),
        ("${DB_PASSWORD:}", ""),
    ],
)
def test_a_single_colon_starts_a_default_unless_it_reads_as_an_offset(text: str, default: str) -> None:
    # the seventh leak hunt: `${DB_PASSWORD:hunter2}` was read as a reference, and shown
    [found] = placeholders(text)
    assert text[found.default_start : found.default_end] == default


# --- secrets inside a string --------------------------------------------------------------------

GHP = "ghp_" + "A1b2C3d4" * 4 + "Zz9Q"


JWT_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"


def test_a_jwt_is_a_secret_under_any_name_but_a_published_one() -> None:
    # hunt 16: a bearer token under a neutral name; Supabase's anon key is a JWT made to be public
    text = (
        f"vars:\n  JWT: {JWT_TOKEN}\n  SUPABASE_ANON_KEY: {JWT_TOKEN}\n"
        f"  list:\n    - key: PUBLIC_JWT\n      value: {JWT_TOKEN}\n    - name: X\n      value: {JWT_TOKEN}\n"
    )
    stars = "*" * len(JWT_TOKEN)
    # hunt 18: under a published name, a token found as something else is a secret still
    published = f"PUBLIC_DB_URL: 'postgres://app:{JWT_TOKEN}@db/x'\nANON_CMD: 'psql --password={JWT_TOKEN}'\n"
    assert (
        mask_text(load(published))
        == f"PUBLIC_DB_URL: 'postgres://app:{stars}@db/x'\nANON_CMD: 'psql --password={stars}'\n"
    )
    assert mask_text(load(text)) == (
        f"vars:\n  JWT: {stars}\n  SUPABASE_ANON_KEY: {JWT_TOKEN}\n"
        f"  list:\n    - key: PUBLIC_JWT\n      value: {JWT_TOKEN}\n    - name: X\n      value: {stars}\n"
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("postgresql://admin:S3cr3t@db.pod:5432/app", [("url", "S3cr3t")]),
        ("redis://:pw0rd@redis.pod:6379", [("url", "pw0rd")]),
        ("postgres://u:p@ss@host/db", [("url", "p@ss")]),
        ("postgres://u:${DB_PASSWORD}@host/db", []),
        ("postgres://u:${WHO:-dflt}@host/db", [("url", "dflt")]),  # a default, named like no secret
        ("http://host:8080/path?x=a@b", []),
        # a password pasted without percent-encoding: it runs to the last `@` before the host
        ("postgres://user:pa/ss#wo?rd x@db:5432/app", [("url", "pa/ss#wo?rd x")]),
        ("https://u:pw@host/p?email=a@b.com", [("url", "pw")]),  # an `@` after the host is not hers
        ("https://example.com:443 mail a@b.com", []),  # a port, then other text
        ("see http://u:pw\nand a@b.com", []),  # never past the line
        ("app --password Hunter2 --port 80", [("option", "Hunter2")]),
        ("x --token 'a b' --api-key=k2", [("option", "a b"), ("assignment", "k2")]),
        ("psql --password --host db --no-password x --auth basic -p 22", []),
        ('sh -c "x --password \\"$ADMIN_PASSWORD\\" --secret $(S)"', []),  # references
        ("https://api.example.com/v1?token=t0k3n&page=2", [("query", "t0k3n")]),
        ("https://x.io/?a=1&password=hunter2#frag", [("query", "hunter2")]),
        ("https://x.io/?sslmode=disable&api_key=${KEY}", []),
        (f"run --auth {GHP} now", [("token", GHP)]),
        (f"x{GHP}", []),  # inside a word: not a token's start
        ("github_pat_" + "a" * 30, [("token", "github_pat_" + "a" * 30)]),
        ("glpat-" + "x" * 20, [("token", "glpat-" + "x" * 20)]),
        ("sk_live_" + "9" * 24, [("token", "sk_live_" + "9" * 24)]),
        ("xoxb-123-456-abcdef", [("token", "xoxb-123-456-abcdef")]),
        ("AKIAIOSFODNN7EXAMPLE", [("token", "AKIAIOSFODNN7EXAMPLE")]),
        ("SG." + "a" * 22 + "." + "b" * 43, [("token", "SG." + "a" * 22 + "." + "b" * 43)]),
        # hunt 37 F7: a dotted name is no SendGrid key, whose parts have fixed lengths
        ("SG.configuration_loader.initialize_settings SG.production-cluster-01.example-internal:443", []),
        ("pk_live_" + "9" * 24 + " phc_abcdefghijklmnop", []),  # public keys
        # a webhook's host is shown, its path (the credential) is not
        ("https://hooks.slack.com/services/T000/B000/" + "x" * 24, [("token", "services/T000/B000/" + "x" * 24)]),
        ("https://hooks.slack.com/services/short https://api.slack.com/apps", []),
        ("https://discord.com/api/webhooks/1234567/" + "y" * 30, [("token", "api/webhooks/1234567/" + "y" * 30)]),
        ("https://discord.com/api/webhooks and https://myhooks.slack.com/services/" + "z" * 30, []),
        # hunt 44 F4: Discord's versioned API, and a host in capitals
        (
            "https://discord.com/api/v10/webhooks/1234567/" + "y" * 30,
            [("token", "api/v10/webhooks/1234567/" + "y" * 30)],
        ),
        ("https://HOOKS.SLACK.COM/services/T0/B0/" + "x" * 24, [("token", "services/T0/B0/" + "x" * 24)]),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\n", [("token", "\nMIIEabc\n")]),
        ("-----BEGIN PUBLIC KEY-----\nMIIEabc\n-----END PUBLIC KEY-----", []),
        ("${DB_PASSWORD:-hunter2} ${PORT:-8080}", [("default", "hunter2")]),
        ("echo Pw4pipe |\n  docker login --password-stdin r.io", [("option", "Pw4pipe")]),  # a pipe over a line break
        # hunt 19: a quoted `&`, `;` or `|` ends no command; `|&` pipes too; echo's words are one secret
        ("echo 'pa&ss;w|0rd' | docker login --password-stdin", [("option", "pa&ss;w|0rd")]),
        ("echo Pw5pipe |& docker login --password-stdin", [("option", "Pw5pipe")]),
        ("echo a b c | docker login --password-stdin", [("option", "a b c")]),
        ("gh auth login --with-token && x", []),  # `&&` is no value: gh reads standard input
        (f"--jwt {JWT_TOKEN} x", [("token", JWT_TOKEN)]),
        (f"x{JWT_TOKEN}", []),  # inside a word
        (JWT_TOKEN.rsplit(".", 1)[0] + ".", []),  # unsigned (`alg: none`): no credential
        ("eyJhbGciOiJIUzI1NiJ9.e30.sig", []),  # too short to be one
    ],
)
def test_parts_in_a_string(text: str, found: list[tuple[str, str]]) -> None:
    assert [(p.kind, text[p.start : p.end]) for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("option", "secret"),
    [
        ("--password", True),
        ("--db-password", True),
        ("--api-key", True),
        ("--secret", True),
        ("-token", True),
        ("-db-password", True),  # Go's flags: a single dash, words of _FLAG_WORDS only
        ("-pHunter2Secret77", False),  # mysql's -p with its password attached: not a name
        ("-pmysecret", False),
        ("-mysecret", False),
        ("--mariadb-root-password", True),
        ("-p", False),  # a port as often as a password
        ("--no-password", False),  # a switch
        ("--auth", False),  # secret only as a var's last part
        ("--key-file", False),
        ("--port", False),
        ("--password=x", False),  # NAME=value, found as an assignment
        ("password", False),
    ],
)
def test_secret_options(option: str, secret: bool) -> None:
    assert is_secret_flag(option) is secret


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mysql -uroot -pHunter2Secret77 shopdb", ["Hunter2Secret77"]),  # not `shopdb`
        ("-pHunter2Secret77", ["Hunter2Secret77"]),  # a command list's item
        ("mysqldump -proot shopdb", ["root"]),  # after mysql, any attached value
        ("mysql -p123456 shopdb", ["123456"]),
        ("sh -c \"mysql -p'my pass' db\"", ["my pass"]),
        ("-proot", []),  # alone, a Go-style option as often (`-port`, `-profile`)
        ("ssh -p22 host", []),  # a port
        ("run -p8080:80", []),
        ("app -port 8080 -profile dev", []),
        ("mysql -p$MYSQL_PWD db", []),  # references
        ("mysql -p${DB_PASSWORD} db", []),
        ("mysql -P3306 -p db", []),  # `-P` is the port; a bare `-p` asks for the password
        ("x-pHunter2 a-proot", []),  # not at a word's start
        ("cp -pR /src /dst && ls -pAh", []),  # short options run together
        ("mysql -pAb1", ["Ab1"]),
        # the shell ends an unquoted word at `;`, `&` or `|`: they are shown; inside it, starred
        ("mysql -u root -pHunter2pwx; echo done", ["Hunter2pwx"]),
        ("mysql -pHunter2pwx&& echo ok", ["Hunter2pwx"]),
        ("mysql -pHunter2pwx&&echo ok", ["Hunter2pwx&&echo"]),  # as `pa&&ss`, a password's own
        ("mysql -pHunter2pwx| tee log", ["Hunter2pwx"]),
        ("mysql -pHun;ter2pwx", ["Hun;ter2pwx"]),
        # hunt 23: a list's item ends no shell word, nor does an escaped `;`
        ("-pHunter2pwx;", ["Hunter2pwx;"]),
        ("mysql -p$MYSQL_PWD;", []),  # hunt 25: a reference at the text's end
        ("redis-cli -a $REDIS_PASSWORD;", []),
        ("mysql -pHunter2pwx\\; echo", ["Hunter2pwx\\;"]),
        # a command's output, its word unquoted: the shell's substitution goes on past the blank
        ("mysql -p$(cat /run/secrets/pw);", []),
        ("mysql -p$(cat /run/secrets/pw) db", []),
        ("mysql -p`cat pw`", []),
        ("-p`Hunter2pwx", ["`Hunter2pwx"]),  # a backquote that closes nothing is a character
        ("mysql -p$(Hunter2xy", ["$(Hunter2xy"]),  # nor a `$(` (hunt 30 F6)
        # hunt 30 F4: a password may start with `$`: a reference's name is upper case, and single
        # quotes keep a shell from reading one
        ("mysql -p'$x2pass'", ["$x2pass"]),
        ("mysql -p$password db", []),  # hunt 32 F4: a shell's variable, in any case
        ('redis-cli -a "$redis_pass" ping', []),
        ('mysql -p"$MYSQL_PWD"', []),
    ],
)
def test_an_attached_password(text: str, found: list[str]) -> None:
    parts = parts_in(text)
    assert [text[p.start : p.end] for p in parts] == found
    assert all(p.label == "-p" for p in parts)  # never the value as an option's name


def test_the_item_after_a_secret_option() -> None:
    assert follows_secret_flag(["app", "--password", "hunter2"], 2)
    assert follows_secret_flag(["--token", "-x9"], 1)  # a short option's shape may be a password
    assert not follows_secret_flag(["--password", "--host", "db"], 1)  # psql's --password only asks
    assert not follows_secret_flag(["--password", "$PGPASSWORD"], 1)
    assert [text[p.start : p.end] for text in ["redis-cli -a '$x' ping"] for p in parts_in(text)] == ["$x"]
    assert not follows_secret_flag(["--port", "80"], 1)
    assert not follows_secret_flag(["--password"], 0)
    # a null item is no program's password option (`[~, web]`: a property test's find)
    assert not follows_secret_flag([None, "web"], 1)


def test_assignments_in_a_list_of_vars_and_anywhere() -> None:
    parts = parts_in("DB_PASSWORD=hunter2", assignment=True)
    assert [(p.kind, p.label) for p in parts] == [("assignment", "DB_PASSWORD")]
    assert parts_in("DB_PASSWORD=hunter2") == parts  # `NAME=value` is a word anywhere too
    assert parts_in("DB_PASSWORD: hunter2", assignment=True) != []  # a mapping as a quoted item
    assert parts_in("DB_PASSWORD: hunter2") == []  # only there: `Note: password: x` is prose
    assert parts_in("LOG_LEVEL=debug", assignment=True) == []
    assert parts_in("DB_PASSWORD=${DB_PASSWORD}", assignment=True) == []
    # a shell's reference after the sign is no literal, as after an option (`-p$MYSQL_PWD`)
    for text in ("mysql --password=$MYSQL_PWD", "PGPASSWORD=$PW psql", 'PGPASSWORD="$PW" psql'):
        assert parts_in(text) == [], text
    assert [p.label for p in parts_in("mysql --password=$1abc")] == ["password"]  # `$1` is no name
    # hunt 29 F1: a password may start with `$`: a reference's name is upper case, and single
    # quotes keep a shell from reading one
    for text in ("Pwd=$uperS3cret9;", "-Dspring.datasource.password=$uperS3cret9", "PGPASSWORD='$PW' psql"):
        assert [text[p.start : p.end] for p in parts_in(text)] in (["$uperS3cret9"], ["$PW"]), text


# --- where secrets sit ----------------------------------------------------------------------------

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


def load(text: str) -> Any:
    doc, _ = loader.load(text, "nexlayer.yaml")
    assert doc is not None
    return doc


def test_secret_paths_cover_token_secrets_and_both_vars_forms() -> None:
    assert secret_paths(load(FILE)) == [
        ("application", "registryLogin", "personalAccessToken"),
        ("application", "pods", 0, "vars", "DB_PASSWORD"),
        ("application", "pods", 0, "vars", "JWT_SECRET"),  # a reference, but the place is secret
        ("application", "pods", 0, "secrets", 0, "data"),
        ("application", "pods", 1, "vars", 0, "value"),
    ]


# Each source of secrets (issue 14): the file, and every line as the code frame shows it.
SHAPES = {
    "var": ("vars:\n  DB_PASSWORD: hunter2\n  HOST: db\n", "vars:\n  DB_PASSWORD: *******\n  HOST: db\n"),
    "env": ("env: {DB_PASSWORD: x1, PGPASSWORD: 'x2', A: b}\n", "env: {DB_PASSWORD: **, PGPASSWORD: '**', A: b}\n"),
    "environment list": (
        "environment:\n  - DB_PASSWORD=hunter2\n  - MODE=dev\n",
        "environment:\n  - DB_PASSWORD=*******\n  - MODE=dev\n",
    ),
    "key/value": (
        "vars:\n  - key: API_TOKEN\n    value: tok\n  - name: API_KEY\n    value: k3y\n",
        "vars:\n  - key: API_TOKEN\n    value: ***\n  - name: API_KEY\n    value: ***\n",
    ),
    "a list item's value with blanks": (  # hunt 19: only its first word was starred
        "variables:\n  - DB_PASSWORD=correct horse battery\n",
        "variables:\n  - DB_PASSWORD=*********************\n",
    ),
    "one-key items": ("vars:\n  - GITHUB_PAT: pat\n  - HOST: h\n", "vars:\n  - GITHUB_PAT: ***\n  - HOST: h\n"),
    "an item named by var, id or env": (
        "vars:\n  - var: DB_PASSWORD\n    value: pw1\n  - ID: API_TOKEN\n    value: tk2\n"
        "  - env: SMTP_PASSWORD\n    value: pw3\n  - var: LOG_LEVEL\n    value: debug\n",
        "vars:\n  - var: DB_PASSWORD\n    value: ***\n  - ID: API_TOKEN\n    value: ***\n"
        "  - env: SMTP_PASSWORD\n    value: ***\n  - var: LOG_LEVEL\n    value: debug\n",
    ),
    "registryLogin anywhere": (
        "pods:\n  - registryLogin: [{registry: r.io, username: u, password: pw, token: tk}]\n",
        "pods:\n  - registryLogin: [{registry: r.io, username: u, password: **, token: **}]\n",
    ),
    "registryLogin scalar": ("registryLogin: tok3n\n", "registryLogin: *****\n"),
    "secrets item": (
        "secrets:\n  - {name: n, data: d4ta, extra: 3xtra, mountPath: /m, fileName: f}\n",
        "secrets:\n  - {name: n, data: ****, extra: *****, mountPath: /m, fileName: f}\n",
    ),
    "url password": (
        "DATABASE_URL: postgresql://admin:S3cr3t@db.pod:5432/app\n",
        "DATABASE_URL: postgresql://admin:******@db.pod:5432/app\n",
    ),
    "query": ("hook: 'https://x.io/h?token=abc123&page=2'\n", "hook: 'https://x.io/h?token=******&page=2'\n"),
    "token": (f"command: [run, {GHP}]\n", f"command: [run, {'*' * len(GHP)}]\n"),
    "token in a comment": (f"name: x  # was {GHP}\n", f"name: x  # was {'*' * len(GHP)}\n"),
    "default": ("X: ${DB_PASSWORD:-hunter2}\nDB_PASS: ${Y:-pw}\n", "X: ${DB_PASSWORD:-*******}\nDB_PASS: ${Y:-**}\n"),
    "repeated key": (
        "vars:\n  DB_PASSWORD: first\n  DB_PASSWORD: 'second'\n",
        "vars:\n  DB_PASSWORD: *****\n  DB_PASSWORD: '******'\n",
    ),
    "repeated quoted first": (
        'vars:\n  API_KEY: "one"\n  OTHER: x\n  API_KEY: two\n',
        'vars:\n  API_KEY: "***"\n  OTHER: x\n  API_KEY: ***\n',
    ),
    "repeated mapping": ("vars:\n  DB_PASSWORD: a1\nvars:\n  X: y\n", "vars:\n  DB_PASSWORD: **\nvars:\n  X: y\n"),
    "alias": ("a: &pw hunter2\nvars:\n  DB_PASSWORD: *pw\n", "a: &pw *******\nvars:\n  DB_PASSWORD: *pw\n"),
    "merge overridden": (
        "vars:\n  <<: {DB_PASSWORD: a1, HOST: h}\n  DB_PASSWORD: b2\n",
        "vars:\n  <<: {DB_PASSWORD: **, HOST: h}\n  DB_PASSWORD: **\n",
    ),
    "punctuation only": ("DB_PASSWORD: '!@#$%'\n", "DB_PASSWORD: '*****'\n"),
    "collection under a secret": ("CLIENT_SECRET:\n  k1: v1\n  k2: [v2]\n", "CLIENT_SECRET:\n  **: **\n  **: [**]\n"),
    "block scalar": ("TLS_KEY: |\n  line one\n  line two\nx: y\n", "TLS_KEY: |\n  ********\n  ********\nx: y\n"),
    "multi-line quoted": ('API_KEY: "part one\n  part two"\n', 'API_KEY: "********\n  ********"\n'),
    "pem under any name": (
        "cert: |\n  -----BEGIN PRIVATE KEY-----\n  MIIE\n  -----END PRIVATE KEY-----\n",
        "cert: |\n  -----BEGIN PRIVATE KEY-----\n  ****\n  -----END PRIVATE KEY-----\n",
    ),
    "number": ("API_KEY: 8675309\nDB_PASSWORD: 0042\n", "API_KEY: *******\nDB_PASSWORD: ****\n"),
    "references stay": (
        "DB_PASSWORD: ${DB_PASSWORD}\nTOKEN: <% T %>\nDB_URL: postgres://u:${P}@h/x\n",
        "DB_PASSWORD: ${DB_PASSWORD}\nTOKEN: <% T %>\nDB_URL: postgres://u:${P}@h/x\n",
    ),
    "mixed": ("API_KEY: pre${X}post\n", "API_KEY: ***${X}****\n"),
    # the eleventh leak hunt: public fields misspelt are still public
    "public fields in any spelling": (
        "spelt:\n  registryLogin:\n    userName: bot\n    token: t1\n  secrets:\n    - Name: s\n      mountpath: /m\n"
        "      file_name: f\n      data: d1\n",
        "spelt:\n  registryLogin:\n    userName: bot\n    token: **\n  secrets:\n    - Name: s\n      mountpath: /m\n"
        "      file_name: f\n      data: **\n",
    ),
    # hunt 110 F2: a mapping merged in is judged as the one it is merged into: a login's public
    # fields and every key were starred, and a merged var item's value whatever its key
    "merge keys": (
        "x-l: &l\n  registry: ghcr.io\n  username: bob\n  personalAccessToken: tok1\n"
        "x-f: &f {name: s, data: dat1, mountPath: /etc/app}\nx-v: &v {key: LOG_LEVEL, value: debug}\n"
        "x-w: &w {key: LOG_LEVEL, value: pw1}\n"
        "application:\n  registryLogin:\n    <<: *l\n  pods:\n    - secrets:\n        - <<: [*f]\n"
        "      vars:\n        - <<: *v\n        - <<: *w\n          key: API_TOKEN\n",
        "x-l: &l\n  registry: ghcr.io\n  username: bob\n  personalAccessToken: ****\n"
        "x-f: &f {name: s, data: ****, mountPath: /etc/app}\nx-v: &v {key: LOG_LEVEL, value: debug}\n"
        "x-w: &w {key: LOG_LEVEL, value: ***}\n"
        "application:\n  registryLogin:\n    <<: *l\n  pods:\n    - secrets:\n        - <<: [*f]\n"
        "      vars:\n        - <<: *v\n        - <<: *w\n          key: API_TOKEN\n",
    ),
    "a password read as an anchor": (
        "PG_PASSWORD: &hunter2\nGH_TOKEN: !tagged x\n",
        "PG_PASSWORD: ********\nGH_TOKEN: ******* *\n",
    ),
}


def test_another_word_for_value_counts_only_in_an_item_known_to_name_a_secret() -> None:
    # a pod copied by a merge key is judged without its data at hand: `value` is hidden then, as
    # always, but `data: "/api"` (another word for it) of a pod named api is not a secret
    text = "pods:\n  - &base\n    name: api\n    data: /api\n  - <<: *base\n    name: api2\n"
    assert mask_text(load(text)) == text
    text = "vars:\n  - name: DB_PASSWORD\n    data: hunter2\n  - name: API_TOKEN\n    contents: tok\n"
    assert (
        mask_text(load(text))
        == "vars:\n  - name: DB_PASSWORD\n    data: *******\n  - name: API_TOKEN\n    contents: ***\n"
    )


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_mask_text_replaces_exactly_the_secret(name: str) -> None:
    text, expected = SHAPES[name]
    assert mask_text(load(text)) == expected


# A secret inside a value whose text is not its value (escapes, folded lines): starred at every
# character that wrote it, the rest as written. Apart from SHAPES, whose texts are also joined
# into one document.
WRITTEN_SHAPES = {
    "escaped @ after a url password": (
        'DB_URL: "postgres://u:S3cr3t\\x40db/x"\n',
        'DB_URL: "postgres://u:******\\x40db/x"\n',
    ),
    "escaped @ as unicode": ('DB_URL: "mysql://u:S3cr3t\\u0040db/x"\n', 'DB_URL: "mysql://u:******\\u0040db/x"\n'),
    "escape inside a url password": ('DB_URL: "pg://u:S3\\x63r3t@db/x"\n', 'DB_URL: "pg://u:*********@db/x"\n'),
    "token written with an escape": (f'command: "gh\\x70{GHP[3:]} -v"\n', f'command: "{"*" * (len(GHP) + 3)} -v"\n'),
    "escaped equals": ('command: "PGPASSWORD\\x3dS3cr3t psql"\n', 'command: "PGPASSWORD\\x3d****** psql"\n'),
    "escaped dollar": ('X: "\\x24{DB_PASSWORD:-S3cr3t} ${Y}"\n', 'X: "\\x24{DB_PASSWORD:-******} ${Y}"\n'),
    "escaped space in a pem header": (
        'TLS: "-----BEGIN\\x20RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----"\n',
        'TLS: "-----BEGIN\\x20RSA PRIVATE KEY-----********-----END RSA PRIVATE KEY-----"\n',
    ),
    "escaped option value": ('command: "app --password\\x20S3cr3t -v"\n', 'command: "app --password\\x20****** -v"\n'),
    "escaped assignment in a list": (
        'vars:\n  - "DB_PASSWORD\\x3dS3cr3t"\n  - "HOST=db"\n',
        'vars:\n  - "DB_PASSWORD\\x3d******"\n  - "HOST=db"\n',
    ),
    "escaped brace after a reference": ('DB_PASSWORD: "${A\\x7dS3cr3t}"\n', 'DB_PASSWORD: "${A\\x7d*******"\n'),
    "escaped token key": (f'"gh\\x70{GHP[3:]}": x\n', f'"{"*" * (len(GHP) + 3)}": x\n'),
    "escaped, repeated key": (
        'DB_URL: "pg://u:S3cr3t\\x40db/x"\nDB_URL: y\n',
        'DB_URL: "pg://u:******\\x40db/x"\nDB_URL: y\n',
    ),
    "line continued": ('DB_URL: "pg://u:S3cr\\\n  3t@db/x"\n', 'DB_URL: "pg://u:*****\n  **@db/x"\n'),
    "plain folded": ("DB_URL: redis://u:S3cr3t\n  @cache:6379\n", "DB_URL: redis://u:******\n  @cache:6379\n"),
    "plain folded in the password": ("DB_URL: redis://u:S3cr\n  3t@c:1\n", "DB_URL: redis://u:****\n  **@c:1\n"),
    "quoted folded": ("DB_URL: 'redis://u:S3cr3t\n  @cache'\n", "DB_URL: 'redis://u:******\n  @cache'\n"),
    "folded block": ("DB_URL: >\n  redis://u:S3cr3t\n  @cache\n", "DB_URL: >\n  redis://u:******\n  @cache\n"),
    # an explicit indentation indicator, counted from the key's column (hunt 155 F4; it was starred whole)
    "folded block, indented explicitly": (
        "DB_URL: >2\n  redis://u:S3cr3t\n  @cache\nx: y\n",
        "DB_URL: >2\n  redis://u:******\n  @cache\nx: y\n",
    ),
    # one whose header's line has a tag on its key is not read here: all of it is starred
    "explicit indentation after a tagged key": (
        "!!str DB_URL: >2\n  redis://u:S3cr3t\n  @cache\nx: y\n",
        "!!str DB_URL: >2\n  ****************\n  ******\nx: y\n",
    ),
}


@pytest.mark.parametrize("name", sorted(WRITTEN_SHAPES))
def test_a_secret_is_starred_where_escapes_and_folds_wrote_it(name: str) -> None:
    text, expected = WRITTEN_SHAPES[name]
    assert mask_text(load(text)) == expected


def test_mask_text_hides_every_literal_secret_and_keeps_the_layout() -> None:
    doc = load(FILE)
    masked = mask_text(doc)
    original_lines, masked_lines = FILE.splitlines(keepends=True), masked.splitlines(keepends=True)
    assert [len(line) for line in masked_lines] == [len(line) for line in original_lines]
    changed = [n for n, (a, b) in enumerate(zip(original_lines, masked_lines, strict=True), 1) if a != b]
    assert changed == [6, 14, 19, 20, 28]
    assert masked_lines[5] == '    personalAccessToken: "************"\n'
    assert masked_lines[18] == "            *******************\n"  # block scalar: indentation kept
    assert masked_lines[19] == "            ******\n"


def test_text_that_merely_equals_a_secret_is_shown() -> None:
    text = (
        "application:\n  pods:\n    - name: postgres\n      image: ghcr.io/acme/shop-web\n      vars:\n"
        "        POSTGRES_PASSWORD: postgres\n        DB_PASSWORD: shop\n        OTHER: postgres shop\n"
    )
    masked = mask_text(load(text)).splitlines()
    assert masked[2] == "    - name: postgres"
    assert masked[3] == "      image: ghcr.io/acme/shop-web"
    assert masked[5:] == [
        "        POSTGRES_PASSWORD: ********",
        "        DB_PASSWORD: ****",
        "        OTHER: postgres shop",
    ]


def test_the_document_keeps_where_values_it_does_not_hold_were_written() -> None:
    doc = load("a:\n  b: 1\n  c: [2]\na: {b: 3}\nm:\n  <<: {x: 4}\n  x: 5\n")
    assert [(path, located.value.line) for path, located in doc.unheld] == [
        (("a",), 2),
        (("a", "b"), 2),
        (("a", "c"), 3),
        (("a", "c", 0), 3),
        (("m", "<<"), 6),
        (("m", "<<", "x"), 6),
    ]
    assert load("a: 1\nb: {c: 2}\n").unheld == ()


def test_secret_spans_are_disjoint_and_hold_no_line_break() -> None:
    doc = load(FILE)
    spans = secret_spans(doc)
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(spans))
    assert all("\n" not in doc.text[a:b] for a, b in spans)
    assert overlaps(doc, Span(14, 22, 14, 36)) and overlaps(doc, Span(14, 30, 14, 31))
    assert not overlaps(doc, Span(14, 9, 14, 20)) and not overlaps(doc, Span(13, 9, 13, 29))


def test_find_secrets_names_kind_and_label() -> None:
    found = find_secrets(load(SHAPES["key/value"][0] + SHAPES["url password"][0]).data)
    assert found == [
        Secret(("vars", 0, "value"), "name", "API_TOKEN"),
        Secret(("vars", 1, "value"), "name", "API_KEY"),
        Secret(("DATABASE_URL",), "url", "password", 19, 25),
    ]


def test_holds_secret_covers_values_with_a_secret_inside() -> None:
    doc = load(SHAPES["url password"][0] + "OTHER: x\n" + SHAPES["var"][0])
    assert holds_secret(doc, ("DATABASE_URL",)) and holds_secret(doc, ("vars", "DB_PASSWORD"))
    assert not holds_secret(doc, ("OTHER",)) and not holds_secret(doc, ("vars", "HOST"))


# --- redaction ------------------------------------------------------------------------------------


def test_redact_data_replaces_literals_by_type_and_leaves_the_original() -> None:
    doc = load(FILE)
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


def test_redact_data_keeps_the_shape_of_every_source() -> None:
    data = load(
        "".join(
            text for text, _ in SHAPES.values() if "vars:\n  DB_PASSWORD: a1" not in text and "DATABASE_URL" not in text
        )
        + SHAPES["url password"][0]
    ).data
    redacted = redact_data(data)
    assert redacted["env"] == {"DB_PASSWORD": REDACTED, "PGPASSWORD": REDACTED, "A": "b"}
    assert redacted["environment"] == ["DB_PASSWORD=*******", "MODE=dev"]
    assert redacted["registryLogin"] == REDACTED
    assert redacted["pods"][0]["registryLogin"] == [
        {"registry": "r.io", "username": "u", "password": REDACTED, "token": REDACTED}
    ]
    assert redacted["DATABASE_URL"] == "postgresql://admin:******@db.pod:5432/app"
    assert redacted["hook"] == "https://x.io/h?token=******&page=2"
    assert redacted["command"] == ["run", "*" * len(GHP)]
    assert redacted["X"] == "${DB_PASSWORD:-*******}"
    assert redacted["CLIENT_SECRET"] == {}
    assert redacted["API_KEY"] == "***${X}****"  # the last API_KEY of the joined text
    assert redacted["DB_PASSWORD"] == "${DB_PASSWORD}"
    assert redacted["cert"] == "-----BEGIN PRIVATE KEY-----\n****\n-----END PRIVATE KEY-----\n"


def test_redact_data_survives_any_shape() -> None:
    assert redact_data(None) is None
    assert redact_data([1, 2]) == [1, 2]
    assert redact_data({"application": {"pods": "x"}}) == {"application": {"pods": "x"}}
    odd = {"application": {"registryLogin": {"personalAccessToken": {"a": "b"}}}}
    assert redact_data(odd) == {"application": {"registryLogin": {"personalAccessToken": {}}}}
    huge = {"DB_PASSWORD": 16**4000, "API_KEY": 2.5, "TOKEN": True}
    assert redact_data(huge) == {"DB_PASSWORD": 0, "API_KEY": 0.0, "TOKEN": True}


# --- defence in depth -----------------------------------------------------------------------------


def test_scrub_touches_whole_words_that_equal_a_secret_only() -> None:
    doc = load("vars:\n  DB_PASSWORD: hunter2\n  API_KEY: 8675309\n  PIN: 1234\n" + SHAPES["url password"][0])
    said = "token hunter2 rejected; hunter22 and xhunter2 are other words; 8675309 S3cr3t 1234"
    assert scrub(doc, said) == "token **** rejected; hunter22 and xhunter2 are other words; **** **** 1234"


def test_scrub_stars_a_number_secret_as_it_was_written() -> None:
    # hunt 188 F3: a float, and an integer of more than 40 digits, quoted back by a reply
    big = "1111111111" * 4 + "5"
    doc = load(f"vars:\n  DB_PASSWORD: 31415.92653\n  API_KEY: {big}\n  PIN_TOKEN: 1e5\n")
    said = f"value 31415.92653 and {big} and 1e5 and 100000.0 refused; 31415 is not one"
    hidden = scrub(doc, said)
    assert hidden.startswith("value **** and **** and 1e5 and ****") and hidden.endswith(" refused; 31415 is not one")
    assert "100000" not in hidden  # hunt 189 F8: a whole float as the integer a reply may write
    assert scrub(load("vars:\n  DB_PASSWORD: 7391e5\n"), "value 739100000 refused") == "value **** refused"


def test_scrub_stars_pieces_of_a_secret_with_a_letter_and_a_digit_or_of_twelve_letters() -> None:
    # hunt 22 F5: a piece of 8 letters and digits of a secret of 12 or more is starred where a
    # reply writes it; one without a digit, or of digits alone, may be a word or a date of the
    # reply, unless it runs to 12 letters (hunt 24: `CdEfGhIjKlMn` of a key)
    doc = load(
        "vars:\n  DB_PASSWORD: correct horse battery staple\n  API_KEY: Release20241231xy\n"
        "  TOKEN: sk9-AbCdEfGhIjKlMnOpQr\n"
    )
    said = "the battery status on 2024-12-31; key ...se20241231xy and Release2024 rejected"
    assert scrub(doc, said) == "the battery status on 2024-12-31; key ...**** and **** rejected"
    assert scrub(doc, "key ...CdEfGhIjKlMn and AbCdEfGhIjK; correct horses") == "key ...**** and AbCdEfGhIjK; ****s"


# --- property: masking changes exactly the characters of the secrets ----------------------------

CANARY = st.text(alphabet="QZXJ", min_size=6, max_size=10).map(lambda s: "QZ" + s)
HARMLESS = st.text(alphabet="abcdefghij-./", min_size=1, max_size=10).filter(lambda s: s[0] not in "-.")
HARMLESS_NAMES = ["HOST", "MODE", "PORT_NAME", "LOG_LEVEL", "TOKEN_URL", "API_URL", "PUBLIC_KEY"]
SECRET_NAMES_USED = ["DB_PASSWORD", "API_KEY", "PGPASSWORD", "JWT_SIGNING_KEY", "SALT", "GITHUB_PAT"]


@st.composite
def planted(draw: Any) -> tuple[str, list[str]]:
    """A nexlayer-like file with harmless values and secrets planted in every kind of place;
    the planted strings are the only text from the QZXJ alphabet."""
    plants: list[str] = []

    def secret() -> str:
        value = draw(CANARY)
        plants.append(value)
        return value

    def scalar(value: str) -> str:
        style = draw(st.sampled_from(["", "'", '"']))
        return f"{style}{value}{style}"

    lines = ["application:", "  name: shop", "  pods:"]
    for pod in range(draw(st.integers(1, 3))):
        lines += [f"    - name: p{pod}", "      image: nginx:1.27", "      vars:"]
        entries = []
        for _ in range(draw(st.integers(0, 4))):
            entries.append(f"{draw(st.sampled_from(HARMLESS_NAMES))}: {scalar(draw(HARMLESS))}")
        for kind in draw(
            st.lists(st.sampled_from(["name", "url", "token", "default", "query", "block", "repeat"]), max_size=4)
        ):
            if kind == "name":
                entries.append(f"{draw(st.sampled_from(SECRET_NAMES_USED))}: {scalar(secret())}")
            elif kind == "url":
                entries.append(f"DATABASE_URL: {scalar(f'postgresql://app:{secret()}@db.pod:5432/x')}")
            elif kind == "token":
                token = "ghp_" + draw(CANARY) * 4
                plants.append(token)
                entries.append(f"HELPER: {scalar(token)}")
            elif kind == "default":
                entries.append(f"FALLBACK: {scalar('${DB_PASSWORD:-' + secret() + '}')}")
            elif kind == "query":
                entries.append(f"HOOK: {scalar(f'https://x.io/h?page=2&token={secret()}')}")
            elif kind == "block":
                entries.append(f"TLS_KEY: |\n          {secret()}\n          {secret()}")
            else:
                entries.append(f"SALT: {scalar(secret())}")
                entries.append(f"SALT: {scalar(secret())}")
        names = [e.split(":")[0] for e in entries]
        entries = [e for i, e in enumerate(entries) if e.startswith("SALT") or names.index(names[i]) == i]
        lines += [f"        {entry}" for entry in entries] or ["        HOST: x"]
        if draw(st.booleans()):
            lines += [
                "      secrets:",
                f"        - name: s{pod}",
                f"          data: {scalar(secret())}",
                "          mountPath: /s",
                "          fileName: f",
            ]
    if draw(st.booleans()):
        lines += [
            "  registryLogin:",
            "    registry: ghcr.io",
            "    username: me",
            f"    personalAccessToken: {scalar(secret())}",
        ]
    return "\n".join(lines) + "\n", plants


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_masking_changes_exactly_the_planted_secrets(document: tuple[str, list[str]]) -> None:
    text, plants = document
    masked = mask_text(load(text))
    assert len(masked) == len(text)
    changed = {i for i, (a, b) in enumerate(zip(text, masked, strict=True)) if a != b}
    expected = {i for plant in plants for m in re.finditer(re.escape(plant), text) for i in range(*m.span())}
    assert changed == expected, (text, masked)


# --- NX213 / NX214 --------------------------------------------------------------------------------

POD = (
    "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    "      servicePorts: [80]\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "DB_PASSWORD: ${DB_PASSWORD}",
        'DB_PASSWORD: "<% DB_PASSWORD %>"',
        'DB_PASSWORD: ""',
        "DB_PASSWORD:",
        "API_KEY: <your key here>",
        "DB_PASSWORD: ${DB_PASSWORD:-}",
        "DATABASE_URL: postgresql://u:${DB_PASSWORD}@db.pod/x",
        "PORT_URL: http://web.pod:80?page=2",
        "STRIPE_PUBLIC_KEY: pk_live_0123456789abcdef",
        "TOKEN_URL: https://x.io/t",
        "X: ${PORT:-8080}",
        "DB_PASSWORD: $(DB_PASS)",
        "DATABASE_URL: postgresql://u:$(DB_PASSWORD)@db.pod/x",
    ],
)
def test_nx213_never_fires_for_references_templates_or_empty_values(line: str) -> None:
    from tests.conftest import lint_codes

    assert [code for code, *_ in lint_codes(POD + "      vars:\n        " + line + "\n") if code == "NX213"] == []


def test_an_unbraced_reference_is_written_out_in_the_hint_only_under_its_own_name() -> None:
    # hunt 58 F4: the frame starred `$ZQ9_SECRET_TOKEN_77` while the hint printed it
    from tests.conftest import lint_diags

    hints = {
        line: [d.hint for d in lint_diags(POD + "      vars:\n        " + line + "\n") if d.code == "NX213"]
        for line in ("POSTGRES_PASSWORD: $POSTGRES_PASSWORD", "DB_PASSWORD: $ZQ9_SECRET_TOKEN_77")
    }
    assert hints == {
        "POSTGRES_PASSWORD: $POSTGRES_PASSWORD": [
            'write "${POSTGRES_PASSWORD}" to fill it in from the Nexlayer dashboard\'s secret of that name'
        ],
        "DB_PASSWORD: $ZQ9_SECRET_TOKEN_77": [
            'write "${NAME}" to fill it in from the Nexlayer dashboard\'s secret of that name'
        ],
    }


def test_sshpass_options_end_where_the_program_it_runs_starts() -> None:
    # hunt 71 F3: ssh's `-p2222` (a port) after `sshpass -f file ssh` was sshpass's password
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter

    for command in ("[sshpass, -f, /run/pw, ssh, -p2222, host]", "[sshpass, -e, rsync, -pavz, /d, h:/b]"):
        result = Linter(Settings()).lint(POD + f"      command: {command}\n", "nexlayer.yaml")
        assert [d for d in result.diagnostics if d.code == "NX213"] == [], command
    result = Linter(Settings()).lint(POD + "      command: [sshpass, -pzqsshpass, ssh, -p2222, h]\n", "nexlayer.yaml")
    assert [d.message for d in result.diagnostics if d.code == "NX213"] == [
        'command[1] of pod "web" gives -p a literal secret'
    ]
    # hunt 72 F1: the program sshpass runs may take an attached password itself
    mysql = "      command: [sshpass, -f, /run/pw, mysql, -uroot, -pzqmysqlpw]\n"
    result = Linter(Settings()).lint(POD + mysql, "nexlayer.yaml")
    assert [d.message for d in result.diagnostics if d.code == "NX213"] == [
        'command[5] of pod "web" gives -p a literal secret'
    ]


@pytest.mark.parametrize(
    ("entrypoint", "command", "secret"),
    [
        ("redis-cli", '"-h cache.pod -a ZqRedis9x ping"', "ZqRedis9x"),
        ("[mongosh]", "\"-u admin -p ZqMongo9x --eval 'db.stats()'\"", "ZqMongo9x"),
        ("app --password", "ZqApp99xy", "ZqApp99xy"),  # the option in the entrypoint, its value here
        ("redis-cli", "[-a, ZqRedis8x, ping]", "ZqRedis8x"),  # a list: the entrypoint's arguments
        ("[redis-cli, -h, db]", "[-a, ZqRedis7x]", "ZqRedis7x"),
        ("'app --password'", "[ZqApp97xy]", "ZqApp97xy"),
        ("[redis-cli, -p, 6380]", "[-a, ZqRedis6x]", "ZqRedis6x"),  # hunt 67 F7: a number in the entrypoint
    ],
)
def test_a_commands_options_are_read_as_its_entrypoints(entrypoint: str, command: str, secret: str) -> None:
    # hunt 53 F4: Docker's ENTRYPOINT and CMD split a command line; its password was shown and sent
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter

    text = POD + f"      entrypoint: {entrypoint}\n      command: {command}\n"
    result = Linter(Settings()).lint(text, "nexlayer.yaml")
    [found] = [d for d in result.diagnostics if d.code == "NX213"]
    col = text.splitlines()[8].index(secret) + 1
    assert (found.line, found.col, found.end_col) == (9, col, col + len(secret))
    assert secret not in result.masked_text
    assert all(secret not in d.message + (d.hint or "") for d in result.diagnostics)
    # the same words are no password without that program
    alone = Linter(Settings()).lint(POD + f"      command: {command}\n", "nexlayer.yaml")
    assert [d for d in alone.diagnostics if d.code == "NX213"] == []


@pytest.mark.parametrize(
    ("line", "col", "end_col", "message"),
    [
        ("DB_PASSWORD: s3cr3t", 22, 28, 'var "DB_PASSWORD" of pod "web" holds a literal secret'),
        ("PGPASSWORD: 1234", 21, 25, 'var "PGPASSWORD" of pod "web" holds a literal secret'),
        (
            "DATABASE_URL: postgresql://app:pw0@db.pod:5432/x",
            40,
            43,
            'var "DATABASE_URL" of pod "web" has a literal password in its URL',
        ),
        (
            "HOOK: 'https://x.io/in?a=1&token=t0k'",
            42,
            45,
            'var "HOOK" of pod "web" has a literal "token" in its URL query',
        ),
        (f"HELPER: {GHP}", 17, 17 + len(GHP), 'var "HELPER" of pod "web" holds a GitHub token'),
        (
            "X: ${DB_PASSWORD:-fallback}",
            27,
            35,
            'var "X" of pod "web" falls back to a literal secret (the default of ${DB_PASSWORD})',
        ),
        (
            "JWT_SIGNING_KEY: ${JWT_SIGNING_KEY:-changeme}",
            26,
            54,
            'var "JWT_SIGNING_KEY" of pod "web" falls back to a literal secret (the default of ${JWT_SIGNING_KEY})',
        ),
        (  # hunt 53 F6: a reference without its braces is no secret to rotate, but the app gets it as one
            "POSTGRES_PASSWORD: $POSTGRES_PASSWORD",
            28,
            46,
            'var "POSTGRES_PASSWORD" of pod "web" reads a var without braces ($NAME), which Nexlayer does not '
            "fill in: the app would get that text as its secret",
        ),
        ("DB_PASSWORD: $Ecret12", 22, 30, 'var "DB_PASSWORD" of pod "web" holds a literal secret'),
        # hunt 141 F2: a `<% %>` that names no template is literal, and no name to print
        ('DB_PASSWORD: "<%S3cr3t!Pass%>"', 22, 39, 'var "DB_PASSWORD" of pod "web" holds a literal secret'),
    ],
)
def test_nx213_finds_each_kind_and_points_at_it(line: str, col: int, end_col: int, message: str) -> None:
    from tests.conftest import lint_diags

    [found] = [d for d in lint_diags(POD + "      vars:\n        " + line + "\n") if d.code == "NX213"]
    assert (found.line, found.col, found.end_col, found.message) == (9, col, end_col, message)


def test_nx214_for_every_registry_login_key_meant_for_the_token() -> None:
    from tests.conftest import lint_diags

    text = POD.replace(
        "  pods:\n",
        "  registryLogin:\n    registry: ghcr.io\n    username: me\n    password: pw1\n"
        "    token: ${T}\n    size: 1Gi\n  pods:\n",
    ) + ("      registryLogin: [{registry: r, personalAccessToken: pat2}]\n")
    found = [(d.line, d.message) for d in lint_diags(text) if d.code in ("NX213", "NX214")]
    assert found == [
        (6, "registryLogin.password is a literal credential written in the file"),
        (14, "pods[0].registryLogin[0].personalAccessToken is a literal token written in the file"),
    ]


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        ("PGPASSWORD=hunter2 psql -h db", ["hunter2"]),
        ("app --api-key=k3y --port=80", ["k3y"]),
        ("host=db password=pw1,user=x", ["pw1"]),
        ("disable=DB_PASSWORD=pw2", ["pw2"]),  # a name right after another's `=`
        ("TOKEN_URL=https://x SORT_KEY=a PASSWORD=${DB_PASSWORD}", []),  # not secret names; a reference
        ("buzz_relay=info,buzz_auth=info", []),  # RUST_LOG: secret only by its last part, not here
        ("a" * 100_000 + "=", []),
    ],
)
def test_an_assignment_is_found_anywhere_in_a_text(text: str, secrets: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text) if p.kind == "assignment"] == secrets


@pytest.mark.parametrize(
    ("data", "found"),
    [
        ({"vars": "DB_PASSWORD:hunter2"}, [(("vars",), "hunter2")]),  # a mapping without its space
        ({"env": "DB_PASSWORD: hunter2"}, [(("env",), "hunter2")]),
        ({"vars": "DB_PASSWORD=hunter2"}, [(("vars",), "hunter2")]),
        ({"vars": "LOG_LEVEL:debug"}, []),
        ({"vars": "DB_PASSWORD:${DB_PASSWORD}"}, []),
        ({"name": "DB_PASSWORD: x"}, []),  # only where vars are expected
        # the fifth leak hunt: every entry of the string, not only the first
        ({"vars": "{A: 1, DB_PASSWORD: pw1}"}, [(("vars",), "pw1")]),
        ({"vars": '{"A": "1", "API_KEY": "k,2"}'}, [(("vars",), "k,2")]),
        ({"vars": "A: 1\nDB_PASSWORD: pw3\nB: 2\n"}, [(("vars",), "pw3")]),
        ({"vars": "{DB_PASSWORD: ${DB_PASSWORD}}"}, []),
    ],
)
def test_vars_written_as_one_string(data: dict[str, Any], found: list[tuple[tuple[str, ...], str]]) -> None:
    secrets = find_secrets(data)
    assert [(s.path, data[s.path[0]][s.start : s.end]) for s in secrets] == found


def test_a_misspelt_value_or_secrets_key() -> None:
    from nexlayer_lint.secrets import is_secrets_key, is_value_key

    assert all(is_value_key(k) for k in ("value", "Value", "VALUE", "valeu", "vaule", "val", "values", "valeus"))
    assert not any(is_value_key(k) for k in ("valueFrom", "volume", "valid", "label", "name", "key"))
    assert all(is_secrets_key(k) for k in ("secrets", "Secrets", "SECRETS", "secrtes", "sercets", "secret_s"))
    assert not any(is_secrets_key(k) for k in ("servers", "sectors", "secure", "secs", "settings", "secretFiles"))
    item = {
        "vars": [
            {"name": "DB_PASSWORD", "Value": "x"},
            {"name": "LOG", "Value": "y"},
            {"key": "A_KEY", "valueFrom": "r"},
        ]
    }
    assert [s.path for s in find_secrets(item)] == [("vars", 0, "Value")]
    files = {"Secrets": [{"name": "db", "data": "x", "mountPath": "/etc/db"}], "servers": [{"name": "a", "data": "y"}]}
    assert [s.path for s in find_secrets(files)] == [("Secrets", 0, "data")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"password":"hunter2"}', ["hunter2"]),  # a JSON object written as one string
        ('{"db": {"password": "hunter2", "host": "db"}}', ["hunter2"]),  # nested
        ('{"client_secret": "a\\"b", "port": 80}', ['a\\"b']),  # an escaped quote does not end it
        ('{"api_key": "k\\\\", "x": 1}', ["k\\\\"]),  # an escaped backslash does not escape the quote
        ("{A: 1, DB_PASSWORD: hunter2}", ["hunter2"]),  # a flow mapping
        ('{"name": "web", "port": 80}', []),
        ("see {a: 1}", []),  # a brace later in the text is no object
        (' {"password": "hunter2"}', ["hunter2"]),  # blanks before it
        ('[{"password": "hunter2"}]', ["hunter2"]),  # a list of objects
        ('{"auth": {"type": "token", "password": "pw"}}', ["pw"]),  # a nested object is read, not masked whole
        ('{"password": null, "api_key": true}', []),  # JSON's words are nothing written
        # hunt 148 F2: an env list as JSON, its items' `value` secret by their `name` or `key`,
        # which is shown; a key that names no var in capitals is itself one
        ('[{"name": "DB_PASSWORD", "value": "ZqEnv1x"}, {"name": "HOST", "value": "db"}]', ["ZqEnv1x"]),
        ('{"key": "API_KEY", "value": "ZqEnv2x"} {"key": "LOG_LEVEL", "value": "debug"}', ["ZqEnv2x"]),
        ('[{"name": "DB_PASSWORD"}, {"name": "HOST", "value": "db"}] {"key": "sk_ZqEnv3x"}', ["sk_ZqEnv3x"]),
        ('{"user": "app", "pwd": "ZqPwd5x"} {user: "a", pwd: "ZqPwd6x"}', ["ZqPwd5x", "ZqPwd6x"]),  # hunt 148 F5
        # hunt 149: a value before its name, a name in lower case; `"PWD"` is the working folder (F8)
        ('[{"value": "ZqEnv4x", "name": "DB_PASSWORD"}, {"value": "pub", "name": "HOST"}]', ["ZqEnv4x"]),
        ('[{"value": "pub"}, {"name": "db_password", "value": "ZqEnv5x"}] {"PWD": "/srv/app"}', ["ZqEnv5x"]),
    ],
)
def test_a_json_object_in_a_value_is_read_entry_by_entry(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


def test_a_var_item_written_as_a_list_keeps_its_value_key_and_a_note() -> None:
    # hunt 149 F8: `- [name: DB_PASSWORD, value: x]` starred the key `value` and sent `{}`; F6: a
    # note after a pair's value
    from nexlayer_lint.secrets import redact_data

    data = {"vars": [[{"name": "DB_PASSWORD"}, {"value": "ZqPair1"}], ["API_KEY", "ZqPair2", "rotate"]]}
    assert [s.path for s in find_secrets(data)] == [("vars", 0, 1, "value"), ("vars", 1, 1)]
    assert redact_data(data) == {
        "vars": [[{"name": "DB_PASSWORD"}, {"value": "<redacted>"}], ["API_KEY", "<redacted>", "rotate"]]
    }
    # found by the property test: a repeated key's earlier list is unknown (None) to the masking
    doc = loader.load("&a0 {application: [[web]], application: {}}\n", "x")[0]
    assert doc is not None and mask_text(doc) == doc.text
    doc = loader.load("a: [[DB_PASSWORD, ZqPair3]]\na: [[DB_PASSWORD, ZqPair4]]\n", "x")[0]
    assert doc is not None and "Zq" not in mask_text(doc)
    # hunt 153 F6: a later copy's list shorter than the earlier one's: IndexError, exit 2 (the
    # earlier copy's value is unknown to the data, and not read: a weak point, as other shapes)
    doc = loader.load("vars:\n  - [API_KEY, ZqDup1secret]\nvars:\n  - [API_KEY]\n", "x")[0]
    assert doc is not None and mask_text(doc)
    doc = loader.load("vars: [[y]]\nvars: [[]]\n", "x")[0]
    assert doc is not None and mask_text(doc) == doc.text


def test_a_command_list_giving_a_password_as_a_word_has_it_hidden() -> None:
    # hunt 152 F2: the positional-password reader read commands written as one string only
    def hidden(pod: dict[str, Any]) -> list[Any]:
        return [(s.path, s.start, s.end) for s in find_secrets(pod)]

    assert hidden({"command": ["htpasswd", "-nb", "admin", "ZqList1"]}) == [(("command", 3), 0, 7)]
    assert hidden({"entrypoint": ["/usr/bin/redis-cli"], "command": ["AUTH", "ZqList2"]}) == [(("command", 1), 0, 7)]
    assert hidden({"command": ["redis-cli", "GET", "key"], "args": ["echo", "redis-cli"]}) == []
    # hunt 153 F2: the program run by another (tini, env, gosu); F3: a number is a word, and may
    # be the password itself (whole)
    assert hidden({"command": ["tini", "--", "redis-cli", "AUTH", "ZqList3"]}) == [(("command", 4), 0, 7)]
    assert hidden({"command": ["env", "HOME=/root", "htpasswd", "-nb", "admin", "ZqList4"]}) == [(("command", 5), 0, 7)]
    assert hidden({"command": ["redis-cli", "-p", 6380, "AUTH", "ZqList5"]}) == [(("command", 4), 0, 7)]
    assert hidden({"command": ["htpasswd", "-nbB", "-C", 12, "admin", "ZqList6"]}) == [(("command", 5), 0, 7)]
    assert hidden({"command": ["redis-cli", "AUTH", 73914865]}) == [(("command", 2), None, None)]
    # F7: an item with a blank is one word
    assert hidden({"command": ["redis-cli", "AUTH", "ZqTwo words1"]}) == [(("command", 2), 0, 12)]
    # F4: an ACL rule `>pw` in an exec-form list, where no shell reads `>` as a redirection
    assert hidden({"command": ["redis-cli", "ACL", "SETUSER", "app", "on", ">ZqAcl4", "~*"]}) == [
        (("command", 5), 0, 7)
    ]


def test_a_var_called_secrets_is_a_var_and_secrets_indented_under_vars_are_secrets() -> None:
    # hunt 148 F8: `SECRETS: tls-bundle` under vars was read as a pod's secrets, its value starred
    assert find_secrets({"vars": {"SECRETS": "tls-bundle", "Secrets": "x"}}) == []
    indented = {"vars": {"secrets": [{"name": "db", "data": "ZqData1", "mountPath": "/etc/db"}]}}
    assert [s.path for s in find_secrets(indented)] == [("vars", "secrets", 0, "data")]


def test_a_pods_path_misspelt_pat_is_no_token() -> None:
    # `pat: /api`, NX102's did-you-mean `path`, was starred and reported as a literal secret
    assert find_secrets({"pods": [{"name": "web", "image": "nginx:1.27", "pat": "/api"}]}) == []
    # hunt 152 F1: a var's value that starts with `/` is a token still (base64's alphabet has it)
    assert [s.path for s in find_secrets({"vars": {"PAT": "/9j4kQZq=="}})] == [("vars", "PAT")]
    assert [s.path for s in find_secrets({"pods": [{"pat": "ZqPat1xx"}], "vars": {"PAT": "ZqPat2xx"}})] == [
        ("pods", 0, "pat"),
        ("vars", "PAT"),
    ]
    # hunt 153 F13: a pod with a name only (no image, no ports yet); a var called `image` beside a PAT
    assert find_secrets({"pods": [{"name": "worker", "pat": "/jobs"}]}) == []
    assert [s.path for s in find_secrets({"vars": {"image": "ghcr.io/a", "PAT": "/9j4kQZq=="}})] == [("vars", "PAT")]


def test_a_misspelt_registry_login_is_one() -> None:
    # hunt 148 F7: under `regsitryLogin:` a misspelt token key was sent in clear
    login = {"registry": "ghcr.io", "username": "acme", "personalAccessTokn": "ZqLogin1"}
    for key in ("regsitryLogin", "registryLogn", "registry_login"):
        assert [s.path for s in find_secrets({key: login})] == [(key, "personalAccessTokn")]
    assert find_secrets({"registry": {"username": "acme", "url": "ghcr.io"}}) == []


def test_a_var_commented_out_in_a_flow_item_or_list_is_starred() -> None:
    # hunt 148 F3: only a flow mapping was read in a comment, and each entry by its own name
    from nexlayer_lint.secrets import comment_secrets

    for text in (" - {name: DB_PASSWORD, value: ZqCom1x}", ' vars: ["JWT_SECRET: ZqCom2x"]'):
        assert [text[a:b] for a, b in comment_secrets(text)] == [text[text.index("Zq") :].rstrip('"]}')]
    # F9: a ` #` inside the quotes of a value is in it; a block scalar's header is no value
    text = ' DB_PASSWORD: "pa55 # ZqCom3x"  # the old one'
    assert [text[a:b] for a, b in comment_secrets(text)] == ['"pa55 # ZqCom3x"']
    assert comment_secrets(" API_KEY: >-") == comment_secrets(" API_KEY: |2+ ") == []
    # hunt 149 F5: YAML's `''` and an escaped `\"` do not close the quotes
    for text in (" DB_PASSWORD: 'it''s # ZqCom4x'", ' API_KEY: "pa\\"ss # ZqCom5x"'):
        assert [text[a:b] for a, b in comment_secrets(text)] == [text[text.index(":") + 2 :]]


def test_a_var_commented_out_after_other_words_is_starred(tmp_path: Path) -> None:
    # hunt 176 F1: only a comment's first `NAME:` was read; a note before it hid the value
    from click.testing import CliRunner

    from nexlayer_lint.cli import main
    from nexlayer_lint.secrets import comment_secrets
    from tests.conftest import CLEAN

    for text in (
        " was: DB_PASSWORD: ZqNote1",
        " old DB_PASSWORD: ZqNote1",
        " nexlayer-lint: disable=NX215 DB_PASSWORD: ZqNote1  # the old one",
    ):
        assert [text[a:b] for a, b in comment_secrets(text)] == ["ZqNote1"]
    # prose goes on after the word; a reference is none; a name that is no secret's
    for text in (" set DB_PASSWORD: in the UI", " old API_KEY: ${API_KEY}", " see the port: 8080"):
        assert comment_secrets(text) == []
    path = tmp_path / "nexlayer.yaml"
    path.write_text(CLEAN + "      vars:\n        A: yes # was: DB_PASSWORD: ZqNote2\n")
    done = CliRunner().invoke(main, ["--isolated", "--diff", str(path)])
    assert done.exit_code == 1 and '"yes" # was: DB_PASSWORD: *******' in done.output
    assert "ZqNote2" not in done.output


def test_an_empty_secret_that_ends_an_object_is_none() -> None:
    # hunt 175 F1: the empty string was skipped as a shell's `""x`, and the `}` after it starred
    for text in ('{"secret": ""}', '{"a": {"secret": ""}}', "{secret: ''}", '[{"name": "DB_PASSWORD", "value": ""}]'):
        assert shown(text) == []
    assert shown("DB_PASSWORD=''Zq9e1") == ["Zq9e1"]


def test_a_mapping_in_a_list_is_no_config_option() -> None:
    # found by the property test: `items[i] in CONFIG_OPTIONS` raised TypeError on a mapping item
    assert find_secrets({"c": [{"a": 1}, {"b": 2}, "x.token", "v"]}) == []
    assert find_secrets({"c": ["git", "config", {"a": 1}, "x.token", "v"]}) == []
    assert [s.path for s in find_secrets({"c": ["git", "config", "-f", "f", "x.token", "v"]})] == [("c", 5)]


def test_curls_user_item_in_a_list_is_secret_whole() -> None:
    command = {"command": ["/usr/bin/curl", "-u", "admin:hunter22", "--user", "admin:$PW", "-u", "admin", "x"]}
    assert [s.path for s in find_secrets(command)] == [("command", 2)]  # not a reference, not a bare user
    assert find_secrets({"command": ["docker", "run", "-u", "1000:1000"]}) == []
    assert [s.path for s in find_secrets({"command": ["curl", "-U", "admin:hunter22", "x"]})] == [("command", 2)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("curl -u admin:hunter22 https://api", ["hunter22"]),  # curl's user:password
        ("curl --user admin:hunter22 https://api", ["hunter22"]),
        ("curl -uadmin:hunter22 --user=root:toor https://api", ["hunter22", "toor"]),
        ("sh -c \"curl -u 'a:b c' https://api\"", ["b c"]),
        ("docker run -u 1000:1000 img", []),  # a user and a group: no curl before it
        ("curl -u admin https://api", []),  # curl asks for the password
        ("curl -u admin:$API_PASSWORD https://api", []),  # a reference
        ("curl --user-agent a:b https://api", []),
        ("curl -U admin:hunter22 -x proxy https://api", ["hunter22"]),  # the proxy's user:password
        ("curl --proxy-user admin:hunter22 https://api", ["hunter22"]),
        ("curl --oauth2-bearer hunter22 https://api", ["hunter22"]),
    ],
)
def test_curls_user_option_has_its_password_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("redis-cli -h redis -a hunter22 ping", ["hunter22"]),  # redis-cli's -a
        ("/usr/local/bin/redis-cli -a 'two words' ping", ["two words"]),
        ("sshpass -p hunter22 ssh host", ["hunter22"]),
        ("mongosh -u admin -p hunter22 db", ["hunter22"]),
        ("docker login -u me -p hunter22 ghcr.io", ["hunter22"]),  # a registry login's -p
        ("helm registry login reg.io -u me -p hunter22", ["hunter22"]),
        ('sh -c "docker run -p 80:80 img && docker login -p hunter22 reg"', ["hunter22"]),
        ("docker login reg.io && docker run -p 8080:80 img", []),  # -p in another command: a port
        ("docker run -p 8080:80 img", []),
        ("ls -a -p x; redis-cli ping", []),  # the options of another program
        ("redis-cli -a $REDIS_PASSWORD ping", []),  # a reference
        ("redis-cli -a ${REDIS_PASSWORD} ping", []),
        ("mongosh -p --host db", []),  # no value: another option follows
        ("mysql -p shopdb", []),  # mysql's separate -p asks for the password; shopdb is the database
        ("redis-cli -a Hunter2pwx; echo ok", ["Hunter2pwx"]),  # the `;` ends the word
        ("redis-cli -a 'Hunter2;x'; echo ok", ["Hunter2;x"]),
        ("curl -u me:Hunter2pwx&& echo ok", ["Hunter2pwx"]),
        ("app --password Hunter2pwx|| exit 1", ["Hunter2pwx"]),
        # the fifth stop's second hunt: right after a separator, over a line continuation, attached
        ("echo hi;redis-cli -a hunter22 ping", ["hunter22"]),
        ("true|docker login -u u -p hunter22 reg.io", ["hunter22"]),
        ("x=`ldapsearch -x -w hunter22`", ["hunter22`"]),
        ("echo;sqlplus scott/hunter22@orcl", ["hunter22"]),
        ("docker login -u me \\\n  -p hunter22 reg.io", ["hunter22"]),
        ("docker login reg.io\ndocker run -p 80:80 img", []),  # a new line without a backslash ends it
        ("sqlcmd -S db -Phunter22", ["hunter22"]),
        ("zip -rPhunter22 a.zip d", ["hunter22"]),  # last of a group of flags
        ("zip -rP Password1 a.zip d", ["Password1"]),
        ("zip -r a.zip Pictures", []),
        ("ldapsearch -x -whunter22 -b dc=x", ["hunter22"]),
        ("smbclient //h/s -Uuser%hunter22", ["hunter22"]),
        ("smbclient //h/s --user=user%hunter22", ["hunter22"]),
        ("curl -HX-Api-Key:hunter22 https://h", ["hunter22"]),  # curl's -H with its header attached
        ("curl -HAccept:json https://h", []),
        # the fifth stop's last hunt
        ("docker login -u u --password-stdin reg.io <<< hunter22", ["hunter22"]),  # <<< later in the command
        ("x --token-stdin r <<< hunter22; cat <<< hello", ["hunter22"]),  # not in the next command
        ("cat <<< hello", []),
        ("npm c set //r.io/:_authToken hunter22", ["hunter22"]),  # npm's alias of config
        ("git config x.token; echo done", []),  # a read, then the next command
        ("git config x.token hunter22; echo done", ["hunter22"]),
        ("ldapsearch -x -W -H ldap://x", []),  # -W asks for the password
        ("smbclient -U user //h/s", []),  # no `%password`
        ("redis-cli --askpass ping", []),  # a switch: redis-cli asks
        ("sqlplus -s /nolog", []),  # no logon
        # a registry login program's global options before its `login`, with a value or not
        ("docker -H tcp://h login -p hunter22 reg.io", ["hunter22"]),
        ("docker --host=tcp://h login -u me -p hunter22", ["hunter22"]),
        ("docker --config /x login -p hunter22", ["hunter22"]),
        ("docker -D login -p hunter22", ["hunter22"]),
        ("podman --root /x --log-level debug login -p hunter22 r", ["hunter22"]),
        ("docker -H tcp://h run -p 80:80 img", []),  # another verb: a port
        ("docker exec c redis-cli -a hunter22 ping", ["hunter22"]),  # the program docker runs
        ('sshpass -p "$(cat /run/secrets/pw)" ssh host', []),  # a command's output, no literal
        ("DB_PASSWORD=$(cat /run/pw) app", []),
        # hunt 53 F3: MSBuild's property switch; a secret property is a NAME=value still
        ("dotnet publish -p:UseAppHost=false -p:Version=1.2.3 -o /app", []),
        ("dotnet build -p:DbPassword=ZqMsb1xx", ["ZqMsb1xx"]),
        ("mysql -p:ZqMy1x=y", [":ZqMy1x=y"]),  # mysql named: its password, whatever it holds
        # hunt 69 F2: "pytest" anywhere before it (a user name, a database, another command)
        # let a mysql password go: the program a `-p` belongs to is not told, so it is starred
        ("mysql -u pytest -pZqMy2xy db", ["ZqMy2xy"]),
        ("pip install pytest && mysql -pZqMy3xy db", ["ZqMy3xy"]),
    ],
)
def test_a_programs_password_option_has_its_value_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("keytool -list -keystore k.jks -storepass ZqKey1xx", ["ZqKey1xx"]),  # keytool's passwords
        ("keytool -importkeystore -srcstorepass ZqKey2a -deststorepass ZqKey2b", ["ZqKey2a", "ZqKey2b"]),
        (
            "keytool -genkey -keypass ZqKey3a -srckeypass ZqKey3b -destkeypass ZqKey3c",
            ["ZqKey3a", "ZqKey3b", "ZqKey3c"],
        ),
        ("keytool -list -storepass:env STORE_PW", []),  # keytool's own way to name a var
        # hunt 53 F2: a replica's password for its primary, printed beside its starred copy
        ("redis-server --requirepass ZqRed1xx --masterauth ZqRed1xx", ["ZqRed1xx", "ZqRed1xx"]),
        ("openssl pkcs12 -passin pass:ZqSsl1xx -passout pass:ZqSsl2xx", ["ZqSsl1xx", "ZqSsl2xx"]),
        ("openssl enc -aes256 -pass pass:ZqSsl3xx -in f", ["ZqSsl3xx"]),
        ("openssl pkcs12 -passin env:IN_PW -passout file:/run/pw", []),  # where the password is
        ("openssl enc -pass fd:3 -in f; openssl rsa -passin stdin", []),
        ("openssl enc -pass pass:$KEY_PASSWORD -in f", []),  # a reference
        ("sqlcmd -S db -U sa -P ZqSql1xx -Q 'select 1'", ["ZqSql1xx"]),  # more programs' options
        ("zip -P ZqZip1xx out.zip f && unzip -P ZqZip2xx a.zip", ["ZqZip1xx", "ZqZip2xx"]),
        ("ldapsearch -x -D cn=admin -w ZqLdap1x -b dc=x", ["ZqLdap1x"]),
        ("ldapmodify -w 'Zq Ldap2' -f x.ldif", ["Zq Ldap2"]),
        ("smbclient //srv/share -U admin%ZqSmb1xx -c ls", ["ZqSmb1xx"]),  # only what follows the `%`
        ("mysqladmin -u root -h db password ZqAdmin1", ["ZqAdmin1"]),  # the new password
        ("zip -r out.zip dir; gzip -P x", []),
        ("smbclient //srv/share -U admin", []),  # no password given
        ("ldapsearch -W -b dc=x", []),  # asks for one
        ("ls -w 80 -P x; sort -U x", []),  # the options of other programs
    ],
)
def test_a_programs_long_or_other_password_option_has_its_value_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # hunt 113 F3: Docker's exec form written as one string (`command` is a string), whose
        # items were never read as a list's: the password was shown, and sent to /validate
        ('["redis-server", "--requirepass", "ZqArr1xx"]', ["ZqArr1xx"]),
        ('["redis-cli", "-a", "ZqArr2xx", "ping"]', ["ZqArr2xx"]),
        ('[ "app" , "--password",\n "Zq\\"Arr3" ]', ['Zq\\"Arr3']),  # as written, its escape with it
        ('sh -c x; ["app", "--token", "ZqArr4xx"]', ["ZqArr4xx"]),
        ('["psql", "--password", "--host", "db"]', []),  # psql's `--password` asks for one
        ('["app", "--password", "$DB_PASSWORD"]', []),  # a reference
        ('["app", "--password"', []),  # no value
        ('["app", "--password", "ZqArr5', []),  # not a whole string: the item is not read
        ('["a", "b"], ["c", "-d"], ["app", "--password", "ZqArr6xx"]', ["ZqArr6xx"]),
        # hunt 117 F2: an array with no option (a config command's key), a number as the password
        ('["git", "config", "x.token", "ZqArr7xx"]', ["ZqArr7xx"]),
        ('["redis-cli", "-a", 12345678, "ping"]', ["12345678"]),
        # a header's value ends with its item: it took the closing quote, and with an entrypoint
        # before it, the next item's `["curl"` too (a second finding)
        ('["curl", "-H", "X-Api-Key: ZqArr8xx"]', ["ZqArr8xx"]),
        ('["curl", "-H", "X-Api-Key: ZqArr9xx"] ["curl", "-H", "X-Api-Key: ZqArr9xx", "http://x"]', ["ZqArr9xx"] * 2),
        ('["x", "DB_PASSWORD: Zq\\"Arr10", "y"]', ['Zq\\"Arr10']),  # an escaped quote goes on
        ("['x', 'DB_PASSWORD: Zq''Arr11', 'y']", ["Zq''Arr11"]),  # and a doubled single quote
        ('["x", "DB_PASSWORD: ZqArr12', ["ZqArr12"]),  # never closed: to the end
        # hunt 118 F1: any JSON value before the option, a negative number for the password,
        # an escaped option name
        ('["app", "--retries", -1, "--password", "ZqArr13x"]', ["ZqArr13x"]),
        ('["app", true, null, [1, "a"], {"b": 2}, "--password", "ZqArr14x"]', ["ZqArr14x"]),
        ('["redis-cli", "-a", -1234567887]', ["-1234567887"]),
        ('["redis-server", "\\u002d-requirepass", "ZqArr15x"]', ["ZqArr15x"]),
        # hunt 122 F2, F3: an item's own secrets as JSON decodes it; an escaped option after `[ `
        ('["sh", "-c", "curl -H \\"X-Api-Key: ZqArr16x\\" http://x"]', ["ZqArr16x"]),
        ('["sh", "-c", "export DB_PASSWORD=\\"ZqArr17x\\"; run"]', ["ZqArr17x"]),
        ('["sh", "-c", "redis-server --requirepass\\tZqArr18x"]', ["ZqArr18x"]),
        ('[ "app", "\\u002d\\u002dpassword", "ZqArr19x" ]', ["ZqArr19x"]),
        ('["a", ' + "[" * 1000 + "]" * 1000 + ', "--password", "ZqArr20x"]', []),  # too deep: not read
        ('["curl", "-H", "X-Api-Key: ", "https://x"]', []),  # hunt 122 F10: no value, nothing starred
        # hunt 123 F4: strings inside an object or a nested array, read decoded
        ('{"cmd": "curl -H \\"X-Api-Key: ZqArr22x\\" http://x"}', ["ZqArr22x"]),
        ('["a", ["sh", "-c", "curl -H \\"X-Api-Key: ZqArr23x\\" http://x"]]', ["ZqArr23x"]),
        ('{"run": "redis-server --requirepass\\tZqArr24x"}', ["ZqArr24x"]),
        # hunt 125 F2: a stray quote before the array shifted the pairs of the quotes read decoded
        ('[a"b] ["sh", "-c", "redis-cli \\u002da \\"ZqArr27x\\" ping"]', ["ZqArr27x"]),
        # hunt 123 F8: an empty password in escaped quotes is nothing; a full one is starred
        ('sh -c "redis-server --requirepass \\"\\" --port 6379"', []),
        ('sh -c "redis-server --requirepass \\"ZqArr25x\\" --port 6379"', ["ZqArr25x"]),
        # hunt 123 F9: an option's value that ends a string item ends at its closing quote
        ('["sh", "-c", "redis-server --port 6379 --requirepass ZqArr28x"]', ["ZqArr28x"]),
        ('["sh", "-c", "mysql -pZqArr29x"], "x"', ["ZqArr29x"]),
        ('[ "$x" = "--password ZqArr30x"x', ['ZqArr30x"x']),  # no array read: a shell word goes on
        # hunt 126 F1: an array inside an array or an object item is read as a command too
        ('[["redis-server", "--requirepass", "ZqArr31x"]]', ["ZqArr31x"]),
        ('[{"name": "db", "args": ["--password", "ZqArr32x"]}]', ["ZqArr32x"]),
        ('[1, ["--token", "ZqArr33x"]]', ["ZqArr33x"]),
        # hunt 126 F4: an empty `NAME=` ending its string sets nothing: not the `, ` after it
        ('["app", "--password=", "--verbose"]', []),
        ('["env", "DB_PASSWORD=", "run"]', []),
        # hunt 126 F6: a shell's reference in escaped quotes is no literal, the script alone too
        ('["sh", "-c", "DB_PASSWORD=\\"$DB_PASS\\""]', []),
        ('["sh", "-c", "DB_PASSWORD=\\"ZqArr34x\\""]', ["ZqArr34x"]),
        # nested and chained substitutions are one reference there too, as in a `NAME=` unquoted
        ('["sh", "-c", "DB_PASSWORD=\\"$(cat $(dirname $0)/pw)\\""]', []),
        ('["sh", "-c", "DB_PASSWORD=\\"`cat a``cat b`\\""]', []),
        # hunt 128 F1: a quote closing the name's word joins the value to it, as the shell does
        ("mysqld '--password='\"ZqJoin1x\" --user=mysql", ["ZqJoin1x"]),
        ('"DB_PASSWORD="ZqJoin2x ./app', ["ZqJoin2x"]),
        ('["app --password=", "--verbose"]', []),  # F6: its string ends there
        # hunt 128 F2: an option word in quotes is that option
        ('mysqld "--password" ZqQuot1x --user=mysql', ["ZqQuot1x"]),
        ("redis-server '--requirepass' ZqQuot2x", ["ZqQuot2x"]),
        # hunt 130 F1: a value that only starts like a substitution is literal
        ('{\\"password\\": \\"`ZqTick1x\\"}', ["`ZqTick1x"]),
        ('{\\"password\\": \\"$(ZqSub1xx\\"}', ["$(ZqSub1xx"]),
        ('{\\"password\\": \\"$(date)ZqSub2xx\\"}', ["ZqSub2xx"]),
        ('{\\"password\\": \\"$(cat /run/pw)\\"}', []),
        # hunt 131 F1: a password that starts with `,` `]` or `}` in quotes
        ("sh -c 'DB_PASSWORD=\",ZqComma1\" app'", [",ZqComma1"]),
        ('app --password="]ZqComma2" --verbose', ["]ZqComma2"]),
        # hunt 131 F2: a value that only starts like a substitution, unquoted or in plain quotes
        ("sh -c 'DB_PASSWORD=\"$(date)ZqSub3xx\" app'", ["ZqSub3xx"]),
        ("app --password=$(x)ZqSub4xx", ["ZqSub4xx"]),
        ("DB_PASSWORD=`ZqTick2x app", ["`ZqTick2x"]),
        ('DB_PASSWORD="$(echo $(cat pw))" x; DB_PASSWORD=`cat pw` y', []),
        # hunt 132: a quoted option word after `(` (a bash array); an empty `--password=` before
        # `"])`; a substitution with a blank in it, the text after it literal
        ('ARGS=("--requirepass" "ZqQuot3x")', ["ZqQuot3x"]),
        ('subprocess.run(["app", "--password="])', []),
        ("DB_PASSWORD=$(date +%Y)ZqSub5xx app", ["ZqSub5xx"]),
        ("DB_PASSWORD=$(cat /run/pw) app", []),
        # hunt 133: `]!x` after the quote is a value; nested and chained substitutions are one
        # reference; NaN, Infinity in a nested array are JSON values
        ('app --password="]!ZqComma3" -v', ["]!ZqComma3"]),
        ("DB_PASSWORD=$(cat $(dirname $0)/pw) x; SESSION_SECRET=$(head -c 16 f | base64)$(date +%s)", []),
        ('["app", [NaN], "--password", "ZqArr37x"]', ["ZqArr37x"]),
        # hunt 134: a `(` in a substitution, a subshell's `)` after it, the next item after a `,`
        ("sh -c \"DB_PASSWORD=$(tr -d '(' < /run/pw)ZqSub6xx exec app\"", ["ZqSub6xx"]),
        ("(export DB_PASSWORD=$(cat /run/pw))", []),
        ('["app --password=",-1] ["app --password=",{"v":1}]', []),
        # hunt 135: a password after `,` that only starts like a number is one
        ('export DB_PASSWORD=",5ZqNum1x"', [",5ZqNum1x"]),
        ("export DB_PASSWORD=$(date)Pa)ZqPar1x x", ["Pa)ZqPar1x"]),  # hunt 136 F1: a `)` in it
        # hunt 137 F2: a `<% %>` that names no template is written literally
        ("export DB_PASSWORD=v2<%PGPASSWORD=ZqTpl1xx%>", ["v2<%PGPASSWORD=ZqTpl1xx%>"]),
        ("export DB_PASSWORD=$(cat /run/pw)v2)<%PGPASSWORD=ZqTpl2xx%>", ["v2)<%PGPASSWORD=ZqTpl2xx%>"]),
        # hunt 137 F4: a value in a substitution ends with it, unless a quote in it may make its
        # `)` literal
        ("echo $(DB_PASSWORD=$(cat /run/pw)ZqSub7x)/health", ["ZqSub7x"]),
        ("echo $(DB_PASSWORD=ZqSub8x)/health; run $(API_KEY=`cat /k`ZqSub9x)-suffix", ["ZqSub8x", "ZqSub9x"]),
        ("echo $(echo 'DB_PASSWORD=Zq)Sub10x')", ["Zq)Sub10x"]),
        ("echo $(PGPASSWORD=Zq\\)Sub11x psql -h db)", ["Zq\\)Sub11x"]),  # hunt 142 F1: `\)` is no end
        # hunt 144: names in a working directory's value are read (F2); a quoted `)` in a
        # substitution is text (F3)
        ("PWD=/app:DB_PASSWORD=ZqPwd1xx exec app; PWD=/srv:--password=ZqPwd2xx x", ["ZqPwd1xx", "ZqPwd2xx"]),
        ("DB_PASSWORD=$(tr -d ')' < f)ZqQuo1xx x; DB_PASSWORD=$(echo \")\")ZqQuo2xx x", ["ZqQuo1xx", "ZqQuo2xx"]),
        # a secret set inside the substitution a secret's value starts with was never read
        ("DB_PASSWORD=$(REDIS_PASSWORD=ZqIn1xx cmd) x", ["ZqIn1xx"]),
        ('DB_PASSWORD="$(REDIS_PASSWORD=ZqIn2xx cmd)ZqIn3xx"', ["ZqIn2xx", "ZqIn3xx"]),
        ("A_PASSWORD=$(B_PASSWORD=$(C_PASSWORD=ZqIn4xx x)ZqIn5xx)ZqIn6xx z", ["ZqIn4xx", "ZqIn5xx", "ZqIn6xx"]),
        # a quote inside a value's word joins what it opens, or what follows the quote that closes
        # the name's string, as a shell does; a quote that ends an item or the command ends it
        ("sh -c 'DB_PASSWORD=Zq\"Mid1xx\" exec app'; PGPASSWORD='Zq Mid2'xx psql", ['Zq"Mid1xx"', "Zq Mid2'xx"]),
        ('echo "DB_PASSWORD=ZqMid3x"yy done; sh -c "export DB_PASSWORD=ZqMid4x" visible', ['ZqMid3x"yy', "ZqMid4x"]),
        ('["env", "DB_PASSWORD=ZqMid5x", "app"] run("--password=ZqMid6x")', ["ZqMid5x", "ZqMid6x"]),
        # hunt 145: a `$(` that never closes is text, its quotes hiding nothing (F2); `Pwd=` opens a
        # connection string after a substitution with a blank (F3); `\$(` opens an inner shell's
        # (F4); an escaped `\"` in a substitution's double quotes is text (F5)
        ("grep -q '$(' Makefile && DB_PASSWORD=$(cat /run/pw)ZqOpen1x exec app", ["ZqOpen1x"]),
        ('app --db "Pwd=$(cat /run/pw)ZqPwd3xx;Uid=sa" --db2 "Pwd=`cat f`ZqPwd4xx;Uid=sa"', ["ZqPwd3xx", "ZqPwd4xx"]),
        (
            'sh -c "DB_PASSWORD=\\$(cat /run/pw)ZqEsc1xx exec app"; bash -c "export API_KEY=\\$(cat /k); exec app"',
            ["ZqEsc1xx"],
        ),
        ('DB_PASSWORD=$(jq -r ".pw // \\"(unset)\\"" /run/a.json)ZqEsc2xx exec app', ["ZqEsc2xx"]),
        # hunt 149 F1: an escaped quote is one the word holds; a part left open joins nothing
        ('DB_PASSWORD=Zq\\"Esc3x API_KEY="Zq9 ZqEsc4xx" ./app', ['Zq\\"Esc3x', "Zq9 ZqEsc4xx"]),
        ("export PGPASSWORD=Zq\\'Esc5; export API_TOKEN='Zq8 ZqEsc6xx'", ["Zq\\'Esc5", "Zq8 ZqEsc6xx"]),
        ('DB_PASSWORD=ZqOpen2"x API_KEY="Zq7 ZqOpen3x"', ["ZqOpen2", "Zq7 ZqOpen3x"]),
        # hunt 152 F5: a quoted part right after a quoted value is joined to it
        ("PGPASSWORD='Zq9a'\"ZqJoin2\" psql; app --password='Zq9b'\"ZqJoin3\"", ['Zq9a\'"ZqJoin2"', 'Zq9b\'"ZqJoin3"']),
        # a template's blanks are in it: `<% URL %>` is a reference, not `<%` and literal text
        ('sh -c "DB_PASSWORD=<% DB_PASSWORD %> app"; DB_PASSWORD=<% URL %>ZqTpl3x y', ["ZqTpl3x"]),
    ],
)
def test_a_command_in_exec_form_written_as_one_string_has_its_secrets_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


def test_arrays_left_open_before_a_long_string_are_read_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # hunt 123 F7: each `[` of a run left open decoded the rest of the text again: 900 of them
    # before a 1 MB string took 10 s
    import json

    reads: list[int] = []
    decode = json.JSONDecoder.raw_decode

    def counted(self: json.JSONDecoder, text: str, pos: int = 0) -> Any:
        if text[pos] in "[{":
            reads.append(len(text) - pos)
        return decode(self, text, pos)

    monkeypatch.setattr(json.JSONDecoder, "raw_decode", counted)
    text = "[" * 900 + '"a' + "b" * 100_000 + '", "--password", "ZqArr21x"'
    parts_in(text)
    assert sum(reads) <= 5 * len(text) + 4096  # the budget, and the read that spends it
    # hunt 124 F5: charged for what each read could read, small arrays left open spent it
    text = "[[1] " * 10 + '["redis-server", "--requirepass", "ZqArr26x"' + ', "--loglevel", "notice"' * 150 + "]"
    assert [text[p.start : p.end] for p in parts_in(text)] == ["ZqArr26x"]
    # hunt 131 F3: each failed read was charged its place in the text, and ten bash `[[ -n "$V" ]]`
    # tests in a 1.5 KB script spent the budget before the array after them
    text = "echo a fairly long banner line; " * 40 + '[[ -n "\\$V" ]] && ' * 10
    text += 'echo \'["redis-server", "--requirepass", "ZqArr35x"]\' > /cmd.json'
    assert [text[p.start : p.end] for p in parts_in(text)] == ["ZqArr35x"]
    # hunt 132 F5: and 150 of them in 8.7 KB: `[[ -n` opens no nested array, and is not decoded
    text = "echo a banner; " * 20 + '[[ -n "\\$V" ]] && ' * 150
    text += 'echo \'["redis-server", "--requirepass", "ZqArr36x"]\' > /cmd.json'
    assert [text[p.start : p.end] for p in parts_in(text)] == ["ZqArr36x"]


def test_a_string_nested_in_strings_is_read_once_a_level(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 126 F3: each escaped string was read by two readers, so a string nested twelve levels
    # deep (13 KB) was read 4,096 times: 36 s
    import json

    from nexlayer_lint import commands

    reads: list[int] = []
    read_item = commands._escaped_item_parts

    def counted(text: str, start: int, end: int) -> list[Any]:
        reads.append(end - start)
        return read_item(text, start, end)

    monkeypatch.setattr(commands, "_escaped_item_parts", counted)
    text = json.dumps(["sh", "-c", "redis-server --requirepass ZqNest1x --port 1"])
    for _ in range(10):
        text = json.dumps([text])
    assert [text[p.start : p.end] for p in parts_in(text)] == ["ZqNest1x"]
    assert len(reads) == 10  # one string a level


def test_an_exec_form_command_after_its_entrypoint_stars_only_each_header_value() -> None:
    # an entrypoint's header value, read on into the command, starred its `["curl"` as a second
    # NX213, at the wrong place
    from tests.conftest import CLEAN, lint_diags

    lines = [
        '      entrypoint: \'["curl", "-H", "X-Api-Key: ZqArr8xx"]\'',
        '      command: \'["curl", "-H", "X-Api-Key: ZqArr8xx", "http://x"]\'',
    ]
    text = CLEAN.replace("      path: /\n", "      path: /\n" + "\n".join(lines) + "\n", 1)
    first = text.splitlines().index(lines[0]) + 1
    found = [(d.code, d.line, d.col, d.end_col) for d in lint_diags(text) if d.code == "NX213"]
    assert found == [("NX213", first, 47, 55), ("NX213", first + 1, 44, 52)]
    masked = mask_text(load(text))
    assert "ZqArr8xx" not in masked and masked.replace("********", "ZqArr8xx") == text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("aws configure set aws_secret_access_key ZqConf1x", ["ZqConf1x"]),
        ("npm config set //registry.npmjs.org/:_authToken ZqConf2x", ["ZqConf2x"]),  # its last segment
        ("yarn config set npmAuthToken ZqConf3x", ["ZqConf3x"]),
        ("git config --global github.token ZqConf4x && git pull", ["ZqConf4x"]),
        ("git config x.token 'Zq Conf5'", ["Zq Conf5"]),
        ("kubectl config set users.me.token ZqConf6x", ["ZqConf6x"]),
        ("aws configure set region us-east-1", []),  # a key that is no secret
        ("aws configure set aws_access_key_id AKIAEXAMPLE", []),
        ("git config --global user.name me; git config credential.helper store", []),
        ("git config --get x.token", []),  # reads it
        ("git config x.token && echo done", []),
        ("git config x.token $GH_TOKEN", []),  # a reference
        ("cp /etc/config /x", []),
        # the fourteenth leak hunt: npm's `set`, options before the key or before `config`, no space
        ("npm set //r.io/:_authToken ZqConf7x", ["ZqConf7x"]),
        ("npm config set -g //r.io/:_authToken ZqConf8x", ["ZqConf8x"]),
        ("yarn config set -H npmAuthToken ZqConf9x", ["ZqConf9x"]),
        ("git config --global --add x.token ZqConf10", ["ZqConf10"]),
        ("git config --file f x.token ZqConf11 && git config -f ~/g y.token ZqConf12", ["ZqConf11", "ZqConf12"]),
        ("git config --blob HEAD:c x.token ZqConf13", ["ZqConf13"]),
        ("git -C /repo config x.token ZqConf14", ["ZqConf14"]),
        ("git -c a.b=c --git-dir=/x/.git config set x.token ZqConf15", ["ZqConf15"]),  # git 2.46's `set`
        ("aws configure set --profile p aws_secret_access_key ZqConf16", ["ZqConf16"]),
        ("true;git config --global x.token ZqConf17", ["ZqConf17"]),
        ("(git config x.token ZqConf18)", ["ZqConf18)"]),  # to the word's end, as any option's value
        ("git config user.name Bob", []),
        ("npm config set registry https://r.io", []),
        ("npm set fund false && npm config set -g registry https://r.io", []),
        ("git -C /repo pull && git config --local core.token", []),  # reads it
        ("git config --get-all x.token x; git config --unset x.token v", []),
        ("git -C config x.token y", []),  # `config` is -C's folder: no config command
        ("git config --file x.token y", []),  # the file's name, then the key `y`
        # a key that names a file: its value is a path
        ("git config --global http.sslKey /etc/ssl/private/client.pem", []),
        ("git config http.https://x.io.sslKey ./certs/c.key && git config http.proxySSLKey p.key", []),
        ("kubectl config set users.me.client-key /k/client.key", []),
        ("kubectl config set users.me.client-key-data ZqConfKeyData1", ["ZqConfKeyData1"]),  # the key itself
        # an echoed command line is often written into a script (hunt 18): its value is starred,
        # though here it is a word (`is`)
        ("echo git config x.token is set", ["is"]),
        ("echo 'git config --global user.token ZqConf21' >> setup.sh", ["ZqConf21"]),
        ("printf 'then: npm config set //r.io/:_authToken ZqConf22'", ["ZqConf22"]),
        ("echo done; git config x.token ZqConf19", ["ZqConf19"]),
        ("echo done && aws configure set aws_secret_access_key ZqConf20", ["ZqConf20"]),
    ],
)
def test_a_config_commands_secret_key_has_its_value_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


def test_a_config_commands_list_gives_its_secret_key_a_value() -> None:
    def secret_items(*command: object) -> list[object]:
        return [s.path[1] for s in find_secrets({"command": list(command)})]

    assert secret_items("aws", "configure", "set", "aws_secret_access_key", "ZqConfList1") == [4]
    assert secret_items("git", "config", "x.token", "ZqConfList2") == [3]
    assert secret_items("/usr/bin/npm", "config", "set", "-g", "//r.io/:_authToken", "ZqConfList3") == [5]
    assert secret_items("npm", "set", "//r.io/:_authToken", "ZqConfList4") == [3]
    assert secret_items("git", "-C", "/r", "config", "--file", "f", "--add", "x.token", "ZqConfList5") == [8]
    assert secret_items("aws", "configure", "set", "--profile", "p", "aws_secret_access_key", 12345678) == [6]
    assert secret_items("git", "config", "-f", "x.token", "-f", "x.token", "x.token", "ZqConfList6") == [7]
    assert secret_items("git", "config", "user.name", "Bob") == []
    assert secret_items("git", "config", "http.sslKey", "/etc/ssl/private/client.pem") == []  # a file's path
    assert secret_items("kubectl", "config", "set", "users.me.client-key-data", "ZqConfList7") == [4]
    assert secret_items("npm", "config", "set", "registry", "https://r.io") == []
    assert secret_items("git", "config", "x.token", "$GH_TOKEN") == []
    assert secret_items("git", "config", "--get", "x.token", "--global") == []
    assert secret_items("echo", "config", "x.token", "y") == []  # not git's
    assert secret_items("app", "set", "x.token", "y") == []  # no `config set`


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("""psql -c "CREATE USER app WITH PASSWORD 'ZqSql3x'" """, ["ZqSql3x"]),
        ("""psql -c "alter user app password 'Zq''Sql 4'" """, ["Zq''Sql 4"]),  # `''` is a quote inside
        ("""mysql -e "CREATE USER a@'%' IDENTIFIED BY 'ZqSql5x';" """, ["ZqSql5x"]),
        ("""mysql -e "SET PASSWORD FOR 'app'@'%' = 'ZqSql9x'" """, ["ZqSql9x"]),  # hunt 18
        # hunt 148 F4: MySQL 8's `IDENTIFIED WITH plugin BY 'x'`
        ("""mysql -e "ALTER USER 'root'@'%' IDENTIFIED WITH caching_sha2_password BY 'ZqSql12x'" """, ["ZqSql12x"]),
        (
            """ALTER USER a IDENTIFIED WITH 'p' BY 'ZqSql13x'; ALTER USER b IDENTIFIED WITH `p` BY 'ZqSql14x'""",
            ["ZqSql13x", "ZqSql14x"],
        ),
        # hunt 153 F9: double quotes (escaped in a shell's string), and MariaDB's USING PASSWORD('x')
        ('''mysql -e "CREATE USER a IDENTIFIED WITH \\"caching_sha2_password\\" BY 'ZqSql15x'"''', ["ZqSql15x"]),
        ('''mysql -e "CREATE USER a IDENTIFIED BY \\"ZqSql16x\\""''', ["ZqSql16x"]),
        ("""CREATE USER app IDENTIFIED BY "ZqSql17x";""", ["ZqSql17x"]),
        # the last session's weak points: a tab or a line break before the double quote, two
        # blanks, and `SET PASSWORD ... = "x"`
        ('mysql -e "CREATE USER a IDENTIFIED BY\t\\"ZqSql19x\\""', ["ZqSql19x"]),
        ('CREATE USER app IDENTIFIED BY\n"ZqSql20x";', ["ZqSql20x"]),
        ('CREATE USER app IDENTIFIED BY  "ZqSql21x";', ["ZqSql21x"]),
        ("""SET PASSWORD FOR 'app'@'%' = "ZqSql22x";""", ["ZqSql22x"]),
        ('SET PASSWORD = "ZqSql23x"', ["ZqSql23x"]),
        ('echo "made BY \\"Jo\\"" && PASSWORD_MIN = "8"', []),  # no IDENTIFIED, no SET PASSWORD
        ('''mysql -e "CREATE USER a IDENTIFIED VIA ed25519 USING PASSWORD('ZqSql18x')"''', ["ZqSql18x"]),
        # hunt 19: over a line break, and MySQL 5's PASSWORD('x')
        ("SET PASSWORD FOR 'app'@'%'\n  = 'ZqSql10'", ["ZqSql10"]),
        ("SET PASSWORD FOR app = PASSWORD('ZqSql11')", ["ZqSql11"]),
        ("""sqlplus -s sys/x@db <<< "ALTER USER app Identified  By 'ZqSql6x'" """, ["x", "ZqSql6x"]),
        ("sqlplus scott/ZqPlus1x@orcl", ["ZqPlus1x"]),  # between `/` and `@`
        ("sqlplus -S -L scott/ZqPlus2x@//db:1521/orcl @run.sql", ["ZqPlus2x"]),
        ("sqlplus sys/ZqPlus3x as sysdba", ["ZqPlus3x"]),
        ("""psql -c "ALTER USER app PASSWORD NULL" """, []),
        ("""psql -c "ALTER USER app PASSWORD '${APP_PASSWORD}'" """, []),  # a reference
        ("sqlplus / as sysdba", []),  # no password
        ("sqlplus -s scott@orcl", []),  # it asks for one
        # Oracle's other tools take the same logon: Data Pump, export/import, SQL*Loader, RMAN
        ("expdp system/ZqOra1x@ORCL directory=d dumpfile=x.dmp", ["ZqOra1x"]),
        ("impdp userid=system/ZqOra2x@ORCL full=y", ["ZqOra2x"]),
        ("exp scott/ZqOra3x@orcl file=x.dmp; imp userid=scott/ZqOra4x", ["ZqOra3x", "ZqOra4x"]),
        # hunt 169 F4: `exp` and `imp` are words too: theirs is a logon only with an `@`, its user a name
        ("the exp and/or nbf claims; mkdir -p exp runs/x; imp scott/tiger", []),
        ("go install ./cmd/imp github.com/acme/imp@v1.2.0; npm i exp @scope/pkg@1.2.3; calc exp 10/3", []),
        # hunt 169 F5: a tab, `userid=` anywhere, RMAN's keywords in any case and anywhere
        ("expdp\tsystem/ZqOra9x@orcl directory=DP; sqlplus\tscott/ZqOra10x@orcl", ["ZqOra9x", "ZqOra10x"]),
        ("sqlldr control=l.ctl log=l.log userid=scott/ZqOra11x@orcl", ["ZqOra11x"]),
        ("rman log=/tmp/r.log nocatalog TARGET sys/ZqOra12x@prod CATALOG rco/ZqOra13x@cat", ["ZqOra12x", "ZqOra13x"]),
        ("sqlldr scott/ZqOra5x control=x.ctl", ["ZqOra5x"]),
        ("rman target sys/ZqOra6x@db catalog rco/ZqOra7x@cat", ["ZqOra6x", "ZqOra7x"]),
        ("rman target / catalog rco/ZqOra8x@cat", ["ZqOra8x"]),
        ("rman target /", []),
        ("explain a/b@c; export PATH=/opt/app/bin:/usr/bin; impl a/b", []),
        ("""psql -c "ALTER ROLE app PASSWORD 'ZqSql7x'" """, ["ZqSql7x"]),
        ("""sqlcmd -Q "CREATE LOGIN app WITH PASSWORD = 'ZqSql8x'" """, ["ZqSql8x"]),  # SQL Server's
        ("echo password 'notasecret1'", []),  # no user, role or login named: words
        ("echo 'enter the password' 'now please'", []),
        ("""psql -c "SELECT 'password' 'x'" """, []),
    ],
)
def test_sql_that_sets_a_password_has_it_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('sh -c "docker run -p0.0.0.0:8080:80/tcp nginx"', []),  # a port with its protocol
        ("docker run -p8080:80/udp -p53:53/sctp x", []),
        ("kubectl create secret generic x --from-file=key=/k", []),  # a file's entry and path
        ("kubectl create secret generic x --from-env-file=/run/app.env", []),
        ("kubectl create secret generic x --from-file=key=/k --from-literal=DB_PASSWORD=ZqLit1x", ["ZqLit1x"]),
        ("mysql -uroot -pZqAttached1/tcp", ["ZqAttached1/tcp"]),  # mysql named: a password
    ],
)
def test_ports_and_file_paths_are_not_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a file that does not parse is read raw, where YAML's `''` still stands for a quote
        ("'redis-cli -a ''ZqEmpty1x'' ping' junk", ["ZqEmpty1x"]),
        ('redis-cli -a ""ZqEmpty2x ping', ["ZqEmpty2x"]),  # a shell joins `""x` into `x`
        ("app --password ''ZqEmpty3''x run", ["ZqEmpty3''x"]),  # one word
        ("app --password ''\"Zq Empty4\" run", ["Zq Empty4"]),
        ("redis-cli -a '' ping", []),  # an empty password, then the next word
        ("""curl -d '{"password": "", "x": 1}' h""", []),
        ("app --token " + "''" * 2 + " run", []),
        # hunt 153 F8: an option's value joined from quoted parts, as the shell joins them
        ("redis-cli -a 'ZqJoin1'ZqTail1 ping", ["ZqJoin1'ZqTail1"]),
        ("""app --password 'ZqJoin2'"ZqTail2" run""", ["""ZqJoin2'"ZqTail2"""]),
        ("""curl -u 'admin:ZqJoin3'"ZqTail3" https://h""", ["""ZqJoin3'"ZqTail3"""]),
        ("""redis-cli -a 'ZqJoin4'"a b" ping""", ["ZqJoin4"]),  # a part with a blank: not joined
    ],
)
def test_a_value_that_starts_with_an_empty_quoted_string_is_read_on(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


def test_a_programs_password_option_in_a_command_list() -> None:
    def secret_items(*command: object) -> list[object]:
        return [s.path[1] for s in find_secrets({"command": list(command)})]

    assert secret_items("redis-cli", "-a", "hunter22", "ping") == [2]
    assert secret_items("/usr/bin/docker", "login", "-u", "me", "-p", "hunter22") == [5]
    assert secret_items("sshpass", "-p", "hunter22", "ssh", "x") == [2]
    assert secret_items("docker", "run", "-p", "80:80", "img") == []  # a port
    assert secret_items("docker", "-H", "tcp://h", "login", "-p", "hunter22") == [5]  # global options
    assert secret_items("docker", "--host=tcp://h", "-D", "login", "-p", "hunter22") == [5]
    assert secret_items("helm", "registry", "login", "r", "-p", "hunter22") == [5]
    assert secret_items("docker", "-H", "h", "run", "-p", "80:80") == []
    assert secret_items("docker", "run", "login", "-p", "80:80") == []  # `login`, an image, is no verb here
    assert secret_items("redis-cli", "-a", "$REDIS_PASSWORD") == []
    assert secret_items("ls", "-a", "x") == []
    assert secret_items("keytool", "-list", "-storepass", "ZqKey4xx") == [3]
    assert secret_items("sqlcmd", "-P", "ZqSql2xx") == [2]
    assert secret_items("smbclient", "//s/x", "-U", "me%ZqSmb2xx") == [3]
    assert secret_items("smbclient", "//s/x", "-U", "me") == []
    assert secret_items("openssl", "enc", "-passin", "env:PW") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("gh auth login --with-token <<< ZqHere1xx", ["ZqHere1xx"]),  # a here-string gives the value
        ("gh auth login --with-token <<<ZqHere2xx && gh repo list", ["ZqHere2xx"]),
        ("app --password <<< 'two words' run", ["two words"]),
        ("gh auth login --with-token < token.txt", []),  # a file gives the value: only its name is here
        ("gh auth login --with-token <token.txt", []),
        ("app --password <<EOF", []),  # a here-document: the value is on later lines
        ("app --password <<< $APP_PASSWORD", []),  # a reference
        ("app --password <<< --verbose", []),
        # an option that reads its secret from stdin: the here-string's word is it, not the next word
        ("docker login -u me --password-stdin <<< ZqHere4xx", ["ZqHere4xx"]),
        ("oras login --identity-token-stdin <<<'Zq Here5' reg.io", ["Zq Here5"]),
        ("docker login --password-stdin reg.io", []),
        ("docker login --password-stdin < pw.txt", []),
        ("docker login --password-stdin <<< $REG_PASSWORD", []),
        ("app --log-stdin <<< x", []),  # no secret's option
    ],
)
def test_a_here_string_after_a_secret_option_is_its_value(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("echo ZqEcho1x | docker login --password-stdin", ["ZqEcho1x"]),  # echoed into a single `|`
        ("printf '%s' ZqEcho2x | docker login -u me --password-stdin reg.io", ["ZqEcho2x"]),  # after the format
        ("printf ZqEcho3x | docker login --password-stdin", ["ZqEcho3x"]),  # the format alone
        ('echo -n "Zq Echo 4" | oras login --identity-token-stdin r', ["Zq Echo 4"]),  # past echo's options
        ('sh -c "echo ZqEcho5x | docker login --password-stdin r"', ["ZqEcho5x"]),
        ("echo $REG_PASSWORD | docker login --password-stdin", []),  # a reference
        ('echo "$(cat /run/pw)" | docker login --password-stdin', []),  # a command's output
        ("echo ${REG_PASSWORD} | docker login --password-stdin", []),
        ("printf '%s\\n' \"$PW\" | docker login --password-stdin", []),
        ("cat pw.txt | docker login --password-stdin", []),  # a file gives it: nothing echoed
        ("echo hi || docker login --password-stdin", []),  # `||`: no pipe
        ("echo hi; cat f | docker login --password-stdin", []),  # the echo is another command's
        ("echo hello | tee out.txt", []),  # no option reads it
    ],
)
def test_what_echo_pipes_into_an_option_that_reads_stdin_is_its_value(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


def test_a_here_string_after_a_secret_option_in_a_command_list() -> None:
    def secret_items(*command: object) -> list[object]:
        return [s.path[1] for s in find_secrets({"command": list(command)})]

    # the `<<<` item only hands the next item to the option: it is shown, and no finding
    assert secret_items("gh", "auth", "login", "--with-token", "<<<", "ZqHere3xx") == [5]
    assert secret_items("app", "--verbose", "<<<", "x") == []
    assert secret_items("gh", "auth", "login", "--with-token", "<<<", "$GH_TOKEN") == []
    assert secret_items("docker", "login", "--password-stdin", "<<<", "ZqHere6xx") == [4]
    assert secret_items("docker", "login", "--password-stdin", "reg.io") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("""curl -d '{"password":"ZqJson1x"}' http://x""", ["ZqJson1x"]),  # a JSON body
        ("""curl --data-raw '{"user": "me", "api_key": "ZqJson2x"}' http://x""", ["ZqJson2x"]),
        ("""curl --data='{"auth": {"token": "ZqJson3x"}}' http://x""", ["ZqJson3x"]),  # nested
        ('curl --data "{\\"password\\": \\"ZqJson 4\\"}" http://x', ["ZqJson 4"]),  # escaped quotes
        ("""curl -d '{"password": 123456}' http://x""", ["123456"]),
        ("curl -d @body.json http://x", []),  # a file's name
        ("""echo '{"name": "web"}'""", []),  # nothing secret in it
        ("""curl -d '{"password": null}' http://x""", []),
        ("""curl -d '{"password": "${DB_PASSWORD}"}' http://x""", []),  # a reference
        ("echo a,b: c", []),  # no quoted object
        ("awk '{print $1}' x", []),
        # an array of objects
        ("""curl -d '[{"password": "ZqJson5x"}]' http://x""", ["ZqJson5x"]),
        ('curl --data "[{\\"token\\": \\"ZqJson6x\\"}]" http://x', ["ZqJson6x"]),
        ("""curl -d '[ {"a": 1}, {"api_key": "ZqJson7x"} ]' http://x""", ["ZqJson7x"]),
        ("""echo '[{password: ZqJson8x}]'""", ["ZqJson8x"]),  # unquoted: not the closing `}]`
        ("""echo '[{"name": "web"}]' '[1, 2]'""", []),
    ],
)
def test_a_json_object_in_a_quoted_word_has_its_secret_entries_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("jq '{password: .x}' f.json", []),  # jq's filter: an unquoted value is a path
        ("cat f.json | jq -r '{token: .auth.token, password: $pw}'", []),
        ("jq -n '{password: \"ZqJq1xxx\"}'", ["ZqJq1xxx"]),  # a string literal may be a secret
        # hunt 97 F2: a string literal anywhere in the entry's expression, up to its `,` or `}`
        ('jq -n \'{password: env.PW // "ZqJq4,xx", user: "bob"}\'', ["ZqJq4,xx"]),
        ('jq -n "{token: (if .a then \\"ZqJq5xxx\\" else .b end), x: 1}"', ["ZqJq5xxx"]),
        ("jq '{password: .x // .y, user: \"bob\"}'", []),
        # hunt 102 F1: an index, an env var's name, a call's first argument are no values
        ('jq -n \'{token: $ENV["API_TOKEN"], password: (env.AUTH | ltrimstr("Basic "))}\'', []),
        ('jq \'{password: .["access_token"], x: "shown"}\'', []),
        # hunt 103 F2: a quoted field name after its `.` is a path; a call's third argument (flags) no value
        ('jq \'{password: ."db-password", token: $ENV."API_TOKEN"}\'', []),
        ('jq "{password: .\\"db-password\\", x: 1}"', []),
        ('jq -n \'{password: (env.PW | sub("^$"; "ZqJq11x"; "g"))}\'', ["ZqJq11x"]),
        # hunt 102 F2: after a line break, in a call's later argument, an array's item, a sum
        ("jq -n '{password: (if env.A then env.A\n  else \"ZqJq6xxx\" end)}'", ["ZqJq6xxx"]),
        ('jq -n \'{password: (env.PW | sub("^$"; "ZqJq7xxx"))}\'', ["ZqJq7xxx"]),
        ('jq -n \'{token: ([env.T, "ZqJq8xxx"] | first), x: "shown"}\'', ["ZqJq8xxx"]),
        ('jq -n \'{password: "ZqJq9" + "xxxx"}\'', ["ZqJq9", "xxxx"]),
        ('jq -n "{password: \\"hun\\\\\\"ZqJq10x\\"}"', ['hun\\\\\\"ZqJq10x']),  # jq's \" in a shell's double quotes
        ('sh -c "jq \\"{password: .x}\\" f"', []),
        # hunt 108 F3: a literal's interpolation is code whose literals nest: the whole literal is the value
        ('jq -n \'{password: "\\(env.PW // "ZqJq12x")", x: "shown"}\'', ['\\(env.PW // "ZqJq12x")']),
        ('jq -n \'{password: "a\\(f("(") | g)b", x: 1}\'', ['a\\(f("(") | g)b']),
        ('jq -n "{password: \\"\\\\(env.PW // \\"ZqJq13x\\")\\", x: 1}"', ['\\\\(env.PW // \\"ZqJq13x\\")']),
        ("jq . f.json; curl -d '{password: ZqJq2xxx}' h", ["ZqJq2xxx"]),  # another command's body
        ("curl -d '{password: ZqJq3xxx}' h | jq .", ["ZqJq3xxx"]),
    ],
)
def test_a_jq_filters_paths_are_no_secrets(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('curl -H "X-Api-Key: ZqHead1x" http://api', ["ZqHead1x"]),  # a header named like a secret
        ('wget --header="X-Auth-Token: ZqHead2x" http://x', ["ZqHead2x"]),
        ("curl --header 'X-Vault-Token:ZqHead3x' http://x", ["ZqHead3x"]),
        ("curl -H X-Api-Key:ZqHead4x http://x", ["ZqHead4x"]),
        ('curl -H "Authorization: Bearer ZqHead5x" http://x', ["ZqHead5x"]),  # the scheme is shown
        ('curl -H "Authorization: Bearer ZqHead6xZqHead6xZqHead6x" x', ["ZqHead6xZqHead6xZqHead6x"]),
        ('curl -H "Content-Type: application/json" http://x', []),
        ('curl -H "X-Api-Key: $API_KEY" http://x', []),  # a reference
        ("grep -H pattern file", []),
        ("docker -H tcp://host:2375 ps", []),
    ],
)
def test_a_header_named_like_a_secret_has_its_value_masked(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Server=db;Uid=sa;Pwd=hunter2;", ["hunter2"]),  # a connection string's password
        ("Pwd=hunter2;Server=db", ["hunter2"]),
        ("PWD=/app ./run", []),  # the shell's working directory
        ("Server=db;Password = hunter2;", ["hunter2"]),  # spaces around the sign, in pairs
        ("PASSWORD= ./run", []),  # an empty value, then a command
    ],
)
def test_connection_string_assignments(text: str, found: list[str]) -> None:
    assert [text[p.start : p.end] for p in parts_in(text)] == found


def test_a_capitalised_item_names_its_var_in_nx213() -> None:
    # one definition of an item's name (secrets.item_name) for masking and for NX213's message
    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    text = CLEAN + "      vars:\n        - Name: DB_PASSWORD\n          Value: s3cr3t-value\n"
    found = [(d.code, d.line, d.col, d.message) for d in lint(text).diagnostics if d.code == "NX213"]
    assert found == [("NX213", 10, 18, 'var "DB_PASSWORD" of pod "web" holds a literal secret')]


def test_a_word_after_a_key_s_colon_is_not_starred_in_every_message() -> None:
    # hunt 32 F3: a key's secret is starred anywhere in messages; `AUTH_:image` made every
    # message's word "image" `****` (NX215's `image "nginx"` of any pod)
    from tests.conftest import CLEAN, lint_diags

    text = CLEAN.replace("nginx:1.27", "nginx") + "      vars:\n        AUTH_:image: bar\n"
    (nx215,) = [d for d in lint_diags(text) if d.code == "NX215"]
    assert nx215.message.startswith('image "nginx" of pod "web" has no tag')


def test_a_pod_that_is_itself_a_secret_is_named_as_the_pod() -> None:
    # a property test's find: the message began `" of pod "#2"...`, its subject empty
    from tests.conftest import lint_diags

    text = "application:\n  name: shop\n  pods:\n    - ghp_" + "a" * 36 + "\n"
    assert [d.message for d in lint_diags(text) if d.code == "NX213"] == ['pod "#1" holds a GitHub token']


def test_a_documents_secrets_are_kept_per_thread() -> None:
    # hunt 150 F5: one entry shared by the language server's threads: a small document's hover
    # evicted a big document's secrets mid-lint, which were found again, 5-6x slower
    import threading

    from nexlayer_lint import edits, schema_fixes
    from nexlayer_lint.secrets import document_secrets, secret_spans

    big = loader.load("application:\n  pods:\n  - name: db\n    vars:\n      DB_PASSWORD: Zq8hunter\n", "a")[0]
    small = loader.load("application:\n  pods:\n  - name: web\n", "b")[0]
    first = (document_secrets(big), secret_spans(big), edits.usual_quote(big), schema_fixes._pods(big))
    other = threading.Thread(
        target=lambda: (
            document_secrets(small),
            secret_spans(small),
            edits.usual_quote(small),
            schema_fixes._pods(small),
        )
    )
    other.start()
    other.join()
    again = (document_secrets(big), secret_spans(big), edits.usual_quote(big), schema_fixes._pods(big))
    assert all(a is b for a, b in zip(first, again, strict=True))  # not worked out again
    assert secret_spans(big) and big.text[slice(*secret_spans(big)[0])] == "Zq8hunter"


@pytest.mark.parametrize(
    ("value", "secret", "public"),
    [
        # hunt 154 F1: an armored PGP private key, as a PEM one
        (
            "|\n          -----BEGIN PGP PRIVATE KEY BLOCK-----\n\n          lQOYBGPgpMaterial01\n"
            "          -----END PGP PRIVATE KEY BLOCK-----",
            "lQOYBGPgpMaterial01",
            "-----END PGP",
        ),
        # F10: the tokens of package registries and platforms, under any name
        ("npm_Npm0001abcdefghijklmnopqrstuvwxyz01", "Npm0001", ""),
        ("hf_Hf0002abcdefghijklmnopqrstuvwxyzAB", "Hf0002", ""),
        ("pypi-AgEIcHlwaS5vcmcPypi0003abcdefghijklmnop", "Pypi0003", ""),
        ("dckr_pat_Dckr0004abcdefghijklmnopq", "Dckr0004", ""),
        ("hvs.CAESIVault0005abcdefghijklmnopqrstuvwxyz", "Vault0005", ""),
        ("shpat_0123456789abcdefShop0006abcdef", "Shop0006", ""),
        ("whsec_Whsec0007abcdefghijklmnopqrstuv", "Whsec0007", ""),
        ("xapp-1-A0123456789-1234567890123-Xapp0008abcdef", "Xapp0008", ""),
        ("dop_v1_Dop0009abcdef0123456789abcdef0123456789abcdef", "Dop0009", ""),
        ("AGE-SECRET-KEY-1AGE0010QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ", "AGE0010", ""),
        # F6: a signed URL's signature
        ("https://acme.blob.core.windows.net/b?sp=r&se=2030-01-01&sig=SasSig0002abcd", "SasSig0002", "sp=r&se=2030"),
        (
            "BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022&sig=SasSig0001ab",
            "SasSig0001",
            "BlobEndpoint=https://a.blob",
        ),
        (
            "https://m.s3.amazonaws.com/m.bin?X-Amz-Date=20240101&X-Amz-Signature=AmzSig0003abcdef",
            "AmzSig0003",
            "X-Amz-Date=20240101",
        ),
        # F7: a connection string or a URL percent-encoded in a query
        (
            "mssql+pyodbc:///?odbc_connect=DRIVER%3D%7BODBC%7D%3BSERVER%3Ddb.pod%3BUID%3Dsa%3BPWD%3DOdbcEnc0001",
            "OdbcEnc0001",
            "SERVER%3Ddb.pod",
        ),
        ("https://a.io/go?target=postgres%3A%2F%2Fapp%3AEncUrlPw0002%40db.pod", "EncUrlPw0002", "%40db.pod"),
        # F4: Oracle's logon in a JDBC URL and EZConnect's
        ("jdbc:oracle:thin:shop/OraThinPw0001@db.pod:1521:ORCL", "OraThinPw0001", "jdbc:oracle:thin:shop/"),
        ("shop/OraEzPw0002@//db.pod:1521/ORCLPDB1", "OraEzPw0002", "@//db.pod:1521/ORCLPDB1"),
        # F5: a value in braces holds `;`; a connection string's value runs to its `;`, blanks and all
        ("Driver={ODBC 18};Server=db.pod;Uid=sa;Pwd={Brace0001;RestOfPw0002};", "RestOfPw0002", "Uid=sa;"),
        ("jdbc:sqlserver://db.pod;user=sa;password={JBrace0003;JRest0004};encrypt=true", "JRest0004", "encrypt=true"),
        ("Server=db.pod;User Id=app;Password=Spaced0005 horse0006 battery0007;", "horse0006", "User Id=app;"),
        # F9: other programs' password options
        ('"mosquitto_sub -h mq.pod -u app -P MosqPw0001 -t events/#"', "MosqPw0001", "-t events/#"),
        ('"cqlsh cass.pod -u cassandra -p CqlshPw0002 -f /init.cql"', "CqlshPw0002", "-u cassandra"),
        ('"az login --service-principal -u 0000-1111 -p AzSpPw0003 --tenant acme"', "AzSpPw0003", "-u 0000-1111"),
        ('"vault server -dev -dev-root-token-id=VaultRoot0004"', "VaultRoot0004", "vault server -dev"),
        # the last session's weak points: the value after a blank, and Azure's registry login
        ('"vault server -dev -dev-root-token-id VaultRoot0006"', "VaultRoot0006", "vault server -dev"),
        ('"vault server -dev --dev-root-token-id VaultRoot0007"', "VaultRoot0007", "vault server -dev"),
        ('"az acr login -n acmereg -u 0000-2222 -p AzAcrPw0008"', "AzAcrPw0008", "-n acmereg -u 0000-2222"),
        (
            "\"lftp -u deploy,LftpPw0005 -e 'mirror -R /site /www; quit' sftp://files.acme.io\"",
            "LftpPw0005",
            "-u deploy,",
        ),
        # F8: npm's `_auth` (base64 of user:password)
        (
            "|\n          //registry.acme.io/:_auth=TnBtcmNBdXRoMDAwMw==\n          always-auth=true",
            "TnBtcmNB",
            "always-auth=true",
        ),
    ],
)
def test_secrets_real_files_hold_in_other_shapes(value: str, secret: str, public: str) -> None:
    document = load(f"application:\n  pods:\n    - vars:\n        OPTS: {value}\n")
    masked = mask_text(document)
    assert secret not in masked and public in masked, masked


@pytest.mark.parametrize(
    "value",
    [
        # hunt 154 F11: a port before a JDBC URL's `;` or a list of hosts' `,`; an `@` after it is
        # in a parameter, no user-info
        "jdbc:sqlserver://acme.database.windows.net:1433;database=shop;user=admin@acme;password=${DB_PASSWORD}",
        "mongodb://mongo-0.pod:27017,mongo-1.pod:27017/shop?replicaSet=rs0&appName=api@prod",
        # F12: a template as a secret parameter's value is a reference
        "jdbc:postgresql://db.pod/shop?user=app&password=<% DB_PASSWORD %>",
    ],
)
def test_public_parts_of_urls_are_not_starred(value: str) -> None:
    _no_secret_found(f"application:\n  pods:\n    - vars:\n        OPTS: {value}\n")


def test_a_secrets_items_data_commented_out_is_starred() -> None:
    # hunt 154 F3: `# data: x` is secret by its place, in a live item or in a list commented out
    # whole, which the comment alone does not know
    text = (
        "application:\n  pods:\n    - name: web\n      secrets:\n        - name: api\n"
        "          # data: ZqOldData1\n          data: ${API_CONFIG}\n          mountPath: /s\n"
        "      # secrets:\n      #   - name: tls\n      #     data: ZqOldData2\n"
        "      volumes:\n        # data: /var/lib/app is where it lives\n        - name: v\n"
    )
    masked = mask_text(load(text))
    assert "ZqOld" not in masked and "# data: /var/lib/app is where it lives" in masked
    assert masked.count("*") == len("ZqOldData1") * 2
    # the last session's weak point: a block scalar's header, and its lines under it (to the
    # first line indented no deeper)
    text = (
        "application:\n  pods:\n    - name: web\n      secrets:\n        - name: api\n"
        "          # data: |\n          #   ZqOldBlock1\n          #   ZqOldBlock2\n          # rotate yearly\n"
        "          data: ${API_CONFIG}\n          mountPath: /s\n"
    )
    masked = mask_text(load(text))
    assert "ZqOldBlock" not in masked and "# data: |\n" in masked and "# rotate yearly" in masked, masked


def test_a_yaml_file_pasted_in_a_vars_value_has_its_secret_lines_starred() -> None:
    # hunt 154 F2: a kubeconfig's `token:` and Spring's `password:` in a var's block scalar were
    # shown, which a file that does not parse has starred
    text = (
        "application:\n  pods:\n    - vars:\n        - key: KUBECONFIG_CONTENT\n          value: |\n"
        "            kind: Config\n            users:\n            - name: ci\n              user:\n"
        "                token: ZqKube1token  # the CI's\n        - key: APPLICATION_YML\n          value: |\n"
        "            spring:\n              datasource:\n                username: app\n"
        "                password: ZqSpring2pw\n      command: |\n        token: shown as a script's text\n"
    )
    masked = mask_text(load(text))
    assert "ZqKube1" not in masked and "ZqSpring2" not in masked, masked
    assert "# the CI's" in masked and "username: app" in masked and "token: shown as a script's text" in masked


def test_a_netrc_pasted_in_a_vars_value_has_its_passwords_starred() -> None:
    # hunt 154 F8: `.netrc`'s `machine h login u password x` under a neutral name was sent
    text = (
        "application:\n  pods:\n    - vars:\n        GIT_NETRC: |\n"  # (`GIT_CREDS` is secret whole: hunt 188 F4)
        "          machine bitbucket.org login deploy password ZqNetrc1\n"
        '          machine h2 login me@acme.io password "ZqNetrc 2"\n'
        "          default login x password ZqNetrc3 account y\n"
        "        NOTES: |\n          the admin password is rotated\n"
    )
    masked = mask_text(load(text))
    assert "ZqNetrc" not in masked and "login deploy password" in masked and "account y" in masked
    assert "the admin password is rotated" in masked


def test_hunt_156s_regressions_of_this_sessions_readers() -> None:
    # F1: digits then `,` or `;` after a user's name are a password, after a host name a port
    assert shown("postgres://app:2024,Spring9x@db.pod/shop") == ["2024,Spring9x"]
    assert shown("jdbc:sqlserver://h.db.net:1433;database=x;user=a@h") == []
    # F5: curl's `--netrc` reads a file: the URL after it is no secret
    assert shown("curl --netrc https://api.acme.io/v1/items") == []
    # F6: a PyPI token is a macaroon (`pypi-AgE...`), not any long name after `pypi-`
    assert shown("ghcr.io/acme/pypi-mirror-server-with-a-long-enough-name:1.2") == []
    # F13: cosign's `--signature=` names a file; a query's `&sig=` is one
    assert shown("cosign verify-blob --signature=artifact.sig blob") == []
    assert shown("https://a.blob.core.windows.net/c?sv=1&sig=ZqSig0001abcd") == ["ZqSig0001abcd"]
    # F14: a redirection after `ACL SETUSER` is no password rule
    assert shown("redis-cli ACL SETUSER app on >ZqAcl5x >/dev/null") == [">ZqAcl5x"]
    # F16: a shell's `HOST=x; SECRET_KEY=${SECRET_KEY} app` is no connection string
    assert shown("HOST=0.0.0.0; SECRET_KEY=${SECRET_KEY} gunicorn app:app --bind 0.0.0.0:80") == []
    # F2: an empty item is a word (MIGRATE's key `""`)
    found = find_secrets({"command": ["redis-cli", "MIGRATE", "h", "6379", "", "0", "5000", "AUTH", "ZqMig1x"]})
    assert [(s.path, s.start, s.end) for s in found] == [(("command", 8), 0, 7)]
    # F7: `pat:` beside an application's or a var item's name is a token
    assert [s.path for s in find_secrets({"application": {"name": "shop", "pods": [], "pat": "/9j4kQZq=="}})] == [
        ("application", "pat")
    ]
    assert [s.path for s in find_secrets({"vars": [{"name": "GITHUB", "pat": "/9j4kQZq=="}]})] == [("vars", 0, "pat")]


def test_many_braces_and_cuts_are_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 156 F3: each `{` searched its line's end again; F4: the text was rebuilt at each cut
    from nexlayer_lint import http_client, secrets

    searched: list[int] = []
    line_end = secrets._URL_LINE_END
    monkeypatch.setattr(
        secrets,
        "_URL_LINE_END",
        type(
            "P",
            (),
            {
                "search": lambda self, t, p=0, e=None: (
                    searched.append(p) or (line_end.search(t, p) if e is None else line_end.search(t, p, e))
                )
            },
        )(),
    )
    text = "Server=db;" + "Password={a} " * 2_000
    assert parts_in(text)
    assert len(searched) <= 3
    monkeypatch.undo()
    hide = http_client.credentials_hider("https://u:ZqCutSecret99@api.example/")
    cut = "key ZqCut... bad, " * 5_000
    assert hide(cut) == "key **** bad, " * 5_000


def test_hunt_158s_regressions_of_the_review_fixes() -> None:
    # F1: curl's `--netrc` is a switch, and a var called NETRC is secret (see SECRET_NAMES)
    assert shown("curl --netrc-file /run/n https://a.io") == []
    # F4: an option's value of many quoted parts is read in one pass
    assert shown("redis-cli -a 'x'" + '"a"' * 3 + " ping") == ['x\'"a""a""a']
    # F5: a port before JDBC properties or the next host, the host named without a dot
    assert shown("jdbc:sqlserver://mssql:1433;database=shop;user=app@srv") == []
    assert shown("mongodb://m0:27017,m1:27017/db?appName=api@prod") == []
    # F6: a connection string with a key holding `_` reads its value to the `;`
    assert shown("Server=db;Trusted_Connection=False;Password=a b c;") == ["a b c"]
    # F3: an item with an apostrophe and a blank is one word
    found = find_secrets({"command": ["redis-cli", "AUTH", "it's my Zq9secret1"]})
    assert [(s.path, s.start, s.end) for s in found] == [(("command", 2), 0, 18)]
    # F7: a `${REFERENCE}` does not stop a list in a string from being read
    assert shown('["redis-cli", "-h", "${REDIS_HOST}", "AUTH", "Zq9Li3x"]') == ["Zq9Li3x"]
    # hunt 159 F7: `signature=` at the text's start is a setting, mostly (`signature=required`)
    assert shown("signature=required") == []
    # hunt 158 F9, kept: Azure's short `sig=` is secret at a text's or a line's start, after a blank
    sig = "ZqSig0002abcdEFGH1234ijklMNOP5678qrst%2BuvW%3D"  # a SAS signature: base64, encoded
    assert shown(f"sig={sig}&se=2030-01-01") == [sig]
    assert shown(f"se=2030-01-01 sig={sig}") == [sig]
    # hunt 163 F6: not an option's file, a switch or a placeholder
    assert shown("verify --sig=/data/app.tgz.minisig") == shown("sig=true") == shown("sig=<signature>") == []
    # hunt 166 F7: nor a file's name; the value is the signature's characters, not the word's rest
    assert shown("sig=ReleaseSignatureFile2024.asc") == []
    assert shown(f"<T>sig={sig}</T>") == shown(f'sig="{sig}"') == shown(f"sig={sig}. Next") == [sig]


def test_pasted_lines_are_configs_not_prose_nor_empty_values() -> None:
    # hunt 158 F2: prose with a `password:` or a `machine ... password` line; F8: values YAML
    # reads as empty, null, a switch, an alias or a template
    text = (
        "application:\n  pods:\n    - vars:\n        HELP: |\n          Reset your password: visit the portal\n"
        "          machine learning models need a password field\n"
        '        CONFIG: |\n          token: ""\n          api_key: null\n          secret: true\n'
        '          password: *dbpass\n          password: "{{ .Values.db.password }}"\n'
        "          password: ZqPasted3\n"
    )
    masked = mask_text(load(text))
    assert "visit the portal" in masked and "password field" in masked and '"{{ .Values' in masked
    assert 'token: ""' in masked and "*dbpass" in masked and "ZqPasted3" not in masked


def test_hunt_159s_regressions_of_the_last_fixes() -> None:
    # F3: a ` - ` in a connection string's value is no option; F4: a value starting with `$`
    assert shown("Application Name=Shop - Prod;Server=db;Password=a b c;") == ["a b c"]
    assert shown("Server=db;Password=$up3r Tail;") == ["$up3r Tail"]
    # F8: a shell's `DB_PASSWORD=` field makes no connection string
    assert shown("HOST=0.0.0.0; DB_PASSWORD=pw exec gunicorn app:app") == ["pw"]
    # F5: only curl's own `--netrc` options are switches
    assert shown("app --netrc-token ZqNetrcTok1") == ["ZqNetrcTok1"]
    # F7: `signature=` at the text's start is a setting
    assert shown("signature=/etc/app/release.sig") == []
    # F1, F2, F6: keys with a blank before the colon, more blanks after the dash, two title-case
    # words; a Helm default; a .netrc line without `login`, and on one line
    text = (
        "application:\n  pods:\n    - vars:\n        CONFIG: |\n          password : ZqKey1\n"
        "          -   password: ZqKey2\n          Admin Password: ZqKey3\n"
        '          token: {{ .Values.pw | default "ZqKey4" }}\n          Forgot password: ask the admin\n'
        "        NETRC: machine api.acme.io password ZqKey5\n"
        "        NETRC_FILE: $HOME/.netrc\n"
    )
    masked = mask_text(load(text))
    assert "ZqKey" not in masked and "ask the admin" in masked and "$HOME/.netrc" in masked, masked


def test_hunt_160s_regressions_of_the_last_readers() -> None:
    # F2: an ODBC option in capitals with `_` keeps a connection string one; F10: a shell's line
    # that runs a command after its `NAME=value` fields is none
    odbc = "DRIVER={MySQL};SERVER=db;USER=app;PASSWORD=Zq9 horse battery;MULTI_STATEMENTS=1;"
    assert shown(odbc) == ["Zq9 horse battery"]
    assert shown("SERVER=db;PWD=Zq9 lamp desk;CLIENT_LOCALE=en_us.8859-1") == ["Zq9 lamp desk"]
    assert shown("HOST=0.0.0.0; PORT=8000; PASSWORD=Zq9pw exec gunicorn app:app") == ["Zq9pw"]
    # F6: prose after `default` or `machine` is no `.netrc` entry; F7, F8: entries with a one-word
    # host and `login`, in a JSON string, in a command, after `NAME=`
    assert shown("default login is the e-mail address, password is sent by e-mail") == []
    assert shown("default account password must be changed on first login") == []
    assert shown("machine nexus login ci password ZqNet1") == ["ZqNet1"]
    assert shown("machine nexus:8081\n  password ZqNet2") == ["ZqNet2"]
    assert shown('{"netrc": "machine api.acme.io login ci password ZqNet3"}') == ["ZqNet3"]
    assert shown("echo 'machine github.com login ci password ZqNet4' > ~/.netrc") == ["ZqNet4"]
    assert shown('sh -c "echo \\"machine a.io login ci password ZqNet5\\" > ~/.netrc"') == ["ZqNet5"]
    assert shown("CURL_CONFIG=machine api.acme.io login ci password ZqNet6") == ["ZqNet6"]
    assert shown("machine a.io login ci password {{ .Values.tok }}") == []
    assert shown("echo machine a.io password x") == []  # not at a line's start, no `login`
    # hunt 159 F10: a password of digits before `;key=` (not a JDBC URL) or `,host:1` (an `@` after it)
    assert shown("postgres://app:2024;database=Zq9@db:5432/shop") == ["2024;database=Zq9"]
    assert shown("redis://default:8812,Zq9x:1@redis:6379") == ["8812,Zq9x:1"]
    assert shown("jdbc:jtds:sqlserver://mssql:1433;user=app@srv") == []
    assert shown("mongodb://m0:27017,m1:27017/db?appName=api@prod") == []
    # F1: one long line of `machine` words is read once
    assert shown("x " + "machine a.b " * 3 + "password p") == []
    # F3: keys quoted with blanks, and Spring's long flat keys
    long_key = "spring.datasource.hikari.data-source-properties.trustCertificateKeyStorePassword"
    text = (
        "application:\n  pods:\n    - vars:\n        CONFIG: |\n"
        f'          "db password": ZqKey1\n          {long_key}: ZqKey2\n'
        # F4: Helm actions with quoted arguments and no literal default; F5: with one
        '          password: {{ required "db.password is required" .Values.db.password }}\n'
        '          secret: {{ index .Values "client-secret" }}\n'
        '          auth_token: {{ .Values.authToken | default "" | quote }}\n'
        "          token: {{ .Release.Name }}-ZqKey3-{{ .Values.env }}\n"
        "          pin_password: {{ .Values.pin | default 4821397506 }}\n"
    )
    masked = mask_text(load(text))
    assert "ZqKey" not in masked and "4821397506" not in masked, masked
    assert '{{ required "db.password is required"' in masked and '"client-secret" }}' in masked, masked
    assert '| default "" | quote }}' in masked, masked


def test_a_connection_string_is_judged_by_its_own_piece_of_the_text() -> None:
    # the last session's weak point: its values' blanks were read only in a text that was a
    # connection string whole, not in a JSON string, an option's quoted value or a block's line
    assert shown('{"ConnectionStrings": {"Default": "Server=db;User Id=sa;Password=Zq a b;"}}') == ["Zq a b"]
    assert shown('dotnet app.dll --ConnectionStrings:Default="Server=db;User Id=sa;Password=Zq c d;"') == ["Zq c d"]
    assert shown("# the database\nServer=db;User Id=sa;Password=Zq e f\nLogging=on") == ["Zq e f"]
    assert shown('"Server=db;Password=Zq g h"') == ["Zq g h"]
    assert shown("HOST=0.0.0.0; DB_PASSWORD=pw exec gunicorn app:app") == ["pw"]  # still a shell's line


def test_hunt_162s_regressions_of_the_review_fixes() -> None:
    # F1, F9: a driver's own keys make a connection string, whatever the separators and case
    odbc = "DRIVER={ODBC Driver 18}; SERVER=db; UID=sa; PASSWORD=Zq9 horse battery"
    assert shown(odbc) == ["Zq9 horse battery"]
    assert shown("SERVER=db;UID=app;MULTI_STATEMENTS=1;PWD=Zq9 cow moon") == ["Zq9 cow moon"]
    assert shown("HOST=db;PORT=8000;API_TOKEN=Zq9tok node server.js") == ["Zq9tok"]  # a shell's line
    # F8: `; PWD=x` in a connection string, not a shell's working directory
    assert shown("Server=db; Database=shop; UID=sa; PWD=Zq9pwdSpaced") == ["Zq9pwdSpaced"]
    assert shown("PWD=/app:DB_PASSWORD=Zq1 exec app; PWD=/srv app") == ["Zq1"]
    # F2: a literal anywhere in a Helm action, not only after `default`
    for action in ('{{ "Zq9a" | b64enc }}', '{{ coalesce .Values.k "Zq9b" }}', '{{ ternary "Zq9c" .a .b }}'):
        assert not secrets._only_templates(action), action
    assert secrets._only_templates('{{ lookup "v1" "Secret" .Release.Namespace "db" }}')
    # F3: a comment inside an entry, a later entry's other order, a quoted login, a `$` password
    netrc = (
        "machine api.acme.io\n# the CI bot\nlogin ci\npassword Zq9n1\n"
        'machine nexus\npassword Zq9n2\nlogin "ci bot"\ndefault password $ecretZq9n3\n'
    )
    assert shown(netrc) == ["Zq9n1", "Zq9n2", "$ecretZq9n3"]
    assert shown("machine a.io login ci password $NETRC_PASSWORD") == []  # an environment variable
    # F5: an entry glued to a JSON key, a list, bash's `$'...'`
    assert shown('{"netrc":"machine a.io login ci password Zq9n4"}') == ["Zq9n4"]
    assert shown("echo $'machine a.io login ci password Zq9n5' > ~/.netrc") == ["Zq9n5"]
    # F7: prose's `identified by "x"`, no user named; F6: a quoted sentence is no key
    assert shown('Regression identified by  "QA team" in staging') == []
    text = (
        "application:\n  pods:\n    - vars:\n        I18N_FR: |\n"
        '          "Forgot your password?": "Mot de passe oublie ?"\n'
        "        SETUP: |\n          cat > /root/.netrc <<EOF\n          machine api.acme.io\n"
        "          login ci\n          password Zq9heredoc\n          EOF\n"
        '      command: echo "machine git.acme.io login ci password Zq9echo" > ~/.netrc && exec npm start\n'
    )
    masked = mask_text(load(text))
    assert "Mot de passe oublie ?" in masked and "Zq9heredoc" not in masked, masked  # F4: a heredoc's
    assert "Zq9echo" not in masked, masked  # and a command's with no `-`, `=` or `'`


def test_hunt_163s_regressions_of_the_review_fixes() -> None:
    # F1: an entry commented out in a var is still written in the file; `password #x` is one
    netrc = "# old bot\n# machine git.acme.io login ci-old password Zq9old\nmachine a.io login ci password #Zq9h\n"
    assert shown(netrc) == ["Zq9old", "#Zq9h"]
    # F10: a shell expands `$name` in double quotes or a heredoc; a pasted file does not
    assert shown('echo "machine github.com login x password $gh_token" > ~/.netrc') == []
    assert shown("machine github.com login x password $ecret9") == ["$ecret9"]
    # F2: a `"` before the password or inside it; F5: a quoted string's last value ends at its quote
    assert shown('Server=db;User Id="sa";Password=Zq9 horse battery') == ["Zq9 horse battery"]
    assert shown('Server=db;Database=audit;User Id=sa;Password=Xy7"kLm9Qw') == ['Xy7"kLm9Qw']
    assert shown('ef update --connection "Server=db;User Id=sa;Password=Zq9x" --verbose; echo done') == ["Zq9x"]
    # F3: a grantee or Oracle's `CONNECT TO app` before `IDENTIFIED BY "x"` names the user
    assert shown("""mysql -e 'GRANT ALL ON shop.* TO "app"@"%" IDENTIFIED BY "Zq9g"'""") == ["Zq9g"]
    assert shown('CREATE DATABASE LINK s CONNECT TO app IDENTIFIED BY "Zq9l" USING x') == ["Zq9l"]
    # F8: SQL Server's own URL takes `;properties` after its port, as a JDBC URL does
    assert shown("sqlserver://localhost:1433;database=shop;user=app@srv;password=${DB_PASSWORD}") == []
    # F4: a Helm action's strings are read in one pass
    assert not secrets._only_templates("{{ " + '\\\\"' * 20_000 + " }}")  # `\\"` runs: one string
    # F9: quoted one-word keys with signs
    text = 'application:\n  pods:\n    - vars:\n        CONFIG: |\n          "auth/password": "Zq9slash"\n'
    assert "Zq9slash" not in mask_text(load(text))
    # F7: a `# data: |` header with a comment, its lines indented with a tab
    text = (
        "application:\n  pods:\n    - name: web\n      secrets:\n        - name: api\n"
        "          # data: | # rotated 2024\n          #\tZq9tab\n          data: ${X}\n          mountPath: /s\n"
    )
    assert "Zq9tab" not in mask_text(load(text))


def test_a_json_object_under_a_secret_s_name_gives_it_to_its_value() -> None:
    # the last session's weak points: Azure's parameter files and Heroku's env objects
    assert shown('{"adminPassword": {"value": "Zq9arm1"}}') == ["Zq9arm1"]
    assert shown('{"env": {"DB_PASSWORD": {"value": "Zq9her2"}}}') == ["Zq9her2"]
    assert shown('{"password": {"minLength": 8}, "value": "shown"}') == []  # a value outside the object
    assert shown('{"auth": {"type": "basic"}, "value": "shown"}') == []
    # hunt 166 F7: an item inside it that names its own var
    assert shown('{"token": {"name": "LOG_LEVEL", "value": "debug"}}') == []
    assert shown('{"token": {"name": "DB_PASSWORD", "value": "Zq9her3"}}') == ["Zq9her3"]
    # hunt 166 F6: an object nested between the name and its value; the item ends at its own `}`
    assert shown('{"adminPassword": {"metadata": {"description": "VM admin"}, "value": "Zq9her4"}}') == ["Zq9her4"]
    assert shown('{"env": {"DB_PASSWORD": {"options": {"min": 8}, "value": "Zq9her5"}}}') == ["Zq9her5"]
    assert shown('{"name": "DB_PASSWORD", "meta": {"a": 1}, "value": "Zq9her6"}') == ["Zq9her6"]
    assert shown('[{"value": "Zq9her7", "meta": {"a": 1}, "name": "DB_PASSWORD"}]') == ["Zq9her7"]
    assert shown('{"adminPassword": {"meta": {"a": 1}, "value": "Zq9her8"}, "other": {"value": "shown"}}') == [
        "Zq9her8"
    ]
    assert shown('[{"name": "DB_PASSWORD"}, {"name": "LOG", "meta": {"x": 1}, "value": "debug"}]') == []


def test_an_env_list_pasted_in_a_var_hides_the_values_of_its_secret_items() -> None:
    from nexlayer_lint.loader import load

    block = """\
          env:
            - name: DB_PASSWORD # the db
              value: Zq9envA
            - name: LOG_LEVEL
              value: debug
            -   key: API_KEY
                value: Zq9envB
            - name: SECRET_KEY
              valueFrom:
                secretKeyRef: {name: s, key: k}
          value: public
          key: LOG_FORMAT
"""
    text = "application:\n  pods:\n    - name: web\n      vars:\n        K8S_ENV: |\n" + block
    document, _ = load(text, "nexlayer.yaml")
    assert document is not None
    masked = mask_text(document)
    assert "Zq9env" not in masked
    for shown_line in ("name: DB_PASSWORD", "value: debug", "key: API_KEY", "value: public", "key: LOG_FORMAT"):
        assert shown_line in masked


def test_hunt_164s_regressions_of_the_review_fixes() -> None:
    # F1: prose comments that name a machine hide no entry; a keyword is no host
    netrc = "# Credentials for the CI machine\nmachine git.acme.io login ci password Zq9n1\n"
    assert shown(netrc) == ["Zq9n1"]
    netrc = "machine a.io login ci\n# rotated by default every 90 days\npassword Zq9n2\n"
    netrc += "# machine\nmachine b.io password Zq9n3"
    assert shown(netrc) == ["Zq9n2", "Zq9n3"]
    # F5: `$name` is a shell's only where a shell expands it
    assert shown("cat > ~/.netrc <<'EOF'\nmachine a.io login ci password $ecret1\nEOF") == ["$ecret1"]
    assert shown("cat > ~/.netrc <<EOF\nmachine a.io login ci password $token\nEOF") == []
    assert shown('{"netrc": "machine a.io login ci password $ecret2"}') == ["$ecret2"]
    # F2: an escaped quote, a string opened on the line before
    line = 'sh -c "app --cs=\\"Server=db;User Id=sa;Password=Zq9 horse battery\\""'
    assert shown(line) == ["Zq9 horse battery"]
    assert shown('--cs="Server=db;\n  User Id=sa;Password=Zq9 lamp desk;" --urls x') == ["Zq9 lamp desk"]
    # F6: a SAS signature quoted, in capitals, before a `<` or `)`
    sig = "ZqSig0004abcdEFGH1234ijklMNOP5678qrst%2BuvW%3D"
    for text in (f"<T>sig={sig}</T>", f"(sig={sig})", f"SIG={sig}", f"sig='{sig}'"):
        assert len(shown(text)) == 1 and shown(text)[0].startswith(sig), text  # (to the word's end)
    # F7: prose's `to customers identified by "VIP"`, no GRANT or CONNECT
    assert shown('echo "Messages to customers identified by "VIP" get priority"') == []
    # F9: a naming function whose name is no string
    assert not secrets._only_templates('{{ printf .Values.fmt "Zq9fmt" }}')
    # F8: a header indented with a tab, its lines with blanks
    text = (
        "application:\n  pods:\n    - name: web\n      secrets:\n        - name: api\n"
        "          #\tdata: |\n          #   Zq9mix\n          data: ${X}\n          mountPath: /s\n"
    )
    assert "Zq9mix" not in mask_text(load(text))


def test_hunt_166s_regressions_of_the_review_fixes() -> None:
    # F1, F5: a comment is read as a text of its own: a command commented out, an entry over lines
    assert shown('app\n# echo "machine h.io login u password Zq9c1" > ~/.netrc\n') == ["Zq9c1"]
    assert shown("# machine h.io\n#   login u\n#   password Zq9c2\nmachine b.io login v password ${X}") == ["Zq9c2"]
    # F4: a heredoc whose delimiter is quoted in part or escaped expands nothing
    assert shown("cat > ~/.netrc <<\\EOF\nmachine a.io login ci password $ecret3\nEOF") == ["$ecret3"]
    # F2: a GRANT far before its account
    privileges = ", ".join(f"PRIV_{i}" for i in range(40))
    assert shown(f"mysql -e 'GRANT {privileges} ON db.* TO app IDENTIFIED BY \"Zq9g2\"'") == ["Zq9g2"]
    # F3: chpasswd's options with values before its here-string
    assert shown("chpasswd -c SHA512 <<< 'app:Zq9ch9'") == ["Zq9ch9"]


def test_chpasswd_given_its_lines_by_a_heredoc() -> None:
    # the last session's weak point: each `user:password` line up to the delimiter's line
    assert shown("chpasswd <<EOF\nroot:Zq9hd1\nbob:Zq9hd2\nEOF\necho done:yes") == ["Zq9hd1", "Zq9hd2"]
    assert shown("chpasswd -c SHA512 <<-'END'\n\troot:Zq9hd3$x\n\tEND\nx:y") == ["Zq9hd3$x"]
    assert shown("chpasswd <<EOF\r\nroot:Zq9hd4\r\nEOF\r\n") == ["Zq9hd4"]
    # a shell's reference where it expands it; text where the delimiter is quoted
    assert shown("chpasswd <<EOF\nroot:$ROOT_PW\napp:$(cat /run/pw)\nEOF") == []
    assert shown("chpasswd <<\\EOF\nroot:$ROOT\nEOF") == shown('chpasswd <<"EOF"\nroot:$ROOT\nEOF') == ["$ROOT"]
    assert shown("chpasswd < users.txt\nroot:x") == []  # a file, no heredoc


def test_hunt_167s_regressions_of_the_review_fixes() -> None:
    # F1: another field of the secret's own item naming a word in capitals resets nothing; an
    # item nested inside it that names a var as env lists do keeps its own value
    assert shown('[{"name": "DB_PASSWORD", "env": "PROD", "value": "Zq9r1"}]') == ["Zq9r1"]
    assert shown('{"DB_PASSWORD": {"id": "V1", "value": "Zq9r2"}}') == ["Zq9r2"]
    assert shown('{"postgres_password": {"name": "POSTGRES", "value": "Zq9r3"}}') == ["Zq9r3"]
    text = '{"name": "DB_PASSWORD", "meta": {"name": "LOG_LEVEL", "value": "debug"}, "value": "Zq9r4"}'
    assert shown(text) == ["Zq9r4"]
    # F2: whether a text is a `.netrc` is judged over its live and commented entries together
    netrc = "machine github.com login ci password ${GH_TOKEN}\n# machine nexus password Zq9r5\n"
    assert shown(netrc) == ["Zq9r5"]
    assert shown("machine github.com login ci password ${GH_TOKEN}\n# default password Zq9r6\n") == ["Zq9r6"]
    assert shown("# machine h.io login ci password ${OLD}\nmachine gitlab password Zq9r7\n") == ["Zq9r7"]
    # F3: chpasswd's here-string after a redirection or a line continued
    for words in ("-c SHA512 2>&1", "&>/dev/null", "1>&2", "</dev/null", "-c SHA512 \\\n "):
        assert shown(f"chpasswd {words} <<< 'app:Zq9r8'") == ["Zq9r8"]
    assert shown("chpasswd 2>&1 <<EOF\nroot:Zq9r9\nEOF") == ["Zq9r9"]
    # F4: prose in a comment is no entry
    assert shown("set -e\n# the default login and password are printed on first start\nexec /run.sh") == []
    assert shown("# Grafana: the default login and password are admin/admin") == []
    # F5: a redirection after a heredoc's delimiter is not part of it (the heredoc expands `$x`)
    assert shown('cat <<EOF>"$HOME/.netrc"\nmachine github.com login ci password $gh_token\nEOF') == []
    # F6: a setting's or a vault's name names the item's var
    assert shown('[{"name": "spring.datasource.password", "value": "Zq9r10"}]') == ["Zq9r10"]
    assert shown('{"Name": "/prod/db/password", "Type": "SecureString", "Value": "Zq9r11"}') == ["Zq9r11"]
    assert shown('{"key": "db-password", "value": "Zq9r12"}') == ["Zq9r12"]


def test_a_netrc_entry_commented_out_over_several_comment_lines_is_starred() -> None:
    # hunt 167 F7: each YAML comment alone holds no entry; their run is read as one text
    text = (
        "application:\n  pods:\n    - name: web\n      vars:\n        NETRC: ${NETRC}\n"
        "        # the old one, kept for the rollback:\n        # machine nexus.corp.io\n"
        "        #   login ci\n        #   password Zq9old\n      path: /\n"
    )
    masked = mask_text(load(text))
    assert "Zq9old" not in masked
    assert "# machine nexus.corp.io" in masked and "#   login ci" in masked


def test_a_netrc_password_that_is_a_word_of_prose_is_not_starred() -> None:
    # the last notes' weak point: a lower-case word followed on its line by another is prose
    assert shown("# machine h.io password below is public") == []
    assert shown("machine h.io login bob password below is public") == []
    # a password of letters ends its line, or its quotes, or the next pair: still a password
    assert shown("# machine h.io password hunter2 is old") == ["hunter2"]
    assert shown("# machine h.io password Secret is old") == ["Secret"]
    assert shown("# machine h.io password secret") == ["secret"]
    assert shown("# machine h.io login u password hunter login v") == ["hunter"]
    assert shown("machine h.io login u password hunter machine b.io login v password x") == ["hunter", "x"]
    assert shown('echo "machine h.io login u password hunter" >> ~/.netrc') == ["hunter"]
    assert shown("printf 'machine h.io login u password hunter' > ~/.netrc") == ["hunter"]


def test_hunt_169s_review_of_this_session_s_fixes() -> None:
    # F1, F2: a brace inside a JSON string is text, not an object's end or start
    assert shown('{"adminPassword": {"meta": "}", "value": "Zq9s1"}}') == ["Zq9s1"]
    assert shown('[{"name": "DB_PASSWORD", "meta": {"note": "a}b"}, "value": "Zq9s2"}]') == ["Zq9s2"]
    assert shown('[{"name": "DB_PASSWORD", "tags": {"name": "PROD"}, "value": "Zq9s3"}]') == ["Zq9s3"]
    text = '{"adminPassword": {"value": "Zq9s4", "note": ":-{"}, "location": {"value": "westus"}}'
    assert shown(text) == ["Zq9s4"]
    text = '[{"name": "DB_PASSWORD", "hint": "use {", "value": "Zq9s5"}, {"value": "debug", "name": "LOG_LEVEL"}]'
    assert shown(text) == ["Zq9s5"]
    # F3: a signature runs on over base64url's `-` and `_`, and a `.` inside it
    for sig in ("Zq9sIgNaTuRe1234567890abcd-TAIL_two", "Zq9sIgNaTuRe1234567890abcdEF.TAILsecretPARTfour"):
        assert shown(f"sig={sig}") == [sig]
    assert shown("sig=ReleaseSignatureFile2024.tar.gz") == []
    # F6: any word as a heredoc's delimiter; a heredoc piped into chpasswd
    assert shown("chpasswd <<'END-USERS'\nroot:Zq9s6\nEND-USERS") == ["Zq9s6"]
    assert shown("cat <<EOF | sudo chpasswd\nroot:Zq9s7\nEOF") == ["Zq9s7"]
    # and one run by another program, with its options (the last session's weak point)
    assert shown("cat <<EOF | sudo -n chpasswd\nroot:Zq9s7\nEOF") == ["Zq9s7"]
    assert shown("cat <<'EOF' | docker exec -i db /usr/sbin/chpasswd -c SHA512\nroot:Zq9s7\nEOF") == ["Zq9s7"]
    assert shown("cat <<EOF | kubectl exec -i web -- chpasswd\nroot:Zq9s7\nEOF") == ["Zq9s7"]
    assert shown("cat <<EOF | grep -c root\nroot:debug\nEOF") == []
    # F7: a heredoc never closed is a mention: the lines after it are not read as its
    text = "chpasswd <<END-OF-USERS\nroot:Zq9s8\nEND-OF-USERS\nexec gunicorn -b 0.0.0.0:8000 app:app"
    assert shown(text) == ["Zq9s8"]
    assert shown('echo "set them with chpasswd <<EOF"\necho "status: ready"\ncurl http://localhost:8080/health') == []


def test_a_netrc_written_with_escaped_line_breaks() -> None:
    # the last session's weak point: printf and echo -e read `\n` and `\t` as breaks
    assert shown('printf "machine h\\nlogin u\\npassword Zq9n1" > ~/.netrc') == ["Zq9n1"]
    text = 'printf "machine h\\tlogin u\\tpassword Zq9n2\\nmachine g\\nlogin v\\npassword Zq9n3\\n" > ~/.netrc'
    assert [part.startswith(("Zq9n2", "Zq9n3")) for part in shown(text)] == [True, True]
    assert shown('printf "machine h\\nlogin u\\npassword $PW" > ~/.netrc') == []
    assert shown('echo "the\\nmachine learning\\npassword below"') == []


def test_hunt_178s_review_of_this_session_s_fixes() -> None:
    # F2: a quoted .netrc password is one word, whatever blanks are in it
    assert shown('machine h login u password "my  Zq9r1"') == ["my  Zq9r1"]
    # F3: printf's conversion is where the password goes, no password
    text = "sh -c \"printf 'machine %s\\nlogin %s\\npassword %s\\n' $HOST $NUSER $NPASS > ~/.netrc\""
    assert shown(text) == []
    assert shown('printf "machine github.com\\nlogin x-access-token\\npassword %s\\n" "$GITHUB_TOKEN"') == []
    # F5: a `\t` or `\n` after a keyword parts words too; a `\n` inside a password does not
    assert shown('printf "machine\\tapi.example.com\\tlogin\\tci\\tpassword\\tZq9r2"') == ["Zq9r2"]
    assert shown("machine h login u password Zq9\\nr3") == ["Zq9\\nr3"]
    # F4: a heredoc piped into a program that names chpasswd is no input of chpasswd
    for program in ("sudo tee /etc/sudoers.d/chpasswd", "grep -v chpasswd", "logger -t chpasswd"):
        assert shown(f"cat <<EOF | {program}\ndeploy: ALL=(root) NOPASSWD: /usr/sbin/chpasswd\nEOF") == []
    # F6: chpasswd quoted, after a continued line, after another filter
    piped_into = ("kubectl exec -i db -- sh -c 'chpasswd'", "ssh root@db1 'chpasswd'", "sudo -n \\\nchpasswd")
    for piped in (*piped_into, "tr -d ' ' | chpasswd"):
        assert shown(f"cat <<EOF | {piped}\nroot:Zq9r4\nEOF") == ["Zq9r4"]


def test_a_var_commented_out_in_other_shapes() -> None:
    # hunt 179 F1: a block value commented out under a key whose line has a comment, an anchor, a
    # tag; F2: behind more `#`s or a list's or a quote's mark
    lines = (
        "# DB_PASSWORD: | # rotated\n#   Zq9c1",
        "# API_KEY: &old |\n#   Zq9c2",
        "# SECRET_KEY:   # the old one\n#   Zq9c3",
        "## DB_PASSWORD: Zq9c4",
        "# * API_KEY: Zq9c5",
        "# > API_TOKEN: Zq9c6",
        "# 1. AUTH_TOKEN: Zq9c7",
    )
    vars_lines = "".join(f"        {line}\n".replace("\n#", "\n        #") for line in lines)
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += "      servicePorts: [80]\n      vars:\n" + vars_lines + "        DEBUG: '1'\n"
    # a `# secrets:` list commented out: with a note, a `data:` whose value is below, a flow item
    text += "      # secrets: # removed\n      #   - name: a\n      #     data:\n      #       Zq9c8\n"
    text += "      #   - {name: c, mountPath: /x, data: Zq9c9}\n"
    masked = mask_text(load(text))
    assert "Zq9c" not in masked
    assert "# DB_PASSWORD: | # rotated" in masked and "# 1. AUTH_TOKEN: " in masked
    assert "{name: c, mountPath: /x" in masked


def test_comments_in_other_shapes_hunt_179() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F4: `# data: x` in an item of a misspelt secrets list is starred as the live `data:` is
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += "      servicePorts: [80]\n      secret:\n        - name: creds\n          mountPath: /etc/creds\n"
    text += "          # data: Zq9f4old\n          data: Zq9f4new\n"
    masked = mask_text(load(text))
    assert "Zq9f4" not in masked and "# data: " in masked
    # F6: a comparison, a null are no values set
    for comment in (" If password != empty, login is required", " password: ~", " api_key: null", " password == x"):
        assert comment_secrets(comment) == []
    comment = " API_KEY: ~Zq9f6"
    assert [comment[a:b] for a, b in comment_secrets(comment)] == ["~Zq9f6"]
    # F3: a password option in a list written out, in a comment or a string
    assert shown("[redis-server, --requirepass, Zq9f3]") == ["Zq9f3"]
    comment = " command: [redis-cli, -a, Zq9f3, ping]"
    assert [comment[a:b] for a, b in comment_secrets(comment)] == ["Zq9f3"]
    assert shown("[docker, run, -p, 80:80, nginx]") == shown("[--port, 80, --name, web]") == []


def test_hunt_181s_review_of_this_session_s_fixes() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F1: prose's last word after `the token:` is no var commented out; a var's name is
    prose = (" Rotate the token: monthly", " Where to find the password: 1Password", " Each pod needs a key: yes")
    for comment in prose:
        assert comment_secrets(comment) == []
    comment = " was: api_key: Zq9g1"
    assert [comment[a:b] for a, b in comment_secrets(comment)] == ["Zq9g1"]
    # F8: `NAME==x` sets `=x`, in a list of vars too
    assert [s.path for s in find_secrets({"vars": ["DB_PASSWORD==Zq9g2"]})] == [("vars", 0)]
    # F6: chpasswd run by any program that runs another; F5: a list's other commands
    for runner in ("busybox", "timeout 10", "chroot /mnt", "nice -n 5"):
        assert shown(f"cat <<EOF | {runner} chpasswd\nroot:Zq9g3\nEOF") == ["Zq9g3"]
    assert shown("cat <<EOF | /usr/local/sbin/chpasswd\nroot:Zq9g3\nEOF") == ["Zq9g3"]
    assert shown("[curl, -u, admin:Zq9g4, http://x]") == shown("[git, config, x.token, Zq9g4]") == ["Zq9g4"]
    # F7: a printf's conversion takes its password from the argument as far on
    assert shown("printf 'machine h\\nlogin u\\npassword %s\\n' Zq9g5 > ~/.netrc") == ["Zq9g5"]
    assert shown("printf 'machine %s\\nlogin %s\\npassword %s\\n' h.io u 'Zq9g6' > ~/.netrc") == ["Zq9g6"]
    assert shown('printf "machine %s\\nlogin %s\\npassword %s\\n" $HOST $U "$PW" > ~/.netrc') == []
    # the last notes' weak points: several entries in one format, `printf --`, `%*s`, `%2$s`
    both = "printf 'machine a login u password %s\\nmachine b login v password %s\\n' Zq9a1 Zq9a2 > ~/.netrc"
    assert shown(both) == ["Zq9a1", "Zq9a2"]
    assert shown("printf -- 'machine h login u password %s\\n' Zq9b1 > ~/.netrc") == ["Zq9b1"]
    assert shown("printf 'machine %*s login u password %s\\n' 5 h Zq9c1 > ~/.netrc") == ["Zq9c1"]
    assert shown("printf 'machine %s login u password %2$s\\n' h Zq9d1 > ~/.netrc") == ["Zq9d1"]
    # an entry without `login`, in quotes, its host with a dot or a port
    assert shown('printf "machine h.com\\npassword Zq9n1" > ~/.netrc') == ["Zq9n1"]
    assert shown("echo 'machine nexus:8081 password Zq9n2' >> ~/.netrc") == ["Zq9n2"]
    assert shown('echo "machine learning password reset"') == []


def test_hunt_183s_review_of_this_session_s_fixes() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F1: a list's end ends its command: the words after it are no password
    for text in ("use [rabbitmqctl, add_user, bob] then set it", "[redis-cli, AUTH] is refused without one"):
        assert shown(text) == []
    assert shown("[redis-cli, AUTH, Zq9k1]") == ["Zq9k1"]
    # F3: any name after a note's colon; a var's name after other words
    for comment in (" was: password: Zq9k2", " old db.password: Zq9k2", " old apiKey: Zq9k2"):
        assert [comment[a:b] for a, b in comment_secrets(comment)] == ["Zq9k2"]


def test_hunt_184s_review_of_this_session_s_fixes() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F1: a title-case or hyphenated word in a sentence is no var's name; a note's word value no password
    for comment in (" Rotate the GitHub Token: monthly", " Rotate the api-key: quarterly", " TODO: password: change"):
        assert comment_secrets(comment) == []
    # F3: a quoted flow `data` holds its escaped quotes
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += '      servicePorts: [80]\n      # secrets:\n      #   - {name: c, data: "Zq9m1\\"Zq9m2"}\n'
    text += "      #   - {name: d, data: 'Zq9m3''Zq9m4'}\n"
    assert "Zq9m" not in mask_text(load(text))


def test_hunt_185s_review_of_the_last_session_s_fixes() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F1: a secret's name after other words that is no var's by its shape, its value no word of prose
    for comment in (
        " nexlayer-lint disable=NX215 the Admin Password: P4ssw0rd-prod",
        " curl -H X-Api-Key: 9f8e7d6c5b4a3921",
        " old Token: s3cr3tvalue99",
        " old ClientSecret: Xk9mP2qz",
        ' old Api-Token: "Zq8vL2kP9w"',
        " old password2: Xk9mP2qz",
        " SMTP Password: Zq8vL2kP9w",
    ):
        assert [comment[a:b].strip('"') for a, b in comment_secrets(comment)] == [comment.split(": ")[-1].strip('"')]
    # ... and a var's name holds any value; F2: a word of prose, in capitals or ending a sentence, is none
    assert [(" old DB_PASSWORD: hunter")[a:b] for a, b in comment_secrets(" old DB_PASSWORD: hunter")] == ["hunter"]
    for comment in (" Rotate the GitHub Token: monthly", " NOTE: password: required.", " TODO: token: change"):
        assert comment_secrets(comment) == []
    # F3: a secrets list commented out on one line
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += "      servicePorts: [80]\n      # secrets: [{name: b, data: Zq9m4secret, mountPath: /b}]\n"
    masked = mask_text(load(text))
    assert "Zq9m4" not in masked and "# secrets: [{name: b, data: " in masked and "mountPath: /b}]" in masked


def test_hunt_187s_review_of_this_session_s_comment_rule() -> None:
    from nexlayer_lint.secrets import comment_secrets

    def starred(comment: str) -> list[str]:
        return [comment[a:b] for a, b in comment_secrets(comment)]

    # F1: a var's name in capitals holds any value; after a note, any name a value in capitals
    for comment in (" was: PGPASSWORD: letmein", " old TOKEN: hunter", " was: password: Sesame"):
        assert starred(comment) == [comment.rsplit(" ", 1)[1]]
    assert starred(" Rotate the API TOKEN: monthly") == ["monthly"]  # chosen: a var's name, as `TOKEN` is
    # F4, F5: after another name, prose, a reference, a placeholder or a URL is no value
    for value in ("bi-weekly", "(optional)", "N/A", "self-hosted", '"monthly"', "e.g.", "$API_KEY", "<your-token>"):
        assert starred(f" Rotate the Token: {value}") == [], value
    for value in ("{{.Values.token}}", "%TOKEN%", "https://example.com/settings"):
        assert starred(f" Get the API Key: {value}") == [], value


def test_hunt_189s_review_of_values_and_commands() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: redis:7\n      path: /\n"
    for extra in (
        "      vars:\n        ARGS: |\n          DB_PASSWORD: Zq9v1\n",  # F1: a var's name in capitals
        '      command: [sh, -c, "DB_PASSWORD=Zq9v2\\\\ Zq9v2tail ./run"]\n',  # F2: an escaped blank
        "      command: [bash, -c, \"API_TOKEN=$'Zq9v3 Zq9v3tail' ./run\"]\n",  # and bash's $'...'
        '      command: ["redis-cli"]\n      args: ["-a", "Zq9v4", "ping"]\n',  # F4: Kubernetes' args
        '      entrypoint: redis-cli\n      cmd: ["-a", "Zq9v5"]\n',  # Docker's CMD
        "      entrypoint: redis-cli\n      cmd: [-a]\n      args: [Zq9v5]\n",  # args after both
    ):
        assert "Zq9v" not in mask_text(load(base + extra)), extra
    # F3: mysql's `-p` outside a list keeps its `]`; F5: a printf format with `\n` before `machine`
    assert shown("mysql -uroot -pZq9v6] shop # see [docs]") == ["Zq9v6]"]
    assert shown("printf '\\nmachine git.example.com login ci password %s\\n' Zq9v7 >> ~/.netrc") == ["Zq9v7"]
    # F6: sudo's own `-S` among its options, `cf auth`; F7: not the `-S` of the program sudo runs
    assert shown("echo Zq9v8 | sudo -kS apt-get update") == ["Zq9v8"]
    assert shown("echo Zq9v9 | sudo -u root -S id") == ["Zq9v9"]
    assert shown("echo y | sudo pacman -S git") == shown("echo 3 | sudo sort -S 1G") == []
    assert shown("cf auth ci-user Zq9w1") == ["Zq9w1"] and shown("cf push app") == []


def test_hunt_191s_review() -> None:
    from nexlayer_lint import http_client

    # F1: sudo's options read as words, a quoted prompt and long options with their values
    assert shown("echo Zq9y1 | sudo -p 'Password: ' -S apt-get update") == ["Zq9y1"]
    assert shown("echo Zq9y2 | sudo --user root -S id") == shown("echo Zq9y2 | sudo -R /mnt -S id") == ["Zq9y2"]
    # F2: a path's secret as written, when only its decoded text shows one
    url = "http://h/v1/gh%70_0123456789abcdefghijABCDEFGHIJ0123456789/"
    assert http_client.credentials_hider(url)(f"no key {url[8:]}validate") == "no key /v1/****/validate"
    # F3: a pod's command keys in capitals (not a var's name in capitals)
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: redis:7\n      path: /\n"
    capitals = (
        '      entrypoint: redis-cli\n      COMMAND: "-a Zq9y3 ping"\n',
        "      ENTRYPOINT: redis-cli\n      CMD: [-a, Zq9y3]\n",
    )
    for extra in capitals:
        assert "Zq9y3" not in mask_text(load(base + extra)), extra
    # F4: blank lines and `\r\n` written out before a printf's `machine`
    for blanks in ("\\n\\n", "\\r\\n", "\\n "):
        assert shown(f"printf '{blanks}machine h.io login ci password %s\\n' Zq9y4 >> ~/.netrc") == ["Zq9y4"], blanks


def test_hunt_191s_review_of_the_values() -> None:
    # F6: bash's `$"..."`; F7: a blank after `\\` ends the value; F8: prose after `cf auth`
    assert shown('PGPASSWORD=$"Zq9a1 Zq9a2" psql -h db') == ["Zq9a1 Zq9a2"]
    assert shown("PGPASSWORD=Zq9a3\\\\ psql -h db") == ["Zq9a3\\\\"]
    assert shown("cf auth first, cf target -o org then cf push") == []
    # F9: blanks after a commented `data:` whose value is on the next line
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    masked = mask_text(load(base + "      # secrets: [{name: b, data:  \n      #   Zq9a4}]\n"))
    assert "Zq9a4" not in masked


def test_a_pasted_secret_s_value_on_the_line_below_its_key() -> None:
    # the last notes' weak point: `value:` (or `password:`) and its value indented below it
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    for pasted in (
        "          - name: DB_PASSWORD\n            value:\n              Zq9c1\n"
        "          - name: HOST\n            value: db\n",
        "          database:\n            password:\n              Zq9c1\n            host: db\n",
    ):
        document = load(base + "      vars:\n        CONFIG: |\n" + pasted)
        masked = mask_text(document)
        assert "Zq9c1" not in masked and ": db\n" in masked and "Zq9c1" not in repr(secrets.redact(document))


def test_hunt_193s_review() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    # F1, F2: a mapping secret as a whole makes only the secrets inside its keys key secrets
    document = load(base + "      vars:\n        DB_PASSWORD: {valueFrom: {name: db, key: password}}\n")
    assert secrets.document_secrets(document).keys == ()
    # F3: a var named ARGS in the list form of vars is a var, its pasted config read
    document = load(base + "      vars:\n        - ARGS: |\n            DB_PASSWORD: Zq9e1\n")
    assert "Zq9e1" not in mask_text(document) and "Zq9e1" not in repr(secrets.redact(document))
    # F4, F5: sudo's option groups, a value attached to the option that takes one
    assert shown("echo Zq9e2 | sudo -uroot -S id") == shown("echo Zq9e2 | sudo -c cls -S id") == ["Zq9e2"]
    assert shown("echo hello | sudo -uSam tee /tmp/greeting") == shown("echo hi | sudo -gStaff id") == []


def test_hunt_194s_review() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    # F1: under a key left empty, a mapping, a comment or a reference is no value
    pasted = "            password:\n              secretName: db-credentials\n              # a note\n"
    pasted += "            token:\n              ${REDIS_PASSWORD}\n"
    masked = mask_text(load(base + "      vars:\n        APP_CONFIG: |\n          datasource:\n" + pasted))
    assert masked.endswith(pasted)
    # F2: a blank after an odd run of backslashes is escaped; F3: `cf auth` with an empty user, a final `.`
    assert shown("PGPASSWORD=Zq9g1\\\\\\ Zq9g2 psql -h db") == ["Zq9g1\\\\\\ Zq9g2"]
    assert shown('cf auth "" Zq9g3') == ["Zq9g3"] and shown("cf auth admin Zq9g4. && cf push") == ["Zq9g4."]
    # F4: an item after a flag that YAML reads as a one-key mapping: its key is the value
    keys = secrets.document_secrets(load(base + "      command: [app, --password, Zq9g5: on]\n")).keys
    assert [secret.path[-1] for secret in keys] == ["Zq9g5"]


def test_hunt_195s_review() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        CONFIG: |\n          db:\n"
    # F1: a comment under a pasted empty key; F2: a quoted value with `: `; F3: a note, a tag
    # after the key; and a list of passwords below it
    for pasted in (
        "            password:\n              # from the vault\n              Zq9h1\n",
        '            password:\n              "Zq9h1: horse"\n',
        "            password: # the db password\n              Zq9h1\n",
        "            password: !!str\n              Zq9h1\n",
        "            password:\n              - Zq9h1\n",
    ):
        masked = mask_text(load(base + pasted))
        assert "Zq9h1" not in masked, pasted
    assert "# the db password" in mask_text(load(base + "            password: # the db password\n              x1\n"))
    # F5: the key of a one-key item after a flag is labelled by the flag
    document = load(base.split("      vars:")[0] + "      command: [app, --password, Zq9h2: x]\n")
    assert [(key.path[-1], key.label) for key in secrets.document_secrets(document).keys] == [("Zq9h2", "--password")]


def test_hunt_196s_review() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        CONFIG: |\n          db:\n"
    # F1: a value that starts with `!` or `&`, nothing below it; F6: a list of mappings, a lone `-`
    for pasted in (
        "            password: !Zq9i1\n        DEBUG: yes\n",
        "            password: &Zq9i1\n          x: 1\n",
    ):
        assert "Zq9i1" not in mask_text(load(base + pasted)), pasted
    for pasted in (
        "            imagePullSecrets:\n              - name: regcred\n",
        "            credentials:\n              -\n                username: admin\n",
    ):
        assert mask_text(load(base + pasted)).endswith(pasted), pasted
    # hunt 197: an item with a `:` that is no mapping's, a value below a lone `-`
    for pasted in (
        "            passwords:\n              - admin:Zq9i2\n",
        "            password:\n              -\n                Zq9i2\n",
    ):
        assert "Zq9i2" not in mask_text(load(base + pasted)), pasted
    # hunt 198 F1: a lone `-` opens an item whose keys are below it, an env item's too
    for key in ("credentials", "auth", "keys", "password"):
        for first, second in (("name: DB_PASSWORD", "value: Zq9i3"), ("value: Zq9i3", "name: API_TOKEN")):
            pasted = f"            {key}:\n              -\n                {first}\n                {second}\n"
            assert "Zq9i3" not in mask_text(load(base + pasted)), pasted
    pasted = "            credentials:\n              -\n                name: LOG_LEVEL\n"
    pasted += "                value: debug\n"
    assert mask_text(load(base + pasted)).endswith(pasted)


def test_hunt_198s_review_a_commented_flow_list_s_references_and_templates() -> None:
    # F2: the braces of a reference or a template are inside the value, which is no literal
    head = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    for data in ("${TLS_CERT}", "${A}-${B}", "{{ .Values.tls }}", '""'):
        comment = f"# secrets: [{{name: tls, data: {data}, mountPath: /etc/tls/cert.pem}}]\n"
        assert mask_text(load(head + comment)).endswith(comment), data
    for data, starred in (("Zq9j1", "*****"), ("ab${X}cd", "********"), ('{{ "Zq9j2" }}', "*************")):
        comment = f"# secrets: [{{name: tls, data: {data}, mountPath: /etc/tls/cert.pem}}]\n"
        assert mask_text(load(head + comment)).endswith(comment.replace(data, starred)), data
    # a reference or a template not closed: a `,` or `}` ends the value, as any other's
    comment = "# secrets: [{name: tls, data: {{Zq9j3, mountPath: /etc/tls/cert.pem}]\n"
    assert mask_text(load(head + comment)).endswith(comment.replace("{{Zq9j3", "*******"))


def test_a_quote_closing_a_script_ends_the_option_value_before_it() -> None:
    # hunt 199 F7: the script's closing quote was read into the value, so a reference was a literal
    assert shown("sh -c 'redis-server --requirepass $REDIS_PASSWORD'") == []
    assert shown("bash -c 'mysqladmin ping -uroot -p$MYSQL_ROOT_PASSWORD'") == []
    assert shown('sh -c "redis-server --requirepass $REDIS_PASSWORD"') == []
    assert shown("sh -c 'redis-server --requirepass Zq9k1'") == ["Zq9k1"]
    assert shown("bash -c 'mysqladmin ping -uroot -pZq9k2x'; echo ok") == ["Zq9k2x"]
    assert shown("redis-cli -a Zq9k3'x'") == ["Zq9k3'x'"]  # quotes that pair inside the word are in it


def test_a_switch_or_a_null_after_a_secret_name_or_option_in_a_string_is_no_literal() -> None:
    # hunt 199 F2: Gitea's documented flag, Laravel's stock `.env`; as a var's switch is
    for text in (
        "gitea admin user create --password-file /data/pw --must-change-password=false",
        "--must-change-password false",
        "--password 'off'",
        "REDIS_PASSWORD=null",
        "MAIL_PASSWORD=~\nMAIL_HOST=smtp",
        "DB_PASSWORD=True",
        "mysql -ptrue",
    ):
        assert shown(text) == [], text
    assert shown("DB_PASSWORD=false1 API_TOKEN=Zq9l1") == ["false1", "Zq9l1"]
    assert shown("x=1 DB_PASSWORD=null API_TOKEN=Zq9l2") == ["Zq9l2"]
    assert shown("--password nullZq9l3") == ["nullZq9l3"]


def test_an_object_given_to_a_call_in_a_script_is_read() -> None:
    # hunt 199 F4: MongoDB's createUser in `mongosh --eval`, the documented way to make a user
    text = """mongosh admin --eval "db.createUser({user: 'app', pwd: 'Zq9o1', roles: ['readWrite']})\""""
    assert shown(text) == ["Zq9o1"]
    assert shown("mongo --eval \"db.auth({user: 'a', password: 'Zq9o2'})\"") == ["Zq9o2"]
    assert shown("db.auth({user: 'a', pwd: 12345678})") == ["12345678"]
    # a script's expression is no literal
    for text in ("db.createUser({user: 'app', pwd: passwordPrompt()})", 'node -e "f({pwd: process.env.PW})"'):
        assert shown(text) == [], text
    assert shown("db.createUser({user: 'app', pwd: '${MONGO_PW}'})") == []


def test_server_tools_passwords_are_read() -> None:
    # hunt 199 F5: the recipes of nginx's basic auth, Caddy, ssh-keygen, InfluxDB 2, Grafana, git
    assert shown("""echo "admin:$(openssl passwd -apr1 Zq9r1)" > /etc/nginx/.htpasswd""") == ["Zq9r1"]
    assert shown("useradd -p $(openssl passwd -1 Zq9r2) bob") == ["Zq9r2"]
    assert shown("openssl passwd Zq9r3") == ["Zq9r3"]
    assert shown("caddy hash-password --plaintext Zq9r4") == ["Zq9r4"]
    assert shown("ssh-keygen -t ed25519 -N 'Zq9r5' -f /k") == ["Zq9r5"]
    assert shown("influx setup -u admin -p Zq9r6 -o shop -b metrics -f") == ["Zq9r6"]
    assert shown("grafana cli admin reset-admin-password Zq9r7") == ["Zq9r7"]
    assert shown("grafana-cli --homepath /usr/share/grafana admin reset-admin-password Zq9r8") == ["Zq9r8"]
    text = 'git -c http.extraHeader="Authorization: Basic $(echo -n ci:Zq9r9 | base64)" clone https://x.io/r'
    assert shown(text) == ["Zq9r9"]
    assert shown("""curl -H "Authorization: Basic $(printf '%s' 'u:Zq9ra' | base64 -w0)" x""") == ["Zq9ra"]
    # no password written: asked for, read from a file, a reference, another subcommand
    for text in (
        "openssl passwd -stdin < /run/pw",
        "openssl passwd -1 -in /run/pw",
        "openssl rand -hex 32",
        "ssh-keygen -t ed25519 -N '' -f /k",
        "ssh-keygen -N $PASSPHRASE -f /k",
        "grafana cli plugins install grafana-clock-panel",
        'curl -H "Authorization: Basic $(echo -n $USER:$PASS | base64)" x',
        "Basic $(echo u:Zq9rb)",
    ):
        assert shown(text) == [], text


def test_a_comment_s_switch_or_prose_under_a_secret_name_is_not_starred() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # hunt 199 F1: setup notes at a comment's start; a switch, as a live var's is shown
    for comment in (
        " Password: must be at least 8 characters",
        " Token: generated on first boot",
        " auth: none (public API)",
        ' REDIS_AUTH: "off"',
        " - password: the admin one",
    ):
        assert comment_secrets(comment) == [], comment
    for comment, secret in (
        (" password: correct horse battery staple", "correct horse battery staple"),
        (" token: Zq9s1 is the old one", "Zq9s1 is the old one"),
        (" DB_PASSWORD: set in the dashboard", "set in the dashboard"),  # a var's name holds any value
        (" Password: Zq9s2", "Zq9s2"),
    ):
        assert [comment[a:b] for a, b in comment_secrets(comment)] == [secret], comment


def test_a_pasted_kubeconfig_s_client_key_data_is_starred() -> None:
    # the last notes' weak point: a kubeconfig's private key
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        KUBECONFIG: |\n          users:\n          - name: admin\n            user:\n"
    pasted = "              client-certificate-data: LS0tCRT\n              client-key-data: Zq9u1\n"
    masked = mask_text(load(base + pasted))
    assert "Zq9u1" not in masked and "client-certificate-data: LS0tCRT" in masked


def test_a_pasted_translation_file_s_title_case_keys_hold_prose() -> None:
    # the last notes' weak point: `Forgot Password: Passwort vergessen` is a translation, in any script
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        I18N_DE: |\n"
    pasted = "          Forgot Password: Passwort vergessen\n          API Key: Der API-Schlüssel\n"
    assert mask_text(load(base + pasted)).endswith(pasted)
    # a config's: one word (hunt 202 F1), a value that is no word, a lower-case key, an item's `Value:`
    pasted = "          Password: Zq9v1\n          password: Sesame\n          Token: Zq9v2x\n"
    pasted += "          Secret: letmein\n"
    pasted += "          - Name: DB_PASSWORD\n            Value: Correct Horse\n"
    masked = mask_text(load(base + pasted))
    assert all(secret not in masked for secret in ("Zq9v1", "Sesame", "Zq9v2x", "letmein", "Horse")), masked


def test_hunt_202s_review() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F3: real passwords after openssl passwd and grafana's reset are no placeholders
    text = "openssl passwd -apr1 hunter2pass; openssl passwd -6 P4SS_W0RD; grafana-cli admin reset-admin-password pw123"
    assert shown(text) == ["hunter2pass", "P4SS_W0RD", "pw123"]
    # F4, F5: shell-escaped quotes
    assert shown('mongosh --eval "db.changeUserPassword(\\"app\\", \\"Zq9e1\\")"') == ["Zq9e1"]
    assert shown('sh -c "printf \\"machine git.x.io login ci password %s\\n\\" Zq9e2 > ~/.netrc"') == ["Zq9e2"]
    # F6: notes with numbers, versions, apostrophes are prose
    for comment in (
        " Password: must be 8-64 characters long",
        " Auth: none (v2 API)",
        " Password: the admin's, set in the dashboard",
        " Token: expires after 24h, rotate it",
    ):
        assert comment_secrets(comment) == [], comment
    # F8: a line of one character with a note is no lone dash
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    masked = mask_text(load(base + "      vars:\n        CFG: |\n          password:\n            Q # the pin\n"))
    assert "Q # the pin" not in masked


def test_key_value_prose_and_the_placeholder_value_are_no_secret() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # the last notes' weak point: words before an `=` are no var's name; `value` is a placeholder
    for comment in (" vars are key=value pairs", " use KEY=VALUE lines", " pass the token=value in the header"):
        assert comment_secrets(comment) == [], comment
    assert shown("app --set key=value --token=<your-token> --password=Zq9w1") == ["Zq9w1"]
    assert {" DB_PASSWORD=Zq9w2"[a:b] for a, b in comment_secrets(" DB_PASSWORD=Zq9w2")} == {"Zq9w2"}


def test_hunt_201s_review_of_this_session_s_fixes() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F1: jq's --arg (my regression: its reader went under the Basic test)
    assert shown("jq -n --arg password Zq9y1 '{p: $password}'") == ["Zq9y1"]
    # F2: a comment's prose and switch notes are words only (my regression)
    for comment, secret in (
        (" Password: see Zq9y2", "see Zq9y2"),
        (" password: the first one was Zq9y3", "the first one was Zq9y3"),
        (" DB_PASSWORD: off (was Zq9y4 before)", "off (was Zq9y4 before)"),
    ):
        assert [comment[a:b] for a, b in comment_secrets(comment)] == [secret], comment
    # F4: MongoDB's updateUser and changeUserPassword
    assert shown("""mongosh --eval "db.updateUser('app', {pwd: 'Zq9y5'})\"""") == ["Zq9y5"]
    assert shown("""mongosh --eval "db.changeUserPassword('app', 'Zq9y6')\"""") == ["Zq9y6"]
    assert shown("""mongosh --eval "db.changeUserPassword('app', passwordPrompt())\"""") == []
    # F6: a capitalised Java property loses its `-D`, `-DB_PASSWORD` keeps its `D`
    assert [part.label for part in parts_in("-DDB_PASSWORD=Zq9y7 -DB_PASSWORD=Zq9y8")] == ["DB_PASSWORD"] * 2
    # F7: no blank before the pipe, backquotes
    assert shown('git -c http.extraHeader="Authorization: Basic $(echo -n ci:Zq9y9|base64)" clone x') == ["Zq9y9"]
    assert shown("Authorization: Basic `echo -n ci:Zq9ya|base64`") == ["Zq9ya"]
    # F8: prose and placeholders after openssl's and grafana's commands
    for text in (
        "# Use openssl passwd -apr1 for nginx basic auth",
        "# to reset: grafana cli admin reset-admin-password then restart",
        "openssl passwd -apr1 [password]",
        "openssl passwd -apr1 YOUR_PASSWORD",
        "openssl passwd -apr1 ...",
    ):
        assert shown(text) == [], text
    assert shown("openssl passwd -apr1 s3cret") == ["s3cret"]


def test_hunt_201_f5_a_lone_dash_past_a_blank_line_or_with_a_note_opens_its_item() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        CONFIG: |\n          credentials:\n"
    for dash in ("            -\n\n", "            - # the db\n"):
        masked = mask_text(load(base + dash + "              name: DB_PASSWORD\n              value: Zq9z1\n"))
        assert "Zq9z1" not in masked and dash in masked, masked


def test_a_pasted_block_header_after_a_tag_or_an_anchor_has_its_lines_as_the_value() -> None:
    # the last notes' weak point: `password: &pw |` showed the lines below it
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        CFG: |\n          db:\n"
    for header in ("&pw |", "!!str |", "!!str &a >-"):
        masked = mask_text(load(base + f"            password: {header}\n              Zq9b1\n            other: x\n"))
        assert "Zq9b1" not in masked and f"password: {header}\n" in masked and "other: x" in masked, masked


def test_a_one_key_item_after_a_program_s_own_password_option_is_secret_whole() -> None:
    # the last notes' weak point: `[redis-cli, -a, pw: x]`, YAML's one-key mapping, showed its key
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    masked = mask_text(load(base + "      command: [redis-cli, -a, Zq9c1: x]\n"))
    assert "Zq9c1" not in masked and "[redis-cli, -a, *****: *]" in masked
    document = load(base + "      command: [redis-cli, -a, Zq9c1: x]\n")
    assert [key.path[-1] for key in secrets.document_secrets(document).keys] == ["Zq9c1"]


def test_a_quoted_value_with_an_escaped_quote_below_an_empty_pasted_key_is_its_value() -> None:
    # the last notes' weak point: `''` or `\"` inside the quotes, then `: `, was read as a mapping's key
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        CFG: |\n          db:\n            password:\n"
    for value in ("'it''s: Zq9d1'", '"a\\": Zq9d1"'):
        assert "Zq9d1" not in mask_text(load(base + f"              {value}\n")), value
    assert mask_text(load(base + '              "a": b\n')).endswith('"a": b\n')  # a mapping's quoted key


def test_hunt_203_f4_more_programs_passwords_are_read() -> None:
    # openssl enc's -k, rabbitmqadmin's -p, vault login's token, ldappasswd's new password, mc's user
    assert shown("openssl enc -aes-256-cbc -k Zq9f1 -in a -out b") == ["Zq9f1"]
    assert shown("rabbitmqadmin -u admin -p Zq9f2 list queues") == ["Zq9f2"]
    assert shown("vault login -address=https://v:8200 s.Zq9f3") == ["s.Zq9f3"]
    assert shown("ldappasswd -x -D cn=admin -w $LDAP_PW -s Zq9f4 uid=bob") == ["Zq9f4"]
    assert shown('sh -c "mc admin user add local bob Zq9f5"') == ["Zq9f5"]
    for text in ("curl -k https://x.io", "openssl s_client -connect h:443", "vault login", "vault kv get secret/x"):
        assert shown(text) == [], text
    # hunt 204 F4: as a plain string and as a list's items
    assert shown("mc admin user add myminio bob Zq9f6") == ["Zq9f6"]
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    for command in ("[mc, admin, user, add, myminio, bob, Zq9f7]", "[ldappasswd, -x, -w, Zq9f8, -s, Zq9f7, uid=bob]"):
        masked = mask_text(load(base + f"      entrypoint: {command}\n"))
        assert "Zq9f7" not in masked and "Zq9f8" not in masked, masked


def test_a_pasted_env_item_s_value_below_its_key_before_its_name_waits_for_the_name() -> None:
    # the last notes' weak point: `- value:` with its value on the lines below, then `name: DB_PASSWORD`
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      vars:\n        ENV: |\n"
    for header in ("", " |"):
        pasted = f"          - value:{header}\n              Zq9g1\n            name: DB_PASSWORD\n"
        assert "Zq9g1" not in mask_text(load(base + pasted)), header
    pasted = "          - value:\n              debug\n            name: LOG_LEVEL\n"
    assert mask_text(load(base + pasted)).endswith(pasted)


def test_hunt_205s_review() -> None:
    from nexlayer_lint.remote_validate import Endpoint
    from nexlayer_lint.secrets import values_scrubber

    # F2: a short secret right after a long one's echo is a whole word once the echo is starred
    endpoint = Endpoint()
    endpoint.remember({"Xk7pQ2mZ9vLw4RtY", "Tk9zQ1"})
    for scrubbing in (values_scrubber({"Xk7pQ2mZ9vLw4RtY", "Tk9zQ1"}), endpoint.scrub):
        assert scrubbing("concat Xk7pQ2mZ9vLw4RtYTk9zQ1") == "concat ****"
    # hunt 206 F1, F2: a whole-word copy beside or inside a match that is none
    assert values_scrubber({"pw-pw"})("bad value: xpw-pw-pw") == "bad value: xpw-****"
    many = {"qwerty", "qwerty-1"} | {f"Other{number}Pw" for number in range(40)}
    assert values_scrubber(many)("bad value: qwerty-12") == "bad value: ****-12"
    # hunt 207 F1: a copy that repeats its start and runs into an echo
    assert values_scrubber({"pw-pw", "Zq9Kf83LmPq72Xs"})("xpw-pw-pwZQ9KF83LMPQ72XS") == "xpw-****"
    assert values_scrubber({"Zq9Kf83LmPq72Xs", "admin"})("Zq9Kf83LmPq72Xsadministrator") == "****administrator"
    # hunt 208 F1: a value starting in the last letters of another's echo, which ran into it by chance
    endpoint = Endpoint()
    endpoint.remember({"sk9-AbCdEfGhIjKlMnOp", "Abcdefgh1234XYZ"})
    endpoint.remember({"hunter2passWORD99"})
    assert endpoint.scrub("rejected: hunter2passWORD99Abcdefgh1234XYZ") == "rejected: ****"
    assert values_scrubber({"sk9-AbCdEfGhIjKlMnOp", "Abcdefgh1234XYZ"})("x 9Abcdefgh1234XYZ") == "x ****"
    # F4: prose after `mc admin user add`
    assert shown("run mc admin user add then check the docs for details") == []
    assert shown("mc admin user add myminio bob Zq9h1") == ["Zq9h1"]


def test_hunt_190s_review_of_the_comment_rules() -> None:
    from nexlayer_lint.secrets import comment_secrets

    # F1, F2: no reference in capitals or braces, no word of prose: a password's shape
    for value in ("$uperS3cret", "%Passw0rd%", "correct-horse-battery-staple", "Summer.Time", "2024Summer", "${abc"):
        comment = f" the admin password: {value}"
        assert [comment[a:b] for a, b in comment_secrets(comment)] == [value], value
    for value in ("bi-weekly", "TBD", "1Password", "$API_KEY", "${X}", "%TOKEN%", "N/A"):
        assert comment_secrets(f" the admin password: {value}") == [], value
    # F3: a `]` in quotes, a value on the next line, a list opened after a value; F5: docs
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      servicePorts: [80]\n"
    for extra in (
        '      # secrets: [\n      #   {name: a, data: "Zq9t]1", mountPath: /t},\n      #   {name: db, data: Zq9t2}\n',
        "      # secrets: [{name: db, data:\n      #     Zq9t3}]\n",
        "      vars: {A: b}  # secrets: [{name: db,\n      #   data: Zq9t4}]\n",
    ):
        masked = mask_text(load(base + extra + "      # ]\n      # data: public\n"))
        assert "Zq9t" not in masked and masked.endswith("# data: public\n"), extra
    docs = "      # Format: secrets: [{name: x, data: <base64>, mountPath: /etc/x}]\n"
    docs += "      # e.g. `secrets: [{name: tls, data: $(cat cert.pem)}]`\n      # docs: secrets: [], data: none\n"
    assert mask_text(load(base + docs)).endswith(docs)


def test_keys_misspelt_as_the_fixes_read_them_hunt_188() -> None:
    head = "application:\n  name: shop\n  pods:\n    - name: web\n      image: redis:7\n      path: /\n"
    # F1: a var item's `key` and a pod's `command` or `entrypoint` misspelt, which NX101/NX102 rename
    for body in (
        "      vars:\n        - {ky: DB_PASSWORD, value: Zq9r1}\n",
        '      entrypoint: redis-cli\n      comand: "-a Zq9r1 ping"\n',
        '      entryPoint: redis-cli\n      command: "-a Zq9r1 ping"\n',
        # F2: a repeated name key of any spelling, its value under any value key
        "      vars:\n        - var: DB_PASSWORD\n          data: Zq9r1\n          var: FOO\n",
        "      vars:\n        - Name: DB_PASSWORD\n          Value: Zq9r1\n          Name: FOO\n",
    ):
        document = load(head + body)
        assert "Zq9r1" not in mask_text(document) and "Zq9r1" not in repr(secrets.redact(document)), body
    # not a comment, a `cmd` (too far from `command`), an image
    document = load(head + "      vars:\n        - {comment: DB_PASSWORD, value: public}\n")
    assert "public" in mask_text(document)


def test_hunt_188s_commands_and_names() -> None:
    # F4: `CREDS` and `CRED` name a secret; F5: sudo's `-S` reads one from stdin, oc's and cf's login take `-p`
    assert is_secret_var_name("DB_CREDS") and is_secret_var_name("GIT_CRED") and not is_secret_var_name("CRED_HELPER")
    assert shown("skopeo copy --creds me:Zq9s4 docker://a docker://b") == ["me:Zq9s4"]
    assert shown("echo Zq9s1 | sudo -S apt-get update") == ["Zq9s1"]
    assert shown("echo Zq9s5 | /usr/bin/sudo --stdin -u root id") == ["Zq9s5"]
    assert shown("oc login -u dev -p Zq9s2 https://api.example.com:6443") == ["Zq9s2"]
    assert shown("cf login -a https://api.cf.io -u me -p Zq9s3") == ["Zq9s3"]
    assert shown("echo select | sqlplus -S u") == shown("echo hi | sudo tee /x") == shown("docker run -p 80:80 x") == []
    # F6: a shell's `-c` script in a command list: its `NAME=value` ends at a blank
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += '      command: ["sh", "-c", "PGPASSWORD=Zq9s6 psql -h db; echo done"]\n'
    text += '      args: [env, "PASSWORD=Zq9s7 horse"]\n'
    masked = mask_text(load(text))
    assert "Zq9s" not in masked and "horse" not in masked and "PGPASSWORD=***** psql -h db; echo done" in masked
    # hunt 192 F3: the script in `args:` of `command: [sh, -c]`
    text = text.replace('command: ["sh", "-c", "PGPASSWORD', 'command: [sh, -c]\n      args: ["PGPASSWORD')
    text = text.replace('      args: [env, "PASSWORD=Zq9s7 horse"]\n', "")
    assert "PGPASSWORD=***** psql -h db; echo done" in mask_text(load(text))


def test_a_secrets_list_in_flow_style_commented_out_anywhere_hunt_187_f2() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    base += "      servicePorts: [80]\n"
    for extra in (
        "      # - {name: api, image: api:1, secrets: [{name: db, data: Zq9h1}]}\n",
        "  # pods: [{name: a, secrets: [{name: db, data: Zq9h2}]}]\n",
        "      ## secrets: [{name: db, data: Zq9h3}]\n",
        "      # secrets: [{name: db,\n      #   data: Zq9h4}]\n      # data: public\n",
        "      vars: {A: b}  # secrets: [{name: db, data: Zq9h5}]\n",
    ):
        masked = mask_text(load(base + extra))
        assert "Zq9h" not in masked and "data: *****}]" in masked, extra
        assert masked.endswith("# data: public\n") or "public" not in extra


def test_an_oracle_logon_and_mysql_s_attached_password_in_a_list_written_out() -> None:
    # the last notes' weak points: a logon in a list without an option; `-p` before a `,`
    assert shown("[sqlplus, scott/Zq9p1@orcl]") == ["Zq9p1"]
    assert shown("[mysql, -u, root, -p, mydb]") == []
    assert shown("[mysql, -u, root, -pZq9p2, mydb]") == ["Zq9p2"]
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += "      command: [sqlplus, -S, scott/Zq9p3@orcl]\n      args: [mysql, -p, mydb]\n"
    masked = mask_text(load(text))
    assert "Zq9p3" not in masked and "scott/*****@orcl" in masked and "[mysql, -p, mydb]" in masked


def test_a_token_as_an_anchor_s_or_an_alias_s_name_is_starred() -> None:
    # hunt 179 F5: no value holds the name, but a code frame shows its line
    token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += f"      vars:\n        a-b: &{token} hello\n        B: *{token}\n        C: &ghp_base plain\n"
    masked = mask_text(load(text))
    assert token not in masked
    assert f"a-b: &{'*' * 40} hello\n        B: *{'*' * 40}\n        C: &ghp_base plain\n" in masked


def test_a_commented_secrets_list_s_flow_items_hunt_181() -> None:
    # F4: a quoted value holds its `,`; F3: an item without an end is read once (linear)
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += '      servicePorts: [80]\n      # secrets:\n      #   - {name: c, data: "Zq9h1,Zq9h2tail"}\n'
    masked = mask_text(load(text))
    assert "Zq9h" not in masked and "{name: c, data: " in masked
    # a flow item commented out between a live list's items
    live = "      secrets:\n        - {name: a, data: Zq9h3}\n        # - {name: c"
    text = text.replace("      # secrets:\n      #   - {name: c", live)
    text += "        - {name: b, data: Zq9h4}\n      vars: {NOTE: '{data: public}'}\n"
    masked = mask_text(load(text))
    assert "Zq9h" not in masked and "{data: public}" in masked


def test_an_env_list_pasted_in_a_var_in_other_layouts() -> None:
    # hunt 169 F8: a blank line, a comment, a value before its name, a flow item, a block value,
    # a list nested in the item; and a secret's block value in any pasted file
    from nexlayer_lint.loader import load

    block = """\
          - name: DB_PASSWORD

            value: Zq9p1
          - name: API_KEY
          # from the vault
            value: Zq9p2
          - value: Zq9p3
            name: DB_PASSWORD
          - {name: DB_PASSWORD, value: Zq9p4}
          - name: DB_PASSWORD
            value: >-
              Zq9p5
          - name: DB_PASSWORD
            tags:
            - prod
            value: Zq9p6
          - name: LOG_LEVEL
            value: debug
          - value: shown
            name: LOG_FORMAT
          db:
            password: |
              Zq9p7
            user: bob
"""
    text = "application:\n  pods:\n    - name: web\n      vars:\n        K8S_ENV: |\n" + block
    document, _ = load(text, "nexlayer.yaml")
    assert document is not None
    masked = mask_text(document)
    assert "Zq9p" not in masked
    for shown_line in ("value: debug", "value: shown", "user: bob", "- prod", "name: DB_PASSWORD"):
        assert shown_line in masked


def test_a_repeated_key_s_earlier_list_is_read_as_a_list() -> None:
    # the last sessions' weak point: an earlier copy's items were judged one by one, so the word
    # after a password option was shown (the repeated key is NX002, its frame quotes it)
    text = (
        "application:\n  pods:\n    - name: db\n      image: redis\n"
        "      command:\n        - redis-server\n        - --requirepass\n        - Zq9rep1\n"
        "      command: [redis-server]\n"
        "    - name: cli\n      image: redis\n"
        "      args: [redis-cli, -a, Zq9rep2, ping, x, y]\n      args: [echo, hi]\n"
        "    - name: app\n      entrypoint: [app]\n      args: ['--password', 'Zq9rep3']\n      args: []\n"
    )
    masked = mask_text(load(text))
    assert "Zq9rep" not in masked
    assert "- --requirepass" in masked and "[redis-cli, -a, " in masked and "'--password'" in masked


def test_a_grant_s_second_account_and_blanks_around_its_at() -> None:
    # hunt 167 F8: `IDENTIFIED BY "x"` after a GRANT's second account, or `"app" @ "%"`
    text = 'GRANT ALL ON db.* TO "a"@"%" IDENTIFIED BY "Zq9g1", "b"@"%" IDENTIFIED BY "Zq9g2";'
    assert shown(text) == ["Zq9g1", "Zq9g2"]
    assert shown('GRANT ALL ON *.* TO "app" @ "%" IDENTIFIED BY "Zq9g3"') == ["Zq9g3"]
    assert shown('echo "made by us, the QA, identified by "them""') == []  # no GRANT: prose


def test_hunt_170s_review_of_the_hunt_167_and_169_fixes() -> None:
    # F1, F5: escaped JSON, and JSON held in a JSON string: no traceback, its own items judged
    assert shown('{\\"adminPassword\\": {\\"value\\": \\"Zq9t1\\"}}') == ["Zq9t1"]
    text = '{"env": "[{\\"name\\": \\"DB_PASSWORD\\", \\"value\\": \\"Zq9t2\\"}, '
    text += '{\\"name\\": \\"LOG_LEVEL\\", \\"value\\": \\"debug\\"}]"}'
    assert shown(text) == ["Zq9t2"]
    assert shown('{"note": "b, adminPassword: {x"}') is not None  # no KeyError
    text = "[{name: DB_PASSWORD, note: 'a 5\" screen', value: Zq9t3}, {name: LOG_LEVEL, value: debug}]"
    assert shown(text) == ["Zq9t3"]
    # F9: a brace in a single-quoted string is text too
    assert shown("{name: DB_PASSWORD, note: 'a}b', value: Zq9t4}") == ["Zq9t4"]
    assert shown("{'name': 'DB_PASSWORD', 'note': 'a}b', 'value': 'Zq9t5'}") == ["Zq9t5"]
    # F2: a key's own value in capitals with `-`, `.` or `/` is no var's name
    assert shown('{"license": {"key": "K9X2-PQ7M-ZZ41-LLA1"}}') == ["K9X2-PQ7M-ZZ41-LLA1"]
    # F6: a secret named inside a public item nested in a secret's
    text = '{"name": "DB_PASSWORD", "env": {"name": "LOG_LEVEL", "sub": {"name": "API_KEY", "value": "Zq9t6"}}}'
    assert shown(text) == ["Zq9t6"]
    # F4: a heredoc closed by `EOF'` (an `sh -c '...'`), `<<E"OF"`, an indented closing line
    assert shown("sudo sh -c 'chpasswd <<EOF\nroot:Zq9t7\nEOF'") == ["Zq9t7"]
    assert shown('chpasswd <<E"OF"\nroot:Zq9t8\nEOF') == ["Zq9t8"]
    assert shown("if true; then\n  chpasswd <<-EOF\n  root:Zq9t9\n  EOF\nfi") == ["Zq9t9"]
    # F10: a `userid=` later in the command does not hide the first word's logon
    assert shown("sqlplus -s scott/Zq9t10@orcl @load.sql userid=scott") == ["Zq9t10"]


def test_env_lists_pasted_inside_another_list_s_item() -> None:
    # hunt 170 F3, F7, F8: a list in another list's item (a pod spec, the compact layout), a lone
    # `-`, quoted keys, a flow list on its key's line; a flow item keeps its `}`
    from nexlayer_lint.loader import load

    block = """\
          containers:
          - name: app
            env:
            - name: DB_PASSWORD
              value: Zq9n1
          - type: database
            vars:
            - key: MONGO_INITDB_ROOT_PASSWORD
              value: Zq9n2
          -
            name: API_KEY
            value: Zq9n3
          - "name": "DB_PASSWORD"
            "value": "Zq9n4"
          - {name: DB_PASSWORD, value: Zq9n5}
          env: [{name: DB_PASSWORD, value: Zq9n6}, {name: LOG_LEVEL, value: debug}]
          - name: LOG_LEVEL
            value: info
"""
    text = "application:\n  pods:\n    - name: web\n      vars:\n        K8S_ENV: |\n" + block
    document, _ = load(text, "nexlayer.yaml")
    assert document is not None
    masked = mask_text(document)
    assert "Zq9n" not in masked
    assert "- {name: DB_PASSWORD, value: *****}" in masked
    assert "value: debug}]" in masked and "value: info" in masked


def test_hunt_172s_review_of_the_hunt_170_fixes() -> None:
    # F3, F6: escaped JSON's strings open at `\"`; an escaped quote inside one does not close it
    assert shown('curl --data "{\\"value\\": \\"Hun}ter9\\", \\"name\\": \\"DB_PASSWORD\\"}"') == ["Hun}ter9"]
    text = '{"e": "[{\\"note\\": \\"say \\\\\\"hi\\\\\\"}\\", '
    text += '\\"value\\": \\"Zq9u1\\", \\"name\\": \\"DB_PASSWORD\\"}]"}'
    assert shown(text) == ["Zq9u1"]
    # F5: a shell's escaped quotes around a GRANT's account
    assert shown('mysql -e "GRANT ALL ON *.* TO \\"app\\" @ \\"%\\" IDENTIFIED BY \\"Zq9u2\\""') == ["Zq9u2"]
    # F8: an Oracle tool's first word that is a parameter is no logon
    assert shown("expdp dumpfile=nightly/exports@2024.dmp userid=scott/${DB_PASSWORD}@db") == []


def test_hunt_172s_pasted_values_and_repeated_lists() -> None:
    # F2: an env item's value that starts with `{` or `[` (Spring's `{noop}pw`) is its value
    block = "          - name: DB_PASSWORD\n            value: {noop}Zq9v1\n"
    block += "          - name: API_KEY\n            value: [Zq9v2]\n"
    for name in ("K8S_ENV", "ENV"):  # (a var named `env` is read as vars)
        text = f"application:\n  pods:\n    - name: web\n      vars:\n        {name}: |\n" + block
        assert "Zq9v" not in mask_text(load(text))
    # F1: a repeated key's earlier list of lists
    text = "application:\n  pods:\n    - name: web\n"
    text += "      vars: [[DB_PASSWORD, Zq9v3], [API_KEY, Zq9v4]]\n      vars: []\n"
    assert "Zq9v" not in mask_text(load(text))


def test_escaped_json_braces_are_paired_in_linear_time() -> None:
    # hunt 172 F4: a `{` read as a string's text looked for the next `}` from itself each time
    text = '{"a": "' + '{"x": {"value": 1}, ' * 20_000 + '"}'
    assert shown(text) is not None  # within the suite's time: quadratic took minutes at 8 MB


def test_hunt_173s_review_of_the_hunt_172_fixes() -> None:
    # F1: a public item's value written as JSON is read as JSON; F2: under a var read as vars
    # (`ENV`), an empty flow value, a `- key:` naming a word and a secretKeyRef's `key:` are shown
    block = (
        '          - name: APP_CONFIG\n            value: {"db_password": "Zq9w1"}\n'
        '          - name: EMPTY\n            value: {}\n          - key: timeout\n            value: "30"\n'
        "          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:\n"
        "                name: db\n                key: password\n"
    )
    for name in ("K8S_ENV", "ENV"):
        masked = mask_text(load(f"application:\n  pods:\n    - name: web\n      vars:\n        {name}: |\n" + block))
        assert "Zq9w1" not in masked
        for public in ("value: {}", "key: timeout", "key: password"):
            assert public in masked


def test_httpie_rclone_and_composer_credentials_are_read() -> None:
    # the last notes' weak points: httpie's `-a user:password`, rclone's `config create ... KEY VALUE`,
    # Composer's `config http-basic.HOST USER PASSWORD` were not read
    assert shown("http -a admin:Zq9h1 GET https://x.io") == ["Zq9h1"]
    assert shown("https --auth=admin:Zq9h1 x.io/api") == ["Zq9h1"]
    assert shown("http -A bearer -a Zq9h2 x.io") == ["Zq9h2"]
    assert shown("rclone config create r s3 provider AWS access_key_id AKIAX secret_access_key Zq9h3") == ["Zq9h3"]
    assert shown("rclone config update r --obscure pass=Zq9h4 && echo ok") == ["Zq9h4"]
    assert shown("composer config -g http-basic.repo.example.com bob Zq9h5") == ["Zq9h5"]
    assert shown("composer global config github-oauth.github.com Zq9h6") == ["Zq9h6"]
    # a user name alone (httpie asks), a remote named like a key, an option that reads, a reference
    for text in (
        "http -a admin x.io",
        "curl http://x.io -a b:c",
        "rclone config create token s3 provider AWS",
        "composer config --unset http-basic.repo.example.com",
        "composer config http-basic.repo.example.com bob $COMPOSER_PW",
    ):
        assert shown(text) == [], text
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    for command, masked_command in (
        ('[http, -a, "admin:Zq9h7", x.io]', '[http, -a, "***********", x.io]'),
        ("[http, -A, bearer, -a, Zq9h7, x.io]", "[http, -A, bearer, -a, *****, x.io]"),
        ("[http, -a, admin, x.io]", "[http, -a, admin, x.io]"),
        ("[rclone, config, update, r, pass, Zq9h7, user, bob]", "[rclone, config, update, r, pass, *****, user, bob]"),
        ("[rclone, config, create, token, s3, provider, AWS]", "[rclone, config, create, token, s3, provider, AWS]"),
        ("[composer, config, http-basic.x.io, bob, Zq9h7]", "[composer, config, http-basic.x.io, bob, *****]"),
        ("[composer, config, -g, bearer.x.io, Zq9h7]", "[composer, config, -g, bearer.x.io, *****]"),
    ):
        assert f"entrypoint: {masked_command}\n" in mask_text(load(base + f"      entrypoint: {command}\n")), command
    from nexlayer_lint.engine import lint

    text = base + '      vars:\n        A: "http -a u:Zq9h8 x.io"\n'
    text += '        B: "composer config http-basic.x.io bob Zq9h9"\n'
    hints = [d.hint for d in lint(text, "nexlayer.yaml").diagnostics if d.code == "NX213"]
    assert ['"${PASSWORD}"' in hints[0], '"${COMPOSER_PASSWORD}"' in hints[1]] == [True, True], hints


def test_hunt_211s_review_of_the_config_tools_and_httpie() -> None:
    # F1, F2: global options before `config` (and a value option after it); F3: `--`; F4: `-Abearer`
    for text in (
        "composer --no-interaction config http-basic.repo.example.com bob Zq9i1",
        "composer -n -d /app config --working-dir /app github-oauth.github.com Zq9i1",
        "php composer.phar config github-oauth.github.com Zq9i1",
        "rclone -v config create r webdav pass Zq9i1",
        "rclone --config /x.conf config create r s3 secret_access_key Zq9i1",
        "rclone config create --config /x.conf r s3 secret_access_key Zq9i1",
        "composer config -g github-oauth.github.com -- Zq9i1",
        "composer config http-basic.x.io -- bob Zq9i1",
        "http -Abearer -a Zq9i1 x.io",
    ):
        assert shown(text) == ["Zq9i1"], text
    # F5: swift's public `auth` URL
    assert shown("rclone config create r swift auth https://auth.x.io/v1.0") == []
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    for command, masked_command in (
        (
            "[composer, -n, -d, /app, config, http-basic.x.io, bob, Zq9i2]",
            "[composer, -n, -d, /app, config, http-basic.x.io, bob, *****]",
        ),
        ("[php, composer.phar, config, bearer.x.io, Zq9i2]", "[php, composer.phar, config, bearer.x.io, *****]"),
        (
            "[rclone, --config, /x.conf, config, create, r, s3, pass, Zq9i2]",
            "[rclone, --config, /x.conf, config, create, r, s3, pass, *****]",
        ),
        (
            "[http, -A, bearer, -v, --follow, --timeout, '5', -a, Zq9i2]",
            "[http, -A, bearer, -v, --follow, --timeout, '5', -a, *****]",
        ),
        # F6: a user name with nothing after its `:`
        ('[http, -a, "admin:", x.io]', '[http, -a, "admin:", x.io]'),
        ('[curl, -u, "admin:", x.io]', '[curl, -u, "admin:", x.io]'),
    ):
        assert f"entrypoint: {masked_command}\n" in mask_text(load(base + f"      entrypoint: {command}\n")), command


def test_a_var_s_reference_to_a_pod_of_the_file_is_no_default() -> None:
    # hunt 210 F1: `${auth-service:8080}`, Nexlayer's reference to the pod auth-service, was read as
    # `${auth}` with the default `service:8080`. It is one in a var's value when the file has that
    # pod (or `<app>-<pod>`); anywhere else, and naming no pod, a shell's default stays secret (hunts
    # 212 F1, 214 F2, 216 F1, F3: each narrower rule showed a secret or starred a reference)
    pods = "application:\n  name: shop\n  pods:\n    - name: auth-service\n      image: a:1\n"
    pods += "      servicePorts: [8080]\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    shown_vars = (
        "      vars:\n        AUTH_URL: http://${auth-service:8080}/login\n        AUTH_TOKEN: ${auth-service:8080}\n"
        '        OPTS: "token=${auth-service:9000}"\n        CFG: |\n          auth: ${auth-service:8080}\n'
        "        APP: ${shop-auth-service:8080}\n"
    )
    assert mask_text(load(pods + shown_vars)).endswith(shown_vars)
    for starred in (
        '      vars:\n        INIT: "mysql -p${password-qwerty99x:1} < /init.sql"\n',  # names no pod
        '      command: "mysql -uroot -p${pw-qwerty99x:1} -h db"\n',
        '      entrypoint: [node, server.js, --password, "${dbpass-qwerty99x:1}"]\n',
        '      settings:\n        password: "${dbpass-qwerty99x:1}"\n',
        "      command: \"sh -c 'echo ${pw-hunter2xyz:5432}'\"\n",
    ):
        masked = mask_text(load(pods + starred))
        assert "qwerty99x" not in masked and "hunter2xyz" not in masked, starred
    assert shown("${auth-Zq9j1}") == ["Zq9j1"]
    from nexlayer_lint.engine import lint

    text = pods + "      servicePorts: [80]\n      vars:\n        AUTH_URL: http://${auth-service:8080}/login\n"
    assert lint(text, "nexlayer.yaml").diagnostics == ()


def test_hunt_213s_corpus_review() -> None:
    from nexlayer_lint.secrets import is_literal_secret

    # F2: Ory Hydra's and Kratos' secrets, the term first
    for name in ("SECRETS_SYSTEM", "SECRETS_CIPHER", "SECRETS_DEFAULT", "secrets.cookie"):
        assert is_secret_var_name(name), name
    for name in ("SECRETS_DIR", "SECRETS_PATH", "SECRETS_MANAGER", "SECRET_NAME"):
        assert not is_secret_var_name(name), name
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    assert "Zq9k1" not in mask_text(load(base + '      vars:\n        SECRETS_SYSTEM: "Zq9k1a1b2c3d4e5f6"\n'))
    # F4: words that say they are a placeholder; F1: code frames show them, but one word in brackets
    for value in ("your-token", "YOUR_API_KEY", "your_discord_bot_token_here", "your-secret-key-32-chars-exactly"):
        assert not is_literal_secret(value), value
    for value in ("yourZq9pw", "Zq9_here!", "my-token"):
        assert is_literal_secret(value), value
    shown_vars = "      vars:\n        A_TOKEN: your-token\n        B_KEY: <Github Packages Read-Only PAT>\n"
    assert mask_text(load(base + shown_vars)).endswith(shown_vars)
    assert mask_text(load(base + "      vars:\n        A_TOKEN: <s3cr3t>\n")).endswith("A_TOKEN: ********\n")
    # F3: a reference or a placeholder as a commented block `# data:` of a secrets item
    secrets_items = "      secrets:\n        - name: tls\n          # data: ${TLS_CERT}\n"
    secrets_items += "          # data: '<your certificate>'\n"
    secrets_items += "          data: ${TLS_CERT}\n          mountPath: /etc/tls\n          fileName: tls.pem\n"
    assert mask_text(load(base + secrets_items)).endswith(secrets_items)
    assert "Zq9k2" not in mask_text(load(base + secrets_items.replace("# data: ${TLS_CERT}", "# data: Zq9k2")))
    # hunt 214 F3: one word in brackets, or a note after a reference, stays starred
    lines = ("# data: <Zq9Kf83LmPq72Xw>", "# data: ${DB_PW} # old: Zq9Kf83LmPq72Xv", "# data: your_Zq9Kf83LmPq72Xs")
    for line in lines:
        masked = mask_text(load(base + secrets_items.replace("# data: ${TLS_CERT}", line)))
        assert "Zq9Kf83" not in masked, line


def test_hunt_214s_review_of_placeholders_and_pod_references() -> None:
    from nexlayer_lint.secrets import is_literal_secret

    # F1: a token inside a placeholder, a token before `here`, a random word after `your_`
    for value in ("<your ghp_Zq9Kf83LmPq72XsAbCdEfGhIjKlMnOp12>", "ghp_Zq9Kf83LmPq72XsAbCdEfGhIjKlMnOp12 here"):
        assert is_literal_secret(value), value
    assert is_literal_secret("your_Zq9Kf83LmPq72Xs")
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    masked = mask_text(load(base + "      vars:\n        GH_PAT: <Zq9Kf83LmPq72Xs read-only>\n"))
    assert "Zq9Kf83" not in masked
    # (F2: test_a_var_s_reference_to_a_pod_of_the_file_is_no_default)


def test_hunt_215s_lists_of_httpie_curl_and_composer() -> None:
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    # F1: `bearer` after `-a`; F2: a value attached to its option; F4: a number as the token
    for command, masked_command in (
        ("[http, -a, Zq9m1abcdef, -A, bearer]", "[http, -a, ***********, -A, bearer]"),
        ("[curl, -uadmin:Zq9m1abcdef, x.com]", "[curl, -uadmin:***********, x.com]"),
        ("[http, -aadmin:Zq9m1abcdef, x.com]", "[http, -aadmin:***********, x.com]"),
        ("[http, -A, bearer, -a, 88372615549911, x.com]", "[http, -A, bearer, -a, **************, x.com]"),
        ("[curl, -f, http://localhost:8080/health]", "[curl, -f, http://localhost:8080/health]"),
        # hunt 216 F2: a request item that ends in `bearer` is no auth type
        ("[http, -a, alice, POST, x.io, token_type=bearer]", "[http, -a, alice, POST, x.io, token_type=bearer]"),
        ("[http, -Abearer, -a, Zq9m1abcdef]", "[http, -Abearer, -a, ***********]"),
    ):
        assert f"command: {masked_command}\n" in mask_text(load(base + f"      command: {command}\n")), command
    assert shown("http -aadmin:Zq9m2 x.com") == ["Zq9m2"]
    # F3: a list's Composer secret is named after its key, not after the word before it
    from nexlayer_lint.engine import lint

    text = base + "      servicePorts: [80]\n"
    text += "      command: [composer, config, bitbucket-oauth.bitbucket.org, Xk2pLq9RtZ8wVn4B, Zq9m3abcdef]\n"
    (finding,) = [d for d in lint(text, "nexlayer.yaml").diagnostics if d.code == "NX213"]
    assert '"${COMPOSER_TOKEN}"' in finding.hint and "XK2P" not in finding.hint, finding.hint


def test_an_edit_of_a_pod_s_name_finds_the_references_secrets_again() -> None:
    # a pod's name decides whether `${auth-service:8080}` is a reference or a default: an edit of
    # it in the language server (scalar_edit) must not carry the secrets found before
    from nexlayer_lint.scalar_edit import edited

    text = "application:\n  name: shop\n  pods:\n    - name: auth-service\n      image: a:1\n"
    text += "      servicePorts: [8080]\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    text += "      vars:\n        AUTH_TOKEN: ${auth-service:8080}\n"
    before = load(text)
    secrets.document_secrets(before)
    for renamed in ("auth-servicx", "auth-service"):
        after = edited(before, text.replace("name: auth-service", f"name: {renamed}"))
        assert after is not None
        fresh = load(after.text)
        assert mask_text(after) == mask_text(fresh), renamed
        assert ("auth-service:8080}" in mask_text(after)) == (renamed == "auth-service"), renamed
        before = after


def test_hunt_217s_review_of_pod_references() -> None:
    pods = "application:\n  name: shop\n  pods:\n    - name: token-zq9pwk\n      image: a:1\n"
    pods += "      servicePorts: [8080]\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    # F3: a Kelvin sign lower-cases to `k`, but names no pod (checks/app.py's _resolve)
    kelvin = '      vars:\n        DB_URL: "${token-zq9pw\u212a:5432}"\n'
    assert "zq9pw\u212a:5432" not in mask_text(load(pods + kelvin))
    assert mask_text(load(pods + '      vars:\n        DB_URL: "${token-zq9pwk:5432}"\n')).endswith('zq9pwk:5432}"\n')


@pytest.mark.parametrize("mode", ["x", "${x}"])
def test_a_pod_reference_written_with_an_escape_is_one_whatever_else_the_file_holds(mode: str) -> None:
    # hunt 222 F2: values were read for pod references only when the text held a `${`; this one
    # holds it by an escape, so it was a secret, or not, by another pod's MODE
    text = (
        "application:\n  name: shop\n  pods:\n    - name: db\n      image: postgres:16\n"
        f"      vars:\n        MODE: {mode}\n"
        '    - name: web\n      image: nginx:1.27\n      vars:\n        DB_PASSWORD: "\\x24{db:5432}"\n'
    )
    document, problems = loader.load(text, "nexlayer.yaml")
    assert document is not None and problems == []
    assert document.data["application"]["pods"][1]["vars"]["DB_PASSWORD"] == "${db:5432}"
    assert [s.path for s in secrets.document_secrets(document).found] == []


def test_ory_secrets_after_the_product_s_name_or_with_an_index() -> None:
    # the last notes' weak points: Ory reads `SECRETS_SYSTEM_0` (the list's first item) from the
    # environment, and compose files name them after the product (`HYDRA_SECRETS_SYSTEM`)
    for name in ("SECRETS_SYSTEM_0", "HYDRA_SECRETS_SYSTEM", "KRATOS_SECRETS_COOKIE_1", "ORY_SECRETS_CIPHER"):
        assert is_secret_var_name(name), name
    # another word before or after names a setting, not the secret
    for name in ("MY_SECRETS_SYSTEM", "SECRETS_SYSTEM_NAME", "SECRETS_DEFAULT_NAMESPACE", "HYDRA_SECRETS_DIR"):
        assert not is_secret_var_name(name), name
    base = "application:\n  name: shop\n  pods:\n    - name: hydra\n      image: oryd/hydra:v2.2\n      path: /\n"
    text = base + "      vars:\n        SECRETS_SYSTEM_0: Zq9o1abcdefgh\n        HYDRA_SECRETS_SYSTEM: Zq9o2abcdefgh\n"
    masked = mask_text(load(text))
    assert masked.endswith("SECRETS_SYSTEM_0: *************\n        HYDRA_SECRETS_SYSTEM: *************\n")


def test_httpie_run_as_a_module_and_xh_are_read_as_httpie() -> None:
    # the last notes' weak points: `python -m httpie` and xh (`xh`, `xhs`) take httpie's `-a user:password`
    assert shown("xh -a admin:Zq9x1 https://x.io") == ["Zq9x1"]
    assert shown("xhs --auth=admin:Zq9x2 x.io") == ["Zq9x2"]
    assert shown("python -m httpie -a admin:Zq9x3 https://x.io") == ["Zq9x3"]
    assert shown("xh -A bearer -a Zq9x4 x.io") == ["Zq9x4"]
    assert shown("xh -a admin x.io") == []  # xh asks for the password
    assert shown("xhosa -a admin:pw") == []  # no program of httpie's
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    for command, masked_command in (
        ('[xh, -a, "admin:Zq9x5", x.io]', '[xh, -a, "***********", x.io]'),
        ("[python, -m, httpie, -aadmin:Zq9x6abc, x.io]", "[python, -m, httpie, -aadmin:********, x.io]"),
    ):
        assert f"command: {masked_command}\n" in mask_text(load(base + f"      command: {command}\n")), command


def test_a_user_name_written_as_a_pod_reference_is_not_starred() -> None:
    # the last notes' weak point: the password starts after the first `:` outside a `${...}`;
    # `http -a ${db:5432}:PW` starred `5432}:PW`
    assert shown("http -a ${db:5432}:Zq9u1 x.io") == ["Zq9u1"]
    assert shown("curl -u ${db:5432}:Zq9u2 x.io") == ["Zq9u2"]
    assert shown("curl -u ${DB_USER}:Zq9u3 x.io") == ["Zq9u3"]
    assert shown("curl -u ${db:Zq9u4 x.io") == ["Zq9u4"]  # nothing closes it: the colon ends the user
    # hunt 225 F1: a shell's default may hold the password: its colon is one as before
    assert shown("curl -u ${USER:-admin:Zq9u6} x.io") == ["-admin:Zq9u6}"]
    assert shown("http -a ${my-db:80}:Zq9u7 x.io") == ["Zq9u7"]
    assert shown("curl -u ${db:5432} x.io") == []  # no password: curl asks
    base = "application:\n  name: shop\n  pods:\n    - name: db\n      image: postgres:16\n      path: /\n"
    command = '      command: [curl, -u, "${db:5432}:Zq9u5abcd", x.io]\n'
    # the item is secret whole, but for the reference
    assert mask_text(load(base + command)).endswith('command: [curl, -u, "${db:5432}**********", x.io]\n')


def test_a_composer_auth_section_given_as_json_is_secret_whole() -> None:
    # the last notes' weak point: `composer config --json github-oauth '{"github.com": "TOKEN"}'`
    # sets the whole section, whose values are tokens
    json_token = """'{"github.com": "Zq9c1abcdefgh"}'"""
    assert shown(f"composer config --json github-oauth {json_token}") == [json_token[1:-1]]  # inside the quotes
    assert shown(f"composer config -g --json bearer {json_token}") == [json_token[1:-1]]
    assert shown(f"composer config --json extra.hosts {json_token}") == []  # no auth key
    assert shown(f"composer config github-oauth {json_token}") == []  # without --json: no section is set
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: php:8.3\n      path: /\n"
    command = f"      command: [composer, config, --json, gitlab-token, {json_token}]\n"
    assert mask_text(load(base + command)).endswith(f"gitlab-token, '{'*' * (len(json_token) - 2)}']\n")


def test_ory_secrets_in_a_pasted_config_are_read_under_their_section() -> None:
    # the last notes' weak point: Ory's config file writes its secrets as `secrets:` then
    # `system:` (`cookie:`, `cipher:`...); `system` alone names no secret (`log: system: journald`)
    pasted = (
        "serve:\n  cookies:\n    same_site_mode: Lax\nsecrets:\n  system:\n    - Zq9o3abcdefgh\n"
        "  default: Zq9o4abcdefgh\nlog:\n  system: journald\n"
    )
    from nexlayer_lint.secrets import _pasted_yaml_parts

    assert [pasted[p.start : p.end] for p in _pasted_yaml_parts(pasted)] == ["- Zq9o3abcdefgh", "Zq9o4abcdefgh"]
    assert _pasted_yaml_parts("log:\n  system: journald\nsecrets:\n  dir: /run/secrets\n") == []
    base = "application:\n  name: shop\n  pods:\n    - name: hydra\n      image: oryd/hydra:v2.2\n      path: /\n"
    var = "      vars:\n        HYDRA_YML: |\n" + "".join(f"          {line}\n" for line in pasted.splitlines())
    masked = mask_text(load(base + var))
    assert "Zq9o" not in masked and "system: journald" in masked and "same_site_mode: Lax" in masked


def test_hunt_226s_password_options_of_more_programs() -> None:
    # F5: twine's `-p`, Neo4j's cypher-shell `-p`, SQL Server's bcp and mssql-cli `-P`, influx's `-t`
    assert shown("twine upload -u __token__ -p T1Zq9Kf83 dist/*") == ["T1Zq9Kf83"]
    assert shown("cypher-shell -u neo4j -p T2Zq9Kf83 'RETURN 1'") == ["T2Zq9Kf83"]
    assert shown("bcp db.dbo.t out f -S db -U sa -P T3Zq9Kf83") == ["T3Zq9Kf83"]
    assert shown("mssql-cli -S db -U sa -P T4Zq9Kf83") == ["T4Zq9Kf83"]
    assert shown("influx setup -p T5Zq9Kf83 -t T6Zq9Kf83") == ["T5Zq9Kf83", "T6Zq9Kf83"]
    assert shown("docker run -t -p 80:80 x && zip -t a.zip") == []  # another program's `-t`, `-p`
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: influxdb:2.7\n      path: /\n"
    command = "      command: [influx, write, -t, T7Zq9Kf83, -b, x]\n"
    assert mask_text(load(base + command)).endswith("command: [influx, write, -t, *********, -b, x]\n")


def test_hunt_226s_poetry_credentials() -> None:
    # F6: Poetry's `config http-basic.NAME USER PASSWORD` and `config pypi-token.NAME TOKEN`, as
    # Composer's; named after the environment variable Poetry reads instead
    text = "poetry config http-basic.private ci P1Zq9Kf83 && poetry -C /app config pypi-token.pypi P2Zq9Kf83"
    assert shown(text) == ["P1Zq9Kf83", "P2Zq9Kf83"]
    assert [p.label for p in parts_in(text)] == ["POETRY_HTTP_BASIC_PRIVATE_PASSWORD", "POETRY_PYPI_TOKEN_PYPI"]
    for text in ("poetry config --unset http-basic.private", "poetry config virtualenvs.create false"):
        assert shown(text) == [], text
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: python:3.12\n      path: /\n"
    command = "      command: [poetry, config, --local, http-basic.repo, ci, P3Zq9Kf83]\n"
    assert mask_text(load(base + command)).endswith("http-basic.repo, ci, *********]\n")


def test_hunt_226s_secret_written_by_printf_is_its_argument() -> None:
    # F1: `printf 'API_KEY=%s\n' x > .env` starred the conversion and showed the argument
    assert shown("printf 'API_KEY=%s\\n' Zq9p1abcdef > .env && node server.js") == ["Zq9p1abcdef"]
    assert shown('printf "DB_PASSWORD=%s\\n" Zq9p2abc >> .env') == ["Zq9p2abc"]
    assert shown("""printf '{"password":"%s"}' Zq9p3abc > c.json""") == ["Zq9p3abc"]
    assert shown("printf 'USER=%s\\nDB_PASSWORD=%s\\n' admin Zq9p4abc > .env") == ["Zq9p4abc"]
    # a reference as the argument: nothing to star, the conversion neither
    assert shown("""printf 'API_KEY=%s\\n' "$API_KEY" > .env""") == []
    # literal text besides the conversion: both
    assert shown("printf 'API_KEY=sk-%s\\n' Zq9p5abc > .env") == ["sk-%s\\n", "Zq9p5abc"]
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: node:20\n      path: /\n"
    command = "      command: \"printf 'API_KEY=%s' Zq9p6abcdef > .env && node server.js\"\n"
    assert mask_text(load(base + command)).endswith("'API_KEY=%s' *********** > .env && node server.js\"\n")


def test_hunt_226s_headers_in_git_config_and_schemes_in_any_case() -> None:
    # F2: actions/checkout writes `basic` in lower case; git's `http.extraHeader` is a header
    credential = "eC1hY2Nlc3MtdG9rZW46WnE5S2Y4M0xtUHE3MlhzV3Y="
    assert shown(f'git -c http.extraheader="AUTHORIZATION: basic {credential}" clone https://x.io/r') == [credential]
    assert shown(f"Authorization: bearer {credential}") == [credential]
    assert shown('git -c http.extraHeader="PRIVATE-TOKEN: Zq9g1abcdef" clone x') == ["Zq9g1abcdef"]
    assert shown("git -c 'http.https://x.io/.extraheader=X-Api-Key: Zq9g2abc' fetch") == ["Zq9g2abc"]
    # an option inside its word's quotes: the value runs to their end
    assert shown("curl '-HX-Api-Key: Zq9g3abc' x") == ["Zq9g3abc"]
    assert shown('curl "--header=X-Api-Key: Zq9g4abc" x') == ["Zq9g4abc"]
    # prose: a lower-case scheme needs a digit or `+/=` in what follows it
    assert shown("basic internationalization and bearer authentication_methods") == []
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: alpine/git:2.45\n      path: /\n"
    command = '      command: [git, -c, "http.extraheader=PRIVATE-TOKEN: Zq9g5abc", clone, x]\n'
    assert mask_text(load(base + command)).endswith('"http.extraheader=PRIVATE-TOKEN: ********", clone, x]\n')


def test_hunt_226s_false_alarms_on_git_config_keys_and_log_formats() -> None:
    # F9: GIT_CONFIG_KEY_<n> holds a config key's name; a format's conversion is no secret
    assert not is_secret_var_name("GIT_CONFIG_KEY_0")
    assert is_secret_var_name("GIT_CONFIG_KEY_SECRET")
    assert shown("%(asctime)s token=%(token_id)s %(message)s") == []
    assert shown("echo API_KEY=%s") == []
    assert shown("API_KEY=%sZq9f1abc") == ["%sZq9f1abc"]  # literal text besides it


def test_hunt_225s_review_of_the_httpie_and_ory_changes() -> None:
    # F4 (my regression): `xh`, `httpie` named in an install command made every later `-a` httpie's
    for text in (
        "pip install httpie && rsync -a backup:/srv/data /data && nginx",
        "cargo install xh && docker cp -a web:/app/static /srv && nginx",
    ):
        assert shown(text) == [], text
    assert shown("pip install httpie && http -a admin:Zq9r1abc x.io") == ["Zq9r1abc"]
    # F2: `-A=bearer`, as httpie reads it
    assert shown("xh -A=bearer -a Zq9r2abcdef https://api.example.com/me") == ["Zq9r2abcdef"]
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    command = "      command: [http, -A=bearer, -a, Zq9r3abcdef, x.io]\n"
    assert mask_text(load(base + command)).endswith("command: [http, -A=bearer, -a, ***********, x.io]\n")
    # F3: Ory's `SECRETS_COOKIE=x` as a word (its last part alone names no secret there)
    text = "export SECRETS_COOKIE=Zq9r4abcdef SECRETS_SYSTEM=Zq9r5abcdef && hydra serve all"
    assert shown(text) == ["Zq9r4abcdef", "Zq9r5abcdef"]
    assert shown("RUST_LOG=buzz_auth=info") == []
    # F5: a blank escaped by a backslash is inside the word, as a shell reads it
    assert shown("curl -u admin:Zq9r6\\ Tail https://x.io") == ["Zq9r6\\ Tail"]
    assert shown("mysql -pZq9r7\\ tail db") == ["Zq9r7\\ tail"]
    assert shown("http -a u:Zq9r8\\\\ next x.io") == ["Zq9r8\\\\"]  # `\\` escapes the backslash, not the blank


def test_hunt_226s_pgpass_lines() -> None:
    # F3: PostgreSQL's password file, `host:port:database:user:password`, in a text naming it
    assert shown("echo 'db.pod:5432:shop:app:Zq9q1abc' > ~/.pgpass && pg_dump -h db.pod shop") == ["Zq9q1abc"]
    assert shown("echo db:*:*:app:Zq9q2abc >> /root/.pgpass") == ["Zq9q2abc"]
    assert shown("printf 'db:5432:*:app:%s\\n' Zq9q3abc > ~/.pgpass") == ["Zq9q3abc"]
    assert shown("cat <<EOF > ~/.pgpass\ndb:5432:shop:app:Zq9q4abc\nEOF") == ["Zq9q4abc"]
    assert shown('echo "db:5432:*:app:$PGPW" > ~/.pgpass') == []  # a reference
    assert shown("chmod 600 ~/.pgpass && date 12:30:45:00:01") == []  # no host
    assert shown("echo 'db.pod:5432:shop:app:Zq9q5abc' > /tmp/x") == []  # no .pgpass named


def test_hunt_226s_secret_stores_and_positional_passwords() -> None:
    # F4: a secret store's command, given the secret as an option's value, a word or on stdin
    assert shown("gh secret set API_TOKEN --body Zq9s1abc") == ["Zq9s1abc"]
    assert shown("gh secret set API_TOKEN -b Zq9s2abc") == ["Zq9s2abc"]
    assert shown("gh issue create --body 'fix the login page'") == []  # another gh command's body
    assert shown("az keyvault secret set --vault-name kv --name db-password --value Zq9s3abc") == ["Zq9s3abc"]
    assert shown("aws ssm put-parameter --name /app/pw --type SecureString --value Zq9s4abc") == ["Zq9s4abc"]
    assert shown("aws ssm put-parameter --name /app/url --type String --value https://x.io") == []
    assert shown("echo Zq9s5abc | docker secret create db_password -") == ["Zq9s5abc"]
    assert shown("echo Zq9s6abc | docker secret create db_password ./pw.txt") == []  # a file gives it
    assert shown("echo -n Zq9s7abc | gcloud secrets create db-password --data-file=-") == ["Zq9s7abc"]
    assert shown("wrangler secret put API_KEY <<< Zq9s8abc") == ["Zq9s8abc"]
    assert shown("echo Zq9s9abc | gh secret set NAME") == ["Zq9s9abc"]
    assert shown("doppler secrets set DB_PASSWORD Zq9t1abc") == ["Zq9t1abc"]
    assert shown("vault operator unseal Zq9t2abc") == ["Zq9t2abc"]
    assert shown("vault login Zq9t3abc") == ["Zq9t3abc"]  # no token shape needed
    # F5: Neo4j's initial password, rclone's obscured one, unixODBC's isql, etcd's `--user`
    assert shown("neo4j-admin dbms set-initial-password Zq9t4abc") == ["Zq9t4abc"]
    assert shown("rclone obscure Zq9t5abc") == ["Zq9t5abc"]
    assert shown("isql MyDSN sa Zq9t6abc") == ["Zq9t6abc"]
    assert shown("etcdctl --user root:Zq9t7abc put k v") == ["Zq9t7abc"]
    # curl's `-u` only in its own command
    assert shown("curl -fsS http://x/health && docker run -u 1000:1000 img && curl -u a:Zq9t8abc y") == ["Zq9t8abc"]
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: alpine:3.20\n      path: /\n"
    command = "      command: [gh, secret, set, API_TOKEN, --body, Zq9t9abc]\n"
    assert mask_text(load(base + command)).endswith("command: [gh, secret, set, API_TOKEN, --body, ********]\n")


def test_hunt_226s_xml_settings() -> None:
    # F8: `<add key="NAME" value="x"/>` starred the name and showed the value; `<password>` was not read
    settings = '<appSettings><add key="StripeSecretKey" value="Zq9x1abc" /><add key="Username" value="bob" />'
    assert shown(settings) == ["Zq9x1abc"]
    assert shown("<add key='ClearTextPassword' value='Zq9x2abc'/>") == ["Zq9x2abc"]
    assert shown("<server><username>bob</username><password>Zq9x3abc</password></server>") == ["Zq9x3abc"]
    assert shown('<add key="ApiKey" value="${API_KEY}" />') == []  # a reference
    assert shown('<add key="ApiKey"/> <remove key="Password" />') == []  # no value
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: dotnet:8\n      path: /\n"
    var = f"      vars:\n        APP_SETTINGS_XML: '{settings}'\n"
    assert mask_text(load(base + var)).endswith(
        'key="StripeSecretKey" value="********" /><add key="Username" value="bob" />\'\n'
    )


def test_hunt_226s_httpie_request_items_and_curl_cookies() -> None:
    # F7: httpie's header, JSON and query items named like a secret; curl's `-b name=value` cookies
    assert shown("http GET https://x.io/v1 X-API-Key:Zq9i1abc") == ["Zq9i1abc"]
    assert shown("xh post https://x.io password:=Zq9i2abc name=bob") == ["Zq9i2abc"]
    assert shown("http GET https://x.io api_key==Zq9i3abc page==2") == ["Zq9i3abc"]
    assert shown("http GET https://x.io Accept:application/json 'Authorization:Bearer Zq9i4abcdef'") == ["Zq9i4abcdef"]
    assert shown("curl -b 'sessionid=Zq9i5abc; csrftoken=Zq9i6' https://x.io") == ["Zq9i5abc", "Zq9i6"]
    assert shown("curl -b cookies.txt https://x.io") == []  # a file
    assert shown("if [ $a == b ]; then http GET https://x.io page==2; fi") == []


@pytest.mark.parametrize(
    "token",
    [
        "glrt-" + "aB3" * 7,
        "dp.st.dev." + "aB3" * 15,
        "pscale_pw_" + "aB3" * 11,
        "sbp_" + "a1" * 20,
        "NRAK-" + "A1B" * 9,
        "lin_api_" + "aB3d" * 10,
        "PMAK-" + "a1" * 12 + "-" + "b2" * 17,
        "pul-" + "a1" * 20,
        "aB3dE5fG7hJ9kL.atlasv1." + "aB3" * 21,
        "glsa_" + "aB3d" * 8 + "_" + "a1b2c3d4",
        "sk-" + "aB3d" * 5 + "T3BlbkFJ" + "aB3d" * 5,
    ],
)
def test_hunt_226s_more_token_shapes(token: str) -> None:
    # the hunt's unfiled list: tokens of common platforms, by their shape under any name
    assert shown(f"CONFIG: run {token} now") == [token]
    assert shown("CONFIG: pul-request task-runner sk-learn NRAK-short glrt-x") == []


def test_hunt_226s_mysql_shell_and_mongo_auth() -> None:
    # F5: MySQL Shell's connection without a scheme, MongoDB's `db.auth(user, password)`
    assert shown("mysqlsh root:Zq9y1abc@db:3306") == ["Zq9y1abc"]
    assert shown("mysqlsh --uri root:Zq9y2abc@db:3306/shop --sql") == ["Zq9y2abc"]
    assert shown("mysqlsh root@db:3306 --sql") == []  # it asks
    assert shown("mongosh admin --eval \"db.auth('root', 'Zq9y3abc')\"") == ["Zq9y3abc"]
    assert shown("oauth('client', 'scope-x')") == []  # another function


def test_hunt_227s_review_of_the_secret_store_and_httpie_changes() -> None:
    # F1 (my regression): a quoted `&`, `;` or `|` ended curl's command, and `-u` after it was not read
    assert shown('curl "https://x.io/items?page=1&limit=50" -u admin:Zq9w1abc') == ["Zq9w1abc"]
    assert shown("curl -d 'a=1&b=2' -u admin:Zq9w2abc https://x.io/") == ["Zq9w2abc"]
    assert shown("curl x.io 2>&1 -u a:Zq9w3abc") == ["Zq9w3abc"]  # a redirection's `&`
    assert shown("http 'https://x.io/?a=1&b=2' -a admin:Zq9w4abc") == ["Zq9w4abc"]
    assert shown("curl x.io && docker run -u 1000:1000 img") == []
    # F2: a header item with no other hint in the text; git config's extraHeader with a blank
    assert shown("http pie.dev/get X-Api-Key:Zq9w5abc") == ["Zq9w5abc"]
    assert shown('git config --global http.extraHeader "X-Api-Key: Zq9w6abc"') == ["Zq9w6abc"]
    # F3 (my regression): a scheme in capitals was no hint any more
    assert shown("Authorization: BEARER Zq9w7abcdefghijkl") == ["Zq9w7abcdefghijkl"]
    # F4 (my regression): prose naming these commands
    for text in (
        "Session expired: run vault login again",
        "isql is the unixODBC client",
        "rclone obscure before saving",
        "neo4j-admin set-initial-password must run first",
        "vault operator unseal each node",
    ):
        assert shown(text) == [], text


def test_hunt_227s_review_of_the_xml_pgpass_and_store_changes() -> None:
    # F6 (my regression): a token's shape in a `key=` attribute was dropped with the name's read
    token = "sk_live_" + "51Zq9" * 5
    assert shown(f'<setting name="Stripe" key="{token}" value="enabled"/>') == [token]
    assert shown("<Key>photos/x.jpg</Key>") == []  # S3's object name
    # F7: `-` reads standard input: what is piped in is the secret, not the `-`
    assert shown("echo Zq9v1abc | rclone obscure - > /config/pw") == ["Zq9v1abc"]
    assert shown("echo Zq9v2abc | vault login -") == ["Zq9v2abc"]
    # F8: wrangler run by npx, aws's global options, gh's attached `-bTOKEN`
    assert shown("echo Zq9v3abc | npx wrangler secret put API_KEY") == ["Zq9v3abc"]
    aws = "aws --region us-east-1 ssm put-parameter --name /a --type SecureString --value Zq9v4abc"
    assert shown(aws) == ["Zq9v4abc"]
    assert shown("gh secret set API_KEY -bZq9v5abc") == ["Zq9v5abc"]
    # F9: a .pgpass password with blanks, in quotes or on a line of its own
    assert shown("echo 'db:5432:shop:app:Zq9 horse battery' > ~/.pgpass") == ["Zq9 horse battery"]
    assert shown("cat <<EOF > ~/.pgpass\ndb:5432:shop:app:Zq9 horse\nEOF") == ["Zq9 horse"]
    # F10: httpie reads `@/path` from a file; a placeholder is none
    assert shown("http POST https://x.io/login password:=@/run/secrets/pw") == []
    assert shown("http GET https://x.io api_key==YOUR_API_KEY") == []
    assert shown("doppler secrets set K --type string") == []


def test_hunt_228s_secrets_no_hint_leads_to_are_read_in_a_file() -> None:
    # F1: a document's walk passed over strings no hint matched, so an XML element (and a .pgpass
    # line without quotes) found by parts_in was never read in a real file
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: maven:3.9\n      path: /\n"
    values = {
        "MAVEN_SETTINGS": "'<server><username>bob</username><password>Zq9y1abc</password></server>'",
        "PGPASS": "echo db:*:*:app:Zq9y2abc >> /root/.pgpass",
        # F2: .NET's settings, an element with attributes, a namespace, CDATA, Java's properties
        "DOTNET": """'<setting name="Password" serializeAs="String"><value>Zq9y3abc</value></setting>'""",
        "PLAIN": """'<password type="plain">Zq9y4abc</password>'""",
        "SOAP": "'<s:password>Zq9y5abc</s:password>'",
        "CDATA": "'<password><![CDATA[Zq9y6abc]]></password>'",
        "JAVA": """'<entry key="db.password">Zq9y7abc</entry><entry key="db.url">jdbc:x</entry>'""",
        # F3: printf writing a variable
        "PRINTF": """"printf -v line 'API_KEY=%s' Zq9y8abc; echo \\"$line\\" > .env\"""",
        # F4: httpie's header item in quotes: the scheme is shown, one secret
        "HTTPIE": """"http x.io Authorization:'Bearer Zq9y9abcdefghijklmn'\"""",
    }
    text = base + "      vars:\n" + "".join(f"        {name}: {value}\n" for name, value in values.items())
    masked = mask_text(load(text))
    assert "Zq9y" not in masked
    for kept in ('key="db.password"', "jdbc:x", "<username>bob</username>", "Authorization:'Bearer ***", "API_KEY=%s"):
        assert kept in masked, kept


def test_hunt_229s_review_of_the_command_ends_and_readers() -> None:
    # F1, F2 (my regressions): an apostrophe in a comment opened a quote that ran to the text's end
    assert shown('gh secret set A --body "$A"   # it\'s from CI\ngh secret set B --body Zq9b1abc') == ["Zq9b1abc"]
    curl_then_docker = "curl -fsSLo /tmp/a.tgz https://x.io/a.tgz  # it's the tarball\ndocker run --user 1000:1000 app"
    assert shown(curl_then_docker) == []
    # F4 (my regression): a value quoted in part is starred whole
    assert shown("http POST https://x.io/api X-Api-Key:'live_'Zq9b3abc") == ["live_'Zq9b3abc"]
    # F5: header items without `-` or `'` in the text
    assert shown('http POST localhost:8000/api Authorization:"Bearer Zq9b4abcdefghijkl"') == ["Zq9b4abcdefghijkl"]
    assert shown("http GET api.example.com/v1/items apikey:Zq9b5abc") == ["Zq9b5abc"]
    # F7: wrangler run by other runners, with options or a version
    for runner in ("npx -y wrangler", "npx wrangler@3", "pnpm exec wrangler", "npm exec -- wrangler"):
        assert shown(f"echo Zq9b6abc | {runner} secret put API_KEY") == ["Zq9b6abc"], runner
    # F8: an item after a quoted one holding a blank
    assert shown("http POST https://x.io/users name='John Doe' password:=Zq9b9abc") == ["Zq9b9abc"]
    # F9: printf writing a variable named like a secret
    assert shown("printf -v DB_PASSWORD '%s' Zq9c1abc") == ["Zq9c1abc"]
    # F10: `<&3`, `>|` are redirections, not the command's end
    assert shown("curl https://x.io/ <&3 --user admin:Zq9c2abc") == ["Zq9c2abc"]
    # and the smaller ones it saw
    assert shown("vault login -address https://v:8200 Zq9c3abc") == ["Zq9c3abc"]
    assert shown("echo Zq9c5abc | doppler secrets set NAME") == ["Zq9c5abc"]
    # (`BASIC PRO-TIER-2024` is starred: any token after BEARER in capitals is one, hunts 230 F4, 231 F5)
    assert shown("plan: BASIC PRO-ENTERPRISE-TIER-2024") == ["PRO-ENTERPRISE-TIER-2024"]
    assert shown("mysqlsh root@db -e \"util.dumpInstance('s3:bucket@x')\"") == []
    # F6: a repeated key's earlier copy, masked by its text
    base = "application:\n  name: shop\n  pods:\n    - name: web\n      image: x:1\n      path: /\n      vars:\n"
    masked = mask_text(load(base + '        CONFIG: "<password>Zq9c6abc</password>"\n        CONFIG: x\n'))
    assert "Zq9c6abc" not in masked


def test_hunt_230s_review_of_the_comment_and_item_readers() -> None:
    # F1 (my regression): a `#` after an escaped blank is inside the word
    assert shown("curl -d a\\ #b -u admin:Zq9e1abc https://x.io/") == ["Zq9e1abc"]
    # F5 (my regression): a commented-out line in a continued command
    assert shown("curl https://x.io/api \\\n  # --verbose \\\n  -u admin:Zq9e2abc") == ["Zq9e2abc"]
    assert shown("curl -o a.tgz https://x.io/a.tgz  # it's the tarball\ndocker run --user 1000:1000 app") == []
    # F2 (my regression): httpie run by `sh -c`, its item quoted inside
    assert shown("sh -c 'http POST api.x.io/v1 \"X-Api-Key:Zq9e3abc\"'") == ["Zq9e3abc"]
    assert shown('sh -c "http POST api.x.io \\"password:=Zq9e4abc\\""') == ["Zq9e4abc"]
    # F3 (my regression): a mysqlsh password holding `(`; code given to `-e` is no connection
    assert shown("mysqlsh 'root:Pa(ss)Zq9e5@db:3306'") == ["Pa(ss)Zq9e5"]
    assert shown("mysqlsh root@db -e \"util.dumpInstance('s3:bucket@x')\"") == []
    # F4 (my regression): an upper-case scheme with an upper-case token
    assert shown("--header=X-Upstream: BEARER 7F3A9C2D8E1B4F6A0C5D9E8F") == ["7F3A9C2D8E1B4F6A0C5D9E8F"]
    # F6: prose naming http with `token:word` in it has the word starred: telling it from a
    # command missed real ones (hunt 231 F1, F2), and a secret shown is worse than a word starred
    assert shown("The http server logs token:refresh events") == ["refresh"]
    # F7: doppler's options after NAME, a comment after gh's NAME
    assert shown("echo Zq9e6abc | doppler secrets set API_KEY --config prd") == ["Zq9e6abc"]
    assert shown("echo Zq9e7abc | gh secret set API_KEY # or pass --body") == ["Zq9e7abc"]
    # F8: a header item's name in quotes a shell drops
    assert shown('http POST api.x.io/v1 "X-Api-Key":Zq9e8abc') == ["Zq9e8abc"]
    # F9: curl's header value quoted after the name
    assert shown('curl -H Authorization:"Bearer Zq9e9abcdef" https://x.io') == ["Zq9e9abcdef"]
    assert shown("curl -H X-Api-Key:'Zq9f1 abc' https://x.io") == ["Zq9f1 abc"]
    # F10: a placeholder printf writes into a secret's variable
    assert shown("printf -v DB_PASSWORD '%s' '<your password>'") == []


def test_hunt_231s_review_of_hunt_230s_fixes() -> None:
    # F1, F2 (my regressions): items after an option's value, `$URL`, a bare host; a value of letters
    for text in (
        "http --auth-type bearer pie.dev/get X-Api-Key:Zq9g1abc",
        "http $API_URL X-Api-Key:Zq9g1abc",
        "http api X-Api-Key:Zq9g1abc",
    ):
        assert shown(text) == ["Zq9g1abc"], text
    assert shown("http pie.dev/get X-Api-Key:correcthorsebattery") == ["correcthorsebattery"]
    # F3 (my regression): a quote that closes `bash -c "..."` opens nothing in the header's word
    text = "bash -c \"curl -fsS http://x:3000/ready -H Accept:json\"; curl -H 'X-Api-Key: Zq9g2abc' http://x/sync"
    assert shown(text) == ["Zq9g2abc"]
    # F5 (my regression): a token of letters after BEARER
    assert shown("Authorization: BEARER AbCdEfGhIjKlMnOpQrSt") == ["AbCdEfGhIjKlMnOpQrSt"]
    # F6, F10: a quoted ` #` is no comment; a tab before one is a blank
    assert shown("echo Zq9g3abc | docker secret create --label 'team=ops #1' db_pw -") == ["Zq9g3abc"]
    assert shown("echo Zq9g4abc | gh secret set API_TOKEN\t# or pass --body") == ["Zq9g4abc"]
    # F7 (my regression): a comment's words are no options of the command before it
    assert shown("curl -fsS http://x:3000/health # the image runs as: docker run -u 1000:1000") == []
    aws = (
        "aws ssm put-parameter --name /shop/region --type String --value eu-west-1 # a secret needs --type SecureString"
    )
    assert shown(aws) == []
    # F8 (my regression): mysqlsh's code given to `--execute=`
    assert shown("mysqlsh root@db:3306 --js --execute=\"util.dumpInstance('s3:backups@eu')\"") == []
    # F9: a quoted name and a quoted value
    assert shown('http pie.dev/get "X-Api-Key":"Zq9g5abc"') == ["Zq9g5abc"]
    assert shown('http pie.dev/get "Authorization":Zq9g6abc') == ["Zq9g6abc"]


def test_hunt_232s_a_header_value_quoted_from_a_blank() -> None:
    # F1 (my regression): the quote right after the name opens the value, blank and all
    assert shown('curl -H X-Api-Key:" Zq9h1abcdef" https://x.io') == ["Zq9h1abcdef"]
    assert shown('curl -H Authorization:" Bearer Zq9h2abcdef" https://x.io') == ["Zq9h2abcdef"]
    assert shown('wget --header=X-Api-Key:" Zq9h3abcdef" https://x.io') == ["Zq9h3abcdef"]
    text = "bash -c \"curl -fsS http://x:3000/ready -H Accept:json\"; curl -H 'X-Api-Key: Zq9h4abc' http://x/sync"
    assert shown(text) == ["Zq9h4abc"]


def test_hunt_233s_review_of_the_last_fixes() -> None:
    # F1 (my regression): a quote closing an outer string right after a header's `:` opens no value
    text = 'ssh deploy@gw "curl -sf -H Authorization:"\ncurl -H "X-Api-Key: Zq9i1abcdef" https://x.io'
    assert shown(text) == ["Zq9i1abcdef"]
    # (a quote right after a header's `:` with more on its line is read as opening its value,
    # the lesser fault: hunt 235 F1)
    assert shown("ssh host 'curl -H X-Token:' && curl https://example.com/health") == [
        "&& curl https://example.com/health"
    ]
    # F2 (my regression): a cookie's name quoted, or after the option's `=`
    assert shown('curl -b "session"=Zq9i2abcdef https://x.io') == ["Zq9i2abcdef"]
    assert shown('curl --cookie "$SESSION_COOKIE"=Zq9i3abcdef https://x.io') == ["Zq9i3abcdef"]
    assert shown("curl --cookie=sid=Zq9i4abcdef https://x.io") == ["Zq9i4abcdef"]
    assert shown("curl -b 'a=Zq9i5abc; b=Zq9i6abc' https://x.io") == ["Zq9i5abc", "Zq9i6abc"]
    assert shown("curl -b cookies.txt https://x.io") == []
    # F3: a Basic credential built by printf's format
    text = "curl -H \"Authorization: Basic $(printf '%s:%s' admin Zq9i7abcdef | base64)\" https://x.io"
    assert shown(text) == ["Zq9i7abcdef"]
    assert shown("curl -H \"Authorization: Basic $(printf 'admin:%s' Zq9i8abcdef | base64)\" x") == ["Zq9i8abcdef"]
    assert shown('curl -H "Authorization: Basic $(printf \'admin:%s\' "$PW" | base64)" x') == []
    # F4, F6 (F6 my regression): doppler's options that take a value
    assert shown("doppler secrets set API_KEY Zq9i9abcdef --config-dir /etc/doppler") == ["Zq9i9abcdef"]
    assert shown("echo Zq9j1abcdef | doppler secrets set DB_PASSWORD --api-host https://api.doppler.com") == [
        "Zq9j1abcdef"
    ]
    assert shown('doppler secrets set API_KEY --visibility masked --token "$DOPPLER_TOKEN"') == []
    # F5: what the shell joins to a header's value (after its closing quote, an escaped blank)
    assert shown('curl -H "X-Api-Key: "Zq9j2abcdef https://x.io') == ["Zq9j2abcdef"]
    assert shown("curl -H X-Api-Key:\\ Zq9j3abcdef https://x.io") == ["\\ Zq9j3abcdef"]


def test_hunt_233s_header_read_through_a_whole_file() -> None:
    text = (
        "application:\n  name: a\n  pods:\n    - name: web\n      image: x/y:1\n      path: /\n"
        "      servicePorts: [80]\n      command: |\n"
        '        ssh deploy@gw "curl -sf -H Authorization:"\n'
        '        curl -H "X-Api-Key: Zq9j4abcdef" -b "session"=Zq9j5abcdef https://x.io\n'
    )
    masked = mask_text(load(text))
    assert "Zq9j4abcdef" not in masked and "Zq9j5abcdef" not in masked
    assert 'ssh deploy@gw "curl -sf -H Authorization:"\n' in masked


def test_a_secret_vault_login_reads_from_standard_input_is_found_in_the_echo() -> None:
    # `password=-` reads the password from standard input, as `-` alone does (the known list's
    # `vault login ... password=-`); and `-` itself is no secret, in any reader
    assert shown("echo Zq9k1abcdef | vault login -method=userpass username=ops password=-") == ["Zq9k1abcdef"]
    assert shown("echo Zq9k2abcdef | vault login -") == ["Zq9k2abcdef"]
    assert shown("echo hello | vault login -method=userpass username=ops") == []
    assert shown("vault login -method=userpass username=ops password=-") == []
    assert shown("PGPASSWORD=- psql") == []
    assert shown("curl --password - https://x.io") == []
    text = (
        "application:\n  name: a\n  pods:\n    - name: web\n      image: x/y:1\n      path: /\n"
        "      servicePorts: [80]\n      command: echo Zq9k3abcdef | vault login -method=userpass"
        " username=ops password=-\n"
    )
    masked = mask_text(load(text))
    assert "Zq9k3abcdef" not in masked and masked.endswith("username=ops password=-\n")


def test_an_httpie_form_field_in_quotes_is_secret_to_its_closing_quote() -> None:
    # the known list's `'password=a b'`: the assignment reader ends a value at its blank, the
    # httpie item reader at the shell word's end
    text = "http POST x.io/login username=ops 'password=correct horse battery'"
    assert shown(text) == ["correct horse battery"]
    assert shown('http --form POST x.io/login "password=Zq9k4 abc"') == ["Zq9k4 abc"]
    assert shown("http POST x.io/login password=Zq9k5abc") == ["Zq9k5abc"]
    assert shown("http POST x.io name=John city=Paris") == []


def test_a_secret_store_run_by_a_launcher_with_a_package_option_reads_the_pipe() -> None:
    # the known list's `npx --package wrangler wrangler` and `pnpm --filter x exec wrangler`
    assert shown("echo Zq9l1abc | npx --package wrangler wrangler secret put API_KEY") == ["Zq9l1abc"]
    assert shown("echo Zq9l2abc | pnpm --filter web exec wrangler secret put API_KEY") == ["Zq9l2abc"]
    assert shown("echo Zq9l5abc | npm exec --workspace=api -- wrangler secret put TOKEN") == ["Zq9l5abc"]
    assert shown("echo hello | npx --package wrangler other") == []


SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"


def test_hunt_236s_public_keys_cache_keys_and_printf_s_line_breaks() -> None:
    # F9: an SSH public key is public whatever its name; a cache key names an entry
    assert not is_literal_secret(SSH_KEY + " ci@example")
    assert not is_literal_secret(f"{SSH_KEY}\n{SSH_KEY} other@host\n")
    assert is_literal_secret(SSH_KEY + "\nZq9m1abcdef")  # a line that is no key
    assert is_literal_secret("ssh-ed25519 Zq9m2abcdef")
    assert not is_secret_var_name("cache_key") and not is_secret_var_name("REDIS_CACHE_KEY")
    assert is_secret_var_name("CACHE_ENCRYPTION_KEY")
    assert is_secret_var_name("PRIMARY_ENCRYPTION_KEY")  # a field's word right before the key only
    assert not is_secret_var_name("PRIMARY_KEY") and not is_secret_var_name("SORT_KEY")
    text = (
        "application:\n  name: a\n  pods:\n    - name: web\n      image: x/y:1\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        SFTP_CONFIG: |\n"
        f"          authorized_key: {SSH_KEY} ci@example\n          password: Zq9m3abcdef\n"
        f"        SSH_AUTHORIZED_KEYS: {SSH_KEY} ci@example\n"
    )
    masked = mask_text(load(text))
    assert masked.count(SSH_KEY) == 2 and "Zq9m3abcdef" not in masked
    # F10: printf's written-out `\n` is no letter of the next name
    parts = parts_in("printf '[s3]\\nkey=Zq9m4abcdef\\n' > s3.ini && printf '\\npassword=Zq9m5abc\\n' > x")
    assert [part.label for part in parts] == ["key", "password"]


def test_hunt_236s_settings_of_programs_pasted_in_values() -> None:
    # F1: Ruby's and PHP's `=>`; a function's arrow sets nothing
    assert shown("{:password => 'Zq9n6abc'}") == ["Zq9n6abc"]
    assert shown("'password' => 'Zq9n7abc',") == ["Zq9n7abc"]
    assert shown("list.map(token => token.id)") == []
    assert shown("'password' => env('DB_PASSWORD'),") == []
    # F3: the environment's value is no literal, its fallback is
    assert shown("SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'Zq9n8abc')") == ["Zq9n8abc"]
    assert shown("const pw = process.env.DB_PASSWORD || 'Zq9n9abc';") == ["Zq9n9abc"]
    assert shown("DB_PASSWORD = os.getenv('DB_PW') or 'Zq9o1abc'") == ["Zq9o1abc"]
    assert shown("SECRET_KEY = os.environ['DJANGO_SECRET_KEY']") == []
    # F4: a quoted name and its value as a call's arguments, or an item set
    assert shown("define( 'DB_PASSWORD', 'Zq9o2abc' );") == ["Zq9o2abc"]
    assert shown('define("AUTH_KEY", "Zq9o3abc");') == ["Zq9o3abc"]
    assert shown("env('DB_PASSWORD','Zq9o4abc')") == ["Zq9o4abc"]
    assert shown('os.environ["API_TOKEN"] = "Zq9o5abc"') == ["Zq9o5abc"]
    assert shown("define('WP_HOME', 'https://x.io');") == []
    assert shown("fields = ['password', 'username']") == []
    text = (
        "application:\n  name: a\n  pods:\n    - name: wp\n      image: wordpress:6\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        WORDPRESS_CONFIG_EXTRA: |\n"
        "          define( 'DB_PASSWORD', 'Zq9o6abc' );\n          define( 'WP_HOME', 'https://x.io' );\n"
    )
    masked = mask_text(load(text))
    assert "Zq9o6abc" not in masked and "define( 'WP_HOME', 'https://x.io' );" in masked


def test_hunt_235s_review_of_hunt_233s_fixes() -> None:
    # F1 (my regression): a quoted blank after a header's `:`, joined to the value
    assert shown('curl -H X-Api-Key:" "Zq9p1abc https://x.io') == ['" "Zq9p1abc']
    assert shown('curl -H X-Api-Key:" ;Zq9p2abc" https://x.io') == [";Zq9p2abc"]
    # F2: doppler's `-t` is its `--token`
    assert shown('doppler -t "$DOPPLER_TOKEN" secrets set API_KEY Zq9p3abc') == ["Zq9p3abc"]
    # F3: a header option inside quotes, its value quoted inside: linear (test_secrets_speed)
    # F4 (my regression): a reference joined after a closing quote
    assert shown("curl -H 'Authorization: Bearer '\"$TOKEN\" https://x.io") == []
    assert shown("curl -H 'X-Api-Key: '\"$API_KEY\" https://x.io") == []
    assert shown("curl -H 'Authorization: Bearer '$(cat /run/secrets/token) https://x.io") == []
    assert shown("curl -H 'Authorization: Bearer 'Zq9p4abc https://x.io") == ["Zq9p4abc"]
    # F5 (my regression): printf's format of references
    assert shown('curl -H "Authorization: Basic $(printf "$API_USER:$API_PASSWORD" | base64)" x') == []


def test_hunt_236s_config_directives_written_entries_and_terraform() -> None:
    # F2: a config file's secret directive written out by a command
    assert shown('echo "requirepass Zq9s0abc" > /tmp/redis.conf') == ["Zq9s0abc"]
    assert shown('printf "masterauth Zq9s1abc\\nrequirepass Zq9s2abc\\n" > r.conf') == ["Zq9s1abc", "Zq9s2abc"]
    assert shown("sentinel auth-pass mymaster Zq9s3abc") == ["Zq9s3abc"]
    assert shown("bridge_password Zq9s4abc") == ["Zq9s4abc"]
    assert shown("proxy_set_header X-Api-Key Zq9s5abc;") == ["Zq9s5abc"]
    assert shown("proxy_set_header Host $host;") == []
    assert shown("requirepass $REDIS_PASSWORD") == []
    # F5: a YAML line written out in quotes, a Ruby symbol's key too; not a note's prose
    assert shown("echo 'api_key: Zq9t1abc' > x") == ["Zq9t1abc"]
    assert shown('echo "api_key: Zq9t2abc" > x') == ["Zq9t2abc"]
    assert shown("printf -- ':rubygems_api_key: Zq9t3abc\\n' > ~/.gem/credentials") == ["Zq9t3abc"]
    assert shown("printf 'user: app\\npassword: Zq9t4abc\\n' > c.yml") == ["Zq9t4abc"]
    assert shown("echo 'Password: must be at least 8 characters'") == []
    assert shown('echo "Token: $TOKEN"') == []
    text = (
        "application:\n  name: a\n  pods:\n    - name: web\n      image: x/y:1\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        GEMRC: |\n          ---\n"
        "          :rubygems_api_key: Zq9t5abc\n          :verbose: true\n"
    )
    masked = mask_text(load(text))
    assert "Zq9t5abc" not in masked and ":verbose: true\n" in masked
    # F8: Terraform's references are no literal
    assert shown("password = random_password.db.result") == []
    assert shown("db_password = var.db_password") == []
    assert shown("PASSWORD=variable.Zq9t6abc") == ["variable.Zq9t6abc"]


def test_a_properties_value_continued_on_the_next_line_is_read_there() -> None:
    # hunt 236 F6: `key=\` then the value on the next line starred only the `\`
    assert shown("spring.datasource.password=\\\n    Zq9u1abc\nspring.x=y") == ["Zq9u1abc"]
    assert shown("DB_PASSWORD=\\\r\n  Zq9u2abc\r\n") == ["Zq9u2abc"]


def test_hunt_237s_review_of_today_s_readers() -> None:
    # F1, F8 (my regressions): the environment's read is the call, not the rest of its line
    assert shown("const key = process.env.API_KEY; const password = 'Zq9v1abc'; run()") == ["Zq9v1abc"]
    assert shown("import os; token = os.getenv('GH_TOKEN'); password = 'Zq9v2abc'; main()") == ["Zq9v2abc"]
    assert shown("const token = process.env.TOKEN; app.listen(3000, '0.0.0.0')") == []
    text = "DB_PASSWORD = os.environ.get('DB_PASSWORD'); DB_HOST = os.environ.get('DB_HOST', 'localhost')"
    assert shown(text) == []
    # F5: a keyword's fallback, a template literal's
    assert shown('PASSWORD = os.getenv("X", default="Zq9v5abc")') == ["Zq9v5abc"]
    assert shown("const pw = process.env.X ?? `Zq9v6abc`;") == ["Zq9v6abc"]
    # F12 (my regression): Terraform's references as HCL writes them only; `os.environ` whole
    assert shown("export DB_PASSWORD=local.Zq9v3abc API_TOKEN=os.environ_Zq9v4abc") == [
        "local.Zq9v3abc",
        "os.environ_Zq9v4abc",
    ]
    # F2 (my regression): doppler's `-t` gives its token
    assert shown("doppler secrets set API_KEY -t Zq9w1abc") == ["Zq9w1abc"]
    # F3 (my regression): a Basic credential built after the header's closing quote
    assert shown("curl -H 'Authorization: Basic '$(echo -n admin:Zq9x1abc | base64) https://x") == ["Zq9x1abc"]
    text = "curl -H 'Authorization: Basic '\"$(printf '%s:%s' admin Zq9x2abc | base64)\" https://x"
    assert shown(text) == ["Zq9x2abc"]
    # F11 (my regression): only a whole SSH public key is public
    assert shown("sshpass -p 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAB' ssh h") == ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAB"]
    assert is_literal_secret(SSH_KEY + " password=Zq9x3abc")
    assert not is_literal_secret(SSH_KEY + " ci@example")
    # F6: WordPress' SECURE_AUTH_KEY is a key, not a switch
    assert is_secret_var_name("WORDPRESS_SECURE_AUTH_KEY") and is_secret_var_name("SECURE_AUTH_SALT")
    assert not is_secret_var_name("SESSION_SECURE_COOKIE") and not is_secret_var_name("ENABLE_AUTH")
    # F7 (my regression): a call's quoted pair only for calls that set or read a setting
    assert shown("console.log('token', 'refreshed')") == []
    assert shown("emit('password', 'changed')") == []
    assert shown("define('NONCE_KEY', 'put your unique phrase here')") == []
    assert shown("define( 'SECURE_AUTH_KEY', 'Zq9x4abc' );") == ["Zq9x4abc"]
    # F9 (my regression): a directive's path, a reference after a header's scheme
    assert shown("grep -q requirepass /etc/redis.conf") == []
    assert shown('proxy_set_header Authorization "Bearer $API_TOKEN";') == []
    assert shown('proxy_set_header Authorization "Bearer Zq9x5abc";') == ["Zq9x5abc"]
    # F10 (my regression), F4: a YAML line echo or printf writes, or one sent to a file
    assert shown('logger.info("api_key: loaded from vault")') == []
    assert shown('print(f"token: {tok}")') == []
    assert shown("echo 'password: \"Zq9z1abc\"' >> c.yml") == ["Zq9z1abc"]
    assert shown('echo "  api_key: Zq9z2abc"') == ["Zq9z2abc"]
    assert shown('echo -e "- token: Zq9z4abc"') == ["Zq9z4abc"]


def test_hunt_238s_review_of_hunt_237s_fixes() -> None:
    # F1 (my regression): every fallback of the environment's read in its statement
    assert shown("const API_KEY = process.env.API_KEY || process.env.STRIPE_KEY || 'Zq9a1abc';") == ["Zq9a1abc"]
    assert shown("SECRET_KEY = os.getenv('A', os.getenv('B', 'Zq9a2abc'))") == ["Zq9a2abc"]
    assert shown("DB_PASSWORD = os.environ.get('PGPW', 'hunter(2)pass')") == ["hunter(2)pass"]
    assert shown('DB_PASSWORD = System.getenv().getOrDefault("DB_PASSWORD", "Zq9a3abc")') == ["Zq9a3abc"]
    assert shown("SECRET_KEY = os.getenv('X', '') or 'Zq9a4abc'") == ["Zq9a4abc"]
    # F2 (my regression): the setters of other programs
    assert shown("spark.conf.set('fs.azure.account.key', 'Zq9b1abc')") == ["Zq9b1abc"]
    assert shown('props.setProperty("password", "Zq9b3abc")') == ["Zq9b3abc"]
    assert shown("Config::set('services.stripe.secret', 'Zq9b4abc')") == ["Zq9b4abc"]
    assert shown("define ('AUTH_KEY', 'Zq9b5abc')") == ["Zq9b5abc"]
    assert shown("emit('password', 'changed')") == []
    # F3 (my regression): a line that writes through tee or a here-string
    assert shown("tee /app/config.yml <<< 'api_key: Zq9c1abc'") == ["Zq9c1abc"]
    assert shown("printf '%s\\n' 'db_password: Zq9c2abc' | sudo tee /etc/app.yml") == ["Zq9c2abc"]
    assert shown("echo 'user: app' 'password: Zq9c3abc' | sudo tee -a /etc/app.yml") == ["Zq9c3abc"]
    # F4 (my regression): a directive's value starting with `/` that is no path
    assert shown("echo 'requirepass /Xk9+f83LmPq72Xs0aB1==' >> /etc/redis.conf") == ["/Xk9+f83LmPq72Xs0aB1=="]
    # F5: a `.properties` value broken in its middle, or continued over several lines
    assert shown("spring.datasource.password=Zq9Kf83\\\n    LmPq72Xs\nx=y") == ["Zq9Kf83\\\n    LmPq72Xs"]
    assert shown("app.api.token=\\\n    \\\n    Zq9c5abc\n") == ["Zq9c5abc"]
    # F6 (my regression): the shell's way to quote a variable inside a written line
    assert shown('echo "password: \'"$DB_PASSWORD"\'" >> /app/config.yml') == []
    assert shown("echo 'api_key: \"'$API_KEY'\"' >> /app/config.yml") == []
    # F7 (my regression): a key's comment may hold a `:` or be a card's number
    assert not is_literal_secret(SSH_KEY + " cardno:000612345678")
    assert is_literal_secret(SSH_KEY + " password: Zq9c6abc")


def test_hunt_239s_review_of_hunt_238s_fixes() -> None:
    # F1 (my regression): the statement goes on after the environment's read
    assert shown('client = Client(api_key=os.environ["API_KEY"], api_secret="Zq9d1abc")') == ["Zq9d1abc"]
    assert shown("const key = process.env.KEY, password = 'Zq9d2abc'") == ["Zq9d2abc"]
    # F7 (my regression): a comment ends the statement
    assert shown('SECRET_KEY = os.environ["SECRET_KEY"]  # see the docs, "settings"') == []
    # F2 (my regression): a literal the shell joins between written quotes
    assert shown('echo "password: \'"Zq9d4abc"\'" > /etc/app.yml') == ["Zq9d4abc"]
    assert shown('echo "password: \'"$DB_PASSWORD"\'" >> /app/config.yml') == []
    # F3 (my regression): a comparison, an arrow, another statement's echo write nothing
    assert shown('if (attempts > 3) throw new Error("password: too many attempts")') == []
    assert shown("$errors = ['login' => 'password: required field'];") == []
    assert shown('echo "starting"; logger "token: refreshed ok"') == []
    assert shown("tee /app/config.yml <<< 'api_key: Zq9c1abc'") == ["Zq9c1abc"]
    # F4 (my regression): a setting's call by the words of its name
    assert shown("msg = ngettext('password', 'passwords', count)") == []
    assert shown("digest = compute('password', 'sha256')") == []
    assert shown('props.setProperty("password", "Zq9b3abc")') == ["Zq9b3abc"]
    # F5 (my regression): paths after a directive
    assert shown("grep -q requirepass /redis-master/redis.conf || exit 1") == []
    assert shown("grep -q masterauth /etc/redis/${CONF_NAME} && echo ok") == []
    # F6 (my regression), F8: `\\` ends no line; a continued line is read to its end
    assert shown("ldap.password=secret\\\\\nldap.url=ldap://ldap.example.com") == ["secret\\\\"]
    assert shown("db.password=correct\\\n    horse battery staple\nx=y") == ["correct\\\n    horse battery staple"]
    # F9: a written value runs to the quote that opened its string
    assert shown("echo 'api_key: abc\"defSecret123' > app.yml") == ['abc"defSecret123']
    assert shown('echo "api_key: it\'s-a-secret-xyz" > app.yml') == ["it's-a-secret-xyz"]


def test_hunt_240s_review_of_hunt_239s_fixes() -> None:
    # F1 (my regression): setters whose name has a prefix
    assert shown("php -r \"apache_setenv('API_KEY', 'Zq9e1abc');\"") == ["Zq9e1abc"]
    assert shown('g_setenv("API_TOKEN", "Zq9e2abc", TRUE);') == ["Zq9e2abc"]
    # F2 (my regression): a `;` in a quoted program; the line's redirection writes it out
    text = "python3 -c \"print('api_key: Zq9e3abc'); print('debug: false')\" > /etc/app.yaml"
    assert shown(text) == ["Zq9e3abc"]
    assert shown('echo "starting"; logger "token: refreshed ok"') == []
    # F3 (my regression): a password starting with `/` holding a `*` or a `.`
    assert shown('echo "requirepass /Kf8*3LmPq72Xs" >> /etc/redis.conf') == ["/Kf8*3LmPq72Xs"]
    assert shown('echo "masterauth /Zq9Kf83LmPq72.Xs" >> /etc/redis.conf') == ["/Zq9Kf83LmPq72.Xs"]
    assert shown("grep -q requirepass /redis-master/redis.conf || exit 1") == []
    # F5 (my regression): ` #` in a string is no comment
    assert shown('token = os.environ.get("A_TOKEN", CHOICES[" #"]) or "Zq9e4abc"') == ["Zq9e4abc"]
    # F4: a joined literal, blanks and all, or in quotes of its own
    text = 'echo "password: \'"correct horse battery staple"\'" > /etc/app.yaml'
    assert shown(text) == ["correct horse battery staple"]
    assert shown("echo \"api_key: '\"'Zq9e5abc'\"'\" > f") == ["Zq9e5abc"]
    # F6: a shell's continuation has its next line starred, the lesser fault (hunt 241 F1: a
    # `.properties` value may go on with a `-`)
    assert shown("export DB_PASSWORD=Zq9e6abc\\\n  && exec node server.js --port 8080") == [
        "Zq9e6abc\\\n  && exec node server.js --port 8080"
    ]


def test_hunt_241s_review_of_hunt_240s_fixes() -> None:
    # F1 (my regression): a continued value's line starting with `-`
    assert shown("app.jwt.secret=Zq9f1abc\\\n  -Ab3dE5fG7hJ9kLwQ\n") == ["Zq9f1abc\\\n  -Ab3dE5fG7hJ9kLwQ"]
    # F3 (my regression): a config file's path of one step
    assert shown("grep -q requirepass /redis.conf || exit 1") == []
    assert shown('echo "masterauth /Zq9Kf83LmPq72.Xs" >> /etc/redis.conf') == ["/Zq9Kf83LmPq72.Xs"]
    # F4 (my regression): a comment with no blank after its `#`
    assert shown('token = os.environ.get("API_TOKEN") #or "see README"') == []
    assert shown('token = os.environ.get("A_TOKEN", CHOICES[" #"]) or "Zq9e4abc"') == ["Zq9e4abc"]
    # F5 (my regression): an empty written value; a `$` name written in quotes
    assert shown('echo "password: """ > /app/config.yml && exec node server.js --port 8080') == []
    assert shown("echo \"api_key: '\"'$API_KEY'\"'\" > f") == []


def test_hunt_242s_review_of_hunt_241s_fixes() -> None:
    # F1 (my regression): a value joined after a quote of the string's own kind
    assert shown('echo "api_key: ""Kf83LmPq72XsZq9" > /etc/app.yml') == ["Kf83LmPq72XsZq9"]
    assert shown("echo 'password: ''Zq9Kf83LmPq72Xs' > /etc/app2.yml") == ["Zq9Kf83LmPq72Xs"]
    # F2 (my regression): in single quotes, only a name in capitals is written for later
    assert shown("echo \"password: '\"'$uperS3cret9Xq'\"'\" > /etc/app.yml") == ["$uperS3cret9Xq"]
    assert shown("echo \"api_key: '\"'${API_KEY}'\"'\" > f") == []
    # F3 (my regression): ` #` inside a string starts no comment
    # (the literal joined to the read is part of the secret too, since hunt 281 F1)
    assert shown('DB_PASSWORD = ENV["X"] + " #{y}" || "Zq9Kf83LmPq72Xs"') == ["#{y}", "Zq9Kf83LmPq72Xs"]
    assert shown('API_KEY = os.environ.get("API_KEY", d.get(" #x")) or "Kf83LmPq72XsZq9"') == ["Kf83LmPq72XsZq9"]
    assert shown('API_KEY = os.environ.get("K", "a\\" #b") or "Zq9Kf83LmPq72Xs"')[-1] == "Zq9Kf83LmPq72Xs"
    assert shown('API_KEY = os.environ.get("K")\t#or "x"') == []  # (hunt 241 F4 still)
    # F4 (older): a value joined right after the written string's closing quote
    assert shown("echo \"password: \"'Zq9Kf83LmPq72Xs' > /etc/app.yml") == ["Zq9Kf83LmPq72Xs"]
    assert shown('echo "password: "Zq9Kf83 LmPq72Xs >> f') == ["Zq9Kf83 LmPq72Xs"]
    assert shown("printf 'password: '\"Zq9Kf83LmPq72Xs\" > f") == ["Zq9Kf83LmPq72Xs"]
    # what is not joined, or is a reference, stays clean
    assert shown("echo Zq9y1 | sudo -p 'Password: ' -S apt-get update") == ["Zq9y1"]
    assert shown('echo "password: "$PW > f') == shown('echo "password: "`cat pw` > f') == []
    assert shown('echo "token: ""$TOKEN" > f') == shown('echo "password: " > f') == []


def test_a_conditionals_fallback_to_the_environments_value_is_read() -> None:
    # the known list's ternary: the literal a conditional gives where the environment is not read
    assert shown('DB_PASSWORD = os.environ["DB_PASSWORD"] if PROD else "Hunter2devpw"') == ["Hunter2devpw"]
    assert shown('API_KEY = os.getenv("K") if x else os.getenv("Y", "dflt9Zq")') == ["dflt9Zq"]
    assert shown('API_KEY = os.getenv("K") if x else None') == shown('x = os.getenv("K") if x else "y"') == []
    assert shown('API_KEY = os.getenv("K") if x else_y "z"') == []  # (a whole word)


def test_a_terraform_variables_default_is_read_under_a_secret_name() -> None:
    # the known list's Terraform default: its block, to a `}` starting a line, or on one line
    block = 'variable "db_password" {\n  validation {\n    condition = length(var.x) > 8\n  }\n'
    block += '  default = "S3cretTf9"\n}\n'
    assert shown(block) == ["S3cretTf9"]
    assert shown('variable "api_key" { default = "Zq9Kf83LmPq72Xs" }') == ["Zq9Kf83LmPq72Xs"]
    assert shown('variable "region" {\n  default = "us-east-1"\n}\nvariable "api_key" {\n  sensitive = true\n}\n') == []
    assert shown('variable "api_key" {}\nlocals {\n  default = "public"\n}\n') == []
    assert shown('variable "api_token" {\n  default = "${var.x}"\n}\n') == []
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        '      servicePorts: [80]\n      vars:\n        MAIN_TF: |\n          variable "db_password" {\n'
        '            default = "S3cretTf9"\n          }\n'
    )
    assert mask_text(load(text)) == text.replace("S3cretTf9", "*********")


def test_hunt_244s_review_of_hunt_242s_fixes() -> None:
    # F1 (my regression): after a written quote, to the next quote, operators and all
    assert shown('echo "password: \'"Zq9Kf83&Lm7Pq2"\'" > /etc/app.yml') == ["Zq9Kf83&Lm7Pq2"]
    # F2, F3: the joined words as the shell reads them, escapes and quotes passed over
    assert shown('echo "password: "Zq9K\\"f83Lm > /etc/app.yml') == ['Zq9K\\"f83Lm']
    assert shown('echo "api_key: "Qx7w\\;Rt5Yu > /etc/k.yml') == ["Qx7w\\;Rt5Yu"]
    assert shown('echo "api_key: "Qx7wRt5"Yu8Io3Pa" > /etc/k.yml') == ['Qx7wRt5"Yu8Io3Pa']
    assert shown("echo \"password: \"''Zq9Kf83LmPq7 > /etc/app.yml") == ["Zq9Kf83LmPq7"]
    # F4: a reference in escaped quotes, joined or in the string
    assert shown('echo "db_password: "\\"$DB_PASSWORD\\" >> /etc/app.yml') == []
    assert shown('echo "password: \\"$DB_PASSWORD\\"" >> /etc/app.yml') == []
    # F5 (my regressions): a pattern, an option's value, a command's end
    assert shown('    "password: "*) echo "found the password line" >> /tmp/check.log ;;') == []
    assert shown('grep -c "api_key: "[A-Za-z0-9]* /etc/app.yml > /tmp/count') == []
    assert shown("awk -F\"token: \"'{print $2}' /etc/app.yml > /tmp/token") == []
    assert shown('pw=$(echo "password: ")') == []
    # F6 (my regression): a quote no other closes on its line closes the shell's string
    assert shown("python3 -c \"import os; API_KEY=os.getenv('API_KEY')\" # or 'make env' first") == []
    # F7 (my regression): ` #` a quote closes right after is no comment
    ruby = 'ruby -e \'API_KEY = ENV["API_KEY"] || "#{tag ? " #" : ""}" || "Zq9Kf83LmPq72Xs"; run\''
    assert shown(ruby)[-1] == "Zq9Kf83LmPq72Xs"


def test_hunt_246s_review_of_hunt_244s_fixes() -> None:
    # F1 (my regression, a crash): the words without a Terraform variable
    assert shown("# PORT variable, default 80") == []
    # F2 (my regression): a glob only at the word's start
    assert shown('echo "password: "S3cretPass?x > /etc/app.yaml') == ["S3cretPass?x"]
    assert shown('echo "api_key: "Pa55*w0rdXyz >> /etc/app.yaml') == ["Pa55*w0rdXyz"]
    # F3 (my regression): glued to other words than an option's
    assert shown('cat > /etc/b.yaml <<<"api_key: "hunter2xyzQ') == ["hunter2xyzQ"]
    assert shown('echo "user: admin"$\'\\n\'"password: "Zq9Kf83LmPq > /etc/c.yaml') == ["Zq9Kf83LmPq"]
    assert shown("awk --field-separator=\"token: \"'{print $2}' /etc/app.yml > /tmp/t") == []
    # F4 (my regression): an escaped `$` is literal
    assert shown('echo "password: "\\$3cr3tP4ss > /etc/app.yaml') == ["\\$3cr3tP4ss"]
    assert shown("echo \"api_key: \"'\\$uperS3cretKey' >> /etc/app.yaml") == ["\\$uperS3cretKey"]
    # F5 (older): a value in escaped quotes inside the written string
    assert shown('echo "password: \\"Zq9Kf83LmPq\\"" > /etc/app.yaml') == ["Zq9Kf83LmPq"]
    # F6 (older): a `;` inside a string ends no statement
    js = "const password = process.env.DB_PASSWORD || 'Pq72XsZq9', apiToken = process.env.API_TOKEN?.split(';')[0]"
    assert shown(js + " || 'Zq9Kf83LmPq72Xs'") == ["Pq72XsZq9", "Zq9Kf83LmPq72Xs"]
    assert shown('API_KEY = os.environ.get("K") if a != ";" else "Zq9Kf83LmPq72Xs"') == ["Zq9Kf83LmPq72Xs"]
    assert shown('API_KEY = os.getenv("K"); DEBUG = "x"') == []


def test_hunt_247s_review_of_hunt_246s_fixes() -> None:
    # F1 (my regression): the next string is password's value, read whole
    assert shown('echo "x" password: "api_key: Tr0ub4dor&3" > /etc/app.yml') == ["api_key: Tr0ub4dor&3"]
    assert shown('echo "x" password: "api_key: a|b Zq9Kf83LmPq72Xs" > f') == ["api_key: a|b Zq9Kf83LmPq72Xs"]
    assert shown('cat > /etc/b.yaml <<<"api_key: "hunter2xyzQ') == ["hunter2xyzQ"]  # (246 F3 still)
    # F2 (chosen, the lesser fault): an environment read inside a quoted program reads on past
    # the program's closing quote, so a later program's fallback is starred
    two = "node -e \"const pw = process.env.DB_PASSWORD || 'dev'\"; node -e \"x(process.env.HOST || 'localhost')\""
    assert shown(two)[0] == "dev"


def test_hunt_248s_review_of_hunt_247s_fixes() -> None:
    # F1 (my regression): a string opening after other words the shell joins to it
    assert shown('echo ${PREFIX}"password: "Zq9Kf83LmPq72Xs > /etc/app.yml') == ["Zq9Kf83LmPq72Xs"]
    assert shown('echo $(hostname)"password: "Zq9Kf83LmPq > f') == ["Zq9Kf83LmPq"]
    assert shown("echo x'password: 'Zq9Kf83LmPq > f") == ["Zq9Kf83LmPq"]
    assert shown('echo "a b"x"password: "Zq9Kf83LmPq > f') == ["Zq9Kf83LmPq"]
    # F2 (my regression): after a string closes, the name's value is the word after it
    assert shown('echo "user: admin" password: "Zq9Kf83LmPq72Xs" > /etc/app.yml') == ["Zq9Kf83LmPq72Xs"]
    assert shown('echo "x"password: "Tr0ub4dor&3" > f') == ["Tr0ub4dor&3"]
    # what stays as it was: an option's value, a prompt, a reference
    assert shown("awk -F\"token: \"'{print $2}' /etc/app.yml > /tmp/t") == []
    assert shown('echo "x" password: "$PW" > f') == []


def test_hunt_249s_review_of_hunt_248s_fixes() -> None:
    # F1 (older): a written entry with blanks (or a list's `- `) before its name is looked for
    assert shown('echo "x" password: "Zq9Kf83LmPq72Xs" > /etc/app.yml') == ["Zq9Kf83LmPq72Xs"]
    assert shown('echo "  password: Zq9Kf83LmPq72Xs" > f') == ["Zq9Kf83LmPq72Xs"]
    assert shown('echo "- password: Zq9Kf83LmPq72Xs" > f') == ["Zq9Kf83LmPq72Xs"]
    # F2, F4 (time): the words after each place are read once (and run on over a later entry)
    assert shown('echo "password: "Zq9Kf "api_key: "Kf83xyz > f') == ['Zq9Kf "api_key: "Kf83xyz']
    assert shown('echo "password: "$A "api_key: "Kf83xyz > f') == ["Kf83xyz"]
    # F3 (chosen, the lesser fault): each line starts outside quotes, so a string opened on the
    # line before is read as closed, and a redirection after the value is starred with it
    assert shown('echo "# setup\nuser: admin" "password: "Zq9Kf83LmPq72Xs > /etc/app.yml')[-1].startswith("Zq9Kf83")


def test_hunt_251s_review_of_hunt_249s_fixes() -> None:
    # F1 (my regression): a joined value is not cut where a quote inside it looks like an entry
    assert shown("echo \"password: \"'Tr0ub4dor: x9Kq' > /etc/app.yml") == ["Tr0ub4dor: x9Kq"]
    assert shown("echo \"password: \"Zq9Kf83L'x: y9Kq2' > f") == ["Zq9Kf83L'x: y9Kq2"]
    assert shown('echo "x" password: "Zq9Kf \'a: b9Kq2\'" > f') == ["Zq9Kf 'a: b9Kq2"]
    assert shown("echo \"password: \"'S3cret: ' > f") == ["S3cret:"]


def test_the_secret_entries_inside_joined_words_read_as_prose_are_read() -> None:
    # (known gap of the fifteenth session) joined words that read as prose ran on over a later
    # entry on their line, whose value was then never read
    assert shown('echo "password: "is not set "token: "swordfish > /etc/app.conf') == ["swordfish"]
    assert shown('echo "password: "is not set "note: "see docs "token: "swordfish > f') == ["swordfish"]
    whole = 'is not set "note: "x "token: "Zq9Kf83'  # (not prose: starred whole, as before)
    assert shown(f'echo "password: "{whole} > f') == [whole]
    # a later secret entry reads on to the end of the words, as one standing alone would
    assert shown('echo "password: "is not set "token: "Zq9K "x: "Lm72 > f') == ['Zq9K "x: "Lm72']
    # the first entry's words are judged whole, as before (hunt 253 F1, F2 against a fix that cut them)
    assert shown("echo \"Password: \"'must be' set: Zq9Kf83LmPq72Xs > /etc/app.conf") != []
    assert shown('echo "Password: "is set "user: "Zq9Kf83LmPq72Xs > f') == ['is set "user: "Zq9Kf83LmPq72Xs']
    assert shown('echo "Token: "expired "Action: "log in again > /var/log/auth.log') == []
    assert shown('echo "password: "is not "token: "is it > f') == []  # each piece prose
    assert shown('echo "password: "is not "token: "$X > f') == []


def test_hunt_254s_review_of_the_fifteenth_sessions_readers() -> None:
    # F1: a Terraform default holding an escaped quote, starred whole
    tf = 'variable "db_password" {\n  default = "Tr0ub4dor\\"Zq9Kf83LmPq72Xs"\n}'
    assert shown(tf) == ['Tr0ub4dor\\"Zq9Kf83LmPq72Xs']
    # F7 (my regression): an indented variable block ends at its own `}`, not at a later block's
    indented = '  variable "db_password" {\n    type = string\n  }\n  locals {\n    default = "eu-west-1"\n  }'
    assert shown(indented) == []
    nested = 'variable "api_token" {\n  validation {\n    condition = length(var.x) > 8\n  }\n'
    nested += '  default = "Zq9Kf83Lm"\n}'
    assert shown(nested) == ["Zq9Kf83Lm"]
    # F2: bash's `$'x'` and `$"x"` write their text: no reference
    assert shown("echo \"api_key: \"$'Xk7Lm2Pq9Rt4Wv8' >> /etc/app.yml") == ["$'Xk7Lm2Pq9Rt4Wv8"]
    assert shown('echo "api_key: "$X >> f') == []
    # F3: an escaped `$` writes itself; a name in capitals after it is a shell's inside the string
    assert shown('echo "db_password: "\\$uperS3cretXq9 > /etc/app.yml') == ["\\$uperS3cretXq9"]
    assert shown('echo "api_token: \\$ecretT0kenWv8" >> f') == ["\\$ecretT0kenWv8"]
    assert shown('sh -c "echo \\"password: \\$DB_PASSWORD\\" > f"') == []
    # F4: a written line's value runs past the quotes its string holds
    assert shown("echo 'db_password: P@ss'\\''w0rdZq9Kf83' > /etc/app.yml") == ["P@ss'\\''w0rdZq9Kf83"]
    assert shown('echo "jwt_secret: ab\\"cdHw3Nq8Tz5Ry" >> /etc/app.yml') == ['ab\\"cdHw3Nq8Tz5Ry']
    assert shown('sh -c "echo \\"password: x9Kq2Lm\\" > f"') == ["x9Kq2Lm\\"]  # (its own quote escaped: to it)
    # F5: a fallback in escaped quotes inside a quoted program
    node = 'node -e "const API_KEY = process.env.API_KEY || \\"Xk7Lm2Pq9Rt4Wv8\\"; require(\'./server\')"'
    assert shown(node) == ["Xk7Lm2Pq9Rt4Wv8"]
    # F8: an object's key set to an environment read, on its own line
    knex = "module.exports = {\n  password: process.env.DB_PASSWORD || 'Zq9Kf83LmPq72Xs',\n"
    knex += "  host: process.env.H || 'db',\n}"
    assert shown(knex) == ["Zq9Kf83LmPq72Xs"]
    assert shown("  password: process.env.DB_PASSWORD,\n  user: 'admin'") == []


def test_hunt_257s_review_of_hunt_254s_fixes() -> None:
    # F3: a bracketed read under a secret key, and one with no blank after the colon
    assert shown("module.exports = {\n  password: process.env['DB_PASSWORD'] || 'Zq9Kf83LmPq72Xs',\n}") == [
        "Zq9Kf83LmPq72Xs"
    ]
    assert shown("password:process.env.X||'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("  password: process.env.DB_PASSWORD || readSecret('db') || 'Zq9Kf83Lm',") == ["Zq9Kf83Lm"]
    # F7 (my regression): a later entry's value is no fallback of the secret key's read
    assert shown('conn = psycopg.connect(**{"password": os.getenv("DB_PASSWORD"), "host": "db.pod"})') == []
    node = "node -e \"const db = { password: process.env.DB_PASSWORD, host: process.env.H || 'localhost' }\""
    assert shown(node) == []
    # F4 (my regression): a brace in a comment or a heredoc does not end a variable's block
    commented = 'variable "db_password" {\n  # see docs/secrets.md#db}\n  default = "Zq9Kf83LmPq72Xs"\n}'
    assert shown(commented) == ["Zq9Kf83LmPq72Xs"]
    heredoc = 'variable "db_password" {\n  description = <<-EOT\n    }\n  EOT\n  default = "Zq9Kf83Lm"\n}'
    assert shown(heredoc) == ["Zq9Kf83Lm"]
    opened = 'variable "db_password" {\n  # {\n}\nlocals {\n  default = "eu-west-1"\n}'
    assert shown(opened) == []
    # F5 (my regression): an inner shell's command output, escaped, is no literal
    inner = 'sh -c "echo \\"db_password: \\$(cat /run/secrets/db_password)\\" > /app/config.yml && exec node s.js"'
    assert shown(inner) == []
    # F6 (my regression): bash's quoting of escapes alone, around a reference
    assert shown("echo \"api_key: \"$'\\''\"$API_KEY\"$'\\'' >> /app/config.yml") == []
    assert shown('echo "token: "$\'\\t\'"$API_KEY" >> /app/config.yml') == []
    assert shown("echo \"api_key: \"$'\\n'") == []
    assert shown("echo \"api_key: \"$'Xk7Lm2Pq9Rt4Wv8' >> f") == ["$'Xk7Lm2Pq9Rt4Wv8"]  # (254 F2 still)


def test_hunt_259s_review_of_hunt_257s_fixes() -> None:
    # F2 (my regression): an escaped quote in a quoted program starts no string of the entry
    program = "python3 -c \"c = {'password': os.getenv('A') or \\\"\\\", 'token': os.getenv('B', 'hunter3yQ')}\""
    assert shown(program) == ["hunter3yQ"]
    # F3 (my regression): a comment after the entry is no fallback
    assert shown('S = {\n    "password": os.getenv("DB_PASSWORD") or ""  # see README or "docs/deploy.md"\n}') == []
    assert shown("  password: process.env.DB_PASSWORD || '' // set it or \"Settings > Secrets\"") == []
    # F4: a quoted key with a dash
    assert shown('node -e \'const h = { "x-api-key": process.env.API_KEY || "hunter2xQ" }; go(h)\'') == ["hunter2xQ"]
    # F5: a call in the read's call, and later entries that are no fallbacks
    nested = 'D = {"PASSWORD": os.environ.get("DB_PASSWORD", read_secret("db")), "HOST": "db.pod", "USER": "shop"}'
    assert shown(nested) == []
    assert shown('D = {"PASSWORD": os.environ.get("DB_PASSWORD", f("db")) or "Zq9Kf83Lm", "HOST": "db"}') == [
        "Zq9Kf83Lm"
    ]


def test_hunt_260s_review_of_hunt_259s_fixes() -> None:
    # F1 (my regression): a fallback in escaped quotes holding `;` or `,` is read to its close
    node = 'node -e "const c = { password: process.env.DB_PASSWORD || \\"Zq9;Kf83Lm\\" }; go(c)" && x'
    assert shown(node) == ["Zq9;Kf83Lm"]
    assert shown("python3 -c \"c = {'password': os.getenv('A') or \\\"Zq9,Kf83Lm\\\"}\"") == ["Zq9,Kf83Lm"]
    # F2 (my regression): a bare key holds no dot, so a ternary's `? process.env.X :` is none
    ternary = "node -e \"m = process.env.USE_AUTH ? process.env.API_TOKEN : process.env.MODE || 'anon-access'\""
    assert shown(ternary) == []
    # each literal of a chain is read (`|| 'a' || 'b'`)
    assert shown("  password: process.env.A || 'Zq9Kf83' || 'Lm72Xs9'") == ["Zq9Kf83", "Lm72Xs9"]


def test_hunt_261s_review_of_hunt_260s_fix() -> None:
    # F1 (my regression): a chained operator inside another string reads no literal past the
    # entry, and the next secret key is read
    node = "node -e \"c = { password: process.env.PW || fail('set PW or \\\"skip'), "
    node += 'token: process.env.TK || \\"Zq9Kf83Lm\\" }"'
    assert shown(node) == ["Zq9Kf83Lm"]
    plain = "password: process.env.PW || fail(\"set PW or 'skip\"), token: process.env.TK || 'Zq9Kf83Lm'"
    assert shown(plain) == ["Zq9Kf83Lm"]
    # F3: a fallback holding an escaped quote of its own kind is read to its close
    assert shown("const pw = process.env.DB_PASSWORD || 'Zq9\\'Kf83Lm'") == ["Zq9\\'Kf83Lm"]
    assert shown('password = os.getenv("DB_PASSWORD", "Zq9\\"Kf83Lm")') == ['Zq9\\"Kf83Lm']
    assert shown('const c = { password: process.env.A || "Zq9\\"Kf83Lm" }') == ['Zq9\\"Kf83Lm']


def test_hunt_262s_review_of_hunt_261s_fix() -> None:
    # F2, F3 (my regressions): an escaped quote where no value starts (a regular expression's
    # `/\"/`) opens no string that would run an entry over the next keys
    regex = 'node -e "c = {password: process.env.PW?.replace(/\\"/g, \'\')}" && python3 -c "c = '
    regex += '{\'token\': os.getenv(\\"TK\\", \\"Lm72Xs9q\\")}"'
    assert shown(regex) == ["Lm72Xs9q"]
    # (F3, a false alarm, stays: such an entry may run over a later public key's fallback)


def test_hunt_263s_review_of_hunt_262s_fix() -> None:
    # F1, F2 (my regressions): an escaped string is one wherever it starts, and a later secret
    # key is read whatever an earlier entry was misread as
    assert shown('python3 -c "c = {\'password\': os.getenv(\'PW\') if \\"a,b\\" in m else \\"Zq9Kf83Lm\\"}"') == [
        "Zq9Kf83Lm"
    ]
    error = "python3 -c \"c = {'password': os.getenv('PW') if \\\"error\\\" in m else None, "
    error += '\'token\': os.getenv(\\"TK\\", \\"Lm72Xs9q\\")}"'
    assert shown(error) == ["Lm72Xs9q"]
    # F3: an escaped quote never runs past a bare one, which ends its program
    regex = 'node -e "c = {password: process.env.PW?.replace(/:\\"/g, \'\')}" && python3 -c "c = '
    regex += '{\'token\': os.getenv(\\"TK\\", \\"Lm72Xs9q\\")}"'
    assert shown(regex) == ["Lm72Xs9q"]


def test_hunt_264s_review_of_hunt_263s_fix() -> None:
    # F1 (my regression): a secret key inside another's entry, in its brackets, does not end
    # that entry: its fallbacks after the inner object are read
    js = "password: process.env.DB_PASSWORD || getSecret({ token: process.env.VAULT_TOKEN }) || 'Zq9Kf83Lm', "
    js += "apiKey: process.env.API_KEY || 'Lm72Xs9q'"
    assert shown(js) == ["Zq9Kf83Lm", "Lm72Xs9q"]
    py = 'DB = {"password": os.getenv("PW") or fetch({"token": os.getenv("VT")}) or "Zq9Kf83Lm", "host": "db"}'
    assert shown(py) == ["Zq9Kf83Lm"]
    inner = "password: process.env.PW || vault({ token: process.env.VT || 'Xk7Lm2Pq9' }).pw || 'Zq9Kf83Lm'"
    assert shown(inner) == ["Xk7Lm2Pq9", "Zq9Kf83Lm"]
    in_call = '{"password": os.environ.get("PW", read({"token": os.getenv("VT")}, "Zq9Kf83Lm"))}'
    assert "Zq9Kf83Lm" in shown(in_call)
    # F2 (my regression): a regular expression's quote opens no string (nor does a bare one's)
    regex = 'node -e "c = {password: process.env.PW?.replace(/\\"/g, \'\') || \\"Zq9 #Kf83Lm\\", '
    regex += 'apiKey: process.env.K || \\"Lm72Xs9q\\"}; go(c)"'
    assert shown(regex) == ["Zq9 #Kf83Lm", "Lm72Xs9q"]
    assert shown("password: process.env.PW?.replace(/'/g, '') || 'Zq9 #Kf83Lm'") == ["Zq9 #Kf83Lm"]
    assert shown("password: process.env.PW?.replace( /[\\/\"]/g, '') || 'Zq9Kf83Lm', host: 'db'") == ["Zq9Kf83Lm"]
    # (a comment's `//` is no regular expression)
    assert shown("  password: process.env.DB_PASSWORD || '' // set it or \"Settings > Secrets\"") == []
    # F3: keys and names in escaped quotes, in a quoted program
    program = 'python3 -c "c = {\\"password\\": os.getenv(\\"PW\\", \\"Zq9Kf83Lm\\"), '
    program += '\\"api_key\\": os.getenv(\\"K\\") or \\"Lm72Xs9q\\"}; run(c)"'
    assert shown(program) == ["Zq9Kf83Lm", "Lm72Xs9q"]
    assert shown('python3 -c "connect(os.getenv(\\"DB_PASSWORD\\", \\"Zq9Kf83Lm\\"))"') == ["Zq9Kf83Lm"]
    assert shown('node -e "const c = {\\"password\\": process.env.PW || \\"Zq9Kf83Lm\\"}"') == ["Zq9Kf83Lm"]
    assert shown('python3 -c "x = os.getenv(\\"HOST\\", \\"db.pod\\")"') == []


def test_hunt_267s_review_of_hunt_264s_fixes() -> None:
    # F1: a secret name's value that starts with a token's shape is starred whole, not the token alone
    assert shown('sh -c "S3_PASSWORD=AKIAIOSFODNN7EXAMPLE:Zq9Kf83Lm exec node s.js"') == [
        "AKIAIOSFODNN7EXAMPLE:Zq9Kf83Lm"
    ]
    assert shown("export API_TOKEN='sk_live_" + "a" * 24 + " Zq9Kf83Lm'") == ["sk_live_" + "a" * 24 + " Zq9Kf83Lm"]
    assert shown("https://h/x?password=Zq9Kf83Lm#frag") == ["Zq9Kf83Lm"]  # (a query's value ends at its `#`)
    # F2: escaped call arguments and keyed reads in a text with no other hint
    assert shown('echo "print(os.getenv(\\"DB_PASSWORD\\", \\"Zq9Kf83Lm\\"))" > /app/boot.py') == ["Zq9Kf83Lm"]
    assert shown('echo "connect({password: process.env.DB_PASSWORD || \\"Lm72Xs9q\\"})" > /app/db.js') == ["Lm72Xs9q"]
    # F3 (my regression): a regular expression whose `\\` the shell reads as one backslash
    program = "node -e \"c = {password: process.env.PW?.replace(/\\\\\\/g, '/') || readFile('/run/s #1') || "
    program += "'Zq9Kf83Lm', apiKey: process.env.K || 'Lm72Xs9q'}; go(c)\""
    assert shown(program) == ["Zq9Kf83Lm", "Lm72Xs9q"]


def test_hunt_270s_review_of_hunt_267s_fixes() -> None:
    # F2: any secret that starts with a token's shape is starred whole, not the token alone
    assert shown("redis-cli -a sk_live_51HabcdefghijklmnopQRSTuv:Zq9Kf83Lm ping") == [
        "sk_live_51HabcdefghijklmnopQRSTuv:Zq9Kf83Lm"
    ]
    default = shown('app --s3 "${S3_SECRET:-AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMIK7MDENGbPxRfiCYZq9Kf83Lm}"')
    assert default == ["AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMIK7MDENGbPxRfiCYZq9Kf83Lm"]
    # F4: an escaped call argument after a blank
    assert shown('echo "define( \\"AUTH_KEY\\", \\"Zq9Kf83Lm\\" );" >> keys.php') == ["Zq9Kf83Lm"]


def test_a_value_whose_only_hint_is_an_environment_read_is_read_in_a_file() -> None:
    # hunt 270 F1: the file's walk had its own copy of the hint test, without the `env` one
    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    text = CLEAN + "      vars:\n        DB-SETUP: 'connect({password: process.env.DB_PASSWORD || \"Zq9Kf83Lm\"})'\n"
    result = lint(text)
    assert [d.code for d in result.diagnostics if d.code == "NX213"] == ["NX213"]


def test_hunt_273s_review_of_hunt_270s_fixes() -> None:
    # F2: an environment read of a secret-named variable, given straight to a call
    assert shown("jwt.sign(payload, process.env.JWT_SECRET || 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown('db.connect(process.env.DB_PASSWORD || "Zq9Kf83Lm")') == ["Zq9Kf83Lm"]
    assert shown('connect(os.environ.get("DB_PASSWORD") or "Zq9Kf83Lm")') == ["Zq9Kf83Lm"]
    assert shown("host: process.env.DB_PASSWORD || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]  # under a public key
    assert shown('connect(process.env.DB_HOST || "localhost")') == []


def test_a_programs_reading_of_a_secret_extends_the_words_own() -> None:
    # hunt 273 F1: read alone, the word gave the token; with its program in front, all of it; the
    # longer reading was dropped for overlapping the shorter
    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    token = "ghp_" + "a" * 36
    text = CLEAN.replace(
        "path: /\n", f'path: /\n      entrypoint: curl\n      command: "-u admin:{token}.Zq9Kf83Lm h"\n', 1
    )
    result = lint(text)
    assert "Zq9Kf83Lm" not in result.masked_text and token not in result.masked_text


def test_hunt_274s_review_of_hunt_273s_fix() -> None:
    # F1 (my regression): a read inside a template in a keyed read's chain cut that chain
    assert "Zq9Kf83Lm" in "".join(shown("token: process.env.API_TOKEN || `${process.env.CLIENT_SECRET}:Zq9Kf83Lm`"))
    python = '"password": os.environ.get("DB_PASSWORD") or f"{os.environ[\'ADMIN_PASSWORD\']}" or "Zq9Kf83Lm"'
    assert shown(python)[-1] == "Zq9Kf83Lm"
    # F2 (my regression): a secret-named read as a condition or in a comparison has no fallback
    assert shown("'...' if os.environ.get('API_KEY') else 'API key missing, demo mode'") == []
    assert shown("process.env.API_KEY ? 'live' : process.env.NODE_ENV || 'development'") == []
    assert shown("os.environ.get('AUTH_TOKEN') is not None or '--auth' in sys.argv") == []


def test_hunt_275s_review_of_hunt_274s_fix() -> None:
    # F1: a fallback past the read's call, a method called on it, or `||=`
    assert shown("connect(os.getenv('DB_PASSWORD', '') or 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("jwt.sign(p, process.env.JWT_SECRET?.trim() || 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("process.env.API_KEY ||= 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    # F2 (my regression): a negated read is a condition, a compared literal no fallback
    assert shown("if not os.getenv('OPENAI_API_KEY') or '--mock' in sys.argv: pass") == []
    assert shown("if (!process.env.API_KEY || 'demo' === mode) x()") == []


def test_hunt_276s_review_of_hunt_275s_fix() -> None:
    # F1 (my regression): a `!` ending the line before is no negation of the next line's read
    assert shown('# never commit real keys!\nos.environ.get("JWT_SECRET") or "Zq9Kf83Lm"') == ["Zq9Kf83Lm"]
    assert shown("// local dev only!\nprocess.env.JWT_SECRET ||= 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    # F2 (my regression): a read given to a call (or in brackets), then its fallback
    assert shown("(process.env.JWT_SECRET) || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("String(process.env['DB_PASSWORD']) || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("str(os.environ['DB_PASSWORD']) or 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("Boolean(process.env.API_KEY) || 'demo mode'") == []  # (a condition)


def test_more_languages_environment_reads_and_fallbacks() -> None:
    # optional chaining, Bun, .NET and PHP reads; the Elvis operator of PHP, Groovy and Kotlin;
    # Python's string prefixes (each shown before: they were known gaps)
    assert shown('k = process.env?.JWT_SECRET || "Zq9Kf83Lm"') == ["Zq9Kf83Lm"]
    assert shown('k = process.env?.["JWT_SECRET"] ?? "Zq9Kf83Lm"') == ["Zq9Kf83Lm"]
    assert shown('k = Bun.env.JWT_SECRET || "Zq9Kf83Lm"') == ["Zq9Kf83Lm"]
    assert shown('var p = Environment.GetEnvironmentVariable("DB_PASSWORD") ?? "Zq9Kf83Lm";') == ["Zq9Kf83Lm"]
    assert shown('$p = $_ENV["DB_PASSWORD"] ?? "Zq9Kf83Lm";') == ["Zq9Kf83Lm"]
    assert shown("connect($_SERVER['DB_PASSWORD'] ?: 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown('$p = getenv("DB_PASSWORD") ?: "Zq9Kf83Lm";') == ["Zq9Kf83Lm"]
    assert shown('val p = System.getenv("DB_PASSWORD") ?: "Zq9Kf83Lm"') == ["Zq9Kf83Lm"]
    assert shown('x = os.getenv("DB_PASSWORD") or f"Zq9Kf83Lm"') == ["Zq9Kf83Lm"]
    assert shown('PASSWORD = os.environ.get("X", r"Zq9Kf83Lm")') == ["Zq9Kf83Lm"]
    assert shown('config = { password: process.env?.DB || "Zq9Kf83Lm" }') == ["Zq9Kf83Lm"]
    assert shown('config = { password: Bun.env.DB ?? "Zq9Kf83Lm" }') == ["Zq9Kf83Lm"]
    assert shown('python -c "import os; print(os.getenv(\\"API_KEY\\") or f\\"Zq9Kf83Lm\\")"') == ["Zq9Kf83Lm"]
    # a public read's fallback, and `?:` that follows no secret, stay shown
    assert shown('x = process.env.NODE_ENV ?: "production"') == []
    assert shown('var h = Environment.GetEnvironmentVariable("DB_HOST") ?? "localhost";') == []
    assert shown('a = flag ?: "public"') == []
    # Ruby's default given as a block
    assert shown('key = ENV.fetch("SECRET_KEY_BASE") { "Zq9Kf83Lm" }') == ["Zq9Kf83Lm"]
    assert shown('key = ENV.fetch("SECRET_KEY_BASE") { |name| "Zq9Kf83Lm" }') == ["Zq9Kf83Lm"]
    assert shown('host = ENV.fetch("DB_HOST") { "localhost" }') == []
    # a method's optional call on a read is no part of the read: its arguments are no fallbacks
    assert shown("c = {password: process.env.PW?.replace(/x/g, '/') || 'Zq9Kf83Lm'}") == ["Zq9Kf83Lm"]


def test_a_keyed_read_on_the_line_after_its_key() -> None:
    # a formatter puts a long read on the next line: still the key's (a known gap before)
    program = 'const c = {\n  password:\n    process.env.DB_PASS_X || "Zq9Kf83Lm",\n  host: "db",\n}'
    assert shown(program) == ["Zq9Kf83Lm"]
    assert shown('config = {\n  "api_key":\n    os.getenv("X", "Zq9Kf83Lm")}') == ["Zq9Kf83Lm"]
    assert shown('config = {\n  "host":\n    os.getenv("X", "localhost")}') == []


def test_hunt_277s_review_of_hunt_276s_fix() -> None:
    # F1: a keyword default, python-decouple's and django-environ's reads
    assert shown("app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', default='Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("SECRET_KEY = config('SECRET_KEY', default='Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("DATABASES = {'default': {'PASSWORD': config('DB_PASSWORD', default='Zq9Kf83Lm')}}") == ["Zq9Kf83Lm"]
    assert shown("x = env.str('SECRET_KEY', default='Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("HOST = config('DB_HOST', default='localhost')") == []
    # F2: an empty fallback, then the group's `)`, a method and the real one
    assert shown("const secret = (process.env.JWT_SECRET || '').trim() || 'Zq9Kf83Lm';") == ["Zq9Kf83Lm"]
    assert shown("db_password = (os.getenv('DB_PASSWORD') or '').strip() or 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    # F3: a call read given to a call or a group
    assert shown("connect(password=str(os.environ.get('DB_PASSWORD')) or 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("connect(password=(os.getenv('DB_PASSWORD' )) or 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("const key = String(Deno.env.get('JWT_SECRET')) || 'Zq9Kf83Lm';") == ["Zq9Kf83Lm"]
    # F4 (my regression): inside a negation or a boolean, the literal is the read's fallback
    assert shown("if (!(process.env.OPENAI_API_KEY ?? 'sk-Zq9Kf83Lm').startsWith('sk-')) fail()") == ["sk-Zq9Kf83Lm"]
    assert shown("const auth = Boolean(process.env.ADMIN_PASSWORD || 'Zq9Kf83Lm');") == ["Zq9Kf83Lm"]
    assert shown("auth = bool(os.getenv('ADMIN_PASSWORD') or 'Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("Boolean(process.env.API_KEY) || 'demo mode'") == []  # (its `)` first: a condition)
    assert shown("if (!(process.env.API_KEY)) throw new Error('missing API key')") == []
    # F5: a ternary whose first branch is the read itself
    assert shown("const s = process.env.JWT_SECRET ? process.env.JWT_SECRET : 'Zq9Kf83Lm';") == ["Zq9Kf83Lm"]
    assert shown("const p = process.env.DB_PASSWORD !== undefined ? process.env.DB_PASSWORD : 'Zq9Kf83Lm';") == [
        "Zq9Kf83Lm"
    ]
    assert shown('String p = System.getenv("DB_PASSWORD") != null ? System.getenv("DB_PASSWORD") : "Zq9Kf83Lm";') == [
        "Zq9Kf83Lm"
    ]
    assert shown("c['SECRET_KEY'] = os.getenv('SECRET_KEY') if os.getenv('SECRET_KEY') else 'Zq9Kf83Lm'") == [
        "Zq9Kf83Lm"
    ]
    assert shown('String p = Optional.ofNullable(System.getenv("DB_PASSWORD")).orElse("Zq9Kf83Lm");') == ["Zq9Kf83Lm"]
    assert shown("const m = process.env.API_KEY ? 'live' : 'test';") == []
    assert shown("mode = 'live' if os.getenv('API_KEY') else 'test'") == []
    # F6: the fallback on the next line, as a formatter lays it out
    assert shown('const signingKey =\n  process.env.SIGNING_KEY ??\n  "Zq9Kf83Lm";') == ["Zq9Kf83Lm"]
    assert shown("const dbPassword = process.env.DB_PASSWORD\n  || 'Zq9Kf83Lm';") == ["Zq9Kf83Lm"]


def test_go_rust_and_typescript_fallbacks() -> None:
    # old gaps hunt 277 listed: Go's cmp.Or, Rust's unwrap_or, TypeScript's `!` and `as string`
    assert shown('pw := cmp.Or(os.Getenv("DB_PASSWORD"), "Zq9Kf83Lm")') == ["Zq9Kf83Lm"]
    assert shown('let pw = env::var("DB_PASSWORD").unwrap_or("Zq9Kf83Lm".to_string());') == ["Zq9Kf83Lm"]
    assert shown('let pw = std::env::var("DB_PASSWORD").unwrap_or_else(|_| "Zq9Kf83Lm".into());') == ["Zq9Kf83Lm"]
    assert shown('PASSWORD = env::var("X").unwrap_or("Zq9Kf83Lm".into())') == ["Zq9Kf83Lm"]
    assert shown('let c = Config { password: env::var("DB").unwrap_or("Zq9Kf83Lm".into()) };') == ["Zq9Kf83Lm"]
    assert shown("const k = process.env.JWT_SECRET! || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("const k = (process.env.JWT_SECRET as string) || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("const k = process.env.JWT_SECRET || ('Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown('let host = env::var("DB_HOST").unwrap_or("localhost".to_string());') == []
    assert shown("if (process.env.API_KEY != 'x') go()") == []


def test_hunt_281s_review_of_this_sessions_readers() -> None:
    # F1 (my regression): a literal joined to a read in a secret-named value is part of the secret
    assert shown("node -e \"const password=process.env?.DB_PREFIX+'Zq9Kf83Lm';start(password)\"") == ["Zq9Kf83Lm"]
    assert shown("SECRET_KEY=str(os.getenv('SECRET_PREFIX'))+'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    assert shown("$password=$_ENV['DB_USER'].'Zq9Kf83Lm';") == ["Zq9Kf83Lm"]
    assert shown("password = process.env.X + 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    # F2: qualified .NET and python-decouple reads, PHP's `!== false` ternary
    assert shown('var k = System.Environment.GetEnvironmentVariable("API_KEY") ?? "Zq9Kf83Lm";') == ["Zq9Kf83Lm"]
    assert shown("SECRET = decouple.config('JWT_SECRET', default='Zq9Kf83Lm')") == ["Zq9Kf83Lm"]
    assert shown("$p = getenv('DB_PASSWORD') !== false ? getenv('DB_PASSWORD') : 'Zq9Kf83Lm';") == ["Zq9Kf83Lm"]
    # F5 (my regression): an `if ... else None` is read to its own else, not the next statement's
    program = (
        "python -c \"k = os.getenv('API_KEY') if os.getenv('USE_KEY') else None; print('no key' if not k else 'ok')\""
    )
    assert shown(program) == []


def test_hunt_283s_review_of_the_last_fixes() -> None:
    # F1 (my regression): through another conditional's `else`, and an `else` inside a string
    program = "k = os.getenv('API_KEY') if os.getenv('API_KEY') else os.getenv('OTHER')"
    program += " if os.getenv('OTHER') else 'Zq9Kf83Lm'"
    assert shown(program) == ["Zq9Kf83Lm"]
    assert shown("k = os.getenv('API_KEY') if os.getenv('MODE') == 'x else y' else 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]
    # F2 (my regression): more than 8 methods on the read
    assert shown("k = process.env.API_KEY.a().b().c().d().e().f().g().h().i() || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"]


def test_every_environment_read_is_gated_read_whole_and_read_as_a_key_and_an_assignment() -> None:
    # one list of read forms (_ENV_READS): the keyed reads had a copy of their own, which missed
    # `env(`, `config(`, `$_ENV[`, and the list missed `process.env[`, so `PASSWORD =
    # process.env['X'] || 'x'` and `password: env('X') || 'x'` showed their fallback
    completions = {"(": "'X')", "[": "'X']", ".": "X", "os.environ": ".get('X')"}
    for prefix in secrets._ENV_READS:
        read = prefix + next(rest for end, rest in completions.items() if prefix.endswith(end))
        assert secrets._may_read_env(read), prefix
        whole = secrets._ENV_READ.match(read)
        assert whole is not None and whole.end() == len(read), prefix
        assert shown(f"PASSWORD = {read} || 'Zq9Kf83Lm'") == ["Zq9Kf83Lm"], prefix
        assert shown(f"c = {{password: {read} || 'Zq9Kf83Lm'}}") == ["Zq9Kf83Lm"], prefix
