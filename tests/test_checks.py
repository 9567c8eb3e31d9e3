"""The semantic checks NX201-NX217: positions, messages, edge cases and false positives."""

from __future__ import annotations

import json
import textwrap

import pytest

from nexlayer_lint import loader
from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.common import TEMPLATE, ImageRef, parse_image
from nexlayer_lint.model import Document
from tests.conftest import CLEAN, lint_codes, lint_diags


def y(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def only(text: str, code: str) -> list:
    return [d for d in lint_diags(y(text)) if d.code == code]


def codes(text: str) -> list[tuple[str, int, int]]:
    return lint_codes(y(text))


WEB = """\
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
"""


# --- NX201 no-public-path ---------------------------------------------------------------------


def test_nx201_no_pod_has_a_path() -> None:
    (d,) = lint_diags(
        y("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              servicePorts: [80]
            - name: api
              image: ghcr.io/acme/api:1
              servicePorts: [8000]
        """)
    )
    assert (d.code, d.line, d.col, d.severity) == ("NX201", 3, 3, "error")
    assert d.message == 'no pod has a path, so nothing is routed to the application (pods: "web", "api")'
    assert d.hint == (
        'add `path: /` to the pod that serves the web front end (probably "web"); '
        "Nexlayer needs at least one pod with a path"
    )


def test_nx201_single_pod_hint_names_it() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: worker
              image: ghcr.io/acme/worker:1
              servicePorts: [9000]
        """,
        "NX201",
    )
    assert d.hint.startswith('add `path: /` to pod "worker"')


def test_nx201_one_path_is_enough_and_empty_pods_are_the_schemas() -> None:
    assert (
        codes("""
        application:
          name: shop
          pods:
            - name: api
              image: ghcr.io/acme/api:1
              servicePorts: [8000]
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
        """)
        == []
    )
    assert "NX201" not in [c for c, _, _ in codes("application:\n  name: shop\n  pods: []\n")]
    assert "NX201" not in [c for c, _, _ in codes("application:\n  name: shop\n  pods: [web]\n")]


# --- NX202 postgres-data-mount ----------------------------------------------------------------

PG = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
    - name: db
      image: {image}
      servicePorts: [5432]
{vars}      volumes:
        - name: pgdata
          size: 1Gi
          mountPath: {mount}
"""


def pg(image: str = "postgres:16", mount: str = "/var/lib/postgresql/data", pgdata: str | None = None) -> str:
    variables = f"      vars:\n        PGDATA: {pgdata}\n" if pgdata else ""
    return PG.format(image=image, mount=mount, vars=variables)


@pytest.mark.parametrize(
    "image",
    [
        "postgres:16",
        "postgres:16-alpine",
        "docker.io/library/postgres:15",
        "mirror.gcr.io/library/postgres:17",
        "postgis/postgis:16-3.4",
        "pgvector/pgvector:pg16",
        "timescale/timescaledb:latest-pg16",
        "bitnami/postgresql:16",
        "zulip/zulip-postgresql:14",
        "localhost:5000/postgres:16",
        "supabase/postgres:15.1.0.147",
        "timescale/timescaledb-ha:pg16",
        "ghcr.io/cloudnative-pg/postgresql:16",
        "ghcr.io/immich-app/postgres:14-vectorchord0.3.0",
        "POSTGRES:16",
        "postgres@sha256:" + "a" * 64,
        # hunt 21: more server images built on Postgres
        "citusdata/citus:12.1",
        "mdillon/postgis:11",
        "ghcr.io/baosystems/postgis:15",
        "pgautoupgrade/pgautoupgrade:16-alpine",
        "timescale/timescaledb-postgis:latest-pg13",
        "tensorchord/vchord-postgres:pg17-v0.4.3",
        # hunt 258 F1: FerretDB's images
        "ghcr.io/ferretdb/postgres-documentdb:17-0.102.0-ferretdb-2.0.0",
        "ghcr.io/ferretdb/ferretdb-eval:2",
    ],
)
def test_nx202_postgres_images(image: str) -> None:
    found = [d for d in lint_diags(pg(image)) if d.code == "NX202"]
    assert [(d.line, d.col, d.severity) for d in found] == [(14, 22, "error")]
    assert found[0].message == (
        'Postgres pod "db" mounts volume "pgdata" at "/var/lib/postgresql/data"; Postgres '
        "will not start there, because the volume's lost+found makes the data directory "
        "non-empty"
    )
    assert found[0].hint == (
        "mount the volume at /var/lib/postgresql and set the var PGDATA: /var/lib/postgresql/data/pgdata"
    )


def test_nx202_trailing_slash_and_pgdata_not_below_the_mount_are_errors() -> None:
    assert [d.severity for d in lint_diags(pg(mount="/var/lib/postgresql/data/")) if d.code == "NX202"] == ["error"]
    assert [d.severity for d in lint_diags(pg(pgdata="/var/lib/postgresql/data")) if d.code == "NX202"] == ["error"]
    assert [d.severity for d in lint_diags(pg(pgdata="/pgdata")) if d.code == "NX202"] == ["error"]
    # the verdict hunt of the fifth stop: Linux reads a leading `//` as `/` (normpath keeps it)
    assert [d.severity for d in lint_diags(pg(mount="//var/lib/postgresql/data")) if d.code == "NX202"] == ["error"]


def test_nx202_pgdata_in_a_subdirectory_is_a_warning() -> None:
    (d,) = [d for d in lint_diags(pg(pgdata="/var/lib/postgresql/data/pgdata")) if d.code == "NX202"]
    assert (d.line, d.col, d.severity) == (16, 22, "warning")
    assert 'PGDATA "/var/lib/postgresql/data/pgdata" avoids the volume\'s lost+found' in d.message


def test_nx202_pgdata_in_list_form_vars_counts() -> None:
    text = pg().replace(
        "      volumes:",
        "      vars:\n        - key: PGDATA\n          value: /var/lib/postgresql/data/x\n      volumes:",
    )
    assert [d.severity for d in lint_diags(text) if d.code == "NX202"] == ["warning"]
    # hunt 155 F5: set twice, the last value is the one Kubernetes keeps: here the mount point
    twice = text.replace(
        "      volumes:", "        - key: PGDATA\n          value: /var/lib/postgresql/data\n      volumes:"
    )
    assert [d.severity for d in lint_diags(twice) if d.code == "NX202"] == ["error"]


def test_nx202_the_data_directory_at_a_mount_point_or_holding_one_is_an_error() -> None:
    # hunt 21: each passed, and each crash-loops (initdb refuses a directory that is not empty)
    (d,) = [d for d in lint_diags(pg(mount="/pgdata", pgdata="/pgdata")) if d.code == "NX202"]
    assert (d.line, d.col, d.severity) == (16, 22, "error")
    assert d.message == (
        'Postgres pod "db" mounts volume "pgdata" at "/pgdata", which PGDATA makes its data directory; '
        "Postgres will not start there, because the volume's lost+found makes it non-empty"
    )
    assert d.hint == "set PGDATA to a directory inside the volume, such as /pgdata/pgdata"
    sub = "/var/lib/postgresql/data/pgdata"
    assert [d.severity for d in lint_diags(pg(mount=sub + "/", pgdata=sub)) if d.code == "NX202"] == ["error"]
    (d,) = [d for d in lint_diags(pg(mount=sub)) if d.code == "NX202"]  # inside the image's default
    assert (d.line, d.col, d.severity) == (14, 22, "error")
    assert d.message == (
        'Postgres pod "db" mounts volume "pgdata" at "/var/lib/postgresql/data/pgdata", inside its data '
        "directory /var/lib/postgresql/data; Postgres will not start, because the mount point makes that "
        "directory non-empty"
    )
    assert d.hint == "mount the volume at /var/lib/postgresql and set the var PGDATA: /var/lib/postgresql/data/pgdata"
    (d,) = [d for d in lint_diags(pg(mount="/srv/pg/x", pgdata="/srv/pg")) if d.code == "NX202"]
    assert d.hint == "set PGDATA to a directory inside the volume, such as /srv/pg/x/pgdata"
    # the data directory inside the mount is the documented layout; a mount beside it is no concern
    assert [d for d in lint_diags(pg(mount="/srv/pg", pgdata="/srv/pg/data")) if d.code == "NX202"] == []
    assert [d for d in lint_diags(pg(mount="/srv/pgx", pgdata="/srv/pg")) if d.code == "NX202"] == []
    # hunt 23: PGDATA given by a reference is unknown here, not the image's default
    assert [d for d in lint_diags(pg(mount=sub, pgdata="${PGDATA}")) if d.code == "NX202"] == []


def test_a_postgres_volume_at_the_forbidden_path_with_pgdata_elsewhere_says_it_holds_no_data() -> None:
    # hunt 42 F3: "Postgres will not start there" was false: it starts, in PGDATA, and the volume
    # holds none of its data (the path is still the one Nexlayer forbids)
    (d,) = [d for d in lint_diags(pg(pgdata="/data")) if d.code == "NX202"]
    assert (d.line, d.col, d.severity) == (16, 22, "error")
    assert d.message == (
        'Postgres pod "db" mounts volume "pgdata" at "/var/lib/postgresql/data", where Nexlayer forbids a '
        'Postgres volume; PGDATA "/data" keeps the data elsewhere, so the volume holds none of it'
    )
    assert d.hint == (
        "mount the volume at /var/lib/postgresql and set PGDATA to a directory inside it, "
        "such as /var/lib/postgresql/data/pgdata"
    )
    # hunt 44 F5: a PGDATA above the mount holds it: the mount point makes the data directory non-empty
    (d,) = [d for d in lint_diags(pg(pgdata="/var/lib/postgresql")) if d.code == "NX202"]
    assert "Postgres will not start there" in d.message


def test_nx202_knows_where_postgres_18_keeps_its_data() -> None:
    # hunt 54 F3: the official image keeps its data in /var/lib/postgresql/18/docker from 18 on
    (d,) = [d for d in lint_diags(pg("postgres:18.1-alpine", "/var/lib/postgresql/18/docker")) if d.code == "NX202"]
    assert (d.line, d.col, d.severity) == (14, 22, "error")
    assert d.message == (
        'Postgres pod "db" mounts volume "pgdata" at "/var/lib/postgresql/18/docker", the data directory of its '
        "image; Postgres will not start there, because the volume's lost+found makes it non-empty"
    )
    assert d.hint == "mount the volume at /var/lib/postgresql, where the image keeps /var/lib/postgresql/18/docker"
    (d,) = [d for d in lint_diags(pg("postgres:18", "/var/lib/postgresql/18/docker/x")) if d.code == "NX202"]
    assert d.hint == "mount the volume at /var/lib/postgresql"
    # hunt 60 F7: and the images built on it
    for image in (
        "postgres:18",
        "public.ecr.aws/docker/library/postgres:19",
        "pgvector/pgvector:0.8.0-pg18",
        "postgis/postgis:18-3.6",
        "timescale/timescaledb:2.22.0-pg18",  # hunt 61 F7
        "citusdata/citus:13.2-pg18",
    ):
        assert [d.code for d in lint_diags(pg(image, "/var/lib/postgresql")) if d.code == "NX202"] == []
        assert [d.severity for d in lint_diags(pg(image)) if d.code == "NX202"] == ["error"]  # .../data
        data_dir = f"/var/lib/postgresql/{19 if image.endswith('19') else 18}/docker"
        assert [d.severity for d in lint_diags(pg(image, data_dir)) if d.code == "NX202"] == ["error"]
    # hunt 58 F5: at .../data, 18's reason and fix are its own (no PGDATA: the image puts its data below)
    (d,) = [d for d in lint_diags(pg("postgres:18")) if d.code == "NX202"]
    assert d.message == (
        'Postgres pod "db" mounts volume "pgdata" at "/var/lib/postgresql/data"; the image keeps its data in '
        "/var/lib/postgresql/18/docker from Postgres 18 on, and will not start with a volume at "
        "/var/lib/postgresql/data"
    )
    assert d.hint == "mount the volume at /var/lib/postgresql"
    assert d.fix is not None and [e.text for e in d.fix.edits] == ["/var/lib/postgresql"]
    # an image before 18, or one that is not the official one, keeps it where it did
    for image, mount in (
        ("postgres:17", "/var/lib/postgresql/17/docker"),
        ("bitnami/postgresql:18", "/var/lib/postgresql/18/docker"),
        ("pgvector/pgvector:pg17", "/var/lib/postgresql/17/docker"),
        ("mylibrary/postgres:18", "/var/lib/postgresql/18/docker"),  # hunt 62 F6: no mirror of the official one
    ):
        assert [d for d in lint_diags(pg(image, mount)) if d.code == "NX202"] == []


def test_nx202_user_severity_wins_over_the_checks_own() -> None:
    found = lint_diags(pg(pgdata="/var/lib/postgresql/data/pgdata"), severity={"NX202": "error"})
    assert [d.severity for d in found if d.code == "NX202"] == ["error"]


@pytest.mark.parametrize(
    ("image", "mount"),
    [
        ("postgres:16", "/var/lib/postgresql"),
        ("mysql:8.4", "/var/lib/postgresql/data"),
        ("ghcr.io/acme/postgres-exporterx:1", "/data"),
        ("redis:7.4", "/var/lib/postgresql/data"),
        # a Postgres pod by the image's repository, not by a word in it (issue 15)
        ("ghcr.io/acme/postgres-notes:1.0", "/var/lib/postgresql/data"),
        ("katieharris/pern-postgres-todo:1", "/var/lib/postgresql/data"),
        ("prometheuscommunity/postgres-exporter:v0.15.0", "/var/lib/postgresql/data"),
        ("ghcr.io/umami-software/umami:postgresql-latest", "/var/lib/postgresql/data"),  # the tag names it
    ],
)
def test_nx202_false_positives(image: str, mount: str) -> None:
    assert [d for d in lint_diags(pg(image, mount)) if d.code == "NX202"] == []


# --- NX203 / NX204 / NX206 registry -----------------------------------------------------------


def login(registry: str, image: str, username: str = "acme") -> str:
    return y(f"""
        application:
          name: shop
          registryLogin:
            registry: {registry}
            username: {username}
            personalAccessToken: ${{REGISTRY_TOKEN}}
          pods:
            - name: web
              image: {image}
              path: /
              servicePorts: [80]
        """)


def test_nx203_literal_registry_with_a_login() -> None:
    (d,) = [d for d in lint_diags(login("ghcr.io", "ghcr.io/acme/api:1")) if d.code == "NX203"]
    assert (d.line, d.col, d.severity) == (9, 14, "error")
    assert d.message == (
        'image "ghcr.io/acme/api:1" names the registry "ghcr.io" of registryLogin literally; '
        "Nexlayer uses the login only for images that start with <% REGISTRY %>/"
    )
    assert d.hint == 'write "<% REGISTRY %>/acme/api:1"; if this image is public, it does not need the login'


@pytest.mark.parametrize(
    ("registry", "image"),
    [
        ("GHCR.io", "ghcr.io/acme/api:1"),
        ("ghcr.io", "GHCR.IO/acme/api:1"),
        ("index.docker.io", "docker.io/acme/api:1"),
        ("docker.io", "index.docker.io/acme/api:1"),
        ("docker.io", "registry-1.docker.io/acme/api:1"),
        ("registry.example.com:5000", "registry.example.com:5000/team/api:2"),
        ("ghcr.io", "ghcr.io:443/acme/api:1"),  # hunt 54 F7: HTTPS's own port
    ],
)
def test_nx203_registries_compare_loosely(registry: str, image: str) -> None:
    # a registry in capitals or with a port is also NX104 (nexlayer deploy refuses it), at its line
    expected = ["NX203"] if registry == registry.lower() and ":" not in registry else ["NX104", "NX203"]
    assert [c for c, _, _ in lint_codes(login(registry, image))] == expected


def test_nx203_a_registry_with_a_scheme_is_its_own_finding() -> None:
    # the login's registry is still understood (ghcr.io), and is itself reported as no host name
    assert [(c, line) for c, line, _ in lint_codes(login("https://GHCR.io/", "ghcr.io/acme/api:1"))] == [
        ("NX104", 4),
        ("NX203", 9),
    ]


@pytest.mark.parametrize(
    ("registry", "image"),
    [
        ("ghcr.io", "<% REGISTRY %>/acme/api:1"),
        ("ghcr.io", "<%REGISTRY%>/acme/api:1"),
        ("ghcr.io", "nginx:1.27"),
        ("ghcr.io", "quay.io/acme/api:1"),
        ("docker.io", "nginx:1.27"),  # an official image is public
        ("docker.io", "library/postgres:16"),
        ("docker.io", "ghcr.io/acme/api:1"),
        # Docker Hub without its name: the image does not spell the login's registry (issue 15)
        ("docker.io", "bitnami/redis:7.2.4"),
        ("docker.io", "acme/api:1"),
        ("index.docker.io", "acme/api:1"),
        ("docker.io", "docker.io/library/postgres:16"),  # spelt, but an official image is public
    ],
)
def test_nx203_false_positives(registry: str, image: str) -> None:
    assert lint_codes(login(registry, image)) == []


def test_nx218_username_and_image_owner_differ_only_in_case() -> None:
    (d,) = lint_diags(login("ghcr.io", "<% REGISTRY %>/acme/api:1", username="Acme"))
    assert (d.code, d.severity, d.line, d.col, d.end_col) == ("NX218", "error", 9, 29, 33)
    assert d.message == (
        'image "<% REGISTRY %>/acme/api:1" of pod "web" names the owner "acme", but '
        'registryLogin.username is "Acme"; Nexlayer needs them to match exactly, case included'
    )
    assert d.hint == (
        "write both the same way; registries such as ghcr.io need lower case in image paths, "
        'so "acme" in the image and in registryLogin.username'
    )


@pytest.mark.parametrize(
    ("username", "image"),
    [
        ("acme", "<% REGISTRY %>/acme/api:1"),  # the same
        ("alice", "<% REGISTRY %>/acme-org/api:1"),  # another owner: an organisation, not a typo
        ("Acme", "ghcr.io/acme/api:1"),  # not a template image (NX203's business)
        # no owner before the repository, with a tag or without (hunt 87 F2: the tag decided)
        ("acme", "<% REGISTRY %>/Acme"),
        ("acme", "<% REGISTRY %>/Acme:1.0"),
    ],
)
def test_nx218_leaves_alone(username: str, image: str) -> None:
    assert [d.code for d in lint_diags(login("ghcr.io", image, username=username)) if d.code == "NX218"] == []


def test_nx204_template_without_login() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: "<% REGISTRY %>/acme/web:1"
              path: /
              servicePorts: [80]
        """,
        "NX204",
    )
    assert (d.line, d.col, d.severity) == (5, 14, "error")
    assert d.message == (
        'image "<% REGISTRY %>/acme/web:1" of pod "web" uses <% REGISTRY %>, '
        "but the application has no registryLogin to fill it in"
    )
    assert "add registryLogin (registry, username, personalAccessToken)" in d.hint


def test_nx204_template_spaced_by_a_byte_order_mark() -> None:
    # hunt 177 F4: the schema's `\s` (ECMA-262's) takes U+FEFF for a blank; Python's did not
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: "<%\ufeffREGISTRY\ufeff%>/acme/web:1"
              path: /
              servicePorts: [80]
        """,
        "NX204",
    )
    assert (d.line, d.col) == (5, 14)


@pytest.mark.parametrize(
    "image", ["acme/<% REGISTRY %>/web:1", "<% REGISTRY %>acme/web:1", "<% REGISTRY %>", "x<%REGISTRY%>/acme/web:1"]
)
def test_nx206_misplaced_in_an_image(image: str) -> None:
    found = [d for d in lint_diags(login("ghcr.io", image)) if d.code == "NX206"]
    # the underline starts at the template
    assert [(d.line, d.col) for d in found] == [(9, 14 + image.index("<%"))]
    if image.startswith("<%"):  # at the start, without its `/` (hunt 180 F4)
        wanted = f'image "{image}" has no "/" after <% REGISTRY %>, which must be a segment of its own'
        assert found[0].message == wanted
    else:
        assert found[0].message == f'image "{image}" has <% REGISTRY %> somewhere other than its start'


def test_nx206_in_a_var_underlines_the_template() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                REGISTRY_HOST: <% REGISTRY %>/acme
        """,
        "NX206",
    )
    assert (d.line, d.col, d.end_col) == (9, 24, 38)
    assert d.message == '<% REGISTRY %> is filled in only at the start of an image, not in var "REGISTRY_HOST"'


