"""The loader held to an independent oracle: ruamel.yaml's own safe loader (YAML 1.2, libyaml's
composer) for the data, and the marks of its composed nodes for the positions, on every corpus
file, its mutations and the snapshot's generated files."""

from __future__ import annotations

import datetime
import math
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nexlayer_lint import loader
from nexlayer_lint.model import Document, Span
from tests.conftest import shared_dir
from tests.snapshot import generated_documents
from tests.test_pure_parser import SAMPLES

_yaml = YAML(typ="safe", pure=False)
_yaml.allow_duplicate_keys = True  # the loader reports them (NX002); the oracle must not stop there
_pure = YAML(typ="safe", pure=True)
_pure.allow_duplicate_keys = True
_MERGE = "tag:yaml.org,2002:merge"
_REFUSALS = (
    "a mapping key must be a plain value",
    "recursive alias",
    "alias bomb",
    "nesting is deeper",
    "a merge key",
    "a key tagged !!null",  # null, whatever its text: the oracle keeps None as a key
    "reads only %YAML 1.1",  # Go's parsers (`nexlayer deploy`) refuse other versions
)


def _refuses_a_text_colon(text: str) -> bool:
    """Whether libyaml 0.1.7 (ruamel.yaml.clib's) refuses `text` for a ":" or "?" in a plain
    value inside [ ] or { }, which YAML 1.2 and libyaml 0.2 may read as text (`[nginx:1.27]`,
    `{U: x/search?q=1}`)."""
    try:
        for _ in _yaml.parse(text):
            pass
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        return exc.problem == "found unexpected ':'" or (
            str(exc.problem).startswith("did not find expected ','")
            and mark is not None
            and text[mark.index : mark.index + 1] == "?"
        )
    except YAMLError:
        pass
    return False


def _agree_past_a_text_colon(text: str, doc: Document | None, codes: list[str]) -> str:
    """Such a file held to libyaml 0.2 (PyYAML's) for its verdict, and to ruamel's own parser
    (YAML 1.2) for its data where that parser reads it too."""
    try:
        for _ in pyyaml.parse(text, Loader=pyyaml.CSafeLoader):
            pass
    except pyyaml.YAMLError:
        assert doc is None and codes[-1] == "NX001", (text, codes)
        return "both refuse"
    if doc is None:
        return "loader refuses"  # the limits, an alias bomb: as for any file
    try:
        theirs = _first(_pure.load_all(text))
    except (YAMLError, ValueError, TypeError):
        return "skipped"  # ruamel's own parser refuses what libyaml reads (a tab before a key's `:`)
    if "NX002" in codes or "%YAML 1.1" in text:
        return "skipped"
    try:
        _same(doc.data, theirs)
    except _Skip:
        return "skipped"
    return "agree, data only"


class _Skip(Exception):
    """The oracle means something the loader deliberately does not (see _same)."""


def _first(documents: Iterator[Any]) -> Any:
    for document in documents:
        return document
    return None


def _same(ours: Any, theirs: Any) -> None:
    """JSON-shaped data against what ruamel constructs. Where the two differ on purpose (dates
    stay text, keys stay as written, a quoted value with a custom tag is text) it raises _Skip."""
    if isinstance(theirs, (datetime.date, datetime.datetime)):
        assert isinstance(ours, str)
        return
    if isinstance(theirs, dict):
        assert isinstance(ours, dict)
        if not all(isinstance(key, str) for key in theirs):
            raise _Skip  # `80: x` is the key "80" here, 80 there
        assert sorted(ours) == sorted(theirs)
        for key, value in theirs.items():
            _same(ours[key], value)
        return
    if isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs)
        for mine, value in zip(ours, theirs, strict=True):
            _same(mine, value)
        return
    if isinstance(theirs, float) and math.isnan(theirs):
        assert isinstance(ours, float) and math.isnan(ours)
        return
    if not isinstance(theirs, (str, int, float, bool, type(None))):
        raise _Skip  # !!binary, !!set, !!omap: constructed types the loader keeps as written
    core = isinstance(ours, str) and isinstance(theirs, (int, float)) and not isinstance(theirs, bool)
    if core and ("_" in ours or ours.lstrip("+-").startswith("0b")):
        return  # `1_000`, `0b1010`: numbers ruamel's table adds to YAML 1.2's core schema (scalars.py)
    if isinstance(ours, float) and isinstance(theirs, str) and re.fullmatch(r"[-+]?\.[0-9]+[eE][0-9]+", theirs):
        return  # `.5e1`: a float in YAML 1.2's core schema that ruamel's table leaves out (scalars.py)
    if isinstance(ours, str) and not isinstance(theirs, str):
        raise _Skip  # `!custom "12"` that their constructor reads otherwise: a quoted value is text here
    assert type(ours) is type(theirs) and ours == theirs, (ours, theirs)


def _span(node: Node) -> Span:
    return Span(node.start_mark.line + 1, node.start_mark.column + 1, node.end_mark.line + 1, node.end_mark.column + 1)


def _positions_agree(doc: Document, node: Node, path: tuple, depth: int = 0) -> int:
    """Every value's span (and its key's) is its node's marks; returns how many were compared.
    Mappings with merge keys and repeated keys are left out: their values come from elsewhere."""
    located = doc.positions[path]
    if not (isinstance(node, ScalarNode) and not node.style and not node.value and located.key is not None):
        assert located.value == _span(node), (path, located)  # `key:` with nothing after: after the colon
    compared = 1
    if depth > 50:  # enough to hold every real file; an alias may repeat a subtree many times
        return compared
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            compared += _positions_agree(doc, item, path + (index,), depth + 1)
    elif isinstance(node, MappingNode):
        names = [key.value for key, _ in node.value]
        if any(key.tag == _MERGE for key, _ in node.value) or len(set(names)) < len(names):
            return compared
        for key, value in node.value:
            assert doc.positions[path + (key.value,)].key == _span(key), path + (key.value,)
            compared += _positions_agree(doc, value, path + (key.value,), depth + 1)
    return compared


