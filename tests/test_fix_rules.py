"""The fixes the rules build (issue 18): exact text before and after, CRLF, BOM, tabs and flow
style kept, no new error, the finding gone, nothing left to do on a second run; and no fix where
the source form makes an exact edit impossible."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nexlayer_lint.fixes import fix_all, makes_worse
from nexlayer_lint.model import Diagnostic, Fix
from tests.conftest import CLEAN, ROOT, lint_diags

# which fixes a test applies, as fix_all's `wanted` takes them
SAFE: Callable[[Fix], bool] = lambda fix: fix.applicability == "safe"  # noqa: E731 - a named predicate, like ANY
ANY: Callable[[Fix], bool] = lambda fix: True  # noqa: E731 - a named predicate, like SAFE


def only(code: str) -> Callable[[str], list[Diagnostic]]:
    """Lint, keeping only the fixes of `code`'s findings."""
    return lambda text: [d if d.code == code else d._replace(fix=None) for d in lint_diags(text)]


def assert_fix(before: str, after: str, code: str, unsafe: bool = False) -> None:
    """`code`'s fixes turn `before` into `after` exactly, with the applicability said, no new
    error, the finding gone, and nothing more to do."""
    diagnose = only(code)
    offered = [d.fix for d in diagnose(before) if d.code == code and d.fix is not None]
    assert offered, f"no fix for {code}"
    assert {fix.applicability for fix in offered} == {"unsafe" if unsafe else "safe"}
    result = fix_all(before, diagnose, ANY if unsafe else SAFE)
    assert result.text == after
    assert result.rejected == ()
    assert not makes_worse(lint_diags(before), lint_diags(after))
    assert code not in [d.code for d in lint_diags(after)]
    assert fix_all(after, diagnose, ANY).applied == ()


def assert_no_fix(text: str, code: str) -> None:
    found = [d for d in lint_diags(text) if d.code == code]
    assert found, f"{code} is not reported"
    assert [d.fix for d in found] == [None] * len(found)


def pod(*lines: str, name: str = "web", path: bool = True, ports: str = "[80]") -> str:
    """A one-pod file; `lines` go at the pod's indentation after servicePorts."""
    head = f"application:\n  name: shop\n  pods:\n    - name: {name}\n      image: nginx:1.27\n"
    head += "      path: /\n" if path else ""
    return head + f"      servicePorts: {ports}\n" + "".join(f"      {line}\n" for line in lines)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# --- NX005 -----------------------------------------------------------------------------------


def test_nx005_quotes_keeping_tabs_comments_and_other_values() -> None:
    before = pod("vars:", "  DEBUG:\tyes  # on", '  NOTE: "a\tb"', "  MODE: off")
    after = pod("vars:", '  DEBUG:\t"yes"  # on', '  NOTE: "a\tb"', '  MODE: "off"')
    assert_fix(before, after, "NX005")


def test_nx005_keeps_crlf_and_a_bom() -> None:
    before = "\ufeff" + crlf(pod("vars:", "  DEBUG: yes", "  ALARM: 1:30"))
    after = "\ufeff" + crlf(pod("vars:", '  DEBUG: "yes"', '  ALARM: "1:30"'))
    assert_fix(before, after, "NX005")


def test_nx005_uses_the_quote_the_file_uses_most() -> None:
    before = pod("vars:", "  A: 'x'", "  B: 'y'", '  C: "z"', "  DEBUG: on")
    assert_fix(before, before.replace("DEBUG: on", "DEBUG: 'on'"), "NX005")


def test_nx005_in_a_flow_mapping() -> None:
    before = pod("vars: {DEBUG: yes, MODE: n, NAME: x}")
    assert_fix(before, pod('vars: {DEBUG: "yes", MODE: "n", NAME: x}'), "NX005")


def test_nx005_drops_a_ports_leading_zeros() -> None:
    assert_fix(pod(ports="[080, 0443]"), pod(ports="[80, 443]"), "NX005")
    # the verdict hunt of the fifth stop: as YAML 1.2 reads them, never quoted into text
    assert_fix(pod(ports="[081, +083, 0082]"), pod(ports="[81, 83, 82]"), "NX005")
    # hunt 21: YAML 1.2's octal, text to YAML 1.1, in decimal
    assert_fix(pod(ports="[0o17, 8080]"), pod(ports="[15, 8080]"), "NX005")


def test_nx005_writes_a_yaml_11_port_in_decimal() -> None:
    # hunt 28 F5: `8_0` and `0b1010` are text to YAML 1.2, so NX103, which explains the NX005; but
    # numbers to YAML 1.1: with NX103 off, NX005's fix writes the port YAML 1.1 reads in decimal
    text = pod(ports="[8_0, 0b1111101000, +1_0, 0_755, 9_999_999]")
    assert [(d.code, d.col) for d in lint_diags(text) if d.code in ("NX005", "NX103")] == [
        ("NX103", 22),
        ("NX103", 27),
        ("NX103", 41),
        ("NX103", 47),
        ("NX103", 54),
    ]
    found = [d for d in lint_diags(text, ignore=("NX103",)) if d.code == "NX005"]
    assert [(d.col, d.fix and [(e.span.col, e.span.end_col, e.text) for e in d.fix.edits]) for d in found] == [
        (22, [(22, 25, "80")]),
        (27, [(27, 39, "1000")]),
        (41, [(41, 45, "10")]),
        (47, None),  # octal to YAML 1.1: which port was meant is not clear
        (54, None),  # no port
    ]
    assert {d.fix.title for d in found if d.fix} == {"Write the port in decimal"}


