"""One cause, one finding: a Problem that explains others (Problem.explains) is reported alone."""

from __future__ import annotations

import time

import pytest

from nexlayer_lint.engine import _one_cause
from nexlayer_lint.model import Edit, Explains, Fix, Problem, Span
from tests.conftest import CLEAN, lint_codes, lint_diags

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
    inside = [
        Problem("NX102", "x", vars_path),
        Problem("NX102", "x", vars_path + (0, "name")),
        Problem("NX102", "x", vars_path + (7, "name")),
    ]
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


# --- each case of issue 15, end to end ---------------------------------------------------------------


def _found(text: str) -> list[tuple[str, int, int, str]]:
    return [(d.code, d.line, d.col, d.message) for d in lint_diags(text)]


def test_a_misspelt_required_key_is_one_error_at_the_misspelling() -> None:
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePort: [80]\n"
    )
    [diagnostic] = lint_diags(text)
    assert (diagnostic.code, diagnostic.severity, diagnostic.line, diagnostic.col) == ("NX101", "error", 7, 7)
    assert (
        diagnostic.message == 'unknown key "servicePort" in pod "web": probably the required key '
        '"servicePorts", which is missing'
    )
    assert diagnostic.hint == 'rename "servicePort" to "servicePorts"'
    # the rename as data (issue 18), in the key's own quotes
    assert diagnostic.fix == Fix('Rename to "servicePorts"', (Edit(Span(7, 7, 7, 18), "servicePorts"),), "safe")
    [quoted] = lint_diags(text.replace("servicePort:", "'servicePort':"))
    assert quoted.fix is not None and quoted.fix.edits == (Edit(Span(7, 7, 7, 20), "'servicePorts'"),)


def test_kubernetes_style_vars_are_one_finding_per_file() -> None:
    text = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
      vars:
        - name: API_URL
          value: http://api.pod:8000
        - name: MODE
          value: production
    - name: api
      image: nginx:1.27
      servicePorts: [8000]
      vars:
        - name: DB
          value: x
"""
    assert _found(text) == [
        (
            "NX101",
            8,
            7,
            'vars of pod "web" is a Kubernetes-style list of name/value items (so are the vars of '
            'pod "api"); Nexlayer reads vars as a mapping of NAME: value',
        )
    ]


def test_an_empty_path_is_one_finding() -> None:
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path:\n"
        "      servicePorts: [80]\n"
    )
    assert _found(text) == [("NX103", 6, 12, 'expected a string for "path" of pod "web", got null (an empty value)')]


def test_a_leading_zero_number_where_a_string_belongs_is_one_finding() -> None:
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        UMASK: 0022\n"
    )
    [diagnostic] = lint_diags(text)
    assert (diagnostic.code, diagnostic.line, diagnostic.col) == ("NX103", 9, 16)
    assert diagnostic.hint == 'YAML reads an unquoted number as a number; quote it ("0022") to make it a string'
    # where a number is right, the YAML 1.1 warning is the only finding
    text = text.replace("      vars:\n        UMASK: 0022\n", "").replace("[80]", "[0080]")
    assert [(d.code, d.line) for d in lint_diags(text)] == [("NX005", 7)]


def test_a_values_wrong_type_does_not_explain_its_keys_yaml11_warning() -> None:
    # hunt 56 F2: NX103 on `4` hid the NX005 on `Y` (a boolean to YAML 1.1), which --fix then fixed
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        Y: 4\n"
    )
    assert [(d.code, d.line, d.col) for d in lint_diags(text)] == [("NX005", 9, 9), ("NX103", 9, 12)]


def test_an_image_that_is_no_reference_is_one_finding() -> None:
    text = (
        'application:\n  name: shop\n  pods:\n    - name: web\n      image: "My Image"\n      path: /\n'
        "      servicePorts: [80]\n"
    )
    assert [(d.code, d.line, d.col) for d in lint_diags(text)] == [("NX104", 5, 14)]  # not NX215 "no tag" too


# --- a cause the user suppressed or ranked lower explains nothing (the verdict hunt) -----------

MISPLACED = CLEAN.replace("image: nginx:1.27", "image: ghcr.io/<% REGISTRY %>/me/app:1.0")  # NX206 explains NX104


def test_a_cause_stands_for_its_effect_when_both_are_reported() -> None:
    assert [(code, line) for code, line, _ in lint_codes(MISPLACED)] == [("NX204", 5), ("NX206", 5)]


def test_a_suppressed_cause_explains_nothing() -> None:
    text = MISPLACED.replace("app:1.0", "app:1.0  # nexlayer-lint: disable=NX206")
    # the schema error comes back, and the directive was used
    assert [(code, line) for code, line, _ in lint_codes(text)] == [("NX104", 5), ("NX204", 5)]


@pytest.mark.parametrize("severity", [{"NX206": "warning"}, {"NX2": "info"}])
def test_a_cause_ranked_below_its_effect_does_not_hide_it(severity: dict[str, str]) -> None:
    found = [(d.code, d.severity) for d in lint_diags(MISPLACED, severity=severity)]
    assert ("NX104", "error") in found and found[0][0] == "NX104"


def test_a_suppressed_cause_that_covers_two_pods_hides_neither() -> None:
    pod = "      vars:{comment}\n        - name: {name}\n          value: x\n"
    text = CLEAN + pod.format(comment="  # nexlayer-lint: disable=NX101", name="A")
    text += "    - name: api\n      image: nginx:1.27\n      servicePorts: [81]\n" + pod.format(comment="", name="B")
    assert [(code, line) for code, line, _ in lint_codes(text.replace("  # nexlayer-lint: disable=NX101", ""))] == [
        ("NX101", 8)  # one finding for both pods' Kubernetes-style vars
    ]
    found = lint_codes(text)
    assert ("NX101", 9, 11) in found and ("NX101", 15, 11) in found  # each pod's items, again


def test_suppressing_a_null_path_does_not_hide_that_no_pod_has_one() -> None:
    text = CLEAN.replace("      path: /\n", "      path:  # nexlayer-lint: disable=NX103\n")
    assert [code for code, _, _ in lint_codes(text)] == ["NX201"]


def test_a_directive_that_only_hides_an_explained_finding_is_unused() -> None:
    # the hunt on this stop's code: the explained NX104 is not shown either way, so its directive
    # hides nothing and is NX099, as ruff's RUF100 reports a noqa for a diagnostic not emitted
    text = MISPLACED.replace("app:1.0", "app:1.0  # nexlayer-lint: disable=NX104")
    found = [(d.code, d.message) for d in lint_diags(text) if d.code != "NX204"]
    assert found == [
        ("NX206", found[0][1]),
        ("NX099", "suppression of NX104 is unused: nothing on line 5 reports NX104"),
    ]
    # naming both: the cause is suppressed, so the error it explained is the one the other code hides
    both = MISPLACED.replace("app:1.0", "app:1.0  # nexlayer-lint: disable=NX206,NX104")
    assert [d.code for d in lint_diags(both)] == ["NX204"]
