"""YAML text -> Document: JSON-shaped data and the span of every key and value, in one walk.

ruamel.yaml parses (with libyaml's C parser when ruamel.yaml.clib is there, else the identical
pure-Python one); nothing is ever constructed, so tags are never executed. A plain tree (every
real nexlayer.yaml) is built straight from the parser's events: data, the position map and the
loader's problems (duplicate keys, YAML 1.1 traps) in one pass. A file with anchors, aliases,
merge keys or complex keys is composed into ruamel's node graph instead, which is then walked
the same way with the aliases expanded. Scalars are resolved as YAML 1.2.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent,
)
from ruamel.yaml.main import CParser  # libyaml's parser and composer, or None without ruamel.yaml.clib
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.scanner import Scanner
from ruamel.yaml.tag import Tag

from nexlayer_lint import events
from nexlayer_lint.model import Comment, DataPath, Document, Located, Problem, Span, new_tuple

events.flatten()  # one Python call per event instead of three: the same events, sooner

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 500
# Nodes that aliases may add on top of the file's own: far above any real file, far below harm.
MAX_ALIAS_EXPANSION = 100_000
DIRECTIVE = "nexlayer-lint:"

_TAG = "tag:yaml.org,2002:"
_MERGE = _TAG + "merge"
_LONG_SPACES = re.compile(r" {8,}")
_YAML11_BOOL = re.compile(r"(?i:y|n|yes|no|on|off)")
_YAML11_OCTAL = re.compile(r"[-+]?0[0-9_]+")
_YAML11_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")

_yaml: YAML | None = None
_pure_yaml: YAML | None = None


def _composer() -> YAML:
    global _yaml
    if _yaml is None:
        # typ="safe" picks libyaml's CParser when ruamel.yaml.clib is installed; pure=False is
        # the default but said here because speed depends on it (see benchmarks/).
        _yaml = YAML(typ="safe", pure=False)
        _yaml.Resolver = _Resolver12
    return _yaml


def _tag(name: str) -> Tag:
    tag = Tag(suffix=name)
    str(tag)  # computes and caches the decoded text, so nodes sharing this Tag never redo it
    return tag


def _resolver_table() -> tuple[dict[str, tuple[tuple[Tag, Any], ...]], tuple[tuple[Tag, Any], ...]]:
    """ruamel's YAML 1.2 implicit rules by first character, in ruamel's order; any-first rules last."""
    by_first: dict[Any, list[tuple[Tag, Any]]] = {}
    for versions, name, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            rule = (_tag(name), regexp.match)  # one Tag per rule, shared by its first characters
            for char in first or [None]:
                by_first.setdefault(char, []).append(rule)
    anywhere = tuple(by_first.pop(None, ()))
    return {char: (*rules, *anywhere) for char, rules in by_first.items()}, anywhere


class _Resolver12(VersionedResolver):
    """ruamel's resolver, always YAML 1.2, with its rule table built once instead of per scalar.

    ruamel's own looks the version up (a property that raises and catches) for every scalar and
    makes a fresh Tag each time: half of composing a typical file. The rules and their order are
    ruamel's. Pinning 1.2 also makes the pure parser agree with the C one, which already ignores
    a `%YAML 1.1` directive.
    """

    _BY_FIRST, _ANYWHERE = _resolver_table()
    _STR, _SEQ, _MAP = _tag(_TAG + "str"), _tag(_TAG + "seq"), _tag(_TAG + "map")

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, match in self._BY_FIRST.get(value[:1], self._ANYWHERE):
                    if match(value):
                        return tag
            return self._STR
        return self._SEQ if kind is SequenceNode else self._MAP

    @property
    def processing_version(self) -> Any:
        return (1, 2)


# The same rules with plain-text tags, for scalars read from events (_scalar_tag).
_RULES_BY_FIRST = {char: tuple((str(tag), match) for tag, match in rules)
                   for char, rules in _Resolver12._BY_FIRST.items()}
_RULES_ANYWHERE = tuple((str(tag), match) for tag, match in _Resolver12._ANYWHERE)
_STR, _NULL, _BOOL, _INT, _FLOAT = (_TAG + name for name in ("str", "null", "bool", "int", "float"))
_PLACEHOLDER = Located(None, Span(1, 1, 1, 1))  # holds a collection's place in pre-order until its end
# The first characters of the plain scalars that a YAML 1.1 trap (NX005) can match.
_YAML11_FIRST = frozenset("yYnNoO0123456789+-")
assert not _RULES_ANYWHERE, "the builder's shortcut for text needs every YAML 1.2 rule to have first characters"


if CParser is not None:
    class _CLoader(CParser, _Resolver12):  # type: ignore[misc, valid-type]
        """libyaml composing with our resolver; built once, unlike ruamel's per-call loader class."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver12.__init__(self, loadumper=self)