# --- NX205 unknown-template -------------------------------------------------------------------


def test_nx205_unknown_templates_with_and_without_spaces() -> None:
    found = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                HOST: "https://<%DOMAIN%>/app"
                BASE: <% url %>
                OK: <% URL %>/api
                OK2: <%URL%>
        """,
        "NX205",
    )
    assert [(d.line, d.col, d.end_col, d.severity) for d in found] == [(9, 24, 34, "warning"), (10, 15, 24, "warning")]
    assert found[0].message == (
        'unknown template "<%DOMAIN%>" in var "HOST"; Nexlayer fills in only <% REGISTRY %> and <% URL %>'
    )
    assert found[0].hint == "<% URL %> is the application's public URL; use it instead"
    assert found[1].hint == "template names are upper case: write <% URL %>"


# --- NX207 / NX210 / NX211 / NX212 duplicates -------------------------------------------------


def test_nx207_duplicate_pod_name_names_the_first_line() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - name: api
              image: ghcr.io/acme/api:1
              servicePorts: [8000]
            - name: web
              image: ghcr.io/acme/web:2
              servicePorts: [81]
        """,
        "NX207",
    )
    assert (d.line, d.col, d.severity) == (11, 13, "error")
    assert d.message == 'pod name "web" is already used by the pod on line 4'


