"""Images: pinned to a tag or digest (NX215), pipeline placeholders (NX217)."""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.common import TEMPLATE, image_tag, is_placeholder_image, parse_image, pods
from nexlayer_lint.model import Document, Problem


def unpinned_image(doc: Document) -> Iterator[Problem]:
    """NX215: without a tag (or with `latest`) every deploy may run a different image."""
    for pod in pods(doc):
        image = pod.data.get("image")
        if not isinstance(image, str):
            continue
        tag = image_tag(image)  # parse_image(image).tag, cheaper: most images are pinned
        if tag and tag.lower() != "latest":
            continue  # pinned: the usual case, decided first, as a pinned image is skipped anyway
        if not image.strip() or is_placeholder_image(image):
            continue
        ref = parse_image(image)
        if ref.digest or not ref.repository or ("<%" in ref.tag and TEMPLATE.search(ref.tag)) or "${" in image:
            continue
        if not ref.tag:
            message = f'image "{image}" of pod "{pod.name}" has no tag, so it runs whatever "latest" is at deploy time'
        else:
            message = f'image "{image}" of pod "{pod.name}" uses the moving tag "latest"'
        base = image.strip().rsplit(":", 1)[0] if ref.tag else image.strip()
        yield Problem(
            "NX215", message, path=pod.path + ("image",),
            hint=f'pin a version, for example "{base}:<version>", or a digest "{base}@sha256:<digest>"',
        )


def placeholder_image(doc: Document) -> Iterator[Problem]:
    """NX217: the Nexlayer pipeline fills these in; deployed as they are, the pod cannot start."""
    for pod in pods(doc):
        image = pod.data.get("image")
        if isinstance(image, str) and is_placeholder_image(image):
            yield Problem(
                "NX217",
                f'image "{image.strip()}" of pod "{pod.name}" is a placeholder that the Nexlayer '
                "pipeline replaces with the image it builds",
                path=pod.path + ("image",),
                hint="fine when the pipeline deploys this file; to deploy it yourself, "
                     "write a real image such as ghcr.io/<user>/<repository>:<tag>",
            )


CHECKS = (unpinned_image, placeholder_image)
