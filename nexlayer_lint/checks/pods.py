"""Pods: names are unique in an application (NX207)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App, Pod
from nexlayer_lint.checks.common import free_name, on_line
from nexlayer_lint.checks.declare import Finding, rule


@rule("NX207", "duplicate-pod-name", "error", "two pods share a name")
def duplicate_pod_name(app: App) -> Iterator[Finding]:
    """A pod's name is its host name inside the application, so it must be unique."""
    first: dict[str, Pod] = {}
    taken = {pod.name for pod in app.pods}
    tried: dict[str, int] = {}
    for pod in app.pods:
        name = pod.data.get("name")
        if not isinstance(name, str):
            continue
        if name not in first:
            first[name] = pod
            continue
        yield Finding(
            f'pod name "{name}" is already used by the pod '
            + on_line(app.doc, first[name].path + ("name",), pod.path + ("name",)),
            path=pod.path + ("name",),
            hint=f'rename one of them (for example "{free_name(name, taken, tried)}"); a pod\'s name is also its host '
            f"name, {name}.pod",
        )