def test_nx210_duplicate_path_ignores_a_trailing_slash() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: api
              image: ghcr.io/acme/api:1
              path: /api
              servicePorts: [8000]
            - name: api2
              image: ghcr.io/acme/api:2
              path: /api/
              servicePorts: [8001]
        """,
        "NX210",
    )
    assert (d.line, d.col, d.severity) == (10, 13, "warning")
    assert d.message == 'path "/api/" of pod "api2" is already the path of pod "api" on line 6'


def test_nx210_different_paths_are_fine() -> None:
    assert (
        codes("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - name: api
              image: ghcr.io/acme/api:1
              path: /api
              servicePorts: [8000]
        """)
        == []
    )


def test_nx211_duplicate_volume_name_across_pods_and_within_one() -> None:
    found = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              volumes:
                - name: data
                  size: 1Gi
                  mountPath: /a
                - name: data
                  size: 1Gi
                  mountPath: /b
            - name: cache
              image: redis:7.4
              servicePorts: [6379]
              volumes:
                - name: data
                  size: 1Gi
                  mountPath: /data
        """,
        "NX211",
    )
    assert [(d.line, d.col) for d in found] == [(12, 17), (19, 17)]
    assert found[0].message == 'volume name "data" is already used by this pod on line 9'
    assert found[1].message == 'volume name "data" is already used by pod "web" on line 9'
    assert found[1].hint == 'give every volume in the application its own name, for example "cache-data"'


def test_nx207_and_nx211_suggest_a_free_name() -> None:
    # hunt 87 F3: the suggestion was a name already in use (`web-2`, the pod's own `api-data`) or
    # longer than the 63 characters a name may have
    long = "p" + "a" * 62
    text = f"""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              volumes: [{{name: data, size: 1Gi, mountPath: /a}}]
            - name: web-2
              image: nginx:1.27
              servicePorts: [80]
            - name: web
              image: nginx:1.27
              servicePorts: [80]
            - name: api
              image: nginx:1.27
              servicePorts: [80]
              volumes: [{{name: api-data, size: 1Gi, mountPath: /b}}, {{name: data, size: 1Gi, mountPath: /c}}]
            - name: {long}
              image: nginx:1.27
              servicePorts: [80]
            - name: {long}
              image: nginx:1.27
              servicePorts: [80]
        """
    found = sorted((d for d in lint_diags(y(text)) if d.code in ("NX207", "NX211")), key=lambda d: (d.line, d.col))
    hints = [d.hint for d in found]
    assert hints[0].startswith('rename one of them (for example "web-3")')
    assert hints[1] == 'give every volume in the application its own name, for example "api-data-2"'
    assert hints[2].startswith(f'rename one of them (for example "{long[:61]}-2")')


def test_nx207_suggests_each_duplicate_its_own_name() -> None:
    # hunt 88 F9: every duplicate got the same suggestion, found by trying each number from 2
    # again (quadratic); each base's numbers now go on where they stopped
    pods = "".join("    - name: web\n      image: nginx:1.27\n      servicePorts: [80]\n" for _ in range(4))
    text = "application:\n  name: shop\n  pods:\n    - name: web-3\n      image: nginx:1.27\n" + pods
    hints = [d.hint for d in lint_diags(text) if d.code == "NX207"]
    assert [hint.split('"')[1] for hint in hints] == ["web-2", "web-4", "web-5"]


def test_nx213_names_a_vars_item_by_its_var() -> None:
    # hunt 88 F8: `- name: API_KEY x` was `var "name"`, `- Var: X y` `var "Var"`
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        - name: API_KEY sekrit99\n          value: ''\n"
        "        - Var: SECRET_TOKEN abcdefgh\n          value: ''\n"
    )
    messages = [d.message for d in lint_diags(text) if d.code == "NX213"]
    # the item's var, whose name holds the secret: starred as a whole, as for `- key:`
    assert [m.split(" of pod")[0] for m in messages] == ['var "****"', 'var "****"']


def test_nx212_mount_path_conflicts() -> None:
    found = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              volumes:
                - name: a
                  size: 1Gi
                  mountPath: /srv/data
                - name: b
                  size: 1Gi
                  mountPath: /srv/data/
                - name: d
                  size: 1Gi
                  mountPath: //srv/data
              secrets:
                - name: one
                  data: x
                  mountPath: /etc/app
                  fileName: one.txt
                - name: two
                  data: y
                  mountPath: /etc/app
                  fileName: two.txt
                - name: three
                  data: z
                  mountPath: /etc/app/
                  fileName: one.txt
            - name: api
              image: ghcr.io/acme/api:1
              servicePorts: [8000]
              volumes:
                - name: c
                  size: 1Gi
                  mountPath: /srv/data
        """,
        "NX212",
    )
    # secrets "one" and "two" share a directory with different files: fine; another pod: fine
    assert [(d.line, d.col, d.severity) for d in found] == [(14, 22, "error"), (17, 22, "error"), (29, 22, "error")]
    assert found[0].message == (
        'mountPath "/srv/data/" of volume "b" in pod "web" is already used by volume "a" on line 11'
    )
    assert found[1].message == (
        'mountPath "//srv/data" of volume "d" in pod "web" is already used by volume "a" on line 11'
    )
    assert found[2].message == (
        'mountPath "/etc/app/" with fileName "one.txt" of secret "three" in pod "web" '
        'is already used by secret "one" on line 21'
    )


