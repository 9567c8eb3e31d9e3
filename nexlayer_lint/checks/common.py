"""Shared helpers of the checks: defensive walks over pods, vars and images."""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from nexlayer_lint.model import DataPath, Document, format_path

PODS: DataPath = ("application", "pods")

# `<% REGISTRY %>`, `<%REGISTRY%>`, any inner spacing.
REGISTRY_TEMPLATE = re.compile(r"<%\s*REGISTRY\s*%>")
TEMPLATE = re.compile(r"<%\s*(.*?)\s*%>")
# `# filled by pipeline` / `# filled by pipeline:backend` (2026 pipeline), and the
# `placeholder-will-be-updated` images earlier generators wrote.
PIPELINE_PLACEHOLDER = re.compile(
    r"\s*#\s*filled by pipeline(?:\s*:\s*[A-Za-z0-9._-]*)?\s*|placeholder(?:-[a-z]+)*", re.IGNORECASE
)


# One environment variable of a pod, in either form of `vars`: (name, value). A plain tuple,
# unpacked where it is read. The path of its value is asked of var_path() when a check reports
# it: a mapping's vars are then just its items, listed in C, and pods() no longer builds a path
# for every var of every file, which cost a third of it.
Var = tuple[str, Any]


# Pod is a named tuple, not a frozen dataclass: a document's pods are built once (see pods()) but
# for every file, and a named tuple is built several times faster.
class Pod(NamedTuple):
    index: int
    data: dict[str, Any]
    path: DataPath
    name: str  # its `name`, or `#<n>` (1-based) when it has none
    # vars as a mapping (`NAME: value`) or a list (`- key: NAME` / `value: ...`, or `- NAME: value`)
    vars: list[Var]


# One-entry caches keyed on the Document object itself (compared with `is`, never hashed: its
# `data` is a mutable dict, but a loaded document's data does not change). The engine runs every
# check on one document before the next, so one entry is enough; holding the document keeps its
# id from being reused while cached.
_pods_cache: tuple[Document | None, list[Pod]] = (None, [])
_templates_cache: tuple[Document | None, list[tuple[DataPath, str]]] = (None, [])


def pods(doc: Document) -> list[Pod]:
    """The pods that are mappings; anything else is the schema's to report. Callers must not
    change the list: it is shared by every check of the document."""
    global _pods_cache
    cached_doc, found = _pods_cache
    if cached_doc is doc:
        return found
    items = app_field(doc, "pods")
    found = []
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                path = PODS + (i,)
                name = item.get("name")
                found.append(Pod(i, item, path, name if isinstance(name, str) else f"#{i + 1}", _vars_of(item)))
    _pods_cache = (doc, found)
    return found


def app_field(doc: Document, key: str) -> Any:
    """`doc.get("application", key)` without get_in's loop over any path: the same steps (a
    missing key and a key holding None both give None), for the fields several checks read."""
    data = doc.data
    app = data.get("application") if isinstance(data, dict) else None
    return app.get(key) if isinstance(app, dict) else None


def _vars_of(data: dict[str, Any]) -> list[Var]:
    variables = data.get("vars")
    if isinstance(variables, dict):
        return list(variables.items())
    if isinstance(variables, list):
        return [(name, value) for name, value, _ in _listed_vars(variables, ())]
    return []


def _listed_vars(variables: list[Any], base: DataPath) -> list[tuple[Any, Any, DataPath]]:
    """(name, value, path) of each var of a `vars` list, in order: `- key: NAME` / `value: ...`
    items and single-key `- NAME: value` items; anything else is the schema's to report."""
    found = []
    for k, item in enumerate(variables):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("key"), str):
            found.append((item["key"], item.get("value"), base + (k, "value")))
        elif len(item) == 1:
            ((name, value),) = item.items()
            found.append((name, value, base + (k, name)))
    return found


def var_path(pod: Pod, var: Var) -> DataPath:
    """The path of the value of `var`, which must be one of `pod.vars` itself (each is a tuple of
    its own, so `is` finds its place among vars of one name): worked out again from the pod's
    `vars` the way pods() read them, as only a check that reports a var needs it."""
    variables = pod.data["vars"]  # the pod has a var, so it has `vars`
    base = pod.path + ("vars",)
    if isinstance(variables, dict):
        return base + (var[0],)
    k = next(k for k, each in enumerate(pod.vars) if each is var)
    return _listed_vars(variables, base)[k][2]


def var_value(pod: Pod, name: str) -> Any:
    for var_name, value in pod.vars:
        if var_name == name:
            return value
    return None


def is_placeholder_image(image: str) -> bool:
    # Exact pre-filter: the first alternative needs a `#`, the second starts the string with a `p`
    # or `P` (the only two characters that match `p` case-insensitively, Unicode included).
    if "#" not in image and image[:1] not in ("p", "P"):
        return False
    return PIPELINE_PLACEHOLDER.fullmatch(image) is not None