def test_nx005_has_no_fix_for_a_base_60_port() -> None:
    # hunt 87 F6: `1:30` was quoted, a string port still; YAML 1.1's 90 is as unlikely as meant
    found = [d for d in lint_diags(pod(ports="[1:30, 80:30]"), ignore=("NX103",)) if d.code == "NX005"]
    assert [(d.col, d.fix) for d in found] == [(22, None), (28, None)]


def test_nx005_writes_a_port_with_an_exponent_in_decimal() -> None:
    # hunt 42 F4: `8e1` is the port 80 to YAML 1.2, and text to YAML 1.1
    found = [d for d in lint_diags(pod(ports="[8e1, 0.8e2]")) if d.code == "NX005"]
    assert [(d.col, d.fix and [(e.span.col, e.span.end_col, e.text) for e in d.fix.edits]) for d in found] == [
        (22, [(22, 25, "80")]),
        (27, [(27, 32, "80")]),
    ]


def test_nx005_port_fix_beside_an_nx103_fix_adds_no_error() -> None:
    # the verdict hunt of the fifth stop: a quoted port and an unquoted var, fixed in one run
    text = pod("vars:", "  WORKERS: 4", ports="[081]")
    fixed = fix_all(text, lint_diags)
    assert fixed.text == pod("vars:", '  WORKERS: "4"', ports="[81]")
    assert fixed.rejected == ()
    assert [d.code for d in lint_diags(fixed.text)] == []


def _lints_to_fix(text: str, pods: int) -> int:
    """How many lints fix_all takes on `text`, checking that it applies one fix per pod, refusing none."""
    lints = []

    def diagnose(source: str) -> list:
        lints.append(source)
        return lint_diags(source)

    fixed = fix_all(text, diagnose)
    assert len(fixed.applied) == pods and fixed.rejected == ()
    return len(lints)


def _pods_with_list_vars(count: int, extra: str = "") -> str:
    """`count` pods, each with vars as a list (NX216's safe fix moves the lines below it)."""
    return "application:\n  name: shop\n  pods:\n" + "".join(
        f"    - name: p{i}\n      image: nginx:1.27\n      path: /p{i}\n      servicePorts: [80]\n"
        f"      vars:\n        - key: A\n          value: x\n{extra}"
        for i in range(count)
    )


def test_a_pass_of_good_fixes_that_moves_a_quoted_line_number_is_one_lint() -> None:
    # hunt 104 F6: NX211 says "already used by pod "p0" on line 14"; NX216's fix above moved that
    # line, so each pass looked harmful and was sorted out one fix at a time (2 lints per fix)
    volume = "      volumes:\n        - name: v\n          size: 1Gi\n          mountPath: /v\n"
    assert _lints_to_fix(_pods_with_list_vars(20, volume), 20) <= 4  # a lint, a pass, a lint to see nothing is left


def test_a_fix_that_adds_an_unused_suppression_is_refused_though_another_goes() -> None:
    # hunt 105 F2: with line numbers blanked, the new NX099 on line 9 looked like the one on
    # line 12 that the same pass removed, and the user's comment on line 9 was deleted next
    text = pod("vars:", "  WORKERS: 0755  # nexlayer-lint: disable=NX103", "  B: x  # nexlayer-lint: disable=NX213")
    fixed = fix_all(text, lint_diags)
    assert "WORKERS: 0755  # nexlayer-lint: disable=NX103" in fixed.text
    assert [fix.title for fix in fixed.rejected] == ["Quote the value so every YAML version reads it as text"]


def test_a_fix_that_makes_a_used_suppression_unused_is_refused_whatever_the_words() -> None:
    # hunt 106 F2: the new NX099 ("nothing on line 9 reports NX103") had the very words of the one
    # the same pass removed, and the used comment above was deleted in the next pass
    text = (
        CLEAN
        + "      # nexlayer-lint: disable=NX103\n      vars: {WORKERS: 0755, B: x}  # nexlayer-lint: disable=NX103\n"
    )
    fixed = fix_all(text, lint_diags)
    assert "      # nexlayer-lint: disable=NX103\n      vars: {WORKERS: 0755, B: x}\n" in fixed.text
    assert [fix.title for fix in fixed.rejected] == ["Quote the value so every YAML version reads it as text"]


def test_a_repeated_key_s_quoted_line_moved_by_good_fixes_is_the_same_error() -> None:
    # hunt 106 F1: NX002 says "already defined on line N"; fixes above moved that line, so each
    # pass looked harmful and was sorted out one fix at a time (150 pods left 22 fixes undone)
    text = _pods_with_list_vars(20) + "    - name: last\n      image: a:1\n      image: a:1\n"
    assert _lints_to_fix(text, 20) <= 4


def test_the_line_after_a_removed_directive_is_moved_not_replaced() -> None:
    # hunt 108 F2: removing a whole line (an unused directive) ends at the next line's first
    # column; that line was taken for one the edit replaced, so its NX002 looked new, and a pass
    # of good fixes was sorted out one fix at a time (200 pods spent the 256 lints, 274 undone)
    extra = '        DEBUG: yes\n        # nexlayer-lint: disable=NX215\n        A: "1"\n        A: "2"\n'
    text = "application:\n  name: shop\n  pods:\n" + "".join(
        f"    - name: p{i}\n      image: nginx:1.27\n      path: /p{i}\n      servicePorts: [80]\n      vars:\n{extra}"
        for i in range(20)
    )
    assert _lints_to_fix(text, 40) <= 4


def test_nx005_no_fix_through_an_anchor_or_a_tag() -> None:
    assert_no_fix(pod("vars:", "  DEBUG: &flag yes", "  VERBOSE: *flag"), "NX005")


