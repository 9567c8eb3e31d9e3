"""The files compare.py lints: the project's two examples, generated typical files, the real corpus.

Every batch is written as root/<case>/NNNN/nexlayer.yaml, so each file has its own path and
nothing can be cached by name.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
DEFAULT_CORPUS = CHECKOUT.parent / "shared" / "corpus" / "real"  # ../shared/corpus/real

CLEAN_FILE = CHECKOUT / "examples" / "good" / "nexlayer.yaml"  # three pods, no finding
# The same app with the mistakes people make most: four schema findings (a name pattern, a
# missing key, an unknown key, a size pattern) that check-jsonschema reports too, and five
# semantic ones (no public path, an untagged image, an unknown pod, a literal secret, Postgres's
# data directory).
FINDINGS_FILE = CHECKOUT / "examples" / "broken" / "nexlayer.yaml"

# A typical file: three pods (web, api, Postgres), vars, one volume. {n} makes every file distinct.
TEMPLATE = """\
# A three-pod app: a public web front end, an API behind /api, and Postgres.
application:
  name: bookshop-{n}
  pods:
    - name: web
      image: ghcr.io/acme/bookshop-web:1.4.{n}
      path: /
      servicePorts: [3000]
      vars:
        API_URL: http://api.pod:8000
        PUBLIC_URL: <% URL %>
    - name: api
      image: ghcr.io/acme/bookshop-api:1.4.{n}
      path: /api
      servicePorts: [8000]
      vars:
        DATABASE_URL: postgresql://shop:${{DB_PASSWORD}}@db.pod:5432/shop
        DB_PASSWORD: ${{DB_PASSWORD}}
    - name: db
      image: postgres:16.4
      servicePorts: [5432]
      vars:
        POSTGRES_USER: shop
        POSTGRES_DB: shop
        POSTGRES_PASSWORD: ${{DB_PASSWORD}}
        PGDATA: /var/lib/postgresql/pgdata
      volumes:
        - name: db-data
          size: 2Gi
          mountPath: /var/lib/postgresql
"""


def _write(root: Path, texts: list[bytes]) -> list[str]:
    """Each text as root/NNNN/nexlayer.yaml; the paths, relative to root.parent, in order."""
    paths = []
    for n, text in enumerate(texts):
        target = root / f"{n:04d}" / "nexlayer.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text)
        paths.append(str(target.relative_to(root.parent)))
    return paths


def synthetic_files(root: Path, count: int) -> list[str]:
    """`count` clean typical files, each with its own name and image tags."""
    return _write(root, [TEMPLATE.format(n=n).encode() for n in range(count)])


def corpus_files(corpus: Path) -> list[Path]:
    """The corpus's YAML files in name order (empty when the folder is absent)."""
    if not corpus.is_dir():
        return []
    return sorted(p for p in corpus.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def replicated_corpus(root: Path, sources: list[Path], count: int) -> list[str]:
    """`count` files: the corpus over and over, in name order, each copy different from the others.

    A copy is the file's bytes with a last line `# copy K` (after a newline when the file has
    none), so no two files share a name or a content: a cache keyed by either gains nothing.
    A trailing comment changes no finding of any corpus file (checked when this was written).
    """
    texts = []
    for n in range(count):
        data = sources[n % len(sources)].read_bytes()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        texts.append(data + b"# copy %d\n" % (n // len(sources)))
    return _write(root, texts)
