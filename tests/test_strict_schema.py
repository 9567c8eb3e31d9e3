"""The bundled schema is as strict as the platform: each value Kubernetes or Nexlayer would refuse
is one finding, with its own message and hint (issue 15), and what the platform accepts passes."""

from __future__ import annotations

import pytest

from nexlayer_lint import schema, schemawalk
from nexlayer_lint.linear_regex import refusal
from tests.conftest import CLEAN, lint_diags


def _with(old: str, new: str) -> str:
    assert old in CLEAN
    return CLEAN.replace(old, new)


def _pod(extra: str) -> str:
    return CLEAN + extra


REGISTRY = """\
application:
  name: shop
  registryLogin:
    registry: {registry}
    username: acme
    personalAccessToken: ${{REGISTRY_TOKEN}}
  pods:
    - name: web
      image: <% REGISTRY %>/acme/web:1.0
      path: /
      servicePorts: [80]
"""

DNS_NAME = (
    "must contain only lowercase letters, digits, hyphens (-) and dots (.), with a letter or digit at "
    "the start, at the end and on both sides of every dot"
)
POD_NAME = (
    "must start with a lowercase letter, end with a letter or digit, and contain only lowercase letters, "
    "digits and hyphens (no dots, spaces or underscores)"
)
IMAGE = (
    'must be an image reference, [registry/]repository[:tag][@digest] without spaces, such as "nginx:1.27" '
    'or "<% REGISTRY %>/user/app:1.0"'
)
IMAGE_HINT = (
    'repository names are letters and digits with ".", "_", "__" or "-" between them and "/" between '
    'parts; a tag is up to 128 letters, digits, "_", "." and "-"; a digest is sha256: and 64 lowercase hex '
    "digits (sha384: 96, sha512: 128)"
)
REGISTRY_HINT = (
    'write only the registry\'s host in lowercase: drop "https://", a port and any path such as "/v2/" '
    '(nexlayer deploy refuses them: "invalid registry hostname format"); each dot-separated part is at most '
    "63 characters"
)
REGISTRY_MESSAGE = 'of registryLogin must be a lowercase host name such as "ghcr.io", without a scheme, port or path'
LONGEST_DNS_NAME = "must be at most 253 characters long, the longest name DNS allows"
LABEL = "must contain only lowercase letters, digits and hyphens, with a letter or digit first and last"
VAR_NAME_HINT = 'write names like API_URL: upper-case letters, digits and "_"'
VAR_NAME = (
    'must contain only letters, digits, "_", "-" and ".", not start with a digit, and not be "." or ".." or '
    'start with ".."; Kubernetes refuses any other name'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            _with("name: shop", 'name: "..."'),
            (
                2,
                9,
                f'application name "..." {DNS_NAME}',
                'the name becomes a host name (<name>.cloud.nexlayer.ai): use lowercase and hyphens, e.g. "my-app"',
            ),
        ),
        (
            _with("name: shop", "name: -myapp."),
            (2, 9, f'application name "-myapp." {DNS_NAME}', 'did you mean "myapp"?'),
        ),
        (_with("name: web", "name: web-"), (4, 13, f'pod name "web-" {POD_NAME}', 'did you mean "web"?')),
        (
            _with("image: nginx:1.27", 'image: "My Image"'),
            (
                5,
                14,
                f'image "My Image" of pod "web" {IMAGE}',
                IMAGE_HINT,
            ),
        ),
        # hunt 21: a digest a container runtime refuses (go-digest: sha256 is 64 lowercase hex digits)
        (
            _with("image: nginx:1.27", "image: nginx@sha256:" + "a" * 63),
            (5, 14, f'image "nginx@sha256:{"a" * 24}..." of pod "web" {IMAGE}', IMAGE_HINT),
        ),
        (
            _with("image: nginx:1.27", "image: nginx@sha256:" + "A" * 64),
            (5, 14, f'image "nginx@sha256:{"A" * 24}..." of pod "web" {IMAGE}', IMAGE_HINT),
        ),
        (
            _with("image: nginx:1.27", "image: nginx@md5:" + "a" * 32),
            (5, 14, f'image "nginx@md5:{"a" * 27}..." of pod "web" {IMAGE}', IMAGE_HINT),
        ),
        # a registry label over 63 characters (the CLI's deploy validator refuses it); a url over 253
        (
            REGISTRY.format(registry="a" * 64 + ".io"),
            (
                4,
                15,
                f'registry "{"a" * 37}..." {REGISTRY_MESSAGE}',
                REGISTRY_HINT,
            ),
        ),
        (
            _with("name: shop", "name: shop\n  url: " + ".".join(["a" * 63] * 4) + ".com"),
            (3, 8, f'url "{"a" * 37}..." must be at most 253 characters long, the longest name DNS allows', None),
        ),
        # hunt 258 F3: the registry's host too, as nexlayer deploy checks it as it checks `url`
        (
            REGISTRY.format(registry=".".join(["a" * 63] * 4) + ".io"),
            (4, 15, f'registry "{"a" * 37}..." of registryLogin {LONGEST_DNS_NAME}', None),
        ),
        (
            REGISTRY.format(registry="https://ghcr.io/v2/"),
            (
                4,
                15,
                f'registry "https://ghcr.io/v2/" {REGISTRY_MESSAGE}',
                'did you mean "ghcr.io"?',
            ),
        ),
        (
            REGISTRY.format(registry="ghcr.io/acme"),
            (
                4,
                15,
                f'registry "ghcr.io/acme" {REGISTRY_MESSAGE}',
                'did you mean "ghcr.io"?',
            ),
        ),
        # hunt 46 F3: nexlayer deploy checks the registry as the url: lowercase, dotted, no port
        (
            REGISTRY.format(registry="registry.example.com:5000"),
            (4, 15, f'registry "registry.example.com:5000" {REGISTRY_MESSAGE}', 'did you mean "registry.example.com"?'),
        ),
        (
            REGISTRY.format(registry="GHCR.IO"),
            (4, 15, f'registry "GHCR.IO" {REGISTRY_MESSAGE}', 'did you mean "ghcr.io"?'),
        ),
        (REGISTRY.format(registry="myregistry"), (4, 15, f'registry "myregistry" {REGISTRY_MESSAGE}', REGISTRY_HINT)),
        (
            _with("path: /", 'path: "/ my path?x=1"'),
            (
                6,
                13,
                'path "/ my path?x=1" of pod "web" must be a URL path without spaces, a query (?) or a fragment (#): '
                '"/" and letters, digits, - . _ ~ ! $ & \' ( ) * + , ; = : @, and % only before two hex digits',
                'a route is matched on the path alone: drop anything from "?" or "#", and write a space as %20 '
                "and a % as %25",
            ),
        ),
        (  # hunt 54 F8: `%` is RFC 3986's escape only before two hex digits
            _with("path: /", "path: /a%zz"),
            (
                6,
                13,
                'path "/a%zz" of pod "web" must be a URL path without spaces, a query (?) or a fragment (#): '
                '"/" and letters, digits, - . _ ~ ! $ & \' ( ) * + , ; = : @, and % only before two hex digits',
                'a route is matched on the path alone: drop anything from "?" or "#", and write a space as %20 '
                "and a % as %25",
            ),
        ),
        (  # Kubernetes' route validation refuses an escaped slash
            _with("path: /", "path: /a%2fb"),
            (
                6,
                13,
                'path "/a%2fb" of pod "web" must not escape "/" as %2F',
                'Kubernetes refuses %2F in a route: write the "/" itself',
            ),
        ),
        (
            _with("path: /", "path: /api/../admin"),
            (
                6,
                13,
                'path "/api/../admin" of pod "web" must not have an empty, "." or ".." segment ("//", "/./", "/../")',
                "Kubernetes refuses such routes; write the path the way a browser would send it, e.g. /api",
            ),
        ),
        (
            _pod('      vars:\n        "": x\n'),
            (
                9,
                9,
                'var name "" of pod "web" must not be empty',
                'give the variable a name, e.g. API_URL: upper-case letters, digits and "_"; or remove the line',
            ),
        ),
        (
            _pod("      vars:\n        A=B: x\n"),
            (9, 9, f'var name "A=B" of pod "web" {VAR_NAME}', 'did you mean "A_B"?'),
        ),
        (
            _pod("      vars:\n        1ST: x\n"),
            (
                9,
                9,
                f'var name "1ST" of pod "web" {VAR_NAME}',
                'write names like API_URL: upper-case letters, digits and "_"',
            ),
        ),
        # hunt 209 F1: Kubernetes' IsEnvVarName also refuses `.`, `..` and a name starting with `..`
        (
            _pod('      vars:\n        "..": x\n'),
            (9, 9, f'var name ".." of pod "web" {VAR_NAME}', VAR_NAME_HINT),
        ),
        (
            _pod("      vars:\n        ..A: x\n"),
            (9, 9, f'var name "..A" of pod "web" {VAR_NAME}', 'did you mean "A"?'),
        ),
        (
            _pod("      volumes:\n        - name: My Data\n          size: 1Gi\n          mountPath: /data\n"),
            (9, 17, f'volume name "My Data" of pod "web" {LABEL}', 'did you mean "my-data"?'),
        ),
        (
            _pod("      volumes:\n        - name: data\n          size: 0Mi\n          mountPath: /data\n"),
            (
                10,
                17,
                'size "0Mi" of volume "data" of pod "web" must be more than zero',
                "give the volume the space its data needs, e.g. 1Gi",
            ),
        ),
        (
            _pod("      volumes:\n        - name: data\n          size: 0Gi\n          mountPath: /data\n"),
            (
                10,
                17,
                'size "0Gi" of volume "data" of pod "web" must be more than zero',
                "give the volume the space its data needs, e.g. 1Gi",
            ),
        ),
        (
            _pod("      volumes:\n        - name: data\n          size: 1Gi\n          mountPath: /data/../etc\n"),
            (
                11,
                22,
                'mountPath "/data/../etc" of volume "data" of pod "web" must not contain ".." as a path segment',
                "Kubernetes refuses a mount path that steps out of a directory: write the absolute path itself",
            ),
        ),
        (  # hunt 54 F4: a volume over the container's root, however it is spelt
            _pod("      volumes:\n        - name: data\n          size: 1Gi\n          mountPath: /./\n"),
            (
                11,
                22,
                'mountPath "/./" of volume "data" of pod "web" must not be the container\'s root "/"',
                "a volume over / would hide the whole image, and container runtimes refuse it: mount it where the "
                "app keeps its data, e.g. /data",
            ),
        ),
        (
            _pod(
                "      secrets:\n        - name: Empty Secret\n          data: x\n          mountPath: /run/s\n"
                "          fileName: s.txt\n"
            ),
            (9, 17, f'secret name "Empty Secret" of pod "web" {LABEL}', 'did you mean "empty-secret"?'),
        ),
        (
            _pod(
                "      secrets:\n        - name: cfg\n          data: x\n          mountPath: /run/s\n"
                "          fileName: ../../etc/passwd\n"
            ),
            (
                12,
                21,
                'fileName "../../etc/passwd" of secret "cfg" of pod "web" must be a file name of letters, digits, ".", '
                '"_" and "-", without "/" and not ".", ".." or starting with ".."',
                'did you mean "passwd"?',
            ),
        ),
        (
            _pod(
                "      secrets:\n        - name: cfg\n          data: x\n          mountPath: /run/s\n"
                "          fileName: conf/app.conf\n"
            ),
            (
                12,
                21,
                'fileName "conf/app.conf" of secret "cfg" of pod "web" must be a file name of letters, digits, ".", '
                '"_" and "-", without "/" and not ".", ".." or starting with ".."',
                'did you mean "app.conf"?',
            ),
        ),
        (
            _pod(
                "      secrets:\n        - name: cfg\n          data: x\n          mountPath: /run/../s\n"
                "          fileName: app.conf\n"
            ),
            (
                11,
                22,
                'mountPath "/run/../s" of secret "cfg" of pod "web" must not contain ".." as a path segment',
                "Kubernetes refuses a mount path that steps out of a directory: write the absolute path itself",
            ),
        ),
    ],
    ids=[
        "app-name-dots",
        "app-name-edges",
        "pod-name-edge",
        "image-space",
        "image-digest-63",
        "image-digest-upper",
        "image-digest-md5",
        "registry-label-64",
        "url-254",
        "registry-258",
        "registry-url",
        "registry-path",
        "registry-port",
        "registry-capitals",
        "registry-no-dot",
        "path-query",
        "path-percent",
        "path-escaped-slash",
        "path-dot-segment",
        "var-empty",
        "var-equals",
        "var-digit",
        "var-dot-dot",
        "var-dot-dot-prefix",
        "volume-name",
        "size-0Mi",
        "size-0Gi",
        "mount-dotdot",
        "mount-root",
        "secret-name",
        "file-name-escape",
        "file-name-slash",
        "secret-mount-dotdot",
    ],
)
def test_each_value_the_platform_refuses_is_one_error(text: str, expected: tuple) -> None:
    diagnostics = lint_diags(text)
    assert [(d.code, d.severity, d.line, d.col, d.message, d.hint) for d in diagnostics] == [
        ("NX104", "error", *expected)
    ]


