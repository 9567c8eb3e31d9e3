"""Fixing a file: its bytes -> text, the fixes applied in passes (fixes.fix_all), the bytes back in
the file's own encoding; a unified diff of what would change; an atomic write.

- Encoding: UTF-8 with or without a byte order mark, UTF-16 or UTF-32 with one (as the loader
  reads them); the fixed file gets the same BOM, byte order and codec. Line breaks: an edit's new
  lines take the text's own (fixes.apply_fixes), so a CRLF file stays CRLF.
- The passes lint with the run's settings less the remote check (a request per pass would be
  slow and send every intermediate text), and without NX900, which is about the run's schema.
- A fix that would make the file worse is not applied: the outcome names it and what it would
  have added. A fix still offered when the passes ran out is named too.
- Writing replaces the file atomically (a temporary file beside it, renamed over it) with the
  file's permission bits, owner and group; through a symlink, the file it points to is replaced.
  A file with hard links, or whose owner or group the run cannot give a new file (a root
  container fixing a user's checkout can; a user fixing a file of another's group may not), is
  written in place instead, as ruff and editors write: a new file would split the links or
  change who may write it. A read-only file is refused, as an editor would, even for root, and
  so is a file whose bytes changed since they were read for fixing. Nothing is written when no
  byte changed.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from nexlayer_lint.align import changed_runs, kept_stretches
from nexlayer_lint.atomic_write import write_over
from nexlayer_lint.fixes import NEVER_ADDED, Origins, apply_fixes, fix_all
from nexlayer_lint.model import Diagnostic, FileResult, Fix

if TYPE_CHECKING:
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16's: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF8, "utf-8"),
)
# NX900 says the run could not use the schema it asked for: it is about the run, not the text.
_RUN_CODES = ("NX900",)


class Encoded(NamedTuple):
    text: str  # without the byte order mark
    bom: bytes
    codec: str

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


def decode(raw: bytes) -> Encoded | None:
    """The text of a file and how to write it back; None if it is not text the loader reads."""
    bom, codec = next(((bom, codec) for bom, codec in _BOMS if raw.startswith(bom)), (b"", "utf-8"))
    try:
        return Encoded(raw[len(bom) :].decode(codec), bom, codec)
    except UnicodeDecodeError:
        return None


class Outcome(NamedTuple):
    """What fixing one file did."""

    raw: bytes  # the file's bytes after fixing: the very bytes given when nothing changed
    text: str  # its text before fixing and after (without BOM): for a diff
    fixed_text: str
    applied: tuple[Diagnostic, ...]  # the findings whose fixes were applied, in order
    # the findings left unfixed because their fix was rejected, each with the codes it would add
    rejected: tuple[tuple[Diagnostic, tuple[str, ...]], ...]
    left: tuple[Diagnostic, ...]  # findings whose wanted fix was still offered when fixing stopped
    result: FileResult | None  # the lint of the fixed text, rejected fixes dropped; None if unchanged

    @property
    def changed(self) -> bool:
        return self.fixed_text != self.text


def fixing_linter(settings: Settings, masked_text: bool = True) -> Linter:
    """The Linter of --fix's passes and the editor's Fix all: the run's settings without the
    remote check (a request per pass), and the codes no fix may add (fixes.NEVER_ADDED) linted
    whatever the run reports: `--ignore NX002 --fix` wrote a duplicate key (hunt 111 F2)."""
    from dataclasses import replace

    from nexlayer_lint.engine import Linter

    return Linter(replace(settings, remote=False), masked_text, guarded=NEVER_ADDED)


def fix_source(raw: bytes, name: str, linter: Linter, wanted: Callable[[Fix], bool]) -> Outcome | None:
    """Apply the fixes `wanted` accepts to the file `name` whose bytes are `raw`, with `linter`
    (fixing_linter: the run's, without the remote check, and fixes.NEVER_ADDED guarded); None
    when the bytes are not text the loader reads."""
    encoded = decode(raw)
    if encoded is None:
        return None
    # each fix seen -> the findings it fixes, for the outcome's report: one fix may end several
    # (one comment's unused codes), and each counts, as ruff counts them (hunt 75 F4)
    found: dict[Fix, list[Diagnostic]] = {}
    last: list[tuple[str, FileResult]] = []  # the text linted last and its result

    def diagnose(text: str) -> tuple[Diagnostic, ...]:
        # the bytes that would be written: --max-file-size counts a UTF-16 file's bytes, or a
        # byte-order mark, as the next run's loader will (hunt 117 F3)
        result = linter.lint(encoded.encode(text), name)
        result = result._replace(diagnostics=tuple(d for d in result.diagnostics if d.code not in _RUN_CODES))
        last[:] = [(text, result)]
        shared: dict[Fix, list[Diagnostic]] = {}
        for finding in result.diagnostics:
            if finding.fix is not None:
                shared.setdefault(finding.fix, []).append(finding)
        found.update(shared)
        return result.diagnostics

    fixed = fix_all(encoded.text, diagnose, wanted)
    # the passes end with the fixed text linted, unless the last pass was all rejected
    final = last[0][1] if last[0][0] == fixed.text else linter.lint(encoded.encode(fixed.text), name)
    final = final._replace(
        diagnostics=tuple(
            d._replace(fix=None) if d.fix in fixed.added else d
            for d in final.diagnostics
            if d.code not in _RUN_CODES and linter.reports(d.code)
        )
    )
    changed = fixed.text != encoded.text
    origins = Origins(fixed)
    return Outcome(
        raw=encoded.encode(fixed.text) if changed else raw,
        text=encoded.text,
        fixed_text=fixed.text,
        applied=tuple(_where_it_was(finding, fix, origins) for fix in fixed.applied for finding in found[fix]),
        rejected=_still_there(
            [(finding, fixed.added[fix]) for fix in fixed.rejected for finding in found[fix]], final.diagnostics
        ),
        left=tuple(d for d in final.diagnostics if d.fix is not None and wanted(d.fix)),
        result=final if changed else None,
    )


def _still_there(
    rejected: list[tuple[Diagnostic, tuple[str, ...]]], final: Sequence[Diagnostic]
) -> tuple[tuple[Diagnostic, tuple[str, ...]], ...]:
    """The rejections of findings the fixed text still has (by code and message: places move
    between passes), the last of each: a fix rejected once may be applied in a later pass, and a
    finding rejected twice is one finding. Each of them, not one per rule and fix title: two pods'
    rejected renames were said once (hunt 75 F2)."""
    left = Counter((finding.code, finding.message) for finding in final)
    kept = []
    for finding, added in reversed(rejected):
        if left[finding.code, finding.message] > 0:
            left[finding.code, finding.message] -= 1
            kept.append((finding, added))
    return tuple(reversed(kept))


def _where_it_was(finding: Diagnostic, fix: Fix, origins: Origins) -> Diagnostic:
    """A fixed finding at its place in the text before fixing (a later pass found it elsewhere)."""
    line, col = origins(fix, finding.line, finding.col)
    end_line, end_col = origins(fix, finding.end_line, finding.end_col)
    return finding._replace(line=line, col=col, end_line=end_line, end_col=end_col)


def grows_past(outcome: Outcome, fix: Fix, max_bytes: int) -> bool:
    """Whether `fix`, added to the fixes kept, takes the text past the size limit: the loader
    refuses such a text with NX001, which is not a parse error to tell the user of. Counted in
    the file's own encoding, byte-order mark included."""
    encoded = decode(outcome.raw)
    if encoded is None:
        return False  # not reached: an outcome's bytes are text the loader read
    before = len(encoded.encode(outcome.text))
    alone = len(encoded.encode(apply_fixes(outcome.text, [fix]).text))
    return len(encoded.encode(outcome.fixed_text)) + alone - before > max_bytes


def masked_diff(outcome: Outcome, path: str) -> str:
    """The unified diff of a fix, with secret values starred on both sides as in every report."""
    # a UTF-8 file's byte-order mark starts its first line to git and patch (a UTF-16 file's diff,
    # in UTF-8, applies to no file: git diffs such a file as binary)
    bom = "\ufeff" if outcome.raw.startswith(codecs.BOM_UTF8) else ""
    old, new = outcome.text, outcome.fixed_text
    old_masked, new_masked = _masked(old, path), _masked(new, path)
    # A fix may make a key a secret's (a misspelt `sceret:` renamed `secrets`, `valeus:` renamed
    # `value`): what it keeps is secret on the old side too, as the fixed document says (hunt 129
    # F5). Not the other way: a misspelt key the old document takes for a secret's starred the
    # fixed side's public names (hunt 131 F5).
    old_masked = _starred_where(old_masked, new, new_masked, kept_stretches(old, new))
    return unified_diff(bom + old_masked, bom + new_masked, path)


def _starred_where(masked: str, other: str, other_masked: str, kept: list[tuple[int, int, int]]) -> str:
    """`masked` with a star where `other_masked` stars a character kept from it: `kept` holds
    (where in masked, where in other, length) stretches."""
    chars = list(masked)
    for at, other_at, length in kept:
        if other_masked[other_at : other_at + length] != other[other_at : other_at + length]:
            for k in range(length):
                if other_masked[other_at + k] != other[other_at + k]:
                    chars[at + k] = "*"
    return "".join(chars)


def _masked(text: str, path: str) -> str:
    from nexlayer_lint import loader, secrets, unparsed

    document, _ = loader.load(text, path, max_bytes=len(text) * 4)
    if document is not None:
        return secrets.mask_text(document)
    return unparsed.mask(text, [(1, text.count("\n") + 1)])  # not reached: fixes never break parsing


def unified_diff(old: str, new: str, path: str) -> str:
    """`diff -u` of two texts, with `--- a/path` and `+++ b/path` headers as git writes them (so
    `git apply` and `patch -p1` take it); each line keeps its own line break, and a last line
    without one is marked `\\ No newline at end of file`. Empty when the texts are equal."""
    # through a link (the file's or a folder's on its way), the file it points to, which --fix
    # writes and git and patch patch (hunts 176 F2, 184 F4)
    real = os.path.realpath(path)
    if real != os.path.abspath(path) and os.path.exists(real):
        path = os.path.relpath(real)
    # git's `a//tmp/x` is `a/tmp/x`; `git apply` refuses `a/./x`, so `./x` is shown as `x`
    shown = _outside_named(os.path.normpath(path)).replace(os.sep, "/").lstrip("/")
    old_lines, new_lines = _lines(old), _lines(new)
    runs = changed_runs(old_lines, new_lines)
    if not runs:
        return ""
    out = [f"--- {_git_name('a/' + shown)}\n", f"+++ {_git_name('b/' + shown)}\n"]
    for hunk in _hunks(runs):
        (first, _, start, _), (_, stop, _, end) = hunk[0], hunk[-1]
        top, bottom = max(first - _CONTEXT, 0), min(stop + _CONTEXT, len(old_lines))
        out.append(f"@@ -{_range(top, bottom)} +{_range(start - (first - top), end + (bottom - stop))} @@\n")
        at = top
        for first, stop, start, end in hunk:
            out.extend(" " + line for line in old_lines[at:first])
            out.extend("-" + line for line in old_lines[first:stop])
            out.extend("+" + line for line in new_lines[start:end])
            at = stop
        out.extend(" " + line for line in old_lines[at:bottom])
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in out)


