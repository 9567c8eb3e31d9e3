"""Gitignore-style globs, each relative to a folder: `exclude`, `extend-exclude`,
`per-file-ignores` and `.gitignore` files all match paths this way.

Matching is pathspec's (git's wildmatch rules): `broken` matches a file or folder of that name at
any depth below the base, `examples/broken` only that path, `build/` only folders, `*.yml` any
name, `**` any number of folders, and `!pattern` takes a path back. Globs that are plain names and
paths (no wildcard, class, escape, `!` or `#`), as the default excludes and most configs' are,
are matched here by the same rules; pathspec is imported only for the others, as its import
costs a one-file run about a tenth of its time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, NamedTuple


class PathPattern(NamedTuple):
    """A glob and the absolute folder it is relative to; base "" (the built-in names) means any folder."""

    base: str
    glob: str


def relative_to(base: str, path: str) -> str | None:
    """`path` (absolute) relative to `base` with "/" separators; None when it is not below `base`."""
    if not base:
        return path[len(os.path.splitdrive(path)[0]) :].lstrip("/\\").replace(os.sep, "/")
    if path == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


def verdict(
    patterns: tuple[PathPattern, ...], path: str, is_dir: bool = False, unless: str | None = None
) -> bool | None:
    """What `patterns` (one base each group, later ones winning) say of the absolute `path`: True
    when it is matched, False when a `!pattern` takes it back, None when none speaks of it.

    `unless`: an absolute path whose own matching patterns are set aside, as for a folder named
    on the command line, which is searched even when a pattern excludes it (its contents match
    that pattern too, by git's rules, and would otherwise all be excluded with it).
    """
    result: bool | None = None
    for base, globs in _by_base(patterns):
        rel = relative_to(base, path)
        if not rel:
            continue
        set_aside = relative_to(base, unless) if unless else None
        simple = _simple_globs(globs)
        if simple is not None:
            if set_aside:
                simple = _set_aside(simple, set_aside)
            found = True if _simple_match(simple, rel.split("/"), is_dir) else None
        else:
            found = _spec(globs, set_aside or "").check_file(rel + "/" if is_dir else rel).include
        if found is not None:
            result = found
    return result


def matches(patterns: tuple[PathPattern, ...], path: str, is_dir: bool = False, unless: str | None = None) -> bool:
    return verdict(patterns, path, is_dir, unless) is True


def check_globs(globs: Any, key: str) -> tuple[str, ...]:
    """A config or option value as a tuple of globs, or ValueError saying what is wrong with it."""
    if not isinstance(globs, list | tuple) or not all(isinstance(g, str) for g in globs):
        raise ValueError(f'"{key}" must be a list of globs, like ["examples/broken", "*.generated.yaml"]')
    for glob in globs:
        if not glob.strip() or any(ord(c) < 32 or ord(c) == 127 for c in glob):
            raise ValueError(f'"{key}": {glob!r} is not a glob (empty, or with a control character)')
        if _simple_globs((glob,)) is not None:
            continue  # a plain name or path: nothing in it can be malformed
        try:
            _spec((glob,), "")
        except Exception as exc:  # noqa: BLE001 - pathspec raises several kinds for a bad pattern
            raise ValueError(f'"{key}": {glob!r} is not a valid glob ({exc})') from None
    return tuple(globs)


@lru_cache(maxsize=256)
def _by_base(patterns: tuple[PathPattern, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The globs grouped by base, in order (consecutive runs: later groups still win)."""
    groups: list[tuple[str, list[str]]] = []
    for base, glob in patterns:
        if groups and groups[-1][0] == base:
            groups[-1][1].append(glob)
        else:
            groups.append((base, [glob]))
    return tuple((base, tuple(globs)) for base, globs in groups)


# What only pathspec matches: wildcards, classes, escapes, negation, comments.
_SPECIAL = frozenset("*?[]!\\#")
# A glob without them: its parts (names), whether it is anchored at its base, whether it matches
# folders only.
SimpleGlob = tuple[tuple[str, ...], bool, bool]


@lru_cache(maxsize=256)
def _simple_globs(globs: tuple[str, ...]) -> tuple[SimpleGlob, ...] | None:
    """The globs as SimpleGlobs when none needs pathspec, else None. As in git: a glob with a `/`
    at its start or inside is anchored at its base (`examples/broken` is that path only), one
    without matches a name at any depth, and one that ends with `/` matches folders only."""
    simple = []
    for glob in globs:
        if not glob or glob.strip() != glob or not _SPECIAL.isdisjoint(glob) or "//" in glob:
            return None
        parts = tuple(glob.strip("/").split("/"))
        if any(part in ("", ".", "..") for part in parts):
            return None
        simple.append((parts, glob.startswith("/") or len(parts) > 1, glob.endswith("/")))
    return tuple(simple)


@lru_cache(maxsize=256)
def _set_aside(globs: tuple[SimpleGlob, ...], folder: str) -> tuple[SimpleGlob, ...]:
    """The globs less those that match `folder` (relative to their base) or a folder above it:
    the same for every entry of one search, so worked out once per search."""
    parts = folder.split("/")
    return tuple(glob for glob in globs if not _simple_match((glob,), parts, True))


def _simple_match(globs: tuple[SimpleGlob, ...], parts: list[str], is_dir: bool) -> bool:
    """Whether one of `globs` matches the path of `parts` (relative to their base), or a folder
    above it (git excludes a matched folder's contents with it)."""
    for names, anchored, folders_only in globs:
        if anchored:
            depth = len(names)
            if tuple(parts[:depth]) == names and (depth < len(parts) or is_dir or not folders_only):
                return True
        elif names[0] in parts:  # the usual answer, no, without a loop in Python
            last = len(parts) - 1
            if any(part == names[0] and (i < last or is_dir or not folders_only) for i, part in enumerate(parts)):
                return True
    return False


@lru_cache(maxsize=512)
def _spec(globs: tuple[str, ...], set_aside: str) -> Any:
    import pathspec

    if set_aside:
        # Each glob that matches the named folder (or a folder above it) is dropped for its search.
        globs = tuple(g for g in globs if not pathspec.GitIgnoreSpec.from_lines([g]).match_file(set_aside + "/"))
    return pathspec.GitIgnoreSpec.from_lines(globs)