@pytest.mark.parametrize(
    "text",
    [
        _with("name: shop", "name: rich-nova-ops.chat"),  # dots between labels (a corpus file)
        _with("name: shop", "name: a1b"),
        _with("image: nginx:1.27", "image: ghcr.io/Nexlayer/documentation:v1"),  # capitals, as Nexlayer's own file
        _with("image: nginx:1.27", 'image: "# filled by pipeline"'),
        _with("image: nginx:1.27", 'image: "# filled by pipeline:backend"'),
        _with("image: nginx:1.27", "image: localhost:5000/team/app:2@sha256:" + "a" * 64),
        _with("image: nginx:1.27", "image: nginx@sha512:" + "0" * 128),
        REGISTRY.format(registry="a" * 63 + ".io"),
        _with("name: shop", "name: shop\n  url: " + ".".join(["a" * 63] * 3) + ".a" * 29 + ".com"),
        _with("image: nginx:1.27", "image: mirror.gcr.io/library/postgres:16-alpine"),
        _with("image: nginx:1.27", "image: registry.example.com:5000/a__b/c-d.e:1_0"),
        _with("path: /", "path: /api/v1.2/~user/a%20b"),
        _with("path: /", "path: /.well-known"),
        _pod(
            '      vars:\n        API_URL: x\n        _INTERNAL: "1"\n'
        ),  # a leading "_" (not _PRIVATE: a secret name)
        _pod("      volumes:\n        - name: db-data\n          size: 512Mi\n          mountPath: /var/lib/x..y\n"),
        _pod(
            "      secrets:\n        - name: api-key\n          data: x\n          mountPath: /run/s\n"
            "          fileName: .env\n"
        ),
    ],
    ids=[
        "app-name-dots",
        "app-name-short",
        "image-capitals",
        "placeholder",
        "placeholder-pod",
        "image-digest",
        "image-digest-512",
        "registry-label-63",
        "url-253",
        "image-mirror",
        "image-separators",
        "path-chars",
        "path-dot-name",
        "vars",
        "volume",
        "secret-dotfile",
    ],
)
def test_what_the_platform_accepts_passes(text: str) -> None:
    assert [d for d in lint_diags(text) if d.severity != "info"] == []  # NX217 tells about placeholders