else:  # pragma: no cover - exercised by tests that hide the C extension
    _CLoader = None  # type: ignore[assignment, misc]


class _PureScanner(Scanner):
    """ruamel's pure-Python scanner, ending the stream where libyaml does."""

    def fetch_stream_end(self) -> None:
        # libyaml forces a new line at the end of the stream before closing the open blocks, so
        # in a file without a final line break they end at the start of the next line.
        reader = self.reader
        if reader.column != 0:
            reader.line += 1
            reader.column = 0
        super().fetch_stream_end()


def _pure_composer() -> YAML:
    global _pure_yaml
    if _pure_yaml is None:
        _pure_yaml = YAML(typ="safe", pure=True)
        _pure_yaml.Resolver = _Resolver12
        _pure_yaml.Scanner = _PureScanner
    return _pure_yaml


def _compose_first(text: str, single: bool) -> Node | None:
    """The file's one document (`single`: more than one is an error), or the first of several."""
    if _CLoader is None:
        yaml = _pure_composer()
        if single:
            return yaml.compose(text)
        for node in yaml.compose_all(text):
            return node
        return None
    loader = _CLoader(text)
    try:
        if single:
            return loader.get_single_node()
        return loader.get_node() if loader.check_node() else None
    finally:
        loader.dispose()


class _Abort(Exception):
    """The document cannot be turned into data; carries the NX001 problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """Bytes -> text. UTF-8 with or without BOM; UTF-16/32 only when a BOM says so."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), None
            except UnicodeDecodeError as exc:
                return None, _syntax(f"invalid {codec.upper()} text ({exc.reason})", Span(1, 1, 1, 1))
    nul = raw.find(b"\x00")
    if nul >= 0:  # checked before decoding, so a binary file is called binary, not "invalid UTF-8"
        before = raw[:nul].decode("utf-8-sig", errors="replace")
        return None, _syntax("the file contains a NUL byte; it looks binary, not YAML", _span_at(before, len(before)))
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        return None, _syntax(
            f"invalid UTF-8: byte 0x{raw[exc.start]:02x} cannot start a character here",
            Span(line, col, line, col + 1),
            "nexlayer.yaml must be UTF-8; re-save the file as UTF-8",
        )


