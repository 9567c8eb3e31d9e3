"""Images: pinned to a tag or digest (NX215), pipeline placeholders (NX217)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.common import TEMPLATE, is_placeholder_image, parse_image
from nexlayer_lint.checks.declare import Finding, rule


@rule("NX215", "unpinned-image", "warning", "an image has no tag, or `:latest`, and no digest")
def unpinned_image(app: App) -> Iterator[Finding]:
    """Without a tag (or with `latest`) every deploy may run a different image."""
    for pod in app.pods:
        image = pod.data.get("image")
        if not isinstance(image, str) or not image.strip() or is_placeholder_image(image) or "${" in image:
            continue
        ref = parse_image(image)
        if ref.digest or not ref.repository or TEMPLATE.search(ref.tag):
            continue
        if not ref.tag:
            message = f'image "{image}" of pod "{pod.name}" has no tag, so it runs whatever "latest" is at deploy time'
        elif ref.tag.lower() == "latest":  # `LATEST` is another tag, but moves as surely
            message = f'image "{image}" of pod "{pod.name}" uses the moving tag "{ref.tag}"'
        else:
            continue
        base = image.strip().rsplit(":", 1)[0] if ref.tag else image.strip()
        yield Finding(
            message,
            path=pod.path + ("image",),
            hint=f'pin a version, for example "{base}:<version>", or a digest "{base}@sha256:<digest>"',
        )


@rule("NX217", "placeholder-image", "info", "an image is a pipeline placeholder")
def placeholder_image(app: App) -> Iterator[Finding]:
    """The Nexlayer pipeline fills these in; deployed as they are, the pod cannot start."""
    for pod in app.pods:
        image = pod.data.get("image")
        if isinstance(image, str) and is_placeholder_image(image):
            yield Finding(
                f'image "{image.strip()}" of pod "{pod.name}" is a placeholder that the Nexlayer '
                "pipeline replaces with the image it builds",
                path=pod.path + ("image",),
                hint="fine when the pipeline deploys this file; to deploy it yourself, "
                "write a real image such as ghcr.io/<user>/<repository>:<tag>",
            )
