"""Property-based tests (hypothesis): any text, random nexlayer-like documents, mutated real files.

Linting must never raise, must report positions inside the file, must be deterministic, and must
not print a secret. Each property is bounded (max_examples, no deadline) to keep the suite quick.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from nexlayer_lint.model import FileResult, RunInfo, SchemaInfo
from nexlayer_lint.reporters import ReportOptions, render
from tests.conftest import SHARED

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RUN = RunInfo(tool_version="test", schema=SchemaInfo("bundled", "bundled", "test"))


@lru_cache(maxsize=1)
def linter() -> Linter:
    return Linter(Settings())


def text_of(source: str | bytes) -> str:
    if isinstance(source, str):
        return source
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if source.startswith(bom):
            return source.decode(codec, errors="replace")
    return source.decode("utf-8", errors="replace")


def check_result(source: str | bytes) -> FileResult:
    """Lint twice; assert no internal error, positions inside the file, and the same answer both times."""
    first = linter().lint(source, "nexlayer.yaml")
    assert first.error is None, first.error
    lines = len(text_of(source).splitlines())
    for d in first.diagnostics:
        assert 1 <= d.line <= lines + 1, (d, lines)
        assert d.col >= 1 and d.end_col >= 1, d
        assert (d.end_line, d.end_col) >= (d.line, d.col), d
        assert d.message and d.message == d.message.strip(), d
    second = linter().lint(source, "nexlayer.yaml")
    assert second == first
    return first


# -- arbitrary input --------------------------------------------------------------------------

YAMLISH = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@,?\t\n\r ab01.~\\") + ["\ufeff", "\x85", "é"]), max_size=80
)


# The words the secret readers look for, and what sits around them: text made of these reaches
# their rarer paths, as any text rarely does (a reader crashed on `variable` and `default` with no
# Terraform variable: hunt 246 F1).
READER_WORDS = [
    *("variable", "default", '"db_password"', "{", "}", "=", " = ", "echo", "printf", "tee", "<<<", ">", "|"),
    *('"password: "', "'api_key: '", '"token: ', "\\", "\\n", "$", "$X", "${X}", "$(cat f)", "`", "'", '"'),
    *(";", "#", " #", " // ", " ", "\n", "\t", "(", ")", "[", "]", "*", "?", ",", ":", "&&", "||", " or ", " else "),
    *("os.environ.get(", "os.getenv(", "process.env.X", "ENV[", "define(", "env(", "=>", ":password", "requirepass"),
    *("curl", "-H", "-u", "Authorization: Bearer", "Basic", "PASSWORD=", "DB_PASSWORD", "API_KEY", "-F", "--password"),
    *("mysql", "-p", "redis-cli", "-a", "ssh-rsa AAAA", "eyJ", "machine", "login", "x", "Zq9Kf83", "http://u:p@h"),
]


@BOUNDED
@given(st.lists(st.sampled_from(READER_WORDS), min_size=20, max_size=60).map("".join))
def test_the_secret_readers_never_raise_on_their_own_words(text: str) -> None:
    from nexlayer_lint.secrets import comment_secrets, parts_in

    for parts in (parts_in(text), parts_in(text, assignment=True, entries=True)):
        spans = [(part.start, part.end) for part in parts]
        assert all(0 <= start < end <= len(text) for start, end in spans), (text, spans)
    comment_secrets(text)
    check_result(f"application:\n  name: x\n  pods:\n    - name: a\n      command: {json.dumps(text)}\n")


@BOUNDED
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    check_result(text)


@BOUNDED
@given(YAMLISH)
def test_text_made_of_yaml_punctuation(text: str) -> None:
    check_result(text)


@BOUNDED
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    check_result(data)


# -- structured random documents --------------------------------------------------------------

KEYS = [
    "application",
    "name",
    "pods",
    "image",
    "path",
    "servicePorts",
    "vars",
    "secrets",
    "data",
    "mountPath",
    "fileName",
    "volumes",
    "size",
    "registryLogin",
    "registry",
    "username",
    "personalAccessToken",
    "url",
    "entrypoint",
    "command",
    "DB_PASSWORD",
    "API_KEY",
    "NEXT_PUBLIC_URL",
    "key",
    "value",
    "<<",
    "x",
    "80",
]
PLAIN_VALUES = st.one_of(
    st.sampled_from(
        [
            "web",
            "db",
            "/",
            "/api",
            "nginx:1.27",
            "postgres:16",
            "<% REGISTRY %>/app:1",
            "http://web.pod:80",
            "${DB_PASSWORD}",
            "yes",
            "off",
            "0777",
            "1:30",
            "null",
            "~",
            "true",
            "1e3",
            ".nan",
            "-0",
            "0x1F",
            "",
            "1Gi",
            "/var/lib/postgresql/data",
        ]
    ),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.text(alphabet=string.ascii_lowercase + " -./", min_size=1, max_size=12),
)
# Secrets come from an alphabet the other values never use, so "not in the output" is exact.
CANARY = st.text(alphabet="QZXJK", min_size=10, max_size=16).map(lambda s: "Sq" + s)

Tree = Any  # ("map", [(key, tree)]) | ("seq", [tree]) | ("scalar", text, style) | ("secret", text)


def trees() -> st.SearchStrategy[Tree]:
    scalar = st.tuples(st.just("scalar"), PLAIN_VALUES, st.sampled_from(["", "", "'", '"']))
    return st.recursive(
        scalar,
        lambda children: st.one_of(
            st.tuples(st.just("map"), st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=5)),
            st.tuples(st.just("seq"), st.lists(children, max_size=4)),
        ),
        max_leaves=30,
    )


class Emitter:
    """Block-style YAML with random flow collections, anchors and aliases (only to earlier anchors)."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.anchors: list[str] = []
        self.named = 0
        self.secrets: list[str] = []

    def node(self, tree: Tree, key: str | None) -> tuple[str, list[str]]:
        """(text after `key:` or `- `, the block lines under it)."""
        if self.anchors and self.draw(st.integers(0, 9)) == 0:
            return "*" + self.draw(st.sampled_from(self.anchors)), []
        anchor = ""
        if self.draw(st.integers(0, 7)) == 0:
            self.named += 1
            anchor = f"&a{self.named - 1} "  # usable by aliases once the node is complete
        if tree[0] == "secret":
            secret = self.draw(CANARY)
            self.secrets.append(secret)
            tree = ("scalar", secret, self.draw(st.sampled_from(["", "'", '"'])))
        kind = tree[0]
        if kind == "scalar":
            out = anchor + self.scalar(tree[1], tree[2])
            lines: list[str] = []
        elif kind == "seq" and tree[1] and self.draw(st.integers(0, 4)) != 0:
            lines = []
            for child in tree[1]:
                head, body = self.node(child, None)
                lines.append(f"- {head}")
                lines.extend("  " + line for line in body)
            out = anchor.rstrip()
        elif kind == "map" and tree[1] and self.draw(st.integers(0, 4)) != 0:
            lines = []
            for child_key, child in tree[1]:
                head, body = self.node(child, child_key)
                lines.append(f"{child_key}: {head}".rstrip())
                lines.extend("  " + line for line in body)
            out = anchor.rstrip()
        else:
            out = anchor + self.flow(tree)
            lines = []
        if anchor:
            self.anchors.append(anchor[1:].strip())
        return out, lines

    def flow(self, tree: Tree) -> str:
        if tree[0] == "secret":
            self.secrets.append(self.draw(CANARY))
            return self.secrets[-1]
        if tree[0] == "scalar":
            plain_enough = tree[2] or tree[1] == "" or tree[1].strip() == tree[1]
            return self.scalar(tree[1], tree[2]) if plain_enough else repr(tree[1])
        if tree[0] == "seq":
            return "[" + ", ".join(self.flow(child) for child in tree[1]) + "]"
        return "{" + ", ".join(f"{key}: {self.flow(child)}" for key, child in tree[1]) + "}"

    @staticmethod
    def scalar(value: str, style: str) -> str:
        if style == "'":
            return "'" + value.replace("'", "''") + "'"
        if style == '"':
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return value


