"""The project's snapshot of diagnostics: every finding for the real corpus and for generated files.

A change that means to keep behaviour (a refactoring, speed work) must leave both snapshots
byte-identical; a change that means to alter findings regenerates them and the diff shows
exactly which findings moved:

    NEXLAYER_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py

Generated files are mutations of the seeds below (deterministic: `random.Random(index)`), so
they need nothing outside the checkout; the corpus snapshot needs ../shared/corpus/real/.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from nexlayer_lint.model import FileResult

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE / "snapshots"
GENERATED_COUNT = 1000

SEEDS = (
    """\
# A three-pod app: a public web front end, an API behind /api, and Postgres.
application:
  name: bookshop
  pods:
    - name: web
      image: ghcr.io/acme/bookshop-web:1.4.2
      path: /
      servicePorts: [3000]
      vars:
        API_URL: http://api.pod:8000
        PUBLIC_URL: <% URL %>
    - name: api
      image: ghcr.io/acme/bookshop-api:1.4.2
      path: /api
      servicePorts: [8000]
      vars:
        DATABASE_URL: postgresql://shop:${DB_PASSWORD}@db.pod:5432/shop
        DB_PASSWORD: ${DB_PASSWORD}
    - name: db
      image: postgres:16.4
      servicePorts: [5432]
      vars:
        POSTGRES_USER: shop
        POSTGRES_PASSWORD: ${DB_PASSWORD}
        PGDATA: /var/lib/postgresql/pgdata
      volumes:
        - name: db-data
          size: 2Gi
          mountPath: /var/lib/postgresql
""",
    """\
application:
  name: Book Shop
  pods:
    - name: web
      image: ghcr.io/acme/bookshop-web
      servicePort: [3000]
      vars:
        API_URL: http://bakend.pod:8000
    - name: api
      image: ghcr.io/acme/bookshop-api:1.4.2
      servicePorts: [8000]
      vars:
        DATABASE_URL: postgresql://shop:hunter2@db.pod:5432/shop
        DB_PASSWORD: hunter2
    - name: db
      image: postgres:16.4
      servicePorts: [5432]
      volumes:
        - name: db-data
          size: 2GB
          mountPath: /var/lib/postgresql/data
""",
    """\
application:
  name: private-app
  url: www.example.com
  registryLogin:
    registry: ghcr.io
    username: acme
    personalAccessToken: ghp_abcdefghijklmnopqrstuvwxyz0123456789
  pods:
    - name: frontend
      image: <% REGISTRY %>/acme/frontend:v2
      path: /
      servicePorts:
        - 80
      secrets:
        - name: app-config
          data: '{"apiKey": "abc123"}'
          mountPath: /var/secrets
          fileName: config.json
    - name: worker
      image: ghcr.io/acme/worker:latest
      command: ["node", "worker.js"]
      entrypoint: /bin/sh
      servicePorts: [9000]
      vars:
        - key: REDIS_URL
          value: redis://cache.pod:6379
        - key: API_TOKEN
          value: s3cr3t-token
        - key: ENABLED
          value: yes
    - name: cache
      image: redis:7
      servicePorts: [6379]
""",
    """\
application:
  name: anchors
  pods:
    - &base
      name: api
      image: "node:20"
      path: "/api"
      servicePorts: [3000]
      vars: &vars
        NODE_ENV: production
        MODE: 0755
        TIMEOUT: 1:30
    - <<: *base
      name: api2
      path: /api
      vars: *vars
    - name: web
      image: nginx
      path: /
      servicePorts: ["80"]
      volumes:
        - name: data
          size: 1Gi
          mountPath: /data
        - name: data
          size: 0.5Gi
          mountPath: /data
""",
    """\
application:
  name: flow
  pods: [{name: web, image: 'nginx:1.27', path: /, servicePorts: [80, 443],
          vars: {BACKEND: "http://${api:8080}/v1", SECRET_KEY: abc, EMPTY: ""}},
         {name: api, image: python:3.12-slim, servicePorts: [8080], vars: {DB: 'mysql://db.pod:3306'}}]
