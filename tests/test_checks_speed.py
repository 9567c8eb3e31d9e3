"""The fast paths of the checks and of secret masking are exact: each is compared with the plain
definition it short-cuts, and tested on documents where the fast path alone stands between a
finding and silence."""

from __future__ import annotations

import math
import posixpath
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint import loader, model, secrets
from nexlayer_lint.checks import common, references, storage
from nexlayer_lint.checks.registry import misplaced_registry_template, unknown_template
from tests.conftest import CLEAN, lint_codes, lint_diags, shared_dir

BOUNDED = settings(max_examples=500, deadline=None)
PATHISH = st.text(alphabet="/.ab", max_size=12)


@BOUNDED
@given(PATHISH)
def test_norm_shortcut_is_normpath(path: str) -> None:
    expected = posixpath.normpath(path) if path.startswith("/") else path.rstrip("/")
    assert storage._norm(path) == expected


@BOUNDED
@given(st.one_of(st.text(max_size=30), st.text(alphabet="pP# \tlaceholdr-filedbyin:ſK", max_size=30),
                 st.sampled_from(["placeholder", "PLACEHOLDER-will-be-updated", "# filled by pipeline:web", "p"])))
def test_placeholder_prefilter_is_the_regex(image: str) -> None:
    assert common.is_placeholder_image(image) == (common.PIPELINE_PLACEHOLDER.fullmatch(image) is not None)


def _reference_by_regex(value: str) -> bool:
    if not secrets.PLACEHOLDER.search(value):
        return False
    return not secrets._ALNUM.search(secrets.PLACEHOLDER.sub("", value))


@BOUNDED
@given(st.one_of(st.text(alphabet="${}<%> aZ9\n", max_size=16), st.from_regex(r"\$\{[^}]*\}.{0,3}", fullmatch=True)))
def test_reference_shortcut_is_the_regex(value: str) -> None:
    assert secrets.is_reference(value) == _reference_by_regex(value)


@BOUNDED
@given(st.lists(st.sampled_from(["hunter22", "abcd", "${DB_PASSWORD}", "a.b*"]), max_size=4),
       st.text(alphabet="hunter2abcd${DB_PASSWORD}.* x_", max_size=40), st.booleans())
def test_hider_skips_only_values_that_do_not_occur(values: list[str], text: str, whole_words: bool) -> None:
    import re

    hidden = secrets.hide_values(text, values, whole_words=whole_words)
    edge = (r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])") if whole_words else ("", "")
    for value in values:
        for match in re.finditer(edge[0] + re.escape(value) + edge[1], text):
            assert set(hidden[match.start():match.end()]) == {"*"}


ESCAPED_TEMPLATE = CLEAN + """\
      vars:
        SITE: "\\x3c% DOMAIN %>"
        HOME: "<\\u0025 HOST %>"
        JOINED: "<\\
          % FOO %>"
"""


def test_templates_written_with_escapes_are_found() -> None:
    # No `<%` in the text: a filter on the raw text would miss all three; the checks look at values.
    assert "<%" not in ESCAPED_TEMPLATE
    assert [code for code, _, _ in lint_codes(ESCAPED_TEMPLATE)] == ["NX205", "NX205", "NX205"]


def test_registry_template_written_with_an_escape_is_found() -> None:
    text = ESCAPED_TEMPLATE.replace("\\x3c% DOMAIN %>", "\\x3c% REGISTRY %>")
    assert ("NX206", 9, 15) in lint_codes(text)


def test_template_strings_keep_document_order_and_are_shared() -> None:
    doc, _ = loader.load(ESCAPED_TEMPLATE + "  extra: [{a: '<% X %>'}, '<% Y %>']\n", "x")
    assert doc is not None
    found = common.template_strings(doc)
    assert [path for path, _ in found] == [
        ("application", "pods", 0, "vars", "SITE"), ("application", "pods", 0, "vars", "HOME"),
        ("application", "pods", 0, "vars", "JOINED"), ("application", "extra", 0, "a"), ("application", "extra", 1)]
    assert common.template_strings(doc) is found
    assert len(list(unknown_template(doc))) == 5 and list(misplaced_registry_template(doc)) == []


