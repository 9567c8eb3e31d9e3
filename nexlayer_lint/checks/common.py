"""Helpers several checks share: templates, image references, where a value is and how to name it."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from nexlayer_lint.checks.app import PODS
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, format_path
from nexlayer_lint.secrets import item_name

# `<% REGISTRY %>`, `<%REGISTRY%>`, any inner spacing: the schema's (ECMA-262's `\s`, which has
# U+FEFF too: hunt 177 F4).
REGISTRY_TEMPLATE = lazy(r"<%[\s\ufeff]*REGISTRY[\s\ufeff]*%>")
# `<% NAME %>`: a name on one line, without `%`, with any spaces around it. Each character can be
# read one way only, so a search stays linear even on a line of `<%` with no `%>`.
TEMPLATE = lazy(r"<%\s*(?:([^%\s](?:[^%\n]*[^%\s])?)\s*)?%>")
# `# filled by pipeline` / `# filled by pipeline:backend` (2026 pipeline), as the bundled schema
# accepts it (the same pattern), and the `placeholder-will-be-updated` images earlier generators
# wrote. Linear: blanks either side of the pod name are read one way only.
PIPELINE_PLACEHOLDER = lazy(r"\s*#\s*filled by pipeline(?:\s*:(?:\s*[A-Za-z0-9._-]+)?)?\s*|placeholder(?:-[a-z]+)*")


def is_placeholder_image(image: str) -> bool:
    return PIPELINE_PLACEHOLDER.fullmatch(image) is not None


class ImageRef(NamedTuple):
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
    """`https://GHCR.io/` -> `ghcr.io`; every spelling of Docker Hub -> `docker.io`; `ghcr.io:443`
    -> `ghcr.io` (HTTPS's own port names the same registry)."""
    host = re.sub(r"^[a-z]+://", "", registry.strip(), flags=re.IGNORECASE).rstrip("/").lower()
    host = host.removesuffix(":443")
    return "docker.io" if host in _DOCKER_HUB else host


def on_line(doc: Document, earlier: DataPath, here: DataPath, at: Literal["key", "value"] = "value") -> str:
    """`on line N`, where the earlier of two equal values (or keys) is written, for a message
    about the later one at `here`. A value an alias repeats is reported at its anchor: when both
    are that one text, the line would be the finding's own, so the message says so (hunt 64 F3)."""
    place = doc.locate(earlier, at)
    return "on this line (an alias repeats it)" if place == doc.locate(here, at) else f"on line {place.line}"


def value_offset(doc: Document, path: DataPath, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) inside the string value at `path`, as `Problem.offset` wants it (the engine
    finds where those characters are written, over escapes and folded lines), or None when the
    value is no string."""
    return (start, end) if isinstance(doc.get(*path), str) else None


def describe(doc: Document, path: DataPath) -> str:
    """A short, human name for where a value sits: `var "API_URL"`, `application.pods[0].command`."""
    if len(path) >= 5 and path[:2] == PODS and path[3] == "vars":
        if isinstance(path[4], str):
            return f'var "{path[4]}"'
        named = item_name(doc.get(*path[:5]))  # `- key: X`, `- name: X`, `- Var: X`...
        if isinstance(named, str):
            return f'var "{named}"'
        if len(path) >= 6 and isinstance(path[5], str) and path[5] != "value":
            return f'var "{path[5]}"'
    return format_path(path)


def free_name(base: str, taken: set[str], tried: dict[str, int]) -> str:
    """A name to suggest for a second `base`: `base` itself, else `base-2`, `base-3`..., the first
    that no name in `taken` has, shortened to the 63 characters a name may have (hunt 87 F3:
    `web-2` was suggested beside a pod `web-2`). The name is then taken, so each duplicate gets
    its own, and `tried` keeps where each base's numbers go on, so that many duplicates cost
    one pass (hunt 88 F9)."""
    number = tried.get(base, 1)
    while True:
        suffix = f"-{number}" if number > 1 else ""
        name = base[: 63 - len(suffix)].rstrip("-.") + suffix
        if name not in taken:
            tried[base] = number + 1
            taken.add(name)
            return name
        number += 1