def test_nx005_quotes_a_secret_without_echoing_it() -> None:
    text = pod("vars:", "  API_TOKEN: 0123456789")
    (nx103,) = [d for d in lint_diags(text) if d.code == "NX103"]  # a number where text is needed
    assert nx103.fix is not None and all(edit.text == '"' for edit in nx103.fix.edits)
    assert_fix(text, pod("vars:", '  API_TOKEN: "0123456789"'), "NX103")


# --- NX101, NX102 ----------------------------------------------------------------------------


def test_rename_keeps_the_keys_quotes_and_crlf() -> None:
    before = crlf(pod('"Path": /api', path=False).replace("servicePorts", "servicePort"))
    after = crlf(pod('"path": /api', path=False))
    assert_fix(before, after.replace("servicePorts", "servicePort"), "NX102")
    assert_fix(before, before.replace("servicePort:", "servicePorts:"), "NX101")


def test_rename_is_no_fix_when_the_key_is_there_already() -> None:
    assert_no_fix(pod("Path: /api"), "NX102")


def test_rename_is_no_fix_when_the_value_is_wrong_under_the_new_name() -> None:
    # `vars:` with Kubernetes' items would trade this warning for an error
    assert_no_fix(pod("env:", "  - name: MODE", "    value: production"), "NX102")
    assert_fix(pod("env:", "  MODE: production"), pod("vars:", "  MODE: production"), "NX102")


# --- NX103 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ports", "fixed"),
    [
        ("80", "[80]"),
        ('"80"', "[80]"),
        ("'80'  # web", "[80]  # web"),
        ("[\"80\", '443']", "[80, 443]"),
        ("0080  # web", "[80]  # web"),  # as the port's number: `[0080]` would be an NX005 (hunt 243 F3)
    ],
)
def test_nx103_ports(ports: str, fixed: str) -> None:
    assert_fix(pod(ports=ports), pod(ports=fixed), "NX103")


def test_nx103_ports_in_a_flow_pod() -> None:
    before = "application:\n  name: shop\n  pods:\n    - {name: web, image: nginx, path: /, servicePorts: 80}\n"
    assert_fix(before, before.replace("servicePorts: 80", "servicePorts: [80]"), "NX103")


def test_nx103_quotes_numbers_and_booleans_as_written() -> None:
    before = crlf(pod("vars:", "  WORKERS: 4", "  VERSION: 1.10 # not 1.1", "  DEBUG: true", "  RATIO: 1e3"))
    after = crlf(pod("vars:", '  WORKERS: "4"', '  VERSION: "1.10" # not 1.1', '  DEBUG: "true"', '  RATIO: "1e3"'))
    assert_fix(before, after, "NX103")


def test_nx103_in_the_list_form_of_vars() -> None:
    before = pod("vars:", "  - key: WORKERS", "    value: 4")
    assert_fix(before, before.replace("value: 4", 'value: "4"'), "NX103")


@pytest.mark.parametrize("value", ["", "~", "&n 4", "!!int 4", "[npm, start]"])
def test_nx103_no_fix(value: str) -> None:
    assert_no_fix(pod("vars:", f"  WORKERS: {value}"), "NX103")


def test_nx103_no_fix_that_only_trades_the_finding_for_another() -> None:
    assert_no_fix(pod(ports="99999"), "NX103")  # a list of it is still no port
    assert_no_fix(pod(ports='["0"]'), "NX103")
    volume = pod("volumes:", "  - name: data", "    size: 1e3", "    mountPath: /data")
    assert_no_fix(volume, "NX103")  # "1e3" is no size


# --- NX104 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fixed"),
    [
        ("api", "/api"),
        ("'api/v1'", "'/api/v1'"),
        ('"api" # back', '"/api" # back'),
    ],
)
def test_nx104_adds_the_leading_slash(path: str, fixed: str) -> None:
    assert_fix(pod(f"path: {path}", path=False), pod(f"path: {fixed}", path=False), "NX104")


def test_nx104_writes_a_block_scalar_on_one_line() -> None:
    before = crlf(
        "application:\n  name: |  # the URL\n    shop\n\n  pods:\n    - name: >\n        web\n"
        "      image: |+\n        nginx:1.27\n\n      path: /\n      servicePorts: [80]\n"
    )
    after = crlf(
        "application:\n  name: shop  # the URL\n\n  pods:\n    - name: web\n"
        "      image: nginx:1.27\n\n      path: /\n      servicePorts: [80]\n"
    )
    assert_fix(before, after, "NX104")


@pytest.mark.parametrize("block", ["|\n    Shop\n", "|\n    shop\n    more\n", "|2\n     shop\n", '|\n    "shop"\n'])
def test_nx104_no_one_line_fix_when_the_line_is_not_the_value(block: str) -> None:
    text = CLEAN.replace("name: shop\n", f"name: {block}", 1)
    found = [d for d in lint_diags(text) if d.code == "NX104"]
    assert found and not any(d.fix and d.fix.title.startswith("Write the value on one line") for d in found)


def test_nx104_no_one_line_fix_that_would_write_out_a_secret_in_its_comment() -> None:
    # hunt 150 F2: the header's comment went into the edit, its password with it, which the
    # quick fix, Fix all and the JSON and SARIF reports printed
    text = CLEAN.replace("name: shop\n", "name: |  # was postgres://app:Zq7Hdr1Secret@db/app\n    shop\n", 1)
    found = [d for d in lint_diags(text) if d.code == "NX104"]
    assert found and not any(d.fix and d.fix.title.startswith("Write the value on one line") for d in found)


