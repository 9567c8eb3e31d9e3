"""Secret values never leak, and text that is not secret is never masked.

Every source of secrets (issue 14) is one entry of SHAPES, each planting distinctive canaries; for
each, every output format (text with --show-source and colour, json, sarif, github, junit,
gitlab), --verbose, stdin, the language server's diagnostics and hovers, and the body the fake API
receives must not contain any canary, nor its JSON-escaped form. Then the over-masking cases:
text that merely equals a secret is shown exactly as written.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nexlayer_lint import checks, loader, secrets
from nexlayer_lint.cli import main
from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from tests import fake_api as fa
from tests.conftest import shared_dir

FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]
HEAD = """\
application:
  name: leaky
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
"""


def with_vars(*lines: str) -> str:
    return HEAD + "      vars:\n" + "".join(f"        {line}\n" for line in lines)


def token(prefix: str, name: str, alphabet_run: int = 40) -> str:
    return prefix + (f"Cnry{name}" * alphabet_run)[:alphabet_run]


# name -> (file text, the canaries it plants). A canary is "Cnry" and a tag; each is planted
# where issue 14 found a leak (or where one could hide), and appears nowhere else.
SHAPES: dict[str, tuple[str, list[str]]] = {
    "password in a URL": (
        with_vars("DATABASE_URL: postgresql://admin:CnryUrl1@db.pod:5432/app?sslmode=off"),
        ["CnryUrl1"],
    ),
    "secret query parameter": (with_vars("HOOK: https://hooks.example.com/x?page=2&token=CnryQuery2"), ["CnryQuery2"]),
    "PGPASSWORD": (with_vars("PGPASSWORD: CnryPg3"), ["CnryPg3"]),
    "ENCRYPTION_KEY": (with_vars("ENCRYPTION_KEY: CnryEnc4"), ["CnryEnc4"]),
    "JWT_SIGNING_KEY": (with_vars("JWT_SIGNING_KEY: CnryJwt5"), ["CnryJwt5"]),
    "MYSQL_ROOT_PWD": (with_vars("MYSQL_ROOT_PWD: CnryPwd6"), ["CnryPwd6"]),
    "GITHUB_PAT": (with_vars("GITHUB_PAT: CnryPat7"), ["CnryPat7"]),
    "registryLogin.password": (
        HEAD.replace(
            "  pods:\n",
            "  registryLogin:\n    registry: ghcr.io\n    username: me\n    password: CnryLogin8\n  pods:\n",
        ),
        ["CnryLogin8"],
    ),
    "registryLogin.token": (
        HEAD.replace("  pods:\n", "  registryLogin: {registry: ghcr.io, username: me, token: CnryLogin9}\n  pods:\n"),
        ["CnryLogin9"],
    ),
    "registryLogin as a list": (
        HEAD.replace(
            "  pods:\n", "  registryLogin:\n    - registry: ghcr.io\n      personalAccessToken: CnryLogin10\n  pods:\n"
        ),
        ["CnryLogin10"],
    ),
    "registryLogin inside a pod": (
        HEAD + "      registryLogin:\n        registry: ghcr.io\n        personalAccessToken: CnryLogin11\n",
        ["CnryLogin11"],
    ),
    "env instead of vars": (HEAD + "      env: {DB_PASSWORD: CnryEnv12}\n", ["CnryEnv12"]),
    "environment list": (HEAD + "      environment:\n        - DB_PASSWORD=CnryEnv13\n", ["CnryEnv13"]),
    "a var item written as a quoted mapping": (
        HEAD + "      vars:\n        - 'DB_PASSWORD: CnryItem40'\n",
        ["CnryItem40"],
    ),
    "a var item written as a list": (  # hunt 148 F1: square brackets for curly ones, or a pair
        HEAD + "      vars:\n        - [name: DB_PASSWORD, value: CnryItem46]\n        - [API_KEY, CnryItem47]\n",
        ["CnryItem46", "CnryItem47"],
    ),
    "key/value items": (
        HEAD + "      vars:\n        - key: SMTP_PASSWORD\n          value: CnryItem14\n"
        "        - name: API_KEY\n          value: CnryItem15\n",
        ["CnryItem14", "CnryItem15"],
    ),
    "duplicated key, first value": (with_vars("DB_PASSWORD: CnryDup16", "DB_PASSWORD: ${DB_PASSWORD}"), ["CnryDup16"]),
    "duplicated key, quoted first value": (
        with_vars('DB_PASSWORD: "CnryDup17"', "HOST: x", "DB_PASSWORD: other"),
        ["CnryDup17"],
    ),
    "shell default": (
        with_vars("DB_PASSWORD: ${DB_PASSWORD:-CnryDefault18}", "X: ${API_KEY:-CnryDefault19}"),
        ["CnryDefault18", "CnryDefault19"],
    ),
    "digits in NX005": (with_vars("DB_PASSWORD: 0042867530918"), ["0042867530918", "42867530918"]),
    "GitHub token under any name": (with_vars(f"HELPER: {token('ghp_', 'Gh')}"), [token("ghp_", "Gh")]),
    "GitHub fine-grained token": (with_vars(f"HELPER: {token('github_pat_', 'Fg')}"), [token("github_pat_", "Fg")]),
    "GitLab token": (with_vars(f"HELPER: {token('glpat-', 'Gl', 24)}"), [token("glpat-", "Gl", 24)]),
    "Stripe key": (with_vars(f"HELPER: {token('sk_live_', 'St', 24)}"), [token("sk_live_", "St", 24)]),
    "Slack token": (with_vars(f"HELPER: {token('xoxb-', 'Sl', 24)}"), [token("xoxb-", "Sl", 24)]),
    "AWS access key": (with_vars("HELPER: AKIACNRYAWS000000001"), ["AKIACNRYAWS000000001"]),
    # hunt 35 F9: the AI platforms' keys under neutral names were shown and sent to /validate
    "OpenAI key": (with_vars(f"LLM: {token('sk-proj-', 'Oa')}"), [token("sk-proj-", "Oa")]),
    "Anthropic key": (with_vars(f"LLM: {token('sk-ant-api03-', 'An')}"), [token("sk-ant-api03-", "An")]),
    "Groq key": (with_vars(f"LLM: {token('gsk_', 'Gq', 52)}"), [token("gsk_", "Gq", 52)]),
    "SendGrid key": (with_vars(f"MAIL: SG.{token('', 'Sg', 22)}.{token('', 'Sh', 43)}"), [token("", "Sh", 43)]),
    # hunt 44 F1: base64 has `/` too: a key that starts with one is no file path
    "a base64 key starting with a slash": (with_vars("JWT_SECRET: /k8Jd+93hQ/CnryB64x78"), ["CnryB64x78"]),
    # hunt 44 F3: the comment after a var item's secret, as after a mapping's
    "a secret written after a `#` in a var item": (
        HEAD + "      vars:\n        - DB_PASSWORD=correct #CnryHash79\n        - X=1\n      volumes: {}\n",
        ["CnryHash79"],
    ),
    # hunt 41 F4: a var set in its own key was starred under vars only
    "a var set in its own key outside vars": (
        HEAD + '      "API_KEY: CnryKey76": x\n',
        ["CnryKey76", "cnrykey76", "CNRYKEY76"],
    ),
    # a var's name, a blank, then its value, for a missing colon: NX104 quoted the whole name
    "a var name with its value after a blank": (
        with_vars("DB_PASSWORD CnryBlank80: x", "API_TOKEN\tCnryBlank81: y"),
        ["CnryBlank80", "CnryBlank81"],
    ),
    # hunt 82 F3: a tab (quoted as `\t` by NX104), and the list forms
    "a var name with its value after a tab": (with_vars("DB_PASSWORD\tCnryBlank82: x"), ["CnryBlank82"]),
    # hunt 83 F1, F2, F5: a one-key item of a vars list, the Kubernetes `name:` form, other blanks
    "a vars list item's own key with its value after a blank": (
        HEAD + "      vars:\n        - DB_PASSWORD CnryBlank85: x\n        - name: API_TOKEN CnryBlank86\n"
        "          value: b\n      volumes: {}\n",
        ["CnryBlank85", "CnryBlank86"],
    ),
    # hunt 84 F1: under a misspelt `varz:`, and in a list inside vars
    "a misspelt vars list item with its value after a blank": (
        HEAD + "      varz: [DB_PASSWORD CnryBlank89]\n      vars:\n        - - SECRET_KEY CnryBlank90\n",
        ["CnryBlank89", "CnryBlank90"],
    ),
    # hunt 84 F3: the name key of an item without a `value:` line, and `var:` with one
    "a vars list item's name key with its value after a blank, without a value": (
        HEAD + "      vars:\n        - key: SECRET_KEY CnryBlank91\n        - name: API_TOKEN CnryBlank92\n"
        "        - var: DB_PASSWORD CnryBlank93\n          value: x\n      volumes: {}\n",
        ["CnryBlank91", "CnryBlank92", "CnryBlank93"],
    ),
    # hunt 85 F1: an `env:` holding vars beside `value:` is still read as vars
    "a mapping of vars under env beside a value": (
        HEAD + "      vars:\n        - env: {STRIPE_SECRET_KEY CnryBlank94: 1, LOG_LEVEL: debug}\n"
        "          value: x\n      volumes: {}\n",
        ["CnryBlank94"],
    ),
    # hunt 85 F2: a lone `env:` item, and vars given as one string
    "a lone env item and a vars string with a value after a blank": (
        HEAD + "      vars:\n        - env: STRIPE_SECRET_KEY CnryBlank95\n      volumes: {}\n"
        "    - name: api\n      image: nginx:1.27\n      vars: DB_PASSWORD CnryBlank96\n",
        ["CnryBlank95", "CnryBlank96"],
    ),
    # hunt 85 F3: a repeated name key: the earlier copy is as secret as the held one
    "a repeated name key of a vars item": (
        HEAD + "      vars:\n        - {name: STRIPE_SECRET_KEY CnryBlank97, name: STRIPE_SECRET_KEY x12345}\n"
        "        - {key: API_TOKEN CnryBlank98, key: API_TOKEN y12345, value: x}\n      volumes: {}\n",
        ["CnryBlank97", "CnryBlank98"],
    ),
    # hunt 88 F1: a repeated vars key's earlier copy, whose items the held data does not have
    "name keys of vars items in a repeated vars key's earlier copy": (
        HEAD + "      vars:\n        - {key: SECRET_TOKEN CnryBlank99, value: yes}\n"
        "        - {name: API_KEY CnryBlank100, other: on}\n      vars:\n        X: z\n",
        ["CnryBlank99", "CnryBlank100"],
    ),
    # hunt 88 F2: beside another key than `value`
    "a vars item's name key beside a description": (
        HEAD + "      vars:\n        - key: DB_PASSWORD CnryBlank101\n          description: the password\n"
        "        - name: API_KEY CnryBlank102\n          description: the key\n      volumes: {}\n",
        ["CnryBlank101", "CnryBlank102"],
    ),
    # hunt 88 F3: on a later line of a vars string, after an `API_KEY=` line
    "a var name with its value after a blank on a later line of a vars string": (
        HEAD + "      vars: |\n        LOG_LEVEL debug\n        API_KEY=CnryBlank103\n"
        "        DB_PASSWORD CnryBlank104\n",
        ["CnryBlank103", "CnryBlank104"],
    ),
    # hunt 91 F1: a pod's `env:` string (vars misspelt) is no var item's name
    "a pod's env string": (
        HEAD + "      env: |\n        LOG_LEVEL: debug\n        DB_PASSWORD: CnryEnv105\n"
        "      vars:\n        - key: MODE\n          value: prod\n",
        ["CnryEnv105"],
    ),
    # hunt 91 F4: a vars list item of several lines, `NAME: value` on its second line
    "a vars list item of several lines": (
        HEAD + "      vars:\n        - |\n          LOG=1\n          DB_PASSWORD: CnryItem106\n"
        '        - "DB_PASSWORD: CnryItem107"\n',
        ["CnryItem106", "CnryItem107"],
    ),
    # hunt 92 F1: a `,` or `;` that no entry follows is the value's own
    "a password with a comma and a semicolon in a vars string": (
        HEAD + '      vars: "LOG=debug, DB_PASSWORD=Cnry108,part;Cnry109"\n',
        ["Cnry108", "Cnry109"],
    ),
    # hunt 92 F2: `id:`, `key:`, `variable:` name a var beside a pod's, a volume's or a port's keys
    "a name key with its value after a blank beside a port's keys": (
        HEAD.replace("servicePorts: [80]", "servicePorts:\n        - {id: STRIPE_API_KEY Cnry110, port: 80}"),
        ["Cnry110"],
    ),
    # hunt 93 F1: a vars item's `key: |` block, and an item of a misspelt `varz:`, line by line
    "later lines of a key block and of a misspelt vars list's item": (
        HEAD + "      vars:\n        - key: |\n            NODE_ENV=production\n            API_TOKEN Cnry111\n"
        "          value: x\n      varz:\n        - |\n          LOG_LEVEL=debug\n          DB_PASSWORD Cnry112\n",
        ["Cnry111", "Cnry112"],
    ),
    # hunt 94 F1: a value with blanks, or over lines, in a vars list's item of several lines
    "a password with blanks and a credential over lines in vars items": (
        HEAD + "      vars:\n        - |\n          DB_PASSWORD=Cnry113 horse Cnry114\n"
        '        - |\n          GOOGLE_CREDENTIALS={\n            "client_email": "Cnry115@x.io"\n          }\n',
        ["Cnry113", "Cnry114", "Cnry115"],
    ),
    # hunt 94 F2: `;` in a value of a flow mapping written as a string, an INI header first
    "a semicolon inside a value of a flow string": (
        HEAD + "      vars: '{DB_PASSWORD: hunter;Cnry116}'\n    - name: api\n      image: nginx:1.27\n"
        '      vars: "[database]\\nDB_PASSWORD=pa,ss;Cnry117"\n',
        ["Cnry116", "Cnry117"],
    ),
    # hunt 95 F1: a PEM key's header lines, and an htpasswd line, go on with the value before them
    "an encrypted private key and an htpasswd line in vars items": (
        HEAD + "      vars:\n        - |\n          SSH_PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY-----\n"
        "          Proc-Type: 4,ENCRYPTED\n          DEK-Info: AES-128-CBC,CNRY118\n\n"
        "          MIIEpAIBAAKCAQEAcnry119\n          -----END RSA PRIVATE KEY-----\n"
        "        - |\n          HTPASSWD=user1:$apr1$Cnry120\n          user2:$apr1$Cnry121\n",
        ["CNRY118", "cnry119", "Cnry120", "Cnry121"],
    ),
    # hunt 95 F2: the blank form in a list under a key no vars word names
    "a var name with its value after a blank in a list under another key": (
        HEAD + "      environmentVariables:\n        - DB_PASSWORD Cnry122\n      extraEnv: [API_TOKEN Cnry123]\n",
        ["Cnry122", "Cnry123"],
    ),
    # hunt 95 F3: a `;` or `,` before a blank, outside JSON and flow text
    "a value going on after a semicolon and a blank": (
        HEAD + '      vars: "DB_PASSWORD=abc; Cnry124"\n    - name: api\n      image: nginx:1.27\n'
        "      vars: 'API_KEY=def, Cnry125'\n",
        ["Cnry124", "Cnry125"],
    ),
    # hunt 96 F1: an `env:` string in a list item holds vars, whatever the item's other keys
    "an env string in a pod without an image": (
        HEAD.replace("      image: nginx:1.27\n", "")
        + "      env: |\n        LOG_LEVEL: debug\n        redis_password: Cnry126\n"
        '    - name: api\n      Image: nginx:1.27\n      env: "LOG=debug,DB_PASSWORD=Cnry127 Cnry128"\n',
        ["Cnry126", "Cnry127", "Cnry128"],
    ),
    # hunt 96 F2: a secret part inside another (a quoted value over lines in a vars string)
    "a quoted credential over lines in a vars string": (
        HEAD + '      vars: |\n        NETRC_CREDENTIALS="machine a login u password Cnry129\n'
        '        DB_PASSWORD Cnry130\n        end"\n',
        ["Cnry129", "Cnry130"],
    ),
    # hunt 96 F3: a jq path's value ran on over a token after it
    "a token after a jq path with a comma": (
        HEAD + '      command: "jq -n \'{password: .p,.q|{\\"token\\":\\"Cnry131x\\"}}\'"\n',
        ["Cnry131x"],
    ),
    # hunt 97 F2: a string literal after a jq path (a fallback, a branch)
    "a string literal in a jq expression": (
        HEAD + '      command: "jq -n \'{password: env.PW // \\"Cnry132\\",'
        ' token: (if .a then \\"Cnry133\\" else .b end)}\'"\n',
        ["Cnry132", "Cnry133"],
    ),
    # hunt 102 F2: a jq filter over lines in a block, a call's later argument, an array's item
    "string literals of a jq filter over lines": (
        HEAD + '      command: |\n        jq -n \'{password: (if env.A then env.A\n          else "Cnry134" end),'
        ' token: (env.T | sub("^$"; "Cnry135")), key: ([env.K, "Cnry136"] | first)}\'\n',
        ["Cnry134", "Cnry135", "Cnry136"],
    ),
    # hunt 105 F1: a top-level `whole:` key took the place of the secret cache's own key for a
    # whole secret's ranges, and NX208 quoted the password it names as a pod
    "a pod reference in a whole secret beside a top-level key named whole": (
        HEAD.replace(
            "application:",
            "whole:\n  application:\n    pods:\n      - vars:\n          - key: DB_URL\n"
            '            value: "postgres://u:Cnry137@db:5432/x"\napplication:',
            1,
        )
        + '      vars:\n        - key: DB_PASSWORD\n          value: "Cnry138.pod"\n',
        ["Cnry137", "Cnry138"],
    ),
    "a var name with its value after a no-break space": (
        with_vars("DB_PASSWORD\u00a0CnryBlank87: x", "API_TOKEN\u3000CnryBlank88: y"),
        ["CnryBlank87", "CnryBlank88"],
    ),
    "a vars list item with its value after a blank": (
        HEAD + "      vars:\n        - key: DB_PASSWORD CnryBlank83\n          value: x\n"
        "        - API_TOKEN CnryBlank84\n      volumes: {}\n",
        ["CnryBlank83", "CnryBlank84"],
    ),
    # hunt 41 F2: a secret that starts with `#` (or holds ` #`) is a comment to YAML, still the secret
    "a secret written after a `#`": (
        with_vars("DB_PASSWORD: #CnryHash74", "API_TOKEN: correct horse #CnryHash75", "X: 1"),
        ["CnryHash74", "CnryHash75"],
    ),
    # a chat webhook's URL is its credential (anyone holding it can post)
    "Slack webhook URL": (
        with_vars(f"NOTIFY: https://hooks.slack.com/services/T0CNRY001/B0CNRY002/{token('', 'Sw', 24)}"),
        ["T0CNRY001/B0CNRY002", token("", "Sw", 24)],
    ),
    "Discord webhook URL": (
        with_vars(f"ALERTS: https://discord.com/api/webhooks/123456789012345678/{token('', 'Dw', 68)}"),
        ["123456789012345678", token("", "Dw", 68)],
    ),
    "private key under any name": (
        HEAD + "      volumes: []\n      command:\n        - |\n"
        "          -----BEGIN EC PRIVATE KEY-----\n          CnryPem20\n"
        "          -----END EC PRIVATE KEY-----\n",
        ["CnryPem20"],
    ),
    "secrets item": (
        HEAD + "      secrets:\n        - name: s\n          data: CnryData21\n"
        "          extra: CnryData22\n          mountPath: /s\n          fileName: f\n",
        ["CnryData21", "CnryData22"],
    ),
    "block scalar": (with_vars("TLS_KEY: |", "  CnryBlock23", "  CnryBlock24"), ["CnryBlock23", "CnryBlock24"]),
    "multi-line quoted": (with_vars('API_KEY: "CnryQuote25', '  CnryQuote26"'), ["CnryQuote25", "CnryQuote26"]),
    "alias of a secret": (
        HEAD.replace("  name: leaky\n", "  name: leaky\n  x-anchor: &pw CnryAlias27\n")
        + "      vars:\n        DB_PASSWORD: *pw\n",
        ["CnryAlias27"],
    ),
    # found by the property test: the secret's anchor repeated where the schema quotes a value
    "secret repeated by an alias where a message quotes it": (
        HEAD + "      vars:\n        DB_PASSWORD: &pw CnryAlias40\n    - *pw\n",
        ["CnryAlias40"],
    ),
    "secret repeated by an alias as a pod's name and image": (
        HEAD + "      vars:\n        DB_PASSWORD: &pw CnryAlias42\n    - name: *pw\n      image: *pw\n",
        ["CnryAlias42"],
    ),
    "a pod named by a URL with its password": (
        HEAD + "    - name: postgres://u:CnryPodUrl43@db.pod/x\n      image: nginx:1.27\n",
        ["CnryPodUrl43", "cnrypodurl43"],
    ),
    "huge hex number": (with_vars("DB_PASSWORD: 0x" + "c" * 4000), ["c" * 60]),
    # found by a leak hunt: an alias of a secret as a mapping key is in messages, paths, the payload
    "secret repeated by an alias as a pod's key": (
        HEAD + "      vars:\n        DB_PASSWORD: &pw CnryKey44\n      *pw : x\n",
        ["CnryKey44", "cnrykey44", "CNRYKEY44"],
    ),
    "secret repeated by an alias as a var name": (
        HEAD + "      vars:\n        DB_PASSWORD: &pw CnryKey45.v1\n        *pw : x\n",
        ["CnryKey45", "cnrykey45", "CNRYKEY45"],
    ),
    "registry token repeated by an alias as an image": (
        HEAD.replace(
            "  pods:\n",
            "  registryLogin:\n    registry: ghcr.io\n    username: me\n"
            "    personalAccessToken: &t ghcr.io/CnryShared46/x:1\n  pods:\n",
        ).replace("      image: nginx:1.27\n", "      image: *t\n"),
        ["CnryShared46"],
    ),
    "token in a suppression comment": (
        HEAD + f"# nexlayer-lint: disable={token('ghp_', 'Sup')}\n# nexlayer-lint: disable {token('ghp_', 'Sp2')}\n",
        [token("ghp_", "Sup"), token("ghp_", "Sp2")],
    ),
    "a key/value item whose key is repeated": (
        HEAD + "      vars:\n        - key: DB_PASSWORD\n          value: CnryRepeat49\n          key: X_NAME\n",
        ["CnryRepeat49"],
    ),
    "a var item under a misspelt key, and a command's": (
        HEAD + "      varz:\n        - DB_PASSWORD=CnryVarz50\n"
        '      command: ["sh", "-c", "PGPASSWORD=CnryCmd51 psql", "--api-key=CnryArg52"]\n',
        ["CnryVarz50", "CnryCmd51", "CnryArg52"],
    ),
    # the second leak hunt
    "a secret assigned in a directive": (
        HEAD + "# nexlayer-lint: enable DB_PASSWORD=CnryDir60\n# nexlayer-lint: disable=DB_PASSWORD=CnryDir61\n",
        ["CnryDir60", "CnryDir61"],
    ),
    "a URL with its password repeated by an alias as a key": (
        HEAD + "      vars:\n        DATABASE_URL: &u postgres://u:CnryUrlKey62@h/x\n        *u : x\n",
        ["CnryUrlKey62", "cnryurlkey62", "CNRYURLKEY62"],
    ),
    "a secret of short words repeated by an alias as a var name": (
        HEAD + "      vars:\n        DB_PASSWORD: &a Cn1.Ry2.Sw3.Ds4.Aa63\n        *a : x\n",
        ["Cn1.Ry2.Sw3.Ds4.Aa63", "Cn1_Ry2_Sw3_Ds4_Aa63", "cn1_ry2_sw3_ds4_aa63", "cn1-ry2-sw3-ds4-aa63"],
    ),
    "a command written as one string": (
        HEAD + '      command: "PGPASSWORD=CnryCmd64 psql -h db --api-key=CnryCmd71"\n',
        ["CnryCmd64", "CnryCmd71"],
    ),
    "a second document after bare CRs": (
        (HEAD + "--- {DB_PASSWORD: CnryDocCr65}\n").replace("\n", "\r"),
        ["CnryDocCr65"],
    ),
    "a second document as a block": (HEAD + "--- |\n  DB_PASSWORD=CnryDocBlock66\n", ["CnryDocBlock66"]),
    "a private key commented out with a blank line in it": (
        HEAD.replace("servicePorts", "servicePort")
        + "# -----begin private key-----\n\n# CnryPemBlank67\n# -----END PRIVATE KEY-----\n",
        ["CnryPemBlank67"],
    ),
    "a key/value item with its key and its value repeated": (
        HEAD + "      vars:\n        - key: DB_PASSWORD\n          value: CnryRepeat68\n"
        "          value: y\n          key: X_NAME\n",
        ["CnryRepeat68"],
    ),
    "an assignment in any string": (
        HEAD + '      note: "DB_PASSWORD=CnryAny69 ./run"\n' + "      dsn: host=db password=CnryAny72\n",
        ["CnryAny69", "CnryAny72"],
    ),
    "second document on the --- line": (HEAD + "--- {DB_PASSWORD: CnryDoc47}\n", ["CnryDoc47"]),
    "private key commented out line by line": (
        HEAD.replace("servicePorts", "servicePort")
        + "# -----BEGIN PRIVATE KEY-----\n# CnryPemComment48\n# -----END PRIVATE KEY-----\n",
        ["CnryPemComment48"],
    ),
    # the third leak hunt: a secret-shaped key, an unencoded URL password, a secret option's value
    # (a message shortens a key longer than 40 characters: its first characters are canaries too)
    "a token as a pod's key": (HEAD + f"      {token('ghp_', 'Key', 44)}: x\n", [token("ghp_", "Key", 44)[:20]]),
    "a token as a var's name": (with_vars(f"{token('glpat-', 'Kv', 24)}: x"), [token("glpat-", "Kv", 24)]),
    # hunt 31 F7: NX104's did-you-mean rewrote the key `AUTH_:x` as `AUTH__x`, its secret inside a word
    "a secret after a var name's colon": (with_vars("AUTH_:CnryKeyColon31: x"), ["CnryKeyColon31"]),
    "a token as a repeated key": (
        HEAD + f"      {token('ghp_', 'Rk', 50)}: 1\n      {token('ghp_', 'Rk', 50)}: 2\n",
        [token("ghp_", "Rk", 50)[:20]],
    ),
    "a URL with its password as a quoted key": (with_vars('"postgres://u:CnryKeyUrl80@h/x": y'), ["CnryKeyUrl80"]),
    "a secret assigned in a key": (HEAD + "      DB_PASSWORD=CnryKeyAssign81: x\n", ["CnryKeyAssign81"]),
    "a long secret repeated by an alias as a key": (
        HEAD + "      vars:\n        DB_PASSWORD: &pw CnryLongAlias92abcdefghijklmnopqrstuvwxyz\n      *pw : x\n",
        ["CnryLongAlias92", "cnrylongalias92", "CNRYLONGALIAS92"],
    ),
    "a URL password with / # ? and a space": (
        with_vars("DATABASE_URL: postgres://user:Cnry/Url#82?x y@db:5432/app", "DEBUG: on"),
        ["Cnry", "Url#82"],
    ),
    "a secret option's value in a command list": (
        HEAD + '      command: ["app", "--password", "CnryOpt84", "--port", "80"]\n',
        ["CnryOpt84"],
    ),
    "a secret option's value in a block list": (
        HEAD + "      args:\n        - --db-password\n        - CnryOpt85\n        - --verbose\n",
        ["CnryOpt85"],
    ),
    "a secret option's value in a command string": (
        HEAD + "      command: \"app --api-key CnryOpt86 --secret 'CnryOpt87 x' --port 80\"\n",
        ["CnryOpt86", "CnryOpt87"],
    ),
    "a private key commented out in a second document": (
        with_vars("DEBUG: on")
        + "---\n# -----BEGIN RSA PRIVATE KEY-----\n# CnryPemDoc91\n# -----END RSA PRIVATE KEY-----\n",
        ["CnryPemDoc91"],
    ),
    # the fourth leak hunt: mysql's attached password, vars as one string, a misspelt `value`
    # and `secrets` (the option's name is quoted in messages: it must not be read from the value)
    "an attached -p password in a command string": (
        HEAD + '      command: "mysql -uroot -pCnrySecret94 shopdb"\n',
        ["CnrySecret94"],
    ),
    "an attached -p password in a command list": (
        HEAD + "      command: [mysql, -uroot, -pCnrySecret95, shopdb]\n",
        ["CnrySecret95"],
    ),
    "vars as one NAME:value string": (HEAD + "      vars:\n        DB_PASSWORD:CnryVars96\n", ["CnryVars96"]),
    "vars as one quoted NAME: value string": (
        HEAD + '      vars: "DB_PASSWORD: CnryVars97"\n',
        ["CnryVars97"],
    ),
    "a key/value item with its value key misspelt": (
        HEAD + "      vars:\n        - name: DB_PASSWORD\n          Value: CnryValue98\n"
        "        - key: API_TOKEN\n          valeu: CnryValue99\n"
        "        - name: SECRET_KEY\n          val: CnryValue100\n",
        ["CnryValue98", "CnryValue99", "CnryValue100"],
    ),
    "secrets spelt with a capital": (
        HEAD + "      Secrets:\n        - name: db\n          data: CnryFile101\n          mountPath: /etc/db\n",
        ["CnryFile101"],
    ),
    "secrets misspelt": (
        HEAD + "      secrtes:\n        - name: db\n          data: CnryFile102\n          mountPath: /etc/db\n",
        ["CnryFile102"],
    ),
    "names the fourth hunt found": (
        with_vars(
            "SECRETKEY: CnryName106",
            "DBPASS: CnryName107",
            "APP_SECRETS: CnryName108",
            'DB_CONN: "Server=db;Uid=sa;Pwd=CnryName109;"',
            'DB_CONN2: "Server=db;Password = CnryName110;"',
            "AUTHORIZATION: Bearer CnryName111",
        ),
        ["CnryName106", "CnryName107", "CnryName108", "CnryName109", "CnryName110", "CnryName111"],
    ),
    # files that do not parse, each broken on the line that holds the secret
    # hunt 41 F1, F3: a secret that starts like a block scalar's header, or goes on after its quote
    "broken: a secret after a block scalar's indicator": (
        with_vars("DB_PASSWORD: >CnryHeader70x")
        + "      secrets:\n        - name: s\n          data: |-CnryHeader71\n",
        ["CnryHeader70x", "CnryHeader71"],
    ),
    "broken: text after a secret's closing quote and a blank": (
        with_vars('DB_PASSWORD: "CnryQuote72" CnryTail73"'),
        ["CnryQuote72", "CnryTail73"],
    ),
    "broken: quoted key": (HEAD + '      vars:\n        "DB_PASSWORD": CnryBroken28: x\n', ["CnryBroken28"]),
    "broken: key starting with a digit": (
        HEAD + "      vars:\n        2FA_SECRET: CnryBroken29: x\n",
        ["CnryBroken29"],
    ),
    "broken: flow mapping without spaces": (HEAD + "      vars: {DB_PASSWORD:CnryBroken30,X: [}\n", ["CnryBroken30"]),
    "broken: multi-line quoted": (
        HEAD + '      vars:\n        DB_PASSWORD: "CnryBroken31\n  CnryBroken32',
        ["CnryBroken31", "CnryBroken32"],
    ),
    "broken: URL": (
        HEAD + "      vars:\n        DATABASE_URL: postgres://u:CnryBroken33@db.pod/x: y\n",
        ["CnryBroken33"],
    ),
    "broken: token": (HEAD + f"      command: [{token('ghp_', 'Br')}: x\n", [token("ghp_", "Br")]),
    "broken: registryLogin": (
        "application:\n  registryLogin:\n    registry: r\n    token: CnryBroken34: x\n",
        ["CnryBroken34"],
    ),
    "broken: secrets item": (
        HEAD + "      secrets:\n        - name: s\n          data: CnryBroken35: x\n",
        ["CnryBroken35"],
    ),
    "broken: a var item read as a key": (
        HEAD + "      vars:\n        - DB_PASSWORD=CnryBroken41: [\n",
        ["CnryBroken41"],
    ),
    "broken: value before its key": (
        HEAD + "      vars: [{value: CnryBroken36, key: DB_PASSWORD}]]\n",
        ["CnryBroken36"],
    ),
    # the parser's messages and hints quote the text where it stopped, but never a secret's
    "broken: a secret starting with @": (HEAD + "      vars:\n        DB_PASSWORD: @CnryBroken37\n", ["CnryBroken37"]),
    "broken: a secret read as an alias": (HEAD + "      vars:\n        API_TOKEN: *CnryBroken38\n", ["CnryBroken38"]),
    "broken: an assignment in a command list": (
        HEAD + '      command: ["PGPASSWORD=CnryBroken70 psql", [\n',
        ["CnryBroken70"],
    ),
    "broken: a secret's plain value going on in a flow": (
        HEAD + "      vars: {DB_PASSWORD: CnryBroken73\n        CnryBroken74, X: [\n",
        ["CnryBroken73", "CnryBroken74"],
    ),
    "broken: a URL starting with a backtick": (
        HEAD + "      vars:\n        DB: `pg://u:CnryBroken39@h/d`\n",
        ["CnryBroken39"],
    ),
    # found by a leak hunt: broken on the secret's line, in shapes the line-by-line masking misread
    "broken: registryLogin as a scalar": (
        HEAD.replace("  pods:\n", "  registryLogin: CnryBroken50: x\n  pods:\n"),
        ["CnryBroken50"],
    ),
    "broken: secrets as a scalar": (HEAD + "      secrets: CnryBroken51: x\n", ["CnryBroken51"]),
    "broken: a secret's plain value going on": (
        HEAD + "      vars:\n        DB_PASSWORD: abc\n          CnryBroken52 : x\n",
        ["CnryBroken52"],
    ),
    "broken: a var commented out in an unclosed flow": (
        HEAD + "      vars: [\n        # API_KEY: CnryBroken53\n",
        ["CnryBroken53"],
    ),
    "broken: value before its key, on the value's line": (
        HEAD + "      vars:\n        - value: CnryBroken54: x\n          key: API_KEY\n",
        ["CnryBroken54"],
    ),
    "broken: a URL password with a slash and a space": (
        HEAD + "      vars:\n        DATABASE_URL: postgres://u:Cnry/Broken83 x@db/app: y\n",
        ["Cnry", "Broken83"],
    ),
    "broken: a secret option's value in a command list": (
        HEAD + '      command: ["app", "--token", "CnryBroken88", [\n',
        ["CnryBroken88"],
    ),
    "broken: a secret option's value in a block list": (
        HEAD + "      args:\n        - --token\n        - CnryBroken89: x: y\n",
        ["CnryBroken89"],
    ),
    "broken: a private key commented out line by line": (
        HEAD + "      vars: [\n# -----BEGIN RSA PRIVATE KEY-----\n# CnryPemBroken90\n",
        ["CnryPemBroken90"],
    ),
    # found by the fourth leak hunt: a secret inside a value whose text is not its value
    "a URL password before an escaped @": (with_vars('DB_URL: "postgres://u:CnryEsc101\\x40db/x"'), ["CnryEsc101"]),
    "a URL password before a unicode-escaped @": (
        with_vars('DB_URL: "postgres://u:CnryEsc102\\u0040db/x"'),
        ["CnryEsc102"],
    ),
    "a token with an escaped letter": (
        HEAD + '      command: "gh\\x70_' + "CnryEsc103" * 4 + '"\n',
        ["CnryEsc103"],
    ),
    "an assignment with an escaped =": (
        HEAD + '      command: "PGPASSWORD\\x3dCnryEsc104 psql -h db"\n',
        ["CnryEsc104"],
    ),
    "a default behind an escaped $": (with_vars('GREETING: "\\x24{DB_PASSWORD:-CnryEsc105}"'), ["CnryEsc105"]),
    "a private key behind an escaped space": (
        with_vars('TLS: "-----BEGIN\\x20RSA PRIVATE KEY-----\\nCnryEsc106\\n-----END RSA PRIVATE KEY-----"'),
        ["CnryEsc106"],
    ),
    "a secret option's value after an escaped space": (
        HEAD + '      command: "app --password\\x20CnryEsc107 --port 80"\n',
        ["CnryEsc107"],
    ),
    "a reference closed by an escaped brace": (with_vars('DB_PASSWORD: "${A\\x7dCnryEsc108}"'), ["CnryEsc108"]),
    "a token key with an escaped letter": (
        HEAD + '      "gh\\x70_' + "CnryEsc109" * 4 + '": x\n',
        ["CnryEsc109"],
    ),
    "a URL password split by a line continuation": (
        with_vars('DB_URL: "postgres://u:CnryCont110\\', '  CnryCont111@db/x"'),
        ["CnryCont110", "CnryCont111"],
    ),
    "a URL password before a folded plain line": (
        with_vars("CACHE_URL: redis://u:CnryFold112", "  @cache:6379"),
        ["CnryFold112"],
    ),
    "a URL password folded over two plain lines": (
        with_vars("CACHE_URL: redis://u:CnryFold113", "  CnryFold114@cache:6379"),
        ["CnryFold113", "CnryFold114"],
    ),
    "a URL password before a folded quoted line": (
        with_vars('CACHE_URL: "redis://u:CnryFold115', '  @cache:6379"'),
        ["CnryFold115"],
    ),
    "a URL password in a folded block": (
        with_vars("CACHE_URL: >", "  redis://u:CnryFold116", "  @cache:6379"),
        ["CnryFold116"],
    ),
    # found by the fifth leak hunt: a string given for vars, its secret pair not the first
    "a vars string in flow style": (HEAD + '      vars: "{A: 1, DB_PASSWORD: CnryVars1}"\n', ["CnryVars1"]),
    "a vars string as JSON": (HEAD + '      vars: \'{"A": "1", "API_KEY": "CnryVars2,x"}\'\n', ["CnryVars2"]),
    "a vars block string": (HEAD + "      vars: |\n        A: 1\n        DB_PASSWORD: CnryVars3\n", ["CnryVars3"]),
    # found by the fifth leak hunt: base64's `==` read as `NAME=`, the name (the secret) quoted by NX213
    "base64 padding after a secret-looking text": (
        with_vars('HDR: "Authorization: Basic CnrySecretB64x=="', "DB_PASSWORD: x1y2z3"),
        ["CnrySecretB64x", "CNRYSECRETB64X"],
    ),
    # found by the fifth leak hunt: an item's `Name:` in another case, as a misspelt `Value:` is read
    "an item's name key capitalised": (
        HEAD + "      vars:\n        - Name: DB_PASSWORD\n          Value: CnryItem1\n",
        ["CnryItem1"],
    ),
    # an item with both: either naming a secret is enough, whichever comes first
    "an item whose name, not its key, is secret": (
        HEAD + "      vars:\n        - key: FOO\n          name: DB_PASSWORD\n          value: CnryItem3\n",
        ["CnryItem3"],
    ),
    "an item's key key capitalised": (
        HEAD + "      vars:\n        - KEY: API_TOKEN\n          value: CnryItem2\n",
        ["CnryItem2"],
    ),
    # found by the fifth leak hunt: a quoted value after NAME=
    "a quoted PGPASSWORD= in a command": (
        HEAD + "      command: \"PGPASSWORD='CnryQuote1' psql -h db\"\n",
        ["CnryQuote1"],
    ),
    "a DSN's quoted password=": (with_vars("CONN: \"host=db password='CnryQuote2 x' dbname=x\""), ["CnryQuote2"]),
    "a double-quoted assignment": (HEAD + "      command: 'export DB_PASSWORD=\"CnryQuote3\"'\n", ["CnryQuote3"]),
    # found by the seventh leak hunt: a var set inside its own key, as a list item may set one
    "a JSON object in a value": (
        with_vars("""GOOGLE_CONFIG: '{"type": "service_account", "db": {"password": "CnryJson1"}}'"""),
        ["CnryJson1"],
    ),
    "an escaped quote inside a JSON secret": (
        with_vars("""APP_CONFIG: '{"client_secret": "CnryJson2a\\"CnryJson2b", "port": 80}'"""),
        ["CnryJson2a", "CnryJson2b"],
    ),
    "curl's -u user:password": (
        HEAD + '      command: "curl -fsS -u admin:CnryCurl1 https://api/health"\n',
        ["CnryCurl1"],
    ),
    "curl's -u item in a list": (
        HEAD + '      command: ["curl", "-u", "admin:CnryCurl2", "https://api"]\n',
        ["CnryCurl2"],
    ),
    # found by the eleventh leak hunt: programs whose short option takes a password
    "redis-cli's -a, sshpass's -p, a registry login's -p": (
        HEAD
        + '      command: "redis-cli -a CnryProg1 ping && sshpass -p CnryProg2 ssh x && docker login -p CnryProg3 r"\n',
        ["CnryProg1", "CnryProg2", "CnryProg3"],
    ),
    "a registry login's -p in a list": (
        HEAD + '      command: ["docker", "login", "-u", "me", "-p", "CnryProg4", "reg.io"]\n',
        ["CnryProg4"],
    ),
    # found by the eleventh leak hunt: a password with a quote in it, and one with a stray line
    # break in it (the file's error), shown after the part YAML read as the value
    "broken: text after a secret's closing quote": (
        with_vars('DB_PASSWORD: "CnryBroken124"CnryBroken125'),
        ["CnryBroken124", "CnryBroken125"],
    ),
    "broken: a stray U+2028 inside a secret": (
        with_vars("DB_PASSWORD: CnryBroken126\u2028CnryBroken127", "X: 1"),
        ["CnryBroken126", "CnryBroken127"],
    ),
    "broken: a stray CR inside a secret": (
        with_vars("DB_PASSWORD: CnryBroken128\rCnryBroken129", "X: 1"),
        ["CnryBroken128", "CnryBroken129"],
    ),
    "broken: redis-cli's -a in a list": (
        HEAD + '      command: ["redis-cli", "-a", "CnryBroken122", "ping"]: x\n',
        ["CnryBroken122"],
    ),
    "broken: a registry login's -p in a block list": (
        HEAD + "      command:\n        - docker\n        - login\n        - -p\n        - `CnryBroken123\n",
        ["CnryBroken123"],
    ),
    # found by the eleventh leak hunt: a password written unquoted that starts with `&` or `!`
    # is an anchor or a tag to YAML, on an empty value (NX103 frames the line)
    "a password read as an anchor": (with_vars("DB_PASSWORD: &CnryAnchor1"), ["CnryAnchor1"]),
    "a password read as a tag": (
        with_vars("DB_PASSWORD: !CnryTag1 rest", "API_KEY: !CnryTag2"),
        ["CnryTag1", "CnryTag2"],
    ),
    # the twelfth leak hunt: command strings
    "a here-string after a secret option": (
        HEAD + '      command: "gh auth login --with-token <<< CnryHere1"\n',
        ["CnryHere1"],
    ),
    "a here-string after a secret option in a list": (
        HEAD + '      command: ["gh", "auth", "login", "--with-token", "<<<", "CnryHere2"]\n',
        ["CnryHere2"],
    ),
    "broken: a here-string after a secret option in a list": (
        HEAD + '      command: ["gh", "--with-token", "<<<", "CnryBroken130"]: x\n',
        ["CnryBroken130"],
    ),
    "a JSON body in a command": (
        HEAD
        + """      command: ["sh", "-c", "curl -d '{\\"password\\":\\"CnryJson1\\"}' http://x"]\n"""
        + """      args: 'curl --data "{\\"api_key\\": \\"CnryJson2\\"}" http://x'\n""",
        ["CnryJson1", "CnryJson2"],
    ),
    "a header named like a secret": (
        HEAD
        + """      command: ["sh", "-c", "curl -H \\"X-Api-Key: CnryHead1\\" http://api"]\n"""
        + """      args: 'wget --header="X-Auth-Token: CnryHead2" http://x'\n""",
        ["CnryHead1", "CnryHead2"],
    ),
    "keytool's and openssl's password options, and more programs' short ones": (
        HEAD
        + '      command: ["sh", "-c", "keytool -list -storepass CnryOpt1 && openssl enc -pass pass:CnryOpt2"]\n'
        + '      args: "sqlcmd -P CnryOpt3; zip -P CnryOpt4 o.zip; ldapsearch -w CnryOpt5; smbclient -U me%CnryOpt6;'
        + ' mysqladmin -u root password CnryOpt7"\n',
        ["CnryOpt1", "CnryOpt2", "CnryOpt3", "CnryOpt4", "CnryOpt5", "CnryOpt6", "CnryOpt7"],
    ),
    "keytool's password option in a list": (
        HEAD + '      command: ["keytool", "-list", "-storepass", "CnryOpt8"]\n',
        ["CnryOpt8"],
    ),
    "a config command's secret key": (
        HEAD
        + '      command: ["sh", "-c", "aws configure set aws_secret_access_key CnryConf1"]\n'
        + '      args: "npm config set //registry.npmjs.org/:_authToken CnryConf2 && git config --global x.token'
        + ' CnryConf3 && yarn config set npmAuthToken CnryConf4"\n',
        ["CnryConf1", "CnryConf2", "CnryConf3", "CnryConf4"],
    ),
    # the fourteenth leak hunt: npm's `set`, options before the key or before `config`, the list form
    "a config command's secret key past options": (
        HEAD
        + "      command: [aws, configure, set, aws_secret_access_key, CnryConf5]\n"
        + '      args: "npm set //r.io/:_authToken CnryConf6; npm config set -g //r.io/:_authToken CnryConf7;'
        + " git config --global --add x.token CnryConf8 && git -C /repo config --file f x.token CnryConf9"
        + ' && yarn config set -H npmAuthToken CnryConf10;true;git config x.token CnryConf11"\n',
        ["CnryConf5", "CnryConf6", "CnryConf7", "CnryConf8", "CnryConf9", "CnryConf10", "CnryConf11"],
    ),
    "a here-string after an option that reads stdin": (
        HEAD
        + '      command: "docker login -u me --password-stdin <<< CnryHere3"\n'
        + "      args: [docker, login, --password-stdin, <<<, CnryHere4]\n",
        ["CnryHere3", "CnryHere4"],
    ),
    # this stop's command hunt: global options before `login`, echo into stdin, a JSON array
    "a login's global options, an echo into stdin, a JSON array": (
        HEAD
        + '      command: "docker -H tcp://h login -p CnryCmd1 r; echo CnryCmd2 | docker login --password-stdin"\n'
        + """      args: 'curl -d "[{\\"password\\": \\"CnryCmd3\\"}]" h'\n"""
        + "      entrypoint: [docker, --config, /x, login, -p, CnryCmd4]\n",
        ["CnryCmd1", "CnryCmd2", "CnryCmd3", "CnryCmd4"],
    ),
    # a command list is its entrypoint's arguments (its NX103 hint joined them into one string)
    "a command list read after its entrypoint": (
        HEAD + "      entrypoint: redis-cli\n      command: [-a, CnryEntry1, ping]\n",
        ["CnryEntry1"],
    ),
    # hunt 66 F2: `env` named the item's var, and NX001's hint quoted its value in every format
    # hunt 69 F8: mysql's attached `-p` in a list, as in a string; after an entrypoint's mysql too
    "a mysql list's attached password": (
        HEAD + "      command: [mysql, -uroot, -pcnrylistpw, appdb]\n      args: [/usr/bin/sshpass, -pcnrylistpass]\n",
        ["cnrylistpw", "cnrylistpass"],  # lower-case letters: without the program, an option's name
    ),
    # hunt 71 F1, F2: a program named as a command string's text names it
    "an attached password after mysqldump or env's mysql, in a list": (
        HEAD
        + "      command: [mysqldump, -uroot, -pcnrydumppw]\n      args: [env, MYSQL_HOST=db, mysql, -pcnryenvpw]\n",
        ["cnrydumppw", "cnryenvpw"],
    ),
    # hunt 73 F1: a list item of two words gives its option's value in the next item, as a shell
    # splits them; NX103's hint joined them and showed it
    "a command list whose item holds a program and its option": (
        HEAD + '      command: ["redis-cli -a", CnryJoin1, ping]\n      args: ["sshpass -p", CnryJoin2, ssh, h]\n',
        ["CnryJoin1", "CnryJoin2"],
    ),
    # hunt 73 F3: a password of digits, unquoted, is a number
    "a number given to a list's password option": (
        HEAD + "      command: [redis-cli, -a, 73519246, ping]\n      args: [sshpass, -p, 86420975, ssh, h]\n",
        ["73519246", "86420975"],
    ),
    "broken: an item named by env": (
        HEAD + "      vars:\n        - ENV: SECRET_KEY\n          value: @CnryEnv2\n",
        ["CnryEnv2"],
    ),
    "broken: a password after an empty quoted string": (
        HEAD + "      entrypoint: 'redis-cli -a ''CnryBroken131'' ping' junk\n",
        ["CnryBroken131"],
    ),
    "broken: a secret header as a list item": (
        HEAD + '      command: [curl, -H, "X-Api-Key: CnryBroken132", h] junk\n',
        ["CnryBroken132"],
    ),
    "broken: a command quoted over two lines": (
        HEAD + '      command: "redis-cli -a\n        CnryBroken133 ping" junk\n',
        ["CnryBroken133"],
    ),
    "a password in SQL, and sqlplus's logon": (
        HEAD
        + """      command: ["psql", "-c", "CREATE USER app WITH PASSWORD 'CnrySql1'"]\n"""
        + """      args: "mysql -e \\"CREATE USER a IDENTIFIED BY 'CnrySql2'\\" && sqlplus scott/CnrySql3@orcl"\n""",
        ["CnrySql1", "CnrySql2", "CnrySql3"],
    ),
    "kubectl's --from-literal beside a --from-file path": (
        HEAD + '      command: "kubectl create secret generic x --from-file=key=/k --from-literal=API_KEY=CnryLit1"\n',
        ["CnryLit1"],
    ),
    # found by the eleventh leak hunt: a var item's value under another word than `value`
    "a var item's value under data or default": (
        HEAD + "      vars:\n        - name: DB_PASSWORD\n          data: CnryItem4\n"
        "        - key: API_TOKEN\n          default: CnryItem5\n",
        ["CnryItem4", "CnryItem5"],
    ),
    # the fifth stop's second hunt: after a separator with no space, continued lines, attached
    "a program's password after ';', over a continued line, attached": (
        HEAD + "      command: |\n        echo;redis-cli -a CnrySep1 ping && docker login -u me \\\n"
        "          -p CnrySep2 reg.io && sqlcmd -S db -PCnrySep3\n",
        ["CnrySep1", "CnrySep2", "CnrySep3"],
    ),
    # the fifth stop's last hunt: command lists judged item by item in a file that does not parse
    "broken: config commands and curl's -u as lists": (
        HEAD + "      command: [git, config, x.token, CnryBroken131]: x\n"
        '      entrypoint: [curl, -u, "a:CnryBroken132"]\n'
        "      args:\n        - aws\n        - configure\n        - set\n        - aws_secret_access_key\n"
        "        - `CnryBroken133\n",
        ["CnryBroken131", "CnryBroken132", "CnryBroken133"],
    ),
    "a Spring-style default": (with_vars("SPRING_DATASOURCE_PASSWORD: ${DB_PASSWORD:CnrySpring1}"), ["CnrySpring1"]),
    "a var set inside its own key": (
        with_vars('"DB_PASSWORD: CnryKeyVar1": ""', '"API_TOKEN=CnryKeyVar2": ""'),
        ["CnryKeyVar1", "CnryKeyVar2"],
    ),
    "broken: an attached -p password": (
        HEAD + '      command: "mysql -pCnryBroken103 shopdb": x\n',
        ["CnryBroken103"],
    ),
    "broken: secrets spelt with a capital": (
        HEAD + "      Secrets:\n        - name: s\n          data: CnryBroken104: x\n",
        ["CnryBroken104"],
    ),
    "broken: a misspelt value": (
        HEAD + "      vars:\n        - name: DB_PASSWORD\n          Value: CnryBroken105: x\n",
        ["CnryBroken105"],
    ),
    # found by the seventh leak hunt: the line-by-line masking of a file that does not parse
    "broken: an item's Name in another case": (
        HEAD + "      vars:\n        - Name: GH_TOKEN\n          value: @CnryBroken110\n",
        ["CnryBroken110"],
    ),
    "broken: an item's KEY in capitals, its value misspelt": (
        HEAD + "      vars:\n        - KEY: DB_PASSWORD\n          vlaue: @CnryBroken111\n",
        ["CnryBroken111"],
    ),
    "broken: an item's name with a comment": (
        HEAD + "      vars:\n        - key: DB_PASSWORD # the db one\n          value: @CnryBroken113\n",
        ["CnryBroken113"],
    ),
    "broken: vars given as one string": (
        HEAD + '      vars: "{A: 1, DB_PASSWORD: CnryBroken114}" x\n',
        ["CnryBroken114"],
    ),
    "broken: an explicit key": (
        HEAD + "      vars:\n        ? DB_PASSWORD\n        : `CnryBroken115\n",
        ["CnryBroken115"],
    ),
    "broken: an anchored value aliased by a secret": (
        HEAD + '      vars:\n        PLAIN: &pw "CnryBroken116" x\n        DB_PASSWORD: *pw\n',
        ["CnryBroken116"],
    ),
    "broken: a quoted var commented out in an unclosed flow": (
        HEAD + '      vars: [\n        # "API_KEY": "CnryBroken117"\n',
        ["CnryBroken117"],
    ),
    "broken: a secret's value commented out under its key": (
        HEAD + "      vars: [\n        # API_KEY: >-\n        #   CnryBroken121\n",
        ["CnryBroken121"],
    ),
    # hunt 22: a token pasted where a reference's name goes, under a secret's name; a template
    # in a secret's default, which NX205 quoted
    "a token as a reference's name": (
        with_vars(
            "CI_TOKEN: ${ghp_CnryRef122CnryRef122CnryRef122CnryRef122:-x}",
            "CI2_TOKEN: ${ghp_CnryRef123CnryRef123CnryRef123CnryRef123}",
            "DB_PASSWORD: ${AKIACNRYREF124XY2K9L:-changeme}",
        ),
        ["CnryRef122", "CnryRef123", "CNRYREF124"],
    ),
    "a template in a secret's default": (with_vars("API_TOKEN: ${API_TOKEN:-<%CnryTpl125%>}"), ["CnryTpl125"]),
}
BROKEN = {name for name in SHAPES if name.startswith("broken")}


def assert_absent(output: str, canaries: list[str], where: str) -> None:
    for canary in canaries:
        assert canary not in output, f"{canary!r} leaked through {where}"
        assert json.dumps(canary)[1:-1] not in output, f"{canary!r} leaked, escaped, through {where}"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["check", *args], input=stdin, catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_parses_as_meant_and_is_framed(name: str) -> None:
    """The table is worth something only if each file parses (or not) as its name says, the
    secret is where a code frame can show it, and masking kept the frame's layout."""
    text, canaries = SHAPES[name]
    assert (loader.load(text, "nexlayer.yaml")[0] is None) == (name in BROKEN)
    result = Linter(Settings()).lint(text, "nexlayer.yaml")
    assert result.diagnostics
    assert_absent(result.masked_text, canaries, "the masked text")
    lines = text.splitlines()
    planted = {n for n, line in enumerate(lines, 1) if any(c[:12] in line for c in canaries)}
    framed = {n for d in result.diagnostics for n in range(d.line, d.end_line + 1)}
    if name not in (
        "duplicated key, first value",
        "duplicated key, quoted first value",
        "alias of a secret",
        "broken: multi-line quoted",
        "private key under any name",
        "block scalar",
        "multi-line quoted",
        "private key commented out line by line",
        "a private key commented out with a blank line in it",
        "a key/value item with its key and its value repeated",
        "a second document as a block",
        "a private key commented out in a second document",
        "a URL password in a folded block",
        "secrets spelt with a capital",  # NX102 frames the key; a secrets item's data is no finding
        "secrets misspelt",
    ):
        assert planted & framed, (planted, [(d.code, d.line) for d in result.diagnostics])
    masked = result.masked_text.splitlines()
    for number in planted & framed:
        assert len(masked[number - 1]) == len(lines[number - 1])  # carets stay under the right text


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_no_output_shows_a_secret(project: Path, name: str) -> None:
    text, canaries = SHAPES[name]
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    for fmt in FORMATS:
        result = run_cli("nexlayer.yaml", "--format", fmt, "--show-source", "--color", "always", "--verbose")
        assert result.exit_code in (0, 1, 2), result.output  # warnings only, errors, or an internal error
        assert "nexlayer.yaml" in result.stdout
        assert_absent(result.output, canaries, f"--format {fmt}")
    result = run_cli("-", "--stdin-filename", "nexlayer.yaml", "--show-source", stdin=text)
    assert "nexlayer.yaml" in result.stdout
    assert_absent(result.output, canaries, "stdin")