def load(source: str | bytes, path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Document | None, list[Problem]]:
    """Parse `source`; return the Document (None when there is nothing to lint) and the problems."""
    size = len(source.encode("utf-8", "surrogatepass")) if isinstance(source, str) else len(source)
    if size > max_bytes:
        return None, [_syntax(
            f"file is larger than the limit of {max_bytes:,} bytes; not parsed",
            Span(1, 1, 1, 1), "raise the limit with --max-file-size if this file is really meant to be this big",
        )]
    if isinstance(source, bytes):
        text, problem = decode(source)
        if text is None:
            return None, [problem] if problem else []
    else:
        text = source
    text = text[1:] if text.startswith("\ufeff") else text

    nul = text.find("\x00")
    if nul >= 0:
        return None, [_syntax("the file contains a NUL byte; it looks binary, not YAML", _span_at(text, nul))]

    try:
        # Iterative in libyaml, one Python frame per level: safe at any depth. Positions are
        # built when first asked for (most valid files never are), except when the text has
        # directive comments: telling them from a `#` inside a string needs the string spans.
        built = _from_events(text, positions=DIRECTIVE in text)
    except _PARSE_ERRORS as exc:
        return None, [_parse_problem(exc, text)]
    if built is not None:
        data, positions, string_spans, problems = built
        if data is _EMPTY:
            return None, problems + [_empty()]
        if positions is None:
            return Document(path=path, text=text, data=data, positions=_LazyPositions(text)), problems
        comments = tuple(_directive_comments(text, string_spans))
        return Document(path=path, text=text, data=data, positions=positions, comments=comments), problems
    return _load_composed(text, path)


class _LazyPositions(Mapping[DataPath, Located]):
    """A document's positions, built from its text the first time anything asks for them.

    Most files are valid, and a valid file's positions are never looked at: building the data
    alone costs about half as much. The positions come from the same events as the data, so
    they are the ones an eager build gives (tests/test_loader_paths.py).
    """

    __slots__ = ("_text", "_built")

    def __init__(self, text: str) -> None:
        self._text = text
        self._built: dict[DataPath, Located] | None = None

    def _positions(self) -> dict[DataPath, Located]:
        if self._built is None:
            built = _from_events(self._text, positions=True)
            assert built is not None and built[1] is not None, "the text built its data the same way"
            self._built = built[1]
        return self._built

    def __getitem__(self, path: DataPath) -> Located:
        return self._positions()[path]

    def get(self, path: DataPath, default: Any = None) -> Any:
        return self._positions().get(path, default)

    def __contains__(self, path: object) -> bool:
        return path in self._positions()

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())

    def items(self) -> ItemsView[DataPath, Located]:
        return self._positions().items()

    def __eq__(self, other: object) -> bool:
        return self._positions() == (other._positions() if isinstance(other, _LazyPositions) else other)

    __hash__ = None  # type: ignore[assignment]  # like the dict it stands for

    def __repr__(self) -> str:
        return f"_LazyPositions({self._positions()!r})"


