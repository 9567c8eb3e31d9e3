"""The fast paths of secret masking are exact: each is compared with the plain definition it
short-cuts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nexlayer_lint import loader, secrets
from tests.conftest import CLEAN

BOUNDED = settings(max_examples=500, deadline=None)


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


SITE = CLEAN + """\
      vars:
        SITE: "<% URL %>"
"""


def test_secret_cache_follows_the_document() -> None:
    # A new document (even equal text) never sees the previous one's secrets.
    first, _ = loader.load(SITE, "x")
    second, _ = loader.load(SITE.replace("SITE", "DB_PASSWORD"), "x")
    assert first is not None and second is not None
    assert secrets.secret_paths(first) == []
    assert secrets.secret_paths(second) == [("application", "pods", 0, "vars", "DB_PASSWORD")]


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


# is_secret_var_name answers for any key a file can hold, in any order, as its definition does.
@BOUNDED
@given(st.lists(st.one_of(st.text(alphabet="DB_PASWORDKEYapi1 ", max_size=12), st.integers(-1, 2), st.floats(),
                          st.booleans(), st.none(), st.binary(max_size=3), st.lists(st.text(max_size=2), max_size=2),
                          st.sampled_from(["DB_PASSWORD", "1", "True", "None", "API_KEY", "TOKEN_URL"])), max_size=8))
def test_secret_var_name_is_its_definition(names: list[object]) -> None:
    for name in names:
        expected = isinstance(name, str) and secrets._is_secret_name.__wrapped__(name)
        assert secrets.is_secret_var_name(name) is expected