def test_nx104_renames_the_application_in_its_quotes() -> None:
    before = CLEAN.replace("name: shop", 'name: "Book Shop"  # the URL', 1)
    assert_fix(before, CLEAN.replace("name: shop", 'name: "book-shop"  # the URL', 1), "NX104", unsafe=True)


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("Acme.Shop", "acme.shop"),  # hunt 100 F4: dots are allowed; it was acme-shop
        ("Café-App", "cafe-app"),  # the accent dropped, not the letter (caf-app)
        ("Acme Shop.IO", "acme-shop.io"),
    ],
)
def test_nx104_suggests_the_least_change_to_the_application_name(name: str, suggested: str) -> None:
    [found] = [d for d in lint_diags(CLEAN.replace("name: shop", f"name: {name}", 1)) if d.code == "NX104"]
    assert found.hint == f'did you mean "{suggested}"?'
    before, after = (CLEAN.replace("name: shop", f"name: {written}", 1) for written in (name, suggested))
    assert_fix(before, after, "NX104", unsafe=True)


def test_nx104_renames_a_pod_and_every_reference_to_it() -> None:
    before = (
        "application:\n  name: shop\n  pods:\n    - name: API\n      image: ghcr.io/acme/api:1.0\n"
        "      servicePorts: [8000]\n    - name: web\n      image: nginx:1.27\n      path: /\n"
        "      servicePorts: [80]\n      vars:\n        A: http://API.pod:8000/v1\n"
        "        B: 'api.pod and shop-API.pod:8000'\n        C: ${api:8000}\n"
    )
    after = before.replace("API", "api")
    assert_fix(before, after, "NX104", unsafe=True)
    (nx104,) = [d for d in lint_diags(before) if d.code == "NX104"]
    assert nx104.fix is not None and nx104.fix.title == 'Rename the pod to "api", and the 2 references to it'


def test_nx104_pod_rename_leaves_a_password_that_reads_as_a_reference() -> None:
    # hunt 27 F7: a fix never changes a secret, and --diff stars it on both sides (unseen)
    before = (
        "application:\n  name: shop\n  pods:\n    - name: Db\n      image: postgres:16\n      path: /\n"
        "      servicePorts: [5432]\n      vars:\n        DATABASE_URL: postgres://app:Db.pod@Db.pod:5432/x\n"
    )
    after = before.replace("name: Db", "name: db").replace("@Db.pod", "@db.pod")
    assert_fix(before, after, "NX104", unsafe=True)
    (nx104,) = [d for d in lint_diags(before) if d.code == "NX104"]
    assert nx104.fix is not None and nx104.fix.title == 'Rename the pod to "db", and the 1 reference to it'


def test_nx104_no_pod_rename_past_a_reference_the_checks_do_not_read() -> None:
    # hunt 51 F1: `${Web:80}` and `my_web.pod` were left naming the old pod, and NX208 then said
    # nothing of them: with such a reference there is no rename
    for name, refs in (
        ("Web", "        A: http://Web.pod:80\n        B: ${Web:80}/x\n"),
        ("my_web", "        A: http://my_web.pod:80\n"),
    ):
        text = CLEAN.replace("name: web", f"name: {name}") + "      vars:\n" + refs
        assert_no_fix(text, "NX104")
    plain = CLEAN.replace("name: web", "name: Web") + "      vars:\n        A: http://Web.pod:80\n"
    (nx104,) = [d for d in lint_diags(plain) if d.code == "NX104"]
    assert nx104.fix is not None and nx104.fix.title == 'Rename the pod to "web", and the 1 reference to it'


def test_the_names_written_as_references_are_read_in_one_pass() -> None:
    # hunt 52 F1: each `.pod` of `.pod.pod...` read 253 characters back, 30 s for 4.9 MB: a name
    # is read back no further than the last `.pod`, so every character is read once
    from nexlayer_lint.schema_fixes import _written_names

    assert _written_names("a.pod.pod ${b:1} ${c} ${d") == {"a": 1, "": 1, "b": 1, "c": 1}
    assert _written_names(".pod" * 100_000) == {"": 100_000}


def test_nx104_no_pod_rename_onto_another_pod_or_past_an_escaped_reference() -> None:
    two = "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
    taken = CLEAN + two.replace("name: web", "name: Web").replace("      path: /\n", "")
    assert_no_fix(taken, "NX104")
    escaped = CLEAN.replace("name: web", "name: Web") + '      vars:\n        A: "http://Web.pod\\t"\n'
    assert_no_fix(escaped, "NX104")
    # hunt 223 F1: a reference the checks do not read, written with an escape, was renamed past
    # hunt 224 F1: and over lines
    for value in (
        '"\\x24{my_web:80}"',
        '"\\u0024{my_web:80}"',
        '"http://my_w\\x65b.pod:80"',
        '"\\x24{my_web:80} and\n          more"',
        '"http://my_web\\\n          .pod:80"',
    ):
        assert_no_fix(CLEAN.replace("name: web", "name: my_web") + f"      vars:\n        A: {value}\n", "NX104")
    # an escape elsewhere takes nothing from a rename that renames every reference
    plain = CLEAN.replace("name: web", "name: Web") + '      vars:\n        A: http://Web.pod:80\n        B: "a\\tb"\n'
    (nx104,) = [d for d in lint_diags(plain) if d.code == "NX104"]
    assert nx104.fix is not None and nx104.fix.title == 'Rename the pod to "web", and the 1 reference to it'


