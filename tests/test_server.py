"""The language server, end to end over stdio with a real LSP client, plus its position and fix helpers."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server is the optional `lsp` extra")
pytest.importorskip("pytest_asyncio")
pytest.importorskip("pytest_lsp")

import pytest_asyncio
from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp.client import (
    DEFAULT_CLIENT_FEATURES,
    LanguageClient,
    client_capabilities,
    register_lsp_features,
)

from nexlayer_lint import server
from nexlayer_lint.fixes import apply_fixes
from nexlayer_lint.loader import load
from nexlayer_lint.model import LINE_BREAK, Diagnostic, Edit, Fix, Span
from nexlayer_lint.scalar_edit import edited
from tests.conftest import CLEAN, lint_diags, shared_dir

HANG_GUARD = 60.0  # seconds; only so a broken server fails the test instead of hanging it
e2e = pytest.mark.asyncio(loop_scope="module")

NO_PATH = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      servicePorts: [80]
"""
FIXED = NO_PATH.replace("      servicePorts: [80]\n", "      path: /\n      servicePorts: [80]\n")
FIXABLE = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx
      path: /
      servicePort: [80]
      vars:
        DEBUG: yes
        DB_PASSWORD: hunter2-very-secret
        NOTE: "\U0001f680 http://bakend.pod:80"
"""
# The server runs as `python -m nexlayer_lint server` would, with an audit hook that records any
# attempt to open a network connection (the server must make none with the default config), and
# an engine (Linter._lint, which every lint runs through) that crashes on text containing
# "crash-me" (a lint crash must be logged, not fatal) and, on text containing "block-me:NAME",
# blocks until the file NAME exists in NXL_TEST_RELEASE (a slow document, as long as the test
# wants), logging when each such lint starts and ends.
GUARDED_SERVER = """\
import os, re, runpy, sys, time
def _audit(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        with open(os.environ["NXL_TEST_NETLOG"], "a") as log:
            log.write(event + "\\n")
sys.addaudithook(_audit)
import nexlayer_lint.engine as engine
_lint = engine.Linter._lint
def _patched(self, source, path, *loaded, **earlier):
    if "crash-me" in source:
        raise RuntimeError("the text of this error may quote a value: hunter2")
    blocked = re.search(r"block-me:(\\w+)", source)
    if blocked is None:
        return _lint(self, source, path, *loaded, **earlier)
    release = os.path.join(os.environ["NXL_TEST_RELEASE"], blocked.group(1))
    with open(release + ".log", "a") as log:
        log.write("start\\n")
    deadline = time.monotonic() + 120
    while not os.path.exists(release) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        return _lint(self, source, path, *loaded, **earlier)
    finally:
        with open(release + ".log", "a") as log:
            log.write("end\\n")
engine.Linter._lint = _patched
sys.argv = ["nexlayer-lint", "server"]
runpy.run_module("nexlayer_lint", run_name="__main__", alter_sys=True)
"""


# --- the client ---------------------------------------------------------------------------------


class Client(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics in order (with its version)."""

    published: list[lsp.PublishDiagnosticsParams]
    registrations: list[lsp.Registration]
    netlog: Path
    release: Path
    versions: dict[str, int]
    texts: dict[str, str]


def _record(client: Client, params: lsp.PublishDiagnosticsParams) -> None:
    client.published.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def _make_client() -> Client:
    client = Client(converter_factory=default_converter)
    client.published, client.registrations, client.versions, client.texts = [], [], {}, {}

    def register(client: Client, params: lsp.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record,
            lsp.CLIENT_REGISTER_CAPABILITY: register,
        },
    )
    return client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Client]:
    netlog = tmp_path_factory.mktemp("net") / "connections.log"
    release = tmp_path_factory.mktemp("release")
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache")),
        "NXL_TEST_NETLOG": str(netlog),
        "NXL_TEST_RELEASE": str(release),
    }
    env.pop("NEXLAYER_API_URL", None)
    c = _make_client()
    c.netlog, c.release = netlog, release
    await c.start_io(sys.executable, "-c", GUARDED_SERVER, env=env)
    await asyncio.wait_for(
        c.initialize_session(
            lsp.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                initialization_options={"debounce": 30},
            )
        ),
        HANG_GUARD,
    )
    yield c
    await asyncio.wait_for(c.shutdown_session(), HANG_GUARD)
    await c.stop()


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs")


def uri_of(folder: Path, *parts: str) -> str:
    path = folder.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.as_uri()


async def next_publish(client: Client, uri: str, mark: int, version: int | None = None) -> list[lsp.Diagnostic]:
    """The first diagnostics for `uri` published after `client.published[mark]` (for `version` if given)."""

    async def wait() -> list[lsp.Diagnostic]:
        while True:
            for params in client.published[mark:]:
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(wait(), HANG_GUARD)


async def open_doc(client: Client, uri: str, text: str, language_id: str = "yaml") -> list[lsp.Diagnostic]:
    mark = len(client.published)
    client.versions[uri], client.texts[uri] = 1, text
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
        )
    )
    return await next_publish(client, uri, mark, 1)


async def change(client: Client, uri: str, *changes: Any, text: str | None = None) -> list[lsp.Diagnostic]:
    """Send a didChange (full text, or the given incremental changes) and wait for its diagnostics."""
    mark = len(client.published)
    client.versions[uri] += 1
    if text is not None:
        client.texts[uri] = text
        changes = (lsp.TextDocumentContentChangeWholeDocument(text=text),)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=client.versions[uri]),
            content_changes=list(changes),
        )
    )
    return await next_publish(client, uri, mark, client.versions[uri])


def codes(diagnostics: list[lsp.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def rng(line: int, start: int, end: int) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=line, character=start), end=lsp.Position(line=line, character=end))


def lsp_lines(text: str) -> list[str]:
    """The text's lines as an editor counts them (LSP ends a line at \\n, \\r\\n and \\r only), with their breaks."""
    return re.split(r"(?<=\n)|(?<=\r)(?!\n)", text)


def apply_text_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """What an editor does with a WorkspaceEdit, its characters counted in UTF-16 units."""
    lines = lsp_lines(text)

    def offset(position: lsp.Position) -> int:
        units = lines[position.line].encode("utf-16-le")[: 2 * position.character]
        return sum(len(line) for line in lines[: position.line]) + len(units.decode("utf-16-le"))

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def actions_at(client: Client, uri: str, line: int, character: int) -> list[lsp.CodeAction]:
    result = await asyncio.wait_for(
        client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=rng(line, character, character),
                context=lsp.CodeActionContext(diagnostics=[]),
            )
        ),
        HANG_GUARD,
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def hover_at(client: Client, uri: str, line: int, character: int) -> lsp.Hover | None:
    return await asyncio.wait_for(
        client.text_document_hover_async(
            lsp.HoverParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                position=lsp.Position(line=line, character=character),
            )
        ),
        HANG_GUARD,
    )


# --- end to end ---------------------------------------------------------------------------------


@e2e
async def test_open_broken_then_fix_clears_then_close(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "a", "nexlayer.yaml")
    diagnostics = await open_doc(client, uri, NO_PATH)
    assert codes(diagnostics) == ["NX201"]
    (nx201,) = diagnostics
    assert nx201.range == rng(2, 2, 6)  # the `pods` key on line 3
    assert nx201.severity == lsp.DiagnosticSeverity.Error
    assert nx201.source == "nexlayer-lint"
    assert nx201.code_description is not None
    assert nx201.code_description.href.endswith("/rules/NX201-no-public-path.md")
    assert nx201.message.startswith('no pod has a path, so nothing is routed to the application (pods: "web")')
    assert "\nhelp: add `path: /`" in nx201.message

    assert await change(client, uri, text=FIXED) == []

    mark = len(client.published)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert await next_publish(client, uri, mark) == []


@e2e
async def test_incremental_changes_relint(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "incremental", "nexlayer.yml")
    assert await open_doc(client, uri, FIXED) == []
    # `image: nginx:1.27` -> `image: nginx` by deleting ":1.27" (line 5, characters 18-23)
    diagnostics = await change(client, uri, lsp.TextDocumentContentChangePartial(range=rng(4, 18, 23), text=""))
    assert [(d.code, d.range) for d in diagnostics] == [("NX215", rng(4, 13, 18))]
    diagnostics = await change(client, uri, lsp.TextDocumentContentChangePartial(range=rng(4, 18, 18), text=":1.28"))
    assert diagnostics == []


def many_pods(pods: int) -> str:
    """A file with findings of several rules in some of its pods, every pod named in another's var."""
    lines = ["application:", "  name: shop", "  pods:"]
    for i in range(pods):
        lines += [
            f"    - name: svc{i}",
            f"      image: ghcr.io/acme/svc{i}" + ("" if i % 5 == 0 else f":1.{i}"),
            f"      path: /svc{i}",
            f"      servicePorts: [{3000 + i}]",
            "      replicas: 2" if i % 7 == 0 else "      # replicas: 2",
            "      vars:",
            f'        API_URL: "http://svc{(i + 1) % pods}.pod:{3000 + (i + 1) % pods}"  # the next pod',
            f"        DB_PASSWORD: hunter2-{i}" if i % 6 == 0 else "        DB_PASSWORD: ${DB_PASSWORD}",
            f"        RELEASE: r{i}",
            "      volumes:",
            f"        - name: data{i}",
            "          size: 2GB" if i % 4 == 0 else "          size: 1Gi",
            f"          mountPath: /data/svc{i}",
        ]
    return "\n".join(lines) + "\n"


def test_a_document_publishes_its_most_severe_findings_up_to_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 114 F2: 60,000 findings took the event loop seconds to serialise; VS Code shows at most
    # 1,000 a file, errors first, and says how many it left out
    def job(text: str) -> Any:
        encoding = lsp.PositionEncodingKind.Utf16
        return server._lint_job(text, "nexlayer.yaml", server.Settings(), False, None, encoding, None, ("", {}))

    text = many_pods(40)
    every = job(text).diagnostics
    errors = [d for d in every if d.severity == "error"]
    warnings = [d for d in every if d.severity == "warning"]
    assert len(errors) == 10 and len(warnings) > 2
    monkeypatch.setattr(server, "MAX_PUBLISHED", 12)
    linted = job(text)
    assert linted.diagnostics == every  # hovers and code actions still see them all
    shown, note = linted.lsp_diagnostics[:-1], linted.lsp_diagnostics[-1]
    # 11 and the note: VS Code drops all past 1,000, so the note is one of them (hunt 121 F2)
    assert len(linted.lsp_diagnostics) == 12
    kept = sorted(errors + warnings[:1], key=lambda d: d.sort_key)
    assert [(d.code, d.range.start.line + 1, d.range.start.character + 1) for d in shown] == [
        (d.code, d.line, d.col) for d in kept
    ]
    assert note.severity == lsp.DiagnosticSeverity.Information and note.code is None
    assert note.message == (
        f"{len(every) - 11:,} more problems not shown in the editor (at most 12 a document, this note "
        "included): run nexlayer-lint on the file to see them all"
    )
    assert (note.range.start.line + 1, note.range.start.character + 1) == (warnings[1].line, warnings[1].col)
    monkeypatch.setattr(server, "MAX_PUBLISHED", len(every))
    assert len(job(text).lsp_diagnostics) == len(every)  # at the limit: no note


@e2e
async def test_each_edit_publishes_what_a_full_lint_of_its_text_finds(client: Client, docs: Path) -> None:
    """Keystrokes inside values (linted without parsing again, scalar_edit) and anywhere else:
    every version's diagnostics are those of a full lint of its text, converted afresh."""
    corpus = sorted(shared_dir("corpus", "real").glob("*.yaml"))
    texts = [many_pods(40)] + [path.read_text(encoding="utf-8") for path in corpus[::50]]
    rng = random.Random(18)
    encoding = lsp.PositionEncodingKind.Utf16
    unparsed = 0  # edits the server could lint without parsing again
    for number, original in enumerate(texts):
        uri = uri_of(docs, "parity", str(number), "nexlayer.yaml")
        text = original
        await open_doc(client, uri, text)
        for _ in range(20):
            if load(text, "nexlayer.yaml")[1]:  # broken by the last edit: back to the start, as a paste
                text = original
                published = await change(client, uri, text=text)
                assert (
                    published
                    == server.to_lsp_diagnostics(lint_diags(text), server.lines_of(text, encoding), encoding)[0]
                )
            lines = server.lines_of(text, encoding)
            line = rng.randrange(len(lines.text))
            values = [match.span() for match in re.finditer(r"(?<=: )\S+", lines.text[line])]
            start, end = rng.choice(values) if values and rng.random() < 0.8 else (0, len(lines.text[line]))
            first = rng.randint(start, end)
            last = min(first + rng.choice([0, 0, 1, 2]), len(lines.text[line]))
            typed = "abz09.-/" if rng.random() < 0.8 else ":\"' {}#,"
            added = "".join(rng.choice(typed) for _ in range(rng.choice([0, 1, 1, 2])))
            where = lsp.Range(
                start=server.to_position(lines, line + 1, first + 1, encoding),
                end=server.to_position(lines, line + 1, last + 1, encoding),
            )
            published = await change(client, uri, lsp.TextDocumentContentChangePartial(range=where, text=added))
            before = load(text, "nexlayer.yaml")
            line_start = sum(map(len, server._with_breaks(text)[:line]))
            text = text[: line_start + first] + added + text[line_start + last :]
            lines = server.lines_of(text, encoding)
            expected = server.to_lsp_diagnostics(lint_diags(text, server._path_of(uri)), lines, encoding)[0]
            assert published == expected
            unparsed += before[0] is not None and not before[1] and edited(before[0], text) is not None
    assert unparsed >= 30


@e2e
async def test_several_quick_changes_publish_only_the_last_version(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "debounce", "nexlayer.yaml")
    assert await open_doc(client, uri, FIXED) == []
    mark = len(client.published)
    for version in range(2, 12):
        client.versions[uri] = version
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=NO_PATH if version % 2 else FIXED)],
            )
        )
    assert codes(await next_publish(client, uri, mark, 11)) == ["NX201"]
    # whatever was published in between was for a version that was current at the time, never stale
    assert all(p.version is not None and p.version <= 11 for p in client.published[mark:] if p.uri == uri)


@e2e
async def test_save_lints_and_other_yaml_is_left_alone(client: Client, docs: Path) -> None:
    compose = uri_of(docs, "other", "docker-compose.yml")
    mark = len(client.published)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=compose, language_id="yaml", version=1, text="services:\n  web:\n    image: nginx\n"
            )
        )
    )
    # a file named otherwise whose top-level key is `application` is linted
    deploy = uri_of(docs, "other", "deploy.yaml")
    assert codes(await open_doc(client, deploy, NO_PATH)) == ["NX201"]
    assert all(p.uri != compose for p in client.published[mark:])
    mark = len(client.published)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=deploy)))
    assert codes(await next_publish(client, deploy, mark)) == ["NX201"]


@e2e
async def test_utf16_columns_after_an_emoji(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "emoji", "nexlayer.yaml")
    diagnostics = await open_doc(client, uri, FIXABLE)
    nx208 = next(d for d in diagnostics if d.code == "NX208")
    # `        NOTE: "🚀 http://bakend.pod:80"`: "bakend" starts at code point 24, UTF-16 unit 25
    assert nx208.range == rng(10, 25, 31)