@pytest.mark.parametrize("name", sorted(set(SHAPES) - BROKEN))  # a file that does not parse is not sent
def test_the_validate_payload_has_no_secret(project: Path, fake_api: fa.FakeApi, name: str) -> None:
    text, canaries = SHAPES[name]
    fake_api.script("/validate", fa.valid())
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--remote", "--api-url", fake_api.url, "--format", "json")
    assert fake_api.count("/validate", "POST") == 1, result.output
    body = fake_api.requests[-1].body.decode("utf-8")
    assert_absent(body, canaries, "the /validate payload")
    assert_absent(result.output, canaries, "the --remote run's output")


def test_the_validate_payload_keeps_the_shape(project: Path, fake_api: fa.FakeApi) -> None:
    fake_api.script("/validate", fa.valid())
    text = with_vars(
        "DATABASE_URL: postgresql://admin:CnryUrl1@db.pod:5432/app", "DB_PASSWORD: x1y2", "API_KEY: 1234", "HOST: db"
    )
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    run_cli("nexlayer.yaml", "--remote", "--api-url", fake_api.url, "--format", "json")
    sent = json.loads(fake_api.requests[-1].body)
    assert sent["application"]["pods"][0]["vars"] == {
        "DATABASE_URL": "postgresql://admin:********@db.pod:5432/app",
        "DB_PASSWORD": secrets.REDACTED,
        "API_KEY": 0,
        "HOST": "db",
    }


