"""Without ruamel.yaml.clib the pure-Python parser gives the same Document: data, spans, comments."""

from __future__ import annotations

import pytest

from nexlayer_lint import builder
from nexlayer_lint.loader import load
from tests.conftest import ROOT, lint_codes, shared_dir

pytestmark = pytest.mark.skipif(
    builder.CParser is None, reason="ruamel.yaml.clib is not installed: only the pure parser is there to test"
)

SAMPLES = {
    "three pods": (ROOT / "examples" / "good" / "nexlayer.yaml").read_text(encoding="utf-8"),
    # no final line break: libyaml ends the open blocks on a virtual next line
    "no final newline": "application:\n  name: shop\n  pods:\n    - name: web\n      servicePorts:\n        - 80",
    "trailing blanks, no newline": "application:\n  pods:\n    - name: web\n      servicePorts:\n        - 80\n  ",
    "flow, quotes, blocks": (
        "application:\n  name: \"shop\"\n  pods: [{name: web, image: 'nginx:1', servicePorts: [80, 443]}]\n"
        "  url: |\n    shop.example.com\n  x: >-\n    folded\n    text\n"
    ),
    "anchors and merges": "base: &b {image: x, path: /}\napplication:\n  pods:\n    - <<: *b\n      name: web\n",
    "yaml 1.1 traps": "a: yes\nb: 010\nc: 1:20\nd: 0o17\ne: 0x1F\nf: .inf\ng: ~\nh: 1_000\ni: 2024-01-01\n",
    "a %YAML 1.1 directive is still read as 1.2": "%YAML 1.1\n---\na: yes\nb: 010\n",
    "duplicate keys and a directive comment": "a: 1\na: 2  # nexlayer-lint: disable=NX002\nb: '# not a comment'\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "crlf": "application:\r\n  name: shop\r\n  pods:\r\n    - name: web\r\n",
}


def _pure(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the builder does when `from ruamel.yaml.main import CParser` gives None (no clib).
    monkeypatch.setattr(builder, "CParser", None)


def _both(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[tuple, tuple]:
    fast = load(text, "nexlayer.yaml")
    with monkeypatch.context() as patch:
        _pure(patch)
        slow = load(text, "nexlayer.yaml")
    return fast, slow


@pytest.mark.parametrize("name", list(SAMPLES))
def test_pure_parser_gives_the_same_document(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    (fast_doc, fast_problems), (pure_doc, pure_problems) = _both(monkeypatch, SAMPLES[name])
    assert fast_doc is not None and pure_doc is not None
    assert pure_doc.data == fast_doc.data
    assert pure_doc.positions == fast_doc.positions
    assert pure_doc.comments == fast_doc.comments
    assert pure_doc.plain_scalars == fast_doc.plain_scalars
    assert pure_doc.plain_keys == fast_doc.plain_keys
    assert pure_problems == fast_problems


def test_the_samples_exercise_what_they_say(monkeypatch: pytest.MonkeyPatch) -> None:
    _pure(monkeypatch)
    doc, _ = load(SAMPLES["no final newline"], "nexlayer.yaml")
    # the list ends at the start of line 7, which the file does not even have (as with libyaml)
    assert doc.positions[("application", "pods", 0, "servicePorts")].value.end_line == 7
    doc, problems = load(SAMPLES["a %YAML 1.1 directive is still read as 1.2"], "nexlayer.yaml")
    assert doc.data == {"a": "yes", "b": 10} and problems == []
    assert [text for _, _, text, _ in doc.plain_scalars] == ["yes", "010"]
    doc, problems = load(SAMPLES["two documents"], "nexlayer.yaml")
    assert doc.data == {"a": 1} and [p.code for p in problems] == ["NX003"]


def test_pure_parser_finds_the_same_syntax_errors_at_the_same_place(monkeypatch: pytest.MonkeyPatch) -> None:
    # libyaml and ruamel word some errors differently; the place and the code must agree
    for text in ("a: [1, 2\n", "a: 'open\n", "a:\n\tb: 1\n", "a: b: c\n", "- a\nb: 1\n"):
        (fast_doc, fast), (pure_doc, pure) = _both(monkeypatch, text)
        assert fast_doc is None and pure_doc is None
        assert [(p.code, p.span) for p in pure] == [(p.code, p.span) for p in fast], text


def test_pure_parser_on_the_real_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(shared_dir("corpus", "real").glob("*.yaml"))
    assert files
    for path in files:
        raw = path.read_bytes()
        (fast_doc, fast), (pure_doc, pure) = _both(monkeypatch, raw)  # type: ignore[arg-type]
        assert (pure_doc is None) == (fast_doc is None), path.name
        if fast_doc is not None:
            assert (
                pure_doc.data,
                pure_doc.positions,
                pure_doc.comments,
                pure_doc.plain_scalars,
                pure_doc.plain_keys,
            ) == (
                fast_doc.data,
                fast_doc.positions,
                fast_doc.comments,
                fast_doc.plain_scalars,
                fast_doc.plain_keys,
            ), path.name
        assert [(p.code, p.span) for p in pure] == [(p.code, p.span) for p in fast], path.name


def test_lint_results_agree_without_the_c_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = SAMPLES["three pods"].replace("servicePorts: [3000]", "servicePorts: [3000, 3000]") + "  extra: yes\n"
    fast = lint_codes(text)
    _pure(monkeypatch)
    assert lint_codes(text) == fast
    assert fast  # the edit above must give findings, or this compares nothing