def test_nx212_points_at_the_later_mount_when_secrets_come_first() -> None:
    # issue 15: the secret on line 9 was told it clashed with the volume "on line 13", after it
    found = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              secrets:
                - name: cfg
                  data: x
                  mountPath: /data
                  fileName: cfg
              volumes:
                - name: data
                  size: 1Gi
                  mountPath: /data/cfg
        """,
        "NX212",
    )
    assert [(d.line, d.col) for d in found] == [(16, 22)]
    assert found[0].message == (
        'mountPath "/data/cfg" of volume "data" in pod "web" is already used by secret "cfg" on line 11'
    )


@pytest.mark.parametrize("secrets_first", [False, True])
def test_nx212_a_volume_and_a_secret_in_one_directory_clash(secrets_first: bool) -> None:
    # hunt 16: a secret's mountPath is a directory; a volume mounted there hides it, or it the volume
    volumes = "      volumes:\n        - name: data\n          size: 1Gi\n          mountPath: /data\n"
    secrets = (
        "      secrets:\n        - name: tls\n          data: x\n          mountPath: /data/\n"
        "          fileName: cert.pem\n"
    )
    text = CLEAN + (secrets + volumes if secrets_first else volumes + secrets)
    found = [d for d in lint_diags(text) if d.code == "NX212"]
    assert [d.line for d in found] == [text.count("\n") - (0 if secrets_first else 1)]
    if secrets_first:
        assert found[0].message == (
            'mountPath "/data" of volume "data" in pod "web" is already used by secret "tls" on line 11'
        )
    else:
        assert found[0].message == (
            'mountPath "/data/" with fileName "cert.pem" of secret "tls" in pod "web" '
            'is already used by volume "data" on line 11'
        )


def test_nx220_a_var_set_twice_in_the_list_form() -> None:
    # hunt 17: Nexlayer refuses `duplicate environment variable`; the list form passed
    web = "      vars:\n        - key: MODE\n          value: a\n        - HOST: h\n"
    web += "        - key: MODE\n          value: b\n        - HOST: i\n"
    api = "    - name: api\n      image: nginx:1.27\n      servicePorts: [81]\n"
    api += "      vars:\n        - key: MODE\n          value: c\n"
    found = [d for d in lint_diags(CLEAN + web + api) if d.code == "NX220"]
    # the second `key:` value, and the second `- HOST:` key; another pod's MODE is its own
    assert [(d.line, d.col, d.severity) for d in found] == [(12, 16, "error"), (14, 11, "error")]
    assert [d.message for d in found] == [
        'var "MODE" of pod "web" is already set on line 9',
        'var "HOST" of pod "web" is already set on line 11',
    ]
    assert found[0].hint == "remove one of them: Nexlayer refuses a duplicate environment variable"
    # the mapping form's repeated name is a repeated key: NX002's
    text = CLEAN + "      vars:\n        MODE: a\n        MODE: b\n"
    assert [d.code for d in lint_diags(text)] == ["NX002"]


def test_nx221_two_secrets_of_one_pod_share_a_name() -> None:
    # hunt 17: the schema says a secret's name is unique within the pod; it passed
    secret = (
        "        - name: {name}\n          data: ${{X}}\n          mountPath: /run/{name}\n          fileName: {file}\n"
    )
    web = CLEAN + "      secrets:\n" + secret.format(name="key", file="a") + secret.format(name="key", file="b")
    other = "    - name: api\n      image: nginx:1.27\n      servicePorts: [81]\n      secrets:\n" + secret.format(
        name="key", file="c"
    )
    found = [d for d in lint_diags(web + other) if d.code == "NX221"]
    assert [(d.line, d.col, d.severity) for d in found] == [(13, 17, "error")]  # not the other pod's
    assert found[0].message == 'secret name "key" of pod "web" is already used on line 9'
    assert found[0].hint == "give each secret of a pod its own name"


# --- NX208 / NX209 references -----------------------------------------------------------------

REFS = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
      vars:
        VALUE: {value}
    - name: backend
      image: ghcr.io/acme/api:1
      servicePorts: [8000, 9000]
    - name: db
      image: postgres:16
      servicePorts: [5432]
"""


def refs(value: str) -> list:
    return [d for d in lint_diags(REFS.format(value=value)) if d.code in ("NX208", "NX209")]


def test_nx208_unknown_pod_with_did_you_mean_and_underline() -> None:
    (d,) = refs("http://bakend.pod:8000")
    assert (d.code, d.line, d.col, d.end_col, d.severity) == ("NX208", 9, 23, 29, "error")
    assert d.message == 'var "VALUE" refers to pod "bakend", which does not exist'
    assert d.hint == 'did you mean "backend"? pods: backend, db, web'


