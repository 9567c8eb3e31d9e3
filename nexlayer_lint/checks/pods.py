"""Pods: names are unique in an application (NX207)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.common import Pod, line_of, pods
from nexlayer_lint.model import Document, Problem


def duplicate_pod_name(doc: Document) -> Iterator[Problem]:
    """NX207: a pod's name is its host name inside the application, so it must be unique."""
    # The first pod's line is looked up only when a duplicate needs it: it is the same line then.
    first: dict[str, Pod] = {}
    for pod in pods(doc):
        name = pod.data.get("name")
        if not isinstance(name, str):
            continue
        if name in first:
            line = line_of(doc, first[name].path + ("name",))
            yield Problem(
                "NX207",
                f'pod name "{name}" is already used by the pod on line {line}',
                path=pod.path + ("name",),
                hint=f'rename one of them (for example "{name}-2"); '
                     f"a pod's name is also its host name, {name}.pod",
            )
        else:
            first[name] = pod


CHECKS = (duplicate_pod_name,)