# Lines YAML ends and LSP does not: a U+2028 (LS) inside a quoted value and one between two
# entries (after an emoji, which is two UTF-16 units), a NEL (U+0085) inside another value.
# The engine counts 16 lines, the editor 13: `DEBUG: yes` is the engine's line 12, the editor's
# line 9 (0-based) after `A: "\U0001f680"` and the LS, and `B: on` the engine's 16, the editor's 12.
LINE_SEPARATED = FIXED.replace(
    "      servicePorts: [80]\n",
    "      servicePorts: [80]\n"
    "      vars:\n"
    '        NOTE: "one\u2028two"\n'
    '        A: "\U0001f680"\u2028        DEBUG: yes\n'
    "        OTHER: abcdefgh\n"
    '        NEL: "x\x85y"\n'
    "        B: on\n",
)
DEBUG_YES = rng(9, 31, 34)  # `        A: "🚀"` is 15 UTF-16 units, the LS one more, then `        DEBUG: `


@e2e
async def test_positions_after_line_breaks_only_yaml_counts(client: Client, docs: Path) -> None:
    """Found by a fuzzing hunt: NX005 on `DEBUG: yes` was published three lines down, and its
    quote fix put its quotes in `OTHER: abcdefgh`. Every position sent or received is on the
    editor's lines: diagnostics, hovers, code action ranges and edits, incremental changes."""
    uri = uri_of(docs, "line-separators", "nexlayer.yaml")
    diagnostics = await open_doc(client, uri, LINE_SEPARATED)
    assert [(d.code, d.range) for d in diagnostics] == [("NX005", DEBUG_YES), ("NX005", rng(12, 11, 13))]
    assert lsp_lines(LINE_SEPARATED)[9][30:33] == "yes"  # `yes`, in code points one less (the emoji)

    hover = await hover_at(client, uri, 9, 32)
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.startswith("# NX005 yaml11-ambiguous-scalar") and hover.range == DEBUG_YES
    # a key's hover, found from the editor's position: `OTHER` on the line after
    hover = await hover_at(client, uri, 10, 9)
    assert hover is not None and hover.range == rng(10, 8, 13)

    actions = {a.title: a for a in await actions_at(client, uri, 9, 32)}
    quote, disable = (
        actions["Quote the value so every YAML version reads it as text"],
        actions["Disable NX005 for this line"],
    )
    assert [d.range for d in quote.diagnostics or []] == [DEBUG_YES]
    quoted = apply_text_edits(LINE_SEPARATED, list(quote.edit.changes[uri]))  # type: ignore[union-attr,index]
    assert quoted == LINE_SEPARATED.replace("DEBUG: yes", 'DEBUG: "yes"')
    disabled = apply_text_edits(LINE_SEPARATED, list(disable.edit.changes[uri]))  # type: ignore[union-attr,index]
    assert disabled == LINE_SEPARATED.replace("DEBUG: yes", "DEBUG: yes  # nexlayer-lint: disable=NX005")

    # the quote fix typed as the editor sends it, two incremental changes on the editor's line 9;
    # pygls' own reading of them (str.splitlines, which ends lines at LS and NEL) put them elsewhere
    diagnostics = await change(
        client,
        uri,
        lsp.TextDocumentContentChangePartial(range=rng(9, 34, 34), text='"'),
        lsp.TextDocumentContentChangePartial(range=rng(9, 31, 31), text='"'),
    )
    assert [(d.code, d.range) for d in diagnostics] == [("NX005", rng(12, 11, 13))]
    # a form feed (YAML refuses it; str.splitlines ends a line at it), a change two lines below it
    # (`OTHER: abcdefgh` -> `OTHER: yes`), then the form feed made a space: the text is what the
    # editor has, so its findings are
    with_feed = quoted.replace("one\u2028two", "one\x0ctwo")
    assert codes(await change(client, uri, text=with_feed)) == ["NX001"]
    other = lsp.TextDocumentContentChangePartial(range=rng(10, 15, 23), text="yes")
    assert codes(await change(client, uri, other)) == ["NX001"]
    diagnostics = await change(client, uri, lsp.TextDocumentContentChangePartial(range=rng(8, 18, 19), text=" "))
    assert [(d.code, d.range) for d in diagnostics] == [("NX005", rng(10, 15, 18)), ("NX005", rng(12, 11, 13))]


@e2e
async def test_hover_on_a_flagged_span_shows_the_rule_page(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "hover", "nexlayer.yaml")
    await open_doc(client, uri, NO_PATH)
    hover = await hover_at(client, uri, 2, 4)
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    assert hover.contents.value.startswith("# NX201 no-public-path")
    assert "## What it does" in hover.contents.value
    assert hover.range == rng(2, 2, 6)


@e2e
async def test_hover_on_a_key_shows_the_schema_description(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "hover-key", "nexlayer.yaml")
    await open_doc(client, uri, FIXED)
    hover = await hover_at(client, uri, 4, 8)  # `image`
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.startswith("`application.pods[0].image`\n\nREQUIRED: the container image")
    assert hover.range == rng(4, 6, 11)
    assert await hover_at(client, uri, 4, 16) is None  # a value that is not flagged: nothing to say


@e2e
async def test_hover_on_a_key_in_an_unsaved_buffer(client: Client, docs: Path) -> None:
    # hunt 89 F2: an `untitled:` buffer (or a YAML file named otherwise) was linted, but its keys
    # had no hover: the hover asked the file's name alone, not its language
    for uri in ("untitled:Untitled-7", uri_of(docs, "hover-named", "Deployfile")):
        await open_doc(client, uri, FIXED)
        hover = await hover_at(client, uri, 4, 8)  # `image`
        assert hover is not None and isinstance(hover.contents, lsp.MarkupContent), uri
        assert hover.contents.value.startswith("`application.pods[0].image`")


def test_the_path_a_key_hover_shows_stars_a_secret_key() -> None:
    # the hover of a key names its data path, which may run through a key that holds a secret
    token = "ghp_" + "CnryHover2" * 4
    text = FIXED + f"      vars:\n        {token}: a\n"
    _, found = server._key_hover_job(text, "nexlayer.yaml", server.Settings(), 9, 10, None)  # 1-based
    assert found is not None
    key, shown, _ = found
    assert key == ("application", "pods", 0, "vars", token)
    assert shown == "application.pods[0].vars.****"


@e2e
async def test_hover_on_a_key_that_holds_a_secret_stars_it_in_the_path(client: Client, docs: Path) -> None:
    # found by a leak hunt: the hover printed the key's data path as written, token and all
    uri = uri_of(docs, "hover-secret-key", "nexlayer.yaml")
    token = "ghp_" + "CnryHover1" * 4
    await open_doc(client, uri, FIXED + f"      vars:\n        {token}: a\n")
    # the key has its NX213 now (a secret written as a key), whose page the hover shows; the
    # path the hover shows elsewhere (`application.pods[0].vars.****`) is starred the same way
    hover = await hover_at(client, uri, 8, 10)
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "CnryHover1" not in hover.contents.value
    assert hover.contents.value.startswith("# NX213 plaintext-secret")


@e2e
async def test_code_actions_are_applied_and_relinted(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "fixes", "nexlayer.yaml")
    diagnostics = await open_doc(client, uri, FIXABLE)
    assert codes(diagnostics) == ["NX005", "NX101", "NX208", "NX213", "NX215"]

    # a misspelt required key is one NX101 (issue 15) that carries the rename: taking it ends the finding
    actions = await actions_at(client, uri, 6, 8)
    rename = next(a for a in actions if a.title == 'Rename to "servicePorts"')
    assert rename.kind == lsp.CodeActionKind.QuickFix and rename.is_preferred
    assert [str(d.code) for d in rename.diagnostics or []] == ["NX101"]
    edits = list(rename.edit.changes[uri])  # type: ignore[union-attr,index]
    assert [(e.range, e.new_text) for e in edits] == [(rng(6, 6, 17), "servicePorts")]
    text = apply_text_edits(client.texts[uri], edits)
    assert codes(await change(client, uri, text=text)) == ["NX005", "NX208", "NX213", "NX215"]

    # quote the NX005 scalar
    actions = await actions_at(client, uri, 8, 16)
    quote = next(a for a in actions if a.title.startswith("Quote"))
    text = apply_text_edits(client.texts[uri], list(quote.edit.changes[uri]))  # type: ignore[union-attr,index]
    assert '        DEBUG: "yes"\n' in text
    assert codes(await change(client, uri, text=text)) == ["NX208", "NX213", "NX215"]

    # a disable comment at the end of the line, then a second code added to the same comment
    actions = await actions_at(client, uri, 4, 14)
    disable = next(a for a in actions if a.title == "Disable NX215 for this line")
    assert not disable.is_preferred
    text = apply_text_edits(client.texts[uri], list(disable.edit.changes[uri]))  # type: ignore[union-attr,index]
    assert "      image: nginx  # nexlayer-lint: disable=NX215\n" in text
    assert codes(await change(client, uri, text=text)) == ["NX208", "NX213"]

    # a disable-file directive goes on line 1
    actions = await actions_at(client, uri, 9, 25)
    disable = next(a for a in actions if a.title == "Disable NX213 for this file")
    text = apply_text_edits(client.texts[uri], list(disable.edit.changes[uri]))  # type: ignore[union-attr,index]
    assert text.startswith("# nexlayer-lint: disable-file=NX213\napplication:\n")
    assert codes(await change(client, uri, text=text)) == ["NX208"]

    # secret values never show in messages or action titles
    everything = [d.message for p in client.published if p.uri == uri for d in p.diagnostics]
    everything += [a.title for line in range(12) for a in await actions_at(client, uri, line, 10)]
    assert everything and not any("hunter2" in item for item in everything)


async def source_actions(client: Client, uri: str, *only: str) -> list[lsp.CodeAction]:
    result = await asyncio.wait_for(
        client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=rng(0, 0, 0),
                context=lsp.CodeActionContext(diagnostics=[], only=list(only)),
            )
        ),
        HANG_GUARD,
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


FIXED_ALL = FIXABLE.replace("servicePort:", "servicePorts:").replace("DEBUG: yes", 'DEBUG: "yes"')


@e2e
async def test_fix_all_applies_every_safe_fix_in_one_edit(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "fix-all", "nexlayer.yaml")
    await open_doc(client, uri, FIXABLE)
    assert await source_actions(client, uri, lsp.CodeActionKind.QuickFix) == []  # the range holds no finding
    (action,) = await source_actions(client, uri, lsp.CodeActionKind.Source)
    assert action.kind == "source.fixAll.nexlayer-lint" and action.edit is None  # this editor resolves it
    resolved = await asyncio.wait_for(client.code_action_resolve_async(action), HANG_GUARD)
    edits = resolved.edit.changes[uri]  # type: ignore[union-attr,index]
    # lines 7 and 9 (0-based 6 and 8) changed; line 8 between them is not sent again, nor the
    # characters the changed lines keep (hunt 89 F3: a secret beside a fixed value was resent),
    # nor the word quoted
    assert [(e.range, e.new_text) for e in edits] == [
        (lsp.Range(start=lsp.Position(line=6, character=17), end=lsp.Position(line=6, character=17)), "s"),
        (lsp.Range(start=lsp.Position(line=8, character=15), end=lsp.Position(line=8, character=15)), '"'),
        (lsp.Range(start=lsp.Position(line=8, character=18), end=lsp.Position(line=8, character=18)), '"'),
    ]
    assert apply_text_edits(FIXABLE, edits) == FIXED_ALL
    assert codes(await change(client, uri, text=FIXED_ALL)) == ["NX208", "NX213", "NX215"]
    assert await source_actions(client, uri, "source.fixAll") == []  # nothing safe left to fix


def test_fix_all_edits_that_change_the_number_of_lines_send_only_the_lines_changed() -> None:
    # hunt 107 F1: with a line added or removed, one edit ran from the first change to the last,
    # and a secret on a line between them went to the editor (and its LSP log) unchanged
    old = (
        "application:\n  name: |\n    shop\n  pods:\n    - name: web\n      vars:\n"
        "        API_TOKEN: ghp_Cnry139secret\n        - key: A\n          value: x\n"
    )
    new = old.replace("name: |\n    shop\n", "name: shop\n").replace(
        "        - key: A\n          value: x\n", "        A: x\n"
    )
    edits = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(old, edits) == new
    assert len(edits) == 3 and not any("Cnry139" in edit.new_text for edit in edits)
    assert all(not (edit.range.start.line <= 6 < edit.range.end.line) for edit in edits)  # the token's line
    rng = random.Random(107)  # any change of lines, applied as an editor applies it
    pool = ["a: 1\n", "  - key: A\n", "b\r\n", "\u00e9\n", "\U0001f600 x\n", "\n", "z"]
    for _ in range(500):
        old = "".join(rng.choice(pool) for _ in range(rng.randint(0, 10)))
        lines = server._with_breaks(old)
        at = rng.randint(0, len(lines))
        new = "".join(lines[:at] + [rng.choice(pool)] * rng.randint(0, 2) + lines[at + rng.randint(0, 2) :])
        assert apply_text_edits(old, server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)) == new


def test_fix_all_aligns_the_lines_of_a_big_file_run_by_run_on_a_worker() -> None:
    # hunt 108 F1: difflib's alignment was quadratic in the runs of changed lines (4,000 pods:
    # 12 s) and ran on the loop that answers the editor, which stalled for every document
    pods = "".join(f"    - name: p{k}\n      vars:\n        DEBUG: yes\n" for k in range(3_000))
    old = "application:\n  pods:\n" + pods + "    - name: last\n      vars:\n        - key: A\n          value: x\n"
    new = old.replace("DEBUG: yes", 'DEBUG: "yes"').replace("        - key: A\n          value: x\n", "        A: x\n")
    settings = server.Settings(select=("NX005", "NX216"), unsafe_fixes=True)
    edits = server._fix_all_job(old, "nexlayer.yaml", settings, lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(old, edits) == new
    assert len(edits) == 2 * 3_000 + 2  # two quotes a pod; `- key: ` and `value` removed
    assert {edit.new_text for edit in edits} == {'"', ""}
    rng = random.Random(108)  # unique and repeated lines, moved, removed and added
    pool = [f"u{k}\n" for k in range(30)] + ["same\n", "  - x\n", "\n"]
    for _ in range(500):
        old = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        lines = server._with_breaks(old)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(lines))
            lines[at : at + rng.randint(0, 3)] = [rng.choice(pool) for _ in range(rng.randint(0, 3))]
        new = "".join(lines)
        assert apply_text_edits(old, server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)) == new


