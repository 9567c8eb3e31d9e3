"""One cause, one finding: a Problem that explains others (Problem.explains) is reported alone."""

from __future__ import annotations

import time

from nexlayer_lint.engine import _one_cause
from nexlayer_lint.model import Explains, Problem

POD = ("application", "pods", 0)


def _codes(problems: list[Problem]) -> list[tuple[str, tuple]]:
    return [(p.code, p.path) for p in problems]


def everything(code: str) -> bool:
    return True


def test_an_explained_problem_is_dropped_by_code_and_exact_path() -> None:
    cause = Problem("NX101", "cause", POD + ("servicePort",), explains=(Explains("NX102", POD + ("servicePort",)),))
    effect = Problem("NX102", "effect", POD + ("servicePort",))
    other_code = Problem("NX104", "same place, other code", POD + ("servicePort",))
    other_place = Problem("NX102", "same code, other place", POD + ("servicePorts",))
    below = Problem("NX102", "below the path: not explained without subtree", POD + ("servicePort", 0))
    kept = _one_cause([effect, cause, other_code, other_place, below], everything)
    assert _codes(kept) == _codes([cause, other_code, other_place, below])


def test_a_subtree_explains_the_path_and_everything_under_it() -> None:
    vars_path = POD + ("vars",)
    cause = Problem("NX101", "form", vars_path, explains=(Explains("NX102", vars_path, subtree=True),))
    inside = [Problem("NX102", "x", vars_path), Problem("NX102", "x", vars_path + (0, "name")),
              Problem("NX102", "x", vars_path + (7, "name"))]
    beside = Problem("NX102", "x", POD + ("volumes", 0, "name"))
    assert _codes(_one_cause([cause, *inside, beside], everything)) == _codes([cause, beside])


def test_a_disabled_explainer_explains_nothing() -> None:
    cause = Problem("NX103", "null path", POD + ("path",), explains=(Explains("NX201", ("application", "pods")),))
    effect = Problem("NX201", "no path", ("application", "pods"))
    assert _codes(_one_cause([cause, effect], lambda code: code != "NX103")) == _codes([cause, effect])


def test_explanations_chain_and_a_pair_that_explains_each_other_is_kept() -> None:
    a = Problem("NX206", "a", POD + ("image",), explains=(Explains("NX104", POD + ("image",)),))
    b = Problem("NX104", "b", POD + ("image",), explains=(Explains("NX215", POD + ("image",)),))
    c = Problem("NX215", "c", POD + ("image",))
    assert _codes(_one_cause([a, b, c], everything)) == _codes([a])
    x = Problem("NX101", "x", ("k",), explains=(Explains("NX102", ("k",)),))
    y = Problem("NX102", "y", ("k",), explains=(Explains("NX101", ("k",)),))
    assert _codes(_one_cause([x, y], everything)) == _codes([x, y])


def test_a_problem_does_not_explain_itself() -> None:
    same = Problem("NX104", "x", ("k",), explains=(Explains("NX104", ("k",)),))
    assert _one_cause([same], everything) == [same]


def test_linear_in_the_number_of_problems() -> None:
    # one explanation of a whole subtree, and many problems under it: each is looked up once per prefix
    root = ("application", "pods", 0, "vars")
    cause = Problem("NX101", "form", root, explains=(Explains("NX102", root, subtree=True),))

    def run(count: int) -> float:
        problems = [cause] + [Problem("NX102", "x", root + (i, "name")) for i in range(count)]
        start = time.perf_counter()
        assert len(_one_cause(problems, everything)) == 1
        return time.perf_counter() - start

    small, large = run(2_000), run(40_000)
    assert large < 20 * small * 5 + 0.5  # 20 times the problems: far from 400 times the time

