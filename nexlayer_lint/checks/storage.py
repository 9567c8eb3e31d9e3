"""Volumes and secrets: the Postgres data mount (NX202), unique volume names (NX211) and secret
names (NX221), one mountPath per volume or secret in a pod (NX212)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from nexlayer_lint.checks.app import App, Pod
from nexlayer_lint.checks.common import free_name, is_placeholder_image, on_line, parse_image
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.edits import add_entry, add_item, indent_step, replace_value
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Edit, Fix

PG_DATA_DIR = "/var/lib/postgresql/data"
# The documented layout: the volume one level up, the data in a directory of it that initdb makes.
PG_MOUNT = "/var/lib/postgresql"
PG_DATA = "/var/lib/postgresql/data/pgdata"
# The Postgres server images, by repository (registry and tag aside, in lower case): one named
# postgres or postgresql in any namespace (the official image and its mirrors, `library/postgres`,
# `bitnami/postgresql`, `supabase/postgres`, `cloudnative-pg/postgresql`), and these derivatives.
# Matching the whole repository, not a word in it: `acme/postgres-notes` is an app that uses Postgres.
POSTGRES_NAMES = frozenset({"postgres", "postgresql", "postgis"})  # postgis: any namespace's is PostGIS
POSTGRES_REPOSITORIES = frozenset(
    {
        "citusdata/citus",
        "pgautoupgrade/pgautoupgrade",
        "pgrouting/pgrouting",
        "groonga/pgroonga",
        "timescale/timescaledb-postgis",
        "tensorchord/vchord-postgres",
        "timescale/timescaledb",
        "timescale/timescaledb-ha",
        "pgvector/pgvector",
        "ankane/pgvector",
        "bitnami/postgresql-repmgr",
        "zulip/zulip-postgresql",
        "tensorchord/pgvecto-rs",
        "paradedb/paradedb",
        "crunchydata/crunchy-postgres",
        "apache/age",
        # FerretDB's Postgres with DocumentDB, and its all-in-one image (hunt 258 F1)
        "ferretdb/postgres-documentdb",
        "ferretdb/ferretdb-eval",
    }
)


def is_postgres(pod: Pod) -> bool:
    image = pod.data.get("image")
    if not isinstance(image, str) or is_placeholder_image(image):
        return False
    parts = parse_image(image).repository.lower().split("/")
    return parts[-1] in POSTGRES_NAMES or "/".join(parts[-2:]) in POSTGRES_REPOSITORIES


def _norm(path: str) -> str:
    # `/data/`, `/data/.` and `//data` mount the same directory (normpath keeps a leading `//`,
    # which POSIX leaves to the system; Linux reads it as `/`).
    return "/" + posixpath.normpath(path).lstrip("/") if path.startswith("/") else path.rstrip("/")


def _pgdata_inside(pgdata: object, mount: str) -> bool:
    if not isinstance(pgdata, str) or not pgdata.startswith("/"):
        return False
    return _norm(pgdata).startswith(_norm(mount) + "/")


def _data_dir(pgdata: object, image: str) -> str | None:
    """Where Postgres keeps its data: PGDATA when it is a path, the image's default without it;
    None (unknown) when PGDATA is a reference (`${PGDATA}`) or no path."""
    if pgdata is None:
        return _default_data_dir(image)
    if isinstance(pgdata, str) and pgdata.startswith("/"):
        return _norm(pgdata)
    return None


# The official image (and its mirrors: `public.ecr.aws/docker/library/postgres`), and the images
# built on it that keep its layout (tags `18-3.6`, `pg18`, `2.22.0-pg18`).
_OFFICIAL_LAYOUT = frozenset(
    {"postgis/postgis", "imresamu/postgis", "pgvector/pgvector", "timescale/timescaledb", "citusdata/citus"}
)
_MAJOR = lazy(r"([0-9]{1,3})(?![0-9])")


def _default_data_dir(image: str) -> str:
    """The official image keeps its data in /var/lib/postgresql/<major>/docker from Postgres 18 on
    (its tag says which: `18.1-alpine`, pgvector's `pg18` or `0.8.0-pg18`; `latest` says nothing
    the file can pin), in PG_DATA_DIR before; so do the images built on it (hunt 60 F7)."""
    ref = parse_image(image)
    repository = ref.repository.lower()
    official = repository in ("postgres", "library/postgres") or repository.endswith("/library/postgres")
    if not official and repository not in _OFFICIAL_LAYOUT:
        return PG_DATA_DIR
    tag = ref.tag.lower()
    pg = tag.find("pg")  # pgvector's `pg18`, `0.8.0-pg18`: the major version after `pg`
    major = _MAJOR.match(tag, pg + 2) if pg >= 0 else _MAJOR.match(tag)
    if major and 18 <= int(major.group(1)) < 100:
        return f"{PG_MOUNT}/{int(major.group(1))}/docker"
    return PG_DATA_DIR


def _mount_of(volume: object) -> str | None:
    """A volume's mountPath, normalised (_norm), when it is an absolute path."""
    if not isinstance(volume, dict):
        return None
    mount = volume.get("mountPath")
    return _norm(mount) if isinstance(mount, str) and mount.startswith("/") else None


