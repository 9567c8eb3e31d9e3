"""Templates: `<% REGISTRY %>` and the `registryLogin` it is filled in from (NX203, NX204, NX206,
NX218), and `<% NAME %>` placeholders Nexlayer does not fill in (NX205)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.common import (
    REGISTRY_TEMPLATE,
    TEMPLATE,
    describe,
    is_placeholder_image,
    normalize_registry,
    parse_image,
    value_offset,
)
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.edits import verbatim
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Edit, Explains, Fix
from nexlayer_lint.secrets import in_secret

KNOWN_TEMPLATES = ("REGISTRY", "URL")
_REGISTRY_PREFIX = lazy(r"<%[\s\ufeff]*REGISTRY[\s\ufeff]*%>/")


@rule(
    "NX203",
    "registry-template-missing",
    "error",
    "an image names the private registry literally instead of `<% REGISTRY %>`",
)
def registry_template_missing(app: App) -> Iterator[Finding]:
    """With a registryLogin, Nexlayer uses the credentials only for `<% REGISTRY %>/...`
    images; an image naming the registry literally is pulled without them and fails."""
    registry = app.doc.get("application", "registryLogin", "registry")
    if not isinstance(registry, str) or not registry.strip():
        return
    host = normalize_registry(registry)
    for pod in app.pods:
        image = pod.data.get("image")
        if not isinstance(image, str) or is_placeholder_image(image) or REGISTRY_TEMPLATE.search(image):
            continue
        ref = parse_image(image)
        # Only an image that spells a registry names it literally: `bitnami/redis` is Docker Hub
        # implicitly, and Docker's official images (`postgres`, `library/redis`) are public.
        if not ref.registry or normalize_registry(ref.registry) != host:
            continue
        if host == "docker.io" and (ref.repository.startswith("library/") or "/" not in ref.repository):
            continue
        rest = image.strip()[len(ref.registry) + 1 :] if ref.registry else image.strip()
        path = pod.path + ("image",)
        yield Finding(
            f'image "{image}" names the registry "{registry}" of registryLogin literally; '
            "Nexlayer uses the login only for images that start with <% REGISTRY %>/",
            path=path,
            hint=f'write "<% REGISTRY %>/{rest}"; if this image is public, it does not need the login',
            fix=_template_fix(app.doc, path, image, ref.registry),
        )


def _template_fix(doc: Document, path: DataPath, image: str, registry: str) -> Fix | None:
    """The registry written as `<% REGISTRY %>`, the rest of the image as it is."""
    span = verbatim(doc, path)
    start = len(image) - len(image.lstrip())
    if span is None or image[start : start + len(registry)] != registry:
        return None
    col = span.col + len(doc.positions[path].style or "") + start
    # With a port (`localhost:5000/app`), the image would keep it only in registryLogin's
    # `registry`, which Nexlayer refuses with one (NX104): dropping it there loses it. HTTPS's
    # own port names the same registry (`ghcr.io:443`: hunt 224 F2).
    return Fix(
        "Write the registry as <% REGISTRY %>",
        (Edit(span._replace(col=col, end_col=col + len(registry)), "<% REGISTRY %>"),),
        "unsafe" if ":" in normalize_registry(registry) else "safe",
    )


@rule("NX204", "registry-login-missing", "error", "an image uses `<% REGISTRY %>` but there is no `registryLogin`")
def registry_login_missing(app: App) -> Iterator[Finding]:
    """`<% REGISTRY %>` is filled in from registryLogin; without one the image cannot resolve."""
    if isinstance(app.doc.get("application", "registryLogin"), dict):
        return
    for pod in app.pods:
        image = pod.data.get("image")
        if isinstance(image, str) and REGISTRY_TEMPLATE.search(image):
            yield Finding(
                f'image "{image}" of pod "{pod.name}" uses <% REGISTRY %>, but the application has '
                "no registryLogin to fill it in",
                path=pod.path + ("image",),
                hint="add registryLogin (registry, username, personalAccessToken) under application, "
                "or write the full public image name",
            )


@rule("NX206", "misplaced-registry-template", "error", "`<% REGISTRY %>` is not the first segment of an image")
def misplaced_registry_template(app: App) -> Iterator[Finding]:
    """Nexlayer replaces `<% REGISTRY %>` only as the first segment of an image."""
    images = {pod.path + ("image",) for pod in app.pods}
    for path, value in app.template_strings:
        match = REGISTRY_TEMPLATE.search(value)
        if match is None:
            continue
        explains: tuple[Explains, ...] = ()
        if path in images:
            if _REGISTRY_PREFIX.match(value.strip()):
                continue
            if REGISTRY_TEMPLATE.match(value.strip()):  # at its start, but the rest glued to it (hunt 180 F4)
                message = f'image "{value}" has no "/" after <% REGISTRY %>, which must be a segment of its own'
            else:
                message = f'image "{value}" has <% REGISTRY %> somewhere other than its start'
            hint = (
                "write the image as <% REGISTRY %>/<user>/<repository>:<tag>, for example <% REGISTRY %>/acme/api:1.0"
            )
            explains = (Explains("NX104", path),)  # the schema's "not an image reference", said better
        else:
            message = f"<% REGISTRY %> is filled in only at the start of an image, not in {describe(app.doc, path)}"
            hint = "write the registry's host name here instead (the one in registryLogin.registry)"
        yield Finding(
            message,
            path=path,
            hint=hint,
            offset=value_offset(app.doc, path, match.start(), match.end()),
            explains=explains,
        )


@rule("NX205", "unknown-template", "warning", "a `<% NAME %>` placeholder other than REGISTRY and URL")
def unknown_template(app: App) -> Iterator[Finding]:
    """Nexlayer fills in only <% REGISTRY %> and <% URL %>; anything else stays as text."""
    for path, value in app.template_strings:
        for match in TEMPLATE.finditer(value):
            name = match.group(1) or ""  # `<% %>` has no name
            if name in KNOWN_TEMPLATES:
                continue
            if name.upper() in KNOWN_TEMPLATES:
                hint = f"template names are upper case: write <% {name.upper()} %>"
            elif name.upper() in ("DOMAIN", "HOST", "HOSTNAME", "APP_URL", "PUBLIC_URL"):
                hint = "<% URL %> is the application's public URL; use it instead"
            else:
                hint = (
                    "use <% URL %> for the application's public URL, ${NAME} for a secret "
                    "stored in the Nexlayer dashboard, or a literal value"
                )
            # a template inside a secret (`${API_TOKEN:-<%x%>}`, a default) is not quoted
            secret = in_secret(app.doc, path, match.start(), match.end())
            quoted = "template" if secret else f'template "{match.group(0)}"'
            yield Finding(
                f"unknown {quoted} in {describe(app.doc, path)}; Nexlayer fills in only <% REGISTRY %> and <% URL %>",
                path=path,
                hint=hint,
                offset=value_offset(app.doc, path, match.start(), match.end()),
            )


@rule(
    "NX218",
    "registry-username-case",
    "error",
    "`registryLogin.username` differs only in case from the owner in a `<% REGISTRY %>/owner/...` image",
)
def registry_username_case(app: App) -> Iterator[Finding]:
    """Nexlayer's docs: the username in the image path must match registryLogin.username exactly,
    case included; `Acme` and `acme` look the same to a person and not to the platform."""
    username = app.doc.get("application", "registryLogin", "username")
    if not isinstance(username, str) or not username:
        return
    for pod in app.pods:
        image = pod.data.get("image")
        if not isinstance(image, str):
            continue
        prefix = _REGISTRY_PREFIX.match(image.strip())
        if prefix is None:
            continue
        segments = image.strip()[prefix.end() :].split("/", 1)
        if len(segments) < 2:
            continue  # `<% REGISTRY %>/Acme:1.0`: a repository, no owner before it (hunt 87 F2)
        owner = segments[0]
        if owner == username or owner.lower() != username.lower():
            continue  # the same, or another owner altogether (an organisation the user belongs to)
        start = image.find(owner, image.find(prefix.group(0)) + len(prefix.group(0)))
        path = pod.path + ("image",)
        yield Finding(
            f'image "{image.strip()}" of pod "{pod.name}" names the owner "{owner}", but registryLogin.username '
            f'is "{username}"; Nexlayer needs them to match exactly, case included',
            path=path,
            offset=value_offset(app.doc, path, start, start + len(owner)),
            hint=f"write both the same way; registries such as ghcr.io need lower case in image paths, "
            f'so "{owner.lower()}" in the image and in registryLogin.username',
        )