def test_fix_all_sends_no_word_a_run_of_changed_lines_keeps() -> None:
    # NX216 turning a list of vars into a mapping changes a run of lines: trimmed only of what the
    # run starts and ends with, the edit sent every secret value but the last to the editor
    old = (
        "vars:\n  - key: DB_PASSWORD\n    value: hunter2\n  - key: API_TOKEN\n    value: ghp_Cnry139x\n"
        "  - key: MODE\n    value: 'on'\n"
    )
    new = "vars:\n  DB_PASSWORD: hunter2\n  API_TOKEN: ghp_Cnry139x\n  MODE: 'on'\n"
    edits = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(old, edits) == new
    sent = "".join(edit.new_text for edit in edits)
    assert "hunter2" not in sent and "Cnry139" not in sent and "DB_PASSWORD" not in sent
    # hunt 112 F1: one password given to several vars, a word too common in the run for difflib
    items = [(f"P{k}_TOKEN", "hunter2") if k % 8 == 0 else (f"X{k}", "a") for k in range(64)]
    old = "vars:\n" + "".join(f"  - key: {name}\n    value: {value}\n" for name, value in items)
    new = "vars:\n" + "".join(f"  {name}: {value}\n" for name, value in items)
    edits = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(old, edits) == new and not any("hunter2" in edit.new_text for edit in edits)
    # a long run is compared word by word too: above 4,000 characters it was one edit, every
    # password in it sent
    items = [(f"P{k}_TOKEN", "hunter2") if k % 8 == 0 else (f"X{k}", "a") for k in range(2_000)]
    old = "vars:\n" + "".join(f"  - key: {name}\n    value: {value}\n" for name, value in items)
    new = "vars:\n" + "".join(f"  {name}: {value}\n" for name, value in items)
    edits = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(old, edits) == new and not any("hunter2" in edit.new_text for edit in edits)
    # hunt 117 F1: a pod copied three times has no word once in the run of its changed vars: the
    # words each side has as many times as the other are matched in turn
    pod = "  - name: web\n    image: nginx:1.27\n    path: /\n    servicePorts: [80]\n    vars:\n"
    items = [("DB_PASSWORD", "hunter2"), ("API_TOKEN", "tok_Cnry117"), ("NODE_ENV", "production")]
    old = "pods:\n" + (pod + "".join(f"      - key: {key}\n        value: {value}\n" for key, value in items)) * 3
    new = "pods:\n" + (pod + "".join(f"      {key}: {value}\n" for key, value in items)) * 3
    edits = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    sent = "".join(edit.new_text for edit in edits)
    assert apply_text_edits(old, edits) == new and "hunter2" not in sent and "Cnry117" not in sent
    wide = "x: " + "a:" * 3_000 + "\n"
    edits = server.changed_lines_edits(wide, wide.replace("a:", "b:"), lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(wide, edits) == wide.replace("a:", "b:")
    many = "x: " + "a:" * 900 + "\n"
    edits = server.changed_lines_edits(many, many.replace("a:", "b;"), lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits(many, edits) == many.replace("a:", "b;")


def test_fix_all_sends_no_value_that_moves_after_its_name() -> None:
    # hunt 147 F1: NX216 writes `- value: x` / `key: NAME` as `NAME: x`; the words aligned around
    # the name, so the value went into the edit: the fixes' own edits are sent instead
    head = "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n      path: /\n"
    old = head + "      vars:\n        - value: ZqMoved1Secret\n          key: DB_PASSWORD\n"
    old += "        - value: postgres://db.pod:5432/app\n          key: DATABASE_URL\n"
    edits = server._fix_all_job(old, "nexlayer.yaml", server.Settings(), lsp.PositionEncodingKind.Utf16)
    assert edits and not any("ZqMoved1" in edit.new_text for edit in edits)
    fixed = apply_text_edits(old, edits)
    assert (
        fixed
        == head + "      vars:\n        DB_PASSWORD: ZqMoved1Secret\n        DATABASE_URL: postgres://db.pod:5432/app\n"
    )
    # hunt 153 F5: a password of 3 characters, which the hider does not look for, moved as well
    short = head + "      vars:\n        - value: Zq9\n          key: DB_PASSWORD\n"
    edits = server._fix_all_job(short, "nexlayer.yaml", server.Settings(), lsp.PositionEncodingKind.Utf16)
    assert edits and not any("Zq9" in edit.new_text for edit in edits)
    assert apply_text_edits(short, edits) == head + "      vars:\n        DB_PASSWORD: Zq9\n"
    # hunt 157 F3: and of 2 characters
    two = short.replace("Zq9", "Zq")
    edits = server._fix_all_job(two, "nexlayer.yaml", server.Settings(), lsp.PositionEncodingKind.Utf16)
    assert edits and not any(": Zq" in edit.new_text for edit in edits)
    # hunt 147 F2: a password in the comment NX216 moves above its var: no fix, whose edit showed it
    old = old.replace("key: DATABASE_URL\n", "key: DATABASE_URL # was postgres://app:ZqMoved2x@db/app\n")
    assert not any(d.code == "NX216" and d.fix for d in lint_diags(old))


def test_the_deep_alignment_of_words_does_work_linear_in_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # each level of anchors looks at disjoint ranges, and the levels are bounded: where each
    # level's anchor makes the next word once in what is left, the levels were as many as the
    # words, each looking at all of them (x2 x1 x3 x2 x4 x3 ... against x1 x2 x3 ...)
    from nexlayer_lint import align

    looked = [0]
    anchors = align._anchors

    def counted(old: Any, new: Any, first: int, stop: int, start: int, end: int) -> Any:
        looked[0] += (stop - first) + (end - start)
        return anchors(old, new, first, stop, start, end)

    monkeypatch.setattr(align, "_anchors", counted)
    for n in (300, 3_000):
        old = [f"x{i}" for i in range(n)]
        new = [word for i in range(n) for word in (f"x{i + 1}", f"x{i}")]
        looked[0] = 0
        runs = align.changed_runs(old, new, deep=True)
        assert looked[0] <= align._DEEP_LEVELS * 3 * n
        rebuilt, at = [], 0
        for first, stop, start, end in runs:
            rebuilt += old[at:first] + new[start:end]
            at = stop
        assert rebuilt + old[at:] == new


@e2e
async def test_fixes_of_a_document_whose_path_has_a_space(client: Client, docs: Path) -> None:
    # hunt 107 F2: pygls keeps documents under their unquoted URI; looked up by `My%20Project`,
    # every quick fix was "the document changed" and Fix all was empty
    uri = uri_of(docs, "My Project", "nexlayer.yaml")
    assert "%20" in uri
    await open_doc(client, uri, FIXABLE)
    (action,) = await source_actions(client, uri, lsp.CodeActionKind.Source)
    resolved = await asyncio.wait_for(client.code_action_resolve_async(action), HANG_GUARD)
    assert apply_text_edits(FIXABLE, resolved.edit.changes[uri]) == FIXED_ALL  # type: ignore[union-attr,index]


def test_fix_all_for_an_editor_that_cannot_resolve_and_no_file_watching(tmp_path: Path) -> None:
    uri = (tmp_path / "nexlayer.yaml").as_uri()
    config = tmp_path / ".nexlayer-lint.toml"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    async def session() -> None:
        c = _make_client()
        await c.start_io(sys.executable, "-m", "nexlayer_lint", "server", env=env)
        await c.initialize_session(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), initialization_options={"debounce": 0})
        )
        try:
            assert codes(await open_doc(c, uri, FIXABLE)) == ["NX005", "NX101", "NX208", "NX213", "NX215"]
            (action,) = await source_actions(c, uri, "source.fixAll.nexlayer-lint")
            assert apply_text_edits(FIXABLE, list(action.edit.changes[uri])) == FIXED_ALL  # type: ignore[union-attr,index]
            assert c.registrations == []  # it cannot watch files: the server asked for nothing
            config.write_text('ignore = ["NX2"]\n', encoding="utf-8")
            mark = len(c.published)
            c.text_document_did_save(
                lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=config.as_uri()))
            )
            assert codes(await next_publish(c, uri, mark, 1)) == ["NX005", "NX101"]
        finally:
            await c.shutdown_session()
            await c.stop()

    asyncio.run(asyncio.wait_for(session(), HANG_GUARD))


@e2e
async def test_disable_goes_above_a_line_that_already_has_a_comment(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "disable-above", "nexlayer.yaml")
    text = FIXED.replace("image: nginx:1.27", "image: nginx  # the web server")
    assert codes(await open_doc(client, uri, text)) == ["NX215"]
    actions = await actions_at(client, uri, 4, 14)
    assert [a.title for a in actions] == ["Disable NX215 for this line", "Disable NX215 for this file"]
    disable = actions[0]
    fixed = apply_text_edits(text, list(disable.edit.changes[uri]))  # type: ignore[union-attr,index]
    assert "    - name: web\n      # nexlayer-lint: disable=NX215\n      image: nginx  # the web server\n" in fixed
    assert await change(client, uri, text=fixed) == []


@e2e
async def test_no_quick_fix_for_stale_or_unsuppressible_findings(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "nofix", "nexlayer.yaml")
    diagnostics = await open_doc(client, uri, "application:\n  name: [shop\n")
    assert codes(diagnostics) == ["NX001"]
    assert await actions_at(client, uri, diagnostics[0].range.start.line, diagnostics[0].range.start.character) == []


@e2e
async def test_survives_garbage(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "garbage", "nexlayer.yaml")
    # half-typed: servicePorts missing, no path, image untagged
    half_typed = "application:\n  name: shop\n  pods:\n    - name: web\n      image: ngi"
    assert codes(await open_doc(client, uri, half_typed)) == ["NX101", "NX201", "NX215"]
    assert codes(await change(client, uri, text="\x7fELF\x02\x01\x01\x00\x00binary")) == ["NX001"]
    assert codes(await change(client, uri, text="application:\n\tname: x\n  pods: [\n")) == ["NX001"]
    assert codes(await change(client, uri, text="")) == ["NX004"]
    assert codes(await change(client, uri, text="- " * 5000 + "x\n")) == ["NX001"]  # nesting too deep
    # hovers and code actions on garbage get an answer (a server error would raise here)
    await hover_at(client, uri, 40, 400)
    await actions_at(client, uri, 0, 0)
    # the server is still fine
    assert await change(client, uri, text=FIXED) == []


@e2e
async def test_quick_fixes_over_a_whole_file_prove_a_bounded_number(client: Client, docs: Path) -> None:
    # the hostile-input hunt: a code action over a whole document re-linted it once per candidate
    # fix (three a finding: 400 findings took 13 s); a request now proves at most
    # MAX_PROVEN_PER_REQUEST, the fixes of its first findings
    from nexlayer_lint.server import MAX_PROVEN_PER_REQUEST

    uri = uri_of(docs, "many-fixes", "nexlayer.yaml")
    count = 200
    text = NO_PATH + "      vars:\n" + "".join(f"        V{i}: yes\n" for i in range(count))
    assert codes(await open_doc(client, uri, text)).count("NX005") == count
    result = await asyncio.wait_for(
        client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=count + 9, character=0)),
                context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.QuickFix]),
            )
        ),
        HANG_GUARD,
    )
    actions = [a for a in result or [] if isinstance(a, lsp.CodeAction)]
    # each distinct fix offered was proven by a lint (one proof serves every finding that offers
    # the same fix, as "Disable NX005 in this file" is)
    distinct = {(a.title, repr(a.edit)) for a in actions}
    assert 0 < len(distinct) <= MAX_PROVEN_PER_REQUEST
    assert len(actions) == len(distinct)  # hunt 33 F1: "Disable NX005 for this file" came once per finding
    quoted = sorted(a.edit.changes[uri][0].range.start.line for a in actions if a.title.startswith("Quote"))  # type: ignore[index,union-attr]
    assert quoted == list(range(7, 7 + len(quoted)))  # the fixes of the first findings


@e2e
async def test_a_nul_in_the_uri_lints_with_default_settings(client: Client, docs: Path) -> None:
    # the hostile-input hunt: resolving `a%00b` for its config raised ValueError, so nothing was
    # ever published, and the log line carried a raw NUL
    uri = (docs / "nul").as_uri() + "/a%00b/nexlayer.yaml"
    assert codes(await open_doc(client, uri, NO_PATH)) == ["NX201"]
    assert codes(await change(client, uri, text=FIXED)) == []


@e2e
async def test_a_lint_crash_is_logged_and_the_server_carries_on(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "crash", "nexlayer.yaml")
    assert codes(await open_doc(client, uri, NO_PATH)) == ["NX201"]
    logged = len(client.log_messages)
    client.versions[uri] += 1
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=client.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=NO_PATH + "# crash-me\n")],
        )
    )

    async def crash_logged() -> str:
        while True:
            for message in client.log_messages[logged:]:
                if "internal error while linting" in message.message:
                    return message.message
            await asyncio.sleep(0.01)

    message = await asyncio.wait_for(crash_logged(), HANG_GUARD)
    assert message.startswith(f"internal error while linting {docs / 'crash' / 'nexlayer.yaml'}: RuntimeError at ")
    assert "hunter2" not in message  # where it happened, not the exception's text
    assert await change(client, uri, text=FIXED) == []


@e2e
async def test_a_10_mb_document(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "big", "nexlayer.yaml")
    script = "        echo a line of a long script that makes this file ten megabytes\n"
    big = FIXED.replace("      path: /\n", "      path: /\n      command: |\n" + script * (10_000_000 // len(script)))
    assert 9_900_000 < len(big.encode()) < 10 * 1024 * 1024
    mark = len(client.published)
    client.versions[uri] = 1
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=big)
        )
    )
    # other documents are served while the big one is linted
    other = uri_of(docs, "big-neighbour", "nexlayer.yaml")
    assert codes(await open_doc(client, other, NO_PATH)) == ["NX201"]
    assert await next_publish(client, uri, mark, 1) == []
    assert (await hover_at(client, uri, 6, 8)) is None  # too big to re-parse for a key hover: no answer, no crash
    mark = len(client.published)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert await next_publish(client, uri, mark) == []
    # over the size limit: NX001 at once, without parsing
    assert codes(await open_doc(client, uri, big + "#" * 600_000)) == ["NX001"]


async def after_watched(client: Client, uri: str, changed: Path, kind: lsp.FileChangeType) -> list[lsp.Diagnostic]:
    """`uri`'s diagnostics published after the editor's watcher says `changed` was created,
    changed or deleted."""
    mark = len(client.published)
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=changed.as_uri(), type=kind)])
    )
    return await next_publish(client, uri, mark, 1)


async def after_saved(client: Client, uri: str, saved: Path) -> list[lsp.Diagnostic]:
    """`uri`'s diagnostics published after the editor saved `saved` (a config, a schema file)."""
    mark = len(client.published)
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=saved.as_uri()))
    )
    return await next_publish(client, uri, mark, 1)


def send_open(client: Client, uri: str, text: str) -> None:
    """Open a document at version 1 without waiting for its diagnostics (its lint may block)."""
    client.versions[uri] = 1
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )


def send_change(client: Client, uri: str, text: str) -> int:
    """A full-text didChange without waiting for its diagnostics; returns its version."""
    client.versions[uri] += 1
    client.texts[uri] = text
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=client.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return client.versions[uri]


async def until(condition: Any) -> None:
    """Wait for `condition()` to hold (HANG_GUARD at most)."""

    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), HANG_GUARD)


def lint_log(client: Client, name: str) -> list[str]:
    log = client.release / f"{name}.log"
    return log.read_text().split() if log.exists() else []


@e2e
async def test_a_slow_document_starves_no_other_and_publishes_only_its_newest_version(
    client: Client, docs: Path
) -> None:
    slow = uri_of(docs, "slow", "nexlayer.yaml")
    other = uri_of(docs, "slow-neighbour", "nexlayer.yaml")
    mark = len(client.published)
    send_open(client, slow, NO_PATH + "# block-me:slow\n")
    await until(lambda: lint_log(client, "slow") == ["start"])  # its lint is running, and blocked
    # edits of the slow document while its lint runs: each replaces the one before, none starts
    for text in (FIXED + "# block-me:slow\n", NO_PATH + "# block-me:slow v3\n", FIXED + "# block-me:slow v4\n"):
        send_change(client, slow, text)
        await asyncio.sleep(0.05)  # (each is a separate edit, past the debounce; no outcome depends on it)
    # other documents are linted, changed and hovered meanwhile
    assert codes(await open_doc(client, other, NO_PATH)) == ["NX201"]
    assert await change(client, other, text=FIXED) == []
    assert (await hover_at(client, other, 4, 8)) is not None
    assert all(p.uri != slow for p in client.published[mark:]) and lint_log(client, "slow") == ["start"]

    (client.release / "slow").touch()
    assert await next_publish(client, slow, mark, 4) == []  # FIXED: the newest text's diagnostics
    await until(lambda: lint_log(client, "slow") == ["start", "end", "start", "end"])  # one at a time, two in all
    assert [p.version for p in client.published[mark:] if p.uri == slow] == [4]  # never the stale NX201 of v1