def test_nx208_names_a_look_alike_letter_and_reads_a_final_dot() -> None:
    # hunt 21: these passed, as no reference was read in them
    (d,) = refs("http://b\u0430ckend.pod:8000")  # a Cyrillic a
    assert (d.code, d.col, d.end_col) == ("NX208", 23, 30)
    assert d.hint == '"\u0430" (U+0430) is no ASCII letter; did you mean "backend"? pods: backend, db, web'
    (d,) = refs("http://bac\u212aend.pod:8000")  # hunt 54 F6: the Kelvin sign lower-cases to k
    assert d.message == 'var "VALUE" refers to pod "bac\u212aend", which does not exist'
    assert refs("docs/my_module.pod") == []  # hunt 23: Perl's documentation, not a pod
    # hunt 78 F2: a path's file after a `/` that is not `//` is no host name
    assert refs("http://web.pod:80/docs/intro.pod") == refs("/usr/share/perl5/pod/perlvar.pod") == []
    assert [d.col for d in refs("//dbb.pod")] == [18]  # a URL without its scheme still names a host
    (d,) = refs("dbb.pod.")
    assert (d.code, d.col, d.end_col) == ("NX208", 16, 19)
    assert refs("db.pod.") == []


def test_nx208_did_you_mean_for_the_first_fifty_unknown_references() -> None:
    # found by fuzzing: each did-you-mean compares with every pod, so 500 pods each naming an
    # unknown pod took seconds; now the first MAX_SUGGESTED unknown references get one
    pods = "".join(
        f"    - {{name: svc{i}, image: 'x:1', path: /p{i}, servicePorts: [80], vars: {{U: svc{i}x.pod}}}}\n"
        for i in range(60)
    )
    found = [d for d in lint_diags("application:\n  name: shop\n  pods:\n" + pods) if d.code == "NX208"]
    assert len(found) == 60
    assert [d.hint.startswith('did you mean "svc') for d in found] == [True] * 50 + [False] * 10


def test_a_file_that_is_one_url_with_a_password() -> None:
    # found by a leak hunt: NX214 raised on the root path, and NX213's message began with a blank
    (d,) = [d for d in lint_diags("postgres://u:pw1234@h/x\n") if d.code == "NX213"]
    assert d.message == "the file has a literal password in its URL"


def test_nx208_no_close_match_lists_the_pods() -> None:
    (d,) = refs("redis.pod:6379")
    assert d.hint == "pods: backend, db, web"


def test_nx208_names_at_most_ten_pods() -> None:
    pods = "".join(f"    - name: p{i:02d}\n      image: nginx:1.27\n      servicePorts: [80]\n" for i in range(25))
    text = (
        "application:\n  name: many\n  pods:\n"
        + pods
        + "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        + "      vars:\n        UPSTREAM: http://redis.pod:6379\n"
    )
    (d,) = [d for d in lint_diags(text) if d.code == "NX208"]
    names = ", ".join(f"p{i:02d}" for i in range(10))
    assert d.hint == f"pods: {names} and 16 more"


@pytest.mark.parametrize(
    ("value", "col"),
    [
        ("db.pod", 16),
        ('"postgresql://u:p@dbb.pod:5432/x"', 34),
        ("http://${api:8000}/v1", 25),
        ("x ${cache:6379}", 20),
    ],
)
def test_nx208_reference_forms(value: str, col: int) -> None:
    found = refs(value.replace("db.pod", "dc.pod"))
    assert [(d.code, d.col) for d in found] == [("NX208", col)]


@pytest.mark.parametrize(
    "value",
    [
        "http://backend.pod:8000",
        "db.pod",
        "postgresql://u:p@db.pod:5432/x",
        "http://${backend:9000}/v1",
        "shop-backend.pod:8000",  # <app>-<pod>.pod
        "${DB_PASSWORD}",
        "${HOST:-localhost}",
        "https://docs.pod.example.com/x",
        "foo.db.pod",
        "ipod",
        "db.podcast",
        "http://web.pod",
        "BACKEND.pod:8000",
    ],
)
def test_nx208_nx209_false_positives(value: str) -> None:
    assert refs(value) == []


def test_a_reference_names_the_pod_written_so_of_two_with_one_host_name() -> None:
    # hunt 100 F3: pods `web` and `Web`: `web.pod:80` was judged against the later `Web`, and
    # NX104's hint for `Web` suggested `web`, the other pod's name
    text = REFS.format(value="http://web.pod:80").replace(
        "    - name: backend",
        "    - name: Web\n      image: nginx:1.27\n      servicePorts: [3000]\n    - name: backend",
    )
    found = [(d.code, d.message, d.hint) for d in lint_diags(text) if d.code in ("NX104", "NX207", "NX208", "NX209")]
    assert [code for code, *_ in found] == ["NX104"]
    # hunt 103 F5: `shop-Web.pod` is `Web.pod` (the application is shop)
    prefixed = text.replace("http://web.pod:80", "http://shop-Web.pod:3000")
    assert [d.code for d in lint_diags(prefixed) if d.code in ("NX208", "NX209")] == []
    assert found[0][2] == '"web" is the name of another pod: choose one of its own'
    # two pods of one name: the first is the one a reference names (NX207 reports the second)
    twice = REFS.format(value="http://db.pod:5432")
    twice += "    - name: db\n      image: redis:7\n      servicePorts: [6379]\n"
    assert [d.code for d in lint_diags(twice) if d.code.startswith("NX2")] == ["NX207"]


def test_nx209_lists_ten_ports_at_most() -> None:
    # hunt 104 F1: every finding listed every port, twice (a 150 KB file gave a 100 MB report)
    text = REFS.format(value="http://backend.pod:60000").replace("[8000, 9000]", str(list(range(1, 31))))
    [d] = [d for d in lint_diags(text) if d.code == "NX209"]
    assert d.message.endswith("which exposes only 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 20 more")
    assert d.hint.startswith("use one of the pod's servicePorts (1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 20 more)")


def test_nx209_port_not_exposed() -> None:
    (d,) = refs("http://backend.pod:8080/v1")
    assert (d.code, d.line, d.col, d.end_col, d.severity) == ("NX209", 9, 35, 39, "warning")
    assert d.message == 'var "VALUE" refers to port 8080 of pod "backend", which exposes only 8000, 9000'
    assert d.hint == 'use one of the pod\'s servicePorts (8000, 9000), or add 8080 to servicePorts of pod "backend"'
    (d,) = refs("${db:5433}")
    assert (d.code, d.col) == ("NX209", 21)
    # hunt 54 F2: `5432.0` is port 5432 to the schema, and so to NX209
    floats = REFS.format(value="redis://db.pod:5432").replace("servicePorts: [5432]", "servicePorts: [5432.0]")
    assert [d.code for d in lint_diags(floats) if d.code.startswith("NX2")] == []
    (d,) = [d for d in lint_diags(floats.replace("db.pod:5432", "db.pod:5433")) if d.code == "NX209"]
    assert d.message == 'var "VALUE" refers to port 5433 of pod "db", which exposes only 5432'


def test_nx209_writes_out_no_port_that_is_a_secret() -> None:
    # hunt 29 F5: the whole run of digits is read now, and a URL's password after a user
    # `db.pod` was the port the message quoted (5 of its digits before)
    (d,) = [d for d in refs("postgres://db.pod:98765432101@dbhost/x") if d.code == "NX209"]
    assert d.message == 'var "VALUE" refers to a port of a pod, which is not a port number (1 to 65535)'
    assert d.hint == "write the port a pod listens on" and "98765" not in d.message + str(d.hint)


