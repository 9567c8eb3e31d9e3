"""Pod references in vars: `<pod>.pod` host names and `${pod:port}` (NX208, NX209)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from nexlayer_lint.checks.common import Pod, app_field, describe, pods, value_offset, var_path
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
    """Every reference in the value, by start: what `_HOST.finditer` and `_INTERPOLATION.finditer`
    find, sorted by where the name starts (`_find_by_regex` in the tests is that definition)."""
    hosts = _host_references(value) if ".pod" in value else []
    interpolations = _interpolated_references(value) if "${" in value else []
    if not interpolations:
        return hosts
    if not hosts:
        return interpolations
    return sorted(hosts + interpolations, key=lambda ref: ref.start)


# The characters a name is made of (`_HOST` without `_` and `.`), for str.rstrip.
_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"


def _host_references(value: str) -> list[Reference]:
    """`_HOST.finditer(value)`, trying the pattern at one position per `.pod` instead of at every
    position of the value (its lookbehind keeps the regex engine from skipping ahead). Exact: a
    match's name ends at a `.pod`, and is all name characters with no name character before it
    (the lookbehind), so for each `.pod` the only start that can match is where the run of name
    characters before it begins. finditer goes on from the end of a match, so a start before it
    is not tried (`a.pod:80.pod` has no name `80`); `_HOST.match` at a position still sees the
    characters before it, for the lookbehind."""
    found = []
    searched_to = 0  # where finditer goes on: the end of the last match
    lower = 0  # a run of name characters stops at the `.` of the previous `.pod`: linear time
    at = value.find(".pod")
    while at != -1:
        start = lower + len(value[lower:at].rstrip(_NAME_CHARS))
        match = _HOST.match(value, start) if start >= searched_to else None
        if match:
            # The spans follow from where the match is, without asking for them: the name starts
            # at `start` (the lookbehind takes no characters) and ends at this `.pod`, the first
            # `.` after `start`; a port is the rest of the match after `.pod:`.
            port = match.group(2)
            searched_to = match.end()
            if port:
                found.append(Reference(value[start:at], int(port), start, at, at + 5, searched_to))
            else:
                found.append(Reference(value[start:at], None, start, at, start, at))
        lower = at + 1
        at = value.find(".pod", lower)
    return found


def _interpolated_references(value: str) -> list[Reference]:
    # `_INTERPOLATION.finditer(value)` as a loop of searches, each from the end of the last match
    # (the pattern has no lookbehind and no empty match): a search costs less than a finditer,
    # and the usual `${SECRET}` gives none. The engine skips ahead to the literal `${`.
    found = []
    match = _INTERPOLATION.search(value)
    while match:
        found.append(Reference(match.group(1), int(match.group(2)), *match.span(1), *match.span(2)))
        match = _INTERPOLATION.search(value, match.end())
    return found


def _resolve(name: str, by_name: dict[str, Pod], doc: Document) -> Pod | None:
    name = name.lower()
    if name in by_name:
        return by_name[name]
    # Kubernetes services are `<app>-<pod>`, and `<app>-<pod>.pod` resolves too.
    app = app_field(doc, "name")  # read only here: most references name a pod directly
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
    by_name = {}
    for pod in all_pods:
        name = pod.data.get("name")
        if isinstance(name, str):
            by_name[name.lower()] = pod
    if not by_name:
        return
    for pod in all_pods:
        for var in pod.vars:
            value = var[1]
            # Exact pre-filter: _HOST needs a literal `.pod`, _INTERPOLATION a `${` and a `:`.
            if not isinstance(value, str) or (".pod" not in value and ("${" not in value or ":" not in value)):
                continue
            for ref in find_references(value):
                target = _resolve(ref.name, by_name, doc)
                if target is None:
                    path = var_path(pod, var)  # only for a finding: a clean var needs no path
                    field = describe(doc, path)
                    names = sorted(by_name)
                    import difflib  # only for a finding: a clean run never needs it

                    close = difflib.get_close_matches(ref.name.lower(), names, n=1, cutoff=0.75)
                    hint = f'did you mean "{close[0]}"? ' if close else ""
                    yield Problem(
                        "NX208",
                        f'{field} refers to pod "{ref.name}", which does not exist',
                        path=path, hint=f"{hint}pods: {', '.join(names)}",
                        offset=value_offset(doc, path, ref.start, ref.end),
                    )
                    continue
                if ref.port is None:
                    continue
                ports = _ports(target)
                if not ports or ref.port in ports:
                    continue
                path = var_path(pod, var)  # only for a finding: a clean var needs no path
                field = describe(doc, path)
                listed = ", ".join(str(port) for port in ports)
                target_name = target.data["name"]
                yield Problem(
                    "NX209",
                    f'{field} refers to port {ref.port} of pod "{target_name}", which exposes only {listed}',
                    path=path,
                    hint=f"use one of the pod's servicePorts ({listed}), "
                         f'or add {ref.port} to servicePorts of pod "{target_name}"',
                    offset=value_offset(doc, path, ref.port_start, ref.port_end),
                )


CHECKS = (pod_references,)
