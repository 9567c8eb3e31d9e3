"""Did-you-mean: the known name most like a misspelt one, as difflib.get_close_matches(n=1) finds it.

difflib first rules out each candidate whose letters, counted, cannot reach the cutoff, one
Python step per letter of every candidate; with hundreds of pods and of unknown names that was
most of a lint. Here the same bound is taken from an index of which candidates hold which letter
(built once per list of candidates), counting the word's repeated letters as shared, so it rules
out only what difflib's own count would; difflib judges the candidates that remain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Did-you-mean is for a typo among a file's names. Past these sizes a question costs more than its
# answer is worth (difflib compares each candidate left in quadratic time), and a hostile file can
# ask it thousands of times: then there is no suggestion.
MAX_CANDIDATES = 5000  # names to look through
MAX_JUDGED = 500  # names left for difflib to compare after the letter count


def closest(word: str, candidates: Sequence[str], cutoff: float) -> str | None:
    """The candidate most like `word` with a similarity ratio of at least `cutoff`, or None (also
    when there are more than MAX_CANDIDATES candidates, or more than MAX_JUDGED might do)."""
    if len(candidates) > MAX_CANDIDATES:
        return None
    return _closest(word, tuple(candidates), cutoff)


# The same questions come again and again: the language server lints a document with the same
# misspelt keys and pod names after every keystroke, and a batch meets the same typos in many files.
@lru_cache(maxsize=1024)
def _closest(word: str, candidates: tuple[str, ...], cutoff: float) -> str | None:
    index = _index(candidates)
    letters = set(word)
    repeated = len(word) - len(letters)
    shared: Counter[int] = Counter()
    for letter in letters:
        shared.update(index.holding.get(letter, ()))
    size = len(word)
    # A first cut: no candidate is shorter than the shortest, so one whose letters in common
    # (shared, plus the word's repeated letters) could not reach the cutoff even against the
    # shortest cannot reach it at all. A candidate sharing no letter has the repeated ones.
    total = size + index.shortest
    need = next((m for m in range(size + 1) if _bound(m, total) >= cutoff), size + 1)
    if repeated >= need or not word:  # an empty word matches an empty candidate
        possible: Iterable[int] = range(len(index.candidates))
    else:
        possible = sorted(i for i, n in shared.items() if n + repeated >= need)
    remaining = [index.candidates[i] for i in possible if _bound(shared[i] + repeated, size + index.sizes[i]) >= cutoff]
    if not remaining or len(remaining) > MAX_JUDGED:
        return None
    import difflib  # only for a finding: a clean run never needs it

    found = difflib.get_close_matches(word, remaining, n=1, cutoff=cutoff)
    return found[0] if found else None


def _bound(matches: int, total: int) -> float:
    """difflib's ratio 2*M/T with at most `matches` letters in common (1.0 for two empty strings)."""
    return 2.0 * matches / total if total else 1.0


class _Index:
    def __init__(self, candidates: tuple[str, ...]) -> None:
        self.candidates = candidates
        self.sizes = [len(candidate) for candidate in candidates]
        self.shortest = min(self.sizes, default=0)
        self.holding: dict[str, list[int]] = {}  # letter -> the candidates that hold it
        for i, candidate in enumerate(candidates):
            for letter in set(candidate):
                self.holding.setdefault(letter, []).append(i)


@lru_cache(maxsize=16)  # one document's pods, or a mapping's known keys, asked about again and again
def _index(candidates: tuple[str, ...]) -> _Index:
    return _Index(candidates)