@pytest.mark.parametrize(
    ("size", "fixed", "unsafe"),
    [
        ("1.5Gi", "1536Mi", False),
        ("1Ti", "1024Gi", False),
        ("2GiB", "2Gi", False),
        ("2GB", "2Gi", True),
        ("2G", "2Gi", True),
        ("500M", "500Mi", True),
        ("0.5G", "512Mi", True),
        ("'2GB'", "'2Gi'", True),
    ],
)
def test_nx104_sizes(size: str, fixed: str, unsafe: bool) -> None:
    volume = "volumes:", "  - name: data", "    size: {}", "    mountPath: /data"
    before = pod(*(line.format(size) for line in volume))
    assert_fix(before, pod(*(line.format(fixed) for line in volume)), "NX104", unsafe=unsafe)


# --- NX201 -----------------------------------------------------------------------------------

API = "    - name: api\n      image: ghcr.io/acme/api:1.0\n      servicePorts: [8000]\n"
DB = "    - name: db\n      image: postgres:16\n      servicePorts: [5432]\n"


def _pods(*pods: str) -> str:
    return "application:\n  name: shop\n  pods:\n" + "".join(pods)


@pytest.mark.parametrize(
    "front",
    [
        "    - name: web\n      image: ghcr.io/acme/site:1.0\n      servicePorts: [80]\n",
        "    - name: shop-ui\n      image: ghcr.io/acme/site:1.0\n      servicePorts: [80]\n",
        "    - name: proxy\n      image: nginx:1.27\n      servicePorts: [80]\n",
    ],
)
def test_nx201_adds_the_path_to_the_front_end(front: str) -> None:
    before = crlf(_pods(API, front, DB))
    after = crlf(_pods(API, front.replace("servicePorts", "path: /\n      servicePorts"), DB))
    assert_fix(before, after, "NX201", unsafe=True)


def test_nx201_the_only_pod_even_in_flow_style_or_without_a_final_line_break() -> None:
    flow = "application:\n  name: shop\n  pods:\n    - {name: api, image: ghcr.io/acme/api, servicePorts: [80]}\n"
    assert_fix(flow, flow.replace("{name", "{path: /, name"), "NX201", unsafe=True)
    last = "application:\n  name: shop\n  pods:\n    - name: api\n      servicePorts: [80]\n      image: nginx"
    assert_fix(last, last + "\n      path: /", "NX201", unsafe=True)


def test_nx201_goes_before_servicePorts_not_inside_a_quoted_value_whose_line_starts_with_a_hash() -> None:
    # hunt 58 F1: that line was taken for a comment above servicePorts, and `path: /` went into
    # the image's value, ten passes over; a real comment above servicePorts stays with it
    quoted = '    - name: web\n      image: "nginx:1.27\n      #x"\n      servicePorts: [80]\n'
    assert_fix(
        _pods(quoted),
        _pods(quoted.replace("      servicePorts", "      path: /\n      servicePorts")),
        "NX201",
        unsafe=True,
    )
    commented = '    - name: web\n      image: "nginx:1.27\n        x"\n      # web\n      servicePorts: [80]\n'
    fixed = commented.replace("      # web", "      path: /\n      # web")
    assert_fix(_pods(commented), _pods(fixed), "NX201", unsafe=True)


def test_nx201_no_fix_when_no_pod_looks_like_the_front_end() -> None:
    assert_no_fix(_pods(API, DB), "NX201")


# --- NX202 -----------------------------------------------------------------------------------

MOUNT = "volumes:", "  - name: pgdata", "    size: 1Gi", "    mountPath: /var/lib/postgresql/data"
MOVED = "volumes:", "  - name: pgdata", "    size: 1Gi", "    mountPath: /var/lib/postgresql"


def _db(*lines: str) -> str:
    return (
        CLEAN
        + "    - name: db\n      image: postgres:16\n      servicePorts: [5432]\n"
        + "".join(f"      {line}\n" for line in lines)
    )


@pytest.mark.parametrize(
    ("vars_before", "vars_after"),
    [
        ((), ("vars:", "  PGDATA: /var/lib/postgresql/data/pgdata")),
        (
            ("vars:", "  POSTGRES_DB: shop  # the db"),
            ("vars:", "  PGDATA: /var/lib/postgresql/data/pgdata", "  POSTGRES_DB: shop  # the db"),
        ),
        (
            ("vars:", "  - value: shop", "    key: POSTGRES_DB"),
            (
                "vars:",
                "  - value: /var/lib/postgresql/data/pgdata",
                "    key: PGDATA",
                "  - value: shop",
                "    key: POSTGRES_DB",
            ),
        ),
        (("vars: {POSTGRES_DB: shop}",), ("vars: {PGDATA: /var/lib/postgresql/data/pgdata, POSTGRES_DB: shop}",)),
        (  # hunt 27 F8: no blank left at the end of the `{` line
            ("vars: {", "  POSTGRES_DB: shop,", "}"),
            ("vars: {PGDATA: /var/lib/postgresql/data/pgdata,", "  POSTGRES_DB: shop,", "}"),
        ),
        (("vars:", "  PGDATA: /var/lib/postgresql/data"), ("vars:", "  PGDATA: /var/lib/postgresql/data")),
        # hunt 87 F1: a PGDATA beside the volume, inside /var/lib/postgresql: only the mount moves
        (("vars:", "  PGDATA: /var/lib/postgresql/pgdata"), ("vars:", "  PGDATA: /var/lib/postgresql/pgdata")),
        (  # hunt 56 F4: above the comments about the first var (a directive governs the line after it)
            ("vars:", "  # the password", "  # nexlayer-lint: disable=NX213", "  POSTGRES_PASSWORD: hunter2x"),
            (
                "vars:",
                "  PGDATA: /var/lib/postgresql/data/pgdata",
                "  # the password",
                "  # nexlayer-lint: disable=NX213",
                "  POSTGRES_PASSWORD: hunter2x",
            ),
        ),
    ],
)
def test_nx202_moves_the_mount_and_sets_pgdata(vars_before: tuple[str, ...], vars_after: tuple[str, ...]) -> None:
    before = crlf(_db(*vars_before, *MOUNT))
    after = crlf(_db(*vars_after, *MOVED))
    assert_fix(before, after, "NX202", unsafe=True)