@rule("NX202", "postgres-data-mount", "error", "a Postgres volume is mounted at its data directory or inside it")
def postgres_data_mount(app: App) -> Iterator[Finding]:
    """Kubernetes puts lost+found at the volume root, and initdb refuses a non-empty data
    directory, so Postgres must not have its data directory at a mount point, nor a mount point
    inside its data directory."""
    for pod in app.pods:
        volumes = pod.data.get("volumes")
        if not isinstance(volumes, list) or not is_postgres(pod):
            continue
        # set twice (NX220), the last is the one Kubernetes and a shell keep (hunt 155 F5)
        pgdata = next((var.value for var in reversed(pod.vars) if var.name == "PGDATA"), None)
        data_dir = _data_dir(pgdata, pod.data["image"])
        at_data_dir = [j for j, volume in enumerate(volumes) if _mount_of(volume) == PG_DATA_DIR]
        for j, volume in enumerate(volumes):
            mount = _mount_of(volume)
            if mount is None:
                continue
            written = volume["mountPath"]  # as the file writes it (`mount`: normalised)
            name = volume.get("name")
            label = f'volume "{name}"' if isinstance(name, str) else "a volume"
            where = pod.path + ("volumes", j, "mountPath")
            if mount != PG_DATA_DIR:
                if data_dir is None:
                    continue
                if mount == data_dir and pgdata is None:  # Postgres 18's own data directory
                    yield Finding(
                        f'Postgres pod "{pod.name}" mounts {label} at "{written}", the data directory of its image; '
                        "Postgres will not start there, because the volume's lost+found makes it non-empty",
                        path=where,
                        hint=f"mount the volume at {PG_MOUNT}, where the image keeps {mount}",
                    )
                elif mount == data_dir:  # `PGDATA: /pgdata` and the volume at /pgdata
                    yield Finding(
                        f'Postgres pod "{pod.name}" mounts {label} at "{written}", which PGDATA makes its data '
                        "directory; Postgres will not start there, because the volume's lost+found makes it "
                        "non-empty",
                        path=where,
                        hint=f"set PGDATA to a directory inside the volume, such as {mount.rstrip('/')}/pgdata",
                    )
                elif mount.startswith(data_dir + "/"):  # the mount point is a directory inside it
                    yield Finding(
                        f'Postgres pod "{pod.name}" mounts {label} at "{written}", inside its data directory '
                        f"{data_dir}; Postgres will not start, because the mount point makes that directory non-empty",
                        path=where,
                        hint=_inside_hint(data_dir, pgdata, mount),
                    )
                continue
            if _pgdata_inside(pgdata, written):
                yield Finding(
                    f'Postgres pod "{pod.name}" mounts {label} at "{written}"; PGDATA "{pgdata}" '
                    "avoids the volume's lost+found, but the documented layout mounts the parent",
                    path=where,
                    severity="warning",
                    hint=f"mount the volume at /var/lib/postgresql and keep PGDATA: {pgdata}",
                )
            elif (
                pgdata is not None and data_dir is not None and not (PG_DATA_DIR + "/").startswith(data_dir + "/")
            ):  # `PGDATA: /data`, or `/var/lib/postgresql/pgdata`, beside the volume
                beside = _pgdata_inside(pgdata, PG_MOUNT)  # the mount moves up to hold it (hunt 87 F1)
                yield Finding(
                    f'Postgres pod "{pod.name}" mounts {label} at "{written}", where Nexlayer forbids a '
                    f'Postgres volume; PGDATA "{pgdata}" keeps the data elsewhere, so the volume holds none of it',
                    path=where,
                    hint=f"mount the volume at /var/lib/postgresql and keep PGDATA: {pgdata}"
                    if beside
                    else f"mount the volume at /var/lib/postgresql and set PGDATA to a directory inside it, "
                    f"such as {PG_DATA}",
                    fix=_move_data_fix(app.doc, pod, where, pgdata) if beside and at_data_dir == [j] else None,
                )
            elif pgdata is None and data_dir != PG_DATA_DIR:  # Postgres 18's image, its data elsewhere
                yield Finding(
                    f'Postgres pod "{pod.name}" mounts {label} at "{written}"; the image keeps its data in '
                    f"{data_dir} from Postgres 18 on, and will not start with a volume at {PG_DATA_DIR}",
                    path=where,
                    hint=f"mount the volume at {PG_MOUNT}",
                    fix=_move_fix(app.doc, where) if at_data_dir == [j] else None,
                )
            else:
                yield Finding(
                    f'Postgres pod "{pod.name}" mounts {label} at "{written}"; Postgres will not '
                    "start there, because the volume's lost+found makes the data directory non-empty",
                    path=where,
                    hint="mount the volume at /var/lib/postgresql and set the var "
                    "PGDATA: /var/lib/postgresql/data/pgdata",
                    fix=_move_data_fix(app.doc, pod, where, pgdata) if at_data_dir == [j] else None,
                )


