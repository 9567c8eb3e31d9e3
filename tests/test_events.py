"""The one-call event constructors (nexlayer_lint/events.py) build the events ruamel's own build."""

from __future__ import annotations

import io

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.events import CollectionStartEvent, Event, ScalarEvent
from ruamel.yaml.main import CParser

from nexlayer_lint import events, loader
from tests.conftest import shared_dir
from tests.test_pure_parser import SAMPLES


def _value(value: object) -> object:
    if hasattr(value, "line") and hasattr(value, "column"):  # a Mark: compared by where it points
        return ("mark", value.index, value.line, value.column)
    return repr(value)


def _slots(event: Event) -> tuple:
    names = [name for cls in type(event).__mro__ for name in getattr(cls, "__slots__", ())]
    return type(event), tuple((name, _value(getattr(event, name, "<unset>"))) for name in names)


def _events(text: str, constructors: dict) -> list[tuple]:
    """Every event of `text` (libyaml's parser, else ruamel's own), built with `constructors`."""
    saved = {cls: cls.__dict__["__init__"] for cls in constructors}
    for cls, init in constructors.items():
        cls.__init__ = init
    try:
        if CParser is not None:
            parser = CParser(text)
            try:
                out = []
                while True:
                    event = parser.get_event()
                    out.append(_slots(event))
                    if type(event).__name__ == "StreamEndEvent":
                        return out
            finally:
                parser.dispose()
        return [_slots(event) for event in loader._pure_composer().parse(text)]
    except Exception as exc:  # noqa: BLE001 - a parse error must be the same error too
        return [(type(exc), str(exc))]
    finally:
        for cls, init in saved.items():
            cls.__init__ = init


def test_the_flat_constructors_are_installed_with_this_ruamel() -> None:
    # tests run against the ruamel.yaml that pyproject asks for: if this fails, ruamel's event
    # classes changed and events.py must be brought in line (or left out)
    assert ScalarEvent.__init__ is events.FLAT[ScalarEvent]
    assert CollectionStartEvent.__init__ is events.FLAT[CollectionStartEvent]


def test_every_corpus_event_has_the_same_slots_either_way() -> None:
    texts = [path.read_text("utf-8", errors="replace") for path in sorted(shared_dir("corpus", "real").glob("*.yaml"))]
    texts += list(SAMPLES.values())
    texts += ["a: !!str 1\nb: &x [1, {c: d}]\nc: *x\n? complex\n: 'q'\nd: \"dq\"\ne: |\n  lit\nf: >\n  fold\n",
              "%YAML 1.2\n%TAG !e! tag:example.com,2000:\n---\n!e!x {a: 1}\n...\n", "a: [1, 2\n", "- a\n b: c\n"]
    count = 0
    for text in texts:
        flat = _events(text, events.FLAT)
        assert flat == _events(text, events.ORIGINAL), text[:200]
        count += len(flat)
    assert count > 10_000


def test_keyword_and_default_arguments_give_the_same_events() -> None:
    # ruamel's own Python parser and serializer call these with keywords and leave defaults out
    calls = [
        (ScalarEvent, ("a", None, (True, False), "v"), {}),
        (ScalarEvent, ("a", "!t", (False, False), "v", 1, 2), {"style": "'", "comment": [None, ["# c"]]}),
        (ScalarEvent, (None, None, (True, True), ""), {"comment": events.CommentCheck}),
        (CollectionStartEvent, ("a", "!t", True), {"flow_style": True, "nr_items": 3}),
        (CollectionStartEvent, (None, None, False, 1, 2), {"comment": events.CommentCheck}),
    ]
    for cls, args, kwargs in calls:
        built = []
        for init in (events.ORIGINAL[cls], events.FLAT[cls]):
            event = cls.__new__(cls)
            init(event, *args, **kwargs)
            built.append(_slots(event))
        assert built[0] == built[1], (cls, args, kwargs)


def test_another_ruamel_keeps_its_own_constructors(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed(self, anchor, tag, implicit, value, start_mark=None, end_mark=None, style=None, comment=None):  # noqa: ANN001
        events.ORIGINAL[ScalarEvent](self, anchor, tag, implicit, value, start_mark, end_mark, style, comment)
        self.value = value.strip()  # a constructor that does something else: not ours to replace

    for cls in events.FLAT:
        monkeypatch.setattr(cls, "__init__", events.ORIGINAL[cls])
    assert events.replaceable()
    monkeypatch.setattr(ScalarEvent, "__init__", changed)
    assert not events.replaceable()
    assert events.flatten() is False
    assert ScalarEvent.__init__ is changed and CollectionStartEvent.__init__ is events.ORIGINAL[CollectionStartEvent]


def test_libyamls_emitter_still_takes_ruamels_events() -> None:
    # the classes are the same objects, so the C emitter's `is` checks still match
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=False)
    yaml.dump({"application": {"pods": [{"name": "web", "servicePorts": [80]}]}}, out)
    assert out.getvalue() == "application:\n  pods:\n  - name: web\n    servicePorts: [80]\n"
