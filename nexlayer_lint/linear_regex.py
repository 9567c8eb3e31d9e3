"""Whether searching with an ECMA-262 pattern takes time linear in the text: the rule for schemas we did not write.

regress, like every ECMA-262 engine, backtracks, and it has no step limit: `^(a+)+$` takes
exponential time and `^a*a*$` quadratic time on a text that almost matches. A pattern from a
schema file or URL is therefore searched only after `refusal(pattern)` has found no reason to
refuse it. The bundled schema's patterns pass the same test (tests/test_linear_regex.py).

The proof counts what a backtracking search explores. A search that fails tries every start
position and, from each, every way the pattern can match each prefix of the rest of the text: its
time is the number of those partial matches. Here the pattern becomes a position automaton (one
state per occurrence of a character class, bounded repetitions unrolled), each edge carrying how
many distinct ways the engine has from one character to the next (`(a*)*` has two, which is what
makes it exponential). A breadth-first search over every possible text then follows the number of
live partial matches in each state. The pattern is accepted when after every character at most
`MAX_WORK` units of work are live: partial matches (weighted by their ways on), from one start
position, and from all start positions together unless the pattern is anchored by `^` (an attempt
that reaches a certain match ends the search, so its paths stop counting there; the one-start bound
covers the rest of that attempt). Bounded work per character is linear time. The count
over-approximates where exactness would cost code: `$`, `\\b`, `\\B` and lookarounds are taken as
always passing, `\\p{...}` as any character. Never accepted: backreferences; lookarounds whose text
has no length bound, except lookaheads right after a leading `^` (they run once per search);
two shapes where regress strays from ECMA-262 (a repetition of what can match nothing inside
another repetition, and a bounded repetition of a group with a choice inside another
repetition: regress loops forever on the first, repeats the second past its bound); syntax this
module does not know (say, the `v` flag's set operations): all refused, never guessed.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

MAX_LENGTH = 10_000  # characters of pattern text
MAX_WORK = 256  # live partial matches (times their ways on) per character
MAX_POSITIONS = 2_000  # character classes once repetitions are unrolled
MAX_STATES = 5_000  # distinct count vectors the breadth-first search may visit
MAX_COUNT = 1_000  # the largest repetition bound written in a pattern
MAX_STEPS = 2_000_000  # the check's own work: a hostile pattern must not make it slow (about a second)

_TOP = 0x10FFFF
Intervals = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point ranges
ANY: Intervals = ((0, _TOP),)


class Chars(NamedTuple):
    intervals: Intervals


class Seq(NamedTuple):
    items: tuple[Node, ...]


class Alt(NamedTuple):
    branches: tuple[Node, ...]


class Repeat(NamedTuple):
    body: Node
    low: int
    high: int | None  # None: no upper bound


class Assertion(NamedTuple):
    kind: str  # "^" (only at the start: no multiline flag), "$", "b" (\b and \B)


class Look(NamedTuple):
    body: Node
    behind: bool


Node = Chars | Seq | Alt | Repeat | Assertion | Look


class Refused(Exception):
    """Why a pattern is not searched: the text of a message."""


def refusal(pattern: str) -> str | None:
    """Why searching with `pattern` could take more than linear time, or None when it cannot.

    `pattern` is already known to be valid ECMA-262 (regress compiled it); what this parser does
    not understand is refused, never guessed.
    """
    return _proof(pattern)[0]


def proof_steps(pattern: str) -> int:
    """The steps refusal's proof of `pattern` takes: a schema bounds its patterns' in all (schema.py)."""
    return _proof(pattern)[1]


@functools.cache  # one entry per pattern of the schemas in use, as patterns.py keeps their searches
def _proof(pattern: str) -> tuple[str | None, int]:
    if len(pattern) > MAX_LENGTH:
        return f"it is longer than {MAX_LENGTH:,} characters", 0
    automaton = _Automaton()
    try:
        tree = _Parser(pattern).parse()
        _check(tree, automaton)
    except Refused as why:
        return str(why), automaton.steps
    except RecursionError:
        return "it is nested too deeply to check", automaton.steps
    return None, automaton.steps


# --- parsing (ECMA-262 with the u flag) ----------------------------------------------------------

_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_LINE_TERMINATORS: Intervals = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
_DIGITS: Intervals = ((0x30, 0x39),)
_WORD: Intervals = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE: Intervals = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_CONTROL_ESCAPES = {"f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}


def _union(*sets: Intervals) -> Intervals:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(r for s in sets for r in s):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _complement(chars: Intervals) -> Intervals:
    out, start = [], 0
    for low, high in chars:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= _TOP:
        out.append((start, _TOP))
    return tuple(out)


_CLASS_ESCAPES = {"d": _DIGITS, "w": _WORD, "s": _SPACE}
_DOT = _complement(_LINE_TERMINATORS)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def parse(self) -> Node:
        node = self.disjunction()
        if self.i != len(self.text):
            raise Refused(f"it has an unmatched {self.text[self.i]!r}")
        return node

    def peek(self, ahead: int = 0) -> str:
        i = self.i + ahead
        return self.text[i] if i < len(self.text) else ""

    def take(self, expected: str) -> None:
        if not self.text.startswith(expected, self.i):
            raise Refused(f"expected {expected!r} at offset {self.i}")
        self.i += len(expected)

    def disjunction(self) -> Node:
        branches = [self.alternative()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.alternative())
        return branches[0] if len(branches) == 1 else Alt(tuple(branches))

    def alternative(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.term())
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def term(self) -> Node:
        char = self.peek()
        if char in ("^", "$"):
            self.i += 1
            return self.unquantified(Assertion(char))
        if char == "\\" and self.peek(1) in ("b", "B"):
            self.i += 2
            return self.unquantified(Assertion("b"))
        for opener, behind in (("(?=", False), ("(?!", False), ("(?<=", True), ("(?<!", True)):
            if self.text.startswith(opener, self.i):
                self.i += len(opener)
                body = self.disjunction()
                self.take(")")
                return self.unquantified(Look(body, behind))
        return self.quantified(self.atom())

    def unquantified(self, node: Node) -> Node:
        if self.peek() in ("*", "+", "?", "{"):
            raise Refused("it quantifies an assertion")
        return node

    def atom(self) -> Node:
        char = self.peek()
        if char == ".":
            self.i += 1
            return Chars(_DOT)
        if char == "[":
            return Chars(self.char_class())
        if char == "(":
            if self.text.startswith("(?:", self.i):
                self.i += 3
            elif self.text.startswith("(?<", self.i):
                end = self.text.find(">", self.i)
                if end < 0:
                    raise Refused("it has an unterminated group name")
                self.i = end + 1
            elif self.text.startswith("(?", self.i):
                raise Refused(f"it uses a group kind this check does not know ({self.text[self.i : self.i + 3]!r})")
            else:
                self.i += 1
            node = self.disjunction()
            self.take(")")
            return node
        if char == "\\":
            self.i += 1
            return self.atom_escape()
        if char in ("*", "+", "?", "{", "}", "]", ")"):
            raise Refused(f"it has a stray {char!r}")
        self.i += 1
        return Chars(((ord(char), ord(char)),))

    def quantified(self, atom: Node) -> Node:
        char = self.peek()
        if char == "*":
            low, high = 0, None
        elif char == "+":
            low, high = 1, None
        elif char == "?":
            low, high = 0, 1
        elif char == "{":
            low, high = self.braces()
        else:
            return atom
        self.i += 1 if char != "{" else 0
        if self.peek() == "?":  # lazy: the same paths, tried in another order
            self.i += 1
        return Repeat(atom, low, high)

    def braces(self) -> tuple[int, int | None]:
        self.take("{")
        low = self.number()
        high: int | None = low
        if self.peek() == ",":
            self.i += 1
            high = None if self.peek() == "}" else self.number()
        self.take("}")
        if high is not None and high < low:
            raise Refused("it has a repetition whose bounds are out of order")
        return low, high

    def number(self) -> int:
        start = self.i
        while self.peek().isascii() and self.peek().isdigit():
            self.i += 1
        digits = self.text[start : self.i]
        if not digits:
            raise Refused(f"it has a malformed repetition at offset {start}")
        if len(digits) > 6 or int(digits) > MAX_COUNT:
            raise Refused(f"it repeats something more than {MAX_COUNT:,} times")
        return int(digits)

    def atom_escape(self) -> Node:
        char = self.peek()
        if char.lower() in _CLASS_ESCAPES:
            self.i += 1
            chars = _CLASS_ESCAPES[char.lower()]
            return Chars(chars if char.islower() else _complement(chars))
        if char in ("p", "P"):
            self.property()
            return Chars(ANY)
        if char.isascii() and char.isdigit() and not (char == "0" and not self.peek(1).isdigit()):
            raise Refused("it has a backreference")
        if char == "k":
            raise Refused("it has a backreference")
        return Chars(((self.character_escape(in_class=False),) * 2,))

    def property(self) -> None:
        """Skip `p{...}`: a Unicode property, taken as any character (an over-approximation)."""
        self.i += 1
        end = self.text.find("}", self.i)
        if self.peek() != "{" or end < 0:
            raise Refused("it has a malformed \\p{...}")
        self.i = end + 1

    def character_escape(self, in_class: bool) -> int:
        """The code point of the escape after a backslash (the backslash already read)."""
        char = self.peek()
        self.i += 1
        if char in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[char]
        if char == "c" and self.peek().isascii() and self.peek().isalpha():
            self.i += 1
            return ord(self.text[self.i - 1]) % 32
        if char == "0" and not self.peek().isdigit():
            return 0
        if char == "x":
            return self.hex_digits(2)
        if char == "u":
            if self.peek() == "{":
                end = self.text.find("}", self.i)
                if end < 0 or not 1 <= end - self.i - 1 <= 8:
                    raise Refused("it has a malformed \\u{...}")
                value = self.hex_text(self.text[self.i + 1 : end])
                self.i = end + 1
                return value
            value = self.hex_digits(4)
            # a surrogate pair written as two escapes is one character under the u flag
            if 0xD800 <= value <= 0xDBFF and self.text.startswith("\\u", self.i):
                saved = self.i
                self.i += 2
                try:
                    low = self.hex_digits(4)
                except Refused:
                    low = -1
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                self.i = saved
            return value
        if char in _SYNTAX or (in_class and char == "-"):
            return ord(char)
        if in_class and char == "b":
            return 0x08
        raise Refused(f"it has an escape this check does not know (\\{char})")

    def hex_digits(self, count: int) -> int:
        value = self.hex_text(self.text[self.i : self.i + count])
        if len(self.text[self.i : self.i + count]) != count:
            raise Refused("it has a short hexadecimal escape")
        self.i += count
        return value

    @staticmethod
    def hex_text(digits: str) -> int:
        if not digits or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise Refused("it has a malformed hexadecimal escape")
        value = int(digits, 16)
        if value > _TOP:
            raise Refused("it names a code point beyond U+10FFFF")
        return value

    def char_class(self) -> Intervals:
        self.take("[")
        negated = self.peek() == "^"
        self.i += negated
        parts: list[Intervals] = []
        approximate = False  # \p{...} stands for any character: its complement must too
        while self.peek() != "]":
            if not self.peek():
                raise Refused("it has an unterminated character class")
            chars, single = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                _, high = self.class_atom()
                if single is None or high is None or high < single:
                    raise Refused("it has a malformed range in a character class")
                chars = ((single, high),)
            approximate = approximate or chars is ANY
            parts.append(chars)
        self.i += 1
        if negated:
            return ANY if approximate else _complement(_union(*parts))
        return _union(*parts)

    def class_atom(self) -> tuple[Intervals, int | None]:
        """The characters of one class member, and its code point when it is a single one."""
        char = self.peek()
        self.i += 1
        if char != "\\":
            return ((ord(char), ord(char)),), ord(char)
        escape = self.peek()
        if escape.lower() in _CLASS_ESCAPES:
            self.i += 1
            chars = _CLASS_ESCAPES[escape.lower()]
            return (chars if escape.islower() else _complement(chars)), None
        if escape in ("p", "P"):
            self.property()
            return ANY, None
        point = self.character_escape(in_class=True)
        return ((point, point),), point


# --- the position automaton, with the number of ways between positions ------------------------


class _Fragment(NamedTuple):
    """Part of the automaton. Multiplicities count the engine's distinct ways (epsilon paths).

    first: position -> (ways in that pass no `^`, ways in that pass one); a `^` holds only before
    the first character. last: position -> (ways out that pass no assertion, ways out that pass no
    `^`). empty: ways through without reading a character (no assertion, no `^`, through a `^`).
    """

    first: dict[int, tuple[int, int]]
    last: dict[int, tuple[int, int]]
    empty: tuple[int, int, int]


_EMPTY = _Fragment({}, {}, (1, 1, 0))


class _Automaton:
    def __init__(self) -> None:
        self.classes: dict[Intervals, int] = {}  # each distinct character class, numbered
        self.class_of: list[int] = []  # position -> its class
        self.follow: list[dict[int, int]] = []  # position -> {next position: ways}
        self.steps = 0

    def spend(self, steps: int) -> None:
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise Refused("it is too complex to check")

    def position(self, chars: Intervals) -> _Fragment:
        if len(self.class_of) >= MAX_POSITIONS:
            raise Refused(
                f"it is too large to check (over {MAX_POSITIONS:,} character classes once repetitions are unrolled)"
            )
        self.class_of.append(self.classes.setdefault(chars, len(self.classes)))
        self.follow.append({})
        index = len(self.class_of) - 1
        return _Fragment({index: (1, 0)}, {index: (1, 1)}, (0, 0, 0))

    def build(self, node: Node, once_at_start: frozenset[int] = frozenset()) -> _Fragment:
        if isinstance(node, Chars):
            return self.position(node.intervals)
        if isinstance(node, Seq):
            fragment = _EMPTY
            for item in node.items:
                fragment = self.concat(fragment, self.build(item, once_at_start))
            return fragment
        if isinstance(node, Alt):
            fragment = _Fragment({}, {}, (0, 0, 0))
            for branch in node.branches:
                fragment = self.either(fragment, self.build(branch, once_at_start))
            return fragment
        if isinstance(node, Assertion):
            return _Fragment({}, {}, (0, 0, 1) if node.kind == "^" else (0, 1, 0))
        if isinstance(node, Look):
            _check_lookaround(node, runs_once=id(node) in once_at_start)
            return _Fragment({}, {}, (0, 1, 0))
        return self.repeat(node)

    def repeat(self, node: Repeat) -> _Fragment:
        # ECMA-262's RepeatMatcher: the first `low` iterations may match nothing; after them an
        # iteration that matches nothing fails, so it is not a way on.
        fragment = _EMPTY
        for _ in range(node.low):
            fragment = self.concat(fragment, self.build(node.body))
        if node.high is None:
            body = self.build(node.body)
            _bounded(body)
            for p, (_, out) in body.last.items():  # one more iteration after this one
                for q, (into, _gated) in body.first.items():
                    self.add(p, q, out * into)
            return self.concat(fragment, _Fragment(body.first, body.last, (1, 1, 0)))
        optional = _EMPTY
        for _ in range(node.high - node.low):
            body = self.build(node.body)
            _bounded(body)
            optional = self.either(self.concat(_Fragment(body.first, body.last, (0, 0, 0)), optional), _EMPTY)
        return self.concat(fragment, optional)

    def concat(self, a: _Fragment, b: _Fragment) -> _Fragment:
        self.spend(len(a.first) + len(a.last) * (1 + len(b.first)) + len(b.last))
        a_sure, a_free, a_gated = a.empty
        b_sure, b_free, b_gated = b.empty
        first = dict(a.first)
        if a_free or a_gated:  # b's first characters can also be the first of both
            for q, (free, gated) in b.first.items():
                first[q] = (a_free * free, a_gated * (free + gated) + a_free * gated)
        last = dict(b.last)
        for p, (sure, free) in a.last.items():
            last[p] = (sure * b_sure, free * b_free)  # past `^` after a character: a dead end
            for q, (into, _gated) in b.first.items():
                self.add(p, q, free * into)
        empty = (a_sure * b_sure, a_free * b_free, (a_free + a_gated) * (b_free + b_gated) - a_free * b_free)
        return _bounded(_Fragment(_nonzero(first), _nonzero(last), empty))

    def either(self, a: _Fragment, b: _Fragment) -> _Fragment:
        self.spend(len(a.first) + len(a.last) + len(b.first) + len(b.last))
        return _bounded(
            _Fragment(
                {**a.first, **b.first},
                {**a.last, **b.last},
                (a.empty[0] + b.empty[0], a.empty[1] + b.empty[1], a.empty[2] + b.empty[2]),
            )
        )

    def add(self, p: int, q: int, ways: int) -> None:
        self.spend(1)
        if ways:
            total = self.follow[p].get(q, 0) + ways
            if total > MAX_WORK:
                raise Refused(_AMBIGUOUS)
            self.follow[p][q] = total


_AMBIGUOUS = (
    "its repetitions can match the same text in many ways (like (a+)+ or a*a*), "
    "so a search could take exponential or polynomial time"
)
_UNANCHORED = (
    "it does not start with ^, and a failing search would rescan the text from every position "
    "(like a+$); anchor it with ^ or bound its repetitions"
)


def _nonzero(ways: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    return {k: v for k, v in ways.items() if v != (0, 0)}


def _bounded(fragment: _Fragment) -> _Fragment:
    if (
        max(fragment.empty) > MAX_WORK
        or any(sum(v) > MAX_WORK for v in fragment.first.values())
        or any(max(v) > MAX_WORK for v in fragment.last.values())
    ):
        raise Refused(_AMBIGUOUS)
    return fragment


# --- the search over every text -------------------------------------------------------------------


def _check(tree: Node, automaton: _Automaton) -> None:
    _no_loops_regress_mishandles(tree, in_loop=False)
    top = automaton.build(tree, _runs_once(tree))
    letters = _letters(automaton)
    starts_everywhere = {q: free for q, (free, _) in top.first.items() if free}
    at_index_0 = {q: free + gated for q, (free, gated) in top.first.items()}
    # one attempt, every path
    _explore(automaton, letters, at_index_0, {}, frozenset(), _AMBIGUOUS)
    if starts_everywhere and not top.empty[0]:  # (a pattern that can match nothing always matches at 0)
        # every attempt at once; a path at a position with a way out that passes no assertion ends
        # the search (that attempt matches), so it stops counting there
        certain = frozenset(p for p, (sure, _) in top.last.items() if sure)
        _explore(automaton, letters, at_index_0, starts_everywhere, certain, _UNANCHORED)


def _letters(automaton: _Automaton) -> list[frozenset[int]]:
    """The alphabet cut into pieces no class tells apart: each piece as the classes that hold it."""
    classes = list(automaton.classes)
    bounds = sorted({b for intervals in classes for low, high in intervals for b in (low, high + 1)} | {0})
    automaton.spend(len(bounds) * len(classes))
    pieces = {
        frozenset(c for c, intervals in enumerate(classes) if _contains(intervals, start)): None
        for start in bounds
        if start <= _TOP
    }
    return list(pieces)


def _contains(intervals: Intervals, point: int) -> bool:
    return any(low <= point <= high for low, high in intervals)


def _explore(
    automaton: _Automaton,
    letters: list[frozenset[int]],
    first: dict[int, int],
    restart: dict[int, int],
    certain: frozenset[int],
    why: str,
) -> None:
    """Every vector of live path counts after some text; Refused when the work can pass MAX_WORK."""
    follow, class_of = automaton.follow, automaton.class_of
    fan_out = [1 + sum(ways.values()) for ways in follow]
    restart_cost = sum(restart.values())

    def after(counts: dict[int, int], letter: frozenset[int], starts: dict[int, int]) -> tuple[tuple[int, int], ...]:
        automaton.spend(1 + len(starts) + sum(len(follow[p]) for p in counts))
        nxt: dict[int, int] = {q: ways for q, ways in starts.items() if class_of[q] in letter}
        for p, live in counts.items():
            for q, ways in follow[p].items():
                if class_of[q] in letter:
                    nxt[q] = nxt.get(q, 0) + live * ways
        state = tuple(sorted((q, n) for q, n in nxt.items() if q not in certain))
        if restart_cost + sum(n * fan_out[q] for q, n in state) > MAX_WORK:
            raise Refused(why)
        return state

    seen: set[tuple[tuple[int, int], ...]] = set()
    queue = [after({}, letter, first) for letter in letters]
    while queue:
        state = queue.pop()
        if state in seen or (not state and not restart):
            continue
        seen.add(state)
        if len(seen) > MAX_STATES:
            raise Refused(f"it is too complex to check (over {MAX_STATES:,} states)")
        counts = dict(state)
        queue.extend(after(counts, letter, restart) for letter in letters)


def _no_loops_regress_mishandles(node: Node, in_loop: bool) -> None:
    """Refuse two shapes inside another repetition (`in_loop`), where regress (2026.9.1) strays
    from the paths the count follows, so the count cannot vouch for them:

    - a repetition of something that can match the empty string: regress loops forever on some
      of them when a search fails, even on a short text (`^(?:x(?:a?)?)*$` on "xax!");
    - a bounded repetition of something with a choice in it. regress keeps one iteration count
      per quantified group and sets it to 0 each time the group is entered, without saving the
      old count for backtracking. Once an outer repetition has entered the group again,
      backtracking into a choice inside an earlier pass of it (an alternative, a repetition's
      other length) resumes with a count of 0: the group goes past its bound.
      `^(?:(?:[ab]|a)?){0,3}$` matches "aaaaaaaa" and takes quadratic time on "a" * n + "!"
      (cubic with {0,4}); `^(?:\\.a(?:a*a)?)*$`, exponential time on ".aaaaaa" * n + "!". A
      group with no upper bound gains nothing from a fresh count (more passes are paths
      ECMA-262 has too, and an empty one is the first shape), so `(?:-+[a-z0-9]+)*` inside
      `(?:\\.label)*` stays accepted; a group with no choice inside has nothing to backtrack into.
    """
    if isinstance(node, Repeat):
        if in_loop and _nullable(node.body):
            raise Refused(
                "it repeats something that can match the empty string inside another repetition, "
                "which can make regress loop forever"
            )
        if in_loop and node.high is not None and _has_choice(node.body):
            raise Refused(
                "it has a bounded repetition of a group with a choice inside (like (?:a|b)? or "
                "(?:a*a)?) inside another repetition, which regress can repeat past its bound, "
                "taking polynomial or exponential time"
            )
        _no_loops_regress_mishandles(node.body, in_loop or node.high != 1)
    elif isinstance(node, (Seq, Alt)):
        for child in node.items if isinstance(node, Seq) else node.branches:
            _no_loops_regress_mishandles(child, in_loop)
    elif isinstance(node, Look):
        _no_loops_regress_mishandles(node.body, in_loop)


def _has_choice(node: Node) -> bool:
    """Whether matching `node` leaves something to backtrack into: an alternative, or a length."""
    if isinstance(node, Alt):
        return True
    if isinstance(node, Seq):
        return any(_has_choice(item) for item in node.items)
    if isinstance(node, Repeat):
        return node.low != node.high or _has_choice(node.body)
    if isinstance(node, Look):
        return _has_choice(node.body)  # (run to its end, so none is left; refused all the same)
    return False


def _nullable(node: Node) -> bool:
    if isinstance(node, Chars):
        return False
    if isinstance(node, Seq):
        return all(_nullable(item) for item in node.items)
    if isinstance(node, Alt):
        return any(_nullable(branch) for branch in node.branches)
    if isinstance(node, Repeat):
        return node.low == 0 or _nullable(node.body)
    return True  # an assertion or a lookaround reads nothing


def _max_length(node: Node) -> float:
    if isinstance(node, Chars):
        return 1
    if isinstance(node, Seq):
        return sum(_max_length(item) for item in node.items)
    if isinstance(node, Alt):
        return max(_max_length(branch) for branch in node.branches)
    if isinstance(node, Repeat):
        body = _max_length(node.body)
        return body * node.high if node.high is not None else (float("inf") if body else 0)
    return 0


def _reversed(node: Node) -> Node:
    """The pattern read right to left, as a lookbehind is matched."""
    if isinstance(node, Seq):
        return Seq(tuple(_reversed(item) for item in reversed(node.items)))
    if isinstance(node, Alt):
        return Alt(tuple(_reversed(branch) for branch in node.branches))
    if isinstance(node, Repeat):
        return Repeat(_reversed(node.body), node.low, node.high)
    return node


def _runs_once(tree: Node) -> frozenset[int]:
    """The lookaheads right after a leading `^` (and other assertions): tried once, at index 0."""
    once: set[int] = set()
    for branch in tree.branches if isinstance(tree, Alt) else (tree,):
        items = branch.items if isinstance(branch, Seq) else (branch,)
        anchored = False
        for item in items:
            if item == Assertion("^"):
                anchored = True
            elif isinstance(item, Look) and anchored and not item.behind:
                once.add(id(item))
            elif not isinstance(item, (Assertion, Look)):
                break
    return frozenset(once)


def _check_lookaround(look: Look, runs_once: bool) -> None:
    """A lookaround runs wherever it is reached: its own search must be short, or happen once."""
    if not runs_once and _max_length(look.body) == float("inf"):
        raise Refused(
            "it has a lookaround with no bound on the text it reads, which a search "
            "would rerun at every position (allowed only right after a leading ^)"
        )
    body = _reversed(look.body) if look.behind else look.body
    automaton = _Automaton()
    top = automaton.build(body)
    at_start = {q: free + gated for q, (free, gated) in top.first.items()}
    _explore(automaton, _letters(automaton), at_start, {}, frozenset(), _AMBIGUOUS)