# -- the language server: diagnostics and hovers -------------------------------------------------


try:  # the language server is the optional `lsp` extra
    from lsprotocol import types as lsp
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, client_capabilities, register_lsp_features
except ImportError:  # pragma: no cover - without the extra
    lsp = None

_published: dict[str, list[Any]] = {}


LSP_PARTS = 4


def _record(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
    # (pygls reads these annotations to know the handler takes the client)
    _published.setdefault(params.uri, []).append(params)


def _starts(line: str) -> list[int]:
    """Where a line's value starts: after its first `: `, else its first word (a list's item)."""
    return [line.find(": ") + 2] if ": " in line else [len(line) - len(line.lstrip())]


@pytest.mark.parametrize("part", range(LSP_PARTS))
def test_the_language_server_shows_no_secret(tmp_path: Path, part: int) -> None:
    # the shapes in LSP_PARTS parts, each with its own server: parallel runs (-n) share them out
    if lsp is None:
        pytest.skip("the language server is the optional `lsp` extra")

    async def session() -> list[str]:
        client = LanguageClient(converter_factory=default_converter)
        register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record})
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        await client.start_io(sys.executable, "-m", "nexlayer_lint", "server", env=env)
        await asyncio.wait_for(
            client.initialize_session(
                lsp.InitializeParams(
                    capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounce": 10}
                )
            ),
            60,
        )
        sent: list[str] = []
        try:
            for index, (name, (text, _)) in enumerate(sorted(SHAPES.items())):
                if index % LSP_PARTS != part:
                    continue
                folder = tmp_path / str(index)
                folder.mkdir()
                uri = (folder / "nexlayer.yaml").as_uri()
                client.text_document_did_open(
                    lsp.DidOpenTextDocumentParams(
                        text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
                    )
                )
                for _ in range(6000):
                    if _published.get(uri):
                        break
                    await asyncio.sleep(0.01)
                diagnostics = _published[uri][-1].diagnostics
                assert diagnostics, name
                sent.append(name + json.dumps([d.message for d in diagnostics]))
                # a hover says a rule's page or the schema's word on a key, for the diagnostic or
                # the key under it: each diagnostic's start, and each line's value (where a secret
                # is, should a hover ever quote what is under it)
                positions = [d.range.start for d in diagnostics] + [
                    lsp.Position(line=n, character=c) for n, line in enumerate(text.splitlines()) for c in _starts(line)
                ]
                for position in positions:
                    hover = await asyncio.wait_for(
                        client.text_document_hover_async(
                            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
                        ),
                        60,
                    )
                    if hover is not None:
                        sent.append(name + json.dumps(default_converter().unstructure(hover)))
        finally:
            await asyncio.wait_for(client.shutdown_session(), 60)
            await client.stop()
        return sent

    sent = asyncio.run(session())
    assert any("NX213" in text or "plaintext-secret" in text for text in sent)  # hovers answered with rule pages
    for index, (name, (_, canaries)) in enumerate(sorted(SHAPES.items())):
        if index % LSP_PARTS == part:
            said = "\n".join(text for text in sent if text.startswith(name))
            assert_absent(said, canaries, f"the language server ({name})")


