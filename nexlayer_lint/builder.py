"""Parser events -> a file's data and the position of every value, in one pass.

ruamel.yaml parses: libyaml's C parser (ruamel.yaml.clib) when it is installed, else ruamel's
pure-Python one, which gives the same events. libyaml 0.1.7 refuses a `:` or `?` inside a flow
collection's plain value that YAML 1.2 and later libyaml read as text; `build` gives it each such
character as another one and puts it back in the values (`_with_stand_ins`, `_put_back`). Nothing
is constructed from a tag, so a tag never runs code. The builder reads the first document's
events once, depth first, and makes:

- the data, JSON-shaped: plain scalars resolved as YAML 1.2 (scalars.py), a quoted or block
  scalar as text unless a core tag names another type (`!!int "4"`), keys as written;
- the position of every value and of its key, by data path;
- the spans of quoted, block and multi-line scalars (a `#` inside one is not a comment), and
  every plain scalar value and key as written, with its explicit tag (a YAML 1.1 reader takes
  some differently);
- the entries of the values the data does not hold (a repeated key's earlier values, `<<`
  sources): their text is still in the file, and may hold a secret to mask;
- NX002 (a repeated key), NX003 (a second document), NX004 (nothing to lint).

Anchors, aliases and merge keys (`<<`) mean what the YAML composer makes of them; an alias
becomes a copy of what it names. What cannot become data is refused with one NX001 (Refused):
a list or mapping as a key, nesting deeper than MAX_DEPTH, aliases (and merges) that add more
than MAX_ALIAS_EXPANSION values or repeat more than MAX_ALIAS_TEXT characters, an alias inside
the node it names, a merge of a non-mapping.
A syntax error is the parser's exception, left to the caller to word (parse_errors.py).

Positions are recorded as a list of (path, Located) entries, made into a dict at the end (a
later entry for a path wins, as a repeated key's later value does). The entries of one value's
subtree are then one slice of the list, which an alias repeats under its own path.
"""

import re
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.error import MarkedYAMLError, StringMark, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.main import CParser  # libyaml's parser, or None without ruamel.yaml.clib
from ruamel.yaml.scanner import Scanner, ScannerError

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import MERGE_KEY, DataPath, Located, Problem, Span, syntax_problem
from nexlayer_lint.scalars import MERGE, TAG, NotOfItsTag, collection_misfit, one_key_items, plain_value

# What build may raise besides Refused, for parse_errors.py to word: ruamel's errors, and the odd
# bug on hostile input.
PARSE_ERRORS = (YAMLError, ValueError, TypeError, IndexError)
MAX_DEPTH = 500
# Values deeper than _SHALLOW levels (no real file nests a tenth of it) may hold this many path
# parts in all: 100,000 values 499 levels deep took 870 MB to hold their paths (hunt 30 F7).
_SHALLOW = 32
_TEXT_END = 1 << 62  # a line past any text's last (the end of a string span that runs to the text's end)
_MAX_DEEP_CELLS = 2_000_000
# Values that aliases and merges may add to the file's own: far above any real file, far below harm.
MAX_ALIAS_EXPANSION = 100_000
# Characters aliases may repeat: each copy is data the checks read in full, so a thousand aliases
# of one 200 kB string (a 217 kB file) took 10 s, counted as a thousand values (hunt 86 F4).
MAX_ALIAS_TEXT = 1_000_000

# Span(*fields) and Located(*fields) for the spans the builder makes for every key and value: a
# named tuple's generated __new__ only calls tuple.__new__(cls, fields), and skipping that Python
# call per key and value is measurable in loading a file.
_new_span = partial(tuple.__new__, Span)
_new_located = partial(tuple.__new__, Located)

Entry = tuple[DataPath, Located]
# A plain scalar value or key: its path, span, text as written and explicit tag (`!!str yes`),
# if any.
PlainScalar = tuple[DataPath, Span, str, str | None]


class Built(NamedTuple):
    """What the builder makes of a text's first document."""

    data: Any  # None when there is nothing to lint (the problems then end with NX004)
    positions: dict[DataPath, Located]  # also the paths where merged mappings are written (`<<`)
    string_spans: list[Span]  # in document order, where a `#` is text (a block scalar's from its second line)
    multiline: list[tuple[int, int]]  # the first and last line of each scalar written over several lines
    plain_scalars: list[PlainScalar]  # in document order
    plain_keys: list[PlainScalar]  # in document order; a key's path is its value's
    problems: list[Problem]
    # The entries whose value the data does not hold at their path: a repeated key's earlier
    # values (and all inside them), and the mappings a `<<` merges (the data holds their winning
    # values under the merging mapping's paths).
    unheld: list[Entry]


class Refused(Exception):
    """The document cannot become data: its problems, the last an NX001."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[-1].message)
        self.problems = problems


# A merge key's value: where it is written, the value, its entries[first:end], the key's span.
_Merge = tuple[DataPath, Any, int, int, Span]


class _Anchor(NamedTuple):
    """What an anchor names: its value, its own entry, and where its subtree's entries are."""

    data: Any
    located: Located
    text: str | None  # a scalar's text as written (an alias may be a key), None for a collection
    path: DataPath
    first: int  # its entries: entries[first + 1:end] below its own (a key anchor has none)
    end: int
    size: int  # the characters an alias of it repeats: its own text, and what aliases in it repeat