def test_nx202_follows_the_files_indentation_and_a_flow_pod() -> None:
    before = (
        "application:\n    name: shop\n    pods:\n        -   name: db\n            image: postgres:16\n"
        "            path: /\n            servicePorts: [5432]\n            volumes:\n"
        "                - {name: pgdata, size: 1Gi, mountPath: /var/lib/postgresql/data}\n"
    )
    pgdata = "            vars:\n                PGDATA: /var/lib/postgresql/data/pgdata\n"
    after = before.replace("            volumes:", pgdata + "            volumes:").replace("/data}", "}")
    assert_fix(before, after, "NX202", unsafe=True)
    flow = (
        CLEAN + "    - {name: db, image: postgres, servicePorts: [5432], volumes: [{name: d, size: 1Gi, "
        "mountPath: /var/lib/postgresql/data}]}\n"
    )
    assert_fix(
        flow,
        flow.replace("{name: db", "{vars: {PGDATA: /var/lib/postgresql/data/pgdata}, name: db").replace("/data}", "}"),
        "NX202",
        unsafe=True,
    )


@pytest.mark.parametrize(
    "text",
    [
        _db("vars:", "  PGDATA: /pgdata", *MOUNT),  # PGDATA elsewhere: what was meant is unclear
        _db("vars:", "  PGDATA: /var/lib/postgresql/data/pgdata", *MOUNT),  # the warning: that pod works
        _db(*MOUNT, "  - name: two", "    size: 1Gi", "    mountPath: /var/lib/postgresql/data/"),
    ],
)
def test_nx202_no_fix(text: str) -> None:
    assert_no_fix(text, "NX202")


# --- NX203, NX208 ----------------------------------------------------------------------------

LOGIN = "  registryLogin:\n    registry: ghcr.io\n    username: acme\n    personalAccessToken: ${TOKEN}\n"


@pytest.mark.parametrize(
    ("image", "fixed"),
    [
        ("ghcr.io/acme/web:1.0", "<% REGISTRY %>/acme/web:1.0"),
        ("'GHCR.io/acme/web:1.0' # mine", "'<% REGISTRY %>/acme/web:1.0' # mine"),
    ],
)
def test_nx203_writes_the_registry_template(image: str, fixed: str) -> None:
    before = crlf(CLEAN.replace("  pods:\n", LOGIN + "  pods:\n").replace("nginx:1.27", image))
    assert_fix(before, before.replace(image, fixed), "NX203")


def test_nx203_in_a_flow_pod_and_no_fix_past_an_escape() -> None:
    flow = (
        "application:\n  name: shop\n"
        + LOGIN
        + '  pods: [{name: web, image: "ghcr.io/acme/web:1.0", path: /, servicePorts: [80]}]\n'
    )
    assert_fix(flow, flow.replace("ghcr.io/acme", "<% REGISTRY %>/acme"), "NX203")
    escaped = CLEAN.replace("  pods:\n", LOGIN + "  pods:\n").replace("nginx:1.27", '"ghcr.io/acme/web:1.\\x30"')
    assert_no_fix(escaped, "NX203")


def test_nx203_with_a_port_is_unsafe() -> None:
    # the port would live only in registryLogin's registry, which Nexlayer refuses with one (NX104)
    login = LOGIN.replace("registry: ghcr.io", "registry: localhost:5000")
    before = CLEAN.replace("  pods:\n", login + "  pods:\n").replace("nginx:1.27", "localhost:5000/acme/web:1.0")
    assert_fix(before, before.replace("localhost:5000/acme", "<% REGISTRY %>/acme"), "NX203", unsafe=True)
    # hunt 224 F2: HTTPS's own port names the same registry, and the login's `registry` needs none
    https = CLEAN.replace("  pods:\n", LOGIN + "  pods:\n").replace("nginx:1.27", "ghcr.io:443/acme/web:1.0")
    assert_fix(https, https.replace("ghcr.io:443/acme", "<% REGISTRY %>/acme"), "NX203")


def test_nx208_refers_to_the_did_you_mean_pod() -> None:
    before = crlf(
        _pods(
            API.replace("api", "backend", 1),
            pod().split("  pods:\n")[1]
            + '      vars:\n        A: "http://bakend.pod:8000"\n        B: ${bakend:8000}\n'
            + "        C: postgresql://u:hunter2@bakend.pod/x\n",
        )
    )
    assert_fix(before, before.replace("bakend", "backend"), "NX208", unsafe=True)
    assert "hunter2" not in repr([d.fix for d in lint_diags(before)])


def test_nx208_no_fix_without_a_close_pod() -> None:
    assert_no_fix(pod("vars:", "  A: http://zzz.pod"), "NX208")


def test_nx208_no_fix_to_a_pod_whose_name_is_no_host_name() -> None:
    # hunt 31 F2: a flow name over two lines is `m ongo`; the fix wrote `m mongo.pod`, which
    # refers to pod `ongo` again, and each --fix added `m ` once more
    text = pod("vars:", "  A: mongodb://mongo.pod:27017/x") + "    - {name: m\n        ongo, servicePorts: [27017]}\n"
    assert_no_fix(text, "NX208")


