"""The data that flows between stages: Span, Document, Problem, Diagnostic."""

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from nexlayer_lint.lazy_regex import lazy

PathPart = str | int
DataPath = tuple[PathPart, ...]
# The path part under which a mapping merged by `<<` is written (builder.py); its keys are the
# data's at the path before it.
MERGE_KEY = "<<"
Severity = Literal["error", "warning", "info"]
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


# The value types here are named tuples, not frozen dataclasses (only Document, which caches its
# lines, is a dataclass): both are immutable, but making a dataclass generates its methods
# through exec() at every start-up, and a named tuple is also built several times faster (the
# loader makes two or three Spans per value of every file). Change one with `_replace`, read it
# as a dict with `_asdict`.
#
# Modules that define many named tuples (this one, builder, secrets, checks/app, checks/declare)
# do without `from __future__ import annotations`: typing.NamedTuple compiles every annotation
# written as a string when the class is made, which was about 2% of a one-file run. A name used
# before it is defined is quoted instead (`-> "App"`).


class Span(NamedTuple):
    """A region of the file. Lines and columns are 1-based; end_col is exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int


class Located(NamedTuple):
    """Where one node of the data lives: its key (None for list items and the root) and value."""

    key: Span | None
    value: Span
    # Scalar style as YAML wrote it: "" plain, "'" or '"' quoted, "|" or ">" block; None for collections.
    style: str | None = None


class Comment(NamedTuple):
    """A comment of the file: where its `#` is, its text after the `#` (stripped), and whether
    nothing but blanks comes before it on its line."""

    line: int
    col: int
    text: str
    own_line: bool


# The line breaks the YAML reader counts (ruamel counts NEL, LS and PS too): spans count lines so.
LINE_BREAK = lazy("\r\n|[\n\r\x85\u2028\u2029]")

# The exit code of a run Ctrl-C ended (the command line, the language server): 128 + SIGINT, as a
# shell reports it; never 1, which says "findings".
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Document:
    """A parsed file: JSON-shaped data plus the position of every data path."""

    path: str
    text: str
    data: Any
    positions: Mapping[DataPath, Located]
    comments: tuple[Comment, ...] = ()
    # Every plain (unquoted) scalar value as the file writes it, in file order: (path, span,
    # text, tag), the tag as the parser resolved it (`tag:yaml.org,2002:str` for `!!str`, `!`),
    # None without one. Its data may be a number, a bool or null; YAML 1.1 reads some of them
    # differently.
    plain_scalars: tuple[tuple[DataPath, Span, str, str | None], ...] = ()
    # Every plain mapping key as the file writes it, in file order, the same way: the path is
    # the path of the key's value. A key that is an alias is where its anchor was written.
    plain_keys: tuple[tuple[DataPath, Span, str, str | None], ...] = ()
    # Where the values the data does not hold were written, as (path, Located): a repeated key's
    # earlier values and the mappings merged with `<<`, with everything inside them. Their text is
    # still in the file (and `positions` may still name some of them).
    unheld: tuple[tuple[DataPath, Located], ...] = ()
    # The first and last line of every scalar written over more than one line (a block scalar's
    # from its header): a suppression on either covers all of its lines.
    multiline_scalars: tuple[tuple[int, int], ...] = ()

    def locate(self, path: DataPath, at: Literal["key", "value"] = "value") -> Span:
        """The span of `path`; falls back to the deepest prefix that exists, then line 1.

        A mapping or list is given by its first line only: underlining a whole block helps nobody.
        """
        for end in range(len(path), -1, -1):
            located = self.positions.get(tuple(path[:end]))
            if located is None:
                continue
            if located.key is not None and (at == "key" or end < len(path)):
                # the key itself, or the path runs past what exists: the deepest node's key
                return located.key
            return located.value if located.style is not None else self._first_line(located.value)
        return Span(1, 1, 1, 1)

    def _first_line(self, span: Span) -> Span:
        if span.end_line == span.line:
            return span
        text = self.lines[span.line - 1] if 0 < span.line <= len(self.lines) else ""
        return Span(span.line, span.col, span.line, max(len(text.rstrip()) + 1, span.col + 1))

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, split once per document however many findings ask."""
        return self.text.splitlines()

    @cached_property
    def line_starts(self) -> list[int]:
        """The offset where each line starts (line 1 at 0), at the line breaks YAML counts."""
        return [0, *(match.end() for match in LINE_BREAK.finditer(self.text))]

    def source_of(self, path: DataPath) -> str | None:
        """The text a one-line scalar occupies in the file, quotes included; None otherwise."""
        located = self.positions.get(tuple(path))
        if located is None or located.style is None or located.value.line != located.value.end_line:
            return None
        span = located.value
        if span.line > len(self.lines):
            return None
        return self.lines[span.line - 1][span.col - 1 : span.end_col - 1]

    def get(self, *path: PathPart, default: Any = None) -> Any:
        """Safe lookup in `data`: returns `default` as soon as a step does not exist."""
        return get_in(self.data, path, default)


def get_in(data: Any, path: DataPath, default: Any = None) -> Any:
    """Follow `path` through JSON-shaped data; `default` as soon as a step does not exist."""
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return default
    return node


Applicability = Literal["safe", "unsafe"]


def names_in(data: Any) -> tuple[Any, ...]:
    """The app's name and every pod's, each with its type (and whether the pod is a mapping):
    what decides which values name a pod (`db.pod`, `${db:5432}`, `<app>-<pod>`), and so which are
    references, and which secrets. A lint of an edit reuses what depends on them only when equal."""
    application = data.get("application") if isinstance(data, dict) else None
    if not isinstance(application, dict):
        return ()
    pods = application.get("pods")
    name = application.get("name")
    found: list[tuple[Any, ...]] = [(True, type(name), name)]
    for pod in pods if isinstance(pods, list) else ():
        name = pod.get("name") if isinstance(pod, dict) else None
        found.append((isinstance(pod, dict), type(name), name))
    return tuple(found)