_CONTEXT = 3  # lines of context around a change, as diff -u and git diff show


def _hunks(runs: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The runs of changed lines in hunks: two runs whose contexts touch share one."""
    hunks: list[list[tuple[int, int, int, int]]] = []
    for run in runs:
        if hunks and run[0] - hunks[-1][-1][1] <= 2 * _CONTEXT:
            hunks[-1].append(run)
        else:
            hunks.append([run])
    return hunks


def _range(start: int, stop: int) -> str:
    """A hunk's line range as diff -u writes it (difflib's _format_range_unified)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _outside_named(path: str) -> str:
    """A path that climbs out of the current folder (`../app/nexlayer.yaml`), which `git apply` and
    `patch` refuse (hunt 90 F2), or a path given in full (which `git apply` at the top of the tree
    refuses: hunt 111 F4), named as git names it: from the top of its git working tree when it
    is in one, else in full. Any other path as it is."""
    if not os.path.isabs(path) and not path.startswith(".." + os.sep) and path != "..":
        return path
    full = os.path.abspath(path)
    folder = os.path.dirname(full)
    while not os.path.exists(os.path.join(folder, ".git")):
        if os.path.dirname(folder) == folder:
            return full
        folder = os.path.dirname(folder)
    return os.path.relpath(full, folder)