def test_nx208_nx209_read_the_whole_port() -> None:
    # hunt 28 F4: the port was read from at most 5 digits: `${dc:123456}` was no reference at
    # all, `backend.pod:123456` port 12345, `backend.pod:0000080` port 0, `${db:000081}` nothing
    def found(value: str) -> list[tuple[str, int, int, str, str, str | None]]:
        return [(d.code, d.col, d.end_col, d.severity, d.message, d.hint) for d in refs(value)]

    not_a_port = "which is not a port number (1 to 65535)"
    assert found("${dc:123456}") == [
        ("NX208", 18, 20, "error", 'var "VALUE" refers to pod "dc", which does not exist', "pods: backend, db, web"),
        (
            "NX209",
            21,
            27,
            "error",
            f'var "VALUE" refers to port 123456 of pod "dc", {not_a_port}',
            'write the port pod "dc" listens on',
        ),
    ]
    assert found("http://backend.pod:123456") == [
        (
            "NX209",
            35,
            41,
            "error",
            f'var "VALUE" refers to port 123456 of pod "backend", {not_a_port}',
            'write the port pod "backend" listens on (its servicePorts: 8000, 9000)',
        )
    ]
    assert found("${backend:0000000012345678}")[0][1:5] == (
        26,
        42,
        "error",
        f'var "VALUE" refers to port 0000000012345678 of pod "backend", {not_a_port}',
    )
    # a run Python would not convert (more than 4,300 digits) is not converted: named by its length
    assert found("db.pod:" + "9" * 10_000)[0][1:5] == (
        23,
        10_023,
        "error",
        f'var "VALUE" refers to a port of 10,000 digits of pod "db", {not_a_port}',
    )
    # another script's digits are no port, though `\d` and `int` read them as 80 (hunt 157 F6)
    for digits in ("\u0668\u0660", "\uff18\uff10"):
        assert found(f"${{backend:{digits}}}")[0][1:5] == (
            26,
            28,
            "error",
            f'var "VALUE" refers to port {digits} of pod "backend", {not_a_port}',
        )
        message = f'var "VALUE" refers to port {digits} of pod "backend", {not_a_port}'
        assert found(f"http://backend.pod:{digits}/x")[0][4] == message
    assert found("http://backend.pod:0000008000") == []  # leading zeros: port 8000
    assert found("${db:0005432}") == []
    assert found("${db:000081}") == [
        (
            "NX209",
            21,
            27,
            "warning",
            'var "VALUE" refers to port 81 of pod "db", which exposes only 5432',
            'use one of the pod\'s servicePorts (5432), or add 81 to servicePorts of pod "db"',
        )
    ]
    assert [code for code, *_ in found("backend.pod:0000000")] == ["NX209"]  # port 0


def test_nx208_in_list_form_vars() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                - key: API_URL
                  value: http://apii.pod:8000
        """,
        "NX208",
    )
    assert (d.line, d.col) == (10, 25)
    assert d.message == 'var "API_URL" refers to pod "apii", which does not exist'


def test_nx208_quoted_value_underlines_past_the_quote() -> None:
    (d,) = refs('"http://bakend.pod:8000"')
    assert (d.col, d.end_col) == (24, 30)


# --- NX213 / NX214 credentials ----------------------------------------------------------------


def test_nx213_literal_secret_never_shows_the_value() -> None:
    found = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                DB_PASSWORD: hunter2hunter2
                JWT_SECRET: ${JWT_SECRET}
                TOKEN_URL: https://auth.example.com/token
                API_KEY: ""
                MAX_TOKENS: "4096"
                clientSecret: 'abc123xyz'
        """,
        "NX213",
    )
    assert [(d.line, d.col, d.severity) for d in found] == [(9, 22, "warning"), (14, 23, "warning")]
    assert found[0].message == 'var "DB_PASSWORD" of pod "web" holds a literal secret'
    assert found[0].hint == (
        'store the value as a secret in the Nexlayer dashboard and write "${DB_PASSWORD}" here; '
        "rotate it if this file was ever pushed"
    )
    assert found[1].hint.startswith('store the value as a secret in the Nexlayer dashboard and write "${CLIENTSECRET}"')
    for d in found:
        assert "hunter2" not in d.message + d.hint and "abc123xyz" not in d.message + d.hint


def test_nx213_names_a_java_property_and_a_mongodb_pwd_by_what_they_are() -> None:
    # hunt 199 F6: `-D` is the JVM's option, not the name's; `${PWD}` is the working directory
    found = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                JAVA_OPTS: "-Dspring.datasource.password=Zq9t1 -DdbPassword=Zq9t2"
              command: "mongosh --eval \\"db.createUser({user: 'a', pwd: 'Zq9t3'})\\""
        """,
        "NX213",
    )
    assert [d.message for d in found] == [
        'var "JAVA_OPTS" of pod "web" sets spring.datasource.password to a literal secret',
        'var "JAVA_OPTS" of pod "web" sets dbPassword to a literal secret',
        'command of pod "web" sets pwd to a literal secret',
    ]
    assert ['"${SPRING_DATASOURCE_PASSWORD}"' in found[0].hint, '"${PASSWORD}"' in found[2].hint] == [True, True]


def test_nx213_a_secret_written_as_a_key_is_reported_at_the_key_without_naming_it() -> None:
    # hunt 16: the key was starred in frames, but nothing told the user to revoke it
    keys = '      vars:\n        ghp_KeyLeakAAbcdefghijABCDEFGHIJ0123456789: x\n        "postgres://u:KeyLeakBB@h": y\n'
    found = [d for d in lint_diags(CLEAN + keys) if d.code == "NX213"]
    assert [(d.line, d.col) for d in found] == [(9, 9), (10, 9)]
    assert [d.message for d in found] == [
        'a key in vars of pod "web" holds a GitHub token',
        'a key in vars of pod "web" has a literal password in its URL',
    ]
    assert found[0].hint == (
        "a key is no place for a secret: rename it, and keep the secret in the Nexlayer dashboard; "
        "revoke it if this file was ever pushed"
    )
    assert not any("KeyLeak" in d.message + (d.hint or "") for d in found)


def test_nx213_list_form() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                - key: STRIPE_SECRET_KEY
                  value: sk_live_1234
                - key: STRIPE_PUBLISHABLE_KEY
                  value: pk_live_1234
        """,
        "NX213",
    )
    assert (d.line, d.col) == (10, 18)
    assert d.message == 'var "STRIPE_SECRET_KEY" of pod "web" holds a literal secret'


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("ghp_0123456789abcdef", [("NX214", 6, 26)]),
        ('"${REGISTRY_TOKEN}"', []),
        ('"<% REGISTRY_TOKEN %>"', [("NX205", 6, 27)]),
        ("<your read-only token>", []),
    ],
)
def test_nx214_registry_token(token: str, expected: list) -> None:
    text = y(f"""
        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: {token}
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1
              path: /
              servicePorts: [80]
        """)
    found = lint_diags(text)
    assert [(d.code, d.line, d.col) for d in found] == expected
    for d in found:
        assert "ghp_0123456789abcdef" not in d.message + (d.hint or "")
    if expected and expected[0][0] == "NX214":
        assert found[0].message == "registryLogin.personalAccessToken is a literal token written in the file"


# --- NX215 / NX217 images ---------------------------------------------------------------------


def image(value: str) -> list:
    return lint_codes(
        y(f"""
        application:
          name: shop
          pods:
            - name: web
              image: {value}
              path: /
              servicePorts: [80]
        """)
    )


@pytest.mark.parametrize(
    "value",
    [
        "nginx",
        "nginx:latest",
        "ghcr.io/acme/api",
        "localhost:5000/app",
        "registry.example.com:5000/team/api:LATEST",
        "<% REGISTRY %>/acme/api",
    ],
)
def test_nx215_unpinned(value: str) -> None:
    if value.startswith("<%"):
        value = f'"{value}"'
    assert [c for c, _, _ in image(value)] in (["NX215"], ["NX204", "NX215"])
    assert ("NX215", 5, 14) in image(value)


