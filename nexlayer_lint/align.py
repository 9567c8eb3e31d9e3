"""Aligning two sequences (a text's lines, a line's words): which runs of items differ, in
time n log n for lines, as patience diff anchors them. The language server's Fix all sends only
what a run changes; `--diff` writes its hunks from the same runs. difflib's alignment was
quadratic in the number of changed runs (hunts 108 F1, 111 F1)."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence

from nexlayer_lint.lazy_regex import lazy

# Words, runs of blanks and line breaks (a CRLF never split), single other characters: linear.
TOKEN = lazy(r"\w+|\s+|[^\w\s]")


def kept_stretches(old: str, new: str) -> list[tuple[int, int, int]]:
    """The stretches of characters a change of `old` into `new` keeps, as (where in old, where in
    new, length): their lines aligned, then the words of each run of changed lines (deep)."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    # where each line starts, and the text's end
    old_at, new_at = [list(itertools.accumulate(map(len, lines), initial=0)) for lines in (old_lines, new_lines)]
    kept: list[tuple[int, int, int]] = []
    before = (0, 0)  # where, in lines, the stretch kept before the next run starts
    for first, stop, start, end in [*changed_runs(old_lines, new_lines), (len(old_lines),) * 2 + (len(new_lines),) * 2]:
        kept.append((old_at[before[0]], new_at[before[1]], old_at[first] - old_at[before[0]]))
        if first < stop and start < end:
            old_part, new_part = old[old_at[first] : old_at[stop]], new[new_at[start] : new_at[end]]
            old_words = [match.span() for match in TOKEN.finditer(old_part)]
            new_words = [match.span() for match in TOKEN.finditer(new_part)]
            runs = changed_runs([old_part[a:b] for a, b in old_words], [new_part[a:b] for a, b in new_words], deep=True)
            at = (0, 0)
            for a, b, c, d in [*runs, (len(old_words),) * 2 + (len(new_words),) * 2]:
                for i, j in zip(range(at[0], a), range(at[1], c), strict=True):
                    (word_start, word_end), new_start = old_words[i], new_words[j][0]
                    kept.append((old_at[first] + word_start, new_at[start] + new_start, word_end - word_start))
                at = (b, d)
        before = (stop, end)
    return [stretch for stretch in kept if stretch[2]]


def changed_runs(old: Sequence[str], new: Sequence[str], deep: bool = False) -> list[tuple[int, int, int, int]]:
    """The runs of items (lines, words) that differ, as (first, stop) in `old` and (start, end)
    in `new`, in order: the items each side has once and the other too are matched in the
    longest order both keep (patience diff's anchors), and the items both begin and end with
    are matched. difflib's alignment of lines was quadratic in the number of changed runs: Fix
    all on 4,000 pods took 12 s (hunt 108 F1). `deep` looks for anchors again between two
    anchors (histogram diff's way), so that a word repeated in a run (one password given to four
    vars) is matched where it is once between them, up to _DEEP_LEVELS levels: each level costs
    at most the length of the sequences, so the whole stays linear in them times the levels (an
    unbounded depth was quadratic at worst). Items repeated again and again and changed between
    two anchors, past those levels, are one run; lines are anchored once."""
    runs: list[tuple[int, int, int, int]] = []
    ranges = [(0, len(old), 0, len(new), _DEEP_LEVELS if deep else 1)]
    while ranges:
        first, stop, start, end, levels = ranges.pop()
        while first < stop and start < end and old[first] == new[start]:
            first, start = first + 1, start + 1
        while stop > first and end > start and old[stop - 1] == new[end - 1]:
            stop, end = stop - 1, end - 1
        anchors = _anchors(old, new, first, stop, start, end) if levels and first < stop and start < end else []
        if not anchors and deep and 0 < stop - first <= _SMALL and 0 < end - start <= _SMALL:
            # no item once on each side (`c\nd` to `C\nD`): difflib, whose cost is bounded here
            from difflib import SequenceMatcher

            opcodes = SequenceMatcher(None, old[first:stop], new[start:end], autojunk=False).get_opcodes()
            runs.extend((first + a, first + b, start + c, start + d) for tag, a, b, c, d in opcodes if tag != "equal")
            continue
        if not anchors:
            if first < stop or start < end:
                runs.append((first, stop, start, end))
            continue
        for old_at, new_at in [*anchors, (stop, end)]:
            ranges.append((first, old_at, start, new_at, levels - 1))
            first, start = old_at + 1, new_at + 1
    return sorted(runs)


_DEEP_LEVELS = 8  # how many times `deep` looks for anchors again inside the ranges between anchors
_SMALL = 100  # items on each side, up to which a range without anchors is aligned by difflib (cubic at worst)


def _anchors(
    old: Sequence[str], new: Sequence[str], first: int, stop: int, start: int, end: int
) -> list[tuple[int, int]]:
    """The pairs (i, j) of old[first:stop] and new[start:end] whose item each range has once and
    the other too, the longest run of them in the order both keep. When there is none, the items
    each range has as many times as the other, the first of one with the first of the other and
    so on: a pod copied three times had no item once in the run of its changed vars, and the
    whole run was one edit, its unchanged passwords in it (hunt 117 F1)."""
    old_count, new_count = Counter(old[first:stop]), Counter(new[start:end])
    new_index = {new[j]: j for j in range(start, end) if new_count[new[j]] == 1}
    pairs = [(i, new_index[old[i]]) for i in range(first, stop) if old_count[old[i]] == 1 and old[i] in new_index]
    if not pairs:
        places: dict[str, list[int]] = {}
        for j in range(start, end):
            if new_count[new[j]] == old_count[new[j]]:
                places.setdefault(new[j], []).append(j)
        seen: Counter[str] = Counter()
        for i in range(first, stop):
            if old[i] in places:
                pairs.append((i, places[old[i]][seen[old[i]]]))
                seen[old[i]] += 1
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (in order of their first item) whose second items increase:
    patience sorting, n log n."""
    tails: list[int] = []  # tails[k]: the second item ending the best run of length k + 1 so far
    ends: list[int] = []  # its index in pairs
    before = [-1] * len(pairs)  # the index of the pair before each in its best run
    for index, (_, second) in enumerate(pairs):
        length = bisect.bisect_left(tails, second)
        if length == len(tails):
            tails.append(second)
            ends.append(index)
        else:
            tails[length], ends[length] = second, index
        before[index] = ends[length - 1] if length else -1
    chosen = []
    index = ends[-1] if ends else -1
    while index >= 0:
        chosen.append(pairs[index])
        index = before[index]
    return chosen[::-1]