def _load_composed(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """The general way: compose the node graph, then walk it (anchors, aliases and merge keys)."""
    # libyaml's composer recurses in C and crashes the process around 100,000 levels: refuse
    # deep files before composing (the event builder hands them here at MAX_DEPTH + 1).
    if _may_be_deeper_than(text, MAX_DEPTH):
        problem = _check_depth(text)
        if problem:
            return None, [problem]
    problems: list[Problem] = []
    try:
        root = _compose(text, problems)
    except _PARSE_ERRORS as exc:
        return None, [_parse_problem(exc, text)]
    if root is None or (isinstance(root, ScalarNode) and root.tag == _TAG + "null" and not root.style):
        return None, problems + [_empty()]

    walker = _Walker(problems)
    try:
        if "*" in text:  # an alias is written `*name`: without a `*` the graph is a tree
            walker.check_aliases(root)
        data = walker.walk(root, (), None, 0)
    except _Abort as abort:
        return None, problems + [abort.problem]
    comments = tuple(_directive_comments(text, walker.string_spans))
    return Document(path=path, text=text, data=data, positions=walker.positions, comments=comments), problems


def _compose(text: str, problems: list[Problem]) -> Node | None:
    try:
        return _compose_first(text, single=True)
    except MarkedYAMLError as exc:
        if "expected a single document" not in str(exc.context):
            raise
        problems.append(_multiple_documents(exc.problem_mark))
        # Lint the first document all the same; later ones may not even parse.
        return _compose_first(text, single=False)


def _empty() -> Problem:
    return Problem("NX004", "the file has no content: it is empty, only comments, or null",
                   span=Span(1, 1, 1, 1), hint="a Nexlayer file starts with `application:`")


class _Unusual(Exception):
    """An anchor, alias, merge key, complex key or extreme depth: leave the file to the composer."""


_EMPTY = object()  # what _from_events returns as data for an empty or null document
_Built = tuple[Any, dict[DataPath, Located], list[Span], list[Problem]]


def _from_events(text: str, positions: bool = True) -> _Built | None:
    """Data, positions, string spans and problems straight from the parser's events; None when
    the file needs the composer (see _Unusual). Without `positions`, the data and problems only
    (positions and string spans are None): what a valid file needs, at about half the work.

    Composing builds a node object per value and resolves every scalar through ruamel's Python
    resolver, which costs three times as much as parsing; a plain tree (every real
    nexlayer.yaml) needs neither. Events are what the composer itself consumes, so the values,
    marks and parse errors are the same; test_loader compares the two ways on every corpus file.
    """
    if _CLoader is None:
        events = iter(_pure_composer().parse(text))
        next_event = events.__next__
        dispose = None
    else:
        parser = CParser(text)
        next_event, dispose = parser.get_event, parser.dispose
    try:
        builder: _EventBuilder | _DataBuilder = _EventBuilder(next_event) if positions else _DataBuilder(next_event)
        event = next_event()  # StreamStartEvent
        event = next_event()
        if type(event) is StreamEndEvent:
            return _EMPTY, {}, [], []
        root = next_event()  # the DocumentStartEvent is behind us
        if type(root) is ScalarEvent and root.anchor is None and not root.style \
                and _scalar_tag(root) == _NULL:
            data = _EMPTY  # nothing of a null document is walked
        else:
            data = builder.build(root)
        next_event()  # DocumentEndEvent
        after = next_event()
        if type(after) is not StreamEndEvent:
            builder.problems.insert(0, _multiple_documents(after.start_mark))
        if data is _EMPTY:
            return _EMPTY, {}, [], [p for p in builder.problems if p.code == "NX003"]
        if isinstance(builder, _DataBuilder):
            return data, None, None, builder.problems
        return data, builder.positions, builder.string_spans, builder.problems
    except _Unusual:
        return None
    except _Duplicate:
        pass  # NX002 names the first key's line: the data-only build does not keep lines
    finally:
        if dispose is not None:
            dispose()
    return _from_events(text, positions=True)


_RESOLVE = object()  # what _text_value answers when the rule table must decide


def _text_value(event: Any, value: str) -> Any:
    """A plain scalar's value when no rule table is needed, else _RESOLVE: untagged text whose
    first character no YAML 1.2 rule and no YAML 1.1 trap looks at is itself, a short decimal
    (a port) is an int."""
    if event.ctag is None:
        first = value[:1]
        if first not in _RULES_BY_FIRST and first not in _YAML11_FIRST:
            return value
        if _is_plain_decimal(value):
            return int(value)
    return _RESOLVE


def _is_plain_key(event: Any) -> bool:
    """A key the event builders take: a scalar without anchor or tag, and not a merge `<<`.
    Complex, anchored, tagged and merge keys leave the file to the composer (_Unusual)."""
    return type(event) is ScalarEvent and event.anchor is None and event.ctag is None and event.value != "<<"


def _is_plain_decimal(value: str) -> bool:
    """A few ASCII digits without a leading zero (a port, a count): the YAML 1.2 int rule matches
    it, the float rule cannot (no `.` or `e`), and no YAML 1.1 trap applies (no `0` prefix, no
    `:`). Short, because int() refuses over 4,300 digits and _resolve keeps those as text."""
    return len(value) < 19 and value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1)


def _scalar_tag(event: Any) -> str:
    """The scalar's tag as the composer resolves it (YAML 1.2 rules, our table)."""
    tag = event.ctag  # the slot; `.tag` is a property that makes the same str
    if tag is not None:
        tag = str(tag)
        if tag != "!":
            return tag
    if event.implicit[0]:
        value = event.value
        for name, match in _RULES_BY_FIRST.get(value[:1], _RULES_ANYWHERE):
            if match(value):
                return name
    return _STR


