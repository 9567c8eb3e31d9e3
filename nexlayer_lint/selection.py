"""Which files a run lints: the paths named, and the nexlayer.yaml / nexlayer.yml files found in
folders, less what `exclude`, `extend-exclude` and `.gitignore` leave out (as ruff chooses files).

- A file named on the command line is linted whatever its name, unless `force-exclude` is on
  and `exclude` / `extend-exclude` match it or a folder above it, or it is in a virtualenv a
  search would skip (below the folder a search for it would start from: the current folder, or
  the one it shares with the file); this is how pre-commit, which names every file, keeps
  excluded files out.
- A folder named is searched even when a pattern excludes it (patterns that match it are set
  aside while it is searched), unless `force-exclude` is on. No path: the current folder.
- In a search, each entry is judged by the settings of the folder it is in (its closest config):
  that config's `exclude` + `extend-exclude`, then the `.gitignore` files from the top of the git
  work tree down to the entry (a deeper file wins, `!pattern` takes a path back), with
  `.git/info/exclude`, when `respect-gitignore` is on. Outside a git work tree no .gitignore
  applies, as with git. Virtualenvs (a folder with `pyvenv.cfg`) are never searched.
- Each file is linted once, under the first name that reaches it (two spellings of one path, a
  symlink and its target, two hard links: one file).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from nexlayer_lint.config import MAX_CONFIG_BYTES, ConfigError, Resolver, Settings, lint_alike, opened_path
from nexlayer_lint.globs import PathPattern, as_git_reads, matches, verdict

FILE_NAMES = ("nexlayer.yaml", "nexlayer.yml")
STDIN = "-"
_Groups = tuple[tuple[PathPattern, ...], ...]  # one group of patterns per ignore file, outermost first


class Selection(NamedTuple):
    files: list[str]  # to lint, in order: each path named, each folder's finds in path order
    missing: list[str]  # named paths that do not exist (also in `files`, where reading says so)
    left_out: list[str]  # named paths force-exclude left out, so a run of none can say why


def select_files(paths: Sequence[str], resolver: Resolver, stdin_filename: str | None = None) -> Selection:
    """Each file once, under the first name that reaches it: `. ./app/nexlayer.yaml`, `app $PWD/app`,
    a symlink and its target, or two hard links name one file, which linted twice gave every finding
    twice (and with --fix, the file's old findings under its second name). Once per settings, though:
    a name whose config or per-file-ignores differ is linted too, as a run of it alone would lint it
    (a symlink `legacy/nexlayer.yaml` in a laxer folder must not pass `prod/nexlayer.yaml`)."""
    files: list[str] = []
    missing: list[str] = []
    left_out: list[str] = []
    seen: dict[object, list[str]] = {}  # a file's identity -> the names it is linted under
    for path in paths or (".",):
        kind = _kind(path) if path != STDIN else "stdin"
        name = stdin_filename if kind == "stdin" else path
        if kind == "missing":
            found: Sequence[str] = [path]  # reading it says so, beside the other files' results
        elif name and _forced_out(name, resolver, is_dir=kind == "folder"):
            found = []
            left_out.append(name)
        elif kind == "folder":
            found = sorted(_search(path, resolver))
        else:
            found = [path]
        for item in found:
            identity = file_identity(item)
            names = seen.setdefault(identity, [])
            if names and (
                item == STDIN or any(lint_alike(resolver.for_file(item), resolver.for_file(n)) for n in names)
            ):
                continue
            names.append(item)
            files.append(item)
            if kind == "missing":
                missing.append(item)
    return Selection(files, missing, left_out)


def file_identity(path: str) -> object:
    """What names one file however it is spelt: its device and inode (a symlink, a hard link);
    else (missing, unreadable, standard input) its normalised absolute path."""
    if path == STDIN:
        return path
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return os.path.abspath(path)
    # an inode of 0 (some Windows and FUSE file systems) tells nothing: every file would have it
    return (info.st_dev, info.st_ino) if info.st_ino else os.path.abspath(path)


def _kind(path: str) -> str:
    """folder, missing, or file (anything else: reading it will say what is wrong), in one stat."""
    try:
        return "folder" if stat.S_ISDIR(os.stat(path).st_mode) else "file"
    except PermissionError:  # under a folder that cannot be searched: reading says so (hunt 43 F4)
        return "file"
    except (OSError, ValueError):
        return "file" if os.path.lexists(path) else "missing"  # a broken symlink is not missing


def is_excluded(path: str, settings: Settings, is_dir: bool = False) -> bool:
    """Whether `exclude` / `extend-exclude` match the path or a folder above it."""
    return matches(settings.excluded, opened_path(path), is_dir)


def _forced_out(path: str, resolver: Resolver, is_dir: bool = False) -> bool:
    path = path.rstrip("/" + os.sep) or path  # `vendor/sub/` is the folder `vendor/sub` (hunt 98 F3)

    def settings_in(folder: str) -> Settings:
        # a config above the file's own that cannot be read excludes nothing: the file's own
        # settings are the ones it is linted with (a broken one was exit 2: hunt 103 F3)
        try:
            return resolver.for_folder(folder)
        except ConfigError:
            return Settings()

    # a file's own settings must be read (a broken one is exit 2); a folder's entry is judged by
    # the folder above it, whose config is not its files' when the folder has its own (hunt 186 F2)
    settings = settings_in(os.path.dirname(path)) if is_dir else resolver.for_folder(os.path.dirname(path))
    if settings.force_exclude and (is_excluded(path, settings, is_dir) or _in_virtualenv(path, is_dir)):
        return True
    return left_out_on_the_way(opened_path(path), settings_in, os.getcwd(), is_dir)


def left_out_on_the_way(path: str, settings_in: Callable[[str], Settings], start: str, is_dir: bool = False) -> bool:
    """Whether the absolute `path`, named, is left out as a search from `start` (or from the
    folder both are in) leaves it out: each entry on the way judged by the settings of the folder
    it is in, as _search judges it, when those settings say `force-exclude`. A folder the top
    config excludes may hold a config of its own (a vendored project), whose excludes cannot name
    that folder: the pre-commit hook linted what a search skipped (hunt 98 F3), and so did the
    language server (hunt 102 F3)."""
    try:
        start = os.path.commonpath([path, start])
    except ValueError:  # another drive (Windows): no folder above both
        return False
    on_the_way = []
    entry = path
    while len(entry) > len(start) and entry != os.path.dirname(entry):
        on_the_way.append(entry)
        entry = os.path.dirname(entry)
    for entry in reversed(on_the_way):
        settings = settings_in(os.path.dirname(entry))
        if settings.force_exclude and matches(settings.excluded, entry, entry != path or is_dir, folders_checked=True):
            return True
    return False


def _in_virtualenv(path: str, is_dir: bool) -> bool:
    """Whether the path, or a folder above it, is a virtualenv that a search would not enter: one
    below the folder a search for the path would start from (the current folder, or for a path
    outside it, the folder both are in). So a project that lives inside a virtualenv is linted,
    as a search from it would lint it."""
    # real paths, as getcwd's is: `$PWD/app/x` through a symlinked folder shares more than `/`
    folder = os.path.realpath(path if is_dir else os.path.dirname(os.path.abspath(path)))
    try:
        start = os.path.commonpath([folder, os.getcwd()])
    except ValueError:  # another drive (Windows): no folder above both
        start = ""
    while len(folder) > len(start) and folder != os.path.dirname(folder):
        if _is_virtualenv(folder):
            return True
        folder = os.path.dirname(folder)
    return False


def _is_virtualenv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def _search(root: str, resolver: Resolver) -> Iterator[str]:
    """The Nexlayer files under `root`, as paths relative to the current folder (absolute if `root` is)."""
    top = opened_path(root)  # `s/..` is where the system goes (hunt 72 F3)
    # Each find is `shown` + its path below top: os.path.relpath per find costs two getcwd calls.
    shown = top if os.path.isabs(root) else os.path.relpath(top)
    ignores = _GitIgnores(top)
    # A folder named is searched even if an exclude matches it or all below it (`deploy/**`),
    # unless --force-exclude: then its excludes hold inside it (hunt 77 F1).
    unless = None if resolver.for_folder(top).force_exclude else top
    for folder, dirs, names in _walk(top):
        if dirs is None:  # a folder that cannot be read: a target whose reading says why, not a pass
            below = folder[len(top) :].lstrip(os.sep)
            if not below:
                yield shown
            else:
                yield below if shown == "." else os.path.join(shown, below)
            continue
        settings = resolver.for_folder(folder)
        excluded = settings.excluded
        # entered whatever this folder's settings say: a folder below may have its own config
        # that respects .gitignore, and inherits this one's patterns (hunt 98 F2)
        gitignore = ignores.enter(folder, dirs, names)
        if not settings.respect_gitignore:
            gitignore = ()
        kept = []
        for name in sorted(dirs):
            entry = os.path.join(folder, name)
            if not _is_virtualenv(entry) and not _left_out(entry, True, excluded, gitignore, top, unless):
                kept.append(name)
        dirs[:] = kept
        for name in names:
            if name in FILE_NAMES:
                entry = os.path.join(folder, name)
                if not _left_out(entry, False, excluded, gitignore, top, unless):
                    below = entry[len(top) :].lstrip(os.sep)
                    yield below if shown == "." else os.path.join(shown, below)


def _walk(top: str) -> Iterator[tuple[str, list[str] | None, list[str]]]:
    """os.walk(top) top-down, with a stack instead of recursion: Python 3.11's os.walk recurses
    once per level, so a tree 1,000 folders deep ended the run in a RecursionError. As os.walk:
    a symlink to a folder is listed but not entered, and the caller prunes `dirs` in place. A
    folder that cannot be read (permission denied, a path too long) is yielded as (folder, None,
    []): a Nexlayer file may be in it, so the run must not pass it over (hunt 43 F4); one that
    went away meanwhile is passed over."""
    stack = [top]
    while stack:
        folder = stack.pop()
        dirs: list[str] = []
        names: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else names).append(entry.name)
        except FileNotFoundError:
            continue
        except OSError:
            yield folder, None, []
            continue
        yield folder, dirs, names
        for name in reversed(dirs):
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                stack.append(path)


def _left_out(
    entry: str, is_dir: bool, excluded: tuple[PathPattern, ...], gitignore: _Groups, top: str, unless: str | None
) -> bool:
    # A search's folders above the entry were read before it: a matched one is not entered.
    excluded_here = matches(excluded, entry, is_dir, unless=unless, folders_checked=True)
    return excluded_here or (bool(gitignore) and _ignored(gitignore, entry, is_dir, top))


def _ignored(gitignore: _Groups, entry: str, is_dir: bool, top: str) -> bool:
    """The deepest .gitignore that speaks of the entry decides."""
    for patterns in reversed(gitignore):
        said = verdict(patterns, entry, is_dir, unless=top, folders_checked=True, gitignore=True)
        if said is not None:
            return said
    return False


class _GitIgnores:
    """The .gitignore patterns in force in each folder of a search (top-down), each file read once.
    None for a folder in no git work tree: there, as for git, .gitignore files mean nothing."""

    def __init__(self, top: str) -> None:
        self._top = top
        self._in: dict[str, _Groups | None] = {}

    def enter(self, folder: str, dirs: list[str], names: list[str]) -> _Groups:
        inherited: _Groups | None
        if ".git" in dirs or ".git" in names:  # the top of a work tree, or of a repository nested in one
            inherited = _read(_exclude_file(folder), folder, follow=True)
        elif folder == self._top:
            inherited = _above(folder)
        else:
            inherited = self._in.get(os.path.dirname(folder))
        if inherited is not None and ".gitignore" in names:
            inherited += _read(os.path.join(folder, ".gitignore"), folder)
        self._in[folder] = inherited
        return inherited or ()


def _above(folder: str) -> _Groups | None:
    """The ignore files that apply to `folder` from the folders above it, up to the top of its work
    tree (the folder holding `.git`); None if it is in no work tree."""
    chain: list[str] = []
    while not chain or not os.path.lexists(os.path.join(chain[-1], ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        chain.append(parent)
        folder = parent
    found = _read(_exclude_file(chain[-1]), chain[-1], follow=True)
    for above in reversed(chain):
        found += _read(os.path.join(above, ".gitignore"), above)
    return found


def _exclude_file(top: str) -> str:
    """The `info/exclude` of the work tree at `top`, in its git dir: `.git` itself, or the folder a
    `.git` file names (`gitdir: ...`, in a linked worktree or a submodule), whose `commondir`
    says where the repository's shared files are, exclude among them (hunt 115 F5)."""
    dot_git = os.path.join(top, ".git")
    if not os.path.isfile(dot_git):
        return os.path.join(dot_git, "info", "exclude")
    try:
        with open(dot_git, encoding="utf-8", errors="surrogateescape") as handle:
            first = handle.readline(4096).strip()
        if not first.startswith("gitdir:"):
            return os.path.join(dot_git, "info", "exclude")
        git_dir = os.path.join(top, first[len("gitdir:") :].strip())
        common = os.path.join(git_dir, "commondir")
        if os.path.isfile(common):
            with open(common, encoding="utf-8", errors="surrogateescape") as handle:
                git_dir = os.path.join(git_dir, handle.readline(4096).strip())
    except (OSError, ValueError):
        return os.path.join(dot_git, "info", "exclude")
    return os.path.join(git_dir, "info", "exclude")


def _read(path: str, base: str, *, follow: bool = False) -> _Groups:
    """One ignore file's patterns, as one group (empty if there is none or it cannot be read).

    As git reads one: a UTF-8 BOM at the start is skipped (Notepad and PowerShell 5 write one; it
    was read into the first pattern), and a byte that is not UTF-8 is kept as the surrogate
    os.scandir gives the same byte of a name, so the pattern matches the name byte for byte; lines
    end at `\\n` only, less a `\\r` before it (`\\f` or a lone `\\r` is in the pattern: hunt 256
    F1). A `.gitignore` that is a symlink is not read (git does not follow one in the work tree:
    hunt 256 F4); `follow` reads through one, as git does for `info/exclude`."""
    try:
        if not stat.S_ISREG((os.stat if follow else os.lstat)(path).st_mode):
            return ()  # a FIFO or a device (`.gitignore -> /dev/stdin`) would block the run (hunt 102 F4)
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            # as much as a config may hold: git reads it whole, and a cut at 1 MiB dropped a later
            # `!pattern` silently (hunt 68 F2)
            text = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError:
        return ()
    if len(text) > MAX_CONFIG_BYTES:  # (a symlink to /dev/zero): its whole lines only, never a cut pattern
        text = text[:MAX_CONFIG_BYTES].rpartition("\n")[0]
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    patterns = tuple(
        PathPattern(base, glob)
        for line in lines
        if line.strip(" ") and not line.startswith("#")
        for glob in as_git_reads(line)
    )
    return (patterns,) if patterns else ()
