"""scalar_edit.edited gives exactly the Document the loader gives, or None: over random edits of
tricky samples and of the real corpus, chained as an editor's keystrokes are."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import fields

import pytest

from nexlayer_lint.loader import load
from nexlayer_lint.model import Document
from nexlayer_lint.scalar_edit import edited
from nexlayer_lint.secrets import Secret, Secrets, _secrets_of, document_secrets, find_secrets
from tests.conftest import ROOT, shared_dir

SAMPLES = {
    "three pods": (ROOT / "examples" / "good" / "nexlayer.yaml").read_text(encoding="utf-8"),
    "broken": (ROOT / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8"),
    "values of every style": (
        "application:  # the app\n"
        "  name: shop\n"
        "  pods:\n"
        "    - name: web   # trailing comment\n"
        "      image: 'nginx:1.27'\n"
        '      path: "/api"  # quoted\n'
        "      servicePorts: [80, 443]\n"
        "      vars:\n"
        "        EMPTY:\n"
        '        QUOTED: ""\n'
        '        ESCAPED: "a\\tb"\n'
        "        SINGLE: 'it''s'\n"
        "        URL: http://db.pod:5432/x?a=1&b=2\n"
        "        TEMPLATE: ${DB_PASSWORD}\n"
        "        NUMBER: 010\n"
        "        FLOAT: 1.5e3\n"
        "        BOOL: true\n"
        "        NULL: ~\n"
        "        EMOJI: \U0001f680 launch\n"
        "        TAGGED: !!str 123\n"
        "        FLOW: {a: b, c: 'd'}\n"
        "        MULTI: first\n"
        "          second\n"
        "        BLOCK: |\n"
        "          text # not a comment\n"
        "      volumes:\n"
        "        - name: data\n"
        "          size: 1Gi\n"
        "          mountPath: /data\n"
        "    - {name: api, image: 'api:2', servicePorts: [8080]}\n"
        "    - name: multi-line-flow\n"
        "      vars: {\n"
        "        A: x,\n"
        '        B: "y"\n'
        "      }\n"
        "      list: [\n"
        "        one\n"
        "      ]\n"
    ),
    "secrets of every kind": (
        "application:\n"
        "  name: shop\n"
        "  registryLogin:\n"
        "    registry: ghcr.io\n"
        "    username: me\n"
        "    personalAccessToken: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
        "  pods:\n"
        "    - name: web\n"
        "      image: nginx:1\n"
        "      path: /\n"
        "      vars:\n"
        "        - key: DB_PASSWORD\n"
        "          value: hunter2\n"
        "        - key: PLAIN\n"
        "          value: x\n"
        "        - name: API_KEY\n"
        "          value: abc\n"
        "      secrets:\n"
        "        - name: cfg\n"
        "          data: s3cr3t\n"
        "          mountPath: /etc/x\n"
        "          fileName: a.json\n"
        "    - name: db\n"
        "      vars:\n"
        "        URL: postgres://u:pw@db:5432/x?token=abc&b=2\n"
        "        TOKEN: ${X:-default}\n"
        "        PASSWORD: ok\n"
        "        SECRET_LIST: [a, b]\n"
        "        EMPTY:\n"
        "      env:\n"
        "        - DB_PASSWORD=x\n"
        "        - OTHER=y\n"
    ),
    "anchors and merges": "base: &b {image: x, path: /}\napplication:\n  pods:\n    - <<: *b\n      name: web\n",
    "an anchored value and its alias": "application:\n  name: &n shop\n  pods:\n    - name: *n\n",
    "crlf": "application:\r\n  name: shop\r\n  pods:\r\n    - name: web\r\n      path: /\r\n",
    "multi-line values": (
        "application:\n  name: app\n  pods:\n    - name: db\n      path: /\n      image: mysql:8.0\n"
        "      servicePorts: [3306]\n      command: |  # nexlayer-lint: disable=NX213\n"
        "        mysqld --init-file=/x\n        mysql -uroot -pHunter2Secret99 -e 'select 1'\n"
        '      vars:\n        NOTE: "two\n          lines"  # nexlayer-lint: disable=NX005\n        MODE: fast\n'
    ),
    "no final newline": "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1",
    "a sequence of scalars": "application:\n  pods:\n    - name: web\n      ports:\n        - 80\n        - 443\n",
}
# Pieces of text that make a value (or its sibling `value`) secret: a secret name, a URL's
# password, a query token, a token's shape, a reference and its default.
SECRET_SHAPES = (
    "_PASSWORD",
    "_TOKEN",
    "KEY",
    "x://u:pw@h",
    ":pw@",
    "?token=abc",
    "ghp_" + "a1" * 18,
    "${X:-d}",
    "${Y}",
)
# Characters a keystroke might add: plain text, and every one that means something to YAML.
ALPHABET = "abcXYZ019._-/:$~+(){}[],#&*!|>%@`'\"\\ \t\n\u00e9\U0001f680"


def comparable(document: Document | None) -> tuple[object, ...] | None:
    """Every field of the Document, so a field edited() leaves out cannot pass unseen (hunt 79
    F1: the lines of multi-line scalars, which suppressions read, were dropped). repr for the
    data: `.nan` is not equal to itself, and repr tells 1, 1.0 and True apart."""
    if document is None:
        return None
    return tuple(
        repr(document.data) if field.name == "data" else getattr(document, field.name) for field in fields(Document)
    )


def random_edit(rng: random.Random, text: str, document: Document) -> str:
    """A keystroke's worth of change: mostly inside a scalar value, sometimes anywhere."""
    lines = text.split("\n")
    scalars = [located.value for located in document.positions.values() if located.style is not None]
    if scalars and rng.random() < 0.8:
        span = rng.choice(scalars)
        line = span.line
        col = rng.randint(span.col, span.end_col if span.end_line == span.line else span.col)
        offset = sum(len(text_line) + 1 for text_line in lines[: line - 1]) + col - 1
    else:
        offset = rng.randint(0, len(text))
    offset = min(offset, len(text))
    removed = rng.choice([0, 0, 1, 1, 2, 4])
    if rng.random() < 0.1:  # what makes a value secret, or a secret something else
        added = rng.choice(SECRET_SHAPES)
    else:
        added = "".join(
            rng.choice(ALPHABET[:14] if rng.random() < 0.7 else ALPHABET) for _ in range(rng.choice([0, 1, 1, 3]))
        )
    return text[:offset] + added + text[offset + removed :]


