"""The language server (`nexlayer-lint server`): live diagnostics, hovers and quick fixes over stdio.

Built on pygls (the optional `lsp` extra). It lints with the same engine and the same config
discovery as the CLI, so an editor and CI never disagree. Every parse and lint runs on one daemon
thread (the loader shares one ruamel parser, which is not thread-safe); the event loop only
schedules, converts and answers, so a slow lint never blocks the protocol and a stale result is
never published.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import re
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from nexlayer_lint import __version__, suppress
from nexlayer_lint.config import CONFIG_FILES, ConfigError, Settings, discover, find_config, for_file, without_network
from nexlayer_lint.model import DataPath, Diagnostic, Document
from nexlayer_lint.patterns import PatternError, Patterns

SOURCE = "nexlayer-lint"
FILE_NAMES = ("nexlayer.yaml", "nexlayer.yml")
DEFAULT_DEBOUNCE_MS = 150
# Above this size, hovers on keys and the re-lint that proves a quick fix are skipped: both re-parse.
MAX_INTERACTIVE_CHARS = 1_000_000

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TOP_LEVEL_APPLICATION = re.compile(r"""^(?:application|"application"|'application')[ \t]*:""", re.MULTILINE)
_DID_YOU_MEAN = re.compile(r'^did you mean "([A-Za-z0-9_.-]+)"\?')
_PLAIN_SCALAR = re.compile(r"[A-Za-z0-9_.:+-]+")
_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}

log = logging.getLogger(__name__)


# --- which documents ---------------------------------------------------------------------------


def is_nexlayer_document(uri: str, text: str, language_id: str | None = None) -> bool:
    """nexlayer.yaml / nexlayer.yml, or any YAML document whose top-level key is `application`."""
    name = unquote(uri.rsplit("/", 1)[-1])
    if name in FILE_NAMES:
        return True
    if not (name.endswith((".yaml", ".yml")) or language_id == "yaml"):
        return False
    return _TOP_LEVEL_APPLICATION.search(text) is not None


# --- positions: the engine's 1-based code points <-> LSP's 0-based client units -------------------


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them (\\n, \\r\\n and \\r end a line), without their breaks."""
    return _LINE_BREAK.split(text)


def _width(text: str, encoding: str) -> int:
    if encoding == lsp.PositionEncodingKind.Utf32 or text.isascii():
        return len(text)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _bom(lines: Sequence[str], line0: int) -> int:
    # The loader drops a leading BOM, so its columns on line 1 are one short of the editor's.
    return 1 if line0 == 0 and lines and lines[0].startswith("\ufeff") else 0


def to_position(lines: Sequence[str], line: int, col: int, encoding: str) -> lsp.Position:
    """1-based (line, col) in code points -> a 0-based LSP position in the client's units."""
    line0 = max(line - 1, 0)
    if line0 >= len(lines):
        return lsp.Position(line=len(lines), character=0) if lines else lsp.Position(line=0, character=0)
    text = lines[line0]
    col0 = min(max(col - 1 + _bom(lines, line0), 0), len(text))
    return lsp.Position(line=line0, character=_width(text[:col0], encoding))


def from_position(lines: Sequence[str], position: lsp.Position, encoding: str) -> tuple[int, int]:
    """A 0-based LSP position -> the engine's 1-based (line, col) in code points."""
    if position.line >= len(lines):
        return position.line + 1, 1
    text = lines[position.line]
    if encoding == lsp.PositionEncodingKind.Utf32 or text.isascii():
        col0 = min(position.character, len(text))
    else:
        units, col0 = 0, len(text)
        for index, ch in enumerate(text):
            if units >= position.character:
                col0 = index
                break
            units += _width(ch, encoding)
    return position.line + 1, col0 + 1 - _bom(lines, position.line)


def to_range(lines: Sequence[str], d: Diagnostic, encoding: str) -> lsp.Range:
    return lsp.Range(start=to_position(lines, d.line, d.col, encoding),
                     end=to_position(lines, d.end_line, d.end_col, encoding))