def test_nx215_message() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:latest
              path: /
              servicePorts: [80]
        """,
        "NX215",
    )
    assert d.message == 'image "nginx:latest" of pod "web" uses the moving tag "latest"'
    assert d.hint == 'pin a version, for example "nginx:<version>", or a digest "nginx@sha256:<digest>"'


@pytest.mark.parametrize(
    "value",
    [
        "nginx:1.27",
        "localhost:5000/app:1",
        "nginx@sha256:" + "a" * 64,
        "nginx:latest@sha256:" + "b" * 64,
        "mirror.gcr.io/library/node:20-alpine",
    ],
)
def test_nx215_pinned(value: str) -> None:
    assert image(value) == []


@pytest.mark.parametrize(
    "value",
    [
        '"# filled by pipeline"',
        '"# filled by pipeline:web"',
        "'#filled by pipeline: web'",
        "placeholder-will-be-updated",
    ],
)
def test_nx217_placeholders_are_info_and_not_unpinned(value: str) -> None:
    assert image(value) == [("NX217", 5, 14)]
    (d,) = lint_diags(
        y(f"""
        application:
          name: shop
          pods:
            - name: web
              image: {value}
              path: /
              servicePorts: [80]
        """)
    )
    assert d.severity == "info"
    assert d.message.endswith(
        'of pod "web" is a placeholder that the Nexlayer pipeline replaces with the image it builds'
    )


# --- NX216 vars-list-form ---------------------------------------------------------------------


def test_nx216_list_form_points_at_the_vars_key() -> None:
    (d,) = only(
        """
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                - key: NODE_ENV
                  value: production
        """,
        "NX216",
    )
    assert (d.line, d.col, d.severity) == (8, 7, "warning")
    assert d.message == 'vars of pod "web" is a list of key/value items; the documented form is a mapping'
    assert d.hint == "write each var as NAME: value under vars (`NODE_ENV: <value>` instead of `- key: NODE_ENV`)"


def test_nx216_says_what_the_list_holds_and_nx103_leads_to_an_accepted_form() -> None:
    # hunt 46 F4: `[]` and `- NODE_ENV=production` were "a list of key/value items", and NX103's
    # hint for the string led to `- NODE_ENV: production`, which NX101 refuses
    text = CLEAN + "      vars:\n        - NODE_ENV=production\n"
    found = {d.code: d for d in lint_diags(text)}
    assert found["NX216"].message == 'vars of pod "web" is a list; the documented form is a mapping'
    assert found["NX103"].hint == (
        'write vars as a mapping of NAME: value lines, or each item as "- key: NAME" and "value: ..."'
    )
    (empty,) = [d for d in lint_diags(CLEAN + "      vars: []\n") if d.code == "NX216"]
    assert empty.message == 'vars of pod "web" is a list; the documented form is a mapping'


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "application: 3\n",
        "application:\n  pods: 3\n",
        "application:\n  pods:\n    - 3\n    - [a]\n",
        "application:\n  registryLogin: x\n  pods:\n    - name: [a]\n      path: /\n      image: {a: b}\n"
        "      vars: 3\n      volumes: x\n",
        "application:\n  pods:\n    - name: a\n      image: x:1\n      path: /\n      servicePorts: [80]\n"
        "      vars: [3, {key: 4}, {a: 1, b: 2}]\n      volumes: [3, {mountPath: 4}]\n"
        "      secrets: [{mountPath: /a}]\n",
        "- a\n- b\n",
    ],
)
def test_checks_skip_shapes_the_schema_reports(text: str) -> None:
    found = lint_diags(text)  # lint_diags asserts that no check crashed
    assert all(not d.code.startswith("NX2") or d.code == "NX216" for d in found)


def test_nx208_no_far_fetched_suggestion() -> None:
    # "maxun-minio" is not a typo of "maxun-redis", though they share a prefix
    text = REFS.format(value="http://maxun-minio.pod:9000").replace("name: backend", "name: maxun-redis")
    (d,) = [d for d in lint_diags(text) if d.code == "NX208"]
    assert d.hint == "pods: db, maxun-redis, web"


# --- what the checks read: checks/app.py ------------------------------------------------------


def app_of(text: str) -> App:
    doc, _ = loader.load(y(text), "nexlayer.yaml")
    assert doc is not None
    return App.of(doc)


def test_vars_carry_their_paths_in_every_form() -> None:
    app = app_of("""
        application:
          name: shop
          pods:
            - name: a
              vars: {A: 1, B: x}
            - image: b
              vars:
                - key: C
                  value: 3
                - D: 4
                - 5
                - {key: 6, value: 7}
                - {E: 8, F: 9}
                - key: G
            - 3
            - name: c
              vars: 3
        """)
    assert [(pod.position, pod.name, pod.path) for pod in app.pods] == [
        (0, "a", ("application", "pods", 0)),
        (1, "#2", ("application", "pods", 1)),
        (3, "c", ("application", "pods", 3)),
    ]
    base = ("application", "pods")
    assert [tuple(var) for pod in app.pods for var in pod.vars] == [
        ("A", 1, base + (0, "vars", "A")),
        ("B", "x", base + (0, "vars", "B")),
        ("C", 3, base + (1, "vars", 0, "value")),
        ("D", 4, base + (1, "vars", 1, "D")),
        ("G", None, base + (1, "vars", 5, "value")),
    ]


ESCAPED_TEMPLATE = (
    CLEAN
    + """\
      vars:
        SITE: "\\x3c% DOMAIN %>"
        HOME: "<\\u0025 HOST %>"
        JOINED: "<\\
          % FOO %>"