class ImageRef(NamedTuple):  # a named tuple, as Pod and Var: cheaper to create
    """A parsed image reference: `[registry/]repository[:tag][@digest]`."""

    registry: str  # as written, "" when the image names none
    repository: str
    tag: str
    digest: str


def parse_image(image: str) -> ImageRef:
    """Split an image reference the way Docker does: the first segment is a registry only when
    it has a `.` or a `:` or is `localhost` (so `localhost:5000/app` has no tag)."""
    rest, _, digest = image.strip().partition("@")
    registry = ""
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or REGISTRY_TEMPLATE.fullmatch(first)):
        registry, rest = first, remainder
    name, colon, tag = rest.rpartition(":")
    if not colon or "/" in tag:
        name, tag = rest, ""
    return ImageRef(registry, name, tag, digest)


def image_tag(image: str) -> str:
    """`parse_image(image).tag`, without building the whole reference: the text after the last `:`
    of the part before any `@`, when that text has no `/`. Exact: when parse_image takes off a
    registry, a `:` after it is also the last `:` of the whole part; a `:` only in the registry
    (`localhost:5000/app`) leaves a `/` after it, and parse_image finds no tag either."""
    _, colon, tag = image.strip().partition("@")[0].rpartition(":")
    return tag if colon and "/" not in tag else ""


_DOCKER_HUB = {"", "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}


def normalize_registry(registry: str) -> str:
    """`https://GHCR.io/` -> `ghcr.io`; every spelling of Docker Hub -> `docker.io`."""
    host = re.sub(r"^[a-z]+://", "", registry.strip(), flags=re.IGNORECASE).rstrip("/").lower()
    return "docker.io" if host in _DOCKER_HUB else host


def line_of(doc: Document, path: DataPath) -> int:
    return doc.locate(path).line


def template_strings(doc: Document) -> list[tuple[DataPath, str]]:
    """Every string value under `application` (keys are not values) that contains `<%`, with its
    path, in document order. Every template (`<% NAME %>`, `<% REGISTRY %>`) contains `<%`, so the
    template checks lose nothing by seeing only these. Computed once per document and shared;
    callers must not change the list."""
    global _templates_cache
    cached_doc, found = _templates_cache
    if cached_doc is doc:
        return found
    found = []
    data = doc.data
    app = data.get("application") if isinstance(data, dict) else None  # doc.get("application")
    if isinstance(app, str):
        if "<%" in app:
            found.append((("application",), app))
    elif isinstance(app, _CONTAINERS):
        bound = _templates_bound(doc.text)
        if bound:
            _collect_templates(app, ("application",), found, bound)
    _templates_cache = (doc, found)
    return found


_CONTAINERS = (dict, list)  # a global name: looked up once, not built as a tuple per value


def _templates_bound(text: str) -> float:
    """How many `<%` all string values together can hold: the text's own count, when the text
    has no `\\` and no `*`; no bound otherwise. Exact: every value is read from the text, and
    only an escape (`\\x3c`, an escaped line break) writes a character that is not the text's
    own at that place; line folding turns a break into a space or a newline, never into nothing,
    so a `<` and a `%` are next to each other in a value only if they are in the text; and only an
    alias (`*name`) makes two values of one piece of text. Keys and comments only loosen it."""
    if "\\" in text or "*" in text:
        return math.inf
    return text.count("<%")


def _collect_templates(node: dict[Any, Any] | list[Any], path: DataPath, out: list[tuple[DataPath, str]],
                       bound: float) -> float:
    # Pre-order, in dict and list order. A path is built only for a container to descend into or
    # a value that is kept. Depth is bounded: the loader rejects nesting deeper than 500 levels.
    # Returns how many `<%` later values may still hold: at 0 the walk stops, as none can.
    for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
        if isinstance(value, str):
            if "<%" in value:
                out.append((path + (key,), value))
                bound -= value.count("<%")
                if bound <= 0:
                    return 0
        elif isinstance(value, _CONTAINERS):
            bound = _collect_templates(value, path + (key,), out, bound)
            if bound <= 0:
                return 0
    return bound


def value_offset(doc: Document, path: DataPath, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) inside the value's string, as `Problem.offset` wants it (the engine skips an
    opening quote), or None when the source text is not the value character for character
    (escapes, folded or multi-line scalars), so that the underline would land beside it."""
    value = doc.get(*path)
    raw = doc.source_of(path)
    if raw is None or not isinstance(value, str):
        return None
    style = doc.positions[tuple(path)].style
    if raw == f"{style}{value}{style}" and style in ("", "'", '"'):
        return (start, end)
    return None


def describe(doc: Document, path: DataPath) -> str:
    """A short, human name for where a value sits: `var "API_URL"`, `application.pods[0].command`."""
    if len(path) >= 5 and path[:2] == PODS and path[3] == "vars":
        if isinstance(path[4], str):
            return f'var "{path[4]}"'
        key = doc.get(*path[:5], "key")
        if isinstance(key, str):
            return f'var "{key}"'
        if len(path) >= 6 and isinstance(path[5], str) and path[5] not in ("key", "value"):
            return f'var "{path[5]}"'
    return format_path(path)