SECRET = ("secret",)  # a canary, placed only where the format keeps secrets


def extra_keys() -> st.SearchStrategy[list[tuple[str, Tree]]]:
    return st.lists(st.tuples(st.sampled_from(KEYS), trees()), max_size=3)


@st.composite
def skeleton(draw: Any) -> Tree:
    """application -> registryLogin.personalAccessToken, pods[].vars.*_PASSWORD, pods[].secrets[].data,
    each part present or not, with random keys and values mixed in at every level."""

    def with_extras(pairs: list[tuple[str, Tree]]) -> Tree:
        mixed = pairs + draw(extra_keys())
        unique = {key: tree for key, tree in mixed if key not in dict(pairs) or (key, tree) in pairs}
        return ("map", list(unique.items()))

    pods = []
    for _ in range(draw(st.integers(0, 2))):
        pairs: list[tuple[str, Tree]] = [("name", ("scalar", draw(st.sampled_from(["web", "db", "api"])), ""))]
        if draw(st.booleans()):
            pairs.append(("vars", with_extras([("DB_PASSWORD", SECRET)])))
        if draw(st.booleans()):
            pairs.append(("secrets", ("seq", [with_extras([("data", SECRET)])])))
        pods.append(with_extras(pairs))
    app: list[tuple[str, Tree]] = [("pods", ("seq", pods))]
    if draw(st.booleans()):
        app.append(("registryLogin", with_extras([("personalAccessToken", SECRET)])))
    return ("map", [("application", with_extras(app))])


