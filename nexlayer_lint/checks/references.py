"""Pod references in vars: `<pod>.pod` host names and `${pod:port}` (NX208, NX209)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from nexlayer_lint.checks.common import Pod, describe, pod_vars, pods, value_offset
from nexlayer_lint.model import Document, Problem

# `db.pod`, `http://api.pod:8000/v1`, `postgresql://u:p@db.pod:5432/x`. Not `docs.pod.example.com`
# (`.pod` must end the host name) and not `foo.db.pod` (pod names have no dots).
_HOST = re.compile(r"(?<![A-Za-z0-9_.-])([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\.pod(?![A-Za-z0-9_.-])(?::(\d{1,5}))?")
# The 2026 form `${api:8000}`. `${DB_PASSWORD}` and `${HOST:-x}` are dashboard secrets or shell
# defaults, never references: a pod name starts with a lower-case letter.
_INTERPOLATION = re.compile(r"\$\{([a-z][a-z0-9-]*):(\d{1,5})\}")


class Reference(NamedTuple):  # a named tuple: built for every reference of every file, and cheaper
    name: str
    port: int | None
    start: int  # where the name is in the value
    end: int
    port_start: int
    port_end: int


def find_references(value: str) -> list[Reference]:
    found = []
    # Each pattern runs only when its literal part (`.pod`, `${`) is in the value: exact, and cheaper.
    for match in _HOST.finditer(value) if ".pod" in value else ():
        port = match.group(2)
        found.append(Reference(match.group(1), int(port) if port else None, match.start(1), match.end(1),
                               match.start(2) if port else match.start(1),
                               match.end(2) if port else match.end(1)))
    for match in _INTERPOLATION.finditer(value) if "${" in value else ():
        found.append(Reference(match.group(1), int(match.group(2)), match.start(1), match.end(1),
                               match.start(2), match.end(2)))
    return sorted(found, key=lambda ref: ref.start)


def _resolve(name: str, by_name: dict[str, Pod], app: object) -> Pod | None:
    name = name.lower()
    if name in by_name:
        return by_name[name]
    # Kubernetes services are `<app>-<pod>`, and `<app>-<pod>.pod` resolves too.
    if isinstance(app, str) and name.startswith(app.lower() + "-"):
        return by_name.get(name[len(app) + 1:])
    return None


def _ports(pod: Pod) -> list[int]:
    ports = pod.data.get("servicePorts")
    if not isinstance(ports, list):
        return []
    return [port for port in ports if isinstance(port, int) and not isinstance(port, bool)]


def pod_references(doc: Document) -> Iterator[Problem]:
    """NX208 (unknown pod) and NX209 (port the pod does not expose) for every reference in a var."""
    all_pods = pods(doc)
    by_name = {pod.data["name"].lower(): pod for pod in all_pods if isinstance(pod.data.get("name"), str)}
    if not by_name:
        return
    app = doc.get("application", "name")
    for pod in all_pods:
        for var in pod_vars(pod):
            value = var.value
            # Exact pre-filter: _HOST needs a literal `.pod`, _INTERPOLATION a `${` and a `:`.
            if not isinstance(value, str) or (".pod" not in value and ("${" not in value or ":" not in value)):
                continue
            for ref in find_references(value):
                target = _resolve(ref.name, by_name, app)
                if target is None:
                    field = describe(doc, var.path)
                    names = sorted(by_name)
                    import difflib  # only for a finding: a clean run never needs it

                    close = difflib.get_close_matches(ref.name.lower(), names, n=1, cutoff=0.75)
                    hint = f'did you mean "{close[0]}"? ' if close else ""
                    yield Problem(
                        "NX208",
                        f'{field} refers to pod "{ref.name}", which does not exist',
                        path=var.path, hint=f"{hint}pods: {', '.join(names)}",
                        offset=value_offset(doc, var.path, ref.start, ref.end),
                    )
                    continue
                ports = _ports(target)
                if ref.port is None or not ports or ref.port in ports:
                    continue
                field = describe(doc, var.path)
                listed = ", ".join(str(port) for port in ports)
                target_name = target.data["name"]
                yield Problem(
                    "NX209",
                    f'{field} refers to port {ref.port} of pod "{target_name}", which exposes only {listed}',
                    path=var.path,
                    hint=f"use one of the pod's servicePorts ({listed}), "
                         f'or add {ref.port} to servicePorts of pod "{target_name}"',
                    offset=value_offset(doc, var.path, ref.port_start, ref.port_end),
                )


CHECKS = (pod_references,)