T = TypeVar("T")


class LastDocument(threading.local, Generic[T]):
    """An answer worked out for the last document asked about, compared with `is` (never hashed:
    a Document's data is a dict, though a loaded document's does not change). The engine asks
    about one document several times (schema messages, checks, code frames) before it moves on.
    Each thread has its own: the language server lints documents on several threads at once, and
    one shared entry made a big document's lint 5-6x slower while another was edited (hunt 150 F5).
    The document is held weakly, and its answer dropped with it: a document the language server
    closed is not kept alive by a worker thread that lints nothing else."""

    def __init__(self) -> None:
        self.entry: list[Any] = []  # [a weak reference to the document, its answer], or empty

    def get(self, doc: Document) -> T | None:
        entry = self.entry
        return entry[1] if entry and entry[0]() is doc else None

    def put(self, doc: Document, value: T) -> T:
        entry: list[Any] = []
        # the callback clears this entry's list, whichever thread frees the document
        entry += [weakref.ref(doc, lambda _gone: entry.clear()), value]
        self.entry.clear()  # the last answer goes now, not when the collector finds its cycle
        self.entry = entry
        return value


class Edit(NamedTuple):
    """Replace the text of `span` (1-based, end exclusive, as every Span) with `text`.
    An empty span inserts; an empty `text` deletes."""

    span: Span
    text: str


class Fix(NamedTuple):
    """A correction a check offers with its finding: text edits at exact spans of the source.

    `safe`: the meaning of the file does not change (or only as the rule's page says);
    `unsafe`: it may change behaviour (a rename, a move of data). Edits of one fix never overlap.
    """

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


class Explains(NamedTuple):
    """The problems another Problem explains: those with `code` at the data path `path`, or, with
    `subtree`, at `path` or anywhere under it. The engine reports only the explaining one (one
    cause, one finding): a misspelt required key explains the unknown-key warning about it.
    With `at`, only those about the key or the value there (a value's wrong type explains the
    value's YAML 1.1 warning, not its key's)."""

    code: str
    path: DataPath
    subtree: bool = False
    at: Literal["key", "value"] | None = None


class Problem(NamedTuple):
    """What the loader, the schema step, a check or the remote step yields.

    Checks never compute lines, file names or severities: the engine does, from `path`.
    `span` overrides the lookup (the loader's parser marks have no data path); `offset` is a
    (start, end) character range inside a string value, to point at part of it (the engine finds
    where those characters are written, over escapes and folded lines).
    """

    code: str
    message: str
    path: DataPath = ()
    hint: str | None = None
    at: Literal["key", "value"] = "value"
    span: Span | None = None
    offset: tuple[int, int] | None = None
    # A check's own severity for this finding when it differs from the rule's default (NX202 is a
    # warning when PGDATA sidesteps the problem); a severity the user configured still wins.
    severity: Severity | None = None
    fix: Fix | None = None
    # The other findings this one is the cause of: the engine drops them (engine._one_cause).
    explains: tuple[Explains, ...] = ()


def syntax_problem(message: str, span: Span, hint: str | None = None) -> Problem:
    """An NX001: the text is not YAML the loader reads."""
    return Problem("NX001", message, span=span, hint=hint)


def span_at(text: str, index: int) -> Span:
    """The one-character span of `text[index]`, its line counted at the line breaks YAML counts
    (a file whose lines end in CR alone has as many lines as its frames show)."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    col = index - start + 1
    return Span(line, col, line, col + 1)


class Rule(NamedTuple):
    """One rule: its stable code, kebab-case name, default severity and one-line summary.

    `nexlayer_lint.rules.RULES` lists every rule. A check's rule is declared on its function with
    `@rule(...)` (checks/declare.py), which fills in `check`; the rules of the other stages
    (loader, schema, suppress, remote) are declared in rules.py and have none.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    stage: Literal["loader", "schema", "check", "suppress", "remote"]
    # For a check: the function the engine calls with the document's `checks.app.App`; it yields
    # `checks.declare.Finding`s, to which the engine gives this rule's code.
    check: Callable[[Any], Iterable[Any]] | None = None


class Diagnostic(NamedTuple):
    """The only thing reporters see."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    name: str
    severity: Severity
    message: str
    hint: str | None = None
    path: str = ""
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)


class SchemaInfo(NamedTuple):
    """Which schema a run used, for reports: bundled@version, a file, or a URL with its sha256."""

    source: str  # "bundled", "file", "url", "cache"
    location: str
    version: str
    sha256: str = ""

    def describe(self) -> str:
        if self.source == "bundled":
            return f"bundled@{self.version}"
        return f"{self.location} (sha256:{self.sha256[:12]})" if self.sha256 else self.location


class FileResult(NamedTuple):
    """One linted file: its diagnostics, and its text with secret values masked for their code
    frames (empty when there is no diagnostic to frame; `secrets.mask_text(document)` makes it
    for any document; for a file that does not parse, `unparsed.mask` keeps only the lines the
    diagnostics cover, the others empty)."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    masked_text: str = ""
    error: str | None = None  # an I/O or internal error that makes the run exit 2


class RunInfo(NamedTuple):
    """Metadata of one run that reporters may print."""

    tool_version: str
    schema: SchemaInfo
    extra: Mapping[str, Any] = MappingProxyType({})


def format_path(path: DataPath) -> str:
    """("application", "pods", 0, "image") -> "application.pods[0].image"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