@e2e
async def test_a_lint_still_running_when_a_config_changes_publishes_nothing(client: Client, docs: Path) -> None:
    # hunt 121 F1: a config event does not change the version, and the lint that was running
    # when it came published after the new one: a file force-excluded meanwhile kept its findings
    uri = uri_of(docs, "midlint", "nexlayer.yaml")
    mark = len(client.published)
    send_open(client, uri, NO_PATH + "# block-me:midlint\n")
    await until(lambda: lint_log(client, "midlint") == ["start"])
    config = docs / "midlint" / ".nexlayer-lint.toml"
    config.write_text('force-exclude = true\nextend-exclude = ["nexlayer.yaml"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Created)])
    )
    await _answered_in_turn(client, docs)  # the config event is handled
    (client.release / "midlint").touch()
    await until(lambda: lint_log(client, "midlint") == ["start", "end"])
    await _answered_in_turn(client, docs)  # and the lint's end
    await asyncio.sleep(0.2)  # (a stale publish would come by now; none must come at all)
    assert all(p.uri != uri or p.diagnostics == [] for p in client.published[mark:])


async def _answered_in_turn(client: Client, docs: Path) -> None:
    """A request the server answers at once: it reads messages in order, so every notification sent
    before it has been handled when its answer comes."""
    import contextlib

    with contextlib.suppress(Exception):  # an error is an answer too
        await hover_at(client, uri_of(docs, "never-opened", "nexlayer.yaml"), 0, 0)


@e2e
async def test_fixes_worked_out_for_a_text_the_editor_changed_meanwhile_are_refused(client: Client, docs: Path) -> None:
    # hunt 57 F1: the edits for the text before the change came back unversioned, and the editor
    # applied them one line off (lines swapped and duplicated)
    from pygls.exceptions import JsonRpcException

    uri = uri_of(docs, "fix-race", "nexlayer.yaml")
    text = FIXABLE + "# block-me:race\n"
    client.versions[uri] = 1
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    await until(lambda: lint_log(client, "race") == ["start"])  # its diagnostics' lint, blocked
    fix_all = lsp.CodeAction(title="Fix all", kind="source.fixAll.nexlayer-lint", data={"fixAll": uri})
    resolving = asyncio.ensure_future(client.code_action_resolve_async(fix_all))
    await until(lambda: lint_log(client, "race") == ["start", "start"])  # the fixes' first lint, blocked
    send_change(client, uri, "# deployed by CI\n" + text)
    await _answered_in_turn(client, docs)  # the server has the change before the fixes are done
    (client.release / "race").touch()
    with pytest.raises(JsonRpcException) as refused:
        await asyncio.wait_for(resolving, HANG_GUARD)
    assert refused.value.code == -32801  # ContentModified: the editor asks again


@e2e
async def test_quick_fixes_proven_while_the_editor_changed_the_text_are_refused(client: Client, docs: Path) -> None:
    # hunt 60 F1: the check read the version of the last finished lint, which a change not yet
    # linted again leaves as it was: the edits came back one line off
    from pygls.exceptions import JsonRpcException

    uri = uri_of(docs, "quick-race", "nexlayer.yaml")
    text = FIXABLE + "# block-me:quick\n"
    (client.release / "quick").touch()  # the first lint runs through
    assert "NX005" in codes(await open_doc(client, uri, text))
    (client.release / "quick").unlink()  # the lints that prove the fixes wait
    asking = asyncio.ensure_future(actions_at(client, uri, 8, 16))  # `DEBUG: yes`
    await until(lambda: lint_log(client, "quick") == ["start", "end", "start"])
    send_change(client, uri, "# deployed by CI\n" + text)
    await _answered_in_turn(client, docs)
    (client.release / "quick").touch()
    with pytest.raises(JsonRpcException) as refused:
        await asking
    assert refused.value.code == -32801


@e2e
async def test_a_save_publishes_the_last_lint_again_without_linting(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "reuse", "nexlayer.yaml")
    (client.release / "reuse").touch()  # its lints never wait; each one is logged

    async def save() -> list[lsp.Diagnostic]:
        mark = len(client.published)
        client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
        return await next_publish(client, uri, mark)

    assert codes(await open_doc(client, uri, NO_PATH + "# block-me:reuse\n")) == ["NX201"]
    assert codes(await save()) == ["NX201"]
    assert lint_log(client, "reuse") == ["start", "end"]  # published again, not linted again
    assert await change(client, uri, text=FIXED + "# block-me:reuse\n") == []
    assert await save() == []
    assert lint_log(client, "reuse") == ["start", "end"] * 2
    # a config that changes the settings is linted with
    (docs / "reuse" / ".nexlayer-lint.toml").write_text('ignore = ["NX201"]\n', encoding="utf-8")
    assert codes(await change(client, uri, text=NO_PATH + "# block-me:reuse\n")) == []
    assert lint_log(client, "reuse") == ["start", "end"] * 3


@e2e
async def test_two_slow_documents_still_leave_a_thread_to_the_others(client: Client, docs: Path) -> None:
    blocked = []
    for name in ("slowa", "slowb"):
        uri = uri_of(docs, name, "nexlayer.yaml")
        client.versions[uri] = 1
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=NO_PATH + f"# block-me:{name}\n"
                )
            )
        )
        blocked.append(uri)
    await until(lambda: lint_log(client, "slowa") == ["start"] and lint_log(client, "slowb") == ["start"])
    mark = len(client.published)
    assert codes(await open_doc(client, uri_of(docs, "between-slow", "nexlayer.yaml"), NO_PATH)) == ["NX201"]
    for name, uri in zip(("slowa", "slowb"), blocked, strict=True):
        assert all(p.uri != uri for p in client.published[mark:])
        (client.release / name).touch()
        assert codes(await next_publish(client, uri, mark, 1)) == ["NX201"]


@e2e
async def test_a_document_closed_while_linted_gets_nothing_published(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "closed-while-slow", "nexlayer.yaml")
    client.versions[uri] = 1
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text=NO_PATH + "# block-me:closing\n"
            )
        )
    )
    await until(lambda: lint_log(client, "closing") == ["start"])
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    # The server reads its input on its own thread: were the lint released now, it could end before
    # the close is read, and the server would rightly publish and then clear. A request answered
    # after the close (the server handles messages in order) proves the close was handled.
    assert await hover_at(client, uri, 0, 0) is None
    mark = len(client.published)
    (client.release / "closing").touch()
    await until(lambda: lint_log(client, "closing") == ["start", "end"])
    # the next document's diagnostics come after anything the closed one could have sent
    assert codes(await open_doc(client, uri_of(docs, "after-closing", "nexlayer.yaml"), NO_PATH)) == ["NX201"]
    assert all(p.uri != uri for p in client.published[mark:])


@e2e
async def test_config_files_are_watched_where_the_editor_can(client: Client) -> None:
    # the server registers after `initialized`, without a reply to wait for: alone, this test runs first
    await until(lambda: client.registrations)
    (registration,) = [r for r in client.registrations if r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = registration.register_options  # as JSON: the client does not know the method's types
    assert options == {
        "watchers": [
            {"globPattern": "**/.nexlayer-lint.toml"},
            {"globPattern": "**/pyproject.toml"},
            {"globPattern": "**/*.toml"},  # hunt 57 F3: a config may extend one of any name
            {"globPattern": "**/*.json"},  # hunt 121 F5: a config may name a schema file
        ]
    }


@e2e
async def test_a_config_change_relints_open_documents(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "watched", "sub", "nexlayer.yaml")
    unpinned = FIXED.replace("nginx:1.27", "nginx")
    assert codes(await open_doc(client, uri, unpinned)) == ["NX215"]

    # a config appears above it (the editor's file watcher says so): it applies at once
    config = docs / "watched" / ".nexlayer-lint.toml"
    config.write_text('ignore = ["NX215"]\n', encoding="utf-8")
    assert await after_watched(client, uri, config, lsp.FileChangeType.Created) == []

    # a closer config wins over it, alone (no merging, as the command line): NX215 is back
    closer = docs / "watched" / "sub" / "pyproject.toml"
    closer.write_text('[tool.nexlayer-lint]\nignore = ["NX213"]\n', encoding="utf-8")
    assert codes(await after_watched(client, uri, closer, lsp.FileChangeType.Created)) == ["NX215"]

    # a config edited and saved in the editor (no watcher needed)
    closer.write_text('[tool.nexlayer-lint]\nignore = ["NX215"]\n', encoding="utf-8")
    assert await after_saved(client, uri, closer) == []

    # other changed files are not configs: nothing is linted again
    mark = len(client.published)
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=(docs / "watched" / "notes.toml").as_uri(), type=lsp.FileChangeType.Changed)]
        )
    )
    assert codes(await open_doc(client, uri_of(docs, "watched", "other", "nexlayer.yaml"), unpinned)) == []
    assert all(p.uri != uri for p in client.published[mark:])

    # hunt 57 F3: but one that a config in use extends is, saved or changed
    shared = docs / "watched" / "shared.toml"
    shared.write_text('ignore = ["NX213"]\n', encoding="utf-8")
    closer.write_text('[tool.nexlayer-lint]\nextend = "../shared.toml"\n', encoding="utf-8")
    assert codes(await after_saved(client, uri, closer)) == ["NX215"]
    shared.write_text('ignore = ["NX215"]\n', encoding="utf-8")
    assert await after_watched(client, uri, shared, lsp.FileChangeType.Changed) == []

    # hunt 60 F5: named through a symlinked folder, as the editor may name it
    linked = docs / "watched-link"
    linked.symlink_to(docs / "watched", target_is_directory=True)
    shared.write_text('ignore = ["NX213"]\n', encoding="utf-8")
    mark = len(client.published)
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=(linked / "shared.toml").as_uri(), type=lsp.FileChangeType.Changed)]
        )
    )
    assert codes(await next_publish(client, uri, mark, 1)) == ["NX215"]

    # hunt 60 F3: one missing when the config was read, created later (a checkout)
    shared.unlink()
    assert codes(await after_saved(client, uri, closer)) == ["NX215"]  # the default settings, and a message
    shared.write_text('ignore = ["NX215"]\n', encoding="utf-8")
    assert await after_watched(client, uri, shared, lsp.FileChangeType.Created) == []


@e2e
async def test_a_save_after_the_schema_file_changed_lints_again(client: Client, docs: Path) -> None:
    # hunt 114 F1: the last lint was published again on a save, as the text and the settings
    # were the same: the schema file they name had changed, and an invalid file showed clean
    bundled = json.loads(files("nexlayer_lint").joinpath("nexlayer.schema.json").read_text(encoding="utf-8"))
    (docs / "schema-file").mkdir()
    (docs / "schema-file" / "s.json").write_text(json.dumps(bundled), encoding="utf-8")
    (docs / "schema-file" / ".nexlayer-lint.toml").write_text('schema = "s.json"\n', encoding="utf-8")
    uri = uri_of(docs, "schema-file", "nexlayer.yaml")
    assert codes(await open_doc(client, uri, CLEAN)) == []
    bundled["$defs"]["application"]["properties"]["name"]["enum"] = ["another"]
    (docs / "schema-file" / "s.json").write_text(json.dumps(bundled), encoding="utf-8")
    mark = len(client.published)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert codes(await next_publish(client, uri, mark, 1)) == ["NX104"]
    # hunt 121 F5: the schema file saved in the editor, or changed on disk, lints the document again
    schema = docs / "schema-file" / "s.json"
    bundled["$defs"]["application"]["properties"]["name"].pop("enum")
    schema.write_text(json.dumps(bundled), encoding="utf-8")
    assert codes(await after_saved(client, uri, schema)) == []
    bundled["$defs"]["application"]["properties"]["name"]["enum"] = ["another"]
    schema.write_text(json.dumps(bundled), encoding="utf-8")
    assert codes(await after_watched(client, uri, schema, lsp.FileChangeType.Changed)) == ["NX104"]
    # hunt 125 F1: saved half-written, or deleted: the bundled schema's verdict and an NX900 why,
    # not an internal error that left the last diagnostics
    schema.write_text('{"type": ', encoding="utf-8")
    (warning,) = await after_saved(client, uri, schema)
    assert warning.code == "NX900" and warning.message.startswith(f"{schema}: not JSON")
    assert warning.message.endswith("; using the bundled schema")
    schema.unlink()
    assert codes(await after_watched(client, uri, schema, lsp.FileChangeType.Deleted)) == ["NX900"]


@e2e
async def test_config_next_to_the_document_is_used(client: Client, docs: Path) -> None:
    configured = uri_of(docs, "configured", "nexlayer.yaml")
    (docs / "configured" / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\n', encoding="utf-8")
    plain = uri_of(docs, "unconfigured", "nexlayer.yaml")
    unpinned = FIXED.replace("nginx:1.27", "nginx")
    assert await open_doc(client, configured, unpinned) == []
    assert codes(await open_doc(client, plain, unpinned)) == ["NX215"]


@e2e
async def test_a_file_force_excluded_by_its_config_is_not_linted(client: Client, docs: Path) -> None:
    # hunt 68 F9: pre-commit (`check --force-exclude`) left the file out, the editor showed findings
    uri = uri_of(docs, "forced", "gen", "nexlayer.yaml")
    config = docs / "forced" / ".nexlayer-lint.toml"
    config.write_text('extend-exclude = ["gen"]\n', encoding="utf-8")
    unpinned = FIXED.replace("nginx:1.27", "nginx")
    assert codes(await open_doc(client, uri, unpinned)) == ["NX215"]  # named, as `check gen/nexlayer.yaml`
    config.write_text('extend-exclude = ["gen"]\nforce-exclude = true\n', encoding="utf-8")
    assert await change(client, uri, text=unpinned + "\n") == []


@e2e
async def test_a_vendored_project_a_config_above_excludes_is_not_linted(client: Client, docs: Path) -> None:
    # hunt 102 F3: `check --force-exclude` leaves out a folder the top config excludes, though it
    # holds a config of its own; the editor judged the file by that config alone
    (docs / "vend" / "vendor" / "lib").mkdir(parents=True)
    (docs / "vend" / ".nexlayer-lint.toml").write_text('extend-exclude = ["vendor"]\n', encoding="utf-8")
    (docs / "vend" / "vendor" / "lib" / ".nexlayer-lint.toml").write_text("", encoding="utf-8")
    uri = uri_of(docs, "vend", "vendor", "lib", "nexlayer.yaml")
    unpinned = FIXED.replace("nginx:1.27", "nginx")
    assert codes(await open_doc(client, uri, unpinned)) == ["NX215"]  # no force-exclude: named files are linted
    (docs / "vend" / ".nexlayer-lint.toml").write_text(
        'extend-exclude = ["vendor"]\nforce-exclude = true\n', encoding="utf-8"
    )
    assert await change(client, uri, text=unpinned + "\n") == []


@e2e
async def test_a_broken_config_is_shown_and_defaults_are_used(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "badconfig", "nexlayer.yaml")
    (docs / "badconfig" / ".nexlayer-lint.toml").write_text('ignroe = ["NX215"]\n', encoding="utf-8")
    assert codes(await open_doc(client, uri, FIXED.replace("nginx:1.27", "nginx"))) == ["NX215"]
    shown = [m.message for m in client.messages if "badconfig" in m.message]
    assert shown and 'unknown setting "ignroe" (did you mean "ignore"?)' in shown[0]


@e2e
async def test_no_network_connection_with_the_default_config(client: Client, docs: Path) -> None:
    uri = uri_of(docs, "network", "nexlayer.yaml")
    await open_doc(client, uri, NO_PATH)
    await hover_at(client, uri, 2, 4)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    await change(client, uri, text=FIXED)
    assert not client.netlog.exists(), client.netlog.read_text()


NETWORK_CONFIG = """\
remote = true
schema = "{url}/schema"
api-url = "{url}"
"""


@e2e
async def test_a_repository_config_cannot_make_the_editor_reach_the_network(
    client: Client, docs: Path, fake_api: Any
) -> None:
    # The editor did not allow network use: the config's remote, api-url and schema URL are ignored.
    from tests import fake_api as fa

    fake_api.script("/validate", fa.invalid({"path": "application.pods[0].image", "message": "Image not allowed"}))
    fake_api.script("/schema", fa.schema())
    (docs / "netconfig").mkdir()
    config = docs / "netconfig" / ".nexlayer-lint.toml"
    config.write_text(NETWORK_CONFIG.format(url=fake_api.url), encoding="utf-8")
    uri = uri_of(docs, "netconfig", "nexlayer.yaml")
    logged = len(client.log_messages)
    assert codes(await open_doc(client, uri, NO_PATH)) == ["NX201"]  # local findings only, no NX900
    mark = len(client.published)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert codes(await next_publish(client, uri, mark)) == ["NX201"]
    assert fake_api.count() == 0 and not client.netlog.exists()
    said = [m.message for m in client.log_messages[logged:]]
    assert (
        f"nexlayer-lint: {config} sets remote, api-url, schema; ignored, as the editor has not allowed "
        'network use (initializationOptions {"allowNetwork": true})'
    ) in said


async def _network_allowed(env: dict[str, str], **options: Any) -> Client:
    """A server started with `env`, initialised as VS Code is, with network use allowed."""
    c = _make_client()
    await c.start_io(sys.executable, "-m", "nexlayer_lint", "server", env=env)
    await c.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"allowNetwork": True, **options},
        )
    )
    return c