def build(text: str) -> Built:
    """The data, positions and problems of `text`'s first document; raises Refused, or the
    parser's own error for a syntax error."""
    if CParser is None:
        return _build_pure(text)
    # libyaml 0.1.7, which ruamel.yaml.clib bundles, refuses a ":" or "?" inside a plain value in
    # [ ] or { } (`{URL: http://db.pod:80}`, `[nginx:1.27]`, `{DOCS: x/search?q=1}`), which YAML
    # 1.2 and libyaml 0.2 read as text (a ":" when a character other than a blank or `,?[]{}`
    # follows it). Each such character is given to libyaml as one it reads as text (a private-use
    # one the file does not hold), and put back in the plain values it reads: every other rule,
    # and every position, stays libyaml's.
    shift = 1 if text.startswith("\ufeff") else 0  # libyaml's index does not count a leading BOM
    parser = CParser(text)
    try:
        return _Builder(parser.get_event).document()
    except MarkedYAMLError as exc:
        if _read_as_text(text, _index(exc, shift), str(exc.problem)) is None:
            raise
    finally:
        parser.dispose()
    parsed, stand_ins = _with_stand_ins(text, shift)
    parser = CParser(parsed)
    try:
        # a ":" left without a stand-in can only be in a later document (_with_stand_ins)
        return _Builder(
            _put_back(parser.get_event, stand_ins),
            lambda exc: _read_as_text(parsed, _index(exc, shift), str(exc.problem)),
        ).document()
    finally:
        parser.dispose()


def _index(exc: MarkedYAMLError, shift: int) -> int:
    """Where in the text libyaml stopped (-1: it does not say)."""
    return exc.problem_mark.index + shift if exc.problem_mark is not None else -1


def _with_stand_ins(text: str, shift: int) -> tuple[str, dict[str, str]]:
    """`text` with each ":" or "?" that libyaml 0.1.7 stops at and libyaml 0.2 reads as text
    replaced by a stand-in, and what each stand-in stands for. Found by parsing again to the next
    one, events only (a fifth of building the Document); the first other error ends the search,
    as the build then raises it. Refused past _MAX_REPARSES of them or the budget, unless the
    one it stopped at is in a later document, which is not linted: the search ends there, and
    the build reads the later documents up to it (hunt 36 F4)."""
    stand_ins: dict[str, str] = {}  # a stand-in -> the character it stands for
    parsed, reparses = text, 0
    budget = _REPARSE_BUDGET + 8 * len(text)  # characters parsed again, in all
    later_budget = 2 * len(text)  # of them for later documents (hunt 38 F6: 3 MB of them took 11 s)
    while True:
        parser = CParser(parsed)
        later = -1  # where the second document starts, once the parse is there
        try:
            documents = 0
            while (kind := type(event := parser.get_event())) is not StreamEndEvent:
                if kind is DocumentStartEvent:
                    documents += 1
                    if documents == 2:
                        later = event.start_mark.index + shift
            return parsed, stand_ins
        except MarkedYAMLError as exc:
            mark = exc.problem_mark
            at = mark.index + shift if mark is not None else -1
            char = _read_as_text(parsed, at, str(exc.problem))
            if char is None:
                return parsed, stand_ins
            budget, reparses = budget - at, reparses + 1
            if 0 <= later <= at:  # in a later document, which is not linted: a smaller budget
                later_budget -= at
                if later_budget < 0 or budget < 0 or reparses > _MAX_REPARSES:
                    return parsed, stand_ins
            elif budget < 0 or reparses > _MAX_REPARSES:
                raise _too_many_to_read(mark, reparses > _MAX_REPARSES) from None
            stand_in = next((one for one, meant in stand_ins.items() if meant == char), "")
            stand_in = stand_in or _absent_character(text, stand_ins)
            if not stand_in:
                return parsed, stand_ins
            stand_ins[stand_in] = char
            parsed = f"{parsed[:at]}{stand_in}{parsed[at + 1 :]}"
        finally:
            parser.dispose()


# Each such character costs a parse of the file up to it again: past this many, or this many
# characters (and 8 times the file's), the file is refused, so a hostile file cannot make the
# parse quadratic. A real file's URLs and image tags in flow style are a few dozen.
_MAX_REPARSES = 1000
_REPARSE_BUDGET = 4_000_000


def _read_as_text(text: str, at: int, problem: str) -> str | None:
    """The character at text[at] where libyaml 0.1.7 stopped, when libyaml 0.2 reads it as text
    in a plain value inside [ ] or { }: a ":" followed by a character other than a blank, a line
    break or one of `,?[]{}`; a "?" after a value's text (`x?y`, not a key's `[? x]`). Else None."""
    char = text[at : at + 1]
    if char == ":" and problem == "found unexpected ':'":
        after = text[at + 1 : at + 2]
        return char if after != "" and after not in _ENDS_A_TEXT_COLON else None
    if char == "?" and problem.startswith("did not find expected ','"):
        # after a value's text, on its line or the next (a plain value goes on over a line
        # break): not after `,[{:` (a key's `?`), a quote, nor an anchor, tag or alias (`&a ?x`)
        before = text[:at].rstrip(_BLANKS)
        word = before[max(before.rfind(c) for c in _NOT_IN_A_WORD) + 1 :]
        return char if word and word[-1] not in _BEFORE_A_KEY and word[0] not in "&!*" else None
    return None


_BLANKS = " \t\r\n\x85\u2028\u2029"  # blanks and line breaks (YAML 1.1's too)
_ENDS_A_TEXT_COLON = _BLANKS + ",?[]{}"  # and flow indicators
_BEFORE_A_KEY = ",[{:'\""  # where a "?" starts an entry's key instead, or follows a quoted value
_NOT_IN_A_WORD = _BLANKS.replace(" ", "") + " ,[{"  # what ends the word before a "?"


