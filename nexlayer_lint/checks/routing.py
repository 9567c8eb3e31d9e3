"""Routing: at least one pod must have a `path` (NX201), and no two pods the same one (NX210)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.common import PODS, Pod, app_field, line_of, pods
from nexlayer_lint.model import Document, Problem

# Pod names that usually serve the web front end, for the hint of NX201.
_FRONT_END = ("web", "frontend", "front-end", "ui", "client", "app", "nginx", "site", "www")


def no_public_path(doc: Document) -> Iterator[Problem]:
    """NX201: without a `path` on some pod, the platform routes nothing to the application."""
    items = app_field(doc, "pods")  # doc.get(*PODS)
    found = pods(doc)
    # An empty list or items of the wrong shape are the schema's to report.
    if not found or len(found) != len(items):
        return
    for pod in found:  # a plain loop: cheaper than any() over a generator for a few pods
        if pod.data.get("path") is not None:
            return
    names = [pod.name for pod in found]
    if len(found) == 1:
        target = f'pod "{names[0]}"'
    else:
        front = next((name for name in names if name.lower() in _FRONT_END), None)
        target = f'the pod that serves the web front end (probably "{front}")' if front else \
            "the pod that serves the web front end"
    listed = ", ".join(f'"{name}"' for name in names)
    yield Problem(
        "NX201",
        f"no pod has a path, so nothing is routed to the application (pods: {listed})",
        path=PODS, at="key",
        hint=f"add `path: /` to {target}; Nexlayer needs at least one pod with a path",
    )


def _route(path: str) -> str:
    # `/api` and `/api/` are the same route prefix.
    return path.rstrip("/") or "/"


def duplicate_path(doc: Document) -> Iterator[Problem]:
    """NX210: two pods with one path prefix; only one of them can receive the traffic."""
    # The first pod's line is looked up only when a duplicate needs it: it is the same line then.
    first: dict[str, Pod] = {}
    for pod in pods(doc):
        path = pod.data.get("path")
        if not isinstance(path, str):
            continue
        route = _route(path)
        if route in first:
            other = first[route]
            line = line_of(doc, other.path + ("path",))
            yield Problem(
                "NX210",
                f'path "{path}" of pod "{pod.name}" is already the path of pod "{other.name}" on line {line}',
                path=pod.path + ("path",),
                hint="give each pod its own path prefix (for example /api for the back end); "
                     "one path routes to one pod",
            )
        else:
            first[route] = pod


CHECKS = (no_public_path, duplicate_path)