def test_the_editor_can_allow_network_use(tmp_path: Path, fake_api: Any) -> None:
    from tests import fake_api as fa

    fake_api.script("/validate", fa.invalid({"path": "application.pods[0].image", "message": "Image not allowed"}))
    fake_api.script("/schema", fa.schema())
    (tmp_path / ".nexlayer-lint.toml").write_text(NETWORK_CONFIG.format(url=fake_api.url), encoding="utf-8")
    uri = (tmp_path / "nexlayer.yaml").as_uri()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    async def session() -> list[lsp.Diagnostic]:
        c = await _network_allowed(env)
        try:
            return await open_doc(c, uri, FIXED)
        finally:
            await c.shutdown_session()
            await c.stop()

    diagnostics = asyncio.run(asyncio.wait_for(session(), HANG_GUARD))
    assert sorted(codes(diagnostics)) == ["NX901", "NX902"]  # the API's rejection, and that it disagrees
    assert fake_api.count("/schema", "GET") == 1 and fake_api.count("/validate", "POST") == 1


def test_typing_while_the_api_answers_asks_it_once(tmp_path: Path, fake_api: Any) -> None:
    # hunt 138 F1: a remote lint outdated by typing kept the document's "ask the API" mark, so each
    # keystroke asked it again (20 POSTs for 20 keystrokes) and no diagnostics showed while typing
    from tests import fake_api as fa

    fake_api.script("/validate", *[fa.Reply(200, {"valid": True}, delay=0.4) for _ in range(20)])
    (tmp_path / ".nexlayer-lint.toml").write_text(f'remote = true\napi-url = "{fake_api.url}"\n', encoding="utf-8")
    uri = (tmp_path / "nexlayer.yaml").as_uri()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    async def session() -> list[lsp.Diagnostic]:
        c = await _network_allowed(env, debounce=50)
        try:
            c.versions[uri], c.texts[uri] = 1, NO_PATH
            c.text_document_did_open(
                lsp.DidOpenTextDocumentParams(
                    text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=NO_PATH)
                )
            )
            for version in range(2, 12):
                await asyncio.sleep(0.1)
                c.versions[uri] = version
                c.text_document_did_change(
                    lsp.DidChangeTextDocumentParams(
                        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=NO_PATH + "#" * version)],
                    )
                )
            return await next_publish(c, uri, 0, 11)
        finally:
            await c.shutdown_session()
            await c.stop()

    assert codes(asyncio.run(asyncio.wait_for(session(), HANG_GUARD))) == ["NX201"]
    assert fake_api.count("/validate", "POST") == 1  # the open's, not one per keystroke


def test_a_config_change_while_the_api_answers_asks_it_again(tmp_path: Path, fake_api: Any) -> None:
    # hunt 142 F4: the open's remote lint, outdated by a config change (not by an edit), was
    # dropped, and the lint that replaced it did not ask the API: its verdict never showed
    from tests import fake_api as fa

    rejection = {"path": "application.pods[0].image", "message": "Image not allowed"}
    fake_api.script("/validate", *[fa.Reply(200, {"valid": False, "errors": [rejection]}, delay=0.6) for _ in range(3)])
    config = tmp_path / ".nexlayer-lint.toml"
    config.write_text(f'remote = true\napi-url = "{fake_api.url}"\n', encoding="utf-8")
    uri = (tmp_path / "nexlayer.yaml").as_uri()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    async def session() -> list[lsp.Diagnostic]:
        c = await _network_allowed(env)
        try:
            c.versions[uri], c.texts[uri] = 1, FIXED
            c.text_document_did_open(
                lsp.DidOpenTextDocumentParams(
                    text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=FIXED)
                )
            )
            await asyncio.sleep(0.2)
            saved = lsp.TextDocumentIdentifier(uri=config.as_uri())
            c.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=saved))

            async def verdict() -> list[lsp.Diagnostic]:
                while True:
                    for params in c.published:
                        if params.uri == uri and "NX901" in codes(list(params.diagnostics)):
                            return list(params.diagnostics)
                    await asyncio.sleep(0.05)

            return await asyncio.wait_for(verdict(), HANG_GUARD)
        finally:
            await c.shutdown_session()
            await c.stop()

    assert sorted(codes(asyncio.run(asyncio.wait_for(session(), HANG_GUARD)))) == ["NX901", "NX902"]


def test_lints_waiting_on_a_slow_api_hold_no_thread_of_other_documents(tmp_path: Path, fake_api: Any) -> None:
    # hunt 150 F1: three documents whose lints waited on a slow API held all three worker threads,
    # so a fourth document's diagnostics and a hover on it waited for the API
    from tests import fake_api as fa

    fake_api.script("/validate", *[fa.Reply(200, {"valid": True}, delay=4) for _ in range(3)])
    remote = [uri_of(tmp_path, f"remote{k}", "nexlayer.yaml") for k in range(3)]
    for uri in remote:
        config = Path(uri[len("file://") :]).parent / ".nexlayer-lint.toml"
        config.write_text(f'remote = true\napi-url = "{fake_api.url}"\n', encoding="utf-8")
    local = uri_of(tmp_path, "local", "nexlayer.yaml")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    async def session() -> tuple[list[str], list[str], bool]:
        c = await _network_allowed(env)
        try:
            for uri in remote:
                c.versions[uri], c.texts[uri] = 1, NO_PATH
                c.text_document_did_open(
                    lsp.DidOpenTextDocumentParams(
                        text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=NO_PATH)
                    )
                )
            while fake_api.count("/validate", "POST") < 3:  # each lint now waits on the API
                await asyncio.sleep(0.05)
            local_codes = codes(await open_doc(c, local, NO_PATH))
            hover = await hover_at(c, local, 3, 8)
            answered_first = not any(params.uri in remote for params in c.published)
            remote_codes = [codes(await next_publish(c, uri, 0)) for uri in remote]
            return local_codes, [code for found in remote_codes for code in found], answered_first and hover is not None
        finally:
            await c.shutdown_session()
            await c.stop()

    local_codes, remote_codes, answered_first = asyncio.run(asyncio.wait_for(session(), HANG_GUARD))
    assert local_codes == ["NX201"] and remote_codes == ["NX201", "NX902"] * 3  # the API said valid: they disagree
    assert answered_first  # the local document's diagnostics and hover came while the API still held its answers


def test_lifecycle_of_python_m_nexlayer_lint_server(tmp_path: Path) -> None:
    """initialize, open, shutdown, exit: the process ends with status 0."""
    from pytest_lsp.client import make_test_lsp_client

    async def session() -> int | None:
        c = make_test_lsp_client()
        await c.start_io(sys.executable, "-m", "nexlayer_lint", "server")
        result = await c.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
        assert result.server_info is not None and result.server_info.name == "nexlayer-lint"
        capabilities = result.capabilities
        assert capabilities.hover_provider and capabilities.code_action_provider
        sync = capabilities.text_document_sync
        assert isinstance(sync, lsp.TextDocumentSyncOptions) and sync.open_close and sync.save
        assert sync.change == lsp.TextDocumentSyncKind.Incremental
        uri = (tmp_path / "nexlayer.yaml").as_uri()
        c.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=NO_PATH)
            )
        )
        await c.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        assert [d.code for d in c.diagnostics[uri]] == ["NX201"]
        await c.shutdown_session()
        code = c._server.returncode if c._server else None
        await c.stop()
        return code

    assert asyncio.run(asyncio.wait_for(session(), HANG_GUARD)) == 0


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _unframe(stream: bytes) -> list[dict]:
    messages = []
    while stream:
        head, _, stream = stream.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
        messages.append(json.loads(stream[:length]))
        stream = stream[length:]
    return messages


def _raw_session(data: bytes, limit: int | None = None) -> subprocess.CompletedProcess[bytes]:
    """The server's run on `data` as its whole stdin, with MAX_MESSAGE_BYTES set to `limit`."""
    return subprocess.run(_server_command(limit), input=data, capture_output=True, timeout=HANG_GUARD)


def _server_command(limit: int | None = None) -> list[str]:
    code = (
        "import sys; from nexlayer_lint import server; "
        + (f"server.MAX_MESSAGE_BYTES = {limit}; " if limit is not None else "")
        + "sys.argv = ['nexlayer-lint', 'server']; from nexlayer_lint.cli import main; main()"
    )
    return [sys.executable, "-c", code]


def _raw_session_after_answer(first: bytes, answered: int, rest: bytes) -> subprocess.CompletedProcess[bytes]:
    """The server's run on `first`, then, once it has answered the request `answered`, on `rest`:
    as a client waits for an answer before it shuts the server down (a `shutdown` sent at once
    cancels a request still being answered, on a slow machine)."""
    import threading

    process = subprocess.Popen(_server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    received: list[bytes] = []

    def read_until_answered() -> None:
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                byte = process.stdout.read(1)  # type: ignore[union-attr]
                if not byte:
                    return
                head += byte
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
            body = process.stdout.read(length)  # type: ignore[union-attr]
            received.append(head + body)
            if json.loads(body).get("id") == answered:
                return

    process.stdin.write(first)
    process.stdin.flush()
    reader = threading.Thread(target=read_until_answered, daemon=True)
    reader.start()
    reader.join(HANG_GUARD)
    if reader.is_alive():
        process.kill()
    stdout, stderr = process.communicate(rest, timeout=HANG_GUARD)
    return subprocess.CompletedProcess(process.args, process.returncode, b"".join(received) + stdout, stderr)


def test_a_second_initialize_is_refused_and_the_documents_are_kept(tmp_path: Path) -> None:
    # hunt 138 F2: pygls' second initialize made a new workspace: the open document was lost, and
    # the next hover was answered -32603 with the exception's text and Python's traceback
    uri = (tmp_path / "never-saved" / "nexlayer.yaml").as_uri()
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    opened = {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": NO_PATH}}
    hover = {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 3}}
    failing = {**initialize, "id": 0, "params": {"capabilities": {}, "rootUri": "http://[::1"}}
    messages = [
        failing,  # hunt 142 F7: one that fails may be sent again
        initialize,
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": opened},
        {**initialize, "id": 2},
        {"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": hover},
    ]
    ending = [{"jsonrpc": "2.0", "id": 4, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    done = _raw_session_after_answer(
        b"".join(_frame(message) for message in messages), 3, b"".join(_frame(message) for message in ending)
    )
    answers = {m.get("id"): m for m in _unframe(done.stdout) if "id" in m}
    assert answers[0]["error"] == {"code": -32603, "message": "internal error in the nexlayer-lint server"}
    assert "capabilities" in answers[1]["result"]
    assert answers[2]["error"] == {"code": -32600, "message": "initialize may only be sent once"}
    assert "error" not in answers[3] and "pods" in json.dumps(answers[3]["result"])
    assert done.returncode == 0 and b"Traceback" not in done.stderr  # the failed one is logged, where not what


def test_an_internal_error_is_answered_without_its_text_or_traceback() -> None:
    import sys as system

    from pygls.exceptions import JsonRpcInternalError

    sent: list[Any] = []
    protocol = server.NexlayerLanguageServer().protocol
    protocol._send_data = sent.append  # type: ignore[method-assign]
    try:
        raise FileNotFoundError("/home/someone/secret-project/nexlayer.yaml")
    except FileNotFoundError:
        error = JsonRpcInternalError.of(system.exc_info()).to_response_error()
    protocol._send_response(7, error=error)
    (answer,) = sent
    assert answer.error.code == -32603 and answer.error.message == "internal error in the nexlayer-lint server"
    assert answer.error.data is None


def test_a_message_over_the_size_limit_is_dropped_and_the_server_carries_on() -> None:
    # the hostile-input hunt: pygls read a body in one read() of its announced length, so
    # "Content-Length: 99999999999999" ended the server with a MemoryError and a traceback
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    big = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}, "x": "a" * 5000}}
    done = _raw_session(_frame(big) + _frame(initialize), limit=1000)
    assert b'"id": 1, "jsonrpc": "2.0", "result": {"capabilities"' in done.stdout
    assert b'"id": 0' not in done.stdout
    assert done.stderr.decode().splitlines() == [
        f"nexlayer-lint server: ERROR dropped a message of {len(json.dumps(big))} bytes, over the limit of 1000 bytes"
    ]
    done = _raw_session(b"Content-Length: 99999999999999\r\n\r\n{}")
    assert done.returncode == 1 and b"Traceback" not in done.stderr  # 1: the client left without `shutdown`
    assert b"dropped a message of 99999999999999 bytes, over the limit of 67108864 bytes" in done.stderr


