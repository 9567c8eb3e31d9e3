"""Gitignore-style globs, each relative to a folder: `exclude`, `extend-exclude`,
`per-file-ignores` and `.gitignore` files all match paths this way.

Matching is git's, as `git status` reads a .gitignore (the tests hold it to git itself): `broken`
matches a file or folder of that name at any depth below the base, `examples/broken` only that
path, `build/` only folders, `*.yml` any name, `**` any number of folders, `dir/**` what is below
dir, and `!pattern` takes a path back. A path in a matched folder is matched with it, whatever
comes later (git does not look into an ignored folder); otherwise the last glob that matches the
path itself decides. pathspec's GitIgnoreSpec, which this module once followed, differs from git
with negations (`**/b/` then `!a` took back `a/b`, `dir/**` matched `dir` itself).

Globs that are plain names and paths (no wildcard, class, escape, `!` or `#`), as the default
excludes and most configs' are, are matched by a fast path; the others are parsed here and
matched without regular expressions, segment by segment (a `*` backtracks only to the last `*`)
with a set of reachable positions for `**`, so a glob matches in time bounded by its length x the
path's, never more: pathspec's regexes backtracked exponentially on a long name. A `?` or a class
matches one character of a name in a config's glob (as ruff matches it), never `/`; in a
.gitignore line, one byte of the name's UTF-8 (git's wildmatch compares bytes: `?` does not match
`ä`, `??` does), and a `\\` in a class escapes the character after it (`[a\\-z]` is a, - and z;
pathspec and a config's glob read that `\\` as a character of the class). A glob pathspec rejects
(`!` alone, a trailing `\\`, a range from high to low) is an error in a config or an option; as a
.gitignore line it matches nothing, as in git, instead of stopping the run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple


class PathPattern(NamedTuple):
    """A glob and the absolute folder it is relative to; base "" (the built-in names) means any folder."""

    base: str
    glob: str


def user_pattern(base: str, glob: str) -> PathPattern:
    """A glob of a config or the command line, relative to `base`, as ruff reads them: `./x` is
    `x` at the base itself (gitignore's `/x`), and one starting with `../`, or an absolute one
    below the base or below a folder above it (`$PWD/examples` run from a sub-folder), names that
    path, anchored at its folder; git's rules would match none of them (hunt 63 F5, hunt 67 F6).
    Any other glob starting with `/` is gitignore's, anchored at the base (`/nexlayer.yaml`)."""
    negated = "!" if glob.startswith("!") else ""
    rest = glob[len(negated) :]
    if rest.startswith("./"):
        return PathPattern(base, negated + "/" + rest[2:].lstrip("/"))
    trailing = "/" if rest.endswith("/") else ""
    below = relative_to(base, os.path.normpath(rest)) if base and os.path.isabs(rest) else None
    if below:
        return PathPattern(base, negated + "/" + below + trailing)
    if base and (os.path.isabs(rest) or rest.startswith("../")):
        folder, name = os.path.split(os.path.normpath(os.path.join(base, rest)))
        above = rest.startswith("../") or relative_to(folder, base) is not None  # base is under folder
        if above and name and os.path.dirname(folder) != folder and not any(char in folder for char in "*?[\\"):
            return PathPattern(folder, negated + "/" + name + trailing)
    return PathPattern(base, negated + rest)


def as_git_reads(line: str) -> tuple[str, ...]:
    """A .gitignore line as the globs git matches it with (one, most often).

    git compares a glob's text up to its first wildcard as a plain prefix, then matches the rest
    on its own; so when that wildcard is a `**` after other characters of a name, followed by a
    `/` and more (`c**/x`), the `**` starts what is matched and is a real `**`: `c`, then any
    folders or none, then `x`. That is `c*/**/x` (one folder or more) and `/cx` (none, joined to
    the name). Any other `**` inside a name is a `*`, as its segment reads it."""
    negated = "!" if line.startswith("!") else ""
    body = line[len(negated) :]
    first = next((i for i, char in enumerate(body) if char in "*?[\\"), -1)
    if first <= 0 or not body.startswith("**", first) or body[first - 1] == "/":
        return (line,)
    stars = first
    while stars < len(body) and body[stars] == "*":
        stars += 1
    prefix = body[:first]
    if body.startswith("\\/", stars) and body[stars + 2 :].strip():
        # an escaped `/` after it: the same, but never joined to the name (`c**\\/x` is no `cx`)
        return (negated + prefix + "*/**/" + body[stars + 2 :],)
    rest = body[stars + 1 :]
    if not body.startswith("/", stars) or not rest.strip():
        return (line,)  # `c**` or `c**/` ends the glob: the same as `c*` there
    joined = prefix + rest
    return (negated + prefix + "*/**/" + rest, negated + ("" if joined.startswith("/") else "/") + joined)


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
    patterns: tuple[PathPattern, ...],
    path: str,
    is_dir: bool = False,
    unless: str | None = None,
    folders_checked: bool = False,
    gitignore: bool = False,
) -> bool | None:
    """What `patterns` (one base each group, later ones winning) say of the absolute `path`, as
    git reads a .gitignore: True when a folder above it is matched (a `!pattern` cannot take back
    what is in a matched folder) or else when the last glob that matches the path itself is no
    `!pattern`; False when that glob is one; None when none speaks of it.

    `gitignore`: the patterns are lines of .gitignore files (or .git/info/exclude), matched as
    git's wildmatch matches them: byte by byte, a `\\` in a class an escape (see _bytewise).

    `folders_checked`: the folders above `path` are known not to be matched (a search leaves a
    matched folder out whole), so only the path itself is read.
    `unless`: an absolute path whose own matching patterns are set aside, as for a folder named
    on the command line, which is searched even when a pattern excludes it (its contents match
    that pattern too, by git's rules, and would otherwise all be excluded with it).
    """
    groups = _by_base(patterns)
    if not folders_checked:
        folders = []
        folder = os.path.dirname(path)
        while folder != os.path.dirname(folder):
            folders.append(folder)
            folder = os.path.dirname(folder)
        if any(_said_of(groups, above, True, unless, gitignore) for above in reversed(folders)):
            return True
    return _said_of(groups, path, is_dir, unless, gitignore)