# --- NX216 -----------------------------------------------------------------------------------


def test_nx216_value_first_indentless_items_and_secrets_never_in_the_edits() -> None:
    before = crlf(
        pod(
            "vars:",
            "- value: hunter2 # rotate",
            "  key: DB_PASSWORD  # the db",
            "- key: 'MODE'",
            "  value: >",
            "    long",
            "    text",
        )
    )
    # the name's comment goes above its var, as after `key:` first: below it, a directive would
    # govern the next var (hunt 90 F1)
    after = crlf(pod("vars:", "  # the db", "  DB_PASSWORD: hunter2 # rotate", "  'MODE': >", "    long", "    text"))
    assert_fix(before, after, "NX216")
    (nx216,) = [d for d in lint_diags(before) if d.code == "NX216"]
    assert nx216.fix is not None and "hunter2" not in repr(nx216.fix)


def test_nx216_keeps_a_directive_with_its_var_when_value_comes_first() -> None:
    # hunt 90 F1: the directive went below its var, and then silenced the next var's NX219
    before = pod(
        "vars:",
        "  - value: single-node",
        "    key: discovery.type # nexlayer-lint: disable=NX219",
        "  - key: plugins.security.disabled",
        '    value: "true"',
    )
    after = pod(
        "vars:",
        "  # nexlayer-lint: disable=NX219",
        "  discovery.type: single-node",
        '  plugins.security.disabled: "true"',
    )
    assert_fix(before, after, "NX216")
    assert [(d.code, d.line) for d in lint_diags(after) if d.code == "NX219"] == [("NX219", after.count("\n"))]


def test_nx216_a_hash_after_a_no_break_space_stays_in_the_name() -> None:
    # found by fuzzing: `#` after a no-break space was taken for a comment, and the fix wrote it
    # out again on a line of its own
    before = pod("vars:", "  - key: GREETING\xa0#x", "    value: hello")
    assert_fix(before, pod("vars:", "  GREETING\xa0#x: hello"), "NX216")


def test_nx216_flow_lists() -> None:
    assert_fix(pod("vars: [{key: A, value: 'b, c'}, {key: D, value: e }]"), pod("vars: {A: 'b, c', D: e}"), "NX216")
    assert_fix(pod("vars: []"), pod("vars: {}"), "NX216")


def test_nx216_no_last_line_break() -> None:
    before = pod("vars:", "  - value: b", "    key: A").rstrip("\n")
    assert_fix(before, pod("vars:", "  A: b").rstrip("\n"), "NX216")


@pytest.mark.parametrize(
    "items",
    [
        ("  - key: A", "    value: b", "  - key: A", "    value: c"),  # a repeated name
        ("  - {key: A, value: b}",),  # a flow item in a block list
        ("  - key: &k A", "    value: b"),  # an anchor
        ("  - key: A", "    value: b", "    value: c"),  # a repeated key: the earlier value's line would stay
    ],
)
def test_nx216_no_fix(items: tuple[str, ...]) -> None:
    assert_no_fix(pod("vars:", *items), "NX216")


# --- NX099 -----------------------------------------------------------------------------------


def test_nx099_removes_what_suppresses_nothing() -> None:
    before = crlf(
        "# nexlayer-lint: disable-file=NX213\n"
        + pod()
        .replace("      image: nginx:1.27\n", "      # nexlayer-lint: disable=NX215, NX005,NX104\n      image: nginx\n")
        .replace("path: /", "path: /\t# nexlayer-lint: disable=NX210 # why")
        + "# nexlayer-lint: disable=NX215"
    )
    kept = "      # nexlayer-lint: disable=NX215\n      image: nginx\n"
    after = crlf(pod().replace("      image: nginx:1.27\n", kept).replace("path: /", "path: /\t# why"))
    assert_fix(before, after, "NX099")


@pytest.mark.parametrize("header", ["|+", ">+", "|2+"])
def test_nx099_keeps_a_directive_that_ends_a_kept_block_scalar(header: str) -> None:
    # hunt 56 F1: without the comment the blank line after it joined `command`'s value
    text = pod(f"command: {header}", "  echo a", "# nexlayer-lint: disable=NX213", "", "vars: {A: b}")
    assert_no_fix(text.replace("      # nexlayer-lint", "# nexlayer-lint"), "NX099")
    assert_no_fix(pod(f"command: {header}", "  echo a") + "# nexlayer-lint: disable=NX213\n\n", "NX099")
    # `|-` and `|` drop or clip the blank lines: the comment goes, the value stays
    fixed = pod("command: |-", "  echo a") + "\n" + "      vars: {A: b}\n"
    assert_fix(fixed.replace("a\n\n", "a\n# nexlayer-lint: disable=NX213\n\n"), fixed, "NX099")


def test_nx099_removes_a_directive_that_names_no_code() -> None:
    assert_fix(pod().replace("path: /", "path: /  # nexlayer-lint: disable="), pod(), "NX099")


def test_nx099_no_fix_for_an_unknown_code() -> None:
    assert_no_fix(pod().replace("path: /", "path: / # nexlayer-lint: disable=NX2100"), "NX099")


