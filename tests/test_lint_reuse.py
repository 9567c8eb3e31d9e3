"""Linter.lint_keeping on an edit of a linted Document (the language server's next keystroke)
reports exactly what a lint of the edited text from the start reports, though it takes the
findings of the pods the edit left alone from the lint before: over random chained edits of
samples, of files with findings in many pods, and of the real corpus."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Kept, Linter
from nexlayer_lint.loader import load
from nexlayer_lint.model import FileResult
from nexlayer_lint.scalar_edit import edited
from nexlayer_lint.schema import load_bundled, pods_one_by_one
from tests.conftest import ROOT, shared_dir
from tests.test_scalar_edit import SAMPLES, random_edit


def _pod(i: int, faults: int) -> str:
    """A pod with `faults` (0 to 4) kinds of findings: schema ones and semantic ones."""
    return (
        f"    - name: svc{i}\n"
        f"      image: ghcr.io/acme/svc{i}{'' if faults > 0 else ':1.0'}\n"
        f"      path: /svc{i}\n"
        f"      servicePorts: [{3000 + i}]\n" + ("      replicas: 2\n" if faults > 1 else "") + "      vars:\n"
        f"        API_URL: http://{'gone' if faults > 2 else 'svc'}{i}.pod:{3000 + i}\n"
        + (f"        DB_PASSWORD: hunter2-{i}x\n" if faults > 3 else "        DB_PASSWORD: ${DB_PASSWORD}\n")
        + "        MODE: production\n"
        "      volumes:\n"
        f"        - name: data{i}\n"
        f"          size: {'2GB' if faults > 1 else '1Gi'}\n"
        f"          mountPath: /data/svc{i}\n"
    )


MANY_PODS = "application:\n  name: shop\n  pods:\n" + "".join(_pod(i, i % 5) for i in range(12))


def _reused(new: Kept | None, old: Kept | None) -> int:
    """How many faults' Problems `new` took from `old` (the same objects)."""
    if new is None or old is None or new.schema_faults is None or old.schema_faults is None:
        return 0
    count = 0
    for position, (_, _, found) in new.schema_faults.pods.items():
        before = old.schema_faults.pods.get(position)
        if before is not None:
            count += sum(a is b for a, b in zip(found, before[2], strict=False))
    return count


class _Edit(NamedTuple):
    first: FileResult  # the lint of the text before the edit, and what it kept
    kept: Kept
    result: FileResult  # the lint of the edit, from what the first kept
    new_kept: Kept


def _lint_edit(text: str, new_text: str, settings: Settings | None = None) -> _Edit:
    """Lint `text`, then `new_text` as the language server does after that keystroke (scalar_edit
    must take it), and hold the second lint equal to a lint of `new_text` from the start."""
    settings = settings or Settings()
    document, problems = load(text, "nexlayer.yaml")
    assert document is not None and problems == []
    first, kept = Linter(settings).lint_keeping(text, "nexlayer.yaml", document, [])
    fast = edited(document, new_text)
    assert fast is not None  # the fast path is taken
    result, new_kept = Linter(settings).lint_keeping(new_text, "nexlayer.yaml", fast, [], earlier=kept)
    assert result == Linter(settings).lint(new_text, "nexlayer.yaml")
    assert kept is not None and new_kept is not None
    return _Edit(first, kept, result, new_kept)


def _chain(rng: random.Random, text: str, steps: int) -> tuple[int, int]:
    """Chained edits of `text`, each linted with what the last lint kept when scalar_edit took it,
    and compared with a lint from the start; (edits it took, faults reused)."""
    settings = Settings()
    document, problems = load(text, "nexlayer.yaml")
    if document is None or problems:
        return 0, 0
    kept = Linter(settings).lint_keeping(text, "nexlayer.yaml", document, [])[1]
    taken = reused = 0
    for _ in range(steps):
        assert kept is not None
        new_text = random_edit(rng, text, kept.document)
        fast = edited(kept.document, new_text)
        if fast is None:  # as the server does: parse again, keep nothing
            document, problems = load(new_text, "nexlayer.yaml")
            if document is None or problems:
                return taken, reused
            text, kept = new_text, Linter(settings).lint_keeping(new_text, "nexlayer.yaml", document, [])[1]
            continue
        result, new_kept = Linter(settings).lint_keeping(new_text, "nexlayer.yaml", fast, [], earlier=kept)
        expected = Linter(settings).lint(new_text, "nexlayer.yaml")
        assert result == expected, (text, new_text)
        taken += 1
        reused += _reused(new_kept, kept)
        text, kept = new_text, new_kept
    return taken, reused