def _said_of(
    groups: tuple[tuple[str, tuple[str, ...]], ...], path: str, is_dir: bool, unless: str | None, gitignore: bool
) -> bool | None:
    """What the groups say of `path` itself (plain globs: of it or a folder above: no `!` among
    them, the same answer), the last group that speaks winning. Plain globs compare whole names,
    the same whether by characters or by bytes; .gitignore lines with wildcards are matched on
    the bytes of the glob and of the names."""
    result: bool | None = None
    for base, globs in groups:
        rel = relative_to(base, path)
        if not rel:
            continue
        set_aside = relative_to(base, unless) if unless else None
        simple = _simple_globs(globs)
        if simple is not None:
            if set_aside:
                simple = _set_aside(simple, set_aside)
            found = True if _simple_match(simple, rel.split("/"), is_dir, itself=True) else None
        elif gitignore:
            group = _compiled(globs, _bytewise(set_aside or ""), True)
            found = _verdict(group, _bytewise(rel).split("/"), is_dir)
        else:
            found = _verdict(_compiled(globs, set_aside or ""), rel.split("/"), is_dir)
        if found is not None:
            result = found
    return result


def _bytewise(text: str) -> str:
    """`text` (a name, a path, a .gitignore line) as its bytes, one character each (latin-1), so
    that a `?` or a class matches one byte, as git's wildmatch matches a .gitignore line: `?` is
    no match for `ä` (2 bytes in UTF-8) and `??` is. The bytes are the file system's: a byte
    that is no UTF-8 (a surrogate escape, in a name and in a .gitignore read as git reads it) is
    that byte again. ASCII is itself, and the syntax of a glob is ASCII, so only text changes."""
    if text.isascii():
        return text
    try:
        return os.fsencode(text).decode("latin-1")
    except UnicodeEncodeError:  # a lone surrogate no file system name holds: its UTF-8 form
        return text.encode("utf-8", "surrogatepass").decode("latin-1")


def matches(
    patterns: tuple[PathPattern, ...],
    path: str,
    is_dir: bool = False,
    unless: str | None = None,
    folders_checked: bool = False,
) -> bool:
    return verdict(patterns, path, is_dir, unless, folders_checked) is True