# -- over-masking: text that merely equals a secret is shown as written ------------------------------


def test_a_pod_named_like_the_password_is_named_in_messages(project: Path) -> None:
    text = (
        "application:\n  name: shop\n  pods:\n    - name: postgres\n      image: postgres:16\n      path: /\n"
        "      servicePorts: [5432]\n      vars:\n        POSTGRES_PASSWORD: postgres\n      volumes:\n"
        "        - name: data\n          size: 1Gi\n          mountPath: /var/lib/postgresql/data\n"
    )
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--format", "json")
    messages = [d["message"] for d in json.loads(result.stdout)["files"][0]["diagnostics"] if d["code"] == "NX202"]
    assert messages == [
        'Postgres pod "postgres" mounts volume "data" at "/var/lib/postgresql/data"; Postgres will '
        "not start there, because the volume's lost+found makes the data directory non-empty"
    ]
    frame = run_cli("nexlayer.yaml", "--show-source", "--color", "never").stdout
    assert "9 |         POSTGRES_PASSWORD: ********\n" in frame
    assert "13 |           mountPath: /var/lib/postgresql/data\n" in frame


def test_an_image_containing_the_password_is_shown_whole(project: Path) -> None:
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: ghcr.io/acme/shop-web\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        DB_PASSWORD: shop\n"
    )
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--show-source", "--color", "never")
    assert 'image "ghcr.io/acme/shop-web" of pod "web" has no tag' in result.stdout
    assert "5 |       image: ghcr.io/acme/shop-web\n" in result.stdout
    assert "9 |         DB_PASSWORD: ****\n" in result.stdout
    assert "****-web" not in result.stdout