""",
)

# Values the mutations plant: shapes every stage has opinions about.
VALUES = (
    "yes",
    "No",
    "on",
    "0755",
    "1:30",
    "~",
    "null",
    "''",
    '""',
    "[]",
    "{}",
    "99999",
    "-1",
    "0",
    "3.5",
    "Web App",
    "web-",
    "/api",
    "api",
    "ghcr.io/acme/app",
    "<% REGISTRY %>/acme/app:1",
    "<% FOO %>",
    "http://api.pod:8000",
    "http://${api:9999}/x",
    "${DB_PASSWORD}",
    "postgres:16",
    "latest",
    "2GB",
    "/var/lib/postgresql/data",
    "|\n        multi\n        line",
    "'quoted # not comment'",
    "&a x",
    "*a",
    "!!str 5",
    "- item",
    "[a, b",
    "{x: 1",
    '"unterminated',
    "0x1F",
    "1e3",
    ".nan",
    "# filled by pipeline",
)
KEYS = (
    "name",
    "image",
    "path",
    "servicePorts",
    "servicePort",
    "vars",
    "env",
    "volumes",
    "mountPath",
    "size",
    "secrets",
    "data",
    "fileName",
    "registryLogin",
    "personalAccessToken",
    "url",
    "command",
    "entrypoint",
    "DB_PASSWORD",
    "API_KEY",
    "key",
    "value",
    "<<",
    "Image",
    "pods",
    "application",
)


def mutate(text: str, rng: random.Random) -> str:
    """One to three edits of one line each: replace a value, rename a key, delete, duplicate,
    re-indent, insert a key, add a directive comment, or splice a character."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        line = lines[i]
        # weighted so that about half the files still parse: those reach the schema and the checks
        op = rng.choices(range(9), weights=(30, 15, 10, 8, 4, 15, 8, 5, 5))[0]
        key, colon, _value = line.partition(":")
        if op == 0 and colon:
            lines[i] = f"{key}: {rng.choice(VALUES)}"
        elif op == 1 and colon and key.strip(" -"):
            lead = key[: len(key) - len(key.lstrip(" -"))]
            lines[i] = f"{lead}{rng.choice(KEYS)}:{line.partition(':')[2]}"
        elif op == 2:
            del lines[i]
        elif op == 3:
            lines.insert(i, line)
        elif op == 4:
            lines[i] = " " * rng.choice((0, 1, 2, 4, 6, 8)) + line.lstrip()
        elif op == 5:
            indent = len(line) - len(line.lstrip(" -"))
            lines.insert(i + 1, " " * indent + f"{rng.choice(KEYS)}: {rng.choice(VALUES)}")
        elif op == 6:
            code = rng.choice(("NX215", "NX213", "NX2", "NX999", "unpinned-image", ""))
            lines[i] = f"{line}  # nexlayer-lint: disable={code}"
        elif op == 7 and line:
            at = rng.randrange(len(line))
            lines[i] = line[:at] + rng.choice(":-[]{}&*!|>'\"#%@,?\t") + line[at + 1 :]
        else:
            lines[i] = line.replace("  ", "\t", 1)
    return "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")


def generated_documents(count: int = GENERATED_COUNT) -> Iterator[tuple[str, str]]:
    """(name, text): every seed as it is, then `count` mutations."""
    for n, seed in enumerate(SEEDS):
        yield f"seed-{n}.yaml", seed
    for index in range(count):
        rng = random.Random(index)
        seed = SEEDS[index % len(SEEDS)]
        yield f"gen-{index:04d}.yaml", mutate(seed, rng)


def corpus_documents(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml"):
            yield path.name, path.read_bytes()


def snapshot_lines(documents: Iterable[tuple[str, str | bytes]]) -> list[str]:
    """One line per diagnostic (and per internal error), in file order."""
    linter = Linter(Settings())
    out: list[str] = []
    for name, source in documents:
        result: FileResult = linter.lint(source, name)
        for d in result.diagnostics:
            hint = f"  [hint: {d.hint}]" if d.hint else ""
            line = f"{d.file}:{d.line}:{d.col}-{d.end_line}:{d.end_col} {d.severity} {d.code} {d.message}{hint}"
            out.append(line.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r"))
        if result.error:
            out.append(f"{name}: internal error: {result.error}")
    return out