def test_a_request_with_params_out_of_range_gets_invalid_params() -> None:
    # the hostile-input hunt: pygls could not read these params, logged it and never answered
    uri = "file:///tmp/nexlayer.yaml"
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": CLEAN}},
        },
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": -1}},
        },
        {
            "jsonrpc": "2.0",
            "id": "three",
            "method": "textDocument/codeAction",
            "params": {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2**31, "character": 0}},
                "context": {"diagnostics": []},
            },
        },
        {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri, "x": -1}}},
        {"jsonrpc": "2.0", "id": 4, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    done = _raw_session(b"".join(_frame(message) for message in messages))
    replies = {reply["id"]: reply for reply in _unframe(done.stdout) if "id" in reply}
    invalid = {"code": -32602, "message": "Invalid Params"}
    assert replies[2]["error"] == invalid and replies["three"]["error"] == invalid
    assert "result" in replies[4] and done.returncode == 0


def test_a_header_in_any_case_is_read_and_one_that_is_no_number_costs_only_its_message() -> None:
    # hunt 55 F6: after either, pygls read every later message as header lines: no answer again
    initialize = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    data = (
        b"content-length: %d\n\r\n" % len(initialize)
        + initialize.encode()
        + b"X-Content-Length: 3\r\n"  # hunt 58 F2: another header, whose name ends with it
        + _frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        + b'Content-Length: 1x\r\n\r\n{"jsonrpc": "2.0", "id": 3, "method": "shutdown"} '  # hunt 60 F6: a blank
        + _frame({"jsonrpc": "2.0", "method": "exit"})
    )
    done = _raw_session(data)
    replies = {reply["id"]: reply for reply in _unframe(done.stdout) if "id" in reply}
    assert sorted(replies) == [1, 2] and replies[2]["result"] is None
    assert b"ERROR dropped 50 bytes that were no message header" in done.stderr
    assert done.returncode == 0


def test_what_pygls_cannot_handle_is_logged_without_its_params() -> None:
    # hunt 55 F3: pygls logged such a message whole, with the document's text and its secrets
    text = "application:\n  name: shop\n  pods:\n    - name: web\n      vars:\n        DB_PASSWORD: Zq9Sup3rS3cret\n"
    document = {"uri": "file:///tmp/nexlayer.yaml", "languageId": "yaml", "version": 1, "text": text}
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "1.0", "method": "textDocument/didOpen", "params": {"textDocument": document}},
        {"jsonrpc": "2.0", "id": 5, "method": 7, "params": {"text": text}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    done = _raw_session(b"".join(_frame(message) for message in messages))
    assert b'refused a message: its "jsonrpc" is not "2.0"' in done.stderr
    assert b"refused a message: its method is not a string" in done.stderr
    assert b"Zq9Sup3rS3cret" not in done.stderr + done.stdout and b"Traceback" not in done.stderr
    assert done.returncode == 0


def test_what_is_no_json_rpc_message_is_answered_and_the_session_goes_on() -> None:
    # hunt 55 F4: these got no answer (the client waits forever) or -32603 with pygls' traceback
    bodies = [
        b'{"id": 2, "method": "shutdown"}',  # no "jsonrpc"
        b'[{"jsonrpc": "2.0", "id": 3, "method": "shutdown"}]',  # a batch
        b"{not json",
        b"\xff\xfe{}",  # not UTF-8
        b'{"jsonrpc": "2.0", "id": 4, "method": 5}',
        b'"text"',
        b'{"jsonrpc": "1.0", "id": 6, "method": "shutdown"}',
        b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}',
        b'{"jsonrpc": "2.0", "method": 8}',  # a notification: its answer has a null id too
        # hunt 67 F1: an object with a "jsonrpc" member inside params was taken for a message
        b'{"jsonrpc": "2.0", "id": 10, "method": "textDocument/hover", "params": {"jsonrpc": "2.0"}}',
        b"[" * 100_000,  # hunt 67 F2: too deep for json.loads
        b"",  # `Content-Length: 0`: pygls read no body and answered nothing
        # hunt 121 F6: an integer json.loads refuses to convert (a plain ValueError)
        b'{"jsonrpc": "2.0", "id": 11, "method": "textDocument/hover", "params": {"x": ' + b"9" * 4301 + b"}}",
        # and an id that is no id, with params pygls refuses: dropped unanswered
        b'{"jsonrpc": "2.0", "id": NaN, "method": "textDocument/hover", "params": {"x": 1}}',
        b'{"jsonrpc": "2.0", "id": [12], "method": "textDocument/hover", "params": {"x": 1}}',
    ]
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    data = _frame(initialize) + b"".join(b"Content-Length: %d\r\n\r\n" % len(body) + body for body in bodies)
    data += _frame({"jsonrpc": "2.0", "id": 9, "method": "shutdown"}) + _frame({"jsonrpc": "2.0", "method": "exit"})
    done = _raw_session(data)
    replies = [(reply.get("id", "absent"), reply.get("error")) for reply in _unframe(done.stdout)[1:]]
    no_object = {"code": -32600, "message": 'not a JSON object with "jsonrpc": "2.0"'}
    not_json = {"code": -32700, "message": "the message is not JSON text"}
    assert replies == [
        (2, no_object),
        (None, {"code": -32600, "message": "a batch (a JSON array): LSP sends one message at a time"}),
        (None, not_json),
        (None, not_json),
        (4, {"code": -32600, "message": "its method is not a string"}),
        (None, no_object),
        (6, {"code": -32600, "message": 'its "jsonrpc" is not "2.0"'}),
        (None, {"code": -32600, "message": "its id is neither a number nor a string"}),
        (None, {"code": -32600, "message": "its method is not a string"}),
        (10, {"code": -32602, "message": "Invalid Params"}),
        (None, not_json),
        (None, not_json),
        (None, not_json),
        (None, {"code": -32600, "message": "its id is neither a number nor a string"}),
        (None, {"code": -32600, "message": "its id is neither a number nor a string"}),
        (9, None),
    ]
    assert b"Traceback" not in done.stderr and done.returncode == 0


def test_a_second_length_header_of_zero_leaves_the_session_going() -> None:
    # hunt 77 F4: pygls reads the first length (1), the reader followed the last (0) and gave a
    # blank instead of the body's byte, which then spoilt the next message's header
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    data = _frame(initialize) + b"Content-Length: 1\r\nContent-Length: 0\r\n\r\n1"
    data += _frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + _frame({"jsonrpc": "2.0", "method": "exit"})
    done = _raw_session(data)
    assert [reply.get("id") for reply in _unframe(done.stdout)] == [1, None, 2]
    assert done.returncode == 0


@pytest.mark.parametrize("debounce", [10**400, "NaN", "Infinity"])
def test_a_debounce_no_clock_can_wait_is_ignored(debounce: Any) -> None:
    # hunt 74: an integer past float's range failed `initialize` (OverflowError); JSON's
    # Infinity would have made the server wait forever before each re-lint
    params = f'{{"capabilities": {{}}, "initializationOptions": {{"debounce": {debounce}}}}}'
    body = f'{{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {params}}}'.encode()
    data = b"Content-Length: %d\r\n\r\n" % len(body) + body
    data += _frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + _frame({"jsonrpc": "2.0", "method": "exit"})
    done = _raw_session(data)
    replies = _unframe(done.stdout)
    assert "result" in replies[0] and "capabilities" in replies[0]["result"], replies[0]
    assert b"Traceback" not in done.stderr and done.returncode == 0


def test_every_request_is_answered_and_exit_says_whether_shutdown_came_first() -> None:
    # hunt 43 F5: a request with no `params` to an unknown method, and any request after
    # `shutdown`, were never answered; `exit` without `shutdown` ended the process with 0
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "acme/custom"},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
        {
            "jsonrpc": "2.0",
            "id": 4,
            "method": "textDocument/hover",
            "params": {"textDocument": {"uri": "file:///tmp/nexlayer.yaml"}, "position": {"line": 0, "character": 0}},
        },
        {"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover"},  # no params: shutting down still
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    done = _raw_session(b"".join(_frame(message) for message in messages))
    replies = {reply["id"]: reply for reply in _unframe(done.stdout) if "id" in reply}
    assert replies[2]["error"]["code"] == -32601  # Method Not Found
    assert replies[3]["result"] is None
    assert replies[4]["error"] == replies[5]["error"] == {"code": -32600, "message": "the server is shutting down"}
    assert done.returncode == 0
    without_shutdown = [message for message in messages if message.get("method") != "shutdown"][:3] + messages[-1:]
    assert _raw_session(b"".join(_frame(message) for message in without_shutdown)).returncode == 1


# not on PyPI: the lsp extra is installed with the repository's URL
INSTALL_LSP = "pip install 'nexlayer-lint[lsp] @ git+https://github.com/nexlayer-lint/nexlayer-lint'"


def test_server_command_without_pygls_says_how_to_install() -> None:
    blocked = (
        "import sys; sys.modules['pygls'] = None; sys.argv = ['nexlayer-lint', 'server']; "
        "from nexlayer_lint.cli import main; main()"
    )
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == 2
    assert INSTALL_LSP + " (in a clone: pip install '.[lsp]')" in done.stderr
    assert done.stdout == ""


# --- helpers, without a client -----------------------------------------------------------------


def test_scheduler_keys_take_turns_one_job_each_and_a_newer_job_replaces_a_waiting_one() -> None:
    import threading

    started: list[str] = []
    gates = {name: threading.Event() for name in ("a1", "b1", "b2", "c1", "a2", "urgent")}

    def job(name: str) -> str:
        started.append(name)
        assert gates[name].wait(HANG_GUARD)
        return name

    async def scenario() -> None:
        scheduler = server.Scheduler(limit=1)
        a1 = scheduler.submit("a", job, "a1")
        b1 = scheduler.submit("b", job, "b1")
        c1 = scheduler.submit("c", job, "c1")
        a2 = scheduler.submit("a", job, "a2")  # "a" runs: it waits, behind b and c
        b2 = scheduler.submit("b", job, "b2")  # replaces b1, which never runs, in b1's place in line
        urgent = scheduler.submit(object(), job, "urgent", urgent=True)
        await asyncio.sleep(0)
        assert b1.cancelled() and started == ["a1"]
        for name, future in (("a1", a1), ("urgent", urgent), ("b2", b2), ("c1", c1), ("a2", a2)):
            gates[name].set()
            assert await asyncio.wait_for(future, HANG_GUARD) == name
        assert started == ["a1", "urgent", "b2", "c1", "a2"]

    asyncio.run(scenario())


def test_a_documents_requests_hold_one_thread_and_a_cancelled_proof_stops() -> None:
    # hunt 43 F3: each request was a key of its own, so cancelled code actions on a big document
    # held every thread and another document waited up to a minute for its diagnostics
    import threading

    from nexlayer_lint.config import Settings

    gate = threading.Event()
    started: list[str] = []

    def job(name: str) -> str:
        started.append(name)
        assert gate.wait(HANG_GUARD)
        return name

    async def scenario() -> None:
        ls = server.NexlayerLanguageServer()
        ls.scheduler = server.Scheduler(limit=3)  # a thread free for each job that could run
        big = ("file:///big/nexlayer.yaml", "code action")
        first, second, third, fourth = (
            asyncio.ensure_future(ls.run(big, job, name)) for name in ("first", "second", "third", "fourth")
        )
        lint = ls.scheduler.submit("file:///small/nexlayer.yaml", job, "lint")
        await until(lambda: len(started) == 2)
        assert sorted(started) == ["first", "lint"]  # the others wait their turn, on no thread
        third.cancel()  # hunt 49 F1: only what the editor cancels is cancelled, and never runs
        first.cancel()  # hunt 50 F1: running, its job keeps the turn (and its thread) until it ends
        await asyncio.sleep(0.05)
        assert sorted(started) == ["first", "lint"]
        gate.set()
        assert [await second, await fourth, await lint] == ["second", "fourth", "lint"]
        assert first.cancelled() and third.cancelled() and "third" not in started

    asyncio.run(scenario())
    stop = threading.Event()
    stop.set()  # the editor cancelled: no fix is proven, none re-linted
    assert server._verify_job(CLEAN, "nexlayer.yaml", Settings(), [], [(Fix("x", ()), "NX215")], stop) == []


def test_fix_all_of_a_document_closed_meanwhile_is_no_edit(tmp_path: Path) -> None:
    # hunt 50 F2: a code action that waited its turn past didClose read the file from disk (or
    # failed with FileNotFoundError and a traceback)
    on_disk = tmp_path / "nexlayer.yaml"
    on_disk.write_text(CLEAN.replace("nginx:1.27", "nginx"), encoding="utf-8")

    async def scenario() -> None:
        ls = server.NexlayerLanguageServer()
        for _ in ls.protocol.lsp_initialize(lsp.InitializeParams(capabilities=lsp.ClientCapabilities())):
            pass  # pygls' own steps (the workspace), not the server's handlers
        for uri in (on_disk.as_uri(), (tmp_path / "gone" / "nexlayer.yaml").as_uri()):
            assert (await server._fix_all_edit(ls, uri)).changes == {}

    asyncio.run(scenario())


def test_scheduler_runs_up_to_its_limit_and_skips_cancelled_jobs() -> None:
    import threading

    running, most = [0], [0]
    gate = threading.Event()
    lock = threading.Lock()

    def job() -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        assert gate.wait(HANG_GUARD)
        with lock:
            running[0] -= 1

    async def scenario() -> None:
        scheduler = server.Scheduler(limit=3)
        futures = [scheduler.submit(key, job) for key in range(6)]
        futures[4].cancel()  # an editor gave up on a request that has not started
        await until(lambda: running[0] == 3)
        gate.set()
        await asyncio.wait_for(asyncio.gather(*futures[:4], futures[5]), HANG_GUARD)
        assert most[0] == 3 and futures[4].cancelled()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("uri", "text", "language", "expected"),
    [
        ("file:///x/nexlayer.yaml", "", None, True),
        ("file:///x/nexlayer.yml", "garbage", None, True),
        ("file:///x/deploy.yaml", "# app\napplication:\n  name: x\n", None, True),
        ("file:///x/deploy.yaml", '"application": {}\n', None, True),
        ("file:///x/deploy.yaml", "\ufeffapplication:\n", None, True),  # hunt 57 F2: a BOM first
        ("file:///x/deploy.yaml", "{application: {name: shop}}\n", None, True),  # a flow mapping
        ("file:///x/deploy.yaml", "{services: {application: x}}\n", None, False),
        # hunt 60 F4: JSON, after `---` and comments, a whole document indented
        ("file:///x/deploy.yaml", '{\n  "application": {"name": "shop"}\n}\n', None, True),
        ("file:///x/deploy.yaml", "# app\n--- {application: {name: shop}}\n", None, True),
        ("file:///x/deploy.yaml", "# app\r\n---\r\n   application:\r\n     name: shop\r\n", None, True),
        ("file:///x/deploy.yaml", "spring:\n  application:\n    name: x\n", None, False),  # Spring's
        ("untitled:Untitled-1", "application:\n", "yaml", True),
        ("file:///x/deploy.yaml", "services:\n  application: x\n", None, False),
        ("file:///x/notes.txt", "application:\n", "plaintext", False),
    ],
)
def test_which_documents_are_linted(uri: str, text: str, language: str | None, expected: bool) -> None:
    assert server.is_nexlayer_document(uri, text, language) is expected


@pytest.mark.parametrize(
    ("encoding", "character"),
    [
        (lsp.PositionEncodingKind.Utf16, 7),
        (lsp.PositionEncodingKind.Utf8, 9),
        (lsp.PositionEncodingKind.Utf32, 6),
    ],
)
def test_positions_in_each_encoding(encoding: str, character: int) -> None:
    lines = server.lines_of('a: 1\nb: "\U0001f680 x"\r\nc: 2', encoding)
    assert lines.text == lines.lsp == ["a: 1", 'b: "\U0001f680 x"', "c: 2"]
    # the `x` after the emoji: code point column 7 (1-based) on line 2
    position = server.to_position(lines, 2, 7, encoding)
    assert (position.line, position.character) == (1, character)
    assert server.from_position(lines, position, encoding) == (2, 7)
    assert server.to_position(lines, 9, 1, encoding) == lsp.Position(line=3, character=0)


ENCODINGS = [lsp.PositionEncodingKind.Utf16, lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf32]