def to_lsp_diagnostic(d: Diagnostic, lines: Sequence[str], encoding: str) -> lsp.Diagnostic:
    from nexlayer_lint.docs import rule_url

    return lsp.Diagnostic(
        range=to_range(lines, d, encoding),
        message=d.message + (f"\nhelp: {d.hint}" if d.hint else ""),
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=lsp.CodeDescription(href=rule_url(d.code)),
        source=SOURCE,
    )


def _covers(d: Diagnostic, line: int, col: int) -> bool:
    start, end = (d.line, d.col), (d.end_line, d.end_col)
    return start <= (line, col) < end or (line, col) == start


def _overlaps(d: Diagnostic, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (d.line, d.col) <= end and start <= (d.end_line, d.end_col)


# --- hover -------------------------------------------------------------------------------------


def rule_hover(code: str) -> str:
    """The rule's page, as markdown, with a link to it on the web."""
    from nexlayer_lint.docs import rule_text, rule_url
    from nexlayer_lint.rules import RULES

    rule = RULES[code]
    return f"{rule_text(code).rstrip()}\n\n[{code} {rule.name}]({rule_url(code)})"


def key_at(document: Document, line: int, col: int) -> DataPath | None:
    """The data path of the mapping key under (line, col), if any."""
    for path, located in document.positions.items():
        span = located.key
        if span is not None and (span.line, span.col) <= (line, col) < (span.end_line, span.end_col):
            return path
    return None


def schema_description(schema: Any, path: DataPath, patterns: Patterns | None = None) -> str | None:
    """What the schema says about the value at `path`: local $refs, combinators, items, properties."""
    from nexlayer_lint import schemawalk

    patterns = patterns or Patterns(trusted=False)

    def resolve(node: Any) -> Any:
        for _ in range(32):  # a $ref cycle must not hang a hover
            target = schemawalk.resolve(schema, node.get("$ref")) if isinstance(node, dict) else None
            if target is None:
                return node
            node = target
        return node

    def matches(pattern: str, key: str) -> bool:
        try:
            return patterns.search(pattern, key)
        except PatternError:
            return False

    def step(node: Any, part: Any) -> list[Any]:
        node = resolve(node)
        if not isinstance(node, dict):
            return []
        out: list[Any] = []
        for combinator in ("allOf", "anyOf", "oneOf"):
            for branch in node.get(combinator) or []:
                out.extend(step(branch, part))
        if isinstance(part, int):
            prefix = node.get("prefixItems")
            if isinstance(prefix, list) and part < len(prefix):
                out.append(prefix[part])
            elif isinstance(node.get("items"), dict):
                out.append(node["items"])
            return out
        properties = node.get("properties")
        if isinstance(properties, dict) and part in properties:
            out.append(properties[part])
            return out
        for pattern, sub in (node.get("patternProperties") or {}).items():
            if matches(pattern, part):
                out.append(sub)
        if isinstance(node.get("additionalProperties"), dict):
            out.append(node["additionalProperties"])
        return out

    nodes = [schema]
    for part in path:
        nodes = [sub for node in nodes for sub in step(node, part)]
    for node in nodes:
        for candidate in (node, resolve(node)):
            if isinstance(candidate, dict) and isinstance(candidate.get("description"), str):
                return candidate["description"]
    return None


# --- quick fixes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """A certain fix for one diagnostic: edits in the engine's 1-based code points (end exclusive)."""

    title: str
    edits: tuple[tuple[int, int, int, int, str], ...]  # (line, col, end_line, end_col, new text)
    preferred: bool = False
    code: str = ""  # the code this fix makes go away


def fixes_for(d: Diagnostic, lines: Sequence[str]) -> list[Fix]:
    """Candidate fixes; `verified` keeps those a re-lint proves."""
    from nexlayer_lint.rules import UNSUPPRESSIBLE

    out: list[Fix] = []
    text = _text_of(lines, d)
    if d.code == "NX102" and d.hint and text is not None:
        match = _DID_YOU_MEAN.match(d.hint)
        if match and text:
            quote = text[0] if text[0] in "'\"" and text[-1] == text[0] and len(text) > 1 else ""
            out.append(Fix(f'Rename to "{match.group(1)}"',
                           ((d.line, d.col, d.end_line, d.end_col, f"{quote}{match.group(1)}{quote}"),),
                           preferred=True, code=d.code))
    if d.code == "NX005" and text and _PLAIN_SCALAR.fullmatch(text):
        # two inserts rather than a replacement: the value itself is never echoed
        out.append(Fix("Quote the value so every YAML version reads it as text",
                       ((d.line, d.col, d.line, d.col, '"'), (d.line, d.end_col, d.line, d.end_col, '"')),
                       preferred=True, code=d.code))
    if d.code not in UNSUPPRESSIBLE and d.code != "NX099" and 0 < d.line <= len(lines):
        out.append(_disable_fix(d, lines[d.line - 1]))
    return out


def _text_of(lines: Sequence[str], d: Diagnostic) -> str | None:
    if d.line != d.end_line or not 0 < d.line <= len(lines):
        return None
    shift = _bom(lines, d.line - 1)
    return lines[d.line - 1][d.col - 1 + shift:d.end_col - 1 + shift]


def _disable_fix(d: Diagnostic, line_text: str) -> Fix:
    title = f"Disable {d.code} for this line"
    shift = 1 if line_text.startswith("\ufeff") and d.line == 1 else 0
    codes_end = suppress.disable_codes_end(line_text)
    if codes_end is not None:  # add the code to the directive already there
        col = codes_end + 1 - shift
        return Fix(title, ((d.line, col, d.line, col, f",{d.code}"),), code=d.code)
    if "#" not in line_text:
        stripped = line_text.rstrip()
        col = len(stripped) + 1 - shift
        return Fix(title, ((d.line, col, d.line, len(line_text) + 1 - shift, f"  {suppress.disable_comment(d.code)}"),),
                   code=d.code)
    # The line has a comment (or a `#` in a value): a directive on its own line above covers the next line.
    indent = line_text[: len(line_text) - len(line_text.lstrip(" "))]
    return Fix(title, ((d.line, 1, d.line, 1, f"{indent.lstrip(chr(0xFEFF))}{suppress.disable_comment(d.code)}\n"),),
               code=d.code)


def apply_edits(text: str, edits: Iterable[tuple[int, int, int, int, str]]) -> str:
    """Apply code-point edits (1-based, end exclusive) to `text`; the last one first."""
    lines = text.splitlines(keepends=True) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    bom = 1 if text.startswith("\ufeff") else 0

    def offset(line: int, col: int) -> int:
        index = min(max(line - 1, 0), len(lines) - 1)
        body = lines[index].rstrip("\r\n")
        return starts[index] + min(col - 1 + (bom if index == 0 else 0), len(body))

    for line, col, end_line, end_col, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[: offset(line, col)] + new + text[offset(end_line, end_col):]
    return text


def verified(fix: Fix, text: str, before: Sequence[Diagnostic], lint: Callable[[str], Sequence[Diagnostic]]) -> bool:
    """A fix is certain when the re-linted text has fewer of its code and no new syntax, duplicate or
    suppression problem."""
    after = lint(apply_edits(text, fix.edits))

    def count(items: Iterable[Diagnostic], code: str) -> int:
        return sum(1 for item in items if item.code == code)

    if count(after, fix.code) >= count(before, fix.code):
        return False
    return all(count(after, code) <= count(before, code) for code in ("NX001", "NX002", "NX099"))


# --- the server --------------------------------------------------------------------------------


class _Worker:
    """One daemon thread that runs lints in order: requests stay answered meanwhile, exit never waits."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def run(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="nexlayer-lint-worker", daemon=True)
            self._thread.start()
        self._jobs.put((loop, future, function, args))
        return future

    def _serve(self) -> None:
        while True:
            loop, future, function, args = self._jobs.get()
            try:
                outcome: tuple[Any, BaseException | None] = (function(*args), None)
            except Exception as exc:  # noqa: BLE001 - reported through the future
                outcome = (None, exc)
            try:
                loop.call_soon_threadsafe(_settle, future, *outcome)
            except RuntimeError:  # the loop is closed: the server is exiting
                return


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


@dataclass
class _State:
    """What the server knows about one open document (mutable, touched on the event loop only)."""

    timer: asyncio.TimerHandle | None = None
    running: bool = False
    again: bool = False  # a lint was asked for while one ran
    remote: bool = False  # the next lint may ask the API (on open and save only, never per keystroke)
    version: int | None = None  # the version the diagnostics below are for
    text: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    published: bool = False
    document: Document | None = None  # parsed lazily for hovers on keys


@dataclass(frozen=True)
class _Linted:
    diagnostics: tuple[Diagnostic, ...]
    lsp_diagnostics: list[lsp.Diagnostic]
    error: str | None
    config_error: str | None


class NexlayerLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.states: dict[str, _State] = {}
        self.worker = _Worker()
        self._settings: dict[tuple[str, int], Settings] = {}
        self._shown: set[str] = set()
        # A repository's config may not make the editor reach the network: only the editor's own
        # settings can allow it (initializationOptions {"allowNetwork": true}).
        self.allow_network = False

    def report_server_error(self, error: Exception, source: Any) -> None:
        # Say where, not what: an exception's text may quote a document's (secret) values.
        log.error("nexlayer-lint server error: %s", _where(error))

    # settings -------------------------------------------------------------------------------

    def folder_of(self, uri: str) -> Path:
        from pygls.uris import to_fs_path

        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return Path(path).parent
        try:
            root = self.workspace.root_path
        except Exception:  # noqa: BLE001 - not initialized yet
            root = None
        return Path(root) if root else Path.cwd()

    def settings_for(self, uri: str) -> tuple[Settings, str | None]:
        """The config discovered from the document's folder (cached until the file changes)."""
        folder = self.folder_of(uri)
        try:
            found = find_config(folder.resolve())
            key = (str(found), found.stat().st_mtime_ns) if found else ("", 0)
        except OSError:
            found, key = None, ("", 0)
        if key not in self._settings:
            try:
                settings = discover(folder)
            except ConfigError as exc:
                return Settings(), str(exc)
            if not self.allow_network:
                settings, asked = without_network(settings)
                if asked:
                    self.log(lsp.MessageType.Warning,
                             f"nexlayer-lint: {settings.config_file} sets {', '.join(asked)}; ignored, as the editor "
                             'has not allowed network use (initializationOptions {"allowNetwork": true})')
            self._settings[key] = settings
        return for_file(self._settings[key], _path_of(uri)), None

    # linting --------------------------------------------------------------------------------

    def lint_soon(self, uri: str, delay: float, remote: bool = False) -> None:
        state = self.states.setdefault(uri, _State())
        state.remote = state.remote or remote
        if state.timer is not None:
            state.timer.cancel()
        loop = asyncio.get_running_loop()
        state.timer = loop.call_later(delay, self._start, uri) if delay > 0 else loop.call_soon(self._start, uri)

    def _start(self, uri: str) -> None:
        try:
            self._start_lint(uri)
        except Exception as exc:  # noqa: BLE001 - a timer callback must never take the server down
            state = self.states.get(uri)
            if state is not None:
                state.running = False
            self.log(lsp.MessageType.Error, f"internal error while linting {_path_of(uri)}: {_where(exc)}")

    def _start_lint(self, uri: str) -> None:
        state = self.states.get(uri)
        if state is None:
            return
        state.timer = None
        if state.running:
            state.again = True
            return
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        if not is_nexlayer_document(uri, text, document.language_id):
            if state.published:
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            state.published, state.diagnostics, state.version, state.text = False, (), version, text
            return
        state.running = True
        remote, state.remote = state.remote, False
        settings, config_error = self.settings_for(uri)
        encoding = self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        future = self.worker.run(_lint_job, text, _path_of(uri), settings, remote, config_error, str(encoding))
        future.add_done_callback(lambda done: self._finish(uri, version, text, done))

    def _finish(self, uri: str, version: int | None, text: str, done: asyncio.Future[Any]) -> None:
        state = self.states.get(uri)
        if state is None:  # closed meanwhile
            return
        state.running = False
        try:
            linted: _Linted = done.result()
        except Exception as exc:  # noqa: BLE001 - a lint crash is logged, never fatal
            self.log(lsp.MessageType.Error, f"internal error while linting {_path_of(uri)}: {_where(exc)}")
        else:
            if linted.config_error and linted.config_error not in self._shown:
                self._shown.add(linted.config_error)
                self.window_show_message(lsp.ShowMessageParams(
                    type=lsp.MessageType.Error,
                    message=f"nexlayer-lint: {linted.config_error}; linting with the default settings"))
            if linted.error:
                self.log(lsp.MessageType.Error, f"nexlayer-lint: {linted.error}")
            current = self.workspace.get_text_document(uri).version
            if current == version:  # a newer text is on its way: never publish stale ranges
                state.version, state.text, state.document = version, text, None
                state.diagnostics, state.published = linted.diagnostics, True
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                    uri=uri, diagnostics=linted.lsp_diagnostics, version=version))
        if state.again:
            state.again = False
            self._start(uri)

    def close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is None:
            return
        if state.timer is not None:
            state.timer.cancel()
        if state.published:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def fresh(self, uri: str) -> _State | None:
        """The state when its diagnostics are for the document's current text, else None."""
        state = self.states.get(uri)
        if state is None or state.version is None:
            return None
        document = self.workspace.get_text_document(uri)
        return state if document.version == state.version and document.source == state.text else None

    def log(self, kind: lsp.MessageType, message: str) -> None:
        log.log(logging.ERROR if kind == lsp.MessageType.Error else logging.INFO, message)
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    def encoding(self) -> str:
        return str(self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16)