def test_caches_follow_the_document() -> None:
    # A new document (even equal text) never sees the previous one's pods, vars or secrets.
    first, _ = loader.load(ESCAPED_TEMPLATE, "x")
    second, _ = loader.load(ESCAPED_TEMPLATE.replace("name: web", "name: api").replace("SITE", "DB_PASSWORD"), "x")
    assert first is not None and second is not None
    assert [pod.name for pod in common.pods(first)] == ["web"]
    assert [pod.name for pod in common.pods(second)] == ["api"]
    assert [pod.name for pod in common.pods(first)] == ["web"]
    assert secrets.secret_paths(first) == []
    assert secrets.secret_paths(second) == [("application", "pods", 0, "vars", "DB_PASSWORD")]


def test_interpolated_reference_needs_no_dot_pod() -> None:
    text = CLEAN + """\
      vars:
        API: "${api:8000}"
        SELF: "x${web:81}"
"""
    messages = [d.message for d in lint_diags(text)]
    assert messages == ['var "API" refers to pod "api", which does not exist',
                        'var "SELF" refers to port 81 of pod "web", which exposes only 80']


def test_postgres_mount_spelled_differently_is_found() -> None:
    text = """\
application:
  name: shop
  pods:
    - name: db
      image: postgres:16
      path: /
      volumes:
        - name: data
          size: 1Gi
          mountPath: /var/lib/postgresql/./data/
"""
    assert ("NX202", 10, 22) in lint_codes(text)


# find_references tries each pattern only where its literal part is; the definition it keeps is
# the two regexes' finditer over the whole value, sorted by start.
def _find_by_regex(value: str) -> list[references.Reference]:
    found = []
    for match in references._HOST.finditer(value):
        port = match.group(2)
        found.append(references.Reference(
            match.group(1), int(port) if port else None, match.start(1), match.end(1),
            match.start(2) if port else match.start(1), match.end(2) if port else match.end(1)))
    for match in references._INTERPOLATION.finditer(value):
        found.append(references.Reference(match.group(1), int(match.group(2)), match.start(1), match.end(1),
                                          match.start(2), match.end(2)))
    return sorted(found, key=lambda ref: ref.start)


REFERENCE_PIECES = [".pod", "pod", ".POD", ".", "-", "_", "a", "Z", "9", "db", "x-", "-y", ":", "80", "123456", "٣",
                    "é", "/", "@", " ", "://", "${", "}", "$", "{", "${a:1}", "${DB_PASSWORD}", "a.pod:80", ".pod."]


@BOUNDED
@given(st.lists(st.sampled_from(REFERENCE_PIECES), max_size=10).map("".join))
def test_find_references_is_the_regexes(value: str) -> None:
    assert references.find_references(value) == _find_by_regex(value)


def test_find_references_on_tricky_values() -> None:
    values = [
        "db.pod", "db.pod:5432", "http://api.pod:8000/v1", "x db.pod", "db.pod x", "a.pod b.pod:1 c.pod",
        "docs.pod.example.com", "foo.db.pod", "_db.pod", "db_.pod", "-db.pod", "db-.pod", "api-v2.pod:8000",
        "DB.pod", "db.POD", "pods.pod", "a.pod:80.pod", "a.pod:123456", "a.pod:٣٣", "a.pod:", "a.pod-b.pod",
        "a.pod.pod", ".pod", "..pod", "${a:1}", "${api:8000}x${db:5432}", "${DB_PASSWORD}", "${a-b:80}db.pod:1",
        "db.pod${a:1}", "${${a:1}", "$${a:1}}", "${a:123456}", "${a:}", "x" * 50 + "y.pod", "é.pod", "aé.pod",
    ]
    for value in values:
        assert references.find_references(value) == _find_by_regex(value), value


def test_find_references_is_linear_in_many_dot_pods() -> None:
    # Each `.pod` looks back only as far as the previous one: no quadratic slicing.
    assert references.find_references(".pod." * 100_000) == []
    assert len(references.find_references("a.pod " * 50_000)) == 50_000


def test_named_tuples_built_directly_are_the_same() -> None:
    pod = common.Pod(0, {}, ("x",), "a", [])
    assert type(pod) is common.Pod and pod == common.Pod(0, {}, ("x",), "a", []) and pod.path == ("x",)
    assert common.parse_image("ghcr.io/a/b:1@sha256:0") == common.ImageRef("ghcr.io", "a/b", "1", "sha256:0")