class _Duplicate(Exception):
    """A key is repeated: the data-only build leaves the file to the full one, which words NX002."""


class _DataBuilder:
    """The data and the loader's problems from events, no positions: what a valid file needs.

    Mirrors _EventBuilder value for value (tests/test_loader_paths.py holds them together); a
    problem's span comes from the event at hand, as _EventBuilder's does.
    """

    def __init__(self, next_event: Any) -> None:
        self.next_event = next_event
        self.problems: list[Problem] = []

    def build(self, root: Any) -> Any:
        return self.node(root, 0)

    def node(self, event: Any, depth: int) -> Any:
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None or depth > MAX_DEPTH:
            raise _Unusual
        if kind is ScalarEvent:
            value = event.value
            if event.style:
                return value
            # _text_value and _is_plain_key, inlined: this loop runs for every value of every
            # file, and the two calls cost ~3% of linting one (test_loader_paths holds them equal)
            if event.ctag is None:
                first = value[:1]
                if first not in _RULES_BY_FIRST and first not in _YAML11_FIRST:
                    return value
                if _is_plain_decimal(value):
                    return int(value)
            return _plain_scalar(value, _scalar_tag(event), _node_span(event), self.problems)
        next_event = self.next_event
        if kind is SequenceStartEvent:
            items: list[Any] = []
            child = next_event()
            while type(child) is not SequenceEndEvent:
                items.append(self.node(child, depth + 1))
                child = next_event()
            return items
        mapping: dict[str, Any] = {}
        child = next_event()
        while type(child) is not MappingEndEvent:
            if type(child) is not ScalarEvent or child.anchor is not None or child.ctag is not None \
                    or child.value == "<<":
                raise _Unusual  # not _is_plain_key(child)
            name = child.value
            if name in mapping:
                raise _Duplicate
            mapping[name] = self.node(next_event(), depth + 1)
            child = next_event()
        return mapping


class _EventBuilder:
    """Builds what _Walker builds, from events: data, positions in pre-order, loader problems."""

    def __init__(self, next_event: Any) -> None:
        self.next_event = next_event
        self.problems: list[Problem] = []
        self.positions: dict[DataPath, Located] = {}
        self.string_spans: list[Span] = []

    def build(self, root: Any) -> Any:
        return self.node(root, (), None, 0)

    def node(self, event: Any, path: DataPath, key: Span | None, depth: int) -> Any:
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None or depth > MAX_DEPTH:
            raise _Unusual
        start = event.start_mark
        if kind is ScalarEvent:
            end = event.end_mark
            style = event.style or ""
            value = event.value
            span = _after_colon(key) if key is not None and not style and not value else _marks_span(start, end)
            self.positions[path] = new_tuple(Located, (key, span, style))
            if style or span.end_line > span.line:
                self.string_spans.append(span)
                if style:
                    return value
            quick = _text_value(event, value)
            if quick is not _RESOLVE:
                return quick
            return _plain_scalar(value, _scalar_tag(event), span, self.problems)
        positions = self.positions
        positions[path] = _PLACEHOLDER  # pre-order, like the walker; the span is known at the end
        next_event = self.next_event
        if kind is SequenceStartEvent:
            items: list[Any] = []
            child = next_event()
            while type(child) is not SequenceEndEvent:
                items.append(self.node(child, path + (len(items),), None, depth + 1))
                child = next_event()
            result: Any = items
        else:  # MappingStartEvent
            mapping: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            child = next_event()
            while type(child) is not MappingEndEvent:
                if not _is_plain_key(child):
                    raise _Unusual
                name = child.value
                key_span = _node_span(child)
                if name in first_line:
                    self.problems.append(_duplicate_key(name, first_line[name], key_span))
                else:
                    first_line[name] = key_span.line
                mapping[name] = self.node(next_event(), path + (name,), key_span, depth + 1)
                child = next_event()
            result = mapping
        positions[path] = new_tuple(Located, (key, _marks_span(start, child.end_mark), None))  # child: the end event
        return result