def test_a_password_that_is_a_common_word_leaves_the_hint_alone(project: Path) -> None:
    (project / "nexlayer.yaml").write_text(with_vars("API_KEY: secret"), encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--format", "json")
    [finding] = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert finding["message"] == 'var "API_KEY" of pod "web" holds a literal secret'
    assert finding["hint"] == (
        'store the value as a secret in the Nexlayer dashboard and write "${API_KEY}" here; '
        "rotate it if this file was ever pushed"
    )


def test_no_corpus_message_masks_or_quotes_a_secret() -> None:
    """Across the real corpus no message or hint carries `****` (79 did, masked by substring),
    none quotes a secret that appears nowhere else in the file, and every character of every
    secret span is starred in the code frames."""
    folder = shared_dir("corpus", "real")
    linter = Linter(Settings())
    starred, quoted, files = [], [], 0
    for path in sorted(folder.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        result = linter.lint(text, path.name)
        doc, _ = loader.load(text, path.name)
        spans = secrets.secret_spans(doc) if doc is not None else ()
        masked = secrets.mask_text(doc) if doc is not None else ""
        files += bool(spans)
        assert all(set(masked[a:b]) == {"*"} for a, b in spans), path.name
        # A secret whose text is also written elsewhere (a user named like the password) may be
        # named in a message as that other thing; one written only as the secret may not. (A
        # plain lower-case word, such as a password "secret", may also be a word of a message.)
        only_secret = {
            doc.text[a:b]
            for a, b in spans
            if (b - a >= 6 and not doc.text[a:b].isalpha()) or (b - a >= 6 and not doc.text[a:b].islower())
        } - set(re.findall(r"\S+", masked))
        for d in result.diagnostics:
            said = f"{d.message} {d.hint or ''}"
            if "****" in said and "****" not in text:
                starred.append(f"{path.name}:{d.line} {d.code}")
            quoted += [f"{path.name}:{d.line} {d.code}" for value in only_secret if value in said]
    assert files > 50  # the corpus holds real secrets
    assert starred == [] and quoted == []


# -- the rest: report files, errors, an API that echoes --------------------------------------------

EVERYTHING = with_vars(
    *[
        line.strip()
        for text, _ in (SHAPES["PGPASSWORD"], SHAPES["password in a URL"], SHAPES["GitHub token under any name"])
        for line in text.split("vars:\n")[1].splitlines()
    ]
)
EVERYTHING_CANARIES = ["CnryPg3", "CnryUrl1", token("ghp_", "Gh")]


def test_report_files_show_no_secret(project: Path) -> None:
    (project / "nexlayer.yaml").write_text(EVERYTHING, encoding="utf-8")
    args = []
    for fmt in FORMATS:
        args += ["--format", fmt, "-o", f"out/report.{fmt}"]
    result = run_cli("nexlayer.yaml", *args)
    assert result.exit_code == 1
    for fmt in FORMATS:
        written = (project / "out" / f"report.{fmt}").read_text(encoding="utf-8")
        assert "nexlayer.yaml" in written
        assert_absent(written, EVERYTHING_CANARIES, f"{fmt} file")


def test_internal_error_text_does_not_carry_a_secret(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A buggy check whose exception quotes the value it choked on (as `int("hunter2")` would).
    def choking(app: Any) -> list[Any]:
        value = app.doc.get("application", "pods", 0, "vars", "PGPASSWORD")
        raise ValueError(f"invalid literal for int() with base 10: {value!r}")

    monkeypatch.delenv("NEXLAYER_LINT_DEBUG", raising=False)
    monkeypatch.setattr(checks, "CHECK_RULES", (checks.CHECK_RULES[0]._replace(check=choking), *checks.CHECK_RULES))
    (project / "nexlayer.yaml").write_text(EVERYTHING, encoding="utf-8")
    for fmt in FORMATS:
        result = run_cli("nexlayer.yaml", "--format", fmt)
        assert result.exit_code == 2
        assert "internal error in check" in result.stderr and "choking" in result.stderr
        assert "base 10: '****'" in result.stderr  # the whole word, and only it
        assert_absent(result.output, EVERYTHING_CANARIES, f"an internal error ({fmt})")


def test_secrets_echoed_back_by_the_api_are_scrubbed(project: Path, fake_api: fa.FakeApi) -> None:
    # With --remote-send-secrets the API sees the token; if its error quotes it, we must not print it.
    ghp = token("ghp_", "Gh")
    fake_api.script(
        "/validate",
        fa.invalid({"path": "application.pods[0].vars.HELPER", "message": f"token {ghp} is not valid for pod web"}),
    )
    (project / "nexlayer.yaml").write_text(EVERYTHING, encoding="utf-8")
    for fmt in FORMATS:
        result = run_cli(
            "nexlayer.yaml",
            "--remote",
            "--remote-send-secrets",
            "--api-url",
            fake_api.url,
            "--format",
            fmt,
            "--show-source",
        )
        assert "NX901" in result.stdout, result.output
        assert re.search(r"token \*\*\*\* is not valid for pod web", result.stdout), result.stdout
        assert_absent(result.output, EVERYTHING_CANARIES, f"an API reply ({fmt})")


# Every text of a reply that is printed, not only a detail's message (hunt 22 F1: the path was
# printed as the server wrote it): each shape -> (the reply, what the text report says of it).
SECRET_IN_REPLY = "Zq9Hunter2024pw"
REPLY_TEXTS = {
    "path": (
        fa.invalid({"path": f"application.pods[0].vars.DB_PASSWORD: {SECRET_IN_REPLY}", "message": "bad"}),
        'rejected "application.pods[0].vars.DB_PASSWORD: ****": "bad"',
    ),
    "path, a segment after the key": (
        fa.invalid({"path": f"application.pods[0].vars.DB_PASSWORD.{SECRET_IN_REPLY}", "message": "bad"}),
        'rejected "application.pods[0].vars.DB_PASSWORD.****": "bad"',
    ),
    "path, in upper case": (
        fa.invalid({"path": f"application.pods[0].vars.{SECRET_IN_REPLY.upper()}", "message": "bad"}),
        'rejected "application.pods[0].vars.****": "bad"',
    ),
    "path, the secret alone": (
        fa.invalid({"path": SECRET_IN_REPLY, "message": "bad"}),
        'rejected "****": "bad"',
    ),
    "field": (
        fa.invalid({"field": f"pods[0].vars.{SECRET_IN_REPLY}", "message": "bad"}),
        'rejected "pods[0].vars.****": "bad"',
    ),
    "errors as strings": (
        fa.Reply(200, {"valid": False, "errors": [f"password {SECRET_IN_REPLY} is weak"]}),
        'rejected the file: "password **** is weak"',
    ),
    "error": (fa.error_only(f"password {SECRET_IN_REPLY} is weak"), 'rejected the file: "password **** is weak"'),
    "a redirect's target": (
        fa.redirect(f"http://elsewhere.invalid/v/{SECRET_IN_REPLY}", 307),
        'redirected to another host ("http://elsewhere.invalid/v/****")',
    ),
}


@pytest.mark.parametrize("name", sorted(REPLY_TEXTS))
def test_every_printed_text_of_an_api_reply_is_scrubbed(project: Path, fake_api: fa.FakeApi, name: str) -> None:
    reply, shown = REPLY_TEXTS[name]
    fake_api.script("/validate", reply)
    (project / "nexlayer.yaml").write_text(with_vars(f"DB_PASSWORD: {SECRET_IN_REPLY}"), encoding="utf-8")
    remote = ("nexlayer.yaml", "--remote", "--remote-send-secrets", "--api-url", fake_api.url)
    text = run_cli(*remote, "--format", "text", "--no-show-source")
    assert shown in text.stdout, text.output
    # a rejection fails the run; a redirect elsewhere is NX900, a warning
    assert text.exit_code == (0 if "redirect" in name else 1), text.output
    for fmt in FORMATS:
        result = run_cli(*remote, "--format", fmt, "--show-source")
        assert ("NX900" if "redirect" in name else "NX901") in result.stdout, result.output
        assert SECRET_IN_REPLY.casefold() not in result.output.casefold(), f"leaked through {name} ({fmt})"
        assert "Hunter2024" not in result.output, f"leaked through {name} ({fmt})"


def test_a_failed_calls_reason_is_scrubbed_before_it_is_cut(project: Path, fake_api: fa.FakeApi) -> None:
    # hunt 25: the reason was cut to 300 characters, then scrubbed: a secret across the cut showed its start
    secret = "Zq9Hunter2024pwCutAcross"
    reason = "x" * 290 + " " + secret + " rejected"
    fake_api.script("/validate", fa.Reply(200, {"success": False, "error": reason}))
    (project / "nexlayer.yaml").write_text(with_vars(f"DB_PASSWORD: {secret}"), encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--remote", "--remote-send-secrets", "--api-url", fake_api.url)
    assert "NX900" in result.stdout and "success: false (xxx" in result.stdout, result.stdout
    assert "Zq9Hu" not in result.output


def test_a_huge_reply_is_scrubbed_as_far_as_it_is_printed(project: Path, fake_api: fa.FakeApi) -> None:
    # hunt 25: a 5 MB message built to match a secret's pieces everywhere took a minute to scrub;
    # only its first 16 KiB are scrubbed now, and its first 300 characters printed
    secret = "aaaaaaaaaaaZq9Hunter2024pwXyz"
    message = secret + " " + "aaaaaaaaaaa" * 200_000
    fake_api.script("/validate", fa.invalid({"path": "application.pods[0].vars.DB_PASSWORD", "message": message}))
    (project / "nexlayer.yaml").write_text(with_vars(f"DB_PASSWORD: {secret}"), encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--remote", "--remote-send-secrets", "--api-url", fake_api.url)
    assert "NX901" in result.stdout and "Zq9" not in result.output, result.stdout


# A reply may quote a value it was sent altered (the hunt's shapes): each is starred whole.
ALTERED_ECHOES = {
    "upper case": ("value CORRECT HORSE ZQ9BATTERY is weak", "value **** is weak"),
    "blanks replaced": ("value correct_horse_Zq9battery is weak", "value **** is weak"),
    "cut short": ("token Zq9tokenAAAAAAAAAA... is invalid", "token ****... is invalid"),
    "run into a word": ("x=Zq9tokenAAAAAAAAAAAAAAAAAAAAAAAAAAAx", "x=****x"),
    "escaped again": ('bad value "pa\\"Zq9ss"', 'bad value "****"'),
    "folded lines": ("value Zq9block1 Zq9block2 folded", "value **** folded"),
    # hunt 18: escapes between its letters, as a URL or JSON written twice carry them
    "percent-encoded": ("bad correct%20horse%20Zq9battery", "bad ****"),
    "an escape in its letters": ("bad Zq9token\\u0041AAAAAAAAAAAAAAAAAAAAAAAAAA", "bad ****"),
    # hunt 19: escaped twice, as HTML, or in upper case where a letter's length changes
    "percent-encoded twice": ("bad correct%2520horse%2520Zq9battery", "bad ****"),
    "HTML references": ("bad correct&#32;horse&nbsp;&#x5A;q9&#98;attery", "bad ****"),
    "HTML escaped twice": ("bad correct&amp;#32;horse Zq9battery", "bad ****"),
    "upper case, longer": ("value PÄSS WÖRD SSTRASSE ZQ977 is weak", "value **** is weak"),
    # hunt 23: a lower-cased dotted capital I is `i` and a combining dot
    "lower case, dotted I": ("password \u0069\u0307stanbulsifrezq92024x too weak", "password **** too weak"),
    # hunt 22: a start cut before 12 letters, the end or a middle piece, full-width letters
    "a start cut short": ("password Zq9Hunter is weak", "password **** is weak"),
    "its end": ("password ...er2024pw is weak", "password ...**** is weak"),
    "a piece": ("password Hunter2024 is weak", "password **** is weak"),
    "full-width": ("password \uff3a\uff51\uff19\uff28\uff55\uff4e\uff54\uff45\uff52 is weak", "password **** is weak"),
}
ALTERED_VARS = (
    "API_SECRET: Zq9Hunter2024pw",
    "DB_PASSWORD: correct horse Zq9battery",
    'API_KEY: "pa\\"Zq9ss"',
    "SECRET_TOKEN: Zq9tokenAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "DB_PASSWORD_2: päss wörd ßtraße Zq977",
    "TR_PASSWORD: \u0130stanbulSifreZq92024x",
    "JWT_SECRET: |\n          Zq9block1\n          Zq9block2",
)


@pytest.mark.parametrize("name", sorted(ALTERED_ECHOES))
def test_a_secret_echoed_back_altered_is_scrubbed(project: Path, fake_api: fa.FakeApi, name: str) -> None:
    said, shown = ALTERED_ECHOES[name]
    fake_api.script("/validate", fa.invalid({"path": "application.pods[0].vars.API_KEY", "message": said}))
    (project / "nexlayer.yaml").write_text(with_vars(*ALTERED_VARS), encoding="utf-8")
    result = run_cli("nexlayer.yaml", "--remote", "--remote-send-secrets", "--api-url", fake_api.url)
    assert json.dumps(shown)[1:-1] in result.stdout, result.stdout
    assert "Zq9" not in result.output.replace("ZQ9", "Zq9"), result.output


def test_a_commented_out_secret_is_masked_in_diffs_and_frames(project: Path) -> None:
    # a diff's context lines and a finding's frame show comments: a var commented out is still a secret
    text = with_vars(
        "# DB_PASSWORD: CnryComment42  # the old one",
        "#- API_TOKEN=CnryComment43",
        "DEBUG: on  # OLD_SECRET: CnryComment44",
        'NOTE: "# not a var: shown"',
    )
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    canaries = ["CnryComment42", "CnryComment43", "CnryComment44"]
    diff = run_cli("--diff", "nexlayer.yaml")
    assert '+        DEBUG: "on"  # OLD_SECRET: *************' in diff.stdout
    assert "         # DB_PASSWORD: *************  # the old one\n" in diff.stdout  # its own comment shown
    assert_absent(diff.output, canaries, "--diff")
    framed = run_cli("--show-source", "nexlayer.yaml")
    assert "DEBUG: on  # OLD_SECRET: *************" in framed.stdout
    assert_absent(framed.output, canaries, "a code frame")


def test_a_secrets_anchor_and_tag_are_masked_in_diffs_and_yamls_own_tags_shown(project: Path) -> None:
    # the eleventh leak hunt: a diff's context line showed `DB_PASSWORD: &CnryAnchor2`
    text = with_vars("DB_PASSWORD: &CnryAnchor2", "API_TOKEN: !CnryTag3", "API_KEY: !!str CnryTag4", "DEBUG: on")
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    diff = run_cli("--diff", "nexlayer.yaml")
    assert "         DB_PASSWORD: ************\n" in diff.stdout
    assert "         API_TOKEN: *********\n" in diff.stdout
    assert "         API_KEY: !!str ********\n" in diff.stdout  # YAML's own tag is no secret
    assert_absent(diff.output, ["CnryAnchor2", "CnryTag3", "CnryTag4"], "--diff")


def test_a_var_commented_out_quoted_or_in_a_flow_is_masked_in_diffs(project: Path) -> None:
    # the seventh leak hunt: only `# NAME: value` and `# NAME=value` were read as vars
    text = with_vars(
        '# "DB_PASSWORD": "CnryComment118"',
        "# vars: {API_TOKEN: CnryComment119, HOST: h}",
        '# - "API_KEY: CnryComment120"',
        "DEBUG: yes",
    )
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    diff = run_cli("--diff", "nexlayer.yaml")
    assert '         # "DB_PASSWORD": ****************\n' in diff.stdout
    assert "         # vars: {API_TOKEN: **************, HOST: h}\n" in diff.stdout
    assert '         # - "API_KEY: **************"\n' in diff.stdout
    assert_absent(diff.output, ["CnryComment118", "CnryComment119", "CnryComment120"], "--diff")


def test_a_secrets_value_commented_out_under_its_key_is_masked_in_diffs(project: Path) -> None:
    # the seventh leak hunt: a block scalar (or a value on the lines under its key) commented out
    text = with_vars("# API_KEY: >-", "#   CnryComment122", "", "#   CnryComment123", "# HOST: shown", "DEBUG: yes")
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    diff = run_cli("--diff", "nexlayer.yaml")
    masked = Linter(Settings()).lint(text, "nexlayer.yaml").masked_text
    assert "        # API_KEY: >-\n        #   **************\n        \n        #   **************\n" in masked
    assert "        # HOST: shown\n" in masked
    assert_absent(diff.output, ["CnryComment122", "CnryComment123"], "--diff")


# -- the third leak hunt: each fix, its outputs read whole -------------------------------------------


def every_output() -> str:
    """What a run on ./nexlayer.yaml can print: every format with code frames, and --diff."""
    outputs = [run_cli("nexlayer.yaml", "--format", fmt, "--show-source").output for fmt in FORMATS]
    return "\n".join([*outputs, run_cli("--diff", "nexlayer.yaml").output])


def sent_to_validate(fake_api: fa.FakeApi) -> Any:
    fake_api.script("/validate", fa.valid())
    run_cli("nexlayer.yaml", "--remote", "--api-url", fake_api.url, "--format", "json")
    return json.loads(fake_api.requests[-1].body)


def test_a_secret_shaped_key_is_starred_everywhere_and_sent_as_redacted(project: Path, fake_api: fa.FakeApi) -> None:
    key = token("ghp_", "Kx", 44)  # longer than a message quotes whole
    text = with_vars("DEBUG: on").replace("      vars:\n", f"      {key}: x\n      vars:\n")
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    out = every_output()
    assert_absent(out, [key[:16], key.lower()[:16], key.upper()[:16]], "a report or a diff")
    assert 'unknown key "****" in pod "web"' in out  # the message says what and where
    assert '"path": "application.pods[0].****"' in out
    assert f"      {'*' * len(key)}: x" in out  # a frame, and the diff's context
    assert '+        DEBUG: "on"' in out
    pod = sent_to_validate(fake_api)["application"]["pods"][0]
    assert pod[secrets.REDACTED] == "x"
    assert (pod["name"], pod["image"]) == ("web", "nginx:1.27")
    assert_absent(json.dumps(pod), [key[:16]], "the /validate payload")


def test_a_url_password_with_slash_hash_question_and_space_is_masked_whole(project: Path, fake_api: fa.FakeApi) -> None:
    text = with_vars("DATABASE_URL: postgres://user:pa/ss#wo?rd x@db:5432/app", "DEBUG: on")
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    out = every_output()
    assert_absent(out, ["pa/ss", "wo?rd", "rd x"], "a report or a diff")
    assert "DATABASE_URL: postgres://user:*************@db:5432/app" in out  # user, host, port, path shown
    masked = Linter(Settings()).lint(text, "nexlayer.yaml").masked_text
    assert "DATABASE_URL: postgres://user:*************@db:5432/app\n" in masked
    vars_sent = sent_to_validate(fake_api)["application"]["pods"][0]["vars"]
    assert vars_sent["DATABASE_URL"] == "postgres://user:*********** *@db:5432/app"


def test_a_secret_options_value_is_masked_and_the_command_stays_readable(project: Path, fake_api: fa.FakeApi) -> None:
    text = (
        HEAD + '      command: ["app", "--password", "Hunter2Secret77", "--port", "80"]\n'
        "      args:\n        - --api-key\n        - Tok3nSecretValue99\n        - --no-password\n        - --verbose\n"
    )
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    out = every_output()
    assert_absent(out, ["Hunter2Secret77", "Tok3nSecretValue99"], "a report")
    assert 'command: ["app", "--password", "***************", "--port", "80"]' in out
    assert 'e.g. command: \\"npm run start\\"' in out  # NX103's hint no longer joins the list
    assert 'command[2] of pod "web" holds a literal secret' in out  # NX213
    masked = Linter(Settings()).lint(text, "nexlayer.yaml").masked_text
    assert "        - --api-key\n        - ******************\n        - --no-password\n        - --verbose\n" in masked
    pod = sent_to_validate(fake_api)["application"]["pods"][0]
    assert pod["command"] == ["app", "--password", secrets.REDACTED, "--port", "80"]
    assert pod["args"] == ["--api-key", secrets.REDACTED, "--no-password", "--verbose"]


def test_a_private_key_commented_out_is_masked_in_a_file_that_does_not_parse(project: Path) -> None:
    text = HEAD + "      vars: [\n# -----BEGIN RSA PRIVATE KEY-----\n# MIIEpCnryPem93\n"
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    out = every_output()
    assert "NX001" in out
    assert_absent(out, ["CnryPem93", "MIIEp"], "the frame of a file that does not parse")
    assert "# **************" in out
    masked = Linter(Settings()).lint(text, "nexlayer.yaml").masked_text
    assert masked.endswith("\n# **************\n")


def test_a_secret_written_with_escapes_or_folded_is_starred_and_the_rest_shown(project: Path) -> None:
    # the fourth leak hunt: the text of a value that is not its value (`\\x40` is `@`, a plain
    # value going on over two lines) showed the password in frames and a diff's context lines
    text = with_vars(
        'DB_URL: "postgres://u:CnryEsc120\\x40db/x"',
        "CACHE_URL: redis://u:CnryFold121",
        "  @cache:6379",
        "DEBUG: on",
    ).replace("      path: /\n", '      path: /\n      command: "gh\\x70_' + "CnryEsc122" * 4 + '"\n')
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    out = every_output()
    assert_absent(out, ["CnryEsc120", "CnryFold121", "CnryEsc122"], "a report or a diff")
    assert 'DB_URL: "postgres://u:**********\\x40db/x"' in out  # a frame, and the diff's context
    assert "CACHE_URL: redis://u:***********\n" in out
    assert "          @cache:6379\n" in out
    assert '+        DEBUG: "on"' in out
    assert 'command: "' + "*" * 47 + '"' in out
    assert 'var \\"DB_URL\\" of pod \\"web\\" has a literal password in its URL' in out  # json's message
    assert "\\x40" not in out.replace('\\x40db/x"', "")  # no message quotes the escaped text
    masked = Linter(Settings()).lint(text, "nexlayer.yaml").masked_text
    assert masked.count("*") == 10 + 11 + 47


# -- the fourth leak hunt ---------------------------------------------------------------------------


def test_an_attached_password_is_masked_and_the_next_word_shown(project: Path, fake_api: fa.FakeApi) -> None:
    text = HEAD + '      command: "mysql -uroot -pHunter2Secret77 shopdb"\n'
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    out = every_output()
    assert_absent(out, ["Hunter2Secret77", "HUNTER2SECRET77", "unter2"], "a report")
    assert 'command: "mysql -uroot -p*************** shopdb"' in out
    assert 'command of pod "web" gives -p a literal secret' in out
    assert 'write "${PASSWORD}" in its place' in out
    pod = sent_to_validate(fake_api)["application"]["pods"][0]
    assert pod["command"] == "mysql -uroot -p*************** shopdb"


def test_an_item_name_in_another_case_and_an_ipv6_host_are_not_secrets() -> None:
    # the seventh leak hunt's over-masks: `Key` is the item's name field (as `Name` is), not a var
    # named KEY; `[::1]` is an IPv6 host, not a user name before a password
    text = with_vars("- Key: LOG_LEVEL", "  value: debug", "- key: VITE", '  value: "http://[::1]:5173/@vite/client"')
    result = Linter(Settings()).lint(text, "nexlayer.yaml")
    assert [d.code for d in result.diagnostics] == ["NX216", "NX101"]  # no NX213
    assert result.masked_text == text


def test_a_second_documents_item_in_another_case_is_masked_in_diffs(project: Path) -> None:
    # the seventh leak hunt: a diff's context shows the second document, masked line by line
    text = with_vars("DEBUG: yes") + "---\n- Key: GH_TOKEN\n  value: CnryDoc112\n"
    (project / "nexlayer.yaml").write_text(text, encoding="utf-8")
    diff = run_cli("--diff", "nexlayer.yaml")
    assert '+        DEBUG: "yes"' in diff.stdout
    assert " ---\n - Key: GH_TOKEN\n   value: **********\n" in diff.stdout  # the name shown, the value not
    assert_absent(diff.output, ["CnryDoc112"], "--diff")


def test_a_published_ports_protocol_and_a_from_file_path_are_not_secrets() -> None:
    # the twelfth leak hunt's over-masks: `-p...80/tcp` is a port, `--from-file=key=/k` a path
    for command in [
        'sh -c "docker run -p0.0.0.0:8080:80/tcp nginx"',
        "kubectl create secret generic x --from-file=key=/k",
    ]:
        text = HEAD + f"      command: '{command}'\n"
        result = Linter(Settings()).lint(text, "nexlayer.yaml")
        assert "NX213" not in [d.code for d in result.diagnostics]
        doc = loader.load(text, "nexlayer.yaml")[0]
        assert doc is not None and secrets.secret_spans(doc) == ()


def test_a_file_path_or_a_switch_under_a_secrets_name_is_not_a_secret() -> None:
    # hunt 41 F5: where or whether a secret is, not the secret: no NX213, nothing starred
    shown = [
        "GOOGLE_APPLICATION_CREDENTIALS: /var/secrets/google/key.json",
        "SSL_KEY: /etc/ssl/private/tls.key",
        'REDIS_AUTH: "off"',
        "BASIC_AUTH: false",
        "MONGO_AUTH: Disabled",
    ]
    starred = ["DB_PASSWORD: /hunter2", "API_KEY: /x/y z", "JWT_SECRET: offline", "PGPASSWORD: /k8Jd/xZp0Q"]
    text = with_vars(*shown, *starred)
    result = Linter(Settings()).lint(text, "nexlayer.yaml")
    lines = {d.line for d in result.diagnostics if d.code == "NX213"}
    assert lines == {14, 15, 16, 17}  # those under `starred` only
    doc = loader.load(text, "nexlayer.yaml")[0]
    assert doc is not None
    masked = secrets.mask_text(doc).splitlines()
    assert masked[8:13] == [f"        {line}" for line in shown]
    assert [line.split(": ")[1] for line in masked[13:17]] == ["*" * 8, "*" * 6, "*" * 7, "*" * 11]
    # hunt 44 F2: a comment after a value that holds no secret is shown, and a directive always
    text = with_vars("DB_PASSWORD: ${DB_PASS} #nexlayer-lint: disable=NX213", "API_KEY: off #no-auth", "A: 1")
    doc = loader.load(text, "nexlayer.yaml")[0]
    assert doc is not None and secrets.mask_text(doc) == text


# The stop's command-secrets fixes: each command's line as a frame shows it, and its NX213s.
COMMAND_FRAMES = [
    # a here-string's `<<<` item only hands the next item to the option: shown, no finding of its own
    (
        '      command: [gh, auth, login, --with-token, "<<<", CnryHere5]',
        '      command: [gh, auth, login, --with-token, "<<<", *********]',
        [(8, 55, 'command[5] of pod "web" holds a literal secret')],
    ),
    # a registry login's global options before `login`
    (
        '      command: "docker -H tcp://h login -u me -p CnryLogin20 reg.io"',
        '      command: "docker -H tcp://h login -u me -p *********** reg.io"',
        [(8, 50, 'command of pod "web" gives -p a literal secret')],
    ),
    (
        "      command: [docker, --config, /x, login, -p, CnryLogin21]",
        "      command: [docker, --config, /x, login, -p, ***********]",
        [(8, 50, 'command[5] of pod "web" holds a literal secret')],
    ),
    # what echo or printf pipes into an option that reads standard input
    (
        "      command: \"printf '%s' CnryEcho1 | docker login -u me --password-stdin reg.io\"",
        "      command: \"printf '%s' ********* | docker login -u me --password-stdin reg.io\"",
        [(8, 29, 'command of pod "web" gives --password-stdin a literal secret')],
    ),
    # hunt 18: gh's `--with-token` reads standard input too, and `&&` is no option's value
    (
        "      command: echo CnryEcho3 | gh auth login --with-token && curl http://x",
        "      command: echo ********* | gh auth login --with-token && curl http://x",
        [(8, 21, 'command of pod "web" gives --with-token a literal secret')],
    ),
    (
        '      command: [sh, -c, "echo CnryEcho2 | docker login --password-stdin"]',
        '      command: [sh, -c, "echo ********* | docker login --password-stdin"]',
        [(8, 31, 'command[2] of pod "web" gives --password-stdin a literal secret')],
    ),
    # a JSON array of objects in a quoted word, and as a list's item
    (
        """      command: "curl -d '[{\\"password\\": \\"CnryArray1\\"}]' http://x\"""",
        """      command: "curl -d '[{\\"password\\": \\"**********\\"}]' http://x\"""",
        [(8, 44, 'command of pod "web" sets password to a literal secret')],  # escaped: where it is written
    ),
    (
        """      command: [curl, -d, '[{"token": "CnryArray2"}]', h]""",
        """      command: [curl, -d, '[{"token": "**********"}]', h]""",
        [(8, 40, 'command[2] of pod "web" sets token to a literal secret')],
    ),
    # a JSON array in a double-quoted word, with no option or single quote to hint at a command
    (
        """      command: 'echo "[{\\"token\\": \\"CnryArray3\\"}]" > f'""",
        """      command: 'echo "[{\\"token\\": \\"**********\\"}]" > f'""",
        [(8, 38, 'command of pod "web" sets token to a literal secret')],
    ),
    # hunt 18: an array that starts with another item, or another array; jq's `--arg NAME VALUE`
    (
        """      command: "curl -d '[\\"a\\", [{\\"password\\": \\"CnryArray4\\"}]]' h\"""",
        """      command: "curl -d '[\\"a\\", [{\\"password\\": \\"**********\\"}]]' h\"""",
        [(8, 52, 'command of pod "web" sets password to a literal secret')],
    ),
    (
        "      command: \"jq -n --arg password CnryJqArg1 '{password: $password}'\"",
        "      command: \"jq -n --arg password ********** '{password: $password}'\"",
        [(8, 38, 'command of pod "web" gives password a literal secret')],
    ),
    # a jq filter's path is shown; its string literal is starred
    (
        """      command: 'jq -r ''{password: .db.password, token: "CnryJq1"}'' f.json'""",
        """      command: 'jq -r ''{password: .db.password, token: "*******"}'' f.json'""",
        [(8, 58, 'command of pod "web" sets token to a literal secret')],  # past `''`, an escape
    ),
    # SQL's `PASSWORD 'x'` once a user, role or login is named; else words
    (
        """      command: [psql, -c, "ALTER ROLE app PASSWORD 'CnrySql9'"]""",
        """      command: [psql, -c, "ALTER ROLE app PASSWORD '********'"]""",
        [(8, 53, 'command[2] of pod "web" gives PASSWORD a literal secret')],
    ),
    (
        """      command: "echo password 'notasecret1'; app --password CnrySql10\"""",
        """      command: "echo password 'notasecret1'; app --password *********\"""",
        [(8, 61, 'command of pod "web" gives --password a literal secret')],
    ),
    # an echoed config command is read as one (it is often written into a script), and so is the next
    (
        "      command: \"echo 'git config user.token CnryConf31' >> s.sh; git config y.token CnryConf30\"",
        "      command: \"echo 'git config user.token **********' >> s.sh; git config y.token **********\"",
        [
            (8, 45, 'command of pod "web" gives user.token a literal secret'),
            (8, 85, 'command of pod "web" gives y.token a literal secret'),
        ],
    ),
    # a config key that names a file: its path is shown
    (
        "      command: [git, config, --global, http.sslKey, /etc/ssl/private/client.pem]",
        "      command: [git, config, --global, http.sslKey, /etc/ssl/private/client.pem]",
        [],
    ),
    (
        '      command: "git config http.sslKey /etc/key.pem && git config x.token CnryConf31"',
        '      command: "git config http.sslKey /etc/key.pem && git config x.token **********"',
        [(8, 75, 'command of pod "web" gives x.token a literal secret')],
    ),
    (
        '      command: "cat /run/pw | docker login --password-stdin"',
        '      command: "cat /run/pw | docker login --password-stdin"',
        [],
    ),
]


@pytest.mark.parametrize(("line", "framed", "findings"), COMMAND_FRAMES)
def test_a_commands_secret_is_starred_and_the_rest_shown(line: str, framed: str, findings: list[Any]) -> None:
    text = HEAD + line + "\n"
    result = Linter(Settings()).lint(text, "nexlayer.yaml")
    masked = result.masked_text or text  # no finding at all: nothing is framed
    assert masked.splitlines()[7] == framed
    if framed == line:  # nothing starred, anywhere the masking is used
        doc = loader.load(text, "nexlayer.yaml")[0]
        assert doc is not None and secrets.secret_spans(doc) == ()
    assert [(d.line, d.col, d.message) for d in result.diagnostics if d.code == "NX213"] == findings