def _inside_hint(data_dir: str, pgdata: str | None, mount: str) -> str:
    """What to do about a volume mounted inside the data directory."""
    if data_dir == PG_DATA_DIR:
        return "mount the volume at /var/lib/postgresql and set the var PGDATA: /var/lib/postgresql/data/pgdata"
    if pgdata is None:
        return f"mount the volume at {PG_MOUNT}"
    return f"set PGDATA to a directory inside the volume, such as {mount}/pgdata"


def _move_data_fix(doc: Document, pod: Pod, mount: DataPath, pgdata: object) -> Fix | None:
    """Unsafe (the data moves): the volume mounted at /var/lib/postgresql, and PGDATA set to a
    directory of it, in the form and indentation of the pod's vars. A PGDATA already inside
    /var/lib/postgresql is kept; one elsewhere makes the intent unclear, so there is no fix."""
    move = replace_value(doc, mount, PG_MOUNT)
    if move is None:
        return None
    title = f"Mount the volume at {PG_MOUNT}"
    if any(var.name == "PGDATA" for var in pod.vars):
        return Fix(title, (move,), "unsafe") if _pgdata_inside(pgdata, PG_MOUNT) else None
    add = _add_var(doc, pod, "PGDATA", PG_DATA)
    return Fix(f"{title} and set PGDATA: {PG_DATA}", (move, add), "unsafe") if add else None


def _move_fix(doc: Document, mount: DataPath) -> Fix | None:
    """Unsafe (the data moves): the volume mounted at /var/lib/postgresql, where the image of
    Postgres 18 and later keeps its data below it without PGDATA."""
    move = replace_value(doc, mount, PG_MOUNT)
    return Fix(f"Mount the volume at {PG_MOUNT}", (move,), "unsafe") if move else None


def _add_var(doc: Document, pod: Pod, name: str, value: str) -> Edit | None:
    """An edit that adds the var `name: value` (both plain text) to a pod: first among its vars,
    as a mapping entry or a `key`/`value` item as its vars are written, or as a new `vars`
    before the pod's `volumes` when it has none."""
    variables = pod.data.get("vars")
    where = pod.path + ("vars",)
    if "vars" not in pod.data:
        step = " " * indent_step(doc)
        return add_entry(
            doc, pod.path, ["vars:", f"{step}{name}: {value}"], f"vars: {{{name}: {value}}}", before_key="volumes"
        )
    if isinstance(variables, dict):
        return add_entry(doc, where, [f"{name}: {value}"], f"{name}: {value}")
    if (
        isinstance(variables, list)
        and variables
        and all(isinstance(item, dict) and set(item) == {"key", "value"} for item in variables)
    ):
        entries = {"key": name, "value": value}
        order = list(variables[0])  # the first item's order of key and value
        return add_item(
            doc,
            where,
            [f"{key}: {entries[key]}" for key in order],
            "{" + ", ".join(f"{key}: {entries[key]}" for key in order) + "}",
        )
    return None


