"""Private registries and templates: `<% REGISTRY %>` with a `registryLogin` (NX203, NX204,
NX206), and `<% NAME %>` placeholders Nexlayer does not fill in (NX205)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nexlayer_lint.checks.common import (
    REGISTRY_TEMPLATE, TEMPLATE, app_field, describe, is_placeholder_image, normalize_registry, parse_image, pods,
    template_strings, value_offset,
)
from nexlayer_lint.model import Document, Problem

KNOWN_TEMPLATES = ("REGISTRY", "URL")
_REGISTRY_PREFIX = re.compile(r"<%\s*REGISTRY\s*%>/")
LOGIN = ("application", "registryLogin")


def registry_template_missing(doc: Document) -> Iterator[Problem]:
    """NX203: with a registryLogin, Nexlayer uses the credentials only for `<% REGISTRY %>/...`
    images; an image naming the registry literally is pulled without them and fails."""
    login = app_field(doc, "registryLogin")  # doc.get(*LOGIN)
    registry = login.get("registry") if isinstance(login, dict) else None
    if not isinstance(registry, str) or not registry.strip():
        return
    host = normalize_registry(registry)
    for pod in pods(doc):
        image = pod.data.get("image")
        if not isinstance(image, str) or is_placeholder_image(image):
            continue
        if "<%" in image and REGISTRY_TEMPLATE.search(image):  # the regex needs a literal `<%`
            continue
        ref = parse_image(image)
        # Docker's official images (`postgres`, `library/redis`) are public by definition.
        if host == "docker.io" and (ref.repository.startswith("library/") or "/" not in ref.repository):
            continue
        if normalize_registry(ref.registry) != host:
            continue
        rest = image.strip()[len(ref.registry) + 1:] if ref.registry else image.strip()
        yield Problem(
            "NX203",
            f'image "{image}" names the registry "{registry}" of registryLogin literally; '
            "Nexlayer uses the login only for images that start with <% REGISTRY %>/",
            path=pod.path + ("image",),
            hint=f'write "<% REGISTRY %>/{rest}"; if this image is public, it does not need the login',
        )


def registry_login_missing(doc: Document) -> Iterator[Problem]:
    """NX204: `<% REGISTRY %>` is filled in from registryLogin; without one the image cannot resolve."""
    if isinstance(app_field(doc, "registryLogin"), dict):  # doc.get(*LOGIN)
        return
    for pod in pods(doc):
        image = pod.data.get("image")
        # Exact pre-filter: REGISTRY_TEMPLATE needs a literal `<%`.
        if isinstance(image, str) and "<%" in image and REGISTRY_TEMPLATE.search(image):
            yield Problem(
                "NX204",
                f'image "{image}" of pod "{pod.name}" uses <% REGISTRY %>, but the application has '
                "no registryLogin to fill it in",
                path=pod.path + ("image",),
                hint="add registryLogin (registry, username, personalAccessToken) under application, "
                     "or write the full public image name",
            )


def misplaced_registry_template(doc: Document) -> Iterator[Problem]:
    """NX206: Nexlayer replaces `<% REGISTRY %>` only as the first segment of an image."""
    images = None  # the image paths, made only once a value has <% REGISTRY %>
    for path, value in template_strings(doc):
        # Exact pre-filter: REGISTRY_TEMPLATE needs a literal `REGISTRY` (it is case-sensitive).
        match = REGISTRY_TEMPLATE.search(value) if "REGISTRY" in value else None
        if match is None:
            continue
        if images is None:
            images = {pod.path + ("image",) for pod in pods(doc)}
        if path in images:
            if _REGISTRY_PREFIX.match(value.strip()):
                continue
            message = f'image "{value}" has <% REGISTRY %> somewhere other than its start'
            hint = "write the image as <% REGISTRY %>/<user>/<repository>:<tag>, " \
                   "for example <% REGISTRY %>/acme/api:1.0"
        else:
            message = f"<% REGISTRY %> is filled in only at the start of an image, not in {describe(doc, path)}"
            hint = "write the registry's host name here instead (the one in registryLogin.registry)"
        yield Problem("NX206", message, path=path, hint=hint,
                      offset=value_offset(doc, path, match.start(), match.end()))


def unknown_template(doc: Document) -> Iterator[Problem]:
    """NX205: Nexlayer fills in only <% REGISTRY %> and <% URL %>; anything else stays as text."""
    for path, value in template_strings(doc):
        for match in TEMPLATE.finditer(value):
            name = match.group(1)
            if name in KNOWN_TEMPLATES:
                continue
            if name.upper() in KNOWN_TEMPLATES:
                hint = f"template names are upper case: write <% {name.upper()} %>"
            elif name.upper() in ("DOMAIN", "HOST", "HOSTNAME", "APP_URL", "PUBLIC_URL"):
                hint = "<% URL %> is the application's public URL; use it instead"
            else:
                hint = "use <% URL %> for the application's public URL, ${NAME} for a secret " \
                       "stored in the Nexlayer dashboard, or a literal value"
            yield Problem(
                "NX205",
                f'unknown template "{match.group(0)}" in {describe(doc, path)}; '
                "Nexlayer fills in only <% REGISTRY %> and <% URL %>",
                path=path, hint=hint, offset=value_offset(doc, path, match.start(), match.end()),
            )


CHECKS = (registry_template_missing, registry_login_missing, misplaced_registry_template, unknown_template)