def _too_many_to_read(mark: Any, by_count: bool) -> Refused:
    held = 'unquoted values in [ ] or { } hold a ":" or "?"'
    message = (
        f"more than {_MAX_REPARSES} {held}, which this file's parser reads one at a time"
        if by_count
        else f"too many {held} for a file this size (this file's parser reads them one at a time)"
    )
    return _refused_at(mark, message, "quote those values, or write the collection as block lines")


def _absent_character(text: str, taken: dict[str, str]) -> str:
    """A character libyaml reads as any other in a plain value that `text` does not hold (a
    private-use one) and that is not `taken`, or "" (none left). One pass over the text."""
    present = set(re.findall("[\ue000-\uf8ff]", text))  # compiled here: a clean run never needs it
    return next(
        (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in present and chr(code) not in taken), ""
    )


def _put_back(next_event: Callable[[], Any], stand_ins: dict[str, str]) -> Callable[[], Any]:
    """libyaml's events with each stand-in character in a plain value the one it stands for
    (only there: a quoted value's `"\\ue000"` escape is its own)."""

    def put_back() -> Any:
        event = next_event()
        if type(event) is ScalarEvent and not event.style:
            for stand_in, meant in stand_ins.items():
                if stand_in in event.value:
                    event.value = event.value.replace(stand_in, meant)
        return event

    return put_back


def _build_pure(text: str) -> Built:
    events = _pure_yaml().parse(text)
    try:
        return _Builder(_as_libyaml_reads(events, text).__next__).document()
    except ValueError as exc:  # chr() of an escape past U+10FFFF, which libyaml refuses as a syntax error
        if "chr()" not in str(exc):
            raise
        raise _bad_escape(text, None) from None
    finally:
        events.close()


def _as_libyaml_reads(events: Iterator[Any], text: str) -> Iterator[Any]:
    """The pure parser's events, refusing what it reads and YAML 1.2 (and libyaml) does not: a
    plain value in [ ] or { } whose ":" is followed by the collection's `,`, `]` or `}` (`[a:]`,
    `{b: c:}`), which it reads as text ending in ":"; an escape that names half of a surrogate
    pair (JSON's `"\\ud83d\\ude00"`), which it reads as that half (hunt 78 F1)."""
    for event in events:
        if type(event) is ScalarEvent and not event.style and event.value.endswith(":"):
            end = event.end_mark
            if text[end.index : end.index + 1] in (",", "]", "}"):
                colon = StringMark(end.name, end.index - 1, end.line, end.column - 1, None, None)
                raise ScannerError("while scanning a plain scalar", event.start_mark, "found unexpected ':'", colon)
        if type(event) is ScalarEvent and event.style == '"' and _SURROGATE.search(event.value):
            raise _bad_escape(text, event)
        yield event


_SURROGATE = lazy("[\ud800-\udfff]")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")  # string.hexdigits, without importing `string` (0.4 ms)


def _bad_escape(text: str, event: Any) -> ScannerError:
    """libyaml's error for the first `\\u` or `\\U` escape naming no character, in the event's
    double-quoted scalar (or the whole text), at its first hexadecimal digit, as libyaml marks it."""
    start, end = (event.start_mark.index, event.end_mark.index) if event is not None else (0, len(text))
    at = text.find("\\", start, end)
    while at >= 0:
        size = {"u": 4, "U": 8}.get(text[at + 1 : at + 2])
        digits = text[at + 2 : at + 2 + size] if size else ""
        if size and len(digits) == size and all(c in _HEX_DIGITS for c in digits):
            value = int(digits, 16)
            if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
                break
        at = text.find("\\", at + 2, end)  # past the escaped character: `\\\\` is one backslash
    index = at + 2 if at >= 0 else start
    line = text.count("\n", 0, index)
    mark = StringMark("<unicode string>", index, line, index - (text.rfind("\n", 0, index) + 1), None, None)
    context = event.start_mark if event is not None else mark
    return ScannerError("while parsing a quoted scalar", context, "found invalid Unicode character escape code", mark)


