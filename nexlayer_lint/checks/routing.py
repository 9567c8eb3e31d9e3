"""Routing: at least one pod must have a `path` (NX201), and no two pods the same one (NX210)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nexlayer_lint.checks.app import PODS, App, Pod
from nexlayer_lint.checks.common import is_placeholder_image, on_line, parse_image
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.edits import add_entry
from nexlayer_lint.model import Fix

# Pod names that usually serve the web front end, for the hint of NX201.
_FRONT_END = ("web", "frontend", "front-end", "ui", "client", "app", "nginx", "site", "www")
# Words of a pod's name or image that say it serves web pages (`shop-web`, `acme/storefront-ui`,
# `httpd`); not "app", which back ends are named too (`app-worker`).
_FRONT_END_WORDS = frozenset(_FRONT_END + ("front", "nginx", "httpd", "caddy", "storefront", "webapp")) - {"app"}


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
        target = (
            f'the pod that serves the web front end (probably "{front}")'
            if front
            else "the pod that serves the web front end"
        )
    listed = ", ".join(f'"{name}"' for name in names)
    misspelt = next(((pod, key) for pod in app.pods if (key := _misspelt_path(pod)) is not None), None)
    if misspelt is not None:
        # The route the author wrote is under a misspelt key: renaming it (NX102's fix) keeps that
        # route, where adding `path: /` would replace it and make the rename a duplicate key.
        pod, key = misspelt
        hint = f'rename "{key}" to "path" in pod "{pod.name}"; Nexlayer needs at least one pod with a path'
    else:
        hint = f"add `path: /` to {target}; Nexlayer needs at least one pod with a path"
    yield Finding(
        f"no pod has a path, so nothing is routed to the application (pods: {listed})",
        path=PODS,
        at="key",
        hint=hint,
        fix=None if misspelt else _add_root_path(app),
    )


def _misspelt_path(pod: Pod) -> str | None:
    """A key of the pod that NX102 reads as a misspelt `path` (`Path`, `paht`, `route`)."""
    from nexlayer_lint.schema import guessed_pod_key  # only for a finding

    keys = (key for key in pod.data if isinstance(key, str) and key != "path")
    return next((key for key in keys if guessed_pod_key(key) == "path"), None)


def _add_root_path(app: App) -> Fix | None:
    """Unsafe (it makes a pod public): `path: /` added to the pod most likely to serve the front
    end (see `front_end`), after its image; none when no pod looks like one."""
    if any("path" in pod.data for pod in app.pods):
        return None  # `path:` with no value is the schema's finding; a second `path` would be a duplicate
    pod = front_end(app.pods)
    if pod is None:
        return None
    edit = add_entry(app.doc, pod.path, ["path: /"], "path: /", after_key="image", before_key="servicePorts")
    return Fix(f'Add `path: /` to pod "{pod.name}"', (edit,), "unsafe") if edit else None


def front_end(pods: tuple[Pod, ...]) -> Pod | None:
    """The pod most likely to serve the front end: the only pod; else the first named as front
    ends are (`web`, `frontend`, `ui`, ...: the hint's choice); else the first with such a word in
    its name (`shop-web`); else the first whose image's repository has one (`acme/storefront`,
    `nginx`, `httpd`); else none (a back end and a database: which one is public is a guess)."""
    if len(pods) == 1:
        return pods[0]
    for tier in (_named_front_end, _name_has_front_end_word, _image_has_front_end_word):
        found = next((pod for pod in pods if tier(pod)), None)
        if found is not None:
            return found
    return None


def _named_front_end(pod: Pod) -> bool:
    return pod.name.lower() in _FRONT_END


def _name_has_front_end_word(pod: Pod) -> bool:
    return not _FRONT_END_WORDS.isdisjoint(re.split(r"[^a-z0-9]+", pod.name.lower()))


def _image_has_front_end_word(pod: Pod) -> bool:
    image = pod.data.get("image")
    if not isinstance(image, str) or is_placeholder_image(image):
        return False
    return not _FRONT_END_WORDS.isdisjoint(re.split(r"[^a-z0-9]+", parse_image(image).repository.lower()))


def _route(path: str) -> str:
    # `/api` and `/api/` are the same route prefix.
    return path.rstrip("/") or "/"


@rule("NX210", "duplicate-path", "warning", "two pods share a `path`")
def duplicate_path(app: App) -> Iterator[Finding]:
    """Two pods with one path prefix: only one of them can receive the traffic."""
    first: dict[str, Pod] = {}
    for pod in app.pods:
        path = pod.data.get("path")
        if not isinstance(path, str) or not path:
            continue  # `""` is no route (NX104), not the root
        route = _route(path)
        if route not in first:
            first[route] = pod
            continue
        other = first[route]
        yield Finding(
            f'path "{path}" of pod "{pod.name}" is already the path of pod "{other.name}" '
            + on_line(app.doc, other.path + ("path",), pod.path + ("path",)),
            path=pod.path + ("path",),
            hint="give each pod its own path prefix (for example /api for the back end); one path routes to one pod",
        )