def test_a_name_kubernetes_accepts_but_shells_do_not_is_a_warning() -> None:
    (d,) = lint_diags(_pod("      vars:\n        my.var: x\n"))
    assert (d.code, d.severity, d.line, d.col) == ("NX219", "warning", 9, 9)
    assert (
        d.message == 'var name "my.var" of pod "web" is not a shell variable name; a shell cannot read it '
        "as $my.var, and some shells drop it from the environment"
    )
    assert (
        d.hint == "fine when the program reads its environment itself (as Java and OpenSearch do with "
        '"discovery.type"); if a shell or an entrypoint script reads it, name it "my_var"'
    )
    # in the list form, at the key's value; a name Kubernetes refuses is only the schema's error
    text = _pod("      vars:\n        - key: my-var\n          value: x\n        - key: a=b\n          value: z\n")
    assert [(d.code, d.line, d.col) for d in lint_diags(text)] == [("NX216", 8, 7), ("NX219", 9, 16), ("NX104", 11, 16)]


def test_a_port_outside_the_port_range_is_its_own_error() -> None:
    (d,) = lint_diags(_pod("      vars:\n        API: http://${web:99999}\n"))
    assert (d.code, d.severity, d.line, d.col, d.end_col) == ("NX209", "error", 9, 27, 32)
    assert d.message == 'var "API" refers to port 99999 of pod "web", which is not a port number (1 to 65535)'
    assert d.hint == 'write the port pod "web" listens on (its servicePorts: 80)'