@BOUNDED
@given(st.recursive(st.one_of(st.none(), st.text(alphabet="ab", max_size=2), st.integers(0, 2)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.sampled_from(["application", "pods", "name", "x"]),
                                                            inner, max_size=3)),
                    max_leaves=8),
       st.sampled_from(["pods", "name", "registryLogin", "x"]))
def test_app_field_is_doc_get(data: object, key: str) -> None:
    doc = model.Document("x", "", data, {})
    assert common.app_field(doc, key) is doc.get("application", key)


# template_strings stops walking once the values have held as many `<%` as the text has (when no
# escape or alias can make more); the definition it keeps is the whole walk.
def _walk_templates(node: object, path: tuple) -> list:
    if isinstance(node, str):
        return [(path, node)] if "<%" in node else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [found for key, value in items for found in _walk_templates(value, path + (key,))]


def _templates_agree(text: str) -> bool:
    doc, _ = loader.load(text, "x")
    if doc is None:
        return False
    app = doc.get("application")
    assert common.template_strings(doc) == _walk_templates(app, ("application",)), text
    return True


TEMPLATE_VALUES = [
    "'<% URL %>'", '"<% URL %>"', "<% URL %>x", "a <% X %> <% Y %>", "'<%'", "<%%>", "'<%<%'", "plain", "'< %'",
    '"<\\x25 X %>"', '"\\x3c% X %>"', '"<\\u0025 X %>"', '"a<\\\n    % X %>"', '"<\n    % X %>"', "<\n    % X %>",
    "|\n    <% X %>\n    <%", ">-\n    <\n    % X %>", "&a '<% A %>'", "*a", "[<% X %>, '<% Y %>']",
    "{k: '<% X %>', '<% K %>': v}", "!!str '<% X %>'", "'<% X %>' # <% comment %>", "1", "null", "'it''s <%'",
]
TEMPLATE_KEYS = ["name", "a", "'<% K %>'", "b"]


@BOUNDED
@given(st.lists(st.tuples(st.sampled_from(TEMPLATE_KEYS), st.sampled_from(TEMPLATE_VALUES), st.booleans()),
                min_size=1, max_size=6))
def test_template_bound_stops_only_after_the_last_template(entries: list[tuple[str, str, bool]]) -> None:
    lines = ["application:"]
    for n, (key, value, in_pod) in enumerate(entries):
        # a `*a` before its anchor is an error; the anchored value comes first to let some through
        lines.append(f"  {key.strip(chr(39))}{n}: {value}" if not in_pod else
                     f"  pods{n}:\n    - name: p\n      v: {value}")
    text = "\n".join(lines) + "\n"
    _templates_agree(text)
    _templates_agree(text.replace("*a", "x"))


def test_template_bound_on_the_corpus_and_its_mutations() -> None:
    files = sorted(shared_dir("corpus").glob("**/*.yaml"))
    assert files
    rng = random.Random(7)
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\x00", "")
        _templates_agree(text)
        lines = text.split("\n")
        for _ in range(4):  # a line doubled (two templates), or a template moved next to another
            mutated = list(lines)
            i = rng.randrange(len(mutated))
            mutated.insert(i, mutated[i])
            j = rng.randrange(len(mutated))
            mutated[i], mutated[j] = mutated[j], mutated[i]
            _templates_agree("\n".join(mutated))


def test_template_bound() -> None:
    assert common._templates_bound("a: '<% A %>' # <% B %>\n") == 2
    assert common._templates_bound("a: b\n") == 0
    assert common._templates_bound('a: "\\x3c% A %>"\n') == math.inf
    assert common._templates_bound("a: &x b\nc: *x\n") == math.inf


@BOUNDED
@given(st.text(alphabet="<% REGISTRYregistry\t/>", max_size=24))
def test_registry_template_needs_the_literal_name(value: str) -> None:
    # the pre-filter of misplaced_registry_template and the `<%` one of the image checks
    if common.REGISTRY_TEMPLATE.search(value):
        assert "REGISTRY" in value and "<%" in value


