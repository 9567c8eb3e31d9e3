"""unparsed.py: the code frames of a file that does not parse, masked line by line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nexlayer_lint import loader, unparsed
from nexlayer_lint.model import LINE_BREAK
from tests.conftest import ROOT, slowness

# a signed JSON Web Token's shape
JWT_LIKE = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJ"

# (text, what every line shows when all are framed); each text is broken somewhere.
SHAPES = {
    "quoted keys": (
        "application:\n  \"API_KEY\": 'Cnry1' # note\n  'DB_PASSWORD' : Cnry2\n  - x\n",
        "application:\n  \"API_KEY\": '*****' # note\n  'DB_PASSWORD' : *****\n  - x\n",
    ),
    "keys starting with a digit": (
        '2FA_SECRET: Cnry1\n0_API_KEY: "Cnry2"\nx: [\n',
        '2FA_SECRET: *****\n0_API_KEY: "*****"\nx: [\n',
    ),
    "flow mapping without spaces": (
        "application: {vars: {DB_PASSWORD:Cnry1,X:1, API_KEY: 'Cnry2',Y: 2}}\n  ]\n",
        "application: {vars: {DB_PASSWORD:*****,X:1, API_KEY: '*****',Y: 2}}\n  ]\n",
    ),
    "multi-line quoted value": (
        'vars:\n  DB_PASSWORD: "Cnry1\n    Cnry2" # c\n  HOST: h\n  x: [\n',
        'vars:\n  DB_PASSWORD: "*****\n    *****" # c\n  HOST: h\n  x: [\n',
    ),
    "block scalar": (
        "vars:\n  TLS_KEY: |\n    Cnry1\n    Cnry2\n  HOST: h\n x: [\n",
        "vars:\n  TLS_KEY: |\n    *****\n    *****\n  HOST: h\n x: [\n",
    ),
    "nested under a secret": (
        "vars:\n  CLIENT_SECRET:\n    a: Cnry1\n    - Cnry2\n  HOST: h\n x: [\n",
        "vars:\n  CLIENT_SECRET:\n    ********\n    *******\n  HOST: h\n x: [\n",
    ),
    "registryLogin": (
        "registryLogin:\n  registry: ghcr.io\n  username: me\n  password: Cnry1\n  auth:\n    x: Cnry2\n"
        "name: x\n x: [\n",
        "registryLogin:\n  registry: ghcr.io\n  username: me\n  password: *****\n  auth:\n    ********\n"
        "name: x\n x: [\n",
    ),
    "secrets item": (
        "secrets:\n- name: s\n  data: Cnry1\n  mountPath: /m\n  extra: Cnry2\nname: n\n x: [\n",
        "secrets:\n- name: s\n  data: *****\n  mountPath: /m\n  extra: *****\nname: n\n x: [\n",
    ),
    "value before its key": (
        "vars:\n  - value: Cnry1\n    key: SMTP_PASSWORD\n  - value: debug\n    key: LOG_LEVEL\n x: [\n",
        "vars:\n  - value: *****\n    key: SMTP_PASSWORD\n  - value: debug\n    key: LOG_LEVEL\n x: [\n",
    ),
    "a program lines above its option, in a quoted value": (
        "command: \"sh -c '\n  redis-cli\n  -h db\n  -a Cnry1 ping'\"\nx: [\n",
        "command: \"sh -c '\n  redis-cli\n  -h db\n  -a ***** ping'\"\nx: [\n",
    ),
    "a command over the lines of block scalars": (
        "a: |\n  redis-cli -h db \\\n    -a Cnry1 ping\nb: >\n  docker login\n  -u me\n  -p Cnry2 r.io\n"
        "c: |\n  redis-cli -h db\n  -a notsecret ping\nd: [\n",
        "a: |\n  redis-cli -h db \\\n    -a ***** ping\nb: >\n  docker login\n  -u me\n  -p ***** r.io\n"
        "c: |\n  redis-cli -h db\n  -a notsecret ping\nd: [\n",
    ),
    "a JSON Web Token, shown under a published name only": (
        "ANON_KEY: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJ\n"
        "JWT: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJ\nx: [\n",
        "ANON_KEY: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJ\n"
        "JWT: " + "*" * len(JWT_LIKE) + "\nx: [\n",
    ),
    "a plain value that starts under its key": (  # hunt 19
        "command:\n  redis-cli\n  -a Cnry1 ping\nx: [\n",
        "command:\n  redis-cli\n  -a ***** ping\nx: [\n",
    ),
    "a token inside a published key's value": (  # hunt 19: the token is `sub`'s, or CONFIG's text
        "PUBLIC_CONFIG: {sub: " + JWT_LIKE + "}\nCONFIG: |\n  ANON_KEY: " + JWT_LIKE + "\nx: [\n",
        "PUBLIC_CONFIG: {sub: " + "*" * len(JWT_LIKE) + "}\nCONFIG: |\n  ANON_KEY: " + "*" * len(JWT_LIKE) + "\nx: [\n",
    ),
    "a command over the lines of a plain value": (  # hunt 18
        "a: redis-cli\n  -h db\n  -a Cnry1 ping\nb: docker\n  -a notsecret\nc: [\n",
        "a: redis-cli\n  -h db\n  -a ***** ping\nb: docker\n  -a notsecret\nc: [\n",
    ),
    "an item named by var or id": (
        "vars:\n  - var: DB_PASSWORD\n    value: Cnry1\n  - value: Cnry2\n    id: API_TOKEN\n"
        "  - variable: LOG_LEVEL\n    value: debug\n x: [\n",
        "vars:\n  - var: DB_PASSWORD\n    value: *****\n  - value: *****\n    id: API_TOKEN\n"
        "  - variable: LOG_LEVEL\n    value: debug\n x: [\n",
    ),
    "name and value": (
        "env:\n  - name: API_KEY\n    value: Cnry1\n x: [\n",
        "env:\n  - name: API_KEY\n    value: *****\n x: [\n",
    ),
    "an item's key or name in another case": (
        "vars:\n  - KEY: GH_TOKEN\n    Value: Cnry1\n  - NAME: API_KEY\n    valeu: Cnry2\n"
        "  - {Key: DB_PASSWORD, VALUE: Cnry3}\n"
        "  - Name: SMTP_PASSWORD\n    vlaue: Cnry4\n  - Key: LOG_LEVEL\n    val: debug\n"
        "  - name: web\n    conf:\n      KEY: Cnry5\n    other: {KEY: Cnry6}\nKEY: Cnry7\nx: [\n",
        "vars:\n  - KEY: GH_TOKEN\n    Value: *****\n  - NAME: API_KEY\n    valeu: *****\n"
        "  - {Key: DB_PASSWORD, VALUE: *****}\n"
        "  - Name: SMTP_PASSWORD\n    vlaue: *****\n  - Key: LOG_LEVEL\n    val: debug\n"
        "  - name: web\n    conf:\n      KEY: *****\n    other: {KEY: *****}\nKEY: *****\nx: [\n",
    ),
    "an item's name with a comment": (
        "vars:\n  - value: Cnry1\n    key: DB_PASSWORD # the db one\n  - name: API_KEY\t# c\n    value: Cnry2\n"
        "  - name: LOG_LEVEL # DB_PASSWORD\n    value: debug\n x: [\n",
        "vars:\n  - value: *****\n    key: DB_PASSWORD # the db one\n  - name: API_KEY\t# c\n    value: *****\n"
        "  - name: LOG_LEVEL # DB_PASSWORD\n    value: debug\n x: [\n",
    ),
    "vars given as one string": (
        'env: "{A: 1, DB_PASSWORD: Cnry1}" x\nvars: A=1, API_TOKEN=Cnry2 # c\n'
        'vars: \'{"A": "1", "API_KEY": "Cnry3,x"}\' x\nvars: "A: 1, HOST: h" x\n',
        'env: "{A: 1, DB_PASSWORD: *****}" x\nvars: A=1, API_TOKEN=***** # c\n'
        'vars: \'{"A": "1", "API_KEY": "*******"}\' x\nvars: "A: 1, HOST: h" x\n',
    ),
    "explicit keys": (
        "vars:\n  ? DB_PASSWORD\n  : `Cnry1\n  ? 'API_KEY' # c\n  :\n    Cnry2\n  ? HOST\n  : h\n"
        "  ? API_TOKEN\n  x: y\n  : shown\n",
        "vars:\n  ? DB_PASSWORD\n  : ******\n  ? 'API_KEY' # c\n  :\n    *****\n  ? HOST\n  : h\n"
        "  ? API_TOKEN\n  x: y\n  : shown\n",
    ),
    "anchored values aliased by secrets": (
        "vars:\n  A: &a 'Cnry1' x\n  B: &b Cnry2 # c\n  C: &c\n    Cnry3\n  D: &d |\n    Cnry4\n  E: &e shown\n"
        "  F: &f !!str Cnry5\n  G: &a Cnry6\n  - value: *b\n    key: SECRET\n  - key: TOKEN\n    value: *c\n"
        "  registryLogin:\n    token: *d\n  HOST: *e\n  TLS_KEY:\n    *f\n  DB_PASSWORD: *a\n"
        "  H: &h Cnry7\n  API_KEYS:\n    - *h\n",
        "vars:\n  A: &a 'Cnry1' x\n  B: &b ***** # c\n  C: &c\n    *****\n  D: &d |\n    *****\n  E: &e shown\n"
        "  F: &f !!str *****\n  G: &a *****\n  - value: **\n    key: SECRET\n  - key: TOKEN\n    value: **\n"
        "  registryLogin:\n    token: **\n  HOST: *e\n  TLS_KEY:\n    **\n  DB_PASSWORD: **\n"
        "  H: &h *****\n  API_KEYS:\n    ****\n",
    ),
    "NAME=value": (
        "environment:\n  - DB_PASSWORD=Cnry1\n  - MODE=dev\n x: [\n",
        "environment:\n  - DB_PASSWORD=*****\n  - MODE=dev\n x: [\n",
    ),
    "references": (
        "vars:\n  DB_PASSWORD: ${DB_PASSWORD}\n  X: ${DB_PASSWORD:-Cnry1}\n  DB_PASS:Cnry2\n x: [\n",
        "vars:\n  DB_PASSWORD: ${DB_PASSWORD}\n  X: ${DB_PASSWORD:-*****}\n  DB_PASS:*****\n x: [\n",
    ),
    "url and token": (
        "x: postgres://u:Cnry1@h/d and ghp_" + "Cnry2" * 8 + "\n x: [\n",
        "x: postgres://u:*****@h/d and " + "*" * 44 + "\n x: [\n",
    ),
    "tab": ("vars:\n\tDB_PASSWORD: Cnry1\n", "vars:\n\tDB_PASSWORD: *****\n"),
    "rest of the line when it cannot tell": (
        "personalAccessToken: ghp_Cnry1: x # c\n",
        "personalAccessToken: ************ # c\n",  # a comment ends it, as YAML reads one
    ),
    "registryLogin and secrets as scalars": (
        "application:\n  registryLogin: Cnry1: x\n  pods:\n  - secrets: 'Cnry2' # c\n  - secrets: &s\n"
        "    - name: s\n      data: Cnry3\n  - registryLogin: *login\n",
        "application:\n  registryLogin: ********\n  pods:\n  - secrets: '*****' # c\n  - secrets: &s\n"
        "    - name: s\n      data: *****\n  - registryLogin: *login\n",
    ),
    "a plain secret going on under its key": (
        "vars:\n  DB_PASSWORD: abc\n    Cnry1 : x\n  # DB_PASSWORD: Cnry2\n  HOST: h\n  - x\n",
        "vars:\n  DB_PASSWORD: ***\n    *********\n  # DB_PASSWORD: *****\n  HOST: h\n  - x\n",
    ),
    "comments": (
        "vars: [\n  # API_KEY: Cnry1  # shown\n  #- DB_PASSWORD=Cnry2\n  # note: shown\n  X: 1 # API_TOKEN: Cnry3\n"
        "  TLS_KEY: | # OLD_SECRET: Cnry4\n",
        "vars: [\n  # API_KEY: *****  # shown\n  #- DB_PASSWORD=*****\n  # note: shown\n  X: 1 # API_TOKEN: *****\n"
        "  TLS_KEY: | # OLD_SECRET: *****\n",
    ),
    "vars commented out, quoted or in a flow": (
        'vars: [\n  # "DB_PASSWORD": "Cnry1"\n  # vars: {API_TOKEN: Cnry2, HOST: h}\n  # - "API_KEY: Cnry3"\n'
        '  # "HOST": h  # {note: shown}\n',
        'vars: [\n  # "DB_PASSWORD": *******\n  # vars: {API_TOKEN: *****, HOST: h}\n  # - "API_KEY: *****"\n'
        '  # "HOST": h  # {note: shown}\n',
    ),
    "a secret's value commented out under its key": (
        "vars: [\n  # API_KEY: >-\n  #   Cnry1\n\n  #   Cnry2\n  # HOST: h\n  # DB_PASSWORD:\n"
        "  #   old: Cnry3\n  X: 1\n  #   shown\n  # TLS_KEY: |\n  x: 2  #   shown\n",
        "vars: [\n  # API_KEY: >-\n  #   *****\n\n  #   *****\n  # HOST: h\n  # DB_PASSWORD:\n"
        "  #   **********\n  X: 1\n  #   shown\n  # TLS_KEY: |\n  x: 2  #   shown\n",
    ),
    "a comment line ends nothing": (
        "vars:\n  DB_PASSWORD:\n# a note\n    Cnry1\n  HOST: h\nenv:\n  - value: Cnry2\n# a note\n    key: API_KEY\n"
        " x: [\n",
        "vars:\n  DB_PASSWORD:\n# a note\n    *****\n  HOST: h\nenv:\n  - value: *****\n# a note\n    key: API_KEY\n"
        " x: [\n",
    ),
    "a private key commented out line by line": (
        "x: [\n# -----BEGIN RSA PRIVATE KEY-----\n# Cnry1\n\n#  Cnry2 \n  # -----END RSA PRIVATE KEY-----\n"
        "# note: shown\n"
        "y: 1 # -----BEGIN PRIVATE KEY-----\nz: 2\n# shown\n",
        "x: [\n# -----BEGIN RSA PRIVATE KEY-----\n# *****\n\n#  ***** \n  # -----END RSA PRIVATE KEY-----\n"
        "# note: shown\n"
        "y: 1 # -----BEGIN PRIVATE KEY-----\nz: 2\n# shown\n",
    ),
    "a secret option's value": (
        'command: ["app", "--password", "Cnry1", "--port", "80", "--token", "--x"]\nargs:\n  - --api-key\n'
        "  - Cnry2\n  - --token\n  - Cnry3: x\n  - --secret\nimage: shown\nc: app --db-password Cnry4 -p 22\n x: [\n",
        'command: ["app", "--password", "*****", "--port", "80", "--token", "--x"]\nargs:\n  - --api-key\n'
        "  - *****\n  - --token\n  - *****: *\n  - --secret\nimage: shown\nc: app --db-password ***** -p 22\n x: [\n",
    ),
    # the fourteenth leak hunt: a header after `-H` as a list item; YAML's `''` read raw; a
    # command quoted over two lines, its option at the end of one and its value on the next
    "a secret header as a list item": (
        'command: [curl, -H, "X-Api-Key: Cnry1", "-H", "Accept: json", --header, "Authorization: Bearer Cnry2"] x\n'
        "args:\n  - -H\n  - 'X-Auth-Token:Cnry3'\n  - -H\n  - 'X-Api-Key: $API_KEY'\n x: [\n",
        'command: [curl, -H, "X-Api-Key: *****", "-H", "Accept: json", --header, "Authorization: Bearer *****"] x\n'
        "args:\n  - -H\n  - 'X-Auth-Token:*****'\n  - -H\n  - 'X-Api-Key: $API_KEY'\n x: [\n",
    ),
    "a password after an empty quoted string, raw": (
        "entrypoint: 'redis-cli -a ''Cnry1'' ping' x\n",
        "entrypoint: 'redis-cli -a ''*****'' ping' x\n",
    ),
    "a command quoted over lines": (
        "command: \"redis-cli -a\n    Cnry1 ping\" x\nargs: 'app --password\n\n  Cnry2\n  --token' x\n"
        'c: "echo -a\n  shown"\n',
        "command: \"redis-cli -a\n    ***** ping\" x\nargs: 'app --password\n\n  *****\n  --token' x\n"
        'c: "echo -a\n  shown"\n',
    ),
    "a URL password with a slash, a hash, a question mark and a space": (
        "DATABASE_URL: postgres://u:Cnry/1#2?3 4@db:5432/app\nW: https://h:8080/x?to=a@b.c\n x: [\n",
        "DATABASE_URL: postgres://u:************@db:5432/app\nW: https://h:8080/x?to=a@b.c\n x: [\n",
    ),
    "a token or a URL as a key": (
        "ghp_" + "Cnry1" * 8 + ': x\n"pg://u:Cnry2@h/d": y\n x: [\n',
        "*" * 44 + ': x\n"pg://u:*****@h/d": y\n x: [\n',
    ),
    # hunt 65 F1: a secret's key at the end of its line in a flow: the value below was shown
    "a secret's value on the line after its key, in a flow": (
        "vars: {DB_PASSWORD:\n  Cnry1, X: [}\nv: [{key: API_KEY, value:\nCnry2}, ]]\n"
        "w: {? SMTP_PASSWORD\n   : 'Cnry3', Y: [}\n",
        "vars: {DB_PASSWORD:\n  *****, X: [}\nv: [{key: API_KEY, value:\n*****}, ]]\n"
        "w: {? SMTP_PASSWORD\n   : '*****', Y: [}\n",
    ),
    # hunt 65 F2: YAML's other line breaks (NEL, LS, PS) right after a secret's key
    "a secret's value after a line break no editor shows": (
        "vars:\n  DB_PASSWORD: \u2028Cnry1\n  API_KEY:\x85Cnry2\n",
        "vars:\n  DB_PASSWORD: \u2028*****\n  API_KEY:\x85*****\n",
    ),
    # hunt 66 F1: a tab in the indentation (YAML's error, so the line its frame shows)
    "a secret's lines indented with a tab": (
        "vars:\n  DB_PASSWORD: |\n    a\n\t\tCnry1\n  X:\n\t- key: API_KEY\n\t  value: Cnry2\n",
        "vars:\n  DB_PASSWORD: |\n    *\n\t\t*****\n  X:\n\t- key: API_KEY\n\t  value: *****\n",
    ),
    # hunt 66 F2: `env` names the item's var here, not a list of vars
    "an item named by env": (
        '- env: SECRET_KEY\n  value: "C:\\Cnry1"\n- ENV: LOG_LEVEL\n  value: debug\n',
        '- env: SECRET_KEY\n  value: "********"\n- ENV: LOG_LEVEL\n  value: debug\n',
    ),
    # hunt 97 F1: a pod's own `env:` string holds vars too (`NAME value`), as the parsed reader reads it
    "a pod's env string": (
        "pods:\n  - name: web\n    env: DB_PASSWORD Cnry1, LOG: x: y\n  - name: api\n    ENV: API_KEY=Cnry2\n"
        "  - env: DB_TOKEN\n    value: Cnry3\n",
        "pods:\n  - name: web\n    env: DB_PASSWORD **********: x: y\n  - name: api\n    ENV: API_KEY=*****\n"
        "  - env: DB_TOKEN\n    value: *****\n",
    ),
    # hunt 66 F3: a value before its key, over lines or as a collection
    "a value over lines before its key": (
        '- value: "Cnry1\n    Cnry2"\n  key: DB_PASSWORD\n- value: [Cnry3, x]\n  key: API_KEY\n'
        "- value: |\n    Cnry4\n  X: shown\n  key: AUTH_TOKEN\n x: [\n",
        '- value: ******\n    *****"\n  key: DB_PASSWORD\n- value: **********\n  key: API_KEY\n'
        "- value: *\n    *****\n  X: shown\n  key: AUTH_TOKEN\n x: [\n",
    ),
    # hunt 66 F4: a plain secret's comment was starred with it
    "a comment after a secret": (
        "vars:\n  DB_PASSWORD: Cnry1 # rotate monthly\n  API_KEY: Cnry2#3\t# c\n  DB_TOKEN: Cnry3 #Cnry4\n x: [\n",
        "vars:\n  DB_PASSWORD: ***** # rotate monthly\n  API_KEY: *******\t# c\n  DB_TOKEN: ************\n x: [\n",
    ),
    # hunt 65 F3: a switch or a file's path under a secret's name is shown, as a parsed file shows it
    "a switch or a path under a secret's name": (
        'vars:\n  REDIS_AUTH: "off"\n  SSL_KEY: /etc/ssl/tls.key\n  DB_PASSWORD: /etc/x\n    Cnry1\n'
        "  BASIC_AUTH: false # c\n  X: {API_KEY: no, TOKEN: /etc/t, A: [}\n",
        'vars:\n  REDIS_AUTH: "off"\n  SSL_KEY: /etc/ssl/tls.key\n  DB_PASSWORD: ******\n    *****\n'
        "  BASIC_AUTH: false # c\n  X: {API_KEY: no, TOKEN: /etc/t, A: [}\n",
    ),
    # hunt 67 F8-F10: a list at the item's keys' indentation, a quoted value of a flow item over
    # lines, a line break editors do not show after a secret's comment
    "more values before their keys, and a break after a comment": (
        "- value:\n  - Cnry1\n  key: DB_PASSWORD\n- {value: 'Cnry2\n    Cnry3', key: API_KEY} x\n"
        "DB_PASSWORD: # c\u2028Cnry4\n",
        "- value:\n  *******\n  key: DB_PASSWORD\n- {value: ******\n    *****', key: API_KEY} x\n"
        "DB_PASSWORD: # c\u2028*****\n",
    ),
    # hunt 69 F3-F6: a switch that goes on (past a break, in a flow, below) or has text after it
    "a switch that is no whole value": (
        'vars:\n  DB_PASSWORD: off\u2028Cnry1\n  AUTH_TOKEN: "off" Cnry3\n  SECRET_KEY: off # old\n    Cnry4\n'
        "  X: {API_KEY: no\n   Cnry2, Y: [}\n",
        'vars:\n  DB_PASSWORD: ***\u2028*****\n  AUTH_TOKEN: "***" *****\n  SECRET_KEY: *** # old\n    *****\n'
        "  X: {API_KEY: **\n   *****, Y: [}\n",
    ),
    # hunt 82 F3: a var's name, a blank for the `:`, then its value; not a name of capitals
    "a var name with its value after a blank": (
        "vars:\n  DB_PASSWORD Cnry1: x: y\n  - API_TOKEN Cnry2\n  TOKEN TTL: 3600\n x: [\n",
        "vars:\n  DB_PASSWORD *****: x: y\n  - API_TOKEN *****\n  TOKEN TTL: 3600\n x: [\n",
    ),
    # hunt 110 F1: a key's escapes read as YAML reads them, a `?` key's tag or anchor skipped, and
    # the mapping under a tagged or anchored key indented from its tag
    "escaped, tagged and anchored keys": (
        'vars:\n  "DB_\\u0050ASSWORD": "Cnry1" x\n  - key: "API_\\x54OKEN"\n    value: Cnry2\n'
        "  ? !!str API_TOKEN\n  : Cnry3\n  ? &a SECRET_KEY\n  : Cnry4\n"
        "pods:\n  !!str secrets:\n    - name: s\n      data: Cnry5\n  &l registryLogin:\n    foo: Cnry6\n"
        '  "HO\\x53T": h\n x: [\n',
        'vars:\n  "DB_\\u0050ASSWORD": "*****" *\n  - key: "API_\\x54OKEN"\n    value: *****\n'
        "  ? !!str API_TOKEN\n  : *****\n  ? &a SECRET_KEY\n  : *****\n"
        "pods:\n  !!str secrets:\n    - name: s\n      data: *****\n  &l registryLogin:\n    foo: *****\n"
        '  "HO\\x53T": h\n x: [\n',
    ),
    # hunt 112 F2: an item's `NAME=value`, `NAME value`, an option and a header, escaped
    "escaped items, options and headers": (
        'vars:\n  - "DB_\\u0050ASSWORD=Cnry1"\n  - "API_\\x54OKEN Cnry2"\n  - "MO\\x44E=fast"\n'
        'command: ["app", "--pass\\x77ord", "Cnry3", "-H", "Authori\\x7aation: Bearer Cnry4"]\n'
        'x: "a\\x41" [\n  - "API_\\U00110000TOKEN=x"\n',
        'vars:\n  - "DB_\\u0050ASSWORD=*****"\n  - "API_\\x54OKEN *****"\n  - "MO\\x44E=fast"\n'
        'command: ["app", "--pass\\x77ord", "*****", "-H", "Authori\\x7aation: Bearer *****"]\n'
        'x: "a\\x41" [\n  - "API_\\U00110000TOKEN=*"\n',  # an escape past U+10FFFF: judged as written
    ),
    # hunt 113 F1: a quote left open, or an escape YAML refuses, left the whole name as written
    "escaped names with an escape refused or a quote open": (
        'command: ["curl", "-H", "Authori\\x7aation: Bearer Cnry4\\q"]\n'
        'vars:\n  - "DB_\\u0050ASSWORD=Cnry1\\q"\n  - "API_\\x54OKEN Cnry2\\U00110000"\n'
        '  "\\qDB_\\u0050ASSWORD2": "Cnry3"\n  - "DB_\\u0050ASSWORD=Cnry5\n',
        'command: ["curl", "-H", "Authori\\x7aation: Bearer *******"]\n'
        'vars:\n  - "DB_\\u0050ASSWORD=*******"\n  - "API_\\x54OKEN ***************"\n'
        '  "\\qDB_\\u0050ASSWORD2": "*****"\n  - "DB_\\u0050ASSWORD=*****\n',
    ),
    # hunt 113 F5: what runs on from a closing quote on a later line, as on the quote's own line
    "a secret's quote closed on a later line": (
        "vars:\n  DB_PASSWORD: \"Cnry1\n    Cnry2\"Cnry3\n  API_KEY: 'Cnry4\n  TOKEN: 'Cnry5'\n x: [\n",
        "vars:\n  DB_PASSWORD: \"*****\n    *****\"*****\n  API_KEY: '*****\n  *******'******\n x: [\n",
    ),
    # hunt 113 F4: a directive, a document's end or a byte-order mark at a line's start ended the
    # block around them, and the parser's error is on the next line, shown with its secret
    "a directive, an end marker and a byte-order mark inside a block": (
        "secrets:\n- name: s1\n...\n  data: Cnry1\nvars:\n- key: SECRET_KEY\n%YAML 1.2\n  value: Cnry2\n"
        "secrets:\n\ufeff  - name: s2\n    data: Cnry3\n",
        "secrets:\n- name: s1\n...\n  data: *****\nvars:\n- key: SECRET_KEY\n%YAML 1.2\n  value: *****\n"
        "secrets:\n\ufeff  - name: s2\n    data: *****\n",
    ),
    # hunt 113 F2: merge keys; a merge list's aliases were not followed, and a var's template
    # (an anchored block mapping) never had its `value:` judged
    "merged templates": (
        "x-b: &b\n  other: Cnry1\nx-f: &f\n  name: s1\n  data: Cnry2\nx-v: &v\n  key: DB_PASSWORD\n"
        "  value: Cnry3\nx-w: &w  # not a secret\n  key: LOG_LEVEL\n  value: debug\n"
        "registryLogin:\n  <<: [*b]\nsecrets:\n- <<: [ *f ]\nvars:\n- <<: *v\n- <<: *w\n x: [\n",
        # a mapping merged whole into a secret's place is starred whole (over-masked: a known gap)
        "x-b: &b\n  ************\nx-f: &f\n  ********\n  ***********\nx-v: &v\n  key: DB_PASSWORD\n"
        "  value: *****\nx-w: &w  # not a secret\n  key: LOG_LEVEL\n  value: debug\n"
        "registryLogin:\n  <<: ****\nsecrets:\n- <<: ******\nvars:\n- <<: *v\n- <<: *w\n x: [\n",
    ),
    # hunt 118 F3: an exec-form command in double quotes, read as YAML reads it
    "an exec-form command in double quotes": (
        'command: "[\\"redis-server\\", \\"--requirepass\\", \\"Cnry1\\"]"]\n',
        'command: "[\\"redis-server\\", \\"--requirepass\\", \\"*****\\"]"]\n',
    ),
    # hunt 126 F7: and one read as a key
    "an exec-form command in double quotes as a key": (
        'command: "[\\"redis-server\\", \\"--requirepass\\", \\"Cnry1\\"]": x\n y: [\n',
        'command: "[\\"redis-server\\", \\"--requirepass\\", \\"*****\\"]": x\n y: [\n',
    ),
    # hunt 118 F4: a quoted value that goes on after an escaped break, or a var item's value
    # on the line after its `NAME=`
    # hunt 142 F2: a tab leading a secret's `>` text (the file's error) counted as 8 columns, the
    # key's own, and the line was no longer the secret's
    "a secret's block text led by a tab": (
        "vars:\n        DB_PASSWORD: >\n\tCnry1\n",
        "vars:\n        DB_PASSWORD: >\n\t*****\n",
    ),
    "a quoted value that goes on": (
        'command: "redis-server --requirepass \\\n  Cnry1 --dir C:\\data"\n'
        'c2: "curl -H \\"Authorization: Bearer \\\n  Cnry2\\" http://x"\n'
        "vars:\n  - 'DB_PASSWORD=\n    Cnry3' x\n",
        # the line's own `\\` read as the option's value: a character of over-masking
        'command: "redis-server --requirepass *\n  ***** --dir C:\\data"\n'
        'c2: "curl -H \\"Authorization: Bearer *\n  *****\\" http://x"\n'
        # text run on from a secret's closing quote is starred too, as a secret key's value's is
        "vars:\n  - 'DB_PASSWORD=\n    *****' *\n",
    ),
    # hunt 122 F4: a secrets item, a secrets list or registryLogin given whole by an alias
    "secrets and logins given by an alias": (
        "x-t: &tls\n  name: tls-cert\n  data: Cnry1\nx-f: &f {name: c, data: Cnry2}\n"
        "x-l: &login\n  personalAccessToken: Cnry3\nsecrets:\n- *tls\npods:\n- secrets: [*f]\n"
        "registryLogin: *login\nvolumes:\n- *plain\n x: [\n",
        "x-t: &tls\n  **************\n  ***********\nx-f: &f **********************\n"
        "x-l: &login\n  **************************\nsecrets:\n- *tls\npods:\n- secrets: [*f]\n"
        "registryLogin: *login\nvolumes:\n- *plain\n x: [\n",
    ),
    # hunt 123 F1: a secret vars item whose value goes on over more than three lines, plain,
    # quoted, or a block scalar item
    "a secret vars item over many lines": (
        "vars:\n  - DB_PASSWORD=a\n    b\n    c\n    d\n\t    Cnry1\n  - 'API_TOKEN=a\n    b\n    c\n    d\n"
        "\t    Cnry2'\n  - >-\n    DB_PASSWORD=a\n\t    Cnry3\n  - MODE=a\n    b\n",
        "vars:\n  - DB_PASSWORD=*\n    *\n    *\n    *\n\t    *****\n  - 'API_TOKEN=*\n    *\n    *\n    *\n"
        "\t    *****'\n  - >-\n    DB_PASSWORD=*\n\t    *****\n  - MODE=a\n    b\n",
    ),
    # hunt 124 F2, F3: a secret vars item in a flow list going on; a block scalar item with an
    # anchor or a tag before its header
    "flow and tagged vars items that go on": (
        "vars: [DB_PASSWORD=a\n\t Cnry1, MODE=x]\nv2:\n  vars:\n  - &k |\n    DB_PASSWORD=a\n\t    Cnry2\n"
        "  - !!str >-\n    API_TOKEN=a\n\t    Cnry3\n",
        "vars: [DB_PASSWORD=*\n\t *****, MODE=x]\nv2:\n  vars:\n  - &k |\n    DB_PASSWORD=*\n\t    *****\n"
        "  - !!str >-\n    API_TOKEN=*\n\t    *****\n",
    ),
    # hunt 125 F3: a secret plain value going on in a flow, past a comment line
    "a flow value going on past a comment": (
        "vars: [DB_PASSWORD=a\n  # note\n\t Cnry1, MODE=x]\nv: {API_TOKEN: a\n  # note\n\t Cnry2}\n",
        "vars: [DB_PASSWORD=*\n  # note\n\t *****, MODE=x]\nv: {API_TOKEN: *\n  # note\n\t *****}\n",
    ),
    # hunt 124 F4: an alias under a public key of registryLogin or a secrets item is shown
    "aliases under public keys": (
        "x: &r ghcr.io\nregistryLogin:\n  registry:\n    *r\nsecrets:\n- name:\n    *r\n  data: Cnry1\ny: [\n",
        "x: &r ghcr.io\nregistryLogin:\n  registry:\n    *r\nsecrets:\n- name:\n    *r\n  data: *****\ny: [\n",
    ),
    # hunt 122 F5: a plain vars item whose value goes on to the next line (a tab there)
    "a plain vars item that goes on": (
        "vars:\n  - DB_PASSWORD=\n\t    Cnry1\n  - API_TOKEN=Cnry2\n    Cnry3\n  - MODE=fast\n    slow\n",
        "vars:\n  - DB_PASSWORD=\n\t    *****\n  - API_TOKEN=*****\n    *****\n  - MODE=fast\n    slow\n",
    ),
    # hunt 113 F8: a vars item one column left of its `vars:` was read outside vars; the next
    # pod, back at its own column, is outside again
    "a vars item one column too far left": (
        "pods:\n  - name: api\n    vars:\n    - DB_PASSWORD=Cnry1\n   - API_TOKEN Cnry2\n    - MODE=x\n"
        "  - name: API_TOKEN Cnry3\n    x: [\n",
        "pods:\n  - name: api\n    vars:\n    - DB_PASSWORD=*****\n   - API_TOKEN *****\n    - MODE=x\n"
        "  - name: API_TOKEN Cnry3\n    x: [\n",
    ),
    "ordinary values": (
        "application:\n  name: shop # a name\n  pods:\n  - vars:\n      HOME: /home/app\n"
        "    - key: LOG_LEVEL\n      value: debug\n  x: [\n",
    )
    * 2,
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_shape_is_masked_exactly(name: str) -> None:
    text, expected = SHAPES[name]
    assert loader.load(text, "nexlayer.yaml")[0] is None, "the shape must not parse"
    assert unparsed.mask(text, [(1, len(LINE_BREAK.findall(text)) + 1)]) == expected  # YAML's breaks, as frames count


@pytest.mark.parametrize(
    "lead",
    ["\u00a0", "\u200b", "\u2060", "\u3000", "\ufeff\ufeff", "\u3164", "\u2800", "\ufe0f", "\U000e0100", "\u180b"],
)
def test_a_block_line_that_starts_with_an_invisible_blank_stays_in_the_block(lead: str) -> None:
    # hunt 118 F2: a no-break space (or a zero-width one, two byte-order marks) pasted at a line's
    # start ended the secret's block, and the parser stops on that very line
    text = f"vars:\n  TLS_KEY: |\n    -----BEGIN KEY-----\n{lead}   Cnry1\n    -----END KEY-----\n  A: 1\n"
    assert loader.load(text, "nexlayer.yaml")[0] is None
    masked = unparsed.mask(text, [(4, 4)]).split("\n")[3]
    assert "Cnry1" not in masked and masked.endswith("*****")
    # and no wider: the next key is read as one
    assert unparsed.mask("a:\n\u00a0 A: 1\nDB_PASSWORD: Cnry2\n x: [\n", [(1, 4)]).split("\n")[1:3] == [
        "\u00a0 A: 1",
        "DB_PASSWORD: *****",
    ]


def test_a_line_in_utf16_appended_to_a_utf8_file_has_its_secret_starred() -> None:
    # hunt 126 F2: Windows PowerShell's `>>` appends UTF-16: read as UTF-8, `D\x00B\x00_...` had no
    # secret's shape, and the frame showed the password between its NULs
    from nexlayer_lint.engine import lint

    head = "application:\n  name: app\n  pods:\n    - name: web\n      vars:\n        A: b\n"
    raw = head.encode() + "        DB_PASSWORD: Cnry1x\r\n        B: c\r\n".encode("utf-16-le")
    text = raw.decode("utf-8")
    assert loader.load(text, "nexlayer.yaml")[0] is None
    masked = unparsed.mask(text, [(1, 9)])
    assert "Cnry1x" not in masked.replace("\x00", "")
    # the NULs between its characters are starred with them
    assert masked.replace("\x00", "").split("\n")[6:8] == ["        DB_PASSWORD: " + "*" * 11 + "\r", "        B: c\r"]
    assert "Cnry" not in lint(raw, "nexlayer.yaml").masked_text.replace("\x00", "")
    # a NUL inside a name is read past too; a line without a NUL is as it was
    assert unparsed.mask("DB_PASS\x00WORD: Cnry2\nx: [\n", [(1, 2)]) == "DB_PASS\x00WORD: *****\nx: [\n"


def test_secrets_or_a_login_given_by_an_alias_on_the_line_below_are_starred() -> None:
    # hunt 123 F2: `secrets:` then `  *all` on the next line was not followed
    text = (
        "x-a: &all\n- name: s\n  data: Cnry1\nx-l: &login\n  token: Cnry2\n"
        "secrets:\n  *all\nregistryLogin:\n  *login\n x: [\n"
    )
    masked = unparsed.mask(text, [(1, 10)])
    assert "Cnry" not in masked
    assert masked.split("\n")[6:9] == ["  *all", "registryLogin:", "  *login"]
    # hunt 126 F5: at the key's own column, or after an anchor or a tag, it was not followed
    for secrets in ("secrets:\n*all", "secrets: &s2\n  *all", "secrets: !!seq\n  *all", "secrets:\n  !!seq *all"):
        text = f"x-a: &all\n- name: s\n  data: Cnry3\n{secrets}\n x: [\n"
        assert "Cnry" not in unparsed.mask(text, [(1, 6)]), secrets
    # hunt 130 F3, F4: not an alias that is a key beside it; a verbatim tag with a blank skipped
    assert "PublicY" in unparsed.mask("x-k: &kk PublicY\nsecrets:\n*kk : 1\n x: [\n", [(1, 4)])
    text = "x-l: &login\n  zzz: Cnry5\nregistryLogin:\n  !<a b> *login\n x: [\n"
    assert "Cnry5" not in unparsed.mask(text, [(1, 5)])
    # and not an alias at the column of a public key after it
    assert "Cnry4" in unparsed.mask("x-a: &r\n  Cnry4\nsecrets:\nregistry: x\n*r\n x: [\n", [(1, 6)])


def test_only_the_lines_a_frame_shows_are_kept() -> None:
    text = "a: 1\nDB_PASSWORD: Cnry1\nb: 2\nc: [\nd: 4\n"
    assert unparsed.mask(text, [(2, 2), (4, 4)]) == "\nDB_PASSWORD: *****\n\nc: [\n"
    assert unparsed.mask(text, []) == ""
    assert unparsed.mask(text, [(9, 9)]) == "\n" * 5  # past the end: every line is there, none shown


def test_a_value_before_its_key_is_judged_by_the_lines_after_those_shown() -> None:
    text = "vars:\n  - value: Cnry1: x\n    key: API_KEY\n  - value: debug\n    key: LOG_LEVEL\n  - x: [\n"
    assert unparsed.mask(text, [(2, 2)]) == "\n  - value: ********\n"
    assert unparsed.mask(text, [(4, 4)]) == "\n\n\n  - value: debug\n"
    assert unparsed.secret_ranges(text, 2) == [(11, 19)]
    assert unparsed.secret_ranges(text, 4) == []
    # a value whose item never names a secret is read to the end of its item, and no further
    assert unparsed.mask("- value: v\n  x: [\n", [(1, 1)]) == "- value: v\n"


def test_an_anchored_value_is_judged_by_the_aliases_after_the_lines_shown() -> None:
    text = "vars:\n  A: &pw 'Cnry1' x\n  B: &b shown\n  C: 1\n  DB_PASSWORD: *pw\n  HOST: *b\n"
    assert unparsed.mask(text, [(2, 3)]) == "\n  A: &pw '*****' x\n  B: &b shown\n"
    assert unparsed.secret_ranges(text, 2) == [(10, 15)]
    assert unparsed.secret_ranges(text, 3) == []


def test_an_emptied_line_keeps_a_lone_cr_apart_from_the_next_break() -> None:
    # found by fuzzing: "a: 1\r" + "" + "\n" read as one \r\n break, and every later line moved up
    assert unparsed.mask("a: 1\rb: 2\n- x\n", [(3, 3)]) == "\r \n- x\n"


# Each worst case of a scan that could go quadratic, in a fresh interpreter with a hang guard.
# Quadratic versions take minutes; the linear scan takes milliseconds.
WORST = {
    "a: a-a-a-...": "'a: ' + 'a-' * 50_000 + '\\n b: c\\n'",
    "a:a:a:...": "'x: [\\n' + 'a:' * 50_000 + '\\n'",
    "nested values": "'- {value: ' * 20_000 + '\\n x: [\\n'",
    "nested keys": "'- {key: ' * 20_000 + '\\n x: [\\n'",
    "escaped quotes": "'DB_PASSWORD: \"' + 'a\\\\\\\\\"' * 30_000 + '\\n x: [\\n'",
    "secret keys in a flow": "'{' + 'DB_PASSWORD:' * 20_000 + '\\n x: [\\n'",
    "long secret key": "'x: [\\n' + 'A_' * 50_000 + 'KEY: v\\n'",
    "anchors before a registryLogin": "'registryLogin: ' + '&a ' * 50_000 + '\\n x: [\\n'",
    # found by fuzzing: values that wait for their key, each to the line's end; a line of names
    "a chain of values before a secret key": "'- ' + 'value: ' * 20_000 + 'x\\n  key: DB_PASSWORD\\n'",
    "a chain of keys": "'- ' + 'key: ' * 200_000 + 'x\\n'",  # ~1 s; quadratic would take hours
    "private keys begun on every line": "'x: [\\n' + '# -----BEGIN PRIVATE KEY----- a\\n' * 50_000",
    "secret options": "'x: [' + '\"--password\", ' * 50_000 + '\\n' + '- --token\\n' * 50_000",
    "a vars string of many entries": "'vars: \"{' + 'DB_PASSWORD: a, ' * 20_000 + '}\" x\\n' + 'env: A=1, ' * 50_000",
    "explicit keys": "'? ' * 50_000 + 'x\\n' + '? DB_PASSWORD\\n: `a\\n' * 30_000",
    "anchored collections aliased by secrets": "'x: [\\n' + ''.join(f'k{i}: &a{i} [' for i in range(20_000))"
    " + '\\n' + ''.join(f'DB_PASSWORD: *a{i}\\n' for i in range(20_000))",
    "nested anchored values aliased by secrets": "''.join(' ' * i + f'k{i}: &a{i}\\n' for i in range(1_000))"
    " + ''.join(f'DB_PASSWORD: *a{i}\\n' for i in range(1_000)) + 'x: [\\n'",
    "a secret's value commented out": "'x: [\\n# API_KEY: |\\n' + '#   a\\n' * 50_000 + '# ' + '2' * 100_000 + '|\\n'",
    "comments in comments": "'x: [\\n# DB_PASSWORD: ' + 'a #' * 100_000 + '\\n'",
    "a long command list": "'x: [git, config, ' + '--global, ' * 30_000 + 'x.token, pw, ' * 30_000 + '\\n'",
    "headers after -H": "'x: [' + '-H, \"X-Api-Key: a\", ' * 50_000 + '\\n'",
    "a quoted command over many lines": "'x: [\\nc: \"' + 'redis-cli -a ' * 1_000 + '\\n' * 2 + '  -a\\n' * 50_000",
    "a block scalar's command over many lines": "'x: [\\nc: |\\n' + '  redis-cli -a \\\\\\n' * 30_000",
    "a plain value's command over many lines": "'x: [\\nc: redis-cli\\n' + '  -a x\\n' * 30_000",
    "empty quoted strings": "'x: [\\nc: \"redis-cli -a ' + chr(39) * 100_000 + 'a -a ' + chr(39) * 100_001 + '\\n'",
}
_RUN = """
import time
from nexlayer_lint import unparsed
text = {expr}
start = time.perf_counter()
unparsed.mask(text, [(1, text.count(chr(10)) + 1)])
print(time.perf_counter() - start)
"""


@pytest.mark.parametrize("name", sorted(WORST))
def test_worst_cases_are_linear(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RUN.format(expr=WORST[name])], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert float(done.stdout) < 15 * slowness(), f"{name}: {float(done.stdout):.2f} s"
