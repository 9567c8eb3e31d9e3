"""ruamel.yaml's scalar and collection-start events, built in one Python call instead of three.

libyaml's parser (ruamel.yaml.clib) makes every event by calling ruamel's Python event class.
A ScalarEvent's `__init__` calls NodeEvent's, which calls Event's: three Python frames for each
value of each file, about an eighth of loading one (benchmarks/README.md). `flatten()` gives
ScalarEvent and CollectionStartEvent an `__init__` that sets the same slots to the same values in
one frame. The classes stay the same classes, so identity checks (libyaml's emitter compares
event classes with `is`), isinstance, repr and every other user of ruamel.yaml in the process see
no difference, except that building events is quicker.

It is done only when the ruamel.yaml in use has exactly the constructors this one replaces: the
same parameters, defaults, slots and names used. Any other version keeps its own constructors
(correct, only slower). tests/test_events.py builds every event of the corpus both ways and
compares every slot.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import events
from ruamel.yaml.events import CollectionStartEvent, CommentCheck, Event, NodeEvent, ScalarEvent

# What ruamel.yaml 0.19 has, per class: __init__'s parameters, its defaults (CommentCheck
# by name), the names its code uses, and the class's own slots.
_EXPECTED: dict[type, tuple[tuple[str, ...], tuple[Any, ...], tuple[str, ...], tuple[str, ...]]] = {
    Event: (("self", "start_mark", "end_mark", "comment"), (None, None, "CommentCheck"),
            ("start_mark", "end_mark", "CommentCheck", "comment"), ("start_mark", "end_mark", "comment")),
    NodeEvent: (("self", "anchor", "start_mark", "end_mark", "comment"), (None, None, None),
                ("Event", "__init__", "anchor"), ("anchor",)),
    ScalarEvent: (("self", "anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style", "comment"),
                  (None, None, None, None), ("NodeEvent", "__init__", "ctag", "implicit", "value", "style"),
                  ("ctag", "implicit", "value", "style")),
    CollectionStartEvent: (("self", "anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style", "comment",
                            "nr_items"), (None, None, None, None, None),
                           ("NodeEvent", "__init__", "ctag", "implicit", "flow_style", "nr_items"),
                           ("ctag", "implicit", "flow_style", "nr_items")),
}
ORIGINAL = {cls: cls.__dict__["__init__"] for cls in (ScalarEvent, CollectionStartEvent)}


def _shape(cls: type) -> tuple[tuple[str, ...], tuple[Any, ...], tuple[str, ...], tuple[str, ...]]:
    init = cls.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    if code is None:
        return (), (), (), ()
    defaults = tuple("CommentCheck" if value is CommentCheck else value for value in init.__defaults__ or ())
    slots = cls.__dict__.get("__slots__", ())
    return (code.co_varnames[:code.co_argcount], defaults, code.co_names,
            (slots,) if isinstance(slots, str) else tuple(slots))


def replaceable() -> bool:
    """Whether this ruamel.yaml's event constructors are the ones the flat ones stand for."""
    return all(_shape(cls) == expected for cls, expected in _EXPECTED.items()) \
        and getattr(events, "CommentCheck", None) is CommentCheck


def _scalar_init(self: Any, anchor: Any, tag: Any, implicit: Any, value: Any, start_mark: Any = None,
                 end_mark: Any = None, style: Any = None, comment: Any = None) -> None:
    # Event.__init__, then NodeEvent.__init__, then ScalarEvent.__init__'s own lines
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = None if comment is CommentCheck else comment
    self.anchor = anchor
    self.ctag = tag
    self.implicit = implicit
    self.value = value
    self.style = style


def _collection_start_init(self: Any, anchor: Any, tag: Any, implicit: Any, start_mark: Any = None,
                           end_mark: Any = None, flow_style: Any = None, comment: Any = None,
                           nr_items: Any = None) -> None:
    # Event.__init__, then NodeEvent.__init__, then CollectionStartEvent.__init__'s own lines
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = None if comment is CommentCheck else comment
    self.anchor = anchor
    self.ctag = tag
    self.implicit = implicit
    self.flow_style = flow_style
    self.nr_items = nr_items


FLAT = {ScalarEvent: _scalar_init, CollectionStartEvent: _collection_start_init}


def flatten() -> bool:
    """Install the one-call constructors if this ruamel.yaml is the expected one; True if installed."""
    if all(cls.__dict__["__init__"] is init for cls, init in FLAT.items()):
        return True
    if not replaceable():
        return False
    for cls, init in FLAT.items():
        cls.__init__ = init  # type: ignore[misc]
    return True
