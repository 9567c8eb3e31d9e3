"""The loader: data, 1-based spans, and NX001-NX005 at the right place."""

from __future__ import annotations

import pytest

from nexlayer_lint.loader import MAX_ALIAS_EXPANSION, MAX_DEPTH, load
from nexlayer_lint.model import Span

BASIC = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      servicePorts: [80, 443]
"""


def codes(problems):
    return [(p.code, p.span.line, p.span.col) for p in problems]


def test_data_and_positions():
    doc, problems = load(BASIC, "nexlayer.yaml")
    assert problems == []
    assert doc.data == {
        "application": {"name": "shop", "pods": [{"name": "web", "image": "nginx:1.27", "servicePorts": [80, 443]}]}
    }
    assert doc.locate(("application", "name")) == Span(2, 9, 2, 13)
    assert doc.locate(("application", "name"), "key") == Span(2, 3, 2, 7)
    assert doc.locate(("application", "pods", 0, "servicePorts", 1)) == Span(6, 26, 6, 29)
    assert doc.locate(("application", "pods", 0)) == Span(4, 7, 4, 16)
    # a path that runs past what exists falls back to the key of the deepest node that does
    assert doc.locate(("application", "pods", 0, "vars", "X")) == Span(4, 7, 4, 16)


@pytest.mark.parametrize("variant", ["crlf", "bom", "bom+crlf"])
def test_crlf_and_bom_give_the_same_positions(variant):
    text = BASIC.replace("\n", "\r\n") if "crlf" in variant else BASIC
    raw = (b"\xef\xbb\xbf" if "bom" in variant else b"") + text.encode()
    doc, problems = load(raw, "nexlayer.yaml")
    plain, _ = load(BASIC, "nexlayer.yaml")
    assert problems == []
    assert doc.data == plain.data
    assert dict(doc.positions) == dict(plain.positions)


def test_utf16_with_bom_is_decoded():
    doc, problems = load(b"\xff\xfe" + BASIC.encode("utf-16-le"), "x")
    assert problems == [] and doc.data["application"]["name"] == "shop"


def test_invalid_utf8_points_at_the_byte():
    (problem,) = load(b"application:\n  name: sh\xffop\n", "x")[1]
    assert (problem.code, problem.span.line, problem.span.col) == ("NX001", 2, 11)
    assert problem.message == "invalid UTF-8: byte 0xff cannot start a character here"


def test_invalid_utf8_after_a_bom_points_at_the_byte():
    (problem,) = load(b"\xef\xbb\xbfapplication:\n  name: sh\xffop\n", "x")[1]
    assert (problem.code, problem.span.line, problem.span.col) == ("NX001", 2, 11)
    assert problem.message == "invalid UTF-8: byte 0xff cannot start a character here"


def test_nul_byte():
    (problem,) = load("application:\n  name: a\x00b\n", "x")[1]
    assert (problem.code, problem.span.line, problem.span.col) == ("NX001", 2, 10)
    assert "NUL byte" in problem.message


def test_tab_indentation_is_nx001_with_a_hint():
    doc, (problem,) = load("application:\n\tname: shop\n", "x")
    assert doc is None
    assert (problem.code, problem.span.line, problem.span.col) == ("NX001", 2, 1)
    assert problem.hint == "YAML indentation must use spaces, not tabs"


def test_unclosed_flow_sequence():
    doc, (problem,) = load("a:\n  b: [1, 2\n  c: 3\n", "x")
    assert doc is None and problem.code == "NX001"
    assert problem.span.line in (2, 3)


def test_duplicate_key_points_at_the_second_and_names_the_first():
    doc, (problem,) = load("application:\n  name: a\n  pods: []\n  name: b\n", "x")
    assert (problem.code, problem.span.line, problem.span.col) == ("NX002", 4, 3)
    assert problem.message == 'key "name" is already defined on line 2'
    assert doc.data["application"]["name"] == "b"


def test_a_second_merge_key_in_one_mapping_is_a_duplicate_key():
    # hunt 17: ruamel.yaml ("found duplicate merge key") and Go's yaml refuse it; PyYAML merges both
    doc, problems = load("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n", "x")
    assert [(p.code, p.span.line, p.span.col, p.message, p.hint) for p in problems] == [
        (
            "NX002",
            5,
            3,
            'merge key "<<" is already used on line 4',
            "merge several mappings with one key: <<: [*first, *second]",
        )
    ]
    assert doc is not None and doc.data["c"] == {"x": 1, "y": 2}
    doc, problems = load("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n", "x")
    assert problems == [] and doc is not None and doc.data["c"] == {"x": 1, "y": 2}


@pytest.mark.parametrize("key", ["!!merge 'name'", "!!merge name"])
def test_a_key_tagged_merge_that_is_not_the_merge_key_is_refused(key: str) -> None:
    # hunt 271 F1: PyYAML and ruamel.yaml merge it, Go's yaml.v3 reads a key `name` (here twice)
    doc, (problem,) = load(f"application:\n  {key}: {{}}\n  name: shop\n", "x")
    assert doc is None and problem.code == "NX001" and problem.span.line == 2
    assert problem.hint == "write the merge key as <<: (or drop the tag !!merge)"


@pytest.mark.parametrize("key", ['!!merge "<<"', "! <<", "!!merge <<", "!!merge '<<'"])
def test_a_merge_key_tagged_or_quoted_under_its_tag_merges(key: str) -> None:
    # hunt 269 F1: ruamel.yaml, PyYAML and Go's yaml.v3 merge these; they were a plain key "<<",
    # and what they merged went unchecked
    doc, problems = load(f"a: &a {{x: 1}}\nc:\n  y: 2\n  {key}: *a\n", "x")
    assert problems == [] and doc is not None and doc.data["c"] == {"x": 1, "y": 2}


def test_a_quoted_key_beside_a_merge_key_is_a_duplicate_key() -> None:
    # hunt 269 F3: Go's yaml.v3 ("mapping key "<<" already defined") and js-yaml refuse it
    for text, line in (('c:\n  <<: {x: 1}\n  "<<": 2\n', 3), ('c:\n  "<<": 2\n  <<: {x: 1}\n', 3)):
        _, problems = load(text, "x")
        assert [(p.code, p.span.line, p.message) for p in problems] == [
            ("NX002", line, 'key "<<" is already defined on line 2')
        ]


def test_multiple_documents():
    doc, (problem,) = load("a: 1\n---\nb: 2\n", "x")
    assert (problem.code, problem.span.line, problem.span.col) == ("NX003", 2, 1)
    assert problem.message == "the file holds more than one YAML document; Nexlayer reads one"
    assert doc.data == {"a": 1}


def test_a_key_tagged_null_and_a_yaml_version_go_refuses_are_nx001() -> None:
    # hunt 151 F1: `!!null application:` was read as `application`, and the file passed; F2:
    # `%YAML 1.2` passed, which the Go parser `nexlayer deploy` uses refuses (only 1.1 is read)
    for text in ("!!null application:\n  name: shop\n", "a:\n  - &k !!null name: web\n"):
        doc, (problem,) = load(text, "x")
        assert doc is None and problem.code == "NX001" and "a key tagged !!null is null" in problem.message
    doc, (problem,) = load("%YAML 1.2\n---\na: 1\n", "x")
    assert doc is None and (problem.code, problem.span) == ("NX001", Span(1, 1, 1, 10))
    assert problem.message == "%YAML 1.2: the Go YAML parser `nexlayer deploy` uses reads only %YAML 1.1 documents"
    assert load("%YAML 1.1\n---\na: 1\n", "x")[1] == [] and load("a: !!null x\nb: !!str 1\n", "x")[1] == []


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: 1\n...\n%YAML 1.2\n---\nb: 2\n", "a: 1\n--- b\n"])
def test_following_nx003_s_hint_leaves_one_document(text: str) -> None:
    # hunt 110 F3: before a second document's directive, "remove the `---` and everything after
    # it" left `%YAML 1.2` behind, which is NX001
    _, (problem,) = load(text, "x")
    assert problem.code == "NX003" and problem.hint.startswith("remove everything from here to the end")
    lines = text.splitlines(keepends=True)
    kept = "".join(lines[: problem.span.line - 1]) + lines[problem.span.line - 1][: problem.span.col - 1]
    doc, problems = load(kept, "x")
    assert problems == [] and doc is not None and doc.data == {"a": 1}


def test_a_syntax_error_in_a_later_document_is_nx001():
    # hunt 34 F2: only NX003, which can be turned off, said anything; PyYAML and ruamel refuse it
    doc, problems = load("a: 1\n---\nb: 2\n---\nx: [\n\t- 'open\n", "x")
    assert doc is None and [(p.code, p.span.line) for p in problems] == [("NX001", 6)]


@pytest.mark.parametrize("later", ["x: *nowhere\n", "x: *a\n"])  # hunt 36 F5: none, or the first document's
def test_an_alias_to_no_anchor_of_its_document_is_nx001(later):
    doc, problems = load(f"a: &a 1\n---\ny: &b 2\nz: *b\n---\n{later}", "x")
    assert doc is None and [(p.code, p.span.line) for p in problems] == [("NX001", 6)]


def test_text_colons_in_later_documents_past_the_stand_ins_limits_end_the_reading():
    # hunt 36 F4: 900 `[a:N]` after the first document hit the stand-ins' limit: an NX001 that
    # cannot be turned off, for a document that is not even linted
    later = "".join(f"k{i}: [a:{i}]\n" for i in range(900))
    doc, problems = load(f"a: 1\n---\n{later}", "x")
    assert doc.data == {"a": 1} and [p.code for p in problems] == ["NX003"]


@pytest.mark.parametrize("last", ["y: [\n", "y: *nope\n"])
def test_errors_after_a_text_colon_in_a_later_document_are_nx001(last):
    # hunt 37 F5: the first text colon ended the reading of every later document
    doc, problems = load(f"a: 1\n---\nx: [a:b]\n---\n{last}", "x")
    assert doc is None and [p.code for p in problems] == ["NX001"]


def test_later_documents_nest_no_deeper_than_the_first():
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    doc, (problem,) = load(f"a: 1\n---\n{deep}\n", "x")
    assert doc is None and problem.code == "NX001" and problem.span.line == 3
    assert problem.message == f"nesting is deeper than {MAX_DEPTH} levels; not parsed"


def test_strings_of_later_documents_hold_no_comment():
    # hunt 34 F3: a directive's text inside a later document's string suppressed findings
    text = "a: 1  # a comment\n---\nb: 'x # not: one'\nc: |\n  # nor this\n# but this\n"
    doc, problems = load(text, "x")
    assert [p.code for p in problems] == ["NX003"]
    assert [(c.line, c.text) for c in doc.comments] == [(1, "a comment"), (6, "but this")]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n", "~\n", "null\n"])
def test_empty_documents(text):
    doc, (problem,) = load(text, "x")
    assert doc is None
    assert (problem.code, problem.span.line, problem.span.col) == ("NX004", 1, 1)
    assert problem.message == "the file has no content: it is empty, only comments, or null"


def test_plain_scalars_are_kept_as_written():
    # for checks that care how a value is written (NX005): its data may be a number, and a
    # repeated key's earlier value is no longer in the data at all
    doc, _ = load("a: 0755\nb: [yes, 'no', 1_0]\nc: |\n  x\na: 08\n", "x")
    assert doc.data == {"a": 8, "b": ["yes", "no", "1_0"], "c": "x\n"}
    assert list(doc.plain_scalars) == [
        (("a",), Span(1, 4, 1, 8), "0755", None),
        (("b", 0), Span(2, 5, 2, 8), "yes", None),
        (("b", 2), Span(2, 16, 2, 19), "1_0", None),
        (("a",), Span(5, 4, 5, 6), "08", None),
    ]
    # and every plain key, at the path of its value
    assert [(path, text) for path, _, text, _ in doc.plain_keys] == [
        (("a",), "a"),
        (("b",), "b"),
        (("c",), "c"),
        (("a",), "a"),
    ]


def test_scalars_are_yaml_12():
    doc, _ = load("a: [yes, 0755, 0x10, 0o10, 1_000, 1.5, .inf, ~, true, 2024-01-01, '1']\nb: 1:30\n", "x")
    # hunt 28 F5: YAML 1.2's core schema has no `_` between digits and no binary (ruamel's table has)
    assert doc.data["a"] == ["yes", 755, 16, 8, "1_000", 1.5, float("inf"), None, True, "2024-01-01", "1"]
    assert doc.data["b"] == "1:30"
    # hunt 87 F5: the core schema's float with a leading dot and an unsigned exponent
    doc, _ = load("a: [.5e1, -.5E1, .5e+1, .5, .e5, .5e]\n", "x")
    assert doc is not None and doc.data["a"] == [5.0, -5.0, 5.0, 0.5, ".e5", ".5e"]


def test_anchors_aliases_and_merge_keys():
    text = "base: &b\n  image: nginx:1.27\n  path: /\npods:\n  - <<: *b\n    path: /api\n    name: x\n"
    doc, problems = load(text, "x")
    assert problems == []
    assert doc.data["pods"][0] == {"image": "nginx:1.27", "path": "/api", "name": "x"}
    # explicit keys point at themselves; merged ones at where they were defined
    assert doc.locate(("pods", 0, "path")) == Span(6, 11, 6, 15)
    assert doc.locate(("pods", 0, "image")).line == 2


def test_an_alias_is_a_copy_positioned_where_its_anchor_is():
    doc, problems = load("a: &x {b: [1, 2]}\nc: *x\n", "x")
    assert problems == [] and doc.data == {"a": {"b": [1, 2]}, "c": {"b": [1, 2]}}
    assert doc.data["c"] is not doc.data["a"] and doc.data["c"]["b"] is not doc.data["a"]["b"]
    # the alias's own key, then the anchored value's spans, down to its items
    assert doc.positions[("c",)].key == Span(2, 1, 2, 2)
    assert doc.positions[("c",)].value == doc.positions[("a",)].value == Span(1, 4, 1, 18)
    assert doc.positions[("c", "b", 1)] == doc.positions[("a", "b", 1)]


def test_merge_precedence_and_positions():
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nm:\n  x: 0\n  <<: [*b, *a]\n  <<: {z: 3, w: 3}\n"
    doc, problems = load(text, "x")
    # its own keys win; in a list the earlier mapping; of two merge keys the later (as PyYAML
    # reads them: a second `<<` is an NX002, as ruamel.yaml and Go's yaml refuse it)
    assert [(p.code, p.span.line) for p in problems] == [("NX002", 6)]
    assert doc.data["m"] == {"y": 2, "z": 3, "x": 0, "w": 3}
    assert doc.positions[("m", "x")].key == Span(4, 3, 4, 4)  # its own, though `a` merges an x too
    assert doc.positions[("m", "y")].key == Span(2, 8, 2, 9)
    assert doc.positions[("m", "z")].key == Span(6, 8, 6, 9)


RECURSIVE = "an alias refers to the node that contains it (recursive alias)"


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ("<<: 1\n", "a merge key `<<` needs a mapping or a list of mappings", Span(1, 5, 1, 6)),
        (
            "a: &a [1]\nb:\n  <<: [{x: 1}, *a]\n",
            "a merge key `<<` needs a mapping or a list of mappings",
            Span(1, 4, 1, 10),
        ),
        # hunt 139 F2: the first item that is no mapping, not the last
        ("<<: [{a: b}, 2, 3]\n", "a merge key `<<` needs a mapping or a list of mappings", Span(1, 14, 1, 15)),
        ("a: &a [b, *a]\n", "an alias refers to the node that contains it (recursive alias)", Span(1, 4, 1, 14)),
        ("? [a, b]\n: 1\n", "a mapping key must be a plain value, not a list or mapping", Span(1, 3, 1, 9)),
        # at the alias used as a key (hunt 86 F3)
        ("a: &s [x]\n*s : 1\n", "a mapping key must be a plain value, not a list or mapping", Span(2, 1, 2, 3)),
        # a merge inside the mapping it names (hunt 86 F1: "needs a mapping" at 1:1)
        ("a: &v\n  b: 1\n  <<: *v\n", RECURSIVE, Span(3, 7, 3, 9)),  # at the alias (hunt 88 F5)
        ("a: &v\n  b: 1\n  <<: [*v]\n", RECURSIVE, Span(3, 8, 3, 10)),
        # hunt 88 F5: a `<<: null` is no recursive alias, though one is open elsewhere
        (
            "a: &v\n  b:\n    <<: null\n  c: *v\n",
            "a merge key `<<` needs a mapping or a list of mappings",
            Span(3, 9, 3, 13),
        ),
    ],
)
def test_what_cannot_become_data_is_nx001(text, message, span):
    doc, problems = load(text, "x")
    assert doc is None and [(p.code, p.message, p.span) for p in problems] == [("NX001", message, span)]


def test_a_syntax_error_later_in_the_document_wins_over_a_refusal():
    doc, (problem,) = load("? [a]\n: 1\nb: [\n", "x")
    assert doc is None and (problem.code, problem.span.line) == ("NX001", 3)
    assert problem.message == "the file ends where a value was expected"  # not the complex key above it


def test_aliases_deeper_than_the_limit_are_refused():
    deep = "[" * 300 + "]" * 300
    doc, (problem,) = load(f"a: &d {deep}\nb: {'[' * 250}*d{']' * 250}\n", "x")
    assert doc is None and problem.message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert problem.span == Span(2, 254, 2, 256)


def test_custom_tags_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\nb: !custom {{x: 1}}\n"
    doc, _problems = load(text, "x")
    assert not marker.exists()
    assert doc.data == {"a": [f"touch {marker}"], "b": {"x": 1}}


def test_a_core_tag_makes_a_quoted_scalar_what_it_names_as_yaml_loaders_do():
    # the verdict hunt: `!!bool 'true'` was read as text, so a file every YAML loader (and
    # check-jsonschema) rejects passed
    from ruamel.yaml import YAML

    text = "a: !!bool 'true'\nb: !!int \"4\"\nc: !!float '1.5'\nd: !!null ''\ne: !!str '4'\nf: !!int |\n  16\ng: '4'\n"
    doc, problems = load(text, "x")
    assert problems == []
    assert doc.data == {"a": True, "b": 4, "c": 1.5, "d": None, "e": "4", "f": 16, "g": "4"}
    assert doc.data == YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize(
    ("value", "wanted"),
    [
        ("!!int four", "an integer"),
        ('!!int ""', "an integer"),
        ("!!int 1.5", "an integer"),
        ("!!float abc", "a number"),
        ("!!bool maybe", "a boolean (true or false)"),
        ("!!bool 1", "a boolean (true or false)"),
        ("!!timestamp soon", "a date or a time"),
        # the fifth stop's second hunt: a date that is no day, base64 that is not, a collection's tag
        ("!!timestamp 2024-02-30", "a date or a time"),
        ("!!binary zz*", "base64 data"),
        ("!!map x", "a mapping"),
        ("!!seq x", "a list"),
    ],
)
def test_a_core_tag_the_value_does_not_fit_is_refused_as_yaml_loaders_refuse_it(value: str, wanted: str):
    # the verdict hunt of the fifth stop: `!!int four` was kept as text, and the file passed
    from ruamel.yaml import YAML

    text = f"a: 1\nb: {value}\n"
    with pytest.raises(Exception):  # noqa: B017  # ruamel raises what its constructor meets
        YAML(typ="safe", pure=True).load(text)
    doc, (problem,) = load(text, "x")
    assert doc is None and problem.code == "NX001"
    assert problem.span.line == 2 and problem.span.col == 4
    tag = value.split()[0]
    assert problem.message == f"the value tagged {tag} is not {wanted}, so YAML loaders cannot read it"
    assert problem.hint == f"drop the tag {tag} (quote the value to keep it as text), or write {wanted}"
    # as a key, and as an anchored key, too
    assert load(f"{value}: 1\n", "x")[0] is None
    assert load(f"&k {value}: 1\n", "x")[0] is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int [1]", "the tag !!int wants an integer, not a list"),
        ("!!seq {x: 1}", "the tag !!seq wants a list, not a mapping"),
        ("!!map [1]", "the tag !!map wants a mapping, not a list"),
        ("!!str {x: 1}", "the tag !!str wants text, not a mapping"),
    ],
)
def test_a_collection_under_a_core_tag_it_does_not_fit_is_refused(value: str, message: str):
    # the fifth stop's second hunt: `!!int [1]` was NX103, though YAML loaders refuse the file
    from ruamel.yaml import YAML

    text = f"a: 1\nb: {value}\n"
    with pytest.raises(Exception):  # noqa: B017  # ruamel raises what its constructor meets
        YAML(typ="safe", pure=True).load(text)
    doc, (problem,) = load(text, "x")
    assert doc is None and problem.code == "NX001" and (problem.span.line, problem.span.col) == (2, 4)
    assert problem.message == message + ", so YAML loaders cannot read it"
    assert load("a: !!omap [{x: 1}]\nb: !!map {x: 1}\nc: !!seq [1]\n", "x")[1] == []


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("a: !!omap\n  - x: 1\n    y: 2\n", 2, 5, "item 1 of the list tagged !!omap is not a one-key mapping"),
        ("a: !!omap [{x: 1}, 2]\n", 1, 20, "item 2 of the list tagged !!omap is not a one-key mapping"),
        ("a: !!pairs [{x: 1}, {}]\n", 1, 21, "item 2 of the list tagged !!pairs is not a one-key mapping"),
        ("a: !!omap [[x]]\n", 1, 12, "item 1 of the list tagged !!omap is not a one-key mapping"),
        ("a: !!omap {x: 1}\n", 1, 4, "the tag !!omap wants a list of one-key mappings, not a mapping"),
        ("a: !!pairs x\n", 1, 4, "the value tagged !!pairs is not a list of one-key mappings"),
    ],
)
def test_omap_and_pairs_are_lists_of_one_key_mappings(text: str, line: int, col: int, message: str):
    # hunt 28 F8: `pods: !!omap` over pods of four keys passed; YAML loaders refuse the file
    from ruamel.yaml import YAML

    with pytest.raises(Exception):  # noqa: B017  # ruamel raises what its constructor meets
        YAML(typ="safe", pure=True).load(text)
    doc, (problem,) = load(text, "x")
    assert doc is None and problem.code == "NX001" and (problem.span.line, problem.span.col) == (line, col)
    assert problem.message == message + ", so YAML loaders cannot read it"
    if message.startswith("item"):
        tag = message.split("!!")[1].split()[0]
        assert (
            problem.hint
            == f"drop the tag !!{tag} (a list of mappings needs no tag), or write each item as one `key: value`"
        )
    assert load("a: &m {y: 2}\nb: !!omap [{x: 1}, *m]\nc: !!pairs []\n", "x")[1] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8_0", "8_0"),
        ("0b1111101000", "0b1111101000"),
        ("-0b1", "-0b1"),
        ("1_000.5", "1_000.5"),
        ("0x1_F", "0x1_F"),
        ("0_755", "0_755"),
        ("1_", "1_"),
        ("0x1b", 27),  # a hex digit b, no binary
        ("1e3", 1000.0),
        ("!!int 8_0", 80),  # a tag names the type: as YAML loaders read it
        ("!!int 0b1010", 10),
        ("!!float 1_0.5", 10.5),
    ],
)
def test_numbers_are_yaml_12_core_schema_numbers(text: str, value: object):
    # hunt 28 F5: `servicePorts: [8_0]` was the port 80, as ruamel's table reads it; YAML 1.2's
    # core schema (js-yaml, eemeli's yaml) reads the text "8_0", which the schema then refuses
    doc, problems = load(f"a: {text}\n", "x")
    assert problems == [] and doc.data == {"a": value} and type(doc.data["a"]) is type(value)


def test_a_bool_tag_reads_yaml_11_words_as_ruamel_does():
    from ruamel.yaml import YAML

    text = (
        "a: !!bool yes\nb: !!bool Off\nc: !!bool 'TRUE'\nd: !!timestamp 2024-02-29\ne: !!int 0x_1F\nf: !!binary aGk=\n"
    )
    doc, problems = load(text, "x")
    assert problems == []
    assert doc.data == {"a": True, "b": False, "c": True, "d": "2024-02-29", "e": 31, "f": "aGk="}
    loaded = YAML(typ="safe", pure=True).load(text)
    assert [loaded[k] for k in "abce"] == [True, False, True, 31]


def test_a_tagged_quoted_value_of_the_wrong_type_is_told_to_drop_its_tag():
    from nexlayer_lint.engine import lint
    from tests.conftest import CLEAN

    [finding] = lint(CLEAN + '      vars:\n        WORKERS: !!int "4"\n').diagnostics
    assert finding.code == "NX103"
    assert finding.message == 'expected a string for var "WORKERS" of pod "web", got the number 4'
    assert finding.hint == "a tag before the value (such as !!int or !!bool) makes YAML read it so; remove the tag"


def test_two_spellings_of_one_key_are_a_repeated_key():
    # the verdict hunt: `true:` and `True:` are one key, boolean true, to YAML 1.2 (ruamel refuses
    # the file), but were compared as written
    text = "a:\n  true: 1\n  True: 2\n  16: a\n  0x10: b\n  null: n\n  ~: m\n  1: x\n  1.0: y\n  '2': z\n  2: w\n"
    doc, problems = load(text, "x")
    assert [(p.code, p.span.line, p.message) for p in problems] == [
        ("NX002", 3, 'key "True" is already defined on line 2 as "true", the same key to YAML'),
        ("NX002", 5, 'key "0x10" is already defined on line 4 as "16", the same key to YAML'),
        ("NX002", 7, 'key "~" is already defined on line 6 as "null", the same key to YAML'),
        # an int and a float, a string and an int, are different keys to YAML; but "2" and 2
        # are one here, where keys stay text as written
        ("NX002", 11, 'key "2" is already defined on line 10'),
    ]
    assert doc is not None and list(doc.data["a"])[:2] == ["true", "True"]  # each kept as written
    # a tag says what a key is: `!!str 16` is the text "16", another key than 0x10
    assert load("a:\n  !!str 16: a\n  0x10: b\n  !!str true: c\n  True: d\n", "x")[1] == []


def test_alias_bomb_is_refused_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    doc, (problem,) = load("\n".join(lines) + "\n", "x")
    assert doc is None and problem.code == "NX001"
    assert f"{MAX_ALIAS_EXPANSION:,}" in problem.message


def test_aliases_of_long_text_are_refused_by_the_text_they_repeat():
    # hunt 86 F4: 1,000 aliases of one 200 kB string counted as 1,000 values: each copy is read in
    # full by the checks (10 s for a 217 kB file); now refused at the alias that passes 1,000,000
    text = "a: &a " + "x" * 200_000 + "\n" + "".join(f"b{i}: *a\n" for i in range(1000))
    doc, (problem,) = load(text, "x")
    assert doc is None and problem.code == "NX001" and problem.span.line == 6  # the fifth alias
    assert problem.message == "aliases repeat more than 1,000,000 characters of text; not expanded"
    # a list of aliases counts what its aliases repeat: aliasing it repeats all of that again
    nested = "a: &a " + "y" * 1000 + "\nb: &b [" + ", ".join(["*a"] * 100) + "]\n"
    doc, (problem,) = load(nested + "".join(f"c{i}: *b\n" for i in range(9)), "x")
    assert doc is None and problem.span.line == 11  # b's 100,000, then nine aliases of b's 100,400
    doc, problems = load(nested + "".join(f"c{i}: *b\n" for i in range(8)), "x")
    assert doc is not None and problems == []


def test_deep_nesting_is_refused_before_the_composer_recurses():
    doc, (problem,) = load("a: " + "[" * 100_000 + "]" * 100_000, "x")
    assert doc is None and problem.code == "NX001"
    assert f"deeper than {MAX_DEPTH}" in problem.message
    assert problem.span.line == 1


def test_moderate_nesting_is_fine():
    doc, problems = load("a: " + "[" * 200 + "]" * 200, "x")
    assert problems == [] and doc is not None


def test_recursive_alias_and_complex_keys():
    assert load("&a [*a]\n", "x")[1][0].code == "NX001"
    _doc, (problem,) = load("? {a: 1}\n: 2\n", "x")
    assert (problem.code, problem.span.line, problem.span.col) == ("NX001", 1, 3)


def test_file_size_limit():
    doc, (problem,) = load(b"a: 1\n" * 100, "x", max_bytes=100)
    assert doc is None and problem.code == "NX001" and "larger than the limit of 100" in problem.message


def test_directive_comments_ignore_hashes_inside_strings():
    text = (
        "a: 'x # nexlayer-lint: disable=NX215'\n"
        "b: |\n"
        "  # nexlayer-lint: disable=NX213\n"
        "c: 1 # nexlayer-lint: disable=NX205\n"
        "# nexlayer-lint: disable-file=NX216\n"
        'd: "#nexlayer-lint: x" # nexlayer-lint: disable=NX102\n'
    )
    doc, _ = load(text, "x")
    assert [(c.line, c.col, c.text, c.own_line) for c in doc.comments] == [
        (4, 6, "nexlayer-lint: disable=NX205", False),
        (5, 1, "nexlayer-lint: disable-file=NX216", True),
        (6, 24, "nexlayer-lint: disable=NX102", False),
    ]


def test_every_comment_outside_strings():
    text = '# top\n"a #key": b  # after a quoted key\nc: |\n  # text of the block\nd: [1, 2] # flow\ne: x#y\n'
    doc, _ = load(text, "x")
    assert [(c.line, c.col, c.text, c.own_line) for c in doc.comments] == [
        (1, 1, "top", True),
        (2, 14, "after a quoted key", False),
        (5, 11, "flow", False),
    ]


def test_a_hash_after_a_no_break_space_is_text():
    # YAML's blanks are the space and the tab: `b\xa0#x` is one plain value, with no comment in it
    doc, _ = load("a: b\xa0#x\nc: d\u3000#y  # z\n", "x")
    assert doc.data == {"a": "b\xa0#x", "c": "d\u3000#y"}
    assert [(c.line, c.col, c.text) for c in doc.comments] == [(2, 10, "z")]


def test_an_anchor_name_given_again_names_the_latest_node():
    # hunt 155 F1: YAML 1.2 and Go's yaml.v3 allow it; NX001, which nothing silences, refused it
    doc, problems = load("a: &x 1\nb: &x 2\nc: *x\n", "x")
    assert problems == [] and doc is not None and doc.data == {"a": 1, "b": 2, "c": 2}
    assert doc.positions[("c",)].value == Span(2, 4, 2, 8)  # the alias's value is the latest `&x`
    (problem,) = load("a: &x 1\nb: &x [*x]\n", "x")[1]  # inside the node it names: recursive
    assert problem.code == "NX001" and "recursive" in problem.message
    # hunt 157 F2: the latest node to start is named, as yaml.v3 registers a node at its start
    doc, problems = load("a: &p [ &p 80 ]\nb: *p\nc: &q [ &q 1, *q ]\n", "x")
    assert problems == [] and doc is not None and doc.data == {"a": [80], "b": 80, "c": [1, 1]}
    # F1: each node's size is its own: an inner node of the same name hid the outer's 200 kB
    big = '"' + "x" * 200_000 + '"'
    text = f"a: &x [&x {big}, 0]\n" + "".join(f"k{i}: *x\n" for i in range(10))
    (problem,) = load(text, "x")[1]
    assert problem.message == "aliases repeat more than 1,000,000 characters of text; not expanded"


def test_a_key_repeated_by_an_alias_is_reported_at_the_alias():
    # hunt 86 F3: reported on the anchor's line, "already defined on line 1" on line 1
    doc, problems = load("&k a: 1\nb: 2\n*k : 3\n", "x")
    assert doc is not None and doc.data == {"a": 3, "b": 2}
    assert [(p.code, p.message, p.span) for p in problems] == [
        ("NX002", 'key "a" is already defined on line 1', Span(3, 1, 3, 3))
    ]
    # hunt 88 F6: the first copy written by an alias is defined at the alias, not at its anchor
    doc, problems = load("k: &k path\nm:\n  *k : /\n  path: /api\n", "x")
    assert [(p.code, p.message, p.span.line) for p in problems] == [
        ("NX002", 'key "path" is already defined on line 3', 4)
    ]


def test_aliases_as_keys_count_the_text_they_repeat():
    # hunt 88 F4: 4,000 alias keys of a 200 kB string took 23 s and 3.2 GB, uncounted
    text = "a: &a " + "x" * 200_000 + "\nb:\n" + "".join(f"  - *a : {i}\n" for i in range(10))
    doc, (problem,) = load(text, "x")
    assert doc is None and problem.message == "aliases repeat more than 1,000,000 characters of text; not expanded"
    assert problem.span.line == 8  # the sixth alias key: five repeat 1,000,000 characters