def _agree(text: str) -> str:
    """Hold one text's Document to the oracle; says which way it went, for the counts."""
    doc, problems = loader.load(text, "nexlayer.yaml")
    codes = [p.code for p in problems]
    if _refuses_a_text_colon(text):
        return _agree_past_a_text_colon(text, doc, codes)
    try:
        theirs = _first(_yaml.load_all(text))
    except ConstructorError:
        return "tags"  # a tag the safe constructor refuses: the loader keeps the plain data
    except (YAMLError, ValueError, TypeError, RecursionError) as error:  # TypeError: a mapping inside a key
        if "found duplicate anchor" in str(error):  # an anchor's name given again: Go's yaml.v3 takes it
            assert doc is not None and "NX001" not in codes, (text, problems)
            return "anchor reused"
        assert doc is None and codes[-1] == "NX001", (text, problems)
        return "both refuse"
    if doc is None:
        if theirs is None:
            assert codes[-1] == "NX004", problems
            return "empty"
        if _error_after_first_document(text):
            return "both refuse"  # the loader reads one event past its document, to see a second one
        assert codes[-1] == "NX001" and any(part in problems[-1].message for part in _REFUSALS), problems
        return "loader refuses"
    if "NX002" in codes:
        return "repeated key"  # the last value wins here, the first there
    if "%YAML 1.1" in text:
        return "skipped"  # 1.1 rules there
    try:
        _same(doc.data, theirs)
    except _Skip:
        return "skipped"
    node = _first(_yaml.compose_all(text))
    merged_or_aliased = "<<" in text or "*" in text
    agreed = _positions_agree(doc, node, ())
    assert agreed == len({path for path in doc.positions if "<<" not in path}) or merged_or_aliased, text
    return "agree"


def _error_after_first_document(text: str) -> bool:
    events = _yaml.parse(text)
    try:
        for event in events:
            if type(event).__name__ == "DocumentEndEvent":
                next(events, None)
                return False
    except YAMLError:
        return True
    return False


def _mutations(text: str, rng: random.Random, count: int) -> Iterator[str]:
    """Cut, doubled, shifted and garbled lines: syntax errors, odd trees, anchors and aliases."""
    lines = text.split("\n")
    for k in range(count):
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
            mutated[i] = mutated[i][:p] + rng.choice(":-[]{}\"'&*!|>#, ?") + mutated[i][p + 1 :]
        yield "\n".join(mutated)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_samples_agree(name: str) -> None:
    # the oracle reads a %YAML 1.1 document by 1.1 rules, and keeps a repeated key's first value
    expected = {
        "a %YAML 1.1 directive is still read as 1.2": "skipped",
        "duplicate keys and a directive comment": "repeated key",
    }
    assert _agree(SAMPLES[name]) == expected.get(name, "agree")


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("base: &b {image: x, path: /}\npods:\n  - <<: *b\n    path: /api\n", "agree"),
        ("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*b, *a]\n  w: 5\n", "agree"),
        ("a: &a [1, {b: &s text}]\nc: *a\nd: [*a, *s, *a]\n", "agree"),
        ("x: &k name\n*k : y\n", "agree"),
        ("m:\n  v: 1\n  <<: {v: 2, w: 3}\n", "agree"),
        ("a: !!float 1\nc: !!str 5\nd: !!null x\n", "agree"),
        ("a: [yes, 0755, 0x1F, 0o17, 1_000, 1.5e3, .inf, -.INF, .nan, ~, null, true, False, 2024-01-01]\n", "agree"),
        ("a: 1\n---\nb: 2\n", "agree"),
        ("", "empty"),
        ("~\n", "empty"),
        ("---\n", "empty"),
        ("a: *nothing\n", "both refuse"),
        ("a: &x 1\nb: &x 2\n", "anchor reused"),  # hunt 155 F1
        ("a: b: c\n", "both refuse"),
        ("? [a]\n: 1\n", "loader refuses"),
        ("a: &a [*a]\n", "loader refuses"),
        ("a: !!int '12'\n", "agree"),  # a core tag makes a quoted value what it names, as there
        ("a: ! 7\n", "skipped"),  # the non-specific tag makes text (YAML 1.2, 3.3.2); ruamel reads 7
        ("80: x\n", "skipped"),  # the key "80" here, 80 there
    ],
)
def test_anchors_merges_tags_and_odd_files(text: str, outcome: str) -> None:
    assert _agree(text) == outcome


def test_every_corpus_file_and_its_mutations_agree() -> None:
    files = sorted(shared_dir("corpus", "real").glob("*.y*ml"))
    assert files
    rng = random.Random(20261203)
    outcomes: dict[str, int] = {}
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\x00", "")
        for variant in (text, *_mutations(text, rng, 8)):
            outcome = _agree(variant)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # most of them are really compared (a doubled line repeats a key), and syntax errors happen
    assert outcomes["agree"] > 0.5 * sum(outcomes.values()) and outcomes.get("skipped", 0) < 50, outcomes
    assert outcomes["both refuse"] > 100, outcomes


def test_generated_files_agree() -> None:
    outcomes: dict[str, int] = {}
    for _, text in generated_documents():
        outcome = _agree(text)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes["agree"] > 300 and outcomes["both refuse"] > 300, outcomes