# C's escapes, as git writes them in a quoted name
_GIT_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\"}


def _git_name(name: str) -> str:
    """A file's name in a diff header as git writes it: in double quotes with C escapes (octal
    for each byte past ASCII) when it holds a quote, a backslash, a control character or more
    than ASCII, so a line break or a tab in a name stays inside its header (hunt 63 F1); a
    name with a blank ends with a tab, as git ends it."""
    raw = os.fsencode(name)
    if not all(0x20 <= byte < 0x7F and byte not in (34, 92) for byte in raw):
        name = '"' + "".join(_GIT_ESCAPES.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\{b:03o}") for b in raw) + '"'
    return name + "\t" if " " in name else name  # GNU patch reads a name to a tab (hunt 67 F4)


def _lines(text: str) -> list[str]:
    """The lines as git and patch split them: at every \\n, each keeping its own ending (a CRLF
    line its \\r\\n). Not at the file's first kind of break: in a file that mixes them, the other
    lines ran together into one, and the lines after a hunk's came out without their prefix. A
    lone \\r (a CR-only file), NEL, LS or PS is text inside a line to git, so it is here."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def write_fixed(path: str, data: bytes, fixed_from: bytes) -> None:
    """Write `data` over the file at `path` (see the module's docstring); OSError says why not.
    `fixed_from` is the file's bytes the fixes were made to: if the file holds others now (an
    editor or a formatter saved it while the fixes were made), it is left as it is."""
    target = os.path.realpath(path)
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", path)
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):  # the mode bits: also when run as root
        raise PermissionError(errno.EACCES, "the file is read-only", path)
    if info.st_size != len(fixed_from) or _read_all(target) != fixed_from:
        raise OSError(errno.EAGAIN, "the file changed while it was being fixed; run again", path)
    write_over(target, data, info)


def _read_all(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()