def full_secrets(document: Document) -> Secrets:
    """document_secrets' answer, worked out from the start, without its cache."""
    keys: list[Secret] = []
    return _secrets_of(document, find_secrets(document.data, keys), tuple(keys), aliases=True)


def edits(rng: random.Random, text: str, steps: int) -> Iterator[tuple[str, bool]]:
    """Chained edits: each starts from the last text and the Document edited() made of it (or
    the loader's, when it gave none); yields each new text and whether edited() took it. The
    secrets edited() carries over from the last Document are those of the loader's."""
    document, problems = load(text, "nexlayer.yaml")
    for _ in range(steps):
        if document is None or problems:
            return
        document_secrets(document)  # as a lint leaves it: edited() carries them over
        new_text = random_edit(rng, text, document)
        fast = edited(document, new_text)
        expected, problems = load(new_text, "nexlayer.yaml")
        if fast is not None:
            assert problems == [], new_text
            assert comparable(fast) == comparable(expected), (text, new_text)
            assert document_secrets(fast) == full_secrets(expected), (text, new_text)
        yield new_text, fast is not None
        text, document = new_text, fast if fast is not None else expected


@pytest.mark.parametrize("name", SAMPLES)
def test_random_edits_of_samples_match_the_loader(name: str) -> None:
    rng = random.Random(name)
    taken = [fast for _ in range(60) for _, fast in edits(rng, SAMPLES[name], 15)]
    if name in (
        "three pods",
        "broken",
        "values of every style",
        "secrets of every kind",
        "crlf",
        "no final newline",
        "multi-line values",
    ):
        assert sum(taken) >= len(taken) // 5, "the fast path was hardly exercised"
    if name in ("anchors and merges", "an anchored value and its alias"):
        assert not any(taken)


def test_random_edits_of_the_corpus_match_the_loader() -> None:
    files = sorted(shared_dir("corpus", "real").glob("*.yaml"))
    rng = random.Random(17)
    texts = [path.read_text(encoding="utf-8") for path in files]
    taken = [fast for text in texts for _ in range(4) for _, fast in edits(rng, text, 15)]
    assert len(taken) > 4000
    assert sum(taken) >= len(taken) // 5