@rule("NX211", "duplicate-volume-name", "error", "two volumes share a name")
def duplicate_volume_name(app: App) -> Iterator[Finding]:
    """Volume names are unique in the whole application, not only in one pod."""
    first: dict[str, tuple[str, DataPath]] = {}
    tried: dict[str, int] = {}
    taken = {
        volume["name"]
        for pod in app.pods
        if isinstance(pod.data.get("volumes"), list)
        for volume in pod.data["volumes"]
        if isinstance(volume, dict) and isinstance(volume.get("name"), str)
    }
    for pod in app.pods:
        volumes = pod.data.get("volumes")
        if not isinstance(volumes, list):
            continue
        for j, volume in enumerate(volumes):
            name = volume.get("name") if isinstance(volume, dict) else None
            if not isinstance(name, str):
                continue
            if name in first:
                other, where = first[name]
                line = on_line(app.doc, where, pod.path + ("volumes", j, "name"))
                owner = "this pod" if other == pod.name else f'pod "{other}"'
                hint = "give every volume in the application its own name"
                if other != pod.name:
                    hint += f', for example "{free_name(pod.name + "-" + name, taken, tried)}"'
                yield Finding(
                    f'volume name "{name}" is already used by {owner} {line}',
                    path=pod.path + ("volumes", j, "name"),
                    hint=hint,
                )
            else:
                first[name] = (pod.name, pod.path + ("volumes", j, "name"))


@rule("NX221", "duplicate-secret-name", "error", "two secrets of one pod share a name")
def duplicate_secret_name(app: App) -> Iterator[Finding]:
    """A secret's name is unique within its pod (the schema says so): each becomes a volume of
    the pod, and Kubernetes refuses two volumes of one name."""
    for pod in app.pods:
        secrets = pod.data.get("secrets")
        first: dict[str, DataPath] = {}
        for j, secret in enumerate(secrets if isinstance(secrets, list) else []):
            name = secret.get("name") if isinstance(secret, dict) else None
            if not isinstance(name, str):
                continue
            where = pod.path + ("secrets", j, "name")
            if name not in first:
                first[name] = where
                continue
            yield Finding(
                f'secret name "{name}" of pod "{pod.name}" is already used {on_line(app.doc, first[name], where)}',
                path=where,
                hint="give each secret of a pod its own name",
            )


@rule("NX212", "mount-path-conflict", "error", "two volumes or secrets of one pod share a mountPath")
def mount_path_conflict(app: App) -> Iterator[Finding]:
    """Two volumes mounted at one directory of a pod hide each other; so do two secrets
    with the same file, and a volume and a secret in one directory. Secrets with different
    fileNames may share a mountPath, as Nexlayer's own examples do (each file lands at
    mountPath/fileName). The later one in the file is reported, whether a pod lists its volumes
    or its secrets first."""
    for pod in app.pods:
        mounts = []
        for kind in ("volumes", "secrets"):
            items = pod.data.get(kind)
            for j, item in enumerate(items if isinstance(items, list) else []):
                mount = item.get("mountPath") if isinstance(item, dict) else None
                if isinstance(mount, str) and mount:
                    where = pod.path + (kind, j, "mountPath")
                    mounts.append((app.doc.locate(where)[:2], kind, j, item, where))
        first: dict[str, tuple[str, int, dict[str, Any], DataPath]] = {}  # by directory, or secret file
        volume_dirs: dict[str, tuple[str, int, dict[str, Any], DataPath]] = {}
        secret_dirs: dict[str, tuple[str, int, dict[str, Any], DataPath]] = {}
        for _, kind, j, item, where in sorted(mounts, key=lambda mount: mount[0]):
            mount = item["mountPath"]
            file_name = item.get("fileName") if kind == "secrets" else None
            key = directory = _norm(mount)
            if isinstance(file_name, str) and file_name:
                key = _norm(f"{key.rstrip('/')}/{file_name}")
            # a volume in a secret's directory, or a secret in a volume's: one hides the other
            earlier = first.get(key) or (secret_dirs if kind == "volumes" else volume_dirs).get(directory)
            (volume_dirs if kind == "volumes" else secret_dirs).setdefault(directory, (kind, j, item, where))
            if earlier is None:
                first[key] = (kind, j, item, where)
                continue
            other_kind, other_j, other_item, other_where = earlier
            what = f'mountPath "{mount}"' if key == _norm(mount) else f'mountPath "{mount}" with fileName "{file_name}"'
            yield Finding(
                f'{what} of {_label(kind, j, item)} in pod "{pod.name}" is already used by '
                f"{_label(other_kind, other_j, other_item)} {on_line(app.doc, other_where, where)}",
                path=where,
                hint="mount each volume at a directory of its own, and give secrets that share "
                "a mountPath different fileNames",
            )


def _label(kind: str, j: int, item: dict[str, Any]) -> str:
    name = item.get("name")
    return f'{kind[:-1]} "{name}"' if isinstance(name, str) else f"{kind[:-1]} #{j + 1}"