def test_every_bundled_pattern_is_linear_and_has_its_own_message() -> None:
    bundled = schema.load_bundled()
    found = list(schemawalk.patterns(bundled))
    assert [(where, refusal(pattern)) for where, pattern in found if refusal(pattern)] == []
    for _, node in schemawalk.nodes(bundled):
        if isinstance(node, dict) and "pattern" in node:
            messages = node.get("x-messages")
            assert isinstance(messages, dict) and messages.get("pattern"), node["pattern"]
            assert node["pattern"] not in messages["pattern"]


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        # issue 15: "WWW.Example.com" was told to drop "https://", "10G" that "1Ti is 1024Gi"
        ("name: shop\n", "name: shop\n  url: WWW.Example.com\n", 'did you mean "www.example.com"?'),
        ("name: shop\n", "name: shop\n  url: https://www.example.com:443/x\n", 'did you mean "www.example.com"?'),
        (
            "servicePorts: [80]\n",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: 10G\n          mountPath: /d\n",
            'did you mean "10Gi"?',
        ),
        (
            "servicePorts: [80]\n",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: 1Ti\n          mountPath: /d\n",
            'did you mean "1024Gi"?',
        ),
        (
            "servicePorts: [80]\n",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: 1.5Gi\n          mountPath: /d\n",
            'did you mean "1536Mi"?',
        ),
        (
            "servicePorts: [80]\n",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: 500MB\n          mountPath: /d\n",
            'did you mean "500Mi"?',
        ),
        (
            "servicePorts: [80]\n",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: 10\n          mountPath: /d\n",
            None,
        ),  # a number: not a string at all (NX103), no size to guess
        (
            "servicePorts: [80]\n",
            "servicePorts: [80]\n      volumes:\n        - name: d\n          size: lots\n          mountPath: /d\n",
            "only Mi and Gi are accepted, as whole numbers (not Ti, Ki, M, G or decimals), "
            "up to 1024Gi: nexlayer deploy refuses more",
        ),
    ],
)
def test_the_hint_fits_the_value(old: str, new: str, hint: str | None) -> None:
    (d,) = lint_diags(_with(old, new))
    if hint is None:
        assert d.code == "NX103"
    else:
        assert (d.code, d.hint) == ("NX104", hint)
