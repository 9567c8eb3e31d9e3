"""The fast paths of the checks and of secret masking are exact: each is compared with the plain
definition it short-cuts, and tested on documents where the fast path alone stands between a
finding and silence."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint import loader, secrets
from nexlayer_lint.checks import common, storage
from nexlayer_lint.checks.registry import misplaced_registry_template, unknown_template
from tests.conftest import lint_codes, lint_diags

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


ESCAPED_TEMPLATE = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
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
    text = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
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