@pytest.mark.parametrize("name", [*SAMPLES, "many pods"])
def test_random_edits_of_samples_lint_as_from_the_start(name: str) -> None:
    rng = random.Random(name)
    text = MANY_PODS if name == "many pods" else SAMPLES[name]
    results = [_chain(rng, text, 12) for _ in range(60 if name == "many pods" else 25)]
    if name == "many pods":
        assert sum(taken for taken, _ in results) > 100
        assert sum(reused for _, reused in results) > 1000, "the pods the edits left alone were mapped again"


def test_random_edits_of_the_corpus_lint_as_from_the_start() -> None:
    files = sorted(shared_dir("corpus", "real").glob("*.yaml"))
    rng = random.Random(23)
    results = [_chain(rng, path.read_text(encoding="utf-8"), 8) for path in files]
    assert sum(taken for taken, _ in results) > 400
    assert sum(reused for _, reused in results) > 100


def test_an_edit_of_a_var_reuses_the_other_pods_faults_and_finds_its_own() -> None:
    # pod svc4 (position 4) gets an unknown size: one more NX104, all else as it was
    text = MANY_PODS.replace("        - name: data4\n          size: 2GB", "        - name: data4\n          size: 3XB")
    edit = _lint_edit(MANY_PODS, text)
    size_findings = [d for d in edit.result.diagnostics if d.code == "NX104" and d.path.endswith("size")]
    assert any('"3XB"' in d.message for d in size_findings)
    assert edit.new_kept.schema_faults and edit.kept.schema_faults
    for position, (_, _, found) in edit.new_kept.schema_faults.pods.items():
        same = all(a is b for a, b in zip(found, edit.kept.schema_faults.pods[position][2], strict=True))
        assert same == (position != 4), position


def test_what_is_kept_of_another_schema_is_not_used() -> None:
    """A lint with another validator (a config event changed the schema) maps every fault again."""
    document, _ = load(MANY_PODS, "nexlayer.yaml")
    assert document is not None
    _, kept = Linter(Settings()).lint_keeping(MANY_PODS, "nexlayer.yaml", document, [])
    assert kept is not None and kept.schema_faults is not None
    other = kept._replace(schema_faults=kept.schema_faults._replace(validator=object()))
    text = MANY_PODS.replace("MODE: production", "MODE: productio", 1)
    fast = edited(document, text)
    assert fast is not None
    _, new_kept = Linter(Settings()).lint_keeping(text, "nexlayer.yaml", fast, [], earlier=other)
    assert _reused(new_kept, kept) == 0


def test_the_good_example_keeps_nothing_to_reuse_but_lints_the_same() -> None:
    text = (ROOT / "examples" / "good" / "nexlayer.yaml").read_text(encoding="utf-8")
    taken, _ = _chain(random.Random(5), text, 10)
    assert taken > 0


def test_a_pod_name_s_fault_sees_a_reference_an_edit_of_another_pod_adds() -> None:
    """The fix that renames a pod renames every reference to it: an edit in another pod that
    adds one changes that fix, so a pod name's faults are always mapped again."""
    text = (
        "application:\n  name: shop\n  pods:\n"
        "    - name: Web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        "    - name: api\n      image: api:2\n      servicePorts: [8080]\n"
        "      vars:\n        URL: http://other.pod:80\n"
    )
    result = _lint_edit(text, text.replace("http://other.pod:80", "http://Web.pod:80")).result
    (name_fault,) = [d for d in result.diagnostics if d.code == "NX104" and d.path == "application.pods[0].name"]
    assert name_fault.fix is not None and len(name_fault.fix.edits) == 2  # the name, and the URL's host


