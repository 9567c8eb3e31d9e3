"""Shared helpers of the checks: defensive walks over pods, vars and images."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Pod:
    index: int
    data: dict[str, Any]

    @property
    def path(self) -> DataPath:
        return PODS + (self.index,)

    @property
    def name(self) -> str:
        name = self.data.get("name")
        return name if isinstance(name, str) else f"#{self.index + 1}"


@dataclass(frozen=True)
class Var:
    """One environment variable of a pod, in either form of `vars`."""

    name: str
    value: Any
    path: DataPath  # the path of the value


def pods(doc: Document) -> list[Pod]:
    """The pods that are mappings; anything else is the schema's to report."""
    items = doc.get(*PODS)
    if not isinstance(items, list):
        return []
    return [Pod(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def pod_vars(pod: Pod) -> Iterator[Var]:
    """Vars as a mapping (`NAME: value`) or a list (`- key: NAME` / `value: ...`, or `- NAME: value`)."""
    variables = pod.data.get("vars")
    base = pod.path + ("vars",)
    if isinstance(variables, dict):
        for name, value in variables.items():
            yield Var(name, value, base + (name,))
    elif isinstance(variables, list):
        for k, item in enumerate(variables):
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("key"), str):
                yield Var(item["key"], item.get("value"), base + (k, "value"))
            elif len(item) == 1:
                ((name, value),) = item.items()
                yield Var(name, value, base + (k, name))


def var_value(pod: Pod, name: str) -> Any:
    for var in pod_vars(pod):
        if var.name == name:
            return var.value
    return None


def is_placeholder_image(image: str) -> bool:
    return PIPELINE_PLACEHOLDER.fullmatch(image) is not None


@dataclass(frozen=True)
class ImageRef:
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


_DOCKER_HUB = {"", "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}


def normalize_registry(registry: str) -> str:
    """`https://GHCR.io/` -> `ghcr.io`; every spelling of Docker Hub -> `docker.io`."""
    host = re.sub(r"^[a-z]+://", "", registry.strip(), flags=re.IGNORECASE).rstrip("/").lower()
    return "docker.io" if host in _DOCKER_HUB else host


def line_of(doc: Document, path: DataPath) -> int:
    return doc.locate(path).line


def strings(node: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    """Every string value under `node`, with its path (keys are not values)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, path + (i,))


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
