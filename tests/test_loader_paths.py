"""The loader's two ways to a Document agree: straight from parser events (every plain tree) and
through the composed node graph (the general way, kept for anchors, aliases and merge keys)."""

from __future__ import annotations

import random

import pytest

from nexlayer_lint import loader
from tests.conftest import shared_dir
from tests.test_pure_parser import SAMPLES


def _by_events(text: str) -> tuple | None:
    built = loader._from_events(text)
    if built is None:
        return None
    data, positions, string_spans, problems = built
    if data is loader._EMPTY:
        return None, [], problems + [loader._empty()]
    comments = tuple(loader._directive_comments(text, string_spans))
    return repr(data), list(positions.items()), list(comments), problems


def _composed(text: str) -> tuple:
    doc, problems = loader._load_composed(text, "nexlayer.yaml")
    if doc is None:
        return None, [], problems
    return repr(doc.data), list(doc.positions.items()), list(doc.comments), problems


def _agree(text: str) -> bool:
    """True when the event path took the text (and then agreed), False when it left it to the composer."""
    try:
        fast = _by_events(text)
    except Exception:  # a parse error: load() reports it as the composer would have
        composed = _composed(text)
        assert composed[0] is None, text
        assert loader.load(text, "nexlayer.yaml") == (None, composed[2]), text
        return True
    if fast is None:
        return False
    assert fast == _composed(text), text
    data_only = loader._from_events(text, positions=False)  # what load() builds first
    assert data_only is not None and (repr(data_only[0]) if data_only[0] is not loader._EMPTY else None) == fast[0]
    assert list(data_only[3]) + ([loader._empty()] if data_only[0] is loader._EMPTY else []) == fast[-1], text
    return True


@pytest.mark.parametrize("name", [name for name in SAMPLES if "anchor" not in name])
def test_samples_take_the_event_path_and_agree(name: str) -> None:
    assert _agree(SAMPLES[name])


def test_anchors_aliases_merges_and_odd_keys_go_to_the_composer() -> None:
    for text in (SAMPLES["anchors and merges"], "a: &x 1\nb: *x\n", "<<: {a: 1}\n", "? [a, b]\n: 1\n",
                 "!!str a: 1\n", "a: &x\n  b: 1\n"):
        assert loader._from_events(text) is None, text
        doc, problems = loader.load(text, "nexlayer.yaml")
        # the composer expands what it can; a list as a key is its NX001
        assert doc is not None or [p.code for p in problems] == ["NX001"], text


def test_empty_null_and_multi_document_files() -> None:
    for text in ("", "# only a comment\n", "~\n", "---\n", "null\n", "---\n~\n---\na: 1\n", "a: 1\n---\nb: 2\n",
                 "'~'\n", "!!null ''\n", "a:\n", "- \n- b\n", "key: !!int 12\nother: ! 12\n", "a: [1, {b: c}]\n"):
        _agree(text)


def test_every_corpus_file_and_its_mutations_agree() -> None:
    files = sorted(shared_dir("corpus", "real").glob("*.yaml"))
    assert files
    rng = random.Random(20261128)
    took = total = 0
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\x00", "")
        assert _agree(text) or "&" in text or "<<" in text, path.name
        lines = text.split("\n")
        for k in range(8):  # cut, doubled, shifted, swapped and garbled lines: errors and odd trees
            mutated = list(lines)
            i = rng.randrange(len(mutated))
            op = k % 4
            if op == 0:
                del mutated[i]
            elif op == 1:
                mutated.insert(i, mutated[i])
            elif op == 2:
                mutated[i] = " " + mutated[i]
            elif mutated[i]:
                p = rng.randrange(len(mutated[i]))
                mutated[i] = mutated[i][:p] + rng.choice(":-[]{}\"'&*!|>#, ?") + mutated[i][p + 1:]
            took += _agree("\n".join(mutated))
            total += 1
    assert took > total * 0.9  # the fast path really is the common one


def test_positions_are_built_when_first_asked_and_equal_an_eager_build() -> None:
    text = SAMPLES["three pods"]
    doc, problems = loader.load(text, "nexlayer.yaml")
    assert isinstance(doc.positions, loader._LazyPositions) and doc.positions._built is None
    eager = loader._from_events(text, positions=True)
    assert doc.data == eager[0] and problems == eager[3]
    assert list(doc.positions.items()) == list(eager[1].items())  # asking builds them, in pre-order
    assert doc.positions._built is not None
    assert doc.positions == eager[1] and ("application",) in doc.positions and len(doc.positions) == len(eager[1])
    assert doc.locate(("application", "pods", 0, "name")).line == eager[1][("application", "pods", 0, "name")].value.line


def test_data_only_build_defers_to_the_full_one_for_duplicates_and_directives() -> None:
    # NX002 names the first key's line, which the data-only build does not keep
    doc, problems = loader.load("a: 1\nb: yes\na: 2\n", "nexlayer.yaml")
    assert [(p.code, p.span.line) for p in problems] == [("NX005", 2), ("NX002", 3)]
    assert "line 1" in problems[1].message and doc.data == {"a": 2, "b": "yes"}
    # a directive needs the string spans to tell a comment from a `#` in a string
    doc, _ = loader.load("a: '# nexlayer-lint: disable=NX002'\nb: 1  # nexlayer-lint: disable=NX005\n", "x")
    assert isinstance(doc.positions, dict) and [c.line for c in doc.comments] == [2]


def test_data_only_and_full_builds_agree_on_the_corpus() -> None:
    for path in sorted(shared_dir("corpus", "real").glob("*.yaml")):
        text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\x00", "")
        try:
            fast = loader._from_events(text, positions=False)
        except Exception:  # noqa: BLE001 - a parse error: the full build must raise it too
            with pytest.raises(Exception):  # noqa: B017
                loader._from_events(text, positions=True)
            continue
        full = loader._from_events(text, positions=True)
        assert (fast is None) == (full is None), path.name
        if fast is not None:
            assert (repr(fast[0]), fast[3]) == (repr(full[0]), full[3]), path.name


def test_the_decimal_shortcut_reads_numbers_as_the_resolver_does() -> None:
    # ports and counts skip the rule table; the composed path resolves them the long way
    for value in ("0", "7", "80", "3000", "65535", "123456789012345678", "1234567890123456789", "9" * 5000,
                  "0755", "00", "1_000", "१२", "²", "12:30", "1e3"):
        text = f"a: {value}\nb:\n  - {value}\n"
        fast, fast_problems = loader.load(text, "nexlayer.yaml")
        slow, slow_problems = loader._load_composed(text, "nexlayer.yaml")
        assert fast is not None and slow is not None, value
        assert repr(fast.data) == repr(slow.data) and fast_problems == slow_problems, value