def test_an_edit_inside_a_value_moves_what_follows_on_its_line() -> None:
    text = SAMPLES["values of every style"]
    document = load(text, "nexlayer.yaml")[0]
    assert document is not None
    new_text = text.replace('path: "/api"  # quoted', 'path: "/api/v2"  # quoted')
    fast = edited(document, new_text)
    assert fast is not None and fast.data["application"]["pods"][0]["path"] == "/api/v2"
    assert fast.positions[("application", "pods", 0, "path")].value.end_col == 22
    assert [c.col for c in fast.comments if c.line == 6] == [24]
    assert comparable(fast) == comparable(load(new_text, "nexlayer.yaml")[0])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("servicePorts: [80, 443]", "servicePorts: [80, 4,43]"),  # a comma in a flow list
        ("image: 'nginx:1.27'", "image: 'nginx:1.2''7'"),  # the quote itself
        ("NUMBER: 010", "NUMBER: 010:"),  # a colon last: a key
        ("NUMBER: 010", "NUMBER: 0 10"),  # a blank inside a plain scalar
        ("NUMBER: 010", "NUMBER: 010 #x"),  # now a comment
        ("EMPTY:", "EMPTY:x"),  # an empty value
        ("TAGGED: !!str 123", "TAGGED: !!str 124"),  # a tag decides what it means
        ("name: shop", "name: sh\nop"),  # a line break
        ("A: x,", "A: xy,"),  # a plain scalar inside a flow mapping
    ],
)
def test_what_only_a_parse_can_tell_is_left_to_the_parse(old: str, new: str) -> None:
    text = SAMPLES["values of every style"]
    document = load(text, "nexlayer.yaml")[0]
    assert document is not None and old in text
    assert edited(document, text.replace(old, new, 1)) is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # found by fuzzing: YAML counts U+2028, U+2029 and NEL as line breaks, so a line counted by
        # "\n" is another line than the parser's, and the edit would land on the value above
        ("a: 'xxxx' # c\u2028b: 'zzzz'\nc: 'yyyy'\n", "a: 'xxxx' # c\u2028b: 'zzzz'\nc: 'yyQy'\n"),
        ("a: 'xxxx' # c\u2029b: 'zzzz'\nc: 'yyyy'\n", "a: 'xxxx' # c\u2029b: 'zzzz'\nc: 'yyQy'\n"),
        ("a: 'xxxx' # c\x85b: 'zzzz'\nc: 'yyyy'\n", "a: 'xxxx' # c\x85b: 'zzzz'\nc: 'yyQy'\n"),
        # a tag before the quote: the value's span starts at the tag, not at the quote
        ('a: !!str "abc"\n', 'a: !!str abc"\n'),
        ('a: !!str "abc"\n', 'a: !!strabc"\n'),
    ],
)
def test_unusual_texts_are_left_to_the_parse(old: str, new: str) -> None:
    document = load(old, "nexlayer.yaml")[0]
    assert document is not None
    assert edited(document, new) is None


WEB_VARS = ("application", "pods", 0, "vars")
URL = ("application", "pods", 1, "vars", "URL")


def _paths(secrets: Secrets) -> list[tuple[object, ...]]:
    return [secret.path for secret in secrets.found]


@pytest.mark.parametrize(
    ("old", "new", "became", "stopped"),
    [
        ("        - key: PLAIN\n", "        - key: PLAIN_TOKEN\n", [(*WEB_VARS, 1, "value")], []),
        ("        - key: DB_PASSWORD\n", "        - key: DB_PASSWORD_URL\n", [], [(*WEB_VARS, 0, "value")]),
        ("        URL: postgres://u:pw@db", "        URL: postgres://u@db", [], [URL]),  # its query token stays
        ("          data: s3cr3t\n", "          data: s3cr3t2\n", [], []),
    ],
)
def test_an_edit_that_makes_or_unmakes_a_secret_carries_the_secrets_over(
    old: str, new: str, became: list[tuple[object, ...]], stopped: list[tuple[object, ...]]
) -> None:
    """A `value` is secret by its sibling `key`: the edit of one changes the other's secrecy."""
    text = SAMPLES["secrets of every kind"]
    document, _ = load(text, "nexlayer.yaml")
    before = _paths(document_secrets(document))
    fast = edited(document, text.replace(old, new))
    assert fast is not None
    carried = document_secrets(fast)
    assert carried == full_secrets(load(text.replace(old, new), "nexlayer.yaml")[0])
    after = _paths(carried)
    assert [path for path in after if path not in before] == became
    assert sorted(set(before) - set(after), key=str) == sorted(set(stopped) - set(after), key=str)
    assert len(before) - len(after) == len(stopped) - len(became)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("entrypoint:\n        - redis-cl\n      command: [-a, hunter2hunter, ping]", "redis-cli"),
        ("entrypoint:\n        - docker\n        - logix\n      command: [-p, hunter2hunter, reg.io]", "login"),
        ("entrypoint:\n        - redis-clx\n      command: -a hunter2hunter ping", "redis-cli"),
        ("entrypoint:\n        - redis-cli\n      command: [-a, hunter2hunter, ping]", "redis-clx"),
    ],
)
def test_an_edit_of_the_entrypoint_finds_the_command_s_secrets_again(before: str, after: str) -> None:
    # hunt 89 F1: a command is read after its entrypoint, a sibling of the list edited: typing the
    # `i` of `redis-cli` left the command's password unfound, quoted in a message and not reported
    text = f"application:\n  pods:\n    - name: cache\n      image: redis:7.2\n      {before}\n"
    document, problems = load(text, "nexlayer.yaml")
    assert document is not None and problems == []
    document_secrets(document)  # as a lint leaves it: edited() carries them over
    program = before.split("\n      command")[0].split("- ")[-1]
    new_text = text.replace(f"- {program}\n", f"- {after}\n", 1)
    fast = edited(document, new_text)
    assert fast is not None  # the fast path is taken
    assert document_secrets(fast) == full_secrets(load(new_text, "nexlayer.yaml")[0])