@st.composite
def documents(draw: Any) -> tuple[str, list[str]]:
    emitter = Emitter(draw)
    if draw(st.booleans()):
        root = draw(skeleton())
    else:
        entries = st.lists(st.tuples(st.sampled_from(KEYS), trees()), min_size=1, max_size=4)
        root = draw(st.tuples(st.just("map"), entries))
    head, lines = emitter.node(root, None)
    text = "\n".join(([head] if head else []) + lines) + "\n"
    return text, emitter.secrets


@BOUNDED
@given(documents())
def test_random_documents(document: tuple[str, list[str]]) -> None:
    text, secrets = document
    result = check_result(text)
    if not secrets:
        return
    outputs = [render(fmt, [result], RUN, ReportOptions(show_source=True)) for fmt in ("text", "json", "sarif")]
    for secret in secrets:
        for output in outputs:
            assert secret not in output, (secret, text)


def test_the_document_strategy_makes_parseable_files_with_anchors() -> None:
    # The property above is only worth something if most documents parse and some use aliases.
    from hypothesis import find

    text, _ = find(documents(), lambda d: "*a0" in d[0] and "&a0" in d[0] and "application:" in d[0])
    result = linter().lint(text, "nexlayer.yaml")
    assert all(d.code != "NX001" for d in result.diagnostics), (text, result.diagnostics)


# -- mutated corpus files ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def corpus() -> tuple[str, ...]:
    folder = SHARED / "corpus" / "real"
    if not folder.is_dir():
        return ()
    return tuple(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.iterdir())
        if p.suffix in (".yaml", ".yml")
    )


MUTATION_CHARS = list(":-[]{}&*!|>'\"#%@,?\t\n ") + ["\x00", "\ufeff", "é", "<<: *x\n"]


@BOUNDED
@given(st.data())
def test_mutating_a_corpus_file_one_character_at_a_time(data: st.DataObject) -> None:
    files = corpus()
    if not files:
        pytest.skip(f"{SHARED / 'corpus' / 'real'} is absent (it sits beside the checkout)")
    text = data.draw(st.sampled_from(files), label="file")
    at = data.draw(st.integers(0, max(len(text) - 1, 0)), label="position")
    operation = data.draw(st.sampled_from(["delete", "insert", "replace"]), label="operation")
    char = data.draw(st.sampled_from(MUTATION_CHARS), label="char")
    if operation == "delete":
        mutated = text[:at] + text[at + 1 :]
    elif operation == "insert":
        mutated = text[:at] + char + text[at:]
    else:
        mutated = text[:at] + char + text[at + 1 :]
    check_result(mutated)


def test_corpus_files_lint_cleanly_before_mutation() -> None:
    files = corpus()
    if not files:
        pytest.skip(f"{SHARED / 'corpus' / 'real'} is absent (it sits beside the checkout)")
    for text in files:
        check_result(text)