class _Walker:
    """One walk over the node graph that builds data, positions and loader problems together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.positions: dict[DataPath, Located] = {}
        self.string_spans: list[Span] = []

    def check_aliases(self, root: Node) -> None:
        """Refuse alias bombs before expanding anything: count what the aliases would add."""
        expanded: dict[int, int] = {}
        active: set[int] = set()
        unique = 0

        def size(node: Node) -> int:
            nonlocal unique
            key = id(node)
            if key in expanded:
                return expanded[key]
            if key in active:
                raise _Abort(_syntax("an alias refers to the node that contains it (recursive alias)",
                                     _node_span(node)))
            active.add(key)
            unique += 1
            total = 1
            if isinstance(node, MappingNode):
                total += sum(size(k) + size(v) for k, v in node.value)
            elif isinstance(node, SequenceNode):
                total += sum(size(item) for item in node.value)
            active.discard(key)
            expanded[key] = total
            if total - unique > MAX_ALIAS_EXPANSION:
                raise _Abort(_syntax(
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} extra nodes "
                    "(a \"billion laughs\" alias bomb?); not expanded",
                    _node_span(node),
                ))
            return total

        size(root)

    def walk(self, node: Node, path: DataPath, key: Span | None, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Abort(_syntax(f"nesting is deeper than {MAX_DEPTH} levels", _node_span(node)))
        span = _node_span(node)
        if isinstance(node, ScalarNode):
            style = node.style or ""
            if key is not None and not style and not node.value:
                span = _after_colon(key)
            self.positions[path] = Located(key, span, style)
            if style or span.end_line > span.line:
                self.string_spans.append(span)
            return self.scalar(node, style, span)
        self.positions[path] = Located(key, span, None)
        if isinstance(node, SequenceNode):
            return [self.walk(item, path + (i,), None, depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        raise _Abort(_syntax("unsupported YAML node", span))  # pragma: no cover - composer only makes the three

    def mapping(self, node: MappingNode, path: DataPath, depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        # `<<: *base` or `<<: [*a, *b]`: earlier merged maps win over later ones and explicit keys
        # win over all, so walk the merged maps first, last one first; positions follow the same order.
        merges = [value for key, value in node.value if key.tag == _MERGE]
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in reversed(sources):
                if not isinstance(source, MappingNode):
                    raise _Abort(_syntax("a merge key `<<` needs a mapping or a list of mappings",
                                         _node_span(source)))
                data.update(self.mapping(source, path, depth))
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if merges and key_node.tag == _MERGE:  # `.tag` is a property: ask only when it matters
                continue
            key = self.key(key_node)
            key_span = _node_span(key_node)
            if key in first_line:
                self.problems.append(_duplicate_key(key, first_line[key], key_span))
            else:
                first_line[key] = key_span.line
            data[key] = self.walk(value_node, path + (key,), key_span, depth + 1)
        return data

    def key(self, node: Node) -> str:
        if isinstance(node, ScalarNode):
            return node.value  # the key as written: `80:` is "80", `true:` is "true"
        raise _Abort(_syntax("a mapping key must be a plain value, not a list or mapping", _node_span(node)))

    def scalar(self, node: ScalarNode, style: str, span: Span) -> Any:
        value: str = node.value
        if style:
            return value
        return _plain_scalar(value, node.tag, span, self.problems)


def _plain_scalar(value: str, tag: Any, span: Span, problems: list[Problem]) -> Any:
    """A plain scalar's value, and NX005 where YAML 1.1 would read it differently."""
    if _YAML11_BOOL.fullmatch(value):
        problems.append(Problem(
            "NX005",
            f'unquoted "{value}" is the string "{value}" in YAML 1.2 but a boolean in YAML 1.1',
            span=span, hint=f'quote it ("{value}") if you mean the text, or write true or false',
        ))
    elif _YAML11_OCTAL.fullmatch(value):
        problems.append(Problem(
            "NX005",
            f"unquoted {value} is read as a decimal number in YAML 1.2 but as octal or text in YAML 1.1",
            span=span, hint=f'quote it ("{value}") if you mean the text, or drop the leading zero',
        ))
    elif _YAML11_SEXAGESIMAL.fullmatch(value):
        problems.append(Problem(
            "NX005",
            f"unquoted {value} is the string \"{value}\" in YAML 1.2 but a base-60 number in YAML 1.1",
            span=span, hint=f'quote it ("{value}")',
        ))
    return _resolve(tag, value)