def _mixed_widths(seed: int) -> list[str]:
    """500 short texts of characters one to four client units wide, and a lone surrogate."""
    rng = random.Random(seed)
    alphabet = "ab\u00e9\u4e2d\U0001f600\ud800x"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(500)]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_column_counts_the_client_units_before_it(encoding: str) -> None:
    # hunt 104 F5: the units before each finding were counted over the whole line in Python (a
    # one-line file of 210 KB with one `é`: 24 s); now by an index of the line's wide characters
    for text in _mixed_widths(104):
        for col0 in range(len(text) + 1):
            assert server._prefix_width(text, col0, encoding) == _units(text[:col0], encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_client_position_covers_the_code_points_of_its_units(encoding: str) -> None:
    # hunt 114 F3: a client's position was turned into code points by a loop over the line (each
    # keystroke at the end of a 600 KB line with one `é`: seconds); now by the same index
    for text in _mixed_widths(114):
        for units in range(_units(text, encoding) + 3):
            # the fewest code points whose units reach `units` (a unit inside a character takes it whole)
            expected = next((k for k in range(len(text) + 1) if _units(text[:k], encoding) >= units), len(text))
            assert server._code_points(text, units, encoding) == expected


def _units(text: str, encoding: str) -> int:
    """What LSP counts in `text`: code points, UTF-8 bytes or UTF-16 code units."""
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\nb", "\n\n", "a\r\nb\rc\n", "a\r", "\u2028a\x0cb\n"])
def test_lines_end_at_lsp_line_breaks_only(text: str) -> None:
    assert server.split_lines(text) == re.split(r"\r\n|\r|\n", text)


def test_positions_with_a_bom() -> None:
    lines = server.lines_of("\ufeffapplication: x\n", lsp.PositionEncodingKind.Utf16)
    assert server.to_position(lines, 1, 1, lsp.PositionEncodingKind.Utf16) == lsp.Position(line=0, character=1)
    assert server.from_position(lines, lsp.Position(line=0, character=1), lsp.PositionEncodingKind.Utf16) == (1, 1)


def _offset_in(lines: list[str], position: lsp.Position) -> int:
    """The definition: where a position in UTF-16 units is in the text whose LSP lines (with their
    breaks) are `lines`; a character past its line's end is the end, a line past the last the text's end."""
    if position.line >= len(lines):
        return sum(map(len, lines))
    content = lines[position.line].rstrip("\r\n").encode("utf-16-le")
    return sum(map(len, lines[: position.line])) + len(content[: 2 * position.character].decode("utf-16-le"))


def _some_position(rnd: random.Random, lines: list[str]) -> lsp.Position:
    """A position on a character boundary, sometimes past its line's end or past the last line."""
    line = rnd.randrange(len(lines) + 1)
    content = lines[line].rstrip("\r\n") if line < len(lines) else ""
    if rnd.random() < 0.1:
        return lsp.Position(line=line, character=len(content.encode("utf-16-le")) // 2 + rnd.randint(1, 3))
    return lsp.Position(line=line, character=len(content[: rnd.randint(0, len(content))].encode("utf-16-le")) // 2)


@pytest.mark.parametrize("seed", range(4))
def test_positions_are_converted_between_yaml_lines_and_lsp_lines(seed: int) -> None:
    # every position of the engine's (lines at model.LINE_BREAK, NEL, LS and PS among them) is
    # sent at the same offset on the editor's lines in UTF-16 units, and read back the same
    rnd = random.Random(seed)
    pieces = ["a", " ", "\u00e9", "\U0001f680", "\n", "\r\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff"]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 24)))
        text = text.replace("\ufeff", "") if rnd.random() < 0.5 else "\ufeff" + text.replace("\ufeff", "")
        lines = server.lines_of(text, lsp.PositionEncodingKind.Utf16)
        engine = LINE_BREAK.split(text)
        assert list(lines.text) == engine and list(lines.lsp) == re.split(r"\r\n|\r|\n", text)
        starts = [0, *(match.end() for match in LINE_BREAK.finditer(text))]
        editor = lsp_lines(text)
        for line, content in enumerate(engine):
            bom = 1 if line == 0 and text.startswith("\ufeff") else 0  # the loader's columns skip it
            for col0 in range(bom, len(content) + 1):
                position = server.to_position(lines, line + 1, col0 + 1 - bom, lsp.PositionEncodingKind.Utf16)
                assert _offset_in(editor, position) == starts[line] + col0
                assert server.from_position(lines, position, lsp.PositionEncodingKind.Utf16) == (
                    line + 1,
                    col0 + 1 - bom,
                )


@pytest.mark.parametrize(
    ("encoding", "units"),
    [
        (lsp.PositionEncodingKind.Utf16, (6, 9, 11)),
        (lsp.PositionEncodingKind.Utf8, (8, 14, 18)),  # the emoji is 4 bytes, NEL 2, LS and PS 3
        (lsp.PositionEncodingKind.Utf32, (5, 8, 10)),
    ],
)
def test_positions_after_nel_ls_and_ps_in_each_encoding(encoding: str, units: tuple[int, int, int]) -> None:
    # units: where the LS, the `y` and the `z` are on the editor's line 1
    text = 'a: 1\nb: "\U0001f680\u2028x\x85y\u2029z"\r\nc: 2'
    lines = server.lines_of(text, encoding)
    assert lines.text == ["a: 1", 'b: "\U0001f680', "x", "y", 'z"', "c: 2"]
    assert lines.lsp == ["a: 1", 'b: "\U0001f680\u2028x\x85y\u2029z"', "c: 2"]
    assert server.to_position(lines, 4, 1, encoding) == lsp.Position(line=1, character=units[1])  # the `y`
    assert server.to_position(lines, 5, 1, encoding) == lsp.Position(line=1, character=units[2])  # the `z`
    assert server.to_position(lines, 6, 3, encoding) == lsp.Position(line=2, character=2)
    assert server.from_position(lines, lsp.Position(line=1, character=units[2]), encoding) == (5, 1)
    # on the LS itself: the end of the engine's line 2; past the last line: past the engine's
    assert server.from_position(lines, lsp.Position(line=1, character=units[0]), encoding) == (2, 6)
    assert server.from_position(lines, lsp.Position(line=4, character=0), encoding) == (8, 1)
    assert server.to_position(lines, 7, 1, encoding) == lsp.Position(line=3, character=0)


def test_a_text_without_nel_ls_or_ps_converts_nothing() -> None:
    # the common case costs the split it always cost: one list of lines, no places
    lines = server.lines_of("a: \u00e9\r\nb: 2\n", lsp.PositionEncodingKind.Utf16)
    assert lines.text is lines.lsp and lines.places == ()


@pytest.mark.parametrize("seed", range(3))
def test_an_incremental_change_lands_where_lsp_lines_put_it(seed: int) -> None:
    # pygls applies a change at str.splitlines' lines (NEL, LS, PS, \\v, \\f, \\x1c-\\x1e end one)
    rnd = random.Random(seed)
    pieces = ["a", "\U0001f680", "\n", "\r\n", "\r", "\x85", "\u2028", "\x0c", "\x1e"]
    for _ in range(500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 20)))
        editor = lsp_lines(text)
        start, end = sorted(
            (_some_position(rnd, editor), _some_position(rnd, editor)), key=lambda p: (p.line, p.character)
        )
        change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start=start, end=end), text="<x>")
        expected = (
            text[: _offset_in(editor, start)] + "<x>" + text[max(_offset_in(editor, end), _offset_in(editor, start)) :]
        )
        assert server.apply_change(text, change, lsp.PositionEncodingKind.Utf16) == expected


@pytest.mark.parametrize("seed", range(3))
def test_a_did_change_of_many_changes_gives_the_text_one_change_at_a_time_gives(seed: int) -> None:
    # hunt 121 F4: a run of changes each before the one before it (multi-cursor typing, sent bottom
    # up) is applied in one pass; any order, overlaps, ranges at a change's edge and whole-document
    # changes still give what applying each change to the text before it gives
    rnd = random.Random(seed)
    pieces = ["a", "\U0001f680", "\n", "\r\n", "\r", "\x85", "\u2028"]
    utf16 = lsp.PositionEncodingKind.Utf16
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        changes: list[lsp.TextDocumentContentChangeEvent] = []
        expected = text
        for _ in range(rnd.randint(1, 8)):
            editor = lsp_lines(expected)
            if rnd.random() < 0.05:
                change: lsp.TextDocumentContentChangeEvent = lsp.TextDocumentContentChangeWholeDocument(text="b\n")
                expected = "b\n"
            else:
                if changes and rnd.random() < 0.7 and isinstance(changes[-1], lsp.TextDocumentContentChangePartial):
                    last = changes[-1].range.start  # bottom up, as VS Code sends cursors; at times at its start
                    end = lsp.Position(line=rnd.randint(0, last.line), character=rnd.randint(0, last.character + 1))
                else:
                    end = _some_position(rnd, editor)
                start = _some_position(rnd, editor) if rnd.random() < 0.2 else end
                partial = lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(start=start, end=end), text=rnd.choice(["", "x", "\n", "\U0001f680y"])
                )
                expected = server.apply_change(expected, partial, utf16)
                change = partial
            changes.append(change)
        assert server.apply_changes(text, changes, utf16) == expected


def _position_of(lines: list[str], offset: int) -> lsp.Position:
    """The LSP position (UTF-16 units) of an offset in the text whose LSP lines are `lines`."""
    for number, line in enumerate(lines):
        content = line.rstrip("\r\n")
        if offset < len(line) or number == len(lines) - 1:  # (between a \r and its \n: the line's end)
            return lsp.Position(line=number, character=len(content[:offset].encode("utf-16-le")) // 2)
        offset -= len(line)
    return lsp.Position(line=len(lines), character=0)


@pytest.mark.parametrize("seed", range(4))
def test_changes_sent_top_down_give_the_text_one_change_at_a_time_gives(seed: int) -> None:
    # hunt 150 F4: Helix sends a multi-cursor edit top down, each change at or after the end of
    # the one before it's new text; such a run is applied in one pass, its places read on from
    # that end: line breaks brought together (\r then \n), ranges past a line's or the text's
    # end, reversed ranges, whole-document changes and changes going back still give the text
    rnd = random.Random(seed)
    pieces = ["a", "\U0001f680", "\n", "\r\n", "\r", "\x85"]
    utf16 = lsp.PositionEncodingKind.Utf16
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        changes: list[lsp.TextDocumentContentChangeEvent] = []
        expected, new_end = text, 0  # the offset where the last change's new text ends in `expected`
        for _ in range(rnd.randint(1, 8)):
            editor = lsp_lines(expected)
            if rnd.random() < 0.03:
                changes.append(lsp.TextDocumentContentChangeWholeDocument(text="b\r"))
                expected, new_end = "b\r", 0
                continue
            if rnd.random() < 0.85:  # at or after the last new text's end, at times past a line's end
                start = _position_of(editor, rnd.randint(new_end, len(expected)))
                if rnd.random() < 0.1:
                    line = start.line + rnd.randint(0, 2)
                    content = editor[line].rstrip("\r\n") if line < len(editor) else ""
                    start = lsp.Position(line=line, character=len(content.encode("utf-16-le")) // 2 + 3)
            else:
                start = _some_position(rnd, editor)
            end = _some_position(rnd, editor) if rnd.random() < 0.1 else start  # at times reversed
            if rnd.random() < 0.4:
                end = _position_of(editor, rnd.randint(_offset_in(editor, start), len(expected)))
            partial = lsp.TextDocumentContentChangePartial(
                range=lsp.Range(start=start, end=end),
                text=rnd.choice(["", "x", "\n", "\r", "\U0001f680y\r\n", "\r\nz"]),
            )
            new_end = _offset_in(editor, start) + len(partial.text)
            expected = server.apply_change(expected, partial, utf16)
            changes.append(partial)
        assert server.apply_changes(text, changes, utf16) == expected, (text, changes)


def test_a_did_change_of_twenty_thousand_cursors_reads_the_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 121 F4: each change a copy of a 400 KB text held the event loop 16 s
    lines = [f"V{i}: a" for i in range(20_000)]
    at_ends = [lsp.Position(line=i, character=len(lines[i])) for i in reversed(range(20_000))]
    changes = [lsp.TextDocumentContentChangePartial(range=lsp.Range(start=end, end=end), text="x") for end in at_ends]
    spans: list[str] = []
    line_starts = server._line_starts
    monkeypatch.setattr(server, "_line_starts", lambda text: spans.append(text) or line_starts(text))
    done = server.apply_changes("\n".join(lines), changes, lsp.PositionEncodingKind.Utf16)
    assert done == "\n".join(line + "x" for line in lines)
    assert len(spans) == 1  # one index of the lines, for all of them
    # hunt 128 F5: changes sent top down built an index of the whole text for each, then dropped it
    spans.clear()
    done = server.apply_changes("\n".join(lines), changes[::-1][::100], lsp.PositionEncodingKind.Utf16)
    assert done == "\n".join(line + ("x" if i % 100 == 0 else "") for i, line in enumerate(lines))
    assert spans == []
    # hunt 150 F4: all 20,000 sent top down, as Helix sends them, were applied one at a time, 25.6 s
    copies: list[int] = []
    applied = server._applied
    monkeypatch.setattr(server, "_applied", lambda text, run: copies.append(len(run)) or applied(text, run))
    done = server.apply_changes("\n".join(lines), changes[::-1], lsp.PositionEncodingKind.Utf16)
    assert done == "\n".join(line + "x" for line in lines)
    assert copies == [20_000] and spans == []  # one pass over the text, and no index of its lines


def test_cursors_that_bring_a_cr_and_an_lf_together_are_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 157 F4, 161 F6: top-down cursors that put a "\r" before each "\n" (or a "\n" after
    # each "\r" of a CR-only text) ended the run at every change: 10,000 held the server 51 s
    copies: list[int] = []
    applied = server._applied
    monkeypatch.setattr(server, "_applied", lambda text, run: copies.append(len(run)) or applied(text, run))
    utf16 = lsp.PositionEncodingKind.Utf16
    lines = [f"V{i}: a" for i in range(2_000)]

    def at(line: int, character: int, text: str) -> lsp.TextDocumentContentChangePartial:
        place = lsp.Position(line=line, character=character)
        return lsp.TextDocumentContentChangePartial(range=lsp.Range(start=place, end=place), text=text)

    # "\r" at each line's end of an LF text: each line keeps its number
    done = server.apply_changes("\n".join(lines) + "\n", [at(i, len(lines[i]), "\r") for i in range(2_000)], utf16)
    assert done == "\r\n".join(lines) + "\r\n" and copies == [2_000]
    # "\n" at each line's start of a CR-only text: the "\n" joins the "\r" before it
    copies.clear()
    done = server.apply_changes("\r".join(lines), [at(i, 0, "\nx") for i in range(1, 2_000)], utf16)
    assert done == lines[0] + "".join("\r\nx" + line for line in lines[1:]) and copies == [1_999]
    # and the one-change-at-a-time text, for random mixtures of both
    rnd = random.Random(7)
    for _ in range(300):
        text = "".join(rnd.choice(["a", "\r", "\n", "\r\n"]) for _ in range(rnd.randint(0, 20)))
        expected, changes, line = text, [], 0
        for _ in range(rnd.randint(1, 6)):
            editor = lsp_lines(expected)
            line = rnd.randint(line, len(editor))
            content = editor[line].rstrip("\r\n") if line < len(editor) else ""
            change = at(line, rnd.choice([0, len(content)]), rnd.choice(["", "\r", "\n", "x\r", "\nx", "\r\n"]))
            expected = server.apply_change(expected, change, utf16)
            changes.append(change)
        assert server.apply_changes(text, changes, utf16) == expected, (text, changes)


def test_cursors_on_one_long_line_read_the_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 137 F1: each of 5,000 cursors on one 100 KB line read the line to its end, 20 s; on a
    # line of astral characters each found the line's wide characters again. Hunt 161 F5: each
    # still read the line up to itself (40,000 cursors bottom up, 11 s): now the line is read once
    line = "image: " + "\U0001f680" * 10_000
    columns = list(range(7 + 2 * 10_000, 7, -14))  # in UTF-16 units, bottom up as VS Code sends cursors
    changes = [
        lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=0, character=c), end=lsp.Position(line=0, character=c)), text="x"
        )
        for c in columns
    ]
    wide_characters = server._wide_characters
    wide_characters.cache_clear()
    found: list[int] = []
    monkeypatch.setattr(server, "_wide_characters", lambda *args: found.append(len(args[0])) or wide_characters(*args))
    done = server.apply_changes(line + "\nnext: 1\n", changes, lsp.PositionEncodingKind.Utf16)
    at = {7 + (c - 7) // 2 for c in columns}  # in code points
    assert done == "".join(ch + ("x" if i + 1 in at else "") for i, ch in enumerate(line)) + "\nnext: 1\n"
    # the first two changes alone (their starts and ends: no run yet), then the line once for all
    assert len(found) == 5 and found[-1] == len(line)
    # an ASCII line: each cursor's place is its column, the line's end found once
    ascii_line = "a" * 200_000
    ends: list[int] = []
    line_end = server._LINE_END
    monkeypatch.setattr(
        server, "_LINE_END", type("E", (), {"search": lambda self, t, p: ends.append(p) or line_end.search(t, p)})()
    )
    changes = [
        lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=lsp.Position(line=0, character=c), end=lsp.Position(line=0, character=c)), text="x"
        )
        for c in range(200_000, 0, -10)
    ]
    done = server.apply_changes(ascii_line, changes, lsp.PositionEncodingKind.Utf16)
    assert done == "".join(ch + ("x" if (i + 1) % 10 == 0 else "") for i, ch in enumerate(ascii_line))
    assert ends == [0]


