"""The registry of rules: every check's declaration is collected, stage rules are listed once,
and a malformed or repeated declaration fails when the registry is built."""

from __future__ import annotations

import types

import pytest

from nexlayer_lint import checks, rules
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.model import Problem, Rule


def test_every_rule_is_registered_once_in_code_order() -> None:
    assert list(rules.RULES) == sorted(rules.RULES)
    stages = {r.code: r.stage for r in rules.RULES.values() if r.stage != "check"}
    # every rule that no stage holds is a check, collected once (a rule's page keeps it in the
    # registry: test_rule_docs.py); NX005 is the loader's YAML 1.1 check, the others NX2xx
    assert [r.code for r in checks.CHECK_RULES] == [code for code in rules.RULES if code not in stages]
    assert all(r.code == "NX005" or r.code.startswith("NX2") for r in checks.CHECK_RULES)
    assert all(rules.RULES[r.code] is r and r.stage == "check" and callable(r.check) for r in checks.CHECK_RULES)
    assert stages == {
        "NX001": "loader",
        "NX002": "loader",
        "NX003": "loader",
        "NX004": "loader",
        "NX099": "suppress",
        "NX101": "schema",
        "NX102": "schema",
        "NX103": "schema",
        "NX104": "schema",
        "NX105": "schema",
        "NX900": "remote",
        "NX901": "remote",
        "NX902": "remote",
    }
    assert all(r.check is None for r in rules.STAGE_RULES)


def test_by_name_or_code() -> None:
    nx201 = rules.RULES["NX201"]
    assert rules.by_name_or_code("NX201") is nx201
    assert rules.by_name_or_code(" nx201 ") is nx201
    assert rules.by_name_or_code("no-public-path") is nx201
    assert rules.by_name_or_code("NX999") is None
    assert rules.by_name_or_code("No-Public-Path") is None  # names are lower case


def test_rule_turns_a_function_into_its_rule() -> None:
    def check(app: object) -> list[Finding]:
        return [Finding("m", path=("a",))]

    declared = rule("NX250", "some-rule", "warning", "what it finds")(check)
    assert declared == Rule("NX250", "some-rule", "warning", "what it finds", "check", check)
    assert Finding("m", path=("a",), hint="h", at="key", offset=(1, 2), severity="info").problem("NX250") == Problem(
        "NX250", "m", path=("a",), hint="h", at="key", offset=(1, 2), severity="info"
    )


def _declared(code: str, name: str, severity: str = "error", summary: str = "s") -> Rule:
    return rule(code, name, severity, summary)(lambda app: [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ((_declared("NX250", "a"), _declared("NX250", "b")), "rule NX250 b: the code or the name is declared twice"),
        ((_declared("NX250", "a"), _declared("NX251", "a")), "rule NX251 a: the code or the name is declared twice"),
        ((_declared("NX25", "a"),), "rule NX25 a: codes look like NX201, names like no-public-path"),
        ((_declared("NX250", "Some_Rule"),), "rule NX250 Some_Rule: codes look like NX201, names like no-public-path"),
        ((_declared("NX250", "a", severity="fatal"),), "rule NX250: severity must be error, warning or info"),
        ((_declared("NX250", "a", summary=""),), "rule NX250: severity must be error, warning or info"),
    ],
)
def test_a_malformed_or_repeated_declaration_fails(declared: tuple[Rule, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rules._registry(declared)


def test_the_stage_rules_and_the_checks_share_no_code() -> None:
    with pytest.raises(ValueError, match="NX001 yaml-syntax: the code or the name is declared twice"):
        rules._registry(rules.STAGE_RULES + checks.CHECK_RULES + rules.STAGE_RULES[:1])


def test_checks_collects_the_rules_a_module_declares() -> None:
    first, second = _declared("NX251", "b"), _declared("NX250", "a")
    module = types.ModuleType("topic")
    module.first, module.second, module.again, module.other = first, second, first, ("NX299",)  # type: ignore[attr-defined]
    assert checks.declared_rules((module,)) == (second, first)
    twin = types.ModuleType("twin")
    twin.rule = _declared("NX250", "c")  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="NX250 is declared twice, in twin and elsewhere"):
        checks.declared_rules((module, twin))
