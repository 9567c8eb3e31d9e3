"""Semantic checks: the mistakes no schema can see. Each yields Problems, never positions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nexlayer_lint.model import Document, Problem

Check = Callable[[Document], Iterable[Problem]]

# Filled by the check modules (routing, storage, registry, references, secrets, images, ...).
CHECKS: tuple[Check, ...] = ()