"""
)


def test_template_strings_are_every_string_with_a_template_in_document_order() -> None:
    app = app_of(ESCAPED_TEMPLATE + "  extra: [{a: '<% X %>'}, '<% Y %>', {'<% K %>': v}]\n")
    assert [path for path, _ in app.template_strings] == [
        ("application", "pods", 0, "vars", "SITE"),
        ("application", "pods", 0, "vars", "HOME"),
        ("application", "pods", 0, "vars", "JOINED"),
        ("application", "extra", 0, "a"),
        ("application", "extra", 1),
    ]


def test_templates_written_with_escapes_are_found() -> None:
    # No `<%` in the text: the checks look at values, not at the text. Each finding points at the
    # characters that wrote the template, escapes and a continued line included (hunt 17: they
    # pointed at the value's start).
    assert "<%" not in ESCAPED_TEMPLATE
    found = [(d.code, d.line, d.col, d.end_line, d.end_col) for d in lint_diags(ESCAPED_TEMPLATE)]
    assert found == [("NX205", 9, 16, 9, 31), ("NX205", 10, 16, 10, 31), ("NX205", 11, 18, 12, 19)]


def test_a_value_is_read_once_however_many_findings_point_into_it(monkeypatch) -> None:
    # hunt 19: the engine compared a value's text with the value for each finding inside it,
    # quadratic on one long command of thousands of secrets (111,000 in 2 MB: 6 s became 20 s)
    from nexlayer_lint.model import Document

    calls: list[tuple] = []
    source_of = Document.source_of
    monkeypatch.setattr(Document, "source_of", lambda doc, path: calls.append(path) or source_of(doc, path))
    plain = CLEAN + "      command: '" + "app --password x " * 300 + "'\n"
    escaped = CLEAN + '      command: "' + "app --password \\x78 " * 300 + '"\n'
    for text in (plain, escaped):
        calls.clear()
        found = [d for d in lint_diags(text) if d.code == "NX213"]
        assert len(found) == 300 and len({d.col for d in found}) == 300  # each at its own place
        assert calls.count(("application", "pods", 0, "command")) == 1


def test_registry_template_written_with_an_escape_is_found() -> None:
    text = ESCAPED_TEMPLATE.replace("\\x3c% DOMAIN %>", "\\x3c% REGISTRY %>")
    assert ("NX206", 9, 16) in lint_codes(text)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("<% URL %>x<%DOMAIN%>", ["<% URL %>", "<%DOMAIN%>"]),
        ("<%\n  HOST  \n%>", ["<%\n  HOST  \n%>"]),  # spaces and line breaks around the name
        ("<% A\nB %>", []),  # a name is on one line
        ("<% %>", ["<% %>"]),
        ("<% a <% b %>", ["<% b %>"]),  # a name has no `%`: the template is the last `<%` before `%>`
        ("<% 50% %>", []),
    ],
)
def test_what_a_template_is(value: str, found: list[str]) -> None:
    app = app_of(f"""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              vars:
                A: {json.dumps(value)}
        """)
    assert [m.group(0) for _, text in app.template_strings for m in TEMPLATE.finditer(text)] == found


def test_template_search_is_linear_on_hostile_values() -> None:
    # A `.*?` between `<%` and `%>` would scan to the end of the line from every `<%`.
    for value in ("<%" * 200_000, "<%" + " " * 400_000, "<% a" + " a" * 200_000, "<%\n" * 100_000):
        assert list(TEMPLATE.finditer(value)) == []


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("db.pod", [("db", None)]),
        ("postgresql://u:p@db.pod:5432/x", [("db", 5432)]),
        ("a.pod b.pod:1 c.pod", [("a", None), ("b", 1), ("c", None)]),
        ("${api:8000}x${db:5432}", [("api", 8000), ("db", 5432)]),
        ("${a-b:80}db.pod:1", [("a-b", 80), ("db", 1)]),
        ("db.pod${a:1}", [("db", None), ("a", 1)]),
        ("a.pod:80.pod", [("a", 80)]),
        # hunt 28 F4: the whole run of digits, its leading zeros read as the number
        ("a.pod:123456", [("a", 123456)]),
        ("${a:123456}", [("a", 123456)]),
        ("a.pod:0000080 ${b:000081}", [("a", 80), ("b", 81)]),
        ("a.pod:" + "9" * 5000, [("a", 10**6)]),  # not converted: past 6 digits, out of range
        ("api-v2.pod:8000", [("api-v2", 8000)]),
        ("DB.pod", [("DB", None)]),
        ("db.POD dbx.Pod:5433", [("db", None), ("dbx", 5433)]),  # hunt 54 F1: a host name has no case
        # hunt 21: names no pod can have are still references, so NX208 reports them
        ("http://ap\u0445.pod:8000", [("ap\u0445", 8000)]),  # a Cyrillic x
        ("\u0430pi.pod", [("\u0430pi", None)]),  # a Cyrillic a first
        ("http://d\u0301b.pod:80", [("d\u0301b", 80)]),  # a combining accent: not a reference to `b`
        ("db\u0301.pod", [("db\u0301", None)]),
        ("${w\u0435b:80} ${\uff57\uff45\uff42:80}", [("w\u0435b", 80), ("\uff57\uff45\uff42", 80)]),  # hunt 155 F3
        ("${DB_HOST:5432} ${Web:80}", []),  # a dashboard secret's name, in capitals
        ("${we\u0301b:80} ${we\u034fb:81}", [("we\u0301b", 80), ("we\u034fb", 81)]),  # hunt 157 F5: marks
        ("redis://ca_che.pod:6379", []),  # no host name has `_`; Perl's documentation files do
        ("docs/my_module.pod lib/Foo/Bar_Baz.pod 2024_report.pod", []),
        ("dbb.pod.", [("dbb", None)]),  # DNS's final dot
        ("http://db.pod.:5432/x", [("db", 5432)]),
        ("db.pod..x", []),
        # not references: `.pod` inside a longer host, a dotted or underscored name, other `${...}`
        ("docs.pod.example.com", []),
        ("foo.db.pod", []),
        ("_db.pod", []),
        ("db_.pod", []),
        ("-db.pod", []),
        ("db-.pod", []),
        ("a.pod-b.pod", []),
        ("${DB_PASSWORD}", []),
        ("${HOST:-x}", []),
        ("${a:}", []),
    ],
)
def test_what_a_pod_reference_is(value: str, found: list[tuple[str, int | None]]) -> None:
    app = app_of(f"""
        application:
          name: shop
          pods:
            - name: web
              vars:
                A: {json.dumps(value)}
        """)
    assert [(ref.name, ref.port) for ref in app.references] == found


def test_pod_references_are_linear_in_many_dot_pods() -> None:
    # A name can start only where a run of name characters starts: no rescan per `.pod`.
    for value, count in ((".pod." * 100_000, 0), ("a.pod " * 50_000, 50_000), ("a" * 500_000 + ".po", 0)):
        doc = Document("x", "", {"application": {"pods": [{"name": "a", "vars": {"V": value}}]}}, {})
        assert len(App.of(doc).references) == count


def test_interpolated_reference_needs_no_dot_pod() -> None:
    text = (
        CLEAN
        + """\
      vars:
        API: "${api:8000}"
        SELF: "x${web:81}"
"""
    )
    messages = [d.message for d in lint_diags(text)]
    assert messages == [
        'var "API" refers to pod "api", which does not exist',
        'var "SELF" refers to port 81 of pod "web", which exposes only 80',
    ]


def test_postgres_mount_spelled_differently_is_found() -> None:
    text = """\
application:
  name: shop
  pods:
    - name: db
      image: postgres:16
      path: /
      volumes:
        - name: data
          size: 1Gi
          mountPath: /var/lib/postgresql/./data/
"""
    assert ("NX202", 10, 22) in lint_codes(text)


def test_a_volume_and_a_secret_are_two_mount_items() -> None:
    text = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      volumes:
        - name: data
          size: 1Gi
          mountPath: /etc/app
      secrets:
        - name: cfg
          data: x
          mountPath: /etc/app/
"""
    assert [code for code, _, _ in lint_codes(text) if code.startswith("NX2")] == ["NX212"]


@pytest.mark.parametrize(
    ("image", "ref"),
    [
        ("ghcr.io/a/b:1@sha256:0", ImageRef("ghcr.io", "a/b", "1", "sha256:0")),
        ("postgres", ImageRef("", "postgres", "", "")),
        (" postgres:16 ", ImageRef("", "postgres", "16", "")),
        ("localhost:5000/app", ImageRef("localhost:5000", "app", "", "")),
        ("host:5000/a/b", ImageRef("host:5000", "a/b", "", "")),
        ("a/b:c/d", ImageRef("", "a/b:c/d", "", "")),
        ("<% REGISTRY %>/a:1", ImageRef("<% REGISTRY %>", "a", "1", "")),
        ("registry:5000", ImageRef("", "registry", "5000", "")),
    ],
)
def test_parse_image(image: str, ref: ImageRef) -> None:
    assert parse_image(image) == ref


# --- messages and hints say what the file writes (hunt 64) --------------------------------------


def test_a_repeat_through_an_alias_is_named_so_not_by_the_findings_own_line() -> None:
    # hunt 64 F3: "already used by the pod on line 5", said on line 5, about the anchor's text
    text = """\
        application:
          name: shop
          pods:
            - &web {name: web, image: "nginx:1.27", path: /, servicePorts: [80]}
            - *web
        """
    assert [(d.code, d.line, d.message) for d in lint_diags(y(text)) if d.code in ("NX207", "NX210")] == [
        ("NX207", 4, 'pod name "web" is already used by the pod on this line (an alias repeats it)'),
        ("NX210", 4, 'path "/" of pod "web" is already the path of pod "web" on this line (an alias repeats it)'),
    ]
    # two texts on one line are two places: the earlier one's line is named
    flow = text.replace("- &web {name", "- {name").replace(
        "- *web", '- {name: web, image: "a:1", path: /, servicePorts: [81]}'
    )
    assert [d.message for d in lint_diags(y(flow)) if d.code == "NX207"] == [
        'pod name "web" is already used by the pod on line 4'
    ]


def test_an_empty_path_is_no_second_root_route() -> None:
    # hunt 64 F2: NX210 said `path ""` was already the path of the pod at "/"
    text = (
        y(
            """\
        application:
          name: shop
          pods:
        """
        )
        + WEB
        + '    - name: worker\n      image: nginx:1.27\n      path: ""\n      servicePorts: [81]\n'
    )
    assert [code for code, _, _ in lint_codes(text)] == ["NX104"]


def test_nx216_hint_writes_the_name_as_the_fix_does() -> None:
    # hunt 64 F4: `on: <value>` is a YAML 1.1 boolean key; the fix writes "on"
    [found] = only(CLEAN + '      vars:\n        - key: "on"\n          value: "1"\n', "NX216")
    assert found.hint == 'write each var as NAME: value under vars (`"on": <value>` instead of `- key: "on"`)'


def test_nx215_quotes_the_tag_as_written() -> None:
    # hunt 64 F5: `LATEST` was called the tag "latest"
    [found] = only(CLEAN.replace("nginx:1.27", "nginx:LATEST", 1), "NX215")
    assert found.message == 'image "nginx:LATEST" of pod "web" uses the moving tag "LATEST"'