class _Builder:
    def __init__(self, next_event: Callable[[], Any], read_as_text: Callable[[Any], object] | None = None) -> None:
        self.next_event = next_event
        # whether a parser error is libyaml 0.1.7 refusing a text ":" or "?" (build's stand-ins)
        self.read_as_text = read_as_text
        self.entries: list[Entry | None] = []  # None: a collection's own entry until its end
        self.string_spans: list[Span] = []
        self.multiline: list[tuple[int, int]] = []
        self.plain_scalars: list[PlainScalar] = []
        self.plain_keys: list[PlainScalar] = []
        self.problems: list[Problem] = []
        self.anchors: dict[str, _Anchor] = {}
        self.anchor_marks: dict[str, Any] = {}  # every anchor seen, still open or not
        self.recursive: set[str] = set()  # open anchors that an alias inside them named
        self.deep_cells = 0  # the path parts of the values nested deeper than _SHALLOW
        self.expanded = 0  # values added by aliases and merges
        self.repeated = 0  # characters repeated by aliases
        # an anchor's name -> its nodes still open: where each starts, `repeated` there, and its
        # number in the order anchors open (a name may be given again, inside its own node too)
        self.open_anchors: dict[str, list[tuple[int, int, int]]] = {}
        self.latest: dict[str, int] = {}  # an anchor's name -> the number of its latest node
        self.opened = 0  # anchors opened so far
        self.merged = False  # whether a `<<` was read

    def add_string(self, span: Span, style: str | None) -> None:
        """Record a quoted, block or multi-line scalar: where a `#` is text, and its lines."""
        if style == "|" or style == ">":
            # the header line (`key: |-  # comment`) ends in a comment; the text starts below it,
            # and ends before the line its end mark is at the start of
            last = span.end_line - 1 if span.end_col == 1 and span.end_line > span.line else span.end_line
            self.string_spans.append(Span(span.line + 1, 1, span.end_line, span.end_col))
        else:
            last = span.end_line
            self.string_spans.append(span)
        if last > span.line:
            self.multiline.append((span.line, last))

    def document(self) -> Built:
        next_event = self.next_event
        next_event()  # StreamStartEvent
        start = next_event()
        if type(start) is StreamEndEvent:  # no document: empty, or only comments
            return Built(None, {}, [], [], [], [], [_empty()], [])
        root = next_event()  # the DocumentStartEvent is behind us
        refused = None
        try:
            if start.version not in (None, (1, 1)):
                raise Refused([_yaml_version(start)])
            data = self.node(root, (), None, 0)
            next_event()  # DocumentEndEvent
        except Refused as exc:
            if not self.read_to_document_end():
                raise Refused(self.problems + exc.problems) from None
            refused = exc
        after = next_event()
        if type(after) is not StreamEndEvent:
            self.problems.insert(0, _multiple_documents(after.start_mark))
            self.read_later_documents()
        if refused is not None:
            raise Refused(self.problems + refused.problems)
        if data is None:  # a plain null: `~`, `null`, or nothing but `---`
            return Built(None, {}, [], [], [], [], self.problems + [_empty()], [])
        entries: list[Entry] = self.entries  # type: ignore[assignment]  # every None is filled by now
        positions = dict(entries)
        unheld = _unheld(entries, self.merged) if self.merged or len(positions) != len(entries) else []
        return Built(
            data,
            positions,
            string_spans=self.string_spans,
            multiline=self.multiline,
            plain_scalars=self.plain_scalars,
            plain_keys=self.plain_keys,
            problems=self.problems,
            unheld=unheld,
        )

    def read_to_document_end(self) -> bool:
        """After a refusal: a syntax error later in the document is the more basic fault, so
        it wins. Read only as deep as building would (libyaml slows with each level of a flow):
        False when it stopped there."""
        nesting = 0
        while nesting <= MAX_DEPTH:
            kind = type(self.next_event())
            if kind is DocumentEndEvent:
                return True
            if kind is SequenceStartEvent or kind is MappingStartEvent:
                nesting += 1
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                nesting -= 1
        return False

    def read_later_documents(self) -> None:
        """The documents after the first, read for what is not data: a syntax error in them is
        the parser's exception, as in the first (the file is no YAML stream, and NX003 alone
        could be turned off), and so is an alias to no anchor of its document (as YAML
        loaders refuse it); their quoted, block and multi-line scalars are string spans (a `#`
        in one is no comment, so no directive). Nesting as deep as the first document may. A
        text colon libyaml 0.1.7 refuses gets a stand-in as in the first document (build), up
        to the stand-ins' limits: past them, the reading ends at it (`read_as_text`)."""
        nesting = 0
        anchors: set[str] = set()  # the second document's start is read: its anchors
        while True:
            try:
                event = self.next_event()
            except MarkedYAMLError as exc:
                if self.read_as_text is not None and self.read_as_text(exc) is not None:
                    # a text colon past the stand-ins' limits: not read further, and from its line
                    # on no `#` is known to be outside a string, so none is a comment (a directive
                    # in a string there silenced the first document: hunt 266 F1)
                    line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 1
                    self.string_spans.append(Span(line, 1, _TEXT_END, 1))
                    return
                raise
            kind = type(event)
            if kind is StreamEndEvent:
                return
            if kind is DocumentStartEvent:
                anchors = set()  # an anchor names a node of its own document only
            elif kind is AliasEvent:
                if event.anchor not in anchors:
                    raise ComposerError(None, None, "found undefined alias", event.start_mark)
                continue
            if getattr(event, "anchor", None) is not None:
                anchors.add(event.anchor)
            if kind is ScalarEvent:
                if event.style or event.end_mark.line != event.start_mark.line:
                    self.add_string(_span(event.start_mark, event.end_mark), event.style)
            elif kind is SequenceStartEvent or kind is MappingStartEvent:
                nesting += 1
                if nesting > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                nesting -= 1

    def node(self, event: Any, path: DataPath, key: Span | None, depth: int) -> Any:
        """The value that starts with `event`, at `path`; `key` is its key's span, if it has one.

        Lists and mappings are read here rather than in helpers, so that nesting costs one
        Python frame per level (MAX_DEPTH levels must stay far from the recursion limit).
        """
        if depth > _SHALLOW:  # each value keeps its whole path: memory grows as values x depth
            self.deep_cells += depth
            if self.deep_cells > _MAX_DEEP_CELLS:
                raise _refused_at(
                    event.start_mark, f"too many values nested more than {_SHALLOW} levels deep; not parsed", _FLATTEN
                )
        kind = type(event)
        anchor = event.anchor
        if anchor is not None:
            if kind is AliasEvent:
                return self.alias(event, path, key)
            self.open_anchor(anchor, event.start_mark)
        entries = self.entries
        first = len(entries)
        start = event.start_mark
        next_event = self.next_event

        if kind is ScalarEvent:
            text = event.value
            style = event.style or ""
            if key is not None and not style and not text:
                # `key:` with no value: libyaml marks the empty scalar after the colon, the pure
                # parser at the next token; both builds point just after the key's colon.
                span = _after_colon(key)
            else:
                end = event.end_mark  # _span(start, end), written out: it runs for every value
                span = _new_span((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
            entries.append((path, _new_located((key, span, style))))
            if style:  # quoted or block: text, unless a core tag says otherwise (`!!int "4"` is 4)
                if style in "|>" or span.end_line != span.line:
                    self.add_string(span, style)
                else:  # add_string's common case, written out: it runs for every quoted value
                    self.string_spans.append(span)
                tag = event.ctag
                value: Any = text if tag is None else _tagged_value(text, str(tag), span)
            else:
                if span.end_line != span.line:
                    self.add_string(span, style)
                tag = event.ctag
                if tag is None:
                    self.plain_scalars.append((path, span, text, None))
                    value = plain_value(text)
                else:
                    tag = str(tag)
                    self.plain_scalars.append((path, span, text, tag))
                    value = _tagged_value(text, tag, span)

        elif kind is SequenceStartEvent:
            one_key = False  # `!!omap`, `!!pairs`: each item must be a one-key mapping
            if event.ctag is not None:
                list_tag = str(event.ctag)
                _check_collection_tag(list_tag, True, start)
                one_key = one_key_items(list_tag)
            entries.append(None)  # its own entry, once its end is known: entries stay in pre-order
            items: list[Any] = []
            child = next_event()
            if depth == MAX_DEPTH and type(child) is not SequenceEndEvent:
                raise _too_deep(start)
            while type(child) is not SequenceEndEvent:
                item = self.node(child, path + (len(items),), None, depth + 1)
                if one_key and not (type(item) is dict and len(item) == 1):
                    raise _not_one_key(list_tag, len(items), child.start_mark)
                items.append(item)
                child = next_event()
            entries[first] = (path, _new_located((key, _span(start, child.end_mark), None)))
            value = items

        else:  # MappingStartEvent
            if event.ctag is not None:
                _check_collection_tag(str(event.ctag), False, start)
            entries.append(None)
            mapping: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            typed_keys: dict[tuple[type, Any], tuple[str, int]] = {}  # `true:`, `0x10:`: (type, value) -> first
            merges: list[_Merge] = []
            child = next_event()
            if depth == MAX_DEPTH and type(child) is not MappingEndEvent:
                raise _too_deep(start)
            while type(child) is not MappingEndEvent:
                if type(child) is ScalarEvent and child.anchor is None and child.ctag is None and child.value != "<<":
                    name = child.value
                    begin, end = child.start_mark, child.end_mark  # _span(begin, end), written out
                    key_span = _new_span((begin.line + 1, begin.column + 1, end.line + 1, end.column + 1))
                    if child.style or key_span.end_line != key_span.line:
                        self.add_string(key_span, child.style)
                    plain = not child.style
                else:
                    plain = False  # unusual_key records a plain one itself, with its tag
                    name, key_span = self.unusual_key(child, path)
                    if name is None:  # a merge key: its mappings are merged at the end
                        self.merged = True
                        if merges:  # ruamel.yaml and Go's yaml refuse a second `<<` in a mapping
                            self.problems.append(_duplicate_merge_key(merges[0][4].line, key_span))
                        elif "<<" in first_line:  # and Go's a key `"<<"` beside it (hunt 269 F3)
                            self.problems.append(_duplicate_key("<<", first_line["<<"], key_span))
                        first_line.setdefault("<<", key_span.line)
                        at = path + (MERGE_KEY,)
                        first_entry = len(entries)
                        merged = self.node(next_event(), at, key_span, depth + 1)
                        merges.append((at, merged, first_entry, len(entries), key_span))
                        child = next_event()
                        continue
                # a key an alias writes is written at the alias, not at its anchor (hunt 86 F3, 88 F6)
                said_at = _span(child.start_mark, child.end_mark) if type(child) is AliasEvent else key_span
                if name in first_line:
                    self.problems.append(_duplicate_key(name, first_line[name], said_at))
                else:
                    first_line[name] = said_at.line
                    # `true:` and `True:`, `16:` and `0x10:`: two spellings, one key to YAML
                    # (a key with a tag, `!!str 16:`, is what its tag says: not compared so)
                    typed = (
                        _typed_key(name)
                        if type(child) is ScalarEvent and not child.style and child.ctag is None
                        else None
                    )
                    if typed is not None and typed in typed_keys:
                        spelt, line = typed_keys[typed]
                        self.problems.append(_duplicate_key(name, line, key_span, spelt))
                    elif typed is not None:
                        typed_keys[typed] = (name, key_span.line)
                at = path + (name,)
                if plain:
                    self.plain_keys.append((at, key_span, name, None))
                mapping[name] = self.node(next_event(), at, key_span, depth + 1)
                child = next_event()
            if merges:
                mapping = self.merge(path, mapping, merges)
            entries[first] = (path, _new_located((key, _span(start, child.end_mark), None)))
            value = mapping

        if anchor is not None:
            end_mark = event.end_mark if kind is ScalarEvent else child.end_mark
            self.close_anchor(anchor, value, text if kind is ScalarEvent else None, path, first, end_mark.index)
        return value

    def unusual_key(self, event: Any, path: DataPath) -> tuple[str | None, Span]:
        """A key with an anchor or a tag, an alias as a key, or `<<`, in the mapping at `path`:
        (the key, its span); the key is None for a merge key. A list or mapping as a key is
        refused."""
        kind = type(event)
        if kind is AliasEvent:
            anchored = self.anchors.get(event.anchor)
            if anchored is None and event.anchor in self.anchor_marks:
                self.recursive.add(event.anchor)  # refused when that node ends
                return "", _span(event.start_mark, event.end_mark)
            if anchored is None:
                raise ComposerError(None, None, "found undefined alias", event.start_mark)
            span = _span(event.start_mark, event.end_mark)
            if anchored.text is None:  # said at the alias, not at the list it names (hunt 86 F3)
                raise Refused([_complex_key(span)])
            self.count_expansion(1, span, len(anchored.text))  # a key is a copy too (hunt 88 F4)
            # the anchor's span: the secrets of keys follow it from the key to what it repeats
            return anchored.text, anchored.located.value
        if kind is not ScalarEvent:
            raise Refused([_complex_key(_span(event.start_mark, self.skip(event)))])
        span = _span(event.start_mark, event.end_mark)
        tag = None if event.ctag is None else str(event.ctag)
        # a merge key: `<<`, also under the non-specific tag `!`, or tagged !!merge, quoted too,
        # as ruamel.yaml, PyYAML and Go's yaml.v3 all read it (`!!merge "<<"` was a plain key,
        # and what it merged went unchecked: hunt 269 F1)
        if event.value == "<<" and (tag == MERGE or (not event.style and tag in (None, "!"))):
            return None, span
        if tag == MERGE:  # any other text: a merge key to PyYAML and ruamel.yaml, a key to Go's
            raise Refused(
                [
                    syntax_problem(
                        "a key tagged !!merge is a merge key to PyYAML and ruamel.yaml, but Go's YAML"
                        " (`nexlayer deploy`) reads a key of its text unless it is <<",
                        span,
                        "write the merge key as <<: (or drop the tag !!merge)",
                    )
                ]
            )
        if tag == TAG + "null":  # `!!null application:` is a null key, no `application` (hunt 151 F1)
            raise Refused(
                [
                    syntax_problem(
                        "a key tagged !!null is null whatever its text, so YAML loaders read no key of that name",
                        span,
                        "drop the tag !!null",
                    )
                ]
            )
        if event.style or span.end_line != span.line:
            self.add_string(span, event.style)
        if not event.style:
            self.plain_keys.append((path + (event.value,), span, event.value, tag))
        if event.anchor is not None:  # the key's text can be a value elsewhere: `&k a: 1`, `b: *k`
            self.open_anchor(event.anchor, event.start_mark)
            self.open_anchors[event.anchor].pop()  # a key is closed as soon as it is read
            style = event.style or ""
            data = event.value if style and tag is None else _tagged_value(event.value, tag, span)
            end = len(self.entries)
            located = Located(None, span, style)
            self.anchors[event.anchor] = _Anchor(data, located, event.value, (), end, end, len(event.value))
        elif tag is not None:
            _tagged_value(event.value, tag, span)  # `!!int four: x` is refused as that value would be
        return event.value, span

    def skip(self, event: Any) -> Any:
        """Read past the list or mapping that starts with `event`; the end mark of its last event.
        No deeper than a value may be (libyaml's scanner slows with each level of a flow, so a
        key of `{{{{...` would take quadratic time to read to its end)."""
        open_collections = 1
        while open_collections:
            event = self.next_event()
            kind = type(event)
            if kind is SequenceStartEvent or kind is MappingStartEvent:
                open_collections += 1
                if open_collections > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                open_collections -= 1
        return event.end_mark

    def open_anchor(self, name: str, mark: Any) -> None:
        # A name may be given again (YAML 1.2; Go's yaml.v3 takes it, hunt 155 F1): an alias names
        # the latest node to start with it, as yaml.v3 and ruamel.yaml register a node when it
        # starts (`&p [&p 80]`, `*p` is 80: hunt 157 F2); one inside that node is recursive.
        # Each node's own start and `repeated` are kept, for its size (hunt 157 F1: the inner
        # node's overwrote the outer's, whose size then let an alias bomb through)
        self.anchors.pop(name, None)
        self.anchor_marks[name] = mark
        self.opened += 1
        self.latest[name] = self.opened
        self.open_anchors.setdefault(name, []).append((mark.index, self.repeated, self.opened))

    def close_anchor(self, name: str, value: Any, text: str | None, path: DataPath, first: int, end_index: int) -> None:
        own = self.entries[first]
        assert own is not None
        if name in self.recursive:
            raise Refused([_recursive_alias(own[1].value)])
        start, repeated_before, serial = self.open_anchors[name].pop()
        size = end_index - start + self.repeated - repeated_before
        if serial == self.latest[name]:  # else a node inside it, started later, is the one named
            self.anchors[name] = _Anchor(value, own[1], text, path, first, len(self.entries), size)

    def alias(self, event: Any, path: DataPath, key: Span | None) -> Any:
        """A copy of the anchored value, its entries repeated under `path`."""
        name = event.anchor
        anchored = self.anchors.get(name)
        if anchored is None:
            if name in self.anchor_marks:
                self.recursive.add(name)  # refused when that node ends
                return _Recursive(_span(event.start_mark, event.end_mark))
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        self.count_expansion(anchored.end - anchored.first, _span(event.start_mark, event.end_mark), anchored.size)
        entries = self.entries
        entries.append((path, Located(key, anchored.located.value, anchored.located.style)))
        cut = len(anchored.path)
        for index in range(anchored.first + 1, anchored.end):
            old_path, located = entries[index]  # type: ignore[misc]
            new_path = path + old_path[cut:]
            if len(new_path) > MAX_DEPTH:
                raise Refused(
                    [
                        syntax_problem(
                            f"nesting is deeper than {MAX_DEPTH} levels",
                            _span(event.start_mark, event.end_mark),
                            _FLATTEN,
                        )
                    ]
                )
            entries.append((new_path, located))
        return _copy(anchored.data)

    def count_expansion(self, added: int, span: Span, text: int = 0) -> None:
        """Refuse before expanding past the limits (`span`: where the expansion is asked for;
        `text`: the characters it repeats)."""
        self.expanded += added
        self.repeated += text
        if self.repeated > MAX_ALIAS_TEXT:
            raise Refused(
                [
                    syntax_problem(
                        f"aliases repeat more than {MAX_ALIAS_TEXT:,} characters of text; not expanded",
                        span,
                        "write the values out, or alias less text: each alias is a full copy to check",
                    )
                ]
            )
        if self.expanded > MAX_ALIAS_EXPANSION:
            raise Refused(
                [
                    syntax_problem(
                        f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} extra nodes "
                        '(a "billion laughs" alias bomb?); not expanded',
                        span,
                        "write the values out instead of aliases of aliases",
                    )
                ]
            )

    def merge(self, path: DataPath, explicit: dict[str, Any], merges: list[_Merge]) -> dict[str, Any]:
        """A mapping with its merge keys applied, as the YAML merge key type says: its own keys
        win, then the earlier of the mappings in a `<<: [*a, *b]` list; of two `<<` keys, the
        later. A merged value keeps the position where its mapping writes it."""
        sources: list[tuple[DataPath, dict[str, Any]]] = []  # the lowest precedence first
        for at, value, first, end, _ in merges:
            items = [(at + (i,), item) for i, item in enumerate(value)] if isinstance(value, list) else [(at, value)]
            # the first item that is no mapping is reported, as a loader reads the list (hunt 139 F2)
            for source, item in items:
                if isinstance(item, _Recursive):  # `<<: *v` inside `&v` (hunt 86 F1), at the alias (88 F5)
                    raise Refused([_recursive_alias(item.span)])
                if not isinstance(item, dict):
                    raise Refused(
                        [
                            syntax_problem(
                                "a merge key `<<` needs a mapping or a list of mappings",
                                self.span_in(source, first, end),
                                "write `<<: *name` with the anchor &name on a mapping, or write the keys themselves",
                            )
                        ]
                    )
            sources += reversed(items)
        data: dict[str, Any] = {}
        winner: dict[Any, DataPath] = {}  # a merged key -> the source whose value it takes
        for source, item in sources:
            data.update(item)
            winner.update(dict.fromkeys(item, source))
        data.update(explicit)
        for name in explicit:
            winner.pop(name, None)
        entries = self.entries
        for at, value, first, end, key_span in merges:
            before = len(entries)
            for index in range(first, end):
                old_path, located = entries[index]  # type: ignore[misc]
                source = old_path[: len(at) + 1] if isinstance(value, list) else at
                if len(old_path) > len(source) and winner.get(old_path[len(source)]) == source:
                    entries.append((path + old_path[len(source) :], located))
            # counted after the copying, which costs no more than building the merged value did
            self.count_expansion(len(entries) - before, key_span)
        return data

    def span_in(self, path: DataPath, first: int, end: int) -> Span:
        """The value span of `path`'s entry among entries[first:end]."""
        for index in range(first, end):
            entry = self.entries[index]
            if entry is not None and entry[0] == path:
                return entry[1].value
        return Span(1, 1, 1, 1)  # pragma: no cover - every built value has its entry


class _Recursive(NamedTuple):
    """What an alias inside the node it names stands for until that node ends and the file is
    refused: where the alias is written, for a merge that meets it first."""

    span: Span


def _recursive_alias(span: Span) -> Problem:
    return syntax_problem(
        "an alias refers to the node that contains it (recursive alias)",
        span,
        "an alias cannot repeat a value from inside that value: write the part it needs out in full",
    )


def _unheld(entries: list[Entry], merged: bool) -> list[Entry]:
    """The entries of every value but the last one written for its path, and of every `<<`
    mapping, each with everything inside it (entries are in document order, so what is inside a
    value follows its own entry)."""
    last = {path: index for index, (path, _) in enumerate(entries)}
    found: list[Entry] = []
    index = 0
    while index < len(entries):
        path = entries[index][0]
        if last[path] == index and not (merged and MERGE_KEY in path):
            index += 1
            continue
        depth = len(path)
        end = index + 1
        while end < len(entries) and len(entries[end][0]) > depth and entries[end][0][:depth] == path:
            end += 1
        found += entries[index:end]
        index = end
    return found


def _copy(value: Any) -> Any:
    """A copy of JSON-shaped data, so that no two places of the data share a list or mapping."""
    if isinstance(value, dict):
        copied = {}
        for name, item in value.items():
            copied[name] = _copy(item)
        return copied
    if isinstance(value, list):
        items = []
        for item in value:
            items.append(_copy(item))
        return items
    return value


def _span(start: Any, end: Any) -> Span:
    # ruamel's marks are 0-based; this is the one place they become 1-based.
    return _new_span((start.line + 1, start.column + 1, end.line + 1, end.column + 1))


# A Nexlayer file is a few levels deep; anything near the limit is a mistake or an attack.
_FLATTEN = "a Nexlayer file needs only a few levels: look for brackets that are never closed"


def _after_colon(key: Span) -> Span:
    return Span(key.end_line, key.end_col + 1, key.end_line, key.end_col + 1)


def _too_deep(mark: Any) -> Refused:
    return _refused_at(mark, f"nesting is deeper than {MAX_DEPTH} levels; not parsed", _FLATTEN)


def _tagged_value(text: str, tag: str | None, span: Span) -> Any:
    """A scalar's value under its explicit tag (scalars.plain_value); refused, as YAML loaders
    refuse it, when the tag is a core type the text does not fit. The value is not quoted: it
    may be a secret."""
    try:
        return plain_value(text, tag)
    except NotOfItsTag as wanted:
        name = (tag or "").rpartition(":")[2]
        raise Refused(
            [
                syntax_problem(
                    f"the value tagged !!{name} is not {wanted}, so YAML loaders cannot read it",
                    span,
                    f"drop the tag !!{name} (quote the value to keep it as text), or write {wanted}",
                )
            ]
        ) from None


def _check_collection_tag(tag: str, is_list: bool, mark: Any) -> None:
    """Refuse a list or mapping under a core tag it does not fit (`!!int [1]`), as YAML loaders do."""
    wanted = collection_misfit(tag, is_list)
    if wanted is not None:
        name = tag.rpartition(":")[2]
        raise _refused_at(
            mark,
            f"the tag !!{name} wants {wanted}, not a {'list' if is_list else 'mapping'}, "
            "so YAML loaders cannot read it",
            f"drop the tag !!{name}",
        )


def _not_one_key(tag: str, index: int, mark: Any) -> Refused:
    """An item of a list under `!!omap` or `!!pairs` that is not a one-key mapping, which YAML
    loaders refuse ("expected a single mapping item")."""
    name = tag.rpartition(":")[2]
    return _refused_at(
        mark,
        f"item {index + 1} of the list tagged !!{name} is not a one-key mapping, so YAML loaders cannot read it",
        f"drop the tag !!{name} (a list of mappings needs no tag), or write each item as one `key: value`",
    )


def _refused_at(mark: Any, message: str, hint: str) -> Refused:
    """An NX001 refusal at the parser's mark, one character wide."""
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
    return Refused([syntax_problem(message, span, hint)])


def _complex_key(span: Span) -> Problem:
    return syntax_problem(
        "a mapping key must be a plain value, not a list or mapping",
        span,
        'write the key as text (quote it if it has "[", "{" or "?" in it)',
    )


# The plain keys YAML 1.2 may read as no string: its null and boolean words, and numbers.
_TYPED_KEY_WORDS = frozenset("~ null Null NULL true True TRUE false False FALSE".split())
_NUMBER_START = frozenset("0123456789+-.")


def _typed_key(text: str) -> tuple[type, Any] | None:
    """A plain key's (type, value) when YAML reads it as no string, else None (most keys, at the
    cost of two set lookups: `name`, `image`... are never resolved)."""
    if text not in _TYPED_KEY_WORDS and text[:1] not in _NUMBER_START:
        return None
    value = plain_value(text)
    return None if isinstance(value, str) else (type(value), value)


def _duplicate_key(name: str, first_line: int, span: Span, spelt: str | None = None) -> Problem:
    same = "" if spelt is None else f' as "{spelt}", the same key to YAML'
    return Problem(
        "NX002",
        f'key "{name}" is already defined on line {first_line}{same}',
        span=span,
        hint="remove one of them; YAML parsers disagree on which one wins",
    )


def _duplicate_merge_key(first_line: int, span: Span) -> Problem:
    return Problem(
        "NX002",
        f'merge key "<<" is already used on line {first_line}',
        span=span,
        hint="merge several mappings with one key: <<: [*first, *second]",
    )


def _yaml_version(start: Any) -> Problem:
    """`%YAML 1.2`, which libyaml reads: Go's YAML parsers, `nexlayer deploy`'s, read no other
    version than 1.1, and refuse the file (hunt 151 F2)."""
    directive = "%YAML {}.{}".format(*start.version)
    mark = start.start_mark
    return syntax_problem(
        f"{directive}: the Go YAML parser `nexlayer deploy` uses reads only %YAML 1.1 documents",
        Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 1 + len(directive)),
        'remove the %YAML line (and the "---" after it): a Nexlayer file needs no directive',
    )


def _multiple_documents(mark: Any) -> Problem:
    """NX003 where the second document starts: its `---` (or the first's `...`), or its first
    directive (`%YAML 1.2` before its `---`), which the hint must not leave behind (it did,
    and the file was NX001 then: hunt 110 F3)."""
    return Problem(
        "NX003",
        "the file holds more than one YAML document; Nexlayer reads one",
        span=Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 4),
        hint="remove everything from here to the end (the second document), or move it to its own file",
    )


def _empty() -> Problem:
    return Problem(
        "NX004",
        "the file has no content: it is empty, only comments, or null",
        span=Span(1, 1, 1, 1),
        hint="a Nexlayer file starts with `application:`",
    )


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


# One per thread: ruamel's YAML object holds the stream it is parsing (the language server lints
# on several threads).
_pure = threading.local()


def _pure_yaml() -> YAML:
    yaml: YAML | None = getattr(_pure, "yaml", None)
    if yaml is None:
        yaml = _pure.yaml = YAML(typ="safe", pure=True)
        yaml.Scanner = _PureScanner
    return yaml