def _lint_job(text: str, path: str, settings: Settings, remote: bool, config_error: str | None,
              encoding: str) -> _Linted:
    from nexlayer_lint.engine import Linter

    if settings.remote and not remote:
        settings = replace(settings, remote=False)  # POST /validate on open and save, not per keystroke
    result = Linter(settings).lint(text, path)
    lines = split_lines(text)
    converted = [to_lsp_diagnostic(d, lines, encoding) for d in result.diagnostics]
    return _Linted(result.diagnostics, converted, result.error, config_error)


def _path_of(uri: str) -> str:
    from pygls.uris import to_fs_path

    return (to_fs_path(uri) if uri.startswith("file:") else None) or unquote(uri.rsplit("/", 1)[-1]) or "nexlayer.yaml"


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {os.path.basename(last.filename)}:{last.lineno} in {last.name}"


def create_server() -> NexlayerLanguageServer:
    server = NexlayerLanguageServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: NexlayerLanguageServer, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            ls.debounce = max(float(options["debounce"]), 0.0) / 1000
        ls.allow_network = isinstance(options, dict) and options.get("allowNetwork") is True

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NexlayerLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.lint_soon(params.text_document.uri, 0, remote=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NexlayerLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.lint_soon(params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: NexlayerLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if unquote(uri.rsplit("/", 1)[-1]) in CONFIG_FILES:
            for open_uri in list(ls.states):  # the settings changed: every open file may read differently
                ls.lint_soon(open_uri, 0)
        if uri in ls.states:
            ls.lint_soon(uri, 0, remote=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NexlayerLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: NexlayerLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return await _hover(ls, params.text_document.uri, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    async def code_action(ls: NexlayerLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        return await _code_actions(ls, params)

    return server


async def _hover(ls: NexlayerLanguageServer, uri: str, position: lsp.Position) -> lsp.Hover | None:
    state = ls.states.get(uri)
    if state is None:
        return None
    encoding = ls.encoding()
    fresh = ls.fresh(uri)
    if fresh is not None:
        lines = split_lines(fresh.text)
        line, col = from_position(lines, position, encoding)
        flagged = [d for d in fresh.diagnostics if _covers(d, line, col)]
        if flagged:
            pages = dict.fromkeys(d.code for d in flagged)  # one page per code, in order
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                           value="\n\n---\n\n".join(rule_hover(code) for code in pages)),
                range=to_range(lines, flagged[0], encoding))
    text = ls.workspace.get_text_document(uri).source
    if len(text) > MAX_INTERACTIVE_CHARS or not is_nexlayer_document(uri, text):
        return None
    lines = split_lines(text)
    line, col = from_position(lines, position, encoding)
    settings, _ = ls.settings_for(uri)
    cached = fresh.document if fresh is not None else None
    document, found = await ls.worker.run(_key_hover_job, text, _path_of(uri), settings, line, col, cached)
    if fresh is not None and ls.fresh(uri) is fresh:
        fresh.document = document
    if found is None:
        return None
    path, description = found
    from nexlayer_lint.model import format_path

    span = document.positions[path].key
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=f"`{format_path(path)}`\n\n{description}"),
        range=lsp.Range(start=to_position(lines, span.line, span.col, encoding),
                        end=to_position(lines, span.end_line, span.end_col, encoding)))


def _key_hover_job(text: str, path: str, settings: Settings, line: int, col: int,
                   document: Document | None) -> tuple[Document | None, tuple[DataPath, str] | None]:
    """On the worker: parse (unless cached), find the key under the cursor and its description."""
    if document is None:
        from nexlayer_lint import loader

        document, _ = loader.load(text, path)
    if document is None:
        return None, None
    key = key_at(document, line, col)
    if key is None:
        return document, None
    schema_in_use, patterns = _schema_of(settings)
    description = schema_description(schema_in_use, key, patterns)
    return document, (key, description) if description is not None else None


def _schema_of(settings: Settings) -> tuple[Any, Patterns | None]:
    """The schema in use (as configured) and how its patterns are searched; the bundled one when
    the validator does not expose it."""
    from nexlayer_lint.engine import Linter

    try:
        validator = Linter(settings).schema.validator
    except Exception:  # noqa: BLE001 - a hover must not fail on a schema problem; the lint reports it
        validator = None
    if isinstance(getattr(validator, "schema", None), dict):
        return validator.schema, getattr(validator, "patterns", None)
    from nexlayer_lint.schema import bundled_validator

    validator = bundled_validator()[0]
    return validator.schema, validator.patterns


async def _code_actions(ls: NexlayerLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    uri = params.text_document.uri
    state = ls.fresh(uri)
    if state is None:
        return None
    only = params.context.only
    if only and not any(str(kind).startswith(lsp.CodeActionKind.QuickFix) for kind in only):
        return None
    encoding = ls.encoding()
    lines = split_lines(state.text)
    start = from_position(lines, params.range.start, encoding)
    end = from_position(lines, params.range.end, encoding)
    small = len(state.text) <= MAX_INTERACTIVE_CHARS
    candidates: list[tuple[Diagnostic, Fix]] = []
    for diagnostic in state.diagnostics:
        if not _overlaps(diagnostic, start, end):
            continue
        for fix in fixes_for(diagnostic, lines):
            if not small and fix.title.startswith("Disable") and any(c in lines[diagnostic.line - 1] for c in "\"'[{#"):
                continue  # unproven on a huge file, and the line might hold more than a plain value
            candidates.append((diagnostic, fix))
    if not candidates:
        return []
    if small:
        settings, _ = ls.settings_for(uri)
        proven = await ls.worker.run(_verify_job, state.text, _path_of(uri), replace(settings, remote=False),
                                     state.diagnostics, [fix for _, fix in candidates])
        candidates = [candidate for candidate, ok in zip(candidates, proven) if ok]
    actions: list[lsp.CodeAction] = []
    for diagnostic, fix in candidates:
        edits = [lsp.TextEdit(range=lsp.Range(start=to_position(lines, a, b, encoding),
                                              end=to_position(lines, c, d, encoding)), new_text=new)
                 for a, b, c, d, new in fix.edits]
        actions.append(lsp.CodeAction(
            title=fix.title, kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[to_lsp_diagnostic(diagnostic, lines, encoding)],
            edit=lsp.WorkspaceEdit(changes={uri: edits}), is_preferred=fix.preferred or None))
    return actions


def _verify_job(text: str, path: str, settings: Settings, before: Sequence[Diagnostic],
                fixes: Sequence[Fix]) -> list[bool]:
    """On the worker: re-lint the text as each fix would leave it."""
    from nexlayer_lint.engine import Linter

    linter = Linter(settings)
    return [verified(fix, text, before, lambda edited: linter.lint(edited, path).diagnostics) for fix in fixes]


def serve() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="nexlayer-lint server: %(levelname)s %(message)s")
    create_server().start_io()
