"""Routing: at least one pod must have a `path` (NX201), and no two pods the same one (NX210)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import PODS, App, Pod
from nexlayer_lint.checks.common import line_of
from nexlayer_lint.checks.declare import Finding, rule

# Pod names that usually serve the web front end, for the hint of NX201.
_FRONT_END = ("web", "frontend", "front-end", "ui", "client", "app", "nginx", "site", "www")


@rule("NX201", "no-public-path", "error", "no pod has a `path`, so nothing is routed")
def no_public_path(app: App) -> Iterator[Finding]:
    """Without a `path` on some pod, the platform routes nothing to the application."""
    # An empty list or items of the wrong shape are the schema's to report.
    if not app.pods or len(app.pods) != len(app.doc.get(*PODS)):
        return
    if any(pod.data.get("path") is not None for pod in app.pods):
        return
    names = [pod.name for pod in app.pods]
    if len(names) == 1:
        target = f'pod "{names[0]}"'
    else:
        front = next((name for name in names if name.lower() in _FRONT_END), None)
        target = f'the pod that serves the web front end (probably "{front}")' if front else \
            "the pod that serves the web front end"
    listed = ", ".join(f'"{name}"' for name in names)
    yield Finding(
        f"no pod has a path, so nothing is routed to the application (pods: {listed})",
        path=PODS, at="key",
        hint=f"add `path: /` to {target}; Nexlayer needs at least one pod with a path",
    )


def _route(path: str) -> str:
    # `/api` and `/api/` are the same route prefix.
    return path.rstrip("/") or "/"


@rule("NX210", "duplicate-path", "warning", "two pods share a `path`")
def duplicate_path(app: App) -> Iterator[Finding]:
    """Two pods with one path prefix: only one of them can receive the traffic."""
    first: dict[str, Pod] = {}
    for pod in app.pods:
        path = pod.data.get("path")
        if not isinstance(path, str):
            continue
        route = _route(path)
        if route not in first:
            first[route] = pod
            continue
        other = first[route]
        yield Finding(
            f'path "{path}" of pod "{pod.name}" is already the path of pod "{other.name}" '
            f'on line {line_of(app.doc, other.path + ("path",))}',
            path=pod.path + ("path",),
            hint="give each pod its own path prefix (for example /api for the back end); "
                 "one path routes to one pod",
        )
