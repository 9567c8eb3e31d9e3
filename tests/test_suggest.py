"""suggest.closest is difflib.get_close_matches(n=1), faster on long lists of candidates."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint import suggest
from nexlayer_lint.suggest import closest

LETTERS = "abcdeo12-"


def difflibs(word: str, candidates: list[str], cutoff: float) -> str | None:
    return next(iter(difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)), None)


@settings(max_examples=1000, deadline=None)
@given(
    word=st.text(LETTERS, max_size=8),
    candidates=st.lists(st.text(LETTERS, max_size=8), max_size=12),
    cutoff=st.sampled_from([0.0, 0.5, 0.6, 0.7, 0.75, 0.9, 1.0]),
)
def test_closest_is_difflibs(word: str, candidates: list[str], cutoff: float) -> None:
    # the letter index rules out only the candidates difflib's own letter count would
    assert closest(word, candidates, cutoff) == difflibs(word, candidates, cutoff)


def test_closest_examples() -> None:
    pods = [f"svc{i}" for i in range(300)] + ["backend", "frontend"]
    assert closest("backnd", pods, 0.75) == "backend"
    assert closest("gone7", pods, 0.75) is None
    assert closest("svc12x", pods, 0.75) == difflibs("svc12x", pods, 0.75) == "svc12"
    assert closest("", ["", "a"], 0.75) == ""  # two empty strings are alike
    assert closest("aa", ["b", "a"], 0.5) == difflibs("aa", ["b", "a"], 0.5) == "a"
    assert closest("x", [], 0.7) is None


def test_closest_gives_up_past_its_limits() -> None:
    # a hostile file can ask thousands of times: past these sizes there is no suggestion
    alike = ["".join("abc"[(i // 3**k) % 3] for k in range(8)) for i in range(3**8)]
    assert len(alike) > suggest.MAX_CANDIDATES // 2
    assert closest("aaaaaaab", alike[: suggest.MAX_JUDGED + 50], 0.75) is None
    assert closest("aaaaaaab", alike[:40], 0.75) == difflibs("aaaaaaab", alike[:40], 0.75) is not None
    assert closest("aaaaaaab", alike * 2, 0.75) is None  # more than MAX_CANDIDATES
