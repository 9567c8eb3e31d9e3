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