def _resolve(tag: str, value: str) -> Any:
    """A plain scalar's YAML 1.2 value; anything not null/bool/int/float stays text."""
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        digits = value.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        try:
            for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
                if digits.lower().startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits, 10)
        except ValueError:
            return value
    if tag == _FLOAT:
        lowered = value.lower().replace("_", "")
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        if lowered.endswith(".nan"):
            return float("nan")
        try:
            return float(lowered)
        except ValueError:
            return value
    return value  # str, timestamp (kept as written, as JSON has no dates), custom tags


def _node_span(node: Any) -> Span:
    """A node's or an event's span."""
    return _marks_span(node.start_mark, node.end_mark)


def _marks_span(start: Any, end: Any) -> Span:
    # ruamel marks are 0-based; this is the one place they become 1-based.
    return new_tuple(Span, (start.line + 1, start.column + 1, end.line + 1, end.column + 1))


def _after_colon(key: Span) -> Span:
    # `key:` with no value: libyaml marks the empty scalar after the colon, the pure parser at
    # the next token; both builds point just after the key's colon.
    return new_tuple(Span, (key.end_line, key.end_col + 1, key.end_line, key.end_col + 1))


def _duplicate_key(name: str, first_line: int, span: Span) -> Problem:
    return Problem("NX002", f'key "{name}" is already defined on line {first_line}',
                   span=span, hint="remove one of them; YAML parsers disagree on which one wins")


def _multiple_documents(mark: Any) -> Problem:
    """NX003 at the `---` (or `...`) that starts the second document."""
    return Problem("NX003", "the file holds more than one YAML document; Nexlayer reads one",
                   span=Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 4),
                   hint="remove the `---` and everything after it, or move it to its own file")


def _span_at(text: str, index: int) -> Span:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Span(line, col, line, col + 1)


def _syntax(message: str, span: Span, hint: str | None = None) -> Problem:
    return Problem("NX001", message, span=span, hint=hint)


# What parsing may raise: ruamel's errors, and the odd bug on hostile input.
_PARSE_ERRORS = (YAMLError, ValueError, TypeError, IndexError)


def _parse_problem(exc: Exception, text: str) -> Problem:
    """The NX001 for an exception of _PARSE_ERRORS, at its mark when it has one."""
    if isinstance(exc, MarkedYAMLError):
        return _from_marked(exc, text)
    if isinstance(exc, ReaderError):
        return _unreadable(exc, text)
    return _syntax(f"not parseable as YAML ({type(exc).__name__})", Span(1, 1, 1, 1))