class _Writer:
    """A transport that keeps what the server writes."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)


def _server_writing() -> tuple[server.NexlayerLanguageServer, Any]:
    """A server whose protocol writes to a _Writer."""
    ls = server.NexlayerLanguageServer()
    ls.protocol.set_writer(_Writer())  # type: ignore[arg-type]  # what it writes is all it is asked
    return ls, ls.protocol


def test_an_answer_of_many_edits_is_serialised_off_the_loop_and_written_whole() -> None:
    # hunt 121 F3: Fix all's 111,222 edits (12.6 MB) were serialised on the loop, and every other
    # document's answers waited 1.5-2.5 s
    import threading

    _, protocol = _server_writing()
    threads: list[str] = []
    serialize = protocol._serialize_message

    def noted(obj: Any) -> Any:
        threads.append(threading.current_thread().name)
        return serialize(obj)

    protocol._serialize_message = noted  # type: ignore[method-assign]

    def answer(count: int) -> Any:
        place = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=1))
        edit = lsp.WorkspaceEdit(changes={"file:///x": [lsp.TextEdit(range=place, new_text='"y"')] * count})
        return lsp.CodeAction(title="Fix all", kind=lsp.CodeActionKind.SourceFixAll, edit=edit)

    async def send() -> None:
        protocol._send_response(6, result=answer(10))
        assert len(protocol.writer.written) == 1 and set(threads) == {"MainThread"}  # a small one as pygls sends it
        threads.clear()
        protocol._send_response(7, result=answer(server.MANY_EDITS))
        assert len(protocol.writer.written) == 1  # not yet: on a thread
        for _ in range(500):
            await asyncio.sleep(0.01)
            if len(protocol.writer.written) == 2:
                break

    asyncio.run(send())
    assert threads and "MainThread" not in threads
    header, body = protocol.writer.written[1].split(b"\r\n\r\n", 1)
    assert header.startswith(b"Content-Length: %d\r\n" % len(body))
    assert len(json.loads(body)["result"]["edit"]["changes"]["file:///x"]) == server.MANY_EDITS


def test_published_diagnostics_are_pygls_json_and_each_is_serialised_once() -> None:
    # an edit leaves most diagnostics the same objects (to_lsp_diagnostics): their JSON is kept
    # per document, and the message is what pygls' own _send_data writes
    from pygls.protocol import JsonRPCProtocol

    ls, protocol = _server_writing()
    serialised: list[Any] = []
    serialize = protocol._serialize_message

    def noted(obj: Any) -> Any:
        serialised.append(obj)
        return serialize(obj)

    protocol._serialize_message = noted  # type: ignore[method-assign]

    def made(line: int, message: str) -> lsp.Diagnostic:
        place = lsp.Range(start=lsp.Position(line=line, character=2), end=lsp.Position(line=line, character=9))
        link = lsp.CodeDescription(href="https://example.com/NX215")
        warning = lsp.DiagnosticSeverity.Warning
        return lsp.Diagnostic(
            range=place, message=message, severity=warning, code="NX215", code_description=link, source="s"
        )

    first = [made(i, f'image {i} \u00e9 "quoted"\nhelp: pin it') for i in range(5)]
    # a name a file may have, holding what the field looks like in JSON: only the field is filled
    uri = 'file:///x/"diagnostics": [].yaml'
    changed = [first[0], made(9, "new"), *first[2:]]
    for diagnostics in (first, changed, [], changed):
        params = lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=3)
        serialised.clear()
        ls.text_document_publish_diagnostics(params)
        header, body = protocol.writer.written[-1].split(b"\r\n\r\n", 1)
        assert header.startswith(b"Content-Length: %d\r\n" % len(body))
        own = json.dumps(lsp.PublishDiagnosticsNotification(params=params), default=serialize)
        assert body.decode() == own
        assert json.loads(body)["params"]["uri"] == uri
        objects = [obj for obj in serialised if isinstance(obj, lsp.Diagnostic)]
        if diagnostics is changed and len(protocol.writer.written) == 2:
            assert objects == [changed[1]]  # the others were the same objects as before
        elif diagnostics is changed:
            assert len(objects) == 5  # an empty publish forgot them
    assert JsonRPCProtocol._send_data is not server._Protocol._send_data


def _diag(code: str, line: int, col: int, end_col: int, hint: str | None = None) -> Diagnostic:
    return Diagnostic("nexlayer.yaml", line, col, line, end_col, code, "name", "warning", "message", hint)


def _titles(d: Diagnostic, lines: list[str]) -> list[tuple[str, bool]]:
    return [(fix.title, preferred) for fix, preferred in server.quick_fixes(d, lines, "\n")]


def test_quick_fixes_are_the_findings_own_then_disable_for_the_line_and_the_file() -> None:
    rename = Fix('Rename to "servicePorts"', (Edit(Span(1, 7, 1, 18), "servicePorts"),))
    lines = ["      servicePort: [80]"]
    assert _titles(_diag("NX102", 1, 7, 18)._replace(fix=rename), lines) == [
        ('Rename to "servicePorts"', True),
        ("Disable NX102 for this line", False),
        ("Disable NX102 for this file", False),
    ]
    assert _titles(_diag("NX102", 1, 7, 18)._replace(fix=rename._replace(applicability="unsafe")), lines)[0] == (
        'Rename to "servicePorts"',
        False,
    )  # offered, but not the one an editor applies by itself
    assert _titles(_diag("NX102", 1, 7, 10), ["      foo: 1"]) == [
        ("Disable NX102 for this line", False),
        ("Disable NX102 for this file", False),
    ]
    assert _titles(_diag("NX001", 1, 7, 10), ["      foo: ["]) == []  # a syntax error cannot be suppressed


def test_a_document_too_large_to_prove_fixes_gets_no_directive_for_one_line() -> None:
    # hunt 27 F5: inside a block scalar (`URL: >-` then `http://bakend.pod`), a comment appended to
    # the line is part of the value and suppresses nothing; only a re-lint could tell
    rename = Fix('Refer to pod "backend"', (Edit(Span(1, 8, 1, 14), "backend"),), "unsafe")
    d, lines = _diag("NX208", 1, 8, 14)._replace(fix=rename), ["  http://bakend.pod"]
    assert [fix.title for fix, _ in server.quick_fixes(d, lines, "\n", proven=False)] == [
        'Refer to pod "backend"',
        "Disable NX208 for this file",
    ]
    assert len(server.quick_fixes(d, lines, "\n")) == 3  # proven: the line's directive too


@pytest.mark.parametrize(
    ("header", "expected_header"),
    [
        ("      command: |", "      # nexlayer-lint: disable=NX213\n      command: |"),
        (
            "      command: |  # nexlayer-lint: disable=NX215",
            "      command: |  # nexlayer-lint: disable=NX215,NX213",
        ),
    ],
)
def test_disable_for_a_line_inside_a_block_scalar_goes_to_its_first_line(header: str, expected_header: str) -> None:
    # a comment appended to a line inside the value is part of the value: the directive goes on
    # the value's first line, or alone above it, which covers all its lines (it was not offered)
    text = CLEAN + header + "\n        mysqld\n        mysql -uroot -pHunter2Secret99\n"
    document, _ = load(text, "nexlayer.yaml")
    assert document is not None and document.multiline_scalars
    (d,) = [d for d in lint_diags(text) if d.code == "NX213"]
    lines = server.split_lines(text)
    fixes = [fix for fix, _ in server.quick_fixes(d, lines, "\n", multiline=document.multiline_scalars)]
    assert [fix.title for fix in fixes] == ["Disable NX213 for this line", "Disable NX213 for this file"]
    fixed = apply_fixes(text, [fixes[0]]).text
    assert fixed == text.replace(header, expected_header)
    assert "NX213" not in [d.code for d in lint_diags(fixed)]


def test_the_quote_quick_fix_is_the_checks_own() -> None:
    # NX005's check builds its fix (issue 18); the server offers it first, as the preferred one
    text = CLEAN + "      vars:\n        DEBUG: yes\n"
    (d,) = [d for d in lint_diags(text) if d.code == "NX005"]
    (fix, preferred), *_ = server.quick_fixes(d, server.split_lines(text), "\n")
    assert fix is d.fix and preferred
    assert apply_fixes(text, [fix]).text == CLEAN + '      vars:\n        DEBUG: "yes"\n'


def test_disable_adds_to_an_existing_directive() -> None:
    line = "      image: nginx  # nexlayer-lint: disable=NX213"
    (line_fix, _), _ = server.quick_fixes(_diag("NX215", 1, 14, 19), [line], "\n")
    assert apply_fixes(line + "\n", [line_fix]).text == line + ",NX215\n"


def test_disable_for_the_file_goes_on_line_1_or_joins_the_directive_there() -> None:
    text = "\ufeffapplication:\r\n  name: x\r\n"
    lines = server.split_lines(text)
    (_, file_fix) = [fix for fix, _ in server.quick_fixes(_diag("NX215", 2, 9, 10), lines, "\r\n")]
    assert file_fix.title == "Disable NX215 for this file"
    once = apply_fixes(text, [file_fix]).text
    assert once == "\ufeff# nexlayer-lint: disable-file=NX215\r\napplication:\r\n  name: x\r\n"
    (_, again) = [fix for fix, _ in server.quick_fixes(_diag("NX213", 3, 9, 10), server.split_lines(once), "\r\n")]
    assert apply_fixes(once, [again]).text.startswith("\ufeff# nexlayer-lint: disable-file=NX215,NX213\r\n")


def test_a_fix_that_does_not_remove_its_finding_or_makes_things_worse_is_not_offered() -> None:
    fix = Fix("Disable NX215 for this line", (Edit(Span(1, 1, 1, 1), "x"),))
    before = [_diag("NX215", 1, 1, 2)]
    assert not server.verified(fix, "NX215", "a\n", before, lambda text: before)
    assert server.verified(fix, "NX215", "a\n", before, lambda text: [])
    assert not server.verified(fix, "NX215", "a\n", before, lambda text: [_diag("NX001", 1, 1, 2)])


def test_fix_all_sends_only_the_changed_lines_when_their_number_stays() -> None:
    old, new = "a\nb\nc\nd\ne", "A\nb\nC\nD\nE"
    edits = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    assert [(e.range.start.line, e.range.end.line, e.range.end.character, e.new_text) for e in edits] == [
        (0, 0, 1, "A"),  # what the lines keep, their break here, is not sent again
        (2, 2, 1, "C"),  # one run of lines, each word changed an edit of its own
        (3, 3, 1, "D"),
        (4, 4, 1, "E"),  # the last line has no break: the edit ends at its end
    ]
    assert apply_text_edits(old, edits) == new
    # a fix that adds lines (NX202's PGDATA): the lines aligned, one edit inserting the new one
    (edit,) = server.changed_lines_edits("a\nb\n", "a\nx\nb\n", lsp.PositionEncodingKind.Utf16)
    assert apply_text_edits("a\nb\n", [edit]) == "a\nx\nb\n"


@pytest.mark.parametrize(
    ("old", "new", "edit"),
    [
        ("a\nb\nc\n", "a\nB\nc\n", ((1, 0), (1, 1), "B")),
        ("a\r\nb", "a\r\nb!", ((1, 1), (1, 1), "!")),
        ("a\n", "a\nb", ((1, 0), (1, 0), "b")),
        ("x: \U0001f680 1\n", "x: \U0001f680 2\n", ((0, 6), (0, 7), "2")),  # the emoji is two UTF-16 units
        ("a\r\nb\r\n", "a\nb\r\n", ((0, 1), (1, 0), "\n")),  # never between a CR and its LF
        ("DB_PASSWORD: hunter2, X: yes\n", "DB_PASSWORD: hunter2, X: no\n", ((0, 25), (0, 28), "no")),
    ],
)
def test_fix_all_is_one_edit_of_the_changed_lines(old: str, new: str, edit: tuple[Any, ...]) -> None:
    (result,) = server.changed_lines_edits(old, new, lsp.PositionEncodingKind.Utf16)
    (start, end, text) = edit
    assert (result.range.start.line, result.range.start.character) == start
    assert (result.range.end.line, result.range.end.character) == end
    assert result.new_text == text
    assert apply_text_edits(old, [result]) == new


def test_schema_description_follows_refs_and_combinators() -> None:
    from nexlayer_lint.schema import load_bundled

    schema = load_bundled()
    assert server.schema_description(schema, ("application",)).startswith("REQUIRED: the application to deploy")
    assert (
        server.schema_description(schema, ("application", "pods", 0, "vars", "ANY"))
        == "The variable's value, as a string (quote numbers and booleans)."
    )
    assert server.schema_description(schema, ("application", "nope")) is None


def test_readme_editor_snippets_parse_and_name_the_server_command() -> None:
    import json
    import re

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Editors\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL)
    parsed = {"json": 0, "toml": 0}
    for language, body in blocks:
        if language == "json":
            json.loads(body)
        elif language == "toml":
            tomllib.loads(body)
        parsed[language] = parsed.get(language, 0) + 1
    assert parsed["json"] >= 2 and parsed["toml"] >= 1
    assert '"glspc.server.commandArguments": ["server"]' in section
    assert 'cmd = { "nexlayer-lint", "server" }' in section
    assert INSTALL_LSP in section and "pip install '.[lsp]'" in section  # as the server's message says
    # not on PyPI: every install by name says where from
    assert all("@ git+" in line for line in re.findall(r"pip install ['\"]?nexlayer-lint.*", section))


def test_ctrl_c_ends_the_server_with_130() -> None:
    # hunt 67 F3: pygls swallowed the interrupt, and the server exited 1, "never shut down"
    import signal

    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['nexlayer-lint', 'server']; from nexlayer_lint.__main__ import main; main()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
    process.stdin.flush()
    assert process.stdout.readline().startswith(b"Content-Length: ")  # its loop is running
    process.send_signal(signal.SIGINT)
    # idle, its input still open (hunt 70 F2: it waited for the next message to end)
    assert process.wait(timeout=HANG_GUARD) == 130
    _, err = process.communicate(timeout=HANG_GUARD)
    assert err == b"nexlayer-lint: interrupted\n"


@e2e
async def test_a_document_through_a_symlinked_folder_gets_its_config_s_globs(client: Client, docs: Path) -> None:
    # hunt 79 F3: the config was found by the folder's real path, its globs matched against the
    # document's path as spelt through the link: per-file-ignores and force-exclude held nothing
    real = docs / "real-proj"
    (real / "sub").mkdir(parents=True)
    (real / ".nexlayer-lint.toml").write_text('[per-file-ignores]\n"sub/*.yaml" = ["NX201"]\n', encoding="utf-8")
    link = docs / "proj-link"
    link.symlink_to(real, target_is_directory=True)
    assert codes(await open_doc(client, (real / "sub" / "nexlayer.yaml").as_uri(), NO_PATH)) == []
    assert codes(await open_doc(client, (link / "sub" / "nexlayer.yaml").as_uri(), NO_PATH)) == []
    assert codes(await open_doc(client, (link / "nexlayer.yaml").as_uri(), NO_PATH)) == ["NX201"]