def each_matching(patterns: tuple[PathPattern, ...], path: str) -> set[int]:
    """The places in `patterns` of those that match the absolute file `path`, each glob on its
    own (per-file-ignores: no later glob takes back an earlier one's match); a `!` is read as its
    glob without it, and left to the caller. The globs are compiled and indexed once, so a
    config of many globs costs a few look-ups per file, not a match per glob (hunt 68 F8)."""
    found: set[int] = set()
    for base, places, group in _compiled_each(patterns):
        rel = relative_to(base, path)
        if not rel:
            continue
        names = rel.split("/")
        found.update(places[k] for k in _candidates(group, names) if _covers(group.globs[k], names, False))
    return found


@lru_cache(maxsize=16)
def _compiled_each(patterns: tuple[PathPattern, ...]) -> tuple[tuple[str, tuple[int, ...], _Group], ...]:
    by_base: dict[str, list[tuple[int, _Glob]]] = {}
    for place, pattern in enumerate(patterns):
        glob = _compile(pattern.glob.removeprefix("!"))  # valid: checked when the config was read
        if glob is not None and glob.include:  # `!!x`: a `!x` alone matches nothing (hunt 70 F5)
            by_base.setdefault(pattern.base, []).append((place, glob))
    return tuple(
        (base, tuple(place for place, _ in each), _indexed(tuple(glob for _, glob in each)))
        for base, each in by_base.items()
    )


def check_globs(globs: Any, key: str) -> tuple[str, ...]:
    """A config or option value as a tuple of globs, or ValueError saying what is wrong with it."""
    if not isinstance(globs, list | tuple) or not all(isinstance(g, str) for g in globs):
        raise ValueError(f'"{key}" must be a list of globs, like ["examples/broken", "*.generated.yaml"]')
    for glob in globs:
        if not glob.strip() or any(ord(c) < 32 or ord(c) == 127 for c in glob):
            raise ValueError(f'"{key}": {_quoted(glob)} is not a glob (empty, or with a control character)')
        try:
            _compile(glob)
        except ValueError as exc:
            raise ValueError(f'"{key}": {_quoted(glob)} is not a valid glob ({exc})') from None
    return tuple(globs)


def _quoted(glob: str) -> str:
    """A glob in an error, its secrets starred as every value a config error quotes (config._shown)."""
    from nexlayer_lint.secrets import star_parts  # only for a mistake

    return repr(star_parts(glob))


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


# What only the general matcher below handles: wildcards, classes, escapes, negation, comments.
_SPECIAL = frozenset("*?[]!\\#")
# A glob without them: its parts (names), whether it is anchored at its base, whether it matches
# folders only.
SimpleGlob = tuple[tuple[str, ...], bool, bool]