def test_a_volume_and_a_secret_are_two_mount_items() -> None:
    # mount_path_conflict skips pods with fewer than two volumes and secrets together
    text = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      volumes:
        - name: data
          size: 1Gi
          mountPath: /etc/app
      secrets:
        - name: cfg
          data: x
          mountPath: /etc/app/
"""
    assert [code for code, _, _ in lint_codes(text) if code.startswith("NX2")] == ["NX212"]


IMAGEISH = st.text(alphabet=":/@.<% >REGISTRYlocahst1 \t", max_size=24)
IMAGES = ["postgres", "postgres:16", "postgres:latest", "ghcr.io/a/b:1@sha256:0", "localhost:5000/app",
          "localhost:5000/app:1", "host:5000/a/b", "a/b:c/d", "<% REGISTRY %>/a:1", "<%REGISTRY%>/a", "a@b:c",
          " postgres:16 ", "a:", ":", "@", "a/b:", "registry:5000", "x:1/y@z:2"]


@BOUNDED
@given(st.one_of(IMAGEISH, st.sampled_from(IMAGES)))
def test_image_tag_is_parse_image(image: str) -> None:
    # unpinned_image decides a pinned image from image_tag alone, before it parses the image
    assert common.image_tag(image) == common.parse_image(image).tag


def _literal_secret_by_definition(value: object) -> bool:
    # is_literal_secret as first written: it now asks whether the value is a str first
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        return True
    if not isinstance(value, str) or not value.strip() or secrets.is_reference(value):
        return False
    return secrets._DOC_PLACEHOLDER.fullmatch(value.strip()) is None


@BOUNDED
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(alphabet="${}<%> aZ9\n", max_size=12),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)))
def test_literal_secret_is_its_definition(value: object) -> None:
    assert secrets.is_literal_secret(value) == _literal_secret_by_definition(value)



# pods() keeps each var as (name, value); var_path() works out the path pods() used to build for
# every var, only for a var that is reported.
def _vars_by_definition(pod: dict[str, object], path: tuple) -> list[tuple[object, object, tuple]]:
    variables, base = pod.get("vars"), path + ("vars",)
    if isinstance(variables, dict):
        return [(name, value, base + (name,)) for name, value in variables.items()]
    found = []
    for k, item in enumerate(variables if isinstance(variables, list) else []):
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            found.append((item["key"], item.get("value"), base + (k, "value")))
        elif isinstance(item, dict) and len(item) == 1:
            ((name, value),) = item.items()
            found.append((name, value, base + (k, name)))
    return found


VAR_SCALARS = st.one_of(st.none(), st.integers(0, 2), st.sampled_from(["A", "B", "key", "value", "${A}"]))
VAR_ITEMS = st.one_of(VAR_SCALARS, st.dictionaries(st.sampled_from(["key", "value", "A", "B"]), VAR_SCALARS, max_size=3))


@BOUNDED
@given(st.one_of(VAR_SCALARS, st.dictionaries(st.sampled_from(["A", "B", "C"]), VAR_SCALARS, max_size=3),
                 st.lists(VAR_ITEMS, max_size=5)))
def test_var_path_is_the_path_pods_built(variables: object) -> None:
    doc = model.Document("x", "", {"application": {"pods": [{"name": "a"}, {"name": "b", "vars": variables}]}}, {})
    pod = common.pods(doc)[1]
    assert [(name, value, common.var_path(pod, var)) for var in pod.vars for name, value in [var]] \
        == _vars_by_definition(pod.data, pod.path)


# is_secret_var_name answers for any key a file can hold, in any order, as its definition does.
@BOUNDED
@given(st.lists(st.one_of(st.text(alphabet="DB_PASWORDKEYapi1 ", max_size=12), st.integers(-1, 2), st.floats(),
                          st.booleans(), st.none(), st.binary(max_size=3), st.lists(st.text(max_size=2), max_size=2),
                          st.sampled_from(["DB_PASSWORD", "1", "True", "None", "API_KEY", "TOKEN_URL"])), max_size=8))
def test_secret_var_name_is_its_definition(names: list[object]) -> None:
    for name in names:
        expected = isinstance(name, str) and secrets._is_secret_name.__wrapped__(name)
        assert secrets.is_secret_var_name(name) is expected