def test_a_renamed_pair_s_value_is_found_again() -> None:
    # hunt 182 F1: in `- [name: X, value: y]` the `value` mapping is secret by the other mapping's
    # `name`: only the edited mapping was walked again, and the value went to /validate in clear
    text = (
        "application:\n  pods:\n    - name: web\n      image: nginx:1.27\n      vars:\n"
        '        - [name: "DB_HOST"\n          , value: "Zq9hunter2xx"]\n'
    )
    document = _clean(text)
    assert _paths(document_secrets(document)) == []
    new_text = text.replace("DB_HOST", "DB_PASSWORD")
    fast = edited(document, new_text)
    assert fast is not None  # the fast path is taken
    assert document_secrets(fast) == full_secrets(load(new_text, "nexlayer.yaml")[0])
    assert _paths(document_secrets(fast)) == [("application", "pods", 0, "vars", 0, 1, "value")]


@pytest.mark.parametrize(
    ("before", "after", "secret"),
    [
        ('"http://web.pod:80"', '"${auth-service:8080}"', False),  # the pod auth-service: no default
        ('"http://web.pod:80"', '"${auth-servce:8080}"', True),  # no such pod: ${auth} and a default
        ('"${auth-service:8080}"', '"${auth-servce:8080}"', True),
    ],
)
def test_an_edit_to_or_from_a_pod_reference_reads_it_as_one(before: str, after: str, secret: bool) -> None:
    # carry_secrets reads only the edited value's secrets for pod references (hunt 210 F1's rule)
    text = (
        "application:\n  name: shop\n  pods:\n    - name: auth-service\n      image: auth:1\n"
        f"    - name: web\n      image: web:1\n      vars:\n        AUTH_URL: {before}\n"
    )
    document = _clean(text)
    document_secrets(document)  # as a lint leaves it: edited() carries them over
    fast = edited(document, text.replace(f"AUTH_URL: {before}", f"AUTH_URL: {after}"))
    assert fast is not None  # the fast path is taken
    assert document_secrets(fast) == full_secrets(load(fast.text, "nexlayer.yaml")[0])
    assert bool(_paths(document_secrets(fast))) == secret


def test_an_anchor_right_after_a_json_key_s_colon_is_one() -> None:
    # hunt 182 F2: `"k":&pw x` has an anchor the search missed: an edit kept the alias's copy as
    # it was, no longer secret
    text = (
        "application:\n  pods:\n    - name: web\n      image: nginx:1.27\n"
        '      vars: {"NOTE":&pw Zq9hunter2xx, "DB_PASSWORD": *pw}\n'
    )
    assert edited(_clean(text), text.replace("1.27", "1.28")) is None


def _clean(text: str) -> Document:
    """`text`'s Document, which the loader reads without a problem."""
    document, problems = load(text, "nexlayer.yaml")
    assert document is not None and problems == []
    return document


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        # hunt 192 F2: a flag retyped makes the mapping after it secret as a whole, or no longer,
        # which changes how its keys are read; a var renamed under a mapping with a token as a key
        ("        - --password\n        - DB_PASSWORD Zq9hunter2: x\n", "--password", "--passwore"),
        ("        - --passwore\n        - DB_PASSWORD Zq9hunter2: x\n", "--passwore", "--password"),
        (
            "        - key: DB_PASSWORD\n          value:\n            ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8: x\n",
            "DB_PASSWORD",
            "DB_PASSWORX",
        ),
    ],
)
def test_an_edit_that_changes_how_keys_are_read_finds_their_secrets_again(text: str, old: str, new: str) -> None:
    text = "application:\n  pods:\n    - name: web\n      image: nginx:1.27\n      vars:\n" + text
    document = _clean(text)
    document_secrets(document)  # as a lint leaves it: edited() carries them over
    new_text = text.replace(old, new)
    fast = edited(document, new_text)
    assert fast is not None  # the fast path is taken
    assert document_secrets(fast) == full_secrets(load(new_text, "nexlayer.yaml")[0])


def test_the_keys_of_a_mapping_secret_as_a_whole_are_secret() -> None:
    # hunt 192 F1: the item after `--token` is secret whole; its key was quoted by NX101's hint
    text = "application:\n  pods:\n    - name: web\n      image: nginx:1.27\n      vars:\n        - --token\n"
    text += "        - ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8: x\n"
    keys = document_secrets(_clean(text)).keys
    assert [(secret.path[-1], secret.start, secret.end) for secret in keys] == [
        ("ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", 0, 40)
    ]