def _from_marked(exc: MarkedYAMLError, text: str) -> Problem:
    """A parser error, said the way a person would, at the line where it can be fixed."""
    problem = str(exc.problem or "").strip()
    context = str(exc.context or "").strip()
    mark, message, hint = exc.problem_mark or exc.context_mark, problem or context, None
    opened = exc.context_mark
    lines = text.splitlines() or [""]
    if context.startswith("found duplicate anchor") and opened is not None:
        at = exc.problem_mark
        where = lines[at.line][at.column:] if at is not None and at.line < len(lines) else ""
        found = re.match(r"&([^\s,\[\]{}]+)", where)
        name = found.group(1) if found else ""
        message = f'anchor "&{name}" is defined twice; the first is on line {opened.line + 1}'
        hint = "give the second anchor another name"
    elif "end of stream" in problem and opened is not None and "quoted scalar" in context:
        mark, message = opened, f"a quoted value opened on line {opened.line + 1} is never closed"
        hint = "add the closing quote"
    elif opened is not None and ("flow sequence" in context or "flow mapping" in context):
        bracket = "[" if "sequence" in context else "{"
        mark, message = opened, f"the `{bracket}` opened on line {opened.line + 1} is not closed properly"
        hint = "close it, and separate its items with commas"
    elif "did not find expected" in problem or "expected <block end>" in problem:
        message = f"unexpected indentation ({problem})"
        hint = "this line's indentation does not fit the lines above: indent it like its siblings"
    elif "mapping values are not allowed" in problem:
        hint = 'a value that contains ": " must be quoted'
    elif context and problem and "while" in context:
        message = f"{problem} ({context})"
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if line > len(lines):  # the end of the stream: point at the end of the last line instead
        line, col = len(lines), len(lines[-1]) + 1
    if "\t" in lines[max(line - 1, 0)]:
        hint = "YAML indentation must use spaces, not tabs"
    return _syntax(message, Span(line, col, line, col + 1), hint)


def _unreadable(exc: ReaderError, text: str) -> Problem:
    """A character YAML forbids (a control character): say which, and where it is."""
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position < len(text) else 0
    return _syntax(f"the file contains the control character U+{char:04X}, which YAML does not allow",
                   _span_at(text, position), f'remove it, or write it as the escape "\\u{char:04X}" inside double quotes')


def _may_be_deeper_than(text: str, limit: int) -> bool:
    """A cheap upper bound on nesting depth, so the exact (slower) check runs only when needed."""
    if text.count("[") + text.count("{") > limit // 2:
        return True
    # No line's estimate below can exceed twice the longest run of spaces plus every `-:?` in the
    # file; when even that is small (any ordinary file), skip the walk over the lines.
    runs = _LONG_SPACES.findall(text)
    if 2 * max(map(len, runs), default=7) + text.count("-") + text.count(":") + text.count("?") <= limit // 2:
        return False
    widest = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        estimate = 2 * (len(line) - len(stripped)) + stripped.count("-") + stripped.count(":") + stripped.count("?")
        widest = max(widest, estimate)
    return widest > limit // 2


def _check_depth(text: str) -> Problem | None:
    """The exact nesting depth from parser events (iterative, unlike composing, which recurses)."""
    depth = 0
    try:
        for event in _composer().parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return _syntax(
                        f"nesting is deeper than {MAX_DEPTH} levels; not parsed",
                        Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2),
                    )
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except MarkedYAMLError as exc:
        return _from_marked(exc, text)
    except ReaderError as exc:
        return _unreadable(exc, text)
    except (YAMLError, ValueError, TypeError, IndexError):
        return _syntax("not parseable as YAML", Span(1, 1, 1, 1))
    return None


def _directive_comments(text: str, string_spans: Iterable[Span]) -> Iterable[Comment]:
    """`# nexlayer-lint:` comments; a `#` inside a quoted or block scalar is not a comment."""
    if DIRECTIVE not in text:
        return
    inside = list(string_spans)
    for number, line in enumerate(text.splitlines(), start=1):
        if DIRECTIVE not in line:
            continue
        for match in re.finditer(r"(?:^|(?<=\s))#", line):
            col = match.start() + 1
            if any(_contains(span, number, col) for span in inside):
                continue
            body = line[match.end():]
            if body.strip().startswith(DIRECTIVE):
                yield Comment(number, col, body.strip(), own_line=not line[: match.start()].strip())
            break  # only the first real `#` starts a comment


def _contains(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) < (span.end_line, span.end_col)