def test_a_reference_from_a_pod_left_alone_sees_the_edited_pod_s_ports() -> None:
    """NX209 reads the ports of the pod a reference names: the edited pod, a new object, though
    the referring pod's references are taken from the lint before."""
    text = (
        "application:\n  name: shop\n  pods:\n"
        "    - name: db\n      image: postgres:16\n      servicePorts:\n        - 5432\n"
        "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        "      vars:\n        DATABASE_URL: postgresql://db.pod:5432/app\n"
    )
    first, kept, result, new_kept = _lint_edit(text, text.replace("        - 5432\n", "        - 5433\n"))
    assert [d.code for d in first.diagnostics] == []
    assert [(d.code, d.path) for d in result.diagnostics] == [("NX209", "application.pods[1].vars.DATABASE_URL")]
    assert new_kept.app is not None and kept.app is not None
    assert new_kept.app.pods[1] is kept.app.pods[1]  # the pod left alone was not read again
    assert new_kept.app.references[0].target is new_kept.app.pods[0]


def test_a_finding_on_a_mapping_is_placed_again_when_an_edit_changes_its_first_line() -> None:
    """A mapping is shown by its first line's text: a finding about it ends where that line ends,
    which an edit of a value on the line moves, though the mapping's own place is unchanged."""
    text = (
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      command:\n        run: start\n        mode: fast\n"
    )
    edit = _lint_edit(text, text.replace("run: start", "run: started"))
    assert [(d.code, d.line, d.col, d.end_col) for d in edit.first.diagnostics] == [("NX103", 9, 9, 19)]
    assert [(d.code, d.line, d.col, d.end_col) for d in edit.result.diagnostics] == [("NX103", 9, 9, 21)]


def _bundled_with(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    schema = copy.deepcopy(load_bundled())
    change(schema)
    return schema


def _pods_of(schema: dict[str, Any]) -> dict[str, Any]:
    pods: dict[str, Any] = schema["$defs"]["application"]["properties"]["pods"]
    return pods


@pytest.mark.parametrize(
    ("change", "one_by_one"),
    [
        (lambda schema: None, True),  # the bundled schema
        (lambda schema: _pods_of(schema).update(maxItems=50), True),
        (lambda schema: _pods_of(schema).update(uniqueItems=True), False),  # pods compared with each other
        (lambda schema: _pods_of(schema).update(contains={"required": ["path"]}), False),
        (lambda schema: schema["$defs"]["application"].update(allOf=[{"required": ["url"]}]), False),
        (lambda schema: schema["properties"]["application"].update({"$ref": "#/$defs/nowhere"}), False),
        (
            lambda schema: schema["$defs"].update(
                a={"$ref": "#/$defs/b"}, b={"$ref": "#/$defs/a"}, application={"$ref": "#/$defs/a"}
            ),
            False,
        ),
        (lambda schema: schema["$defs"]["application"].update({"$id": "urn:elsewhere"}), False),
    ],
)
def test_which_schemas_judge_each_pod_by_itself(change: Callable[[dict[str, Any]], None], one_by_one: bool) -> None:
    assert pods_one_by_one(_bundled_with(change)) == one_by_one


def test_a_schema_that_compares_pods_lints_an_edit_as_from_the_start(tmp_path: Path) -> None:
    """With `uniqueItems` on pods, an edit that makes two pods equal is an error in neither pod's
    own errors: everything is validated again."""
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(_bundled_with(lambda schema: _pods_of(schema).update(uniqueItems=True))))
    settings = Settings(schema=str(schema_file))
    text = (
        "application:\n  name: shop\n  pods:\n"
        "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        "    - name: web\n      image: nginx:1.26\n      path: /\n      servicePorts: [80]\n"
    )
    edit = _lint_edit(text, text.replace("nginx:1.26", "nginx:1.27"), settings)
    repeated = '"pods" must not repeat an item'
    assert not any(repeated in d.message for d in edit.first.diagnostics)
    assert any(repeated in d.message for d in edit.result.diagnostics)