@pytest.mark.parametrize("refused", ["N", "NX", "NX2100"])  # a blanket prefix, an unknown code
def test_nx099_removes_the_unused_code_not_one_after_a_refused_name(refused: str) -> None:
    # hunt 34 F1: the removals were counted over names that were not kept, so the unused NX104's
    # fix removed NX215, which was in use, and --fix brought NX215 back
    before = pod().replace("image: nginx:1.27", f"image: nginx  # nexlayer-lint: disable={refused},NX215,NX104")
    after = before.replace(",NX104", "")
    [fix] = [d.fix for d in lint_diags(before) if d.fix is not None]
    assert fix.title == "Remove NX104 from the suppression"
    assert fix_all(before, only("NX099"), SAFE).text == after
    assert "NX215" not in [d.code for d in lint_diags(after)]


@pytest.mark.parametrize("refused", ["NX", "NX2l3"])  # a blanket prefix, a misspelt code
def test_nx099_keeps_a_name_that_is_no_code_when_its_other_code_is_unused(refused: str) -> None:
    # hunt 111 F3: the unused NX215 was the comment's only code, so its fix removed the comment,
    # and the misspelt code with it, though its NX099 has no fix on purpose
    before = pod().replace("image: nginx:1.27", f"image: nginx:1.27  # nexlayer-lint: disable={refused},NX215")
    assert fix_all(before, only("NX099"), SAFE).text == before.replace(",NX215", "")


# --- the broken example ----------------------------------------------------------------------


def test_the_broken_example_has_nothing_fixable_left_and_keeps_its_comment() -> None:
    text = (ROOT / "examples" / "broken" / "nexlayer.yaml").read_text(encoding="utf-8")
    result = fix_all(text, lint_diags, ANY)
    assert result.rejected == ()
    left = lint_diags(result.text)
    assert [d.code for d in left if d.fix is not None] == []
    assert result.text.startswith("# The same app with the mistakes people make most.\n")
    assert not makes_worse(lint_diags(text), left)
    assert "hunter2" not in repr([d.fix for d in lint_diags(text)])
    assert fix_all(result.text, lint_diags, ANY).applied == ()


# --- properties over real and generated files --------------------------------------------------


def _comments(text: str) -> list[str]:
    """The comment texts of a file, but directives (NX099's fix removes unused ones)."""
    from nexlayer_lint.loader import load

    document, _ = load(text, "nexlayer.yaml")
    return sorted(c.text for c in document.comments if not c.text.startswith("nexlayer-lint:")) if document else []


def _check_fixed(name: str, text: str) -> str:
    result = fix_all(text, lint_diags, ANY)
    before, after = lint_diags(text), lint_diags(result.text)
    assert not makes_worse(before, after), name
    refused = set(result.rejected)
    assert [d.code for d in after if d.fix is not None and d.fix not in refused] == [], name
    assert fix_all(result.text, lint_diags, ANY).applied == (), f"{name}: a second run still fixes"
    assert _comments(result.text) == _comments(text), f"{name}: a comment was lost"
    if not result.applied:
        assert result.text == text
    return result.text


def test_every_corpus_file_fixes_clean_in_lf_crlf_and_with_a_bom() -> None:
    from tests.conftest import shared_dir

    files = sorted(shared_dir("corpus", "real").glob("*.y*ml"))
    assert len(files) > 200
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        if "\r" in text:
            continue
        fixed = _check_fixed(path.name, text)
        assert fix_all(text, lint_diags, ANY).rejected == (), path.name  # on real files, every fix holds
        assert fix_all(crlf(text), lint_diags, ANY).text == crlf(fixed), f"{path.name}: CRLF"
        assert fix_all("\ufeff" + text, lint_diags, ANY).text == "\ufeff" + fixed, f"{path.name}: BOM"


def test_generated_files_fix_without_harm() -> None:
    from tests.snapshot import generated_documents

    for name, text in generated_documents():
        _check_fixed(name, text)


def test_building_fixes_is_linear_in_the_findings() -> None:
    # 3,000 pods with six fixes each: NX104 (the name, with a reference to it, and the size),
    # NX103 (the port, a var), NX216 and NX202. A rescan of the document per finding would take minutes.
    import time

    count = 3000
    lines = ["application:", "  name: shop", "  pods:"]
    for i in range(count):
        lines += [
            f"    - name: Pod{i}",
            "      image: postgres:16",
            "      servicePorts: 80",
            "      vars:",
            f"        - key: A{i}  # note",
            f"          value: http://Pod{(i + 1) % count}.pod:80",
            f"        - key: B{i}",
            "          value: 4",
            "      volumes:",
            f"        - name: v{i}",
            "          size: 2GB",
            "          mountPath: /var/lib/postgresql/data",
        ]
    start = time.perf_counter()
    found = lint_diags("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 60  # linear: a few seconds
    assert sum(1 for d in found if d.fix is not None) == 6 * count  # NX201 has none: no pod looks public


def test_renames_that_change_a_name_another_message_quotes_are_one_pass() -> None:
    # hunt 171 F1: NX201 lists every pod by name ("pods: "Pod0", ..."); renaming them changed
    # that message, so each pass looked as if it added an error and was sorted out one rename at
    # a time (200 pods: 126 renamed in 13 s, 74 left)
    text = "application:\n  name: shop\n  pods:\n" + "".join(
        f"    - name: Pod{i}\n      image: nginx:1.27\n      servicePorts: [80]\n" for i in range(40)
    )
    lints = []

    def diagnose(source: str) -> list:
        lints.append(source)
        return lint_diags(source)

    fixed = fix_all(text, diagnose, wanted=lambda fix: fix.title.startswith("Rename the pod"))  # (not NX201's own)
    assert all(f"name: pod{i}\n" in fixed.text for i in range(40))
    assert fixed.rejected == () and len(lints) <= 4