@lru_cache(maxsize=256)
def _simple_globs(globs: tuple[str, ...]) -> tuple[SimpleGlob, ...] | None:
    """The globs as SimpleGlobs when none needs the general matcher, else None. As in git: a glob with a `/`
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


def _simple_match(globs: tuple[SimpleGlob, ...], parts: list[str], is_dir: bool, itself: bool = False) -> bool:
    """Whether one of `globs` matches the path of `parts` (relative to their base), or a folder
    above it (git excludes a matched folder's contents with it); with `itself`, the path alone
    (a deeper .gitignore may have taken the folder back: verdict reads the folders)."""
    if itself:  # (a glob ending with `/` matches a folder only)
        return any(
            (tuple(parts) == names if anchored else parts[-1] == names[-1]) and (is_dir or not folders_only)
            for names, anchored, folders_only in globs
        )
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


# --- globs with wildcards: parsed here, matched in time bounded by pattern x path ---------------
#
# pathspec compiled these to Python regexes (`[^/]*a[^/]*a...`), which backtrack exponentially on
# a long name that does not match: a .gitignore line could hang a run. Here a glob is split into
# segments (the parts between `/`), each segment is matched against one name without a regex,
# and `**` is a set of reachable positions over the names, so no step can blow up.


class _Segment(NamedTuple):
    """One segment of a glob. Without `?` or a class (`tokens` None) it is its literal text between
    `*`s (`chunks`; one chunk when it has no `*`), matched with str methods; with them, `tokens`:
    one per character of the name, a literal character, None for `*`, or a `_Class`."""

    chunks: tuple[str, ...]
    tokens: tuple[Any, ...] | None


class _Class(NamedTuple):
    """A `[...]` (or `?`: an empty class, negated) over single characters, ranges and git's POSIX
    classes (`[[:alpha:]]`)."""

    negated: bool
    chars: str
    ranges: tuple[tuple[str, str], ...]
    posix: tuple[str, ...] = ()


# git's wildmatch's POSIX classes, as the C locale reads them (ASCII)
_POSIX_CLASSES: dict[str, Any] = {
    "alnum": lambda c: c.isascii() and c.isalnum(),
    "alpha": lambda c: c.isascii() and c.isalpha(),
    "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127,
    "digit": lambda c: c in "0123456789",
    "graph": lambda c: 33 <= ord(c) <= 126,
    "lower": lambda c: "a" <= c <= "z",
    "print": lambda c: 32 <= ord(c) <= 126,
    "punct": lambda c: 33 <= ord(c) <= 126 and not c.isalnum(),
    "space": lambda c: c in " \t\n\r\f\v",
    "upper": lambda c: "A" <= c <= "Z",
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class _Glob(NamedTuple):
    include: bool  # False for `!pattern`
    segments: tuple[_Segment | None, ...]  # None for a `**` segment
    folders_only: bool  # the glob ends with `/`
    # a shortcut for a few globs: "any" (`**`, `*`: every path) or "slash" (`**/`, `*/`: every
    # folder; `**/*/**`: what is below one); "" for the others
    shortcut: str
    # The glob ends with a written `/**` (`dir/**`, `**/d/**/`): as in git, it matches what is
    # below a folder, never the folder itself (a trailing `/` alone is read as `/**` too, but
    # matches the folder: `build/`). hunt 68 F1: `dir/**` then `!dir/nexlayer.yaml` took nothing back.
    within: bool = False


_ANY = _Class(True, "", ())  # `?`, and the first character of a `*` segment
_STAR_ONLY = _Segment(("", ""), (_ANY, None))  # a segment that is `*` alone: one character or more


class _Unclosed(Exception):
    """A `[` without its `]`: git drops the whole glob (it matches nothing)."""


def _compile(glob: str, strict: bool = True, git: bool = False) -> _Glob | None:
    """One glob, parsed; None for a glob that matches nothing (blank, a comment, `/`, an unclosed
    `[`); ValueError for one pathspec rejects (a config's glob must be one every tool reads). Not
    `strict` (a .gitignore line, as git reads it): a range from high to low is empty, no error.
    `git` (a .gitignore line): a `\\` in a class escapes the character after it, as in git."""
    glob = _trim_trailing_spaces(glob)
    if not glob or glob.startswith("#") or glob == "/":
        return None
    glob, matches_nothing = _plain_slashes(glob)
    include = not glob.startswith("!")
    # a name of two stars or more is git's `**` (wildmatch reads `***/` as `**/`)
    parts = ["**" if len(part) > 1 and not part.strip("*") else part for part in glob[0 if include else 1 :].split("/")]
    folders_only = not parts[-1]
    written = [part for part in parts if part]
    within = len(written) > 1 and written[-1] == "**" and any(part != "**" for part in written)
    if not parts[0]:
        del parts[0]  # a `/` first anchors the glob at its base
    elif (len(parts) == 1 or (len(parts) == 2 and not parts[1])) and parts[0] != "**":
        parts.insert(0, "**")  # a single name matches at any depth
    if not parts:
        raise ValueError("a `!` with nothing to take back")
    if not parts[-1]:
        parts[-1] = "**"  # a trailing `/`: what is below the folder
    parts = [part for i, part in enumerate(parts) if not (part == "**" and i and parts[i - 1] == "**")]
    bad_ranges: list[str] = []
    try:
        segments = tuple(None if part == "**" else _segment(part, bad_ranges, git) for part in parts)
    except _Unclosed:
        return None
    if bad_ranges and strict:  # reported after the whole glob is read, as pathspec's regex compiles then
        raise ValueError(f"bad character range {bad_ranges[0]}")
    if matches_nothing:
        return None
    if parts == ["**"]:
        return _Glob(include, (), folders_only, "slash" if folders_only else "any")
    if parts == ["**", "*"]:
        return _Glob(include, (), folders_only, "any")
    if parts == ["**", "*", "**"]:
        return _Glob(include, (), folders_only, "slash", within)
    return _Glob(include, segments, folders_only, "", within)


def _trim_trailing_spaces(glob: str) -> str:
    """The glob without its trailing spaces, as git trims a .gitignore line: a space escaped by
    `\\` stays, and tabs are no spaces (`str.rstrip` took `a<TAB>` for `a`: hunt 80 F2)."""
    last_space = None
    i = 0
    while i < len(glob):
        char = glob[i]
        if char == " ":
            last_space = i if last_space is None else last_space
        else:
            last_space = None
            if char == "\\":
                i += 1  # the escaped character, a space too
        i += 1
    return glob if last_space is None else glob[:last_space]


def _plain_slashes(glob: str) -> tuple[str, bool]:
    """`\\/` as `/` between names, as git's wildmatch reads an escaped `/` (pathspec refused the
    glob); a `\\\\` stays an escaped backslash. And whether one starts or ends the glob: git
    reads the glob's first and last `/` before wildmatch, so such a glob matches no path."""
    if "\\/" not in glob:
        return glob, False
    body = glob[1:] if glob.startswith("!") else glob
    tokens, i = [], 0
    while i < len(body):
        tokens.append(body[i : i + 2] if body[i] == "\\" else body[i])
        i += len(tokens[-1])
    out: list[str] = []
    name: list[str] = []  # the tokens of the name being read (since the last `/`): linear, not a join each
    for token in tokens:
        if token not in ("\\/", "/"):
            out.append(token)
            name.append(token)
            continue
        # after a `**` name, wildmatch takes an escaped `/` as the one after at least one folder
        # (git reads no name between them only with a real `/`): `**\\/x` is `**/*/x`
        stars = len(name) > 1 and all(piece == "*" for piece in name)
        out.append("/*/" if token == "\\/" and stars else "/")
        name = []
    plain = glob[: len(glob) - len(body)] + "".join(out)
    return plain, tokens[0] == "\\/" or tokens[-1] == "\\/"


def _segment(part: str, bad_ranges: list[str], git: bool = False) -> _Segment:
    """A segment's tokens, read as pathspec reads it: `\\x` is x, `*`, `?`, and `[...]` (`!` or `^`
    first negates, `]` first is a character, `a-z` a range; its `\\` is a plain character, but
    for `git`, which reads `\\x` in a class as x too: `[\\]]` is the class of `]`)."""
    if part == "*":
        return _STAR_ONLY
    tokens: list[Any] = []
    i, end = 0, len(part)
    while i < end:
        char = part[i]
        i += 1
        if char == "\\":
            if i == end:
                raise ValueError("a `\\` at the end of a segment escapes nothing")
            tokens.append(part[i])
            i += 1
        elif char == "*":
            tokens.append(None)
        elif char == "?":
            tokens.append(_ANY)
        elif char == "[":
            j = i + 1 if i < end and part[i] in "!^" else i
            j += 1 if j < end and part[j] == "]" else 0
            close = bracket = _NOT_LOOKED
            while j < end and part[j] != "]":  # a `[:name:]` inside is one piece (git)
                if git and part.startswith("[:", j):
                    # git: a name only when the first `]` after it follows a `:`; else `[` is a
                    # character of the class (`[[:al]pha:]]` is `[[:al]` then `pha:]]`: hunt 235 F6)
                    bracket = _next_close(part, j + 2, bracket, "]")
                    j = bracket + 1 if bracket > j + 2 and part[bracket - 1] == ":" else j + 1
                elif not git and part.startswith("[:", j) and (close := _next_close(part, j + 2, close)) >= 0:
                    j = close + 2
                else:
                    j += 2 if git and part[j] == "\\" else 1  # git: `\]` closes nothing
            if j >= end:
                raise _Unclosed
            negated = part[i] in "!^"
            body = part[i + negated : j]
            tokens.append(_git_class(body, negated) if git else _class(body, negated, bad_ranges))
            i = j + 1
        else:
            tokens.append(char)
    if any(isinstance(token, _Class) for token in tokens):
        return _Segment((), tuple(tokens))
    chunks = [""]
    for token in tokens:
        if token is None:
            chunks.append("")
        else:
            chunks[-1] += token
    return _Segment(tuple(chunks), None)


def _class(body: str, negated: bool, bad_ranges: list[str]) -> _Class:
    """A class's body as Python's regex reads it (pathspec hands it over): `a-z` is a range
    unless the `-` is last; a range from high to low is an error."""
    chars, ranges, posix = "", [], []
    k = 0
    close = _NOT_LOOKED
    while k < len(body):
        if body.startswith("[:", k) and (close := _next_close(body, k + 2, close)) >= 0:
            if body[k + 2 : close] not in _POSIX_CLASSES:
                raise _Unclosed  # git gives up on the glob: it matches nothing
            posix.append(body[k + 2 : close])
            k = close + 2
        elif k + 2 < len(body) and body[k + 1] == "-":
            low, high = body[k], body[k + 2]
            if high < low:
                bad_ranges.append(f"{low}-{high}")
            ranges.append((low, high))
            chars += low  # git reads the first one alone too: `[c-a]` is `[c]` (hunt 82 F2)
            k += 3
        else:
            chars += body[k]
            k += 1
    return _Class(negated, chars, tuple(ranges), tuple(posix))


def _git_class(body: str, negated: bool) -> _Class:
    """A class's body as git's wildmatch reads it: as _class, but `\\x` is the character x, which
    may start or end a range (`[a\\-z]` is a, - and z; `[\\!a]` is ! and a), and a range from
    high to low holds its first character alone."""
    chars, ranges, posix = "", [], []
    previous = ""  # the character a `-` after it starts a range from ("" after a range: none)
    k = 0
    bracket = _NOT_LOOKED
    while k < len(body):
        char = body[k]
        if char == "\\" and k + 1 < len(body):
            k += 1
            char = body[k]
        elif char == "-" and previous and k + 1 < len(body):
            k += 1 + (body[k + 1] == "\\" and k + 2 < len(body))
            ranges.append((previous, body[k]))
            previous = ""
            k += 1
            continue
        elif (
            body.startswith("[:", k)
            and (bracket := _next_close(body, k + 2, bracket, "]")) > k + 2
            and (body[bracket - 1] == ":")
        ):  # (the first `]` after it, as _segment reads it)
            if body[k + 2 : bracket - 1] not in _POSIX_CLASSES:
                raise _Unclosed  # git gives up on the glob: it matches nothing
            posix.append(body[k + 2 : bracket - 1])
            previous = ""
            k = bracket + 1
            continue
        chars += char
        previous = char
        k += 1
    return _Class(negated, chars, tuple(ranges), tuple(posix))


_NOT_LOOKED = -2  # no `:]` looked for yet (-1: there is none)


def _next_close(text: str, start: int, known: int, close: str = ":]") -> int:
    """Where the next `:]` (or `close`) is from `start` (-1: none), given the one found last
    (`known`, or _NOT_LOOKED): looked for again only once the scan has passed it, so a line of
    many `[:` without it is read once, not once each."""
    if known == -1 or known >= start:
        return known
    return text.find(close, start)


def _in_class(token: Any, char: str) -> bool:
    if isinstance(token, str):
        return token == char
    hit = char in token.chars or any(low <= char <= high for low, high in token.ranges)
    if not hit and token.posix:
        hit = any(_POSIX_CLASSES[name](char) for name in token.posix)
    return hit != token.negated


def _match_segment(segment: _Segment, name: str) -> bool:
    """Whether one name matches one segment, in O(len(segment) x len(name))."""
    tokens = segment.tokens
    if tokens is None:
        chunks = segment.chunks
        first = chunks[0]
        if len(chunks) == 1:
            return name == first
        last = chunks[-1]
        if not name.endswith(last) or not name.startswith(first) or len(name) < len(first) + len(last):
            return False
        # Each middle chunk at its first place after the one before: taking it later never helps.
        at, stop = len(first), len(name) - len(last)
        for chunk in chunks[1:-1]:
            at = name.find(chunk, at, stop)
            if at < 0:
                return False
            at += len(chunk)
        return True
    # The two-pointer wildcard match: on a mismatch only the last `*` takes one more character,
    # so each position of the name is tried against each token at most once per `*`.
    t = i = 0
    star, resume = -1, 0
    while i < len(name):
        if t < len(tokens) and tokens[t] is None:
            star, resume = t, i
            t += 1
        elif t < len(tokens) and _in_class(tokens[t], name[i]):
            t += 1
            i += 1
        elif star >= 0:
            t, resume = star + 1, resume + 1
            i = resume
        else:
            return False
    return all(token is None for token in tokens[t:])


def _reach(segments: Sequence[_Segment | None], names: list[str]) -> list[bool]:
    """reach[i]: the segments can take the first i names. Each step is linear in the names, so
    the whole is bounded by segments x names (x each segment's own cost)."""
    count = len(names)
    reach = [True] + [False] * count
    for segment in segments:
        if segment is None:  # `**`: any number of whole names, none included
            first = reach.index(True) if True in reach else count + 1
            reach = [first <= i for i in range(count + 1)]
        else:
            reach = [False] + [reach[i] and _match_segment(segment, name) for i, name in enumerate(names)]
    return reach


def _own_segments(glob: _Glob) -> tuple[_Segment | None, ...]:
    """The segments that match a path itself: without the `**` a trailing `/` was read as."""
    return glob.segments[:-1] if glob.folders_only and not glob.within else glob.segments


def _name_segment(glob: _Glob) -> _Segment | None:
    """The one segment of a glob that is a name at any depth (`build/`, `*.tmp`), else None."""
    segments = _own_segments(glob)
    return segments[1] if len(segments) == 2 and segments[0] is None else None


def _matches_itself(glob: _Glob, names: list[str], is_dir: bool) -> bool:
    """Whether `glob` matches the path of `names` (relative to its base) itself, as git matches
    a .gitignore line: one ending with `/` only a folder, one ending with a written `/**` only
    what is below the folder before it; never through a folder above (verdict reads those)."""
    if glob.folders_only and not is_dir:
        return False
    if glob.shortcut == "any":
        return True
    if glob.shortcut == "slash":  # `*/`, `**/`: any folder; `**/*/**`: anything below one
        return len(names) > 1 if glob.within else True
    name = _name_segment(glob)
    if name is not None:
        return _match_segment(name, names[-1])  # a name at any depth: the path's own name
    segments = _own_segments(glob)
    if None not in segments and len(segments) != len(names):
        return False  # no `**`: one segment a name
    if segments[-1] is None:  # a written `/**`: one name or more below what the rest matched
        return any(_reach(segments[:-1], names)[1:-1])
    return _reach(segments, names)[-1]


def _covers(glob: _Glob, names: list[str], is_dir: bool) -> bool:
    """Whether `glob` matches the path of `names` or a folder above it: what git leaves out with
    a matched folder (per-file-ignores: a glob naming a folder applies to the files below it)."""
    above = any(_matches_itself(glob, names[:depth], True) for depth in range(1, len(names)))
    return above or _matches_itself(glob, names, is_dir)


class _Group(NamedTuple):
    """One group's compiled globs, and an index that rules most of them out for a path in a few
    dict look-ups: a .gitignore of 150 `*.tmpN` lines was 150 matches per folder of a search
    (20,000 folders: 5 s). A glob matches a path only if each of its segments matches one of the
    path's names, so a glob with a segment of literal text (`build`) or a literal end (`*.tmp`)
    or start (`.env*`) cannot match a path none of whose names is, ends or starts with it."""

    globs: tuple[_Glob, ...]
    always: tuple[int, ...]  # the globs the index cannot rule out (by their place in `globs`)
    exact: dict[str, list[int]]  # a segment's whole text -> the globs that need a name that is it
    ends: dict[int, dict[str, list[int]]]  # by length: a literal end -> the globs that need it
    starts: dict[int, dict[str, list[int]]]  # by length: a literal start -> the globs that need it
    # The most names a path of the group's other globs can have, or None when one has a `**`:
    # past it, only the globs that are a name at any depth (`build/`, `*.tmp`) can match a path
    # itself, by its last name, so the index looks that name up alone (a chain of folders, each
    # with its .gitignore, was cubic: hunt 80 F3, hunt 82 F6).
    most_names: int | None = 0


@lru_cache(maxsize=512)
def _compiled(globs: tuple[str, ...], set_aside: str, gitignore: bool = False) -> _Group:
    """The globs that can match, compiled; a glob that is not valid (only a .gitignore line can
    be: config globs are checked) matches nothing, as git reads it, instead of stopping the run.
    .gitignore lines (`gitignore`) are compiled as git reads them, on their bytes (_bytewise)."""
    compiled = []
    for glob in globs:
        try:
            found = _compile(_bytewise(glob), strict=False, git=True) if gitignore else _compile(glob, strict=False)
        except ValueError:
            continue
        # Each glob that matches the named folder (or a folder above it), or all that is below it
        # (`dir/**`: the empty name stands for any name in the folder), is dropped for its search.
        if found and found.include and set_aside:
            folder = set_aside.split("/")
            if _covers(found, folder, True) or _matches_itself(found, [*folder, ""], False):
                continue
        if found:
            compiled.append(found)
    return _indexed(tuple(compiled))


def _indexed(compiled: tuple[_Glob, ...]) -> _Group:
    group = _Group(compiled, (), {}, {}, {})
    always = []
    for index, each in enumerate(compiled):
        table = _index_table(group, each)
        if table is None:
            always.append(index)
        else:
            table[1].setdefault(table[0], []).append(index)
    most_names: int | None = 0
    for glob in compiled:
        if glob.shortcut or _name_segment(glob) is not None:
            continue  # shortcuts are always candidates; a name at any depth, by the last name
        segments = _own_segments(glob)
        most_names = None if most_names is None or None in segments else max(most_names, len(segments))
    return group._replace(always=tuple(always), most_names=most_names)


def _index_table(group: _Group, glob: _Glob) -> tuple[str, dict[str, list[int]]] | None:
    """The key and the table of `group` that a name must be found in for `glob` to match; None
    when no segment gives one (wildcards and classes alone, the shortcuts `*` and `**`). A segment
    with a class or `?` gives the literal text it ends or starts with (`[Dd]ebug`: `ebug`)."""
    for segment in glob.segments if not glob.shortcut else ():
        if segment is None:
            continue
        if segment.tokens is not None:
            first, last = _literal_edge(segment.tokens), _literal_edge(segment.tokens[::-1])[::-1]
            if last:
                return last, group.ends.setdefault(len(last), {})
            if first:
                return first, group.starts.setdefault(len(first), {})
            continue
        first, last = segment.chunks[0], segment.chunks[-1]
        if len(segment.chunks) == 1:
            return first, group.exact
        if last:
            return last, group.ends.setdefault(len(last), {})
        if first:
            return first, group.starts.setdefault(len(first), {})
    return None


def _literal_edge(tokens: Sequence[Any]) -> str:
    """The literal characters `tokens` start with (a `*`, `?` or class ends them)."""
    edge = []
    for token in tokens:
        if not isinstance(token, str):
            break
        edge.append(token)
    return "".join(edge)


def _candidates(group: _Group, names: list[str]) -> Sequence[int]:
    """The globs of `group` that may match the path of `names`, in order: those the index keeps."""
    hits: list[int] = []
    for name in names:
        hits += group.exact.get(name, ())
        for size, table in group.ends.items():
            hits += table.get(name[-size:], ())
        for size, table in group.starts.items():
            hits += table.get(name[:size], ())
    if not hits:
        return group.always
    return sorted(set(hits).union(group.always))


def _verdict(group: _Group, names: list[str], is_dir: bool) -> bool | None:
    """git's verdict on the path itself: the last glob that matches it decides; None when none does."""
    globs = group.globs
    last_only = group.most_names is not None and len(names) > group.most_names
    for index in reversed(_candidates(group, names[-1:] if last_only else names)):
        if _matches_itself(globs[index], names, is_dir):
            return globs[index].include
    return None