def test_an_edit_validates_only_the_pod_it_touched() -> None:
    _, kept, _, new_kept = _lint_edit(MANY_PODS, MANY_PODS.replace("MODE: production", "MODE: productio", 1))  # pod 0
    assert kept.schema_faults and new_kept.schema_faults
    before = {id(error) for error in kept.schema_faults.errors}
    again = [error for error in new_kept.schema_faults.errors if id(error) in before]
    assert again and all(tuple(error.absolute_path)[2] != 0 for error in again)
    assert len(again) == sum(tuple(error.absolute_path)[:3] != ("application", "pods", 0) for error in again)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("- name: db", "- name: dc"),  # `${db:5432}` no longer names a pod: a secret, not quoted
        ("name: shop", "name: shap"),  # `${shop-db:5432}` no longer names the pod `<app>-<pod>`
    ],
)
def test_a_renamed_pod_maps_every_pod_s_faults_again(tmp_path: Path, old: str, new: str) -> None:
    """Hunt 220 F1: a var value is a pod reference or a secret by the names of the pods and the
    app; a fault that quotes it in another pod was taken from before the rename, quoting a secret."""
    limited = _bundled_with(lambda schema: schema["$defs"]["varsMapping"]["additionalProperties"].update(maxLength=5))
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(limited))
    settings = Settings(schema=str(schema_file))
    text = (
        "application:\n  name: shop\n  pods:\n    - name: db\n      image: postgres:16\n      servicePorts: [5432]\n"
        "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        "      vars:\n        DB_PASSWORD: ${db:5432}\n        DB_PASSWORD_2: ${shop-db:5432}\n"
    )
    edit = _lint_edit(text, text.replace(old, new, 1), settings)
    assert any("${db:5432}" in d.message for d in edit.first.diagnostics)  # a pod reference: quoted
    quoted = "${db:5432}" if "dc" in new else "${shop-db:5432}"
    assert not any(quoted in d.message for d in edit.result.diagnostics)


def test_data_only_jsonschema_judges_is_validated_whole(tmp_path: Path) -> None:
    """Hunt 221 F1: a NaN under uniqueItems is data the generated code is not sure of, so a lint
    from the start gives the whole file to jsonschema, which gives up on another pod's data nested
    300 deep (NX105); validating the edited pod alone gave nothing."""

    def change(schema: dict[str, Any]) -> None:
        schema["$defs"]["tree"] = {"type": "object", "additionalProperties": {"$ref": "#/$defs/tree"}}
        schema["$defs"]["pod"]["properties"]["extra"] = {"$ref": "#/$defs/tree"}
        schema["$defs"]["pod"]["properties"]["weights"] = {"type": "array", "uniqueItems": True}

    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(_bundled_with(change)))
    settings = Settings(schema=str(schema_file))
    deep = "".join("        " + "  " * i + "a:\n" for i in range(300)) + "        " + "  " * 300 + "a: {}\n"
    text = (
        "application:\n  name: shop\n  pods:\n"
        "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        "      weights:\n        - 1\n        - 2\n"
        "    - name: api\n      image: nginx:1.27\n      servicePorts: [8080]\n      extra:\n" + deep
    )
    edit = _lint_edit(text, text.replace("        - 2\n", "        - .nan\n"), settings)
    assert edit.first.diagnostics == ()
    assert [d.code for d in edit.result.diagnostics] == ["NX105"]


@pytest.mark.parametrize(("old", "new"), [("MODE: ${x}", "MODE: $x}"), ("MODE: $x}", "MODE: ${x}")])
def test_an_edit_elsewhere_does_not_change_what_a_value_is(tmp_path: Path, old: str, new: str) -> None:
    """Hunt 222 F1: values were read for pod references only when the text held a `${`, and a
    value written with an escape holds one the text does not: an edit of another pod that added
    or removed the file's only `${` changed whether `\\x24{db:5432}` was a secret."""
    limited = _bundled_with(lambda schema: schema["$defs"]["varsMapping"]["additionalProperties"].update(maxLength=5))
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(limited))
    text = (
        "application:\n  name: shop\n  pods:\n    - name: db\n      image: postgres:16\n      servicePorts: [5432]\n"
        f"      vars:\n        {old}\n"
        "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
        '      vars:\n        DB_PASSWORD: "\\x24{db:5432}"\n'
    )
    edit = _lint_edit(text, text.replace(old, new), Settings(schema=str(schema_file)))
    for lint in (edit.first, edit.result):  # a reference to the pod db, quoted as such
        assert any('("${db:5432}")' in d.message for d in lint.diagnostics if "DB_PASSWORD" in d.message)
